/*
 * snapshot.c - write and map index snapshots (see snapshot.h for the
 * layout and the checks).
 *
 * Writing streams every section to a temporary file beside the target,
 * hashing as it goes, then writes the header and section table and renames
 * the file into place, so a reader never sees a half-written snapshot.
 * Opening maps the file read-only and shared, checks it, and points the
 * index arrays into the mapping.
 */
#define _GNU_SOURCE   /* MAP_POPULATE */
#include "util/compat.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <unicode/uversion.h>
#include "lib/lists.h"
#include "snap/codec.h"
#include "snap/snapshot.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/err.h"

#define SNAP_MAGIC "EMBSNAP"          /* 7 letters and a NUL: 8 bytes */
#define SNAP_ENDIAN 0x01020304u
#define SNAP_ALIGN 64
#define SNAP_HEADER_SIZE 256
#define SNAP_MAX_SECTIONS 64
#define SNAP_MAX_LISTS EMB_MODEL_MAX_LISTS

typedef struct snap_header {
    char magic[8];
    uint32_t format;
    uint32_t endian;
    uint64_t file_size;
    uint64_t fingerprint;
    uint64_t content_hash;
    uint64_t header_hash;     /* with this field zero, over header and table */
    uint32_t nsections;
    uint32_t nlists;
    uint64_t nentities;
    char version[32];
    char created[32];
    uint8_t reserved[SNAP_HEADER_SIZE - 8 - 4 - 4 - 8 * 4 - 4 - 4 - 8 - 64];
} snap_header;

_Static_assert(sizeof(snap_header) == SNAP_HEADER_SIZE, "snapshot header is 256 bytes");

typedef struct snap_section {
    uint32_t id;
    uint32_t elem;            /* element size in bytes */
    uint64_t off;             /* from the start of the file, SNAP_ALIGN aligned */
    uint64_t count;           /* elements */
    uint64_t hash;            /* emb_snap_hash of the count * elem bytes */
} snap_section;

enum {
    S_LIST_OFF = 1, S_LIST_BLOB, S_ENT_OFF, S_ENT_BLOB, S_BY_REF, S_BY_ID,
    S_TOKS = 10, S_TOKSTR, S_SLOTS, S_PNAMES, S_NAME_TOKS, S_POST_OFF, S_POST,
    S_TRI_KEYS, S_TRI_OFF, S_TRI_TOKS, S_TRI_LENS,
    S_KEYS_OFF, S_KEYS_LEN, S_KEYS_POOL, S_KEYS_SLOTS,
    S_IDS_OFF, S_IDS_LEN, S_IDS_POOL, S_IDS_SLOTS,
    S_IDENT_OFF, S_IDENT_ENTS, S_KEY_OFF, S_KEY_TOKS,
    S_ENT_PNAME_OFF, S_ENT_PNAMES, S_ENT_SCHEMA, S_ENT_FACTS, S_PNAME_INIT,
    S_NEAR_OFF, S_NEAR, S_TOK_LETTERS, S_POST_INIT_OFF, S_POST_INIT,
    S_FDEL_OFF, S_FDEL_KEYS, S_ACR_OFF, S_ACR_PN, S_TRI_LETTERS,
    S_LAST
};

static const char *const section_name[S_LAST] = {
    [S_LIST_OFF] = "list offsets", [S_LIST_BLOB] = "list records",
    [S_ENT_OFF] = "entity offsets", [S_ENT_BLOB] = "entity records",
    [S_BY_REF] = "entities by reference", [S_BY_ID] = "entities by id",
    [S_TOKS] = "vocabulary", [S_TOKSTR] = "vocabulary strings", [S_SLOTS] = "vocabulary hash",
    [S_PNAMES] = "names", [S_NAME_TOKS] = "name tokens", [S_POST_OFF] = "posting offsets",
    [S_POST] = "postings", [S_TRI_KEYS] = "trigram keys", [S_TRI_OFF] = "trigram offsets",
    [S_TRI_TOKS] = "trigram tokens", [S_TRI_LENS] = "trigram token lengths",
    [S_TRI_LETTERS] = "trigram token letters",
    [S_KEYS_OFF] = "variant key offsets", [S_KEYS_LEN] = "variant key lengths",
    [S_KEYS_POOL] = "variant key strings", [S_KEYS_SLOTS] = "variant key hash",
    [S_IDS_OFF] = "identifier offsets", [S_IDS_LEN] = "identifier lengths",
    [S_IDS_POOL] = "identifier strings", [S_IDS_SLOTS] = "identifier hash",
    [S_IDENT_OFF] = "identifier entity offsets", [S_IDENT_ENTS] = "identifier entities",
    [S_KEY_OFF] = "variant key token offsets", [S_KEY_TOKS] = "variant key tokens",
    [S_ENT_PNAME_OFF] = "entity name offsets", [S_ENT_PNAMES] = "entity names",
    [S_ENT_SCHEMA] = "entity schemas", [S_ENT_FACTS] = "entity facts",
    [S_PNAME_INIT] = "names with initials",
    [S_NEAR_OFF] = "fuzzy partner offsets", [S_NEAR] = "fuzzy partners",
    [S_TOK_LETTERS] = "vocabulary letter sets",
    [S_POST_INIT_OFF] = "posting offsets, names with initials",
    [S_POST_INIT] = "postings, names with initials",
    [S_FDEL_OFF] = "form deletion offsets", [S_FDEL_KEYS] = "form deletion keys",
    [S_ACR_OFF] = "acronym offsets", [S_ACR_PN] = "acronym names",
};

/* ---- hashing --------------------------------------------------------------- */

typedef struct hstate {
    uint64_t lane[4];
    uint64_t words;
    uint64_t tail;            /* bytes not yet forming a word, little-endian */
    unsigned ntail;
} hstate;

static void h_init(hstate *h, uint64_t seed)
{
    h->lane[0] = seed ^ 0x9E3779B97F4A7C15ull;
    h->lane[1] = seed ^ 0xC2B2AE3D27D4EB4Full;
    h->lane[2] = seed ^ 0x165667B19E3779F9ull;
    h->lane[3] = seed ^ 0x27D4EB2F165667C5ull;
    h->words = 0;
    h->tail = 0;
    h->ntail = 0;
}

static const uint64_t h_mul[4] = {0x9E3779B97F4A7C15ull, 0xC2B2AE3D27D4EB4Full,
                                  0x165667B19E3779F9ull, 0x27D4EB2F165667C5ull};

static void h_word(hstate *h, uint64_t w)
{
    unsigned k = (unsigned)(h->words++ & 3);
    h->lane[k] = (h->lane[k] ^ w) * h_mul[k];
}

static void h_update(hstate *h, const void *p, size_t n)
{
    const unsigned char *b = p;
    while (n && h->ntail) {
        h->tail |= (uint64_t)*b++ << (8 * h->ntail);
        n--;
        if (++h->ntail == 8) {
            h_word(h, h->tail);
            h->tail = 0;
            h->ntail = 0;
        }
    }
    /* four words at a time while the lanes line up */
    while (n >= 32 && (h->words & 3) == 0) {
        uint64_t w[4];
        memcpy(w, b, 32);
        for (unsigned k = 0; k < 4; k++)
            h->lane[k] = (h->lane[k] ^ w[k]) * h_mul[k];
        h->words += 4;
        b += 32;
        n -= 32;
    }
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, b, 8);
        h_word(h, w);
        b += 8;
        n -= 8;
    }
    while (n--) {
        h->tail |= (uint64_t)*b++ << (8 * h->ntail);
        h->ntail++;
    }
}

static uint64_t h_final(const hstate *h)
{
    uint64_t x = h->lane[0] ^ (h->lane[1] << 1 | h->lane[1] >> 63) ^
                 (h->lane[2] << 2 | h->lane[2] >> 62) ^ (h->lane[3] << 3 | h->lane[3] >> 61);
    x ^= (h->words * 8 + h->ntail) * 0xFF51AFD7ED558CCDull;
    x ^= h->tail * 0xC4CEB9FE1A85EC53ull;
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDull;
    x ^= x >> 33;
    return x;
}

uint64_t emb_snap_hash(const void *p, size_t n, uint64_t seed)
{
    hstate h;
    h_init(&h, seed);
    h_update(&h, p, n);
    return h_final(&h);
}

/* What the index depends on besides its input: the code that normalises and
 * indexes names (format and revision, embargo and ICU versions) and the
 * word tables compiled in. A snapshot from any other build is refused. */
extern const char emb__blob_titles[], emb__blob_titles_end[];
extern const char emb__blob_generic[], emb__blob_generic_end[];
extern const char emb__blob_variant_classes[], emb__blob_variant_classes_end[];
extern const char emb__blob_rewrites[], emb__blob_rewrites_end[];
extern const char emb__blob_countries[], emb__blob_countries_end[];

static uint64_t fingerprint(void)
{
    hstate h;
    h_init(&h, EMB_SNAP_FORMAT);
    char buf[160];
    int n = snprintf(buf, sizeof(buf), "format %d index %d embargo %s icu %s struct %zu/%zu/%zu",
                     EMB_SNAP_FORMAT, EMB_INDEX_REVISION, emb_version(), U_ICU_VERSION,
                     sizeof(emb_vtok), sizeof(emb_pname), sizeof(emb_entfacts));
    h_update(&h, buf, (size_t)n);
    const char *b[][2] = {{emb__blob_titles, emb__blob_titles_end},
                          {emb__blob_generic, emb__blob_generic_end},
                          {emb__blob_variant_classes, emb__blob_variant_classes_end},
                          {emb__blob_rewrites, emb__blob_rewrites_end},
                          {emb__blob_countries, emb__blob_countries_end}};
    for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++)
        h_update(&h, b[i][0], (size_t)(b[i][1] - b[i][0]));
    return h_final(&h);
}

/* ---- writing --------------------------------------------------------------- */

typedef struct writer {
    FILE *f;
    const char *path;         /* for messages */
    uint64_t pos;
    snap_section sec[SNAP_MAX_SECTIONS];
    uint32_t nsec;
    hstate h;                 /* the open section */
    hstate all;               /* every section's hash, in order: the content hash */
} writer;

static int w_bytes(writer *w, const void *p, size_t n)
{
    if (n && fwrite(p, 1, n, w->f) != n)
        return emb_err_set(EMB_EIO, "%s: write error: %s", w->path, strerror(errno));
    w->pos += n;
    return EMB_OK;
}

static int w_pad(writer *w, size_t align)
{
    static const unsigned char zero[SNAP_ALIGN];
    size_t pad = (size_t)((align - w->pos % align) % align);
    return w_bytes(w, zero, pad);
}

static int w_begin(writer *w, uint32_t id, uint32_t elem)
{
    if (w->nsec == SNAP_MAX_SECTIONS)
        return emb_err_set(EMB_ETOOBIG, "%s: too many sections", w->path);
    int rc = w_pad(w, SNAP_ALIGN);
    if (rc < 0)
        return rc;
    snap_section *s = &w->sec[w->nsec];
    memset(s, 0, sizeof(*s));
    s->id = id;
    s->elem = elem;
    s->off = w->pos;
    h_init(&w->h, id);
    return EMB_OK;
}

static int w_data(writer *w, const void *p, size_t n)
{
    h_update(&w->h, p, n);
    return w_bytes(w, p, n);
}

static void w_end(writer *w)
{
    snap_section *s = &w->sec[w->nsec++];
    s->count = (w->pos - s->off) / s->elem;
    s->hash = h_final(&w->h);
    /* the content hash covers every section through its hash */
    h_update(&w->all, &s->id, sizeof(s->id));
    h_update(&w->all, &s->hash, sizeof(s->hash));
}

static int w_array(writer *w, uint32_t id, const void *p, size_t elem, size_t count)
{
    int rc = w_begin(w, id, (uint32_t)elem);
    if (rc == EMB_OK)
        rc = w_data(w, p, elem * count);
    if (rc == EMB_OK)
        w_end(w);
    return rc;
}

static int write_strtab(writer *w, const emb_strtab *t, uint32_t first)
{
    int rc = w_array(w, first, t->off, sizeof(uint32_t), t->n);
    if (rc == EMB_OK)
        rc = w_array(w, first + 1, t->len, sizeof(uint32_t), t->n);
    if (rc == EMB_OK)
        rc = w_array(w, first + 2, t->pool, 1, t->npool);
    if (rc == EMB_OK)
        rc = w_array(w, first + 3, t->slots, sizeof(uint32_t), t->nslots);
    return rc;
}

static int write_sections(writer *w, const emb_lists *ls)
{
    const emb_model *m = &ls->model;
    const emb_index *ix = &ls->index;
    emb_buf rec;
    emb_buf_init(&rec, (size_t)1 << 24);
    uint64_t *offs = emb_malloc((m->nentities + 1) * sizeof(uint64_t));
    int rc = offs ? EMB_OK : EMB_ENOMEM;
    /* lists */
    if (rc == EMB_OK)
        rc = w_begin(w, S_LIST_BLOB, 1);
    uint64_t loffs[SNAP_MAX_LISTS + 1];
    uint64_t at = 0;
    for (size_t i = 0; i < m->nlists && rc == EMB_OK; i++) {
        emb_buf_clear(&rec);
        loffs[i] = at;
        if ((rc = emb_codec_put_list(&rec, &m->lists[i])) == EMB_OK)
            rc = w_data(w, rec.ptr, rec.len);
        at += rec.len;
    }
    loffs[m->nlists] = at;
    if (rc == EMB_OK) {
        w_end(w);
        rc = w_array(w, S_LIST_OFF, loffs, sizeof(uint64_t), m->nlists + 1);
    }
    /* entities, streamed */
    if (rc == EMB_OK)
        rc = w_begin(w, S_ENT_BLOB, 1);
    at = 0;
    for (size_t e = 0; e < m->nentities && rc == EMB_OK; e++) {
        emb_buf_clear(&rec);
        offs[e] = at;
        rc = emb_codec_put_entity(&rec, &m->entities[e]);
        if (rc < 0) {
            rc = emb_err_set(rc, "%s: entity %s: %s", w->path, m->entities[e].id, emb_err_last());
            break;
        }
        rc = w_data(w, rec.ptr, rec.len);
        at += rec.len;
    }
    if (rc == EMB_OK) {
        offs[m->nentities] = at;
        w_end(w);
        rc = w_array(w, S_ENT_OFF, offs, sizeof(uint64_t), m->nentities + 1);
    }
    if (rc == EMB_OK)
        rc = w_array(w, S_BY_REF, ls->by_ref, sizeof(uint32_t), m->nentities);
    if (rc == EMB_OK)
        rc = w_array(w, S_BY_ID, ls->by_id, sizeof(uint32_t), m->nentities);
    /* the index */
#define ARR(id, p, n)                                                                           \
    do {                                                                                        \
        if (rc == EMB_OK)                                                                       \
            rc = w_array(w, id, p, sizeof(*(p)), n);                                            \
    } while (0)
    ARR(S_TOKS, ix->toks, ix->ntoks);
    ARR(S_TOKSTR, ix->tokstr, ix->ntokstr);
    ARR(S_SLOTS, ix->slots, ix->nslots);
    ARR(S_PNAMES, ix->pnames, ix->npnames);
    ARR(S_NAME_TOKS, ix->name_toks, ix->nname_toks);
    ARR(S_POST_OFF, ix->post_off, ix->ntoks + 1);
    ARR(S_POST, ix->post, ix->post_off[ix->ntoks]);
    ARR(S_TRI_KEYS, ix->tri.keys, ix->tri.n);
    ARR(S_TRI_OFF, ix->tri.off, ix->tri.n + 1);
    ARR(S_TRI_TOKS, ix->tri.toks, ix->tri.off[ix->tri.n]);
    ARR(S_TRI_LENS, ix->tri.lens, ix->tri.off[ix->tri.n]);
    ARR(S_TRI_LETTERS, ix->tri.letters, ix->tri.off[ix->tri.n]);
    if (rc == EMB_OK)
        rc = write_strtab(w, &ix->keys, S_KEYS_OFF);
    if (rc == EMB_OK)
        rc = write_strtab(w, &ix->idents, S_IDS_OFF);
    ARR(S_IDENT_OFF, ix->ident_off, ix->idents.n + 1);
    ARR(S_IDENT_ENTS, ix->ident_ents, ix->ident_off[ix->idents.n]);
    ARR(S_KEY_OFF, ix->key_off, ix->keys.n + 1);
    ARR(S_KEY_TOKS, ix->key_toks, ix->key_off[ix->keys.n]);
    ARR(S_ENT_PNAME_OFF, ix->ent_pname_off, ix->nentities + 1);
    ARR(S_ENT_PNAMES, ix->ent_pnames, ix->ent_pname_off[ix->nentities]);
    ARR(S_ENT_SCHEMA, ix->ent_schema, ix->nentities);
    ARR(S_ENT_FACTS, ix->ent_facts, ix->nentities);
    ARR(S_PNAME_INIT, ix->pname_init, ix->npnames / 8 + 1);
    ARR(S_TOK_LETTERS, ix->tok_letters, ix->ntoks);
    ARR(S_POST_INIT_OFF, ix->post_init_off, ix->ntoks + 1);
    ARR(S_POST_INIT, ix->post_init, ix->post_init_off[ix->ntoks]);
    ARR(S_FDEL_OFF, ix->fdel_off, ix->nfdel + 1);
    ARR(S_FDEL_KEYS, ix->fdel_keys, ix->fdel_off[ix->nfdel]);
    ARR(S_ACR_OFF, ix->acr_off, ix->nacr + 1);
    ARR(S_ACR_PN, ix->acr_pn, ix->acr_off[ix->nacr]);
    /* every token's fuzzy partners, found once here instead of per query */
    uint32_t *noff = NULL, *nvals = NULL;
    if (rc == EMB_OK) {
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        rc = emb_index_near_lists(ix, ncpu > 0 ? (unsigned)ncpu : 1, &noff, &nvals);
    }
    ARR(S_NEAR_OFF, noff, ix->ntoks + 1);
    ARR(S_NEAR, nvals, noff ? noff[ix->ntoks] : 0);
    emb_free(noff);
    emb_free(nvals);
#undef ARR
    if (rc == EMB_OK)
        rc = w_pad(w, SNAP_ALIGN);
    emb_free(offs);
    emb_buf_dispose(&rec);
    return rc;
}

static uint64_t header_hash(const snap_header *hd, const snap_section *sec)
{
    snap_header copy = *hd;
    copy.header_hash = 0;
    hstate h;
    h_init(&h, SNAP_ENDIAN);
    h_update(&h, &copy, sizeof(copy));
    h_update(&h, sec, hd->nsections * sizeof(snap_section));
    return h_final(&h);
}

int emb_snap_write(const emb_lists *ls, const char *path)
{
    if (ls->snap)
        return emb_err_set(EMB_EINVAL, "%s: a set opened from a snapshot is saved as it is: "
                                       "copy its file", path);
    char tmp[4096];
    if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof(tmp))
        return emb_err_set(EMB_EINVAL, "%s: path too long", path);
    writer w;
    memset(&w, 0, sizeof(w));
    w.path = path;
    w.f = fopen(tmp, "wb");
    if (!w.f)
        return emb_err_set(EMB_EIO, "%s: cannot create: %s", tmp, strerror(errno));
    h_init(&w.all, 0);
    /* header and table come first; written for real once the sections are */
    static const unsigned char zero[SNAP_HEADER_SIZE + SNAP_MAX_SECTIONS * sizeof(snap_section)];
    size_t lead = SNAP_HEADER_SIZE + SNAP_MAX_SECTIONS * sizeof(snap_section);
    int rc = w_bytes(&w, zero, lead);
    if (rc == EMB_OK)
        rc = write_sections(&w, ls);
    snap_header hd;
    memset(&hd, 0, sizeof(hd));
    if (rc == EMB_OK) {
        memcpy(hd.magic, SNAP_MAGIC, sizeof(hd.magic));
        hd.format = EMB_SNAP_FORMAT;
        hd.endian = SNAP_ENDIAN;
        hd.file_size = w.pos;
        hd.fingerprint = fingerprint();
        hd.content_hash = h_final(&w.all);
        hd.nsections = w.nsec;
        hd.nlists = (uint32_t)ls->model.nlists;
        hd.nentities = ls->model.nentities;
        snprintf(hd.version, sizeof(hd.version), "%s", emb_version());
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(hd.created, sizeof(hd.created), "%Y-%m-%dT%H:%M:%SZ", &tm);
        hd.header_hash = header_hash(&hd, w.sec);
        if (fseek(w.f, 0, SEEK_SET) != 0 || fwrite(&hd, sizeof(hd), 1, w.f) != 1 ||
            fwrite(w.sec, sizeof(snap_section), w.nsec, w.f) != w.nsec)
            rc = emb_err_set(EMB_EIO, "%s: write error: %s", tmp, strerror(errno));
    }
    if (fflush(w.f) != 0 && rc == EMB_OK)
        rc = emb_err_set(EMB_EIO, "%s: write error: %s", tmp, strerror(errno));
    if (fsync(fileno(w.f)) != 0 && rc == EMB_OK)
        rc = emb_err_set(EMB_EIO, "%s: cannot sync: %s", tmp, strerror(errno));
    if (fclose(w.f) != 0 && rc == EMB_OK)
        rc = emb_err_set(EMB_EIO, "%s: write error: %s", tmp, strerror(errno));
    if (rc == EMB_OK && rename(tmp, path) != 0)
        rc = emb_err_set(EMB_EIO, "%s: cannot rename into place: %s", path, strerror(errno));
    if (rc < 0)
        unlink(tmp);
    return rc;
}

/* ---- opening ---------------------------------------------------------------- */

typedef struct reader {
    const char *path;
    const unsigned char *map;
    size_t size;
    const snap_section *sec[S_LAST];
} reader;

/* Section id, checked to hold elements of size elem; *n receives the count. */
static int r_get(reader *r, int id, size_t elem, const void **p, size_t *n)
{
    const snap_section *s = r->sec[id];
    *p = NULL;
    *n = 0;
    if (!s)
        return emb_err_set(EMB_EPARSE, "%s: section '%s' missing", r->path, section_name[id]);
    if (s->elem != elem)
        return emb_err_set(EMB_EPARSE, "%s: section '%s' holds %u-byte elements, expected %zu",
                           r->path, section_name[id], s->elem, elem);
    *p = r->map + s->off;
    *n = (size_t)s->count;
    return EMB_OK;
}

/* The same, also requiring exactly `want` elements. */
static int r_exact(reader *r, int id, size_t elem, const void **p, size_t want)
{
    size_t n;
    int rc = r_get(r, id, elem, p, &n);
    if (rc == EMB_OK && n != want)
        rc = emb_err_set(EMB_EPARSE, "%s: section '%s' has %zu elements, expected %zu", r->path,
                         section_name[id], n, want);
    return rc;
}

static int bad(reader *r, const char *what)
{
    return emb_err_set(EMB_EPARSE, "%s: inconsistent snapshot: %s", r->path, what);
}

static int open_strtab(reader *r, emb_strtab *t, int first)
{
    const void *p;
    size_t n = 0, np = 0, ns = 0;
    int rc = r_get(r, first, sizeof(uint32_t), &p, &n);
    if (rc < 0)
        return rc;
    t->off = (uint32_t *)p;
    t->n = n;
    if ((rc = r_exact(r, first + 1, sizeof(uint32_t), &p, n)) < 0)
        return rc;
    t->len = (uint32_t *)p;
    if ((rc = r_get(r, first + 2, 1, &p, &np)) < 0)
        return rc;
    t->pool = (char *)p;
    t->npool = t->cpool = np;
    if ((rc = r_get(r, first + 3, sizeof(uint32_t), &p, &ns)) < 0)
        return rc;
    t->slots = (uint32_t *)p;
    t->nslots = ns;
    if (n && (ns < 2 * n || (ns & (ns - 1)) || !np || t->pool[np - 1] != '\0'))
        return bad(r, section_name[first]);
    return EMB_OK;
}

static int open_index(reader *r, emb_index *ix, size_t nent)
{
    const void *p;
    size_t n;
    int rc;
#define GET(id, field, count)                                                                   \
    do {                                                                                        \
        if ((rc = r_get(r, id, sizeof(*ix->field), &p, &n)) < 0)                                \
            return rc;                                                                          \
        ix->field = (void *)p;                                                                  \
        count = n;                                                                              \
    } while (0)
#define EXACT(id, field, want)                                                                  \
    do {                                                                                        \
        if ((rc = r_exact(r, id, sizeof(*ix->field), &p, want)) < 0)                            \
            return rc;                                                                          \
        ix->field = (void *)p;                                                                  \
    } while (0)
    ix->mapped = 1;
    ix->nentities = nent;
    GET(S_TOKS, toks, ix->ntoks);
    GET(S_TOKSTR, tokstr, ix->ntokstr);
    GET(S_SLOTS, slots, ix->nslots);
    GET(S_PNAMES, pnames, ix->npnames);
    GET(S_NAME_TOKS, name_toks, ix->nname_toks);
    EXACT(S_POST_OFF, post_off, ix->ntoks + 1);
    EXACT(S_POST, post, ix->post_off[ix->ntoks]);
    GET(S_TRI_KEYS, tri.keys, ix->tri.n);
    EXACT(S_TRI_OFF, tri.off, ix->tri.n + 1);
    EXACT(S_TRI_TOKS, tri.toks, ix->tri.off[ix->tri.n]);
    EXACT(S_TRI_LENS, tri.lens, ix->tri.off[ix->tri.n]);
    EXACT(S_TRI_LETTERS, tri.letters, ix->tri.off[ix->tri.n]);
    if ((rc = open_strtab(r, &ix->keys, S_KEYS_OFF)) < 0 ||
        (rc = open_strtab(r, &ix->idents, S_IDS_OFF)) < 0)
        return rc;
    EXACT(S_IDENT_OFF, ident_off, ix->idents.n + 1);
    EXACT(S_IDENT_ENTS, ident_ents, ix->ident_off[ix->idents.n]);
    EXACT(S_KEY_OFF, key_off, ix->keys.n + 1);
    EXACT(S_KEY_TOKS, key_toks, ix->key_off[ix->keys.n]);
    EXACT(S_ENT_PNAME_OFF, ent_pname_off, nent + 1);
    EXACT(S_ENT_PNAMES, ent_pnames, ix->ent_pname_off[nent]);
    EXACT(S_ENT_SCHEMA, ent_schema, nent);
    EXACT(S_ENT_FACTS, ent_facts, nent);
    EXACT(S_PNAME_INIT, pname_init, ix->npnames / 8 + 1);
    EXACT(S_NEAR_OFF, near_off, ix->ntoks + 1);
    EXACT(S_NEAR, near, ix->near_off[ix->ntoks]);
    EXACT(S_TOK_LETTERS, tok_letters, ix->ntoks);
    EXACT(S_POST_INIT_OFF, post_init_off, ix->ntoks + 1);
    EXACT(S_POST_INIT, post_init, ix->post_init_off[ix->ntoks]);
    GET(S_FDEL_OFF, fdel_off, ix->nfdel);
    if (ix->nfdel < 2 || ((ix->nfdel - 1) & (ix->nfdel - 2)))
        return bad(r, "form deletion hash size");
    ix->nfdel--;
    EXACT(S_FDEL_KEYS, fdel_keys, ix->fdel_off[ix->nfdel]);
    GET(S_ACR_OFF, acr_off, ix->nacr);
    if (ix->nacr < 2 || ((ix->nacr - 1) & (ix->nacr - 2)))
        return bad(r, "acronym hash size");
    ix->nacr--;
    EXACT(S_ACR_PN, acr_pn, ix->acr_off[ix->nacr]);
#undef GET
#undef EXACT
    ix->ctokstr = ix->ntokstr;
    /* what lookups rely on without checking each time */
    if (ix->ntoks && (ix->nslots < 2 * ix->ntoks || (ix->nslots & (ix->nslots - 1))))
        return bad(r, "vocabulary hash size");
    if (ix->ntokstr && ix->tokstr[ix->ntokstr - 1] != '\0')
        return bad(r, "vocabulary strings not terminated");
    if (ix->ent_pname_off[nent] != ix->npnames)
        return bad(r, "entity names do not cover the names");
    return EMB_OK;
}

static int open_lists(reader *r, emb_model *m, size_t nlists, size_t nent)
{
    const void *p;
    size_t nblob;
    const uint64_t *off;
    int rc = r_exact(r, S_LIST_OFF, sizeof(uint64_t), &p, nlists + 1);
    if (rc < 0)
        return rc;
    off = p;
    if ((rc = r_get(r, S_LIST_BLOB, 1, &p, &nblob)) < 0)
        return rc;
    const unsigned char *blob = p;
    m->lists = emb_calloc(nlists ? nlists : 1, sizeof(emb_list_info));   /* as the model's own */
    if (!m->lists)
        return emb_err_set(EMB_ENOMEM, "out of memory");
    size_t total = 0;
    for (size_t i = 0; i < nlists; i++) {
        if (off[i] > off[i + 1] || off[i + 1] > nblob || off[i] % 8)
            return bad(r, "list record offsets");
        if ((rc = emb_codec_get_list(&m->lists[i], blob + off[i], (size_t)(off[i + 1] - off[i]),
                                     &m->arena)) < 0)
            return emb_err_set(rc, "%s: list %zu: %s", r->path, i, emb_err_last());
        total += m->lists[i].nentities;
    }
    if (total != nent)
        return bad(r, "list entity counts do not add up");
    m->nlists = nlists;
    m->nentities = nent;
    m->entities = NULL;
    return EMB_OK;
}

/* ---- value checks ------------------------------------------------------------ */

typedef struct check_job {
    reader *r;
    emb_lists *ls;
    size_t nent;
    emb_index ix;             /* set up from the mapping */
    int rc;
    char msg[512];
} check_job;

#define CHECK(cond, ...)                                                                        \
    do {                                                                                        \
        if (!(cond)) {                                                                          \
            snprintf(j->msg, sizeof(j->msg), __VA_ARGS__);                                      \
            return EMB_EPARSE;                                                                  \
        }                                                                                       \
    } while (0)

/* CSR offsets: start at 0, never decrease, end at total. */
static int csr_ok(const uint32_t *off, size_t n, size_t total)
{
    if (off[0] != 0 || off[n] != total)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (off[i] > off[i + 1])
            return 0;
    return 1;
}

static int below(const uint32_t *v, size_t n, size_t lim, uint32_t mask)
{
    for (size_t i = 0; i < n; i++)
        if ((v[i] & mask) >= lim)
            return 0;
    return 1;
}

static int strtab_ok(const emb_strtab *t)
{
    for (size_t i = 0; i < t->n; i++)
        if ((size_t)t->off[i] + t->len[i] >= t->npool || t->pool[t->off[i] + t->len[i]] != '\0')
            return 0;
    return below(t->slots, t->nslots, t->n + 1, UINT32_MAX);
}

/* Every value the index and the lookups use as a position, against what it
 * points into: with these, no read goes outside the mapping. */
static int check_values(check_job *j, const emb_index *ix)
{
    const char *f = j->r->path;
    size_t nent = j->nent, nt = ix->ntoks, np = ix->npnames;
    emb_snap *s = j->ls->snap;
    for (size_t i = 0; i < nt; i++) {
        const emb_vtok *v = &ix->toks[i];
        CHECK((size_t)v->soff + v->len < ix->ntokstr && ix->tokstr[v->soff + v->len] == '\0',
              "%s: corrupt snapshot: token %zu outside the token strings", f, i);
        for (int k = 0; k < 3; k++)
            CHECK(v->vkey[k] == EMB_NO_KEY || v->vkey[k] < ix->keys.n,
                  "%s: corrupt snapshot: token %zu: bad variant key", f, i);
    }
    CHECK(below(ix->slots, ix->nslots, nt + 1, UINT32_MAX),
          "%s: corrupt snapshot: vocabulary hash", f);
    for (size_t i = 0; i < np; i++) {
        const emb_pname *pn = &ix->pnames[i];
        CHECK(pn->entity < nent && (size_t)pn->tok_off + pn->ntok <= ix->nname_toks &&
                  pn->ntok <= EMB_NAME_MAX_TOKENS && pn->script <= 1 &&
                  pn->kind <= EMB_NAME_VESSEL && pn->ninit <= pn->ntok,
              "%s: corrupt snapshot: name %zu", f, i);
    }
    CHECK(below(ix->name_toks, ix->nname_toks, nt, UINT32_MAX),
          "%s: corrupt snapshot: name tokens", f);
    CHECK(csr_ok(ix->post_off, nt, ix->post_off[nt]) &&
              below(ix->post, ix->post_off[nt], np, EMB_POST_PNAME),
          "%s: corrupt snapshot: postings", f);
    CHECK(csr_ok(ix->post_init_off, nt, ix->post_init_off[nt]) &&
              below(ix->post_init, ix->post_init_off[nt], np, EMB_POST_PNAME),
          "%s: corrupt snapshot: postings of names with initials", f);
    CHECK(csr_ok(ix->tri.off, ix->tri.n, ix->tri.off[ix->tri.n]) &&
              below(ix->tri.toks, ix->tri.off[ix->tri.n], nt, UINT32_MAX),
          "%s: corrupt snapshot: trigrams", f);
    CHECK(strtab_ok(&ix->keys) && strtab_ok(&ix->idents),
          "%s: corrupt snapshot: key or identifier strings", f);
    CHECK(csr_ok(ix->ident_off, ix->idents.n, ix->ident_off[ix->idents.n]) &&
              below(ix->ident_ents, ix->ident_off[ix->idents.n], nent, UINT32_MAX),
          "%s: corrupt snapshot: identifier index", f);
    CHECK(csr_ok(ix->key_off, ix->keys.n, ix->key_off[ix->keys.n]) &&
              below(ix->key_toks, ix->key_off[ix->keys.n], nt, UINT32_MAX),
          "%s: corrupt snapshot: variant key index", f);
    CHECK(csr_ok(ix->ent_pname_off, nent, np) && below(ix->ent_pnames, np, np, UINT32_MAX),
          "%s: corrupt snapshot: names of entities", f);
    for (size_t e = 0; e < nent; e++)
        CHECK(ix->ent_schema[e] <= EMB_SCHEMA_AIRCRAFT, "%s: corrupt snapshot: schema of %zu", f,
              e);
    CHECK(csr_ok(ix->fdel_off, ix->nfdel, ix->fdel_off[ix->nfdel]),
          "%s: corrupt snapshot: form deletions", f);
    for (size_t k = 0; k < ix->fdel_off[ix->nfdel]; k++)
        CHECK(ix->fdel_keys[k] < ix->keys.n && ix->keys.len[ix->fdel_keys[k]] > 2,
              "%s: corrupt snapshot: form deletion key %zu", f, k);
    CHECK(csr_ok(ix->acr_off, ix->nacr, ix->acr_off[ix->nacr]) &&
              below(ix->acr_pn, ix->acr_off[ix->nacr], np, UINT32_MAX),
          "%s: corrupt snapshot: acronyms", f);
    CHECK(csr_ok(ix->near_off, nt, ix->near_off[nt]), "%s: corrupt snapshot: fuzzy partners", f);
    for (size_t k = 0; k < ix->near_off[nt]; k++)
        CHECK((ix->near[k] >> 2) < nt, "%s: corrupt snapshot: fuzzy partner %zu", f, k);
    CHECK(below(j->ls->by_ref, nent, nent, UINT32_MAX) &&
              below(j->ls->by_id, nent, nent, UINT32_MAX),
          "%s: corrupt snapshot: entity lookups", f);
    const uint64_t *eo = s->ent_off;
    CHECK(eo[0] == 0, "%s: corrupt snapshot: entity offsets", f);
    for (size_t e = 0; e < nent; e++)
        CHECK(eo[e] <= eo[e + 1] && eo[e + 1] % 8 == 0, "%s: corrupt snapshot: entity offsets",
              f);
    size_t nblob = (size_t)j->r->sec[S_ENT_BLOB]->count;
    CHECK(eo[nent] == nblob, "%s: corrupt snapshot: entity offsets do not cover the records", f);
    return EMB_OK;
}

static void *check_run(void *arg)
{
    check_job *j = arg;
    memset(&j->ix, 0, sizeof(j->ix));
    j->rc = open_index(j->r, &j->ix, j->nent);
    if (j->rc < 0)
        snprintf(j->msg, sizeof(j->msg), "%s", emb_err_last());   /* thread-local */
    else
        j->rc = check_values(j, &j->ix);
    return NULL;
}

#undef CHECK

int emb_snap_open(emb_lists *ls, const char *path, int verify)
{
    reader r;
    memset(&r, 0, sizeof(r));
    r.path = path;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return emb_err_set(EMB_EIO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return emb_err_set(EMB_EIO, "%s: not a regular file", path);
    }
    size_t size = (size_t)st.st_size;
    if (size < SNAP_HEADER_SIZE) {
        close(fd);
        return emb_err_set(EMB_EPARSE, "%s: not an embargo index snapshot (%zu bytes)", path, size);
    }
    /* the whole file is read to check its hashes: map it populated */
#ifdef MAP_POPULATE
    int populate = verify ? MAP_POPULATE : 0;
#else
    int populate = 0;
#endif
    void *map = mmap(NULL, size, PROT_READ, MAP_SHARED | populate, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return emb_err_set(EMB_EIO, "%s: cannot map: %s", path, strerror(errno));
    r.map = map;
    r.size = size;
    emb_snap *s = emb_calloc(1, sizeof(*s));
    if (!s) {
        munmap(map, size);
        return emb_err_set(EMB_ENOMEM, "out of memory");
    }
    s->map = map;
    s->size = size;
    pthread_mutex_init(&s->lock, NULL);
    emb_arena_init(&s->arena, EMB_SNAP_MAX_ENTITY_ARENA);
    ls->snap = s;   /* emb_lists_free closes it on any failure below */

    snap_header hd;
    memcpy(&hd, map, sizeof(hd));
    if (memcmp(hd.magic, SNAP_MAGIC, sizeof(hd.magic)) != 0)
        return emb_err_set(EMB_EPARSE, "%s: not an embargo index snapshot (bad magic)", path);
    if (hd.format != EMB_SNAP_FORMAT)
        return emb_err_set(EMB_EPARSE,
                           "%s: snapshot format %u; this embargo reads format %d: rebuild it with "
                           "'embargo index build'",
                           path, hd.format, EMB_SNAP_FORMAT);
    if (hd.endian != SNAP_ENDIAN)
        return emb_err_set(EMB_EPARSE, "%s: snapshot written on a machine of other byte order",
                           path);
    if (hd.file_size != size)
        return emb_err_set(EMB_EPARSE, "%s: snapshot is %zu bytes, its header says %llu "
                                       "(truncated or appended to)",
                           path, size, (unsigned long long)hd.file_size);
    if (hd.nsections > SNAP_MAX_SECTIONS ||
        SNAP_HEADER_SIZE + (size_t)hd.nsections * sizeof(snap_section) > size)
        return emb_err_set(EMB_EPARSE, "%s: corrupt snapshot header (section count)", path);
    const snap_section *sec = (const snap_section *)(r.map + SNAP_HEADER_SIZE);
    if (header_hash(&hd, sec) != hd.header_hash)
        return emb_err_set(EMB_EPARSE, "%s: corrupt snapshot header (hash mismatch)", path);
    hd.version[sizeof(hd.version) - 1] = hd.created[sizeof(hd.created) - 1] = '\0';
    if (hd.fingerprint != fingerprint())
        return emb_err_set(EMB_EPARSE,
                           "%s: snapshot written by embargo %s with other matching code or name "
                           "tables than this embargo %s: rebuild it with 'embargo index build'",
                           path, hd.version, emb_version());
    if (hd.nentities > EMB_MODEL_MAX_ENTITIES || hd.nlists > SNAP_MAX_LISTS)
        return emb_err_set(EMB_EPARSE, "%s: corrupt snapshot header (counts)", path);
    size_t lead = SNAP_HEADER_SIZE + SNAP_MAX_SECTIONS * sizeof(snap_section);
    hstate all;
    h_init(&all, 0);
    for (uint32_t i = 0; i < hd.nsections; i++) {
        const snap_section *x = &sec[i];
        if (x->id == 0 || x->id >= S_LAST || r.sec[x->id] || x->elem == 0 || x->elem > 4096 ||
            x->off % SNAP_ALIGN || x->off < lead || x->off > size ||
            x->count > (size - x->off) / x->elem)
            return emb_err_set(EMB_EPARSE, "%s: corrupt snapshot section table (entry %u)", path,
                               i);
        r.sec[x->id] = x;
        h_update(&all, &x->id, sizeof(x->id));
        h_update(&all, &x->hash, sizeof(x->hash));
    }
    if (h_final(&all) != hd.content_hash)
        return emb_err_set(EMB_EPARSE, "%s: corrupt snapshot: content hash mismatch", path);
    s->content_hash = hd.content_hash;
    memcpy(s->version, hd.version, sizeof(s->version));
    memcpy(s->created, hd.created, sizeof(s->created));

    /* structure: sections present, sizes consistent */
    size_t nent = (size_t)hd.nentities;
    const void *p;
    size_t nblob;
    int rc = r_exact(&r, S_ENT_OFF, sizeof(uint64_t), &p, nent + 1);
    if (rc < 0)
        return rc;
    s->ent_off = p;
    if ((rc = r_get(&r, S_ENT_BLOB, 1, &p, &nblob)) < 0)
        return rc;
    s->ent_blob = p;
    s->nentities = nent;
    if ((rc = r_exact(&r, S_BY_REF, sizeof(uint32_t), &p, nent)) < 0)
        return rc;
    ls->by_ref = p;
    if ((rc = r_exact(&r, S_BY_ID, sizeof(uint32_t), &p, nent)) < 0)
        return rc;
    ls->by_id = p;
    if ((rc = r_get(&r, S_LIST_OFF, sizeof(uint64_t), &p, &nblob)) < 0 ||
        (rc = r_get(&r, S_LIST_BLOB, 1, &p, &nblob)) < 0)
        return rc;

    /* contents: every section's hash, and in a second thread every value
     * the index and the lookups use as a position, checked against what it
     * points into; the index is set up only once both pass */
    check_job cj;
    memset(&cj, 0, sizeof(cj));
    cj.r = &r;
    cj.ls = ls;
    cj.nent = nent;
    pthread_t th;
    int threaded = verify && pthread_create(&th, NULL, check_run, &cj) == 0;
    if (!threaded)
        check_run(&cj);
    int hrc = EMB_OK;
    for (uint32_t i = 0; i < hd.nsections && verify && hrc == EMB_OK; i++) {
        const snap_section *x = &sec[i];
        const unsigned char *d = r.map + x->off;
        size_t len = (size_t)(x->count * x->elem);
        if (emb_snap_hash(d, len, x->id) != x->hash)
            hrc = emb_err_set(EMB_EPARSE, "%s: corrupt snapshot: section '%s' (%zu bytes at "
                                          "offset %llu) fails its hash",
                              path, section_name[x->id], len, (unsigned long long)x->off);
    }
    if (threaded)
        pthread_join(th, NULL);
    if (hrc < 0)
        return hrc;
    if (cj.rc < 0)
        return emb_err_set(cj.rc, "%s", cj.msg);
    if ((rc = open_lists(&r, &ls->model, hd.nlists, nent)) < 0)
        return rc;
    s->cache = emb_calloc(nent ? nent : 1, sizeof(*s->cache));
    if (!s->cache)
        return emb_err_set(EMB_ENOMEM, "out of memory");
    ls->index = cj.ix;
    ls->index.var = &ls->variants;
    /* (not in open_index: the check thread's copy is dropped on failure) */
    return emb_index_split_cache_init(&ls->index);
}

const emb_entity *emb_snap_entity(emb_snap *s, size_t i)
{
    if (i >= s->nentities)
        return NULL;
    const emb_entity *e = atomic_load_explicit(&s->cache[i], memory_order_acquire);
    if (e)
        return e;
    pthread_mutex_lock(&s->lock);
    e = atomic_load_explicit(&s->cache[i], memory_order_relaxed);
    if (!e) {
        uint64_t a = s->ent_off[i], b = s->ent_off[i + 1];
        emb_entity *ne = emb_arena_alloc(&s->arena, sizeof(*ne));
        if (!ne) {
            emb_err_set(EMB_ENOMEM, "out of memory decoding entity %zu of the snapshot", i);
        } else if (a > b || b > s->ent_off[s->nentities] || a % 8) {
            emb_err_set(EMB_EPARSE, "snapshot: entity %zu: bad record offsets", i);
        } else if (emb_codec_get_entity(ne, s->ent_blob + a, (size_t)(b - a), &s->arena) < 0) {
            emb_err_set(EMB_EPARSE, "snapshot: entity %zu: %s", i, emb_err_last());
        } else {
            e = ne;
            atomic_store_explicit(&s->cache[i], e, memory_order_release);
        }
    }
    pthread_mutex_unlock(&s->lock);
    return e;
}

void emb_snap_close(emb_snap *s)
{
    if (!s)
        return;
    emb_free((void *)s->cache);
    emb_arena_dispose(&s->arena);
    pthread_mutex_destroy(&s->lock);
    if (s->map)
        munmap((void *)s->map, s->size);
    emb_free(s);
}
