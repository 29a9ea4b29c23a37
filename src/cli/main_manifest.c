/* main_manifest.c - the record of a run (--manifest FILE, SPEC §8): what it
 * read, with which options, what it wrote and how it ended, as one JSON
 * document (RFC 8259; fields in docs/MANIFEST.md, schema in
 * docs/manifest.schema.json).  Part of the CLI, not the library. */
#include "main.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

const char *format_name(esf_format f)
{
    switch (f) {
    case ESF_FORMAT_CSV: return "csv";
    case ESF_FORMAT_TEXT: return "text";
    case ESF_FORMAT_JSON: return "json";
    case ESF_FORMAT_MARKDOWN: return "markdown";
    case ESF_FORMAT_HTML: return "html";
    default: return "csv";
    }
}

/* The length of the well-formed UTF-8 character at p (RFC 3629), 0 when
 * it is not one. */
static size_t utf8_at(const unsigned char *p)
{
    const unsigned c = p[0];
    size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    const unsigned lo = c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80, hi = c == 0xed ? 0x9f : c == 0xf4 ? 0x8f : 0xbf;
    if (n && (p[1] < lo || p[1] > hi)) return 0;
    for (size_t i = 2; i < n; i++)
        if ((p[i] & 0xc0) != 0x80) return 0;
    return n;
}

/* A JSON string; bytes that are not UTF-8 (a file name may hold any) as
 * U+FFFD.  NULL: null. */
static void json_str(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    putc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        if (*p < 0x80) {
            if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
            else if (*p < 0x20 || *p == 0x7f) fprintf(f, "\\u%04x", *p);
            else putc(*p, f);
            p++;
            continue;
        }
        const size_t n = utf8_at(p);
        if (n) fwrite(p, 1, n, f);
        else fputs("\\ufffd", f);
        p += n ? n : 1;
    }
    putc('"', f);
}

static void json_time(FILE *f, const struct timespec *t)
{
    struct tm tm;
    char buf[32];
    gmtime_r(&t->tv_sec, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(f, "\"%s.%03ldZ\"", buf, t->tv_nsec / 1000000);
}

static void json_rows(FILE *f, const esf_counts *c)
{
    fprintf(f, "{\"read\": %" PRIu64 ", \"accepted\": %" PRIu64 ", \"rejected\": %" PRIu64
               ", \"filtered\": %" PRIu64 "}",
            c->gelezen, c->geaccepteerd, c->afgewezen, c->gefilterd);
}

/* The size and XXH3-128 digest of a file written; false when it cannot be
 * read (then null). */
static bool file_digest(const char *path, uint64_t *size, char hex[33])
{
    static unsigned char buf[1 << 16];
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    uint64_t d[2];
    const bool ok = fd_digest(fd, 0, buf, sizeof buf, d, size);
    if (ok) snprintf(hex, 33, "%016" PRIx64 "%016" PRIx64, d[0], d[1]);
    if (fd >= 0) close(fd);
    return ok;
}

static void json_options(FILE *f, const cli *k)
{
    fputs("  \"options\": {\n    \"output\": [", f);
    for (int i = 0; i < k->nout; i++) {
        if (i) fputs(", ", f);
        json_str(f, k->out[i]);
    }
    fputs("],\n    \"format\": ", f);
    json_str(f, k->fmt_given ? format_name(k->fmt) : NULL);
    const char d[2] = {k->opts.delimiter, 0};
    fputs(",\n    \"delimiter\": ", f);
    json_str(f, k->opts.delimiter ? d : NULL);
    fputs(",\n    \"column\": [", f);
    for (size_t i = 0; i < k->opts.ncolumns; i++) {
        fputs(i ? ", {\"name\": " : "{\"name\": ", f);
        json_str(f, k->opts.columns[i].name);
        fputs(", \"header\": ", f);
        json_str(f, k->opts.columns[i].header);
        putc('}', f);
    }
    fputs("],\n    \"period\": ", f);
    json_str(f, k->opts.period);
    fputs(",\n    \"rejects\": ", f);
    json_str(f, k->sink.rejects_path);
    fputs(",\n    \"max_rejects\": ", f);
    json_str(f, k->max_rejects_text);
    fputs(",\n    \"targets\": ", f);
    json_str(f, k->targets_path);
    fprintf(f, ",\n    \"round\": %" PRIu32 ",\n    \"suppress_below\": %" PRIu32 ",\n    \"suppression_log\": ",
            k->dc.round, k->dc.suppress_below);
    json_str(f, k->log_path);
    fputs(",\n    \"jobs\": ", f); /* null: the default (one per core, 512 KiB) */
    if (k->opts.threads) fprintf(f, "%u", k->opts.threads);
    else fputs("null", f);
    fputs(",\n    \"chunk_size\": ", f);
    if (k->opts.chunk_min) fprintf(f, "%zu", k->opts.chunk_min);
    else fputs("null", f);
    fputs(",\n    \"peildatum\": ", f);
    json_str(f, k->opts.peildatum);
    fprintf(f, ",\n    \"quiet\": %s,\n    \"manifest\": ", k->sink.quiet ? "true" : "false");
    json_str(f, k->manifest_path);
    fputs("\n  },\n", f);
}

static void json_inputs(FILE *f, const manifest *m)
{
    fputs("  \"inputs\": [", f);
    const size_t n = m->run ? esf_run_ninputs(m->run) : 0;
    for (size_t i = 0; i < n; i++) {
        const esf_input *in = esf_run_input(m->run, i);
        fputs(i ? ",\n    {\"path\": " : "\n    {\"path\": ", f);
        json_str(f, in->name);
        fprintf(f, ", \"size\": %" PRIu64 ", \"format\": \"%s\", \"complete\": %s, \"digest_xxh3_128\": ", in->bytes,
                in->format, in->complete ? "true" : "false");
        if (in->have_digest) fprintf(f, "\"%016" PRIx64 "%016" PRIx64 "\"", in->digest_high, in->digest_low);
        else fputs("null", f);
        const char d[3] = {in->delimiter == '\t' ? '\\' : in->delimiter, in->delimiter == '\t' ? 't' : 0, 0};
        fputs(",\n     \"dialect\": {\"delimiter\": ", f);
        if (in->delimiter) fprintf(f, "\"%s\"", d);
        else fputs("null", f);
        fputs(", \"columns\": [", f);
        for (uint32_t c = 0; c < in->ncolumns; c++) {
            if (c) fputs(", ", f);
            json_str(f, in->columns[c]);
        }
        fprintf(f, "], \"header_lines\": %" PRIu32 "},\n     \"rows\": ", in->headers);
        json_rows(f, &in->counts);
        putc('}', f);
    }
    fputs(n ? "\n  ],\n" : "],\n", f);
}

static void json_outputs(FILE *f, const manifest *m)
{
    fputs("  \"outputs\": [", f);
    for (int i = 0; i < m->nout; i++) {
        const char *path = m->outs[i].path ? m->outs[i].path : "-";
        uint64_t size = 0;
        char hex[33];
        const bool file = strcmp(path, "-") != 0, known = m->put_in_place && file && file_digest(path, &size, hex);
        fputs(i ? ",\n    {\"path\": " : "\n    {\"path\": ", f);
        json_str(f, file ? path : "-");
        fputs(", \"option\": ", f);
        json_str(f, m->out_opt[i]);
        fputs(", \"format\": ", f);
        json_str(f, m->out_fmt[i]);
        fprintf(f, ", \"written\": %s, \"size\": ", m->put_in_place ? "true" : "false");
        if (known) fprintf(f, "%" PRIu64 ", \"digest_xxh3_128\": \"%s\"}", size, hex);
        else fputs("null, \"digest_xxh3_128\": null}", f);
    }
    fputs(m->nout ? "\n  ],\n" : "],\n", f);
}

static void json_protection(FILE *f, const manifest *m)
{
    const esf_disclosure *dc = &m->k->dc;
    fprintf(f, "  \"protection\": {\"round\": %" PRIu32 ", \"suppress_below\": %" PRIu32 ", \"suppressed\": ",
            dc->round, dc->suppress_below);
    esf_suppressed ns;
    if (m->run && dc->suppress_below && (m->status == EXIT_OK || m->status == EXIT_REJECTS) &&
        esf_run_suppressed(m->run, dc, &ns) == ESF_OK)
        fprintf(f, "{\"primary\": %" PRIu64 ", \"secondary\": %" PRIu64 ", \"derived\": %" PRIu64 "}", ns.primary,
                ns.secondary, ns.derived);
    else
        fputs("null", f);
    fputs(", \"reference_date\": ", f);
    json_str(f, m->k->opts.peildatum);
    fputs("},\n", f);
}

static void manifest_json(FILE *f, const manifest *m)
{
    fprintf(f, "{\n  \"esfmon\": {\"version\": \"%s\"},\n  \"command\": [", esf_version());
    for (int i = 0; i < m->k->argc; i++) {
        if (i) fputs(", ", f);
        json_str(f, m->k->argv[i]);
    }
    fputs("],\n", f);
    json_options(f, m->k);
    fputs("  \"start\": ", f);
    json_time(f, &m->start);
    fputs(",\n  \"end\": ", f);
    json_time(f, &m->end);
    fputs(",\n", f);
    json_inputs(f, m);
    esf_counts all = {0};
    if (m->run) esf_run_counts(m->run, &all);
    fputs("  \"rows\": ", f);
    json_rows(f, &all);
    fputs(",\n", f);
    json_outputs(f, m);
    json_protection(f, m);
    fprintf(f, "  \"exit_status\": %d,\n  \"error\": ", m->status);
    json_str(f, *first_error() ? first_error() : NULL);
    fputs("\n}\n", f);
}

int manifest_write(const manifest *m)
{
    output o;
    const char *path = m->k->manifest_path;
    if (output_open(&o, path) != 0) return fail(EXIT_INPUT, "%s: cannot write: %s", path, strerror(errno));
    manifest_json(o.f, m);
    size_t bad;
    if (outputs_commit(&o, 1, true, &bad) != 0) return fail(EXIT_INPUT, "%s: write failed: %s", path, strerror(errno));
    return EXIT_OK;
}
