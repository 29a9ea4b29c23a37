/* libFuzzer: the whole library on one in-memory input.  It must never crash;
 * when it accepts the input, gelezen = geaccepteerd + afgewezen + gefilterd;
 * the same bytes split by 2-4 threads in ranges of 1 KiB (block.c's
 * parallel splitter, its guesses confirmed or redone), and gzip'd (split
 * over two gzip members) and read as a stream by 2 or 3 threads, decoded
 * into blocks of 1 KiB ranges (records cut by a block's end, longer ones
 * through the reader's buffer), give the same tables byte for byte and the
 * same rejects in the same order as one thread. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "esfmon.h"

/* Logs each reject (line, reason, record bytes: every view must be valid
 * during the callback). */
static void log_reject(void *ctx, const esf_reject *r)
{
    FILE *log = ctx;
    fprintf(log, "%llu:%d:", (unsigned long long)r->line, (int)r->reason);
    fwrite(r->seen, 1, r->seen_len, log);
    fputc('|', log);
    fwrite(r->record, 1, r->record_len, log);
    fputc('\n', log);
}

/* reports: also render text and JSON (slow; the caller asks for a quarter of
 * the inputs, the same for the plain and the gzip'd run). */
static char *run(const void *d, size_t n, bool reports, unsigned threads, esf_status *st,
                 char **rejects)
{
    size_t rlen;
    FILE *log = open_memstream(rejects, &rlen);
    esf_options o = {.on_reject = log_reject, .reject_ctx = log, .threads = threads,
                     .chunk_min = 256};
    esf_run *r;
    if (esf_run_new(&o, &r) != ESF_OK) abort();
    *st = esf_run_add_memory(r, "fuzz.csv", d, n);
    char *out = NULL;
    if (*st == ESF_OK) {
        esf_counts c;
        esf_run_counts(r, &c);
        if (c.gelezen != c.geaccepteerd + c.afgewezen + c.gefilterd) abort();
        uint64_t sum = 0;
        for (int i = 0; i < ESF_REJ_COUNT; i++) sum += c.per_reason[i];
        if (sum != c.afgewezen) abort();
        if (esf_run_finish(r) != ESF_OK) abort();
        size_t len;
        FILE *f = open_memstream(&out, &len);
        esf_disclosure dc = {.round = 3, .suppress_below = 2};
        if (esf_run_write(r, ESF_FORMAT_CSV, NULL, f) != ESF_OK) abort();
        if (reports) {
            /* a few persons cannot be protected at all (SPEC §6: zeros and
             * invoer published, every x at least 1): refused, named */
            const esf_status ws = esf_run_write(r, ESF_FORMAT_TEXT, &dc, f);
            if (ws != ESF_OK && !(ws == ESF_ERR_LIMIT && strstr(esf_run_error(r), "cannot be protected"))) abort();
            if (ws == ESF_OK && esf_run_write(r, ESF_FORMAT_JSON, &dc, f) != ESF_OK) abort();
        }
        fclose(f);
    }
    esf_run_free(r);
    fclose(log);
    return out;
}

static size_t gz_member(const void *src, size_t n, unsigned char *dst, size_t cap)
{
    z_stream z = {0};
    if (deflateInit2(&z, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) abort();
    z.next_in = (Bytef *)(uintptr_t)src;
    z.avail_in = (uInt)n;
    z.next_out = dst;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END) abort();
    size_t out = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    esf_status st;
    bool reports = size % 4 == 0;
    char *rej, *rej2;
    char *plain = run(data, size, reports, 1, &st, &rej);
    if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) { /* already gzip */
        free(plain);
        free(rej);
        return 0;
    }
    esf_status st3;
    char *rej3, *ranged = run(data, size, reports, 2 + size % 3, &st3, &rej3);
    if (st != st3) abort();
    if ((plain == NULL) != (ranged == NULL) || (plain && strcmp(plain, ranged) != 0)) abort();
    if (st == ESF_OK && strcmp(rej, rej3) != 0) abort();
    free(ranged);
    free(rej3);
    size_t cap = 2 * (size + 64) + 256, half = size / 2;
    unsigned char *gz = malloc(cap);
    size_t n = gz_member(data, half, gz, cap);
    n += gz_member(data + half, size - half, gz + n, cap - n);
    esf_status st2;
    char *zipped = run(gz, n, reports, 2 + size % 2, &st2, &rej2);
    if (st != st2) abort();
    if ((plain == NULL) != (zipped == NULL) || (plain && strcmp(plain, zipped) != 0)) abort();
    if (st == ESF_OK && strcmp(rej, rej2) != 0) abort();
    free(plain);
    free(zipped);
    free(rej);
    free(rej2);
    free(gz);
    return 0;
}
