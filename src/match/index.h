/*
 * index.h - the in-memory matching index of a list set.
 *
 * Every name of every entity becomes one or two "prepared names" (pnames):
 * its normalised, transliterated token sequence, and for names written in a
 * non-Latin script also the script-preserving form. Tokens are interned in a
 * vocabulary with document frequencies (their weight); postings map each
 * token, and each glued pair of adjacent tokens, to the pnames holding it;
 * a trigram table over the vocabulary finds tokens within the edit budget of
 * a misspelt query token. Built once at open, read-only afterwards.
 */
#ifndef EMB_INDEX_H
#define EMB_INDEX_H

#include "model/model.h"
#include "text/norm.h"
#include "text/tables.h"
#include "util/arena.h"

#define EMB_NAME_MAX_TOKENS 32    /* tokens per name used in matching */

typedef struct emb_vtok {
    const char *s;       /* NUL-terminated token */
    uint32_t len;
    uint32_t df;         /* pnames holding it */
    float w;             /* weight in the name score, 0.05..1 */
    uint8_t joined;      /* glued form of adjacent tokens, not a real part */
    uint8_t cls;         /* emb_word_class */
} emb_vtok;

typedef struct emb_pname {
    uint32_t entity;     /* index in the model */
    uint32_t name;       /* index in the entity's names */
    uint32_t tok_off;    /* into name_toks */
    uint16_t ntok;
    uint8_t kind;        /* emb_name_kind */
    uint8_t script;      /* 1: script-preserving form of a non-Latin name */
    uint8_t truncated;   /* the name had more than EMB_NAME_MAX_TOKENS tokens */
} emb_pname;

typedef struct emb_index {
    emb_arena arena;
    emb_vtok *toks;
    size_t ntoks;
    uint32_t *slots;     /* open-addressing hash: token id + 1, 0 empty */
    size_t nslots;
    emb_pname *pnames;
    size_t npnames;
    uint32_t *name_toks;
    size_t nname_toks;
    uint32_t *post_off;  /* CSR: postings of token t are post[post_off[t]..post_off[t+1]) */
    uint32_t *post;
    uint32_t *tri_keys;  /* sorted distinct trigram keys */
    uint32_t *tri_off;   /* CSR into tri_toks */
    uint32_t *tri_toks;
    size_t ntri;
    uint32_t *ent_pname_off;  /* CSR: pnames of entity e */
    uint32_t *ent_pnames;
    size_t nentities;
} emb_index;

/* Build from a loaded model. tr transliterates non-Latin names. */
int emb_index_build(emb_index *ix, const emb_model *m, const emb_tables *tab, emb_translit *tr);
void emb_index_dispose(emb_index *ix);

/* Token id of s[0..n), or -1. */
int64_t emb_index_lookup(const emb_index *ix, const char *s, size_t n);

/* Vocabulary tokens within the edit budget of s[0..n) (excluding an exact
 * hit): the budget is emb_edit_budget of the longer of the two, and parts
 * shorter than three characters never match fuzzily; three-letter parts match
 * only a swap of two adjacent letters. The scorer relies on
 * this being the whole set of fuzzy partners. Calls fn(payload, tok, edits). */
typedef void (*emb_fuzzy_fn)(void *payload, uint32_t tok, int edits);
void emb_index_fuzzy(const emb_index *ix, const char *s, size_t n, emb_arena *scratch,
                     emb_fuzzy_fn fn, void *payload);

/* Weight of a query token that is not in the vocabulary. */
#define EMB_UNKNOWN_TOKEN_WEIGHT 1.0f

/* Split a normalised name (single spaces) into tokens; returns count
 * (at most max). */
size_t emb_split_tokens(const char *s, const char **toks, size_t *lens, size_t max);

#endif
