/* publish.h - stage 6: the published view of the tables (disclosure control
 * of SPEC §6 plus secondary suppression) shared by every output format. */
#ifndef ESF_PUBLISH_H
#define ESF_PUBLISH_H

#include "tables.h"

typedef struct {
    const esf_tables *t;
    esf_disclosure dc;
    uint8_t *sup; /* per cell: 1 = published as "x" */
} esf_pub;

/* Decides which cells are suppressed: person counts below suppress_below
 * (primary) and, within one dimension of one group and measure of the
 * deelnemers, resultaten and overgangen tables, the next-smallest cell when
 * exactly one is suppressed (secondary); derived cells whose counts are
 * suppressed. */
esf_status esf_pub_init(esf_pub *p, const esf_tables *t, const esf_disclosure *dc);
void esf_pub_free(esf_pub *p);

/* The published text of a cell: rounded, "x" or as computed. */
const char *esf_pub_text(const esf_pub *p, const esf_tcell *c, char *buf, size_t len);
static inline bool pub_suppressed(const esf_pub *p, const esf_tcell *c)
{
    return p->sup[c - p->t->cells];
}

#endif
