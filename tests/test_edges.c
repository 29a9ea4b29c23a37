/* The edges of the input (SPEC §2.1, §2.6, §5 JSON): the targets file, text
 * that is not UTF-8, a header line again, --column, inputs that are not
 * text.  Each case fails without its rule. */
#include "common.h"
#include "helpers.h"
#include "rows.h"
#include "targets.h"

#include <unistd.h>

/* ---- targets file (SPEC §2.6) ------------------------------------------ */
typedef struct {
    const char *file;   /* its bytes */
    esf_status want;
    const char *msg;    /* in the message, or the canonical value of ind */
    const char *ind;
} target_case;

ParameterizedTestParameters(edges, targets)
{
    static target_case cases[] = {
        {"OI1,72.500\n", ESF_ERR_USAGE, ":1: target of OI1 is a whole number of persons: write 72500", "OI1"},
        {"OI1,72,500\n", ESF_ERR_USAGE, ":1: target of OI1 is a whole number of persons: write 72500", "OI1"},
        {"RI1,72,500\n", ESF_ERR_USAGE, "expected two fields", "RI1"},
        {"OI1;72,500\n", ESF_ERR_USAGE, "write 72500", "OI1"},
        {"OI1,1,2\n", ESF_ERR_USAGE, "expected two fields", "OI1"},
        {"OI1,72.5\n", ESF_ERR_USAGE, "whole number of persons in digits only", "OI1"},
        {"OI1,12345678901234567890\n", ESF_ERR_USAGE, "too large", "OI1"},
        {"OI1,\n", ESF_ERR_USAGE, "empty", "OI1"},
        {"OI1\n", ESF_ERR_USAGE, "expected INDICATOR,VALUE", "OI1"},
        {"OI9,5\n", ESF_ERR_USAGE, "unknown indicator 'OI9'", "OI1"},
        {"OI1,5\n# c\nOI1,6\n", ESF_ERR_USAGE, ":3: OI1 given twice (first on line 1)", "OI1"},
        {"RI1,100.000001\n", ESF_ERR_USAGE, "from 0 to 100", "RI1"},
        {"RI1,1.1234567\n", ESF_ERR_USAGE, "more than 6 decimals", "RI1"},
        {"RI1,-5\n", ESF_ERR_USAGE, "a percentage from 0 to 100", "RI1"},
        {"RI1,5e1\n", ESF_ERR_USAGE, "a percentage from 0 to 100", "RI1"},
        {"\xef\xbb\xbfOI1,80000\n", ESF_OK, "80000", "OI1"},
        {"indicator,streefwaarde\r\nOI1,007\r\n", ESF_OK, "7", "OI1"},
        {"\"OI1\" ; \"000\"\n", ESF_OK, "0", "OI1"},
        {"RI1,.5\n", ESF_OK, "0.5", "RI1"},
        {"RI1,5.\n", ESF_OK, "5", "RI1"},
        {"RI1|22,500\n", ESF_OK, "22.5", "RI1"},
        {"ri1\t100.000000 # max\n", ESF_OK, "100", "RI1"},
        {"RI1,0.000001\n", ESF_OK, "0.000001", "RI1"},
    };
    return cr_make_param_array(target_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(target_case *c, edges, targets)
{
    char path[] = "/tmp/esf-targets-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, c->file, strlen(c->file)), (ssize_t)strlen(c->file));
    close(fd);
    esf_targets t;
    esf_err err = {""};
    memset(&t, 0, sizeof t);
    esf_status st = esf_targets_load(path, &t, &err);
    unlink(path);
    cr_expect_eq(st, c->want, "%s: %s", c->file, err.msg);
    if (c->want == ESF_OK) cr_expect_str_eq(t.value[esf_indicator_lookup(c->ind)], c->msg, "%s", c->file);
    else cr_expect(strstr(err.msg, c->msg) != NULL, "%s: '%s' lacks '%s'", c->file, err.msg, c->msg);
}

Test(edges, targets_unreadable_is_an_input_error_in_the_run)
{
    esf_options o = {0};
    esf_run *run;
    cr_assert_eq(esf_run_new(&o, &run), ESF_OK);
    cr_expect_eq(esf_run_targets(run, "/"), ESF_ERR_INPUT);
    cr_expect(strstr(esf_run_error(run), "--targets: /: cannot read targets file: is a directory") != NULL,
              "%s", esf_run_error(run));
    cr_expect_eq(esf_run_targets(run, "/nonexistent/t.csv"), ESF_ERR_INPUT);
    esf_run_free(run);
}

/* ---- UTF-8 ---------------------------------------------------------------- */
typedef struct {
    const char *in;
    const char *clean;
} utf8_case;

ParameterizedTestParameters(edges, utf8)
{
    static utf8_case cases[] = {
        {"AMR01", "AMR01"},
        {"Zo\xc3\xabtermeer", "Zo\xc3\xabtermeer"},
        {"P\xff" "1", "P\xef\xbf\xbd" "1"},
        {"P\xc3", "P\xef\xbf\xbd"},                              /* cut short */
        {"\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd"},                /* overlong */
        {"\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"}, /* a surrogate */
        {"\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"}, /* > U+10FFFF */
        {"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},
        /* control bytes shown, never sent to a terminal */
        {"P\x1b[2J1", "P\\x1b[2J1"}, {"a\tb\x7f", "a\\x09b\\x7f"},
    };
    return cr_make_param_array(utf8_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(utf8_case *c, edges, utf8)
{
    char out[64];
    esf_utf8_clean(c->in, strlen(c->in), out, sizeof out);
    cr_expect_str_eq(out, c->clean, "%s", c->in);
    if (!strchr(c->clean, '\\')) cr_expect_eq(esf_utf8_valid(c->in, strlen(c->in)), strcmp(c->in, c->clean) == 0);
}

Test(edges, json_of_a_project_id_not_utf8_is_utf8_and_the_run_says_where)
{
    static const char in[] = "rinpersoon,project,aanvrager,start\n1,P1,uwv,20150101\n2,Q\xfe,uwv,20150101\n";
    esf_options o = {0};
    esf_run *run;
    cr_assert_eq(esf_run_new(&o, &run), ESF_OK);
    cr_assert_eq(esf_run_add_memory(run, "mem.csv", in, sizeof in - 1), ESF_OK);
    cr_assert_eq(esf_run_finish(run), ESF_OK);
    cr_expect(strstr(esf_run_note(run), "mem.csv:3: project id 'Q\\xfe' is not UTF-8") != NULL, "%s",
              esf_run_note(run));
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    cr_assert_eq(esf_run_write(run, ESF_FORMAT_JSON, NULL, f), ESF_OK);
    fclose(f);
    cr_expect(esf_utf8_valid(buf, n));
    cr_expect(strstr(buf, "\"Q\\ufffd\"") != NULL);
    free(buf);
    esf_run_free(run);
}

/* ---- a header line again (SPEC §2.1) --------------------------------------- */
static void note_reject(void *ctx, const esf_reject *r)
{
    char *s = ctx;
    size_t n = strlen(s);
    snprintf(s + n, 512 - n, "%s:%llu:%s:%s;", r->file, (unsigned long long)r->line,
             esf_reject_name(r->reason), r->column ? r->column : "-");
}

Test(edges, header_again_rejects_are_read_under_their_header_at_any_j)
{
    static const char in[] = "rinpersoon,project,aanvrager,start\n1,P,uwv,20150101\n"
                             "start;aanvrager;project;rinpersoon\n20160101;jenv;Q;\n20160101;xx;Q;3\n"
                             "rinpersoon|project|aanvrager|start\n4|R|uwv|2015\n";
    for (unsigned j = 1; j <= 3; j++) {
        char rejects[512] = "";
        esf_options o = {.threads = j, .chunk_min = 1, .on_reject = note_reject, .reject_ctx = rejects};
        char *csv = run_csv(in, sizeof in - 1, &o);
        cr_expect_str_eq(rejects, "mem.csv:4:verplicht_leeg:rinpersoon;mem.csv:5:onbekende_code:aanvrager;"
                                  "mem.csv:7:datum:start;", "-j %u", j);
        expect_cell(csv, "invoer,invoer,rijen,gelezen,n", "4");
        free(csv);
    }
}

Test(edges, header_again_reads_the_rows_after_it_by_its_columns)
{
    /* b: other order, other delimiter, a BOM, an unknown column */
    static const char a[] = "rinpersoon,project,aanvrager,start\n1,P,uwv,20150101\n";
    static const char b[] = "\xef\xbb\xbf" "Start;Toelichting;aanvrager;PROJECT;rinpersoon\n20160101;-;jenv;Q;2\n";
    char both[256];
    snprintf(both, sizeof both, "%s%s", a, b);
    esf_options o = {0};
    for (unsigned j = 1; j <= 2; j++) {
        o.threads = j, o.chunk_min = 1;
        esf_run *run;
        cr_assert_eq(esf_run_new(&o, &run), ESF_OK);
        cr_assert_eq(esf_run_add_memory(run, "a.csv", a, sizeof a - 1), ESF_OK);
        cr_assert_eq(esf_run_add_memory(run, "b.csv", b, sizeof b - 1), ESF_OK);
        char *files = finish_fmt(run, ESF_FORMAT_CSV, NULL);
        char *one = run_csv(both, strlen(both), &o);
        cr_expect_str_eq(one, files, "-j %u", j);
        expect_cell(one, "deelnemers,jenv,totaal,totaal,n", "1");
        expect_cell(one, "invoer,invoer,rijen,gelezen,n", "2");
        expect_cell(one, "invoer,invoer,rijen,afgewezen,n", "0");
        free(one);
        free(files);
    }
}

Test(edges, a_row_of_names_without_every_required_column_is_a_row)
{
    static const char in[] = "rinpersoon,project,aanvrager,start\nrinpersoon,project,aanvrager,eind\n";
    char *csv = run_csv(in, sizeof in - 1, NULL);
    expect_cell(csv, "invoer,invoer,rijen,afgewezen,n", "1");
    free(csv);
}

/* ---- --column (SPEC §2.1) -------------------------------------------------- */
Test(edges, column_map_falls_back_to_the_canonical_name_and_fails_on_neither)
{
    static const char in[] = "rinpersoon,project,aanvrager,start,eind\n1,P,uwv,20150101,20150601\n";
    esf_column_map map[1] = {{"eind", "einddatum"}};
    esf_options o = {.columns = map, .ncolumns = 1};
    char *csv = run_csv(in, sizeof in - 1, &o);
    expect_cell(csv, "resultaten,uwv,totaal,totaal,afgerond", "1");
    free(csv);
    map[0].header = "einddatun";
    static const char in2[] = "rinpersoon,project,aanvrager,start,einddatum\n1,P,uwv,20150101,20150601\n";
    esf_run *run;
    cr_assert_eq(esf_run_new(&o, &run), ESF_OK);
    cr_expect_eq(esf_run_add_memory(run, "m.csv", in2, sizeof in2 - 1), ESF_ERR_INPUT);
    cr_expect(strstr(esf_run_error(run), "m.csv:1: --column eind=einddatun matches no column") != NULL,
              "%s", esf_run_error(run));
    esf_run_free(run);
}

/* ---- inputs that are not text (SPEC §2.1) ---------------------------------- */
typedef struct {
    const char *bytes;
    size_t len;
    const char *msg;
} nontext_case;

ParameterizedTestParameters(edges, not_text)
{
    static nontext_case cases[] = {
        {"rinpersoon,project\rP,1\r", 20, "CR without LF"},
        {"\xff\xfer\0i\0", 6, "UTF-16 text (byte order mark FF FE)"},
        {"r\0i\0n\0\n\0", 8, "NUL bytes"},
        {"PK\x03\x04....", 8, "a zip archive"},
        {"BZh91AY&SY", 10, "bzip2-compressed"},
        {"\xfd" "7zXZ\0..", 8, "xz-compressed"},
        {"\x28\xb5\x2f\xfd....", 8, "zstd-compressed"},
    };
    return cr_make_param_array(nontext_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(nontext_case *c, edges, not_text)
{
    esf_options o = {0};
    esf_run *run;
    cr_assert_eq(esf_run_new(&o, &run), ESF_OK);
    cr_expect_eq(esf_run_add_memory(run, "m.csv", c->bytes, c->len), ESF_ERR_INPUT);
    cr_expect(strstr(esf_run_error(run), c->msg) != NULL, "%s", esf_run_error(run));
    esf_run_free(run);
}

Test(edges, crlf_is_text)
{
    static const char in[] = "rinpersoon,project,aanvrager,start\r\n1,P,uwv,20150101\r\n";
    char *csv = run_csv(in, sizeof in - 1, NULL);
    expect_cell(csv, "invoer,invoer,rijen,geaccepteerd,n", "1");
    free(csv);
}

Test(edges, bad_options_leave_their_message_in_the_run)
{
    static const esf_column_map bogus[] = {{"bogus", "x"}};
    const struct {
        esf_options o;
        const char *msg;
    } cases[] = {
        {{.period = "20180101:20170101"}, "--period: FROM 20180101 is after TO 20170101"},
        {{.period = "2018"}, "--period: expected FROM:TO (one ':')"},
        {{.delimiter = 'x'}, "--delimiter: must be one of"},
        {{.columns = bogus, .ncolumns = 1}, "unknown column name 'bogus'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        esf_run *run;
        cr_expect_eq(esf_run_new(&cases[i].o, &run), ESF_ERR_USAGE);
        cr_assert_not_null(run);
        cr_expect(strstr(esf_run_error(run), cases[i].msg) != NULL, "%s", esf_run_error(run));
        esf_run_free(run);
    }
    esf_options ok = {.period = ":20170101"};
    esf_run *run;
    cr_expect_eq(esf_run_new(&ok, &run), ESF_OK);
    cr_expect_eq(esf_run_write(run, ESF_FORMAT_CSV, NULL, stdout), ESF_ERR_USAGE, "not finished");
    cr_expect(strstr(esf_run_error(run), "not finished") != NULL);
    esf_run_free(run);
    cr_expect_str_eq(esf_run_error(NULL), "out of memory");
    cr_expect_str_eq(esf_version(), ESF_VERSION);
}
