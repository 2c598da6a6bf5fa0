/*
 * test_load_ftm.c - the OpenSanctions FollowTheMoney JSON-lines loader
 * against the real sample data/lists/opensanctions/entities.ftm.json (91
 * lines, 17 screenable: Person 6, Company 11) and inline fixtures: a vessel
 * with valid and failing IMO numbers, weak aliases, birth-date precisions,
 * linked Sanction / Identification / Address records, and error lines
 * (negative code, "label:line N: ...", model unchanged).
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

#define SAMPLE "data/lists/opensanctions/entities.ftm.json"

static int load_str(emb_model *m, const char *s)
{
    return emb_load_buffer(m, "inline.json", s, strlen(s));
}

static bool has_program(const emb_entity *e, const char *p)
{
    for (size_t i = 0; i < e->nprograms; i++)
        if (strcmp(e->programs[i], p) == 0)
            return true;
    return false;
}

static const char fixture[] =
    "{\"id\": \"v1\", \"schema\": \"Vessel\", \"caption\": \"OCEAN STAR\", \"properties\": "
    "{\"name\": [\"OCEAN STAR\"], \"previousName\": [\"SEA STAR\"], \"imoNumber\": [\"IMO 9074729\"],"
    " \"mmsi\": [\"352001234\"], \"callSign\": [\"3EQX7\"], \"flag\": [\"pa\"],"
    " \"type\": [\"Crude Oil Tanker\"], \"owner\": [\"o1\"], \"tonnage\": [\"5000\"]},"
    " \"last_change\": \"2025-01-02T03:04:05\"}\n"
    "\r\n"
    "{\"id\": \"v2\", \"schema\": \"Vessel\", \"properties\": {\"name\": [\"BAD CHECK\"],"
    " \"imoNumber\": [\"9074728\"]}}\r\n"
    "{\"id\": \"p1\", \"schema\": \"Person\", \"properties\": {\"name\": [\"Jane Roe\", \"Jane A. Roe\"],"
    " \"alias\": [\"J. Roe\", \"Jane Roe\"], \"weakAlias\": [\"Janie\"],"
    " \"birthDate\": [\"1962\", \"1962-05\", \"1962-05-01\", \"1962-13\", \"1963-02-29\"],"
    " \"nationality\": [\"kp\"], \"citizenship\": [\"Russia\"], \"gender\": [\"female\"],"
    " \"passportNumber\": [\"AB 123456\"], \"birthPlace\": [\"Pyongyang\"],"
    " \"addressEntity\": [\"a1\"], \"topics\": [\"sanction\"]}, \"datasets\": [\"x\"],"
    " \"last_change\": \"2026-03-01T00:00:00\"}\n"
    "{\"id\": \"s1\", \"schema\": \"Sanction\", \"properties\": {\"entity\": [\"p1\", \"v1\"],"
    " \"programId\": [\"UN-SC1718\"], \"listingDate\": [\"2017-08-05\"], \"authority\": [\"UN\"]}}\n"
    "{\"id\": \"s2\", \"schema\": \"Sanction\", \"properties\": {\"entity\": [\"p1\"],"
    " \"program\": [\"DPRK3\"], \"listingDate\": [\"2016-07-06\"]}}\n"
    "{\"id\": \"i1\", \"schema\": \"Identification\", \"properties\": {\"holder\": [\"p1\"],"
    " \"number\": [\"998877\"], \"country\": [\"kp\"]}}\n"
    "{\"id\": \"a1\", \"schema\": \"Address\", \"properties\": {\"full\": [\"1 Main St, Pyongyang\"],"
    " \"city\": [\"Pyongyang\"], \"country\": [\"kp\"]}}\n"
    "{\"id\": \"o1\", \"schema\": \"Company\", \"properties\": {\"name\": [\"OCEAN LINE SA\"],"
    " \"imoNumber\": [\"5342883\"], \"jurisdiction\": [\"pa\"]}}\n"
    "{\"id\": \"x1\", \"schema\": \"Ownership\", \"properties\": {\"owner\": [\"o1\"], \"asset\": [\"v1\"]}}\n";

/* ---- the real sample ------------------------------------------------------- */

static void test_real_counts(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_path(&m, SAMPLE), EMB_OK);
    assert_int_equal(m.nlists, 1);
    const emb_list_info *li = &m.lists[0];
    assert_string_equal(li->id, "opensanctions");
    assert_string_equal(li->format, "ftm-jsonl");
    assert_non_null(li->date);
    assert_int_equal(strncmp(li->date, "2026-", 5), 0);
    assert_int_equal(li->nentities, 17);
    assert_int_equal(m.nentities, 17);
    assert_int_equal(li->nby_schema[EMB_SCHEMA_PERSON], 6);
    assert_int_equal(li->nby_schema[EMB_SCHEMA_ORGANIZATION], 11);
    for (size_t i = 0; i < m.nentities; i++) {
        assert_int_equal(m.entities[i].names[0].kind, EMB_NAME_PRIMARY);
        assert_string_equal(m.entities[i].id, m.entities[i].reference);
    }
    emb_model_dispose(&m);
}

static void test_real_fields(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_path(&m, SAMPLE), EMB_OK);
    const emb_entity *e = by_id(&m, "NK-aU5ybkbRFJucf8YMwsJvDw");
    assert_int_equal(e->schema, EMB_SCHEMA_PERSON);
    assert_string_equal(e->names[0].full, "Aleksandr Vyacheslavovich Zakharov");
    assert_non_null(find_name(e, "Alexander Vyacheslavovich ZAKHAROV"));
    assert_string_equal(e->gender, "male");
    assert_int_equal(e->nbirth_dates, 1);
    assert_int_equal(e->birth_dates[0].prec, EMB_DATE_DAY);
    assert_int_equal(e->birth_dates[0].year, 1965);
    assert_int_equal(e->birth_dates[0].month, 9);
    assert_int_equal(e->birth_dates[0].day, 21);
    assert_true(has_program(e, "EU-UKR") && has_program(e, "SECO-UKRAINE"));
    assert_string_equal(e->listed_on, "2023-07-01");   /* earliest listing or start date */
    assert_true(e->naddresses >= 1);
    assert_string_equal(e->nationalities[0].cc, "ru");

    e = by_id(&m, "NK-abdzbEBkqyT29GyREbiURZ");
    assert_int_equal(e->schema, EMB_SCHEMA_ORGANIZATION);
    const emb_name *n = find_name(e, "TsST LLC");
    assert_non_null(n);
    assert_int_equal(n->kind, EMB_NAME_WEAK);
    const emb_identifier *id = find_id(e, "1101841007938");   /* OGRN */
    assert_non_null(id);
    assert_int_equal(id->kind, EMB_ID_REGISTRATION);
    assert_non_null(find_id(e, "1841015504"));                /* INN */
    assert_true(has_program(e, "UA-WS-UAVS"));
    emb_model_dispose(&m);
}

/* ---- inline fixtures ---------------------------------------------------------- */

static void test_fixture(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    if (load_str(&m, fixture) != EMB_OK)
        fail_msg("%s", emb_err_last());
    assert_int_equal(m.nentities, 4);
    assert_string_equal(m.lists[0].date, "2026-03-01T00:00:00");
    assert_int_equal(m.lists[0].nby_schema[EMB_SCHEMA_VESSEL], 2);

    const emb_entity *e = by_id(&m, "v1");
    assert_int_equal(e->schema, EMB_SCHEMA_VESSEL);
    assert_int_equal(find_name(e, "SEA STAR")->kind, EMB_NAME_FORMER);
    const emb_identifier *id = find_id(e, "9074729");
    assert_non_null(id);
    assert_int_equal(id->kind, EMB_ID_IMO);
    assert_int_equal(find_id(e, "352001234")->kind, EMB_ID_MMSI);
    assert_string_equal(e->call_sign, "3EQX7");
    assert_string_equal(e->flag, "pa");
    assert_string_equal(e->flag_cc, "pa");
    assert_string_equal(e->vessel_type, "Crude Oil Tanker");
    assert_string_equal(e->owner, "o1");
    assert_string_equal(e->tonnage, "5000");
    assert_string_equal(e->listed_on, "2017-08-05");
    assert_true(has_program(e, "UN-SC1718"));

    e = by_id(&m, "v2");
    assert_int_equal(e->nidentifiers, 1);
    assert_int_equal(e->identifiers[0].kind, EMB_ID_OTHER);   /* fails the check: kept */

    e = by_id(&m, "p1");
    assert_string_equal(e->names[0].full, "Jane Roe");
    assert_int_equal(find_name(e, "Jane A. Roe")->kind, EMB_NAME_ALIAS);
    assert_int_equal(find_name(e, "Janie")->kind, EMB_NAME_WEAK);
    assert_int_equal(e->nnames, 4);   /* "Jane Roe" once */
    assert_int_equal(e->nbirth_dates, 3);
    assert_int_equal(e->birth_dates[0].prec, EMB_DATE_YEAR);
    assert_int_equal(e->birth_dates[0].month, 0);
    assert_int_equal(e->birth_dates[1].prec, EMB_DATE_MONTH);
    assert_int_equal(e->birth_dates[1].month, 5);
    assert_int_equal(e->birth_dates[2].prec, EMB_DATE_DAY);
    assert_int_equal(e->birth_dates[2].day, 1);
    assert_string_equal(e->gender, "female");
    assert_int_equal(e->nnationalities, 2);
    assert_string_equal(e->nationalities[0].cc, "kp");
    assert_string_equal(e->nationalities[1].cc, "ru");
    assert_int_equal(find_id(e, "AB123456")->kind, EMB_ID_PASSPORT);
    id = find_id(e, "998877");                                /* from Identification */
    assert_non_null(id);
    assert_int_equal(id->kind, EMB_ID_NATIONAL);
    assert_string_equal(id->cc, "kp");
    assert_int_equal(e->naddresses, 1);
    assert_string_equal(e->addresses[0].city, "Pyongyang");
    assert_string_equal(e->addresses[0].cc, "kp");
    assert_true(has_program(e, "UN-SC1718") && has_program(e, "DPRK3"));
    assert_string_equal(e->listed_on, "2016-07-06");          /* the earliest */
    assert_string_equal(e->birth_places[0].city, "Pyongyang");

    e = by_id(&m, "o1");
    assert_int_equal(e->schema, EMB_SCHEMA_ORGANIZATION);
    assert_int_equal(find_id(e, "5342883")->kind, EMB_ID_IMO_COMPANY);
    emb_model_dispose(&m);
}

static void test_detect(void **state)
{
    (void)state;
    assert_int_equal(emb_loader_ftm.detect(fixture, strlen(fixture)), 1);
    const char *blank_first = "\n  \n{\"schema\":\"Person\",\"properties\":{}}\n{";
    assert_int_equal(emb_loader_ftm.detect(blank_first, strlen(blank_first)), 1);
    const char *no_props = "{\"schema\":\"Person\"}\n";
    assert_int_equal(emb_loader_ftm.detect(no_props, strlen(no_props)), 0);
    const char *arr = "[{\"schema\":\"Person\",\"properties\":{}}]\n";
    assert_int_equal(emb_loader_ftm.detect(arr, strlen(arr)), 0);
    const char *xml = "<?xml version=\"1.0\"?><sdnList/>";
    assert_int_equal(emb_loader_ftm.detect(xml, strlen(xml)), 0);
}

static void expect_fail(const char *text, int code, const char *needle)
{
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_str(&m, fixture), EMB_OK);
    size_t nl = m.nlists, ne = m.nentities;
    int rc = load_str(&m, text);
    if (rc != code)
        fail_msg("expected %d, got %d (%s) for: %.200s", code, rc, emb_err_last(), text);
    if (!strstr(emb_err_last(), needle))
        fail_msg("message '%s' lacks '%s'", emb_err_last(), needle);
    assert_int_equal(m.nlists, nl);
    assert_int_equal(m.nentities, ne);
    emb_model_dispose(&m);
}

#define L1 "{\"id\": \"a\", \"schema\": \"Person\", \"properties\": {\"name\": [\"A\"]}}\n"

static void test_errors(void **state)
{
    (void)state;
    expect_fail(L1 "\n{\"id\": \"b\", \"schema\": \"Person\", \"properties\": {\"name\": [\"B\"]}\n",
                EMB_EPARSE, "inline.json:line 3: invalid JSON at byte");
    expect_fail(L1 "{\"id\": \"b\", \"schema\": \"Person\", \"properties\": {\"name\": \"B\"}}\n",
                EMB_EPARSE, "inline.json:line 2: id b: property name: not a list");
    expect_fail(L1 "{\"id\": \"b\", \"schema\": \"Person\", \"properties\": {\"name\": [1]}}\n",
                EMB_EPARSE, "line 2: id b: property name: value 1 is not a string");
    expect_fail(L1 "{\"schema\": \"Person\", \"properties\": {}}\n", EMB_EPARSE,
                "line 2: field id");
    expect_fail(L1 "{\"id\": \"b\", \"properties\": {}}\n", EMB_EPARSE, "line 2: id b: field schema");
    expect_fail(L1 "[1, 2]\n", EMB_EPARSE, "line 2: not a JSON object");
    expect_fail(L1 "{\"id\": \"b\", \"schema\": \"Sanction\", \"properties\": {}} x\n", EMB_EPARSE,
                "line 2: invalid JSON at byte");
    expect_fail(L1 L1, EMB_EPARSE, "entity id a appears on two lines");
    expect_fail(L1 "{\"id\": \"s\", \"schema\": \"Sanction\", \"properties\": {\"entity\": {}}}\n",
                EMB_EPARSE, "line 2: id s: property entity: not a list");

    /* more than 4096 values in one property */
    size_t cap = 64 + 4097 * 4 + 16;
    char *big = malloc(cap);
    assert_non_null(big);
    size_t o = (size_t)snprintf(big, cap, "{\"id\":\"b\",\"schema\":\"Person\",\"properties\":{\"name\":[");
    for (int i = 0; i < 4097; i++)
        o += (size_t)snprintf(big + o, cap - o, "%s\"x\"", i ? "," : "");
    snprintf(big + o, cap - o, "]}}\n");
    expect_fail(big, EMB_ETOOBIG, "more than 4096 values");
    free(big);
}

/* ---- through the public API ------------------------------------------------ */

static const emb_match *screen_first(const emb_lists *ls, emb_qschema schema, const char *name,
                                     const char *ident, emb_results **res)
{
    emb_query q = EMB_QUERY_INIT;
    const char *names[1] = {name};
    const char *ids[1] = {ident};
    q.schema = schema;
    q.names = names;
    q.nnames = name ? 1 : 0;
    q.identifiers = ids;
    q.nidentifiers = ident ? 1 : 0;
    emb_screen_opts o = EMB_SCREEN_OPTS_INIT;
    assert_int_equal(emb_screen(res, ls, &q, &o), EMB_OK);
    assert_true(emb_results_count(*res) >= 1);
    return emb_results_get(*res, 0);
}

static void test_public_api(void **state)
{
    (void)state;
    emb_lists *ls = NULL;
    emb_source src[2] = {{SAMPLE, NULL, 0}, {"fixture.json", fixture, sizeof(fixture) - 1}};
    if (emb_lists_open(&ls, src, 2) != EMB_OK)
        fail_msg("%s", emb_err_last());
    assert_int_equal(emb_lists_entity_count(ls), 21);
    assert_string_equal(emb_lists_list(ls, 1)->id, "opensanctions-2");
    emb_results *r = NULL;
    const emb_match *mt =
        screen_first(ls, EMB_Q_PERSON, "Aleksandr Vyacheslavovich Zakharov", NULL, &r);
    assert_string_equal(mt->entity->reference, "NK-aU5ybkbRFJucf8YMwsJvDw");
    assert_true(mt->match);
    emb_results_free(r);
    mt = screen_first(ls, EMB_Q_ORGANIZATION, "Zala Aero JSC", NULL, &r);
    assert_string_equal(mt->entity->reference, "NK-cPks3aTbes8k4aCerfBAzN");
    emb_results_free(r);
    mt = screen_first(ls, EMB_Q_VESSEL, "Ocean Star", "IMO 9074729", &r);
    assert_string_equal(mt->entity->id, "v1");
    assert_true(mt->match);
    emb_results_free(r);
    emb_lists_free(ls);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_counts), cmocka_unit_test(test_real_fields),
        cmocka_unit_test(test_fixture),     cmocka_unit_test(test_detect),
        cmocka_unit_test(test_errors),      cmocka_unit_test(test_public_api),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
