/* main_io.h - the command line's files (main_io.c): part of the CLI, not
 * the library. */
#ifndef ESF_MAIN_IO_H
#define ESF_MAIN_IO_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Exit statuses (SPEC §7). */
enum { EXIT_OK = 0, EXIT_USAGE = 1, EXIT_INPUT = 2, EXIT_REJECTS = 3 };

/* "esfmon: MESSAGE" and a pointer to --help on stderr; EXIT_USAGE. */
__attribute__((format(printf, 1, 2))) int usage_error(const char *fmt, ...);
/* "esfmon: MESSAGE" on stderr; returns status. */
__attribute__((format(printf, 2, 3))) int fail(int status, const char *fmt, ...);
/* The first message of usage_error or fail ("" if none), for the
 * manifest. */
const char *first_error(void);

/* What a run reads and writes, as the command line names them. */
typedef struct {
    char *const *in;             /* the inputs, "-": standard input */
    int n;
    const char *targets;         /* NULL: none */
    const char *const *out;      /* the files written (-o, --rejects, ...);
                                    "-": standard output */
    const char *const *out_opt;  /* the option of each, for messages */
    int nout;
    bool to_stdout;              /* tables on standard output */
} run_files;

/* Checks, before anything is read or opened for writing (SPEC §2.5), that
 * no input is counted twice (standard input, one file under two names or a
 * link, a copy with the same bytes and rows; copies are found by size, then
 * an XXH3-128 digest, then their bytes) and that no file written (an
 * output, or standard output when it is a regular file and the tables go
 * there) is a file read (an input, standard input, the targets file) or
 * another file written: EXIT_USAGE.  The outputs must be writable (not a
 * directory, in a directory that takes new files), else EXIT_INPUT.
 * *total: the bytes of all inputs, 0 when one is not a regular file. */
int check_files(const run_files *rf, uint64_t *total);

/* The XXH3-128 digest (high, low 64 bits) and the number of the bytes of fd
 * from at to its end, read by pread(2) into buf (cap bytes); false when
 * they cannot be read (fd -1 included). */
bool fd_digest(int fd, off_t at, unsigned char *buf, size_t cap, uint64_t digest[2], uint64_t *bytes);

/* A file the run writes: to a temporary file beside its destination (the
 * file its path names, through any symbolic links), put in place by
 * outputs_commit with every other.  Standard output, a device or a pipe is
 * written in place (tmp NULL). */
typedef struct {
    const char *path;  /* as given; NULL or "-": standard output */
    char *dest;        /* where it goes: path with its links followed */
    char *tmp;         /* NULL: written in place */
    FILE *f;           /* NULL: not open */
} output;

/* SIGINT, SIGTERM and SIGHUP (unless the run was started ignoring them)
 * and SIGPIPE remove every temporary file and end the run with 128 + the
 * signal's number: no output half written, nothing left behind. */
void outputs_on_signals(void);
/* Opens o for path; -1 with errno set when it cannot be. */
int output_open(output *o, const char *path);
/* Flushes, syncs and closes the n outputs (those not open are skipped);
 * when ok and every one was written, renames each temporary file onto its
 * destination, else removes them all.  0, or -1 with errno set and *bad the
 * output that failed (unchanged when ok was false).  Leaves SIGINT and
 * SIGTERM blocked: a run that has put its files in place ends as it would. */
int outputs_commit(output *o, size_t n, bool ok, size_t *bad);

#endif
