/*
 * load_ofac_csv_fuzz.c - fuzz target for the OFAC legacy CSV loader.
 *
 * Each input goes through detection and is then loaded into a fresh model
 * with the loader directly (not through emb_load_buffer, so inputs that
 * detection rejects still exercise the CSV and Remarks parsers). The label
 * is not a file, so no sibling add/alt/sdn_comments.csv is read. The loader
 * must never crash, leak or hit undefined behaviour; a failed load must
 * leave the model empty and a successful one must be consistent: both are
 * checked here so a violation aborts.
 * Corpus: fuzz/corpus/load_ofac_csv/ (real rows, broken quoting, encodings).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "load/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    emb_model m;
    emb_model_init(&m);
    (void)emb_loader_ofac_csv.detect((const char *)data, size);
    int rc = emb_loader_ofac_csv.load(&m, "(fuzz)", data, size);
    if (rc < 0 && (m.nlists != 0 || m.nentities != 0))
        abort();   /* a failed load must not leave a partial list */
    if (rc == 0) {
        if (m.nlists != 1 || m.lists[0].nentities != m.nentities)
            abort();
        for (size_t i = 0; i < m.nentities; i++) {
            const emb_entity *e = &m.entities[i];
            if (!e->id || !e->reference || e->nnames == 0 || !e->names[0].full ||
                e->names[0].kind != EMB_NAME_PRIMARY || strncmp(e->id, "ofac-", 5) != 0)
                abort();
            for (size_t k = 0; k < e->nidentifiers; k++)
                if (e->identifiers[k].kind == EMB_ID_IMO && strlen(e->identifiers[k].number) != 7)
                    abort();
        }
    }
    emb_model_dispose(&m);
    return 0;
}
