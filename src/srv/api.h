/*
 * api.h - the yente-compatible HTTP API of `embargo serve` as a pure
 * request handler: a request (method, path, query arguments, headers, body)
 * in, a response (status, content type, body, a few headers) out. No
 * sockets here: src/srv/http.c calls emb_api_handle from its pool threads
 * and the fuzz target calls it directly.
 *
 * The served list set is refcounted: a request takes a reference for its
 * whole life, a reload builds a new set beside the old one and swaps the
 * pointer, and the old set is freed when its last request drops it.
 */
#ifndef EMB_SRV_API_H
#define EMB_SRV_API_H

#include <stdio.h>
#include "embargo.h"
#include "util/buf.h"

#define EMB_API_MAX_BODY (1u << 20)     /* request body cap: 413 beyond */
#define EMB_API_MAX_SOURCES 64
#define EMB_API_MAX_BATCH 100           /* queries per /match request */

typedef struct emb_api emb_api;         /* opaque server state */

typedef struct emb_api_kv {
    const char *key, *value;            /* value may be NULL ("?flag") */
} emb_api_kv;

typedef struct emb_api_req {
    const char *method;                 /* "GET", "POST", ... */
    const char *path;                   /* without the query string */
    const emb_api_kv *args;  size_t nargs;     /* query arguments, in order */
    const emb_api_kv *headers; size_t nheaders;
    const char *body;        size_t len;       /* may be NULL when len 0 */
} emb_api_req;

typedef struct emb_api_resp {
    int status;
    const char *ctype;                  /* static string */
    emb_buf body;                       /* owned; or static_body when set */
    const char *static_body;  size_t static_len;
    char list_date[64];                 /* X-Embargo-List-Date */
    char list_hash[24];                 /* X-Embargo-List-Hash */
    char request_id[24];                /* X-Request-Id */
    char etag[40];                      /* ETag, or "" */
    int batch_size;                     /* x-batch-size when > 0 */
    int close;                          /* ask the transport to close */
} emb_api_resp;

typedef struct emb_api_cfg {
    const char *const *paths;  size_t npaths;  /* 0: the bundled UN list */
    const char *index_path;             /* an index snapshot instead of paths, or NULL */
    const char *api_key;                /* NULL: no authentication */
    const char *update_token;           /* NULL: /updatez refuses (403) */
    FILE *access_log;                   /* NULL: no access log */
} emb_api_cfg;

/* Load the lists and set up the state. Returns EMB_OK or an error (detail in
 * emb_err_last()). The strings of cfg are copied. */
int emb_api_new(emb_api **out, const emb_api_cfg *cfg);
void emb_api_free(emb_api *api);        /* NULL-safe; no request may be in flight */

/* Handle one request. Always fills *resp (call emb_api_resp_dispose after). */
void emb_api_handle(emb_api *api, const emb_api_req *req, emb_api_resp *resp);
void emb_api_resp_init(emb_api_resp *resp);
void emb_api_resp_dispose(emb_api_resp *resp);

/* Rebuild the list set from the same sources and swap it in. On failure the
 * old set keeps serving and the error is kept for /readyz and /catalog.
 * Returns EMB_OK or an error. Serialised internally. */
int emb_api_reload(emb_api *api);

/* The OpenAPI 3 document served at /openapi.json (src/srv/openapi.c):
 * static storage, *len bytes. */
const char *emb_api_openapi(size_t *len);

/* Transport counters for /metrics. */
void emb_api_note_connection(emb_api *api);

#endif
