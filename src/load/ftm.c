/*
 * ftm.c - loader for OpenSanctions FollowTheMoney entities as JSON lines
 * (entities.ftm.json; docs LISTS.md section 5, API-COMPAT.md).
 *
 * One JSON object per line; every property value is a list of strings.
 * Person, Organization, Company, LegalEntity, PublicBody, Vessel and
 * Airplane are the entities to screen. The others are links: a first pass
 * collects Sanction (programmes, listing date, authority by `entity`),
 * Passport / Identification (identifiers by `holder`) and Address (by id),
 * and the second pass builds the screenable entities enriched with them.
 * The FtM id stays the entity id (yente compatibility), and is also the
 * reference.
 *
 * Invariant: a load succeeds completely or not at all. A line that is not
 * JSON, not an object, or whose properties are not lists of strings fails
 * it with "label:line N: ..." and the model is rolled back. Caps: one line
 * FTM_MAX_LINE bytes, one property FTM_MAX_VALUES values.
 */
#include "util/compat.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cjson/cJSON.h>
#include "load/load.h"
#include "model/ident.h"
#include "text/country.h"
#include "util/alloc.h"
#include "util/err.h"

#define FTM_MAX_LINE (16u * 1024u * 1024u)   /* bytes in one line */
#define FTM_MAX_VALUES 4096u                 /* values of one property */
#define FTM_MAX_LINKS (16u * 1024u * 1024u)  /* linked records kept for enrichment */

/* A linked record (Sanction, identification, Address) keyed by the id of
 * the entity it belongs to (or its own id for addresses). */
typedef struct ftm_link {
    const char *key;
    const char *a, *b, *c, *d;   /* meaning depends on the table */
    emb_id_kind kind;
    emb_place place;
} ftm_link;

typedef struct ftm_table {
    ftm_link *v;
    size_t n;
} ftm_table;

typedef struct ftm_state {
    emb_model *m;
    const char *label;
    size_t line;
    const char *id;          /* entity being read, for messages */
    ftm_table sanctions;     /* key entity; a program, b programId, c listingDate, d authority (kept, unused) */
    ftm_table idents;        /* key holder; a number, b type, c country */
    ftm_table addrs;         /* key address id */
    size_t *lines;           /* byte offsets of the screenable lines */
    size_t nlines_kept;
    char max_change[32];
    size_t nentities;
    size_t nby_schema[5];
    emb_draft d;
} ftm_state;

/* ---- errors ------------------------------------------------------------- */

static int fail_line(const ftm_state *st, int code, const char *fmt, ...) EMB_PRINTF(3, 4);

/* "<label>:line N: [id X: ]<what>" */
static int fail_line(const ftm_state *st, int code, const char *fmt, ...)
{
    char what[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (st->id)
        return emb_err_set(code, "%s:line %zu: id %.80s: %s", st->label, st->line, st->id, what);
    return emb_err_set(code, "%s:line %zu: %s", st->label, st->line, what);
}

static int wrap(const ftm_state *st, int code)
{
    char inner[512];
    snprintf(inner, sizeof(inner), "%s", emb_err_last());
    return fail_line(st, code, "%s", inner);
}

static int nomem(const ftm_state *st)
{
    return emb_err_set(EMB_ENOMEM, "%s: out of memory", st->label);
}

/* ---- lines ---------------------------------------------------------------- */

/* The line starting at off: its length without the newline (and a CR). */
static size_t line_len(const char *s, size_t len, size_t off, size_t *next)
{
    const char *nl = memchr(s + off, '\n', len - off);
    size_t end = nl ? (size_t)(nl - s) : len;
    *next = nl ? end + 1 : len;
    size_t n = end - off;
    if (n && s[off + n - 1] == '\r')
        n--;
    return n;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i]))
            return false;
    return true;
}

static size_t bom(const char *s, size_t len)
{
    return len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* Parse one line into an object with string "id", string "schema" and
 * object "properties". */
static int parse_line(ftm_state *st, const char *s, size_t n, cJSON **out)
{
    *out = NULL;
    st->id = NULL;
    if (n > FTM_MAX_LINE)
        return fail_line(st, EMB_ETOOBIG, "line longer than %u bytes", FTM_MAX_LINE);
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(s, n, &end, 0);
    if (!j) {
        size_t at = end && end >= s && end <= s + n ? (size_t)(end - s) : 0;
        return fail_line(st, EMB_EPARSE, "invalid JSON at byte %zu", at + 1);
    }
    if (end && !blank(end, n - (size_t)(end - s))) {
        cJSON_Delete(j);
        return fail_line(st, EMB_EPARSE, "invalid JSON at byte %zu (text after the object)",
                         (size_t)(end - s) + 1);
    }
    if (!cJSON_IsObject(j)) {
        cJSON_Delete(j);
        return fail_line(st, EMB_EPARSE, "not a JSON object");
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "id");
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(j, "schema");
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(j, "properties");
    if (!cJSON_IsString(id) || !id->valuestring[0]) {
        cJSON_Delete(j);
        return fail_line(st, EMB_EPARSE, "field id: missing or not a string");
    }
    st->id = id->valuestring;
    if (!cJSON_IsString(schema)) {
        int rc = fail_line(st, EMB_EPARSE, "field schema: missing or not a string");
        st->id = NULL;
        cJSON_Delete(j);
        return rc;
    }
    if (props && !cJSON_IsObject(props)) {
        int rc = fail_line(st, EMB_EPARSE, "field properties: not an object");
        st->id = NULL;
        cJSON_Delete(j);
        return rc;
    }
    *out = j;
    return EMB_OK;
}

/* The values of property `name` (NULL when absent). Every property is a
 * list of strings; anything else fails the load. */
static int prop(ftm_state *st, const cJSON *j, const char *name, const cJSON **out)
{
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(j, "properties");
    const cJSON *v = props ? cJSON_GetObjectItemCaseSensitive(props, name) : NULL;
    *out = NULL;
    if (!v)
        return EMB_OK;
    if (!cJSON_IsArray(v))
        return fail_line(st, EMB_EPARSE, "property %s: not a list", name);
    size_t n = 0;
    for (const cJSON *c = v->child; c; c = c->next) {
        if (!cJSON_IsString(c))
            return fail_line(st, EMB_EPARSE, "property %s: value %zu is not a string", name,
                             n + 1);
        if (++n > FTM_MAX_VALUES)
            return fail_line(st, EMB_ETOOBIG, "property %s: more than %u values", name,
                             FTM_MAX_VALUES);
    }
    *out = v;
    return EMB_OK;
}

static int str_of(ftm_state *st, const char *s, const char **out)
{
    int rc = EMB_OK;
    *out = emb_model_str(st->m, s, strlen(s), &rc);
    return rc < 0 ? nomem(st) : EMB_OK;
}

/* First value of a property, in the arena (NULL when absent or empty). */
static int first_of(ftm_state *st, const cJSON *j, const char *name, const char **out)
{
    const cJSON *v;
    int rc = prop(st, j, name, &v);
    *out = NULL;
    if (rc < 0 || !v)
        return rc;
    for (const cJSON *c = v->child; c && !*out; c = c->next)
        if ((rc = str_of(st, c->valuestring, out)) < 0)
            return rc;
    return EMB_OK;
}

/* ---- schemata ------------------------------------------------------------- */

static emb_schema screen_schema(const char *s)
{
    if (strcmp(s, "Person") == 0)
        return EMB_SCHEMA_PERSON;
    if (strcmp(s, "Organization") == 0 || strcmp(s, "Company") == 0 ||
        strcmp(s, "LegalEntity") == 0 || strcmp(s, "PublicBody") == 0)
        return EMB_SCHEMA_ORGANIZATION;
    if (strcmp(s, "Vessel") == 0)
        return EMB_SCHEMA_VESSEL;
    if (strcmp(s, "Airplane") == 0)
        return EMB_SCHEMA_AIRCRAFT;
    return EMB_SCHEMA_UNKNOWN;
}

/* ---- pass 1: linked records ---------------------------------------------- */

static int link_add(ftm_state *st, ftm_table *t, const ftm_link *l)
{
    int rc = emb_grow(&t->v, t->n, sizeof(*t->v), FTM_MAX_LINKS);
    if (rc < 0)
        return rc == EMB_ETOOBIG ? fail_line(st, rc, "too many linked records") : nomem(st);
    t->v[t->n++] = *l;
    return EMB_OK;
}

static int cmp_link(const void *a, const void *b)
{
    return strcmp(((const ftm_link *)a)->key, ((const ftm_link *)b)->key);
}

/* First link with this key, or NULL; links with one key are adjacent. */
static const ftm_link *link_find(const ftm_table *t, const char *key, size_t *n)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(t->v[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t k = lo;
    while (k < t->n && strcmp(t->v[k].key, key) == 0)
        k++;
    *n = k - lo;
    return *n ? &t->v[lo] : NULL;
}

static int each_key(ftm_state *st, const cJSON *j, const char *keyprop, ftm_table *t,
                    const ftm_link *proto)
{
    const cJSON *keys;
    int rc = prop(st, j, keyprop, &keys);
    if (rc < 0 || !keys)
        return rc;
    for (const cJSON *k = keys->child; k; k = k->next) {
        ftm_link l = *proto;
        if ((rc = str_of(st, k->valuestring, &l.key)) < 0)
            return rc;
        if (l.key && (rc = link_add(st, t, &l)) < 0)
            return rc;
    }
    return EMB_OK;
}

static int collect(ftm_state *st, const cJSON *j, const char *schema)
{
    ftm_link l;
    int rc;
    memset(&l, 0, sizeof(l));
    if (strcmp(schema, "Sanction") == 0) {
        if ((rc = first_of(st, j, "program", &l.a)) < 0 ||
            (rc = first_of(st, j, "programId", &l.b)) < 0 ||
            (rc = first_of(st, j, "listingDate", &l.c)) < 0 ||
            (rc = first_of(st, j, "authority", &l.d)) < 0)
            return rc;
        if (!l.c && (rc = first_of(st, j, "startDate", &l.c)) < 0)
            return rc;
        return each_key(st, j, "entity", &st->sanctions, &l);
    }
    if (strcmp(schema, "Passport") == 0 || strcmp(schema, "Identification") == 0) {
        if ((rc = first_of(st, j, "number", &l.a)) < 0 ||
            (rc = first_of(st, j, "type", &l.b)) < 0 ||
            (rc = first_of(st, j, "country", &l.c)) < 0)
            return rc;
        if (!l.a)
            return EMB_OK;   /* a passport without a number identifies nothing */
        l.kind = strcmp(schema, "Passport") == 0 ? EMB_ID_PASSPORT : EMB_ID_NATIONAL;
        if (!l.b)
            l.b = l.kind == EMB_ID_PASSPORT ? "passport" : "identification";
        return each_key(st, j, "holder", &st->idents, &l);
    }
    if (strcmp(schema, "Address") == 0) {
        const char *id = cJSON_GetObjectItemCaseSensitive(j, "id")->valuestring;
        if ((rc = str_of(st, id, &l.key)) < 0 || !l.key)
            return rc;
        if ((rc = first_of(st, j, "street", &l.place.street)) < 0 ||
            (rc = first_of(st, j, "city", &l.place.city)) < 0 ||
            (rc = first_of(st, j, "region", &l.place.state)) < 0 ||
            (rc = first_of(st, j, "postalCode", &l.place.zip)) < 0 ||
            (rc = first_of(st, j, "country", &l.place.country)) < 0 ||
            (rc = first_of(st, j, "full", &l.place.note)) < 0)
            return rc;
        if (!l.place.street && !l.place.city)
            l.place.street = l.place.note;
        l.place.cc = l.place.country ? emb_country_code(l.place.country) : NULL;
        return link_add(st, &st->addrs, &l);
    }
    return EMB_OK;
}

/* ---- pass 2: entities ------------------------------------------------------- */

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
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

/* FtM dates are ISO prefixes at their precision: "1962", "1962-05",
 * "1962-05-01" (a time after the day is dropped). */
static emb_date_prec iso_date(const char *s, int *y, int *mo, int *d)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    *y = *mo = *d = 0;
    if (!digits(s, 4, y) || *y == 0)
        return EMB_DATE_NONE;
    if (s[4] == '\0')
        return EMB_DATE_YEAR;
    if (s[4] != '-' || !digits(s + 5, 2, mo) || *mo < 1 || *mo > 12)
        return EMB_DATE_NONE;
    if (s[7] == '\0')
        return EMB_DATE_MONTH;
    if (s[7] != '-' || !digits(s + 8, 2, d) || *d < 1 || *d > mdays[*mo - 1] ||
        (*mo == 2 && *d == 29 && !leap(*y)))
        return EMB_DATE_NONE;
    char c = s[10];
    if (c == '\0' || c == 'T' || c == ' ')
        return EMB_DATE_DAY;
    return EMB_DATE_NONE;
}

static int add_names(ftm_state *st, const cJSON *j, const char *name, emb_name_kind kind)
{
    const cJSON *v;
    int rc = prop(st, j, name, &v);
    if (rc < 0 || !v)
        return rc;
    for (const cJSON *c = v->child; c; c = c->next) {
        emb_name nm = {0};
        if ((rc = str_of(st, c->valuestring, &nm.full)) < 0)
            return rc;
        if (!nm.full)
            continue;
        bool dup = false;
        for (size_t i = 0; i < st->d.e.nnames && !dup; i++)
            dup = strcmp(st->d.e.names[i].full, nm.full) == 0;
        if (dup)
            continue;
        nm.kind = st->d.e.nnames == 0 ? EMB_NAME_PRIMARY : kind;
        if ((rc = emb_draft_add_name(&st->d, &nm)) < 0)
            return wrap(st, rc);
    }
    return EMB_OK;
}

static int add_country(ftm_state *st, const char *v)
{
    const char *cc = emb_country_code(v);
    for (size_t i = 0; i < st->d.e.nnationalities; i++) {
        const emb_country *c = &st->d.e.nationalities[i];
        if (strcmp(c->name, v) == 0 || (cc && c->cc && strcmp(c->cc, cc) == 0))
            return EMB_OK;
    }
    emb_country c = {v, cc};
    int rc = emb_draft_add_nationality(&st->d, &c);
    return rc < 0 ? wrap(st, rc) : EMB_OK;
}

static int add_ident(ftm_state *st, emb_id_kind kind, const char *type, const char *num,
                     const char *country)
{
    emb_identifier id = {0};
    char imo[8];
    int rc = EMB_OK;
    id.kind = kind;
    id.type = type;
    id.number = num;
    id.country = country;
    id.cc = country ? emb_country_code(country) : NULL;
    /* an IMO number compares as its seven digits; one failing the check
     * digit is kept, never as a ship IMO */
    int is_imo = (kind == EMB_ID_IMO || kind == EMB_ID_IMO_COMPANY) && emb_imo_extract(num, imo) &&
                 (kind == EMB_ID_IMO_COMPANY || emb_imo_valid(imo));
    if ((kind == EMB_ID_IMO || kind == EMB_ID_IMO_COMPANY) && !is_imo)
        id.kind = EMB_ID_OTHER;
    id.norm = emb_model_ident(st->m, is_imo ? imo : num, &rc);
    if (rc < 0)
        return nomem(st);
    if (!id.norm)
        return EMB_OK;
    for (size_t i = 0; i < st->d.e.nidentifiers; i++) {
        const emb_identifier *o = &st->d.e.identifiers[i];
        if (o->kind == id.kind && strcmp(o->norm, id.norm) == 0)
            return EMB_OK;
    }
    rc = emb_draft_add_identifier(&st->d, &id);
    return rc < 0 ? wrap(st, rc) : EMB_OK;
}

/* each value of a property through fn */
static int each(ftm_state *st, const cJSON *j, const char *name,
                int (*fn)(ftm_state *, const char *, const void *), const void *arg)
{
    const cJSON *v;
    int rc = prop(st, j, name, &v);
    if (rc < 0 || !v)
        return rc;
    for (const cJSON *c = v->child; c; c = c->next) {
        const char *s;
        if ((rc = str_of(st, c->valuestring, &s)) < 0)
            return rc;
        if (s && (rc = fn(st, s, arg)) < 0)
            return rc;
    }
    return EMB_OK;
}

typedef struct id_spec {
    const char *prop;
    emb_id_kind kind;
} id_spec;

static int on_ident(ftm_state *st, const char *v, const void *arg)
{
    const id_spec *sp = arg;
    return add_ident(st, sp->kind, sp->prop, v, NULL);
}

static int on_country(ftm_state *st, const char *v, const void *arg)
{
    (void)arg;
    return add_country(st, v);
}

static int on_birth_date(ftm_state *st, const char *v, const void *arg)
{
    (void)arg;
    emb_date d = {0};
    d.prec = iso_date(v, &d.year, &d.month, &d.day);
    if (d.prec == EMB_DATE_NONE)
        return EMB_OK;   /* unreadable: not used */
    d.raw = v;
    for (size_t i = 0; i < st->d.e.nbirth_dates; i++) {
        const emb_date *o = &st->d.e.birth_dates[i];
        if (o->prec == d.prec && o->year == d.year && o->month == d.month && o->day == d.day)
            return EMB_OK;
    }
    int rc = emb_draft_add_date(&st->d, &d);
    return rc < 0 ? wrap(st, rc) : EMB_OK;
}

static int on_birth_place(ftm_state *st, const char *v, const void *arg)
{
    bool country = arg != NULL;
    emb_place p = {0};
    if (country) {
        p.country = v;
        p.cc = emb_country_code(v);
    } else {
        p.city = v;
    }
    for (size_t i = 0; i < st->d.e.nbirth_places; i++) {
        const emb_place *o = &st->d.e.birth_places[i];
        if ((o->city && p.city && strcmp(o->city, p.city) == 0) ||
            (o->country && p.country && strcmp(o->country, p.country) == 0))
            return EMB_OK;
    }
    int rc = emb_draft_add_birth_place(&st->d, &p);
    return rc < 0 ? wrap(st, rc) : EMB_OK;
}

static int on_program(ftm_state *st, const char *v, const void *arg)
{
    (void)arg;
    for (size_t i = 0; i < st->d.e.nprograms; i++)
        if (strcmp(st->d.e.programs[i], v) == 0)
            return EMB_OK;
    int rc = emb_draft_add_program(&st->d, v);
    return rc < 0 ? wrap(st, rc) : EMB_OK;
}

static int on_title(ftm_state *st, const char *v, const void *arg)
{
    (void)arg;
    int rc = emb_draft_add_title(&st->d, v);
    return rc < 0 ? wrap(st, rc) : EMB_OK;
}

static int on_position(ftm_state *st, const char *v, const void *arg)
{
    (void)arg;
    int rc = emb_draft_add_designation(&st->d, v);
    return rc < 0 ? wrap(st, rc) : EMB_OK;
}

static int on_address(ftm_state *st, const char *v, const void *arg)
{
    (void)arg;
    for (size_t i = 0; i < st->d.e.naddresses; i++) {
        const emb_place *o = &st->d.e.addresses[i];
        if ((o->note && strcmp(o->note, v) == 0) || (o->street && strcmp(o->street, v) == 0))
            return EMB_OK;
    }
    emb_place p = {0};
    p.street = v;
    int rc = emb_draft_add_address(&st->d, &p);
    return rc < 0 ? wrap(st, rc) : EMB_OK;
}

static int on_address_entity(ftm_state *st, const char *v, const void *arg)
{
    (void)arg;
    size_t n;
    const ftm_link *l = link_find(&st->addrs, v, &n);
    if (!l)
        return EMB_OK;
    int rc = emb_draft_add_address(&st->d, &l->place);
    return rc < 0 ? wrap(st, rc) : EMB_OK;
}

/* remarks: the notes joined by " | " (the first 64 KiB) */
static int remarks_of(ftm_state *st, const cJSON *j)
{
    const cJSON *v;
    int rc = prop(st, j, "notes", &v);
    if (rc < 0 || !v)
        return rc;
    size_t len = 0;
    for (const cJSON *c = v->child; c; c = c->next)
        len += strlen(c->valuestring) + 3;
    if (len > 65536)
        len = 65536;
    char *s = emb_malloc(len + 1);
    if (!s)
        return nomem(st);
    size_t o = 0;
    for (const cJSON *c = v->child; c; c = c->next) {
        size_t k = strlen(c->valuestring);
        if (o + k + 3 > len)
            break;
        if (o) {
            memcpy(s + o, " | ", 3);
            o += 3;
        }
        memcpy(s + o, c->valuestring, k);
        o += k;
    }
    st->d.e.remarks = emb_model_str(st->m, s, o, &rc);
    emb_free(s);
    return rc < 0 ? nomem(st) : EMB_OK;
}

static const char *gender_of(const char *g)
{
    if (!g)
        return NULL;
    if (strcasecmp(g, "male") == 0 || strcasecmp(g, "m") == 0)
        return "male";
    if (strcasecmp(g, "female") == 0 || strcasecmp(g, "f") == 0)
        return "female";
    return NULL;
}

static int build(ftm_state *st, const cJSON *j, emb_schema schema, size_t list_idx,
                 const char *list_id)
{
    emb_entity *e = &st->d.e;
    const char *s;
    int rc;
    emb_draft_dispose(&st->d);
    if ((rc = str_of(st, st->id, &e->id)) < 0)
        return rc;
    e->reference = e->id;
    e->list = list_id;
    e->list_index = list_idx;
    e->schema = schema;
    const cJSON *cap = cJSON_GetObjectItemCaseSensitive(j, "caption");

    /* names: the first `name` is primary */
    if ((rc = add_names(st, j, "name", EMB_NAME_ALIAS)) < 0)
        return rc;
    if (e->nnames == 0 && cJSON_IsString(cap)) {
        emb_name nm = {0};
        if ((rc = str_of(st, cap->valuestring, &nm.full)) < 0)
            return rc;
        if (nm.full && (rc = emb_draft_add_name(&st->d, &nm)) < 0)
            return wrap(st, rc);
    }
    if (e->nnames == 0)
        return 0;   /* nothing to screen by name: not an error, not loaded */
    if ((rc = add_names(st, j, "alias", EMB_NAME_ALIAS)) < 0 ||
        (rc = add_names(st, j, "previousName", EMB_NAME_FORMER)) < 0 ||
        (rc = add_names(st, j, "weakAlias", EMB_NAME_WEAK)) < 0)
        return rc;

    if (schema == EMB_SCHEMA_PERSON) {
        if ((rc = first_of(st, j, "gender", &s)) < 0)
            return rc;
        e->gender = gender_of(s);
        if ((rc = each(st, j, "birthDate", on_birth_date, NULL)) < 0 ||
            (rc = each(st, j, "birthPlace", on_birth_place, NULL)) < 0 ||
            (rc = each(st, j, "birthCountry", on_birth_place, "")) < 0 ||
            (rc = each(st, j, "nationality", on_country, NULL)) < 0 ||
            (rc = each(st, j, "citizenship", on_country, NULL)) < 0 ||
            (rc = each(st, j, "title", on_title, NULL)) < 0 ||
            (rc = each(st, j, "position", on_position, NULL)) < 0)
            return rc;
    }
    if ((rc = each(st, j, "country", on_country, NULL)) < 0 ||
        (rc = each(st, j, "jurisdiction", on_country, NULL)) < 0 ||
        (rc = each(st, j, "mainCountry", on_country, NULL)) < 0)
        return rc;

    static const id_spec ids[] = {
        {"passportNumber", EMB_ID_PASSPORT}, {"idNumber", EMB_ID_NATIONAL},
        {"socialSecurityNumber", EMB_ID_NATIONAL}, {"taxNumber", EMB_ID_OTHER},
        {"vatCode", EMB_ID_OTHER}, {"innCode", EMB_ID_OTHER},
        {"registrationNumber", EMB_ID_REGISTRATION}, {"ogrnCode", EMB_ID_REGISTRATION},
        {"leiCode", EMB_ID_REGISTRATION}, {"swiftBic", EMB_ID_OTHER},
        {"mmsi", EMB_ID_MMSI}, {"icaoCode", EMB_ID_OTHER}, {"serialNumber", EMB_ID_OTHER},
    };
    for (size_t i = 0; i < EMB_ARRAY_LEN(ids); i++)
        if ((rc = each(st, j, ids[i].prop, on_ident, &ids[i])) < 0)
            return rc;
    /* imoNumber: a ship's on Vessel; on an organisation, its company number */
    static const id_spec imo_ship = {"imoNumber", EMB_ID_IMO};
    static const id_spec imo_company = {"imoNumber", EMB_ID_IMO_COMPANY};
    if ((rc = each(st, j, "imoNumber", on_ident,
                   schema == EMB_SCHEMA_ORGANIZATION ? &imo_company : &imo_ship)) < 0)
        return rc;

    if (schema == EMB_SCHEMA_VESSEL || schema == EMB_SCHEMA_AIRCRAFT) {
        if ((rc = first_of(st, j, "callSign", &e->call_sign)) < 0 ||
            (rc = first_of(st, j, "flag", &e->flag)) < 0 ||
            (rc = first_of(st, j, "type", &e->vessel_type)) < 0 ||
            (rc = first_of(st, j, "owner", &e->owner)) < 0 ||
            (rc = first_of(st, j, "tonnage", &e->tonnage)) < 0)
            return rc;
        if (!e->owner && (rc = first_of(st, j, "operator", &e->owner)) < 0)
            return rc;
        if (!e->tonnage && (rc = first_of(st, j, "grossRegisteredTonnage", &e->tonnage)) < 0)
            return rc;
        e->flag_cc = e->flag ? emb_country_code(e->flag) : NULL;
    }

    if ((rc = each(st, j, "programId", on_program, NULL)) < 0 ||
        (rc = each(st, j, "program", on_program, NULL)) < 0 ||
        (rc = each(st, j, "addressEntity", on_address_entity, NULL)) < 0 ||
        (rc = each(st, j, "address", on_address, NULL)) < 0 ||
        (rc = remarks_of(st, j)) < 0)
        return rc;

    /* linked records */
    size_t n;
    const ftm_link *l = link_find(&st->sanctions, st->id, &n);
    for (size_t i = 0; i < n; i++) {
        if (l[i].b && (rc = on_program(st, l[i].b, NULL)) < 0)
            return rc;
        /* `program` is often the text of a regulation: only a short one
         * stands in for a missing programId */
        if (!l[i].b && l[i].a && strlen(l[i].a) <= 40 && (rc = on_program(st, l[i].a, NULL)) < 0)
            return rc;
        int y, mo, d;
        if (l[i].c && iso_date(l[i].c, &y, &mo, &d) == EMB_DATE_DAY &&
            (!e->listed_on || strncmp(l[i].c, e->listed_on, 10) < 0) &&
            !(e->listed_on = emb_arena_strndup(&st->m->arena, l[i].c, 10)))
            return nomem(st);
    }
    l = link_find(&st->idents, st->id, &n);
    for (size_t i = 0; i < n; i++)
        if ((rc = add_ident(st, l[i].kind, l[i].b, l[i].a, l[i].c)) < 0)
            return rc;

    const cJSON *lc = cJSON_GetObjectItemCaseSensitive(j, "last_change");
    if (cJSON_IsString(lc) && lc->valuestring[0] && (rc = str_of(st, lc->valuestring, &s)) == 0 &&
        s && (rc = emb_draft_add_updated(&st->d, s)) < 0)
        return wrap(st, rc);
    if (rc < 0)
        return rc;

    if ((rc = emb_model_commit(st->m, &st->d)) < 0)
        return wrap(st, rc);
    st->nby_schema[schema]++;
    st->nentities++;
    return EMB_OK;
}

/* ---- the input as a whole ------------------------------------------------------ */

static int check_unique(const ftm_state *st, size_t first)
{
    const emb_entity *a, *b;
    int rc = emb_load_find_duplicate(st->m, first, 0, st->label, &a, &b);
    if (rc == EMB_OK && a)
        rc = emb_err_set(EMB_EPARSE, "%s: entity id %s appears on two lines", st->label, b->id);
    return rc;
}

/* Pass 1: check every line, keep the offsets of screenable ones, collect
 * the linked records and the latest last_change. */
static int pass1(ftm_state *st, const char *s, size_t len)
{
    size_t off = bom(s, len), next;
    int rc = EMB_OK;
    for (st->line = 1; off < len; st->line++, off = next) {
        size_t n = line_len(s, len, off, &next);
        if (blank(s + off, n))
            continue;
        cJSON *j;
        if ((rc = parse_line(st, s + off, n, &j)) < 0)
            return rc;
        const char *schema = cJSON_GetObjectItemCaseSensitive(j, "schema")->valuestring;
        if (screen_schema(schema) != EMB_SCHEMA_UNKNOWN) {
            rc = emb_grow(&st->lines, st->nlines_kept, sizeof(*st->lines), EMB_MODEL_MAX_ENTITIES);
            if (rc < 0)
                rc = rc == EMB_ETOOBIG ? fail_line(st, rc, "too many entities") : nomem(st);
            else
                st->lines[st->nlines_kept++] = off;
        } else {
            rc = collect(st, j, schema);
        }
        const cJSON *lc = cJSON_GetObjectItemCaseSensitive(j, "last_change");
        if (rc == EMB_OK && cJSON_IsString(lc) &&
            strncmp(lc->valuestring, st->max_change, sizeof(st->max_change) - 1) > 0)
            snprintf(st->max_change, sizeof(st->max_change), "%s", lc->valuestring);
        cJSON_Delete(j);
        st->id = NULL;
        if (rc < 0)
            return rc;
    }
    ftm_table *tables[3] = {&st->sanctions, &st->idents, &st->addrs};
    for (size_t i = 0; i < 3; i++)
        if (tables[i]->n > 1)
            qsort(tables[i]->v, tables[i]->n, sizeof(ftm_link), cmp_link);
    return EMB_OK;
}

/* Line number of byte offset off (for messages in pass 2). */
static size_t line_of(const char *s, size_t off, size_t *from, size_t *line)
{
    for (size_t i = *from; i < off; i++)
        if (s[i] == '\n')
            (*line)++;
    *from = off;
    return *line;
}

static int load(emb_model *m, const char *label, const void *data, size_t len)
{
    ftm_state st;
    int rc = EMB_OK;
    if (!label)
        label = "(memory)";
    if (!m || (!data && len))
        return emb_err_set(EMB_EINVAL, "%s: no model or no data", label);
    const char *s = data;
    memset(&st, 0, sizeof(st));
    st.m = m;
    st.label = label;
    emb_draft_init(&st.d);
    size_t nlists0 = m->nlists, nentities0 = m->nentities;

    if ((rc = pass1(&st, s, len)) < 0)
        goto cleanup;
    size_t idx;
    rc = emb_model_add_list(m, "opensanctions", "OpenSanctions (FollowTheMoney entities)",
                            "ftm-jsonl", label, st.max_change[0] ? st.max_change : NULL, &idx);
    if (rc < 0) {
        char inner[512];
        snprintf(inner, sizeof(inner), "%s", emb_err_last());
        rc = emb_err_set(rc, "%s: %s", label, inner);
        goto cleanup;
    }
    const char *list_id = m->lists[idx].id;
    size_t from = 0, line = 1;
    for (size_t i = 0; i < st.nlines_kept; i++) {
        size_t off = st.lines[i], next;
        size_t n = line_len(s, len, off, &next);
        st.line = line_of(s, off, &from, &line);
        cJSON *j;
        if ((rc = parse_line(&st, s + off, n, &j)) < 0)
            goto cleanup;
        const char *schema = cJSON_GetObjectItemCaseSensitive(j, "schema")->valuestring;
        rc = build(&st, j, screen_schema(schema), idx, list_id);
        cJSON_Delete(j);
        st.id = NULL;
        if (rc < 0)
            goto cleanup;
    }
    if ((rc = check_unique(&st, nentities0)) < 0)
        goto cleanup;
    emb_list_info *li = &m->lists[idx];
    li->nentities = st.nentities;
    for (size_t i = 0; i < EMB_ARRAY_LEN(li->nby_schema); i++)
        li->nby_schema[i] = st.nby_schema[i];

cleanup:
    if (rc < 0) {
        m->nlists = nlists0;
        m->nentities = nentities0;
    }
    emb_draft_dispose(&st.d);
    emb_free(st.sanctions.v);
    emb_free(st.idents.v);
    emb_free(st.addrs.v);
    emb_free(st.lines);
    return rc;
}

/* ---- detection ---------------------------------------------------------------- */

/* The first non-blank line is a JSON object with "schema" and "properties". */
static int detect(const char *s, size_t len)
{
    if (!s || !len)
        return 0;
    size_t off = bom(s, len), next;
    while (off < len) {
        size_t n = line_len(s, len, off, &next);
        if (!blank(s + off, n)) {
            size_t k = 0;
            while (k < n && (s[off + k] == ' ' || s[off + k] == '\t'))
                k++;
            if (s[off + k] != '{')
                return 0;
            if (n > FTM_MAX_LINE)
                return 0;
            cJSON *j = cJSON_ParseWithLengthOpts(s + off, n, NULL, 0);
            int ok = cJSON_IsObject(j) && cJSON_GetObjectItemCaseSensitive(j, "schema") &&
                     cJSON_GetObjectItemCaseSensitive(j, "properties");
            cJSON_Delete(j);
            return ok;
        }
        off = next;
    }
    return 0;
}

const emb_loader emb_loader_ftm = {"ftm-jsonl", detect, load};
