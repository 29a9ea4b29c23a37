/* output.h - stage 6: CSV and JSON from the published view (output.c). */
#ifndef ESF_OUTPUT_H
#define ESF_OUTPUT_H

#include "tabulate/tabulate.h"

void esf_output_csv(const esf_pub *p, FILE *out);
void esf_output_json(const esf_pub *p, FILE *out);
/* Every suppressed cell: table,group,dimension,category,measure,reason (SPEC §6). */
void esf_output_suppression_log(const esf_pub *p, FILE *out);

#endif
