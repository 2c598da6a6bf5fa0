/*
 * ident.c - IMO check digits and identifier normal forms (see ident.h).
 */
#include "util/compat.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include "model/ident.h"

int emb_imo_valid(const char *d)
{
    int sum = 0;
    for (int i = 0; i < 7; i++)
        if (!isdigit((unsigned char)d[i]))
            return 0;
    for (int i = 0; i < 6; i++)
        sum += (d[i] - '0') * (7 - i);
    return sum % 10 == d[6] - '0';
}

int emb_imo_extract(const char *text, char out[8])
{
    const char *p = text;
    for (;;) {
        const char *imo = NULL;
        for (const char *q = p; *q; q++)
            if (strncasecmp(q, "imo", 3) == 0) {
                imo = q;
                break;
            }
        const char *d = imo ? imo + 3 : p;
        while (*d && (*d == ' ' || *d == ':' || *d == '.' || *d == '#' || !strncasecmp(d, "number", 6) ||
                      !strncasecmp(d, "no", 2))) {
            if (!strncasecmp(d, "number", 6))
                d += 6;
            else if (!strncasecmp(d, "no", 2))
                d += 2;
            else
                d++;
        }
        size_t k = 0;
        while (isdigit((unsigned char)d[k]))
            k++;
        if (k == 7 && (d == text || !isdigit((unsigned char)d[-1]))) {
            memcpy(out, d, 7);
            out[7] = '\0';
            return 1;
        }
        if (!imo) {
            /* a bare number: the whole text is 7 digits (spaces allowed around) */
            const char *b = text;
            while (*b == ' ')
                b++;
            k = 0;
            while (isdigit((unsigned char)b[k]))
                k++;
            const char *e = b + k;
            while (*e == ' ')
                e++;
            if (k == 7 && !*e) {
                memcpy(out, b, 7);
                out[7] = '\0';
                return 1;
            }
            return 0;
        }
        p = imo + 3;
    }
}

size_t emb_ident_norm(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    if (!cap)
        return 0;
    for (; *s && o + 1 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 'a' && c <= 'z')
            out[o++] = (char)(c - 'a' + 'A');
        else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            out[o++] = (char)c;
    }
    out[o] = '\0';
    return o;
}
