/*
 * remarks.h - facts that lists state only in free text. The UN list has no
 * vessel records: DPRK entity remarks name the ships an entity owns,
 * manages or operates ("Registered owner of DPRK tanker CHON MA SAN").
 * emb_remarks_vessels finds those names so a vessel query can reach the
 * entity, with an explanation saying it matched through the remarks.
 */
#ifndef EMB_REMARKS_H
#define EMB_REMARKS_H

#include "util/compat.h"

#define EMB_REMARKS_MAX_VESSELS 32

/* Calls fn(ctx, name, len) once per distinct vessel name found in the text
 * (names point into `text`). Finds names only in text that speaks of
 * vessels (vessel, tanker, ship); an upper-case run of words, a capitalised
 * run after "vessel [,] [the]", or a quoted name in such text. Returns
 * the number of names, or a negative error from fn. */
typedef int (*emb_vessel_fn)(void *ctx, const char *name, size_t len);
int emb_remarks_vessels(const char *text, emb_vessel_fn fn, void *ctx);

#endif
