/*
 * tables.c - parse the compiled-in word tables. Lines are `#` comments,
 * blank, or an entry; generic_tokens.txt entries are `word<TAB>class`.
 * Entries are normalised with the same normaliser as names, so the files may
 * be written with capitals and dots ("Dr.").
 */
#include "util/compat.h"
#include <stdlib.h>
#include <string.h>
#include "embargo.h"
#include "text/norm.h"
#include "text/tables.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/err.h"

extern const char emb__blob_titles[], emb__blob_titles_end[];
extern const char emb__blob_generic[], emb__blob_generic_end[];

static int cmpstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

typedef struct pair {
    const char *w;
    unsigned char cls;
} pair;

static int cmppair(const void *a, const void *b)
{
    return strcmp(((const pair *)a)->w, ((const pair *)b)->w);
}

static emb_word_class parse_class(const char *s, size_t n)
{
    if (n == 5 && memcmp(s, "legal", 5) == 0)
        return EMB_WORD_LEGAL;
    if (n == 7 && memcmp(s, "generic", 7) == 0)
        return EMB_WORD_GENERIC;
    if (n == 4 && memcmp(s, "stop", 4) == 0)
        return EMB_WORD_STOP;
    return EMB_WORD_NONE;
}

/* Calls back for each entry line: (text, len, class text, class len). */
static int parse_lines(emb_tables *t, const char *p, const char *end, int with_class,
                       pair **out, size_t *nout, const char *what)
{
    emb_buf nb;
    emb_buf_init(&nb, EMB_NAME_MAX_BYTES);
    int rc = EMB_OK;
    size_t lineno = 0;
    while (p < end && rc == EMB_OK) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        lineno++;
        const char *q = p;
        while (q < le && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (q < le && *q != '#') {
            const char *tab = with_class ? memchr(q, '\t', (size_t)(le - q)) : NULL;
            const char *we = tab ? tab : le;
            emb_word_class cls = EMB_WORD_NONE;
            if (with_class) {
                const char *c = tab ? tab + 1 : le;
                const char *ce = le;
                while (ce > c && (ce[-1] == '\r' || ce[-1] == ' '))
                    ce--;
                cls = parse_class(c, (size_t)(ce - c));
                if (cls == EMB_WORD_NONE) {
                    rc = emb_err_set(EMB_EPARSE, "%s:%zu: expected word<TAB>legal|generic|stop",
                                     what, lineno);
                    break;
                }
            }
            rc = emb_norm_name(&nb, q, (size_t)(we - q), NULL);
            if (rc == EMB_OK && nb.len) {
                char *w = emb_arena_strndup(&t->arena, nb.ptr, nb.len);
                rc = w ? emb_grow(out, *nout, sizeof(pair), 1u << 16) : EMB_ENOMEM;
                if (rc == EMB_OK) {
                    (*out)[*nout].w = w;
                    (*out)[*nout].cls = (unsigned char)cls;
                    (*nout)++;
                }
            }
        }
        p = nl ? nl + 1 : end;
    }
    emb_buf_dispose(&nb);
    return rc;
}

int emb_tables_load(emb_tables *t)
{
    memset(t, 0, sizeof(*t));
    emb_arena_init(&t->arena, 0);
    pair *ps = NULL;
    size_t n = 0;
    int rc = parse_lines(t, emb__blob_titles, emb__blob_titles_end, 0, &ps, &n, "titles.txt");
    if (rc < 0)
        goto cleanup;
    t->titles = emb_arena_alloc(&t->arena, (n ? n : 1) * sizeof(char *));
    if (!t->titles) {
        rc = EMB_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++)
        t->titles[i] = ps[i].w;
    t->ntitles = n;
    qsort(t->titles, n, sizeof(char *), cmpstr);
    n = 0;
    rc = parse_lines(t, emb__blob_generic, emb__blob_generic_end, 1, &ps, &n, "generic_tokens.txt");
    if (rc < 0)
        goto cleanup;
    qsort(ps, n, sizeof(pair), cmppair);
    t->words = emb_arena_alloc(&t->arena, (n ? n : 1) * sizeof(char *));
    t->classes = emb_arena_alloc(&t->arena, n ? n : 1);
    if (!t->words || !t->classes) {
        rc = EMB_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        t->words[i] = ps[i].w;
        t->classes[i] = ps[i].cls;
    }
    t->nwords = n;
cleanup:
    emb_free(ps);
    if (rc < 0)
        emb_tables_dispose(t);
    return rc;
}

void emb_tables_dispose(emb_tables *t)
{
    emb_arena_dispose(&t->arena);
    memset(t, 0, sizeof(*t));
}

static int cmpn(const char *key, size_t n, const char *w)
{
    int c = strncmp(key, w, n);
    if (c)
        return c;
    return w[n] ? -1 : 0;
}

emb_word_class emb_tables_word_class(const emb_tables *t, const char *w, size_t n)
{
    size_t lo = 0, hi = t->nwords;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = cmpn(w, n, t->words[mid]);
        if (c == 0)
            return (emb_word_class)t->classes[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return EMB_WORD_NONE;
}

static int is_title(const emb_tables *t, const char *phrase)
{
    return bsearch(&phrase, t->titles, t->ntitles, sizeof(char *), cmpstr) != NULL;
}

int emb_tables_is_title(const emb_tables *t, const char *w, size_t n)
{
    char tok[64];
    if (n == 0 || n >= sizeof(tok))
        return 0;
    memcpy(tok, w, n);
    tok[n] = '\0';
    return is_title(t, tok);
}

size_t emb_tables_title_prefix(const emb_tables *t, const char *const *toks, const size_t *lens,
                               size_t n)
{
    size_t used = 0;
    char phrase[256];
    for (;;) {
        size_t best = 0;
        size_t plen = 0;
        /* longest title phrase (up to 4 tokens) starting at `used` */
        for (size_t k = 0; k < 4 && used + k + 1 < n; k++) {
            size_t l = lens[used + k];
            if (plen + l + 2 > sizeof(phrase))
                break;
            if (k)
                phrase[plen++] = ' ';
            memcpy(phrase + plen, toks[used + k], l);
            plen += l;
            phrase[plen] = '\0';
            if (is_title(t, phrase))
                best = k + 1;
        }
        if (!best)
            return used;
        used += best;
    }
}
