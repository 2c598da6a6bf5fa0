/*
 * test_load_ofac_xml.c - the OFAC sdnList XML loader against the real
 * consolidated (non-SDN) list of 2026-01-08 (data/lists/ofac/
 * consolidated_xml_2026-01-08/) and small inline documents: a vessel with
 * its vesselInfo and IMO numbers (valid and failing the check digit), the
 * free-text birth dates, and the error paths (negative code, message with
 * the label and a position, model unchanged).
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

#define CONS "data/lists/ofac/consolidated_xml_2026-01-08/ofac.xml"

static int load_str(emb_model *m, const char *xml)
{
    return emb_load_buffer(m, "inline.xml", xml, strlen(xml));
}

static bool has_program(const emb_entity *e, const char *p)
{
    for (size_t i = 0; i < e->nprograms; i++)
        if (strcmp(e->programs[i], p) == 0)
            return true;
    return false;
}

#define HEAD "<?xml version=\"1.0\" standalone=\"yes\"?>\n" \
    "<sdnList xmlns=\"http://tempuri.org/sdnList.xsd\">\n"

static const char vessel_xml[] = HEAD
    "<publshInformation><Publish_Date>05/03/2024</Publish_Date><Record_Count>3</Record_Count>"
    "</publshInformation>\n"
    "<sdnEntry><uid>4243</uid><lastName>EBANO</lastName><sdnType>Vessel</sdnType>\n"
    " <programList><program>CUBA</program></programList>\n"
    " <idList><id><uid>1</uid><idType>Vessel Registration Identification</idType>"
    "<idNumber>IMO 9074729</idNumber></id>\n"
    "  <id><uid>2</uid><idType>MMSI</idType><idNumber>352001234</idNumber></id>\n"
    "  <id><uid>3</uid><idType>Secondary sanctions risk:</idType><idNumber>see EO</idNumber></id>"
    "</idList>\n"
    " <akaList><aka><uid>5</uid><type>f.k.a.</type><category>strong</category>"
    "<lastName>ANA I</lastName></aka>\n"
    "  <aka><uid>6</uid><type>a.k.a.</type><category>weak</category>"
    "<lastName>EBO</lastName></aka></akaList>\n"
    " <vesselInfo><callSign>3EQX7</callSign><vesselType>General Cargo</vesselType>"
    "<vesselFlag>Panama</vesselFlag><vesselOwner>OCEAN LINE SA</vesselOwner>"
    "<grossRegisteredTonnage>1865</grossRegisteredTonnage></vesselInfo>\n"
    "</sdnEntry>\n"
    "<sdnEntry><uid>4244</uid><lastName>BAD CHECK</lastName><sdnType>Vessel</sdnType>\n"
    " <programList><program>DPRK3</program></programList>\n"
    " <idList><id><uid>7</uid><idType>Vessel Registration Identification</idType>"
    "<idNumber>IMO 9074728</idNumber></id></idList>\n"
    " <vesselInfo><vesselFlag>Korea, North</vesselFlag><tonnage>2400</tonnage>"
    "<grossRegisteredTonnage>1865</grossRegisteredTonnage></vesselInfo>\n"
    "</sdnEntry>\n"
    "<sdnEntry><uid>20157</uid><firstName>Jong Un</firstName><lastName>KIM</lastName>"
    "<sdnType>Individual</sdnType>\n"
    " <programList><program>DPRK3</program></programList>\n"
    " <idList><id><uid>8</uid><idType>Passport</idType><idNumber>6-45-12 34</idNumber>"
    "<idCountry>Korea, North</idCountry></id></idList>\n"
    " <dateOfBirthList>"
    "<dateOfBirthItem><uid>9</uid><dateOfBirth>08 Jan 1984</dateOfBirth></dateOfBirthItem>"
    "<dateOfBirthItem><uid>10</uid><dateOfBirth>circa 1983</dateOfBirth></dateOfBirthItem>"
    "<dateOfBirthItem><uid>11</uid><dateOfBirth>1982 to 1984</dateOfBirth></dateOfBirthItem>"
    "<dateOfBirthItem><uid>12</uid><dateOfBirth>Jan 1984</dateOfBirth></dateOfBirthItem>"
    "<dateOfBirthItem><uid>13</uid><dateOfBirth>1984</dateOfBirth></dateOfBirthItem>"
    "<dateOfBirthItem><uid>14</uid><dateOfBirth>31 Feb 1984</dateOfBirth></dateOfBirthItem>"
    "</dateOfBirthList>\n"
    " <citizenshipList><citizenship><uid>15</uid><country>Korea, North</country>"
    "</citizenship></citizenshipList>\n"
    " <placeOfBirthList><placeOfBirthItem><uid>16</uid><placeOfBirth>Pyongyang, Korea, North"
    "</placeOfBirth></placeOfBirthItem></placeOfBirthList>\n"
    "</sdnEntry>\n"
    "</sdnList>\n";

/* ---- the real consolidated list ---------------------------------------- */

static void test_real_counts(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_path(&m, CONS), EMB_OK);
    assert_int_equal(m.nlists, 1);
    const emb_list_info *li = &m.lists[0];
    assert_string_equal(li->id, "ofac-cons");
    assert_string_equal(li->format, "ofac-xml");
    assert_string_equal(li->date, "2026-01-08");
    assert_int_equal(li->nentities, 442);
    assert_int_equal(m.nentities, 442);
    assert_int_equal(li->nby_schema[EMB_SCHEMA_PERSON], 79);
    assert_int_equal(li->nby_schema[EMB_SCHEMA_ORGANIZATION], 363);
    assert_int_equal(li->nby_schema[EMB_SCHEMA_VESSEL], 0);
    size_t weak = 0, former = 0;
    for (size_t i = 0; i < m.nentities; i++) {
        const emb_entity *e = &m.entities[i];
        assert_int_equal(e->names[0].kind, EMB_NAME_PRIMARY);
        assert_true(e->nprograms >= 1);
        assert_string_equal(e->list, "ofac-cons");
        for (size_t k = 0; k < e->nnames; k++) {
            weak += e->names[k].kind == EMB_NAME_WEAK;
            former += e->names[k].kind == EMB_NAME_FORMER;
        }
    }
    assert_true(weak >= 60 && weak <= 72);     /* 72 weak a.k.a.s, some repeat a name */
    assert_true(former >= 100 && former <= 144);
    emb_model_dispose(&m);
}

static void test_real_fields(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_path(&m, CONS), EMB_OK);

    const emb_entity *e = by_ref(&m, "9639");
    assert_string_equal(e->id, "ofac-cons-9639");
    assert_int_equal(e->schema, EMB_SCHEMA_PERSON);
    assert_string_equal(e->names[0].full, "Ismail Abdul Salah HANIYA");
    assert_int_equal(e->names[0].nparts, 2);
    assert_string_equal(e->names[0].parts[1], "HANIYA");
    assert_non_null(find_name(e, "Ismaeel HANIYYA"));
    assert_string_equal(e->program, "NS-PLC");
    assert_int_equal(e->nbirth_dates, 1);
    assert_int_equal(e->birth_dates[0].prec, EMB_DATE_YEAR);
    assert_int_equal(e->birth_dates[0].year, 1962);
    assert_int_equal(e->nbirth_places, 1);
    assert_string_equal(e->birth_places[0].city, "Shati");

    e = by_ref(&m, "17013");
    assert_int_equal(e->schema, EMB_SCHEMA_ORGANIZATION);
    assert_string_equal(e->names[0].full, "VTB BANK PUBLIC JOINT STOCK COMPANY");
    assert_true(has_program(e, "UKRAINE-EO13662") && has_program(e, "RUSSIA-EO14024"));
    const emb_identifier *id = find_id(e, "1027739609391");
    assert_non_null(id);
    assert_int_equal(id->kind, EMB_ID_REGISTRATION);
    assert_string_equal(id->cc, "ru");
    assert_non_null(find_id(e, "VTBRRUMM"));         /* SWIFT/BIC kept */
    assert_null(find_id(e, "WWWVTBCOM"));            /* a website is not an identifier */
    for (size_t i = 0; i < e->nidentifiers; i++)
        assert_true(strstr(e->identifiers[i].type, "Secondary") == NULL);
    assert_true(e->naddresses >= 1);
    assert_non_null(e->remarks);

    e = by_ref(&m, "9647");
    assert_string_equal(e->gender, "male");
    const emb_name *n = find_name(e, "ZAHAR, Mahmoud");
    assert_non_null(n);
    assert_int_equal(n->kind, EMB_NAME_WEAK);
    assert_int_equal(e->nnationalities, 1);
    assert_string_equal(e->nationalities[0].name, "Palestinian");

    e = by_ref(&m, "50476");
    id = find_id(e, "0032768386");
    assert_non_null(id);
    assert_int_equal(id->kind, EMB_ID_NATIONAL);
    assert_string_equal(id->cc, "ht");
    emb_model_dispose(&m);
}

/* ---- inline fixtures ------------------------------------------------------ */

static void test_vessel(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_str(&m, vessel_xml), EMB_OK);
    assert_string_equal(m.lists[0].id, "ofac");   /* no non-SDN markers: the SDN list */
    assert_string_equal(m.lists[0].date, "2024-05-03");
    assert_int_equal(m.lists[0].nby_schema[EMB_SCHEMA_VESSEL], 2);
    const emb_entity *e = by_ref(&m, "4243");
    assert_string_equal(e->id, "ofac-4243");
    assert_int_equal(e->schema, EMB_SCHEMA_VESSEL);
    assert_string_equal(e->call_sign, "3EQX7");
    assert_string_equal(e->vessel_type, "General Cargo");
    assert_string_equal(e->flag, "Panama");
    assert_string_equal(e->flag_cc, "pa");
    assert_string_equal(e->owner, "OCEAN LINE SA");
    assert_string_equal(e->tonnage, "1865");
    const emb_identifier *id = find_id(e, "9074729");
    assert_non_null(id);
    assert_int_equal(id->kind, EMB_ID_IMO);
    id = find_id(e, "352001234");
    assert_non_null(id);
    assert_int_equal(id->kind, EMB_ID_MMSI);
    assert_int_equal(e->nidentifiers, 2);
    assert_int_equal(find_name(e, "ANA I")->kind, EMB_NAME_FORMER);
    assert_int_equal(find_name(e, "EBO")->kind, EMB_NAME_WEAK);

    e = by_ref(&m, "4244");
    assert_int_equal(e->nidentifiers, 1);
    assert_int_equal(e->identifiers[0].kind, EMB_ID_OTHER);   /* check digit fails: kept */
    assert_string_equal(e->identifiers[0].number, "IMO 9074728");
    assert_string_equal(e->tonnage, "2400");
    assert_string_equal(e->flag_cc, "kp");
    emb_model_dispose(&m);
}

static void test_birth_dates(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_str(&m, vessel_xml), EMB_OK);
    const emb_entity *e = by_ref(&m, "20157");
    assert_string_equal(e->names[0].full, "Jong Un KIM");
    assert_int_equal(e->nbirth_dates, 5);    /* "31 Feb 1984" is not a date */
    const emb_date *d = e->birth_dates;
    assert_int_equal(d[0].prec, EMB_DATE_DAY);
    assert_int_equal(d[0].year, 1984);
    assert_int_equal(d[0].month, 1);
    assert_int_equal(d[0].day, 8);
    assert_int_equal(d[1].prec, EMB_DATE_APPROX);
    assert_int_equal(d[1].year, 1983);
    assert_int_equal(d[2].prec, EMB_DATE_RANGE);
    assert_int_equal(d[2].year, 1982);
    assert_int_equal(d[2].year_to, 1984);
    assert_int_equal(d[3].prec, EMB_DATE_MONTH);
    assert_int_equal(d[3].month, 1);
    assert_int_equal(d[4].prec, EMB_DATE_YEAR);
    assert_int_equal(d[4].month, 0);
    const emb_identifier *id = find_id(e, "6451234");
    assert_non_null(id);
    assert_int_equal(id->kind, EMB_ID_PASSPORT);
    assert_string_equal(id->cc, "kp");
    assert_string_equal(e->nationalities[0].cc, "kp");
    assert_string_equal(e->birth_places[0].cc, "kp");
    assert_string_equal(e->birth_places[0].city, "Pyongyang");
    assert_string_equal(e->birth_places[0].country, "Korea, North");
    emb_model_dispose(&m);
}

static void test_detect(void **state)
{
    (void)state;
    const char *ns = "<?xml version=\"1.0\"?>\n<!-- c -->\n<x:sdnList xmlns:x=\"u\"></x:sdnList>";
    assert_int_equal(emb_loader_ofac_xml.detect(ns, strlen(ns)), 1);
    assert_int_equal(emb_loader_ofac_xml.detect(vessel_xml, strlen(vessel_xml)), 1);
    const char *un = "<?xml version=\"1.0\"?><CONSOLIDATED_LIST/>";
    assert_int_equal(emb_loader_ofac_xml.detect(un, strlen(un)), 0);
    const char *other = "<sdnListX/>";
    assert_int_equal(emb_loader_ofac_xml.detect(other, strlen(other)), 0);
    assert_int_equal(emb_loader_ofac_xml.detect("<sdnList", 8), 0);
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(emb_load_buffer(&m, "ns.xml", ns, strlen(ns)), EMB_OK);
    assert_int_equal(m.nentities, 0);
    emb_model_dispose(&m);
}

/* A failed load leaves the model as it was, and says where. */
static void expect_fail(const char *xml, int code, const char *needle)
{
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_str(&m, vessel_xml), EMB_OK);
    size_t nl = m.nlists, ne = m.nentities;
    int rc = load_str(&m, xml);
    if (rc != code)
        fail_msg("expected %d, got %d (%s) for: %s", code, rc, emb_err_last(), xml);
    if (!strstr(emb_err_last(), needle) || strncmp(emb_err_last(), "inline.xml:", 11) != 0)
        fail_msg("message '%s' lacks '%s'", emb_err_last(), needle);
    assert_int_equal(m.nlists, nl);
    assert_int_equal(m.nentities, ne);
    emb_model_dispose(&m);
}

static void test_errors(void **state)
{
    (void)state;
    expect_fail(HEAD "<sdnEntry><uid>1</uid><lastName>A</lastName></sdnEntry>\n<sdnEntry>",
                EMB_EPARSE, "inline.xml:");
    expect_fail(HEAD "<sdnEntry><uid>1</uid><lastName>A</lastName></sdnEntry></sdnList>\n<x/>",
                EMB_EPARSE, ":");
    expect_fail(HEAD "<publshInformation><Record_Count>2</Record_Count></publshInformation>"
                     "<sdnEntry><uid>1</uid><lastName>A</lastName></sdnEntry></sdnList>",
                EMB_EPARSE, "Record_Count says 2");
    expect_fail(HEAD "<sdnEntry><uid>1</uid><lastName>A</lastName></sdnEntry>"
                     "<sdnEntry><uid>1</uid><lastName>B</lastName></sdnEntry></sdnList>",
                EMB_EPARSE, "uid 1 is used by two");
    expect_fail(HEAD "<sdnEntry><lastName>A</lastName></sdnEntry></sdnList>", EMB_EPARSE,
                "missing uid");
    expect_fail(HEAD "<sdnEntry><uid>7</uid><sdnType>Entity</sdnType></sdnEntry></sdnList>",
                EMB_EPARSE, "uid 7: no name");
    expect_fail(HEAD "<sdnEntry><uid>7</uid><lastName>A</lastName><sdnType>Robot</sdnType>"
                     "</sdnEntry></sdnList>", EMB_EPARSE, "unknown sdnType");
    expect_fail("<?xml version=\"1.0\"?><!DOCTYPE sdnList SYSTEM \"sdn.dtd\">"
                "<sdnList><sdnEntry><uid>1</uid><lastName>A</lastName></sdnEntry></sdnList>",
                EMB_EPARSE, "DOCTYPE");
    /* an internal subset with an entity: refused by the loader itself */
    const char *ent = "<?xml version=\"1.0\"?><!DOCTYPE sdnList [<!ENTITY e \"x\">]>"
                      "<sdnList><sdnEntry><uid>1</uid><lastName>&e;</lastName></sdnEntry>"
                      "</sdnList>";
    emb_model m;
    emb_model_init(&m);
    assert_true(emb_loader_ofac_xml.load(&m, "inline.xml", ent, strlen(ent)) == EMB_EPARSE);
    assert_non_null(strstr(emb_err_last(), "DOCTYPE"));
    assert_int_equal(m.nlists, 0);
    emb_model_dispose(&m);
    expect_fail(HEAD "<sdnEntry><uid>1</uid><lastName>\xC3(</lastName></sdnEntry></sdnList>",
                EMB_EPARSE, "invalid UTF-8");
    expect_fail(HEAD "<sdnEntry><uid>1</uid><lastName>A &bogus; B</lastName></sdnEntry>"
                "</sdnList>", EMB_EPARSE, "inline.xml:");
}

static void test_two_lists(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_str(&m, vessel_xml), EMB_OK);
    assert_int_equal(load_str(&m, vessel_xml), EMB_OK);
    assert_int_equal(m.nlists, 2);
    assert_string_equal(m.lists[1].id, "ofac-2");
    assert_string_equal(m.entities[3].id, "ofac-2-4243");
    assert_int_equal(m.entities[3].list_index, 1);
    emb_model_dispose(&m);
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
    emb_source src[2] = {{CONS, NULL, 0}, {"vessels.xml", vessel_xml, sizeof(vessel_xml) - 1}};
    if (emb_lists_open(&ls, src, 2) != EMB_OK)
        fail_msg("%s", emb_err_last());
    assert_int_equal(emb_lists_count(ls), 2);
    assert_int_equal(emb_lists_entity_count(ls), 445);
    emb_results *r = NULL;
    const emb_match *mt = screen_first(ls, EMB_Q_PERSON, "Ismail Abdul Salah Haniya", NULL, &r);
    assert_string_equal(mt->entity->reference, "9639");
    assert_true(mt->match);
    emb_results_free(r);
    mt = screen_first(ls, EMB_Q_VESSEL, "Ebano", "IMO 9074729", &r);
    assert_string_equal(mt->entity->id, "ofac-4243");
    assert_true(mt->match);
    emb_results_free(r);
    assert_non_null(emb_lists_find(ls, "ofac-cons-17013"));
    emb_lists_free(ls);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_counts),  cmocka_unit_test(test_real_fields),
        cmocka_unit_test(test_vessel),       cmocka_unit_test(test_birth_dates),
        cmocka_unit_test(test_detect),       cmocka_unit_test(test_errors),
        cmocka_unit_test(test_two_lists),    cmocka_unit_test(test_public_api),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
