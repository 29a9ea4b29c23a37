/* statread.c - stage 1b: a statistical file converted to CSV text
 * through ReadStat (see statfile.h), in the calling process; statproc.c
 * runs this in a process of its own.  ReadStat parses from memory here
 * (io handlers over the file's bytes). */
#include "statfile.h"
#include "fields.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef ESF_HAVE_READSTAT
esf_status esf_stat_read(const unsigned char *raw, size_t len, esf_stat_kind k, const char *name,
                         esf_stat **out, esf_err *err)
{
    (void)raw, (void)len;
    *out = NULL;
    return esf_fail(err, ESF_ERR_INPUT,
                    "%s: is %s, which this esfmon cannot read: it was built without ReadStat "
                    "(Debian: libreadstat-dev; make deps, then make); or export the data as CSV",
                    name, esf_stat_what(k));
}
#else
#include <readstat.h>

/* ---- dates (SPEC §2.8) ---------------------------------------------------- */
/* Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool has_prefix(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strncasecmp(s, *list, strlen(*list)) == 0) return true;
    return false;
}

/* A variable's date format: the value's unit in days (1: days; 86400:
 * seconds; 86400000: milliseconds), 0 when it is no date format. */
static double date_unit(esf_stat_kind k, const char *fmt)
{
    static const char *const spss[] = {"DATE", "ADATE", "EDATE", "JDATE", "SDATE", "YMDHMS", "MOYR",
                                       "QYR", "WKYR", NULL};
    static const char *const sas_dt[] = {"DATETIME", "DATEAMPM", "DTDATE", "DTMONYY", "DTYEAR",
                                         "DTYYQC", "DTWKDATX", "E8601DT", "B8601DT", "IS8601DT",
                                         "MDYAMPM", "NLDATM", NULL};
    static const char *const sas_d[] = {"DATE", "DDMMYY", "MMDDYY", "YYMMDD", "YYMM", "MMYY", "YYQ",
                                        "MONYY", "JULIAN", "JULDAY", "WEEKDATE", "WEEKDATX",
                                        "WORDDATE", "WORDDATX", "NLDATE", "EURDF", "E8601DA",
                                        "B8601DA", "IS8601DA", "YEAR", "QTR", "MONNAME", "DOWNAME",
                                        "WEEKDAY", "DAY", NULL};
    if (!fmt || !*fmt) return 0;
    switch (k) {
    case ESF_STAT_SAV: case ESF_STAT_ZSAV: case ESF_STAT_POR:
        return has_prefix(fmt, spss) ? 86400 : 0; /* DATETIME too: it begins with DATE */
    case ESF_STAT_DTA:
        if (*fmt++ != '%') return 0;
        if (*fmt == '-') fmt++;
        if (strncmp(fmt, "td", 2) == 0 || *fmt == 'd') return 1; /* %d: before Stata 10 */
        if (strncmp(fmt, "tc", 2) == 0 || strncmp(fmt, "tC", 2) == 0) return 86400000;
        return 0;
    case ESF_STAT_SAS7BDAT:
        return has_prefix(fmt, sas_dt) ? 86400 : has_prefix(fmt, sas_d) ? 1 : 0;
    default:
        return 0;
    }
}

/* ---- the conversion -------------------------------------------------------- */
typedef struct {
    double key;
    char *label;
    bool code;       /* the label is a code of SPEC §2.2 */
} label;

typedef struct {
    char *name;
    label *v;
    size_t n, cap;
} label_set;

typedef struct {
    double unit;     /* date_unit */
    char *labels;    /* its label set's name, or NULL */
    const label_set *set; /* found at its first value */
    bool looked;
} variable;

typedef struct {
    esf_stat *s;
    esf_stat_kind kind;
    const unsigned char *raw;
    size_t raw_len, pos;
    int64_t epoch;   /* the day the package counts dates from, in days since 1970 */
    variable *vars;
    size_t nvars, vars_cap;
    char **names;    /* the header, until it is written */
    label_set *sets;
    size_t nsets, sets_cap;
    long rows_said;  /* cases the file's header says it has, -1: unknown */
    int64_t row;     /* the case being written, -1: none yet */
    size_t col;      /* its next field */
    uint64_t lf;     /* line feeds in strings so far */
    uint64_t lf_noted; /* those the last shift accounts for */
    bool header, oom;
    char msg[256];   /* ReadStat's last error message */
} conv;

static void put(conv *c, const char *p, size_t n)
{
    esf_stat *s = c->s;
    void *b = s->text;
    /* grown by moving pages, not by a copy (the text runs to GBs) */
    if (c->oom || esf_big_grow(&b, &s->cap, s->len + n + 1, 1) != ESF_OK) {
        c->oom = true;
        return;
    }
    s->text = b;
    memcpy(s->text + s->len, p, n);
    s->len += n;
}

/* A field as RFC 4180 writes it: quoted when it holds the delimiter, a
 * quote or a line break, or begins or ends in a space (spaces outside
 * quotes are cut). */
static void put_field(conv *c, const char *p, size_t n)
{
    bool q = n && (p[0] == ' ' || p[0] == '\t' || p[n - 1] == '\t');
    for (size_t i = 0; i < n && !q; i++) q = p[i] == ',' || p[i] == '"' || p[i] == '\n' || p[i] == '\r';
    if (!q) {
        put(c, p, n);
        return;
    }
    put(c, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '"') put(c, "\"", 1);
        if (p[i] == '\n') c->lf++;
        put(c, p + i, 1);
    }
    put(c, "\"", 1);
}

static bool is_code(const char *s)
{
    esf_view v = {s, strlen(s)};
    while (v.len && v.p[0] == ' ') v.p++, v.len--;
    while (v.len && v.p[v.len - 1] == ' ') v.len--;
    uint8_t u8;
    uint16_t u16;
    return v.len && (esf_field_aanvrager(v, &u8) == 0 || esf_field_geslacht_value(v, &u8) == 0 ||
                     esf_field_positie_value(v, &u8) == 0 || esf_field_contract_value(v, &u8) == 0 ||
                     esf_field_bool_value(v, &u8) == 0 || esf_field_doelgroep_value(v, &u16) == 0);
}

/* A number in plain decimal form, the shortest that reads back as d. */
static size_t number_text(char *b, size_t cap, double d, bool single)
{
    if (!isfinite(d)) return (size_t)snprintf(b, cap, "%g", d);
    if (d == floor(d) && fabs(d) < 1e18) { /* the usual number: by hand, not printf */
        char t[24];
        size_t n = 0;
        uint64_t u = (uint64_t)fabs(d);
        do t[n++] = (char)('0' + u % 10); while (u /= 10);
        size_t k = 0;
        if (d < 0) b[k++] = '-';
        while (n) b[k++] = t[--n];
        b[k] = 0;
        return k;
    }
    for (int prec = single ? 6 : 15; prec <= 17; prec++) {
        snprintf(b, cap, "%.*g", prec, d);
        const double back = strtod(b, NULL);
        if (single ? (float)back == (float)d : back == d) break;
    }
    if (!strchr(b, 'e')) return strlen(b);
    snprintf(b, cap, "%.*f", fabs(d) < 1 ? 24 : 0, d); /* no exponent (cap: 1e308 has 309 digits) */
    size_t n = strlen(b);
    while (strchr(b, '.') && b[n - 1] == '0') b[--n] = 0; /* decimals' zeros */
    if (b[n - 1] == '.') n--;
    b[n] = 0;
    return n;
}

static void header_out(conv *c)
{
    for (size_t i = 0; i < c->nvars; i++) {
        if (i) put(c, ",", 1);
        const char *n = c->names[i] ? c->names[i] : "";
        put_field(c, n, strlen(n));
    }
    put(c, "\n", 1);
    c->header = true;
}

/* Ends the case being written (empty fields for the variables it had no
 * value of), noting where its line feeds move the lines of the next. */
static void row_end(conv *c)
{
    for (; c->col < c->nvars; c->col++)
        if (c->col) put(c, ",", 1);
    put(c, "\n", 1);
    if (c->lf == c->lf_noted) return;
    esf_stat *s = c->s; /* the next case begins lf lines further down */
    void *b = s->shift;
    if (esf_grow(&b, &s->shift_cap, s->nshift + 1, sizeof *s->shift) != ESF_OK) {
        c->oom = true;
        return;
    }
    s->shift = b;
    const uint64_t next = (uint64_t)c->row + 2;
    s->shift[s->nshift].line = next + 1 + c->lf;
    s->shift[s->nshift++].ncase = next;
    c->lf_noted = c->lf;
}

static const label_set *find_set(const conv *c, const char *name)
{
    for (size_t i = 0; name && i < c->nsets; i++)
        if (strcmp(c->sets[i].name, name) == 0) return &c->sets[i];
    return NULL;
}

static void number_out(conv *c, variable *v, readstat_value_t value)
{
    const readstat_type_t t = readstat_value_type(value);
    const double d = t == READSTAT_TYPE_DOUBLE ? readstat_double_value(value)
                     : t == READSTAT_TYPE_FLOAT ? (double)readstat_float_value(value)
                     : t == READSTAT_TYPE_INT32 ? (double)readstat_int32_value(value)
                     : t == READSTAT_TYPE_INT16 ? (double)readstat_int16_value(value)
                                                : (double)readstat_int8_value(value);
    char b[400];
    if (v->unit > 0 && isfinite(d) && fabs(d / v->unit) < 1e7) {
        int64_t y;
        unsigned m, dd;
        civil_from_days(c->epoch + (int64_t)floor(d / v->unit), &y, &m, &dd);
        if (y >= 1 && y <= 9999) {
            const char ymd[10] = {(char)('0' + y / 1000), (char)('0' + y / 100 % 10), (char)('0' + y / 10 % 10),
                                  (char)('0' + y % 10), '-', (char)('0' + m / 10), (char)('0' + m % 10), '-',
                                  (char)('0' + dd / 10), (char)('0' + dd % 10)};
            put(c, ymd, sizeof ymd);
            return;
        }
    }
    if (!v->looked) v->set = find_set(c, v->labels), v->looked = true;
    for (size_t i = 0; v->set && i < v->set->n; i++)
        if (v->set->v[i].key == d && v->set->v[i].code) {
            put_field(c, v->set->v[i].label, strlen(v->set->v[i].label));
            return;
        }
    put(c, b, number_text(b, sizeof b, d, t == READSTAT_TYPE_FLOAT));
}

static int on_value(int obs, readstat_variable_t *var, readstat_value_t value, void *ctx)
{
    conv *c = ctx;
    if (!c->header) header_out(c);
    if (obs != c->row) {
        if (c->row >= 0) row_end(c);
        c->row = obs, c->col = 0;
    }
    const int at = readstat_variable_get_index(var);
    if (at < 0 || (size_t)at >= c->nvars || (size_t)at < c->col) return READSTAT_HANDLER_ABORT;
    for (; c->col <= (size_t)at; c->col++)
        if (c->col) put(c, ",", 1);
    if (readstat_value_is_missing(value, var)) return c->oom ? READSTAT_HANDLER_ABORT : READSTAT_HANDLER_OK;
    if (readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING) {
        const char *p = readstat_string_value(value);
        size_t n = p ? strlen(p) : 0;
        while (n && p[n - 1] == ' ') n--;
        put_field(c, p, n);
    } else {
        number_out(c, &c->vars[at], value);
    }
    return c->oom ? READSTAT_HANDLER_ABORT : READSTAT_HANDLER_OK;
}

static int on_metadata(readstat_metadata_t *md, void *ctx)
{
    conv *c = ctx;
    c->rows_said = readstat_get_row_count(md);
    return READSTAT_HANDLER_OK;
}

static int on_variable(int index, readstat_variable_t *var, const char *labels, void *ctx)
{
    conv *c = ctx;
    if (index < 0 || (size_t)index != c->nvars) return READSTAT_HANDLER_ABORT;
    void *b = c->vars, *nb = c->names;
    size_t names_cap = c->vars_cap;
    if (esf_grow(&b, &c->vars_cap, c->nvars + 1, sizeof *c->vars) != ESF_OK) return READSTAT_HANDLER_ABORT;
    c->vars = b;
    if (esf_grow(&nb, &names_cap, c->vars_cap, sizeof *c->names) != ESF_OK) return READSTAT_HANDLER_ABORT;
    c->names = nb;
    variable *v = &c->vars[c->nvars];
    memset(v, 0, sizeof *v);
    const char *name = readstat_variable_get_name(var);
    c->names[c->nvars++] = name ? strdup(name) : NULL;
    if (readstat_variable_get_type_class(var) == READSTAT_TYPE_CLASS_NUMERIC) {
        v->unit = date_unit(c->kind, readstat_variable_get_format(var));
        if (labels && *labels) v->labels = strdup(labels);
    }
    return READSTAT_HANDLER_OK;
}

static int on_label(const char *set, readstat_value_t value, const char *text, void *ctx)
{
    conv *c = ctx;
    const readstat_type_t t = readstat_value_type(value);
    if (readstat_value_type_class(value) != READSTAT_TYPE_CLASS_NUMERIC || readstat_value_is_tagged_missing(value))
        return READSTAT_HANDLER_OK; /* labels of strings and of missing values: never written */
    label_set *ls = (label_set *)(uintptr_t)find_set(c, set);
    if (!ls) {
        void *b = c->sets;
        if (esf_grow(&b, &c->sets_cap, c->nsets + 1, sizeof *c->sets) != ESF_OK) return READSTAT_HANDLER_ABORT;
        c->sets = b;
        ls = &c->sets[c->nsets++];
        memset(ls, 0, sizeof *ls);
        if (!(ls->name = strdup(set))) return READSTAT_HANDLER_ABORT;
    }
    void *b = ls->v;
    if (esf_grow(&b, &ls->cap, ls->n + 1, sizeof *ls->v) != ESF_OK) return READSTAT_HANDLER_ABORT;
    ls->v = b;
    label *l = &ls->v[ls->n];
    l->key = t == READSTAT_TYPE_DOUBLE ? readstat_double_value(value)
             : t == READSTAT_TYPE_FLOAT ? (double)readstat_float_value(value)
                                        : (double)readstat_int32_value(value);
    if (!(l->label = strdup(text ? text : ""))) return READSTAT_HANDLER_ABORT;
    l->code = is_code(l->label);
    ls->n++;
    return READSTAT_HANDLER_OK;
}

static void on_error(const char *msg, void *ctx)
{
    conv *c = ctx;
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) n--;
    snprintf(c->msg, sizeof c->msg, "%.*s", (int)n, msg);
}

/* ReadStat reads the file from memory. */
static int io_open(const char *path, void *ctx)
{
    (void)path;
    ((conv *)ctx)->pos = 0;
    return 0;
}

static int io_close(void *ctx)
{
    (void)ctx;
    return 0;
}

static readstat_off_t io_seek(readstat_off_t off, readstat_io_flags_t whence, void *ctx)
{
    conv *c = ctx;
    const readstat_off_t base = whence == READSTAT_SEEK_SET   ? 0
                                : whence == READSTAT_SEEK_CUR ? (readstat_off_t)c->pos
                                                              : (readstat_off_t)c->raw_len;
    if (off < -base || base + off > (readstat_off_t)c->raw_len) return -1;
    c->pos = (size_t)(base + off);
    return (readstat_off_t)c->pos;
}

static ssize_t io_read(void *buf, size_t n, void *ctx)
{
    conv *c = ctx;
    if (n > c->raw_len - c->pos) n = c->raw_len - c->pos;
    if (!buf) return n ? -1 : 0; /* ReadStat asks for nothing so, on damaged files */
    memcpy(buf, c->raw + c->pos, n);
    c->pos += n;
    return (ssize_t)n;
}

static readstat_error_t io_update(long size, readstat_progress_handler h, void *user, void *ctx)
{
    (void)size, (void)h, (void)user, (void)ctx;
    return READSTAT_OK;
}

static readstat_error_t parse(conv *c, bool values, bool labels)
{
    readstat_parser_t *p = readstat_parser_init();
    if (!p) return READSTAT_ERROR_MALLOC;
    readstat_set_metadata_handler(p, on_metadata);
    readstat_set_variable_handler(p, on_variable);
    if (values) readstat_set_value_handler(p, on_value);
    if (labels) readstat_set_value_label_handler(p, on_label);
    readstat_set_error_handler(p, on_error);
    readstat_set_open_handler(p, io_open);
    readstat_set_close_handler(p, io_close);
    readstat_set_seek_handler(p, io_seek);
    readstat_set_read_handler(p, io_read);
    readstat_set_update_handler(p, io_update);
    readstat_set_io_ctx(p, c);
    for (size_t i = 0; i < c->nvars; i++) free(c->names[i]), free(c->vars[i].labels);
    c->nvars = 0;
    readstat_error_t e;
    switch (c->kind) {
    case ESF_STAT_DTA: e = readstat_parse_dta(p, "", c); break;
    case ESF_STAT_POR: e = readstat_parse_por(p, "", c); break;
    case ESF_STAT_SAS7BDAT: e = readstat_parse_sas7bdat(p, "", c); break;
    default: e = readstat_parse_sav(p, "", c); break;
    }
    readstat_parser_free(p);
    return e;
}

static void conv_free(conv *c)
{
    for (size_t i = 0; i < c->nvars; i++) free(c->names[i]), free(c->vars[i].labels);
    free(c->names);
    free(c->vars);
    for (size_t i = 0; i < c->nsets; i++) {
        for (size_t j = 0; j < c->sets[i].n; j++) free(c->sets[i].v[j].label);
        free(c->sets[i].v);
        free(c->sets[i].name);
    }
    free(c->sets);
}

/* Whether a file whose header does not count its cases ends as a whole
 * one does: a Stata file from version 117 on in its closing tag, a
 * portable file in its end-of-data mark 'Z' (and the padding, of Zs, of its
 * last line).  ReadStat reads such files cut short without an error. */
static bool whole(esf_stat_kind k, const unsigned char *raw, size_t len)
{
    if (k == ESF_STAT_DTA && len >= 11 && memcmp(raw, "<stata_dta>", 11) == 0)
        return len >= 12 && memcmp(raw + len - 12, "</stata_dta>", 12) == 0;
    if (k == ESF_STAT_POR) {
        while (len && (raw[len - 1] == '\n' || raw[len - 1] == '\r')) len--;
        return len && raw[len - 1] == 'Z';
    }
    return true;
}

esf_status esf_stat_read(const unsigned char *raw, size_t len, esf_stat_kind k, const char *name,
                         esf_stat **out, esf_err *err)
{
    *out = NULL;
    RETURN_ERROR_IF(!whole(k, raw, len), err, ESF_ERR_INPUT, "%s: %s cut short: it does not end as one does",
                    name, esf_stat_what(k));
    esf_stat *s = calloc(1, sizeof *s);
    RETURN_ERROR_IF(!s, err, ESF_ERR_NOMEM, "%s: out of memory", name);
    conv c = {.s = s, .kind = k, .raw = raw, .raw_len = len, .row = -1, .rows_said = -1};
    c.epoch = k == ESF_STAT_DTA || k == ESF_STAT_SAS7BDAT ? days_from_civil(1960, 1, 1)
                                                          : days_from_civil(1582, 10, 14);
    /* numbers written as C writes them, whatever the host's locale */
    locale_t cl = newlocale(LC_ALL_MASK, "C", (locale_t)0), old = cl ? uselocale(cl) : (locale_t)0;
    /* Stata keeps its value labels behind the data: read them first */
    readstat_error_t e = k == ESF_STAT_DTA ? parse(&c, false, true) : READSTAT_OK;
    if (e == READSTAT_OK) e = parse(&c, true, k != ESF_STAT_DTA);
    if (e == READSTAT_OK && !c.oom) {
        if (!c.header) header_out(&c);
        if (c.row >= 0) row_end(&c);
    }
    if (cl) uselocale(old), freelocale(cl);
    const uint64_t ncases = (uint64_t)(c.row + 1);
    conv_free(&c);
    esf_status st = ESF_OK;
    if (c.oom || e == READSTAT_ERROR_MALLOC) st = esf_fail(err, ESF_ERR_NOMEM, "%s: out of memory", name);
    else if (e != READSTAT_OK) { /* its message, and what it said besides (once) */
        const char *what = readstat_error_message(e), *more = strstr(c.msg, what) ? "" : c.msg;
        st = esf_fail(err, ESF_ERR_INPUT, "%s: %s that cannot be read to its end (damaged, or cut short): "
                      "ReadStat: %s%s%s", name, esf_stat_what(k), what, *more ? ": " : "", more);
    }
    else if (c.rows_said >= 0 && ncases != (uint64_t)c.rows_said)
        st = esf_fail(err, ESF_ERR_INPUT, "%s: %s cut short: its header says %ld cases, %llu were read",
                      name, esf_stat_what(k), c.rows_said, (unsigned long long)ncases);
    if (st != ESF_OK) {
        esf_stat_free(s);
        return st;
    }
    *out = s;
    return ESF_OK;
}
#endif
