/*
 * batch_run.c - the batch engine shared by `embargo batch` and `embargo
 * rescreen`: read a JSONL or CSV file, write exactly one JSON line per input
 * record to stdout, in input order.
 *
 * Records are read in chunks (EMB_BATCH_CHUNK at a time, so memory does not
 * grow with the input); worker threads parse and screen the records of a
 * chunk, each into its own output slot; the main thread then writes the
 * chunk's lines in order. A malformed record becomes an {"id", "error"} line
 * and the run goes on. The exit status is 0 unless the run itself fails
 * (lists or input cannot be read). The lists are loaded through a callback
 * once the input is open, so a missing input fails before a slow load.
 */
#include "util/compat.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/cli.h"
#include "io/query_in.h"

#define EMB_BATCH_CHUNK 512

typedef struct rec {
    emb_buf text;      /* the record, or empty when read failed */
    size_t line;       /* first physical line of the record */
    int read_rc;       /* < 0: the record could not be read (too long) */
    emb_buf out;       /* the output line */
    int matched;       /* at least one result with match = true */
    int error;
} rec;

typedef struct batch {
    const emb_lists *ls;
    emb_screen_opts so;
    int csv;
    emb_csv_header hdr;
    rec *recs;
    size_t nrecs;
    atomic_size_t next;
} batch;

static void error_line(rec *r, const char *id, const char *msg)
{
    emb_buf_clear(&r->out);
    emb_buf_puts(&r->out, "{\"id\":");
    if (id)
        emb_buf_json_str(&r->out, id);
    else
        emb_buf_puts(&r->out, "null");
    char pre[64];
    snprintf(pre, sizeof(pre), "line %zu: ", r->line);
    emb_buf tmp;
    emb_buf_init(&tmp, 8192);
    emb_buf_puts(&tmp, pre);
    emb_buf_puts(&tmp, msg);
    emb_buf_puts(&r->out, ",\"error\":");
    emb_buf_json_str(&r->out, emb_buf_cstr(&tmp));
    emb_buf_puts(&r->out, "}\n");
    emb_buf_dispose(&tmp);
    r->error = 1;
}

static void process(batch *b, rec *r)
{
    emb_qrec q;
    emb_qrec_init(&q);
    emb_results *res = NULL;
    r->error = 0;
    r->matched = 0;
    emb_buf_clear(&r->out);
    if (r->read_rc < 0) {
        error_line(r, NULL, r->read_rc == EMB_ETOOBIG ? "record longer than 1 MiB"
                                                      : "cannot read record");
        goto done;
    }
    size_t k = 0;
    while (k < r->text.len && (r->text.ptr[k] == ' ' || r->text.ptr[k] == '\t'))
        k++;
    if (k == r->text.len) {
        /* one output line per input line, blank ones included */
        error_line(r, NULL, "empty line");
        goto done;
    }
    int rc = b->csv ? emb_qrec_from_csv(&q, &b->hdr, emb_buf_cstr(&r->text), r->text.len)
                    : emb_qrec_from_json(&q, emb_buf_cstr(&r->text), r->text.len);
    if (rc < 0) {
        error_line(r, q.id, emb_err_last());
        goto done;
    }
    rc = emb_screen(&res, b->ls, &q.q, &b->so);
    if (rc < 0) {
        error_line(r, q.id, emb_err_last());
        goto done;
    }
    emb_buf_puts(&r->out, "{\"id\":");
    if (q.id)
        emb_buf_json_str(&r->out, q.id);
    else
        emb_buf_puts(&r->out, "null");
    emb_buf_puts(&r->out, ",\"results\":[");
    for (size_t i = 0; i < emb_results_count(res); i++) {
        const emb_match *m = emb_results_get(res, i);
        if (i)
            emb_buf_putc(&r->out, ',');
        cli_json_match(&r->out, b->ls, m, 0);
        r->matched |= m->match;
    }
    emb_buf_puts(&r->out, "]");
    cli_json_warnings(&r->out, res);
    emb_buf_puts(&r->out, "}\n");
done:
    emb_results_free(res);
    emb_qrec_dispose(&q);
}

static void *worker(void *arg)
{
    batch *b = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&b->next, 1);
        if (i >= b->nrecs)
            break;
        process(b, &b->recs[i]);
    }
    return NULL;
}

static void progress(size_t done, double ms, long pos, long total)
{
    double rate = ms > 0 ? (double)done * 1000.0 / ms : 0;
    if (total > 0 && pos >= 0) {
        double frac = (double)pos / (double)total;
        int bars = (int)(frac * 30);
        double eta = frac > 0 ? ms / 1000.0 * (1.0 - frac) / frac : 0;
        fprintf(stderr, "\r[");
        for (int i = 0; i < 30; i++)
            fputc(i < bars ? '#' : '.', stderr);
        fprintf(stderr, "] %3.0f%%  %zu queries  %.0f q/s  ETA %.0f s   ", frac * 100, done, rate,
                eta);
    } else {
        fprintf(stderr, "\r%zu queries  %.0f q/s   ", done, rate);
    }
}

int cli_batch_run(const cli_batch_cfg *cfg)
{
    batch b;
    memset(&b, 0, sizeof(b));
    emb_screen_opts so = cfg->so;
    unsigned threads = cfg->threads ? cfg->threads : 1;
    int format = cfg->format;
    const char *cmdname = cfg->cmd;
    char note[256] = "";
    emb_lists *ls = NULL;
    if (so.threshold < so.cutoff)
        so.cutoff = so.threshold;
    const char *input = cfg->input;
    FILE *in = strcmp(input, "-") == 0 ? stdin : fopen(input, "rb");
    if (!in) {
        fprintf(stderr, "embargo %s: %s: cannot open\n", cmdname, input);
        return 1;
    }
    long total = -1;
    struct stat st;
    if (in != stdin && fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode))
        total = (long)st.st_size;
    /* detect the format from the first significant byte */
    int ch;
    size_t lead_lines = 0;   /* blank lines before the first record */
    while ((ch = fgetc(in)) != EOF && (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'))
        lead_lines += ch == '\n';
    if (ch != EOF)
        ungetc(ch, in);
    if (format < 0)
        format = ch == '{' ? 0 : 1;
    b.csv = format == 1;

    int ret = 1;
    size_t line = 0, nq = 0, nmatch = 0, nerr = 0;
    double t0 = cli_now_ms();
    ls = cfg->open_lists(cfg->payload, &so, note, sizeof(note));
    if (!ls)
        goto done;
    b.ls = ls;
    b.so = so;
    b.recs = calloc(EMB_BATCH_CHUNK, sizeof(rec));
    if (!b.recs)
        goto done;
    for (size_t i = 0; i < EMB_BATCH_CHUNK; i++) {
        emb_buf_init(&b.recs[i].text, EMB_QREC_MAX_BYTES);
        emb_buf_init(&b.recs[i].out, (size_t)16 << 20);
    }
    if (b.csv) {
        emb_buf hb;
        emb_buf_init(&hb, EMB_QREC_MAX_BYTES);
        size_t lines = 0;
        int rc = emb_csv_read_record(in, &hb, &lines);
        lead_lines += lines;
        if (rc <= 0 || emb_csv_header_parse(&b.hdr, emb_buf_cstr(&hb), hb.len) < 0) {
            fprintf(stderr, "embargo %s: %s: line %zu: bad CSV header: %s\n", cmdname, input,
                    lead_lines, rc <= 0 ? "empty input or unreadable header" : emb_err_last());
            emb_buf_dispose(&hb);
            goto done;
        }
        emb_buf_dispose(&hb);
    }
    line = lead_lines;
    if (!b.csv) {
        /* blank lines consumed by the format check still get their error line */
        for (size_t i = 0; i < lead_lines; i++) {
            printf("{\"id\":null,\"error\":\"line %zu: empty line\"}\n", i + 1);
            nq++;
            nerr++;
        }
    }
    int tty = isatty(2);
    double last = 0;
    for (;;) {
        b.nrecs = 0;
        int eof = 0;
        while (b.nrecs < EMB_BATCH_CHUNK) {
            rec *r = &b.recs[b.nrecs];
            emb_buf_clear(&r->text);
            size_t lines = 1;
            int rc = b.csv ? emb_csv_read_record(in, &r->text, &lines) : emb_read_line(in, &r->text);
            if (rc == 0) {
                eof = 1;
                break;
            }
            r->line = line + 1;
            line += lines ? lines : 1;
            r->read_rc = rc < 0 ? rc : 0;
            if (rc == EMB_EPARSE && b.csv) {
                /* unterminated quote at end of input: report it, then stop */
                r->read_rc = EMB_EPARSE;
                b.nrecs++;
                eof = 1;
                break;
            }
            b.nrecs++;
        }
        atomic_store(&b.next, 0);
        unsigned nt = threads;
        if (nt > b.nrecs)
            nt = (unsigned)b.nrecs;
        pthread_t tids[EMB_BATCH_MAX_THREADS];
        unsigned started = 0;
        for (unsigned t = 1; t < nt; t++)
            if (pthread_create(&tids[started], NULL, worker, &b) == 0)
                started++;
        worker(&b);
        for (unsigned t = 0; t < started; t++)
            pthread_join(tids[t], NULL);
        for (size_t i = 0; i < b.nrecs; i++) {
            rec *r = &b.recs[i];
            fwrite(emb_buf_cstr(&r->out), 1, r->out.len, stdout);
            nq++;
            nerr += (size_t)r->error;
            nmatch += (size_t)r->matched;
        }
        double now = cli_now_ms();
        if (tty && now - last > 100) {
            progress(nq, now - t0, in == stdin ? -1 : ftell(in), total);
            last = now;
        }
        if (eof)
            break;
    }
    fflush(stdout);
    double ms = cli_now_ms() - t0;
    if (tty)
        fputc('\n', stderr);
    fprintf(stderr,
            "embargo %s: %zu queries, %zu with a match, %zu errors, %.2f s (%.0f queries/s, "
            "%u thread%s)%s\n",
            cmdname, nq, nmatch, nerr, ms / 1000.0, ms > 0 ? (double)nq * 1000.0 / ms : 0.0,
            threads, threads == 1 ? "" : "s", note);
    ret = ferror(stdout) ? 1 : 0;
done:
    if (b.recs) {
        for (size_t i = 0; i < EMB_BATCH_CHUNK; i++) {
            emb_buf_dispose(&b.recs[i].text);
            emb_buf_dispose(&b.recs[i].out);
        }
        free(b.recs);
    }
    emb_lists_free(ls);
    if (in != stdin)
        fclose(in);
    return ret;
}
