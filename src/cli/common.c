/*
 * common.c - helpers shared by the commands: list loading, option parsing,
 * and the JSON shape of a result (the contract other tools read: keys are
 * only ever added, never renamed).
 */
#include "util/compat.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli/cli.h"

double cli_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int cli_lists_add(cli_lists *l, const char *path)
{
    if (l->n >= CLI_MAX_LISTS) {
        fprintf(stderr, "embargo: at most %d --list options\n", CLI_MAX_LISTS);
        return -1;
    }
    l->paths[l->n++] = path;
    return 0;
}

int cli_lists_index(cli_lists *l, const char *path)
{
    if (l->index) {
        fprintf(stderr, "embargo: --index given twice\n");
        return -1;
    }
    l->index = path;
    return 0;
}

emb_lists *cli_open(const cli_lists *l, double *ms)
{
    emb_source src[CLI_MAX_LISTS];
    size_t n = 0;
    if (l->index) {
        if (l->n) {
            fprintf(stderr, "embargo: --index and --list cannot be combined: a snapshot holds "
                            "its lists (rebuild it with embargo index build)\n");
            return NULL;
        }
        double t0 = cli_now_ms();
        emb_lists *ls = NULL;
        int rc = emb_lists_open_index(&ls, l->index);
        if (ms)
            *ms = cli_now_ms() - t0;
        if (rc < 0) {
            fprintf(stderr, "embargo: cannot open index: %s (%s)\n", emb_err_last(),
                    emb_strerror(rc));
            return NULL;
        }
        return ls;
    }
    if (l->n == 0) {
        src[n++] = emb_bundled_un_list();
    } else {
        for (size_t i = 0; i < l->n; i++) {
            src[n].path = l->paths[i];
            src[n].data = NULL;
            src[n].len = 0;
            n++;
        }
    }
    double t0 = cli_now_ms();
    emb_lists *ls = NULL;
    int rc = emb_lists_open(&ls, src, n);
    if (ms)
        *ms = cli_now_ms() - t0;
    if (rc < 0) {
        fprintf(stderr, "embargo: cannot load lists: %s (%s)\n", emb_err_last(), emb_strerror(rc));
        return NULL;
    }
    return ls;
}

int cli_parse_double(const char *opt, const char *s, double lo, double hi, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || !end || *end || end == s || !(v >= lo && v <= hi)) {
        fprintf(stderr, "embargo: %s: expected a number from %g to %g, got '%s'\n", opt, lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_parse_uint(const char *opt, const char *s, unsigned lo, unsigned hi, unsigned *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || !end || *end || end == s || s[0] == '-' || v < lo || v > hi) {
        fprintf(stderr, "embargo: %s: expected a whole number from %u to %u, got '%s'\n", opt, lo,
                hi, s);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

int cli_json_score(emb_buf *b, double s)
{
    char tmp[32];
    snprintf(tmp, sizeof(tmp), "%.4f", s);
    size_t n = strlen(tmp);
    while (n > 3 && tmp[n - 1] == '0')
        n--;
    return emb_buf_append(b, tmp, n);
}

static void kv_str(emb_buf *b, const char *k, const char *v)
{
    emb_buf_printf(b, ",\"%s\":", k);
    if (v)
        emb_buf_json_str(b, v);
    else
        emb_buf_puts(b, "null");
}

int cli_json_match(emb_buf *b, const emb_lists *ls, const emb_match *m, int full)
{
    const emb_entity *e = m->entity;
    const emb_list_info *li = emb_lists_list(ls, e->list_index);
    emb_buf_puts(b, "{\"id\":");
    emb_buf_json_str(b, e->id);
    kv_str(b, "list", e->list);
    kv_str(b, "reference", e->reference);
    kv_str(b, "caption", e->caption);
    kv_str(b, "schema", emb_schema_name(e->schema));
    emb_buf_puts(b, ",\"score\":");
    cli_json_score(b, m->score);
    emb_buf_printf(b, ",\"match\":%s", m->match ? "true" : "false");
    kv_str(b, "regime", e->regime);
    kv_str(b, "matched_name", m->name->full);
    kv_str(b, "matched_name_kind", emb_name_kind_name(m->name->kind));
    kv_str(b, "reason", m->reason);
    if (full) {
        kv_str(b, "program", e->program);
        kv_str(b, "listed_on", e->listed_on);
        kv_str(b, "list_date", li ? li->date : NULL);
        kv_str(b, "query_name", m->query_name);
        emb_buf_puts(b, ",\"name_score\":");
        cli_json_score(b, m->name_score);
        emb_buf_puts(b, ",\"explanation\":{\"alignment\":[");
        for (size_t i = 0; i < m->nalign; i++) {
            const emb_align *a = &m->align[i];
            emb_buf_printf(b, "%s{\"kind\":\"%s\"", i ? "," : "", emb_align_kind_name(a->kind));
            kv_str(b, "query", a->query);
            kv_str(b, "listed", a->listed);
            emb_buf_puts(b, ",\"score\":");
            cli_json_score(b, a->score);
            emb_buf_puts(b, ",\"weight\":");
            cli_json_score(b, a->weight);
            if (a->kind == EMB_ALIGN_FUZZY)
                emb_buf_printf(b, ",\"edits\":%d", a->edits);
            emb_buf_puts(b, "}");
        }
        emb_buf_puts(b, "],\"evidence\":[");
        for (size_t i = 0; i < m->nevidence; i++) {
            const emb_evidence *v = &m->evidence[i];
            emb_buf_printf(b, "%s{\"field\":\"%s\",\"outcome\":\"%s\"", i ? "," : "",
                           emb_evidence_field_name(v->field), emb_evidence_outcome_name(v->outcome));
            kv_str(b, "query", v->query);
            kv_str(b, "listed", v->listed);
            emb_buf_puts(b, ",\"effect\":");
            cli_json_score(b, v->effect);
            emb_buf_puts(b, "}");
        }
        emb_buf_puts(b, "]}");
    }
    return emb_buf_puts(b, "}");
}

int cli_json_lists(emb_buf *b, const emb_lists *ls)
{
    emb_buf_puts(b, "[");
    for (size_t i = 0; i < emb_lists_count(ls); i++) {
        const emb_list_info *li = emb_lists_list(ls, i);
        emb_buf_printf(b, "%s{\"id\":", i ? "," : "");
        emb_buf_json_str(b, li->id);
        kv_str(b, "title", li->title);
        kv_str(b, "format", li->format);
        kv_str(b, "source", li->source);
        kv_str(b, "date", li->date);
        emb_buf_printf(b, ",\"entities\":%zu}", li->nentities);
    }
    return emb_buf_puts(b, "]");
}

int cli_json_warnings(emb_buf *b, const emb_results *r)
{
    size_t n = emb_results_warning_count(r);
    if (!n)
        return 0;
    emb_buf_puts(b, ",\"warnings\":[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            emb_buf_putc(b, ',');
        emb_buf_json_str(b, emb_results_warning(r, i));
    }
    return emb_buf_puts(b, "]");
}

int cli_filters_option(cli_filters *f, int c, const char *arg, const char *cmd)
{
    const char **arr;
    size_t *n;
    switch (c) {
    case 'I': arr = f->lists; n = &f->nlists; break;
    case 'R': arr = f->regimes; n = &f->nregimes; break;
    case 'P': arr = f->programs; n = &f->nprograms; break;
    default: return 0;
    }
    if (*n >= EMB_QUERY_MAX_VALUES) {
        fprintf(stderr, "embargo %s: at most %d values per filter\n", cmd, EMB_QUERY_MAX_VALUES);
        return -1;
    }
    arr[(*n)++] = arg;
    return 1;
}

void cli_filters_apply(const cli_filters *f, emb_screen_opts *so)
{
    so->lists = f->lists;
    so->nlists = f->nlists;
    so->regimes = f->regimes;
    so->nregimes = f->nregimes;
    so->programs = f->programs;
    so->nprograms = f->nprograms;
}
