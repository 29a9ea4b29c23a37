/* Stage 2: records and cells, over the dialect cases of SPEC §2.1. */
#include "helpers.h"
#include "records.h"

typedef struct {
    const char *in;
    char delim;
    int ncells;
    const char *cells[5];
    int quoted_mask;
    unsigned nlines;
    bool bad_quote;
} rec_case;

ParameterizedTestParameters(records, dialects)
{
    static rec_case cases[] = {
        {"a,b,c\n", ',', 3, {"a", "b", "c"}, 0, 1, false},
        {"a;b;c\r\n", ';', 3, {"a", "b", "c"}, 0, 1, false},
        {"a\tb\t c \n", '\t', 3, {"a", "b", "c"}, 0, 1, false},       /* TAB delimits, spaces still trimmed */
        {"a\t\tb\n", '\t', 3, {"a", "", "b"}, 0, 1, false},            /* TAB is not padding when it delimits */
        {"  a  | b|c  \n", '|', 3, {"a", "b", "c"}, 0, 1, false},      /* unquoted padding trimmed */
        {"\"a,b\",c\n", ',', 2, {"a,b", "c"}, 1, 1, false},            /* delimiter inside quotes */
        {"\" a \" ,c\n", ',', 2, {" a ", "c"}, 1, 1, false},           /* quoted content verbatim, outer spaces trimmed */
        {"\"a\"\"b\",c\n", ',', 2, {"a\"\"b", "c"}, 1, 1, false},      /* doubled quote (unescaped on demand) */
        {"\"a\nb\",c\r\n", ',', 2, {"a\nb", "c"}, 1, 2, false},        /* line break inside quotes */
        {"a,,\"\"\n", ',', 3, {"a", "", ""}, 4, 1, false},             /* empty and quoted-empty */
        {"a,b", ',', 2, {"a", "b"}, 0, 1, false},                      /* no final line break */
        {"a,\"b\"\r", ',', 2, {"a", "b"}, 2, 1, false},                /* CR at end of input */
        {"\"a\"x,b\n", ',', 2, {"a", "b"}, 1, 1, true},                /* text after closing quote */
        {"a\"b,c\n", ',', 2, {"a\"b", "c"}, 0, 1, false},              /* a quote inside an unquoted field is data */
        {"   \n", ',', 1, {""}, 0, 1, false},                          /* blank line: one empty cell */
    };
    return cr_make_param_array(rec_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(rec_case *c, records, dialects)
{
    esf_cell cells[8];
    esf_record rec = {.cells = cells, .cap = 8};
    const char *next;
    size_t len = strlen(c->in);
    cr_assert_eq(rec_next(c->in, c->in + len, true, c->delim, &rec, &next), REC_OK);
    cr_assert_eq(rec.ncells, (uint32_t)c->ncells, "%s", c->in);
    for (int i = 0; i < c->ncells; i++) {
        cr_expect_eq(cells[i].len, strlen(c->cells[i]), "cell %d of %s", i, c->in);
        cr_expect_eq(memcmp(cells[i].p, c->cells[i], cells[i].len), 0, "cell %d of %s", i, c->in);
        cr_expect_eq(cells[i].quoted, (c->quoted_mask >> i) & 1, "quoted %d of %s", i, c->in);
    }
    cr_expect_eq(rec.nlines, c->nlines);
    cr_expect_eq(rec.bad_quote, c->bad_quote);
    cr_expect_eq(next, c->in + len);
}

Test(records, need_more_until_eof)
{
    esf_cell cells[8];
    esf_record rec = {.cells = cells, .cap = 8};
    const char *next;
    const char *s = "a,\"b\nc";
    cr_expect_eq(rec_next(s, s + 3, false, ',', &rec, &next), REC_NEED_MORE);
    cr_expect_eq(rec_next(s, s + strlen(s), false, ',', &rec, &next), REC_NEED_MORE);
    cr_expect_eq(rec_next(s, s + strlen(s), true, ',', &rec, &next), REC_QUOTE_OPEN);
    /* A quote as the last byte may be the first half of "": wait for more. */
    const char *t = "\"a\"";
    cr_expect_eq(rec_next(t, t + 3, false, ',', &rec, &next), REC_NEED_MORE);
}

Test(records, counts_cells_beyond_capacity)
{
    esf_cell cells[2];
    esf_record rec = {.cells = cells, .cap = 2};
    const char *next, *s = "a,b,c,d\n";
    cr_assert_eq(rec_next(s, s + strlen(s), true, ',', &rec, &next), REC_OK);
    cr_expect_eq(rec.ncells, 4);
}

Test(records, unescape)
{
    esf_cell c = {.p = "a\"\"b\"\"", .len = 6, .quoted = 1, .escaped = 1};
    char out[8];
    size_t n = cell_unescape(&c, out);
    cr_expect_eq(n, 4);
    cr_expect_eq(memcmp(out, "a\"b\"", 4), 0);
}

typedef struct {
    const char *header;
    char want;
} delim_case;

ParameterizedTestParameters(records, delimiter_detection)
{
    static delim_case cases[] = {
        {"a,b,c\n", ','},         {"a;b;c\n", ';'},       {"a\tb\tc\n", '\t'},
        {"a|b|c\n", '|'},         {"a;b,c;d\n", ';'},     {"\"a;b;c\",d,e\n", ','},
        {"a,b;c\nx;y;z;w\n", ','}, {"abc\n", ','},        {"a;b,c", ','} /* tie: first in order */};
    return cr_make_param_array(delim_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(delim_case *c, records, delimiter_detection)
{
    cr_expect_eq(rec_detect_delimiter(c->header, c->header + strlen(c->header)), c->want, "%s",
                 c->header);
}
