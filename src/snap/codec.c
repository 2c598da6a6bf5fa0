/*
 * codec.c - the snapshot's binary records of an entity and of a list
 * descriptor (format in codec.h).
 *
 * Why this shape: a snapshot of a million entities is mapped, not read, and
 * an entity is decoded only when a query needs it. So a record holds
 * offsets, never pointers; its strings are stored once each, NUL-terminated,
 * and decoding points into them instead of copying; and every array has a
 * fixed-size element, so decoding is a bounds check per field and one arena
 * allocation per entity.
 *
 * Invariant: the decoder trusts nothing in the record. Every offset and
 * count is checked against the record's size before it is used, and the
 * string area must end with a NUL, so a string offset inside the area is
 * enough to know its string ends inside the record. The encoder refuses
 * exactly the entities the decoder would refuse.
 */
#include "util/compat.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "model/model.h"
#include "snap/codec.h"
#include "util/alloc.h"
#include "util/err.h"

#define NOSTR 0xFFFFFFFFu
#define CAP EMB_DRAFT_MAX_VALUES

#define NCOUNTS 10
#define NSTRS 15
#define HDR_SIZE 32         /* then 4 bytes per present string */
#define NAME_SIZE 12
#define DATE_SIZE 12
#define PLACE_SIZE 28
#define COUNTRY_SIZE 8
#define IDENT_SIZE 28
#define LIST_HDR_SIZE 52
#define NLIST_STRS 5

#define NSCHEMAS 5          /* emb_schema 0..4 */
#define NNAME_KINDS 6       /* emb_name_kind 0..5 */
#define NDATE_PRECS 6       /* emb_date_prec 0..5 */
#define NID_KINDS 7         /* emb_id_kind 0..6 */

/* ---- little-endian access (memcpy: records need not be aligned) --------- */

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define LE16(v) __builtin_bswap16(v)
#define LE32(v) __builtin_bswap32(v)
#else
#define LE16(v) (v)
#define LE32(v) (v)
#endif

static inline uint16_t rd16(const unsigned char *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return LE16(v);
}

static inline uint32_t rd32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return LE32(v);
}

static inline void wr16(unsigned char *p, uint16_t v)
{
    v = LE16(v);
    memcpy(p, &v, 2);
}

static inline void wr32(unsigned char *p, uint32_t v)
{
    v = LE32(v);
    memcpy(p, &v, 4);
}

/* ---- field tables --------------------------------------------------------- */

#define STRF(type, f) *(const char *const *)((const char *)(type) + (f))

static const size_t ent_str_off[NSTRS] = {
    offsetof(emb_entity, id),          offsetof(emb_entity, list),
    offsetof(emb_entity, reference),   offsetof(emb_entity, caption),
    offsetof(emb_entity, regime),      offsetof(emb_entity, program),
    offsetof(emb_entity, listed_on),   offsetof(emb_entity, remarks),
    offsetof(emb_entity, gender),      offsetof(emb_entity, flag),
    offsetof(emb_entity, flag_cc),     offsetof(emb_entity, vessel_type),
    offsetof(emb_entity, call_sign),   offsetof(emb_entity, tonnage),
    offsetof(emb_entity, owner)};
static const char *const ent_str_name[NSTRS] = {
    "id",      "list",    "reference", "caption",     "regime",
    "program", "listed_on", "remarks", "gender",      "flag",
    "flag_cc", "vessel_type", "call_sign", "tonnage", "owner"};

/* Array counts, in record order. */
enum { C_NAMES, C_DATES, C_BPLACES, C_NATS, C_IDS, C_ADDRS, C_TITLES, C_DESIGS, C_UPDATED,
       C_PROGRAMS };
static const char *const count_name[NCOUNTS] = {
    "names",       "birth_dates", "birth_places", "nationalities", "identifiers",
    "addresses",   "titles",      "designations", "updated_on",    "programs"};
static const size_t elem_size[NCOUNTS] = {NAME_SIZE, DATE_SIZE, PLACE_SIZE, COUNTRY_SIZE,
                                          IDENT_SIZE, PLACE_SIZE, 4, 4, 4, 4};

static void entity_counts(const emb_entity *e, size_t c[NCOUNTS])
{
    c[C_NAMES] = e->nnames;
    c[C_DATES] = e->nbirth_dates;
    c[C_BPLACES] = e->nbirth_places;
    c[C_NATS] = e->nnationalities;
    c[C_IDS] = e->nidentifiers;
    c[C_ADDRS] = e->naddresses;
    c[C_TITLES] = e->ntitles;
    c[C_DESIGS] = e->ndesignations;
    c[C_UPDATED] = e->nupdated_on;
    c[C_PROGRAMS] = e->nprograms;
}

static const void *entity_array(const emb_entity *e, int k)
{
    switch (k) {
    case C_NAMES: return e->names;
    case C_DATES: return e->birth_dates;
    case C_BPLACES: return e->birth_places;
    case C_NATS: return e->nationalities;
    case C_IDS: return e->identifiers;
    case C_ADDRS: return e->addresses;
    case C_TITLES: return e->titles;
    case C_DESIGS: return e->designations;
    case C_UPDATED: return e->updated_on;
    default: return e->programs;
    }
}

static const size_t place_str_off[7] = {
    offsetof(emb_place, street), offsetof(emb_place, city), offsetof(emb_place, state),
    offsetof(emb_place, zip),    offsetof(emb_place, country), offsetof(emb_place, cc),
    offsetof(emb_place, note)};
static const char *const place_str_name[7] = {"street", "city", "state", "zip",
                                              "country", "cc", "note"};

static const size_t ident_str_off[6] = {
    offsetof(emb_identifier, type),    offsetof(emb_identifier, number),
    offsetof(emb_identifier, norm),    offsetof(emb_identifier, country),
    offsetof(emb_identifier, cc),      offsetof(emb_identifier, note)};
static const char *const ident_str_name[6] = {"type", "number", "norm", "country", "cc", "note"};

static const size_t list_str_off[NLIST_STRS] = {
    offsetof(emb_list_info, id), offsetof(emb_list_info, title), offsetof(emb_list_info, format),
    offsetof(emb_list_info, source), offsetof(emb_list_info, date)};
static const char *const list_str_name[NLIST_STRS] = {"id", "title", "format", "source", "date"};

/* ======================================================================== */
/* encoding                                                                 */
/* ======================================================================== */

typedef struct slot {
    uint32_t off;   /* string's offset in the record */
    uint32_t len;   /* strlen + 1; 0 marks an empty slot */
    uint32_t hash;
} slot;

#define STACK_SLOTS 512

typedef struct enc {
    unsigned char *p;   /* the record being built (emb_malloc) */
    size_t len, cap;
    slot *tab;          /* open addressing, dedups strings by content */
    size_t mask;
    const char *what;   /* "entity un-123", "list un": for messages */
} enc;

static int enc_reserve(enc *w, size_t n)
{
    /* every offset, and the padded size, must fit in a u32 below NOSTR */
    if (n > (size_t)UINT32_MAX - 8 - w->len)
        return emb_err_set(EMB_ETOOBIG, "%s: record above 4 GiB", w->what);
    if (w->len + n <= w->cap)
        return EMB_OK;
    size_t cap = w->cap ? w->cap : 256;
    while (cap < w->len + n)
        cap *= 2;
    unsigned char *p = emb_realloc(w->p, cap);
    if (!p)
        return emb_err_set(EMB_ENOMEM, "%s: out of memory building its record", w->what);
    w->p = p;
    w->cap = cap;
    return EMB_OK;
}

static uint32_t hash_str(const char *s, size_t *n)
{
    uint32_t h = 2166136261u;   /* FNV-1a */
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    for (; u[i]; i++)
        h = (h ^ u[i]) * 16777619u;
    *n = i;
    return h;
}

/* Write the reference to s at w->p + pos, storing s (once) in the string
 * area at the end of the record. */
static int put_ref(enc *w, size_t pos, const char *s)
{
    if (!s) {
        wr32(w->p + pos, NOSTR);
        return EMB_OK;
    }
    size_t n;
    uint32_t h = hash_str(s, &n);
    size_t i = h & w->mask;
    for (;; i = (i + 1) & w->mask) {
        slot *sl = &w->tab[i];
        if (sl->len == 0)
            break;
        if (sl->hash == h && sl->len == n + 1 && memcmp(w->p + sl->off, s, n) == 0) {
            wr32(w->p + pos, sl->off);
            return EMB_OK;
        }
    }
    int rc = enc_reserve(w, n + 1);
    if (rc < 0)
        return rc;
    uint32_t off = (uint32_t)w->len;
    memcpy(w->p + w->len, s, n + 1);
    w->len += n + 1;
    w->tab[i] = (slot){off, (uint32_t)(n + 1), h};
    wr32(w->p + pos, off);
    return EMB_OK;
}

static int enc_bad(const enc *w, int code, const char *fmt, ...) EMB_PRINTF(3, 4);
static int enc_bad(const enc *w, int code, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return emb_err_set(code, "%s: %s", w->what, msg);
}

/* Everything the decoder would refuse, refused before anything is built. */
static int check_entity(const enc *w, const emb_entity *e, const size_t c[NCOUNTS],
                        size_t *npool)
{
    if (!e->id || !e->list || !e->reference || !e->caption)
        return enc_bad(w, EMB_EINVAL, "id, list, reference or caption missing");
    if ((unsigned)e->schema >= NSCHEMAS)
        return enc_bad(w, EMB_EINVAL, "schema %d out of range", (int)e->schema);
    if (e->list_index >= EMB_MODEL_MAX_LISTS)
        return enc_bad(w, EMB_EINVAL, "list_index %zu above the cap of %d", e->list_index,
                       EMB_MODEL_MAX_LISTS);
    for (int k = 0; k < NCOUNTS; k++) {
        if (c[k] > CAP)
            return enc_bad(w, EMB_ETOOBIG, "%s: %zu values, above the cap of %d",
                           count_name[k], c[k], CAP);
        if (c[k] && !entity_array(e, k))
            return enc_bad(w, EMB_EINVAL, "%s: count %zu but no array", count_name[k], c[k]);
    }
    if (c[C_NAMES] == 0 || !e->names[0].full)
        return enc_bad(w, EMB_EINVAL, "no primary name");
    size_t np = 0;
    for (size_t i = 0; i < e->nnames; i++) {
        const emb_name *n = &e->names[i];
        if ((unsigned)n->kind >= NNAME_KINDS)
            return enc_bad(w, EMB_EINVAL, "names[%zu]: kind %d out of range", i, (int)n->kind);
        if (n->nparts > CAP)
            return enc_bad(w, EMB_ETOOBIG, "names[%zu]: %zu parts, above the cap of %d", i,
                           n->nparts, CAP);
        if (n->nparts && !n->parts)
            return enc_bad(w, EMB_EINVAL, "names[%zu]: parts count %zu but no array", i,
                           n->nparts);
        np += n->nparts;
    }
    for (size_t i = 0; i < e->nbirth_dates; i++) {
        const emb_date *d = &e->birth_dates[i];
        if ((unsigned)d->prec >= NDATE_PRECS)
            return enc_bad(w, EMB_EINVAL, "birth_dates[%zu]: precision %d out of range", i,
                           (int)d->prec);
        if (d->year < 0 || d->year > EMB_CODEC_MAX_YEAR || d->year_to < 0 ||
            d->year_to > EMB_CODEC_MAX_YEAR || d->month < 0 || d->month > 12 || d->day < 0 ||
            d->day > 31)
            return enc_bad(w, EMB_EINVAL, "birth_dates[%zu]: %d-%d-%d (to %d) out of range", i,
                           d->year, d->month, d->day, d->year_to);
    }
    for (size_t i = 0; i < e->nidentifiers; i++)
        if ((unsigned)e->identifiers[i].kind >= NID_KINDS)
            return enc_bad(w, EMB_EINVAL, "identifiers[%zu]: kind %d out of range", i,
                           (int)e->identifiers[i].kind);
    *npool = np + c[C_TITLES] + c[C_DESIGS] + c[C_UPDATED] + c[C_PROGRAMS];
    return EMB_OK;
}

static int put_places(enc *w, size_t *pos, const emb_place *v, size_t n)
{
    int rc;
    for (size_t i = 0; i < n; i++, *pos += PLACE_SIZE)
        for (int k = 0; k < 7; k++)
            if ((rc = put_ref(w, *pos + 4 * (size_t)k, STRF(&v[i], place_str_off[k]))) < 0)
                return rc;
    return EMB_OK;
}

static int put_strs(enc *w, size_t *pos, const char *const *v, size_t n)
{
    int rc;
    for (size_t i = 0; i < n; i++, *pos += 4)
        if ((rc = put_ref(w, *pos, v[i])) < 0)
            return rc;
    return EMB_OK;
}

/* Set up w's string table for at most nstr distinct strings. */
static int enc_init(enc *w, slot *stack, size_t nstr, const char *what)
{
    memset(w, 0, sizeof(*w));
    w->what = what;
    size_t nslots = 64;
    while (nslots < 2 * nstr)
        nslots *= 2;
    if (nslots <= STACK_SLOTS) {
        memset(stack, 0, nslots * sizeof(*stack));
        w->tab = stack;
    } else {
        w->tab = emb_calloc(nslots, sizeof(*w->tab));
        if (!w->tab)
            return emb_err_set(EMB_ENOMEM, "%s: out of memory", what);
    }
    w->mask = nslots - 1;
    return EMB_OK;
}

static void enc_dispose(enc *w, const slot *stack)
{
    if (w->tab != stack)
        emb_free(w->tab);
    emb_free(w->p);
}

/* Pad to 8, store the size, append to out. */
static int enc_finish(enc *w, emb_buf *out)
{
    static const unsigned char zero[8];
    size_t pad = (8 - (w->len & 7)) & 7;
    int rc = enc_reserve(w, pad);
    if (rc < 0)
        return rc;
    memcpy(w->p + w->len, zero, pad);
    w->len += pad;
    wr32(w->p, (uint32_t)w->len);
    return emb_buf_append(out, w->p, w->len);
}

int emb_codec_put_entity(emb_buf *out, const emb_entity *e)
{
    char what[96];
    snprintf(what, sizeof(what), "entity %.64s", e->id ? e->id : "(no id)");
    enc w;
    slot stack[STACK_SLOTS];
    size_t c[NCOUNTS], npool = 0;
    entity_counts(e, c);
    w.what = what;
    int rc = check_entity(&w, e, c, &npool);
    if (rc < 0)
        return rc;

    unsigned mask = 0, nmask = 0;
    for (int k = 0; k < NSTRS; k++)
        if (STRF(e, ent_str_off[k])) {
            mask |= 1u << k;
            nmask++;
        }
    size_t fixed = HDR_SIZE + 4 * nmask;
    for (int k = 0; k < C_TITLES; k++)
        fixed += c[k] * elem_size[k];
    fixed += npool * 4;
    size_t nstr = NSTRS + 2 * c[C_NAMES] + c[C_DATES] + 7 * c[C_BPLACES] + 2 * c[C_NATS] +
                  6 * c[C_IDS] + 7 * c[C_ADDRS] + npool;
    if ((rc = enc_init(&w, stack, nstr, what)) < 0)
        return rc;
    if ((rc = enc_reserve(&w, fixed + 1024)) < 0)
        goto cleanup;
    memset(w.p, 0, fixed);
    w.len = fixed;

    unsigned char *h = w.p;
    h[4] = EMB_CODEC_VERSION;
    h[5] = (unsigned char)e->schema;
    for (int k = 0; k < NCOUNTS; k++)
        wr16(h + 6 + 2 * k, (uint16_t)c[k]);
    wr16(h + 26, (uint16_t)mask);
    wr32(h + 28, (uint32_t)e->list_index);
    size_t pos = HDR_SIZE;
    for (int k = 0; k < NSTRS; k++) {
        const char *v = STRF(e, ent_str_off[k]);
        if (!v)
            continue;
        if ((rc = put_ref(&w, pos, v)) < 0)
            goto cleanup;
        pos += 4;
    }
    size_t ppos = fixed - npool * 4;   /* the ref pool */
    for (size_t i = 0; i < e->nnames; i++, pos += NAME_SIZE) {
        const emb_name *n = &e->names[i];
        if ((rc = put_ref(&w, pos, n->full)) < 0 || (rc = put_ref(&w, pos + 4, n->note)) < 0)
            goto cleanup;
        wr16(w.p + pos + 8, (uint16_t)n->nparts);
        w.p[pos + 10] = (unsigned char)n->kind;
        if ((rc = put_strs(&w, &ppos, n->parts, n->nparts)) < 0)
            goto cleanup;
    }
    for (size_t i = 0; i < e->nbirth_dates; i++, pos += DATE_SIZE) {
        const emb_date *d = &e->birth_dates[i];
        wr16(w.p + pos, (uint16_t)d->year);
        wr16(w.p + pos + 2, (uint16_t)d->year_to);
        w.p[pos + 4] = (unsigned char)d->prec;
        w.p[pos + 5] = (unsigned char)d->month;
        w.p[pos + 6] = (unsigned char)d->day;
        if ((rc = put_ref(&w, pos + 8, d->raw)) < 0)
            goto cleanup;
    }
    if ((rc = put_places(&w, &pos, e->birth_places, e->nbirth_places)) < 0)
        goto cleanup;
    for (size_t i = 0; i < e->nnationalities; i++, pos += COUNTRY_SIZE)
        if ((rc = put_ref(&w, pos, e->nationalities[i].name)) < 0 ||
            (rc = put_ref(&w, pos + 4, e->nationalities[i].cc)) < 0)
            goto cleanup;
    for (size_t i = 0; i < e->nidentifiers; i++, pos += IDENT_SIZE) {
        for (int k = 0; k < 6; k++)
            if ((rc = put_ref(&w, pos + 4 * (size_t)k,
                              STRF(&e->identifiers[i], ident_str_off[k]))) < 0)
                goto cleanup;
        w.p[pos + 24] = (unsigned char)e->identifiers[i].kind;
    }
    if ((rc = put_places(&w, &pos, e->addresses, e->naddresses)) < 0 ||
        (rc = put_strs(&w, &ppos, e->titles, e->ntitles)) < 0 ||
        (rc = put_strs(&w, &ppos, e->designations, e->ndesignations)) < 0 ||
        (rc = put_strs(&w, &ppos, e->updated_on, e->nupdated_on)) < 0 ||
        (rc = put_strs(&w, &ppos, e->programs, e->nprograms)) < 0)
        goto cleanup;
    rc = enc_finish(&w, out);
cleanup:
    enc_dispose(&w, stack);
    return rc;
}

int emb_codec_put_list(emb_buf *out, const emb_list_info *li)
{
    char what[96];
    snprintf(what, sizeof(what), "list %.64s", li->id ? li->id : "(no id)");
    enc w;
    slot stack[STACK_SLOTS];
    w.what = what;
    if (!li->id || !li->title || !li->format || !li->source)
        return enc_bad(&w, EMB_EINVAL, "id, title, format or source missing");
    if (li->nentities > EMB_MODEL_MAX_ENTITIES)
        return enc_bad(&w, EMB_ETOOBIG, "%zu entities, above the cap of %u", li->nentities,
                       EMB_MODEL_MAX_ENTITIES);
    for (int k = 0; k < NSCHEMAS; k++)
        if (li->nby_schema[k] > li->nentities)
            return enc_bad(&w, EMB_EINVAL, "nby_schema[%d] %zu above nentities %zu", k,
                           li->nby_schema[k], li->nentities);
    int rc = enc_init(&w, stack, NLIST_STRS, what);
    if (rc < 0)
        return rc;
    if ((rc = enc_reserve(&w, LIST_HDR_SIZE + 256)) < 0)
        goto cleanup;
    memset(w.p, 0, LIST_HDR_SIZE);
    w.len = LIST_HDR_SIZE;
    w.p[4] = EMB_CODEC_VERSION;
    wr32(w.p + 8, (uint32_t)li->nentities);
    for (int k = 0; k < NSCHEMAS; k++)
        wr32(w.p + 12 + 4 * (size_t)k, (uint32_t)li->nby_schema[k]);
    for (int k = 0; k < NLIST_STRS; k++)
        if ((rc = put_ref(&w, 32 + 4 * (size_t)k, STRF(li, list_str_off[k]))) < 0)
            goto cleanup;
    rc = enc_finish(&w, out);
cleanup:
    enc_dispose(&w, stack);
    return rc;
}

/* ======================================================================== */
/* decoding                                                                 */
/* ======================================================================== */

typedef struct dec {
    const unsigned char *rec;
    uint32_t size;        /* the record's own size, <= len */
    uint32_t str_start;   /* string area: [str_start, size) */
    const char *what;     /* "entity record", "list record" */
} dec;

static int bad(const dec *d, const char *fmt, ...) EMB_PRINTF(2, 3);
static int bad(const dec *d, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return emb_err_set(EMB_EPARSE, "%s: %s", d->what, msg);
}

/* A string reference that failed; field names it ("names[%zu].parts[%zu]"). */
static int bad_ref(const dec *d, uint32_t off, const char *field, ...) EMB_PRINTF(3, 4);
static int bad_ref(const dec *d, uint32_t off, const char *field, ...)
{
    char path[96];
    va_list ap;
    va_start(ap, field);
    vsnprintf(path, sizeof(path), field, ap);
    va_end(ap);
    if (off >= d->size)
        return bad(d, "%s: string offset %u beyond record length %u", path, off, d->size);
    return bad(d, "%s: string offset %u before the string area (at %u)", path, off,
               d->str_start);
}

/* dst = the string whose reference is at rec + pos (the unsigned subtraction
 * also rejects offsets below str_start). */
#define GET_REF(dst, d, pos, ...)                                                  \
    do {                                                                           \
        uint32_t o_ = rd32((d)->rec + (pos));                                      \
        if (o_ == NOSTR)                                                           \
            (dst) = NULL;                                                          \
        else if (EMB_LIKELY(o_ - (d)->str_start < (d)->size - (d)->str_start))     \
            (dst) = (const char *)(d)->rec + o_;                                   \
        else                                                                       \
            return bad_ref((d), o_, __VA_ARGS__);                                  \
    } while (0)

/* Read and check the size field; sets d->size. */
static int get_size(dec *d, size_t len, size_t hdr)
{
    if (len < hdr)
        return bad(d, "length %zu shorter than the %zu-byte header", len, hdr);
    uint32_t size = rd32(d->rec);
    if (size > len)
        return bad(d, "size %u beyond record length %zu", size, len);
    if (size < hdr || (size & 7))
        return bad(d, "size %u not a multiple of 8 of at least %zu", size, hdr);
    d->size = size;
    return EMB_OK;
}

/* The string area starts at str_start; it must end with a NUL. */
static int set_strings(dec *d, size_t str_start)
{
    d->str_start = (uint32_t)str_start;
    if (str_start < d->size && d->rec[d->size - 1] != 0)
        return bad(d, "string area does not end with a NUL");
    return EMB_OK;
}

static int get_places(const dec *d, size_t pos, emb_place *v, size_t n, const char *field)
{
    for (size_t i = 0; i < n; i++, pos += PLACE_SIZE)
        for (int k = 0; k < 7; k++)
            GET_REF(*(const char **)((char *)&v[i] + place_str_off[k]), d, pos + 4 * (size_t)k,
                    "%s[%zu].%s", field, i, place_str_name[k]);
    return EMB_OK;
}

static int get_strs(const dec *d, size_t pos, const char **v, size_t n, const char *field)
{
    for (size_t i = 0; i < n; i++, pos += 4)
        GET_REF(v[i], d, pos, "%s[%zu]", field, i);
    return EMB_OK;
}

static size_t bits_set(unsigned v)
{
    size_t n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

static size_t align8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

int emb_codec_get_entity(emb_entity *out, const void *rec, size_t len, emb_arena *a)
{
    dec d = {rec, 0, 0, "entity record"};
    int rc = get_size(&d, len, HDR_SIZE);
    if (rc < 0)
        return rc;
    const unsigned char *r = d.rec;
    if (r[4] != EMB_CODEC_VERSION)
        return bad(&d, "version %u not supported (expected %d)", r[4], EMB_CODEC_VERSION);
    if (r[5] >= NSCHEMAS)
        return bad(&d, "schema %u out of range", r[5]);
    unsigned mask = rd16(r + 26);
    if (mask >> NSTRS)
        return bad(&d, "string mask 0x%04x has unknown bits", mask);
    if ((mask & 15) != 15)
        return bad(&d, "id, list, reference or caption missing");
    uint32_t list_index = rd32(r + 28);
    if (list_index >= EMB_MODEL_MAX_LISTS)
        return bad(&d, "list_index %u above the cap of %d", list_index, EMB_MODEL_MAX_LISTS);

    /* counts, and where each array starts */
    size_t c[NCOUNTS], at[NCOUNTS];
    size_t pos = HDR_SIZE + 4 * bits_set(mask);
    if (pos > d.size)
        return bad(&d, "header: string references end at offset %zu beyond record size %u",
                   pos, d.size);
    for (int k = 0; k < NCOUNTS; k++) {
        c[k] = rd16(r + 6 + 2 * k);
        if (c[k] > CAP)
            return bad(&d, "%s: count %zu above the cap of %d", count_name[k], c[k], CAP);
        if (k >= C_TITLES)
            continue;   /* string lists live in the pool */
        at[k] = pos;
        pos += c[k] * elem_size[k];
        if (pos > d.size)
            return bad(&d, "%s: %zu entries end at offset %zu beyond record size %u",
                       count_name[k], c[k], pos, d.size);
    }
    if (c[C_NAMES] == 0)
        return bad(&d, "no names");
    size_t pool = pos, npool = 0;
    for (size_t i = 0; i < c[C_NAMES]; i++) {
        size_t np = rd16(r + at[C_NAMES] + i * NAME_SIZE + 8);
        if (np > CAP)
            return bad(&d, "names[%zu]: %zu parts, above the cap of %d", i, np, CAP);
        npool += np;
    }
    size_t nparts = npool;
    npool += c[C_TITLES] + c[C_DESIGS] + c[C_UPDATED] + c[C_PROGRAMS];
    if (pool + 4 * npool > d.size)
        return bad(&d, "name parts and string lists: %zu references end at offset %zu beyond "
                       "record size %u", npool, pool + 4 * npool, d.size);
    if ((rc = set_strings(&d, pool + 4 * npool)) < 0)
        return rc;

    /* one arena block for every array */
    size_t sz_names = align8(c[C_NAMES] * sizeof(emb_name));
    size_t sz_dates = align8(c[C_DATES] * sizeof(emb_date));
    size_t sz_bpl = align8(c[C_BPLACES] * sizeof(emb_place));
    size_t sz_nat = align8(c[C_NATS] * sizeof(emb_country));
    size_t sz_ids = align8(c[C_IDS] * sizeof(emb_identifier));
    size_t sz_addr = align8(c[C_ADDRS] * sizeof(emb_place));
    size_t total = sz_names + sz_dates + sz_bpl + sz_nat + sz_ids + sz_addr +
                   npool * sizeof(const char *);
    char *blk = emb_arena_alloc(a, total);
    if (!blk)
        return emb_err_set(EMB_ENOMEM, "entity record: out of memory for %zu bytes", total);
    emb_name *names = (emb_name *)(void *)blk;
    emb_date *dates = (emb_date *)(void *)(blk += sz_names);
    emb_place *bpl = (emb_place *)(void *)(blk += sz_dates);
    emb_country *nat = (emb_country *)(void *)(blk += sz_bpl);
    emb_identifier *ids = (emb_identifier *)(void *)(blk += sz_nat);
    emb_place *addr = (emb_place *)(void *)(blk += sz_ids);
    const char **refs = (const char **)(void *)(blk += sz_addr);

    emb_entity e;
    memset(&e, 0, sizeof(e));
    e.schema = (emb_schema)r[5];
    e.list_index = list_index;
    pos = HDR_SIZE;
    for (int k = 0; k < NSTRS; k++) {
        if (!(mask & (1u << k)))
            continue;
        GET_REF(*(const char **)((char *)&e + ent_str_off[k]), &d, pos, "%s", ent_str_name[k]);
        pos += 4;
    }

    size_t pi = 0;   /* next pool entry */
    pos = at[C_NAMES];
    for (size_t i = 0; i < c[C_NAMES]; i++, pos += NAME_SIZE) {
        emb_name *n = &names[i];
        GET_REF(n->full, &d, pos, "names[%zu].full", i);
        GET_REF(n->note, &d, pos + 4, "names[%zu].note", i);
        n->nparts = rd16(r + pos + 8);
        if (r[pos + 10] >= NNAME_KINDS)
            return bad(&d, "names[%zu]: kind %u out of range", i, r[pos + 10]);
        if (r[pos + 11] != 0)
            return bad(&d, "names[%zu]: padding byte not 0", i);
        n->kind = (emb_name_kind)r[pos + 10];
        if (n->nparts > nparts - pi)   /* only if rec changed under us */
            return bad(&d, "names[%zu]: parts count changed while decoding", i);
        n->parts = n->nparts ? refs + pi : NULL;
        for (size_t k = 0; k < n->nparts; k++, pi++)
            GET_REF(refs[pi], &d, pool + 4 * pi, "names[%zu].parts[%zu]", i, k);
    }
    pos = at[C_DATES];
    for (size_t i = 0; i < c[C_DATES]; i++, pos += DATE_SIZE) {
        emb_date *v = &dates[i];
        v->year = rd16(r + pos);
        v->year_to = rd16(r + pos + 2);
        if (v->year > EMB_CODEC_MAX_YEAR || v->year_to > EMB_CODEC_MAX_YEAR)
            return bad(&d, "birth_dates[%zu]: year %d or year_to %d above %d", i, v->year,
                       v->year_to, EMB_CODEC_MAX_YEAR);
        if (r[pos + 4] >= NDATE_PRECS)
            return bad(&d, "birth_dates[%zu]: precision %u out of range", i, r[pos + 4]);
        v->prec = (emb_date_prec)r[pos + 4];
        v->month = r[pos + 5];
        v->day = r[pos + 6];
        if (v->month > 12 || v->day > 31)
            return bad(&d, "birth_dates[%zu]: month %d or day %d out of range", i, v->month,
                       v->day);
        if (r[pos + 7] != 0)
            return bad(&d, "birth_dates[%zu]: padding byte not 0", i);
        GET_REF(v->raw, &d, pos + 8, "birth_dates[%zu].raw", i);
    }
    if ((rc = get_places(&d, at[C_BPLACES], bpl, c[C_BPLACES], "birth_places")) < 0)
        return rc;
    pos = at[C_NATS];
    for (size_t i = 0; i < c[C_NATS]; i++, pos += COUNTRY_SIZE) {
        GET_REF(nat[i].name, &d, pos, "nationalities[%zu].name", i);
        GET_REF(nat[i].cc, &d, pos + 4, "nationalities[%zu].cc", i);
    }
    pos = at[C_IDS];
    for (size_t i = 0; i < c[C_IDS]; i++, pos += IDENT_SIZE) {
        for (int k = 0; k < 6; k++)
            GET_REF(*(const char **)((char *)&ids[i] + ident_str_off[k]), &d,
                    pos + 4 * (size_t)k, "identifiers[%zu].%s", i, ident_str_name[k]);
        if (r[pos + 24] >= NID_KINDS)
            return bad(&d, "identifiers[%zu]: kind %u out of range", i, r[pos + 24]);
        if (r[pos + 25] || r[pos + 26] || r[pos + 27])
            return bad(&d, "identifiers[%zu]: padding bytes not 0", i);
        ids[i].kind = (emb_id_kind)r[pos + 24];
    }
    if ((rc = get_places(&d, at[C_ADDRS], addr, c[C_ADDRS], "addresses")) < 0)
        return rc;

    /* string lists: the pool after the name parts */
    const char **lists[4];
    size_t p = nparts;
    for (int k = C_TITLES; k <= C_PROGRAMS; k++) {
        lists[k - C_TITLES] = c[k] ? refs + p : NULL;
        if ((rc = get_strs(&d, pool + 4 * p, refs + p, c[k], count_name[k])) < 0)
            return rc;
        p += c[k];
    }

    if (!e.id || !e.list || !e.reference || !e.caption)
        return bad(&d, "id, list, reference or caption missing");
    if (!names[0].full)
        return bad(&d, "names[0]: no full name");

    e.names = names;
    e.nnames = c[C_NAMES];
    e.birth_dates = c[C_DATES] ? dates : NULL;
    e.nbirth_dates = c[C_DATES];
    e.birth_places = c[C_BPLACES] ? bpl : NULL;
    e.nbirth_places = c[C_BPLACES];
    e.nationalities = c[C_NATS] ? nat : NULL;
    e.nnationalities = c[C_NATS];
    e.identifiers = c[C_IDS] ? ids : NULL;
    e.nidentifiers = c[C_IDS];
    e.addresses = c[C_ADDRS] ? addr : NULL;
    e.naddresses = c[C_ADDRS];
    e.titles = lists[0];
    e.ntitles = c[C_TITLES];
    e.designations = lists[1];
    e.ndesignations = c[C_DESIGS];
    e.updated_on = lists[2];
    e.nupdated_on = c[C_UPDATED];
    e.programs = lists[3];
    e.nprograms = c[C_PROGRAMS];
    *out = e;
    return EMB_OK;
}

int emb_codec_get_list(emb_list_info *out, const void *rec, size_t len, emb_arena *a)
{
    (void)a;
    dec d = {rec, 0, 0, "list record"};
    int rc = get_size(&d, len, LIST_HDR_SIZE);
    if (rc < 0)
        return rc;
    const unsigned char *r = d.rec;
    if (r[4] != EMB_CODEC_VERSION)
        return bad(&d, "version %u not supported (expected %d)", r[4], EMB_CODEC_VERSION);
    if (r[5] || rd16(r + 6))
        return bad(&d, "reserved header bytes not 0");
    emb_list_info li;
    memset(&li, 0, sizeof(li));
    li.nentities = rd32(r + 8);
    if (li.nentities > EMB_MODEL_MAX_ENTITIES)
        return bad(&d, "nentities %zu above the cap of %u", li.nentities,
                   EMB_MODEL_MAX_ENTITIES);
    for (int k = 0; k < NSCHEMAS; k++) {
        li.nby_schema[k] = rd32(r + 12 + 4 * (size_t)k);
        if (li.nby_schema[k] > li.nentities)
            return bad(&d, "nby_schema[%d] %zu above nentities %zu", k, li.nby_schema[k],
                       li.nentities);
    }
    if ((rc = set_strings(&d, LIST_HDR_SIZE)) < 0)
        return rc;
    for (int k = 0; k < NLIST_STRS; k++)
        GET_REF(*(const char **)((char *)&li + list_str_off[k]), &d, 32 + 4 * (size_t)k, "%s",
                list_str_name[k]);
    if (!li.id || !li.title || !li.format || !li.source)
        return bad(&d, "id, title, format or source missing");
    *out = li;
    return EMB_OK;
}
