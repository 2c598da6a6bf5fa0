/*
 * query_json_fuzz.c - fuzz target for one JSON batch record
 * (emb_qrec_from_json): any bytes must give EMB_OK or an error with a
 * message, never a crash, a leak or an out-of-bounds read. On success the
 * query must honour the documented caps.
 */
#include "util/compat.h"
#include <stdlib.h>
#include <string.h>
#include "embargo.h"
#include "io/query_in.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_field(const char *const *vals, size_t n)
{
    if (n > EMB_QUERY_MAX_VALUES || (n && !vals))
        abort();
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(vals[i]);
        if (len == 0 || len > EMB_QUERY_MAX_BYTES)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    emb_qrec r;
    emb_qrec_init(&r);
    int rc = emb_qrec_from_json(&r, (const char *)data, size);
    if (rc == EMB_OK) {
        if (r.q.nnames == 0)
            abort();
        check_field(r.q.names, r.q.nnames);
        check_field(r.q.birth_dates, r.q.nbirth_dates);
        check_field(r.q.countries, r.q.ncountries);
        check_field(r.q.identifiers, r.q.nidentifiers);
    } else if (emb_err_last()[0] == '\0') {
        abort();
    }
    if (r.id && strlen(r.id) > EMB_QUERY_MAX_BYTES)
        abort();
    emb_qrec_dispose(&r);
    return 0;
}
