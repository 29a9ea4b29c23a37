/* relations.c - stage 5, second half: the relations between exact counts
 * that a reader of the tables may use (SPEC §6, items 1-6), as data for
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

/* The index of a cell of a named group; a missing cell is a bug of this
 * file, reported as ESF_ERR_LIMIT rather than a relation left out. */
static uint32_t cell(rb *b, const char *table, const char *group, const char *dim, const char *cat,
                     const char *measure)
{
    const esf_tcell *c = esf_tables_find(b->t, table, group, dim, cat, measure);
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

/* 1: in deelnemers and resultaten, the categories of leeftijd, geslacht,
 * positie_start and the year dimension add up to totaal, per measure. */
static void dimensions(rb *b)
{
    static const char *const dims[] = {"leeftijd", "geslacht", "positie_start", "startjaar", "eindjaar"};
    const esf_tables *t = b->t;
    for (size_t a = 0, e; a < t->n; a = e) {
        for (e = a + 1; e < t->n && esf_tcell_same_dim(at(b, a), at(b, e)); e++) {}
        const esf_tcell *c = at(b, a);
        if (strcmp(c->table, "deelnemers") && strcmp(c->table, "resultaten")) continue;
        bool summed = false;
        for (size_t d = 0; d < sizeof dims / sizeof *dims; d++) summed |= !strcmp(c->dim, dims[d]);
        if (!summed) continue;
        /* the measures of the first category, each summed over the run */
        for (size_t m = a; m < e && !strcmp(at(b, m)->cat, c->cat); m++) {
            const char *measure = at(b, m)->measure;
            uint32_t tot = cell(b, c->table, c->group, "totaal", "totaal", measure);
            size_t first = t->nterms;
            term(b, tot, -1);
            for (size_t i = a; i < e; i++)
                if (!strcmp(at(b, i)->measure, measure)) term(b, (uint32_t)i, 1);
            rel(b, first, false);
        }
    }
}

/* 2: every result <= afgerond <= deelnemers of the same cell (but
 * positie_start's afgerond, of L's position, and deelnemers, of first's). */
static void within_cell(rb *b)
{
    const esf_tables *t = b->t;
    for (size_t i = 0; i < t->n; i++) {
        const esf_tcell *c = at(b, i);
        if (strcmp(c->table, "resultaten") || strcmp(c->measure, "afgerond")) continue;
        for (int r = 1; r < ESF_N_RESULTS; r++) {
            uint32_t a = (uint32_t)i;
            diff(b, true, cell(b, "resultaten", c->group, c->dim, c->cat, esf_res_names[r]), &a, 1);
        }
        if (t->peildatum) { /* niet_waarneembaar_12m <= afgerond */
            uint32_t a = (uint32_t)i;
            diff(b, true, cell(b, "resultaten", c->group, c->dim, c->cat, "niet_waarneembaar_12m"), &a, 1);
        }
        /* afgerond <= deelnemers of the same cell, but for positie_start:
         * there results go by L's position, deelnemers by first's (SPEC §5) */
        const esf_tcell *d = strcmp(c->dim, "positie_start")
                                 ? esf_tables_find(t, "deelnemers", c->group, c->dim, c->cat, "n")
                                 : NULL;
        if (d) {
            uint32_t di = (uint32_t)(d - t->cells);
            diff(b, true, (uint32_t)i, &di, 1);
        }
    }
}

static uint32_t res(rb *b, const char *g, const char *m)
{
    return cell(b, "resultaten", g, "totaal", "totaal", m);
}

/* The transition FROM>TO of dimension dim (start_eind: FROM a position). */
static uint32_t trans(rb *b, const char *g, const char *dim, const char *from, const char *to)
{
    char cat[48];
    snprintf(cat, sizeof cat, "%s>%s", from, to);
    return cell(b, "overgangen", g, dim, cat, "n");
}

/* sum of dim's FROM>to over every FROM (to NULL: every TO too) - the cell
 * minus = 0. */
static void trans_sum(rb *b, const char *g, const char *dim, const char *to, uint32_t minus)
{
    const bool se = !strcmp(dim, "start_eind");
    const char *const *froms = se ? esf_pos_names : esf_state_names;
    const int nfrom = se ? POS_COUNT : ESF_N_STATES;
    size_t first = b->t->nterms;
    for (int f = 0; f < nfrom; f++)
        for (int s = 0; s < ESF_N_STATES; s++) {
            if (to && strcmp(esf_state_names[s], to)) continue;
            term(b, trans(b, g, dim, froms[f], esf_state_names[s]), 1);
        }
    term(b, minus, -1);
    rel(b, first, false);
}

/* 3: overgangen against afgerond and the results of the same group. */
static void transitions(rb *b)
{
    for (int gi = 0; gi < ESF_N_GROUPS; gi++) {
        const char *g = esf_group_names[gi];
        uint32_t afg = res(b, g, "afgerond");
        trans_sum(b, g, "start_eind", NULL, afg);
        trans_sum(b, g, "eind_12m", NULL, afg);
        for (int s = 0; s < ESF_N_STATES; s++) { /* into S at the end = out of S after 12 months */
            size_t first = b->t->nterms;
            for (int f = 0; f < POS_COUNT; f++)
                term(b, trans(b, g, "start_eind", esf_pos_names[f], esf_state_names[s]), 1);
            for (int u = 0; u < ESF_N_STATES; u++)
                term(b, trans(b, g, "eind_12m", esf_state_names[s], esf_state_names[u]), -1);
            rel(b, first, false);
        }
        trans_sum(b, g, "start_eind", "onbekend", res(b, g, "onbekend_eind"));
        uint32_t r = res(b, g, "verbeterd_eind");
        diff(b, false, trans(b, g, "start_eind", "werkzaam", "verbeterd"), &r, 1);
        size_t first = b->t->nterms;
        term(b, trans(b, g, "start_eind", "niet_werkzaam", "werkzaam"), 1);
        term(b, trans(b, g, "start_eind", "inactief", "werkzaam"), 1);
        term(b, res(b, g, "werk_eind"), -1);
        rel(b, first, false);
        trans_sum(b, g, "eind_12m", "verbeterd", res(b, g, "verbeterd_12m"));
        trans_sum(b, g, "eind_12m", "onbekend", res(b, g, "onbekend_12m"));
    }
}

/* 4: each indicator against the counts it is made of. */
static void indicators(rb *b)
{
    for (int i = 0; i < N_INDICATORS; i++) {
        const esf_indicator *ind = &esf_indicators[i];
        const char *g = esf_group_names[ind->group];
        if (ind->kind == IND_OI) {
            uint32_t w = cell(b, "indicatoren", g, "indicator", ind->name, "waarde");
            uint32_t of[2] = {cell(b, "deelnemers", ind->num == NUM_SOM ? "gemeente" : g, "totaal", "totaal", "n"),
                              cell(b, "deelnemers", "vsopro", "totaal", "totaal", "n")};
            diff(b, false, w, of, ind->num == NUM_SOM ? 2 : 1);
            continue;
        }
        uint32_t tel = cell(b, "indicatoren", g, "indicator", ind->name, "teller");
        uint32_t noe = cell(b, "indicatoren", g, "indicator", ind->name, "noemer");
        diff(b, true, tel, &noe, 1);
        /* with a reference date, RI2 and RI4 leave out who is niet_waarneembaar_12m
         * (nw): teller between results - nw and results, noemer afgerond - nw; _bekend's
         * noemer between afgerond - onbekend_12m - nw and afgerond - onbekend_12m */
        const bool pd = b->t->peildatum && ind->num == NUM_12M;
        const uint32_t nw = pd ? res(b, g, "niet_waarneembaar_12m") : 0;
        if (ind->num == NUM_EIND || ind->num == NUM_12M) {
            const bool eind = ind->num == NUM_EIND;
            uint32_t of[3] = {res(b, g, eind ? "werk_eind" : "werk_12m"),
                              res(b, g, eind ? "verbeterd_eind" : "verbeterd_12m"), nw};
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
                term(b, res(b, g, "afgerond"), side ? 1 : -1);
                if (bekend) term(b, res(b, g, "onbekend_12m"), side ? -1 : 1);
                if (pd && (!bekend || side)) term(b, nw, side ? -1 : 1);
                rel(b, first, pd && bekend);
            }
        }
    }
}

/* 5: within each project, and the attributed results over all projects;
 * 7: trajecten of a project by applicant add up to its trajecten.  (Over
 * all projects they add up to invoer geaccepteerd, which is published as
 * it is: not a relation yet, since a published constant breaks the
 * engine's premise that every relation is homogeneous; issue 38.) */
static void projects(rb *b)
{
    static const char *const attributed[] = {"werk_eind", "werk_12m", "verbeterd_eind", "verbeterd_12m"};
    const esf_tables *t = b->t;
    size_t a = 0;
    while (a < t->n && strcmp(at(b, a)->table, "projecten")) a++;
    size_t first_proj = a, end = a;
    while (end < t->n && !strcmp(at(b, end)->table, "projecten")) end++;
    if (first_proj == end) return;
    uint32_t aanv[AANV_COUNT] = {0}, naanv = 0; /* the project's trajecten by applicant, just before its totaal row */
    for (size_t e; a < end; a = e) {
        uint32_t m[8] = {0}; /* afgerond deelnemers toegerekend trajecten then attributed */
        static const char *const order[8] = {"afgerond", "deelnemers", "toegerekend", "trajecten",
                                             "werk_eind", "werk_12m", "verbeterd_eind", "verbeterd_12m"};
        unsigned found = 0;
        if (!strcmp(at(b, a)->dim, "aanvrager")) { /* sorted: aanvrager before totaal */
            for (e = a, naanv = 0; e < end && esf_tcell_same_dim(at(b, a), at(b, e)) && naanv < AANV_COUNT; e++)
                aanv[naanv++] = (uint32_t)e;
            continue;
        }
        for (e = a; e < end && esf_tcell_same_dim(at(b, a), at(b, e)); e++)
            for (int k = 0; k < 8; k++)
                if (!strcmp(at(b, e)->measure, order[k])) m[k] = (uint32_t)e, found |= 1u << k;
        if (found != 0xffu || naanv != AANV_COUNT) {
            b->st = ESF_ERR_LIMIT;
            return;
        }
        diff(b, true, m[0], &m[1], 1); /* afgerond <= deelnemers */
        diff(b, true, m[1], &m[3], 1); /* deelnemers <= trajecten */
        diff(b, true, m[2], &m[0], 1); /* toegerekend <= afgerond */
        for (int k = 4; k < 8; k++) diff(b, true, m[k], &m[2], 1);
        diff(b, false, m[3], aanv, AANV_COUNT); /* 7: trajecten = its applicants' */
        naanv = 0;
    }
    for (int k = -1; k < 4; k++) {
        const char *measure = k < 0 ? "toegerekend" : attributed[k];
        size_t first = t->nterms;
        for (size_t i = first_proj; i < end; i++)
            if (!strcmp(at(b, i)->measure, measure)) term(b, (uint32_t)i, 1);
        term(b, res(b, "totaal", k < 0 ? "afgerond" : measure), -1);
        rel(b, first, false);
    }
}

/* amr <= gemeente + vsopro and totaal <= the four applicant groups, for
 * the cell c (of group amr) and its namesakes in the other groups. */
static void groups_sum(rb *b, const esf_tcell *c)
{
    uint32_t g[4];
    for (int k = 0; k < 4; k++) g[k] = cell(b, c->table, esf_group_names[k], c->dim, c->cat, c->measure);
    diff(b, true, cell(b, c->table, "amr", c->dim, c->cat, c->measure), g, 2);
    diff(b, true, cell(b, c->table, "totaal", c->dim, c->cat, c->measure), g, 4);
}

/* 6: across the groups. */
static void across_groups(rb *b)
{
    const esf_tables *t = b->t;
    for (size_t i = 0; i < t->n; i++) {
        const esf_tcell *c = at(b, i);
        if (!strcmp(c->table, "projecten") || c->group_len != 3 || memcmp(c->group, "amr", 3)) continue;
        const bool deel = !strcmp(c->table, "deelnemers"), res_tot = !strcmp(c->table, "resultaten") &&
                                                                     !strcmp(c->dim, "totaal");
        if (deel || !strcmp(c->table, "overgangen") || res_tot) groups_sum(b, c);
        if ((deel && !strcmp(c->dim, "totaal")) || (res_tot && !strcmp(c->measure, "afgerond"))) {
            uint32_t amr = (uint32_t)i, tot = cell(b, c->table, "totaal", c->dim, c->cat, c->measure);
            diff(b, true, cell(b, c->table, "gemeente", c->dim, c->cat, c->measure), &amr, 1);
            diff(b, true, cell(b, c->table, "vsopro", c->dim, c->cat, c->measure), &amr, 1);
            for (int k = 0; k < G_TOTAAL; k++)
                diff(b, true, cell(b, c->table, esf_group_names[k], c->dim, c->cat, c->measure), &tot, 1);
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
    return b.st;
}
