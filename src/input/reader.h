/* reader.h - stage 1: bytes from an input (file, stdin, memory), plain or
 * gzip, or a statistical file as CSV text (statfile.h).
 *
 * The reader hands out blocks of decoded bytes.  The caller consumes complete
 * records from a block and tells the next call how many bytes at its end are
 * still unconsumed ("keep"); they reappear at the start of the next block, so a
 * record never has to be copied by the caller.  The caller's memory is handed
 * out as one block; a gzip regular file is memory-mapped and inflated; plain
 * files and streams are read (read(2)), and gzip streams decoded, into a
 * buffer owned by the reader, grown only when one record exceeds it, or
 * straight into a ring of blocks (esf_reader_pipeline): by a decoder thread,
 * or pumped a piece at a time by whichever thread calls esf_reader_pump.  A
 * plain file is read, not mapped: on a virtual machine the parser reading a
 * mapping's pages (4 KiB each, faulted in and given back) cost more than the
 * copy into a buffer that stays in the cache. */
#ifndef ESF_READER_H
#define ESF_READER_H

#include "bytes.h"


/* Open an input; on failure nothing is left open (the reader is closed). */
esf_status esf_reader_open_path(esf_reader *r, const char *path, const char *name, esf_err *err);
esf_status esf_reader_open_memory(esf_reader *r, const char *name, const void *data, size_t len,
                              esf_err *err);
/* Returns the next block in data and len; the first `keep` bytes of it are the
 * last `keep` bytes of the previous block.  *eof is set when the block holds
 * the rest of the input; after that, calling again is an error. */
esf_status esf_reader_next(esf_reader *r, size_t keep, const char **data, size_t *len, bool *eof,
                       esf_err *err);
void esf_reader_close(esf_reader *r);
/* A statistical file's conversion begun, on a thread of its own, by the
 * helper program (NULL: in this process; see esf_stat_convert); without
 * this call, esf_reader_next converts it in this process when first
 * called.  Nothing for other inputs. */
void esf_reader_stat_begin(esf_reader *r, const char *helper);
/* The statistical file an input is (ESF_STAT_NONE: text, plain or gzip),
 * and, once its text is read, its cases (esf_stat_case; NULL before). */
int esf_reader_stat_kind(const esf_reader *r);
const struct esf_stat *esf_reader_stat(const esf_reader *r);

/* Stops its decoder (the ring and its thread), so that its counters and
 * digest can be read on the calling thread; the reader is then read no
 * further. */
void esf_reader_stop(esf_reader *r);

/* From now on (before the first esf_reader_next), the XXH3-128 digest of
 * the input's raw bytes as they are read (compressed ones for gzip; the
 * bytes already looked at for its magic too); esf_reader_digest_end gives
 * it once the input is read to its end and its decoder stopped
 * (esf_reader_stop). */
esf_status esf_reader_digest(esf_reader *r, esf_err *err);
void esf_reader_digest_end(esf_reader *r, uint64_t *high, uint64_t *low);

/* Decodes a gzip input or a stream from now on straight into a ring of
 * three blocks of `block` bytes (0: 2 MiB; at least 256), each with room in
 * front for the bytes of a record the block before ended inside;
 * esf_reader_next hands each out behind those bytes (the raw position
 * behind it in pipe_consumed).  pumped: no thread of its own; the blocks are
 * decoded by esf_reader_pump, and by esf_reader_next when the one it wants
 * is not ready (a stream whose reads may wait needs the thread). */
esf_status esf_reader_pipeline(esf_reader *r, size_t block, bool pumped, esf_err *err);
/* Of a pumped pipeline (else false at once): decodes a piece of the next
 * block when the ring has room and no other thread is decoding; false when
 * there was nothing to do.  Any thread may call it, while another takes
 * blocks. */
bool esf_reader_pump(esf_reader *r);

/* Raw input bytes the decoder has consumed (gzip or stream; not while a
 * pipeline runs: pipe_consumed says it); for plain input in memory the caller's
 * position in the one block says more. */
static inline uint64_t reader_consumed(const esf_reader *r)
{
    if (r->in_memory) return r->gz ? r->src_pos - r->z.avail_in : r->src_len;
    return r->bytes_in - (r->gz ? r->z.avail_in : 0);
}

#endif
