/*
 * test_abjad.c - abjad matching (text/variants.h): a part romanised from
 * Arabic script (consonants and long vowels, no short vowel, no ayin)
 * against Latin spellings; equal parts share a key, different names with
 * the same consonants do not read as each other.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "text/variants.h"

static int eq(const char *q, const char *l)
{
    return emb_abjad_equal(q, strlen(q), l, strlen(l));
}

static const char *key(const char *s, char *buf, size_t cap)
{
    return emb_abjad_key(s, strlen(s), buf, cap) ? buf : "";
}

/* Each pair reads as the other, and has the same key. */
static void test_equal_pairs(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        {"hmwd", "hammud"},   {"mhmd", "muhammad"}, {"hmzh", "hamza"},    {"zbydy", "zubaidi"},
        {"bydy", "ubaidi"},   {"hsyn", "hussein"},  {"hsyn", "husayn"},   {"yasyn", "yassin"},
        {"jzrawy", "jizrawi"}, {"rmdan", "ramadan"}, {"bd", "abd"},       {"abw", "abu"},
        {"aly", "ali"},       {"khmys", "khamis"},  {"abrahym", "ibrahim"}, {"jmal", "djamel"},
        {"haja", "haji"},     {"bdalmlk", "abdulmalik"}, {"syd", "saeed"}, {"nwr", "noor"},
        {"kashh", "akkacha"}, {"hwthy", "houthi"}, {"ly", "ali"}, {"ysa", "issa"},
    };
    char a[80], b[80];
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        if (!eq(pairs[i][0], pairs[i][1]))
            fail_msg("%s should read as %s", pairs[i][0], pairs[i][1]);
        assert_string_equal(key(pairs[i][0], a, sizeof(a)), key(pairs[i][1], b, sizeof(b)));
        assert_true(a[0] != '\0');
    }
}

/* Different names that share consonants, and parts with no key. */
static void test_different(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        {"hsyn", "hassan"},  /* the long i of Husayn */
        {"hmwd", "ahmed"},   /* alif and waw */
        {"mhmd", "mahmood"}, /* the long oo of Mahmud */
        {"aywb", "abu"},
        {"ly", "al"},        /* Ali is not the article */
        {"al", "al"},        /* the article alone: no key, read as spelled */
        {"mhmd", "mohamad1"},
    };
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
        if (eq(pairs[i][0], pairs[i][1]))
            fail_msg("%s should not read as %s", pairs[i][0], pairs[i][1]);
    char k[8];
    assert_int_equal(emb_abjad_key("al", 2, k, sizeof(k)), 0);
    assert_int_equal(emb_abjad_key("", 0, k, sizeof(k)), 0);
    /* a key that does not fit is none */
    assert_int_equal(emb_abjad_key("bcdfgjklmnp", 11, k, 4), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equal_pairs),
        cmocka_unit_test(test_different),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
