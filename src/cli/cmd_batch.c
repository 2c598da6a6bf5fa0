/*
 * cmd_batch.c - `embargo batch INPUT`: screen a JSONL or CSV file, writing
 * exactly one JSON line per input record to stdout, in input order. Options
 * here; the engine (chunks, threads, error lines) is batch_run.c.
 */
#include "util/compat.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: embargo batch [options] INPUT\n"
            "\n"
            "Screen every record of INPUT ('-' for standard input): JSON lines in the yente\n"
            "EntityExample shape plus \"id\", or CSV with a header row (name, and optional id,\n"
            "schema, birthDate, nationality, country, idNumber, passportNumber, imoNumber).\n"
            "Writes one JSON line per record to stdout, in input order; a summary to stderr.\n"
            "\n"
            "options:\n"
            "  --list PATH        list file to load (repeatable; default: bundled UN list)\n"
            CLI_INDEX_HELP
            "  --threshold T      match threshold, 0..1 (default %.2f)\n"
            "  --limit N          results per record, 1..%d (default 5)\n"
            "  --threads N        worker threads (default: number of CPUs)\n"
            "  --format F         jsonl or csv (default: detected from the first byte)\n"
            CLI_FILTER_HELP
            "  -h, --help         this help\n",
            EMB_DEFAULT_THRESHOLD, EMB_MAX_LIMIT);
}

static emb_lists *open_lists(void *payload, emb_screen_opts *so, char *note, size_t notesz)
{
    (void)so;
    (void)note;
    (void)notesz;
    return cli_open(payload, NULL);
}

int cmd_batch(int argc, char **argv)
{
    static const struct option opts[] = {
        {"list", required_argument, NULL, 'L'}, CLI_INDEX_OPTION,    {"threshold", required_argument, NULL, 't'},
        {"limit", required_argument, NULL, 'n'},   {"threads", required_argument, NULL, 'T'},
        {"format", required_argument, NULL, 'f'},  {"help", no_argument, NULL, 'h'},
        CLI_FILTER_OPTIONS, {NULL, 0, NULL, 0}};
    cli_filters filters;
    memset(&filters, 0, sizeof(filters));
    cli_lists lists = {{0}, 0, NULL};
    emb_screen_opts so = EMB_SCREEN_OPTS_INIT;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = ncpu > 0 ? (unsigned)ncpu : 1;
    int format = -1, c;
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
        case 'I':
        case 'R':
        case 'P':
            if (cli_filters_option(&filters, c, optarg, "batch") < 0)
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
                fprintf(stderr, "embargo batch: --format: expected jsonl or csv\n");
                return 2;
            }
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "embargo batch: exactly one INPUT is required\n\n");
        usage(stderr);
        return 2;
    }
    cli_batch_cfg cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.cmd = "batch";
    cfg.input = argv[optind];
    cfg.format = format;
    cfg.threads = threads;
    cli_filters_apply(&filters, &so);
    cfg.so = so;
    cfg.open_lists = open_lists;
    cfg.payload = &lists;
    return cli_batch_run(&cfg);
}
