/*
 * test_codec.c - the snapshot's entity and list records (src/snap/codec.h).
 *
 * Every entity of every real list in the repository (three UN snapshots,
 * both OFAC CSV sets, the OFAC XML, the OpenSanctions FtM sample, the EU and
 * UK fixtures) is encoded, decoded and compared field by field, and must
 * re-encode to the same bytes. Then the decoder is attacked: every
 * truncation, random byte changes, and hand-made bad records must fail with
 * EMB_EPARSE naming the field, or decode to an entity whose every string
 * lies inside the record. Records are decoded from exactly-sized heap
 * copies, so the ASan build catches any read past the end. Also prints the
 * record size per entity of each list and the decode time per UN entity.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "../load/load_test_util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "embargo.h"
#include "load/load.h"
#include "snap/codec.h"
#include "util/err.h"

#define BUF_MAX ((size_t)1 << 30)

static const char *const list_paths[] = {
    NULL,   /* the bundled UN list */
    "data/lists/un/2026-01-28/un.xml",
    "data/lists/un/2020-11-30/consolidated.xml",
    "data/lists/ofac/sdn_2024-05-03/sdn.csv",
    "data/lists/ofac/sdn_csv_trio_2021-07/sdn.csv",
    "data/lists/ofac/consolidated_xml_2026-01-08/ofac.xml",
    "data/lists/opensanctions/entities.ftm.json",
    "tests/data/lists/eu/eu_fsf.xml",
    "tests/data/lists/uk/uk_conlist.csv",
};

/* Every list loaded into one model, every entity encoded into one buffer. */
typedef struct fixture {
    emb_model m;
    emb_buf recs;
    size_t *off;   /* entity i's record is recs.ptr[off[i] .. off[i+1]) */
    size_t first[EMB_MODEL_MAX_LISTS];   /* index of each list's first entity */
} fixture;

static fixture *F;

static const unsigned char *rec_of(size_t i, size_t *len)
{
    *len = F->off[i + 1] - F->off[i];
    return (const unsigned char *)F->recs.ptr + F->off[i];
}

static int setup(void **state)
{
    F = calloc(1, sizeof(*F));
    emb_model_init(&F->m);
    for (size_t i = 0; i < EMB_ARRAY_LEN(list_paths); i++) {
        int rc;
        if (list_paths[i]) {
            rc = load_path(&F->m, list_paths[i]);
        } else {
            emb_source s = emb_bundled_un_list();
            rc = emb_load_buffer(&F->m, "bundled", s.data, s.len);
        }
        if (rc < 0) {
            fprintf(stderr, "loading %s: %s\n", list_paths[i] ? list_paths[i] : "bundled",
                    emb_err_last());
            return -1;
        }
    }
    emb_buf_init(&F->recs, BUF_MAX);
    F->off = calloc(F->m.nentities + 1, sizeof(*F->off));
    for (size_t i = F->m.nentities; i-- > 0;)
        F->first[F->m.entities[i].list_index] = i;
    for (size_t i = 0; i < F->m.nentities; i++) {
        int rc = emb_codec_put_entity(&F->recs, &F->m.entities[i]);
        if (rc < 0) {
            fprintf(stderr, "encoding %s: %s\n", F->m.entities[i].id, emb_err_last());
            return -1;
        }
        F->off[i + 1] = F->recs.len;
    }
    *state = F;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    emb_buf_dispose(&F->recs);
    emb_model_dispose(&F->m);
    free(F->off);
    free(F);
    return 0;
}

/* ---- deep comparison ------------------------------------------------------ */

static void eq_str(const char *a, const char *b, const char *eid, const char *fmt, ...)
    EMB_PRINTF(4, 5);
static void eq_str(const char *a, const char *b, const char *eid, const char *fmt, ...)
{
    if (a == b || (a && b && strcmp(a, b) == 0))
        return;
    char field[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(field, sizeof(field), fmt, ap);
    va_end(ap);
    fail_msg("%s: %s: \"%s\" != \"%s\"", eid, field, a ? a : "(NULL)", b ? b : "(NULL)");
}

static void eq_num(long long a, long long b, const char *eid, const char *fmt, ...)
    EMB_PRINTF(4, 5);
static void eq_num(long long a, long long b, const char *eid, const char *fmt, ...)
{
    if (a == b)
        return;
    char field[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(field, sizeof(field), fmt, ap);
    va_end(ap);
    fail_msg("%s: %s: %lld != %lld", eid, field, a, b);
}

static void eq_place(const emb_place *a, const emb_place *b, const char *eid, const char *f,
                     size_t i)
{
    eq_str(a->street, b->street, eid, "%s[%zu].street", f, i);
    eq_str(a->city, b->city, eid, "%s[%zu].city", f, i);
    eq_str(a->state, b->state, eid, "%s[%zu].state", f, i);
    eq_str(a->zip, b->zip, eid, "%s[%zu].zip", f, i);
    eq_str(a->country, b->country, eid, "%s[%zu].country", f, i);
    eq_str(a->cc, b->cc, eid, "%s[%zu].cc", f, i);
    eq_str(a->note, b->note, eid, "%s[%zu].note", f, i);
}

static void eq_strs(const char *const *a, size_t na, const char *const *b, size_t nb,
                    const char *eid, const char *f)
{
    eq_num((long long)na, (long long)nb, eid, "%s count", f);
    if (na)
        assert_true(a && b);
    for (size_t i = 0; i < na; i++)
        eq_str(a[i], b[i], eid, "%s[%zu]", f, i);
}

/* Arrays must match by count and element; an empty array is NULL in both
 * (the model's convention). */
#define EQ_ARRAY_PTRS(a, b, f)                                                  \
    do {                                                                        \
        eq_num((long long)(a)->n##f, (long long)(b)->n##f, eid, #f " count");   \
        if ((a)->n##f == 0) {                                                   \
            assert_null((b)->f);                                                \
        } else {                                                                \
            assert_non_null((a)->f);                                            \
            assert_non_null((b)->f);                                            \
        }                                                                       \
    } while (0)

static void eq_entity(const emb_entity *a, const emb_entity *b)
{
    const char *eid = a->id ? a->id : "(no id)";
    eq_str(a->id, b->id, eid, "id");
    eq_str(a->list, b->list, eid, "list");
    eq_str(a->reference, b->reference, eid, "reference");
    eq_str(a->caption, b->caption, eid, "caption");
    eq_num(a->schema, b->schema, eid, "schema");
    eq_str(a->regime, b->regime, eid, "regime");
    eq_str(a->program, b->program, eid, "program");
    eq_str(a->listed_on, b->listed_on, eid, "listed_on");
    eq_str(a->remarks, b->remarks, eid, "remarks");
    eq_str(a->gender, b->gender, eid, "gender");
    eq_num((long long)a->list_index, (long long)b->list_index, eid, "list_index");
    eq_str(a->flag, b->flag, eid, "flag");
    eq_str(a->flag_cc, b->flag_cc, eid, "flag_cc");
    eq_str(a->vessel_type, b->vessel_type, eid, "vessel_type");
    eq_str(a->call_sign, b->call_sign, eid, "call_sign");
    eq_str(a->tonnage, b->tonnage, eid, "tonnage");
    eq_str(a->owner, b->owner, eid, "owner");

    EQ_ARRAY_PTRS(a, b, names);
    for (size_t i = 0; i < a->nnames; i++) {
        const emb_name *x = &a->names[i], *y = &b->names[i];
        eq_str(x->full, y->full, eid, "names[%zu].full", i);
        eq_str(x->note, y->note, eid, "names[%zu].note", i);
        eq_num(x->kind, y->kind, eid, "names[%zu].kind", i);
        eq_num((long long)x->nparts, (long long)y->nparts, eid, "names[%zu].nparts", i);
        if (x->nparts == 0)
            assert_null(y->parts);
        for (size_t k = 0; k < x->nparts; k++)
            eq_str(x->parts[k], y->parts[k], eid, "names[%zu].parts[%zu]", i, k);
    }
    EQ_ARRAY_PTRS(a, b, birth_dates);
    for (size_t i = 0; i < a->nbirth_dates; i++) {
        const emb_date *x = &a->birth_dates[i], *y = &b->birth_dates[i];
        eq_num(x->prec, y->prec, eid, "birth_dates[%zu].prec", i);
        eq_num(x->year, y->year, eid, "birth_dates[%zu].year", i);
        eq_num(x->month, y->month, eid, "birth_dates[%zu].month", i);
        eq_num(x->day, y->day, eid, "birth_dates[%zu].day", i);
        eq_num(x->year_to, y->year_to, eid, "birth_dates[%zu].year_to", i);
        eq_str(x->raw, y->raw, eid, "birth_dates[%zu].raw", i);
    }
    EQ_ARRAY_PTRS(a, b, birth_places);
    for (size_t i = 0; i < a->nbirth_places; i++)
        eq_place(&a->birth_places[i], &b->birth_places[i], eid, "birth_places", i);
    EQ_ARRAY_PTRS(a, b, nationalities);
    for (size_t i = 0; i < a->nnationalities; i++) {
        eq_str(a->nationalities[i].name, b->nationalities[i].name, eid,
               "nationalities[%zu].name", i);
        eq_str(a->nationalities[i].cc, b->nationalities[i].cc, eid, "nationalities[%zu].cc", i);
    }
    EQ_ARRAY_PTRS(a, b, identifiers);
    for (size_t i = 0; i < a->nidentifiers; i++) {
        const emb_identifier *x = &a->identifiers[i], *y = &b->identifiers[i];
        eq_num(x->kind, y->kind, eid, "identifiers[%zu].kind", i);
        eq_str(x->type, y->type, eid, "identifiers[%zu].type", i);
        eq_str(x->number, y->number, eid, "identifiers[%zu].number", i);
        eq_str(x->norm, y->norm, eid, "identifiers[%zu].norm", i);
        eq_str(x->country, y->country, eid, "identifiers[%zu].country", i);
        eq_str(x->cc, y->cc, eid, "identifiers[%zu].cc", i);
        eq_str(x->note, y->note, eid, "identifiers[%zu].note", i);
    }
    EQ_ARRAY_PTRS(a, b, addresses);
    for (size_t i = 0; i < a->naddresses; i++)
        eq_place(&a->addresses[i], &b->addresses[i], eid, "addresses", i);
    EQ_ARRAY_PTRS(a, b, titles);
    eq_strs(a->titles, a->ntitles, b->titles, b->ntitles, eid, "titles");
    EQ_ARRAY_PTRS(a, b, designations);
    eq_strs(a->designations, a->ndesignations, b->designations, b->ndesignations, eid,
            "designations");
    EQ_ARRAY_PTRS(a, b, updated_on);
    eq_strs(a->updated_on, a->nupdated_on, b->updated_on, b->nupdated_on, eid, "updated_on");
    EQ_ARRAY_PTRS(a, b, programs);
    eq_strs(a->programs, a->nprograms, b->programs, b->nprograms, eid, "programs");
}

static void eq_list(const emb_list_info *a, const emb_list_info *b)
{
    const char *eid = a->id;
    eq_str(a->id, b->id, eid, "id");
    eq_str(a->title, b->title, eid, "title");
    eq_str(a->format, b->format, eid, "format");
    eq_str(a->source, b->source, eid, "source");
    eq_str(a->date, b->date, eid, "date");
    eq_num((long long)a->nentities, (long long)b->nentities, eid, "nentities");
    for (int k = 0; k < 5; k++)
        eq_num((long long)a->nby_schema[k], (long long)b->nby_schema[k], eid, "nby_schema[%d]",
               k);
}

/* ---- every string of a decoded entity lies inside its record -------------- */

static void in_rec(const char *s, const unsigned char *rec, size_t len)
{
    if (!s)
        return;
    const unsigned char *u = (const unsigned char *)s;
    if (u < rec || u >= rec + len)
        fail_msg("string at %p outside the record [%p, %p)", (const void *)s, (const void *)rec,
                 (const void *)(rec + len));
    if (!memchr(u, 0, (size_t)(rec + len - u)))
        fail_msg("string at offset %td not terminated inside the record", u - rec);
}

static void in_rec_place(const emb_place *p, const unsigned char *rec, size_t len)
{
    in_rec(p->street, rec, len);
    in_rec(p->city, rec, len);
    in_rec(p->state, rec, len);
    in_rec(p->zip, rec, len);
    in_rec(p->country, rec, len);
    in_rec(p->cc, rec, len);
    in_rec(p->note, rec, len);
}

static void all_in_rec(const emb_entity *e, const unsigned char *rec, size_t len)
{
    const char *const s[] = {e->id,     e->list,     e->reference, e->caption,     e->regime,
                             e->program, e->listed_on, e->remarks, e->gender,      e->flag,
                             e->flag_cc, e->vessel_type, e->call_sign, e->tonnage, e->owner};
    for (size_t i = 0; i < EMB_ARRAY_LEN(s); i++)
        in_rec(s[i], rec, len);
    for (size_t i = 0; i < e->nnames; i++) {
        in_rec(e->names[i].full, rec, len);
        in_rec(e->names[i].note, rec, len);
        for (size_t k = 0; k < e->names[i].nparts; k++)
            in_rec(e->names[i].parts[k], rec, len);
    }
    for (size_t i = 0; i < e->nbirth_dates; i++)
        in_rec(e->birth_dates[i].raw, rec, len);
    for (size_t i = 0; i < e->nbirth_places; i++)
        in_rec_place(&e->birth_places[i], rec, len);
    for (size_t i = 0; i < e->nnationalities; i++) {
        in_rec(e->nationalities[i].name, rec, len);
        in_rec(e->nationalities[i].cc, rec, len);
    }
    for (size_t i = 0; i < e->nidentifiers; i++) {
        const emb_identifier *d = &e->identifiers[i];
        in_rec(d->type, rec, len);
        in_rec(d->number, rec, len);
        in_rec(d->norm, rec, len);
        in_rec(d->country, rec, len);
        in_rec(d->cc, rec, len);
        in_rec(d->note, rec, len);
    }
    for (size_t i = 0; i < e->naddresses; i++)
        in_rec_place(&e->addresses[i], rec, len);
    const char *const *l[] = {e->titles, e->designations, e->updated_on, e->programs};
    size_t nl[] = {e->ntitles, e->ndesignations, e->nupdated_on, e->nprograms};
    for (size_t j = 0; j < 4; j++)
        for (size_t i = 0; i < nl[j]; i++)
            in_rec(l[j][i], rec, len);
}

/* ---- round trips ----------------------------------------------------------- */

static void test_roundtrip_all_lists(void **state)
{
    (void)state;
    emb_arena a;
    emb_arena_init(&a, 0);
    emb_buf again;
    emb_buf_init(&again, BUF_MAX);
    size_t done = 0;
    for (size_t li = 0; li < F->m.nlists; li++) {
        size_t n = 0, bytes = 0;
        for (size_t i = 0; i < F->m.nentities; i++) {
            const emb_entity *e = &F->m.entities[i];
            if (e->list_index != li)
                continue;
            size_t len;
            const unsigned char *rec = rec_of(i, &len);
            assert_int_equal(len % 8, 0);
            assert_int_equal(F->off[i] % 8, 0);
            emb_entity d;
            int rc = emb_codec_get_entity(&d, rec, len, &a);
            if (rc < 0)
                fail_msg("%s: %s", e->id, emb_err_last());
            eq_entity(e, &d);
            all_in_rec(&d, rec, len);
            /* canonical: the decoded entity re-encodes to the same bytes */
            emb_buf_clear(&again);
            assert_int_equal(emb_codec_put_entity(&again, &d), EMB_OK);
            assert_int_equal(again.len, len);
            if (memcmp(again.ptr, rec, len) != 0)
                fail_msg("%s: re-encoded record differs", e->id);
            n++;
            bytes += len;
        }
        assert_true(n > 0);
        assert_int_equal(n, F->m.lists[li].nentities);
        printf("codec: list %-6s %-10s %6zu entities, %9zu bytes, %5.0f bytes/entity\n",
               F->m.lists[li].id, F->m.lists[li].format, n, bytes, (double)bytes / (double)n);
        done += n;
        emb_arena_dispose(&a);
        emb_arena_init(&a, 0);
    }
    assert_int_equal(done, F->m.nentities);
    emb_buf_dispose(&again);
    emb_arena_dispose(&a);
}

static void test_roundtrip_lists(void **state)
{
    (void)state;
    emb_arena a;
    emb_arena_init(&a, 0);
    for (size_t li = 0; li < F->m.nlists; li++) {
        emb_buf b;
        emb_buf_init(&b, 1 << 20);
        assert_int_equal(emb_codec_put_list(&b, &F->m.lists[li]), EMB_OK);
        assert_int_equal(b.len % 8, 0);
        unsigned char *rec = malloc(b.len);
        memcpy(rec, b.ptr, b.len);
        emb_list_info d;
        assert_int_equal(emb_codec_get_list(&d, rec, b.len, &a), EMB_OK);
        eq_list(&F->m.lists[li], &d);
        for (size_t k = 0; k < 5; k++)
            in_rec(((const char *const[]){d.id, d.title, d.format, d.source, d.date})[k], rec,
                   b.len);
        /* every truncation fails cleanly */
        for (size_t n = 0; n < b.len; n++) {
            unsigned char *t = malloc(n ? n : 1);
            memcpy(t, rec, n);
            assert_int_equal(emb_codec_get_list(&d, t, n, &a), EMB_EPARSE);
            free(t);
        }
        free(rec);
        emb_buf_dispose(&b);
    }
    /* a list without a date */
    emb_list_info li = {"x", "X list", "x-fmt", "label", NULL, 3, {1, 2, 0, 0, 0}};
    emb_buf b;
    emb_buf_init(&b, 1 << 20);
    assert_int_equal(emb_codec_put_list(&b, &li), EMB_OK);
    emb_list_info d;
    assert_int_equal(emb_codec_get_list(&d, b.ptr, b.len, &a), EMB_OK);
    eq_list(&li, &d);
    /* refusals */
    li.title = NULL;
    assert_int_equal(emb_codec_put_list(&b, &li), EMB_EINVAL);
    li.title = "X list";
    li.nby_schema[1] = 4;
    assert_int_equal(emb_codec_put_list(&b, &li), EMB_EINVAL);
    emb_buf_dispose(&b);
    emb_arena_dispose(&a);
}

/* Every stride-th entity of each list (all of a small list), so each list
 * format is attacked whatever its size. */
static bool sampled(size_t i, size_t stride)
{
    size_t li = F->m.entities[i].list_index;
    return F->m.lists[li].nentities < 100 || (i - F->first[li]) % stride == 0;
}

/* ---- hostile records -------------------------------------------------------- */

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void test_truncated(void **state)
{
    (void)state;
    emb_arena a;
    emb_arena_init(&a, 0);
    size_t tried = 0;
    for (size_t i = 0; i < F->m.nentities; i++) {
        if (!sampled(i, 23))
            continue;
        size_t len;
        const unsigned char *rec = rec_of(i, &len);
        for (size_t n = 0; n < len; n++) {
            /* as cut: the size field says more than there is */
            unsigned char *t = malloc(n ? n : 1);
            memcpy(t, rec, n);
            emb_entity d;
            memset(&d, 0xA5, sizeof(d));
            emb_entity before;
            memcpy(&before, &d, sizeof(d));
            int rc = emb_codec_get_entity(&d, t, n, &a);
            if (rc != EMB_EPARSE)
                fail_msg("%s cut to %zu of %zu bytes: rc %d", F->m.entities[i].id, n, len, rc);
            assert_memory_equal(&d, &before, sizeof(d));   /* *out untouched */
            /* and with the size field rewritten to match the cut */
            if (n >= 8 && n % 8 == 0) {
                uint32_t sz = (uint32_t)n;
                memcpy(t, &sz, 4);   /* the tests run on little-endian hosts */
                rc = emb_codec_get_entity(&d, t, n, &a);
                if (rc == EMB_OK)
                    all_in_rec(&d, t, n);
                else
                    assert_int_equal(rc, EMB_EPARSE);
            }
            free(t);
            tried++;
        }
        if (a.used > (64u << 20)) {
            emb_arena_dispose(&a);
            emb_arena_init(&a, 0);
        }
    }
    printf("codec: %zu truncated records refused\n", tried);
    emb_arena_dispose(&a);
}

static void test_byte_flips(void **state)
{
    (void)state;
    emb_arena a;
    emb_arena_init(&a, 0);
    emb_buf again;
    emb_buf_init(&again, BUF_MAX);
    size_t ok = 0, refused = 0;
    for (size_t i = 0; i < F->m.nentities; i++) {
        if (!sampled(i, 5))
            continue;
        size_t len;
        const unsigned char *rec = rec_of(i, &len);
        for (int trial = 0; trial < 12; trial++) {
            unsigned char *t = malloc(len);
            memcpy(t, rec, len);
            int nflips = 1 + (int)(next_rand() % 4);
            for (int f = 0; f < nflips; f++) {
                uint64_t r = next_rand();
                /* half the changes in the header and arrays, where they matter */
                size_t span = (r & 1) ? len : (len < 160 ? len : 160);
                size_t pos = (size_t)((r >> 8) % span);
                switch ((r >> 4) & 3) {
                case 0: t[pos] = (unsigned char)(r >> 40); break;
                case 1: t[pos] ^= (unsigned char)(1u << ((r >> 40) & 7)); break;
                case 2: t[pos] = 0xFF; break;
                default: t[pos] = 0; break;
                }
            }
            emb_entity d;
            int rc = emb_codec_get_entity(&d, t, len, &a);
            if (rc == EMB_OK) {
                all_in_rec(&d, t, len);
                emb_buf_clear(&again);
                rc = emb_codec_put_entity(&again, &d);
                if (rc < 0)
                    fail_msg("decoded but cannot re-encode: %s", emb_err_last());
                emb_entity d2;
                assert_int_equal(emb_codec_get_entity(&d2, again.ptr, again.len, &a), EMB_OK);
                eq_entity(&d, &d2);
                ok++;
            } else {
                if (rc != EMB_EPARSE)
                    fail_msg("rc %d: %s", rc, emb_err_last());
                assert_non_null(strstr(emb_err_last(), "entity record: "));
                refused++;
            }
            free(t);
        }
        if (a.used > (64u << 20)) {
            emb_arena_dispose(&a);
            emb_arena_init(&a, 0);
        }
    }
    printf("codec: changed records: %zu decoded cleanly, %zu refused\n", ok, refused);
    emb_buf_dispose(&again);
    emb_arena_dispose(&a);
}

/* A small hand-made entity; the offsets below follow the format in codec.h. */
static const char *const kim_parts[] = {"KIM", "JONG", "UN"};
static const emb_name kim_names[] = {
    {"KIM JONG UN", kim_parts, 3, EMB_NAME_PRIMARY, NULL},
    {"KIM", kim_parts, 1, EMB_NAME_ALIAS, "good quality"},
};
static const emb_date kim_dates[] = {{EMB_DATE_DAY, 1984, 1, 8, 0, "1984-01-08"}};

static emb_entity kim(void)
{
    emb_entity e;
    memset(&e, 0, sizeof(e));
    e.id = "x-1";
    e.list = "x";
    e.reference = "KPi.999";
    e.caption = "KIM JONG UN";
    e.schema = EMB_SCHEMA_PERSON;
    e.names = kim_names;
    e.nnames = 2;
    e.birth_dates = kim_dates;
    e.nbirth_dates = 1;
    return e;
}

/* Encode kim(), apply the patch, decode: the result code and message. */
static int decode_patched(size_t pos, const void *bytes, size_t n, char *msg, size_t msgsz)
{
    emb_entity e = kim();
    emb_buf b;
    emb_buf_init(&b, 1 << 16);
    assert_int_equal(emb_codec_put_entity(&b, &e), EMB_OK);
    unsigned char *t = malloc(b.len);
    memcpy(t, b.ptr, b.len);
    if (n)
        memcpy(t + pos, bytes, n);
    emb_arena a;
    emb_arena_init(&a, 0);
    emb_entity d;
    int rc = emb_codec_get_entity(&d, t, b.len, &a);
    snprintf(msg, msgsz, "%s", rc < 0 ? emb_err_last() : "");
    emb_arena_dispose(&a);
    free(t);
    emb_buf_dispose(&b);
    return rc;
}

#define EXPECT_BAD(pos, bytes, want)                                                  \
    do {                                                                              \
        char msg_[256];                                                               \
        assert_int_equal(decode_patched((pos), (bytes), sizeof(bytes), msg_, sizeof(msg_)), \
                         EMB_EPARSE);                                                 \
        if (!strstr(msg_, (want)))                                                    \
            fail_msg("message \"%s\" lacks \"%s\"", msg_, (want));                    \
    } while (0)

static void test_bad_records(void **state)
{
    (void)state;
    char msg[256];
    assert_int_equal(decode_patched(0, NULL, 0, msg, sizeof(msg)), EMB_OK);

    /* header of 32 bytes and 4 present strings: names at 48, two of 12
     * bytes; date at 72; pool at 84 (parts KIM JONG UN, then KIM) */
    const unsigned char far[] = {0xFF, 0x7F, 0, 0};
    EXPECT_BAD(84 + 4, far, "entity record: names[0].parts[1]: string offset 32767 beyond "
                             "record length");
    const unsigned char low[] = {8, 0, 0, 0};
    EXPECT_BAD(84 + 12, low, "names[1].parts[0]: string offset 8 before the string area");
    EXPECT_BAD(32, far, "entity record: id: string offset 32767 beyond");
    const unsigned char none[] = {0xFF, 0xFF, 0xFF, 0xFF};
    EXPECT_BAD(32 + 4 * 3, none, "id, list, reference or caption missing");
    EXPECT_BAD(48, none, "names[0]: no full name");
    const unsigned char v2[] = {2};
    EXPECT_BAD(4, v2, "version 2 not supported");
    const unsigned char schema9[] = {9};
    EXPECT_BAD(5, schema9, "schema 9 out of range");
    const unsigned char many[] = {0x88, 0x13};   /* 5000 */
    EXPECT_BAD(6, many, "names: count 5000 above the cap of 4096");
    EXPECT_BAD(6 + 2 * 6, many, "titles: count 5000 above the cap of 4096");
    const unsigned char dates[] = {0x00, 0x10};   /* 4096 birth dates */
    EXPECT_BAD(6 + 2, dates, "birth_dates: 4096 entries end at offset 49224 beyond record size");
    const unsigned char lots[] = {0x00, 0x10};   /* 4096 parts */
    EXPECT_BAD(48 + 8, lots, "name parts and string lists: 4097 references end at offset");
    const unsigned char kind9[] = {9};
    EXPECT_BAD(48 + 10, kind9, "names[0]: kind 9 out of range");
    const unsigned char nz[] = {1};
    EXPECT_BAD(48 + 11, nz, "names[0]: padding byte not 0");
    const unsigned char bit15[] = {0x0F, 0x80};
    EXPECT_BAD(26, bit15, "string mask 0x800f has unknown bits");
    const unsigned char nocaption[] = {0x07, 0x00};
    EXPECT_BAD(26, nocaption, "id, list, reference or caption missing");
    const unsigned char all[] = {0xFF, 0x7F};   /* 15 refs: the header eats the arrays */
    EXPECT_BAD(26, all, "parts, above the cap of 4096");
    const unsigned char prec9[] = {9};
    EXPECT_BAD(72 + 4, prec9, "birth_dates[0]: precision 9 out of range");
    const unsigned char month13[] = {13};
    EXPECT_BAD(72 + 5, month13, "birth_dates[0]: month 13 or day 8 out of range");
    const unsigned char y10000[] = {0x10, 0x27};
    EXPECT_BAD(72, y10000, "birth_dates[0]: year 10000");
    const unsigned char idx[] = {64, 0, 0, 0};
    EXPECT_BAD(28, idx, "list_index 64 above the cap of 64");
    const unsigned char odd[] = {9, 0, 0, 0};
    EXPECT_BAD(0, odd, "size 9 not a multiple of 8");
    const unsigned char huge[] = {0, 0, 0, 1};
    EXPECT_BAD(0, huge, "size 16777216 beyond record length");

    /* the string area must end with a NUL */
    emb_entity e = kim();
    emb_buf b;
    emb_buf_init(&b, 1 << 16);
    assert_int_equal(emb_codec_put_entity(&b, &e), EMB_OK);
    const unsigned char x[] = {'x'};
    EXPECT_BAD(b.len - 1, x, "string area does not end with a NUL");

    /* any address: decoding does not need alignment */
    emb_arena a;
    emb_arena_init(&a, 0);
    for (size_t shift = 1; shift < 8; shift++) {
        unsigned char *t = malloc(b.len + shift);
        memcpy(t + shift, b.ptr, b.len);
        emb_entity d;
        assert_int_equal(emb_codec_get_entity(&d, t + shift, b.len, &a), EMB_OK);
        eq_entity(&e, &d);
        all_in_rec(&d, t + shift, b.len);
        free(t);
    }
    /* a longer len than the record's size is fine: the size field rules */
    unsigned char *t = calloc(1, b.len + 64);
    memcpy(t, b.ptr, b.len);
    emb_entity d;
    assert_int_equal(emb_codec_get_entity(&d, t, b.len + 64, &a), EMB_OK);
    eq_entity(&e, &d);
    free(t);
    assert_int_equal(emb_codec_get_entity(&d, NULL, 0, &a), EMB_EPARSE);
    emb_arena_dispose(&a);
    emb_buf_dispose(&b);
}

/* The encoder refuses what the decoder would, and respects the buffer cap. */
static void test_put_refusals(void **state)
{
    (void)state;
    emb_buf b;
    emb_buf_init(&b, 1 << 20);
    emb_entity e = kim();
    emb_date bad_date = kim_dates[0];
    bad_date.month = 13;
    e.birth_dates = &bad_date;
    assert_int_equal(emb_codec_put_entity(&b, &e), EMB_EINVAL);
    assert_non_null(strstr(emb_err_last(), "entity x-1: birth_dates[0]"));
    bad_date.month = 1;
    bad_date.year = -1;
    assert_int_equal(emb_codec_put_entity(&b, &e), EMB_EINVAL);
    bad_date.year = 10000;
    assert_int_equal(emb_codec_put_entity(&b, &e), EMB_EINVAL);

    e = kim();
    e.schema = (emb_schema)7;
    assert_int_equal(emb_codec_put_entity(&b, &e), EMB_EINVAL);
    e = kim();
    e.reference = NULL;
    assert_int_equal(emb_codec_put_entity(&b, &e), EMB_EINVAL);
    e = kim();
    e.nnames = 0;
    assert_int_equal(emb_codec_put_entity(&b, &e), EMB_EINVAL);
    e = kim();
    e.list_index = EMB_MODEL_MAX_LISTS;
    assert_int_equal(emb_codec_put_entity(&b, &e), EMB_EINVAL);
    e = kim();
    e.ntitles = 1;   /* count without an array */
    assert_int_equal(emb_codec_put_entity(&b, &e), EMB_EINVAL);
    emb_name nm = kim_names[0];
    nm.kind = (emb_name_kind)6;
    e = kim();
    e.names = &nm;
    e.nnames = 1;
    assert_int_equal(emb_codec_put_entity(&b, &e), EMB_EINVAL);
    nm = kim_names[0];
    nm.nparts = EMB_DRAFT_MAX_VALUES + 1;
    assert_int_equal(emb_codec_put_entity(&b, &e), EMB_ETOOBIG);
    emb_identifier id = {(emb_id_kind)7, "Passport", "1", "1", NULL, NULL, NULL};
    e = kim();
    e.identifiers = &id;
    e.nidentifiers = 1;
    assert_int_equal(emb_codec_put_entity(&b, &e), EMB_EINVAL);

    const char **many = calloc(EMB_DRAFT_MAX_VALUES + 1, sizeof(*many));
    for (size_t i = 0; i <= EMB_DRAFT_MAX_VALUES; i++)
        many[i] = (i % 2) ? "odd" : "even";
    e = kim();
    e.titles = many;
    e.ntitles = EMB_DRAFT_MAX_VALUES + 1;
    assert_int_equal(emb_codec_put_entity(&b, &e), EMB_ETOOBIG);
    assert_non_null(strstr(emb_err_last(), "titles"));
    /* at the cap it works, and the repeated strings are stored once */
    e.ntitles = EMB_DRAFT_MAX_VALUES;
    assert_int_equal(b.len, 0);
    assert_int_equal(emb_codec_put_entity(&b, &e), EMB_OK);
    assert_true(b.len < 48 + 2 * 12 + 12 + 4 * (4 + EMB_DRAFT_MAX_VALUES) + 128);
    emb_arena a;
    emb_arena_init(&a, 0);
    emb_entity d;
    assert_int_equal(emb_codec_get_entity(&d, b.ptr, b.len, &a), EMB_OK);
    eq_entity(&e, &d);
    emb_arena_dispose(&a);
    free(many);

    /* the buffer's cap: refused, contents unchanged */
    emb_buf small;
    emb_buf_init(&small, 150);
    assert_int_equal(emb_buf_puts(&small, "01234567"), EMB_OK);
    e = kim();
    assert_int_equal(emb_codec_put_entity(&small, &e), EMB_ETOOBIG);
    assert_int_equal(small.len, 8);
    assert_string_equal(emb_buf_cstr(&small), "01234567");
    emb_buf_dispose(&small);
    emb_buf_dispose(&b);
}

/* Decode speed on the UN list, for the report (no assertion on time). */
static void test_decode_speed(void **state)
{
    (void)state;
    size_t first = SIZE_MAX, n = 0;
    for (size_t i = 0; i < F->m.nentities; i++)
        if (F->m.entities[i].list_index == 0) {
            if (first == SIZE_MAX)
                first = i;
            n++;
        }
    assert_true(n > 1000);
    emb_arena a;
    emb_arena_init(&a, 0);
    const int passes = 50;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t sum = 0;
    for (int p = 0; p < passes; p++) {
        for (size_t i = first; i < first + n; i++) {
            size_t len;
            const unsigned char *rec = rec_of(i, &len);
            emb_entity d;
            assert_int_equal(emb_codec_get_entity(&d, rec, len, &a), EMB_OK);
            sum += d.nnames;
        }
        emb_arena_dispose(&a);
        emb_arena_init(&a, 0);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
    printf("codec: UN decode %.0f ns/entity (%zu entities x %d passes, %zu names)\n",
           ns / ((double)n * passes), n, passes, sum / (size_t)passes);
    emb_arena_dispose(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_all_lists),
        cmocka_unit_test(test_roundtrip_lists),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_byte_flips),
        cmocka_unit_test(test_bad_records),
        cmocka_unit_test(test_put_refusals),
        cmocka_unit_test(test_decode_speed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
