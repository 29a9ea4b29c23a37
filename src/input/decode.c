/* decode.c - stage 1, the bytes themselves: gzip members inflated (ISA-L
 * or zlib) from a mapping or a descriptor, plain bytes read from a
 * descriptor.  reader.c decides where they go (its buffer, or a ring). */
#include "decode.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xxhash.h>
#ifdef ESF_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

enum { RAW_RELEASE = 4 << 20 };

void esf_reader_saw(esf_reader *r, const void *p, size_t n)
{
    if (r->digest && n) (void)XXH3_128bits_update(r->digest, p, n);
}

bool esf_is_gzip_magic(const unsigned char *p, size_t n)
{
    return n >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

/* Gzip members are inflated by ISA-L when esfmon is built with it (igzip -dc
 * takes 0.13 s where zcat takes 0.66 s on the same file here), by zlib
 * otherwise; both give the same bytes and the same errors.
 * z.next_in/avail_in is the raw cursor either way. */
esf_status esf_decode_start(esf_reader *r, esf_err *err)
{
    memset(&r->z, 0, sizeof r->z);
#ifdef ESF_HAVE_ISAL
    r->isal = malloc(sizeof(struct inflate_state));
    RETURN_ERROR_IF(!r->isal, err, ESF_ERR_NOMEM, "%s: out of memory", r->name);
    isal_inflate_init(r->isal);
    ((struct inflate_state *)r->isal)->crc_flag = ISAL_GZIP;
#else
    RETURN_ERROR_IF(inflateInit2(&r->z, 16 + MAX_WBITS) != Z_OK, err, ESF_ERR_NOMEM,
                    "%s: cannot initialise gzip decoder", r->name);
    r->z_ready = true;
#endif
    r->gz = r->in_member = r->member_new = true;
    return ESF_OK;
}

void esf_decode_end(esf_reader *r)
{
    if (r->z_ready) inflateEnd(&r->z);
    free(r->isal);
    r->isal = NULL, r->z_ready = false;
}

/* Gives back the whole pages of a mapping in [from, to). */
static void unmap_pages(const void *from, const void *to)
{
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), a = ((uintptr_t)from + page - 1) & ~(page - 1),
                    b = (uintptr_t)to & ~(page - 1);
    if (b > a) madvise((void *)a, b - a, MADV_DONTNEED);
}
/* Makes sure at least `want` raw bytes are in z.next_in/avail_in for the
 * decoder, unless the input ends first (then fewer); a read error is
 * ESF_ERR_INPUT. */
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
        esf_reader_saw(r, r->z.next_in + r->z.avail_in, (size_t)n);
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

/* Between gzip members: only the end of input or another member may follow.
 * *more is false at the clean end (r->done set); anything else after a
 * member is ESF_ERR_INPUT. */
static esf_status next_member(esf_reader *r, bool *more, esf_err *err)
{
    FORWARD_IF_ERROR(raw_fill(r, 2, err));
    *more = !raw_at_end(r);
    if (!*more) {
        r->done = true;
        return ESF_OK;
    }
    RETURN_ERROR_IF(!esf_is_gzip_magic(r->z.next_in, r->z.avail_in), err, ESF_ERR_INPUT,
                    "%s: corrupt gzip: %u bytes of garbage after a gzip member (offset %llu)",
                    r->name, r->z.avail_in, (unsigned long long)(r->bytes_in - r->z.avail_in));
    r->in_member = r->member_new = true;
    return ESF_OK;
}

/* A member's header before it is inflated: a reserved flag bit (FLG bits
 * 5-7) set is an error (RFC 1952), as zcat has it; zlib says so too, ISA-L
 * would go on. */
static esf_status member_header(esf_reader *r, esf_err *err)
{
    FORWARD_IF_ERROR(raw_fill(r, 4, err));
    r->member_new = false;
    RETURN_ERROR_IF(r->z.avail_in >= 4 && (r->z.next_in[3] & 0xe0), err, ESF_ERR_INPUT,
                    "%s: corrupt gzip: reserved header flag bits set (flags 0x%02x at offset %llu; RFC 1952)",
                    r->name, r->z.next_in[3], (unsigned long long)(r->bytes_in - r->z.avail_in + 3));
    return ESF_OK;
}

#ifdef ESF_HAVE_ISAL
static esf_status inflate_some(esf_reader *r, unsigned char *out, size_t room, size_t *n,
                               esf_err *err)
{
    struct inflate_state *s = r->isal;
    s->next_out = out;
    s->avail_out = (uint32_t)(room < (1u << 30) ? room : (1u << 30));
    while (s->avail_out > 0) {
        if (!r->in_member) {
            bool more;
            FORWARD_IF_ERROR(next_member(r, &more, err));
            if (!more) break;
            isal_inflate_reset(s);
            s->crc_flag = ISAL_GZIP;
        }
        if (r->member_new) FORWARD_IF_ERROR(member_header(r, err));
        FORWARD_IF_ERROR(raw_fill(r, 1, err));
        bool at_end = raw_at_end(r);
        uint32_t out_before = s->avail_out;
        s->next_in = r->z.next_in;
        s->avail_in = r->z.avail_in;
        int ret = isal_inflate(s);
        bool moved = s->next_in != r->z.next_in || s->avail_out != out_before;
        r->z.next_in = s->next_in;
        r->z.avail_in = s->avail_in;
        RETURN_ERROR_IF(ret == ISAL_INCORRECT_CHECKSUM, err, ESF_ERR_INPUT,
                        "%s: corrupt gzip: incorrect data check", r->name);
        RETURN_ERROR_IF(ret < 0, err, ESF_ERR_INPUT, "%s: corrupt gzip: %s", r->name,
                        ret == ISAL_INVALID_WRAPPER      ? "incorrect header"
                        : ret == ISAL_UNSUPPORTED_METHOD ? "unknown compression method"
                                                         : "invalid deflate data");
        if (s->block_state == ISAL_BLOCK_FINISH) r->in_member = false;
        else RETURN_ERROR_IF(at_end && !moved, err, ESF_ERR_INPUT,
                             "%s: truncated gzip: input ends inside a gzip member", r->name);
    }
    *n = (size_t)(s->next_out - out);
    return ESF_OK;
}
#else
/* Inflates into out[0..room), *n bytes; sets r->done at the clean end of the
 * input. */
static esf_status inflate_some(esf_reader *r, unsigned char *out, size_t room, size_t *n,
                               esf_err *err)
{
    /* zlib counts in 32 bits: at most 1 GiB per call. */
    *n = 0;
    r->z.next_out = out;
    r->z.avail_out = (uInt)(room < (1u << 30) ? room : (1u << 30));
    while (r->z.avail_out > 0) {
        if (!r->in_member) {
            bool more;
            FORWARD_IF_ERROR(next_member(r, &more, err));
            if (!more) break;
            RETURN_ERROR_IF(inflateReset(&r->z) != Z_OK, err, ESF_ERR_INPUT,
                            "%s: cannot reset gzip decoder", r->name);
        }
        if (r->member_new) FORWARD_IF_ERROR(member_header(r, err));
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
    *n = (size_t)(r->z.next_out - out);
    return ESF_OK;
}
#endif

/* Reads plain bytes of a stream into out[0..room), *n bytes. */
static esf_status read_some(esf_reader *r, unsigned char *out, size_t room, size_t *n,
                            esf_err *err)
{
    *n = 0;
    /* Bytes already read while sniffing for gzip come first. */
    if (r->z.avail_in) {
        size_t k = r->z.avail_in < room ? r->z.avail_in : room;
        memcpy(out, r->z.next_in, k);
        r->z.next_in += k;
        r->z.avail_in -= (uInt)k;
        *n = k;
        r->bytes_in += k;
        if (r->z.avail_in == 0 && r->raw_eof) r->done = true;
        return ESF_OK;
    }
    if (r->raw_eof) {
        r->done = true;
        return ESF_OK;
    }
    while (*n < room) {
        ssize_t k = read(r->fd, out + *n, room - *n);
        if (k < 0 && errno == EINTR) continue;
        RETURN_ERROR_IF(k < 0, err, ESF_ERR_INPUT, "%s: read error: %s", r->name, strerror(errno));
        if (k == 0) {
            r->done = r->raw_eof = true;
            break;
        }
        esf_reader_saw(r, out + *n, (size_t)k);
        *n += (size_t)k;
        r->bytes_in += (uint64_t)k;
        if (*n >= room / 2) break; /* enough for one block */
    }
    return ESF_OK;
}

esf_status esf_decode_some(esf_reader *r, unsigned char *out, size_t room, size_t *n,
                              esf_err *err)
{
    if (!r->gz) return read_some(r, out, room, n, err);
    esf_status st = inflate_some(r, out, room, n, err);
    /* The compressed bytes of a mapped file behind the decoder are not needed
     * again: give their pages back, a few MiB at a time. */
    if (r->mapped) {
        const unsigned char *at = r->z.next_in;
        if (r->digest && at > r->src + r->digested) { /* hashed as it is consumed */
            esf_reader_saw(r, r->src + r->digested, (size_t)(at - (r->src + r->digested)));
            r->digested = (size_t)(at - r->src);
        }
        if (at - (r->src + r->raw_released) >= RAW_RELEASE) {
            unmap_pages(r->src + r->raw_released, at);
            r->raw_released = (size_t)(at - r->src);
        }
    }
    return st;
}
