/* main.c - the esfmon command line: the only place with argv, stderr and
 * exit().  Everything else is the library behind include/esfmon.h. */
#include "main.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STDERR_REJECTS 10 /* rejects shown on stderr; all go to --rejects */
#define CHUNK_MAX (1 << 30) /* --chunk-size: blocks of input are allocated at once */
/* --round and --suppress-below: a threshold of a million persons already
 * hides every cell of a national extract; larger values are typing errors
 * that would otherwise fail in the solver after the whole run. */
#define ROUND_MAX 1000000
#define SUPPRESS_MAX 1000000

static const char usage_text[] =
    "Usage: esfmon [OPTIONS] FILE...\n"
    "Counts unique participants and results of ESF Actieve Inclusie extracts\n"
    "(plain or gzip CSV; '-' is standard input) and writes every table of the\n"
    "monitor as CSV: table,group,dimension,category,measure,value.\n"
    "\n"
    "Input: one row per trajectory; required columns rinpersoon, project,\n"
    "aanvrager (gemeente, vsopro, uwv, jenv) and start; dates YYYYMMDD, YYYY-MM-DD\n"
    "or D-M-YYYY, D/M/YYYY.  Every column, code and reject reason: 'man esfmon'\n"
    "(INPUT) and docs/INPUT.md (installed in share/doc/esfmon).\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE       write the tables to FILE (default: standard output);\n"
    "                          repeatable: one pass writes them all, each in the\n"
    "                          format of its name (.csv .json .md .txt .html);\n"
    "                          FILE is replaced only when the run succeeds; it may\n"
    "                          not be a file the run reads or another output\n"
    "  -f, --format FMT        every output in FMT, whatever its name: csv (default\n"
    "                          for pipes), text (default on a terminal), json,\n"
    "                          markdown or html (one page with figures)\n"
    "  -d, --delimiter C       field delimiter: , ; | or tab (default: detected per file)\n"
    "  -c, --column NAME=HDR   the column NAME is called HDR in the header (repeatable);\n"
    "                          a file without HDR reads NAME; one with neither fails\n"
    "  -p, --period FROM:TO    keep trajectories starting in FROM..TO (dates as in\n"
    "                          the input, inclusive, either side may be empty)\n"
    "      --peildatum DATE    the date the extract was drawn: who finished less than\n"
    "                          12 months before it is niet_waarneembaar_12m, and out\n"
    "                          of RI2 and RI4\n"
    "      --rejects FILE      write every rejected row with its reason to FILE (CSV)\n"
    "      --max-rejects N     tolerate N rejected rows (default 0), or N% of the\n"
    "                          rows read (0.5%), else exit 3\n"
    "      --targets FILE      indicator targets, lines INDICATOR,VALUE\n"
    "      --round N           round person counts to a multiple of N (1 to 1000000);\n"
    "                          percentages from the rounded counts.  Presentation, not\n"
    "                          protection: rounded counts together can give small ones\n"
    "                          away; --suppress-below protects\n"
    "      --suppress-below N  show person counts below N as x, and the cells that\n"
    "                          would reveal them (an interval audit; 0 to 1000000)\n"
    "      --suppression-log FILE  every suppressed cell and why (CSV)\n"
    "      --manifest FILE     the record of the run (JSON): version, options, each\n"
    "                          input's size, dialect, XXH3-128 digest and rows, each\n"
    "                          output's size and digest, the protection, the exit\n"
    "                          status (written also when the run fails)\n"
    "  -j, --jobs N            threads (default: one per core); the output is the\n"
    "                          same for any N\n"
    "      --chunk-size BYTES  bytes a thread parses at a time (default 512 KiB,\n"
    "                          at least 1 KiB, at most 1 GiB; a block of input is\n"
    "                          one per partition and at most 32 MiB, so memory\n"
    "                          stays bounded; small values are for tests)\n"
    "  -q, --quiet             no summary, rejects or progress line on standard error\n"
    "  -h, --help              this help\n"
    "  -V, --version           the version\n"
    "\n"
    "Every file written (-o, --rejects, --suppression-log) is put in place together\n"
    "when the run ends with 0 or 3; a failed or stopped run leaves them as they were.\n"
    "\n"
    "Exit status: 0 success; 1 usage error (also a bad targets line, an input given\n"
    "twice or copied, a file written naming a file read or another one written);\n"
    "2 input cannot be read (missing file, corrupt or truncated gzip, not UTF-8 text\n"
    "with LF or CRLF lines, missing required column, a --column mapping that\n"
    "matches nothing, an unreadable targets file, out of memory) or output cannot\n"
    "be written; 3 more rejected rows than --max-rejects (output written);\n"
    "130/143/129 stopped by SIGINT/SIGTERM/SIGHUP (nothing written).\n";

static void csv_field(FILE *f, const char *p, size_t len)
{
    putc('"', f);
    for (size_t i = 0; i < len; i++) {
        if (p[i] == '"') putc('"', f);
        putc(p[i], f);
    }
    putc('"', f);
}

/* Printable rendering for the terminal: control bytes and non-ASCII as \xNN. */
static void put_quoted(FILE *f, const char *p, size_t len, size_t max)
{
    for (size_t i = 0; i < len && i < max; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0x20 && c < 0x7f && c != '\\') putc(c, f);
        else fprintf(f, "\\x%02x", c);
    }
    if (len > max) fputs("...", f);
}

static void on_reject(void *ctx, const esf_reject *r)
{
    reject_sink *s = ctx;
    if (!s->quiet && s->shown < STDERR_REJECTS) {
        if (s->progress_shown && *s->progress_shown) fputs("\r\033[K", stderr);
        fprintf(stderr, "%s:%s%" PRIu64 ": %s: ", r->file, r->is_case ? "case " : "", r->line,
                esf_reject_name(r->reason));
        if (r->column) {
            fprintf(stderr, "%s '", r->column);
            put_quoted(stderr, r->seen, r->seen_len, 80);
            fputc('\'', stderr);
        } else {
            fprintf(stderr, "%s: '", r->detail);
            put_quoted(stderr, r->record, r->record_len, 80);
            fputc('\'', stderr);
        }
        fputc('\n', stderr);
    }
    s->shown++;
    if (s->rejects) {
        FILE *f = s->rejects;
        csv_field(f, r->file, strlen(r->file));
        fprintf(f, ",%s%" PRIu64 ",%s,", r->is_case ? "case " : "", r->line, esf_reject_name(r->reason));
        csv_field(f, r->column ? r->column : "", r->column ? strlen(r->column) : 0);
        putc(',', f);
        if (r->column) csv_field(f, r->seen, r->seen_len);
        else csv_field(f, r->detail, strlen(r->detail));
        putc(',', f);
        csv_field(f, r->record, r->record_len);
        putc('\n', f);
    }
}

/* The progress line: on a terminal only, after the first second
 * (ESFMON_PROGRESS_DELAY seconds), then at most twice a second and at each
 * new input.  Of several inputs, their number, and the share and time left
 * of all of them when all are regular files. */
typedef struct {
    struct timespec start, last, file_start, seen; /* seen: the last call */
    double delay;
    const char *file;             /* the input being read                   */
    size_t ninputs, at;           /* at: file's index (inputs come in order) */
    uint64_t before, file_total;  /* bytes of the inputs before file; file's */
    uint64_t total;               /* bytes of all inputs, 0 when unknown     */
    bool shown;
} progress_line;

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void on_progress(void *ctx, const esf_progress *p)
{
    progress_line *pl = ctx;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    const bool next = p->file != pl->file; /* every input reports at its end at least */
    if (next) { /* it began when the one before it ended */
        if (pl->file) pl->at++, pl->before += pl->file_total;
        pl->file = p->file;
        pl->file_start = pl->seen; /* the run's start, for the first */
    }
    pl->seen = now;
    pl->file_total = p->bytes_total;
    if (!next && pl->shown && seconds_between(&pl->last, &now) < 0.5) return;
    if (seconds_between(&pl->start, &now) < pl->delay) return; /* short runs stay quiet */
    const double t = seconds_between(&pl->file_start, &now), t_all = seconds_between(&pl->start, &now);
    pl->last = now;
    pl->shown = true;
    fputs("\r\033[Kesfmon: ", stderr);
    if (pl->ninputs > 1) fprintf(stderr, "[%zu/%zu] ", pl->at + 1, pl->ninputs);
    fprintf(stderr, "%s: %" PRIu64 " rows", p->file, p->rows);
    if (t > 0) fprintf(stderr, ", %.0f MB/s", (double)p->bytes_done / 1e6 / t);
    /* time left by bytes: of all inputs when their sizes are known, else of this one */
    uint64_t done = p->bytes_done, total = p->bytes_total;
    double spent = t;
    if (pl->total) done += pl->before, total = pl->total, spent = t_all;
    if (total && done && done <= total)
        fprintf(stderr, ", %.0f%%, %.0f s left", 100.0 * (double)done / (double)total,
                spent * (double)(total - done) / (double)done);
}

/* A count no larger than max: digits only (no space, sign or exponent),
 * without overflow. */
static bool parse_count(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s) return false;
    for (; *s; s++) {
        const unsigned d = (unsigned)(*s - '0');
        if (d > 9 || v > (max - d) / 10) return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

#define CLI_GO (-1) /* parse_args: go on and run */

/* --max-rejects: a count (100) or a share of the rows read (0.5%, at most
 * 6 decimals); false for anything else. */
static bool parse_max_rejects(const char *s, cli *k)
{
    const size_t n = strlen(s);
    k->max_rejects_text = s;
    if (n < 2 || s[n - 1] != '%') return k->share = false, parse_count(s, UINT64_MAX, &k->max_rejects);
    uint64_t num = 0, den = 1;
    bool mark = false, digit = false;
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] == '.' && !mark) {
            mark = true;
            continue;
        }
        if ((unsigned)(s[i] - '0') > 9 || num > 100000000000000u) return false;
        num = num * 10 + (uint64_t)(s[i] - '0'), digit = true;
        if (mark && (den *= 10) > 1000000) return false;
    }
    if (!digit || num > 100 * den) return false; /* at most 100% */
    k->share = true, k->share_num = num, k->share_den = den;
    return true;
}

/* The format of output i: --format for all, else its extension; a device
 * or pipe (/dev/stdout, a FIFO) and standard output take --format or the
 * default.  A usage error for an unknown extension. */
static int output_formats(cli *k)
{
    /* People at a terminal get the report; files and pipes get CSV. */
    const esf_format to_stdout = !k->fmt_given && isatty(STDOUT_FILENO) ? ESF_FORMAT_TEXT : k->fmt;
    static const struct {
        const char *ext;
        esf_format fmt;
    } ext[] = {{".csv", ESF_FORMAT_CSV},     {".json", ESF_FORMAT_JSON}, {".md", ESF_FORMAT_MARKDOWN},
               {".txt", ESF_FORMAT_TEXT},    {".html", ESF_FORMAT_HTML}};
    int nstdout = 0;
    for (int i = 0; i < k->nout; i++) {
        const char *path = k->out[i];
        struct stat st;
        const bool in_place = !strcmp(path, "-") || (stat(path, &st) == 0 && !S_ISREG(st.st_mode));
        nstdout += !strcmp(path, "-");
        k->out_fmt[i] = strcmp(path, "-") ? k->fmt : to_stdout;
        if (k->fmt_given || in_place) continue;
        const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
        size_t e = 0;
        while (e < sizeof ext / sizeof *ext && (!dot || (slash && slash > dot) || strcasecmp(dot, ext[e].ext))) e++;
        if (e == sizeof ext / sizeof *ext)
            return usage_error("-o '%s': the format is not known from its name: give it one of .csv .json .md "
                               ".txt .html, or --format", path);
        k->out_fmt[i] = ext[e].fmt;
    }
    if (nstdout > 1) return usage_error("%s", "-o -: standard output given twice");
    return CLI_GO;
}

static int parse_args(int argc, char **argv, esf_column_map *cols, cli *k);
static int run_cli(int argc, char **argv, esf_column_map *cols);

int main(int argc, char **argv)
{
    /* this program is also the process that converts a statistical file */
    if (argc > 1 && strcmp(argv[1], ESF_STAT_HELPER_ARG) == 0) return esf_stat_helper_main(argc, argv);
    /* Room for every --column; freed here whatever path run_cli takes. */
    esf_column_map *cols = calloc((size_t)argc, sizeof *cols);
    if (!cols) {
        fputs("esfmon: out of memory\n", stderr);
        return EXIT_INPUT;
    }
    int rc = run_cli(argc, argv, cols);
    free(cols);
    return rc;
}

/* Reads the options into *k: CLI_GO, or the exit status when the run ends
 * here (--help, --version, a usage error). */
static int parse_args(int argc, char **argv, esf_column_map *cols, cli *k)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'f'},
        {"delimiter", required_argument, NULL, 'd'},
        {"column", required_argument, NULL, 'c'},
        {"period", required_argument, NULL, 'p'},
        {"rejects", required_argument, NULL, 'R'},
        {"max-rejects", required_argument, NULL, 'M'},
        {"targets", required_argument, NULL, 'T'},
        {"round", required_argument, NULL, 'r'},
        {"suppress-below", required_argument, NULL, 's'},
        {"suppression-log", required_argument, NULL, 'L'},
        {"manifest", required_argument, NULL, 'F'},
        {"peildatum", required_argument, NULL, 'P'},
        {"jobs", required_argument, NULL, 'j'},
        {"chunk-size", required_argument, NULL, 'C'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    esf_options *opts = &k->opts;
    opterr = 0;
    int c;
    uint64_t v;
    while ((c = getopt_long(argc, argv, ":o:f:d:c:p:j:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': /* (an empty name: after the loop) */
            if (k->nout == MAX_OUTPUTS) return usage_error("-o: at most %d outputs", MAX_OUTPUTS);
            k->out[k->nout++] = optarg;
            break;
        case 'f':
            if (!strcmp(optarg, "csv")) k->fmt = ESF_FORMAT_CSV;
            else if (!strcmp(optarg, "text")) k->fmt = ESF_FORMAT_TEXT;
            else if (!strcmp(optarg, "json")) k->fmt = ESF_FORMAT_JSON;
            else if (!strcmp(optarg, "markdown")) k->fmt = ESF_FORMAT_MARKDOWN;
            else if (!strcmp(optarg, "html")) k->fmt = ESF_FORMAT_HTML;
            else return usage_error("--format: unknown format '%s' (csv, text, json, markdown, html)", optarg);
            k->fmt_given = true;
            break;
        case 'd':
            if (strcmp(optarg, "tab") == 0 || strcmp(optarg, "\\t") == 0) opts->delimiter = '\t';
            else if (strlen(optarg) == 1 && strchr(ESF_DELIMITERS, optarg[0])) opts->delimiter = optarg[0];
            else return usage_error("--delimiter: '%s' is not one of , ; | tab", optarg);
            break;
        case 'c': {
            char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg || !eq[1]) return usage_error("--column: expected NAME=HEADER, not '%s'", optarg);
            *eq = '\0';
            cols[opts->ncolumns++] = (esf_column_map){optarg, eq + 1};
            break;
        }
        case 'p': opts->period = optarg; break; /* checked by esf_run_new */
        case 'R': k->sink.rejects_path = optarg; break;
        case 'M':
            if (!parse_max_rejects(optarg, k))
                return usage_error("--max-rejects: not a count or a share of the rows read (0.5%%): '%s'", optarg);
            break;
        case 'T': k->targets_path = optarg; break;
        case 'r':
            if (!parse_count(optarg, ROUND_MAX, &v) || v == 0)
                return usage_error("--round: not a count from 1 to %d: '%s'", ROUND_MAX, optarg);
            k->dc.round = (uint32_t)v;
            break;
        case 's':
            if (!parse_count(optarg, SUPPRESS_MAX, &v))
                return usage_error("--suppress-below: not a count from 0 to %d: '%s'", SUPPRESS_MAX, optarg);
            k->dc.suppress_below = (uint32_t)v;
            k->dc_given = true;
            break;
        case 'j':
            if (!parse_count(optarg, 256, &v) || v == 0) return usage_error("--jobs: not a count from 1 to 256: '%s'", optarg);
            opts->threads = (unsigned)v;
            break;
        case 'C':
            if (!parse_count(optarg, UINT64_MAX, &v) || v == 0) return usage_error("--chunk-size: not a positive count: '%s'", optarg);
            if (v > CHUNK_MAX) return usage_error("--chunk-size: at most %d MiB, not '%s'", CHUNK_MAX >> 20, optarg);
            opts->chunk_min = (size_t)v;
            break;
        case 'L': k->log_path = optarg; break;
        case 'F': k->manifest_path = optarg; break;
        case 'P': opts->peildatum = optarg; break; /* checked by esf_run_new */
        case 'q': k->sink.quiet = true; break;
        case 'h': fputs(usage_text, stdout); return EXIT_OK;
        case 'V':
            printf("esfmon %s\n%s\n", esf_version(),
                   esf_reads_stat_files() ? "SPSS, Stata and SAS files: read through ReadStat"
                                          : "SPSS, Stata and SAS files: not read (built without ReadStat, "
                                            "libreadstat-dev)");
            return EXIT_OK;
        case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
        default: return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    const char *named[][2] = {{"--rejects", k->sink.rejects_path}, {"--suppression-log", k->log_path},
                              {"--targets", k->targets_path}, {"--manifest", k->manifest_path}};
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        if (named[i][1] && !*named[i][1]) return usage_error("%s: an empty file name", named[i][0]);
    for (int i = 0; i < k->nout; i++)
        if (!*k->out[i]) return usage_error("%s", "--output: an empty file name");
    if (k->nout == 0) k->out[k->nout++] = "-"; /* the tables on standard output */
    if (k->log_path && !k->dc.suppress_below)
        return usage_error("%s", k->dc_given ? "--suppression-log: --suppress-below 0 suppresses nothing, "
                                               "so there is nothing to log"
                                             : "--suppression-log needs --suppress-below N");
    return output_formats(k);
}

/* The summary on stderr (unless -q), and exit status 3 when there are more
 * rejects than tolerated and nothing else went wrong. */
static int summary(const esf_run *run, const cli *k, int rc)
{
    const reject_sink *sink = &k->sink;
    esf_counts n;
    esf_run_counts(run, &n);
    if (!sink->quiet) {
        fprintf(stderr, "esfmon: %" PRIu64 " row%s read, %" PRIu64 " accepted, %" PRIu64
                        " rejected, %" PRIu64 " filtered\n",
                n.gelezen, n.gelezen == 1 ? "" : "s", n.geaccepteerd, n.afgewezen, n.gefilterd);
        if (n.afgewezen > STDERR_REJECTS)
            fprintf(stderr, "esfmon: first %d rejects shown%s\n", STDERR_REJECTS,
                    sink->rejects_path ? "; all are in the rejects file" : "; use --rejects FILE for all");
    }
    /* a share: rejected / read > num / den percent, in whole numbers */
    const bool over = k->share ? (unsigned __int128)n.afgewezen * 100 * k->share_den >
                                     (unsigned __int128)k->share_num * n.gelezen
                               : n.afgewezen > k->max_rejects;
    if (rc == EXIT_OK && over) {
        if (!sink->quiet)
            fprintf(stderr, "esfmon: %" PRIu64 " rejected row%s, more than --max-rejects %s%s\n", n.afgewezen,
                    n.afgewezen == 1 ? "" : "s", k->max_rejects_text, k->share ? " of the rows read" : "");
        rc = EXIT_REJECTS;
    }
    return rc;
}

/* Writes the run's tables in fmt to o (opened for path here); its file is
 * put in place with the others at the end. */
static int write_out(esf_run *run, esf_format fmt, const esf_disclosure *dc, output *o, const char *path)
{
    if (output_open(o, path) != 0) return fail(EXIT_INPUT, "%s: cannot write: %s", path, strerror(errno));
    const esf_status st = esf_run_write(run, fmt, dc, o->f);
    if (st != ESF_OK && st != ESF_ERR_OUTPUT) return fail(EXIT_INPUT, "%s", esf_run_error(run)); /* not the file's fault */
    if (st != ESF_OK) return fail(EXIT_INPUT, "%s: write failed: %s", strcmp(path, "-") ? path : "<stdout>", strerror(errno));
    return EXIT_OK;
}

/* Every file of the run put in place together (SPEC §2.5), or none when rc
 * says the run failed (the message said why); *in_place says which. */
static int commit(output *outs, int n, int rc, bool *in_place)
{
    size_t bad = 0;
    const bool ok = rc == EXIT_OK || rc == EXIT_REJECTS;
    *in_place = false;
    if (outputs_commit(outs, (size_t)n, ok, &bad) == 0) return *in_place = ok, rc;
    if (ok) rc = fail(EXIT_INPUT, "%s: write failed: %s", outs[bad].path && strcmp(outs[bad].path, "-")
                                                             ? outs[bad].path : "<stdout>", strerror(errno));
    if (rc == EXIT_INPUT) fputs("esfmon: no output written\n", stderr);
    return rc;
}

/* The files of a run in the order they are opened: the tables (-o), the
 * rejects and the suppression log, then the record of the run. */
typedef struct {
    const char *path[MAX_OUTPUTS + 3], *opt[MAX_OUTPUTS + 3], *fmt[MAX_OUTPUTS + 3];
    int n, rejects, log; /* the index of each, -1: not written */
} run_outputs;

static void outputs_of(const cli *k, run_outputs *o)
{
    o->n = 0, o->rejects = o->log = -1;
    for (int i = 0; i < k->nout; i++)
        o->path[o->n] = k->out[i], o->opt[o->n] = "--output", o->fmt[o->n++] = format_name(k->out_fmt[i]);
    if (k->sink.rejects_path)
        o->rejects = o->n, o->path[o->n] = k->sink.rejects_path, o->opt[o->n] = "--rejects", o->fmt[o->n++] = "csv";
    if (k->log_path)
        o->log = o->n, o->path[o->n] = k->log_path, o->opt[o->n] = "--suppression-log", o->fmt[o->n++] = "csv";
    /* the record is written on its own, even when the run fails (SPEC §8) */
    o->path[o->n] = k->manifest_path, o->opt[o->n] = "--manifest", o->fmt[o->n] = "json";
}

/* Counts the inputs into *runp and writes every output into outs (not yet
 * in place). */
static int run_and_write(const cli *k, int nin, char **in, esf_column_map *cols, output *outs,
                         const run_outputs *ro, uint64_t total, esf_run **runp)
{
    reject_sink rs = k->sink, *sink = &rs;
    esf_options opts = k->opts;
    esf_disclosure dc = k->dc;
    opts.columns = cols;
    opts.on_reject = on_reject;
    opts.stat_helper = "/proc/self/exe"; /* SPSS, Stata and SAS files in a process of their own */
    opts.reject_ctx = sink;
    opts.digest = k->manifest_path != NULL; /* the record gives each input's digest */
    progress_line pl = {.delay = 1.0, .ninputs = (size_t)nin, .total = total};
    clock_gettime(CLOCK_MONOTONIC, &pl.start);
    pl.seen = pl.start;
    const char *delay = getenv("ESFMON_PROGRESS_DELAY");
    if (delay && *delay) pl.delay = strtod(delay, NULL);
    if (!sink->quiet && isatty(STDERR_FILENO)) {
        opts.on_progress = on_progress;
        opts.progress_ctx = &pl;
        sink->progress_shown = &pl.shown;
    }
    esf_status st = esf_run_new(&opts, runp);
    esf_run *run = *runp;
    if (st == ESF_OK && k->targets_path) st = esf_run_targets(run, k->targets_path);
    if (st != ESF_OK)
        return st == ESF_ERR_USAGE ? usage_error("%s", esf_run_error(run)) : fail(EXIT_INPUT, "%s", esf_run_error(run));
    if (ro->rejects >= 0) {
        if (output_open(&outs[ro->rejects], sink->rejects_path) != 0)
            return fail(EXIT_INPUT, "%s: cannot write rejects file: %s", sink->rejects_path, strerror(errno));
        sink->rejects = outs[ro->rejects].f;
        fputs("file,line,reason,column,seen,record\n", sink->rejects);
    }
    st = esf_run_add_paths(run, (const char *const *)in, (size_t)nin);
    if (pl.shown) fputs("\r\033[K", stderr); /* the summary replaces the progress line */
    if (st == ESF_OK) st = esf_run_finish(run);
    if (st == ESF_OK && !sink->quiet && *esf_run_note(run)) fprintf(stderr, "esfmon: %s\n", esf_run_note(run));
    if (st != ESF_OK) return fail(EXIT_INPUT, "%s", esf_run_error(run));
    /* one count, one disclosure pattern, every output (SPEC §8) */
    int rc = EXIT_OK;
    for (int i = 0; i < k->nout && rc == EXIT_OK; i++) rc = write_out(run, k->out_fmt[i], &dc, &outs[i], k->out[i]);
    if (rc == EXIT_OK && ro->log >= 0)
        rc = write_out(run, ESF_FORMAT_SUPPRESSION_LOG, &dc, &outs[ro->log], k->log_path);
    esf_suppressed ns;
    if (rc == EXIT_OK && dc.suppress_below && !sink->quiet && esf_run_suppressed(run, &dc, &ns) == ESF_OK)
        fprintf(stderr, "esfmon: disclosure control: %" PRIu64 " cells suppressed, %" PRIu64 " primary, %" PRIu64
                        " secondary, %" PRIu64 " derived%s%s\n", ns.primary + ns.secondary + ns.derived,
                ns.primary, ns.secondary, ns.derived, k->log_path ? "; listed in " : "",
                k->log_path ? k->log_path : "");
    return summary(run, k, rc);
}

static int run_cli(int argc, char **argv, esf_column_map *cols)
{
    cli k = {.argc = argc, .argv = argv, .fmt = ESF_FORMAT_CSV, .max_rejects_text = "0"};
    manifest m = {.k = &k};
    clock_gettime(CLOCK_REALTIME, &m.start);
    const int parsed = parse_args(argc, argv, cols, &k);
    if (parsed != CLI_GO) return parsed;
    if (optind >= argc) return usage_error("%s", "no input files (use - for standard input)");
    run_outputs ro;
    outputs_of(&k, &ro);
    const run_files rf = {argv + optind, argc - optind, k.targets_path, ro.path, ro.opt,
                          ro.n + (k.manifest_path != NULL), false};
    run_files with_stdout = rf;
    for (int i = 0; i < k.nout; i++) with_stdout.to_stdout |= !strcmp(k.out[i], "-");
    uint64_t total = 0; /* what all inputs weigh, 0 when one is no regular file */
    output outs[MAX_OUTPUTS + 2];
    memset(outs, 0, sizeof outs);
    int rc = check_files(&with_stdout, &total);
    if (rc != EXIT_OK) return rc; /* no record either: it could name a file read */
    /* From here a signal removes what is half written (SPEC §2.5). */
    outputs_on_signals();
    rc = run_and_write(&k, argc - optind, argv + optind, cols, outs, &ro, total, &m.run);
    rc = commit(outs, ro.n, rc, &m.put_in_place);
    if (k.manifest_path) { /* written whatever the status (SPEC §8) */
        m.outs = outs, m.out_opt = ro.opt, m.out_fmt = ro.fmt, m.nout = ro.n, m.status = rc;
        for (int i = 0; i < ro.n; i++) outs[i].path = ro.path[i]; /* (also those never opened) */
        clock_gettime(CLOCK_REALTIME, &m.end);
        const int mrc = manifest_write(&m);
        if (rc == EXIT_OK || rc == EXIT_REJECTS) rc = mrc == EXIT_OK ? rc : mrc;
    }
    esf_run_free(m.run);
    return rc;
}
