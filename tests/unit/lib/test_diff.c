/*
 * test_diff.c - emb_diff_lists on the two real UN snapshots (2026-01-28 ->
 * 2026-05-08), checked against an independent count made here straight from
 * the XML with libxml2's tree API (not the library's loader): reference sets
 * for added and removed, and a canonical dump of each record (minus the
 * bookkeeping elements) for changed. Also small inline lists: a renamed
 * entry is a change, and identical lists give an empty diff.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "embargo.h"
#include "embargo_diff.h"

#define OLD_UN "data/lists/un/2026-01-28/un.xml"
#define NEW_UN "data/lists/un/un_sanctions.xml"

/* ---- the independent count ---------------------------------------------- */

typedef struct rec {
    char *ref;
    char *canon;   /* sorted canonical dumps of the record's children */
} rec;

typedef struct recs {
    rec *v;
    size_t n;
} recs;

static int skipped(const char *tag)
{
    /* bookkeeping that changes without the entry changing */
    static const char *const skip[] = {"DATAID", "VERSIONNUM", "LAST_DAY_UPDATED",
                                       "HAS_INTERPOL_LINK", "INTERPOL_LINK", "SORT_KEY",
                                       "SORT_KEY_LAST_MOD", NULL};
    for (size_t i = 0; skip[i]; i++)
        if (strcmp(tag, skip[i]) == 0)
            return 1;
    return 0;
}

/* whitespace runs -> one space, none between tags, trimmed */
static char *squash(const char *s)
{
    size_t n = strlen(s);
    char *o = malloc(n + 1);
    size_t k = 0;
    int sp = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            sp = 1;
            continue;
        }
        if (sp && k && o[k - 1] != '>' && c != '<')
            o[k++] = ' ';
        sp = 0;
        o[k++] = c;
    }
    o[k] = 0;
    return o;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_rec(const void *a, const void *b)
{
    return strcmp(((const rec *)a)->ref, ((const rec *)b)->ref);
}

static recs scan(const char *path)
{
    recs r = {NULL, 0};
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_HUGE);
    assert_non_null(doc);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    size_t cap = 0;
    for (xmlNodePtr grp = root->children; grp; grp = grp->next) {
        if (grp->type != XML_ELEMENT_NODE)
            continue;
        for (xmlNodePtr e = grp->children; e; e = e->next) {
            if (e->type != XML_ELEMENT_NODE)
                continue;
            if (strcmp((const char *)e->name, "INDIVIDUAL") && strcmp((const char *)e->name, "ENTITY"))
                continue;
            char *parts[256];
            size_t np = 0, total = 1;
            char *ref = NULL;
            for (xmlNodePtr c = e->children; c; c = c->next) {
                if (c->type != XML_ELEMENT_NODE || skipped((const char *)c->name))
                    continue;
                if (strcmp((const char *)c->name, "REFERENCE_NUMBER") == 0) {
                    xmlChar *t = xmlNodeGetContent(c);
                    ref = squash((const char *)t);
                    xmlFree(t);
                }
                xmlBufferPtr b = xmlBufferCreate();
                xmlNodeDump(b, doc, c, 0, 0);
                assert_true(np < 256);
                parts[np] = squash((const char *)xmlBufferContent(b));
                total += strlen(parts[np]) + 1;
                np++;
                xmlBufferFree(b);
            }
            assert_non_null(ref);
            qsort(parts, np, sizeof(char *), cmp_str);
            char *canon = malloc(total);
            canon[0] = 0;
            for (size_t i = 0; i < np; i++) {
                strcat(canon, parts[i]);
                strcat(canon, "\n");
                free(parts[i]);
            }
            if (r.n == cap) {
                cap = cap ? cap * 2 : 1024;
                r.v = realloc(r.v, cap * sizeof(rec));
            }
            r.v[r.n].ref = ref;
            r.v[r.n].canon = canon;
            r.n++;
        }
    }
    xmlFreeDoc(doc);
    qsort(r.v, r.n, sizeof(rec), cmp_rec);
    return r;
}

static void recs_free(recs *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].ref);
        free(r->v[i].canon);
    }
    free(r->v);
}

static const rec *find(const recs *r, const char *ref)
{
    rec key = {(char *)ref, NULL};
    return bsearch(&key, r->v, r->n, sizeof(rec), cmp_rec);
}

/* ---- helpers ------------------------------------------------------------- */

static emb_lists *open_path(const char *path)
{
    emb_lists *ls = NULL;
    emb_source s = {path, NULL, 0};
    if (emb_lists_open(&ls, &s, 1) != EMB_OK)
        fail_msg("open %s: %s", path, emb_err_last());
    return ls;
}

static emb_lists *open_str(const char *label, const char *xml)
{
    emb_lists *ls = NULL;
    emb_source s = {label, xml, strlen(xml)};
    if (emb_lists_open(&ls, &s, 1) != EMB_OK)
        fail_msg("open %s: %s", label, emb_err_last());
    return ls;
}

static int has_ref(const emb_entity *const *v, size_t n, const char *ref)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i]->reference, ref) == 0)
            return 1;
    return 0;
}

/* ---- the two UN snapshots ------------------------------------------------ */

static void test_un_snapshots(void **state)
{
    (void)state;
    recs xo = scan(OLD_UN), xn = scan(NEW_UN);
    size_t x_added = 0, x_removed = 0, x_changed = 0;
    for (size_t i = 0; i < xn.n; i++) {
        const rec *o = find(&xo, xn.v[i].ref);
        if (!o)
            x_added++;
        else if (strcmp(o->canon, xn.v[i].canon) != 0)
            x_changed++;
    }
    for (size_t i = 0; i < xo.n; i++)
        x_removed += find(&xn, xo.v[i].ref) == NULL;
    /* LISTS.md: 11 added (8 Sudan, 3 Al-Qaida), 1 removed, about 137 amended */
    assert_int_equal(x_added, 11);
    assert_int_equal(x_removed, 1);
    assert_int_equal(x_changed, 137);

    emb_lists *ol = open_path(OLD_UN), *nl = open_path(NEW_UN);
    emb_diff *d = NULL;
    assert_int_equal(emb_diff_lists(&d, ol, nl), EMB_OK);
    assert_int_equal(d->nadded, x_added);
    assert_int_equal(d->nremoved, x_removed);
    assert_int_equal(d->nadded + d->nchanged + d->nunchanged, emb_lists_entity_count(nl));
    assert_int_equal(d->nremoved + d->nchanged + d->nunchanged, emb_lists_entity_count(ol));

    /* added and removed: exactly the independent sets */
    size_t sudan = 0;
    for (size_t i = 0; i < d->nadded; i++) {
        assert_null(find(&xo, d->added[i]->reference));
        assert_non_null(find(&xn, d->added[i]->reference));
        sudan += strncmp(d->added[i]->reference, "SDi.", 4) == 0;
    }
    assert_int_equal(sudan, 8);
    for (int k = 7; k <= 14; k++) {
        char ref[16];
        snprintf(ref, sizeof(ref), "SDi.%03d", k);
        assert_true(has_ref(d->added, d->nadded, ref));
    }
    assert_string_equal(d->removed[0]->reference, "QDe.137");
    assert_null(find(&xn, "QDe.137"));

    /* changed: every change the library reports is a record whose XML
     * changed; the XML changes it does not report are the two records
     * whose only edit is a passport's expiry date moved from a NOTE into
     * DATE_OF_EXPIRY (document dates are not compared) */
    for (size_t i = 0; i < d->nchanged; i++) {
        const char *ref = d->changed[i].new_entity->reference;
        assert_string_equal(ref, d->changed[i].old_entity->reference);
        assert_true(d->changed[i].fields != 0);
        const rec *o = find(&xo, ref), *n = find(&xn, ref);
        assert_non_null(o);
        assert_non_null(n);
        if (strcmp(o->canon, n->canon) == 0)
            fail_msg("%s reported changed but its XML is the same", ref);
    }
    assert_int_equal(d->nchanged, x_changed - 2);
    emb_diff_free(d);

    /* the reverse direction mirrors it */
    assert_int_equal(emb_diff_lists(&d, nl, ol), EMB_OK);
    assert_int_equal(d->nadded, 1);
    assert_int_equal(d->nremoved, 11);
    assert_int_equal(d->nchanged, x_changed - 2);
    emb_diff_free(d);

    /* a list against itself: nothing */
    assert_int_equal(emb_diff_lists(&d, nl, nl), EMB_OK);
    assert_int_equal(d->nadded + d->nremoved + d->nchanged, 0);
    assert_int_equal(d->nunchanged, emb_lists_entity_count(nl));
    emb_diff_free(d);
    emb_lists_free(ol);
    emb_lists_free(nl);
    recs_free(&xo);
    recs_free(&xn);
}

/* ---- small inline lists --------------------------------------------------- */

#define HEAD(date) "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
                   "<CONSOLIDATED_LIST dateGenerated=\"" date "\"><INDIVIDUALS>"
#define TAIL "</INDIVIDUALS></CONSOLIDATED_LIST>\n"
#define PERSON(id, ref, first, second, alias, dob)                                         \
    "<INDIVIDUAL><DATAID>" id "</DATAID><FIRST_NAME>" first "</FIRST_NAME>"              \
    "<SECOND_NAME>" second "</SECOND_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE>"              \
    "<REFERENCE_NUMBER>" ref "</REFERENCE_NUMBER><LISTED_ON>2020-01-02</LISTED_ON>"       \
    "<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>" alias "</ALIAS_NAME></INDIVIDUAL_ALIAS>" \
    "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>" dob "</DATE>"     \
    "</INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL>"

static const char *old_xml =
    HEAD("2026-01-01T00:00:00Z")
    PERSON("1", "XXi.001", "KIM", "CHOL", "KIM CHOL-SU", "1960-01-01")
    PERSON("2", "XXi.002", "PAK", "SONG", "PAK SONG-IL", "1970-02-02")
    PERSON("3", "XXi.003", "RI", "HO", "RI HO-NAM", "1980-03-03")
    TAIL;

/* XXi.001 renamed (data id changed too), XXi.002 gains an alias spelling
 * and a new birth date, XXi.003 unchanged but reordered, XXi.004 added */
static const char *new_xml =
    HEAD("2026-02-01T00:00:00Z")
    PERSON("3", "XXi.003", "RI", "HO", "RI HO-NAM", "1980-03-03")
    PERSON("11", "XXi.001", "KIM", "CHOL MIN", "KIM CHOL-SU", "1960-01-01")
    PERSON("2", "XXi.002", "PAK", "SONG", "PAK SONG IL", "1971-02-02")
    PERSON("4", "XXi.004", "CHOE", "RYONG", "CHOE RYONG-HAE", "1950-01-15")
    TAIL;

static void test_renamed_is_changed(void **state)
{
    (void)state;
    emb_lists *ol = open_str("old", old_xml), *nl = open_str("new", new_xml);
    emb_diff *d = NULL;
    assert_int_equal(emb_diff_lists(&d, ol, nl), EMB_OK);
    assert_int_equal(d->nadded, 1);
    assert_string_equal(d->added[0]->reference, "XXi.004");
    assert_int_equal(d->nremoved, 0);
    assert_int_equal(d->nchanged, 2);
    assert_int_equal(d->nunchanged, 1);
    /* new-set order: XXi.001 before XXi.002 */
    assert_string_equal(d->changed[0].new_entity->reference, "XXi.001");
    assert_string_equal(d->changed[0].old_entity->names[0].full, "KIM CHOL");
    assert_string_equal(d->changed[0].new_entity->names[0].full, "KIM CHOL MIN");
    assert_int_equal(d->changed[0].fields, EMB_DIFF_NAMES);
    assert_string_equal(d->changed[1].new_entity->reference, "XXi.002");
    assert_int_equal(d->changed[1].fields, EMB_DIFF_ALIASES | EMB_DIFF_BIRTH_DATES);
    assert_string_equal(emb_diff_field_name(0), "names");
    assert_string_equal(emb_diff_field_name(1), "aliases");
    assert_string_equal(emb_diff_field_name(13), "gender");
    assert_null(emb_diff_field_name(EMB_DIFF_NFIELDS));
    assert_int_equal(emb_diff_entities(d->changed[1].old_entity, d->changed[1].new_entity),
                     EMB_DIFF_ALIASES | EMB_DIFF_BIRTH_DATES);
    emb_diff_free(d);

    /* identical content, different file: empty diff */
    emb_lists *same = open_str("again", old_xml);
    assert_int_equal(emb_diff_lists(&d, ol, same), EMB_OK);
    assert_int_equal(d->nadded + d->nremoved + d->nchanged, 0);
    assert_int_equal(d->nunchanged, 3);
    emb_diff_free(d);
    emb_lists_free(same);
    emb_lists_free(ol);
    emb_lists_free(nl);
}

static void test_args(void **state)
{
    (void)state;
    emb_diff *d = NULL;
    assert_int_equal(emb_diff_lists(&d, NULL, NULL), EMB_EINVAL);
    assert_null(d);
    emb_diff_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_un_snapshots),
        cmocka_unit_test(test_renamed_is_changed),
        cmocka_unit_test(test_args),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return rc;
}
