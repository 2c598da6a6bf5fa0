/*
 * cli.h - shared pieces of the command line: loading the list set named by
 * --list options (or the bundled UN snapshot), and rendering results as
 * JSON or as a table. Commands live in cmd_*.c; main.c dispatches.
 */
#ifndef EMB_CLI_H
#define EMB_CLI_H

#include "embargo.h"
#include "util/buf.h"

#define CLI_MAX_LISTS 64

typedef struct cli_lists {
    const char *paths[CLI_MAX_LISTS];
    size_t n;
    const char *index;   /* --index FILE: a snapshot instead of the lists */
} cli_lists;

/* Add a --list PATH; returns 0, or -1 with a message when too many. */
int cli_lists_add(cli_lists *l, const char *path);
/* Set --index FILE; returns 0, or -1 with a message when given twice. */
int cli_lists_index(cli_lists *l, const char *path);
/* Open the snapshot of --index, or the lists (the bundled UN list when none
 * were given). Prints the error and returns NULL on failure, also when
 * --index and --list are both given. */
emb_lists *cli_open(const cli_lists *l, double *ms);

/* --index in the getopt_long tables of the commands that take --list. */
#define CLI_INDEX_OPTION {"index", required_argument, NULL, 'X'}
#define CLI_INDEX_HELP                                                                        \
    "  --index FILE       open an index snapshot (embargo index build) instead of --list\n"

/* The result filters every screening command takes: --list-id, --regime,
 * --program (options 'I', 'R', 'P' in getopt_long tables). */
typedef struct cli_filters {
    const char *lists[EMB_QUERY_MAX_VALUES];
    const char *regimes[EMB_QUERY_MAX_VALUES];
    const char *programs[EMB_QUERY_MAX_VALUES];
    size_t nlists, nregimes, nprograms;
} cli_filters;

#define CLI_FILTER_OPTIONS                                                                    \
    {"list-id", required_argument, NULL, 'I'}, {"regime", required_argument, NULL, 'R'},      \
        {"program", required_argument, NULL, 'P'}
#define CLI_FILTER_HELP                                                                       \
    "  --list-id ID       only entries of this loaded list, e.g. un, ofac (repeatable)\n"      \
    "  --regime R         only entries of this regime, e.g. DPRK (repeatable)\n"               \
    "  --program P        only entries with this programme, e.g. DPRK3 (repeatable)\n"

/* Take option c if it is a filter: 1 when taken, 0 when c is another
 * option, -1 (message printed) when a filter has too many values. */
int cli_filters_option(cli_filters *f, int c, const char *arg, const char *cmd);
/* Point the screening options at the filters (f must outlive so). */
void cli_filters_apply(const cli_filters *f, emb_screen_opts *so);

/* Parse a number option; prints an error naming the option on failure. */
int cli_parse_double(const char *opt, const char *s, double lo, double hi, double *out);
int cli_parse_uint(const char *opt, const char *s, unsigned lo, unsigned hi, unsigned *out);

/* JSON rendering of one result (full explanation when `full`). */
int cli_json_match(emb_buf *b, const emb_lists *ls, const emb_match *m, int full);
/* A score as a JSON number with up to 4 decimals. */
int cli_json_score(emb_buf *b, double s);
/* ,"warnings":[...] when the results carry warnings; nothing otherwise. */
int cli_json_warnings(emb_buf *b, const emb_results *r);
/* JSON description of the loaded lists: [{"id":..., "date":...}, ...] */
int cli_json_lists(emb_buf *b, const emb_lists *ls);

double cli_now_ms(void);

/* The batch engine (batch_run.c), shared by `batch` and `rescreen`: one JSON
 * line per input record on stdout, in order; a summary line on stderr. */
#define EMB_BATCH_MAX_THREADS 256
typedef struct cli_batch_cfg {
    const char *cmd;          /* command name for messages: "batch" */
    const char *input;        /* path, or "-" for standard input */
    int format;               /* -1: detect, 0: jsonl, 1: csv */
    unsigned threads;         /* 1..EMB_BATCH_MAX_THREADS */
    emb_screen_opts so;
    /* Called once the input is open: load the lists (NULL after printing the
     * error on failure). It may set filters in *so and write a note that is
     * appended to the summary line. The engine frees the returned set. */
    emb_lists *(*open_lists)(void *payload, emb_screen_opts *so, char *note, size_t notesz);
    void *payload;
} cli_batch_cfg;
/* Returns the exit status: 0, or 1 when the run itself failed. */
int cli_batch_run(const cli_batch_cfg *cfg);

int cmd_screen(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_lists(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_rescreen(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_index(int argc, char **argv);

#endif
