/* Stages 2 and 3 at once (scan.c): esf_row_scan against esf_rec_next and
 * esf_row_parse, which it must agree with on every line it takes, and take
 * every plain line they accept, and most lines with quotes or padding
 * inside a cell. */
#include "helpers.h"
#include "internal.h"
#include "records.h"
#include "rows.h"
#include "scan.h"
#include "simd.h"

/* A value for column col: valid ones mostly, and every way to be rejected. */
static const char *value_for(int col, uint64_t r)
{
    static const char *const ids[] = {"R", "", "X", "123456789", "R123", "ABCDEFGHI"};
    static const char *const idn[] = {"000012345", "387432834", "12", "abc", "123456789012345678901234567890123"};
    static const char *const prj[] = {"AMR21-GEM", "P", "UWV-01", "JENV 7",
                                      "0123456789012345678901234567890123456789012345678901234567890123456789"};
    static const char *const aanv[] = {"gemeente", "UWV", "vso/pro", "jenv", "Gemeente", "bank"};
    static const char *const dg[] = {"uitkering_6m", "jongere|oudere", "TBS", "jji + cji", "x", "uwv_breed"};
    static const char *const sex[] = {"man", "vrouw", "M", "2", "?", "onbekend"};
    static const char *const dates[] = {"20170516", "2016-05-27", "19771117", "201501", "20150229", "20991231",
                                        "2018-13-01", "18991231"};
    static const char *const pos[] = {"werkzaam", "niet_werkzaam", "niet-werkzaam", "INACTIEF", "onbekend", "w"};
    static const char *const con[] = {"vast", "tijdelijk", "o", "B", "flex"};
    static const char *const num[] = {"0", "32", "12,5", "168", "169", "1.25", "x1", "15.1234567891"};
    static const char *const bools[] = {"nee", "ja", "0", "1", "J", "N", "misschien"};
    /* each list holds its valid values first: mostly one of those two */
#define PICK(a) (a)[any ? r % (sizeof(a) / sizeof *(a)) : r % 2]
    if (r % 16 == 0) return ""; /* empty: the default, or verplicht_leeg */
    const bool any = r % 16 == 1;
    r /= 16;
    switch (col) {
    case COL_RINPERSOONS: return PICK(ids);
    case COL_RINPERSOON: return PICK(idn);
    case COL_PROJECT: return PICK(prj);
    case COL_AANVRAGER: return PICK(aanv);
    case COL_DOELGROEP: return PICK(dg);
    case COL_GESLACHT: return PICK(sex);
    case COL_GEBOORTEDATUM: case COL_START: case COL_EIND: case COL_EIND_PROJECT: return PICK(dates);
    case COL_POSITIE_START: case COL_POSITIE_EIND: case COL_POSITIE_12M: return PICK(pos);
    case COL_CONTRACT_START: case COL_CONTRACT_EIND: case COL_CONTRACT_12M: return PICK(con);
    case COL_UREN_START: case COL_UREN_EIND: case COL_UREN_12M:
    case COL_UURLOON_START: case COL_UURLOON_EIND: case COL_UURLOON_12M: return PICK(num);
    case COL_COUNT: return r % 3 ? "vrije_tekst" : "a,b;c|d\te"; /* splits unless quoted */
    default: return PICK(bools);
    }
#undef PICK
}

static void expect_same_row(const esf_row *a, const esf_row *b, const char *line)
{
    const esf_view *va[3] = {&a->rinpersoons, &a->rinpersoon, &a->project};
    const esf_view *vb[3] = {&b->rinpersoons, &b->rinpersoon, &b->project};
    for (int i = 0; i < 3; i++)
        cr_assert(va[i]->len == vb[i]->len && memcmp(va[i]->p, vb[i]->p, va[i]->len) == 0,
                  "identifier %d of %s", i, line);
    const esf_traj *x = &a->t, *y = &b->t;
    cr_assert(x->project == y->project && x->geb == y->geb && x->start == y->start &&
                  x->eind == y->eind && x->eind_project == y->eind_project &&
                  x->doelgroep == y->doelgroep && x->aanvrager == y->aanvrager &&
                  x->geslacht == y->geslacht,
              "%s", line);
    for (int m = 0; m < M_COUNT; m++)
        cr_assert(x->pos[m] == y->pos[m] && x->contract[m] == y->contract[m] && x->srg[m] == y->srg[m] &&
                      x->onderwijs[m] == y->onderwijs[m] && x->uren[m] == y->uren[m] &&
                      x->uurloon[m] == y->uurloon[m],
                  "moment %d of %s", m, line);
}

/* Headers: canonical; reversed with a column esfmon does not read; the
 * required columns only; each with its delimiter. */
static size_t make_header(int kind, char delim, int cols[40], char *buf)
{
    size_t n = 0;
    if (kind == 0)
        for (int c = 0; c < COL_COUNT; c++) cols[n++] = c;
    else if (kind == 1) {
        for (int c = COL_COUNT - 1; c >= 0; c--) cols[n++] = c;
        cols[n++] = COL_COUNT;
    } else {
        const int req[] = {COL_PROJECT, COL_RINPERSOON, COL_START, COL_AANVRAGER, COL_EIND};
        for (size_t i = 0; i < ESF_ARRAY_SIZE(req); i++) cols[n++] = req[i];
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (i) buf[o++] = delim;
        const char *name = cols[i] == COL_COUNT ? "toelichting" : esf_col_names[cols[i]];
        memcpy(buf + o, name, strlen(name));
        o += strlen(name);
    }
    buf[o++] = '\n';
    buf[o] = 0;
    return n;
}

Test(scan, agrees_with_split_and_parse)
{
    static const char delims[] = ",;\t|";
    esf_cell cells[64];
    char line[1200], hdr[600];
    uint64_t x = 0x9E3779B97F4A7C15ull;
    int taken = 0, plain_accepted = 0, slow_only = 0, masked = 0;
    for (int iter = 0; iter < 60000; iter++) {
        esf_simd_force(iter & 1); /* the baseline and, where the CPU has it, AVX2 */
        const char delim = delims[(iter >> 1) % 4];
        int cols[40];
        const size_t ncols = make_header((iter >> 3) % 3, delim, cols, hdr);
        esf_record rec = {.cells = cells, .cap = 64};
        const char *next;
        esf_err err;
        esf_header h = {.delim = delim};
        cr_assert_eq(esf_rec_next(hdr, hdr + strlen(hdr), true, delim, &rec, &next), REC_OK);
        cr_assert_eq(esf_header_parse(&h, &rec, NULL, 0, "t", 1, &err), ESF_OK, "%s", err.msg);
        /* a line: values by column, now and then quoted, quoted with a
         * doubled quote, "" for a value, padded before or after, a CR, a
         * cell too many or too few */
        size_t o = 0;
        const size_t ncells = ncols + (x % 41 == 0) - (x % 43 == 0);
        for (size_t i = 0; i < ncells; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            if (i) line[o++] = delim;
            const char *v = value_for(i < ncols ? cols[i] : COL_COUNT, x >> 3);
            const unsigned twist = (unsigned)(x >> 58);
            if (twist == 3) v = "\"\"";
            if (twist == 0 || twist == 2) line[o++] = '"';
            if (twist == 1) line[o++] = ' ';
            memcpy(line + o, v, strlen(v));
            o += strlen(v);
            if (twist == 2) line[o++] = '"', line[o++] = '"';
            if (twist == 4) line[o++] = ' ';
            if (twist == 0 || twist == 2) line[o++] = '"';
        }
        if (x % 7 == 0) line[o++] = '\r';
        const bool lf = x % 29 != 0;
        if (lf) line[o++] = '\n';
        const char *end = line + o;
        esf_row fast, slow;
        const char *fnext = NULL;
        const bool took = esf_row_scan(&h, line, end, &fast, &fnext);
        line[o] = 0;
        const esf_rec_status st = esf_rec_next(line, end, true, delim, &rec, &next);
        esf_rowerr e;
        char scratch[ROW_SCRATCH];
        const bool ok = st != REC_NEED_MORE && esf_row_parse(&h, &rec, st, &slow, &e, scratch);
        const bool plain = lf && !memchr(line, '"', o) && !memchr(line, ' ', o) &&
                           (delim == '\t' || !memchr(line, '\t', o));
        if (took) {
            taken++;
            masked += !plain;
            cr_assert(ok, "scan took a line the parser rejects (%s): %s", esf_reject_name(e.reason), line);
            cr_assert_eq(fnext, next, "%s", line);
            cr_assert_eq(rec.nlines, 1);
            expect_same_row(&fast, &slow, line);
        } else if (ok) {
            cr_assert(!plain, "a plain line the parser accepts, not taken: %s", line);
            slow_only++;
        }
        plain_accepted += ok && plain;
    }
    esf_simd_force(1);
    cr_log_info("scan took %d lines (%d with quotes or padding), the parser alone %d", taken,
                masked, slow_only);
    cr_expect_eq(taken - masked, plain_accepted);
    cr_expect_gt(masked, 1000, "scan took %d lines with quotes or padding", masked);
    cr_expect_gt(taken, 3000, "scan took %d lines", taken);
    cr_expect_gt(slow_only, 300, "lines only the parser takes: %d", slow_only);
}
