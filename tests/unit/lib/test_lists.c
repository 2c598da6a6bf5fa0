/*
 * test_lists.c - the list-set API: opening real and broken sources, lookup
 * by reference and id, entity model fields through the public header, and
 * many threads screening one shared set (run under ASan/UBSan in CI).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "embargo.h"

static emb_lists *open_bundled(void)
{
    emb_lists *ls = NULL;
    emb_source s = emb_bundled_un_list();
    assert_int_equal(emb_lists_open(&ls, &s, 1), EMB_OK);
    return ls;
}

static void test_bundled_counts(void **state)
{
    (void)state;
    emb_lists *ls = open_bundled();
    assert_int_equal(emb_lists_count(ls), 1);
    const emb_list_info *li = emb_lists_list(ls, 0);
    assert_string_equal(li->id, "un");
    assert_string_equal(li->format, "un-xml");
    assert_string_equal(li->date, "2026-05-08T23:00:06.922Z");
    assert_int_equal(li->nentities, 1009);
    assert_int_equal(li->nby_schema[EMB_SCHEMA_PERSON], 737);
    assert_int_equal(li->nby_schema[EMB_SCHEMA_ORGANIZATION], 272);
    assert_int_equal(emb_lists_entity_count(ls), 1009);
    emb_lists_free(ls);
}

static void test_find_and_fields(void **state)
{
    (void)state;
    emb_lists *ls = open_bundled();
    const emb_entity *e = emb_lists_find(ls, "KPi.013");
    assert_non_null(e);
    assert_string_equal(e->regime, "DPRK");
    assert_int_equal(e->schema, EMB_SCHEMA_PERSON);
    assert_string_equal(e->names[0].full, "CHOE CHUN-SIK");
    assert_int_equal(e->names[0].kind, EMB_NAME_PRIMARY);
    assert_true(e->nbirth_dates >= 1);
    assert_int_equal(e->birth_dates[0].prec, EMB_DATE_DAY);
    assert_int_equal(e->birth_dates[0].year, 1954);
    assert_true(e->nnationalities >= 1);
    assert_string_equal(e->nationalities[0].cc, "kp");
    const emb_entity *same = emb_lists_find(ls, e->id);
    assert_ptr_equal(same, e);
    assert_null(emb_lists_find(ls, "XXi.999"));
    assert_null(emb_lists_find(ls, NULL));
    emb_lists_free(ls);
}

static void test_bad_sources(void **state)
{
    (void)state;
    emb_lists *ls = NULL;
    emb_source s = {"/nonexistent/list.xml", NULL, 0};
    assert_true(emb_lists_open(&ls, &s, 1) < 0);
    assert_null(ls);
    assert_non_null(strstr(emb_err_last(), "/nonexistent/list.xml"));

    static const char junk[] = "name,dob\nfoo,1960\n";
    emb_source j = {"junk.csv", junk, sizeof(junk) - 1};
    assert_true(emb_lists_open(&ls, &j, 1) < 0);
    assert_null(ls);
    assert_non_null(strstr(emb_err_last(), "junk.csv"));

    /* a truncated copy of the real list is refused whole, naming the line */
    emb_source b = emb_bundled_un_list();
    emb_source t = {"truncated.xml", b.data, b.len / 2};
    assert_true(emb_lists_open(&ls, &t, 1) < 0);
    assert_null(ls);
    assert_non_null(strstr(emb_err_last(), "truncated.xml"));

    /* a good list followed by a bad one: nothing is returned */
    emb_source two[2] = {b, t};
    assert_true(emb_lists_open(&ls, two, 2) < 0);
    assert_null(ls);
    assert_true(emb_lists_open(NULL, &b, 1) < 0);
}

static void test_several_lists(void **state)
{
    (void)state;
    emb_source s[2] = {emb_bundled_un_list(), {"data/lists/un/2026-01-28/un.xml", NULL, 0}};
    emb_lists *ls = NULL;
    assert_int_equal(emb_lists_open(&ls, s, 2), EMB_OK);
    assert_int_equal(emb_lists_count(ls), 2);
    assert_string_equal(emb_lists_list(ls, 0)->id, "un");
    assert_string_equal(emb_lists_list(ls, 1)->id, "un-2");
    assert_int_equal(emb_lists_list(ls, 1)->nentities, 999);
    assert_string_equal(emb_lists_list(ls, 1)->date, "2026-01-28T00:00:11.197Z");
    /* every entity names the list it came from, consistently */
    for (size_t i = 0; i < emb_lists_entity_count(ls); i++) {
        const emb_entity *e = emb_lists_entity(ls, i);
        assert_string_equal(e->list, emb_lists_list(ls, e->list_index)->id);
    }
    const char *names[] = {"Choe Chun Sik"};
    emb_query q = EMB_QUERY_INIT;
    q.names = names;
    q.nnames = 1;
    emb_results *r = NULL;
    assert_int_equal(emb_screen(&r, ls, &q, NULL), EMB_OK);
    assert_true(emb_results_count(r) >= 2); /* one hit per list */
    assert_string_equal(emb_results_get(r, 0)->entity->reference, "KPi.013");
    assert_string_equal(emb_results_get(r, 1)->entity->reference, "KPi.013");
    assert_string_not_equal(emb_results_get(r, 0)->entity->list, emb_results_get(r, 1)->entity->list);
    emb_results_free(r);
    emb_lists_free(ls);
}

static void test_query_errors(void **state)
{
    (void)state;
    emb_lists *ls = open_bundled();
    emb_results *r = NULL;
    emb_query q = EMB_QUERY_INIT;
    assert_int_equal(emb_screen(&r, ls, &q, NULL), EMB_EINVAL); /* no name */
    const char *names[] = {"Kim"};
    const char *bad_dob[] = {"12/31/1960"};
    const char *bad_cc[] = {"Atlantis"};
    const char *bad_utf8[] = {"Ki\xff\xfem"};
    q.names = names;
    q.nnames = 1;
    /* unusable side fields never stop a name from being screened: they are
     * ignored and reported as warnings */
    q.birth_dates = bad_dob;
    q.nbirth_dates = 1;
    q.countries = bad_cc;
    q.ncountries = 1;
    q.gender = "unknown";
    assert_int_equal(emb_screen(&r, ls, &q, NULL), EMB_OK);
    assert_int_equal(emb_results_warning_count(r), 3);
    assert_non_null(strstr(emb_results_warning(r, 0), "12/31/1960"));
    assert_non_null(strstr(emb_results_warning(r, 1), "Atlantis"));
    assert_non_null(strstr(emb_results_warning(r, 2), "unknown"));
    assert_null(emb_results_warning(r, 3));
    assert_true(emb_results_count(r) > 0);
    emb_results_free(r);
    r = NULL;
    assert_int_equal(emb_check_birth_date("12/31/1960"), EMB_EINVAL);
    assert_int_equal(emb_check_birth_date("1969-7-16"), EMB_OK);   /* unpadded is fine */
    assert_int_equal(emb_check_birth_date("1968-13-30"), EMB_EINVAL);
    assert_int_equal(emb_check_birth_date("1981-02-29"), EMB_EINVAL);
    assert_int_equal(emb_check_birth_date("1980-02-29"), EMB_OK);
    assert_int_equal(emb_check_birth_date("1980-02-29T00:00:00Z"), EMB_OK);
    assert_int_equal(emb_check_country("Atlantis"), EMB_EINVAL);
    assert_int_equal(emb_check_country("North Korea"), EMB_OK);
    q.nbirth_dates = 0;
    q.ncountries = 0;
    q.gender = NULL;
    q.names = bad_utf8;
    assert_true(emb_screen(&r, ls, &q, NULL) < 0);
    q.names = names;
    emb_screen_opts o = EMB_SCREEN_OPTS_INIT;
    o.limit = 0;
    assert_int_equal(emb_screen(&r, ls, &q, &o), EMB_EINVAL);
    o.limit = 5;
    o.threshold = 1.5;
    assert_int_equal(emb_screen(&r, ls, &q, &o), EMB_EINVAL);
    o.threshold = 0.8;
    o.version = 99;
    assert_int_equal(emb_screen(&r, ls, &q, &o), EMB_EINVAL);
    assert_null(r);
    emb_lists_free(ls);
}

static void test_threshold_and_limit(void **state)
{
    (void)state;
    emb_lists *ls = open_bundled();
    const char *names[] = {"Kim Song"};
    emb_query q = EMB_QUERY_INIT;
    q.names = names;
    q.nnames = 1;
    emb_screen_opts o = EMB_SCREEN_OPTS_INIT;
    o.threshold = 0.0;
    o.cutoff = 0.0;
    o.limit = 10;
    emb_results *r = NULL;
    assert_int_equal(emb_screen(&r, ls, &q, &o), EMB_OK);
    assert_int_equal(emb_results_count(r), 10);
    for (size_t i = 1; i < emb_results_count(r); i++)
        assert_true(emb_results_get(r, i - 1)->score >= emb_results_get(r, i)->score);
    for (size_t i = 0; i < emb_results_count(r); i++) {
        const emb_match *m = emb_results_get(r, i);
        assert_true(m->match);            /* threshold 0: everything matches */
        assert_non_null(m->reason);
        assert_non_null(m->name);
        assert_true(m->nalign >= 1);
    }
    emb_results_free(r);
    emb_lists_free(ls);
}

#define THREADS 8
#define ROUNDS 200

typedef struct job {
    const emb_lists *ls;
    int ok;
} job;

static void *screen_many(void *arg)
{
    job *j = arg;
    const char *qs[] = {"Choe Chun Sik", "Ким Чен Ын", "دوست محمد", "Korea Mining Development",
                        "Kim Jong", "Mohammed Omar", "朝鲜联合机械贸易会社"};
    for (int i = 0; i < ROUNDS; i++) {
        const char *names[] = {qs[i % 7]};
        emb_query q = EMB_QUERY_INIT;
        q.names = names;
        q.nnames = 1;
        emb_results *r = NULL;
        if (emb_screen(&r, j->ls, &q, NULL) != EMB_OK)
            return NULL;
        if (i % 7 == 0 && (emb_results_count(r) == 0 ||
                           strcmp(emb_results_get(r, 0)->entity->reference, "KPi.013") != 0)) {
            emb_results_free(r);
            return NULL;
        }
        emb_results_free(r);
    }
    j->ok = 1;
    return NULL;
}

static void test_threads_share_one_set(void **state)
{
    (void)state;
    emb_lists *ls = open_bundled();
    pthread_t t[THREADS];
    job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i].ls = ls;
        jobs[i].ok = 0;
        assert_int_equal(pthread_create(&t[i], NULL, screen_many, &jobs[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        assert_true(jobs[i].ok);
    }
    emb_lists_free(ls);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bundled_counts),      cmocka_unit_test(test_find_and_fields),
        cmocka_unit_test(test_bad_sources),         cmocka_unit_test(test_several_lists),
        cmocka_unit_test(test_query_errors),        cmocka_unit_test(test_threshold_and_limit),
        cmocka_unit_test(test_threads_share_one_set),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
