/*
 * screen.c - emb_screen, the one screening call every edge (CLI, batch,
 * HTTP, check) uses.
 *
 *   prepare: normalise each query name (and its script-preserving form),
 *            look its tokens up, strip leading titles for person matching,
 *            parse dates, countries and identifiers;
 *   retrieve: postings of exact, fuzzy (trigram + edit budget) and glued
 *            tokens give candidate names, ranked by the weight they share
 *            with the query; the best EMB_MAX_CANDIDATES entities go on;
 *   score:   every name of a candidate entity against every query name,
 *            best pair kept; then corroboration; then explanation.
 *
 * All per-query memory lives in one arena owned by the results.
 */
#include "util/compat.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "lib/lists.h"
#include "match/score.h"
#include "model/ident.h"
#include "text/country.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/err.h"

#define EMB_MAX_CANDIDATES 256     /* entities fully scored per query */
#define EMB_MAX_QNAMES (2 * EMB_QUERY_MAX_VALUES)

#define EMB_MAX_WARNINGS 16

struct emb_results {
    emb_arena arena;
    emb_match *m;
    size_t n;
    size_t ncand;
    const char *warn[EMB_MAX_WARNINGS];
    size_t nwarn;
};

static int warn(emb_results *r, const char *msg)
{
    if (r->nwarn >= EMB_MAX_WARNINGS)
        return EMB_OK; /* further warnings of one query add nothing */
    const char *m = emb_arena_strdup(&r->arena, msg);
    if (!m)
        return EMB_ENOMEM;
    r->warn[r->nwarn++] = m;
    return EMB_OK;
}



static int emb_qschema_allows(emb_qschema q, emb_schema s)
{
    switch (q) {
    case EMB_Q_PERSON: return s == EMB_SCHEMA_PERSON;
    case EMB_Q_ORGANIZATION: return s == EMB_SCHEMA_ORGANIZATION;
    case EMB_Q_LEGAL_ENTITY: return s == EMB_SCHEMA_PERSON || s == EMB_SCHEMA_ORGANIZATION;
    case EMB_Q_VESSEL: return s == EMB_SCHEMA_VESSEL;
    case EMB_Q_AIRPLANE: return s == EMB_SCHEMA_AIRCRAFT;
    default: return 1;
    }
}

/* Whether a name may match this query: a vessel named in an entry's remarks
 * answers vessel (and untyped) queries only, whatever the entry's schema;
 * the entry's own names follow the schema filter. */
static int name_allowed(emb_qschema q, const emb_entity *e, const emb_pname *pn)
{
    if (pn->kind == EMB_NAME_VESSEL)
        return q == EMB_Q_VESSEL || q == EMB_Q_THING;
    return emb_qschema_allows(q, e->schema);
}

static int in_set(const char *v, const char *const *set, size_t n)
{
    if (!v)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (set[i] && strcmp(v, set[i]) == 0)
            return 1;
    return 0;
}

/* The list, regime, programme and entity filters of the options. */
static int entity_allowed(const emb_screen_opts *o, const emb_entity *e)
{
    if (o->nlists && !in_set(e->list, o->lists, o->nlists))
        return 0;
    if (o->nregimes && !in_set(e->regime, o->regimes, o->nregimes))
        return 0;
    if (o->nprograms) {
        int any = in_set(e->program, o->programs, o->nprograms);
        for (size_t i = 0; !any && i < e->nprograms; i++)
            any = in_set(e->programs[i], o->programs, o->nprograms);
        if (!any)
            return 0;
    }
    if (o->nentity_ids && !in_set(e->id, o->entity_ids, o->nentity_ids))
        return 0;
    return 1;
}

/* ---- candidate accumulation -------------------------------------------- */

typedef struct acc {
    uint32_t *keys;    /* pname + 1 */
    float *val;
    size_t cap, n;
    emb_arena *a;
} acc;

static int acc_init(acc *c, emb_arena *a, size_t cap)
{
    c->cap = cap;
    c->n = 0;
    c->a = a;
    c->keys = emb_arena_alloc(a, cap * sizeof(uint32_t));
    c->val = emb_arena_alloc(a, cap * sizeof(float));
    if (!c->keys || !c->val)
        return EMB_ENOMEM;
    memset(c->keys, 0, cap * sizeof(uint32_t));
    return EMB_OK;
}

static int acc_add(acc *c, uint32_t pn, float v)
{
    if ((c->n + 1) * 2 > c->cap) {
        acc bigger;
        if (acc_init(&bigger, c->a, c->cap * 2) < 0)
            return EMB_ENOMEM;
        for (size_t i = 0; i < c->cap; i++)
            if (c->keys[i])
                acc_add(&bigger, c->keys[i] - 1, c->val[i]);
        *c = bigger;
    }
    size_t h = (pn * 2654435761u) & (c->cap - 1);
    while (c->keys[h] && c->keys[h] != pn + 1)
        h = (h + 1) & (c->cap - 1);
    if (!c->keys[h]) {
        c->keys[h] = pn + 1;
        c->val[h] = 0;
        c->n++;
    }
    c->val[h] += v;
    return EMB_OK;
}

static int add_postings(acc *c, const emb_index *ix, uint32_t tok, float w)
{
    for (uint32_t k = ix->post_off[tok]; k < ix->post_off[tok + 1]; k++)
        if (acc_add(c, ix->post[k], w) < 0)
            return EMB_ENOMEM;
    return EMB_OK;
}

/* ---- query preparation -------------------------------------------------- */

typedef struct near_vec {
    emb_near *v;
    size_t n;
    int rc;
} near_vec;

static void on_near(void *payload, uint32_t tok, int edits)
{
    near_vec *nv = payload;
    if (nv->rc == EMB_OK && (nv->rc = emb_grow(&nv->v, nv->n, sizeof(emb_near), 1u << 20)) == EMB_OK) {
        nv->v[nv->n].tok = tok;
        nv->v[nv->n].edits = (uint32_t)edits;
        nv->n++;
    }
}

static int cmp_near(const void *x, const void *y)
{
    const emb_near *a = x, *b = y;
    return a->tok < b->tok ? -1 : a->tok > b->tok;
}

static int prep_name(emb_qname *q, const emb_lists *ls, const char *norm, const char *raw,
                     uint8_t script, emb_arena *a)
{
    const emb_index *ix = &ls->index;
    memset(q, 0, sizeof(*q));
    q->raw = raw;
    q->script = script;
    char *copy = emb_arena_strdup(a, norm);
    if (!copy)
        return EMB_ENOMEM;
    size_t n = emb_split_tokens(copy, q->toks, q->lens, EMB_NAME_MAX_TOKENS);
    if (n > EMB_NAME_MAX_TOKENS)
        return emb_err_set(EMB_ETOOBIG, "query name \"%s\" has more than %d parts", raw,
                           EMB_NAME_MAX_TOKENS);
    q->ntok = n;
    for (size_t i = 0; i < n; i++) {
        q->ids[i] = emb_index_lookup(ix, q->toks[i], q->lens[i]);
        q->w[i] = q->ids[i] >= 0 && !ix->toks[q->ids[i]].joined ? ix->toks[q->ids[i]].w
                                                                : EMB_UNKNOWN_TOKEN_WEIGHT;
        if (q->ids[i] < 0) {
            emb_word_class cls = emb_tables_word_class(&ls->tables, q->toks[i], q->lens[i]);
            if (cls == EMB_WORD_LEGAL)
                q->w[i] = 0.1f;
            else if (cls == EMB_WORD_GENERIC)
                q->w[i] = 0.3f;
            else if (cls == EMB_WORD_STOP)
                q->w[i] = 0.05f;
        }
    }
    /* titles are a Latin-script convention: a romanised Arabic word may read
     * "mr" (عمر) */
    if (emb_is_ascii(raw, strlen(raw))) {
        q->title_skip = emb_tables_title_prefix(&ls->tables, q->toks, q->lens, n);
        for (size_t i = 0; i < n; i++)
            q->is_title[i] = (uint8_t)emb_tables_is_title(&ls->tables, q->toks[i], q->lens[i]);
    }
    /* vessel prefixes: MV, MT, MS, SS, or M/V written as two tokens */
    if (n >= 2 && q->lens[0] == 2 &&
        (memcmp(q->toks[0], "mv", 2) == 0 || memcmp(q->toks[0], "mt", 2) == 0 ||
         memcmp(q->toks[0], "ms", 2) == 0 || memcmp(q->toks[0], "ss", 2) == 0))
        q->vessel_skip = 1;
    else if (n >= 3 && q->lens[0] == 1 && q->toks[0][0] == 'm' && q->lens[1] == 1 &&
             (q->toks[1][0] == 'v' || q->toks[1][0] == 't' || q->toks[1][0] == 's'))
        q->vessel_skip = 2;
    /* variant keys and fuzzy partners of each token, once per query: used
     * for retrieval and scoring */
    for (size_t i = 0; i < n; i++) {
        emb_index_variant_keys(ix, q->toks[i], q->lens[i], q->vkey[i]);
        char form[4 * EMB_VARIANT_MAX + 1];
        size_t fl = emb_variant_form(&ls->variants, q->toks[i], q->lens[i], form, sizeof(form));
        q->form[i] = fl ? emb_arena_strndup(a, form, fl) : NULL;
        q->flen[i] = q->form[i] ? fl : 0;
    }
    for (size_t i = 0; i < n; i++) {
        near_vec nv = {NULL, 0, EMB_OK};
        emb_index_fuzzy(ix, q->toks[i], q->lens[i], a, on_near, &nv);
        if (nv.rc == EMB_OK && nv.n) {
            qsort(nv.v, nv.n, sizeof(emb_near), cmp_near);
            q->near[i] = emb_arena_memdup(a, nv.v, nv.n * sizeof(emb_near));
            if (!q->near[i])
                nv.rc = EMB_ENOMEM;
            q->nnear[i] = nv.n;
        }
        emb_free(nv.v);
        if (nv.rc < 0)
            return nv.rc;
    }
    return EMB_OK;
}

static int check_value(const char *field, const char *v)
{
    if (!v)
        return emb_err_set(EMB_EINVAL, "query %s: NULL value", field);
    size_t n = strlen(v);
    if (n > EMB_QUERY_MAX_BYTES)
        return emb_err_set(EMB_ETOOBIG, "query %s: value longer than %d bytes", field,
                           EMB_QUERY_MAX_BYTES);
    return EMB_OK;
}

static const char *norm_id(emb_arena *a, const char *s)
{
    size_t n = strlen(s);
    char *d = emb_arena_alloc(a, n + 1);
    if (!d)
        return NULL;
    size_t o = emb_ident_norm(s, d, n + 1);
    /* "IMO 9074729" and "IMO: 9074729" compare as the bare number */
    if (o > 3 && memcmp(d, "IMO", 3) == 0 && d[3] >= '0' && d[3] <= '9')
        return d + 3;
    return d;
}

typedef struct prepared {
    emb_qname names[EMB_MAX_QNAMES];
    size_t nnames;
    emb_qfacts facts;
} prepared;

static int prepare(prepared *p, const emb_lists *ls, const emb_query *q, emb_results *res)
{
    emb_arena *a = &res->arena;
    char msg[EMB_QUERY_MAX_BYTES + 128];
    if (q->version != EMB_QUERY_VERSION)
        return emb_err_set(EMB_EINVAL, "emb_query version %d, expected %d", q->version,
                           EMB_QUERY_VERSION);
    if (q->nnames == 0)
        return emb_err_set(EMB_EINVAL, "query has no name");
    if (q->nnames > EMB_QUERY_MAX_VALUES || q->nbirth_dates > EMB_QUERY_MAX_VALUES ||
        q->ncountries > EMB_QUERY_MAX_VALUES || q->nidentifiers > EMB_QUERY_MAX_VALUES)
        return emb_err_set(EMB_ETOOBIG, "query has more than %d values in a field",
                           EMB_QUERY_MAX_VALUES);
    emb_translit *tr = NULL;
    emb_buf nb;
    emb_buf_init(&nb, (size_t)EMB_NAME_MAX_BYTES * 4);
    int rc = EMB_OK;
    p->nnames = 0;
    for (size_t i = 0; i < q->nnames && rc == EMB_OK; i++) {
        const char *raw = q->names[i];
        if ((rc = check_value("name", raw)) < 0)
            break;
        size_t len = strlen(raw);
        int ascii = emb_is_ascii(raw, len);
        if (!ascii && !tr && (rc = emb_translit_pool_get((emb_translit_pool *)&ls->pool, &tr)) < 0)
            break;
        if ((rc = emb_norm_name(&nb, raw, len, ascii ? NULL : tr)) < 0) {
            rc = emb_err_set(rc, "query name \"%s\": %s", raw, emb_err_last());
            break;
        }
        if (nb.len == 0)
            continue;
        if ((rc = prep_name(&p->names[p->nnames], ls, emb_buf_cstr(&nb), raw, 0, a)) < 0)
            break;
        p->nnames++;
        if (!ascii) {
            int non_latin = 0;
            if ((rc = emb_norm_script(&nb, raw, len, &non_latin)) < 0)
                break;
            if (non_latin) {
                if ((rc = prep_name(&p->names[p->nnames], ls, emb_buf_cstr(&nb), raw, 1, a)) < 0)
                    break;
                p->nnames++;
            }
        }
    }
    emb_buf_dispose(&nb);
    if (tr)
        emb_translit_pool_put((emb_translit_pool *)&ls->pool, tr);
    if (rc < 0)
        return rc;
    if (p->nnames == 0)
        return emb_err_set(EMB_EINVAL, "query name has no letters or digits");
    emb_qfacts *f = &p->facts;
    memset(f, 0, sizeof(*f));
    for (size_t i = 0; i < q->nbirth_dates; i++) {
        if ((rc = check_value("birth date", q->birth_dates[i])) < 0)
            return rc;
        if (emb_qdate_parse(&f->dates[f->ndates], q->birth_dates[i]) < 0) {
            snprintf(msg, sizeof(msg), "%s; ignored", emb_err_last());
            if ((rc = warn(res, msg)) < 0)
                return rc;
            continue;
        }
        f->ndates++;
    }
    for (size_t i = 0; i < q->ncountries; i++) {
        if ((rc = check_value("country", q->countries[i])) < 0)
            return rc;
        const char *cc = emb_country_code(q->countries[i]);
        if (!cc) {
            snprintf(msg, sizeof(msg), "country '%s' not recognised (use an ISO code or an English "
                     "name); ignored", q->countries[i]);
            if ((rc = warn(res, msg)) < 0)
                return rc;
            continue;
        }
        f->ccs[f->nccs++] = cc;
    }
    for (size_t i = 0; i < q->nidentifiers; i++) {
        if ((rc = check_value("identifier", q->identifiers[i])) < 0)
            return rc;
        const char *n = norm_id(a, q->identifiers[i]);
        if (!n)
            return EMB_ENOMEM;
        if (!*n)
            continue;
        f->ids[f->nids] = n;
        f->ids_raw[f->nids++] = q->identifiers[i];
    }
    if (q->gender && *q->gender) {
        if (strcasecmp(q->gender, "male") == 0 || strcasecmp(q->gender, "m") == 0)
            f->gender = "male";
        else if (strcasecmp(q->gender, "female") == 0 || strcasecmp(q->gender, "f") == 0)
            f->gender = "female";
        else if ((rc = check_value("gender", q->gender)) < 0)
            return rc;
        else {
            snprintf(msg, sizeof(msg), "gender '%s' not recognised (male or female); ignored",
                     q->gender);
            if ((rc = warn(res, msg)) < 0)
                return rc;
        }
    }
    return EMB_OK;
}

/* ---- explanation --------------------------------------------------------- */

static const char *make_reason(emb_arena *a, const emb_match *m, const emb_name_cmp *c)
{
    emb_buf b;
    emb_buf_init(&b, 4096);
    const char *kind = emb_name_kind_name(m->name->kind);
    unsigned parts = c->nexact + c->nvariant + c->nglued + c->nfuzzy + c->ninitial;
    if (m->name->kind == EMB_NAME_VESSEL) {
        emb_buf_printf(&b, "vessel %s, named in this entry's remarks: ", m->name->full);
        kind = "vessel";
    }
    if (!parts) {
        emb_buf_puts(&b, "no part of the name matches (found by identifier)");
    } else if (c->exact) {
        emb_buf_printf(&b, "%s name matches exactly", kind);
    } else {
        emb_buf_printf(&b, "%s name: %u of %u query parts aligned (", kind, parts,
                       parts + c->nextra);
        const char *sep = "";
        if (c->nexact) {
            emb_buf_printf(&b, "%s%u exact", sep, c->nexact);
            sep = ", ";
        }
        if (c->nvariant) {
            emb_buf_printf(&b, "%s%u spelling variant%s", sep, c->nvariant,
                           c->nvariant == 1 ? "" : "s");
            sep = ", ";
        }
        if (c->nglued) {
            emb_buf_printf(&b, "%s%u glued", sep, c->nglued);
            sep = ", ";
        }
        if (c->nfuzzy) {
            emb_buf_printf(&b, "%s%u fuzzy", sep, c->nfuzzy);
            sep = ", ";
        }
        if (c->ninitial)
            emb_buf_printf(&b, "%s%u initial", sep, c->ninitial);
        emb_buf_puts(&b, ")");
        if (c->nmissing)
            emb_buf_printf(&b, ", %u listed part%s not in query", c->nmissing,
                           c->nmissing == 1 ? "" : "s");
        if (parts == c->nexact && !c->nextra && !c->nmissing)
            emb_buf_puts(&b, ", in another order");
    }
    if (m->name->kind == EMB_NAME_WEAK)
        emb_buf_puts(&b, " [low-quality alias]");
    for (size_t i = 0; i < m->nevidence; i++) {
        const emb_evidence *e = &m->evidence[i];
        if (e->outcome == EMB_EV_NO_DATA)
            continue;
        static const char *const label[] = {"birth date", "country", "identifier", "gender"};
        emb_buf_printf(&b, "; %s %s %s", label[e->field], e->query ? e->query : "",
                       e->outcome == EMB_EV_AGREE ? "agrees" : "differs");
        if (e->listed && strcmp(e->listed, e->query ? e->query : "") != 0)
            emb_buf_printf(&b, " (listed %s)", e->listed);
    }
    const char *r = emb_arena_strdup(a, emb_buf_cstr(&b));
    emb_buf_dispose(&b);
    return r;
}

/* ---- the screening call ---------------------------------------------------- */

typedef struct cand {
    uint32_t entity;
    float acc;
} cand;

static int cmp_cand(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->acc != b->acc)
        return a->acc > b->acc ? -1 : 1;
    return a->entity < b->entity ? -1 : a->entity > b->entity;
}

static int cmp_match(const void *x, const void *y)
{
    const emb_match *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->name_score != b->name_score)
        return a->name_score > b->name_score ? -1 : 1;
    return strcmp(a->entity->id, b->entity->id);
}

EMB_API int emb_screen(emb_results **out, const emb_lists *ls, const emb_query *q,
                       const emb_screen_opts *opts)
{
    if (!out || !ls || !q)
        return emb_err_set(EMB_EINVAL, "emb_screen: invalid arguments");
    emb_screen_opts o = EMB_SCREEN_OPTS_INIT;
    if (opts) {
        if (opts->version == 1) {
            /* version 1 had no filters: copy its fields, keep "any" filters */
            o.threshold = opts->threshold;
            o.cutoff = opts->cutoff;
            o.limit = opts->limit;
        } else if (opts->version == EMB_SCREEN_OPTS_VERSION) {
            o = *opts;
        } else {
            return emb_err_set(EMB_EINVAL, "emb_screen_opts version %d, expected 1 or %d",
                               opts->version, EMB_SCREEN_OPTS_VERSION);
        }
    }
    if ((o.nlists && !o.lists) || (o.nregimes && !o.regimes) || (o.nprograms && !o.programs) ||
        (o.nentity_ids && !o.entity_ids))
        return emb_err_set(EMB_EINVAL, "emb_screen_opts: a filter count without its values");
    if (o.limit == 0 || o.limit > EMB_MAX_LIMIT)
        return emb_err_set(EMB_EINVAL, "limit must be 1..%d", EMB_MAX_LIMIT);
    if (!(o.threshold >= 0.0 && o.threshold <= 1.0) || !(o.cutoff >= 0.0 && o.cutoff <= 1.0))
        return emb_err_set(EMB_EINVAL, "threshold and cutoff must be within 0..1");
    emb_results *r = emb_calloc(1, sizeof(*r));
    if (!r)
        return emb_err_set(EMB_ENOMEM, "out of memory");
    emb_arena_init(&r->arena, 64u << 20);
    emb_arena *a = &r->arena;
    const emb_index *ix = &ls->index;
    prepared *p = emb_arena_alloc(a, sizeof(*p));
    int rc = p ? prepare(p, ls, q, r) : EMB_ENOMEM;
    if (rc < 0)
        goto fail;

    /* retrieve */
    acc c;
    if ((rc = acc_init(&c, a, 1024)) < 0)
        goto fail;
    for (size_t i = 0; i < p->nnames && rc == EMB_OK; i++) {
        const emb_qname *qn = &p->names[i];
        char glue[512];
        for (size_t t = 0; t < qn->ntok && rc == EMB_OK; t++) {
            float w = qn->w[t];
            if (qn->ids[t] >= 0)
                rc = add_postings(&c, ix, (uint32_t)qn->ids[t], w);
            for (int vk = 0; rc == EMB_OK && vk < 3; vk++) {
                uint32_t key = qn->vkey[t][vk];
                if (key == EMB_NO_KEY)
                    continue;
                for (uint32_t k = ix->key_off[key]; rc == EMB_OK && k < ix->key_off[key + 1]; k++)
                    if ((int64_t)ix->key_toks[k] != qn->ids[t])
                        rc = add_postings(&c, ix, ix->key_toks[k], w * 0.85f);
            }
            for (size_t k = 0; rc == EMB_OK && k < qn->nnear[t]; k++)
                rc = add_postings(&c, ix, qn->near[t][k].tok,
                                  w * (qn->near[t][k].edits == 1 ? 0.8f : 0.6f));
            if (rc == EMB_OK && t + 1 < qn->ntok &&
                qn->lens[t] + qn->lens[t + 1] < sizeof(glue)) {
                memcpy(glue, qn->toks[t], qn->lens[t]);
                memcpy(glue + qn->lens[t], qn->toks[t + 1], qn->lens[t + 1]);
                int64_t id = emb_index_lookup(ix, glue, qn->lens[t] + qn->lens[t + 1]);
                if (id >= 0)
                    rc = add_postings(&c, ix, (uint32_t)id, w);
            }
        }
    }
    if (rc < 0)
        goto fail;
    /* entities holding a query identifier are candidates whatever their names */
    size_t nidhits = 0;
    for (size_t i = 0; i < p->facts.nids; i++) {
        size_t k;
        emb_index_ident(ix, p->facts.ids[i], &k);
        nidhits += k;
    }
    /* best accumulated weight per entity */
    cand *cs = emb_arena_alloc(a, (c.n + nidhits ? c.n + nidhits : 1) * sizeof(cand));
    float *best = emb_arena_alloc(a, (ix->nentities ? ix->nentities : 1) * sizeof(float));
    if (!cs || !best) {
        rc = EMB_ENOMEM;
        goto fail;
    }
    size_t nc = 0;
    for (size_t h = 0; h < c.cap; h++) {
        if (!c.keys[h])
            continue;
        const emb_pname *pn = &ix->pnames[c.keys[h] - 1];
        const emb_entity *e = &ls->model.entities[pn->entity];
        if (!name_allowed(q->schema, e, pn) || !entity_allowed(&o, e))
            continue;
        cs[nc].entity = pn->entity;
        cs[nc].acc = c.val[h];
        nc++;
    }
    uint8_t *idhit = emb_arena_alloc(a, ix->nentities ? ix->nentities : 1);
    if (!idhit) {
        rc = EMB_ENOMEM;
        goto fail;
    }
    memset(idhit, 0, ix->nentities ? ix->nentities : 1);
    for (size_t i = 0; i < p->facts.nids; i++) {
        size_t k;
        const uint32_t *ents = emb_index_ident(ix, p->facts.ids[i], &k);
        for (size_t j = 0; j < k; j++) {
            const emb_entity *e = &ls->model.entities[ents[j]];
            if (!emb_qschema_allows(q->schema, e->schema) || !entity_allowed(&o, e))
                continue;
            idhit[ents[j]] = 1;
            cs[nc].entity = ents[j];
            cs[nc].acc = 1e6f;   /* ahead of every name-only candidate */
            nc++;
        }
    }
    qsort(cs, nc, sizeof(cand), cmp_cand);
    size_t ne = 0;
    memset(best, 0, (ix->nentities ? ix->nentities : 1) * sizeof(float));
    for (size_t i = 0; i < nc && ne < EMB_MAX_CANDIDATES; i++) {
        if (best[cs[i].entity] > 0)
            continue;
        best[cs[i].entity] = cs[i].acc;
        cs[ne++] = cs[i];
    }
    r->ncand = ne;

    /* score */
    emb_match *ms = emb_arena_alloc(a, (ne ? ne : 1) * sizeof(emb_match));
    if (!ms) {
        rc = EMB_ENOMEM;
        goto fail;
    }
    size_t nm = 0;
    for (size_t i = 0; i < ne; i++) {
        uint32_t ei = cs[i].entity;
        const emb_entity *e = &ls->model.entities[ei];
        int person = e->schema == EMB_SCHEMA_PERSON;
        int vessel = e->schema == EMB_SCHEMA_VESSEL;
        emb_name_cmp bestc;
        memset(&bestc, 0, sizeof(bestc));
        double bests = -1.0;
        const emb_pname *bestp = NULL;
        const emb_qname *bestq = NULL;
        for (uint32_t k = ix->ent_pname_off[ei]; k < ix->ent_pname_off[ei + 1]; k++) {
            const emb_pname *pn = &ix->pnames[ix->ent_pnames[k]];
            if (!name_allowed(q->schema, e, pn))
                continue;
            for (size_t j = 0; j < p->nnames; j++) {
                if (p->names[j].script != pn->script)
                    continue;
                emb_name_cmp cmp;
                if ((rc = emb_score_name(&cmp, ix, &p->names[j], pn, person, vessel, 0, a)) < 0)
                    goto fail;
                double s = cmp.score;
                /* a weak alias counts only when met near exactly: every part
                 * equal or a spelling variant, nothing extra or missing */
                if (pn->kind == EMB_NAME_WEAK)
                    s = s >= EMB_WEAK_ALIAS_MIN && !cmp.nextra && !cmp.nmissing && !cmp.nfuzzy &&
                                !cmp.ninitial
                            ? s * EMB_WEAK_ALIAS_FACTOR
                            : 0.0;
                if (s > bests + 1e-12 ||
                    (bestp && s > bests - 1e-12 && pn->kind < bestp->kind)) {
                    bests = s;
                    bestc = cmp;
                    bestp = pn;
                    bestq = &p->names[j];
                }
            }
        }
        if ((!bestp || bests <= 0.0) && !idhit[ei])
            continue;
        /* the explanation: the winning pair again, recording its alignment */
        if (bestp && (rc = emb_score_name(&bestc, ix, bestq, bestp, person, vessel, 1, a)) < 0)
            goto fail;
        if (!bestp) {
            /* found by identifier alone: no name of this entry aligned */
            memset(&bestc, 0, sizeof(bestc));
            bests = 0.0;
            bestq = &p->names[0];
        }
        emb_match *m = &ms[nm];
        memset(m, 0, sizeof(*m));
        m->entity = e;
        m->name = &e->names[bestp ? bestp->name : 0];
        m->query_name = bestq->raw;
        m->name_score = bests;
        m->align = bestc.align;
        m->nalign = bestc.nalign;
        double s = bests;
        emb_evidence *ev = NULL;
        size_t nev = 0;
        if ((rc = emb_corroborate(&s, &p->facts, e, m->name, a, &ev, &nev)) < 0)
            goto fail;
        m->evidence = ev;
        m->nevidence = nev;
        m->score = s;
        if (s < o.cutoff && s < o.threshold)
            continue;
        m->match = s >= o.threshold;
        m->reason = make_reason(a, m, &bestc);
        if (!m->reason) {
            rc = EMB_ENOMEM;
            goto fail;
        }
        nm++;
    }
    qsort(ms, nm, sizeof(emb_match), cmp_match);
    r->m = ms;
    r->n = nm < o.limit ? nm : o.limit;
    *out = r;
    return EMB_OK;
fail:
    if (rc == EMB_ENOMEM)
        emb_err_set(rc, "out of memory screening a query (per-query cap %u MiB)", 64u);
    emb_results_free(r);
    return rc;
}

EMB_API size_t emb_results_count(const emb_results *r)
{
    return r ? r->n : 0;
}

EMB_API const emb_match *emb_results_get(const emb_results *r, size_t i)
{
    return r && i < r->n ? &r->m[i] : NULL;
}

EMB_API int emb_check_birth_date(const char *s)
{
    emb_qdate d;
    if (!s)
        return emb_err_set(EMB_EINVAL, "no birth date");
    return emb_qdate_parse(&d, s);
}

EMB_API int emb_check_country(const char *s)
{
    if (!s || !emb_country_code(s))
        return emb_err_set(EMB_EINVAL, "country '%s' not recognised (use an ISO code or an English name)",
                           s ? s : "");
    return EMB_OK;
}

EMB_API size_t emb_results_warning_count(const emb_results *r)
{
    return r ? r->nwarn : 0;
}

EMB_API const char *emb_results_warning(const emb_results *r, size_t i)
{
    return r && i < r->nwarn ? r->warn[i] : NULL;
}

EMB_API size_t emb_results_candidates(const emb_results *r)
{
    return r ? r->ncand : 0;
}

EMB_API void emb_results_free(emb_results *r)
{
    if (!r)
        return;
    emb_arena_dispose(&r->arena);
    emb_free(r);
}
