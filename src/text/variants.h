/*
 * variants.h - spelling variants of name parts across romanisations.
 *
 * Three keys per token, computed by the same code for list tokens (at index
 * build) and query tokens (at screen time):
 *   class     an equivalence class from data/names/variant_classes.txt
 *             (ri/li/yi/lee, muhammad/mohammed/...), or none;
 *   form      the token after the ordered rewrites of data/names/rewrites.tsv
 *             (kh->h, ch->j, y->i, ...), doubled letters collapsed, a final h
 *             after a vowel dropped; in a part of up to six letters a final
 *             g/b/d after a vowel made k/p/t (sig/sik, Ahmed/Ahmet), and in
 *             one that reads as one Korean syllable (Kwang, not Gamal)
 *             initial g/b/d made k/p/t and initial l written r;
 *   skeleton  the form's consonants after its first letter (vowel-only
 *             differences: hussein/husayn), only for forms of 4+ letters
 *             with 3+ consonants; one Korean syllable keeps its vowel as a
 *             class (song/sung/seong, not sang).
 * Parts of two different classes are never spelling variants of each
 * other, whatever their forms or skeletons share (match/score.c).
 * Tables are compiled in, loaded once per list set, immutable afterwards.
 */
#ifndef EMB_VARIANTS_H
#define EMB_VARIANTS_H

#include "util/arena.h"

#define EMB_VARIANT_MAX 128   /* longest token given variant keys */

typedef struct emb_variants {
    emb_arena arena;
    const char **cls_tok;     /* sorted tokens of all classes */
    int32_t *cls_id;          /* parallel: class number */
    size_t ncls;
    const char **rw_from;     /* rewrites, in file order */
    const char **rw_to;
    size_t *rw_len;
    size_t nrw;
    uint16_t rw_off[27];      /* rewrites from letter c: rw_idx[rw_off[c - 'a'] ..
                               * rw_off[c - 'a' + 1]), in file order */
    uint16_t *rw_idx;
} emb_variants;

int emb_variants_load(emb_variants *v);
void emb_variants_dispose(emb_variants *v);

/* Class number of a token, or -1. */
int32_t emb_variant_class(const emb_variants *v, const char *t, size_t n);
/* Form and skeleton into out (capacity cap, NUL-terminated); return the
 * length, or 0 when the token gets no such key (digits, too long, too short). */
size_t emb_variant_form(const emb_variants *v, const char *t, size_t n, char *out, size_t cap);
size_t emb_variant_skeleton(const char *form, size_t n, char *out, size_t cap);

/* Abjad matching: a name part romanised from Arabic script writes its
 * consonants and long vowels (alif a, waw w, ya y; ta marbuta h) but no
 * short vowel, no ayin (BGN drops it) and no doubling (hmwd, mhmd, bydy,
 * hmzh); a Latin spelling writes every vowel (Hammud, Muhammad, Ubaidi,
 * Hamza).
 *   emb_abjad_key    the consonants of a lower-case ASCII part, without
 *                    vowels, w, y or v, doubling or a final h (sh, kh,
 *                    gh, th, dh as one letter each; q and c as k, g as j):
 *                    hmwd and hammud both hmd; one consonant with
 *                    something after it marked + (ly, ali: l+). 0 when
 *                    none, or one with nothing after it (al).
 *   emb_abjad_equal  whether the Arabic-derived part q reads as the Latin
 *                    part l with only what the script leaves out: l's
 *                    short vowels; q's a as l's vowel (a or e inside, any
 *                    at the start or before l: Abdulmalik, i or y last:
 *                    alif maksura, Haji), w as
 *                    w, v, u, o or oo, y as y, i, e or ee; a
 *                    final h of q as l's h or after l's final vowel. Equal
 *                    parts have equal keys; a part without a key equals
 *                    none. */
#define EMB_ABJAD_MAX 64
size_t emb_abjad_key(const char *s, size_t n, char *out, size_t cap);
int emb_abjad_equal(const char *q, size_t qn, const char *l, size_t ln);

/* The voiceless letter of a stop the romanisations write voiced or not
 * (Korean initials and finals: g/k, d/t, b/p); any other letter as is. */
static inline char emb_variant_devoice(char c)
{
    return c == 'g' ? 'k' : c == 'd' ? 't' : c == 'b' ? 'p' : c;
}

#endif
