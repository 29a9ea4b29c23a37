/* run.c - the pipeline of one run: inputs -> records -> rows -> persons ->
 * tables.  Owns the options, the counters and the accumulated state. */
#include "reader.h"
#include "tables.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct esf_run {
    esf_options opts;
    esf_column_map *columns; /* deep copy of opts.columns */
    esf_agg agg;
    esf_counts counts;
    esf_err err;
    esf_cell *cells;
    uint32_t cells_cap;
    bool failed;             /* an input failed: counts are partial */
};

static const char *const reject_names[ESF_REJ_COUNT] = {
    "quote_open", "veldaantal",     "verplicht_leeg",  "te_lang",          "onbekende_code",
    "datum",      "getal",          "eind_voor_start", "geboorte_na_start"};

const char *esf_reject_name(esf_reject_reason r)
{
    return (unsigned)r < ESF_REJ_COUNT ? reject_names[r] : "?";
}

esf_status esf_run_new(const esf_options *opts, esf_run **out, char *msg, size_t msglen)
{
    *out = NULL;
    esf_err err = {{0}};
    for (size_t i = 0; i < opts->ncolumns; i++) {
        const char *n = opts->columns[i].name;
        if (col_lookup(n, strlen(n)) < 0) {
            if (msg) snprintf(msg, msglen, "--column: unknown column name '%s'", n);
            return ESF_ERR_USAGE;
        }
    }
    if (opts->delimiter && !strchr(",;\t|", opts->delimiter)) {
        if (msg) snprintf(msg, msglen, "--delimiter: must be one of , ; TAB |");
        return ESF_ERR_USAGE;
    }
    esf_run *r = calloc(1, sizeof *r);
    if (!r) return ESF_ERR_NOMEM;
    r->opts = *opts;
    r->columns = calloc(opts->ncolumns ? opts->ncolumns : 1, sizeof *r->columns);
    r->cells_cap = 256;
    r->cells = malloc(r->cells_cap * sizeof *r->cells);
    if (!r->columns || !r->cells || agg_init(&r->agg) != ESF_OK) {
        free(r->columns);
        free(r->cells);
        free(r);
        return esf_fail(&err, ESF_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < opts->ncolumns; i++) r->columns[i] = opts->columns[i];
    r->opts.columns = r->columns;
    *out = r;
    return ESF_OK;
}

void esf_run_free(esf_run *r)
{
    if (!r) return;
    agg_free(&r->agg);
    free(r->columns);
    free(r->cells);
    free(r);
}

const char *esf_run_error(const esf_run *r)
{
    return r->err.msg;
}

void esf_run_counts(const esf_run *r, esf_counts *out)
{
    *out = r->counts;
}

static void report_reject(esf_run *r, const char *file, uint64_t line, const esf_record *rec,
                          const esf_header *h, const esf_rowerr *e, esf_rec_status st)
{
    r->counts.afgewezen++;
    r->counts.per_reason[e->reason]++;
    if (!r->opts.on_reject) return;
    char detail[96] = "";
    if (e->reason == ESF_REJ_VELDAANTAL)
        snprintf(detail, sizeof detail, "%zu fields, header has %u", rec->ncells, h->nfields);
    else if (e->reason == ESF_REJ_QUOTE_OPEN)
        snprintf(detail, sizeof detail, "%s",
                 st == REC_QUOTE_OPEN ? "quote not closed at end of file"
                                      : "text after a closing quote");
    esf_reject rej = {
        .file = file,
        .line = line,
        .reason = e->reason,
        .column = e->col >= 0 ? esf_col_names[e->col] : NULL,
        .seen = e->seen.p,
        .seen_len = e->seen.len,
        .detail = detail,
        .record = rec->start,
        .record_len = rec->len,
    };
    r->opts.on_reject(r->opts.reject_ctx, &rej);
}

static esf_status process_row(esf_run *r, const char *file, uint64_t line, const esf_header *h,
                              const esf_record *rec, esf_rec_status st)
{
    esf_row row;
    esf_rowerr e;
    char scratch[ROW_SCRATCH];
    r->counts.gelezen++;
    if (!row_parse(h, rec, st, &row, &e, scratch)) {
        report_reject(r, file, line, rec, h, &e, st);
        return ESF_OK;
    }
    if ((r->opts.period_from && row.t.start < r->opts.period_from) ||
        (r->opts.period_to && row.t.start > r->opts.period_to)) {
        r->counts.gefilterd++;
        return ESF_OK;
    }
    esf_status s = agg_add(&r->agg, &row);
    RETURN_ERROR_IF(s != ESF_OK, &r->err, s, "%s:%llu: out of memory", file,
                    (unsigned long long)line);
    r->counts.geaccepteerd++;
    return ESF_OK;
}

static void report_progress(const esf_run *r, const esf_reader *rd, const char *name,
                            const char *data, const char *p)
{
    esf_progress pr = {name, rd->in_memory && !rd->gz ? (uint64_t)(p - data) : reader_consumed(rd),
                       rd->in_memory ? rd->src_len : 0, r->counts.gelezen};
    r->opts.on_progress(r->opts.progress_ctx, &pr);
}

static esf_status run_input(esf_run *r, esf_reader *rd, const char *name)
{
    const char *data;
    size_t len, keep = 0;
    bool eof, first_block = true, have_header = false;
    uint64_t line = 1;
    esf_header h;
    memset(&h, 0, sizeof h);
    esf_record rec = {.cells = r->cells, .cap = r->cells_cap};
    do {
        FORWARD_IF_ERROR(reader_next(rd, keep, &data, &len, &eof, &r->err));
        const char *p = data, *end = data + len;
        if (first_block && len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) p += 3;
        first_block = false;
        while (p < end) {
            if (!have_header)
                h.delim = r->opts.delimiter ? r->opts.delimiter : rec_detect_delimiter(p, end);
            const char *next;
            esf_rec_status st = rec_next(p, end, eof, h.delim, &rec, &next);
            if (st == REC_NEED_MORE) break;
            uint64_t rec_line = line;
            line += rec.nlines;
            if (st == REC_OK && rec_is_blank(&rec)) {
                p = next;
                continue;
            }
            if (!have_header) {
                RETURN_ERROR_IF(st == REC_QUOTE_OPEN, &r->err, ESF_ERR_INPUT,
                                "%s:%llu: header: quote not closed at end of file", name,
                                (unsigned long long)rec_line);
                if (rec.ncells > rec.cap) { /* a wide header: room for its cells */
                    void *b = r->cells;
                    size_t cap = r->cells_cap;
                    RETURN_ERROR_IF(esf_grow(&b, &cap, rec.ncells + 1, sizeof *r->cells), &r->err,
                                    ESF_ERR_NOMEM, "%s: out of memory", name);
                    r->cells = rec.cells = b;
                    r->cells_cap = rec.cap = (uint32_t)cap;
                    line = rec_line;
                    continue;
                }
                FORWARD_IF_ERROR(header_parse(&h, &rec, r->opts.columns, r->opts.ncolumns, name,
                                              rec_line, &r->err));
                have_header = true;
            } else {
                FORWARD_IF_ERROR(process_row(r, name, rec_line, &h, &rec, st));
                if (ESF_UNLIKELY((r->counts.gelezen & 0xffff) == 0) && r->opts.on_progress)
                    report_progress(r, rd, name, data, next);
            }
            p = next;
        }
        keep = (size_t)(end - p);
    } while (!eof);
    RETURN_ERROR_IF(!have_header, &r->err, ESF_ERR_INPUT, "%s: empty input: no header line",
                    name);
    if (r->opts.on_progress) report_progress(r, rd, name, data, data + len);
    return ESF_OK;
}

static esf_status run_reader(esf_run *r, esf_reader *rd, esf_status open_st, const char *name)
{
    if (open_st != ESF_OK) {
        r->failed = true;
        return open_st;
    }
    esf_status st = run_input(r, rd, name);
    reader_close(rd);
    if (st != ESF_OK) r->failed = true;
    return st;
}

esf_status esf_run_add_path(esf_run *r, const char *path)
{
    esf_reader rd;
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    esf_status st = reader_open_path(&rd, path, name, &r->err);
    return run_reader(r, &rd, st, name);
}

esf_status esf_run_add_memory(esf_run *r, const char *name, const void *data, size_t len)
{
    esf_reader rd;
    esf_status st = reader_open_memory(&rd, name, data, len, &r->err);
    return run_reader(r, &rd, st, name);
}

esf_status esf_run_finish(esf_run *r, const esf_targets *targets, esf_tables **out)
{
    *out = NULL;
    RETURN_ERROR_IF(r->failed, &r->err, ESF_ERR_INPUT, "an input failed: no tables from a partial count");
    esf_status st = tables_build(&r->agg, &r->counts, targets, out);
    RETURN_ERROR_IF(st != ESF_OK, &r->err, st, "out of memory while building the tables");
    return ESF_OK;
}

esf_status esf_parse_period(const char *s, int32_t *from, int32_t *to)
{
    const char *colon = strchr(s, ':');
    if (!colon || strchr(colon + 1, ':')) return ESF_ERR_USAGE;
    esf_view a = {s, (size_t)(colon - s)}, b = {colon + 1, strlen(colon + 1)};
    if (field_date(a, false, from) != 0 || field_date(b, false, to) != 0) return ESF_ERR_USAGE;
    if (*from && *to && *from > *to) return ESF_ERR_USAGE;
    return ESF_OK;
}

esf_status esf_targets_load(const char *path, esf_targets **out, char *msg, size_t msglen)
{
    static const char *const names[N_INDICATORS] = {
        "OI1", "OI2", "OI3", "RI1", "RI2", "RI2_bekend", "RI3", "RI4", "RI4_bekend",
        "RI5", "RI5_cbs2018", "RI6", "RI6_cbs2018"};
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(msg, msglen, "%s: cannot open targets file", path);
        return ESF_ERR_USAGE;
    }
    esf_targets *t = calloc(1, sizeof *t);
    if (!t) {
        fclose(f);
        return ESF_ERR_NOMEM;
    }
    char buf[512];
    unsigned lineno = 0;
    esf_status st = ESF_OK;
    while (st == ESF_OK && fgets(buf, sizeof buf, f)) {
        lineno++;
        char *hash = strchr(buf, '#');
        if (hash) *hash = '\0';
        char *sep = strpbrk(buf, ",;\t|");
        char *name = buf, *val = sep ? sep + 1 : NULL, *e;
        while (*name == ' ' || *name == '\t') name++;
        if (!sep) {
            for (e = name; *e == ' ' || *e == '\t' || *e == '\r' || *e == '\n'; e++) {}
            if (*e) st = ESF_ERR_USAGE, snprintf(msg, msglen, "%s:%u: expected INDICATOR,VALUE", path, lineno);
            continue;
        }
        for (e = sep; e > name && (e[-1] == ' ' || e[-1] == '"'); e--) {}
        *e = '\0';
        if (*name == '"') name++;
        while (*val == ' ' || *val == '"') val++;
        for (e = val + strlen(val); e > val && strchr(" \t\r\n\"", e[-1]); e--) {}
        *e = '\0';
        if (lineno == 1 && strcasecmp(name, "indicator") == 0) continue;
        int k = -1;
        for (int i = 0; i < N_INDICATORS; i++)
            if (strcasecmp(name, names[i]) == 0) k = i;
        int64_t v;
        esf_view vv = {val, strlen(val)};
        const char *dot = strpbrk(val, ".,");
        if (k < 0) {
            st = ESF_ERR_USAGE;
            snprintf(msg, msglen, "%s:%u: unknown indicator '%s'", path, lineno, name);
        } else if (vv.len == 0 || vv.len >= sizeof t->value[k] ||
                   field_number(vv, true, 1000000000LL * ESF_NUM_SCALE, &v) != 0 ||
                   (dot && strlen(dot + 1) > 6)) {
            st = ESF_ERR_USAGE;
            snprintf(msg, msglen, "%s:%u: target of %s must be a decimal >= 0 with at most 6 decimals, not '%s'",
                     path, lineno, names[k], val);
        } else {
            memcpy(t->value[k], val, vv.len + 1);
        }
    }
    fclose(f);
    if (st != ESF_OK) {
        free(t);
        return st;
    }
    *out = t;
    return ESF_OK;
}

void esf_targets_free(esf_targets *t)
{
    free(t);
}
