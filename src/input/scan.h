/* scan.h - stages 2 and 3 at once, for the common line.
 *
 * A line of one physical line, the usual one, is split and validated in
 * one pass: each cell that holds something goes straight from the
 * delimiter masks to its column's parser (esf_row_value), with no esf_cell
 * array between them.  Quoted cells without doubled quotes, and spaces
 * inside a cell, are taken too (esf_line_cells).  Anything else is left to
 * esf_rec_next and esf_row_parse, which say what the record is, why a row
 * is rejected, and whether it is a header again. */
#ifndef ESF_SCAN_H
#define ESF_SCAN_H

#include "rows.h"

/* esf_row_scan's build for the classifiers esf_simd_avx2 chooses now: a
 * loop over lines asks once, not per line. */
typedef bool (*esf_row_scan_fn)(const esf_header *h, const char *p, const char *end, esf_row *row,
                                const char **next);
esf_row_scan_fn esf_row_scan_chosen(void);

#endif
