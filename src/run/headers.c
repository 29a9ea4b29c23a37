/* headers.c - a file's headers (SPEC §2.1): the checks that an input is
 * text, the first header, and each header line again, which every thread
 * finds in the same records. */
#include "headers.h"
#include "state.h"

#include <stdlib.h>
#include <string.h>

/* SPEC §2.8: statistical files are read as files (statfile.c); their
 * magic bytes seen here are inside a gzip member, or a portable file's on
 * a stream (its magic comes after 456 bytes) */
#define STAT_HOW "esfmon reads it directly once it is not gzip'd (gzip -dc it to a file first); a .por file by its name, not on standard input"

/* The delimiter of a header line at p: a statistical file's text is
 * written with ','; else --delimiter, else the one detected from its first
 * physical line. */
static char header_delim(const esf_pass *pt, const char *p, const char *end)
{
    if (pt->rd && esf_reader_stat_kind(pt->rd) != ESF_STAT_NONE) return ',';
    return pt->r->opts.delimiter ? pt->r->opts.delimiter : esf_rec_detect_delimiter(p, end);
}

esf_status esf_headers_push(esf_pass *pt, const esf_header *h)
{
    void *b = pt->hdrs;
    RETURN_ERROR_IF(esf_grow(&b, &pt->hdrs_cap, pt->nhdrs + 1u, sizeof *h), pt->err, ESF_ERR_NOMEM,
                    "out of memory");
    pt->hdrs = b;
    pt->hdrs[pt->nhdrs++] = *h;
    return ESF_OK;
}

void esf_headers_free(esf_pass *pt)
{
    free(pt->hdrs);
    pt->hdrs = NULL, pt->nhdrs = 0, pt->hdrs_cap = 0;
}

/* What the record [p, next), rejected as a row, is (SPEC §2.1):
 * split by the delimiter detected from it (or --delimiter), it is a header
 * again when it has a field for every required column; *nh is then its
 * header, or it is HDR_BAD (a column twice, a --column mapping that matches
 * nothing: the message in pt->err), as it would be for a file of its own.
 * Every thread asks this of the same records (those rejected under one header), so
 * all of them read the same records under the same headers. */
esf_hdr_again esf_header_again(esf_pass *pt, const char *p, const char *next,
                               const char *name, uint64_t line, esf_header *nh)
{
    const esf_run *r = pt->r;
    const char *q = p, *after;
    if (next - q >= 3 && memcmp(q, "\xef\xbb\xbf", 3) == 0) q += 3; /* cat a.csv b.csv: b's BOM */
    nh->delim = header_delim(pt, q, next);
    const esf_rec_status rs = esf_rec_next(q, next, true, nh->delim, &pt->rec, &after);
    if (rs != REC_OK || !esf_header_has_required(&pt->rec, r->opts.columns, r->opts.ncolumns))
        return HDR_NOT;
    return esf_header_parse(nh, &pt->rec, r->opts.columns, r->opts.ncolumns, name, line, pt->err) ==
                   ESF_OK
               ? HDR_AGAIN
               : HDR_BAD;
}

/* An input that is not UTF-8 text with LF or CRLF lines (SPEC §2.1) is
 * named for what it is, with how to convert it, before its header is read:
 * the magic bytes of an archive, compressor or spreadsheet (below) or of a
 * statistical package's file (esf_stat_magic) (inside a gzip member too: gz), a UTF-16 byte order mark,
 * and in the first line a NUL byte (UTF-16) or a CR not followed by LF (old
 * Mac line endings: the whole file would be one header line). */
static const struct {
    const char *magic;
    size_t len, at;   /* at: the offset of the magic bytes */
    const char *what;
    const char *how;  /* pipe: a command that decodes FILE to standard output */
    bool pipe;
    bool in_gz;       /* seen only inside a gzip member (outside, it is decoded) */
} not_text[] = {
    {"\x1f\x8b", 2, 0, "gzip-compressed (once more, inside the gzip)", "gzip -dc", true, true},
    {"BZh", 3, 0, "bzip2-compressed", "bzip2 -dc", true, false},
    {"\xfd" "7zXZ\x00", 6, 0, "xz-compressed", "xz -dc", true, false},
    {"\x28\xb5\x2f\xfd", 4, 0, "zstd-compressed", "zstd -dc", true, false},
    {"PK\x03\x04", 4, 0, "a zip archive (an Excel .xlsx file is one)",
     "if it is an Excel file, save it as 'CSV UTF-8' in Excel, else unzip -p FILE > extract.csv", false, false},
    {"PK\x05\x06", 4, 0, "a zip archive (an Excel .xlsx file is one)",
     "if it is an Excel file, save it as 'CSV UTF-8' in Excel, else unzip -p FILE > extract.csv", false, false},
    {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, 0, "an old Excel .xls file (an OLE2 document)",
     "save it as 'CSV UTF-8' in Excel", false, false},
    {"\xff\xfe", 2, 0, "UTF-16 text (byte order mark FF FE)", "iconv -f UTF-16 -t UTF-8 FILE > extract.csv", false, false},
    {"\xfe\xff", 2, 0, "UTF-16 text (byte order mark FE FF)", "iconv -f UTF-16 -t UTF-8 FILE > extract.csv", false, false},
};

static esf_status not_text_error(esf_err *err, const char *name, const char *what, const char *how,
                                 bool pipe, bool gz)
{
    /* the command names the file, when it has a name */
    const char *file = strcmp(name, "<stdin>") ? name : "FILE";
    if (pipe) /* how decodes standard input: after gzip's, or of the file */
        return gz ? esf_fail(err, ESF_ERR_INPUT, "%s: is %s, not UTF-8 CSV text; decompress it first: "
                                                 "gzip -dc '%s' | %s | esfmon -", name, what, file, how)
                  : esf_fail(err, ESF_ERR_INPUT, "%s: is %s, not UTF-8 CSV text; decompress it first: "
                                                 "%s '%s' | esfmon -", name, what, how, file);
    const char *at = strstr(how, "FILE");
    if (!at)
        return esf_fail(err, ESF_ERR_INPUT, "%s: is %s%s, not UTF-8 CSV text; %s", name, what,
                        gz ? " inside the gzip" : "", how);
    return esf_fail(err, ESF_ERR_INPUT, "%s: is %s%s, not UTF-8 CSV text; convert it first%s%s%s: %.*s'%s'%s",
                    name, what, gz ? " inside the gzip" : "", gz ? " (after gzip -dc '" : "", gz ? file : "",
                    gz ? "')" : "", (int)(at - how), how, gz ? "the decompressed file" : file, at + 4);
}

static esf_status check_text(esf_err *err, const char *name, const char *p, const char *end,
                             bool eof, uint64_t line, bool gz)
{
    const size_t n = (size_t)(end - p);
    for (size_t i = 0; i < ESF_ARRAY_SIZE(not_text); i++)
        if (n >= not_text[i].at + not_text[i].len &&
            memcmp(p + not_text[i].at, not_text[i].magic, not_text[i].len) == 0 && (gz || !not_text[i].in_gz))
            return not_text_error(err, name, not_text[i].what, not_text[i].how, not_text[i].pipe, gz);
    /* a statistical file (statfile.c knows their magic) is read as such
     * when it is not gzip'd: here it is, or this build has no ReadStat */
    const esf_stat_kind stat = esf_stat_magic((const unsigned char *)p, n);
    if (stat != ESF_STAT_NONE) return not_text_error(err, name, esf_stat_what(stat), STAT_HOW, false, gz);
    const char *file = strcmp(name, "<stdin>") ? name : "FILE";
    const char *lf = memchr(p, '\n', n), *stop = lf ? lf : end;
    RETURN_ERROR_IF(memchr(p, '\0', (size_t)(stop - p)), err, ESF_ERR_INPUT,
                    "%s:%llu: the header line holds NUL bytes: UTF-16 text (or not text at all), "
                    "not UTF-8; convert UTF-16 first: iconv -f UTF-16 -t UTF-8 '%s' > extract.csv",
                    name, (unsigned long long)line, file);
    for (const char *cr = p; (cr = memchr(cr, '\r', (size_t)(stop - cr))) != NULL; cr++)
        RETURN_ERROR_IF(cr + 1 < stop || (!lf && cr + 1 == end && eof), err, ESF_ERR_INPUT,
                        "%s:%llu: the header line ends in a CR without LF: CR-only line endings "
                        "(old Mac), which would read as one line; convert them first: "
                        "tr '\\r' '\\n' < '%s' > extract.csv",
                        name, (unsigned long long)line, file);
    return ESF_OK;
}

/* Reads up to the header: skips blank lines, finds the delimiter. */
esf_status esf_header_read(esf_run *r, esf_pass *pt, const char *name, esf_header *h,
                              const char **pp, const char *end, bool eof, uint64_t *line,
                              bool *have)
{
    const char *p = *pp;
    while (p < end) {
        FORWARD_IF_ERROR(check_text(&r->err, name, p, end, eof, *line, pt->rd && pt->rd->gz));
        h->delim = header_delim(pt, p, end);
        const char *next;
        esf_rec_status st = esf_rec_next(p, end, eof, h->delim, &pt->rec, &next);
        if (st == REC_NEED_MORE) {
            RETURN_ERROR_IF((size_t)(end - p) > ESF_RECORD_MAX, &r->err, ESF_ERR_INPUT,
                            "%s:%llu: the header line is longer than %zu MiB: not an extract's header",
                            name, (unsigned long long)*line, ESF_RECORD_MAX >> 20);
            break;
        }
        if (st == REC_OK && rec_is_blank(&pt->rec)) {
            *line += pt->rec.nlines;
            p = next;
            continue;
        }
        RETURN_ERROR_IF(st == REC_QUOTE_OPEN, &r->err, ESF_ERR_INPUT,
                        "%s:%llu: header: quote not closed at end of file", name,
                        (unsigned long long)*line);
        if (pt->rec.ncells > pt->rec.cap) { /* a wide header: room for its cells */
            void *b = r->cells;
            size_t cap = r->cells_cap;
            RETURN_ERROR_IF(esf_grow(&b, &cap, pt->rec.ncells + 1, sizeof *r->cells), &r->err,
                            ESF_ERR_NOMEM, "%s: out of memory", name);
            r->cells = pt->rec.cells = b;
            r->cells_cap = pt->rec.cap = (uint32_t)cap;
            continue;
        }
        FORWARD_IF_ERROR(esf_header_parse(h, &pt->rec, r->opts.columns, r->opts.ncolumns, name, *line,
                                      &r->err));
        esf_input *in = &r->inputs[r->ninputs - 1]; /* its dialect, for the record of the run */
        in->delimiter = h->delim;
        uint32_t nc = 0;
        char **names = esf_header_names(&pt->rec, &nc);
        RETURN_ERROR_IF(!names, &r->err, ESF_ERR_NOMEM, "%s: out of memory", name);
        in->columns = (const char *const *)names, in->ncolumns = nc;
        *line += pt->rec.nlines;
        *have = true;
        p = next;
        break;
    }
    *pp = p;
    return ESF_OK;
}
