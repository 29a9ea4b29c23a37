/* main_io.c - the command line's files (part of the CLI, not the library):
 * which inputs and outputs a run names, checked before anything is opened
 * for writing (SPEC §2.5), and outputs written whole or not at all. */
#include "main_io.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("esfmon: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'esfmon --help'.\n", stderr);
    return EXIT_USAGE;
}

/* Where a path leads: its device and inode when it exists, else its
 * directory's (resolved) with its base name, so that two names of a file
 * not yet written (out.csv, ./out.csv) are one. */
typedef struct {
    bool exists;
    struct stat st;
    char *where; /* realpath of the directory + "/" + base name, when !exists */
} file_id;

/* The directory a path's file is in (malloc'd; NULL when out of memory). */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? strndup(path, (size_t)(slash - path) + (slash == path)) : strdup(".");
}

static void file_id_of(file_id *id, const char *path)
{
    memset(id, 0, sizeof *id);
    if (stat(path, &id->st) == 0) {
        id->exists = true;
        return;
    }
    char *dir = dir_of(path);
    char *real = dir ? realpath(dir, NULL) : NULL;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (real && asprintf(&id->where, "%s/%s", real, base) < 0) id->where = NULL;
    free(real);
    free(dir);
}

static bool file_id_same(const file_id *a, const file_id *b)
{
    if (a->exists || b->exists)
        return a->exists && b->exists && a->st.st_dev == b->st.st_dev && a->st.st_ino == b->st.st_ino;
    return a->where && b->where && strcmp(a->where, b->where) == 0;
}

/* 0 when path can be written as far as can be told without creating it
 * (not a directory; its directory exists and takes new files), else -1 with
 * errno set. */
static int writable(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) return errno = EISDIR, -1;
        if (!S_ISREG(st.st_mode)) return 0; /* a device or pipe, written in place */
    }
    char *dir = dir_of(path); /* it takes the temporary file */
    if (!dir) return errno = ENOMEM, -1;
    const int rc = stat(dir, &st) != 0 ? -1 : !S_ISDIR(st.st_mode) ? (errno = ENOTDIR, -1) : access(dir, W_OK | X_OK);
    free(dir);
    return rc;
}

/* Whether two regular files of one size hold the same bytes (an extract
 * copied under another name: its rows would be counted twice). */
static bool same_content(const char *a, const char *b, off_t size)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    bool same = fa && fb;
    static char ba[1 << 16], bb[1 << 16];
    for (off_t left = size; same && left > 0;) {
        const size_t n = left < (off_t)sizeof ba ? (size_t)left : sizeof ba;
        same = fread(ba, 1, n, fa) == n && fread(bb, 1, n, fb) == n && memcmp(ba, bb, n) == 0;
        left -= (off_t)n;
    }
    if (fa) fclose(fa);
    if (fb) fclose(fb);
    return same;
}

int check_inputs(char *const *in, int n, const char *out_path, const char *rej_path,
                        const char *log_path, uint64_t *total)
{
    struct stat *sb = calloc((size_t)n, sizeof *sb); /* st_mode 0: no regular file */
    if (!sb) {
        fputs("esfmon: out of memory\n", stderr);
        return EXIT_INPUT;
    }
    int rc = EXIT_OK;
    bool known = true;
    *total = 0;
    for (int i = 0; i < n && rc == EXIT_OK; i++) {
        const bool std_in = strcmp(in[i], "-") == 0;
        if (std_in || stat(in[i], &sb[i]) != 0) memset(&sb[i], 0, sizeof sb[i]);
        const bool reg = S_ISREG(sb[i].st_mode);
        known = known && reg;
        if (reg) *total += (uint64_t)sb[i].st_size;
        for (int j = 0; j < i && rc == EXIT_OK; j++) {
            if (std_in && strcmp(in[j], "-") == 0)
                rc = usage_error("%s", "'-' (standard input) given twice");
            else if (reg && S_ISREG(sb[j].st_mode) && sb[i].st_dev == sb[j].st_dev &&
                     sb[i].st_ino == sb[j].st_ino)
                rc = strcmp(in[i], in[j]) == 0
                         ? usage_error("'%s' given twice: its rows would be counted twice", in[i])
                         : usage_error("'%s' is the same file as '%s': its rows would be counted twice",
                                       in[i], in[j]);
            else if (reg && S_ISREG(sb[j].st_mode) && sb[i].st_size == sb[j].st_size &&
                     sb[i].st_size > 0 && same_content(in[i], in[j], sb[i].st_size))
                rc = usage_error("'%s' has the same bytes as '%s' (a copy?): its rows would be "
                                 "counted twice", in[i], in[j]);
        }
    }
    /* The files written: never an input, never each other. */
    enum { NOUT = 3 };
    const char *outs[NOUT] = {out_path && strcmp(out_path, "-") ? out_path : NULL, rej_path, log_path};
    const char *opt[NOUT] = {"--output", "--rejects", "--suppression-log"};
    file_id ids[NOUT];
    for (int k = 0; k < NOUT; k++) file_id_of(&ids[k], outs[k] ? outs[k] : ".");
    for (int k = 0; k < NOUT && rc == EXIT_OK; k++) {
        if (!outs[k] || !ids[k].exists) continue; /* a new file is no input */
        for (int i = 0; i < n && rc == EXIT_OK; i++)
            if (strcmp(in[i], "-") && sb[i].st_mode && sb[i].st_dev == ids[k].st.st_dev &&
                sb[i].st_ino == ids[k].st.st_ino)
                rc = usage_error("%s '%s' is the input '%s': it would be overwritten", opt[k],
                                 outs[k], in[i]);
    }
    for (int k = 0; k < NOUT; k++)
        for (int j = k + 1; j < NOUT && rc == EXIT_OK; j++)
            if (outs[k] && outs[j] && file_id_same(&ids[k], &ids[j]) &&
                !(ids[k].exists && !S_ISREG(ids[k].st.st_mode))) /* /dev/null twice is fine */
                rc = usage_error("%s '%s' and %s '%s' are the same file", opt[k], outs[k], opt[j], outs[j]);
    /* -o and --suppression-log can be written (--rejects is opened before
     * the run): found now, not after a long run */
    for (int k = 0; k < NOUT && rc == EXIT_OK; k++)
        if (outs[k] && k != 1 && writable(outs[k]) != 0) {
            fprintf(stderr, "esfmon: %s: cannot write: %s\n", outs[k], strerror(errno));
            rc = EXIT_INPUT;
        }
    for (int k = 0; k < NOUT; k++) free(ids[k].where);
    if (!known) *total = 0;
    free(sb);
    return rc;
}

int output_open(output *o, const char *path)
{
    o->path = path;
    o->tmp = NULL;
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        return 0;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* A device or pipe (/dev/stdout, a FIFO) is written in place. */
        o->f = fopen(path, "w");
        return o->f ? 0 : -1;
    }
    size_t n = strlen(path) + 16;
    o->tmp = malloc(n);
    if (!o->tmp) return -1;
    snprintf(o->tmp, n, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) return -1;
    /* mkstemp makes the file 0600; the result gets what fopen would give it */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        close(fd);
        unlink(o->tmp);
        return -1;
    }
    o->f = fdopen(fd, "w");
    return o->f ? 0 : -1;
}

int output_close(output *o, bool ok)
{
    if (!o->tmp) {
        ok = ok && fflush(o->f) == 0 && !ferror(o->f);
        if (o->f != stdout) ok = fclose(o->f) == 0 && ok;
        return ok ? 0 : -1;
    }
    ok = ok && fflush(o->f) == 0 && !ferror(o->f) && fsync(fileno(o->f)) == 0;
    ok = fclose(o->f) == 0 && ok;
    if (ok) ok = rename(o->tmp, o->path) == 0;
    if (!ok) unlink(o->tmp);
    free(o->tmp);
    return ok ? 0 : -1;
}
