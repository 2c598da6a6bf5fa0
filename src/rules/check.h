/*
 * check.h - the decision procedure of `embargo check` (check.c) and the
 * result it builds. The public view is include/embargo_check.h; this header
 * only names the internal limits, documented in docs/CHECK.md.
 */
#ifndef EMB_RULES_CHECK_H
#define EMB_RULES_CHECK_H

#include "util/compat.h"
#include "rules/measures.h"
#include "rules/check_input.h"

#define EMB_CHECK_MAX_FINDINGS 8192       /* findings in one result */
#define EMB_CHECK_MAX_CONDITIONS 48       /* conditions on one finding */
#define EMB_CHECK_ARENA_MAX (64u << 20)   /* memory of one result */
#define EMB_CHECK_JSON_MAX (64u << 20)    /* its JSON rendering */
#define EMB_CHECK_HITS 3                  /* screening hits kept per party */
#define EMB_CHECK_HIT_CUTOFF 0.70         /* ...at or above this score */

#endif
