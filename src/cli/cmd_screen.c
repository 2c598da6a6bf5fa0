/*
 * cmd_screen.c - `embargo screen NAME`: screen one party and print the
 * ranked results as a table (with a one-line reason each) or as JSON.
 */
#include "util/compat.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: embargo screen [options] NAME...\n"
            "\n"
            "Screen a person, organisation or vessel name. Several words are one name.\n"
            "\n"
            "options:\n"
            "  --list PATH        list file to load (repeatable; default: bundled UN list)\n"
            CLI_INDEX_HELP
            "  --schema S         Person, Organization, Company, LegalEntity, Vessel, Thing\n"
            "  --dob D            birth date YYYY, YYYY-MM or YYYY-MM-DD (repeatable)\n"
            "  --country CC       nationality or country: ISO code or English name (repeatable)\n"
            "  --id NUMBER        passport, national id or IMO number (repeatable)\n"
            "  --gender G         male or female\n"
            "  --alias NAME       another name of the same party (repeatable)\n"
            CLI_FILTER_HELP
            "  --threshold T      match threshold, 0..1 (default %.2f)\n"
            "  --limit N          results to show, 1..%d (default 5)\n"
            "  --json             print JSON instead of a table\n"
            "  -h, --help         this help\n",
            EMB_DEFAULT_THRESHOLD, EMB_MAX_LIMIT);
}

/* display width in code points (good enough for a terminal table) */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

static void pad(const char *s, size_t w)
{
    fputs(s, stdout);
    for (size_t i = width(s); i < w; i++)
        putchar(' ');
}

int cmd_screen(int argc, char **argv)
{
    static const struct option opts[] = {
        {"list", required_argument, NULL, 'L'}, CLI_INDEX_OPTION,   {"schema", required_argument, NULL, 's'},
        {"dob", required_argument, NULL, 'd'},    {"country", required_argument, NULL, 'c'},
        {"id", required_argument, NULL, 'i'},     {"gender", required_argument, NULL, 'g'},
        {"alias", required_argument, NULL, 'a'},  {"threshold", required_argument, NULL, 't'},
        {"limit", required_argument, NULL, 'n'},  {"json", no_argument, NULL, 'j'},
        CLI_FILTER_OPTIONS,
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    cli_filters filters;
    memset(&filters, 0, sizeof(filters));
    cli_lists lists = {{0}, 0, NULL};
    const char *names[EMB_QUERY_MAX_VALUES], *dobs[EMB_QUERY_MAX_VALUES];
    const char *countries[EMB_QUERY_MAX_VALUES], *ids[EMB_QUERY_MAX_VALUES];
    size_t nnames = 1, ndobs = 0, ncountries = 0, nids = 0;
    emb_query q = EMB_QUERY_INIT;
    emb_screen_opts so = EMB_SCREEN_OPTS_INIT;
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
        case 's':
            if (emb_qschema_parse(&q.schema, optarg) < 0) {
                fprintf(stderr, "embargo screen: --schema: unknown schema '%s'\n", optarg);
                return 2;
            }
            break;
#define PUSH(arr, n, what)                                                                   \
    if (n >= EMB_QUERY_MAX_VALUES) {                                                         \
        fprintf(stderr, "embargo screen: at most %d %s values\n", EMB_QUERY_MAX_VALUES, what); \
        return 2;                                                                            \
    }                                                                                        \
    arr[n++] = optarg;                                                                       \
    break;
        case 'd': PUSH(dobs, ndobs, "--dob")
        case 'c': PUSH(countries, ncountries, "--country")
        case 'i': PUSH(ids, nids, "--id")
        case 'a': PUSH(names, nnames, "--alias")
        case 'I':
        case 'R':
        case 'P':
            if (cli_filters_option(&filters, c, optarg, "screen") < 0)
                return 2;
            break;
#undef PUSH
        case 'g': q.gender = optarg; break;
        case 't':
            if (cli_parse_double("--threshold", optarg, 0, 1, &so.threshold) < 0)
                return 2;
            break;
        case 'n':
            if (cli_parse_uint("--limit", optarg, 1, EMB_MAX_LIMIT, &so.limit) < 0)
                return 2;
            break;
        case 'j': json = 1; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "embargo screen: a NAME is required\n\n");
        usage(stderr);
        return 2;
    }
    /* the words of the name, joined by spaces */
    emb_buf nb;
    emb_buf_init(&nb, EMB_QUERY_MAX_BYTES);
    for (int i = optind; i < argc; i++)
        if ((i > optind && emb_buf_putc(&nb, ' ') < 0) || emb_buf_puts(&nb, argv[i]) < 0) {
            fprintf(stderr, "embargo screen: NAME longer than %d bytes\n", EMB_QUERY_MAX_BYTES);
            emb_buf_dispose(&nb);
            return 2;
        }
    names[0] = emb_buf_cstr(&nb);
    q.names = names;
    q.nnames = nnames;
    q.birth_dates = dobs;
    q.nbirth_dates = ndobs;
    q.countries = countries;
    q.ncountries = ncountries;
    q.identifiers = ids;
    q.nidentifiers = nids;
    if (so.threshold < so.cutoff)
        so.cutoff = so.threshold;
    cli_filters_apply(&filters, &so);
    /* on the command line a value the engine cannot use is a usage error
     * (batch and library callers get a warning and a screened name instead) */
    for (size_t i = 0; i < ndobs; i++)
        if (emb_check_birth_date(dobs[i]) < 0) {
            fprintf(stderr, "embargo screen: --dob: %s\n", emb_err_last());
            emb_buf_dispose(&nb);
            return 2;
        }
    for (size_t i = 0; i < ncountries; i++)
        if (emb_check_country(countries[i]) < 0) {
            fprintf(stderr, "embargo screen: --country: %s\n", emb_err_last());
            emb_buf_dispose(&nb);
            return 2;
        }

    int ret = 1;
    double load_ms = 0;
    emb_results *r = NULL;
    emb_lists *ls = cli_open(&lists, &load_ms);
    if (!ls)
        goto done;
    double t0 = cli_now_ms();
    int rc = emb_screen(&r, ls, &q, &so);
    double screen_ms = cli_now_ms() - t0;
    if (rc < 0) {
        fprintf(stderr, "embargo screen: %s\n", emb_err_last());
        ret = 2;
        goto done;
    }
    size_t n = emb_results_count(r);
    for (size_t i = 0; i < emb_results_warning_count(r); i++)
        fprintf(stderr, "embargo screen: warning: %s\n", emb_results_warning(r, i));
    if (json) {
        emb_buf b;
        emb_buf_init(&b, (size_t)64 << 20);
        emb_buf_puts(&b, "{\"query\":{\"name\":");
        emb_buf_json_str(&b, names[0]);
        emb_buf_printf(&b, ",\"schema\":\"%s\"},\"threshold\":", q.schema == EMB_Q_THING ? "Thing" :
                       q.schema == EMB_Q_PERSON ? "Person" : q.schema == EMB_Q_ORGANIZATION ?
                       "Organization" : q.schema == EMB_Q_LEGAL_ENTITY ? "LegalEntity" :
                       q.schema == EMB_Q_VESSEL ? "Vessel" : "Airplane");
        cli_json_score(&b, so.threshold);
        emb_buf_puts(&b, ",\"lists\":");
        cli_json_lists(&b, ls);
        emb_buf_printf(&b, ",\"candidates\":%zu", emb_results_candidates(r));
        cli_json_warnings(&b, r);
        emb_buf_puts(&b, ",\"results\":[");
        for (size_t i = 0; i < n; i++) {
            if (i)
                emb_buf_putc(&b, ',');
            cli_json_match(&b, ls, emb_results_get(r, i), 1);
        }
        emb_buf_puts(&b, "]}\n");
        fwrite(emb_buf_cstr(&b), 1, b.len, stdout);
        emb_buf_dispose(&b);
    } else {
        for (size_t i = 0; i < emb_lists_count(ls); i++) {
            const emb_list_info *li = emb_lists_list(ls, i);
            printf("List: %s [%s], generated %s, %zu entries (%s)\n", li->title, li->id,
                   li->date ? li->date : "(date not stated)", li->nentities, li->source);
        }
        printf("Query: \"%s\"  threshold %.2f  (%zu candidates scored, %.2f ms)\n\n", names[0],
               so.threshold, emb_results_candidates(r), screen_ms);
        if (n == 0) {
            printf("No result at or above %.2f.\n", so.cutoff);
        } else {
            size_t wref = 9, wreg = 6, wcap = 11, wname = 12;
            for (size_t i = 0; i < n; i++) {
                const emb_match *m = emb_results_get(r, i);
                size_t w;
                if ((w = width(m->entity->reference ? m->entity->reference : "-")) > wref) wref = w;
                if ((w = width(m->entity->regime ? m->entity->regime : "-")) > wreg) wreg = w;
                if ((w = width(m->entity->caption)) > wcap) wcap = w;
                if ((w = width(m->name->full) + width(emb_name_kind_name(m->name->kind)) + 3) > wname)
                    wname = w;
            }
            printf(" #  SCORE  MATCH  ");
            pad("REFERENCE", wref + 2);
            pad("REGIME", wreg + 2);
            pad("SCHEMA", 14);
            pad("LISTED NAME", wcap + 2);
            printf("MATCHED NAME\n");
            for (size_t i = 0; i < n; i++) {
                const emb_match *m = emb_results_get(r, i);
                char nm[8192];
                snprintf(nm, sizeof(nm), "%s (%s)", m->name->full, emb_name_kind_name(m->name->kind));
                printf("%2zu  %.2f   %-5s  ", i + 1, m->score, m->match ? "yes" : "no");
                pad(m->entity->reference ? m->entity->reference : "-", wref + 2);
                pad(m->entity->regime ? m->entity->regime : "-", wreg + 2);
                pad(emb_schema_name(m->entity->schema), 14);
                pad(m->entity->caption, wcap + 2);
                printf("%s\n", nm);
                printf("    why: %s\n", m->reason);
            }
        }
    }
    ret = 0;
done:
    emb_results_free(r);
    emb_lists_free(ls);
    emb_buf_dispose(&nb);
    return ret;
}
