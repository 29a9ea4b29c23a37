/* internal.h - the tests' entry points into the library's stages, which
 * the library itself does not call: declared here, not in its headers.
 * Built with -Isrc (and the library's objects linked in). */
#ifndef ESF_TEST_INTERNAL_H
#define ESF_TEST_INTERNAL_H

#include "fields.h"
#include "rows.h"

/* ---- fields.c: a cell's value, the empty cell mapped as esf_traj_empty says */
/* A code: `empty` for an empty cell, else what parse makes of it (inlined,
 * parse is a constant). */
static inline int esf_field_code(esf_view v, uint8_t *out, uint8_t empty,
                                 int (*parse)(esf_view, uint8_t *))
{
    if (v.len == 0) {
        *out = empty;
        return 0;
    }
    return parse(v, out);
}

static inline int esf_field_geslacht(esf_view v, uint8_t *out)
{
    return esf_field_code(v, out, esf_traj_empty.geslacht, esf_field_geslacht_value);
}

static inline int esf_field_positie(esf_view v, uint8_t *out)
{
    return esf_field_code(v, out, esf_traj_empty.pos[0], esf_field_positie_value);
}

static inline int esf_field_contract(esf_view v, uint8_t *out)
{
    return esf_field_code(v, out, esf_traj_empty.contract[0], esf_field_contract_value);
}

static inline int esf_field_bool(esf_view v, uint8_t *out)
{
    return esf_field_code(v, out, esf_traj_empty.srg[0], esf_field_bool_value);
}

static inline int esf_field_doelgroep(esf_view v, uint16_t *out)
{
    if (v.len == 0) {
        *out = esf_traj_empty.doelgroep;
        return 0;
    }
    return esf_field_doelgroep_value(v, out);
}

/* Decimal >= 0 and <= max (in units of 1e-9, any number of decimals, those
 * past the ninth cut off; a value just above max is above it) with '.' or,
 * when allow_comma, ',' as decimal mark; empty gives ESF_NUM_EMPTY. */
static inline int esf_field_number(esf_view v, bool allow_comma, int64_t max, int64_t *out)
{
    if (v.len == 0) {
        *out = esf_traj_empty.uren[0];
        return 0;
    }
    return esf_field_number_value(v, allow_comma, max, out);
}

/* ---- scan.c: the usual line at p, under h (h->scan): true, with *row and
 * *next (the start of the next line), when it ends in a line feed before
 * end, is at most 512 bytes, has no quote or padding that esf_line_cells
 * refuses, and is a row esf_row_parse accepts, as esf_rec_next and
 * esf_row_parse would read it (one physical line).  False for any other
 * line: nothing is decided then.  (The library calls the build
 * esf_row_scan_chosen gives.) */
bool esf_row_scan(const esf_header *h, const char *p, const char *end, esf_row *row,
                  const char **next);

/* ---- records.c: 0 the splitter's baseline classifiers, 1 AVX2 where the
 * CPU has it (the default). */
void esf_simd_force(int level);

#endif
