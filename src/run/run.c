/* run.c - the life cycle of a run (include/esfmon.h): options, inputs in
 * order, the counters of the invoer table, the progress line's numbers and
 * the tables at the end.  A block's records are block.c's (on the run's
 * threads), a record's fate pass.c's. */
#include "state.h"
#include "block.h"
#include "headers.h"
#include "rejects.h"
#include "render/render.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned online_cpus(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return (unsigned)CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

/* --period FROM:TO (SPEC §2.7): either side may be empty, FROM after TO
 * is an error. */
static esf_status period_parse(const char *s, int32_t *from, int32_t *to, esf_err *err)
{
    const char *colon = strchr(s, ':');
    RETURN_ERROR_IF(!colon || strchr(colon + 1, ':'), err, ESF_ERR_USAGE,
                    "--period: expected FROM:TO (one ':'), not '%s'", s);
    esf_view a = {s, (size_t)(colon - s)}, b = {colon + 1, strlen(colon + 1)};
    RETURN_ERROR_IF(esf_field_date(a, false, from) != 0 || esf_field_date(b, false, to) != 0, err,
                    ESF_ERR_USAGE,
                    "--period: expected FROM:TO with dates YYYYMMDD or YYYY-MM-DD, not '%s'", s);
    RETURN_ERROR_IF(*from && *to && *from > *to, err, ESF_ERR_USAGE,
                    "--period: FROM %.*s is after TO %s: the period '%s' is empty", (int)a.len, a.p,
                    b.p, s);
    return ESF_OK;
}

/* The options a run can be made with, the reason in err when not. */
static esf_status options_check(const esf_options *opts, esf_err *err)
{
    for (size_t i = 0; i < opts->ncolumns; i++) {
        const char *n = opts->columns[i].name;
        RETURN_ERROR_IF(esf_col_lookup(n, strlen(n)) < 0, err, ESF_ERR_USAGE,
                        "--column: unknown column name '%s'", n);
    }
    RETURN_ERROR_IF(opts->ncolumns > 64, err, ESF_ERR_USAGE, "--column: at most 64 mappings");
    for (size_t i = 0; i < opts->ncolumns; i++) /* one header is one column */
        for (size_t j = 0; j < i; j++) {
            const esf_column_map *a = &opts->columns[j], *b = &opts->columns[i];
            RETURN_ERROR_IF(esf_col_lookup(a->name, strlen(a->name)) == esf_col_lookup(b->name, strlen(b->name)),
                            err, ESF_ERR_USAGE, "--column: '%s' is mapped twice (to '%s' and to '%s')",
                            b->name, a->header, b->header);
            RETURN_ERROR_IF(esf_header_same(a->header, b->header), err, ESF_ERR_USAGE,
                            "--column: '%s' and '%s' are both mapped to the header '%s': a header is one column",
                            a->name, b->name, b->header);
        }
    RETURN_ERROR_IF(opts->delimiter && !strchr(ESF_DELIMITERS, opts->delimiter), err, ESF_ERR_USAGE,
                    "--delimiter: must be one of , ; TAB |");
    return ESF_OK;
}

esf_status esf_run_new(const esf_options *opts, esf_run **out)
{
    esf_run *r = *out = calloc(1, sizeof *r);
    if (!r) return ESF_ERR_NOMEM;
    r->opts = *opts;
    r->opts.columns = NULL, r->opts.ncolumns = 0, r->opts.period = NULL; /* until checked */
    FORWARD_IF_ERROR(options_check(opts, &r->err));
    if (opts->period) FORWARD_IF_ERROR(period_parse(opts->period, &r->period_from, &r->period_to, &r->err));
    RETURN_ERROR_IF(opts->peildatum && (!*opts->peildatum || esf_field_date((esf_view){opts->peildatum, strlen(opts->peildatum)}, false, &r->peildatum) != 0),
                    &r->err, ESF_ERR_USAGE, "--peildatum: not a date (YYYYMMDD, YYYY-MM-DD, D-M-YYYY): '%s'", opts->peildatum);
    r->opts.peildatum = NULL; /* (the caller's string: not kept) */
    r->columns = calloc(opts->ncolumns ? opts->ncolumns : 1, sizeof *r->columns);
    r->cells_cap = 256;
    r->cells = malloc(r->cells_cap * sizeof *r->cells);
    r->nthreads = opts->threads ? opts->threads : online_cpus();
    /* four partitions per thread (taken by whichever is free, block.c) */
    r->nparts = r->nthreads == 1 ? 1 : r->nthreads < MAX_THREADS / 4 ? 4 * r->nthreads : MAX_THREADS;
    r->parts = aligned_alloc(_Alignof(esf_agg), r->nparts * sizeof *r->parts);
    if (r->parts) memset(r->parts, 0, r->nparts * sizeof *r->parts);
    bool ok = r->columns && r->cells && r->parts;
    for (unsigned k = 0; ok && k < r->nparts; k++) ok = esf_agg_init(&r->parts[k]) == ESF_OK;
    RETURN_ERROR_IF(!ok, &r->err, ESF_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < opts->ncolumns; i++) r->columns[i] = opts->columns[i];
    r->opts.columns = r->columns, r->opts.ncolumns = opts->ncolumns;
    return ESF_OK;
}

esf_status esf_run_targets(esf_run *r, const char *path)
{
    FORWARD_IF_ERROR(esf_targets_load(path, &r->targets, &r->err));
    r->have_targets = true;
    return ESF_OK;
}

void esf_run_free(esf_run *r)
{
    if (!r) return;
    esf_pub_free(&r->pub);
    esf_tables_free(r->tables);
    esf_block_free(r);
    for (size_t i = 0; i < r->nopened; i++) {
        free((void *)(uintptr_t)r->inputs[i].name);
        free((void *)(uintptr_t)r->inputs[i].columns);
    }
    free(r->inputs);
    for (unsigned k = 0; r->parts && k < r->nparts; k++) esf_agg_free(&r->parts[k]);
    free(r->parts);
    free(r->columns);
    free(r->cells);
    free(r);
}

const char *esf_run_error(const esf_run *r)
{
    return r ? r->err.msg : "out of memory";
}

const char *esf_version(void)
{
    return ESF_VERSION;
}

bool esf_reads_stat_files(void)
{
    return esf_stat_available();
}

const char *esf_run_note(const esf_run *r)
{
    return r->note;
}

void esf_run_counts(const esf_run *r, esf_counts *out)
{
    *out = r->counts;
}

static void report_progress(esf_run *r, const char *name, uint64_t done, uint64_t total,
                            uint64_t rows)
{
    esf_progress pr = {name, done, total, r->scanned + rows};
    r->opts.on_progress(r->opts.progress_ctx, &pr);
}

/* Input bytes behind pos (raw bytes for gzip and streams). */
static uint64_t reader_done(const esf_pass *pt, const char *pos)
{
    const esf_reader *rd = pt->rd;
    if (rd->pipe) return rd->pipe_consumed;
    return rd->in_memory && !rd->gz ? (uint64_t)(pos - pt->data) : reader_consumed(rd);
}

/* The calling thread's tick: it passes every record of every block. */
static void seq_tick(esf_pass *pt, const char *pos)
{
    report_progress(pt->r, pt->rd->name, reader_done(pt, pos),
                    pt->rd->size, pt->nscan);
}

/* A record longer than ESF_RECORD_MAX being skipped (SPEC §2.4): where it
 * ends is found a block at a time, its bytes are not kept. */
typedef struct {
    bool on;
    esf_rec_skip sk;
    uint64_t line;              /* its first line */
    char head[REJECT_SHOWN];    /* its first bytes, for the reject */
} long_record;

/* Passes the skipped record's bytes in [*pp, end); at its end (or the
 * input's) the reject, te_lang (quote_open when its quote is still open),
 * and the lines after it.  A NUL byte in it is no text: an input error. */
static esf_status skip_some(esf_pass *pt, long_record *lr, const char *name, const char **pp,
                            const char *end, bool eof, uint64_t *line)
{
    const char *next = esf_rec_skip_some(&lr->sk, *pp, end, headers_current(pt)->delim);
    RETURN_ERROR_IF(lr->sk.nul, pt->err, ESF_ERR_INPUT,
                    "%s:%llu: a record of more than %zu MiB holding NUL bytes: binary data, not "
                    "UTF-8 text", name, (unsigned long long)lr->line, ESF_RECORD_MAX >> 20);
    *pp = next ? next : end;
    if (!next && !eof) return ESF_OK;
    const bool open = !next && esf_rec_skip_quote_open(&lr->sk);
    const esf_rowerr e = {.reason = open ? ESF_REJ_QUOTE_OPEN : ESF_REJ_TE_LANG, .col = -1};
    esf_record rec = {.start = lr->head, .len = (size_t)lr->sk.bytes, .nlines = lr->sk.nlines};
    pt->nscan++;
    pt->counts->gelezen++;
    pt->counts->afgewezen++;
    pt->counts->per_reason[e.reason]++;
    if (pt->r->opts.on_reject)
        esf_reject_emit(pt->r, name, lr->line, &rec, headers_current(pt), &e, open ? REC_QUOTE_OPEN : REC_OK);
    *line += lr->sk.nlines;
    lr->on = false;
    return ESF_OK;
}

/* Reads an input block by block on the calling thread (esf_block_rows
 * shares each block out). */
static esf_status run_blocks(esf_run *r, esf_reader *rd, const char *name, esf_pass *pt, bool *have)
{
    const char *data = NULL;
    size_t len = 0, keep = 0;
    bool eof, first_block = true;
    uint64_t line = 1;
    esf_header h;
    memset(&h, 0, sizeof h);
    long_record lr = {.on = false};
    do {
        FORWARD_IF_ERROR(esf_reader_next(rd, keep, &data, &len, &eof, &r->err));
        const char *p = data, *end = data + len;
        pt->data = data;
        if (first_block && len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) p += 3;
        first_block = false;
        if (!*have) {
            FORWARD_IF_ERROR(esf_header_read(r, pt, name, &h, &p, end, eof, &line, have));
            if (*have) FORWARD_IF_ERROR(esf_headers_push(pt, &h));
        }
        for (bool again = *have; again;) {
            if (lr.on) FORWARD_IF_ERROR(skip_some(pt, &lr, name, &p, end, eof, &line));
            if (!lr.on) FORWARD_IF_ERROR(esf_block_rows(pt, name, &p, end, eof, &line));
            /* stopped before a record too long to hold: skipped from here */
            again = !lr.on && (size_t)(end - p) > ESF_RECORD_MAX;
            if (again) {
                lr.on = true, lr.line = line;
                memcpy(lr.head, p, sizeof lr.head);
                esf_rec_skip_init(&lr.sk);
            }
        }
        keep = lr.on ? 0 : (size_t)(end - p);
    } while (!eof);
    return ESF_OK;
}

/* The bytes of a block: one range per partition (block.c), no more than a
 * file of known size needs (a gzip'd one: 16 times its size; larger, it
 * comes in more blocks). */
static size_t block_bytes(const esf_run *r, const esf_reader *rd)
{
    const size_t b = r->nparts * esf_block_range(r);
    const uint64_t need = rd->gz ? rd->size * 16 : rd->size + 1;
    return rd->size && need < b ? (size_t)need : b;
}

/* An input decoded into a ring of blocks: pumped, or on a thread of its own. */
static esf_status start_decoder(const esf_run *r, esf_reader *rd, bool pumped, esf_err *err)
{
    return esf_reader_pipeline(rd, block_bytes(r, rd), pumped, err);
}

/* An input opened: its record begun (esf_run_input), its digest asked for
 * before a byte is decoded (a gzip'd file may be decoded ahead). */
static esf_status input_opened(esf_run *r, esf_reader *rd, const char *name, esf_err *err)
{
    if (r->opts.digest) FORWARD_IF_ERROR(esf_reader_digest(rd, err));
    esf_reader_stat_begin(rd, r->opts.stat_helper); /* converted from now on */
    void *b = r->inputs;
    RETURN_ERROR_IF(esf_grow(&b, &r->inputs_cap, r->nopened + 1, sizeof *r->inputs), err, ESF_ERR_NOMEM,
                    "%s: out of memory", name);
    r->inputs = b;
    esf_input *in = &r->inputs[r->nopened++]; /* (run in the order opened) */
    memset(in, 0, sizeof *in);
    const int sk = esf_reader_stat_kind(rd);
    in->format = sk != ESF_STAT_NONE ? esf_stat_format((esf_stat_kind)sk) : rd->gz ? "gzip" : "csv";
    in->name = strdup(name);
    RETURN_ERROR_IF(!in->name, err, ESF_ERR_NOMEM, "%s: out of memory", name);
    return ESF_OK;
}

/* An input read (ok) or stopped: its bytes, digest and rows. */
static void input_done(esf_run *r, esf_reader *rd, bool ok)
{
    esf_reader_stop(rd); /* a decoder that is still at it, after an error */
    esf_input *in = &r->inputs[r->ninputs - 1];
    in->bytes = rd->statin ? rd->size : rd->in_memory ? rd->src_len : rd->bytes_in;
    in->complete = ok;
    if (ok && rd->digest) {
        esf_reader_digest_end(rd, &in->digest_high, &in->digest_low);
        in->have_digest = true;
    }
    const esf_counts before = in->counts;
    in->counts.gelezen = r->counts.gelezen - before.gelezen;
    in->counts.geaccepteerd = r->counts.geaccepteerd - before.geaccepteerd;
    in->counts.afgewezen = r->counts.afgewezen - before.afgewezen;
    in->counts.gefilterd = r->counts.gefilterd - before.gefilterd;
    for (int k = 0; k < ESF_REJ_COUNT; k++) in->counts.per_reason[k] = r->counts.per_reason[k] - before.per_reason[k];
}

size_t esf_run_ninputs(const esf_run *r)
{
    return r->ninputs;
}

const esf_input *esf_run_input(const esf_run *r, size_t i)
{
    return i < r->ninputs ? &r->inputs[i] : NULL;
}

/* A message about the statistical file being read (name:LINE: ...) says
 * where as SPEC §2.8 counts: name:case N, or name alone for its header. */
static void stat_where(esf_run *r, const char *name)
{
    const size_t n = strlen(name);
    char *m = r->err.msg, *end;
    if (!r->reading || !esf_reader_stat(r->reading) || strncmp(m, name, n) != 0 || m[n] != ':') return;
    const unsigned long long line = strtoull(m + n + 1, &end, 10);
    if (end == m + n + 1 || *end != ':') return;
    char rest[sizeof r->err.msg];
    esf_copy_cut(rest, sizeof rest, end);
    bool is_case;
    const uint64_t c = run_where(r, line, &is_case);
    if (c == 0) snprintf(m + n, sizeof r->err.msg - n, "%s", rest);
    else snprintf(m + n, sizeof r->err.msg - n, ":case %llu%s", (unsigned long long)c, rest);
}

static esf_status run_input(esf_run *r, esf_reader *rd, const char *name)
{
    r->inputs[r->ninputs++].counts = r->counts; /* until it is read: the counts before it */
    bool have_header = false;
    esf_pass pt = {.r = r, .counts = &r->counts, .err = &r->err, .rd = rd,
               .rec = {.cells = r->cells, .cap = r->cells_cap}};
    if (r->opts.on_progress) pt.tick = seq_tick;
    const bool plain_in_memory = rd->in_memory && !rd->gz;
    /* on several threads, a ring of blocks that give each partition a
     * range: a file (or gzip'd memory) decoded into it by the counting
     * threads between their jobs, a stream, whose reads may wait, by a
     * thread of its own (a gzip'd file decoded ahead has one already) */
    esf_status st = ESF_OK;
    if (r->nthreads > 1 && !plain_in_memory && !rd->pipe) {
        st = start_decoder(r, rd, rd->regular || rd->in_memory, &r->err);
    }
    r->reading = rd;
    if (st == ESF_OK) st = run_blocks(r, rd, name, &pt, &have_header);
    if (st != ESF_OK) stat_where(r, name);
    r->reading = NULL;
    r->inputs[r->ninputs - 1].headers = pt.nhdrs;
    esf_headers_free(&pt);
    FORWARD_IF_ERROR(st);
    RETURN_ERROR_IF(!have_header, &r->err, ESF_ERR_INPUT, "%s: empty input: no header line",
                    name);
    if (r->opts.on_progress) {
        const uint64_t done = rd->pipe ? rd->pipe_consumed : plain_in_memory ? rd->src_len : reader_consumed(rd);
        report_progress(r, name, done, rd->size, pt.nscan);
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
    input_done(r, rd, st == ESF_OK);
    esf_reader_close(rd);
    if (st != ESF_OK) r->failed = true;
    return st;
}

/* Inputs opened ahead of the one being read: one, or with several threads
 * one per thread (at most AHEAD_MAX), so that statistical files, converted
 * from the moment they are opened, convert side by side while the files
 * before them are counted. */
enum { AHEAD_MAX = 8 };

esf_status esf_run_add_paths(esf_run *r, const char *const *paths, size_t n)
{
    esf_reader rd[AHEAD_MAX + 1];
    esf_err open_err[AHEAD_MAX + 1];
    esf_status open_st[AHEAD_MAX + 1] = {ESF_OK}, st = ESF_OK;
    const char *names[AHEAD_MAX + 1];
    const size_t ahead = r->nthreads > 1 ? (r->nthreads < AHEAD_MAX ? r->nthreads : AHEAD_MAX) : 1,
                 ring = ahead + 1;
    size_t opened = 0;
    for (size_t i = 0; i < n; i++) {
        for (; opened < n && opened <= i + ahead; opened++) {
            const size_t k = opened % ring;
            names[k] = strcmp(paths[opened], "-") == 0 ? "<stdin>" : paths[opened];
            open_st[k] = esf_reader_open_path(&rd[k], paths[opened], names[k], &open_err[k]);
            if (open_st[k] == ESF_OK && (open_st[k] = input_opened(r, &rd[k], names[k], &open_err[k])) != ESF_OK)
                esf_reader_close(&rd[k]);
        }
        /* The next gzip'd file (mapped: a stream or stdin could be read
         * twice) is decoded ahead while this one is parsed, so its threads
         * do not wait for its first blocks; a failure is reported when its
         * turn comes. */
        const size_t nx = (i + 1) % ring;
        if (i + 1 < n && open_st[nx] == ESF_OK && r->nthreads > 1 && rd[nx].in_memory && rd[nx].gz &&
            !rd[nx].pipe) {
            open_st[nx] = start_decoder(r, &rd[nx], false, &open_err[nx]);
            if (open_st[nx] != ESF_OK) esf_reader_close(&rd[nx]);
        }
        const size_t k = i % ring;
        if (open_st[k] != ESF_OK) r->err = open_err[k];
        st = run_reader(r, &rd[k], open_st[k], names[k]);
        if (st != ESF_OK) {
            for (size_t j = i + 1; j < opened; j++)
                if (open_st[j % ring] == ESF_OK) esf_reader_close(&rd[j % ring]);
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
    esf_status st = esf_reader_open_memory(&rd, name, data, len, &r->err);
    if (st == ESF_OK && (st = input_opened(r, &rd, name, &r->err)) != ESF_OK) esf_reader_close(&rd);
    return run_reader(r, &rd, st, name);
}

esf_status esf_run_finish(esf_run *r)
{
    RETURN_ERROR_IF(r->tables, &r->err, ESF_ERR_USAGE, "the run is finished already");
    RETURN_ERROR_IF(r->failed, &r->err, ESF_ERR_INPUT, "an input failed: no tables from a partial count");
    unsigned first = MAX_THREADS; /* the earliest project id not UTF-8 of all partitions */
    for (unsigned k = 0; k < r->nparts; k++)
        if (r->bad_utf8[k].input &&
            (first == MAX_THREADS || r->bad_utf8[k].input < r->bad_utf8[first].input ||
             (r->bad_utf8[k].input == r->bad_utf8[first].input && r->bad_utf8[k].line < r->bad_utf8[first].line)))
            first = k;
    if (first < MAX_THREADS)
        snprintf(r->note, sizeof r->note,
                 "%s:%s%llu: project id '%s' is not UTF-8: JSON and the reports write U+FFFD for "
                 "its bytes that are not (CSV keeps them); so for every such project id",
                 r->bad_utf8[first].file, r->bad_utf8[first].is_case ? "case " : "",
                 (unsigned long long)r->bad_utf8[first].line,
                 r->bad_utf8[first].seen);
    esf_status st = esf_tables_build(r->parts, r->nparts, &r->counts, r->have_targets ? &r->targets : NULL,
                                 r->peildatum, &r->tables);
    RETURN_ERROR_IF(st != ESF_OK, &r->err, st, "out of memory while building the tables");
    r->tables->period_from = r->period_from, r->tables->period_to = r->period_to;
    r->tables->ninputs = r->ninputs;
    return ESF_OK;
}

/* The tables published with dc, decided once per run and setting. */
static esf_status published(esf_run *r, const esf_disclosure *dc)
{
    esf_disclosure want = {0};
    if (dc) want = *dc;
    RETURN_ERROR_IF(!r->tables, &r->err, ESF_ERR_USAGE, "the run is not finished (esf_run_finish)");
    if (r->pub.sup && !memcmp(&r->pub.dc, &want, sizeof want)) return ESF_OK;
    if (want.suppress_below) { /* the relations, once, only for suppression */
        const esf_status st = esf_relations_build(r->tables);
        RETURN_ERROR_IF(st == ESF_ERR_LIMIT, &r->err, st, "internal error: a relation of SPEC §6 names a missing cell");
        RETURN_ERROR_IF(st != ESF_OK, &r->err, st, "out of memory while relating the tables");
    }
    esf_pub_free(&r->pub);
    return esf_pub_init(&r->pub, r->tables, &want, &r->err);
}

esf_status esf_run_write(esf_run *r, esf_format fmt, const esf_disclosure *dc, FILE *out)
{
    FORWARD_IF_ERROR(published(r, dc));
    return esf_tables_write(&r->pub, fmt, out, &r->err);
}

esf_status esf_run_suppressed(esf_run *r, const esf_disclosure *dc, esf_suppressed *out)
{
    FORWARD_IF_ERROR(published(r, dc));
    out->primary = r->pub.count[SUP_PRIMARY];
    out->secondary = r->pub.count[SUP_SECONDARY];
    out->derived = r->pub.count[SUP_DERIVED];
    return ESF_OK;
}
