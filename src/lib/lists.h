/*
 * lists.h - the list set behind the opaque emb_lists handle: the entity
 * model, the word tables, the matching index and a pool of transliterators
 * for screening threads. Everything but the pool (and a snapshot's cache of
 * decoded entities) is immutable after open. Entities are reached through
 * emb_lists_entity, which decodes them from a snapshot on first use.
 */
#ifndef EMB_LISTS_H
#define EMB_LISTS_H

#include "embargo.h"
#include "match/index.h"
#include "model/model.h"
#include "text/norm.h"
#include "text/tables.h"
#include "text/variants.h"

struct emb_snap;

struct emb_lists {
    emb_model model;           /* from a snapshot: list infos only, no entity array */
    emb_tables tables;
    emb_variants variants;
    emb_index index;
    emb_translit_pool pool;
    const uint32_t *by_ref;    /* entity indexes sorted by list reference, for emb_lists_find */
    const uint32_t *by_id;     /* sorted by id, likewise */
    struct emb_snap *snap;     /* the mapped snapshot behind it, or NULL */
};

/* emb_lists_open_index; verify = 0 skips the section hashes (fuzzing only:
 * the value checks still run). */
int emb_lists_open_snapshot(emb_lists **out, const char *path, int verify);

#endif
