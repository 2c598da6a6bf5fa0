/*
 * check_fuzz.c - fuzz target for `embargo check` (emb_check): any bytes as
 * the input document must give a result or an error with a message that
 * names what is wrong, never a crash, a leak or an out-of-bounds read. On
 * success the result must be self-consistent: the decision is the strictest
 * outcome of the applied findings, every finding has a kind and a known
 * confidence, and the JSON rendering is one object of the reported length.
 * The regime data and the bundled UN list are opened once per process.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "embargo.h"
#include "embargo_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static emb_regimes *rg;
static emb_lists *ls;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!rg) {
        emb_source s = emb_bundled_un_list();
        if (emb_regimes_open_bundled(&rg) < 0 || emb_lists_open(&ls, &s, 1) < 0)
            abort();
    }
    emb_check_result *r = NULL;
    emb_check_opts o = EMB_CHECK_OPTS_INIT;
    o.today = "2026-05-01";
    int rc = emb_check_ex(&r, rg, ls, (const char *)data, size, &o);
    if (rc != EMB_OK) {
        if (r || emb_err_last()[0] == '\0')
            abort();
        return 0;
    }
    emb_decision worst = EMB_DECISION_NO_MEASURE_FOUND;
    for (size_t i = 0; i < emb_check_finding_count(r); i++) {
        const emb_check_finding *f = emb_check_finding_get(r, i);
        if (!f->kind || (unsigned)f->confidence > EMB_CONFIDENCE_VERIFIED ||
            (unsigned)f->outcome > EMB_DECISION_PROHIBITED)
            abort();
        for (size_t k = 0; k < f->nconditions; k++)
            if (!f->conditions[k])
                abort();
        if (f->applied && f->outcome > worst)
            worst = f->outcome;
    }
    if (worst != emb_check_decision(r))
        abort();
    size_t len;
    const char *js = emb_check_result_json(r, &len);
    if (!js || len < 2 || strlen(js) != len || js[0] != '{' || js[len - 1] != '}')
        abort();
    emb_check_result_free(r);
    return 0;
}
