/*
 * norm.c - name normalisation and transliteration (ICU).
 *
 * Han goes through Any-Latin (pinyin): Han-Latin/Names alone takes ~77 ms to
 * compile, most of the start-up budget of a one-shot `embargo screen`.
 * The rule chain starts with an unfiltered no-op (::NFC;) because ICU reads
 * a leading filtered rule as a global filter for the whole transliterator
 * (STACK.md, ICU traps). Hangul uses Hangul-Latin per syllable rather than
 * Korean-Latin/BGN, which drops syllables on unspaced names; the Korean
 * spelling variants (Ri/Lee, Choe/Choi...) belong to the matcher's variant
 * rules, not to this layer.
 */
#include "util/compat.h"
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/uchar.h>
#include "embargo.h"
#include "text/norm.h"
#include "util/alloc.h"
#include "util/err.h"

struct emb_translit {
    UTransliterator *t;
};

static const char RULES[] =
    "::NFC;"
    "::[:Cyrillic:] Russian-Latin/BGN;"
    "::[:Arabic:] Arabic-Latin/BGN;"
    "::[:Hangul:] Hangul-Latin;"
    "::Any-Latin;"
    "::Latin-ASCII;"
    "::Lower;";

int emb_translit_new(emb_translit **out)
{
    UChar rules[512];
    UErrorCode st = U_ZERO_ERROR;
    UParseError pe;
    int32_t len = 0;
    u_strFromUTF8(rules, (int32_t)EMB_ARRAY_LEN(rules), &len, RULES, -1, &st);
    if (U_FAILURE(st))
        return emb_err_set(EMB_EUNICODE, "translit rules: %s", u_errorName(st));
    UChar id[] = {'e', 'm', 'b', '-', 'l', 'a', 't', 'n', 0};
    UTransliterator *t = utrans_openU(id, -1, UTRANS_FORWARD, rules, len, &pe, &st);
    if (U_FAILURE(st))
        return emb_err_set(EMB_EUNICODE, "cannot compile transliteration rules: %s (rule offset %d)",
                           u_errorName(st), (int)pe.offset);
    emb_translit *tr = emb_malloc(sizeof(*tr));
    if (!tr) {
        utrans_close(t);
        return emb_err_set(EMB_ENOMEM, "out of memory");
    }
    tr->t = t;
    *out = tr;
    return EMB_OK;
}

int emb_translit_clone(emb_translit **out, const emb_translit *src)
{
    UErrorCode st = U_ZERO_ERROR;
    UTransliterator *t = utrans_clone(src->t, &st);
    if (U_FAILURE(st))
        return emb_err_set(EMB_EUNICODE, "cannot clone transliterator: %s", u_errorName(st));
    emb_translit *tr = emb_malloc(sizeof(*tr));
    if (!tr) {
        utrans_close(t);
        return emb_err_set(EMB_ENOMEM, "out of memory");
    }
    tr->t = t;
    *out = tr;
    return EMB_OK;
}

void emb_translit_free(emb_translit *t)
{
    if (!t)
        return;
    utrans_close(t->t);
    emb_free(t);
}

int emb_translit_pool_init(emb_translit_pool *p)
{
    memset(p, 0, sizeof(*p));
    int rc = emb_translit_new(&p->master);
    if (rc < 0)
        return rc;
    pthread_mutex_init(&p->lock, NULL);
    return EMB_OK;
}

void emb_translit_pool_dispose(emb_translit_pool *p)
{
    if (!p->master)
        return;
    for (size_t i = 0; i < p->nfree; i++)
        emb_translit_free(p->free[i]);
    emb_free(p->free);
    emb_translit_free(p->master);
    pthread_mutex_destroy(&p->lock);
    memset(p, 0, sizeof(*p));
}

int emb_translit_pool_get(emb_translit_pool *p, emb_translit **out)
{
    pthread_mutex_lock(&p->lock);
    if (p->nfree) {
        *out = p->free[--p->nfree];
        pthread_mutex_unlock(&p->lock);
        return EMB_OK;
    }
    int rc = emb_translit_clone(out, p->master);
    pthread_mutex_unlock(&p->lock);
    return rc;
}

void emb_translit_pool_put(emb_translit_pool *p, emb_translit *t)
{
    if (!t)
        return;
    pthread_mutex_lock(&p->lock);
    /* at most 256 idle clones are kept; more threads than that just clone */
    if (emb_grow(&p->free, p->nfree, sizeof(*p->free), 256) == EMB_OK) {
        p->free[p->nfree++] = t;
        t = NULL;
    }
    pthread_mutex_unlock(&p->lock);
    emb_translit_free(t);
}

int emb_is_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

static int is_apostrophe(UChar32 c)
{
    switch (c) {
    case '\'': case '`': case 0x00B4: /* acute accent */
    case 0x2018: case 0x2019: case 0x201B: case 0x2032: /* quotes, prime */
    case 0x02B9: case 0x02BB: case 0x02BC: case 0x02BD: case 0x02BE: case 0x02BF:
    case 0x02C8:
        return 1;
    default:
        return 0;
    }
}

/* Final pass over UTF-8: apostrophes deleted, marks and format characters
 * deleted, letters and digits kept, everything else a single space. */
static int squash(emb_buf *out, const char *s, size_t n)
{
    int rc = EMB_OK;
    int space = 1;
    size_t i = 0;
    while (i < n && rc == EMB_OK) {
        UChar32 c;
        size_t start = i;
        U8_NEXT(s, i, n, c);
        if (c < 0)
            return emb_err_set(EMB_EUNICODE, "invalid UTF-8 at byte %zu", start);
        if (c < 0x80) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                rc = emb_buf_putc(out, (char)c);
                space = 0;
            } else if (c >= 'A' && c <= 'Z') {
                rc = emb_buf_putc(out, (char)(c - 'A' + 'a'));
                space = 0;
            } else if (c == '\'' || c == '`') {
                /* deleted inside words: CH'OE -> choe */
            } else if (!space) {
                rc = emb_buf_putc(out, ' ');
                space = 1;
            }
            continue;
        }
        if (is_apostrophe(c))
            continue;
        int8_t cat = (int8_t)u_charType(c);
        if (cat == U_NON_SPACING_MARK || cat == U_ENCLOSING_MARK || cat == U_FORMAT_CHAR ||
            c == 0x0640 /* tatweel */)
            continue;
        if (u_isalnum(c) || cat == U_COMBINING_SPACING_MARK) {
            rc = emb_buf_append(out, s + start, i - start);
            space = 0;
        } else if (!space) {
            rc = emb_buf_putc(out, ' ');
            space = 1;
        }
    }
    if (rc == EMB_OK && out->len && out->ptr[out->len - 1] == ' ') {
        out->len--;
        out->ptr[out->len] = '\0';
    }
    return rc;
}

/* UTF-8 -> UTF-16 (caller frees), checking validity. */
static int to_u16(UChar **out, int32_t *olen, const char *s, size_t n)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t need = 0;
    u_strFromUTF8(NULL, 0, &need, s, (int32_t)n, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        return emb_err_set(EMB_EUNICODE, "invalid UTF-8 in name");
    st = U_ZERO_ERROR;
    UChar *u = emb_malloc(((size_t)need + 1) * sizeof(UChar));
    if (!u)
        return emb_err_set(EMB_ENOMEM, "out of memory");
    u_strFromUTF8(u, need + 1, olen, s, (int32_t)n, &st);
    if (U_FAILURE(st)) {
        emb_free(u);
        return emb_err_set(EMB_EUNICODE, "invalid UTF-8 in name");
    }
    *out = u;
    return EMB_OK;
}

static int from_u16(emb_buf *out, const UChar *u, int32_t len)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t need = 0;
    u_strToUTF8(NULL, 0, &need, u, len, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        return emb_err_set(EMB_EUNICODE, "UTF-16 conversion failed");
    st = U_ZERO_ERROR;
    emb_buf_clear(out);
    char *tmp = emb_malloc((size_t)need + 1);
    if (!tmp)
        return emb_err_set(EMB_ENOMEM, "out of memory");
    u_strToUTF8(tmp, need + 1, NULL, u, len, &st);
    if (U_FAILURE(st)) {
        emb_free(tmp);
        return emb_err_set(EMB_EUNICODE, "UTF-16 conversion failed");
    }
    int rc = emb_buf_append(out, tmp, (size_t)need);
    emb_free(tmp);
    return rc;
}

/* NFKC case fold with apostrophes deleted; result in *u (realloc'd). */
static int fold(UChar **u, int32_t *len)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nf = unorm2_getNFKCCasefoldInstance(&st);
    if (U_FAILURE(st))
        return emb_err_set(EMB_EUNICODE, "ICU NFKC_Casefold unavailable: %s", u_errorName(st));
    int32_t cap = *len * 3 + 16;
    UChar *d = emb_malloc((size_t)cap * sizeof(UChar));
    if (!d)
        return emb_err_set(EMB_ENOMEM, "out of memory");
    int32_t dl = unorm2_normalize(nf, *u, *len, d, cap, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) {
        emb_free(d);
        cap = dl + 1;
        st = U_ZERO_ERROR;
        d = emb_malloc((size_t)cap * sizeof(UChar));
        if (!d)
            return emb_err_set(EMB_ENOMEM, "out of memory");
        dl = unorm2_normalize(nf, *u, *len, d, cap, &st);
    }
    if (U_FAILURE(st)) {
        emb_free(d);
        return emb_err_set(EMB_EUNICODE, "normalisation failed: %s", u_errorName(st));
    }
    /* delete apostrophe-like characters in place */
    int32_t o = 0;
    for (int32_t i = 0; i < dl; i++)
        if (!is_apostrophe(d[i]))
            d[o++] = d[i];
    emb_free(*u);
    *u = d;
    *len = o;
    return EMB_OK;
}

static int ascii_fast(emb_buf *out, const char *s, size_t n)
{
    emb_buf_clear(out);
    return squash(out, s, n);
}

int emb_norm_name(emb_buf *out, const char *s, size_t n, emb_translit *tr)
{
    if (n > EMB_NAME_MAX_BYTES)
        return emb_err_set(EMB_ETOOBIG, "name longer than %d bytes", EMB_NAME_MAX_BYTES);
    if (emb_is_ascii(s, n))
        return ascii_fast(out, s, n);
    UChar *u = NULL;
    int32_t len = 0;
    int rc = to_u16(&u, &len, s, n);
    if (rc < 0)
        return rc;
    if ((rc = fold(&u, &len)) < 0)
        goto cleanup;
    if (tr) {
        int32_t cap = len * 4 + 64, limit = len;
        UErrorCode st = U_ZERO_ERROR;
        UChar *g = emb_realloc(u, (size_t)cap * sizeof(UChar));
        if (!g) {
            rc = emb_err_set(EMB_ENOMEM, "out of memory");
            goto cleanup;
        }
        u = g;
        utrans_transUChars(tr->t, u, &len, cap, 0, &limit, &st);
        if (st == U_BUFFER_OVERFLOW_ERROR) {
            rc = emb_err_set(EMB_ETOOBIG, "transliteration of a %zu-byte name overflowed", n);
            goto cleanup;
        }
        if (U_FAILURE(st)) {
            rc = emb_err_set(EMB_EUNICODE, "transliteration failed: %s", u_errorName(st));
            goto cleanup;
        }
    }
    emb_buf tmp;
    emb_buf_init(&tmp, (size_t)EMB_NAME_MAX_BYTES * 8);
    rc = from_u16(&tmp, u, len);
    if (rc == EMB_OK) {
        emb_buf_clear(out);
        rc = squash(out, emb_buf_cstr(&tmp), tmp.len);
    }
    emb_buf_dispose(&tmp);
cleanup:
    emb_free(u);
    return rc;
}

int emb_norm_script(emb_buf *out, const char *s, size_t n, int *non_latin)
{
    *non_latin = 0;
    if (n > EMB_NAME_MAX_BYTES)
        return emb_err_set(EMB_ETOOBIG, "name longer than %d bytes", EMB_NAME_MAX_BYTES);
    if (emb_is_ascii(s, n))
        return ascii_fast(out, s, n);
    UChar *u = NULL;
    int32_t len = 0;
    int rc = to_u16(&u, &len, s, n);
    if (rc < 0)
        return rc;
    if ((rc = fold(&u, &len)) < 0)
        goto cleanup;
    emb_buf tmp;
    emb_buf_init(&tmp, (size_t)EMB_NAME_MAX_BYTES * 8);
    rc = from_u16(&tmp, u, len);
    if (rc == EMB_OK) {
        emb_buf_clear(out);
        rc = squash(out, emb_buf_cstr(&tmp), tmp.len);
    }
    emb_buf_dispose(&tmp);
    if (rc == EMB_OK)
        *non_latin = !emb_is_ascii(out->ptr ? out->ptr : "", out->len);
cleanup:
    emb_free(u);
    return rc;
}
