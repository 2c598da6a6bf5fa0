/*
 * distance.h - string distances used by the scorer and the fuzzy token
 * lookup. Byte-level on normalised tokens (ASCII after transliteration).
 */
#ifndef EMB_DISTANCE_H
#define EMB_DISTANCE_H

#include "util/compat.h"

#define EMB_DIST_MAX_LEN 64   /* longer strings are compared only for equality */

/* Optimal string alignment distance (Levenshtein plus adjacent
 * transposition). Returns max+1 as soon as the distance must exceed max. */
int emb_osa_distance(const char *a, size_t la, const char *b, size_t lb, int max);

/* Edit budget for a token of this length: one edit in short tokens, two in
 * long ones (0 for 1-3 characters, 1 for 4-7, 2 for 8-12, 3 beyond). */
int emb_edit_budget(size_t len);

/* Letters (code points) of UTF-8 s[0..n). */
size_t emb_letters(const char *s, size_t n);

/* The edit budget of a pair of tokens, counted in letters: a token in
 * another script (Arabic, Cyrillic: two bytes a letter) has the budget of
 * its letters, not of its bytes (a five-letter Arabic name allows one
 * edit, not two). */
int emb_edit_budget_pair(const char *a, size_t la, const char *b, size_t lb);

#endif
