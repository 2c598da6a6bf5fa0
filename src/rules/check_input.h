/*
 * check_input.h - the input document of `embargo check`, parsed and
 * validated (schema: docs/CHECK.md). Every value is checked against the
 * regime data's vocabulary; an unknown or malformed field is an EMB_EPARSE
 * whose message starts with the field path ("goods[1].hs: ...").
 */
#ifndef EMB_RULES_CHECK_INPUT_H
#define EMB_RULES_CHECK_INPUT_H

#include "util/compat.h"
#include "util/arena.h"
#include "rules/measures.h"

#define EMB_CHECK_MAX_PARTIES 64
#define EMB_CHECK_MAX_GOODS 256
#define EMB_CHECK_MAX_SERVICES 32
#define EMB_CHECK_MAX_NOTIFICATIONS 64
#define EMB_CHECK_MAX_IDS 32
#define EMB_CHECK_MAX_TRANSIT 16
#define EMB_CHECK_MAX_STRING 4096     /* bytes in any one string value */
#define EMB_CHECK_MAX_DEPTH 16        /* JSON nesting */

typedef struct emb_cin_party {
    const char *role;            /* vocabulary key */
    const char *side;            /* "from", "to", "none" */
    const char *name;
    const char *schema;          /* as given, or NULL */
    emb_qschema qschema;
    const char *country;         /* lower-case ISO alpha-2, or NULL */
    const char *birth_date;
    const char **aliases;        size_t naliases;
    const char **ids;            size_t nids;       /* identifier values */
    const char **id_types;       /* parallel to ids */
} emb_cin_party;

typedef struct emb_cin_goods {
    const char *hs;              /* digits only, or NULL */
    const char *hs_given;        /* as written */
    const char *description;     /* or NULL */
    bool has_quantity, has_value;
    double quantity, value;
    const char *unit;            /* as written, or NULL */
    const char *currency;        /* as written, or NULL */
    const char *origin;          /* lower-case ISO alpha-2, or NULL */
    const char *condition;       /* "new", "used", or NULL */
} emb_cin_goods;

typedef struct emb_cin_notification {
    const char *type;            /* vocabulary key */
    const char *measure;         /* measure id, or NULL (all) */
    const char *date;
    const char *reference;
} emb_cin_notification;

typedef struct emb_cin_total {
    const char *key;
    double quantity;
} emb_cin_total;

typedef struct emb_cin {
    const char *id;
    const char *date;            /* YYYY-MM-DD, or NULL */
    emb_cin_party *parties;      size_t nparties;
    bool has_vessel;
    const char *vessel_name, *vessel_imo, *vessel_flag;
    bool ship_to_ship;
    const char *origin, *destination;          /* lower-case ISO codes, or NULL */
    const char *loading_port, *discharge_port;
    const char **transit;        size_t ntransit;
    emb_cin_goods *goods;        size_t ngoods;
    const char **services;       size_t nservices;
    emb_cin_notification *notifications; size_t nnotifications;
    const char *purpose;
    const char **exemptions;     size_t nexemptions;
    emb_cin_total *totals;       size_t ntotals;
} emb_cin;

/* Parse `len` bytes into *in; strings live in `a`. */
int emb_cin_parse(emb_cin *in, emb_arena *a, const emb_regimes *rg, const char *json, size_t len);

#endif
