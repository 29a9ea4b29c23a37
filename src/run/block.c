/* block.c - the records of a block on several threads: each thread parses
 * its own byte range once, the rows go to their person's partition, and each
 * partition is counted by one thread. */
#include "pool.h"
#include "block.h"
#include "state.h"
#include "headers.h"
#include "pass.h"
#include "rejects.h"
#include "input/input.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/*
 * The block is read in rounds of up to nparts ranges of `range` bytes (a
 * run has four partitions per thread).
 *
 * 1. Parse (a range at a time, on whichever thread is free).  A range's
 *    records are those that start in it.  The first range starts at a
 *    known record boundary; the others guess theirs: the first line start in the range, as if no quoted field
 *    held a line feed there, under the header the round began with.  Each
 *    record is split, validated and its person hashed once; an accepted row
 *    is kept (esf_routed) in the buffer of its person's partition, a reject
 *    as a mark, lines counted from the range's start.
 * 2. Confirm (the calling thread).  Range k guessed right when it starts
 *    where range k-1 stopped and no range before found a header again.  A
 *    wrong guess (a quoted line feed across the boundary, a concatenated
 *    file's header) is parsed again there, on the calling thread.  Line
 *    numbers are then known (the sums of the ranges' lines before), the
 *    headers found are added in order, and rejects are reported in input
 *    order.
 * 3. Count (a partition at a time).  A partition's rows, range by range in
 *    input order, into its esf_agg, the state of the rows a few ahead
 *    prefetched (esf_agg_prefetch), and their project ids in the block.
 *
 * Every record is split once and counted once, whatever the thread count;
 * what grows with it is a boundary guess per range and the buffers, bounded
 * by the round.  The buffers hold views into the block (and into the
 * parser's arena for unescaped identifiers), so the block stays as it is
 * until its rounds are counted (esf_block_rows returns then).
 *
 * A file's next blocks are decoded by these threads too (esf_reader_pump):
 * a piece before each range or partition a thread takes, and while a
 * worker waits for the next phase, so decoding fills the waits at a
 * phase's end rather than taking a core from the parsers. */

#define RANGE_DEFAULT ((size_t)512 << 10)
#define RANGE_MIN ((size_t)1024) /* smaller ranges: more rounds than records */
#define ARENA_CHUNK ((size_t)64 << 10)
#define LOOKAHEAD 4u /* rows between two prefetch stages (esf_agg_prefetch has 4) */
#define ROW_GUESS 64 /* bytes of a row, at the least, for the route buffers' room */

typedef struct {
    esf_row row;
    uint64_t code, h;   /* the person key's code and hash, when it packs */
    uint64_t line;      /* in the numbering of the range that parsed it */
    uint32_t pid;       /* esf_agg_prefetch's */
    bool packed;
} esf_routed;

typedef struct {
    esf_routed *v;
    size_t n, cap;
} route_buf;

/* Stable room for the identifiers esf_row_parse unescaped into its scratch. */
typedef struct {
    char **chunks;
    size_t n, cap;       /* chunks allocated */
    size_t cur, used;    /* the chunk being filled and bytes used in it */
} arena;

typedef struct {
    esf_pass pt;         /* its record, headers (its first one first), marks */
    esf_counts counts;
    esf_err err;
    esf_status st;
    const char *name;
    const char *start, *to, *end; /* the records starting in [start, to) */
    bool eof;
    const char *stop;    /* where the first record it did not take starts */
    bool need_more;      /* stop is a record the block ends inside */
    bool hdr_bad;        /* stopped at a header line again that cannot be used */
    uint64_t bad_line;   /* its line, in the range's numbering */
    const char *bad_next;
    uint64_t line0;      /* the line of start in its numbering */
    uint64_t shift;      /* added to it once the lines before are known */
    uint64_t lines;
    route_buf *out;      /* per partition */
    arena ar;
} parser;

/* Copies v's bytes to the arena when they are in scratch. */
static esf_status arena_copy(arena *a, esf_view *v)
{
    if (!a->n || a->used + v->len > ARENA_CHUNK) {
        if (a->n && a->cur + 1 < a->n) {
            a->cur++;
        } else {
            void *b = a->chunks;
            if (esf_grow(&b, &a->cap, a->n + 1, sizeof *a->chunks)) return ESF_ERR_NOMEM;
            a->chunks = b;
            if (!(a->chunks[a->n] = malloc(ARENA_CHUNK))) return ESF_ERR_NOMEM;
            a->cur = a->n++;
        }
        a->used = 0;
    }
    char *d = a->chunks[a->cur] + a->used;
    memcpy(d, v->p, v->len);
    a->used += v->len;
    v->p = d;
    return ESF_OK;
}

static inline bool in_scratch(const esf_view *v, const char *scratch)
{
    const uintptr_t p = (uintptr_t)v->p, s = (uintptr_t)scratch;
    return p >= s && p < s + (uintptr_t)ROW_SCRATCH;
}

static void arena_free(arena *a)
{
    for (size_t i = 0; i < a->n; i++) free(a->chunks[i]);
    free(a->chunks);
}

/* Keeps an accepted row for its partition's counter; identifiers in
 * scratch (NULL: none can be) are copied to the arena. */
static esf_status route(parser *w, esf_row *row, const char *scratch, uint64_t line)
{
    esf_pkey key;
    esf_pkey_make(&key, row->rinpersoons, row->rinpersoon);
    route_buf *b = &w->out[pkey_part(&key, w->pt.r->nparts)];
    if (ESF_UNLIKELY(b->n == b->cap)) {
        void *v = b->v;
        if (esf_grow(&v, &b->cap, b->n + 1, sizeof *b->v)) return ESF_ERR_NOMEM;
        b->v = v;
    }
    esf_view *ids[3] = {&row->rinpersoons, &row->rinpersoon, &row->project};
    for (int i = 0; scratch && i < 3; i++)
        if (ESF_UNLIKELY(in_scratch(ids[i], scratch)) && arena_copy(&w->ar, ids[i]) != ESF_OK)
            return ESF_ERR_NOMEM;
    esf_routed *o = &b->v[b->n++];
    o->row = *row;
    o->code = key.code, o->h = key.h, o->packed = key.len == 0;
    o->line = line;
    return ESF_OK;
}

/* Parses the records that start in [w->start, w->to). */
static esf_status parse_range(parser *w)
{
    esf_pass *pt = &w->pt;
    const esf_run *r = pt->r;
    const char *p = w->start;
    const esf_header *h = headers_current(pt);
    uint64_t line = w->line0;
    esf_status st = ESF_OK;
    const esf_row_scan_fn scan = esf_row_scan_chosen();
    const int32_t from = r->period_from, to = r->period_to;
    w->hdr_bad = false;
    uint64_t passed = 0, counted = 0; /* rows accepted, and of those in the period */
    while (p < w->to) {
        const char *next;
        esf_row row;
        char scratch[ROW_SCRATCH];
        uint64_t at = line;
        const char *views = scratch; /* where the row's identifiers may point */
        if (ESF_LIKELY(h->scan) && scan(h, p, w->end, &row, &next)) {
            line++; /* the usual line: split and validated at once, in the block */
            views = NULL;
            goto accepted;
        }
        const esf_rec_status rs = esf_rec_next(p, w->end, w->eof, h->delim, &pt->rec, &next);
        /* a record too long to hold is the calling thread's (run.c skips
         * it): here as if the block ended inside it */
        if (rs == REC_NEED_MORE || ESF_UNLIKELY((size_t)(next - p) > ESF_RECORD_MAX)) {
            w->need_more = true;
            break;
        }
        line += pt->rec.nlines;
        if (rs == REC_OK && rec_is_blank(&pt->rec)) {
            p = next;
            continue;
        }
        esf_rowerr e;
        if (ESF_UNLIKELY(!esf_row_parse(h, &pt->rec, rs, &row, &e, scratch))) {
            esf_header nh;
            const esf_hdr_again again = esf_header_again(pt, p, next, w->name, at, &nh);
            if (again == HDR_BAD) { /* an error only where the range guessed right (confirm) */
                w->hdr_bad = true, w->bad_line = at, w->bad_next = next;
                st = ESF_ERR_INPUT;
                break;
            }
            if (again == HDR_AGAIN) {
                if ((st = esf_headers_push(pt, &nh)) != ESF_OK) break;
                h = headers_current(pt);
                p = next;
                continue;
            }
            /* esf_header_again split the record its own way: again, as it was */
            (void)esf_rec_next(p, w->end, w->eof, h->delim, &pt->rec, &next);
            (void)esf_row_parse(h, &pt->rec, rs, &row, &e, scratch);
            pt->nscan++;
            pt->counts->gelezen++;
            if ((st = esf_pass_reject(pt, w->name, at, h, &e, rs, next)) != ESF_OK) break;
            p = next;
            continue;
        }
    accepted:
        passed++;
        p = next;
        if ((from | to) /* one test when there is no --period */ &&
            ((from && row.t.start < from) || (to && row.t.start > to))) {
            pt->counts->gefilterd++;
            continue;
        }
        counted++;
        if (ESF_UNLIKELY(route(w, &row, views, at) != ESF_OK)) {
            st = esf_fail(pt->err, ESF_ERR_NOMEM, "%s: out of memory", w->name);
            break;
        }
    }
    pt->nscan += passed, pt->counts->gelezen += passed, pt->counts->geaccepteerd += counted;
    w->stop = p;
    w->lines = line - w->line0;
    return st;
}

/* Ready for a range of about `bytes`: nothing kept, headers from h.  The
 * route buffers, empty now, get room for its rows (of ROW_GUESS bytes or
 * more; of a default range at most: a larger --chunk-size grows them as it
 * needs) at once, without the copies of growing a row at a time. */
static esf_status parser_reset(parser *w, const esf_header *h, size_t bytes)
{
    esf_pass *pt = &w->pt;
    if (!w->out) return esf_fail(pt->err, ESF_ERR_NOMEM, "%s: out of memory", w->name);
    const size_t room = (bytes < RANGE_DEFAULT ? bytes : RANGE_DEFAULT) / ((size_t)ROW_GUESS * pt->r->nparts) + 16;
    for (unsigned q = 0; q < pt->r->nparts; q++) {
        route_buf *b = &w->out[q];
        b->n = 0;
        if (b->cap >= room) continue;
        free(b->v);
        b->v = malloc(room * sizeof *b->v);
        b->cap = b->v ? room : 0;
        if (!b->v) return esf_fail(pt->err, ESF_ERR_NOMEM, "%s: out of memory", w->name);
        esf_populate(b->v, room * sizeof *b->v); /* its pages at once, not one fault each */
    }
    w->ar.cur = 0, w->ar.used = 0;
    pt->nmarks = 0, pt->nscan = 0, pt->nhdrs = 0;
    memset(&w->counts, 0, sizeof w->counts);
    w->need_more = false, w->st = ESF_OK, w->shift = 0;
    return esf_headers_push(pt, h);
}

/* Counts partition q's rows of the round, range by range (input order). */
static esf_status count_partition(esf_run *r, unsigned q, parser *ps, unsigned np, esf_err *err)
{
    esf_agg *agg = &r->parts[q];
    size_t rows = 0;
    for (unsigned k = 0; k < np; k++) rows += ps[k].out[q].n;
    RETURN_ERROR_IF(esf_agg_reserve(agg, rows) != ESF_OK, err, ESF_ERR_NOMEM, "%s: out of memory",
                    np ? ps[np - 1].name : "");
    esf_pkey key;
    key.len = 0;
    for (unsigned k = 0; k < np; k++) {
        esf_routed *v = ps[k].out[q].v;
        const ptrdiff_t n = (ptrdiff_t)ps[k].out[q].n;
        const uint64_t shift = ps[k].shift;
        for (ptrdiff_t i = -(ptrdiff_t)(4 * LOOKAHEAD); i < n; i++) {
#pragma GCC unroll 4 /* each stage its own code */
            for (unsigned s = 0; s < 4; s++) {
                const ptrdiff_t j = i + (ptrdiff_t)((4 - s) * LOOKAHEAD);
                if ((size_t)j >= (size_t)n) continue;
                /* the project id, in the block: parsed a round ago, no longer cached */
                if (s == 0) __builtin_prefetch(v[j].row.project.p);
                if (v[j].packed) {
                    key.code = v[j].code, key.h = v[j].h;
                    esf_agg_prefetch(agg, &key, s, &v[j].pid);
                }
            }
            if (i < 0) continue;
            key.code = v[i].code, key.h = v[i].h;
            FORWARD_IF_ERROR(esf_pass_count(r, agg, &v[i].row, v[i].packed ? &key : NULL,
                                            ps[k].name, v[i].line + shift, err));
        }
    }
    return ESF_OK;
}

static bool pump_idle(void *rd)
{
    return esf_reader_pump(rd);
}

/* The ranges of a round and the partitions are taken by whichever thread
 * is free (more of them than threads: a thread the machine runs late holds
 * up one small piece, not a thread's share).  Range 0 is the calling
 * thread's, which reports its rejects at once. */
typedef struct {
    parser *ps;
    unsigned np;
    atomic_uint next;
    esf_reader *rd;
} parsing;

static void parse_job(void *arg, unsigned k)
{
    parsing *j = arg;
    if (k == 0) j->ps[0].st = parse_range(&j->ps[0]);
    for (unsigned i; (void)esf_reader_pump(j->rd), (i = atomic_fetch_add(&j->next, 1u)) < j->np;)
        j->ps[i].st = parse_range(&j->ps[i]);
}

typedef struct {
    esf_run *r;
    parser *ps;
    unsigned np;
    atomic_uint next;
    esf_reader *rd;
    esf_err err[MAX_THREADS];
    esf_status st[MAX_THREADS]; /* per partition */
} counting;

static void count_job(void *arg, unsigned k)
{
    counting *c = arg;
    (void)k;
    for (unsigned q; (void)esf_reader_pump(c->rd), (q = atomic_fetch_add(&c->next, 1u)) < c->r->nparts;)
        c->st[q] = count_partition(c->r, q, c->ps, c->np, &c->err[q]);
}

/* Step 2: ranges that guessed wrong parsed again; lines, headers and rejects
 * in input order.  Returns where the round stopped. */
static esf_status confirm(esf_pass *pt, parser *ps, unsigned np, uint64_t *line)
{
    uint64_t base = *line;
    uint32_t g = pt->nhdrs - 1; /* the main list's index of the range's first header */
    bool moved = false;         /* a range before found a header again */
    for (unsigned k = 0; k < np; k++) {
        parser *w = &ps[k];
        if (k) {
            const parser *prev = &ps[k - 1];
            moved |= prev->pt.nhdrs > 1;
            if (w->start != prev->stop || moved || prev->need_more) {
                esf_status st = parser_reset(w, &prev->pt.hdrs[prev->pt.nhdrs - 1], esf_block_range(pt->r));
                w->start = prev->stop;
                if (w->to < w->start) w->to = w->start;
                w->line0 = base;
                if (st == ESF_OK) st = parse_range(w);
                if (st != ESF_OK) { /* the range's message is the run's */
                    *pt->err = w->err;
                    return st;
                }
            } else {
                w->shift = base - w->line0;
            }
        }
        if (w->hdr_bad) { /* a header again that cannot be used: its message at its true line */
            esf_header nh;
            (void)esf_header_again(pt, w->stop, w->bad_next, w->name, w->bad_line + w->shift, &nh);
            return ESF_ERR_INPUT;
        }
        for (size_t i = 0; i < w->pt.nmarks; i++)
            w->pt.marks[i].line += w->shift, w->pt.marks[i].hv += g;
        for (uint32_t i = 1; i < w->pt.nhdrs; i++) FORWARD_IF_ERROR(esf_headers_push(pt, &w->pt.hdrs[i]));
        g += w->pt.nhdrs - 1;
        base += w->lines;
        esf_counts_add(pt->counts, &w->counts);
        pt->nscan += w->pt.nscan;
        esf_rejects_report(pt, w->name, w->pt.base, w->pt.marks, w->pt.nmarks);
    }
    *line = base;
    return ESF_OK;
}

/* The run's parsers, kept from block to block (their buffers with them),
 * its threads and the count phase's state. */
struct esf_blocks {
    parser *ps;
    unsigned n;
    pool pool;
    counting count;
};

void esf_block_free(esf_run *r)
{
    esf_blocks *b = r->blocks;
    if (!b) return;
    for (unsigned k = 0; k < b->n; k++) {
        parser *w = &b->ps[k];
        if (w->out)
            for (unsigned q = 0; q < r->nparts; q++) free(w->out[q].v);
        free(w->out);
        free(w->pt.rec.cells);
        free(w->pt.marks);
        esf_headers_free(&w->pt);
        arena_free(&w->ar);
    }
    esf_pool_stop(&b->pool);
    free(b->ps);
    free(b);
    r->blocks = NULL;
}

/* The run's parsers for a block of input `name` from base to end, with
 * room for the cells of the calling thread's record; NULL when out of
 * memory (the message in pt->err). */
static parser *parsers_for(esf_pass *pt, const char *name, const char *base, const char *end,
                           bool eof)
{
    esf_run *r = pt->r;
    esf_blocks *b = r->blocks;
    if (!b) {
        b = calloc(1, sizeof *b);
        parser *ps = calloc(r->nparts, sizeof *ps);
        if (!b || !ps) {
            free(b), free(ps);
            (void)esf_fail(pt->err, ESF_ERR_NOMEM, "%s: out of memory", name);
            return NULL;
        }
        b->ps = ps, b->n = r->nparts, r->blocks = b;
        esf_pool_start(&b->pool, r->nthreads < MAX_THREADS ? r->nthreads : MAX_THREADS);
        for (unsigned k = 0; k < b->n; k++) /* (parser_reset fails without) */
            ps[k].out = calloc(r->nparts, sizeof *ps[k].out);
    }
    for (unsigned k = 0; k < b->n; k++) {
        parser *w = &b->ps[k];
        w->name = name, w->end = end, w->eof = eof;
        w->pt.r = r, w->pt.counts = &w->counts, w->pt.err = &w->err;
        w->pt.defer = k > 0, w->pt.base = base;
        if (w->pt.rec.cap < pt->rec.cap) { /* a wide header */
            free(w->pt.rec.cells);
            w->pt.rec.cap = 0;
            if (!(w->pt.rec.cells = malloc(pt->rec.cap * sizeof(esf_cell)))) {
                (void)esf_fail(pt->err, ESF_ERR_NOMEM, "%s: out of memory", name);
                return NULL;
            }
            w->pt.rec.cap = pt->rec.cap;
        }
    }
    return b->ps;
}

size_t esf_block_range(const esf_run *r)
{
    const size_t c = r->opts.chunk_min, most = ESF_BLOCK_MAX / r->nparts;
    const size_t range = c ? (c < RANGE_MIN ? RANGE_MIN : c) : RANGE_DEFAULT;
    return range < most ? range : most;
}

/* Counts the records of the block [*pp, end) on up to r->nparts threads.
 * When more input follows (!eof), *pp stops before a record the block ends
 * inside. */
esf_status esf_block_rows(esf_pass *pt, const char *name, const char **pp, const char *end,
                          bool eof, uint64_t *line)
{
    esf_run *r = pt->r;
    const unsigned n = r->nparts;
    const size_t range = esf_block_range(r);
    parser *ps = parsers_for(pt, name, *pp, end, eof);
    if (!ps) return ESF_ERR_NOMEM;
    pool *pl = &r->blocks->pool;
    counting *cs = &r->blocks->count;
    esf_status st = ESF_OK;
    const char *p = *pp;
    bool more = true;
    esf_reader *rd = pt->rd;
    if (rd && rd->pipe) esf_pool_idle(pl, pump_idle, rd);
    while (st == ESF_OK && p < end && more) {
        const size_t rest = (size_t)(end - p);
        unsigned np = (unsigned)((rest + range - 1) / range);
        if (np > n) np = n;
        for (unsigned k = 0; k < np && st == ESF_OK; k++) {
            parser *w = &ps[k];
            if ((st = parser_reset(w, headers_current(pt), range)) != ESF_OK) *pt->err = w->err;
            const char *from = p + (size_t)k * range;
            w->start = k ? esf_rec_guess(from, end) : p;
            w->to = (size_t)(k + 1) * range < rest ? p + (size_t)(k + 1) * range : end;
            w->line0 = k ? 0 : *line;
        }
        if (st != ESF_OK) break;
        parsing pj = {.ps = ps, .np = np, .rd = rd};
        atomic_init(&pj.next, 1u);
        esf_pool_run(pl, np < pl->n ? np : pl->n, parse_job, &pj);
        /* a range's error is the run's; a header line's only once confirm
         * knows the range guessed its start right */
        for (unsigned k = 0; k < np && st == ESF_OK; k++)
            if (ps[k].st != ESF_OK && !ps[k].hdr_bad) *pt->err = ps[k].err, st = ps[k].st;
        const uint64_t before = pt->nscan;
        if (st != ESF_OK || (st = confirm(pt, ps, np, line)) != ESF_OK) break;
        cs->r = r, cs->ps = ps, cs->np = np, cs->rd = rd;
        atomic_init(&cs->next, 0u);
        esf_pool_run(pl, np > 1 ? pl->n : 1, count_job, cs);
        for (unsigned q = 0; q < r->nparts && st == ESF_OK; q++)
            if (cs->st[q] != ESF_OK) *pt->err = cs->err[q], st = cs->st[q];
        if (st != ESF_OK) break;
        p = ps[np - 1].stop;
        more = !ps[np - 1].need_more;
        if (pt->tick && (before >> 16) != (pt->nscan >> 16)) pt->tick(pt, p);
    }
    if (rd && rd->pipe) esf_pool_idle(pl, NULL, NULL);
    *pp = p;
    return st;
}
