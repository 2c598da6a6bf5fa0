/*
 * embargo_check.h - `embargo check`: does a shipment or transaction fall
 * under a UN Security Council measure, and on what evidence?
 *
 * Open the regime data (emb_regimes_open_bundled: the DPRK 1718 measures,
 * the list of UNSC regimes and the HS keyword table compiled into the
 * library), then call emb_check with a JSON document describing the
 * transaction (schema: docs/CHECK.md) and a list set to screen its parties
 * and vessel against. The result is a decision, the findings it rests on
 * (measure, resolution, paragraph, why it applies, the data's confidence,
 * conditions) and the screening evidence. No rule is written in C: measures,
 * HS codes, caps, exemptions and dates come from data/regimes/.
 *
 * Include after embargo.h. All functions return EMB_OK (0) or a negative
 * emb_error; emb_err_last() gives the detail. An invalid input document
 * gives EMB_EPARSE (or EMB_ETOOBIG past a documented cap) with a message that
 * starts with the field path, e.g. "goods[1].hs: expected a string of digits".
 *
 * Ownership: an emb_regimes is immutable once opened; any number of threads
 * may check against one at once. A result owns every string and array
 * reachable from it (it copies what it needs from the list set), so it may
 * outlive the list set; free it with emb_check_result_free.
 */
#ifndef EMBARGO_CHECK_H
#define EMBARGO_CHECK_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- regime data -------------------------------------------------------- */

typedef struct emb_regimes emb_regimes;   /* opaque, immutable once opened */

/* The regime data compiled into the library (data/regimes/, see its
 * PROVENANCE.md). *out is set only on success. */
EMB_API int emb_regimes_open_bundled(emb_regimes **out);
/* Regime data from memory: the measures file (unsc-regime-measures/v1), the
 * regimes file (unsc-regimes/v1, may be NULL) and the HS keyword table (may
 * be NULL). The bytes are parsed and copied; the caller keeps them. On a
 * data error emb_err_last() names the measure and field. */
EMB_API int emb_regimes_open(emb_regimes **out, const char *measures_json, size_t measures_len,
                             const char *regimes_json, size_t regimes_len,
                             const char *keywords_tsv, size_t keywords_len);
EMB_API void emb_regimes_free(emb_regimes *rg);   /* NULL-safe */
/* Number of measures loaded, and how many the engine evaluates (those with a
 * "check" object). */
EMB_API size_t emb_regimes_measure_count(const emb_regimes *rg);
EMB_API size_t emb_regimes_checked_count(const emb_regimes *rg);

/* ---- decisions and confidence ------------------------------------------- */

/* Ordered: a larger value is a stricter outcome. */
typedef enum emb_decision {
    EMB_DECISION_NO_MEASURE_FOUND = 0,
    EMB_DECISION_PERMITTED_WITH_CONDITIONS = 1,
    EMB_DECISION_EXEMPTION_REQUIRED = 2,
    EMB_DECISION_PROHIBITED = 3
} emb_decision;

/* "NO_MEASURE_FOUND", "PERMITTED_WITH_CONDITIONS", "EXEMPTION_REQUIRED",
 * "PROHIBITED". Static storage. */
EMB_API const char *emb_decision_name(emb_decision d);

/* How sure the data is of a citation. Ordered: larger is surer. */
typedef enum emb_confidence {
    EMB_CONFIDENCE_UNVERIFIED = 0,   /* paragraph number not seen cited, or unknown */
    EMB_CONFIDENCE_SECONDARY = 1,    /* seen in a source quoting or citing the paragraph */
    EMB_CONFIDENCE_VERIFIED = 2      /* read in the official resolution text */
} emb_confidence;

/* "unverified", "secondary", "verified-from-text". Static storage. */
EMB_API const char *emb_confidence_name(emb_confidence c);

/* ---- checking ------------------------------------------------------------ */

typedef struct emb_check_opts {
    int version;            /* EMB_CHECK_OPTS_VERSION */
    double threshold;       /* screening: a party is designated if score >= threshold */
    const char *today;      /* YYYY-MM-DD used when the input has no "date"; NULL: the UTC date */
} emb_check_opts;
#define EMB_CHECK_OPTS_VERSION 1
#define EMB_CHECK_OPTS_INIT { EMB_CHECK_OPTS_VERSION, EMB_DEFAULT_THRESHOLD, NULL }

/* Largest input document, in bytes. */
#define EMB_CHECK_MAX_BYTES (1u << 20)

typedef struct emb_check_result emb_check_result;   /* opaque */

/* Check one transaction. `json` holds `len` bytes (need not be
 * NUL-terminated). `ls` is the list set to screen parties and the vessel
 * against; NULL skips screening (the result says so). *out is set only on
 * success; free it with emb_check_result_free. */
EMB_API int emb_check(emb_check_result **out, const emb_regimes *rg, const emb_lists *ls,
                      const char *json, size_t len);
EMB_API int emb_check_ex(emb_check_result **out, const emb_regimes *rg, const emb_lists *ls,
                         const char *json, size_t len, const emb_check_opts *opts);
EMB_API void emb_check_result_free(emb_check_result *r);   /* NULL-safe */

EMB_API emb_decision emb_check_decision(const emb_check_result *r);
/* Confidence of the decision: the weakest confidence among the findings it
 * relies on (for PROHIBITED, its best-supported ground; see docs/CHECK.md). */
EMB_API emb_confidence emb_check_confidence(const emb_check_result *r);
/* The date whose rules were applied (YYYY-MM-DD). Valid until free. */
EMB_API const char *emb_check_date(const emb_check_result *r);

/* One finding. Strings are owned by the result; NULL means "not known"
 * (e.g. a paragraph number the data lacks). */
typedef struct emb_check_finding {
    const char *measure;       /* measure id, e.g. "dprk-2397-5" (for a listing under a regime
                                  without measure data: "<regime id>:asset_freeze", or NULL) */
    const char *resolution;    /* "2397" */
    const char *paragraph;     /* "5", "8(b)", "annex IV", or NULL */
    const char *document;      /* "S/RES/2397 (2017)" */
    const char *summary;       /* one line, from the data */
    const char *trigger;       /* why it applies: which good, party, route or service */
    emb_confidence confidence;
    const char *const *conditions;  size_t nconditions;   /* what must hold, or would change it */
    const char *kind;          /* "prohibition", "cap", "condition", "designation", "consequence",
                                  "exemption", "superseded", "extended", "not_applicable" */
    emb_decision outcome;      /* what this finding alone decides (after its exemptions) */
    int applied;               /* 1: bears on the decision; 0: shown for information */
    int relied_on;             /* 1: the decision's confidence rests on it */
    const char *subject;       /* "goods[0]", "parties[1]", "vessel", "services[2]", or NULL */
    const char *status;        /* the data's status text, e.g. "in force" */
    const char *hs_code_source;/* goods findings: "resolution" or "indicative mapping"; else NULL */
    const char *inference;     /* goods mapped from their description: how; else NULL */
} emb_check_finding;

EMB_API size_t emb_check_finding_count(const emb_check_result *r);
/* In report order: parties, vessel, goods, services, then exemptions and
 * information. Pointer valid until emb_check_result_free. */
EMB_API const emb_check_finding *emb_check_finding_get(const emb_check_result *r, size_t i);

/* One screening hit, copied from the list set. */
typedef struct emb_check_hit {
    const char *list, *reference, *caption, *schema, *regime, *reason, *listed_on;
    double score;
    int match;                 /* score >= threshold: the party counts as designated */
} emb_check_hit;

/* One screened party or vessel. */
typedef struct emb_check_screened {
    const char *subject;       /* "parties[0]", "vessel" */
    const char *role;          /* party role, or NULL for the vessel */
    const char *name;
    const emb_check_hit *hits; size_t nhits;   /* best first */
    int designated;            /* some hit matched (and was listed by the check date) */
} emb_check_screened;

EMB_API size_t emb_check_screened_count(const emb_check_result *r);
EMB_API const emb_check_screened *emb_check_screened_get(const emb_check_result *r, size_t i);

/* Notes that qualify the answer (goods that could not be classified, lists
 * not screened...). */
EMB_API size_t emb_check_note_count(const emb_check_result *r);
EMB_API const char *emb_check_note(const emb_check_result *r, size_t i);

/* The whole result as one JSON object (shape: docs/CHECK.md), without a
 * trailing newline. Owned by the result; *len may be NULL. */
EMB_API const char *emb_check_result_json(const emb_check_result *r, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
