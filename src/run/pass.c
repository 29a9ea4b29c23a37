/* pass.c - a record's fate: rejected (reported at once, or kept as a mark
 * for the calling thread to report in input order) or counted into its
 * person's partition. */
#include "pass.h"
#include "state.h"
#include "rejects.h"

#include <stdlib.h>
#include <string.h>

/* Counts an accepted row into its partition's esf_agg (SPEC §3).  A new
 * project id that is not UTF-8 is noted (JSON and the reports cannot write
 * it as it is, SPEC §5): the first per partition, by input and line. */
esf_status esf_pass_count(esf_run *r, esf_agg *agg, esf_row *row, const esf_pkey *key,
                          const char *file, uint64_t line, esf_err *err)
{
    const size_t nprojects = agg->nprojects;
    esf_status s = esf_agg_add(agg, row, key);
    if (ESF_UNLIKELY(agg->nprojects != nprojects) && !esf_utf8_valid(row->project.p, row->project.len)) {
        const size_t k = (size_t)(agg - r->parts);
        if (!r->bad_utf8[k].input) {
            r->bad_utf8[k].input = r->ninputs;
            r->bad_utf8[k].line = run_where(r, line, &r->bad_utf8[k].is_case);
            snprintf(r->bad_utf8[k].file, sizeof r->bad_utf8[k].file, "%s", file);
            esf_quote_bytes(r->bad_utf8[k].seen, sizeof r->bad_utf8[k].seen, row->project.p,
                            row->project.len, 64);
        }
    }
    RETURN_ERROR_IF(s == ESF_ERR_LIMIT, err, s,
                    "%s:%llu: a capacity limit: more persons or projects than one partition holds "
                    "(about 2^31; a run with more threads, -j, has more partitions)",
                    file, (unsigned long long)line);
    RETURN_ERROR_IF(s != ESF_OK, err, s, "%s:%llu: out of memory", file, (unsigned long long)line);
    return ESF_OK;
}

/* A rejected record (in pt->rec): counted, and reported at once, or kept as
 * a mark to be reported in input order by the calling thread. */
esf_status esf_pass_reject(esf_pass *pt, const char *file, uint64_t line, const esf_header *h,
                           const esf_rowerr *e, esf_rec_status st, const char *next)
{
    esf_run *r = pt->r;
    pt->counts->afgewezen++;
    pt->counts->per_reason[e->reason]++;
    if (!r->opts.on_reject) return ESF_OK;
    if (!pt->defer) {
        esf_reject_emit(r, file, line, &pt->rec, h, e, st);
        return ESF_OK;
    }
    void *b = pt->marks;
    RETURN_ERROR_IF(esf_grow(&b, &pt->marks_cap, pt->nmarks + 1, sizeof(rej_mark)), pt->err,
                    ESF_ERR_NOMEM, "%s: out of memory", file);
    pt->marks = b;
    pt->marks[pt->nmarks++] = (rej_mark){(uint64_t)(pt->rec.start - pt->base),
                                         (uint64_t)(next - pt->rec.start), line, pt->nhdrs - 1};
    return ESF_OK;
}

void esf_counts_add(esf_counts *d, const esf_counts *s)
{
    d->gelezen += s->gelezen;
    d->geaccepteerd += s->geaccepteerd;
    d->afgewezen += s->afgewezen;
    d->gefilterd += s->gefilterd;
    for (int i = 0; i < ESF_REJ_COUNT; i++) d->per_reason[i] += s->per_reason[i];
}
