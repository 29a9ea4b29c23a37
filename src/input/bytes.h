/* bytes.h - the state of an input being read (esf_reader): what reader.c
 * hands out blocks from and decode.c inflates into, each through its own
 * header (reader.h, decode.h). */
#ifndef ESF_BYTES_H
#define ESF_BYTES_H

#include "common/common.h"
#include <zlib.h>

typedef struct {
    const char *name;                 /* display name, not owned            */
    int fd;                           /* -1 when not reading a descriptor   */
    bool close_fd;
    bool regular;                     /* a regular file: read(2) never waits */
    /* whole input in memory: a mapping or the caller's buffer */
    const unsigned char *src;
    size_t src_len, src_pos;
    size_t raw_released;              /* gzip: mapped bytes given back so far */
    bool mapped;
    bool in_memory;
    uint64_t size;                    /* raw bytes to read, when known (a
                                         regular file, memory), else 0     */
    /* raw bytes read from fd (gzip from a stream) */
    unsigned char *raw;
    size_t raw_cap;
    bool raw_eof;
    /* gzip state */
    bool gz, z_ready, in_member;
    bool member_new;                  /* a member's header not yet checked */
    z_stream z;                       /* next_in/avail_in: the raw cursor,
                                         whichever decoder inflates */
    void *isal;                       /* ISA-L's state when built with it */
    /* decoded bytes handed out to the caller (not used for plain memory) */
    unsigned char *buf;
    size_t cap, len;
    bool done;                        /* everything has been handed out     */
    uint64_t bytes_in;                /* raw input bytes consumed           */
    struct esf_pipe *pipe;            /* decoder thread (esf_reader_pipeline)   */
    void *digest;                     /* XXH3-128 state of the raw bytes read,
                                         NULL: not asked for (esf_reader_digest) */
    size_t digested;                  /* a mapping's bytes hashed so far     */
    uint64_t pipe_consumed;           /* raw bytes behind the last block      */
    struct esf_statin *statin;        /* a statistical file (statfile.h): its
                                         bytes converted to CSV text on a
                                         thread of its own from open on; the
                                         text is src once esf_reader_next
                                         has waited for it                  */
} esf_reader;

#endif
