/*
 * http.c - the libmicrohttpd 0.9.75 transport behind http.h.
 *
 * Two traps of this MHD version shape the code (../shared/docs/STACK.md):
 * 1. the response is queued only on a later call of the access handler,
 *    never on the first one, or MHD answers `Connection: close` and every
 *    request pays a new TCP connection (the one exception is a body already
 *    announced too large: there closing is what we want);
 * 2. MHD_USE_EPOLL stalled with many keep-alive connections, so the daemon
 *    runs MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL with a thread pool.
 * Bodies are accumulated into a capped buffer and the request is answered
 * when MHD calls with *upload_data_size == 0.
 */
#include "util/compat.h"
#include <sched.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <microhttpd.h>
#include "srv/http.h"
#include "util/alloc.h"
#include "util/err.h"

#define MAX_ARGS 256
#define MAX_HEADERS 128

struct emb_http {
    struct MHD_Daemon *d;
    emb_http_cfg cfg;
    unsigned port;
    atomic_int inflight;
};

typedef struct req_ctx {
    emb_buf body;
    int too_big;
} req_ctx;

typedef struct kv_list {
    emb_api_kv *kv;
    size_t n, max;
} kv_list;

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    (void)kind;
    kv_list *l = cls;
    if (l->n >= l->max)
        return MHD_NO;
    l->kv[l->n].key = key;
    l->kv[l->n].value = value;
    l->n++;
    return MHD_YES;
}

static void add_header(struct MHD_Response *r, const char *k, const char *v)
{
    if (v && *v)
        MHD_add_response_header(r, k, v);
}

static enum MHD_Result send_resp(struct MHD_Connection *c, emb_api_resp *resp)
{
    struct MHD_Response *r;
    if (resp->static_body)
        r = MHD_create_response_from_buffer(resp->static_len, (void *)resp->static_body,
                                            MHD_RESPMEM_PERSISTENT);
    else
        r = MHD_create_response_from_buffer(resp->body.len, resp->body.ptr ? resp->body.ptr : "",
                                            MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    if (resp->status != 304)
        add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, resp->ctype);
    add_header(r, "X-Embargo-List-Date", resp->list_date);
    add_header(r, "X-Embargo-List-Hash", resp->list_hash);
    add_header(r, "X-Request-Id", resp->request_id);
    add_header(r, MHD_HTTP_HEADER_ETAG, resp->etag);
    if (resp->batch_size > 0) {
        char n[16];
        snprintf(n, sizeof(n), "%d", resp->batch_size);
        add_header(r, "x-batch-size", n);
    }
    if (resp->close)
        add_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)resp->status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result too_big(emb_http *h, struct MHD_Connection *c)
{
    emb_api_resp resp;
    emb_api_resp_init(&resp);
    char msg[96];
    snprintf(msg, sizeof(msg), "{\"detail\":\"Request body larger than %zu bytes\"}",
             h->cfg.max_body);
    emb_buf_puts(&resp.body, msg);
    resp.status = 413;
    resp.close = 1;
    enum MHD_Result ret = send_resp(c, &resp);
    emb_api_resp_dispose(&resp);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    emb_http *h = cls;
    req_ctx *ctx = *con_cls;
    if (!ctx) {
        /* first call: headers only; answer later (trap 1) */
        ctx = emb_calloc(1, sizeof(*ctx));
        if (!ctx)
            return MHD_NO;
        emb_buf_init(&ctx->body, h->cfg.max_body);
        *con_cls = ctx;
        atomic_fetch_add(&h->inflight, 1);
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > h->cfg.max_body) {
            ctx->too_big = 1;
            return too_big(h, c);   /* closing this connection is intended */
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!ctx->too_big && emb_buf_append(&ctx->body, upload_data, *upload_data_size) < 0)
            ctx->too_big = 1;
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (ctx->too_big)
        return too_big(h, c);

    emb_api_kv args[MAX_ARGS], hdrs[MAX_HEADERS];
    kv_list la = { args, 0, MAX_ARGS }, lh = { hdrs, 0, MAX_HEADERS };
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect, &la);
    MHD_get_connection_values(c, MHD_HEADER_KIND, collect, &lh);
    emb_api_req req;
    req.method = method;
    req.path = url;
    req.args = args;
    req.nargs = la.n;
    req.headers = hdrs;
    req.nheaders = lh.n;
    req.body = ctx->body.ptr;
    req.len = ctx->body.len;
    emb_api_resp resp;
    emb_api_resp_init(&resp);
    h->cfg.handler(h->cfg.payload, &req, &resp);
    enum MHD_Result ret = send_resp(c, &resp);
    emb_api_resp_dispose(&resp);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)c;
    (void)toe;
    emb_http *h = cls;
    req_ctx *ctx = *con_cls;
    if (!ctx)
        return;
    emb_buf_dispose(&ctx->body);
    emb_free(ctx);
    *con_cls = NULL;
    atomic_fetch_sub(&h->inflight, 1);
    /* a request done, and this worker has kept its core for a while: let
     * whatever else waits for the core run now (a client on the same
     * machine reads its answer and sends the next request) rather than
     * when the scheduler's slice runs out; then back to the connections */
    if (h->cfg.yield) {
        static _Thread_local uint64_t last;
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        uint64_t now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
        if (now - last >= EMB_HTTP_YIELD_NS) {
            sched_yield();
            last = now;
        }
    }
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    (void)c;
    (void)socket_context;
    emb_http *h = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED && h->cfg.on_connection)
        h->cfg.on_connection(h->cfg.payload);
}

int emb_http_start(emb_http **out, const emb_http_cfg *cfg)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC;
    struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
    const char *bind = cfg->bind ? cfg->bind : "127.0.0.1";
    if (inet_pton(AF_INET, bind, &s4->sin_addr) == 1) {
        s4->sin_family = AF_INET;
        s4->sin_port = htons((uint16_t)cfg->port);
    } else if (inet_pton(AF_INET6, bind, &s6->sin6_addr) == 1) {
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)cfg->port);
        flags |= MHD_USE_IPv6;
    } else {
        return emb_err_set(EMB_EINVAL, "--bind: not an IP address: '%s'", bind);
    }
    emb_http *h = emb_calloc(1, sizeof(*h));
    if (!h)
        return emb_err_set(EMB_ENOMEM, "out of memory");
    h->cfg = *cfg;
    atomic_init(&h->inflight, 0);
    h->d = MHD_start_daemon(flags, (uint16_t)cfg->port, NULL, NULL, on_request, h,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads ? cfg->threads : 1),
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->timeout_s,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)cfg->conn_memory,
                            MHD_OPTION_CONNECTION_LIMIT, (unsigned)2048,
                            MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
                            MHD_OPTION_NOTIFY_CONNECTION, on_connection, h,
                            MHD_OPTION_END);
    if (!h->d) {
        emb_free(h);
        return emb_err_set(EMB_EIO, "cannot listen on %s port %u (in use, or not permitted)",
                           bind, cfg->port);
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_LISTEN_FD);
    h->port = cfg->port;
    if (di) {
        struct sockaddr_storage got;
        socklen_t gl = sizeof(got);
        if (getsockname(di->listen_fd, (struct sockaddr *)&got, &gl) == 0)
            h->port = got.ss_family == AF_INET6
                          ? ntohs(((struct sockaddr_in6 *)&got)->sin6_port)
                          : ntohs(((struct sockaddr_in *)&got)->sin_port);
    }
    *out = h;
    return EMB_OK;
}

unsigned emb_http_port(const emb_http *h)
{
    return h->port;
}

void emb_http_shutdown(emb_http *h, unsigned wait_ms)
{
    if (!h)
        return;
    MHD_socket fd = MHD_quiesce_daemon(h->d);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    for (unsigned waited = 0; atomic_load(&h->inflight) > 0 && waited < wait_ms; waited += 10) {
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(h->d);
    emb_free(h);
}
