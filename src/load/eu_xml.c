/*
 * eu_xml.c - loader for the EU Financial Sanctions Files (FSF) XML 1.1
 * export: an `export` root (namespace http://eu.europa.ec/fpi/fsd/export)
 * holding `sanctionEntity` records whose data is almost all in attributes of
 * their children (nameAlias, subjectType, regulation, birthdate, citizenship,
 * identification, address; `remark` is the one text child).
 *
 * Streams with libxml2's xmlTextReader and recognises elements by local name,
 * never by position or prefix. Untrusted input: no network, no DTD, DOCTYPE
 * and entity references refused, UTF-8 checked before libxml2 sees a byte,
 * attribute and text values capped at EU_MAX_TEXT.
 *
 * The EU repeats every name once per translation (nameLanguage): names are
 * deduplicated by their display form. The first strong name is the primary
 * one; names are held back until the record ends so names[0] is primary.
 *
 * Invariant: a load succeeds completely or not at all; on failure the model
 * is rolled back to the lists and entities it held before.
 */
#include "util/compat.h"
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/xmlreader.h>
#include "load/load.h"
#include "load/xmlerr.h"
#include "model/ident.h"
#include "text/country.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/err.h"

#define EU_MAX_TEXT (64u * 1024u)     /* bytes in one attribute or remark */
#define EU_NS "http://eu.europa.ec/fpi/fsd/export"
#define EU_XML_OPTIONS \
    (XML_PARSE_NONET | XML_PARSE_IGNORE_ENC | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT)

typedef struct eu_state {
    emb_model *m;
    const char *label;
    xmlTextReaderPtr rd;
    emb_xml_err x;                 /* libxml2's first error */
    bool seen_root, root_closed;
    size_t list_idx;
    const char *list_id;
    size_t nby_schema[5];
    size_t nentities;
    /* the record being read */
    bool in_rec;
    int rec_depth;
    long rec_line;
    const char *logical_id, *eu_ref;
    bool in_remark;                 /* inside a depth-1 <remark> */
    emb_buf text;                   /* its text */
    emb_buf remarks;                /* all record remarks, "; "-joined */
    emb_draft d;
    emb_name *names; size_t nnames;   /* held back until the record ends */
    size_t primary;                   /* index in names of the primary, or SIZE_MAX */
    const char **parts; size_t nparts; /* name parts of all held names */
} eu_state;

/* ---- errors ----------------------------------------------------------------- */

/* "<label>:<line>:<col>: <what>[: detail]" at the reader's position. */
static int fail_at(const eu_state *st, int code, const char *what, const char *detail)
{
    int line = st->rd ? xmlTextReaderGetParserLineNumber(st->rd) : 0;
    int col = st->rd ? xmlTextReaderGetParserColumnNumber(st->rd) : 0;
    return emb_err_set(code, "%s:%d:%d: %s%s%s", st->label, line, col, what,
                       detail ? ": " : "", detail ? detail : "");
}

static int fail_xml(const eu_state *st)
{
    if (!st->x.fail || st->x.line <= 0)
        return fail_at(st, EMB_EPARSE, st->x.fail ? st->x.msg : "malformed XML", NULL);
    return emb_err_set(EMB_EPARSE, "%s:%d:%d: %s", st->label, st->x.line, st->x.col, st->x.msg);
}

/* "<label>:<line>: sanctionEntity logicalId <id>: <what>" */
static int fail_rec(const eu_state *st, int code, const char *what)
{
    return emb_err_set(code, "%s:%ld: sanctionEntity logicalId %s: %s", st->label,
                       st->rec_line, st->logical_id ? st->logical_id : "(none)", what);
}

/* Line of the current node (the parser's own line runs ahead of it). */
static long node_line(const eu_state *st)
{
    xmlNodePtr n = xmlTextReaderCurrentNode(st->rd);
    long line = n ? xmlGetLineNo(n) : -1;
    return line > 0 ? line : xmlTextReaderGetParserLineNumber(st->rd);
}

static int wrap_rec(const eu_state *st, int code)
{
    char inner[512];
    snprintf(inner, sizeof(inner), "%s", emb_err_last());
    return fail_rec(st, code, inner);
}

/* ---- values ----------------------------------------------------------------- */

static int str_of(eu_state *st, const char *s, size_t n, const char **out)
{
    int rc = EMB_OK;
    *out = emb_model_str(st->m, s, n, &rc);
    if (rc < 0)
        return emb_err_set(rc, "%s: out of memory", st->label);
    return EMB_OK;
}

/* Attribute `name` of the current element as an arena string, or NULL when
 * absent or blank. */
static int attr(eu_state *st, const char *name, const char **out)
{
    *out = NULL;
    xmlChar *v = xmlTextReaderGetAttribute(st->rd, BAD_CAST name);
    if (!v)
        return EMB_OK;
    size_t n = strlen((const char *)v);
    int rc;
    if (n > EU_MAX_TEXT)
        rc = fail_at(st, EMB_ETOOBIG, "attribute value longer than 64 KiB", name);
    else
        rc = str_of(st, (const char *)v, n, out);
    xmlFree(v);
    return rc;
}

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

/* "YYYY-MM-DD" (a time or zone after it is ignored). */
static bool parse_iso_day(const char *s, int *y, int *mo, int *d)
{
    if (!s || strlen(s) < 10 || !digits(s, 4, y) || s[4] != '-' || !digits(s + 5, 2, mo) ||
        s[7] != '-' || !digits(s + 8, 2, d))
        return false;
    char c = s[10];
    if (c && c != 'T' && c != 'Z' && c != '+' && c != '-' && c != ' ')
        return false;
    return valid_ymd(*y, *mo, *d);
}

/* EU country: ISO alpha-2 code ("00" = unknown) and a description. */
static const char *eu_cc(const char *code, const char *desc)
{
    if (code && strcmp(code, "00") != 0) {
        const char *cc = emb_country_code(code);
        if (cc)
            return cc;
    }
    if (desc && strcasecmp(desc, "UNKNOWN") != 0)
        return emb_country_code(desc);
    return NULL;
}

static const char *eu_country(const char *code, const char *desc)
{
    if (desc && strcasecmp(desc, "UNKNOWN") != 0)
        return desc;
    if (code && strcmp(code, "00") != 0)
        return code;
    return NULL;
}

static bool is_true(const char *v)
{
    return v && (strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

/* ---- record children ------------------------------------------------------------ */

static int hold_part(eu_state *st, const char *p)
{
    int rc = emb_grow(&st->parts, st->nparts, sizeof(*st->parts), EMB_DRAFT_MAX_VALUES * 4);
    if (rc < 0)
        return fail_rec(st, rc, rc == EMB_ETOOBIG ? "too many name parts" : "out of memory");
    st->parts[st->nparts++] = p;
    return EMB_OK;
}

static int on_name_alias(eu_state *st)
{
    const char *whole, *first, *middle, *last, *strong, *title, *fn, *gender;
    int rc;
    if ((rc = attr(st, "wholeName", &whole)) < 0 || (rc = attr(st, "firstName", &first)) < 0 ||
        (rc = attr(st, "middleName", &middle)) < 0 || (rc = attr(st, "lastName", &last)) < 0 ||
        (rc = attr(st, "strong", &strong)) < 0 || (rc = attr(st, "title", &title)) < 0 ||
        (rc = attr(st, "function", &fn)) < 0 || (rc = attr(st, "gender", &gender)) < 0)
        return rc;
    if (gender && !st->d.e.gender) {
        if (strcasecmp(gender, "M") == 0)
            st->d.e.gender = "male";
        else if (strcasecmp(gender, "F") == 0)
            st->d.e.gender = "female";
    }
    if (title) {
        bool dup = false;
        for (size_t i = 0; i < st->d.e.ntitles && !dup; i++)
            dup = strcmp(st->d.e.titles[i], title) == 0;
        if (!dup && (rc = emb_draft_add_title(&st->d, title)) < 0)
            return wrap_rec(st, rc);
    }
    if (fn) {
        bool dup = false;
        for (size_t i = 0; i < st->d.e.ndesignations && !dup; i++)
            dup = strcmp(st->d.e.designations[i], fn) == 0;
        if (!dup && (rc = emb_draft_add_designation(&st->d, fn)) < 0)
            return wrap_rec(st, rc);
    }
    const char *pv[3] = {first, middle, last};
    size_t np = 0, len = 0;
    for (size_t i = 0; i < 3; i++)
        if (pv[i]) {
            pv[np++] = pv[i];
            len += strlen(pv[i]) + 1;
        }
    if (!whole && np) {
        char *s = emb_arena_alloc(&st->m->arena, len);
        if (!s)
            return emb_err_set(EMB_ENOMEM, "%s: out of memory", st->label);
        size_t o = 0;
        for (size_t i = 0; i < np; i++) {
            size_t k = strlen(pv[i]);
            if (i)
                s[o++] = ' ';
            memcpy(s + o, pv[i], k);
            o += k;
        }
        s[o] = '\0';
        whole = s;
    }
    if (!whole)
        return EMB_OK;   /* a nameAlias with no name at all says nothing */
    bool weak = strong && !is_true(strong);
    /* one nameAlias per translation: keep the first of each display form,
     * upgrading a weak copy when a strong one follows */
    for (size_t i = 0; i < st->nnames; i++) {
        if (strcmp(st->names[i].full, whole) != 0)
            continue;
        if (!weak && st->names[i].kind == EMB_NAME_WEAK) {
            st->names[i].kind = EMB_NAME_ALIAS;
            if (st->primary == SIZE_MAX)
                st->primary = i;
        }
        return EMB_OK;
    }
    emb_name nm = {whole, NULL, 0, weak ? EMB_NAME_WEAK : EMB_NAME_ALIAS, NULL};
    if (np) {
        /* parts are stored as an offset into st->parts until the record ends */
        nm.parts = (const char *const *)(uintptr_t)(st->nparts + 1);
        nm.nparts = np;
        for (size_t i = 0; i < np; i++)
            if ((rc = hold_part(st, pv[i])) < 0)
                return rc;
    }
    rc = emb_grow(&st->names, st->nnames, sizeof(*st->names), EMB_DRAFT_MAX_VALUES);
    if (rc < 0)
        return fail_rec(st, rc, rc == EMB_ETOOBIG ? "too many names" : "out of memory");
    if (!weak && st->primary == SIZE_MAX)
        st->primary = st->nnames;
    st->names[st->nnames++] = nm;
    return EMB_OK;
}

static int on_subject_type(eu_state *st)
{
    const char *code, *cls;
    int rc;
    if ((rc = attr(st, "code", &code)) < 0 || (rc = attr(st, "classificationCode", &cls)) < 0)
        return rc;
    if ((code && strcasecmp(code, "person") == 0) || (cls && strcasecmp(cls, "P") == 0))
        st->d.e.schema = EMB_SCHEMA_PERSON;
    else if (code && strcasecmp(code, "vessel") == 0)
        st->d.e.schema = EMB_SCHEMA_VESSEL;
    else
        st->d.e.schema = EMB_SCHEMA_ORGANIZATION;
    return EMB_OK;
}

static int on_regulation(eu_state *st)
{
    const char *prog, *pub;
    int rc;
    if ((rc = attr(st, "programme", &prog)) < 0 || (rc = attr(st, "publicationDate", &pub)) < 0)
        return rc;
    int y, mo, d;
    if (pub && parse_iso_day(pub, &y, &mo, &d)) {
        /* listed on: the earliest regulation that names the entry */
        if ((!st->d.e.listed_on || strncmp(pub, st->d.e.listed_on, 10) < 0) &&
            (rc = str_of(st, pub, 10, &st->d.e.listed_on)) < 0)
            return rc;
    }
    if (!prog)
        return EMB_OK;
    for (size_t i = 0; i < st->d.e.nprograms; i++)
        if (strcmp(st->d.e.programs[i], prog) == 0)
            return EMB_OK;
    if ((rc = emb_draft_add_program(&st->d, prog)) < 0)
        return wrap_rec(st, rc);
    if (!st->d.e.regime)
        st->d.e.regime = prog;
    return EMB_OK;
}

static int on_birthdate(eu_state *st)
{
    const char *full, *year, *month, *day, *circa, *city, *region, *place, *code, *desc, *zip;
    int rc;
    if ((rc = attr(st, "birthdate", &full)) < 0 || (rc = attr(st, "year", &year)) < 0 ||
        (rc = attr(st, "monthOfYear", &month)) < 0 || (rc = attr(st, "dayOfMonth", &day)) < 0 ||
        (rc = attr(st, "circa", &circa)) < 0 || (rc = attr(st, "city", &city)) < 0 ||
        (rc = attr(st, "region", &region)) < 0 || (rc = attr(st, "place", &place)) < 0 ||
        (rc = attr(st, "countryIso2Code", &code)) < 0 ||
        (rc = attr(st, "countryDescription", &desc)) < 0 || (rc = attr(st, "zipCode", &zip)) < 0)
        return rc;
    emb_date dt = {0};
    int y = 0, mo = 0, d = 0;
    if (full) {
        if (!parse_iso_day(full, &y, &mo, &d))
            return fail_rec(st, EMB_EPARSE, "birthdate is not YYYY-MM-DD");
        dt.prec = EMB_DATE_DAY;
    } else if (year) {
        if (strlen(year) != 4 || !digits(year, 4, &y) || y == 0)
            return fail_rec(st, EMB_EPARSE, "birthdate year is not YYYY");
        dt.prec = EMB_DATE_YEAR;
        if (month && strlen(month) <= 2 && digits(month, (int)strlen(month), &mo) && mo >= 1 &&
            mo <= 12) {
            dt.prec = EMB_DATE_MONTH;
            if (day && strlen(day) <= 2 && digits(day, (int)strlen(day), &d) &&
                valid_ymd(y, mo, d))
                dt.prec = EMB_DATE_DAY;
            else
                d = 0;
        } else {
            mo = 0;
        }
    }
    if (dt.prec != EMB_DATE_NONE) {
        bool approx = is_true(circa);
        char raw[40];
        if (dt.prec == EMB_DATE_DAY)
            snprintf(raw, sizeof(raw), "%s%04d-%02d-%02d", approx ? "circa " : "", y, mo, d);
        else if (dt.prec == EMB_DATE_MONTH)
            snprintf(raw, sizeof(raw), "%s%04d-%02d", approx ? "circa " : "", y, mo);
        else
            snprintf(raw, sizeof(raw), "%s%04d", approx ? "circa " : "", y);
        dt.year = y;
        if (approx) {
            dt.prec = EMB_DATE_APPROX;
        } else {
            dt.month = mo;
            dt.day = d;
        }
        if (!(dt.raw = emb_arena_strdup(&st->m->arena, raw)))
            return emb_err_set(EMB_ENOMEM, "%s: out of memory", st->label);
        bool dup = false;
        for (size_t i = 0; i < st->d.e.nbirth_dates && !dup; i++) {
            const emb_date *o = &st->d.e.birth_dates[i];
            dup = o->prec == dt.prec && o->year == dt.year && o->month == dt.month &&
                  o->day == dt.day;
        }
        if (!dup && (rc = emb_draft_add_date(&st->d, &dt)) < 0)
            return wrap_rec(st, rc);
    }
    const char *country = eu_country(code, desc);
    if (city || place || region || country) {
        emb_place p = {NULL, city ? city : place, region, zip, country, eu_cc(code, desc),
                       city ? place : NULL};
        if ((rc = emb_draft_add_birth_place(&st->d, &p)) < 0)
            return wrap_rec(st, rc);
    }
    return EMB_OK;
}

static int on_citizenship(eu_state *st)
{
    const char *code, *desc;
    int rc;
    if ((rc = attr(st, "countryIso2Code", &code)) < 0 ||
        (rc = attr(st, "countryDescription", &desc)) < 0)
        return rc;
    emb_country c = {eu_country(code, desc), eu_cc(code, desc)};
    if (!c.name)
        return EMB_OK;
    for (size_t i = 0; i < st->d.e.nnationalities; i++)
        if (strcmp(st->d.e.nationalities[i].name, c.name) == 0)
            return EMB_OK;
    if ((rc = emb_draft_add_nationality(&st->d, &c)) < 0)
        return wrap_rec(st, rc);
    return EMB_OK;
}

static int norm_of(eu_state *st, const char *s, const char **out)
{
    int rc = EMB_OK;
    *out = emb_model_ident(st->m, s, &rc);
    return rc < 0 ? emb_err_set(rc, "%s: out of memory", st->label) : EMB_OK;
}

/* An identifier of the record (deduplicated on kind and normal form). */
static int add_ident(eu_state *st, emb_identifier *id)
{
    int rc;
    if ((rc = norm_of(st, id->number, &id->norm)) < 0)
        return rc;
    if (!id->norm)
        return EMB_OK;
    for (size_t i = 0; i < st->d.e.nidentifiers; i++) {
        const emb_identifier *o = &st->d.e.identifiers[i];
        if (o->kind == id->kind && o->norm && strcmp(o->norm, id->norm) == 0)
            return EMB_OK;
    }
    if ((rc = emb_draft_add_identifier(&st->d, id)) < 0)
        return wrap_rec(st, rc);
    return EMB_OK;
}

static int on_identification(eu_state *st)
{
    const char *number, *latin, *code, *desc, *type, *tdesc, *issued;
    int rc;
    if ((rc = attr(st, "number", &number)) < 0 || (rc = attr(st, "latinNumber", &latin)) < 0 ||
        (rc = attr(st, "countryIso2Code", &code)) < 0 ||
        (rc = attr(st, "countryDescription", &desc)) < 0 ||
        (rc = attr(st, "identificationTypeCode", &type)) < 0 ||
        (rc = attr(st, "identificationTypeDescription", &tdesc)) < 0 ||
        (rc = attr(st, "issuedBy", &issued)) < 0)
        return rc;
    emb_identifier id = {0};
    id.number = latin ? latin : number;
    if (!id.number)
        return EMB_OK;
    id.type = tdesc ? tdesc : type;
    id.country = eu_country(code, desc);
    id.cc = eu_cc(code, desc);
    id.note = issued;
    if (type && strcasecmp(type, "passport") == 0) {
        id.kind = EMB_ID_PASSPORT;
    } else if (type && strcasecmp(type, "id") == 0) {
        id.kind = EMB_ID_NATIONAL;
    } else if (type && (strcasecmp(type, "regnumber") == 0)) {
        id.kind = EMB_ID_REGISTRATION;
    } else if (type && strcasecmp(type, "imo") == 0) {
        char d7[8];
        id.kind = emb_imo_extract(id.number, d7) && emb_imo_valid(d7) ? EMB_ID_IMO
                                                                       : EMB_ID_OTHER;
    }
    return add_ident(st, &id);
}

static int on_address(eu_state *st)
{
    const char *street, *city, *zip, *region, *place, *code, *desc, *pobox;
    int rc;
    if ((rc = attr(st, "street", &street)) < 0 || (rc = attr(st, "city", &city)) < 0 ||
        (rc = attr(st, "zipCode", &zip)) < 0 || (rc = attr(st, "region", &region)) < 0 ||
        (rc = attr(st, "place", &place)) < 0 || (rc = attr(st, "countryIso2Code", &code)) < 0 ||
        (rc = attr(st, "countryDescription", &desc)) < 0 || (rc = attr(st, "poBox", &pobox)) < 0)
        return rc;
    emb_place p = {street ? street : pobox, city ? city : place, region, zip,
                   eu_country(code, desc), eu_cc(code, desc), NULL};
    if (!p.street && !p.city && !p.state && !p.zip && !p.country)
        return EMB_OK;
    if ((rc = emb_draft_add_address(&st->d, &p)) < 0)
        return wrap_rec(st, rc);
    return EMB_OK;
}

/* ---- records -------------------------------------------------------------------- */

static void reset_record(eu_state *st)
{
    st->in_rec = false;
    st->in_remark = false;
    st->logical_id = st->eu_ref = NULL;
    st->nnames = 0;
    st->nparts = 0;
    st->primary = SIZE_MAX;
    emb_buf_clear(&st->remarks);
    emb_draft_dispose(&st->d);
    emb_draft_init(&st->d);
}

static int begin_record(eu_state *st, int depth)
{
    int rc;
    reset_record(st);
    st->in_rec = true;
    st->rec_depth = depth;
    st->rec_line = node_line(st);
    const char *un;
    if ((rc = attr(st, "logicalId", &st->logical_id)) < 0 ||
        (rc = attr(st, "euReferenceNumber", &st->eu_ref)) < 0 ||
        (rc = attr(st, "unitedNationId", &un)) < 0)
        return rc;
    if (!st->logical_id)
        return fail_rec(st, EMB_EPARSE, "missing logicalId");
    for (const char *p = st->logical_id; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
            return fail_rec(st, EMB_EPARSE, "logicalId is not a plain key");
    if (un) {
        emb_identifier id = {EMB_ID_OTHER, "UN reference", un, NULL, NULL, NULL, NULL};
        return add_ident(st, &id);
    }
    return EMB_OK;
}

static int end_record(eu_state *st)
{
    emb_entity *e = &st->d.e;
    int rc;
    if (!st->nnames)
        return fail_rec(st, EMB_EPARSE, "no name (no nameAlias with a name)");
    if (e->schema == EMB_SCHEMA_UNKNOWN)
        e->schema = EMB_SCHEMA_ORGANIZATION;   /* subjectType missing: not a person */
    size_t nl = strlen(st->list_id), nk = strlen(st->logical_id);
    char *id = emb_arena_alloc(&st->m->arena, nl + nk + 2);
    if (!id)
        return emb_err_set(EMB_ENOMEM, "%s: out of memory", st->label);
    memcpy(id, st->list_id, nl);
    id[nl] = '-';
    memcpy(id + nl + 1, st->logical_id, nk + 1);
    e->id = id;
    e->list = st->list_id;
    e->list_index = st->list_idx;
    e->reference = st->eu_ref ? st->eu_ref : st->logical_id;
    if (st->remarks.len && (rc = str_of(st, st->remarks.ptr, st->remarks.len, &e->remarks)) < 0)
        return rc;
    size_t pi = st->primary == SIZE_MAX ? 0 : st->primary;
    for (size_t k = 0; k < st->nnames; k++) {
        size_t i = k == 0 ? pi : (k <= pi ? k - 1 : k);
        emb_name nm = st->names[i];
        if (nm.nparts)
            nm.parts = st->parts + ((uintptr_t)nm.parts - 1);
        if (k == 0)
            nm.kind = EMB_NAME_PRIMARY;
        if ((rc = emb_draft_add_name(&st->d, &nm)) < 0)
            return wrap_rec(st, rc);
    }
    emb_schema schema = e->schema;
    if ((rc = emb_model_commit(st->m, &st->d)) < 0)
        return wrap_rec(st, rc);
    st->nby_schema[schema]++;
    st->nentities++;
    reset_record(st);
    return EMB_OK;
}

/* ---- the reader loop --------------------------------------------------------------- */

static int begin_root(eu_state *st, const char *name)
{
    if (!name || strcmp(name, "export") != 0)
        return fail_at(st, EMB_EPARSE, "root element is not export", name ? name : "?");
    st->seen_root = true;
    const char *gen;
    int rc = attr(st, "generationDate", &gen);
    if (rc < 0)
        return rc;
    int y, mo, d;
    if (gen && parse_iso_day(gen, &y, &mo, &d) && (rc = str_of(st, gen, 10, &gen)) < 0)
        return rc;
    rc = emb_model_add_list(st->m, "eu", "EU Financial Sanctions Files (consolidated list)",
                            "eu-xml", st->label, gen, &st->list_idx);
    if (rc < 0) {
        char inner[512];
        snprintf(inner, sizeof(inner), "%s", emb_err_last());
        return emb_err_set(rc, "%s: %s", st->label, inner);
    }
    st->list_id = st->m->lists[st->list_idx].id;
    return EMB_OK;
}

static int end_remark(eu_state *st)
{
    st->in_remark = false;
    if (!st->text.len)
        return EMB_OK;
    int rc = EMB_OK;
    if (st->remarks.len)
        rc = emb_buf_puts(&st->remarks, "; ");
    if (rc == EMB_OK)
        rc = emb_buf_append(&st->remarks, st->text.ptr, st->text.len);
    if (rc == EMB_ETOOBIG)
        return fail_rec(st, rc, "remarks longer than 64 KiB");
    if (rc < 0)
        return emb_err_set(rc, "%s: out of memory", st->label);
    return EMB_OK;
}

static int on_element(eu_state *st)
{
    const char *name = (const char *)xmlTextReaderConstLocalName(st->rd);
    int depth = xmlTextReaderDepth(st->rd);
    bool empty = xmlTextReaderIsEmptyElement(st->rd) == 1;
    int rc = EMB_OK;
    if (!st->seen_root) {
        rc = begin_root(st, name);
        if (rc == EMB_OK && empty)
            st->root_closed = true;
        return rc;
    }
    if (!name)
        return EMB_OK;
    if (!st->in_rec) {
        if (strcmp(name, "sanctionEntity") != 0)
            return EMB_OK;
        if ((rc = begin_record(st, depth)) < 0)
            return rc;
        return empty ? end_record(st) : EMB_OK;
    }
    if (depth - st->rec_depth != 1)
        return EMB_OK;
    if (strcmp(name, "nameAlias") == 0)
        rc = on_name_alias(st);
    else if (strcmp(name, "subjectType") == 0)
        rc = on_subject_type(st);
    else if (strcmp(name, "regulation") == 0)
        rc = on_regulation(st);
    else if (strcmp(name, "birthdate") == 0)
        rc = on_birthdate(st);
    else if (strcmp(name, "citizenship") == 0)
        rc = on_citizenship(st);
    else if (strcmp(name, "identification") == 0)
        rc = on_identification(st);
    else if (strcmp(name, "address") == 0)
        rc = on_address(st);
    else if (strcmp(name, "remark") == 0 && !empty) {
        st->in_remark = true;
        emb_buf_clear(&st->text);
    }
    return rc;
}

static int on_end_element(eu_state *st)
{
    int depth = xmlTextReaderDepth(st->rd);
    if (!st->in_rec) {
        if (depth == 0)
            st->root_closed = true;
        return EMB_OK;
    }
    if (depth == st->rec_depth)
        return end_record(st);
    if (depth == st->rec_depth + 1 && st->in_remark)
        return end_remark(st);
    return EMB_OK;
}

static int on_text(eu_state *st)
{
    if (!st->in_rec || !st->in_remark || xmlTextReaderDepth(st->rd) != st->rec_depth + 2)
        return EMB_OK;
    const xmlChar *v = xmlTextReaderConstValue(st->rd);
    if (!v)
        return EMB_OK;
    int rc = emb_buf_append(&st->text, v, strlen((const char *)v));
    if (rc == EMB_ETOOBIG)
        return fail_at(st, rc, "remark longer than 64 KiB", NULL);
    if (rc < 0)
        return emb_err_set(rc, "%s: out of memory", st->label);
    return EMB_OK;
}

static int read_all(eu_state *st)
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
            rc = fail_at(st, EMB_EPARSE, "DOCTYPE not allowed in an EU list", NULL);
            break;
        case XML_READER_TYPE_ENTITY_REFERENCE:
            rc = fail_at(st, EMB_EPARSE, "entity reference not allowed in an EU list", NULL);
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
        return fail_at(st, EMB_EPARSE, "no export root element", NULL);
    if (st->in_rec || !st->root_closed)
        return fail_at(st, EMB_EPARSE, "unexpected end of file", NULL);
    return EMB_OK;
}

/* logicalId is the list's key: two records with one key make it unusable. */
static int check_unique(const eu_state *st, size_t first)
{
    const emb_entity *a, *b;
    int rc = emb_load_find_duplicate(st->m, first, 0, st->label, &a, &b);
    if (rc == EMB_OK && a)
        rc = emb_err_set(EMB_EPARSE, "%s: logicalId %s is used by %s and %s", st->label,
                         b->id + strlen(st->list_id) + 1, a->reference, b->reference);
    return rc;
}

static int load(emb_model *m, const char *label, const void *data, size_t len)
{
    eu_state st;
    int rc;
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
    st.primary = SIZE_MAX;
    emb_buf_init(&st.text, EU_MAX_TEXT);
    emb_buf_init(&st.remarks, EU_MAX_TEXT);
    emb_draft_init(&st.d);
    size_t nlists0 = m->nlists, nentities0 = m->nentities;

    st.rd = xmlReaderForMemory(data, (int)len, NULL, "UTF-8", EU_XML_OPTIONS);
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
        m->nlists = nlists0;
        m->nentities = nentities0;
    }
    if (st.rd)
        xmlFreeTextReader(st.rd);
    emb_draft_dispose(&st.d);
    emb_free(st.names);
    emb_free(st.parts);
    emb_buf_dispose(&st.text);
    emb_buf_dispose(&st.remarks);
    return rc;
}

/* ---- detection ----------------------------------------------------------------------- */

static bool has(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, lit, k) == 0)
            return true;
    return false;
}

/* The root element is `export` (any prefix), and the start of the file has
 * a sanctionEntity or the FSF namespace. */
static int detect(const char *s, size_t len)
{
    const char *name;
    size_t nl;
    if (!s)
        return 0;
    size_t i = emb_xml_root(s, len, &name, &nl);
    if (i == SIZE_MAX || nl != 6 || memcmp(name, "export", 6) != 0)
        return 0;
    size_t n = len < EMB_XML_DETECT_WINDOW ? len : EMB_XML_DETECT_WINDOW;
    return has(s + i, n - i, "sanctionEntity") || has(s + i, n - i, EU_NS);
}

const emb_loader emb_loader_eu_xml = {"eu-xml", detect, load};
