/* write.c - stage 6: esf_tables_write (esf_run_write) hands the published
 * tables (publish.c) to the format: CSV, JSON and the suppression log
 * (output.c), the text, Markdown and HTML reports (report.c). */
#include "write.h"
#include "output.h"
#include "report.h"

#include <errno.h>
#include <locale.h>
#include <string.h>

static esf_status write_format(const esf_pub *p, esf_format fmt, FILE *out, esf_err *err)
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
    return st;
}

/* Written in the C locale whatever the host program set (a decimal comma
 * would make "15,2" of an SVG width, or read "1.5" as 1): uselocale changes
 * the calling thread's only. */
esf_status esf_tables_write(const esf_pub *p, esf_format fmt, FILE *out, esf_err *err)
{
    const locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    RETURN_ERROR_IF(!c, err, ESF_ERR_NOMEM, "out of memory while writing the tables");
    const locale_t before = uselocale(c);
    const esf_status st = write_format(p, fmt, out, err);
    uselocale(before);
    freelocale(c);
    if (st == ESF_ERR_NOMEM) return esf_fail(err, st, "out of memory while writing the tables");
    if (st != ESF_OK) return st;
    RETURN_ERROR_IF(fflush(out) != 0 || ferror(out), err, ESF_ERR_OUTPUT, "cannot write the tables: %s",
                    strerror(errno));
    return ESF_OK;
}
