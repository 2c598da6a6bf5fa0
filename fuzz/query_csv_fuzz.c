/*
 * query_csv_fuzz.c - fuzz target for CSV batch input: the first record is
 * the header (emb_csv_header_parse), every later record is read with
 * emb_csv_read_record from an fmemopen stream and parsed with
 * emb_qrec_from_csv. Exercises the record reader's quote state machine and
 * the field splitter together; any input must end without a crash or leak.
 */
#include "util/compat.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "embargo.h"
#include "io/query_in.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    char *copy = malloc(size);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    FILE *f = fmemopen(copy, size, "r");
    if (!f) {
        free(copy);
        return 0;
    }
    emb_buf b;
    emb_buf_init(&b, EMB_QREC_MAX_BYTES);
    emb_qrec r;
    emb_qrec_init(&r);
    emb_csv_header h;
    size_t lines = 0, total = 0;
    int rc = emb_csv_read_record(f, &b, &lines);
    total += lines;
    if (rc == 1 && emb_csv_header_parse(&h, b.ptr, b.len) == EMB_OK) {
        for (;;) {
            rc = emb_csv_read_record(f, &b, &lines);
            if (rc == 0)
                break;
            total += lines;
            if (rc == 1 && emb_qrec_from_csv(&r, &h, b.ptr, b.len) == EMB_OK &&
                (r.q.nnames == 0 || r.q.nnames > EMB_QUERY_MAX_VALUES))
                abort();
            if (rc < 0 && rc != EMB_EPARSE && rc != EMB_ETOOBIG)
                abort();
            if (total > size + 1)   /* every record consumes input */
                abort();
        }
    }
    emb_qrec_dispose(&r);
    emb_buf_dispose(&b);
    fclose(f);
    free(copy);
    return 0;
}
