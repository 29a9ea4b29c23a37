/* helpers.h - small shared shapes for the Criterion tests. */
#ifndef ESF_TEST_HELPERS_H
#define ESF_TEST_HELPERS_H

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "esfmon.h"

#define VIEW(s) ((esf_view){(s), strlen(s)})

/* Finishes a run whose inputs are added, frees it, and returns its output in
 * fmt with disclosure control dc (may be NULL), malloc'd.  (Not inlined:
 * GCC 12 at -O3 takes the stream's buffer, set through &buf, for a pointer
 * to buf itself and warns of a dangling pointer, -Wdangling-pointer.) */
static __attribute__((noinline, unused)) char *finish_fmt(esf_run *run, esf_format fmt,
                                                     const esf_disclosure *dc)
{
    cr_assert_eq(esf_run_finish(run), ESF_OK, "%s", esf_run_error(run));
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    cr_assert_eq(esf_run_write(run, fmt, dc, f), ESF_OK, "%s", esf_run_error(run));
    fclose(f);
    esf_run_free(run);
    return buf;
}

/* Runs the whole library on one in-memory input and returns its output in
 * fmt with disclosure control dc (may be NULL), malloc'd.  Asserts that every
 * step succeeds. */
static inline char *run_fmt(const char *input, size_t len, const esf_options *opts, esf_format fmt,
                            const esf_disclosure *dc)
{
    esf_options o = {0};
    if (opts) o = *opts;
    esf_run *run;
    cr_assert_eq(esf_run_new(&o, &run), ESF_OK);
    cr_assert_eq(esf_run_add_memory(run, "mem.csv", input, len), ESF_OK, "%s", esf_run_error(run));
    return finish_fmt(run, fmt, dc);
}

static inline char *run_csv(const char *input, size_t len, const esf_options *opts)
{
    return run_fmt(input, len, opts, ESF_FORMAT_CSV, NULL);
}

/* The value of one cell in CSV output, "" when absent (static buffer). */
static inline const char *cell(const char *csv, const char *key)
{
    static char val[64];
    size_t kl = strlen(key);
    for (const char *p = csv; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, key, kl) == 0 && p[kl] == ',') {
            const char *v = p + kl + 1, *e = strchr(v, '\n');
            snprintf(val, sizeof val, "%.*s", (int)(e ? e - v : (long)strlen(v)), v);
            return val;
        }
    val[0] = '\0';
    return val;
}

/* An extract of n uwv persons in project P, all finished, inactief at start,
 * k of them werkzaam at the end (malloc'd, length in *len). */
static inline char *uwv_extract(int n, int k, size_t *len)
{
    size_t cap = 64 + (size_t)n * 64;
    char *s = malloc(cap);
    size_t o = (size_t)snprintf(s, cap, "rinpersoon,project,aanvrager,geslacht,start,eind,positie_start,positie_eind\n");
    for (int i = 0; i < n; i++)
        o += (size_t)snprintf(s + o, cap - o, "%d,P,uwv,%s,20150101,20150601,inactief,%s\n", i,
                              i % 3 ? "m" : "v", i < k ? "werkzaam" : "inactief");
    *len = o;
    return s;
}

/* gzip-compresses src into a malloc'd buffer. */
static inline unsigned char *gz(const void *src, size_t n, size_t *out_len)
{
    z_stream z = {0};
    cr_assert_eq(deflateInit2(&z, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, (uLong)n) + 64;
    unsigned char *out = malloc(cap);
    z.next_in = (Bytef *)(uintptr_t)src;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    *out_len = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

#define expect_cell(csv, key, want) cr_expect_str_eq(cell((csv), (key)), (want), "cell %s", (key))

#endif
