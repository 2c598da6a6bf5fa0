/*
 * err.c - thread-local last-error message and the fixed text of each code.
 */
#include "util/compat.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "embargo.h"
#include "util/err.h"

#define EMB_ERR_MSG_MAX 1024

static _Thread_local char last_msg[EMB_ERR_MSG_MAX];

int emb_err_set(int code, const char *fmt, ...)
{
    /* format into a scratch buffer first: callers often add context to the
     * previous message, passing emb_err_last() itself as an argument */
    char tmp[EMB_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    memcpy(last_msg, tmp, sizeof(tmp));
    return code;
}

void emb_err_clear(void)
{
    last_msg[0] = '\0';
}

EMB_API const char *emb_err_last(void)
{
    return last_msg;
}

EMB_API const char *emb_strerror(int code)
{
    switch (code) {
    case EMB_OK: return "success";
    case EMB_ENOMEM: return "out of memory";
    case EMB_EINVAL: return "invalid argument";
    case EMB_EPARSE: return "malformed input";
    case EMB_EIO: return "input/output error";
    case EMB_ETOOBIG: return "input exceeds a size limit";
    case EMB_ENOTFOUND: return "not found";
    case EMB_EUNICODE: return "text conversion failed";
    default: return "unknown error";
    }
}
