/*
 * ofac_csv.c - loader for OFAC's legacy SDN CSV set: sdn.csv alone, or with
 * add.csv, alt.csv and sdn_comments.csv beside it (joined on ent_num).
 *
 * The files have no header row, double-quoted text fields, `-0-` (usually
 * with a trailing space) as null, CRLF line ends and a trailing Ctrl-Z. Text
 * is ASCII in practice; a file that is valid UTF-8 is read as UTF-8, any
 * other is decoded as Windows-1252. Most facts about an entry (birth dates
 * and places, nationality, documents, IMO and MMSI numbers, weak aliases)
 * are in the Remarks mini-language, parsed item by item after the
 * sdn_comments.csv overflow is appended.
 *
 * Invariant: a load succeeds completely or not at all. A malformed record
 * (wrong field count, bad quoting, NUL byte) fails it with "file:line: ...",
 * and the model is rolled back to the lists and entities it held before.
 */
#include "util/compat.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "load/load.h"
#include "model/ident.h"
#include "text/country.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/err.h"

#define OFAC_MAX_LINE (1024u * 1024u)           /* bytes of one record (and one field) */
#define OFAC_MAX_SIDE ((size_t)256 << 20)        /* bytes of add/alt/sdn_comments.csv */
#define OFAC_MAX_FIELDS 16
#define OFAC_SDN_FIELDS 12

enum { F_ENT, F_NAME, F_TYPE, F_PROGRAM, F_TITLE, F_CALL_SIGN, F_VESS_TYPE, F_TONNAGE, F_GRT,
       F_FLAG, F_OWNER, F_REMARKS };

/* ---- CSV records ----------------------------------------------------------- */

typedef struct csv {
    const char *label;           /* file name for messages */
    const unsigned char *p, *end;
    bool utf8;                   /* the file is valid UTF-8: copy bytes as they are */
    size_t line;                 /* line of the next record */
    size_t rec_line;             /* line where the current record starts */
    emb_buf buf;                 /* the record's fields, each NUL-terminated */
    size_t off[OFAC_MAX_FIELDS];
    bool null[OFAC_MAX_FIELDS];
    size_t nf;
} csv;

/* Windows-1252 0x80..0x9F; 0 marks the five undefined bytes (-> U+FFFD). */
static const uint16_t cp1252_hi[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

static bool is_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t k = emb_utf8_seq_len(s + i, n - i);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

static int put_byte(csv *c, unsigned char b)
{
    if (b < 0x80 || c->utf8)
        return emb_buf_putc(&c->buf, (char)b);
    unsigned u = b < 0xA0 ? cp1252_hi[b - 0x80] : b;
    if (!u)
        u = 0xFFFD;
    char o[3];
    size_t n;
    if (u < 0x800) {
        o[0] = (char)(0xC0 | (u >> 6));
        o[1] = (char)(0x80 | (u & 0x3F));
        n = 2;
    } else {
        o[0] = (char)(0xE0 | (u >> 12));
        o[1] = (char)(0x80 | ((u >> 6) & 0x3F));
        o[2] = (char)(0x80 | (u & 0x3F));
        n = 3;
    }
    return emb_buf_append(&c->buf, o, n);
}

static void csv_init(csv *c, const char *label, const void *data, size_t len)
{
    memset(c, 0, sizeof(*c));
    c->label = label;
    c->p = data;
    c->end = c->p + len;
    while (c->end > c->p && c->end[-1] == 0x1A)   /* DOS end-of-file mark */
        c->end--;
    c->utf8 = is_utf8(c->p, (size_t)(c->end - c->p));
    c->line = 1;
    emb_buf_init(&c->buf, OFAC_MAX_LINE);
}

static int csv_fail(const csv *c, int code, const char *what)
{
    return emb_err_set(code, "%s:%zu: %s", c->label, c->rec_line, what);
}

static int csv_put(csv *c, unsigned char b)
{
    if (b == 0)
        return csv_fail(c, EMB_EPARSE, "NUL byte in a record");
    int rc = put_byte(c, b);
    if (rc == EMB_ETOOBIG)
        return emb_err_set(rc, "%s:%zu: record longer than %u bytes", c->label, c->rec_line,
                           OFAC_MAX_LINE);
    if (rc < 0)
        return emb_err_set(rc, "%s: out of memory", c->label);
    return EMB_OK;
}

/* The field f of the current record, or NULL when it is null (-0-). */
static const char *csv_field(const csv *c, size_t f)
{
    if (f >= c->nf || c->null[f])
        return NULL;
    return c->buf.ptr + c->off[f];
}

/* Read the next record, which must have `want` fields. *eof set at the end. */
static int csv_next(csv *c, size_t want, bool *eof)
{
    int rc;
    *eof = false;
    emb_buf_clear(&c->buf);
    c->nf = 0;
    /* blank lines carry no record */
    while (c->p < c->end && (*c->p == '\r' || *c->p == '\n')) {
        if (*c->p == '\n' || c->p + 1 == c->end || c->p[1] != '\n')
            c->line++;
        c->p++;
    }
    if (c->p == c->end) {
        *eof = true;
        return EMB_OK;
    }
    c->rec_line = c->line;
    for (;;) {
        if (c->nf == OFAC_MAX_FIELDS) {
            char m[96];
            snprintf(m, sizeof(m), "more than %d fields, expected %zu", OFAC_MAX_FIELDS, want);
            return csv_fail(c, EMB_EPARSE, m);
        }
        size_t start = c->buf.len;
        c->off[c->nf] = start;
        bool quoted = false;
        if (c->p < c->end && *c->p == '"') {
            quoted = true;
            c->p++;
            for (;;) {
                if (c->p == c->end) {
                    char m[80];
                    snprintf(m, sizeof(m), "field %zu: quoted field not closed", c->nf + 1);
                    return csv_fail(c, EMB_EPARSE, m);
                }
                unsigned char b = *c->p;
                if (b == '"') {
                    if (c->p + 1 < c->end && c->p[1] == '"') {
                        c->p += 2;
                        if ((rc = csv_put(c, '"')) < 0)
                            return rc;
                        continue;
                    }
                    c->p++;
                    break;
                }
                if (b == '\n')
                    c->line++;
                if ((rc = csv_put(c, b)) < 0)
                    return rc;
                c->p++;
            }
            while (c->p < c->end && *c->p == ' ')
                c->p++;
            if (c->p < c->end && *c->p != ',' && *c->p != '\r' && *c->p != '\n') {
                char m[96];
                snprintf(m, sizeof(m), "field %zu: text after the closing quote", c->nf + 1);
                return csv_fail(c, EMB_EPARSE, m);
            }
        } else {
            while (c->p < c->end && *c->p != ',' && *c->p != '\r' && *c->p != '\n') {
                if (*c->p == '"') {
                    char m[96];
                    snprintf(m, sizeof(m), "field %zu: quote inside an unquoted field",
                             c->nf + 1);
                    return csv_fail(c, EMB_EPARSE, m);
                }
                if ((rc = csv_put(c, *c->p)) < 0)
                    return rc;
                c->p++;
            }
        }
        /* "-0- " is OFAC's null */
        const char *v = c->buf.len > start ? c->buf.ptr + start : "";
        size_t n = c->buf.len - start;
        while (n && (v[0] == ' ' || v[0] == '\t')) {
            v++;
            n--;
        }
        while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
            n--;
        c->null[c->nf] = (n == 3 && memcmp(v, "-0-", 3) == 0) || (!quoted && n == 0);
        if ((rc = emb_buf_putc(&c->buf, '\0')) < 0)
            return rc == EMB_ETOOBIG
                       ? emb_err_set(rc, "%s:%zu: record longer than %u bytes", c->label,
                                     c->rec_line, OFAC_MAX_LINE)
                       : emb_err_set(rc, "%s: out of memory", c->label);
        c->nf++;
        if (c->p < c->end && *c->p == ',') {
            c->p++;
            continue;
        }
        if (c->p < c->end) {   /* end of line: CRLF, LF or a lone CR */
            if (*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n')
                c->p++;
            c->p++;
            c->line++;
        }
        break;
    }
    if (c->nf != want) {
        char m[64];
        snprintf(m, sizeof(m), "%zu fields, expected %zu", c->nf, want);
        return csv_fail(c, EMB_EPARSE, m);
    }
    return EMB_OK;
}

/* ent_num: 1 to 15 digits. */
static bool parse_ent(const char *s, long long *out)
{
    if (!s)
        return false;
    while (*s == ' ')
        s++;
    long long v = 0;
    size_t n = 0;
    for (; isdigit((unsigned char)*s); s++, n++) {
        if (n == 15)
            return false;
        v = v * 10 + (*s - '0');
    }
    while (*s == ' ')
        s++;
    if (!n || *s)
        return false;
    *out = v;
    return true;
}

/* ---- detection ---------------------------------------------------------------- */

/* The first line is "<digits>,"...", with 12 fields. */
static int detect(const char *data, size_t len)
{
    if (!data || !len)
        return 0;
    size_t n = len < OFAC_MAX_LINE ? len : OFAC_MAX_LINE;
    size_t i = 0;
    while (i < n && isdigit((unsigned char)data[i]))
        i++;
    if (i == 0 || i > 15 || i + 1 >= n || data[i] != ',' || data[i + 1] != '"')
        return 0;
    size_t fields = 1;
    bool inq = false;
    for (; i < n; i++) {
        char c = data[i];
        if (c == '"')
            inq = !inq;   /* "" inside a quoted field toggles twice */
        else if (c == ',' && !inq)
            fields++;
        else if ((c == '\r' || c == '\n') && !inq)
            break;
        else if (c == '\0')
            return 0;
    }
    return !inq && fields == OFAC_SDN_FIELDS;
}

/* ---- the sibling files ---------------------------------------------------------- */

typedef struct side_row {
    long long ent;
    size_t seq;               /* file order, to keep it among equal ent_nums */
    const char *v[4];         /* arena strings (NULL for null) */
} side_row;

typedef struct side {
    side_row *rows;
    size_t n;
} side;

typedef struct ofac_state {
    emb_model *m;
    const char *label;
    const char *list_id;
    size_t list_idx;
    emb_draft d;
    side add, alt, comments;
    emb_buf remarks;          /* Remarks plus overflow */
    long long *ents;          /* ent_nums loaded, for the uniqueness check */
    size_t *ent_lines;
    size_t nents;
    size_t nby_schema[5];
} ofac_state;

static int oom(const ofac_state *st)
{
    return emb_err_set(EMB_ENOMEM, "%s: out of memory", st->label);
}

static int str_of(ofac_state *st, const char *s, size_t n, const char **out)
{
    int rc = EMB_OK;
    *out = emb_model_str(st->m, s, n, &rc);
    return rc < 0 ? oom(st) : EMB_OK;
}

static int cmp_side(const void *a, const void *b)
{
    const side_row *x = a, *y = b;
    if (x->ent != y->ent)
        return x->ent < y->ent ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Rows of s with ent_num ent: *first and the count. */
static size_t side_find(const side *s, long long ent, size_t *first)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->rows[mid].ent < ent)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t k = lo;
    while (k < s->n && s->rows[k].ent == ent)
        k++;
    *first = lo;
    return k - lo;
}

static int read_file(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return emb_err_set(EMB_EIO, "%s: cannot open: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fclose(f);
        return emb_err_set(EMB_EIO, "%s: not a regular file", path);
    }
    if ((size_t)sb.st_size > OFAC_MAX_SIDE) {
        fclose(f);
        return emb_err_set(EMB_ETOOBIG, "%s: larger than %zu bytes", path, OFAC_MAX_SIDE);
    }
    size_t n = (size_t)sb.st_size;
    char *b = emb_malloc(n + 1);
    if (!b) {
        fclose(f);
        return emb_err_set(EMB_ENOMEM, "%s: out of memory", path);
    }
    size_t got = fread(b, 1, n, f);
    int err = ferror(f);
    fclose(f);
    if (err || got != n) {
        emb_free(b);
        return emb_err_set(EMB_EIO, "%s: read error", path);
    }
    *out = b;
    *len = n;
    return EMB_OK;
}

/* Read dir/name if it exists: rows of `want` fields; keep fields cols[0..ncols)
 * (after ent_num). A file that is absent is no error. */
static int load_side(ofac_state *st, const char *dir, const char *name, size_t want,
                     const int *cols, size_t ncols, side *out)
{
    size_t dl = strlen(dir), nl = strlen(name);
    char *path = emb_malloc(dl + nl + 2);
    if (!path)
        return oom(st);
    memcpy(path, dir, dl);
    path[dl] = '/';
    memcpy(path + dl + 1, name, nl + 1);
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        emb_free(path);
        return EMB_OK;
    }
    char *data = NULL;
    size_t len = 0;
    int rc = read_file(path, &data, &len);
    if (rc < 0) {
        emb_free(path);
        return rc;
    }
    csv c;
    csv_init(&c, path, data, len);
    for (;;) {
        bool eof;
        if ((rc = csv_next(&c, want, &eof)) < 0 || eof)
            break;
        side_row r;
        memset(&r, 0, sizeof(r));
        if (!parse_ent(csv_field(&c, 0), &r.ent)) {
            rc = csv_fail(&c, EMB_EPARSE, "ent_num is not a number");
            break;
        }
        r.seq = out->n;
        for (size_t i = 0; i < ncols; i++) {
            const char *v = csv_field(&c, (size_t)cols[i]);
            if (v && (rc = str_of(st, v, strlen(v), &r.v[i])) < 0)
                break;
        }
        if (rc < 0)
            break;
        if ((rc = emb_grow(&out->rows, out->n, sizeof(*out->rows), EMB_MODEL_MAX_ENTITIES * 4u)) < 0) {
            rc = rc == EMB_ETOOBIG ? csv_fail(&c, rc, "too many rows") : oom(st);
            break;
        }
        out->rows[out->n++] = r;
    }
    if (rc >= 0 && out->n)
        qsort(out->rows, out->n, sizeof(*out->rows), cmp_side);
    emb_buf_dispose(&c.buf);
    emb_free(data);
    emb_free(path);
    return rc;
}

/* When label is an existing sdn.csv-like file, its directory; else NULL. */
static char *sibling_dir(const char *label)
{
    struct stat sb;
    if (!label || stat(label, &sb) != 0 || !S_ISREG(sb.st_mode))
        return NULL;
    const char *slash = strrchr(label, '/');
    const char *base = slash ? slash + 1 : label;
    if (strcmp(base, "add.csv") == 0 || strcmp(base, "alt.csv") == 0 ||
        strcmp(base, "sdn_comments.csv") == 0)
        return NULL;
    if (!slash)
        return emb_strdup(".");
    if (slash == label)
        return emb_strdup("/");
    return emb_strndup(label, (size_t)(slash - label));
}

/* ---- Remarks ------------------------------------------------------------------- */

static bool prefix(const char *s, size_t n, const char *lit, size_t *after)
{
    size_t k = strlen(lit);
    if (n < k || strncmp(s, lit, k) != 0)
        return false;
    *after = k;
    return true;
}

/* "10 Dec 1948", "Dec 1948", "1962", "circa 1947", "1960 to 1962",
 * "01 Jan 1960 to 31 Dec 1962" (a range of years: the model keeps no
 * months in a range). */
static int add_dob(ofac_state *st, const char *s, size_t n)
{
    emb_date v;
    if (!emb_ofac_date(s, n, &v))
        return EMB_OK;   /* not a date we can compare: it stays in the remarks */
    int rc = str_of(st, s, n, &v.raw);
    if (rc < 0)
        return rc;
    return emb_draft_add_date(&st->d, &v);
}

/* Text and ISO code of a country name as written. */
static int country_of(ofac_state *st, const char *s, size_t n, const char **name,
                      const char **cc)
{
    int rc = str_of(st, s, n, name);
    *cc = *name ? emb_country_code(*name) : NULL;
    return rc;
}

static int add_pob(ofac_state *st, const char *s, size_t n)
{
    emb_place p;
    memset(&p, 0, sizeof(p));
    int rc;
    const char *comma = NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',')
            comma = s + i;
    if (comma) {
        if ((rc = country_of(st, comma + 1, (size_t)(s + n - comma - 1), &p.country, &p.cc)) < 0 ||
            (rc = str_of(st, s, (size_t)(comma - s), &p.city)) < 0)
            return rc;
    } else {
        if ((rc = country_of(st, s, n, &p.country, &p.cc)) < 0)
            return rc;
        if (!p.cc) {   /* a town alone */
            p.city = p.country;
            p.country = NULL;
        }
    }
    if (!p.city && !p.country)
        return EMB_OK;
    return emb_draft_add_birth_place(&st->d, &p);
}

static int add_country(ofac_state *st, const char *s, size_t n)
{
    emb_country c;
    int rc = country_of(st, s, n, &c.name, &c.cc);
    if (rc < 0 || !c.name)
        return rc;
    for (size_t i = 0; i < st->d.e.nnationalities; i++)
        if (strcmp(st->d.e.nationalities[i].name, c.name) == 0)
            return EMB_OK;
    return emb_draft_add_nationality(&st->d, &c);
}

static int norm_of(ofac_state *st, const char *number, const char **out)
{
    int rc = EMB_OK;
    *out = emb_model_ident(st->m, number, &rc);
    return rc < 0 ? oom(st) : EMB_OK;
}

/* "<type> <number>[ (<country>)][ <note>]" after the type. */
static int add_ident(ofac_state *st, emb_id_kind kind, const char *type, const char *s, size_t n)
{
    emb_identifier id;
    memset(&id, 0, sizeof(id));
    id.kind = kind;
    id.type = type;
    int rc;
    const char *open = memchr(s, '(', n);
    const char *close = open ? memchr(open, ')', (size_t)(s + n - open)) : NULL;
    size_t numlen = open && close ? (size_t)(open - s) : n;
    const char *rest = NULL;
    size_t restlen = 0;
    if (open && close) {
        if ((rc = country_of(st, open + 1, (size_t)(close - open - 1), &id.country, &id.cc)) < 0)
            return rc;
        rest = close + 1;
        restlen = (size_t)(s + n - rest);
    }
    if ((rc = str_of(st, s, numlen, &id.number)) < 0)
        return rc;
    if (!id.number)
        return EMB_OK;
    if (rest && (rc = str_of(st, rest, restlen, &id.note)) < 0)
        return rc;
    if ((rc = norm_of(st, id.number, &id.norm)) < 0)
        return rc;
    if (!id.norm)
        return EMB_OK;
    return emb_draft_add_identifier(&st->d, &id);
}

/* "Vessel Registration Identification IMO 9187629": on a vessel row a ship
 * IMO only when the check digit holds, otherwise kept as an ordinary
 * identifier; on any other row an IMO company number. */
static int add_imo(ofac_state *st, const char *s, size_t n)
{
    char *t = emb_strndup(s, n);
    if (!t)
        return oom(st);
    char d[8];
    int found = emb_imo_extract(t, d);
    emb_free(t);
    if (!found)
        return add_ident(st, EMB_ID_OTHER, "Vessel Registration Identification", s, n);
    emb_identifier id;
    memset(&id, 0, sizeof(id));
    int rc = str_of(st, d, 7, &id.number);
    if (rc < 0)
        return rc;
    id.norm = id.number;
    if (st->d.e.schema != EMB_SCHEMA_VESSEL && st->d.e.schema != EMB_SCHEMA_UNKNOWN) {
        /* a shipping company's row ("CHONGBONG SHIPPING CO LTD ... IMO
         * 5878589"): its IMO company number, where the ship check does not apply */
        id.kind = EMB_ID_IMO_COMPANY;
        id.type = "IMO company number";
    } else if (emb_imo_valid(d)) {
        id.kind = EMB_ID_IMO;
        id.type = "IMO";
    } else {
        id.kind = EMB_ID_OTHER;
        id.type = "IMO (check digit invalid)";
    }
    for (size_t i = 0; i < st->d.e.nidentifiers; i++)
        if (st->d.e.identifiers[i].kind == id.kind &&
            strcmp(st->d.e.identifiers[i].number, id.number) == 0)
            return EMB_OK;
    return emb_draft_add_identifier(&st->d, &id);
}

/* "a.k.a. 'NAME'": the text between the first and the last quote. */
static int add_quoted_alias(ofac_state *st, const char *s, size_t n, emb_name_kind kind)
{
    const char *a = memchr(s, '\'', n);
    if (!a)
        return EMB_OK;
    const char *b = s + n;
    while (b > a + 1 && b[-1] != '\'')
        b--;
    size_t len = b > a + 1 ? (size_t)(b - 1 - a - 1) : (size_t)(s + n - a - 1);
    emb_name nm;
    memset(&nm, 0, sizeof(nm));
    int rc = str_of(st, a + 1, len, &nm.full);
    if (rc < 0 || !nm.full)
        return rc;
    nm.kind = kind;
    return emb_draft_add_name(&st->d, &nm);
}

typedef struct id_key {
    const char *key;          /* item prefix, followed by a space */
    emb_id_kind kind;
} id_key;

/* Remarks items that are identifiers. Longest keys first where one is the
 * prefix of another. */
static const id_key id_keys[] = {
    {"Passport", EMB_ID_PASSPORT},
    {"Diplomatic Passport", EMB_ID_PASSPORT},
    {"National ID No.", EMB_ID_NATIONAL},
    {"Cedula No.", EMB_ID_NATIONAL},
    {"Identification Number", EMB_ID_NATIONAL},
    {"Personal ID Card", EMB_ID_NATIONAL},
    {"C.U.R.P.", EMB_ID_NATIONAL},
    {"D.N.I.", EMB_ID_NATIONAL},
    {"Registration Number", EMB_ID_REGISTRATION},
    {"Registration ID", EMB_ID_REGISTRATION},
    {"Business Registration Number", EMB_ID_REGISTRATION},
    {"Company Number", EMB_ID_REGISTRATION},
    {"Commercial Registry Number", EMB_ID_REGISTRATION},
    {"Unified Social Credit Code (USCC)", EMB_ID_REGISTRATION},
    {"Business Number", EMB_ID_REGISTRATION},
    {"Tax ID No.", EMB_ID_OTHER},
    {"NIT #", EMB_ID_OTHER},
    {"RUC #", EMB_ID_OTHER},
    {"R.F.C.", EMB_ID_OTHER},
    {"V.A.T. Number", EMB_ID_OTHER},
    {"SWIFT/BIC", EMB_ID_OTHER},
    {"Aircraft Tail Number", EMB_ID_OTHER},
    {"Aircraft Manufacturer's Serial Number (MSN)", EMB_ID_OTHER},
};

static int remark_item(ofac_state *st, const char *s, size_t n)
{
    size_t k;
    if (prefix(s, n, "alt. ", &k)) {
        s += k;
        n -= k;
    }
    if (prefix(s, n, "DOB ", &k))
        return add_dob(st, s + k, n - k);
    if (prefix(s, n, "POB ", &k))
        return add_pob(st, s + k, n - k);
    if (prefix(s, n, "nationality ", &k) || prefix(s, n, "citizen ", &k))
        return add_country(st, s + k, n - k);
    if (prefix(s, n, "Gender ", &k)) {
        if (n - k == 4 && strncasecmp(s + k, "male", 4) == 0)
            st->d.e.gender = "male";
        else if (n - k == 6 && strncasecmp(s + k, "female", 6) == 0)
            st->d.e.gender = "female";
        return EMB_OK;
    }
    if (prefix(s, n, "a.k.a. ", &k) || prefix(s, n, "n.k.a. ", &k))
        return add_quoted_alias(st, s + k, n - k, prefix(s, n, "a.k.a. ", &k) ? EMB_NAME_WEAK
                                                                                : EMB_NAME_ALIAS);
    if (prefix(s, n, "f.k.a. ", &k))
        return add_quoted_alias(st, s + k, n - k, EMB_NAME_FORMER);
    if (prefix(s, n, "Vessel Registration Identification ", &k))
        return add_imo(st, s + k, n - k);
    /* "Identification Number IMO 9339301", "Company Number IMO 5434358": a ship's
     * number on a vessel row, an IMO company number on any other */
    if (prefix(s, n, "Identification Number IMO ", &k) ||
        prefix(s, n, "Company Number IMO ", &k)) {
        return add_imo(st, s + k - 4, n - k + 4);
    }
    if (prefix(s, n, "MMSI ", &k))
        return add_ident(st, EMB_ID_MMSI, "MMSI", s + k, n - k);
    if (prefix(s, n, "Aircraft Operator ", &k) && !st->d.e.owner)
        return str_of(st, s + k, n - k, &st->d.e.owner);
    const id_key *best = NULL;
    size_t bestlen = 0;
    for (size_t i = 0; i < EMB_ARRAY_LEN(id_keys); i++) {
        size_t kl = strlen(id_keys[i].key);
        if (kl + 1 < n && kl > bestlen && strncmp(s, id_keys[i].key, kl) == 0 && s[kl] == ' ') {
            best = &id_keys[i];
            bestlen = kl;
        }
    }
    if (best)
        return add_ident(st, best->kind, best->key, s + bestlen + 1, n - bestlen - 1);
    return EMB_OK;   /* Linked To:, sanctions flags, free text: remarks only */
}

static int parse_remarks(ofac_state *st, const char *r)
{
    size_t n = strlen(r);
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && r[j] != ';')
            j++;
        const char *s = r + i;
        size_t len = j - i;
        while (len && isspace((unsigned char)*s)) {
            s++;
            len--;
        }
        while (len && isspace((unsigned char)s[len - 1]))
            len--;
        if (j == n && len && s[len - 1] == '.')   /* the remarks end with a full stop */
            len--;
        int rc;
        if (len && (rc = remark_item(st, s, len)) < 0)
            return rc;
        i = j + 1;
    }
    return EMB_OK;
}

/* ---- records ---------------------------------------------------------------------- */

static int wrap(const ofac_state *st, const csv *c, int rc)
{
    return emb_err_set(rc, "%s:%zu: ent_num %s: %s", st->label, c->rec_line,
                       csv_field(c, F_ENT) ? csv_field(c, F_ENT) : "?", emb_err_last());
}

static int sdn_record(ofac_state *st, const csv *c)
{
    emb_entity *e = &st->d.e;
    int rc;
    long long ent;
    if (!parse_ent(csv_field(c, F_ENT), &ent))
        return csv_fail(c, EMB_EPARSE, "ent_num is not a number");
    const char *type = csv_field(c, F_TYPE);
    emb_schema schema;
    if (!type)
        schema = EMB_SCHEMA_ORGANIZATION;
    else if (strcmp(type, "individual") == 0)
        schema = EMB_SCHEMA_PERSON;
    else if (strcmp(type, "vessel") == 0)
        schema = EMB_SCHEMA_VESSEL;
    else if (strcmp(type, "aircraft") == 0)
        schema = EMB_SCHEMA_AIRCRAFT;
    else
        return csv_fail(c, EMB_EPARSE, "unknown SDN_Type");
    const char *name = csv_field(c, F_NAME), *full = NULL;
    if (name && (rc = str_of(st, name, strlen(name), &full)) < 0)
        return rc;
    if (!full)
        return csv_fail(c, EMB_EPARSE, "no SDN_Name");

    char num[24];
    snprintf(num, sizeof(num), "%lld", ent);
    if ((rc = str_of(st, num, strlen(num), &e->reference)) < 0)
        return rc;
    size_t nl = strlen(st->list_id), nn = strlen(num);
    char *id = emb_arena_alloc(&st->m->arena, nl + nn + 2);
    if (!id)
        return oom(st);
    memcpy(id, st->list_id, nl);
    id[nl] = '-';
    memcpy(id + nl + 1, num, nn + 1);
    e->id = id;
    e->list = st->list_id;
    e->list_index = st->list_idx;
    e->schema = schema;

    emb_name primary;
    memset(&primary, 0, sizeof(primary));
    primary.full = full;
    primary.kind = EMB_NAME_PRIMARY;
    if ((rc = emb_draft_add_name(&st->d, &primary)) < 0)
        return wrap(st, c, rc);
    /* "SURNAME, Given" is also matched as "Given SURNAME" */
    const char *comma = strstr(full, ", ");
    if (schema == EMB_SCHEMA_PERSON && comma && comma > full && comma[2]) {
        size_t sl = (size_t)(comma - full), gl = strlen(comma + 2);
        char *r = emb_arena_alloc(&st->m->arena, sl + gl + 2);
        if (!r)
            return oom(st);
        memcpy(r, comma + 2, gl);
        r[gl] = ' ';
        memcpy(r + gl + 1, full, sl);
        r[gl + 1 + sl] = '\0';
        emb_name alias;
        memset(&alias, 0, sizeof(alias));
        alias.full = r;
        alias.kind = EMB_NAME_ALIAS;
        if ((rc = emb_draft_add_name(&st->d, &alias)) < 0)
            return wrap(st, c, rc);
    }

    /* programmes: "SDGT] [IFSR" */
    const char *prog = csv_field(c, F_PROGRAM);
    for (const char *p = prog; p && *p;) {
        const char *q = strstr(p, "] [");
        size_t len = q ? (size_t)(q - p) : strlen(p);
        const char *s = p;
        size_t sl = len;
        while (sl && (*s == '[' || *s == ' ')) {
            s++;
            sl--;
        }
        while (sl && (s[sl - 1] == ']' || s[sl - 1] == ' '))
            sl--;
        const char *v;
        if ((rc = str_of(st, s, sl, &v)) < 0)
            return rc;
        if (v && (rc = emb_draft_add_program(&st->d, v)) < 0)
            return wrap(st, c, rc);
        p = q ? q + 3 : p + len;
    }
    e->regime = e->program;

    const char *title = csv_field(c, F_TITLE);
    if (title) {
        const char *v;
        if ((rc = str_of(st, title, strlen(title), &v)) < 0)
            return rc;
        if (v && (rc = emb_draft_add_title(&st->d, v)) < 0)
            return wrap(st, c, rc);
    }
    static const int vcols[5] = {F_CALL_SIGN, F_VESS_TYPE, F_TONNAGE, F_FLAG, F_OWNER};
    const char **vout[5] = {&e->call_sign, &e->vessel_type, &e->tonnage, &e->flag, &e->owner};
    for (size_t i = 0; i < 5; i++) {
        const char *v = csv_field(c, (size_t)vcols[i]);
        if (v && (rc = str_of(st, v, strlen(v), vout[i])) < 0)
            return rc;
    }
    if (!e->tonnage && csv_field(c, F_GRT)) {
        const char *g = csv_field(c, F_GRT);
        if ((rc = str_of(st, g, strlen(g), &e->tonnage)) < 0)
            return rc;
    }
    if (e->flag)
        e->flag_cc = emb_country_code(e->flag);

    /* remarks, with the sdn_comments.csv overflow (cut mid-word: no separator) */
    size_t first, k;
    emb_buf_clear(&st->remarks);
    const char *rm = csv_field(c, F_REMARKS);
    if (rm && (rc = emb_buf_puts(&st->remarks, rm)) < 0)
        goto buf_fail;
    k = side_find(&st->comments, ent, &first);
    for (size_t i = 0; i < k; i++) {
        const char *more = st->comments.rows[first + i].v[0];
        if (more && (rc = emb_buf_puts(&st->remarks, more)) < 0)
            goto buf_fail;
    }
    if (st->remarks.len) {
        if ((rc = str_of(st, st->remarks.ptr, st->remarks.len, &e->remarks)) < 0)
            return rc;
        if (e->remarks && (rc = parse_remarks(st, e->remarks)) < 0)
            return wrap(st, c, rc);
    }

    /* aliases from alt.csv: ent_num, alt_num, type, name, remarks */
    k = side_find(&st->alt, ent, &first);
    for (size_t i = 0; i < k; i++) {
        const side_row *r = &st->alt.rows[first + i];
        if (!r->v[1])
            continue;
        emb_name a;
        memset(&a, 0, sizeof(a));
        a.full = r->v[1];
        a.kind = r->v[0] && strcasecmp(r->v[0], "fka") == 0 ? EMB_NAME_FORMER : EMB_NAME_ALIAS;
        a.note = r->v[2];
        if ((rc = emb_draft_add_name(&st->d, &a)) < 0)
            return wrap(st, c, rc);
    }
    /* addresses from add.csv: ent_num, add_num, address, city..., country, remarks */
    k = side_find(&st->add, ent, &first);
    for (size_t i = 0; i < k; i++) {
        const side_row *r = &st->add.rows[first + i];
        if (!r->v[0] && !r->v[1] && !r->v[2])
            continue;
        emb_place p;
        memset(&p, 0, sizeof(p));
        p.street = r->v[0];
        p.city = r->v[1];
        p.country = r->v[2];
        p.cc = p.country ? emb_country_code(p.country) : NULL;
        p.note = r->v[3];
        if ((rc = emb_draft_add_address(&st->d, &p)) < 0)
            return wrap(st, c, rc);
    }

    if ((rc = emb_model_commit(st->m, &st->d)) < 0)
        return wrap(st, c, rc);
    st->nby_schema[schema]++;
    if ((rc = emb_grow(&st->ents, st->nents, sizeof(*st->ents), EMB_MODEL_MAX_ENTITIES)) < 0 ||
        (rc = emb_grow(&st->ent_lines, st->nents, sizeof(*st->ent_lines),
                       EMB_MODEL_MAX_ENTITIES)) < 0)
        return rc == EMB_ETOOBIG ? csv_fail(c, rc, "too many records") : oom(st);
    st->ents[st->nents] = ent;
    st->ent_lines[st->nents] = c->rec_line;
    st->nents++;
    return EMB_OK;
buf_fail:
    if (rc == EMB_ETOOBIG)
        return emb_err_set(rc, "%s:%zu: remarks longer than %u bytes", st->label, c->rec_line,
                           OFAC_MAX_LINE);
    return oom(st);
}

/* ent_num is the list's key: the same number twice makes the file unusable. */
static int check_unique(ofac_state *st)
{
    if (st->nents < 2)
        return EMB_OK;
    side s;
    s.n = st->nents;
    s.rows = emb_malloc(s.n * sizeof(*s.rows));
    if (!s.rows)
        return oom(st);
    for (size_t i = 0; i < s.n; i++) {
        memset(&s.rows[i], 0, sizeof(s.rows[i]));
        s.rows[i].ent = st->ents[i];
        s.rows[i].seq = st->ent_lines[i];
    }
    qsort(s.rows, s.n, sizeof(*s.rows), cmp_side);
    int rc = EMB_OK;
    for (size_t i = 1; i < s.n && rc == EMB_OK; i++)
        if (s.rows[i].ent == s.rows[i - 1].ent)
            rc = emb_err_set(EMB_EPARSE, "%s:%zu: ent_num %lld repeats line %zu", st->label,
                             s.rows[i].seq, s.rows[i].ent, s.rows[i - 1].seq);
    emb_free(s.rows);
    return rc;
}

static int load(emb_model *m, const char *label, const void *data, size_t len)
{
    static const int add_cols[4] = {2, 3, 4, 5};
    static const int alt_cols[3] = {2, 3, 4};
    static const int com_cols[1] = {1};
    if (!label)
        label = "(memory)";
    if (!m || (!data && len))
        return emb_err_set(EMB_EINVAL, "%s: no model or no data", label);

    ofac_state st;
    memset(&st, 0, sizeof(st));
    st.m = m;
    st.label = label;
    emb_draft_init(&st.d);
    emb_buf_init(&st.remarks, OFAC_MAX_LINE);
    size_t nlists0 = m->nlists, nentities0 = m->nentities;
    csv c;
    csv_init(&c, label, data, len);
    int rc = EMB_OK;
    char *dir = NULL;

    if (c.p == c.end) {
        rc = emb_err_set(EMB_EPARSE, "%s:1: empty file", label);
        goto cleanup;
    }
    dir = sibling_dir(label);
    if (dir && ((rc = load_side(&st, dir, "add.csv", 6, add_cols, 4, &st.add)) < 0 ||
                (rc = load_side(&st, dir, "alt.csv", 5, alt_cols, 3, &st.alt)) < 0 ||
                (rc = load_side(&st, dir, "sdn_comments.csv", 2, com_cols, 1, &st.comments)) < 0))
        goto cleanup;
    if ((rc = emb_model_add_list(m, "ofac", "OFAC Specially Designated Nationals (SDN) List",
                                 "ofac-csv", label, NULL, &st.list_idx)) < 0)
        goto cleanup;
    st.list_id = m->lists[st.list_idx].id;
    for (;;) {
        bool eof;
        if ((rc = csv_next(&c, OFAC_SDN_FIELDS, &eof)) < 0)
            goto cleanup;
        if (eof)
            break;
        if ((rc = sdn_record(&st, &c)) < 0)
            goto cleanup;
    }
    if ((rc = check_unique(&st)) < 0)
        goto cleanup;

    emb_list_info *li = &m->lists[st.list_idx];
    li->nentities = st.nents;
    for (size_t i = 0; i < EMB_ARRAY_LEN(li->nby_schema); i++)
        li->nby_schema[i] = st.nby_schema[i];

cleanup:
    if (rc < 0) {
        /* no partial list: forget what this call added (its strings stay in
         * the arena until the model is disposed) */
        m->nlists = nlists0;
        m->nentities = nentities0;
    }
    emb_free(dir);
    emb_buf_dispose(&c.buf);
    emb_buf_dispose(&st.remarks);
    emb_draft_dispose(&st.d);
    emb_free(st.add.rows);
    emb_free(st.alt.rows);
    emb_free(st.comments.rows);
    emb_free(st.ents);
    emb_free(st.ent_lines);
    return rc;
}

const emb_loader emb_loader_ofac_csv = {"ofac-csv", detect, load};
