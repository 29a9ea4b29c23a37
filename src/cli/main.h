/* main.h - what the command line asks for (main.c parses it), shared with
 * the record of the run (main_manifest.c).  Part of the CLI, not the
 * library. */
#ifndef ESF_MAIN_H
#define ESF_MAIN_H

#include "esfmon.h"
#include "main_io.h"

#include <time.h>

#define MAX_OUTPUTS 16 /* -o FILE, each in its format (SPEC §8) */

typedef struct {
    FILE *rejects;
    const char *rejects_path;
    const bool *progress_shown; /* a reject message first clears that line */
    bool quiet;
    uint64_t shown;
} reject_sink;

typedef struct {
    int argc;
    char **argv;
    esf_options opts;
    esf_disclosure dc;
    const char *out[MAX_OUTPUTS];  /* -o, in order ("-": standard output)   */
    esf_format out_fmt[MAX_OUTPUTS];
    int nout;
    const char *targets_path, *log_path, *manifest_path;
    const char *max_rejects_text;  /* as given, for the record             */
    uint64_t max_rejects;          /* a count, or                           */
    uint64_t share_num, share_den; /* a share: num/den percent of the rows  */
    bool share;
    reject_sink sink;
    esf_format fmt;
    bool fmt_given, dc_given;
} cli;

/* The record of a run (--manifest, SPEC §8). */
typedef struct {
    const cli *k;
    esf_run *run;                  /* NULL: none was made                   */
    const output *outs;            /* the files written, as main.c opened them */
    const char *const *out_opt;    /* the option of each                    */
    const char *const *out_fmt;    /* the format of each                    */
    int nout;
    bool put_in_place;             /* the run's files were                  */
    int status;
    struct timespec start, end;    /* CLOCK_REALTIME                        */
} manifest;

/* Writes the record as JSON to m->k->manifest_path (through a temporary
 * file, in place whatever the run's status); EXIT_OK or EXIT_INPUT. */
int manifest_write(const manifest *m);

/* The name of a format as the command line writes it. */
const char *format_name(esf_format f);

#endif
