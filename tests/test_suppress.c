/* Stage 5b and 6a: the relations of SPEC §6 (relations.c) and the
 * suppression engine (suppress.c), on a generated extract with many small
 * cells.  The interval audit itself, independent of this code, is
 * tests/ref/audit.py (tests/e2e/90-disclosure.sh). */
#include "helpers.h"
#include "generated.h"

/* The tables and their relations of esfgen --persons N --seed S. */
static esf_run *generated(int persons, int seed)
{
    esf_run *run = generated_run(persons, seed, NULL);
    cr_assert_eq(esf_relations_build(run->tables), ESF_OK);
    return run;
}

static const char *name(const esf_tcell *c, char *buf, size_t len)
{
    snprintf(buf, len, "%s,%.*s,%s,%s,%s", esf_table_names[c->table], (int)c->group_len, c->group,
             esf_dim_names[c->dim], c->cat, esf_measure_names[c->measure]);
    return buf;
}

Test(relations, every_one_holds_on_the_exact_counts_and_every_item_has_some)
{
    esf_run *run = generated(2000, 11);
    const esf_tables *t = run->tables;
    size_t per_item[REL_FAMILIES + 1] = {0};
    for (size_t r = 0; r < t->nrels; r++) {
        const esf_rel *rel = &t->rels[r];
        long long sum = 0;
        for (uint32_t k = 0; k < rel->n; k++) {
            const esf_term *tm = &t->terms[rel->first + k];
            /* counts only: protected ones, structural zeros and (item 7,
             * published as it is) invoer geaccepteerd */
            const esf_tcell *c = &t->cells[tm->cell];
            cr_assert(esf_cell_protected(c) || c->kind == CELL_STRUCTURAL ||
                      (c->table == TB_INVOER && c->ci == ROW_GEACCEPTEERD));
            sum += tm->coef * (long long)t->cells[tm->cell].value;
        }
        char buf[200];
        cr_expect(rel->le ? sum <= 0 : sum == 0, "item %d relation %zu (first cell %s): sum %lld",
                  rel->family, r, name(&t->cells[t->terms[rel->first].cell], buf, sizeof buf), sum);
        per_item[rel->family]++;
    }
    for (int k = 1; k <= REL_FAMILIES; k++) cr_expect_gt(per_item[k], 0, "item %d", k);
    esf_run_free(run);
}

Test(suppress, primary_below_n_secondary_at_least_n_zeros_and_structural_published)
{
    esf_run *run = generated(2000, 11);
    const esf_tables *t = run->tables;
    uint8_t *reason = malloc(t->n);
    esf_err err = {0};
    const uint32_t n = 10;
    cr_assert_eq(esf_suppress(t, n, 0, reason, NULL, &err), ESF_OK, "%s", err.msg);
    size_t count[SUP_REASONS] = {0};
    for (size_t i = 0; i < t->n; i++) {
        const esf_tcell *c = &t->cells[i];
        char buf[200];
        count[reason[i]]++;
        if (esf_cell_protected(c) && c->value > 0 && c->value < n)
            cr_expect_eq(reason[i], SUP_PRIMARY, "%s", name(c, buf, sizeof buf));
        if (reason[i] == SUP_SECONDARY)
            cr_expect(esf_cell_protected(c) && c->value >= n, "%s = %llu", name(c, buf, sizeof buf),
                      (unsigned long long)c->value);
        if (c->kind == CELL_STRUCTURAL || c->kind == CELL_COUNT || c->kind == CELL_TEXT ||
            (esf_cell_protected(c) && c->value == 0))
            cr_expect_eq(reason[i], SUP_NONE, "%s", name(c, buf, sizeof buf));
        if (reason[i] == SUP_DERIVED) cr_expect_eq(c->kind, CELL_DERIVED);
    }
    cr_expect_gt(count[SUP_PRIMARY], 50, "an extract with many small cells");
    cr_expect_gt(count[SUP_SECONDARY], 0);
    /* trajecten is protected with deelnemers (SPEC §6) */
    bool traj = false;
    for (size_t i = 0; i < t->n; i++)
        traj |= t->cells[i].measure == MS_TRAJECTEN && esf_cell_protected(&t->cells[i]);
    cr_expect(traj);
    free(reason);
    esf_run_free(run);
}

/* Many small projects (600 of about 10 persons): nearly every project cell
 * is primary.  Most audits are settled together, by LP points that show
 * many cells at n, at 1 or spanning n values, not by two or more LPs each:
 * well under two solves per primary cell, complements included. */
Test(suppress, many_small_projects_audited_together)
{
    char *csv = NULL;
    size_t len = 0;
    FILE *in = open_memstream(&csv, &len);
    cr_assert(in);
    fputs("rinpersoon,project,aanvrager,start,eind,positie_start,positie_eind,geslacht\n", in);
    static const char *const aanv[] = {"gemeente", "vsopro", "uwv", "jenv"}, *const pos[] = {"werkzaam", "inactief"};
    for (unsigned i = 0; i < 6000; i++) {
        const unsigned h = i * 2654435761u;
        fprintf(in, "%u,P%03u,%s,2016%02u01,2017%02u01,%s,%s,%c\n", 100000000 + i, h % 600,
                aanv[(h >> 10) % 4], 1 + (h >> 12) % 12, 1 + (h >> 16) % 12, pos[(h >> 20) & 1],
                pos[(h >> 21) & 1], "mv"[(h >> 22) & 1]);
    }
    cr_assert_eq(fclose(in), 0);
    esf_options o = {0};
    esf_run *run;
    cr_assert_eq(esf_run_new(&o, &run), ESF_OK);
    cr_assert_eq(esf_run_add_memory(run, "many.csv", csv, len), ESF_OK, "%s", esf_run_error(run));
    cr_assert_eq(esf_run_finish(run), ESF_OK, "%s", esf_run_error(run));
    cr_assert_eq(esf_relations_build(run->tables), ESF_OK);
    const esf_tables *t = run->tables;
    uint8_t *reason = malloc(t->n);
    esf_err err = {0};
    size_t solves = 0, primary = 0;
    cr_assert_eq(esf_suppress(t, 10, 0, reason, &solves, &err), ESF_OK, "%s", err.msg);
    for (size_t i = 0; i < t->n; i++) primary += reason[i] == SUP_PRIMARY;
    cr_expect_gt(primary, 1000, "%zu primary cells", primary);
    /* one by one, an audit is two LPs (max, min) at least, more with the
     * span test of SPEC §6 and the complements it needs */
    cr_expect_lt(solves, primary * 3 / 2, "%zu LPs solved for %zu primary cells", solves, primary);
    free(reason);
    esf_run_free(run);
    free(csv);
}

Test(suppress, the_same_cells_in_every_format_and_once_per_setting)
{
    esf_run *run = generated(1500, 4);
    esf_disclosure dc = {.suppress_below = 5};
    esf_suppressed a, b;
    cr_assert_eq(esf_run_suppressed(run, &dc, &a), ESF_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_eq(esf_run_write(run, ESF_FORMAT_SUPPRESSION_LOG, &dc, f), ESF_OK);
    fclose(f);
    size_t lines[SUP_REASONS] = {0};
    for (char *p = strchr(buf, '\n'); p && p[1]; p = strchr(p + 1, '\n')) {
        char *e = strchr(p + 1, '\n');
        for (int r = 1; r < SUP_REASONS; r++) {
            size_t l = strlen(esf_sup_reason_names[r]);
            if (e && (size_t)(e - p) > l && !strncmp(e - l, esf_sup_reason_names[r], l) && e[-(long)l - 1] == ',')
                lines[r]++;
        }
    }
    cr_expect_eq(lines[SUP_PRIMARY], a.primary);
    cr_expect_eq(lines[SUP_SECONDARY], a.secondary);
    cr_expect_eq(lines[SUP_DERIVED], a.derived);
    dc.round = 10; /* another setting: decided again, on the exact counts */
    cr_assert_eq(esf_run_suppressed(run, &dc, &b), ESF_OK);
    cr_expect(a.primary == b.primary && a.secondary == b.secondary && a.derived == b.derived);
    free(buf);
    esf_run_free(run);
}
