/*
 * test_golden.c - data-driven screening cases: every .case file in tests/data/match
 * file is one query against the bundled UN list with expectations:
 *
 *   query:  NAME            (required; one per file)
 *   schema: Person|...      dob: YYYY[-MM[-DD]]   country: CC|name   id: NUMBER
 *   expect: REF >= S  |  REF <= S     score bound for that entry (absent = 0)
 *   expect-top: REF                   the first result is REF
 *   expect-not: REF                   REF is not among the results
 *   expect-none-above: S              no result scores above S
 *
 * People who do not write C add cases by adding files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "embargo.h"

#define CASE_DIR "tests/data/match"

static emb_lists *ls;

static int setup(void **state)
{
    (void)state;
    emb_source s = emb_bundled_un_list();
    return emb_lists_open(&ls, &s, 1) == EMB_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    emb_lists_free(ls);
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static double score_of(emb_results *r, const char *ref, int *rank)
{
    for (size_t i = 0; i < emb_results_count(r); i++) {
        const emb_match *m = emb_results_get(r, i);
        if (m->entity->reference && strcmp(m->entity->reference, ref) == 0) {
            *rank = (int)i;
            return m->score;
        }
    }
    *rank = -1;
    return 0.0;
}

/* Returns the number of failed expectations in one case file. */
static int run_case(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: cannot open\n", path);
        return 1;
    }
    char lines[64][512];
    size_t nl = 0;
    while (nl < 64 && fgets(lines[nl], sizeof(lines[nl]), f))
        nl++;
    fclose(f);
    emb_query q = EMB_QUERY_INIT;
    const char *names[1] = {NULL}, *dobs[8], *ccs[8], *ids[8];
    size_t nd = 0, nc = 0, ni = 0;
    for (size_t i = 0; i < nl; i++) {
        char *l = trim(lines[i]);
        char *colon = strchr(l, ':');
        if (!*l || *l == '#' || !colon)
            continue;
        *colon = '\0';
        char *v = trim(colon + 1);
        if (strcmp(l, "query") == 0)
            names[0] = v;
        else if (strcmp(l, "schema") == 0)
            emb_qschema_parse(&q.schema, v);
        else if (strcmp(l, "dob") == 0 && nd < 8)
            dobs[nd++] = v;
        else if (strcmp(l, "country") == 0 && nc < 8)
            ccs[nc++] = v;
        else if (strcmp(l, "id") == 0 && ni < 8)
            ids[ni++] = v;
        else
            *colon = ':'; /* an expectation: keep for the second pass */
    }
    if (!names[0]) {
        fprintf(stderr, "%s: no query line\n", path);
        return 1;
    }
    q.names = names;
    q.nnames = 1;
    q.birth_dates = dobs;
    q.nbirth_dates = nd;
    q.countries = ccs;
    q.ncountries = nc;
    q.identifiers = ids;
    q.nidentifiers = ni;
    emb_screen_opts o = EMB_SCREEN_OPTS_INIT;
    o.threshold = 0.0;
    o.cutoff = 0.0;
    o.limit = 50;
    emb_results *r = NULL;
    if (emb_screen(&r, ls, &q, &o) < 0) {
        fprintf(stderr, "%s: screen failed: %s\n", path, emb_err_last());
        return 1;
    }
    int fails = 0;
    for (size_t i = 0; i < nl; i++) {
        char *l = lines[i];
        char ref[64];
        char op[3];
        double want;
        int rank;
        if (sscanf(l, "expect: %63s %2s %lf", ref, op, &want) == 3) {
            double got = score_of(r, ref, &rank);
            int ok = strcmp(op, ">=") == 0 ? got >= want - 1e-9 : got <= want + 1e-9;
            if (!ok) {
                fprintf(stderr, "%s: expected %s %s %.3f, got %.4f\n", path, ref, op, want, got);
                fails++;
            }
        } else if (sscanf(l, "expect-top: %63s", ref) == 1) {
            score_of(r, ref, &rank);
            if (rank != 0) {
                const emb_match *m = emb_results_get(r, 0);
                fprintf(stderr, "%s: expected %s first, got %s (%.4f); %s at rank %d\n", path, ref,
                        m ? m->entity->reference : "nothing", m ? m->score : 0.0, ref, rank);
                fails++;
            }
        } else if (sscanf(l, "expect-not: %63s", ref) == 1) {
            score_of(r, ref, &rank);
            if (rank >= 0) {
                fprintf(stderr, "%s: %s must not be returned (rank %d)\n", path, ref, rank);
                fails++;
            }
        } else if (sscanf(l, "expect-none-above: %lf", &want) == 1) {
            const emb_match *m = emb_results_get(r, 0);
            if (m && m->score > want) {
                fprintf(stderr, "%s: %s scored %.4f > %.2f (%s)\n", path, m->entity->reference,
                        m->score, want, m->reason);
                fails++;
            }
        }
    }
    emb_results_free(r);
    return fails;
}

static int cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_cases(void **state)
{
    (void)state;
    DIR *d = opendir(CASE_DIR);
    assert_non_null(d);
    char *files[1024];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) && n < 1024) {
        size_t l = strlen(de->d_name);
        if (l > 5 && strcmp(de->d_name + l - 5, ".case") == 0)
            files[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(files, n, sizeof(char *), cmpstr);
    int fails = 0;
    for (size_t i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", CASE_DIR, files[i]);
        fails += run_case(path);
        free(files[i]);
    }
    printf("golden: %zu cases, %d failed expectations\n", n, fails);
    assert_true(n >= 20);
    assert_int_equal(fails, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_cases)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
