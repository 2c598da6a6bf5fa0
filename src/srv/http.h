/*
 * http.h - the HTTP transport of `embargo serve`, kept behind this small
 * interface so libmicrohttpd could be replaced (civetweb is the measured
 * fallback, ../shared/docs/STACK.md). The transport parses requests,
 * accumulates capped bodies, calls the handler on a pool thread and sends
 * what it returns; it knows nothing about the API.
 */
#ifndef EMB_SRV_HTTP_H
#define EMB_SRV_HTTP_H

#include "srv/api.h"

typedef struct emb_http emb_http;   /* opaque */

typedef void (*emb_http_handler)(void *payload, const emb_api_req *req, emb_api_resp *resp);
typedef void (*emb_http_on_connection)(void *payload);

#define EMB_HTTP_YIELD_NS 1000000u   /* 1 ms */

typedef struct emb_http_cfg {
    const char *bind;         /* IPv4 or IPv6 literal, e.g. "127.0.0.1" */
    unsigned port;            /* 0: ephemeral */
    unsigned threads;         /* worker (poll) threads, >= 1 */
    size_t max_body;          /* 413 beyond */
    unsigned timeout_s;       /* idle / slow connection timeout */
    size_t conn_memory;       /* per-connection memory: caps URL and headers */
    int yield;                /* 1: a worker yields its core after a request once it has
                               * held it EMB_HTTP_YIELD_NS (docs/SERVE.md) */
    emb_http_handler handler;
    emb_http_on_connection on_connection;   /* may be NULL */
    void *payload;
} emb_http_cfg;

/* Start serving. EMB_OK, or an error with emb_err_last() set. */
int emb_http_start(emb_http **out, const emb_http_cfg *cfg);
/* The port actually bound (useful with port 0). */
unsigned emb_http_port(const emb_http *h);
/* Stop accepting, wait up to `wait_ms` for requests in flight, then stop and
 * free. NULL-safe. */
void emb_http_shutdown(emb_http *h, unsigned wait_ms);

#endif
