/*
 * norm.c - name normalisation and transliteration (ICU).
 *
 * Cyrillic and Arabic script (all non-Latin names of the UN list) go through
 * the project's own BGN tables (translit_table.c, data/translit/): no ICU
 * transliterator start-up, ~0.1 us a name. Other scripts use ICU system
 * transliterators opened lazily by id on first need (Hangul: Hangul-Latin per
 * syllable; anything else non-Latin: Any-Latin); ICU caches compiled system
 * transforms process-wide, so a process pays only for the scripts it meets,
 * instead of ~130 ms for one compound rule chain. Latin diacritics are
 * removed by NFD plus mark stripping and a small table for letters that do
 * not decompose (o-slash, l-stroke, ...), which is what Latin-ASCII does but
 * without its 6 ms compile.
 *
 * Han (and kana) are deliberately not romanised: Han-Latin costs ~80 ms to
 * compile, and a Chinese-script alias of a DPRK party needs the Korean
 * reading, not pinyin. Han text keeps its characters on both sides, folded
 * from traditional to simplified (a table generated from ICU's CLDR
 * transform, hant_data.h), so it matches the same name in either form;
 * readings are future work (docs/internals/SCORING.md).
 */
#include "util/compat.h"
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include "embargo.h"
#include "text/norm.h"
#include "text/translit_table.h"
#include "text/hant_data.h"
#include "util/alloc.h"
#include "util/err.h"

enum { TR_HANGUL, TR_ANY, TR_COUNT };

static const char *const TR_IDS[TR_COUNT] = {"Hangul-Latin", "Any-Latin"};

struct emb_translit {
    UTransliterator *t[TR_COUNT];   /* opened on first need */
};

int emb_translit_new(emb_translit **out)
{
    emb_translit *tr = emb_calloc(1, sizeof(*tr));
    if (!tr)
        return emb_err_set(EMB_ENOMEM, "out of memory");
    *out = tr;
    return EMB_OK;
}

int emb_translit_clone(emb_translit **out, const emb_translit *src)
{
    (void)src; /* instances share ICU's cache of compiled transforms */
    return emb_translit_new(out);
}

static int tr_get(emb_translit *tr, int which, UTransliterator **out)
{
    if (!tr->t[which]) {
        UChar id[64];
        int32_t len = 0;
        UErrorCode st = U_ZERO_ERROR;
        u_strFromUTF8(id, (int32_t)EMB_ARRAY_LEN(id), &len, TR_IDS[which], -1, &st);
        tr->t[which] = utrans_openU(id, len, UTRANS_FORWARD, NULL, 0, NULL, &st);
        if (U_FAILURE(st)) {
            tr->t[which] = NULL;
            return emb_err_set(EMB_EUNICODE, "cannot open transliterator %s: %s", TR_IDS[which],
                               u_errorName(st));
        }
    }
    *out = tr->t[which];
    return EMB_OK;
}

void emb_translit_free(emb_translit *t)
{
    if (!t)
        return;
    for (int i = 0; i < TR_COUNT; i++)
        if (t->t[i])
            utrans_close(t->t[i]);
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

int emb_norm_written_in(const char *s, size_t n)
{
    int found = EMB_WRITTEN_OTHER;
    for (int32_t i = 0; i < (int32_t)n;) {
        if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))
            return EMB_WRITTEN_OTHER;
        UChar32 c;
        U8_NEXT(s, i, (int32_t)n, c);
        if (c < 0x80 || found)
            continue;
        UErrorCode st = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript(c, &st);
        if (sc == USCRIPT_HANGUL)
            found = EMB_WRITTEN_HANGUL;
        else if (sc == USCRIPT_ARABIC)
            found = EMB_WRITTEN_ARABIC;
    }
    return found;
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

/* Latin letters that NFD does not split into base + mark. */
static const char *latin_fold(UChar32 c)
{
    switch (c) {
    case 0x00F8: case 0x00D8: return "o";   /* o with stroke */
    case 0x0142: case 0x0141: return "l";   /* l with stroke */
    case 0x0111: case 0x0110: case 0x00F0: case 0x00D0: return "d";
    case 0x0127: case 0x0126: return "h";
    case 0x0131: return "i";                /* dotless i */
    case 0x0140: return "l";
    case 0x0167: return "t";
    case 0x00E6: case 0x00C6: return "ae";
    case 0x0153: case 0x0152: return "oe";
    case 0x00DF: return "ss";
    case 0x00FE: case 0x00DE: return "th";
    case 0x014B: return "n";
    case 0x0259: return "e";                /* schwa */
    default: return NULL;
    }
}

static int is_alpha_ascii(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A dot at s[i] sits inside an abbreviation of single letters ("S.A.",
 * "U.S.A.") when a lone letter precedes it and a lone letter follows it,
 * itself followed by a dot or the end of the word. "J. Smith" is not one. */
static int dotted_join(const char *s, size_t n, size_t i)
{
    if (i == 0 || !is_alpha_ascii(s[i - 1]) || (i >= 2 && (is_alpha_ascii(s[i - 2]) ||
                                                           (s[i - 2] >= '0' && s[i - 2] <= '9'))))
        return 0;
    if (i + 1 >= n || !is_alpha_ascii(s[i + 1]))
        return 0;
    return i + 2 >= n || s[i + 2] == '.' || s[i + 2] == ' ' || s[i + 2] == ',';
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
            } else if (c == '.' && dotted_join(s, n, start)) {
                /* S.A. -> sa, L.L.C. -> llc: letters of an abbreviation stay one token */
            } else if (!space) {
                rc = emb_buf_putc(out, ' ');
                space = 1;
            }
            continue;
        }
        if (is_apostrophe(c))
            continue;
        const char *fold = latin_fold(c);
        if (fold) {
            rc = emb_buf_puts(out, fold);
            space = 0;
            continue;
        }
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

/* Apply an ICU normaliser to *u (replaced by the result). */
static int normalize_with(const UNormalizer2 *nf, UChar **u, int32_t *len)
{
    UErrorCode st = U_ZERO_ERROR;
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
    emb_free(*u);
    *u = d;
    *len = dl;
    return EMB_OK;
}

/* Traditional Han characters to simplified (data/translit/hant_hans.tsv), so
 * 長安海連 and 长安海连 are one name. */
static UChar hant_to_hans(UChar c)
{
    size_t lo = 0, hi = EMB_HANT_COUNT;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (emb_hant_hans[mid][0] == c)
            return emb_hant_hans[mid][1];
        if (emb_hant_hans[mid][0] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return c;
}

/* NFKC case fold with apostrophes deleted, Han simplified. */
static int fold(UChar **u, int32_t *len)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nf = unorm2_getNFKCCasefoldInstance(&st);
    if (U_FAILURE(st))
        return emb_err_set(EMB_EUNICODE, "ICU NFKC_Casefold unavailable: %s", u_errorName(st));
    int rc = normalize_with(nf, u, len);
    if (rc < 0)
        return rc;
    int32_t o = 0;
    for (int32_t i = 0; i < *len; i++) {
        UChar c = (*u)[i];
        if (is_apostrophe(c))
            continue;
        (*u)[o++] = c >= 0x3400 && c <= 0xFAFF ? hant_to_hans(c) : c;
    }
    *len = o;
    return EMB_OK;
}

/* Which transliterators the text needs. */
static unsigned scripts_of(const UChar *u, int32_t len)
{
    unsigned need = 0;
    for (int32_t i = 0; i < len;) {
        UChar32 c;
        U16_NEXT(u, i, len, c);
        if (c < 0x250)
            continue; /* ASCII and Latin-1/Extended-A/B */
        UErrorCode st = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript(c, &st);
        switch (sc) {
        case USCRIPT_COMMON: case USCRIPT_INHERITED: case USCRIPT_LATIN:
        case USCRIPT_HAN: case USCRIPT_HIRAGANA: case USCRIPT_KATAKANA:
            break;
        case USCRIPT_CYRILLIC: case USCRIPT_ARABIC:
            break; /* table-driven (translit_table.c) */
        case USCRIPT_HANGUL: need |= 1u << TR_HANGUL; break;
        default: need |= 1u << TR_ANY; break;
        }
    }
    return need;
}

/* Cyrillic and Arabic script through the project's own tables (BGN). */
static int romanise_tables(UChar **u, int32_t *len)
{
    unsigned schemes = emb_translit_table_scripts(*u, *len);
    for (int s = 0; s < EMB_SCHEME_COUNT; s++) {
        if (!(schemes & (1u << s)))
            continue;
        int32_t cap = *len * 4 + 64;
        UChar *o = emb_malloc((size_t)cap * sizeof(UChar));
        if (!o)
            return emb_err_set(EMB_ENOMEM, "out of memory");
        int32_t n = emb_translit_table((emb_scheme)s, *u, *len, o, cap);
        if (n < 0) {
            emb_free(o);
            return emb_err_set(EMB_ETOOBIG, "transliterated name longer than %d characters", cap);
        }
        emb_free(*u);
        *u = o;
        *len = n;
    }
    return EMB_OK;
}

/* Hangul names are written without spaces (김정은): a space between two
 * syllables lets each be romanised alone (gim jeong eun), with no sound
 * change across syllables, so each aligns with a listed part. */
static int split_hangul(UChar **u, int32_t *len)
{
    int32_t extra = 0;
    for (int32_t i = 0; i + 1 < *len; i++)
        if ((*u)[i] >= 0xAC00 && (*u)[i] <= 0xD7A3 && (*u)[i + 1] >= 0xAC00 && (*u)[i + 1] <= 0xD7A3)
            extra++;
    if (!extra)
        return EMB_OK;
    UChar *o = emb_malloc((size_t)(*len + extra + 1) * sizeof(UChar));
    if (!o)
        return emb_err_set(EMB_ENOMEM, "out of memory");
    int32_t k = 0;
    for (int32_t i = 0; i < *len; i++) {
        o[k++] = (*u)[i];
        if (i + 1 < *len && (*u)[i] >= 0xAC00 && (*u)[i] <= 0xD7A3 && (*u)[i + 1] >= 0xAC00 &&
            (*u)[i + 1] <= 0xD7A3)
            o[k++] = ' ';
    }
    emb_free(*u);
    *u = o;
    *len = k;
    return EMB_OK;
}

static int romanise(emb_translit *tr, UChar **u, int32_t *len)
{
    int rc = romanise_tables(u, len);
    if (rc < 0)
        return rc;
    unsigned need = scripts_of(*u, *len);
    if (!need)
        return EMB_OK;
    if ((need & (1u << TR_HANGUL)) && (rc = split_hangul(u, len)) < 0)
        return rc;
    int32_t cap = *len * 4 + 64;
    UChar *g = emb_realloc(*u, (size_t)cap * sizeof(UChar));
    if (!g)
        return emb_err_set(EMB_ENOMEM, "out of memory");
    *u = g;
    for (int which = 0; which < TR_COUNT; which++) {
        if (!(need & (1u << which)))
            continue;
        UTransliterator *t;
        rc = tr_get(tr, which, &t);
        if (rc < 0)
            return rc;
        UErrorCode st = U_ZERO_ERROR;
        int32_t limit = *len;
        utrans_transUChars(t, *u, len, cap, 0, &limit, &st);
        if (st == U_BUFFER_OVERFLOW_ERROR)
            return emb_err_set(EMB_ETOOBIG, "transliterated name longer than %d characters", cap);
        if (U_FAILURE(st))
            return emb_err_set(EMB_EUNICODE, "transliteration failed: %s", u_errorName(st));
    }
    return EMB_OK;
}

/* NFD, so accents become marks that squash() drops. */
static int decompose(UChar **u, int32_t *len)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&st);
    if (U_FAILURE(st))
        return emb_err_set(EMB_EUNICODE, "ICU NFD unavailable: %s", u_errorName(st));
    return normalize_with(nfd, u, len);
}

static int ascii_fast(emb_buf *out, const char *s, size_t n)
{
    emb_buf_clear(out);
    return squash(out, s, n);
}

/* The non-ASCII path: fold, optionally romanise and decompose, squash. */
static int pipeline(emb_buf *out, const char *s, size_t n, int romanise_it, emb_translit *tr)
{
    UChar *u = NULL;
    int32_t len = 0;
    int rc = to_u16(&u, &len, s, n);
    if (rc < 0)
        return rc;
    if ((rc = fold(&u, &len)) < 0)
        goto cleanup;
    if (romanise_it) {
        if (tr && (rc = romanise(tr, &u, &len)) < 0)
            goto cleanup;
        if ((rc = decompose(&u, &len)) < 0)
            goto cleanup;
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

int emb_norm_name(emb_buf *out, const char *s, size_t n, emb_translit *tr)
{
    if (n > EMB_NAME_MAX_BYTES)
        return emb_err_set(EMB_ETOOBIG, "name longer than %d bytes", EMB_NAME_MAX_BYTES);
    if (emb_is_ascii(s, n))
        return ascii_fast(out, s, n);
    return pipeline(out, s, n, 1, tr);
}

int emb_norm_script(emb_buf *out, const char *s, size_t n, int *non_latin)
{
    *non_latin = 0;
    if (n > EMB_NAME_MAX_BYTES)
        return emb_err_set(EMB_ETOOBIG, "name longer than %d bytes", EMB_NAME_MAX_BYTES);
    if (emb_is_ascii(s, n))
        return ascii_fast(out, s, n);
    int rc = pipeline(out, s, n, 0, NULL);
    if (rc == EMB_OK)
        *non_latin = !emb_is_ascii(emb_buf_cstr(out), out->len);
    return rc;
}
