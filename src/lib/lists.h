/*
 * lists.h - the list set behind the opaque emb_lists handle: the entity
 * model, the word tables, the matching index and a pool of transliterators
 * for screening threads. Everything but the pool is immutable after open.
 */
#ifndef EMB_LISTS_H
#define EMB_LISTS_H

#include "embargo.h"
#include "match/index.h"
#include "model/model.h"
#include "text/norm.h"
#include "text/tables.h"
#include "text/variants.h"

struct emb_lists {
    emb_model model;
    emb_tables tables;
    emb_variants variants;
    emb_index index;
    emb_translit_pool pool;
    const emb_entity **by_ref; /* entities sorted by list reference, for emb_lists_find */
    const emb_entity **by_id;  /* entities sorted by id, likewise */
};

#endif
