/*
 * main.c - the `embargo` command: dispatch to a subcommand.
 */
#include "util/compat.h"
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: embargo <command> [options]\n"
            "\n"
            "Screen names against UN Security Council sanctions lists.\n"
            "\n"
            "commands:\n"
            "  screen [options] NAME   screen one name (table, or --json)\n"
            "  batch [options] INPUT   screen a JSONL or CSV file, one JSON line out per record\n"
            "  lists [--list PATH]...  show the loaded lists: source, date, counts\n"
            "  check [options] FILE    does a shipment fall under a UN Security Council measure?\n"
            "  diff [--json] OLD NEW   entries added, removed and changed between two list files\n"
            "  rescreen --since OLD [--list NEW] INPUT\n"
            "                          screen INPUT only against entries added or changed since OLD\n"
            "  serve [options]         serve the yente-compatible HTTP API (docs/SERVE.md)\n"
            "  index build [LIST]... -o FILE\n"
            "                          save the lists with their index as a snapshot\n"
            "  index info FILE         check a snapshot and show what it holds\n"
            "\n"
            "Without --list, the UN Consolidated List snapshot bundled with embargo is used.\n"
            "Every command that takes --list also takes --index FILE (a snapshot).\n"
            "Run 'embargo <command> --help' for a command's options; 'embargo --version'.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("embargo %s\n", emb_version());
        return 0;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "screen") == 0)
        return cmd_screen(argc - 1, argv + 1);
    if (strcmp(cmd, "batch") == 0)
        return cmd_batch(argc - 1, argv + 1);
    if (strcmp(cmd, "lists") == 0)
        return cmd_lists(argc - 1, argv + 1);
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    if (strcmp(cmd, "diff") == 0)
        return cmd_diff(argc - 1, argv + 1);
    if (strcmp(cmd, "rescreen") == 0)
        return cmd_rescreen(argc - 1, argv + 1);
    if (strcmp(cmd, "serve") == 0)
        return cmd_serve(argc - 1, argv + 1);
    if (strcmp(cmd, "index") == 0)
        return cmd_index(argc - 1, argv + 1);
    fprintf(stderr, "embargo: unknown command '%s'\n\n", cmd);
    usage(stderr);
    return 2;
}
