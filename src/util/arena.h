/*
 * arena.h - a chunked bump allocator for many small objects freed together
 * (all strings of a loaded list; the scratch of one screening request).
 * Define EMB_DEBUG_ARENA to make every allocation a separate malloc, so
 * valgrind and ASan see each object.
 */
#ifndef EMB_ARENA_H
#define EMB_ARENA_H

#include "util/compat.h"

typedef struct emb_arena_chunk emb_arena_chunk;

typedef struct emb_arena {
    emb_arena_chunk *head;
    size_t used;      /* bytes handed out, for accounting */
    size_t max;       /* cap on bytes handed out; 0 = no cap */
} emb_arena;

void emb_arena_init(emb_arena *a, size_t max);
void emb_arena_dispose(emb_arena *a);     /* frees every chunk */
void *emb_arena_alloc(emb_arena *a, size_t n);   /* 8-byte aligned; NULL on failure */
char *emb_arena_strndup(emb_arena *a, const char *s, size_t n);
char *emb_arena_strdup(emb_arena *a, const char *s);
void *emb_arena_memdup(emb_arena *a, const void *p, size_t n);

#endif
