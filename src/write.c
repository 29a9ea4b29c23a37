/* write.c - stage 6: esf_tables_write, which publishes the tables once
 * (publish.c) and hands them to the format: CSV and JSON (output.c), the
 * text, Markdown and HTML reports (report.c). */
#include "output.h"
#include "report.h"

esf_status esf_tables_write(const esf_tables *t, esf_format fmt, const esf_disclosure *dc,
                            FILE *out)
{
    esf_pub p;
    FORWARD_IF_ERROR(pub_init(&p, t, dc));
    esf_status st = ESF_OK;
    switch (fmt) {
    case ESF_FORMAT_CSV: output_csv(&p, out); break;
    case ESF_FORMAT_JSON: output_json(&p, out); break;
    case ESF_FORMAT_TEXT: st = report_write(&p, REPORT_TEXT, out); break;
    case ESF_FORMAT_MARKDOWN: st = report_write(&p, REPORT_MARKDOWN, out); break;
    case ESF_FORMAT_HTML: st = report_write(&p, REPORT_HTML, out); break;
    default: st = ESF_ERR_USAGE;
    }
    pub_free(&p);
    if (st != ESF_OK) return st;
    if (fflush(out) != 0 || ferror(out)) return ESF_ERR_OUTPUT;
    return ESF_OK;
}
