/* suppress.c - stage 6a: cell suppression with an interval audit (SPEC §6).
 *
 * One linear program holds every protected count as a column and every
 * relation of relations.c as a row (= 0 or <= 0): a published count is a
 * column fixed at its exact value, a suppressed one a column >= 0. That is
 * the attacker's view. The audit of a primary cell p is max p and min p; it
 * passes when max >= n and min <= 0.
 *
 * When p fails, the published counts that bound the optimum are the fixed
 * columns with a nonzero reduced cost; the smallest of them is suppressed
 * (secondary) and the LP solved again from the same basis. Suppressing more
 * only widens every interval, so a cell that passed stays passed, and one
 * sweep over the primary cells in cell order ends with all of them
 * protected. The pattern depends on the exact counts only, never on row
 * order, threads or file split. A complement always exists while p fails:
 * every relation has right-hand side 0, so by LP duality the optimum is
 * sum(d_j * value_j) over the fixed columns j; were d_j 0 for every nonzero
 * one, max p would be 0, below p's own value, which is feasible.
 *
 * Solver: GLPK's primal simplex, warm-started (a solve after the first
 * takes a few pivots); and every optimum is a point the attacker cannot
 * rule out, which settles the audits of the primary cells it already
 * shows >= n or 0. */
#include "suppress.h"

#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

const char *const esf_sup_reason_names[SUP_REASONS] = {"", "primary", "secondary", "derived"};

#define EPS 1e-7

typedef struct {
    jmp_buf jb;
} glpk_trap;

/* GLPK ends a failed allocation or an internal error in this hook: back to
 * esf_suppress, which frees GLPK's environment and reports the failure. */
static void glpk_hook(void *info)
{
    longjmp(((glpk_trap *)info)->jb, 1);
}

typedef struct {
    const esf_tables *t;
    glp_prob *lp;
    glp_smcp parm;
    uint8_t *reason;
    uint32_t *col_cell; /* column (1-based) -> cell */
    int *cell_col;      /* cell -> column, 0 if none */
    int ncols;
    uint8_t *ok;        /* per column: bit 0 max >= n shown, bit 1 min <= 0 shown */
    uint32_t n;
} engine;

static bool in_lp(const esf_tcell *c) { return c->kind == CELL_PERSONS || c->kind == CELL_STRUCTURAL; }

/* Solves; the optimum in *z, +-HUGE_VAL when unbounded; false if GLPK
 * fails. A solution is a point the attacker cannot rule out: every primary
 * cell that is >= n there can reach n, every one that is 0 can be 0, which
 * spares those audits (suppressing more never takes that back). */
static bool solve(engine *e, double *z)
{
    int rc = glp_simplex(e->lp, &e->parm);
    if (rc != 0) { /* a basis gone singular: start again from the standard one */
        glp_std_basis(e->lp);
        rc = glp_simplex(e->lp, &e->parm);
    }
    if (rc != 0) return false;
    switch (glp_get_status(e->lp)) {
    case GLP_OPT: *z = glp_get_obj_val(e->lp); break;
    case GLP_UNBND: *z = glp_get_obj_dir(e->lp) == GLP_MAX ? HUGE_VAL : -HUGE_VAL; return true;
    default: return false; /* infeasible: the exact counts always satisfy the relations */
    }
    for (int j = 1; j <= e->ncols; j++) {
        if (e->reason[e->col_cell[j]] != SUP_PRIMARY) continue;
        const double x = glp_get_col_prim(e->lp, j);
        if (x >= (double)e->n - EPS) e->ok[j] |= 1;
        if (x <= EPS) e->ok[j] |= 2;
    }
    return true;
}

/* The published count that limits the optimum most cheaply: nonzero
 * reduced cost, positive value (a zero is published, SPEC §6), smallest
 * value, then first in cell order. 0 if none. */
static int complement(const engine *e)
{
    int best = 0;
    for (int j = 1; j <= e->ncols; j++) {
        const esf_tcell *c = &e->t->cells[e->col_cell[j]];
        if (glp_get_col_type(e->lp, j) != GLP_FX || c->kind != CELL_PERSONS || c->value == 0) continue;
        if (fabs(glp_get_col_dual(e->lp, j)) <= EPS) continue;
        if (!best || c->value < e->t->cells[e->col_cell[best]].value) best = j;
    }
    return best;
}

/* Audits primary column p, suppressing complements until it passes both
 * ways: max p >= n, min p <= 0. */
static esf_status protect(engine *e, int p)
{
    glp_set_obj_coef(e->lp, p, 1.0);
    for (int dir = 0; dir < 2; dir++) {
        glp_set_obj_dir(e->lp, dir == 0 ? GLP_MAX : GLP_MIN);
        while (!(e->ok[p] & (1 << dir))) {
            double z;
            if (!solve(e, &z)) return ESF_ERR_LIMIT;
            if (dir == 0 ? z >= (double)e->n - EPS : z <= EPS) break;
            const int j = complement(e);
            if (!j) return ESF_ERR_LIMIT; /* cannot happen: see the header */
            glp_set_col_bnds(e->lp, j, GLP_LO, 0.0, 0.0);
            e->reason[e->col_cell[j]] = SUP_SECONDARY;
        }
    }
    glp_set_obj_coef(e->lp, p, 0.0);
    return ESF_OK;
}

/* The LP: a column per protected or structural cell, fixed at its value
 * when published, >= 0 when suppressed; a row per relation. */
static esf_status build(engine *e, unsigned omit)
{
    const esf_tables *t = e->t;
    for (size_t i = 0; i < t->n; i++)
        if (in_lp(&t->cells[i])) {
            e->cell_col[i] = ++e->ncols;
            e->col_cell[e->ncols] = (uint32_t)i;
        }
    glp_add_cols(e->lp, e->ncols);
    for (int j = 1; j <= e->ncols; j++) {
        const esf_tcell *c = &t->cells[e->col_cell[j]];
        if (e->reason[e->col_cell[j]]) glp_set_col_bnds(e->lp, j, GLP_LO, 0.0, 0.0);
        else glp_set_col_bnds(e->lp, j, GLP_FX, (double)c->value, (double)c->value);
    }
    size_t maxn = 1;
    for (size_t r = 0; r < t->nrels; r++)
        if (t->rels[r].n > maxn) maxn = t->rels[r].n;
    int *ind = malloc((maxn + 1) * sizeof *ind);
    double *val = malloc((maxn + 1) * sizeof *val);
    if (!ind || !val) {
        free(ind);
        free(val);
        return ESF_ERR_NOMEM;
    }
    for (size_t r = 0; r < t->nrels; r++) {
        const esf_rel *rel = &t->rels[r];
        if (omit & (1u << rel->family)) continue;
        const int row = glp_add_rows(e->lp, 1);
        for (uint32_t k = 0; k < rel->n; k++) {
            ind[k + 1] = e->cell_col[t->terms[rel->first + k].cell];
            val[k + 1] = t->terms[rel->first + k].coef;
        }
        glp_set_mat_row(e->lp, row, (int)rel->n, ind, val);
        glp_set_row_bnds(e->lp, row, rel->le ? GLP_UP : GLP_FX, 0.0, 0.0);
    }
    free(ind);
    free(val);
    return ESF_OK;
}

static esf_status audit_all(engine *e, unsigned omit)
{
    const esf_tables *t = e->t;
    e->col_cell = malloc((t->n + 1) * sizeof *e->col_cell);
    e->cell_col = calloc(t->n + 1, sizeof *e->cell_col);
    e->ok = calloc(t->n + 1, 1);
    if (!e->col_cell || !e->cell_col || !e->ok) return ESF_ERR_NOMEM;
    e->lp = glp_create_prob();
    glp_init_smcp(&e->parm);
    e->parm.msg_lev = GLP_MSG_OFF;
    esf_status st = build(e, omit);
    for (int j = 1; st == ESF_OK && j <= e->ncols; j++)
        if (e->reason[e->col_cell[j]] == SUP_PRIMARY) st = protect(e, j);
    glp_delete_prob(e->lp);
    return st;
}

static bool same_row(const esf_tcell *a, const esf_tcell *b)
{
    return !strcmp(a->table, b->table) && a->group_len == b->group_len &&
           !memcmp(a->group, b->group, a->group_len) && !strcmp(a->dim, b->dim) && !strcmp(a->cat, b->cat);
}

/* procent and behaald of an indicator whose waarde, teller or noemer is
 * suppressed: the cells of one indicator are adjacent (sorted). */
static void derived(const esf_tables *t, uint8_t *reason)
{
    for (size_t a = 0, e; a < t->n; a = e) {
        bool hidden = false;
        for (e = a; e < t->n && same_row(&t->cells[a], &t->cells[e]); e++)
            hidden |= reason[e] && t->cells[e].kind == CELL_PERSONS;
        for (size_t i = a; hidden && i < e; i++)
            if (t->cells[i].kind == CELL_DERIVED) reason[i] = SUP_DERIVED;
    }
}

esf_status esf_suppress(const esf_tables *t, uint32_t n, unsigned omit, uint8_t *reason, esf_err *err)
{
    memset(reason, 0, t->n);
    size_t nprimary = 0;
    for (size_t i = 0; i < t->n; i++) {
        const esf_tcell *c = &t->cells[i];
        if (esf_cell_protected(c) && c->value > 0 && c->value < n) reason[i] = SUP_PRIMARY, nprimary++;
    }
    engine e = {.t = t, .reason = reason, .n = n};
    esf_status st = ESF_OK;
    glpk_trap trap;
    if (nprimary == 0) {
        /* nothing to protect */
    } else if (setjmp(trap.jb) == 0) {
        glp_error_hook(glpk_hook, &trap);
        glp_term_out(GLP_OFF);
        st = audit_all(&e, omit);
        glp_error_hook(NULL, NULL);
    } else {
        glp_error_hook(NULL, NULL);
        glp_free_env(); /* GLPK's state after its error hook: only this is safe */
        st = ESF_ERR_NOMEM;
    }
    free(e.col_cell);
    free(e.cell_col);
    free(e.ok);
    if (st == ESF_ERR_NOMEM) return esf_fail(err, st, "out of memory in disclosure control");
    RETURN_ERROR_IF(st != ESF_OK, err, st,
                    "disclosure control: the linear programming solver failed to audit the "
                    "suppressed cells; nothing written");
    derived(t, reason);
    return ESF_OK;
}
