/* run.h - the inside of a run (run.c): the state it owns, one thread's pass
 * over the records (pass.c), and who calls whom among headers.c,
 * rejects.c, pass.c, block.c and stream.c.  Internal to the library.
 *
 *   run.c ──> block.c ──> pass.c ──> headers.c, rejects.c
 *     └─────> stream.c ───┘ (and rejects.c, headers.c)
 */
#ifndef ESF_RUN_H
#define ESF_RUN_H

#include "reader.h"
#include "publish.h"

#define MAX_THREADS ESF_MAX_PARTS

/* Rejects found by a thread of several are kept as marks and reported in
 * input order on the calling thread: after the join (a mapped block), or
 * slab by slab from copies of their bytes (a stream). */
typedef struct {
    uint64_t off;  /* record start, from the start of the block or copies */
    uint64_t len;  /* the record's bytes with its line end                */
    uint64_t line;
    uint32_t hv;   /* the header it was read under (esf_pass.hdrs)           */
} rej_mark;

/* One thread's pass over a block: the calling thread's (the run's counters,
 * the progress line, pages given back) or a worker's. */
typedef struct esf_pass esf_pass;
struct esf_pass {
    esf_run *r;
    esf_counts *counts;
    esf_err *err;
    esf_record rec;
    unsigned me, nwork;              /* counts the rows of the partitions k with
                                        k % nwork == me; nwork 0: all rows */
    uint64_t nscan;                  /* records passed (counted or not)   */
    bool defer;                      /* keep rejects as marks             */
    bool copy;                       /* ...and their bytes in `copies`    */
    const char *base;                /* the block the marks point into    */
    rej_mark *marks;
    size_t nmarks, marks_cap;
    char *copies;
    size_t ncopies, copies_cap;
    uint64_t consumed;               /* stream: raw bytes behind the slab */
    void (*tick)(esf_pass *pt, const char *pos); /* every 64 Ki records       */
    const esf_reader *rd;
    const char *data;
    const esf_reader *map;           /* a mapped file: give back pages...  */
    const char *kept;                /* ...this thread read before this    */
    esf_header *hdrs;                /* the file's headers so far: the first
                                        and each header line again (SPEC §2.1);
                                        every thread finds the same ones  */
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
    } bad_utf8[MAX_THREADS];
    char note[400];          /* esf_run_note */
    int32_t period_from, period_to; /* opts.period as yyyymmdd, 0 = open */
    esf_targets targets;     /* esf_run_targets */
    bool have_targets;
    esf_tables *tables;      /* esf_run_finish */
    esf_pub pub;             /* the tables published with pub.dc (pub.sup
                                NULL: not yet): decided once per setting */
};

/* The header the next record is read under. */
static inline const esf_header *headers_current(const esf_pass *pt)
{
    return &pt->hdrs[pt->nhdrs - 1];
}

/* A thread's kept rejects, in line order: of a slab of a stream (seq), their
 * bytes copied to `copies`, or of a mapped block.  Marks hold offsets into
 * base: the copies, or the block. */
typedef struct rej_batch rej_batch;
struct rej_batch {
    rej_batch *next;
    uint64_t seq;       /* the slab */
    rej_mark *marks;
    size_t n, at;       /* at: the first not yet reported */
    const char *base;
    char *copies;       /* owned; NULL for a mapped block */
};

/* ---- headers.c: a file's headers --------------------------------------- */
esf_status esf_headers_push(esf_pass *pt, const esf_header *h);
esf_status esf_headers_copy(esf_pass *dst, const esf_pass *src);
void esf_headers_free(esf_pass *pt);
/* Reads up to the first header of an input (blank lines, BOM, the checks
 * of SPEC §2.1 that it is text); *have once it is read. */
esf_status esf_header_read(esf_run *r, esf_pass *pt, const char *name, esf_header *h, const char **pp,
                       const char *end, bool eof, uint64_t *line, bool *have);
/* Whether the record [p, next) is a header again, *nh then its header. */
bool esf_header_again(esf_pass *pt, const esf_header *h, const char *p, const char *next,
                  const char *name, uint64_t line, esf_header *nh);

/* ---- rejects.c: rejects reported in input order ------------------------- */
void esf_reject_emit(esf_run *r, const char *file, uint64_t line, const esf_record *rec,
                 const esf_header *h, const esf_rowerr *e, esf_rec_status st);
void esf_rejects_report(esf_pass *pt, const char *name, rej_batch *list, const char *end);
void esf_rej_batches_free(rej_batch *b);

/* ---- pass.c: one thread's pass over records ------------------------------ */
esf_status esf_pass_rows(esf_pass *pt, const char *name, const char **pp, const char *end, bool eof,
                     uint64_t *line);
void esf_counts_add(esf_counts *d, const esf_counts *s);

/* ---- block.c: one block on several threads ------------------------------- */
esf_status esf_block_rows(esf_pass *pt, const char *name, const char **pp, const char *end, bool eof,
                      uint64_t *line);

/* ---- stream.c: a stream on several threads -------------------------------- */
esf_status esf_stream_rows(esf_run *r, esf_reader *rd, const char *name, esf_pass *pt, bool *have);

#endif
