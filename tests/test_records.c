/* Stage 2: records and cells, over the dialect cases of SPEC §2.1. */
#include "helpers.h"
#include "internal.h"
#include "records.h"
#include "simd.h"

typedef struct {
    const char *in;
    char delim;
    int ncells;
    const char *cells[5];
    int quoted_mask;
    unsigned nlines;
    bool bad_quote;
} rec_case;

ParameterizedTestParameters(records, dialects)
{
    static rec_case cases[] = {
        {"a,b,c\n", ',', 3, {"a", "b", "c"}, 0, 1, false},
        {"a;b;c\r\n", ';', 3, {"a", "b", "c"}, 0, 1, false},
        {"a\tb\t c \n", '\t', 3, {"a", "b", "c"}, 0, 1, false},       /* TAB delimits, spaces still trimmed */
        {"a\t\tb\n", '\t', 3, {"a", "", "b"}, 0, 1, false},            /* TAB is not padding when it delimits */
        {"  a  | b|c  \n", '|', 3, {"a", "b", "c"}, 0, 1, false},      /* unquoted padding trimmed */
        {"\"a,b\",c\n", ',', 2, {"a,b", "c"}, 1, 1, false},            /* delimiter inside quotes */
        {"\" a \" ,c\n", ',', 2, {" a ", "c"}, 1, 1, false},           /* quoted content verbatim, outer spaces trimmed */
        {"\"a\"\"b\",c\n", ',', 2, {"a\"\"b", "c"}, 1, 1, false},      /* doubled quote (unescaped on demand) */
        {"\"a\nb\",c\r\n", ',', 2, {"a\nb", "c"}, 1, 2, false},        /* line break inside quotes */
        {"a,,\"\"\n", ',', 3, {"a", "", ""}, 4, 1, false},             /* empty and quoted-empty */
        {"a,b", ',', 2, {"a", "b"}, 0, 1, false},                      /* no final line break */
        {"a,\"b\"\r", ',', 2, {"a", "b"}, 2, 1, false},                /* CR at end of input */
        {"\"a\"x,b\n", ',', 2, {"a", "b"}, 1, 1, true},                /* text after closing quote */
        {"a\"b,c\n", ',', 2, {"a\"b", "c"}, 0, 1, false},              /* a quote inside an unquoted field is data */
        {"   \n", ',', 1, {""}, 0, 1, false},                          /* blank line: one empty cell */
    };
    return cr_make_param_array(rec_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(rec_case *c, records, dialects)
{
    esf_cell cells[8];
    esf_record rec = {.cells = cells, .cap = 8};
    const char *next;
    size_t len = strlen(c->in);
    cr_assert_eq(esf_rec_next(c->in, c->in + len, true, c->delim, &rec, &next), REC_OK);
    cr_assert_eq(rec.ncells, (uint32_t)c->ncells, "%s", c->in);
    for (int i = 0; i < c->ncells; i++) {
        cr_expect_eq(cells[i].len, strlen(c->cells[i]), "cell %d of %s", i, c->in);
        cr_expect_eq(memcmp(cells[i].p, c->cells[i], cells[i].len), 0, "cell %d of %s", i, c->in);
        cr_expect_eq(cells[i].quoted, (c->quoted_mask >> i) & 1, "quoted %d of %s", i, c->in);
    }
    cr_expect_eq(rec.nlines, c->nlines);
    cr_expect_eq(rec.bad_quote, c->bad_quote);
    cr_expect_eq(next, c->in + len);
}

Test(records, need_more_until_eof)
{
    esf_cell cells[8];
    esf_record rec = {.cells = cells, .cap = 8};
    const char *next;
    const char *s = "a,\"b\nc";
    cr_expect_eq(esf_rec_next(s, s + 3, false, ',', &rec, &next), REC_NEED_MORE);
    cr_expect_eq(esf_rec_next(s, s + strlen(s), false, ',', &rec, &next), REC_NEED_MORE);
    cr_expect_eq(esf_rec_next(s, s + strlen(s), true, ',', &rec, &next), REC_QUOTE_OPEN);
    /* A quote as the last byte may be the first half of "": wait for more. */
    const char *t = "\"a\"";
    cr_expect_eq(esf_rec_next(t, t + 3, false, ',', &rec, &next), REC_NEED_MORE);
}

Test(records, counts_cells_beyond_capacity)
{
    esf_cell cells[2];
    esf_record rec = {.cells = cells, .cap = 2};
    const char *next, *s = "a,b,c,d\n";
    cr_assert_eq(esf_rec_next(s, s + strlen(s), true, ',', &rec, &next), REC_OK);
    cr_expect_eq(rec.ncells, 4);
}

Test(records, unescape)
{
    esf_cell c = {.p = "a\"\"b\"\"", .len = 6, .quoted = 1, .escaped = 1};
    char out[8];
    size_t n = esf_cell_unescape(&c, out);
    cr_expect_eq(n, 4);
    cr_expect_eq(memcmp(out, "a\"b\"", 4), 0);
}

typedef struct {
    const char *header;
    char want;
} delim_case;

ParameterizedTestParameters(records, delimiter_detection)
{
    static delim_case cases[] = {
        {"a,b,c\n", ','},         {"a;b;c\n", ';'},       {"a\tb\tc\n", '\t'},
        {"a|b|c\n", '|'},         {"a;b,c;d\n", ';'},     {"\"a;b;c\",d,e\n", ','},
        {"a,b;c\nx;y;z;w\n", ','}, {"abc\n", ','},        {"a;b,c", ','} /* tie: first in order */,
        /* a quote open at the line feed: the next line does not count, so
         * the answer does not depend on how much of the input is at hand */
        {"a;b\"c\nx\",,,\n", ';'}};
    return cr_make_param_array(delim_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(delim_case *c, records, delimiter_detection)
{
    cr_expect_eq(esf_rec_detect_delimiter(c->header, c->header + strlen(c->header)), c->want, "%s",
                 c->header);
}

/* One random line for the test below: bytes over the characters that matter,
 * or only letters and delimiters, or cells quoted as extracts quote them (a
 * few broken on purpose); lengths up to 200 cross several 64-byte windows. */
static size_t random_line(uint64_t *x, char *buf, size_t cap, char delim)
{
    static const char alphabet[] = "ab,;|\t \"\r\n";
#define NEXT() (*x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17)
    NEXT();
    const size_t n = (size_t)(*x % cap);
    const int mode = (int)((*x >> 16) % 6);
    if (mode >= 4) { /* quoted cells */
        size_t i = 0;
        while (i + 8 < n) {
            NEXT();
            const int k = (int)(*x % 128); /* 0-59 quoted, 60-63 broken, others plain */
            if (k < 60) buf[i++] = '"';
            if (k == 60) buf[i++] = ' ';
            for (int j = (int)((*x >> 8) % 5); j > 0; j--) {
                const size_t c = (size_t)((*x >> (12 + 3 * j)) % 8);
                buf[i++] = k < 60 ? "ab a,b\ta"[c] : k == 61 ? "ab\"a\"b a"[c] : 'a';
            }
            if (k < 60) buf[i++] = '"';
            if (k == 62) buf[i++] = ' ';
            if (k == 63) buf[i++] = '\r';
            buf[i++] = delim;
        }
        return i;
    }
    for (size_t i = 0; i < n; i++) {
        NEXT();
        buf[i] = mode ? (*x % 3 ? 'a' : delim) : alphabet[*x % (sizeof alphabet - 1)];
    }
#undef NEXT
    return n;
}

/* The fast paths (lines without quotes or padding; lines whose quoted cells
 * close on the line) against the general splitter. */
Test(records, fast_path_agrees_with_general)
{
    static const char delims[] = ",;\t|";
    esf_cell c1[80], c2[80];
    char buf[208];
    uint64_t x = 0x9e3779b97f4a7c15u;
    int simple = 0;
    for (int iter = 0; iter < 300000; iter++) {
        esf_simd_force(iter & 1); /* the baseline and, where the CPU has it, AVX2 */
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        char delim = delims[(x >> 8) % 4];
        bool eof = (x >> 12) & 1;
        size_t n = random_line(&x, buf, 200, delim);
        esf_record r1 = {.cells = c1, .cap = 80}, r2 = {.cells = c2, .cap = 80};
        const char *n1 = NULL, *n2 = NULL;
        const char *le = memchr(buf, '\n', n);
        esf_rec_status s1 = esf_rec_next(buf, buf + n, eof, delim, &r1, &n1);
        if (!le && !eof) {
            cr_assert_eq(s1, REC_NEED_MORE);
            continue;
        }
        esf_rec_status s2 = esf_rec_next_general(buf, le ? le : buf + n, buf + n, eof, delim, &r2, &n2);
        cr_assert_eq(s1, s2, "status, case %d", iter);
        if (s1 == REC_NEED_MORE) continue;
        simple += !memchr(buf, '"', n);
        cr_assert_eq(r1.ncells, r2.ncells, "cells, case %d", iter);
        cr_assert_eq(r1.len, r2.len, "case %d", iter);
        cr_assert_eq(r1.nlines, r2.nlines, "case %d", iter);
        cr_assert_eq(r1.bad_quote, r2.bad_quote, "case %d", iter);
        cr_assert_eq(n1, n2, "next, case %d", iter);
        for (size_t i = 0; i < r1.ncells && i < 80; i++) {
            cr_assert_eq(c1[i].p, c2[i].p, "cell %zu, case %d", i, iter);
            cr_assert_eq(c1[i].len, c2[i].len, "cell %zu, case %d", i, iter);
            cr_assert_eq(c1[i].quoted, c2[i].quoted, "cell %zu, case %d", i, iter);
            cr_assert_eq(c1[i].escaped, c2[i].escaped, "cell %zu, case %d", i, iter);
        }
    }
    esf_simd_force(1);
    cr_expect_gt(simple, 50000, "the fast path was exercised");
}

#if ESF_SIMD_X86
ESF_TARGET_AVX2 static esf_cls_simple simple_avx2(const char *x, char delim, char pad2)
{
    return esf_cls_simple_avx2(x, delim, pad2);
}

ESF_TARGET_AVX2 static esf_cls_line line_avx2(const char *x, char delim, char pad2)
{
    return esf_cls_line_avx2(x, delim, pad2);
}
#endif

/* simd.h: each classifier against the byte loop, on windows of the bytes
 * that matter (delimiters, quote, padding, line ends) and others. */
Test(records, classifiers_agree_with_byte_loop)
{
    static const char bytes[] = ",;\t| \"\n\rab\0\x80\xff";
    static const char delims[] = ",;\t|";
    uint64_t x = 0x2545F4914F6CDD1Dull;
    char w[64];
    int avx2 = 0;
#if ESF_SIMD_X86
    __builtin_cpu_init();
    avx2 = __builtin_cpu_supports("avx2");
#endif
    for (int iter = 0; iter < 20000; iter++) {
        for (int i = 0; i < 64; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            w[i] = bytes[x % (sizeof bytes - 1)];
        }
        const char delim = delims[iter % 4], pad2 = delim == '\t' ? ' ' : '\t';
        const esf_cls_simple rs = esf_cls_simple_scalar(w, delim, pad2);
        const esf_cls_line rl = esf_cls_line_scalar(w, delim, pad2);
        cr_assert_neq(rs.d | rs.stop, 0, "windows hold the bytes that matter");
#if ESF_SIMD_X86
        const esf_cls_simple s2 = esf_cls_simple_sse2(w, delim, pad2);
        const esf_cls_line l2 = esf_cls_line_sse2(w, delim, pad2);
        cr_assert(s2.d == rs.d && s2.stop == rs.stop, "sse2 simple, case %d", iter);
        cr_assert(l2.d == rl.d && l2.q == rl.q && l2.pad == rl.pad && l2.nl == rl.nl, "sse2 line, case %d", iter);
        if (avx2) {
            const esf_cls_simple s3 = simple_avx2(w, delim, pad2);
            const esf_cls_line l3 = line_avx2(w, delim, pad2);
            cr_assert(s3.d == rs.d && s3.stop == rs.stop, "avx2 simple, case %d", iter);
            cr_assert(l3.d == rl.d && l3.q == rl.q && l3.pad == rl.pad && l3.nl == rl.nl, "avx2 line, case %d", iter);
        }
#endif
    }
    cr_log_info("classifiers checked: scalar, sse2%s", avx2 ? ", avx2" : "");
}

/* Lines the random ones above rarely draw: quoted cells that start, end or
 * hold a delimiter across 64-byte windows, behind a first cell of up to 140
 * letters or padding (then only esf_rec_next can split it). */
Test(records, quoted_fast_path_across_windows)
{
    char line[400];
    const char *tails[] = {"a,\"b\",c\n", "\"x,y\",\"z z\",\"\"\n",
                           "\"" "0123456789012345678901234567890123456789012345678901234567890123456789" "\",q\n"};
    for (size_t i = 0; i < 160; i++)
        for (size_t t = 0; t < 3; t++) {
            esf_simd_force((int)(i / 80)); /* the baseline, then AVX2 where the CPU has it */
            const bool padding = i % 80 >= 40;
            const size_t pad = (i % 40) * 7;
            memset(line, padding ? ' ' : 'a', pad);
            line[pad] = ',';
            strcpy(line + pad + 1, tails[t]);
            const size_t n = strlen(line);
            esf_cell c1[8], c2[8];
            esf_record r1 = {.cells = c1, .cap = 8}, r2 = {.cells = c2, .cap = 8};
            const char *n1, *n2;
            cr_assert_eq(esf_rec_next(line, line + n, true, ',', &r1, &n1), REC_OK);
            cr_assert_eq(esf_rec_next_general(line, line + n - 1, line + n, true, ',', &r2, &n2), REC_OK);
            cr_assert_eq(r1.ncells, r2.ncells, "pad %zu, tail %zu", pad, t);
            for (size_t k = 0; k < r1.ncells; k++) {
                cr_assert_eq(c1[k].p, c2[k].p, "pad %zu, tail %zu, cell %zu", pad, t, k);
                cr_assert_eq(c1[k].len, c2[k].len, "pad %zu, tail %zu, cell %zu", pad, t, k);
                cr_assert_eq(c1[k].quoted, c2[k].quoted, "pad %zu, tail %zu, cell %zu", pad, t, k);
            }
        }
}

/* A record too long to hold is skipped a block at a time (esf_rec_skip):
 * it must end where esf_rec_next_general ends it, with the same lines and
 * the same open quote at the end of the input, however the bytes are cut.
 * Random records over the bytes that matter (quotes, delimiters, pads, CR,
 * LF, NUL), cut at random places. */
Test(records, skip_ends_a_record_where_the_parser_does)
{
    static const char alphabet[] = "a\",\",\n \t\r;\0";
    uint64_t seed = 0x9e3779b97f4a7c15u;
    esf_cell cells[64];
    for (int trial = 0; trial < 20000; trial++) {
        char buf[48];
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        const size_t n = 1 + (size_t)(seed >> 59) + (size_t)(seed >> 60);
        const char delim = (seed >> 20) & 1 ? ',' : ';';
        for (size_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            buf[i] = alphabet[(seed >> 33) % (sizeof alphabet - 1)];
        }
        esf_record rec = {.cells = cells, .cap = 64};
        const char *next;
        const esf_rec_status st = esf_rec_next_general(buf, memchr(buf, '\n', n) ? (const char *)memchr(buf, '\n', n) : buf + n,
                                                       buf + n, true, delim, &rec, &next);
        esf_rec_skip sk;
        esf_rec_skip_init(&sk);
        const char *end = NULL;
        size_t cut = 1 + (size_t)(seed >> 40) % n, at = 0;
        while (!end && at < n) { /* two pieces at most, cut anywhere */
            const size_t to = at < cut ? cut : n;
            end = esf_rec_skip_some(&sk, buf + at, buf + to, delim);
            at = to;
        }
        const char *want = st == REC_QUOTE_OPEN ? NULL : next;
        if (want == buf + n && (n == 0 || buf[n - 1] != '\n')) want = NULL; /* ends with the input */
        cr_assert_eq(end, want, "trial %d: '%.*s' (delim %c): skip ends at %td, parser at %td", trial, (int)n, buf,
                     delim, end ? end - buf : -1, want ? want - buf : -1);
        cr_assert_eq(sk.nlines, rec.nlines, "trial %d: lines %llu, parser %llu", trial,
                     (unsigned long long)sk.nlines, (unsigned long long)rec.nlines);
        cr_assert_eq(esf_rec_skip_quote_open(&sk), !end && st == REC_QUOTE_OPEN, "trial %d", trial);
        cr_assert_eq(sk.nul, memchr(buf, '\0', (size_t)((end ? end : buf + n) - buf)) != NULL, "trial %d", trial);
    }
}
