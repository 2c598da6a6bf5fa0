/*
 * load.c - format detection and dispatch for list files.
 *
 * Detection looks only at the start of the content (the prolog and the first
 * element), never at the file name, so a list handed over as bytes in memory
 * or under any name is recognised the same way. Anything that is not a known
 * format is an error: a list is never guessed into a loader that does not
 * understand it.
 */
#include "util/compat.h"
#include <string.h>
#include "load/load.h"
#include "util/err.h"


emb_format emb_load_detect(const void *data, size_t len)
{
    const char *name;
    size_t nl;
    if (!data || !len || emb_xml_root(data, len, &name, &nl) == SIZE_MAX)
        return EMB_FMT_UNKNOWN;
    if (nl == 17 && memcmp(name, "CONSOLIDATED_LIST", 17) == 0)
        return EMB_FMT_UN_XML;
    return EMB_FMT_UNKNOWN;
}

/* Formats beside the UN XML, asked in this order. Each object is defined in
 * its loader's file (load/ofac_csv.c, ...). */
static const emb_loader *const loaders[] = {
    &emb_loader_ofac_xml, &emb_loader_eu_xml, &emb_loader_ftm, &emb_loader_uk,
    &emb_loader_ofac_csv,
};

int emb_load_buffer(emb_model *m, const char *label, const void *data, size_t len)
{
    if (!label)
        label = "(memory)";
    if (!m || (!data && len))
        return emb_err_set(EMB_EINVAL, "%s: no model or no data", label);
    switch (emb_load_detect(data, len)) {
    case EMB_FMT_UN_XML:
        return emb_load_un_xml(m, label, data, len);
    case EMB_FMT_UNKNOWN:
    default:
        break;
    }
    for (size_t i = 0; i < sizeof(loaders) / sizeof(loaders[0]); i++)
        if (loaders[i]->detect && loaders[i]->detect(data, len))
            return loaders[i]->load(m, label, data, len);
    return emb_err_set(EMB_EPARSE, "%s: unrecognised list format", label);
}
