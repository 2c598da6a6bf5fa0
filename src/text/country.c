/*
 * country.c - country names and codes to ISO 3166-1 alpha-2.
 *
 * The compiled-in data/countries.tsv is parsed once (pthread_once) into
 * static arrays: one row per country and a sorted array of lookup keys
 * (codes, short names, variants) in folded form: case-folded, accents and
 * apostrophes removed, punctuation to spaces, the word "the" dropped and
 * dotted single letters joined ("U.S.A." -> "usa"). Nothing is written after
 * the build, so lookups from any thread need no lock.
 *
 * List fields are messier than names ("Indonesia (as at Dec. 2003)",
 * "Branch Office 11: Iran", "Iran / unknown", "Sudanese by birth"). When the
 * whole string is not a known name, resolve() tries a few fallbacks in a
 * fixed order. None of them chooses between two countries ("Sudan/South
 * Sudan" stays unresolved), and a bare code counts only as the whole input,
 * so the "IQ" in "Branch: IQ" is not read as Iraq.
 */
#include "util/compat.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include "text/country.h"

extern const char emb__blob_countries[];
extern const char emb__blob_countries_end[];

#define CC_MAX_ROWS 320             /* countries in the table */
#define CC_MAX_KEYS 4096            /* codes + names + variants */
#define CC_POOL_BYTES (96 * 1024)   /* short names and folded keys */
#define CC_LINE_MAX 1024            /* longer data lines are skipped (the test rejects them) */
#define CC_INPUT_MAX 512            /* longer inputs are not country values: NULL */
#define CC_KEY_MAX 1024             /* folded form of an input of CC_INPUT_MAX bytes */
#define CC_DEPTH_MAX 3              /* nesting of the fallback rules */

typedef struct cc_row {
    char a2[3];                     /* lower case, "kp" */
    char a3[4];                     /* lower case, "prk" */
    const char *name;               /* English short name, in the pool */
} cc_row;

typedef struct cc_key {
    const char *key;                /* folded, in the pool */
    uint16_t row;
    uint8_t is_code;                /* alpha-2 or alpha-3 code, not a name */
} cc_key;

/* The one table: written only inside build_table() under pthread_once. */
static struct {
    cc_row rows[CC_MAX_ROWS];
    size_t nrows;
    cc_key keys[CC_MAX_KEYS];
    size_t nkeys;
    char pool[CC_POOL_BYTES];
    size_t npool;
} g_cc;
static pthread_once_t g_cc_once = PTHREAD_ONCE_INIT;

/* ---- folding ---------------------------------------------------------- */

static int is_apostrophe(UChar32 c)
{
    return c == '\'' || c == '`' || c == 0x2018 || c == 0x2019 || c == 0x02BB || c == 0x02BC ||
           c == 0x00B4;
}

/* Letters without a decomposition that Latin-ASCII would fold. */
static const char *fold_special(UChar32 c)
{
    switch (c) {
    case 0x00DF: return "ss";   /* ß */
    case 0x00E6: return "ae";   /* æ */
    case 0x00F0: return "d";    /* ð */
    case 0x00F8: return "o";    /* ø */
    case 0x00FE: return "th";   /* þ */
    case 0x0111: return "d";    /* đ */
    case 0x0127: return "h";    /* ħ */
    case 0x0131: return "i";    /* ı */
    case 0x0142: return "l";    /* ł */
    case 0x0153: return "oe";   /* œ */
    default: return NULL;
    }
}

typedef struct cc_out {
    char *p;
    size_t len, cap;
    int overflow;
} cc_out;

static void out_bytes(cc_out *o, const char *s, size_t n)
{
    if (o->len + n >= o->cap) {
        o->overflow = 1;
        return;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

static void out_ascii(cc_out *o, unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        c = (unsigned char)(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        char ch = (char)c;
        out_bytes(o, &ch, 1);
    } else if (c == '\'' || c == '`') {
        /* deleted inside words: "d'Ivoire" -> "divoire" */
    } else if (c == '&') {
        out_bytes(o, " and ", 5);
    } else if (c == '.') {
        out_bytes(o, ".", 1);   /* a separator that fold_key() tells apart */
    } else {
        out_bytes(o, " ", 1);
    }
}

/* Characters of s[0..n) to lower-case letters, digits and spaces. */
static int fold_chars(const char *s, size_t n, cc_out *o)
{
    int ascii = 1;
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] >= 0x80) {
            ascii = 0;
            break;
        }
    }
    if (ascii) {
        for (size_t i = 0; i < n; i++)
            out_ascii(o, (unsigned char)s[i]);
        return o->overflow ? -1 : 0;
    }

    UChar u[CC_INPUT_MAX];
    UChar d[CC_INPUT_MAX * 4];
    int32_t ulen = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8WithSub(u, (int32_t)EMB_ARRAY_LEN(u), &ulen, s, (int32_t)n, 0xFFFD, NULL, &st);
    if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING)
        return -1;
    const UNormalizer2 *nfkd = unorm2_getNFKDInstance(&st);
    if (U_FAILURE(st))
        return -1;
    int32_t dlen = unorm2_normalize(nfkd, u, ulen, d, (int32_t)EMB_ARRAY_LEN(d), &st);
    if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING)
        return -1;

    for (int32_t i = 0; i < dlen;) {
        UChar32 c;
        U16_NEXT(d, i, dlen, c);
        if (u_charType(c) == U_NON_SPACING_MARK || is_apostrophe(c))
            continue;
        c = u_foldCase(c, U_FOLD_CASE_DEFAULT);
        if (c < 0x80) {
            out_ascii(o, (unsigned char)c);
            continue;
        }
        const char *sp = fold_special(c);
        if (sp) {
            out_bytes(o, sp, strlen(sp));
        } else if (u_isalnum(c)) {
            char b[U8_MAX_LENGTH];
            int32_t bl = 0;
            U8_APPEND_UNSAFE(b, bl, c);
            out_bytes(o, b, (size_t)bl);
        } else {
            out_bytes(o, " ", 1);
        }
    }
    return o->overflow ? -1 : 0;
}

static int is_single_letter(const char *w, size_t n)
{
    return n == 1 && w[0] >= 'a' && w[0] <= 'z';
}

/* Folded key of s[0..n) into key[cap]: words separated by one space, "the"
 * dropped, single letters separated by dots joined ("U.S.A." -> "usa", but
 * "n/a" stays "n a"). Returns its length, or -1. */
static int fold_key(const char *s, size_t n, char *key, size_t cap)
{
    char tmp[CC_KEY_MAX];
    cc_out o = { tmp, 0, sizeof(tmp), 0 };
    if (n > CC_INPUT_MAX || cap == 0 || fold_chars(s, n, &o) < 0)
        return -1;
    size_t len = 0;
    int in_run = 0;   /* the last word written ends in a single letter */
    for (size_t i = 0; i < o.len;) {
        int dot = 0;
        while (i < o.len && (tmp[i] == ' ' || tmp[i] == '.')) {
            dot |= tmp[i] == '.';
            i++;
        }
        size_t b = i;
        while (i < o.len && tmp[i] != ' ' && tmp[i] != '.')
            i++;
        size_t wl = i - b;
        if (wl == 0 || (wl == 3 && memcmp(tmp + b, "the", 3) == 0))
            continue;
        int single = is_single_letter(tmp + b, wl);
        int sep = len > 0 && !(single && in_run && dot);
        if (len + (size_t)sep + wl >= cap)
            return -1;
        if (sep)
            key[len++] = ' ';
        memcpy(key + len, tmp + b, wl);
        len += wl;
        in_run = single;
    }
    key[len] = '\0';
    return (int)len;
}

/* ---- the table ---------------------------------------------------------- */

static const char *pool_add(const char *s, size_t n)
{
    if (g_cc.npool + n + 1 > sizeof(g_cc.pool))
        return NULL;
    char *p = g_cc.pool + g_cc.npool;
    memcpy(p, s, n);
    p[n] = '\0';
    g_cc.npool += n + 1;
    return p;
}

static int key_add(const char *s, size_t n, size_t row, int is_code)
{
    char k[CC_KEY_MAX];
    int kl = fold_key(s, n, k, sizeof(k));
    if (kl <= 0 || g_cc.nkeys >= CC_MAX_KEYS)
        return -1;
    const char *pk = pool_add(k, (size_t)kl);
    if (!pk)
        return -1;
    g_cc.keys[g_cc.nkeys].key = pk;
    g_cc.keys[g_cc.nkeys].row = (uint16_t)row;
    g_cc.keys[g_cc.nkeys].is_code = (uint8_t)is_code;
    g_cc.nkeys++;
    return 0;
}

static int all_alpha(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return 0;
    }
    return 1;
}

static void lower_copy(char *dst, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] - 'A' + 'a' : s[i]);
    dst[n] = '\0';
}

/* One data line: alpha2 TAB alpha3 TAB name TAB variant|variant. Malformed
 * lines are skipped here; the unit test parses the file and fails on them. */
static void parse_line(const char *p, const char *le)
{
    const char *f[4];
    size_t fl[4];
    size_t nf = 0;
    const char *q = p;
    for (;;) {
        const char *tab = memchr(q, '\t', (size_t)(le - q));
        const char *fe = tab ? tab : le;
        if (nf == 4)
            return;
        f[nf] = q;
        fl[nf] = (size_t)(fe - q);
        nf++;
        if (!tab)
            break;
        q = tab + 1;
    }
    if (nf != 4 || fl[0] != 2 || fl[1] != 3 || fl[2] == 0 || !all_alpha(f[0], 2) ||
        !all_alpha(f[1], 3) || g_cc.nrows >= CC_MAX_ROWS)
        return;
    size_t r = g_cc.nrows;
    cc_row *row = &g_cc.rows[r];
    lower_copy(row->a2, f[0], 2);
    lower_copy(row->a3, f[1], 3);
    row->name = pool_add(f[2], fl[2]);
    if (!row->name)
        return;
    g_cc.nrows++;
    key_add(row->a2, 2, r, 1);
    key_add(row->a3, 3, r, 1);
    key_add(f[2], fl[2], r, 0);
    const char *v = f[3];
    const char *ve = f[3] + fl[3];
    while (v < ve) {
        const char *bar = memchr(v, '|', (size_t)(ve - v));
        const char *e = bar ? bar : ve;
        if (e > v)
            key_add(v, (size_t)(e - v), r, 0);
        v = bar ? bar + 1 : ve;
    }
}

static int key_cmp(const void *a, const void *b)
{
    const cc_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    if (x->is_code != y->is_code)
        return x->is_code < y->is_code ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

static void build_table(void)
{
    const char *p = emb__blob_countries;
    const char *end = emb__blob_countries_end;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (le > p && le[-1] == '\r')
            le--;
        if (le > p && *p != '#' && (size_t)(le - p) <= CC_LINE_MAX)
            parse_line(p, le);
        p = nl ? nl + 1 : end;
    }
    qsort(g_cc.keys, g_cc.nkeys, sizeof(cc_key), key_cmp);
}

/* Row of a folded key, codes or names only; the first line in the file wins
 * when two lines share a key (a data error the test reports). */
static int find(const char *key, int want_code)
{
    size_t lo = 0, hi = g_cc.nkeys;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(g_cc.keys[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < g_cc.nkeys && strcmp(g_cc.keys[i].key, key) == 0; i++) {
        if (g_cc.keys[i].is_code == want_code)
            return g_cc.keys[i].row;
    }
    return -1;
}

/* ---- fallbacks ---------------------------------------------------------- */

static int find_name(const char *s, size_t n)
{
    char k[CC_KEY_MAX];
    if (fold_key(s, n, k, sizeof(k)) <= 0)
        return -1;
    return find(k, 0);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int word_in(const char *w, size_t n, const char *const *set)
{
    for (; *set; set++) {
        if (strlen(*set) == n && memcmp(*set, w, n) == 0)
            return 1;
    }
    return 0;
}

/* Parts of "A / B" that say nothing: "Iran / unknown". */
static const char *const k_unknown[] = { "unknown", "na", "not known", "none", NULL };
/* Leading hedges: "Possibly Ethiopian", "former Soviet Union". */
static const char *const k_hedge[] = { "possibly", "probably", "reportedly", "allegedly",
                                       "presumably", "former", "formerly", "previously",
                                       "originally", "ex", "or", NULL };
/* Words after which the rest qualifies the country: "Indonesian passport",
 * "Kuwaiti citizenship withdrawn in 2002", "Sudanese by birth". */
static const char *const k_tail[] = { "passport", "passports", "citizen", "citizens",
                                      "citizenship", "national", "nationals", "nationality",
                                      "by", "birth", "born", "origin", "descent", "resident",
                                      "residence", "previous", "previously", "until", "since",
                                      "as", "also", "in", NULL };

static int resolve(const char *s, size_t n, int depth);

/* "A/B": one country when every part names the same one or says nothing. */
static int resolve_alternatives(const char *s, size_t n, int depth)
{
    int found = -1;
    const char *p = s, *end = s + n;
    while (p <= end) {
        const char *sl = memchr(p, '/', (size_t)(end - p));
        const char *e = sl ? sl : end;
        char k[CC_KEY_MAX];
        int kl = fold_key(p, (size_t)(e - p), k, sizeof(k));
        if (kl < 0)
            return -1;
        if (kl > 0 && !word_in(k, (size_t)kl, k_unknown)) {
            int r = resolve(p, (size_t)(e - p), depth + 1);
            if (r < 0 || (found >= 0 && r != found))
                return -1;
            found = r;
        }
        if (!sl)
            break;
        p = sl + 1;
    }
    return found;
}

/* Drop leading hedges and cut at the first qualifier word, on a folded key. */
static int resolve_hedged(const char *key)
{
    const char *p = key;
    for (;;) {
        const char *sp = strchr(p, ' ');
        size_t wl = sp ? (size_t)(sp - p) : strlen(p);
        if (!sp || !word_in(p, wl, k_hedge))
            break;
        p = sp + 1;
    }
    const char *e = strchr(p, ' ');
    while (e) {
        const char *w = e + 1;
        const char *we = strchr(w, ' ');
        size_t wl = we ? (size_t)(we - w) : strlen(w);
        if (word_in(w, wl, k_tail))
            break;
        e = we;
    }
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (p == key && len == strlen(key))
        return -1;
    char k[CC_KEY_MAX];
    memcpy(k, p, len);
    k[len] = '\0';
    return find(k, 0);
}

/* Row for s[0..n), or -1. Codes only at depth 0 (the whole input). */
static int resolve(const char *s, size_t n, int depth)
{
    char key[CC_KEY_MAX];
    int kl = fold_key(s, n, key, sizeof(key));
    if (kl <= 0)
        return -1;
    int r = -1;
    if (depth == 0 && (kl == 2 || kl == 3) && all_alpha(key, (size_t)kl))
        r = find(key, 1);
    if (r < 0)
        r = find(key, 0);
    if (r >= 0 || depth >= CC_DEPTH_MAX)
        return r;

    size_t e = n;
    while (e > 0 && is_space(s[e - 1]))
        e--;

    /* 1. trailing parenthesised qualifier: "Indonesia (as at Dec. 2003)" */
    if (e > 0 && s[e - 1] == ')') {
        int level = 0;
        for (size_t i = e; i-- > 0;) {
            if (s[i] == ')')
                level++;
            else if (s[i] == '(' && --level == 0) {
                if (i > 0)
                    r = resolve(s, i, depth + 1);
                break;
            }
        }
        if (r >= 0)
            return r;
    }

    /* 2. a label before the country: "Branch Office 11: Iran" */
    for (size_t i = e; i-- > 0;) {
        if (s[i] == ':') {
            r = resolve(s + i + 1, e - i - 1, depth + 1);
            if (r >= 0)
                return r;
            break;
        }
    }

    /* 3. the first sentence: "United States. Also believed to hold ..."; the
     * word before the stop must have 3+ letters, so "St. Lucia" is not cut */
    for (size_t i = 3; i + 2 < e; i++) {
        if (s[i] == '.' && s[i + 1] == ' ' && all_alpha(s + i - 3, 3)) {
            size_t j = i + 1;
            while (j < e && s[j] == ' ')
                j++;
            if (j < e && s[j] >= 'A' && s[j] <= 'Z') {
                r = resolve(s, i, depth + 1);
                if (r >= 0)
                    return r;
                break;
            }
        }
    }

    /* 4. alternatives: "Iran / unknown" (but "Sudan/South Sudan" is two) */
    if (memchr(s, '/', e)) {
        r = resolve_alternatives(s, e, depth);
        if (r >= 0)
            return r;
    }

    /* 5. inverted: "Guinea, Equatorial" -> "Equatorial Guinea" */
    const char *comma = memchr(s, ',', e);
    if (comma && !memchr(comma + 1, ',', (size_t)(s + e - comma - 1))) {
        char inv[CC_INPUT_MAX + 1];
        size_t a = (size_t)(comma - s), b = e - a - 1;
        memcpy(inv, comma + 1, b);
        inv[b] = ' ';
        memcpy(inv + b + 1, s, a);
        r = find_name(inv, a + b + 1);
        if (r >= 0)
            return r;
    }

    /* 6. hedges and qualifier words: "Possibly Ethiopian", "Tunisian passport" */
    return resolve_hedged(key);
}

/* ---- API ---------------------------------------------------------------- */

const char *emb_country_code(const char *name_or_code)
{
    if (!name_or_code)
        return NULL;
    size_t n = strlen(name_or_code);
    if (n == 0 || n > CC_INPUT_MAX)
        return NULL;
    pthread_once(&g_cc_once, build_table);
    int r = resolve(name_or_code, n, 0);
    return r >= 0 ? g_cc.rows[r].a2 : NULL;
}

const char *emb_country_name(const char *cc)
{
    if (!cc || strlen(cc) != 2 || !all_alpha(cc, 2))
        return NULL;
    pthread_once(&g_cc_once, build_table);
    char k[3];
    lower_copy(k, cc, 2);
    int r = find(k, 1);
    return r >= 0 ? g_cc.rows[r].name : NULL;
}
