/*
 * buf.h - a growable byte buffer with a hard cap (curl's dynbuf idea).
 * The buffer is always NUL-terminated when non-empty; emb_buf_dispose frees
 * the storage. Appending past `max` returns EMB_ETOOBIG and leaves the
 * contents unchanged.
 */
#ifndef EMB_BUF_H
#define EMB_BUF_H

#include "util/compat.h"

typedef struct emb_buf {
    char *ptr;    /* NUL-terminated contents, or NULL when never written */
    size_t len;   /* bytes used, excluding the NUL */
    size_t cap;   /* bytes allocated */
    size_t max;   /* largest len allowed */
} emb_buf;

void emb_buf_init(emb_buf *b, size_t max);
void emb_buf_dispose(emb_buf *b);
void emb_buf_clear(emb_buf *b); /* len = 0, keep storage */
int emb_buf_append(emb_buf *b, const void *p, size_t n);
int emb_buf_putc(emb_buf *b, char c);
int emb_buf_puts(emb_buf *b, const char *s);
int emb_buf_printf(emb_buf *b, const char *fmt, ...) EMB_PRINTF(2, 3);
/* Append s as a JSON string literal, quotes included. */
int emb_buf_json_str(emb_buf *b, const char *s);
/* Always returns a valid C string ("" when empty). */
const char *emb_buf_cstr(const emb_buf *b);

#endif
