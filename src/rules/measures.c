/*
 * measures.c - load and validate the regime data for `embargo check`:
 * the measures file (unsc-regime-measures/v1, with the project's "check"
 * objects and "check_vocabulary"), the UNSC regimes file and the HS keyword
 * table. Everything is copied into one arena and checked once, so the
 * decision procedure (check.c) never meets a malformed rule: an unknown
 * field value, an HS string without digits, a measure id that does not
 * exist or a resolution without an adoption date is an error here, naming
 * the measure and the field.
 *
 * HS strings are parsed as the data writes them: leading digits (dots
 * ignored), ranges "50-63", lists "2603/2604", and a parenthesised note
 * that is kept for display only.
 */
#include "util/compat.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "rules/measures.h"
#include "text/country.h"
#include "util/alloc.h"
#include "util/err.h"

#define RG_ARENA_MAX (64u << 20)
#define RG_MAX_MEASURES 4096
#define RG_MAX_REGIMES 256
#define RG_MAX_KEYWORDS 4096
#define RG_MAX_DATA_BYTES (16u << 20)

extern const char emb__blob_regime_dprk[], emb__blob_regime_dprk_end[];
extern const char emb__blob_regimes[], emb__blob_regimes_end[];
extern const char emb__blob_hs_keywords[], emb__blob_hs_keywords_end[];

/* ---- dates ---------------------------------------------------------------- */

int emb_rules_day(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return -1;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return -1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] + (m == 2 && leap))
        return -1;
    /* days from civil (Howard Hinnant), shifted so that the result is > 0 */
    y -= m <= 2;
    int era = y / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe + 1;
}

/* ---- HS codes ------------------------------------------------------------- */

/* Digits of one code token ("8802.11", " 2603"), dots and spaces ignored.
 * Returns the number of digits, 0 when none, -1 when too many. */
static int hs_digits(const char *s, size_t n, char out[EMB_HS_MAX_DIGITS + 1])
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (isdigit((unsigned char)s[i])) {
            if (k == EMB_HS_MAX_DIGITS)
                return -1;
            out[k++] = s[i];
        } else if (s[i] != '.' && s[i] != ' ') {
            return 0;
        }
    }
    out[k] = '\0';
    return (int)k;
}

int emb_hs_parse(emb_arena *a, emb_hs_list *out, const char *s)
{
    const char *paren = strchr(s, '(');
    size_t codes_len = paren ? (size_t)(paren - s) : strlen(s);
    emb_hs tmp[EMB_RULES_MAX_LIST];
    size_t nt = 0;
    const char *p = s, *end = s + codes_len;
    while (p < end) {
        const char *slash = memchr(p, '/', (size_t)(end - p));
        const char *tok_end = slash ? slash : end;
        const char *dash = memchr(p, '-', (size_t)(tok_end - p));
        emb_hs h;
        memset(&h, 0, sizeof(h));
        int nl, nh;
        if (dash) {
            nl = hs_digits(p, (size_t)(dash - p), h.lo);
            nh = hs_digits(dash + 1, (size_t)(tok_end - dash - 1), h.hi);
        } else {
            nl = nh = hs_digits(p, (size_t)(tok_end - p), h.lo);
            memcpy(h.hi, h.lo, sizeof(h.hi));
        }
        if (nl <= 0 || nh != nl || strcmp(h.lo, h.hi) > 0)
            return emb_err_set(EMB_EPARSE, "HS code '%s': expected digits, a range of codes of "
                               "equal length or a '/' list", s);
        if (nt == EMB_RULES_MAX_LIST)
            return emb_err_set(EMB_ETOOBIG, "HS code '%s': more than %d codes", s,
                               EMB_RULES_MAX_LIST);
        h.len = (size_t)nl;
        tmp[nt++] = h;
        p = slash ? slash + 1 : end;
    }
    if (nt == 0)
        return emb_err_set(EMB_EPARSE, "HS code '%s': no digits", s);
    const char *disp = emb_arena_strdup(a, s);
    emb_hs *v = emb_arena_alloc(a, (out->n + nt) * sizeof(emb_hs));
    if (!disp || !v)
        return emb_err_set(EMB_ENOMEM, "out of memory");
    if (out->n)
        memcpy(v, out->v, out->n * sizeof(emb_hs));
    for (size_t i = 0; i < nt; i++) {
        tmp[i].display = disp;
        v[out->n + i] = tmp[i];
    }
    out->v = v;
    out->n += nt;
    return EMB_OK;
}

int emb_hs_match(const emb_hs *h, const char *d, size_t n)
{
    size_t k = n < h->len ? n : h->len;
    if (strncmp(d, h->lo, k) < 0 || strncmp(d, h->hi, k) > 0)
        return 0;
    return n >= h->len ? 2 : 1;
}

/* ---- JSON helpers ----------------------------------------------------------- */

typedef struct ld {
    emb_regimes *rg;
    char where[256];      /* "measures[3] (<id>)", the place being read */
} ld;

static int bad(const ld *c, const char *field, const char *what)
{
    return emb_err_set(EMB_EPARSE, "regime data: %s%s%s: %s", c->where, c->where[0] ? ": " : "",
                       field, what);
}

static int oom(void)
{
    return emb_err_set(EMB_ENOMEM, "out of memory");
}

/* A string member: NULL (absent or null) unless required. */
static int get_str(ld *c, const cJSON *o, const char *key, bool required, const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return required ? bad(c, key, "missing") : EMB_OK;
    if (!cJSON_IsString(v))
        return bad(c, key, "expected a string");
    *out = emb_arena_strdup(&c->rg->arena, v->valuestring);
    return *out ? EMB_OK : oom();
}

static int get_strs(ld *c, const cJSON *o, const char *key, emb_strs *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    out->v = NULL;
    out->n = 0;
    if (!v || cJSON_IsNull(v))
        return EMB_OK;
    if (!cJSON_IsArray(v))
        return bad(c, key, "expected a list of strings");
    int n = cJSON_GetArraySize(v);
    if (n > EMB_RULES_MAX_LIST)
        return bad(c, key, "too many entries");
    if (n == 0)
        return EMB_OK;
    out->v = emb_arena_alloc(&c->rg->arena, (size_t)n * sizeof(char *));
    if (!out->v)
        return oom();
    const cJSON *e;
    cJSON_ArrayForEach(e, v) {
        if (!cJSON_IsString(e))
            return bad(c, key, "expected a list of strings");
        if (!(out->v[out->n++] = emb_arena_strdup(&c->rg->arena, e->valuestring)))
            return oom();
    }
    return EMB_OK;
}

static int get_bool(ld *c, const cJSON *o, const char *key, bool *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = false;
    if (!v)
        return EMB_OK;
    if (!cJSON_IsBool(v))
        return bad(c, key, "expected true or false");
    *out = cJSON_IsTrue(v);
    return EMB_OK;
}

static int get_day(ld *c, const cJSON *o, const char *key, int *out)
{
    const char *s;
    int rc = get_str(c, o, key, false, &s);
    *out = 0;
    if (rc < 0 || !s)
        return rc;
    if ((*out = emb_rules_day(s)) < 0)
        return bad(c, key, "expected a date YYYY-MM-DD");
    return EMB_OK;
}

static int parse_conf(ld *c, const char *field, const char *s, emb_confidence *out)
{
    if (strcmp(s, "verified-from-text") == 0)
        *out = EMB_CONFIDENCE_VERIFIED;
    else if (strcmp(s, "secondary") == 0)
        *out = EMB_CONFIDENCE_SECONDARY;
    else if (strcmp(s, "unverified") == 0)
        *out = EMB_CONFIDENCE_UNVERIFIED;
    else
        return bad(c, field, "expected verified-from-text, secondary or unverified");
    return EMB_OK;
}

/* Only the keys listed may appear in a check object: a typo in the data
 * must not silently disable a rule. */
static int only_keys(ld *c, const cJSON *o, const char *what, const char *const *keys)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, o) {
        bool ok = false;
        for (size_t i = 0; keys[i]; i++)
            if (e->string && strcmp(e->string, keys[i]) == 0)
                ok = true;
        if (!ok) {
            char f[160];
            snprintf(f, sizeof(f), "%s.%s", what, e->string ? e->string : "?");
            return bad(c, f, "unknown field");
        }
    }
    return EMB_OK;
}

static int get_hs_list(ld *c, const cJSON *o, const char *key, emb_hs_list *out)
{
    emb_strs s;
    int rc = get_strs(c, o, key, &s);
    for (size_t i = 0; rc == EMB_OK && i < s.n; i++)
        if ((rc = emb_hs_parse(&c->rg->arena, out, s.v[i])) < 0)
            rc = bad(c, key, emb_err_last());
    return rc;
}

static bool in_strs(const emb_strs *s, const char *v)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], v) == 0)
            return true;
    return false;
}

/* ---- vocabulary ----------------------------------------------------------- */

static int load_vocab(ld *c, const cJSON *voc, const char *key, emb_vocab *out, bool roles)
{
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(voc, key);
    if (!cJSON_IsObject(o))
        return bad(c, key, "expected an object");
    int n = cJSON_GetArraySize(o);
    if (n <= 0 || n > EMB_RULES_MAX_LIST)
        return bad(c, key, "expected 1 to 64 entries");
    out->v = emb_arena_alloc(&c->rg->arena, (size_t)n * sizeof(emb_vocab_entry));
    if (!out->v)
        return oom();
    const cJSON *e;
    cJSON_ArrayForEach(e, o) {
        if (!cJSON_IsString(e) || !e->string)
            return bad(c, key, "expected string values");
        if (roles && strcmp(e->valuestring, "from") != 0 && strcmp(e->valuestring, "to") != 0 &&
            strcmp(e->valuestring, "none") != 0)
            return bad(c, key, "a role's side must be from, to or none");
        emb_vocab_entry *v = &out->v[out->n++];
        v->key = emb_arena_strdup(&c->rg->arena, e->string);
        v->value = emb_arena_strdup(&c->rg->arena, e->valuestring);
        if (!v->key || !v->value)
            return oom();
    }
    return EMB_OK;
}

static char *lower_dup(emb_arena *a, const char *s)
{
    char *d = emb_arena_strdup(a, s);
    if (d)
        for (char *p = d; *p; p++)
            *p = (char)tolower((unsigned char)*p);
    return d;
}

static int load_units(ld *c, const cJSON *voc)
{
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(voc, "units");
    if (!cJSON_IsObject(o))
        return bad(c, "units", "expected an object");
    size_t total = 0;
    const cJSON *u, *a;
    cJSON_ArrayForEach(u, o) {
        if (!cJSON_IsArray(u) || cJSON_GetArraySize(u) > EMB_RULES_MAX_LIST)
            return bad(c, "units", "expected lists of written forms");
        total += (size_t)cJSON_GetArraySize(u) + 1;
    }
    if (total > 1024)
        return bad(c, "units", "too many entries");
    c->rg->units = emb_arena_alloc(&c->rg->arena, (total ? total : 1) * sizeof(emb_unit_alias));
    if (!c->rg->units)
        return oom();
    cJSON_ArrayForEach(u, o) {
        const char *canon = emb_arena_strdup(&c->rg->arena, u->string);
        char *self = lower_dup(&c->rg->arena, u->string);
        if (!canon || !self)
            return oom();
        c->rg->units[c->rg->nunits++] = (emb_unit_alias){self, canon};
        cJSON_ArrayForEach(a, u) {
            if (!cJSON_IsString(a))
                return bad(c, "units", "expected lists of written forms");
            char *al = lower_dup(&c->rg->arena, a->valuestring);
            if (!al)
                return oom();
            c->rg->units[c->rg->nunits++] = (emb_unit_alias){al, canon};
        }
    }
    return EMB_OK;
}

const char *emb_rules_vocab(const emb_vocab *v, const char *key)
{
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->v[i].key, key) == 0)
            return v->v[i].value;
    return NULL;
}

const char *emb_rules_unit(const emb_regimes *rg, const char *written)
{
    char low[64];
    size_t n = strlen(written);
    if (n >= sizeof(low))
        return NULL;
    for (size_t i = 0; i <= n; i++)
        low[i] = (char)tolower((unsigned char)written[i]);
    for (size_t i = 0; i < rg->nunits; i++)
        if (strcmp(rg->units[i].alias, low) == 0)
            return rg->units[i].unit;
    return NULL;
}

/* ---- check objects -------------------------------------------------------- */

static int parse_requires(ld *c, const cJSON *o, const char *key, unsigned *out)
{
    static const struct { const char *name; unsigned bit; } atoms[] = {
        {"target_nexus", EMB_REQ_TARGET_NEXUS}, {"target_party", EMB_REQ_TARGET_PARTY},
        {"target_vessel", EMB_REQ_TARGET_VESSEL}, {"designated_party", EMB_REQ_DESIGNATED},
        {"prohibited_goods", EMB_REQ_PROHIBITED_GOODS}, {"goods_trade", EMB_REQ_GOODS_TRADE},
        {"vessel", EMB_REQ_VESSEL}};
    emb_strs s;
    int rc = get_strs(c, o, key, &s);
    *out = 0;
    for (size_t i = 0; rc == EMB_OK && i < s.n; i++) {
        size_t k = 0;
        while (k < EMB_ARRAY_LEN(atoms) && strcmp(atoms[k].name, s.v[i]) != 0)
            k++;
        if (k == EMB_ARRAY_LEN(atoms))
            return bad(c, key, "unknown condition (expected target_nexus, target_party, "
                       "target_vessel, designated_party, prohibited_goods, goods_trade or vessel)");
        *out |= atoms[k].bit;
    }
    return rc;
}

static int parse_exkind(ld *c, const char *field, const char *s, emb_exkind *out)
{
    static const char *names[] = {"claim", "route", "purpose", "committee", "carve_out"};
    for (size_t i = 0; i < EMB_ARRAY_LEN(names); i++)
        if (s && strcmp(s, names[i]) == 0) {
            *out = (emb_exkind)i;
            return EMB_OK;
        }
    return bad(c, field, "expected claim, route, purpose, committee or carve_out");
}

static int check_purposes(ld *c, const char *field, const emb_strs *p)
{
    for (size_t i = 0; i < p->n; i++)
        if (!emb_rules_vocab(&c->rg->purposes, p->v[i]))
            return bad(c, field, "purpose not in check_vocabulary.purposes");
    return EMB_OK;
}

static int load_rule_fields(ld *c, emb_measure *m, const cJSON *o, emb_rule *r,
                            const char *const *keys);

static int load_rule(ld *c, emb_measure *m, const cJSON *o, emb_rule *r, size_t idx)
{
    static const char *keys[] = {"on", "effect", "direction", "all_goods", "residual", "except_hs",
                                 "except_note", "goods_condition", "schema", "services", "requires",
                                 "requires_any", "with_goods_measure_types", "condition", "kind",
                                 "purposes", "measure_types", NULL};
    char what[64];
    snprintf(what, sizeof(what), "check.rules[%zu]", idx);
    if (!cJSON_IsObject(o))
        return bad(c, what, "expected an object");
    size_t wl = strlen(c->where);
    snprintf(c->where + wl, sizeof(c->where) - wl, ": %s", what);
    int rc = load_rule_fields(c, m, o, r, keys);
    c->where[wl] = '\0';
    return rc;
}

static int load_rule_fields(ld *c, emb_measure *m, const cJSON *o, emb_rule *r,
                            const char *const *keys)
{
    int rc = only_keys(c, o, "rule", keys);
    const char *on, *eff, *dir, *kind;
    if (rc < 0 || (rc = get_str(c, o, "on", true, &on)) < 0 ||
        (rc = get_str(c, o, "effect", false, &eff)) < 0 ||
        (rc = get_str(c, o, "direction", false, &dir)) < 0 ||
        (rc = get_str(c, o, "kind", false, &kind)) < 0 ||
        (rc = get_bool(c, o, "all_goods", &r->all_goods)) < 0 ||
        (rc = get_bool(c, o, "residual", &r->residual)) < 0 ||
        (rc = get_hs_list(c, o, "except_hs", &r->except_hs)) < 0 ||
        (rc = get_str(c, o, "except_note", false, &r->except_note)) < 0 ||
        (rc = get_str(c, o, "goods_condition", false, &r->goods_condition)) < 0 ||
        (rc = get_str(c, o, "schema", false, &r->schema)) < 0 ||
        (rc = get_strs(c, o, "services", &r->services)) < 0 ||
        (rc = parse_requires(c, o, "requires", &r->requires)) < 0 ||
        (rc = parse_requires(c, o, "requires_any", &r->requires_any)) < 0 ||
        (rc = get_strs(c, o, "with_goods_measure_types", &r->with_goods_types)) < 0 ||
        (rc = get_str(c, o, "condition", false, &r->condition)) < 0 ||
        (rc = get_strs(c, o, "purposes", &r->purposes)) < 0 ||
        (rc = get_strs(c, o, "measure_types", &r->measure_types)) < 0)
        return rc;
    static const char *ons[] = {"goods", "designated_party", "ship_to_ship", "vessel", "service",
                                "prohibited", "exemption"};
    size_t k = 0;
    while (k < EMB_ARRAY_LEN(ons) && strcmp(ons[k], on) != 0)
        k++;
    if (k == EMB_ARRAY_LEN(ons))
        return bad(c, "on", "expected goods, designated_party, ship_to_ship, vessel, service, "
                   "prohibited or exemption");
    r->on = (emb_rule_on)k;
    if (r->on == EMB_ON_EXEMPTION) {
        r->effect = EMB_EFF_EXEMPTION;
        if ((rc = parse_exkind(c, "kind", kind, &r->kind)) < 0)
            return rc;
        if (r->kind != EMB_EX_COMMITTEE && r->kind != EMB_EX_CARVE_OUT)
            return bad(c, "kind", "a general exemption is committee or carve_out");
        if ((rc = check_purposes(c, "purposes", &r->purposes)) < 0)
            return rc;
        return EMB_OK;
    }
    static const char *effs[] = {"prohibits", "condition", "cap", "consequence"};
    k = 0;
    while (eff && k < EMB_ARRAY_LEN(effs) && strcmp(effs[k], eff) != 0)
        k++;
    if (!eff || k == EMB_ARRAY_LEN(effs))
        return bad(c, "effect", "expected prohibits, condition, cap or consequence");
    r->effect = (emb_effect)k;
    if ((r->effect == EMB_EFF_CONDITION || r->effect == EMB_EFF_CONSEQUENCE) && !r->condition)
        return bad(c, "condition", "a condition or consequence rule needs its text");
    if (r->effect == EMB_EFF_CAP && (r->on != EMB_ON_GOODS || !m->has_cap))
        return bad(c, "effect", "a cap rule needs goods and the measure's check.cap");
    for (size_t i = 0; i < r->services.n; i++)
        if (!emb_rules_vocab(&c->rg->services, r->services.v[i]))
            return bad(c, "services", "service not in check_vocabulary.services");
    if (r->on == EMB_ON_SERVICE && r->services.n == 0)
        return bad(c, "services", "a service rule needs services");
    if (r->goods_condition && strcmp(r->goods_condition, "new") != 0 &&
        strcmp(r->goods_condition, "used") != 0)
        return bad(c, "goods_condition", "expected new or used");
    if (r->schema && strcmp(r->schema, "Person") != 0 && strcmp(r->schema, "Organization") != 0)
        return bad(c, "schema", "expected Person or Organization");
    if (r->on == EMB_ON_GOODS) {
        const char *d = dir ? dir : m->direction;
        if (strcmp(d, "export_to_dprk") == 0 || strcmp(d, "to") == 0)
            r->to = true;
        else if (strcmp(d, "import_from_dprk") == 0 || strcmp(d, "from") == 0)
            r->from = true;
        else if (strcmp(d, "both") == 0)
            r->to = r->from = true;
        else
            return bad(c, "direction", "a goods rule needs a goods direction (to, from or both)");
        if (!r->all_goods && m->hs.n == 0)
            return bad(c, "on", "a goods rule needs the measure's hs_codes (or check.hs)");
    }
    return EMB_OK;
}

static int load_exemption_fields(ld *c, const cJSON *o, emb_exemption *e, const char *const *keys);

static int load_exemption(ld *c, const cJSON *o, emb_exemption *e, size_t idx)
{
    static const char *keys[] = {"key", "kind", "text", "source", "purposes", "origin_not",
                                 "loading_ports", "hs", "notification", "conditions", "related",
                                 "confidence", NULL};
    char what[64];
    snprintf(what, sizeof(what), "check.exemptions[%zu]", idx);
    if (!cJSON_IsObject(o))
        return bad(c, what, "expected an object");
    size_t wl = strlen(c->where);
    snprintf(c->where + wl, sizeof(c->where) - wl, ": %s", what);
    int rc = load_exemption_fields(c, o, e, keys);
    c->where[wl] = '\0';
    return rc;
}

static int load_exemption_fields(ld *c, const cJSON *o, emb_exemption *e, const char *const *keys)
{
    const char *kind, *conf;
    int rc = only_keys(c, o, "exemption", keys);
    if (rc < 0 || (rc = get_str(c, o, "key", true, &e->key)) < 0 ||
        (rc = get_str(c, o, "kind", true, &kind)) < 0 ||
        (rc = get_str(c, o, "text", true, &e->text)) < 0 ||
        (rc = get_str(c, o, "source", true, &e->source)) < 0 ||
        (rc = get_strs(c, o, "purposes", &e->purposes)) < 0 ||
        (rc = get_strs(c, o, "origin_not", &e->origin_not)) < 0 ||
        (rc = get_strs(c, o, "loading_ports", &e->loading_ports)) < 0 ||
        (rc = get_hs_list(c, o, "hs", &e->hs)) < 0 ||
        (rc = get_str(c, o, "notification", false, &e->notification)) < 0 ||
        (rc = get_strs(c, o, "conditions", &e->conditions)) < 0 ||
        (rc = get_strs(c, o, "related", &e->related)) < 0 ||
        (rc = get_str(c, o, "confidence", false, &conf)) < 0 ||
        (rc = parse_exkind(c, "kind", kind, &e->kind)) < 0 ||
        (rc = check_purposes(c, "purposes", &e->purposes)) < 0)
        return rc;
    if (conf) {
        if ((rc = parse_conf(c, "confidence", conf, &e->confidence)) < 0)
            return rc;
        e->has_confidence = 1;
    }
    if (e->kind == EMB_EX_CARVE_OUT)
        return bad(c, "kind", "carve_out is for general exemption rules");
    if (e->kind == EMB_EX_PURPOSE && e->purposes.n == 0)
        return bad(c, "purposes", "a purpose exemption needs purposes");
    if (e->kind == EMB_EX_ROUTE && e->origin_not.n == 0 && e->loading_ports.n == 0)
        return bad(c, "origin_not", "a route exemption needs origin_not or loading_ports");
    for (size_t i = 0; i < e->origin_not.n; i++) {
        const char *cc = emb_country_code(e->origin_not.v[i]);
        if (!cc)
            return bad(c, "origin_not", "unknown country code");
        e->origin_not.v[i] = cc;
    }
    return EMB_OK;
}

static int load_cap(ld *c, emb_measure *m, const cJSON *o)
{
    static const char *keys[] = {"totals_key", "source", "limits", "notification", "purposes",
                                 "no_designated", "conditions", NULL};
    static const char *lkeys[] = {"quantity", "unit", "from", "to", "period", NULL};
    emb_cap *cap = &m->cap;
    if (!cJSON_IsObject(o))
        return bad(c, "check.cap", "expected an object");
    int rc = only_keys(c, o, "check.cap", keys);
    if (rc < 0 || (rc = get_str(c, o, "totals_key", false, &cap->totals_key)) < 0 ||
        (rc = get_str(c, o, "source", false, &cap->source)) < 0 ||
        (rc = get_str(c, o, "notification", false, &cap->notification)) < 0 ||
        (rc = get_strs(c, o, "purposes", &cap->purposes)) < 0 ||
        (rc = get_bool(c, o, "no_designated", &cap->no_designated)) < 0 ||
        (rc = get_strs(c, o, "conditions", &cap->conditions)) < 0 ||
        (rc = check_purposes(c, "check.cap.purposes", &cap->purposes)) < 0)
        return rc;
    if (!cap->totals_key)
        cap->totals_key = m->measure_type;
    const cJSON *lim = cJSON_GetObjectItemCaseSensitive(o, "limits");
    if (!cJSON_IsArray(lim) || cJSON_GetArraySize(lim) > EMB_RULES_MAX_LIST)
        return bad(c, "check.cap.limits", "expected a list");
    size_t n = (size_t)cJSON_GetArraySize(lim);
    cap->limits = emb_arena_alloc(&c->rg->arena, (n ? n : 1) * sizeof(emb_cap_limit));
    if (!cap->limits)
        return oom();
    const cJSON *l;
    cJSON_ArrayForEach(l, lim) {
        emb_cap_limit *x = &cap->limits[cap->nlimits++];
        const cJSON *q = cJSON_GetObjectItemCaseSensitive(l, "quantity");
        const char *unit;
        if (!cJSON_IsObject(l) || (rc = only_keys(c, l, "check.cap.limits[]", lkeys)) < 0)
            return rc < 0 ? rc : bad(c, "check.cap.limits", "expected objects");
        if (!cJSON_IsNumber(q) || !(q->valuedouble > 0))
            return bad(c, "check.cap.limits[].quantity", "expected a positive number");
        x->quantity = q->valuedouble;
        if ((rc = get_str(c, l, "unit", true, &unit)) < 0 ||
            (rc = get_day(c, l, "from", &x->from)) < 0 || (rc = get_day(c, l, "to", &x->to)) < 0 ||
            (rc = get_str(c, l, "period", false, &x->period)) < 0)
            return rc;
        if (!(x->unit = emb_rules_unit(c->rg, unit)))
            return bad(c, "check.cap.limits[].unit", "unit not in check_vocabulary.units");
    }
    return EMB_OK;
}

/* Mark the measure's HS entries that a check.partial or hs_from_resolution
 * entry names; every such entry must name one. */
static int mark_hs(ld *c, emb_measure *m, const cJSON *chk)
{
    static const char *pkeys[] = {"hs", "scope", "keywords", NULL};
    const cJSON *part = cJSON_GetObjectItemCaseSensitive(chk, "partial");
    const cJSON *p;
    int rc;
    if (part && !cJSON_IsArray(part))
        return bad(c, "check.partial", "expected a list");
    cJSON_ArrayForEach(p, part) {
        emb_hs_list one = {NULL, 0};
        const char *hs, *scope;
        emb_strs kw;
        if (!cJSON_IsObject(p) || (rc = only_keys(c, p, "check.partial[]", pkeys)) < 0)
            return cJSON_IsObject(p) ? rc : bad(c, "check.partial", "expected objects");
        if ((rc = get_str(c, p, "hs", true, &hs)) < 0 ||
            (rc = get_str(c, p, "scope", true, &scope)) < 0 ||
            (rc = get_strs(c, p, "keywords", &kw)) < 0)
            return rc;
        if (emb_hs_parse(&c->rg->arena, &one, hs) < 0)
            return bad(c, "check.partial[].hs", emb_err_last());
        for (size_t i = 0; i < kw.n; i++) {
            char *low = lower_dup(&c->rg->arena, kw.v[i]);
            if (!low)
                return oom();
            kw.v[i] = low;
        }
        bool found = false;
        for (size_t i = 0; i < m->hs.n; i++)
            if (strcmp(m->hs.v[i].lo, one.v[0].lo) == 0 && strcmp(m->hs.v[i].hi, one.v[0].hi) == 0) {
                m->hs.v[i].partial = true;
                m->hs.v[i].scope = scope;
                m->hs.v[i].keywords = kw;
                found = true;
            }
        if (!found)
            return bad(c, "check.partial[].hs", "names no entry of the measure's hs_codes");
    }
    emb_strs fr;
    if ((rc = get_strs(c, chk, "hs_from_resolution", &fr)) < 0)
        return rc;
    for (size_t k = 0; k < fr.n; k++) {
        emb_hs_list one = {NULL, 0};
        if (emb_hs_parse(&c->rg->arena, &one, fr.v[k]) < 0)
            return bad(c, "check.hs_from_resolution", emb_err_last());
        bool found = false;
        for (size_t i = 0; i < m->hs.n; i++)
            if (strcmp(m->hs.v[i].lo, one.v[0].lo) == 0 && strcmp(m->hs.v[i].hi, one.v[0].hi) == 0)
                m->hs.v[i].from_resolution = found = true;
        if (!found)
            return bad(c, "check.hs_from_resolution", "names no entry of the measure's hs_codes");
    }
    return EMB_OK;
}

static int load_check(ld *c, emb_measure *m, const cJSON *chk, int adopted)
{
    static const char *keys[] = {"rules", "exemptions", "cap", "partial", "hs", "hs_note",
                                 "hs_from_resolution", "superseded_by", "extends", "in_force_from",
                                 "in_force_from_source", "note", NULL};
    if (!cJSON_IsObject(chk))
        return bad(c, "check", "expected an object");
    int rc = only_keys(c, chk, "check", keys), from;
    if (rc < 0 || (rc = get_hs_list(c, chk, "hs", &m->hs)) < 0 ||
        (rc = get_strs(c, chk, "superseded_by", &m->superseded_by)) < 0 ||
        (rc = get_strs(c, chk, "extends", &m->extends)) < 0 ||
        (rc = get_day(c, chk, "in_force_from", &from)) < 0 || (rc = mark_hs(c, m, chk)) < 0)
        return rc;
    m->checked = true;
    m->start = from ? from : adopted;
    const cJSON *cap = cJSON_GetObjectItemCaseSensitive(chk, "cap");
    if (cap) {
        m->has_cap = true;
        if ((rc = load_cap(c, m, cap)) < 0)
            return rc;
    }
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(chk, "exemptions");
    if (ex && (!cJSON_IsArray(ex) || cJSON_GetArraySize(ex) > EMB_RULES_MAX_LIST))
        return bad(c, "check.exemptions", "expected a list");
    if (ex && cJSON_GetArraySize(ex) > 0) {
        m->exemptions = emb_arena_alloc(&c->rg->arena,
                                        (size_t)cJSON_GetArraySize(ex) * sizeof(emb_exemption));
        if (!m->exemptions)
            return oom();
        const cJSON *e;
        cJSON_ArrayForEach(e, ex) {
            memset(&m->exemptions[m->nexemptions], 0, sizeof(emb_exemption));
            if ((rc = load_exemption(c, e, &m->exemptions[m->nexemptions], m->nexemptions)) < 0)
                return rc;
            m->nexemptions++;
        }
    }
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive(chk, "rules");
    if (!cJSON_IsArray(rules) || cJSON_GetArraySize(rules) > EMB_RULES_MAX_LIST)
        return bad(c, "check.rules", "expected a list");
    size_t n = (size_t)cJSON_GetArraySize(rules);
    if (n) {
        m->rules = emb_arena_alloc(&c->rg->arena, n * sizeof(emb_rule));
        if (!m->rules)
            return oom();
        const cJSON *r;
        cJSON_ArrayForEach(r, rules) {
            memset(&m->rules[m->nrules], 0, sizeof(emb_rule));
            if ((rc = load_rule(c, m, r, &m->rules[m->nrules], m->nrules)) < 0)
                return rc;
            m->nrules++;
        }
    }
    return EMB_OK;
}

/* ---- measures file -------------------------------------------------------- */

static int adopted_day(ld *c, const cJSON *res, const char *resolution, int *out)
{
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(res, resolution);
    const cJSON *a = cJSON_IsObject(r) ? cJSON_GetObjectItemCaseSensitive(r, "adopted") : NULL;
    if (!cJSON_IsString(a) || (*out = emb_rules_day(a->valuestring)) < 0)
        return bad(c, "source.resolution", "no adoption date in 'resolutions' for this resolution");
    return EMB_OK;
}

static int load_measure(ld *c, const cJSON *o, const cJSON *res, emb_measure *m)
{
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(o, "source");
    const char *conf;
    int rc, adopted = 0;
    if (!cJSON_IsObject(o) || !cJSON_IsObject(src))
        return bad(c, "source", "expected an object");
    if ((rc = get_str(c, o, "id", true, &m->id)) < 0)
        return rc;
    size_t wl = strlen(c->where);
    snprintf(c->where + wl, sizeof(c->where) - wl, " (%.64s)", m->id);
    const cJSON *yr = cJSON_GetObjectItemCaseSensitive(src, "year");
    if (!cJSON_IsNumber(yr))
        return bad(c, "source.year", "expected a number");
    m->year = yr->valueint;
    if ((rc = get_str(c, src, "resolution", true, &m->resolution)) < 0 ||
        (rc = get_str(c, src, "paragraph", false, &m->paragraph)) < 0 ||
        (rc = get_str(c, src, "document", true, &m->document)) < 0 ||
        (rc = get_str(c, o, "direction", true, &m->direction)) < 0 ||
        (rc = get_str(c, o, "measure_type", true, &m->measure_type)) < 0 ||
        (rc = get_str(c, o, "summary", true, &m->summary)) < 0 ||
        (rc = get_str(c, o, "status", true, &m->status)) < 0 ||
        (rc = get_str(c, o, "hs_codes_note", false, &m->hs_codes_note)) < 0 ||
        (rc = get_str(c, o, "confidence", true, &conf)) < 0 ||
        (rc = parse_conf(c, "confidence", conf, &m->confidence)) < 0 ||
        (rc = get_strs(c, o, "exemptions", &m->exemptions_text)) < 0 ||
        (rc = get_strs(c, o, "evidence", &m->evidence)) < 0 ||
        (rc = get_hs_list(c, o, "hs_codes", &m->hs)) < 0 ||
        (rc = adopted_day(c, res, m->resolution, &adopted)) < 0)
        return rc;
    m->start = adopted;
    const cJSON *chk = cJSON_GetObjectItemCaseSensitive(o, "check");
    if (chk && (rc = load_check(c, m, chk, adopted)) < 0)
        return rc;
    return EMB_OK;
}

static int ids_exist(ld *c, const emb_strs *s, const char *field)
{
    for (size_t i = 0; i < s->n; i++)
        if (!emb_rules_measure(c->rg, s->v[i]))
            return bad(c, field, "names a measure id that does not exist");
    return EMB_OK;
}

static int add_unique(emb_arena *a, emb_strs *s, const char *v, size_t max)
{
    if (in_strs(s, v))
        return EMB_OK;
    if (s->n >= max)
        return emb_err_set(EMB_ETOOBIG, "regime data: too many distinct keys");
    const char **nv = emb_arena_alloc(a, (s->n + 1) * sizeof(char *));
    if (!nv)
        return oom();
    if (s->n)
        memcpy(nv, s->v, s->n * sizeof(char *));
    /* keep sorted, for stable error messages */
    size_t i = s->n;
    while (i > 0 && strcmp(nv[i - 1], v) > 0) {
        nv[i] = nv[i - 1];
        i--;
    }
    nv[i] = v;
    s->v = nv;
    s->n++;
    return EMB_OK;
}

static int load_measures(ld *c, const cJSON *root)
{
    emb_regimes *rg = c->rg;
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    if (!cJSON_IsString(schema) || strcmp(schema->valuestring, "unsc-regime-measures/v1") != 0)
        return bad(c, "schema", "expected \"unsc-regime-measures/v1\"");
    const cJSON *reg = cJSON_GetObjectItemCaseSensitive(root, "regime");
    int rc;
    if (!cJSON_IsObject(reg))
        return bad(c, "regime", "expected an object");
    if ((rc = get_str(c, reg, "id", true, &rg->regime_id)) < 0 ||
        (rc = get_str(c, root, "compiled", false, &rg->compiled)) < 0)
        return rc;
    const cJSON *voc = cJSON_GetObjectItemCaseSensitive(root, "check_vocabulary");
    if (!cJSON_IsObject(voc))
        return bad(c, "check_vocabulary", "expected an object");
    snprintf(c->where, sizeof(c->where), "check_vocabulary");
    const char *target;
    if ((rc = get_str(c, voc, "target_country", true, &target)) < 0 ||
        (rc = load_vocab(c, voc, "roles", &rg->roles, true)) < 0 ||
        (rc = load_vocab(c, voc, "services", &rg->services, false)) < 0 ||
        (rc = load_vocab(c, voc, "purposes", &rg->purposes, false)) < 0 ||
        (rc = load_vocab(c, voc, "notification_types", &rg->notification_types, false)) < 0 ||
        (rc = load_units(c, voc)) < 0)
        return rc;
    if (!(rg->target = emb_country_code(target)))
        return bad(c, "target_country", "unknown country code");
    c->where[0] = '\0';
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(root, "resolutions");
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(root, "measures");
    if (!cJSON_IsObject(res))
        return bad(c, "resolutions", "expected an object");
    if (!cJSON_IsArray(ms) || cJSON_GetArraySize(ms) < 1 ||
        cJSON_GetArraySize(ms) > RG_MAX_MEASURES)
        return bad(c, "measures", "expected a list of 1 to 4096 measures");
    size_t n = (size_t)cJSON_GetArraySize(ms);
    rg->measures = emb_arena_alloc(&rg->arena, n * sizeof(emb_measure));
    if (!rg->measures)
        return oom();
    const cJSON *m;
    cJSON_ArrayForEach(m, ms) {
        emb_measure *x = &rg->measures[rg->nmeasures];
        memset(x, 0, sizeof(*x));
        snprintf(c->where, sizeof(c->where), "measures[%zu]", rg->nmeasures);
        if ((rc = load_measure(c, m, res, x)) < 0)
            return rc;
        for (size_t i = 0; i < rg->nmeasures; i++)
            if (strcmp(rg->measures[i].id, x->id) == 0)
                return bad(c, "id", "duplicate measure id");
        rg->nmeasures++;
        rg->nchecked += x->checked;
    }
    /* cross references, once every id is known */
    for (size_t i = 0; i < rg->nmeasures; i++) {
        emb_measure *x = &rg->measures[i];
        snprintf(c->where, sizeof(c->where), "measures[%zu] (%.64s)", i, x->id);
        if ((rc = ids_exist(c, &x->superseded_by, "check.superseded_by")) < 0 ||
            (rc = ids_exist(c, &x->extends, "check.extends")) < 0)
            return rc;
        for (size_t k = 0; k < x->nexemptions; k++) {
            if ((rc = ids_exist(c, &x->exemptions[k].related, "check.exemptions[].related")) < 0)
                return rc;
            if (x->exemptions[k].kind == EMB_EX_CLAIM &&
                (rc = add_unique(&rg->arena, &rg->claim_keys, x->exemptions[k].key, 256)) < 0)
                return rc;
        }
        if (x->has_cap && (rc = add_unique(&rg->arena, &rg->totals_keys, x->cap.totals_key, 64)) < 0)
            return rc;
    }
    c->where[0] = '\0';
    return EMB_OK;
}

/* ---- regimes file --------------------------------------------------------- */

static int load_regimes(ld *c, const cJSON *root)
{
    emb_regimes *rg = c->rg;
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    if (!cJSON_IsString(schema) || strcmp(schema->valuestring, "unsc-regimes/v1") != 0)
        return bad(c, "schema", "expected \"unsc-regimes/v1\"");
    const cJSON *rs = cJSON_GetObjectItemCaseSensitive(root, "regimes");
    if (!cJSON_IsArray(rs) || cJSON_GetArraySize(rs) > RG_MAX_REGIMES)
        return bad(c, "regimes", "expected a list");
    size_t n = (size_t)cJSON_GetArraySize(rs);
    rg->regimes = emb_arena_alloc(&rg->arena, (n ? n : 1) * sizeof(emb_regime));
    if (!rg->regimes)
        return oom();
    const cJSON *r;
    int rc;
    cJSON_ArrayForEach(r, rs) {
        emb_regime *x = &rg->regimes[rg->nregimes];
        memset(x, 0, sizeof(*x));
        snprintf(c->where, sizeof(c->where), "regimes[%zu]", rg->nregimes);
        const cJSON *er = cJSON_IsObject(r) ? cJSON_GetObjectItemCaseSensitive(r, "establishing_resolution") : NULL;
        const char *conf;
        if (!cJSON_IsObject(er))
            return bad(c, "establishing_resolution", "expected an object");
        if ((rc = get_str(c, r, "id", true, &x->id)) < 0 ||
            (rc = get_str(c, r, "name", true, &x->name)) < 0 ||
            (rc = get_str(c, r, "committee", false, &x->committee)) < 0 ||
            (rc = get_str(c, er, "resolution", true, &x->resolution)) < 0 ||
            (rc = get_str(c, r, "status", false, &x->status)) < 0 ||
            (rc = get_str(c, r, "un_list_type", false, &x->un_list_type)) < 0 ||
            (rc = get_str(c, r, "measures_data", false, &x->measures_data)) < 0 ||
            (rc = get_strs(c, r, "measures", &x->measures)) < 0 ||
            (rc = get_str(c, r, "confidence", true, &conf)) < 0 ||
            (rc = parse_conf(c, "confidence", conf, &x->confidence)) < 0)
            return rc;
        rg->nregimes++;
    }
    c->where[0] = '\0';
    return EMB_OK;
}

/* ---- keyword table -------------------------------------------------------- */

static int load_keywords(ld *c, const char *text, size_t len)
{
    emb_regimes *rg = c->rg;
    size_t cap = 0;
    for (size_t i = 0; i < len; i++)
        cap += text[i] == '\n';
    cap++;
    if (cap > RG_MAX_KEYWORDS)
        return emb_err_set(EMB_ETOOBIG, "hs_keywords: more than %d lines", RG_MAX_KEYWORDS);
    rg->keywords = emb_arena_alloc(&rg->arena, cap * sizeof(emb_keyword));
    if (!rg->keywords)
        return oom();
    size_t lineno = 0, pos = 0;
    while (pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - line) : len - pos;
        pos += n + (nl ? 1 : 0);
        lineno++;
        if (n && line[n - 1] == '\r')
            n--;
        if (n == 0 || line[0] == '#')
            continue;
        const char *t1 = memchr(line, '\t', n);
        const char *t2 = t1 ? memchr(t1 + 1, '\t', n - (size_t)(t1 + 1 - line)) : NULL;
        if (!t1 || !t2 || t1 == line || t2 == t1 + 1)
            return emb_err_set(EMB_EPARSE, "hs_keywords: line %zu: expected keyword TAB hs TAB note",
                               lineno);
        emb_keyword *k = &rg->keywords[rg->nkeywords];
        memset(k, 0, sizeof(*k));
        char *w = emb_arena_strndup(&rg->arena, line, (size_t)(t1 - line));
        k->hs_text = emb_arena_strndup(&rg->arena, t1 + 1, (size_t)(t2 - t1 - 1));
        k->note = emb_arena_strndup(&rg->arena, t2 + 1, n - (size_t)(t2 + 1 - line));
        if (!w || !k->hs_text || !k->note)
            return oom();
        for (char *p = w; *p; p++) {
            if ((unsigned char)*p >= 0x80 || isupper((unsigned char)*p))
                return emb_err_set(EMB_EPARSE, "hs_keywords: line %zu: keywords are lower-case ASCII",
                                   lineno);
        }
        k->word = w;
        k->len = strlen(w);
        if (emb_hs_parse(&rg->arena, &k->hs, k->hs_text) < 0)
            return emb_err_set(EMB_EPARSE, "hs_keywords: line %zu: %s", lineno, emb_err_last());
        rg->nkeywords++;
    }
    return EMB_OK;
}

/* ---- open / free ---------------------------------------------------------- */

static int parse_json(const char *what, const char *text, size_t len, cJSON **out)
{
    if (len > RG_MAX_DATA_BYTES)
        return emb_err_set(EMB_ETOOBIG, "%s: larger than %u bytes", what, RG_MAX_DATA_BYTES);
    char *copy = emb_malloc(len + 1);
    if (!copy)
        return oom();
    memcpy(copy, text, len);
    copy[len] = '\0';
    const char *end = NULL;
    *out = cJSON_ParseWithLengthOpts(copy, len, &end, 0);
    size_t pos = end && end >= copy && end <= copy + len ? (size_t)(end - copy) : 0;
    emb_free(copy);
    if (!*out)
        return emb_err_set(EMB_EPARSE, "%s: invalid JSON at byte %zu", what, pos);
    if (!cJSON_IsObject(*out)) {
        cJSON_Delete(*out);
        *out = NULL;
        return emb_err_set(EMB_EPARSE, "%s: expected a JSON object", what);
    }
    return EMB_OK;
}

EMB_API int emb_regimes_open(emb_regimes **out, const char *measures_json, size_t measures_len,
                             const char *regimes_json, size_t regimes_len,
                             const char *keywords_tsv, size_t keywords_len)
{
    cJSON *mroot = NULL, *rroot = NULL;
    int rc;
    if (!out || !measures_json)
        return emb_err_set(EMB_EINVAL, "emb_regimes_open: no measures data");
    *out = NULL;
    emb_regimes *rg = emb_calloc(1, sizeof(*rg));
    if (!rg)
        return oom();
    emb_arena_init(&rg->arena, RG_ARENA_MAX);
    ld c;
    memset(&c, 0, sizeof(c));
    c.rg = rg;
    if ((rc = parse_json("regime data", measures_json, measures_len, &mroot)) < 0 ||
        (rc = load_measures(&c, mroot)) < 0)
        goto cleanup;
    if (regimes_json) {
        if ((rc = parse_json("regimes data", regimes_json, regimes_len, &rroot)) < 0 ||
            (rc = load_regimes(&c, rroot)) < 0)
            goto cleanup;
    }
    if (keywords_tsv && (rc = load_keywords(&c, keywords_tsv, keywords_len)) < 0)
        goto cleanup;
    *out = rg;
    rg = NULL;
    rc = EMB_OK;
cleanup:
    cJSON_Delete(mroot);
    cJSON_Delete(rroot);
    emb_regimes_free(rg);
    return rc;
}

EMB_API int emb_regimes_open_bundled(emb_regimes **out)
{
    return emb_regimes_open(out, emb__blob_regime_dprk,
                            (size_t)(emb__blob_regime_dprk_end - emb__blob_regime_dprk),
                            emb__blob_regimes, (size_t)(emb__blob_regimes_end - emb__blob_regimes),
                            emb__blob_hs_keywords,
                            (size_t)(emb__blob_hs_keywords_end - emb__blob_hs_keywords));
}

EMB_API void emb_regimes_free(emb_regimes *rg)
{
    if (!rg)
        return;
    emb_arena_dispose(&rg->arena);
    emb_free(rg);
}

EMB_API size_t emb_regimes_measure_count(const emb_regimes *rg)
{
    return rg ? rg->nmeasures : 0;
}

EMB_API size_t emb_regimes_checked_count(const emb_regimes *rg)
{
    return rg ? rg->nchecked : 0;
}

const emb_measure *emb_rules_measure(const emb_regimes *rg, const char *id)
{
    for (size_t i = 0; i < rg->nmeasures; i++)
        if (strcmp(rg->measures[i].id, id) == 0)
            return &rg->measures[i];
    return NULL;
}
