/* state.h - the inside of a run: the state run.c owns (struct esf_run) and
 * a thread's parser over a range of records (esf_pass), which the files
 * of this folder share.  Each file's functions are in its own header, so
 * that who calls whom shows in the includes:
 *
 *   run.c ──> block.c ──> pass.c ──> rejects.c
 *     │           └─────> headers.c, rejects.c
 *     └─────> headers.c, rejects.c
 */
#ifndef ESF_RUN_STATE_H
#define ESF_RUN_STATE_H

#include "input/input.h"
#include "tabulate/tabulate.h"

#define MAX_THREADS ESF_MAX_PARTS

/* Rejects found by a worker thread are kept as marks and reported in input
 * order on the calling thread once the round's lines are known (block.c). */
typedef struct {
    uint64_t off;  /* record start, from the start of the block           */
    uint64_t len;  /* the record's bytes with its line end                */
    uint64_t line;
    uint32_t hv;   /* the header it was read under (esf_pass.hdrs)           */
} rej_mark;

/* The calling thread's pass over an input (the run's counters, the
 * progress line, pages given back, the file's headers), or a parser's over
 * its range of a block (block.c). */
typedef struct esf_pass esf_pass;
typedef struct esf_blocks esf_blocks;
struct esf_pass {
    esf_run *r;
    esf_counts *counts;
    esf_err *err;
    esf_record rec;
    uint64_t nscan;                  /* records passed (counted or not)   */
    bool defer;                      /* keep rejects as marks             */
    const char *base;                /* the block the marks point into    */
    rej_mark *marks;
    size_t nmarks, marks_cap;
    void (*tick)(esf_pass *pt, const char *pos); /* every 64 Ki records       */
    esf_reader *rd;
    const char *data;
    esf_header *hdrs;                /* the file's headers so far: the first
                                        and each header line again (SPEC §2.1);
                                        a parser's: those of its range    */
    uint32_t nhdrs;
    size_t hdrs_cap;
};

struct esf_run {
    esf_options opts;
    esf_column_map *columns; /* a copy of opts.columns (the array; its strings
                                stay the caller's until esf_run_free) */
    esf_agg *parts;          /* one per partition of the persons (pkey_part) */
    unsigned nparts;
    esf_counts counts;
    esf_err err;
    esf_cell *cells;
    uint32_t cells_cap;
    unsigned nthreads;
    uint64_t scanned;        /* records of the inputs done, for the progress line */
    bool failed;             /* an input failed: counts are partial */
    uint32_t ninputs;        /* inputs begun: the one being read */
    struct {                 /* per partition, its first project id that is
                                not UTF-8 (input 0: none), for a note */
        uint32_t input;
        uint64_t line;
        char file[160];
        char seen[80];
        bool is_case;        /* line is a statistical file's case */
    } bad_utf8[MAX_THREADS];
    char note[400];          /* esf_run_note */
    int32_t period_from, period_to; /* opts.period as yyyymmdd, 0 = open */
    int32_t peildatum;       /* opts.peildatum as yyyymmdd, 0 = none */
    esf_targets targets;     /* esf_run_targets */
    bool have_targets;
    esf_tables *tables;      /* esf_run_finish */
    struct esf_blocks *blocks; /* block.c's parsers, kept between blocks */
    esf_input *inputs;       /* what each input opened was (esf_run_input;
                                inputs[ninputs - 1] is the one being read);
                                its name and columns owned here */
    size_t inputs_cap, nopened;
    esf_pub pub;             /* the tables published with pub.dc (pub.sup
                                NULL: not yet): decided once per setting */
    const esf_reader *reading; /* the input being read, NULL between inputs */
};

/* Where a line of the input being read is: for a statistical file its case
 * (SPEC §2.8: file:case N; *is_case), else the line. */
static inline uint64_t run_where(const esf_run *r, uint64_t line, bool *is_case)
{
    const esf_stat *s = r->reading ? esf_reader_stat(r->reading) : NULL;
    *is_case = s != NULL;
    return s ? esf_stat_case(s, line) : line;
}

/* The header the next record is read under. */
static inline const esf_header *headers_current(const esf_pass *pt)
{
    return &pt->hdrs[pt->nhdrs - 1];
}

#endif
