/* run.c - the pipeline of one run: inputs -> records -> rows -> persons ->
 * tables.  Owns the options, the counters and the accumulated state. */
#include "reader.h"
#include "tables.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Where the rows of one stretch of input are counted: the run itself, or a
 * worker reading one chunk of a file in parallel (then rejects are kept as
 * marks and replayed in input order after the join). */
typedef struct {
    uint64_t off;  /* record start, from the start of the block */
    uint64_t line; /* from the chunk's first line */
} rej_mark;

typedef struct part part;
struct part {
    esf_run *r;
    esf_agg *agg;
    esf_counts *counts;
    esf_err *err;
    esf_record rec;
    bool defer;                      /* keep rejects as marks             */
    const char *base;                /* the block the marks point into    */
    rej_mark *marks;
    size_t nmarks, marks_cap;
    void (*tick)(part *pt, const char *pos); /* every 64 Ki rows          */
    const esf_reader *rd;
    const char *data;
    const char *ticked;              /* a worker's position at its last tick */
    const esf_reader *map;           /* a mapped file: give back pages...  */
    const char *kept;                /* ...read before this, as we go      */
};

struct esf_run {
    esf_options opts;
    esf_column_map *columns; /* deep copy of opts.columns */
    esf_agg agg;
    esf_counts counts;
    esf_err err;
    esf_cell *cells;
    uint32_t cells_cap;
    unsigned nthreads;
    bool failed;             /* an input failed: counts are partial */
    /* bytes and rows the workers of parse_parallel have read so far, for the
     * progress line the calling thread reports */
    _Atomic uint64_t par_bytes, par_rows;
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
    if (!r->columns || !r->cells || agg_init(&r->agg) != ESF_OK) {
        free(r->columns);
        free(r->cells);
        free(r);
        return esf_fail(&err, ESF_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < opts->ncolumns; i++) r->columns[i] = opts->columns[i];
    r->opts.columns = r->columns;
    r->nthreads = opts->threads ? opts->threads : online_cpus();
    *out = r;
    return ESF_OK;
}

void esf_run_free(esf_run *r)
{
    if (!r) return;
    agg_free(&r->agg);
    free(r->columns);
    free(r->cells);
    free(r);
}

const char *esf_run_error(const esf_run *r)
{
    return r->err.msg;
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

static esf_status process_row(part *pt, const char *file, uint64_t line, const esf_header *h,
                              esf_rec_status st)
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
        void *b = pt->marks;
        RETURN_ERROR_IF(esf_grow(&b, &pt->marks_cap, pt->nmarks + 1, sizeof(rej_mark)), pt->err,
                        ESF_ERR_NOMEM, "%s: out of memory", file);
        pt->marks = b;
        pt->marks[pt->nmarks++] = (rej_mark){(uint64_t)(pt->rec.start - pt->base), line};
        return ESF_OK;
    }
    if ((r->opts.period_from && row.t.start < r->opts.period_from) ||
        (r->opts.period_to && row.t.start > r->opts.period_to)) {
        pt->counts->gefilterd++;
        return ESF_OK;
    }
    esf_status s = agg_add(pt->agg, &row);
    RETURN_ERROR_IF(s != ESF_OK, pt->err, s, "%s:%llu: out of memory", file,
                    (unsigned long long)line);
    pt->counts->geaccepteerd++;
    return ESF_OK;
}

/* Counts the data records from *pp on, until the block ends (or a record
 * needs more of it) or, for a chunk read in parallel, until the first record
 * boundary that is one of stops[] (ascending). */
static esf_status parse_rows(part *pt, const char *name, const esf_header *h, const char **pp,
                             const char *end, bool eof, uint64_t *line, const char *const *stops,
                             size_t nstops)
{
    const char *p = *pp;
    size_t si = 0;
    esf_status st = ESF_OK;
    while (p < end) {
        if (si < nstops && p >= stops[si]) {
            while (si < nstops && stops[si] < p) si++;
            if (si < nstops && stops[si] == p) break;
        }
        const char *next;
        esf_rec_status rs = rec_next(p, end, eof, h->delim, &pt->rec, &next);
        if (rs == REC_NEED_MORE) break;
        uint64_t rec_line = *line;
        *line += pt->rec.nlines;
        p = next;
        if (rs == REC_OK && rec_is_blank(&pt->rec)) continue;
        if ((st = process_row(pt, name, rec_line, h, rs)) != ESF_OK) break;
        if (ESF_UNLIKELY((pt->counts->gelezen & 0xffff) == 0)) {
            if (pt->tick) pt->tick(pt, p);
            if (pt->map) {
                /* Peak memory is the state, not the file: a wrong guess or a
                 * replayed reject reads pages again from the page cache. */
                reader_release(pt->map, pt->kept, pt->rec.start);
                pt->kept = pt->rec.start;
            }
        }
    }
    *pp = p;
    return st;
}

static void report_progress(esf_run *r, const char *name, uint64_t done, uint64_t total)
{
    done += atomic_load_explicit(&r->par_bytes, memory_order_relaxed);
    if (total && done > total) done = total; /* a worker past a wrong guess */
    esf_progress pr = {name, done, total,
                       r->counts.gelezen + atomic_load_explicit(&r->par_rows, memory_order_relaxed)};
    r->opts.on_progress(r->opts.progress_ctx, &pr);
}

static uint64_t reader_done(const esf_reader *rd, const char *data, const char *p)
{
    return rd->in_memory && !rd->gz ? (uint64_t)(p - data) : reader_consumed(rd);
}

static void seq_tick(part *pt, const char *pos)
{
    report_progress(pt->r, pt->rd->name, reader_done(pt->rd, pt->data, pos),
                    pt->rd->in_memory ? pt->rd->src_len : 0);
}

/* A worker's tick (every 64 Ki rows): its share of the progress line. */
static void chunk_tick(part *pt, const char *pos)
{
    if (pt->map) /* a mapped file; else the reader's count of raw bytes says it */
        atomic_fetch_add_explicit(&pt->r->par_bytes, (uint64_t)(pos - pt->ticked), memory_order_relaxed);
    atomic_fetch_add_explicit(&pt->r->par_rows, 0x10000, memory_order_relaxed);
    pt->ticked = pos;
}

/* ---- one block read by several threads ------------------------------------
 * The block is cut into chunks at guessed record starts: the byte after the
 * first line feed past each cut.  A guess is wrong when that line feed is
 * inside a quoted field.  Every chunk is parsed to the first record boundary
 * that is one of the guesses (or to the end), so the chunks whose start is a
 * boundary of the chunk before them form one exact sequential cover of the
 * block; the others are dropped.  The result is the sequential one, whatever
 * the guesses. */

#define CHUNK_MIN_DEFAULT ((size_t)1 << 20)

typedef struct {
    part pt;
    esf_agg agg;
    esf_counts counts;
    esf_err err;
    esf_status st;
    const char *name;
    const esf_header *h;
    const char *begin, *pos, *end;
    const char *const *stops;
    size_t nstops;
    uint64_t lines;
    pthread_t tid;
    bool started, eof;
} chunk;

static void *chunk_main(void *arg)
{
    chunk *c = arg;
    c->pos = c->begin;
    c->st = parse_rows(&c->pt, c->name, c->h, &c->pos, c->end, c->eof, &c->lines, c->stops,
                       c->nstops);
    return NULL;
}

static esf_status chunk_init(chunk *c, esf_run *r, const esf_header *h)
{
    memset(c, 0, sizeof *c);
    uint32_t cap = h->nfields + 1 > r->cells_cap ? h->nfields + 1 : r->cells_cap;
    c->pt = (part){.r = r, .agg = &c->agg, .counts = &c->counts, .err = &c->err, .defer = true,
                   .rec = {.cells = malloc(cap * sizeof(esf_cell)), .cap = cap}};
    if (!c->pt.rec.cells) return ESF_ERR_NOMEM;
    if (agg_init(&c->agg) != ESF_OK) {
        free(c->pt.rec.cells);
        return ESF_ERR_NOMEM;
    }
    return ESF_OK;
}

static void chunk_free(chunk *c)
{
    agg_free(&c->agg);
    free(c->pt.rec.cells);
    free(c->pt.marks);
}

static void counts_add(esf_counts *d, const esf_counts *s)
{
    d->gelezen += s->gelezen;
    d->geaccepteerd += s->geaccepteerd;
    d->afgewezen += s->afgewezen;
    d->gefilterd += s->gefilterd;
    for (int i = 0; i < ESF_REJ_COUNT; i++) d->per_reason[i] += s->per_reason[i];
}

/* Replays a chunk's rejects in order, now that their first line is known. */
static void replay_rejects(part *main_pt, const chunk *c, uint64_t line0)
{
    esf_record *rec = &main_pt->rec;
    char scratch[ROW_SCRATCH];
    for (size_t i = 0; i < c->pt.nmarks; i++) {
        const char *next;
        esf_rec_status st = rec_next(c->pt.base + c->pt.marks[i].off, c->end, true, c->h->delim,
                                     rec, &next);
        esf_row row;
        esf_rowerr e;
        bool ok = row_parse(c->h, rec, st, &row, &e, scratch);
        (void)ok; /* rejected as before: same bytes, same checks */
        emit_reject(main_pt->r, c->name, line0 + c->pt.marks[i].line, rec, c->h, &e, st);
    }
}

/* Counts the records of the block [*pp, end) on up to nthreads threads.
 * When more input follows (!eof), *pp stops before a record the block ends
 * inside, as parse_rows does. */
static esf_status parse_parallel(part *pt, const char *name, const esf_header *h,
                                 const char **pp, const char *end, bool eof, uint64_t *line)
{
    esf_run *r = pt->r;
    size_t rest = (size_t)(end - *pp);
    size_t min = r->opts.chunk_min ? r->opts.chunk_min : CHUNK_MIN_DEFAULT;
    unsigned n = r->nthreads;
    if (n > 64) n = 64;
    if (n > 1 && rest / n < min) n = (unsigned)(rest / min);
    if (n <= 1) return parse_rows(pt, name, h, pp, end, eof, line, NULL, 0);

    const char *stops[64] = {0};
    size_t nstops = 0;
    for (unsigned k = 1; k < n; k++) {
        const char *cut = *pp + rest / n * k;
        const char *nl = memchr(cut, '\n', (size_t)(end - cut));
        if (!nl || nl + 1 >= end) break;
        if (nstops && nl + 1 <= stops[nstops - 1]) continue;
        stops[nstops++] = nl + 1;
    }
    chunk *cs = calloc(nstops ? nstops : 1, sizeof *cs);
    RETURN_ERROR_IF(!cs, pt->err, ESF_ERR_NOMEM, "%s: out of memory", name);
    esf_status st = ESF_OK;
    for (size_t k = 0; k < nstops; k++) {
        chunk *c = &cs[k];
        if (chunk_init(c, r, h) != ESF_OK) {
            st = esf_fail(pt->err, ESF_ERR_NOMEM, "%s: out of memory", name);
            break;
        }
        c->name = name;
        c->h = h;
        c->begin = stops[k];
        c->end = end;
        c->eof = eof;
        c->stops = stops + k + 1;
        c->nstops = nstops - k - 1;
        c->pt.base = *pp;
        c->pt.map = pt->map;
        c->pt.kept = c->begin;
        c->pt.ticked = c->begin;
        if (pt->tick) c->pt.tick = chunk_tick;
        if (pthread_create(&c->tid, NULL, chunk_main, c) != 0) break; /* parsed below */
        c->started = true;
    }
    /* The first chunk is this thread's, counted straight into the run. */
    const char *p = *pp;
    if (st == ESF_OK) st = parse_rows(pt, name, h, &p, end, eof, line, stops, nstops);
    for (size_t k = 0; k < nstops; k++)
        if (cs[k].started) pthread_join(cs[k].tid, NULL);
    for (size_t k = 0; k < nstops && st == ESF_OK; k++) {
        chunk *c = &cs[k];
        if (c->begin != p) continue; /* a wrong guess, or covered by the chunk before */
        if (!c->started) chunk_main(c);
        if (c->st != ESF_OK) {
            *pt->err = c->err;
            st = c->st;
            break;
        }
        if ((st = agg_merge(pt->agg, &c->agg)) != ESF_OK) {
            st = esf_fail(pt->err, st, "%s: out of memory", name);
            break;
        }
        counts_add(pt->counts, &c->counts);
        replay_rejects(pt, c, *line);
        *line += c->lines;
        p = c->pos;
    }
    for (size_t k = 0; k < nstops; k++) chunk_free(&cs[k]);
    free(cs);
    atomic_store(&r->par_bytes, 0); /* merged: the run's own counts say it now */
    atomic_store(&r->par_rows, 0);
    *pp = p;
    return st;
}

/* Reads up to the header: skips blank lines, finds the delimiter. */
static esf_status read_header(esf_run *r, part *pt, const char *name, esf_header *h,
                              const char **pp, const char *end, bool eof, uint64_t *line,
                              bool *have)
{
    const char *p = *pp;
    while (p < end) {
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

static esf_status run_input(esf_run *r, esf_reader *rd, const char *name)
{
    const char *data;
    size_t len, keep = 0;
    bool eof, first_block = true, have_header = false;
    uint64_t line = 1;
    esf_header h;
    memset(&h, 0, sizeof h);
    part pt = {.r = r, .agg = &r->agg, .counts = &r->counts, .err = &r->err, .rd = rd,
               .rec = {.cells = r->cells, .cap = r->cells_cap}};
    if (r->opts.on_progress) pt.tick = seq_tick;
    if (r->nthreads > 1) FORWARD_IF_ERROR(reader_pipeline(rd, &r->err));
    do {
        FORWARD_IF_ERROR(reader_next(rd, keep, &data, &len, &eof, &r->err));
        const char *p = data, *end = data + len;
        pt.data = data;
        if (rd->mapped && !rd->gz) pt.map = rd, pt.kept = data;
        if (first_block && len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) p += 3;
        first_block = false;
        if (!have_header)
            FORWARD_IF_ERROR(read_header(r, &pt, name, &h, &p, end, eof, &line, &have_header));
        if (have_header) {
            FORWARD_IF_ERROR(parse_parallel(&pt, name, &h, &p, end, eof, &line));
        }
        keep = (size_t)(end - p);
    } while (!eof);
    RETURN_ERROR_IF(!have_header, &r->err, ESF_ERR_INPUT, "%s: empty input: no header line",
                    name);
    if (r->opts.on_progress)
        report_progress(r, name, reader_done(rd, data, data + len), rd->in_memory ? rd->src_len : 0);
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

esf_status esf_run_add_path(esf_run *r, const char *path)
{
    esf_reader rd;
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    esf_status st = reader_open_path(&rd, path, name, &r->err);
    return run_reader(r, &rd, st, name);
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
    esf_status st = tables_build(&r->agg, &r->counts, targets, out);
    RETURN_ERROR_IF(st != ESF_OK, &r->err, st, "out of memory while building the tables");
    return ESF_OK;
}

esf_status esf_parse_period(const char *s, int32_t *from, int32_t *to)
{
    const char *colon = strchr(s, ':');
    if (!colon || strchr(colon + 1, ':')) return ESF_ERR_USAGE;
    esf_view a = {s, (size_t)(colon - s)}, b = {colon + 1, strlen(colon + 1)};
    if (field_date(a, false, from) != 0 || field_date(b, false, to) != 0) return ESF_ERR_USAGE;
    if (*from && *to && *from > *to) return ESF_ERR_USAGE;
    return ESF_OK;
}

esf_status esf_targets_load(const char *path, esf_targets **out, char *msg, size_t msglen)
{
    static const char *const names[N_INDICATORS] = {
        "OI1", "OI2", "OI3", "RI1", "RI2", "RI2_bekend", "RI3", "RI4", "RI4_bekend",
        "RI5", "RI5_cbs2018", "RI6", "RI6_cbs2018"};
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(msg, msglen, "%s: cannot open targets file", path);
        return ESF_ERR_USAGE;
    }
    esf_targets *t = calloc(1, sizeof *t);
    if (!t) {
        fclose(f);
        return ESF_ERR_NOMEM;
    }
    char buf[512];
    unsigned lineno = 0;
    esf_status st = ESF_OK;
    while (st == ESF_OK && fgets(buf, sizeof buf, f)) {
        lineno++;
        char *hash = strchr(buf, '#');
        if (hash) *hash = '\0';
        char *sep = strpbrk(buf, ",;\t|");
        char *name = buf, *val = sep ? sep + 1 : NULL, *e;
        while (*name == ' ' || *name == '\t') name++;
        if (!sep) {
            for (e = name; *e == ' ' || *e == '\t' || *e == '\r' || *e == '\n'; e++) {}
            if (*e) st = ESF_ERR_USAGE, snprintf(msg, msglen, "%s:%u: expected INDICATOR,VALUE", path, lineno);
            continue;
        }
        for (e = sep; e > name && (e[-1] == ' ' || e[-1] == '"'); e--) {}
        *e = '\0';
        if (*name == '"') name++;
        while (*val == ' ' || *val == '"') val++;
        for (e = val + strlen(val); e > val && strchr(" \t\r\n\"", e[-1]); e--) {}
        *e = '\0';
        if (lineno == 1 && strcasecmp(name, "indicator") == 0) continue;
        int k = -1;
        for (int i = 0; i < N_INDICATORS; i++)
            if (strcasecmp(name, names[i]) == 0) k = i;
        int64_t v;
        esf_view vv = {val, strlen(val)};
        const char *dot = strpbrk(val, ".,");
        if (k < 0) {
            st = ESF_ERR_USAGE;
            snprintf(msg, msglen, "%s:%u: unknown indicator '%s'", path, lineno, name);
        } else if (vv.len == 0 || vv.len >= sizeof t->value[k] ||
                   field_number(vv, true, 1000000000LL * ESF_NUM_SCALE, &v) != 0 ||
                   (dot && strlen(dot + 1) > 6)) {
            st = ESF_ERR_USAGE;
            snprintf(msg, msglen, "%s:%u: target of %s must be a decimal >= 0 with at most 6 decimals, not '%s'",
                     path, lineno, names[k], val);
        } else {
            memcpy(t->value[k], val, vv.len + 1);
        }
    }
    fclose(f);
    if (st != ESF_OK) {
        free(t);
        return st;
    }
    *out = t;
    return ESF_OK;
}

void esf_targets_free(esf_targets *t)
{
    free(t);
}
