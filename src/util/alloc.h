/*
 * alloc.h - every allocation in embargo goes through these functions, so an
 * embedder can install its own allocator (emb_set_allocator in embargo.h)
 * and so accounting lives in one place.
 *
 * emb_grow() is the vector idiom used throughout: arrays carry only a count;
 * capacity is implicitly the next power of two, and an array is reallocated
 * when the count reaches 0 or a power of two. A hard element cap bounds every
 * growable array (EMB_ETOOBIG beyond it).
 */
#ifndef EMB_ALLOC_H
#define EMB_ALLOC_H

#include "util/compat.h"

void *emb_malloc(size_t n);
void *emb_calloc(size_t count, size_t size);
void *emb_realloc(void *p, size_t n);
void emb_free(void *p);
char *emb_strndup(const char *s, size_t n);
char *emb_strdup(const char *s);

/* Make room for one more element in *arr (count n, element size elsz).
 * Returns EMB_OK, EMB_ENOMEM, or EMB_ETOOBIG when n >= max. */
int emb_grow(void *arrp, size_t n, size_t elsz, size_t max);

#endif
