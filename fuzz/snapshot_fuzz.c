/*
 * snapshot_fuzz.c - fuzz target for opening an index snapshot
 * (src/snap/snapshot.h, emb_lists_open_index) and using what it opened.
 *
 * The input bytes are written to an anonymous in-memory file (memfd, opened
 * again by its /proc/self/fd path; a file from mkstemp under /tmp where memfd
 * is missing) and opened with emb_lists_open_index, every check included.
 * Random bytes rarely get past the header hash and never past the section
 * hashes, so an input refused there is opened a second time the way
 * emb_lists_open_index does it but with the section hashes skipped
 * (emb_snap_open(..., verify = 0), the fuzzing switch): a mutated section then
 * reaches the structural checks (section bounds, element sizes, counts) and
 * the lazy entity decoder.
 *
 * A refusal must be EMB_EPARSE/EMB_EIO with a message naming the file (or
 * EMB_ENOMEM/EMB_ETOOBIG). In a set that opens, every list info is read and
 * one entity is looked up by index, id and reference; a set opened with
 * every check is also screened with one query (the name of that entity and
 * "Choe Chun Sik"), whose results must be sane (entity, name and reason set,
 * score in 0..1). Never a crash, a leak or undefined behaviour.
 *
 * A set opened without the section hashes is screened too: the open checks
 * every value the index uses as a position (token, name and entity numbers,
 * offsets) against what it points into, with or without the hashes; this
 * target found the reads that check now prevents (name tokens, trigram
 * tokens, variant keys, entity names). -DEMB_SNAPSHOT_FUZZ_SCREEN_UNVERIFIED=0
 * turns that off. (The hashes are no defence against a crafted file: they
 * are not secret, and libFuzzer's comparison tracing can copy a computed
 * hash into the input.)
 *
 * Corpus: fuzz/corpus/snapshot/: small real snapshots (the OpenSanctions FtM
 * sample, the EU and UK fixtures, EU+UK together) and broken variants
 * (truncated, flipped header and section bytes, other format version, other
 * byte order, empty, a list file). Note: a snapshot carries a fingerprint of
 * the build that wrote it (embargo version, ICU version, index revision, the
 * name tables, struct sizes), so after such a change these files are refused
 * ("written by embargo ... with other matching code or name tables"): that
 * is fine for the replay, which only requires no crash, but regenerate them
 * then (embargo index build LIST -o FILE, and the broken variants from those)
 * or the fuzzer starts from inputs that stop at the fingerprint.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* memfd_create */
#endif
#include "util/compat.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "embargo.h"
#include "lib/lists.h"
#include "snap/snapshot.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;
static char path[64];

static void cleanup(void)
{
    if (fd >= 0 && strncmp(path, "/proc/", 6) != 0)
        unlink(path);
}

static int setup(void)
{
#if defined(__linux__) && defined(MFD_CLOEXEC)
    fd = memfd_create("emb-snapshot-fuzz", MFD_CLOEXEC);
    if (fd >= 0) {
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        return 0;
    }
#endif
    snprintf(path, sizeof(path), "/tmp/emb-snapshot-fuzz-XXXXXX");
    fd = mkstemp(path);
    if (fd < 0)
        return -1;
    atexit(cleanup);
    return 0;
}

static int put(const uint8_t *data, size_t size)
{
    if (ftruncate(fd, 0) != 0)
        return -1;
    size_t done = 0;
    while (done < size) {
        ssize_t n = pwrite(fd, data + done, size - done, (off_t)done);
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

/* A refusal names the file; only running out of memory may not. */
static void check_refusal(int rc)
{
    if (rc >= 0)
        abort();
    if (rc == EMB_ENOMEM || rc == EMB_ETOOBIG)
        return;
    if ((rc != EMB_EPARSE && rc != EMB_EIO) || !strstr(emb_err_last(), path))
        abort();
}

/* As emb_lists_open_index, without the section hashes. */
static int open_unverified(emb_lists **out)
{
    return emb_lists_open_snapshot(out, path, 0);
}

static void touch(const char *s)
{
    if (s && strlen(s) == (size_t)-1)
        abort();
}

#ifndef EMB_SNAPSHOT_FUZZ_SCREEN_UNVERIFIED
#define EMB_SNAPSHOT_FUZZ_SCREEN_UNVERIFIED 1
#endif

static void use(const emb_lists *ls, size_t seed, int screen)
{
    size_t nlists = emb_lists_count(ls), n = emb_lists_entity_count(ls), total = 0;
    for (size_t i = 0; i < nlists; i++) {
        const emb_list_info *li = emb_lists_list(ls, i);
        if (!li)
            abort();
        touch(li->id);
        touch(li->title);
        touch(li->format);
        touch(li->source);
        touch(li->date);
        total += li->nentities;
    }
    if (total != n || emb_lists_list(ls, nlists) || emb_lists_entity(ls, n))
        abort();
    emb_index_info ii;
    if (emb_lists_index_info(ls, &ii) != EMB_OK || strlen(ii.content_hash) != 16)
        abort();
    touch(ii.written_by);
    touch(ii.created);

    const char *name = NULL;
    if (n) {
        const emb_entity *e = emb_lists_entity(ls, seed % n);   /* NULL: a corrupt record */
        if (e) {
            touch(e->id);
            touch(e->reference);
            touch(e->caption);
            for (size_t k = 0; k < e->nnames; k++)
                touch(e->names[k].full);
            if (e->id) {
                const emb_entity *f = emb_lists_find(ls, e->id);
                if (f)
                    touch(f->id);
            }
            if (e->reference)
                (void)emb_lists_find(ls, e->reference);
            if (e->nnames && e->names[0].full && strlen(e->names[0].full) < 256)
                name = e->names[0].full;
        }
    }
    (void)emb_lists_find(ls, "KPi.013");
    (void)emb_lists_find(ls, "un-6908500");
    if (!screen)
        return;

    const char *names[2] = {"Choe Chun Sik", name};
    emb_query q = EMB_QUERY_INIT;
    q.names = names;
    q.nnames = name ? 2 : 1;
    emb_screen_opts o = EMB_SCREEN_OPTS_INIT;
    o.threshold = 0.0;
    o.cutoff = 0.0;
    o.limit = 10;
    emb_results *r = NULL;
    if (emb_screen(&r, ls, &q, &o) == EMB_OK) {
        for (size_t i = 0; i < emb_results_count(r); i++) {
            const emb_match *m = emb_results_get(r, i);
            if (!m->entity || !m->name || !m->reason || !(m->score >= 0.0 && m->score <= 1.0))
                abort();
            touch(m->entity->id);
            touch(m->name->full);
        }
        emb_results_free(r);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fd < 0 && setup() < 0)
        abort();
    if (put(data, size) < 0)
        return 0;
    emb_lists *ls = NULL;
    int rc = emb_lists_open_index(&ls, path);
    if (rc == EMB_OK) {
        use(ls, size, 1);
        emb_lists_free(ls);
        return 0;
    }
    check_refusal(rc);
    rc = open_unverified(&ls);
    if (rc == EMB_OK) {
        use(ls, size, EMB_SNAPSHOT_FUZZ_SCREEN_UNVERIFIED);
        emb_lists_free(ls);
        return 0;
    }
    check_refusal(rc);
    return 0;
}
