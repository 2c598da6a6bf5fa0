/*
 * test_load_un.c - the UN Consolidated List loader against the three real
 * list files in data/lists/un/ (2026-05-08, 2026-01-28, 2020-11-30 layouts)
 * and small inline documents for the error paths.
 *
 * Real records are spot-checked field by field so that a change in the
 * loader's reading of names, dates, documents or aliases shows up here, and
 * every malformed input must fail cleanly (negative code, message with the
 * label and a position, model unchanged, nothing leaked under valgrind).
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
#include "load/load.h"
#include "util/buf.h"
#include "util/err.h"

#define PRIMARY "data/lists/un/un_sanctions.xml"
#define JAN2026 "data/lists/un/2026-01-28/un.xml"
#define OLD2020 "data/lists/un/2020-11-30/consolidated.xml"

/* ---- helpers ------------------------------------------------------------- */

static int load_str(emb_model *m, const char *xml)
{
    return emb_load_buffer(m, "inline.xml", xml, strlen(xml));
}

static size_t count_kind(const emb_entity *e, emb_name_kind k)
{
    size_t n = 0;
    for (size_t i = 0; i < e->nnames; i++)
        n += e->names[i].kind == k;
    return n;
}

static void count_regime(const emb_model *m, const char *regime, size_t *persons, size_t *orgs)
{
    *persons = *orgs = 0;
    for (size_t i = 0; i < m->nentities; i++) {
        const emb_entity *e = &m->entities[i];
        if (!e->regime || strcmp(e->regime, regime) != 0)
            continue;
        if (e->schema == EMB_SCHEMA_PERSON)
            (*persons)++;
        else if (e->schema == EMB_SCHEMA_ORGANIZATION)
            (*orgs)++;
    }
}

static void expect_regime(const emb_model *m, const char *regime, size_t persons, size_t orgs)
{
    size_t p, o;
    count_regime(m, regime, &p, &o);
    if (p != persons || o != orgs)
        fail_msg("%s: %zu + %zu, expected %zu + %zu", regime, p, o, persons, orgs);
}

/* Every entity is well formed: primary name first, ids unique, strings clean. */
static void check_invariants(const emb_model *m)
{
    for (size_t i = 0; i < m->nentities; i++) {
        const emb_entity *e = &m->entities[i];
        assert_non_null(e->id);
        assert_non_null(e->reference);
        assert_true(e->nnames >= 1);
        assert_int_equal(e->names[0].kind, EMB_NAME_PRIMARY);
        assert_true(e->names[0].nparts >= 1 && e->names[0].nparts <= 4);
        assert_string_equal(e->caption, e->names[0].full);
        assert_true(e->schema == EMB_SCHEMA_PERSON || e->schema == EMB_SCHEMA_ORGANIZATION);
        assert_non_null(e->program);
        assert_non_null(e->listed_on);
        assert_int_equal(strlen(e->listed_on), 10);
        for (size_t k = 0; k < e->nnames; k++) {
            const char *s = e->names[k].full;
            assert_non_null(s);
            assert_true(s[0] != ' ' && s[strlen(s) - 1] != ' ');
            assert_null(strstr(s, "  "));
            assert_null(strchr(s, '\n'));
            if (k > 0 && strchr(s, ';'))
                fail_msg("%s: name \"%s\" not split", e->reference, s);
            if (k > 0)
                assert_int_not_equal(e->names[k].kind, EMB_NAME_PRIMARY);
        }
        for (size_t k = 0; k < e->nbirth_dates; k++) {
            const emb_date *d = &e->birth_dates[k];
            assert_true(d->prec >= EMB_DATE_DAY && d->prec <= EMB_DATE_APPROX);
            assert_true(d->year >= 1900 && d->year <= 2030);
            assert_non_null(d->raw);
            if (d->prec == EMB_DATE_RANGE)
                assert_true(d->year_to >= d->year);
            if (d->prec != EMB_DATE_DAY)
                assert_int_equal(d->day, 0);
        }
        for (size_t k = 0; k < e->nidentifiers; k++) {
            const emb_identifier *id = &e->identifiers[k];
            assert_non_null(id->number);
            assert_non_null(id->norm);
            for (const char *p = id->norm; *p; p++)
                assert_true((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'));
        }
        if (i > 0)
            assert_string_not_equal(e->id, m->entities[i - 1].id);
    }
}

/* ---- the three real files -------------------------------------------------- */

static void test_primary_counts(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_path(&m, PRIMARY), EMB_OK);
    assert_int_equal(m.nlists, 1);
    const emb_list_info *li = &m.lists[0];
    assert_string_equal(li->id, "un");
    assert_string_equal(li->title, "UN Security Council Consolidated List");
    assert_string_equal(li->format, "un-xml");
    assert_string_equal(li->source, PRIMARY);
    assert_string_equal(li->date, "2026-05-08T23:00:06.922Z");
    assert_int_equal(m.nentities, 1009);
    assert_int_equal(li->nentities, 1009);
    assert_int_equal(li->nby_schema[EMB_SCHEMA_PERSON], 737);
    assert_int_equal(li->nby_schema[EMB_SCHEMA_ORGANIZATION], 272);

    /* LISTS.md, "Records per regime (2026-05-08)" */
    expect_regime(&m, "Al-Qaida", 255, 88);
    expect_regime(&m, "Taliban", 135, 5);
    expect_regime(&m, "DPRK", 80, 75);
    expect_regime(&m, "Iran", 43, 78);
    expect_regime(&m, "Iraq", 65, 10);
    expect_regime(&m, "DRC", 44, 9);
    expect_regime(&m, "Libya", 28, 2);
    expect_regime(&m, "Somalia", 23, 1);
    expect_regime(&m, "CAR", 14, 1);
    expect_regime(&m, "Sudan", 13, 0);
    expect_regime(&m, "GB", 10, 0);
    expect_regime(&m, "Yemen", 10, 1);
    expect_regime(&m, "Haiti", 9, 2);
    expect_regime(&m, "SouthSudan", 8, 0);
    check_invariants(&m);

    /* every entity belongs to the list, ids are "un-<DATAID>" */
    for (size_t i = 0; i < m.nentities; i++) {
        assert_string_equal(m.entities[i].list, "un");
        assert_int_equal(m.entities[i].list_index, 0);
        assert_memory_equal(m.entities[i].id, "un-", 3);
    }
    emb_model_dispose(&m);
}

static void test_primary_records(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_path(&m, PRIMARY), EMB_OK);

    /* KPi.013: Korean name in two parts, exact DOB, DPRK nationality */
    const emb_entity *e = by_ref(&m, "KPi.013");
    assert_string_equal(e->id, "un-6908500");
    assert_int_equal(e->schema, EMB_SCHEMA_PERSON);
    assert_string_equal(e->names[0].full, "CHOE CHUN-SIK");
    assert_int_equal(e->names[0].nparts, 2);
    assert_string_equal(e->names[0].parts[0], "CHOE");
    assert_string_equal(e->names[0].parts[1], "CHUN-SIK");
    assert_string_equal(e->caption, "CHOE CHUN-SIK");
    assert_int_equal(e->nnames, 3);
    assert_int_equal(find_name(e, "Choe Chun Sik")->kind, EMB_NAME_ALIAS);
    assert_non_null(find_name(e, "Ch\xE2\x80\x99oe Ch\xE2\x80\x99un Sik"));   /* U+2019 kept */
    assert_string_equal(e->regime, "DPRK");
    assert_string_equal(e->program, "UN-SC1718");
    assert_string_equal(e->listed_on, "2016-03-02");
    assert_int_equal(e->nbirth_dates, 1);
    assert_int_equal(e->birth_dates[0].prec, EMB_DATE_DAY);
    assert_int_equal(e->birth_dates[0].year, 1954);
    assert_int_equal(e->birth_dates[0].month, 10);
    assert_int_equal(e->birth_dates[0].day, 12);
    assert_string_equal(e->birth_dates[0].raw, "1954-10-12");
    assert_int_equal(e->nnationalities, 1);
    assert_string_equal(e->nationalities[0].name, "Democratic People's Republic of Korea");
    assert_non_null(e->nationalities[0].cc);
    assert_string_equal(e->nationalities[0].cc, "kp");
    assert_int_equal(e->ndesignations, 2);
    assert_string_equal(e->designations[0],
                        "Former Director of the Second Academy of Natural Sciences (SANS)");
    assert_int_equal(e->nupdated_on, 2);
    assert_string_equal(e->updated_on[1], "2023-08-16");
    assert_int_equal(e->naddresses, 1);
    assert_string_equal(e->addresses[0].cc, "kp");
    assert_int_equal(e->nbirth_places, 0);   /* <COUNTRY/> only: no place */
    assert_int_equal(e->nidentifiers, 0);
    assert_null(e->gender);

    /* KPi.064: a Low alias is a weak alias; both apostrophes kept as written */
    e = by_ref(&m, "KPi.064");
    assert_string_equal(e->names[0].full, "CH'OE SO\xE2\x80\x99K MIN");
    assert_int_equal(find_name(e, "Choe Sok Min")->kind, EMB_NAME_WEAK);

    /* KPi.066: BETWEEN 1967 and 1969 */
    e = by_ref(&m, "KPi.066");
    assert_int_equal(e->nbirth_dates, 1);
    assert_int_equal(e->birth_dates[0].prec, EMB_DATE_RANGE);
    assert_int_equal(e->birth_dates[0].year, 1967);
    assert_int_equal(e->birth_dates[0].year_to, 1969);
    assert_int_equal(e->birth_dates[0].month, 0);
    assert_string_equal(e->birth_dates[0].raw, "1967 to 1969");

    /* TAi.004: APPROXIMATELY 1966 plus two exact years, Arabic-script name, title */
    e = by_ref(&m, "TAi.004");
    assert_string_equal(e->names[0].full, "MOHAMMED OMAR GHULAM NABI");
    assert_int_equal(e->names[0].nparts, 3);
    assert_int_equal(e->nbirth_dates, 3);
    assert_int_equal(e->birth_dates[0].prec, EMB_DATE_APPROX);
    assert_int_equal(e->birth_dates[0].year, 1966);
    assert_int_equal(e->birth_dates[0].month, 0);
    assert_string_equal(e->birth_dates[0].raw, "approx. 1966");
    assert_int_equal(e->birth_dates[1].prec, EMB_DATE_YEAR);
    assert_int_equal(e->birth_dates[1].year, 1960);
    assert_string_equal(e->birth_dates[1].raw, "1960");
    assert_int_equal(e->names[1].kind, EMB_NAME_ORIGINAL);
    assert_string_equal(e->names[1].full,
                        "\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF \xD8\xB9\xD9\x85\xD8\xB1 "
                        "\xD8\xBA\xD9\x84\xD8\xA7\xD9\x85 \xD9\x86\xD8\xA8\xDB\x8C");
    assert_int_equal(e->ntitles, 1);
    assert_string_equal(e->titles[0], "Mullah");
    assert_int_equal(e->nbirth_places, 2);
    assert_string_equal(e->birth_places[1].street, "Noori village");
    assert_string_equal(e->birth_places[1].state, "Kandahar Province");
    assert_string_equal(e->birth_places[1].cc, "af");
    assert_string_equal(e->program, "UN-SC1988");
    assert_string_equal(e->gender == NULL ? "none" : e->gender, "none");

    /* IRi.039: one ALIAS_NAME holding eight names joined by "; " */
    e = by_ref(&m, "IRi.039");
    assert_non_null(find_name(e, "Qasim Soleimani"));
    assert_non_null(find_name(e, "Qasem Sulaimani"));
    assert_non_null(find_name(e, "Kasim Sulaymani"));
    assert_string_equal(e->program, "UN-SC1737");

    /* QDi.306: "<Arabic> (Hassan Ghul; Hassan Gul; Hasan Gul)" */
    e = by_ref(&m, "QDi.306");
    assert_non_null(find_name(e, "\xD8\xAD\xD8\xB3\xD9\x86 \xD8\xBA\xD9\x88\xD9\x84"));
    assert_non_null(find_name(e, "Hassan Ghul"));
    assert_non_null(find_name(e, "Hassan Gul"));
    assert_non_null(find_name(e, "Hasan Gul"));

    /* QDi.217: alias-level DOB and place of birth, repeated on each alias */
    e = by_ref(&m, "QDi.217");
    size_t found = 0;
    for (size_t i = 0; i < e->nbirth_dates; i++)
        if (e->birth_dates[i].prec == EMB_DATE_DAY && e->birth_dates[i].year == 1938 &&
            e->birth_dates[i].month == 8 && e->birth_dates[i].day == 17)
            found++;
    assert_int_equal(found, 1);   /* kept once */
    found = 0;
    for (size_t i = 0; i < e->nbirth_places; i++)
        if (e->birth_places[i].city &&
            strcmp(e->birth_places[i].city, "Jombang, East Java") == 0)
            found++;
    assert_int_equal(found, 1);

    /* QDi.002: Low aliases, exact year, gender absent */
    e = by_ref(&m, "QDi.002");
    assert_int_equal(e->names[0].nparts, 4);
    assert_string_equal(e->names[0].full, "AMIN MUHAMMAD UL HAQ SAAM KHAN");
    assert_int_equal(count_kind(e, EMB_NAME_WEAK), 2);
    assert_int_equal(count_kind(e, EMB_NAME_ALIAS), 2);

    /* KPi.017: passport with issuing country */
    e = by_ref(&m, "KPi.017");
    const emb_identifier *id = find_id(e, "563110024");
    assert_non_null(id);
    assert_int_equal(id->kind, EMB_ID_PASSPORT);
    assert_string_equal(id->type, "Passport");
    assert_string_equal(id->number, "563110024");
    assert_string_equal(id->country, "Democratic People's Republic of Korea");
    assert_string_equal(id->cc, "kp");

    /* KPi.009: French and Spanish passport labels, COUNTRY_OF_ISSUE */
    e = by_ref(&m, "KPi.009");
    assert_int_equal(e->nidentifiers, 3);   /* the same passport under three labels */
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(e->identifiers[i].kind, EMB_ID_PASSPORT);
        assert_string_equal(e->identifiers[i].norm, "PS381420397");
        assert_string_equal(e->identifiers[i].cc, "kp");
    }
    assert_string_equal(e->identifiers[0].type, "Num\xC3\xA9ro de passeport");

    /* CDe.003: a primary name holding two names; each is also an alias */
    e = by_ref(&m, "CDe.003");
    assert_string_equal(e->names[0].full, "COMPAGNIE AERIENNE DES GRANDS LACS (CAGL) ; "
                                          "GREAT LAKES BUSINESS COMPANY (GLBC)");
    assert_int_equal(find_name(e, "GREAT LAKES BUSINESS COMPANY (GLBC)")->kind, EMB_NAME_ALIAS);
    assert_non_null(find_name(e, "COMPAGNIE AERIENNE DES GRANDS LACS (CAGL)"));

    /* QDi.426: a document type with a newline and indentation inside */
    e = by_ref(&m, "QDi.426");
    id = find_id(e, "00278640");
    assert_non_null(id);
    assert_string_equal(id->type, "National Identification Number");
    assert_int_equal(id->kind, EMB_ID_NATIONAL);

    /* QDi.068: TYPE_OF_DOCUMENT2 appended to the type; prose in NUMBER normalised */
    e = by_ref(&m, "QDi.068");
    id = find_id(e, "BNSDLA70L14Z352B");
    assert_non_null(id);
    assert_string_equal(id->type, "National Identification Number (Italian Fiscal Code)");
    e = by_ref(&m, "SDi.012");
    assert_non_null(find_id(e, "CEDULANO80413253"));
    assert_string_equal(find_id(e, "CEDULANO80413253")->number, "Cedula No. 80413253");
    assert_string_equal(find_id(e, "CEDULANO80413253")->cc, "co");

    /* KPe.022: the IMO company number in the comments */
    e = by_ref(&m, "KPe.022");
    assert_int_equal(e->schema, EMB_SCHEMA_ORGANIZATION);
    assert_string_equal(e->names[0].full, "CHONGCHONGANG SHIPPING COMPANY");
    id = find_id(e, "5342883");
    assert_non_null(id);
    assert_int_equal(id->kind, EMB_ID_IMO_COMPANY);
    assert_string_equal(id->type, "IMO company number");
    assert_string_equal(id->number, "5342883");
    assert_int_equal(e->naddresses, 2);
    assert_int_equal(count_kind(e, EMB_NAME_ALIAS), 2);
    /* 16 DPRK entities carry such a number ("IMO number:", "(IMO) Number:", "IMO 5434358") */
    size_t nimo = 0;
    for (size_t i = 0; i < m.nentities; i++)
        for (size_t k = 0; k < m.entities[i].nidentifiers; k++)
            nimo += m.entities[i].identifiers[k].kind == EMB_ID_IMO_COMPANY;
    assert_int_equal(nimo, 16);
    assert_non_null(find_id(by_ref(&m, "KPe.066"), "5434358"));

    /* CDe.001 and QDe.129: f.k.a. entity aliases are former names */
    e = by_ref(&m, "CDe.001");
    assert_int_equal(find_name(e, "NALU")->kind, EMB_NAME_FORMER);
    e = by_ref(&m, "QDe.129");
    assert_int_equal(find_name(e, "Al-Qaida in Yemen (AQY)")->kind, EMB_NAME_FORMER);

    /* SDi.007: whitespace around name parts; gender from "Gender: Male." in comments */
    e = by_ref(&m, "SDi.007");
    assert_string_equal(e->names[0].full, "GEDO HAMDAN AHMED");
    assert_string_equal(e->gender, "male");
    assert_string_equal(e->program, "UN-SC1591");

    /* gender: 55 GENDER elements plus the comments */
    size_t male = 0, female = 0;
    for (size_t i = 0; i < m.nentities; i++) {
        const char *g = m.entities[i].gender;
        if (g && strcmp(g, "male") == 0)
            male++;
        else if (g && strcmp(g, "female") == 0)
            female++;
        else
            assert_null(g);
    }
    assert_true(male >= 52 + 40);
    assert_true(female >= 3);

    /* LISTED_ON with a zone suffix keeps the date part */
    size_t n_arabic = 0;
    for (size_t i = 0; i < m.nentities; i++)
        for (size_t k = 0; k < m.entities[i].nnames; k++)
            n_arabic += m.entities[i].names[k].kind == EMB_NAME_ORIGINAL;
    /* 380 NAME_ORIGINAL_SCRIPT elements, plus 14 original-script names written
     * in parentheses after an alias ("Jin Tiesan (金铁三)", "(original script:
     * Амир Хазмат)"), counted with an independent script over the XML */
    assert_int_equal(n_arabic, 394);

    emb_model_dispose(&m);
}

static void test_jan2026(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_path(&m, JAN2026), EMB_OK);
    assert_int_equal(m.lists[0].nby_schema[EMB_SCHEMA_PERSON], 726);
    assert_int_equal(m.lists[0].nby_schema[EMB_SCHEMA_ORGANIZATION], 273);
    assert_string_equal(m.lists[0].date, "2026-01-28T00:00:11.197Z");
    expect_regime(&m, "DPRK", 80, 75);
    check_invariants(&m);
    emb_model_dispose(&m);
}

static void test_old2020(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_path(&m, OLD2020), EMB_OK);
    assert_int_equal(m.nentities, 1018);
    assert_int_equal(m.lists[0].nby_schema[EMB_SCHEMA_PERSON], 713);
    assert_int_equal(m.lists[0].nby_schema[EMB_SCHEMA_ORGANIZATION], 305);
    assert_string_equal(m.lists[0].date, "2020-11-30T20:31:19.923-05:00");
    expect_regime(&m, "DPRK", 80, 75);
    expect_regime(&m, "Mali", 8, 0);
    check_invariants(&m);
    const emb_entity *e = by_ref(&m, "KPi.034");   /* "KPi.034 " in the file */
    assert_string_equal(e->reference, "KPi.034");
    e = by_ref(&m, "KPi.033");   /* one record per line; " 381310014" with a leading space */
    assert_string_equal(e->names[0].full, "RI WON HO");
    assert_string_equal(find_id(e, "381310014")->number, "381310014");
    assert_int_equal(e->birth_dates[0].prec, EMB_DATE_DAY);
    for (size_t i = 0; i < m.nentities; i++)
        if (strcmp(m.entities[i].regime, "Mali") == 0)
            assert_string_equal(m.entities[i].program, "UN-SC2374");
    emb_model_dispose(&m);
}

/* Two lists in one model: ids stay unique. */
static void test_two_lists(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_path(&m, JAN2026), EMB_OK);
    assert_int_equal(load_path(&m, PRIMARY), EMB_OK);
    assert_int_equal(m.nlists, 2);
    assert_string_equal(m.lists[1].id, "un-2");
    assert_int_equal(m.lists[1].nentities, 1009);
    const emb_entity *last = &m.entities[m.nentities - 1];
    assert_string_equal(last->list, "un-2");
    assert_int_equal(last->list_index, 1);
    assert_memory_equal(last->id, "un-2-", 5);
    emb_model_dispose(&m);
}

/* ---- small documents ---------------------------------------------------------- */

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
             "<CONSOLIDATED_LIST dateGenerated=\"2026-05-08T23:00:06.922Z\">\n"
#define PERSON(body) "<INDIVIDUALS><INDIVIDUAL>" body "</INDIVIDUAL></INDIVIDUALS>"
#define TAIL "</CONSOLIDATED_LIST>\n"
#define MINI "<DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER>XXi.001</REFERENCE_NUMBER>" \
             "<UN_LIST_TYPE>DPRK</UN_LIST_TYPE><LISTED_ON>2020-01-02</LISTED_ON>"

static const emb_entity *load_one(emb_model *m, const char *xml)
{
    emb_model_init(m);
    int rc = load_str(m, xml);
    if (rc != EMB_OK)
        fail_msg("load failed: %s", emb_err_last());
    assert_int_equal(m->nentities, 1);
    return &m->entities[0];
}

static void test_dates(void **state)
{
    (void)state;
    emb_model m;
    const emb_entity *e = load_one(&m, HEAD PERSON(MINI
        "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1960-04</DATE></INDIVIDUAL_DATE_OF_BIRTH>"
        "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1961</DATE></INDIVIDUAL_DATE_OF_BIRTH>"
        "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><DATE>1962-04-13</DATE></INDIVIDUAL_DATE_OF_BIRTH>"
        "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1970</FROM_YEAR><TO_YEAR>1968</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>"
        "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1979-03-03-05:00</DATE></INDIVIDUAL_DATE_OF_BIRTH>"
        "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE/></INDIVIDUAL_DATE_OF_BIRTH>"
        "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><NOTE>Nov. 1973</NOTE></INDIVIDUAL_DATE_OF_BIRTH>"
        "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1981-02-29</DATE></INDIVIDUAL_DATE_OF_BIRTH>"
        "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1970</FROM_YEAR></INDIVIDUAL_DATE_OF_BIRTH>"
        "<INDIVIDUAL_DATE_OF_BIRTH/>"
        "<INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/><DATE_OF_BIRTH>1955</DATE_OF_BIRTH></INDIVIDUAL_ALIAS>")
        TAIL);
    assert_int_equal(e->nbirth_dates, 6);
    assert_int_equal(e->birth_dates[0].prec, EMB_DATE_MONTH);
    assert_int_equal(e->birth_dates[0].month, 4);
    assert_int_equal(e->birth_dates[0].day, 0);
    assert_string_equal(e->birth_dates[0].raw, "1960-04");
    assert_int_equal(e->birth_dates[1].prec, EMB_DATE_YEAR);
    assert_int_equal(e->birth_dates[1].month, 0);
    assert_int_equal(e->birth_dates[2].prec, EMB_DATE_APPROX);
    assert_int_equal(e->birth_dates[2].year, 1962);
    assert_int_equal(e->birth_dates[2].month, 0);
    assert_string_equal(e->birth_dates[2].raw, "approx. 1962-04-13");
    assert_int_equal(e->birth_dates[3].prec, EMB_DATE_RANGE);
    assert_int_equal(e->birth_dates[3].year, 1968);
    assert_int_equal(e->birth_dates[3].year_to, 1970);
    assert_string_equal(e->birth_dates[4].raw, "1979-03-03");
    assert_int_equal(e->birth_dates[4].day, 3);
    assert_int_equal(e->birth_dates[5].prec, EMB_DATE_YEAR);   /* the alias-level one, last */
    assert_int_equal(e->birth_dates[5].year, 1955);
    assert_string_equal(e->listed_on, "2020-01-02");
    emb_model_dispose(&m);
}

static void test_names_and_aliases(void **state)
{
    (void)state;
    emb_model m;
    const emb_entity *e = load_one(&m, HEAD PERSON(
        "<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Early  Alias</ALIAS_NAME>"
        "<NOTE> a note\n  on two lines </NOTE></INDIVIDUAL_ALIAS>"
        "<DATAID> 42 </DATAID><FIRST_NAME>\n  ONE </FIRST_NAME><SECOND_NAME/>"
        "<THIRD_NAME>THREE  PARTS</THIRD_NAME><FOURTH_NAME>FOUR</FOURTH_NAME>"
        "<REFERENCE_NUMBER> XXi.042 </REFERENCE_NUMBER><UN_LIST_TYPE>Nowhere</UN_LIST_TYPE>"
        "<LISTED_ON>2015-03-27-04:00</LISTED_ON><GENDER>FEMALE</GENDER>"
        "<NAME_ORIGINAL_SCRIPT>\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD</NAME_ORIGINAL_SCRIPT>"
        "<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Abu X;Abu Y ;  ; Abu Z</ALIAS_NAME></INDIVIDUAL_ALIAS>"
        "<INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME>Plain</ALIAS_NAME></INDIVIDUAL_ALIAS>"
        "<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>   </ALIAS_NAME></INDIVIDUAL_ALIAS>"
        "<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>N (A) M (B; C)</ALIAS_NAME></INDIVIDUAL_ALIAS>"
        "<SUBMITTED_BY><VALUE>ignored</VALUE></SUBMITTED_BY>")
        TAIL);
    assert_string_equal(e->id, "un-42");
    assert_string_equal(e->reference, "XXi.042");
    assert_null(e->program);
    assert_string_equal(e->listed_on, "2015-03-27");
    assert_string_equal(e->gender, "female");
    assert_int_equal(e->names[0].kind, EMB_NAME_PRIMARY);
    assert_string_equal(e->names[0].full, "ONE THREE PARTS FOUR");
    assert_int_equal(e->names[0].nparts, 3);
    assert_string_equal(e->names[0].parts[1], "THREE PARTS");
    assert_int_equal(e->names[1].kind, EMB_NAME_ORIGINAL);
    assert_string_equal(e->names[2].full, "Early Alias");
    assert_string_equal(e->names[2].note, "a note on two lines");
    assert_int_equal(find_name(e, "Abu X")->kind, EMB_NAME_WEAK);
    assert_int_equal(find_name(e, "Abu Y")->kind, EMB_NAME_WEAK);
    assert_int_equal(find_name(e, "Abu Z")->kind, EMB_NAME_WEAK);
    assert_int_equal(find_name(e, "Plain")->kind, EMB_NAME_ALIAS);
    assert_non_null(find_name(e, "N (A) M"));
    assert_non_null(find_name(e, "B"));
    assert_non_null(find_name(e, "C"));
    assert_int_equal(e->nnames, 10);
    emb_model_dispose(&m);
}

static void test_entity_small(void **state)
{
    (void)state;
    emb_model m;
    const emb_entity *e = load_one(&m, HEAD "<ENTITIES><ENTITY>"
        "<DATAID>7</DATAID><FIRST_NAME>ACME TRADING</FIRST_NAME><UN_LIST_TYPE>Libya</UN_LIST_TYPE>"
        "<REFERENCE_NUMBER>LYe.099</REFERENCE_NUMBER><LISTED_ON>2011-03-17</LISTED_ON>"
        "<COMMENTS1>IMO number: 1234567. IMO 7654321 and IMO 12345678 and RIMO 1111111. "
        "Again (IMO) Number: 1234567. "
        "Gender: Male</COMMENTS1>"
        "<ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>OLD ACME</ALIAS_NAME></ENTITY_ALIAS>"
        "<ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>ACME</ALIAS_NAME></ENTITY_ALIAS>"
        "<ENTITY_ALIAS><QUALITY/><ALIAS_NAME>ACME CO</ALIAS_NAME></ENTITY_ALIAS>"
        "<ENTITY_ADDRESS><COUNTRY/></ENTITY_ADDRESS>"
        "<ENTITY_ADDRESS><CITY>Tripoli</CITY><COUNTRY>Libya</COUNTRY></ENTITY_ADDRESS>"
        "</ENTITY></ENTITIES>" TAIL);
    assert_int_equal(e->schema, EMB_SCHEMA_ORGANIZATION);
    assert_string_equal(e->program, "UN-SC1970");
    assert_null(e->gender);
    assert_int_equal(find_name(e, "OLD ACME")->kind, EMB_NAME_FORMER);
    assert_int_equal(find_name(e, "ACME")->kind, EMB_NAME_ALIAS);
    assert_int_equal(find_name(e, "ACME CO")->kind, EMB_NAME_ALIAS);
    assert_int_equal(e->nidentifiers, 2);
    assert_string_equal(e->identifiers[0].number, "1234567");
    assert_string_equal(e->identifiers[1].number, "7654321");
    assert_int_equal(e->naddresses, 1);
    assert_string_equal(e->addresses[0].city, "Tripoli");
    assert_string_equal(e->addresses[0].cc, "ly");
    emb_model_dispose(&m);
}

static void test_documents(void **state)
{
    (void)state;
    emb_model m;
    const emb_entity *e = load_one(&m, HEAD PERSON(MINI
        "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>"
        "<TYPE_OF_DOCUMENT2>diplomatic passport </TYPE_OF_DOCUMENT2><NUMBER> d-123 456</NUMBER>"
        "<ISSUING_COUNTRY>Syrian Arab Republic</ISSUING_COUNTRY><NOTE>expired</NOTE></INDIVIDUAL_DOCUMENT>"
        "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>N\xC3\xBAmero de pasaporte</TYPE_OF_DOCUMENT>"
        "<NUMBER>P1</NUMBER><COUNTRY_OF_ISSUE>Iraq</COUNTRY_OF_ISSUE></INDIVIDUAL_DOCUMENT>"
        "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT>"
        "<NOTE>no number here</NOTE></INDIVIDUAL_DOCUMENT>"
        "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>National identification no.</TYPE_OF_DOCUMENT>"
        "<NUMBER>N-9</NUMBER></INDIVIDUAL_DOCUMENT>"
        "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT2>Voter ID</TYPE_OF_DOCUMENT2><NUMBER>V 7</NUMBER></INDIVIDUAL_DOCUMENT>"
        "<INDIVIDUAL_DOCUMENT><NUMBER>--</NUMBER></INDIVIDUAL_DOCUMENT>"
        "<INDIVIDUAL_DOCUMENT/>")
        TAIL);
    assert_int_equal(e->nidentifiers, 4);
    const emb_identifier *id = &e->identifiers[0];
    assert_int_equal(id->kind, EMB_ID_PASSPORT);
    assert_string_equal(id->type, "Passport (diplomatic passport)");
    assert_string_equal(id->number, "d-123 456");
    assert_string_equal(id->norm, "D123456");
    assert_string_equal(id->country, "Syrian Arab Republic");
    assert_string_equal(id->cc, "sy");
    assert_string_equal(id->note, "expired");
    id = &e->identifiers[1];
    assert_int_equal(id->kind, EMB_ID_PASSPORT);
    assert_string_equal(id->country, "Iraq");
    assert_string_equal(id->cc, "iq");
    assert_int_equal(e->identifiers[2].kind, EMB_ID_NATIONAL);
    assert_int_equal(e->identifiers[3].kind, EMB_ID_OTHER);
    assert_string_equal(e->identifiers[3].type, "Voter ID");
    assert_string_equal(e->identifiers[3].norm, "V7");
    emb_model_dispose(&m);
}

/* Element order and extra elements do not matter; namespaced root is accepted. */
static void test_layout_free(void **state)
{
    (void)state;
    emb_model m;
    const emb_entity *e = load_one(&m,
        "\xEF\xBB\xBF<!-- a comment -->\n<CONSOLIDATED_LIST xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
        "dateGenerated='2020-11-30T20:31:19.923-05:00'><X><INDIVIDUAL>"
        "<NEW_ELEMENT><DEEP><DEEPER>x</DEEPER></DEEP></NEW_ELEMENT>"
        "<LISTED_ON>2001-01-01</LISTED_ON><REFERENCE_NUMBER>QDi.9</REFERENCE_NUMBER>"
        "<UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><SECOND_NAME>B<![CDATA[&C]]></SECOND_NAME>"
        "<DATAID>5</DATAID><FIRST_NAME>A &amp; Z</FIRST_NAME></INDIVIDUAL></X>"
        "<ENTITIES/></CONSOLIDATED_LIST>");
    assert_string_equal(e->names[0].full, "A & Z B&C");
    assert_string_equal(e->program, "UN-SC1267");
    assert_string_equal(m.lists[0].date, "2020-11-30T20:31:19.923-05:00");
    emb_model_dispose(&m);
}

static void test_empty_list(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_str(&m, "<CONSOLIDATED_LIST/>"), EMB_OK);
    assert_int_equal(m.nlists, 1);
    assert_null(m.lists[0].date);
    assert_int_equal(m.nentities, 0);
    emb_model_dispose(&m);
}

/* ---- errors -------------------------------------------------------------------- */

/* Load xml into a model that already holds one list; it must fail with `code`,
 * a message containing `needle`, and leave the model as it was. */
static void expect_fail(const char *xml, size_t len, int code, const char *needle)
{
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_str(&m, HEAD PERSON(MINI) TAIL), EMB_OK);
    int rc = emb_load_buffer(&m, "bad.xml", xml, len);
    const char *msg = emb_err_last();
    if (rc != code)
        fail_msg("rc %d, expected %d (%s)", rc, code, msg);
    if (!strstr(msg, needle))
        fail_msg("message \"%s\" lacks \"%s\"", msg, needle);
    assert_int_equal(m.nlists, 1);
    assert_int_equal(m.nentities, 1);
    emb_model_dispose(&m);
}

#define EXPECT_FAIL(xml, code, needle) expect_fail(xml, strlen(xml), code, needle)

static void test_errors(void **state)
{
    (void)state;
    /* truncated inside a record: label and line:col */
    EXPECT_FAIL(HEAD "<INDIVIDUALS>\n<INDIVIDUAL>\n<DATAID>1</DATAID><FIRST_NAME>A</FI",
                EMB_EPARSE, "bad.xml:5:");
    /* truncated between records */
    EXPECT_FAIL(HEAD PERSON(MINI), EMB_EPARSE, "bad.xml:");
    /* not well-formed */
    EXPECT_FAIL(HEAD "<INDIVIDUALS><INDIVIDUAL><DATAID>1</FIRST_NAME></INDIVIDUAL></INDIVIDUALS>" TAIL,
                EMB_EPARSE, "bad.xml:3:");
    EXPECT_FAIL(HEAD PERSON(MINI "<COMMENTS1>a < b</COMMENTS1>") TAIL, EMB_EPARSE, "bad.xml:3:");
    EXPECT_FAIL(HEAD PERSON(MINI "<COMMENTS1>&nbsp;</COMMENTS1>") TAIL, EMB_EPARSE, "bad.xml:");
    /* wrong root: detected as unknown format; and through the loader directly */
    /* (sdnList is no example any more: it is the OFAC XML format) */
    EXPECT_FAIL("<?xml version=\"1.0\"?><customerList></customerList>", EMB_EPARSE,
                "bad.xml: unrecognised list format");
    {
        emb_model m;
        emb_model_init(&m);
        const char *x = "<?xml version=\"1.0\"?>\n<sdnList><CONSOLIDATED_LIST/></sdnList>";
        assert_int_equal(emb_load_un_xml(&m, "w.xml", x, strlen(x)), EMB_EPARSE);
        assert_non_null(strstr(emb_err_last(), "w.xml:2:"));
        assert_non_null(strstr(emb_err_last(), "CONSOLIDATED_LIST"));
        assert_int_equal(m.nlists, 0);
        x = "<!-- only a comment -->";
        assert_int_equal(emb_load_un_xml(&m, "c.xml", x, strlen(x)), EMB_EPARSE);
        assert_non_null(strstr(emb_err_last(), "c.xml:"));
        emb_model_dispose(&m);
    }
    /* invalid UTF-8 (Latin-1 bytes), even with a Latin-1 declaration */
    EXPECT_FAIL(HEAD PERSON(MINI "<COMMENTS1>caf\xE9</COMMENTS1>") TAIL, EMB_EPARSE,
                "bad.xml:3:");
    EXPECT_FAIL("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><CONSOLIDATED_LIST>"
                PERSON(MINI "<COMMENTS1>caf\xE9</COMMENTS1>") TAIL, EMB_EPARSE, "bad.xml:1:");
    EXPECT_FAIL(HEAD PERSON(MINI "<COMMENTS1>\xC0\xAF</COMMENTS1>") TAIL, EMB_EPARSE, "bad.xml:");
    /* missing REFERENCE_NUMBER / name / DATAID */
    EXPECT_FAIL(HEAD "<INDIVIDUALS>\n<INDIVIDUAL><DATAID>77</DATAID><FIRST_NAME>A</FIRST_NAME>"
                "<REFERENCE_NUMBER> </REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS>" TAIL,
                EMB_EPARSE, "bad.xml:4: INDIVIDUAL DATAID 77: missing REFERENCE_NUMBER");
    EXPECT_FAIL(HEAD "<ENTITIES>\n\n<ENTITY><DATAID>78</DATAID><FIRST_NAME/>"
                "<REFERENCE_NUMBER>X</REFERENCE_NUMBER></ENTITY></ENTITIES>" TAIL,
                EMB_EPARSE, "bad.xml:5: ENTITY DATAID 78: no name");
    EXPECT_FAIL(HEAD PERSON("<FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER>X</REFERENCE_NUMBER>") TAIL,
                EMB_EPARSE, "missing DATAID");
    EXPECT_FAIL(HEAD "<INDIVIDUALS><INDIVIDUAL/></INDIVIDUALS>" TAIL, EMB_EPARSE, "missing DATAID");
    /* two records with one DATAID */
    EXPECT_FAIL(HEAD PERSON(MINI) PERSON("<DATAID>1</DATAID><FIRST_NAME>B</FIRST_NAME>"
                "<REFERENCE_NUMBER>XXi.002</REFERENCE_NUMBER>") TAIL,
                EMB_EPARSE, "bad.xml: DATAID 1 is used by XXi.001 and XXi.002");
    /* NUL byte, UTF-16 with a BOM, overlong and surrogate forms */
    expect_fail("<CONSOLIDATED_LIST>\n\0</CONSOLIDATED_LIST>", 41, EMB_EPARSE, "bad.xml:2:1: NUL");
    expect_fail("\xFF\xFE<\0C\0", 6, EMB_EPARSE, "bad.xml: unrecognised");
    {
        emb_model m;
        emb_model_init(&m);
        assert_int_equal(emb_load_un_xml(&m, "u16.xml", "\xFF\xFE<\0C\0", 6), EMB_EPARSE);
        assert_non_null(strstr(emb_err_last(), "u16.xml:1:1: invalid UTF-8"));
        const char *x = "<CONSOLIDATED_LIST>\xED\xA0\x80</CONSOLIDATED_LIST>";
        assert_int_equal(emb_load_un_xml(&m, "s.xml", x, strlen(x)), EMB_EPARSE);
        assert_non_null(strstr(emb_err_last(), "s.xml:1:20: invalid UTF-8"));
        x = "<CONSOLIDATED_LIST>\xC3\xA9\xE0\x80\xAF</CONSOLIDATED_LIST>";
        assert_int_equal(emb_load_un_xml(&m, "s.xml", x, strlen(x)), EMB_EPARSE);
        assert_non_null(strstr(emb_err_last(), "s.xml:1:21: invalid UTF-8"));
        x = "<CONSOLIDATED_LIST>\xF4\x90\x80\x80</CONSOLIDATED_LIST>";
        assert_int_equal(emb_load_un_xml(&m, "s.xml", x, strlen(x)), EMB_EPARSE);
        x = "<CONSOLIDATED_LIST>\xF0\x9F\x98\x80\xE2\x80\x99</CONSOLIDATED_LIST>";
        assert_int_equal(emb_load_un_xml(&m, "s.xml", x, strlen(x)), EMB_OK);
        emb_model_dispose(&m);
    }
    /* empty input and whitespace */
    expect_fail("", 0, EMB_EPARSE, "bad.xml: unrecognised list format");
    {
        emb_model m;
        emb_model_init(&m);
        assert_int_equal(emb_load_un_xml(&m, "e.xml", "", 0), EMB_EPARSE);
        assert_non_null(strstr(emb_err_last(), "e.xml:"));
        assert_int_equal(emb_load_un_xml(&m, "e.xml", "   \n", 4), EMB_EPARSE);
        assert_int_equal(emb_load_buffer(&m, NULL, NULL, 0), EMB_EPARSE);
        assert_int_equal(emb_load_buffer(NULL, "x", "<a/>", 4), EMB_EINVAL);
        assert_int_equal(m.nlists, 0);
        emb_model_dispose(&m);
    }
    /* a DOCTYPE with entities (billion laughs) is refused */
    EXPECT_FAIL("<?xml version=\"1.0\"?><!DOCTYPE CONSOLIDATED_LIST [<!ENTITY a \"aaaaaaaa\">"
                "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
                "<CONSOLIDATED_LIST>" PERSON(MINI "<COMMENTS1>&b;</COMMENTS1>") TAIL,
                EMB_EPARSE, "bad.xml:");
    EXPECT_FAIL("<!DOCTYPE CONSOLIDATED_LIST SYSTEM \"file:///etc/passwd\"><CONSOLIDATED_LIST/>",
                EMB_EPARSE, "DOCTYPE");
    /* two roots, trailing garbage */
    EXPECT_FAIL("<CONSOLIDATED_LIST/><CONSOLIDATED_LIST/>", EMB_EPARSE, "bad.xml:1:");
    EXPECT_FAIL(HEAD TAIL "garbage", EMB_EPARSE, "bad.xml:");
}

static void test_too_big(void **state)
{
    (void)state;
    size_t big = 1024 * 1024 + 10;
    const char *pre = HEAD "<INDIVIDUALS>\n<INDIVIDUAL>" MINI "<COMMENTS1>";
    const char *post = "</COMMENTS1></INDIVIDUAL></INDIVIDUALS>" TAIL;
    size_t n = strlen(pre) + big + strlen(post);
    char *x = malloc(n);
    assert_non_null(x);
    memcpy(x, pre, strlen(pre));
    memset(x + strlen(pre), 'x', big);
    memcpy(x + strlen(pre) + big, post, strlen(post));
    expect_fail(x, n, EMB_ETOOBIG, "bad.xml:");
    /* exactly 1 MiB is fine */
    emb_model m;
    emb_model_init(&m);
    n -= 10;
    memmove(x + strlen(pre) + big - 10, x + strlen(pre) + big, strlen(post));
    assert_int_equal(emb_load_buffer(&m, "ok.xml", x, n), EMB_OK);
    assert_int_equal(strlen(m.entities[0].remarks), 1024 * 1024);
    emb_model_dispose(&m);
    /* a long name is kept whole */
    emb_model_init(&m);
    const char *pre2 = HEAD "<INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><REFERENCE_NUMBER>R</REFERENCE_NUMBER><FIRST_NAME>";
    const char *post2 = "</FIRST_NAME></INDIVIDUAL></INDIVIDUALS>" TAIL;
    size_t nn = 100000;
    n = strlen(pre2) + nn + strlen(post2);
    memcpy(x, pre2, strlen(pre2));
    memset(x + strlen(pre2), 'N', nn);
    memcpy(x + strlen(pre2) + nn, post2, strlen(post2));
    assert_int_equal(emb_load_buffer(&m, "long.xml", x, n), EMB_OK);
    assert_int_equal(strlen(m.entities[0].names[0].full), nn);
    emb_model_dispose(&m);
    free(x);
}

/* Values per field are capped (EMB_DRAFT_MAX_VALUES): beyond, the load fails. */
static void test_value_cap(void **state)
{
    (void)state;
    static const char *const reps[] = {
        "<INDIVIDUAL_ALIAS><ALIAS_NAME>x</ALIAS_NAME></INDIVIDUAL_ALIAS>",
        "<NATIONALITY><VALUE>x</VALUE></NATIONALITY>",
    };
    for (size_t r = 0; r < 2; r++) {
        emb_buf b;
        emb_buf_init(&b, 16u << 20);
        assert_int_equal(emb_buf_puts(&b, HEAD "<INDIVIDUALS><INDIVIDUAL>" MINI), EMB_OK);
        for (int i = 0; i <= EMB_DRAFT_MAX_VALUES; i++)
            assert_int_equal(emb_buf_puts(&b, reps[r]), EMB_OK);
        assert_int_equal(emb_buf_puts(&b, "</INDIVIDUAL></INDIVIDUALS>" TAIL), EMB_OK);
        expect_fail(b.ptr, b.len, EMB_ETOOBIG, "bad.xml:3: INDIVIDUAL DATAID 1:");
        emb_buf_dispose(&b);
    }
}

/* Every prefix of a small real document fails cleanly (or, for the whole
 * document, succeeds): the truncated-download case. */
static void test_every_truncation(void **state)
{
    (void)state;
    const char *doc = HEAD "<INDIVIDUALS>\n" PERSON(MINI
        "<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>B; C</ALIAS_NAME></INDIVIDUAL_ALIAS>"
        "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1960-01-02</DATE>"
        "</INDIVIDUAL_DATE_OF_BIRTH>") "\n</INDIVIDUALS>" TAIL;
    size_t n = strlen(doc);
    for (size_t k = 0; k < n; k++) {
        emb_model m;
        emb_model_init(&m);
        int rc = emb_load_buffer(&m, "t.xml", doc, k);
        /* only whitespace may be cut from the end */
        bool rest_blank = strspn(doc + k, " \n") == n - k;
        if (rest_blank && k > 0) {
            assert_int_equal(rc, EMB_OK);
        } else {
            if (rc >= 0)
                fail_msg("prefix of %zu bytes loaded", k);
            assert_int_equal(m.nentities, 0);
            assert_int_equal(m.nlists, 0);
            assert_non_null(strstr(emb_err_last(), "t.xml"));
        }
        emb_model_dispose(&m);
    }
}

/* The UN list writes "na" for "not available": no country, not Namibia. */
static void test_na_nationality(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_path(&m, "data/lists/un/un_sanctions.xml"), EMB_OK);
    const emb_entity *e = by_ref(&m, "SDi.001");
    int seen = 0;
    for (size_t i = 0; i < e->nnationalities; i++)
        if (strcmp(e->nationalities[i].name, "na") == 0) {
            assert_null(e->nationalities[i].cc);
            seen = 1;
        }
    assert_true(seen);
    emb_model_dispose(&m);
}

/* Vessels named only in DPRK entity remarks become vessel names of the entity. */
static void test_vessels_in_remarks(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_path(&m, "data/lists/un/un_sanctions.xml"), EMB_OK);
    size_t n = 0;
    for (size_t i = 0; i < m.nentities; i++)
        for (size_t j = 0; j < m.entities[i].nnames; j++)
            n += m.entities[i].names[j].kind == EMB_NAME_VESSEL;
    assert_int_equal(n, 29);   /* counted by hand in the 2026-05-08 remarks */
    const emb_entity *e = by_ref(&m, "KPe.067");
    assert_non_null(find_name(e, "KOTI"));
    assert_non_null(find_name(e, "KUM UN SAN 3"));
    assert_int_equal(find_name(e, "KOTI")->kind, EMB_NAME_VESSEL);
    e = by_ref(&m, "KPe.065");
    assert_non_null(find_name(e, "Hai Xin You 606"));
    assert_null(find_name(e, "SAMMA"));   /* "SAMMA SHIPPING" is a company */
    e = by_ref(&m, "KPe.022");
    assert_non_null(find_name(e, "Chong Chon Gang"));
    emb_model_dispose(&m);
}

/* Parenthesised parts of names: original script, acronyms, notes. */
static void test_paren_parts(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(load_path(&m, "data/lists/un/un_sanctions.xml"), EMB_OK);
    const emb_entity *e = by_ref(&m, "QDi.396");
    assert_non_null(find_name(e, "Amir Khazmat"));
    assert_int_equal(find_name(e, "Амир Хазмат")->kind, EMB_NAME_ORIGINAL);
    e = by_ref(&m, "KPi.035");
    assert_non_null(find_name(e, "Jin Tiesan"));
    assert_int_equal(find_name(e, "金铁三")->kind, EMB_NAME_ORIGINAL);
    e = by_ref(&m, "CDe.005");   /* primary "... (FDLR)": the acronym is an alias */
    assert_int_equal(find_name(e, "FDLR")->kind, EMB_NAME_ALIAS);
    assert_string_equal(e->names[0].full, "FORCES DEMOCRATIQUES DE LIBERATION DU RWANDA (FDLR)");
    e = by_ref(&m, "QDi.152");   /* "EL PARA (COMBAT NAME)": a note, not a name */
    const emb_name *n = find_name(e, "EL PARA");
    assert_non_null(n);
    assert_non_null(n->note);
    assert_null(find_name(e, "COMBAT NAME"));
    emb_model_dispose(&m);
}

static void test_detect(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        emb_format f;
    } cases[] = {
        {"<CONSOLIDATED_LIST>", EMB_FMT_UN_XML},
        {"<CONSOLIDATED_LIST/>", EMB_FMT_UN_XML},
        {"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- c -->\n<CONSOLIDATED_LIST x='1'>", EMB_FMT_UN_XML},
        {"  <un:CONSOLIDATED_LIST xmlns:un='u'>", EMB_FMT_UN_XML},
        {"<CONSOLIDATED_LISTS>", EMB_FMT_UNKNOWN},
        {"<sdnList>", EMB_FMT_UNKNOWN},
        {"<!-- <CONSOLIDATED_LIST> -->", EMB_FMT_UNKNOWN},
        {"<?xml version=\"1.0\"", EMB_FMT_UNKNOWN},
        {"ent_num,SDN_Name", EMB_FMT_UNKNOWN},
        {"", EMB_FMT_UNKNOWN},
        {"<", EMB_FMT_UNKNOWN},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (emb_load_detect(cases[i].s, strlen(cases[i].s)) != cases[i].f)
            fail_msg("detect case %zu: \"%s\"", i, cases[i].s);
    assert_int_equal(emb_load_detect(NULL, 0), EMB_FMT_UNKNOWN);
    /* a prolog longer than the detection window */
    char big[6000];
    memcpy(big, "<!--", 4);
    memset(big + 4, '-', sizeof(big) - 4);
    memcpy(big + sizeof(big) - 25, "--><CONSOLIDATED_LIST/>", 23);
    assert_int_equal(emb_load_detect(big, sizeof(big) - 2), EMB_FMT_UNKNOWN);
    size_t len;
    char *buf = slurp(OLD2020, &len);
    assert_int_equal(emb_load_detect(buf, len), EMB_FMT_UN_XML);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_na_nationality),
        cmocka_unit_test(test_vessels_in_remarks),
        cmocka_unit_test(test_paren_parts),
        cmocka_unit_test(test_primary_counts),
        cmocka_unit_test(test_primary_records),
        cmocka_unit_test(test_jan2026),
        cmocka_unit_test(test_old2020),
        cmocka_unit_test(test_two_lists),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_names_and_aliases),
        cmocka_unit_test(test_entity_small),
        cmocka_unit_test(test_documents),
        cmocka_unit_test(test_layout_free),
        cmocka_unit_test(test_empty_list),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_value_cap),
        cmocka_unit_test(test_every_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
