/*
 * test_distance.c - the bit-parallel optimal-string-alignment distance against a
 * plain full-table implementation, on random strings over a small alphabet
 * (so that near strings are common), and the edit budget.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "match/distance.h"

static int naive_osa(const char *a, size_t la, const char *b, size_t lb)
{
    int d[EMB_DIST_MAX_LEN + 1][EMB_DIST_MAX_LEN + 1];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

/* emb_osa_distance(a, b, max) for every max up to most: the full table's
 * distance, or max + 1 beyond it. */
static void check_against_full(const char *a, size_t la, const char *b, size_t lb, int most)
{
    int full = naive_osa(a, la, b, lb);
    for (int max = 0; max <= most; max++) {
        int got = emb_osa_distance(a, la, b, lb, max);
        int want = full <= max ? full : max + 1;
        if (got != want)
            fail_msg("osa(\"%.*s\", \"%.*s\", max %d) = %d, want %d", (int)la, a, (int)lb, b, max,
                     got, want);
    }
}

static void test_short_equals_full(void **state)
{
    (void)state;
    srand(20261129);
    char a[24], b[24];
    for (int round = 0; round < 50000; round++) {
        size_t la = (size_t)(rand() % 14), lb = (size_t)(rand() % 14);
        for (size_t i = 0; i < la; i++)
            a[i] = "abc"[rand() % 3];
        /* b: often an edit or two away from a */
        if (rand() % 2 && la) {
            memcpy(b, a, la);
            lb = la;
            int edits = rand() % 4;
            for (int e = 0; e < edits && lb > 0 && lb < 20; e++) {
                size_t p = (size_t)rand() % lb;
                switch (rand() % 4) {
                case 0: b[p] = "abc"[rand() % 3]; break;
                case 1: memmove(b + p, b + p + 1, lb - p - 1); lb--; break;
                case 2: memmove(b + p + 1, b + p, lb - p); b[p] = 'a'; lb++; break;
                default:
                    if (p + 1 < lb) {
                        char t = b[p];
                        b[p] = b[p + 1];
                        b[p + 1] = t;
                    }
                }
            }
        } else {
            for (size_t i = 0; i < lb; i++)
                b[i] = "abc"[rand() % 3];
        }
        check_against_full(a, la, b, lb, 3);
    }
}

/* Up to EMB_DIST_MAX_LEN letters, where the bit-parallel distance uses its
 * last bit, over a larger alphabet, with wider limits. */
static void test_long_strings(void **state)
{
    (void)state;
    srand(20261130);
    char a[EMB_DIST_MAX_LEN + 8], b[EMB_DIST_MAX_LEN + 8];
    for (int round = 0; round < 20000; round++) {
        size_t la = (size_t)(rand() % (EMB_DIST_MAX_LEN + 1));
        size_t lb = la;
        for (size_t i = 0; i < la; i++)
            a[i] = (char)("abcdefgh\xc3"[rand() % 9]);
        memcpy(b, a, la);
        int edits = rand() % 7;
        for (int e = 0; e < edits; e++) {
            size_t p = lb ? (size_t)rand() % lb : 0;
            int op = rand() % 4;
            if (op == 1 && lb > 0) {
                memmove(b + p, b + p + 1, lb - p - 1);
                lb--;
            } else if (op == 2 && lb < EMB_DIST_MAX_LEN) {
                memmove(b + p + 1, b + p, lb - p);
                b[p] = 'x';
                lb++;
            } else if (op == 3 && p + 1 < lb) {
                char t = b[p];
                b[p] = b[p + 1];
                b[p + 1] = t;
            } else if (lb) {
                b[p] = "abcdefgh"[rand() % 8];
            }
        }
        check_against_full(a, la, b, lb, 6);
    }
}

static void test_budget(void **state)
{
    (void)state;
    assert_int_equal(emb_edit_budget(3), 0);
    assert_int_equal(emb_edit_budget(4), 1);
    assert_int_equal(emb_edit_budget(7), 1);
    assert_int_equal(emb_edit_budget(8), 2);
    assert_int_equal(emb_edit_budget(12), 2);
    assert_int_equal(emb_edit_budget(13), 3);
    /* longer than EMB_DIST_MAX_LEN: equality only */
    char x[EMB_DIST_MAX_LEN + 2];
    memset(x, 'a', sizeof(x));
    assert_int_equal(emb_osa_distance(x, sizeof(x), x, sizeof(x), 2), 0);
    char y[EMB_DIST_MAX_LEN + 2];
    memcpy(y, x, sizeof(y));
    y[3] = 'b';
    assert_int_equal(emb_osa_distance(x, sizeof(x), y, sizeof(y), 2), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_equals_full),
        cmocka_unit_test(test_long_strings),
        cmocka_unit_test(test_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
