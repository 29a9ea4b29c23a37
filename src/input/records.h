/* records.h - stage 2: split bytes into records and records into cells.
 *
 * RFC 4180 with the tolerances of SPEC §2.1: spaces around a field outside its
 * quotes are trimmed, CRLF and LF both end a record, a quoted field may hold
 * the delimiter, doubled quotes and line breaks.  Cells are views into the
 * caller's buffer; a quoted cell with doubled quotes is flagged `escaped` and
 * unescaped only by whoever needs its exact bytes (esf_cell_unescape). */
#ifndef ESF_RECORDS_H
#define ESF_RECORDS_H

#include "common/common.h"

typedef struct {
    const char *p;     /* content: inside the quotes when quoted, trimmed  */
    size_t len;        /* 64-bit: a field may be longer than 4 GiB          */
    uint8_t quoted;
    uint8_t escaped;   /* contains "" pairs                                */
} esf_cell;

typedef enum {
    REC_OK = 0,        /* a complete record                                */
    REC_NEED_MORE,     /* the buffer ends inside the record (not at eof)   */
    REC_QUOTE_OPEN     /* eof inside a quoted field: the record runs to eof */
} esf_rec_status;

typedef struct {
    esf_cell *cells;   /* the first `cap` cells, owned by the caller       */
    uint32_t cap;
    size_t ncells;     /* number of cells in the record (may exceed cap)   */
    const char *start; /* record bytes, without its line end               */
    size_t len;
    uint64_t nlines;   /* physical lines the record spans (>= 1)           */
    bool bad_quote;    /* text between a closing quote and the delimiter   */
} esf_record;

/* Parses one record starting at p.  On REC_OK, *next is the start of the
 * following record.  eof says that nothing follows `end`. */
esf_rec_status esf_rec_next(const char *p, const char *end, bool eof, char delim, esf_record *rec,
                        const char **next);

/* esf_rec_next without its fast paths (a line free of quotes and padding; a
 * line whose quotes each open or close a cell on it, no padding outside
 * them): what esf_rec_next falls back to for any other record, and the
 * reference the tests hold those paths to (le is the first line end in
 * [p, end), or end). */
esf_rec_status esf_rec_next_general(const char *p, const char *le, const char *end, bool eof,
                                char delim, esf_record *rec, const char **next);

/* A record may hold at most ESF_RECORD_MAX bytes (SPEC §2.4): a longer one
 * is rejected as te_lang without being kept; esf_rec_skip finds where it
 * ends, a block at a time, as esf_rec_next would. */
#define ESF_RECORD_MAX ((size_t)64 << 20)

typedef struct {
    uint8_t state;     /* where in a cell the bytes passed so far end   */
    uint64_t nlines;   /* line feeds inside quotes so far, plus one      */
    uint64_t bytes;    /* the record's bytes so far, its line end too    */
    bool nul;          /* a NUL byte seen: binary data, not text         */
} esf_rec_skip;

/* Begins a record to be skipped. */
void esf_rec_skip_init(esf_rec_skip *s);
/* Passes the record's bytes in [p, end): the start of the next record when
 * it ends there, else NULL (every byte passed). */
const char *esf_rec_skip_some(esf_rec_skip *s, const char *p, const char *end, char delim);
/* Whether the input ended with the record's quote open (quote_open). */
bool esf_rec_skip_quote_open(const esf_rec_skip *s);

/* A guess at the first record that starts at or after x, x inside a block
 * (x[-1] is readable): the first line start, as if no quoted field held a
 * line feed there (end when no line feed follows).  A parallel splitter
 * confirms it: right when the range before stops there. */
static inline const char *esf_rec_guess(const char *x, const char *end)
{
    if (x[-1] == '\n') return x;
    const char *lf = memchr(x, '\n', (size_t)(end - x));
    return lf ? lf + 1 : end;
}

/* The bytes of [s, le) up to a final CR: a line's last cell, and the line,
 * end there (CRLF: the CR is the line end's). */
static inline size_t esf_before_cr(const char *s, const char *le)
{
    return (size_t)(le - s) - (le > s && le[-1] == '\r');
}

/* True for a record that is blank (no cells but one unquoted empty one). */
static inline bool rec_is_blank(const esf_record *rec)
{
    return rec->ncells == 1 && !rec->cells[0].quoted && rec->cells[0].len == 0;
}

/* The delimiter among , ; TAB | that occurs most often outside quotes in the
 * first physical line of p, up to its line feed even when a quote is open
 * there (ties: in that order); ',' if none occurs. */
char esf_rec_detect_delimiter(const char *p, const char *end);

/* Copies the cell's value with "" turned into ", into dst (room for c->len). */
size_t esf_cell_unescape(const esf_cell *c, char *dst);

#endif
