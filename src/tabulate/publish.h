/* publish.h - stage 6b: the published view of the tables (disclosure
 * control of SPEC §6) shared by every output format. */
#ifndef ESF_PUBLISH_H
#define ESF_PUBLISH_H

#include "suppress.h"

typedef struct {
    const esf_tables *t;
    esf_disclosure dc;
    uint8_t *sup;                /* per cell: esf_sup_reason, nonzero = "x" */
    uint64_t count[SUP_REASONS]; /* cells per reason */
} esf_pub;

/* Decides which cells are suppressed (esf_suppress) when dc asks for it. */
esf_status esf_pub_init(esf_pub *p, const esf_tables *t, const esf_disclosure *dc, esf_err *err);
void esf_pub_free(esf_pub *p);

/* The published text of a cell: rounded, "x" or as computed; a derived
 * cell (procent, behaald) from the published counts (SPEC §6: under
 * --round, from the rounded ones). */
const char *esf_pub_text(const esf_pub *p, const esf_tcell *c, char *buf, size_t len);
/* A count as published: a protected one rounded under --round (not "x":
 * ask pub_suppressed). */
uint64_t esf_pub_count(const esf_pub *p, const esf_tcell *c);
static inline bool pub_suppressed(const esf_pub *p, const esf_tcell *c)
{
    return p->sup[c - p->t->cells] != SUP_NONE;
}

/* A published value, typed: what the writers and figures use instead of
 * reading the text back. */
typedef enum {
    PV_NONE,       /* no cell, or an empty one (a percentage of 0)         */
    PV_NUMBER,     /* num / den: a count (den 1), a percentage in tenths
                      (den 10), a target (m / 10^k), behaald (0 or 1)      */
    PV_SUPPRESSED, /* "x"                                                  */
    PV_STRUCTURAL  /* cannot occur: "-" in the reports, 0 in CSV and JSON  */
} esf_pv_kind;
typedef struct {
    esf_pv_kind kind;
    uint64_t num, den;
} esf_pval;

/* The published value of cell c (NULL: PV_NONE). */
esf_pval esf_pub_value(const esf_pub *p, const esf_tcell *c);
static inline double esf_pval_double(esf_pval v)
{
    return v.kind == PV_NUMBER && v.den ? (double)v.num / (double)v.den : 0;
}

/* A cell that cannot occur: "-" in the reports (SPEC §6), 0 in CSV and JSON. */
static inline bool esf_pub_structural(const esf_tcell *c) { return c->kind == CELL_STRUCTURAL; }

#endif
