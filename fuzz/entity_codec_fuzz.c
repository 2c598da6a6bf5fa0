/*
 * entity_codec_fuzz.c - fuzz target for the snapshot's record decoder
 * (src/snap/codec.h).
 *
 * Each input is decoded as an entity record and as a list record. A decoder
 * must refuse it with EMB_EPARSE or accept it; an accepted record must have
 * every string inside the input, must re-encode (the encoder refuses
 * exactly what the decoder would), and the re-encoded record must decode to
 * the same entity and re-encode to the same bytes. Any violation aborts.
 * Corpus: fuzz/corpus/entity_codec/ (real records of every list format, and
 * broken ones).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "snap/codec.h"

static const uint8_t *lo, *hi;   /* the input being decoded */

static void inside(const char *s)
{
    if (!s)
        return;
    const uint8_t *u = (const uint8_t *)s;
    if (u < lo || u >= hi || !memchr(u, 0, (size_t)(hi - u)))
        abort();
}

static void inside_place(const emb_place *p)
{
    const char *const v[] = {p->street, p->city, p->state, p->zip, p->country, p->cc, p->note};
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        inside(v[i]);
}

static void inside_strs(const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        inside(v[i]);
}

static int same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static int same_place(const emb_place *a, const emb_place *b)
{
    return same_str(a->street, b->street) && same_str(a->city, b->city) &&
           same_str(a->state, b->state) && same_str(a->zip, b->zip) &&
           same_str(a->country, b->country) && same_str(a->cc, b->cc) &&
           same_str(a->note, b->note);
}

static int same_strs(const char *const *a, const char *const *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!same_str(a[i], b[i]))
            return 0;
    return 1;
}

/* Also visits every string of a with inside() when check is set. */
static int same_entity(const emb_entity *a, const emb_entity *b, int check)
{
    const char *const sa[] = {a->id,     a->list,      a->reference, a->caption, a->regime,
                              a->program, a->listed_on, a->remarks,  a->gender,  a->flag,
                              a->flag_cc, a->vessel_type, a->call_sign, a->tonnage, a->owner};
    const char *const sb[] = {b->id,     b->list,      b->reference, b->caption, b->regime,
                              b->program, b->listed_on, b->remarks,  b->gender,  b->flag,
                              b->flag_cc, b->vessel_type, b->call_sign, b->tonnage, b->owner};
    for (size_t i = 0; i < sizeof(sa) / sizeof(sa[0]); i++) {
        if (check)
            inside(sa[i]);
        if (!same_str(sa[i], sb[i]))
            return 0;
    }
    if (a->schema != b->schema || a->list_index != b->list_index || a->nnames != b->nnames ||
        a->nbirth_dates != b->nbirth_dates || a->nbirth_places != b->nbirth_places ||
        a->nnationalities != b->nnationalities || a->nidentifiers != b->nidentifiers ||
        a->naddresses != b->naddresses || a->ntitles != b->ntitles ||
        a->ndesignations != b->ndesignations || a->nupdated_on != b->nupdated_on ||
        a->nprograms != b->nprograms)
        return 0;
    for (size_t i = 0; i < a->nnames; i++) {
        const emb_name *x = &a->names[i], *y = &b->names[i];
        if (check) {
            inside(x->full);
            inside(x->note);
            for (size_t k = 0; k < x->nparts; k++)
                inside(x->parts[k]);
        }
        if (!same_str(x->full, y->full) || !same_str(x->note, y->note) || x->kind != y->kind ||
            x->nparts != y->nparts || !same_strs(x->parts, y->parts, x->nparts))
            return 0;
    }
    for (size_t i = 0; i < a->nbirth_dates; i++) {
        const emb_date *x = &a->birth_dates[i], *y = &b->birth_dates[i];
        if (check)
            inside(x->raw);
        if (x->prec != y->prec || x->year != y->year || x->month != y->month ||
            x->day != y->day || x->year_to != y->year_to || !same_str(x->raw, y->raw))
            return 0;
    }
    for (size_t i = 0; i < a->nbirth_places; i++)
        if (!same_place(&a->birth_places[i], &b->birth_places[i]))
            return 0;
    for (size_t i = 0; i < a->naddresses; i++)
        if (!same_place(&a->addresses[i], &b->addresses[i]))
            return 0;
    for (size_t i = 0; i < a->nnationalities; i++)
        if (!same_str(a->nationalities[i].name, b->nationalities[i].name) ||
            !same_str(a->nationalities[i].cc, b->nationalities[i].cc))
            return 0;
    for (size_t i = 0; i < a->nidentifiers; i++) {
        const emb_identifier *x = &a->identifiers[i], *y = &b->identifiers[i];
        if (x->kind != y->kind || !same_str(x->type, y->type) ||
            !same_str(x->number, y->number) || !same_str(x->norm, y->norm) ||
            !same_str(x->country, y->country) || !same_str(x->cc, y->cc) ||
            !same_str(x->note, y->note))
            return 0;
    }
    if (check) {
        for (size_t i = 0; i < a->nbirth_places; i++)
            inside_place(&a->birth_places[i]);
        for (size_t i = 0; i < a->naddresses; i++)
            inside_place(&a->addresses[i]);
        for (size_t i = 0; i < a->nnationalities; i++) {
            inside(a->nationalities[i].name);
            inside(a->nationalities[i].cc);
        }
        for (size_t i = 0; i < a->nidentifiers; i++) {
            const emb_identifier *x = &a->identifiers[i];
            const char *const v[] = {x->type, x->number, x->norm, x->country, x->cc, x->note};
            inside_strs(v, sizeof(v) / sizeof(v[0]));
        }
        inside_strs(a->titles, a->ntitles);
        inside_strs(a->designations, a->ndesignations);
        inside_strs(a->updated_on, a->nupdated_on);
        inside_strs(a->programs, a->nprograms);
    }
    return same_strs(a->titles, b->titles, a->ntitles) &&
           same_strs(a->designations, b->designations, a->ndesignations) &&
           same_strs(a->updated_on, b->updated_on, a->nupdated_on) &&
           same_strs(a->programs, b->programs, a->nprograms);
}

static void entity(const uint8_t *data, size_t size, emb_arena *a)
{
    emb_entity e;
    int rc = emb_codec_get_entity(&e, data, size, a);
    if (rc != EMB_OK) {
        if (rc != EMB_EPARSE)
            abort();
        return;
    }
    if (!same_entity(&e, &e, 1))
        abort();
    emb_buf b1, b2;
    emb_buf_init(&b1, (size_t)1 << 30);
    emb_buf_init(&b2, (size_t)1 << 30);
    emb_entity e2;
    if (emb_codec_put_entity(&b1, &e) != EMB_OK ||
        emb_codec_get_entity(&e2, b1.ptr, b1.len, a) != EMB_OK || !same_entity(&e, &e2, 0) ||
        emb_codec_put_entity(&b2, &e2) != EMB_OK || b1.len != b2.len ||
        memcmp(b1.ptr, b2.ptr, b1.len) != 0)
        abort();
    emb_buf_dispose(&b1);
    emb_buf_dispose(&b2);
}

static void list(const uint8_t *data, size_t size, emb_arena *a)
{
    emb_list_info li, li2;
    int rc = emb_codec_get_list(&li, data, size, a);
    if (rc != EMB_OK) {
        if (rc != EMB_EPARSE)
            abort();
        return;
    }
    const char *const v[] = {li.id, li.title, li.format, li.source, li.date};
    inside_strs(v, sizeof(v) / sizeof(v[0]));
    emb_buf b;
    emb_buf_init(&b, (size_t)1 << 20);
    if (emb_codec_put_list(&b, &li) != EMB_OK || emb_codec_get_list(&li2, b.ptr, b.len, a) ||
        !same_str(li.id, li2.id) || !same_str(li.title, li2.title) ||
        !same_str(li.format, li2.format) || !same_str(li.source, li2.source) ||
        !same_str(li.date, li2.date) || li.nentities != li2.nentities ||
        memcmp(li.nby_schema, li2.nby_schema, sizeof(li.nby_schema)) != 0)
        abort();
    emb_buf_dispose(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lo = data;
    hi = data + size;
    emb_arena a;
    emb_arena_init(&a, 0);
    entity(data, size, &a);
    list(data, size, &a);
    emb_arena_dispose(&a);
    return 0;
}
