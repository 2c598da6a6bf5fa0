/*
 * embargo_diff.h - what changed between two versions of a list: entries
 * added, removed, and changed (with which fields).
 *
 * Entries are matched by the list's own reference ("KPi.013"), so a renamed
 * entry is a change of its "names", not a removal plus an addition. When
 * both sets hold the same list ids, an entry is matched within its list
 * (list id + reference); otherwise (say "un" against "un-2", or one file of
 * a list against a differently labelled one) by reference alone. An entry
 * without a reference is matched by its id. Should a reference occur twice
 * in one list, occurrences pair up in load order.
 *
 * Ownership: emb_diff_lists allocates the emb_diff and its arrays; free it
 * with emb_diff_free. The entity pointers inside point into the two list
 * sets and are valid until those sets are freed: free the diff first, or at
 * least do not read it after either set is gone.
 *
 * Copyright (c) 2026 the embargo authors. Licensed under the Apache License,
 * Version 2.0 (see LICENSE).
 */
#ifndef EMBARGO_DIFF_H
#define EMBARGO_DIFF_H

#include "embargo.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The fields a change can touch, as bits. The names (emb_diff_field_name)
 * are a fixed vocabulary, printed by `embargo diff` and its JSON:
 *   "names"         primary and original-script names: the set of (kind, full)
 *   "aliases"       aliases, weak aliases, former names, vessels in remarks:
 *                   the set of (kind, full)
 *   "birth_dates"   the set of (precision, year, month, day, year_to)
 *   "identifiers"   the set of (kind, normalised number)
 *   "nationalities" the set of ISO codes (the name as written when unknown)
 *   "regime", "listed_on", "gender"   the value
 *   "programs"      the set of programme tags
 *   "remarks"       the text, whitespace squashed
 *   "addresses", "birth_places"       the set of places, all parts
 *   "designations", "titles"          the set of values
 * Vessel details (flag, type, call sign, tonnage, owner) count as "remarks"
 * when they change, since no list carries them in a field of their own that
 * the other fields cover. */
typedef enum emb_diff_field {
    EMB_DIFF_NAMES = 1u << 0,
    EMB_DIFF_ALIASES = 1u << 1,
    EMB_DIFF_BIRTH_DATES = 1u << 2,
    EMB_DIFF_IDENTIFIERS = 1u << 3,
    EMB_DIFF_NATIONALITIES = 1u << 4,
    EMB_DIFF_REGIME = 1u << 5,
    EMB_DIFF_PROGRAMS = 1u << 6,
    EMB_DIFF_LISTED_ON = 1u << 7,
    EMB_DIFF_REMARKS = 1u << 8,
    EMB_DIFF_ADDRESSES = 1u << 9,
    EMB_DIFF_BIRTH_PLACES = 1u << 10,
    EMB_DIFF_DESIGNATIONS = 1u << 11,
    EMB_DIFF_TITLES = 1u << 12,
    EMB_DIFF_GENDER = 1u << 13
} emb_diff_field;

#define EMB_DIFF_NFIELDS 14

/* Name of the field of bit number i (0..EMB_DIFF_NFIELDS-1), e.g. 0 ->
 * "names"; NULL past the end. Static storage. */
EMB_API const char *emb_diff_field_name(unsigned i);

/* The fields (emb_diff_field bits) in which two entries differ; 0 when
 * they are the same in every compared field. */
EMB_API unsigned emb_diff_entities(const emb_entity *old_e, const emb_entity *new_e);

typedef struct emb_diff_change {
    const emb_entity *old_entity;   /* in the old set */
    const emb_entity *new_entity;   /* in the new set */
    unsigned fields;                /* emb_diff_field bits, never 0 */
} emb_diff_change;

typedef struct emb_diff {
    const emb_entity **added;    size_t nadded;    /* new-set entries, new-set order */
    const emb_entity **removed;  size_t nremoved;  /* old-set entries, old-set order */
    emb_diff_change *changed;    size_t nchanged;  /* new-set order */
    size_t nunchanged;
} emb_diff;

/* Compare two list sets. *out is set only on success; free it with
 * emb_diff_free. Returns EMB_OK, EMB_EINVAL (a NULL set) or EMB_ENOMEM. */
EMB_API int emb_diff_lists(emb_diff **out, const emb_lists *old_ls, const emb_lists *new_ls);
EMB_API void emb_diff_free(emb_diff *d);   /* NULL-safe */

#ifdef __cplusplus
}
#endif

#endif
