/* pass.h - a record rejected or counted (pass.c). */
#ifndef ESF_RUN_PASS_H
#define ESF_RUN_PASS_H

#include "state.h"

void esf_counts_add(esf_counts *d, const esf_counts *s);
/* A rejected record (in pt->rec): counted, and reported or kept as a mark. */
esf_status esf_pass_reject(esf_pass *pt, const char *file, uint64_t line, const esf_header *h,
                           const esf_rowerr *e, esf_rec_status st, const char *next);
/* An accepted row counted into agg (the note of a project id not UTF-8). */
esf_status esf_pass_count(esf_run *r, esf_agg *agg, esf_row *row, const esf_pkey *key,
                          const char *file, uint64_t line, esf_err *err);

#endif
