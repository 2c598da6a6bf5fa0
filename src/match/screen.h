/*
 * screen.h - the screening call behind emb_screen, with the brute-force mode
 * the scale benchmark measures the index against: every entity of the set
 * is scored, with no candidate retrieval and no pruning. Output and
 * ownership as emb_screen (include/embargo.h).
 */
#ifndef EMB_SCREEN_H
#define EMB_SCREEN_H

#include "embargo.h"

/* Entities scored in full per query at most (a latency guard: the bounds
 * decide, this caps the rare query whose bounds cannot). */
#define EMB_MAX_CANDIDATES 1024

int emb_screen_mode(emb_results **out, const emb_lists *ls, const emb_query *q,
                    const emb_screen_opts *opts, int brute);

#endif
