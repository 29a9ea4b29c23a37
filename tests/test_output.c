/* Stage 6: disclosure control (SPEC §6 and secondary suppression) in every
 * format, and the formats themselves. */
#include "common.h"
#include "helpers.h"

#include <inttypes.h>
#include <locale.h>

typedef struct {
    int persons;
    unsigned round;
    const char *want;
} round_case;

ParameterizedTestParameters(output, rounding_halves_away_from_zero)
{
    static round_case cases[] = {{14, 10, "10"}, {15, 10, "20"}, {25, 10, "30"}, {5, 10, "10"},
                                 {4, 10, "0"},   {7, 5, "5"},    {8, 5, "10"},   {7, 3, "6"},
                                 {7, 1, "7"}};
    return cr_make_param_array(round_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(round_case *c, output, rounding_halves_away_from_zero)
{
    size_t len;
    char *in = uwv_extract(c->persons, 1, &len);
    esf_disclosure dc = {.round = c->round};
    char *out = run_fmt(in, len, NULL, ESF_FORMAT_CSV, &dc);
    expect_cell(out, "deelnemers,uwv,totaal,totaal,n", c->want);
    /* trajecten reveals persons: rounded too (SPEC §6); the invoer table
     * is not protected: never rounded */
    expect_cell(out, "projecten,P,totaal,totaal,trajecten", c->want);
    char rows[16];
    snprintf(rows, sizeof rows, "%d", c->persons);
    expect_cell(out, "invoer,invoer,rijen,gelezen,n", rows);
    free(out);
    free(in);
}

/* SPEC §6: everything published follows from what is published: under
 * --round, procent and behaald from the rounded counts (the exact 1/16 =
 * 6.3 % would pin teller and noemer beside 0 and 20), and none when the
 * rounded noemer is 0; without --round, from the exact counts. */
Test(output, percentages_come_from_the_published_counts)
{
    size_t len;
    char *in = uwv_extract(16, 1, &len); /* 1/16 = 6.25 % */
    esf_disclosure dc = {.round = 10};
    char *out = run_fmt(in, len, NULL, ESF_FORMAT_CSV, &dc);
    expect_cell(out, "indicatoren,uwv,indicator,RI3,teller", "0");
    expect_cell(out, "indicatoren,uwv,indicator,RI3,noemer", "20");
    expect_cell(out, "indicatoren,uwv,indicator,RI3,procent", "0.0");
    expect_cell(out, "indicatoren,uwv,indicator,RI3,behaald", "0");
    free(out);
    out = run_fmt(in, len, NULL, ESF_FORMAT_CSV, NULL);
    expect_cell(out, "indicatoren,uwv,indicator,RI3,procent", "6.3");
    free(out);
    free(in);
    in = uwv_extract(4, 4, &len); /* 4/4, noemer 4 rounds to 0 */
    out = run_fmt(in, len, NULL, ESF_FORMAT_CSV, &dc);
    expect_cell(out, "indicatoren,uwv,indicator,RI3,noemer", "0");
    expect_cell(out, "indicatoren,uwv,indicator,RI3,procent", "");
    expect_cell(out, "indicatoren,uwv,indicator,RI3,behaald", "");
    free(out);
    free(in);
}

Test(output, suppression_of_counts_and_what_derives_from_them)
{
    size_t len;
    char *in = uwv_extract(12, 2, &len);
    esf_disclosure dc = {.suppress_below = 5};
    char *out = run_fmt(in, len, NULL, ESF_FORMAT_CSV, &dc);
    expect_cell(out, "deelnemers,uwv,totaal,totaal,n", "12");
    expect_cell(out, "deelnemers,jenv,totaal,totaal,n", "0"); /* a zero reveals no one */
    expect_cell(out, "indicatoren,uwv,indicator,RI3,teller", "x");
    expect_cell(out, "indicatoren,uwv,indicator,RI3,noemer", "12");
    expect_cell(out, "indicatoren,uwv,indicator,RI3,procent", "x");
    expect_cell(out, "indicatoren,uwv,indicator,RI3,behaald", "x");
    expect_cell(out, "indicatoren,uwv,indicator,RI3,streefwaarde", "55");
    expect_cell(out, "invoer,invoer,rijen,afgewezen,n", "0");
    free(out);
    free(in);
}

Test(output, secondary_suppression_protects_the_row_total)
{
    /* geslacht in uwv: man 8, vrouw 4, onbekend 0.  N = 1: nothing is
     * below (a zero is published).  N = 5: vrouw (4) is, and man + vrouw +
     * 0 = 12 would give it away: man goes too, the zero and the total stay. */
    size_t len;
    char *in = uwv_extract(12, 0, &len);
    esf_disclosure dc = {.suppress_below = 1};
    char *out = run_fmt(in, len, NULL, ESF_FORMAT_CSV, &dc);
    expect_cell(out, "deelnemers,uwv,geslacht,onbekend,n", "0");
    expect_cell(out, "deelnemers,uwv,geslacht,vrouw,n", "4");
    free(out);
    dc.suppress_below = 5;
    out = run_fmt(in, len, NULL, ESF_FORMAT_CSV, &dc);
    expect_cell(out, "deelnemers,uwv,geslacht,onbekend,n", "0");
    expect_cell(out, "deelnemers,uwv,geslacht,vrouw,n", "x");
    expect_cell(out, "deelnemers,uwv,geslacht,man,n", "x");
    expect_cell(out, "deelnemers,uwv,totaal,totaal,n", "12");
    free(out);
    free(in);
}

Test(output, text_report_shows_suppressed_cells_and_their_percentages_as_x)
{
    size_t len;
    char *in = uwv_extract(12, 0, &len);
    esf_disclosure dc = {.suppress_below = 5};
    char *out = run_fmt(in, len, NULL, ESF_FORMAT_TEXT, &dc);
    const char *sec = strstr(out, "Unieke deelnemers naar geslacht");
    cr_assert(sec);
    const char *vrouw = strstr(sec, "\nVrouw");
    cr_assert(vrouw);
    /* Columns: Gemeenten n %, Vso/pro n %, AMR n %, UWV n % ... */
    char line[256];
    sscanf(vrouw + 1, "%255[^\n]", line);
    int xs = 0;
    for (char *p = line; *p; p++) xs += *p == 'x';
    cr_expect_geq(xs, 4, "%s", line);
    cr_expect(strstr(out, "kleiner dan 5 onderdrukt"), "the report says what was done");
    free(out);
    free(in);
}

Test(output, json_is_nested_and_typed)
{
    size_t len;
    char *in = uwv_extract(3, 1, &len);
    char *out = run_fmt(in, len, NULL, ESF_FORMAT_JSON, NULL);
    cr_expect(strstr(out, "\"deelnemers\":{\"amr\":{\"doelgroep\":{\"arbeidsbelemmerd\":{\"n\":0}"), "%.200s", out);
    cr_expect(strstr(out, "\"RI3\":{\"behaald\":0,\"noemer\":3,\"procent\":33.3,\"streefwaarde\":55,\"teller\":1}"));
    cr_expect(strstr(out, "\"RI4_bekend\":{\"behaald\":null,\"noemer\":0,\"procent\":null"));
    free(out);
    free(in);
}

/* esf_copy_cut and esf_u64_text write what snprintf would, cut alike. */
Test(output, text_helpers_match_snprintf)
{
    static const char *const s[] = {"", "a", "resultaten", "0123456789abcdef0123456789abcdef"};
    static const uint64_t v[] = {0, 7, 10, 4294967296ull, UINT64_MAX};
    for (size_t cap = 1; cap <= 24; cap++) {
        char a[32], b[32];
        for (size_t i = 0; i < sizeof s / sizeof *s; i++) {
            memset(a, '#', sizeof a), memset(b, '#', sizeof b);
            esf_copy_cut(a, cap, s[i]);
            snprintf(b, cap, "%s", s[i]);
            cr_assert(memcmp(a, b, sizeof a) == 0, "'%s' in %zu bytes: '%s' not '%s'", s[i], cap, a, b);
        }
        for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
            memset(a, '#', sizeof a), memset(b, '#', sizeof b);
            esf_u64_text(a, cap, v[i]);
            snprintf(b, cap, "%" PRIu64, v[i]);
            cr_assert(memcmp(a, b, sizeof a) == 0, "%" PRIu64 " in %zu bytes: '%s' not '%s'", v[i], cap, a, b);
        }
    }
}

/* A library user that set a locale with a decimal comma gets the same
 * bytes in every format (SPEC §5: numbers with '.'; an SVG width "15,2"
 * breaks the figure).  nl_NL.UTF-8 is made by scripts/install-deps.sh. */
Test(output, formats_do_not_depend_on_the_host_programs_locale)
{
    size_t len;
    char *in = uwv_extract(16, 1, &len);
    const esf_format fmts[] = {ESF_FORMAT_CSV, ESF_FORMAT_JSON, ESF_FORMAT_TEXT, ESF_FORMAT_MARKDOWN,
                               ESF_FORMAT_HTML};
    for (size_t i = 0; i < sizeof fmts / sizeof *fmts; i++) {
        char *c_out = run_fmt(in, len, NULL, fmts[i], NULL);
        cr_assert_not_null(setlocale(LC_ALL, "nl_NL.UTF-8"), "locale nl_NL.UTF-8 missing (scripts/install-deps.sh)");
        char buf[16];
        snprintf(buf, sizeof buf, "%.1f", 15.25);
        cr_assert_str_eq(buf, "15,2", "the locale is in force for the host program");
        char *nl_out = run_fmt(in, len, NULL, fmts[i], NULL);
        setlocale(LC_ALL, "C");
        cr_expect_str_eq(nl_out, c_out, "format %d differs under nl_NL", (int)fmts[i]);
        free(c_out);
        free(nl_out);
    }
    free(in);
}
