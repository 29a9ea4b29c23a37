/* tables.h - stage 5: one pass over the person table fills every table of
 * SPEC §5 (derived groups amr and totaal included); the result is a sorted
 * list of cells, each knowing whether it is a person count (subject to
 * disclosure control) or derived from person counts. */
#ifndef ESF_TABLES_H
#define ESF_TABLES_H

#include "count/count.h"
#include "targets.h"

typedef enum {
    CELL_COUNT,    /* a count of rows: never rounded or suppressed      */
    CELL_PERSONS,  /* a count of persons: rounded and suppressed (§6)  */
    CELL_DERIVED,  /* text derived from the person counts in dep[]     */
    CELL_TEXT,     /* text as given (streefwaarde)                     */
    CELL_STRUCTURAL /* a count no person can fall in: always 0, never
                       suppressed, "-" in the reports (SPEC §6)        */
} cell_kind;

/* The relations between exact counts that a reader may use (SPEC §6), by
 * the item of §6 that lists them. */
typedef enum {
    REL_DIMENSION = 1, /* 1: categories of a dimension add up to totaal     */
    REL_CELL,          /* 2: result <= afgerond <= deelnemers in one cell    */
    REL_TRANSITION,    /* 3: overgangen against afgerond and the results     */
    REL_INDICATOR,     /* 4: indicators against the counts they come from    */
    REL_PROJECT,       /* 5: within a project, and attributed over projects  */
    REL_GROUPS,        /* 6: across the groups                               */
    REL_ROWS,          /* 7: projects against invoer and deelnemers totaal   */
    REL_TARGET,        /* 8: target groups against totaal and RI5/RI6        */
    REL_YEARS,         /* 9: who finished by a year started by it            */
    REL_FAMILIES = REL_YEARS
} esf_rel_family;

/* sum(coef * value of cell) = 0 (REL_EQ) or <= 0 (REL_LE). */
typedef struct {
    uint32_t cell;
    int32_t coef;
} esf_term;
typedef struct {
    uint32_t first, n; /* terms[first .. first+n) */
    uint8_t le;        /* 1: <= 0, 0: = 0 */
    uint8_t family;    /* esf_rel_family */
} esf_rel;

/* A cell, addressed by its key of the schema (common/schema.h): table,
 * group, dimension, category and measure. */
typedef struct {
    uint8_t table, dim, measure; /* esf_table, esf_dim, esf_measure           */
    uint8_t kind;
    uint16_t ci;                /* the category within dim: esf_cat_name     */
    uint32_t gid;               /* the group (G_), the project's number in
                                   projecten (in the order of their ids),
                                   0 in invoer                                */
    const char *group;          /* its name; not NUL-terminated: project ids
                                   are bytes                                  */
    uint32_t group_len;
    char cat[48];               /* the category's name                       */
    uint8_t ndep;
    uint64_t value;             /* CELL_COUNT, CELL_PERSONS                 */
    uint64_t dep[2];            /* CELL_DERIVED: the exact counts it uses   */
    char text[48];              /* CELL_DERIVED, CELL_TEXT; "" = empty      */
    uint8_t derive;             /* CELL_DERIVED: esf_derive, how text follows
                                   from dep (and the target)               */
    unsigned __int128 target_m, target_p10; /* the target, m / p10         */
} esf_tcell;

/* How a derived cell follows from its counts (SPEC §5): an OI's procent of
 * its target and behaald from its waarde (dep[0]), an RI's from teller
 * (dep[0]) and noemer (dep[1]). */
typedef enum { DERIVE_OI_PROCENT = 1, DERIVE_OI_BEHAALD, DERIVE_RI_PROCENT, DERIVE_RI_BEHAALD } esf_derive;

/* The text of a derived cell from counts a and b (the exact ones, or the
 * published, rounded ones: SPEC §6), into dst. */
void esf_derive_text(const esf_tcell *c, uint64_t a, uint64_t b, char *dst, size_t len);

/* A cell's key, packed (esf_tables_at), and the cell (UINT32_MAX: none). */
typedef struct {
    uint64_t key;
    uint32_t cell;
} esf_keyed;

typedef struct esf_tables esf_tables;
struct esf_tables {
    esf_tcell *cells;
    size_t n, cap;
    char *groups;               /* project ids, owned */
    int32_t period_from, period_to; /* the run's --period (0: open), for the reports */
    uint32_t ninputs;           /* inputs read, for the reports */
    int32_t peildatum;          /* the reference date, yyyymmdd (0: none) */
    esf_rel *rels;              /* the relations of SPEC §6 (relations.c) */
    size_t nrels, rels_cap;
    esf_term *terms;
    size_t nterms, terms_cap;
    esf_keyed *by_key;          /* the cells by key (esf_tables_at)   */
    size_t key_mask;
    uint32_t nprojects;
};

/* The cell with this key, NULL if the tables have none (a year no row
 * has, a result measure without --peildatum).  ci: the category within
 * dim (esf_cat_name); gid: the group, or a project's number. */
const esf_tcell *esf_tables_at(const esf_tables *t, esf_table table, uint32_t gid, esf_dim dim,
                               unsigned ci, esf_measure measure);

/* The name of category ci of dimension dim, into dst: the code's name, the
 * year, FROM>TO of a transition, the indicator, the row of invoer. */
void esf_cat_name(esf_dim dim, unsigned ci, char *dst, size_t len);

/* The transition FROM>TO as a category: start_eind from a position, eind_12m
 * from a state, to a state. */
static inline unsigned esf_trans_cat(int from, int to) { return (unsigned)(from * S_COUNT + to); }

/* Builds the tables from the accumulated state (one esf_agg per partition
 * of the persons, see pkey_part) and the input counters. */
esf_status esf_tables_build(const esf_agg *parts, size_t nparts, const esf_counts *counts,
                        const esf_targets *targets, int32_t peildatum, esf_tables **out);
void esf_tables_free(esf_tables *t);

/* Cells of one table, group and dimension: adjacent in the sorted cells. */
static inline bool esf_tcell_same_dim(const esf_tcell *a, const esf_tcell *b)
{
    return a->table == b->table && a->gid == b->gid && a->dim == b->dim;
}

/* Protected counts (SPEC §6): rounded and suppressed. */
static inline bool esf_cell_protected(const esf_tcell *c) { return c->kind == CELL_PERSONS; }

/* relations.c: the relations of SPEC §6 between the cells of t (sorted)
 * into t->rels, once (a second call does nothing); built when disclosure
 * control needs them. ESF_ERR_LIMIT if a cell they name is missing. */
esf_status esf_relations_build(esf_tables *t);

/* num/den * 100 as "12.3": one decimal, halves away from zero, from the
 * exact integers; "" when den is 0.  Every percentage of the tables, the
 * reports and the figures is this one. */
void esf_tables_percent(unsigned __int128 num, unsigned __int128 den, char *dst, size_t len);

/* Writes n tenths as "12.3" (n / 10 with one decimal). */
void esf_tenths_format(unsigned __int128 tenths, char *dst, size_t len);

#endif
