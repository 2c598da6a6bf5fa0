/*
 * translit_table.c - romanise Cyrillic and Arabic-script text with
 * compiled-in rule tables instead of ICU transliterators.
 *
 * Why: opening any ICU system transliterator initialises ICU's transliterator
 * registry, about 25 ms per process, which alone breaks the 50 ms list-load
 * budget. The tables (data/translit/<scheme>.tsv, generated from the iuliia schemes
 * and the CLDR BGN rules by scripts/gen_translit.py, compiled in as
 * translit_data.h) hold rules `before{match}after -> latin`. At each position
 * the rules for the (lower-cased) letter there are tried in table order:
 * longest match first, then rules with context, then the plain letter. The
 * first rule whose letters and contexts fit is emitted; with none, the code
 * unit is copied. Combining marks, format characters (ZWNJ) and tatweel are
 * skipped when contexts and multi-letter matches look at neighbours.
 *
 * Invariant: the output depends only on the input and the const tables, so
 * calls need no initialisation and are thread-safe. The ICU calls used
 * (u_tolower, u_charType, u_isalnum) read compiled-in property tries.
 */
#include "util/compat.h"
#include <assert.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include "text/translit_table.h"
#include "text/translit_data.h"

_Static_assert(EMB_TT_NSCHEMES == EMB_SCHEME_COUNT,
               "translit_data.h does not match enum emb_scheme: rerun scripts/gen_translit.py");

enum { CTX_ANY = 0, CTX_BOUNDARY = 1 };

static UChar32 fold_case(const emb_tt_scheme *sc, UChar32 c)
{
    if (c >= sc->fold_lo && c <= sc->fold_hi && sc->fold_hi)
        return u_tolower(c);
    return c;
}

/* Skipped by contexts and multi-letter matches: marks, ZWNJ/ZWJ, tatweel. */
static int transparent(UChar32 c)
{
    if (c < 0x300)
        return 0;
    if (c == 0x0640)
        return 1;
    int8_t t = (int8_t)u_charType(c);
    return t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_FORMAT_CHAR;
}

static int word_char(UChar32 c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return u_isalnum(c);
}

static int in_class(uint8_t cls, UChar32 c)
{
    const emb_tt_class *k = &EMB_TT_CLASSES[cls - 2];
    const UChar *p = EMB_TT_CLASS_CHARS + k->off;
    for (uint16_t j = 0; j < k->len; j++)
        if (p[j] == c)
            return 1;
    return 0;
}

/* Does the context class `cls` accept c (-1: no letter there, text edge)? */
static int ctx_ok(const emb_tt_scheme *sc, uint8_t cls, UChar32 c)
{
    if (cls == CTX_BOUNDARY)
        return c < 0 || !word_char(c);
    return c >= 0 && in_class(cls, fold_case(sc, c));
}

static UChar32 prev_letter(const UChar *in, int32_t i)
{
    while (i > 0) {
        UChar32 c;
        U16_PREV(in, 0, i, c);
        if (!transparent(c))
            return c;
    }
    return -1;
}

static UChar32 next_letter(const UChar *in, int32_t n, int32_t i, int32_t *at)
{
    while (i < n) {
        UChar32 c;
        int32_t start = i;
        U16_NEXT(in, i, n, c);
        if (!transparent(c)) {
            if (at)
                *at = start;
            return c;
        }
    }
    return -1;
}

/* End of rule r's letters matched from in[i] (whose letter is known to be
 * the first), or -1. Transparent characters inside the match are consumed. */
static int32_t match_end(const emb_tt_scheme *sc, const emb_tt_rule *r, const UChar *in,
                         int32_t n, int32_t i)
{
    const UChar *m = EMB_TT_MATCH + r->moff;
    i++;
    for (uint8_t k = 1; k < r->mlen; k++) {
        int32_t at = 0;
        UChar32 c = next_letter(in, n, i, &at);
        if (c < 0 || fold_case(sc, c) != m[k])
            return -1;
        i = at + U16_LENGTH(c);
    }
    return i;
}

/* The rule that applies at in[i] and the end of its match, or NULL. */
static const emb_tt_rule *find_rule(const emb_tt_scheme *sc, const UChar *in, int32_t n,
                                    int32_t i, int32_t *end)
{
    UChar32 c = in[i];
    if (c < 0x80)
        return NULL; /* no table maps ASCII */
    c = fold_case(sc, c);
    if (c < sc->lo || c > sc->hi)
        return NULL;
    const uint16_t *ix = EMB_TT_INDEX + sc->index + (c - sc->lo);
    for (uint16_t k = ix[0]; k < ix[1]; k++) {
        const emb_tt_rule *r = &EMB_TT_RULES[k];
        int32_t e = r->mlen == 1 ? i + 1 : match_end(sc, r, in, n, i);
        if (e < 0)
            continue;
        if (r->before != CTX_ANY && !ctx_ok(sc, r->before, prev_letter(in, i)))
            continue;
        if (r->after != CTX_ANY && !ctx_ok(sc, r->after, next_letter(in, n, e, NULL)))
            continue;
        *end = e;
        return r;
    }
    return NULL;
}

int32_t emb_translit_table(emb_scheme s, const UChar *in, int32_t n, UChar *out, int32_t cap)
{
    if ((unsigned)s >= (unsigned)EMB_SCHEME_COUNT || cap < 0 || (cap > 0 && !out))
        return -1;
    if (!in)
        n = 0;
    else if (n < 0)
        n = u_strlen(in);
    assert(n == 0 || cap == 0 || out + cap <= in || in + n <= out);
    const emb_tt_scheme *sc = &EMB_TT_SCHEMES[s];
    int32_t o = 0;
    int32_t i = 0;
    while (i < n) {
        int32_t end = 0;
        const emb_tt_rule *r = find_rule(sc, in, n, i, &end);
        if (!r) {
            if (o >= cap)
                return -1;
            out[o++] = in[i++];
            continue;
        }
        if (r->olen > cap - o)
            return -1;
        const char *p = EMB_TT_OUT + r->ooff;
        for (uint8_t k = 0; k < r->olen; k++)
            out[o++] = (UChar)(unsigned char)p[k];
        i = end;
    }
    if (o < cap)
        out[o] = 0;
    return o;
}

static int is_cyrillic(UChar c)
{
    return (c >= 0x0400 && c <= 0x052F) || (c >= 0x1C80 && c <= 0x1C8F) ||
           (c >= 0x2DE0 && c <= 0x2DFF) || (c >= 0xA640 && c <= 0xA69F);
}

static int is_arabic(UChar c)
{
    return (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) ||
           (c >= 0x0870 && c <= 0x08FF) || (c >= 0xFB50 && c <= 0xFDFF) ||
           (c >= 0xFE70 && c <= 0xFEFF);
}

unsigned emb_translit_table_scripts(const UChar *in, int32_t n)
{
    if (!in)
        return 0;
    if (n < 0)
        n = u_strlen(in);
    unsigned bits = 0;
    for (int32_t i = 0; i < n; i++) {
        UChar c = in[i];
        if (c < 0x0400)
            continue;
        /* letters (and Arabic-Indic digits, which the Arabic table maps), not
         * the marks, punctuation or tatweel these blocks share with others */
        if (is_cyrillic(c) && u_isalpha(c))
            bits |= 1u << EMB_SCHEME_CYRL_BGN;
        else if (is_arabic(c) && c != 0x0640 && u_isalnum(c))
            bits |= 1u << EMB_SCHEME_ARAB_BGN;
    }
    return bits;
}
