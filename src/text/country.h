/*
 * country.h - country names and codes to ISO 3166-1 alpha-2.
 *
 * The table is data (data/countries.tsv, compiled in): ISO codes, English
 * short and formal names, and the variants lists and users write
 * ("Democratic People's Republic of Korea", "North Korea", "DPRK"). Lookup is
 * case-, accent- and punctuation-insensitive. The table is built once on
 * first use (pthread_once) and read-only afterwards.
 */
#ifndef EMB_COUNTRY_H
#define EMB_COUNTRY_H

#include "util/compat.h"

/* ISO alpha-2 code in lower case ("kp") for a name, an alpha-2 or alpha-3
 * code in any case, or NULL when unknown. Static storage. */
const char *emb_country_code(const char *name_or_code);
/* English short name for an alpha-2 code ("kp" -> "North Korea"), or NULL. */
const char *emb_country_name(const char *cc);

#endif
