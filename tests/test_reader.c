/* Stage 1: the reader: plain and gzip, multi-member, block hand-over with
 * `keep`, and every way a gzip stream can be broken. */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <unistd.h>

#include "helpers.h"
#include "reader.h"

static unsigned drained_blocks; /* blocks the last drain() was given */

/* Reads everything, keeping a varying tail each time; returns the bytes seen. */
static esf_status drain(esf_reader *r, char **all, size_t *all_len)
{
    drained_blocks = 0;
    const char *d;
    size_t len, keep = 0, total = 0, cap = 0;
    bool eof = false;
    char *acc = NULL;
    while (!eof) {
        esf_err err;
        esf_status st = esf_reader_next(r, keep, &d, &len, &eof, &err);
        if (st != ESF_OK) {
            free(acc);
            return st;
        }
        drained_blocks++;
        /* the first `keep` bytes were already counted */
        if (total + len - keep + 1 > cap) {
            cap = 2 * (total + len - keep + 1);
            acc = realloc(acc, cap);
            cr_assert(acc);
        }
        memcpy(acc + total, d + keep, len - keep);
        total += len - keep;
        keep = len > 1000 ? 777 : 0; /* hand back some bytes each time */
        if (keep > len) keep = len;
    }
    *all = acc;
    *all_len = total;
    return ESF_OK;
}

static char *pattern(size_t n)
{
    char *p = malloc(n);
    for (size_t i = 0; i < n; i++) p[i] = (char)('a' + (i * 7 + i / 1000) % 26);
    return p;
}

Test(reader, plain_memory_is_one_block)
{
    esf_reader r;
    esf_err err;
    const char *s = "abc\n";
    cr_assert_eq(esf_reader_open_memory(&r, "m", s, 4, &err), ESF_OK);
    const char *d;
    size_t len;
    bool eof;
    cr_assert_eq(esf_reader_next(&r, 0, &d, &len, &eof, &err), ESF_OK);
    cr_expect(eof && len == 4 && d == s);
    esf_reader_close(&r);
}

/* Both ways of decoding: on the caller's thread, and on a decoder thread
 * (esf_reader_pipeline) that decodes straight into a ring of 2 MiB blocks:
 * the kept bytes go in front of the next block, the rest is never copied
 * (the reader's own buffer is not even allocated). */
ParameterizedTestParameters(reader, gzip_multi_member_with_keep)
{
    static bool pipelined[] = {false, true};
    return cr_make_param_array(bool, pipelined, 2);
}

ParameterizedTest(bool *pipelined, reader, gzip_multi_member_with_keep)
{
    size_t n = 9u << 20; /* several blocks */
    char *src = pattern(n);
    size_t l1, l2;
    unsigned char *a = gz(src, n / 3, &l1), *b = gz(src + n / 3, n - n / 3, &l2);
    unsigned char *both = malloc(l1 + l2);
    memcpy(both, a, l1);
    memcpy(both + l1, b, l2);
    esf_reader r;
    esf_err err;
    cr_assert_eq(esf_reader_open_memory(&r, "m.gz", both, l1 + l2, &err), ESF_OK);
    if (*pipelined) {
        cr_assert_eq(esf_reader_pipeline(&r, 0, false, &err), ESF_OK);
        cr_assert(r.pipe != NULL);
    }
    char *all = NULL;
    size_t all_len = 0;
    cr_assert_eq(drain(&r, &all, &all_len), ESF_OK);
    cr_expect_eq(all_len, n);
    cr_expect_eq(memcmp(all, src, n), 0);
    if (*pipelined) cr_expect(r.cap == 0 && drained_blocks >= 5, "%zu bytes copied into the reader's buffer, %u blocks", r.cap, drained_blocks);
    if (!*pipelined) cr_expect_eq(reader_consumed(&r), l1 + l2);
    esf_reader_close(&r);
    free(all), free(a), free(b), free(both), free(src);
}

/* Blocks behind the kept bytes, through the decoder thread or pumped (no
 * thread of its own: helpers decode pieces whenever the ring has room, as
 * the counting threads do between their jobs, and the reader decodes a
 * block itself when none is ready).  Tiny blocks wrap the ring of three
 * thousands of times, the kept bytes (777) in the room in front of a block
 * (4096 and up: a quarter of the block, up to 64 KiB) or, longer than that
 * room, with the block's bytes in the reader's buffer (blocks of 256-1001
 * bytes), and every byte comes once, in order. */
typedef struct {
    size_t block;
    bool pumped;
    unsigned helpers; /* threads calling esf_reader_pump (pumped only) */
} ring_case;

ParameterizedTestParameters(reader, pipeline_blocks)
{
    static ring_case cases[] = {{0, false, 0},       {1, false, 0},       {999, false, 0},
                                {1000, false, 0},    {1001, false, 0},    {4096, false, 0},
                                {1u << 20, false, 0}, {256, true, 0},     {1000, true, 1},
                                {4096, true, 2},     {1u << 20, true, 0}, {1u << 20, true, 1},
                                {999, true, 3}};
    return cr_make_param_array(ring_case, cases, sizeof cases / sizeof cases[0]);
}

typedef struct {
    esf_reader *r;
    atomic_bool stop;
    atomic_ulong pieces;
} pumper;

static void *pump_main(void *arg)
{
    pumper *p = arg;
    while (!atomic_load(&p->stop))
        if (esf_reader_pump(p->r)) atomic_fetch_add(&p->pieces, 1);
        else sched_yield();
    return NULL;
}

ParameterizedTest(ring_case *c, reader, pipeline_blocks, .timeout = 60)
{
    size_t n = 3u << 20, l;
    char *src = pattern(n);
    unsigned char *z = gz(src, n, &l);
    esf_reader r;
    esf_err err;
    cr_assert_eq(esf_reader_open_memory(&r, "m.gz", z, l, &err), ESF_OK);
    cr_assert_eq(esf_reader_pipeline(&r, c->block, c->pumped, &err), ESF_OK);
    pumper p = {.r = &r};
    atomic_init(&p.stop, false);
    atomic_init(&p.pieces, 0);
    pthread_t t[3];
    for (unsigned i = 0; i < c->helpers; i++) cr_assert_eq(pthread_create(&t[i], NULL, pump_main, &p), 0);
    for (int w = 0; c->helpers && atomic_load(&p.pieces) == 0 && w < 10000; w++) usleep(1000);
    cr_expect(!c->helpers || atomic_load(&p.pieces) > 0, "the helpers decoded nothing");
    char *all = NULL;
    size_t all_len = 0;
    const esf_status st = drain(&r, &all, &all_len);
    atomic_store(&p.stop, true);
    for (unsigned i = 0; i < c->helpers; i++) pthread_join(t[i], NULL);
    cr_assert_eq(st, ESF_OK);
    cr_expect(all_len == n && memcmp(all, src, n) == 0,
              "blocks of %zu, pumped %d, %u helpers: %zu of %zu bytes, or not in order", c->block,
              c->pumped, c->helpers, all_len, n);
    cr_expect_eq(r.pipe_consumed, l);
    esf_reader_close(&r);
    free(all), free(z), free(src);
}

/* Closing a reader whose decoder waits on a full ring does not hang. */
Test(reader, close_with_a_full_ring, .timeout = 60)
{
    size_t n = 100000, l;
    char *src = pattern(n);
    unsigned char *z = gz(src, n, &l);
    esf_reader r;
    esf_err err;
    cr_assert_eq(esf_reader_open_memory(&r, "m.gz", z, l, &err), ESF_OK);
    cr_assert_eq(esf_reader_pipeline(&r, 256, false, &err), ESF_OK);
    const char *d;
    size_t dl;
    bool eof;
    cr_assert_eq(esf_reader_next(&r, 0, &d, &dl, &eof, &err), ESF_OK);
    cr_expect(dl == 256 && !eof && memcmp(d, src, 256) == 0);
    usleep(20000); /* the decoder fills the ring and waits */
    esf_reader_close(&r);
    free(z), free(src);
}

/* A decoder's error comes after the blocks decoded before it: blocks of
 * them first, then the error (blocks of 4 KiB: half the stream is cut). */
ParameterizedTestParameters(reader, pipeline_error_after_the_bytes_before_it)
{
    static bool pumped[] = {false, true};
    return cr_make_param_array(bool, pumped, 2);
}

ParameterizedTest(bool *pumped, reader, pipeline_error_after_the_bytes_before_it)
{
    size_t n = 100000, l;
    char *src = pattern(n);
    unsigned char *z = gz(src, n, &l);
    esf_reader r;
    esf_err err = {{0}};
    cr_assert_eq(esf_reader_open_memory(&r, "cut.gz", z, l / 2, &err), ESF_OK);
    cr_assert_eq(esf_reader_pipeline(&r, 4096, *pumped, &err), ESF_OK);
    const char *d;
    size_t dl;
    bool eof;
    size_t got = 0;
    esf_status st;
    while ((st = esf_reader_next(&r, 0, &d, &dl, &eof, &err)) == ESF_OK && !eof) {
        cr_expect(dl == 4096 && got + dl <= n && memcmp(d, src + got, dl) == 0, "a block of %zu bytes at %zu", dl, got);
        got += dl;
    }
    cr_expect_eq(st, ESF_ERR_INPUT);
    cr_expect(got > 10000, "%zu bytes first", got);
    cr_expect(strstr(err.msg, "truncated gzip"), "message: %s", err.msg);
    esf_reader_close(&r);
    free(z), free(src);
}

typedef struct {
    int kind; /* 0 truncated, 1 crc, 2 garbage after member, 3 truncated header */
    const char *msg;
    bool pipelined;
} broken_case;

ParameterizedTestParameters(reader, broken_gzip)
{
    static broken_case cases[] = {{0, "truncated gzip", false},
                                  {1, "corrupt gzip", false},
                                  {2, "garbage after a gzip member", false},
                                  {3, "truncated gzip", false},
                                  {0, "truncated gzip", true},
                                  {1, "corrupt gzip", true},
                                  {2, "garbage after a gzip member", true},
                                  {3, "truncated gzip", true}};
    return cr_make_param_array(broken_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(broken_case *c, reader, broken_gzip)
{
    size_t n = 100000, l;
    char *src = pattern(n);
    unsigned char *z = gz(src, n, &l);
    unsigned char *buf = malloc(l + 16);
    memcpy(buf, z, l);
    size_t len = l;
    if (c->kind == 0) len = l / 2;
    if (c->kind == 1) buf[l - 6] ^= 0xff; /* CRC32 */
    if (c->kind == 2) memcpy(buf + l, "garbage", 7), len = l + 7;
    if (c->kind == 3) len = 5;
    esf_reader r;
    esf_err err = {{0}};
    cr_assert_eq(esf_reader_open_memory(&r, "bad.gz", buf, len, &err), ESF_OK);
    esf_status st = ESF_OK;
    if (c->pipelined) cr_assert_eq(esf_reader_pipeline(&r, 256, false, &err), ESF_OK);
    const char *d;
    size_t dl;
    bool eof = false;
    while (st == ESF_OK && !eof) st = esf_reader_next(&r, 0, &d, &dl, &eof, &err);
    cr_expect_eq(st, ESF_ERR_INPUT);
    cr_expect(strstr(err.msg, c->msg) && strstr(err.msg, "bad.gz"), "message: %s", err.msg);
    esf_reader_close(&r);
    free(buf), free(z), free(src);
}

Test(reader, record_across_gzip_blocks_counts_once)
{
    /* A file of 60000 identical rows (> one 1 MiB block), gzip'd, gives the
     * same counts as the plain file. */
    const char *hdr = "rinpersoon,project,aanvrager,start,toelichting\n";
    size_t rows = 60000, cap = strlen(hdr) + rows * 64;
    char *plain = malloc(cap);
    size_t n = (size_t)sprintf(plain, "%s", hdr);
    for (size_t i = 0; i < rows; i++)
        n += (size_t)sprintf(plain + n, "%zu,P%zu,uwv,20150101,\"x\ny, \"\"z\"\"\"\n", i % 1000, i % 7);
    size_t gl;
    unsigned char *g = gz(plain, n, &gl);
    char *a = run_csv(plain, n, NULL), *b = run_csv((const char *)g, gl, NULL);
    cr_expect_str_eq(a, b);
    expect_cell(a, "deelnemers,uwv,totaal,totaal,n", "1000");
    expect_cell(a, "invoer,invoer,rijen,gelezen,n", "60000");
    free(a), free(b), free(g), free(plain);
}

/* Resident KiB of this process's mapping that starts at addr (Linux smaps),
 * -1 when there is none. */
static long mapping_rss_kib(const void *addr)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    cr_assert(f);
    char line[512];
    long rss = -1;
    bool in = false;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
            in = lo == (unsigned long)(uintptr_t)addr;
        else if (in && sscanf(line, "Rss: %ld kB", &rss) == 1)
            break;
    }
    fclose(f);
    return rss;
}

ParameterizedTestParameters(reader, mapped_gzip_gives_pages_back)
{
    static bool pipelined[] = {false, true};
    return cr_make_param_array(bool, pipelined, 2);
}

/* The compressed bytes of a mapped .gz behind the decoder leave this
 * process's memory (reader.c, decode_some): a 24 MiB file read to its end
 * keeps only a few MiB of it resident, and its bytes all come out. */
ParameterizedTest(bool *pipelined, reader, mapped_gzip_gives_pages_back)
{
    size_t n = 24u << 20;
    unsigned char *src = malloc(n);
    uint64_t x = 88172645463325252ull;
    for (size_t i = 0; i < n; i++) { /* xorshift: incompressible */
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        src[i] = (unsigned char)x;
    }
    size_t gl;
    unsigned char *g = gz(src, n, &gl);
    cr_assert_gt(gl, 20u << 20);
    char dir[] = "/tmp/esfmon-test-XXXXXX", path[64];
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/big.gz", dir);
    FILE *f = fopen(path, "wb");
    cr_assert(f && fwrite(g, 1, gl, f) == gl && fclose(f) == 0);

    esf_reader r;
    esf_err err;
    cr_assert_eq(esf_reader_open_path(&r, path, "big.gz", &err), ESF_OK, "%s", err.msg);
    cr_assert(r.mapped && r.gz);
    if (*pipelined) cr_assert_eq(esf_reader_pipeline(&r, 0, false, &err), ESF_OK);
    char *all;
    size_t all_len;
    cr_assert_eq(drain(&r, &all, &all_len), ESF_OK);
    cr_expect_eq(all_len, n);
    cr_expect(all_len == n && memcmp(all, src, n) == 0, "decoded bytes differ");
    long kib = mapping_rss_kib(r.src);
    cr_expect(kib >= 0 && kib < 8 * 1024, "%ld KiB of the %zu KiB file still resident", kib, gl >> 10);
    esf_reader_close(&r);
    remove(path);
    rmdir(dir);
    free(all), free(g), free(src);
}

/* A plain regular file is read into the reader's buffer, not mapped, with
 * its size known for the progress line; from stdin, a file read in part
 * counts only what is left of it.  Its bytes all come out, in order, a
 * buffer (1 MiB) at a time; a pipe is no regular file (with several
 * threads it gets a decoder thread, a file is pumped). */
Test(reader, plain_file_read_with_its_size)
{
    const size_t n = (3u << 20) + 12345; /* more than a block */
    char *src = pattern(n);
    char dir[] = "/tmp/esfmon-test-XXXXXX", path[64];
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/plain.csv", dir);
    FILE *f = fopen(path, "wb");
    cr_assert(f && fwrite(src, 1, n, f) == n && fclose(f) == 0);
    for (int from_stdin = 0; from_stdin < 2; from_stdin++) {
        const size_t skip = from_stdin ? 1000 : 0;
        int saved = -1;
        if (from_stdin) { /* stdin: the file, its first `skip` bytes read already */
            const int fd = open(path, O_RDONLY);
            cr_assert(fd >= 0 && lseek(fd, (off_t)skip, SEEK_SET) == (off_t)skip);
            saved = dup(STDIN_FILENO);
            cr_assert(saved >= 0 && dup2(fd, STDIN_FILENO) == STDIN_FILENO);
            close(fd);
        }
        esf_reader r;
        esf_err err;
        cr_assert_eq(esf_reader_open_path(&r, from_stdin ? "-" : path, "plain.csv", &err), ESF_OK,
                     "%s", err.msg);
        cr_expect(!r.mapped && !r.in_memory && !r.gz, "stdin %d: read, not mapped", from_stdin);
        cr_expect_eq(r.size, n - skip, "stdin %d", from_stdin);
        cr_expect(r.regular, "stdin %d: a regular file", from_stdin);
        char *all;
        size_t all_len;
        cr_assert_eq(drain(&r, &all, &all_len), ESF_OK);
        cr_expect(all_len == n - skip && memcmp(all, src + skip, n - skip) == 0,
                  "stdin %d: bytes differ", from_stdin);
        cr_expect_geq(drained_blocks, 3u, "stdin %d: a buffer at a time, not all at once: %u blocks", from_stdin, drained_blocks);
        esf_reader_close(&r);
        free(all);
        if (from_stdin) {
            cr_assert(dup2(saved, STDIN_FILENO) == STDIN_FILENO);
            close(saved);
        }
    }
    int fds[2], saved = dup(STDIN_FILENO);
    cr_assert(pipe(fds) == 0 && write(fds[1], "ab\n", 3) == 3 && close(fds[1]) == 0);
    cr_assert(saved >= 0 && dup2(fds[0], STDIN_FILENO) == STDIN_FILENO);
    close(fds[0]);
    esf_reader r;
    esf_err err;
    cr_assert_eq(esf_reader_open_path(&r, "-", "pipe", &err), ESF_OK, "%s", err.msg);
    cr_expect(!r.regular, "a pipe is no regular file");
    esf_reader_close(&r);
    cr_assert(dup2(saved, STDIN_FILENO) == STDIN_FILENO);
    close(saved);
    remove(path);
    rmdir(dir);
    free(src);
}
