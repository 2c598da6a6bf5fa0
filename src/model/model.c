/*
 * model.c - entity store: arena-backed entities, list descriptors, and the
 * draft-then-commit protocol that keeps a half-built entity out of the store.
 */
#include "util/compat.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "model/model.h"
#include "model/ident.h"
#include "util/alloc.h"
#include "util/err.h"

void emb_model_init(emb_model *m)
{
    memset(m, 0, sizeof(*m));
    emb_arena_init(&m->arena, 0);
}

void emb_model_dispose(emb_model *m)
{
    emb_free(m->entities);
    emb_free(m->lists);
    emb_arena_dispose(&m->arena);
    memset(m, 0, sizeof(*m));
}

static const char *adup(emb_model *m, const char *s)
{
    return s ? emb_arena_strdup(&m->arena, s) : NULL;
}

int emb_model_add_list(emb_model *m, const char *id, const char *title, const char *format,
                       const char *source, const char *date, size_t *idx)
{
    int rc = emb_grow(&m->lists, m->nlists, sizeof(*m->lists), EMB_MODEL_MAX_LISTS);
    if (rc < 0)
        return emb_err_set(rc, "too many lists (at most %d)", EMB_MODEL_MAX_LISTS);
    char uid[64];
    snprintf(uid, sizeof(uid), "%s", id);
    for (int k = 2;; k++) {
        size_t i;
        for (i = 0; i < m->nlists; i++)
            if (strcmp(m->lists[i].id, uid) == 0)
                break;
        if (i == m->nlists)
            break;
        snprintf(uid, sizeof(uid), "%s-%d", id, k);
    }
    emb_list_info *li = &m->lists[m->nlists];
    memset(li, 0, sizeof(*li));
    li->id = adup(m, uid);
    li->title = adup(m, title);
    li->format = adup(m, format);
    li->source = adup(m, source);
    li->date = adup(m, date);
    if (!li->id || !li->title || !li->format || !li->source || (date && !li->date))
        return emb_err_set(EMB_ENOMEM, "out of memory");
    *idx = m->nlists++;
    return EMB_OK;
}

const char *emb_model_str(emb_model *m, const char *s, size_t n, int *rc)
{
    if (!s)
        return NULL;
    while (n && isspace((unsigned char)s[0])) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (!n)
        return NULL;
    char *d = emb_arena_alloc(&m->arena, n + 1);
    if (!d) {
        if (rc)
            *rc = EMB_ENOMEM;
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isspace(c)) {
            if (o && d[o - 1] != ' ')
                d[o++] = ' ';
        } else {
            d[o++] = (char)c;
        }
    }
    d[o] = '\0';
    return d;
}

const char *emb_model_ident(emb_model *m, const char *s, int *rc)
{
    size_t n = strlen(s);
    char *d = emb_arena_alloc(&m->arena, n + 1);
    if (!d) {
        *rc = EMB_ENOMEM;
        return NULL;
    }
    return emb_ident_norm(s, d, n + 1) ? d : NULL;
}

void emb_draft_init(emb_draft *d)
{
    memset(d, 0, sizeof(*d));
}

void emb_draft_dispose(emb_draft *d)
{
    emb_free((void *)d->e.names);
    emb_free((void *)d->e.birth_dates);
    emb_free((void *)d->e.birth_places);
    emb_free((void *)d->e.nationalities);
    emb_free((void *)d->e.identifiers);
    emb_free((void *)d->e.addresses);
    emb_free((void *)d->e.titles);
    emb_free((void *)d->e.designations);
    emb_free((void *)d->e.updated_on);
    emb_free((void *)d->e.programs);
    emb_draft_init(d);
}

static int push(void *arrp, size_t *n, const void *elem, size_t elsz)
{
    int rc = emb_grow(arrp, *n, elsz, EMB_DRAFT_MAX_VALUES);
    if (rc < 0)
        return emb_err_set(rc, "more than %d values in one field of an entry",
                           EMB_DRAFT_MAX_VALUES);
    memcpy((char *)*(void **)arrp + *n * elsz, elem, elsz);
    (*n)++;
    return EMB_OK;
}

int emb_draft_add_name(emb_draft *d, const emb_name *v)
{
    return push(&d->e.names, &d->e.nnames, v, sizeof(*v));
}
int emb_draft_add_date(emb_draft *d, const emb_date *v)
{
    return push(&d->e.birth_dates, &d->e.nbirth_dates, v, sizeof(*v));
}
int emb_draft_add_birth_place(emb_draft *d, const emb_place *v)
{
    return push(&d->e.birth_places, &d->e.nbirth_places, v, sizeof(*v));
}
int emb_draft_add_nationality(emb_draft *d, const emb_country *v)
{
    return push(&d->e.nationalities, &d->e.nnationalities, v, sizeof(*v));
}
int emb_draft_add_identifier(emb_draft *d, const emb_identifier *v)
{
    return push(&d->e.identifiers, &d->e.nidentifiers, v, sizeof(*v));
}
int emb_draft_add_address(emb_draft *d, const emb_place *v)
{
    return push(&d->e.addresses, &d->e.naddresses, v, sizeof(*v));
}
int emb_draft_add_title(emb_draft *d, const char *s)
{
    return push(&d->e.titles, &d->e.ntitles, &s, sizeof(s));
}
int emb_draft_add_designation(emb_draft *d, const char *s)
{
    return push(&d->e.designations, &d->e.ndesignations, &s, sizeof(s));
}
int emb_draft_add_updated(emb_draft *d, const char *s)
{
    return push(&d->e.updated_on, &d->e.nupdated_on, &s, sizeof(s));
}
int emb_draft_add_program(emb_draft *d, const char *s)
{
    if (!d->e.program)
        d->e.program = s;
    return push(&d->e.programs, &d->e.nprograms, &s, sizeof(s));
}

#define ADUP(field, count)                                                              \
    do {                                                                                \
        if (d->e.count) {                                                               \
            void *p_ = emb_arena_memdup(&m->arena, d->e.field, d->e.count * sizeof(*d->e.field)); \
            if (!p_)                                                                    \
                goto nomem;                                                             \
            e.field = p_;                                                               \
        } else {                                                                        \
            e.field = NULL;                                                             \
        }                                                                               \
    } while (0)

int emb_model_commit(emb_model *m, emb_draft *d)
{
    if (d->e.nnames == 0 || !d->e.names[0].full)
        return emb_err_set(EMB_EPARSE, "entry %s has no name",
                           d->e.reference ? d->e.reference : "(no reference)");
    int rc = emb_grow(&m->entities, m->nentities, sizeof(*m->entities), EMB_MODEL_MAX_ENTITIES);
    if (rc < 0)
        return emb_err_set(rc, "too many entities (cap %u)", EMB_MODEL_MAX_ENTITIES);
    emb_entity e = d->e;
    ADUP(names, nnames);
    ADUP(birth_dates, nbirth_dates);
    ADUP(birth_places, nbirth_places);
    ADUP(nationalities, nnationalities);
    ADUP(identifiers, nidentifiers);
    ADUP(addresses, naddresses);
    ADUP(titles, ntitles);
    ADUP(designations, ndesignations);
    ADUP(updated_on, nupdated_on);
    ADUP(programs, nprograms);
    /* name parts arrays belong to the loader until now: copy them */
    for (size_t i = 0; i < e.nnames; i++) {
        emb_name *n = (emb_name *)&e.names[i];
        if (n->nparts) {
            void *p = emb_arena_memdup(&m->arena, n->parts, n->nparts * sizeof(*n->parts));
            if (!p)
                goto nomem;
            n->parts = p;
        } else {
            n->parts = NULL;
        }
    }
    if (!e.caption)
        e.caption = e.names[0].full;
    m->entities[m->nentities++] = e;
    emb_draft_dispose(d);
    return EMB_OK;
nomem:
    return emb_err_set(EMB_ENOMEM, "out of memory storing an entry");
}
