/*
 * embargo.h - the embedding API of embargo, a sanctions-screening engine.
 *
 * Open a set of lists (emb_lists_open), screen queries against it
 * (emb_screen), free the results and the set. A loaded list set is
 * immutable: any number of threads may screen against one set at once
 * without locks. All functions return EMB_OK (0) or a negative emb_error;
 * emb_err_last() gives the detail for the calling thread.
 *
 * Ownership: every pointer reachable from an emb_entity is owned by the list
 * set and valid until emb_lists_free. Results own their explanation data and
 * point into the list set for entities and names: free results before the
 * set.
 *
 * Copyright (c) 2026 the embargo authors. Licensed under the Apache License,
 * Version 2.0 (see LICENSE).
 */
#ifndef EMBARGO_H
#define EMBARGO_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(EMB_BUILDING_SHARED)
#define EMB_API __attribute__((visibility("default")))
#else
#define EMB_API
#endif

/* ---- version and errors ----------------------------------------------- */

EMB_API const char *emb_version(void);

typedef enum emb_error {
    EMB_OK = 0,
    EMB_ENOMEM = -1,
    EMB_EINVAL = -2,
    EMB_EPARSE = -3,     /* malformed input: a list file, a query, a line */
    EMB_EIO = -4,
    EMB_ETOOBIG = -5,    /* a documented size cap was hit */
    EMB_ENOTFOUND = -6,
    EMB_EUNICODE = -7    /* invalid UTF-8 or a failed ICU conversion */
} emb_error;

/* Fixed text of a code. Static storage. */
EMB_API const char *emb_strerror(int code);
/* Detail of the calling thread's last error. Thread-local storage, valid until
 * the thread's next embargo call. */
EMB_API const char *emb_err_last(void);

/* Replace the allocator (lua_Alloc convention: nsize 0 frees). Call once,
 * before any other embargo call. NULL restores the C library's. */
typedef void *(*emb_alloc_fn)(void *ud, void *ptr, size_t osize, size_t nsize);
EMB_API void emb_set_allocator(emb_alloc_fn fn, void *ud);

/* ---- entity model (read-only views into a list set) ---------------------- */

typedef enum emb_schema {
    EMB_SCHEMA_UNKNOWN = 0,
    EMB_SCHEMA_PERSON = 1,
    EMB_SCHEMA_ORGANIZATION = 2,
    EMB_SCHEMA_VESSEL = 3,
    EMB_SCHEMA_AIRCRAFT = 4
} emb_schema;

/* "Person", "Organization", "Vessel", "Airplane". */
EMB_API const char *emb_schema_name(emb_schema s);

typedef enum emb_name_kind {
    EMB_NAME_PRIMARY = 0,   /* the list's main name */
    EMB_NAME_ALIAS = 1,     /* good-quality alias (UN Good, a.k.a.) */
    EMB_NAME_WEAK = 2,      /* low-quality alias (UN Low): near-exact matches only */
    EMB_NAME_FORMER = 3,    /* former name (f.k.a.) */
    EMB_NAME_ORIGINAL = 4,  /* the name in its original script */
    EMB_NAME_VESSEL = 5     /* a vessel the entry's remarks name (owned, managed,
                             * operated): matches vessel queries only */
} emb_name_kind;

/* "primary", "alias", "weak_alias", "former_name", "original_script",
 * "vessel_in_remarks". */
EMB_API const char *emb_name_kind_name(emb_name_kind k);

typedef struct emb_name {
    const char *full;               /* display form, whitespace squashed */
    const char *const *parts;       /* name parts in written order (may be 0) */
    size_t nparts;
    emb_name_kind kind;
    const char *note;               /* alias note, or NULL */
} emb_name;

typedef enum emb_date_prec {
    EMB_DATE_NONE = 0,
    EMB_DATE_DAY = 1,        /* YYYY-MM-DD */
    EMB_DATE_MONTH = 2,      /* YYYY-MM */
    EMB_DATE_YEAR = 3,       /* YYYY */
    EMB_DATE_RANGE = 4,      /* year .. year_to, inclusive */
    EMB_DATE_APPROX = 5      /* about year (EMB_APPROX_YEARS either side) */
} emb_date_prec;

#define EMB_APPROX_YEARS 2

typedef struct emb_date {
    emb_date_prec prec;
    int year, month, day;    /* 0 when not known at this precision */
    int year_to;             /* EMB_DATE_RANGE only */
    const char *raw;         /* as written in the list (may be NULL) */
} emb_date;

typedef struct emb_place {
    const char *street, *city, *state, *zip;
    const char *country;     /* as written */
    const char *cc;          /* ISO 3166-1 alpha-2, lower case, or NULL */
    const char *note;
} emb_place;

typedef enum emb_id_kind {
    EMB_ID_OTHER = 0,
    EMB_ID_PASSPORT = 1,
    EMB_ID_NATIONAL = 2,
    EMB_ID_IMO = 3,          /* ship IMO number (check digit valid) */
    EMB_ID_IMO_COMPANY = 4,  /* IMO company / registered-owner number */
    EMB_ID_MMSI = 5,
    EMB_ID_REGISTRATION = 6
} emb_id_kind;

EMB_API const char *emb_id_kind_name(emb_id_kind k);

typedef struct emb_identifier {
    emb_id_kind kind;
    const char *type;        /* as written ("Passport", "Numéro de passeport") */
    const char *number;      /* as written */
    const char *norm;        /* upper-case ASCII letters and digits only */
    const char *country;     /* issuing country as written, or NULL */
    const char *cc;          /* ISO alpha-2, lower case, or NULL */
    const char *note;
} emb_identifier;

typedef struct emb_country {
    const char *name;        /* as written */
    const char *cc;          /* ISO alpha-2, lower case, or NULL when unknown */
} emb_country;

typedef struct emb_entity {
    const char *id;          /* unique in the set: "<list>-<key>", e.g. "un-6908640" */
    const char *list;        /* list id, e.g. "un" */
    const char *reference;   /* the list's own reference, e.g. "KPi.013" */
    const char *caption;     /* display name (primary name) */
    emb_schema schema;
    const char *regime;      /* e.g. "DPRK" (UN_LIST_TYPE) */
    const char *program;     /* e.g. "UN-SC1718", or NULL */
    const char *listed_on;   /* YYYY-MM-DD, or NULL */
    const char *remarks;     /* free text, or NULL */
    const char *gender;      /* "male", "female", or NULL */
    const emb_name *names;          size_t nnames;   /* names[0] is primary */
    const emb_date *birth_dates;    size_t nbirth_dates;
    const emb_place *birth_places;  size_t nbirth_places;
    const emb_country *nationalities; size_t nnationalities;
    const emb_identifier *identifiers; size_t nidentifiers;
    const emb_place *addresses;     size_t naddresses;
    const char *const *titles;      size_t ntitles;
    const char *const *designations; size_t ndesignations;
    const char *const *updated_on;  size_t nupdated_on;
    size_t list_index;       /* index of its list in the set (emb_lists_list) */
    /* every programme or regime tag the list gives ("DPRK3", "SDGT"); program
     * above is the first of them */
    const char *const *programs;    size_t nprograms;
    /* vessels (and aircraft): as written by the list, NULL when not given.
     * IMO and MMSI numbers are identifiers (EMB_ID_IMO, EMB_ID_MMSI). */
    const char *flag;        /* flag state as written */
    const char *flag_cc;     /* its ISO alpha-2 code, lower case */
    const char *vessel_type; /* "Crude Oil Tanker" */
    const char *call_sign;
    const char *tonnage;     /* gross or deadweight tonnage as written */
    const char *owner;       /* owner or operator as the list names it */
} emb_entity;

/* ---- list sets ---------------------------------------------------------- */

typedef struct emb_lists emb_lists;   /* opaque, immutable once opened */

/* One list to load: a file path, or bytes in memory (then `path` is only a
 * label for messages). Format is detected from content. */
typedef struct emb_source {
    const char *path;
    const void *data;        /* NULL: read `path` */
    size_t len;
} emb_source;

typedef struct emb_list_info {
    const char *id;          /* "un" (a second list of the same kind: "un-2") */
    const char *title;       /* "UN Security Council Consolidated List" */
    const char *format;      /* "un-xml" */
    const char *source;      /* path or label */
    const char *date;        /* generation date as the list states it, or NULL */
    size_t nentities;
    size_t nby_schema[5];    /* indexed by emb_schema */
} emb_list_info;

/* Load sources and build the matching index. On failure nothing is returned
 * (no partial set) and emb_err_last() names the file and position. */
EMB_API int emb_lists_open(emb_lists **out, const emb_source *sources, size_t nsources);
EMB_API void emb_lists_free(emb_lists *ls);   /* NULL-safe */

/* Index snapshots: a list set with its index built, saved to one file that
 * opens by memory-mapping it, without parsing or building anything; the
 * pages are shared by every process that maps the file. A snapshot written
 * by another format version or another build of the matcher, or a file that
 * is truncated or corrupt (every section is hashed), is refused with an
 * error naming the file and the check that failed. Entities of a snapshot
 * are decoded on first use; their pointers live as long as the set. */
EMB_API int emb_lists_save_index(const emb_lists *ls, const char *path);
EMB_API int emb_lists_open_index(emb_lists **out, const char *path);

typedef struct emb_index_info {
    const char *written_by;  /* embargo version that wrote the snapshot */
    const char *created;     /* when, UTC, YYYY-MM-DDThh:mm:ssZ */
    char content_hash[17];   /* hash over every section, hex */
    size_t bytes;            /* file size */
} emb_index_info;

/* Fill *out for a set opened with emb_lists_open_index (strings live as
 * long as the set); EMB_EINVAL for a set loaded from lists. */
EMB_API int emb_lists_index_info(const emb_lists *ls, emb_index_info *out);

/* The UN list snapshot compiled into the library (see data/lists/un/PROVENANCE.md). */
EMB_API emb_source emb_bundled_un_list(void);

EMB_API size_t emb_lists_count(const emb_lists *ls);
EMB_API const emb_list_info *emb_lists_list(const emb_lists *ls, size_t i);
EMB_API size_t emb_lists_entity_count(const emb_lists *ls);
EMB_API const emb_entity *emb_lists_entity(const emb_lists *ls, size_t i);
/* Find by id ("un-6908640") or list reference ("KPi.013"); NULL if absent. */
EMB_API const emb_entity *emb_lists_find(const emb_lists *ls, const char *id_or_ref);

/* ---- queries and screening ---------------------------------------------- */

/* Query schemas: a filter on what may match. */
typedef enum emb_qschema {
    EMB_Q_THING = 0,         /* anything */
    EMB_Q_PERSON,
    EMB_Q_ORGANIZATION,      /* also "Company" */
    EMB_Q_LEGAL_ENTITY,      /* persons and organisations */
    EMB_Q_VESSEL,
    EMB_Q_AIRPLANE
} emb_qschema;

/* Parse "Person", "Organization", "Company", "LegalEntity", "Vessel",
 * "Airplane", "Thing". Returns EMB_EINVAL for anything else. */
EMB_API int emb_qschema_parse(emb_qschema *out, const char *s);

/* Validate a query value up front (for interfaces that prefer to reject it):
 * EMB_OK, or EMB_EINVAL with emb_err_last() saying why. emb_screen itself
 * never fails on these: it ignores the value and reports a warning. */
EMB_API int emb_check_birth_date(const char *s);
EMB_API int emb_check_country(const char *s);

#define EMB_QUERY_MAX_VALUES 32     /* values per field of a query */
#define EMB_QUERY_MAX_BYTES 4096    /* bytes per value */

typedef struct emb_query {
    int version;                       /* EMB_QUERY_VERSION */
    emb_qschema schema;
    const char *const *names;          size_t nnames;
    const char *const *birth_dates;    size_t nbirth_dates;  /* YYYY[-MM[-DD]] */
    const char *const *countries;      size_t ncountries;    /* ISO codes or English names */
    const char *const *identifiers;    size_t nidentifiers;  /* passport, national id, IMO... */
    const char *gender;                /* "male"/"female" or NULL */
} emb_query;
#define EMB_QUERY_VERSION 1
#define EMB_QUERY_INIT { EMB_QUERY_VERSION, EMB_Q_THING, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL }

/* The recommended default threshold (see docs/internals/SCORING.md). */
#define EMB_DEFAULT_THRESHOLD 0.80
#define EMB_MAX_LIMIT 1000

typedef struct emb_screen_opts {
    int version;                       /* EMB_SCREEN_OPTS_VERSION */
    double threshold;                  /* result.match = score >= threshold */
    double cutoff;                     /* results scoring below are dropped */
    unsigned limit;                    /* results per query, 1..EMB_MAX_LIMIT */
    /* version 2: filters; each empty (count 0) means "any". An entity passes
     * when it matches one value of every non-empty filter. */
    const char *const *lists;     size_t nlists;     /* list ids ("un", "ofac") */
    const char *const *regimes;   size_t nregimes;   /* regime ("DPRK"), exact */
    const char *const *programs;  size_t nprograms;  /* any of the entity's programmes */
    const char *const *entity_ids; size_t nentity_ids; /* entity ids ("un-6908500") */
} emb_screen_opts;
#define EMB_SCREEN_OPTS_VERSION 2
#define EMB_SCREEN_OPTS_INIT { EMB_SCREEN_OPTS_VERSION, EMB_DEFAULT_THRESHOLD, 0.50, 5, \
                               NULL, 0, NULL, 0, NULL, 0, NULL, 0 }

/* How one query token met the listed name. */
typedef enum emb_align_kind {
    EMB_ALIGN_EXACT = 0,
    EMB_ALIGN_VARIANT = 1,   /* equal after a variant rule (glued, romanisation) */
    EMB_ALIGN_FUZZY = 2,     /* within the edit budget */
    EMB_ALIGN_INITIAL = 3,   /* an initial against a full part */
    EMB_ALIGN_MISSING = 4,   /* a listed part the query lacks */
    EMB_ALIGN_EXTRA = 5      /* a query part the listed name lacks */
} emb_align_kind;

EMB_API const char *emb_align_kind_name(emb_align_kind k);

typedef struct emb_align {
    emb_align_kind kind;
    const char *query;       /* normalised query token, or NULL (MISSING) */
    const char *listed;      /* normalised listed token, or NULL (EXTRA) */
    double score;            /* 0..1 */
    double weight;           /* its weight in the name score */
    int edits;               /* edit distance for FUZZY */
} emb_align;

typedef enum emb_evidence_field {
    EMB_EV_BIRTH_DATE = 0,
    EMB_EV_COUNTRY = 1,
    EMB_EV_IDENTIFIER = 2,
    EMB_EV_GENDER = 3
} emb_evidence_field;

typedef enum emb_evidence_outcome {
    EMB_EV_AGREE = 0,
    EMB_EV_CONFLICT = 1,
    EMB_EV_NO_DATA = 2       /* the entry has no value to compare */
} emb_evidence_outcome;

EMB_API const char *emb_evidence_field_name(emb_evidence_field f);
EMB_API const char *emb_evidence_outcome_name(emb_evidence_outcome o);

typedef struct emb_evidence {
    emb_evidence_field field;
    emb_evidence_outcome outcome;
    const char *query;       /* the query value */
    const char *listed;      /* the listed value compared, or NULL */
    double effect;           /* change it made to the score */
} emb_evidence;

typedef struct emb_match {
    const emb_entity *entity;
    double score;            /* final score, 0..1 */
    int match;               /* score >= threshold */
    double name_score;       /* the name comparison alone */
    const emb_name *name;    /* which of the entity's names matched best */
    const char *query_name;  /* which query name */
    const char *reason;      /* one line, human readable */
    const emb_align *align;  size_t nalign;
    const emb_evidence *evidence; size_t nevidence;
} emb_match;

typedef struct emb_results emb_results;   /* opaque */

/* Screen one query. Thread-safe on a shared list set. *out is set only on
 * success and must be freed with emb_results_free. */
EMB_API int emb_screen(emb_results **out, const emb_lists *ls, const emb_query *q,
                       const emb_screen_opts *opts);
EMB_API size_t emb_results_count(const emb_results *r);
/* Best first. Pointer valid until emb_results_free. */
EMB_API const emb_match *emb_results_get(const emb_results *r, size_t i);
/* Query values that could not be used (an unreadable birth date, an unknown
 * country, an unknown gender): the query was screened without them, and
 * each is described here. A missed hit is worse than an ignored field.
 * Strings valid until emb_results_free. */
EMB_API size_t emb_results_warning_count(const emb_results *r);
EMB_API const char *emb_results_warning(const emb_results *r, size_t i);
/* Number of entities scored (candidates) for this query. */
EMB_API size_t emb_results_candidates(const emb_results *r);
EMB_API void emb_results_free(emb_results *r);   /* NULL-safe */

#ifdef __cplusplus
}
#endif

/* embargo check: does a shipment or transaction fall under a UN Security
 * Council measure (its own header, included here for convenience). */
#include "embargo_check.h"
/* list versions compared: what was added, removed, changed */
#include "embargo_diff.h"

#endif
