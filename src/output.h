/* output.h - stage 6: CSV and JSON from the published view (output.c). */
#ifndef ESF_OUTPUT_H
#define ESF_OUTPUT_H

#include "publish.h"

void esf_output_csv(const esf_pub *p, FILE *out);
void esf_output_json(const esf_pub *p, FILE *out);

#endif
