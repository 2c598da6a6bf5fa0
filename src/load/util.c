/*
 * util.c - checks every loader makes on its input before parsing it.
 */
#include "util/compat.h"
#include "embargo.h"
#include "load/load.h"
#include "load/xmlerr.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "util/err.h"

size_t emb_utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t k;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        k = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        k = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        k = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < k || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < k; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return k;
}

int emb_load_check_utf8(const char *label, const unsigned char *s, size_t n)
{
    long line = 1, col = 1;
    for (size_t i = 0; i < n;) {
        size_t k = s[i] ? emb_utf8_seq_len(s + i, n - i) : 0;
        if (!k)
            return emb_err_set(EMB_EPARSE, "%s:%ld:%ld: %s (byte 0x%02X); the list must be UTF-8",
                               label, line, col, s[i] ? "invalid UTF-8" : "NUL byte",
                               (unsigned)s[i]);
        if (s[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        i += k;
    }
    return EMB_OK;
}

static int starts_with(const char *s, size_t n, const char *lit, size_t k)
{
    return n >= k && memcmp(s, lit, k) == 0;
}

/* Offset just past the first occurrence of lit in s[0..n), or 0. */
static size_t past(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, lit, k) == 0)
            return i + k;
    return 0;
}

size_t emb_xml_root(const char *s, size_t len, const char **name, size_t *name_len)
{
    size_t n = len < EMB_XML_DETECT_WINDOW ? len : EMB_XML_DETECT_WINDOW;
    size_t i = starts_with(s, n, "\xEF\xBB\xBF", 3) ? 3 : 0;
    while (i < n) {
        size_t skip = 0;
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            i++;
            continue;
        }
        if (starts_with(s + i, n - i, "<?", 2))
            skip = past(s + i, n - i, "?>");
        else if (starts_with(s + i, n - i, "<!--", 4))
            skip = past(s + i, n - i, "-->");
        else if (starts_with(s + i, n - i, "<!DOCTYPE", 9))
            skip = past(s + i, n - i, ">");
        else
            break;
        if (!skip)
            return SIZE_MAX;   /* a prolog item not closed inside the window */
        i += skip;
    }
    if (i >= n || s[i] != '<')
        return SIZE_MAX;
    /* the local name: after an optional "prefix:" */
    size_t j = i + 1, start = j;
    for (; j < n && j < i + 64; j++) {
        char c = s[j];
        if (c == ':') {
            start = j + 1;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/' || c == '<')
            break;
    }
    if (j >= n || j == start)
        return SIZE_MAX;
    *name = s + start;
    *name_len = j - start;
    return i;
}

#if LIBXML_VERSION >= 21200
void emb_xml_on_error(void *arg, const xmlError *e)
#else
void emb_xml_on_error(void *arg, xmlErrorPtr e)
#endif
{
    emb_xml_err *x = arg;
    if (!e || e->level < XML_ERR_ERROR || x->fail)
        return;
    x->fail = true;
    x->line = e->line;
    x->col = e->int2;
    snprintf(x->msg, sizeof(x->msg), "%s", e->message ? e->message : "XML error");
    size_t n = strlen(x->msg);
    while (n && isspace((unsigned char)x->msg[n - 1]))
        x->msg[--n] = '\0';
    for (char *p = x->msg; *p; p++)   /* one line: "...encoding ! Bytes: 0xE9" has newlines */
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
}
