/*
 * load_test_util.h - helpers shared by the loader tests (one cmocka binary
 * each): read a file, load it through format detection, and find entities,
 * names and identifiers in the model. Include after cmocka.h.
 * find_* return NULL when absent; need_* fail the test instead.
 */
#ifndef EMB_LOAD_TEST_UTIL_H
#define EMB_LOAD_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "load/load.h"

/* The whole file, NUL-terminated (not counted in *len); tests run from the
 * source root. Caller frees. */
static inline char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (tests run from the source root)", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    assert_true(n > 0);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Load a file through emb_load_buffer (format detection included). */
static inline int load_path(emb_model *m, const char *path)
{
    size_t len;
    char *buf = slurp(path, &len);
    int rc = emb_load_buffer(m, path, buf, len);
    free(buf);
    return rc;
}

static inline const emb_entity *by_ref(const emb_model *m, const char *ref)
{
    for (size_t i = 0; i < m->nentities; i++)
        if (strcmp(m->entities[i].reference, ref) == 0)
            return &m->entities[i];
    fail_msg("no entity %s", ref);
    return NULL;
}

static inline const emb_entity *by_id(const emb_model *m, const char *id)
{
    for (size_t i = 0; i < m->nentities; i++)
        if (strcmp(m->entities[i].id, id) == 0)
            return &m->entities[i];
    fail_msg("no entity %s", id);
    return NULL;
}

static inline const emb_name *find_name(const emb_entity *e, const char *full)
{
    for (size_t i = 0; i < e->nnames; i++)
        if (strcmp(e->names[i].full, full) == 0)
            return &e->names[i];
    return NULL;
}

static inline const emb_identifier *find_id(const emb_entity *e, const char *norm)
{
    for (size_t i = 0; i < e->nidentifiers; i++)
        if (e->identifiers[i].norm && strcmp(e->identifiers[i].norm, norm) == 0)
            return &e->identifiers[i];
    return NULL;
}

static inline const emb_name *need_name(const emb_entity *e, const char *full)
{
    const emb_name *n = find_name(e, full);
    if (!n)
        fail_msg("%s has no name %s", e->id, full);
    return n;
}

static inline const emb_identifier *need_id(const emb_entity *e, const char *norm)
{
    const emb_identifier *d = find_id(e, norm);
    if (!d)
        fail_msg("%s has no identifier %s", e->id, norm);
    return d;
}

#endif
