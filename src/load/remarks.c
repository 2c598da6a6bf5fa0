/*
 * remarks.c - vessel names in list remarks (see remarks.h).
 *
 * Three shapes, all seen in the UN list's DPRK entries:
 *   upper-case runs   "Registered owner of DPRK tanker CHON MA SAN."
 *   capitalised runs  "through its vessel, the Chong Chon Gang, attempted"
 *   quoted names      "instead put "Hai Xin You 606" to mask its identity"
 * Upper-case runs that are abbreviations or company words (DPRK, IMO, ETA,
 * SAMMA SHIPPING) are not vessel names. Only text containing a vessel word
 * is searched, so remarks about banks or people yield nothing.
 */
#include "util/compat.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include "embargo.h"
#include "load/remarks.h"

static int has_vessel_word(const char *t)
{
    static const char *const words[] = {"vessel", "tanker", "ship manager", "cargo ship",
                                        "ship-to-ship"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        size_t n = strlen(words[i]);
        for (const char *p = t; *p; p++)
            if (strncasecmp(p, words[i], n) == 0)
                return 1;
    }
    return 0;
}

/* Upper-case words that are never (part of) a vessel name here. */
static int not_name_word(const char *w, size_t n)
{
    static const char *const stop[] = {"DPRK", "IMO", "ETA", "HS", "SWIFT", "KOMID", "KKBC",
                                       "SHIPPING", "COMPANY", "CO", "LTD", "LIMITED", "CORPORATION",
                                       "TRADING", "GROUP", "BANK", "MMSI", "USD"};
    for (size_t i = 0; i < sizeof(stop) / sizeof(stop[0]); i++)
        if (strlen(stop[i]) == n && strncmp(stop[i], w, n) == 0)
            return 1;
    return 0;
}

typedef struct found {
    const char *s[EMB_REMARKS_MAX_VESSELS];
    size_t n[EMB_REMARKS_MAX_VESSELS];
    size_t count;
} found;

static int add(found *f, const char *s, size_t n, emb_vessel_fn fn, void *ctx)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == ','))
        n--;
    if (n < 2 || f->count >= EMB_REMARKS_MAX_VESSELS)
        return EMB_OK;
    for (size_t i = 0; i < f->count; i++)
        if (f->n[i] == n && strncasecmp(f->s[i], s, n) == 0)
            return EMB_OK;
    f->s[f->count] = s;
    f->n[f->count] = n;
    f->count++;
    return fn(ctx, s, n);
}

/* A word of a vessel name: letters, digits, inner hyphens; returns its end. */
static const char *word_end(const char *p)
{
    while (*p && (isalnum((unsigned char)*p) || (*p == '-' && isalnum((unsigned char)p[1]))))
        p++;
    return p;
}

static int is_upper_word(const char *p, const char *e)
{
    int letters = 0;
    for (; p < e; p++) {
        if (islower((unsigned char)*p))
            return 0;
        letters += isupper((unsigned char)*p) != 0;
    }
    return letters > 0;
}

/* Company words: a run they follow names a company, not a ship. */
static int company_word(const char *w, size_t n)
{
    static const char *const words[] = {"SHIPPING", "COMPANY", "CO", "LTD", "LIMITED",
                                        "CORPORATION", "TRADING", "GROUP", "BANK"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strlen(words[i]) == n && strncmp(words[i], w, n) == 0)
            return 1;
    return 0;
}

static int is_number_word(const char *p, const char *e)
{
    for (; p < e; p++)
        if (!isdigit((unsigned char)*p))
            return 0;
    return 1;
}

int emb_remarks_vessels(const char *text, emb_vessel_fn fn, void *ctx)
{
    if (!text || !has_vessel_word(text))
        return 0;
    found f;
    f.count = 0;
    int rc;
    /* upper-case runs (a number may end the name: CHON MYONG 1) */
    for (const char *p = text; *p;) {
        if (!isalnum((unsigned char)*p)) {
            p++;
            continue;
        }
        const char *start = NULL, *last = NULL;
        const char *q = p;
        int company = 0;
        for (;;) {
            const char *we = word_end(q);
            if (we == q)
                break;
            if (start && company_word(q, (size_t)(we - q))) {
                company = 1;
                break;
            }
            int upper = is_upper_word(q, we) && !not_name_word(q, (size_t)(we - q));
            int number = start && is_number_word(q, we);
            if (!upper && !number)
                break;
            if (!start)
                start = q;
            last = we;
            if (*we != ' ' || !(isalnum((unsigned char)we[1])))
                break;
            q = we + 1;
        }
        if (start && last - start >= 3) {
            if (!company && (rc = add(&f, start, (size_t)(last - start), fn, ctx)) < 0)
                return rc;
            p = last;
        } else {
            const char *we = word_end(p);
            p = we > p ? we : p + 1;
        }
    }
    /* capitalised runs after "vessel", "vessel,", "vessel the", "vessel, the" */
    for (const char *p = text; (p = strstr(p, "vessel")) != NULL;) {
        const char *q = p + 6;
        if (*q == 's')
            q++;
        while (*q == ',' || *q == ' ')
            q++;
        if (strncmp(q, "the ", 4) == 0)
            q += 4;
        const char *start = q, *last = NULL;
        for (;;) {
            const char *we = word_end(q);
            if (we == q || !(isupper((unsigned char)*q) || isdigit((unsigned char)*q)))
                break;
            last = we;
            if (*we != ' ')
                break;
            q = we + 1;
        }
        if (last && (rc = add(&f, start, (size_t)(last - start), fn, ctx)) < 0)
            return rc;
        p += 6;
    }
    /* quoted names: "...", or typographic quotes */
    static const char *const open_q[] = {"\"", "\xe2\x80\x9c"};
    static const char *const close_q[] = {"\"", "\xe2\x80\x9d"};
    for (int k = 0; k < 2; k++) {
        for (const char *p = text; (p = strstr(p, open_q[k])) != NULL;) {
            const char *s = p + strlen(open_q[k]);
            const char *e = strstr(s, close_q[k]);
            if (!e)
                break;
            if (e - s >= 2 && e - s <= 40 && isupper((unsigned char)*s)) {
                int ok = 1;
                for (const char *c = s; c < e; c++)
                    if (!(isalnum((unsigned char)*c) || *c == ' ' || *c == '-'))
                        ok = 0;
                if (ok && (rc = add(&f, s, (size_t)(e - s), fn, ctx)) < 0)
                    return rc;
            }
            p = e + strlen(close_q[k]);
        }
    }
    return (int)f.count;
}
