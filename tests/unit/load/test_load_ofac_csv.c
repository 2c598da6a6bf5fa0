/*
 * test_load_ofac_csv.c - the OFAC legacy CSV loader against the full
 * 2024-05-03 sdn.csv and the consistent 2021-07 set of four files in
 * data/lists/ofac/, plus small inline buffers for the format details
 * (Windows-1252, -0- nulls, Ctrl-Z, CRLF) and the error paths.
 *
 * Counts are the independent figures of LISTS.md / PROVENANCE.md (counted
 * with Python's csv module); real records are spot-checked field by field.
 * Every malformed input must fail with "label:line: ..." and leave the model
 * as it was.
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
#include "model/ident.h"
#include "util/err.h"

#define SDN2024 "data/lists/ofac/sdn_2024-05-03/sdn.csv"
#define TRIO "data/lists/ofac/sdn_csv_trio_2021-07/sdn.csv"

/* ---- helpers ------------------------------------------------------------- */

/* Through detection. */
static int load_str(emb_model *m, const char *csv)
{
    return emb_load_buffer(m, "inline.csv", csv, strlen(csv));
}

/* The loader directly, no detection. */
static int load_direct(emb_model *m, const char *csv)
{
    return emb_loader_ofac_csv.load(m, "inline.csv", csv, strlen(csv));
}

static const emb_date *find_date(const emb_entity *e, emb_date_prec p, int year)
{
    for (size_t i = 0; i < e->nbirth_dates; i++)
        if (e->birth_dates[i].prec == p && e->birth_dates[i].year == year)
            return &e->birth_dates[i];
    return NULL;
}

static bool has_program(const emb_entity *e, const char *prefix)
{
    for (size_t i = 0; i < e->nprograms; i++)
        if (strncmp(e->programs[i], prefix, strlen(prefix)) == 0)
            return true;
    return false;
}

#define ROW_NULLS ",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- "

/* ---- the 2024-05-03 sdn.csv ---------------------------------------------------- */

static emb_model m2024;

static int setup_2024(void **state)
{
    (void)state;
    emb_model_init(&m2024);
    int rc = load_path(&m2024, SDN2024);
    if (rc < 0)
        fprintf(stderr, "load failed: %s\n", emb_err_last());
    return rc;
}

static int teardown_2024(void **state)
{
    (void)state;
    emb_model_dispose(&m2024);
    return 0;
}

static void test_2024_counts(void **state)
{
    (void)state;
    const emb_model *m = &m2024;
    assert_int_equal(m->nlists, 1);
    const emb_list_info *li = &m->lists[0];
    assert_string_equal(li->id, "ofac");
    assert_string_equal(li->format, "ofac-csv");
    assert_string_equal(li->title, "OFAC Specially Designated Nationals (SDN) List");
    assert_string_equal(li->source, SDN2024);
    assert_null(li->date);   /* the CSV states no date */
    assert_int_equal(li->nentities, 14965);
    assert_int_equal(m->nentities, 14965);
    assert_int_equal(li->nby_schema[EMB_SCHEMA_ORGANIZATION], 6884);
    assert_int_equal(li->nby_schema[EMB_SCHEMA_PERSON], 6854);
    assert_int_equal(li->nby_schema[EMB_SCHEMA_VESSEL], 851);
    assert_int_equal(li->nby_schema[EMB_SCHEMA_AIRCRAFT], 376);

    size_t dprk = 0, dprk_by[5] = {0}, vessels = 0, with_imo = 0, bad_imo = 0, imo_text = 0;
    for (size_t i = 0; i < m->nentities; i++) {
        const emb_entity *e = &m->entities[i];
        assert_non_null(e->id);
        assert_int_equal(strncmp(e->id, "ofac-", 5), 0);
        assert_string_equal(e->id + 5, e->reference);
        assert_int_equal(e->names[0].kind, EMB_NAME_PRIMARY);
        assert_ptr_equal(e->caption, e->names[0].full);
        assert_non_null(e->program);   /* every SDN row has a programme */
        assert_ptr_equal(e->regime, e->program);
        if (has_program(e, "DPRK")) {
            dprk++;
            dprk_by[e->schema]++;
        }
        size_t imo = 0;
        for (size_t k = 0; k < e->nidentifiers; k++) {
            const emb_identifier *id = &e->identifiers[k];
            if (id->kind == EMB_ID_IMO) {
                assert_int_equal(strlen(id->number), 7);
                assert_true(emb_imo_valid(id->number));
                imo++;
            }
            if (id->type && strcmp(id->type, "IMO (check digit invalid)") == 0)
                bad_imo++;
        }
        if (e->schema == EMB_SCHEMA_VESSEL) {
            vessels++;
            if (imo)
                with_imo++;

        }
    }
    assert_int_equal(dprk, 484);
    assert_int_equal(dprk_by[EMB_SCHEMA_ORGANIZATION], 199);
    assert_int_equal(dprk_by[EMB_SCHEMA_PERSON], 164);
    assert_int_equal(dprk_by[EMB_SCHEMA_VESSEL], 105);
    assert_int_equal(dprk_by[EMB_SCHEMA_AIRCRAFT], 16);
    assert_int_equal(vessels, 851);
    /* LISTS.md: 842 of 851 vessel rows have "IMO nnnnnnn", all pass the check
     * digit. The loader finds four more, all valid: two written "IMO  nnnnnnn"
     * (37032, 37043) and two with a bare number after "Vessel Registration
     * Identification" (17104, 33809). */
    /* LISTS.md's count, straight from the file's bytes: vessel rows with
     * "IMO " and seven digits */
    size_t len;
    char *raw = slurp(SDN2024, &len);
    for (char *line = raw; line < raw + len;) {
        char *eol = memchr(line, '\n', (size_t)(raw + len - line));
        if (!eol)
            eol = raw + len;
        *eol = '\0';
        if (strstr(line, ",\"vessel\",")) {
            for (const char *p = line; (p = strstr(p, "IMO ")) != NULL; p += 4) {
                if (strspn(p + 4, "0123456789") >= 7) {
                    imo_text++;
                    break;
                }
            }
        }
        line = eol + 1;
    }
    free(raw);
    assert_int_equal(imo_text, 842);
    assert_int_equal(with_imo, 846);
    assert_int_equal(bad_imo, 0);
}

static void test_2024_kim_jong_un(void **state)
{
    (void)state;
    const emb_entity *e = by_ref(&m2024, "20157");
    assert_string_equal(e->id, "ofac-20157");
    assert_string_equal(e->list, "ofac");
    assert_string_equal(e->caption, "KIM, Jong Un");
    assert_int_equal(e->schema, EMB_SCHEMA_PERSON);
    assert_int_equal(e->nprograms, 1);
    assert_string_equal(e->programs[0], "DPRK3");
    assert_string_equal(e->program, "DPRK3");
    assert_string_equal(e->regime, "DPRK3");
    const emb_name *n = find_name(e, "Jong Un KIM");
    assert_non_null(n);
    assert_int_equal(n->kind, EMB_NAME_ALIAS);
    assert_int_equal(e->ntitles, 1);
    assert_string_equal(e->titles[0], "Chairman of the Workers' Party of Korea");
    const emb_date *d = find_date(e, EMB_DATE_DAY, 1984);
    assert_non_null(d);
    assert_int_equal(d->month, 1);
    assert_int_equal(d->day, 8);
    assert_string_equal(d->raw, "08 Jan 1984");
    assert_non_null(strstr(e->remarks, "Secondary sanctions risk"));
    assert_null(e->flag);
    assert_int_equal(e->naddresses, 0);   /* no add.csv beside the 2024 file */
}

static void test_2024_vessels(void **state)
{
    (void)state;
    /* 15036,"ARTAVIL","vessel","IRAN",-0- ,"T2EU4","Crude/Oil Products Tanker","99,144",
     * "56,068","Iran",-0- ,"...IMO 9187629; MMSI 572469210; f.k.a. 'ALPHA'; ..." */
    const emb_entity *e = by_ref(&m2024, "15036");
    assert_int_equal(e->schema, EMB_SCHEMA_VESSEL);
    assert_string_equal(e->caption, "ARTAVIL");
    assert_string_equal(e->call_sign, "T2EU4");
    assert_string_equal(e->vessel_type, "Crude/Oil Products Tanker");
    assert_string_equal(e->tonnage, "99,144");
    assert_string_equal(e->flag, "Iran");
    assert_string_equal(e->flag_cc, "ir");
    assert_null(e->owner);
    const emb_identifier *id = find_id(e, "9187629");
    assert_non_null(id);
    assert_int_equal(id->kind, EMB_ID_IMO);
    id = find_id(e, "572469210");
    assert_non_null(id);
    assert_int_equal(id->kind, EMB_ID_MMSI);
    const emb_name *n = find_name(e, "ALPHA");
    assert_non_null(n);
    assert_int_equal(n->kind, EMB_NAME_FORMER);
    assert_null(find_name(e, "NATIONAL IRANIAN TANKER COMPANY"));   /* Linked To: not a name */

    /* 4238 MAR AZUL: owner column, GRT only, no remarks */
    e = by_ref(&m2024, "4238");
    assert_string_equal(e->owner, "Samir de Navegacion S.A.");
    assert_string_equal(e->tonnage, "212");
    assert_string_equal(e->flag_cc, "cu");
    assert_null(e->remarks);

    /* 4243 EBANO: two former names */
    e = by_ref(&m2024, "4243");
    assert_non_null(find_name(e, "ANA I"));
    assert_non_null(find_name(e, "SAND SWAN"));
    assert_int_equal(find_name(e, "SAND SWAN")->kind, EMB_NAME_FORMER);
    assert_int_equal(find_id(e, "7406784")->kind, EMB_ID_IMO);

    /* 47371 NS LEADER: "Identification Number IMO 9339301" on a vessel row */
    e = by_ref(&m2024, "47371");
    assert_int_equal(find_id(e, "9339301")->kind, EMB_ID_IMO);
    assert_string_equal(e->flag_cc, "ga");
    /* 23510 GOORYONG SHIPPING CO LTD: "Company Number IMO ..." is a company number */
    e = by_ref(&m2024, "23510");
    assert_int_equal(e->schema, EMB_SCHEMA_ORGANIZATION);
    assert_int_equal(find_id(e, "5055293")->kind, EMB_ID_IMO_COMPANY);
    /* 19569: "Vessel Registration Identification IMO 5878589" on a company row
     * (check digit fails): a company number, never a ship IMO */
    e = by_ref(&m2024, "19569");
    assert_int_equal(find_id(e, "5878589")->kind, EMB_ID_IMO_COMPANY);
}

static void test_2024_remarks(void **state)
{
    (void)state;
    /* DOB circa 1951; POB Foca, Bosnia-Herzegovina */
    const emb_entity *e = by_ref(&m2024, "7782");
    const emb_date *d = find_date(e, EMB_DATE_APPROX, 1951);
    assert_non_null(d);
    assert_string_equal(d->raw, "circa 1951");
    assert_int_equal(e->nbirth_places, 1);
    assert_string_equal(e->birth_places[0].city, "Foca");
    assert_string_equal(e->birth_places[0].country, "Bosnia-Herzegovina");
    assert_string_equal(e->birth_places[0].cc, "ba");

    /* DOB 1929 to 1930 */
    e = by_ref(&m2024, "15496");
    d = find_date(e, EMB_DATE_RANGE, 1929);
    assert_non_null(d);
    assert_int_equal(d->year_to, 1930);

    /* DOB 01 Jan 1977 to 31 Dec 1985: a range of years */
    e = by_ref(&m2024, "16540");
    d = find_date(e, EMB_DATE_RANGE, 1977);
    assert_non_null(d);
    assert_int_equal(d->year_to, 1985);
    assert_string_equal(d->raw, "01 Jan 1977 to 31 Dec 1985");

    /* NAQDI: 6 programmes, range/month/year dates, two POBs, nationality, gender */
    e = by_ref(&m2024, "12057");
    assert_int_equal(e->nprograms, 6);
    assert_string_equal(e->programs[0], "SDGT");
    assert_string_equal(e->programs[5], "IRAN-EO13876");
    assert_int_equal(e->nbirth_dates, 4);
    assert_non_null(find_date(e, EMB_DATE_RANGE, 1951));
    assert_non_null(find_date(e, EMB_DATE_RANGE, 1960));
    d = find_date(e, EMB_DATE_MONTH, 1961);
    assert_non_null(d);
    assert_int_equal(d->month, 4);
    assert_non_null(find_date(e, EMB_DATE_YEAR, 1953));
    assert_int_equal(e->nbirth_places, 2);
    assert_string_equal(e->birth_places[1].cc, "ir");
    assert_int_equal(e->nnationalities, 1);
    assert_string_equal(e->nationalities[0].cc, "ir");
    assert_string_equal(e->gender, "male");

    /* Passport 1084010 (Egypt); alt. Passport 19820215 */
    e = by_ref(&m2024, "2676");
    const emb_identifier *id = find_id(e, "1084010");
    assert_non_null(id);
    assert_int_equal(id->kind, EMB_ID_PASSPORT);
    assert_string_equal(id->country, "Egypt");
    assert_string_equal(id->cc, "eg");
    id = find_id(e, "19820215");
    assert_non_null(id);
    assert_int_equal(id->kind, EMB_ID_PASSPORT);
    assert_null(id->country);
    assert_string_equal(find_name(e, "Dr. Ayman AL ZAWAHIRI")->full, "Dr. Ayman AL ZAWAHIRI");

    /* a weak a.k.a. in the remarks of an entity */
    e = by_ref(&m2024, "306");
    const emb_name *n = find_name(e, "BNC");
    assert_non_null(n);
    assert_int_equal(n->kind, EMB_NAME_WEAK);
    assert_int_equal(e->schema, EMB_SCHEMA_ORGANIZATION);
}

/* ---- the 2021-07 set of four files ------------------------------------------------- */

static void test_trio_joins(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    int rc = load_path(&m, TRIO);
    if (rc < 0)
        fail_msg("%s", emb_err_last());
    assert_int_equal(m.nentities, 8976);
    assert_int_equal(m.lists[0].nby_schema[EMB_SCHEMA_PERSON], 4620);
    assert_int_equal(m.lists[0].nby_schema[EMB_SCHEMA_ORGANIZATION], 3673);
    assert_int_equal(m.lists[0].nby_schema[EMB_SCHEMA_VESSEL], 406);
    assert_int_equal(m.lists[0].nby_schema[EMB_SCHEMA_AIRCRAFT], 277);

    /* alt.csv: 306,220,"aka","NATIONAL BANK OF CUBA"; add.csv: four addresses */
    const emb_entity *e = by_ref(&m, "306");
    const emb_name *n = find_name(e, "NATIONAL BANK OF CUBA");
    assert_non_null(n);
    assert_int_equal(n->kind, EMB_NAME_ALIAS);
    assert_int_equal(e->naddresses, 4);
    assert_string_equal(e->addresses[0].street, "Zweierstrasse 35");
    assert_string_equal(e->addresses[0].city, "Zurich CH-8022");
    assert_string_equal(e->addresses[0].country, "Switzerland");
    assert_string_equal(e->addresses[0].cc, "ch");
    assert_string_equal(e->addresses[3].cc, "pa");

    /* sdn_comments.csv: "28263","hn'; Linked To: LAZARUS GROUP." completes the
     * cut-off a.k.a. 'snowsjo' */
    e = by_ref(&m, "28263");
    assert_non_null(strstr(e->remarks, "a.k.a. 'snowsjohn'; Linked To: LAZARUS GROUP."));
    n = find_name(e, "snowsjohn");
    assert_non_null(n);
    assert_int_equal(n->kind, EMB_NAME_WEAK);
    assert_null(find_name(e, "snowsjo"));
    assert_non_null(find_id(e, "321284198607120616"));
    assert_int_equal(find_id(e, "321284198607120616")->kind, EMB_ID_NATIONAL);
    assert_int_equal(e->naddresses, 1);
    assert_string_equal(e->addresses[0].city, "Nanjing, Jiangsu");

    /* former names from alt.csv are FORMER */
    size_t fka = 0;
    for (size_t i = 0; i < m.nentities; i++)
        for (size_t k = 1; k < m.entities[i].nnames; k++)
            if (m.entities[i].names[k].kind == EMB_NAME_FORMER && m.entities[i].names[k].note == NULL)
                fka++;
    assert_true(fka >= 369);
    emb_model_dispose(&m);
}

/* ---- inline buffers ------------------------------------------------------------------ */

static void test_format_details(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    /* Windows-1252 bytes, -0- with and without the space, LF and CRLF, Ctrl-Z,
     * "" escapes, an invalid IMO check digit, a blank line */
    const char *csv =
        "1,\"M\xDCLLER, J\xF6rg\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
        "\"DOB circa 1960; nationality Germany; Gender Female.\"\r\n"
        "\r\n"
        "2,\"THE \"\"BEST\"\" \x80 CO\",-0-,\"CUBA] [SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n"
        "3,\"SHIP\",\"vessel\",\"DPRK\",-0- ,\"ABC1\",\"Tanker\",-0- ,\"1000\",\"Korea, North\","
        "\"OWNER LTD\",\"Vessel Registration Identification IMO 1234568; MMSI 445123456.\"\r\n"
        "\x1A";
    assert_int_equal(load_str(&m, csv), EMB_OK);
    assert_int_equal(m.nentities, 3);
    const emb_entity *e = by_ref(&m, "1");
    assert_string_equal(e->caption, "M\xC3\x9CLLER, J\xC3\xB6rg");
    assert_non_null(find_name(e, "J\xC3\xB6rg M\xC3\x9CLLER"));
    assert_non_null(find_date(e, EMB_DATE_APPROX, 1960));
    assert_string_equal(e->nationalities[0].cc, "de");
    assert_string_equal(e->gender, "female");
    e = by_ref(&m, "2");
    assert_string_equal(e->caption, "THE \"BEST\" \xE2\x82\xAC CO");
    assert_int_equal(e->schema, EMB_SCHEMA_ORGANIZATION);
    assert_int_equal(e->nprograms, 2);
    assert_string_equal(e->programs[1], "SDGT");
    assert_null(e->remarks);
    e = by_ref(&m, "3");
    assert_string_equal(e->flag_cc, "kp");
    assert_string_equal(e->owner, "OWNER LTD");
    const emb_identifier *id = find_id(e, "1234568");
    assert_non_null(id);
    assert_int_equal(id->kind, EMB_ID_OTHER);   /* never an exact IMO */
    assert_string_equal(id->type, "IMO (check digit invalid)");
    assert_int_equal(find_id(e, "445123456")->kind, EMB_ID_MMSI);
    emb_model_dispose(&m);
}

static void expect_error(const char *csv, int code, const char *msg)
{
    emb_model m;
    emb_model_init(&m);
    /* a list already in the model must survive a failed load untouched */
    assert_int_equal(load_direct(&m, "9,\"OK\"" ROW_NULLS ",-0- ,\"SDGT\",-0- \r\n"), EMB_OK);
    assert_int_equal(m.nentities, 1);
    int rc = load_direct(&m, csv);
    if (rc != code || !strstr(emb_err_last(), msg))
        fail_msg("rc %d, message \"%s\", expected %d and \"%s\"", rc, emb_err_last(), code, msg);
    assert_int_equal(m.nlists, 1);
    assert_int_equal(m.nentities, 1);
    emb_model_dispose(&m);
}

#define GOOD "1,\"A\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"

static void test_errors(void **state)
{
    (void)state;
    /* wrong field counts, with the line number */
    expect_error(GOOD GOOD "3,\"C\",-0- ,\"SDGT\"\r\n", EMB_EPARSE,
                 "inline.csv:3: 4 fields, expected 12");
    expect_error(GOOD "2,\"B\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,x\r\n",
                 EMB_EPARSE, "inline.csv:2: 13 fields, expected 12");
    /* bad quoting */
    expect_error(GOOD "2,\"B\"x,-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",
                 EMB_EPARSE, "inline.csv:2: field 2: text after the closing quote");
    expect_error(GOOD "2,B\"C,-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",
                 EMB_EPARSE, "inline.csv:2: field 2: quote inside an unquoted field");
    expect_error(GOOD "2,\"B,-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",
                 EMB_EPARSE, "inline.csv:2:");
    expect_error(GOOD "2,\"B\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"open\r\n",
                 EMB_EPARSE, "inline.csv:2: field 12: quoted field not closed");
    /* bad values */
    expect_error(GOOD "x2,\"B\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",
                 EMB_EPARSE, "inline.csv:2: ent_num is not a number");
    expect_error(GOOD "2,-0- ,-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",
                 EMB_EPARSE, "inline.csv:2: no SDN_Name");
    expect_error(GOOD "2,\"B\",\"spaceship\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",
                 EMB_EPARSE, "inline.csv:2: unknown SDN_Type");
    expect_error(GOOD GOOD, EMB_EPARSE, "inline.csv:2: ent_num 1 repeats line 1");
    expect_error("", EMB_EPARSE, "inline.csv:1: empty file");
    expect_error("\x1A", EMB_EPARSE, "inline.csv:1: empty file");
    static const char nul[] = "1,\"A\0B\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n";
    emb_model m;
    emb_model_init(&m);
    assert_int_equal(emb_loader_ofac_csv.load(&m, "nul.csv", nul, sizeof(nul) - 1), EMB_EPARSE);
    assert_non_null(strstr(emb_err_last(), "nul.csv:1: NUL byte"));
    assert_int_equal(m.nentities, 0);
    assert_int_equal(m.nlists, 0);
    emb_model_dispose(&m);
}

static void test_too_big(void **state)
{
    (void)state;
    size_t big = 1024 * 1024 + 10;
    const char *head = "1,\"";
    const char *tail = "\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n";
    size_t n = strlen(head) + big + strlen(tail);
    char *buf = malloc(n + 1);
    assert_non_null(buf);
    strcpy(buf, head);
    memset(buf + strlen(head), 'A', big);
    strcpy(buf + strlen(head) + big, tail);
    emb_model m;
    emb_model_init(&m);
    /* directly: detection looks at no more than the first 1 MiB line */
    assert_int_equal(emb_loader_ofac_csv.load(&m, "big.csv", buf, n), EMB_ETOOBIG);
    assert_non_null(strstr(emb_err_last(), "big.csv:1: record longer than"));
    assert_int_equal(m.nlists, 0);
    emb_model_dispose(&m);
    free(buf);
}

static void test_detection(void **state)
{
    (void)state;
    emb_model m;
    emb_model_init(&m);
    /* sdn.csv rows are detected; other CSVs are not claimed */
    assert_true(emb_loader_ofac_csv.detect(GOOD, strlen(GOOD)));
    const char *customers = "id,name,country,dob,a,b,c,d,e,f,g,h\r\n1,\"A\",b,c,d,e,f,g,h,i,j,k\r\n";
    assert_false(emb_loader_ofac_csv.detect(customers, strlen(customers)));
    assert_int_equal(load_str(&m, customers), EMB_EPARSE);
    assert_non_null(strstr(emb_err_last(), "unrecognised"));
    const char *add = "36,25,-0- ,\"Havana\",\"Cuba\",-0- \r\n";
    assert_false(emb_loader_ofac_csv.detect(add, strlen(add)));
    const char *alt = "36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n";
    assert_false(emb_loader_ofac_csv.detect(alt, strlen(alt)));
    const char *comments = "28263,\"hn'; Linked To: LAZARUS GROUP.\"\r\n";
    assert_false(emb_loader_ofac_csv.detect(comments, strlen(comments)));
    assert_false(emb_loader_ofac_csv.detect("", 0));
    assert_false(emb_loader_ofac_csv.detect("<?xml version=\"1.0\"?>", 21));
    /* a record whose first line has a wrong count is not claimed either */
    const char *short_row = "1,\"A\",-0- \r\n";
    assert_false(emb_loader_ofac_csv.detect(short_row, strlen(short_row)));
    assert_int_equal(m.nlists, 0);
    emb_model_dispose(&m);
}

/* ---- through the public API ---------------------------------------------------------- */

static void test_screen_kim_jong_un(void **state)
{
    (void)state;
    emb_lists *ls = NULL;
    emb_source src = {SDN2024, NULL, 0};
    int rc = emb_lists_open(&ls, &src, 1);
    if (rc < 0)
        fail_msg("%s", emb_err_last());
    assert_int_equal(emb_lists_count(ls), 1);
    const emb_list_info *li = emb_lists_list(ls, 0);
    assert_string_equal(li->id, "ofac");
    assert_int_equal(li->nentities, 14965);
    const char *names[] = {"Kim Jong Un"};
    emb_query q = EMB_QUERY_INIT;
    q.names = names;
    q.nnames = 1;
    emb_results *r = NULL;
    assert_int_equal(emb_screen(&r, ls, &q, NULL), EMB_OK);
    assert_true(emb_results_count(r) >= 1);
    const emb_match *best = emb_results_get(r, 0);
    assert_string_equal(best->entity->reference, "20157");
    assert_string_equal(best->entity->list, "ofac");
    assert_true(best->match);
    emb_results_free(r);
    const emb_entity *e = emb_lists_find(ls, "ofac-20157");
    assert_non_null(e);
    assert_string_equal(e->caption, "KIM, Jong Un");
    emb_lists_free(ls);
}

int main(void)
{
    const struct CMUnitTest t2024[] = {
        cmocka_unit_test(test_2024_counts),
        cmocka_unit_test(test_2024_kim_jong_un),
        cmocka_unit_test(test_2024_vessels),
        cmocka_unit_test(test_2024_remarks),
    };
    const struct CMUnitTest other[] = {
        cmocka_unit_test(test_trio_joins),
        cmocka_unit_test(test_format_details),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_detection),
        cmocka_unit_test(test_screen_kim_jong_un),
    };
    int fails = cmocka_run_group_tests_name("ofac_csv_2024", t2024, setup_2024, teardown_2024);
    fails += cmocka_run_group_tests_name("ofac_csv", other, NULL, NULL);
    return fails;
}
