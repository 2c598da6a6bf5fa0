/*
 * variants.c - parse the variant tables and compute class, form and
 * skeleton keys (see variants.h). The tables are small (tens of lines);
 * lookups are binary searches, rewrites a scan of the rule list per
 * position: cheap next to the scorer.
 */
#include "util/compat.h"
#include <stdlib.h>
#include <string.h>
#include "embargo.h"
#include "text/variants.h"
#include "util/alloc.h"
#include "util/err.h"

extern const char emb__blob_variant_classes[], emb__blob_variant_classes_end[];
extern const char emb__blob_rewrites[], emb__blob_rewrites_end[];

typedef struct entry {
    const char *tok;
    int32_t cls;
} entry;

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->tok, ((const entry *)b)->tok);
}

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Whether a form reads as one romanised Korean syllable: an initial (none,
 * one consonant, sh or rh), an optional w glide (written v), one to three
 * vowels and an optional final (one consonant or ng). Gul, Jong, Kwang,
 * Choi, Yoon do; Gamel, Kamali, Badr, Omar do not: the voicing rules below
 * are Korean and must not make Gamal a Kamal. */
static int korean_syllable(const char *f, size_t n)
{
    size_t i = 0;
    if (i < n && !is_vowel(f[i]) && f[i] != 'v') {
        if (!strchr("kgndtrlmbpsjh", f[i]))
            return 0;
        i++;
        if (i < n && f[i] == 'h' && (f[i - 1] == 's' || f[i - 1] == 'r'))
            i++;
    }
    if (i < n && f[i] == 'v')
        i++;
    size_t v0 = i;
    while (i < n && is_vowel(f[i]))
        i++;
    if (i == v0 || i - v0 > 3)
        return 0;
    if (i == n)
        return 1;
    if (n - i == 2 && f[i] == 'n' && f[i + 1] == 'g')
        return 1;
    return n - i == 1 && strchr("kgntdlrmpbs", f[i]) != NULL;
}

/* Split a blob into lines; calls fn on each non-comment, non-blank line. */
typedef int (*line_fn)(emb_variants *v, const char *s, size_t n, size_t lineno, void *ctx);

static int each_line(emb_variants *v, const char *p, const char *end, line_fn fn, void *ctx)
{
    size_t lineno = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        lineno++;
        while (le > p && (le[-1] == '\r' || le[-1] == ' '))
            le--;
        if (le > p && *p != '#') {
            int rc = fn(v, p, (size_t)(le - p), lineno, ctx);
            if (rc < 0)
                return rc;
        }
        p = nl ? nl + 1 : end;
    }
    return EMB_OK;
}

typedef struct cls_ctx {
    entry *e;
    size_t n;
    int32_t next;
} cls_ctx;

static int class_line(emb_variants *v, const char *s, size_t n, size_t lineno, void *ctx)
{
    cls_ctx *c = ctx;
    const char *end = s + n;
    while (s < end) {
        while (s < end && *s == ' ')
            s++;
        const char *w = s;
        while (s < end && *s != ' ')
            s++;
        if (s == w)
            continue;
        int rc = emb_grow(&c->e, c->n, sizeof(entry), 1u << 16);
        if (rc < 0)
            return emb_err_set(rc, "variant_classes.txt:%zu: too many entries", lineno);
        c->e[c->n].tok = emb_arena_strndup(&v->arena, w, (size_t)(s - w));
        if (!c->e[c->n].tok)
            return EMB_ENOMEM;
        c->e[c->n].cls = c->next;
        c->n++;
    }
    c->next++;
    return EMB_OK;
}

typedef struct rw_ctx {
    size_t cap;
} rw_ctx;

static int rewrite_line(emb_variants *v, const char *s, size_t n, size_t lineno, void *ctx)
{
    (void)ctx;
    const char *tab = memchr(s, '\t', n);
    if (!tab || tab == s)
        return emb_err_set(EMB_EPARSE, "rewrites.tsv:%zu: expected from<TAB>to", lineno);
    int rc = emb_grow(&v->rw_from, v->nrw, sizeof(char *), 1024);
    if (rc == EMB_OK)
        rc = emb_grow(&v->rw_to, v->nrw, sizeof(char *), 1024);
    if (rc == EMB_OK)
        rc = emb_grow(&v->rw_len, v->nrw, sizeof(size_t), 1024);
    if (rc < 0)
        return emb_err_set(rc, "rewrites.tsv:%zu: too many rules", lineno);
    v->rw_from[v->nrw] = emb_arena_strndup(&v->arena, s, (size_t)(tab - s));
    v->rw_to[v->nrw] = emb_arena_strndup(&v->arena, tab + 1, (size_t)(s + n - tab - 1));
    v->rw_len[v->nrw] = (size_t)(tab - s);
    if (!v->rw_from[v->nrw] || !v->rw_to[v->nrw])
        return EMB_ENOMEM;
    v->nrw++;
    return EMB_OK;
}

int emb_variants_load(emb_variants *v)
{
    memset(v, 0, sizeof(*v));
    emb_arena_init(&v->arena, 0);
    cls_ctx c = {NULL, 0, 0};
    int rc = each_line(v, emb__blob_variant_classes, emb__blob_variant_classes_end, class_line, &c);
    if (rc == EMB_OK)
        rc = each_line(v, emb__blob_rewrites, emb__blob_rewrites_end, rewrite_line, NULL);
    if (rc == EMB_OK) {
        qsort(c.e, c.n, sizeof(entry), cmp_entry);
        v->cls_tok = emb_arena_alloc(&v->arena, (c.n ? c.n : 1) * sizeof(char *));
        v->cls_id = emb_arena_alloc(&v->arena, (c.n ? c.n : 1) * sizeof(int32_t));
        if (!v->cls_tok || !v->cls_id)
            rc = EMB_ENOMEM;
        for (size_t i = 0; rc == EMB_OK && i < c.n; i++) {
            if (i && strcmp(c.e[i].tok, c.e[i - 1].tok) == 0) {
                rc = emb_err_set(EMB_EPARSE, "variant_classes.txt: '%s' is in two classes",
                                 c.e[i].tok);
                break;
            }
            v->cls_tok[i] = c.e[i].tok;
            v->cls_id[i] = c.e[i].cls;
        }
        v->ncls = c.n;
    }
    /* the rewrites by first letter, file order kept (the first that applies
     * at a position wins) */
    if (rc == EMB_OK) {
        v->rw_idx = emb_arena_alloc(&v->arena, (v->nrw ? v->nrw : 1) * sizeof(uint16_t));
        if (!v->rw_idx)
            rc = EMB_ENOMEM;
        size_t k = 0;
        for (int ch = 0; rc == EMB_OK && ch < 26; ch++) {
            v->rw_off[ch] = (uint16_t)k;
            for (size_t r = 0; r < v->nrw; r++)
                if (v->rw_from[r][0] == 'a' + ch)
                    v->rw_idx[k++] = (uint16_t)r;
        }
        v->rw_off[26] = (uint16_t)k;
    }
    emb_free(c.e);
    if (rc < 0)
        emb_variants_dispose(v);
    return rc;
}

void emb_variants_dispose(emb_variants *v)
{
    emb_free(v->rw_from);
    emb_free(v->rw_to);
    emb_free(v->rw_len);
    emb_arena_dispose(&v->arena);
    memset(v, 0, sizeof(*v));
}

int32_t emb_variant_class(const emb_variants *v, const char *t, size_t n)
{
    size_t lo = 0, hi = v->ncls;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strncmp(t, v->cls_tok[mid], n);
        if (c == 0 && v->cls_tok[mid][n] != '\0')
            c = -1;
        if (c == 0)
            return v->cls_id[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

size_t emb_variant_form(const emb_variants *v, const char *t, size_t n, char *out, size_t cap)
{
    if (n == 0 || n > EMB_VARIANT_MAX || cap < 4 * n + 1)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(t[i] >= 'a' && t[i] <= 'z'))
            return 0; /* digits and non-Latin parts get no spelling variants */
    char tmp[4 * EMB_VARIANT_MAX + 1];
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t r = v->nrw;
        int ch = t[i] - 'a';   /* a letter: checked above */
        for (size_t x = v->rw_off[ch]; x < v->rw_off[ch + 1]; x++) {
            size_t y = v->rw_idx[x];
            if (v->rw_len[y] <= n - i && memcmp(t + i, v->rw_from[y], v->rw_len[y]) == 0) {
                r = y;
                break;
            }
        }
        if (r < v->nrw) {
            size_t l = strlen(v->rw_to[r]);
            memcpy(tmp + o, v->rw_to[r], l);
            o += l;
            i += v->rw_len[r];
        } else {
            tmp[o++] = t[i++];
        }
    }
    /* collapse doubled letters */
    size_t k = 0;
    for (size_t i = 0; i < o; i++)
        if (k == 0 || tmp[i] != out[k - 1])
            out[k++] = tmp[i];
    /* a final h after a vowel is silent in these romanisations */
    if (k > 2 && out[k - 1] == 'h' && is_vowel(out[k - 2]))
        k--;
    /* Korean syllables: voiced and voiceless initials alternate (gim/kim,
     * gwang/kwang, bak/pak), in a part that reads as one syllable only
     * (Gamal is not Kamal); a final stop of a short part is voiceless
     * whatever its language: sig/sik, bag/pak, and Ahmed/Ahmet */
    if (k <= 6) {
        if (korean_syllable(out, k)) {
            if (out[0] == 'l')
                out[0] = 'r';   /* initial rieul: DPRK ryong, RR/ICU lyong */
            else
                out[0] = emb_variant_devoice(out[0]);
        }
        if (k >= 2 && is_vowel(out[k - 2]))
            out[k - 1] = emb_variant_devoice(out[k - 1]);
    }
    out[k] = '\0';
    return k;
}

/* The skeleton of one Korean syllable keeps its vowel as a class: the
 * romanisations write one vowel as o, u, eo or eu (Song, Sung, Seong; Jong,
 * Jung), but a is a (Sang is another syllable). Marks are upper case, which
 * no form holds: A for a, E for ae/ai/e/ei, O for o/u, I for i, else the
 * vowels as written. */
static size_t korean_skeleton(const char *f, size_t n, char *out)
{
    size_t i = 0, k = 0;
    while (i < n && !is_vowel(f[i]))
        out[k++] = f[i++];   /* the initial and a w glide */
    if (i + 1 < n && f[i] == 'i' && is_vowel(f[i + 1]))
        out[k++] = f[i++];   /* a y glide: ya, yo, yeo, yu */
    size_t g = i;
    while (i < n && is_vowel(f[i]))
        i++;
    size_t gl = i - g;
    char m = 0;
    if (gl == 1)
        m = f[g] == 'a' ? 'A' : f[g] == 'e' ? 'E' : f[g] == 'i' ? 'I' : 'O';
    else if (gl == 2 && (f[g] == 'a' || f[g] == 'e') && (f[g + 1] == 'e' || f[g + 1] == 'i'))
        m = 'E';
    if (m)
        out[k++] = m;
    else
        for (size_t x = g; x < i; x++)
            out[k++] = f[x];
    while (i < n)
        out[k++] = f[i++];
    out[k] = '\0';
    return k;
}

size_t emb_variant_skeleton(const char *form, size_t n, char *out, size_t cap)
{
    if (n < 4 || cap < n + 1)
        return 0;
    size_t k = 0, consonants = 0;
    /* an initial vowel is written as any vowel (Ismaili, Esmaeli; Usman,
     * Osman; Ibrahim, Ebrahim): it stays, as one mark */
    out[k++] = is_vowel(form[0]) ? 'a' : form[0];
    consonants += !is_vowel(form[0]);
    for (size_t i = 1; i < n; i++)
        if (!is_vowel(form[i]) && form[i] != out[k - 1]) {
            out[k++] = form[i];
            consonants++;
        }
    if (consonants < 3)
        return 0;
    if (korean_syllable(form, n))
        return korean_skeleton(form, n, out);
    out[k] = '\0';
    return k;
}

/* ---- abjad matching ---------------------------------------------------- */

/* A part as abjad symbols: digraphs one letter (S sh/ch, x kh, G gh, t th,
 * d dh, z zh, f ph, j dj; U oo and I ee, long vowels), q and c k, g j,
 * v w; doubled symbols once. Returns the count, 0 when the part is not
 * lower-case ASCII or too long. */
static size_t abjad_symbols(const char *s, size_t n, char *out)
{
    if (n == 0 || n > EMB_ABJAD_MAX)
        return 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i], nx = i + 1 < n ? s[i + 1] : '\0', o;
        if (c < 'a' || c > 'z')
            return 0;
        if (c == 'd' && nx == 'j') {
            o = 'j';   /* dj: French spelling of jim (Djamel) */
            i++;
        } else if ((c == 'o' || c == 'e') && nx == c) {
            /* oo, ee: long vowels, written in the script (Mahmood, Saeed) */
            o = c == 'o' ? 'U' : 'I';
            i++;
        } else if (nx == 'h' && (c == 's' || c == 'c' || c == 'k' || c == 'g' || c == 't' ||
                          c == 'd' || c == 'z' || c == 'p')) {
            o = c == 's' || c == 'c' ? 'S' : c == 'k' ? 'x' : c == 'g' ? 'G' : c == 'p' ? 'f' : c;
            i++;
        } else {
            o = c == 'q' || c == 'c' ? 'k' : c == 'g' ? 'j' : c == 'v' ? 'w' : c;
        }
        if (k == 0 || out[k - 1] != o)
            out[k++] = o;
    }
    return k;
}

static int abjad_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* The key of a part as abjad symbols sym[0..m) (emb_abjad_key). */
static size_t abjad_key_of(const char *sym, size_t m, char *out, size_t cap)
{
    if (m && sym[m - 1] == 'h')
        m--;   /* a final h: ta marbuta, or silent */
    size_t k = 0, last = 0;
    for (size_t i = 0; i < m; i++) {
        char c = sym[i];
        if (abjad_vowel(c) || c == 'w' || c == 'y' || c == 'U' || c == 'I')
            continue;
        if (k + 2 >= cap)
            return 0;
        if (k == 0 || out[k - 1] != c)
            out[k++] = c;
        last = i;
    }
    if (k == 0)
        return 0;
    if (k == 1) {
        /* one consonant: a key only when something follows it (Ali ly,
         * Abu abw, Isa ysa), marked so; the article al has none */
        if (last + 1 >= m)
            return 0;
        out[k++] = '+';
    }
    out[k] = '\0';
    return k;
}

size_t emb_abjad_key(const char *s, size_t n, char *out, size_t cap)
{
    char sym[EMB_ABJAD_MAX];
    return abjad_key_of(sym, abjad_symbols(s, n, sym), out, cap);
}

int emb_abjad_equal(const char *q, size_t qn, const char *l, size_t ln)
{
    char a[EMB_ABJAD_MAX], b[EMB_ABJAD_MAX], key[EMB_ABJAD_MAX + 2], lkey[EMB_ABJAD_MAX + 2];
    size_t n = abjad_symbols(q, qn, a), m = abjad_symbols(l, ln, b);
    /* only parts with a key (the index finds equal parts by it), and the
     * same key: a cheap test ahead of the alignment */
    size_t kl = abjad_key_of(a, n, key, sizeof(key));
    if (!kl || abjad_key_of(b, m, lkey, sizeof(lkey)) != kl || memcmp(key, lkey, kl) != 0)
        return 0;
    /* reach[i][j]: a[0..i) reads as b[0..j); rows kept two at a time */
    unsigned char r0[EMB_ABJAD_MAX + 1], r1[EMB_ABJAD_MAX + 1];
    unsigned char *prev = r0, *cur = r1;
    prev[0] = 1;
    for (size_t j = 1; j <= m; j++)
        prev[j] = prev[j - 1] && abjad_vowel(b[j - 1]);   /* l's short vowels */
    for (size_t i = 1; i <= n; i++) {
        char c = a[i - 1];
        int last = i == n;
        cur[0] = 0;
        for (size_t j = 1; j <= m; j++) {
            char d = b[j - 1];
            int ok = 0;
            if (last && c == 'h' && prev[j] && abjad_vowel(d))
                ok = 1;   /* q's final h after l's vowel (hmzh, Hamza) */
            else if (abjad_vowel(d) && cur[j - 1])
                ok = 1;   /* a short vowel of l the script leaves out */
            else if (prev[j - 1]) {
                if (c == d)
                    ok = 1;
                else if (c == 'a')   /* alif (of al-, any vowel: Abdulmalik); last,
                                      * alif maksura too (Haji) */
                    ok = (abjad_vowel(d) && (i == 1 || d == 'e' || (i < n && a[i] == 'l'))) ||
                         (last && (d == 'i' || d == 'y' || d == 'I'));
                else if (c == 'w')
                    ok = d == 'u' || d == 'o' || d == 'U';
                else if (c == 'y')
                    ok = d == 'i' || d == 'e' || d == 'I';
            }
            cur[j] = (unsigned char)ok;
        }
        unsigned char *t = prev;
        prev = cur;
        cur = t;
    }
    return prev[m];
}
