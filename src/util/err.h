/*
 * err.h - error reporting: functions return an emb_error code (embargo.h);
 * the detail goes into a thread-local message that the caller reads with
 * emb_err_last(). The message is per thread, so concurrent screening threads
 * never see each other's errors.
 */
#ifndef EMB_ERR_H
#define EMB_ERR_H

#include "util/compat.h"

/* Set the thread's last error message; returns code so callers can write
 * `return emb_err_set(EMB_EPARSE, "...")`. */
int emb_err_set(int code, const char *fmt, ...) EMB_PRINTF(2, 3);
void emb_err_clear(void);

#endif
