/*
 * test_norm.c - the normaliser against tests/data/norm/names.tsv (input and
 * expected matching form), plus script handling, caps and invalid UTF-8.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "embargo.h"
#include "text/norm.h"
#include "match/distance.h"

static void test_golden_file(void **state)
{
    (void)state;
    emb_translit *tr = NULL;
    assert_int_equal(emb_translit_new(&tr), EMB_OK);
    FILE *f = fopen("tests/data/norm/names.tsv", "r");
    assert_non_null(f);
    char line[1024];
    int n = 0, bad = 0;
    emb_buf b;
    emb_buf_init(&b, 65536);
    while (fgets(line, sizeof(line), f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        line[strcspn(line, "\n")] = '\0';
        char *tab = strchr(line, '\t');
        assert_non_null(tab);
        *tab = '\0';
        assert_int_equal(emb_norm_name(&b, line, strlen(line), tr), EMB_OK);
        if (strcmp(emb_buf_cstr(&b), tab + 1) != 0) {
            fprintf(stderr, "norm(\"%s\") = \"%s\", expected \"%s\"\n", line, emb_buf_cstr(&b),
                    tab + 1);
            bad++;
        }
        n++;
    }
    fclose(f);
    emb_buf_dispose(&b);
    emb_translit_free(tr);
    assert_true(n >= 15);
    assert_int_equal(bad, 0);
}

static void test_script_form(void **state)
{
    (void)state;
    emb_buf b;
    emb_buf_init(&b, 65536);
    int non_latin = -1;
    const char *ar = "دوست مُحَمَّد";   /* with harakat */
    assert_int_equal(emb_norm_script(&b, ar, strlen(ar), &non_latin), EMB_OK);
    assert_int_equal(non_latin, 1);
    assert_string_equal(emb_buf_cstr(&b), "دوست محمد");
    assert_int_equal(emb_norm_script(&b, "Kim", 3, &non_latin), EMB_OK);
    assert_int_equal(non_latin, 0);
    emb_buf_dispose(&b);
}

static void test_bad_input(void **state)
{
    (void)state;
    emb_buf b;
    emb_buf_init(&b, 65536);
    const char bad[] = "Ki\xc3\x28m";
    assert_int_equal(emb_norm_name(&b, bad, strlen(bad), NULL), EMB_EUNICODE);
    char big[EMB_NAME_MAX_BYTES + 2];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(emb_norm_name(&b, big, strlen(big), NULL), EMB_ETOOBIG);
    emb_buf_dispose(&b);
}

static void test_distance(void **state)
{
    (void)state;
    assert_int_equal(emb_osa_distance("kitten", 6, "sitting", 7, 5), 3);
    assert_int_equal(emb_osa_distance("abcd", 4, "abdc", 4, 2), 1);   /* transposition */
    assert_int_equal(emb_osa_distance("kim", 3, "kim", 3, 0), 0);
    assert_int_equal(emb_osa_distance("kitten", 6, "sitting", 7, 1), 2); /* capped at max+1 */
    assert_int_equal(emb_edit_budget(3), 0);
    assert_int_equal(emb_edit_budget(5), 1);
    assert_int_equal(emb_edit_budget(10), 2);
}

static void test_translit_pool(void **state)
{
    (void)state;
    emb_translit_pool p;
    assert_int_equal(emb_translit_pool_init(&p), EMB_OK);
    emb_translit *a = NULL, *b = NULL;
    assert_int_equal(emb_translit_pool_get(&p, &a), EMB_OK);
    assert_int_equal(emb_translit_pool_get(&p, &b), EMB_OK);
    assert_ptr_not_equal(a, b);
    emb_translit_pool_put(&p, a);
    emb_translit *c = NULL;
    assert_int_equal(emb_translit_pool_get(&p, &c), EMB_OK);
    assert_ptr_equal(a, c);   /* reused */
    emb_translit_pool_put(&p, b);
    emb_translit_pool_put(&p, c);
    emb_translit_pool_dispose(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_file), cmocka_unit_test(test_script_form),
        cmocka_unit_test(test_bad_input),   cmocka_unit_test(test_distance),
        cmocka_unit_test(test_translit_pool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
