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

#define DETECT_WINDOW 4096   /* bytes of prolog searched for the first element */

/* Does s[0..n) start with lit? */
static bool starts(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    return n >= k && memcmp(s, lit, k) == 0;
}

/* Offset just past the first occurrence of lit in s[0..n), or 0 if absent. */
static size_t past(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, lit, k) == 0)
            return i + k;
    return 0;
}

static bool is_xml_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Is s[0..n) the start tag of an element whose local name is `name`? */
static bool is_element(const char *s, size_t n, const char *name)
{
    if (!n || s[0] != '<')
        return false;
    size_t i = 1;
    size_t k = strlen(name);
    /* an optional namespace prefix: "<p:NAME" */
    for (size_t j = 1; j < n && j < 64; j++) {
        char c = s[j];
        if (c == ':') {
            i = j + 1;
            break;
        }
        if (is_xml_space(c) || c == '>' || c == '/' || c == '<')
            break;
    }
    if (n - i < k + 1 || memcmp(s + i, name, k) != 0)
        return false;
    char after = s[i + k];
    return is_xml_space(after) || after == '>' || after == '/';
}

emb_format emb_load_detect(const void *data, size_t len)
{
    if (!data || !len)
        return EMB_FMT_UNKNOWN;
    const char *s = data;
    size_t n = len < DETECT_WINDOW ? len : DETECT_WINDOW;
    size_t i = 0;
    if (starts(s, n, "\xEF\xBB\xBF"))
        i = 3;
    while (i < n) {
        size_t skip = 0;
        if (is_xml_space(s[i])) {
            i++;
            continue;
        }
        if (starts(s + i, n - i, "<?"))
            skip = past(s + i, n - i, "?>");
        else if (starts(s + i, n - i, "<!--"))
            skip = past(s + i, n - i, "-->");
        else if (starts(s + i, n - i, "<!DOCTYPE"))
            skip = past(s + i, n - i, ">");
        else
            break;
        if (!skip)
            return EMB_FMT_UNKNOWN;   /* prolog item not closed inside the window */
        i += skip;
    }
    if (is_element(s + i, n - i, "CONSOLIDATED_LIST"))
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
