/*
 * compat.h - platform glue included first by every source file.
 *
 * The build defines _POSIX_C_SOURCE=200809L (C17 alone hides clock_gettime,
 * strdup, getline...). This header adds the few attribute macros we use.
 */
#ifndef EMB_COMPAT_H
#define EMB_COMPAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#if defined(__GNUC__)
#define EMB_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define EMB_UNUSED __attribute__((unused))
#define EMB_LIKELY(x) __builtin_expect(!!(x), 1)
#define EMB_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define EMB_PREFETCH(p) __builtin_prefetch(p)   /* a hint only: never faults */
#else
#define EMB_PRINTF(f, a)
#define EMB_UNUSED
#define EMB_LIKELY(x) (x)
#define EMB_UNLIKELY(x) (x)
#define EMB_PREFETCH(p) ((void)(p))
#endif

#define EMB_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
