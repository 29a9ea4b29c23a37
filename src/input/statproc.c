/* statproc.c - stage 1b: a statistical file converted in a process of its
 * own (esf_stat_convert, statfile.h): ReadStat 1.1.8 crashes on some
 * damaged files (fuzzing found them), and a damaged file must be an input
 * error naming it, not the end of the run and of its temporary outputs'
 * clean-up. */
#include "statfile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The helper (esf_options.stat_helper) is started afresh (posix_spawn, not
 * a fork: a fork's child inherits the locks other threads hold, and
 * deadlocks on one, as the AddressSanitizer's allocator showed), reads the
 * file on descriptor 3 and writes to the memory file on 4: a page of head,
 * the text from the next page on (the parent maps it, no copy), then the
 * case shifts. */
typedef struct {
    esf_status st;
    uint64_t len, nshift;
    esf_err err;
} child_head;

static bool write_all(int fd, const void *p, size_t n)
{
    for (const char *c = p; n;) {
        const ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        c += w, n -= (size_t)w;
    }
    return true;
}

int esf_stat_child(int in, int out, esf_stat_kind k, const char *name)
{
    const size_t page = (size_t)sysconf(_SC_PAGESIZE);
    child_head h = {0};
    esf_stat *s = NULL;
    struct stat st;
    const void *raw = MAP_FAILED;
    size_t len = 0;
    if (fstat(in, &st) == 0 && st.st_size > 0) {
        len = (size_t)st.st_size;
        raw = mmap(NULL, len, PROT_READ, MAP_PRIVATE, in, 0);
    }
    if (raw == MAP_FAILED)
        h.st = esf_fail(&h.err, ESF_ERR_INPUT, "%s: the converting process could not map the file", name);
    else
        h.st = esf_stat_read(raw, len, k, name, &s, &h.err);
    if (s) h.len = s->len, h.nshift = s->nshift;
    bool ok = pwrite(out, &h, sizeof h, 0) == (ssize_t)sizeof h && lseek(out, (off_t)page, SEEK_SET) == (off_t)page;
    if (ok && s) ok = write_all(out, s->text, s->len) && write_all(out, s->shift, s->nshift * sizeof *s->shift);
    esf_stat_free(s);
    if (raw != MAP_FAILED) munmap((void *)(uintptr_t)raw, len);
    return ok ? 0 : 1;
}

int esf_stat_helper_main(int argc, char **argv)
{
    if (argc != 4 || strcmp(argv[1], ESF_STAT_HELPER_ARG) != 0) return 2;
    const long k = strtol(argv[2], NULL, 10);
    if (k <= ESF_STAT_NONE || k > ESF_STAT_SAS7BDAT) return 2;
    return esf_stat_child(3, 4, (esf_stat_kind)k, argv[3]);
}

/* The helper's result into *out (the text mapped where it lies). */
static esf_status take(int fd, size_t page, const char *name, esf_stat **out, esf_err *err)
{
    child_head h;
    struct stat st;
    RETURN_ERROR_IF(pread(fd, &h, sizeof h, 0) != (ssize_t)sizeof h || fstat(fd, &st) != 0, err, ESF_ERR_INPUT,
                    "%s: the conversion's result could not be read back", name);
    if (h.st != ESF_OK) {
        *err = h.err;
        return h.st;
    }
    const size_t need = page + h.len + h.nshift * sizeof(*(*out)->shift);
    RETURN_ERROR_IF((uint64_t)st.st_size != need, err, ESF_ERR_INPUT, "%s: the conversion's result is incomplete", name);
    esf_stat *s = calloc(1, sizeof *s);
    void *m = s ? mmap(NULL, need, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    if (s && m != MAP_FAILED && h.nshift) s->shift = malloc(h.nshift * sizeof *s->shift);
    if (!s || m == MAP_FAILED || (h.nshift && !s->shift)) {
        if (m != MAP_FAILED) munmap(m, need);
        free(s);
        return esf_fail(err, ESF_ERR_NOMEM, "%s: out of memory", name);
    }
    s->map = m, s->map_len = need;
    s->text = (char *)m + page, s->len = h.len;
    if (h.nshift) memcpy(s->shift, (char *)m + page + h.len, h.nshift * sizeof *s->shift); /* aligned */
    s->nshift = h.nshift;
    *out = s;
    return ESF_OK;
}

/* The helper started on descriptors in (3) and out (4), every signal at
 * its default and none blocked (this thread blocks them all); its pid. */
static pid_t spawn(const char *helper, int in, int out, esf_stat_kind k, const char *name)
{
    /* both above 9, so that neither is clobbered as the other moves */
    const int in2 = fcntl(in, F_DUPFD_CLOEXEC, 10), out2 = fcntl(out, F_DUPFD_CLOEXEC, 10);
    pid_t pid = -1;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    if (in2 >= 0 && out2 >= 0 && posix_spawn_file_actions_init(&fa) == 0) {
        if (posix_spawnattr_init(&at) == 0) {
            sigset_t none, all;
            sigemptyset(&none), sigfillset(&all);
            char kind[8];
            snprintf(kind, sizeof kind, "%d", (int)k);
            char *argv[] = {(char *)(uintptr_t)helper, (char *)(uintptr_t)ESF_STAT_HELPER_ARG, kind,
                            (char *)(uintptr_t)name, NULL};
            if (posix_spawn_file_actions_adddup2(&fa, in2, 3) != 0 || posix_spawn_file_actions_adddup2(&fa, out2, 4) != 0 ||
                posix_spawnattr_setsigmask(&at, &none) != 0 || posix_spawnattr_setsigdefault(&at, &all) != 0 ||
                posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) != 0 ||
                posix_spawn(&pid, helper, &fa, &at, argv, environ) != 0)
                pid = -1;
            posix_spawnattr_destroy(&at);
        }
        posix_spawn_file_actions_destroy(&fa);
    }
    if (in2 >= 0) close(in2);
    if (out2 >= 0) close(out2);
    return pid;
}

esf_status esf_stat_convert(const unsigned char *raw, size_t len, int fd, esf_stat_kind k, const char *name,
                            const char *helper, esf_stat **out, esf_err *err)
{
    *out = NULL;
    if (!helper || !esf_stat_available()) return esf_stat_read(raw, len, k, name, out, err);
    const size_t page = (size_t)sysconf(_SC_PAGESIZE);
    int in = fd;
    if (in < 0) { /* the bytes read from a stream: in a memory file of their own */
        in = memfd_create("esfmon-statfile-in", MFD_CLOEXEC);
        if (in >= 0 && !write_all(in, raw, len)) close(in), in = -1;
    }
    const int res = memfd_create("esfmon-statfile", MFD_CLOEXEC);
    const pid_t pid = in >= 0 && res >= 0 ? spawn(helper, in, res, k, name) : -1;
    if (in >= 0 && in != fd) close(in);
    if (pid < 0) {
        if (res >= 0) close(res);
        return esf_fail(err, ESF_ERR_INPUT, "%s: %s: the process that converts it could not be started (%s)", name,
                        esf_stat_what(k), helper);
    }
    int ws = 0;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {}
    esf_status st;
    if (WIFSIGNALED(ws))
        st = esf_fail(err, ESF_ERR_INPUT, "%s: %s that cannot be read: ReadStat stopped on it with signal %d (%s); "
                      "the file is damaged", name, esf_stat_what(k), WTERMSIG(ws), strsignal(WTERMSIG(ws)));
    else if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0)
        st = esf_fail(err, ESF_ERR_INPUT, "%s: %s that cannot be read: the process that converts it ended with "
                      "status %d", name, esf_stat_what(k), WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
    else
        st = take(res, page, name, out, err);
    close(res);
    return st;
}
