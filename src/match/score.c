/*
 * score.c - name alignment and corroboration.
 *
 * Name score: tokens are aligned one-to-one, best pair first (exact 1.0,
 * initial 0.9, fuzzy 1 - edits/length within the edit budget), then runs of
 * unaligned adjacent tokens are compared glued together (kimjongun vs kim
 * jong un). The score is the weighted mean of the aligned pairs, with
 * unaligned query parts and listed parts in the denominator at
 * EMB_W_EXTRA_QUERY and EMB_W_MISSING_LISTED of their weight. Only an
 * identical token sequence scores 1.0; anything else is capped at 0.99 so
 * exact matches always rank first.
 *
 * Corroboration moves the score toward 1 when a field agrees
 * (s += k * s * (1 - s) for birth dates and countries, in proportion to the
 * name's strength; s += (1 - s) * k for identifiers) and scales it down
 * when a field conflicts (s *= k), so
 * it keeps the order of name scores and never lifts a variant to 1.0.
 * A field the query or the entry lacks changes nothing.
 */
#include "util/compat.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "match/distance.h"
#include "match/score.h"
#include "util/alloc.h"
#include "util/err.h"

#define CONFLICT_YEAR 0.80
#define CONFLICT_DAY 0.90
#define CONFLICT_YEAR_NEAR 0.92   /* a year off by one: a common clerical slip */
#define CONFLICT_COUNTRY 0.90
#define AGREE_ID 0.70
#define DECISIVE_ID 0.95          /* floor when a vessel's IMO or MMSI agrees */
#define CONFLICT_GENDER 0.85

static double fuzzy_sim(int d, size_t L)
{
    double v = 1.0 - EMB_FUZZY_SLOPE * (double)d / (double)L;
    return v > 0.0 ? v : 0.0;
}

/* The length a fuzzy pair's similarity is taken over: the longer token's
 * letters (an edit in a five-letter Arabic word weighs a fifth of it, not
 * a tenth as its bytes would say). */
static size_t sim_len(const char *a, size_t la, const char *b, size_t lb)
{
    if (!(((unsigned char)a[0] | (unsigned char)b[0]) & 0x80))
        return la > lb ? la : lb;
    size_t x = emb_letters(a, la), y = emb_letters(b, lb);
    return x > y ? x : y;
}

/* similarity of two tokens; sets kind and edits */
static double tok_sim_str(const char *a, size_t la, const char *b, size_t lb,
                          emb_align_kind *kind, int *edits)
{
    *edits = 0;
    *kind = EMB_ALIGN_EXTRA;   /* no alignment unless a branch below finds one */
    if (la == lb && memcmp(a, b, la) == 0) {
        *kind = EMB_ALIGN_EXACT;
        return 1.0;
    }
    if ((emb_is_initial(a, la) && lb > 1 && a[0] == b[0]) ||
        (emb_is_initial(b, lb) && la > 1 && a[0] == b[0])) {
        *kind = EMB_ALIGN_INITIAL;
        return EMB_INITIAL_SCORE;
    }
    if (emb_is_numeral(a, la) || emb_is_numeral(b, lb))
        return 0.0; /* numbers must agree exactly */
    size_t L = la > lb ? la : lb;
    if ((la < lb ? la : lb) < 3)
        return 0.0; /* no fuzzy matching of one- and two-letter parts */
    int budget = emb_edit_budget(L);
    if (((unsigned char)a[0] | (unsigned char)b[0]) & 0x80)
        budget = emb_edit_budget_pair(a, la, b, lb);   /* another script: its letters */
    if (budget == 0)
        return 0.0;
    int d = emb_osa_distance(a, la, b, lb, budget);
    if (d > budget)
        return 0.0;
    *kind = EMB_ALIGN_FUZZY;
    *edits = d;
    return fuzzy_sim(d, sim_len(a, la, b, lb));
}

/* Similarity of query token i and vocabulary token cid, from the query's
 * precomputed fuzzy partners (no string distance at scoring time). */
static double tok_sim_id(const emb_index *ix, const emb_qname *q, size_t i, uint32_t cid,
                         int person, emb_align_kind *kind, int *edits)
{
    *edits = 0;
    *kind = EMB_ALIGN_EXTRA;   /* no alignment unless a branch below finds one */
    if (q->ids[i] == (int64_t)cid) {
        *kind = EMB_ALIGN_EXACT;
        return 1.0;
    }
    const emb_vtok *v = &ix->toks[cid];
    const char *vs = emb_tok_s(ix, v);
    size_t la = q->lens[i], lb = v->len;
    const char *a = q->toks[i];
    /* initials are a person-name convention; in an organisation name a lone
     * letter belongs to an acronym ("ISIS-K") and must not absorb a word */
    if (person && ((emb_is_initial(a, la) && lb > 1 && a[0] == vs[0]) ||
                   (emb_is_initial(vs, lb) && la > 1 && a[0] == vs[0]))) {
        *kind = EMB_ALIGN_INITIAL;
        return EMB_INITIAL_SCORE;
    }
    /* spelling variants across romanisations (ri/lee, kh/h, vowels); two
     * parts of different classes are different names whatever their forms
     * or skeletons share (hussein/hassan, muhammad/mahmud) */
    static const double vscore[3] = {EMB_VARIANT_CLASS, EMB_VARIANT_FORM, EMB_VARIANT_SKEL};
    double best = 0.0;
    int other_name = (q->classed >> i & 1u) && v->vkey[EMB_VK_CLASS] != EMB_NO_KEY &&
                     q->vkey[i][EMB_VK_CLASS] != v->vkey[EMB_VK_CLASS];
    /* a part romanised from Arabic script has no short vowels to drop: its
     * consonant skeleton says little (hsyn, hassan); abjad reading below */
    int kmax = q->abjad ? EMB_VK_SKEL : 3;
    for (int k = 0; k < kmax && !other_name; k++)
        if (q->vkey[i][k] != EMB_NO_KEY && q->vkey[i][k] == v->vkey[k]) {
            best = vscore[k];
            *kind = EMB_ALIGN_VARIANT;
            break;
        }
    /* a part romanised from Arabic script read as a Latin spelling: the
     * script leaves out short vowels (hmwd ~ hammud), as a skeleton */
    if (best < EMB_VARIANT_SKEL && q->abjad && !v->joined &&
        emb_index_key_holds(ix, q->akey[i], cid) && emb_abjad_equal(a, la, vs, lb)) {
        best = EMB_VARIANT_SKEL;
        *kind = EMB_ALIGN_VARIANT;
    }
    size_t lo = 0, hi = q->nearbits[i] & emb_near_bit(cid) ? q->nnear[i] : 0;
    const emb_near *nr = q->near[i];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (nr[mid].tok == cid) {
            if (emb_is_numeral(a, la) || emb_is_numeral(vs, lb))
                return 0.0; /* numbers must agree exactly */
            double f = fuzzy_sim((int)nr[mid].edits, sim_len(a, la, vs, lb));
            if (f > best) {
                *kind = EMB_ALIGN_FUZZY;
                *edits = (int)nr[mid].edits;
                best = f;
            }
            return best;
        }
        if (nr[mid].tok < cid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return best;
}

typedef struct side {
    uint8_t cls[EMB_NAME_MAX_TOKENS];   /* emb_word_class of listed tokens */
    const char *form[EMB_NAME_MAX_TOKENS]; /* romanisation forms, for the glue pass */
    size_t flen[EMB_NAME_MAX_TOKENS];
    const char *t[EMB_NAME_MAX_TOKENS];
    size_t l[EMB_NAME_MAX_TOKENS];
    float w[EMB_NAME_MAX_TOKENS];
    int used[EMB_NAME_MAX_TOKENS];
    int abjad;                           /* romanised from Arabic script */
    int no_typos;                        /* a machine romanisation: no fuzzy pair */
    size_t n;
} side;

static int push_align(emb_name_cmp *out, emb_arena *a, emb_align_kind k, const char *q,
                      size_t ql, const char *c, size_t cl, double s, double w, int edits)
{
    if (!out->align || out->nalign >= 2 * EMB_NAME_MAX_TOKENS)
        return EMB_OK;
    emb_align *al = &out->align[out->nalign++];
    al->kind = k;
    al->query = q ? emb_arena_strndup(a, q, ql) : NULL;
    al->listed = c ? emb_arena_strndup(a, c, cl) : NULL;
    if ((q && !al->query) || (c && !al->listed))
        return EMB_ENOMEM;
    al->score = s;
    al->weight = w;
    al->edits = edits;
    return EMB_OK;
}

/* Whether two romanisation forms are equal once l and n meeting across
 * syllables are read as ll: Korean liquidisation, which McCune-Reischauer
 * writes in a joined name (Ch'ŏllam for 철남, chol + nam; Sŏllin, sol +
 * lin). */
static int liquid_equal(const char *a, size_t la, const char *b, size_t lb)
{
    if (la != lb || la < 4)
        return 0;
    int changed = 0;
    for (size_t i = 0; i < la; i++) {
        char x = a[i], y = b[i];
        if (x == y)
            continue;
        /* a position where one has l and the other n, next to an l */
        int liq = (x == 'l' && y == 'n') || (x == 'n' && y == 'l');
        int next_l = (i > 0 && a[i - 1] == 'l' && b[i - 1] == 'l') ||
                     (i + 1 < la && a[i + 1] == 'l' && b[i + 1] == 'l');
        if (!liq || !next_l)
            return 0;
        changed = 1;
    }
    return changed;
}

/* Initials written voiced in one romanisation and voiceless in another. */
static int voiced_pair(char a, char b)
{
    return a != b && emb_variant_devoice(a) == emb_variant_devoice(b);
}

/* Whether the parts s..e of `many` are each syllable-sized (up to six
 * letters, where the forms rewrite initials). */
static int syllable_run(const side *many, size_t s, size_t e)
{
    for (size_t x = s; x <= e; x++)
        if (many->l[x] > 6)
            return 0;
    return 1;
}

/* Compare a single token with a glued run, as spelled or as romanisation
 * forms (seokcheol ~ sok + chol), whichever is closer. */
static double glue_sim(const side *one, size_t i, const side *many, size_t s, size_t e,
                       const char *buf, size_t gl, emb_align_kind *k, int *edits)
{
    double best = 0.0;
    *k = EMB_ALIGN_EXTRA;
    *edits = 0;
    /* as spelled: about as long, and starting or ending alike */
    size_t lo = gl < one->l[i] ? gl : one->l[i], hi = gl < one->l[i] ? one->l[i] : gl;
    if (hi - lo <= (size_t)emb_edit_budget(hi) && buf[0] == one->t[i][0])
        best = tok_sim_str(one->t[i], one->l[i], buf, gl, k, edits);
    if (*k != EMB_ALIGN_EXACT && *k != EMB_ALIGN_INITIAL && best < EMB_VARIANT_FORM &&
        liquid_equal(one->t[i], one->l[i], buf, gl)) {
        best = EMB_VARIANT_FORM;
        *k = EMB_ALIGN_VARIANT;
        *edits = 0;
    }
    /* a run of two or three parts romanised from Arabic script read as one
     * Latin part (al syd ~ elsseid), as the scorer reads one part (abjad;
     * screening looks such runs up by their abjad key) */
    if (best < EMB_VARIANT_SKEL && e - s < 3 && many->abjad &&
        emb_abjad_equal(buf, gl, one->t[i], one->l[i])) {
        best = EMB_VARIANT_SKEL;
        *k = EMB_ALIGN_VARIANT;
        *edits = 0;
    }
    if (!one->flen[i] || best >= 1.0)
        return best;
    char fbuf[256];
    size_t fl = 0;
    for (size_t x = s; x <= e; x++) {
        if (!many->flen[x] || fl + many->flen[x] >= sizeof(fbuf))
            return best;
        memcpy(fbuf + fl, many->form[x], many->flen[x]);
        fl += many->flen[x];
    }
    const char *f1 = one->form[i];
    size_t n1 = one->flen[i];
    lo = fl < n1 ? fl : n1;
    hi = fl < n1 ? n1 : fl;
    if (fbuf[0] != f1[0] && voiced_pair(f1[0], fbuf[0]) && n1 == fl && syllable_run(many, s, e)) {
        /* the forms give a syllable-sized part's initial g, d, b as k, t, p
         * (Revised and McCune-Reischauer spellings); a joined given name's
         * first syllable is one too (Gwangil ~ kwang il): equal so, and
         * only equal (screening finds them by the halves' forms), a form
         * variant */
        if (memcmp(f1 + 1, fbuf + 1, n1 - 1) == 0 && EMB_VARIANT_FORM > best) {
            best = EMB_VARIANT_FORM;
            *k = EMB_ALIGN_VARIANT;
            *edits = 0;
        }
        return best;
    }
    if (hi - lo > (size_t)emb_edit_budget(hi) || fbuf[0] != f1[0])
        return best;
    emb_align_kind fk;
    int fe;
    double f = tok_sim_str(f1, n1, fbuf, fl, &fk, &fe);
    if (fk == EMB_ALIGN_EXACT || (fk != EMB_ALIGN_INITIAL && liquid_equal(f1, n1, fbuf, fl))) {
        f = EMB_VARIANT_FORM;   /* equal forms: a spelling variant, not the same letters */
        fk = EMB_ALIGN_EXACT;
        fe = 0;
    }
    if (f > best && fk != EMB_ALIGN_INITIAL && fk != EMB_ALIGN_EXTRA) {
        best = f;
        *k = fk == EMB_ALIGN_EXACT ? EMB_ALIGN_VARIANT : fk;
        *edits = fe;
    }
    return best;
}

/* Try to align runs of unused adjacent tokens of `many` (2..4 glued) with a
 * single unused token of `one`. */
static int glue_pass(emb_name_cmp *out, emb_arena *a, side *one, side *many, int one_is_query,
                     double min_sim, double *num, double *den)
{
    char buf[256];
    for (size_t i = 0; i < one->n; i++) {
        if (one->used[i])
            continue;
        for (size_t s = 0; s < many->n && !one->used[i]; s++) {
            /* a glued run starts like the single token, as spelled or as
             * forms; an Arabic-script run may not (its ayin is not written:
             * bd al mlk ~ abdulmalik) */
            if (many->used[s] || (many->t[s][0] != one->t[i][0] && !many->abjad &&
                                  !(one->flen[i] && many->flen[s] &&
                                    (many->form[s][0] == one->form[i][0] ||
                                     (many->l[s] <= 6 &&
                                      voiced_pair(one->form[i][0], many->form[s][0]))))))
                continue;
            size_t gl = 0;
            for (size_t e = s; e < many->n && e < s + 4; e++) {
                if (many->used[e] || gl + many->l[e] >= sizeof(buf))
                    break;
                memcpy(buf + gl, many->t[e], many->l[e]);
                gl += many->l[e];
                /* a query run does not end in a one-letter part: an initial
                 * after a name is not its last letter (MURPHY B. is not
                 * MURPHYB; L TD is LTD) */
                if (e == s || (!one_is_query && many->l[e] == 1))
                    continue;
                /* a glued run must be about as long as the single token */
                if (gl > one->l[i] + 4)
                    break; /* only gets longer */
                emb_align_kind k = EMB_ALIGN_EXTRA;
                int edits = 0;
                double sim = glue_sim(one, i, many, s, e, buf, gl, &k, &edits);
                if (sim < min_sim || k == EMB_ALIGN_INITIAL)
                    continue;
                if ((one->no_typos || many->no_typos) && (k == EMB_ALIGN_FUZZY || edits > 0))
                    continue;   /* a Hangul name's syllables, glued, are no typo either */
                double w = one->w[i];
                /* a glued run counts as distinctive evidence only if it covers
                 * a listed part that is not a legal form or generic word */
                if (one_is_query) {
                    for (size_t x = s; x <= e; x++)
                        out->glued_distinctive |= many->cls[x] == EMB_WORD_NONE;
                } else {
                    out->glued_distinctive |= one->cls[i] == EMB_WORD_NONE;
                }
                for (size_t x = s; x <= e; x++)
                    many->used[x] = 1;
                one->used[i] = 1;
                *num += sim * w;
                *den += w;
                int rc = one_is_query
                             ? push_align(out, a, EMB_ALIGN_VARIANT, one->t[i], one->l[i], buf, gl,
                                          sim, w, edits)
                             : push_align(out, a, EMB_ALIGN_VARIANT, buf, gl, one->t[i], one->l[i],
                                          sim, w, edits);
                if (rc < 0)
                    return rc;
                out->nglued++;
                break;
            }
        }
    }
    return EMB_OK;
}

/* Unaligned part i of one side sits where a middle name or patronymic goes:
 * the nearest aligned parts before and after it align one to one, and not
 * as initials (at[]: their partners' positions, SIZE_MAX otherwise), with
 * consecutive parts of the other side, in order (NUSRET [SULEJMAN] IMAMOVIC
 * against NUSRET IMAMOVIC). */
static int inner_part(const side *sd, const size_t *at, size_t i)
{
    size_t b = i, e = i;
    while (b > 0 && !sd->used[b - 1])
        b--;
    while (e + 1 < sd->n && !sd->used[e + 1])
        e++;
    if (b == 0 || e + 1 >= sd->n)
        return 0;
    size_t pa = at[b - 1], pb = at[e + 1];
    return pa != SIZE_MAX && pb != SIZE_MAX && pb == pa + 1;
}

/* A one-part name of EMB_ACR_MIN..EMB_ACR_MAX letters a-z. */
static int acronym_like(const char *t, size_t n)
{
    if (n < EMB_ACR_MIN || n > EMB_ACR_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (t[i] < 'a' || t[i] > 'z')
            return 0;
    return 1;
}

/* Whether a[0..al) is one of the nf acronyms f. */
static int among(const char f[][EMB_ACR_MAX + 1], size_t nf, const char *a, size_t al)
{
    for (size_t k = 0; k < nf; k++)
        if (strlen(f[k]) == al && memcmp(f[k], a, al) == 0)
            return 1;
    return 0;
}

/* An organisation's name and a one-part name its initials spell, either
 * way round (the query LRA, the listed LORD'S RESISTANCE ARMY; or, for a
 * query of an organisation, the reverse: most three-part names' initials
 * spell some listed acronym): scored EMB_ACRONYM_SCORE, one alignment of the acronym with the
 * whole name. Screening finds such names through ix->acr_off (a query
 * acronym) and the vocabulary (a listed one). */
static int acronym_pass(emb_name_cmp *out, const emb_index *ix, const emb_qname *q,
                        const emb_pname *p, emb_arena *a)
{
    if (q->script || !emb_acronym_name(ix, p))
        return EMB_OK;
    const uint32_t *pt = ix->name_toks + p->tok_off;
    char whole[EMB_NAME_MAX_TOKENS * (EMB_ACR_MAX + 1)];
    int dir = 0;
    if (q->ntok == 1 && p->ntok >= EMB_ACR_MIN && acronym_like(q->toks[0], q->lens[0])) {
        char f[2][EMB_ACR_MAX + 1];
        dir = among(f, emb_pname_acronyms(ix, p, f), q->toks[0], q->lens[0]) ? 1 : 0;
    } else if (p->ntok == 1 && q->nacr) {
        const emb_vtok *v = &ix->toks[pt[0]];
        dir = acronym_like(emb_tok_s(ix, v), v->len) &&
                      among(q->acr, q->nacr, emb_tok_s(ix, v), v->len)
                  ? 2
                  : 0;
    }
    if (!dir)
        return EMB_OK;
    const char *acr = dir == 1 ? q->toks[0] : emb_tok_s(ix, &ix->toks[pt[0]]);
    size_t al = dir == 1 ? q->lens[0] : ix->toks[pt[0]].len, wl = 0;
    size_t n = dir == 1 ? p->ntok : q->ntok;
    for (size_t i = 0; i < n; i++) {
        const char *t = dir == 1 ? emb_tok_s(ix, &ix->toks[pt[i]]) : q->toks[i];
        size_t tl = dir == 1 ? ix->toks[pt[i]].len : q->lens[i];
        if (wl + tl + 1 >= sizeof(whole))
            break;
        if (wl)
            whole[wl++] = ' ';
        memcpy(whole + wl, t, tl);
        wl += tl;
    }
    emb_align *keep = out->align;
    memset(out, 0, sizeof(*out));
    out->align = keep;
    out->score = EMB_ACRONYM_SCORE;
    out->acronym = dir;
    out->nvariant = 1;
    return dir == 1 ? push_align(out, a, EMB_ALIGN_VARIANT, acr, al, whole, wl,
                                 EMB_ACRONYM_SCORE, 1.0, 0)
                    : push_align(out, a, EMB_ALIGN_VARIANT, whole, wl, acr, al,
                                 EMB_ACRONYM_SCORE, 1.0, 0);
}

int emb_score_name(emb_name_cmp *out, const emb_index *ix, const emb_qname *q,
                   const emb_pname *p, int person, int vessel, int record, emb_arena *a)
{
    memset(out, 0, sizeof(*out));
    if (record) {
        out->align = emb_arena_alloc(a, 2 * EMB_NAME_MAX_TOKENS * sizeof(emb_align));
        if (!out->align)
            return EMB_ENOMEM;
    }
    side qs, cs;
    size_t qskip = person && q->title_skip < q->ntok ? q->title_skip : 0;
    if ((vessel || p->kind == EMB_NAME_VESSEL) && q->vessel_skip < q->ntok)
        qskip = q->vessel_skip;
    qs.n = q->ntok - qskip;
    qs.abjad = q->abjad;
    cs.abjad = 0;
    qs.no_typos = q->no_typos;
    cs.no_typos = 0;
    for (size_t i = 0; i < qs.n; i++) {
        qs.t[i] = q->toks[i + qskip];
        qs.l[i] = q->lens[i + qskip];
        qs.form[i] = q->form[i + qskip];
        qs.flen[i] = q->flen[i + qskip];
        qs.w[i] = q->w[i + qskip];
        qs.used[i] = 0;
    }
    cs.n = p->ntok;
    for (size_t j = 0; j < cs.n; j++) {
        const emb_vtok *v = &ix->toks[ix->name_toks[p->tok_off + j]];
        cs.t[j] = emb_tok_s(ix, v);
        cs.l[j] = v->len;
        cs.w[j] = v->w;
        cs.cls[j] = v->cls;
        /* the form key is stored as "f:<form>" in the index's key table */
        if (v->vkey[EMB_VK_FORM] != EMB_NO_KEY) {
            cs.form[j] = emb_strtab_s(&ix->keys, v->vkey[EMB_VK_FORM]) + 2;
            cs.flen[j] = ix->keys.len[v->vkey[EMB_VK_FORM]] - 2;
        } else {
            cs.form[j] = NULL;
            cs.flen[j] = 0;
        }
        cs.used[j] = 0;
    }
    /* identical sequence */
    if (qs.n == cs.n) {
        size_t i = 0;
        while (i < qs.n && qs.l[i] == cs.l[i] && memcmp(qs.t[i], cs.t[i], qs.l[i]) == 0)
            i++;
        if (i == qs.n) {
            out->exact = 1;
            out->score = 1.0;
            out->nexact = (unsigned)qs.n;
            for (i = 0; i < qs.n; i++)
                if (push_align(out, a, EMB_ALIGN_EXACT, qs.t[i], qs.l[i], cs.t[i], cs.l[i], 1.0,
                               cs.w[i], 0) < 0)
                    return EMB_ENOMEM;
            return EMB_OK;
        }
    }
    double sim[EMB_NAME_MAX_TOKENS][EMB_NAME_MAX_TOKENS];
    emb_align_kind kind[EMB_NAME_MAX_TOKENS][EMB_NAME_MAX_TOKENS];
    int edits[EMB_NAME_MAX_TOKENS][EMB_NAME_MAX_TOKENS];
    /* an organisation's one-part name of up to five letters is mostly an
     * acronym (MID, MIT; KOMID): it matches as spelled, never as a
     * spelling variant or fuzzily */
    int exact_only = !person && !vessel && cs.n == 1 && cs.l[0] <= 5 && emb_acronym_name(ix, p);
    for (size_t i = 0; i < qs.n; i++)
        for (size_t j = 0; j < cs.n; j++) {
            sim[i][j] = tok_sim_id(ix, q, i + qskip, ix->name_toks[p->tok_off + j], person,
                                   &kind[i][j], &edits[i][j]);
            if (exact_only && kind[i][j] != EMB_ALIGN_EXACT)
                sim[i][j] = 0.0;
        }
    double num = 0.0, den = 0.0;
    int distinctive = 0;   /* a part that is not a legal form or generic word aligned */
    size_t at_c[EMB_NAME_MAX_TOKENS];   /* listed position aligned to query position i */
    size_t anchor_c[EMB_NAME_MAX_TOKENS]; /* the same, for alignments other than initials */
    for (size_t i = 0; i < qs.n; i++)
        at_c[i] = anchor_c[i] = SIZE_MAX;
    /* the pairs that can align (similarity above 1e-9, which the selection
     * below never takes otherwise), in scan order */
    uint8_t cand[EMB_NAME_MAX_TOKENS * EMB_NAME_MAX_TOKENS][2];
    size_t ncand = 0;
    for (size_t i = 0; i < qs.n; i++)
        for (size_t j = 0; j < cs.n; j++)
            if (sim[i][j] > 1e-9) {
                cand[ncand][0] = (uint8_t)i;
                cand[ncand][1] = (uint8_t)j;
                ncand++;
            }
    for (;;) {
        double best = 0.0;
        size_t bi = 0, bj = 0;
        int bctx = 0;
        for (size_t c = 0; c < ncand; c++) {
            size_t i = cand[c][0], j = cand[c][1];
            if (qs.used[i] || cs.used[j])
                continue;
            /* ties: prefer the pair whose neighbours can align too (the al
             * of al-houthi goes with houthi, not with an earlier al), then
             * the pair closest to the diagonal */
            int ctx = (i + 1 < qs.n && j + 1 < cs.n && sim[i + 1][j + 1] > 1e-9) +
                      (i > 0 && j > 0 && sim[i - 1][j - 1] > 1e-9);
            if (sim[i][j] > best + 1e-9 ||
                (sim[i][j] > best - 1e-9 &&
                 (ctx > bctx || (ctx == bctx && labs((long)i - (long)j) <
                                                    labs((long)bi - (long)bj))))) {
                best = sim[i][j];
                bi = i;
                bj = j;
                bctx = ctx;
            }
        }
        if (best <= 0.0)
            break;
        /* an initial against a full part is weak evidence */
        /* a pair weighs as its rarer part when equal or an initial, as
         * its commoner part when a spelling variant or fuzzy: "co" is not
         * as telling as the rare "goh" it resembles, and a misspelt part
         * (unknown, so rare) is only as telling as the listed part */
        double w = kind[bi][bj] == EMB_ALIGN_EXACT || kind[bi][bj] == EMB_ALIGN_INITIAL
                       ? (cs.w[bj] > qs.w[bi] ? cs.w[bj] : qs.w[bi])
                       : (cs.w[bj] < qs.w[bi] ? cs.w[bj] : qs.w[bi]);
        if (kind[bi][bj] == EMB_ALIGN_INITIAL)
            w *= 0.5;
        qs.used[bi] = cs.used[bj] = 1;
        at_c[bi] = bj;
        if (kind[bi][bj] != EMB_ALIGN_INITIAL)
            anchor_c[bi] = bj;
        if (cs.cls[bj] == EMB_WORD_NONE && kind[bi][bj] != EMB_ALIGN_INITIAL)
            distinctive = 1;   /* exact, spelling variant or fuzzy on a real part */
        num += best * w;
        den += w;
        if (push_align(out, a, kind[bi][bj], qs.t[bi], qs.l[bi], cs.t[bj], cs.l[bj], best, w,
                       edits[bi][bj]) < 0)
            return EMB_ENOMEM;
        switch (kind[bi][bj]) {
        case EMB_ALIGN_EXACT: out->nexact++; break;
        case EMB_ALIGN_FUZZY: out->nfuzzy++; break;
        case EMB_ALIGN_INITIAL: out->ninitial++; break;
        default: out->nvariant++; break;
        }
    }
    /* glued runs, only when both sides still have unaligned parts */
    size_t uq = 0, uc = 0;
    double wq = 0.0, wc = 0.0;
    for (size_t i = 0; i < qs.n; i++)
        if (!qs.used[i]) {
            uq++;
            wq += qs.w[i];
        }
    for (size_t j = 0; j < cs.n; j++)
        if (!cs.used[j]) {
            uc++;
            wc += cs.w[j];
        }
    /* the best glued alignments could do: every unaligned part aligned at
     * full score; not worth trying below EMB_GLUE_FLOOR */
    double ub_q = (num + wq) / (den + wq), ub_c = (num + wc) / (den + wc);
    if (uq && uc && (uq > 1 || uc > 1) && (ub_q > ub_c ? ub_q : ub_c) >= EMB_GLUE_FLOOR) {
        if (glue_pass(out, a, &qs, &cs, 1, exact_only ? 1.0 : EMB_GLUE_MIN_SIM, &num, &den) < 0 ||
            glue_pass(out, a, &cs, &qs, 0, exact_only ? 1.0 : EMB_GLUE_MIN_SIM, &num, &den) < 0)
            return EMB_ENOMEM;
    }
    /* a listed part the query leaves out costs less in a middle-name slot
     * (TARAD ALJARBA against TARAD MOHAMMAD ALNORI ALFARES ALJARBA) */
    size_t at_q[EMB_NAME_MAX_TOKENS];   /* query position aligned to listed position j */
    for (size_t j = 0; j < cs.n; j++)
        at_q[j] = SIZE_MAX;
    for (size_t i = 0; i < qs.n; i++)
        if (anchor_c[i] != SIZE_MAX)
            at_q[anchor_c[i]] = i;
    for (size_t j = 0; j < cs.n; j++) {
        if (cs.used[j])
            continue;
        double wm = (inner_part(&cs, at_q, j) ? EMB_W_MISSING_LISTED : EMB_W_MISSING_OUTER) *
                    cs.w[j];
        den += wm;
        out->nmissing++;
        if (push_align(out, a, EMB_ALIGN_MISSING, NULL, 0, cs.t[j], cs.l[j], 0.0, wm, 0) < 0)
            return EMB_ENOMEM;
    }
    /* an extra query part in a middle-name slot costs less when the whole
     * listed name was found in the query (NUSRET SULEJMAN IMAMOVIC against
     * NUSRET IMAMOVIC); a title word (Colonel, Haji) costs nothing in a
     * person name */
    for (size_t i = 0; i < qs.n; i++) {
        if (qs.used[i])
            continue;
        double wextra = !out->nmissing && inner_part(&qs, anchor_c, i) ? EMB_W_EXTRA_CONTAINED
                                                                       : EMB_W_EXTRA_QUERY;
        double w = person && q->is_title[i + qskip] ? 0.0 : wextra * qs.w[i];
        den += w;
        out->nextra++;
        if (push_align(out, a, EMB_ALIGN_EXTRA, qs.t[i], qs.l[i], NULL, 0, 0.0, w, 0) < 0)
            return EMB_ENOMEM;
    }
    double s = den > 0 ? num / den : 0.0;
    if (s > 0.99)
        s = 0.99;
    /* legal forms and generic words ("trading corporation") never carry a
     * match on their own; glued alignments count as distinctive */
    int listed_distinctive = 0;
    for (size_t j = 0; j < cs.n; j++)
        listed_distinctive |= cs.cls[j] == EMB_WORD_NONE;
    if (!distinctive && !out->glued_distinctive && (listed_distinctive || out->nmissing) &&
        s > EMB_GENERIC_ONLY_CAP)
        s = EMB_GENERIC_ONLY_CAP;
    /* an initial is evidence only beside a part that agrees exactly */
    if (out->ninitial && !out->nexact && s > EMB_INITIAL_NO_ANCHOR_CAP)
        s = EMB_INITIAL_NO_ANCHOR_CAP;
    /* parts in another order: moving the family name to the other end is a
     * rotation and costs nothing; any other shuffle (given-name syllables
     * swapped: young soo / su yong) is a different name more often than not */
    size_t npos = 0, descents = 0, first = 0, prev = 0;
    for (size_t i = 0; i < qs.n; i++) {
        if (at_c[i] == SIZE_MAX)
            continue;
        if (npos == 0)
            first = at_c[i];
        else if (at_c[i] < prev)
            descents++;
        prev = at_c[i];
        npos++;
    }
    if (person && npos >= 3 && (descents > 1 || (descents == 1 && prev > first)))
        s *= EMB_ORDER_PENALTY;
    out->score = s;
    if (s < EMB_ACRONYM_SCORE && !person && !vessel)
        return acronym_pass(out, ix, q, p, a);
    return EMB_OK;
}

/* ---- corroboration ------------------------------------------------------ */

/* Read 1..max digits at *p; returns the count read. */
static size_t digits(const char **p, const char *end, size_t max, int *v)
{
    size_t k = 0;
    *v = 0;
    while (*p < end && k < max && isdigit((unsigned char)**p)) {
        *v = *v * 10 + (**p - '0');
        (*p)++;
        k++;
    }
    return k;
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

int emb_qdate_parse(emb_qdate *out, const char *s)
{
    memset(out, 0, sizeof(*out));
    out->raw = s;
    const char *p = s, *end = s + strlen(s);
    while (p < end && *p == ' ')
        p++;
    while (end > p && end[-1] == ' ')
        end--;
    /* a full ISO timestamp keeps its date part */
    for (const char *t = p; t < end; t++)
        if (*t == 'T' && t - p >= 8) {
            end = t;
            break;
        }
    /* YYYY, YYYY-M[M], YYYY-M[M]-D[D]; '-', '/' or '.' between the parts */
    if (digits(&p, end, 4, &out->year) != 4 || out->year < 1000 || out->year > 2999)
        goto bad;
    if (p < end) {
        char sep = *p++;
        if ((sep != '-' && sep != '/' && sep != '.') || !digits(&p, end, 2, &out->month) ||
            out->month < 1 || out->month > 12)
            goto bad;
        if (p < end) {
            if (*p++ != sep || !digits(&p, end, 2, &out->day) || out->day < 1 ||
                out->day > days_in_month(out->year, out->month))
                goto bad;
        }
    }
    if (p != end)
        goto bad;
    return EMB_OK;
bad:
    return emb_err_set(EMB_EINVAL, "birth date '%s' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)", s);
}

/* 2: agree at day/month level, 1: agree at year level, 0: conflict within
 * the year (month or day differ), -1: years one apart, -2: years conflict */
static int date_cmp(const emb_qdate *q, const emb_date *d)
{
    switch (d->prec) {
    case EMB_DATE_RANGE:
        if (q->year >= d->year && q->year <= d->year_to)
            return 1;
        return (q->year == d->year - 1 || q->year == d->year_to + 1) ? -1 : -2;
    case EMB_DATE_APPROX:
        if (abs(q->year - d->year) <= EMB_APPROX_YEARS)
            return 1;
        return abs(q->year - d->year) == EMB_APPROX_YEARS + 1 ? -1 : -2;
    case EMB_DATE_YEAR:
    case EMB_DATE_MONTH:
    case EMB_DATE_DAY:
        if (q->year != d->year)
            return abs(q->year - d->year) == 1 ? -1 : -2;
        if (d->prec == EMB_DATE_YEAR)
            return 1;
        if (!q->month)
            return 1;
        if (q->month != d->month) {
            /* day and month swapped counts as agreement within the year */
            if (d->prec == EMB_DATE_DAY && q->day && q->day == d->month && q->month == d->day)
                return 1;
            return 0;
        }
        if (d->prec == EMB_DATE_MONTH || !q->day)
            return 2;
        return q->day == d->day ? 2 : 0;
    default:
        return -3; /* not comparable */
    }
}

static int add_ev(emb_arena *a, emb_evidence **ev, size_t *nev, emb_evidence_field f,
                  emb_evidence_outcome o, const char *q, const char *l, double effect)
{
    emb_evidence *n = emb_arena_alloc(a, (*nev + 1) * sizeof(emb_evidence));
    if (!n)
        return EMB_ENOMEM;
    if (*nev)
        memcpy(n, *ev, *nev * sizeof(emb_evidence));
    n[*nev].field = f;
    n[*nev].outcome = o;
    n[*nev].query = q;
    n[*nev].listed = l;
    n[*nev].effect = effect;
    *ev = n;
    (*nev)++;
    return EMB_OK;
}

static const char *date_label(emb_arena *a, const emb_date *d)
{
    if (d->raw)
        return d->raw;
    char b[32];
    snprintf(b, sizeof(b), "%04d", d->year);
    return emb_arena_strdup(a, b);
}

int emb_corroborate_can(const emb_qfacts *f, const emb_entfacts *ef)
{
    int date = 0, country = 0;
    for (size_t i = 0; i < f->ndates; i++)
        if (!ef || (ef->ymin && f->dates[i].year >= ef->ymin && f->dates[i].year <= ef->ymax))
            date |= f->dates[i].month ? EMB_CAN_DATE : EMB_CAN_YEAR;   /* date_cmp: 2 needs a month */
    for (size_t i = 0; i < f->nccs && !country; i++)
        country = !ef || (ef->cc >> emb_cc_bit(f->ccs[i]) & 1);
    return date | (country ? EMB_CAN_COUNTRY : 0);
}

int emb_corroborate(double *score, const emb_qfacts *f, const emb_entity *e,
                    const emb_name *matched, emb_arena *a, emb_evidence **ev, size_t *nev)
{
    double s = *score, before;
    int rc = EMB_OK;
    if (matched && matched->kind == EMB_NAME_VESSEL) {
        if (f->nids)
            rc = add_ev(a, ev, nev, EMB_EV_IDENTIFIER, EMB_EV_NO_DATA, f->ids_raw[0], NULL, 0.0);
        if (rc == EMB_OK && f->ndates)
            rc = add_ev(a, ev, nev, EMB_EV_BIRTH_DATE, EMB_EV_NO_DATA, f->dates[0].raw, NULL, 0.0);
        if (rc < 0)
            return rc;
        /* the country (a flag or an address) still speaks for the entry */
        emb_qfacts only_countries = *f;
        only_countries.ndates = 0;
        only_countries.nids = 0;
        only_countries.gender = NULL;
        return emb_corroborate(score, &only_countries, e, NULL, a, ev, nev);
    }
    if (f->ndates) {
        int best = -4;
        const emb_date *bd = NULL;
        const emb_qdate *bq = &f->dates[0];
        for (size_t i = 0; i < f->ndates; i++)
            for (size_t j = 0; j < e->nbirth_dates; j++) {
                int c = date_cmp(&f->dates[i], &e->birth_dates[j]);
                if (c > best) {
                    best = c;
                    bd = &e->birth_dates[j];
                    bq = &f->dates[i];
                }
            }
        before = s;
        if (best <= -3 || !bd) {
            rc = add_ev(a, ev, nev, EMB_EV_BIRTH_DATE, EMB_EV_NO_DATA, bq->raw, NULL, 0.0);
        } else {
            if (best == 2)
                s = emb_corroborate_lift(s, EMB_AGREE_DAY);
            else if (best == 1)
                s = emb_corroborate_lift(s, EMB_AGREE_YEAR);
            else if (best == 0)
                s *= CONFLICT_DAY;
            else if (best == -1)
                s *= CONFLICT_YEAR_NEAR;
            else
                s *= CONFLICT_YEAR;
            rc = add_ev(a, ev, nev, EMB_EV_BIRTH_DATE, best >= 1 ? EMB_EV_AGREE : EMB_EV_CONFLICT,
                        bq->raw, date_label(a, bd), s - before);
        }
        if (rc < 0)
            return rc;
    }
    if (f->nccs) {
        /* every country the entry states: nationality, birth, address, document */
        const char *lc[256];
        size_t nl = 0;
        for (size_t j = 0; j < e->nnationalities && nl < 256; j++)
            if (e->nationalities[j].cc)
                lc[nl++] = e->nationalities[j].cc;
        for (size_t j = 0; j < e->nbirth_places && nl < 256; j++)
            if (e->birth_places[j].cc)
                lc[nl++] = e->birth_places[j].cc;
        for (size_t j = 0; j < e->naddresses && nl < 256; j++)
            if (e->addresses[j].cc)
                lc[nl++] = e->addresses[j].cc;
        for (size_t j = 0; j < e->nidentifiers && nl < 256; j++)
            if (e->identifiers[j].cc)
                lc[nl++] = e->identifiers[j].cc;
        const char *hitq = NULL, *hitl = NULL;
        for (size_t i = 0; i < f->nccs && !hitq; i++)
            for (size_t j = 0; j < nl; j++)
                if (strcmp(f->ccs[i], lc[j]) == 0) {
                    hitq = f->ccs[i];
                    hitl = lc[j];
                    break;
                }
        before = s;
        if (!nl) {
            rc = add_ev(a, ev, nev, EMB_EV_COUNTRY, EMB_EV_NO_DATA, f->ccs[0], NULL, 0.0);
        } else if (hitq) {
            s = emb_corroborate_lift(s, EMB_AGREE_COUNTRY);
            rc = add_ev(a, ev, nev, EMB_EV_COUNTRY, EMB_EV_AGREE, hitq, hitl, s - before);
        } else {
            s *= CONFLICT_COUNTRY;
            rc = add_ev(a, ev, nev, EMB_EV_COUNTRY, EMB_EV_CONFLICT, f->ccs[0], lc[0], s - before);
        }
        if (rc < 0)
            return rc;
    }
    if (f->nids) {
        const char *hitq = NULL, *hitl = NULL;
        emb_id_kind hitk = EMB_ID_OTHER;
        for (size_t i = 0; i < f->nids && !hitq; i++)
            for (size_t j = 0; j < e->nidentifiers; j++)
                if (e->identifiers[j].norm && strcmp(f->ids[i], e->identifiers[j].norm) == 0) {
                    hitq = f->ids_raw[i];
                    hitl = e->identifiers[j].number;
                    hitk = e->identifiers[j].kind;
                    break;
                }
        before = s;
        if (hitq) {
            s += (1.0 - s) * AGREE_ID;
            /* a ship's IMO number (check digit valid) or MMSI names one vessel:
             * equal numbers are decisive whatever the name says */
            if ((hitk == EMB_ID_IMO || hitk == EMB_ID_MMSI) && s < DECISIVE_ID)
                s = DECISIVE_ID;
            rc = add_ev(a, ev, nev, EMB_EV_IDENTIFIER, EMB_EV_AGREE, hitq, hitl, s - before);
        } else if (!e->nidentifiers) {
            rc = add_ev(a, ev, nev, EMB_EV_IDENTIFIER, EMB_EV_NO_DATA, f->ids_raw[0], NULL, 0.0);
        } else {
            /* a person holds many documents: a different number is not a conflict
             * strong enough to lower the score, but it is reported */
            rc = add_ev(a, ev, nev, EMB_EV_IDENTIFIER, EMB_EV_CONFLICT, f->ids_raw[0],
                        e->identifiers[0].number, 0.0);
        }
        if (rc < 0)
            return rc;
    }
    if (f->gender) {
        before = s;
        if (!e->gender) {
            rc = add_ev(a, ev, nev, EMB_EV_GENDER, EMB_EV_NO_DATA, f->gender, NULL, 0.0);
        } else if (strcmp(f->gender, e->gender) == 0) {
            rc = add_ev(a, ev, nev, EMB_EV_GENDER, EMB_EV_AGREE, f->gender, e->gender, 0.0);
        } else {
            s *= CONFLICT_GENDER;
            rc = add_ev(a, ev, nev, EMB_EV_GENDER, EMB_EV_CONFLICT, f->gender, e->gender,
                        s - before);
        }
        if (rc < 0)
            return rc;
    }
    *score = s;
    return EMB_OK;
}
