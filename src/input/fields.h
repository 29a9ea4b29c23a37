/* fields.h - stage 3a: field parsers.  Bytes of one cell in, small integers
 * out.  Everything after this stage works on the integers of esf_traj. */
#ifndef ESF_FIELDS_H
#define ESF_FIELDS_H

#include "common/common.h"

/* Codes are numbered by their position in SPEC §2.2 / §2.3, which is also the
 * tie-break order of §3: aanvrager, geslacht, positie and doelgroep are
 * declared in common/schema.h, with their names. */
enum { CONTRACT_NONE, CONTRACT_VAST, CONTRACT_TIJDELIJK };
enum { BOOL_YES, BOOL_NO };
enum { M_START, M_EIND, M_12M, M_COUNT }; /* moments of the position columns */

/* Number values are fixed-point: units of 1e-9, so that comparisons are exact
 * for up to 9 decimals. */
#define ESF_NUM_SCALE 1000000000LL
#define ESF_NUM_EMPTY (-1LL)

/* One accepted trajectory, parsed.  Field order is the order of SPEC §2.2. */
typedef struct {
    uint32_t project;                       /* index into the project table */
    int32_t geb, start, eind, eind_project; /* yyyymmdd, 0 = empty          */
    uint16_t doelgroep;                     /* bit i = code i of §2.3        */
    uint8_t aanvrager, geslacht;
    uint8_t pos[M_COUNT];
    uint8_t contract[M_COUNT];
    uint8_t srg[M_COUNT];                   /* BOOL_YES / BOOL_NO            */
    uint8_t onderwijs[M_COUNT];
    int64_t uren[M_COUNT];                  /* ESF_NUM_EMPTY when empty      */
    int64_t uurloon[M_COUNT];
} esf_traj;

/* A trajectory of empty cells: what each column's empty cell means (SPEC
 * §2.2), for rows and for the parsers below alike. */
extern const esf_traj esf_traj_empty;

/* Each parser returns 0 on success and -1 when the value is not valid.  The
 * input is the cell's value; an empty value maps as esf_traj_empty says,
 * without a call (rows.c; tests/internal.h has the wrappers that do it for
 * the tests); the _value functions (fields.c) parse the others. */
int esf_field_aanvrager(esf_view v, uint8_t *out);
int esf_field_geslacht_value(esf_view v, uint8_t *out);
int esf_field_positie_value(esf_view v, uint8_t *out);
int esf_field_contract_value(esf_view v, uint8_t *out);
int esf_field_bool_value(esf_view v, uint8_t *out);
int esf_field_doelgroep_value(esf_view v, uint16_t *out);
int esf_field_date_value(esf_view v, bool allow_month, int32_t *out);
int esf_field_number_value(esf_view v, bool allow_comma, int64_t max, int64_t *out);

/* YYYYMMDD, YYYY-MM-DD, or day first D-M-YYYY / D/M/YYYY (one or two
 * digits for day and month), and YYYYMM when allow_month; a real date
 * between 1900 and 2100; empty gives 0. */
static inline int esf_field_date(esf_view v, bool allow_month, int32_t *out)
{
    if (v.len == 0) {
        *out = esf_traj_empty.start;
        return 0;
    }
    return esf_field_date_value(v, allow_month, out);
}

/* Completed years between birth and day (yyyymmdd); 29 February counts as
 * 1 March in other years. */
int esf_age_years(int32_t birth, int32_t day);

#endif
