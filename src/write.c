/* write.c - stage 6: esf_tables_write (esf_run_write) hands the published
 * tables (publish.c) to the format: CSV, JSON and the suppression log
 * (output.c), the text, Markdown and HTML reports (report.c). */
#include "write.h"
#include "output.h"
#include "report.h"

#include <errno.h>
#include <string.h>

esf_status esf_tables_write(const esf_pub *p, esf_format fmt, FILE *out, esf_err *err)
{
    esf_status st = ESF_OK;
    switch (fmt) {
    case ESF_FORMAT_CSV: esf_output_csv(p, out); break;
    case ESF_FORMAT_JSON: esf_output_json(p, out); break;
    case ESF_FORMAT_TEXT: st = esf_report_write(p, REPORT_TEXT, out); break;
    case ESF_FORMAT_MARKDOWN: st = esf_report_write(p, REPORT_MARKDOWN, out); break;
    case ESF_FORMAT_HTML: st = esf_report_write(p, REPORT_HTML, out); break;
    case ESF_FORMAT_SUPPRESSION_LOG: esf_output_suppression_log(p, out); break;
    default: st = esf_fail(err, ESF_ERR_USAGE, "unknown format %d", (int)fmt);
    }
    if (st == ESF_ERR_NOMEM) return esf_fail(err, st, "out of memory while writing the tables");
    if (st != ESF_OK) return st;
    RETURN_ERROR_IF(fflush(out) != 0 || ferror(out), err, ESF_ERR_OUTPUT, "cannot write the tables: %s",
                    strerror(errno));
    return ESF_OK;
}
