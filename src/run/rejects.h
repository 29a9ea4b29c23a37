/* rejects.h - rejects reported in input order (rejects.c). */
#ifndef ESF_RUN_REJECTS_H
#define ESF_RUN_REJECTS_H

#include "state.h"

/* The bytes of a record longer than ESF_RECORD_MAX shown in its reject. */
#define REJECT_SHOWN 1024
/* A reject reported to the caller (rec->len > ESF_RECORD_MAX: a record
 * skipped, of which rec->start holds REJECT_SHOWN bytes). */
void esf_reject_emit(esf_run *r, const char *file, uint64_t line, const esf_record *rec,
                 const esf_header *h, const esf_rowerr *e, esf_rec_status st);
/* Reports kept rejects (in line order) under the headers of pt they name. */
void esf_rejects_report(esf_pass *pt, const char *name, const char *base, const rej_mark *marks,
                        size_t n);

#endif
