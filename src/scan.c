/* scan.c - stages 2 and 3 at once, for the common line (see scan.h). */
#include "scan.h"

#include "simd.h"

/* The first delimiter of words w.. of dm (nw of them) from base on, or e. */
static inline const char *next_delim(const uint64_t *dm, size_t w, size_t nw, const char *base,
                                     const char *e)
{
    for (; w < nw; w++, base += 64)
        if (dm[w]) return base + __builtin_ctzll(dm[w]);
    return e;
}

/* The cells of the line at p, split at the delimiters dm (nw words; the
 * last cell ends at p + lend), each straight to its column.  Only the cells
 * that hold something: a cell starts at the line's start and after each
 * delimiter, and is empty when a delimiter or lend is its first byte, or,
 * with quoted (esf_line_cells' lines), when it is "" (an empty cell keeps
 * esf_traj_empty's value).  A cell's index is the number of delimiters
 * before it. */
static inline __attribute__((always_inline)) bool
scan_cells(const esf_header *h, const char *p, const uint64_t *dm, size_t nw, size_t lend,
           esf_row *row, bool quoted)
{
    unsigned ndelim = 0;
    for (size_t w = 0; w < nw; w++) ndelim += (unsigned)__builtin_popcountll(dm[w]);
    if (ndelim != h->nfields - 1) return false; /* as many cells as the header */
    const char *e = p + lend;
    esf_row_begin(row);
    unsigned before = 0; /* delimiters before word w */
    uint64_t carry = 1;  /* a cell starts at bit 0 */
    for (size_t w = 0; w < nw; w++) {
        const char *base = p + 64 * w;
#if defined(__GNUC__)
        __asm__("" : "+r"(base)); /* kept whole: GCC would widen each index on its own */
#endif
        const uint64_t d = dm[w];
        uint64_t filled = ((d << 1) | carry) & ~d;
        carry = d >> 63;
        const ptrdiff_t left = (ptrdiff_t)lend - (ptrdiff_t)(64 * w);
        if (left < 64) filled &= left > 0 ? (1ull << left) - 1 : 0;
        for (; filled; filled &= filled - 1) {
            const unsigned b = (unsigned)__builtin_ctzll(filled);
            const uint64_t rest = d >> b;
            const char *s = base + b;
            const char *c = rest ? s + __builtin_ctzll(rest) : next_delim(dm, w + 1, nw, base + 64, e);
            if (quoted && *s == '"' && ++s == --c) continue; /* "" */
            const unsigned col = h->col_at[before + (unsigned)__builtin_popcountll(d & ((1ull << b) - 1))];
            if (!esf_row_value(col, (esf_view){s, (size_t)(c - s)}, row)) return false;
        }
        before += (unsigned)__builtin_popcountll(d);
    }
    return esf_row_required_given(row) && !esf_eind_voor_start(&row->t) &&
           !esf_geboorte_na_start(&row->t);
}

/* A line with quotes or padding, at p: the cells esf_line_cells finds. */
static inline __attribute__((always_inline)) bool
row_scan_masked(const esf_header *h, const char *p, const char *end, esf_row *row,
                const char **next, bool avx2)
{
    const char *le = NULL;
    /* its line feed (the classes with '\n' as the delimiter), in 512 bytes at most */
    for (const char *b = p; !le; b += 64) {
        if (b >= end || b - p >= (ptrdiff_t)64 * ESF_LINE_WORDS) return false;
        char tail[64];
        const esf_cls_simple k = esf_cls_simple_of(esf_window64(b, end, tail), '\n', '\n', avx2);
        if (k.d) le = b + __builtin_ctzll(k.d);
    }
    esf_line_masks m;
    uint64_t od[ESF_LINE_WORDS];
    const size_t n = (size_t)(le - p), lend = esf_before_cr(p, le);
    if (!esf_line_masks_of(&m, p, n, end, h->delim, avx2) || !esf_line_cells(&m, n, lend, od) ||
        !scan_cells(h, p, od, (n + 63) / 64, lend, row, true))
        return false;
    *next = le + 1;
    return true;
}

/* Built apart from the usual line's scan, whose registers it would crowd. */
__attribute__((noinline, flatten)) static bool masked_base(const esf_header *h, const char *p,
                                                          const char *end, esf_row *row,
                                                          const char **next)
{
    return row_scan_masked(h, p, end, row, next, false);
}

ESF_TARGET_AVX2 __attribute__((noinline, flatten)) static bool
masked_avx2(const esf_header *h, const char *p, const char *end, esf_row *row, const char **next)
{
    return row_scan_masked(h, p, end, row, next, ESF_SIMD_X86);
}

static inline __attribute__((always_inline)) bool
row_scan(const esf_header *h, const char *p, const char *end, esf_row *row, const char **next,
         bool avx2)
{
    const char delim = h->delim, pad2 = delim == '\t' ? ' ' : '\t';
    uint64_t dm[ESF_LINE_WORDS];
    size_t nw = 0;
    const char *le;
    /* the line's delimiters, 64 bytes at a time up to its line feed, while
     * none of its bytes is a quote or padding (esf_rec_next's simple line) */
    for (const char *b = p;; b += 64) {
        if (b >= end || nw == ESF_LINE_WORDS) return false;
        char tail[64];
        const char *x = esf_window64(b, end, tail);
        const esf_cls_simple k = esf_cls_simple_of(x, delim, pad2, avx2);
        if (k.stop) {
            const unsigned at = (unsigned)__builtin_ctzll(k.stop);
            if (x[at] != '\n') return avx2 ? masked_avx2(h, p, end, row, next) : masked_base(h, p, end, row, next);
            dm[nw++] = k.d & ((k.stop & (0 - k.stop)) - 1); /* the delimiters before it */
            le = b + at;
            break;
        }
        dm[nw++] = k.d;
    }
    if (!scan_cells(h, p, dm, nw, esf_before_cr(p, le), row, false)) return false;
    *next = le + 1;
    return true;
}

__attribute__((flatten)) static bool row_scan_base(const esf_header *h, const char *p, const char *end, esf_row *row,
                          const char **next)
{
    return row_scan(h, p, end, row, next, false);
}

ESF_TARGET_AVX2 __attribute__((flatten)) static bool row_scan_avx2(const esf_header *h, const char *p, const char *end,
                                          esf_row *row, const char **next)
{
    return row_scan(h, p, end, row, next, ESF_SIMD_X86);
}

esf_row_scan_fn esf_row_scan_chosen(void)
{
    return esf_simd_avx2() ? row_scan_avx2 : row_scan_base;
}

bool esf_row_scan(const esf_header *h, const char *p, const char *end, esf_row *row,
                  const char **next)
{
    return esf_row_scan_chosen()(h, p, end, row, next);
}
