/*
 * un_xml.c - loader for the UN Security Council Consolidated List (XML).
 *
 * Streams the file with libxml2's xmlTextReader and recognises every element
 * by its local name, never by position: optional elements come and go between
 * list generations (2020, 2026 layouts). Untrusted input: no network, no DTD,
 * no entity substitution, DOCTYPE refused, UTF-8 checked before libxml2 sees
 * the bytes, one element's text capped at UN_MAX_TEXT.
 *
 * Invariant: a load succeeds completely or not at all. Any libxml2 error (a
 * per-reader structured handler, no global state) or bad record fails it and
 * rolls the model back to the lists and entities it held before. Aliases and
 * alias-level birth data are held back until the record ends, so names[0] is
 * always the primary name.
 */
#include "util/compat.h"
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/xmlreader.h>
#include "load/load.h"
#include "load/xmlerr.h"
#include "load/remarks.h"
#include "text/country.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/err.h"

#define UN_MAX_TEXT (1024u * 1024u)   /* bytes of text in one element */
#define UN_XML_OPTIONS \
    (XML_PARSE_NONET | XML_PARSE_IGNORE_ENC | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT)

/* Elements the loader knows, by local name. The order of names[] below must
 * follow this enum, and names[] must stay sorted for bsearch. */
typedef enum un_tag {
    T_UNKNOWN = 0,
    T_ALIAS_NAME,
    T_CITY,
    T_CITY_OF_BIRTH,
    T_COMMENTS1,
    T_CONSOLIDATED_LIST,
    T_COUNTRY,
    T_COUNTRY_OF_BIRTH,
    T_COUNTRY_OF_ISSUE,
    T_DATAID,
    T_DATE,
    T_DATE_OF_BIRTH,
    T_DESIGNATION,
    T_ENTITY,
    T_ENTITY_ADDRESS,
    T_ENTITY_ALIAS,
    T_FIRST_NAME,
    T_FOURTH_NAME,
    T_FROM_YEAR,
    T_GENDER,
    T_INDIVIDUAL,
    T_INDIVIDUAL_ADDRESS,
    T_INDIVIDUAL_ALIAS,
    T_INDIVIDUAL_DATE_OF_BIRTH,
    T_INDIVIDUAL_DOCUMENT,
    T_INDIVIDUAL_PLACE_OF_BIRTH,
    T_ISSUING_COUNTRY,
    T_LAST_DAY_UPDATED,
    T_LISTED_ON,
    T_NAME_ORIGINAL_SCRIPT,
    T_NATIONALITY,
    T_NOTE,
    T_NUMBER,
    T_QUALITY,
    T_REFERENCE_NUMBER,
    T_SECOND_NAME,
    T_STATE_PROVINCE,
    T_STREET,
    T_THIRD_NAME,
    T_TITLE,
    T_TO_YEAR,
    T_TYPE_OF_DATE,
    T_TYPE_OF_DOCUMENT,
    T_TYPE_OF_DOCUMENT2,
    T_UN_LIST_TYPE,
    T_VALUE,
    T_YEAR,
    T_ZIP_CODE,
    T_COUNT
} un_tag;

/* Country code of a UN country value. The list writes "na" (and variants)
 * for "not available": that is no country, not Namibia. */
static const char *un_country_code(const char *v)
{
    if (!v)
        return NULL;
    static const char *const none[] = {"na", "n/a", "n.a.", "unknown", "not available", "none"};
    for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
        if (strcasecmp(v, none[i]) == 0)
            return NULL;
    return emb_country_code(v);
}

static const char *const tag_names[T_COUNT] = {
    "",
    "ALIAS_NAME", "CITY", "CITY_OF_BIRTH", "COMMENTS1", "CONSOLIDATED_LIST", "COUNTRY",
    "COUNTRY_OF_BIRTH", "COUNTRY_OF_ISSUE", "DATAID", "DATE", "DATE_OF_BIRTH", "DESIGNATION",
    "ENTITY", "ENTITY_ADDRESS", "ENTITY_ALIAS", "FIRST_NAME", "FOURTH_NAME", "FROM_YEAR",
    "GENDER", "INDIVIDUAL", "INDIVIDUAL_ADDRESS", "INDIVIDUAL_ALIAS",
    "INDIVIDUAL_DATE_OF_BIRTH", "INDIVIDUAL_DOCUMENT", "INDIVIDUAL_PLACE_OF_BIRTH",
    "ISSUING_COUNTRY", "LAST_DAY_UPDATED", "LISTED_ON", "NAME_ORIGINAL_SCRIPT", "NATIONALITY",
    "NOTE", "NUMBER", "QUALITY", "REFERENCE_NUMBER", "SECOND_NAME", "STATE_PROVINCE", "STREET",
    "THIRD_NAME", "TITLE", "TO_YEAR", "TYPE_OF_DATE", "TYPE_OF_DOCUMENT", "TYPE_OF_DOCUMENT2",
    "UN_LIST_TYPE", "VALUE", "YEAR", "ZIP_CODE",
};

/* UN_LIST_TYPE -> the resolution that created the regime. */
static const struct {
    const char *regime, *program;
} programs[] = {
    {"DPRK", "UN-SC1718"},    {"Al-Qaida", "UN-SC1267"}, {"Taliban", "UN-SC1988"},
    {"Iran", "UN-SC1737"},    {"Iraq", "UN-SC1518"},     {"DRC", "UN-SC1533"},
    {"Libya", "UN-SC1970"},   {"Somalia", "UN-SC751"},   {"CAR", "UN-SC2127"},
    {"Sudan", "UN-SC1591"},   {"GB", "UN-SC2048"},       {"Yemen", "UN-SC2140"},
    {"Haiti", "UN-SC2653"},   {"SouthSudan", "UN-SC2206"}, {"Mali", "UN-SC2374"},
};

/* What a depth-1 child of a record is. */
typedef enum un_role {
    R_IGNORE = 0,
    R_FIELD,    /* a leaf of the record: DATAID, FIRST_NAME, COMMENTS1... */
    R_VALUES,   /* a list of VALUE children: TITLE, NATIONALITY... */
    R_GROUP     /* a structured group: alias, address, date or place of birth, document */
} un_role;

typedef struct un_state {
    emb_model *m;
    const char *label;
    xmlTextReaderPtr rd;
    /* first error libxml2 reported */
    emb_xml_err x;                 /* libxml2's first error */
    /* the list */
    bool seen_root, root_closed;
    size_t list_idx;
    const char *list_id;
    size_t nby_schema[5];
    size_t nentities;
    /* the record being read */
    bool in_rec;
    int rec_depth;
    long rec_line;
    un_tag rec_tag;
    un_tag group;                  /* the open depth-1 child, or T_UNKNOWN */
    un_tag field;                  /* the open depth-2 element, or T_UNKNOWN */
    const char *rf[T_COUNT];       /* record-level values (arena strings or NULL) */
    const char *gf[T_COUNT];       /* values of the open group */
    emb_buf text[2];               /* text of the open depth-1 and depth-2 elements */
    const char *parts[4];          /* primary name parts, valid until commit */
    emb_draft d;
    emb_name *names;   size_t nnames;    /* held back: original script and aliases */
    emb_date *dates;   size_t ndates;    /* held back: alias-level birth dates */
    emb_place *places; size_t nplaces;   /* held back: alias-level birth places */
} un_state;

static int cmp_tag(const void *key, const void *elem)
{
    return strcmp((const char *)key, *(const char *const *)elem);
}

static un_tag lookup_tag(const xmlChar *name)
{
    if (!name)
        return T_UNKNOWN;
    const char *const *p = bsearch(name, tag_names + 1, T_COUNT - 1, sizeof(tag_names[0]),
                                   cmp_tag);
    return p ? (un_tag)(p - tag_names) : T_UNKNOWN;
}

static un_role role_of(un_tag t)
{
    switch (t) {
    case T_DATAID: case T_FIRST_NAME: case T_SECOND_NAME: case T_THIRD_NAME:
    case T_FOURTH_NAME: case T_UN_LIST_TYPE: case T_REFERENCE_NUMBER: case T_LISTED_ON:
    case T_GENDER: case T_NAME_ORIGINAL_SCRIPT: case T_COMMENTS1:
        return R_FIELD;
    case T_TITLE: case T_DESIGNATION: case T_NATIONALITY: case T_LAST_DAY_UPDATED:
        return R_VALUES;
    case T_INDIVIDUAL_ALIAS: case T_ENTITY_ALIAS: case T_INDIVIDUAL_ADDRESS:
    case T_ENTITY_ADDRESS: case T_INDIVIDUAL_DATE_OF_BIRTH: case T_INDIVIDUAL_PLACE_OF_BIRTH:
    case T_INDIVIDUAL_DOCUMENT:
        return R_GROUP;
    default:
        return R_IGNORE;
    }
}

/* Is t a field we keep inside a structured group? */
static bool group_field(un_tag t)
{
    switch (t) {
    case T_QUALITY: case T_ALIAS_NAME: case T_NOTE: case T_DATE_OF_BIRTH:
    case T_CITY_OF_BIRTH: case T_COUNTRY_OF_BIRTH: case T_STREET: case T_CITY:
    case T_STATE_PROVINCE: case T_ZIP_CODE: case T_COUNTRY: case T_TYPE_OF_DATE: case T_DATE:
    case T_YEAR: case T_FROM_YEAR: case T_TO_YEAR: case T_TYPE_OF_DOCUMENT:
    case T_TYPE_OF_DOCUMENT2: case T_NUMBER: case T_ISSUING_COUNTRY: case T_COUNTRY_OF_ISSUE:
        return true;
    default:
        return false;
    }
}

/* ---- errors ------------------------------------------------------------- */

static void position(const un_state *st, int *line, int *col)
{
    *line = st->rd ? xmlTextReaderGetParserLineNumber(st->rd) : 0;
    *col = st->rd ? xmlTextReaderGetParserColumnNumber(st->rd) : 0;
}

/* An error at the reader's position: "<label>:<line>:<col>: <what>". */
static int fail_at(const un_state *st, int code, const char *what, const char *detail)
{
    int line, col;
    position(st, &line, &col);
    return emb_err_set(code, "%s:%d:%d: %s%s%s", st->label, line, col, what,
                       detail ? ": " : "", detail ? detail : "");
}

/* The error libxml2 reported, or a generic one if it said nothing. */
static int fail_xml(const un_state *st)
{
    if (!st->x.fail)
        return fail_at(st, EMB_EPARSE, "malformed XML", NULL);
    int line = st->x.line, col = st->x.col;
    if (line <= 0) {
        int l2, c2;
        position(st, &l2, &c2);
        line = l2;
        col = c2;
    }
    return emb_err_set(EMB_EPARSE, "%s:%d:%d: %s", st->label, line, col, st->x.msg);
}

/* An error about the current record: "<label>:<line>: <ELEMENT> DATAID <id>: <what>". */
static int fail_rec(const un_state *st, int code, const char *what)
{
    const char *dataid = st->rf[T_DATAID] ? st->rf[T_DATAID] : "(none)";
    return emb_err_set(code, "%s:%ld: %s DATAID %s: %s", st->label, st->rec_line,
                       tag_names[st->rec_tag], dataid, what);
}

/* Prefix an error set by a lower layer (model, draft) with the record's position. */
static int wrap_rec(const un_state *st, int code)
{
    char inner[512];
    snprintf(inner, sizeof(inner), "%s", emb_err_last());
    return fail_rec(st, code, inner);
}

/* ---- small parsers -------------------------------------------------------- */

static int str_of(un_state *st, const char *s, size_t n, const char **out)
{
    int rc = EMB_OK;
    *out = emb_model_str(st->m, s, n, &rc);
    if (rc < 0)
        return emb_err_set(rc, "%s: out of memory", st->label);
    return EMB_OK;
}

static int str_fmt(un_state *st, const char **out, const char *fmt, ...) EMB_PRINTF(3, 4);

static int str_fmt(un_state *st, const char **out, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    *out = emb_arena_strdup(&st->m->arena, tmp);
    if (!*out)
        return emb_err_set(EMB_ENOMEM, "%s: out of memory", st->label);
    return EMB_OK;
}

/* Exactly `n` digits at s; value in *v. */
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

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD", the last optionally followed by a time or
 * zone ("T...", "Z", "+hh:mm", "-hh:mm"), which is dropped. Returns the
 * precision, or EMB_DATE_NONE when s is not such a date. */
static emb_date_prec parse_ymd(const char *s, int *y, int *mo, int *d)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    *y = *mo = *d = 0;
    if (!s || !digits(s, 4, y) || *y == 0)
        return EMB_DATE_NONE;
    if (s[4] == '\0')
        return EMB_DATE_YEAR;
    if (s[4] != '-' || !digits(s + 5, 2, mo) || *mo < 1 || *mo > 12) {
        *y = *mo = 0;
        return EMB_DATE_NONE;
    }
    if (s[7] == '\0') {
        return EMB_DATE_MONTH;
    }
    if (s[7] != '-' || !digits(s + 8, 2, d) || *d < 1 || *d > mdays[*mo - 1] ||
        (*mo == 2 && *d == 29 && !leap(*y))) {
        *y = *mo = *d = 0;
        return EMB_DATE_NONE;
    }
    char c = s[10];
    if (c == '\0' || c == 'T' || c == 'Z' || c == '+' || c == '-' || c == ' ')
        return EMB_DATE_DAY;
    *y = *mo = *d = 0;
    return EMB_DATE_NONE;
}

/* A four-digit year, alone. */
static bool parse_year(const char *s, int *y)
{
    return s && digits(s, 4, y) && s[4] == '\0' && *y > 0;
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_date(const emb_date *a, const emb_date *b)
{
    return a->prec == b->prec && a->year == b->year && a->month == b->month &&
           a->day == b->day && a->year_to == b->year_to;
}

static bool same_place(const emb_place *a, const emb_place *b)
{
    return same_str(a->street, b->street) && same_str(a->city, b->city) &&
           same_str(a->state, b->state) && same_str(a->zip, b->zip) &&
           same_str(a->country, b->country) && same_str(a->note, b->note);
}

/* A date written as s (a DATE or DATE_OF_BIRTH value) -> *out; false when
 * s is not a date. raw is the date part as written, prefixed for APPROX. */
static int make_date(un_state *st, const char *s, bool approx, emb_date *out, bool *ok)
{
    int y, mo, d;
    emb_date_prec p = parse_ymd(s, &y, &mo, &d);
    memset(out, 0, sizeof(*out));
    *ok = false;
    if (p == EMB_DATE_NONE)
        return EMB_OK;
    size_t len = p == EMB_DATE_DAY ? 10 : p == EMB_DATE_MONTH ? 7 : 4;
    out->year = y;
    if (approx) {
        out->prec = EMB_DATE_APPROX;
    } else {
        out->prec = p;
        out->month = mo;
        out->day = d;
    }
    *ok = true;
    return str_fmt(st, &out->raw, "%s%.*s", approx ? "approx. " : "", (int)len, s);
}

/* ---- record fields ---------------------------------------------------------- */

static const char *gender_of(const char *g, const char *comments)
{
    if (g) {
        if (strcasecmp(g, "male") == 0)
            return "male";
        if (strcasecmp(g, "female") == 0)
            return "female";
    }
    /* "Gender: Male", "Gender [Female]", "Gender:  male" in the comments */
    for (const char *p = comments; p && *p; p++) {
        if (strncasecmp(p, "gender", 6) != 0)
            continue;
        const char *q = p + 6;
        while (*q == ' ')
            q++;
        if (*q == ':' || *q == '[')
            q++;
        while (*q == ' ')
            q++;
        if (strncasecmp(q, "female", 6) == 0 && !isalpha((unsigned char)q[6]))
            return "female";
        if (strncasecmp(q, "male", 4) == 0 && !isalpha((unsigned char)q[4]))
            return "male";
    }
    return NULL;
}

static const char *program_of(const char *regime)
{
    for (size_t i = 0; regime && i < EMB_ARRAY_LEN(programs); i++)
        if (strcasecmp(regime, programs[i].regime) == 0)
            return programs[i].program;
    return NULL;
}

static int add_date(un_state *st, const emb_date *v)
{
    for (size_t i = 0; i < st->d.e.nbirth_dates; i++)
        if (same_date(&st->d.e.birth_dates[i], v))
            return EMB_OK;
    int rc = emb_draft_add_date(&st->d, v);
    return rc < 0 ? wrap_rec(st, rc) : EMB_OK;
}

static int add_birth_place(un_state *st, const emb_place *v)
{
    for (size_t i = 0; i < st->d.e.nbirth_places; i++)
        if (same_place(&st->d.e.birth_places[i], v))
            return EMB_OK;
    int rc = emb_draft_add_birth_place(&st->d, v);
    return rc < 0 ? wrap_rec(st, rc) : EMB_OK;
}

/* Append to one of the held-back arrays. */
static int hold(un_state *st, void *arrp, size_t *n, const void *elem, size_t elsz)
{
    int rc = emb_grow(arrp, *n, elsz, EMB_DRAFT_MAX_VALUES);
    if (rc < 0)
        return fail_rec(st, rc, rc == EMB_ETOOBIG ? "too many values in one field"
                                                  : "out of memory");
    memcpy((char *)*(void **)arrp + *n * elsz, elem, elsz);
    (*n)++;
    return EMB_OK;
}

static int hold_plain(un_state *st, const char *s, size_t n, emb_name_kind kind,
                      const char *note)
{
    emb_name nm = {0};
    int rc = str_of(st, s, n, &nm.full);
    if (rc < 0 || !nm.full)
        return rc;
    nm.kind = kind;
    nm.note = note;
    return hold(st, &st->names, &st->nnames, &nm, sizeof(nm));
}

static const char *matching_open(const char *s, size_t close);

/* An acronym as lists write it after a name: "KOMID", "FDLR", "ISIL-K". */
static int is_acronym(const char *s, size_t n)
{
    if (n < 2 || n > 12)
        return 0;
    int letters = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isupper(c))
            letters++;
        else if (!(isdigit(c) || c == '-' || c == '&' || c == '.'))
            return 0;
    }
    return letters >= 2;
}

static int has_non_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 1;
    return 0;
}

/* A name may end with a parenthesis that is not part of it:
 *   "Amir Khazmat (original script: Амир Хазмат)"  -> name + original-script name
 *   "Jin Tiesan (金铁三)"                           -> name + original-script name
 *   "... FORCES DEMOCRATIQUES ... (FDLR)"          -> as written + name + acronym
 *   "EL PARA (COMBAT NAME)"                        -> name, with the note
 * The parts are held as names of their own; the acronym and original-script
 * forms let a query written that way match. Returns 1 when it split. */
static int hold_paren_parts(un_state *st, const char *s, size_t n, emb_name_kind kind,
                            const char *note, int keep_whole)
{
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n < 4 || s[n - 1] != ')')
        return 0;
    const char *open = matching_open(s, n - 1);
    if (!open || open == s)
        return 0;
    size_t bn = (size_t)(open - s);
    while (bn && isspace((unsigned char)s[bn - 1]))
        bn--;
    const char *in = open + 1;
    size_t inn = (size_t)(s + n - 1 - in);
    while (inn && isspace((unsigned char)*in)) {
        in++;
        inn--;
    }
    while (inn && isspace((unsigned char)in[inn - 1]))
        inn--;
    if (!bn || !inn)
        return 0;
    static const char prefix[] = "original script:";
    int rc;
    if (inn > sizeof(prefix) - 1 && strncasecmp(in, prefix, sizeof(prefix) - 1) == 0) {
        in += sizeof(prefix) - 1;
        inn -= sizeof(prefix) - 1;
        if ((!keep_whole && (rc = hold_plain(st, s, bn, kind, note)) < 0) ||
            (rc = hold_plain(st, in, inn, EMB_NAME_ORIGINAL, NULL)) < 0)
            return rc;
        return 1;
    }
    if (has_non_ascii(in, inn) && !has_non_ascii(s, bn)) {
        if ((!keep_whole && (rc = hold_plain(st, s, bn, kind, note)) < 0) ||
            (rc = hold_plain(st, in, inn, EMB_NAME_ORIGINAL, NULL)) < 0)
            return rc;
        return 1;
    }
    if (is_acronym(in, inn)) {
        if ((!keep_whole && (rc = hold_plain(st, s, n, kind, note)) < 0) ||
            (rc = hold_plain(st, s, bn, kind, note)) < 0 ||
            (rc = hold_plain(st, in, inn, kind, note)) < 0)
            return rc;
        return 1;
    }
    if (keep_whole)
        return 0; /* a primary name keeps its own note as written */
    const char *nt = NULL;
    if ((rc = str_of(st, in, inn, &nt)) < 0 || (rc = hold_plain(st, s, bn, kind, nt ? nt : note)) < 0)
        return rc;
    return 1;
}

static int hold_name(un_state *st, const char *s, size_t n, emb_name_kind kind,
                     const char *note)
{
    int rc = hold_paren_parts(st, s, n, kind, note, 0);
    if (rc != 0)
        return rc < 0 ? rc : EMB_OK;
    return hold_plain(st, s, n, kind, note);
}

/* The '(' that the ')' at s[close] closes, or NULL. */
static const char *matching_open(const char *s, size_t close)
{
    int depth = 0;
    for (size_t i = close + 1; i-- > 0;) {
        if (s[i] == ')')
            depth++;
        else if (s[i] == '(' && --depth == 0)
            return s + i;
    }
    return NULL;
}

/* Split s at the semicolons that are outside parentheses; a piece written as
 * "NAME (A; B)" yields NAME, A and B. Each piece becomes one name. */
static int hold_alias_names(un_state *st, const char *s, emb_name_kind kind, const char *note)
{
    if (!strchr(s, ';'))
        return hold_name(st, s, strlen(s), kind, note);
    int rc = EMB_OK;
    const char *start = s;
    int depth = 0;
    for (const char *p = s;; p++) {
        if (*p == '(')
            depth++;
        else if (*p == ')' && depth > 0)
            depth--;
        if (*p != '\0' && !(*p == ';' && depth == 0))
            continue;
        size_t n = (size_t)(p - start);
        while (n && isspace((unsigned char)start[n - 1]))
            n--;
        const char *open = n && start[n - 1] == ')' ? matching_open(start, n - 1) : NULL;
        const char *semi = open ? memchr(open, ';', n - (size_t)(open - start)) : NULL;
        if (open && semi) {
            /* "NAME (A; B; C)": the name before the parenthesis, then each inner one */
            if ((rc = hold_name(st, start, (size_t)(open - start), kind, note)) < 0)
                return rc;
            const char *q = open + 1, *end = start + n - 1;
            while (q <= end) {
                const char *e = memchr(q, ';', (size_t)(end - q));
                if (!e)
                    e = end;
                if ((rc = hold_name(st, q, (size_t)(e - q), kind, note)) < 0)
                    return rc;
                q = e + 1;
            }
        } else if ((rc = hold_name(st, start, n, kind, note)) < 0) {
            return rc;
        }
        if (*p == '\0')
            break;
        start = p + 1;
    }
    return rc;
}

static emb_name_kind alias_kind(const char *quality)
{
    if (!quality)
        return EMB_NAME_ALIAS;
    if (strcasecmp(quality, "Low") == 0)
        return EMB_NAME_WEAK;
    if (strcasecmp(quality, "f.k.a.") == 0 || strcasecmp(quality, "fka") == 0)
        return EMB_NAME_FORMER;
    return EMB_NAME_ALIAS;
}

static int end_alias(un_state *st)
{
    const char **g = st->gf;
    int rc;
    if (g[T_ALIAS_NAME] &&
        (rc = hold_alias_names(st, g[T_ALIAS_NAME], alias_kind(g[T_QUALITY]), g[T_NOTE])) < 0)
        return rc;
    if (g[T_DATE_OF_BIRTH]) {
        emb_date v;
        bool ok;
        if ((rc = make_date(st, g[T_DATE_OF_BIRTH], false, &v, &ok)) < 0)
            return rc;
        if (ok && (rc = hold(st, &st->dates, &st->ndates, &v, sizeof(v))) < 0)
            return rc;
    }
    if (g[T_CITY_OF_BIRTH] || g[T_COUNTRY_OF_BIRTH]) {
        emb_place p = {0};
        p.city = g[T_CITY_OF_BIRTH];
        p.country = g[T_COUNTRY_OF_BIRTH];
        p.cc = un_country_code(p.country);
        if ((rc = hold(st, &st->places, &st->nplaces, &p, sizeof(p))) < 0)
            return rc;
    }
    return EMB_OK;
}

static int end_place(un_state *st, bool birth)
{
    const char **g = st->gf;
    emb_place p = {0};
    p.street = g[T_STREET];
    p.city = g[T_CITY];
    p.state = g[T_STATE_PROVINCE];
    p.zip = g[T_ZIP_CODE];
    p.country = g[T_COUNTRY];
    p.note = g[T_NOTE];
    if (!p.street && !p.city && !p.state && !p.zip && !p.country && !p.note)
        return EMB_OK;
    p.cc = un_country_code(p.country);
    if (birth)
        return add_birth_place(st, &p);
    int rc = emb_draft_add_address(&st->d, &p);
    return rc < 0 ? wrap_rec(st, rc) : EMB_OK;
}

static int end_birth_date(un_state *st)
{
    const char **g = st->gf;
    const char *type = g[T_TYPE_OF_DATE];
    emb_date v = {0};
    bool ok = false;
    int rc = EMB_OK;
    bool approx = type && strcasecmp(type, "APPROXIMATELY") == 0;
    bool between = type ? strcasecmp(type, "BETWEEN") == 0
                        : (g[T_FROM_YEAR] || g[T_TO_YEAR]) && !g[T_DATE] && !g[T_YEAR];
    if (between) {
        int from, to;
        if (!parse_year(g[T_FROM_YEAR], &from) || !parse_year(g[T_TO_YEAR], &to))
            return EMB_OK;   /* an open range says too little to compare */
        if (from > to) {
            int t = from;
            from = to;
            to = t;
        }
        v.prec = EMB_DATE_RANGE;
        v.year = from;
        v.year_to = to;
        rc = str_fmt(st, &v.raw, "%04d to %04d", from, to);
        ok = true;
    } else if (g[T_DATE]) {
        rc = make_date(st, g[T_DATE], approx, &v, &ok);
    } else if (g[T_YEAR]) {
        int y;
        if (parse_year(g[T_YEAR], &y)) {
            v.prec = approx ? EMB_DATE_APPROX : EMB_DATE_YEAR;
            v.year = y;
            rc = str_fmt(st, &v.raw, "%s%04d", approx ? "approx. " : "", y);
            ok = true;
        }
    }
    if (rc < 0 || !ok)
        return rc;   /* empty, NOTE-only or unreadable: no date */
    return add_date(st, &v);
}

static emb_id_kind doc_kind(const char *type)
{
    if (!type)
        return EMB_ID_OTHER;
    /* case-insensitive substring search over ASCII; accents stay as written */
    static const char *const passport[] = {"passport", "passeport", "pasaporte", "passaporto"};
    static const char *const national[] = {"national identification", "national id",
                                           "national identity", "identity card",
                                           "identification card", "identification number"};
    size_t n = strlen(type);
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < EMB_ARRAY_LEN(passport); k++)
            if (strncasecmp(type + i, passport[k], strlen(passport[k])) == 0)
                return EMB_ID_PASSPORT;
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < EMB_ARRAY_LEN(national); k++)
            if (strncasecmp(type + i, national[k], strlen(national[k])) == 0)
                return EMB_ID_NATIONAL;
    }
    return EMB_ID_OTHER;
}

/* The identifier normal form of s, in the arena; NULL if none. */
static int norm_id(un_state *st, const char *s, const char **out)
{
    int rc = EMB_OK;
    *out = emb_model_ident(st->m, s, &rc);
    return rc < 0 ? emb_err_set(rc, "%s: out of memory", st->label) : EMB_OK;
}

static int end_document(un_state *st)
{
    const char **g = st->gf;
    emb_identifier id = {0};
    int rc;
    if (!g[T_NUMBER])
        return EMB_OK;
    if ((rc = norm_id(st, g[T_NUMBER], &id.norm)) < 0)
        return rc;
    if (!id.norm)
        return EMB_OK;   /* punctuation only: nothing to compare */
    const char *t1 = g[T_TYPE_OF_DOCUMENT], *t2 = g[T_TYPE_OF_DOCUMENT2];
    size_t n2 = t2 ? strlen(t2) : 0;
    while (n2 && (t2[n2 - 1] == ':' || t2[n2 - 1] == ' '))
        n2--;
    id.kind = doc_kind(t1);
    if (id.kind == EMB_ID_OTHER && t2)
        id.kind = doc_kind(t2);
    if (t1 && n2 && !(strlen(t1) == n2 && strncasecmp(t1, t2, n2) == 0)) {
        /* "National Identification Number (Ration card number)" */
        size_t n1 = strlen(t1);
        char *s = emb_arena_alloc(&st->m->arena, n1 + n2 + 4);
        if (!s)
            return emb_err_set(EMB_ENOMEM, "%s: out of memory", st->label);
        memcpy(s, t1, n1);
        memcpy(s + n1, " (", 2);
        memcpy(s + n1 + 2, t2, n2);
        memcpy(s + n1 + 2 + n2, ")", 2);
        id.type = s;
    } else if (t1) {
        id.type = t1;
    } else if (n2 && (rc = str_of(st, t2, n2, &id.type)) < 0) {
        return rc;
    }
    id.number = g[T_NUMBER];
    id.country = g[T_ISSUING_COUNTRY] ? g[T_ISSUING_COUNTRY] : g[T_COUNTRY_OF_ISSUE];
    id.cc = un_country_code(id.country);
    id.note = g[T_NOTE];
    rc = emb_draft_add_identifier(&st->d, &id);
    return rc < 0 ? wrap_rec(st, rc) : EMB_OK;
}

/* "IMO Number: 5342883", "IMO number: 5145892", "(IMO) Number: 1790183",
 * "Company Number IMO 5434358" in an entity's comments: IMO company numbers. */
/* emb_remarks_vessels callback: one vessel name of the current entity. */
static int add_vessel_name(void *ctx, const char *name, size_t len)
{
    un_state *st = ctx;
    int rc = EMB_OK;
    const char *full = emb_model_str(st->m, name, len, &rc);
    if (!full)
        return rc < 0 ? emb_err_set(rc, "%s: out of memory", st->label) : EMB_OK;
    emb_name n = {full, NULL, 0, EMB_NAME_VESSEL, NULL};
    return emb_draft_add_name(&st->d, &n);
}

static int add_imo_numbers(un_state *st, const char *s)
{
    int rc;
    for (const char *p = s; p && (p = strstr(p, "IMO")) != NULL; p += 3) {
        if (p > s && isalnum((unsigned char)p[-1]))
            continue;
        const char *q = p + 3;
        if (*q == ')')
            q++;
        while (*q == ' ')
            q++;
        if (strncasecmp(q, "number", 6) == 0)
            q += 6;
        while (*q == ' ')
            q++;
        if (*q == ':')
            q++;
        while (*q == ' ')
            q++;
        int v;
        if (!digits(q, 7, &v) || isdigit((unsigned char)q[7]))
            continue;
        bool dup = false;
        for (size_t i = 0; i < st->d.e.nidentifiers; i++)
            if (st->d.e.identifiers[i].kind == EMB_ID_IMO_COMPANY &&
                strncmp(st->d.e.identifiers[i].number, q, 7) == 0)
                dup = true;
        if (dup)
            continue;
        emb_identifier id = {0};
        id.kind = EMB_ID_IMO_COMPANY;
        id.type = "IMO company number";
        if ((rc = str_of(st, q, 7, &id.number)) < 0)
            return rc;
        id.norm = id.number;
        if ((rc = emb_draft_add_identifier(&st->d, &id)) < 0)
            return wrap_rec(st, rc);
    }
    return EMB_OK;
}

/* ---- records --------------------------------------------------------------- */

static void reset_record(un_state *st)
{
    emb_draft_dispose(&st->d);
    memset(st->rf, 0, sizeof(st->rf));
    memset(st->gf, 0, sizeof(st->gf));
    memset(st->parts, 0, sizeof(st->parts));
    st->nnames = st->ndates = st->nplaces = 0;
    st->group = T_UNKNOWN;
    st->field = T_UNKNOWN;
    st->in_rec = false;
}

static void begin_record(un_state *st, un_tag tag, int depth)
{
    reset_record(st);
    st->in_rec = true;
    st->rec_tag = tag;
    st->rec_depth = depth;
    long line = xmlGetLineNo(xmlTextReaderCurrentNode(st->rd));
    if (line <= 0 || line >= 65535)
        line = xmlTextReaderGetParserLineNumber(st->rd);
    st->rec_line = line;
}

static int end_record(un_state *st)
{
    const char **r = st->rf;
    emb_entity *e = &st->d.e;
    int rc;
    if (!r[T_DATAID])
        return fail_rec(st, EMB_EPARSE, "missing DATAID");
    if (!r[T_REFERENCE_NUMBER])
        return fail_rec(st, EMB_EPARSE, "missing REFERENCE_NUMBER");
    /* primary name: the non-empty parts in written order, joined by one space */
    static const un_tag part_tags[4] = {T_FIRST_NAME, T_SECOND_NAME, T_THIRD_NAME,
                                        T_FOURTH_NAME};
    size_t np = 0, len = 0;
    for (size_t i = 0; i < 4; i++) {
        if (r[part_tags[i]]) {
            st->parts[np++] = r[part_tags[i]];
            len += strlen(r[part_tags[i]]) + 1;
        }
    }
    if (!np)
        return fail_rec(st, EMB_EPARSE, "no name (FIRST_NAME..FOURTH_NAME all empty)");
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

    size_t nl = strlen(st->list_id), nd = strlen(r[T_DATAID]);
    char *id = emb_arena_alloc(&st->m->arena, nl + nd + 2);
    if (!id)
        return emb_err_set(EMB_ENOMEM, "%s: out of memory", st->label);
    memcpy(id, st->list_id, nl);
    id[nl] = '-';
    memcpy(id + nl + 1, r[T_DATAID], nd + 1);
    e->id = id;
    e->list = st->list_id;
    e->list_index = st->list_idx;
    e->reference = r[T_REFERENCE_NUMBER];
    e->schema = st->rec_tag == T_INDIVIDUAL ? EMB_SCHEMA_PERSON : EMB_SCHEMA_ORGANIZATION;
    e->regime = r[T_UN_LIST_TYPE];
    e->program = program_of(r[T_UN_LIST_TYPE]);
    e->remarks = r[T_COMMENTS1];
    if (st->rec_tag == T_INDIVIDUAL)
        e->gender = gender_of(r[T_GENDER], r[T_COMMENTS1]);
    int y, mo, d;
    if (parse_ymd(r[T_LISTED_ON], &y, &mo, &d) == EMB_DATE_DAY &&
        (rc = str_of(st, r[T_LISTED_ON], 10, &e->listed_on)) < 0)
        return rc;

    emb_name primary = {full, st->parts, np, EMB_NAME_PRIMARY, NULL};
    if ((rc = emb_draft_add_name(&st->d, &primary)) < 0)
        return wrap_rec(st, rc);
    if (r[T_NAME_ORIGINAL_SCRIPT]) {
        emb_name orig = {r[T_NAME_ORIGINAL_SCRIPT], NULL, 0, EMB_NAME_ORIGINAL, NULL};
        if ((rc = emb_draft_add_name(&st->d, &orig)) < 0)
            return wrap_rec(st, rc);
    }
    /* a primary name that is two names ("A (CAGL) ; B (GLBC)", CDe.003) stays
     * as the list wrote it, and each of its names is also an alias */
    if (strchr(full, ';') && (rc = hold_alias_names(st, full, EMB_NAME_ALIAS, NULL)) < 0)
        return rc;
    /* a primary name ending "(ACRONYM)" or "(original script)" also gives
     * those forms as aliases */
    if (!strchr(full, ';') && (rc = hold_paren_parts(st, full, strlen(full), EMB_NAME_ALIAS, NULL, 1)) < 0)
        return rc;
    for (size_t i = 0; i < st->nnames; i++)
        if ((rc = emb_draft_add_name(&st->d, &st->names[i])) < 0)
            return wrap_rec(st, rc);
    for (size_t i = 0; i < st->ndates; i++)
        if ((rc = add_date(st, &st->dates[i])) < 0)
            return rc;
    for (size_t i = 0; i < st->nplaces; i++)
        if ((rc = add_birth_place(st, &st->places[i])) < 0)
            return rc;
    if (st->rec_tag == T_ENTITY && (rc = add_imo_numbers(st, r[T_COMMENTS1])) < 0)
        return rc;
    /* ships named in an entity's remarks become vessel names of the entity */
    if (st->rec_tag == T_ENTITY && r[T_COMMENTS1] &&
        (rc = emb_remarks_vessels(r[T_COMMENTS1], add_vessel_name, st)) < 0)
        return rc;

    emb_schema schema = e->schema;
    if ((rc = emb_model_commit(st->m, &st->d)) < 0)
        return wrap_rec(st, rc);
    st->nby_schema[schema]++;
    st->nentities++;
    reset_record(st);
    return EMB_OK;
}

/* ---- the input as a whole ------------------------------------------------------ */

/* ---- the reader loop ----------------------------------------------------------- */

static int begin_root(un_state *st, un_tag tag, const xmlChar *name)
{
    if (tag != T_CONSOLIDATED_LIST)
        return fail_at(st, EMB_EPARSE, "root element is not CONSOLIDATED_LIST",
                       name ? (const char *)name : "?");
    st->seen_root = true;
    xmlChar *date = xmlTextReaderGetAttribute(st->rd, BAD_CAST "dateGenerated");
    int rc = EMB_OK;
    const char *d = NULL;
    if (date && strlen((const char *)date) > UN_MAX_TEXT)
        rc = fail_at(st, EMB_ETOOBIG, "dateGenerated longer than 1 MiB", NULL);
    else if (date)
        rc = str_of(st, (const char *)date, strlen((const char *)date), &d);
    xmlFree(date);
    if (rc < 0)
        return rc;
    rc = emb_model_add_list(st->m, "un", "UN Security Council Consolidated List", "un-xml",
                            st->label, d, &st->list_idx);
    if (rc < 0) {
        char inner[512];
        snprintf(inner, sizeof(inner), "%s", emb_err_last());
        return emb_err_set(rc, "%s: %s", st->label, inner);
    }
    st->list_id = st->m->lists[st->list_idx].id;
    return EMB_OK;
}

/* The end of an element (or an empty element) inside a record. */
static int end_in_record(un_state *st, un_tag tag, int rel)
{
    const char *v = NULL;
    int rc;
    if (rel == 0)
        return end_record(st);
    if (rel == 1) {
        un_tag g = st->group;
        st->group = T_UNKNOWN;
        switch (role_of(g)) {
        case R_FIELD:
            return str_of(st, st->text[0].ptr, st->text[0].len, &st->rf[g]);
        case R_GROUP:
            if (g == T_INDIVIDUAL_ALIAS || g == T_ENTITY_ALIAS)
                return end_alias(st);
            if (g == T_INDIVIDUAL_ADDRESS || g == T_ENTITY_ADDRESS)
                return end_place(st, false);
            if (g == T_INDIVIDUAL_PLACE_OF_BIRTH)
                return end_place(st, true);
            if (g == T_INDIVIDUAL_DATE_OF_BIRTH)
                return end_birth_date(st);
            return end_document(st);
        default:
            return EMB_OK;
        }
    }
    if (rel != 2)
        return EMB_OK;
    st->field = T_UNKNOWN;
    un_role role = role_of(st->group);
    if (role == R_GROUP && group_field(tag))
        return str_of(st, st->text[1].ptr, st->text[1].len, &st->gf[tag]);
    if (role != R_VALUES || tag != T_VALUE)
        return EMB_OK;
    if ((rc = str_of(st, st->text[1].ptr, st->text[1].len, &v)) < 0 || !v)
        return rc;
    switch (st->group) {
    case T_TITLE:
        rc = emb_draft_add_title(&st->d, v);
        break;
    case T_DESIGNATION:
        rc = emb_draft_add_designation(&st->d, v);
        break;
    case T_LAST_DAY_UPDATED:
        rc = emb_draft_add_updated(&st->d, v);
        break;
    default: {
        emb_country c = {v, un_country_code(v)};
        rc = emb_draft_add_nationality(&st->d, &c);
        break;
    }
    }
    return rc < 0 ? wrap_rec(st, rc) : EMB_OK;
}

static int on_element(un_state *st)
{
    const xmlChar *name = xmlTextReaderConstLocalName(st->rd);
    un_tag tag = lookup_tag(name);
    int depth = xmlTextReaderDepth(st->rd);
    bool empty = xmlTextReaderIsEmptyElement(st->rd) == 1;
    if (!st->seen_root) {
        int rc = begin_root(st, tag, name);
        if (rc == EMB_OK && empty)
            st->root_closed = true;
        return rc;
    }
    if (!st->in_rec) {
        if (tag != T_INDIVIDUAL && tag != T_ENTITY)
            return EMB_OK;
        begin_record(st, tag, depth);
        return empty ? end_record(st) : EMB_OK;
    }
    int rel = depth - st->rec_depth;
    if (rel == 1) {
        st->group = tag;
        emb_buf_clear(&st->text[0]);
        if (role_of(tag) == R_GROUP)
            memset(st->gf, 0, sizeof(st->gf));
    } else if (rel == 2) {
        st->field = tag;
        emb_buf_clear(&st->text[1]);
    }
    return empty ? end_in_record(st, tag, rel) : EMB_OK;
}

static int on_end_element(un_state *st)
{
    int depth = xmlTextReaderDepth(st->rd);
    if (!st->in_rec) {
        if (depth == 0)
            st->root_closed = true;
        return EMB_OK;
    }
    return end_in_record(st, lookup_tag(xmlTextReaderConstLocalName(st->rd)),
                         depth - st->rec_depth);
}

static int on_text(un_state *st)
{
    if (!st->in_rec)
        return EMB_OK;
    int rel = xmlTextReaderDepth(st->rd) - st->rec_depth;
    un_role role = role_of(st->group);
    emb_buf *b;
    if (rel == 2 && role == R_FIELD)
        b = &st->text[0];
    else if (rel == 3 && ((role == R_GROUP && group_field(st->field)) ||
                          (role == R_VALUES && st->field == T_VALUE)))
        b = &st->text[1];
    else
        return EMB_OK;   /* text nobody reads is not copied */
    const xmlChar *v = xmlTextReaderConstValue(st->rd);
    if (!v)
        return EMB_OK;
    int rc = emb_buf_append(b, v, strlen((const char *)v));
    if (rc == EMB_ETOOBIG)
        return fail_at(st, rc, "text of one element longer than 1 MiB", NULL);
    if (rc < 0)
        return emb_err_set(rc, "%s: out of memory", st->label);
    return EMB_OK;
}

static int read_all(un_state *st)
{
    int rc = EMB_OK;
    int r;
    while ((r = xmlTextReaderRead(st->rd)) == 1) {
        if (st->x.fail)
            return fail_xml(st);
        switch (xmlTextReaderNodeType(st->rd)) {
        case XML_READER_TYPE_ELEMENT:
            rc = on_element(st);
            break;
        case XML_READER_TYPE_END_ELEMENT:
            rc = on_end_element(st);
            break;
        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
        case XML_READER_TYPE_WHITESPACE:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
            rc = on_text(st);
            break;
        case XML_READER_TYPE_DOCUMENT_TYPE:
            rc = fail_at(st, EMB_EPARSE, "DOCTYPE not allowed in a UN list", NULL);
            break;
        case XML_READER_TYPE_ENTITY_REFERENCE:
            rc = fail_at(st, EMB_EPARSE, "entity reference not allowed in a UN list", NULL);
            break;
        default:
            break;
        }
        if (rc < 0)
            return rc;
    }
    if (r < 0 || st->x.fail)
        return fail_xml(st);
    if (!st->seen_root)
        return fail_at(st, EMB_EPARSE, "no CONSOLIDATED_LIST root element", NULL);
    if (st->in_rec || !st->root_closed)
        return fail_at(st, EMB_EPARSE, "unexpected end of file", NULL);
    return EMB_OK;
}

/* DATAID is the list's primary key: two records with one DATAID make the
 * file unusable (which of them would a screening decision refer to?). */
static int check_unique(const un_state *st, size_t first)
{
    const emb_entity *a, *b;
    int rc = emb_load_find_duplicate(st->m, first, 0, st->label, &a, &b);
    if (rc == EMB_OK && a)
        rc = emb_err_set(EMB_EPARSE, "%s: DATAID %s is used by %s and %s", st->label,
                         b->id + strlen(st->list_id) + 1, a->reference, b->reference);
    return rc;
}

int emb_load_un_xml(emb_model *m, const char *label, const void *data, size_t len)
{
    un_state st;
    int rc = EMB_OK;
    if (!label)
        label = "(memory)";
    if (!m || (!data && len))
        return emb_err_set(EMB_EINVAL, "%s: no model or no data", label);
    if (len == 0)
        return emb_err_set(EMB_EPARSE, "%s:1:1: empty file", label);
    if (len > INT_MAX)
        return emb_err_set(EMB_ETOOBIG, "%s: file larger than %d bytes", label, INT_MAX);

    if ((rc = emb_load_check_utf8(label, data, len)) < 0)
        return rc;

    memset(&st, 0, sizeof(st));
    st.m = m;
    st.label = label;
    emb_buf_init(&st.text[0], UN_MAX_TEXT);
    emb_buf_init(&st.text[1], UN_MAX_TEXT);
    emb_draft_init(&st.d);
    size_t nlists0 = m->nlists, nentities0 = m->nentities;

    st.rd = xmlReaderForMemory(data, (int)len, NULL, "UTF-8", UN_XML_OPTIONS);
    if (!st.rd) {
        rc = emb_err_set(EMB_ENOMEM, "%s: cannot create an XML reader", label);
        goto cleanup;
    }
    xmlTextReaderSetStructuredErrorHandler(st.rd, emb_xml_on_error, &st.x);
    if ((rc = read_all(&st)) < 0 || (rc = check_unique(&st, nentities0)) < 0)
        goto cleanup;

    emb_list_info *li = &m->lists[st.list_idx];
    li->nentities = st.nentities;
    for (size_t i = 0; i < EMB_ARRAY_LEN(li->nby_schema); i++)
        li->nby_schema[i] = st.nby_schema[i];

cleanup:
    if (rc < 0) {
        /* no partial list: forget what this call added (its strings stay in
         * the arena until the model is disposed) */
        m->nlists = nlists0;
        m->nentities = nentities0;
    }
    if (st.rd)
        xmlFreeTextReader(st.rd);
    emb_draft_dispose(&st.d);
    emb_free(st.names);
    emb_free(st.dates);
    emb_free(st.places);
    emb_buf_dispose(&st.text[0]);
    emb_buf_dispose(&st.text[1]);
    return rc;
}
