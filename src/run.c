/* run.c - the pipeline of one run: inputs -> records -> rows -> persons ->
 * tables.  Owns the options, the counters and the accumulated state. */
#include "reader.h"
#include "tables.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAX_THREADS 64

/* Rejects found by a thread of several are kept as marks and reported in
 * input order on the calling thread: after the join (a mapped block), or
 * slab by slab from copies of their bytes (a stream). */
typedef struct {
    uint64_t off;  /* record start, from the start of the block or copies */
    uint64_t len;  /* the record's bytes with its line end                */
    uint64_t line;
    uint32_t hv;   /* the header it was read under (part.hdrs)             */
} rej_mark;

/* One thread's pass over a block: the calling thread's (the run's counters,
 * the progress line, pages given back) or a worker's. */
typedef struct part part;
struct part {
    esf_run *r;
    esf_counts *counts;
    esf_err *err;
    esf_record rec;
    unsigned me, nwork;              /* counts the rows of the partitions k with
                                        k % nwork == me; nwork 0: all rows */
    uint64_t nscan;                  /* records passed (counted or not)   */
    bool defer;                      /* keep rejects as marks             */
    bool copy;                       /* ...and their bytes in `copies`    */
    const char *base;                /* the block the marks point into    */
    rej_mark *marks;
    size_t nmarks, marks_cap;
    char *copies;
    size_t ncopies, copies_cap;
    uint64_t consumed;               /* stream: raw bytes behind the slab */
    void (*tick)(part *pt, const char *pos); /* every 64 Ki records       */
    const esf_reader *rd;
    const char *data;
    const esf_reader *map;           /* a mapped file: give back pages...  */
    const char *kept;                /* ...this thread read before this    */
    esf_header *hdrs;                /* the file's headers so far: the first
                                        and each header line again (SPEC §2.1);
                                        every thread finds the same ones  */
    uint32_t nhdrs;
    size_t hdrs_cap;
};

/* The header the next record is read under. */
static inline const esf_header *part_header(const part *pt)
{
    return &pt->hdrs[pt->nhdrs - 1];
}

static esf_status part_header_push(part *pt, const esf_header *h)
{
    void *b = pt->hdrs;
    RETURN_ERROR_IF(esf_grow(&b, &pt->hdrs_cap, pt->nhdrs + 1u, sizeof *h), pt->err, ESF_ERR_NOMEM,
                    "out of memory");
    pt->hdrs = b;
    pt->hdrs[pt->nhdrs++] = *h;
    return ESF_OK;
}

/* dst starts with src's headers (a thread joining a block or stream). */
static esf_status part_headers_copy(part *dst, const part *src)
{
    dst->hdrs = NULL, dst->nhdrs = 0, dst->hdrs_cap = 0;
    for (uint32_t i = 0; i < src->nhdrs; i++) FORWARD_IF_ERROR(part_header_push(dst, &src->hdrs[i]));
    return ESF_OK;
}

static void part_headers_free(part *pt)
{
    free(pt->hdrs);
    pt->hdrs = NULL, pt->nhdrs = 0, pt->hdrs_cap = 0;
}

struct esf_run {
    esf_options opts;
    esf_column_map *columns; /* deep copy of opts.columns */
    esf_agg *parts;          /* one per partition of the persons (pkey_part) */
    unsigned nparts;
    esf_counts counts;
    esf_err err;
    esf_cell *cells;
    uint32_t cells_cap;
    unsigned nthreads;
    uint64_t scanned;        /* records of the inputs done, for the progress line */
    bool failed;             /* an input failed: counts are partial */
    uint32_t ninputs;        /* inputs begun: the one being read */
    struct {                 /* per partition, its first project id that is
                                not UTF-8 (input 0: none), for a note */
        uint32_t input;
        uint64_t line;
        char file[160];
        char seen[80];
    } bad_utf8[MAX_THREADS];
    char note[400];          /* esf_run_note */
};

static const char *const reject_names[ESF_REJ_COUNT] = {
    "quote_open", "veldaantal",     "verplicht_leeg",  "te_lang",          "onbekende_code",
    "datum",      "getal",          "eind_voor_start", "geboorte_na_start"};

const char *esf_reject_name(esf_reject_reason r)
{
    return (unsigned)r < ESF_REJ_COUNT ? reject_names[r] : "?";
}

static unsigned online_cpus(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return (unsigned)CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

esf_status esf_run_new(const esf_options *opts, esf_run **out, char *msg, size_t msglen)
{
    *out = NULL;
    esf_err err = {{0}};
    for (size_t i = 0; i < opts->ncolumns; i++) {
        const char *n = opts->columns[i].name;
        if (col_lookup(n, strlen(n)) < 0) {
            if (msg) snprintf(msg, msglen, "--column: unknown column name '%s'", n);
            return ESF_ERR_USAGE;
        }
    }
    if (opts->ncolumns > 64) {
        if (msg) snprintf(msg, msglen, "--column: at most 64 mappings");
        return ESF_ERR_USAGE;
    }
    if (opts->delimiter && !strchr(",;\t|", opts->delimiter)) {
        if (msg) snprintf(msg, msglen, "--delimiter: must be one of , ; TAB |");
        return ESF_ERR_USAGE;
    }
    esf_run *r = calloc(1, sizeof *r);
    if (!r) return ESF_ERR_NOMEM;
    r->opts = *opts;
    r->columns = calloc(opts->ncolumns ? opts->ncolumns : 1, sizeof *r->columns);
    r->cells_cap = 256;
    r->cells = malloc(r->cells_cap * sizeof *r->cells);
    r->nthreads = opts->threads ? opts->threads : online_cpus();
    r->nparts = r->nthreads < MAX_THREADS ? r->nthreads : MAX_THREADS;
    r->parts = aligned_alloc(_Alignof(esf_agg), r->nparts * sizeof *r->parts);
    if (r->parts) memset(r->parts, 0, r->nparts * sizeof *r->parts);
    bool ok = r->columns && r->cells && r->parts;
    for (unsigned k = 0; ok && k < r->nparts; k++) ok = agg_init(&r->parts[k]) == ESF_OK;
    if (!ok) {
        esf_run_free(r);
        return esf_fail(&err, ESF_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < opts->ncolumns; i++) r->columns[i] = opts->columns[i];
    r->opts.columns = r->columns;
    *out = r;
    return ESF_OK;
}

void esf_run_free(esf_run *r)
{
    if (!r) return;
    for (unsigned k = 0; r->parts && k < r->nparts; k++) agg_free(&r->parts[k]);
    free(r->parts);
    free(r->columns);
    free(r->cells);
    free(r);
}

const char *esf_run_error(const esf_run *r)
{
    return r->err.msg;
}

const char *esf_run_note(const esf_run *r)
{
    return r->note;
}

void esf_run_counts(const esf_run *r, esf_counts *out)
{
    *out = r->counts;
}

static void emit_reject(esf_run *r, const char *file, uint64_t line, const esf_record *rec,
                        const esf_header *h, const esf_rowerr *e, esf_rec_status st)
{
    char detail[96] = "";
    if (e->reason == ESF_REJ_VELDAANTAL)
        snprintf(detail, sizeof detail, "%zu fields, header has %u", rec->ncells, h->nfields);
    else if (e->reason == ESF_REJ_QUOTE_OPEN)
        snprintf(detail, sizeof detail, "%s",
                 st == REC_QUOTE_OPEN ? "quote not closed at end of file"
                                      : "text after a closing quote");
    esf_reject rej = {
        .file = file,
        .line = line,
        .reason = e->reason,
        .column = e->col >= 0 ? esf_col_names[e->col] : NULL,
        .seen = e->seen.p,
        .seen_len = e->seen.len,
        .detail = detail,
        .record = rec->start,
        .record_len = rec->len,
    };
    r->opts.on_reject(r->opts.reject_ctx, &rej);
}

static esf_status process_row(part *pt, esf_agg *agg, const esf_pkey *key, const char *file,
                              uint64_t line, const esf_header *h, esf_rec_status st,
                              const char *next)
{
    esf_row row;
    esf_rowerr e;
    char scratch[ROW_SCRATCH];
    esf_run *r = pt->r;
    pt->counts->gelezen++;
    if (!row_parse(h, &pt->rec, st, &row, &e, scratch)) {
        pt->counts->afgewezen++;
        pt->counts->per_reason[e.reason]++;
        if (!r->opts.on_reject) return ESF_OK;
        if (!pt->defer) {
            emit_reject(r, file, line, &pt->rec, h, &e, st);
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
    if ((r->opts.period_from && row.t.start < r->opts.period_from) ||
        (r->opts.period_to && row.t.start > r->opts.period_to)) {
        pt->counts->gefilterd++;
        return ESF_OK;
    }
    const size_t nprojects = agg->nprojects;
    esf_status s = agg_add(agg, &row, key);
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
    RETURN_ERROR_IF(s != ESF_OK, pt->err, s, "%s:%llu: out of memory", file,
                    (unsigned long long)line);
    pt->counts->geaccepteerd++;
    return ESF_OK;
}

/* Gives back the pages of a mapped file this thread has passed.  Threads of
 * one block drift apart by many megabytes: a slower one maps a page again
 * from the page cache (a minor fault), which costs less than keeping what
 * lies between them. */
static void release_behind(part *pt, const char *pos)
{
    if (pos > pt->kept) {
        reader_release(pt->map, pt->kept, pos);
        pt->kept = pos;
    }
}

/* The partition of the record at p (partition 0 when it has no person),
 * its person key (*key = NULL: none) and where the record ends.  A line
 * without quotes is only skimmed for its identifiers; another record is
 * split into pt->rec to find them (and split again when it is counted).
 * False when the block ends inside the record and more input follows. */
static bool record_part(part *pt, const esf_header *h, const char *p, const char *end, bool eof,
                        esf_pkey **key, unsigned *k, const char **next, uint64_t *line, bool *blank)
{
    const int32_t want[2] = {h->cell[COL_RINPERSOONS], h->cell[COL_RINPERSOON]};
    esf_view id[2];
    bool has_id;
    if (rec_skim(p, end, eof, h->delim, want, id, blank, next)) {
        *line += 1;
        /* the cells as they stand: a record they do not fit is rejected */
        has_id = row_key_views(&id[0], &id[1]);
    } else {
        const esf_rec_status rs = rec_next(p, end, eof, h->delim, &pt->rec, next);
        if (rs == REC_NEED_MORE) return false;
        *line += pt->rec.nlines;
        *blank = rs == REC_OK && rec_is_blank(&pt->rec);
        char scratch[ROW_SCRATCH];
        has_id = row_ident(h, &pt->rec, rs, scratch, &id[0], &id[1]);
    }
    *k = 0;
    if (!has_id) {
        *key = NULL;
        return true;
    }
    pkey_make(*key, id[0], id[1]);
    *k = pkey_part(*key, pt->r->nparts);
    return true;
}

/* A record counted a few records after it is found, so that what its
 * person's state needs is in cache by then (agg_prefetch; a probe into a
 * large set otherwise waits on memory for every row).  First in, first out:
 * rejects and their lines come in file order. */
#define PIPE 16u         /* records in flight (a power of two)     */
#define PIPE_STAGES 4u   /* agg_prefetch's stages                  */
#define PIPE_STAGE 4u    /* records between two prefetch stages    */

typedef struct {
    const char *p;       /* the record                             */
    uint64_t line;
    unsigned k;          /* its partition                          */
    bool has_key;
    uint32_t pid;        /* agg_prefetch's                         */
    esf_pkey key;
} pending;

typedef struct {
    pending q[PIPE];
    unsigned head, n;    /* head: the oldest                       */
} pipe_t;

/* Splits and counts the oldest pending record. */
static esf_status pipe_pop(part *pt, pipe_t *pq, const char *name, const esf_header *h,
                           const char *end, bool eof)
{
    const pending *e = &pq->q[pq->head];
    const char *next;
    pq->head = (pq->head + 1) & (PIPE - 1);
    pq->n--;
    const esf_rec_status rs = rec_next(e->p, end, eof, h->delim, &pt->rec, &next);
    return process_row(pt, &pt->r->parts[e->k], e->has_key ? &e->key : NULL, name, e->line, h, rs,
                       next);
}

/* Adds a record and moves the records in flight one stage on. */
static void pipe_push(pipe_t *pq, const esf_agg *parts, const char *p, uint64_t line, unsigned k,
                      const esf_pkey *key)
{
    pending *e = &pq->q[(pq->head + pq->n++) & (PIPE - 1)];
    e->p = p, e->line = line, e->k = k, e->has_key = key != NULL;
    if (key) e->key = *key;
    for (unsigned s = 0; s < PIPE_STAGES && s * PIPE_STAGE < pq->n; s++) {
        pending *x = &pq->q[(pq->head + pq->n - 1 - s * PIPE_STAGE) & (PIPE - 1)];
        if (x->has_key) agg_prefetch(&parts[x->k], &x->key, s, &x->pid);
    }
}

/* Whether the record [p, next) is a header again (SPEC §2.1): split by the
 * delimiter detected from it (or --delimiter), it holds only column names
 * and every required one, and as a row under h it would be rejected.  *nh
 * is then its header.  Every thread asks this of the same records (those
 * without a packed person key, see esf_header.check_all), so all of them
 * read the same records under the same headers. */
static bool record_is_header(part *pt, const esf_header *h, const char *p, const char *next,
                             const char *name, uint64_t line, esf_header *nh)
{
    const esf_run *r = pt->r;
    const char *q = p, *after;
    if (next - q >= 3 && memcmp(q, "\xef\xbb\xbf", 3) == 0) q += 3; /* cat a.csv b.csv: b's BOM */
    nh->delim = r->opts.delimiter ? r->opts.delimiter : rec_detect_delimiter(q, next);
    esf_rec_status rs = rec_next(q, next, true, nh->delim, &pt->rec, &after);
    if (rs != REC_OK || pt->rec.ncells > pt->rec.cap ||
        !header_names_only(&pt->rec, r->opts.columns, r->opts.ncolumns))
        return false;
    esf_err scratch_err;
    if (header_parse(nh, &pt->rec, r->opts.columns, r->opts.ncolumns, name, line, &scratch_err) !=
        ESF_OK)
        return false;
    rs = rec_next(p, next, true, h->delim, &pt->rec, &after);
    esf_row row;
    esf_rowerr e;
    char scratch[ROW_SCRATCH];
    return !row_parse(h, &pt->rec, rs, &row, &e, scratch);
}

/* Counts the data records from *pp on (those of this part's partitions),
 * until the block ends or a record needs more of it. */
static esf_status parse_rows(part *pt, const char *name, const char **pp, const char *end,
                             bool eof, uint64_t *line)
{
    esf_run *r = pt->r;
    const char *p = *pp;
    const esf_header *h = part_header(pt);
    esf_status st = ESF_OK;
    pipe_t pq;
    pq.head = pq.n = 0;
    while (p < end) {
        const char *next;
        const uint64_t rec_line = *line;
        esf_pkey key, *kp = &key;
        bool blank;
        unsigned k;
        if (!record_part(pt, h, p, end, eof, &kp, &k, &next, line, &blank)) break;
        esf_header nh;
        if (!blank && (!kp || kp->len || h->check_all) &&
            record_is_header(pt, h, p, next, name, rec_line, &nh)) {
            /* the records in flight were read under the header before */
            while (st == ESF_OK && pq.n) st = pipe_pop(pt, &pq, name, h, end, eof);
            if (st != ESF_OK || (st = part_header_push(pt, &nh)) != ESF_OK) break;
            h = part_header(pt);
            p = next;
            continue;
        }
        if (blank || (pt->nwork && (k < pt->nwork ? k : k % pt->nwork) != pt->me)) {
            p = next;
            if (blank) continue;
            goto tick;
        }
        if (pq.n == PIPE && (st = pipe_pop(pt, &pq, name, h, end, eof)) != ESF_OK) break;
        pipe_push(&pq, r->parts, p, rec_line, k, kp);
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
    while (st == ESF_OK && pq.n) st = pipe_pop(pt, &pq, name, h, end, eof);
    *pp = p;
    return st;
}

static void report_progress(esf_run *r, const char *name, uint64_t done, uint64_t total,
                            uint64_t rows)
{
    esf_progress pr = {name, done, total, r->scanned + rows};
    r->opts.on_progress(r->opts.progress_ctx, &pr);
}

/* Input bytes behind pos (raw bytes for gzip and streams). */
static uint64_t reader_done(const part *pt, const char *pos)
{
    const esf_reader *rd = pt->rd;
    if (rd->pipe) return pt->consumed;
    return rd->in_memory && !rd->gz ? (uint64_t)(pos - pt->data) : reader_consumed(rd);
}

/* The calling thread's tick: it passes every record of every block. */
static void seq_tick(part *pt, const char *pos)
{
    report_progress(pt->r, pt->rd->name, reader_done(pt, pos),
                    pt->rd->in_memory ? pt->rd->src_len : 0, pt->nscan);
}

/* ---- one block read by several threads ------------------------------------
 * Every thread passes every record of the block, so each knows the true
 * record boundaries and line numbers without guessing; a record is counted
 * only by the thread of its person's partition (pkey_part), into that
 * partition's esf_agg.  No state is shared and nothing is merged: the
 * partitions hold different persons.  Splitting a record is cheap next to
 * validating and counting it, which is what the threads share out. */

#define CHUNK_MIN_DEFAULT ((size_t)1 << 20)

typedef struct {
    part pt;
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
    w->st = parse_rows(&w->pt, w->name, &w->pos, w->end, w->eof, &w->line);
    return NULL;
}

static void counts_add(esf_counts *d, const esf_counts *s)
{
    d->gelezen += s->gelezen;
    d->geaccepteerd += s->geaccepteerd;
    d->afgewezen += s->afgewezen;
    d->gefilterd += s->gefilterd;
    for (int i = 0; i < ESF_REJ_COUNT; i++) d->per_reason[i] += s->per_reason[i];
}

/* Reports a kept reject: its bytes split and checked again, as before,
 * under the header it was read under. */
static void report_mark(part *pt, const char *name, const char *base, const rej_mark *m)
{
    const esf_header *h = &pt->hdrs[m->hv];
    const char *p = base + m->off, *next;
    char scratch[ROW_SCRATCH];
    const esf_rec_status st = rec_next(p, p + m->len, true, h->delim, &pt->rec, &next);
    esf_row row;
    esf_rowerr e;
    bool ok = row_parse(h, &pt->rec, st, &row, &e, scratch);
    (void)ok; /* rejected as before: same bytes, same checks */
    emit_reject(pt->r, name, m->line, &pt->rec, h, &e, st);
}

/* A thread's kept rejects, in line order: of a slab of a stream (seq), their
 * bytes copied to `copies`, or of a mapped block.  Marks hold offsets into
 * base: the copies, or the block. */
typedef struct rej_batch rej_batch;
struct rej_batch {
    rej_batch *next;
    uint64_t seq;       /* the slab */
    rej_mark *marks;
    size_t n, at;       /* at: the first not yet reported */
    const char *base;
    char *copies;       /* owned; NULL for a mapped block */
};

/* Reports the rejects of a list of batches in line order (each batch's are
 * in order already).  A mapped file's pages they fault in again are given
 * back behind them, and up to end at the last. */
static void report_merged(part *pt, const char *name, rej_batch *list, const char *end)
{
    const char *kept = pt->base;
    for (;;) {
        rej_batch *best = NULL;
        for (rej_batch *b = list; b; b = b->next)
            if (b->at < b->n && (!best || b->marks[b->at].line < best->marks[best->at].line))
                best = b;
        if (!best) break;
        report_mark(pt, name, best->base, &best->marks[best->at++]);
        if (pt->map) { /* a fault maps up to 64 KiB around the page: give it back */
            const char *w = (const char *)((uintptr_t)pt->rec.start & ~(uintptr_t)0xffff);
            if (w > kept) reader_release(pt->map, kept, w), kept = w;
        }
    }
    if (pt->map) reader_release(pt->map, kept, end);
}

/* Reports the rejects of all parts of a mapped block in input order. */
static void replay_rejects(part *main_pt, part *const *pts, unsigned n, const char *name,
                           const char *end)
{
    rej_batch bs[MAX_THREADS], *list = NULL;
    for (unsigned k = n; k-- > 0;) {
        bs[k] = (rej_batch){.next = list, .marks = pts[k]->marks, .n = pts[k]->nmarks,
                            .base = main_pt->base};
        list = &bs[k];
    }
    report_merged(main_pt, name, list, end);
}

/* Counts the records of the block [*pp, end) on up to nthreads threads.
 * When more input follows (!eof), *pp stops before a record the block ends
 * inside, as parse_rows does. */
static esf_status parse_parallel(part *pt, const char *name, const char **pp, const char *end,
                                 bool eof, uint64_t *line)
{
    esf_run *r = pt->r;
    size_t rest = (size_t)(end - *pp);
    size_t min = r->opts.chunk_min ? r->opts.chunk_min : CHUNK_MIN_DEFAULT;
    unsigned n = r->nparts;
    if (n > 1 && rest / n < min) n = (unsigned)(rest / min);
    if (n <= 1) return parse_rows(pt, name, pp, end, eof, line);

    worker *ws = calloc(n, sizeof *ws);
    part *pts[MAX_THREADS] = {pt};
    RETURN_ERROR_IF(!ws, pt->err, ESF_ERR_NOMEM, "%s: out of memory", name);
    esf_status st = ESF_OK;
    for (unsigned k = 1; k < n && st == ESF_OK; k++) {
        worker *w = &ws[k];
        *w = (worker){.name = name, .pos = *pp, .end = end, .line = *line, .eof = eof};
        w->pt = (part){.r = r, .counts = &w->counts, .err = &w->err, .me = k, .nwork = n,
                       .defer = true, .base = *pp, .map = pt->map, .kept = *pp,
                       .rec = {.cells = malloc(pt->rec.cap * sizeof(esf_cell)), .cap = pt->rec.cap}};
        pts[k] = &w->pt;
        if (!w->pt.rec.cells || part_headers_copy(&w->pt, pt) != ESF_OK)
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
    if (st == ESF_OK) st = parse_rows(pt, name, &p, end, eof, line);
    for (unsigned k = 1; k < n; k++) {
        worker *w = &ws[k];
        if (w->started) pthread_join(w->tid, NULL);
        else if (st == ESF_OK) worker_main(w);
        if (st == ESF_OK && w->st != ESF_OK) *pt->err = w->err, st = w->st;
    }
    pt->counts = run_counts;
    counts_add(pt->counts, &mine);
    if (st == ESF_OK) {
        for (unsigned k = 1; k < n; k++) counts_add(pt->counts, &ws[k].counts);
        replay_rejects(pt, pts, n, name, end);
    }
    for (unsigned k = 1; k < n; k++) {
        free(ws[k].pt.rec.cells);
        free(ws[k].pt.marks);
        part_headers_free(&ws[k].pt);
    }
    free(ws);
    free(pt->marks);
    pt->marks = NULL, pt->nmarks = pt->marks_cap = 0;
    pt->nwork = 0, pt->defer = false;
    *pp = p;
    return st;
}

/* An input that is not UTF-8 text with LF or CRLF lines (SPEC §2.1) is
 * named for what it is, with how to convert it, before its header is read:
 * the magic bytes of an archive or compressor, a UTF-16 byte order mark,
 * and in the first line a NUL byte (UTF-16) or a CR not followed by LF (old
 * Mac line endings: the whole file would be one header line). */
static esf_status check_text(esf_err *err, const char *name, const char *p, const char *end,
                             bool eof, uint64_t line)
{
    static const struct {
        const char *magic;
        size_t len;
        const char *what, *how;
    } kinds[] = {
        {"PK\x03\x04", 4, "a zip archive", "unzip -p FILE > extract.csv"},
        {"PK\x05\x06", 4, "a zip archive", "unzip -p FILE > extract.csv"},
        {"BZh", 3, "bzip2-compressed", "bzip2 -dc FILE | esfmon -"},
        {"\xfd" "7zXZ\x00", 6, "xz-compressed", "xz -dc FILE | esfmon -"},
        {"\x28\xb5\x2f\xfd", 4, "zstd-compressed", "zstd -dc FILE | esfmon -"},
        {"\xff\xfe", 2, "UTF-16 text (byte order mark FF FE)", "iconv -f UTF-16 -t UTF-8 FILE > extract.csv"},
        {"\xfe\xff", 2, "UTF-16 text (byte order mark FE FF)", "iconv -f UTF-16 -t UTF-8 FILE > extract.csv"},
    };
    const size_t n = (size_t)(end - p);
    /* the command names the file, when it has a name */
    const char *file = strcmp(name, "<stdin>") ? name : "FILE";
    for (size_t i = 0; i < ESF_ARRAY_SIZE(kinds); i++)
        if (n >= kinds[i].len && memcmp(p, kinds[i].magic, kinds[i].len) == 0) {
            const char *at = strstr(kinds[i].how, "FILE");
            return esf_fail(err, ESF_ERR_INPUT,
                            "%s: is %s, not UTF-8 CSV text; convert it first: %.*s'%s'%s", name,
                            kinds[i].what, (int)(at - kinds[i].how), kinds[i].how, file, at + 4);
        }
    const char *lf = memchr(p, '\n', n), *stop = lf ? lf : end;
    RETURN_ERROR_IF(memchr(p, '\0', (size_t)(stop - p)), err, ESF_ERR_INPUT,
                    "%s:%llu: the header line holds NUL bytes: UTF-16 text (or not text at all), "
                    "not UTF-8; convert UTF-16 first: iconv -f UTF-16 -t UTF-8 '%s' > extract.csv",
                    name, (unsigned long long)line, file);
    for (const char *cr = p; (cr = memchr(cr, '\r', (size_t)(stop - cr))) != NULL; cr++)
        RETURN_ERROR_IF(cr + 1 < stop || (!lf && cr + 1 == end && eof), err, ESF_ERR_INPUT,
                        "%s:%llu: the header line ends in a CR without LF: CR-only line endings "
                        "(old Mac), which would read as one line; convert them first: "
                        "tr '\\r' '\\n' < '%s' > extract.csv",
                        name, (unsigned long long)line, file);
    return ESF_OK;
}

/* Reads up to the header: skips blank lines, finds the delimiter. */
static esf_status read_header(esf_run *r, part *pt, const char *name, esf_header *h,
                              const char **pp, const char *end, bool eof, uint64_t *line,
                              bool *have)
{
    const char *p = *pp;
    while (p < end) {
        FORWARD_IF_ERROR(check_text(&r->err, name, p, end, eof, *line));
        h->delim = r->opts.delimiter ? r->opts.delimiter : rec_detect_delimiter(p, end);
        const char *next;
        esf_rec_status st = rec_next(p, end, eof, h->delim, &pt->rec, &next);
        if (st == REC_NEED_MORE) break;
        if (st == REC_OK && rec_is_blank(&pt->rec)) {
            *line += pt->rec.nlines;
            p = next;
            continue;
        }
        RETURN_ERROR_IF(st == REC_QUOTE_OPEN, &r->err, ESF_ERR_INPUT,
                        "%s:%llu: header: quote not closed at end of file", name,
                        (unsigned long long)*line);
        if (pt->rec.ncells > pt->rec.cap) { /* a wide header: room for its cells */
            void *b = r->cells;
            size_t cap = r->cells_cap;
            RETURN_ERROR_IF(esf_grow(&b, &cap, pt->rec.ncells + 1, sizeof *r->cells), &r->err,
                            ESF_ERR_NOMEM, "%s: out of memory", name);
            r->cells = pt->rec.cells = b;
            r->cells_cap = pt->rec.cap = (uint32_t)cap;
            continue;
        }
        FORWARD_IF_ERROR(header_parse(h, &pt->rec, r->opts.columns, r->opts.ncolumns, name, *line,
                                      &r->err));
        *line += pt->rec.nlines;
        *have = true;
        p = next;
        break;
    }
    *pp = p;
    return ESF_OK;
}

/* ---- a stream read by several threads -------------------------------------
 * The decoder fills a ring of slabs (reader_pipeline).  Every thread passes
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
    part pt;
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
        return read_header(sm->r, &w->pt, sm->name, w->header, pp, end, eof, &w->line,
                           &w->have_header);
    return parse_rows(&w->pt, sm->name, pp, end, eof, &w->line);
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

static void batches_free(rej_batch *b)
{
    while (b) {
        rej_batch *next = b->next;
        free(b->marks), free(b->copies), free(b);
        b = next;
    }
}

/* Reports the handed-over rejects of the slabs every thread has passed
 * (all: every one), in line order. */
static void report_batches(stream *sm, part *pt, bool all)
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
    report_merged(pt, sm->name, ready, NULL);
    batches_free(ready);
}

/* w is through its slab: hands over its rejects and gives the slab back. */
static esf_status walk_pass(walker *w)
{
    stream *sm = w->sm;
    part *pt = &w->pt;
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
    reader_slab_done(sm->rd, w->seq, w->header ? sm->n : 1);
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
        const esf_status st = reader_slab(sm->rd, w->seq, &s, w->pt.err);
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
    if (w->st != ESF_OK && !w->decode_failed) reader_stop(w->sm->rd);
    return NULL;
}

static void walker_free(walker *w)
{
    free(w->carry);
    free(w->pt.marks);
    free(w->pt.copies);
    part_headers_free(&w->pt);
}

/* Reads a gzip input or a stream on r->nparts threads (pt: the calling
 * thread's part) while another decodes it. */
static esf_status run_stream(esf_run *r, esf_reader *rd, const char *name, part *pt, bool *have)
{
    const unsigned n = r->nparts;
    if (!rd->pipe) FORWARD_IF_ERROR(reader_pipeline(rd, n, r->opts.chunk_min, &r->err));
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
    if (st == ESF_OK && *have) st = part_header_push(&w0->pt, &h);
    w0->header = NULL;
    w0->pt.nwork = n, w0->pt.defer = w0->pt.copy = true;
    for (unsigned k = 0; k < n; k++) sm.passed[k] = w0->seq;
    for (unsigned k = 1; k < n && st == ESF_OK && *have; k++) {
        walker *w = &ws[k];
        *w = (walker){.sm = &sm, .seq = w0->seq, .off = w0->off, .line = w0->line};
        w->pt = (part){.r = r, .counts = &w->counts, .err = &w->err, .me = k, .nwork = n,
                       .defer = true, .copy = true,
                       .rec = {.cells = malloc(w0->pt.rec.cap * sizeof(esf_cell)),
                               .cap = w0->pt.rec.cap}};
        if (!w->pt.rec.cells || carry_add(w, w0->carry, w0->carry_len) != ESF_OK ||
            part_headers_copy(&w->pt, &w0->pt) != ESF_OK)
            st = esf_fail(&r->err, ESF_ERR_NOMEM, "%s: out of memory", name);
        else w->started = pthread_create(&w->tid, NULL, walker_main, w) == 0;
        if (st == ESF_OK && !w->started)
            st = esf_fail(&r->err, ESF_ERR_NOMEM, "%s: out of memory: cannot start a thread", name);
    }
    if (st == ESF_OK && *have) st = walk(w0);
    if (st != ESF_OK && !w0->decode_failed) reader_stop(rd);
    for (unsigned k = 1; k < n; k++) {
        walker *w = &ws[k];
        if (w->started) pthread_join(w->tid, NULL);
        if (st == ESF_OK && w->st != ESF_OK) r->err = w->err, st = w->st;
    }
    /* after a failure, those of the slabs every thread passed, as -j 1 would */
    if (r->opts.on_reject && *have) report_batches(&sm, &w0->pt, st == ESF_OK);
    if (st == ESF_OK) {
        for (unsigned k = 0; k < n; k++) counts_add(pt->counts, &ws[k].counts);
        pt->nscan = w0->pt.nscan, pt->consumed = w0->pt.consumed;
    }
    batches_free(sm.batches);
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

/* Reads an input block by block on the calling thread (parse_parallel
 * shares a mapped file's one block out). */
static esf_status run_blocks(esf_run *r, esf_reader *rd, const char *name, part *pt, bool *have)
{
    const char *data = NULL;
    size_t len = 0, keep = 0;
    bool eof, first_block = true;
    uint64_t line = 1;
    esf_header h;
    memset(&h, 0, sizeof h);
    do {
        FORWARD_IF_ERROR(reader_next(rd, keep, &data, &len, &eof, &r->err));
        const char *p = data, *end = data + len;
        pt->data = data;
        if (rd->mapped && !rd->gz) pt->map = rd, pt->kept = data;
        if (first_block && len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) p += 3;
        first_block = false;
        if (!*have) {
            FORWARD_IF_ERROR(read_header(r, pt, name, &h, &p, end, eof, &line, have));
            if (*have) FORWARD_IF_ERROR(part_header_push(pt, &h));
        }
        if (*have) FORWARD_IF_ERROR(parse_parallel(pt, name, &p, end, eof, &line));
        keep = (size_t)(end - p);
    } while (!eof);
    return ESF_OK;
}

static esf_status run_input(esf_run *r, esf_reader *rd, const char *name)
{
    r->ninputs++;
    bool have_header = false;
    part pt = {.r = r, .counts = &r->counts, .err = &r->err, .rd = rd,
               .rec = {.cells = r->cells, .cap = r->cells_cap}};
    if (r->opts.on_progress) pt.tick = seq_tick;
    const bool plain_in_memory = rd->in_memory && !rd->gz;
    const esf_status st = r->nthreads > 1 && !plain_in_memory
                              ? run_stream(r, rd, name, &pt, &have_header)
                              : run_blocks(r, rd, name, &pt, &have_header);
    part_headers_free(&pt);
    FORWARD_IF_ERROR(st);
    RETURN_ERROR_IF(!have_header, &r->err, ESF_ERR_INPUT, "%s: empty input: no header line",
                    name);
    if (r->opts.on_progress) {
        const uint64_t done = rd->pipe ? pt.consumed : plain_in_memory ? rd->src_len : reader_consumed(rd);
        report_progress(r, name, done, rd->in_memory ? rd->src_len : 0, pt.nscan);
    }
    r->scanned += pt.nscan;
    return ESF_OK;
}

static esf_status run_reader(esf_run *r, esf_reader *rd, esf_status open_st, const char *name)
{
    if (open_st != ESF_OK) {
        r->failed = true;
        return open_st;
    }
    esf_status st = run_input(r, rd, name);
    reader_close(rd);
    if (st != ESF_OK) r->failed = true;
    return st;
}

esf_status esf_run_add_paths(esf_run *r, const char *const *paths, size_t n)
{
    esf_reader rd[2];
    esf_err open_err[2];
    esf_status open_st[2], st = ESF_OK;
    const char *names[2];
    for (size_t i = 0; i <= n; i++) {
        const unsigned cur = (i + 1) & 1, nxt = i & 1; /* input i-1 runs while i opens */
        if (i < n) {
            names[nxt] = strcmp(paths[i], "-") == 0 ? "<stdin>" : paths[i];
            open_st[nxt] = reader_open_path(&rd[nxt], paths[i], names[nxt], &open_err[nxt]);
            /* A gzip'd file (mapped: a stream or stdin could be read twice)
             * is decoded ahead while input i-1 is parsed, so its threads do
             * not wait for its first slabs; a failure is reported when its
             * turn comes. */
            if (i > 0 && open_st[nxt] == ESF_OK && r->nthreads > 1 && rd[nxt].in_memory &&
                rd[nxt].gz) {
                open_st[nxt] = reader_pipeline(&rd[nxt], r->nparts, r->opts.chunk_min,
                                               &open_err[nxt]);
                if (open_st[nxt] != ESF_OK) reader_close(&rd[nxt]);
            }
        }
        if (i == 0) continue;
        if (open_st[cur] != ESF_OK) r->err = open_err[cur];
        st = run_reader(r, &rd[cur], open_st[cur], names[cur]);
        if (st != ESF_OK) {
            if (i < n && open_st[nxt] == ESF_OK) reader_close(&rd[nxt]);
            return st;
        }
    }
    return st;
}

esf_status esf_run_add_path(esf_run *r, const char *path)
{
    return esf_run_add_paths(r, &path, 1);
}

esf_status esf_run_add_memory(esf_run *r, const char *name, const void *data, size_t len)
{
    esf_reader rd;
    esf_status st = reader_open_memory(&rd, name, data, len, &r->err);
    return run_reader(r, &rd, st, name);
}

esf_status esf_run_finish(esf_run *r, const esf_targets *targets, esf_tables **out)
{
    *out = NULL;
    RETURN_ERROR_IF(r->failed, &r->err, ESF_ERR_INPUT, "an input failed: no tables from a partial count");
    unsigned first = MAX_THREADS; /* the earliest project id not UTF-8 of all partitions */
    for (unsigned k = 0; k < r->nparts; k++)
        if (r->bad_utf8[k].input &&
            (first == MAX_THREADS || r->bad_utf8[k].input < r->bad_utf8[first].input ||
             (r->bad_utf8[k].input == r->bad_utf8[first].input && r->bad_utf8[k].line < r->bad_utf8[first].line)))
            first = k;
    if (first < MAX_THREADS)
        snprintf(r->note, sizeof r->note,
                 "%s:%llu: project id '%s' is not UTF-8: JSON and the reports write U+FFFD for "
                 "its bytes that are not (CSV keeps them); so for every such project id",
                 r->bad_utf8[first].file, (unsigned long long)r->bad_utf8[first].line,
                 r->bad_utf8[first].seen);
    esf_status st = tables_build(r->parts, r->nparts, &r->counts, targets, out);
    RETURN_ERROR_IF(st != ESF_OK, &r->err, st, "out of memory while building the tables");
    return ESF_OK;
}

esf_status esf_parse_period(const char *s, int32_t *from, int32_t *to, char *msg, size_t msglen)
{
    const char *colon = strchr(s, ':');
    if (!colon || strchr(colon + 1, ':')) {
        snprintf(msg, msglen, "expected FROM:TO (one ':'), not '%s'", s);
        return ESF_ERR_USAGE;
    }
    esf_view a = {s, (size_t)(colon - s)}, b = {colon + 1, strlen(colon + 1)};
    if (field_date(a, false, from) != 0 || field_date(b, false, to) != 0) {
        snprintf(msg, msglen, "expected FROM:TO with dates YYYYMMDD or YYYY-MM-DD, not '%s'", s);
        return ESF_ERR_USAGE;
    }
    if (*from && *to && *from > *to) {
        snprintf(msg, msglen, "FROM %.*s is after TO %s: the period '%s' is empty", (int)a.len, a.p,
                 b.p, s);
        return ESF_ERR_USAGE;
    }
    return ESF_OK;
}
