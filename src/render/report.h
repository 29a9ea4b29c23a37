/* report.h - stage 6: the text, Markdown and HTML reports (report.c; the
 * HTML report's figures in html.c). */
#ifndef ESF_REPORT_H
#define ESF_REPORT_H

#include "tabulate/tabulate.h"

typedef enum { REPORT_TEXT, REPORT_MARKDOWN, REPORT_HTML } report_mode;
esf_status esf_report_write(const esf_pub *p, report_mode mode, FILE *out);

#endif
