/* headers.c - a file's headers (SPEC §2.1): the checks that an input is
 * text, the first header, and each header line again, which every thread
 * finds in the same records. */
#include "run.h"

#include <stdlib.h>
#include <string.h>

/* The delimiter of a header line at p: --delimiter, else the one detected
 * from its first physical line. */
static char header_delim(const esf_run *r, const char *p, const char *end)
{
    return r->opts.delimiter ? r->opts.delimiter : esf_rec_detect_delimiter(p, end);
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

/* Whether the record [p, next) is a header again (SPEC §2.1): split by the
 * delimiter detected from it (or --delimiter), it holds only column names
 * and every required one, and as a row under h it would be rejected.  *nh
 * is then its header.  Every thread asks this of the same records (those
 * rejected under h), so all of them read the same records under the same
 * headers. */
bool esf_header_again(esf_pass *pt, const esf_header *h, const char *p, const char *next,
                             const char *name, uint64_t line, esf_header *nh)
{
    const esf_run *r = pt->r;
    const char *q = p, *after;
    if (next - q >= 3 && memcmp(q, "\xef\xbb\xbf", 3) == 0) q += 3; /* cat a.csv b.csv: b's BOM */
    nh->delim = header_delim(r, q, next);
    esf_rec_status rs = esf_rec_next(q, next, true, nh->delim, &pt->rec, &after);
    if (rs != REC_OK || pt->rec.ncells > pt->rec.cap ||
        !esf_header_names_only(&pt->rec, r->opts.columns, r->opts.ncolumns))
        return false;
    esf_err scratch_err;
    if (esf_header_parse(nh, &pt->rec, r->opts.columns, r->opts.ncolumns, name, line, &scratch_err) !=
        ESF_OK)
        return false;
    rs = esf_rec_next(p, next, true, h->delim, &pt->rec, &after);
    esf_row row;
    esf_rowerr e;
    char scratch[ROW_SCRATCH];
    return !esf_row_parse(h, &pt->rec, rs, &row, &e, scratch);
}

/* An input that is not UTF-8 text with LF or CRLF lines (SPEC §2.1) is
 * named for what it is, with how to convert it, before its header is read:
 * the magic bytes of an archive or compressor, a UTF-16 byte order mark,
 * and in the first line a NUL byte (UTF-16) or a CR not followed by LF (old
 * Mac line endings: the whole file would be one header line). */
static esf_status check_text(esf_err *err, const char *name, const char *p, const char *end,
                             bool eof, uint64_t line)
{
    static const struct {
        const char *magic;
        size_t len;
        const char *what, *how;
    } kinds[] = {
        {"PK\x03\x04", 4, "a zip archive", "unzip -p FILE > extract.csv"},
        {"PK\x05\x06", 4, "a zip archive", "unzip -p FILE > extract.csv"},
        {"BZh", 3, "bzip2-compressed", "bzip2 -dc FILE | esfmon -"},
        {"\xfd" "7zXZ\x00", 6, "xz-compressed", "xz -dc FILE | esfmon -"},
        {"\x28\xb5\x2f\xfd", 4, "zstd-compressed", "zstd -dc FILE | esfmon -"},
        {"\xff\xfe", 2, "UTF-16 text (byte order mark FF FE)", "iconv -f UTF-16 -t UTF-8 FILE > extract.csv"},
        {"\xfe\xff", 2, "UTF-16 text (byte order mark FE FF)", "iconv -f UTF-16 -t UTF-8 FILE > extract.csv"},
    };
    const size_t n = (size_t)(end - p);
    /* the command names the file, when it has a name */
    const char *file = strcmp(name, "<stdin>") ? name : "FILE";
    for (size_t i = 0; i < ESF_ARRAY_SIZE(kinds); i++)
        if (n >= kinds[i].len && memcmp(p, kinds[i].magic, kinds[i].len) == 0) {
            const char *at = strstr(kinds[i].how, "FILE");
            return esf_fail(err, ESF_ERR_INPUT,
                            "%s: is %s, not UTF-8 CSV text; convert it first: %.*s'%s'%s", name,
                            kinds[i].what, (int)(at - kinds[i].how), kinds[i].how, file, at + 4);
        }
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
        FORWARD_IF_ERROR(check_text(&r->err, name, p, end, eof, *line));
        h->delim = header_delim(r, p, end);
        const char *next;
        esf_rec_status st = esf_rec_next(p, end, eof, h->delim, &pt->rec, &next);
        if (st == REC_NEED_MORE) break;
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
        *line += pt->rec.nlines;
        *have = true;
        p = next;
        break;
    }
    *pp = p;
    return ESF_OK;
}
