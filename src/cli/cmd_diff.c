/*
 * cmd_diff.c - `embargo diff [--json] OLD NEW`: what changed between two
 * versions of a list (emb_diff_lists). A table by default: the two lists,
 * the counts, then one line per added, removed and changed entry (with the
 * changed fields). With --json one object: {"old", "new", "added",
 * "removed", "changed"}; these keys are a contract.
 */
#include "util/compat.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "embargo_diff.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: embargo diff [--json] OLD NEW\n"
            "\n"
            "Compare two versions of a list file: entries added, removed, and changed (with\n"
            "the fields that changed: names, aliases, birth_dates, identifiers, nationalities,\n"
            "regime, programs, listed_on, remarks, addresses, birth_places, designations,\n"
            "titles, gender). Entries are matched by the list's own reference, so a renamed\n"
            "entry is a change.\n"
            "\n"
            "options:\n"
            "  --json       one JSON object: old, new, added, removed, changed\n"
            "  -h, --help   this help\n");
}

static void kv_str(emb_buf *b, const char *k, const char *v)
{
    emb_buf_printf(b, ",\"%s\":", k);
    if (v)
        emb_buf_json_str(b, v);
    else
        emb_buf_puts(b, "null");
}

static void date_str(char *out, size_t n, const emb_date *d)
{
    switch (d->prec) {
    case EMB_DATE_DAY: snprintf(out, n, "%04d-%02d-%02d", d->year, d->month, d->day); break;
    case EMB_DATE_MONTH: snprintf(out, n, "%04d-%02d", d->year, d->month); break;
    case EMB_DATE_YEAR: snprintf(out, n, "%04d", d->year); break;
    case EMB_DATE_RANGE: snprintf(out, n, "%04d..%04d", d->year, d->year_to); break;
    case EMB_DATE_APPROX: snprintf(out, n, "~%04d", d->year); break;
    default: snprintf(out, n, "%s", d->raw ? d->raw : ""); break;
    }
}

/* One entry as JSON (shared with nothing else: the diff's own shape). */
static void json_entity(emb_buf *b, const emb_entity *e)
{
    emb_buf_puts(b, "{\"id\":");
    emb_buf_json_str(b, e->id);
    kv_str(b, "list", e->list);
    kv_str(b, "reference", e->reference);
    kv_str(b, "caption", e->caption);
    kv_str(b, "schema", emb_schema_name(e->schema));
    kv_str(b, "regime", e->regime);
    emb_buf_puts(b, ",\"names\":[");
    for (size_t i = 0; i < e->nnames; i++) {
        emb_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
        emb_buf_json_str(b, e->names[i].full);
        kv_str(b, "kind", emb_name_kind_name(e->names[i].kind));
        emb_buf_putc(b, '}');
    }
    emb_buf_puts(b, "],\"birth_dates\":[");
    for (size_t i = 0; i < e->nbirth_dates; i++) {
        char tmp[64];
        date_str(tmp, sizeof(tmp), &e->birth_dates[i]);
        if (i)
            emb_buf_putc(b, ',');
        emb_buf_json_str(b, tmp);
    }
    emb_buf_puts(b, "],\"identifiers\":[");
    for (size_t i = 0; i < e->nidentifiers; i++) {
        const emb_identifier *id = &e->identifiers[i];
        emb_buf_puts(b, i ? ",{\"kind\":" : "{\"kind\":");
        emb_buf_json_str(b, emb_id_kind_name(id->kind));
        kv_str(b, "type", id->type);
        kv_str(b, "number", id->number);
        kv_str(b, "country", id->cc ? id->cc : id->country);
        emb_buf_putc(b, '}');
    }
    emb_buf_puts(b, "],\"nationalities\":[");
    for (size_t i = 0; i < e->nnationalities; i++) {
        const emb_country *c = &e->nationalities[i];
        if (i)
            emb_buf_putc(b, ',');
        emb_buf_json_str(b, c->cc ? c->cc : (c->name ? c->name : ""));
    }
    emb_buf_puts(b, "]");
    kv_str(b, "listed_on", e->listed_on);
    emb_buf_puts(b, "}");
}

static void json_fields(emb_buf *b, unsigned f)
{
    emb_buf_putc(b, '[');
    int first = 1;
    for (unsigned i = 0; i < EMB_DIFF_NFIELDS; i++) {
        if (!(f & (1u << i)))
            continue;
        if (!first)
            emb_buf_putc(b, ',');
        emb_buf_json_str(b, emb_diff_field_name(i));
        first = 0;
    }
    emb_buf_putc(b, ']');
}

static void text_fields(emb_buf *b, unsigned f)
{
    int first = 1;
    for (unsigned i = 0; i < EMB_DIFF_NFIELDS; i++) {
        if (!(f & (1u << i)))
            continue;
        emb_buf_printf(b, "%s%s", first ? "" : ", ", emb_diff_field_name(i));
        first = 0;
    }
}

static void json_list_info(emb_buf *b, const emb_lists *ls)
{
    /* one file per side: describe its (first) list, with all lists below */
    const emb_list_info *li = emb_lists_list(ls, 0);
    emb_buf_puts(b, "{\"id\":");
    emb_buf_json_str(b, li ? li->id : "");
    kv_str(b, "title", li ? li->title : NULL);
    kv_str(b, "format", li ? li->format : NULL);
    kv_str(b, "source", li ? li->source : NULL);
    kv_str(b, "date", li ? li->date : NULL);
    emb_buf_printf(b, ",\"entities\":%zu}", emb_lists_entity_count(ls));
}

static int print_json(const emb_lists *ol, const emb_lists *nl, const emb_diff *d)
{
    emb_buf b;
    emb_buf_init(&b, (size_t)1 << 30);
    emb_buf_puts(&b, "{\"old\":");
    json_list_info(&b, ol);
    emb_buf_puts(&b, ",\"new\":");
    json_list_info(&b, nl);
    emb_buf_printf(&b, ",\"counts\":{\"added\":%zu,\"removed\":%zu,\"changed\":%zu,\"unchanged\":%zu}",
                   d->nadded, d->nremoved, d->nchanged, d->nunchanged);
    emb_buf_puts(&b, ",\"added\":[");
    for (size_t i = 0; i < d->nadded; i++) {
        if (i)
            emb_buf_putc(&b, ',');
        json_entity(&b, d->added[i]);
    }
    emb_buf_puts(&b, "],\"removed\":[");
    for (size_t i = 0; i < d->nremoved; i++) {
        if (i)
            emb_buf_putc(&b, ',');
        json_entity(&b, d->removed[i]);
    }
    emb_buf_puts(&b, "],\"changed\":[");
    for (size_t i = 0; i < d->nchanged; i++) {
        const emb_diff_change *c = &d->changed[i];
        emb_buf_puts(&b, i ? ",{\"reference\":" : "{\"reference\":");
        emb_buf_json_str(&b, c->new_entity->reference ? c->new_entity->reference : c->new_entity->id);
        kv_str(&b, "caption", c->new_entity->caption);
        emb_buf_puts(&b, ",\"fields\":");
        json_fields(&b, c->fields);
        emb_buf_puts(&b, ",\"old\":");
        json_entity(&b, c->old_entity);
        emb_buf_puts(&b, ",\"new\":");
        json_entity(&b, c->new_entity);
        emb_buf_putc(&b, '}');
    }
    int rc = emb_buf_puts(&b, "]}\n");
    if (rc == EMB_OK)
        fwrite(emb_buf_cstr(&b), 1, b.len, stdout);
    else
        fprintf(stderr, "embargo diff: output too large\n");
    emb_buf_dispose(&b);
    return rc == EMB_OK ? 0 : 1;
}

static void print_side(const char *label, const emb_lists *ls)
{
    const emb_list_info *li = emb_lists_list(ls, 0);
    printf("%s %s [%s], generated %s, %zu entries (%s)\n", label, li ? li->title : "?",
           li ? li->id : "?", li && li->date ? li->date : "(no date)",
           emb_lists_entity_count(ls), li && li->source ? li->source : "?");
}

static void print_table(const emb_lists *ol, const emb_lists *nl, const emb_diff *d)
{
    print_side("Old:", ol);
    print_side("New:", nl);
    printf("%zu added, %zu removed, %zu changed, %zu unchanged\n\n", d->nadded, d->nremoved,
           d->nchanged, d->nunchanged);
    if (d->nadded + d->nremoved + d->nchanged)
        printf("%-8s %-11s %-40s %s\n", "CHANGE", "REFERENCE", "CAPTION", "FIELDS");
    for (size_t i = 0; i < d->nadded; i++)
        printf("%-8s %-11s %s\n", "added", d->added[i]->reference ? d->added[i]->reference : "-",
               d->added[i]->caption ? d->added[i]->caption : "");
    for (size_t i = 0; i < d->nremoved; i++)
        printf("%-8s %-11s %s\n", "removed",
               d->removed[i]->reference ? d->removed[i]->reference : "-",
               d->removed[i]->caption ? d->removed[i]->caption : "");
    emb_buf f;
    emb_buf_init(&f, 4096);
    for (size_t i = 0; i < d->nchanged; i++) {
        const emb_entity *e = d->changed[i].new_entity;
        emb_buf_clear(&f);
        text_fields(&f, d->changed[i].fields);
        printf("%-8s %-11s %-40s %s\n", "changed", e->reference ? e->reference : "-",
               e->caption ? e->caption : "", emb_buf_cstr(&f));
    }
    emb_buf_dispose(&f);
}

int cmd_diff(int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind + 2 != argc) {
        fprintf(stderr, "embargo diff: OLD and NEW list files are required\n\n");
        usage(stderr);
        return 2;
    }
    cli_lists lo = {{0}, 0, NULL}, ln = {{0}, 0, NULL};
    cli_lists_add(&lo, argv[optind]);
    cli_lists_add(&ln, argv[optind + 1]);
    int ret = 1;
    emb_diff *d = NULL;
    emb_lists *ol = cli_open(&lo, NULL);
    emb_lists *nl = ol ? cli_open(&ln, NULL) : NULL;
    if (!ol || !nl)
        goto done;
    int rc = emb_diff_lists(&d, ol, nl);
    if (rc < 0) {
        fprintf(stderr, "embargo diff: %s (%s)\n", emb_err_last(), emb_strerror(rc));
        goto done;
    }
    if (json) {
        ret = print_json(ol, nl, d);
    } else {
        print_table(ol, nl, d);
        ret = 0;
    }
    fflush(stdout);
    if (ferror(stdout))
        ret = 1;
done:
    emb_diff_free(d);
    emb_lists_free(nl);
    emb_lists_free(ol);
    return ret;
}
