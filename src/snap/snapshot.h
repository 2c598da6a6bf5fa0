/*
 * snapshot.h - a list set with its built index in one file, opened by
 * memory-mapping it (issue #4): no parsing and no index build at open, and
 * every process that maps the same file shares its pages.
 *
 * Layout (format EMB_SNAP_FORMAT, little-endian, this machine's struct
 * layout, which the header's endian mark and struct sizes guard):
 *   header (256 bytes): magic "EMBSNAP\0", format, endian mark, file size,
 *     fingerprint of the code and tables the index depends on, content hash
 *     over every section, header hash over the header and the section table,
 *     counts, the embargo version that wrote it and when;
 *   section table: per section an id, element size, offset, count, hash;
 *   sections, each 64-byte aligned: list records and their offsets, entity
 *     records (src/snap/codec.h) and their offsets, entity indexes sorted
 *     by reference and by id, and every array of the index (match/index.h).
 *
 * Opening checks, in order: magic, format version, endian mark, file size,
 * header hash, fingerprint (a snapshot written by another build of the
 * matcher is refused: rebuild it), section bounds and element sizes, the
 * content hash (over every section's hash), the cross-section counts, then
 * the hash of every section and, in a second thread meanwhile, every value
 * the index uses as a position against what it points into (so that even a
 * file with consistent hashes cannot make a read leave the mapping). Any
 * failure refuses the whole file with a message naming it and what failed;
 * nothing is read blindly. Entity records are decoded on first use, with the
 * codec's own validation.
 *
 * Ownership: emb_snap_open fills a zeroed emb_lists: the mapping, the
 * decoded list infos and the lazily decoded entities belong to it and are
 * freed by emb_snap_close (called from emb_lists_free). Entity pointers
 * stay valid until then.
 */
#ifndef EMB_SNAPSHOT_H
#define EMB_SNAPSHOT_H

#include <pthread.h>
#include <stdatomic.h>
#include "embargo.h"
#include "util/arena.h"

#define EMB_SNAP_FORMAT 2
#define EMB_SNAP_MAX_ENTITY_ARENA ((size_t)16 << 30)   /* decoded entities, all of them */

typedef struct emb_snap {
    const unsigned char *map;
    size_t size;
    const uint64_t *ent_off;            /* nentities + 1 offsets into ent_blob */
    const unsigned char *ent_blob;
    size_t nentities;
    _Atomic(const emb_entity *) *cache; /* decoded entities, NULL until first use */
    pthread_mutex_t lock;               /* guards arena */
    emb_arena arena;
    uint64_t content_hash;
    char version[32];                   /* embargo version that wrote the file */
    char created[32];                   /* when, UTC */
} emb_snap;

struct emb_lists;

/* Write the set to path (through a temporary file renamed into place). */
int emb_snap_write(const struct emb_lists *ls, const char *path);

/* Map path into a zeroed list set (its tables and variants already loaded):
 * sets ls->snap, ls->model (list infos; no entity array), ls->index and the
 * lookup arrays. verify = 0 skips the section hashes (fuzzing only). */
int emb_snap_open(struct emb_lists *ls, const char *path, int verify);

/* Entity i, decoded on first use; NULL with emb_err_last() set when its
 * record is corrupt or memory runs out. Thread-safe. */
const emb_entity *emb_snap_entity(emb_snap *s, size_t i);

void emb_snap_close(emb_snap *s);   /* NULL-safe; frees s */

/* The 64-bit hash snapshots use (four multiply-xor lanes over 64-bit words,
 * then the tail): fast enough to check a whole file at open. */
uint64_t emb_snap_hash(const void *p, size_t n, uint64_t seed);

#endif
