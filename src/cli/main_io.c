/* main_io.c - the command line's files (part of the CLI, not the library):
 * which inputs and outputs a run names, checked before anything is opened
 * for writing (SPEC §2.5), and outputs written whole or not at all. */
#include "main_io.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#include <zlib.h>

static char first_msg[1024];

const char *first_error(void)
{
    return first_msg;
}

/* "esfmon: MESSAGE" on stderr, the first one kept. */
static void say(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    if (!first_msg[0]) vsnprintf(first_msg, sizeof first_msg, fmt, copy);
    va_end(copy);
    fputs("esfmon: ", stderr);
    vfprintf(stderr, fmt, ap);
}

int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(fmt, ap);
    va_end(ap);
    fputs("\nTry 'esfmon --help'.\n", stderr);
    return EXIT_USAGE;
}

int fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return status;
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

/* ---- the files read ------------------------------------------------------ */

typedef struct {
    const char *name;   /* as given ("-": standard input) */
    struct stat st;     /* st_mode 0: not known (a missing file fails when read) */
    off_t at;           /* where its bytes begin: standard input may be read in part */
    XXH128_hash_t digest;
    int idx;            /* its place on the command line */
} in_file;

#define IO_CHUNK ((size_t)1 << 16)

/* Its bytes are read by pread(2) from a descriptor of its own (standard
 * input's own when it is "-"): -1 when it cannot be opened. */
static int in_open(const in_file *f)
{
    return strcmp(f->name, "-") == 0 ? STDIN_FILENO : open(f->name, O_RDONLY | O_CLOEXEC);
}

static void in_close(int fd)
{
    if (fd > STDIN_FILENO) close(fd);
}

/* Reads up to n bytes at off; the count, 0 at the end or on an error. */
static size_t read_at(int fd, void *buf, size_t n, off_t off)
{
    ssize_t got;
    do got = pread(fd, buf, n, off);
    while (got < 0 && errno == EINTR);
    return got > 0 ? (size_t)got : 0;
}

bool fd_digest(int fd, off_t at, unsigned char *buf, size_t cap, uint64_t digest[2], uint64_t *bytes)
{
    XXH3_state_t *s = XXH3_createState();
    bool ok = fd >= 0 && s && XXH3_128bits_reset(s) == XXH_OK;
    off_t off = at;
    for (size_t n; ok && (n = read_at(fd, buf, cap, off)) > 0; off += (off_t)n)
        ok = XXH3_128bits_update(s, buf, n) == XXH_OK;
    if (ok) {
        const XXH128_hash_t h = XXH3_128bits_digest(s);
        digest[0] = h.high64, digest[1] = h.low64, *bytes = (uint64_t)(off - at);
    }
    XXH3_freeState(s);
    return ok;
}

/* The XXH3-128 digest of a file's bytes from f->at; false when it cannot
 * be read. */
static bool digest_of(in_file *f, unsigned char *buf)
{
    const int fd = in_open(f);
    uint64_t d[2], bytes;
    const bool ok = fd_digest(fd, f->at, buf, IO_CHUNK, d, &bytes);
    if (ok) f->digest.high64 = d[0], f->digest.low64 = d[1];
    in_close(fd);
    return ok;
}

/* Whether two files of one size hold the same bytes (their digests are
 * equal: this makes sure). */
static bool same_bytes(const in_file *a, const in_file *b, unsigned char *buf)
{
    const int fa = in_open(a), fb = in_open(b);
    bool same = fa >= 0 && fb >= 0;
    for (off_t k = 0, left = a->st.st_size - a->at; same && left > 0;) {
        const size_t want = left < (off_t)IO_CHUNK ? (size_t)left : IO_CHUNK;
        same = read_at(fa, buf, want, a->at + k) == want &&
               read_at(fb, buf + IO_CHUNK, want, b->at + k) == want &&
               memcmp(buf, buf + IO_CHUNK, want) == 0;
        k += (off_t)want, left -= (off_t)want;
    }
    in_close(fa), in_close(fb);
    return same;
}

/* Non-empty lines seen so far (a BOM, spaces, tabs and CR are empty). */
typedef struct {
    unsigned lines;
    bool content;
    uint64_t seen;
} line_count;

static void count_lines(line_count *lc, const unsigned char *p, size_t n)
{
    static const unsigned char bom[3] = {0xef, 0xbb, 0xbf};
    for (size_t i = 0; i < n && lc->lines < 2; i++, lc->seen++) {
        const unsigned char c = p[i];
        if (c == '\n') {
            lc->lines += lc->content;
            lc->content = false;
        } else if (!(c == ' ' || c == '\t' || c == '\r' || (lc->seen < 3 && c == bom[lc->seen]))) {
            lc->content = true;
        }
    }
}

/* Whether a file has a line after its header: rows that a copy of it would
 * count twice (SPEC §2.5).  Gzip is looked into; a file that cannot be read
 * or decoded has rows, as far as this can tell. */
static bool has_rows(const in_file *f, unsigned char *buf)
{
    const int fd = in_open(f);
    if (fd < 0) return true;
    line_count lc = {0};
    z_stream z = {0};
    bool gz = false, bad = false;
    unsigned char *out = buf + IO_CHUNK;
    for (off_t off = f->at; lc.lines < 2 && !bad;) {
        const size_t n = read_at(fd, buf, IO_CHUNK, off);
        if (!n) break;
        if (off == f->at && n >= 2 && buf[0] == 0x1f && buf[1] == 0x8b)
            bad = !(gz = inflateInit2(&z, 15 + 16) == Z_OK);
        off += (off_t)n;
        if (!gz) {
            count_lines(&lc, buf, n);
            continue;
        }
        z.next_in = buf, z.avail_in = (uInt)n;
        while (z.avail_in && !bad && lc.lines < 2) { /* members one after another */
            z.next_out = out, z.avail_out = (uInt)IO_CHUNK;
            const int zr = inflate(&z, Z_NO_FLUSH);
            count_lines(&lc, out, IO_CHUNK - z.avail_out);
            if (zr == Z_STREAM_END) bad = inflateReset(&z) != Z_OK;
            else bad = zr != Z_OK && zr != Z_BUF_ERROR;
        }
    }
    if (gz) inflateEnd(&z);
    in_close(fd);
    return bad || lc.lines + lc.content >= 2;
}

static int by_size(const void *a, const void *b)
{
    const in_file *x = *(in_file *const *)a, *y = *(in_file *const *)b;
    const off_t sx = x->st.st_size - x->at, sy = y->st.st_size - y->at;
    return sx != sy ? (sx < sy ? -1 : 1) : x->idx - y->idx;
}

static int by_digest(const void *a, const void *b)
{
    const in_file *x = *(in_file *const *)a, *y = *(in_file *const *)b;
    const int c = XXH128_cmp(&x->digest, &y->digest);
    return c ? c : x->idx - y->idx;
}

static const char *shown(const char *name)
{
    return strcmp(name, "-") ? name : "- (standard input)";
}

/* A copy of an input: two regular files, not empty, of one size, with one
 * digest and the same bytes and rows.  Only files of one size are hashed,
 * each once. */
static int find_copies(in_file *f, int n, unsigned char *buf)
{
    in_file **v = malloc((size_t)n * sizeof(in_file *));
    if (!v) return fail(EXIT_INPUT, "out of memory");
    int m = 0, rc = EXIT_OK;
    for (int i = 0; i < n; i++)
        if (S_ISREG(f[i].st.st_mode) && f[i].st.st_size > f[i].at) v[m++] = &f[i];
    qsort(v, (size_t)m, sizeof(in_file *), by_size);
    for (int a = 0, b; a < m && rc == EXIT_OK; a = b) {
        for (b = a + 1; b < m && v[b]->st.st_size - v[b]->at == v[a]->st.st_size - v[a]->at; b++) {}
        if (b - a < 2) continue;
        int ok = 0;
        for (int i = a; i < b; i++) ok += digest_of(v[i], buf);
        if (ok < b - a) continue; /* one cannot be read: that fails when it is */
        qsort(v + a, (size_t)(b - a), sizeof(in_file *), by_digest);
        for (int i = a + 1; i < b && rc == EXIT_OK; i++) {
            const in_file *x = v[i - 1], *y = v[i];
            if (XXH128_isEqual(x->digest, y->digest) && same_bytes(x, y, buf) && has_rows(x, buf)) {
                const in_file *first = x->idx < y->idx ? x : y, *later = x->idx < y->idx ? y : x;
                rc = usage_error("'%s' has the same bytes as '%s' (a copy?): its rows would be "
                                 "counted twice", shown(later->name), shown(first->name));
            }
        }
    }
    free(v);
    return rc;
}

/* The inputs: stat'd (standard input by its descriptor), none the same file
 * as another, none a copy of another. */
static int check_reads(in_file *f, int n, unsigned char *buf)
{
    for (int i = 0; i < n; i++) {
        const bool std_in = strcmp(f[i].name, "-") == 0;
        if ((std_in ? fstat(STDIN_FILENO, &f[i].st) : stat(f[i].name, &f[i].st)) != 0 ||
            S_ISDIR(f[i].st.st_mode))
            memset(&f[i].st, 0, sizeof f[i].st); /* fails when it is read */
        if (std_in && S_ISREG(f[i].st.st_mode)) {
            const off_t at = lseek(STDIN_FILENO, 0, SEEK_CUR);
            f[i].at = at > 0 && at <= f[i].st.st_size ? at : 0;
        }
        for (int j = 0; j < i; j++) {
            if (std_in && strcmp(f[j].name, "-") == 0)
                return usage_error("%s", "'-' (standard input) given twice");
            if (!f[i].st.st_mode || !f[j].st.st_mode || f[i].st.st_dev != f[j].st.st_dev ||
                f[i].st.st_ino != f[j].st.st_ino)
                continue;
            if (strcmp(f[i].name, f[j].name) == 0)
                return usage_error("'%s' given twice: its rows would be counted twice", f[i].name);
            return usage_error("'%s' is the same file as '%s': its rows would be counted twice",
                               shown(f[i].name), shown(f[j].name));
        }
    }
    return find_copies(f, n, buf);
}

/* ---- the files written --------------------------------------------------- */

/* A file written names a file read: the input, standard input or the
 * targets file it is (NULL: none). */
static const char *read_as(const file_id *o, const in_file *f, int n, const struct stat *tg,
                           const char *tg_path)
{
    if (!o->exists) return NULL; /* a new file is nothing read */
    for (int i = 0; i < n; i++)
        if (f[i].st.st_mode && f[i].st.st_dev == o->st.st_dev && f[i].st.st_ino == o->st.st_ino)
            return shown(f[i].name);
    if (tg && tg->st_dev == o->st.st_dev && tg->st_ino == o->st.st_ino) return tg_path;
    return NULL;
}

/* The files written (rf->out, and standard output's file when the tables
 * go there: the last, k == m): none a file read, none another. */
static int check_writes(const run_files *rf, const in_file *f)
{
    const int m = rf->nout;
    const char **path = calloc((size_t)m + 1, sizeof *path);
    file_id *ids = calloc((size_t)m + 1, sizeof *ids);
    if (!path || !ids) {
        free(path), free(ids);
        return fail(EXIT_INPUT, "out of memory");
    }
    for (int k = 0; k < m; k++) {
        path[k] = strcmp(rf->out[k], "-") ? rf->out[k] : NULL;
        if (path[k]) file_id_of(&ids[k], path[k]);
    }
    if (rf->to_stdout && fstat(STDOUT_FILENO, &ids[m].st) == 0) /* a file, or a pipe another may name */
        path[m] = "-", ids[m].exists = true;
    const char *opt_m = "standard output";
#define OPT(k) ((k) == m ? opt_m : rf->out_opt[k])
    struct stat tg;
    const bool have_tg = rf->targets && stat(rf->targets, &tg) == 0;
    int rc = EXIT_OK;
    for (int k = 0; k <= m && rc == EXIT_OK; k++) {
        const char *r = path[k] ? read_as(&ids[k], f, rf->n, have_tg ? &tg : NULL, rf->targets) : NULL;
        if (!r) continue;
        const char *what = have_tg && rf->targets == r ? "the targets file" : "the input";
        rc = k == m ? usage_error("standard output is %s '%s': it would be overwritten", what, r)
                    : usage_error("%s '%s' is %s '%s': it would be overwritten", OPT(k), path[k], what, r);
    }
    for (int k = 0; k <= m; k++)
        for (int j = k + 1; j <= m && rc == EXIT_OK; j++)
            if (path[k] && path[j] && file_id_same(&ids[k], &ids[j]) &&
                !(ids[k].exists && S_ISCHR(ids[k].st.st_mode))) /* /dev/null twice is fine, a pipe not */
                rc = j == m ? usage_error("%s '%s' is standard output, where the tables go: one would overwrite or mix with the other",
                                          OPT(k), path[k])
                            : usage_error("%s '%s' and %s '%s' are the same file", OPT(k), path[k], OPT(j),
                                          path[j]);
#undef OPT
    /* writable: found now, not after a long run */
    for (int k = 0; k < m && rc == EXIT_OK; k++)
        if (path[k] && writable(path[k]) != 0) rc = fail(EXIT_INPUT, "%s: cannot write: %s", path[k], strerror(errno));
    for (int k = 0; k <= m; k++) free(ids[k].where);
    free(path), free(ids);
    return rc;
}

int check_files(const run_files *rf, uint64_t *total)
{
    in_file *f = calloc((size_t)rf->n, sizeof *f);
    unsigned char *buf = malloc(2 * IO_CHUNK);
    if (!f || !buf) {
        free(f), free(buf);
        return fail(EXIT_INPUT, "out of memory");
    }
    for (int i = 0; i < rf->n; i++) f[i].name = rf->in[i], f[i].idx = i;
    int rc = check_reads(f, rf->n, buf);
    if (rc == EXIT_OK) rc = check_writes(rf, f);
    *total = 0;
    for (int i = 0; rc == EXIT_OK && i < rf->n; i++) {
        if (!S_ISREG(f[i].st.st_mode) || f[i].st.st_size == 0) { /* a pipe, /proc: not known */
            *total = 0;
            break;
        }
        *total += (uint64_t)(f[i].st.st_size - f[i].at);
    }
    free(buf);
    free(f);
    return rc;
}

/* ---- outputs written whole, put in place together ----------------------- */

/* The temporary files not yet put in place, for the signal handler. */
#define MAX_TMP 32 /* MAX_OUTPUTS and the others */
static char *volatile tmp_files[MAX_TMP];

static void on_signal(int sig)
{
    for (int i = 0; i < MAX_TMP; i++)
        if (tmp_files[i]) unlink(tmp_files[i]);
    _exit(128 + sig);
}

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};

static void block_signals(bool block)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof stop_signals / sizeof *stop_signals; i++) sigaddset(&set, stop_signals[i]);
    sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

void outputs_on_signals(void)
{
    struct sigaction sa, was;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigfillset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof stop_signals / sizeof *stop_signals; i++) {
        /* a signal the run was started ignoring (nohup's SIGHUP, SIGINT of
         * a background job) stays ignored; SIGPIPE ends the run quietly */
        if (stop_signals[i] != SIGPIPE && sigaction(stop_signals[i], NULL, &was) == 0 &&
            was.sa_handler == SIG_IGN)
            continue;
        sigaction(stop_signals[i], &sa, NULL);
    }
}

/* The file path leads to through its symbolic links (malloc'd; it may not
 * exist yet: a link may point to a file not yet written). */
static char *follow_links(const char *path)
{
    char *cur = strdup(path);
    for (int hops = 0; cur && hops < 40; hops++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) return cur;
        char target[4096];
        const ssize_t len = readlink(cur, target, sizeof target - 1);
        if (len <= 0) return cur;
        target[len] = '\0';
        char *next = NULL, *dir = dir_of(cur);
        if (target[0] == '/') next = strdup(target);
        else if (dir && asprintf(&next, "%s/%s", dir, target) < 0) next = NULL;
        free(dir);
        free(cur);
        cur = next;
    }
    return cur;
}

int output_open(output *o, const char *path)
{
    memset(o, 0, sizeof *o);
    o->path = path;
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        return 0;
    }
    struct stat st;
    const bool exists = stat(path, &st) == 0;
    if (exists && !S_ISREG(st.st_mode)) { /* a device or pipe (/dev/null, a FIFO): in place */
        o->f = fopen(path, "w");
        return o->f ? 0 : -1;
    }
    int slot = 0;
    while (slot < MAX_TMP && tmp_files[slot]) slot++;
    if (slot == MAX_TMP || !(o->dest = follow_links(path))) return errno = ENOMEM, -1;
    char *tmp = NULL;
    if (asprintf(&tmp, "%s.tmp.XXXXXX", o->dest) < 0) return errno = ENOMEM, -1;
    block_signals(true); /* made and known to the handler at once */
    const int fd = mkstemp(tmp);
    if (fd >= 0) tmp_files[slot] = o->tmp = tmp;
    block_signals(false);
    if (fd < 0) return free(tmp), -1;
    /* the result keeps the bits (and, where allowed, the owner) of the file
     * it replaces; a new one gets what fopen would give it */
    mode_t mode;
    if (exists) {
        mode = st.st_mode & 07777;
        if (fchown(fd, st.st_uid, st.st_gid) != 0) { /* not ours to give: keep ours */ }
    } else {
        const mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    if (fchmod(fd, mode) != 0 || !(o->f = fdopen(fd, "w"))) {
        const int e = errno;
        close(fd);
        return errno = e, -1;
    }
    return 0;
}

/* Forgets a temporary file (put in place or removed). */
static void tmp_done(output *o)
{
    for (int i = 0; i < MAX_TMP; i++)
        if (tmp_files[i] == o->tmp) tmp_files[i] = NULL;
    free(o->tmp);
    o->tmp = NULL;
}

int outputs_commit(output *o, size_t n, bool ok, size_t *bad)
{
    int err = 0;
    for (size_t i = 0; i < n; i++) { /* everything written and on disk first */
        if (!o[i].f) continue;
        bool good = fflush(o[i].f) == 0 && !ferror(o[i].f) && (!o[i].tmp || fsync(fileno(o[i].f)) == 0);
        if (!good && !err) err = errno ? errno : EIO;
        if (o[i].f != stdout) good = fclose(o[i].f) == 0 && good;
        o[i].f = NULL;
        if (!good && ok) ok = false, *bad = i, err = err ? err : errno;
    }
    block_signals(true); /* from here the run ends as it would */
    for (size_t i = 0; i < n; i++) {
        if (!o[i].tmp) continue;
        if (ok && rename(o[i].tmp, o[i].dest) != 0) ok = false, *bad = i, err = errno;
        else if (!ok) unlink(o[i].tmp);
        tmp_done(&o[i]);
    }
    for (size_t i = 0; i < n; i++) free(o[i].dest), o[i].dest = NULL;
    if (ok) return 0;
    errno = err;
    return -1;
}
