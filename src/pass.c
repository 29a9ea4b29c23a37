/* pass.c - one thread's pass over the records of a block: the person
 * of each record, and the rows of its own partitions validated and counted
 * (a few records in flight, their state prefetched). */
#include "run.h"

#include <stdlib.h>
#include <string.h>

static esf_status process_row(esf_pass *pt, esf_agg *agg, const esf_pkey *key, const char *file,
                              uint64_t line, const esf_header *h, esf_rec_status st,
                              const char *next)
{
    esf_row row;
    esf_rowerr e;
    char scratch[ROW_SCRATCH];
    esf_run *r = pt->r;
    pt->counts->gelezen++;
    if (!esf_row_parse(h, &pt->rec, st, &row, &e, scratch)) {
        pt->counts->afgewezen++;
        pt->counts->per_reason[e.reason]++;
        if (!r->opts.on_reject) return ESF_OK;
        if (!pt->defer) {
            esf_reject_emit(r, file, line, &pt->rec, h, &e, st);
            return ESF_OK;
        }
        const size_t len = (size_t)(next - pt->rec.start);
        void *b = pt->marks, *c = pt->copies;
        RETURN_ERROR_IF(esf_grow(&b, &pt->marks_cap, pt->nmarks + 1, sizeof(rej_mark)), pt->err,
                        ESF_ERR_NOMEM, "%s: out of memory", file);
        pt->marks = b;
        uint64_t off = pt->copy ? pt->ncopies : (uint64_t)(pt->rec.start - pt->base);
        if (pt->copy) {
            RETURN_ERROR_IF(esf_grow(&c, &pt->copies_cap, pt->ncopies + len, 1), pt->err,
                            ESF_ERR_NOMEM, "%s: out of memory", file);
            pt->copies = c;
            memcpy(pt->copies + pt->ncopies, pt->rec.start, len);
            pt->ncopies += len;
        }
        pt->marks[pt->nmarks++] = (rej_mark){off, len, line, pt->nhdrs - 1};
        return ESF_OK;
    }
    if ((r->period_from && row.t.start < r->period_from) ||
        (r->period_to && row.t.start > r->period_to)) {
        pt->counts->gefilterd++;
        return ESF_OK;
    }
    const size_t nprojects = agg->nprojects;
    esf_status s = esf_agg_add(agg, &row, key);
    /* a new project id of this partition: JSON and the reports cannot
     * write it as it is when it is not UTF-8 (SPEC §5) */
    if (ESF_UNLIKELY(agg->nprojects != nprojects) && !esf_utf8_valid(row.project.p, row.project.len)) {
        const size_t k = (size_t)(agg - r->parts);
        if (!r->bad_utf8[k].input) {
            r->bad_utf8[k].input = r->ninputs, r->bad_utf8[k].line = line;
            snprintf(r->bad_utf8[k].file, sizeof r->bad_utf8[k].file, "%s", file);
            esf_quote_bytes(r->bad_utf8[k].seen, sizeof r->bad_utf8[k].seen, row.project.p,
                            row.project.len, 64);
        }
    }
    RETURN_ERROR_IF(s == ESF_ERR_LIMIT, pt->err, s,
                    "%s:%llu: a capacity limit: more persons or projects than one partition holds "
                    "(about 2^31; a run with more threads, -j, has more partitions)",
                    file, (unsigned long long)line);
    RETURN_ERROR_IF(s != ESF_OK, pt->err, s, "%s:%llu: out of memory", file, (unsigned long long)line);
    pt->counts->geaccepteerd++;
    return ESF_OK;
}

/* Gives back the pages of a mapped file this thread has passed.  Threads of
 * one block drift apart by many megabytes: a slower one maps a page again
 * from the page cache (a minor fault), which costs less than keeping what
 * lies between them. */
static void release_behind(esf_pass *pt, const char *pos)
{
    if (pos > pt->kept) {
        esf_reader_release(pt->map, pt->kept, pos);
        pt->kept = pos;
    }
}

/* The partition of the record at p (partition 0 when it has no person),
 * its person key (*key = NULL: none) and where the record ends.  A line
 * without quotes is only skimmed for its identifiers; another record is
 * split into pt->rec to find them (and split again when it is counted).
 * False when the block ends inside the record and more input follows. */
static bool record_partition(esf_pass *pt, const esf_header *h, const char *p, const char *end, bool eof,
                        esf_pkey **key, unsigned *k, const char **next, uint64_t *line, bool *blank)
{
    const int32_t want[2] = {h->cell[COL_RINPERSOONS], h->cell[COL_RINPERSOON]};
    esf_view id[2];
    bool has_id;
    if (esf_rec_skim(p, end, eof, h->delim, want, id, blank, next)) {
        *line += 1;
        /* the cells as they stand: a record they do not fit is rejected */
        has_id = row_key_views(&id[0], &id[1]);
    } else {
        const esf_rec_status rs = esf_rec_next(p, end, eof, h->delim, &pt->rec, next);
        if (rs == REC_NEED_MORE) return false;
        *line += pt->rec.nlines;
        *blank = rs == REC_OK && rec_is_blank(&pt->rec);
        char scratch[ROW_SCRATCH];
        has_id = esf_row_ident(h, &pt->rec, rs, scratch, &id[0], &id[1]);
    }
    *k = 0;
    if (!has_id) {
        *key = NULL;
        return true;
    }
    esf_pkey_make(*key, id[0], id[1]);
    *k = pkey_part(*key, pt->r->nparts);
    return true;
}

/* A record counted a few records after it is found, so that what its
 * person's state needs is in cache by then (esf_agg_prefetch; a probe into a
 * large set otherwise waits on memory for every row).  First in, first out:
 * rejects and their lines come in file order. */
#define INFLIGHT 16u         /* records in flight (a power of two)     */
#define INFLIGHT_STAGES 4u   /* esf_agg_prefetch's stages                  */
#define INFLIGHT_STAGE 4u    /* records between two prefetch stages    */

typedef struct {
    const char *p;       /* the record                             */
    uint64_t line;
    unsigned k;          /* its partition                          */
    bool has_key;
    uint32_t pid;        /* esf_agg_prefetch's                         */
    esf_pkey key;
} pending;

typedef struct {
    pending q[INFLIGHT];
    unsigned head, n;    /* head: the oldest                       */
} inflight;

/* Splits and counts the oldest pending record. */
static esf_status inflight_pop(esf_pass *pt, inflight *pq, const char *name, const esf_header *h,
                           const char *end, bool eof)
{
    const pending *e = &pq->q[pq->head];
    const char *next;
    pq->head = (pq->head + 1) & (INFLIGHT - 1);
    pq->n--;
    const esf_rec_status rs = esf_rec_next(e->p, end, eof, h->delim, &pt->rec, &next);
    return process_row(pt, &pt->r->parts[e->k], e->has_key ? &e->key : NULL, name, e->line, h, rs,
                       next);
}

/* Adds a record and moves the records in flight one stage on. */
static void inflight_push(inflight *pq, const esf_agg *parts, const char *p, uint64_t line, unsigned k,
                      const esf_pkey *key)
{
    pending *e = &pq->q[(pq->head + pq->n++) & (INFLIGHT - 1)];
    e->p = p, e->line = line, e->k = k, e->has_key = key != NULL;
    if (key) e->key = *key;
    for (unsigned s = 0; s < INFLIGHT_STAGES && s * INFLIGHT_STAGE < pq->n; s++) {
        pending *x = &pq->q[(pq->head + pq->n - 1 - s * INFLIGHT_STAGE) & (INFLIGHT - 1)];
        if (x->has_key) esf_agg_prefetch(&parts[x->k], &x->key, s, &x->pid);
    }
}

/* Counts the data records from *pp on (those of this pass's partitions),
 * until the block ends or a record needs more of it. */
esf_status esf_pass_rows(esf_pass *pt, const char *name, const char **pp, const char *end,
                             bool eof, uint64_t *line)
{
    esf_run *r = pt->r;
    const char *p = *pp;
    const esf_header *h = headers_current(pt);
    esf_status st = ESF_OK;
    inflight pq;
    pq.head = pq.n = 0;
    while (p < end) {
        const char *next;
        const uint64_t rec_line = *line;
        esf_pkey key, *kp = &key;
        bool blank;
        unsigned k;
        if (!record_partition(pt, h, p, end, eof, &kp, &k, &next, line, &blank)) break;
        esf_header nh;
        if (!blank && (!kp || kp->len || h->check_all) &&
            esf_header_again(pt, h, p, next, name, rec_line, &nh)) {
            /* the records in flight were read under the header before */
            while (st == ESF_OK && pq.n) st = inflight_pop(pt, &pq, name, h, end, eof);
            if (st != ESF_OK || (st = esf_headers_push(pt, &nh)) != ESF_OK) break;
            h = headers_current(pt);
            p = next;
            continue;
        }
        if (blank || (pt->nwork && (k < pt->nwork ? k : k % pt->nwork) != pt->me)) {
            p = next;
            if (blank) continue;
            goto tick;
        }
        if (pq.n == INFLIGHT && (st = inflight_pop(pt, &pq, name, h, end, eof)) != ESF_OK) break;
        inflight_push(&pq, r->parts, p, rec_line, k, kp);
        p = next;
    tick:
        if (ESF_UNLIKELY((++pt->nscan & 0x1fff) == 0)) {
            /* behind the records in flight */
            const char *done = pq.n ? pq.q[pq.head].p : p;
            /* Peak memory is the state, not the file: a replayed reject
             * reads its page again from the page cache. */
            if (pt->map) release_behind(pt, done);
            if (pt->tick && (pt->nscan & 0xffff) == 0) pt->tick(pt, done);
        }
    }
    while (st == ESF_OK && pq.n) st = inflight_pop(pt, &pq, name, h, end, eof);
    *pp = p;
    return st;
}

void esf_counts_add(esf_counts *d, const esf_counts *s)
{
    d->gelezen += s->gelezen;
    d->geaccepteerd += s->geaccepteerd;
    d->afgewezen += s->afgewezen;
    d->gefilterd += s->gefilterd;
    for (int i = 0; i < ESF_REJ_COUNT; i++) d->per_reason[i] += s->per_reason[i];
}
