/*
 * serve_fuzz.c - fuzz target for the HTTP API handler (src/srv/api.c),
 * called directly without sockets. Input: first line the method, second
 * line the URL (path?query, arguments split on & and =, not decoded), the
 * rest the body. The bundled UN list is opened once per process. Any input
 * must give a response with a status and a body, never a crash or a leak.
 */
#include "util/compat.h"
#include <stdlib.h>
#include <string.h>
#include "srv/api.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 64

static emb_api *api;

static const char *line(const char **p, const char *end, char *out, size_t outsz)
{
    size_t n = 0;
    while (*p < end && **p != '\n') {
        if (n + 1 < outsz && **p != '\0')
            out[n++] = **p;
        (*p)++;
    }
    if (*p < end)
        (*p)++;
    out[n] = '\0';
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!api) {
        emb_api_cfg cfg;
        memset(&cfg, 0, sizeof(cfg));
        if (emb_api_new(&api, &cfg) < 0)
            abort();
    }
    const char *p = (const char *)data, *end = p + size;
    char method[32], url[4096];
    line(&p, end, method, sizeof(method));
    line(&p, end, url, sizeof(url));

    emb_api_kv args[MAX_ARGS];
    size_t nargs = 0;
    char *q = strchr(url, '?');
    if (q) {
        *q++ = '\0';
        char *save = NULL;
        for (char *tok = strtok_r(q, "&", &save); tok && nargs < MAX_ARGS;
             tok = strtok_r(NULL, "&", &save)) {
            char *eq = strchr(tok, '=');
            if (eq)
                *eq++ = '\0';
            args[nargs].key = tok;
            args[nargs].value = eq;
            nargs++;
        }
    }
    emb_api_kv hdrs[1] = { { "If-None-Match", "\"x\"" } };
    emb_api_req req;
    req.method = method;
    req.path = url;
    req.args = args;
    req.nargs = nargs;
    req.headers = hdrs;
    req.nheaders = 1;
    req.body = p;
    req.len = (size_t)(end - p);
    emb_api_resp resp;
    emb_api_resp_init(&resp);
    emb_api_handle(api, &req, &resp);
    if (resp.status < 200 || resp.status > 599)
        abort();
    if (!resp.static_body && resp.status != 304 && resp.body.len == 0)
        abort();
    emb_api_resp_dispose(&resp);
    return 0;
}
