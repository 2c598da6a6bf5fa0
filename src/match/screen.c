/*
 * screen.c - emb_screen, the one screening call every edge (CLI, batch,
 * HTTP, check) uses.
 *
 *   prepare: normalise each query name (and its script-preserving form),
 *            look its tokens up, strip leading titles for person matching,
 *            parse dates, countries and identifiers;
 *   retrieve: postings of exact, variant, fuzzy (trigram + edit budget)
 *            and glued tokens give candidate names, each with the query
 *            parts it holds, hence a bound on its final score (see "bounds"
 *            below); parts too weak to matter are not read at all;
 *   score:   candidate entities best bound first, every name against every
 *            query name (pairs whose bound cannot matter skipped), best pair
 *            kept; then corroboration; then explanation. Scoring stops when
 *            no remaining bound can enter the top `limit`, or after
 *            EMB_MAX_CANDIDATES entities.
 *
 * All per-query memory lives in one arena owned by the results.
 */
#include "util/compat.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "lib/lists.h"
#include "match/distance.h"
#include "match/score.h"
#include "match/screen.h"
#include "model/ident.h"
#include "text/country.h"
#include "text/norm.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/err.h"

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
static int name_allowed(emb_qschema q, emb_schema s, const emb_pname *pn)
{
    if (pn->kind == EMB_NAME_VESSEL)
        return q == EMB_Q_VESSEL || q == EMB_Q_THING;
    return emb_qschema_allows(q, s);
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

/* A listed token a query part may align with. */
typedef struct hit {
    uint32_t tok;
    float v;          /* most the pair can add to the score's numerator */
    float d;          /* what it adds to the denominator: the pair's weight */
} hit;

/* (pname, query name) pairs met in the postings, each with the mask of the
 * query name's parts that met it. Key: (pname + 1) << 8 | query name. */
typedef struct acc_slot {
    uint64_t key;      /* (pname + 1) << 8 | query name */
    uint32_t mask;     /* query parts met */
    uint32_t umask;    /* ... on their own (not only in a glued run) */
    float u;           /* the most weight they can bring (see "bounds") */
    float dsum;        /* what their pairs add to the denominator */
    uint32_t tok;      /* a listed token some parts met it through */
    uint32_t conf;     /* parts that met it through `tok` and nothing else */
    uint8_t cover;     /* the most listed parts they can align with */
    uint8_t ntok;      /* the listed name's parts (from the posting) */
    uint32_t runs;     /* glued runs that met it (RUN_BIT) */
    float urs;         /* what they bring, summed (u: the parts alone) */
    uint8_t multi;     /* `tok` is not exactly one real part of the name */
    uint8_t run;       /* 1: a glued run met it: dsum is no bound (the run's pair
                        * replaces its parts' pairs), the denominator is only
                        * known to be at least the numerator; 2: a run beyond
                        * RUN_BIT's reach did, runs is incomplete */
} acc_slot;

/* The bit of the glued run of r (2 or 3) parts from part t in a pair's
 * runs, or 0 beyond 16 parts. */
#define RUN_BIT(r, t) ((t) < 16 ? 1u << ((r) == 2 ? (t) : 16 + (t)) : 0u)

typedef struct acc {
    acc_slot *s;       /* the pairs, dense, in the order met (n of them, room for scap) */
    uint32_t *h;       /* open addressing over s, at most half full: 0 empty, else
                        * a tag of the key's hash (ACC_TAG) over index + 1: a probe
                        * reads a pair only when its tag agrees */
    size_t cap, n, scap;
    emb_arena *a;
} acc;

#define ACC_IDX_BITS 22
#define ACC_MAX (1u << ACC_IDX_BITS)   /* hash entries; pairs per query: half (the
                                        * 64 MiB query arena holds fewer) */
#define ACC_IDX(v) ((v) & ((1u << ACC_IDX_BITS) - 1))
#define ACC_TAG(h64) ((uint32_t)((h64) >> (64 - (32 - ACC_IDX_BITS))) << ACC_IDX_BITS)
#define ACC_AHEAD 8          /* postings prefetched ahead */
#define ACC_PRESIZE (1u << 20)   /* most entries made ahead of the postings */

/* A table of cap entries (a power of two) and room for cap / 2 pairs.
 * Only the entries are cleared: 4 bytes a pair, not a slot's 48. */
static int acc_init(acc *c, emb_arena *a, size_t cap)
{
    c->cap = cap;
    c->n = 0;
    c->scap = cap / 2;
    c->a = a;
    c->h = emb_arena_alloc(a, cap * sizeof(uint32_t));
    c->s = emb_arena_alloc(a, c->scap * sizeof(acc_slot));
    if (!c->s || !c->h)
        return EMB_ENOMEM;
    memset(c->h, 0, cap * sizeof(uint32_t));
    return EMB_OK;
}

static uint64_t acc_h64(uint64_t key)
{
    return key * 0x9E3779B97F4A7C15ull;
}

static size_t acc_hash(const acc *c, uint64_t key)
{
    return (size_t)(acc_h64(key) >> 32) & (c->cap - 1);
}

/* Twice the entries: the pairs are copied once (in order), the entries
 * made again from their keys. */
static int acc_grow(acc *c)
{
    if (c->cap >= ACC_MAX)
        return emb_err_set(EMB_ETOOBIG, "query meets more than %u listed names", ACC_MAX / 2);
    acc bigger;
    if (acc_init(&bigger, c->a, c->cap * 2) < 0)
        return EMB_ENOMEM;
    memcpy(bigger.s, c->s, c->n * sizeof(acc_slot));
    for (size_t i = 0; i < c->n; i++) {
        uint64_t h64 = acc_h64(c->s[i].key);
        size_t h = (size_t)(h64 >> 32) & (bigger.cap - 1);
        while (bigger.h[h])
            h = (h + 1) & (bigger.cap - 1);
        bigger.h[h] = ACC_TAG(h64) | ((uint32_t)i + 1);
    }
    bigger.n = c->n;
    *c = bigger;
    return EMB_OK;
}

/* Record that query parts `mask` met this pair through listed token tok
 * (posting value pv) with numerator w and denominator d. A part met again
 * adds nothing unless `always` (glued runs): callers read each part's
 * postings heaviest pair first, one part after the other, then the runs. */
static int acc_add(acc *c, uint64_t key, uint32_t pv, uint32_t tok, uint32_t mask, float w,
                   float d, unsigned cov, int always, uint32_t runbit)
{
    if (c->n + 1 > c->scap) {
        int rc = acc_grow(c);
        if (rc < 0)
            return rc;
    }
    uint64_t h64 = acc_h64(key);
    uint32_t tag = ACC_TAG(h64);
    size_t h = (size_t)(h64 >> 32) & (c->cap - 1);
    acc_slot *e = NULL;
    for (; c->h[h]; h = (h + 1) & (c->cap - 1))
        if ((c->h[h] & ~ACC_IDX(~0u)) == tag && c->s[ACC_IDX(c->h[h]) - 1].key == key) {
            e = &c->s[ACC_IDX(c->h[h]) - 1];
            break;
        }
    if (!e) {
        e = &c->s[c->n];
        memset(e, 0, sizeof(*e));
        e->key = key;
        e->ntok = (uint8_t)EMB_POST_NTOK(pv);
        e->tok = tok;
        e->multi = (pv & EMB_POST_MULTI) != 0;
        c->h[h] = tag | (uint32_t)++c->n;
    }
    /* conf: parts met through e->tok only (runs are another way); until two
     * parts share one, the token tracked is the last part's */
    if (always) {
        e->conf &= ~mask;
        if (!runbit) {
            e->run = 2;
        } else if (e->runs & runbit) {
            return EMB_OK;   /* the run met it through a heavier token already */
        } else {
            if (!e->run)
                e->run = 1;
            e->runs |= runbit;
        }
        e->mask |= mask;
        e->urs += w;
        unsigned cv = e->cover + cov;
        e->cover = (uint8_t)(cv > 255 ? 255 : cv);
        return EMB_OK;
    } else if (!(e->mask & mask)) {
        if (tok == e->tok) {
            e->conf |= mask;
        } else if (!(e->conf & (e->conf - 1))) {
            e->tok = tok;
            e->multi = (pv & EMB_POST_MULTI) != 0;
            e->conf = mask;
        }
    } else if (tok != e->tok) {
        e->conf &= ~mask;
    }
    if (!(e->mask & mask)) {
        e->mask |= mask;
        e->umask |= mask;
        e->u += w;
        e->dsum += d;
        unsigned cv = e->cover + cov;
        e->cover = (uint8_t)(cv > 255 ? 255 : cv);
    } else if (cov > 1) {
        /* the part met it before through a lighter-covering token (at
         * least one listed part); it may align through this one instead */
        unsigned cv = e->cover + cov - 1;
        e->cover = (uint8_t)(cv > 255 ? 255 : cv);
    }
    return EMB_OK;
}

/* The slot of pair (pname, qname), or NULL when its parts met nothing. */
static const acc_slot *acc_get(const acc *c, uint32_t pname, uint32_t qname)
{
    uint64_t key = ((uint64_t)pname + 1) << 8 | qname;
    uint64_t h64 = acc_h64(key);
    uint32_t tag = ACC_TAG(h64);
    for (size_t h = (size_t)(h64 >> 32) & (c->cap - 1); c->h[h]; h = (h + 1) & (c->cap - 1))
        if ((c->h[h] & ~ACC_IDX(~0u)) == tag && c->s[ACC_IDX(c->h[h]) - 1].key == key)
            return &c->s[ACC_IDX(c->h[h]) - 1];
    return NULL;
}

/* The listed parts a pair through token v may align with: one for a real
 * part, the run for a glued form (the scorer glues up to four). */
static unsigned tok_cover(const emb_vtok *v)
{
    return v->joined ? (v->glue > 4 ? 4u : v->glue) : 1u;
}

/* ... where the name holds it as a glued form (a posting marked
 * EMB_POST_MULTI, or a run found by probing): a token can be both a name's
 * part and another name's glued run (licheng; li cheng). */
static unsigned glue_cover(const emb_vtok *v)
{
    return v->glue > 1 ? (v->glue > 4 ? 4u : v->glue) : 1u;
}

/* The postings of tok (of its names with initials only, when init). */
static int add_postings(acc *c, const emb_index *ix, uint32_t tok, uint32_t qname, uint32_t mask,
                        const hit *h, unsigned cov, int always, int init, uint32_t runbit)
{
    const uint32_t *post = init ? ix->post_init : ix->post;
    const uint32_t *off = init ? ix->post_init_off : ix->post_off;
    uint32_t end = off[tok + 1];
    /* a query part (not a run: the scorer glues one side only) meeting a
     * name's glued form covers its run */
    unsigned gc = always ? 1u : glue_cover(&ix->toks[tok]), covm = gc > cov ? gc : cov;
    for (uint32_t k = off[tok]; k < end; k++) {
        /* the slot of a posting a few ahead: the table is larger than the
         * caches on big lists, and its probes are random */
        if (k + ACC_AHEAD < end)
            EMB_PREFETCH(&c->h[acc_hash(c, ((uint64_t)(post[k + ACC_AHEAD] & EMB_POST_PNAME) + 1) << 8 |
                                                qname)]);
        uint32_t pv = post[k];
        int rc = acc_add(c, ((uint64_t)(pv & EMB_POST_PNAME) + 1) << 8 | qname, pv, tok, mask,
                         h->v, h->d, pv & EMB_POST_MULTI ? covm : cov, always, runbit);
        if (rc < 0)
            return rc;
    }
    return EMB_OK;
}

/* ---- bounds ------------------------------------------------------------------
 *
 * The name score is num / den, where an aligned pair adds at most its
 * weight (as the scorer weighs the pair, see collect_hits) to both, and an unaligned
 * query part adds at least EMB_W_EXTRA_CONTAINED of its weight to den (a
 * title adds nothing). So if the parts in a set S can align at all, the score
 * is at most U / (U + X), U the most weight S's parts can bring, X the least
 * the other parts cost. A part can align only with a listed part met in its
 * postings (exact, variant key, fuzzy partner, glued form), except an
 * initial; those and the parts too weak to matter are assumed aligned.
 * Corroboration moves a score s to at most emb_corroborate_most(s, g).
 */

#define BOUND_EPS 1e-6


/* A probed part's hits by listed token: where a listed name holds one as
 * a real part is found from the name's parts (a binary search each), not
 * by testing every hit against the name. Hits that are also glued forms
 * are tested as runs, heaviest first, only ahead of the best part found. */
typedef struct probe_set {
    uint32_t *tok;     /* non-joined hit tokens, ascending */
    uint32_t *k;       /* ... each one's position among the part's hits */
    size_t n;
    uint32_t *glue;    /* positions of hits that are glued forms too, ascending */
    size_t nglue;
} probe_set;

typedef struct plan {
    float u[EMB_NAME_MAX_TOKENS];   /* most weight the part can bring to a pair it is
                                     * assumed to hold (plan_assume) */
    float uown[EMB_NAME_MAX_TOKENS]; /* ... through its own hits (or as an initial) */
    float urun[2][EMB_NAME_MAX_TOKENS]; /* ... parts t..t+1 [0] or t..t+2 [1] glued */
    float x[EMB_NAME_MAX_TOKENS];   /* least it costs left unaligned */
    float xm[EMB_NAME_MAX_TOKENS];  /* ... when a listed part is missing */
    float w[EMB_NAME_MAX_TOKENS];   /* its weight (0: skipped) */
    float d[EMB_NAME_MAX_TOKENS];   /* least it adds to the denominator aligned one to one */
    size_t npost[EMB_NAME_MAX_TOKENS]; /* postings its hits hold: what reading it costs */
    uint8_t cov[EMB_NAME_MAX_TOKENS]; /* most listed parts it can align with (glued runs) */
    hit *hits[EMB_NAME_MAX_TOKENS];   /* listed tokens it can align with */
    size_t nhits[EMB_NAME_MAX_TOKENS];
    uint8_t *hcov[EMB_NAME_MAX_TOKENS]; /* listed parts a probed name holding hit k (and
                                         * no earlier one) may cover */
    uint32_t initials;              /* one-letter parts (assumed: they may pair with any
                                     * listed part of their letter) */
    int64_t qid[EMB_NAME_MAX_TOKENS]; /* each part's vocabulary token, or -1 */
    uint32_t longfirst;             /* first letters (bit c - 'a') of the parts longer than
                                     * a letter: what a listed initial may pair with */
    char ichar[EMB_NAME_MAX_TOKENS]; /* ... that letter */
    uint32_t probe;                 /* weak parts a pair's listed name is probed for */
    probe_set *pset[EMB_NAME_MAX_TOKENS]; /* ... their hits, arranged for probing */
    hit *ghits[2][EMB_NAME_MAX_TOKENS]; /* listed tokens parts t..t+1 [0] or t..t+2 [1]
                                           glued can align with */
    size_t nghits[2][EMB_NAME_MAX_TOKENS];
    uint32_t assumed;               /* parts counted as aligned without looking */
    uint32_t weak;                  /* of those, parts whose postings are read for names
                                     * with initials only */
    uint32_t weak_all;              /* of those, parts whose postings are not read at all */
    size_t n;
    int g;                          /* what corroboration can agree on (EMB_CAN_*) */
} plan;

static double final_bound(double u, int g)
{
    return emb_corroborate_most(u, g);
}

/* Parts `met` met listed name pn (NULL: any) through pairs that bring at
 * most `u` to the numerator and `dsum` to the denominator (each pair its
 * weight), covering at most `cover` of its parts. Listed parts beyond what the query
 * parts can cover are missing: each costs EMB_W_MISSING_LISTED of its
 * weight, and unaligned query parts then cost EMB_W_EXTRA_QUERY. */
/* U / (max(D, U) + X): every aligned pair adds to the denominator at least
 * what it adds to the numerator (similarity <= 1), whatever D assumed. The
 * listed name's size comes from the name, or from the posting (its lightest
 * weight then unknown); with a listed part missing, an extra query part
 * costs more (XM). */
static double bound_of(double U, double D, double X, double XM, size_t cover, size_t nt,
                       const emb_pname *pn)
{
    if (X < 0.0)
        X = 0.0;
    if (nt > cover)
        X = (XM > X ? XM : X) + (pn ? EMB_W_MISSING_LISTED * (double)(nt - cover) * pn->wmin : 0.0);
    if (U <= 0.0)
        return 0.0;
    double den = (D > U ? D : U) + X;
    return den <= U ? 1.0 : U / den;
}

/* What the parts outside `met` add to a pair's bound: the assumed ones to
 * U, D and cover, the free ones (freemask) to X, and XM with a listed part
 * missing. */
typedef struct part_sums {
    double U, D, X, XM;
    size_t cover, nfree;
    uint32_t freemask;
} part_sums;

static part_sums plan_sums(const plan *pl, uint32_t assumed, uint32_t met)
{
    part_sums r = {0.0, 0.0, 0.0, 0.0, 0, 0, 0};
    for (size_t i = 0; i < pl->n; i++) {
        uint32_t bit = 1u << i;
        if (met & bit)
            continue;
        if (assumed & bit) {
            r.U += pl->u[i];
            r.D += pl->d[i];
            r.cover += pl->cov[i];
        } else {
            r.X += pl->x[i];
            r.XM += pl->xm[i];
            r.freemask |= bit;
            r.nfree++;
        }
    }
    return r;
}

static double plan_name_bound_a(const plan *pl, uint32_t assumed, uint32_t met, float u,
                                float dsum, unsigned cover_met, const emb_pname *pn, int init,
                                unsigned ntok)
{
    part_sums ps = plan_sums(pl, assumed, met);
    double U = u + ps.U, D = dsum + ps.D, X = ps.X, XM = ps.XM;
    size_t cover = cover_met + ps.cover, nfree = ps.nfree;
    uint32_t freemask = ps.freemask;
    /* a listed initial aligns with any query part of its letter, met in no
     * posting: up to one free part per initial may be such a pair, bringing
     * at most EMB_INITIAL_SCORE at half weight and at least half its weight
     * to the denominator; unread, a name with initials may pair them with
     * every free part. Each pairing: the most any free part costs comes
     * off, the least any adds goes on; the bound is the best of pairing
     * 0, 1, 2... */
    size_t ninit = pn ? pn->ninit : init ? nfree : 0;
    float fx[EMB_NAME_MAX_TOKENS], fxm[EMB_NAME_MAX_TOKENS], fw[EMB_NAME_MAX_TOKENS];
    if (ninit && nfree) {
        size_t k = 0;
        for (size_t i = 0; i < pl->n; i++)
            if (freemask & (1u << i)) {
                fx[k] = pl->x[i];
                fxm[k] = pl->xm[i];
                fw[k++] = pl->w[i];
            }
    }
    size_t nt = pn ? pn->ntok : ntok;
    double best = bound_of(U, D, X, XM, cover, nt, pn);
    for (size_t k = 0; k < ninit && k < nfree; k++) {
        size_t bx = 0, bxm = 0, bw = 0;
        for (size_t i = 1; i < nfree; i++) {
            bx = fx[i] > fx[bx] ? i : bx;
            bxm = fxm[i] > fxm[bxm] ? i : bxm;
            bw = fw[i] < fw[bw] ? i : bw;
        }
        X -= fx[bx];
        XM -= fxm[bxm];
        D += 0.5 * fw[bw];
        U += 0.5 * EMB_INITIAL_SCORE;
        cover++;
        fx[bx] = 0.0f;
        fxm[bxm] = 0.0f;
        fw[bw] = 1e9f;   /* each used once */
        double b = bound_of(U, D, X, XM, cover, nt, pn);
        best = b > best ? b : best;
    }
    return best;
}

static double plan_name_bound(const plan *pl, uint32_t met, float u, float dsum,
                              unsigned cover_met, const emb_pname *pn, int init, unsigned ntok)
{
    return plan_name_bound_a(pl, pl->assumed, met, u, dsum, cover_met, pn, init, ntok);
}

/* plan_name_bound without the listed name (pn NULL) depends on the pair's
 * mask and initials bit through the plan alone: what the parts outside the
 * mask add, kept per (query name, mask, initials) for the pairs that share
 * them. */
typedef struct bound_memo {
    uint64_t key;      /* (query name << 33 | mask << 1 | init) + 1; 0 empty */
    double U, D, X, XM; /* added to the pair's numerator and denominator, X and XM */
    unsigned cover;    /* listed parts the other parts may cover */
} bound_memo;

#define MEMO_BITS 7   /* 128 slots: a query has few distinct masks */
#define MEMO_SLOTS (1u << MEMO_BITS)

static double memo_name_bound(bound_memo *memo, const plan *pl, uint32_t j, uint32_t met,
                              float u, float dsum, unsigned cover_met, int init, unsigned ntok)
{
    uint64_t key = ((uint64_t)j << 33 | (uint64_t)met << 1 | (uint64_t)(init != 0)) + 1;
    bound_memo *m = &memo[(key * 0x9E3779B97F4A7C15ull) >> (64 - MEMO_BITS)];
    if (m->key != key) {
        /* what the other parts add: the assumed ones to U, D and cover, the
         * free ones to X (XM with a listed part missing); with initials,
         * every free part may pair with one instead (X, XM 0; D no more,
         * to stay a bound whichever pair) */
        part_sums ps = plan_sums(pl, pl->assumed, met);
        if (init) {
            ps.U += 0.5 * EMB_INITIAL_SCORE * (double)ps.nfree;
            ps.cover += ps.nfree;
            ps.X = ps.XM = 0.0;
        }
        m->key = key;
        m->U = ps.U;
        m->D = ps.D;
        m->X = ps.X;
        m->XM = ps.XM;
        m->cover = (unsigned)ps.cover;
    }
    return bound_of(u + m->U, dsum + m->D, m->X, m->XM, cover_met + m->cover, ntok, NULL);
}

static double plan_bound(const plan *pl, uint32_t met, float u, float dsum, unsigned cover,
                         const emb_pname *pn, int init, unsigned ntok, int g)
{
    return final_bound(plan_name_bound(pl, met, u, dsum, cover, pn, init, ntok), g);
}

/* The most a pair's glued runs bring: they align with disjoint runs of
 * parts, so the best set of runs that do not overlap, each at the most any
 * of its hits brings (no more than their sum as met). */
static float runs_value(const plan *pl, const acc_slot *e, uint32_t alone)
{
    if (!e->run)
        return e->urs;
    /* a part assumed aligned (weak, unread) that only runs met may align
     * on its own instead (alone: those that may): its own value is the
     * alternative to a run */
    float most = e->urs;
    for (size_t t = 0; alone && t < pl->n; t++)
        if (alone & (1u << t))
            most += pl->u[t];
    if (e->run == 2)
        return most;
    float best[EMB_NAME_MAX_TOKENS + 1];
    best[0] = 0.0f;
    for (size_t i = 1; i <= pl->n; i++) {
        best[i] = best[i - 1] + ((alone >> (i - 1)) & 1 ? pl->u[i - 1] : 0.0f);
        if (i >= 2 && (e->runs & RUN_BIT(2, i - 2)) && best[i - 2] + pl->urun[0][i - 2] > best[i])
            best[i] = best[i - 2] + pl->urun[0][i - 2];
        if (i >= 3 && (e->runs & RUN_BIT(3, i - 3)) && best[i - 3] + pl->urun[1][i - 3] > best[i])
            best[i] = best[i - 3] + pl->urun[1][i - 3];
    }
    return best[pl->n] < most ? best[pl->n] : most;
}

/* What pair e (NULL: met by nothing) brings to a bound's numerator, and to
 * its denominator for sure (nothing once a glued run met it: the run's pair
 * replaces its parts'). */
static float slot_u(const plan *pl, const acc_slot *e)
{
    return e ? e->u + runs_value(pl, e, e->mask & ~e->umask & pl->assumed) : 0.0f;
}

static float slot_d(const acc_slot *e)
{
    return e && !e->run ? e->dsum : 0.0f;
}

/* Whether the parts i..i+r-1 of pn, glued, spell s[0..len). */
static int run_spells(const emb_index *ix, const emb_pname *pn, size_t i, size_t r, const char *s,
                      size_t len)
{
    size_t at = 0;
    for (size_t k = i; k < i + r; k++) {
        const emb_vtok *v = &ix->toks[ix->name_toks[pn->tok_off + k]];
        if (at + v->len > len || memcmp(s + at, emb_tok_s(ix, v), v->len) != 0)
            return 0;
        at += v->len;
    }
    return at == len;
}

/* Whether the listed name pn holds glued token tok as one of the glued
 * forms the index makes of it (runs of two and three parts, the whole name
 * from three). */
static int pname_holds_run(const emb_index *ix, const emb_pname *pn, uint32_t tok)
{
    const emb_vtok *v = &ix->toks[tok];
    size_t n = pn->ntok;
    if (!v->glue)
        return 0;
    const char *s = emb_tok_s(ix, v);
    for (size_t r = 2; r <= 3 && r <= n; r++)
        for (size_t i = 0; i + r <= n; i++)
            if (run_spells(ix, pn, i, r, s, v->len))
                return 1;
    return n > 3 && run_spells(ix, pn, 0, n, s, v->len);
}

/* The first (heaviest) of probed part t's hits that the listed name pn
 * holds, as a real part or as a glued run of its parts (*via_run), or
 * UINT32_MAX. */
static uint32_t probe_part(const plan *pl, const emb_index *ix, const emb_pname *pn, size_t t,
                           int *via_run)
{
    const probe_set *ps = pl->pset[t];
    uint32_t kbest = UINT32_MAX;
    *via_run = 0;
    for (size_t j = 0; j < pn->ntok; j++) {
        uint32_t tok = ix->name_toks[pn->tok_off + j];
        size_t lo = 0, hi = ps->n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (ps->tok[mid] < tok)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < ps->n && ps->tok[lo] == tok && ps->k[lo] < kbest)
            kbest = ps->k[lo];
    }
    for (size_t g = 0; g < ps->nglue && ps->glue[g] < kbest; g++)
        if (pname_holds_run(ix, pn, pl->hits[t][ps->glue[g]].tok)) {
            *via_run = 1;
            return ps->glue[g];
        }
    return kbest;
}

/* Whether listed name pn holds a part of the query as such (the scorer's
 * exact alignment: the same vocabulary token). */
static int holds_query_part(const plan *pl, const emb_index *ix, const emb_pname *pn)
{
    for (size_t j = 0; j < pn->ntok; j++) {
        int64_t id = ix->name_toks[pn->tok_off + j];
        for (size_t t = 0; t < pl->n; t++)
            if (pl->qid[t] == id)
                return 1;
    }
    return 0;
}

static double pair_name_bound_core(const plan *pl, const emb_index *ix, const acc_slot *e,
                                   const emb_pname *pn, uint32_t *met_out,
                                   uint32_t *assumed_out, float *u_out, unsigned *cover_out);

/* The one query initial (its part) met in listed name pn whose letter is a
 * listed initial that may also pair with a longer query part, when the
 * name gives it no other partner: no other part of its letter, none of
 * its hits. -1 when there is none, or more than one (not worked out). */
static int listed_initial_shared(const plan *pl, const emb_index *ix, const emb_pname *pn,
                                 uint32_t met)
{
    int found = -1;
    for (size_t t = 0; t < pl->n; t++) {
        if (!(pl->initials & met & (1u << t)))
            continue;
        char c = pl->ichar[t];
        if (c < 'a' || c > 'z' || !(pl->longfirst & (1u << (c - 'a'))))
            continue;
        size_t same = 0, other = 0;
        for (size_t j = 0; j < pn->ntok; j++) {
            uint32_t id = ix->name_toks[pn->tok_off + j];
            const emb_vtok *v = &ix->toks[id];
            const char *vs = emb_tok_s(ix, v);
            if (v->len == 1 && vs[0] == c)
                same++;
            else if (vs[0] == c)
                other++;
            else
                for (size_t k = 0; k < pl->nhits[t] && !other; k++)
                    other += pl->hits[t][k].tok == id;
        }
        if (same != 1 || other)
            continue;
        if (found >= 0)
            return -1;
        found = (int)t;
    }
    return found;
}

/* With the listed name's parts read: what the scorer's rules about
 * initials allow. They align only in a person's name; and aligned with no
 * part exactly equal, they cap the score at EMB_INITIAL_NO_ANCHOR_CAP
 * (B. MURPHY against thousands of names with a part of skeleton m-r-f and
 * one starting with b), else they stay unaligned and cost as extra parts. */
static double pair_name_bound_raw(const plan *pl, const emb_index *ix, const acc_slot *e,
                                  const emb_pname *pn)
{
    uint32_t met, assumed;
    float u;
    unsigned cover;
    emb_pname pc;
    if (pn->ninit) {
        /* a listed initial pairs only with a longer query part of its
         * letter (score.c, tok_sim_id) */
        pc = *pn;
        pc.ninit = 0;
        for (size_t j = 0; j < pn->ntok; j++) {
            const emb_vtok *v = &ix->toks[ix->name_toks[pn->tok_off + j]];
            const char *vs = emb_tok_s(ix, v);
            if (v->len == 1 && vs[0] >= 'a' && vs[0] <= 'z' &&
                (pl->longfirst & (1u << (vs[0] - 'a'))))
                pc.ninit++;
        }
        pn = &pc;
    }
    double r = pair_name_bound_core(pl, ix, e, pn, &met, &assumed, &u, &cover);
    if (pn->ninit && (pl->initials & met)) {
        /* a listed initial that a query initial of its letter met (S against
         * S. ADAMS) cannot also pair with a longer query part (STEP): one
         * or the other. Where the query initial has no other partner in the
         * name, the bound is the larger of the two cases. */
        int t1 = listed_initial_shared(pl, ix, pn, met);
        if (t1 >= 0) {
            uint32_t a1 = 0, m1 = 0;
            float u1 = 0.0f;
            unsigned c1 = 0;
            emb_pname p1 = *pn;
            p1.ninit--;
            double ra = pair_name_bound_core(pl, ix, e, &p1, &m1, &a1, &u1, &c1);
            uint32_t bit = 1u << t1;
            double rb = plan_name_bound_a(pl, assumed & ~bit, met & ~bit, u, 0.0f, cover, pn, 0, 0);
            double b = ra > rb ? ra : rb;
            r = b < r ? b : r;
        }
    }
    uint32_t ini = pl->initials & (met | assumed);
    if (!ini || pn->ninit || holds_query_part(pl, ix, pn))
        return r;
    /* no part can align exactly, nor any initial with a listed initial:
     * the initials align as such, capped, or not at all */
    double nb = plan_name_bound_a(pl, assumed & ~ini, met & ~ini, u, 0.0f, cover, pn, 0, 0);
    double capped = r < EMB_INITIAL_NO_ANCHOR_CAP ? r : EMB_INITIAL_NO_ANCHOR_CAP;
    if (ix->ent_schema[pn->entity] != EMB_SCHEMA_PERSON)
        capped = 0.0;   /* no initial aligns outside a person's name */
    double b = capped > nb ? capped : nb;
    return b < r ? b : r;
}

/* The name bound of a pair with its listed name pn at hand. Parts that met
 * the name only through one token it holds once (conf) cannot all align:
 * one of them does, and the others are left over; the bound is the best
 * choice of that one. The parts it counts met or assumed, their value and cover
 * go to the out parameters (pair_name_bound_raw refines them). */
static double pair_name_bound_core(const plan *pl, const emb_index *ix, const acc_slot *e,
                                   const emb_pname *pn, uint32_t *met_out,
                                   uint32_t *assumed_out, float *u_out, unsigned *cover_out)
{
    uint32_t met = e ? e->mask : 0, assumed = pl->assumed;
    /* assumed parts only glued runs met align alone only where the name
     * holds one of their hits: probed too */
    uint32_t alone = e ? e->mask & ~e->umask & pl->assumed : 0;
    for (size_t t = 0; (alone & pl->probe) && t < pl->n; t++) {
        int via_run;
        if ((alone & pl->probe & (1u << t)) && probe_part(pl, ix, pn, t, &via_run) == UINT32_MAX)
            alone &= ~(1u << t);
    }
    float u = e ? e->u + runs_value(pl, e, alone) : 0.0f, dsum = slot_d(e);
    unsigned cover = e ? e->cover : 0;
    /* weak parts, assumed without reading them: with the listed name at
     * hand, whether they meet it is known */
    uint32_t probe = pl->probe & ~met;
    for (size_t t = 0; probe && t < pl->n; t++) {
        if (!(probe & (1u << t)))
            continue;
        assumed &= ~(1u << t);
        int via_run;
        uint32_t kbest = probe_part(pl, ix, pn, t, &via_run);
        const hit *best = kbest == UINT32_MAX ? NULL : &pl->hits[t][kbest];
        if (best) {
            met |= 1u << t;
            u += best->v;
            dsum += best->d;
            /* it may align through a later hit the name holds too */
            unsigned cv = pl->hcov[t][kbest], gc = glue_cover(&ix->toks[best->tok]);
            cover += via_run && gc > cv ? gc : cv;
        }
    }
    /* an initial no posting met aligns only as an initial: with a listed
     * part of its letter, longer than one letter (score.c); a name without
     * one leaves it unaligned */
    uint32_t ini = pl->initials & assumed & ~met;
    if (ini) {
        uint32_t first = 0;   /* first letters of the name's longer parts */
        for (size_t j = 0; j < pn->ntok; j++) {
            const emb_vtok *v = &ix->toks[ix->name_toks[pn->tok_off + j]];
            const char *vs = emb_tok_s(ix, v);
            if (v->len > 1 && vs[0] >= 'a' && vs[0] <= 'z')
                first |= 1u << (vs[0] - 'a');
        }
        for (size_t t = 0; t < pl->n; t++)
            if ((ini & (1u << t)) && !(first & (1u << (pl->ichar[t] - 'a'))))
                assumed &= ~(1u << t);
    }
    *met_out = met;
    *assumed_out = assumed;
    *u_out = u;
    *cover_out = cover;
    double b = plan_name_bound_a(pl, assumed, met, u, dsum, cover, pn, 0, 0);
    if (!e)
        return b;
    uint32_t conf = e->conf;
    if (e->multi || !(conf & (conf - 1)))
        return b;
    /* what each such part brought through e->tok; to the cover, each the
     * token's own */
    float v[EMB_NAME_MAX_TOKENS], d[EMB_NAME_MAX_TOKENS];
    float vsum = 0.0f, dcs = 0.0f;
    unsigned c1 = tok_cover(&ix->toks[e->tok]), nconf = 0;
    for (size_t t = 0; t < pl->n; t++) {
        if (!(conf & (1u << t)))
            continue;
        size_t k = 0;
        while (k < pl->nhits[t] && pl->hits[t][k].tok != e->tok)
            k++;
        if (k == pl->nhits[t])
            return b;   /* not a pair this part's hits made: no claim */
        v[t] = pl->hits[t][k].v;
        d[t] = pl->hits[t][k].d;
        vsum += v[t];
        dcs += d[t];
        nconf++;
    }
    double best = 0.0;
    for (size_t t = 0; t < pl->n; t++) {
        if (!(conf & (1u << t)))
            continue;
        /* part t keeps the listed token; the others of conf are dropped */
        float ut = u - (vsum - v[t]), ds = dsum - (dcs - d[t]);
        unsigned ct = cover - (nconf - 1) * c1;
        double x = plan_name_bound_a(pl, assumed, met & ~(conf & ~(1u << t)),
                                     ut > 0.0f ? ut : 0.0f, ds > 0.0f ? ds : 0.0f, ct, pn, 0, 0);
        if (x > best)
            best = x;
    }
    return best < b ? best : b;
}

/* With a weak alias's rule: it counts only from EMB_WEAK_ALIAS_MIN, scaled
 * by EMB_WEAK_ALIAS_FACTOR (score_entity). */
static double weak_rule(const emb_pname *pn, double b)
{
    if (pn->kind == EMB_NAME_WEAK)
        b = b < EMB_WEAK_ALIAS_MIN - BOUND_EPS ? 0.0 : b * EMB_WEAK_ALIAS_FACTOR;
    return b;
}

/* The pair's bound with its listed name: first without probing the weak
 * parts or sharing out tokens met twice (no more than the tight one); the
 * tight one only when that can still matter, by the final score bound fb
 * (corroboration gain g) reaching `need`. */
static double pair_name_bound(const plan *pl, const emb_index *ix, const acc_slot *e,
                              const emb_pname *pn, int g, double need)
{
    double b = weak_rule(pn, plan_name_bound(pl, e ? e->mask : 0, slot_u(pl, e), slot_d(e),
                                             e ? e->cover : 0, pn, 0, 0));
    if (final_bound(b, g) < need)
        return b;
    return weak_rule(pn, pair_name_bound_raw(pl, ix, e, pn));
}

static void raise_to(float *u, float w)
{
    if (w > *u)
        *u = w;
}


static int cmp_hit_tok(const void *x, const void *y)
{
    const hit *a = x, *b = y;
    if (a->tok != b->tok)
        return a->tok < b->tok ? -1 : 1;
    return a->v > b->v ? -1 : a->v < b->v;
}

static int cmp_hit_v(const void *x, const void *y)
{
    const hit *a = x, *b = y;
    if (a->v != b->v)
        return a->v > b->v ? -1 : 1;
    return a->tok < b->tok ? -1 : a->tok > b->tok;
}

/* Sort hits by cmp: insertion sort for the short lists most parts have
 * (qsort's calls cost more there), qsort beyond. */
static void sort_hits(hit *hs, size_t n, int (*cmp)(const void *, const void *))
{
    if (n > 32) {
        qsort(hs, n, sizeof(hit), cmp);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        hit v = hs[i];
        size_t j = i;
        while (j > 0 && cmp(&hs[j - 1], &v) > 0) {
            hs[j] = hs[j - 1];
            j--;
        }
        hs[j] = v;
    }
}

/* The vocabulary tokens spelling s[0..n): itself, and those sharing its
 * class, romanisation form or consonant skeleton key. At most max, into
 * out. */
static size_t spellings(const emb_index *ix, const char *s, size_t n, uint32_t *out, size_t max)
{
    size_t k = 0;
    int64_t id = emb_index_lookup(ix, s, n);
    if (id >= 0 && !ix->toks[id].joined)
        out[k++] = (uint32_t)id;
    uint32_t keys[3];
    emb_index_variant_keys(ix, s, n, keys);
    for (int vk = EMB_VK_CLASS; vk <= EMB_VK_SKEL; vk++) {
        if (keys[vk] == EMB_NO_KEY)
            continue;
        for (uint32_t j = ix->key_off[keys[vk]]; j < ix->key_off[keys[vk] + 1] && k < max; j++)
            if (!ix->toks[ix->key_toks[j]].joined && (int64_t)ix->key_toks[j] != id)
                out[k++] = ix->key_toks[j];
    }
    return k;
}

#define SPLIT_MAX_SPELLINGS 16

typedef struct near_list {
    uint32_t *out;
    size_t n, max;
} near_list;

static void on_near_list(void *payload, uint32_t tok, int edits)
{
    (void)edits;
    near_list *l = payload;
    if (l->n < l->max)
        l->out[l->n++] = tok;
}

/* Real vocabulary tokens within `budget` edits of s[0..n). */
static size_t near_spellings(const emb_index *ix, const char *s, size_t n, int budget,
                             uint32_t *out, size_t max, emb_arena *a)
{
    near_list l = {out, 0, max};
    emb_index_fuzzy_within(ix, s, n, budget, a, on_near_list, &l);
    return l.n;
}

/* Glued tokens of the vocabulary that a query part may be, split in two
 * halves each spelt as the list spells it; a pair through one adds at most
 * the query part's weight (the scorer weighs a glued run by the single
 * part's side). */
/* Append to *hs the glued token spelt t1 + t2, if the vocabulary has it
 * as some name's run; with s (the query part, its edit budget), only if
 * the part is within that budget of it and neither half is the part. */
static int glue_one(hit **hs, size_t *k, size_t *cap, const emb_index *ix, uint32_t t1,
                    uint32_t t2, float wq, const char *s, size_t len, int budget, emb_arena *a)
{
    char glue[2 * EMB_DIST_MAX_LEN + 2];
    const emb_vtok *a1 = &ix->toks[t1], *a2 = &ix->toks[t2];
    if (a1->len + a2->len >= sizeof(glue))
        return EMB_OK;
    memcpy(glue, emb_tok_s(ix, a1), a1->len);
    memcpy(glue + a1->len, emb_tok_s(ix, a2), a2->len);
    size_t gl = a1->len + a2->len;
    int64_t g = emb_index_lookup(ix, glue, gl);
    if (g < 0 || ix->toks[g].glue < 2)
        return EMB_OK;
    /* the halves' edits add up beyond the part's, or a half is the part
     * itself (sc scientific: the part aligns with its own) */
    if (s && (emb_osa_distance(s, len, glue, gl, budget) > budget ||
              (a1->len == len && memcmp(emb_tok_s(ix, a1), s, len) == 0) ||
              (a2->len == len && memcmp(emb_tok_s(ix, a2), s, len) == 0)))
        return EMB_OK;
    if (*k == *cap) {
        hit *more = emb_arena_alloc(a, 2 * *cap * sizeof(hit));
        if (!more)
            return EMB_ENOMEM;
        memcpy(more, *hs, *cap * sizeof(hit));
        *hs = more;
        *cap *= 2;
    }
    (*hs)[*k].tok = (uint32_t)g;
    (*hs)[*k].v = (*hs)[*k].d = wq;
    (*k)++;
    return EMB_OK;
}

/* Append to *hs the glued tokens spelt pre[i] + suf[j] (glue_one). */
static int glue_combos_within(hit **hs, size_t *k, size_t *cap, const emb_index *ix,
                              const uint32_t *pre, size_t np, const uint32_t *suf, size_t ns,
                              float wq, const char *s, size_t len, int budget, emb_arena *a)
{
    int rc = EMB_OK;
    for (size_t i = 0; i < np && rc == EMB_OK; i++)
        for (size_t j = 0; j < ns && rc == EMB_OK; j++)
            rc = glue_one(hs, k, cap, ix, pre[i], suf[j], wq, s, len, budget, a);
    return rc;
}

static int glue_combos(hit **hs, size_t *k, size_t *cap, const emb_index *ix, const uint32_t *pre,
                       size_t np, const uint32_t *suf, size_t ns, float wq, emb_arena *a)
{
    return glue_combos_within(hs, k, cap, ix, pre, np, suf, ns, wq, NULL, 0, 0, a);
}

/* A real vocabulary token's fuzzy partners at most `edits` from it (up
 * to max). */
static size_t partners_within(const emb_index *ix, uint32_t tok, int edits, uint32_t *out,
                              size_t max, emb_arena *a, int *rc)
{
    size_t k = 0, np = 0;
    const uint32_t *pp = emb_index_partners(ix, tok, &np, a, rc);
    for (size_t j = 0; j < np && k < max; j++)
        if ((int)(pp[j] & 3) <= edits)
            out[k++] = pp[j] >> 2;
    return k;
}

typedef struct split_glue {
    hit **hs;
    size_t *k, *cap;
    const emb_index *ix;
    uint32_t one;        /* the half listed as spelt */
    int one_first;       /* it is the first half */
    size_t left;         /* spellings of the other half still to try */
    float wq;
    const char *s;       /* the whole part */
    size_t len;
    int budget;
    emb_arena *a;
    int rc;
} split_glue;

static void on_split_glue(void *payload, uint32_t tok, int edits)
{
    (void)edits;
    split_glue *g = payload;
    if (g->rc != EMB_OK || !g->left)
        return;
    g->left--;
    g->rc = g->one_first ? glue_one(g->hs, g->k, g->cap, g->ix, g->one, tok, g->wq, g->s,
                                    g->len, g->budget, g->a)
                         : glue_one(g->hs, g->k, g->cap, g->ix, tok, g->one, g->wq, g->s,
                                    g->len, g->budget, g->a);
}

/* Glued tokens of the vocabulary within a query part's edit budget of it,
 * found by its halves. Cut where an alignment of the part with a listed
 * run of two parts crosses from one to the other, the budget's edits fall
 * on either side: none on one (that half is a listed part as spelt: the
 * other half's spellings within the whole budget; naualna ~ na walna,
 * maalimsalman ~ maalim ayman), or, where the budget is two, one on each
 * (abdukadir ~ abdul qadir). A run is kept when the whole part is within
 * its budget of it and neither half is the part itself. every: every
 * spelling of the other half, glued as the fuzzy lookup finds it (a short
 * half has many; worked out once per vocabulary token), else the first
 * SPLIT_MAX_SPELLINGS (per query). */
static int split_near(hit **hs, size_t *k, size_t *cap, const emb_index *ix, const char *s,
                      size_t len, float wq, int every, emb_arena *a)
{
    uint32_t pre[SPLIT_MAX_SPELLINGS], suf[SPLIT_MAX_SPELLINGS];
    int budget = emb_edit_budget(len), rc = EMB_OK;
    size_t most = every ? SIZE_MAX : SPLIT_MAX_SPELLINGS;
    for (size_t cut = 2; budget > 0 && cut + 2 <= len && rc == EMB_OK; cut++) {
        int64_t p1 = emb_index_lookup(ix, s, cut), p2 = emb_index_lookup(ix, s + cut, len - cut);
        int l1 = p1 >= 0 && !ix->toks[p1].joined, l2 = p2 >= 0 && !ix->toks[p2].joined;
        split_glue g = {hs, k, cap, ix, 0, 0, most, wq, s, len, budget, a, EMB_OK};
        if (l1) {
            g.one = (uint32_t)p1;
            g.one_first = 1;
            emb_index_fuzzy_within(ix, s + cut, len - cut, budget, a, on_split_glue, &g);
        }
        if (l2 && g.rc == EMB_OK) {
            g.one = (uint32_t)p2;
            g.one_first = 0;
            g.left = most;
            emb_index_fuzzy_within(ix, s, cut, budget, a, on_split_glue, &g);
        }
        rc = g.rc;
        if (rc == EMB_OK && budget >= 2 && cut >= 3 && cut + 3 <= len) {
            size_t n1 = l1 ? partners_within(ix, (uint32_t)p1, 1, pre, SPLIT_MAX_SPELLINGS, a, &rc)
                           : near_spellings(ix, s, cut, 1, pre, SPLIT_MAX_SPELLINGS, a);
            size_t n2 = rc != EMB_OK || !n1 ? 0
                        : l2 ? partners_within(ix, (uint32_t)p2, 1, suf, SPLIT_MAX_SPELLINGS, a, &rc)
                             : near_spellings(ix, s + cut, len - cut, 1, suf, SPLIT_MAX_SPELLINGS, a);
            if (rc == EMB_OK && n2)
                rc = glue_combos_within(hs, k, cap, ix, pre, n1, suf, n2, wq, s, len, budget, a);
        }
    }
    return rc;
}

/* The real vocabulary tokens of variant key `key` (up to max). */
static size_t key_spellings(const emb_index *ix, uint32_t key, uint32_t *out, size_t max)
{
    size_t k = 0;
    if (key == EMB_NO_KEY)
        return 0;
    for (uint32_t j = ix->key_off[key]; j < ix->key_off[key + 1] && k < max; j++)
        if (!ix->toks[ix->key_toks[j]].joined)
            out[k++] = ix->key_toks[j];
    return k;
}

#define FORM_NEAR_MAX 64   /* listed parts found by form_neighbours */

/* Real vocabulary tokens whose romanisation form is f[0..fl) or one edit
 * from it, starting alike, as the scorer compares forms (glue_sim). A form
 * one edit away is all the scorer can align up to 9 letters (two edits
 * fall below EMB_GLUE_MIN_SIM); longer ones may miss a second edit. */
static size_t form_neighbours(const emb_index *ix, const char *f, size_t fl, uint32_t *out,
                              size_t max)
{
    uint32_t keys[FORM_NEAR_MAX];
    size_t nk = emb_index_forms_near(ix, f, fl, keys, FORM_NEAR_MAX), k = 0;
    for (size_t i = 0; i < nk && k < max; i++)
        k += key_spellings(ix, keys[i], out + k, max - k);
    return k;
}

/* Glued tokens whose parts' romanisation forms, glued, are a query part's
 * form f[0..fl) cut in two (chongsong ~ jong song), or are so with one
 * edit in one half (abdallah: abdala ~ abou ala: abuala, ansarallah:
 * ansarala ~ ansar al): the scorer compares forms (glue_sim). The first
 * half's initial g, d, b may read as a syllable's form gives it (k, t, p;
 * the scorer reads a joined name's first syllable so). */
static int split_forms(hit **hs, size_t *k, size_t *cap, const emb_index *ix, const char *f,
                       size_t fl, float wq, emb_arena *a)
{
    uint32_t pre[SPLIT_MAX_SPELLINGS], suf[SPLIT_MAX_SPELLINGS], near[SPLIT_MAX_SPELLINGS];
    int rc = EMB_OK;
    char fv[EMB_DIST_MAX_LEN + 1];
    char v0 = fl && emb_variant_devoice(f[0]) != f[0] ? emb_variant_devoice(f[0]) : 0;
    int budget = emb_edit_budget(fl);
    for (size_t cut = 2; fl && cut + 2 <= fl && rc == EMB_OK; cut++) {
        size_t np = key_spellings(ix, emb_index_form_key_exact(ix, f, cut), pre, SPLIT_MAX_SPELLINGS);
        if (v0 && cut <= 6 && cut < sizeof(fv)) {
            memcpy(fv, f, cut);
            fv[0] = v0;
            np += key_spellings(ix, emb_index_form_key_exact(ix, fv, cut), pre + np,
                                SPLIT_MAX_SPELLINGS - np);
        }
        size_t ns = key_spellings(ix, emb_index_form_key_exact(ix, f + cut, fl - cut), suf,
                                  SPLIT_MAX_SPELLINGS);
        if (np)
            rc = glue_combos(hs, k, cap, ix, pre, np, suf, ns, wq, a);
        if (budget < 1 || rc != EMB_OK)
            continue;
        /* one half's form as listed, the other's one edit off */
        if (np) {
            size_t nn = form_neighbours(ix, f + cut, fl - cut, near, SPLIT_MAX_SPELLINGS);
            rc = glue_combos(hs, k, cap, ix, pre, np, near, nn, wq, a);
        }
        if (ns && rc == EMB_OK) {
            size_t nn = form_neighbours(ix, f, cut, near, SPLIT_MAX_SPELLINGS);
            rc = glue_combos(hs, k, cap, ix, near, nn, suf, ns, wq, a);
        }
    }
    return rc;
}

/* Glued tokens of the vocabulary that a query part may be, split in two
 * halves spelt as the list spells them (mungil ~ mun kil) or, failing
 * that, one half as listed and the other within the whole part's edit
 * budget (abdullah + eanshori, chol + lam); then the runs within the
 * part's budget (split_near; every: all spellings of a half, not the first
 * few). A pair through one adds at most the query part's weight: the
 * scorer weighs a glued run by the single part's side. */
static int split_hits(hit **out, size_t *n, const emb_index *ix, const char *s, size_t len,
                      const char *f, size_t fl, float wq, int every, emb_arena *a)
{
    size_t cap = 64, k = 0;
    hit *hs = emb_arena_alloc(a, cap * sizeof(hit));
    if (!hs)
        return EMB_ENOMEM;
    uint32_t pre[SPLIT_MAX_SPELLINGS], suf[SPLIT_MAX_SPELLINGS];
    int budget = emb_edit_budget(len), rc;
    for (size_t cut = 2; cut + 1 <= len; cut++) {
        size_t np = spellings(ix, s, cut, pre, SPLIT_MAX_SPELLINGS);
        size_t ns = spellings(ix, s + cut, len - cut, suf, SPLIT_MAX_SPELLINGS);
        size_t before = k;
        if ((rc = glue_combos(&hs, &k, &cap, ix, pre, np, suf, ns, wq, a)) < 0)
            return rc;
        if (k > before || (!np && !ns))
            continue;
        if (np)
            ns = near_spellings(ix, s + cut, len - cut, budget, suf, SPLIT_MAX_SPELLINGS, a);
        else
            np = near_spellings(ix, s, cut, budget, pre, SPLIT_MAX_SPELLINGS, a);
        if ((rc = glue_combos(&hs, &k, &cap, ix, pre, np, suf, ns, wq, a)) < 0)
            return rc;
    }
    if ((rc = split_near(&hs, &k, &cap, ix, s, len, wq, every, a)) < 0 ||
        (rc = split_forms(&hs, &k, &cap, ix, f, fl, wq, a)) < 0)
        return rc;
    *out = hs;
    *n = k;
    return EMB_OK;
}

static size_t tok_and_partners(const emb_index *ix, uint32_t tok, uint32_t *out, size_t max,
                               emb_arena *a, int *rc)
{
    out[0] = tok;
    return 1 + partners_within(ix, tok, 3, out + 1, max - 1, a, rc);
}

/* Glued tokens of the vocabulary that a query part the list holds may
 * also be (chongsong ~ jong song, abdolrahim ~ abdul rahim). Split in two:
 * the listed parts whose forms are the halves of the part's form f[0..fl)
 * (the scorer compares forms), and, when both halves are listed parts, the
 * halves with the fuzzy partners of the other, glued as some name glues
 * them; then the runs within the part's budget (split_near). Worked out
 * once per token: the caller keeps the result in the split cache. */
static int split_listed(hit **out, size_t *n, const emb_index *ix, const char *s, size_t len,
                        const char *f, size_t fl, float wq, emb_arena *a)
{
    size_t cap = 16, k = 0;
    hit *hs = emb_arena_alloc(a, cap * sizeof(hit));
    if (!hs)
        return EMB_ENOMEM;
    uint32_t pre[SPLIT_MAX_SPELLINGS], suf[SPLIT_MAX_SPELLINGS];
    int rc = split_forms(&hs, &k, &cap, ix, f, fl, wq, a);
    for (size_t cut = 3; cut + 3 <= len && rc == EMB_OK; cut++) {
        int64_t p1 = emb_index_lookup(ix, s, cut);
        if (p1 < 0 || ix->toks[p1].joined)
            continue;
        int64_t p2 = emb_index_lookup(ix, s + cut, len - cut);
        if (p2 < 0 || ix->toks[p2].joined)
            continue;
        uint32_t one1 = (uint32_t)p1, one2 = (uint32_t)p2;
        size_t np = tok_and_partners(ix, one1, pre, SPLIT_MAX_SPELLINGS, a, &rc);
        size_t ns = rc == EMB_OK ? tok_and_partners(ix, one2, suf, SPLIT_MAX_SPELLINGS, a, &rc) : 0;
        if (rc == EMB_OK)
            rc = glue_combos(&hs, &k, &cap, ix, pre, np, &one2, 1, wq, a);
        if (rc == EMB_OK && ns > 1)
            rc = glue_combos(&hs, &k, &cap, ix, &one1, 1, suf + 1, ns - 1, wq, a);
    }
    if (rc == EMB_OK)
        rc = split_near(&hs, &k, &cap, ix, s, len, wq, 1, a);
    if (rc < 0)
        return rc;
    *out = hs;
    *n = k;
    return EMB_OK;
}

/* The hits of a string: its token id (or -1), the tokens sharing its
 * variant keys, its fuzzy partners (of a string of length len), and extra
 * hits already made (split halves); one per token, its best, sorted by
 * token. A pair weighs as the scorer weighs it: an equal one the listed
 * token's weight, a variant or fuzzy one the lighter of wq and the listed
 * token's, and a glued form wq (wq < 0: a glued run of query parts, weighing
 * as the listed token); that is its
 * denominator, and similarity times it its numerator. */
static int collect_hits(hit **out, size_t *n, const emb_index *ix, int64_t id,
                        const uint32_t keys[3], const emb_near *near, size_t nnear, size_t len,
                        float wq, const hit *extra, size_t nextra, emb_arena *a)
{
    static const double vscore[3] = {EMB_VARIANT_CLASS, EMB_VARIANT_FORM, EMB_VARIANT_SKEL};
    size_t max = 1 + nnear + nextra, nk = 0;
    for (int vk = 0; vk < 3; vk++)
        if (keys[vk] != EMB_NO_KEY)
            max += ix->key_off[keys[vk] + 1] - ix->key_off[keys[vk]];
    hit *hs = emb_arena_alloc(a, max * sizeof(hit));
    if (!hs)
        return EMB_ENOMEM;
    /* a listed glued form (abdul habib) aligns with a query part through
     * the scorer's glue pass, which weighs the pair as the query part */
#define LIGHTER(v) (wq < 0.0f ? (v)->w : (v)->glue || wq < (v)->w ? wq : (v)->w)
    if (id >= 0) {
        hs[nk].tok = (uint32_t)id;
        hs[nk].d = hs[nk].v = ix->toks[id].w > wq ? ix->toks[id].w : wq;
        nk++;
    }
    for (int vk = 0; vk < 3; vk++) {
        if (keys[vk] == EMB_NO_KEY)
            continue;
        for (uint32_t k = ix->key_off[keys[vk]]; k < ix->key_off[keys[vk] + 1]; k++) {
            hs[nk].tok = ix->key_toks[k];
            hs[nk].d = LIGHTER(&ix->toks[ix->key_toks[k]]);
            hs[nk].v = (float)(vscore[vk] * hs[nk].d);
            nk++;
        }
    }
    for (size_t k = 0; k < nnear; k++) {
        const emb_vtok *v = &ix->toks[near[k].tok];
        size_t L = v->len > len ? v->len : len;
        double f = 1.0 - EMB_FUZZY_SLOPE * (double)near[k].edits / (double)L;
        hs[nk].tok = near[k].tok;
        hs[nk].d = LIGHTER(v);
        hs[nk].v = (float)((f > 0.0 ? f : 0.0) * hs[nk].d);
        nk++;
    }
#undef LIGHTER
    if (nextra)
        memcpy(hs + nk, extra, nextra * sizeof(hit));
    nk += nextra;
    /* one entry per token, its best value */
    if (nk > 1)
        sort_hits(hs, nk, cmp_hit_tok);
    size_t m = 0;
    for (size_t k = 0; k < nk; k++)
        if (m == 0 || hs[m - 1].tok != hs[k].tok)
            hs[m++] = hs[k];
    *out = hs;
    *n = m;
    return EMB_OK;
}

/* Append to hits *xs (*nx of them, arena memory) the real tokens of abjad
 * key ak: a part romanised from Arabic script (a run of them) reads as
 * them at most as a consonant skeleton brings, the pair weighing as
 * collect_hits weighs a variant (wq < 0: a run, as the listed token). */
static int abjad_hits(hit **xs, size_t *nx, const emb_index *ix, uint32_t ak, float wq,
                      emb_arena *a)
{
    size_t na = ix->key_off[ak + 1] - ix->key_off[ak];
    hit *more = emb_arena_alloc(a, (*nx + na) * sizeof(hit));
    if (!more)
        return EMB_ENOMEM;
    if (*nx)
        memcpy(more, *xs, *nx * sizeof(hit));
    for (uint32_t k = ix->key_off[ak]; k < ix->key_off[ak + 1]; k++) {
        const emb_vtok *v = &ix->toks[ix->key_toks[k]];
        if (v->joined)
            continue;
        hit *h = &more[(*nx)++];
        h->tok = ix->key_toks[k];
        h->d = wq < 0.0f ? v->w : v->glue || wq < v->w ? wq : v->w;
        h->v = (float)(EMB_VARIANT_SKEL * h->d);
    }
    *xs = more;
    return EMB_OK;
}

/* The listed tokens query part t can align with (exact, spelling variant,
 * fuzzy partner, glued form of split halves), each with the most its pair adds to the numerator:
 * similarity times the pair's weight, as emb_score_name scores it. Sorted
 * heaviest first, one entry per token. */
static int part_hits(hit **out, size_t *n, const emb_index *ix, const emb_qname *qn, size_t t,
                     emb_arena *a)
{
    /* a part the list does not hold as such may be a glued run of listed
     * parts (mungil ~ mun kil, wonwook ~ won uk): split it in two, and look
     * the glued forms of the two halves' spellings up */
    size_t nsplit = 0;
    hit *sp = NULL;
    if (qn->ids[t] < 0 && qn->lens[t] >= 4 && qn->lens[t] <= EMB_DIST_MAX_LEN) {
        /* out of the vocabulary: worked out for this query, the spellings
         * of a half within the budget capped */
        int rc = split_hits(&sp, &nsplit, ix, qn->toks[t], qn->lens[t], qn->form[t], qn->flen[t],
                            qn->w[t], 0, a);
        if (rc < 0)
            return rc;
    } else if (qn->lens[t] >= 4 && qn->lens[t] <= EMB_DIST_MAX_LEN) {
        /* a part the list holds may still be another name's glued run
         * spelt otherwise (chongsong ~ jong song), and a glued form some
         * name holds another's: a property of the token, found once and
         * kept in the index's split cache */
        const uint32_t *ct = emb_index_split_cached(ix, (uint32_t)qn->ids[t]);
        if (!ct) {
            int rc = ix->toks[qn->ids[t]].joined
                         ? split_hits(&sp, &nsplit, ix, qn->toks[t], qn->lens[t], qn->form[t],
                                      qn->flen[t], qn->w[t], 1, a)
                         : split_listed(&sp, &nsplit, ix, qn->toks[t], qn->lens[t], qn->form[t],
                                        qn->flen[t], qn->w[t], a);
            if (rc < 0)
                return rc;
            uint32_t *tl = emb_arena_alloc(a, (nsplit ? nsplit : 1) * sizeof(uint32_t));
            if (!tl)
                return EMB_ENOMEM;
            for (size_t k = 0; k < nsplit; k++)
                tl[k] = sp[k].tok;
            emb_index_split_cache_put(ix, (uint32_t)qn->ids[t], tl, nsplit);
        } else if ((nsplit = ct[0]) != 0) {
            /* the split's hits: each at the query part's weight */
            if (!(sp = emb_arena_alloc(a, nsplit * sizeof(hit))))
                return EMB_ENOMEM;
            for (size_t k = 0; k < nsplit; k++) {
                sp[k].tok = ct[k + 1];
                sp[k].v = sp[k].d = qn->w[t];
            }
        }
    }
    /* a part romanised from Arabic script: the Latin parts it reads as */
    if (qn->akey[t] != EMB_NO_KEY) {
        int rc = abjad_hits(&sp, &nsplit, ix, qn->akey[t], qn->w[t], a);
        if (rc < 0)
            return rc;
    }
    int rc = collect_hits(out, n, ix, qn->ids[t], qn->vkey[t], qn->near[t], qn->nnear[t],
                          qn->lens[t], qn->w[t], sp, nsplit, a);
    if (rc == EMB_OK && *n > 1)
        sort_hits(*out, *n, cmp_hit_v);
    return rc;
}

typedef struct near_vec {
    emb_near *v;
    size_t n;
    int rc;
} near_vec;

static void on_near(void *payload, uint32_t tok, int edits);


/* The listed tokens that query parts t..t+r-1, glued, can align with
 * (kimjong ~ kimjong, abdur ~ abdul): exact, spelling variant or fuzzy
 * partner; the run adds at most similarity times the listed weight. */
static int glue_hits(hit **out, size_t *n, const emb_index *ix, const emb_qname *qn, size_t t,
                     size_t r, emb_arena *a)
{
    char glue[EMB_DIST_MAX_LEN + 1];
    size_t gl = 0;
    *out = NULL;
    *n = 0;
    if (qn->lens[t + r - 1] == 1)
        return EMB_OK;   /* a run does not end in an initial (score.c, glue_pass) */
    for (size_t k = t; k < t + r; k++)
        gl += qn->lens[k];
    if (gl > EMB_DIST_MAX_LEN)
        return EMB_OK;
    gl = 0;
    for (size_t k = t; k < t + r; k++) {
        memcpy(glue + gl, qn->toks[k], qn->lens[k]);
        gl += qn->lens[k];
    }
    glue[gl] = '\0';
    /* the scorer aligns a run with a listed part as spelled or through
     * romanisation forms (glue_sim), never through a shared class or
     * consonant skeleton: jananagha is not jang */
    uint32_t keys[3] = {EMB_NO_KEY, emb_index_form_key(ix, glue, gl), EMB_NO_KEY};
    near_vec nv = {NULL, 0, EMB_OK};
    emb_index_fuzzy_same_start(ix, glue, gl, on_near, &nv);
    int rc = nv.rc;
    /* the scorer also compares the parts' romanisation forms, glued, with
     * a listed part's form (jung geun ~ jungwoon, yi han yan ~ iranian).
     * Forms are not indexed, but a part is mostly spelt as its form: for
     * runs of syllable-sized parts (up to six letters, where the forms
     * rewrite most), the spellings near the glued forms, each at the most
     * the forms path can bring */
    char fbuf[EMB_DIST_MAX_LEN + 1];
    size_t fl = 0;
    int forms = 1;
    for (size_t k = t; k < t + r && forms; k++) {
        if (!qn->flen[k] || qn->lens[k] > 6 || fl + qn->flen[k] > EMB_DIST_MAX_LEN)
            forms = 0;
        else {
            memcpy(fbuf + fl, qn->form[k], qn->flen[k]);
            fl += qn->flen[k];
        }
    }
    hit *extra = NULL;
    size_t nextra = 0;
    if (rc == EMB_OK && forms) {
        /* glued forms spelt as the glued parts: the spellings near them are
         * the run's own (above), but a listed part's form may still differ
         * from its spelling (abd al: abdal ~ abdallah: abdala) */
        int same = fl == gl && memcmp(fbuf, glue, gl) == 0;
        fbuf[fl] = '\0';
        near_vec fv = {NULL, 0, EMB_OK};
        if (!same)
            emb_index_fuzzy_same_start(ix, fbuf, fl, on_near, &fv);
        int64_t fid = same ? -1 : emb_index_lookup(ix, fbuf, fl);
        rc = fv.rc;
        /* and the listed parts whose own form is the glued forms, or one
         * edit from them (jung geun: jungkun ~ jungwoon: jungvun) */
        uint32_t ft[FORM_NEAR_MAX];
        size_t nft = rc == EMB_OK ? form_neighbours(ix, fbuf, fl, ft, FORM_NEAR_MAX) : 0;
        size_t most = fv.n + (fid >= 0) + nft;
        if (rc == EMB_OK && most) {
            extra = emb_arena_alloc(a, most * sizeof(hit));
            if (!extra)
                rc = EMB_ENOMEM;
        }
        for (size_t k = 0; rc == EMB_OK && k < most; k++) {
            uint32_t tok = k < fv.n ? fv.v[k].tok : k < fv.n + nft ? ft[k - fv.n] : (uint32_t)fid;
            const emb_vtok *v = &ix->toks[tok];
            /* at most one edit of forms: within a letter of fl long */
            size_t L = v->len > fl ? v->len : fl;
            if (k >= fv.n && k < fv.n + nft)
                L = fl + 1;
            double sim = 1.0 - EMB_FUZZY_SLOPE / (double)L;
            if (sim < EMB_VARIANT_FORM)
                sim = EMB_VARIANT_FORM;
            extra[nextra].tok = tok;
            extra[nextra].d = v->w;
            extra[nextra].v = (float)(sim * v->w);
            nextra++;
        }
        emb_free(fv.v);
    }
    /* a run of parts romanised from Arabic script: the Latin parts it
     * reads as (score.c glue_sim), weighing as they do */
    uint32_t ak = rc == EMB_OK && qn->abjad ? emb_index_abjad_key(ix, glue, gl) : EMB_NO_KEY;
    if (ak != EMB_NO_KEY)
        rc = abjad_hits(&extra, &nextra, ix, ak, -1.0f, a);
    /* the run weighs as the listed token it is glued to */
    if (rc == EMB_OK)
        rc = collect_hits(out, n, ix, emb_index_lookup(ix, glue, gl), keys, nv.v, nv.n, gl, -1.0f,
                          extra, nextra, a);
    emb_free(nv.v);
    return rc;
}

/* The most each part assumed in set A can bring: through its own hits, or
 * glued with neighbours in a run that A holds entirely (a run with a part
 * outside A is read, and the pairs it meets record it). */
static void plan_assume(plan *pl, uint32_t A)
{
    for (size_t t = 0; t < pl->n; t++)
        pl->u[t] = pl->uown[t];
    for (size_t r = 2; r <= 3; r++)
        for (size_t t = 0; t + r <= pl->n; t++) {
            uint32_t run = ((1u << r) - 1) << t;
            if ((A & run) != run)
                continue;
            for (size_t x = t; x < t + r; x++)
                raise_to(&pl->u[x], pl->urun[r - 2][t]);
        }
}

/* Parts too weak to lift a name to floor_s on their own: a name met
 * through nothing else, given `init` (its parts may be initials) or not.
 * Smallest first; a part that glued to a neighbour may align with a heavy
 * listed part is weak alone all the same: the run's postings are read
 * unless every part of it is weak. */
static uint32_t plan_weak_set(plan *pl, double floor_s, int init)
{
    uint32_t weak = 0, assumed = pl->assumed;
    for (;;) {
        size_t best = SIZE_MAX;
        for (size_t t = 0; t < pl->n; t++)
            if (!((assumed | weak) & (1u << t)) &&
                (best == SIZE_MAX || pl->uown[t] < pl->uown[best]))
                best = t;
        if (best == SIZE_MAX)
            break;
        /* the trial in place (the plan is large: no copy), undone below */
        pl->assumed = assumed | weak | 1u << best;
        plan_assume(pl, pl->assumed);
        double b = plan_bound(pl, 0, 0.0f, 0.0f, 0, NULL, init, 0, pl->g);
        pl->assumed = assumed;
        if (b >= floor_s - BOUND_EPS)
            break;
        weak |= 1u << best;
    }
    plan_assume(pl, assumed);
    return weak;
}

#define CHEAP_POSTINGS 256   /* a weak part with this few postings is read */

/* Weak parts cheap to read are read all the same, fewest postings first:
 * those with at most CHEAP_POSTINGS, or no more than the query reads
 * already. Assumed aligned, a weak part loosens the bound of every pair,
 * and probing it against each listed name costs more than reading a short
 * list; a smaller weak set is still a weak set. */
static void plan_read_cheap(plan *pl)
{
    size_t read = 0;
    for (size_t t = 0; t < pl->n; t++)
        if (!((pl->weak | pl->assumed) & (1u << t)))
            read += pl->npost[t];
    for (;;) {
        size_t best = SIZE_MAX;
        for (size_t t = 0; t < pl->n; t++)
            if ((pl->weak & (1u << t)) && (best == SIZE_MAX || pl->npost[t] < pl->npost[best]))
                best = t;
        if (best == SIZE_MAX || pl->npost[best] > (read > CHEAP_POSTINGS ? read : CHEAP_POSTINGS))
            break;
        pl->weak &= ~(1u << best);
        pl->weak_all &= ~(1u << best);
        read += pl->npost[best];
    }
}

/* Weak parts are not read for names without initials (below floor_s on
 * them alone), and not at all for any name when even initials could not
 * lift it; every pair met through the other parts is assumed to hold them. */
static void plan_weaken(plan *pl, double floor_s)
{
    pl->weak = plan_weak_set(pl, floor_s, 0);
    pl->weak_all = plan_weak_set(pl, floor_s, 1) & pl->weak;
    plan_read_cheap(pl);
    pl->assumed |= pl->weak;
    plan_assume(pl, pl->assumed);
    /* a weak part can be probed against a listed name unless a glued run
     * holding it is read for some names only, or not at all (the pair
     * does not record it) */
    for (size_t t = 0; t < pl->n; t++) {
        if (!(pl->weak & (1u << t)))
            continue;
        int ok = 1;
        for (size_t r = 2; r <= 3 && ok; r++)
            for (size_t s0 = t + 1 >= r ? t + 1 - r : 0; s0 <= t && s0 + r <= pl->n; s0++) {
                uint32_t run = ((1u << r) - 1) << s0;
                if (pl->nghits[r - 2][s0] && (pl->weak & run) == run)
                    ok = 0;
            }
        if (ok)
            pl->probe |= 1u << t;
    }
}

static int cmp_probe_tok(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* The probe sets of the plan's probed parts. */
static int plan_probe_sets(plan *pl, const emb_index *ix, emb_arena *a)
{
    for (size_t t = 0; t < pl->n; t++) {
        if (!(pl->probe & (1u << t)))
            continue;
        size_t nh = pl->nhits[t];
        probe_set *ps = emb_arena_alloc(a, sizeof(*ps));
        uint64_t *tk = emb_arena_alloc(a, (nh ? nh : 1) * sizeof(uint64_t));
        if (!ps || !tk)
            return EMB_ENOMEM;
        ps->tok = emb_arena_alloc(a, (nh ? nh : 1) * sizeof(uint32_t));
        ps->k = emb_arena_alloc(a, (nh ? nh : 1) * sizeof(uint32_t));
        ps->glue = emb_arena_alloc(a, (nh ? nh : 1) * sizeof(uint32_t));
        if (!ps->tok || !ps->k || !ps->glue)
            return EMB_ENOMEM;
        ps->n = ps->nglue = 0;
        for (size_t k = 0; k < nh; k++) {
            const emb_vtok *v = &ix->toks[pl->hits[t][k].tok];
            if (!v->joined)
                tk[ps->n++] = (uint64_t)pl->hits[t][k].tok << 32 | k;
            if (v->glue)
                ps->glue[ps->nglue++] = (uint32_t)k;
        }
        /* by token, then position: one token appears once (collect_hits) */
        if (ps->n > 1)
            qsort(tk, ps->n, sizeof(uint64_t), cmp_probe_tok);
        for (size_t i = 0; i < ps->n; i++) {
            ps->tok[i] = (uint32_t)(tk[i] >> 32);
            ps->k[i] = (uint32_t)tk[i];
        }
        pl->pset[t] = ps;
    }
    return EMB_OK;
}

static uint32_t postings_of(const emb_index *ix, uint32_t tok, int init);

static int plan_init(plan *pl, const emb_index *ix, const emb_qname *qn, int g,
                     double floor_s, int brute, emb_arena *a)
{
    memset(pl, 0, sizeof(*pl));
    pl->n = qn->ntok;
    pl->g = g;
    for (size_t t = 0; t < qn->ntok; t++) {
        pl->qid[t] = qn->ids[t];
        if (qn->lens[t] > 1 && qn->toks[t][0] >= 'a' && qn->toks[t][0] <= 'z')
            pl->longfirst |= 1u << (qn->toks[t][0] - 'a');
    }
    double xk = EMB_W_EXTRA_CONTAINED < EMB_W_EXTRA_QUERY ? EMB_W_EXTRA_CONTAINED
                                                           : EMB_W_EXTRA_QUERY;   /* the lesser */
    size_t skip = qn->title_skip > qn->vessel_skip ? qn->title_skip : qn->vessel_skip;
    for (size_t t = 0; t < qn->ntok; t++) {
        /* an extra part costs the least only in a middle-name slot; the
         * last part, and the first when nothing is skipped, are at an end */
        int end = t + 1 == qn->ntok || (t == 0 && skip == 0);
        int free_ = t < skip || qn->is_title[t];
        pl->x[t] = free_ ? 0.0f : (float)((end ? EMB_W_EXTRA_QUERY : xk) * qn->w[t]);
        pl->xm[t] = free_ ? 0.0f : (float)(EMB_W_EXTRA_QUERY * qn->w[t]);
        pl->w[t] = t < skip ? 0.0f : qn->w[t];
        /* assumed aligned: an initial's pair weighs at least half its weight;
         * a weak part may go in a glued run, which can weigh little */
        pl->d[t] = t >= skip && emb_is_initial(qn->toks[t], qn->lens[t]) ? 0.5f * qn->w[t] : 0.0f;
        pl->cov[t] = 1;
        if (brute)
            continue;
        int rc = part_hits(&pl->hits[t], &pl->nhits[t], ix, qn, t, a);
        if (rc < 0)
            return rc;
        /* a probed name is bounded by the first (heaviest) of this part's
         * tokens it holds, but may align through any later one: it covers
         * the most listed parts of any from there on (a pair met in the
         * postings is met by each such token, and acc_add raises its cover) */
        size_t nh = pl->nhits[t];
        pl->hcov[t] = emb_arena_alloc(a, nh ? nh : 1);
        if (!pl->hcov[t])
            return EMB_ENOMEM;
        unsigned most = 1;
        for (size_t k = nh; k-- > 0;) {
            unsigned cv = tok_cover(&ix->toks[pl->hits[t][k].tok]);
            most = cv > most ? cv : most;
            pl->hcov[t][k] = (uint8_t)most;
        }

        for (size_t k = 0; k < pl->nhits[t]; k++) {
            const emb_vtok *v = &ix->toks[pl->hits[t][k].tok];
            pl->npost[t] += postings_of(ix, pl->hits[t][k].tok, 0);
            raise_to(&pl->uown[t], pl->hits[t][k].v);
            uint8_t c = v->glue > 4 ? 4 : v->glue;   /* the scorer glues runs of up to 4 */
            if (c > pl->cov[t])
                pl->cov[t] = c;
        }
        for (size_t r = 2; r <= 3 && t + r <= qn->ntok; r++) {
            if ((rc = glue_hits(&pl->ghits[r - 2][t], &pl->nghits[r - 2][t], ix, qn, t, r, a)) < 0)
                return rc;
            for (size_t k = 0; k < pl->nghits[r - 2][t]; k++)
                raise_to(&pl->urun[r - 2][t], pl->ghits[r - 2][t][k].v);
        }
        /* an initial aligns with any part of its letter, through no posting,
         * at half weight */
        if (emb_is_initial(qn->toks[t], qn->lens[t])) {
            raise_to(&pl->uown[t], (float)(0.5 * EMB_INITIAL_SCORE));
            pl->assumed |= 1u << t;
            pl->initials |= 1u << t;
            pl->ichar[t] = qn->toks[t][0];
        }
    }
    if (brute)
        return EMB_OK;
    plan_assume(pl, pl->assumed);
    plan_weaken(pl, floor_s);
    return plan_probe_sets(pl, ix, a);
}

/* How the postings of query parts `parts` (one part, or a glued run) are
 * read: -1 not at all (every part weak for every name), 1 those of names
 * with initials only (every part weak for names without), 0 all. */
static int read_mode(const plan *pl, uint32_t parts)
{
    if ((pl->weak_all & parts) == parts)
        return -1;
    return (pl->weak & parts) == parts;
}

/* The postings of tok that read_mode `init` reads. */
static uint32_t postings_of(const emb_index *ix, uint32_t tok, int init)
{
    const uint32_t *off = init ? ix->post_init_off : ix->post_off;
    return off[tok + 1] - off[tok];
}

/* How many postings retrieve() reads for this name: an upper bound on the
 * pairs it meets, to size the accumulator once. */
static size_t plan_postings(const emb_index *ix, const emb_qname *qn, const plan *pl)
{
    size_t n = 0;
    for (size_t t = 0; t < qn->ntok; t++) {
        int init = read_mode(pl, 1u << t);
        for (size_t k = 0; init >= 0 && k < pl->nhits[t]; k++)
            n += postings_of(ix, pl->hits[t][k].tok, init);
    }
    for (size_t r = 2; r <= 3; r++)
        for (size_t t = 0; t + r <= qn->ntok; t++) {
            int init = read_mode(pl, ((1u << r) - 1) << t);
            for (size_t k = 0; init >= 0 && k < pl->nghits[r - 2][t]; k++)
                n += postings_of(ix, pl->ghits[r - 2][t][k].tok, init);
        }
    return n;
}

/* Read the postings of a query name's parts, each part's heaviest pairs
 * first, then of its glued runs: a weak part's (a run's of weak parts) for
 * names with initials only, none of a part weak for every name. */
static int retrieve(acc *c, const emb_index *ix, const emb_qname *qn, const plan *pl,
                    uint32_t j)
{
    int rc = EMB_OK;
    /* a part repeated in the query (al ... al, bin ... bin) right after its
     * first occurrence, so that a pair records both meeting it through a
     * token the name may hold once (acc_add) */
    uint8_t order[EMB_NAME_MAX_TOKENS];
    uint32_t placed = 0;
    size_t no = 0;
    for (size_t t = 0; t < qn->ntok; t++) {
        if (placed & (1u << t))
            continue;
        order[no++] = (uint8_t)t;
        placed |= 1u << t;
        for (size_t t2 = t + 1; t2 < qn->ntok; t2++)
            if (!(placed & (1u << t2)) && qn->lens[t2] == qn->lens[t] &&
                memcmp(qn->toks[t2], qn->toks[t], qn->lens[t]) == 0) {
                order[no++] = (uint8_t)t2;
                placed |= 1u << t2;
            }
    }
    for (size_t o = 0; o < no && rc == EMB_OK; o++) {
        size_t t = order[o];
        int init = read_mode(pl, 1u << t);
        if (init < 0)
            continue;
        const hit *hs = pl->hits[t];
        for (size_t k = 0; k < pl->nhits[t] && rc == EMB_OK; k++)
            rc = add_postings(c, ix, hs[k].tok, j, 1u << t, &hs[k], tok_cover(&ix->toks[hs[k].tok]),
                              0, init, 0);
    }
    for (size_t r = 2; r <= 3; r++)
        for (size_t t = 0; t + r <= qn->ntok && rc == EMB_OK; t++) {
            uint32_t run = ((1u << r) - 1) << t;
            int init = read_mode(pl, run);
            if (init < 0)
                continue;
            const hit *hs = pl->ghits[r - 2][t];
            for (size_t k = 0; k < pl->nghits[r - 2][t] && rc == EMB_OK; k++)
                rc = add_postings(c, ix, hs[k].tok, j, run, &hs[k], 1, 1, init, RUN_BIT(r, t));
        }
    return rc;
}

/* ---- query preparation -------------------------------------------------- */


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
        q->cls[i] = q->ids[i] >= 0 ? ix->toks[q->ids[i]].cls : 0;
        if (q->ids[i] < 0) {
            emb_word_class cls = emb_tables_word_class(&ls->tables, q->toks[i], q->lens[i]);
            q->cls[i] = (uint8_t)cls;
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
        if (q->ids[i] >= 0 && !ix->toks[q->ids[i]].joined) {
            /* a token of the list: its keys were found at build; the form
             * key reads "f:<form>" */
            const emb_vtok *v = &ix->toks[q->ids[i]];
            memcpy(q->vkey[i], v->vkey, sizeof(v->vkey));
            if (v->vkey[EMB_VK_CLASS] != EMB_NO_KEY)
                q->classed |= 1u << i;
            uint32_t fk = v->vkey[EMB_VK_FORM];
            q->form[i] = fk != EMB_NO_KEY ? emb_strtab_s(&ix->keys, fk) + 2 : NULL;
            q->flen[i] = fk != EMB_NO_KEY ? ix->keys.len[fk] - 2 : 0;
            continue;
        }
        if (emb_index_variant_keys(ix, q->toks[i], q->lens[i], q->vkey[i]))
            q->classed |= 1u << i;
        char form[4 * EMB_VARIANT_MAX + 1];
        size_t fl = emb_variant_form(&ls->variants, q->toks[i], q->lens[i], form, sizeof(form));
        q->form[i] = fl ? emb_arena_strndup(a, form, fl) : NULL;
        q->flen[i] = q->form[i] ? fl : 0;
    }
    int written = script ? EMB_WRITTEN_OTHER : emb_norm_written_in(raw, strlen(raw));
    int hangul = written == EMB_WRITTEN_HANGUL;
    q->no_typos = (uint8_t)hangul;
    for (size_t i = 0; i < n; i++) {
        q->akey[i] = EMB_NO_KEY;
        if (written == EMB_WRITTEN_ARABIC) {
            q->abjad = 1;
            q->akey[i] = emb_index_abjad_key(ix, q->toks[i], q->lens[i]);
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (hangul)
            continue;   /* machine romanisation of Hangul: no typos to forgive */
        if (q->ids[i] >= 0 && !ix->toks[q->ids[i]].joined) {
            /* a token of the list: its partners, found once per index */
            size_t np = 0;
            int prc = EMB_OK;
            const uint32_t *pp = emb_index_partners(ix, (uint32_t)q->ids[i], &np, a, &prc);
            if (prc < 0)
                return prc;
            emb_near *nr = np ? emb_arena_alloc(a, np * sizeof(emb_near)) : NULL;
            if (np && !nr)
                return EMB_ENOMEM;
            for (size_t k = 0; k < np; k++) {
                nr[k].tok = pp[k] >> 2;
                nr[k].edits = pp[k] & 3;
            }
            q->near[i] = nr;
            q->nnear[i] = np;
            continue;
        }
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
    for (size_t i = 0; i < n; i++) {
        q->nearbits[i] = 0;
        for (size_t k = 0; k < q->nnear[i]; k++)
            q->nearbits[i] |= emb_near_bit(q->near[i][k].tok);
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
        /* a person's name of three parts spells some listed acronym more often
         * than not (Abdul Al Sayed: AAS): only a company's name is read so */
        emb_qname *qn = &p->names[p->nnames];
        if (q->schema == EMB_Q_ORGANIZATION) {
            char first[EMB_NAME_MAX_TOKENS];
            for (size_t t = 0; t < qn->ntok; t++)
                first[t] = qn->toks[t][0];
            qn->nacr = emb_acronym_forms(first, qn->cls, qn->ntok, qn->acr);
        }
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
    if (c->acronym == 1) {
        emb_buf_printf(&b, "the query is the initials of the %s name (an acronym the list "
                       "does not give)", kind);
    } else if (c->acronym == 2) {
        emb_buf_printf(&b, "the query's initials spell the %s name (an acronym; the query "
                       "name is not on the list)", kind);
    } else if (!parts) {
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

/* ---- corroboration bound per entity ------------------------------------------ */

/* The query's birth years and countries, once, for gain_of. */
typedef struct qgain {
    int ymin, ymax;      /* 0, 0: no birth date */
    int month;           /* a query date has a month: it may agree beyond the year */
    uint64_t cc;         /* emb_cc_bit of every country */
} qgain;

static void qgain_init(qgain *q, const emb_qfacts *f)
{
    memset(q, 0, sizeof(*q));
    for (size_t i = 0; i < f->ndates; i++) {
        int y = f->dates[i].year;
        if (!q->ymin || y < q->ymin)
            q->ymin = y;
        if (y > q->ymax)
            q->ymax = y;
        q->month |= f->dates[i].month != 0;
    }
    for (size_t i = 0; i < f->nccs; i++)
        q->cc |= 1ull << emb_cc_bit(f->ccs[i]);
}

/* emb_corroborate_can for one entity, from the query's precomputed facts
 * (a query's years as one range: a superset, so never too low). */
static int gain_of(const qgain *q, const emb_entfacts *ef)
{
    int date = q->ymin && ef->ymin && q->ymin <= ef->ymax && ef->ymin <= q->ymax;
    int country = (q->cc & ef->cc) != 0;
    return (date ? (q->month ? EMB_CAN_DATE : EMB_CAN_YEAR) : 0) | (country ? EMB_CAN_COUNTRY : 0);
}

/* ---- scoring ----------------------------------------------------------------- */

/* Keep the best `limit` final scores seen, in descending order. */
static void topk_add(double *top, size_t *n, size_t limit, double s)
{
    size_t i = *n < limit ? (*n)++ : limit;
    if (i == limit) {
        if (s <= top[limit - 1])
            return;
        i = limit - 1;
    }
    while (i > 0 && top[i - 1] < s) {
        top[i] = top[i - 1];
        i--;
    }
    top[i] = s;
}


/* A result kept, with what its explanation needs: the alignment is
 * recorded, and the reason written, only for the results returned. */
typedef struct kept {
    emb_match m;
    const emb_pname *pn;      /* NULL: found by identifier alone */
    const emb_qname *qn;
    emb_name_cmp c;
    uint8_t person, vessel;
} kept;

typedef struct scorer {
    const emb_lists *ls;
    const emb_query *q;
    const emb_screen_opts *o;
    const prepared *p;
    const plan *pl;
    const acc *c;
    const qgain *qg;
    int brute;
    double floor_s;
    emb_arena *a;
    kept *ms;                /* results kept so far */
    size_t nm, cms;
    double *topk;            /* best `limit` final scores, descending */
    size_t ntop;
    size_t scored, cap;      /* entities scored, and the most allowed */
    uint32_t *seen;          /* entities scored (entity + 1), open addressing */
    size_t seen_cap, nseen;
    /* brute force: a bitmap instead */
    uint8_t *seen_bits;
} scorer;

/* Whether a candidate bounded by b can no longer change the answer: below
 * the cutoff, or, with `limit` results kept, unable to beat the last of them
 * (equal at best: it could only take an equal one's place). */
static int cannot_matter(const scorer *sc, double b)
{
    if (sc->ntop == sc->o->limit && sc->topk[sc->ntop - 1] >= sc->floor_s)
        return b <= sc->topk[sc->ntop - 1] + BOUND_EPS;
    return b < sc->floor_s - BOUND_EPS;
}

/* Below this a final bound cannot matter (cannot_matter, give or take
 * BOUND_EPS: a bound a little above it is only looser). */
static double matter_level(const scorer *sc)
{
    if (sc->ntop == sc->o->limit && sc->topk[sc->ntop - 1] >= sc->floor_s)
        return sc->topk[sc->ntop - 1] + BOUND_EPS;
    return sc->floor_s - BOUND_EPS;
}

static int seen_has(scorer *sc, uint32_t e)
{
    if (!sc->seen)
        return sc->seen_bits && (sc->seen_bits[e >> 3] >> (e & 7) & 1);
    size_t mask = sc->seen_cap - 1;
    for (size_t h = (e * 2654435761u) & mask; sc->seen[h]; h = (h + 1) & mask)
        if (sc->seen[h] == e + 1)
            return 1;
    return 0;
}

/* Mark e scored; returns whether it already was. */
static int seen_add(scorer *sc, uint32_t e)
{
    if (!sc->seen) {
        if (!sc->seen_bits) {
            size_t n = (sc->ls->index.nentities + 8) / 8;
            sc->seen_bits = emb_arena_alloc(sc->a, n);
            if (!sc->seen_bits)
                return 0;
            memset(sc->seen_bits, 0, n);
        }
        int was = sc->seen_bits[e >> 3] >> (e & 7) & 1;
        sc->seen_bits[e >> 3] |= (uint8_t)(1u << (e & 7));
        return was;
    }
    size_t mask = sc->seen_cap - 1;
    size_t h = (e * 2654435761u) & mask;
    for (; sc->seen[h]; h = (h + 1) & mask)
        if (sc->seen[h] == e + 1)
            return 1;
    if ((sc->nseen + 1) * 2 > sc->seen_cap)
        return 0; /* full: scoring again is only slower, never wrong */
    sc->seen[h] = e + 1;
    sc->nseen++;
    return 0;
}

#define SCORE_ALL_PAIRS 1   /* score every pair: met other than through the postings */
#define SCORE_NAMELESS 2    /* keep it with no name aligned (an identifier hit) */

/* Score every name of entity ei against every query name (pairs that cannot
 * matter skipped, unless `how` has SCORE_ALL_PAIRS), corroborate, explain;
 * keep it when it reaches the cutoff. */
static int score_entity(scorer *sc, uint32_t ei, int how)
{
    int idhit = how & SCORE_NAMELESS;
    const emb_lists *ls = sc->ls;
    const emb_index *ix = &ls->index;
    const prepared *p = sc->p;
    const emb_screen_opts *o = sc->o;
    emb_arena *a = sc->a;
    int rc;
    sc->scored++;
    const emb_entity *e = emb_lists_entity(ls, ei);
    if (!e)   /* a snapshot record that does not decode */
        return EMB_EPARSE;
    if (!entity_allowed(o, e))
        return EMB_OK;
    int ge = gain_of(sc->qg, &ix->ent_facts[ei]);
    int person = e->schema == EMB_SCHEMA_PERSON;
    int vessel = e->schema == EMB_SCHEMA_VESSEL;
    emb_name_cmp bestc;
    memset(&bestc, 0, sizeof(bestc));
    double bests = -1.0;
    const emb_pname *bestp = NULL;
    const emb_qname *bestq = NULL;
    for (uint32_t k = ix->ent_pname_off[ei]; k < ix->ent_pname_off[ei + 1]; k++) {
        uint32_t pni = ix->ent_pnames[k];
        const emb_pname *pn = &ix->pnames[pni];
        if (!name_allowed(sc->q->schema, e->schema, pn))
            continue;
        for (size_t j = 0; j < p->nnames; j++) {
            if (p->names[j].script != pn->script)
                continue;
            if (!(how & SCORE_ALL_PAIRS) && !sc->brute) {
                /* skip a pair that cannot beat this entity's best pair or
                 * reach the score that matters */
                double u = pair_name_bound(&sc->pl[j], ix, acc_get(sc->c, pni, (uint32_t)j), pn,
                                           ge, matter_level(sc));
                if (u < bests - BOUND_EPS || cannot_matter(sc, final_bound(u, ge)))
                    continue;
            }
            emb_name_cmp cmp;
            if ((rc = emb_score_name(&cmp, ix, &p->names[j], pn, person, vessel, 0, a)) < 0)
                return rc;
            double s = cmp.score;
            /* a weak alias counts only when met near exactly: every part
             * equal or a spelling variant, nothing extra or missing */
            if (pn->kind == EMB_NAME_WEAK)
                s = s >= EMB_WEAK_ALIAS_MIN && !cmp.nextra && !cmp.nmissing && !cmp.nfuzzy &&
                            !cmp.ninitial
                        ? s * EMB_WEAK_ALIAS_FACTOR
                        : 0.0;
            if (s > bests + 1e-12 || (bestp && s > bests - 1e-12 && pn->kind < bestp->kind)) {
                bests = s;
                bestc = cmp;
                bestp = pn;
                bestq = &p->names[j];
            }
        }
    }
    if ((!bestp || bests <= 0.0) && !idhit)
        return EMB_OK;
    /* below what matters even if its birth date and country agree: done
     * (an identifier agrees only with an identifier hit) */
    if (!idhit && final_bound(bests, ge) < sc->floor_s - BOUND_EPS)
        return EMB_OK;
    if (!bestp) {
        /* found by identifier alone: no name of this entry aligned */
        memset(&bestc, 0, sizeof(bestc));
        bests = 0.0;
        bestq = &p->names[0];
    }
    if (bestp && bestp->name >= e->nnames)   /* a snapshot's name out of its entity */
        return emb_err_set(EMB_EPARSE, "index: name %u of entity %s, which has %zu",
                           (unsigned)bestp->name, e->id, e->nnames);
    emb_match m;
    memset(&m, 0, sizeof(m));
    m.entity = e;
    m.name = &e->names[bestp ? bestp->name : 0];
    m.query_name = bestq->raw;
    m.name_score = bests;
    double s = bests;
    emb_evidence *ev = NULL;
    size_t nev = 0;
    if ((rc = emb_corroborate(&s, &p->facts, e, m.name, a, &ev, &nev)) < 0)
        return rc;
    m.evidence = ev;
    m.nevidence = nev;
    m.score = s;
    if (s < o->cutoff && s < o->threshold)
        return EMB_OK;
    m.match = s >= o->threshold;
    if (sc->nm == sc->cms) {
        size_t nc = sc->cms ? sc->cms * 2 : 16;
        kept *nms = emb_arena_alloc(a, nc * sizeof(kept));
        if (!nms)
            return EMB_ENOMEM;
        if (sc->nm)
            memcpy(nms, sc->ms, sc->nm * sizeof(kept));
        sc->ms = nms;
        sc->cms = nc;
    }
    kept *k = &sc->ms[sc->nm++];
    k->m = m;
    k->pn = bestp;
    k->qn = bestq;
    k->c = bestc;
    k->person = (uint8_t)person;
    k->vessel = (uint8_t)vessel;
    topk_add(sc->topk, &sc->ntop, o->limit, s);
    return EMB_OK;
}

/* The explanation of a result returned: the winning pair scored again,
 * recording its alignment, and the reason. */
static int explain(kept *k, const emb_index *ix, emb_arena *a)
{
    if (k->pn) {
        int rc = emb_score_name(&k->c, ix, k->qn, k->pn, k->person, k->vessel, 1, a);
        if (rc < 0)
            return rc;
        k->m.align = k->c.align;
        k->m.nalign = k->c.nalign;
    }
    k->m.reason = make_reason(a, &k->m, &k->c);
    return k->m.reason ? EMB_OK : EMB_ENOMEM;
}

#define NBUCKETS 1024
#define PAIR_AHEAD 8     /* pairs prefetched ahead in score_pairs */

/* A max-heap of entities by the bound of a pair of theirs. */
typedef struct rentry {
    float b;
    uint32_t ent;
} rentry;

typedef struct rheap {
    rentry *e;
    size_t n;
} rheap;

static void heap_push(rheap *hp, float b, uint32_t ent)
{
    size_t i = hp->n++;
    while (i > 0 && hp->e[(i - 1) / 2].b < b) {
        hp->e[i] = hp->e[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    hp->e[i] = (rentry){b, ent};
}

static rentry heap_pop(rheap *hp)
{
    rentry top = hp->e[0], last = hp->e[--hp->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= hp->n)
            break;
        if (c + 1 < hp->n && hp->e[c + 1].b > hp->e[c].b)
            c++;
        if (hp->e[c].b <= last.b)
            break;
        hp->e[i] = hp->e[c];
        i = c;
    }
    if (hp->n)
        hp->e[i] = last;
    return top;
}

#define EMB_DONE 1   /* drain: the candidates allowed are scored */

/* Score the entities of the heap whose bound reaches `edge`, best first:
 * no pair not yet in the heap can beat them. */
static int drain(scorer *sc, rheap *hp, double edge)
{
    while (hp->n && hp->e[0].b >= edge) {
        rentry r = heap_pop(hp);
        if (cannot_matter(sc, r.b)) {
            hp->n = 0;   /* the best of the heap cannot: none can */
            break;
        }
        if (seen_add(sc, r.ent))
            continue;
        int rc = score_entity(sc, r.ent, 0);
        if (rc < 0)
            return rc;
        if (sc->scored >= sc->cap)
            return EMB_DONE;
    }
    return EMB_OK;
}

/* The pairs met in the postings, best pair-only bound first: bucketed by
 * that bound; a pair still able to matter is checked against its listed
 * name and its entity's facts, and its entity scored. */
static int score_pairs(scorer *sc, int g)
{
    const acc *c = sc->c;
    const emb_index *ix = &sc->ls->index;
    double floor_s = sc->floor_s, span = 1.0 - floor_s + 1e-9;
    uint32_t *cnt = emb_arena_alloc(sc->a, NBUCKETS * sizeof(uint32_t));
    uint32_t *order = emb_arena_alloc(sc->a, (c->n ? c->n : 1) * sizeof(uint32_t));
    float *b1 = emb_arena_alloc(sc->a, (c->n ? c->n : 1) * sizeof(float));
    uint16_t *bk = emb_arena_alloc(sc->a, (c->n ? c->n : 1) * sizeof(uint16_t));
    bound_memo *memo = emb_arena_alloc(sc->a, MEMO_SLOTS * sizeof(bound_memo));
    if (!cnt || !order || !b1 || !bk || !memo)
        return EMB_ENOMEM;
    memset(memo, 0, MEMO_SLOTS * sizeof(bound_memo));
    memset(cnt, 0, NBUCKETS * sizeof(uint32_t));
    double scale = NBUCKETS / span;
    int kmin = NBUCKETS, kmax = -1;   /* the buckets in use */
    for (size_t i = 0; i < c->n; i++) {
        b1[i] = -1.0f;
        const acc_slot *e = &c->s[i];
        /* from the pair's own record, with the most any entity's facts could
         * add: most pairs stop here, without reading their listed name */
        uint32_t pni = (uint32_t)(e->key >> 8) - 1;
        int init = ix->pname_init[pni >> 3] >> (pni & 7) & 1;
        const plan *pl = &sc->pl[e->key & 0xff];
        double b = final_bound(memo_name_bound(memo, pl, (uint32_t)(e->key & 0xff), e->mask,
                                               slot_u(pl, e), slot_d(e), e->cover, init, e->ntok),
                               g);
        if (b < floor_s - BOUND_EPS)
            continue;
        b1[i] = (float)b;
        int k = (int)((b - floor_s) * scale);
        k = k < 0 ? 0 : k >= NBUCKETS ? NBUCKETS - 1 : k;
        bk[i] = (uint16_t)k;
        cnt[k]++;
        kmin = k < kmin ? k : kmin;
        kmax = k > kmax ? k : kmax;
    }
    /* counting sort, highest bucket first (over the buckets in use) */
    uint32_t at = 0;
    for (int k = kmax; k >= kmin; k--) {
        uint32_t n = cnt[k];
        cnt[k] = at;
        at += n;
    }
    uint32_t *pos = emb_arena_alloc(sc->a, NBUCKETS * sizeof(uint32_t));
    if (!pos)
        return EMB_ENOMEM;
    memcpy(pos, cnt, NBUCKETS * sizeof(uint32_t));
    for (size_t i = 0; i < c->n; i++)
        if (b1[i] >= 0.0f)
            order[pos[bk[i]]++] = (uint32_t)i;
    /* pairs of the buckets read so far, by their bound with the listed name
     * and its entity's facts: scored best first, as long as no pair of the
     * buckets not yet read can beat them */
    rheap hp = {emb_arena_alloc(sc->a, (at ? at : 1) * sizeof(rentry)), 0};
    if (!hp.e)
        return EMB_ENOMEM;
    int rc = EMB_OK;
    /* the buckets that hold pairs, highest first, then -1 (the end): an
     * empty bucket adds nothing to the heap, so draining to the next
     * non-empty bucket's edge drains past it in the same order */
    int *ks = emb_arena_alloc(sc->a, (NBUCKETS + 1) * sizeof(int));
    if (!ks)
        return EMB_ENOMEM;
    size_t nks = 0;
    for (int k = kmax; k >= kmin; k--)
        if (pos[k] > cnt[k])
            ks[nks++] = k;
    ks[nks++] = -1;
    for (size_t ki = 0; ki < nks && rc == EMB_OK; ki++) {
        int k = ks[ki];
        /* the bucket's top edge bounds every pair in it and below */
        double top = k >= 0 ? floor_s + span * (double)(k + 1) / NBUCKETS : -1.0;
        if ((rc = drain(sc, &hp, top)) != EMB_OK)
            break;
        if (k < 0 || cannot_matter(sc, top))
            break;
        uint32_t from = cnt[k];   /* bucket k is order[cnt[k] .. pos[k]) */
        for (uint32_t i = from; i < pos[k]; i++) {
            /* in stages ahead: a pair's slot, its listed name, then its
             * entity's facts and the name's parts (the tight bound reads them) */
            if (i + 3 * PAIR_AHEAD < pos[k])
                EMB_PREFETCH(&c->s[order[i + 3 * PAIR_AHEAD]]);
            if (i + 2 * PAIR_AHEAD < pos[k]) {
                const acc_slot *ea = &c->s[order[i + 2 * PAIR_AHEAD]];
                EMB_PREFETCH(&ix->pnames[(uint32_t)(ea->key >> 8) - 1]);
            }
            if (i + PAIR_AHEAD < pos[k]) {
                const acc_slot *ea = &c->s[order[i + PAIR_AHEAD]];
                const emb_pname *pa = &ix->pnames[(uint32_t)(ea->key >> 8) - 1];
                EMB_PREFETCH(&ix->ent_schema[pa->entity]);
                EMB_PREFETCH(&ix->ent_facts[pa->entity]);
                EMB_PREFETCH(&ix->name_toks[pa->tok_off]);
            }
            uint32_t x = order[i];
            if (cannot_matter(sc, b1[x]))
                continue;
            const acc_slot *e = &c->s[x];
            uint32_t pni = (uint32_t)(e->key >> 8) - 1;
            const emb_pname *pn = &ix->pnames[pni];
            const emb_qname *qn = &sc->p->names[e->key & 0xff];
            if (qn->script != pn->script ||
                !name_allowed(sc->q->schema, (emb_schema)ix->ent_schema[pn->entity], pn))
                continue;
            int ge = gain_of(sc->qg, &ix->ent_facts[pn->entity]);
            double b = final_bound(pair_name_bound(&sc->pl[e->key & 0xff], ix, e, pn, ge,
                                                   matter_level(sc)),
                                   ge);
            if (!cannot_matter(sc, b) && !seen_has(sc, pn->entity))
                heap_push(&hp, (float)b, pn->entity);
        }
    }
    return rc == EMB_DONE ? EMB_OK : rc;
}

/* ---- acronyms ---------------------------------------------------------------- */

#define ACR_MAX_CANDIDATES 256   /* entities an acronym brings, at most */

static int acr_push(uint32_t **v, size_t *n, size_t *cap, uint32_t e, emb_arena *a)
{
    if (*n == *cap) {
        size_t nc = *cap ? 2 * *cap : 16;
        uint32_t *m = emb_arena_alloc(a, nc * sizeof(uint32_t));
        if (!m)
            return EMB_ENOMEM;
        if (*n)
            memcpy(m, *v, *n * sizeof(uint32_t));
        *v = m;
        *cap = nc;
    }
    (*v)[(*n)++] = e;
    return EMB_OK;
}

/* Entities with an organisation name that a query name spells by its
 * initials, or whose initials spell a one-part query name (the scorer's
 * acronym_pass): found through the acronym buckets and the vocabulary,
 * not the postings of shared parts. Up to ACR_MAX_CANDIDATES, in index
 * order, possibly repeated. */
static int acronym_candidates(const emb_index *ix, const prepared *p, emb_qschema qs,
                              uint32_t **out, size_t *n, emb_arena *a)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (!ix->nacr)
        return EMB_OK;
    for (size_t j = 0; j < p->nnames; j++) {
        const emb_qname *q = &p->names[j];
        if (q->script)
            continue;
        if (q->ntok == 1 && q->lens[0] >= EMB_ACR_MIN && q->lens[0] <= EMB_ACR_MAX) {
            size_t b = emb_acronym_bucket(q->toks[0], q->lens[0], ix->nacr);
            for (uint32_t k = ix->acr_off[b]; k < ix->acr_off[b + 1] && *n < ACR_MAX_CANDIDATES;
                 k++) {
                const emb_pname *pn = &ix->pnames[ix->acr_pn[k]];
                if (emb_qschema_allows(qs, (emb_schema)ix->ent_schema[pn->entity]) &&
                    acr_push(out, n, &cap, pn->entity, a) < 0)
                    return EMB_ENOMEM;
            }
        } else {
            for (size_t x = 0; x < q->nacr; x++) {
                int64_t t = emb_index_lookup(ix, q->acr[x], strlen(q->acr[x]));
                if (t < 0 || ix->toks[t].joined)
                    continue;
                for (uint32_t k = ix->post_off[t]; k < ix->post_off[t + 1] && *n < ACR_MAX_CANDIDATES;
                     k++) {
                    uint32_t pv = ix->post[k];
                    if (EMB_POST_NTOK(pv) != 1)
                        continue;
                    const emb_pname *pn = &ix->pnames[pv & EMB_POST_PNAME];
                    if (emb_acronym_name(ix, pn) &&
                        emb_qschema_allows(qs, (emb_schema)ix->ent_schema[pn->entity]) &&
                        acr_push(out, n, &cap, pn->entity, a) < 0)
                        return EMB_ENOMEM;
                }
            }
        }
    }
    return EMB_OK;
}

/* ---- the screening call ---------------------------------------------------- */


static int cmp_kept(const void *x, const void *y)
{
    const emb_match *a = &((const kept *)x)->m, *b = &((const kept *)y)->m;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->name_score != b->name_score)
        return a->name_score > b->name_score ? -1 : 1;
    return strcmp(a->entity->id, b->entity->id);
}

int emb_screen_mode(emb_results **out, const emb_lists *ls, const emb_query *q,
                    const emb_screen_opts *opts, int brute)
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

    /* retrieve: (pname, query name) pairs sharing a token, with the mask of
     * query parts they share */
    plan *pl = emb_arena_alloc(a, p->nnames * sizeof(plan));
    acc c;
    if (!pl) {
        rc = EMB_ENOMEM;
        goto fail;
    }
    int g = emb_corroborate_can(&p->facts, NULL);
    qgain qg;
    qgain_init(&qg, &p->facts);
    double floor_s = o.cutoff < o.threshold ? o.cutoff : o.threshold;
    size_t npost = 0;
    for (size_t i = 0; i < p->nnames && rc == EMB_OK; i++) {
        rc = plan_init(&pl[i], ix, &p->names[i], g, floor_s, brute, a);
        if (rc == EMB_OK && !brute)
            npost += plan_postings(ix, &p->names[i], &pl[i]);
    }
    /* the accumulator at most half full with every posting a new pair (up to
     * ACC_PRESIZE entries; it grows beyond) */
    size_t cap0 = 1024;
    while (cap0 < ACC_PRESIZE && cap0 < 2 * npost)
        cap0 *= 2;
    if (rc == EMB_OK)
        rc = acc_init(&c, a, cap0);
    for (size_t i = 0; i < p->nnames && rc == EMB_OK && !brute; i++)
        rc = retrieve(&c, ix, &p->names[i], &pl[i], (uint32_t)i);
    if (rc < 0)
        goto fail;

    /* score: identifier hits first, then pairs best bound first (in
     * buckets of their pair-only bound), each new entity in full, until no
     * remaining bound can enter the top `limit` */
    scorer sc;
    memset(&sc, 0, sizeof(sc));
    sc.ls = ls;
    sc.q = q;
    sc.o = &o;
    sc.p = p;
    sc.pl = pl;
    sc.c = &c;
    sc.qg = &qg;
    sc.brute = brute;
    sc.floor_s = floor_s;
    sc.a = a;
    sc.cap = brute ? ix->nentities + 1 : EMB_MAX_CANDIDATES;
    sc.topk = emb_arena_alloc(a, o.limit * sizeof(double));
    /* entities scored: at most one per pair met (and the cap), plus the
     * identifier hits; the set never fills */
    uint32_t *acr = NULL;
    size_t nacr = 0;
    if (!brute && (rc = acronym_candidates(ix, p, q->schema, &acr, &nacr, a)) < 0)
        goto fail;
    size_t most = (c.n < EMB_MAX_CANDIDATES ? c.n : EMB_MAX_CANDIDATES) + 16 + nacr;
    for (size_t i = 0; i < p->facts.nids; i++) {
        size_t k;
        emb_index_ident(ix, p->facts.ids[i], &k);
        most += k;
    }
    sc.seen_cap = 64;
    while (sc.seen_cap < 2 * most)
        sc.seen_cap *= 2;
    sc.seen = brute ? NULL : emb_arena_alloc(a, sc.seen_cap * sizeof(uint32_t));
    if (!sc.topk || (!brute && !sc.seen)) {
        rc = EMB_ENOMEM;
        goto fail;
    }
    if (sc.seen)
        memset(sc.seen, 0, sc.seen_cap * sizeof(uint32_t));
    for (size_t i = 0; i < p->facts.nids && rc == EMB_OK; i++) {
        size_t k;
        const uint32_t *ents = emb_index_ident(ix, p->facts.ids[i], &k);
        for (size_t j = 0; j < k && rc == EMB_OK; j++)
            if (emb_qschema_allows(q->schema, (emb_schema)ix->ent_schema[ents[j]]) &&
                !seen_add(&sc, ents[j]))
                rc = score_entity(&sc, ents[j], SCORE_ALL_PAIRS | SCORE_NAMELESS);
    }
    for (size_t i = 0; i < nacr && rc == EMB_OK; i++)
        if (!seen_add(&sc, acr[i]))
            rc = score_entity(&sc, acr[i], SCORE_ALL_PAIRS);
    if (rc == EMB_OK && brute) {
        for (size_t e = 0; e < ix->nentities && rc == EMB_OK; e++)
            if (!seen_has(&sc, (uint32_t)e))
                rc = score_entity(&sc, (uint32_t)e, 0);
    } else if (rc == EMB_OK) {
        rc = score_pairs(&sc, g);
    }
    if (rc < 0)
        goto fail;
    r->ncand = sc.scored;

    size_t nm = sc.nm;
    if (nm > 1)
        qsort(sc.ms, nm, sizeof(kept), cmp_kept);
    r->n = nm < o.limit ? nm : o.limit;
    r->m = emb_arena_alloc(a, (r->n ? r->n : 1) * sizeof(emb_match));
    if (!r->m) {
        rc = EMB_ENOMEM;
        goto fail;
    }
    for (size_t i = 0; i < r->n; i++) {
        if ((rc = explain(&sc.ms[i], ix, a)) < 0)
            goto fail;
        r->m[i] = sc.ms[i].m;
    }
    *out = r;
    return EMB_OK;
fail:
    if (rc == EMB_ENOMEM)
        emb_err_set(rc, "out of memory screening a query (per-query cap %u MiB)", 64u);
    emb_results_free(r);
    return rc;
}

EMB_API int emb_screen(emb_results **out, const emb_lists *ls, const emb_query *q,
                       const emb_screen_opts *opts)
{
    return emb_screen_mode(out, ls, q, opts, 0);
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
