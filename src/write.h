/* write.h - stage 6: the tables written in a format (write.c). */
#ifndef ESF_WRITE_H
#define ESF_WRITE_H

#include "tables.h"

/* Publishes the tables with dc (publish.c) and writes them in fmt: CSV or
 * JSON (output.c), a report (report.c). */
esf_status esf_tables_write(const esf_tables *t, esf_format fmt, const esf_disclosure *dc, FILE *out,
                        esf_err *err);

#endif
