/*
 * uk.c - loader for the UK OFSI Consolidated List of Financial Sanctions
 * Targets in its CSV form ("ConList.csv"): an optional first row
 * "Last Updated,DD/MM/YYYY", a header row, then one row per name. Rows that
 * share a Group ID are one listing; its "Primary Name" row gives names[0],
 * the other rows its aliases. OFSI sorts rows by name, so the rows of one
 * group are usually far apart: the whole file is read first, then grouped.
 *
 * Columns are found by their header text, never by position (OFSI has added
 * columns over the years: Alias Quality, non-Latin script, ship fields), so
 * any column may be missing except Name 6, Group Type and Group ID. Values
 * OFSI numbers "(1) A (2) B" are split. Ship rows (Group Type "Ship") give
 * vessels with their IMO number, checked with the IMO check digit.
 *
 * Invariant: a load succeeds completely or not at all: a malformed row (bad
 * quoting, a wrong field count, an unreadable date, no name) fails it with
 * the line, and the model is rolled back.
 */
#include "util/compat.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "load/load.h"
#include "model/ident.h"
#include "text/country.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/err.h"

#define UK_MAX_FIELD (64u * 1024u)   /* bytes in one CSV field */
#define UK_MAX_COLS 256              /* fields in one row */
#define UK_MAX_PIECES 64             /* "(1) .. (n)" values in one field */
#define UK_DETECT_WINDOW 4096

typedef enum uk_col {
    C_NAME1, C_NAME2, C_NAME3, C_NAME4, C_NAME5, C_NAME6,
    C_TITLE, C_NONLATIN, C_DOB, C_TOWN_BIRTH, C_COUNTRY_BIRTH, C_NATIONALITY,
    C_PASSPORT, C_PASSPORT_DET, C_NATID, C_NATID_DET, C_POSITION,
    C_ADDR1, C_ADDR2, C_ADDR3, C_ADDR4, C_ADDR5, C_ADDR6, C_ZIP, C_COUNTRY,
    C_OTHER, C_GROUP_TYPE, C_ALIAS_TYPE, C_ALIAS_QUALITY, C_REGIME, C_LISTED_ON,
    C_DESIGNATED, C_LAST_UPDATED, C_GROUP_ID, C_UK_REF, C_UN_REF,
    C_IMO, C_SHIP_TYPE, C_FLAG, C_CALL_SIGN, C_TONNAGE, C_OWNER,
    C_COUNT
} uk_col;

/* Header texts, compared lower-case with everything but letters and digits
 * dropped ("Post/Zip Code" -> "postzipcode"). Several texts may name one column. */
static const struct {
    const char *key;
    uk_col col;
} headers[] = {
    {"name1", C_NAME1}, {"name2", C_NAME2}, {"name3", C_NAME3}, {"name4", C_NAME4},
    {"name5", C_NAME5}, {"name6", C_NAME6}, {"title", C_TITLE},
    {"namenonlatinscript", C_NONLATIN}, {"dob", C_DOB}, {"dateofbirth", C_DOB},
    {"townofbirth", C_TOWN_BIRTH}, {"countryofbirth", C_COUNTRY_BIRTH},
    {"nationality", C_NATIONALITY}, {"passportnumber", C_PASSPORT},
    {"passportdetails", C_PASSPORT_DET}, {"nationalidentificationnumber", C_NATID},
    {"nationalidentificationdetails", C_NATID_DET}, {"position", C_POSITION},
    {"address1", C_ADDR1}, {"address2", C_ADDR2}, {"address3", C_ADDR3},
    {"address4", C_ADDR4}, {"address5", C_ADDR5}, {"address6", C_ADDR6},
    {"postzipcode", C_ZIP}, {"country", C_COUNTRY}, {"otherinformation", C_OTHER},
    {"grouptype", C_GROUP_TYPE}, {"aliastype", C_ALIAS_TYPE},
    {"aliasquality", C_ALIAS_QUALITY}, {"regime", C_REGIME}, {"listedon", C_LISTED_ON},
    {"uksanctionslistdatedesignated", C_DESIGNATED}, {"lastupdated", C_LAST_UPDATED},
    {"groupid", C_GROUP_ID}, {"uksanctionslistref", C_UK_REF}, {"uniqueid", C_UK_REF},
    {"unreferencenumber", C_UN_REF}, {"unref", C_UN_REF}, {"imonumber", C_IMO},
    {"shipimonumber", C_IMO}, {"typeofship", C_SHIP_TYPE}, {"vesseltype", C_SHIP_TYPE},
    {"flagofship", C_FLAG}, {"currentbelievedflagofship", C_FLAG}, {"callsign", C_CALL_SIGN},
    {"tonnageofship", C_TONNAGE}, {"tonnage", C_TONNAGE},
    {"currentownersoperators", C_OWNER}, {"currentowneroperators", C_OWNER},
    {"currentowneroperator", C_OWNER},
};

typedef struct uk_row {
    long line;
    const char **f;   /* C_COUNT values (arena strings or NULL) */
} uk_row;

typedef struct uk_state {
    emb_model *m;
    const char *label;
    const char *s;
    size_t n, pos;
    long line, col_start;      /* current line; offset where it starts */
    int colmap[UK_MAX_COLS];   /* file column -> uk_col, or -1 */
    size_t ncols;
    const char **fields;  size_t nfields;   /* the row being read */
    emb_buf field;
    uk_row *rows;  size_t nrows;
    size_t list_idx;
    const char *list_id;
    const char *gid;           /* group being built, for messages */
    long gline;
    emb_draft d;
    const char *parts[6];
} uk_state;

/* ---- errors and strings ---------------------------------------------------------- */

static int fail_group(const uk_state *st, int code, const char *what)
{
    return emb_err_set(code, "%s:%ld: Group ID %s: %s", st->label, st->gline,
                       st->gid ? st->gid : "(none)", what);
}

static int wrap_group(const uk_state *st, int code)
{
    char inner[512];
    snprintf(inner, sizeof(inner), "%s", emb_err_last());
    return fail_group(st, code, inner);
}

static int str_of(uk_state *st, const char *s, size_t n, const char **out)
{
    int rc = EMB_OK;
    *out = emb_model_str(st->m, s, n, &rc);
    if (rc < 0)
        return emb_err_set(rc, "%s: out of memory", st->label);
    return EMB_OK;
}

static int dup_of(uk_state *st, const char *s, const char **out)
{
    if (!(*out = emb_arena_strdup(&st->m->arena, s)))
        return emb_err_set(EMB_ENOMEM, "%s: out of memory", st->label);
    return EMB_OK;
}

static bool in_list(const char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] && strcmp(v[i], s) == 0)
            return true;
    return false;
}

/* ---- CSV ---------------------------------------------------------------------------- */

static int fail_csv(const uk_state *st, const char *what)
{
    return emb_err_set(EMB_EPARSE, "%s:%ld:%ld: %s", st->label, st->line,
                       (long)st->pos - st->col_start + 1, what);
}

static int end_field(uk_state *st)
{
    if (st->nfields >= UK_MAX_COLS)
        return emb_err_set(EMB_ETOOBIG, "%s:%ld: more than %d fields in a row", st->label,
                           st->line, UK_MAX_COLS);
    int rc = emb_grow(&st->fields, st->nfields, sizeof(*st->fields), UK_MAX_COLS);
    if (rc < 0)
        return emb_err_set(rc, "%s: out of memory", st->label);
    const char *v = NULL;
    if (st->field.len && (rc = str_of(st, st->field.ptr, st->field.len, &v)) < 0)
        return rc;
    st->fields[st->nfields++] = v;
    emb_buf_clear(&st->field);
    return EMB_OK;
}

static int put(uk_state *st, char c)
{
    int rc = emb_buf_putc(&st->field, c);
    if (rc == EMB_ETOOBIG)
        return emb_err_set(rc, "%s:%ld: a field longer than 64 KiB", st->label, st->line);
    if (rc < 0)
        return emb_err_set(rc, "%s: out of memory", st->label);
    return EMB_OK;
}

/* Read one record into st->fields (RFC 4180: quoted fields may hold commas,
 * doubled quotes and line breaks; lines end in LF, CRLF or CR). *line is its
 * first line. Returns 1 with a record, 0 at the end of the input. */
static int next_record(uk_state *st, long *line)
{
    int rc;
    st->nfields = 0;
    emb_buf_clear(&st->field);
    if (st->pos >= st->n)
        return 0;
    *line = st->line;
    bool quoted = false, after_quote = false;
    while (st->pos < st->n) {
        char c = st->s[st->pos];
        if (quoted) {
            if (c == '"' && st->pos + 1 < st->n && st->s[st->pos + 1] == '"') {
                st->pos++;
            } else if (c == '"') {
                quoted = false;
                after_quote = true;
                st->pos++;
                continue;
            } else if (c == '\n') {
                st->line++;
                st->col_start = (long)st->pos + 1;
            }
            if ((rc = put(st, c)) < 0)
                return rc;
            st->pos++;
            continue;
        }
        if (c == ',') {
            if ((rc = end_field(st)) < 0)
                return rc;
            after_quote = false;
            st->pos++;
            continue;
        }
        if (c == '\n' || c == '\r') {
            st->pos++;
            if (c == '\r' && st->pos < st->n && st->s[st->pos] == '\n')
                st->pos++;
            st->line++;
            st->col_start = (long)st->pos;
            return (rc = end_field(st)) < 0 ? rc : 1;
        }
        if (after_quote)
            return fail_csv(st, "text after a closing quote");
        if (c == '"' && st->field.len == 0) {
            quoted = true;
            st->pos++;
            continue;
        }
        if ((rc = put(st, c)) < 0)
            return rc;
        st->pos++;
    }
    if (quoted)
        return emb_err_set(EMB_EPARSE, "%s:%ld: a quoted field is not closed before the end "
                           "of the file", st->label, *line);
    return (rc = end_field(st)) < 0 ? rc : 1;
}

/* Is the record read blank (one empty field)? */
static bool blank_record(const uk_state *st)
{
    for (size_t i = 0; i < st->nfields; i++)
        if (st->fields[i])
            return false;
    return true;
}

static void header_key(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    for (; s && *s && o + 1 < cap; s++)
        if (isalnum((unsigned char)*s))
            out[o++] = (char)tolower((unsigned char)*s);
    out[o] = '\0';
}

static int read_header(uk_state *st, long line)
{
    bool seen[C_COUNT] = {0};
    st->ncols = st->nfields;
    for (size_t i = 0; i < st->nfields; i++) {
        char key[64];
        header_key(st->fields[i], key, sizeof(key));
        st->colmap[i] = -1;
        for (size_t k = 0; k < EMB_ARRAY_LEN(headers); k++) {
            if (strcmp(key, headers[k].key) == 0 && !seen[headers[k].col]) {
                st->colmap[i] = (int)headers[k].col;
                seen[headers[k].col] = true;
                break;
            }
        }
    }
    static const struct {
        uk_col col;
        const char *name;
    } required[] = {{C_NAME6, "Name 6"}, {C_GROUP_TYPE, "Group Type"}, {C_GROUP_ID, "Group ID"}};
    for (size_t k = 0; k < EMB_ARRAY_LEN(required); k++)
        if (!seen[required[k].col])
            return emb_err_set(EMB_EPARSE, "%s:%ld: header has no \"%s\" column", st->label,
                               line, required[k].name);
    return EMB_OK;
}

static int keep_row(uk_state *st, long line)
{
    if (st->nfields != st->ncols)
        return emb_err_set(EMB_EPARSE, "%s:%ld: row has %zu fields, the header %zu", st->label,
                           line, st->nfields, st->ncols);
    int rc = emb_grow(&st->rows, st->nrows, sizeof(*st->rows), EMB_MODEL_MAX_ENTITIES);
    if (rc < 0)
        return emb_err_set(rc, "%s:%ld: %s", st->label, line,
                           rc == EMB_ETOOBIG ? "too many rows" : "out of memory");
    const char **f = emb_arena_alloc(&st->m->arena, C_COUNT * sizeof(*f));
    if (!f)
        return emb_err_set(EMB_ENOMEM, "%s: out of memory", st->label);
    memset(f, 0, C_COUNT * sizeof(*f));
    for (size_t i = 0; i < st->nfields; i++)
        if (st->colmap[i] >= 0)
            f[st->colmap[i]] = st->fields[i];
    if (!f[C_GROUP_ID])
        return emb_err_set(EMB_EPARSE, "%s:%ld: row has no Group ID", st->label, line);
    for (const char *p = f[C_GROUP_ID]; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
            return emb_err_set(EMB_EPARSE, "%s:%ld: Group ID is not a plain key", st->label,
                               line);
    st->rows[st->nrows].line = line;
    st->rows[st->nrows].f = f;
    st->nrows++;
    return EMB_OK;
}

/* ---- values --------------------------------------------------------------------------- */

static bool digits(const char *s, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return true;
}

static bool valid_ymd(int y, int mo, int d)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
        return false;
    return !(mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

/* A two-character day or month part: digits, or "00"/"--"/"XX" for unknown (0). */
static bool dm_part(const char *s, int *v)
{
    if ((s[0] == '-' && s[1] == '-') || ((s[0] == 'x' || s[0] == 'X') &&
                                         (s[1] == 'x' || s[1] == 'X'))) {
        *v = 0;
        return true;
    }
    return digits(s, 2, v);
}

/* "DD/MM/YYYY" (unknown parts "00" or "--"), "YYYY", "circa YYYY", "c. YYYY".
 * Returns false when s is none of them. */
static bool parse_dob(const char *s, emb_date *dt)
{
    memset(dt, 0, sizeof(*dt));
    bool approx = false;
    static const char *const circa[] = {"circa ", "c. ", "c.", "approximately ", "approx. ",
                                        "about "};
    for (size_t i = 0; i < EMB_ARRAY_LEN(circa); i++) {
        size_t k = strlen(circa[i]);
        if (strncasecmp(s, circa[i], k) == 0) {
            approx = true;
            s += k;
            while (*s == ' ')
                s++;
            break;
        }
    }
    int y, mo = 0, d = 0;
    size_t n = strlen(s);
    if (n == 4 && digits(s, 4, &y) && y > 0) {
        dt->prec = EMB_DATE_YEAR;
    } else if (n == 10 && s[2] == '/' && s[5] == '/' && dm_part(s, &d) &&
               dm_part(s + 3, &mo) && digits(s + 6, 4, &y) && y > 0) {
        if (mo == 0 && d != 0)
            return false;
        if (mo == 0)
            dt->prec = EMB_DATE_YEAR;
        else if (d == 0)
            dt->prec = mo <= 12 ? EMB_DATE_MONTH : EMB_DATE_NONE;
        else
            dt->prec = valid_ymd(y, mo, d) ? EMB_DATE_DAY : EMB_DATE_NONE;
        if (dt->prec == EMB_DATE_NONE)
            return false;
    } else {
        return false;
    }
    dt->year = y;
    if (approx) {
        dt->prec = EMB_DATE_APPROX;
    } else {
        dt->month = dt->prec == EMB_DATE_YEAR ? 0 : mo;
        dt->day = dt->prec == EMB_DATE_DAY ? d : 0;
    }
    return true;
}

/* "DD/MM/YYYY[ ...]" -> "YYYY-MM-DD" in out[11]. */
static bool uk_day(const char *s, char out[11])
{
    int y, mo, d;
    if (!s || strlen(s) < 10 || s[2] != '/' || s[5] != '/' || !digits(s, 2, &d) ||
        !digits(s + 3, 2, &mo) || !digits(s + 6, 4, &y) || !valid_ymd(y, mo, d) ||
        (s[10] && s[10] != ' ' && s[10] != 'T'))
        return false;
    /* valid_ymd bounds y, mo and d, so this is ten characters; the unsigned
     * arithmetic only tells the compiler so */
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)mo % 100u,
             (unsigned)d % 100u);
    return true;
}

/* Length of an OFSI number marker "(k)" at p (after a space or at the
 * start of the value), or 0. */
static size_t marker_at(const char *v, const char *p)
{
    if (p[0] != '(' || !isdigit((unsigned char)p[1]) || (p > v && p[-1] != ' '))
        return 0;
    const char *q = p + 1;
    while (isdigit((unsigned char)*q) && q - p < 4)
        q++;
    return *q == ')' ? (size_t)(q + 1 - p) : 0;
}

/* Split an OFSI numbered value "(1) A (2) B" into pieces (arena strings);
 * a value that does not start with a marker is one piece. */
static int split_numbered(uk_state *st, const char *v, const char **out, size_t *n)
{
    *n = 0;
    if (!v)
        return EMB_OK;
    size_t k = marker_at(v, v);
    if (!k) {
        out[(*n)++] = v;
        return EMB_OK;
    }
    const char *start = v + k;
    for (const char *p = start;; p++) {
        size_t mk = *p ? marker_at(v, p) : 0;
        if (*p && !mk)
            continue;
        const char *piece;
        int rc = str_of(st, start, (size_t)(p - start), &piece);
        if (rc < 0)
            return rc;
        if (piece && *n < UK_MAX_PIECES)
            out[(*n)++] = piece;
        if (!*p)
            break;
        start = p + mk;
        p += mk - 1;
    }
    if (*n == 0)
        out[(*n)++] = v;
    return EMB_OK;
}

static const char *uk_cc(const char *country)
{
    if (!country)
        return NULL;
    const char *cc = emb_country_code(country);
    if (cc)
        return cc;
    /* nationality adjectives OFSI writes, where the country table has none */
    static const struct {
        const char *adj, *cc;
    } adj[] = {{"north korean", "kp"}, {"korean (dprk)", "kp"}, {"russian", "ru"},
               {"iranian", "ir"},      {"syrian", "sy"},        {"afghan", "af"},
               {"british", "gb"},      {"iraqi", "iq"},         {"libyan", "ly"},
               {"belarusian", "by"},   {"chinese", "cn"},       {"pakistani", "pk"}};
    for (size_t i = 0; i < EMB_ARRAY_LEN(adj); i++)
        if (strcasecmp(country, adj[i].adj) == 0)
            return adj[i].cc;
    return NULL;
}

/* ---- building a group ------------------------------------------------------------------ */

static int add_ident(uk_state *st, emb_id_kind kind, const char *type, const char *number,
                     const char *note)
{
    emb_identifier id = {0};
    int rc = EMB_OK;
    if (!number)
        return EMB_OK;
    id.norm = emb_model_ident(st->m, number, &rc);
    if (rc < 0)
        return wrap_group(st, rc);
    if (!id.norm)
        return EMB_OK;
    for (size_t i = 0; i < st->d.e.nidentifiers; i++) {
        const emb_identifier *o = &st->d.e.identifiers[i];
        if (o->kind == kind && strcmp(o->norm, id.norm) == 0)
            return EMB_OK;
    }
    id.kind = kind;
    id.type = type;
    id.number = number;
    id.note = note;
    if ((rc = emb_draft_add_identifier(&st->d, &id)) < 0)
        return wrap_group(st, rc);
    return EMB_OK;
}

/* A ship IMO number: EMB_ID_IMO when the check digit holds, else kept as
 * text that never weighs as an exact identifier. */
static int add_imo(uk_state *st, const char *v)
{
    char d7[8];
    if (!v || !emb_imo_extract(v, d7))
        return EMB_OK;
    const char *num;
    int rc = dup_of(st, d7, &num);
    if (rc < 0)
        return rc;
    if (emb_imo_valid(d7))
        return add_ident(st, EMB_ID_IMO, "IMO number", num, NULL);
    return add_ident(st, EMB_ID_OTHER, "IMO number", num, "IMO check digit fails");
}

/* "(UK Sanctions List Ref):RUS0001 (UN Ref):KPi.033 ..." in Other Information. */
static int tagged_value(uk_state *st, const char *text, const char *tag, const char **out)
{
    *out = NULL;
    const char *p = text ? strstr(text, tag) : NULL;
    if (!p)
        return EMB_OK;
    p += strlen(tag);
    while (*p == ' ' || *p == ':')
        p++;
    const char *e = p;
    while (*e && (isalnum((unsigned char)*e) || *e == '.' || *e == '-' || *e == '/'))
        e++;
    while (e > p && (e[-1] == '.' || e[-1] == '/'))
        e--;
    return e > p ? str_of(st, p, (size_t)(e - p), out) : EMB_OK;
}

static emb_name_kind alias_kind(const char *type, const char *quality)
{
    if (quality && strcasecmp(quality, "low") == 0)
        return EMB_NAME_WEAK;
    if (type && (strncasecmp(type, "fka", 3) == 0 || strcasecmp(type, "former name") == 0 ||
                 strcasecmp(type, "formerly known as") == 0))
        return EMB_NAME_FORMER;
    return EMB_NAME_ALIAS;
}

static bool is_primary(const uk_row *r)
{
    return r->f[C_ALIAS_TYPE] && strcasecmp(r->f[C_ALIAS_TYPE], "Primary Name") == 0;
}

static int add_row_name(uk_state *st, const uk_row *r, emb_name_kind kind)
{
    static const uk_col order[6] = {C_NAME1, C_NAME2, C_NAME3, C_NAME4, C_NAME5, C_NAME6};
    size_t np = 0, len = 0;
    for (size_t i = 0; i < 6; i++)
        if (r->f[order[i]]) {
            st->parts[np++] = r->f[order[i]];
            len += strlen(r->f[order[i]]) + 1;
        }
    if (!np)
        return emb_err_set(EMB_EPARSE, "%s:%ld: Group ID %s: row has no name (Name 1..6 empty)",
                           st->label, r->line, st->gid);
    char *full = emb_arena_alloc(&st->m->arena, len);
    if (!full)
        return emb_err_set(EMB_ENOMEM, "%s: out of memory", st->label);
    size_t o = 0;
    for (size_t i = 0; i < np; i++) {
        size_t k = strlen(st->parts[i]);
        if (i)
            full[o++] = ' ';
        memcpy(full + o, st->parts[i], k);
        o += k;
    }
    full[o] = '\0';
    for (size_t i = 0; i < st->d.e.nnames; i++)
        if (strcmp(st->d.e.names[i].full, full) == 0)
            return EMB_OK;
    /* parts must live until commit: keep this name's own copy in the arena */
    const char **keep = emb_arena_alloc(&st->m->arena, np * sizeof(*keep));
    if (!keep)
        return emb_err_set(EMB_ENOMEM, "%s: out of memory", st->label);
    memcpy(keep, st->parts, np * sizeof(*keep));
    emb_name nm = {full, keep, np, kind, NULL};
    int rc = emb_draft_add_name(&st->d, &nm);
    return rc < 0 ? wrap_group(st, rc) : EMB_OK;
}

static int add_row_values(uk_state *st, const uk_row *r)
{
    const char *const *f = r->f;
    emb_entity *e = &st->d.e;
    const char *pieces[UK_MAX_PIECES], *notes[UK_MAX_PIECES];
    size_t n, nn;
    int rc;

    if (f[C_NONLATIN]) {
        bool dup = false;
        for (size_t i = 0; i < e->nnames && !dup; i++)
            dup = strcmp(e->names[i].full, f[C_NONLATIN]) == 0;
        emb_name nm = {f[C_NONLATIN], NULL, 0, EMB_NAME_ORIGINAL, NULL};
        if (!dup && (rc = emb_draft_add_name(&st->d, &nm)) < 0)
            return wrap_group(st, rc);
    }
    if (f[C_TITLE] && !in_list(e->titles, e->ntitles, f[C_TITLE]) &&
        (rc = emb_draft_add_title(&st->d, f[C_TITLE])) < 0)
        return wrap_group(st, rc);
    if (f[C_POSITION] && !in_list(e->designations, e->ndesignations, f[C_POSITION]) &&
        (rc = emb_draft_add_designation(&st->d, f[C_POSITION])) < 0)
        return wrap_group(st, rc);
    if (f[C_REGIME] && !in_list(e->programs, e->nprograms, f[C_REGIME])) {
        if ((rc = emb_draft_add_program(&st->d, f[C_REGIME])) < 0)
            return wrap_group(st, rc);
        if (!e->regime)
            e->regime = f[C_REGIME];
    }
    char day[11];
    if (f[C_LISTED_ON]) {
        if (!uk_day(f[C_LISTED_ON], day))
            return emb_err_set(EMB_EPARSE, "%s:%ld: Group ID %s: Listed On is not DD/MM/YYYY",
                               st->label, r->line, st->gid);
        if ((!e->listed_on || strcmp(day, e->listed_on) < 0) &&
            (rc = dup_of(st, day, &e->listed_on)) < 0)
            return rc;
    }
    if (f[C_LAST_UPDATED] && uk_day(f[C_LAST_UPDATED], day) &&
        !in_list(e->updated_on, e->nupdated_on, day)) {
        const char *u;
        if ((rc = dup_of(st, day, &u)) < 0)
            return rc;
        if ((rc = emb_draft_add_updated(&st->d, u)) < 0)
            return wrap_group(st, rc);
    }
    if (f[C_OTHER] && !e->remarks)
        e->remarks = f[C_OTHER];

    /* dates of birth */
    if ((rc = split_numbered(st, f[C_DOB], pieces, &n)) < 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        emb_date dt;
        if (!parse_dob(pieces[i], &dt))
            return emb_err_set(EMB_EPARSE, "%s:%ld: Group ID %s: DOB \"%.40s\" is not "
                               "DD/MM/YYYY", st->label, r->line, st->gid, pieces[i]);
        dt.raw = pieces[i];
        bool dup = false;
        for (size_t k = 0; k < e->nbirth_dates && !dup; k++)
            dup = e->birth_dates[k].prec == dt.prec && e->birth_dates[k].year == dt.year &&
                  e->birth_dates[k].month == dt.month && e->birth_dates[k].day == dt.day;
        if (!dup && (rc = emb_draft_add_date(&st->d, &dt)) < 0)
            return wrap_group(st, rc);
    }
    if ((f[C_TOWN_BIRTH] || f[C_COUNTRY_BIRTH]) && !e->nbirth_places) {
        emb_place p = {NULL, f[C_TOWN_BIRTH], NULL, NULL, f[C_COUNTRY_BIRTH],
                       uk_cc(f[C_COUNTRY_BIRTH]), NULL};
        if ((rc = emb_draft_add_birth_place(&st->d, &p)) < 0)
            return wrap_group(st, rc);
    }
    if ((rc = split_numbered(st, f[C_NATIONALITY], pieces, &n)) < 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        bool dup = false;
        for (size_t k = 0; k < e->nnationalities && !dup; k++)
            dup = strcmp(e->nationalities[k].name, pieces[i]) == 0;
        emb_country c = {pieces[i], uk_cc(pieces[i])};
        if (!dup && (rc = emb_draft_add_nationality(&st->d, &c)) < 0)
            return wrap_group(st, rc);
    }
    /* passports and national ids: numbers and details pair up by their numbering */
    static const struct {
        uk_col num, det;
        emb_id_kind kind;
        const char *type;
    } docs[] = {{C_PASSPORT, C_PASSPORT_DET, EMB_ID_PASSPORT, "Passport"},
                {C_NATID, C_NATID_DET, EMB_ID_NATIONAL, "National Identification Number"}};
    for (size_t k = 0; k < EMB_ARRAY_LEN(docs); k++) {
        if ((rc = split_numbered(st, f[docs[k].num], pieces, &n)) < 0 ||
            (rc = split_numbered(st, f[docs[k].det], notes, &nn)) < 0)
            return rc;
        for (size_t i = 0; i < n; i++) {
            const char *note = nn == n ? notes[i] : f[docs[k].det];
            if ((rc = add_ident(st, docs[k].kind, docs[k].type, pieces[i], note)) < 0)
                return rc;
        }
    }
    /* address */
    static const uk_col addr[6] = {C_ADDR1, C_ADDR2, C_ADDR3, C_ADDR4, C_ADDR5, C_ADDR6};
    size_t len = 0, np = 0, last = 6;
    for (size_t i = 0; i < 6; i++)
        if (f[addr[i]]) {
            len += strlen(f[addr[i]]) + 2;
            np++;
            last = i;
        }
    if (np || f[C_ZIP] || f[C_COUNTRY]) {
        emb_place p = {NULL, NULL, NULL, f[C_ZIP], f[C_COUNTRY], uk_cc(f[C_COUNTRY]), NULL};
        /* the last address line is the town; the lines before it the street */
        if (np)
            p.city = f[addr[last]];
        if (np > 1) {
            char *s = emb_arena_alloc(&st->m->arena, len + 1);
            if (!s)
                return emb_err_set(EMB_ENOMEM, "%s: out of memory", st->label);
            size_t o = 0;
            for (size_t i = 0; i < last; i++) {
                if (!f[addr[i]])
                    continue;
                if (o) {
                    memcpy(s + o, ", ", 2);
                    o += 2;
                }
                size_t k = strlen(f[addr[i]]);
                memcpy(s + o, f[addr[i]], k);
                o += k;
            }
            s[o] = '\0';
            p.street = s;
        }
        bool dup = false;
        for (size_t k = 0; k < e->naddresses && !dup; k++) {
            const emb_place *q = &e->addresses[k];
            dup = (q->street ? p.street && strcmp(q->street, p.street) == 0 : !p.street) &&
                  (q->city ? p.city && strcmp(q->city, p.city) == 0 : !p.city) &&
                  (q->country ? p.country && strcmp(q->country, p.country) == 0 : !p.country);
        }
        if (!dup && (rc = emb_draft_add_address(&st->d, &p)) < 0)
            return wrap_group(st, rc);
    }
    /* ships */
    if (f[C_IMO] && (rc = add_imo(st, f[C_IMO])) < 0)
        return rc;
    if (!e->flag && f[C_FLAG]) {
        e->flag = f[C_FLAG];
        e->flag_cc = uk_cc(f[C_FLAG]);
    }
    if (!e->vessel_type)
        e->vessel_type = f[C_SHIP_TYPE];
    if (!e->call_sign)
        e->call_sign = f[C_CALL_SIGN];
    if (!e->tonnage)
        e->tonnage = f[C_TONNAGE];
    if (!e->owner)
        e->owner = f[C_OWNER];
    return EMB_OK;
}

/* One listing from rows[0..n) (all with one Group ID, in file order). */
static int build_group(uk_state *st, uk_row *const *rows, size_t n, size_t *by_schema)
{
    emb_entity *e = &st->d.e;
    int rc;
    size_t pi = 0;
    for (size_t i = 0; i < n; i++)
        if (is_primary(rows[i])) {
            pi = i;
            break;
        }
    const uk_row *pr = rows[pi];
    st->gid = pr->f[C_GROUP_ID];
    st->gline = pr->line;
    const char *gt = pr->f[C_GROUP_TYPE];
    if (!gt)
        return fail_group(st, EMB_EPARSE, "no Group Type");
    if (strcasecmp(gt, "Individual") == 0)
        e->schema = EMB_SCHEMA_PERSON;
    else if (strcasecmp(gt, "Entity") == 0)
        e->schema = EMB_SCHEMA_ORGANIZATION;
    else if (strcasecmp(gt, "Ship") == 0)
        e->schema = EMB_SCHEMA_VESSEL;
    else
        return fail_group(st, EMB_EPARSE, "Group Type is not Individual, Entity or Ship");
    for (size_t i = 0; i < n; i++)
        if (rows[i]->f[C_GROUP_TYPE] && strcasecmp(rows[i]->f[C_GROUP_TYPE], gt) != 0)
            return emb_err_set(EMB_EPARSE, "%s:%ld: Group ID %s: Group Type %s differs from "
                               "the primary row's %s", st->label, rows[i]->line, st->gid,
                               rows[i]->f[C_GROUP_TYPE], gt);
    if ((rc = add_row_name(st, pr, EMB_NAME_PRIMARY)) < 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (i != pi && (rc = add_row_name(st, rows[i],
                                          alias_kind(rows[i]->f[C_ALIAS_TYPE],
                                                     rows[i]->f[C_ALIAS_QUALITY]))) < 0)
            return rc;
    if ((rc = add_row_values(st, pr)) < 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (i != pi && (rc = add_row_values(st, rows[i])) < 0)
            return rc;

    const char *ukref = pr->f[C_UK_REF], *unref = pr->f[C_UN_REF];
    if (!ukref && (rc = tagged_value(st, pr->f[C_OTHER], "(UK Sanctions List Ref)", &ukref)) < 0)
        return rc;
    if (!unref && (rc = tagged_value(st, pr->f[C_OTHER], "(UN Ref)", &unref)) < 0)
        return rc;
    if (unref && (rc = add_ident(st, EMB_ID_OTHER, "UN reference", unref, NULL)) < 0)
        return rc;
    /* a ship's IMO number may be only in the free text */
    if (e->schema == EMB_SCHEMA_VESSEL && pr->f[C_OTHER]) {
        const char *p = strstr(pr->f[C_OTHER], "IMO");
        if (p && (rc = add_imo(st, p)) < 0)
            return rc;
    }
    size_t gl = strlen(st->gid);
    char *id = emb_arena_alloc(&st->m->arena, strlen(st->list_id) + gl + 2);
    if (!id)
        return emb_err_set(EMB_ENOMEM, "%s: out of memory", st->label);
    sprintf(id, "%s-%s", st->list_id, st->gid);
    e->id = id;
    e->list = st->list_id;
    e->list_index = st->list_idx;
    e->reference = ukref ? ukref : st->gid;
    emb_schema schema = e->schema;
    if ((rc = emb_model_commit(st->m, &st->d)) < 0)
        return wrap_group(st, rc);
    by_schema[schema]++;
    return EMB_OK;
}

static int cmp_row(const void *a, const void *b)
{
    const uk_row *x = *(const uk_row *const *)a, *y = *(const uk_row *const *)b;
    int c = strcmp(x->f[C_GROUP_ID], y->f[C_GROUP_ID]);
    if (c)
        return c;
    return (x->line > y->line) - (x->line < y->line);
}

/* ---- the loader ------------------------------------------------------------------------- */

static int read_rows(uk_state *st, const char **date)
{
    long line = 1;
    int r = next_record(st, &line);
    if (r < 0)
        return r;
    if (r == 0)
        return emb_err_set(EMB_EPARSE, "%s:1:1: empty file", st->label);
    *date = NULL;
    char key[64];
    header_key(st->nfields ? st->fields[0] : NULL, key, sizeof(key));
    if (strcmp(key, "lastupdated") == 0) {
        const char *d = st->nfields > 1 ? st->fields[1] : NULL;
        char day[11];
        int rc;
        if (d && uk_day(d, day))
            rc = dup_of(st, day, date);
        else
            rc = d ? str_of(st, d, strlen(d), date) : EMB_OK;
        if (rc < 0)
            return rc;
        if ((r = next_record(st, &line)) < 0)
            return r;
        if (r == 0)
            return emb_err_set(EMB_EPARSE, "%s:%ld: no header row", st->label, line);
    }
    int rc = read_header(st, line);
    if (rc < 0)
        return rc;
    while ((r = next_record(st, &line)) == 1) {
        if (blank_record(st))
            continue;
        if ((rc = keep_row(st, line)) < 0)
            return rc;
    }
    return r < 0 ? r : EMB_OK;
}

static int load(emb_model *m, const char *label, const void *data, size_t len)
{
    uk_state st;
    int rc;
    if (!label)
        label = "(memory)";
    if (!m || (!data && len))
        return emb_err_set(EMB_EINVAL, "%s: no model or no data", label);
    if (len == 0)
        return emb_err_set(EMB_EPARSE, "%s:1:1: empty file", label);
    if ((rc = emb_load_check_utf8(label, data, len)) < 0)
        return rc;

    memset(&st, 0, sizeof(st));
    st.m = m;
    st.label = label;
    st.s = data;
    st.n = len;
    st.line = 1;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        st.pos = 3;
    emb_buf_init(&st.field, UK_MAX_FIELD);
    emb_draft_init(&st.d);
    size_t nlists0 = m->nlists, nentities0 = m->nentities;
    uk_row **order = NULL;
    size_t by_schema[5] = {0};
    const char *date = NULL;

    if ((rc = read_rows(&st, &date)) < 0)
        goto cleanup;
    rc = emb_model_add_list(m, "uk", "UK OFSI Consolidated List of Financial Sanctions Targets",
                            "uk-csv", label, date, &st.list_idx);
    if (rc < 0) {
        char inner[512];
        snprintf(inner, sizeof(inner), "%s", emb_err_last());
        rc = emb_err_set(rc, "%s: %s", label, inner);
        goto cleanup;
    }
    st.list_id = m->lists[st.list_idx].id;
    if (st.nrows) {
        order = emb_malloc(st.nrows * sizeof(*order));
        if (!order) {
            rc = emb_err_set(EMB_ENOMEM, "%s: out of memory", label);
            goto cleanup;
        }
        for (size_t i = 0; i < st.nrows; i++)
            order[i] = &st.rows[i];
        qsort(order, st.nrows, sizeof(*order), cmp_row);
    }
    for (size_t i = 0; i < st.nrows;) {
        size_t j = i + 1;
        while (j < st.nrows && strcmp(order[j]->f[C_GROUP_ID], order[i]->f[C_GROUP_ID]) == 0)
            j++;
        if ((rc = build_group(&st, order + i, j - i, by_schema)) < 0)
            goto cleanup;
        emb_draft_dispose(&st.d);
        emb_draft_init(&st.d);
        i = j;
    }
    emb_list_info *li = &m->lists[st.list_idx];
    li->nentities = m->nentities - nentities0;
    for (size_t i = 0; i < EMB_ARRAY_LEN(li->nby_schema); i++)
        li->nby_schema[i] = by_schema[i];

cleanup:
    if (rc < 0) {
        m->nlists = nlists0;
        m->nentities = nentities0;
    }
    emb_free(order);
    emb_free(st.rows);
    emb_free(st.fields);
    emb_buf_dispose(&st.field);
    emb_draft_dispose(&st.d);
    return rc;
}

/* ---- detection ---------------------------------------------------------------------------- */

static bool has(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, lit, k) == 0)
            return true;
    return false;
}

/* The OFSI CSV: a "Last Updated" first row or the header itself first, and a
 * header naming Name 6 and Group ID, inside the first 4 KiB. */
static int detect(const char *s, size_t len)
{
    if (!s)
        return 0;
    size_t n = len < UK_DETECT_WINDOW ? len : UK_DETECT_WINDOW;
    size_t i = n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (n - i >= 12 && strncasecmp(s + i, "Last Updated", 12) == 0) {
        while (i < n && s[i] != '\n')
            i++;
        i++;
    }
    if (i >= n)
        return 0;
    size_t e = i;
    while (e < n && s[e] != '\n')
        e++;
    return has(s + i, e - i, "Name 6") && has(s + i, e - i, "Group ID");
}

const emb_loader emb_loader_uk = {"uk-csv", detect, load};
