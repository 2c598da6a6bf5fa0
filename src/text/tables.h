/*
 * tables.h - word tables the matcher consults, loaded from data files that
 * are compiled into the library (data/names/titles.txt and
 * data/names/generic_tokens.txt; provenance in data/names/PROVENANCE.md):
 * honorifics stripped from the front of person names, and low-weight
 * organisation words (legal forms, generic business words, stop words).
 * Immutable once loaded; owned by the list set.
 */
#ifndef EMB_TABLES_H
#define EMB_TABLES_H

#include "util/arena.h"

typedef enum emb_word_class {
    EMB_WORD_NONE = 0,
    EMB_WORD_LEGAL = 1,     /* legal form: co, ltd, llc, ooo, gmbh */
    EMB_WORD_GENERIC = 2,   /* trading, international, group */
    EMB_WORD_STOP = 3       /* of, the, and */
} emb_word_class;

typedef struct emb_tables {
    emb_arena arena;
    const char **titles;     /* sorted; each a normalised phrase "prof dr" */
    size_t ntitles;
    const char **words;      /* sorted */
    unsigned char *classes;  /* parallel to words */
    size_t nwords;
} emb_tables;

int emb_tables_load(emb_tables *t);
void emb_tables_dispose(emb_tables *t);
emb_word_class emb_tables_word_class(const emb_tables *t, const char *w, size_t n);
/* Whether one token is a one-word title ("colonel", "haji"). */
int emb_tables_is_title(const emb_tables *t, const char *w, size_t n);
/* Number of leading tokens of toks[0..n) that form titles (applied
 * repeatedly: "haji mullah x" -> 2). Never strips every token. */
size_t emb_tables_title_prefix(const emb_tables *t, const char *const *toks, const size_t *lens,
                               size_t n);

#endif
