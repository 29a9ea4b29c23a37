/* reader.c - stage 1: bytes from files, stdin or memory; plain or gzip.
 * See reader.h for the block/keep contract. */
#include "reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { BLOCK = 1 << 20, RAW_BLOCK = 1 << 18 };

static bool is_gzip_magic(const unsigned char *p, size_t n)
{
    return n >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

static esf_status start_gzip(esf_reader *r, esf_err *err)
{
    memset(&r->z, 0, sizeof r->z);
    RETURN_ERROR_IF(inflateInit2(&r->z, 16 + MAX_WBITS) != Z_OK, err, ESF_ERR_NOMEM,
                    "%s: cannot initialise gzip decoder", r->name);
    r->gz = r->z_ready = r->in_member = true;
    return ESF_OK;
}

esf_status reader_open_memory(esf_reader *r, const char *name, const void *data, size_t len,
                              esf_err *err)
{
    memset(r, 0, sizeof *r);
    r->name = name;
    r->fd = -1;
    r->src = data;
    r->src_len = len;
    r->in_memory = true;
    if (is_gzip_magic(r->src, len)) return start_gzip(r, err);
    return ESF_OK;
}

esf_status reader_open_path(esf_reader *r, const char *path, const char *name, esf_err *err)
{
    memset(r, 0, sizeof *r);
    r->name = name;
    r->fd = -1;
    if (strcmp(path, "-") == 0) {
        r->fd = STDIN_FILENO;
    } else {
        r->fd = open(path, O_RDONLY | O_CLOEXEC);
        RETURN_ERROR_IF(r->fd < 0, err, ESF_ERR_INPUT, "%s: cannot open: %s", name, strerror(errno));
        r->close_fd = true;
    }
    struct stat st;
    if (fstat(r->fd, &st) != 0) {
        int e = errno;
        reader_close(r);
        return esf_fail(err, ESF_ERR_INPUT, "%s: cannot stat: %s", name, strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        reader_close(r);
        return esf_fail(err, ESF_ERR_INPUT, "%s: is a directory", name);
    }
    if (S_ISREG(st.st_mode)) {
        size_t len = (size_t)st.st_size;
        if (len > 0) {
            void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, r->fd, 0);
            if (m == MAP_FAILED) {
                int e = errno;
                reader_close(r);
                return esf_fail(err, ESF_ERR_INPUT, "%s: cannot map: %s", name, strerror(e));
            }
            madvise(m, len, MADV_SEQUENTIAL);
            r->src = m;
            r->mapped = true;
        }
        r->src_len = len;
        r->in_memory = true;
        if (is_gzip_magic(r->src, len)) return start_gzip(r, err);
        return ESF_OK;
    }
    /* A pipe or terminal: look at the first bytes to choose plain or gzip. */
    r->raw = malloc(RAW_BLOCK);
    RETURN_ERROR_IF(!r->raw, err, ESF_ERR_NOMEM, "%s: out of memory", name);
    r->raw_cap = RAW_BLOCK;
    size_t have = 0;
    while (have < 2) {
        ssize_t n = read(r->fd, r->raw + have, r->raw_cap - have);
        if (n < 0 && errno == EINTR) continue;
        RETURN_ERROR_IF(n < 0, err, ESF_ERR_INPUT, "%s: read error: %s", name, strerror(errno));
        if (n == 0) {
            r->raw_eof = true;
            break;
        }
        have += (size_t)n;
    }
    r->z.next_in = r->raw;
    r->z.avail_in = (uInt)have;
    if (is_gzip_magic(r->raw, have)) {
        memset(&r->z, 0, sizeof r->z);
        FORWARD_IF_ERROR(start_gzip(r, err));
        r->bytes_in = have;
        r->z.next_in = r->raw;
        r->z.avail_in = (uInt)have;
    }
    return ESF_OK;
}

void reader_close(esf_reader *r)
{
    if (r->mapped) munmap((void *)(uintptr_t)r->src, r->src_len);
    if (r->z_ready) inflateEnd(&r->z);
    if (r->close_fd && r->fd >= 0) close(r->fd);
    free(r->raw);
    free(r->buf);
    memset(r, 0, sizeof *r);
    r->fd = -1;
}

/* Makes sure at least `want` raw bytes are available to the decoder, unless
 * the input ends first.  Returns the bytes available. */
static esf_status raw_fill(esf_reader *r, size_t want, esf_err *err)
{
    if (r->in_memory) {
        if (r->z.avail_in == 0 && r->src_pos < r->src_len) {
            size_t n = r->src_len - r->src_pos;
            if (n > (1u << 30)) n = 1u << 30;
            r->z.next_in = (Bytef *)(uintptr_t)(r->src + r->src_pos);
            r->z.avail_in = (uInt)n;
            r->src_pos += n;
            r->bytes_in += n;
        }
        /* A mapped input is contiguous: less than `want` bytes only at its end. */
        if (r->z.avail_in < want && r->src_pos < r->src_len) {
            size_t n = r->src_len - r->src_pos;
            if (n > (1u << 30) - r->z.avail_in) n = (1u << 30) - r->z.avail_in;
            r->z.avail_in += (uInt)n;
            r->src_pos += n;
            r->bytes_in += n;
        }
        return ESF_OK;
    }
    while (r->z.avail_in < want && !r->raw_eof) {
        if (r->z.avail_in) memmove(r->raw, r->z.next_in, r->z.avail_in);
        r->z.next_in = r->raw;
        ssize_t n = read(r->fd, r->raw + r->z.avail_in, r->raw_cap - r->z.avail_in);
        if (n < 0 && errno == EINTR) continue;
        RETURN_ERROR_IF(n < 0, err, ESF_ERR_INPUT, "%s: read error: %s", r->name, strerror(errno));
        if (n == 0) r->raw_eof = true;
        r->z.avail_in += (uInt)n;
        r->bytes_in += (uint64_t)n;
    }
    return ESF_OK;
}

static bool raw_at_end(const esf_reader *r)
{
    if (r->z.avail_in) return false;
    return r->in_memory ? r->src_pos >= r->src_len : r->raw_eof;
}

/* Inflates into buf[len..cap); sets r->done at the clean end of the input. */
static esf_status inflate_some(esf_reader *r, esf_err *err)
{
    /* zlib counts in 32 bits: at most 1 GiB per call; len follows next_out. */
    size_t room = r->cap - r->len;
    r->z.next_out = r->buf + r->len;
    r->z.avail_out = (uInt)(room < (1u << 30) ? room : (1u << 30));
    while (r->z.avail_out > 0) {
        if (!r->in_member) {
            /* Between members: only the end of input or another member may follow. */
            FORWARD_IF_ERROR(raw_fill(r, 2, err));
            if (raw_at_end(r)) {
                r->done = true;
                break;
            }
            RETURN_ERROR_IF(!is_gzip_magic(r->z.next_in, r->z.avail_in), err, ESF_ERR_INPUT,
                            "%s: corrupt gzip: %u bytes of garbage after a gzip member "
                            "(offset %llu)",
                            r->name, r->z.avail_in,
                            (unsigned long long)(r->bytes_in - r->z.avail_in));
            RETURN_ERROR_IF(inflateReset(&r->z) != Z_OK, err, ESF_ERR_INPUT,
                            "%s: cannot reset gzip decoder", r->name);
            r->in_member = true;
        }
        FORWARD_IF_ERROR(raw_fill(r, 1, err));
        bool at_end = raw_at_end(r);
        uInt out_before = r->z.avail_out;
        int ret = inflate(&r->z, Z_NO_FLUSH);
        if (ret == Z_STREAM_END) {
            r->in_member = false;
        } else if ((ret == Z_OK || ret == Z_BUF_ERROR) && at_end && r->z.avail_out == out_before) {
            return esf_fail(err, ESF_ERR_INPUT,
                            "%s: truncated gzip: input ends inside a gzip member", r->name);
        } else if (ret == Z_MEM_ERROR) {
            return esf_fail(err, ESF_ERR_NOMEM, "%s: out of memory in gzip decoder", r->name);
        } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
            return esf_fail(err, ESF_ERR_INPUT, "%s: corrupt gzip: %s", r->name,
                            r->z.msg ? r->z.msg : "data error");
        }
    }
    r->len = (size_t)(r->z.next_out - r->buf);
    return ESF_OK;
}

static esf_status read_some(esf_reader *r, esf_err *err)
{
    /* Bytes already read while sniffing for gzip come first. */
    if (r->z.avail_in) {
        size_t n = r->z.avail_in;
        if (n > r->cap - r->len) n = r->cap - r->len;
        memcpy(r->buf + r->len, r->z.next_in, n);
        r->z.next_in += n;
        r->z.avail_in -= (uInt)n;
        r->len += n;
        r->bytes_in += n;
        if (r->z.avail_in == 0 && r->raw_eof) r->done = true;
        return ESF_OK;
    }
    if (r->raw_eof) {
        r->done = true;
        return ESF_OK;
    }
    while (r->len < r->cap) {
        ssize_t n = read(r->fd, r->buf + r->len, r->cap - r->len);
        if (n < 0 && errno == EINTR) continue;
        RETURN_ERROR_IF(n < 0, err, ESF_ERR_INPUT, "%s: read error: %s", r->name, strerror(errno));
        if (n == 0) {
            r->done = r->raw_eof = true;
            break;
        }
        r->len += (size_t)n;
        r->bytes_in += (uint64_t)n;
        if (r->len >= r->cap / 2) break; /* enough for one block */
    }
    return ESF_OK;
}

esf_status reader_next(esf_reader *r, size_t keep, const char **data, size_t *len, bool *eof,
                       esf_err *err)
{
    if (r->in_memory && !r->gz) {
        /* Plain bytes in memory: one block holding everything. */
        *data = (const char *)r->src;
        *len = r->src_len;
        *eof = true;
        r->bytes_in = r->src_len;
        r->done = true;
        return ESF_OK;
    }
    if (keep > r->len) keep = r->len;
    if (keep && keep < r->len) memmove(r->buf, r->buf + r->len - keep, keep);
    r->len = keep;
    /* Grow when the kept record fills more than half the buffer. */
    if (r->cap - r->len < BLOCK / 2 || r->cap < BLOCK) {
        size_t need = r->len + BLOCK;
        void *b = r->buf;
        esf_status st = esf_grow(&b, &r->cap, need, 1);
        RETURN_ERROR_IF(st != ESF_OK, err, ESF_ERR_NOMEM,
                        "%s: out of memory (a record of %zu bytes)", r->name, r->len);
        r->buf = b;
    }
    while (!r->done) {
        size_t before = r->len;
        FORWARD_IF_ERROR(r->gz ? inflate_some(r, err) : read_some(r, err));
        if (r->len > before) break;
    }
    *data = (const char *)r->buf;
    *len = r->len;
    *eof = r->done;
    return ESF_OK;
}
