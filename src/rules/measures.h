/*
 * measures.h - the regime data behind `embargo check`, loaded and validated
 * once into plain structs: measures with their parsed HS codes and `check`
 * rules, resolution adoption dates, the input vocabulary, the list of UNSC
 * regimes and the HS keyword table. Everything lives in the regimes' arena
 * and is read-only after emb_regimes_open.
 */
#ifndef EMB_RULES_MEASURES_H
#define EMB_RULES_MEASURES_H

#include "util/compat.h"
#include "util/arena.h"
#include "embargo.h"
#include "embargo_check.h"

#define EMB_HS_MAX_DIGITS 10
#define EMB_RULES_MAX_LIST 64        /* entries in any one list of the data */

typedef struct emb_strs {
    const char **v;
    size_t n;
} emb_strs;

/* One HS code or range of a measure, with its display note. */
typedef struct emb_hs {
    char lo[EMB_HS_MAX_DIGITS + 1];  /* digits only */
    char hi[EMB_HS_MAX_DIGITS + 1];  /* same length as lo; equal to lo when no range */
    size_t len;
    const char *display;             /* the data's string, e.g. "2710 (aviation fuels)" */
    bool partial;                    /* narrower than the code: decided by keywords */
    const char *scope;               /* partial: the narrower scope in words */
    emb_strs keywords;               /* partial: description words that bring it in */
    bool from_resolution;            /* the resolution's own HS code */
} emb_hs;

typedef struct emb_hs_list {
    emb_hs *v;
    size_t n;
} emb_hs_list;

/* Parse one hs_codes string ("50-63 (Section XI, indicative)",
 * "2603/2604 (ores)", "8802.11") and append its codes. */
int emb_hs_parse(emb_arena *a, emb_hs_list *out, const char *s);
/* How digits `d` (len n) meet an entry: 2 = within it, 1 = broader than it
 * (d is a chapter that contains the entry), 0 = no. */
int emb_hs_match(const emb_hs *h, const char *d, size_t n);

typedef enum emb_rule_on {
    EMB_ON_GOODS,
    EMB_ON_DESIGNATED,
    EMB_ON_SHIP_TO_SHIP,
    EMB_ON_VESSEL,
    EMB_ON_SERVICE,
    EMB_ON_PROHIBITED,
    EMB_ON_EXEMPTION
} emb_rule_on;

typedef enum emb_effect {
    EMB_EFF_PROHIBITS,
    EMB_EFF_CONDITION,
    EMB_EFF_CAP,
    EMB_EFF_CONSEQUENCE,
    EMB_EFF_EXEMPTION
} emb_effect;

/* requires atoms */
enum {
    EMB_REQ_TARGET_NEXUS = 1 << 0,
    EMB_REQ_TARGET_PARTY = 1 << 1,
    EMB_REQ_TARGET_VESSEL = 1 << 2,
    EMB_REQ_DESIGNATED = 1 << 3,
    EMB_REQ_PROHIBITED_GOODS = 1 << 4,
    EMB_REQ_GOODS_TRADE = 1 << 5,
    EMB_REQ_VESSEL = 1 << 6
};

typedef enum emb_exkind {
    EMB_EX_CLAIM,
    EMB_EX_ROUTE,
    EMB_EX_PURPOSE,
    EMB_EX_COMMITTEE,
    EMB_EX_CARVE_OUT
} emb_exkind;

typedef struct emb_rule {
    emb_rule_on on;
    emb_effect effect;
    bool to, from;                 /* goods: directions (from the measure's direction) */
    bool all_goods, residual;
    emb_hs_list except_hs;
    const char *except_note;
    const char *goods_condition;   /* "new", or NULL */
    const char *schema;            /* designated_party: "Person", or NULL */
    emb_strs services;
    unsigned requires, requires_any;
    emb_strs with_goods_types;     /* measure types some prohibited good must fall under */
    const char *condition;
    /* on exemption (general exemption measures) */
    emb_exkind kind;
    emb_strs purposes;
    emb_strs measure_types;        /* which measures it lifts; empty: all */
} emb_rule;

typedef struct emb_exemption {
    const char *key;
    emb_exkind kind;
    const char *text;
    const char *source;            /* where the measure's data states it */
    emb_strs purposes;
    emb_strs origin_not;
    emb_strs loading_ports;
    emb_hs_list hs;                /* goods it covers; empty: all */
    const char *notification;      /* required notification ("advance"), or NULL */
    emb_strs conditions;
    emb_strs related;              /* measure ids cited when it applies */
    int has_confidence;
    emb_confidence confidence;
} emb_exemption;

typedef struct emb_cap_limit {
    double quantity;
    const char *unit;              /* canonical unit ("barrel", "tonne", "USD") */
    int from, to;                  /* day numbers; 0 = open */
    const char *period;
} emb_cap_limit;

typedef struct emb_cap {
    const char *totals_key;
    const char *source;            /* the measure's exemptions[] entry it restates, or NULL */
    emb_cap_limit *limits;
    size_t nlimits;
    const char *notification;      /* required notification, or NULL */
    emb_strs purposes;
    bool no_designated;
    emb_strs conditions;
} emb_cap;

typedef struct emb_measure {
    const char *id;
    const char *resolution, *paragraph, *document;
    int year;
    const char *direction, *measure_type, *summary, *status, *hs_codes_note;
    emb_confidence confidence;
    emb_strs exemptions_text;      /* the data's exemptions, verbatim */
    emb_strs evidence;
    emb_hs_list hs;                /* parsed hs_codes (or check.hs) */
    bool checked;                  /* has a check object */
    int start;                     /* day number it takes effect */
    emb_strs superseded_by;        /* measure ids */
    emb_strs extends;
    emb_rule *rules;
    size_t nrules;
    emb_exemption *exemptions;
    size_t nexemptions;
    bool has_cap;
    emb_cap cap;
} emb_measure;

typedef struct emb_regime {
    const char *id, *name, *committee, *resolution, *status;
    const char *un_list_type, *measures_data;
    emb_strs measures;             /* measure types ("asset_freeze", ...) */
    emb_confidence confidence;
} emb_regime;

typedef struct emb_keyword {
    const char *word;              /* lower-case */
    size_t len;
    emb_hs_list hs;
    const char *hs_text;           /* as written in the table */
    const char *note;
} emb_keyword;

typedef struct emb_vocab_entry {
    const char *key;
    const char *value;             /* description, or role side ("from", "to", "none") */
} emb_vocab_entry;

typedef struct emb_vocab {
    emb_vocab_entry *v;
    size_t n;
} emb_vocab;

typedef struct emb_unit_alias {
    const char *alias;             /* lower-case */
    const char *unit;              /* canonical */
} emb_unit_alias;

struct emb_regimes {
    emb_arena arena;
    const char *regime_id;         /* the measures file's regime.id */
    const char *compiled;
    const char *target;            /* target country, lower-case ISO alpha-2 ("kp") */
    emb_measure *measures;
    size_t nmeasures, nchecked;
    emb_vocab roles, services, purposes, notification_types;
    emb_unit_alias *units;
    size_t nunits;
    emb_strs claim_keys;           /* every claimable exemption key, sorted, unique */
    emb_strs totals_keys;          /* every cap totals key */
    emb_regime *regimes;
    size_t nregimes;
    emb_keyword *keywords;
    size_t nkeywords;
};

/* Day number of a valid YYYY-MM-DD (days since 0000-03-01), or -1. */
int emb_rules_day(const char *s);
const emb_measure *emb_rules_measure(const emb_regimes *rg, const char *id);
const char *emb_rules_vocab(const emb_vocab *v, const char *key);
/* Canonical unit for a written unit, or NULL. */
const char *emb_rules_unit(const emb_regimes *rg, const char *written);

#endif
