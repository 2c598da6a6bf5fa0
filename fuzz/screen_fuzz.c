/*
 * screen_fuzz.c - arbitrary bytes as a query: the input is split on '\n'
 * into name, alias, birth date, country, identifier and gender, then
 * screened against the bundled UN list. Exercises the normaliser, the
 * transliteration tables and ICU, date and country parsing, retrieval and
 * scoring. The list set is opened once per process.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "embargo.h"

static emb_lists *ls;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ls) {
        emb_source s = emb_bundled_un_list();
        if (emb_lists_open(&ls, &s, 1) < 0)
            abort();
    }
    if (size > 16384)
        return 0;
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    const char *field[6] = {buf, NULL, NULL, NULL, NULL, NULL};
    size_t nf = 1;
    for (char *p = buf; *p && nf < 6; p++)
        if (*p == '\n') {
            *p = '\0';
            field[nf++] = p + 1;
        }
    const char *names[2] = {field[0], field[1]};
    emb_query q = EMB_QUERY_INIT;
    q.names = names;
    q.nnames = field[1] ? 2 : 1;
    q.birth_dates = &field[2];
    q.nbirth_dates = field[2] ? 1 : 0;
    q.countries = &field[3];
    q.ncountries = field[3] ? 1 : 0;
    q.identifiers = &field[4];
    q.nidentifiers = field[4] ? 1 : 0;
    q.gender = field[5];
    q.schema = (emb_qschema)(size % 6);
    emb_screen_opts o = EMB_SCREEN_OPTS_INIT;
    o.threshold = 0.0;
    o.cutoff = 0.0;
    o.limit = 20;
    emb_results *r = NULL;
    if (emb_screen(&r, ls, &q, &o) == EMB_OK) {
        for (size_t i = 0; i < emb_results_count(r); i++) {
            const emb_match *m = emb_results_get(r, i);
            if (!m->reason || !m->name || m->score < 0.0 || m->score > 1.0)
                abort();
        }
        emb_results_free(r);
    }
    free(buf);
    return 0;
}
