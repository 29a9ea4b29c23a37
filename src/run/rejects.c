/* rejects.c - rejects reported to the caller in input order: at once
 * (the first range of a block), or kept as marks and replayed under the
 * header they were read under. */
#include "rejects.h"
#include "state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void esf_reject_emit(esf_run *r, const char *file, uint64_t line, const esf_record *rec,
                        const esf_header *h, const esf_rowerr *e, esf_rec_status st)
{
    char detail[160] = "";
    if (e->reason == ESF_REJ_VELDAANTAL)
        snprintf(detail, sizeof detail, "%zu fields, header has %u", rec->ncells, h->nfields);
    else if (e->reason == ESF_REJ_QUOTE_OPEN)
        snprintf(detail, sizeof detail, "%s",
                 st == REC_QUOTE_OPEN ? "quote not closed at end of file"
                                      : "text after a closing quote");
    if (rec->len > ESF_RECORD_MAX) /* skipped, not kept: its first bytes shown */
        snprintf(detail, sizeof detail, "a record of %zu bytes, more than %zu MiB%s; its first %zu shown",
                 rec->len, ESF_RECORD_MAX >> 20, st == REC_QUOTE_OPEN ? " (quote not closed at end of file)" : "",
                 (size_t)REJECT_SHOWN);
    bool is_case;
    esf_reject rej = {
        .file = file,
        .line = run_where(r, line, &is_case),
        .reason = e->reason,
        .column = e->col >= 0 ? esf_col_names[e->col] : NULL,
        .seen = e->seen.p,
        .seen_len = e->seen.len,
        .detail = detail,
        .record = rec->start,
        .record_len = rec->len > ESF_RECORD_MAX ? REJECT_SHOWN : rec->len,
    };
    rej.is_case = is_case;
    r->opts.on_reject(r->opts.reject_ctx, &rej);
}

/* Reports a kept reject: its bytes split and checked again, as before,
 * under the header it was read under. */
static void report_mark(esf_pass *pt, const char *name, const char *base, const rej_mark *m)
{
    const esf_header *h = &pt->hdrs[m->hv];
    const char *p = base + m->off, *next;
    char scratch[ROW_SCRATCH];
    const esf_rec_status st = esf_rec_next(p, p + m->len, true, h->delim, &pt->rec, &next);
    esf_row row;
    esf_rowerr e;
    bool ok = esf_row_parse(h, &pt->rec, st, &row, &e, scratch);
    (void)ok; /* rejected as before: same bytes, same checks */
    esf_reject_emit(pt->r, name, m->line, &pt->rec, h, &e, st);
}

void esf_rejects_report(esf_pass *pt, const char *name, const char *base, const rej_mark *marks,
                        size_t n)
{
    for (size_t i = 0; i < n; i++) report_mark(pt, name, base, &marks[i]);
}
