/* common.c - error messages and buffer growth shared by every stage. */
#include "common.h"

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

esf_status esf_grow(void **buf, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap) return ESF_OK;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / sz) return ESF_ERR_NOMEM;
        ncap *= 2;
    }
    void *nb = realloc(*buf, ncap * sz);
    if (!nb) return ESF_ERR_NOMEM;
    *buf = nb;
    *cap = ncap;
    return ESF_OK;
}
