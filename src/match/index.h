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

#include <stdatomic.h>
#include "model/model.h"
#include "text/norm.h"
#include "text/tables.h"
#include "text/variants.h"
#include <string.h>
#include "util/arena.h"

#define EMB_NAME_MAX_TOKENS 32    /* tokens per name used in matching */

/* Bump whenever what the index holds or how names are normalised changes:
 * snapshots written before are then refused (snap/snapshot.h). */
#define EMB_INDEX_REVISION 22

typedef struct emb_vtok {
    uint32_t soff;       /* NUL-terminated token at emb_index.tokstr + soff */
    uint32_t len;
    uint32_t df;         /* pnames holding it */
    float w;             /* weight in the name score, 0.05..1 */
    uint8_t joined;      /* glued form of adjacent tokens, not a real part */
    uint8_t cls;         /* emb_word_class */
    uint8_t glue;        /* most parts it was glued from in any name (0: never) */
    uint32_t vkey[3];    /* variant keys: class, form, skeleton (EMB_NO_KEY: none) */
} emb_vtok;

#define EMB_NO_KEY UINT32_MAX

/* A posting carries its pname's token count (at most EMB_POST_NTOK_MAX), so
 * that screening can bound a pair's score before reading the pname, and
 * whether the token is other than exactly one real part of that name (a
 * repeated part, or a glued form): two query parts that met the name only
 * through a token it holds once cannot both align with it. */
#define EMB_POST_NTOK_SHIFT 26
#define EMB_POST_PNAME ((1u << EMB_POST_NTOK_SHIFT) - 1)
#define EMB_POST_NTOK_MAX 31u
#define EMB_POST_MULTI (1u << 31)
#define EMB_POST_NTOK(pv) (((pv) >> EMB_POST_NTOK_SHIFT) & EMB_POST_NTOK_MAX)
enum { EMB_VK_CLASS = 0, EMB_VK_FORM = 1, EMB_VK_SKEL = 2 };

/* Interned strings (variant keys, identifiers): string i is NUL-terminated
 * at pool + off[i]. Offsets, not pointers, so that a snapshot maps as is. */
typedef struct emb_strtab {
    uint32_t *off;
    uint32_t *len;
    size_t n;
    char *pool;
    size_t npool, cpool;
    uint32_t *slots;
    size_t nslots;
} emb_strtab;

static inline const char *emb_strtab_s(const emb_strtab *t, size_t i)
{
    return t->pool + t->off[i];
}

/* Padded trigrams of vocabulary tokens, for the fuzzy lookup. */
typedef struct emb_trigrams {
    uint32_t *keys;      /* sorted distinct trigram keys */
    uint32_t *off;       /* CSR into toks */
    uint32_t *toks;      /* within a key: by token length, then id */
    uint8_t *lens;       /* length of toks[i] (255: 255 or more) */
    uint32_t *letters;   /* the letters toks[i] uses (tok_letters), in list order */
    size_t n;
} emb_trigrams;

typedef struct emb_pname {
    uint32_t entity;     /* index in the model */
    uint32_t name;       /* index in the entity's names */
    uint32_t tok_off;    /* into name_toks */
    uint16_t ntok;
    uint8_t kind;        /* emb_name_kind */
    uint8_t script;      /* 1: script-preserving form of a non-Latin name */
    uint8_t truncated;   /* the name had more than EMB_NAME_MAX_TOKENS tokens */
    float wmin;          /* lightest weight of its tokens */
    uint8_t ninit;       /* one-letter tokens (initials) in a person's name */
} emb_pname;

/* What corroboration can find in an entity, in brief: screening bounds the
 * score of an entity it has not looked at yet with it. */
typedef struct emb_entfacts {
    int16_t ymin, ymax;  /* birth years any birth date can agree with (0: none) */
    uint32_t pad;
    uint64_t cc;         /* bit emb_cc_bit(cc) set for every country it states */
} emb_entfacts;

static inline unsigned emb_cc_bit(const char *cc)
{
    return ((unsigned char)cc[0] * 31u + (cc[0] ? (unsigned char)cc[1] : 0u)) & 63u;
}

/* A number: a part with a digit, or a Roman numeral from II to XX (III,
 * VIII; not the one-letter I, V, X, which are initials, nor LI, XI, VI,
 * which are names too). Numbers agree only exactly: no spelling variants,
 * no fuzzy match, never an initial. */
static inline int emb_is_numeral(const char *s, size_t n)
{
    static const char *const roman[] = {"ii", "iii", "iv", "vii", "viii", "ix", "xii",
                                        "xiii", "xiv", "xv", "xvi", "xvii", "xviii",
                                        "xix", "xx"};
    for (size_t i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return 1;
    if (n < 2 || n > 5)
        return 0;
    for (size_t k = 0; k < sizeof(roman) / sizeof(roman[0]); k++)
        if (strlen(roman[k]) == n && memcmp(roman[k], s, n) == 0)
            return 1;
    return 0;
}

/* Bits set in x (no popcnt instruction is assumed on x86-64). */
static inline int emb_pop32(uint32_t x)
{
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    return (int)((((x + (x >> 4)) & 0x0F0F0F0Fu) * 0x01010101u) >> 24);
}

/* A one-letter part that may be an initial (a letter, not a digit). */
static inline int emb_is_initial(const char *s, size_t n)
{
    return n == 1 && s[0] >= 'a' && s[0] <= 'z';
}

/* The set of byte values a string uses, folded to 32 bits: an edit changes
 * at most two of them. */
static inline uint32_t emb_letters32(const char *s, size_t n)
{
    uint32_t m = 0;
    for (size_t i = 0; i < n; i++)
        m |= 1u << ((unsigned char)s[i] & 31);
    return m;
}

typedef struct emb_index {
    emb_arena arena;
    int mapped;          /* arrays live in a snapshot mapping: nothing to free */
    emb_vtok *toks;
    size_t ntoks;
    char *tokstr;        /* token strings, NUL-terminated (emb_tok_s) */
    size_t ntokstr, ctokstr;
    uint32_t *slots;     /* open-addressing hash: token id + 1, 0 empty */
    size_t nslots;
    emb_pname *pnames;
    size_t npnames;
    uint8_t *pname_init; /* bit p set: pname p has initials (pnames[p].ninit), for
                          * screening without reading the pname */
    uint32_t *name_toks;
    size_t nname_toks;
    uint32_t *post_off;  /* CSR: postings of token t are post[post_off[t]..post_off[t+1]) */
    uint32_t *post;      /* pname (EMB_POST_PNAME) | its token count << EMB_POST_NTOK_SHIFT
                          * | EMB_POST_MULTI */
    uint32_t *post_init_off; /* CSR: the postings of token t whose name has initials */
    uint32_t *post_init;     /* (pname_init), for screening's weak parts */
    emb_trigrams tri;    /* real parts (glued forms are found exactly or split) */
    uint32_t *tok_letters; /* per token: the letters it uses, folded to 32 bits
                            * (emb_letters32), for the fuzzy lookup's filter */
    uint32_t *near_off;  /* from a snapshot: fuzzy partners of token t are      */
    uint32_t *near;      /* near[near_off[t]..near_off[t+1]), tok << 2 | edits, by tok;
                          * NULL: found on first use (emb_index_partners) */
    _Atomic(uint32_t *) *near_cache; /* in memory: per token, {count, partners...}, set
                                      * once by the first query that needs it */
    _Atomic size_t *near_cache_bytes; /* capped at EMB_NEAR_CACHE_MAX */
    _Atomic(uint32_t *) *split_cache; /* built or mapped: per token, {count, tokens...}
                                       * a query part spelt as it may also be (glued
                                       * forms, see screen.c), set once by the first
                                       * query that needs it; owned by the index */
    _Atomic size_t *split_cache_bytes; /* capped at EMB_SPLIT_CACHE_MAX */
    emb_strtab keys;     /* variant keys ("c:12", "f:mohamed", "s:mhmd") */
    emb_strtab idents;   /* identifier normal forms ("9074729", "PD123456") */
    uint32_t *ident_off; /* CSR: entities holding identifier i */
    uint32_t *ident_ents;
    uint32_t *key_off;   /* CSR: vocabulary tokens having key k */
    uint32_t *key_toks;
    uint32_t *acr_off;   /* CSR over nacr hash buckets: the organisation names by */
    uint32_t *acr_pn;    /* the acronyms their initials spell (emb_acronym_forms), */
    size_t nacr;         /* pname ids, for a query that is an acronym */
    uint32_t *fdel_off;  /* CSR over nfdel hash buckets: the romanisation form keys */
    uint32_t *fdel_keys; /* ("f:<form>") by the hash of the form and of each form with */
    size_t nfdel;        /* one letter after the first dropped (emb_index_forms_near) */
    const emb_variants *var;
    uint32_t *ent_pname_off;  /* CSR: pnames of entity e */
    uint32_t *ent_pnames;
    uint8_t *ent_schema;      /* emb_schema of entity e (filters without the entity) */
    emb_entfacts *ent_facts;  /* corroboration summary of entity e */
    size_t nentities;
} emb_index;

static inline const char *emb_tok_s(const emb_index *ix, const emb_vtok *v)
{
    return ix->tokstr + v->soff;
}

/* Build from a loaded model. tr transliterates non-Latin names; var (kept by
 * reference, must outlive the index) gives the variant keys. */
int emb_index_build(emb_index *ix, const emb_model *m, const emb_tables *tab,
                    const emb_variants *var, emb_translit *tr);

/* Entities holding the identifier with normal form s (emb_ident_norm); sets
 * *n and returns the entity indexes, or NULL. */
const uint32_t *emb_index_ident(const emb_index *ix, const char *norm, size_t *n);

/* The three variant key ids of a token (EMB_NO_KEY where it has none or the
 * key is unknown to the index); returns whether it is in a variant class,
 * known to the index or not. */
int emb_index_variant_keys(const emb_index *ix, const char *s, size_t n, uint32_t out[3]);
/* The abjad key of s[0..n) ("a:<key>", text/variants.h), EMB_NO_KEY when
 * it has none or no listed token shares it; its tokens: key_off/key_toks. */
uint32_t emb_index_abjad_key(const emb_index *ix, const char *s, size_t n);
/* Whether variant key `key` (EMB_NO_KEY: none) maps to token tok. */
int emb_index_key_holds(const emb_index *ix, uint32_t key, uint32_t tok);
/* Only the romanisation-form key of s[0..n) (EMB_NO_KEY: none, or not in
 * the index), as emb_index_variant_keys finds it. */
uint32_t emb_index_form_key(const emb_index *ix, const char *s, size_t n);
/* The key of tokens whose romanisation form is form[0..n) itself (no
 * rewriting: form is one already), or EMB_NO_KEY. */
uint32_t emb_index_form_key_exact(const emb_index *ix, const char *form, size_t n);
void emb_index_dispose(emb_index *ix);

#define EMB_NEAR_CACHE_MAX ((size_t)256 << 20)
#define EMB_SPLIT_CACHE_MAX ((size_t)64 << 20)

/* The split cache (index.h: split_cache): made empty by index build and
 * snapshot open; a token's list as {count, tokens...}, or NULL when not
 * cached yet; put keeps the first list stored for a token (thread-safe),
 * and nothing beyond EMB_SPLIT_CACHE_MAX bytes. */
int emb_index_split_cache_init(emb_index *ix);
const uint32_t *emb_index_split_cached(const emb_index *ix, uint32_t tok);
void emb_index_split_cache_put(const emb_index *ix, uint32_t tok, const uint32_t *toks, size_t n);

/* The fuzzy partners of vocabulary token tok (as emb_index_fuzzy finds
 * them), packed tok << 2 | edits, sorted by tok; *n their count. From a
 * snapshot, or from a per-index cache filled on first use (thread-safe;
 * EMB_NEAR_CACHE_MAX bytes at most, then computed into scratch each time).
 * NULL with *n = 0 when there are none; NULL with rc set when out of memory. */
const uint32_t *emb_index_partners(const emb_index *ix, uint32_t tok, size_t *n,
                                   emb_arena *scratch, int *rc);

/* Every token's fuzzy partners (as emb_index_fuzzy finds them), for a
 * snapshot: *off gets ntoks + 1 offsets into *vals (tok << 2 | edits, sorted
 * by tok); glued forms get none. Heap arrays the caller frees; `threads`
 * threads share the work. */
int emb_index_near_lists(const emb_index *ix, unsigned threads, uint32_t **off, uint32_t **vals);

/* Token id of s[0..n), or -1. */
int64_t emb_index_lookup(const emb_index *ix, const char *s, size_t n);

/* Vocabulary tokens within the edit budget of s[0..n) (excluding an exact
 * hit; real parts only, not glued forms): the budget is emb_edit_budget of the longer of the two, and parts
 * shorter than three characters never match fuzzily; three-letter parts match
 * only a swap of two adjacent letters. The scorer relies on
 * this being the whole set of fuzzy partners. Calls fn(payload, tok, edits). */
typedef void (*emb_fuzzy_fn)(void *payload, uint32_t tok, int edits);
void emb_index_fuzzy(const emb_index *ix, const char *s, size_t n, emb_arena *scratch,
                     emb_fuzzy_fn fn, void *payload);
/* The same with a given edit budget for every partner (two letters and up):
 * half of a glued query part may take the whole part's budget. */
void emb_index_fuzzy_within(const emb_index *ix, const char *s, size_t n, int budget,
                            emb_arena *scratch, emb_fuzzy_fn fn, void *payload);
/* As emb_index_fuzzy, among the tokens that start with s[0] only (a glued
 * run aligns as spelled only with a part starting like it): each such
 * token of a length within the budget is read once, from the trigram keys
 * ^ s[0] *, and no count is kept. (The whole budget, though the run's
 * spelled similarity then falls below the scorer's EMB_GLUE_MIN_SIM: its
 * romanisation forms may still align, and their edits are not indexed.) */
/* Acronyms a name's initials spell: the first letters of its parts less
 * legal forms (Lord's Resistance Army: lra), and less function words too
 * (Islamic Movement of Uzbekistan: imu), EMB_ACR_MIN..EMB_ACR_MAX letters
 * a-z. first[i] is part i's first letter, cls[i] its emb_word_class.
 * Writes up to two distinct forms (NUL-terminated) and returns their
 * count. A part starting with another character spells none. */
#define EMB_ACR_MIN 3
#define EMB_ACR_MAX 10
size_t emb_acronym_forms(const char *first, const uint8_t *cls, size_t n,
                         char out[2][EMB_ACR_MAX + 1]);

/* The acronyms listed name pn's initials spell (emb_acronym_forms), into
 * out; returns their count. */
size_t emb_pname_acronyms(const emb_index *ix, const emb_pname *pn, char out[2][EMB_ACR_MAX + 1]);

/* Whether a listed name may be spelt by its initials: a name of an
 * organisation (not a person, vessel or aircraft), other than a weak alias,
 * an original-script name or a vessel named in remarks. */
int emb_acronym_name(const emb_index *ix, const emb_pname *pn);

/* The bucket of acronym a[0..n) in ix->acr_off (nacr buckets). */
size_t emb_acronym_bucket(const char *a, size_t n, size_t nacr);

/* Form keys ("f:<form>", in ix->keys) whose form is f[0..fl) or within one
 * edit of it (a letter replaced, dropped, added, or two adjacent swapped)
 * and starts with the same letter, found through the index of forms by
 * their one-letter deletions. Up to max key ids into out; returns their
 * count. */
size_t emb_index_forms_near(const emb_index *ix, const char *f, size_t fl, uint32_t *out,
                            size_t max);

void emb_index_fuzzy_same_start(const emb_index *ix, const char *s, size_t n, emb_fuzzy_fn fn,
                                void *payload);

/* Weight of a query token that is not in the vocabulary. */
#define EMB_UNKNOWN_TOKEN_WEIGHT 1.0f

/* Split a normalised name (single spaces) into tokens; returns count
 * (at most max). */
size_t emb_split_tokens(const char *s, const char **toks, size_t *lens, size_t max);

#endif
