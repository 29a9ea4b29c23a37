/* stream.c - a stream (gzip, a pipe) read by several threads over the
 * decoder's ring of slabs. */
#include "run.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/*
 * The decoder fills a ring of slabs (esf_reader_pipeline).  Every thread passes
 * every slab in order, as every thread passes every record of a mapped
 * block, and gives each back behind itself: the threads wait only for the
 * decoder, never for each other.  A record cut by a slab's end is finished in
 * the thread's own carry buffer from the next slab's first bytes, so all
 * threads still see the same records.  A thread's rejects are copied and
 * handed over slab by slab (a record belongs to the slab its end is found
 * in); the calling thread reports those of the slabs every thread has
 * passed, in line order. */

enum { CARRY_STEP = 4096 };

typedef struct stream stream;

typedef struct {
    esf_pass pt;
    esf_counts counts;
    esf_err err;
    esf_status st;
    stream *sm;
    uint64_t seq;             /* the slab being passed              */
    size_t off;               /* where in it                        */
    uint64_t line;
    char *carry;              /* the unfinished record(s) it ended in */
    size_t carry_len, carry_cap;
    esf_header *header;       /* reading the header (the first thread) */
    bool have_header;
    bool decode_failed;       /* the input is broken: every thread sees it */
    pthread_t tid;
    bool started;
} walker;

struct stream {
    esf_run *r;
    esf_reader *rd;
    const char *name;
    const esf_header *h;
    unsigned n;                    /* threads                          */
    pthread_mutex_t mu;            /* batches, passed                  */
    rej_batch *batches;
    uint64_t passed[MAX_THREADS];  /* slabs each thread is through     */
};

static esf_status walk_range(walker *w, const char **pp, const char *end, bool eof)
{
    stream *sm = w->sm;
    if (w->header)
        return esf_header_read(sm->r, &w->pt, sm->name, w->header, pp, end, eof, &w->line,
                           &w->have_header);
    return esf_pass_rows(&w->pt, sm->name, pp, end, eof, &w->line);
}

static esf_status carry_add(walker *w, const char *p, size_t n)
{
    if (!n) return ESF_OK;
    void *b = w->carry;
    RETURN_ERROR_IF(esf_grow(&b, &w->carry_cap, w->carry_len + n, 1), w->pt.err, ESF_ERR_NOMEM,
                    "%s: out of memory (a record of %zu bytes)", w->sm->name, w->carry_len + n);
    w->carry = b;
    memcpy(w->carry + w->carry_len, p, n);
    w->carry_len += n;
    return ESF_OK;
}

/* One step through slab s from w->off: its records, or the next bytes of it
 * behind the carried ones. */
static esf_status walk_step(walker *w, const esf_slab *s)
{
    const char *end = s->p + s->len;
    if (!w->carry_len) {
        const char *p = s->p + w->off;
        FORWARD_IF_ERROR(walk_range(w, &p, end, s->last));
        w->off = (size_t)(p - s->p);
        if (w->have_header && w->header) return ESF_OK;
        FORWARD_IF_ERROR(carry_add(w, p, (size_t)(end - p)));
        w->off = s->len;
        return ESF_OK;
    }
    const size_t old = w->carry_len, step = old > CARRY_STEP ? old : CARRY_STEP;
    const size_t n = s->len - w->off < step ? s->len - w->off : step;
    FORWARD_IF_ERROR(carry_add(w, s->p + w->off, n));
    const char *p = w->carry;
    FORWARD_IF_ERROR(walk_range(w, &p, w->carry + w->carry_len, s->last && w->off + n == s->len));
    const size_t used = (size_t)(p - w->carry);
    if (used >= old) { /* past the cut: on in the slab itself */
        w->off += used - old;
        w->carry_len = 0;
    } else {
        memmove(w->carry, p, w->carry_len - used);
        w->carry_len -= used;
        w->off += n;
    }
    return ESF_OK;
}

/* Reports the handed-over rejects of the slabs every thread has passed
 * (all: every one), in line order. */
static void report_batches(stream *sm, esf_pass *pt, bool all)
{
    rej_batch *ready = NULL, **tail = &ready;
    pthread_mutex_lock(&sm->mu);
    uint64_t upto = UINT64_MAX;
    for (unsigned k = 0; !all && k < sm->n; k++)
        if (sm->passed[k] < upto) upto = sm->passed[k];
    for (rej_batch **pp = &sm->batches; *pp;) {
        rej_batch *b = *pp;
        if (b->seq < upto) {
            *pp = b->next, b->next = NULL;
            *tail = b, tail = &b->next;
        } else {
            pp = &b->next;
        }
    }
    pthread_mutex_unlock(&sm->mu);
    esf_rejects_report(pt, sm->name, ready, NULL);
    esf_rej_batches_free(ready);
}

/* w is through its slab: hands over its rejects and gives the slab back. */
static esf_status walk_pass(walker *w)
{
    stream *sm = w->sm;
    esf_pass *pt = &w->pt;
    rej_batch *b = NULL;
    if (pt->nmarks) {
        b = malloc(sizeof *b);
        RETURN_ERROR_IF(!b, pt->err, ESF_ERR_NOMEM, "%s: out of memory", sm->name);
        *b = (rej_batch){.seq = w->seq, .marks = pt->marks, .n = pt->nmarks, .base = pt->copies,
                         .copies = pt->copies};
        pt->marks = NULL, pt->copies = NULL;
        pt->nmarks = pt->marks_cap = pt->ncopies = pt->copies_cap = 0;
    }
    pthread_mutex_lock(&sm->mu);
    if (b) b->next = sm->batches, sm->batches = b;
    if (!w->header) sm->passed[pt->me] = w->seq + 1;
    pthread_mutex_unlock(&sm->mu);
    /* reading the header, the first thread passes for all */
    esf_reader_slab_done(sm->rd, w->seq, w->header ? sm->n : 1);
    w->seq++, w->off = 0;
    if (pt->me == 0 && !w->header && pt->r->opts.on_reject) report_batches(sm, pt, false);
    return ESF_OK;
}

/* Passes the slabs from w->seq on, to the end of the input (or of the header
 * when w->header). */
static esf_status walk(walker *w)
{
    stream *sm = w->sm;
    for (;;) {
        esf_slab s;
        const esf_status st = esf_reader_slab(sm->rd, w->seq, &s, w->pt.err);
        if (st != ESF_OK) {
            w->decode_failed = true;
            return st;
        }
        if (s.stopped) return ESF_OK; /* another thread failed */
        w->pt.consumed = s.consumed;
        if (w->seq == 0 && w->off == 0 && s.len >= 3 && memcmp(s.p, "\xef\xbb\xbf", 3) == 0)
            w->off = 3;
        do {
            FORWARD_IF_ERROR(walk_step(w, &s));
            if (w->header && w->have_header) return ESF_OK;
        } while (w->off < s.len);
        const bool last = s.last;
        FORWARD_IF_ERROR(walk_pass(w));
        if (last) return ESF_OK;
    }
}

static void *walker_main(void *arg)
{
    walker *w = arg;
    w->st = walk(w);
    /* a thread that fails stops the others, which would wait for it; a
     * broken input stops each at the same slab */
    if (w->st != ESF_OK && !w->decode_failed) esf_reader_stop(w->sm->rd);
    return NULL;
}

static void walker_free(walker *w)
{
    free(w->carry);
    free(w->pt.marks);
    free(w->pt.copies);
    esf_headers_free(&w->pt);
}

/* Reads a gzip input or a stream on r->nparts threads (pt: the calling
 * thread's pass) while another decodes it. */
esf_status esf_stream_rows(esf_run *r, esf_reader *rd, const char *name, esf_pass *pt, bool *have)
{
    const unsigned n = r->nparts;
    if (!rd->pipe) FORWARD_IF_ERROR(esf_reader_pipeline(rd, n, r->opts.chunk_min, &r->err));
    esf_header h;
    memset(&h, 0, sizeof h);
    stream sm = {.r = r, .rd = rd, .name = name, .h = &h, .n = n};
    walker *ws = calloc(n, sizeof *ws);
    RETURN_ERROR_IF(!ws, &r->err, ESF_ERR_NOMEM, "%s: out of memory", name);
    pthread_mutex_init(&sm.mu, NULL);
    walker *w0 = &ws[0];
    *w0 = (walker){.pt = *pt, .sm = &sm, .line = 1, .header = &h};
    w0->pt.counts = &w0->counts;
    esf_status st = walk(w0);
    *have = w0->have_header;
    if (st == ESF_OK && *have) st = esf_headers_push(&w0->pt, &h);
    w0->header = NULL;
    w0->pt.nwork = n, w0->pt.defer = w0->pt.copy = true;
    for (unsigned k = 0; k < n; k++) sm.passed[k] = w0->seq;
    for (unsigned k = 1; k < n && st == ESF_OK && *have; k++) {
        walker *w = &ws[k];
        *w = (walker){.sm = &sm, .seq = w0->seq, .off = w0->off, .line = w0->line};
        w->pt = (esf_pass){.r = r, .counts = &w->counts, .err = &w->err, .me = k, .nwork = n,
                       .defer = true, .copy = true,
                       .rec = {.cells = malloc(w0->pt.rec.cap * sizeof(esf_cell)),
                               .cap = w0->pt.rec.cap}};
        if (!w->pt.rec.cells || carry_add(w, w0->carry, w0->carry_len) != ESF_OK ||
            esf_headers_copy(&w->pt, &w0->pt) != ESF_OK)
            st = esf_fail(&r->err, ESF_ERR_NOMEM, "%s: out of memory", name);
        else w->started = pthread_create(&w->tid, NULL, walker_main, w) == 0;
        if (st == ESF_OK && !w->started)
            st = esf_fail(&r->err, ESF_ERR_NOMEM, "%s: out of memory: cannot start a thread", name);
    }
    if (st == ESF_OK && *have) st = walk(w0);
    if (st != ESF_OK && !w0->decode_failed) esf_reader_stop(rd);
    for (unsigned k = 1; k < n; k++) {
        walker *w = &ws[k];
        if (w->started) pthread_join(w->tid, NULL);
        if (st == ESF_OK && w->st != ESF_OK) r->err = w->err, st = w->st;
    }
    /* after a failure, those of the slabs every thread passed, as -j 1 would */
    if (r->opts.on_reject && *have) report_batches(&sm, &w0->pt, st == ESF_OK);
    if (st == ESF_OK) {
        for (unsigned k = 0; k < n; k++) esf_counts_add(pt->counts, &ws[k].counts);
        pt->nscan = w0->pt.nscan, pt->consumed = w0->pt.consumed;
    }
    esf_rej_batches_free(sm.batches);
    for (unsigned k = 0; k < n; k++) {
        walker_free(&ws[k]);
        if (k) free(ws[k].pt.rec.cells);
    }
    /* a wide header grew the run's cells */
    pt->rec = w0->pt.rec;
    free(ws);
    pthread_mutex_destroy(&sm.mu);
    return st;
}
