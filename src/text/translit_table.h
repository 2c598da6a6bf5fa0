/*
 * translit_table.h - table-driven romanisation of Cyrillic and Arabic-script
 * names, without ICU transliterators (whose registry costs ~25 ms per
 * process). Tables: data/translit/<scheme>.tsv, compiled in as translit_data.h.
 */
#ifndef EMB_TRANSLIT_TABLE_H
#define EMB_TRANSLIT_TABLE_H

#include <stdint.h>
#include <unicode/utypes.h>

/* Romanisation schemes: each maps one script's letters to Latin, lower case ASCII. */
typedef enum emb_scheme {
    EMB_SCHEME_CYRL_BGN = 0,   /* Russian BGN/PCGN (the list default; ICU Russian-Latin/BGN equivalent) */
    EMB_SCHEME_CYRL_ICAO,      /* ICAO Doc 9303 (passports) */
    EMB_SCHEME_CYRL_GOST,      /* GOST 7.79 B or the closest iuliia scheme */
    EMB_SCHEME_ARAB_BGN,       /* Arabic/Persian/Pashto/Urdu letters, BGN-style consonant skeleton */
    EMB_SCHEME_COUNT
} emb_scheme;

/* Transliterate UTF-16 text in place-style: reads in[0..n), writes out (cap units), returns the
 * output length or -1 when cap is too small. Characters the scheme does not cover are copied
 * unchanged (Latin, digits, spaces, other scripts). Pure function of immutable tables: thread-safe.
 *
 * Details: n < 0 means in is NUL-terminated. in and out must not overlap; the output can be
 * four times longer than the input (щ -> shch) and cap = 4 * n always suffices (the generator
 * enforces it). The output is NUL-terminated when it is shorter than cap, as ICU does. Upper- and lower-case letters give the same lower-case output.
 * Combining marks, ZWNJ/ZWJ and tatweel are transparent to context rules; marks are copied
 * (Cyrillic) or dropped (Arabic harakat). An unknown scheme returns -1. */
int32_t emb_translit_table(emb_scheme s, const UChar *in, int32_t n, UChar *out, int32_t cap);

/* Which schemes apply to a text: bit (1u << EMB_SCHEME_...) for the first scheme of each script
 * present (CYRL_BGN for Cyrillic, ARAB_BGN for Arabic-script letters). n < 0: NUL-terminated. */
unsigned emb_translit_table_scripts(const UChar *in, int32_t n);

#endif
