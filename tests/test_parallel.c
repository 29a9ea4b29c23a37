/* test_parallel.c - a file read by several threads gives exactly what one
 * thread gives: the same tables, the same rejects in the same order with the
 * same line numbers.  Each thread parses its own byte range from a guessed
 * first record (block.c); the random extracts are full of line feeds inside
 * quoted fields (wrong guesses), rejects, blank lines and header lines again
 * in another column order, so the guesses, their confirmation and the
 * headers must come out as one thread reads them. */
#include "helpers.h"

#include <sys/stat.h>
#include <unistd.h>

#define ESF_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

typedef struct {
    char *buf;
    size_t len, cap;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->buf = realloc(b->buf, b->cap);
        cr_assert(b->buf);
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

static void puts_(sbuf *b, const char *s)
{
    put(b, s, strlen(s));
}

static unsigned long long rng_state;
static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(rng_state >> 33) % n;
}

/* A random extract: few persons (so many of them in several chunks and
 * projects), quoted notes with line feeds and delimiters, CRLF and LF, blank
 * lines, and a share of rows that are rejected for various reasons. */
static sbuf random_extract(unsigned seed, int rows)
{
    static const char *const aanv[] = {"gemeente", "vsopro", "uwv", "justitie", "gemeente"};
    static const char *const pos[] = {"werkzaam", "inactief", "werkloos", "nietwerkzaam", "onderwijs", ""};
    static const char *const notes[] = {"", "\"a\nb\"", "\"\n\"", "\"x,\"\"y\"\"\nz\r\n\"", "plain",
                                        "\"\n\n\n\"", "\"ok\""};
    static const char *const hdr[2] = {
        "rinpersoon,opmerking,project,aanvrager,geslacht,start,eind,positie_start,positie_eind\n",
        "opmerking,rinpersoon,project,aanvrager,geslacht,start,eind,positie_start,positie_eind\n"};
    rng_state = seed * 2654435761ULL + 1;
    sbuf b = {0};
    unsigned order = 0; /* the header's: rinpersoon first or second */
    puts_(&b, hdr[order]);
    char line[512];
    for (int i = 0; i < rows; i++) {
        if (rnd(60) == 0) puts_(&b, hdr[order ^= 1]); /* a header again: cat a.csv b.csv */
        int d = (int)rnd(28) + 1;
        const char *bad = "";
        switch (rnd(25)) {
        case 0: bad = "x"; break;                         /* unknown code (geslacht) */
        case 1: d = 31; bad = "feb"; break;               /* bad date               */
        case 2: puts_(&b, "\n"); break;                   /* blank line before      */
        case 3: puts_(&b, "1,2,3\n"); break;              /* too few fields         */
        default: break;
        }
        char id[16];
        snprintf(id, sizeof id, "%u", rnd(40));
        const char *note = notes[rnd(7)];
        snprintf(line, sizeof line, "%s,%s,P%u,%s,%s,2016%02u%02d,%s,%s,%s%s",
                 order ? note : id, order ? id : note, rnd(6), aanv[rnd(5)],
                 bad[0] == 'x' ? "x" : (rnd(2) ? "m" : "v"), bad[0] == 'f' ? 2 : rnd(12) + 1, d,
                 rnd(3) ? "20170301" : "", pos[rnd(6)], pos[rnd(6)], rnd(4) ? "\n" : "\r\n");
        puts_(&b, line);
    }
    if (rnd(2)) puts_(&b, "7,\"open quote at the end,P1,uwv,m,20160101,,,\n");
    return b;
}

typedef struct {
    sbuf log;
} rej_log;

static void log_reject(void *ctx, const esf_reject *r)
{
    rej_log *l = ctx;
    char head[128];
    const char *base = strrchr(r->file, '/'); /* the same for a path and a buffer */
    snprintf(head, sizeof head, "%s:%llu:%s:%s:", base ? base + 1 : r->file, (unsigned long long)r->line,
             esf_reject_name(r->reason), r->column ? r->column : "");
    puts_(&l->log, head);
    put(&l->log, r->seen, r->seen_len);
    puts_(&l->log, "|");
    put(&l->log, r->record, r->record_len);
    puts_(&l->log, "\n");
}

/* CSV output and reject log of one run with the given thread settings. */
static void run_once(const sbuf *in, unsigned threads, size_t chunk_min, char **csv, char **rejects)
{
    rej_log l = {{0}};
    puts_(&l.log, "");
    esf_options o = {.threads = threads, .chunk_min = chunk_min, .on_reject = log_reject,
                     .reject_ctx = &l};
    *csv = run_csv(in->buf, in->len, &o);
    *rejects = l.log.buf;
}

ParameterizedTestParameters(parallel, same_as_sequential)
{
    static unsigned seeds[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    return cr_make_param_array(unsigned, seeds, ESF_ARRAY_SIZE(seeds));
}

ParameterizedTest(unsigned *seed, parallel, same_as_sequential, .timeout = 60)
{
    sbuf in = random_extract(*seed, 300 + (int)(*seed * 97 % 400));
    char *csv1, *rej1;
    run_once(&in, 1, 0, &csv1, &rej1);
    cr_assert(strstr(rej1, ":onbekende_code:geslacht:"), "the extract must have rejects");
    /* gzip'd, it is a stream: decoded on another thread into blocks of one
     * range (chunk bytes, 1 KiB at least) per partition, behind a cut record */
    size_t gl;
    unsigned char *g = gz(in.buf, in.len, &gl);
    const sbuf gin = {(char *)g, gl, gl};
    static const struct {
        unsigned threads;
        size_t chunk;
        bool gz;
    } setups[] = {{2, 1, 0},   {3, 7, 0}, {4, 64, 0}, {8, 1, 0},   {2, 1000, 0}, {64, 1, 0},
                  {1, 0, 1},   {2, 1, 1}, {3, 300, 1}, {2, 0, 1}, {8, 1, 1},    {2, 4096, 1}};
    for (size_t i = 0; i < ESF_ARRAY_SIZE(setups); i++) {
        char *csv, *rej;
        run_once(setups[i].gz ? &gin : &in, setups[i].threads, setups[i].chunk, &csv, &rej);
        cr_expect_str_eq(csv, csv1, "tables differ: seed %u, %u threads, chunks %zu, gzip %d",
                         *seed, setups[i].threads, setups[i].chunk, setups[i].gz);
        cr_expect_str_eq(rej, rej1, "rejects differ: seed %u, %u threads, chunks %zu, gzip %d",
                         *seed, setups[i].threads, setups[i].chunk, setups[i].gz);
        free(csv);
        free(rej);
    }
    free(g);
    free(csv1);
    free(rej1);
    free(in.buf);
}

/* Records longer than many blocks: a long quoted note, a wide header, and at
 * the end a quote never closed, whose record runs to the end of the input.
 * A stream read in blocks of 1 KiB ranges by several threads gives what one thread
 * gives reading the plain bytes. */
Test(parallel, stream_records_longer_than_blocks, .timeout = 60)
{
    sbuf in = {0};
    puts_(&in, "\xef\xbb\xbf\n\nrinpersoon,project,aanvrager,start,opmerking");
    for (int i = 0; i < 200; i++) puts_(&in, ",x");
    puts_(&in, "\n");
    for (int i = 0; i < 300; i++) {
        char line[200];
        snprintf(line, sizeof line, "%d,P%d,uwv,20160101,\"", i % 97, i % 5);
        puts_(&in, line);
        for (int j = 0; j < (i % 13 == 0 ? 900 : 1); j++) puts_(&in, "lang\n\"\"verhaal\"\",");
        puts_(&in, "\"");
        for (int j = 0; j < 200; j++) puts_(&in, ",");
        puts_(&in, i % 11 == 0 ? "\r\n\n" : "\n");
    }
    puts_(&in, "5,P1,uwv,20160101,\"nooit dicht\n");
    for (int i = 0; i < 100; i++) puts_(&in, "1,P1,uwv,20160101,x\n");
    char *csv1, *rej1;
    run_once(&in, 1, 0, &csv1, &rej1);
    cr_assert(strstr(rej1, ":quote_open:"), "the last record must be rejected: %.300s", rej1);
    expect_cell(csv1, "deelnemers,uwv,totaal,totaal,n", "97");
    size_t gl;
    unsigned char *g = gz(in.buf, in.len, &gl);
    sbuf gin = {(char *)g, gl, gl};
    for (unsigned threads = 1; threads <= 3; threads++) {
        char *csv, *rej;
        run_once(&gin, threads, 1, &csv, &rej);
        cr_expect_str_eq(csv, csv1, "%u threads", threads);
        cr_expect_str_eq(rej, rej1, "%u threads", threads);
        free(csv), free(rej);
    }
    free(g), free(csv1), free(rej1), free(in.buf);
}

/* A line inside a quoted field is no record, even when it looks like a
 * whole row: the note holds a line feed followed by one. */
Test(parallel, row_lookalike_inside_quotes)
{
    sbuf in = {0};
    puts_(&in, "rinpersoon,opmerking,project,aanvrager,start\n");
    for (int i = 0; i < 50; i++) {
        char line[200];
        snprintf(line, sizeof line, "%d,\"note\n%d,,Q,uwv,20160101\n\",P,gemeente,20160101\n", i,
                 i + 1000);
        puts_(&in, line);
    }
    char *csv1, *rej1, *csv2, *rej2;
    run_once(&in, 1, 0, &csv1, &rej1);
    run_once(&in, 4, 1, &csv2, &rej2);
    cr_expect_str_eq(csv2, csv1);
    cr_expect_str_eq(rej2, rej1);
    expect_cell(csv1, "deelnemers,totaal,totaal,totaal,n", "50");
    expect_cell(csv1, "invoer,invoer,rijen,gelezen,n", "50");
    free(csv1);
    free(rej1);
    free(csv2);
    free(rej2);
    free(in.buf);
}

typedef struct {
    esf_progress last;
    int n;
    bool bad;
} prog_log;

static void log_progress(void *ctx, const esf_progress *p)
{
    prog_log *l = ctx;
    if (l->n && (p->bytes_done < l->last.bytes_done || p->rows < l->last.rows)) l->bad = true;
    if (p->bytes_total && p->bytes_done > p->bytes_total) l->bad = true;
    l->last = *p;
    l->n++;
}

/* A file, plain (read into the reader's buffers) or gzip'd (mapped), gives
 * the tables and rejects of the same bytes in memory at 1-3 threads, with
 * a progress line that ends at the file's size; the caller's own memory is
 * never changed. */
Test(parallel, files_agree_with_memory)
{
    sbuf in = random_extract(99, 150000); /* > 64 Ki rows per chunk with 2 threads */
    char *copy = malloc(in.len);
    cr_assert(copy);
    memcpy(copy, in.buf, in.len);
    char dir[] = "/tmp/esfmon-test-XXXXXX", path[64], gzdir[64], gzpath[80];
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/mem.csv", dir);
    FILE *f = fopen(path, "wb");
    cr_assert(f && fwrite(in.buf, 1, in.len, f) == in.len && fclose(f) == 0);
    /* the same bytes gzip'd (found by their magic bytes): a stream, its
     * progress in compressed bytes */
    size_t gl;
    unsigned char *g = gz(in.buf, in.len, &gl);
    snprintf(gzdir, sizeof gzdir, "%s/gz", dir);
    cr_assert(mkdir(gzdir, 0700) == 0);
    snprintf(gzpath, sizeof gzpath, "%s/mem.csv", gzdir);
    f = fopen(gzpath, "wb");
    cr_assert(f && fwrite(g, 1, gl, f) == gl && fclose(f) == 0);

    char *csv1, *rej1;
    run_once(&in, 2, 0, &csv1, &rej1);
    cr_assert(memcmp(copy, in.buf, in.len) == 0, "the caller's buffer was changed");
    cr_assert(strstr(rej1, ":onbekende_code:geslacht:"), "the extract must have rejects");
    for (unsigned run_no = 0; run_no < 6; run_no++) {
        const bool zipped = run_no >= 3;
        const unsigned threads = run_no % 3 + 1;
        const size_t size = zipped ? gl : in.len;
        rej_log l = {{0}};
        puts_(&l.log, "");
        prog_log pl = {0};
        esf_options o = {.threads = threads, .on_reject = log_reject, .reject_ctx = &l,
                         .on_progress = log_progress, .progress_ctx = &pl};
        esf_run *run;
        cr_assert_eq(esf_run_new(&o, &run), ESF_OK);
        cr_assert_eq(esf_run_add_path(run, zipped ? gzpath : path), ESF_OK, "%s",
                     esf_run_error(run));
        char *csv = finish_fmt(run, ESF_FORMAT_CSV, NULL);
        cr_expect_str_eq(csv, csv1, "tables differ: file, %u threads, gzip %d", threads, zipped);
        cr_expect_str_eq(l.log.buf, rej1, "rejects differ: file, %u threads, gzip %d", threads,
                         zipped);
        /* The progress line, whichever thread read what: never back, never
         * past the end, and all of it at the end. */
        /* the calling thread passes every record: a tick every 64 Ki */
        cr_expect_geq(pl.n, 2, "%u threads: progress reported while reading", threads);
        cr_expect(!pl.bad, "%u threads: progress went back or past the end", threads);
        cr_expect_eq(pl.last.bytes_done, size, "%u threads, gzip %d", threads, zipped);
        cr_expect_eq(pl.last.bytes_total, size, "%u threads, gzip %d", threads, zipped);
        cr_expect_eq(pl.last.rows, strtoull(cell(csv, "invoer,invoer,rijen,gelezen,n"), NULL, 10));
        free(csv);
        free(l.log.buf);
    }
    remove(path);
    remove(gzpath);
    rmdir(gzdir);
    rmdir(dir);
    free(g);
    free(csv1);
    free(rej1);
    free(copy);
    free(in.buf);
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f && fwrite(p, 1, n, f) == n && fclose(f) == 0, "%s", path);
}

/* The tables and reject log of the files read one call each (add_paths
 * false) or in one call; st: what adding them returned. */
static char *run_files(const char *const *paths, size_t n, bool add_paths, unsigned threads,
                       size_t chunk_min, char **rejects, esf_status *st)
{
    rej_log l = {{0}};
    puts_(&l.log, "");
    esf_options o = {.threads = threads, .chunk_min = chunk_min, .on_reject = log_reject,
                     .reject_ctx = &l};
    esf_run *run;
    cr_assert_eq(esf_run_new(&o, &run), ESF_OK);
    *st = ESF_OK;
    if (add_paths) *st = esf_run_add_paths(run, paths, n);
    else
        for (size_t i = 0; i < n && *st == ESF_OK; i++) *st = esf_run_add_path(run, paths[i]);
    char *csv = NULL;
    if (*st == ESF_OK) {
        csv = finish_fmt(run, ESF_FORMAT_CSV, NULL);
    } else {
        csv = strdup(esf_run_error(run)); /* the message instead */
        esf_run_free(run);
    }
    *rejects = l.log.buf;
    return csv;
}

/* Several gzip'd files in one call: each is decoded ahead while the one
 * before it is counted (esf_run_add_paths).  Tables and rejects are those of
 * the plain files added one by one and read on one thread.  A file that
 * cannot be opened stops the run there, named, after all the rejects of the
 * files before it and none of those after. */
Test(parallel, gzip_files_decoded_ahead, .timeout = 60)
{
    enum { NFILES = 4 };
    char dir[] = "/tmp/esfmon-test-XXXXXX", gzdir[64];
    cr_assert(mkdtemp(dir));
    snprintf(gzdir, sizeof gzdir, "%s/gz", dir);
    cr_assert(mkdir(gzdir, 0700) == 0);
    char plain[NFILES + 1][80], zipped[NFILES + 1][80];
    const char *pp[NFILES], *zp[NFILES];
    for (int i = 0; i < NFILES; i++) {
        sbuf in = random_extract(40u + (unsigned)i, 1500 + 700 * i);
        size_t gl;
        unsigned char *g = gz(in.buf, in.len, &gl);
        snprintf(plain[i], sizeof plain[i], "%s/p%d.csv", dir, i);
        snprintf(zipped[i], sizeof zipped[i], "%s/p%d.csv", gzdir, i); /* same base name */
        write_file(plain[i], in.buf, in.len);
        write_file(zipped[i], g, gl);
        pp[i] = plain[i], zp[i] = zipped[i];
        free(g);
        free(in.buf);
    }
    esf_status st;
    char *rej1, *csv1 = run_files(pp, NFILES, false, 1, 0, &rej1, &st);
    cr_assert_eq(st, ESF_OK, "%s", csv1);
    cr_assert(strstr(rej1, "p3.csv:"), "the last file has rejects");
    for (unsigned threads = 1; threads <= 3; threads++)
        for (size_t chunk = 0; chunk <= 4096; chunk += 4096) { /* 4096: many blocks a file */
            char *rej, *csv = run_files(zp, NFILES, true, threads, chunk, &rej, &st);
            cr_assert_eq(st, ESF_OK, "%s", csv);
            cr_expect_str_eq(csv, csv1, "tables differ: %u threads, chunks of %zu", threads, chunk);
            cr_expect_str_eq(rej, rej1, "rejects differ: %u threads, chunks of %zu", threads, chunk);
            free(csv);
            free(rej);
        }

    /* the third missing: the first two are reported, then the run stops */
    char *rej12, *csv12 = run_files(pp, 2, false, 1, 0, &rej12, &st);
    cr_assert_eq(st, ESF_OK);
    snprintf(zipped[NFILES], sizeof zipped[NFILES], "%s/missing.csv", gzdir);
    const char *with_missing[NFILES] = {zp[0], zp[1], zipped[NFILES], zp[3]};
    for (unsigned threads = 1; threads <= 2; threads++) {
        char *rej, *msg = run_files(with_missing, NFILES, true, threads, 4096, &rej, &st);
        cr_expect_eq(st, ESF_ERR_INPUT, "%u threads", threads);
        cr_expect(strstr(msg, "missing.csv: cannot open"), "%u threads: '%s'", threads, msg);
        cr_expect_str_eq(rej, rej12, "%u threads: the rejects of the first two files", threads);
        free(msg);
        free(rej);
    }
    for (int i = 0; i < NFILES; i++) remove(plain[i]), remove(zipped[i]);
    rmdir(gzdir);
    rmdir(dir);
    free(csv1), free(rej1), free(csv12), free(rej12);
}
