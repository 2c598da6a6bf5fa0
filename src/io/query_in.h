/*
 * query_in.h - batch input: one query per JSON line (yente EntityExample
 * plus "id") or per CSV record (header row with `name` and optional
 * id, schema, birthDate, nationality, country, idNumber, passportNumber,
 * imoNumber columns).
 *
 * An emb_qrec owns every string it holds (one arena per record); its
 * `q` member points into that storage and is ready for emb_screen. Parsing
 * errors return EMB_EPARSE with emb_err_last() naming the field or the byte
 * position inside the record (the caller prefixes the line number).
 */
#ifndef EMB_QUERY_IN_H
#define EMB_QUERY_IN_H

#include "embargo.h"
#include "util/arena.h"
#include "util/buf.h"
#include <stdio.h>

#define EMB_QREC_MAX_BYTES (1u << 20)     /* one input record (line) */
#define EMB_CSV_MAX_COLUMNS 64

typedef struct emb_qrec {
    emb_arena arena;       /* owns all strings and arrays below */
    const char *id;        /* "id" field, or NULL when absent */
    emb_query q;
} emb_qrec;

void emb_qrec_init(emb_qrec *r);
void emb_qrec_dispose(emb_qrec *r);     /* frees everything the record holds */
void emb_qrec_reset(emb_qrec *r);       /* dispose + init, for reuse */

/* One JSON object: {"id": "...", "schema": "Person", "properties": {...}}.
 * Property values are arrays of strings (a bare string is accepted).
 * Unknown properties are ignored, as yente does; a known property of the
 * wrong type is an error naming it. Names come from name, alias,
 * previousName, weakAlias, firstName+middleName+lastName (joined) when
 * name is absent; dates from birthDate; countries from nationality,
 * country, citizenship, birthCountry, jurisdiction, flag; identifiers from
 * idNumber, passportNumber, imoNumber, registrationNumber, taxNumber,
 * mmsi, innCode, ogrnCode, leiCode, swiftBic. At least one name is
 * required. "id" may be a string or a number. */
int emb_qrec_from_json(emb_qrec *r, const char *text, size_t len);

/* CSV header: column name -> field. Unknown columns are ignored; a missing
 * `name` column is an error. */
typedef enum emb_csv_field {
    EMB_CSV_IGNORE = 0, EMB_CSV_ID, EMB_CSV_NAME, EMB_CSV_SCHEMA, EMB_CSV_BIRTHDATE,
    EMB_CSV_NATIONALITY, EMB_CSV_COUNTRY, EMB_CSV_IDNUMBER, EMB_CSV_PASSPORT, EMB_CSV_IMO,
    EMB_CSV_GENDER
} emb_csv_field;

typedef struct emb_csv_header {
    emb_csv_field cols[EMB_CSV_MAX_COLUMNS];
    size_t ncols;
} emb_csv_header;

int emb_csv_header_parse(emb_csv_header *h, const char *text, size_t len);
/* One CSV record (RFC 4180: quoted fields, "" escapes, fields may hold
 * newlines). Several values in one cell may be separated by ';'. */
int emb_qrec_from_csv(emb_qrec *r, const emb_csv_header *h, const char *text, size_t len);

/* Read the next CSV record (one physical line, or several when a quoted
 * field spans lines) into `out` without its line terminator. *lines
 * receives the number of physical lines consumed. Returns 1 for a record, 0
 * at end of input, or a negative error (EMB_ETOOBIG past
 * EMB_QREC_MAX_BYTES; the rest of that record is skipped). An unterminated
 * quote at end of input is EMB_EPARSE. */
int emb_csv_read_record(FILE *f, emb_buf *out, size_t *lines);

/* Read one physical line (for JSONL) without its terminator; same returns. */
int emb_read_line(FILE *f, emb_buf *out);

#endif
