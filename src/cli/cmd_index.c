/*
 * cmd_index.c - `embargo index build [LIST]... -o FILE` saves a list set with
 * its built index as a snapshot that every other command opens with
 * --index FILE in milliseconds; `embargo index info FILE` opens one (every
 * check included) and shows what it holds.
 */
#include "util/compat.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: embargo index build [LIST]... -o FILE\n"
               "       embargo index info [--json] FILE\n\n"
               "build: load the lists (default: the bundled UN list), build the matching index\n"
               "       and save both to FILE (written beside it, then renamed into place).\n"
               "info:  open FILE, checking its format version, build and every section's hash,\n"
               "       and show the snapshot and its lists.\n"
               "Any command that takes --list takes --index FILE instead.\n");
}

static int build(int argc, char **argv)
{
    static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                         {"list", required_argument, NULL, 'L'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    cli_lists lists = {{0}, 0, NULL};
    const char *out = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'L':
            if (cli_lists_add(&lists, optarg) < 0)
                return 2;
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    for (int i = optind; i < argc; i++)
        if (cli_lists_add(&lists, argv[i]) < 0)
            return 2;
    if (!out) {
        fprintf(stderr, "embargo index build: -o FILE is required\n");
        return 2;
    }
    double t_load = 0;
    emb_lists *ls = cli_open(&lists, &t_load);
    if (!ls)
        return 1;
    double t0 = cli_now_ms();
    int rc = emb_lists_save_index(ls, out);
    double t_save = cli_now_ms() - t0;
    if (rc < 0) {
        fprintf(stderr, "embargo index build: %s (%s)\n", emb_err_last(), emb_strerror(rc));
        emb_lists_free(ls);
        return 1;
    }
    fprintf(stderr, "embargo index build: %zu entities from %zu list(s): loaded and indexed in "
                    "%.0f ms, saved to %s in %.0f ms\n",
            emb_lists_entity_count(ls), emb_lists_count(ls), t_load, out, t_save);
    emb_lists_free(ls);
    return 0;
}

static int info(int argc, char **argv)
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
    if (optind + 1 != argc) {
        fprintf(stderr, "embargo index info: one FILE expected\n");
        return 2;
    }
    cli_lists lists = {{0}, 0, argv[optind]};
    double ms = 0;
    emb_lists *ls = cli_open(&lists, &ms);
    if (!ls)
        return 1;
    emb_index_info ii;
    emb_lists_index_info(ls, &ii);
    emb_buf b;
    emb_buf_init(&b, (size_t)1 << 20);
    if (json) {
        emb_buf_printf(&b, "{\"file\":");
        emb_buf_json_str(&b, argv[optind]);
        emb_buf_printf(&b, ",\"bytes\":%zu,\"written_by\":", ii.bytes);
        emb_buf_json_str(&b, ii.written_by);
        emb_buf_puts(&b, ",\"created\":");
        emb_buf_json_str(&b, ii.created);
        emb_buf_printf(&b, ",\"content_hash\":\"%s\",\"entities\":%zu,\"open_ms\":%.1f,\"lists\":",
                       ii.content_hash, emb_lists_entity_count(ls), ms);
        cli_json_lists(&b, ls);
        emb_buf_puts(&b, "}\n");
    } else {
        emb_buf_printf(&b, "%s: embargo index snapshot, %zu bytes, written by embargo %s at %s\n"
                           "content hash %s; %zu entities; opened and checked in %.1f ms\n",
                       argv[optind], ii.bytes, ii.written_by, ii.created, ii.content_hash,
                       emb_lists_entity_count(ls), ms);
        for (size_t i = 0; i < emb_lists_count(ls); i++) {
            const emb_list_info *li = emb_lists_list(ls, i);
            emb_buf_printf(&b, "  %-8s %-45s %8zu entities  list date %s  (%s)\n", li->id,
                           li->title, li->nentities, li->date ? li->date : "unknown", li->source);
        }
    }
    fputs(emb_buf_cstr(&b), stdout);
    emb_buf_dispose(&b);
    emb_lists_free(ls);
    return 0;
}

int cmd_index(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "build") == 0)
        return build(argc - 1, argv + 1);
    if (strcmp(argv[1], "info") == 0)
        return info(argc - 1, argv + 1);
    fprintf(stderr, "embargo index: unknown subcommand '%s' (build or info)\n", argv[1]);
    return 2;
}
