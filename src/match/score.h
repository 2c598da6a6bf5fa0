/*
 * score.h - compare one prepared query name with one prepared listed name,
 * and weigh the corroborating fields (birth date, country, identifiers,
 * gender) of a query against an entity. Every decision is recorded as
 * alignments and evidence so the explanation is the scorer's own trace.
 * All output is allocated in the caller's scratch arena.
 */
#ifndef EMB_SCORE_H
#define EMB_SCORE_H

#include "embargo.h"
#include "match/index.h"
#include "util/arena.h"

/* Weights of unmatched parts in the name score's denominator (relative to
 * the token's own weight): an extra query part costs much, a listed part
 * the query leaves out costs little. A part in a middle-name slot (between
 * two parts aligned with consecutive parts of the other name, in order: a
 * middle name or patronymic one side gives and the other leaves out) costs
 * less than one at either end (a given or family name more or less).
 * Screening bounds scores from EMB_W_EXTRA_QUERY, EMB_W_EXTRA_CONTAINED and
 * EMB_W_MISSING_LISTED (match/screen.c, plan_name_bound), so these three
 * are the least each case costs: an extra query part at least
 * min(EMB_W_EXTRA_CONTAINED, EMB_W_EXTRA_QUERY), and at least
 * EMB_W_EXTRA_QUERY once a listed part is missing; a missing listed part at
 * least EMB_W_MISSING_LISTED. */
#define EMB_W_EXTRA_QUERY 0.5        /* an extra query part */
#define EMB_W_EXTRA_CONTAINED 0.2    /* one in a middle-name slot, the whole listed name aligned */
#define EMB_W_MISSING_OUTER 0.2      /* a listed part the query leaves out, at either end */
#define EMB_W_MISSING_LISTED 0.1     /* one in a middle-name slot */
#define EMB_INITIAL_SCORE 0.85       /* an initial against a full part (half weight) */
#define EMB_INITIAL_NO_ANCHOR_CAP 0.79 /* initials without any exactly equal part */
#define EMB_FUZZY_SLOPE 1.2          /* fuzzy score: 1 - 1.2 * edits / length */
#define EMB_ORDER_PENALTY 0.88       /* parts reordered other than by rotation */
#define EMB_GLUE_FLOOR 0.50          /* glued runs are tried only if they could reach this */
#define EMB_GLUE_MIN_SIM 0.75        /* a glued run aligns from this similarity */
#define EMB_WEAK_ALIAS_MIN 0.95   /* weak aliases count only from this name score */
#define EMB_WEAK_ALIAS_FACTOR 0.90
#define EMB_GENERIC_ONLY_CAP 0.45      /* only generic words or initials aligned: below the default cutoff */
/* An acronym the list does not give, spelt by a name's initials (LRA,
 * Lord's Resistance Army), either way round: a candidate for review, below
 * the default threshold; acronyms the list gives match as names do. */
#define EMB_ACRONYM_SCORE 0.70
/* Scores of spelling variants (text/variants.h): same class, same
 * romanisation form, same consonant skeleton. */
#define EMB_VARIANT_CLASS 0.95
#define EMB_VARIANT_FORM 0.93
#define EMB_VARIANT_SKEL 0.85

/* A vocabulary token within the edit budget of a query token. */
typedef struct emb_near {
    uint32_t tok;
    uint32_t edits;
} emb_near;

typedef struct emb_qname {
    const char *raw;                     /* the query name as given */
    const char *toks[EMB_NAME_MAX_TOKENS];
    size_t lens[EMB_NAME_MAX_TOKENS];
    int64_t ids[EMB_NAME_MAX_TOKENS];    /* vocabulary id or -1 */
    float w[EMB_NAME_MAX_TOKENS];
    uint32_t vkey[EMB_NAME_MAX_TOKENS][3];      /* variant keys (index.h) */
    const char *form[EMB_NAME_MAX_TOKENS];      /* romanisation form, or NULL */
    size_t flen[EMB_NAME_MAX_TOKENS];
    const emb_near *near[EMB_NAME_MAX_TOKENS];  /* fuzzy partners, sorted by tok (none
                                                 * for a name written in Hangul) */
    size_t nnear[EMB_NAME_MAX_TOKENS];
    uint64_t nearbits[EMB_NAME_MAX_TOKENS];     /* bit emb_near_bit(tok) of each partner:
                                                 * a clear bit rules a token out */
    uint8_t no_typos;                    /* a machine romanisation (Hangul): no fuzzy
                                          * pair, alone or glued */
    uint8_t abjad;                       /* the name romanises one written in Arabic
                                          * script (text/variants.h, abjad) */
    uint32_t akey[EMB_NAME_MAX_TOKENS];   /* abjad key id of each part (abjad), or
                                          * EMB_NO_KEY */
    uint32_t classed;                    /* bit i: token i is in a variant class
                                          * (data/names/variant_classes.txt), known
                                          * to the index or not */
    size_t ntok;
    size_t title_skip;                   /* leading title tokens (persons only) */
    uint8_t is_title[EMB_NAME_MAX_TOKENS]; /* a one-word title anywhere (persons only) */
    uint8_t cls[EMB_NAME_MAX_TOKENS];    /* emb_word_class of each token */
    /* the acronyms its initials spell, for an Organization query only (else
     * none): they may be an organisation's one-part name */
    char acr[2][EMB_ACR_MAX + 1];
    size_t nacr;
    size_t vessel_skip;                  /* leading M/V, MV, M/T... (vessel names only) */
    uint8_t script;                      /* script-preserving form */
} emb_qname;

/* A token's bit in emb_qname.nearbits. */
static inline uint64_t emb_near_bit(uint32_t tok)
{
    return (uint64_t)1 << ((tok * 0x9E3779B9u) >> 26);
}

typedef struct emb_name_cmp {
    double score;
    int exact;                 /* identical token sequence */
    emb_align *align;
    size_t nalign;
    unsigned nexact, nvariant, nglued, nfuzzy, ninitial, nextra, nmissing;
    unsigned glued_distinctive;   /* a glued run covered a real (non-generic) listed part */
    int acronym;               /* scored as an acronym (EMB_ACRONYM_SCORE): 1 the query
                                * is the listed name's initials, 2 the reverse */
} emb_name_cmp;

/* person: the listed entity is a person (leading query titles are skipped);
 * vessel: it is a vessel (a leading M/V, MV, MT... is skipped).
 * With record set, the alignment is written to out->align (allocated in a);
 * without it only the score and counts are computed, allocating nothing. */
int emb_score_name(emb_name_cmp *out, const emb_index *ix, const emb_qname *q,
                   const emb_pname *p, int person, int vessel, int record, emb_arena *a);

/* A parsed query date. */
typedef struct emb_qdate {
    int year, month, day;      /* month/day 0 when absent */
    const char *raw;
} emb_qdate;

int emb_qdate_parse(emb_qdate *out, const char *s);

typedef struct emb_qfacts {
    emb_qdate dates[EMB_QUERY_MAX_VALUES];
    size_t ndates;
    const char *ccs[EMB_QUERY_MAX_VALUES];     /* ISO alpha-2, lower case */
    size_t nccs;
    const char *ids[EMB_QUERY_MAX_VALUES];     /* normalised */
    const char *ids_raw[EMB_QUERY_MAX_VALUES];
    size_t nids;
    const char *gender;                        /* "male"/"female" or NULL */
} emb_qfacts;

/* Adjust `score` by the evidence; appends emb_evidence records. `matched`
 * is the entity's name that matched: through a vessel named in the remarks,
 * the entry's own birth dates, gender and identifiers (a company's IMO
 * number) say nothing about the vessel and are reported as no data. */
/* The most corroboration can lift a name score s against an entity with
 * summary ef (any entity when ef is NULL), as a factor g: the final score is
 * at most 1 - (1 - s) * g. Birth dates and countries only; an identifier
 * agrees only with an entity holding it, which screening scores in any
 * case. */
#define EMB_CAN_DATE 1       /* a birth date may agree to the month or day */
#define EMB_CAN_COUNTRY 2
#define EMB_CAN_YEAR 4       /* a birth date may agree to the year only (the query's
                              * dates are years) */
int emb_corroborate_can(const emb_qfacts *f, const emb_entfacts *ef);

#define EMB_AGREE_DAY 0.50       /* birth date, same day or month */
#define EMB_AGREE_YEAR 0.25      /* birth date, same year or within range */
#define EMB_AGREE_COUNTRY 0.15

/* A birth date or country that agrees moves a name score s toward 1 in
 * proportion to its own strength: s + k * s * (1 - s). A near match gains
 * almost k of the way; a weak one (0.3) about a third of that: the facts
 * confirm a name, they do not make one. Increasing in s for k < 1, so the
 * order of name scores is kept. */
static inline double emb_corroborate_lift(double s, double k)
{
    return s + k * s * (1.0 - s);
}

/* The most corroboration that `can` (emb_corroborate_can) lifts name score
 * s to: increasing in s, so it bounds the final score of a name bounded by
 * s. */
static inline double emb_corroborate_most(double s, int can)
{
    if (can & EMB_CAN_DATE)
        s = emb_corroborate_lift(s, EMB_AGREE_DAY > EMB_AGREE_YEAR ? EMB_AGREE_DAY : EMB_AGREE_YEAR);
    else if (can & EMB_CAN_YEAR)
        s = emb_corroborate_lift(s, EMB_AGREE_YEAR);
    if (can & EMB_CAN_COUNTRY)
        s = emb_corroborate_lift(s, EMB_AGREE_COUNTRY);
    return s;
}

int emb_corroborate(double *score, const emb_qfacts *f, const emb_entity *e,
                    const emb_name *matched, emb_arena *a, emb_evidence **ev, size_t *nev);

#endif
