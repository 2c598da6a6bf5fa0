/*
 * model.h - the entity store of a list set, and the draft API that loaders
 * use to build entities.
 *
 * Every string and every final array lives in the model's arena and is freed
 * with emb_model_dispose. A loader fills an emb_draft (arrays on the heap,
 * growing), then emb_model_commit copies it into the arena and appends it.
 * Entity pointers are stable only after loading ends (the entity array may
 * move while it grows).
 */
#ifndef EMB_MODEL_H
#define EMB_MODEL_H

#include "embargo.h"
#include "util/arena.h"

#define EMB_MODEL_MAX_ENTITIES (16u * 1024 * 1024)
#define EMB_DRAFT_MAX_VALUES 4096       /* names, dates, ids... per entity */
#define EMB_MODEL_MAX_LISTS 64

typedef struct emb_model {
    emb_arena arena;
    emb_entity *entities;
    size_t nentities;
    emb_list_info *lists;
    size_t nlists;
} emb_model;

void emb_model_init(emb_model *m);
void emb_model_dispose(emb_model *m);

/* Register a list; strings are copied. *idx receives its index. The id is
 * made unique in the model ("un", "un-2", ...). */
int emb_model_add_list(emb_model *m, const char *id, const char *title, const char *format,
                       const char *source, const char *date, size_t *idx);

/* Copy s[0..n) into the arena with leading/trailing whitespace trimmed and
 * inner runs of whitespace (including newlines) squashed to one space.
 * Returns NULL when nothing remains (an empty element is "no value") or on
 * allocation failure (then *rc is set to EMB_ENOMEM when rc is not NULL). */
const char *emb_model_str(emb_model *m, const char *s, size_t n, int *rc);

/* s in an identifier's normal form (emb_ident_norm: upper-case ASCII letters
 * and digits), copied into the arena at full length. NULL when s has no
 * letter or digit, or on allocation failure (then *rc is set to
 * EMB_ENOMEM). */
const char *emb_model_ident(emb_model *m, const char *s, int *rc);

typedef struct emb_draft {
    emb_entity e;   /* arrays below are heap-owned while drafting */
} emb_draft;

void emb_draft_init(emb_draft *d);
void emb_draft_dispose(emb_draft *d);   /* frees the heap arrays, not the strings */

int emb_draft_add_name(emb_draft *d, const emb_name *n);   /* parts copied by commit */
int emb_draft_add_date(emb_draft *d, const emb_date *v);
int emb_draft_add_birth_place(emb_draft *d, const emb_place *v);
int emb_draft_add_nationality(emb_draft *d, const emb_country *v);
int emb_draft_add_identifier(emb_draft *d, const emb_identifier *v);
int emb_draft_add_address(emb_draft *d, const emb_place *v);
int emb_draft_add_title(emb_draft *d, const char *s);
int emb_draft_add_designation(emb_draft *d, const char *s);
int emb_draft_add_updated(emb_draft *d, const char *s);
int emb_draft_add_program(emb_draft *d, const char *s);   /* also sets e.program if unset */

/* Copy the draft into the arena, append it, and reset the draft for reuse.
 * The name parts arrays given to emb_draft_add_name must stay valid until
 * commit (they are copied). Fails with EMB_EPARSE if there is no name. */
int emb_model_commit(emb_model *m, emb_draft *d);

#endif
