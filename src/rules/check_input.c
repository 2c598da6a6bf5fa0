/*
 * check_input.c - parse and validate the input document of `embargo check`.
 *
 * The document comes from users and other tools, so it is untrusted: it is
 * capped (EMB_CHECK_MAX_BYTES, EMB_CHECK_MAX_DEPTH, and a cap per list and
 * per string), every string must be valid UTF-8, and every object accepts
 * only the fields docs/CHECK.md lists. Values with a vocabulary (roles,
 * services, purposes, notification types, exemption keys, cap totals) are
 * checked against the regime data, so the data decides what is allowed.
 * Every error names the field path: "parties[2].country: expected an ISO
 * 3166-1 country code, got 'Korea'".
 *
 * Invariant: on success every pointer in the emb_cin points into the arena
 * passed in; on failure the arena may hold partial data, freed with it.
 */
#include "util/compat.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "rules/check_input.h"
#include "text/country.h"
#include "util/alloc.h"
#include "util/err.h"

#define SHOW_MAX 48    /* bytes of a bad value quoted back */

typedef struct cx {
    emb_arena *a;
    const emb_regimes *rg;
} cx;

static int oom(void)
{
    return emb_err_set(EMB_ENOMEM, "out of memory");
}

/* Quote at most SHOW_MAX bytes of s, cut on a character boundary. */
static void shown(const char *s, char out[SHOW_MAX + 8])
{
    size_t n = strlen(s);
    const char *more = "";
    if (n > SHOW_MAX) {
        n = SHOW_MAX;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        more = "...";
    }
    snprintf(out, SHOW_MAX + 8, "%.*s%s", (int)n, s, more);
}

static int fail(const char *path, const char *what)
{
    return emb_err_set(EMB_EPARSE, "%s: %s", path, what);
}

static int fail_val(const char *path, const char *what, const char *val)
{
    char q[SHOW_MAX + 8];
    shown(val, q);
    return emb_err_set(EMB_EPARSE, "%s: %s, got '%s'", path, what, q);
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF. */
static bool utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k;
        uint32_t cp, min;
        if (c >= 0xC2 && c <= 0xDF)
            k = 1, cp = c & 0x1F, min = 0x80;
        else if ((c & 0xF0) == 0xE0)
            k = 2, cp = c & 0x0F, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4)
            k = 3, cp = c & 0x07, min = 0x10000;
        else
            return false;
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

/* Every field of object `o` (at `path`) must be in `keys`, once. */
static int known_fields(const cJSON *o, const char *path, const char *const *keys)
{
    const cJSON *e;
    size_t idx = 0;
    cJSON_ArrayForEach(e, o) {
        char p[256];
        const char *k = e->string ? e->string : "";
        bool ok = false;
        for (size_t i = 0; keys[i]; i++)
            if (strcmp(k, keys[i]) == 0)
                ok = true;
        char q[SHOW_MAX + 8];
        shown(k, q);
        snprintf(p, sizeof(p), "%s%s%s", path, path[0] ? "." : "", q);
        if (!ok)
            return fail(p, "unknown field");
        /* the fields before this one are all known, hence few */
        const cJSON *f = o->child;
        for (size_t j = 0; j < idx; j++, f = f->next)
            if (strcmp(f->string, k) == 0)
                return fail(p, "field given twice");
        idx++;
    }
    return EMB_OK;
}

static const cJSON *field(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return v && !cJSON_IsNull(v) ? v : NULL;
}

/* A non-empty, trimmed, valid UTF-8 string of at most EMB_CHECK_MAX_STRING
 * bytes, copied into the arena. */
static int str_val(cx *c, const cJSON *v, const char *path, const char **out)
{
    if (!cJSON_IsString(v))
        return fail(path, "expected a string");
    const char *s = v->valuestring;
    size_t n = strlen(s);
    if (!utf8_valid((const unsigned char *)s, n))
        return fail(path, "not valid UTF-8");
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n == 0)
        return fail(path, "expected a non-empty string");
    if (n > EMB_CHECK_MAX_STRING)
        return emb_err_set(EMB_ETOOBIG, "%s: longer than %d bytes", path, EMB_CHECK_MAX_STRING);
    *out = emb_arena_strndup(c->a, s, n);
    return *out ? EMB_OK : oom();
}

static int opt_str(cx *c, const cJSON *o, const char *key, const char *path, const char **out)
{
    const cJSON *v = field(o, key);
    char p[256];
    *out = NULL;
    if (!v)
        return EMB_OK;
    snprintf(p, sizeof(p), "%s%s%s", path, path[0] ? "." : "", key);
    return str_val(c, v, p, out);
}

static int country_val(cx *c, const cJSON *v, const char *path, const char **out)
{
    const char *s;
    int rc = str_val(c, v, path, &s);
    if (rc < 0)
        return rc;
    size_t n = strlen(s);
    bool alpha = n == 2 || n == 3;
    for (size_t i = 0; alpha && i < n; i++)
        alpha = isalpha((unsigned char)s[i]) != 0;
    if (!alpha || !(*out = emb_country_code(s)))
        return fail_val(path, "expected an ISO 3166-1 country code (e.g. KP, RU)", s);
    return EMB_OK;
}

static int opt_country(cx *c, const cJSON *o, const char *key, const char *path, const char **out)
{
    const cJSON *v = field(o, key);
    char p[256];
    *out = NULL;
    if (!v)
        return EMB_OK;
    snprintf(p, sizeof(p), "%s%s%s", path, path[0] ? "." : "", key);
    return country_val(c, v, p, out);
}

static int opt_number(const cJSON *o, const char *key, const char *path, bool *has, double *out)
{
    const cJSON *v = field(o, key);
    char p[256];
    *has = false;
    if (!v)
        return EMB_OK;
    snprintf(p, sizeof(p), "%s.%s", path, key);
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0 ||
        v->valuedouble > 1e15)
        return fail(p, "expected a number from 0 to 1e15");
    *has = true;
    *out = v->valuedouble;
    return EMB_OK;
}

/* One of the vocabulary's keys; the message lists them. */
static int vocab_val(cx *c, const cJSON *v, const char *path, const emb_vocab *voc,
                     const char *what, const char **out)
{
    const char *s;
    int rc = str_val(c, v, path, &s);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < voc->n; i++)
        if (strcmp(voc->v[i].key, s) == 0) {
            *out = voc->v[i].key;
            return EMB_OK;
        }
    char list[512];
    size_t k = 0;
    list[0] = '\0';
    for (size_t i = 0; i < voc->n && k < sizeof(list) - 1; i++)
        k += (size_t)snprintf(list + k, sizeof(list) - k, "%s%s", i ? ", " : "", voc->v[i].key);
    char q[SHOW_MAX + 8];
    shown(s, q);
    return emb_err_set(EMB_EPARSE, "%s: unknown %s '%s' (expected one of: %s)", path, what, q, list);
}

static int strs_in(cx *c, const cJSON *v, const char *path, const emb_strs *allowed,
                   const char *what, const char *s, const char **out)
{
    (void)c;
    (void)v;
    for (size_t i = 0; i < allowed->n; i++)
        if (strcmp(allowed->v[i], s) == 0) {
            *out = allowed->v[i];
            return EMB_OK;
        }
    char list[768];
    size_t k = 0;
    list[0] = '\0';
    for (size_t i = 0; i < allowed->n && k < sizeof(list) - 1; i++)
        k += (size_t)snprintf(list + k, sizeof(list) - k, "%s%s", i ? ", " : "", allowed->v[i]);
    char q[SHOW_MAX + 8];
    shown(s, q);
    return emb_err_set(EMB_EPARSE, "%s: unknown %s '%s' (expected one of: %s)", path, what, q, list);
}

/* An array field: NULL when absent; otherwise its size is checked. */
static int array_field(const cJSON *o, const char *key, size_t max, const cJSON **out, size_t *n)
{
    const cJSON *v = field(o, key);
    *out = NULL;
    *n = 0;
    if (!v)
        return EMB_OK;
    if (!cJSON_IsArray(v))
        return fail(key, "expected a list");
    int sz = cJSON_GetArraySize(v);
    if (sz < 0 || (size_t)sz > max)
        return emb_err_set(EMB_ETOOBIG, "%s: more than %zu entries", key, max);
    *out = v;
    *n = (size_t)sz;
    return EMB_OK;
}

static void *arr(cx *c, size_t n, size_t el)
{
    return emb_arena_alloc(c->a, (n ? n : 1) * el);
}

/* ---- parts ---------------------------------------------------------------- */

static int parse_party(cx *c, const cJSON *o, size_t i, emb_cin_party *p)
{
    static const char *keys[] = {"role", "name", "schema", "country", "identifiers", "aliases",
                                 "birth_date", NULL};
    char path[64], sub[128];
    snprintf(path, sizeof(path), "parties[%zu]", i);
    if (!cJSON_IsObject(o))
        return fail(path, "expected an object");
    int rc = known_fields(o, path, keys);
    if (rc < 0)
        return rc;
    const cJSON *v = field(o, "role");
    snprintf(sub, sizeof(sub), "%s.role", path);
    if (!v)
        return fail(sub, "missing (a party needs its role)");
    if ((rc = vocab_val(c, v, sub, &c->rg->roles, "role", &p->role)) < 0)
        return rc;
    p->side = emb_rules_vocab(&c->rg->roles, p->role);
    snprintf(sub, sizeof(sub), "%s.name", path);
    if (!(v = field(o, "name")))
        return fail(sub, "missing (a party needs a name)");
    if ((rc = str_val(c, v, sub, &p->name)) < 0 ||
        (rc = opt_str(c, o, "schema", path, &p->schema)) < 0 ||
        (rc = opt_country(c, o, "country", path, &p->country)) < 0 ||
        (rc = opt_str(c, o, "birth_date", path, &p->birth_date)) < 0)
        return rc;
    if (strlen(p->name) > EMB_QUERY_MAX_BYTES) {
        snprintf(sub, sizeof(sub), "%s.name", path);
        return emb_err_set(EMB_ETOOBIG, "%s: longer than %d bytes", sub, EMB_QUERY_MAX_BYTES);
    }
    p->qschema = EMB_Q_THING;
    if (p->schema && emb_qschema_parse(&p->qschema, p->schema) < 0) {
        snprintf(sub, sizeof(sub), "%s.schema", path);
        return fail_val(sub, "expected Person, Organization, Company, LegalEntity, Vessel, Airplane "
                        "or Thing", p->schema);
    }
    if (p->birth_date && emb_check_birth_date(p->birth_date) < 0) {
        snprintf(sub, sizeof(sub), "%s.birth_date", path);
        return fail_val(sub, "expected YYYY, YYYY-MM or YYYY-MM-DD", p->birth_date);
    }
    const cJSON *a, *e;
    size_t n;
    snprintf(sub, sizeof(sub), "%s.aliases", path);
    if ((rc = array_field(o, "aliases", EMB_QUERY_MAX_VALUES - 1, &a, &n)) < 0)
        return emb_err_set(rc, "%s.%s", path, emb_err_last());
    p->aliases = arr(c, n, sizeof(char *));
    if (!p->aliases)
        return oom();
    cJSON_ArrayForEach(e, a) {
        char ep[160];
        snprintf(ep, sizeof(ep), "%s[%zu]", sub, p->naliases);
        if ((rc = str_val(c, e, ep, &p->aliases[p->naliases])) < 0)
            return rc;
        if (strlen(p->aliases[p->naliases]) > EMB_QUERY_MAX_BYTES)
            return emb_err_set(EMB_ETOOBIG, "%s: longer than %d bytes", ep, EMB_QUERY_MAX_BYTES);
        p->naliases++;
    }
    if ((rc = array_field(o, "identifiers", EMB_CHECK_MAX_IDS, &a, &n)) < 0)
        return emb_err_set(rc, "%s.%s", path, emb_err_last());
    p->ids = arr(c, n, sizeof(char *));
    p->id_types = arr(c, n, sizeof(char *));
    if (!p->ids || !p->id_types)
        return oom();
    static const char *idkeys[] = {"type", "value", NULL};
    cJSON_ArrayForEach(e, a) {
        char ep[160], fp[192];
        snprintf(ep, sizeof(ep), "%s.identifiers[%zu]", path, p->nids);
        if (!cJSON_IsObject(e))
            return fail(ep, "expected an object {\"type\": ..., \"value\": ...}");
        if ((rc = known_fields(e, ep, idkeys)) < 0)
            return rc;
        snprintf(fp, sizeof(fp), "%s.value", ep);
        if (!field(e, "value"))
            return fail(fp, "missing");
        if ((rc = str_val(c, field(e, "value"), fp, &p->ids[p->nids])) < 0 ||
            (rc = opt_str(c, e, "type", ep, &p->id_types[p->nids])) < 0)
            return rc;
        if (strlen(p->ids[p->nids]) > 256)
            return emb_err_set(EMB_ETOOBIG, "%s: longer than 256 bytes", fp);
        p->nids++;
    }
    return EMB_OK;
}

static int parse_vessel(cx *c, emb_cin *in, const cJSON *o)
{
    static const char *keys[] = {"name", "imo", "flag", NULL};
    if (!cJSON_IsObject(o))
        return fail("vessel", "expected an object");
    int rc = known_fields(o, "vessel", keys);
    if (rc < 0 || (rc = opt_str(c, o, "name", "vessel", &in->vessel_name)) < 0 ||
        (rc = opt_str(c, o, "imo", "vessel", &in->vessel_imo)) < 0 ||
        (rc = opt_country(c, o, "flag", "vessel", &in->vessel_flag)) < 0)
        return rc;
    if (in->vessel_name && strlen(in->vessel_name) > EMB_QUERY_MAX_BYTES)
        return emb_err_set(EMB_ETOOBIG, "vessel.name: longer than %d bytes", EMB_QUERY_MAX_BYTES);
    if (in->vessel_imo) {
        const char *s = in->vessel_imo;
        if (strncmp(s, "IMO", 3) == 0 || strncmp(s, "imo", 3) == 0)
            s += 3;
        while (*s == ' ')
            s++;
        size_t n = strlen(s);
        bool ok = n == 7;
        for (size_t i = 0; ok && i < n; i++)
            ok = isdigit((unsigned char)s[i]) != 0;
        if (!ok)
            return fail_val("vessel.imo", "expected a 7-digit IMO number", in->vessel_imo);
        in->vessel_imo = s;
    }
    if (!in->vessel_name && !in->vessel_imo && !in->vessel_flag)
        return fail("vessel", "expected at least one of name, imo, flag");
    in->has_vessel = true;
    return EMB_OK;
}

static int parse_route(cx *c, emb_cin *in, const cJSON *o)
{
    static const char *keys[] = {"origin", "loading_port", "transit", "destination",
                                 "discharge_port", NULL};
    if (!cJSON_IsObject(o))
        return fail("route", "expected an object");
    int rc = known_fields(o, "route", keys);
    if (rc < 0 || (rc = opt_country(c, o, "origin", "route", &in->origin)) < 0 ||
        (rc = opt_country(c, o, "destination", "route", &in->destination)) < 0 ||
        (rc = opt_str(c, o, "loading_port", "route", &in->loading_port)) < 0 ||
        (rc = opt_str(c, o, "discharge_port", "route", &in->discharge_port)) < 0)
        return rc;
    const cJSON *a, *e;
    size_t n;
    if ((rc = array_field(o, "transit", EMB_CHECK_MAX_TRANSIT, &a, &n)) < 0)
        return emb_err_set(rc, "route.%s", emb_err_last());
    in->transit = arr(c, n, sizeof(char *));
    if (!in->transit)
        return oom();
    cJSON_ArrayForEach(e, a) {
        char p[64];
        snprintf(p, sizeof(p), "route.transit[%zu]", in->ntransit);
        if ((rc = country_val(c, e, p, &in->transit[in->ntransit])) < 0)
            return rc;
        in->ntransit++;
    }
    return EMB_OK;
}

static int parse_goods(cx *c, const cJSON *o, size_t i, emb_cin_goods *g)
{
    static const char *keys[] = {"hs", "description", "quantity", "unit", "value", "currency",
                                 "origin", "condition", NULL};
    char path[64], sub[96];
    snprintf(path, sizeof(path), "goods[%zu]", i);
    if (!cJSON_IsObject(o))
        return fail(path, "expected an object");
    int rc = known_fields(o, path, keys);
    if (rc < 0 || (rc = opt_str(c, o, "description", path, &g->description)) < 0 ||
        (rc = opt_str(c, o, "unit", path, &g->unit)) < 0 ||
        (rc = opt_str(c, o, "currency", path, &g->currency)) < 0 ||
        (rc = opt_country(c, o, "origin", path, &g->origin)) < 0 ||
        (rc = opt_str(c, o, "condition", path, &g->condition)) < 0 ||
        (rc = opt_number(o, "quantity", path, &g->has_quantity, &g->quantity)) < 0 ||
        (rc = opt_number(o, "value", path, &g->has_value, &g->value)) < 0)
        return rc;
    const cJSON *hs = field(o, "hs");
    snprintf(sub, sizeof(sub), "%s.hs", path);
    if (hs) {
        if (!cJSON_IsString(hs))
            return fail(sub, "expected a string of digits (e.g. \"2710\" or \"8802.11\")");
        const char *s = hs->valuestring;
        char d[EMB_HS_MAX_DIGITS + 1];
        size_t k = 0;
        bool ok = true;
        for (const char *p = s; *p && ok; p++) {
            if (isdigit((unsigned char)*p))
                ok = k < EMB_HS_MAX_DIGITS ? (d[k++] = *p, true) : false;
            else if (*p != '.' && *p != ' ')
                ok = false;
        }
        d[k] = '\0';
        if (!ok || k < 2 || !isdigit((unsigned char)s[0]))
            return fail_val(sub, "expected a string of digits: an HS chapter, heading or "
                            "subheading of 2 to 10 digits", s);
        if (!(g->hs = emb_arena_strdup(c->a, d)) || !(g->hs_given = emb_arena_strdup(c->a, s)))
            return oom();
    }
    if (!g->hs && !g->description)
        return fail(path, "expected \"hs\" or \"description\" (or both)");
    if (g->condition && strcmp(g->condition, "new") != 0 && strcmp(g->condition, "used") != 0) {
        snprintf(sub, sizeof(sub), "%s.condition", path);
        return fail_val(sub, "expected new or used", g->condition);
    }
    if (g->currency) {
        size_t n = strlen(g->currency);
        bool ok = n == 3;
        for (size_t k = 0; ok && k < n; k++)
            ok = isalpha((unsigned char)g->currency[k]) != 0;
        if (!ok) {
            snprintf(sub, sizeof(sub), "%s.currency", path);
            return fail_val(sub, "expected an ISO 4217 currency code (e.g. USD)", g->currency);
        }
    }
    if (g->unit && strlen(g->unit) > 64) {
        snprintf(sub, sizeof(sub), "%s.unit", path);
        return fail(sub, "longer than 64 bytes");
    }
    return EMB_OK;
}

static int parse_notification(cx *c, const cJSON *o, size_t i, emb_cin_notification *nt)
{
    static const char *keys[] = {"type", "measure", "date", "reference", NULL};
    char path[64], sub[96];
    snprintf(path, sizeof(path), "notifications[%zu]", i);
    if (!cJSON_IsObject(o))
        return fail(path, "expected an object {\"type\": ..., \"measure\": ...}");
    int rc = known_fields(o, path, keys);
    if (rc < 0)
        return rc;
    snprintf(sub, sizeof(sub), "%s.type", path);
    if (!field(o, "type"))
        return fail(sub, "missing");
    if ((rc = vocab_val(c, field(o, "type"), sub, &c->rg->notification_types, "notification type",
                        &nt->type)) < 0 ||
        (rc = opt_str(c, o, "measure", path, &nt->measure)) < 0 ||
        (rc = opt_str(c, o, "date", path, &nt->date)) < 0 ||
        (rc = opt_str(c, o, "reference", path, &nt->reference)) < 0)
        return rc;
    if (nt->measure && !emb_rules_measure(c->rg, nt->measure)) {
        snprintf(sub, sizeof(sub), "%s.measure", path);
        return fail_val(sub, "unknown measure id (ids as in the output's \"measure\")", nt->measure);
    }
    if (nt->date && emb_rules_day(nt->date) < 0) {
        snprintf(sub, sizeof(sub), "%s.date", path);
        return fail_val(sub, "expected a date YYYY-MM-DD", nt->date);
    }
    return EMB_OK;
}

/* Deepest nesting of arrays and objects, scanning the text (strings
 * skipped); stops counting past `limit`. */
static int depth_of(const char *s, size_t n, int limit)
{
    int d = 0, max = 0;
    bool str = false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (str) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                str = false;
        } else if (ch == '"') {
            str = true;
        } else if (ch == '{' || ch == '[') {
            if (++d > max && (max = d) > limit)
                return max;
        } else if (ch == '}' || ch == ']') {
            d--;
        }
    }
    return max;
}

/* ---- document ------------------------------------------------------------- */

static int parse_doc(cx *c, emb_cin *in, const cJSON *root)
{
    static const char *keys[] = {"id", "date", "parties", "vessel", "ship_to_ship", "route", "goods",
                                 "services", "notifications", "purpose", "exemptions",
                                 "notified_totals", NULL};
    int rc = known_fields(root, "", keys);
    const cJSON *v, *a, *e;
    size_t n;
    if (rc < 0 || (rc = opt_str(c, root, "id", "", &in->id)) < 0 ||
        (rc = opt_str(c, root, "date", "", &in->date)) < 0)
        return rc;
    if (in->date && emb_rules_day(in->date) < 0)
        return fail_val("date", "expected a date YYYY-MM-DD", in->date);
    if ((rc = array_field(root, "parties", EMB_CHECK_MAX_PARTIES, &a, &n)) < 0)
        return rc;
    if (!(in->parties = arr(c, n, sizeof(emb_cin_party))))
        return oom();
    cJSON_ArrayForEach(e, a) {
        memset(&in->parties[in->nparties], 0, sizeof(emb_cin_party));
        if ((rc = parse_party(c, e, in->nparties, &in->parties[in->nparties])) < 0)
            return rc;
        in->nparties++;
    }
    if ((v = field(root, "vessel")) && (rc = parse_vessel(c, in, v)) < 0)
        return rc;
    if ((v = field(root, "ship_to_ship"))) {
        if (!cJSON_IsBool(v))
            return fail("ship_to_ship", "expected true or false");
        in->ship_to_ship = cJSON_IsTrue(v);
    }
    if ((v = field(root, "route")) && (rc = parse_route(c, in, v)) < 0)
        return rc;
    if ((rc = array_field(root, "goods", EMB_CHECK_MAX_GOODS, &a, &n)) < 0)
        return rc;
    if (!(in->goods = arr(c, n, sizeof(emb_cin_goods))))
        return oom();
    cJSON_ArrayForEach(e, a) {
        memset(&in->goods[in->ngoods], 0, sizeof(emb_cin_goods));
        if ((rc = parse_goods(c, e, in->ngoods, &in->goods[in->ngoods])) < 0)
            return rc;
        in->ngoods++;
    }
    if ((rc = array_field(root, "services", EMB_CHECK_MAX_SERVICES, &a, &n)) < 0)
        return rc;
    if (!(in->services = arr(c, n, sizeof(char *))))
        return oom();
    cJSON_ArrayForEach(e, a) {
        char p[64];
        snprintf(p, sizeof(p), "services[%zu]", in->nservices);
        if ((rc = vocab_val(c, e, p, &c->rg->services, "service", &in->services[in->nservices])) < 0)
            return rc;
        in->nservices++;
    }
    if ((rc = array_field(root, "notifications", EMB_CHECK_MAX_NOTIFICATIONS, &a, &n)) < 0)
        return rc;
    if (!(in->notifications = arr(c, n, sizeof(emb_cin_notification))))
        return oom();
    cJSON_ArrayForEach(e, a) {
        memset(&in->notifications[in->nnotifications], 0, sizeof(emb_cin_notification));
        if ((rc = parse_notification(c, e, in->nnotifications,
                                     &in->notifications[in->nnotifications])) < 0)
            return rc;
        in->nnotifications++;
    }
    if ((v = field(root, "purpose")) &&
        (rc = vocab_val(c, v, "purpose", &c->rg->purposes, "purpose", &in->purpose)) < 0)
        return rc;
    if ((rc = array_field(root, "exemptions", EMB_CHECK_MAX_SERVICES, &a, &n)) < 0)
        return rc;
    if (!(in->exemptions = arr(c, n, sizeof(char *))))
        return oom();
    cJSON_ArrayForEach(e, a) {
        char p[64];
        const char *s;
        snprintf(p, sizeof(p), "exemptions[%zu]", in->nexemptions);
        if ((rc = str_val(c, e, p, &s)) < 0 ||
            (rc = strs_in(c, e, p, &c->rg->claim_keys, "exemption", s,
                          &in->exemptions[in->nexemptions])) < 0)
            return rc;
        in->nexemptions++;
    }
    if ((v = field(root, "notified_totals"))) {
        if (!cJSON_IsObject(v))
            return fail("notified_totals", "expected an object {\"<cap>\": quantity}");
        int sz = cJSON_GetArraySize(v);
        if (sz > 64)
            return emb_err_set(EMB_ETOOBIG, "notified_totals: more than 64 entries");
        if (!(in->totals = arr(c, (size_t)sz, sizeof(emb_cin_total))))
            return oom();
        cJSON_ArrayForEach(e, v) {
            char p[128], q[SHOW_MAX + 8];
            shown(e->string ? e->string : "", q);
            snprintf(p, sizeof(p), "notified_totals.%s", q);
            const char *key = NULL;
            if ((rc = strs_in(c, e, p, &c->rg->totals_keys, "cap", e->string ? e->string : "",
                              &key)) < 0)
                return rc;
            for (size_t k = 0; k < in->ntotals; k++)
                if (strcmp(in->totals[k].key, key) == 0)
                    return fail(p, "field given twice");
            if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble) || e->valuedouble < 0 ||
                e->valuedouble > 1e15)
                return fail(p, "expected a number from 0 to 1e15 (quantity already notified in "
                            "the cap's unit)");
            in->totals[in->ntotals].key = key;
            in->totals[in->ntotals].quantity = e->valuedouble;
            in->ntotals++;
        }
    }
    return EMB_OK;
}

int emb_cin_parse(emb_cin *in, emb_arena *a, const emb_regimes *rg, const char *json, size_t len)
{
    cJSON *root = NULL;
    char *copy = NULL;
    int rc;
    memset(in, 0, sizeof(*in));
    if (!json && len)
        return emb_err_set(EMB_EINVAL, "no input");
    if (len > EMB_CHECK_MAX_BYTES)
        return emb_err_set(EMB_ETOOBIG, "input longer than %u bytes", EMB_CHECK_MAX_BYTES);
    if (depth_of(json, len, EMB_CHECK_MAX_DEPTH) > EMB_CHECK_MAX_DEPTH)
        return emb_err_set(EMB_ETOOBIG, "input nested deeper than %d levels", EMB_CHECK_MAX_DEPTH);
    /* a NUL-terminated copy keeps any over-read in cJSON inside our memory */
    if (!(copy = emb_malloc(len + 1)))
        return oom();
    if (len)
        memcpy(copy, json, len);
    copy[len] = '\0';
    const char *end = NULL;
    root = cJSON_ParseWithLengthOpts(copy, len, &end, 0);
    size_t pos = end && end >= copy && end <= copy + len ? (size_t)(end - copy) : 0;
    if (root)
        while (pos < len && (copy[pos] == ' ' || copy[pos] == '\t' || copy[pos] == '\r' ||
                             copy[pos] == '\n'))
            pos++;
    if (!root || pos < len) {
        rc = emb_err_set(EMB_EPARSE, "invalid JSON at byte %zu", pos);
        goto cleanup;
    }
    if (!cJSON_IsObject(root)) {
        rc = emb_err_set(EMB_EPARSE, "expected a JSON object describing the transaction");
        goto cleanup;
    }
    cx c = {a, rg};
    rc = parse_doc(&c, in, root);
cleanup:
    cJSON_Delete(root);
    emb_free(copy);
    return rc;
}
