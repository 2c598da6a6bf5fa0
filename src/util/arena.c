/*
 * arena.c - chunked bump allocator. Chunks are 64 KiB or the size of a large
 * request; nothing is freed until the arena is disposed.
 */
#include "util/compat.h"
#include <string.h>
#include "util/alloc.h"
#include "util/arena.h"

#define CHUNK_SIZE (64 * 1024)

struct emb_arena_chunk {
    emb_arena_chunk *next;
    size_t size;
    size_t off;
    _Alignas(16) unsigned char data[];
};

void emb_arena_init(emb_arena *a, size_t max)
{
    a->head = NULL;
    a->used = 0;
    a->max = max;
}

void emb_arena_dispose(emb_arena *a)
{
    emb_arena_chunk *c = a->head;
    while (c) {
        emb_arena_chunk *n = c->next;
        emb_free(c);
        c = n;
    }
    a->head = NULL;
    a->used = 0;
}

void *emb_arena_alloc(emb_arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if (n == 0)
        n = 8;
    if (a->max && (n > a->max || a->used > a->max - n))
        return NULL;
#ifdef EMB_DEBUG_ARENA
    size_t want = n;
#else
    emb_arena_chunk *c = a->head;
    if (c && c->size - c->off >= n) {
        void *p = c->data + c->off;
        c->off += n;
        a->used += n;
        return p;
    }
    size_t want = n > CHUNK_SIZE / 4 ? n : CHUNK_SIZE;
#endif
    emb_arena_chunk *nc = emb_malloc(sizeof(*nc) + want);
    if (!nc)
        return NULL;
    nc->size = want;
    nc->off = n;
    a->used += n;
    if (a->head && want != CHUNK_SIZE) {
        /* big one-off block: keep the current chunk at the head */
        nc->next = a->head->next;
        a->head->next = nc;
    } else {
        nc->next = a->head;
        a->head = nc;
    }
    return nc->data;
}

char *emb_arena_strndup(emb_arena *a, const char *s, size_t n)
{
    char *d = emb_arena_alloc(a, n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *emb_arena_strdup(emb_arena *a, const char *s)
{
    return emb_arena_strndup(a, s, strlen(s));
}

void *emb_arena_memdup(emb_arena *a, const void *p, size_t n)
{
    void *d = emb_arena_alloc(a, n);
    if (d && n)
        memcpy(d, p, n);
    return d;
}
