/* common.h - small pieces shared by every stage: cell views, the error
 * macro family, status helpers.  Internal to the library. */
#ifndef ESF_COMMON_H
#define ESF_COMMON_H

#include "esfmon.h"
#include "schema.h"
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

/* What snprintf(dst, cap, "%s", src) and snprintf(dst, cap, "%" PRIu64, v)
 * write (cut to cap - 1 bytes, NUL-terminated; cap > 0), without its
 * format machinery: the tables have thousands of cells. */
void esf_copy_cut(char *dst, size_t cap, const char *src);
void esf_u64_text(char *dst, size_t cap, uint64_t v);

/* pthread_create with every signal blocked in the new thread: the
 * library's threads take no signal, so the host program's handlers run on
 * its own threads (the CLI removes its temporary files there).  0 or an
 * errno value. */
int esf_thread_start(pthread_t *tid, void *(*fn)(void *), void *arg);

/* (st returned as given, not through esf_fail: the static analyser then
 * sees which status a path ends in) */
#define RETURN_ERROR_IF(cond, err, st, ...)                                  \
    do {                                                                     \
        if (cond) {                                                          \
            const esf_status ret_st_ = (st);                                 \
            (void)esf_fail((err), ret_st_, __VA_ARGS__);                     \
            return ret_st_;                                                  \
        }                                                                    \
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

/* The eight ASCII digits of w, read from memory on a little-endian host, as
 * one word whose byte i (from the low end) is digit i, 0-9; false when a
 * byte is no digit: one below '0' sets bit 7 of x, one above '9' that of
 * x + 0x76 (a borrow or carry only flags a word already rejected). */
static inline bool esf_digits8_word(uint64_t w, uint64_t *x)
{
    w -= 0x3030303030303030ull;
    if ((w | (w + 0x7676767676767676ull)) & 0x8080808080808080ull) return false;
    *x = w;
    return true;
}

/* esf_digits8_word of the eight bytes at p, on any host.  For dates and
 * person numbers. */
static inline bool esf_digits8(const char *p, uint64_t *x)
{
    uint64_t w;
    memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return esf_digits8_word(w, x);
}

/* The value of the eight ASCII digits at p (the first most significant), or
 * false when a byte is no digit. */
static inline bool esf_digits8_value(const char *p, uint64_t *out)
{
    uint64_t x;
    if (!esf_digits8(p, &x)) return false;
    x = (x * 10 + (x >> 8)) & 0x00ff00ff00ff00ffull;   /* pairs     */
    x = (x * 100 + (x >> 16)) & 0x0000ffff0000ffffull; /* fours     */
    *out = (x * 10000 + (x >> 32)) & 0xffffffffull;     /* all eight */
    return true;
}

/* UTF-8 (RFC 3629): the length of the well-formed character at s (1-4), 0
 * when it is not one; whether all n bytes are; and s with each byte that
 * is not part of one as U+FFFD and each control byte as \xNN (a terminal
 * escape sequence in a project id is shown, never sent), into dst (cap
 * bytes, NUL-terminated, cut at a character), returning its length.  The
 * reports write project ids so (SPEC §5); JSON escapes control bytes its
 * own way; CSV keeps the bytes. */
size_t esf_utf8_char(const char *s, size_t n);
bool esf_utf8_valid(const char *s, size_t n);
size_t esf_utf8_clean(const char *s, size_t n, char *dst, size_t cap);

/* Grows a buffer geometrically to hold at least need elements of size sz. */
esf_status esf_grow_to(void **buf, size_t *cap, size_t need, size_t sz);
static inline esf_status esf_grow(void **buf, size_t *cap, size_t need, size_t sz)
{
    if (ESF_LIKELY(need <= *cap)) return ESF_OK; /* the usual call: inlined */
    return esf_grow_to(buf, cap, need, sz);
}

/* esf_grow for the per-person tables, which run to hundreds of MiB: from
 * 64 KiB on they live in a mapping that grows by moving its pages, never by
 * a copy (no second table while one grows, no page written twice), and from
 * 8 MiB its untouched pages are huge pages (a fault per 2 MiB, not 512: a
 * fault costs microseconds on a virtual machine).  Freed by esf_big_free
 * with the same cap and sz. */
esf_status esf_big_grow_to(void **buf, size_t *cap, size_t need, size_t sz);
static inline esf_status esf_big_grow(void **buf, size_t *cap, size_t need, size_t sz)
{
    if (ESF_LIKELY(need <= *cap)) return ESF_OK;
    return esf_big_grow_to(buf, cap, need, sz);
}
void esf_big_free(void *buf, size_t cap, size_t sz);
/* cap * sz bytes of zeros: from 64 KiB a mapping (the kernel's zeroed
 * pages, not cleared again), in huge pages from 8 MiB; NULL when out of
 * memory.  Freed by esf_big_free with the same cap and sz. */
void *esf_big_zalloc(size_t cap, size_t sz);

/* Asks the kernel for the pages of [p, p + len) now, in one call, when they
 * are about to be written: on a virtual machine a page fault costs about ten
 * times the zeroing of its page.  Advice only (nothing on a kernel without
 * MADV_POPULATE_WRITE); the bytes are not changed. */
void esf_populate(void *p, size_t len);

#endif
