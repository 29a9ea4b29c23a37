/* records.c - stage 2: records and cells (see records.h). */
#include "records.h"

#include <stdatomic.h>
#include <string.h>

#include "simd.h"

/* ---- which classifiers: the CPU's best, unless a test said otherwise ---- */

static atomic_int simd_cpu = -1; /* 1: AVX2, BMI1 and BMI2; 0: not; -1: not asked */
static atomic_int simd_allowed = 1;

bool esf_simd_avx2(void)
{
#if ESF_SIMD_X86
    int cpu = atomic_load_explicit(&simd_cpu, memory_order_relaxed);
    if (ESF_UNLIKELY(cpu < 0)) {
        __builtin_cpu_init();
        cpu = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
              __builtin_cpu_supports("bmi2");
        atomic_store_explicit(&simd_cpu, cpu, memory_order_relaxed);
    }
    return cpu && atomic_load_explicit(&simd_allowed, memory_order_relaxed);
#else
    return false;
#endif
}

/* the tests' switch (tests/internal.h): 0 the baseline, 1 AVX2 where the
 * CPU has it (the default) */
void esf_simd_force(int level);
void esf_simd_force(int level)
{
    atomic_store_explicit(&simd_allowed, level > 0, memory_order_relaxed);
}

static inline bool is_pad(char c, char delim)
{
    return (c == ' ' || c == '\t') && c != delim;
}

static uint64_t count_lf(const char *p, const char *end)
{
    uint64_t n = 0;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        n++;
        p++;
    }
    return n;
}

static inline void put_cell(esf_record *rec, const char *p, size_t len, bool quoted, bool escaped)
{
    if (rec->ncells < rec->cap) {
        esf_cell *c = &rec->cells[rec->ncells];
        c->p = p;
        c->len = len;
        c->quoted = quoted;
        c->escaped = escaped;
    }
    rec->ncells++;
}

/* The common line: no quote and no padding anywhere in it, so its cells are
 * exactly the runs between delimiters (a final CR is the line end's).  One
 * pass, 64 bytes at a time, finds the line feed and the delimiters: a mask
 * of delimiters and one of bytes that stop the pass (line feed, quote,
 * padding), whose lowest bit says which.  *le is the line feed, or end when
 * there is none.  Returns false, having put cells the caller must forget
 * (and *le unset), as soon as it meets a quote or padding. */
static inline __attribute__((always_inline)) bool
split_simple(const char *p, const char *end, char delim, esf_record *rec, const char **le, bool avx2)
{
    const char pad2 = delim == '\t' ? ' ' : '\t'; /* TAB pads unless it delimits */
    esf_cell *const cells = rec->cells; /* locals: no reload after each store */
    const size_t cap = rec->cap;
    size_t n = 0;
    const char *s = p, *b = p;
    for (; b < end; b += 64) {
        char tail[64];
        const char *x = esf_window64(b, end, tail);
        const esf_cls_simple k = esf_cls_simple_of(x, delim, pad2, avx2);
        uint64_t d = k.d;
        const uint64_t stop = k.stop;
        if (stop) {
            if (x[__builtin_ctzll(stop)] != '\n') return false;
            d &= (stop & (0 - stop)) - 1; /* the delimiters before the line feed */
        }
        if (ESF_LIKELY(n + 64 <= cap)) { /* room for every delimiter of the window */
            esf_cell *o = cells + n;
            for (; d; d &= d - 1, o++) {
                const char *c = b + (size_t)__builtin_ctzll(d); /* no sign extension */
                o->p = s, o->len = (size_t)(c - s), o->quoted = o->escaped = 0;
                s = c + 1;
            }
            n = (size_t)(o - cells);
        }
        for (; d; d &= d - 1) {
            const char *c = b + __builtin_ctzll(d);
            if (n < cap) cells[n] = (esf_cell){s, (size_t)(c - s), 0, 0};
            n++;
            s = c + 1;
        }
        if (stop) {
            b += __builtin_ctzll(stop);
            break;
        }
    }
    if (b > end) b = end;
    if (n < cap) cells[n] = (esf_cell){s, esf_before_cr(s, b), 0, 0};
    rec->ncells = n + 1;
    *le = b;
    return true;
}

/* The line at p, up to its first line feed, when esf_line_cells finds its
 * cells: split at the delimiters outside quotes.  False (cells to forget)
 * for any other line, for lines over 512 bytes, and for a last line without
 * a line feed. */
static inline __attribute__((always_inline)) bool
split_masked(const char *p, const char *end, char delim, esf_record *rec, bool avx2)
{
    esf_line_masks m;
    uint64_t od[ESF_LINE_WORDS];
    size_t n;
    const size_t nw = esf_line_masks_lf(&m, p, end, delim, avx2, &n);
    if (!nw) return false;
    const size_t lend = esf_before_cr(p, p + n); /* the last cell ends here */
    if (!esf_line_cells(&m, nw, lend, od)) return false;
    const char *s = p;
    for (size_t w = 0; w < nw; w++)
        for (uint64_t o = od[w]; o; o &= o - 1) {
            const char *d = p + 64 * w + __builtin_ctzll(o);
            if (*s == '"') put_cell(rec, s + 1, (size_t)(d - s) - 2, true, false);
            else put_cell(rec, s, (size_t)(d - s), false, false);
            s = d + 1;
        }
    const char *e = p + lend;
    if (s < e && *s == '"') put_cell(rec, s + 1, (size_t)(e - s) - 2, true, false);
    else put_cell(rec, s, (size_t)(e > s ? e - s : 0), false, false);
    return true;
}

static inline __attribute__((always_inline)) esf_rec_status
rec_next(const char *p, const char *end, bool eof, char delim, esf_record *rec, const char **next,
         bool avx2)
{
    rec->start = p;
    rec->nlines = 1;
    rec->bad_quote = false;
    const char *le;
    if (split_simple(p, end, delim, rec, &le, avx2)) {
        if (le == end && !eof) return REC_NEED_MORE;
    } else {
        le = memchr(p, '\n', (size_t)(end - p));
        if (!le) {
            if (!eof) return REC_NEED_MORE;
            le = end;
        }
        rec->ncells = 0;
        if (!split_masked(p, end, delim, rec, avx2)) /* (its line feed is le) */
            return esf_rec_next_general(p, le, end, eof, delim, rec, next); /* starts afresh */
    }
    rec->len = esf_before_cr(p, le);
    *next = le < end ? le + 1 : end;
    return REC_OK;
}

static esf_rec_status rec_next_base(const char *p, const char *end, bool eof, char delim,
                                    esf_record *rec, const char **next)
{
    return rec_next(p, end, eof, delim, rec, next, false);
}

ESF_TARGET_AVX2 static esf_rec_status rec_next_avx2(const char *p, const char *end, bool eof,
                                                    char delim, esf_record *rec, const char **next)
{
    return rec_next(p, end, eof, delim, rec, next, ESF_SIMD_X86);
}

esf_rec_status esf_rec_next(const char *p, const char *end, bool eof, char delim, esf_record *rec,
                            const char **next)
{
    return esf_simd_avx2() ? rec_next_avx2(p, end, eof, delim, rec, next)
                           : rec_next_base(p, end, eof, delim, rec, next);
}

esf_rec_status esf_rec_next_general(const char *p, const char *le, const char *end, bool eof,
                                char delim, esf_record *rec, const char **next)
{
    const char *pos = p;
    rec->ncells = 0;
    rec->start = p;
    rec->nlines = 1;
    rec->bad_quote = false;
    /* le: end of the current physical line; recomputed after a quoted field. */
    for (;;) {
        while (pos < le && is_pad(*pos, delim)) pos++;
        if (pos < le && *pos == '"') {
            const char *cstart = ++pos;
            bool escaped = false;
            const char *q;
            for (;;) {
                q = memchr(pos, '"', (size_t)(end - pos));
                if (!q) {
                    if (!eof) return REC_NEED_MORE;
                    rec->nlines += count_lf(cstart, end);
                    rec->len = (size_t)(end - p);
                    put_cell(rec, cstart, (size_t)(end - cstart), true, escaped);
                    *next = end;
                    return REC_QUOTE_OPEN;
                }
                if (q + 1 == end && !eof) return REC_NEED_MORE;
                if (q + 1 < end && q[1] == '"') {
                    escaped = true;
                    pos = q + 2;
                    continue;
                }
                break;
            }
            if (q >= le) {
                /* The quoted field spans line breaks. */
                rec->nlines += count_lf(cstart, q);
                le = memchr(q, '\n', (size_t)(end - q));
                if (!le) {
                    if (!eof) return REC_NEED_MORE;
                    le = end;
                }
            }
            put_cell(rec, cstart, (size_t)(q - cstart), true, escaped);
            pos = q + 1;
            while (pos < le && is_pad(*pos, delim)) pos++;
            if (pos < le && *pos == '\r' && pos + 1 == le) pos++;
            if (pos < le && *pos != delim) {
                /* Text after the closing quote: keep cell boundaries, flag it. */
                rec->bad_quote = true;
                while (pos < le && *pos != delim) pos++;
            }
        } else {
            const char *s = pos;
            while (pos < le && *pos != delim) pos++;
            const char *e = pos;
            if (pos == le && e > s && e[-1] == '\r') e--;
            while (e > s && is_pad(e[-1], delim)) e--;
            put_cell(rec, s, (size_t)(e - s), false, false);
        }
        if (pos >= le) break;
        pos++; /* the delimiter */
    }
    rec->len = esf_before_cr(p, le);
    *next = le < end ? le + 1 : end;
    return REC_OK;
}

/* esf_rec_next_general's reading of a record, as states between bytes. */
enum { SK_CELL, SK_PLAIN, SK_QUOTED, SK_QUOTE, SK_AFTER };

void esf_rec_skip_init(esf_rec_skip *s)
{
    *s = (esf_rec_skip){.state = SK_CELL, .nlines = 1};
}

const char *esf_rec_skip_some(esf_rec_skip *s, const char *p, const char *end, char delim)
{
    uint8_t st = s->state;
    const char *q = p;
    for (; q < end; q++) {
        const char c = *q;
        s->nul |= c == '\0';
        switch (st) {
        case SK_CELL: /* pads, then a quote opens the cell */
            if (c == '\n') goto done;
            if (c == '"') st = SK_QUOTED;
            else if (c != delim && !is_pad(c, delim)) st = SK_PLAIN;
            break;
        case SK_PLAIN: /* an unquoted cell and text after a closing quote */
        case SK_AFTER:
            if (c == '\n') goto done;
            if (c == delim) st = SK_CELL;
            break;
        case SK_QUOTED:
            if (c == '"') st = SK_QUOTE;
            else s->nlines += c == '\n';
            break;
        default: /* SK_QUOTE: a doubled quote, or the cell's end */
            if (c == '\n') goto done;
            st = c == '"' ? SK_QUOTED : c == delim ? SK_CELL : SK_AFTER;
            break;
        }
    }
    s->state = st;
    s->bytes += (uint64_t)(q - p);
    return NULL;
done:
    s->state = SK_CELL;
    s->bytes += (uint64_t)(q + 1 - p);
    return q + 1;
}

bool esf_rec_skip_quote_open(const esf_rec_skip *s)
{
    return s->state == SK_QUOTED;
}

char esf_rec_detect_delimiter(const char *p, const char *end)
{
    static const char cand[] = ESF_DELIMITERS;
    enum { N = sizeof cand - 1 };
    size_t count[N] = {0};
    bool inq = false;
    /* the first physical line only, even inside quotes: what follows it
     * differs with the block the header is read from */
    for (; p < end && *p != '\n'; p++) {
        char c = *p;
        if (c == '"') inq = !inq;
        else if (!inq)
            for (int i = 0; i < N; i++) count[i] += (c == cand[i]);
    }
    int best = 0;
    for (int i = 1; i < N; i++)
        if (count[i] > count[best]) best = i;
    return cand[best];
}

size_t esf_cell_unescape(const esf_cell *c, char *dst)
{
    size_t o = 0;
    for (size_t i = 0; i < c->len; i++) {
        dst[o++] = c->p[i];
        if (c->p[i] == '"' && i + 1 < c->len && c->p[i + 1] == '"') i++;
    }
    return o;
}
