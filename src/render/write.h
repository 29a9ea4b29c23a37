/* write.h - stage 6: the tables written in a format (write.c). */
#ifndef ESF_WRITE_H
#define ESF_WRITE_H

#include "tabulate/tabulate.h"

/* Writes the published tables in fmt: CSV, JSON or the suppression log
 * (output.c), a report (report.c). */
esf_status esf_tables_write(const esf_pub *p, esf_format fmt, FILE *out, esf_err *err);

#endif
