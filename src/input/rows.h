/* rows.h - stage 3b: a file's header, and one record validated into a
 * trajectory (SPEC §2.2-§2.4).  The reason of a rejected row is the first
 * failing check in the order of §2.4. */
#ifndef ESF_ROWS_H
#define ESF_ROWS_H

#include "fields.h"
#include "records.h"

/* The input columns (COL_, esf_col_names) are declared in common/schema.h. */

/* Index of a canonical column name (case-insensitive), -1 if unknown. */
int esf_col_lookup(const char *p, size_t len);
/* Whether two header names are one (trimmed, case-insensitive). */
bool esf_header_same(const char *a, const char *b);

/* Headers of up to this many columns get esf_row_scan's column of each cell. */
#define ESF_SCAN_MAX 128

typedef struct {
    char delim;
    bool all;                /* every column of §2.2 is there */
    bool scan;               /* nfields <= ESF_SCAN_MAX: col_at is set */
    uint32_t nfields;
    int32_t cell[COL_COUNT]; /* index of the column's cell, -1 when absent */
    uint8_t col_at[ESF_SCAN_MAX]; /* the column of each cell, COL_COUNT: none */
} esf_header;

/* Maps header cells to canonical columns (SPEC §2.1): --column NAME=HEADER
 * reads HEADER, or NAME in a file without HEADER.  A missing required
 * column, a column that appears twice, or a mapping that matches neither
 * is ESF_ERR_INPUT with a message naming it. */
esf_status esf_header_parse(esf_header *h, const esf_record *rec, const esf_column_map *map,
                        size_t nmap, const char *file, uint64_t line, esf_err *err);

/* True when rec has a cell for every required column (its name, or its
 * --column HEADER), whatever its other cells hold: a record rejected as a
 * row that has them is a header again (SPEC §2.1). */
bool esf_header_has_required(const esf_record *rec, const esf_column_map *map, size_t nmap);
/* A header's names as written (trimmed, unquoted), in one malloc'd block
 * (NULL-terminated; free it whole), *n of them; NULL when out of memory. */
char **esf_header_names(const esf_record *rec, uint32_t *n);

typedef struct {
    esf_view rinpersoons, rinpersoon, project; /* exact bytes (unescaped)   */
    esf_traj t;                                /* t.project is not set here */
} esf_row;

/* The columns a header must have and a row must not leave empty (SPEC
 * §2.1, §2.4), as bits by column: checked, and named, in column order. */
#define ESF_REQUIRED_COLS                                                          \
    (1u << COL_RINPERSOON | 1u << COL_PROJECT | 1u << COL_AANVRAGER | 1u << COL_START)

/* A row before its cells: every value empty, the required columns marked
 * as not given (esf_row_required_given) rather than empty. */
static inline void esf_row_begin(esf_row *row)
{
    row->rinpersoons = (esf_view){"R", 1};
    row->rinpersoon = row->project = (esf_view){NULL, 0};
    row->t = esf_traj_empty;
    row->t.aanvrager = AANV_COUNT;
}

/* A value of column col (not empty: an empty cell leaves esf_traj_empty's,
 * fields.h) into row: the one place that says what each column of §2.2 holds.  False
 * when it is not one (an identifier: longer than its maximum).  A column
 * esfmon does not read (COL_COUNT) holds anything. */
static inline __attribute__((always_inline)) bool esf_row_value(unsigned col, esf_view v,
                                                                 esf_row *row)
{
    esf_traj *t = &row->t;
    switch (col) {
    case COL_RINPERSOONS: row->rinpersoons = v; return v.len <= 8;
    case COL_RINPERSOON: row->rinpersoon = v; return v.len <= 32;
    case COL_PROJECT: row->project = v; return v.len <= 64;
    case COL_AANVRAGER: return esf_field_aanvrager(v, &t->aanvrager) == 0;
    case COL_DOELGROEP: return esf_field_doelgroep_value(v, &t->doelgroep) == 0;
    case COL_GESLACHT: return esf_field_geslacht_value(v, &t->geslacht) == 0;
    case COL_GEBOORTEDATUM: return esf_field_date_value(v, true, &t->geb) == 0;
    case COL_START: return esf_field_date_value(v, false, &t->start) == 0;
    case COL_EIND: return esf_field_date_value(v, false, &t->eind) == 0;
    case COL_EIND_PROJECT: return esf_field_date_value(v, false, &t->eind_project) == 0;
    case COL_POSITIE_START: case COL_POSITIE_EIND: case COL_POSITIE_12M:
        return esf_field_positie_value(v, &t->pos[col - COL_POSITIE_START]) == 0;
    case COL_CONTRACT_START: case COL_CONTRACT_EIND: case COL_CONTRACT_12M:
        return esf_field_contract_value(v, &t->contract[col - COL_CONTRACT_START]) == 0;
    case COL_UREN_START: case COL_UREN_EIND: case COL_UREN_12M:
        return esf_field_number_value(v, true, 168 * ESF_NUM_SCALE, &t->uren[col - COL_UREN_START]) == 0;
    case COL_UURLOON_START: case COL_UURLOON_EIND: case COL_UURLOON_12M:
        return esf_field_number_value(v, true, INT64_MAX, &t->uurloon[col - COL_UURLOON_START]) == 0;
    case COL_SRG_START: case COL_SRG_EIND: case COL_SRG_12M:
        return esf_field_bool_value(v, &t->srg[col - COL_SRG_START]) == 0;
    case COL_ONDERWIJS_START: case COL_ONDERWIJS_EIND: case COL_ONDERWIJS_12M:
        return esf_field_bool_value(v, &t->onderwijs[col - COL_ONDERWIJS_START]) == 0;
    case COL_COUNT: return true;
    default: __builtin_unreachable(); /* col_at and order[] hold columns and COL_COUNT only */
    }
}

/* True when esf_row_value gave each of ESF_REQUIRED_COLS a value, on a row
 * begun by esf_row_begin (a date is never 0, a code never AANV_COUNT, an
 * identifier given is never empty). */
static inline bool esf_row_required_given(const esf_row *row)
{
    _Static_assert(ESF_REQUIRED_COLS == (1u << COL_RINPERSOON | 1u << COL_PROJECT |
                                         1u << COL_AANVRAGER | 1u << COL_START),
                   "esf_row_required_given checks these four");
    return row->rinpersoon.len && row->project.len && row->t.aanvrager != AANV_COUNT &&
           row->t.start;
}

/* The checks across columns, last in §2.4 (true: rejected). */
static inline bool esf_eind_voor_start(const esf_traj *t)
{
    return t->eind && t->eind < t->start;
}

static inline bool esf_geboorte_na_start(const esf_traj *t)
{
    return t->geb && t->geb > t->start;
}

typedef struct {
    esf_reject_reason reason;
    int col;           /* canonical column concerned, -1 for the whole row */
    esf_view seen;
} esf_rowerr;

/* Room for unescaped identifiers: twice their maximum lengths (a longer raw
 * cell is too long whatever its quotes). */
#define ROW_SCRATCH (2 * (8 + 32 + 64))

/* Validates a record under its header.  Returns true and fills *row when the
 * row is accepted; false with *e set when it is rejected.  Views in *row may
 * point into scratch. */
bool esf_row_parse(const esf_header *h, const esf_record *rec, esf_rec_status st, esf_row *row,
               esf_rowerr *e, char scratch[ROW_SCRATCH]);

#endif
