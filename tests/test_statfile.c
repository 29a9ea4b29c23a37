/* Stage 1b: statistical files (SPEC §2.8).  Small SPSS, Stata and SAS
 * files are written in memory through ReadStat's writer and converted; the
 * CSV text is compared byte for byte: value labels that are codes and ones
 * that are not, every date format family, system- and user-missing values,
 * strings that need quotes, and the case of each line. */
#include "helpers.h"

#include <sys/stat.h>
#include <unistd.h>
#include "statfile.h"

#ifdef ESF_HAVE_READSTAT
#include <readstat.h>

typedef struct {
    char *p;
    size_t len, cap;
} membuf;

static ssize_t mem_write(const void *data, size_t n, void *ctx)
{
    membuf *m = ctx;
    if (m->len + n > m->cap) {
        m->cap = (m->len + n) * 2;
        m->p = realloc(m->p, m->cap);
        cr_assert(m->p);
    }
    memcpy(m->p + m->len, data, n);
    m->len += n;
    return (ssize_t)n;
}

/* Seconds since 1582-10-14 (SPSS) and days since 1960-01-01 (Stata, SAS)
 * of 2016-03-01: 1960-01-01 is day 0; 2016-03-01 is day 20514. */
#define DAYS_2016_03_01 20514.0
#define SPSS_1960 (141428.0 - 3653.0) /* 1582-10-14 to 1970, less 1960 to 1970 */

typedef enum { F_SAV, F_DTA, F_SAS, F_POR } fmt;

#define OK(call)                                                                              \
    do {                                                                                      \
        const readstat_error_t ok_e_ = (call);                                                \
        cr_assert_eq(ok_e_, READSTAT_OK, "%s: %s", #call, readstat_error_message(ok_e_));     \
    } while (0)

/* One file of three cases over the variables every format can hold. */
static membuf write_file(fmt f)
{
    membuf m = {0};
    readstat_writer_t *w = readstat_writer_init();
    readstat_set_data_writer(w, mem_write);
    const bool dta = f == F_DTA, sas = f == F_SAS, spss = f == F_SAV || f == F_POR;
    /* a portable file's names: 8 characters at most, upper-case (ReadStat
     * 1.1.8's writer crashes on a lower-case one) */
    readstat_variable_t *id = readstat_add_variable(w, f == F_POR ? "RIN" : "rinpersoon", READSTAT_TYPE_STRING, 12);
    readstat_variable_t *ap = readstat_add_variable(w, f == F_POR ? "AANVR" : "aanvrager",
                                                    dta ? READSTAT_TYPE_INT32 : READSTAT_TYPE_DOUBLE, 0);
    readstat_variable_t *st = readstat_add_variable(w, f == F_POR ? "START" : "start", READSTAT_TYPE_DOUBLE, 0);
    readstat_variable_t *ei = readstat_add_variable(w, f == F_POR ? "EIND" : "eind", READSTAT_TYPE_DOUBLE, 0);
    readstat_variable_t *gb = readstat_add_variable(w, f == F_POR ? "GEB" : "geboortedatum", READSTAT_TYPE_DOUBLE, 0);
    readstat_variable_t *ur = readstat_add_variable(w, f == F_POR ? "UREN" : "uren", READSTAT_TYPE_DOUBLE, 0);
    readstat_variable_t *nt = readstat_add_variable(w, f == F_POR ? "NOTE" : "note", READSTAT_TYPE_STRING, 40);
    readstat_variable_set_format(st, dta ? "%td" : sas ? "DATE9" : "DATE11");
    readstat_variable_set_format(ei, dta ? "%tc" : sas ? "DATETIME20" : "DATETIME20");
    readstat_variable_set_format(gb, dta ? "%10.0g" : sas ? "BEST12" : "F8.0");
    readstat_variable_set_format(ur, dta ? "%9.2f" : sas ? "BEST12" : "F8.2");
    if (!sas) {
        readstat_label_set_t *ls = readstat_add_label_set(w, dta ? READSTAT_TYPE_INT32 : READSTAT_TYPE_DOUBLE, "aanvr");
        if (dta) {
            readstat_label_int32_value(ls, 1, "Gemeente");
            readstat_label_int32_value(ls, 3, "UWV");
            readstat_label_int32_value(ls, 9, "anders");
        } else {
            readstat_label_double_value(ls, 1, "Gemeente");
            readstat_label_double_value(ls, 3, "UWV");
            readstat_label_double_value(ls, 9, "anders");
        }
        readstat_variable_set_label_set(ap, ls);
    }
    if (spss) readstat_variable_add_missing_double_value(ur, -1);
    cr_assert_eq(f == F_DTA   ? readstat_begin_writing_dta(w, &m, 3)
                 : f == F_SAS ? readstat_begin_writing_sas7bdat(w, &m, 3)
                 : f == F_POR ? readstat_begin_writing_por(w, &m, 3)
                              : readstat_begin_writing_sav(w, &m, 3),
                 READSTAT_OK);
    const double day = dta || sas ? DAYS_2016_03_01 : (DAYS_2016_03_01 + SPSS_1960) * 86400;
    const double late = dta ? (DAYS_2016_03_01 + 1) * 86400000 - 1000 /* 23:59:59 */
                            : ((dta || sas ? DAYS_2016_03_01 : DAYS_2016_03_01 + SPSS_1960) + 1) * 86400 - 1;
    /* case 1: a code label, dates, a decimal */
    OK(readstat_begin_row(w));
    OK(readstat_insert_string_value(w, id, "000123   "));
    if (dta) OK(readstat_insert_int32_value(w, ap, 1));
    else OK(readstat_insert_double_value(w, ap, 1));
    OK(readstat_insert_double_value(w, st, day));
    OK(readstat_insert_double_value(w, ei, late));
    OK(readstat_insert_double_value(w, gb, 19800229));
    OK(readstat_insert_double_value(w, ur, 32.5));
    /* a portable file's character set has no line feed */
    OK(readstat_insert_string_value(w, nt, f == F_POR ? "a, \"b\" c" : "a, \"b\"\nc"));
    OK(readstat_end_row(w));
    /* case 2: a label that is no code, user- and system-missing */
    OK(readstat_begin_row(w));
    OK(readstat_insert_string_value(w, id, " 7"));
    if (dta) OK(readstat_insert_int32_value(w, ap, 9));
    else OK(readstat_insert_double_value(w, ap, 9));
    OK(readstat_insert_missing_value(w, st));
    if (dta) OK(readstat_insert_tagged_missing_value(w, ei, 'a'));
    else OK(readstat_insert_missing_value(w, ei));
    OK(readstat_insert_double_value(w, gb, 3));
    if (spss) OK(readstat_insert_double_value(w, ur, -1));
    else OK(readstat_insert_missing_value(w, ur));
    OK(readstat_insert_string_value(w, nt, ""));
    OK(readstat_end_row(w));
    /* case 3: an unlabelled code number, a very small decimal */
    OK(readstat_begin_row(w));
    OK(readstat_insert_string_value(w, id, "x"));
    if (dta) OK(readstat_insert_int32_value(w, ap, 3));
    else OK(readstat_insert_double_value(w, ap, 3));
    OK(readstat_insert_double_value(w, st, day));
    OK(readstat_insert_missing_value(w, ei));
    OK(readstat_insert_double_value(w, gb, 20160301));
    OK(readstat_insert_double_value(w, ur, 0.125));
    OK(readstat_insert_string_value(w, nt, "plain"));
    OK(readstat_end_row(w));
    const readstat_error_t e = readstat_end_writing(w);
    cr_assert_eq(e, READSTAT_OK, "format %d: %s", f, readstat_error_message(e));
    readstat_writer_free(w);
    return m;
}

typedef struct {
    fmt f;
    esf_stat_kind kind;
    const char *text;
} conv_case;

ParameterizedTestParameters(statfile, convert)
{
    static conv_case cases[] = {
        {F_SAV, ESF_STAT_SAV,
         "rinpersoon,aanvrager,start,eind,geboortedatum,uren,note\n"
         "000123,Gemeente,2016-03-01,2016-03-01,19800229,32.5,\"a, \"\"b\"\"\nc\"\n"
         "\" 7\",9,,,3,,\n"
         "x,UWV,2016-03-01,,20160301,0.125,plain\n"},
        {F_DTA, ESF_STAT_DTA,
         "rinpersoon,aanvrager,start,eind,geboortedatum,uren,note\n"
         "000123,Gemeente,2016-03-01,2016-03-01,19800229,32.5,\"a, \"\"b\"\"\nc\"\n"
         "\" 7\",9,,,3,,\n"
         "x,UWV,2016-03-01,,20160301,0.125,plain\n"},
        /* SAS keeps value labels in a catalogue of its own: numbers */
        {F_SAS, ESF_STAT_SAS7BDAT,
         "rinpersoon,aanvrager,start,eind,geboortedatum,uren,note\n"
         "000123,1,2016-03-01,2016-03-01,19800229,32.5,\"a, \"\"b\"\"\nc\"\n"
         "\" 7\",9,,,3,,\n"
         "x,3,2016-03-01,,20160301,0.125,plain\n"},
        /* names of 8 characters at most, upper-case as the format keeps them */
        {F_POR, ESF_STAT_POR,
         "RIN,AANVR,START,EIND,GEB,UREN,NOTE\n"
         "000123,Gemeente,2016-03-01,2016-03-01,19800229,32.5,\"a, \"\"b\"\" c\"\n"
         "\" 7\",9,,,3,,\n"
         "x,UWV,2016-03-01,,20160301,0.125,plain\n"},
    };
    return cr_make_param_array(conv_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(conv_case *c, statfile, convert)
{
    membuf m = write_file(c->f);
    cr_assert_eq(esf_stat_magic((unsigned char *)m.p, m.len), c->kind);
    esf_stat *s;
    esf_err err = {{0}};
    cr_assert_eq(esf_stat_read((unsigned char *)m.p, m.len, c->kind, "t", &s, &err), ESF_OK, "%s", err.msg);
    size_t n;
    const char *text = esf_stat_text(s, &n);
    cr_expect_eq(n, strlen(c->text), "got:\n%.*s", (int)n, text);
    cr_expect(n == strlen(c->text) && memcmp(text, c->text, n) == 0, "got:\n%.*s", (int)n, text);
    /* case 1 spans lines 2-3 when its note holds a line feed */
    const uint64_t lf = c->f != F_POR;
    cr_expect_eq(esf_stat_case(s, 1), 0);
    cr_expect_eq(esf_stat_case(s, 2), 1);
    cr_expect_eq(esf_stat_case(s, 3 + lf), 2);
    cr_expect_eq(esf_stat_case(s, 4 + lf), 3);
    esf_stat_free(s);
    /* cut short anywhere after its header: an input error naming the file,
     * or, when only padding is gone, every case read */
    for (size_t cut = m.len / 2; cut < m.len; cut += (m.len - cut + 1) / 2) {
        esf_status st = esf_stat_read((unsigned char *)m.p, cut, c->kind, "cut.file", &s, &err);
        if (st == ESF_OK) { /* only a tail of padding cut: every case there */
            const char *t = esf_stat_text(s, &n);
            cr_expect(n == strlen(c->text) && memcmp(t, c->text, n) == 0, "cut at %zu of %zu gave:\n%.*s",
                      cut, m.len, (int)n, t);
            esf_stat_free(s);
            continue;
        }
        cr_expect_eq(st, ESF_ERR_INPUT);
        cr_expect(strstr(err.msg, "cut.file: ") == err.msg, "%s", err.msg);
    }
    free(m.p);
}

/* The same file through the whole library, as any input: a row counted. */
Test(statfile, counted_as_csv)
{
    membuf m = write_file(F_SAV);
    esf_options o = {0};
    esf_run *run;
    cr_assert_eq(esf_run_new(&o, &run), ESF_OK);
    /* no project column: the header fails as a CSV header would */
    cr_expect_eq(esf_run_add_memory(run, "t.sav", m.p, m.len), ESF_ERR_INPUT);
    cr_expect(strstr(esf_run_error(run), "t.sav: missing required column 'project'") != NULL, "%s",
              esf_run_error(run));
    esf_run_free(run);
    free(m.p);
}
#endif

typedef struct {
    const char *bytes;
    size_t len;
    esf_stat_kind kind;
} magic_case;

ParameterizedTestParameters(statfile, magic)
{
    static magic_case cases[] = {
        {"$FL2@(#) IBM SPSS", 17, ESF_STAT_SAV},
        {"$FL3@(#) IBM SPSS", 17, ESF_STAT_ZSAV},
        {"<stata_dta><header>", 19, ESF_STAT_DTA},
        {"\x72\x02\x01\x00", 4, ESF_STAT_DTA},     /* Stata 114, little-endian */
        {"\x71\x01\x01\x00", 4, ESF_STAT_DTA},     /* Stata 113, big-endian */
        {"\0\0\0\0\0\0\0\0\0\0\0\0\xc2\xea\x81\x60\xb3\x14", 18, ESF_STAT_SAS7BDAT},
        {"$FL", 3, ESF_STAT_NONE},
        {"rinpersoon,project\n", 19, ESF_STAT_NONE},
        {"\x1f\x8b\x08\x00", 4, ESF_STAT_NONE},
        {"\x72\x02\x01\x07", 4, ESF_STAT_NONE},
        {"<stata_dt", 9, ESF_STAT_NONE},
    };
    return cr_make_param_array(magic_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(magic_case *c, statfile, magic)
{
    cr_expect_eq(esf_stat_magic((const unsigned char *)c->bytes, c->len), c->kind, "%.*s", (int)c->len, c->bytes);
}

Test(statfile, portable_magic_after_splash)
{
    unsigned char p[600];
    memset(p, ' ', sizeof p);
    memcpy(p + 464, "SPSSPORT", 8); /* 456 bytes and 8 line ends */
    cr_expect_eq(esf_stat_magic(p, sizeof p), ESF_STAT_POR);
    cr_expect_eq(esf_stat_magic(p, 470), ESF_STAT_NONE); /* not all there */
}

#ifdef ESF_HAVE_READSTAT
/* The helper process (esf_options.stat_helper) dying on a file, as ReadStat
 * 1.1.8 does on some damaged ones, or failing otherwise: an input error
 * naming the file, never the end of the calling process. */
typedef struct {
    const char *script;
    const char *msg;
} helper_case;

ParameterizedTestParameters(statfile, helper_fails)
{
    static helper_case cases[] = {
        {"#!/bin/sh\nkill -SEGV $$\n", "ReadStat stopped on it with signal 11"},
        {"#!/bin/sh\nexit 7\n", "ended with status 7"},
        {"#!/bin/sh\nexit 0\n", "could not be read back"},
    };
    return cr_make_param_array(helper_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(helper_case *c, statfile, helper_fails)
{
    char path[] = "/tmp/esfmon-helper-XXXXXX";
    const int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, c->script, strlen(c->script)), (ssize_t)strlen(c->script));
    close(fd);
    chmod(path, 0700);
    membuf m = write_file(F_SAV);
    esf_options o = {.stat_helper = path};
    esf_run *run;
    cr_assert_eq(esf_run_new(&o, &run), ESF_OK);
    cr_expect_eq(esf_run_add_memory(run, "t.sav", m.p, m.len), ESF_ERR_INPUT);
    cr_expect(strstr(esf_run_error(run), "t.sav: ") == esf_run_error(run), "%s", esf_run_error(run));
    cr_expect(strstr(esf_run_error(run), c->msg) != NULL, "%s", esf_run_error(run));
    esf_run_free(run);
    unlink(path);
    free(m.p);
}
#endif
