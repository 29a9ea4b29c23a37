/* scan.c - stages 2 and 3 at once, for the common line (see scan.h). */
#include "scan.h"

#include "simd.h"

#define SCAN_WORDS 8 /* lines of up to 512 bytes */

/* Cell idx, [s, c), into its column unless it is empty (seen: the columns
 * given a value); false when it is not valid there. */
static inline __attribute__((always_inline)) bool scan_cell(const esf_header *h, unsigned idx,
                                                            const char *s, const char *c,
                                                            esf_row *row, unsigned *seen)
{
    if (c == s) return true;
    const unsigned col = h->col_at[idx];
    *seen |= 1u << col;
    return esf_row_value(col, (esf_view){s, (size_t)(c - s)}, row);
}

static inline __attribute__((always_inline)) bool
row_scan(const esf_header *h, const char *p, const char *end, esf_row *row, const char **next,
         bool avx2)
{
    const char delim = h->delim, pad2 = delim == '\t' ? ' ' : '\t';
    uint64_t dm[SCAN_WORDS];
    size_t nw = 0;
    const char *le;
    /* the line's delimiters, 64 bytes at a time up to its line feed: none of
     * its bytes may be a quote or padding (esf_rec_next's simple line) */
    for (const char *b = p;; b += 64) {
        if (b >= end || nw == SCAN_WORDS) return false;
        char tail[64];
        const char *x = esf_window64(b, end, tail);
        const esf_cls_simple k = esf_cls_simple_of(x, delim, pad2, avx2);
        if (k.stop) {
            const unsigned at = (unsigned)__builtin_ctzll(k.stop);
            if (x[at] != '\n') return false;
            dm[nw++] = k.d & ((k.stop & (0 - k.stop)) - 1); /* the delimiters before it */
            le = b + at;
            break;
        }
        dm[nw++] = k.d;
    }
    /* its cells, each straight to its column (an empty one keeps
     * esf_traj_empty's value) */
    const unsigned last = h->nfields - 1;
    unsigned idx = 0, seen = 0, ndelim = 0;
    for (size_t w = 0; w < nw; w++) ndelim += (unsigned)__builtin_popcountll(dm[w]);
    if (ndelim != last) return false; /* as many cells as the header */
    const char *s = p;
    row->t = esf_traj_empty;
    row->rinpersoons = (esf_view){"R", 1};
    for (size_t w = 0; w < nw; w++) {
        const char *base = p + 64 * w;
#if defined(__GNUC__)
        __asm__("" : "+r"(base)); /* kept whole: GCC would widen each index on its own */
#endif
        for (uint64_t d = dm[w]; d; d &= d - 1) {
            const char *c = base + __builtin_ctzll(d);
            if (!scan_cell(h, idx, s, c, row, &seen)) return false;
            s = c + 1;
            idx++;
        }
    }
    const char *e = le - (le > s && le[-1] == '\r'); /* CRLF: the CR is the line end's */
    if (!scan_cell(h, idx, s, e, row, &seen)) return false;
    if ((seen & ESF_REQUIRED_COLS) != ESF_REQUIRED_COLS || esf_eind_voor_start(&row->t) ||
        esf_geboorte_na_start(&row->t))
        return false;
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

bool esf_row_scan(const esf_header *h, const char *p, const char *end, esf_row *row,
                  const char **next)
{
    return esf_simd_avx2() ? row_scan_avx2(h, p, end, row, next) : row_scan_base(h, p, end, row, next);
}
