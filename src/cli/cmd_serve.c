/*
 * cmd_serve.c - `embargo serve`: the yente-compatible HTTP API
 * (src/srv/api.c) over libmicrohttpd (src/srv/http.c).
 *
 * Signals are blocked in every thread and taken by the main thread with
 * sigwait: SIGHUP reloads the lists, SIGTERM and SIGINT stop accepting, let
 * requests in flight finish, then exit 0. Secrets come from files so they
 * never appear in the process list, and are never printed.
 */
#include "util/compat.h"
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>
#include "cli/cli.h"
#include "srv/api.h"
#include "srv/http.h"
#include "util/alloc.h"
#include "util/err.h"

#define SECRET_MAX 4096

static void usage(FILE *f)
{
    fprintf(f,
            "usage: embargo serve [options]\n"
            "\n"
            "Serve the yente-compatible screening API (docs/SERVE.md).\n"
            "\n"
            "  --list PATH             a list file to serve (repeatable; default: bundled UN list)\n"
            "  --index FILE            an index snapshot (embargo index build) instead of --list;\n"
            "                          reloads reopen the file\n"
            "  --bind ADDR             address to listen on (default 127.0.0.1)\n"
            "  --port N                port (default 8000; 0 picks a free port)\n"
            "  --threads N             worker threads (default: number of CPUs)\n"
            "  --api-key-file F        require 'Authorization: Bearer <key>' (all but /healthz)\n"
            "  --update-token-file F   token for POST /updatez?token=...\n"
            "  --access-log F          JSON-lines access log to F ('-': stderr, the default)\n"
            "  --no-access-log         no access log\n"
            "  --timeout S             idle / slow connection timeout in seconds (default 30)\n"
            "  --no-yield              never yield the core between requests (docs/SERVE.md)\n");
}

/* First line of a file, trailing whitespace removed; NULL after a message. */
static char *read_secret(const char *opt, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "embargo serve: %s: cannot open %s\n", opt, path);
        return NULL;
    }
    char *s = emb_calloc(1, SECRET_MAX + 1);
    size_t n = s ? fread(s, 1, SECRET_MAX, f) : 0;
    fclose(f);
    if (!s)
        return NULL;
    s[n] = '\0';
    char *nl = strpbrk(s, "\r\n");
    if (nl)
        *nl = '\0';
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    if (!n) {
        fprintf(stderr, "embargo serve: %s: %s is empty\n", opt, path);
        emb_free(s);
        return NULL;
    }
    return s;
}

static void handler(void *payload, const emb_api_req *req, emb_api_resp *resp)
{
    emb_api_handle(payload, req, resp);
}

static void on_conn(void *payload)
{
    emb_api_note_connection(payload);
}

int cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        { "list", required_argument, NULL, 'l' },
        { "index", required_argument, NULL, 'i' },
        { "bind", required_argument, NULL, 'b' },
        { "port", required_argument, NULL, 'p' },
        { "threads", required_argument, NULL, 't' },
        { "api-key-file", required_argument, NULL, 'k' },
        { "update-token-file", required_argument, NULL, 'u' },
        { "access-log", required_argument, NULL, 'a' },
        { "no-access-log", no_argument, NULL, 'A' },
        { "timeout", required_argument, NULL, 'T' },
        { "no-yield", no_argument, NULL, 'Y' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    cli_lists lists = { { NULL }, 0, NULL };
    const char *bind = "127.0.0.1", *key_file = NULL, *token_file = NULL, *log_path = "-";
    unsigned port = 8000, timeout = 30;
    int yield = 1;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = ncpu > 0 && ncpu < 64 ? (unsigned)ncpu : 2;
    int c, status = 1;
    char *key = NULL, *token = NULL;
    FILE *log = NULL;
    emb_api *api = NULL;
    emb_http *http = NULL;

    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'l':
            if (cli_lists_add(&lists, optarg) < 0)
                return 2;
            break;
        case 'i':
            if (cli_lists_index(&lists, optarg) < 0)
                return 2;
            break;
        case 'b':
            bind = optarg;
            break;
        case 'p':
            if (cli_parse_uint("--port", optarg, 0, 65535, &port) < 0)
                return 2;
            break;
        case 't':
            if (cli_parse_uint("--threads", optarg, 1, 256, &threads) < 0)
                return 2;
            break;
        case 'Y':
            yield = 0;
            break;
        case 'k':
            key_file = optarg;
            break;
        case 'u':
            token_file = optarg;
            break;
        case 'a':
            log_path = optarg;
            break;
        case 'A':
            log_path = NULL;
            break;
        case 'T':
            if (cli_parse_uint("--timeout", optarg, 1, 3600, &timeout) < 0)
                return 2;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "embargo serve: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (key_file && !(key = read_secret("--api-key-file", key_file)))
        return 2;
    if (token_file && !(token = read_secret("--update-token-file", token_file))) {
        emb_free(key);
        return 2;
    }
    if (log_path) {
        if (strcmp(log_path, "-") == 0) {
            log = stderr;
        } else if (!(log = fopen(log_path, "a"))) {
            fprintf(stderr, "embargo serve: --access-log: cannot open %s\n", log_path);
            goto cleanup;
        }
    }

    /* block the signals before any thread starts, so all inherit the mask */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    emb_api_cfg acfg;
    memset(&acfg, 0, sizeof(acfg));
    acfg.paths = lists.paths;
    acfg.npaths = lists.n;
    acfg.index_path = lists.index;
    acfg.api_key = key;
    acfg.update_token = token;
    acfg.access_log = log;
    if (emb_api_new(&api, &acfg) < 0) {
        fprintf(stderr, "embargo serve: cannot load lists: %s\n", emb_err_last());
        goto cleanup;
    }
    emb_http_cfg hcfg;
    memset(&hcfg, 0, sizeof(hcfg));
    hcfg.bind = bind;
    hcfg.port = port;
    hcfg.threads = threads;
    hcfg.max_body = EMB_API_MAX_BODY;
    hcfg.timeout_s = timeout;
    hcfg.conn_memory = 128 * 1024;
    hcfg.yield = yield;
    hcfg.handler = handler;
    hcfg.on_connection = on_conn;
    hcfg.payload = api;
    if (emb_http_start(&http, &hcfg) < 0) {
        fprintf(stderr, "embargo serve: %s\n", emb_err_last());
        goto cleanup;
    }
    fprintf(stderr, "listening on http://%s%s%s:%u\n", strchr(bind, ':') ? "[" : "", bind,
            strchr(bind, ':') ? "]" : "", emb_http_port(http));
    fflush(stderr);

    for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            if (emb_api_reload(api) < 0)
                fprintf(stderr, "embargo serve: reload failed, still serving the previous "
                                "lists: %s\n", emb_err_last());
            else
                fprintf(stderr, "embargo serve: lists reloaded\n");
            continue;
        }
        fprintf(stderr, "embargo serve: shutting down\n");
        break;
    }
    emb_http_shutdown(http, 10000);
    http = NULL;
    status = 0;
cleanup:
    emb_http_shutdown(http, 0);
    emb_api_free(api);
    if (log && log != stderr)
        fclose(log);
    emb_free(key);
    emb_free(token);
    return status;
}
