/* simd.h - byte classes, 64 bytes at a time, for the splitter (records.c).
 *
 * One bit per byte: bit i stands for x[i].  SSE2, which every x86-64 has,
 * is the baseline; AVX2 takes 32 bytes at a compare where the CPU has it,
 * chosen once at run time (esf_simd_avx2); elsewhere a byte loop.  The
 * _avx2 classifiers may only be called from a function compiled for AVX2
 * (ESF_TARGET_AVX2), where they are inlined. */
#ifndef ESF_SIMD_H
#define ESF_SIMD_H

#include "common/common.h"

#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define ESF_SIMD_X86 1
#include <immintrin.h>
#define ESF_TARGET_AVX2 __attribute__((target("avx2,bmi,bmi2")))
#else
#define ESF_SIMD_X86 0
#define ESF_TARGET_AVX2
#endif

/* Delimiters, and the bytes that end the fast split of a line: line feed,
 * quote and padding (space, and TAB unless it delimits: pad2). */
typedef struct {
    uint64_t d, stop;
} esf_cls_simple;

/* Delimiters, quotes, padding and line feeds. */
typedef struct {
    uint64_t d, q, pad, nl;
} esf_cls_line;

#if ESF_SIMD_X86
static inline esf_cls_simple esf_cls_simple_sse2(const char *x, char delim, char pad2)
{
    const __m128i vd = _mm_set1_epi8(delim), vq = _mm_set1_epi8('"'), vn = _mm_set1_epi8('\n'),
                  vs = _mm_set1_epi8(' '), vt = _mm_set1_epi8(pad2);
    esf_cls_simple c = {0, 0};
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
        const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(x + 16 * (size_t)i));
        const __m128i st = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vn), _mm_cmpeq_epi8(v, vq)),
                                        _mm_or_si128(_mm_cmpeq_epi8(v, vs), _mm_cmpeq_epi8(v, vt)));
        c.d |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vd)) << (16 * i);
        c.stop |= (uint64_t)(unsigned)_mm_movemask_epi8(st) << (16 * i);
    }
    return c;
}

static inline esf_cls_line esf_cls_line_sse2(const char *x, char delim, char pad2)
{
    const __m128i vd = _mm_set1_epi8(delim), vq = _mm_set1_epi8('"'), vs = _mm_set1_epi8(' '),
                  vt = _mm_set1_epi8(pad2), vn = _mm_set1_epi8('\n');
    esf_cls_line c = {0, 0, 0, 0};
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
        const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(x + 16 * (size_t)i));
        c.d |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vd)) << (16 * i);
        c.q |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vq)) << (16 * i);
        c.pad |= (uint64_t)(unsigned)_mm_movemask_epi8(
                     _mm_or_si128(_mm_cmpeq_epi8(v, vs), _mm_cmpeq_epi8(v, vt)))
                 << (16 * i);
        c.nl |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vn)) << (16 * i);
    }
    return c;
}

ESF_TARGET_AVX2 static inline esf_cls_simple esf_cls_simple_avx2(const char *x, char delim,
                                                                 char pad2)
{
    const __m256i vd = _mm256_set1_epi8(delim), vq = _mm256_set1_epi8('"'),
                  vn = _mm256_set1_epi8('\n'), vs = _mm256_set1_epi8(' '),
                  vt = _mm256_set1_epi8(pad2);
    const __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)x),
                  hi = _mm256_loadu_si256((const __m256i *)(const void *)(x + 32));
#define ESF_STOP(v)                                                                   \
    _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, vn), _mm256_cmpeq_epi8(v, vq)), \
                    _mm256_or_si256(_mm256_cmpeq_epi8(v, vs), _mm256_cmpeq_epi8(v, vt)))
#define ESF_MASK(v) ((uint64_t)(uint32_t)_mm256_movemask_epi8(v))
    const esf_cls_simple c = {
        ESF_MASK(_mm256_cmpeq_epi8(lo, vd)) | ESF_MASK(_mm256_cmpeq_epi8(hi, vd)) << 32,
        ESF_MASK(ESF_STOP(lo)) | ESF_MASK(ESF_STOP(hi)) << 32};
#undef ESF_STOP
    return c;
}

ESF_TARGET_AVX2 static inline esf_cls_line esf_cls_line_avx2(const char *x, char delim, char pad2)
{
    const __m256i vd = _mm256_set1_epi8(delim), vq = _mm256_set1_epi8('"'),
                  vs = _mm256_set1_epi8(' '), vt = _mm256_set1_epi8(pad2),
                  vn = _mm256_set1_epi8('\n');
    const __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)x),
                  hi = _mm256_loadu_si256((const __m256i *)(const void *)(x + 32));
#define ESF_PAD(v) _mm256_or_si256(_mm256_cmpeq_epi8(v, vs), _mm256_cmpeq_epi8(v, vt))
    const esf_cls_line c = {
        ESF_MASK(_mm256_cmpeq_epi8(lo, vd)) | ESF_MASK(_mm256_cmpeq_epi8(hi, vd)) << 32,
        ESF_MASK(_mm256_cmpeq_epi8(lo, vq)) | ESF_MASK(_mm256_cmpeq_epi8(hi, vq)) << 32,
        ESF_MASK(ESF_PAD(lo)) | ESF_MASK(ESF_PAD(hi)) << 32,
        ESF_MASK(_mm256_cmpeq_epi8(lo, vn)) | ESF_MASK(_mm256_cmpeq_epi8(hi, vn)) << 32};
#undef ESF_PAD
#undef ESF_MASK
    return c;
}
#endif

/* Byte loops: the reference, and what other CPUs run. */
static inline esf_cls_simple esf_cls_simple_scalar(const char *x, char delim, char pad2)
{
    esf_cls_simple c = {0, 0};
    for (int i = 0; i < 64; i++) {
        c.d |= (uint64_t)(x[i] == delim) << i;
        c.stop |= (uint64_t)(x[i] == '\n' || x[i] == '"' || x[i] == ' ' || x[i] == pad2) << i;
    }
    return c;
}

static inline esf_cls_line esf_cls_line_scalar(const char *x, char delim, char pad2)
{
    esf_cls_line c = {0, 0, 0, 0};
    for (int i = 0; i < 64; i++) {
        c.d |= (uint64_t)(x[i] == delim) << i;
        c.q |= (uint64_t)(x[i] == '"') << i;
        c.pad |= (uint64_t)(x[i] == ' ' || x[i] == pad2) << i;
        c.nl |= (uint64_t)(x[i] == '\n') << i;
    }
    return c;
}

/* The 64 bytes from b on: b itself, or, where the buffer ends sooner, a
 * zeroed copy of what is left in tail (NUL is no delimiter, quote, pad or
 * line feed), so that no byte at or past end is read. */
static inline const char *esf_window64(const char *b, const char *end, char tail[64])
{
    if (end - b >= 64) return b;
    memset(tail, 0, 64);
    memcpy(tail, b, (size_t)(end - b));
    return tail;
}

/* The classifiers of one build of a splitter: avx2 is a constant in each
 * (records.c's rec_next_base and rec_next_avx2, scan.c's), so that each
 * inlines its own. */
static inline __attribute__((always_inline)) esf_cls_simple esf_cls_simple_of(const char *x, char delim,
                                                                      char pad2, bool avx2)
{
#if ESF_SIMD_X86
    return avx2 ? esf_cls_simple_avx2(x, delim, pad2) : esf_cls_simple_sse2(x, delim, pad2);
#else
    (void)avx2;
    return esf_cls_simple_scalar(x, delim, pad2);
#endif
}

static inline __attribute__((always_inline)) esf_cls_line esf_cls_line_of(const char *x, char delim,
                                                                  char pad2, bool avx2)
{
#if ESF_SIMD_X86
    return avx2 ? esf_cls_line_avx2(x, delim, pad2) : esf_cls_line_sse2(x, delim, pad2);
#else
    (void)avx2;
    return esf_cls_line_scalar(x, delim, pad2);
#endif
}

/* ---- a whole line's masks, for lines with quotes or padding ------------- */

#define ESF_LINE_WORDS 8 /* lines up to 512 bytes; longer ones take the general path */

typedef struct {
    uint64_t d[ESF_LINE_WORDS], q[ESF_LINE_WORDS], pad[ESF_LINE_WORDS]; /* bit i: byte 64w+i */
} esf_line_masks;

/* The masks m of the line at p up to its first line feed, found in the
 * same pass, 64 bytes at a time, reading no byte at or past end (the
 * buffer's end): *n is the line's length, the result the words filled
 * (the line's, and an empty one after them when the line feed starts a
 * word); 0 when no line feed comes within ESF_LINE_WORDS words or before
 * end. */
static inline __attribute__((always_inline)) size_t
esf_line_masks_lf(esf_line_masks *m, const char *p, const char *end, char delim, bool avx2,
                  size_t *n)
{
    const char pad2 = delim == '\t' ? ' ' : '\t';
    for (size_t w = 0; w < ESF_LINE_WORDS; w++) {
        const char *b = p + 64 * w;
        if (b >= end) return 0;
        char tail[64];
        const esf_cls_line c = esf_cls_line_of(esf_window64(b, end, tail), delim, pad2, avx2);
        const uint64_t keep = c.nl ? (c.nl & (0 - c.nl)) - 1 : ~0ull; /* to the line feed */
        m->d[w] = c.d & keep;
        m->q[w] = c.q & keep;
        m->pad[w] = c.pad & keep;
        if (c.nl) {
            *n = 64 * w + (size_t)__builtin_ctzll(c.nl);
            return w + 1;
        }
    }
    return 0;
}

/* Each bit set from a quote up to (not including) the next, as in "inside a
 * quoted field" when every quote opens or closes one; *odd carries on. */
static inline uint64_t esf_inside_quotes(uint64_t q, uint64_t *odd)
{
    uint64_t x = q;
    x ^= x << 1, x ^= x << 2, x ^= x << 4, x ^= x << 8, x ^= x << 16, x ^= x << 32;
    x ^= *odd;
    *odd = 0 - (x >> 63); /* all ones when the word ends inside */
    return x;
}

/* The delimiters outside quotes, od, of a line of nw words of masks (m)
 * whose last cell ends at lend (before a final CR), when every quote opens a cell
 * (right after a delimiter outside quotes, or at the start) or closes it
 * (right before one, or at lend), and no padding outside quotes is a cell's
 * first or last byte: no doubled quotes, no text after a closing quote,
 * nothing to trim.  Its cells are then those esf_rec_next_general gives,
 * split at od.  False for any other line. */
static inline __attribute__((always_inline)) bool
esf_line_cells(const esf_line_masks *m, size_t nw, size_t lend, uint64_t od[ESF_LINE_WORDS])
{
    uint64_t in[ESF_LINE_WORDS], odd = 0;
    for (size_t w = 0; w < nw; w++) {
        in[w] = esf_inside_quotes(m->q[w], &odd);
        od[w] = m->d[w] & ~in[w];
    }
    if (odd) return false; /* a quote left open: the record goes on */
    for (size_t w = 0; w < nw; w++) {
        const uint64_t starts = od[w] << 1 | (w ? od[w - 1] >> 63 : 1);
        uint64_t ends = od[w] >> 1 | (w + 1 < nw ? od[w + 1] << 63 : 0);
        if (lend && (lend - 1) / 64 == w) ends |= 1ull << ((lend - 1) % 64);
        if ((m->q[w] & in[w] & ~starts) | (m->q[w] & ~in[w] & ~ends) |
            (m->pad[w] & ~in[w] & (starts | ends)))
            return false; /* (padding inside quotes is content) */
    }
    return true;
}

/* True when the splitter takes the AVX2 classifiers: the CPU has AVX2 (and
 * BMI1/2), unless esf_simd_force said otherwise. */
bool esf_simd_avx2(void);

#endif
