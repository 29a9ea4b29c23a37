/* rows.h - stage 3b: a file's header, and one record validated into a
 * trajectory (SPEC §2.2-§2.4).  The reason of a rejected row is the first
 * failing check in the order of §2.4. */
#ifndef ESF_ROWS_H
#define ESF_ROWS_H

#include "fields.h"
#include "records.h"

enum {
    COL_RINPERSOONS, COL_RINPERSOON, COL_PROJECT, COL_AANVRAGER, COL_DOELGROEP,
    COL_GESLACHT, COL_GEBOORTEDATUM, COL_START, COL_EIND, COL_EIND_PROJECT,
    COL_POSITIE_START, COL_POSITIE_EIND, COL_POSITIE_12M,
    COL_CONTRACT_START, COL_CONTRACT_EIND, COL_CONTRACT_12M,
    COL_UREN_START, COL_UREN_EIND, COL_UREN_12M,
    COL_UURLOON_START, COL_UURLOON_EIND, COL_UURLOON_12M,
    COL_SRG_START, COL_SRG_EIND, COL_SRG_12M,
    COL_ONDERWIJS_START, COL_ONDERWIJS_EIND, COL_ONDERWIJS_12M,
    COL_COUNT
};
extern const char *const esf_col_names[COL_COUNT];

/* Index of a canonical column name (case-insensitive), -1 if unknown. */
int esf_col_lookup(const char *p, size_t len);

typedef struct {
    char delim;
    bool check_all;          /* a mapped name is all digits: a header line
                                again can give a packed person key, so
                                every line may be one (esf_header_names_only) */
    bool all;                /* every column of §2.2 is there */
    uint32_t nfields;
    int32_t cell[COL_COUNT]; /* index of the column's cell, -1 when absent */
} esf_header;

/* Maps header cells to canonical columns (SPEC §2.1): --column NAME=HEADER
 * reads HEADER, or NAME in a file without HEADER.  A missing required
 * column, a column that appears twice, or a mapping that matches neither
 * is ESF_ERR_INPUT with a message naming it. */
esf_status esf_header_parse(esf_header *h, const esf_record *rec, const esf_column_map *map,
                        size_t nmap, const char *file, uint64_t line, esf_err *err);

/* True when every cell of rec is a column name: canonical, a mapping's
 * HEADER, or one an unknown column may have (a letter first, then letters,
 * digits, _ - . / ( ) and spaces).  With esf_header_parse succeeding on it,
 * such a line is a header again (SPEC §2.1). */
bool esf_header_names_only(const esf_record *rec, const esf_column_map *map, size_t nmap);

typedef struct {
    esf_view rinpersoons, rinpersoon, project; /* exact bytes (unescaped)   */
    esf_traj t;                                /* t.project is not set here */
} esf_row;

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
