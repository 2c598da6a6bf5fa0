/*
 * distance.c - bounded optimal-string-alignment distance. The band cut-off
 * keeps the cost at O(len * max) per pair, which matters because the fuzzy
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
    size_t diff = la > lb ? la - lb : lb - la;
    if (diff > (size_t)max)
        return max + 1;
    int prev2[EMB_DIST_MAX_LEN + 1], prev[EMB_DIST_MAX_LEN + 1], cur[EMB_DIST_MAX_LEN + 1];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        int rowmin = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (prev[j - 1] + cost < v)
                v = prev[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
            if (v < rowmin)
                rowmin = v;
        }
        if (rowmin > max)
            return max + 1;
        memcpy(prev2, prev, (lb + 1) * sizeof(int));
        memcpy(prev, cur, (lb + 1) * sizeof(int));
    }
    return prev[lb] > max ? max + 1 : prev[lb];
}
