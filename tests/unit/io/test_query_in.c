/*
 * test_query_in.c - batch input readers (src/io/query_in.c, qschema.c):
 * the JSON-lines and CSV record contract other tools rely on, every error
 * message of that contract, the record cap of the readers, and a real
 * benchmark CSV (tests/data/bench, plus ../shared when EMB_SHARED_DIR is set).
 */
#include "util/compat.h"
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "embargo.h"
#include "io/query_in.h"

/* ---- helpers ------------------------------------------------------------ */

static int json(emb_qrec *r, const char *s)
{
    return emb_qrec_from_json(r, s, strlen(s));
}

static void assert_err(int rc, int want, const char *fragment)
{
    if (rc != want || !strstr(emb_err_last(), fragment))
        fail_msg("rc %d (want %d), message '%s' (want '%s')", rc, want, emb_err_last(), fragment);
}

/* fmemopen needs a writable buffer in older libcs; the copy is freed by
 * close_mem. */
typedef struct memfile {
    FILE *f;
    char *buf;
} memfile;

static memfile open_mem(const char *s, size_t n)
{
    memfile m;
    m.buf = malloc(n + 1);
    assert_non_null(m.buf);
    memcpy(m.buf, s, n);
    m.buf[n] = '\0';
    m.f = fmemopen(m.buf, n, "r");
    assert_non_null(m.f);
    return m;
}

static void close_mem(memfile *m)
{
    fclose(m->f);
    free(m->buf);
}

static int csv_line(emb_qrec *r, const char *header, const char *record)
{
    emb_csv_header h;
    assert_int_equal(emb_csv_header_parse(&h, header, strlen(header)), EMB_OK);
    return emb_qrec_from_csv(r, &h, record, strlen(record));
}

/* ---- schemas -------------------------------------------------------------- */

static void test_qschema(void **state)
{
    (void)state;
    emb_qschema s = EMB_Q_PERSON;
    assert_int_equal(emb_qschema_parse(&s, "Thing"), EMB_OK);
    assert_int_equal(s, EMB_Q_THING);
    assert_int_equal(emb_qschema_parse(&s, "Person"), EMB_OK);
    assert_int_equal(s, EMB_Q_PERSON);
    assert_int_equal(emb_qschema_parse(&s, "Organization"), EMB_OK);
    assert_int_equal(s, EMB_Q_ORGANIZATION);
    assert_int_equal(emb_qschema_parse(&s, "Company"), EMB_OK);
    assert_int_equal(s, EMB_Q_ORGANIZATION);
    assert_int_equal(emb_qschema_parse(&s, "LegalEntity"), EMB_OK);
    assert_int_equal(s, EMB_Q_LEGAL_ENTITY);
    assert_int_equal(emb_qschema_parse(&s, "Vessel"), EMB_OK);
    assert_int_equal(s, EMB_Q_VESSEL);
    assert_int_equal(emb_qschema_parse(&s, "Airplane"), EMB_OK);
    assert_int_equal(s, EMB_Q_AIRPLANE);
    assert_int_equal(emb_qschema_parse(&s, "person"), EMB_EINVAL);
    assert_int_equal(emb_qschema_parse(&s, "Person "), EMB_EINVAL);
    assert_int_equal(emb_qschema_parse(&s, ""), EMB_EINVAL);
    assert_int_equal(emb_qschema_parse(&s, NULL), EMB_EINVAL);
    assert_int_equal(emb_qschema_parse(NULL, "Person"), EMB_EINVAL);
}

/* ---- JSON ------------------------------------------------------------------ */

static void test_json_contract_example(void **state)
{
    (void)state;
    emb_qrec r;
    emb_qrec_init(&r);
    int rc = json(&r, "{\"id\": \"case-17\", \"schema\": \"Person\", \"properties\": "
                      "{\"name\": [\"Ch'oe Ch'un Sik\"], \"birthDate\": [\"1963\"], "
                      "\"nationality\": [\"kp\"]}}");
    assert_int_equal(rc, EMB_OK);
    assert_string_equal(r.id, "case-17");
    assert_int_equal(r.q.version, EMB_QUERY_VERSION);
    assert_int_equal(r.q.schema, EMB_Q_PERSON);
    assert_int_equal(r.q.nnames, 1);
    assert_string_equal(r.q.names[0], "Ch'oe Ch'un Sik");
    assert_int_equal(r.q.nbirth_dates, 1);
    assert_string_equal(r.q.birth_dates[0], "1963");
    assert_int_equal(r.q.ncountries, 1);
    assert_string_equal(r.q.countries[0], "kp");
    assert_int_equal(r.q.nidentifiers, 0);
    assert_null(r.q.identifiers);
    assert_null(r.q.gender);
    emb_qrec_dispose(&r);
}

static void test_json_string_or_array(void **state)
{
    (void)state;
    emb_qrec r;
    emb_qrec_init(&r);
    assert_int_equal(json(&r, "{\"properties\": {\"name\": \"Kim Jong Un\", "
                              "\"birthDate\": \"1984-01-08\"}}"),
                     EMB_OK);
    assert_null(r.id);
    assert_int_equal(r.q.schema, EMB_Q_THING);
    assert_int_equal(r.q.nnames, 1);
    assert_string_equal(r.q.names[0], "Kim Jong Un");
    assert_string_equal(r.q.birth_dates[0], "1984-01-08");

    /* the record is reused without an explicit reset */
    assert_int_equal(json(&r, "{\"schema\": \"Company\", \"properties\": {\"name\": "
                              "[\"Acme\", \"ACME Ltd\", \"Acme\"], \"alias\": \"Acme Corp\", "
                              "\"jurisdiction\": [\"ru\"], \"registrationNumber\": [\"123\"], "
                              "\"innCode\": \"7701\"}}"),
                     EMB_OK);
    assert_int_equal(r.q.schema, EMB_Q_ORGANIZATION);
    assert_int_equal(r.q.nnames, 3);    /* the duplicate is kept once */
    assert_string_equal(r.q.names[0], "Acme");
    assert_string_equal(r.q.names[1], "ACME Ltd");
    assert_string_equal(r.q.names[2], "Acme Corp");
    assert_int_equal(r.q.ncountries, 1);
    assert_int_equal(r.q.nidentifiers, 2);
    assert_string_equal(r.q.identifiers[1], "7701");
    emb_qrec_dispose(&r);
}

static void test_json_number_id(void **state)
{
    (void)state;
    emb_qrec r;
    emb_qrec_init(&r);
    assert_int_equal(json(&r, "{\"id\": 17, \"properties\": {\"name\": [\"A B\"]}}"), EMB_OK);
    assert_string_equal(r.id, "17");
    assert_int_equal(json(&r, "{\"id\": -4.5, \"properties\": {\"name\": [\"A B\"]}}"), EMB_OK);
    assert_string_equal(r.id, "-4.5");
    assert_int_equal(json(&r, "{\"id\": 123456789012, \"properties\": {\"name\": \"A\"}}"),
                     EMB_OK);
    assert_string_equal(r.id, "123456789012");
    assert_int_equal(json(&r, "{\"id\": null, \"properties\": {\"name\": \"A\"}}"), EMB_OK);
    assert_null(r.id);
    assert_err(json(&r, "{\"id\": true, \"properties\": {\"name\": \"A\"}}"), EMB_EPARSE,
               "'id' must be a string or a number");
    emb_qrec_dispose(&r);
}

static void test_json_unknown_properties_ignored(void **state)
{
    (void)state;
    emb_qrec r;
    emb_qrec_init(&r);
    assert_int_equal(json(&r, "{\"id\": \"x\", \"extra\": {\"a\": 1}, \"properties\": "
                              "{\"notes\": 5, \"address\": [{\"a\": 1}], \"Name\": 3, "
                              "\"name\": [\"Ali\"], \"topics\": [\"sanction\"]}}"),
                     EMB_OK);
    assert_int_equal(r.q.nnames, 1);
    assert_string_equal(r.q.names[0], "Ali");
    assert_int_equal(r.q.nbirth_dates + r.q.ncountries + r.q.nidentifiers, 0);
    emb_qrec_dispose(&r);
}

static void test_json_all_properties(void **state)
{
    (void)state;
    emb_qrec r;
    emb_qrec_init(&r);
    assert_int_equal(json(&r, "{\"schema\": \"Vessel\", \"properties\": {"
                              "\"weakAlias\": \"W\", \"previousName\": [\"P\"], \"name\": \"N\","
                              "\"flag\": \"pa\", \"country\": \"ir\", \"citizenship\": \"x1\","
                              "\"birthCountry\": \"x2\", \"imoNumber\": \"IMO 9187629\","
                              "\"mmsi\": \"1\", \"ogrnCode\": \"2\", \"leiCode\": \"3\","
                              "\"swiftBic\": \"4\", \"taxNumber\": \"5\", \"idNumber\": \"6\","
                              "\"passportNumber\": \"7\", \"gender\": [\"other\", \"Female\"]}}"),
                     EMB_OK);
    assert_int_equal(r.q.schema, EMB_Q_VESSEL);
    assert_int_equal(r.q.nnames, 3);
    assert_string_equal(r.q.names[0], "W");
    assert_string_equal(r.q.names[2], "N");
    assert_int_equal(r.q.ncountries, 4);
    assert_int_equal(r.q.nidentifiers, 8);
    assert_string_equal(r.q.identifiers[0], "IMO 9187629");
    assert_string_equal(r.q.gender, "female");
    emb_qrec_dispose(&r);
}

static void test_json_name_parts(void **state)
{
    (void)state;
    emb_qrec r;
    emb_qrec_init(&r);
    assert_int_equal(json(&r, "{\"properties\": {\"lastName\": [\"Sik\"], "
                              "\"firstName\": [\"\", \"Ch'oe\", \"Other\"], "
                              "\"middleName\": \"Ch'un\"}}"),
                     EMB_OK);
    assert_int_equal(r.q.nnames, 1);
    assert_string_equal(r.q.names[0], "Ch'oe Ch'un Sik");

    /* parts are not joined when a name is given; aliases do not count */
    assert_int_equal(json(&r, "{\"properties\": {\"name\": \"Full Name\", "
                              "\"firstName\": \"A\", \"lastName\": \"B\"}}"),
                     EMB_OK);
    assert_int_equal(r.q.nnames, 1);
    assert_string_equal(r.q.names[0], "Full Name");
    assert_int_equal(json(&r, "{\"properties\": {\"alias\": \"Al\", "
                              "\"firstName\": \"A\", \"lastName\": \"B\"}}"),
                     EMB_OK);
    assert_int_equal(r.q.nnames, 2);
    assert_string_equal(r.q.names[1], "A B");
    assert_err(json(&r, "{\"properties\": {\"firstName\": 7}}"), EMB_EPARSE,
               "property 'firstName' must be a list of strings");
    emb_qrec_dispose(&r);
}

static void test_json_empty_values_dropped(void **state)
{
    (void)state;
    emb_qrec r;
    emb_qrec_init(&r);
    assert_int_equal(json(&r, "{\"id\": \"  \", \"properties\": {\"name\": [\"\", \"  \", "
                              "\" \\t X \\u00a0\", \"\\u3000\"], \"birthDate\": \"\", "
                              "\"country\": []}}"),
                     EMB_OK);
    assert_null(r.id);
    assert_int_equal(r.q.nnames, 1);
    assert_string_equal(r.q.names[0], "X");
    assert_int_equal(r.q.nbirth_dates, 0);
    assert_int_equal(r.q.ncountries, 0);
    assert_err(json(&r, "{\"id\": \"e1\", \"properties\": {\"name\": [\" \", \"\"]}}"),
               EMB_EPARSE, "query has no name");
    assert_string_equal(r.id, "e1");
    emb_qrec_dispose(&r);
}

static void test_json_invalid(void **state)
{
    (void)state;
    emb_qrec r;
    emb_qrec_init(&r);
    /* byte offsets are 0-based within the record */
    assert_err(json(&r, "{\"id\": \"x\", \"schema\": }"), EMB_EPARSE, "invalid JSON at byte 22");
    assert_string_equal(emb_err_last(), "invalid JSON at byte 22");
    assert_err(json(&r, "{\"properties\": {\"name\": \"A\"}} x"), EMB_EPARSE,
               "invalid JSON at byte 30");
    assert_err(json(&r, "{\"properties\": {\"name\": \"A\"}}{}"), EMB_EPARSE,
               "invalid JSON at byte 29");
    assert_err(json(&r, "nope"), EMB_EPARSE, "invalid JSON at byte 0");
    assert_err(emb_qrec_from_json(&r, NULL, 0), EMB_EPARSE, "invalid JSON at byte 0");
    assert_err(json(&r, ""), EMB_EPARSE, "invalid JSON at byte 0");
    assert_err(emb_qrec_from_json(&r, "{}\0", 3), EMB_EPARSE, "invalid JSON at byte 2");
    assert_err(json(&r, "{\"a\": \"\\ud800\"}"), EMB_EPARSE, "invalid JSON at byte");

    assert_err(json(&r, "[{\"properties\": {\"name\": \"A\"}}]"), EMB_EPARSE,
               "expected a JSON object");
    assert_string_equal(emb_err_last(), "expected a JSON object");
    assert_err(json(&r, "\"name\""), EMB_EPARSE, "expected a JSON object");
    assert_err(json(&r, "42"), EMB_EPARSE, "expected a JSON object");
    assert_err(json(&r, "null"), EMB_EPARSE, "expected a JSON object");
    emb_qrec_dispose(&r);
}

static void test_json_schema_errors(void **state)
{
    (void)state;
    emb_qrec r;
    emb_qrec_init(&r);
    assert_err(json(&r, "{\"id\": \"q1\", \"schema\": \"Persn\", \"properties\": "
                        "{\"name\": \"A\"}}"),
               EMB_EPARSE, "unknown schema 'Persn'");
    assert_string_equal(emb_err_last(), "unknown schema 'Persn'");
    assert_string_equal(r.id, "q1");
    assert_err(json(&r, "{\"schema\": \"person\", \"properties\": {\"name\": \"A\"}}"),
               EMB_EPARSE, "unknown schema 'person'");
    assert_err(json(&r, "{\"schema\": 3, \"properties\": {\"name\": \"A\"}}"), EMB_EPARSE,
               "'schema' must be a string");
    assert_err(json(&r, "{\"schema\": \"Person\", \"properties\": [1]}"), EMB_EPARSE,
               "'properties' must be an object");
    /* a long schema is quoted shortened */
    char big[400];
    snprintf(big, sizeof(big), "{\"schema\": \"%0200d\", \"properties\": {\"name\": \"A\"}}", 0);
    assert_err(json(&r, big), EMB_EPARSE, "...'");
    assert_true(strlen(emb_err_last()) < 100);
    emb_qrec_dispose(&r);
}

static void test_json_type_errors(void **state)
{
    (void)state;
    emb_qrec r;
    emb_qrec_init(&r);
    const char *bad[] = {
        "{\"id\": \"t1\", \"properties\": {\"name\": \"A\", \"birthDate\": 1963}}",
        "{\"id\": \"t1\", \"properties\": {\"name\": \"A\", \"birthDate\": [1963]}}",
        "{\"id\": \"t1\", \"properties\": {\"name\": \"A\", \"birthDate\": [\"1963\", null]}}",
        "{\"id\": \"t1\", \"properties\": {\"name\": \"A\", \"birthDate\": {\"y\": \"1963\"}}}",
        "{\"id\": \"t1\", \"properties\": {\"name\": \"A\", \"birthDate\": null}}",
        "{\"id\": \"t1\", \"properties\": {\"name\": \"A\", \"birthDate\": [[\"1963\"]]}}",
    };
    for (size_t i = 0; i < EMB_ARRAY_LEN(bad); i++) {
        assert_err(json(&r, bad[i]), EMB_EPARSE, "property 'birthDate' must be a list of strings");
        assert_string_equal(emb_err_last(), "property 'birthDate' must be a list of strings");
        assert_string_equal(r.id, "t1");
    }
    emb_qrec_dispose(&r);
}

static void test_json_limits(void **state)
{
    (void)state;
    emb_qrec r;
    emb_qrec_init(&r);
    char *text = malloc(64 * 1024);
    assert_non_null(text);

    /* EMB_QUERY_MAX_VALUES distinct values are fine, one more is not */
    for (int extra = 0; extra <= 1; extra++) {
        size_t n = (size_t)sprintf(text, "{\"id\": \"big\", \"properties\": {\"name\": \"N\", "
                                         "\"alias\": [");
        for (int i = 0; i < EMB_QUERY_MAX_VALUES - 1 + extra; i++)
            n += (size_t)sprintf(text + n, "%s\"alias %d\"", i ? ", " : "", i);
        strcpy(text + n, "]}}");
        int rc = json(&r, text);
        if (!extra) {
            assert_int_equal(rc, EMB_OK);
            assert_int_equal(r.q.nnames, EMB_QUERY_MAX_VALUES);
        } else {
            assert_err(rc, EMB_ETOOBIG, "property 'alias'");
            assert_string_equal(r.id, "big");
        }
    }

    /* a value of EMB_QUERY_MAX_BYTES is fine, one byte more is not */
    for (int extra = 0; extra <= 1; extra++) {
        size_t n = (size_t)sprintf(text, "{\"id\": \"long\", \"properties\": {\"name\": \"N\", "
                                         "\"passportNumber\": [\"");
        memset(text + n, '7', EMB_QUERY_MAX_BYTES + (size_t)extra);
        n += EMB_QUERY_MAX_BYTES + (size_t)extra;
        strcpy(text + n, "\"]}}");
        int rc = json(&r, text);
        if (!extra) {
            assert_int_equal(rc, EMB_OK);
            assert_int_equal(strlen(r.q.identifiers[0]), EMB_QUERY_MAX_BYTES);
        } else {
            assert_err(rc, EMB_ETOOBIG, "property 'passportNumber'");
            assert_string_equal(r.id, "long");
        }
    }

    /* the whole record is capped too */
    char *huge = malloc(EMB_QREC_MAX_BYTES + 2);
    assert_non_null(huge);
    memset(huge, ' ', EMB_QREC_MAX_BYTES + 1);
    huge[0] = '{';
    huge[EMB_QREC_MAX_BYTES] = '}';
    assert_err(emb_qrec_from_json(&r, huge, EMB_QREC_MAX_BYTES + 1), EMB_ETOOBIG, "record");
    free(huge);
    free(text);
    emb_qrec_dispose(&r);
}

static void test_json_utf8(void **state)
{
    (void)state;
    emb_qrec r;
    emb_qrec_init(&r);
    assert_int_equal(json(&r, "{\"properties\": {\"name\": [\"\xea\xb9\x80\xec\xa0\x95\xec\x9d\x80\","
                              " \"\\u041a\\u0438\\u043c\", \"\\ud83d\\ude00 x\"]}}"),
                     EMB_OK);
    assert_string_equal(r.q.names[0], "\xea\xb9\x80\xec\xa0\x95\xec\x9d\x80");
    assert_string_equal(r.q.names[1], "\xd0\x9a\xd0\xb8\xd0\xbc");
    assert_string_equal(r.q.names[2], "\xf0\x9f\x98\x80 x");

    const char *bad[] = {
        "{\"id\": \"u\", \"properties\": {\"name\": \"A\", \"country\": [\"k\xff\"]}}",
        "{\"id\": \"u\", \"properties\": {\"name\": \"A\", \"country\": \"\xc0\xaf\"}}",
        "{\"id\": \"u\", \"properties\": {\"name\": \"A\", \"country\": \"\xed\xa0\x80\"}}",
        "{\"id\": \"u\", \"properties\": {\"name\": \"A\", \"country\": \"\xf4\x90\x80\x80\"}}",
        "{\"id\": \"u\", \"properties\": {\"name\": \"A\", \"country\": \"ab\xe2\x82\"}}",
    };
    for (size_t i = 0; i < EMB_ARRAY_LEN(bad); i++) {
        assert_err(json(&r, bad[i]), EMB_EPARSE, "'country' is not valid UTF-8");
        assert_string_equal(r.id, "u");
    }
    assert_err(json(&r, "{\"id\": \"a\xff\", \"properties\": {\"name\": \"A\"}}"), EMB_EPARSE,
               "'id' is not valid UTF-8");
    assert_null(r.id);
    assert_err(json(&r, "{\"schema\": \"P\xff\", \"properties\": {\"name\": \"A\"}}"),
               EMB_EPARSE, "'schema' is not valid UTF-8");
    emb_qrec_dispose(&r);
}

static void test_json_bom_and_crlf(void **state)
{
    (void)state;
    emb_qrec r;
    emb_qrec_init(&r);
    assert_int_equal(json(&r, "\xef\xbb\xbf{\"properties\": {\"name\": \"A\"}}\r"), EMB_OK);
    assert_string_equal(r.q.names[0], "A");
    emb_qrec_dispose(&r);
}

/* ---- line reader ----------------------------------------------------------- */

static void test_read_line_crlf_blank_eof(void **state)
{
    (void)state;
    const char text[] = "{\"a\": 1}\r\n\r\n\nlast\rx\r\nend";
    memfile m = open_mem(text, sizeof(text) - 1);
    emb_buf b;
    emb_buf_init(&b, EMB_QREC_MAX_BYTES);
    assert_int_equal(emb_read_line(m.f, &b), 1);
    assert_string_equal(emb_buf_cstr(&b), "{\"a\": 1}");
    assert_int_equal(emb_read_line(m.f, &b), 1);
    assert_int_equal(b.len, 0);
    assert_non_null(b.ptr);
    assert_int_equal(emb_read_line(m.f, &b), 1);
    assert_int_equal(b.len, 0);
    assert_int_equal(emb_read_line(m.f, &b), 1);
    assert_string_equal(emb_buf_cstr(&b), "last\rx");   /* only a trailing \r goes */
    assert_int_equal(emb_read_line(m.f, &b), 1);
    assert_string_equal(emb_buf_cstr(&b), "end");
    assert_int_equal(emb_read_line(m.f, &b), 0);
    assert_int_equal(emb_read_line(m.f, &b), 0);
    close_mem(&m);
    emb_buf_dispose(&b);
}

/* Lines longer than the cap are skipped whole; reading continues after. */
static void test_read_line_too_long(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    for (size_t i = 0; i < EMB_QREC_MAX_BYTES + 100; i++)
        fputc('x', f);
    fputs("\n{\"id\": \"next\", \"properties\": {\"name\": \"A\"}}\n", f);
    for (size_t i = 0; i < EMB_QREC_MAX_BYTES; i++)   /* exactly the cap, CRLF */
        fputc('y', f);
    fputs("\r\n", f);
    for (size_t i = 0; i < EMB_QREC_MAX_BYTES + 1; i++)   /* at end of input */
        fputc('z', f);
    rewind(f);

    emb_buf b;
    emb_buf_init(&b, EMB_QREC_MAX_BYTES);
    emb_qrec r;
    emb_qrec_init(&r);
    assert_err(emb_read_line(f, &b), EMB_ETOOBIG, "record longer than");
    assert_int_equal(emb_read_line(f, &b), 1);
    assert_int_equal(emb_qrec_from_json(&r, b.ptr, b.len), EMB_OK);
    assert_string_equal(r.id, "next");
    assert_int_equal(emb_read_line(f, &b), 1);
    assert_int_equal(b.len, EMB_QREC_MAX_BYTES);
    assert_int_equal(emb_read_line(f, &b), EMB_ETOOBIG);
    assert_int_equal(emb_read_line(f, &b), 0);
    emb_qrec_dispose(&r);
    emb_buf_dispose(&b);
    fclose(f);
}

/* ---- CSV header ------------------------------------------------------------- */

static void test_csv_header(void **state)
{
    (void)state;
    emb_csv_header h;
    const char *hdr = "\xef\xbb\xbf" "ID, Name ,SCHEMA,birthdate,Nationality,country,"
                      "idNumber,passport_number,\"imoNumber\",gender,notes,\"a,b\"\r";
    assert_int_equal(emb_csv_header_parse(&h, hdr, strlen(hdr)), EMB_OK);
    assert_int_equal(h.ncols, 12);
    assert_int_equal(h.cols[0], EMB_CSV_ID);
    assert_int_equal(h.cols[1], EMB_CSV_NAME);
    assert_int_equal(h.cols[2], EMB_CSV_SCHEMA);
    assert_int_equal(h.cols[3], EMB_CSV_BIRTHDATE);
    assert_int_equal(h.cols[4], EMB_CSV_NATIONALITY);
    assert_int_equal(h.cols[5], EMB_CSV_COUNTRY);
    assert_int_equal(h.cols[6], EMB_CSV_IDNUMBER);
    assert_int_equal(h.cols[7], EMB_CSV_PASSPORT);
    assert_int_equal(h.cols[8], EMB_CSV_IMO);
    assert_int_equal(h.cols[9], EMB_CSV_GENDER);
    assert_int_equal(h.cols[10], EMB_CSV_IGNORE);
    assert_int_equal(h.cols[11], EMB_CSV_IGNORE);

    const char *bench = "full_name,first_name,middle_name,last_name,gender,date_of_birth,"
                        "place_of_birth,nationality";
    assert_int_equal(emb_csv_header_parse(&h, bench, strlen(bench)), EMB_OK);
    assert_int_equal(h.ncols, 8);
    assert_int_equal(h.cols[0], EMB_CSV_NAME);
    assert_int_equal(h.cols[1], EMB_CSV_IGNORE);
    assert_int_equal(h.cols[5], EMB_CSV_BIRTHDATE);
    assert_int_equal(h.cols[7], EMB_CSV_NATIONALITY);

    assert_err(emb_csv_header_parse(&h, "id,birthDate", 12), EMB_EPARSE,
               "CSV header has no 'name' column");
    assert_err(emb_csv_header_parse(&h, "", 0), EMB_EPARSE, "no 'name' column");
    assert_err(emb_csv_header_parse(&h, NULL, 0), EMB_EPARSE, "no 'name' column");
    assert_err(emb_csv_header_parse(&h, "\"name", 5), EMB_EPARSE, "unterminated quoted field");

    char many[1024];
    size_t n = (size_t)sprintf(many, "name");
    for (int i = 1; i < EMB_CSV_MAX_COLUMNS; i++)
        n += (size_t)sprintf(many + n, ",c%d", i);
    assert_int_equal(emb_csv_header_parse(&h, many, n), EMB_OK);
    assert_int_equal(h.ncols, EMB_CSV_MAX_COLUMNS);
    strcpy(many + n, ",one_more");
    assert_err(emb_csv_header_parse(&h, many, strlen(many)), EMB_ETOOBIG, "more than 64 columns");
}

/* ---- CSV records ------------------------------------------------------------- */

static void test_csv_record_basic(void **state)
{
    (void)state;
    emb_qrec r;
    emb_qrec_init(&r);
    const char *hdr = "id,name,schema,birthDate,nationality,country,idNumber,passportNumber,"
                      "imoNumber,gender";
    assert_int_equal(csv_line(&r, hdr, "c-1,\"Salek, Abdulhai\",Person,1965;1966,af; pk ,,"
                                       "ID1,P2,,M"),
                     EMB_OK);
    assert_string_equal(r.id, "c-1");
    assert_int_equal(r.q.schema, EMB_Q_PERSON);
    assert_int_equal(r.q.nnames, 1);
    assert_string_equal(r.q.names[0], "Salek, Abdulhai");
    assert_int_equal(r.q.nbirth_dates, 2);
    assert_string_equal(r.q.birth_dates[1], "1966");
    assert_int_equal(r.q.ncountries, 2);
    assert_string_equal(r.q.countries[1], "pk");
    assert_int_equal(r.q.nidentifiers, 2);
    assert_string_equal(r.q.identifiers[0], "ID1");
    assert_string_equal(r.q.identifiers[1], "P2");
    assert_string_equal(r.q.gender, "male");

    /* quoted "" escapes, ';' alternatives in the name, missing schema = Thing */
    assert_int_equal(csv_line(&r, "name,notes,schema",
                              "\"The \"\"Lucky\"\" Ship; Lucky\",\"x, \"\"y\"\"\","),
                     EMB_OK);
    assert_null(r.id);
    assert_int_equal(r.q.schema, EMB_Q_THING);
    assert_int_equal(r.q.nnames, 2);
    assert_string_equal(r.q.names[0], "The \"Lucky\" Ship");
    assert_string_equal(r.q.names[1], "Lucky");

    /* fewer cells than columns, blanks around a quoted cell, CRLF leftover */
    assert_int_equal(csv_line(&r, "name,country,schema", "  \"Acme, Inc.\"  \r"), EMB_OK);
    assert_string_equal(r.q.names[0], "Acme, Inc.");
    assert_int_equal(r.q.ncountries, 0);
    /* a literal quote inside an unquoted cell is kept */
    assert_int_equal(csv_line(&r, "name", "John \"Jack\" Smith"), EMB_OK);
    assert_string_equal(r.q.names[0], "John \"Jack\" Smith");
    /* trailing empty cells beyond the header are tolerated */
    assert_int_equal(csv_line(&r, "name,country", "A,us,, "), EMB_OK);
    /* schema names as in JSON */
    assert_int_equal(csv_line(&r, "name,schema", "A, Vessel "), EMB_OK);
    assert_int_equal(r.q.schema, EMB_Q_VESSEL);
    assert_int_equal(csv_line(&r, "schema,name", "LegalEntity,A"), EMB_OK);
    assert_int_equal(r.q.schema, EMB_Q_LEGAL_ENTITY);
    emb_qrec_dispose(&r);
}

static void test_csv_record_errors(void **state)
{
    (void)state;
    emb_qrec r;
    emb_qrec_init(&r);
    const char *hdr = "id,name,schema,birthDate";
    assert_err(csv_line(&r, hdr, "e1,,Person,1960"), EMB_EPARSE, "missing name");
    assert_string_equal(emb_err_last(), "missing name");
    assert_string_equal(r.id, "e1");
    assert_err(csv_line(&r, hdr, "e2, ; ,Person,1960"), EMB_EPARSE, "missing name");
    assert_err(csv_line(&r, hdr, ""), EMB_EPARSE, "missing name");
    emb_csv_header h;
    assert_int_equal(emb_csv_header_parse(&h, hdr, strlen(hdr)), EMB_OK);
    assert_err(emb_qrec_from_csv(&r, &h, NULL, 0), EMB_EPARSE, "missing name");
    assert_null(r.id);
    assert_err(csv_line(&r, hdr, "e3,A,Persn,1960"), EMB_EPARSE, "unknown schema 'Persn'");
    assert_string_equal(r.id, "e3");
    assert_err(csv_line(&r, hdr, "e4,Smith, John,Person,1960"), EMB_EPARSE,
               "record has 5 fields but the header has 4");
    assert_string_equal(r.id, "e4");
    assert_err(csv_line(&r, hdr, "e5,\"A\"x,Person"), EMB_EPARSE,
               "unexpected character after a closing quote at byte 6");
    assert_string_equal(r.id, "e5");
    assert_err(csv_line(&r, hdr, "e6,\"A"), EMB_EPARSE, "unterminated quoted field at byte 3");
    assert_string_equal(r.id, "e6");
    assert_err(csv_line(&r, hdr, "e7,A\xff,Person"), EMB_EPARSE,
               "column 'name' is not valid UTF-8");
    assert_string_equal(r.id, "e7");
    assert_err(emb_qrec_from_csv(&r, &(emb_csv_header){ { EMB_CSV_ID, EMB_CSV_NAME }, 2 },
                                 "e8,A\0B", 6),
               EMB_EPARSE, "column 'name' is not valid UTF-8");

    char *rec = malloc(16 * 1024);
    assert_non_null(rec);
    size_t n = (size_t)sprintf(rec, "e9,A,,");
    for (int i = 0; i <= EMB_QUERY_MAX_VALUES; i++)
        n += (size_t)sprintf(rec + n, "%s19%02d", i ? ";" : "", i);
    assert_err(csv_line(&r, hdr, rec), EMB_ETOOBIG, "column 'birthDate' has too many values");
    assert_string_equal(r.id, "e9");
    n = (size_t)sprintf(rec, "e10,");
    memset(rec + n, 'a', EMB_QUERY_MAX_BYTES + 1);
    rec[n + EMB_QUERY_MAX_BYTES + 1] = '\0';
    assert_err(csv_line(&r, hdr, rec), EMB_ETOOBIG, "column 'name' has a value of 4097 bytes");
    assert_string_equal(r.id, "e10");
    free(rec);
    emb_qrec_dispose(&r);
}

/* ---- CSV reader ---------------------------------------------------------------- */

static void test_csv_read_records(void **state)
{
    (void)state;
    const char text[] = "\xef\xbb\xbfname,Country,extra\r\n"
                        "\"Line one\nline two\",ru,x\r\n"
                        "\r\n"
                        "\"a \"\"quoted\"\"\nand\r\nmore\",\"x,y\",\n"
                        "last,,\"tail\"";
    memfile m = open_mem(text, sizeof(text) - 1);
    emb_buf b;
    emb_buf_init(&b, EMB_QREC_MAX_BYTES);
    emb_csv_header h;
    emb_qrec r;
    emb_qrec_init(&r);
    size_t lines = 99;

    assert_int_equal(emb_csv_read_record(m.f, &b, &lines), 1);
    assert_int_equal(lines, 1);
    assert_int_equal(emb_csv_header_parse(&h, b.ptr, b.len), EMB_OK);
    assert_int_equal(h.cols[1], EMB_CSV_COUNTRY);

    assert_int_equal(emb_csv_read_record(m.f, &b, &lines), 1);
    assert_int_equal(lines, 2);
    assert_string_equal(emb_buf_cstr(&b), "\"Line one\nline two\",ru,x");
    assert_int_equal(emb_qrec_from_csv(&r, &h, b.ptr, b.len), EMB_OK);
    assert_string_equal(r.q.names[0], "Line one\nline two");
    assert_string_equal(r.q.countries[0], "ru");

    assert_int_equal(emb_csv_read_record(m.f, &b, &lines), 1);    /* blank line */
    assert_int_equal(lines, 1);
    assert_int_equal(b.len, 0);
    assert_non_null(b.ptr);

    assert_int_equal(emb_csv_read_record(m.f, &b, &lines), 1);
    assert_int_equal(lines, 3);
    assert_int_equal(emb_qrec_from_csv(&r, &h, b.ptr, b.len), EMB_OK);
    assert_string_equal(r.q.names[0], "a \"quoted\"\nand\r\nmore");
    assert_int_equal(r.q.ncountries, 1);
    assert_string_equal(r.q.countries[0], "x,y");

    assert_int_equal(emb_csv_read_record(m.f, &b, &lines), 1);
    assert_int_equal(lines, 1);
    assert_string_equal(emb_buf_cstr(&b), "last,,\"tail\"");
    assert_int_equal(emb_qrec_from_csv(&r, &h, b.ptr, b.len), EMB_OK);
    assert_int_equal(emb_csv_read_record(m.f, &b, &lines), 0);
    assert_int_equal(lines, 0);

    emb_qrec_dispose(&r);
    emb_buf_dispose(&b);
    close_mem(&m);

    /* an unterminated quote runs to the end of input */
    const char open_quote[] = "name\n\"abc\ndef\n";
    m = open_mem(open_quote, sizeof(open_quote) - 1);
    assert_int_equal(emb_csv_read_record(m.f, &b, &lines), 1);
    assert_err(emb_csv_read_record(m.f, &b, &lines), EMB_EPARSE, "unterminated quoted field");
    assert_int_equal(lines, 2);
    assert_int_equal(emb_csv_read_record(m.f, &b, &lines), 0);
    emb_buf_dispose(&b);
    close_mem(&m);
}

static void test_csv_read_too_long(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    fputs("id,name\n", f);
    /* a quoted field spanning lines beyond the cap: the whole record goes */
    fputs("big,\"", f);
    for (size_t i = 0; i < EMB_QREC_MAX_BYTES + 10; i++)
        fputc(i % 1000 == 999 ? '\n' : 'x', f);
    fputs("\"\nok,Next Name\n", f);
    rewind(f);

    emb_buf b;
    emb_buf_init(&b, EMB_QREC_MAX_BYTES);
    emb_csv_header h;
    emb_qrec r;
    emb_qrec_init(&r);
    size_t lines = 0;
    assert_int_equal(emb_csv_read_record(f, &b, &lines), 1);
    assert_int_equal(emb_csv_header_parse(&h, b.ptr, b.len), EMB_OK);
    assert_err(emb_csv_read_record(f, &b, &lines), EMB_ETOOBIG, "record longer than");
    assert_int_equal(lines, (EMB_QREC_MAX_BYTES + 10) / 1000 + 1);
    assert_int_equal(emb_csv_read_record(f, &b, &lines), 1);
    assert_int_equal(emb_qrec_from_csv(&r, &h, b.ptr, b.len), EMB_OK);
    assert_string_equal(r.id, "ok");
    assert_string_equal(r.q.names[0], "Next Name");
    assert_int_equal(emb_csv_read_record(f, &b, &lines), 0);
    emb_qrec_dispose(&r);
    emb_buf_dispose(&b);
    fclose(f);
}

/* ---- real benchmark file ---------------------------------------------------------- */

static void check_bench_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    emb_buf b;
    emb_buf_init(&b, EMB_QREC_MAX_BYTES);
    emb_csv_header h;
    emb_qrec r;
    emb_qrec_init(&r);
    size_t lines = 0, line = 1, records = 0, with_date = 0, with_country = 0;

    assert_int_equal(emb_csv_read_record(f, &b, &lines), 1);
    assert_int_equal(emb_csv_header_parse(&h, b.ptr, b.len), EMB_OK);
    line += lines;
    int rc;
    while ((rc = emb_csv_read_record(f, &b, &lines)) == 1) {
        int qrc = emb_qrec_from_csv(&r, &h, b.ptr, b.len);
        if (qrc != EMB_OK)
            fail_msg("%s:%zu: %s", path, line, emb_err_last());
        if (records == 0) {
            assert_string_equal(r.q.names[0], "SALEK, ABDULHAI");
            assert_string_equal(r.q.birth_dates[0], "1965");
            assert_string_equal(r.q.countries[0], "af");
        }
        assert_int_equal(r.q.nnames, 1);
        with_date += r.q.nbirth_dates > 0;
        with_country += r.q.ncountries > 0;
        records++;
        line += lines;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(records, 683);
    assert_int_equal(line, 685);
    assert_true(with_date > 600);
    assert_true(with_country > 300);
    emb_qrec_dispose(&r);
    emb_buf_dispose(&b);
    fclose(f);
}

static void test_bench_copy(void **state)
{
    (void)state;
    check_bench_file("tests/data/bench/positives_un_treated.csv");
}

static void test_bench_shared(void **state)
{
    (void)state;
    const char *dir = getenv("EMB_SHARED_DIR");
    struct stat st;
    if (!dir || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        skip();
    char path[4096];
    snprintf(path, sizeof(path), "%s/data/bench/opensanctions/positives_un_treated.csv", dir);
    if (stat(path, &st) != 0)
        skip();
    check_bench_file(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qschema),
        cmocka_unit_test(test_json_contract_example),
        cmocka_unit_test(test_json_string_or_array),
        cmocka_unit_test(test_json_number_id),
        cmocka_unit_test(test_json_unknown_properties_ignored),
        cmocka_unit_test(test_json_all_properties),
        cmocka_unit_test(test_json_name_parts),
        cmocka_unit_test(test_json_empty_values_dropped),
        cmocka_unit_test(test_json_invalid),
        cmocka_unit_test(test_json_schema_errors),
        cmocka_unit_test(test_json_type_errors),
        cmocka_unit_test(test_json_limits),
        cmocka_unit_test(test_json_utf8),
        cmocka_unit_test(test_json_bom_and_crlf),
        cmocka_unit_test(test_read_line_crlf_blank_eof),
        cmocka_unit_test(test_read_line_too_long),
        cmocka_unit_test(test_csv_header),
        cmocka_unit_test(test_csv_record_basic),
        cmocka_unit_test(test_csv_record_errors),
        cmocka_unit_test(test_csv_read_records),
        cmocka_unit_test(test_csv_read_too_long),
        cmocka_unit_test(test_bench_copy),
        cmocka_unit_test(test_bench_shared),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
