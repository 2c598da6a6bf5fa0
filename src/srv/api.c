/*
 * api.c - the yente-compatible API (../shared/docs/API-COMPAT.md) over
 * embargo's screening engine: /match, /search (with facets), /entities and
 * /entities/{id}/adjacent, /catalog, /algorithms, /healthz, /readyz,
 * /updatez, /metrics, /openapi.json (src/srv/openapi.c) and the analyst
 * page.
 *
 * The handler is pure: it never touches a socket, so the fuzz target drives
 * it directly. Invariants: every response is JSON (or the page, or metrics
 * text) with a status; 422 errors carry a `detail` list, all others a
 * string; a request holds a reference on the list set it started with, so a
 * reload never pulls entities from under it. Secrets (API key, update token)
 * are compared in constant time and never written to the log.
 */
#include "util/compat.h"
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <cjson/cJSON.h>
#include "srv/api.h"
#include "io/query_in.h"
#include "text/country.h"
#include "util/alloc.h"
#include "util/err.h"

extern const char emb__blob_web_page[], emb__blob_web_page_end[];

#define MAX_FILE_BYTES (1024u * 1024u * 1024u)
#define MAX_EXCLUDE_IDS 50
#define MAX_LIMIT 500
#define MAX_ARGS_PER_NAME 64
#define SCREEN_LIMIT EMB_MAX_LIMIT
#define RESP_MAX (64u * 1024u * 1024u)

/* ---- the served list set ------------------------------------------------- */

typedef struct srv_set {
    emb_lists *ls;
    atomic_int refs;
    char hash[17];                    /* FNV-1a 64 over all source bytes, hex */
    char date[64];                    /* latest list date, or "" */
    char version[48];                 /* yente-style "YYYYMMDDhhmmss-hash" */
    char loaded_at[24];               /* ISO 8601 UTC */
    size_t nlists;
    char dsname[EMB_API_MAX_SOURCES][48];
    char lhash[EMB_API_MAX_SOURCES][17];
} srv_set;

enum { EP_MATCH, EP_SEARCH, EP_ENTITIES, EP_ADJACENT, EP_CATALOG, EP_ALGORITHMS, EP_HEALTHZ,
       EP_READYZ, EP_UPDATEZ, EP_METRICS, EP_OPENAPI, EP_PAGE, EP_OTHER, EP_COUNT };
static const char *const ep_names[EP_COUNT] = { "match", "search", "entities", "adjacent",
    "catalog", "algorithms", "healthz", "readyz", "updatez", "metrics", "openapi", "page",
    "other" };
static const int st_codes[] = { 200, 304, 400, 401, 403, 404, 405, 413, 422, 500, 503, 0 };
#define ST_COUNT EMB_ARRAY_LEN(st_codes)
static const double lat_bounds_us[] = { 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000,
                                        100000, 250000, 1000000 };
#define LAT_COUNT (EMB_ARRAY_LEN(lat_bounds_us) + 1)

struct emb_api {
    pthread_mutex_t mu;               /* guards cur and the reload status */
    srv_set *cur;
    pthread_mutex_t reload_mu;        /* one reload at a time */
    char *paths[EMB_API_MAX_SOURCES];
    size_t npaths;
    char *index_path;                 /* a snapshot instead of paths, or NULL */
    char *api_key;
    char *update_token;
    FILE *log;
    pthread_mutex_t log_mu;
    int last_ok;                      /* last load succeeded */
    char last_error[512];
    char last_at[24];
    atomic_ulong next_id;
    atomic_ulong reqs[EP_COUNT][ST_COUNT];
    atomic_ulong lat[LAT_COUNT];
    atomic_ulong lat_sum_us;
    atomic_ulong reloads_ok, reloads_failed, connections, queries;
};

static void now_iso(char *out, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, n, "%Y-%m-%dT%H:%M:%S", &tm);
}

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ull;
    }
    return h;
}
#define FNV_SEED 0xcbf29ce484222325ull

static void set_release(srv_set *s)
{
    if (s && atomic_fetch_sub(&s->refs, 1) == 1) {
        emb_lists_free(s->ls);
        emb_free(s);
    }
}

static srv_set *set_acquire(emb_api *api)
{
    pthread_mutex_lock(&api->mu);
    srv_set *s = api->cur;
    if (s)
        atomic_fetch_add(&s->refs, 1);
    pthread_mutex_unlock(&api->mu);
    return s;
}

static int read_file(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return emb_err_set(EMB_EIO, "%s: %s", path, strerror(errno));
    emb_buf b;
    emb_buf_init(&b, MAX_FILE_BYTES);
    char tmp[65536];
    size_t n;
    int rc = EMB_OK;
    while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0) {
        if ((rc = emb_buf_append(&b, tmp, n)) < 0) {
            rc = emb_err_set(rc, "%s: too large", path);
            break;
        }
    }
    if (rc == EMB_OK && ferror(f))
        rc = emb_err_set(EMB_EIO, "%s: read error", path);
    fclose(f);
    if (rc < 0) {
        emb_buf_dispose(&b);
        return rc;
    }
    *out = b.ptr;     /* the buffer's storage, freed with emb_free */
    *len = b.len;
    return EMB_OK;
}

static void dataset_name(char *out, size_t n, const char *list_id)
{
    if (strcmp(list_id, "un") == 0) {
        snprintf(out, n, "un_sc_sanctions");
        return;
    }
    if (strncmp(list_id, "un-", 3) == 0) {
        snprintf(out, n, "un_sc_sanctions_%s", list_id + 3);
        return;
    }
    snprintf(out, n, "%s", list_id);
    for (char *p = out; *p; p++)
        if (*p == '-')
            *p = '_';
}

static int set_build(emb_api *api, srv_set **out)
{
    emb_source src[EMB_API_MAX_SOURCES];
    char *bufs[EMB_API_MAX_SOURCES] = { NULL };
    uint64_t lh[EMB_API_MAX_SOURCES];
    size_t n = 0;
    int rc = EMB_OK;
    srv_set *s = NULL;

    if (api->index_path) {
        /* a snapshot: reopened (and checked) on every reload, so a file
         * rebuilt and renamed into place is picked up; its content hash
         * stands for every list it holds */
        s = emb_calloc(1, sizeof(*s));
        if (!s) {
            rc = emb_err_set(EMB_ENOMEM, "out of memory");
            goto cleanup;
        }
        if ((rc = emb_lists_open_index(&s->ls, api->index_path)) < 0)
            goto cleanup;
        emb_index_info ii;
        emb_lists_index_info(s->ls, &ii);
        snprintf(s->hash, sizeof(s->hash), "%s", ii.content_hash);
        for (size_t i = 0; i < EMB_API_MAX_SOURCES; i++)
            lh[i] = strtoull(ii.content_hash, NULL, 16);
        n = EMB_API_MAX_SOURCES;
        goto loaded;
    }
    if (api->npaths == 0) {
        src[0] = emb_bundled_un_list();
        n = 1;
    } else {
        for (; n < api->npaths; n++) {
            size_t len = 0;
            if ((rc = read_file(api->paths[n], &bufs[n], &len)) < 0)
                goto cleanup;
            src[n].path = api->paths[n];
            src[n].data = bufs[n] ? bufs[n] : "";
            src[n].len = len;
        }
    }
    uint64_t all = FNV_SEED;
    for (size_t i = 0; i < n; i++) {
        lh[i] = fnv1a(FNV_SEED, src[i].data, src[i].len);
        all = fnv1a(all, &lh[i], sizeof(lh[i]));
    }
    s = emb_calloc(1, sizeof(*s));
    if (!s) {
        rc = emb_err_set(EMB_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = emb_lists_open(&s->ls, src, n)) < 0)
        goto cleanup;
    snprintf(s->hash, sizeof(s->hash), "%016llx", (unsigned long long)all);
loaded:
    atomic_init(&s->refs, 1);
    s->nlists = emb_lists_count(s->ls);
    if (s->nlists > EMB_API_MAX_SOURCES)
        s->nlists = EMB_API_MAX_SOURCES;
    for (size_t i = 0; i < s->nlists; i++) {
        const emb_list_info *li = emb_lists_list(s->ls, i);
        dataset_name(s->dsname[i], sizeof(s->dsname[i]), li->id);
        snprintf(s->lhash[i], sizeof(s->lhash[i]), "%016llx",
                 (unsigned long long)(i < n ? lh[i] : 0));
        if (li->date && strcmp(li->date, s->date) > 0)
            snprintf(s->date, sizeof(s->date), "%s", li->date);
    }
    char digits[16];
    size_t nd = 0;
    for (const char *p = s->date; *p && nd < 14; p++)
        if (*p >= '0' && *p <= '9')
            digits[nd++] = *p;
    digits[nd] = '\0';
    snprintf(s->version, sizeof(s->version), "%s-%.6s", nd ? digits : "0", s->hash);
    now_iso(s->loaded_at, sizeof(s->loaded_at));
    *out = s;
    s = NULL;
cleanup:
    for (size_t i = 0; i < EMB_API_MAX_SOURCES; i++)
        emb_free(bufs[i]);
    if (s) {
        emb_lists_free(s->ls);
        emb_free(s);
    }
    return rc;
}

int emb_api_reload(emb_api *api)
{
    pthread_mutex_lock(&api->reload_mu);
    srv_set *s = NULL;
    int rc = set_build(api, &s);
    pthread_mutex_lock(&api->mu);
    now_iso(api->last_at, sizeof(api->last_at));
    srv_set *old = NULL;
    if (rc == EMB_OK) {
        old = api->cur;
        api->cur = s;
        api->last_ok = 1;
        api->last_error[0] = '\0';
    } else {
        api->last_ok = 0;
        snprintf(api->last_error, sizeof(api->last_error), "%s", emb_err_last());
    }
    pthread_mutex_unlock(&api->mu);
    set_release(old);
    atomic_fetch_add(rc == EMB_OK ? &api->reloads_ok : &api->reloads_failed, 1);
    pthread_mutex_unlock(&api->reload_mu);
    return rc;
}

int emb_api_new(emb_api **out, const emb_api_cfg *cfg)
{
    if (cfg->npaths > EMB_API_MAX_SOURCES)
        return emb_err_set(EMB_EINVAL, "at most %d lists", EMB_API_MAX_SOURCES);
    emb_api *api = emb_calloc(1, sizeof(*api));
    if (!api)
        return emb_err_set(EMB_ENOMEM, "out of memory");
    pthread_mutex_init(&api->mu, NULL);
    pthread_mutex_init(&api->reload_mu, NULL);
    pthread_mutex_init(&api->log_mu, NULL);
    int rc = EMB_OK;
    if (cfg->index_path && (cfg->npaths || !(api->index_path = emb_strdup(cfg->index_path)))) {
        rc = cfg->npaths ? emb_err_set(EMB_EINVAL, "--index and --list cannot be combined")
                         : emb_err_set(EMB_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < cfg->npaths; i++) {
        if (!(api->paths[i] = emb_strdup(cfg->paths[i]))) {
            rc = emb_err_set(EMB_ENOMEM, "out of memory");
            goto fail;
        }
        api->npaths++;
    }
    if ((cfg->api_key && !(api->api_key = emb_strdup(cfg->api_key))) ||
        (cfg->update_token && !(api->update_token = emb_strdup(cfg->update_token)))) {
        rc = emb_err_set(EMB_ENOMEM, "out of memory");
        goto fail;
    }
    api->log = cfg->access_log;
    if ((rc = emb_api_reload(api)) < 0)
        goto fail;
    atomic_store(&api->reloads_ok, 0);
    *out = api;
    return EMB_OK;
fail:
    emb_api_free(api);
    return rc;
}

void emb_api_free(emb_api *api)
{
    if (!api)
        return;
    set_release(api->cur);
    for (size_t i = 0; i < api->npaths; i++)
        emb_free(api->paths[i]);
    emb_free(api->index_path);
    emb_free(api->api_key);
    emb_free(api->update_token);
    pthread_mutex_destroy(&api->mu);
    pthread_mutex_destroy(&api->reload_mu);
    pthread_mutex_destroy(&api->log_mu);
    emb_free(api);
}

void emb_api_note_connection(emb_api *api)
{
    atomic_fetch_add(&api->connections, 1);
}

void emb_api_resp_init(emb_api_resp *resp)
{
    memset(resp, 0, sizeof(*resp));
    emb_buf_init(&resp->body, RESP_MAX);
    resp->ctype = "application/json";
}

void emb_api_resp_dispose(emb_api_resp *resp)
{
    emb_buf_dispose(&resp->body);
}

/* ---- small helpers ------------------------------------------------------ */

static int ct_equal(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    unsigned char d = (unsigned char)(na != nb);
    for (size_t i = 0; i < nb; i++)
        d |= (unsigned char)((unsigned char)(i < na ? a[i] : 0) ^ (unsigned char)b[i]);
    return d == 0;
}

/* The credentials after "Bearer ", or NULL. */
static const char *bearer_token(const char *auth)
{
    static const char scheme[] = "Bearer ";
    size_t n = sizeof(scheme) - 1;
    if (!auth || strlen(auth) <= n || strncasecmp(auth, scheme, n) != 0)
        return NULL;
    return auth + n;
}

static const char *arg1(const emb_api_req *r, const char *k)
{
    for (size_t i = 0; i < r->nargs; i++)
        if (r->args[i].key && strcmp(r->args[i].key, k) == 0)
            return r->args[i].value ? r->args[i].value : "";
    return NULL;
}

/* All values of a repeated argument, "k" or "k[]". */
static size_t argv_all(const emb_api_req *r, const char *k, const char **vals, size_t max)
{
    size_t n = 0, kl = strlen(k);
    for (size_t i = 0; i < r->nargs && n < max; i++) {
        const char *key = r->args[i].key;
        if (!key || strncmp(key, k, kl) != 0 || (key[kl] && strcmp(key + kl, "[]") != 0))
            continue;
        if (r->args[i].value && r->args[i].value[0])
            vals[n++] = r->args[i].value;
    }
    return n;
}

static size_t argc_all(const emb_api_req *r, const char *k)
{
    size_t n = 0, kl = strlen(k);
    for (size_t i = 0; i < r->nargs; i++) {
        const char *key = r->args[i].key;
        if (key && strncmp(key, k, kl) == 0 && (!key[kl] || strcmp(key + kl, "[]") == 0))
            n++;
    }
    return n;
}

static const char *header(const emb_api_req *r, const char *k)
{
    for (size_t i = 0; i < r->nheaders; i++)
        if (r->headers[i].key && strcasecmp(r->headers[i].key, k) == 0)
            return r->headers[i].value ? r->headers[i].value : "";
    return NULL;
}

static void put_score(emb_buf *b, double s)
{
    char tmp[32];
    if (!isfinite(s))
        s = 0;
    snprintf(tmp, sizeof(tmp), "%.4f", s);
    size_t n = strlen(tmp);
    while (n > 3 && tmp[n - 1] == '0')
        n--;
    emb_buf_append(b, tmp, n);
}

/* sep, then "k": and open (a literal key: nothing to escape). As
 * emb_buf_printf(b, "%s\"%s\":%s", sep, k, open), without the formatting
 * cost: it runs for every property of every result. */
static void put_key(emb_buf *b, const char *sep, const char *k, const char *open)
{
    emb_buf_puts(b, sep);
    emb_buf_putc(b, '"');
    emb_buf_puts(b, k);
    emb_buf_puts(b, "\":");
    emb_buf_puts(b, open);
}

static void put_kstr(emb_buf *b, const char *k, const char *v)
{
    put_key(b, ",", k, "");
    if (v)
        emb_buf_json_str(b, v);
    else
        emb_buf_puts(b, "null");
}

static void err_detail(emb_api_resp *resp, int status, const char *msg)
{
    resp->status = status;
    emb_buf_clear(&resp->body);
    emb_buf_puts(&resp->body, "{\"detail\":");
    emb_buf_json_str(&resp->body, msg);
    emb_buf_puts(&resp->body, "}");
}

/* 422 with a pydantic-style list; loc is a NULL-terminated list. */
static void err_422(emb_api_resp *resp, const char *const *loc, const char *msg, const char *type)
{
    resp->status = 422;
    emb_buf *b = &resp->body;
    emb_buf_clear(b);
    emb_buf_puts(b, "{\"detail\":[{\"loc\":[");
    for (size_t i = 0; loc[i]; i++) {
        if (i)
            emb_buf_putc(b, ',');
        emb_buf_json_str(b, loc[i]);
    }
    emb_buf_puts(b, "],\"msg\":");
    emb_buf_json_str(b, msg);
    emb_buf_puts(b, ",\"type\":");
    emb_buf_json_str(b, type);
    emb_buf_puts(b, "}]}");
}

static void err_422_query(emb_api_resp *resp, const char *name, const char *msg, const char *type)
{
    const char *loc[] = { "query", name, NULL };
    err_422(resp, loc, msg, type);
}

/* Strict integer / float query arguments: 0 ok, -1 invalid (422 written). */
static int arg_int(emb_api_resp *resp, const emb_api_req *r, const char *k, long lo, long hi,
                   long *out)
{
    const char *s = arg1(r, k);
    if (!s)
        return 0;
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || errno || *end) {
        err_422_query(resp, k, "Input should be a valid integer", "int_parsing");
        return -1;
    }
    if (v < lo || v > hi) {
        char msg[96];
        snprintf(msg, sizeof(msg), "Input should be between %ld and %ld", lo, hi);
        err_422_query(resp, k, msg, v < lo ? "greater_than_equal" : "less_than_equal");
        return -1;
    }
    *out = v;
    return 0;
}

static int arg_float(emb_api_resp *resp, const emb_api_req *r, const char *k, double *out)
{
    const char *s = arg1(r, k);
    if (!s)
        return 0;
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || errno || *end || !isfinite(v)) {
        err_422_query(resp, k, "Input should be a valid number", "float_parsing");
        return -1;
    }
    if (v < 0 || v > 1) {
        err_422_query(resp, k, "Input should be between 0 and 1", "less_than_equal");
        return -1;
    }
    *out = v;
    return 0;
}

/* YYYY-MM-DD[THH[:MM[:SS]]] */
static int valid_since(const char *s)
{
    static const char pat[] = "dddd-dd-ddTdd:dd:dd";
    size_t n = strlen(s);
    if (n != 10 && n != 13 && n != 16 && n != 19)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
            return 0;
    }
    return 1;
}

/* ---- entities as FtM ------------------------------------------------------ */

static const char *ftm_schema(const emb_entity *e)
{
    if (e->schema == EMB_SCHEMA_ORGANIZATION && e->list && strncmp(e->list, "un", 2) == 0 &&
        (!e->list[2] || e->list[2] == '-'))
        return "LegalEntity";
    return emb_schema_name(e->schema);
}

static int is_un(const emb_entity *e)
{
    return e->list && strcmp(e->list, "un") == 0 && strncmp(e->id, "un-", 3) == 0;
}

static void fmt_date(char *out, size_t n, const emb_date *d)
{
    switch (d->prec) {
    case EMB_DATE_DAY:
        snprintf(out, n, "%04d-%02d-%02d", d->year, d->month, d->day);
        break;
    case EMB_DATE_MONTH:
        snprintf(out, n, "%04d-%02d", d->year, d->month);
        break;
    case EMB_DATE_YEAR:
    case EMB_DATE_RANGE:
    case EMB_DATE_APPROX:
        snprintf(out, n, "%04d", d->year);
        break;
    default:
        snprintf(out, n, "%s", d->raw ? d->raw : "");
        break;
    }
}

/* The FtM properties of an entity, written as JSON (b set) or searched for
 * one value (b NULL: want_prop:want_val, the /search filter). */
typedef struct props {
    emb_buf *b;
    int nprops;
    int nvals;
    const char *want_prop, *want_val;
    size_t want_len;
    int found;
} props;

static void prop_begin(props *p, const char *name)
{
    p->nvals = 0;
    (void)name;
}

static void prop_val(props *p, const char *name, const char *v)
{
    if (!v || !*v)
        return;
    if (!p->b) {
        p->found |= strlen(name) == p->want_len && strncmp(name, p->want_prop, p->want_len) == 0 &&
                    strcasecmp(v, p->want_val) == 0;
        return;
    }
    if (p->nvals == 0) {
        put_key(p->b, p->nprops ? "," : "", name, "[");
        p->nprops++;
    } else {
        emb_buf_putc(p->b, ',');
    }
    emb_buf_json_str(p->b, v);
    p->nvals++;
}

static void prop_end(props *p)
{
    if (p->b && p->nvals)
        emb_buf_putc(p->b, ']');
}

static void prop_one(props *p, const char *name, const char *v)
{
    prop_begin(p, name);
    prop_val(p, name, v);
    prop_end(p);
}

static void prop_names(props *p, const emb_entity *e, const char *name, int k1, int k2)
{
    prop_begin(p, name);
    for (size_t i = 0; i < e->nnames; i++)
        if ((int)e->names[i].kind == k1 || (int)e->names[i].kind == k2)
            prop_val(p, name, e->names[i].full);
    prop_end(p);
}

static void prop_ids(props *p, const emb_entity *e, const char *name, int k1, int k2)
{
    prop_begin(p, name);
    for (size_t i = 0; i < e->nidentifiers; i++)
        if ((int)e->identifiers[i].kind == k1 || (int)e->identifiers[i].kind == k2)
            prop_val(p, name, e->identifiers[i].number);
    prop_end(p);
}

static void walk_properties(props *pp, const emb_entity *e)
{
    props p = *pp;
    char tmp[64];
    prop_names(&p, e, "name", EMB_NAME_PRIMARY, -1);
    prop_names(&p, e, "alias", EMB_NAME_ALIAS, EMB_NAME_ORIGINAL);
    prop_names(&p, e, "weakAlias", EMB_NAME_WEAK, -1);
    prop_names(&p, e, "previousName", EMB_NAME_FORMER, -1);
    if (e->schema == EMB_SCHEMA_PERSON) {
        prop_begin(&p, "birthDate");
        for (size_t i = 0; i < e->nbirth_dates; i++) {
            const emb_date *d = &e->birth_dates[i];
            if (d->prec == EMB_DATE_RANGE && d->year_to > d->year && d->year_to - d->year < 20) {
                for (int y = d->year; y <= d->year_to; y++) {
                    snprintf(tmp, sizeof(tmp), "%04d", y);
                    prop_val(&p, "birthDate", tmp);
                }
                continue;
            }
            fmt_date(tmp, sizeof(tmp), d);
            prop_val(&p, "birthDate", tmp);
        }
        prop_end(&p);
        prop_begin(&p, "birthPlace");
        for (size_t i = 0; i < e->nbirth_places; i++) {
            const emb_place *pl = &e->birth_places[i];
            char place[512];
            snprintf(place, sizeof(place), "%s%s%s%s%s", pl->city ? pl->city : "",
                     pl->city && (pl->state || pl->country) ? ", " : "",
                     pl->state ? pl->state : "", pl->state && pl->country ? ", " : "",
                     pl->country ? pl->country : "");
            prop_val(&p, "birthPlace", place);
        }
        prop_end(&p);
        prop_begin(&p, "nationality");
        for (size_t i = 0; i < e->nnationalities; i++)
            prop_val(&p, "nationality",
                     e->nationalities[i].cc ? e->nationalities[i].cc : e->nationalities[i].name);
        prop_end(&p);
        prop_one(&p, "gender", e->gender);
        prop_ids(&p, e, "passportNumber", EMB_ID_PASSPORT, -1);
        prop_ids(&p, e, "idNumber", EMB_ID_NATIONAL, EMB_ID_OTHER);
        prop_begin(&p, "position");
        for (size_t i = 0; i < e->ndesignations; i++)
            prop_val(&p, "position", e->designations[i]);
        prop_end(&p);
        prop_begin(&p, "title");
        for (size_t i = 0; i < e->ntitles; i++)
            prop_val(&p, "title", e->titles[i]);
        prop_end(&p);
    } else {
        prop_ids(&p, e, "idNumber", EMB_ID_NATIONAL, EMB_ID_OTHER);
        prop_ids(&p, e, "registrationNumber", EMB_ID_REGISTRATION, -1);
        prop_ids(&p, e, "imoNumber", EMB_ID_IMO, EMB_ID_IMO_COMPANY);
        prop_ids(&p, e, "mmsi", EMB_ID_MMSI, -1);
        prop_one(&p, "flag", e->flag_cc ? e->flag_cc : e->flag);
        prop_one(&p, "callSign", e->call_sign);
        prop_one(&p, "type", e->vessel_type);
        prop_one(&p, "tonnage", e->tonnage);
    }
    prop_begin(&p, "country");
    for (size_t i = 0; i < e->naddresses; i++)
        prop_val(&p, "country", e->addresses[i].cc);
    prop_end(&p);
    prop_begin(&p, "address");
    for (size_t i = 0; i < e->naddresses; i++) {
        const emb_place *a = &e->addresses[i];
        char addr[768];
        snprintf(addr, sizeof(addr), "%s%s%s%s%s%s%s", a->street ? a->street : "",
                 a->street && a->city ? ", " : "", a->city ? a->city : "",
                 (a->street || a->city) && a->country ? ", " : "", a->country ? a->country : "",
                 "", "");
        prop_val(&p, "address", addr);
    }
    prop_end(&p);
    prop_one(&p, "notes", e->remarks);
    prop_one(&p, "topics", "sanction");
    prop_begin(&p, "program");
    for (size_t i = 0; i < e->nprograms; i++)
        prop_val(&p, "program", e->programs[i]);
    if (!e->nprograms)
        prop_val(&p, "program", e->program);
    prop_end(&p);
    prop_one(&p, "programId", e->reference);
    prop_one(&p, "createdAt", e->listed_on);
    prop_begin(&p, "modifiedAt");
    for (size_t i = 0; i < e->nupdated_on; i++)
        prop_val(&p, "modifiedAt", e->updated_on[i]);
    prop_end(&p);
    *pp = p;
}

static void put_properties(emb_buf *b, const emb_entity *e)
{
    props p;
    memset(&p, 0, sizeof(p));
    p.b = b;
    emb_buf_putc(b, '{');
    walk_properties(&p, e);
    emb_buf_putc(b, '}');
}

/* Whether e has the property value of a filter "prop:value" (as the
 * entity's properties show it; values compared case-insensitively). */
static int entity_has_prop(const emb_entity *e, const char *flt)
{
    const char *colon = strchr(flt, ':');
    props p;
    memset(&p, 0, sizeof(p));
    p.want_prop = flt;
    p.want_len = (size_t)(colon - flt);
    p.want_val = colon + 1;
    walk_properties(&p, e);
    return p.found;
}

/* The filter[] values: any of them (OR) or all of them (AND). */
static int entity_passes_filters(const emb_entity *e, const char *const *flt, size_t n, int all)
{
    if (!n)
        return 1;
    for (size_t i = 0; i < n; i++) {
        int hit = entity_has_prop(e, flt[i]);
        if (hit && !all)
            return 1;
        if (!hit && all)
            return 0;
    }
    return all;
}

static const char *last_change(const emb_entity *e)
{
    const char *lc = e->listed_on;
    for (size_t i = 0; i < e->nupdated_on; i++)
        if (e->updated_on[i] && (!lc || strcmp(e->updated_on[i], lc) > 0))
            lc = e->updated_on[i];
    return lc;
}

static void put_ts(emb_buf *b, const char *k, const char *date)
{
    put_key(b, ",", k, "");
    if (date && strlen(date) >= 10) {
        emb_buf_putc(b, '"');
        emb_buf_append(b, date, 10);
        emb_buf_puts(b, "T00:00:00\"");
    } else {
        emb_buf_puts(b, "null");
    }
}

/* The entity object without its closing brace (callers add score etc.). */
static void put_entity_open(emb_buf *b, const srv_set *s, const emb_entity *e)
{
    emb_buf_puts(b, "{\"id\":");
    emb_buf_json_str(b, e->id);
    put_kstr(b, "caption", e->caption);
    put_kstr(b, "schema", ftm_schema(e));
    emb_buf_puts(b, ",\"properties\":");
    put_properties(b, e);
    emb_buf_puts(b, ",\"datasets\":[");
    if (e->list_index < s->nlists)
        emb_buf_json_str(b, s->dsname[e->list_index]);
    emb_buf_puts(b, "],\"referents\":[");
    if (is_un(e))
        emb_buf_printf(b, "\"unsc-%s\"", e->id + 3);
    emb_buf_puts(b, "],\"target\":true");
    put_ts(b, "first_seen", e->listed_on);
    const emb_list_info *li = emb_lists_list(s->ls, e->list_index);
    put_ts(b, "last_seen", li ? li->date : NULL);
    put_ts(b, "last_change", last_change(e));
}

/* ---- dataset selection ---------------------------------------------------- */

typedef struct dsel {
    const char *lists[EMB_API_MAX_SOURCES];
    size_t n;
    int none;        /* the selection is empty: no results at all */
} dsel;

static int ds_index(const srv_set *s, const char *name)
{
    for (size_t i = 0; i < s->nlists; i++)
        if (strcmp(s->dsname[i], name) == 0)
            return (int)i;
    return -1;
}

/* Dataset in the path plus include_dataset / exclude_dataset. Returns 0, or
 * -1 for an unknown path dataset (404). Unknown include/exclude names are
 * ignored. */
static int select_lists(const srv_set *s, const emb_api_req *r, const char *ds, dsel *out)
{
    int on[EMB_API_MAX_SOURCES] = { 0 };
    memset(out, 0, sizeof(*out));
    if (strcmp(ds, "default") == 0 || strcmp(ds, "sanctions") == 0) {
        for (size_t i = 0; i < s->nlists; i++)
            on[i] = 1;
    } else {
        int k = ds_index(s, ds);
        if (k < 0)
            return -1;
        on[k] = 1;
    }
    const char *vals[MAX_ARGS_PER_NAME];
    size_t nv = argv_all(r, "include_dataset", vals, MAX_ARGS_PER_NAME);
    if (nv) {
        int inc[EMB_API_MAX_SOURCES] = { 0 };
        for (size_t j = 0; j < nv; j++) {
            int k = ds_index(s, vals[j]);
            if (k >= 0)
                inc[k] = 1;
        }
        for (size_t i = 0; i < s->nlists; i++)
            on[i] &= inc[i];
    }
    nv = argv_all(r, "exclude_dataset", vals, MAX_ARGS_PER_NAME);
    for (size_t j = 0; j < nv; j++) {
        int k = ds_index(s, vals[j]);
        if (k >= 0)
            on[k] = 0;
    }
    size_t all = 1;
    for (size_t i = 0; i < s->nlists; i++) {
        if (on[i])
            out->lists[out->n++] = emb_lists_list(s->ls, i)->id;
        else
            all = 0;
    }
    if (out->n == 0)
        out->none = 1;
    else if (all)
        out->n = 0;       /* every list: no filter */
    return 0;
}

/* Post-filters shared by /match and /search. */
typedef struct rfilter {
    const char *excl_schema[MAX_ARGS_PER_NAME]; size_t nexcl_schema;
    const char *topics[MAX_ARGS_PER_NAME]; size_t ntopics;
    const char *excl_ids[MAX_ARGS_PER_NAME]; size_t nexcl_ids;
    const char *since;
    int topics_all;          /* every topic given must apply (filter_op=AND) */
} rfilter;

static int passes(const rfilter *f, const emb_entity *e)
{
    const char *sch = ftm_schema(e);
    for (size_t i = 0; i < f->nexcl_schema; i++)
        if (strcmp(f->excl_schema[i], sch) == 0)
            return 0;
    if (f->ntopics) {
        /* every entity's topics are ["sanction"] */
        size_t hit = 0;
        for (size_t i = 0; i < f->ntopics; i++)
            if (strcmp(f->topics[i], "sanction") == 0)
                hit++;
        if (f->topics_all ? hit != f->ntopics : hit == 0)
            return 0;
    }
    for (size_t i = 0; i < f->nexcl_ids; i++) {
        const char *x = f->excl_ids[i];
        if (strcmp(x, e->id) == 0 || (e->reference && strcmp(x, e->reference) == 0))
            return 0;
        if (is_un(e) && strncmp(x, "unsc-", 5) == 0 && strcmp(x + 5, e->id + 3) == 0)
            return 0;
    }
    if (f->since) {
        const char *lc = last_change(e);
        if (!lc || strncmp(lc, f->since, 10) < 0)
            return 0;
    }
    return 1;
}

/* ---- /match ---------------------------------------------------------------- */

static const char *const config_keys[] = { "nm_name_property", "nm_number_mismatch",
    "nm_extra_query_name", "nm_extra_result_name", "nm_family_name_weight",
    "nm_fuzzy_cutoff_factor" };

static int algo_ok(const char *a)
{
    static const char *const ok[] = { "best", "embargo", "logic-v1", "logic-v2" };
    for (size_t i = 0; i < EMB_ARRAY_LEN(ok); i++)
        if (strcasecmp(a, ok[i]) == 0)
            return 1;
    return 0;
}

static void put_strs(emb_buf *b, const char *k, const char *const *v, size_t n, int *first)
{
    if (!n)
        return;
    put_key(b, *first ? "" : ",", k, "[");
    *first = 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            emb_buf_putc(b, ',');
        emb_buf_json_str(b, v[i]);
    }
    emb_buf_putc(b, ']');
}

static const char *qschema_name(emb_qschema s)
{
    switch (s) {
    case EMB_Q_PERSON: return "Person";
    case EMB_Q_ORGANIZATION: return "Organization";
    case EMB_Q_LEGAL_ENTITY: return "LegalEntity";
    case EMB_Q_VESSEL: return "Vessel";
    case EMB_Q_AIRPLANE: return "Airplane";
    default: return "Thing";
    }
}

static void put_explanations(emb_buf *b, const emb_match *m)
{
    emb_buf_puts(b, ",\"explanations\":{\"name_match\":{\"detail\":");
    emb_buf tmp;
    emb_buf_init(&tmp, 16384);
    emb_buf_puts(&tmp, m->reason ? m->reason : "");
    for (size_t i = 0; i < m->nalign; i++) {
        const emb_align *a = &m->align[i];
        emb_buf_printf(&tmp, " ['%s'%s'%s' %s: %.2f, weight %.2f]", a->query ? a->query : "",
                       a->kind == EMB_ALIGN_EXACT ? "=" : "~", a->listed ? a->listed : "",
                       emb_align_kind_name(a->kind), a->score, a->weight);
    }
    emb_buf_json_str(b, emb_buf_cstr(&tmp));
    emb_buf_dispose(&tmp);
    emb_buf_puts(b, ",\"score\":");
    put_score(b, m->name_score);
    put_kstr(b, "query", m->query_name);
    put_kstr(b, "candidate", m->name ? m->name->full : NULL);
    emb_buf_putc(b, '}');
    for (size_t i = 0; i < m->nevidence; i++) {
        const emb_evidence *v = &m->evidence[i];
        if (v->outcome == EMB_EV_NO_DATA)
            continue;
        emb_buf_printf(b, ",\"%s_%s\":{\"detail\":", emb_evidence_field_name(v->field),
                       v->outcome == EMB_EV_AGREE ? "match" : "mismatch");
        char d[96];
        snprintf(d, sizeof(d), "score effect %+.2f", v->effect);
        emb_buf_json_str(b, d);
        emb_buf_puts(b, ",\"score\":1.0");
        put_kstr(b, "query", v->query);
        put_kstr(b, "candidate", v->listed);
        emb_buf_putc(b, '}');
    }
    emb_buf_puts(b, "},\"features\":{\"name_match\":");
    put_score(b, m->name_score);
    for (size_t i = 0; i < m->nevidence; i++) {
        const emb_evidence *v = &m->evidence[i];
        if (v->outcome == EMB_EV_NO_DATA)
            continue;
        emb_buf_printf(b, ",\"%s_%s\":1.0", emb_evidence_field_name(v->field),
                       v->outcome == EMB_EV_AGREE ? "match" : "mismatch");
    }
    emb_buf_putc(b, '}');
}

static void handle_match(srv_set *s, const emb_api_req *r, const char *ds, emb_api_resp *resp,
                         int *nqueries)
{
    long limit = 5;
    double threshold = EMB_DEFAULT_THRESHOLD, cutoff = 0.70;
    rfilter f;
    memset(&f, 0, sizeof(f));
    cJSON *root = NULL;
    emb_qrec rec;
    emb_qrec_init(&rec);
    char msg[640];

    if (arg_int(resp, r, "limit", 1, MAX_LIMIT, &limit) < 0 ||
        arg_float(resp, r, "threshold", &threshold) < 0 ||
        arg_float(resp, r, "cutoff", &cutoff) < 0)
        goto done;
    const char *algo = arg1(r, "algorithm");
    if (algo && !algo_ok(algo)) {
        snprintf(msg, sizeof(msg), "Invalid algorithm: %.200s", algo);
        err_detail(resp, 400, msg);
        goto done;
    }
    if (argc_all(r, "exclude_entity_ids") > MAX_EXCLUDE_IDS) {
        err_422_query(resp, "exclude_entity_ids", "List should have at most 50 items",
                      "too_long");
        goto done;
    }
    f.nexcl_ids = argv_all(r, "exclude_entity_ids", f.excl_ids, MAX_ARGS_PER_NAME);
    f.nexcl_schema = argv_all(r, "exclude_schema", f.excl_schema, MAX_ARGS_PER_NAME);
    f.ntopics = argv_all(r, "topics", f.topics, MAX_ARGS_PER_NAME);
    f.since = arg1(r, "changed_since");
    if (f.since && !valid_since(f.since)) {
        err_422_query(resp, "changed_since", "Input should be a valid datetime", "value_error");
        goto done;
    }
    dsel sel;
    if (select_lists(s, r, ds, &sel) < 0) {
        err_detail(resp, 404, "No such dataset.");
        goto done;
    }

    const char *end = NULL;
    root = cJSON_ParseWithLengthOpts(r->body ? r->body : "", r->len, &end, 0);
    if (!root) {
        size_t pos = end && r->body && end >= r->body ? (size_t)(end - r->body) : 0;
        snprintf(msg, sizeof(msg), "Invalid JSON at byte %zu", pos);
        err_detail(resp, 400, msg);
        goto done;
    }
    if (!cJSON_IsObject(root)) {
        const char *loc[] = { "body", NULL };
        err_422(resp, loc, "Input should be a valid dictionary", "model_attributes_type");
        goto done;
    }
    const cJSON *queries = cJSON_GetObjectItemCaseSensitive(root, "queries");
    if (!queries) {
        const char *loc[] = { "body", "queries", NULL };
        err_422(resp, loc, "Field required", "missing");
        goto done;
    }
    if (!cJSON_IsObject(queries)) {
        const char *loc[] = { "body", "queries", NULL };
        err_422(resp, loc, "Input should be a valid dictionary", "dict_type");
        goto done;
    }
    const cJSON *config = cJSON_GetObjectItemCaseSensitive(root, "config");
    if (config && cJSON_IsObject(config)) {
        const cJSON *c;
        cJSON_ArrayForEach(c, config) {
            int known = 0;
            for (size_t i = 0; i < EMB_ARRAY_LEN(config_keys); i++)
                if (c->string && strcmp(c->string, config_keys[i]) == 0)
                    known = 1;
            if (!known) {
                snprintf(msg, sizeof(msg), "Invalid configuration parameter: %.200s for algorithm %s",
                         c->string ? c->string : "", algo ? algo : "best");
                err_detail(resp, 400, msg);
                goto done;
            }
        }
    }
    int nq = cJSON_GetArraySize(queries);
    if (nq == 0) {
        err_detail(resp, 400, "No queries provided.");
        goto done;
    }
    if (nq > EMB_API_MAX_BATCH) {
        err_detail(resp, 400, "Too many queries in one batch (limit: 100)");
        goto done;
    }
    /* validate every query first: one bad query fails the whole batch */
    const cJSON *q;
    cJSON_ArrayForEach(q, queries) {
        const char *key = q->string ? q->string : "";
        if (!cJSON_IsObject(q)) {
            const char *loc[] = { "body", "queries", key, NULL };
            err_422(resp, loc, "Input should be a valid dictionary", "model_attributes_type");
            goto done;
        }
        const cJSON *sch = cJSON_GetObjectItemCaseSensitive(q, "schema");
        if (!sch || !cJSON_IsString(sch)) {
            const char *loc[] = { "body", "queries", key, "schema", NULL };
            err_422(resp, loc, sch ? "Input should be a valid string" : "Field required",
                    sch ? "string_type" : "missing");
            goto done;
        }
        emb_qschema qs;
        if (emb_qschema_parse(&qs, sch->valuestring) < 0) {
            snprintf(msg, sizeof(msg), "Cannot parse example entity: Unknown schema: '%.100s'",
                     sch->valuestring);
            err_detail(resp, 400, msg);
            goto done;
        }
    }

    emb_screen_opts so = EMB_SCREEN_OPTS_INIT;
    double eff_cutoff = cutoff < threshold ? cutoff : threshold;
    so.threshold = threshold;
    so.cutoff = eff_cutoff;
    so.limit = SCREEN_LIMIT;
    so.lists = sel.lists;
    so.nlists = sel.n;

    emb_buf *b = &resp->body;
    emb_buf_clear(b);
    emb_buf_puts(b, "{\"responses\":{");
    int qi = 0;
    cJSON_ArrayForEach(q, queries) {
        const char *key = q->string ? q->string : "";
        char *text = cJSON_PrintUnformatted(q);
        int rc = text ? emb_qrec_from_json(&rec, text, strlen(text))
                      : emb_err_set(EMB_ENOMEM, "out of memory");
        cJSON_free(text);
        if (rc < 0) {
            snprintf(msg, sizeof(msg), "Cannot parse example entity: %.500s", emb_err_last());
            err_detail(resp, rc == EMB_ENOMEM ? 500 : 400, msg);
            goto done;
        }
        emb_results *res = NULL;
        if (!sel.none && (rc = emb_screen(&res, s->ls, &rec.q, &so)) < 0) {
            snprintf(msg, sizeof(msg), "Screening failed: %.500s", emb_err_last());
            err_detail(resp, rc == EMB_EINVAL ? 400 : 500, msg);
            goto done;
        }
        if (qi++)
            emb_buf_putc(b, ',');
        emb_buf_json_str(b, key);
        emb_buf_puts(b, ":{\"status\":200,\"results\":[");
        size_t nres = res ? emb_results_count(res) : 0, shown = 0, total = 0;
        for (size_t i = 0; i < nres; i++) {
            const emb_match *m = emb_results_get(res, i);
            if (m->score <= eff_cutoff || !passes(&f, m->entity))
                continue;
            if (m->score >= threshold)
                total++;
            if (shown >= (size_t)limit)
                continue;
            if (shown++)
                emb_buf_putc(b, ',');
            put_entity_open(b, s, m->entity);
            emb_buf_puts(b, ",\"score\":");
            put_score(b, m->score);
            emb_buf_printf(b, ",\"match\":%s", m->score >= threshold ? "true" : "false");
            put_explanations(b, m);
            emb_buf_putc(b, '}');
        }
        emb_buf_printf(b, "],\"total\":{\"value\":%zu,\"relation\":\"eq\"},\"query\":{\"id\":",
                       total);
        if (rec.id)
            emb_buf_json_str(b, rec.id);
        else
            emb_buf_puts(b, "null");
        put_kstr(b, "schema", qschema_name(rec.q.schema));
        emb_buf_puts(b, ",\"properties\":{");
        int first = 1;
        put_strs(b, "name", rec.q.names, rec.q.nnames, &first);
        put_strs(b, "birthDate", rec.q.birth_dates, rec.q.nbirth_dates, &first);
        put_strs(b, "country", rec.q.countries, rec.q.ncountries, &first);
        put_strs(b, "idNumber", rec.q.identifiers, rec.q.nidentifiers, &first);
        if (rec.q.gender)
            put_strs(b, "gender", &rec.q.gender, 1, &first);
        emb_buf_putc(b, '}');
        if (res && emb_results_warning_count(res)) {
            emb_buf_puts(b, ",\"warnings\":[");
            for (size_t i = 0; i < emb_results_warning_count(res); i++) {
                if (i)
                    emb_buf_putc(b, ',');
                emb_buf_json_str(b, emb_results_warning(res, i));
            }
            emb_buf_putc(b, ']');
        }
        emb_buf_puts(b, "}}");
        emb_results_free(res);
    }
    if (emb_buf_printf(b, "},\"limit\":%ld}", limit) < 0) {
        err_detail(resp, 500, "Response too large");
        goto done;
    }
    resp->status = 200;
    resp->batch_size = nq;
    *nqueries = nq;
done:
    emb_qrec_dispose(&rec);
    cJSON_Delete(root);
}

/* ---- /search --------------------------------------------------------------- */

/* The country codes an entity carries, as the `countries` filter and facet
 * see them: nationalities, address countries and a vessel's flag. */
static int entity_has_country(const emb_entity *e, const char *cc)
{
    for (size_t i = 0; i < e->nnationalities; i++)
        if (e->nationalities[i].cc && strcasecmp(e->nationalities[i].cc, cc) == 0)
            return 1;
    for (size_t i = 0; i < e->naddresses; i++)
        if (e->addresses[i].cc && strcasecmp(e->addresses[i].cc, cc) == 0)
            return 1;
    return e->flag_cc && strcasecmp(e->flag_cc, cc) == 0;
}

/* n values of one filter: any of them (filter_op=OR, yente's default) or
 * all of them (AND). No values: no filter. */
static int entity_in_countries(const emb_entity *e, const char *const *cc, size_t n, int all)
{
    for (size_t j = 0; j < n; j++) {
        int ok = entity_has_country(e, cc[j]);
        if (ok && !all)
            return 1;
        if (!ok && all)
            return 0;
    }
    return !n || all;
}

static const char *entity_dataset(const srv_set *s, const emb_entity *e)
{
    return e->list_index < s->nlists ? s->dsname[e->list_index] : "";
}

static int entity_in_datasets(const srv_set *s, const emb_entity *e, const char *const *ds,
                              size_t n, int all)
{
    const char *mine = entity_dataset(s, e);
    for (size_t j = 0; j < n; j++) {
        int ok = strcmp(ds[j], mine) == 0;
        if (ok && !all)
            return 1;
        if (!ok && all)
            return 0;
    }
    return !n || all;
}

static int schema_ok(emb_qschema qs, const emb_entity *e)
{
    switch (qs) {
    case EMB_Q_PERSON: return e->schema == EMB_SCHEMA_PERSON;
    case EMB_Q_ORGANIZATION: return e->schema == EMB_SCHEMA_ORGANIZATION;
    case EMB_Q_LEGAL_ENTITY:
        return e->schema == EMB_SCHEMA_PERSON || e->schema == EMB_SCHEMA_ORGANIZATION;
    case EMB_Q_VESSEL: return e->schema == EMB_SCHEMA_VESSEL;
    case EMB_Q_AIRPLANE: return e->schema == EMB_SCHEMA_AIRCRAFT;
    default: return 1;
    }
}

static int list_selected(const dsel *sel, const emb_entity *e)
{
    if (sel->none)
        return 0;
    if (!sel->n)
        return 1;
    for (size_t i = 0; i < sel->n; i++)
        if (strcmp(sel->lists[i], e->list) == 0)
            return 1;
    return 0;
}

/* Facets, as yente computes them with search-engine terms aggregations over
 * every result that passes the query and filters (not only the returned
 * page): per field, the distinct values with the number of entities that
 * carry each (an entity counts once per value), most frequent first, ties
 * by value, at most FACET_MAX_VALUES. Keys point into the served set or are
 * static, so nothing is copied. */
enum { FC_DATASETS, FC_SCHEMA, FC_COUNTRIES, FC_IDENTIFIERS, FC_TOPICS, FC_GENDERS, FC_COUNT };
static const char *const facet_fields[FC_COUNT] = { "datasets", "schema", "countries",
    "identifiers", "topics", "genders" };
static const char *const facet_labels[FC_COUNT] = { "Data sources", "Entity types", "Countries",
    "Identifiers", "Topics", "Genders" };
#define FACET_MAX_VALUES 1000
#define FACET_ENUM_MSG "Input should be 'datasets', 'schema', 'countries', 'identifiers', " \
                       "'topics' or 'genders'"

typedef struct fbucket {
    const char *key;
    size_t count;
    size_t stamp;                 /* last entity counted (once per entity) */
} fbucket;

typedef struct facet {
    fbucket *v;                   /* buckets, in order of first appearance */
    size_t n;
    size_t *slot;                 /* open addressing: bucket index + 1, 0 = empty */
    size_t nslot;                 /* a power of two, > 2 n */
    int oom;
} facet;

static size_t key_hash(const char *s)
{
    return (size_t)fnv1a(FNV_SEED, s, strlen(s));
}

static int facet_rehash(facet *f)
{
    size_t ns = f->nslot ? f->nslot * 2 : 64;
    size_t *slot = emb_calloc(ns, sizeof(*slot));
    if (!slot)
        return -1;
    for (size_t k = 0; k < f->n; k++) {
        size_t i = key_hash(f->v[k].key) & (ns - 1);
        while (slot[i])
            i = (i + 1) & (ns - 1);
        slot[i] = k + 1;
    }
    emb_free(f->slot);
    f->slot = slot;
    f->nslot = ns;
    return 0;
}

static void facet_add(facet *f, const char *key, size_t stamp)
{
    if (!key || !*key || f->oom)
        return;
    if ((f->n + 1) * 2 > f->nslot && facet_rehash(f) < 0) {
        f->oom = 1;
        return;
    }
    size_t mask = f->nslot - 1, i = key_hash(key) & mask;
    for (; f->slot[i]; i = (i + 1) & mask) {
        fbucket *b = &f->v[f->slot[i] - 1];
        if (strcmp(b->key, key) == 0) {
            if (b->stamp != stamp) {
                b->count++;
                b->stamp = stamp;
            }
            return;
        }
    }
    if (emb_grow(&f->v, f->n, sizeof(*f->v), SIZE_MAX) < 0) {
        f->oom = 1;
        return;
    }
    f->v[f->n].key = key;
    f->v[f->n].count = 1;
    f->v[f->n].stamp = stamp;
    f->slot[i] = ++f->n;
}

static void facet_dispose(facet *f)
{
    emb_free(f->v);
    emb_free(f->slot);
    memset(f, 0, sizeof(*f));
}

/* Identifier kinds that put_properties emits for this entity (the values of
 * FtM identifier-typed properties, which yente's `identifiers` field holds). */
static int id_emitted(const emb_entity *e, emb_id_kind k)
{
    if (e->schema == EMB_SCHEMA_PERSON)
        return k == EMB_ID_PASSPORT || k == EMB_ID_NATIONAL || k == EMB_ID_OTHER;
    return k != EMB_ID_PASSPORT;
}

/* `stamp` identifies the entity (distinct and nonzero per entity). */
static void facets_add_entity(facet *fc, const int *on, const srv_set *s, const emb_entity *e,
                              size_t stamp)
{
    if (on[FC_DATASETS])
        facet_add(&fc[FC_DATASETS], entity_dataset(s, e), stamp);
    if (on[FC_SCHEMA])
        facet_add(&fc[FC_SCHEMA], ftm_schema(e), stamp);
    if (on[FC_COUNTRIES]) {
        for (size_t i = 0; i < e->nnationalities; i++)
            facet_add(&fc[FC_COUNTRIES], e->nationalities[i].cc, stamp);
        for (size_t i = 0; i < e->naddresses; i++)
            facet_add(&fc[FC_COUNTRIES], e->addresses[i].cc, stamp);
        facet_add(&fc[FC_COUNTRIES], e->flag_cc, stamp);
    }
    if (on[FC_IDENTIFIERS]) {
        for (size_t i = 0; i < e->nidentifiers; i++)
            if (id_emitted(e, e->identifiers[i].kind))
                facet_add(&fc[FC_IDENTIFIERS], e->identifiers[i].number, stamp);
        if (e->schema != EMB_SCHEMA_PERSON)
            facet_add(&fc[FC_IDENTIFIERS], e->call_sign, stamp);
        facet_add(&fc[FC_IDENTIFIERS], e->reference, stamp);     /* programId */
    }
    if (on[FC_TOPICS])
        facet_add(&fc[FC_TOPICS], "sanction", stamp);
    if (on[FC_GENDERS])
        facet_add(&fc[FC_GENDERS], e->gender, stamp);
}

static int cmp_bucket(const void *a, const void *b)
{
    const fbucket *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->key, y->key);
}

static const char *schema_plural(const char *schema)
{
    static const char *const tab[][2] = { { "Person", "People" },
        { "Organization", "Organizations" }, { "LegalEntity", "Legal entities" },
        { "Company", "Companies" }, { "Vessel", "Vessels" }, { "Airplane", "Airplanes" } };
    for (size_t i = 0; i < EMB_ARRAY_LEN(tab); i++)
        if (strcmp(tab[i][0], schema) == 0)
            return tab[i][1];
    return schema;
}

/* The value label, as yente takes it from the FtM model and the catalog. */
static const char *facet_value_label(const srv_set *s, int field, const char *key)
{
    switch (field) {
    case FC_DATASETS: {
        int k = ds_index(s, key);
        const emb_list_info *li = k >= 0 ? emb_lists_list(s->ls, (size_t)k) : NULL;
        return li && li->title ? li->title : key;
    }
    case FC_SCHEMA:
        return schema_plural(key);
    case FC_COUNTRIES: {
        const char *name = emb_country_name(key);
        return name ? name : key;
    }
    case FC_TOPICS:
        return strcmp(key, "sanction") == 0 ? "Sanctioned entity" : key;
    default:
        return key;
    }
}

static void put_facets(emb_buf *b, const srv_set *s, facet *fc, const int *order, size_t norder)
{
    emb_buf_puts(b, "\"facets\":{");
    for (size_t j = 0; j < norder; j++) {
        int field = order[j];
        facet *f = &fc[field];
        if (f->n > 1)
            qsort(f->v, f->n, sizeof(*f->v), cmp_bucket);
        emb_buf_printf(b, "%s\"%s\":{\"label\":\"%s\",\"values\":[", j ? "," : "",
                       facet_fields[field], facet_labels[field]);
        for (size_t i = 0; i < f->n && i < FACET_MAX_VALUES; i++) {
            emb_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
            emb_buf_json_str(b, f->v[i].key);
            emb_buf_puts(b, ",\"label\":");
            emb_buf_json_str(b, facet_value_label(s, field, f->v[i].key));
            emb_buf_printf(b, ",\"count\":%zu}", f->v[i].count);
        }
        emb_buf_puts(b, "]}");
    }
    emb_buf_putc(b, '}');
}

/* 422 for the i-th value of a list parameter. */
static void err_422_item(emb_api_resp *resp, const char *name, size_t i, const char *msg,
                         const char *type)
{
    resp->status = 422;
    emb_buf *b = &resp->body;
    emb_buf_clear(b);
    emb_buf_puts(b, "{\"detail\":[{\"loc\":[\"query\",");
    emb_buf_json_str(b, name);
    emb_buf_printf(b, ",%zu],\"msg\":", i);
    emb_buf_json_str(b, msg);
    emb_buf_puts(b, ",\"type\":");
    emb_buf_json_str(b, type);
    emb_buf_puts(b, "}]}");
}

/* facets=...: the fields asked for, in order, each once; none given:
 * yente's default (countries, topics, datasets). 0, or -1 after a 422. */
static int parse_facets(emb_api_resp *resp, const emb_api_req *r, int *order, size_t *norder)
{
    size_t n = 0, idx = 0;
    for (size_t i = 0; i < r->nargs; i++) {
        const char *key = r->args[i].key, *v = r->args[i].value;
        if (!key || (strcmp(key, "facets") != 0 && strcmp(key, "facets[]") != 0))
            continue;
        int field = -1;
        for (int k = 0; k < FC_COUNT && v; k++)
            if (strcmp(v, facet_fields[k]) == 0)
                field = k;
        if (field < 0) {
            err_422_item(resp, "facets", idx, FACET_ENUM_MSG, "enum");
            return -1;
        }
        idx++;
        int dup = 0;
        for (size_t j = 0; j < n; j++)
            dup |= order[j] == field;
        if (!dup)
            order[n++] = field;
    }
    if (!idx) {
        order[n++] = FC_COUNTRIES;
        order[n++] = FC_TOPICS;
        order[n++] = FC_DATASETS;
    }
    *norder = n;
    return 0;
}

static void handle_search(srv_set *s, const emb_api_req *r, const char *ds, emb_api_resp *resp)
{
    long limit = 10, offset = 0;
    rfilter f;
    memset(&f, 0, sizeof(f));
    emb_qschema qs = EMB_Q_THING;
    const char *cc[MAX_ARGS_PER_NAME], *dsf[MAX_ARGS_PER_NAME];
    size_t ncc, ndsf, norder = 0;
    int order[FC_COUNT], on[FC_COUNT] = { 0 }, all = 0;
    facet fc[FC_COUNT];
    memset(fc, 0, sizeof(fc));
    emb_results *res = NULL;

    if (arg_int(resp, r, "limit", 0, MAX_LIMIT, &limit) < 0 ||
        arg_int(resp, r, "offset", 0, 9499, &offset) < 0)
        return;
    const char *sch = arg1(r, "schema");
    if (sch && *sch && emb_qschema_parse(&qs, sch) < 0) {
        err_detail(resp, 400, "Invalid schema");
        return;
    }
    const char *op = arg1(r, "filter_op");
    if (op && strcmp(op, "OR") != 0 && strcmp(op, "AND") != 0) {
        err_422_query(resp, "filter_op", "Input should be 'OR' or 'AND'", "enum");
        return;
    }
    all = op && strcmp(op, "AND") == 0;
    if (parse_facets(resp, r, order, &norder) < 0)
        return;
    for (size_t j = 0; j < norder; j++)
        on[order[j]] = 1;
    f.nexcl_schema = argv_all(r, "exclude_schema", f.excl_schema, MAX_ARGS_PER_NAME);
    f.ntopics = argv_all(r, "topics", f.topics, MAX_ARGS_PER_NAME);
    f.topics_all = all;
    f.since = arg1(r, "changed_since");
    if (f.since && !valid_since(f.since)) {
        err_422_query(resp, "changed_since", "Input should be a valid datetime", "value_error");
        return;
    }
    ncc = argv_all(r, "countries", cc, MAX_ARGS_PER_NAME);
    ndsf = argv_all(r, "datasets", dsf, MAX_ARGS_PER_NAME);
    const char *flt[MAX_ARGS_PER_NAME];
    size_t nflt = argv_all(r, "filter", flt, MAX_ARGS_PER_NAME);
    for (size_t i = 0; i < nflt; i++) {
        const char *colon = strchr(flt[i], ':');
        if (!colon || colon == flt[i] || !colon[1]) {
            char msg[600];
            snprintf(msg, sizeof(msg), "Invalid filter: '%.500s'", flt[i]);
            err_detail(resp, 400, msg);
            return;
        }
    }
    dsel sel;
    if (select_lists(s, r, ds, &sel) < 0) {
        err_detail(resp, 404, "No such dataset.");
        return;
    }
    const char *qtext = arg1(r, "q");
    emb_buf *b = &resp->body;
    emb_buf_clear(b);
    emb_buf_puts(b, "{\"results\":[");
    size_t total = 0, shown = 0;
    if (qtext && *qtext) {
        emb_query q = EMB_QUERY_INIT;
        q.schema = qs;
        q.names = &qtext;
        q.nnames = 1;
        emb_screen_opts so = EMB_SCREEN_OPTS_INIT;
        so.cutoff = 0.5;
        so.limit = SCREEN_LIMIT;
        so.lists = sel.lists;
        so.nlists = sel.n;
        int rc = sel.none ? EMB_OK : emb_screen(&res, s->ls, &q, &so);
        if (rc < 0) {
            char msg[600];
            snprintf(msg, sizeof(msg), "Invalid query: %.500s", emb_err_last());
            err_detail(resp, 400, msg);
            return;
        }
        size_t n = res ? emb_results_count(res) : 0;
        for (size_t i = 0; i < n; i++) {
            const emb_match *m = emb_results_get(res, i);
            if (!passes(&f, m->entity) || !entity_in_countries(m->entity, cc, ncc, all) ||
                !entity_in_datasets(s, m->entity, dsf, ndsf, all) ||
                !entity_passes_filters(m->entity, flt, nflt, all))
                continue;
            total++;
            facets_add_entity(fc, on, s, m->entity, total);
            if (total <= (size_t)offset || shown >= (size_t)limit)
                continue;
            if (shown++)
                emb_buf_putc(b, ',');
            put_entity_open(b, s, m->entity);
            emb_buf_puts(b, ",\"score\":");
            put_score(b, m->score);
            emb_buf_putc(b, '}');
        }
    } else {
        size_t n = emb_lists_entity_count(s->ls);
        for (size_t i = 0; i < n; i++) {
            const emb_entity *e = emb_lists_entity(s->ls, i);
            if (!list_selected(&sel, e) || !schema_ok(qs, e) || !passes(&f, e) ||
                !entity_in_countries(e, cc, ncc, all) || !entity_in_datasets(s, e, dsf, ndsf, all) ||
                !entity_passes_filters(e, flt, nflt, all))
                continue;
            total++;
            facets_add_entity(fc, on, s, e, total);
            if (total <= (size_t)offset || shown >= (size_t)limit)
                continue;
            if (shown++)
                emb_buf_putc(b, ',');
            put_entity_open(b, s, e);
            emb_buf_putc(b, '}');
        }
    }
    int oom = 0;
    for (size_t k = 0; k < FC_COUNT; k++)
        oom |= fc[k].oom;
    if (oom) {
        err_detail(resp, 500, "Out of memory counting facets");
    } else {
        emb_buf_puts(b, "],");
        put_facets(b, s, fc, order, norder);
        if (emb_buf_printf(b, ",\"total\":{\"value\":%zu,\"relation\":\"eq\"},\"limit\":%ld,"
                              "\"offset\":%ld}", total, limit, offset) < 0)
            err_detail(resp, 500, "Response too large");
        else
            resp->status = 200;
    }
    for (size_t k = 0; k < FC_COUNT; k++)
        facet_dispose(&fc[k]);
    emb_results_free(res);
}

/* ---- /entities/{id}/adjacent ------------------------------------------------ */

/* The entity-typed properties of the FtM schemata we serve, inherited and
 * reverse properties included (FtM v4 model, opensanctions/followthemoney
 * js/src/defaultModel.json): yente answers
 * /entities/{id}/adjacent/{property} with 404 `No such property!` for a
 * name that is not one of them. */
static const char *const adj_thing[] = { "addressEntity", "candidateSimilars", "courtCase",
    "documentedBy", "matchSimilars", "noteEntities", "proof", "riskSource", "risks",
    "sanctions", "unknownLinkFrom", "unknownLinkTo", NULL };
static const char *const adj_legal_entity[] = { "agencyClient", "agentRepresentation",
    "callForTenders", "callsMade", "callsReceived", "contractAuthority",
    "contractAwardSupplier", "controlledEntities", "controllingEntities", "cryptoWallets",
    "debtCreditor", "debtDebtor", "delegatedCallForTenders", "directorshipDirector",
    "economicActivityDeclarant", "economicActivityHolder", "economicActivityReceiver",
    "economicActivitySender", "emailsReceived", "emailsSent", "eventsInvolved",
    "eventsOrganized", "identification", "membershipMember", "mentionedBy",
    "messagesReceived", "messagesSent", "operatedVehicles", "ownedVehicles", "ownershipOwner",
    "parent", "paymentBeneficiary", "paymentPayer", "predecessors", "projectParticipation",
    "securities", "subsidiaries", "successors", "taxRolls", "userAccounts", NULL };
static const char *const adj_person[] = { "associates", "associations", "employers",
    "familyPerson", "familyRelative", "images", "positionOccupancies", NULL };
static const char *const adj_organization[] = { "bankAccounts", "directorshipOrganization",
    "employees", "membershipOrganization", "positions", NULL };
static const char *const adj_vehicle[] = { "ownershipAsset", "declaredCustoms", "operator",
    "owner", "tripsInvolved", NULL };   /* Asset, Vehicle (Vessel, Airplane add none) */

static int in_list(const char *const *l, const char *name)
{
    for (; l && *l; l++)
        if (strcmp(*l, name) == 0)
            return 1;
    return 0;
}

static int entity_property(const emb_entity *e, const char *prop)
{
    if (in_list(adj_thing, prop))
        return 1;
    switch (e->schema) {
    case EMB_SCHEMA_PERSON:
        return in_list(adj_legal_entity, prop) || in_list(adj_person, prop);
    case EMB_SCHEMA_ORGANIZATION:   /* LegalEntity for UN entities: no Organization props */
        return in_list(adj_legal_entity, prop) ||
               (strcmp(ftm_schema(e), "Organization") == 0 && in_list(adj_organization, prop));
    case EMB_SCHEMA_VESSEL:
    case EMB_SCHEMA_AIRCRAFT:
        return in_list(adj_vehicle, prop);
    default:
        return 0;
    }
}

/* By id, OpenSanctions-style UN id (unsc-<DATAID>) or list reference. */
static const emb_entity *find_entity(const srv_set *s, const char *id)
{
    const emb_entity *e = emb_lists_find(s->ls, id);
    if (!e && strncmp(id, "unsc-", 5) == 0 && strlen(id) < 200) {
        char un[256];
        snprintf(un, sizeof(un), "un-%s", id + 5);
        e = emb_lists_find(s->ls, un);
    }
    return e;
}

/* The model holds no entity-to-entity links it could return with an FtM
 * property (docs/SERVE.md): vessels named in UN remarks are names of the
 * entry itself, sanctions, addresses and identity documents of FtM and OFAC
 * records are folded into the entity, and a vessel's owner or operator is
 * kept as text in one field that does not say which of the two it was. So
 * every entity has no adjacent entities: the shape is yente's, the lists
 * are empty. `sort` is accepted and has nothing to sort. */
static void handle_adjacent(srv_set *s, const emb_api_req *r, const char *id, const char *prop,
                            emb_api_resp *resp)
{
    long limit = 10, offset = 0;
    if (arg_int(resp, r, "limit", 0, MAX_LIMIT, &limit) < 0 ||
        arg_int(resp, r, "offset", 0, 9499, &offset) < 0)
        return;
    const emb_entity *e = find_entity(s, id);
    if (!e) {
        err_detail(resp, 404, "No such entity!");
        return;
    }
    emb_buf *b = &resp->body;
    if (prop) {
        if (!entity_property(e, prop)) {
            err_detail(resp, 404, "No such property!");
            return;
        }
        emb_buf_printf(b, "{\"limit\":%ld,\"offset\":%ld,\"total\":{\"value\":0,\"relation\":"
                          "\"eq\"},\"results\":[]}", limit, offset);
    } else {
        emb_buf_puts(b, "{\"entity\":");
        put_entity_open(b, s, e);
        emb_buf_puts(b, "},\"adjacent\":{}}");
    }
    resp->status = 200;
}

/* ---- the small endpoints ---------------------------------------------------- */

static void put_ds(emb_buf *b, const srv_set *s, const char *name, const char *title,
                   const char *date, size_t nent, const char *hash, const emb_api *api,
                   const char *children)
{
    emb_buf_puts(b, "{\"name\":");
    emb_buf_json_str(b, name);
    put_kstr(b, "title", title);
    put_kstr(b, "version", s->version);
    put_kstr(b, "updated_at", date && *date ? date : NULL);
    emb_buf_printf(b, ",\"children\":[%s],\"load\":true", children);
    put_kstr(b, "index_version", s->version);
    emb_buf_printf(b, ",\"index_current\":true,\"entity_count\":%zu", nent);
    put_kstr(b, "list_date", date && *date ? date : NULL);
    put_kstr(b, "content_hash", hash);
    put_kstr(b, "loaded_at", s->loaded_at);
    emb_buf_printf(b, ",\"last_load\":{\"status\":\"%s\"", api->last_ok ? "ok" : "failed");
    put_kstr(b, "at", api->last_at);
    put_kstr(b, "error", api->last_ok ? NULL : api->last_error);
    emb_buf_puts(b, "}}");
}

static void handle_catalog(emb_api *api, srv_set *s, const emb_api_req *r, emb_api_resp *resp)
{
    const char *inm = header(r, "If-None-Match");
    char etag[40];
    pthread_mutex_lock(&api->mu);
    snprintf(etag, sizeof(etag), "\"%s-%d\"", s->hash, api->last_ok);
    snprintf(resp->etag, sizeof(resp->etag), "%s", etag);
    if (inm && strcmp(inm, etag) == 0) {
        pthread_mutex_unlock(&api->mu);
        resp->status = 304;
        return;
    }
    emb_buf *b = &resp->body;
    emb_buf children, names;
    emb_buf_init(&children, 1 << 16);
    emb_buf_init(&names, 1 << 16);
    for (size_t i = 0; i < s->nlists; i++) {
        emb_buf_puts(&children, i ? "," : "");
        emb_buf_json_str(&children, s->dsname[i]);
        emb_buf_puts(&names, ",");
        emb_buf_json_str(&names, s->dsname[i]);
    }
    emb_buf_puts(b, "{\"datasets\":[");
    put_ds(b, s, "default", "All loaded lists", s->date, emb_lists_entity_count(s->ls), s->hash,
           api, emb_buf_cstr(&children));
    for (size_t i = 0; i < s->nlists; i++) {
        const emb_list_info *li = emb_lists_list(s->ls, i);
        emb_buf_putc(b, ',');
        put_ds(b, s, s->dsname[i], li->title, li->date, li->nentities, s->lhash[i], api, "");
    }
    emb_buf_printf(b, "],\"current\":[\"default\"%s],\"outdated\":[],\"index_stale\":false}",
                   emb_buf_cstr(&names));
    pthread_mutex_unlock(&api->mu);
    emb_buf_dispose(&children);
    emb_buf_dispose(&names);
    resp->status = 200;
}

static void handle_algorithms(emb_api_resp *resp)
{
    static const char body[] =
        "{\"algorithms\":[{\"name\":\"embargo\",\"description\":\"embargo's name matcher: "
        "normalised and transliterated name parts aligned token by token (exact, variant, "
        "fuzzy, initial), then birth date, country, identifier and gender evidence. The "
        "names logic-v1, logic-v2 and best are accepted and use the same scorer.\","
        "\"docs\":{\"name\":\"embargo\",\"description\":\"See docs/SERVE.md.\",\"config\":{},"
        "\"features\":{\"name_match\":{\"description\":\"Token alignment score of the best "
        "query name against the best listed name\",\"coefficient\":1.0,\"url\":\"\"},"
        "\"birth_date_match\":{\"description\":\"Birth dates agree\",\"coefficient\":1.0,"
        "\"url\":\"\"},\"birth_date_mismatch\":{\"description\":\"Birth dates conflict\","
        "\"coefficient\":1.0,\"url\":\"\"},\"country_mismatch\":{\"description\":"
        "\"Countries conflict\",\"coefficient\":1.0,\"url\":\"\"},\"identifier_match\":"
        "{\"description\":\"An identifier agrees\",\"coefficient\":1.0,\"url\":\"\"}}},"
        "\"features\":{}}],\"default\":\"embargo\",\"best\":\"embargo\"}";
    emb_buf_puts(&resp->body, body);
    resp->status = 200;
}

static void handle_readyz(emb_api *api, srv_set *s, emb_api_resp *resp)
{
    emb_buf *b = &resp->body;
    if (!s) {
        err_detail(resp, 503, "Index not ready.");
        return;
    }
    pthread_mutex_lock(&api->mu);
    emb_buf_puts(b, "{\"status\":\"ok\"");
    put_kstr(b, "list_date", s->date);
    put_kstr(b, "list_hash", s->hash);
    emb_buf_printf(b, ",\"entities\":%zu", emb_lists_entity_count(s->ls));
    emb_buf_printf(b, ",\"last_load\":{\"status\":\"%s\"", api->last_ok ? "ok" : "failed");
    put_kstr(b, "at", api->last_at);
    put_kstr(b, "error", api->last_ok ? NULL : api->last_error);
    emb_buf_puts(b, "}}");
    pthread_mutex_unlock(&api->mu);
    resp->status = 200;
}

static void handle_metrics(emb_api *api, srv_set *s, emb_api_resp *resp)
{
    emb_buf *b = &resp->body;
    resp->ctype = "text/plain; version=0.0.4; charset=utf-8";
    emb_buf_puts(b, "# HELP embargo_http_requests_total HTTP requests by endpoint and status.\n"
                    "# TYPE embargo_http_requests_total counter\n");
    for (size_t e = 0; e < EP_COUNT; e++)
        for (size_t k = 0; k < ST_COUNT; k++) {
            unsigned long v = atomic_load(&api->reqs[e][k]);
            if (!v)
                continue;
            if (st_codes[k])
                emb_buf_printf(b, "embargo_http_requests_total{endpoint=\"%s\",status=\"%d\"} %lu\n",
                               ep_names[e], st_codes[k], v);
            else
                emb_buf_printf(b, "embargo_http_requests_total{endpoint=\"%s\",status=\"other\"} %lu\n",
                               ep_names[e], v);
        }
    emb_buf_puts(b, "# HELP embargo_http_request_duration_seconds Request handling latency.\n"
                    "# TYPE embargo_http_request_duration_seconds histogram\n");
    unsigned long cum = 0;
    for (size_t i = 0; i < LAT_COUNT; i++) {
        cum += atomic_load(&api->lat[i]);
        if (i < EMB_ARRAY_LEN(lat_bounds_us))
            emb_buf_printf(b, "embargo_http_request_duration_seconds_bucket{le=\"%g\"} %lu\n",
                           lat_bounds_us[i] / 1e6, cum);
        else
            emb_buf_printf(b, "embargo_http_request_duration_seconds_bucket{le=\"+Inf\"} %lu\n",
                           cum);
    }
    emb_buf_printf(b, "embargo_http_request_duration_seconds_sum %.6f\n",
                   (double)atomic_load(&api->lat_sum_us) / 1e6);
    emb_buf_printf(b, "embargo_http_request_duration_seconds_count %lu\n", cum);
    emb_buf_printf(b, "# TYPE embargo_http_connections_total counter\n"
                      "embargo_http_connections_total %lu\n", atomic_load(&api->connections));
    emb_buf_printf(b, "# TYPE embargo_match_queries_total counter\n"
                      "embargo_match_queries_total %lu\n", atomic_load(&api->queries));
    emb_buf_printf(b, "# TYPE embargo_entities_loaded gauge\nembargo_entities_loaded %zu\n",
                   s ? emb_lists_entity_count(s->ls) : 0);
    emb_buf_puts(b, "# TYPE embargo_list_info gauge\n");
    for (size_t i = 0; s && i < s->nlists; i++) {
        const emb_list_info *li = emb_lists_list(s->ls, i);
        emb_buf_printf(b, "embargo_list_info{dataset=\"%s\",date=\"%s\",hash=\"%s\"} 1\n",
                       s->dsname[i], li->date ? li->date : "", s->lhash[i]);
    }
    if (s && strlen(s->date) >= 10) {
        int y, mo, d;
        if (sscanf(s->date, "%4d-%2d-%2d", &y, &mo, &d) == 3 && mo >= 1 && mo <= 12) {
            /* days from civil (Howard Hinnant), no timegm in POSIX */
            y -= mo <= 2;
            long era = (y >= 0 ? y : y - 399) / 400;
            long yoe = y - era * 400;
            long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
            long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
            long days = era * 146097 + doe - 719468;
            emb_buf_printf(b, "# TYPE embargo_list_date_seconds gauge\n"
                              "embargo_list_date_seconds %ld\n", days * 86400L);
        }
    }
    emb_buf_printf(b, "# TYPE embargo_reloads_total counter\n"
                      "embargo_reloads_total{result=\"ok\"} %lu\n"
                      "embargo_reloads_total{result=\"failed\"} %lu\n",
                   atomic_load(&api->reloads_ok), atomic_load(&api->reloads_failed));
    resp->status = 200;
}

/* ---- dispatch ------------------------------------------------------------- */

static int path_arg(const char *path, const char *prefix, const char **rest)
{
    size_t n = strlen(prefix);
    if (strncmp(path, prefix, n) != 0 || !path[n] || strchr(path + n, '/'))
        return 0;
    *rest = path + n;
    return 1;
}

/* /entities/{id}/adjacent[/{property}]: the id copied into idbuf, *prop the
 * property or NULL. An empty id or property segment does not match. */
static int adjacent_path(const char *path, char *idbuf, size_t idsz, const char **prop)
{
    static const char pre[] = "/entities/", mid[] = "/adjacent";
    if (strncmp(path, pre, sizeof(pre) - 1) != 0)
        return 0;
    const char *id = path + sizeof(pre) - 1, *slash = strchr(id, '/');
    if (!slash || slash == id || strncmp(slash, mid, sizeof(mid) - 1) != 0)
        return 0;
    const char *rest = slash + sizeof(mid) - 1;
    if (*rest && (*rest != '/' || !rest[1] || strchr(rest + 1, '/')))
        return 0;
    size_t n = (size_t)(slash - id);
    if (n >= idsz)
        n = idsz - 1;    /* a longer id is found nowhere: 404 */
    memcpy(idbuf, id, n);
    idbuf[n] = '\0';
    *prop = *rest ? rest + 1 : NULL;
    return 1;
}

static void route(emb_api *api, srv_set *s, const emb_api_req *r, emb_api_resp *resp, int *ep,
                  int *nq)
{
    const char *p = r->path ? r->path : "/";
    const char *m = r->method ? r->method : "";
    const char *arg = NULL, *prop = NULL;
    char idbuf[512];
    int get = strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
    int post = strcmp(m, "POST") == 0;

    if (strcmp(p, "/healthz") == 0) {
        *ep = EP_HEALTHZ;
    } else if (strcmp(p, "/readyz") == 0) {
        *ep = EP_READYZ;
    } else if (strcmp(p, "/metrics") == 0) {
        *ep = EP_METRICS;
    } else if (strcmp(p, "/catalog") == 0 || strcmp(p, "/manifest") == 0) {
        *ep = EP_CATALOG;
    } else if (strcmp(p, "/algorithms") == 0) {
        *ep = EP_ALGORITHMS;
    } else if (strcmp(p, "/updatez") == 0) {
        *ep = EP_UPDATEZ;
    } else if (strcmp(p, "/") == 0 || strcmp(p, "/index.html") == 0) {
        *ep = EP_PAGE;
    } else if (path_arg(p, "/match/", &arg)) {
        *ep = EP_MATCH;
    } else if (path_arg(p, "/search/", &arg)) {
        *ep = EP_SEARCH;
    } else if (path_arg(p, "/entities/", &arg)) {
        *ep = EP_ENTITIES;
    } else if (adjacent_path(p, idbuf, sizeof(idbuf), &prop)) {
        *ep = EP_ADJACENT;
        arg = idbuf;
    } else if (strcmp(p, "/openapi.json") == 0) {
        *ep = EP_OPENAPI;
    } else {
        *ep = EP_OTHER;
        err_detail(resp, 404, "Not Found");
        return;
    }

    if (api->api_key && *ep != EP_HEALTHZ) {
        const char *token = bearer_token(header(r, "Authorization"));
        int ok = token && ct_equal(token, api->api_key);
        if (!ok) {
            err_detail(resp, 401, "Not authenticated");
            return;
        }
    }
    int want_post = *ep == EP_MATCH || *ep == EP_UPDATEZ;
    if ((want_post && !post) || (!want_post && !get)) {
        err_detail(resp, 405, "Method Not Allowed");
        return;
    }
    if (!s && *ep != EP_HEALTHZ && *ep != EP_METRICS && *ep != EP_OPENAPI) {
        err_detail(resp, 503, "Index not ready.");
        return;
    }
    switch (*ep) {
    case EP_HEALTHZ:
        emb_buf_puts(&resp->body, "{\"status\":\"ok\"}");
        resp->status = 200;
        break;
    case EP_READYZ:
        handle_readyz(api, s, resp);
        break;
    case EP_METRICS:
        handle_metrics(api, s, resp);
        break;
    case EP_CATALOG:
        handle_catalog(api, s, r, resp);
        break;
    case EP_ALGORITHMS:
        handle_algorithms(resp);
        break;
    case EP_PAGE:
        resp->ctype = "text/html; charset=utf-8";
        resp->static_body = emb__blob_web_page;
        resp->static_len = (size_t)(emb__blob_web_page_end - emb__blob_web_page);
        resp->status = 200;
        break;
    case EP_MATCH:
        handle_match(s, r, arg, resp, nq);
        break;
    case EP_SEARCH:
        handle_search(s, r, arg, resp);
        break;
    case EP_ADJACENT:
        handle_adjacent(s, r, arg, prop, resp);
        break;
    case EP_OPENAPI:
        resp->static_body = emb_api_openapi(&resp->static_len);
        resp->status = 200;
        break;
    case EP_ENTITIES: {
        const emb_entity *e = find_entity(s, arg);
        if (!e) {
            err_detail(resp, 404, "No such entity!");
            break;
        }
        put_entity_open(&resp->body, s, e);
        emb_buf_putc(&resp->body, '}');
        resp->status = 200;
        break;
    }
    case EP_UPDATEZ: {
        const char *tok = arg1(r, "token");
        if (!api->update_token || !tok || !ct_equal(tok, api->update_token)) {
            err_detail(resp, 403, "Invalid token.");
            break;
        }
        if (emb_api_reload(api) < 0) {
            char msg[600];
            snprintf(msg, sizeof(msg), "Reload failed, still serving the previous lists: %.500s",
                     emb_err_last());
            err_detail(resp, 500, msg);
            break;
        }
        srv_set *ns = set_acquire(api);
        emb_buf_puts(&resp->body, "{\"status\":\"ok\"");
        put_kstr(&resp->body, "list_date", ns ? ns->date : NULL);
        put_kstr(&resp->body, "list_hash", ns ? ns->hash : NULL);
        emb_buf_puts(&resp->body, "}");
        set_release(ns);
        resp->status = 200;
        break;
    }
    default:
        err_detail(resp, 404, "Not Found");
        break;
    }
}

void emb_api_handle(emb_api *api, const emb_api_req *req, emb_api_resp *resp)
{
    double t0 = now_us();
    unsigned long id = atomic_fetch_add(&api->next_id, 1) + 1;
    snprintf(resp->request_id, sizeof(resp->request_id), "%lx", id);
    srv_set *s = set_acquire(api);
    int ep = EP_OTHER, nq = 0;
    route(api, s, req, resp, &ep, &nq);
    if (!resp->status)
        err_detail(resp, 500, "Internal error");
    if (emb_buf_cstr(&resp->body)[0] == '\0' && !resp->static_body && resp->status != 304 &&
        resp->body.len == 0 && resp->status >= 400)
        err_detail(resp, resp->status, "Error");
    if (s) {
        snprintf(resp->list_date, sizeof(resp->list_date), "%s", s->date);
        snprintf(resp->list_hash, sizeof(resp->list_hash), "%s", s->hash);
    }
    set_release(s);

    double us = now_us() - t0;
    if (us < 0)
        us = 0;
    size_t k = 0;
    while (k + 1 < ST_COUNT && st_codes[k] != resp->status)
        k++;
    atomic_fetch_add(&api->reqs[ep][k], 1);
    size_t bkt = 0;
    while (bkt < EMB_ARRAY_LEN(lat_bounds_us) && us > lat_bounds_us[bkt])
        bkt++;
    atomic_fetch_add(&api->lat[bkt], 1);
    atomic_fetch_add(&api->lat_sum_us, (unsigned long)us);
    atomic_fetch_add(&api->queries, (unsigned long)nq);
    if (api->log) {
        char ts[24];
        now_iso(ts, sizeof(ts));
        pthread_mutex_lock(&api->log_mu);
        fprintf(api->log,
                "{\"ts\":\"%sZ\",\"request_id\":\"%s\",\"method\":\"%.10s\",\"endpoint\":\"%s\","
                "\"status\":%d,\"latency_us\":%.0f,\"queries\":%d}\n",
                ts, resp->request_id, (req->method && strspn(req->method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == strlen(req->method)) ? req->method : "?",
                ep_names[ep], resp->status, us, nq);
        fflush(api->log);
        pthread_mutex_unlock(&api->log_mu);
    }
}
