/*
 * cmd_rescreen.c - `embargo rescreen --since OLD [--list NEW] INPUT`: after a
 * list update, screen a customer file only against the entries added or
 * changed since OLD, so the output holds just the hits that are new.
 *
 * It diffs OLD against NEW (emb_diff_lists), then runs the batch engine
 * (batch_run.c) on NEW with the entity-id filter of emb_screen_opts set to
 * the added and changed entries: same input formats, same output lines
 * (one per input record, in order, errors as {"id", "error"}).
 */
#include "util/compat.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "embargo_diff.h"

typedef struct rescreen {
    cli_lists since;          /* OLD */
    cli_lists lists;          /* NEW (bundled UN list when empty) */
    const char **ids;         /* entity ids of NEW to screen against (owned) */
    size_t nids;
} rescreen;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: embargo rescreen --since OLD [--list NEW]... [options] INPUT\n"
            "\n"
            "Screen every record of INPUT (JSON lines or CSV, as for 'embargo batch') only\n"
            "against the entries of NEW that were added or changed since the list file OLD:\n"
            "the hits a list update brings. Output is batch's: one JSON line per record, in\n"
            "input order; a summary to stderr.\n"
            "\n"
            "options:\n"
            "  --since PATH     the previous list file (repeatable; required)\n"
            "  --list PATH      the current list file (repeatable; default: bundled UN list)\n"
            "  --index FILE     the current lists as an index snapshot (embargo index build)\n"
            "  --threshold T    match threshold, 0..1 (default %.2f)\n"
            "  --limit N        results per record, 1..%d (default 5)\n"
            "  --threads N      worker threads (default: number of CPUs)\n"
            "  --format F       jsonl or csv (default: detected from the first byte)\n"
            "  -h, --help       this help\n",
            EMB_DEFAULT_THRESHOLD, EMB_MAX_LIMIT);
}

static emb_lists *open_lists(void *payload, emb_screen_opts *so, char *note, size_t notesz)
{
    rescreen *rs = payload;
    emb_diff *d = NULL;
    emb_lists *ol = cli_open(&rs->since, NULL);
    emb_lists *nl = ol ? cli_open(&rs->lists, NULL) : NULL;
    if (!nl)
        goto fail;
    int rc = emb_diff_lists(&d, ol, nl);
    if (rc < 0) {
        fprintf(stderr, "embargo rescreen: %s (%s)\n", emb_err_last(), emb_strerror(rc));
        goto fail;
    }
    rs->ids = calloc(d->nadded + d->nchanged + 1, sizeof(*rs->ids));
    if (!rs->ids) {
        fprintf(stderr, "embargo rescreen: out of memory\n");
        goto fail;
    }
    for (size_t i = 0; i < d->nadded; i++)
        rs->ids[rs->nids++] = d->added[i]->id;
    for (size_t i = 0; i < d->nchanged; i++)
        rs->ids[rs->nids++] = d->changed[i].new_entity->id;
    /* an empty filter means "any entity": with nothing new, filter on an id
     * no entity has, so every record comes out with no results */
    if (rs->nids == 0)
        rs->ids[rs->nids++] = "";
    so->entity_ids = rs->ids;
    so->nentity_ids = rs->nids;
    snprintf(note, notesz, "; since %s: %zu added, %zu changed entries screened (%zu removed)",
             rs->since.paths[0], d->nadded, d->nchanged, d->nremoved);
    emb_diff_free(d);
    emb_lists_free(ol);
    return nl;   /* the ids point into nl, which outlives the run */
fail:
    emb_diff_free(d);
    emb_lists_free(nl);
    emb_lists_free(ol);
    return NULL;
}

int cmd_rescreen(int argc, char **argv)
{
    static const struct option opts[] = {
        {"since", required_argument, NULL, 's'},   {"list", required_argument, NULL, 'L'}, CLI_INDEX_OPTION,
        {"threshold", required_argument, NULL, 't'}, {"limit", required_argument, NULL, 'n'},
        {"threads", required_argument, NULL, 'T'}, {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    rescreen rs;
    memset(&rs, 0, sizeof(rs));
    emb_screen_opts so = EMB_SCREEN_OPTS_INIT;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = ncpu > 0 ? (unsigned)ncpu : 1;
    int format = -1, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            if (cli_lists_add(&rs.since, optarg) < 0)
                return 2;
            break;
        case 'X':
            if (cli_lists_index(&rs.lists, optarg) < 0)
                return 2;
            break;
        case 'L':
            if (cli_lists_add(&rs.lists, optarg) < 0)
                return 2;
            break;
        case 't':
            if (cli_parse_double("--threshold", optarg, 0, 1, &so.threshold) < 0)
                return 2;
            break;
        case 'n':
            if (cli_parse_uint("--limit", optarg, 1, EMB_MAX_LIMIT, &so.limit) < 0)
                return 2;
            break;
        case 'T':
            if (cli_parse_uint("--threads", optarg, 1, EMB_BATCH_MAX_THREADS, &threads) < 0)
                return 2;
            break;
        case 'f':
            if (strcmp(optarg, "jsonl") == 0)
                format = 0;
            else if (strcmp(optarg, "csv") == 0)
                format = 1;
            else {
                fprintf(stderr, "embargo rescreen: --format: expected jsonl or csv\n");
                return 2;
            }
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (rs.since.n == 0) {
        fprintf(stderr, "embargo rescreen: --since OLD is required\n\n");
        usage(stderr);
        return 2;
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "embargo rescreen: exactly one INPUT is required\n\n");
        usage(stderr);
        return 2;
    }
    cli_batch_cfg cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.cmd = "rescreen";
    cfg.input = argv[optind];
    cfg.format = format;
    cfg.threads = threads;
    cfg.so = so;
    cfg.open_lists = open_lists;
    cfg.payload = &rs;
    int ret = cli_batch_run(&cfg);
    free(rs.ids);
    return ret;
}
