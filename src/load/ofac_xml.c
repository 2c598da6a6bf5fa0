/*
 * ofac_xml.c - loader for OFAC's sdnList XML (SDN.XML and the consolidated
 * non-SDN list, one schema; see docs LISTS.md section 2b).
 *
 * Streams the file with libxml2's xmlTextReader; each sdnEntry subtree is
 * expanded on its own (xmlTextReaderExpand) and read by local element name,
 * never by namespace or position, then skipped so memory stays bounded by one
 * entry. Untrusted input: no network, no DTD, no entity substitution, DOCTYPE
 * refused, UTF-8 checked before libxml2 sees the bytes, text of one element
 * capped at OX_MAX_TEXT.
 *
 * Invariant: a load succeeds completely or not at all. Any libxml2 error (a
 * per-reader structured handler), a bad entry, a duplicate uid or a
 * Record_Count that disagrees with the entries read fails it and rolls the
 * model back to the lists and entities it held before.
 *
 * Which list: a file where most entries carry a non-SDN marker (NS-* or
 * CMIC-* programmes, sectoral directive determinations) is the consolidated
 * non-SDN list ("ofac-cons"); anything else is the SDN list ("ofac"). The
 * list is registered when the file has been read, then the new entities get
 * their ids ("<list id>-<uid>").
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
#include "model/ident.h"
#include "text/country.h"
#include "util/alloc.h"
#include "util/err.h"

#define OX_MAX_TEXT (1024u * 1024u)   /* bytes of text in one element */
#define OX_XML_OPTIONS \
    (XML_PARSE_NONET | XML_PARSE_IGNORE_ENC | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT)

typedef struct ox_state {
    emb_model *m;
    const char *label;
    xmlTextReaderPtr rd;
    emb_xml_err x;                 /* libxml2's first error */
    bool seen_root;
    const char *publish_date;     /* arena, ISO when readable */
    long record_count;            /* -1: not declared */
    size_t nentities, nnonsdn;
    size_t nby_schema[5];
    long rec_line;
    const char *rec_uid;
    emb_draft d;
} ox_state;

/* ---- errors ------------------------------------------------------------- */

static int fail_at(const ox_state *st, int code, const char *what)
{
    int line = st->rd ? xmlTextReaderGetParserLineNumber(st->rd) : 0;
    int col = st->rd ? xmlTextReaderGetParserColumnNumber(st->rd) : 0;
    return emb_err_set(code, "%s:%d:%d: %s", st->label, line, col, what);
}

static int fail_xml(const ox_state *st)
{
    if (!st->x.fail)
        return fail_at(st, EMB_EPARSE, "malformed XML");
    int line = st->x.line, col = st->x.col;
    if (line <= 0 && st->rd) {
        line = xmlTextReaderGetParserLineNumber(st->rd);
        col = xmlTextReaderGetParserColumnNumber(st->rd);
    }
    return emb_err_set(EMB_EPARSE, "%s:%d:%d: %s", st->label, line, col, st->x.msg);
}

/* "<label>:<line>: sdnEntry uid <uid>: <what>" */
static int fail_rec(const ox_state *st, int code, const char *what)
{
    return emb_err_set(code, "%s:%ld: sdnEntry uid %s: %s", st->label, st->rec_line,
                       st->rec_uid ? st->rec_uid : "(none)", what);
}

static int wrap_rec(const ox_state *st, int code)
{
    char inner[512];
    snprintf(inner, sizeof(inner), "%s", emb_err_last());
    return fail_rec(st, code, inner);
}

static int nomem(const ox_state *st)
{
    return emb_err_set(EMB_ENOMEM, "%s: out of memory", st->label);
}

/* ---- DOM helpers ---------------------------------------------------------- */

static bool is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is(c, name))
            return c;
    return NULL;
}

/* Text content of the element (its descendants' text) squashed into the
 * arena; *out NULL when empty or absent. */
static int text_of(ox_state *st, const xmlNode *n, const char **out)
{
    *out = NULL;
    if (!n)
        return EMB_OK;
    xmlChar *s = xmlNodeGetContent(n);
    if (!s)
        return EMB_OK;
    size_t len = strlen((const char *)s);
    int rc = EMB_OK;
    if (len > OX_MAX_TEXT)
        rc = fail_rec(st, EMB_ETOOBIG, "text of one element longer than 1 MiB");
    else
        *out = emb_model_str(st->m, (const char *)s, len, &rc);
    xmlFree(s);
    if (rc == EMB_ENOMEM)
        return nomem(st);
    return rc;
}

static int child_text(ox_state *st, const xmlNode *n, const char *name, const char **out)
{
    return text_of(st, child(n, name), out);
}

/* ---- values ----------------------------------------------------------------- */

static const char *country_code(const char *v)
{
    if (!v)
        return NULL;
    if (strcasecmp(v, "undetermined") == 0 || strcasecmp(v, "unknown") == 0)
        return NULL;
    return emb_country_code(v);
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

/* A dateOfBirth value (emb_ofac_date): false when unreadable, then the date
 * is not used: a wrong date is worse than none. */
static bool parse_dob(const char *s, emb_date *v)
{
    bool ok = emb_ofac_date(s, strlen(s), v);
    v->raw = s;
    return ok;
}

/* idType -> identifier kind; -1 for types that are flags or contact data,
 * not identifiers ("Secondary sanctions risk:", "Website", "Gender"...). */
static int id_kind(const char *type)
{
    static const struct {
        const char *prefix;
        int kind;
    } allow[] = {
        {"Passport", EMB_ID_PASSPORT},
        {"Diplomatic Passport", EMB_ID_PASSPORT},
        {"National ID No.", EMB_ID_NATIONAL},
        {"National Foreign ID Number", EMB_ID_NATIONAL},
        {"Identification Number", EMB_ID_NATIONAL},
        {"Personal ID Card", EMB_ID_NATIONAL},
        {"Cedula No.", EMB_ID_NATIONAL},
        {"C.U.R.P.", EMB_ID_NATIONAL},
        {"D.N.I.", EMB_ID_NATIONAL},
        {"Citizen's Card Number", EMB_ID_NATIONAL},
        {"Residency Number", EMB_ID_NATIONAL},
        {"SSN", EMB_ID_NATIONAL},
        {"Vessel Registration Identification", EMB_ID_IMO},
        {"MMSI", EMB_ID_MMSI},
        {"Registration ID", EMB_ID_REGISTRATION},
        {"Registration Number", EMB_ID_REGISTRATION},
        {"Public Registration Number", EMB_ID_REGISTRATION},
        {"Business Registration Number", EMB_ID_REGISTRATION},
        {"Business Registration Document", EMB_ID_REGISTRATION},
        {"Company Number", EMB_ID_REGISTRATION},
        {"Commercial Registry Number", EMB_ID_REGISTRATION},
        {"C.R. No.", EMB_ID_REGISTRATION},
        {"Chamber of Commerce Number", EMB_ID_REGISTRATION},
        {"Unified Social Credit Code (USCC)", EMB_ID_REGISTRATION},
        {"Legal Entity Number", EMB_ID_REGISTRATION},
        {"Government Gazette Number", EMB_ID_REGISTRATION},
        {"Certificate of Incorporation Number", EMB_ID_REGISTRATION},
        {"Tax ID No.", EMB_ID_OTHER},
        {"V.A.T. Number", EMB_ID_OTHER},
        {"RUC #", EMB_ID_OTHER},
        {"NIT #", EMB_ID_OTHER},
        {"R.F.C.", EMB_ID_OTHER},
        {"SWIFT/BIC", EMB_ID_OTHER},
        {"BIK (RU)", EMB_ID_OTHER},
        {"ISIN", EMB_ID_OTHER},
        {"Driver's License No.", EMB_ID_OTHER},
        {"License", EMB_ID_OTHER},
        {"Aircraft Construction Number", EMB_ID_OTHER},
        {"Aircraft Manufacturer's Serial Number", EMB_ID_OTHER},
        {"Aircraft Tail Number", EMB_ID_OTHER},
        {"Digital Currency Address", EMB_ID_OTHER},
    };
    if (!type)
        return -1;
    for (size_t i = 0; i < EMB_ARRAY_LEN(allow); i++)
        if (strncasecmp(type, allow[i].prefix, strlen(allow[i].prefix)) == 0)
            return allow[i].kind;
    return -1;
}

/* Types that mark the non-SDN consolidated list's entries. */
static bool nonsdn_id_type(const char *type)
{
    return type && (strncmp(type, "Executive Order 13662 Directive Determination", 45) == 0 ||
                    strncmp(type, "Listing Date (CMIC)", 19) == 0 ||
                    strncmp(type, "Executive Order 14024 Directive Information", 43) == 0);
}

static bool nonsdn_program(const char *p)
{
    return p && (strncmp(p, "NS-", 3) == 0 || strncmp(p, "CMIC-", 5) == 0 ||
                 strcmp(p, "561-Related") == 0 || strcmp(p, "FSE-SY") == 0 ||
                 strcmp(p, "FSE-IR") == 0);
}

static int norm_of(ox_state *st, const char *s, const char **out)
{
    int rc = EMB_OK;
    *out = emb_model_ident(st->m, s, &rc);
    return rc < 0 ? nomem(st) : EMB_OK;
}

/* ---- one entry ------------------------------------------------------------ */

/* "firstName lastName" (individuals) or lastName alone. */
static int compose(ox_state *st, const char *first, const char *last, const char **out)
{
    *out = NULL;
    if (!first || !last) {
        *out = first ? first : last;
        return EMB_OK;
    }
    size_t a = strlen(first), b = strlen(last);
    char *s = emb_arena_alloc(&st->m->arena, a + b + 2);
    if (!s)
        return nomem(st);
    memcpy(s, first, a);
    s[a] = ' ';
    memcpy(s + a + 1, last, b + 1);
    *out = s;
    return EMB_OK;
}

static int add_name(ox_state *st, const char *first, const char *last, emb_name_kind kind,
                    const char **parts)
{
    emb_name nm = {0};
    int rc = compose(st, first, last, &nm.full);
    if (rc < 0 || !nm.full)
        return rc;
    for (size_t i = 0; i < st->d.e.nnames; i++)
        if (strcmp(st->d.e.names[i].full, nm.full) == 0 && kind != EMB_NAME_PRIMARY)
            return EMB_OK;
    nm.kind = kind;
    if (parts && first && last) {
        parts[0] = first;
        parts[1] = last;
        nm.parts = parts;
        nm.nparts = 2;
    }
    rc = emb_draft_add_name(&st->d, &nm);
    return rc < 0 ? wrap_rec(st, rc) : EMB_OK;
}

static int read_akas(ox_state *st, const xmlNode *list)
{
    int rc;
    for (const xmlNode *a = list ? list->children : NULL; a; a = a->next) {
        if (!is(a, "aka"))
            continue;
        const char *type, *cat, *first, *last;
        if ((rc = child_text(st, a, "type", &type)) < 0 ||
            (rc = child_text(st, a, "category", &cat)) < 0 ||
            (rc = child_text(st, a, "firstName", &first)) < 0 ||
            (rc = child_text(st, a, "lastName", &last)) < 0)
            return rc;
        emb_name_kind k = EMB_NAME_ALIAS;
        if (cat && strcasecmp(cat, "weak") == 0)
            k = EMB_NAME_WEAK;
        else if (type && strcasecmp(type, "f.k.a.") == 0)
            k = EMB_NAME_FORMER;
        if ((rc = add_name(st, first, last, k, NULL)) < 0)
            return rc;
    }
    return EMB_OK;
}

static int read_ids(ox_state *st, const xmlNode *list, bool *nonsdn)
{
    int rc;
    for (const xmlNode *i = list ? list->children : NULL; i; i = i->next) {
        if (!is(i, "id"))
            continue;
        const char *type, *num, *country;
        if ((rc = child_text(st, i, "idType", &type)) < 0 ||
            (rc = child_text(st, i, "idNumber", &num)) < 0 ||
            (rc = child_text(st, i, "idCountry", &country)) < 0)
            return rc;
        if (nonsdn_id_type(type))
            *nonsdn = true;
        if (!type || !num)
            continue;
        if (strcasecmp(type, "Gender") == 0) {
            if (strcasecmp(num, "male") == 0)
                st->d.e.gender = "male";
            else if (strcasecmp(num, "female") == 0)
                st->d.e.gender = "female";
            continue;
        }
        if (strcasecmp(type, "Nationality of Registration") == 0) {
            emb_country c = {num, country_code(num)};
            if ((rc = emb_draft_add_nationality(&st->d, &c)) < 0)
                return wrap_rec(st, rc);
            continue;
        }
        int kind = id_kind(type);
        if (kind < 0)
            continue;
        emb_identifier id = {0};
        id.type = type;
        id.number = num;
        id.country = country;
        id.cc = country_code(country);
        if (kind == EMB_ID_IMO) {
            char imo[8];
            /* a number that fails the check digit is kept, never as an IMO */
            if (emb_imo_extract(num, imo) && emb_imo_valid(imo)) {
                if (!(id.norm = emb_arena_strdup(&st->m->arena, imo)))
                    return nomem(st);
            } else {
                kind = EMB_ID_OTHER;
            }
        }
        id.kind = (emb_id_kind)kind;
        if (!id.norm && (rc = norm_of(st, num, &id.norm)) < 0)
            return rc;
        if (!id.norm)
            continue;
        if ((rc = emb_draft_add_identifier(&st->d, &id)) < 0)
            return wrap_rec(st, rc);
    }
    return EMB_OK;
}

static int read_addresses(ox_state *st, const xmlNode *list)
{
    int rc;
    for (const xmlNode *a = list ? list->children : NULL; a; a = a->next) {
        if (!is(a, "address"))
            continue;
        const char *l[3];
        emb_place p = {0};
        if ((rc = child_text(st, a, "address1", &l[0])) < 0 ||
            (rc = child_text(st, a, "address2", &l[1])) < 0 ||
            (rc = child_text(st, a, "address3", &l[2])) < 0 ||
            (rc = child_text(st, a, "city", &p.city)) < 0 ||
            (rc = child_text(st, a, "stateOrProvince", &p.state)) < 0 ||
            (rc = child_text(st, a, "postalCode", &p.zip)) < 0 ||
            (rc = child_text(st, a, "country", &p.country)) < 0)
            return rc;
        size_t len = 0;
        for (int k = 0; k < 3; k++)
            len += l[k] ? strlen(l[k]) + 2 : 0;
        if (len) {
            char *s = emb_arena_alloc(&st->m->arena, len + 1);
            if (!s)
                return nomem(st);
            size_t o = 0;
            for (int k = 0; k < 3; k++) {
                if (!l[k])
                    continue;
                if (o) {
                    memcpy(s + o, ", ", 2);
                    o += 2;
                }
                size_t n = strlen(l[k]);
                memcpy(s + o, l[k], n);
                o += n;
            }
            s[o] = '\0';
            p.street = s;
        }
        if (!p.street && !p.city && !p.state && !p.zip && !p.country)
            continue;
        p.cc = country_code(p.country);
        if ((rc = emb_draft_add_address(&st->d, &p)) < 0)
            return wrap_rec(st, rc);
    }
    return EMB_OK;
}

/* items of a list such as dateOfBirthList/dateOfBirthItem/dateOfBirth */
static int read_items(ox_state *st, const xmlNode *list, const char *item, const char *field,
                      int (*fn)(ox_state *, const char *))
{
    int rc;
    for (const xmlNode *i = list ? list->children : NULL; i; i = i->next) {
        if (!is(i, item))
            continue;
        const char *v;
        if ((rc = child_text(st, i, field, &v)) < 0)
            return rc;
        if (v && (rc = fn(st, v)) < 0)
            return rc;
    }
    return EMB_OK;
}

static int on_dob(ox_state *st, const char *v)
{
    emb_date d;
    if (!parse_dob(v, &d))
        return EMB_OK;
    int rc = emb_draft_add_date(&st->d, &d);
    return rc < 0 ? wrap_rec(st, rc) : EMB_OK;
}

static int on_pob(ox_state *st, const char *v)
{
    emb_place p = {0};
    /* "Port-au-Prince, Haiti", "Pyongyang, Korea, North": the longest tail
     * after a comma that is a country is the country */
    const char *comma = NULL, *cc = NULL, *tail = NULL;
    for (const char *c = strchr(v, ','); c && !cc; c = strchr(c + 1, ',')) {
        tail = c + 1;
        while (*tail == ' ')
            tail++;
        if ((cc = country_code(tail)) != NULL)
            comma = c;
    }
    if (!cc && (cc = country_code(v)) != NULL)
        tail = v;
    p.city = v;
    if (cc) {
        p.cc = cc;
        p.country = tail;
        p.city = NULL;
        if (comma) {
            int rc = EMB_OK;
            p.city = emb_model_str(st->m, v, (size_t)(comma - v), &rc);
            if (rc < 0)
                return nomem(st);
        }
    }
    p.note = v;
    int rc = emb_draft_add_birth_place(&st->d, &p);
    return rc < 0 ? wrap_rec(st, rc) : EMB_OK;
}

static int on_country(ox_state *st, const char *v)
{
    for (size_t i = 0; i < st->d.e.nnationalities; i++)
        if (strcmp(st->d.e.nationalities[i].name, v) == 0)
            return EMB_OK;
    emb_country c = {v, country_code(v)};
    int rc = emb_draft_add_nationality(&st->d, &c);
    return rc < 0 ? wrap_rec(st, rc) : EMB_OK;
}

static int on_program(ox_state *st, const char *v)
{
    int rc = emb_draft_add_program(&st->d, v);
    return rc < 0 ? wrap_rec(st, rc) : EMB_OK;
}

static int read_vessel(ox_state *st, const xmlNode *vi)
{
    emb_entity *e = &st->d.e;
    const char *grt;
    int rc;
    if ((rc = child_text(st, vi, "callSign", &e->call_sign)) < 0 ||
        (rc = child_text(st, vi, "vesselType", &e->vessel_type)) < 0 ||
        (rc = child_text(st, vi, "vesselFlag", &e->flag)) < 0 ||
        (rc = child_text(st, vi, "vesselOwner", &e->owner)) < 0 ||
        (rc = child_text(st, vi, "tonnage", &e->tonnage)) < 0 ||
        (rc = child_text(st, vi, "grossRegisteredTonnage", &grt)) < 0)
        return rc;
    if (!e->tonnage)
        e->tonnage = grt;
    e->flag_cc = country_code(e->flag);
    return EMB_OK;
}

static int read_entry(ox_state *st, const xmlNode *en)
{
    emb_entity *e = &st->d.e;
    const char *uid, *first, *last, *type, *title;
    const char *parts[2];
    bool nonsdn = false;
    int rc;
    emb_draft_dispose(&st->d);
    st->rec_uid = NULL;
    st->rec_line = xmlGetLineNo(en);
    if (st->rec_line <= 0 || st->rec_line >= 65535)
        st->rec_line = xmlTextReaderGetParserLineNumber(st->rd);
    if ((rc = child_text(st, en, "uid", &uid)) < 0)
        return rc;
    st->rec_uid = uid;
    if (!uid)
        return fail_rec(st, EMB_EPARSE, "missing uid");
    if ((rc = child_text(st, en, "firstName", &first)) < 0 ||
        (rc = child_text(st, en, "lastName", &last)) < 0 ||
        (rc = child_text(st, en, "sdnType", &type)) < 0 ||
        (rc = child_text(st, en, "title", &title)) < 0 ||
        (rc = child_text(st, en, "remarks", &e->remarks)) < 0)
        return rc;
    if (!last && !first)
        return fail_rec(st, EMB_EPARSE, "no name (lastName empty)");
    if (!type || strcasecmp(type, "Entity") == 0)
        e->schema = EMB_SCHEMA_ORGANIZATION;
    else if (strcasecmp(type, "Individual") == 0)
        e->schema = EMB_SCHEMA_PERSON;
    else if (strcasecmp(type, "Vessel") == 0)
        e->schema = EMB_SCHEMA_VESSEL;
    else if (strcasecmp(type, "Aircraft") == 0)
        e->schema = EMB_SCHEMA_AIRCRAFT;
    else
        return fail_rec(st, EMB_EPARSE, "unknown sdnType");
    e->reference = uid;
    e->id = uid;   /* made "<list>-<uid>" once the list is registered */
    bool person = e->schema == EMB_SCHEMA_PERSON;
    if ((rc = add_name(st, person || !last ? first : NULL, last, EMB_NAME_PRIMARY, parts)) < 0)
        return rc;
    if (e->schema != EMB_SCHEMA_PERSON && first && last) {
        /* an entity written with a first name too: keep that form as an alias */
        if ((rc = add_name(st, first, last, EMB_NAME_ALIAS, NULL)) < 0)
            return rc;
    }
    if (title && (rc = emb_draft_add_title(&st->d, title)) < 0)
        return wrap_rec(st, rc);
    for (const xmlNode *c = en->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is(c, "programList")) {
            for (const xmlNode *p = c->children; p; p = p->next) {
                const char *v;
                if (!is(p, "program"))
                    continue;
                if ((rc = text_of(st, p, &v)) < 0)
                    return rc;
                if (nonsdn_program(v))
                    nonsdn = true;
                if (v && (rc = on_program(st, v)) < 0)
                    return rc;
            }
        } else if (is(c, "akaList")) {
            rc = read_akas(st, c);
        } else if (is(c, "idList")) {
            rc = read_ids(st, c, &nonsdn);
        } else if (is(c, "addressList")) {
            rc = read_addresses(st, c);
        } else if (is(c, "nationalityList")) {
            rc = read_items(st, c, "nationality", "country", on_country);
        } else if (is(c, "citizenshipList")) {
            rc = read_items(st, c, "citizenship", "country", on_country);
        } else if (is(c, "dateOfBirthList")) {
            rc = read_items(st, c, "dateOfBirthItem", "dateOfBirth", on_dob);
        } else if (is(c, "placeOfBirthList")) {
            rc = read_items(st, c, "placeOfBirthItem", "placeOfBirth", on_pob);
        } else if (is(c, "vesselInfo")) {
            rc = read_vessel(st, c);
        }
        if (rc < 0)
            return rc;
    }
    if (e->schema != EMB_SCHEMA_PERSON)
        e->gender = NULL;
    emb_schema schema = e->schema;
    if ((rc = emb_model_commit(st->m, &st->d)) < 0)
        return wrap_rec(st, rc);
    st->nby_schema[schema]++;
    st->nentities++;
    if (nonsdn)
        st->nnonsdn++;
    return EMB_OK;
}

/* publshInformation/{Publish_Date (MM/DD/YYYY), Record_Count} */
static int read_publish(ox_state *st, const xmlNode *pi)
{
    const char *date, *count;
    int rc;
    st->rec_line = xmlGetLineNo(pi);
    if ((rc = child_text(st, pi, "Publish_Date", &date)) < 0 ||
        (rc = child_text(st, pi, "Record_Count", &count)) < 0)
        return rc;
    int mo, d, y;
    if (date && strlen(date) == 10 && digits(date, 2, &mo) && date[2] == '/' &&
        digits(date + 3, 2, &d) && date[5] == '/' && digits(date + 6, 4, &y) && mo >= 1 &&
        mo <= 12 && d >= 1 && d <= 31) {
        char iso[16];
        snprintf(iso, sizeof(iso), "%04d-%02d-%02d", y, mo, d);
        if (!(date = emb_arena_strdup(&st->m->arena, iso)))
            return nomem(st);
    }
    st->publish_date = date;
    if (count) {
        char *end;
        long n = strtol(count, &end, 10);
        if (*end != '\0' || n < 0 || end == count)
            return emb_err_set(EMB_EPARSE, "%s:%ld: Record_Count is not a number: %s",
                               st->label, st->rec_line, count);
        st->record_count = n;
    }
    return EMB_OK;
}

/* ---- the input as a whole ------------------------------------------------------ */

static int read_all(ox_state *st)
{
    int r, rc = EMB_OK;
    bool root_closed = false;
    while ((r = xmlTextReaderRead(st->rd)) == 1) {
        if (st->x.fail)
            return fail_xml(st);
    again:
        switch (xmlTextReaderNodeType(st->rd)) {
        case XML_READER_TYPE_ELEMENT: {
            const xmlChar *name = xmlTextReaderConstLocalName(st->rd);
            int depth = xmlTextReaderDepth(st->rd);
            if (!st->seen_root) {
                if (!name || strcmp((const char *)name, "sdnList") != 0)
                    return fail_at(st, EMB_EPARSE, "root element is not sdnList");
                st->seen_root = true;
                if (xmlTextReaderIsEmptyElement(st->rd) == 1)
                    root_closed = true;
                break;
            }
            if (depth != 1)
                break;
            bool entry = strcmp((const char *)name, "sdnEntry") == 0;
            if (!entry && strcmp((const char *)name, "publshInformation") != 0)
                break;
            xmlNodePtr node = xmlTextReaderExpand(st->rd);
            if (!node || st->x.fail)
                return fail_xml(st);
            rc = entry ? read_entry(st, node) : read_publish(st, node);
            if (rc < 0)
                return rc;
            /* skip the subtree just read; Next lands on the following node */
            r = xmlTextReaderNext(st->rd);
            if (st->x.fail || r < 0)
                return fail_xml(st);
            if (r == 0)
                goto done;
            goto again;
        }
        case XML_READER_TYPE_END_ELEMENT:
            if (xmlTextReaderDepth(st->rd) == 0)
                root_closed = true;
            break;
        case XML_READER_TYPE_DOCUMENT_TYPE:
            return fail_at(st, EMB_EPARSE, "DOCTYPE not allowed in an OFAC list");
        case XML_READER_TYPE_ENTITY_REFERENCE:
            return fail_at(st, EMB_EPARSE, "entity reference not allowed in an OFAC list");
        default:
            break;
        }
    }
done:
    if (r < 0 || st->x.fail)
        return fail_xml(st);
    if (!st->seen_root)
        return fail_at(st, EMB_EPARSE, "no sdnList root element");
    if (!root_closed)
        return fail_at(st, EMB_EPARSE, "unexpected end of file");
    return EMB_OK;
}

static int check_unique(const ox_state *st, size_t first)
{
    const emb_entity *a, *b;
    int rc = emb_load_find_duplicate(st->m, first, 1, st->label, &a, &b);
    if (rc == EMB_OK && a)
        rc = emb_err_set(EMB_EPARSE, "%s: uid %s is used by two sdnEntry records", st->label,
                         b->reference);
    return rc;
}

/* Register the list and give the new entities their list and ids. */
static int finish(ox_state *st, size_t first)
{
    emb_model *m = st->m;
    bool cons = st->nentities && st->nnonsdn * 2 > st->nentities;
    size_t idx;
    int rc = emb_model_add_list(
        m, cons ? "ofac-cons" : "ofac",
        cons ? "OFAC Consolidated Sanctions List (non-SDN)"
             : "OFAC Specially Designated Nationals and Blocked Persons List",
        "ofac-xml", st->label, st->publish_date, &idx);
    if (rc < 0) {
        char inner[512];
        snprintf(inner, sizeof(inner), "%s", emb_err_last());
        return emb_err_set(rc, "%s: %s", st->label, inner);
    }
    const char *lid = m->lists[idx].id;
    size_t nl = strlen(lid);
    for (size_t i = first; i < m->nentities; i++) {
        emb_entity *e = &m->entities[i];
        size_t nr = strlen(e->reference);
        char *id = emb_arena_alloc(&m->arena, nl + nr + 2);
        if (!id)
            return nomem(st);
        memcpy(id, lid, nl);
        id[nl] = '-';
        memcpy(id + nl + 1, e->reference, nr + 1);
        e->id = id;
        e->list = lid;
        e->list_index = idx;
    }
    emb_list_info *li = &m->lists[idx];
    li->nentities = st->nentities;
    for (size_t i = 0; i < EMB_ARRAY_LEN(li->nby_schema); i++)
        li->nby_schema[i] = st->nby_schema[i];
    return EMB_OK;
}

static int load(emb_model *m, const char *label, const void *data, size_t len)
{
    ox_state st;
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
    st.record_count = -1;
    emb_draft_init(&st.d);
    size_t nlists0 = m->nlists, nentities0 = m->nentities;

    st.rd = xmlReaderForMemory(data, (int)len, NULL, "UTF-8", OX_XML_OPTIONS);
    if (!st.rd) {
        rc = emb_err_set(EMB_ENOMEM, "%s: cannot create an XML reader", label);
        goto cleanup;
    }
    xmlTextReaderSetStructuredErrorHandler(st.rd, emb_xml_on_error, &st.x);
    if ((rc = read_all(&st)) < 0 || (rc = check_unique(&st, nentities0)) < 0)
        goto cleanup;
    if (st.record_count >= 0 && (size_t)st.record_count != st.nentities) {
        rc = emb_err_set(EMB_EPARSE, "%s: Record_Count says %ld entries, the file has %zu",
                         label, st.record_count, st.nentities);
        goto cleanup;
    }
    rc = finish(&st, nentities0);

cleanup:
    if (rc < 0) {
        m->nlists = nlists0;
        m->nentities = nentities0;
    }
    if (st.rd)
        xmlFreeTextReader(st.rd);
    emb_draft_dispose(&st.d);
    return rc;
}

/* The first element, after the prolog, has the local name sdnList. */
/* ---- detection ---------------------------------------------------------------- */

static int detect(const char *s, size_t len)
{
    const char *name;
    size_t nl;
    if (!s || emb_xml_root(s, len, &name, &nl) == SIZE_MAX)
        return 0;
    return nl == 7 && memcmp(name, "sdnList", 7) == 0;
}

const emb_loader emb_loader_ofac_xml = {"ofac-xml", detect, load};
