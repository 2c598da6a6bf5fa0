/*
 * index.c - build the matching index from a model (see index.h).
 *
 * Build order: normalise every name into pnames and intern their tokens
 * (counting document frequency once per pname), add glued forms of adjacent
 * tokens, turn (token, pname) pairs into CSR postings, weigh tokens by
 * inverse document frequency and word class, and index every vocabulary
 * token by its padded trigrams for the fuzzy lookup.
 */
#include "util/compat.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "embargo.h"
#include "match/distance.h"
#include "match/index.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/err.h"

#define MAX_PNAMES (64u * 1024 * 1024)   /* EMB_POST_PNAME + 1 */
#define MAX_PAIRS (512u * 1024 * 1024)

typedef struct pair {
    uint32_t a, b;
} pair;

typedef struct builder {
    emb_index *ix;
    pair *posts;     /* (token, pname) */
    size_t nposts;
    uint32_t *name_toks;
    size_t nname_toks;
} builder;

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

size_t emb_split_tokens(const char *s, const char **toks, size_t *lens, size_t max)
{
    size_t n = 0;
    while (*s) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        const char *e = s;
        while (*e && *e != ' ')
            e++;
        if (n < max) {
            toks[n] = s;
            lens[n] = (size_t)(e - s);
        }
        n++;
        s = e;
    }
    return n;
}

int64_t emb_index_lookup(const emb_index *ix, const char *s, size_t n)
{
    if (!ix->nslots)
        return -1;
    size_t mask = ix->nslots - 1;
    for (size_t i = hash_bytes(s, n) & mask;; i = (i + 1) & mask) {
        uint32_t v = ix->slots[i];
        if (!v)
            return -1;
        const emb_vtok *t = &ix->toks[v - 1];
        if (t->len == n && memcmp(ix->tokstr + t->soff, s, n) == 0)
            return v - 1;
    }
}

static int csr(pair *ps, size_t *np, size_t nkeys, emb_arena *a, uint32_t **off_out,
               uint32_t **vals_out);

static int64_t strtab_find(const emb_strtab *t, const char *s, size_t n)
{
    if (!t->nslots)
        return -1;
    size_t mask = t->nslots - 1;
    for (size_t i = hash_bytes(s, n) & mask;; i = (i + 1) & mask) {
        uint32_t v = t->slots[i];
        if (!v)
            return -1;
        if (t->len[v - 1] == n && memcmp(t->pool + t->off[v - 1], s, n) == 0)
            return v - 1;
    }
}

/* Append s[0..n) and a NUL to a growing string pool; *off receives its
 * offset. Pools stay under 4 GiB (offsets are 32-bit). */
static int pool_add(char **pool, size_t *np, size_t *cap, const char *s, size_t n, uint32_t *off)
{
    if (*np + n + 1 > UINT32_MAX)
        return emb_err_set(EMB_ETOOBIG, "index strings exceed 4 GiB");
    if (*np + n + 1 > *cap) {
        size_t nc = *cap ? *cap : 4096;
        while (nc < *np + n + 1)
            nc *= 2;
        char *p = emb_realloc(*pool, nc);
        if (!p)
            return EMB_ENOMEM;
        *pool = p;
        *cap = nc;
    }
    memcpy(*pool + *np, s, n);
    (*pool)[*np + n] = '\0';
    *off = (uint32_t)*np;
    *np += n + 1;
    return EMB_OK;
}

static int strtab_add(emb_strtab *t, const char *s, size_t n, uint32_t *out)
{
    int64_t id = strtab_find(t, s, n);
    if (id >= 0) {
        *out = (uint32_t)id;
        return EMB_OK;
    }
    if ((t->n + 1) * 2 > t->nslots) {
        size_t ns = t->nslots ? t->nslots * 2 : 1024;
        uint32_t *slots = emb_calloc(ns, sizeof(uint32_t));
        if (!slots)
            return EMB_ENOMEM;
        for (size_t k = 0; k < t->n; k++) {
            size_t i = hash_bytes(t->pool + t->off[k], t->len[k]) & (ns - 1);
            while (slots[i])
                i = (i + 1) & (ns - 1);
            slots[i] = (uint32_t)k + 1;
        }
        emb_free(t->slots);
        t->slots = slots;
        t->nslots = ns;
    }
    int rc = emb_grow(&t->off, t->n, sizeof(uint32_t), UINT32_MAX - 1);
    if (rc == EMB_OK)
        rc = emb_grow(&t->len, t->n, sizeof(uint32_t), UINT32_MAX - 1);
    uint32_t off = 0;
    if (rc == EMB_OK)
        rc = pool_add(&t->pool, &t->npool, &t->cpool, s, n, &off);
    if (rc < 0)
        return rc;
    t->off[t->n] = off;
    t->len[t->n] = (uint32_t)n;
    size_t i = hash_bytes(s, n) & (t->nslots - 1);
    while (t->slots[i])
        i = (i + 1) & (t->nslots - 1);
    t->slots[i] = (uint32_t)t->n + 1;
    *out = (uint32_t)t->n++;
    return EMB_OK;
}

static void strtab_dispose(emb_strtab *t)
{
    emb_free(t->off);
    emb_free(t->pool);
    emb_free(t->len);
    emb_free(t->slots);
    memset(t, 0, sizeof(*t));
}

/* "p:" followed by s[0..n) into out (of at least n + 3 bytes); its length.
 * (snprintf cost more than the lookups it keys, on every query part.) */
static size_t key_str(char *out, char p, const char *s, size_t n)
{
    out[0] = p;
    out[1] = ':';
    memcpy(out + 2, s, n);
    out[n + 2] = '\0';
    return n + 2;
}

/* "c:" and the class number in decimal. */
static size_t class_key_str(char *out, int32_t c)
{
    char digits[12];
    size_t nd = 0;
    uint32_t v = (uint32_t)c;
    do {
        digits[nd++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    out[0] = 'c';
    out[1] = ':';
    for (size_t i = 0; i < nd; i++)
        out[2 + i] = digits[nd - 1 - i];
    out[2 + nd] = '\0';
    return nd + 2;
}

/* "a:" and the abjad key of s[0..n) into out; its length, 0 when none. */
static size_t abjad_key_str(char *out, const char *s, size_t n)
{
    char ak[EMB_ABJAD_MAX + 2];
    size_t al = emb_abjad_key(s, n, ak, sizeof(ak));
    return al ? key_str(out, 'a', ak, al) : 0;
}

/* The key strings of a token: "c:<class>", "f:<form>", "s:<skeleton>" (the
 * variant keys, kept on a token), and "a:<abjad key>" (only mapped to it:
 * no query part of Latin script reads it). */
#define NKEYS 4
static void token_key_strings(const emb_variants *var, const char *s, size_t n,
                              char keys[NKEYS][4 * EMB_VARIANT_MAX + 8], size_t lens[NKEYS])
{
    char form[4 * EMB_VARIANT_MAX + 1], skel[4 * EMB_VARIANT_MAX + 1];
    lens[0] = lens[1] = lens[2] = lens[3] = 0;
    if (!var)
        return;
    lens[3] = abjad_key_str(keys[3], s, n);
    if (emb_is_numeral(s, n))
        return;   /* numbers agree only as written */
    int32_t c = emb_variant_class(var, s, n);
    size_t fl = emb_variant_form(var, s, n, form, sizeof(form));
    if (c < 0 && fl) {
        /* the class table also applies to the romanisation form */
        c = emb_variant_class(var, form, fl);
    }
    if (c >= 0)
        lens[0] = class_key_str(keys[0], c);
    if (fl) {
        lens[1] = key_str(keys[1], 'f', form, fl);
        size_t sl = emb_variant_skeleton(form, fl, skel, sizeof(skel));
        if (sl)
            lens[2] = key_str(keys[2], 's', skel, sl);
    }
}

int emb_index_variant_keys(const emb_index *ix, const char *s, size_t n, uint32_t out[3])
{
    char keys[NKEYS][4 * EMB_VARIANT_MAX + 8];
    size_t lens[NKEYS];
    out[0] = out[1] = out[2] = EMB_NO_KEY;
    token_key_strings(ix->var, s, n, keys, lens);
    for (int k = 0; k < 3; k++)
        if (lens[k]) {
            int64_t id = strtab_find(&ix->keys, keys[k], lens[k]);
            if (id >= 0)
                out[k] = (uint32_t)id;
        }
    return lens[EMB_VK_CLASS] != 0;
}

uint32_t emb_index_abjad_key(const emb_index *ix, const char *s, size_t n)
{
    char kk[EMB_ABJAD_MAX + 4];
    size_t kl = ix->var ? abjad_key_str(kk, s, n) : 0;
    int64_t id = kl ? strtab_find(&ix->keys, kk, kl) : -1;
    return id >= 0 ? (uint32_t)id : EMB_NO_KEY;
}

int emb_index_key_holds(const emb_index *ix, uint32_t key, uint32_t tok)
{
    if (key == EMB_NO_KEY)
        return 0;
    /* a key's tokens are ascending (csr keeps the build's token order) */
    uint32_t lo = ix->key_off[key], hi = ix->key_off[key + 1];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ix->key_toks[mid] == tok)
            return 1;
        if (ix->key_toks[mid] < tok)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

uint32_t emb_index_form_key(const emb_index *ix, const char *s, size_t n)
{
    char form[4 * EMB_VARIANT_MAX + 1];
    if (!ix->var || emb_is_numeral(s, n))
        return EMB_NO_KEY;
    size_t fl = emb_variant_form(ix->var, s, n, form, sizeof(form));
    return fl ? emb_index_form_key_exact(ix, form, fl) : EMB_NO_KEY;
}

uint32_t emb_index_form_key_exact(const emb_index *ix, const char *form, size_t n)
{
    char key[4 * EMB_VARIANT_MAX + 8];
    if (n == 0 || n > 4 * EMB_VARIANT_MAX)
        return EMB_NO_KEY;
    size_t kl = key_str(key, 'f', form, n);
    int64_t id = strtab_find(&ix->keys, key, kl);
    return id >= 0 ? (uint32_t)id : EMB_NO_KEY;
}

/* Give every real vocabulary token its variant keys, and map keys to tokens. */
static int build_variants(emb_index *ix)
{
    pair *ps = NULL;
    size_t np = 0;
    int rc = EMB_OK;
    char keys[NKEYS][4 * EMB_VARIANT_MAX + 8];
    size_t lens[NKEYS];
    for (size_t t = 0; t < ix->ntoks && rc == EMB_OK; t++) {
        emb_vtok *v = &ix->toks[t];
        v->vkey[0] = v->vkey[1] = v->vkey[2] = EMB_NO_KEY;
        if (v->joined)
            continue; /* glued forms are met exactly or by splitting the query part */
        token_key_strings(ix->var, emb_tok_s(ix, v), v->len, keys, lens);
        for (int k = 0; k < NKEYS && rc == EMB_OK; k++) {
            if (!lens[k])
                continue;
            uint32_t id;
            rc = strtab_add(&ix->keys, keys[k], lens[k], &id);
            if (rc == EMB_OK)
                rc = emb_grow(&ps, np, sizeof(pair), MAX_PAIRS);
            if (rc == EMB_OK) {
                if (k < 3)
                    v->vkey[k] = id;
                ps[np].a = id;
                ps[np].b = (uint32_t)t;
                np++;
            }
        }
    }
    if (rc == EMB_OK)
        rc = csr(ps, &np, ix->keys.n, &ix->arena, &ix->key_off, &ix->key_toks);
    emb_free(ps);
    return rc;
}

/* The hash bucket of a form with the letter at `drop` left out (drop 0:
 * the whole form; the first letter always stays). */
static size_t form_del_bucket(const char *f, size_t fl, size_t drop, size_t nb)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < fl; i++) {
        if (i == drop && drop)
            continue;
        h ^= (unsigned char)f[i];
        h *= 1099511628211ull;
    }
    return (size_t)(h ^ (h >> 29)) & (nb - 1);
}

/* Romanisation forms by their one-letter deletions (symmetric deletion):
 * two forms one edit apart, starting alike, share the form itself or a
 * form with one letter after the first dropped. */
static int build_form_dels(emb_index *ix)
{
    size_t nent = 0;
    for (size_t k = 0; k < ix->keys.n; k++)
        if (ix->keys.len[k] > 2 && ix->keys.pool[ix->keys.off[k]] == 'f')
            nent += ix->keys.len[k] - 2;
    size_t nb = 64;
    while (nb < nent)
        nb *= 2;
    pair *ps = NULL;
    size_t np = 0;
    int rc = EMB_OK;
    for (size_t k = 0; k < ix->keys.n && rc == EMB_OK; k++) {
        const char *f = emb_strtab_s(&ix->keys, k);
        size_t fl = ix->keys.len[k];
        if (fl <= 2 || f[0] != 'f')
            continue;
        f += 2;
        fl -= 2;
        for (size_t d = 0; d < fl && rc == EMB_OK; d++) {
            if (d > 1 && f[d] == f[d - 1])
                continue;   /* the same string as dropping d - 1 */
            if ((rc = emb_grow(&ps, np, sizeof(pair), MAX_PAIRS)) == EMB_OK) {
                ps[np].a = (uint32_t)form_del_bucket(f, fl, d, nb);
                ps[np].b = (uint32_t)k;
                np++;
            }
        }
    }
    if (rc == EMB_OK)
        rc = csr(ps, &np, nb, &ix->arena, &ix->fdel_off, &ix->fdel_keys);
    if (rc == EMB_OK)
        ix->nfdel = nb;
    emb_free(ps);
    return rc;
}

size_t emb_index_forms_near(const emb_index *ix, const char *f, size_t fl, uint32_t *out,
                            size_t max)
{
    size_t n = 0;
    if (!ix->nfdel || fl == 0 || fl > EMB_DIST_MAX_LEN)
        return 0;
    for (size_t d = 0; d < fl && n < max; d++) {
        if (d > 1 && f[d] == f[d - 1])
            continue;
        size_t b = form_del_bucket(f, fl, d, ix->nfdel);
        for (uint32_t j = ix->fdel_off[b]; j < ix->fdel_off[b + 1] && n < max; j++) {
            uint32_t k = ix->fdel_keys[j];
            /* "f:<form>", more than two bytes (built so, checked in a snapshot) */
            const char *g = emb_strtab_s(&ix->keys, k) + 2;
            size_t gl = ix->keys.len[k] - 2;
            if (gl + 1 < fl || gl > fl + 1 || g[0] != f[0])
                continue;
            size_t x = 0;
            while (x < n && out[x] != k)
                x++;
            if (x == n && emb_osa_distance(f, fl, g, gl, 1) <= 1)
                out[n++] = k;
        }
    }
    return n;
}

size_t emb_acronym_forms(const char *first, const uint8_t *cls, size_t n,
                         char out[2][EMB_ACR_MAX + 1])
{
    size_t nf = 0;
    for (int skip_stop = 0; skip_stop <= 1; skip_stop++) {
        size_t k = 0;
        int ok = 1;
        for (size_t i = 0; i < n && ok; i++) {
            if (cls[i] == EMB_WORD_LEGAL || (skip_stop && cls[i] == EMB_WORD_STOP))
                continue;
            if (k == EMB_ACR_MAX || first[i] < 'a' || first[i] > 'z')
                ok = 0;
            else
                out[nf][k++] = first[i];
        }
        if (!ok || k < EMB_ACR_MIN)
            continue;
        out[nf][k] = '\0';
        if (nf == 0 || strcmp(out[0], out[nf]) != 0)
            nf++;
    }
    return nf;
}

size_t emb_pname_acronyms(const emb_index *ix, const emb_pname *pn, char out[2][EMB_ACR_MAX + 1])
{
    char first[EMB_NAME_MAX_TOKENS];
    uint8_t cls[EMB_NAME_MAX_TOKENS];
    for (size_t i = 0; i < pn->ntok; i++) {
        const emb_vtok *v = &ix->toks[ix->name_toks[pn->tok_off + i]];
        first[i] = emb_tok_s(ix, v)[0];
        cls[i] = v->cls;
    }
    return emb_acronym_forms(first, cls, pn->ntok, out);
}

int emb_acronym_name(const emb_index *ix, const emb_pname *pn)
{
    emb_schema s = (emb_schema)ix->ent_schema[pn->entity];
    return s != EMB_SCHEMA_PERSON && s != EMB_SCHEMA_VESSEL && s != EMB_SCHEMA_AIRCRAFT &&
           !pn->script && pn->kind != EMB_NAME_WEAK && pn->kind != EMB_NAME_ORIGINAL &&
           pn->kind != EMB_NAME_VESSEL;
}

size_t emb_acronym_bucket(const char *a, size_t n, size_t nacr)
{
    return (size_t)hash_bytes(a, n) & (nacr - 1);
}

/* The acronyms of the organisation names (emb_acronym_forms) by hash
 * bucket: a query of one part that is an acronym finds the names whose
 * initials spell it. */
static int build_acronyms(emb_index *ix)
{
    size_t nent = 0;
    for (size_t p = 0; p < ix->npnames; p++)
        nent += ix->pnames[p].ntok >= EMB_ACR_MIN && emb_acronym_name(ix, &ix->pnames[p]);
    size_t nb = 64;
    while (nb < 2 * nent)
        nb *= 2;
    pair *ps = NULL;
    size_t np = 0;
    int rc = EMB_OK;
    for (size_t p = 0; p < ix->npnames && rc == EMB_OK; p++) {
        const emb_pname *pn = &ix->pnames[p];
        if (pn->ntok < EMB_ACR_MIN || !emb_acronym_name(ix, pn))
            continue;
        char f[2][EMB_ACR_MAX + 1];
        size_t nf = emb_pname_acronyms(ix, pn, f);
        for (size_t k = 0; k < nf && rc == EMB_OK; k++)
            if ((rc = emb_grow(&ps, np, sizeof(pair), MAX_PAIRS)) == EMB_OK) {
                ps[np].a = (uint32_t)emb_acronym_bucket(f[k], strlen(f[k]), nb);
                ps[np].b = (uint32_t)p;
                np++;
            }
    }
    if (rc == EMB_OK)
        rc = csr(ps, &np, nb, &ix->arena, &ix->acr_off, &ix->acr_pn);
    if (rc == EMB_OK)
        ix->nacr = nb;
    emb_free(ps);
    return rc;
}

/* Index every identifier of every entity by its normal form. */
static int build_idents(emb_index *ix, const emb_model *m)
{
    pair *ps = NULL;
    size_t np = 0;
    int rc = EMB_OK;
    for (size_t e = 0; e < m->nentities && rc == EMB_OK; e++) {
        const emb_entity *en = &m->entities[e];
        for (size_t i = 0; i < en->nidentifiers && rc == EMB_OK; i++) {
            const char *norm = en->identifiers[i].norm;
            if (!norm || !*norm)
                continue;
            uint32_t id;
            rc = strtab_add(&ix->idents, norm, strlen(norm), &id);
            if (rc == EMB_OK)
                rc = emb_grow(&ps, np, sizeof(pair), MAX_PAIRS);
            if (rc == EMB_OK) {
                ps[np].a = id;
                ps[np].b = (uint32_t)e;
                np++;
            }
        }
    }
    if (rc == EMB_OK)
        rc = csr(ps, &np, ix->idents.n, &ix->arena, &ix->ident_off, &ix->ident_ents);
    emb_free(ps);
    return rc;
}

const uint32_t *emb_index_ident(const emb_index *ix, const char *norm, size_t *n)
{
    int64_t id = strtab_find(&ix->idents, norm, strlen(norm));
    if (id < 0 || !ix->ident_off) {
        *n = 0;
        return NULL;
    }
    *n = ix->ident_off[id + 1] - ix->ident_off[id];
    return ix->ident_ents + ix->ident_off[id];
}

static int rehash(emb_index *ix, size_t nslots)
{
    uint32_t *slots = emb_calloc(nslots, sizeof(uint32_t));
    if (!slots)
        return EMB_ENOMEM;
    for (size_t t = 0; t < ix->ntoks; t++) {
        size_t i = hash_bytes(emb_tok_s(ix, &ix->toks[t]), ix->toks[t].len) & (nslots - 1);
        while (slots[i])
            i = (i + 1) & (nslots - 1);
        slots[i] = (uint32_t)t + 1;
    }
    emb_free(ix->slots);
    ix->slots = slots;
    ix->nslots = nslots;
    return EMB_OK;
}

static int intern(emb_index *ix, const char *s, size_t n, int joined, uint32_t *out)
{
    int64_t id = emb_index_lookup(ix, s, n);
    if (id >= 0) {
        if (!joined)
            ix->toks[id].joined = 0;
        else if (joined > ix->toks[id].glue)
            ix->toks[id].glue = (uint8_t)joined;
        *out = (uint32_t)id;
        return EMB_OK;
    }
    if ((ix->ntoks + 1) * 2 > ix->nslots) {
        int rc = rehash(ix, ix->nslots ? ix->nslots * 2 : 1024);
        if (rc < 0)
            return rc;
    }
    int rc = emb_grow(&ix->toks, ix->ntoks, sizeof(emb_vtok), UINT32_MAX - 1);
    if (rc < 0)
        return rc;
    uint32_t soff = 0;
    if ((rc = pool_add(&ix->tokstr, &ix->ntokstr, &ix->ctokstr, s, n, &soff)) < 0)
        return rc;
    emb_vtok *t = &ix->toks[ix->ntoks];
    memset(t, 0, sizeof(*t));
    t->soff = soff;
    t->len = (uint32_t)n;
    t->joined = (uint8_t)(joined ? 1 : 0);
    t->glue = (uint8_t)joined;
    size_t i = hash_bytes(s, n) & (ix->nslots - 1);
    while (ix->slots[i])
        i = (i + 1) & (ix->nslots - 1);
    ix->slots[i] = (uint32_t)ix->ntoks + 1;
    *out = (uint32_t)ix->ntoks++;
    return EMB_OK;
}

static int add_post(builder *b, uint32_t tok, uint32_t pn)
{
    int rc = emb_grow(&b->posts, b->nposts, sizeof(pair), MAX_PAIRS);
    if (rc < 0)
        return rc;
    b->posts[b->nposts].a = tok;
    b->posts[b->nposts].b = pn;
    b->nposts++;
    return EMB_OK;
}

/* Add one pname from a normalised string. */
static int add_pname(builder *b, const emb_tables *tab, const char *norm, uint32_t ent,
                     uint32_t name, uint8_t kind, uint8_t script, int person)
{
    emb_index *ix = b->ix;
    const char *toks[EMB_NAME_MAX_TOKENS];
    size_t lens[EMB_NAME_MAX_TOKENS];
    size_t n = emb_split_tokens(norm, toks, lens, EMB_NAME_MAX_TOKENS);
    if (n == 0)
        return EMB_OK;
    uint8_t truncated = n > EMB_NAME_MAX_TOKENS;
    if (truncated)
        n = EMB_NAME_MAX_TOKENS;
    size_t skip = person ? emb_tables_title_prefix(tab, toks, lens, n) : 0;
    int rc = emb_grow(&ix->pnames, ix->npnames, sizeof(emb_pname), MAX_PNAMES);
    if (rc < 0)
        return rc;
    uint32_t pn = (uint32_t)ix->npnames;
    emb_pname *p = &ix->pnames[pn];
    memset(p, 0, sizeof(*p));   /* padding too: snapshots are written as is */
    p->entity = ent;
    p->name = name;
    p->kind = kind;
    p->script = script;
    p->truncated = truncated;
    p->tok_off = (uint32_t)b->nname_toks;
    p->ntok = (uint16_t)(n - skip);
    ix->npnames++;
    for (size_t i = skip; i < n; i++) {
        uint32_t id;
        if ((rc = intern(ix, toks[i], lens[i], 0, &id)) < 0)
            return rc;
        if ((rc = emb_grow(&b->name_toks, b->nname_toks, sizeof(uint32_t), MAX_PAIRS)) < 0)
            return rc;
        b->name_toks[b->nname_toks++] = id;
        if ((rc = add_post(b, id, pn)) < 0)
            return rc;
    }
    /* glued forms: runs of two and three adjacent parts (the scorer glues
     * runs of up to four), and the whole name when it has 3+ parts */
    char glue[512];
    size_t nt = n - skip;
    for (size_t r = 2; r <= 3 && nt >= 2; r++) {
        if (r == 3 && nt <= 3)
            break; /* the whole name below */
        for (size_t i = skip; i + r <= n; i++) {
            size_t gl = 0;
            for (size_t k = i; k < i + r; k++)
                gl += lens[k];
            if (gl >= sizeof(glue))
                continue;
            gl = 0;
            for (size_t k = i; k < i + r; k++) {
                memcpy(glue + gl, toks[k], lens[k]);
                gl += lens[k];
            }
            uint32_t id;
            if ((rc = intern(ix, glue, gl, (int)r, &id)) < 0 || (rc = add_post(b, id, pn)) < 0)
                return rc;
        }
    }
    if (nt >= 3) {
        size_t gl = 0;
        for (size_t i = skip; i < n && gl + lens[i] < sizeof(glue); i++) {
            memcpy(glue + gl, toks[i], lens[i]);
            gl += lens[i];
        }
        uint32_t id;
        if ((rc = intern(ix, glue, gl, nt > 255 ? 255 : (int)nt, &id)) < 0 ||
            (rc = add_post(b, id, pn)) < 0)
            return rc;
    }
    return EMB_OK;
}

/* Stable LSD radix sort of pairs by .a (two 16-bit passes). Pairs are
 * always generated with .b ascending, so the result is ordered by (a, b). */
static int sort_pairs(pair *ps, size_t n)
{
    if (n < 2)
        return EMB_OK;
    pair *tmp = emb_malloc(n * sizeof(pair));
    size_t *cnt = emb_malloc(65537 * sizeof(size_t));
    if (!tmp || !cnt) {
        emb_free(tmp);
        emb_free(cnt);
        return EMB_ENOMEM;
    }
    pair *src = ps, *dst = tmp;
    for (int shift = 0; shift < 32; shift += 16) {
        memset(cnt, 0, 65537 * sizeof(size_t));
        for (size_t i = 0; i < n; i++)
            cnt[((src[i].a >> shift) & 0xFFFF) + 1]++;
        for (size_t k = 0; k < 65536; k++)
            cnt[k + 1] += cnt[k];
        for (size_t i = 0; i < n; i++)
            dst[cnt[(src[i].a >> shift) & 0xFFFF]++] = src[i];
        pair *t = src;
        src = dst;
        dst = t;
    }
    /* two passes: the sorted data is back in ps */
    emb_free(tmp);
    emb_free(cnt);
    return EMB_OK;
}

/* Sort pairs, drop duplicates, build CSR offsets over `nkeys` keys. */
static int csr(pair *ps, size_t *np, size_t nkeys, emb_arena *a, uint32_t **off_out,
               uint32_t **vals_out)
{
    if (sort_pairs(ps, *np) < 0)
        return EMB_ENOMEM;
    size_t o = 0;
    for (size_t i = 0; i < *np; i++)
        if (o == 0 || ps[i].a != ps[o - 1].a || ps[i].b != ps[o - 1].b)
            ps[o++] = ps[i];
    *np = o;
    uint32_t *off = emb_arena_alloc(a, (nkeys + 1) * sizeof(uint32_t));
    uint32_t *vals = emb_arena_alloc(a, (o ? o : 1) * sizeof(uint32_t));
    if (!off || !vals)
        return EMB_ENOMEM;
    memset(off, 0, (nkeys + 1) * sizeof(uint32_t));
    for (size_t i = 0; i < o; i++) {
        off[ps[i].a + 1]++;
        vals[i] = ps[i].b;
    }
    for (size_t k = 0; k < nkeys; k++)
        off[k + 1] += off[k];
    *off_out = off;
    *vals_out = vals;
    return EMB_OK;
}

static uint32_t tri_key(unsigned char a, unsigned char b, unsigned char c)
{
    return (uint32_t)a << 16 | (uint32_t)b << 8 | c;
}

static int cmp_pair(const void *x, const void *y)
{
    const pair *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

/* Trigrams of the real parts, or of the glued forms (glued = 1). */
static int build_trigrams(emb_index *ix, emb_trigrams *T, int glued)
{
    pair *ps = NULL;
    size_t n = 0;
    int rc = EMB_OK;
    for (size_t t = 0; t < ix->ntoks && rc == EMB_OK; t++) {
        /* glued forms apart: they are most of the vocabulary of a large
         * list, and only query parts the list lacks look them up */
        if (ix->toks[t].joined != glued)
            continue;
        const unsigned char *s = (const unsigned char *)emb_tok_s(ix, &ix->toks[t]);
        size_t len = ix->toks[t].len;
        for (size_t i = 0; i < len && rc == EMB_OK; i++) {
            unsigned char a = i == 0 ? '^' : s[i - 1];
            unsigned char c = i + 1 < len ? s[i + 1] : '$';
            rc = emb_grow(&ps, n, sizeof(pair), MAX_PAIRS);
            if (rc == EMB_OK) {
                ps[n].a = tri_key(a, s[i], c);
                ps[n].b = (uint32_t)t;
                n++;
            }
        }
    }
    if (rc < 0)
        goto cleanup;
    if ((rc = sort_pairs(ps, n)) < 0)
        goto cleanup;
    size_t nkeys = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || ps[i].a != ps[i - 1].a)
            nkeys++;
    T->keys = emb_arena_alloc(&ix->arena, (nkeys ? nkeys : 1) * sizeof(uint32_t));
    T->off = emb_arena_alloc(&ix->arena, (nkeys + 1) * sizeof(uint32_t));
    T->toks = emb_arena_alloc(&ix->arena, (n ? n : 1) * sizeof(uint32_t));
    if (!T->keys || !T->off || !T->toks) {
        rc = EMB_ENOMEM;
        goto cleanup;
    }
    size_t k = 0, o = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && ps[i].a == ps[i - 1].a && ps[i].b == ps[i - 1].b)
            continue;
        if (k == 0 || T->keys[k - 1] != ps[i].a) {
            T->keys[k] = ps[i].a;
            T->off[k] = (uint32_t)o;
            k++;
        }
        T->toks[o++] = ps[i].b;
    }
    T->off[k] = (uint32_t)o;
    T->n = k;
    /* within a trigram, tokens by length (then id): the fuzzy lookup reads
     * only the lengths within its budget */
    T->lens = emb_arena_alloc(&ix->arena, o ? o : 1);
    if (!T->lens) {
        rc = EMB_ENOMEM;
        goto cleanup;
    }
    for (size_t t = 0; t < k; t++) {
        size_t lo = T->off[t], m = T->off[t + 1] - lo;
        for (size_t i = 0; i < m; i++) {
            uint32_t tok = T->toks[lo + i];
            ps[i].a = ix->toks[tok].len > 255 ? 255 : ix->toks[tok].len;
            ps[i].b = tok;
        }
        if (m < 32) {
            for (size_t i = 1; i < m; i++) {   /* insertion sort: most lists are short */
                pair v = ps[i];
                size_t j = i;
                while (j > 0 && (ps[j - 1].a > v.a || (ps[j - 1].a == v.a && ps[j - 1].b > v.b))) {
                    ps[j] = ps[j - 1];
                    j--;
                }
                ps[j] = v;
            }
        } else {
            qsort(ps, m, sizeof(pair), cmp_pair);
        }
        for (size_t i = 0; i < m; i++) {
            T->toks[lo + i] = ps[i].b;
            T->lens[lo + i] = (uint8_t)ps[i].a;
        }
    }
    /* and its letters: the fuzzy lookup's first filter reads them in list
     * order, not at random in tok_letters */
    T->letters = emb_arena_alloc(&ix->arena, (o ? o : 1) * sizeof(uint32_t));
    if (!T->letters) {
        rc = EMB_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < o; i++)
        T->letters[i] = ix->tok_letters[T->toks[i]];
cleanup:
    emb_free(ps);
    return rc;
}

static void weigh(emb_index *ix, const emb_tables *tab)
{
    double lnN = log((double)ix->npnames + 1.0);
    if (lnN < 1.0)
        lnN = 1.0;
    for (size_t t = 0; t < ix->ntoks; t++) {
        emb_vtok *v = &ix->toks[t];
        v->df = ix->post_off[t + 1] - ix->post_off[t];
        double idf = log(((double)ix->npnames + 1.0) / ((double)v->df + 0.5)) / lnN;
        if (idf > 1.0)
            idf = 1.0;
        if (idf < 0.0)
            idf = 0.0;
        double w = 0.2 + 0.8 * idf;
        v->cls = (uint8_t)emb_tables_word_class(tab, emb_tok_s(ix, v), v->len);
        if (v->cls == EMB_WORD_LEGAL && w > 0.1)
            w = 0.1;
        else if (v->cls == EMB_WORD_GENERIC && w > 0.3)
            w = 0.3;
        else if (v->cls == EMB_WORD_STOP)
            w = 0.05;
        v->w = (float)w;
    }
}

static void facts_year(emb_entfacts *f, int lo, int hi)
{
    if (lo < 1 || hi > 9999 || lo > hi)
        return;
    if (!f->ymin || lo < f->ymin)
        f->ymin = (int16_t)lo;
    if (hi > f->ymax)
        f->ymax = (int16_t)hi;
}

static void facts_cc(emb_entfacts *f, const char *cc)
{
    if (cc && *cc)
        f->cc |= 1ull << emb_cc_bit(cc);
}

/* Every birth year and country emb_corroborate could agree with (a
 * superset: its bound must never be too low). */
static void entity_facts(emb_entfacts *f, const emb_entity *e)
{
    memset(f, 0, sizeof(*f));
    for (size_t i = 0; i < e->nbirth_dates; i++) {
        const emb_date *d = &e->birth_dates[i];
        switch (d->prec) {
        case EMB_DATE_RANGE: facts_year(f, d->year, d->year_to); break;
        case EMB_DATE_APPROX:
            facts_year(f, d->year - EMB_APPROX_YEARS, d->year + EMB_APPROX_YEARS);
            break;
        case EMB_DATE_YEAR:
        case EMB_DATE_MONTH:
        case EMB_DATE_DAY: facts_year(f, d->year, d->year); break;
        default: break;
        }
    }
    for (size_t i = 0; i < e->nnationalities; i++)
        facts_cc(f, e->nationalities[i].cc);
    for (size_t i = 0; i < e->nbirth_places; i++)
        facts_cc(f, e->birth_places[i].cc);
    for (size_t i = 0; i < e->naddresses; i++)
        facts_cc(f, e->addresses[i].cc);
    for (size_t i = 0; i < e->nidentifiers; i++)
        facts_cc(f, e->identifiers[i].cc);
    facts_cc(f, e->flag_cc);
}

int emb_index_build(emb_index *ix, const emb_model *m, const emb_tables *tab,
                    const emb_variants *var, emb_translit *tr)
{
    memset(ix, 0, sizeof(*ix));
    emb_arena_init(&ix->arena, 0);
    ix->var = var;
    builder b;
    memset(&b, 0, sizeof(b));
    b.ix = ix;
    emb_buf nb, sb;
    emb_buf_init(&nb, (size_t)EMB_NAME_MAX_BYTES * 4);
    emb_buf_init(&sb, (size_t)EMB_NAME_MAX_BYTES * 4);
    pair *ep = NULL;
    size_t nep = 0;
    int rc = EMB_OK;
    for (size_t e = 0; e < m->nentities && rc == EMB_OK; e++) {
        const emb_entity *en = &m->entities[e];
        int person = en->schema == EMB_SCHEMA_PERSON;
        for (size_t i = 0; i < en->nnames && rc == EMB_OK; i++) {
            const emb_name *nm = &en->names[i];
            size_t len = strlen(nm->full);
            rc = emb_norm_name(&nb, nm->full, len, tr);
            if (rc < 0) {
                rc = emb_err_set(rc, "entry %s: name \"%s\": %s", en->reference, nm->full,
                                 emb_err_last());
                break;
            }
            /* titles are a Latin-script convention (a romanised Arabic word may read "mr") */
            rc = add_pname(&b, tab, emb_buf_cstr(&nb), (uint32_t)e, (uint32_t)i,
                           (uint8_t)nm->kind, 0, person && emb_is_ascii(nm->full, len));
            if (rc == EMB_OK && !emb_is_ascii(nm->full, len)) {
                int non_latin = 0;
                rc = emb_norm_script(&sb, nm->full, len, &non_latin);
                if (rc == EMB_OK && non_latin)
                    rc = add_pname(&b, tab, emb_buf_cstr(&sb), (uint32_t)e, (uint32_t)i,
                                   (uint8_t)nm->kind, 1, person);
            }
        }
    }
    if (rc < 0)
        goto cleanup;
    ix->nentities = m->nentities;
    ix->ent_schema = emb_arena_alloc(&ix->arena, m->nentities ? m->nentities : 1);
    if (!ix->ent_schema) {
        rc = EMB_ENOMEM;
        goto cleanup;
    }
    for (size_t e = 0; e < m->nentities; e++)
        ix->ent_schema[e] = (uint8_t)m->entities[e].schema;
    ix->ent_facts = emb_arena_alloc(&ix->arena, (m->nentities ? m->nentities : 1) *
                                                    sizeof(emb_entfacts));
    if (!ix->ent_facts) {
        rc = EMB_ENOMEM;
        goto cleanup;
    }
    for (size_t e = 0; e < m->nentities; e++)
        entity_facts(&ix->ent_facts[e], &m->entities[e]);
    ix->name_toks = emb_arena_memdup(&ix->arena, b.name_toks,
                                     (b.nname_toks ? b.nname_toks : 1) * sizeof(uint32_t));
    ix->nname_toks = b.nname_toks;
    if (!ix->name_toks) {
        rc = EMB_ENOMEM;
        goto cleanup;
    }
    if ((rc = csr(b.posts, &b.nposts, ix->ntoks, &ix->arena, &ix->post_off, &ix->post)) < 0)
        goto cleanup;
    for (size_t t = 0; t < ix->ntoks; t++)
        for (uint32_t k = ix->post_off[t]; k < ix->post_off[t + 1]; k++) {
            const emb_pname *pn = &ix->pnames[ix->post[k]];
            unsigned nt = pn->ntok, once = 0;
            for (unsigned i = 0; i < nt; i++)
                once += ix->name_toks[pn->tok_off + i] == t;
            ix->post[k] |= (nt > EMB_POST_NTOK_MAX ? EMB_POST_NTOK_MAX : nt) << EMB_POST_NTOK_SHIFT;
            if (once != 1)
                ix->post[k] |= EMB_POST_MULTI;
        }
    for (size_t p = 0; p < ix->npnames && rc == EMB_OK; p++) {
        rc = emb_grow(&ep, nep, sizeof(pair), MAX_PAIRS);
        if (rc == EMB_OK) {
            ep[nep].a = ix->pnames[p].entity;
            ep[nep].b = (uint32_t)p;
            nep++;
        }
    }
    if (rc < 0)
        goto cleanup;
    if ((rc = csr(ep, &nep, ix->nentities, &ix->arena, &ix->ent_pname_off, &ix->ent_pnames)) < 0)
        goto cleanup;
    weigh(ix, tab);
    for (size_t p = 0; p < ix->npnames; p++) {
        emb_pname *pn = &ix->pnames[p];
        float w = 1.0f;
        unsigned ninit = 0;
        for (size_t j = 0; j < pn->ntok; j++) {
            const emb_vtok *v = &ix->toks[ix->name_toks[pn->tok_off + j]];
            if (v->w < w)
                w = v->w;
            ninit += emb_is_initial(emb_tok_s(ix, v), v->len);
        }
        pn->wmin = w;
        pn->ninit = ix->ent_schema[pn->entity] == EMB_SCHEMA_PERSON ? (uint8_t)(ninit > 255 ? 255 : ninit) : 0;
    }
    ix->pname_init = emb_arena_alloc(&ix->arena, ix->npnames / 8 + 1);
    if (!ix->pname_init) {
        rc = EMB_ENOMEM;
        goto cleanup;
    }
    memset(ix->pname_init, 0, ix->npnames / 8 + 1);
    for (size_t p = 0; p < ix->npnames; p++)
        if (ix->pnames[p].ninit)
            ix->pname_init[p >> 3] |= (uint8_t)(1u << (p & 7));
    /* the postings of names with initials, apart */
    ix->post_init_off = emb_arena_alloc(&ix->arena, (ix->ntoks + 1) * sizeof(uint32_t));
    if (!ix->post_init_off) {
        rc = EMB_ENOMEM;
        goto cleanup;
    }
    size_t ninitp = 0;
    for (size_t t = 0; t < ix->ntoks; t++) {
        ix->post_init_off[t] = (uint32_t)ninitp;
        for (uint32_t k = ix->post_off[t]; k < ix->post_off[t + 1]; k++) {
            uint32_t pn = ix->post[k] & EMB_POST_PNAME;
            ninitp += ix->pname_init[pn >> 3] >> (pn & 7) & 1;
        }
    }
    ix->post_init_off[ix->ntoks] = (uint32_t)ninitp;
    ix->post_init = emb_arena_alloc(&ix->arena, (ninitp ? ninitp : 1) * sizeof(uint32_t));
    if (!ix->post_init) {
        rc = EMB_ENOMEM;
        goto cleanup;
    }
    ninitp = 0;
    for (size_t k = 0; k < ix->post_off[ix->ntoks]; k++) {
        uint32_t pn = ix->post[k] & EMB_POST_PNAME;
        if (ix->pname_init[pn >> 3] >> (pn & 7) & 1)
            ix->post_init[ninitp++] = ix->post[k];
    }
    if ((rc = build_variants(ix)) < 0 || (rc = build_form_dels(ix)) < 0 ||
        (rc = build_acronyms(ix)) < 0 || (rc = build_idents(ix, m)) < 0)
        goto cleanup;
    ix->near_cache = emb_calloc(ix->ntoks ? ix->ntoks : 1, sizeof(*ix->near_cache));
    ix->near_cache_bytes = emb_calloc(1, sizeof(*ix->near_cache_bytes));
    if (!ix->near_cache || !ix->near_cache_bytes) {
        rc = EMB_ENOMEM;
        goto cleanup;
    }
    if ((rc = emb_index_split_cache_init(ix)) < 0)
        goto cleanup;
    ix->tok_letters = emb_arena_alloc(&ix->arena, (ix->ntoks ? ix->ntoks : 1) * sizeof(uint32_t));
    if (!ix->tok_letters) {
        rc = EMB_ENOMEM;
        goto cleanup;
    }
    for (size_t t = 0; t < ix->ntoks; t++)
        ix->tok_letters[t] = emb_letters32(emb_tok_s(ix, &ix->toks[t]), ix->toks[t].len);
    rc = build_trigrams(ix, &ix->tri, 0);
cleanup:
    emb_free(b.posts);
    emb_free(b.name_toks);
    emb_free(ep);
    emb_buf_dispose(&nb);
    emb_buf_dispose(&sb);
    if (rc < 0) {
        if (rc == EMB_ENOMEM)
            emb_err_set(rc, "out of memory building the index");
        emb_index_dispose(ix);
    }
    return rc;
}

int emb_index_split_cache_init(emb_index *ix)
{
    ix->split_cache = emb_calloc(ix->ntoks ? ix->ntoks : 1, sizeof(*ix->split_cache));
    ix->split_cache_bytes = emb_calloc(1, sizeof(*ix->split_cache_bytes));
    if (!ix->split_cache || !ix->split_cache_bytes)
        return emb_err_set(EMB_ENOMEM, "out of memory");
    return EMB_OK;
}

/* Store vals[0..n) as token tok's list in a per-token cache (near_cache,
 * split_cache: entries {count, values...}, each set once), unless its byte
 * counter passes cap (it only grows: once full, callers compute each time)
 * or memory runs out. The list now cached for tok (this one, or the one
 * another thread stored first), or NULL. */
static const uint32_t *tok_cache_store(_Atomic(uint32_t *) *cache, _Atomic size_t *bytes,
                                       size_t cap, uint32_t tok, const uint32_t *vals, size_t n)
{
    size_t size = (n + 1) * sizeof(uint32_t);
    uint32_t *c;
    if (atomic_fetch_add(bytes, size) + size > cap || !(c = emb_malloc(size)))
        return NULL;
    c[0] = (uint32_t)n;
    if (n)
        memcpy(c + 1, vals, n * sizeof(uint32_t));
    uint32_t *expect = NULL;
    if (!atomic_compare_exchange_strong(&cache[tok], &expect, c)) {
        emb_free(c);
        return expect;
    }
    return c;
}

const uint32_t *emb_index_split_cached(const emb_index *ix, uint32_t tok)
{
    if (!ix->split_cache || tok >= ix->ntoks)
        return NULL;
    return atomic_load_explicit(&ix->split_cache[tok], memory_order_acquire);
}

void emb_index_split_cache_put(const emb_index *ix, uint32_t tok, const uint32_t *toks, size_t n)
{
    if (ix->split_cache && tok < ix->ntoks)
        tok_cache_store(ix->split_cache, ix->split_cache_bytes, EMB_SPLIT_CACHE_MAX, tok, toks, n);
}

void emb_index_dispose(emb_index *ix)
{
    if (ix->split_cache)
        for (size_t t = 0; t < ix->ntoks; t++)
            emb_free(atomic_load(&ix->split_cache[t]));
    emb_free((void *)ix->split_cache);
    emb_free((void *)ix->split_cache_bytes);
    ix->split_cache = NULL;
    ix->split_cache_bytes = NULL;
    if (ix->mapped) {   /* arrays belong to the snapshot mapping */
        memset(ix, 0, sizeof(*ix));
        return;
    }
    if (ix->near_cache)
        for (size_t t = 0; t < ix->ntoks; t++)
            emb_free(atomic_load(&ix->near_cache[t]));
    emb_free((void *)ix->near_cache);
    emb_free((void *)ix->near_cache_bytes);
    emb_free(ix->toks);
    emb_free(ix->tokstr);
    emb_free(ix->slots);
    emb_free(ix->pnames);
    strtab_dispose(&ix->keys);
    strtab_dispose(&ix->idents);
    emb_arena_dispose(&ix->arena);
    memset(ix, 0, sizeof(*ix));
}

/* Within trigram key k (tokens by length), the first of a length >= minl. */
static size_t tri_len_from(const emb_trigrams *T, size_t k, size_t minl)
{
    size_t x = T->off[k], y = T->off[k + 1];
    while (x < y) {
        size_t m = (x + y) / 2;
        if (T->lens[m] < minl)
            x = m + 1;
        else
            y = m;
    }
    return x;
}

/* Tokens holding trigram key whose length is within [minl, maxl]. */
static const uint32_t *tri_find(const emb_trigrams *T, uint32_t key, size_t minl, size_t maxl,
                                size_t *n)
{
    size_t lo = 0, hi = T->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (T->keys[mid] == key) {
            size_t x = tri_len_from(T, mid, minl), e = x;
            while (e < T->off[mid + 1] && T->lens[e] <= maxl)
                e++;
            *n = e - x;
            return T->toks + x;
        }
        if (T->keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    *n = 0;
    return NULL;
}

/* The last filter and the distance of candidate t (query letter set
 * qmask): an edit changes at most two of the letters a string uses. */
static void fuzzy_verify(const emb_index *ix, const char *s, size_t n, uint32_t qmask, uint32_t t,
                         uint32_t tmask, int budget, emb_fuzzy_fn fn, void *payload)
{
    if (emb_pop32(tmask ^ qmask) > 2 * budget)
        return;
    const emb_vtok *v = &ix->toks[t];
    const char *ts = emb_tok_s(ix, v);
    if (((unsigned char)s[0] | (unsigned char)ts[0]) & 0x80) {
        /* another script: the budget of its letters */
        int lb = emb_edit_budget_pair(s, n, ts, v->len);
        if (lb < budget)
            budget = lb;
        if (budget == 0)
            return;
    }
    int d = emb_osa_distance(s, n, ts, v->len, budget);
    if (d >= 1 && d <= budget)
        fn(payload, t, d);
}

static void fuzzy_in(const emb_index *ix, const emb_trigrams *T, const char *s, size_t n,
                     int fixed, emb_arena *scratch, emb_fuzzy_fn fn, void *payload)
{
    if (n == 3 && fixed < 0) {
        /* three letters have no edit budget, but a swap of two adjacent
         * letters (sok/sko, abd/adb) is one slip: look the two swaps up */
        for (size_t i = 0; i + 1 < n; i++) {
            char v[3] = {s[0], s[1], s[2]};
            if (v[i] == v[i + 1])
                continue;
            v[i] = s[i + 1];
            v[i + 1] = s[i];
            int64_t id = emb_index_lookup(ix, v, 3);
            if (id >= 0)
                fn(payload, (uint32_t)id, 1);
        }
    }
    /* the widest budget any candidate can have: its length is at most n + budget */
    int maxb = fixed >= 0 ? fixed : emb_edit_budget(n + 3);
    if (maxb == 0 || n < 3 || n > EMB_DIST_MAX_LEN)
        return;
    /* each padded trigram's tokens of a length within the budget */
    const uint32_t *lists[EMB_DIST_MAX_LEN];
    size_t nlist[EMB_DIST_MAX_LEN], total = 0;
    const unsigned char *u = (const unsigned char *)s;
    size_t minl = n > (size_t)maxb ? n - (size_t)maxb : 0, maxl = n + (size_t)maxb;
    for (size_t i = 0; i < n; i++) {
        lists[i] = tri_find(T, tri_key(i ? u[i - 1] : '^', u[i], i + 1 < n ? u[i + 1] : '$'),
                            minl, maxl, &nlist[i]);
        total += nlist[i];
    }
    if (!total)
        return;
    /* count shared trigrams per token in a small open-addressing table,
     * with its length (from the postings: no read of the token yet) */
    size_t cap = 16;
    while (cap < total * 2)
        cap *= 2;
    uint32_t *keys = emb_arena_alloc(scratch, cap * sizeof(uint32_t));
    uint16_t *cnt = emb_arena_alloc(scratch, cap * sizeof(uint16_t));
    uint8_t *len = emb_arena_alloc(scratch, cap);
    uint32_t *lt = emb_arena_alloc(scratch, cap * sizeof(uint32_t));
    if (!keys || !cnt || !len || !lt)
        return;
    memset(keys, 0, cap * sizeof(uint32_t));
    for (size_t i = 0; i < n; i++) {
        if (!nlist[i])
            continue;   /* lists[i] may be NULL */
        const uint32_t *ts = lists[i];
        const uint8_t *ls = T->lens + (ts - T->toks);
        const uint32_t *lm = T->letters + (ts - T->toks);
        for (size_t j = 0; j < nlist[i]; j++) {
            uint32_t t = ts[j];
            size_t h = (t * 2654435761u) & (cap - 1);
            while (keys[h] && keys[h] != t + 1)
                h = (h + 1) & (cap - 1);
            if (!keys[h]) {
                keys[h] = t + 1;
                cnt[h] = 0;
                len[h] = ls[j];
                lt[h] = lm[j];
            }
            cnt[h]++;
        }
    }
    uint32_t qmask = emb_letters32(s, n);
    for (size_t h = 0; h < cap; h++) {
        if (!keys[h])
            continue;
        uint32_t t = keys[h] - 1;
        size_t tl = len[h];   /* 255: 255 or more, beyond any budget */
        size_t longest = tl > n ? tl : n;
        size_t shortest = tl < n ? tl : n;
        int budget = fixed >= 0 ? fixed : emb_edit_budget(longest);
        if (budget == 0 || shortest < (fixed >= 0 ? 2u : 3u) ||
            (longest - shortest) > (size_t)budget)
            continue; /* (three-letter swaps are handled above) */
        /* an edit destroys at most four of the longer string's padded
         * trigrams (a transposition of two letters touches four) */
        if ((long)cnt[h] < (long)longest - 4L * budget)
            continue;
        fuzzy_verify(ix, s, n, qmask, t, lt[h], budget, fn, payload);
    }
}

void emb_index_fuzzy(const emb_index *ix, const char *s, size_t n, emb_arena *scratch,
                     emb_fuzzy_fn fn, void *payload)
{
    fuzzy_in(ix, &ix->tri, s, n, -1, scratch, fn, payload);
}

void emb_index_fuzzy_same_start(const emb_index *ix, const char *s, size_t n, emb_fuzzy_fn fn,
                                void *payload)
{
    const emb_trigrams *T = &ix->tri;
    int maxb = emb_edit_budget(n + 3);
    if (maxb == 0 || n < 3 || n > EMB_DIST_MAX_LEN)
        return;
    const unsigned char *u = (const unsigned char *)s;
    uint32_t lo = tri_key('^', u[0], 0), hi = tri_key('^', u[0], 255);
    size_t a = 0, b = T->n;
    while (a < b) {   /* the first key >= lo */
        size_t m = (a + b) / 2;
        if (T->keys[m] < lo)
            a = m + 1;
        else
            b = m;
    }
    size_t minl = n > (size_t)maxb ? n - (size_t)maxb : 0, maxl = n + (size_t)maxb;
    uint32_t qmask = emb_letters32(s, n);
    for (size_t k = a; k < T->n && T->keys[k] <= hi; k++) {
        /* tokens of this first trigram, by length: those within the window */
        for (size_t i = tri_len_from(T, k, minl); i < T->off[k + 1] && T->lens[i] <= maxl; i++) {
            size_t tl = T->lens[i];
            size_t longest = tl > n ? tl : n, shortest = tl < n ? tl : n;
            int budget = emb_edit_budget(longest);
            if (budget > 0 && shortest >= 3 && longest - shortest <= (size_t)budget)
                fuzzy_verify(ix, s, n, qmask, T->toks[i], T->letters[i], budget, fn, payload);
        }
    }
}

void emb_index_fuzzy_within(const emb_index *ix, const char *s, size_t n, int budget,
                            emb_arena *scratch, emb_fuzzy_fn fn, void *payload)
{
    if (budget > 0)
        fuzzy_in(ix, &ix->tri, s, n, budget, scratch, fn, payload);
}

/* ---- fuzzy partners of every token, for snapshots ------------------------------ */

typedef struct near_job {
    const emb_index *ix;
    size_t from, to;          /* tokens */
    uint32_t *cnt;            /* per token in [from, to) */
    uint32_t *vals;           /* packed partners, grown */
    size_t n, cap;
    int rc;
} near_job;

static void on_partner(void *payload, uint32_t tok, int edits)
{
    near_job *j = payload;
    if (j->rc < 0)
        return;
    if (tok >= (1u << 30)) {
        j->rc = emb_err_set(EMB_ETOOBIG, "more than 2^30 tokens for the fuzzy partner lists");
        return;
    }
    if ((j->rc = emb_grow(&j->vals, j->n, sizeof(uint32_t), UINT32_MAX / 2)) == EMB_OK)
        j->vals[j->n++] = tok << 2 | (uint32_t)(edits & 3);
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

static void *near_run(void *arg)
{
    near_job *j = arg;
    emb_arena scratch;
    emb_arena_init(&scratch, 64u << 20);
    for (size_t t = j->from; t < j->to && j->rc == EMB_OK; t++) {
        const emb_vtok *v = &j->ix->toks[t];
        size_t start = j->n;
        if (!v->joined)
            emb_index_fuzzy(j->ix, emb_tok_s(j->ix, v), v->len, &scratch, on_partner, j);
        /* by token, as screening binary-searches them */
        if (j->n - start > 1)
            qsort(j->vals + start, j->n - start, sizeof(uint32_t), cmp_u32);
        j->cnt[t - j->from] = (uint32_t)(j->n - start);
        if ((t & 1023) == 1023) {   /* scratch holds one lookup's tables at a time */
            emb_arena_dispose(&scratch);
            emb_arena_init(&scratch, 64u << 20);
        }
    }
    emb_arena_dispose(&scratch);
    return NULL;
}

int emb_index_near_lists(const emb_index *ix, unsigned threads, uint32_t **off_out,
                         uint32_t **vals_out)
{
    if (threads < 1)
        threads = 1;
    if (threads > 16)
        threads = 16;
    near_job jobs[16];
    pthread_t th[16];
    memset(jobs, 0, sizeof(jobs));
    uint32_t *off = emb_malloc((ix->ntoks + 1) * sizeof(uint32_t));
    int rc = off ? EMB_OK : EMB_ENOMEM;
    unsigned started = 0;
    for (unsigned i = 0; i < threads && rc == EMB_OK; i++) {
        near_job *j = &jobs[i];
        j->ix = ix;
        j->from = ix->ntoks * i / threads;
        j->to = ix->ntoks * (i + 1) / threads;
        j->cnt = emb_malloc((j->to - j->from + 1) * sizeof(uint32_t));
        if (!j->cnt) {
            rc = EMB_ENOMEM;
            break;
        }
        if (pthread_create(&th[i], NULL, near_run, j) != 0) {
            rc = emb_err_set(EMB_ENOMEM, "cannot start a thread for the fuzzy partner lists");
            break;
        }
        started++;
    }
    for (unsigned i = 0; i < started; i++) {
        pthread_join(th[i], NULL);
        if (jobs[i].rc < 0 && rc == EMB_OK)
            rc = jobs[i].rc;
    }
    size_t total = 0;
    for (unsigned i = 0; i < threads && rc == EMB_OK; i++)
        total += jobs[i].n;
    uint32_t *vals = NULL;
    if (rc == EMB_OK && total >= UINT32_MAX)
        rc = emb_err_set(EMB_ETOOBIG, "fuzzy partner lists exceed 2^32 entries");
    if (rc == EMB_OK && !(vals = emb_malloc((total ? total : 1) * sizeof(uint32_t))))
        rc = EMB_ENOMEM;
    if (rc == EMB_OK) {
        size_t at = 0;
        for (unsigned i = 0; i < threads; i++) {
            near_job *j = &jobs[i];
            for (size_t t = j->from; t < j->to; t++) {
                off[t] = (uint32_t)at;
                at += j->cnt[t - j->from];
            }
            if (j->n)
                memcpy(vals + off[j->from], j->vals, j->n * sizeof(uint32_t));
        }
        off[ix->ntoks] = (uint32_t)at;
    }
    for (unsigned i = 0; i < threads; i++) {
        emb_free(jobs[i].cnt);
        emb_free(jobs[i].vals);
    }
    if (rc < 0) {
        emb_free(off);
        emb_free(vals);
        return rc;
    }
    *off_out = off;
    *vals_out = vals;
    return EMB_OK;
}

/* ---- fuzzy partners on first use ------------------------------------------------- */

typedef struct plist {
    uint32_t *v;
    size_t n;
    int rc;
} plist;

static void on_plist(void *payload, uint32_t tok, int edits)
{
    plist *l = payload;
    if (l->rc == EMB_OK && (l->rc = emb_grow(&l->v, l->n, sizeof(uint32_t), 1u << 20)) == EMB_OK)
        l->v[l->n++] = tok << 2 | (uint32_t)(edits & 3);
}

const uint32_t *emb_index_partners(const emb_index *ix, uint32_t tok, size_t *n,
                                   emb_arena *scratch, int *rc)
{
    *n = 0;
    if (ix->near_off) {   /* a snapshot: found at build */
        *n = ix->near_off[tok + 1] - ix->near_off[tok];
        return *n ? ix->near + ix->near_off[tok] : NULL;
    }
    if (ix->near_cache) {
        const uint32_t *c = atomic_load_explicit(&ix->near_cache[tok], memory_order_acquire);
        if (c) {
            *n = c[0];
            return *n ? c + 1 : NULL;
        }
    }
    const emb_vtok *v = &ix->toks[tok];
    plist l = {NULL, 0, EMB_OK};
    emb_index_fuzzy(ix, emb_tok_s(ix, v), v->len, scratch, on_plist, &l);
    if (l.rc < 0) {
        emb_free(l.v);
        *rc = l.rc;
        return NULL;
    }
    if (l.n > 1)
        qsort(l.v, l.n, sizeof(uint32_t), cmp_u32);
    const uint32_t *c = ix->near_cache ? tok_cache_store(ix->near_cache, ix->near_cache_bytes,
                                                         EMB_NEAR_CACHE_MAX, tok, l.v, l.n)
                                       : NULL;
    if (c) {
        emb_free(l.v);
        *n = c[0];
        return *n ? c + 1 : NULL;
    }
    /* over the cap (or out of memory for it): this query's scratch */
    uint32_t *s = l.n ? emb_arena_memdup(scratch, l.v, l.n * sizeof(uint32_t)) : NULL;
    emb_free(l.v);
    if (l.n && !s) {
        *rc = EMB_ENOMEM;
        return NULL;
    }
    *n = l.n;
    return s;
}
