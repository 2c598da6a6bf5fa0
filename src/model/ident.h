/*
 * ident.h - identifier helpers shared by the loaders and the screener: IMO
 * ship numbers (7 digits, check digit: the first six weighted 7..2, sum
 * mod 10) and the normal form used to compare identifiers (upper-case ASCII
 * letters and digits).
 */
#ifndef EMB_IDENT_H
#define EMB_IDENT_H

#include "util/compat.h"

/* 1 when d[0..7) are digits whose last is the IMO check digit of the others. */
int emb_imo_valid(const char *d);

/* Find an IMO number in text ("IMO 9074729", "IMO: 9074729",
 * "IMO9074729", or a bare "9074729"): copies the 7 digits into out[8] and
 * returns 1, or returns 0. It does not check the digit: see emb_imo_valid. */
int emb_imo_extract(const char *text, char out[8]);

/* Normal form of an identifier into out (cap bytes incl. NUL): upper-case
 * ASCII letters and digits only. Returns its length. */
size_t emb_ident_norm(const char *s, char *out, size_t cap);

#endif
