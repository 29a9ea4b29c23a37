/* reader.c - stage 1: bytes from files, stdin or memory; plain or gzip.
 * See reader.h for the block/keep contract. */
#include "reader.h"
#include "decode.h"
#include "statfile.h"

#include <xxhash.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { BLOCK = 1 << 20 };

typedef enum { RAW_CALLERS, RAW_MAPPED, RAW_OWNED } raw_kind;
static esf_status stat_start(esf_reader *r, esf_stat_kind k, const void *raw, size_t len, raw_kind how,
                             esf_err *err);

esf_status esf_reader_open_memory(esf_reader *r, const char *name, const void *data, size_t len,
                              esf_err *err)
{
    memset(r, 0, sizeof *r);
    r->name = name;
    r->fd = -1;
    r->src = data;
    r->src_len = len;
    r->size = len;
    r->in_memory = true;
    const esf_stat_kind sk = esf_stat_magic(data, len);
    const esf_status st = sk != ESF_STAT_NONE ? (r->src = NULL, stat_start(r, sk, data, len, RAW_CALLERS, err))
                          : esf_is_gzip_magic(r->src, len) ? esf_decode_start(r, err)
                                                           : ESF_OK;
    if (st != ESF_OK) esf_reader_close(r);
    return st;
}

/* ---- a statistical file: converted on a thread of its own ------------------ */
struct esf_statin {
    esf_stat_kind kind;
    const unsigned char *raw;  /* the file's bytes: mapped, read (then owned),
                                  or the caller's memory (neither)     */
    size_t raw_len;
    bool raw_mapped, raw_owned, begun, started, joined;
    int fd;                    /* the file's descriptor, -1: none */
    const char *helper;        /* the program that converts it (esf_stat_convert) */
    pthread_t tid;
    const char *name;
    esf_stat *stat;
    esf_status st;
    esf_err err;
};

static void *stat_main(void *arg)
{
    struct esf_statin *si = arg;
    si->st = esf_stat_convert(si->raw, si->raw_len, si->fd, si->kind, si->name, si->helper, &si->stat, &si->err);
    return NULL;
}

static void raw_free(const void *raw, size_t len, raw_kind how)
{
    if (how == RAW_MAPPED) munmap((void *)(uintptr_t)raw, len);
    else if (how == RAW_OWNED) free((void *)(uintptr_t)raw);
}

/* The statistical file [raw, raw + len) (mapped, malloc'd, both now the
 * reader's, or the caller's), to be converted (esf_reader_stat_begin). */
static esf_status stat_start(esf_reader *r, esf_stat_kind k, const void *raw, size_t len, raw_kind how,
                             esf_err *err)
{
    struct esf_statin *si = calloc(1, sizeof *si);
    if (!si) {
        raw_free(raw, len, how);
        return esf_fail(err, ESF_ERR_NOMEM, "%s: out of memory", r->name);
    }
    *si = (struct esf_statin){.kind = k, .raw = raw, .raw_len = len, .raw_mapped = how == RAW_MAPPED,
                              .raw_owned = how == RAW_OWNED, .name = r->name,
                              .fd = how == RAW_MAPPED ? r->fd : -1};
    r->statin = si;
    r->in_memory = true;
    r->size = len;
    return ESF_OK;
}

void esf_reader_stat_begin(esf_reader *r, const char *helper)
{
    struct esf_statin *si = r->statin;
    if (!si || si->begun) return;
    si->begun = true;
    si->helper = helper;
    si->started = esf_thread_start(&si->tid, stat_main, si) == 0;
    if (!si->started) stat_main(si);
}

/* Whether the first two bytes at p could begin a statistical file whose
 * magic is in its first 16 bytes (SPSS, Stata, SAS; a portable file's is
 * further in, and is found on a named file only). */
static bool stat_lead(const unsigned char *p)
{
    return p[0] == '$' || p[0] == '<' || p[0] == 0 || (p[0] >= 104 && p[0] <= 115 && p[1] <= 2);
}

/* A statistical file on a stream: all of it read into memory first. */
static esf_status stat_slurp(esf_reader *r, esf_stat_kind k, size_t have, esf_err *err)
{
    while (!r->raw_eof) {
        void *b = r->raw;
        RETURN_ERROR_IF(esf_grow(&b, &r->raw_cap, have + ESF_RAW_BLOCK, 1), err, ESF_ERR_NOMEM,
                        "%s: out of memory", r->name);
        r->raw = b;
        const ssize_t n = read(r->fd, r->raw + have, r->raw_cap - have);
        if (n < 0 && errno == EINTR) continue;
        RETURN_ERROR_IF(n < 0, err, ESF_ERR_INPUT, "%s: read error: %s", r->name, strerror(errno));
        r->raw_eof = n == 0;
        have += (size_t)n;
    }
    unsigned char *raw = r->raw;
    r->raw = NULL, r->raw_cap = 0;
    return stat_start(r, k, raw, have, RAW_OWNED, err);
}

/* Waits for the text of a statistical file; it becomes the reader's one
 * block of plain bytes. */
static esf_status stat_wait(esf_reader *r, esf_err *err)
{
    struct esf_statin *si = r->statin;
    if (!si->begun) si->begun = true, stat_main(si); /* not begun: here, in this process */
    if (si->started && !si->joined) pthread_join(si->tid, NULL), si->joined = true;
    if (si->st != ESF_OK) {
        *err = si->err;
        return si->st;
    }
    r->src = (const unsigned char *)esf_stat_text(si->stat, &r->src_len);
    return ESF_OK;
}

static void stat_close(esf_reader *r)
{
    struct esf_statin *si = r->statin;
    if (!si) return;
    if (si->started && !si->joined) pthread_join(si->tid, NULL);
    esf_stat_free(si->stat);
    raw_free(si->raw, si->raw_len, si->raw_mapped ? RAW_MAPPED : si->raw_owned ? RAW_OWNED : RAW_CALLERS);
    free(si);
    r->statin = NULL;
    r->src = NULL; /* the text was the conversion's */
}

int esf_reader_stat_kind(const esf_reader *r)
{
    return r->statin ? (int)r->statin->kind : ESF_STAT_NONE;
}

const esf_stat *esf_reader_stat(const esf_reader *r)
{
    return r->statin && r->src ? r->statin->stat : NULL;
}

/* Opens path into r, which is zeroed first; esf_reader_open_path closes what
 * this opened when it fails (one cleanup path). */
static esf_status open_path(esf_reader *r, const char *path, const char *name, esf_err *err)
{
    if (strcmp(path, "-") == 0) {
        r->fd = STDIN_FILENO;
    } else {
        r->fd = open(path, O_RDONLY | O_CLOEXEC);
        RETURN_ERROR_IF(r->fd < 0, err, ESF_ERR_INPUT, "%s: cannot open: %s", name, strerror(errno));
        r->close_fd = true;
    }
    struct stat st;
    RETURN_ERROR_IF(fstat(r->fd, &st) != 0, err, ESF_ERR_INPUT, "%s: cannot stat: %s", name,
                    strerror(errno));
    RETURN_ERROR_IF(S_ISDIR(st.st_mode), err, ESF_ERR_INPUT, "%s: is a directory", name);
    r->regular = S_ISREG(st.st_mode);
    unsigned char magic[512];
    /* stdin may be a file read in part: what is left of it */
    const off_t at = S_ISREG(st.st_mode) ? lseek(r->fd, 0, SEEK_CUR) : -1;
    if (at >= 0 && at <= st.st_size) r->size = (uint64_t)(st.st_size - at);
    /* a gzip or statistical regular file in memory; a plain one read as a
     * stream, and one whose size says 0 (an empty file, or one under /proc
     * that is not) */
    const ssize_t nm = at == 0 && st.st_size > 0 ? pread(r->fd, magic, sizeof magic, 0) : 0;
    const esf_stat_kind sk = nm > 0 ? esf_stat_magic(magic, (size_t)nm) : ESF_STAT_NONE;
    if (nm >= 2 && (esf_is_gzip_magic(magic, 2) || sk != ESF_STAT_NONE)) {
        const size_t len = (size_t)st.st_size;
        void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, r->fd, 0);
        RETURN_ERROR_IF(m == MAP_FAILED, err, ESF_ERR_INPUT, "%s: cannot map: %s", name, strerror(errno));
        madvise(m, len, MADV_SEQUENTIAL);
        if (sk != ESF_STAT_NONE) return stat_start(r, sk, m, len, RAW_MAPPED, err);
        r->src = m;
        r->mapped = true;
        r->src_len = len;
        r->in_memory = true;
        if (esf_is_gzip_magic(r->src, len)) return esf_decode_start(r, err);
        return ESF_OK;
    }
    /* A pipe or terminal: look at the first bytes to choose plain or gzip. */
    r->raw = malloc(ESF_RAW_BLOCK);
    RETURN_ERROR_IF(!r->raw, err, ESF_ERR_NOMEM, "%s: out of memory", name);
    r->raw_cap = ESF_RAW_BLOCK;
    size_t have = 0, want = 2;
    while (have < want) {
        ssize_t n = read(r->fd, r->raw + have, r->raw_cap - have);
        if (n < 0 && errno == EINTR) continue;
        RETURN_ERROR_IF(n < 0, err, ESF_ERR_INPUT, "%s: read error: %s", name, strerror(errno));
        if (n == 0) {
            r->raw_eof = true;
            break;
        }
        have += (size_t)n;
        if (want == 2 && have >= 2 && stat_lead(r->raw)) want = 16; /* enough for its magic */
    }
    const esf_stat_kind sk_stream = esf_stat_magic(r->raw, have);
    if (sk_stream != ESF_STAT_NONE) return stat_slurp(r, sk_stream, have, err);
    r->z.next_in = r->raw;
    r->z.avail_in = (uInt)have;
    if (esf_is_gzip_magic(r->raw, have)) {
        memset(&r->z, 0, sizeof r->z);
        FORWARD_IF_ERROR(esf_decode_start(r, err));
        r->bytes_in = have;
        r->z.next_in = r->raw;
        r->z.avail_in = (uInt)have;
    }
    return ESF_OK;
}

esf_status esf_reader_open_path(esf_reader *r, const char *path, const char *name, esf_err *err)
{
    memset(r, 0, sizeof *r);
    r->name = name;
    r->fd = -1;
    const esf_status st = open_path(r, path, name, err);
    if (st != ESF_OK) esf_reader_close(r);
    return st;
}

static void pipe_free(esf_reader *r);

esf_status esf_reader_digest(esf_reader *r, esf_err *err)
{
    XXH3_state_t *s = XXH3_createState();
    RETURN_ERROR_IF(!s || XXH3_128bits_reset(s) != XXH_OK, err, ESF_ERR_NOMEM, "%s: out of memory", r->name);
    r->digest = s;
    if (r->statin) esf_reader_saw(r, r->statin->raw, r->statin->raw_len); /* read only */
    else if (r->in_memory && !r->gz) esf_reader_saw(r, r->src, r->src_len); /* one block, all of it */
    else if (!r->in_memory) esf_reader_saw(r, r->z.next_in, r->z.avail_in); /* the magic looked at */
    return ESF_OK;
}

void esf_reader_stop(esf_reader *r)
{
    pipe_free(r);
}

void esf_reader_digest_end(esf_reader *r, uint64_t *high, uint64_t *low)
{
    if (r->in_memory && r->gz && r->digested < r->src_len) /* gzip in memory: what is left */
        esf_reader_saw(r, r->src + r->digested, r->src_len - r->digested);
    r->digested = r->src_len;
    const XXH128_hash_t h = XXH3_128bits_digest(r->digest);
    *high = h.high64, *low = h.low64;
}

void esf_reader_close(esf_reader *r)
{
    XXH3_freeState(r->digest);
    pipe_free(r);
    stat_close(r);
    if (r->mapped) munmap((void *)(uintptr_t)r->src, r->src_len);
    esf_decode_end(r);
    if (r->close_fd && r->fd >= 0) close(r->fd);
    free(r->raw);
    free(r->buf);
    memset(r, 0, sizeof *r);
    r->fd = -1;
}

/* ---- decoding on a second thread ------------------------------------------
 * The decoder decodes straight into a ring of blocks, each with room at its
 * front (head) for the bytes of the record the block before ended inside:
 * the reading thread copies those few bytes there (esf_reader_next) and
 * hands the block out as it is, no copy of the rest.  A record longer than
 * the head goes through the reader's own buffer, as without the decoder.
 * The decoder alone touches the inflate and raw-input state while it runs. */
enum { RING = 3, BLOCK_MIN = 256, HEAD_MAX = 64 << 10 };

typedef struct {
    unsigned char *p;  /* head bytes of room, then the decoded bytes      */
    size_t len;        /* decoded bytes behind the head                   */
    uint64_t seq;      /* which block of the stream it holds              */
    bool full, last;
    esf_status st;
    uint64_t consumed; /* raw input bytes consumed when the block was full */
} ring_block;

struct esf_pipe {
    pthread_t tid;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    ring_block s[RING];
    size_t size, head; /* bytes decoded per block; room in front of them */
    bool stop, started;
    esf_err err;
    /* the block being decoded, a piece at a time: by the decoder thread
     * (a whole block a piece) or, pumped, by whichever thread calls
     * esf_reader_pump, one at a time (decoding) */
    bool pumped, decoding, finished;
    uint64_t dseq;     /* the block being decoded                          */
    size_t dlen;       /* its bytes decoded so far                         */
    /* the reading thread's */
    uint64_t next;     /* the block it takes next                         */
    bool held;         /* block next - 1 is out (its bytes handed out)    */
    const unsigned char *out; /* what was handed out last                 */
    size_t out_len;
    bool ended;        /* it has handed out the last                      */
};

/* Decodes up to `piece` bytes more of the block being filled, when the
 * ring has room for it and no other thread is decoding; false when there
 * was nothing to do.  The block is handed over once full, at the end of
 * the input or at an error. */
static bool decode_piece(esf_reader *r, size_t piece)
{
    struct esf_pipe *q = r->pipe;
    pthread_mutex_lock(&q->mu);
    ring_block *sl = &q->s[q->dseq % RING];
    if (q->decoding || q->finished || q->stop || sl->full) {
        pthread_mutex_unlock(&q->mu);
        return false;
    }
    q->decoding = true;
    const size_t from = q->dlen;
    pthread_mutex_unlock(&q->mu);
    const size_t want = q->size - from < piece ? q->size - from : piece;
    unsigned char *at = sl->p + q->head + from;
    size_t len = 0, n;
    esf_status st = ESF_OK;
    esf_err err = {{0}};
    while (len < want && !r->done && st == ESF_OK) {
        st = esf_decode_some(r, at + len, want - len, &n, &err);
        if (st == ESF_OK) len += n;
    }
    pthread_mutex_lock(&q->mu);
    q->dlen += len;
    if (st != ESF_OK) q->err = err;
    if (q->dlen == q->size || r->done || st != ESF_OK) { /* the block handed over */
        sl->len = q->dlen;
        sl->st = st;
        sl->seq = q->dseq;
        sl->last = q->finished = r->done || st != ESF_OK;
        sl->consumed = r->bytes_in - (r->gz ? r->z.avail_in : 0);
        sl->full = true;
        q->dseq++, q->dlen = 0;
    }
    q->decoding = false;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    return true;
}

/* The decoder thread: a block at a time, as the ring has room. */
static void *decoder_main(void *arg)
{
    esf_reader *r = arg;
    struct esf_pipe *q = r->pipe;
    for (;;) {
        pthread_mutex_lock(&q->mu);
        while (q->s[q->dseq % RING].full && !q->stop) pthread_cond_wait(&q->cv, &q->mu);
        const bool end = q->stop || q->finished;
        pthread_mutex_unlock(&q->mu);
        if (end) break;
        (void)decode_piece(r, q->size);
    }
    return NULL;
}

#define PUMP_PIECE ((size_t)256 << 10)
bool esf_reader_pump(esf_reader *r)
{
    return r && r->pipe && r->pipe->pumped && decode_piece(r, PUMP_PIECE);
}

esf_status esf_reader_pipeline(esf_reader *r, size_t block, bool pumped, esf_err *err)
{
    RETURN_ERROR_IF(r->in_memory && !r->gz, err, ESF_ERR_INPUT,
                    "%s: a plain input in memory needs no decoder", r->name);
    struct esf_pipe *q = calloc(1, sizeof *q);
    RETURN_ERROR_IF(!q, err, ESF_ERR_NOMEM, "%s: out of memory", r->name);
    q->size = block ? (block < BLOCK_MIN ? BLOCK_MIN : block) : (size_t)2 * BLOCK;
    q->head = q->size / 4 < BLOCK_MIN ? BLOCK_MIN : q->size / 4 > HEAD_MAX ? HEAD_MAX : q->size / 4;
    bool ok = true;
    for (unsigned i = 0; i < RING; i++) {
        ok = ok && (q->s[i].p = malloc(q->head + q->size)) != NULL;
        if (ok) esf_populate(q->s[i].p, q->head + q->size); /* its pages at once */
    }
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    r->pipe = q;
    q->pumped = pumped;
    if (ok && pumped) return ESF_OK;
    if (ok) q->started = esf_thread_start(&q->tid, decoder_main, r) == 0;
    if (!q->started) {
        pipe_free(r);
        return esf_fail(err, ESF_ERR_NOMEM, "%s: out of memory: cannot start the decoder thread", r->name);
    }
    return ESF_OK;
}

static void pipe_stop(esf_reader *r)
{
    struct esf_pipe *q = r->pipe;
    pthread_mutex_lock(&q->mu);
    q->stop = true;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

static void pipe_free(esf_reader *r)
{
    struct esf_pipe *q = r->pipe;
    if (!q) return;
    if (q->started) {
        pipe_stop(r);
        pthread_join(q->tid, NULL);
    }
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->cv);
    for (unsigned i = 0; i < RING; i++) free(q->s[i].p);
    free(q);
    r->pipe = NULL;
}

/* Waits for block seq; NULL when the decoder was stopped. */
static ring_block *ring_take(esf_reader *r, uint64_t seq)
{
    struct esf_pipe *q = r->pipe;
    ring_block *sl = &q->s[seq % RING];
    pthread_mutex_lock(&q->mu);
    while (!(sl->full && sl->seq == seq) && !q->stop) {
        if (q->pumped && !q->decoding) { /* decode it here */
            pthread_mutex_unlock(&q->mu);
            (void)esf_reader_pump(r);
            pthread_mutex_lock(&q->mu);
            continue;
        }
        pthread_cond_wait(&q->cv, &q->mu);
    }
    const bool have = sl->full && sl->seq == seq;
    pthread_mutex_unlock(&q->mu);
    return have ? sl : NULL;
}

/* Gives block seq back to the decoder. */
static void ring_give_back(struct esf_pipe *q, uint64_t seq)
{
    ring_block *sl = &q->s[seq % RING];
    pthread_mutex_lock(&q->mu);
    sl->full = false;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

/* The reader's buffer grown to need bytes; record: the bytes of the
 * unfinished record kept, for the message. */
static esf_status buf_grow(esf_reader *r, size_t need, size_t record, esf_err *err)
{
    void *b = r->buf;
    RETURN_ERROR_IF(esf_grow(&b, &r->cap, need, 1), err, ESF_ERR_NOMEM,
                    "%s: out of memory (a record of %zu bytes)", r->name, record);
    r->buf = b;
    return ESF_OK;
}

/* esf_reader_next through the decoder: the next block, behind the last
 * `keep` bytes handed out (in its head, or with the block's bytes in the
 * reader's buffer when they do not fit).  A decoder's error comes after the
 * bytes before it. */
static esf_status next_from_ring(esf_reader *r, size_t keep, const char **data, size_t *len,
                                 bool *eof, esf_err *err)
{
    struct esf_pipe *q = r->pipe;
    if (keep > q->out_len) keep = q->out_len;
    const unsigned char *kept = keep ? q->out + q->out_len - keep : NULL; /* (no NULL + 0) */
    ring_block *sl = !q->ended ? ring_take(r, q->next) : NULL;
    if (!sl || sl->st != ESF_OK) { /* the blocks before it were handed out */
        if (q->held) ring_give_back(q, q->next - 1), q->held = false;
        if (sl) {
            *err = q->err;
            return sl->st;
        }
        return esf_fail(err, ESF_ERR_INPUT, "%s: %s", r->name,
                        q->ended ? "read after its end" : "the decoder was stopped");
    }
    /* what the block holds, read before it may be given back */
    const size_t got = sl->len;
    r->pipe_consumed = sl->consumed;
    q->ended = sl->last;
    if (keep <= q->head) { /* the kept bytes into the head: the block as it is */
        unsigned char *at = sl->p + q->head - keep;
        if (keep) memcpy(at, kept, keep);
        if (q->held) ring_give_back(q, q->next - 1);
        q->held = true;
        q->out = at, q->out_len = keep + got;
    } else { /* a long record: the kept bytes and the block's in the buffer */
        const bool in_buf = q->out == r->buf;
        if (in_buf && kept != r->buf) memmove(r->buf, kept, keep);
        FORWARD_IF_ERROR(buf_grow(r, keep + got, keep, err));
        if (!in_buf) memcpy(r->buf, kept, keep); /* from the block held */
        memcpy(r->buf + keep, sl->p + q->head, got);
        if (q->held) ring_give_back(q, q->next - 1);
        ring_give_back(q, q->next);
        q->held = false;
        q->out = r->buf, q->out_len = keep + got;
    }
    q->next++;
    *data = (const char *)q->out;
    *len = q->out_len;
    *eof = q->ended;
    return ESF_OK;
}

esf_status esf_reader_next(esf_reader *r, size_t keep, const char **data, size_t *len, bool *eof,
                       esf_err *err)
{
    if (r->statin && !r->src) FORWARD_IF_ERROR(stat_wait(r, err));
    if (r->in_memory && !r->gz) {
        /* Plain bytes in memory: one block holding everything. */
        *data = (const char *)r->src;
        *len = r->src_len;
        *eof = true;
        r->bytes_in = r->src_len;
        r->done = true;
        return ESF_OK;
    }
    if (r->pipe) return next_from_ring(r, keep, data, len, eof, err);
    if (keep > r->len) keep = r->len;
    if (keep && keep < r->len) memmove(r->buf, r->buf + r->len - keep, keep);
    r->len = keep;
    /* Grow when the kept record fills more than half the buffer. */
    if (r->cap - r->len < BLOCK / 2 || r->cap < BLOCK) {
        FORWARD_IF_ERROR(buf_grow(r, r->len + BLOCK, r->len, err));
        esf_populate(r->buf + r->len, r->cap - r->len); /* its pages at once, not one fault each */
    }
    /* new bytes (at least one), as the buffer has room */
    for (size_t room; !r->done && (room = r->cap - r->len) > 0;) {
        size_t n;
        FORWARD_IF_ERROR(esf_decode_some(r, r->buf + r->len, room, &n, err));
        r->len += n;
        if (n) break;
    }
    *data = (const char *)r->buf;
    *len = r->len;
    *eof = r->done;
    return ESF_OK;
}
