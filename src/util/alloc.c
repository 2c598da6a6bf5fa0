/*
 * alloc.c - the allocator indirection. The default is the C library; an
 * embedder may replace it once, before any other embargo call
 * (emb_set_allocator). This is the only process-wide setting in embargo and
 * it is written once at start-up, never while screening.
 */
#include "util/compat.h"
#include <stdlib.h>
#include <string.h>
#include "embargo.h"
#include "util/alloc.h"
#include <cjson/cJSON.h>

static void *default_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud;
    (void)osize;
    if (nsize == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, nsize);
}

static emb_alloc_fn alloc_fn = default_alloc;
static void *alloc_ud = NULL;

static void *cjson_malloc(size_t n)
{
    return emb_malloc(n);
}

EMB_API void emb_set_allocator(emb_alloc_fn fn, void *ud)
{
    alloc_fn = fn ? fn : default_alloc;
    alloc_ud = fn ? ud : NULL;
    /* cJSON (batch and request parsing) allocates through the same hook */
    cJSON_Hooks hooks = {cjson_malloc, emb_free};
    cJSON_InitHooks(fn ? &hooks : NULL);
}

void *emb_malloc(size_t n)
{
    return alloc_fn(alloc_ud, NULL, 0, n ? n : 1);
}

void *emb_calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    size_t n = count * size;
    void *p = emb_malloc(n);
    if (p && n)
        memset(p, 0, n);
    return p;
}

void *emb_realloc(void *p, size_t n)
{
    return alloc_fn(alloc_ud, p, 0, n ? n : 1);
}

void emb_free(void *p)
{
    if (p)
        alloc_fn(alloc_ud, p, 0, 0);
}

char *emb_strndup(const char *s, size_t n)
{
    char *d = emb_malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *emb_strdup(const char *s)
{
    return emb_strndup(s, strlen(s));
}

int emb_grow(void *arrp, size_t n, size_t elsz, size_t max)
{
    void **arr = (void **)arrp;
    if (n >= max)
        return EMB_ETOOBIG;
    if (n != 0 && (n & (n - 1)) != 0)
        return EMB_OK; /* capacity is next power of two >= n+1 already */
    size_t cap = n ? n * 2 : 4;
    if (n && n < 4)
        return EMB_OK;
    if (cap > SIZE_MAX / elsz)
        return EMB_ENOMEM;
    void *p = emb_realloc(*arr, cap * elsz);
    if (!p)
        return EMB_ENOMEM;
    *arr = p;
    return EMB_OK;
}
