/* block.h - a block's records on several threads (block.c). */
#ifndef ESF_RUN_BLOCK_H
#define ESF_RUN_BLOCK_H

#include "state.h"

/* Counts the records of [*pp, end) (the headers of pt, lines from *line);
 * when more input follows (!eof), *pp stops before a record the block ends
 * inside. */
esf_status esf_block_rows(esf_pass *pt, const char *name, const char **pp, const char *end, bool eof,
                      uint64_t *line);
/* Frees the parsers a run keeps from block to block. */
void esf_block_free(esf_run *r);
/* Bytes of a block per thread (a parser's range): --chunk-size (1 KiB at
 * least), or 512 KiB, and no more than a block of ESF_BLOCK_MAX bytes
 * holds; a round has one per partition.  So the blocks of input in memory
 * (a ring of three) and the rows they route stay within a few hundred MiB
 * whatever the options (SPEC §2.5). */
#define ESF_BLOCK_MAX ((size_t)32 << 20)
size_t esf_block_range(const esf_run *r);

#endif
