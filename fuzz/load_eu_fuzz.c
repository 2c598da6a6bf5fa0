/*
 * load_eu_fuzz.c - fuzz target for the EU Financial Sanctions Files XML loader (eu_xml.c).
 *
 * Each input goes through the loader's detection and is then loaded into a
 * fresh model with the loader directly (not through emb_load_buffer, so that
 * inputs detection would reject still exercise the parser), and the model is
 * disposed. The loader must never crash, leak or hit undefined behaviour; on
 * failure it must leave the model as it found it, and on success every entity
 * must have an id, a reference and a primary name first: violations abort.
 * Corpus: fuzz/corpus/load_eu/ (the fixture, its records one by one, malformed files).
 */
#include <stdint.h>
#include <stdlib.h>
#include "load/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    emb_model m;
    emb_model_init(&m);
    (void)emb_loader_eu_xml.detect((const char *)data, size);
    int rc = emb_loader_eu_xml.load(&m, "fuzz", data, size);
    if (rc < 0 && (m.nlists != 0 || m.nentities != 0))
        abort();
    if (rc == 0) {
        if (m.nlists != 1 || m.lists[0].nentities != m.nentities)
            abort();
        for (size_t i = 0; i < m.nentities; i++) {
            const emb_entity *e = &m.entities[i];
            if (!e->id || !e->reference || e->nnames == 0 || !e->names[0].full ||
                e->names[0].kind != EMB_NAME_PRIMARY)
                abort();
            for (size_t k = 0; k < e->nnames; k++)
                if (!e->names[k].full || (e->names[k].nparts && !e->names[k].parts))
                    abort();
        }
    }
    emb_model_dispose(&m);
    return 0;
}
