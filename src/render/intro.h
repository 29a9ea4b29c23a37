/* intro.h - the top of every report (intro.c). */
#ifndef ESF_INTRO_H
#define ESF_INTRO_H

#include "tabulate/tabulate.h"

/* The report's opening paragraphs (an empty one is left out): the period
 * and reference date, the inputs, the protection applied and what it is,
 * and, under --suppress-below, that two runs on overlapping data are two
 * releases.  html: the figures' hatching is named. */
enum { INTRO_LINES = 4 };
/* The period of the run in words ("trajecten met een start van 1-1-2015
 * tot en met 31-12-2022", "alle trajecten (...)"). */
void esf_report_period(const esf_tables *t, char *dst, size_t len);
void esf_report_intro(const esf_pub *p, bool html, char lines[INTRO_LINES][400]);

#endif
