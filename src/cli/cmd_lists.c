/*
 * cmd_lists.c - `embargo lists`: what is loaded: each list's source, date,
 * and counts per schema and per regime.
 */
#include "util/compat.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

typedef struct regime_count {
    const char *regime;
    size_t n[5];
} regime_count;

static int cmp_rc(const void *a, const void *b)
{
    return strcmp(((const regime_count *)a)->regime, ((const regime_count *)b)->regime);
}

int cmd_lists(int argc, char **argv)
{
    static const struct option opts[] = {{"list", required_argument, NULL, 'L'}, CLI_INDEX_OPTION,
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    cli_lists lists = {{0}, 0, NULL};
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'X':
            if (cli_lists_index(&lists, optarg) < 0)
                return 2;
            break;
        case 'L':
            if (cli_lists_add(&lists, optarg) < 0)
                return 2;
            break;
        case 'j': json = 1; break;
        case 'h':
            printf("usage: embargo lists [--list PATH]... [--index FILE] [--json]\n\n"
                   "Show each loaded list: source, list date, counts per schema and per regime.\n"
                   "Without --list, the bundled UN Consolidated List snapshot is shown.\n");
            return 0;
        default: return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "embargo lists: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    double ms = 0;
    emb_lists *ls = cli_open(&lists, &ms);
    if (!ls)
        return 1;
    emb_buf b;
    emb_buf_init(&b, (size_t)16 << 20);
    if (json)
        emb_buf_puts(&b, "{\"lists\":[");
    for (size_t l = 0; l < emb_lists_count(ls); l++) {
        const emb_list_info *li = emb_lists_list(ls, l);
        regime_count rcs[256];
        size_t nr = 0;
        for (size_t i = 0; i < emb_lists_entity_count(ls); i++) {
            const emb_entity *e = emb_lists_entity(ls, i);
            if (e->list_index != l)
                continue;
            const char *rg = e->regime ? e->regime : "(none)";
            size_t k;
            for (k = 0; k < nr; k++)
                if (strcmp(rcs[k].regime, rg) == 0)
                    break;
            if (k == nr) {
                if (nr == 256)
                    continue;
                memset(&rcs[nr], 0, sizeof(rcs[nr]));
                rcs[nr++].regime = rg;
            }
            rcs[k].n[e->schema]++;
        }
        qsort(rcs, nr, sizeof(regime_count), cmp_rc);
        if (json) {
            emb_buf_printf(&b, "%s{\"id\":", l ? "," : "");
            emb_buf_json_str(&b, li->id);
            emb_buf_puts(&b, ",\"title\":");
            emb_buf_json_str(&b, li->title);
            emb_buf_puts(&b, ",\"format\":");
            emb_buf_json_str(&b, li->format);
            emb_buf_puts(&b, ",\"source\":");
            emb_buf_json_str(&b, li->source);
            emb_buf_puts(&b, ",\"date\":");
            if (li->date)
                emb_buf_json_str(&b, li->date);
            else
                emb_buf_puts(&b, "null");
            emb_buf_printf(&b, ",\"entities\":%zu,\"schemas\":{", li->nentities);
            int first = 1;
            for (int s = 1; s < 5; s++)
                if (li->nby_schema[s]) {
                    emb_buf_printf(&b, "%s\"%s\":%zu", first ? "" : ",",
                                   emb_schema_name((emb_schema)s), li->nby_schema[s]);
                    first = 0;
                }
            emb_buf_puts(&b, "},\"regimes\":{");
            for (size_t k = 0; k < nr; k++) {
                emb_buf_printf(&b, "%s", k ? "," : "");
                emb_buf_json_str(&b, rcs[k].regime);
                emb_buf_puts(&b, ":{");
                first = 1;
                for (int s = 1; s < 5; s++)
                    if (rcs[k].n[s]) {
                        emb_buf_printf(&b, "%s\"%s\":%zu", first ? "" : ",",
                                       emb_schema_name((emb_schema)s), rcs[k].n[s]);
                        first = 0;
                    }
                emb_buf_puts(&b, "}");
            }
            emb_buf_puts(&b, "}}");
        } else {
            emb_buf_printf(&b, "%s [%s]\n  format:  %s\n  source:  %s\n  date:    %s\n"
                           "  entries: %zu (Person %zu, Organization %zu, Vessel %zu, Airplane %zu)\n"
                           "  loaded in %.1f ms (all lists)\n\n",
                           li->title, li->id, li->format, li->source,
                           li->date ? li->date : "(not stated)", li->nentities,
                           li->nby_schema[EMB_SCHEMA_PERSON], li->nby_schema[EMB_SCHEMA_ORGANIZATION],
                           li->nby_schema[EMB_SCHEMA_VESSEL], li->nby_schema[EMB_SCHEMA_AIRCRAFT], ms);
            emb_buf_printf(&b, "  %-14s %8s %14s %8s\n", "REGIME", "PERSON", "ORGANIZATION", "TOTAL");
            for (size_t k = 0; k < nr; k++)
                emb_buf_printf(&b, "  %-14s %8zu %14zu %8zu\n", rcs[k].regime,
                               rcs[k].n[EMB_SCHEMA_PERSON], rcs[k].n[EMB_SCHEMA_ORGANIZATION],
                               rcs[k].n[1] + rcs[k].n[2] + rcs[k].n[3] + rcs[k].n[4]);
            emb_buf_puts(&b, "\n");
        }
    }
    if (json)
        emb_buf_puts(&b, "]}\n");
    fwrite(emb_buf_cstr(&b), 1, b.len, stdout);
    emb_buf_dispose(&b);
    emb_lists_free(ls);
    return 0;
}
