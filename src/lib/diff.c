/*
 * diff.c - compare two list sets entry by entry (embargo_diff.h).
 *
 * Entries are paired by a key (list id + reference, or reference alone when
 * the sets hold different list ids): both sides' keys are sorted and walked
 * together, so the pairing costs O(n log n) and equal keys pair in load
 * order. A pair is compared field by field; multi-valued fields are compared
 * as sets of canonical strings, so order and duplicates in the file never
 * count as a change.
 */
#include "util/compat.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "embargo.h"
#include "embargo_diff.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/err.h"

static const char *const field_names[EMB_DIFF_NFIELDS] = {
    "names",     "aliases",   "birth_dates",  "identifiers",  "nationalities",
    "regime",    "programs",  "listed_on",    "remarks",      "addresses",
    "birth_places", "designations", "titles", "gender"};

EMB_API const char *emb_diff_field_name(unsigned i)
{
    return i < EMB_DIFF_NFIELDS ? field_names[i] : NULL;
}

/* ---- canonical sets ------------------------------------------------------ */

/* A set of canonical strings under construction: items are appended to one
 * buffer, separated by NULs, then sorted and deduplicated. */
typedef struct strset {
    emb_buf buf;
    size_t *off;
    size_t n, cap;
    int err;
} strset;

static void set_init(strset *s)
{
    emb_buf_init(&s->buf, (size_t)64 << 20);
    s->off = NULL;
    s->n = s->cap = 0;
    s->err = 0;
}

static void set_dispose(strset *s)
{
    emb_buf_dispose(&s->buf);
    emb_free(s->off);
}

/* Start a new item; its parts follow with set_part. */
static void set_item(strset *s)
{
    if (s->err)
        return;
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 16;
        size_t *no = emb_realloc(s->off, nc * sizeof(*no));
        if (!no) {
            s->err = EMB_ENOMEM;
            return;
        }
        s->off = no;
        s->cap = nc;
    }
    if (s->n && emb_buf_putc(&s->buf, '\0') < 0) {
        s->err = EMB_ENOMEM;
        return;
    }
    s->off[s->n++] = s->buf.len;
}

/* One part of the current item; NULL and "" are the same (no value).
 * Parts are separated by 0x1f so ("a b", "c") differs from ("a", "b c"). */
static void set_part(strset *s, const char *v)
{
    if (s->err)
        return;
    if (emb_buf_putc(&s->buf, '\x1f') < 0 || (v && emb_buf_puts(&s->buf, v) < 0))
        s->err = EMB_ENOMEM;
}

static void set_int(strset *s, int v)
{
    char tmp[16];
    snprintf(tmp, sizeof(tmp), "%d", v);
    set_part(s, tmp);
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Equal as sets? Returns 1, 0, or a negative error. */
static int set_equal(strset *a, strset *b)
{
    if (a->err || b->err)
        return a->err ? a->err : b->err;
    const char **va = emb_malloc((a->n + b->n + 1) * sizeof(*va));
    if (!va)
        return EMB_ENOMEM;
    const char **vb = va + a->n;
    for (size_t i = 0; i < a->n; i++)
        va[i] = a->buf.ptr + a->off[i];
    for (size_t i = 0; i < b->n; i++)
        vb[i] = b->buf.ptr + b->off[i];
    qsort(va, a->n, sizeof(*va), cmp_cstr);
    qsort(vb, b->n, sizeof(*vb), cmp_cstr);
    size_t i = 0, j = 0;
    int eq = 1;
    while (eq && (i < a->n || j < b->n)) {
        if (i == a->n || j == b->n) {
            eq = 0;
            break;
        }
        if (strcmp(va[i], vb[j]) != 0) {
            eq = 0;
            break;
        }
        const char *v = va[i];
        while (i < a->n && strcmp(va[i], v) == 0)
            i++;
        while (j < b->n && strcmp(vb[j], v) == 0)
            j++;
    }
    emb_free(va);
    return eq;
}

/* ---- per-field canonical forms ------------------------------------------ */

static int is_name_kind(emb_name_kind k)
{
    return k == EMB_NAME_PRIMARY || k == EMB_NAME_ORIGINAL;
}

static void add_names(strset *s, const emb_entity *e, int primary)
{
    for (size_t i = 0; i < e->nnames; i++) {
        if (is_name_kind(e->names[i].kind) != primary)
            continue;
        set_item(s);
        set_int(s, (int)e->names[i].kind);
        set_part(s, e->names[i].full);
    }
}

static void add_place(strset *s, const emb_place *p)
{
    set_item(s);
    set_part(s, p->street);
    set_part(s, p->city);
    set_part(s, p->state);
    set_part(s, p->zip);
    set_part(s, p->cc ? p->cc : p->country);
    set_part(s, p->note);
}

static void add_field(strset *s, const emb_entity *e, unsigned bit)
{
    switch (bit) {
    case EMB_DIFF_NAMES: add_names(s, e, 1); break;
    case EMB_DIFF_ALIASES: add_names(s, e, 0); break;
    case EMB_DIFF_BIRTH_DATES:
        for (size_t i = 0; i < e->nbirth_dates; i++) {
            const emb_date *d = &e->birth_dates[i];
            set_item(s);
            set_int(s, (int)d->prec);
            set_int(s, d->year);
            set_int(s, d->month);
            set_int(s, d->day);
            set_int(s, d->year_to);
        }
        break;
    case EMB_DIFF_IDENTIFIERS:
        for (size_t i = 0; i < e->nidentifiers; i++) {
            set_item(s);
            set_int(s, (int)e->identifiers[i].kind);
            set_part(s, e->identifiers[i].norm);
        }
        break;
    case EMB_DIFF_NATIONALITIES:
        for (size_t i = 0; i < e->nnationalities; i++) {
            set_item(s);
            set_part(s, e->nationalities[i].cc ? e->nationalities[i].cc
                                               : e->nationalities[i].name);
        }
        break;
    case EMB_DIFF_PROGRAMS:
        if (e->program) {
            set_item(s);
            set_part(s, e->program);
        }
        for (size_t i = 0; i < e->nprograms; i++) {
            set_item(s);
            set_part(s, e->programs[i]);
        }
        break;
    case EMB_DIFF_ADDRESSES:
        for (size_t i = 0; i < e->naddresses; i++)
            add_place(s, &e->addresses[i]);
        break;
    case EMB_DIFF_BIRTH_PLACES:
        for (size_t i = 0; i < e->nbirth_places; i++)
            add_place(s, &e->birth_places[i]);
        break;
    case EMB_DIFF_DESIGNATIONS:
        for (size_t i = 0; i < e->ndesignations; i++) {
            set_item(s);
            set_part(s, e->designations[i]);
        }
        break;
    case EMB_DIFF_TITLES:
        for (size_t i = 0; i < e->ntitles; i++) {
            set_item(s);
            set_part(s, e->titles[i]);
        }
        break;
    default: break;
    }
}

static int str_eq(const char *a, const char *b)
{
    if (!a || !*a || !b || !*b)
        return (!a || !*a) == (!b || !*b);
    return strcmp(a, b) == 0;
}

/* Text equal once runs of whitespace count as one space and ends are trimmed. */
static int text_eq(const char *a, const char *b)
{
    if (!a)
        a = "";
    if (!b)
        b = "";
    for (;;) {
        while (*a == ' ' || *a == '\t' || *a == '\n' || *a == '\r')
            a++;
        while (*b == ' ' || *b == '\t' || *b == '\n' || *b == '\r')
            b++;
        if (!*a || !*b)
            return !*a && !*b;
        while (*a && *b && *a == *b && !(*a == ' ' || *a == '\t' || *a == '\n' || *a == '\r'))
            a++, b++;
        int wa = !*a || *a == ' ' || *a == '\t' || *a == '\n' || *a == '\r';
        int wb = !*b || *b == ' ' || *b == '\t' || *b == '\n' || *b == '\r';
        if (!wa || !wb)
            return 0;
    }
}

static int compare(const emb_entity *a, const emb_entity *b, unsigned *fields)
{
    unsigned f = 0;
    static const unsigned sets[] = {
        EMB_DIFF_NAMES,      EMB_DIFF_ALIASES,      EMB_DIFF_BIRTH_DATES, EMB_DIFF_IDENTIFIERS,
        EMB_DIFF_NATIONALITIES, EMB_DIFF_PROGRAMS,  EMB_DIFF_ADDRESSES,   EMB_DIFF_BIRTH_PLACES,
        EMB_DIFF_DESIGNATIONS, EMB_DIFF_TITLES};
    for (size_t k = 0; k < EMB_ARRAY_LEN(sets); k++) {
        strset sa, sb;
        set_init(&sa);
        set_init(&sb);
        add_field(&sa, a, sets[k]);
        add_field(&sb, b, sets[k]);
        int eq = set_equal(&sa, &sb);
        set_dispose(&sa);
        set_dispose(&sb);
        if (eq < 0)
            return eq;
        if (!eq)
            f |= sets[k];
    }
    if (!str_eq(a->regime, b->regime))
        f |= EMB_DIFF_REGIME;
    if (!str_eq(a->listed_on, b->listed_on))
        f |= EMB_DIFF_LISTED_ON;
    if (!str_eq(a->gender, b->gender))
        f |= EMB_DIFF_GENDER;
    if (!text_eq(a->remarks, b->remarks) || !str_eq(a->flag, b->flag) ||
        !str_eq(a->vessel_type, b->vessel_type) || !str_eq(a->call_sign, b->call_sign) ||
        !str_eq(a->tonnage, b->tonnage) || !str_eq(a->owner, b->owner))
        f |= EMB_DIFF_REMARKS;
    *fields = f;
    return EMB_OK;
}

EMB_API unsigned emb_diff_entities(const emb_entity *old_e, const emb_entity *new_e)
{
    unsigned f = 0;
    if (!old_e || !new_e)
        return old_e == new_e ? 0 : (1u << EMB_DIFF_NFIELDS) - 1;
    if (compare(old_e, new_e, &f) < 0)
        return (1u << EMB_DIFF_NFIELDS) - 1;   /* out of memory: report everything */
    return f;
}

/* ---- pairing ------------------------------------------------------------- */

typedef struct keyed {
    const emb_entity *e;
    size_t idx;
    int by_list;
} keyed;

static int cmp_null(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static const char *key_of(const emb_entity *e)
{
    return e->reference && *e->reference ? e->reference : e->id;
}

static int cmp_keyed(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    int c = 0;
    if (a->by_list)
        c = cmp_null(a->e->list, b->e->list);
    if (!c)
        c = cmp_null(key_of(a->e), key_of(b->e));
    if (!c)
        c = a->idx < b->idx ? -1 : a->idx > b->idx;
    return c;
}

static int key_cmp(const keyed *a, const keyed *b)
{
    int c = 0;
    if (a->by_list)
        c = cmp_null(a->e->list, b->e->list);
    return c ? c : cmp_null(key_of(a->e), key_of(b->e));
}

/* Do both sets hold exactly the same list ids? */
static int same_list_ids(const emb_lists *a, const emb_lists *b)
{
    size_t na = emb_lists_count(a), nb = emb_lists_count(b);
    for (int pass = 0; pass < 2; pass++) {
        const emb_lists *x = pass ? b : a, *y = pass ? a : b;
        size_t nx = pass ? nb : na, ny = pass ? na : nb;
        for (size_t i = 0; i < nx; i++) {
            int found = 0;
            for (size_t j = 0; j < ny && !found; j++)
                found = cmp_null(emb_lists_list(x, i)->id, emb_lists_list(y, j)->id) == 0;
            if (!found)
                return 0;
        }
    }
    return 1;
}

static keyed *sorted_keys(const emb_lists *ls, int by_list, size_t *n)
{
    *n = emb_lists_entity_count(ls);
    keyed *k = emb_malloc((*n ? *n : 1) * sizeof(*k));
    if (!k)
        return NULL;
    for (size_t i = 0; i < *n; i++) {
        k[i].e = emb_lists_entity(ls, i);
        k[i].idx = i;
        k[i].by_list = by_list;
    }
    qsort(k, *n, sizeof(*k), cmp_keyed);
    return k;
}

EMB_API void emb_diff_free(emb_diff *d)
{
    if (!d)
        return;
    emb_free(d->added);
    emb_free(d->removed);
    emb_free(d->changed);
    emb_free(d);
}

EMB_API int emb_diff_lists(emb_diff **out, const emb_lists *old_ls, const emb_lists *new_ls)
{
    if (!out || !old_ls || !new_ls)
        return emb_err_set(EMB_EINVAL, "emb_diff_lists: NULL argument");
    int rc = EMB_OK;
    int by_list = same_list_ids(old_ls, new_ls);
    size_t no = 0, nn = 0;
    keyed *ko = sorted_keys(old_ls, by_list, &no);
    keyed *kn = sorted_keys(new_ls, by_list, &nn);
    /* old index paired with each new entity, or SIZE_MAX */
    size_t *pair_new = emb_malloc((nn ? nn : 1) * sizeof(size_t));
    unsigned char *paired_old = emb_calloc(no ? no : 1, 1);
    emb_diff *d = emb_calloc(1, sizeof(*d));
    if (!ko || !kn || !pair_new || !paired_old || !d) {
        rc = emb_err_set(EMB_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t j = 0; j < nn; j++)
        pair_new[j] = SIZE_MAX;
    for (size_t i = 0, j = 0; i < no && j < nn;) {
        int c = key_cmp(&ko[i], &kn[j]);
        if (c < 0) {
            i++;
        } else if (c > 0) {
            j++;
        } else {
            pair_new[kn[j].idx] = ko[i].idx;
            paired_old[ko[i].idx] = 1;
            i++;
            j++;
        }
    }
    d->added = emb_malloc((nn ? nn : 1) * sizeof(*d->added));
    d->removed = emb_malloc((no ? no : 1) * sizeof(*d->removed));
    d->changed = emb_malloc((nn ? nn : 1) * sizeof(*d->changed));
    if (!d->added || !d->removed || !d->changed) {
        rc = emb_err_set(EMB_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t j = 0; j < nn; j++) {
        const emb_entity *ne = emb_lists_entity(new_ls, j);
        if (pair_new[j] == SIZE_MAX) {
            d->added[d->nadded++] = ne;
            continue;
        }
        const emb_entity *oe = emb_lists_entity(old_ls, pair_new[j]);
        unsigned f = 0;
        if ((rc = compare(oe, ne, &f)) < 0) {
            emb_err_set(rc, "out of memory");
            goto cleanup;
        }
        if (f) {
            emb_diff_change *ch = &d->changed[d->nchanged++];
            ch->old_entity = oe;
            ch->new_entity = ne;
            ch->fields = f;
        } else {
            d->nunchanged++;
        }
    }
    for (size_t i = 0; i < no; i++)
        if (!paired_old[i])
            d->removed[d->nremoved++] = emb_lists_entity(old_ls, i);
    *out = d;
    d = NULL;
cleanup:
    emb_diff_free(d);
    emb_free(ko);
    emb_free(kn);
    emb_free(pair_new);
    emb_free(paired_old);
    return rc;
}
