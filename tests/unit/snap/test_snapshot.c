/*
 * test_snapshot.c - index snapshots: a set saved and mapped again holds the
 * same entities (byte-identical records), the same lookups and gives the
 * same screening results, also from several threads; every kind of damage
 * (truncation, a flipped byte in any section, another format version,
 * another build, not a snapshot at all) is refused with a message that
 * names the file and the check.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "embargo.h"
#include "snap/codec.h"
#include "snap/snapshot.h"
#include "util/buf.h"

static const char *const list_paths[] = {
    "data/lists/un/un_sanctions.xml",
    "data/lists/ofac/consolidated_xml_2026-01-08/ofac.xml",
    "data/lists/opensanctions/entities.ftm.json",
    "tests/data/lists/eu/eu_fsf.xml",
    "tests/data/lists/uk/uk_conlist.csv",
};
#define NLISTS (sizeof(list_paths) / sizeof(list_paths[0]))

typedef struct fixture {
    emb_lists *built;
    emb_lists *mapped;
    char path[64];
    unsigned char *bytes;   /* the file */
    size_t size;
} fixture;

static fixture F;

static int setup(void **state)
{
    (void)state;
    emb_source src[NLISTS];
    memset(src, 0, sizeof(src));
    for (size_t i = 0; i < NLISTS; i++)
        src[i].path = list_paths[i];
    if (emb_lists_open(&F.built, src, NLISTS) < 0) {
        fprintf(stderr, "setup: %s\n", emb_err_last());
        return -1;
    }
    snprintf(F.path, sizeof(F.path), "/tmp/embargo-test-%ld.idx", (long)getpid());
    if (emb_lists_save_index(F.built, F.path) < 0 || emb_lists_open_index(&F.mapped, F.path) < 0) {
        fprintf(stderr, "setup: %s\n", emb_err_last());
        return -1;
    }
    FILE *f = fopen(F.path, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    F.size = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    F.bytes = malloc(F.size);
    size_t got = fread(F.bytes, 1, F.size, f);
    fclose(f);
    return got == F.size ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    emb_lists_free(F.built);
    emb_lists_free(F.mapped);
    unlink(F.path);
    free(F.bytes);
    return 0;
}

static void test_same_entities(void **state)
{
    (void)state;
    size_t n = emb_lists_entity_count(F.built);
    assert_int_equal(emb_lists_entity_count(F.mapped), n);
    assert_int_equal(emb_lists_count(F.mapped), NLISTS);
    for (size_t i = 0; i < NLISTS; i++) {
        const emb_list_info *a = emb_lists_list(F.built, i), *b = emb_lists_list(F.mapped, i);
        assert_string_equal(a->id, b->id);
        assert_string_equal(a->source, b->source);
        assert_int_equal(a->nentities, b->nentities);
        assert_true((a->date == NULL) == (b->date == NULL));
    }
    emb_buf ra, rb;
    emb_buf_init(&ra, 1 << 24);
    emb_buf_init(&rb, 1 << 24);
    for (size_t i = 0; i < n; i++) {
        const emb_entity *a = emb_lists_entity(F.built, i), *b = emb_lists_entity(F.mapped, i);
        assert_non_null(b);
        emb_buf_clear(&ra);
        emb_buf_clear(&rb);
        assert_int_equal(emb_codec_put_entity(&ra, a), EMB_OK);
        assert_int_equal(emb_codec_put_entity(&rb, b), EMB_OK);
        assert_int_equal(ra.len, rb.len);
        if (memcmp(ra.ptr, rb.ptr, ra.len) != 0)
            fail_msg("entity %zu (%s) differs after the snapshot", i, a->id);
        /* decoded once: the same pointer every time */
        assert_ptr_equal(emb_lists_entity(F.mapped, i), b);
        /* lookups by reference and by id */
        assert_ptr_equal(emb_lists_find(F.mapped, b->id), b);
        if (b->reference)
            assert_string_equal(emb_lists_find(F.mapped, b->reference)->reference, b->reference);
    }
    assert_null(emb_lists_entity(F.mapped, n));
    assert_null(emb_lists_find(F.mapped, "no-such-entity"));
    emb_buf_dispose(&ra);
    emb_buf_dispose(&rb);
    emb_index_info ii;
    assert_int_equal(emb_lists_index_info(F.mapped, &ii), EMB_OK);
    assert_int_equal(ii.bytes, F.size);
    assert_string_equal(ii.written_by, emb_version());
    assert_int_equal(strlen(ii.content_hash), 16);
    assert_int_equal(emb_lists_index_info(F.built, &ii), EMB_EINVAL);
}

/* Screen a name in both sets: identical results (entity, name, score). */
static void same_results(const char *name, const char *dob, const char *country)
{
    const char *names[1] = {name}, *dobs[1] = {dob}, *ccs[1] = {country};
    emb_query q = EMB_QUERY_INIT;
    q.names = names;
    q.nnames = 1;
    if (dob) {
        q.birth_dates = dobs;
        q.nbirth_dates = 1;
    }
    if (country) {
        q.countries = ccs;
        q.ncountries = 1;
    }
    emb_screen_opts o = EMB_SCREEN_OPTS_INIT;
    o.limit = 10;
    emb_results *a = NULL, *b = NULL;
    assert_int_equal(emb_screen(&a, F.built, &q, &o), EMB_OK);
    assert_int_equal(emb_screen(&b, F.mapped, &q, &o), EMB_OK);
    assert_int_equal(emb_results_count(a), emb_results_count(b));
    for (size_t i = 0; i < emb_results_count(a); i++) {
        const emb_match *x = emb_results_get(a, i), *y = emb_results_get(b, i);
        assert_string_equal(x->entity->id, y->entity->id);
        assert_string_equal(x->name->full, y->name->full);
        assert_true(fabs(x->score - y->score) < 1e-12);
        assert_string_equal(x->reason, y->reason);
    }
    emb_results_free(a);
    emb_results_free(b);
}

static void test_same_results(void **state)
{
    (void)state;
    size_t n = emb_lists_entity_count(F.built);
    for (size_t i = 0; i < n; i += 13) {
        const emb_entity *e = emb_lists_entity(F.built, i);
        for (size_t k = 0; k < e->nnames && k < 3; k++)
            same_results(e->names[k].full, NULL, NULL);
        same_results(e->names[0].full, e->nbirth_dates ? e->birth_dates[0].raw : NULL,
                     e->nnationalities ? e->nationalities[0].cc : NULL);
    }
    same_results("Choe Chun Sik", "1954", "kp");
    same_results("ЧОЕ ЧУН СИК", NULL, NULL);
}

static void *screen_thread(void *arg)
{
    size_t from = (size_t)(uintptr_t)arg;
    size_t n = emb_lists_entity_count(F.mapped);
    for (size_t i = from; i < n; i += 8) {
        const emb_entity *e = emb_lists_entity(F.mapped, i);
        const char *names[1] = {e->names[0].full};
        emb_query q = EMB_QUERY_INIT;
        q.names = names;
        q.nnames = 1;
        emb_results *r = NULL;
        if (emb_screen(&r, F.mapped, &q, NULL) < 0 || emb_results_count(r) == 0)
            return (void *)1;
        emb_results_free(r);
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    /* a fresh mapping, so that the threads race to decode entities */
    emb_lists *ls = NULL;
    assert_int_equal(emb_lists_open_index(&ls, F.path), EMB_OK);
    emb_lists *keep = F.mapped;
    F.mapped = ls;
    pthread_t th[8];
    for (size_t i = 0; i < 8; i++)
        pthread_create(&th[i], NULL, screen_thread, (void *)(uintptr_t)i);
    for (size_t i = 0; i < 8; i++) {
        void *ret = NULL;
        pthread_join(th[i], &ret);
        assert_null(ret);
    }
    F.mapped = keep;
    emb_lists_free(ls);
}

/* Write bytes to a file and try to open it; returns the error message. */
static int try_open(const unsigned char *b, size_t n, char *msg, size_t msgsz)
{
    char path[80];
    snprintf(path, sizeof(path), "/tmp/embargo-test-%ld-bad.idx", (long)getpid());
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
    emb_lists *ls = NULL;
    int rc = emb_lists_open_index(&ls, path);
    snprintf(msg, msgsz, "%s", rc < 0 ? emb_err_last() : "");
    emb_lists_free(ls);
    unlink(path);
    return rc;
}

static void refused(const unsigned char *b, size_t n, const char *want)
{
    char msg[1024];
    int rc = try_open(b, n, msg, sizeof(msg));
    if (rc >= 0)
        fail_msg("a damaged snapshot opened (expected \"%s\")", want);
    if (!strstr(msg, want) || !strstr(msg, "/tmp/embargo-test-"))
        fail_msg("message \"%s\" does not say \"%s\" and name the file", msg, want);
}

static void test_refusals(void **state)
{
    (void)state;
    unsigned char *b = malloc(F.size);
    /* truncated, at several points */
    refused(F.bytes, F.size - 1, "truncated");
    refused(F.bytes, F.size / 2, "truncated");
    refused(F.bytes, 300, "truncated");
    refused(F.bytes, 100, "not an embargo index snapshot");
    refused(F.bytes, 0, "not an embargo index snapshot");
    /* not a snapshot */
    refused((const unsigned char *)"<?xml version=\"1.0\"?><CONSOLIDATED_LIST/>" "                    "
                                   "                                                            "
                                   "                                                            "
                                   "                                                            "
                                   "                                                            ",
            300, "bad magic");
    /* another format version */
    memcpy(b, F.bytes, F.size);
    uint32_t v = 0;
    memcpy(b + 8, &v, 4);
    refused(b, F.size, "snapshot format 0");
    /* a header field changed: its hash */
    memcpy(b, F.bytes, F.size);
    b[200] ^= 1;
    refused(b, F.size, "header (hash mismatch)");
    /* another build: the fingerprint, with the header hash made right again */
    memcpy(b, F.bytes, F.size);
    b[24] ^= 1;   /* fingerprint, after magic, format, endian, file size */
    uint32_t nsec;
    memcpy(&nsec, b + 48, 4);
    unsigned char zero8[8] = {0};
    memcpy(b + 40, zero8, 8);
    uint64_t hh = emb_snap_hash(b, 256 + (size_t)nsec * 32, 0x01020304u);
    memcpy(b + 40, &hh, 8);
    refused(b, F.size, "other matching code or name tables");
    /* one byte flipped in each section */
    for (uint32_t i = 0; i < nsec; i++) {
        uint64_t off, count;
        uint32_t elem;
        memcpy(&elem, F.bytes + 256 + i * 32 + 4, 4);
        memcpy(&off, F.bytes + 256 + i * 32 + 8, 8);
        memcpy(&count, F.bytes + 256 + i * 32 + 16, 8);
        if (!count)
            continue;
        memcpy(b, F.bytes, F.size);
        b[off + (count * elem) / 2] ^= 0x10;
        refused(b, F.size, "fails its hash");
    }
    /* a value out of range in a section, every hash made right again: the
     * value checks refuse it (postings, section id 16, pointing past the
     * names; a name token past the vocabulary, id 14) */
    static const struct {
        uint32_t id;
        const char *want;
    } cases[] = {{16, "postings"}, {14, "name tokens"}, {34, "names of entities"},
                 {39, "fuzzy partner"}, {5, "entity lookups"}};
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        memcpy(b, F.bytes, F.size);
        int found = 0;
        for (uint32_t i = 0; i < nsec; i++) {
            uint32_t id, elem;
            uint64_t off, count;
            memcpy(&id, b + 256 + i * 32, 4);
            memcpy(&elem, b + 256 + i * 32 + 4, 4);
            memcpy(&off, b + 256 + i * 32 + 8, 8);
            memcpy(&count, b + 256 + i * 32 + 16, 8);
            if (id != cases[c].id || count == 0 || elem != 4)
                continue;
            uint32_t bad = 0x03ffffff;   /* a position far beyond any array here */
            memcpy(b + off + (count / 2) * 4, &bad, 4);
            uint64_t h = emb_snap_hash(b + off, count * elem, id);
            memcpy(b + 256 + i * 32 + 24, &h, 8);
            found = 1;
        }
        assert_true(found);
        /* content hash over (id, hash) of every section, then the header hash */
        unsigned char pairs[64 * 12];
        for (uint32_t i = 0; i < nsec; i++) {
            memcpy(pairs + i * 12, b + 256 + i * 32, 4);
            memcpy(pairs + i * 12 + 4, b + 256 + i * 32 + 24, 8);
        }
        uint64_t content = emb_snap_hash(pairs, nsec * 12, 0);
        memcpy(b + 32, &content, 8);
        memcpy(b + 40, zero8, 8);
        hh = emb_snap_hash(b, 256 + (size_t)nsec * 32, 0x01020304u);
        memcpy(b + 40, &hh, 8);
        refused(b, F.size, cases[c].want);
    }
    free(b);
    /* --index of a missing file */
    emb_lists *ls = NULL;
    assert_int_equal(emb_lists_open_index(&ls, "/nonexistent/x.idx"), EMB_EIO);
    assert_non_null(strstr(emb_err_last(), "/nonexistent/x.idx"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_entities),
        cmocka_unit_test(test_same_results),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
