/* tally.h - stage 5a: the persons of the partitions counted into the
 * counters every table of SPEC §5 is made of (tables.c makes the cells). */
#ifndef ESF_TALLY_H
#define ESF_TALLY_H

#include "persons.h"

/* Categories of the person tables, the groups (G_), results (R_) and
 * states (S_) of common/schema.h: index -> (dimension, category). */
enum {
    C_TOTAAL = 0, C_LEEFTIJD = 1, C_GESLACHT = C_LEEFTIJD + AGE_COUNT, C_POSITIE = C_GESLACHT + SEX_COUNT,
    C_DOELGROEP = C_POSITIE + POS_COUNT, C_COUNT = C_DOELGROEP + DG_COUNT
};

/* The results of resultaten (R_, schema.h; niet_waarneembaar_12m with
 * --peildatum: L.eind + 12 months after it, SPEC §5), and two counted for
 * the indicators only. */
enum {
    R_NW_RESULT_12M = R_PUBLISHED, /* of niet_waarneembaar_12m, werk_12m or verbeterd_12m (RI2, RI4) */
    R_NW_ONBEKEND_12M,             /* of those, onbekend_12m (for their _bekend)                    */
    R_COUNT
};

/* RI5/RI6 and their _cbs2018 variants: population and two numerators
 * (J_, esf_jenv_dg: common/schema.h). */

/* Years of startjaar and eindjaar: dates lie in 1900-2100 (SPEC §2.4). */
enum { YEAR_MIN = 1900, N_YEARS = 201 };

/* The year of a yyyymmdd date as an index into the year counters. */
static inline int year_of(int32_t date)
{
    return date / 10000 - YEAR_MIN;
}

/* Results attributed to the project of last(p,totaal) (SPEC §5). */
enum { A_TOEGEREKEND, A_WERK_EIND, A_WERK_12M, A_VERBETERD_EIND, A_VERBETERD_12M, A_COUNT };

/* Counter slots: the groups, then G_ONLY + g for the persons of group g
 * alone (most persons), counted once there and added to g, amr and totaal
 * when the partitions are added up). */
enum { G_ONLY = G_COUNT, G_SLOTS = G_COUNT + AANV_COUNT };
#define ONLY_MASK (((1u << AANV_COUNT) - 1) << G_ONLY)

/* A person's leeftijd, geslacht and positie_start categories at once. */
enum { N_COMBOS = AGE_COUNT * SEX_COUNT * POS_COUNT };

/* Only uint64_t counters: the partitions' are added up as arrays, the
 * years (last) only over the years counted (esf_year_span_of). */
typedef struct {
    uint64_t deel[G_SLOTS][C_COUNT];
    uint64_t res[G_SLOTS][C_COUNT][R_COUNT];
    /* by combination: a person counted once here, then added to the
     * categories totaal, leeftijd, geslacht and positie of deel and res */
    uint64_t deel_combo[G_SLOTS][N_COMBOS];
    uint64_t res_combo[G_SLOTS][N_COMBOS][R_COUNT];
    uint64_t se[G_SLOTS][POS_COUNT][S_COUNT];
    uint64_t e12[G_SLOTS][S_COUNT][S_COUNT];
    uint64_t jpop[J_COUNT], jnum[J_COUNT], jnum2018[J_COUNT];
    uint64_t deel_year[G_SLOTS][N_YEARS];           /* by year of first(p,G).start */
    uint64_t res_year[G_SLOTS][N_YEARS][R_COUNT];   /* by year of last(p,G).eind   */
} esf_tally;

/* The date 12 months after a yyyymmdd date (29 February: 1 March). */
static inline int32_t esf_plus_12_months(int32_t d)
{
    return d % 10000 == 229 ? (d / 10000 + 1) * 10000 + 301 : d + 10000;
}

/* The years of startjaar and eindjaar: from the first to the last of the
 * counted rows' start years, and of the counted finished trajectories' eind
 * years, as indexes of the year counters ([0] > [1]: none). */
typedef struct {
    int start[2], eind[2];
} esf_year_span;

esf_year_span esf_year_span_of(const esf_agg *parts, size_t nparts);

/* Counts the persons of parts[0..nparts) into *c (zeroed here): each
 * partition on a thread of its own, then added up.  attr[k] gets the
 * results attributed to each project of parts[k] (calloc'd; the caller
 * frees them, and on failure they are freed here). */
esf_status esf_tally_persons(const esf_agg *parts, size_t nparts, int32_t peildatum, esf_tally *c,
                             uint64_t (**attr)[A_COUNT]);

#endif
