/*
 * test_check.c - `embargo check`: the data-driven cases of tests/data/check
 * (the ten worked examples of REGIMES.md and the project's own cases, each
 * NAME.json with its expected result in NAME.expect; format in that folder's
 * README.md), plus the pieces underneath: HS code parsing and matching, the
 * regime data loader's validation, the JSON rendering and the public
 * accessors, and a guard that no resolution number is written in the C code.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "embargo.h"
#include "embargo_check.h"
#include "rules/measures.h"

#define CASES "tests/data/check"
#define TODAY "2026-05-01"

static emb_regimes *rg;
static emb_lists *ls;

static int setup(void **state)
{
    (void)state;
    emb_source s = emb_bundled_un_list();
    if (emb_regimes_open_bundled(&rg) != EMB_OK) {
        fprintf(stderr, "regimes: %s\n", emb_err_last());
        return -1;
    }
    return emb_lists_open(&ls, &s, 1) == EMB_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    emb_regimes_free(rg);
    emb_lists_free(ls);
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    *len = fread(buf, 1, (size_t)n, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static emb_check_result *run(const char *json, int *rc)
{
    emb_check_result *r = NULL;
    emb_check_opts o = EMB_CHECK_OPTS_INIT;
    o.today = TODAY;
    *rc = emb_check_ex(&r, rg, ls, json, strlen(json), &o);
    return r;
}

/* ---- the case files ---------------------------------------------------------- */

static const char *const kinds[] = {"prohibition", "cap", "condition", "designation", "consequence",
                                    "exemption", "superseded", "extended", "not_applicable", NULL};

/* Does finding f satisfy every qualifier token (confidence, outcome, kind,
 * applied/info)? */
static int qualifies(const emb_check_finding *f, char **tok, int ntok)
{
    for (int i = 0; i < ntok; i++) {
        const char *t = tok[i];
        int known = 0;
        for (int c = 0; c < 3; c++)
            if (strcmp(t, emb_confidence_name((emb_confidence)c)) == 0) {
                known = 1;
                if (f->confidence != (emb_confidence)c)
                    return 0;
            }
        for (int d = 0; d < 4; d++)
            if (strcmp(t, emb_decision_name((emb_decision)d)) == 0) {
                known = 1;
                if (!f->applied || f->outcome != (emb_decision)d)
                    return 0;
            }
        for (int k = 0; kinds[k]; k++)
            if (strcmp(t, kinds[k]) == 0) {
                known = 1;
                if (strcmp(f->kind, t) != 0)
                    return 0;
            }
        if (strcmp(t, "applied") == 0) {
            known = 1;
            if (!f->applied)
                return 0;
        }
        if (strcmp(t, "info") == 0) {
            known = 1;
            if (f->applied)
                return 0;
        }
        if (!known) {
            fail_msg("unknown qualifier '%s'", t);
            return 0;
        }
    }
    return 1;
}

/* "8(b)" matches paragraph "8(b)"; "annex_IV" matches "annex IV"; "-" matches NULL. */
static int same_para(const char *want, const char *have)
{
    if (strcmp(want, "-") == 0)
        return have == NULL;
    if (!have)
        return 0;
    for (; *want && *have; want++, have++)
        if (*want != *have && !(*want == '_' && *have == ' '))
            return 0;
    return *want == *have;
}

static int find_cite(const emb_check_result *r, char **tok, int ntok)
{
    for (size_t i = 0; i < emb_check_finding_count(r); i++) {
        const emb_check_finding *f = emb_check_finding_get(r, i);
        int res_ok = strcmp(tok[0], "-") == 0 ? f->resolution == NULL || f->paragraph == NULL
                                              : f->resolution && strcmp(tok[0], f->resolution) == 0;
        if (res_ok && same_para(tok[1], f->paragraph) && qualifies(f, tok + 2, ntok - 2))
            return 1;
    }
    return 0;
}

static void dump(const char *name, const emb_check_result *r)
{
    fprintf(stderr, "--- %s: %s\n", name, emb_check_result_json(r, NULL));
}

static int run_case(const char *name)
{
    char path[512];
    size_t len = 0, elen = 0;
    snprintf(path, sizeof(path), "%s/%s.json", CASES, name);
    char *json = slurp(path, &len);
    snprintf(path, sizeof(path), "%s/%s.expect", CASES, name);
    char *exp = slurp(path, &elen);
    if (!json || !exp) {
        fprintf(stderr, "%s: missing .json or .expect\n", name);
        free(json);
        free(exp);
        return 1;
    }
    emb_check_result *r = NULL;
    emb_check_opts o = EMB_CHECK_OPTS_INIT;
    o.today = TODAY;
    int rc = emb_check_ex(&r, rg, ls, json, len, &o);
    int bad = 0;
    char *save = NULL;
    for (char *line = strtok_r(exp, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *colon = strchr(line, ':');
        if (!colon) {
            fprintf(stderr, "%s: bad expect line '%s'\n", name, line);
            bad++;
            continue;
        }
        *colon = '\0';
        const char *key = line;
        char *val = colon + 1;
        while (*val == ' ')
            val++;
        if (strcmp(key, "error") == 0) {
            if ((rc != EMB_EPARSE && rc != EMB_ETOOBIG) || strncmp(emb_err_last(), val, strlen(val)) != 0) {
                fprintf(stderr, "%s: expected error '%s', got rc %d '%s'\n", name, val, rc,
                        rc < 0 ? emb_err_last() : "(none)");
                bad++;
            }
            continue;
        }
        if (rc != EMB_OK) {
            fprintf(stderr, "%s: emb_check failed: %s\n", name, emb_err_last());
            bad++;
            break;
        }
        char *tok[16];
        int ntok = 0;
        char copy[1024];
        snprintf(copy, sizeof(copy), "%s", val);
        char *s2 = NULL;
        for (char *t = strtok_r(copy, " ", &s2); t && ntok < 16; t = strtok_r(NULL, " ", &s2))
            tok[ntok++] = t;
        int ok = 1;
        if (strcmp(key, "decision") == 0) {
            ok = strcmp(emb_decision_name(emb_check_decision(r)), val) == 0;
        } else if (strcmp(key, "confidence") == 0) {
            ok = strcmp(emb_confidence_name(emb_check_confidence(r)), val) == 0;
        } else if (strcmp(key, "cite") == 0) {
            ok = ntok >= 2 && find_cite(r, tok, ntok);
        } else if (strcmp(key, "no-cite") == 0) {
            ok = ntok >= 2 && !find_cite(r, tok, ntok);
        } else if (strcmp(key, "measure") == 0) {
            ok = 0;
            for (size_t i = 0; i < emb_check_finding_count(r) && !ok; i++) {
                const emb_check_finding *f = emb_check_finding_get(r, i);
                ok = ntok >= 1 && f->measure && strcmp(f->measure, tok[0]) == 0 &&
                     qualifies(f, tok + 1, ntok - 1);
            }
        } else if (strcmp(key, "hit") == 0) {
            ok = 0;
            for (size_t i = 0; i < emb_check_screened_count(r); i++) {
                const emb_check_screened *s = emb_check_screened_get(r, i);
                for (size_t k = 0; k < s->nhits; k++)
                    ok |= s->hits[k].match && s->hits[k].reference &&
                          strcmp(s->hits[k].reference, val) == 0;
            }
        } else if (strcmp(key, "note") == 0) {
            ok = 0;
            for (size_t i = 0; i < emb_check_note_count(r); i++)
                ok |= strstr(emb_check_note(r, i), val) != NULL;
        } else if (strcmp(key, "inference") == 0 || strcmp(key, "condition") == 0) {
            ok = 0;
            for (size_t i = 0; i < emb_check_finding_count(r); i++) {
                const emb_check_finding *f = emb_check_finding_get(r, i);
                if (key[0] == 'i')
                    ok |= f->inference && strstr(f->inference, val) != NULL;
                else
                    for (size_t k = 0; k < f->nconditions; k++)
                        ok |= strstr(f->conditions[k], val) != NULL;
            }
        } else if (strcmp(key, "hs_code_source") == 0) {
            ok = 0;
            for (size_t i = 0; ntok == 3 && i < emb_check_finding_count(r); i++) {
                const emb_check_finding *f = emb_check_finding_get(r, i);
                ok |= f->resolution && strcmp(f->resolution, tok[0]) == 0 &&
                      same_para(tok[1], f->paragraph) && f->hs_code_source &&
                      strcmp(f->hs_code_source, tok[2]) == 0;
            }
        } else {
            fprintf(stderr, "%s: unknown expect key '%s'\n", name, key);
            ok = 0;
        }
        if (!ok) {
            fprintf(stderr, "%s: expectation failed: %s: %s\n", name, key, val);
            bad++;
        }
    }
    if (bad && r)
        dump(name, r);
    emb_check_result_free(r);
    free(json);
    free(exp);
    return bad;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_cases(void **state)
{
    (void)state;
    DIR *d = opendir(CASES);
    assert_non_null(d);
    char *names[1024];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && n < 1024) {
        size_t l = strlen(de->d_name);
        if (l > 5 && strcmp(de->d_name + l - 5, ".json") == 0)
            names[n++] = strndup(de->d_name, l - 5);
    }
    closedir(d);
    qsort(names, n, sizeof(char *), cmp_str);
    int bad = 0, examples = 0;
    for (size_t i = 0; i < n; i++) {
        int b = run_case(names[i]);
        bad += b != 0;
        examples += strncmp(names[i], "ex", 2) == 0;
        free(names[i]);
    }
    fprintf(stderr, "%zu cases (%d from REGIMES.md), %d failed\n", n, examples, bad);
    assert_true(examples >= 11);
    assert_true(n >= 60);
    assert_int_equal(bad, 0);
}

/* ---- HS codes ------------------------------------------------------------------ */

static void test_hs_parse(void **state)
{
    (void)state;
    emb_arena a;
    emb_arena_init(&a, 1 << 20);
    emb_hs_list l = {NULL, 0};
    assert_int_equal(emb_hs_parse(&a, &l, "4201-4202 / 57 / 6911-6912 (per annex - unverified)"), EMB_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.v[0].lo, "4201");
    assert_string_equal(l.v[0].hi, "4202");
    assert_string_equal(l.v[1].lo, "57");
    assert_string_equal(l.v[2].hi, "6912");
    assert_string_equal(l.v[2].display, "4201-4202 / 57 / 6911-6912 (per annex - unverified)");
    assert_int_equal(emb_hs_parse(&a, &l, "8802.11"), EMB_OK);
    assert_string_equal(l.v[3].lo, "880211");
    assert_int_equal(emb_hs_parse(&a, &l, "50-63 (Section XI, indicative)"), EMB_OK);
    assert_int_equal(l.v[4].len, 2);
    /* errors */
    assert_int_equal(emb_hs_parse(&a, &l, "(note only)"), EMB_EPARSE);
    assert_int_equal(emb_hs_parse(&a, &l, "63-50"), EMB_EPARSE);
    assert_int_equal(emb_hs_parse(&a, &l, "27-2710"), EMB_EPARSE);
    assert_int_equal(emb_hs_parse(&a, &l, "27x"), EMB_EPARSE);
    /* matching: within, broader, apart */
    assert_int_equal(emb_hs_match(&l.v[4], "6109", 4), 2);
    assert_int_equal(emb_hs_match(&l.v[4], "64", 2), 0);
    assert_int_equal(emb_hs_match(&l.v[0], "42", 2), 1);
    assert_int_equal(emb_hs_match(&l.v[0], "420221", 6), 2);
    assert_int_equal(emb_hs_match(&l.v[0], "4203", 4), 0);
    assert_int_equal(emb_hs_match(&l.v[3], "8802", 4), 1);
    assert_int_equal(emb_hs_match(&l.v[3], "88021100", 8), 2);
    assert_int_equal(emb_hs_match(&l.v[3], "880212", 6), 0);
    emb_arena_dispose(&a);
}

static void test_dates(void **state)
{
    (void)state;
    assert_true(emb_rules_day("2017-08-05") > emb_rules_day("2017-08-04"));
    assert_int_equal(emb_rules_day("2018-01-01") - emb_rules_day("2017-12-31"), 1);
    assert_int_equal(emb_rules_day("2024-03-01") - emb_rules_day("2024-02-28"), 2);
    assert_int_equal(emb_rules_day("2023-02-29"), -1);
    assert_int_equal(emb_rules_day("2024-13-01"), -1);
    assert_int_equal(emb_rules_day("2024-1-01"), -1);
    assert_int_equal(emb_rules_day(NULL), -1);
}

/* ---- the regime data ------------------------------------------------------------- */

static void test_bundled_data(void **state)
{
    (void)state;
    assert_int_equal(emb_regimes_measure_count(rg), 62);
    assert_true(emb_regimes_checked_count(rg) >= 50);
    assert_true(rg->nkeywords > 100);
    assert_int_equal(rg->nregimes, 15);
    const emb_measure *m = emb_rules_measure(rg, "dprk-2397-5");
    assert_non_null(m);
    assert_int_equal(m->start, emb_rules_day("2018-01-01"));
    assert_true(m->has_cap);
    m = emb_rules_measure(rg, "dprk-2371-8");
    assert_int_equal(m->start, emb_rules_day("2017-08-05"));
    /* every measure keeps its source and confidence */
    for (size_t i = 0; i < rg->nmeasures; i++) {
        assert_non_null(rg->measures[i].resolution);
        assert_non_null(rg->measures[i].document);
        assert_true(rg->measures[i].start > 0);
    }
}

static char *patched(const char *from, const char *to)
{
    size_t len = 0;
    char *s = slurp("data/regimes/unsc-dprk-1718.json", &len);
    assert_non_null(s);
    char *p = strstr(s, from);
    assert_non_null(p);
    char *out = malloc(len + strlen(to) + 1);
    size_t k = (size_t)(p - s);
    memcpy(out, s, k);
    strcpy(out + k, to);
    strcat(out, p + strlen(from));
    free(s);
    return out;
}

static void expect_data_error(const char *from, const char *to, const char *msg)
{
    char *s = patched(from, to);
    emb_regimes *bad = NULL;
    int rc = emb_regimes_open(&bad, s, strlen(s), NULL, 0, NULL, 0);
    if (rc == EMB_OK || !strstr(emb_err_last(), msg))
        fail_msg("data patch '%s' -> '%s': rc %d, '%s' (wanted '%s')", from, to, rc,
                 emb_err_last(), msg);
    assert_null(bad);
    free(s);
}

static void test_data_validation(void **state)
{
    (void)state;
    expect_data_error("\"on\": \"goods\"", "\"on\": \"goodz\"", "check.rules[0]");
    expect_data_error("\"effect\": \"prohibits\"", "\"effect\": \"forbids\"", "effect");
    expect_data_error("\"superseded_by\": [\n          \"dprk-2371-8\"",
                      "\"superseded_by\": [\n          \"dprk-2371-X\"", "does not exist");
    expect_data_error("\"adopted\": \"2017-12-22\"", "\"adopted\": \"2017-12-32\"",
                      "no adoption date");
    expect_data_error("\"confidence\": \"secondary\"", "\"confidence\": \"sure\"", "confidence");
    expect_data_error("\"hs_codes\": [\n        \"2709\"", "\"hs_codes\": [\n        \"27O9\"",
                      "HS code");
    expect_data_error("\"rules\": [", "\"rulez\": [", "unknown field");
    expect_data_error("\"unit\": \"barrel\"", "\"unit\": \"hogshead\"", "unit");
    /* a broken keyword table */
    emb_regimes *bad = NULL;
    size_t len = 0;
    char *s = slurp("data/regimes/unsc-dprk-1718.json", &len);
    assert_int_equal(emb_regimes_open(&bad, s, len, NULL, 0, "coal\t27X\tx\n", 12), EMB_EPARSE);
    assert_non_null(strstr(emb_err_last(), "hs_keywords: line 1"));
    assert_int_equal(emb_regimes_open(&bad, s, len, NULL, 0, "Coal\t2701\tx\n", 12), EMB_EPARSE);
    assert_int_equal(emb_regimes_open(&bad, s, len, NULL, 0, "coal 2701\n", 10), EMB_EPARSE);
    assert_int_equal(emb_regimes_open(&bad, "{", 1, NULL, 0, NULL, 0), EMB_EPARSE);
    assert_int_equal(emb_regimes_open(&bad, "[]", 2, NULL, 0, NULL, 0), EMB_EPARSE);
    assert_null(bad);
    free(s);
}

/* No resolution number of the data may be written in the engine's C code. */
static void test_no_rules_in_c(void **state)
{
    (void)state;
    const char *files[] = {"src/rules/check.c", "src/rules/check_input.c", "src/rules/measures.c",
                           "src/rules/check.h", "src/rules/check_input.h", "src/rules/measures.h",
                           "src/cli/cmd_check.c"};
    size_t dl;
    char *data = slurp("data/regimes/unsc-dprk-1718.json", &dl);
    cJSON *root = cJSON_Parse(data);
    assert_non_null(root);
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(root, "resolutions");
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        size_t n;
        char *src = slurp(files[i], &n);
        assert_non_null(src);
        const cJSON *r;
        cJSON_ArrayForEach(r, res) {
            if (strstr(src, r->string))
                fail_msg("%s mentions resolution %s", files[i], r->string);
        }
        free(src);
    }
    cJSON_Delete(root);
    free(data);
}

/* ---- results ----------------------------------------------------------------------- */

static void test_json_shape(void **state)
{
    (void)state;
    size_t len = 0;
    char *in = slurp(CASES "/party-kmdtc-designated.json", &len);
    int rc;
    emb_check_result *r = run(in, &rc);
    assert_int_equal(rc, EMB_OK);
    size_t jl;
    const char *js = emb_check_result_json(r, &jl);
    assert_int_equal(strlen(js), jl);
    cJSON *doc = cJSON_Parse(js);
    assert_non_null(doc);
    /* the contract: decision, findings[{measure, resolution, paragraph, summary, trigger,
     * confidence, conditions}], screening */
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(doc, "decision")->valuestring, "PROHIBITED");
    const cJSON *fs = cJSON_GetObjectItemCaseSensitive(doc, "findings");
    assert_true(cJSON_IsArray(fs) && cJSON_GetArraySize(fs) > 0);
    const cJSON *f;
    int freeze = 0;
    cJSON_ArrayForEach(f, fs) {
        static const char *keys[] = {"measure", "resolution", "paragraph", "summary", "trigger",
                                     "confidence", "conditions", "kind", "outcome"};
        for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
            assert_non_null(cJSON_GetObjectItemCaseSensitive(f, keys[k]));
        assert_true(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(f, "conditions")));
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(f, "measure");
        if (cJSON_IsString(m) && strcmp(m->valuestring, "dprk-1718-8d") == 0) {
            freeze = 1;
            assert_string_equal(cJSON_GetObjectItemCaseSensitive(f, "resolution")->valuestring, "1718");
            assert_string_equal(cJSON_GetObjectItemCaseSensitive(f, "paragraph")->valuestring, "8(d)");
            assert_non_null(strstr(cJSON_GetObjectItemCaseSensitive(f, "trigger")->valuestring, "KPe.001"));
        }
    }
    assert_true(freeze);
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(doc, "screening");
    assert_true(cJSON_IsArray(sc));
    const cJSON *hit = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(sc, 0), "hits"), 0);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(hit, "reference")->valuestring, "KPe.001");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(hit, "list")->valuestring, "un");
    assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(hit, "score")));
    assert_non_null(cJSON_GetObjectItemCaseSensitive(hit, "reason"));
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(doc, "confidence")->valuestring, "secondary");
    cJSON_Delete(doc);
    emb_check_result_free(r);
    free(in);
}

static void test_unverified_note(void **state)
{
    (void)state;
    size_t len = 0;
    char *in = slurp(CASES "/ex06-frozen-crab.json", &len);
    int rc;
    emb_check_result *r = run(in, &rc);
    assert_int_equal(rc, EMB_OK);
    assert_non_null(strstr(emb_check_result_json(r, NULL), "\"confidence_note\":\"paragraph number unverified\""));
    emb_check_result_free(r);
    free(in);
}

static void test_no_lists_and_today(void **state)
{
    (void)state;
    const char *in = "{\"parties\":[{\"role\":\"seller\",\"name\":\"Korea Mining Development "
                     "Trading Corporation\",\"country\":\"KP\"}]}";
    emb_check_result *r = NULL;
    emb_check_opts o = EMB_CHECK_OPTS_INIT;
    o.today = "2025-01-02";
    assert_int_equal(emb_check_ex(&r, rg, NULL, in, strlen(in), &o), EMB_OK);
    assert_string_equal(emb_check_date(r), "2025-01-02");
    assert_int_equal(emb_check_decision(r), EMB_DECISION_NO_MEASURE_FOUND);
    int not_screened = 0;
    for (size_t i = 0; i < emb_check_note_count(r); i++)
        not_screened |= strstr(emb_check_note(r, i), "not screened") != NULL;
    assert_true(not_screened);
    assert_null(emb_check_note(r, 99));
    assert_null(emb_check_finding_get(r, 99));
    emb_check_result_free(r);
    /* without a date and without opts.today: the UTC date */
    assert_int_equal(emb_check(&r, rg, NULL, "{}", 2), EMB_OK);
    assert_int_equal(strlen(emb_check_date(r)), 10);
    emb_check_result_free(r);
    /* bad calls */
    o.today = "yesterday";
    assert_int_equal(emb_check_ex(&r, rg, NULL, "{}", 2, &o), EMB_EINVAL);
    assert_int_equal(emb_check(NULL, rg, NULL, "{}", 2), EMB_EINVAL);
    assert_int_equal(emb_check(&r, NULL, NULL, "{}", 2), EMB_EINVAL);
    emb_check_result_free(NULL);
    emb_regimes_free(NULL);
    assert_string_equal(emb_decision_name(EMB_DECISION_EXEMPTION_REQUIRED), "EXEMPTION_REQUIRED");
    assert_string_equal(emb_confidence_name(EMB_CONFIDENCE_VERIFIED), "verified-from-text");
}

static void test_input_caps(void **state)
{
    (void)state;
    emb_check_result *r = NULL;
    /* nesting */
    char deep[200];
    size_t k = 0;
    k += (size_t)snprintf(deep, sizeof(deep), "{\"goods\":");
    for (int i = 0; i < 40; i++)
        deep[k++] = '[';
    deep[k] = '\0';
    assert_int_equal(emb_check(&r, rg, NULL, deep, k), EMB_ETOOBIG);
    /* too many goods */
    size_t cap = 300 * 20 + 64;
    char *many = malloc(cap);
    k = (size_t)snprintf(many, cap, "{\"goods\":[");
    for (int i = 0; i < 300; i++)
        k += (size_t)snprintf(many + k, cap - k, "%s{\"hs\":\"2710\"}", i ? "," : "");
    k += (size_t)snprintf(many + k, cap - k, "]}");
    assert_int_equal(emb_check(&r, rg, NULL, many, k), EMB_ETOOBIG);
    assert_non_null(strstr(emb_err_last(), "goods"));
    free(many);
    /* invalid UTF-8 in a name */
    const char *bad = "{\"parties\":[{\"role\":\"buyer\",\"name\":\"\xff\xfe\"}]}";
    assert_int_equal(emb_check(&r, rg, NULL, bad, strlen(bad)), EMB_EPARSE);
    assert_non_null(strstr(emb_err_last(), "parties[0].name"));
    /* an over-long string */
    char *longname = malloc(6000);
    k = (size_t)snprintf(longname, 6000, "{\"route\":{\"loading_port\":\"");
    memset(longname + k, 'a', 5000);
    k += 5000;
    k += (size_t)snprintf(longname + k, 6000 - k, "\"}}");
    assert_int_equal(emb_check(&r, rg, NULL, longname, k), EMB_ETOOBIG);
    free(longname);
    assert_null(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hs_parse),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_bundled_data),
        cmocka_unit_test(test_data_validation),
        cmocka_unit_test(test_no_rules_in_c),
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_json_shape),
        cmocka_unit_test(test_unverified_note),
        cmocka_unit_test(test_no_lists_and_today),
        cmocka_unit_test(test_input_caps),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
