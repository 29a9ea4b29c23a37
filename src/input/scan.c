/* scan.c - stages 2 and 3 at once, for the common line (see scan.h). */
#include "scan.h"

#include "simd.h"

/* A cell [s, c) that is not empty into column col (a quoted one unquoted:
 * "" is empty). */
static inline __attribute__((always_inline)) bool cell_value(unsigned col, const char *s,
                                                             const char *c, esf_row *row,
                                                             bool quoted)
{
    if (quoted && *s == '"' && ++s == --c) return true; /* "" */
    return esf_row_value(col, (esf_view){s, (size_t)(c - s)}, row);
}

/* The cells of the line at p, split at the delimiters dm (nw words; the
 * last cell ends at p + lend), each straight to its column: a cell ends at
 * each delimiter, in order, and the next starts after it.  Only the cells
 * that hold something: an empty one, or with quoted (esf_line_cells' lines)
 * a cell "", keeps esf_traj_empty's value.  One step per delimiter is less
 * work than finding each filled cell's end and index on its own. */
static inline __attribute__((always_inline)) bool
scan_cells(const esf_header *h, const char *p, const uint64_t *dm, size_t nw, size_t lend,
           esf_row *row, bool quoted)
{
    unsigned ndelim = 0;
    for (size_t w = 0; w < nw; w++) ndelim += (unsigned)__builtin_popcountll(dm[w]);
    if (ndelim != h->nfields - 1) return false; /* as many cells as the header */
    esf_row_begin(row);
    const uint8_t *col = h->col_at; /* the column of the cell that starts at s */
    const char *s = p;
    for (size_t w = 0; w < nw; w++) {
        const char *base = p + 64 * w;
#if defined(__GNUC__)
        __asm__("" : "+r"(base)); /* one register: GCC would add p and 64 * w for each cell */
#endif
        for (uint64_t d = dm[w]; d; d &= d - 1, col++) {
            const char *c = base + __builtin_ctzll(d);
            if (c != s && !cell_value(*col, s, c, row, quoted)) return false;
            s = c + 1;
        }
    }
    if (p + lend != s && !cell_value(*col, s, p + lend, row, quoted)) return false;
    return esf_row_required_given(row) && !esf_eind_voor_start(&row->t) &&
           !esf_geboorte_na_start(&row->t);
}

/* A line with quotes or padding, at p: the cells esf_line_cells finds. */
static inline __attribute__((always_inline)) bool
row_scan_masked(const esf_header *h, const char *p, const char *end, esf_row *row,
                const char **next, bool avx2)
{
    esf_line_masks m;
    size_t n;
    const size_t nw = esf_line_masks_lf(&m, p, end, h->delim, avx2, &n);
    if (!nw) return false;
    const char *le = p + n;
    uint64_t od[ESF_LINE_WORDS];
    const size_t lend = esf_before_cr(p, le);
    if (!esf_line_cells(&m, nw, lend, od) || !scan_cells(h, p, od, nw, lend, row, true))
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

/* the tests' entry (tests/internal.h): the build esf_row_scan_chosen gives */
bool esf_row_scan(const esf_header *h, const char *p, const char *end, esf_row *row,
                  const char **next);
bool esf_row_scan(const esf_header *h, const char *p, const char *end, esf_row *row,
                  const char **next)
{
    return esf_row_scan_chosen()(h, p, end, row, next);
}
