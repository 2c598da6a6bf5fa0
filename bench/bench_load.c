/*
 * bench_load.c - in-process timings of the library (see bench/README.md).
 *
 *   1. emb_lists_open on the bundled UN list, N times, against a bare
 *      libxml2 xmlTextReader pass over the same bytes (every node read, no
 *      model built), interleaved in the same run; min / median / p90 ms.
 *   2. Resident memory (VmRSS, VmHWM from /proc/self/status) before and
 *      after one load, measured before anything else runs.
 *   3. emb_screen latency, single-threaded, over the full_name (and
 *      date_of_birth, nationality) columns of a CSV file such as the
 *      OpenSanctions positives: queries/s, p50 and p99 in microseconds.
 *
 * Prints markdown tables to stdout.
 *
 * usage: bench_load [-n LOADS] [-r PASSES] [QUERIES.csv]
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>
#include <libxml/xmlreader.h>
#include "embargo.h"

/* Same parser options as the UN loader (src/load/un_xml.c). */
#define BASE_XML_OPTIONS \
    (XML_PARSE_NONET | XML_PARSE_IGNORE_ENC | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT)

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted v[0..n). */
static double pct(const double *v, size_t n, double p)
{
    if (n == 0)
        return 0;
    size_t k = (size_t)(p * (double)n + 0.999999);
    if (k < 1)
        k = 1;
    if (k > n)
        k = n;
    return v[k - 1];
}

/* VmRSS and VmHWM in KiB; -1 when unavailable. */
static void read_mem(long *rss, long *hwm)
{
    *rss = *hwm = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return;
    char line[256];
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, "VmRSS:", 6) == 0)
            *rss = strtol(line + 6, NULL, 10);
        else if (strncmp(line, "VmHWM:", 6) == 0)
            *hwm = strtol(line + 6, NULL, 10);
    }
    fclose(f);
}

static void die(const char *what, int rc)
{
    fprintf(stderr, "bench_load: %s: %s (%s)\n", what, emb_err_last(), emb_strerror(rc));
    exit(1);
}

/* A bare pass: read every node of the document, build nothing. Returns the
 * node count, or -1 on a parse error. */
static long xml_pass(const emb_source *src)
{
    xmlTextReaderPtr r = xmlReaderForMemory(src->data, (int)src->len, src->path, NULL,
                                            BASE_XML_OPTIONS);
    if (!r)
        return -1;
    long n = 0;
    int rc;
    while ((rc = xmlTextReaderRead(r)) == 1)
        n++;
    xmlFreeTextReader(r);
    return rc == 0 ? n : -1;
}

/* ---- a minimal RFC 4180 reader: the whole file into rows of fields ---- */

typedef struct row {
    char **f;
    size_t nf;
} row;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = 0;
    *len = n;
    return buf;
}

static void *xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size);
    if (!q) {
        perror("bench_load");
        exit(1);
    }
    return q;
}

/* Parses buf in place. */
static row *csv_parse(char *buf, size_t len, size_t *nrows)
{
    row *rows = NULL;
    size_t n = 0, cap = 0;
    char *p = buf, *end = buf + len;
    while (p < end) {
        row r = { NULL, 0 };
        size_t fcap = 0;
        for (;;) {
            char *start = p, *w = p;
            if (p < end && *p == '"') {
                p++;
                while (p < end) {
                    if (*p == '"' && p + 1 < end && p[1] == '"') {
                        *w++ = '"';
                        p += 2;
                    } else if (*p == '"') {
                        p++;
                        break;
                    } else {
                        *w++ = *p++;
                    }
                }
                while (p < end && *p != ',' && *p != '\n')
                    p++;
            } else {
                while (p < end && *p != ',' && *p != '\n')
                    w = ++p;
                if (w > start && w[-1] == '\r')
                    w--;
            }
            char sep = p < end ? *p : '\n';
            *w = 0;
            if (r.nf == fcap) {
                fcap = fcap ? fcap * 2 : 16;
                r.f = xrealloc(r.f, fcap * sizeof(char *));
            }
            r.f[r.nf++] = start;
            p++;
            if (sep == '\n')
                break;
        }
        if (!(r.nf == 1 && r.f[0][0] == 0)) {
            if (n == cap) {
                cap = cap ? cap * 2 : 256;
                rows = xrealloc(rows, cap * sizeof(row));
            }
            rows[n++] = r;
        } else {
            free(r.f);
        }
    }
    *nrows = n;
    return rows;
}

static int column(const row *hdr, const char *name)
{
    for (size_t i = 0; i < hdr->nf; i++)
        if (strcmp(hdr->f[i], name) == 0)
            return (int)i;
    return -1;
}

static const char *field(const row *r, int c)
{
    return c >= 0 && (size_t)c < r->nf && r->f[c][0] ? r->f[c] : NULL;
}

/* ---- screening ---------------------------------------------------------- */

#define NSLOW 3
static struct {
    size_t i;
    double us;
} slow[NSLOW];

typedef struct qset {
    const char **name, **dob, **cc;
    size_t n;
} qset;

static void bench_screen(const emb_lists *ls, const qset *qs, int with_extra, int passes,
                         const char *label)
{
    emb_screen_opts so = EMB_SCREEN_OPTS_INIT;
    size_t total = qs->n * (size_t)passes;
    double *lat = malloc((total ? total : 1) * sizeof(double));
    if (!lat) {
        perror("bench_load");
        exit(1);
    }
    double *best = malloc((qs->n ? qs->n : 1) * sizeof(double));   /* per query, min over passes */
    if (!best) {
        perror("bench_load");
        exit(1);
    }
    for (size_t i = 0; i < qs->n; i++)
        best[i] = 1e300;
    size_t nlat = 0, errors = 0, cands = 0;
    double wall = 0;
    long minflt0 = 0;
    for (int pass = -1; pass < passes; pass++) {   /* pass -1: warm-up, not timed */
        if (pass == 0) {
            struct rusage ru;
            getrusage(RUSAGE_SELF, &ru);
            minflt0 = ru.ru_minflt;
        }
        for (size_t i = 0; i < qs->n; i++) {
            emb_query q = EMB_QUERY_INIT;
            const char *names[1] = { qs->name[i] }, *dobs[1] = { qs->dob[i] },
                       *ccs[1] = { qs->cc[i] };
            q.names = names;
            q.nnames = 1;
            if (with_extra && qs->dob[i]) {
                q.birth_dates = dobs;
                q.nbirth_dates = 1;
            }
            if (with_extra && qs->cc[i]) {
                q.countries = ccs;
                q.ncountries = 1;
            }
            emb_results *res = NULL;
            double t0 = now_us();
            int rc = emb_screen(&res, ls, &q, &so);
            size_t c = rc == EMB_OK ? emb_results_candidates(res) : 0;
            emb_results_free(res);
            double dt = now_us() - t0;
            if (pass < 0)
                continue;
            lat[nlat++] = dt;
            wall += dt;
            if (dt < best[i])
                best[i] = dt;
            cands += c;
            errors += rc != EMB_OK;
        }
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double faults = nlat ? (double)(ru.ru_minflt - minflt0) / (double)nlat : 0.0;
    qsort(lat, nlat, sizeof(double), cmp_double);
    printf("| %s | %zu × %d | %.0f | %.0f | %.0f | %.0f | %.1f | %.0f | %zu |\n", label, qs->n, passes,
           wall > 0 ? (double)nlat * 1e6 / wall : 0.0, pct(lat, nlat, 0.50), pct(lat, nlat, 0.99),
           nlat ? lat[nlat - 1] : 0.0, nlat ? (double)cands / (double)nlat : 0.0, faults,
           errors / (size_t)(passes > 0 ? passes : 1));
    /* the slowest queries (by their fastest pass), for the text under the table */
    for (int k = 0; k < NSLOW; k++) {
        size_t arg = (size_t)-1;
        for (size_t i = 0; i < qs->n; i++) {
            int taken = 0;
            for (int j = 0; j < k; j++)
                taken |= slow[j].i == i;
            if (!taken && (arg == (size_t)-1 || best[i] > best[arg]))
                arg = i;
        }
        slow[k].i = arg;
        slow[k].us = arg == (size_t)-1 ? 0 : best[arg];
    }
    free(best);
    free(lat);
}

int main(int argc, char **argv)
{
    int nloads = 20, passes = 5, opt;
    while ((opt = getopt(argc, argv, "n:r:h")) != -1) {
        switch (opt) {
        case 'n': nloads = atoi(optarg); break;
        case 'r': passes = atoi(optarg); break;
        default:
            fprintf(stderr, "usage: bench_load [-n LOADS] [-r PASSES] [QUERIES.csv]\n");
            return opt == 'h' ? 0 : 2;
        }
    }
    if (nloads < 1 || passes < 1) {
        fprintf(stderr, "bench_load: -n and -r must be at least 1\n");
        return 2;
    }
    const char *qpath = optind < argc ? argv[optind] : NULL;

    emb_source src = emb_bundled_un_list();

    /* Memory first, before the timing loops inflate the high-water mark. */
    long rss0, hwm0, rss1, hwm1;
    read_mem(&rss0, &hwm0);
    emb_lists *ls = NULL;
    int rc = emb_lists_open(&ls, &src, 1);
    if (rc != EMB_OK)
        die("emb_lists_open", rc);
    read_mem(&rss1, &hwm1);
    const emb_list_info *li = emb_lists_list(ls, 0);

    /* Warm-up of the XML pass, then both steps interleaved. */
    long nodes = xml_pass(&src);
    if (nodes < 0) {
        fprintf(stderr, "bench_load: bare XML pass failed\n");
        return 1;
    }
    double *t_load = calloc((size_t)nloads, sizeof(double));
    double *t_xml = calloc((size_t)nloads, sizeof(double));
    if (!t_load || !t_xml) {
        perror("bench_load");
        return 1;
    }
    for (int i = 0; i < nloads; i++) {
        double t0 = now_us();
        if (xml_pass(&src) < 0)
            return 1;
        double t1 = now_us();
        emb_lists *tmp = NULL;
        rc = emb_lists_open(&tmp, &src, 1);
        double t2 = now_us();
        if (rc != EMB_OK)
            die("emb_lists_open", rc);
        emb_lists_free(tmp);
        t_xml[i] = (t1 - t0) / 1000.0;
        t_load[i] = (t2 - t1) / 1000.0;
    }
    qsort(t_xml, (size_t)nloads, sizeof(double), cmp_double);
    qsort(t_load, (size_t)nloads, sizeof(double), cmp_double);
    double mx = pct(t_xml, (size_t)nloads, 0.5), ml = pct(t_load, (size_t)nloads, 0.5);

    printf("### List load: bundled UN list, in-process, %d runs\n\n", nloads);
    printf("List: %s, generated %s, %zu entries, %.1f MiB of XML, %ld XML nodes.\n\n",
           li->id, li->date ? li->date : "?", li->nentities, (double)src.len / 1048576.0, nodes);
    printf("| step | min ms | median ms | p90 ms | median / XML pass |\n");
    printf("|---|---:|---:|---:|---:|\n");
    printf("| bare XML pass (xmlTextReader, every node, no model) | %.1f | %.1f | %.1f | 1.0 |\n",
           t_xml[0], mx, pct(t_xml, (size_t)nloads, 0.9));
    printf("| emb_lists_open (parse + model + index) | %.1f | %.1f | %.1f | %.1f |\n\n", t_load[0],
           ml, pct(t_load, (size_t)nloads, 0.9), mx > 0 ? ml / mx : 0.0);
    printf("| memory (/proc/self/status) | MiB |\n|---|---:|\n");
    printf("| VmRSS before the first load | %.1f |\n", (double)rss0 / 1024.0);
    printf("| VmRSS with one list set loaded | %.1f |\n", (double)rss1 / 1024.0);
    printf("| VmHWM (peak) after that load | %.1f |\n", (double)hwm1 / 1024.0);
    printf("| growth of VmRSS from the load | %.1f |\n\n", (double)(rss1 - rss0) / 1024.0);
    fflush(stdout);

    if (qpath) {
        size_t len;
        char *buf = slurp(qpath, &len);
        if (!buf) {
            fprintf(stderr, "bench_load: %s: %s\n", qpath, strerror(errno));
            return 1;
        }
        size_t nrows;
        row *rows = csv_parse(buf, len, &nrows);
        if (nrows < 2) {
            fprintf(stderr, "bench_load: %s: no data rows\n", qpath);
            return 1;
        }
        int cn = column(&rows[0], "full_name"), cd = column(&rows[0], "date_of_birth"),
            cc = column(&rows[0], "nationality");
        if (cn < 0)
            cn = column(&rows[0], "name");
        if (cn < 0) {
            fprintf(stderr, "bench_load: %s: no full_name or name column\n", qpath);
            return 1;
        }
        qset qs;
        qs.n = 0;
        qs.name = calloc(nrows, sizeof(char *));
        qs.dob = calloc(nrows, sizeof(char *));
        qs.cc = calloc(nrows, sizeof(char *));
        if (!qs.name || !qs.dob || !qs.cc) {
            perror("bench_load");
            return 1;
        }
        for (size_t i = 1; i < nrows; i++) {
            if (!field(&rows[i], cn))
                continue;
            qs.name[qs.n] = field(&rows[i], cn);
            qs.dob[qs.n] = field(&rows[i], cd);
            qs.cc[qs.n] = field(&rows[i], cc);
            qs.n++;
        }
        printf("### emb_screen, one thread, default options (threshold %.2f, cutoff 0.50, "
               "limit 5)\n\n",
               EMB_DEFAULT_THRESHOLD);
        printf("Latency of emb_screen + emb_results_free per call; one untimed warm-up pass.\n\n");
        printf("| query fields | calls | queries/s | p50 µs | p99 µs | max µs | candidates/query "
               "| page faults/query | errors/pass |\n");
        printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        bench_screen(ls, &qs, 0, passes, "name");
        bench_screen(ls, &qs, 1, passes, "name + birth date + nationality");
        printf("\nSlowest names (fastest of %d passes, name + birth date + nationality):", passes);
        for (int k = 0; k < NSLOW; k++)
            if (slow[k].i != (size_t)-1)
                printf("%s %s (%.1f ms)", k ? ";" : "", qs.name[slow[k].i], slow[k].us / 1000.0);
        printf(".\n\n");
        free(qs.name);
        free(qs.dob);
        free(qs.cc);
        for (size_t i = 0; i < nrows; i++)
            free(rows[i].f);
        free(rows);
        free(buf);
    }
    emb_lists_free(ls);
    free(t_load);
    free(t_xml);
    xmlCleanupParser();
    return 0;
}
