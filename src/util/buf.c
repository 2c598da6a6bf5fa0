/*
 * buf.c - capped growable buffer. Growth doubles; the cap is checked before
 * any allocation so a hostile input cannot make us allocate past it.
 */
#include "util/compat.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "embargo.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/err.h"

void emb_buf_init(emb_buf *b, size_t max)
{
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void emb_buf_dispose(emb_buf *b)
{
    emb_free(b->ptr);
    emb_buf_init(b, b->max);
}

void emb_buf_clear(emb_buf *b)
{
    b->len = 0;
    if (b->ptr)
        b->ptr[0] = '\0';
}

static int reserve(emb_buf *b, size_t n)
{
    if (n > b->max || b->len > b->max - n)
        return emb_err_set(EMB_ETOOBIG, "buffer limit of %zu bytes reached", b->max);
    size_t need = b->len + n + 1;
    if (need <= b->cap)
        return EMB_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = emb_realloc(b->ptr, cap);
    if (!p)
        return emb_err_set(EMB_ENOMEM, "out of memory growing a buffer to %zu bytes", cap);
    b->ptr = p;
    b->cap = cap;
    return EMB_OK;
}

int emb_buf_append(emb_buf *b, const void *p, size_t n)
{
    int rc = reserve(b, n);
    if (rc < 0)
        return rc;
    if (n)
        memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return EMB_OK;
}

int emb_buf_putc(emb_buf *b, char c)
{
    return emb_buf_append(b, &c, 1);
}

int emb_buf_puts(emb_buf *b, const char *s)
{
    return emb_buf_append(b, s, strlen(s));
}

int emb_buf_printf(emb_buf *b, const char *fmt, ...)
{
    va_list ap;
    char small[256];
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return emb_err_set(EMB_EINVAL, "bad format");
    if ((size_t)n < sizeof(small))
        return emb_buf_append(b, small, (size_t)n);
    int rc = reserve(b, (size_t)n);
    if (rc < 0)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return EMB_OK;
}

int emb_buf_json_str(emb_buf *b, const char *s)
{
    int rc = emb_buf_putc(b, '"');
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *run = p;
    for (; rc == EMB_OK && *p; p++) {
        const char *esc = NULL;
        char hex[8];
        switch (*p) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            if (*p < 0x20) {
                snprintf(hex, sizeof(hex), "\\u%04x", *p);
                esc = hex;
            }
        }
        if (esc) {
            rc = emb_buf_append(b, run, (size_t)(p - run));
            if (rc == EMB_OK)
                rc = emb_buf_puts(b, esc);
            run = p + 1;
        }
    }
    if (rc == EMB_OK)
        rc = emb_buf_append(b, run, (size_t)(p - run));
    if (rc == EMB_OK)
        rc = emb_buf_putc(b, '"');
    return rc;
}

const char *emb_buf_cstr(const emb_buf *b)
{
    return b->ptr ? b->ptr : "";
}
