/*
 * check.c - the decision procedure of `embargo check`: given a validated
 * transaction (check_input.c) and the regime data (measures.c), find every
 * measure that bears on it and decide.
 *
 * The order is the one compliance staff use (data/regimes, REGIMES.md):
 * parties (screened with emb_screen: a designated party brings in the asset
 * freeze, and the travel ban for a person), the vessel (flag, ship-to-ship
 * transfer), goods (direction to or from the target country, HS prefix
 * match, caps), services and finance, then exemptions, consequences and
 * what was superseded or extended. Every rule comes from the data's "check"
 * objects; this file knows only the kinds of rule, never a paragraph, a
 * resolution or an HS code.
 *
 * Each finding has an outcome (what it alone decides after its exemptions);
 * the decision is the strictest outcome of the findings that bear on it,
 * and its confidence the weakest confidence among the findings it relies on
 * (docs/CHECK.md, "Confidence"). Memory: everything the result holds lives
 * in its arena; errors are latched in the context and returned once.
 */
#include "util/compat.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "rules/check.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/err.h"

enum { ST_PARTIES, ST_VESSEL, ST_GOODS, ST_SERVICES, ST_EXEMPTIONS, ST_INFO };

#define KEYWORD_TEXT_MAX 1024   /* bytes of a description searched for keywords */
#define KEYWORDS_PER_GOOD 8     /* keywords mapped from one description */

typedef struct fnd {
    emb_check_finding pub;
    const emb_measure *m;
    int step;
    size_t subj;              /* index within its kind of subject */
    int start;                /* measure start day, for ordering */
    size_t seq;
    const char *conds[EMB_CHECK_MAX_CONDITIONS];
    size_t nconds;
    emb_confidence rely;      /* measure confidence, lowered by exemptions relied on */
    const char *exemption_key;
    const emb_measure *general[8]; /* general exemption measures that apply to it */
    size_t ngeneral;
    const char *measure_type;
    const char *hs_matched;
} fnd;

typedef struct gstate {
    bool to, from;
    const char *to_why, *from_why;
    emb_hs_list codes;        /* the good's HS code(s) */
    const char *inference;    /* set when codes come from keywords */
    const char *text;         /* description prepared for keyword search, or NULL */
    const char *label;        /* "goods[0] HS 9306 (artillery ammunition)" */
} gstate;

struct emb_check_result {
    emb_arena arena;
    emb_decision decision;
    emb_confidence confidence, weakest;
    bool any_applied;
    const char *date;
    const char *date_source;
    emb_check_finding *findings;
    size_t nfindings;
    emb_check_screened *screened;
    size_t nscreened;
    const char **notes;
    size_t nnotes;
    char *json;
    size_t json_len;
};

typedef struct ck {
    const emb_regimes *rg;
    const emb_lists *ls;
    const emb_cin *in;
    const emb_check_opts *opts;
    emb_check_result *r;
    emb_arena *a;
    int err;
    int day;
    fnd *f;
    size_t nf;
    gstate *g;
    bool target_party, target_vessel, nexus, goods_trade, any_designated;
    const char *notes[64];
    size_t nnotes;
} ck;

static const char *const conf_names[] = {"unverified", "secondary", "verified-from-text"};
static const char *const decision_names[] = {"NO_MEASURE_FOUND", "PERMITTED_WITH_CONDITIONS",
                                             "EXEMPTION_REQUIRED", "PROHIBITED"};

EMB_API const char *emb_decision_name(emb_decision d)
{
    return (unsigned)d < 4 ? decision_names[d] : "UNKNOWN";
}

EMB_API const char *emb_confidence_name(emb_confidence c)
{
    return (unsigned)c < 3 ? conf_names[c] : "unknown";
}

/* ---- small helpers ---------------------------------------------------------- */

static void latch(ck *c, int rc)
{
    if (rc < 0 && c->err == 0)
        c->err = rc;
}

/* printf into the result arena; "" (and a latched error) on failure. */
static const char *afmt(ck *c, const char *fmt, ...) EMB_PRINTF(2, 3);
static const char *afmt(ck *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return "";
    char *s = emb_arena_alloc(c->a, (size_t)n + 1);
    if (!s) {
        latch(c, emb_err_set(EMB_ENOMEM, "out of memory (result larger than %u bytes?)",
                             EMB_CHECK_ARENA_MAX));
        return "";
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

static void note(ck *c, const char *s)
{
    if (c->nnotes < EMB_ARRAY_LEN(c->notes))
        c->notes[c->nnotes++] = s;
}

static bool is_target(const ck *c, const char *cc)
{
    return cc && strcmp(cc, c->rg->target) == 0;
}

static const char *upper_cc(ck *c, const char *cc)
{
    return afmt(c, "%c%c", toupper((unsigned char)cc[0]), toupper((unsigned char)cc[1]));
}

static bool strs_has(const emb_strs *s, const char *v)
{
    for (size_t i = 0; i < s->n; i++)
        if (v && strcmp(s->v[i], v) == 0)
            return true;
    return false;
}

static void cond(fnd *f, const char *s)
{
    if (!s || !*s)
        return;
    for (size_t i = 0; i < f->nconds; i++)
        if (strcmp(f->conds[i], s) == 0)
            return;
    if (f->nconds < EMB_CHECK_MAX_CONDITIONS)
        f->conds[f->nconds++] = s;
}

static emb_confidence cmin(emb_confidence a, emb_confidence b)
{
    return a < b ? a : b;
}

static const char *para_text(ck *c, const emb_measure *m)
{
    return m->paragraph ? afmt(c, "%s para %s", m->resolution, m->paragraph)
                        : afmt(c, "%s (paragraph unknown)", m->resolution);
}

/* ---- measures at the date ---------------------------------------------------- */

/* The start day of the first superseding measure in force, or 0. */
static int superseded_on(const ck *c, const emb_measure *m, const emb_measure **by)
{
    int best = 0;
    for (size_t i = 0; i < m->superseded_by.n; i++) {
        const emb_measure *s = emb_rules_measure(c->rg, m->superseded_by.v[i]);
        if (s && s->start <= c->day && (best == 0 || s->start < best)) {
            best = s->start;
            *by = s;
        }
    }
    return best;
}

static void day_text(int day, char out[16])
{
    /* inverse of emb_rules_day */
    int z = day - 1;
    int era = z / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    snprintf(out, 16, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
}

/* ---- findings ----------------------------------------------------------------- */

static fnd *new_finding(ck *c, const emb_measure *m, int step, const char *kind, size_t subj,
                        const char *subject)
{
    if (c->err)
        return NULL;
    if (emb_grow(&c->f, c->nf, sizeof(fnd), EMB_CHECK_MAX_FINDINGS) < 0) {
        latch(c, emb_err_set(EMB_ETOOBIG, "more than %d findings", EMB_CHECK_MAX_FINDINGS));
        return NULL;
    }
    fnd *f = &c->f[c->nf];
    memset(f, 0, sizeof(*f));
    f->seq = c->nf++;
    f->m = m;
    f->step = step;
    f->subj = subj;
    f->pub.kind = kind;
    f->pub.subject = subject;
    f->pub.applied = 1;
    if (m) {
        f->pub.measure = m->id;
        f->pub.resolution = m->resolution;
        f->pub.paragraph = m->paragraph;
        f->pub.document = m->document;
        f->pub.summary = m->summary;
        f->pub.status = m->status;
        f->pub.confidence = m->confidence;
        f->rely = m->confidence;
        f->start = m->start;
        f->measure_type = m->measure_type;
    }
    return f;
}

static fnd *find_finding(ck *c, const char *measure, const char *subject)
{
    for (size_t i = 0; i < c->nf; i++)
        if (c->f[i].pub.measure && strcmp(c->f[i].pub.measure, measure) == 0 &&
            ((!subject && !c->f[i].pub.subject) ||
             (subject && c->f[i].pub.subject && strcmp(c->f[i].pub.subject, subject) == 0)))
            return &c->f[i];
    return NULL;
}

/* Turn an applicable rule into an info finding when the measure is
 * superseded at the date; returns true when it was. */
static bool superseded_info(ck *c, const emb_measure *m, int step, size_t subj, const char *subject,
                            const char *trigger)
{
    const emb_measure *by = NULL;
    int on = superseded_on(c, m, &by);
    if (!on)
        return false;
    char d[16];
    day_text(on, d);
    fnd *f = new_finding(c, m, ST_INFO, "superseded", subj, subject);
    if (f) {
        f->pub.applied = 0;
        f->pub.outcome = EMB_DECISION_NO_MEASURE_FOUND;
        f->pub.trigger = afmt(c, "%s; not applied: superseded by %s (%s, in force from %s)", trigger,
                              by->id, para_text(c, by), d);
    }
    return true;
}

/* ---- exemptions ------------------------------------------------------------------ */

static bool notified(const ck *c, const char *type1, const char *type2, const char *m1,
                     const char *m2, size_t *which)
{
    for (size_t i = 0; i < c->in->nnotifications; i++) {
        const emb_cin_notification *n = &c->in->notifications[i];
        if (strcmp(n->type, type1) != 0 && (!type2 || strcmp(n->type, type2) != 0))
            continue;
        if (!n->measure || (m1 && strcmp(n->measure, m1) == 0) || (m2 && strcmp(n->measure, m2) == 0)) {
            *which = i;
            return true;
        }
    }
    return false;
}

static bool claimed(const ck *c, const char *key)
{
    for (size_t i = 0; i < c->in->nexemptions; i++)
        if (strcmp(c->in->exemptions[i], key) == 0)
            return true;
    return false;
}

static int hs_meet(const emb_hs *e, const emb_hs *code);

/* Does the exemption's HS restriction cover the good? */
static bool ex_covers_goods(const ck *c, const emb_exemption *e, const fnd *f)
{
    if (e->hs.n == 0)
        return true;
    if (!f->pub.subject || strncmp(f->pub.subject, "goods[", 6) != 0)
        return false;
    const gstate *g = &c->g[f->subj];
    for (size_t k = 0; k < g->codes.n; k++) {
        bool in = false;
        for (size_t i = 0; i < e->hs.n && !in; i++)
            in = hs_meet(&e->hs.v[i], &g->codes.v[k]) == 2;
        if (!in)
            return false;
    }
    return g->codes.n > 0;
}

/* The data's free-text exceptions that no structured exemption (or cap)
 * restates: shown as conditions that could change the answer. */
static void data_exceptions(ck *c, fnd *f)
{
    const emb_measure *m = f->m;
    for (size_t e = 0; m && e < m->exemptions_text.n; e++) {
        char src[48];
        snprintf(src, sizeof(src), "exemptions[%zu]", e);
        bool structured = m->has_cap && m->cap.source && strcmp(m->cap.source, src) == 0;
        for (size_t k = 0; k < m->nexemptions; k++)
            structured = structured || strcmp(m->exemptions[k].source, src) == 0;
        if (!structured)
            cond(f, afmt(c, "exception in the data: %s", m->exemptions_text.v[e]));
    }
}

static void add_related(ck *c, const fnd *f, const emb_exemption *e);

/* Apply the measure's own exemptions and the general ones to a finding whose
 * outcome is PROHIBITED (or EXEMPTION_REQUIRED). The least strict outcome
 * any of them allows wins; the rest become conditions. */
static void apply_exemptions(ck *c, fnd *f)
{
    if (f->pub.outcome < EMB_DECISION_EXEMPTION_REQUIRED)
        return;
    const emb_measure *m = f->m;
    const emb_cin *in = c->in;
    emb_decision best = f->pub.outcome;
    const emb_exemption *lifted_by = NULL;
    size_t which;
    for (size_t i = 0; m && i < m->nexemptions; i++) {
        const emb_exemption *e = &m->exemptions[i];
        emb_decision got = EMB_DECISION_PROHIBITED;
        switch (e->kind) {
        case EMB_EX_CLAIM:
            if (claimed(c, e->key)) {
                got = EMB_DECISION_PERMITTED_WITH_CONDITIONS;
                cond(f, afmt(c, "exception claimed (\"%s\"): %s", e->key, e->text));
                for (size_t k = 0; k < e->conditions.n; k++)
                    cond(f, e->conditions.v[k]);
            } else {
                cond(f, afmt(c, "exception \"%s\" (state it in \"exemptions\" if it holds): %s",
                             e->key, e->text));
            }
            break;
        case EMB_EX_ROUTE: {
            const char *origin = NULL;
            if (f->pub.subject && strncmp(f->pub.subject, "goods[", 6) == 0)
                origin = in->goods[f->subj].origin;
            bool ok = ex_covers_goods(c, e, f);
            if (e->origin_not.n)
                ok = ok && origin && !strs_has(&e->origin_not, origin);
            if (e->loading_ports.n) {
                bool port = false;
                for (size_t k = 0; in->loading_port && k < e->loading_ports.n; k++)
                    port = port || strcasecmp(in->loading_port, e->loading_ports.v[k]) == 0;
                ok = ok && port;
            }
            if (!ok) {
                cond(f, afmt(c, "exception (does not apply to the facts given): %s", e->text));
                break;
            }
            if (e->notification && !notified(c, "notification", NULL, m->id, NULL, &which)) {
                cond(f, afmt(c, "exception applies only with %s notification to the Committee "
                             "(none in \"notifications\"): %s", e->notification, e->text));
                break;
            }
            got = EMB_DECISION_PERMITTED_WITH_CONDITIONS;
            cond(f, afmt(c, "exception applies: %s", e->text));
            for (size_t k = 0; k < e->conditions.n; k++)
                cond(f, e->conditions.v[k]);
            break;
        }
        case EMB_EX_PURPOSE:
            if (in->purpose && strs_has(&e->purposes, in->purpose)) {
                got = EMB_DECISION_PERMITTED_WITH_CONDITIONS;
                cond(f, afmt(c, "exception for the stated purpose (%s): %s", in->purpose, e->text));
                for (size_t k = 0; k < e->conditions.n; k++)
                    cond(f, e->conditions.v[k]);
            } else {
                cond(f, afmt(c, "exception: %s", e->text));
            }
            break;
        case EMB_EX_COMMITTEE:
            if (notified(c, "approval", "exemption", m->id, NULL, &which)) {
                got = EMB_DECISION_PERMITTED_WITH_CONDITIONS;
                cond(f, afmt(c, "Committee approval recorded (notifications[%zu]): %s; only within "
                             "its terms", which, e->text));
            } else if (e->purposes.n == 0 || (in->purpose && strs_has(&e->purposes, in->purpose))) {
                got = EMB_DECISION_EXEMPTION_REQUIRED;
                cond(f, afmt(c, "needs the Committee: %s", e->text));
            } else {
                cond(f, afmt(c, "exception: %s", e->text));
            }
            break;
        case EMB_EX_CARVE_OUT:
            break;
        }
        if (got < best) {
            best = got;
            lifted_by = e;
        }
    }
    /* general exemptions: measures whose rule is "on": "exemption" */
    for (size_t i = 0; i < c->rg->nmeasures; i++) {
        const emb_measure *g = &c->rg->measures[i];
        const emb_measure *by = NULL;
        if (!g->checked || g->start > c->day || superseded_on(c, g, &by))
            continue;
        for (size_t k = 0; k < g->nrules; k++) {
            const emb_rule *r = &g->rules[k];
            if (r->on != EMB_ON_EXEMPTION)
                continue;
            if (r->measure_types.n && !strs_has(&r->measure_types, f->measure_type))
                continue;
            if (!in->purpose || !strs_has(&r->purposes, in->purpose))
                continue;
            /* a Committee exempts from its own regime's measures only; a carve-out
             * (across regimes) from every measure of its types */
            if (r->kind == EMB_EX_COMMITTEE && !m)
                continue;
            emb_decision got;
            if (r->kind == EMB_EX_CARVE_OUT) {
                got = EMB_DECISION_PERMITTED_WITH_CONDITIONS;
                cond(f, afmt(c, "%s (%s): %s", g->id, para_text(c, g), r->condition));
            } else if (notified(c, "exemption", "approval", m ? m->id : NULL, g->id, &which)) {
                got = EMB_DECISION_PERMITTED_WITH_CONDITIONS;
                cond(f, afmt(c, "Committee exemption recorded (notifications[%zu]) under %s (%s); "
                             "only within its terms", which, g->id, para_text(c, g)));
            } else {
                got = EMB_DECISION_EXEMPTION_REQUIRED;
                cond(f, afmt(c, "%s (%s): %s", g->id, para_text(c, g), r->condition));
            }
            /* the general measure's own finding (step_general_exemptions)
             * carries its confidence into the decision */
            if (f->ngeneral < EMB_ARRAY_LEN(f->general))
                f->general[f->ngeneral++] = g;
            if (got < best) {
                best = got;
                lifted_by = NULL;
            }
        }
    }
    if (lifted_by) {
        f->exemption_key = lifted_by->key;
        if (lifted_by->has_confidence)
            f->rely = cmin(f->rely, lifted_by->confidence);
        add_related(c, f, lifted_by);
    }
    f->pub.outcome = best;
}

static void add_related(ck *c, const fnd *f, const emb_exemption *e)
{
    for (size_t i = 0; i < e->related.n; i++) {
        const emb_measure *m = emb_rules_measure(c->rg, e->related.v[i]);
        if (!m || find_finding(c, m->id, f->pub.subject))
            continue;
        const char *trig = afmt(c, "%s: the \"%s\" exception of %s (%s) applies; this measure "
                                "provides for it", f->pub.subject ? f->pub.subject : "transaction",
                                e->key, f->m->id, para_text(c, f->m));
        size_t subj = f->subj;
        const char *subject = f->pub.subject;
        fnd *x = new_finding(c, m, ST_EXEMPTIONS, "exemption", subj, subject);
        if (!x)
            return;
        x->pub.outcome = EMB_DECISION_PERMITTED_WITH_CONDITIONS;
        x->pub.trigger = trig;
        for (size_t k = 0; k < e->conditions.n; k++)
            cond(x, e->conditions.v[k]);
    }
}

/* ---- parties and vessel: screening ------------------------------------------------- */

static const emb_regime *regime_of(const ck *c, const char *list_type)
{
    for (size_t i = 0; list_type && i < c->rg->nregimes; i++)
        if (c->rg->regimes[i].un_list_type && strcmp(c->rg->regimes[i].un_list_type, list_type) == 0)
            return &c->rg->regimes[i];
    return NULL;
}

/* Is the hit listed under the regime of the measures file? (Only such a
 * designation meets a rule's "designated_party" requirement.) */
static bool own_regime(const ck *c, const emb_check_hit *h)
{
    const emb_regime *reg = regime_of(c, h->regime);
    return reg && reg->measures_data && strcmp(reg->measures_data, c->rg->regime_id) == 0;
}

/* Findings for one designated subject (its best matching hit). */
static void designated(ck *c, const emb_check_hit *h, const char *subject, size_t subj,
                       const char *who)
{
    const emb_regime *reg = regime_of(c, h->regime);
    const char *trig = afmt(c, "%s matches %s %s on list %s (%s, %s), score %.2f: %s", who,
                            h->reference ? h->reference : "-", h->caption, h->list,
                            h->regime ? h->regime : "regime not stated", h->schema, h->score,
                            h->reason);
    bool person = h->schema && strcmp(h->schema, "Person") == 0;
    if (reg && reg->measures_data && strcmp(reg->measures_data, c->rg->regime_id) == 0) {
        for (size_t i = 0; i < c->rg->nmeasures; i++) {
            const emb_measure *m = &c->rg->measures[i];
            for (size_t k = 0; k < m->nrules; k++) {
                const emb_rule *r = &m->rules[k];
                if (r->on != EMB_ON_DESIGNATED || (r->schema && (!h->schema ||
                                                                 strcmp(r->schema, h->schema) != 0)))
                    continue;
                if (m->start > c->day || superseded_info(c, m, ST_PARTIES, subj, subject, trig))
                    break;
                fnd *f = new_finding(c, m, ST_PARTIES, "designation", subj, subject);
                if (!f)
                    return;
                f->pub.trigger = trig;
                f->pub.outcome = EMB_DECISION_PROHIBITED;
                data_exceptions(c, f);
                apply_exemptions(c, f);
                break;
            }
        }
        return;
    }
    /* another UN regime: its measures list, without paragraph data */
    static const char *const types[] = {"asset_freeze", "travel_ban"};
    bool any = false;
    for (size_t t = 0; reg && t < 2; t++) {
        if (!strs_has(&reg->measures, types[t]) || (t == 1 && !person))
            continue;
        fnd *f = new_finding(c, NULL, ST_PARTIES, "designation", subj, subject);
        if (!f)
            return;
        any = true;
        f->pub.measure = afmt(c, "%s:%s", reg->id, types[t]);
        f->pub.resolution = reg->resolution;
        f->pub.summary = afmt(c, "%s under the %s regime (%s); embargo's regime data has no "
                              "paragraph-level measures for it",
                              t == 0 ? "Asset freeze" : "Travel ban", reg->name,
                              reg->committee ? reg->committee : "Security Council committee");
        f->pub.status = reg->status;
        f->pub.confidence = f->rely = reg->confidence;
        f->pub.trigger = trig;
        f->pub.outcome = EMB_DECISION_PROHIBITED;
        f->measure_type = types[t];
        apply_exemptions(c, f);
    }
    if (!any) {
        fnd *f = new_finding(c, NULL, ST_PARTIES, "designation", subj, subject);
        if (!f)
            return;
        f->pub.summary = afmt(c, "Listed under '%s'; embargo's regime data has no measures for "
                              "this regime: treat the listing as an asset freeze until checked",
                              h->regime ? h->regime : "an unknown regime");
        f->pub.confidence = f->rely = EMB_CONFIDENCE_UNVERIFIED;
        f->pub.trigger = trig;
        f->pub.outcome = EMB_DECISION_PROHIBITED;
        f->measure_type = "asset_freeze";
        apply_exemptions(c, f);
    }
}

static int screen_one(ck *c, emb_check_screened *s, emb_query *q)
{
    emb_screen_opts so = EMB_SCREEN_OPTS_INIT;
    so.threshold = c->opts->threshold;
    so.cutoff = so.threshold < EMB_CHECK_HIT_CUTOFF ? so.threshold : EMB_CHECK_HIT_CUTOFF;
    so.limit = EMB_CHECK_HITS;
    emb_results *res = NULL;
    int rc = emb_screen(&res, c->ls, q, &so);
    if (rc < 0)
        return emb_err_set(rc, "%s: screening failed: %s", s->subject, emb_err_last());
    size_t n = emb_results_count(res);
    emb_check_hit *hits = emb_arena_alloc(c->a, (n ? n : 1) * sizeof(emb_check_hit));
    if (!hits) {
        emb_results_free(res);
        return emb_err_set(EMB_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        const emb_match *m = emb_results_get(res, i);
        const emb_entity *e = m->entity;
        emb_check_hit *h = &hits[i];
        h->list = afmt(c, "%s", e->list);
        h->reference = e->reference ? afmt(c, "%s", e->reference) : NULL;
        h->caption = afmt(c, "%s", e->caption);
        h->schema = afmt(c, "%s", emb_schema_name(e->schema));
        h->regime = e->regime ? afmt(c, "%s", e->regime) : NULL;
        h->reason = afmt(c, "%s", m->reason);
        h->listed_on = e->listed_on ? afmt(c, "%s", e->listed_on) : NULL;
        h->score = m->score;
        h->match = m->match;
        if (h->match && !s->designated) {
            int ld = h->listed_on ? emb_rules_day(h->listed_on) : -1;
            if (ld > c->day)
                note(c, afmt(c, "%s matches %s, listed on %s, after the date checked: the listing "
                             "is not applied", s->subject, h->reference ? h->reference : h->caption,
                             h->listed_on));
            else
                s->designated = 1;
        }
    }
    s->hits = hits;
    s->nhits = n;
    emb_results_free(res);
    return c->err;
}

static void step_parties(ck *c)
{
    const emb_cin *in = c->in;
    size_t n = in->nparties + (in->has_vessel ? 1 : 0);
    c->r->screened = emb_arena_alloc(c->a, (n ? n : 1) * sizeof(emb_check_screened));
    if (!c->r->screened) {
        latch(c, emb_err_set(EMB_ENOMEM, "out of memory"));
        return;
    }
    if (!c->ls) {
        if (n)
            note(c, "parties and vessel were not screened (no list set given)");
        return;
    }
    for (size_t i = 0; i < in->nparties && !c->err; i++) {
        const emb_cin_party *p = &in->parties[i];
        emb_check_screened *s = &c->r->screened[c->r->nscreened++];
        memset(s, 0, sizeof(*s));
        s->subject = afmt(c, "parties[%zu]", i);
        s->role = p->role;
        s->name = p->name;
        const char *names[EMB_QUERY_MAX_VALUES];
        size_t nn = 0;
        names[nn++] = p->name;
        for (size_t k = 0; k < p->naliases && nn < EMB_QUERY_MAX_VALUES; k++)
            names[nn++] = p->aliases[k];
        emb_query q = EMB_QUERY_INIT;
        q.schema = p->qschema;
        q.names = names;
        q.nnames = nn;
        q.countries = &p->country;
        q.ncountries = p->country ? 1 : 0;
        q.birth_dates = &p->birth_date;
        q.nbirth_dates = p->birth_date ? 1 : 0;
        q.identifiers = p->ids;
        q.nidentifiers = p->nids;
        latch(c, screen_one(c, s, &q));
        if (s->designated) {
            for (size_t k = 0; k < s->nhits; k++)
                if (s->hits[k].match) {
                    c->any_designated = c->any_designated || own_regime(c, &s->hits[k]);
                    designated(c, &s->hits[k], s->subject, i,
                               afmt(c, "%s '%s' (%s)", s->subject, p->name, p->role));
                    break;
                }
        }
    }
    if (in->has_vessel && !c->err) {
        emb_check_screened *s = &c->r->screened[c->r->nscreened++];
        memset(s, 0, sizeof(*s));
        s->subject = "vessel";
        s->name = in->vessel_name ? in->vessel_name : in->vessel_imo;
        if (!in->vessel_name) {
            note(c, "vessel: only an IMO number was given; screening needs a name, so the vessel "
                    "was not screened");
            return;
        }
        emb_query q = EMB_QUERY_INIT;
        q.names = &in->vessel_name;
        q.nnames = 1;
        q.identifiers = &in->vessel_imo;
        q.nidentifiers = in->vessel_imo ? 1 : 0;
        latch(c, screen_one(c, s, &q));
        if (s->designated) {
            for (size_t k = 0; k < s->nhits; k++)
                if (s->hits[k].match) {
                    c->any_designated = c->any_designated || own_regime(c, &s->hits[k]);
                    designated(c, &s->hits[k], "vessel", 0,
                               afmt(c, "vessel '%s'%s%s", in->vessel_name,
                                    in->vessel_imo ? " IMO " : "",
                                    in->vessel_imo ? in->vessel_imo : ""));
                    break;
                }
        }
    }
}

/* ---- requirements of a rule ---------------------------------------------------------- */

static bool goods_prohibited(const ck *c, const emb_strs *types)
{
    for (size_t i = 0; i < c->nf; i++) {
        const fnd *f = &c->f[i];
        if (f->step != ST_GOODS || !f->pub.applied || f->pub.outcome < EMB_DECISION_EXEMPTION_REQUIRED)
            continue;
        if (!types || types->n == 0 || strs_has(types, f->measure_type))
            return true;
    }
    return false;
}

static bool req_atom(const ck *c, unsigned bit)
{
    switch (bit) {
    case EMB_REQ_TARGET_NEXUS: return c->nexus;
    case EMB_REQ_TARGET_PARTY: return c->target_party;
    case EMB_REQ_TARGET_VESSEL: return c->target_vessel;
    case EMB_REQ_DESIGNATED: return c->any_designated;
    case EMB_REQ_PROHIBITED_GOODS: return goods_prohibited(c, NULL);
    case EMB_REQ_GOODS_TRADE: return c->goods_trade;
    case EMB_REQ_VESSEL: return c->in->has_vessel;
    default: return false;
    }
}

static const char *const req_names[] = {"a link to the target country", "a party in the target country",
                                        "a vessel flagged by the target country", "a designated party",
                                        "prohibited goods", "goods to or from the target country",
                                        "a vessel"};

/* All of `requires`, one of `requires_any`, and the goods measure types.
 * *why gets a short explanation of what held. */
static bool requirements(ck *c, const emb_rule *r, const char **why)
{
    char buf[512];
    size_t k = 0;
    buf[0] = '\0';
    for (unsigned b = 0; b < 7; b++) {
        unsigned bit = 1u << b;
        if (!(r->requires & bit))
            continue;
        if (!req_atom(c, bit))
            return false;
        k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%s", k ? ", " : "", req_names[b]);
    }
    if (r->requires_any) {
        bool any = false;
        for (unsigned b = 0; b < 7 && !any; b++) {
            unsigned bit = 1u << b;
            if ((r->requires_any & bit) && req_atom(c, bit)) {
                any = true;
                k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%s", k ? ", " : "",
                                      req_names[b]);
            }
        }
        if (!any)
            return false;
    }
    if (r->with_goods_types.n) {
        if (!goods_prohibited(c, &r->with_goods_types))
            return false;
        k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%sgoods prohibited by an %s measure",
                              k ? ", " : "", r->with_goods_types.v[0]);
    }
    if (k >= sizeof(buf))
        k = sizeof(buf) - 1;
    *why = afmt(c, "%s", buf);
    return true;
}

/* ---- vessel ------------------------------------------------------------------------ */

static void step_vessel(ck *c)
{
    for (size_t i = 0; i < c->rg->nmeasures && !c->err; i++) {
        const emb_measure *m = &c->rg->measures[i];
        for (size_t k = 0; k < m->nrules; k++) {
            const emb_rule *r = &m->rules[k];
            const char *why = NULL;
            if (r->on != EMB_ON_VESSEL && r->on != EMB_ON_SHIP_TO_SHIP)
                continue;
            if (!c->in->has_vessel && r->on == EMB_ON_VESSEL)
                continue;
            if (r->on == EMB_ON_SHIP_TO_SHIP && !c->in->ship_to_ship)
                continue;
            if (!requirements(c, r, &why))
                continue;
            const char *trig;
            if (r->on == EMB_ON_SHIP_TO_SHIP)
                trig = afmt(c, "ship_to_ship is true, with %s", why);
            else
                trig = afmt(c, "vessel%s%s%s%s: %s", c->in->vessel_name ? " '" : "",
                            c->in->vessel_name ? c->in->vessel_name : "",
                            c->in->vessel_name ? "'" : "",
                            c->in->vessel_flag ? afmt(c, " flag %s", upper_cc(c, c->in->vessel_flag)) : "",
                            why);
            if (m->start > c->day || superseded_info(c, m, ST_VESSEL, 0, "vessel", trig))
                break;
            fnd *f = new_finding(c, m, ST_VESSEL,
                                 r->effect == EMB_EFF_CONDITION ? "condition" : "prohibition", 0,
                                 "vessel");
            if (!f)
                return;
            f->pub.trigger = trig;
            if (r->effect == EMB_EFF_CONDITION) {
                f->pub.outcome = EMB_DECISION_PERMITTED_WITH_CONDITIONS;
                cond(f, r->condition);
            } else {
                f->pub.outcome = EMB_DECISION_PROHIBITED;
                data_exceptions(c, f);
                apply_exemptions(c, f);
            }
            break;
        }
    }
}

/* ---- goods ----------------------------------------------------------------------------- */

/* How a good's code meets a measure's entry: 2 within, 1 overlapping but
 * broader, 0 apart. Codes compare digit-wise at the shorter length. */
static int hs_meet(const emb_hs *e, const emb_hs *code)
{
    size_t k = code->len < e->len ? code->len : e->len;
    if (strncmp(code->lo, e->hi, k) > 0 || strncmp(code->hi, e->lo, k) < 0)
        return 0;
    if (code->len >= e->len && strncmp(code->lo, e->lo, k) >= 0 && strncmp(code->hi, e->hi, k) <= 0)
        return 2;
    return 1;
}

/* Lower-case copy of the description, ASCII letters and digits kept,
 * everything else a space, padded with spaces on both sides. */
static char *word_text(ck *c, const char *s)
{
    size_t n = strlen(s);
    if (n > KEYWORD_TEXT_MAX)
        n = KEYWORD_TEXT_MAX;
    char *t = emb_arena_alloc(c->a, n + 3);
    if (!t) {
        latch(c, emb_err_set(EMB_ENOMEM, "out of memory"));
        return NULL;
    }
    t[0] = ' ';
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        t[i + 1] = (char)(ch < 0x80 && (isalnum(ch) || ch == '-') ? tolower(ch) : ' ');
    }
    t[n + 1] = ' ';
    t[n + 2] = '\0';
    return t;
}

/* Whole-word occurrence of kw (lower-case, may hold spaces) in padded text. */
static const char *find_word(const char *text, const char *kw, size_t kwlen)
{
    for (const char *p = strstr(text, kw); p; p = strstr(p + 1, kw)) {
        /* the text starts with a space, and keywords with a letter: p > text */
        if (p > text && !isalnum((unsigned char)p[-1]) && !isalnum((unsigned char)p[kwlen]))
            return p;
    }
    return NULL;
}

static bool has_keyword(ck *c, size_t gi, const emb_strs *kw, const char **which)
{
    const char *t = c->g[gi].text;
    if (!t)
        return false;
    for (size_t i = 0; t && i < kw->n; i++) {
        char k[128];
        size_t n = strlen(kw->v[i]);
        if (n >= sizeof(k) - 1)
            continue;
        /* keywords are matched like the text: punctuation as spaces */
        for (size_t j = 0; j <= n; j++)
            k[j] = (char)(kw->v[i][j] && !isalnum((unsigned char)kw->v[i][j]) &&
                          kw->v[i][j] != '-' ? ' ' : kw->v[i][j]);
        if (find_word(t, k, n)) {
            *which = kw->v[i];
            return true;
        }
    }
    return false;
}

/* The HS codes of a good: its own, or those of the keywords its description
 * holds (longest match first, no overlaps). */
static void classify(ck *c, size_t gi)
{
    const emb_cin_goods *g = &c->in->goods[gi];
    gstate *s = &c->g[gi];
    if (g->description && !(s->text = word_text(c, g->description)))
        return;
    if (g->hs) {
        emb_hs *h = emb_arena_alloc(c->a, sizeof(emb_hs));
        if (!h) {
            latch(c, emb_err_set(EMB_ENOMEM, "out of memory"));
            return;
        }
        memset(h, 0, sizeof(*h));
        snprintf(h->lo, sizeof(h->lo), "%s", g->hs);
        snprintf(h->hi, sizeof(h->hi), "%s", g->hs);
        h->len = strlen(g->hs);
        h->display = g->hs_given;
        s->codes.v = h;
        s->codes.n = 1;
        s->label = g->description ? afmt(c, "goods[%zu] HS %s (%s)", gi, g->hs_given, g->description)
                                  : afmt(c, "goods[%zu] HS %s", gi, g->hs_given);
        return;
    }
    const char *t = s->text;
    size_t tl = strlen(t);
    char *used = emb_arena_alloc(c->a, tl + 1);
    if (!used) {
        latch(c, emb_err_set(EMB_ENOMEM, "out of memory"));
        return;
    }
    memset(used, 0, tl + 1);
    /* the keywords present at all, so that each round looks at few */
    const emb_keyword **present = emb_arena_alloc(c->a, (c->rg->nkeywords + 1) * sizeof(*present));
    size_t npresent = 0;
    if (!present) {
        latch(c, emb_err_set(EMB_ENOMEM, "out of memory"));
        return;
    }
    for (size_t i = 0; i < c->rg->nkeywords; i++)
        if (find_word(t, c->rg->keywords[i].word, c->rg->keywords[i].len))
            present[npresent++] = &c->rg->keywords[i];
    emb_buf how;
    emb_buf_init(&how, 4096);
    for (size_t round = 0; round < KEYWORDS_PER_GOOD; round++) {
        /* the longest keyword found in the unused part of the text */
        const emb_keyword *best = NULL;
        const char *at = NULL;
        for (size_t i = 0; i < npresent; i++) {
            const emb_keyword *k = present[i];
            if (best && k->len <= best->len)
                continue;
            for (const char *p = find_word(t, k->word, k->len); p;
                 p = find_word(p + 1, k->word, k->len)) {
                bool free_ = true;
                for (size_t j = 0; j < k->len && free_; j++)
                    free_ = !used[(size_t)(p - t) + j];
                if (free_) {
                    best = k;
                    at = p;
                    break;
                }
            }
        }
        if (!best)
            break;
        memset(used + (at - t), 1, best->len);
        emb_hs *v = emb_arena_alloc(c->a, (s->codes.n + best->hs.n) * sizeof(emb_hs));
        if (!v) {
            latch(c, emb_err_set(EMB_ENOMEM, "out of memory"));
            break;
        }
        if (s->codes.n)
            memcpy(v, s->codes.v, s->codes.n * sizeof(emb_hs));
        memcpy(v + s->codes.n, best->hs.v, best->hs.n * sizeof(emb_hs));
        s->codes.v = v;
        s->codes.n += best->hs.n;
        emb_buf_printf(&how, "%skeyword '%s' -> HS %s (%s)", how.len ? "; " : "", best->word,
                       best->hs_text, best->note);
    }
    if (s->codes.n) {
        s->inference = afmt(c, "description '%s': %s (data/regimes/hs_keywords.tsv; an inference, "
                            "not a declared code)", g->description, emb_buf_cstr(&how));
        s->label = afmt(c, "goods[%zu] '%s' (HS inferred: %s)", gi, g->description,
                        emb_buf_cstr(&how));
    } else {
        s->label = afmt(c, "goods[%zu] '%s' (no HS code)", gi, g->description);
        note(c, afmt(c, "goods[%zu]: no HS code and no keyword of data/regimes/hs_keywords.tsv in "
                     "'%s': only measures that cover all goods were checked; give its HS code",
                     gi, g->description));
    }
    emb_buf_dispose(&how);
}

static void directions(ck *c, size_t gi)
{
    const emb_cin *in = c->in;
    gstate *s = &c->g[gi];
    const char *t = upper_cc(c, c->rg->target);
    if (is_target(c, in->destination))
        s->to = true, s->to_why = afmt(c, "route.destination %s", t);
    for (size_t i = 0; !s->to && i < in->nparties; i++)
        if (strcmp(in->parties[i].side, "to") == 0 && is_target(c, in->parties[i].country))
            s->to = true, s->to_why = afmt(c, "parties[%zu] (%s) in %s", i, in->parties[i].role, t);
    if (is_target(c, in->goods[gi].origin))
        s->from = true, s->from_why = afmt(c, "goods[%zu].origin %s", gi, t);
    else if (is_target(c, in->origin))
        s->from = true, s->from_why = afmt(c, "route.origin %s", t);
    for (size_t i = 0; !s->from && i < in->ntransit; i++)
        if (is_target(c, in->transit[i]))
            s->from = true, s->from_why = afmt(c, "route.transit through %s", t);
    for (size_t i = 0; !s->from && i < in->nparties; i++)
        if (strcmp(in->parties[i].side, "from") == 0 && is_target(c, in->parties[i].country))
            s->from = true, s->from_why = afmt(c, "parties[%zu] (%s) in %s", i, in->parties[i].role, t);
}

enum { GM_NONE, GM_NA, GM_COND, GM_FULL };

/* Best meeting of a good with a rule's measure. */
static int goods_match(ck *c, size_t gi, const emb_measure *m, const char **hs_out,
                       const char **extra, const emb_hs **entry)
{
    const gstate *s = &c->g[gi];
    int best = GM_NONE;
    for (size_t i = 0; i < m->hs.n; i++) {
        const emb_hs *e = &m->hs.v[i];
        for (size_t k = 0; k < s->codes.n; k++) {
            int meet = hs_meet(e, &s->codes.v[k]);
            int got = GM_NONE;
            const char *why = NULL;
            if (meet == 0)
                continue;
            if (meet == 1) {
                got = GM_COND;
                why = afmt(c, "the goods' code is broader than HS %s: the measure applies if the "
                           "goods fall under it (give the heading)", e->display);
            } else if (!e->partial) {
                got = GM_FULL;
            } else {
                const char *kw = NULL;
                if (has_keyword(c, gi, &e->keywords, &kw)) {
                    got = GM_FULL;
                    why = afmt(c, "description names '%s' (%s)", kw, e->scope);
                } else if (c->in->goods[gi].description) {
                    got = GM_NA;
                    why = afmt(c, "HS %s covers only %s, and the description names none", e->display,
                               e->scope);
                } else {
                    got = GM_COND;
                    why = afmt(c, "applies if the goods are %s (HS %s is narrower in this measure; "
                               "give a description)", e->scope, e->display);
                }
            }
            if (got > best) {
                best = got;
                *hs_out = e->display;
                *extra = why;
                *entry = e;
            }
        }
    }
    return best;
}

static bool excluded(const ck *c, size_t gi, const emb_rule *r)
{
    const gstate *s = &c->g[gi];
    if (r->except_hs.n == 0 || s->codes.n == 0)
        return false;
    for (size_t k = 0; k < s->codes.n; k++) {
        bool in = false;
        for (size_t i = 0; i < r->except_hs.n && !in; i++)
            in = hs_meet(&r->except_hs.v[i], &s->codes.v[k]) == 2;
        if (!in)
            return false;
    }
    return true;
}

static bool good_has_ground(const ck *c, size_t gi)
{
    for (size_t i = 0; i < c->nf; i++) {
        const fnd *f = &c->f[i];
        if (f->step == ST_GOODS && f->subj == gi && f->pub.applied &&
            (strcmp(f->pub.kind, "prohibition") == 0 || strcmp(f->pub.kind, "cap") == 0))
            return true;
    }
    return false;
}

static double total_for(const ck *c, const char *key, bool *known)
{
    for (size_t i = 0; i < c->in->ntotals; i++)
        if (strcmp(c->in->totals[i].key, key) == 0) {
            *known = true;
            return c->in->totals[i].quantity;
        }
    *known = false;
    return 0;
}

static void fmt_qty(char *out, size_t n, double q)
{
    /* thousands separators for whole numbers, as the data writes caps */
    if (q >= 0 && q < 1e15 && q == (double)(long long)q) {
        char tmp[32];
        snprintf(tmp, sizeof(tmp), "%lld", (long long)q);
        size_t len = strlen(tmp), k = 0;
        for (size_t i = 0; i < len && k + 2 < n; i++) {
            if (i && (len - i) % 3 == 0)
                out[k++] = ',';
            out[k++] = tmp[i];
        }
        out[k] = '\0';
    } else {
        snprintf(out, n, "%g", q);
    }
}

/* A cap: within it (and its conditions met) permitted with conditions;
 * otherwise prohibited, with what would change that. */
static void eval_cap(ck *c, fnd *f, size_t gi)
{
    const emb_cap *cap = &f->m->cap;
    const emb_cin *in = c->in;
    const emb_cin_goods *g = &in->goods[gi];
    emb_decision out = EMB_DECISION_PERMITTED_WITH_CONDITIONS;
    size_t which;
    for (size_t i = 0; i < cap->conditions.n; i++)
        cond(f, cap->conditions.v[i]);
    if (cap->no_designated && c->any_designated) {
        out = EMB_DECISION_PROHIBITED;
        cond(f, "a designated party is involved: supplies under the cap may not involve designated "
                "persons or entities");
    }
    if (cap->purposes.n) {
        if (in->purpose && !strs_has(&cap->purposes, in->purpose)) {
            out = EMB_DECISION_PROHIBITED;
            cond(f, afmt(c, "the stated purpose (%s) is not one the cap allows (%s)", in->purpose,
                         cap->purposes.v[0]));
        } else if (in->purpose) {
            cond(f, afmt(c, "purpose stated: %s", in->purpose));
        } else {
            cond(f, afmt(c, "state the purpose: only %s supplies are allowed", cap->purposes.v[0]));
        }
    }
    if (cap->notification) {
        if (notified(c, "notification", NULL, f->m->id, NULL, &which)) {
            cond(f, afmt(c, "notified to the Committee (notifications[%zu])", which));
        } else {
            out = EMB_DECISION_PROHIBITED;
            cond(f, afmt(c, "not notified: the supply must be notified to the Committee %s (add it "
                         "to \"notifications\")", cap->notification));
        }
    }
    bool counted = false, active = false;
    for (size_t i = 0; i < cap->nlimits; i++) {
        const emb_cap_limit *l = &cap->limits[i];
        if ((l->from && c->day < l->from) || (l->to && c->day > l->to))
            continue;
        active = true;
        double q;
        const char *what;
        if (strcmp(l->unit, "USD") == 0) {
            if (!g->has_value || !g->currency || strcasecmp(g->currency, "USD") != 0)
                continue;
            q = g->value;
            what = "value";
        } else {
            const char *u = g->unit ? emb_rules_unit(c->rg, g->unit) : NULL;
            if (!g->has_quantity || !u || strcmp(u, l->unit) != 0)
                continue;
            q = g->quantity;
            what = "quantity";
        }
        counted = true;
        bool known;
        double used = total_for(c, cap->totals_key, &known);
        char qs[40], us[40], ls[40];
        fmt_qty(qs, sizeof(qs), q);
        fmt_qty(us, sizeof(us), used);
        fmt_qty(ls, sizeof(ls), l->quantity);
        if (q + used > l->quantity) {
            out = EMB_DECISION_PROHIBITED;
            cond(f, afmt(c, "above the cap: %s %s %s%s%s%s exceeds %s %s %s", what, qs, l->unit,
                         known ? " + " : "", known ? us : "", known ? " already notified" : "", ls,
                         l->unit, l->period ? l->period : ""));
        } else {
            cond(f, afmt(c, "within the cap: %s %s %s%s%s%s of %s %s %s", what, qs, l->unit,
                         known ? " + " : "", known ? us : "", known ? " already notified" : "", ls,
                         l->unit, l->period ? l->period : ""));
            if (!known)
                cond(f, afmt(c, "the running total notified against the cap is not known: give it "
                             "in \"notified_totals\".\"%s\"", cap->totals_key));
        }
    }
    if (!active)
        cond(f, "the data gives no cap figure for this date");
    else if (!counted)
        cond(f, "the quantity is not in a unit of the cap: it cannot be counted against it");
    f->pub.outcome = out;
}

static void fire_goods(ck *c, size_t gi, const emb_measure *m, const emb_rule *r, int gm,
                       const char *hs, const char *extra, const emb_hs *entry)
{
    const gstate *s = &c->g[gi];
    const char *t = upper_cc(c, c->rg->target);
    const char *dir = r->to && s->to ? afmt(c, "to %s (%s)", t, s->to_why)
                                     : afmt(c, "from %s (%s)", t, s->from_why);
    const char *subject = afmt(c, "goods[%zu]", gi);
    const char *trig;
    if (r->all_goods)
        trig = afmt(c, "%s; %s; the measure covers all goods%s%s", s->label, dir,
                    r->except_hs.n ? " except " : "", r->except_hs.n ? r->except_note : "");
    else
        trig = afmt(c, "%s within HS %s; %s%s%s", s->label, hs, dir, extra ? "; " : "",
                    extra ? extra : "");
    if (gm == GM_NA) {
        if (m->start > c->day)
            return;
        const emb_measure *by = NULL;
        if (superseded_on(c, m, &by))
            return;
        fnd *f = new_finding(c, m, ST_INFO, "not_applicable", gi, subject);
        if (f) {
            f->pub.applied = 0;
            f->pub.outcome = EMB_DECISION_NO_MEASURE_FOUND;
            f->pub.trigger = trig;
            f->hs_matched = hs;
        }
        return;
    }
    if (m->start > c->day || superseded_info(c, m, ST_GOODS, gi, subject, trig))
        return;
    const char *kind = gm == GM_COND || r->effect == EMB_EFF_CONDITION ? "condition"
                       : r->effect == EMB_EFF_CAP                      ? "cap"
                                                                       : "prohibition";
    fnd *f = new_finding(c, m, ST_GOODS, kind, gi, subject);
    if (!f)
        return;
    f->pub.trigger = trig;
    f->hs_matched = hs;
    f->pub.inference = s->inference;
    if (!r->all_goods)
        f->pub.hs_code_source = entry && entry->from_resolution ? "resolution" : "indicative mapping";
    if (r->goods_condition && !c->in->goods[gi].condition)
        cond(f, afmt(c, "the measure covers %s goods only (goods[%zu].condition not given)",
                     r->goods_condition, gi));
    if (strcmp(kind, "condition") == 0) {
        f->pub.outcome = EMB_DECISION_PERMITTED_WITH_CONDITIONS;
        cond(f, gm == GM_COND ? extra : r->condition);
        return;
    }
    if (r->effect == EMB_EFF_CAP) {
        eval_cap(c, f, gi);
    } else {
        f->pub.outcome = EMB_DECISION_PROHIBITED;
    }
    if (f->pub.outcome == EMB_DECISION_PROHIBITED) {
        data_exceptions(c, f);
        apply_exemptions(c, f);
    }
}

static void step_goods(ck *c)
{
    const emb_cin *in = c->in;
    for (size_t gi = 0; gi < in->ngoods && !c->err; gi++) {
        const gstate *s = &c->g[gi];
        if (!s->to && !s->from)
            continue;
        for (int pass = 0; pass < 2; pass++) {
            bool ground = pass == 1 && good_has_ground(c, gi);
            for (size_t i = 0; i < c->rg->nmeasures && !c->err; i++) {
                const emb_measure *m = &c->rg->measures[i];
                for (size_t k = 0; k < m->nrules; k++) {
                    const emb_rule *r = &m->rules[k];
                    if (r->on != EMB_ON_GOODS || r->residual != (pass == 1))
                        continue;
                    if (!((r->to && s->to) || (r->from && s->from)))
                        continue;
                    if (r->goods_condition && in->goods[gi].condition &&
                        strcmp(r->goods_condition, in->goods[gi].condition) != 0)
                        continue;
                    if (ground)
                        continue;
                    const char *hs = NULL, *extra = NULL;
                    const emb_hs *entry = NULL;
                    int gm;
                    if (r->all_goods) {
                        if (excluded(c, gi, r)) {
                            const char *subject = afmt(c, "goods[%zu]", gi);
                            if (m->start <= c->day && !find_finding(c, m->id, subject)) {
                                const emb_measure *by = NULL;
                                if (!superseded_on(c, m, &by)) {
                                    fnd *f = new_finding(c, m, ST_INFO, "not_applicable", gi,
                                                         subject);
                                    if (f) {
                                        f->pub.applied = 0;
                                        f->pub.outcome = EMB_DECISION_NO_MEASURE_FOUND;
                                        f->pub.trigger = afmt(c, "%s is %s: outside this measure",
                                                              s->label, r->except_note ?
                                                              r->except_note : "excluded");
                                    }
                                }
                            }
                            break;
                        }
                        gm = GM_FULL;
                    } else {
                        gm = goods_match(c, gi, m, &hs, &extra, &entry);
                    }
                    if (gm == GM_NONE)
                        continue;
                    if (find_finding(c, m->id, afmt(c, "goods[%zu]", gi)))
                        break;
                    fire_goods(c, gi, m, r, gm, hs, extra, entry);
                    break;
                }
            }
        }
    }
}

/* ---- services ---------------------------------------------------------------------------- */

static void step_services(ck *c)
{
    const emb_cin *in = c->in;
    for (size_t i = 0; i < c->rg->nmeasures && !c->err; i++) {
        const emb_measure *m = &c->rg->measures[i];
        for (size_t si = 0; si < in->nservices; si++) {
            const char *subject = afmt(c, "services[%zu]", si);
            for (size_t k = 0; k < m->nrules; k++) {
                const emb_rule *r = &m->rules[k];
                const char *why = NULL;
                if (r->on != EMB_ON_SERVICE || !strs_has(&r->services, in->services[si]))
                    continue;
                if (!requirements(c, r, &why))
                    continue;
                const char *trig = afmt(c, "%s '%s' with %s", subject, in->services[si], why);
                if (m->start > c->day || superseded_info(c, m, ST_SERVICES, si, subject, trig))
                    break;
                bool condition = r->effect == EMB_EFF_CONDITION;
                fnd *f = new_finding(c, m, ST_SERVICES, condition ? "condition" : "prohibition",
                                     si, subject);
                if (!f)
                    return;
                f->pub.trigger = trig;
                if (condition) {
                    f->pub.outcome = EMB_DECISION_PERMITTED_WITH_CONDITIONS;
                    cond(f, r->condition);
                } else {
                    f->pub.outcome = EMB_DECISION_PROHIBITED;
                    data_exceptions(c, f);
                    apply_exemptions(c, f);
                }
                break;
            }
        }
    }
}

/* ---- exemptions, consequences, extensions ---------------------------------------------------- */

static void step_general_exemptions(ck *c)
{
    const char *p = c->in->purpose;
    for (size_t i = 0; i < c->rg->nmeasures && !c->err; i++) {
        const emb_measure *g = &c->rg->measures[i];
        const emb_measure *by = NULL;
        if (!g->checked || g->start > c->day || superseded_on(c, g, &by))
            continue;
        for (size_t k = 0; k < g->nrules; k++) {
            const emb_rule *r = &g->rules[k];
            if (r->on != EMB_ON_EXEMPTION || !p || !strs_has(&r->purposes, p))
                continue;
            /* which findings could it lift? */
            emb_buf lifts;
            emb_buf_init(&lifts, 2048);
            emb_decision out = EMB_DECISION_NO_MEASURE_FOUND;
            for (size_t j = 0; j < c->nf; j++) {
                const fnd *f = &c->f[j];
                if (!f->pub.applied || f->step == ST_EXEMPTIONS || f->step == ST_INFO)
                    continue;
                if (strcmp(f->pub.kind, "prohibition") != 0 && strcmp(f->pub.kind, "cap") != 0 &&
                    strcmp(f->pub.kind, "designation") != 0)
                    continue;
                bool mine = false;
                for (size_t q = 0; q < f->ngeneral; q++)
                    mine = mine || f->general[q] == g;
                if (!mine || f->pub.outcome == EMB_DECISION_PROHIBITED)
                    continue;   /* this exemption did not lift it */
                if (f->exemption_key)
                    continue;   /* lifted by the measure's own exception */
                emb_buf_printf(&lifts, "%s%s (%s)", lifts.len ? ", " : "",
                               f->pub.subject ? f->pub.subject : "transaction", f->pub.measure);
                if (f->pub.outcome > out)
                    out = f->pub.outcome;
            }
            fnd *x = new_finding(c, g, ST_EXEMPTIONS, "exemption", 0, NULL);
            if (x) {
                if (lifts.len) {
                    x->pub.outcome = out;
                    x->pub.trigger = afmt(c, "purpose '%s': %s %s", p,
                                          r->kind == EMB_EX_CARVE_OUT ? "lifts" : "the route to lift",
                                          emb_buf_cstr(&lifts));
                } else {
                    x->pub.applied = 0;
                    x->pub.outcome = EMB_DECISION_NO_MEASURE_FOUND;
                    x->pub.trigger = afmt(c, "purpose '%s': available for related payments and "
                                          "activities (no finding above needs it)", p);
                }
                cond(x, r->condition);
            }
            emb_buf_dispose(&lifts);
            break;
        }
    }
}

static void step_consequences(ck *c, emb_decision so_far)
{
    for (size_t i = 0; i < c->rg->nmeasures && !c->err; i++) {
        const emb_measure *m = &c->rg->measures[i];
        const emb_measure *by = NULL;
        if (m->start > c->day || superseded_on(c, m, &by))
            continue;
        for (size_t k = 0; k < m->nrules; k++) {
            const emb_rule *r = &m->rules[k];
            const char *why = NULL;
            if (r->on != EMB_ON_PROHIBITED || so_far != EMB_DECISION_PROHIBITED ||
                !requirements(c, r, &why))
                continue;
            fnd *f = new_finding(c, m, ST_EXEMPTIONS, "consequence", 0, c->in->has_vessel ? "vessel" : NULL);
            if (f) {
                f->pub.applied = 0;
                f->pub.outcome = EMB_DECISION_NO_MEASURE_FOUND;
                f->pub.trigger = afmt(c, "the transaction is prohibited and involves %s", why);
                cond(f, r->condition);
            }
            break;
        }
    }
}

static void step_extends(ck *c)
{
    size_t n = c->nf;
    for (size_t i = 0; i < n && !c->err; i++) {
        if (!c->f[i].pub.applied || !c->f[i].m)
            continue;
        for (size_t k = 0; k < c->f[i].m->extends.n; k++) {
            const fnd *f = &c->f[i];
            const emb_measure *x = emb_rules_measure(c->rg, f->m->extends.v[k]);
            fnd *have = x ? find_finding(c, x->id, f->pub.subject) : NULL;
            if (!x || (have && have->pub.applied))
                continue;
            if (have)
                continue;
            const char *trig = afmt(c, "%s: extended by %s (%s)", f->pub.subject ? f->pub.subject :
                                    "transaction", f->m->id, para_text(c, f->m));
            size_t subj = f->subj;
            const char *subject = f->pub.subject;
            fnd *e = new_finding(c, x, ST_INFO, "extended", subj, subject);
            if (e) {
                e->pub.applied = 0;
                e->pub.outcome = EMB_DECISION_NO_MEASURE_FOUND;
                e->pub.trigger = trig;
            }
        }
    }
}

/* ---- decision ------------------------------------------------------------------------------ */

static void decide(ck *c)
{
    emb_check_result *r = c->r;
    emb_decision d = EMB_DECISION_NO_MEASURE_FOUND;
    emb_confidence weakest = EMB_CONFIDENCE_VERIFIED;
    bool any = false;
    for (size_t i = 0; i < c->nf; i++) {
        fnd *f = &c->f[i];
        if (!f->pub.applied)
            continue;
        any = true;
        if (f->pub.outcome > d)
            d = f->pub.outcome;
        weakest = cmin(weakest, f->rely);
    }
    emb_confidence conf = EMB_CONFIDENCE_SECONDARY;
    if (d == EMB_DECISION_PROHIBITED) {
        /* any one ground suffices: the decision stands on its best-supported one */
        conf = EMB_CONFIDENCE_UNVERIFIED;
        for (size_t i = 0; i < c->nf; i++)
            if (c->f[i].pub.applied && c->f[i].pub.outcome == d && c->f[i].rely > conf)
                conf = c->f[i].rely;
        for (size_t i = 0; i < c->nf; i++)
            c->f[i].pub.relied_on = c->f[i].pub.applied && c->f[i].pub.outcome == d &&
                                    c->f[i].rely == conf;
    } else if (d != EMB_DECISION_NO_MEASURE_FOUND) {
        /* every finding with a condition or an exemption to meet is needed */
        conf = EMB_CONFIDENCE_VERIFIED;
        for (size_t i = 0; i < c->nf; i++) {
            fnd *f = &c->f[i];
            f->pub.relied_on = f->pub.applied && f->pub.outcome != EMB_DECISION_NO_MEASURE_FOUND;
            if (f->pub.relied_on)
                conf = cmin(conf, f->rely);
        }
    } else {
        /* nothing applies: the answer rests on the exclusions and exemptions shown */
        bool shown = false;
        conf = EMB_CONFIDENCE_VERIFIED;
        for (size_t i = 0; i < c->nf; i++) {
            fnd *f = &c->f[i];
            if (strcmp(f->pub.kind, "not_applicable") == 0 || strcmp(f->pub.kind, "exemption") == 0) {
                f->pub.relied_on = 1;
                conf = cmin(conf, f->rely);
                shown = true;
            }
        }
        if (!shown)
            conf = EMB_CONFIDENCE_SECONDARY;
    }
    r->decision = d;
    r->confidence = conf;
    r->weakest = any ? cmin(weakest, conf) : conf;
    r->any_applied = any;
}

static int cmp_fnd(const void *pa, const void *pb)
{
    const fnd *a = pa, *b = pb;
    if (a->step != b->step)
        return a->step - b->step;
    if (a->pub.applied != b->pub.applied)
        return b->pub.applied - a->pub.applied;
    if (a->subj != b->subj)
        return a->subj < b->subj ? -1 : 1;
    if (a->pub.outcome != b->pub.outcome)
        return (int)b->pub.outcome - (int)a->pub.outcome;
    if (a->start != b->start)
        return b->start - a->start;   /* newest first */
    if (a->pub.confidence != b->pub.confidence)
        return (int)b->pub.confidence - (int)a->pub.confidence;
    return a->seq < b->seq ? -1 : 1;
}

/* ---- JSON ------------------------------------------------------------------------------------ */

static void js(emb_buf *b, const char *k, const char *v)
{
    emb_buf_printf(b, ",\"%s\":", k);
    if (v)
        emb_buf_json_str(b, v);
    else
        emb_buf_puts(b, "null");
}

static void jscore(emb_buf *b, double s)
{
    char tmp[32];
    snprintf(tmp, sizeof(tmp), "%.4f", s);
    size_t n = strlen(tmp);
    while (n > 3 && tmp[n - 1] == '0')
        n--;
    emb_buf_append(b, tmp, n);
}

static int render(ck *c)
{
    emb_check_result *r = c->r;
    emb_buf b;
    emb_buf_init(&b, EMB_CHECK_JSON_MAX);
    emb_buf_printf(&b, "{\"decision\":\"%s\",\"findings\":[", emb_decision_name(r->decision));
    for (size_t i = 0; i < r->nfindings; i++) {
        const emb_check_finding *f = &r->findings[i];
        const fnd *x = &c->f[i];
        emb_buf_puts(&b, i ? ",{\"measure\":" : "{\"measure\":");
        if (f->measure)
            emb_buf_json_str(&b, f->measure);
        else
            emb_buf_puts(&b, "null");
        js(&b, "resolution", f->resolution);
        js(&b, "paragraph", f->paragraph);
        js(&b, "summary", f->summary);
        js(&b, "trigger", f->trigger);
        js(&b, "confidence", emb_confidence_name(f->confidence));
        emb_buf_puts(&b, ",\"conditions\":[");
        for (size_t k = 0; k < f->nconditions; k++) {
            if (k)
                emb_buf_putc(&b, ',');
            emb_buf_json_str(&b, f->conditions[k]);
        }
        emb_buf_puts(&b, "]");
        js(&b, "kind", f->kind);
        js(&b, "outcome", emb_decision_name(f->outcome));
        emb_buf_printf(&b, ",\"applied\":%s,\"relied_on\":%s", f->applied ? "true" : "false",
                       f->relied_on ? "true" : "false");
        js(&b, "subject", f->subject);
        js(&b, "document", f->document);
        if (x->m)
            emb_buf_printf(&b, ",\"year\":%d", x->m->year);
        js(&b, "measure_type", x->measure_type);
        js(&b, "direction", x->m ? x->m->direction : NULL);
        js(&b, "status", f->status);
        emb_buf_printf(&b, ",\"paragraph_verified\":%s",
                       f->confidence == EMB_CONFIDENCE_VERIFIED ? "true" : "false");
        if (!f->paragraph)
            js(&b, "confidence_note", "paragraph number unknown");
        else if (f->confidence == EMB_CONFIDENCE_UNVERIFIED)
            js(&b, "confidence_note", "paragraph number unverified");
        if (f->hs_code_source) {
            js(&b, "hs_code_source", f->hs_code_source);
            js(&b, "hs_matched", x->hs_matched);
            if (x->m && x->m->hs_codes_note)
                js(&b, "hs_codes_note", x->m->hs_codes_note);
        }
        if (f->inference)
            js(&b, "inference", f->inference);
        if (x->exemption_key)
            js(&b, "exemption_applied", x->exemption_key);
        if (x->m && x->m->evidence.n) {
            emb_buf_puts(&b, ",\"sources\":[");
            for (size_t k = 0; k < x->m->evidence.n; k++) {
                if (k)
                    emb_buf_putc(&b, ',');
                emb_buf_json_str(&b, x->m->evidence.v[k]);
            }
            emb_buf_puts(&b, "]");
        }
        emb_buf_puts(&b, "}");
    }
    emb_buf_puts(&b, "],\"screening\":[");
    for (size_t i = 0; i < r->nscreened; i++) {
        const emb_check_screened *s = &r->screened[i];
        emb_buf_printf(&b, "%s{\"subject\":", i ? "," : "");
        emb_buf_json_str(&b, s->subject);
        js(&b, "role", s->role);
        js(&b, "name", s->name);
        emb_buf_printf(&b, ",\"designated\":%s,\"hits\":[", s->designated ? "true" : "false");
        for (size_t k = 0; k < s->nhits; k++) {
            const emb_check_hit *h = &s->hits[k];
            emb_buf_printf(&b, "%s{\"list\":", k ? "," : "");
            emb_buf_json_str(&b, h->list);
            js(&b, "reference", h->reference);
            js(&b, "caption", h->caption);
            js(&b, "schema", h->schema);
            js(&b, "regime", h->regime);
            emb_buf_puts(&b, ",\"score\":");
            jscore(&b, h->score);
            emb_buf_printf(&b, ",\"match\":%s", h->match ? "true" : "false");
            js(&b, "reason", h->reason);
            js(&b, "listed_on", h->listed_on);
            emb_buf_puts(&b, "}");
        }
        emb_buf_puts(&b, "]}");
    }
    emb_buf_puts(&b, "]");
    js(&b, "confidence", emb_confidence_name(r->confidence));
    js(&b, "confidence_weakest", emb_confidence_name(r->weakest));
    js(&b, "date", r->date);
    js(&b, "date_source", r->date_source);
    js(&b, "regime", c->rg->regime_id);
    if (c->in->id)
        js(&b, "id", c->in->id);
    emb_buf_puts(&b, ",\"notes\":[");
    for (size_t i = 0; i < r->nnotes; i++) {
        if (i)
            emb_buf_putc(&b, ',');
        emb_buf_json_str(&b, r->notes[i]);
    }
    int rc = emb_buf_puts(&b, "]}");
    if (rc < 0 || b.len == 0) {
        emb_buf_dispose(&b);
        return emb_err_set(EMB_ETOOBIG, "result JSON larger than %u bytes", EMB_CHECK_JSON_MAX);
    }
    r->json = b.ptr;
    r->json_len = b.len;
    return EMB_OK;
}

/* ---- entry points ------------------------------------------------------------------------------ */

static const char *utc_today(char out[16])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, 16, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
             tm.tm_mday % 100);
    return out;
}

static void finish(ck *c)
{
    emb_check_result *r = c->r;
    if (c->nf)
        qsort(c->f, c->nf, sizeof(fnd), cmp_fnd);
    r->findings = emb_arena_alloc(c->a, (c->nf ? c->nf : 1) * sizeof(emb_check_finding));
    if (!r->findings) {
        latch(c, emb_err_set(EMB_ENOMEM, "out of memory"));
        return;
    }
    for (size_t i = 0; i < c->nf; i++) {
        fnd *f = &c->f[i];
        f->pub.conditions = emb_arena_memdup(c->a, f->conds, (f->nconds ? f->nconds : 1) * sizeof(char *));
        f->pub.nconditions = f->nconds;
        if (!f->pub.conditions)
            latch(c, emb_err_set(EMB_ENOMEM, "out of memory"));
        r->findings[i] = f->pub;
    }
    r->nfindings = c->nf;
    r->notes = emb_arena_memdup(c->a, c->notes, (c->nnotes ? c->nnotes : 1) * sizeof(char *));
    r->nnotes = c->nnotes;
    if (!r->notes)
        latch(c, emb_err_set(EMB_ENOMEM, "out of memory"));
}

EMB_API int emb_check_ex(emb_check_result **out, const emb_regimes *rg, const emb_lists *ls,
                         const char *json, size_t len, const emb_check_opts *opts)
{
    emb_check_opts dflt = EMB_CHECK_OPTS_INIT;
    emb_cin in;
    ck c;
    char today[16];
    int rc;
    if (!out || !rg)
        return emb_err_set(EMB_EINVAL, "emb_check: no result pointer or regime data");
    *out = NULL;
    if (!opts)
        opts = &dflt;
    if (opts->version != EMB_CHECK_OPTS_VERSION || !(opts->threshold >= 0 && opts->threshold <= 1))
        return emb_err_set(EMB_EINVAL, "emb_check: bad options (version or threshold)");
    emb_check_result *r = emb_calloc(1, sizeof(*r));
    if (!r)
        return emb_err_set(EMB_ENOMEM, "out of memory");
    emb_arena_init(&r->arena, EMB_CHECK_ARENA_MAX);
    memset(&c, 0, sizeof(c));
    c.rg = rg;
    c.ls = ls;
    c.opts = opts;
    c.r = r;
    c.a = &r->arena;
    c.in = &in;
    if ((rc = emb_cin_parse(&in, &r->arena, rg, json, len)) < 0)
        goto cleanup;
    if (in.date) {
        r->date = in.date;
        r->date_source = "input";
    } else {
        const char *t = opts->today ? opts->today : utc_today(today);
        if (emb_rules_day(t) < 0) {
            rc = emb_err_set(EMB_EINVAL, "emb_check: opts.today is not a date YYYY-MM-DD");
            goto cleanup;
        }
        r->date = afmt(&c, "%s", t);
        r->date_source = "today";
        note(&c, afmt(&c, "no \"date\" given: the rules in force on %s (today, UTC) were applied",
                      r->date));
    }
    c.day = emb_rules_day(r->date);
    c.g = emb_arena_alloc(c.a, (in.ngoods ? in.ngoods : 1) * sizeof(gstate));
    if (!c.g) {
        rc = emb_err_set(EMB_ENOMEM, "out of memory");
        goto cleanup;
    }
    memset(c.g, 0, (in.ngoods ? in.ngoods : 1) * sizeof(gstate));
    /* links to the target country */
    for (size_t i = 0; i < in.nparties; i++)
        c.target_party = c.target_party || is_target(&c, in.parties[i].country);
    c.target_vessel = is_target(&c, in.vessel_flag);
    c.nexus = c.target_party || c.target_vessel || is_target(&c, in.origin) ||
              is_target(&c, in.destination);
    for (size_t i = 0; i < in.ntransit; i++)
        c.nexus = c.nexus || is_target(&c, in.transit[i]);
    for (size_t i = 0; i < in.ngoods && !c.err; i++) {
        classify(&c, i);
        directions(&c, i);
        c.goods_trade = c.goods_trade || c.g[i].to || c.g[i].from;
    }
    c.nexus = c.nexus || c.goods_trade;

    step_parties(&c);
    step_vessel(&c);
    step_goods(&c);
    step_services(&c);
    step_general_exemptions(&c);
    decide(&c);
    step_consequences(&c, r->decision);
    step_extends(&c);
    if (!c.nexus && in.ngoods + in.nservices > 0)
        note(&c, "nothing in the transaction links it to the target country of the regime data "
                 "(no party, route, goods origin or vessel flag in it)");
    if (c.err) {
        rc = c.err;
        goto cleanup;
    }
    finish(&c);
    if (c.err || (rc = render(&c)) < 0) {
        rc = c.err ? c.err : rc;
        goto cleanup;
    }
    *out = r;
    r = NULL;
    rc = EMB_OK;
cleanup:
    emb_free(c.f);
    emb_check_result_free(r);
    return rc;
}

EMB_API int emb_check(emb_check_result **out, const emb_regimes *rg, const emb_lists *ls,
                      const char *json, size_t len)
{
    return emb_check_ex(out, rg, ls, json, len, NULL);
}

EMB_API void emb_check_result_free(emb_check_result *r)
{
    if (!r)
        return;
    emb_free(r->json);
    emb_arena_dispose(&r->arena);
    emb_free(r);
}

EMB_API emb_decision emb_check_decision(const emb_check_result *r)
{
    return r->decision;
}

EMB_API emb_confidence emb_check_confidence(const emb_check_result *r)
{
    return r->confidence;
}

EMB_API const char *emb_check_date(const emb_check_result *r)
{
    return r->date;
}

EMB_API size_t emb_check_finding_count(const emb_check_result *r)
{
    return r ? r->nfindings : 0;
}

EMB_API const emb_check_finding *emb_check_finding_get(const emb_check_result *r, size_t i)
{
    return r && i < r->nfindings ? &r->findings[i] : NULL;
}

EMB_API size_t emb_check_screened_count(const emb_check_result *r)
{
    return r ? r->nscreened : 0;
}

EMB_API const emb_check_screened *emb_check_screened_get(const emb_check_result *r, size_t i)
{
    return r && i < r->nscreened ? &r->screened[i] : NULL;
}

EMB_API size_t emb_check_note_count(const emb_check_result *r)
{
    return r ? r->nnotes : 0;
}

EMB_API const char *emb_check_note(const emb_check_result *r, size_t i)
{
    return r && i < r->nnotes ? r->notes[i] : NULL;
}

EMB_API const char *emb_check_result_json(const emb_check_result *r, size_t *len)
{
    if (len)
        *len = r ? r->json_len : 0;
    return r ? r->json : NULL;
}
