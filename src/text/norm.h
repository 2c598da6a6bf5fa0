/*
 * norm.h - the one normaliser that list names (at load) and query names (at
 * screen time) both pass through, so a rule added here works on both sides.
 *
 *   UTF-8 -> NFKC case fold -> apostrophes deleted -> non-Latin scripts
 *   transliterated to Latin (ICU, one rule per script) -> Latin-ASCII ->
 *   punctuation to spaces -> squashed, lower-case tokens.
 *
 * Pure-ASCII input never touches ICU. A compiled transliterator is not
 * thread-safe: each thread uses its own (emb_translit_clone), and the list
 * set keeps a small pool (emb_translit_pool) for screening threads.
 */
#ifndef EMB_NORM_H
#define EMB_NORM_H

#include "util/buf.h"
#include <pthread.h>

#define EMB_NAME_MAX_BYTES 4096   /* longest name normalised; longer is EMB_ETOOBIG */

typedef struct emb_translit emb_translit;

/* Compile the per-script rule chain (120-200 ms). */
int emb_translit_new(emb_translit **out);
int emb_translit_clone(emb_translit **out, const emb_translit *src);
void emb_translit_free(emb_translit *t);   /* NULL-safe */

/* A mutex-protected stack of clones of one master transliterator. */
typedef struct emb_translit_pool {
    pthread_mutex_t lock;
    emb_translit *master;
    emb_translit **free;
    size_t nfree;
} emb_translit_pool;

int emb_translit_pool_init(emb_translit_pool *p);
void emb_translit_pool_dispose(emb_translit_pool *p);
int emb_translit_pool_get(emb_translit_pool *p, emb_translit **out);
void emb_translit_pool_put(emb_translit_pool *p, emb_translit *t);

/* Matching form of a name: lower-case ASCII letters and digits in tokens
 * separated by single spaces (text in scripts ICU cannot romanise stays as
 * case-folded UTF-8). Writes into `out` (cleared first). `tr` may be NULL,
 * then non-ASCII input is only case-folded and stripped of marks.
 * Returns EMB_EUNICODE for invalid UTF-8. */
int emb_norm_name(emb_buf *out, const char *s, size_t n, emb_translit *tr);

/* Script-preserving form: NFKC case fold, apostrophes and punctuation to
 * spaces, squashed; no transliteration. Used to match a name written in its
 * original script against the same script. Sets *non_latin when the result
 * holds letters outside ASCII. */
int emb_norm_script(emb_buf *out, const char *s, size_t n, int *non_latin);

/* The script a name is written in when it holds no ASCII letter, by its
 * first Hangul or Arabic-script letter (Arabic, Persian, Urdu, presentation
 * forms): the romanisation of such a name is the machine's, and known for
 * what it leaves out. */
enum { EMB_WRITTEN_OTHER = 0, EMB_WRITTEN_HANGUL = 1, EMB_WRITTEN_ARABIC = 2 };
int emb_norm_written_in(const char *s, size_t n);

/* True when s[0..n) is all ASCII. */
int emb_is_ascii(const char *s, size_t n);

#endif
