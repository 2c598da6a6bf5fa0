/*
 * load_un_fuzz.c - fuzz target for the UN Consolidated List XML loader.
 *
 * Each input goes through format detection and is then loaded into a fresh
 * model with emb_load_un_xml directly (not through emb_load_buffer, so that
 * inputs detection would reject still exercise the XML loader), and the
 * model is disposed. The loader must never crash, leak or hit undefined
 * behaviour, and on failure it must leave the model exactly as it found it;
 * both are checked here so a violation aborts.
 * Corpus: fuzz/corpus/load_un/ (small real records, both layouts, truncations).
 */
#include <stdint.h>
#include <stdlib.h>
#include "load/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    emb_model m;
    emb_model_init(&m);
    (void)emb_load_detect(data, size);
    int rc = emb_load_un_xml(&m, "fuzz", data, size);
    if (rc < 0 && (m.nlists != 0 || m.nentities != 0))
        abort();   /* a failed load must not leave a partial list */
    if (rc == 0) {
        if (m.nlists != 1 || m.lists[0].nentities != m.nentities)
            abort();
        for (size_t i = 0; i < m.nentities; i++) {
            const emb_entity *e = &m.entities[i];
            if (!e->id || !e->reference || e->nnames == 0 || !e->names[0].full ||
                e->names[0].kind != EMB_NAME_PRIMARY)
                abort();
        }
    }
    emb_model_dispose(&m);
    return 0;
}
