/* decode.h - stage 1, the bytes themselves (decode.c): what reader.c
 * calls to inflate a gzip input or read a plain one. */
#ifndef ESF_DECODE_H
#define ESF_DECODE_H
#include "bytes.h"

enum { ESF_RAW_BLOCK = 1 << 18 }; /* raw bytes read from a descriptor at a time */

bool esf_is_gzip_magic(const unsigned char *p, size_t n);
/* Raw bytes read, into the reader's digest when it has one. */
void esf_reader_saw(esf_reader *r, const void *p, size_t n);
/* The gzip decoder readied; r->z.next_in/avail_in is the raw cursor. */
esf_status esf_decode_start(esf_reader *r, esf_err *err);
void esf_decode_end(esf_reader *r);
/* Up to room decoded bytes into out (*n of them; 0 only at the end, when
 * r->done is set).  A mapped gzip file's pages behind the cursor are given
 * back as it goes. */
esf_status esf_decode_some(esf_reader *r, unsigned char *out, size_t room, size_t *n, esf_err *err);
#endif
