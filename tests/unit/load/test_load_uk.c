/*
 * test_load_uk.c - the UK OFSI Consolidated List CSV loader against the small
 * fictitious fixture in tests/data/lists/uk/ (see its README) and the
 * malformed files beside it.
 *
 * The fixture is sorted by name as OFSI sorts it, so the rows of one Group ID
 * are apart: grouping, the primary row, alias kinds, "(1) .. (2)" numbered
 * values, dates with their precision, passports, ships with IMO numbers and
 * UN references are checked, then failures with line numbers and one
 * screening through the public API.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "load_test_util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "embargo.h"
#include "load/load.h"
#include "util/err.h"

#define DIR "tests/data/lists/uk/"
#define FIXTURE DIR "uk_conlist.csv"

static void expect_fail_load(int (*fn)(emb_model *, const char *), const char *path, int code,
                             const char *where)
{
    emb_model m;
    emb_model_init(&m);
    int rc = fn(&m, path);
    assert_int_equal(rc, code);
    const char *msg = emb_err_last();
    if (!strstr(msg, where))
        fail_msg("message \"%s\" lacks \"%s\"", msg, where);
    assert_int_equal(m.nlists, 0);
    assert_int_equal(m.nentities, 0);
    emb_model_dispose(&m);
}

static int load_direct(emb_model *m, const char *path)
{
    size_t len;
    char *buf = slurp(path, &len);
    int rc = emb_loader_uk.load(m, path, buf, len);
    free(buf);
    return rc;
}

static void test_detect(void **state)
{
    (void)state;
    size_t len;
    char *buf = slurp(FIXTURE, &len);
    assert_true(emb_loader_uk.detect(buf, len));
    assert_false(emb_loader_eu_xml.detect(buf, len));
    /* the header alone, without the "Last Updated" row, and after a BOM */
    const char *hdr = "\xEF\xBB\xBFName 6,Name 1,Group Type,Group ID\r\nX,Y,Entity,1\r\n";
    assert_true(emb_loader_uk.detect(hdr, strlen(hdr)));
    free(buf);
    const char *other[] = {"Last Updated,01/01/2026\r\nName,Type,ID\r\n",
                           "ent_num,SDN_Name\r\n", "<export/>", "Last Updated"};
    for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
        assert_false(emb_loader_uk.detect(other[i], strlen(other[i])));
}

static void test_counts(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_path(&m, FIXTURE), EMB_OK);
    assert_int_equal(m.nlists, 1);
    const emb_list_info *li = &m.lists[0];
    assert_string_equal(li->id, "uk");
    assert_string_equal(li->format, "uk-csv");
    assert_string_equal(li->date, "2026-03-26");
    assert_int_equal(li->nentities, 7);   /* 14 rows, 7 Group IDs */
    assert_int_equal(li->nby_schema[EMB_SCHEMA_PERSON], 3);
    assert_int_equal(li->nby_schema[EMB_SCHEMA_ORGANIZATION], 2);
    assert_int_equal(li->nby_schema[EMB_SCHEMA_VESSEL], 2);
    for (size_t i = 0; i < m.nentities; i++)
        assert_int_equal(m.entities[i].names[0].kind, EMB_NAME_PRIMARY);
    emb_model_dispose(&m);
}

static void test_person_dprk(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_path(&m, FIXTURE), EMB_OK);
    const emb_entity *e = by_id(&m, "uk-90101");
    assert_string_equal(e->reference, "DPR0990");
    assert_int_equal(e->schema, EMB_SCHEMA_PERSON);
    assert_string_equal(e->regime, "Democratic People's Republic of Korea");
    assert_int_equal(e->nprograms, 1);
    assert_string_equal(e->listed_on, "2017-08-05");
    assert_string_equal(e->names[0].full, "Chol Man RI");
    assert_int_equal(e->names[0].nparts, 3);
    assert_string_equal(e->names[0].parts[2], "RI");
    assert_int_equal(need_name(e, "Chol-man RI")->kind, EMB_NAME_ALIAS);
    assert_int_equal(need_name(e, "Comrade RI")->kind, EMB_NAME_WEAK);
    assert_int_equal(need_name(e, "리철만")->kind, EMB_NAME_ORIGINAL);
    assert_int_equal(e->nnames, 4);
    assert_int_equal(e->nbirth_dates, 1);   /* repeated on every row, kept once */
    assert_int_equal(e->birth_dates[0].prec, EMB_DATE_DAY);
    assert_int_equal(e->birth_dates[0].year, 1965);
    assert_int_equal(e->birth_dates[0].month, 4);
    assert_int_equal(e->birth_dates[0].day, 12);
    assert_string_equal(e->birth_places[0].city, "Pyongyang");
    assert_string_equal(e->birth_places[0].cc, "kp");
    assert_int_equal(e->nnationalities, 1);
    assert_string_equal(e->nationalities[0].cc, "kp");
    const emb_identifier *pp = need_id(e, "745120345");
    assert_int_equal(pp->kind, EMB_ID_PASSPORT);
    assert_string_equal(pp->note, "Diplomatic passport, issued 2017");
    const emb_identifier *un = need_id(e, "KPI990");
    assert_string_equal(un->type, "UN reference");
    assert_string_equal(un->number, "KPi.990");
    assert_string_equal(e->designations[0], "Director, Ryongbong Trading");
    emb_model_dispose(&m);
}

static void test_numbered_and_precision(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_path(&m, FIXTURE), EMB_OK);
    const emb_entity *e = by_id(&m, "uk-90102");
    assert_string_equal(e->names[0].full, "Abdul Rahman AL-FICTIVI");
    assert_int_equal(need_name(e, "Abdurrahman AL-FIKTIVI")->kind, EMB_NAME_FORMER);
    assert_int_equal(e->nbirth_dates, 2);
    assert_int_equal(e->birth_dates[0].prec, EMB_DATE_YEAR);
    assert_int_equal(e->birth_dates[0].year, 1971);
    assert_int_equal(e->birth_dates[0].month, 0);
    assert_int_equal(e->birth_dates[1].prec, EMB_DATE_APPROX);
    assert_int_equal(e->birth_dates[1].year, 1973);
    assert_int_equal(e->nnationalities, 2);
    assert_string_equal(e->nationalities[0].cc, "af");
    assert_string_equal(e->nationalities[1].cc, "pk");
    const emb_identifier *id = need_id(e, "AB998877");
    assert_int_equal(id->kind, EMB_ID_NATIONAL);
    assert_string_equal(id->note, "Pakistani CNIC");
    assert_string_equal(need_id(e, "12345678")->note, "Afghan tazkira");
    assert_string_equal(e->titles[0], "Mullah");

    e = by_id(&m, "uk-90107");
    assert_int_equal(need_id(e, "E12345678")->kind, EMB_ID_PASSPORT);
    assert_string_equal(need_id(e, "K7654321")->note, "issued 2015");
    assert_int_equal(need_name(e, "Farzaneh Testi MOGHADDAM")->kind, EMB_NAME_ALIAS);
    emb_model_dispose(&m);
}

static void test_entities_and_ships(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_path(&m, FIXTURE), EMB_OK);
    const emb_entity *e = by_id(&m, "uk-90103");
    assert_int_equal(e->schema, EMB_SCHEMA_ORGANIZATION);
    assert_string_equal(e->names[0].full, "NORTHERN STAR TRADING CORPORATION");
    assert_int_equal(need_name(e, "PUKKUKSONG TRADING")->kind, EMB_NAME_ALIAS);
    assert_int_equal(need_name(e, "NSTC")->kind, EMB_NAME_ALIAS);
    assert_int_equal(e->naddresses, 1);
    assert_string_equal(e->addresses[0].street, "Central District, Sosong Street");
    assert_string_equal(e->addresses[0].city, "Pyongyang");
    assert_string_equal(e->addresses[0].cc, "kp");
    assert_string_equal(need_id(e, "KPE990")->type, "UN reference");

    e = by_id(&m, "uk-90104");
    assert_int_equal(e->schema, EMB_SCHEMA_VESSEL);
    assert_string_equal(e->names[0].full, "OCEAN FICTION");
    assert_int_equal(need_name(e, "SEA FABLE")->kind, EMB_NAME_FORMER);
    const emb_identifier *imo = need_id(e, "9123453");
    assert_int_equal(imo->kind, EMB_ID_IMO);
    assert_string_equal(e->vessel_type, "Crude Oil Tanker");
    assert_string_equal(e->flag, "Panama");
    assert_string_equal(e->flag_cc, "pa");
    assert_string_equal(e->tonnage, "5,000");
    assert_string_equal(e->owner, "Northern Star Trading Corporation");

    /* IMO only in the free text, with a wrong check digit: kept, not an IMO */
    e = by_id(&m, "uk-90105");
    assert_int_equal(e->schema, EMB_SCHEMA_VESSEL);
    imo = need_id(e, "9123450");
    assert_int_equal(imo->kind, EMB_ID_OTHER);
    assert_string_equal(e->regime, "Russia");

    /* a quoted field with a comma, doubled quotes and a line break */
    e = by_id(&m, "uk-90106");
    assert_non_null(strstr(e->remarks, "\"dual-use\" goods, including drone engines"));
    assert_string_equal(e->names[1].full, "АО Волга Фиктив Машинери");
    assert_string_equal(e->addresses[0].zip, "443001");
    assert_string_equal(e->addresses[0].cc, "ru");
    emb_model_dispose(&m);
}

static void test_errors(void **state)
{
    (void)state;
    expect_fail_load(load_path, DIR "uk_bad_dob.csv", EMB_EPARSE,
                     "uk_bad_dob.csv:4: Group ID 2: DOB \"31/02/1970\" is not DD/MM/YYYY");
    expect_fail_load(load_path, DIR "uk_bad_type.csv", EMB_EPARSE,
                     "uk_bad_type.csv:4: Group ID 3: Group Type is not Individual");
    expect_fail_load(load_path, DIR "uk_bad_fields.csv", EMB_EPARSE,
                     "uk_bad_fields.csv:4: row has 8 fields, the header 7");
    expect_fail_load(load_path, DIR "uk_bad_quote.csv", EMB_EPARSE,
                     "uk_bad_quote.csv:4: a quoted field is not closed");
    expect_fail_load(load_path, DIR "uk_no_name.csv", EMB_EPARSE,
                     "uk_no_name.csv:4: Group ID 7: row has no name");
    expect_fail_load(load_direct, DIR "uk_no_groupid_col.csv", EMB_EPARSE,
                     "uk_no_groupid_col.csv:2: header has no \"Group ID\" column");

    emb_model m;
    emb_model_init(&m);
    const char *bad[] = {
        "Name 6,Group Type,Group ID\r\n\"A\"x,Entity,1\r\n",        /* text after a quote */
        "Name 6,Group Type,Group ID\r\nA\xff,Entity,1\r\n",         /* invalid UTF-8 */
        "Name 6,Group Type,Group ID\r\nA,Entity,\r\n",              /* no Group ID */
        "Name 6,Group Type,Group ID\r\nA,Entity,1\r\nB,Individual,1\r\n", /* types differ */
        "Name 6,Group Type,Group ID,Listed On\r\nA,Entity,1,2020-01-01\r\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(emb_load_buffer(&m, "bad.csv", bad[i], strlen(bad[i])), EMB_EPARSE);
        if (!strstr(emb_err_last(), "bad.csv:2") && !strstr(emb_err_last(), "bad.csv:3"))
            fail_msg("case %zu: %s", i, emb_err_last());
        assert_int_equal(m.nlists, 0);
        assert_int_equal(m.nentities, 0);
    }
    emb_model_dispose(&m);
}

static void test_caps(void **state)
{
    (void)state;
    size_t n = 70 * 1024;
    char *big = malloc(n + 100);
    assert_non_null(big);
    int k = snprintf(big, 100, "Name 6,Group Type,Group ID\r\n");
    memset(big + k, 'a', n);
    strcpy(big + k + n, ",Entity,1\r\n");
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(emb_load_buffer(&m, "big.csv", big, strlen(big)), EMB_ETOOBIG);
    assert_non_null(strstr(emb_err_last(), "big.csv:2: a field longer than 64 KiB"));
    assert_int_equal(m.nentities, 0);
    free(big);
    /* more than 256 fields in the header */
    char hdr[2048] = "Name 6,Group Type,Group ID";
    for (int i = 0; i < 300; i++)
        strcat(hdr, ",");
    strcat(hdr, "\r\nA,Entity,1\r\n");
    assert_int_equal(emb_loader_uk.load(&m, "wide.csv", hdr, strlen(hdr)), EMB_ETOOBIG);
    assert_int_equal(m.nlists, 0);
    emb_model_dispose(&m);
}

static void test_public_api(void **state)
{
    (void)state;
    emb_source src = {FIXTURE, NULL, 0};
    emb_lists *ls = NULL;
    assert_int_equal(emb_lists_open(&ls, &src, 1), EMB_OK);
    assert_int_equal(emb_lists_entity_count(ls), 7);
    const char *names[] = {"Farzaneh Testi-Moghaddam"};
    emb_query q = EMB_QUERY_INIT;
    q.names = names;
    q.nnames = 1;
    emb_screen_opts o = EMB_SCREEN_OPTS_INIT;
    emb_results *r = NULL;
    assert_int_equal(emb_screen(&r, ls, &q, &o), EMB_OK);
    assert_true(emb_results_count(r) >= 1);
    assert_string_equal(emb_results_get(r, 0)->entity->reference, "INU0995");
    assert_true(emb_results_get(r, 0)->match);
    emb_results_free(r);

    /* a vessel by IMO number */
    const char *ids[] = {"IMO 9123453"};
    const char *vn[] = {"Ocean Fiction"};
    emb_query v = EMB_QUERY_INIT;
    v.schema = EMB_Q_VESSEL;
    v.names = vn;
    v.nnames = 1;
    v.identifiers = ids;
    v.nidentifiers = 1;
    assert_int_equal(emb_screen(&r, ls, &v, &o), EMB_OK);
    assert_true(emb_results_count(r) >= 1);
    assert_string_equal(emb_results_get(r, 0)->entity->id, "uk-90104");
    emb_results_free(r);
    emb_lists_free(ls);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_person_dprk),
        cmocka_unit_test(test_numbered_and_precision),
        cmocka_unit_test(test_entities_and_ships),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_public_api),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
