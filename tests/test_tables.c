/* Stage 5 and 6: derived groups, indicator arithmetic, CSV shape. */
#include "helpers.h"
#include "tables.h"
#include "write.h"

Test(tables, amr_counts_a_person_in_gemeente_and_vsopro_once)
{
    const char in[] = "rinpersoon,project,aanvrager,start\n1,P,gemeente,20150101\n1,Q,vsopro,20150101\n2,Q,vso/pro,20150101\n";
    char *out = run_csv(in, sizeof in - 1, NULL);
    expect_cell(out, "deelnemers,gemeente,totaal,totaal,n", "1");
    expect_cell(out, "deelnemers,vsopro,totaal,totaal,n", "2");
    expect_cell(out, "deelnemers,amr,totaal,totaal,n", "2");
    expect_cell(out, "deelnemers,totaal,totaal,totaal,n", "2");
    expect_cell(out, "projecten,Q,totaal,totaal,deelnemers", "2");
    expect_cell(out, "projecten,Q,totaal,totaal,trajecten", "2");
    free(out);
}

Test(tables, percent_rounds_halves_away_from_zero)
{
    char buf[8];
    esf_tenths_format(125, buf, sizeof buf);
    cr_expect_str_eq(buf, "12.5");
    esf_tenths_format(20, buf, sizeof buf);
    cr_expect_str_eq(buf, "2.0");
    esf_tenths_format(0, buf, sizeof buf);
    cr_expect_str_eq(buf, "0.0");
    /* 1 of 16 finished uwv persons found work: 6.25 % -> 6.3 */
    size_t n;
    char *in = uwv_extract(16, 1, &n);
    char *out = run_csv(in, n, NULL);
    expect_cell(out, "indicatoren,uwv,indicator,RI3,teller", "1");
    expect_cell(out, "indicatoren,uwv,indicator,RI3,noemer", "16");
    expect_cell(out, "indicatoren,uwv,indicator,RI3,procent", "6.3");
    expect_cell(out, "indicatoren,uwv,indicator,RI3,behaald", "0");
    expect_cell(out, "indicatoren,uwv,indicator,RI4_bekend,noemer", "0");
    expect_cell(out, "indicatoren,uwv,indicator,RI4_bekend,procent", "");
    expect_cell(out, "indicatoren,uwv,indicator,RI4_bekend,behaald", "");
    free(out);
    free(in);
}

Test(tables, behaald_uses_the_exact_ratio)
{
    /* 11 of 20 = 55 % exactly: RI3 target 55 reached. */
    size_t n;
    char *in = uwv_extract(20, 11, &n);
    char *out = run_csv(in, n, NULL);
    expect_cell(out, "indicatoren,uwv,indicator,RI3,procent", "55.0");
    expect_cell(out, "indicatoren,uwv,indicator,RI3,behaald", "1");
    free(out);
    free(in);
}

Test(tables, project_ids_are_quoted_in_csv)
{
    const char in[] = "rinpersoon;project;aanvrager;start\n1;\"A,\"\"B\"\"\";jenv;20150101\n";
    char *out = run_csv(in, sizeof in - 1, NULL);
    cr_expect(strstr(out, "\nprojecten,\"A,\"\"B\"\"\",totaal,totaal,trajecten,1\n"), "%s", out);
    free(out);
}

Test(tables, empty_extract_has_the_full_shape)
{
    const char in[] = "rinpersoon,project,aanvrager,start\n";
    char *out = run_csv(in, sizeof in - 1, NULL);
    size_t lines = 0;
    for (const char *p = out; *p; p++) lines += *p == '\n';
    /* no rows: no years (startjaar, eindjaar) and no projects */
    cr_expect_eq(lines, 1 + 138 + 6 * 23 * 9 + 270 + 66 + 13);
    cr_expect(strstr(out, "jaar") == NULL);
    expect_cell(out, "deelnemers,totaal,doelgroep,uwv_breed,n", "0");
    expect_cell(out, "overgangen,jenv,eind_12m,verbeterd>onbekend,n", "0");
    expect_cell(out, "indicatoren,amr,indicator,OI1,procent", "0.0");
    expect_cell(out, "indicatoren,amr,indicator,RI1,procent", "");
    free(out);
}

Test(tables, counts_beyond_32_bits_are_written_whole)
{
    /* 2^32+ rows simulated through the counters: every count is 64-bit. */
    esf_agg a;
    cr_assert_eq(esf_agg_init(&a), ESF_OK);
    esf_counts n = {0};
    n.gelezen = (1ull << 32) + 7;
    n.geaccepteerd = (1ull << 32) + 1;
    n.afgewezen = 6;
    n.per_reason[ESF_REJ_DATUM] = 6;
    esf_tables *t;
    cr_assert_eq(esf_tables_build(&a, 1, &n, NULL, 0, &t), ESF_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    esf_err err;
    esf_pub p;
    cr_assert_eq(esf_pub_init(&p, t, NULL, &err), ESF_OK);
    cr_assert_eq(esf_tables_write(&p, ESF_FORMAT_CSV, f, &err), ESF_OK);
    esf_pub_free(&p);
    fclose(f);
    expect_cell(buf, "invoer,invoer,rijen,gelezen,n", "4294967303");
    expect_cell(buf, "invoer,invoer,rijen,geaccepteerd,n", "4294967297");
    free(buf);
    esf_tables_free(t);
    esf_agg_free(&a);
}

/* One percentage for every table and figure (esf_tables_percent): one decimal,
 * halves away from zero, from the exact integers. */
typedef struct {
    unsigned long long num, den;
    const char *want;
} pct_case;

ParameterizedTestParameters(tables, percent)
{
    static pct_case cases[] = {
        {1, 16, "6.3"},  {1, 8, "12.5"},  {2, 3, "66.7"},   {1, 3, "33.3"},     {0, 0, ""},
        {5, 0, ""},      {1, 2000, "0.1"}, {1, 2001, "0.0"}, {3, 3, "100.0"},   {7, 2, "350.0"},
        {1, 1999, "0.1"}, {0, 7, "0.0"},
    };
    return cr_make_param_array(pct_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(pct_case *c, tables, percent)
{
    char buf[48];
    esf_tables_percent(c->num, c->den, buf, sizeof buf);
    cr_expect_str_eq(buf, c->want, "%llu/%llu", c->num, c->den);
}

/* The figure's label is the table's percentage: 1 of 16 is 6,3 in both
 * (a double printed with %.1f gave 6,2 on the bar). */
Test(tables, figure_and_table_give_one_percentage)
{
    size_t len;
    char *in = uwv_extract(16, 1, &len);
    char *html = run_fmt(in, len, NULL, ESF_FORMAT_HTML, NULL);
    cr_expect(strstr(html, "data-key=\"resultaten|uwv|totaal|totaal|werk_eind\" data-value=\"1\"><title>UWV: 1 van 16 (6,3%)") != NULL);
    cr_expect(strstr(html, "6,2%") == NULL);
    char *text = run_fmt(in, len, NULL, ESF_FORMAT_TEXT, NULL);
    cr_expect(strstr(text, "6,3") != NULL);
    free(html);
    free(text);
    free(in);
}

/* Years (SPEC §5): from the first to the last counted start, zeros
 * included, the same list for every group; eindjaar from the finished
 * trajectories only (a later unfinished start does not add a year). */
Test(tables, year_categories_span_the_counted_rows)
{
    const char in[] = "rinpersoon,project,aanvrager,start,eind\n"
                      "1,P,uwv,20140105,20150101\n"
                      "1,Q,jenv,20170101,\n"    /* later, not finished: 2017 start only */
                      "2,P,uwv,20160101,20180101\n";
    char *out = run_csv(in, sizeof in - 1, NULL);
    expect_cell(out, "deelnemers,uwv,startjaar,2014,n", "1");
    expect_cell(out, "deelnemers,uwv,startjaar,2015,n", "0");
    expect_cell(out, "deelnemers,uwv,startjaar,2016,n", "1");
    expect_cell(out, "deelnemers,uwv,startjaar,2017,n", "0");
    expect_cell(out, "deelnemers,jenv,startjaar,2017,n", "1");
    expect_cell(out, "deelnemers,totaal,startjaar,2017,n", "0"); /* person 1 started in 2014 */
    expect_cell(out, "deelnemers,gemeente,startjaar,2014,n", "0");
    expect_cell(out, "resultaten,uwv,eindjaar,2015,afgerond", "1");
    expect_cell(out, "resultaten,uwv,eindjaar,2018,afgerond", "1");
    expect_cell(out, "resultaten,totaal,eindjaar,2016,afgerond", "0");
    cr_expect(strstr(out, "startjaar,2013") == NULL && strstr(out, "startjaar,2018") == NULL);
    cr_expect(strstr(out, "eindjaar,2014") == NULL && strstr(out, "eindjaar,2019") == NULL);
    /* attributed: person 1's last(p,totaal) is P (2015), person 2's is P */
    expect_cell(out, "projecten,P,totaal,totaal,toegerekend", "2");
    expect_cell(out, "projecten,Q,totaal,totaal,toegerekend", "0");
    expect_cell(out, "resultaten,totaal,totaal,totaal,afgerond", "2");
    free(out);
}
