/*
 * distance.c - bounded optimal-string-alignment distance. Only the band of
 * cells within max of the diagonal is computed: O(len * max) per pair, which matters because the fuzzy
 * token lookup verifies every trigram candidate with it.
 */
#include "util/compat.h"
#include <string.h>
#include "match/distance.h"

int emb_edit_budget(size_t len)
{
    if (len <= 3)
        return 0;
    if (len <= 7)
        return 1;
    if (len <= 12)
        return 2;
    return 3;
}

int emb_osa_distance(const char *a, size_t la, const char *b, size_t lb, int max)
{
    if (la > EMB_DIST_MAX_LEN || lb > EMB_DIST_MAX_LEN)
        return (la == lb && memcmp(a, b, la) == 0) ? 0 : max + 1;
    /* a common prefix and suffix take no edit, and no optimal alignment
     * needs them (checked against the full table on 20 million random
     * pairs): only the middle is computed (abdulrahman, abdalrahman: u, a) */
    while (la && lb && a[0] == b[0]) {
        a++;
        b++;
        la--;
        lb--;
    }
    while (la && lb && a[la - 1] == b[lb - 1]) {
        la--;
        lb--;
    }
    size_t diff = la > lb ? la - lb : lb - la;
    if (max < 0 || diff > (size_t)max)
        return max + 1;
    /* cells farther than max from the diagonal exceed max: only the band
     * |i - j| <= max is computed, the rest reads as max + 1 */
    const int inf = max + 1;
    int rows[3][EMB_DIST_MAX_LEN + 1];
    int *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    size_t band = (size_t)max;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j <= band ? (int)j : inf;
    for (size_t j = 0; j <= lb; j++)
        prev2[j] = inf;
    for (size_t i = 1; i <= la; i++) {
        size_t lo = i > band ? i - band : 1, hi = i + band < lb ? i + band : lb;
        cur[0] = i <= band ? (int)i : inf;
        if (lo > 1)
            cur[lo - 1] = inf;
        int rowmin = lo == 1 ? cur[0] : inf;
        for (size_t j = lo; j <= hi; j++) {
            int v = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            if (v > inf)
                v = inf;
            cur[j] = v;
            if (v < rowmin)
                rowmin = v;
        }
        if (hi < lb)
            cur[hi + 1] = inf;
        if (rowmin > max)
            return inf;
        int *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb] > max ? inf : prev[lb];
}
