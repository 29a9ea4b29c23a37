/* common.h - small pieces shared by every stage: cell views, the error
 * macro family, status helpers.  Internal to the library. */
#ifndef ESF_COMMON_H
#define ESF_COMMON_H

#include "esfmon.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A view of bytes owned by someone else (the input buffer, mostly). */
typedef struct {
    const char *p;
    size_t len;
} esf_view;

/* The message of the last failure; filled by esf_fail, read by the caller. */
typedef struct {
    char msg[768];
} esf_err;

/* Records a message and returns st, so that a failure is one line. */
esf_status esf_fail(esf_err *err, esf_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends a printable, quoted rendering of bytes to a message buffer:
 * control bytes and non-ASCII as \xNN, at most max bytes then "...". */
void esf_quote_bytes(char *dst, size_t dstlen, const char *p, size_t len, size_t max);

#define RETURN_ERROR_IF(cond, err, st, ...)                                  \
    do {                                                                     \
        if (cond) return esf_fail((err), (st), __VA_ARGS__);                 \
    } while (0)

#define FORWARD_IF_ERROR(expr)                                               \
    do {                                                                     \
        esf_status fwd_st_ = (expr);                                         \
        if (fwd_st_ != ESF_OK) return fwd_st_;                               \
    } while (0)

#define ESF_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define ESF_LIKELY(x) __builtin_expect(!!(x), 1)
#define ESF_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define ESF_LIKELY(x) (x)
#define ESF_UNLIKELY(x) (x)
#endif

/* Grows a buffer geometrically to hold at least need elements of size sz. */
esf_status esf_grow(void **buf, size_t *cap, size_t need, size_t sz);

#endif
