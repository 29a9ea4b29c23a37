/* headers.h - a file's headers (headers.c, SPEC §2.1). */
#ifndef ESF_RUN_HEADERS_H
#define ESF_RUN_HEADERS_H

#include "state.h"

esf_status esf_headers_push(esf_pass *pt, const esf_header *h);
void esf_headers_free(esf_pass *pt);
/* Reads up to the first header of an input (blank lines, BOM, the checks
 * of SPEC §2.1 that it is text); *have once it is read. */
esf_status esf_header_read(esf_run *r, esf_pass *pt, const char *name, esf_header *h, const char **pp,
                       const char *end, bool eof, uint64_t *line, bool *have);
/* What a record rejected as a row is: a header again (*nh then
 * its header), not one, or one that cannot be used (the message in
 * pt->err). */
typedef enum { HDR_NOT, HDR_AGAIN, HDR_BAD } esf_hdr_again;
esf_hdr_again esf_header_again(esf_pass *pt, const char *p, const char *next,
                               const char *name, uint64_t line, esf_header *nh);

#endif
