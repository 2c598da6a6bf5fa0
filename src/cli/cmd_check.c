/*
 * cmd_check.c - `embargo check FILE.json`: does this shipment or
 * transaction fall under a UN Security Council measure? Reads the input
 * document (docs/CHECK.md; '-' is standard input), screens its parties and
 * vessel against the lists (bundled UN list, or --list), and prints the
 * decision with its findings as a table, or the result as JSON (--json).
 *
 * Exit status: 0 when a decision was made (whatever it is), 2 for invalid
 * input or usage (the message names the field), 1 when the run fails.
 */
#include "util/compat.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "embargo_check.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: embargo check [options] FILE.json\n"
            "\n"
            "Decide whether a shipment or transaction described in FILE.json ('-' reads standard\n"
            "input) falls under a UN Security Council measure, citing resolution and paragraph\n"
            "with the data's confidence. Input schema: docs/CHECK.md.\n"
            "\n"
            "options:\n"
            "  --list PATH        list to screen parties against (repeatable; default: bundled UN list)\n"
            CLI_INDEX_HELP
            "  --threshold T      screening match threshold, 0..1 (default %.2f)\n"
            "  --json             print the result as JSON instead of a table\n"
            "  -h, --help         this help\n"
            "\n"
            "Exit status: 0 a decision was made; 2 invalid input; 1 the run failed.\n",
            EMB_DEFAULT_THRESHOLD);
}

/* Read a whole file (or stdin) up to the input cap. Returns 0, 1 (I/O
 * failure) or 2 (too big), with a message printed. */
static int slurp(const char *path, emb_buf *b)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "embargo check: cannot open '%s'\n", path);
        return 1;
    }
    char chunk[65536];
    size_t n;
    int ret = 0;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (emb_buf_append(b, chunk, n) < 0) {
            fprintf(stderr, "embargo check: %s: input larger than %u bytes\n", path,
                    EMB_CHECK_MAX_BYTES);
            ret = 2;
            break;
        }
    if (!ret && ferror(f)) {
        fprintf(stderr, "embargo check: cannot read '%s'\n", path);
        ret = 1;
    }
    if (f != stdin)
        fclose(f);
    return ret;
}

/* Print `s` wrapped at about 96 columns, each line after the first indented. */
static void wrapped(const char *label, const char *s, int indent)
{
    int lead = indent + (int)strlen(label);
    int col = printf("%*s%s", indent, "", label);
    bool first = true;
    const char *p = s;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *sp = strchr(p, ' ');
        int w = sp ? (int)(sp - p) : (int)strlen(p);
        if (!first && col + 1 + w > 96)
            col = printf("\n%*s", lead, "") - 1;
        else if (!first)
            col += printf(" ");
        col += printf("%.*s", w, p);
        first = false;
        p += w;
    }
    printf("\n");
}

static const char *citation(const emb_check_finding *f, char *buf, size_t n)
{
    if (!f->resolution)
        snprintf(buf, n, "(no citation)");
    else if (f->paragraph)
        snprintf(buf, n, "%s para %s", f->resolution, f->paragraph);
    else
        snprintf(buf, n, "%s (para unknown)", f->resolution);
    return buf;
}

static void table(const emb_check_result *r)
{
    emb_decision d = emb_check_decision(r);
    size_t n = emb_check_finding_count(r);
    bool weaker = false;
    for (size_t i = 0; i < n; i++) {
        const emb_check_finding *f = emb_check_finding_get(r, i);
        if (f->applied && f->confidence < emb_check_confidence(r))
            weaker = true;
    }
    printf("Decision:   %s\n", emb_decision_name(d));
    printf("Confidence: %s%s\n", emb_confidence_name(emb_check_confidence(r)),
           weaker ? " (other grounds rest on weaker citations: see below)" : "");
    printf("Date:       %s (rules in force on that date)\n", emb_check_date(r));
    if (n == 0) {
        printf("\nNo measure of the regime data applies to this transaction.\n");
    } else {
        printf("\n #  OUTCOME                    CITATION              CONFIDENCE  KIND           MEASURE\n");
        for (size_t i = 0; i < n; i++) {
            const emb_check_finding *f = emb_check_finding_get(r, i);
            char cit[96];
            const char *out = f->applied ? emb_decision_name(f->outcome) : "(information)";
            printf("%2zu  %-26s %-21s %-11s %-14s %s\n", i + 1, out, citation(f, cit, sizeof(cit)),
                   emb_confidence_name(f->confidence), f->kind, f->measure ? f->measure : "-");
            if (f->resolution && !f->paragraph)
                printf("    paragraph number unknown\n");
            else if (f->confidence == EMB_CONFIDENCE_UNVERIFIED)
                printf("    paragraph number unverified\n");
            if (f->summary)
                wrapped("measure: ", f->summary, 4);
            if (f->trigger)
                wrapped("why: ", f->trigger, 4);
            if (f->inference)
                wrapped("inferred: ", f->inference, 4);
            if (f->hs_code_source && strcmp(f->hs_code_source, "resolution") != 0)
                printf("    HS code: our indicative mapping, not the resolution's words\n");
            for (size_t k = 0; k < f->nconditions; k++)
                wrapped("- ", f->conditions[k], 6);
        }
    }
    size_t ns = emb_check_screened_count(r);
    if (ns)
        printf("\nScreening (match at or above the threshold = designated):\n");
    for (size_t i = 0; i < ns; i++) {
        const emb_check_screened *s = emb_check_screened_get(r, i);
        printf("  %s%s%s%s '%s': ", s->subject, s->role ? " (" : "", s->role ? s->role : "",
               s->role ? ")" : "", s->name);
        size_t shown = 0;
        for (size_t k = 0; k < s->nhits; k++) {
            const emb_check_hit *h = &s->hits[k];
            if (!h->match)
                continue;
            printf("%s%s %s (%s, %s) score %.2f: %s", shown ? "; " : "MATCH ",
                   h->reference ? h->reference : "-", h->caption, h->regime ? h->regime : "-",
                   h->schema, h->score, h->reason);
            shown++;
        }
        if (!shown)
            printf("no match%s", s->nhits ? " (near misses in --json)" : "");
        printf("\n");
    }
    for (size_t i = 0; i < emb_check_note_count(r); i++)
        wrapped("Note: ", emb_check_note(r, i), 0);
}

int cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {
        {"list", required_argument, NULL, 'L'}, CLI_INDEX_OPTION, {"threshold", required_argument, NULL, 't'},
        {"json", no_argument, NULL, 'j'},       {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cli_lists lists = {{0}, 0, NULL};
    emb_check_opts co = EMB_CHECK_OPTS_INIT;
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
        case 't':
            if (cli_parse_double("--threshold", optarg, 0, 1, &co.threshold) < 0)
                return 2;
            break;
        case 'j': json = 1; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "embargo check: exactly one FILE.json (or -) is required\n\n");
        usage(stderr);
        return 2;
    }
    const char *path = argv[optind];
    int ret = 1;
    emb_buf in;
    emb_buf_init(&in, EMB_CHECK_MAX_BYTES);
    emb_regimes *rg = NULL;
    emb_lists *ls = NULL;
    emb_check_result *r = NULL;
    int rc = slurp(path, &in);
    if (rc) {
        ret = rc;
        goto done;
    }
    if ((rc = emb_regimes_open_bundled(&rg)) < 0) {
        fprintf(stderr, "embargo check: cannot load the regime data: %s\n", emb_err_last());
        goto done;
    }
    if (!(ls = cli_open(&lists, NULL)))
        goto done;
    rc = emb_check_ex(&r, rg, ls, in.ptr ? in.ptr : "", in.len, &co);
    if (rc == EMB_EPARSE || rc == EMB_ETOOBIG) {
        fprintf(stderr, "embargo check: %s: %s\n", strcmp(path, "-") == 0 ? "<stdin>" : path,
                emb_err_last());
        ret = 2;
        goto done;
    }
    if (rc < 0) {
        fprintf(stderr, "embargo check: %s (%s)\n", emb_err_last(), emb_strerror(rc));
        goto done;
    }
    if (json) {
        size_t len;
        const char *s = emb_check_result_json(r, &len);
        fwrite(s, 1, len, stdout);
        fputc('\n', stdout);
    } else {
        table(r);
    }
    ret = fflush(stdout) == 0 ? 0 : 1;
done:
    emb_check_result_free(r);
    emb_lists_free(ls);
    emb_regimes_free(rg);
    emb_buf_dispose(&in);
    return ret;
}
