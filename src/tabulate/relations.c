/* relations.c - stage 5, second half: the relations between exact counts
 * that a reader of the tables may use (SPEC §6, items 1-9; 10 and 11 are not modelled), as data for
 * disclosure control (suppress.c). The one list: the writers know nothing of
 * it. Each relation is sum(coef * cell) = 0 or <= 0 over cells of the sorted
 * table; tests/test_relations.c checks that every one holds on the exact
 * counts, and tests/e2e/90-disclosure.sh that leaving out any item leaks. */
#include "tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the groups by G_ of tally.h, in the order of esf_group_names */

typedef struct {
    esf_tables *t;
    esf_status st;
    uint8_t family;
} rb;

static bool term(rb *b, uint32_t cell, int32_t coef)
{
    esf_tables *t = b->t;
    if (t->nterms == t->terms_cap) {
        void *p = t->terms;
        if (esf_grow(&p, &t->terms_cap, t->nterms + 1, sizeof *t->terms) != ESF_OK) {
            b->st = ESF_ERR_NOMEM;
            return false;
        }
        t->terms = p;
    }
    t->terms[t->nterms++] = (esf_term){cell, coef};
    return true;
}

/* Closes the relation whose terms start at first. */
static void rel(rb *b, size_t first, bool le)
{
    esf_tables *t = b->t;
    if (b->st != ESF_OK) return;
    if (t->nrels == t->rels_cap) {
        void *p = t->rels;
        if (esf_grow(&p, &t->rels_cap, t->nrels + 1, sizeof *t->rels) != ESF_OK) {
            b->st = ESF_ERR_NOMEM;
            return;
        }
        t->rels = p;
    }
    t->rels[t->nrels++] = (esf_rel){(uint32_t)first, (uint32_t)(t->nterms - first), le, b->family};
}

/* The index of cell (table, group, dim, ci, measure); a missing cell is a
 * bug of this file, reported as ESF_ERR_LIMIT rather than a relation left
 * out. */
static uint32_t cell(rb *b, esf_table table, uint32_t g, esf_dim dim, unsigned ci, esf_measure measure)
{
    const esf_tcell *c = esf_tables_at(b->t, table, g, dim, ci, measure);
    if (!c) {
        if (b->st == ESF_OK) b->st = ESF_ERR_LIMIT;
        return 0;
    }
    return (uint32_t)(c - b->t->cells);
}

/* a - b1 - b2 ... (le: <= 0), the b's given as cells. */
static void diff(rb *b, bool le, uint32_t a, const uint32_t *bs, int n)
{
    size_t first = b->t->nterms;
    term(b, a, 1);
    for (int i = 0; i < n; i++) term(b, bs[i], -1);
    rel(b, first, le);
}

static const esf_tcell *at(const rb *b, size_t i) { return &b->t->cells[i]; }

/* The end of the run of cells of one table, group and dimension from a. */
static size_t dim_end(const rb *b, size_t a)
{
    size_t e = a + 1;
    while (e < b->t->n && esf_tcell_same_dim(at(b, a), at(b, e))) e++;
    return e;
}

/* 1: the categories of a dimension that sums (DIM_SUMS) add up to totaal,
 * per measure. */
static void dimensions(rb *b)
{
    const esf_tables *t = b->t;
    for (size_t a = 0, e; a < t->n; a = e) {
        e = dim_end(b, a);
        const esf_tcell *c = at(b, a);
        if (!(esf_dim_flags[c->dim] & DIM_SUMS)) continue;
        /* the measures of the first category, each summed over the run */
        for (size_t m = a; m < e && at(b, m)->ci == c->ci; m++) {
            const uint8_t measure = at(b, m)->measure;
            uint32_t tot = cell(b, (esf_table)c->table, c->gid, DIM_TOTAAL, 0, (esf_measure)measure);
            size_t first = t->nterms;
            term(b, tot, -1);
            for (size_t i = a; i < e; i++)
                if (at(b, i)->measure == measure) term(b, (uint32_t)i, 1);
            rel(b, first, false);
        }
    }
}

/* The bounds of ESF_BOUNDS for the cells [a, e) of one table, group,
 * dimension and category, in the schema's order.  A measure the run does
 * not have (niet_waarneembaar_12m without a reference date) has none; a
 * bound in another table holds where that table has the category and the
 * dimension is not DIM_BY_LAST. */
static void bounds(rb *b, size_t a, size_t e)
{
    const esf_tcell *c = at(b, a);
    for (unsigned k = 0; k < esf_nbounds; k++) {
        const esf_bound *bd = &esf_bounds[k];
        if (bd->table != c->table) continue;
        const esf_tcell *lhs = NULL, *rhs = NULL;
        for (size_t i = a; i < e; i++) {
            if (at(b, i)->measure == bd->measure) lhs = at(b, i);
            if (bd->bound_table == c->table && at(b, i)->measure == bd->bound) rhs = at(b, i);
        }
        if (!lhs) continue;
        if (bd->bound_table != c->table) {
            if (esf_dim_flags[c->dim] & DIM_BY_LAST) continue;
            rhs = esf_tables_at(b->t, (esf_table)bd->bound_table, c->gid, (esf_dim)c->dim, c->ci,
                                (esf_measure)bd->bound);
            if (!rhs) continue;
        } else if (!rhs) {
            if (b->st == ESF_OK) b->st = ESF_ERR_LIMIT;
            return;
        }
        uint32_t r = (uint32_t)(rhs - b->t->cells);
        diff(b, true, (uint32_t)(lhs - b->t->cells), &r, 1);
    }
}

/* 2: within one cell (the bounds of the schema), but those of projecten,
 * which are item 5. */
static void within_cell(rb *b)
{
    const esf_tables *t = b->t;
    for (size_t a = 0, e; a < t->n; a = e) {
        for (e = a + 1; e < t->n && esf_tcell_same_dim(at(b, a), at(b, e)) && at(b, e)->ci == at(b, a)->ci; e++) {}
        if (at(b, a)->table != TB_PROJECTEN) bounds(b, a, e);
    }
}

static uint32_t res(rb *b, int g, esf_measure m)
{
    return cell(b, TB_RESULTATEN, (uint32_t)g, DIM_TOTAAL, 0, m);
}

/* The transition FROM>TO of dimension dim (start_eind: FROM a position). */
static uint32_t trans(rb *b, int g, esf_dim dim, int from, int to)
{
    return cell(b, TB_OVERGANGEN, (uint32_t)g, dim, esf_trans_cat(from, to), MS_N);
}

/* sum of dim's FROM>to over every FROM (to < 0: every TO too) - the cell
 * minus = 0. */
static void trans_sum(rb *b, int g, esf_dim dim, int to, uint32_t minus)
{
    const int nfrom = dim == DIM_START_EIND ? POS_COUNT : S_COUNT;
    size_t first = b->t->nterms;
    for (int f = 0; f < nfrom; f++)
        for (int s = 0; s < S_COUNT; s++)
            if (to < 0 || s == to) term(b, trans(b, g, dim, f, s), 1);
    term(b, minus, -1);
    rel(b, first, false);
}

/* 3: overgangen against afgerond and the results of the same group. */
static void transitions(rb *b)
{
    for (int g = 0; g < G_COUNT; g++) {
        uint32_t afg = res(b, g, MS_AFGEROND);
        trans_sum(b, g, DIM_START_EIND, -1, afg);
        trans_sum(b, g, DIM_EIND_12M, -1, afg);
        for (int s = 0; s < S_COUNT; s++) { /* into S at the end = out of S after 12 months */
            size_t first = b->t->nterms;
            for (int f = 0; f < POS_COUNT; f++) term(b, trans(b, g, DIM_START_EIND, f, s), 1);
            for (int u = 0; u < S_COUNT; u++) term(b, trans(b, g, DIM_EIND_12M, s, u), -1);
            rel(b, first, false);
        }
        trans_sum(b, g, DIM_START_EIND, S_ONBEKEND, res(b, g, MS_ONBEKEND_EIND));
        uint32_t r = res(b, g, MS_VERBETERD_EIND);
        diff(b, false, trans(b, g, DIM_START_EIND, POS_WERKZAAM, S_VERBETERD), &r, 1);
        size_t first = b->t->nterms;
        term(b, trans(b, g, DIM_START_EIND, POS_NIET_WERKZAAM, S_WERKZAAM), 1);
        term(b, trans(b, g, DIM_START_EIND, POS_INACTIEF, S_WERKZAAM), 1);
        term(b, res(b, g, MS_WERK_EIND), -1);
        rel(b, first, false);
        trans_sum(b, g, DIM_EIND_12M, S_VERBETERD, res(b, g, MS_VERBETERD_12M));
        trans_sum(b, g, DIM_EIND_12M, S_ONBEKEND, res(b, g, MS_ONBEKEND_12M));
    }
}

/* 4: each indicator against the counts it is made of. */
static void indicators(rb *b)
{
    for (int i = 0; i < N_INDICATORS; i++) {
        const esf_indicator *ind = &esf_indicators[i];
        const int g = ind->group;
        const uint32_t gi = (uint32_t)g;
        if (ind->kind == IND_OI) {
            uint32_t w = cell(b, TB_INDICATOREN, gi, DIM_INDICATOR, (unsigned)i, MS_WAARDE);
            uint32_t of[2] = {cell(b, TB_DEELNEMERS, ind->num == NUM_SOM ? G_GEMEENTE : gi, DIM_TOTAAL, 0, MS_N),
                              cell(b, TB_DEELNEMERS, G_VSOPRO, DIM_TOTAAL, 0, MS_N)};
            diff(b, false, w, of, ind->num == NUM_SOM ? 2 : 1);
            continue;
        }
        uint32_t tel = cell(b, TB_INDICATOREN, gi, DIM_INDICATOR, (unsigned)i, MS_TELLER);
        uint32_t noe = cell(b, TB_INDICATOREN, gi, DIM_INDICATOR, (unsigned)i, MS_NOEMER);
        diff(b, true, tel, &noe, 1);
        /* with a reference date, RI2 and RI4 leave out who is niet_waarneembaar_12m
         * (nw): teller between results - nw and results, noemer afgerond - nw; _bekend's
         * noemer between afgerond - onbekend_12m - nw and afgerond - onbekend_12m */
        const bool pd = b->t->peildatum && ind->num == NUM_12M;
        const uint32_t nw = pd ? res(b, g, MS_NIET_WAARNEEMBAAR_12M) : 0;
        if (ind->num == NUM_EIND || ind->num == NUM_12M) {
            const bool eind = ind->num == NUM_EIND;
            uint32_t of[3] = {res(b, g, eind ? MS_WERK_EIND : MS_WERK_12M),
                              res(b, g, eind ? MS_VERBETERD_EIND : MS_VERBETERD_12M), nw};
            diff(b, pd, tel, of, 2);
            if (pd) { /* results - nw <= teller */
                const size_t first = b->t->nterms;
                term(b, of[0], 1), term(b, of[1], 1), term(b, nw, -1), term(b, tel, -1);
                rel(b, first, true);
            }
        }
        if (ind->den == DEN_AFGEROND || ind->den == DEN_AFGEROND_12M) {
            const bool bekend = ind->den == DEN_AFGEROND_12M;
            for (int side = 0; side < (pd && bekend ? 2 : 1); side++) {
                size_t first = b->t->nterms; /* noemer - afgerond (+ onbekend_12m) (+ nw) = or <= 0 */
                term(b, noe, side ? -1 : 1);
                term(b, res(b, g, MS_AFGEROND), side ? 1 : -1);
                if (bekend) term(b, res(b, g, MS_ONBEKEND_12M), side ? -1 : 1);
                if (pd && (!bekend || side)) term(b, nw, side ? -1 : 1);
                rel(b, first, pd && bekend);
            }
        }
    }
}

/* 5: within each project (the bounds of the schema), and the attributed
 * results over all projects; 7: trajecten of a project by applicant add up
 * to its trajecten.  (Over all projects they add up to invoer geaccepteerd,
 * which is published as it is: not a relation yet, since a published
 * constant breaks the engine's premise that every relation is homogeneous;
 * issue 38.) */
static void projects(rb *b)
{
    static const esf_measure attributed[] = {MS_TOEGEREKEND, MS_WERK_EIND, MS_WERK_12M, MS_VERBETERD_EIND,
                                             MS_VERBETERD_12M};
    const esf_tables *t = b->t;
    size_t a = 0;
    while (a < t->n && at(b, a)->table != TB_PROJECTEN) a++;
    size_t first_proj = a, end = a;
    while (end < t->n && at(b, end)->table == TB_PROJECTEN) end++;
    if (first_proj == end) return;
    uint32_t aanv[AANV_COUNT] = {0}, naanv = 0; /* the project's trajecten by applicant, just before its totaal row */
    for (size_t e; a < end; a = e) {
        e = dim_end(b, a);
        if (at(b, a)->dim == DIM_AANVRAGER) { /* sorted: aanvrager before totaal */
            for (size_t i = a; i < e && naanv < AANV_COUNT; i++) aanv[naanv++] = (uint32_t)i;
            continue;
        }
        if (naanv != AANV_COUNT) {
            b->st = ESF_ERR_LIMIT;
            return;
        }
        bounds(b, a, e);
        diff(b, false, cell(b, TB_PROJECTEN, at(b, a)->gid, DIM_TOTAAL, 0, MS_TRAJECTEN), aanv, AANV_COUNT);
        naanv = 0;
    }
    for (size_t k = 0; k < sizeof attributed / sizeof *attributed; k++) {
        size_t first = t->nterms;
        for (size_t i = first_proj; i < end; i++)
            if (at(b, i)->measure == attributed[k]) term(b, (uint32_t)i, 1);
        term(b, res(b, G_TOTAAL, k ? attributed[k] : MS_AFGEROND), -1);
        rel(b, first, false);
    }
}

/* A derived group (amr, totaal) <= the groups it is made of: its
 * applicants, and (totaal) amr with the applicants not in amr; for the
 * cell c of group amr and its namesakes in the others. */
static void groups_sum(rb *b, const esf_tcell *c)
{
    const esf_table tb = (esf_table)c->table;
    const esf_dim dim = (esf_dim)c->dim;
    const esf_measure ms = (esf_measure)c->measure;
    for (int d = G_AMR; d <= G_TOTAAL; d++)
        for (int part = -1; part < d; part++) { /* part: a derived group inside d, or -1: none */
            const bool whole = part < 0;
            if (!whole && part < G_AMR) continue;
            if (!whole && (esf_group_of[part] & ~esf_group_of[d])) continue;
            uint32_t of[AANV_COUNT + 1];
            int n = 0;
            if (!whole) of[n++] = cell(b, tb, (uint32_t)part, dim, c->ci, ms);
            for (int k = 0; k < AANV_COUNT; k++)
                if (esf_group_of[d] & 1u << k && (whole || !(esf_group_of[part] & 1u << k)))
                    of[n++] = cell(b, tb, (uint32_t)k, dim, c->ci, ms);
            diff(b, true, cell(b, tb, (uint32_t)d, dim, c->ci, ms), of, n);
        }
}

/* 6: across the groups: the derived groups against the groups they are
 * made of, for the cells of the tables' ESF_TABLES across; the growing counts of each group against the
 * groups made of it (ESF_GROWING), in totaal and DIM_UNION. */
static void across_groups(rb *b)
{
    const esf_tables *t = b->t;
    for (size_t i = 0; i < t->n; i++) {
        const esf_tcell *c = at(b, i);
        const uint8_t across = esf_table_across[c->table];
        if (across == ACROSS_NONE || c->gid != G_AMR) continue;
        const bool uni = esf_dim_flags[c->dim] & DIM_UNION;
        if (across == ACROSS_ALL || c->dim == DIM_TOTAAL || (esf_dim_flags[c->dim] & DIM_BY_LAST))
            groups_sum(b, c);
        if ((c->dim != DIM_TOTAAL && !uni) || !esf_growing(c->table, c->measure)) continue;
        for (int d = G_AMR; d <= G_TOTAAL; d++) {
            uint32_t of = cell(b, (esf_table)c->table, (uint32_t)d, (esf_dim)c->dim, c->ci, (esf_measure)c->measure);
            for (int k = 0; k < d; k++)
                if (d == G_TOTAAL || esf_group_of[d] & 1u << k)
                    diff(b, true, cell(b, (esf_table)c->table, (uint32_t)k, (esf_dim)c->dim, c->ci, (esf_measure)c->measure),
                         &of, 1);
        }
    }
}

/* 7: over all projects trajecten adds up to invoer geaccepteerd (published
 * as it is: a constant to the attacker); deelnemers of totaal is at most
 * the projects' deelnemers, and each project's at most it. */
static void rows_and_projects(rb *b)
{
    const uint32_t np = b->t->nprojects;
    if (!np) return;
    size_t first = b->t->nterms;
    for (uint32_t p = 0; p < np; p++) term(b, cell(b, TB_PROJECTEN, p, DIM_TOTAAL, 0, MS_TRAJECTEN), 1);
    term(b, cell(b, TB_INVOER, 0, DIM_RIJEN, ROW_GEACCEPTEERD, MS_N), -1);
    rel(b, first, false);
    const uint32_t all = cell(b, TB_DEELNEMERS, G_TOTAAL, DIM_TOTAAL, 0, MS_N);
    first = b->t->nterms;
    term(b, all, 1);
    for (uint32_t p = 0; p < np; p++) term(b, cell(b, TB_PROJECTEN, p, DIM_TOTAAL, 0, MS_DEELNEMERS), -1);
    rel(b, first, true);
    for (uint32_t p = 0; p < np; p++) diff(b, true, cell(b, TB_PROJECTEN, p, DIM_TOTAAL, 0, MS_DEELNEMERS), &all, 1);
}

/* 8: a DIM_UNION category is at most the totaal cell of its group; RI5
 * and RI6 against their populations' target groups in jenv: noemer
 * between the larger and the sum of their afgerond, teller at least each
 * one's onderwijs_eind and werk_eind + verbeterd_eind; _cbs2018's noemer
 * is theirs, its teller at most theirs. */
static void target_groups(rb *b)
{
    const esf_tables *t = b->t;
    for (size_t i = 0; i < t->n; i++) {
        const esf_tcell *c = at(b, i);
        if (!(esf_dim_flags[c->dim] & DIM_UNION)) continue;
        uint32_t tot = cell(b, (esf_table)c->table, c->gid, DIM_TOTAAL, 0, (esf_measure)c->measure);
        diff(b, true, (uint32_t)i, &tot, 1);
    }
    int main_of[J_COUNT] = {-1, -1}; /* RI5, RI6: before their _cbs2018 in esf_indicators */
    for (int i = 0; i < N_INDICATORS; i++) {
        const esf_indicator *ind = &esf_indicators[i];
        if (ind->den != DEN_DETENTIE && ind->den != DEN_JEUGD) continue;
        const int j = ind->den == DEN_DETENTIE ? J_RI5 : J_RI6;
        const uint32_t g = (uint32_t)ind->group;
        const uint32_t noe = cell(b, TB_INDICATOREN, g, DIM_INDICATOR, (unsigned)i, MS_NOEMER);
        const uint32_t tel = cell(b, TB_INDICATOREN, g, DIM_INDICATOR, (unsigned)i, MS_TELLER);
        if (ind->num == NUM_JENV_2018 && main_of[j] >= 0) {
            uint32_t m = cell(b, TB_INDICATOREN, g, DIM_INDICATOR, (unsigned)main_of[j], MS_NOEMER);
            diff(b, false, noe, &m, 1);
            m = cell(b, TB_INDICATOREN, g, DIM_INDICATOR, (unsigned)main_of[j], MS_TELLER);
            diff(b, true, tel, &m, 1);
            continue;
        }
        main_of[j] = i;
        uint32_t afg[2];
        for (int k = 0; k < 2; k++) {
            const unsigned dg = esf_jenv_dg[j][k];
            afg[k] = cell(b, TB_RESULTATEN, g, DIM_DOELGROEP, dg, MS_AFGEROND);
            diff(b, true, afg[k], &noe, 1);
            diff(b, true, cell(b, TB_RESULTATEN, g, DIM_DOELGROEP, dg, MS_ONDERWIJS_EIND), &tel, 1);
            const size_t first = b->t->nterms;
            term(b, cell(b, TB_RESULTATEN, g, DIM_DOELGROEP, dg, MS_WERK_EIND), 1);
            term(b, cell(b, TB_RESULTATEN, g, DIM_DOELGROEP, dg, MS_VERBETERD_EIND), 1);
            term(b, tel, -1);
            rel(b, first, true);
        }
        diff(b, true, noe, afg, 2);
    }
}

/* 9: in every group, who finished by the end of a year started by then:
 * the afgerond of the eindjaar up to Y at most the deelnemers of the
 * startjaar up to Y. */
static void years(rb *b)
{
    const esf_tables *t = b->t;
    for (int g = 0; g < G_COUNT; g++) {
        /* the group's year cells by year (UINT32_MAX: none) */
        uint32_t fin[N_YEARS], began[N_YEARS];
        for (unsigned y = 0; y < N_YEARS; y++) {
            const esf_tcell *e = esf_tables_at(t, TB_RESULTATEN, (uint32_t)g, DIM_EINDJAAR, y, MS_AFGEROND);
            const esf_tcell *s = esf_tables_at(t, TB_DEELNEMERS, (uint32_t)g, DIM_STARTJAAR, y, MS_N);
            fin[y] = e ? (uint32_t)(e - t->cells) : UINT32_MAX;
            began[y] = s ? (uint32_t)(s - t->cells) : UINT32_MAX;
        }
        for (unsigned y = 0; y < N_YEARS; y++) {
            if (fin[y] == UINT32_MAX) continue;
            const size_t first = t->nterms;
            for (unsigned e = 0; e <= y; e++)
                if (fin[e] != UINT32_MAX) term(b, fin[e], 1);
            for (unsigned s = 0; s <= y; s++)
                if (began[s] != UINT32_MAX) term(b, began[s], -1);
            rel(b, first, true);
        }
    }
}

esf_status esf_relations_build(esf_tables *t)
{
    if (t->nrels) return ESF_OK; /* built before: there are always some */
    rb b = {.t = t, .st = ESF_OK};
    b.family = REL_DIMENSION, dimensions(&b);
    b.family = REL_CELL, within_cell(&b);
    b.family = REL_TRANSITION, transitions(&b);
    b.family = REL_INDICATOR, indicators(&b);
    b.family = REL_PROJECT, projects(&b);
    b.family = REL_GROUPS, across_groups(&b);
    b.family = REL_ROWS, rows_and_projects(&b);
    b.family = REL_TARGET, target_groups(&b);
    b.family = REL_YEARS, years(&b);
    return b.st;
}
