/*
 * query_in.c - batch input readers: JSON lines in the yente /match
 * EntityExample shape (plus "id") and CSV with a header row, each record
 * turned into an emb_qrec ready for emb_screen.
 *
 * Batch files come from customers and are untrusted, so every record is
 * capped (EMB_QREC_MAX_BYTES), every field is capped (EMB_QUERY_MAX_VALUES
 * values of at most EMB_QUERY_MAX_BYTES), every value must be valid UTF-8,
 * and every error names the field or the byte offset (0-based, within the
 * record) so an analyst can fix the line. Empty and whitespace-only values
 * are not errors: they are dropped, as a blank spreadsheet cell means "no
 * value". Invariant: after any call the record owns only arena memory, so
 * emb_qrec_dispose frees everything even after an error half-way.
 *
 * The CSV record reader and the CSV field splitter use the same quoting
 * rules (a quote opens a quoted field only at the start of a field, after
 * optional blanks), so a record the reader delimits is split the same way.
 */
#include "util/compat.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <cjson/cJSON.h>
#include "io/query_in.h"
#include "util/alloc.h"
#include "util/err.h"

/* Strings, arrays and unescaped cells of one record stay well under this. */
#define QREC_ARENA_MAX (4u * EMB_QREC_MAX_BYTES)
/* Longest schema value quoted back in an error message. */
#define SHOW_MAX 64

/* ---- records ------------------------------------------------------------ */

void emb_qrec_init(emb_qrec *r)
{
    emb_query q = EMB_QUERY_INIT;
    emb_arena_init(&r->arena, QREC_ARENA_MAX);
    r->id = NULL;
    r->q = q;
}

void emb_qrec_dispose(emb_qrec *r)
{
    emb_arena_dispose(&r->arena);
    r->id = NULL;
}

void emb_qrec_reset(emb_qrec *r)
{
    emb_qrec_dispose(r);
    emb_qrec_init(r);
}

/* ---- values ------------------------------------------------------------- */

/* Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF and
 * no NUL (a value is a C string, a NUL would silently cut it). */
static bool utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            if (c == 0)
                return false;
            i++;
            continue;
        }
        size_t k;
        uint32_t cp, min;
        if (c >= 0xC2 && c <= 0xDF) {
            k = 1, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            k = 2, cp = c & 0x0F, min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (n - i <= k)
            return false;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + j] & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += k + 1;
    }
    return true;
}

/* Length of the whitespace character (ASCII or a Unicode space such as
 * NBSP or the ideographic space) starting at s[0], or 0. */
static size_t space_at(const unsigned char *s, size_t n)
{
    if (n >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')))
        return 1;
    if (n >= 2 && s[0] == 0xC2 && (s[1] == 0x85 || s[1] == 0xA0))
        return 2;
    if (n < 3)
        return 0;
    if (s[0] == 0xE2 && s[1] == 0x80 && (s[2] <= 0x8A || s[2] == 0xA8 || s[2] == 0xA9 ||
                                         s[2] == 0xAF))
        return 3;
    if ((s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F) ||
        (s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80) ||
        (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) ||
        (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF))
        return 3;
    return 0;
}

/* Trim leading and trailing whitespace of valid UTF-8 text in place. */
static void trim(const char **sp, size_t *np)
{
    const unsigned char *s = (const unsigned char *)*sp;
    size_t n = *np, k;
    while (n && (k = space_at(s, n)) > 0) {
        s += k;
        n -= k;
    }
    while (n) {
        /* a trailing space character is 1 to 3 bytes long */
        size_t back = 0;
        for (size_t w = 1; w <= 3 && w <= n; w++) {
            if (space_at(s + n - w, w) == w) {
                back = w;
                break;
            }
        }
        if (!back)
            break;
        n -= back;
    }
    *sp = (const char *)s;
    *np = n;
}

enum { F_NAMES, F_DATES, F_COUNTRIES, F_IDS, F_NFIELDS };

/* The query under construction: values are arena strings; the arrays are
 * copied into the arena once the record is complete. */
typedef struct qbuild {
    emb_qrec *r;
    const char *kind;      /* "property" (JSON) or "column" (CSV) */
    const char *vals[F_NFIELDS][EMB_QUERY_MAX_VALUES];
    size_t n[F_NFIELDS];
    emb_qschema schema;
    const char *gender;
} qbuild;

static void qbuild_init(qbuild *b, emb_qrec *r, const char *kind)
{
    memset(b, 0, sizeof(*b));
    b->r = r;
    b->kind = kind;
    b->schema = EMB_Q_THING;
}

/* Check and trim one raw value: *sp and *np become the trimmed text, empty
 * when the value is to be dropped. */
static int clean_value(const qbuild *b, const char *field, const char **sp, size_t *np)
{
    if (!utf8_valid((const unsigned char *)*sp, *np))
        return emb_err_set(EMB_EPARSE, "%s '%s' is not valid UTF-8", b->kind, field);
    trim(sp, np);
    if (*np > EMB_QUERY_MAX_BYTES)
        return emb_err_set(EMB_ETOOBIG, "%s '%s' has a value of %zu bytes (at most %d)",
                           b->kind, field, *np, EMB_QUERY_MAX_BYTES);
    return EMB_OK;
}

/* Add one value of `field` (the property or column name, for messages) to
 * query field f. Duplicates are kept once. */
static int add_value(qbuild *b, int f, const char *field, const char *s, size_t n)
{
    int rc = clean_value(b, field, &s, &n);
    if (rc < 0 || n == 0)
        return rc;
    for (size_t i = 0; i < b->n[f]; i++)
        if (strncmp(b->vals[f][i], s, n) == 0 && b->vals[f][i][n] == '\0')
            return EMB_OK;
    if (b->n[f] == EMB_QUERY_MAX_VALUES)
        return emb_err_set(EMB_ETOOBIG, "%s '%s' has too many values (at most %d per field)",
                           b->kind, field, EMB_QUERY_MAX_VALUES);
    const char *d = emb_arena_strndup(&b->r->arena, s, n);
    if (!d)
        return emb_err_set(EMB_ENOMEM, "out of memory");
    b->vals[f][b->n[f]++] = d;
    return EMB_OK;
}

static int set_id(qbuild *b, const char *s, size_t n)
{
    int rc = clean_value(b, "id", &s, &n);
    if (rc < 0 || n == 0)
        return rc;
    b->r->id = emb_arena_strndup(&b->r->arena, s, n);
    return b->r->id ? EMB_OK : emb_err_set(EMB_ENOMEM, "out of memory");
}

/* s must be NUL-terminated. */
static int set_schema(qbuild *b, const char *s)
{
    if (!utf8_valid((const unsigned char *)s, strlen(s)))
        return emb_err_set(EMB_EPARSE, "%s 'schema' is not valid UTF-8", b->kind);
    if (emb_qschema_parse(&b->schema, s) == EMB_OK)
        return EMB_OK;
    /* quote at most SHOW_MAX bytes, cut on a character boundary */
    size_t n = strlen(s);
    const char *more = "";
    if (n > SHOW_MAX) {
        n = SHOW_MAX;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        more = "...";
    }
    return emb_err_set(EMB_EPARSE, "unknown schema '%.*s%s'", (int)n, s, more);
}

/* "male"/"female" (or m/f), any case; other values ("other", "unknown")
 * carry no evidence and are ignored. */
static void set_gender(qbuild *b, const char *s, size_t n)
{
    trim(&s, &n);
    if (b->gender)
        return;
    if ((n == 4 && strncasecmp(s, "male", 4) == 0) || (n == 1 && (*s == 'm' || *s == 'M')))
        b->gender = "male";
    else if ((n == 6 && strncasecmp(s, "female", 6) == 0) ||
             (n == 1 && (*s == 'f' || *s == 'F')))
        b->gender = "female";
}

/* Copy the arrays into the arena and fill r->q. `noname` is the message
 * when the record has no name. */
static int qbuild_finish(qbuild *b, const char *noname)
{
    if (b->n[F_NAMES] == 0)
        return emb_err_set(EMB_EPARSE, "%s", noname);
    const char **arr[F_NFIELDS] = { NULL };
    for (int f = 0; f < F_NFIELDS; f++) {
        if (b->n[f] == 0)
            continue;
        arr[f] = emb_arena_memdup(&b->r->arena, b->vals[f], b->n[f] * sizeof(char *));
        if (!arr[f])
            return emb_err_set(EMB_ENOMEM, "out of memory");
    }
    emb_query *q = &b->r->q;
    q->schema = b->schema;
    q->names = arr[F_NAMES];
    q->nnames = b->n[F_NAMES];
    q->birth_dates = arr[F_DATES];
    q->nbirth_dates = b->n[F_DATES];
    q->countries = arr[F_COUNTRIES];
    q->ncountries = b->n[F_COUNTRIES];
    q->identifiers = arr[F_IDS];
    q->nidentifiers = b->n[F_IDS];
    q->gender = b->gender;
    return EMB_OK;
}

/* ---- JSON --------------------------------------------------------------- */

enum { P_NAME = F_NFIELDS, P_PART_FIRST, P_PART_MIDDLE, P_PART_LAST, P_GENDER };

static const struct {
    const char *name;
    int dest;       /* F_* or P_* */
} json_props[] = {
    { "name", P_NAME },
    { "alias", F_NAMES },
    { "previousName", F_NAMES },
    { "weakAlias", F_NAMES },
    { "firstName", P_PART_FIRST },
    { "middleName", P_PART_MIDDLE },
    { "lastName", P_PART_LAST },
    { "birthDate", F_DATES },
    { "nationality", F_COUNTRIES },
    { "country", F_COUNTRIES },
    { "citizenship", F_COUNTRIES },
    { "birthCountry", F_COUNTRIES },
    { "jurisdiction", F_COUNTRIES },
    { "flag", F_COUNTRIES },
    { "idNumber", F_IDS },
    { "passportNumber", F_IDS },
    { "imoNumber", F_IDS },
    { "registrationNumber", F_IDS },
    { "taxNumber", F_IDS },
    { "mmsi", F_IDS },
    { "innCode", F_IDS },
    { "ogrnCode", F_IDS },
    { "leiCode", F_IDS },
    { "swiftBic", F_IDS },
    { "gender", P_GENDER },
};

static int json_id(qbuild *b, const cJSON *id)
{
    if (!id || cJSON_IsNull(id))
        return EMB_OK;
    if (cJSON_IsString(id))
        return set_id(b, id->valuestring, strlen(id->valuestring));
    if (!cJSON_IsNumber(id))
        return emb_err_set(EMB_EPARSE, "'id' must be a string or a number");
    char num[64];
    double d = id->valuedouble;
    if (d > -1e15 && d < 1e15 && d == (double)(long long)d)
        snprintf(num, sizeof(num), "%lld", (long long)d);
    else
        snprintf(num, sizeof(num), "%.17g", d);
    return set_id(b, num, strlen(num));
}

/* Parts of a name given as firstName/middleName/lastName: the first
 * non-empty value of each, joined when the query has no `name`. */
typedef struct name_parts {
    const char *part[3];
    size_t len[3];
} name_parts;

static int json_value(qbuild *b, name_parts *np, size_t *nname, const char *field, int dest,
                      const char *s)
{
    size_t n = strlen(s);
    int rc;
    switch (dest) {
    case P_NAME: {
        size_t before = b->n[F_NAMES];
        rc = add_value(b, F_NAMES, field, s, n);
        *nname += b->n[F_NAMES] - before;
        return rc;
    }
    case P_PART_FIRST:
    case P_PART_MIDDLE:
    case P_PART_LAST: {
        int k = dest - P_PART_FIRST;
        rc = clean_value(b, field, &s, &n);
        if (rc == EMB_OK && n && !np->part[k]) {
            np->part[k] = s;
            np->len[k] = n;
        }
        return rc;
    }
    case P_GENDER:
        rc = clean_value(b, field, &s, &n);
        if (rc == EMB_OK)
            set_gender(b, s, n);
        return rc;
    default:
        return add_value(b, dest, field, s, n);
    }
}

/* A property value is a string or an array of strings. */
static int json_prop(qbuild *b, name_parts *np, size_t *nname, const cJSON *p, int dest)
{
    if (cJSON_IsString(p))
        return json_value(b, np, nname, p->string, dest, p->valuestring);
    if (!cJSON_IsArray(p))
        return emb_err_set(EMB_EPARSE, "property '%s' must be a list of strings", p->string);
    for (const cJSON *v = p->child; v; v = v->next) {
        if (!cJSON_IsString(v))
            return emb_err_set(EMB_EPARSE, "property '%s' must be a list of strings", p->string);
        int rc = json_value(b, np, nname, p->string, dest, v->valuestring);
        if (rc < 0)
            return rc;
    }
    return EMB_OK;
}

static int json_join_parts(qbuild *b, const name_parts *np)
{
    char joined[3 * (EMB_QUERY_MAX_BYTES + 1)];
    size_t n = 0;
    for (int k = 0; k < 3; k++) {
        if (!np->part[k])
            continue;
        if (n)
            joined[n++] = ' ';
        memcpy(joined + n, np->part[k], np->len[k]);
        n += np->len[k];
    }
    if (n == 0)
        return EMB_OK;
    if (n > EMB_QUERY_MAX_BYTES)
        return emb_err_set(EMB_ETOOBIG,
                           "firstName, middleName and lastName joined are %zu bytes (at most %d)",
                           n, EMB_QUERY_MAX_BYTES);
    return add_value(b, F_NAMES, "name", joined, n);
}

int emb_qrec_from_json(emb_qrec *r, const char *text, size_t len)
{
    int rc;
    char *copy = NULL;
    cJSON *root = NULL;
    const char *end = NULL;
    const cJSON *item, *p;
    name_parts np = { { NULL }, { 0 } };
    size_t pos, nname = 0;
    qbuild b;

    emb_qrec_reset(r);
    qbuild_init(&b, r, "property");
    if (!text && len) {
        rc = emb_err_set(EMB_EINVAL, "no input");
        goto cleanup;
    }
    if (len > EMB_QREC_MAX_BYTES) {
        rc = emb_err_set(EMB_ETOOBIG, "record longer than %u bytes", EMB_QREC_MAX_BYTES);
        goto cleanup;
    }
    /* cJSON is given the length, but a NUL-terminated copy keeps any
     * over-read in the library inside our allocation. */
    copy = emb_malloc(len + 1);
    if (!copy) {
        rc = emb_err_set(EMB_ENOMEM, "out of memory");
        goto cleanup;
    }
    if (len)
        memcpy(copy, text, len);
    copy[len] = '\0';

    /* return_parse_end, unlike cJSON_GetErrorPtr, is not shared between
     * threads; it points at the error or at the end of the value. */
    root = cJSON_ParseWithLengthOpts(copy, len, &end, 0);
    pos = end && end >= copy && end <= copy + len ? (size_t)(end - copy) : 0;
    if (root) {
        while (pos < len && (copy[pos] == ' ' || copy[pos] == '\t' || copy[pos] == '\r' ||
                             copy[pos] == '\n'))
            pos++;
    }
    if (!root || pos < len) {
        rc = emb_err_set(EMB_EPARSE, "invalid JSON at byte %zu", pos);
        goto cleanup;
    }
    if (!cJSON_IsObject(root)) {
        rc = emb_err_set(EMB_EPARSE, "expected a JSON object");
        goto cleanup;
    }

    /* id first, so that it is known when a later field fails */
    if ((rc = json_id(&b, cJSON_GetObjectItemCaseSensitive(root, "id"))) < 0)
        goto cleanup;
    item = cJSON_GetObjectItemCaseSensitive(root, "schema");
    if (item && !cJSON_IsNull(item)) {
        if (!cJSON_IsString(item)) {
            rc = emb_err_set(EMB_EPARSE, "'schema' must be a string");
            goto cleanup;
        }
        if ((rc = set_schema(&b, item->valuestring)) < 0)
            goto cleanup;
    }

    /* properties in document order; unknown ones are ignored as in yente */
    item = cJSON_GetObjectItemCaseSensitive(root, "properties");
    if (item && !cJSON_IsNull(item)) {
        if (!cJSON_IsObject(item)) {
            rc = emb_err_set(EMB_EPARSE, "'properties' must be an object");
            goto cleanup;
        }
        cJSON_ArrayForEach(p, item) {
            if (!p->string)
                continue;
            for (size_t i = 0; i < EMB_ARRAY_LEN(json_props); i++) {
                if (strcmp(p->string, json_props[i].name) != 0)
                    continue;
                if ((rc = json_prop(&b, &np, &nname, p, json_props[i].dest)) < 0)
                    goto cleanup;
                break;
            }
        }
    }
    if (nname == 0 && (rc = json_join_parts(&b, &np)) < 0)
        goto cleanup;
    rc = qbuild_finish(&b, "query has no name");

cleanup:
    cJSON_Delete(root);
    emb_free(copy);
    return rc;
}

/* ---- CSV fields ----------------------------------------------------------- */

typedef struct csv_cursor {
    const char *p;
    size_t len;
    size_t pos;
    bool done;
} csv_cursor;

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Next field of one record. A quoted field's content is returned raw
 * (still holding its "" escapes; *quoted is set). Returns 1, 0 after the
 * last field, or EMB_EPARSE. */
static int csv_next_field(csv_cursor *c, const char **raw, size_t *rawlen, bool *quoted)
{
    if (c->done)
        return 0;
    const char *p = c->p;
    size_t len = c->len;
    size_t i = c->pos;
    while (i < len && is_blank(p[i]))
        i++;
    if (i < len && p[i] == '"') {
        size_t start = ++i;
        for (;;) {
            if (i >= len)
                return emb_err_set(EMB_EPARSE, "unterminated quoted field at byte %zu",
                                   start - 1);
            if (p[i] == '"') {
                if (i + 1 < len && p[i + 1] == '"') {
                    i += 2;
                    continue;
                }
                break;
            }
            i++;
        }
        *raw = p + start;
        *rawlen = i - start;
        *quoted = true;
        i++;
        while (i < len && (is_blank(p[i]) || p[i] == '\r' || p[i] == '\n'))
            i++;
        if (i < len && p[i] != ',')
            return emb_err_set(EMB_EPARSE, "unexpected character after a closing quote at byte %zu",
                               i);
    } else {
        size_t start = c->pos;
        while (i < len && p[i] != ',')
            i++;
        *raw = p + start;
        *rawlen = i - start;
        *quoted = false;
    }
    if (i < len)
        c->pos = i + 1;
    else
        c->done = true;
    return 1;
}

/* Undo "" escapes into dst (room for n bytes); returns the new length. */
static size_t csv_unescape(char *dst, const char *raw, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        dst[o++] = raw[i];
        if (raw[i] == '"' && i + 1 < n && raw[i + 1] == '"')
            i++;
    }
    return o;
}

/* ---- CSV header ------------------------------------------------------------ */

/* Column names compared case-insensitively with '_', '-' and blanks
 * removed, so "Birth Date", "birth_date" and "birthDate" are one column.
 * full_name and date_of_birth are the columns of the OpenSanctions
 * benchmark files (tests/data/bench). */
static const struct {
    const char *key;
    emb_csv_field field;
} csv_columns[] = {
    { "id", EMB_CSV_ID },
    { "name", EMB_CSV_NAME },
    { "fullname", EMB_CSV_NAME },
    { "schema", EMB_CSV_SCHEMA },
    { "birthdate", EMB_CSV_BIRTHDATE },
    { "dateofbirth", EMB_CSV_BIRTHDATE },
    { "nationality", EMB_CSV_NATIONALITY },
    { "country", EMB_CSV_COUNTRY },
    { "idnumber", EMB_CSV_IDNUMBER },
    { "passportnumber", EMB_CSV_PASSPORT },
    { "imonumber", EMB_CSV_IMO },
    { "gender", EMB_CSV_GENDER },
};

static emb_csv_field csv_column(const char *s, size_t n)
{
    char key[32];
    size_t k = 0;
    trim(&s, &n);
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '_' || ch == '-' || is_blank(ch))
            continue;
        if (k + 1 >= sizeof(key))
            return EMB_CSV_IGNORE;
        key[k++] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
    }
    key[k] = '\0';
    for (size_t i = 0; i < EMB_ARRAY_LEN(csv_columns); i++)
        if (strcmp(key, csv_columns[i].key) == 0)
            return csv_columns[i].field;
    return EMB_CSV_IGNORE;
}

int emb_csv_header_parse(emb_csv_header *h, const char *text, size_t len)
{
    int rc;
    bool has_name = false;
    csv_cursor c = { text, len, 0, false };
    const char *raw;
    size_t rawlen;
    bool quoted;

    memset(h, 0, sizeof(*h));
    if (!text && len)
        return emb_err_set(EMB_EINVAL, "no input");
    if (!text)
        c.p = "";    /* an emb_buf never written has a NULL ptr */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        c.pos = 3;
    while ((rc = csv_next_field(&c, &raw, &rawlen, &quoted)) > 0) {
        if (h->ncols == EMB_CSV_MAX_COLUMNS)
            return emb_err_set(EMB_ETOOBIG, "CSV header has more than %d columns",
                               EMB_CSV_MAX_COLUMNS);
        emb_csv_field f;
        if (quoted) {
            /* a column we know is short; a longer one is ignored anyway */
            char name[64];
            if (rawlen > sizeof(name)) {
                f = EMB_CSV_IGNORE;
            } else {
                size_t n = csv_unescape(name, raw, rawlen);
                f = csv_column(name, n);
            }
        } else {
            f = csv_column(raw, rawlen);
        }
        h->cols[h->ncols++] = f;
        if (f == EMB_CSV_NAME)
            has_name = true;
    }
    if (rc < 0)
        return rc;
    if (!has_name)
        return emb_err_set(EMB_EPARSE, "CSV header has no 'name' column");
    return EMB_OK;
}

/* ---- CSV records ------------------------------------------------------------ */

/* Field names in messages: the canonical property each column feeds. */
static const char *csv_field_name(emb_csv_field f)
{
    switch (f) {
    case EMB_CSV_ID: return "id";
    case EMB_CSV_NAME: return "name";
    case EMB_CSV_SCHEMA: return "schema";
    case EMB_CSV_BIRTHDATE: return "birthDate";
    case EMB_CSV_NATIONALITY: return "nationality";
    case EMB_CSV_COUNTRY: return "country";
    case EMB_CSV_IDNUMBER: return "idNumber";
    case EMB_CSV_PASSPORT: return "passportNumber";
    case EMB_CSV_IMO: return "imoNumber";
    case EMB_CSV_GENDER: return "gender";
    default: return "?";
    }
}

static int csv_query_field(emb_csv_field f)
{
    switch (f) {
    case EMB_CSV_NAME: return F_NAMES;
    case EMB_CSV_BIRTHDATE: return F_DATES;
    case EMB_CSV_NATIONALITY:
    case EMB_CSV_COUNTRY: return F_COUNTRIES;
    case EMB_CSV_IDNUMBER:
    case EMB_CSV_PASSPORT:
    case EMB_CSV_IMO: return F_IDS;
    default: return -1;
    }
}

/* One cell: a single value (id, schema, gender) or ';'-separated values. */
static int csv_cell(qbuild *b, emb_csv_field f, const char *s, size_t n)
{
    const char *name = csv_field_name(f);
    int rc;
    switch (f) {
    case EMB_CSV_ID:
        return b->r->id ? EMB_OK : set_id(b, s, n);
    case EMB_CSV_SCHEMA: {
        if ((rc = clean_value(b, name, &s, &n)) < 0 || n == 0)
            return rc;
        char *z = emb_arena_strndup(&b->r->arena, s, n);
        if (!z)
            return emb_err_set(EMB_ENOMEM, "out of memory");
        return set_schema(b, z);
    }
    case EMB_CSV_GENDER:
        if ((rc = clean_value(b, name, &s, &n)) < 0)
            return rc;
        set_gender(b, s, n);
        return EMB_OK;
    default:
        break;
    }
    int qf = csv_query_field(f);
    if (qf < 0)
        return EMB_OK;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != ';')
            continue;
        if ((rc = add_value(b, qf, name, s + start, i - start)) < 0)
            return rc;
        start = i + 1;
    }
    return EMB_OK;
}

int emb_qrec_from_csv(emb_qrec *r, const emb_csv_header *h, const char *text, size_t len)
{
    int rc;
    qbuild b;
    csv_cursor c = { text, len, 0, false };
    const char *cell[EMB_CSV_MAX_COLUMNS];
    size_t celllen[EMB_CSV_MAX_COLUMNS];
    size_t ncells = 0, nfields = 0;
    bool surplus = false;    /* a non-empty cell beyond the header's columns */
    const char *raw;
    size_t rawlen;
    bool quoted;

    emb_qrec_reset(r);
    qbuild_init(&b, r, "column");
    if (!h || (!text && len)) {
        rc = emb_err_set(EMB_EINVAL, "no input");
        goto cleanup;
    }
    if (!text) {
        text = "";    /* an emb_buf never written has a NULL ptr */
        c.p = text;
    }
    if (len > EMB_QREC_MAX_BYTES) {
        rc = emb_err_set(EMB_ETOOBIG, "record longer than %u bytes", EMB_QREC_MAX_BYTES);
        goto cleanup;
    }
    while ((rc = csv_next_field(&c, &raw, &rawlen, &quoted)) > 0) {
        nfields++;
        if (ncells == h->ncols || ncells == EMB_CSV_MAX_COLUMNS) {
            /* surplus cells are tolerated only when empty (trailing commas) */
            if (!utf8_valid((const unsigned char *)raw, rawlen))
                surplus = true;
            trim(&raw, &rawlen);
            if (rawlen)
                surplus = true;
            continue;
        }
        if (quoted) {
            char *d = emb_arena_alloc(&r->arena, rawlen + 1);
            if (!d) {
                rc = emb_err_set(EMB_ENOMEM, "out of memory");
                goto cleanup;
            }
            rawlen = csv_unescape(d, raw, rawlen);
            d[rawlen] = '\0';
            raw = d;
        }
        cell[ncells] = raw;
        celllen[ncells] = rawlen;
        ncells++;
    }
    if (rc < 0) {
        /* still echo the id when its cell came before the broken one */
        char msg[256];
        snprintf(msg, sizeof(msg), "%s", emb_err_last());
        for (size_t i = 0; i < ncells && !r->id; i++)
            if (h->cols[i] == EMB_CSV_ID)
                csv_cell(&b, EMB_CSV_ID, cell[i], celllen[i]);
        emb_err_set(rc, "%s", msg);
        goto cleanup;
    }

    /* id first, so that it is known when a later cell fails */
    for (size_t i = 0; i < ncells; i++) {
        if (h->cols[i] == EMB_CSV_ID && (rc = csv_cell(&b, EMB_CSV_ID, cell[i], celllen[i])) < 0)
            goto cleanup;
    }
    if (surplus) {
        /* an unquoted comma in a name shifts every later column: refuse */
        rc = emb_err_set(EMB_EPARSE, "record has %zu fields but the header has %zu", nfields,
                         h->ncols);
        goto cleanup;
    }
    for (size_t i = 0; i < ncells; i++) {
        if (h->cols[i] == EMB_CSV_ID)
            continue;
        if ((rc = csv_cell(&b, h->cols[i], cell[i], celllen[i])) < 0)
            goto cleanup;
    }
    rc = qbuild_finish(&b, "missing name");

cleanup:
    return rc;
}

/* ---- readers ----------------------------------------------------------------- */

/* Bytes go through a small staging array into `out`; once the record cap
 * is hit (or memory runs out) the reader keeps consuming the record but
 * stores nothing, so the next call starts at the next record. */
typedef struct rsink {
    emb_buf *out;
    char chunk[512];
    size_t n;
    int rc;
} rsink;

static void rsink_flush(rsink *s)
{
    if (s->rc == EMB_OK && s->n) {
        if (s->out->len + s->n > EMB_QREC_MAX_BYTES)
            s->rc = EMB_ETOOBIG;
        else
            s->rc = emb_buf_append(s->out, s->chunk, s->n);
    }
    s->n = 0;
}

static void rsink_put(rsink *s, char ch)
{
    if (s->rc != EMB_OK)
        return;
    s->chunk[s->n++] = ch;
    if (s->n == sizeof(s->chunk))
        rsink_flush(s);
}

enum { S_START, S_UNQUOTED, S_QUOTED, S_QUOTE_SEEN };

/* The common reader: one physical line, or with `csv` one CSV record (a
 * newline inside a quoted field does not end it). A trailing '\r' is
 * dropped, so CRLF files read like LF files. */
static int read_record(FILE *f, emb_buf *out, size_t *lines, bool csv)
{
    rsink s = { .out = out, .n = 0, .rc = EMB_OK };
    size_t nl = 0;
    bool got = false;      /* any byte read at all */
    bool any = false;      /* bytes read since the last newline */
    bool pending_cr = false;
    bool ended = false;    /* by a newline, not by end of input */
    int state = S_START;
    int rc;

    emb_buf_clear(out);
    flockfile(f);
    for (;;) {
        int c = getc_unlocked(f);
        if (c == EOF)
            break;
        got = true;
        any = true;
        if (c == '\n' && state != S_QUOTED) {
            nl++;
            ended = true;
            break;
        }
        if (pending_cr) {
            rsink_put(&s, '\r');
            pending_cr = false;
        }
        if (c == '\n') {
            nl++;
            any = false;
        }
        if (c == '\r' && state != S_QUOTED) {
            pending_cr = true;
        } else {
            rsink_put(&s, (char)c);
        }
        if (!csv)
            continue;
        switch (state) {
        case S_START:
            if (c == '"')
                state = S_QUOTED;
            else if (c != ',' && c != ' ' && c != '\t')
                state = S_UNQUOTED;
            break;
        case S_UNQUOTED:
            if (c == ',')
                state = S_START;
            break;
        case S_QUOTED:
            if (c == '"')
                state = S_QUOTE_SEEN;
            break;
        case S_QUOTE_SEEN:
            /* "" is an escaped quote; anything else closed the field */
            state = c == '"' ? S_QUOTED : c == ',' ? S_START : S_UNQUOTED;
            break;
        }
    }
    bool ioerr = ferror(f) != 0;
    int err = errno;
    funlockfile(f);
    rsink_flush(&s);
    if (lines)
        *lines = nl + (any && !ended ? 1 : 0);

    if (ioerr) {
        rc = emb_err_set(EMB_EIO, "read error: %s", strerror(err));
    } else if (s.rc == EMB_ETOOBIG) {
        rc = emb_err_set(EMB_ETOOBIG, "record longer than %u bytes", EMB_QREC_MAX_BYTES);
    } else if (s.rc < 0) {
        rc = emb_err_set(s.rc, "out of memory reading a record");
    } else if (!got) {
        rc = 0;
    } else if (csv && state == S_QUOTED) {
        rc = emb_err_set(EMB_EPARSE, "unterminated quoted field at end of input");
    } else {
        /* an empty record still gets storage: out->ptr is never NULL */
        rc = emb_buf_append(out, "", 0) < 0 ? emb_err_set(EMB_ENOMEM, "out of memory") : 1;
    }
    return rc;
}

int emb_csv_read_record(FILE *f, emb_buf *out, size_t *lines)
{
    return read_record(f, out, lines, true);
}

int emb_read_line(FILE *f, emb_buf *out)
{
    return read_record(f, out, NULL, false);
}
