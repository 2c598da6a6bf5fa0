/*
 * test_load_eu.c - the EU Financial Sanctions Files XML loader against the
 * small fictitious fixture in tests/data/lists/eu/ (see its README) and the
 * malformed files beside it.
 *
 * Checks detection through emb_load_buffer, counts, every field the loader
 * reads (names and their kinds after translation deduplication, dates with
 * their precision, identifiers, nationalities, programmes), failures with
 * their positions and the model left unchanged, and one screening through
 * the public API.
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

#define DIR "tests/data/lists/eu/"
#define FIXTURE DIR "eu_fsf.xml"

static int load_str(emb_model *m, const char *xml)
{
    return emb_load_buffer(m, "inline.xml", xml, strlen(xml));
}

/* Load a malformed file: it must fail with code, the message must contain
 * `where`, and the model must be unchanged. */
static void expect_fail(const char *path, int code, const char *where)
{
    emb_model m;
    emb_model_init(&m);
    int rc = load_path(&m, path);
    assert_int_equal(rc, code);
    const char *msg = emb_err_last();
    if (!strstr(msg, where))
        fail_msg("message \"%s\" lacks \"%s\"", msg, where);
    assert_int_equal(m.nlists, 0);
    assert_int_equal(m.nentities, 0);
    emb_model_dispose(&m);
}

static void test_detect(void **state)
{
    (void)state;
    size_t len;
    char *buf = slurp(FIXTURE, &len);
    assert_true(emb_loader_eu_xml.detect(buf, len));
    assert_false(emb_loader_uk.detect(buf, len));
    free(buf);
    /* the namespace alone is enough for an empty export */
    const char *empty = "<?xml version=\"1.0\"?>\n<export xmlns=\"http://eu.europa.ec/fpi/fsd/"
                        "export\" generationDate=\"2026-01-01T10:00:00\"/>";
    assert_true(emb_loader_eu_xml.detect(empty, strlen(empty)));
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_str(&m, empty), EMB_OK);
    assert_int_equal(m.nlists, 1);
    assert_int_equal(m.nentities, 0);
    assert_string_equal(m.lists[0].date, "2026-01-01");
    emb_model_dispose(&m);
    /* other roots, and an export of something else, are not EU lists */
    const char *other[] = {"<exports><sanctionEntity/></exports>", "<export><item/></export>",
                           "<CONSOLIDATED_LIST/>", "{\"error\": 500}", "<p:export"};
    for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
        assert_false(emb_loader_eu_xml.detect(other[i], strlen(other[i])));
    const char *pref = "<f:export xmlns:f=\"x\"><f:sanctionEntity/></f:export>";
    assert_true(emb_loader_eu_xml.detect(pref, strlen(pref)));
}

static void test_counts(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_path(&m, FIXTURE), EMB_OK);
    assert_int_equal(m.nlists, 1);
    const emb_list_info *li = &m.lists[0];
    assert_string_equal(li->id, "eu");
    assert_string_equal(li->format, "eu-xml");
    assert_string_equal(li->date, "2026-04-02");
    assert_int_equal(li->nentities, 6);
    assert_int_equal(m.nentities, 6);
    assert_int_equal(li->nby_schema[EMB_SCHEMA_PERSON], 4);
    assert_int_equal(li->nby_schema[EMB_SCHEMA_ORGANIZATION], 2);
    for (size_t i = 0; i < m.nentities; i++) {
        assert_string_equal(m.entities[i].list, "eu");
        assert_int_equal(m.entities[i].names[0].kind, EMB_NAME_PRIMARY);
    }
    emb_model_dispose(&m);
}

static void test_person_dprk(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_path(&m, FIXTURE), EMB_OK);
    const emb_entity *e = by_id(&m, "eu-90001");
    assert_string_equal(e->reference, "EU.9001.12");
    assert_int_equal(e->schema, EMB_SCHEMA_PERSON);
    assert_string_equal(e->regime, "PRK");
    assert_string_equal(e->program, "PRK");
    assert_int_equal(e->nprograms, 1);
    assert_string_equal(e->listed_on, "2017-08-05");
    assert_string_equal(e->gender, "male");
    /* the FR translation of the same name is dropped */
    assert_int_equal(e->nnames, 3);
    assert_string_equal(e->names[0].full, "Ri Chol Man");
    assert_int_equal(e->names[0].nparts, 2);
    assert_string_equal(e->names[0].parts[0], "Chol Man");
    assert_string_equal(e->names[0].parts[1], "Ri");
    assert_int_equal(need_name(e, "Ri Chol-man")->kind, EMB_NAME_ALIAS);
    assert_int_equal(need_name(e, "Comrade Ri")->kind, EMB_NAME_WEAK);
    assert_int_equal(e->nbirth_dates, 1);
    assert_int_equal(e->birth_dates[0].prec, EMB_DATE_DAY);
    assert_int_equal(e->birth_dates[0].year, 1965);
    assert_int_equal(e->birth_dates[0].month, 4);
    assert_int_equal(e->birth_dates[0].day, 12);
    assert_int_equal(e->nbirth_places, 1);
    assert_string_equal(e->birth_places[0].city, "Pyongyang");
    assert_string_equal(e->birth_places[0].cc, "kp");
    assert_int_equal(e->nnationalities, 1);
    assert_string_equal(e->nationalities[0].cc, "kp");
    const emb_identifier *pp = need_id(e, "745120345");
    assert_int_equal(pp->kind, EMB_ID_PASSPORT);
    assert_string_equal(pp->type, "National passport");
    assert_string_equal(pp->cc, "kp");
    const emb_identifier *un = need_id(e, "KPI990");
    assert_string_equal(un->type, "UN reference");
    assert_string_equal(un->number, "KPi.990");
    assert_non_null(strstr(e->remarks, "procurement network"));
    assert_int_equal(e->ndesignations, 1);
    assert_string_equal(e->designations[0], "Director, Ryongbong Trading");
    emb_model_dispose(&m);
}

static void test_year_circa_and_month(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_path(&m, FIXTURE), EMB_OK);
    const emb_entity *e = by_id(&m, "eu-90002");
    assert_int_equal(e->nbirth_dates, 1);
    assert_int_equal(e->birth_dates[0].prec, EMB_DATE_APPROX);
    assert_int_equal(e->birth_dates[0].year, 1971);
    assert_int_equal(e->birth_dates[0].month, 0);
    assert_string_equal(e->birth_dates[0].raw, "circa 1971");
    assert_string_equal(e->birth_places[0].state, "Kandahar Province");
    assert_string_equal(e->birth_places[0].cc, "af");
    /* countryIso2Code "00" UNKNOWN is no nationality */
    assert_int_equal(e->nnationalities, 0);
    assert_int_equal(e->ntitles, 1);
    assert_string_equal(e->titles[0], "Mullah");
    assert_int_equal(need_name(e, "Abdurrahman Fiktivi")->kind, EMB_NAME_ALIAS);

    e = by_id(&m, "eu-90005");
    assert_int_equal(e->nbirth_dates, 2);
    assert_int_equal(e->birth_dates[0].prec, EMB_DATE_MONTH);
    assert_int_equal(e->birth_dates[0].year, 1968);
    assert_int_equal(e->birth_dates[0].month, 9);
    assert_int_equal(e->birth_dates[1].prec, EMB_DATE_DAY);
    assert_string_equal(e->gender, "female");
    assert_string_equal(e->nationalities[0].cc, "ir");
    assert_int_equal(need_id(e, "00791122334")->kind, EMB_ID_NATIONAL);

    e = by_id(&m, "eu-90006");
    assert_int_equal(e->birth_dates[0].prec, EMB_DATE_YEAR);
    assert_int_equal(e->birth_dates[0].year, 1959);
    emb_model_dispose(&m);
}

static void test_entities_and_primary(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_path(&m, FIXTURE), EMB_OK);
    const emb_entity *e = by_id(&m, "eu-90003");
    assert_int_equal(e->schema, EMB_SCHEMA_ORGANIZATION);
    assert_string_equal(e->names[0].full, "Northern Star Trading Corporation");
    assert_int_equal(e->nnames, 3);
    assert_int_equal(need_name(e, "NSTC")->kind, EMB_NAME_ALIAS);
    assert_int_equal(e->naddresses, 1);
    assert_string_equal(e->addresses[0].city, "Pyongyang");
    assert_string_equal(e->addresses[0].cc, "kp");
    assert_int_equal(need_id(e, "RN440021")->kind, EMB_ID_REGISTRATION);
    assert_int_equal(need_id(e, "KPE990")->kind, EMB_ID_OTHER);

    e = by_id(&m, "eu-90004");
    assert_int_equal(e->nprograms, 1);            /* two regulations, one programme */
    assert_string_equal(e->listed_on, "2022-04-08");   /* the earlier one */
    assert_int_equal(e->nnames, 2);
    assert_string_equal(e->names[1].full, "АО Волга Фиктив Машинери");
    assert_string_equal(e->addresses[0].zip, "443001");
    assert_string_equal(e->addresses[0].cc, "ru");

    /* the first nameAlias is weak: the first strong one is primary, and the
     * record without euReferenceNumber uses its logicalId */
    e = by_id(&m, "eu-90006");
    assert_string_equal(e->reference, "90006");
    assert_string_equal(e->names[0].full, "Vasily Ivanovich Primerov");
    assert_int_equal(e->names[0].nparts, 3);
    assert_int_equal(need_name(e, "Vasya Primerov")->kind, EMB_NAME_WEAK);
    assert_int_equal(need_name(e, "Василий Иванович Примеров")->kind, EMB_NAME_ALIAS);
    emb_model_dispose(&m);
}

static void test_errors(void **state)
{
    (void)state;
    expect_fail(DIR "eu_bad_xml.xml", EMB_EPARSE, "eu_bad_xml.xml:6:");
    expect_fail(DIR "eu_no_id.xml", EMB_EPARSE, "eu_no_id.xml:7: sanctionEntity logicalId (none): "
                                                "missing logicalId");
    expect_fail(DIR "eu_bad_date.xml", EMB_EPARSE, "eu_bad_date.xml:3: sanctionEntity logicalId 3: "
                                                   "birthdate is not YYYY-MM-DD");
    expect_fail(DIR "eu_dup_id.xml", EMB_EPARSE, "logicalId 4 is used by EU.4.4 and EU.5.5");
    expect_fail(DIR "eu_no_name.xml", EMB_EPARSE, "eu_no_name.xml:3: sanctionEntity logicalId 6: "
                                                  "no name");

    emb_model m;
    emb_model_init(&m);
    /* DOCTYPE, entities, bad UTF-8, truncation, wrong root through the loader */
    const char *bad[] = {
        "<?xml version=\"1.0\"?><!DOCTYPE export [<!ENTITY x \"y\">]><export><sanctionEntity "
        "logicalId=\"1\"><nameAlias wholeName=\"&x;\"/></sanctionEntity></export>",
        "<export><sanctionEntity logicalId=\"1\"><nameAlias wholeName=\"A\xff\"/>",
        "<export><sanctionEntity logicalId=\"1\"><nameAlias wholeName=\"Cut\"/>",
        "<export><sanctionEntity logicalId=\"1 2\"><nameAlias wholeName=\"A\"/>"
        "</sanctionEntity></export>",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_true(emb_loader_eu_xml.load(&m, "bad.xml", bad[i], strlen(bad[i])) < 0);
        assert_non_null(strstr(emb_err_last(), "bad.xml:"));
        assert_int_equal(m.nlists, 0);
        assert_int_equal(m.nentities, 0);
    }
    const char *root = "<CONSOLIDATED_LIST/>";
    assert_int_equal(emb_loader_eu_xml.load(&m, "r.xml", root, strlen(root)), EMB_EPARSE);
    assert_non_null(strstr(emb_err_last(), "root element is not export"));
    emb_model_dispose(&m);
}

static void test_caps(void **state)
{
    (void)state;
    /* an attribute longer than 64 KiB */
    size_t n = 70 * 1024;
    char *big = malloc(n + 200);
    assert_non_null(big);
    int k = snprintf(big, 200, "<export><sanctionEntity logicalId=\"1\"><nameAlias wholeName=\"");
    memset(big + k, 'a', n);
    strcpy(big + k + n, "\"/></sanctionEntity></export>");
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_str(&m, big), EMB_ETOOBIG);
    assert_non_null(strstr(emb_err_last(), "longer than 64 KiB"));
    assert_int_equal(m.nentities, 0);
    emb_model_dispose(&m);
    free(big);
}

static void test_public_api(void **state)
{
    (void)state;
    emb_source src = {FIXTURE, NULL, 0};
    emb_lists *ls = NULL;
    assert_int_equal(emb_lists_open(&ls, &src, 1), EMB_OK);
    assert_int_equal(emb_lists_entity_count(ls), 6);
    assert_non_null(emb_lists_find(ls, "EU.9003.41"));
    const char *names[] = {"Northern Star Trading Corporation"};
    emb_query q = EMB_QUERY_INIT;
    q.names = names;
    q.nnames = 1;
    emb_screen_opts o = EMB_SCREEN_OPTS_INIT;
    emb_results *r = NULL;
    assert_int_equal(emb_screen(&r, ls, &q, &o), EMB_OK);
    assert_true(emb_results_count(r) >= 1);
    const emb_match *mt = emb_results_get(r, 0);
    assert_string_equal(mt->entity->reference, "EU.9003.41");
    assert_true(mt->match);
    emb_results_free(r);

    const char *pn[] = {"Ri Chol Man"};
    q.names = pn;
    q.schema = EMB_Q_PERSON;
    assert_int_equal(emb_screen(&r, ls, &q, &o), EMB_OK);
    assert_true(emb_results_count(r) >= 1);
    assert_string_equal(emb_results_get(r, 0)->entity->id, "eu-90001");
    emb_results_free(r);
    emb_lists_free(ls);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_person_dprk),
        cmocka_unit_test(test_year_circa_and_month),
        cmocka_unit_test(test_entities_and_primary),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_public_api),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
