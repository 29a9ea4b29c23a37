/* main_io.h - the command line's files (main_io.c): part of the CLI, not
 * the library. */
#ifndef ESF_MAIN_IO_H
#define ESF_MAIN_IO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Exit statuses (SPEC §7). */
enum { EXIT_OK = 0, EXIT_USAGE = 1, EXIT_INPUT = 2, EXIT_REJECTS = 3 };

/* "esfmon: MESSAGE" and a pointer to --help on stderr; EXIT_USAGE. */
__attribute__((format(printf, 1, 2))) int usage_error(const char *fmt, ...);

/* An input given twice would have its rows counted twice: standard input,
 * or one regular file under the same or another name (a link), or a copy
 * of it (the same bytes), is a usage error.  So is an output (-o, --rejects,
 * --suppression-log; NULL: not given) naming an input (it would be
 * destroyed before or after it is read) or another output (SPEC §2.5); all
 * this before anything is opened.  -o and --suppression-log must be
 * writable (not a directory, in a directory that takes new files), else
 * EXIT_INPUT.  *total: the bytes of all inputs, 0 when
 * one is not a regular file (a pipe; one that cannot be opened fails when it
 * is read). */
int check_inputs(char *const *in, int n, const char *out_path, const char *rej_path,
                 const char *log_path, uint64_t *total);

/* Output goes to a temporary file beside its path, renamed over it only
 * when everything was written: a failed run never replaces a good result.
 * NULL or "-": standard output. */
typedef struct {
    FILE *f;
    char *tmp;
    const char *path;
} output;
int output_open(output *o, const char *path);
/* Closes; ok false (or a failed write) removes the temporary file; -1 then. */
int output_close(output *o, bool ok);

#endif
