/*
 * test_model.c - the entity store's helpers: trimmed strings and identifier
 * normal forms in the arena (full length: no identifier is truncated).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "model/model.h"

static void test_ident(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    int rc = EMB_OK;
    assert_string_equal(emb_model_ident(&m, " pd-472 310/104 ", &rc), "PD472310104");
    assert_null(emb_model_ident(&m, " -/- ", &rc));
    assert_int_equal(rc, EMB_OK);
    char big[601];
    for (int i = 0; i < 600; i++)
        big[i] = (char)('a' + i % 26);
    big[600] = '\0';
    const char *n = emb_model_ident(&m, big, &rc);
    assert_non_null(n);
    assert_int_equal(strlen(n), 600);   /* a 256-byte scratch buffer once cut this */
    assert_int_equal(n[599], 'A' + 599 % 26);
    emb_model_dispose(&m);
}

static void test_str(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    const char *in = "  KIM \n  JONG\t UN ";
    const char *s = emb_model_str(&m, in, strlen(in), NULL);
    assert_string_equal(s, "KIM JONG UN");
    assert_null(emb_model_str(&m, " \n ", 3, NULL));
    emb_model_dispose(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_ident), cmocka_unit_test(test_str)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
