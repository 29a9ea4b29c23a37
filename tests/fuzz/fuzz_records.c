/* libFuzzer: the record splitter.  The first byte picks the delimiter; the
 * rest is split into records once whole (eof), once fed in two parts the
 * way the reader does (NEED_MORE, then the rest), and once the way the
 * parallel splitter of block.c does, in ranges of 1-64 bytes (the second
 * byte): all must agree (the first byte's top bit: with the baseline
 * classifiers of simd.h, or AVX2 where the CPU has it), every cell must lie inside the input, and every
 * call must make progress. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "records.h"
#include "simd.h"

#define CAP 64

typedef struct {
    size_t start, len, ncells;
    uint64_t nlines;
    int st;
} rec_sum;

static size_t split_all(const char *d, size_t n, size_t feed, char delim, rec_sum *out, size_t max)
{
    esf_cell cells[CAP];
    esf_record rec = {.cells = cells, .cap = CAP};
    size_t k = 0, avail = feed;
    const char *p = d;
    while (p < d + n && k < max) {
        bool eof = avail == n;
        const char *next;
        esf_rec_status st = esf_rec_next(p, d + avail, eof, delim, &rec, &next);
        if (st == REC_NEED_MORE) {
            if (eof) abort(); /* never at eof */
            avail = n;
            continue;
        }
        if (next <= p || next > d + avail) abort();
        for (size_t i = 0; i < rec.ncells && i < CAP; i++)
            if (cells[i].p < d || cells[i].p + cells[i].len > d + avail) abort();
        if (rec.nlines < 1 || rec.start != p) abort();
        out[k++] = (rec_sum){(size_t)(p - d), rec.len, rec.ncells, rec.nlines, st};
        p = next;
    }
    return k;
}

/* block.c's ranges: range k takes the records that start in [its start, its
 * end), its start guessed (esf_rec_guess) and split from there at once; the
 * guess stands when the range before stopped there, else the range is
 * split again from where it stopped.  *wrong counts the guesses that did not
 * stand. */
static size_t split_ranges(const char *d, size_t n, size_t range, char delim, rec_sum *out,
                           size_t *wrong)
{
    esf_cell cells[CAP];
    esf_record rec = {.cells = cells, .cap = CAP};
    rec_sum *spec = malloc((n + 1) * sizeof *spec);
    size_t k = 0;
    const char *stop = d;
    for (size_t from = 0; from < n; from += range) {
        const char *to = d + (from + range < n ? from + range : n);
        for (int again = 0; again < 2; again++) {
            const char *p = from && !again ? esf_rec_guess(d + from, d + n) : stop;
            size_t m = 0;
            while (p < to) {
                const char *next;
                esf_rec_status st = esf_rec_next(p, d + n, true, delim, &rec, &next);
                if (st == REC_NEED_MORE || next <= p) abort();
                spec[m++] = (rec_sum){(size_t)(p - d), rec.len, rec.ncells, rec.nlines, st};
                p = next;
            }
            const bool stands = !from || again || esf_rec_guess(d + from, d + n) == stop;
            if (!stands) {
                (*wrong)++;
                continue;
            }
            memcpy(out + k, spec, m * sizeof *spec);
            k += m;
            stop = p;
            break;
        }
    }
    free(spec);
    return k;
}

static void same(const rec_sum *a, size_t na, const rec_sum *b, size_t nb)
{
    if (na != nb) abort();
    for (size_t i = 0; i < na; i++) /* field by field: the struct has padding */
        if (a[i].start != b[i].start || a[i].len != b[i].len || a[i].ncells != b[i].ncells ||
            a[i].nlines != b[i].nlines || a[i].st != b[i].st)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[4] = {',', ';', '\t', '|'};
    if (size < 2) return 0;
    char delim = delims[data[0] & 3];
    esf_simd_force(data[0] >> 7); /* the baseline classifiers, or AVX2 where there */
    size_t split = data[1] % (size - 1);
    const char *d = (const char *)data + 2;
    size_t n = size - 2;
    rec_sum *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * sizeof *b);
    size_t na = split_all(d, n, n, delim, a, n + 1);
    size_t nb = split_all(d, n, split < n ? split : n, delim, b, n + 1);
    same(a, na, b, nb);
    size_t wrong = 0;
    nb = split_ranges(d, n, 1 + data[1] % 64, delim, b, &wrong);
    same(a, na, b, nb);
    (void)esf_rec_detect_delimiter(d, d + n);
    free(a);
    free(b);
    return 0;
}
