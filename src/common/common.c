/* common.c - error messages and buffer growth shared by every stage. */
#include "common.h"

#include <signal.h>

#include <sys/mman.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

esf_status esf_fail(esf_err *err, esf_status st, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return st;
}

void esf_copy_cut(char *dst, size_t cap, const char *src)
{
    const size_t n = strnlen(src, cap - 1);
    memcpy(dst, src, n);
    dst[n] = 0;
}

void esf_u64_text(char *dst, size_t cap, uint64_t v)
{
    char d[21];
    size_t i = sizeof d;
    d[--i] = 0;
    do d[--i] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    esf_copy_cut(dst, cap, d + i);
}

void esf_quote_bytes(char *dst, size_t dstlen, const char *p, size_t len, size_t max)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    if (dstlen == 0) return;
    for (size_t i = 0; i < len && i < max; i++) {
        unsigned char c = (unsigned char)p[i];
        if (o + 5 >= dstlen) break;
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            dst[o++] = (char)c;
        } else {
            dst[o++] = '\\';
            dst[o++] = 'x';
            dst[o++] = hex[c >> 4];
            dst[o++] = hex[c & 15];
        }
    }
    if (len > max && o + 4 < dstlen) {
        memcpy(dst + o, "...", 3);
        o += 3;
    }
    dst[o] = '\0';
}

/* The capacity a buffer of cap elements of sz bytes doubles to for need
 * (16 at least); 0 when it would pass SIZE_MAX / 2 bytes. */
static size_t doubled_cap(size_t cap, size_t need, size_t sz)
{
    size_t ncap = cap ? cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / sz) return 0;
        ncap *= 2;
    }
    return ncap;
}

esf_status esf_grow_to(void **buf, size_t *cap, size_t need, size_t sz)
{
    const size_t ncap = doubled_cap(*cap, need, sz);
    if (!ncap) return ESF_ERR_NOMEM;
    void *nb = realloc(*buf, ncap * sz);
    if (!nb) return ESF_ERR_NOMEM;
    *buf = nb;
    *cap = ncap;
    return ESF_OK;
}

/* esf_big_grow's and esf_big_zalloc's: from 64 KiB a mapping (grown by
 * moving its pages, never by a copy; and its pages are the kernel's zeros),
 * advised into huge pages from 8 MiB, in whole huge pages from there. */
enum { MAP_MIN = 64 << 10, BIG_MIN = 8 << 20, BIG_PAGE = 2 << 20, SMALL_PAGE = 4 << 10 };

/* The length of the mapping of cap elements of sz bytes (whole pages). */
static size_t map_len(size_t cap, size_t sz)
{
    const size_t n = cap * sz, unit = n >= BIG_MIN ? BIG_PAGE : SMALL_PAGE;
    return (n + unit - 1) & ~(unit - 1);
}

#if defined(MADV_HUGEPAGE) && defined(MREMAP_MAYMOVE)
/* len bytes of the kernel's zeroed pages, in huge pages when asked (advice:
 * where not taken, small pages); NULL when out of memory. */
static void *map_zeros(size_t len, bool huge)
{
    void *b = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (b == MAP_FAILED) return NULL;
    if (huge) (void)madvise(b, len, MADV_HUGEPAGE);
    return b;
}
#endif

esf_status esf_big_grow_to(void **buf, size_t *cap, size_t need, size_t sz)
{
#if defined(MADV_HUGEPAGE) && defined(MREMAP_MAYMOVE)
    const size_t ncap = doubled_cap(*cap, need, sz); /* (map_len's rounding stays in range) */
    if (!ncap) return ESF_ERR_NOMEM;
    if (ncap * sz < MAP_MIN) return esf_grow_to(buf, cap, need, sz);
    const size_t len = map_len(ncap, sz);
    void *nb;
    if (*cap * sz >= MAP_MIN) { /* the pages move, none is copied */
        nb = mremap(*buf, map_len(*cap, sz), len, MREMAP_MAYMOVE);
        if (nb == MAP_FAILED) return ESF_ERR_NOMEM;
    } else { /* from the heap: less than MAP_MIN bytes to copy */
        nb = map_zeros(len, false);
        if (!nb) return ESF_ERR_NOMEM;
        if (*buf) memcpy(nb, *buf, *cap * sz);
        free(*buf);
    }
    /* The pages written so far stay small; each 2 MiB not yet touched is
     * a huge page from now on. */
    if (ncap * sz >= BIG_MIN) (void)madvise(nb, len, MADV_HUGEPAGE);
    *buf = nb;
    *cap = ncap;
    return ESF_OK;
#else
    return esf_grow_to(buf, cap, need, sz);
#endif
}

void *esf_big_zalloc(size_t cap, size_t sz)
{
    if (!cap || !sz || cap > SIZE_MAX / 2 / sz) return NULL; /* none asks for nothing */
#if defined(MADV_HUGEPAGE) && defined(MREMAP_MAYMOVE)
    if (cap * sz >= MAP_MIN) return map_zeros(map_len(cap, sz), cap * sz >= BIG_MIN);
#endif
    return calloc(cap, sz);
}

void esf_populate(void *p, size_t len)
{
#ifdef MADV_POPULATE_WRITE
    if (!p || !len) return; /* (from the smallest page: a larger one covers it) */
    const uintptr_t a = (uintptr_t)p & ~(uintptr_t)(SMALL_PAGE - 1);
    (void)madvise((void *)a, (uintptr_t)p + len - a, MADV_POPULATE_WRITE);
#else
    (void)p, (void)len;
#endif
}

/* Frees buf: a mapping of len bytes when mapped, from the heap otherwise. */
static void unmap_or_free(void *buf, bool mapped, size_t len)
{
#if defined(MADV_HUGEPAGE) && defined(MREMAP_MAYMOVE)
    if (buf && mapped) {
        munmap(buf, len);
        return;
    }
#else
    (void)mapped, (void)len;
#endif
    free(buf);
}

void esf_big_free(void *buf, size_t cap, size_t sz)
{
    unmap_or_free(buf, cap * sz >= MAP_MIN, map_len(cap, sz));
}

size_t esf_utf8_char(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0) return 0;
    if (u[0] < 0x80) return 1;
    size_t len;
    unsigned lo = 0x80, hi = 0xbf; /* the second byte's range (RFC 3629) */
    if (u[0] >= 0xc2 && u[0] <= 0xdf) len = 2;
    else if (u[0] >= 0xe0 && u[0] <= 0xef) {
        len = 3;
        if (u[0] == 0xe0) lo = 0xa0;      /* no overlong forms */
        if (u[0] == 0xed) hi = 0x9f;      /* no surrogates     */
    } else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
        len = 4;
        if (u[0] == 0xf0) lo = 0x90;
        if (u[0] == 0xf4) hi = 0x8f;      /* at most U+10FFFF  */
    } else return 0;
    if (n < len || u[1] < lo || u[1] > hi) return 0;
    for (size_t i = 2; i < len; i++)
        if ((u[i] & 0xc0) != 0x80) return 0;
    return len;
}

bool esf_utf8_valid(const char *s, size_t n)
{
    for (size_t i = 0, k; i < n; i += k)
        if ((k = esf_utf8_char(s + i, n - i)) == 0) return false;
    return true;
}

size_t esf_utf8_clean(const char *s, size_t n, char *dst, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0, k; i < n; i += k ? k : 1) {
        k = esf_utf8_char(s + i, n - i);
        const char *c = k ? s + i : "\xef\xbf\xbd";
        size_t m = k ? k : 3;
        char ctl[5];
        if (k == 1 && ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)) { /* ESC and kin: never raw */
            snprintf(ctl, sizeof ctl, "\\x%02x", (unsigned char)s[i]);
            c = ctl, m = 4;
        }
        if (o + m >= cap) break;
        memcpy(dst + o, c, m);
        o += m;
    }
    if (cap) dst[o] = '\0';
    return o;
}

int esf_thread_start(pthread_t *tid, void *(*fn)(void *), void *arg)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    const int rc = pthread_create(tid, NULL, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}
