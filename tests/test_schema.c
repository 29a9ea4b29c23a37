/* The typed table schema (common/schema.h): every cell found by its key,
 * names that follow from the key, published values that agree with the
 * published text, and bounds for every count of resultaten and projecten. */
#include "generated.h"

#include <inttypes.h>

static esf_run *with_peildatum(void)
{
    esf_options o = {.peildatum = "20230101"};
    return generated_run(2000, 7, &o);
}

Test(schema, every_cell_is_found_by_its_key_and_named_by_it)
{
    esf_run *run = with_peildatum();
    const esf_tables *t = run->tables;
    size_t projects = 0;
    for (size_t i = 0; i < t->n; i++) {
        const esf_tcell *c = &t->cells[i];
        const esf_tcell *f = esf_tables_at(t, (esf_table)c->table, c->gid, (esf_dim)c->dim, c->ci,
                                           (esf_measure)c->measure);
        cr_assert_eq(f, c, "cell %zu (%s %s %s) found as %zd", i, esf_table_names[c->table], c->cat,
                     esf_measure_names[c->measure], f ? f - t->cells : -1);
        char name[48];
        esf_cat_name((esf_dim)c->dim, c->ci, name, sizeof name);
        cr_expect_str_eq(name, c->cat);
        if (c->table == TB_PROJECTEN) {
            cr_expect_lt(c->gid, t->nprojects);
            projects += c->measure == MS_DEELNEMERS;
        } else if (c->table != TB_INVOER) {
            cr_assert_lt(c->gid, G_COUNT);
            cr_expect(c->group_len == strlen(esf_group_names[c->gid]) &&
                      !memcmp(c->group, esf_group_names[c->gid], c->group_len));
        }
    }
    cr_expect_eq(projects, t->nprojects);
    cr_expect_gt(t->nprojects, 10);
    /* keys the tables do not have */
    cr_expect_null(esf_tables_at(t, TB_DEELNEMERS, G_TOTAAL, DIM_EINDJAAR, 100, MS_N));
    cr_expect_null(esf_tables_at(t, TB_PROJECTEN, t->nprojects, DIM_TOTAAL, 0, MS_DEELNEMERS));
    cr_expect_not_null(esf_tables_at(t, TB_RESULTATEN, G_AMR, DIM_TOTAAL, 0, MS_NIET_WAARNEEMBAAR_12M));
    esf_run_free(run);
}

/* Without a reference date niet_waarneembaar_12m is not a measure of the
 * tables at all. */
Test(schema, niet_waarneembaar_only_with_a_reference_date)
{
    esf_run *run = generated_run(300, 7, NULL);
    cr_expect_null(esf_tables_at(run->tables, TB_RESULTATEN, G_AMR, DIM_TOTAAL, 0, MS_NIET_WAARNEEMBAAR_12M));
    cr_expect_not_null(esf_tables_at(run->tables, TB_RESULTATEN, G_AMR, DIM_TOTAAL, 0, MS_ONDERWIJS_12M));
    esf_run_free(run);
}

/* The typed value of every cell is the number its text says, under
 * rounding and suppression: the writers and figures never read text back. */
Test(schema, published_values_agree_with_the_published_text)
{
    esf_run *run = with_peildatum();
    const esf_tables *t = run->tables;
    cr_assert_eq(esf_relations_build(run->tables), ESF_OK);
    const esf_disclosure settings[3] = {{0}, {.round = 5}, {.round = 5, .suppress_below = 10}};
    for (int s = 0; s < 3; s++) {
        esf_pub p;
        esf_err err = {0};
        cr_assert_eq(esf_pub_init(&p, t, &settings[s], &err), ESF_OK, "%s", err.msg);
        size_t kinds[4] = {0};
        for (size_t i = 0; i < t->n; i++) {
            const esf_tcell *c = &t->cells[i];
            char buf[64], want[64];
            const char *text = esf_pub_text(&p, c, buf, sizeof buf);
            const esf_pval v = esf_pub_value(&p, c);
            kinds[v.kind]++;
            switch (v.kind) {
            case PV_SUPPRESSED: cr_expect_str_eq(text, "x"); break;
            case PV_NONE: cr_expect_str_eq(text, ""); break;
            case PV_STRUCTURAL: cr_expect_str_eq(text, "0"); break;
            case PV_NUMBER:
                if (v.den == 1) snprintf(want, sizeof want, "%" PRIu64, v.num);
                else if (v.den == 10) snprintf(want, sizeof want, "%" PRIu64 ".%" PRIu64, v.num / 10, v.num % 10);
                else cr_expect_eq(strtod(text, NULL), esf_pval_double(v));
                if (v.den == 1 || v.den == 10)
                    cr_expect_str_eq(text, want, "cell %zu %s %s %s", i, esf_table_names[c->table], c->cat,
                                     esf_measure_names[c->measure]);
                break;
            }
        }
        cr_expect_gt(kinds[PV_NUMBER], 1000);
        cr_expect_gt(kinds[PV_STRUCTURAL], 0);
        if (settings[s].suppress_below) cr_expect_gt(kinds[PV_SUPPRESSED], 0);
        esf_pub_free(&p);
    }
    esf_run_free(run);
}

/* Every count of resultaten and projecten is bounded (SPEC §6 items 2, 5):
 * a new measure without its line in ESF_BOUNDS fails here. */
Test(schema, every_count_of_resultaten_and_projecten_has_a_bound)
{
    esf_run *run = with_peildatum();
    const esf_tables *t = run->tables;
    for (size_t i = 0; i < t->n; i++) {
        const esf_tcell *c = &t->cells[i];
        if ((c->table != TB_RESULTATEN && c->table != TB_PROJECTEN) || c->dim == DIM_AANVRAGER) continue;
        bool bounded = false;
        for (unsigned k = 0; k < esf_nbounds; k++)
            bounded |= (esf_bounds[k].table == c->table && esf_bounds[k].measure == c->measure) ||
                       (esf_bounds[k].bound_table == c->table && esf_bounds[k].bound == c->measure);
        cr_expect(bounded, "%s %s has no bound in ESF_BOUNDS", esf_table_names[c->table],
                  esf_measure_names[c->measure]);
    }
    esf_run_free(run);
}

/* The report's columns: every group once, in the report's order. */
Test(schema, report_columns_are_a_permutation)
{
    unsigned seen = 0;
    for (int g = 0; g < G_COUNT; g++) seen |= 1u << esf_group_column[g];
    cr_expect_eq(seen, (1u << G_COUNT) - 1);
    cr_expect_eq(esf_group_of[G_AMR], 1u << G_GEMEENTE | 1u << G_VSOPRO);
    cr_expect_eq(esf_group_of[G_TOTAAL], (1u << AANV_COUNT) - 1);
    cr_expect_str_eq(esf_col_names[COL_ONDERWIJS_12M], "onderwijs_12m");
    cr_expect_str_eq(esf_measure_names[esf_result_measure(R_ONDERWIJS_12M)], "onderwijs_12m");
}
