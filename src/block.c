/* block.c - one block (a mapped file) read by several threads. */
#include "run.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/*
 * Every thread passes every record of the block, so each knows the true
 * record boundaries and line numbers without guessing; a record is counted
 * only by the thread of its person's partition (pkey_part), into that
 * partition's esf_agg.  No state is shared and nothing is merged: the
 * partitions hold different persons.  Splitting a record is cheap next to
 * validating and counting it, which is what the threads share out. */

#define CHUNK_MIN_DEFAULT ((size_t)1 << 20)

typedef struct {
    esf_pass pt;
    esf_counts counts;
    esf_err err;
    esf_status st;
    const char *name;
    const char *pos, *end;
    uint64_t line;
    pthread_t tid;
    bool started, eof;
} worker;

static void *worker_main(void *arg)
{
    worker *w = arg;
    w->st = esf_pass_rows(&w->pt, w->name, &w->pos, w->end, w->eof, &w->line);
    return NULL;
}

/* Reports the rejects of all passes over a mapped block in input order. */
static void replay_rejects(esf_pass *main_pt, esf_pass *const *pts, unsigned n, const char *name,
                           const char *end)
{
    rej_batch bs[MAX_THREADS], *list = NULL;
    for (unsigned k = n; k-- > 0;) {
        bs[k] = (rej_batch){.next = list, .marks = pts[k]->marks, .n = pts[k]->nmarks,
                            .base = main_pt->base};
        list = &bs[k];
    }
    esf_rejects_report(main_pt, name, list, end);
}

/* Counts the records of the block [*pp, end) on up to nthreads threads.
 * When more input follows (!eof), *pp stops before a record the block ends
 * inside, as esf_pass_rows does. */
esf_status esf_block_rows(esf_pass *pt, const char *name, const char **pp, const char *end,
                                 bool eof, uint64_t *line)
{
    esf_run *r = pt->r;
    size_t rest = (size_t)(end - *pp);
    size_t min = r->opts.chunk_min ? r->opts.chunk_min : CHUNK_MIN_DEFAULT;
    unsigned n = r->nparts;
    if (n > 1 && rest / n < min) n = (unsigned)(rest / min);
    if (n <= 1) return esf_pass_rows(pt, name, pp, end, eof, line);

    worker *ws = calloc(n, sizeof *ws);
    esf_pass *pts[MAX_THREADS] = {pt};
    RETURN_ERROR_IF(!ws, pt->err, ESF_ERR_NOMEM, "%s: out of memory", name);
    esf_status st = ESF_OK;
    for (unsigned k = 1; k < n && st == ESF_OK; k++) {
        worker *w = &ws[k];
        *w = (worker){.name = name, .pos = *pp, .end = end, .line = *line, .eof = eof};
        w->pt = (esf_pass){.r = r, .counts = &w->counts, .err = &w->err, .me = k, .nwork = n,
                       .defer = true, .base = *pp, .map = pt->map, .kept = *pp,
                       .rec = {.cells = malloc(pt->rec.cap * sizeof(esf_cell)), .cap = pt->rec.cap}};
        pts[k] = &w->pt;
        if (!w->pt.rec.cells || esf_headers_copy(&w->pt, pt) != ESF_OK)
            st = esf_fail(pt->err, ESF_ERR_NOMEM, "%s: out of memory", name);
        else w->started = pthread_create(&w->tid, NULL, worker_main, w) == 0; /* else run below */
    }
    /* This thread's share, with the progress line and the pages given back.
     * It counts apart from the run too: the run's counters share a cache
     * line with what the workers read for every record. */
    const char *p = *pp;
    esf_counts *run_counts = pt->counts, mine;
    memset(&mine, 0, sizeof mine);
    pt->counts = &mine;
    pt->me = 0, pt->nwork = n, pt->defer = true, pt->base = *pp;
    if (st == ESF_OK) st = esf_pass_rows(pt, name, &p, end, eof, line);
    for (unsigned k = 1; k < n; k++) {
        worker *w = &ws[k];
        if (w->started) pthread_join(w->tid, NULL);
        else if (st == ESF_OK) worker_main(w);
        if (st == ESF_OK && w->st != ESF_OK) *pt->err = w->err, st = w->st;
    }
    pt->counts = run_counts;
    esf_counts_add(pt->counts, &mine);
    if (st == ESF_OK) {
        for (unsigned k = 1; k < n; k++) esf_counts_add(pt->counts, &ws[k].counts);
        replay_rejects(pt, pts, n, name, end);
    }
    for (unsigned k = 1; k < n; k++) {
        free(ws[k].pt.rec.cells);
        free(ws[k].pt.marks);
        esf_headers_free(&ws[k].pt);
    }
    free(ws);
    free(pt->marks);
    pt->marks = NULL, pt->nmarks = pt->marks_cap = 0;
    pt->nwork = 0, pt->defer = false;
    *pp = p;
    return st;
}
