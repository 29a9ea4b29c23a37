/*
 * esfmon.h - public API of the esfmon library.
 *
 * esfmon counts unique participants and their results in extracts of the ESF
 * Actieve Inclusie monitor (see SPEC.md).  This is the only header a caller
 * needs (pkg-config --cflags --libs esfmon).  The library never prints and
 * never exits.  Every call that can fail returns an esf_status and leaves
 * its message in one place, the run: esf_run_error(run).
 *
 * Life cycle:
 *     esf_run *run;
 *     if (esf_run_new(&opts, &run) != ESF_OK) { report esf_run_error(run); }
 *     esf_run_targets(run, "targets.csv");             (optional)
 *     esf_run_add_path(run, "a.csv.gz");  ...        (any number of inputs)
 *     esf_run_finish(run);
 *     esf_run_write(run, ESF_FORMAT_CSV, &disclosure, stdout);
 *     esf_run_free(run);
 */
#ifndef ESFMON_H
#define ESFMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ESF_VERSION "0.1.0"
#define ESF_VERSION_MAJOR 0

/* What the shared library exports: this header's functions, nothing else. */
#if defined(__GNUC__)
#define ESF_API __attribute__((visibility("default")))
#else
#define ESF_API
#endif

/* The library's version, "0.1.0" (ESF_VERSION of the library linked in). */
ESF_API const char *esf_version(void);
/* Whether this build reads SPSS, Stata and SAS files (SPEC §2.8: it was
 * built with ReadStat). */
ESF_API bool esf_reads_stat_files(void);

/* Status codes.  The CLI maps them to the exit statuses of SPEC §7. */
typedef enum {
    ESF_OK = 0,
    ESF_ERR_USAGE,  /* a bad option value (period, column map, targets)   */
    ESF_ERR_INPUT,  /* input cannot be read: missing file, corrupt gzip,
                       missing required column, empty file               */
    ESF_ERR_NOMEM,  /* out of memory                                      */
    ESF_ERR_OUTPUT, /* output cannot be written                           */
    ESF_ERR_LIMIT   /* a capacity limit (persons, projects per thread's
                       partition): the message says which             */
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
ESF_API const char *esf_reject_name(esf_reject_reason r);

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
    bool is_case;              /* line is the case number of a statistical
                                  file (SPEC §2.8: file:case N)             */
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

/* The field delimiters esfmon reads (SPEC §2.1), in the order detection
 * prefers them on a tie. */
#define ESF_DELIMITERS ",;\t|"

typedef struct {
    char delimiter;               /* 0 = detect per file from its header,
                                     else one of ESF_DELIMITERS              */
    const char *period;           /* "FROM:TO" (SPEC §2.7), NULL = all       */
    const esf_column_map *columns;
    size_t ncolumns;
    esf_reject_fn on_reject;      /* may be NULL                             */
    void *reject_ctx;
    esf_progress_fn on_progress;  /* may be NULL                             */
    void *progress_ctx;
    unsigned threads;             /* 0 = one per online core; the output is
                                     the same for any number                 */
    size_t chunk_min;             /* bytes of input a thread parses at a time
                                     (a range of a round), 0 = 512 KiB, at
                                     least 1 KiB; a block of input holds one
                                     per partition, at most 32 MiB           */
    bool digest;                  /* an XXH3-128 digest of each input's bytes
                                     as read (esf_run_input)                 */
    const char *peildatum;        /* the reference date (SPEC §5), a date as
                                     start; NULL = none                      */
    const char *stat_helper;      /* a program that converts SPSS, Stata and
                                     SAS files in a process of its own when
                                     run as HELPER ESF_STAT_HELPER_ARG ...:
                                     one whose main calls
                                     esf_stat_helper_main (the esfmon command
                                     gives itself, /proc/self/exe).  NULL:
                                     they are converted in this process, and
                                     a damaged file that crashes ReadStat
                                     crashes it too                          */
} esf_options;

/* The helper's side (esf_options.stat_helper): a program's main calls this
 * first when argv[1] is ESF_STAT_HELPER_ARG, and returns what it returns. */
#define ESF_STAT_HELPER_ARG "--esfmon-stat-helper"
ESF_API int esf_stat_helper_main(int argc, char **argv);

typedef struct esf_run esf_run;

/* Checks the options (column names, period, delimiter) and allocates a run.
 * *out is the run even when the options are bad (ESF_ERR_USAGE): its
 * esf_run_error says why, and it must be freed.  *out is NULL only when
 * there is no memory for it (ESF_ERR_NOMEM; esf_run_error(NULL) says so). */
ESF_API esf_status esf_run_new(const esf_options *opts, esf_run **out);
ESF_API void esf_run_free(esf_run *run);

/* Reads a targets file (SPEC §2.6) whose targets replace those of Tabel
 * 1.1.  A bad line is ESF_ERR_USAGE (file:line), a file that cannot be
 * read ESF_ERR_INPUT. */
ESF_API esf_status esf_run_targets(esf_run *run, const char *path);

/* Adds one input: a path, or "-" for standard input.  Inputs are read in
 * blocks: a plain file or stream is read (read(2)), a gzip regular file
 * memory-mapped and inflated, an SPSS, Stata or SAS file converted to CSV
 * text first (SPEC §2.8); each is recognised by its magic bytes.  On an
 * error the run must not be finished: its counts are partial. */
ESF_API esf_status esf_run_add_path(esf_run *run, const char *path);

/* Adds inputs in order, as esf_run_add_path does each, stopping at the first
 * that fails.  With more than one thread, a gzip'd file is decoded ahead
 * while the input before it is still counted; statistical files are
 * converted ahead, one per thread (at most eight; one with one thread). */
ESF_API esf_status esf_run_add_paths(esf_run *run, const char *const *paths, size_t n);

/* Adds one input held in memory (plain or gzip); name is used in messages. */
ESF_API esf_status esf_run_add_memory(esf_run *run, const char *name, const void *data, size_t len);

/* The message of the last failed call ("file:line: reason"), "" if none;
 * "out of memory" for a NULL run. */
ESF_API const char *esf_run_error(const esf_run *run);

/* A note on the input that did not stop the run, "" if none: after
 * esf_run_finish, the first project id that is not UTF-8 (file:line). */
ESF_API const char *esf_run_note(const esf_run *run);

/* Row counters of the input so far (the invoer table). */
typedef struct {
    uint64_t gelezen, geaccepteerd, afgewezen, gefilterd;
    uint64_t per_reason[ESF_REJ_COUNT];
} esf_counts;
ESF_API void esf_run_counts(const esf_run *run, esf_counts *out);

/* What a run read from each input it began, in order, for a record of the
 * run (the CLI's --manifest).  Valid until esf_run_free. */
typedef struct {
    const char *name;            /* as in messages ("<stdin>")                */
    const char *format;          /* "csv", "gzip", or a statistical file's:
                                    "sav", "zsav", "por", "dta", "sas7bdat" */
    uint64_t bytes;              /* its bytes as read (compressed, for gzip)  */
    bool complete;               /* read to its end without an error          */
    bool have_digest;            /* complete, and esf_options.digest set      */
    uint64_t digest_high, digest_low; /* XXH3-128 of those bytes             */
    char delimiter;              /* of its first header; 0: none was read     */
    uint32_t ncolumns;           /* that header's column names, as written    */
    const char *const *columns;  /* (trimmed, unquoted)                       */
    uint32_t headers;            /* header lines: the first and each again    */
    esf_counts counts;           /* its rows                                  */
} esf_input;
ESF_API size_t esf_run_ninputs(const esf_run *run);
ESF_API const esf_input *esf_run_input(const esf_run *run, size_t i);

/* Computes every table of SPEC §5 (once; the run keeps them). */
ESF_API esf_status esf_run_finish(esf_run *run);

typedef enum {
    ESF_FORMAT_CSV = 0, /* SPEC §5: table,group,dimension,category,measure,value */
    ESF_FORMAT_TEXT,    /* the report's tables for people, Dutch labels        */
    ESF_FORMAT_JSON,    /* {table: {group: {dimension: {category: {measure: v}}}}} */
    ESF_FORMAT_MARKDOWN, /* the text report's tables as pipe tables            */
    ESF_FORMAT_HTML,    /* one self-contained page: the tables and SVG figures */
    ESF_FORMAT_SUPPRESSION_LOG /* SPEC §6: every suppressed cell with its reason,
                                  table,group,dimension,category,measure,reason */
} esf_format;

/* Disclosure control (SPEC §6); zeros mean off. */
typedef struct {
    uint32_t round;          /* round person counts to a multiple of this   */
    uint32_t suppress_below; /* suppress person counts below this, and what
                                would reveal them (SPEC §6); "x"           */
} esf_disclosure;

/* Writes the tables of a finished run in fmt, with disclosure control dc
 * (NULL: none); ESF_ERR_OUTPUT when a write fails. Which cells are
 * suppressed is decided once per run and dc, the same in every format. */
ESF_API esf_status esf_run_write(esf_run *run, esf_format fmt, const esf_disclosure *dc,
                                 FILE *out);

/* How many cells dc suppresses in a finished run, by reason (SPEC §6). */
typedef struct {
    uint64_t primary, secondary, derived;
} esf_suppressed;
ESF_API esf_status esf_run_suppressed(esf_run *run, const esf_disclosure *dc, esf_suppressed *out);

#ifdef __cplusplus
}
#endif
#endif /* ESFMON_H */
