/*
 * esfmon.h - public API of the esfmon library.
 *
 * esfmon counts unique participants and their results in extracts of the ESF
 * Actieve Inclusie monitor (see SPEC.md).  This is the only header a caller
 * needs.  The library never prints and never exits: every function returns an
 * esf_status, and a failed call leaves a message in the run (esf_run_error).
 *
 * Life cycle:
 *     esf_run *run;  esf_run_new(&opts, &run);
 *     esf_run_add_path(run, "a.csv.gz");  ...        (any number of inputs)
 *     esf_tables *t; esf_run_finish(run, &t);
 *     esf_tables_write(t, ESF_FORMAT_CSV, &disclosure, stdout);
 *     esf_tables_free(t);  esf_run_free(run);
 */
#ifndef ESFMON_H
#define ESFMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ESF_VERSION "0.1.0"

/* Status codes.  The CLI maps them to the exit statuses of SPEC §7. */
typedef enum {
    ESF_OK = 0,
    ESF_ERR_USAGE,  /* a bad option value (period, column map, targets)   */
    ESF_ERR_INPUT,  /* input cannot be read: missing file, corrupt gzip,
                       missing required column, empty file               */
    ESF_ERR_NOMEM,  /* out of memory                                      */
    ESF_ERR_OUTPUT  /* output cannot be written                           */
} esf_status;

/* Reasons a data row is rejected, in the order they are checked (SPEC §2.4). */
typedef enum {
    ESF_REJ_QUOTE_OPEN = 0,
    ESF_REJ_VELDAANTAL,
    ESF_REJ_VERPLICHT_LEEG,
    ESF_REJ_TE_LANG,
    ESF_REJ_ONBEKENDE_CODE,
    ESF_REJ_DATUM,
    ESF_REJ_GETAL,
    ESF_REJ_EIND_VOOR_START,
    ESF_REJ_GEBOORTE_NA_START,
    ESF_REJ_COUNT
} esf_reject_reason;

/* The reason code as written in the output ("quote_open", ...). */
const char *esf_reject_name(esf_reject_reason r);

/* One rejected row, handed to the reject callback.  All pointers are views
 * that are valid only during the callback; copy what you keep. */
typedef struct {
    const char *file;          /* input name as given ("-" is "<stdin>")     */
    uint64_t line;             /* line number of the record's first line     */
    esf_reject_reason reason;
    const char *column;        /* canonical column concerned, or NULL        */
    const char *seen;          /* what was seen (raw field bytes)            */
    size_t seen_len;
    const char *detail;        /* short explanation, e.g. "7 fields, header has 5" */
    const char *record;        /* the whole record as in the input           */
    size_t record_len;
} esf_reject;

typedef void (*esf_reject_fn)(void *ctx, const esf_reject *rej);

/* Progress of a run, handed to the progress callback about every 64 Ki rows
 * and at the end of each input. */
typedef struct {
    const char *file;      /* the input being read                          */
    uint64_t bytes_done;   /* input bytes (compressed for gzip) read so far */
    uint64_t bytes_total;  /* size of the input, 0 when unknown (a pipe)    */
    uint64_t rows;         /* data rows read so far, all inputs together    */
} esf_progress;

typedef void (*esf_progress_fn)(void *ctx, const esf_progress *p);

/* --column NAME=HEADER: the canonical column NAME is found under HEADER. */
typedef struct {
    const char *name;
    const char *header;
} esf_column_map;

typedef struct {
    char delimiter;               /* 0 = detect per file from its header     */
    int32_t period_from;          /* yyyymmdd, 0 = open                      */
    int32_t period_to;            /* yyyymmdd, 0 = open                      */
    const esf_column_map *columns;
    size_t ncolumns;
    esf_reject_fn on_reject;      /* may be NULL                             */
    void *reject_ctx;
    esf_progress_fn on_progress;  /* may be NULL                             */
    void *progress_ctx;
    unsigned threads;             /* 0 = one per online core; the output is
                                     the same for any number                 */
    size_t chunk_min;             /* least bytes of a mapped file per thread
                                     reading it, 0 = 1 MiB (smaller: fewer
                                     threads); bytes per slab of a gzip input
                                     or stream, 0 = 2 MiB, at least 256     */
} esf_options;

typedef struct esf_run esf_run;
typedef struct esf_tables esf_tables;
typedef struct esf_targets esf_targets;

/* Checks the options (column names) and allocates a run.  On failure *out is
 * NULL and, for ESF_ERR_USAGE, msg (if not NULL) receives the reason. */
esf_status esf_run_new(const esf_options *opts, esf_run **out, char *msg, size_t msglen);
void esf_run_free(esf_run *run);

/* Adds one input: a path, or "-" for standard input.  Regular files are
 * memory-mapped, other inputs read in blocks; gzip is recognised by its magic
 * bytes.  On an error the run must not be finished: its counts are partial. */
esf_status esf_run_add_path(esf_run *run, const char *path);

/* Adds inputs in order, as esf_run_add_path does each, stopping at the first
 * that fails.  With more than one thread, a gzip'd file is decoded ahead
 * while the input before it is still counted. */
esf_status esf_run_add_paths(esf_run *run, const char *const *paths, size_t n);

/* Adds one input held in memory (plain or gzip); name is used in messages. */
esf_status esf_run_add_memory(esf_run *run, const char *name, const void *data, size_t len);

/* The message of the last failed call ("file: reason"), "" if none. */
const char *esf_run_error(const esf_run *run);

/* A note on the input that did not stop the run, "" if none: after
 * esf_run_finish, the first project id that is not UTF-8 (file:line). */
const char *esf_run_note(const esf_run *run);

/* Row counters of the input so far (the invoer table). */
typedef struct {
    uint64_t gelezen, geaccepteerd, afgewezen, gefilterd;
    uint64_t per_reason[ESF_REJ_COUNT];
} esf_counts;
void esf_run_counts(const esf_run *run, esf_counts *out);

/* Computes every table of SPEC §5.  targets may be NULL (Tabel 1.1). */
esf_status esf_run_finish(esf_run *run, const esf_targets *targets, esf_tables **out);
void esf_tables_free(esf_tables *t);

/* Targets file: one "INDICATOR,VALUE" per line (also ; TAB |), '#' starts a
 * comment, an optional header "indicator,streefwaarde".  VALUE is a
 * non-negative decimal with at most 6 decimals. */
esf_status esf_targets_load(const char *path, esf_targets **out, char *msg, size_t msglen);
void esf_targets_free(esf_targets *t);

/* Parses --period FROM:TO (either side may be empty; FROM after TO is an
 * error).  On failure (ESF_ERR_USAGE) msg, if not NULL, receives the reason. */
esf_status esf_parse_period(const char *s, int32_t *from, int32_t *to, char *msg, size_t msglen);

typedef enum {
    ESF_FORMAT_CSV = 0, /* SPEC §5: table,group,dimension,category,measure,value */
    ESF_FORMAT_TEXT,    /* the report's tables for people, Dutch labels        */
    ESF_FORMAT_JSON,    /* {table: {group: {dimension: {category: {measure: v}}}}} */
    ESF_FORMAT_MARKDOWN, /* the text report's tables as pipe tables            */
    ESF_FORMAT_HTML     /* one self-contained page: the tables and SVG figures */
} esf_format;

/* Disclosure control (SPEC §6); zeros mean off. */
typedef struct {
    uint32_t round;          /* round person counts to a multiple of this   */
    uint32_t suppress_below; /* person counts below this become "x"         */
} esf_disclosure;

/* Writes the tables; returns ESF_ERR_OUTPUT when a write fails. */
esf_status esf_tables_write(const esf_tables *t, esf_format fmt,
                            const esf_disclosure *dc, FILE *out);

#ifdef __cplusplus
}
#endif
#endif /* ESFMON_H */
