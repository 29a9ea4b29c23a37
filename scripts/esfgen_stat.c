/* esfgen_stat.c - esfgen's statistical files through ReadStat's writer
 * (see esfgen_stat.h).  The rows are kept as text until the end: a file's
 * header says its number of cases, and each column's values choose its
 * variable's type.  A value esfmon would reject stays one it rejects for
 * the same reason: an impossible date becomes 1800-01-01, a code label
 * that is no code keeps a key that is none (101 on). */
#include "esfgen_stat.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifdef ESF_HAVE_READSTAT
#include <readstat.h>
#endif

struct gen_table {
    const gen_column *cols;
    int ncol;
    char *text;       /* each row's values, NUL-ended one after another */
    size_t len, cap;
    long nrows;
};

gen_table *gen_table_new(const gen_column *cols, int ncol)
{
    gen_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->cols = cols;
    t->ncol = ncol;
    return t;
}

void gen_table_add(gen_table *t, const char *const *vals)
{
    for (int c = 0; c < t->ncol; c++) {
        const size_t n = strlen(vals[c]) + 1;
        if (t->len + n > t->cap) {
            t->cap = t->cap ? t->cap * 2 : 1 << 20;
            t->text = realloc(t->text, t->cap);
            if (!t->text) {
                fprintf(stderr, "esfgen: out of memory\n");
                exit(2);
            }
        }
        memcpy(t->text + t->len, vals[c], n);
        t->len += n;
    }
    t->nrows++;
}

void gen_table_free(gen_table *t)
{
    if (!t) return;
    free(t->text);
    free(t);
}

#ifndef ESF_HAVE_READSTAT
int gen_table_write(gen_table *t, gen_format f, const char *path, char *err, size_t errlen)
{
    (void)t, (void)f;
    snprintf(err, errlen, "%s: esfgen was built without ReadStat (libreadstat-dev)", path);
    return -1;
}
#else
static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* A date as esfgen writes one (YYYYMMDD, YYYY-MM-DD, D-M-YYYY, D/M/YYYY)
 * in days since 1970; an impossible one is 1800-01-01, which esfmon
 * rejects as a date just as it rejects the text. */
static long parse_date(const char *s)
{
    int y = 0, m = 0, d = 0;
    char c1 = 0, c2 = 0;
    const size_t n = strlen(s);
    if (n == 8 && strspn(s, "0123456789") == 8) sscanf(s, "%4d%2d%2d", &y, &m, &d);
    else if (n == 10 && s[4] == '-') sscanf(s, "%4d-%2d-%2d", &y, &m, &d);
    else if (sscanf(s, "%d%c%d%c%d", &d, &c1, &m, &c2, &y) != 5 || c1 != c2) y = 0;
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
        return days_from_civil(1800, 1, 1);
    return days_from_civil(y, m, d);
}

static ssize_t write_bytes(const void *p, size_t n, void *ctx)
{
    return fwrite(p, 1, n, ctx) == n ? (ssize_t)n : -1;
}

/* The next value of the table's text (row by row, column by column):
 * each is NUL-terminated. */
static const char *next_value(const char **cur)
{
    const char *v = *cur;
    *cur += strlen(v) + 1;
    return v;
}

typedef struct {
    readstat_variable_t *var;
    gen_role role;
    const char *labels[64]; /* ROLE_CODE: the distinct values seen */
    int nlabels;
    int key[64];
} var_out;

static int key_of(const var_out *vo, const char *v)
{
    for (int i = 0; i < vo->nlabels; i++)
        if (strcmp(vo->labels[i], v) == 0) return vo->key[i];
    return -1;
}

/* The variables: types from the roles and the values (a code column with
 * more than 64 distinct values, or a SAS file's, is a string). */
static int add_variables(readstat_writer_t *w, gen_table *t, gen_format f, var_out *vo)
{
    const char *cur = t->text;
    size_t width[64] = {0};
    for (long r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncol; c++) {
            const char *v = next_value(&cur);
            const size_t n = strlen(v);
            if (n > width[c]) width[c] = n;
            if (t->cols[c].role != ROLE_CODE || !*v || key_of(&vo[c], v) >= 0) continue;
            if (vo[c].nlabels == 64) continue;
            int k = 101 + vo[c].nlabels;
            for (int i = 0; t->cols[c].codes && t->cols[c].codes[i]; i++)
                if (strcmp(t->cols[c].codes[i], v) == 0) k = i + 1;
            vo[c].key[vo[c].nlabels] = k;
            vo[c].labels[vo[c].nlabels++] = v;
        }
    for (int c = 0; c < t->ncol; c++) {
        gen_role role = t->cols[c].role;
        if (role == ROLE_CODE && (f == GEN_SAS || vo[c].nlabels == 64)) role = ROLE_STRING;
        vo[c].role = role;
        const bool dta = f == GEN_DTA, sas = f == GEN_SAS;
        if (role == ROLE_STRING) {
            vo[c].var = readstat_add_variable(w, t->cols[c].name, READSTAT_TYPE_STRING, width[c] ? width[c] : 1);
            continue;
        }
        vo[c].var = readstat_add_variable(w, t->cols[c].name, role == ROLE_CODE && dta ? READSTAT_TYPE_INT32
                                                                                        : READSTAT_TYPE_DOUBLE, 0);
        static const char *const fmts[3][6] = {
            /* sav */ {"", "F8.0", "DATE11", "DATETIME20", "F8.0", "F8.2"},
            /* dta */ {"", "%8.0g", "%td", "%tc", "%10.0g", "%9.2f"},
            /* sas */ {"", "", "DATE9", "DATETIME20", "BEST12", "BEST12"}};
        readstat_variable_set_format(vo[c].var, fmts[dta ? 1 : sas ? 2 : 0][role]);
        if (f == GEN_SAV || f == GEN_ZSAV) readstat_variable_add_missing_double_value(vo[c].var, -99);
        if (role != ROLE_CODE) continue;
        char name[40];
        snprintf(name, sizeof name, "lbl%d", c);
        readstat_label_set_t *ls = readstat_add_label_set(w, dta ? READSTAT_TYPE_INT32 : READSTAT_TYPE_DOUBLE, name);
        for (int i = 0; i < vo[c].nlabels; i++) {
            if (dta) readstat_label_int32_value(ls, vo[c].key[i], vo[c].labels[i]);
            else readstat_label_double_value(ls, vo[c].key[i], vo[c].labels[i]);
        }
        readstat_variable_set_label_set(vo[c].var, ls);
    }
    return 0;
}

/* An empty value: system-missing in one row, user-missing (SPSS: -99, a
 * declared missing value; Stata: .a) in the next. */
static readstat_error_t put_missing(readstat_writer_t *w, const var_out *vo, gen_format f, long r)
{
    if (vo->role == ROLE_STRING) return readstat_insert_string_value(w, vo->var, "");
    if (r % 2 == 0 || f == GEN_SAS) return readstat_insert_missing_value(w, vo->var);
    if (f == GEN_DTA) return readstat_insert_tagged_missing_value(w, vo->var, 'a');
    return readstat_insert_double_value(w, vo->var, -99);
}

static readstat_error_t put_value(readstat_writer_t *w, const var_out *vo, gen_format f, const char *v)
{
    const double spss_epoch = (double)days_from_civil(1582, 10, 14), epoch1960 = (double)days_from_civil(1960, 1, 1);
    const double epoch = f == GEN_DTA || f == GEN_SAS ? epoch1960 : spss_epoch;
    switch (vo->role) {
    case ROLE_STRING: return readstat_insert_string_value(w, vo->var, v);
    case ROLE_CODE:
        if (f == GEN_DTA) return readstat_insert_int32_value(w, vo->var, key_of(vo, v));
        return readstat_insert_double_value(w, vo->var, key_of(vo, v));
    case ROLE_DATE: {
        const double days = (double)parse_date(v) - epoch;
        return readstat_insert_double_value(w, vo->var, f == GEN_DTA || f == GEN_SAS ? days : days * 86400);
    }
    case ROLE_DATETIME: {
        const double days = (double)parse_date(v) - epoch + 0.5; /* at noon */
        return readstat_insert_double_value(w, vo->var, f == GEN_DTA ? days * 86400000 : days * 86400);
    }
    case ROLE_YMD: {
        if (strlen(v) == 6 && strspn(v, "0123456789") == 6) /* YYYYMM: a birth month */
            return readstat_insert_double_value(w, vo->var, strtod(v, NULL));
        long z = parse_date(v) + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
        const long doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
        const long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);
        return readstat_insert_double_value(w, vo->var, (double)(y * 10000 + m * 100 + d));
    }
    default: {
        char b[64], *end;
        snprintf(b, sizeof b, "%s", v);
        for (char *p = b; *p; p++)
            if (*p == ',') *p = '.';
        return readstat_insert_double_value(w, vo->var, strtod(b, &end));
    }
    }
}

int gen_table_write(gen_table *t, gen_format f, const char *path, char *err, size_t errlen)
{
    FILE *out = fopen(path, "wb");
    if (!out) {
        snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
        return -1;
    }
    readstat_writer_t *w = readstat_writer_init();
    readstat_set_data_writer(w, write_bytes);
    var_out *vo = calloc((size_t)t->ncol, sizeof *vo);
    add_variables(w, t, f, vo);
    if (f == GEN_ZSAV) readstat_writer_set_compression(w, READSTAT_COMPRESS_BINARY);
    if (f == GEN_DTA) readstat_writer_set_file_format_version(w, 118);
    readstat_error_t e = f == GEN_DTA   ? readstat_begin_writing_dta(w, out, t->nrows)
                         : f == GEN_SAS ? readstat_begin_writing_sas7bdat(w, out, t->nrows)
                                        : readstat_begin_writing_sav(w, out, t->nrows);
    const char *cur = t->text;
    for (long r = 0; r < t->nrows && e == READSTAT_OK; r++) {
        e = readstat_begin_row(w);
        for (int c = 0; c < t->ncol && e == READSTAT_OK; c++) {
            const char *v = next_value(&cur);
            e = *v ? put_value(w, &vo[c], f, v) : put_missing(w, &vo[c], f, r);
        }
        if (e == READSTAT_OK) e = readstat_end_row(w);
    }
    if (e == READSTAT_OK) e = readstat_end_writing(w);
    readstat_writer_free(w);
    free(vo);
    const bool closed = fclose(out) == 0;
    if (e != READSTAT_OK || !closed) {
        snprintf(err, errlen, "%s: %s", path, e != READSTAT_OK ? readstat_error_message(e) : strerror(errno));
        return -1;
    }
    return 0;
}
#endif
