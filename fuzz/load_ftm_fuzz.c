/*
 * load_ftm_fuzz.c - fuzz target for the OpenSanctions FtM JSON-lines loader.
 *
 * Each input goes through the loader's detection and is then loaded into a
 * fresh model with the loader directly (not through emb_load_buffer, so
 * inputs detection would reject still exercise the parser), and the model
 * is disposed. The loader must never crash, leak or hit undefined
 * behaviour; on failure it must leave the model as it found it, and on
 * success every entity must have an id, a reference and a primary name.
 * Corpus: fuzz/corpus/load_ftm/ (real sample lines, vessel and link fixtures, bad lines).
 */
#include <stdint.h>
#include <stdlib.h>
#include "load/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    emb_model m;
    emb_model_init(&m);
    (void)emb_loader_ftm.detect((const char *)data, size);
    int rc = emb_loader_ftm.load(&m, "fuzz", data, size);
    if (rc < 0 && (m.nlists != 0 || m.nentities != 0))
        abort();   /* a failed load must not leave a partial list */
    if (rc == 0) {
        if (m.nlists != 1 || m.lists[0].nentities != m.nentities)
            abort();
        for (size_t i = 0; i < m.nentities; i++) {
            const emb_entity *e = &m.entities[i];
            if (!e->id || !e->reference || e->nnames == 0 || !e->names[0].full ||
                e->names[0].kind != EMB_NAME_PRIMARY || e->list_index != 0)
                abort();
        }
    }
    emb_model_dispose(&m);
    return 0;
}
