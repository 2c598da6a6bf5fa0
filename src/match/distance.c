/*
 * distance.c - bounded optimal-string-alignment distance, bit-parallel: one
 * pass of a few word operations per letter of one string (strings are at
 * most 64 letters), which matters because the fuzzy token lookup verifies
 * every candidate with it.
 */
#include "util/compat.h"
#include <stdint.h>
#include <string.h>
#include "match/distance.h"

size_t emb_letters(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;   /* not a continuation byte */
    return k;
}

int emb_edit_budget_pair(const char *a, size_t la, const char *b, size_t lb)
{
    size_t x = emb_letters(a, la), y = emb_letters(b, lb);
    return emb_edit_budget(x > y ? x : y);
}

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

/* The pattern's letter masks, all zero between calls (each call clears
 * what it set): one table per thread. */
static _Thread_local uint64_t osa_peq[256];

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
    if (la == 0 || lb == 0)
        return (int)diff;   /* within max: checked above */
    /* bit-parallel (Hyyro 2003, with the transposition term): bit i of the
     * vertical deltas VP/VN is row i+1 of the column for the text read so
     * far; a's letters are the rows (la <= EMB_DIST_MAX_LEN = 64 bits) */
    uint64_t *peq = osa_peq;
    for (size_t i = 0; i < la; i++)
        peq[(unsigned char)a[i]] |= (uint64_t)1 << i;
    uint64_t vp = ~(uint64_t)0, vn = 0, d0 = 0, pm_prev = 0;
    uint64_t last = (uint64_t)1 << (la - 1);
    int score = (int)la;
    for (size_t j = 0; j < lb; j++) {
        uint64_t pm = peq[(unsigned char)b[j]];
        uint64_t tr = (((~d0) & pm) << 1) & pm_prev;
        d0 = (((pm & vp) + vp) ^ vp) | pm | vn | tr;
        uint64_t hp = vn | ~(d0 | vp), hn = d0 & vp;
        if (hp & last)
            score++;
        else if (hn & last)
            score--;
        /* the last row can fall by at most one per remaining column */
        if (score - (int)(lb - 1 - j) > max)
            break;
        uint64_t x = (hp << 1) | 1;
        vn = x & d0;
        vp = (hn << 1) | ~(x | d0);
        pm_prev = pm;
    }
    for (size_t i = 0; i < la; i++)
        peq[(unsigned char)a[i]] = 0;
    return score > max ? max + 1 : score;
}
