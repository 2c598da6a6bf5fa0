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
#include <strings.h>
#include "util/alloc.h"
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

/* ---- OFAC free-text dates ----------------------------------------------------- */

static int month_of(const char *s, size_t n)
{
    static const char *const mon[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};
    if (n != 3)
        return 0;
    for (int i = 0; i < 12; i++)
        if (strncasecmp(s, mon[i], 3) == 0)
            return i + 1;
    return 0;
}

static bool num(const char *s, size_t n, size_t ndigits, int *v)
{
    if (n != ndigits)
        return false;
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return true;
}

static bool day_valid(int y, int mo, int d)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int max = mdays[mo - 1];
    if (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        max = 29;
    return d >= 1 && d <= max;
}

/* One date: "10 Dec 1948", "Dec 1948", "1962", or ISO "1948-12-10",
 * "1948-12" -> its precision, or EMB_DATE_NONE. */
static emb_date_prec one_date(const char *s, size_t n, int *y, int *mo, int *d)
{
    const char *w[4];
    size_t wl[4], nw = 0;
    *y = *mo = *d = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && s[i] == ' ')
            i++;
        if (i == n)
            break;
        if (nw == 4)
            return EMB_DATE_NONE;
        w[nw] = s + i;
        while (i < n && s[i] != ' ')
            i++;
        wl[nw] = (size_t)(s + i - w[nw]);
        nw++;
    }
    if (nw == 1 && wl[0] >= 4 && num(w[0], 4, 4, y) && *y > 0) {
        const char *t = w[0];
        if (wl[0] == 4)
            return EMB_DATE_YEAR;
        if (wl[0] == 7 && t[4] == '-' && num(t + 5, 2, 2, mo) && *mo >= 1 && *mo <= 12)
            return EMB_DATE_MONTH;
        if (wl[0] == 10 && t[4] == '-' && t[7] == '-' && num(t + 5, 2, 2, mo) && *mo >= 1 &&
            *mo <= 12 && num(t + 8, 2, 2, d) && day_valid(*y, *mo, *d))
            return EMB_DATE_DAY;
    } else if (nw == 2 && (*mo = month_of(w[0], wl[0])) != 0 && num(w[1], wl[1], 4, y) && *y > 0) {
        return EMB_DATE_MONTH;
    } else if (nw == 3 && (num(w[0], wl[0], 2, d) || num(w[0], wl[0], 1, d)) &&
               (*mo = month_of(w[1], wl[1])) != 0 && num(w[2], wl[2], 4, y) && *y > 0 &&
               day_valid(*y, *mo, *d)) {
        return EMB_DATE_DAY;
    }
    *y = *mo = *d = 0;
    return EMB_DATE_NONE;
}

bool emb_ofac_date(const char *s, size_t n, emb_date *v)
{
    memset(v, 0, sizeof(*v));
    while (n && *s == ' ') {
        s++;
        n--;
    }
    bool approx = false;
    static const char *const hedges[] = {"circa ", "approximately ", "approx. "};
    for (size_t i = 0; i < sizeof(hedges) / sizeof(hedges[0]); i++) {
        size_t k = strlen(hedges[i]);
        if (n >= k && strncasecmp(s, hedges[i], k) == 0) {
            approx = true;
            s += k;
            n -= k;
            break;
        }
    }
    const char *to = NULL;
    for (size_t i = 0; i + 4 <= n; i++)
        if (memcmp(s + i, " to ", 4) == 0) {
            to = s + i;
            break;
        }
    int y, mo, d;
    if (to) {
        int y2, mo2, d2;
        if (one_date(s, (size_t)(to - s), &y, &mo, &d) == EMB_DATE_NONE ||
            one_date(to + 4, (size_t)(s + n - to - 4), &y2, &mo2, &d2) == EMB_DATE_NONE ||
            y2 < y)
            return false;
        v->prec = EMB_DATE_RANGE;   /* a range keeps years only */
        v->year = y;
        v->year_to = y2;
    } else {
        v->prec = one_date(s, n, &y, &mo, &d);
        if (v->prec == EMB_DATE_NONE)
            return false;
        v->year = y;
        v->month = mo;
        v->day = d;
    }
    if (approx) {
        v->prec = EMB_DATE_APPROX;
        v->month = v->day = v->year_to = 0;
    }
    return true;
}

static int cmp_by_id(const void *a, const void *b)
{
    return strcmp((*(const emb_entity *const *)a)->id, (*(const emb_entity *const *)b)->id);
}

static int cmp_by_ref(const void *a, const void *b)
{
    return strcmp((*(const emb_entity *const *)a)->reference,
                  (*(const emb_entity *const *)b)->reference);
}

int emb_load_find_duplicate(const emb_model *m, size_t first, int by_ref, const char *label,
                            const emb_entity **a, const emb_entity **b)
{
    *a = *b = NULL;
    size_t n = m->nentities - first;
    if (n < 2)
        return EMB_OK;
    const emb_entity **v = emb_malloc(n * sizeof(*v));
    if (!v)
        return emb_err_set(EMB_ENOMEM, "%s: out of memory", label);
    for (size_t i = 0; i < n; i++)
        v[i] = &m->entities[first + i];
    qsort(v, n, sizeof(*v), by_ref ? cmp_by_ref : cmp_by_id);
    for (size_t i = 1; i < n && !*a; i++)
        if (strcmp(by_ref ? v[i - 1]->reference : v[i - 1]->id,
                   by_ref ? v[i]->reference : v[i]->id) == 0) {
            *a = v[i - 1];
            *b = v[i];
        }
    emb_free(v);
    return EMB_OK;
}
