/*
 * lists.c - open and query a list set. Opening reads every source fully,
 * detects its format, loads it, and builds the index; any failure discards
 * everything, so a caller never holds a partial set.
 */
#include "util/compat.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "lib/lists.h"
#include "load/load.h"
#include "snap/snapshot.h"
#include "util/alloc.h"
#include "util/err.h"

#define EMB_MAX_LIST_BYTES ((size_t)4 << 30)   /* 4 GiB per list file */

extern const char emb__blob_un_xml[], emb__blob_un_xml_end[];

EMB_API emb_source emb_bundled_un_list(void)
{
    emb_source s;
    s.path = "bundled:data/lists/un/un_sanctions.xml";
    s.data = emb__blob_un_xml;
    s.len = (size_t)(emb__blob_un_xml_end - emb__blob_un_xml);
    return s;
}

static int read_file(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return emb_err_set(EMB_EIO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return emb_err_set(EMB_EIO, "%s: not a regular file", path);
    }
    if ((size_t)st.st_size > EMB_MAX_LIST_BYTES) {
        fclose(f);
        return emb_err_set(EMB_ETOOBIG, "%s: larger than the %zu-byte limit for a list", path,
                           EMB_MAX_LIST_BYTES);
    }
    size_t n = (size_t)st.st_size;
    char *buf = emb_malloc(n + 1);
    if (!buf) {
        fclose(f);
        return emb_err_set(EMB_ENOMEM, "%s: out of memory reading %zu bytes", path, n);
    }
    size_t got = fread(buf, 1, n, f);
    int err = ferror(f);
    fclose(f);
    if (err || got != n) {
        emb_free(buf);
        return emb_err_set(EMB_EIO, "%s: read error", path);
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return EMB_OK;
}

static const char *ref_of(const emb_entity *e)
{
    return e->reference ? e->reference : "";
}

static const char *id_of(const emb_entity *e)
{
    return e->id;
}

static int cmp_ref(const void *a, const void *b)
{
    return strcmp(ref_of(*(const emb_entity *const *)a), ref_of(*(const emb_entity *const *)b));
}

static int cmp_id(const void *a, const void *b)
{
    return strcmp(id_of(*(const emb_entity *const *)a), id_of(*(const emb_entity *const *)b));
}

/* Every entity index, in the order cmp gives their entities; NULL when out
 * of memory. */
static uint32_t *sorted(const emb_model *m, int (*cmp)(const void *, const void *))
{
    size_t n = m->nentities ? m->nentities : 1;
    const emb_entity **p = emb_malloc(n * sizeof(*p));
    uint32_t *v = emb_malloc(n * sizeof(*v));
    if (!p || !v) {
        emb_free(p);
        emb_free(v);
        return NULL;
    }
    for (size_t e = 0; e < m->nentities; e++)
        p[e] = &m->entities[e];
    qsort(p, m->nentities, sizeof(*p), cmp);
    for (size_t e = 0; e < m->nentities; e++)
        v[e] = (uint32_t)(p[e] - m->entities);
    emb_free(p);
    return v;
}

/* Binary search of a sorted index array by the given key. */
static const emb_entity *search(const emb_lists *ls, const uint32_t *v, const char *key,
                                const char *(*key_of)(const emb_entity *))
{
    size_t lo = 0, hi = ls->model.nentities;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const emb_entity *e = emb_lists_entity(ls, v[mid]);
        if (!e)
            return NULL;
        int c = strcmp(key, key_of(e));
        if (c == 0)
            return e;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* A list set with its word tables and transliterators, nothing loaded. */
static int lists_new(emb_lists **out)
{
    emb_lists *ls = emb_calloc(1, sizeof(*ls));
    if (!ls)
        return emb_err_set(EMB_ENOMEM, "out of memory");
    emb_model_init(&ls->model);
    int rc = emb_tables_load(&ls->tables);
    if (rc == EMB_OK)
        rc = emb_variants_load(&ls->variants);
    if (rc == EMB_OK)
        rc = emb_translit_pool_init(&ls->pool);
    if (rc < 0) {
        emb_lists_free(ls);
        return rc;
    }
    *out = ls;
    return EMB_OK;
}

EMB_API int emb_lists_open(emb_lists **out, const emb_source *sources, size_t nsources)
{
    if (!out || (nsources && !sources))
        return emb_err_set(EMB_EINVAL, "emb_lists_open: invalid arguments");
    emb_err_clear();
    emb_lists *ls = NULL;
    int rc = lists_new(&ls);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < nsources; i++) {
        const emb_source *s = &sources[i];
        const char *label = s->path ? s->path : "(memory)";
        char *buf = NULL;
        size_t len = s->len;
        const void *data = s->data;
        if (!data) {
            if (!s->path) {
                rc = emb_err_set(EMB_EINVAL, "source %zu has neither a path nor data", i);
                goto fail;
            }
            if ((rc = read_file(s->path, &buf, &len)) < 0)
                goto fail;
            data = buf;
        }
        rc = emb_load_buffer(&ls->model, label, data, len);
        emb_free(buf);
        if (rc < 0)
            goto fail;
    }
    if ((rc = emb_index_build(&ls->index, &ls->model, &ls->tables, &ls->variants,
                              ls->pool.master)) < 0)
        goto fail;
    ls->by_ref = sorted(&ls->model, cmp_ref);
    ls->by_id = sorted(&ls->model, cmp_id);
    if (!ls->by_ref || !ls->by_id) {
        rc = emb_err_set(EMB_ENOMEM, "out of memory");
        goto fail;
    }
    *out = ls;
    return EMB_OK;
fail:
    emb_lists_free(ls);
    return rc;
}

int emb_lists_open_snapshot(emb_lists **out, const char *path, int verify)
{
    emb_lists *ls = NULL;
    int rc = lists_new(&ls);
    if (rc == EMB_OK && (rc = emb_snap_open(ls, path, verify)) < 0) {
        emb_lists_free(ls);
        ls = NULL;
    }
    if (rc == EMB_OK)
        *out = ls;
    return rc;
}

EMB_API int emb_lists_open_index(emb_lists **out, const char *path)
{
    if (!out || !path)
        return emb_err_set(EMB_EINVAL, "emb_lists_open_index: invalid arguments");
    emb_err_clear();
    return emb_lists_open_snapshot(out, path, 1);
}

EMB_API int emb_lists_save_index(const emb_lists *ls, const char *path)
{
    if (!ls || !path)
        return emb_err_set(EMB_EINVAL, "emb_lists_save_index: invalid arguments");
    return emb_snap_write(ls, path);
}

EMB_API int emb_lists_index_info(const emb_lists *ls, emb_index_info *out)
{
    if (!ls || !out || !ls->snap)
        return emb_err_set(EMB_EINVAL, "the list set was not opened from an index snapshot");
    out->written_by = ls->snap->version;
    out->created = ls->snap->created;
    snprintf(out->content_hash, sizeof(out->content_hash), "%016llx",
             (unsigned long long)ls->snap->content_hash);
    out->bytes = ls->snap->size;
    return EMB_OK;
}

EMB_API void emb_lists_free(emb_lists *ls)
{
    if (!ls)
        return;
    if (!ls->snap) {   /* from a snapshot they point into the mapping */
        emb_free((void *)ls->by_ref);
        emb_free((void *)ls->by_id);
    }
    emb_index_dispose(&ls->index);
    emb_snap_close(ls->snap);
    emb_translit_pool_dispose(&ls->pool);
    emb_tables_dispose(&ls->tables);
    emb_variants_dispose(&ls->variants);
    emb_model_dispose(&ls->model);
    emb_free(ls);
}

EMB_API size_t emb_lists_count(const emb_lists *ls)
{
    return ls->model.nlists;
}

EMB_API const emb_list_info *emb_lists_list(const emb_lists *ls, size_t i)
{
    return i < ls->model.nlists ? &ls->model.lists[i] : NULL;
}

EMB_API size_t emb_lists_entity_count(const emb_lists *ls)
{
    return ls->model.nentities;
}

EMB_API const emb_entity *emb_lists_entity(const emb_lists *ls, size_t i)
{
    if (!ls || i >= ls->model.nentities)
        return NULL;
    return ls->snap ? emb_snap_entity(ls->snap, i) : &ls->model.entities[i];
}

EMB_API const emb_entity *emb_lists_find(const emb_lists *ls, const char *key)
{
    if (!key)
        return NULL;
    const emb_entity *e = search(ls, ls->by_ref, key, ref_of);
    return e ? e : search(ls, ls->by_id, key, id_of);
}
