/* suppress.c - stage 6a: cell suppression with an interval audit (SPEC §6).
 *
 * The attacker's view is a linear program: every suppressed count is an
 * unknown >= 1 (a column: zeros are published, so an x is at least 1),
 * every relation of relations.c that holds one is a row (= or <=), with the
 * published counts in it moved to the right-hand side. The audit of a
 * primary cell p is max p and min p; it passes when max >= n and max - min
 * >= n - 1 (SPEC §6: it can be neither shown small nor pinned down).
 *
 * When p fails, the published counts that bound the optimum are those with
 * a nonzero reduced cost, -sum(coef * row dual) over the rows they are in
 * (what their column would have, fixed at their value, objective 0). The
 * smallest is suppressed (secondary): it becomes a column, its relations
 * rows, and the LP is solved again from the same basis. Suppressing more
 * only widens every interval, so a cell that passed stays passed, and one
 * sweep over the primary cells in cell order ends with all of them
 * protected. The pattern depends on the exact counts only, never on row
 * order, threads or file split. A complement exists while p fails unless
 * what bounds p is published as it is (invoer geaccepteerd, the sum of the
 * projects' trajecten) or the unknowns' floor of 1: then the run stops
 * with an error naming p.
 *
 * Solver: GLPK's primal simplex, warm-started. The LP holds only the
 * unknowns and their rows (a few hundred, not the thousands of cells), and
 * every optimum is a point the attacker cannot rule out, which settles the
 * audits of the primary cells it already shows >= n or 0. */
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
    unsigned omit;      /* relations of these items left out (tests) */
    glp_prob *lp;
    glp_smcp parm;
    uint8_t *reason;
    uint32_t n;
    int *col_of;        /* cell -> its column (an unknown), 0 if published */
    uint32_t *col_cell; /* column (1-based) -> cell */
    int *row_of;        /* relation -> its row, 0 if not in the LP */
    uint32_t *row_rel;  /* row (1-based) -> relation */
    uint32_t *adj_at, *adj; /* cell c's relations: adj[adj_at[c] .. adj_at[c+1]) */
    uint32_t *row_mark, marks; /* relation -> the last chunk LP or walk that took it (0: none) */
    int *local;             /* column -> its column in the chunk's LP, 0: not in it */
    uint8_t *ok;        /* per column: bit 0 max >= n shown, bit 1 the span (below) */
    double *lo, *hi;    /* per column: the least and most seen at a point of the LP
                           (the exact counts are one): bit 0 when hi >= n, bit 1
                           when lo <= 1 or hi - lo >= n - 1 */
    double *d;          /* per cell: reduced cost, while complement() runs */
    int *ind;
    double *val;
    size_t solves;      /* LPs solved */
    uint32_t stuck;     /* a primary cell no suppression protects (UINT32_MAX: none) */
} engine;

/* Cell -> relations, the relations of omitted items left out. */
static esf_status adjacency(engine *e)
{
    const esf_tables *t = e->t;
    e->adj_at = calloc(t->n + 2, sizeof *e->adj_at);
    e->adj = malloc((t->nterms ? t->nterms : 1) * sizeof *e->adj);
    if (!e->adj_at || !e->adj) return ESF_ERR_NOMEM;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t r = 0; r < t->nrels; r++) {
            if (e->omit & (1u << t->rels[r].family)) continue;
            for (uint32_t k = 0; k < t->rels[r].n; k++) {
                const uint32_t c = t->terms[t->rels[r].first + k].cell;
                if (pass == 0) e->adj_at[c + 2]++;
                else e->adj[e->adj_at[c + 1]++] = (uint32_t)r;
            }
        }
        if (pass == 0)
            for (size_t i = 2; i < t->n + 2; i++) e->adj_at[i] += e->adj_at[i - 1];
    }
    return ESF_OK;
}

/* Row of relation r as the LP stands: the unknowns on the left, the
 * published counts moved to the right-hand side. */
static void set_row(engine *e, uint32_t r)
{
    const esf_rel *rel = &e->t->rels[r];
    double rhs = 0;
    int k = 0;
    for (uint32_t m = 0; m < rel->n; m++) {
        const esf_term *tm = &e->t->terms[rel->first + m];
        if (e->col_of[tm->cell]) {
            k++;
            e->ind[k] = e->col_of[tm->cell];
            e->val[k] = tm->coef;
        } else {
            rhs -= (double)tm->coef * (double)e->t->cells[tm->cell].value;
        }
    }
    glp_set_mat_row(e->lp, e->row_of[r], k, e->ind, e->val);
    glp_set_row_bnds(e->lp, e->row_of[r], rel->le ? GLP_UP : GLP_FX, rhs, rhs);
}

/* Makes cell c an unknown: a column >= 0, and its relations rows (new, or
 * rewritten with c on the left; rows false: the caller writes them). The
 * basis stays: the column enters at 0, new rows as basic. */
static void add_unknown_rows(engine *e, uint32_t c, bool rows)
{
    const int j = glp_add_cols(e->lp, 1);
    glp_set_col_bnds(e->lp, j, GLP_LO, 1.0, 0.0);
    e->col_of[c] = j;
    e->col_cell[j] = c;
    for (uint32_t a = e->adj_at[c]; a < e->adj_at[c + 1]; a++) {
        const uint32_t r = e->adj[a];
        if (!e->row_of[r]) {
            e->row_of[r] = glp_add_rows(e->lp, 1);
            e->row_rel[e->row_of[r]] = r;
        }
        if (rows) set_row(e, r);
    }
}

static void add_unknown(engine *e, uint32_t c)
{
    add_unknown_rows(e, c, true);
}

/* Column j took the value x at a point of the LP. */
static void seen(engine *e, int j, double x)
{
    if (x < e->lo[j]) e->lo[j] = x;
    if (x > e->hi[j]) e->hi[j] = x;
    if (e->hi[j] >= (double)e->n - EPS) e->ok[j] |= 1;
    if (e->lo[j] <= 1 + EPS || e->hi[j] - e->lo[j] >= (double)e->n - 1 - EPS) e->ok[j] |= 2;
}

/* Solves lp, whose column k is the engine's column map[k] (map NULL: k); the optimum
 * in *z, +-HUGE_VAL when unbounded; false if GLPK fails. A solution is a
 * point the attacker cannot rule out: each primary cell's value there
 * widens the range it is seen to take (seen), which spares its audit once
 * that range passes (suppressing more never takes that back). */
static bool solve_lp(engine *e, glp_prob *lp, const int *map, double *z)
{
    e->solves++;
    int rc = glp_simplex(lp, &e->parm);
    if (rc != 0) { /* a basis gone singular: start again from the standard one */
        glp_std_basis(lp);
        rc = glp_simplex(lp, &e->parm);
    }
    if (rc != 0) return false;
    switch (glp_get_status(lp)) {
    case GLP_OPT: *z = glp_get_obj_val(lp); break;
    case GLP_UNBND: *z = glp_get_obj_dir(lp) == GLP_MAX ? HUGE_VAL : -HUGE_VAL; return true;
    default: return false; /* infeasible: the exact counts always satisfy the relations */
    }
    const int ncols = glp_get_num_cols(lp);
    for (int k = 1; k <= ncols; k++) {
        const int j = map ? map[k] : k;
        if (e->reason[e->col_cell[j]] == SUP_PRIMARY) seen(e, j, glp_get_col_prim(lp, k));
    }
    return true;
}

static bool solve(engine *e, double *z)
{
    return solve_lp(e, e->lp, NULL, z);
}

/* The published count that limits the optimum most cheaply: the reduced
 * cost it would have as a fixed column, -sum(coef * row dual), nonzero; a
 * positive value (a zero is published, SPEC §6); the smallest value, then
 * the first in cell order. UINT32_MAX if none. */
static uint32_t complement(engine *e)
{
    const esf_tables *t = e->t;
    const int nrows = glp_get_num_rows(e->lp);
    uint32_t best = UINT32_MAX;
    for (int pass = 0; pass < 3; pass++)
        for (int i = 1; i <= nrows; i++) {
            const esf_rel *rel = &t->rels[e->row_rel[i]];
            const double y = pass == 0 ? glp_get_row_dual(e->lp, i) : 0;
            for (uint32_t m = 0; m < rel->n; m++) {
                const esf_term *tm = &t->terms[rel->first + m];
                const uint32_t c = tm->cell;
                const esf_tcell *cell = &t->cells[c];
                if (e->col_of[c]) continue;
                if (pass == 0) e->d[c] -= tm->coef * y;
                else if (pass == 2) e->d[c] = 0;
                else if (fabs(e->d[c]) > EPS && cell->kind == CELL_PERSONS && cell->value > 0 &&
                         (best == UINT32_MAX || cell->value < t->cells[best].value ||
                          (cell->value == t->cells[best].value && c < best)))
                    best = c;
            }
        }
    return best;
}

/* Points first, to settle most audits at once: the primary cells (every
 * column yet) between 1 and n, the sum of those not settled maximised,
 * again while that settles more; then the sum of those whose span is not
 * shown minimised.  Each optimum is a point of the uncapped LP too, so
 * what it shows (seen) holds; the audits it settles would pass anyway, so
 * no complement changes.  Thousands of small projects then cost a few
 * solves, not two or more per primary cell. */
static bool settle_lp(engine *e, glp_prob *lp, const int *map)
{
    const int ncols = glp_get_num_cols(lp);
    bool ok = true;
    int open = 0;
    for (int k = 1; k <= ncols; k++) open += (e->ok[map ? map[k] : k] & 3) != 3;
    if (open == 0) return true;
    for (int k = 1; k <= ncols; k++) glp_set_col_bnds(lp, k, GLP_DB, 1.0, (double)e->n);
    for (int dir = 0; dir < 2 && ok; dir++) {
        glp_set_obj_dir(lp, dir == 0 ? GLP_MAX : GLP_MIN);
        for (int before = ncols + 1;;) {
            open = 0;
            for (int k = 1; k <= ncols; k++) {
                const uint8_t okk = e->ok[map ? map[k] : k];
                const bool todo = dir == 0 ? (okk & 3) != 3 : !(okk & 2);
                glp_set_obj_coef(lp, k, todo ? 1.0 : 0.0);
                open += todo;
            }
            if (open == 0 || open >= before) break;
            double z;
            if (!(ok = solve_lp(e, lp, map, &z))) break;
            before = open;
        }
    }
    for (int k = 1; k <= ncols; k++) {
        glp_set_col_bnds(lp, k, GLP_LO, 1.0, 0.0);
        glp_set_obj_coef(lp, k, 0.0);
    }
    return ok;
}

/* Chunks of columns first, each in an LP of its own: its columns the only
 * unknowns, every other cell (published or not) at its exact value.  A
 * point of that LP, with the rest at their values, is a point of the whole
 * one, so what it shows holds; the chunks are small, so thousands of
 * projects cost a linear number of small solves, not a few on an LP of all
 * of them, whose simplex grows faster than linearly (4,000 projects: 24 s).
 * First every column in cell order (a project's cells together), then
 * those still open together (a project's cell with the other projects'
 * it adds up with), while that settles more; the whole LP settles the
 * rest. */
enum { CHUNK = 256, BIG_CHUNK = 4096, SMALL_LP = 4 * CHUNK, MAX_WALKS = 256 };
/* The LP of the columns map[1..n] alone, every other cell at its exact
 * value (its relations marked chunk).  e->local maps the columns to
 * theirs; settle_chunk clears it. */
static glp_prob *local_lp(engine *e, const int *map, int n, uint32_t chunk)
{
    const esf_tables *t = e->t;
    glp_prob *lp = glp_create_prob();
    glp_add_cols(lp, n);
    for (int k = 1; k <= n; k++) e->local[map[k]] = k, glp_set_col_bnds(lp, k, GLP_LO, 1.0, 0.0);
    for (int k = 1; k <= n; k++) {
        const uint32_t c = e->col_cell[map[k]];
        for (uint32_t a = e->adj_at[c]; a < e->adj_at[c + 1]; a++) {
            const uint32_t r = e->adj[a];
            if (e->row_mark[r] == chunk) continue;
            e->row_mark[r] = chunk;
            const esf_rel *rel = &t->rels[r];
            double rhs = 0;
            int m = 0;
            for (uint32_t i = 0; i < rel->n; i++) {
                const esf_term *tm = &t->terms[rel->first + i];
                const int col = e->col_of[tm->cell];
                if (col && e->local[col]) {
                    e->ind[++m] = e->local[col];
                    e->val[m] = tm->coef;
                } else {
                    rhs -= (double)tm->coef * (double)t->cells[tm->cell].value;
                }
            }
            const int row = glp_add_rows(lp, 1);
            glp_set_mat_row(lp, row, m, e->ind, e->val);
            glp_set_row_bnds(lp, row, rel->le ? GLP_UP : GLP_FX, rhs, rhs);
        }
    }
    return lp;
}

static bool settle_chunk(engine *e, const int *map, int n, uint32_t chunk)
{
    glp_prob *lp = local_lp(e, map, n, chunk);
    const bool ok = settle_lp(e, lp, map);
    glp_delete_prob(lp);
    for (int k = 1; k <= n; k++) e->local[map[k]] = 0;
    return ok;
}

/* Column j and the columns it shares a relation with, and theirs, up to
 * max of them, into map[1..]; returns how many.  A long relation (a sum
 * over every project) brings max / 8 at a time, so that the cells those
 * depend on come in too. */
static int neighbourhood(engine *e, int j, int *map, int max)
{
    const esf_tables *t = e->t;
    const uint32_t stamp = ++e->marks;
    int n = 0;
    map[++n] = j;
    e->local[j] = n;
    for (int q = 1; q <= n && n < max; q++) {
        const uint32_t c = e->col_cell[map[q]];
        for (uint32_t a = e->adj_at[c]; a < e->adj_at[c + 1] && n < max; a++) {
            if (e->row_mark[e->adj[a]] == stamp) continue; /* each relation once */
            e->row_mark[e->adj[a]] = stamp;
            const esf_rel *rel = &t->rels[e->adj[a]];
            for (int i = 0, added = 0; i < (int)rel->n && n < max && added < max / 8; i++) {
                const int col = e->col_of[t->terms[rel->first + (uint32_t)i].cell];
                if (col && !e->local[col]) map[++n] = col, e->local[col] = n, added++;
            }
        }
    }
    for (int k = 1; k <= n; k++) e->local[map[k]] = 0;
    return n;
}

/* The columns still open (both audits not settled), from round 1 on: into
 * chunks of CHUNK (round 0: every column), each settled on its own. */
static bool settle_in_chunks(engine *e, int *map, bool all, int *open)
{
    const int ncols = glp_get_num_cols(e->lp);
    int n = 0;
    *open = 0;
    for (int j = 1; j <= ncols; j++) {
        if (!all && (e->ok[j] & 3) == 3) continue;
        ++*open;
        map[++n] = j;
        if (n == CHUNK) {
            if (!settle_chunk(e, map, n, ++e->marks)) return false;
            n = 0;
        }
    }
    return n == 0 || settle_chunk(e, map, n, ++e->marks);
}

static bool settle_chunks(engine *e)
{
    const int ncols = glp_get_num_cols(e->lp);
    if (ncols <= SMALL_LP) return true; /* the whole LP settles them (settle_many) */
    int *map = calloc(BIG_CHUNK + 1, sizeof *map);
    if (!map) return false;
    int open = 0;
    bool ok = settle_in_chunks(e, map, true, &open);
    for (int before = ncols + 1; ok;) { /* the open ones together, while that settles more */
        ok = settle_in_chunks(e, map, false, &open);
        if (open == 0 || open >= before) break;
        before = open;
    }
    /* a few left: each with what it adds up with, in a walk of CHUNK, then
     * of BIG_CHUNK columns */
    for (int max = CHUNK; ok && open && open <= MAX_WALKS && max <= BIG_CHUNK; max *= BIG_CHUNK / CHUNK) {
        open = 0;
        for (int j = 1; j <= ncols && ok; j++)
            if ((e->ok[j] & 3) != 3) open++, ok = settle_chunk(e, map, neighbourhood(e, j, map, max), ++e->marks);
    }
    free(map);
    return ok;
}

static bool settle_many(engine *e)
{
    return settle_chunks(e) && settle_lp(e, e->lp, NULL);
}

/* Suppresses the complement of the LP as solved; false if there is none. */
static bool add_complement(engine *e)
{
    const uint32_t c = complement(e);
    if (c == UINT32_MAX) return false;
    e->reason[c] = SUP_SECONDARY;
    add_unknown(e, c);
    return true;
}

/* Solves the LP for the audit of column j: an unbounded max shows j
 * unbounded. */
static bool solve_for(engine *e, int j)
{
    double z;
    if (!solve(e, &z)) return false;
    if (z == HUGE_VAL) seen(e, j, HUGE_VAL);
    return true;
}

/* Audits primary cell p, suppressing complements until it passes (SPEC
 * §6): max p >= n, and max p - min p >= n - 1 (min p <= 1 settles that,
 * every unknown being >= 1). ESF_ERR_LIMIT when the solver fails, or no
 * published count is left to suppress (e->stuck: p). */
static esf_status protect(engine *e, uint32_t p)
{
    const int j = e->col_of[p];
    glp_set_obj_coef(e->lp, j, 1.0);
    glp_set_obj_dir(e->lp, GLP_MAX);
    while (!(e->ok[j] & 1)) {
        if (!solve_for(e, j)) return ESF_ERR_LIMIT;
        if (e->ok[j] & 1) break;
        if (!add_complement(e)) return e->stuck = p, ESF_ERR_LIMIT;
    }
    while (!(e->ok[j] & 2)) {
        glp_set_obj_dir(e->lp, GLP_MIN);
        if (!solve_for(e, j)) return ESF_ERR_LIMIT;
        if (e->ok[j] & 2) break;
        glp_set_obj_dir(e->lp, GLP_MAX); /* suppressing more only widened it */
        if (!solve_for(e, j)) return ESF_ERR_LIMIT;
        if (e->ok[j] & 2) break;
        /* widen it downwards, or else (p's floor, the unknowns' floors of
         * 1, hold min up) upwards */
        glp_set_obj_dir(e->lp, GLP_MIN);
        if (!solve_for(e, j)) return ESF_ERR_LIMIT;
        if (add_complement(e)) continue;
        glp_set_obj_dir(e->lp, GLP_MAX);
        if (!solve_for(e, j)) return ESF_ERR_LIMIT;
        if (!add_complement(e)) return e->stuck = p, ESF_ERR_LIMIT;
    }
    glp_set_obj_coef(e->lp, j, 0.0);
    return ESF_OK;
}

static esf_status audit_all(engine *e)
{
    const esf_tables *t = e->t;
    size_t maxn = 1;
    for (size_t r = 0; r < t->nrels; r++)
        if (t->rels[r].n > maxn) maxn = t->rels[r].n;
    e->col_of = calloc(t->n + 1, sizeof *e->col_of);
    e->col_cell = malloc((t->n + 1) * sizeof *e->col_cell);
    e->row_of = calloc(t->nrels + 1, sizeof *e->row_of);
    e->row_rel = malloc((t->nrels + 1) * sizeof *e->row_rel);
    e->ok = calloc(t->n + 1, 1);
    e->lo = malloc((t->n + 1) * sizeof *e->lo);
    e->hi = malloc((t->n + 1) * sizeof *e->hi);
    e->row_mark = calloc(t->nrels + 1, sizeof *e->row_mark);
    e->local = calloc(t->n + 1, sizeof *e->local);
    e->d = calloc(t->n + 1, sizeof *e->d);
    e->ind = malloc((maxn + 1) * sizeof *e->ind);
    e->val = malloc((maxn + 1) * sizeof *e->val);
    if (!e->col_of || !e->col_cell || !e->row_of || !e->row_rel || !e->ok || !e->lo || !e->hi || !e->row_mark || !e->local || !e->d || !e->ind ||
        !e->val || adjacency(e) != ESF_OK)
        return ESF_ERR_NOMEM;
    e->lp = glp_create_prob();
    glp_init_smcp(&e->parm);
    e->parm.msg_lev = GLP_MSG_OFF;
    /* the primary cells, then each of their rows written once (a row over
     * every project is as long as there are projects) */
    for (uint32_t i = 0; i < t->n; i++)
        if (e->reason[i] == SUP_PRIMARY) add_unknown_rows(e, i, false);
    for (int i = 1; i <= glp_get_num_rows(e->lp); i++) set_row(e, e->row_rel[i]);
    for (int j = 1; j <= glp_get_num_cols(e->lp); j++) { /* the exact counts are a point */
        e->lo[j] = e->hi[j] = (double)t->cells[e->col_cell[j]].value;
        seen(e, j, e->lo[j]);
    }
    esf_status st = settle_many(e) ? ESF_OK : ESF_ERR_LIMIT;
    for (uint32_t i = 0; i < t->n && st == ESF_OK; i++) {
        if (e->reason[i] == SUP_PRIMARY) st = protect(e, i);
        /* with items left out (tests/tools/dc_probe) a cell their absence
         * leaves unprotectable is left as it is: the audit finds the leak */
        if (st != ESF_OK && e->omit && e->stuck != UINT32_MAX) st = ESF_OK, e->stuck = UINT32_MAX;
    }
    glp_delete_prob(e->lp);
    return st;
}

/* procent and behaald of an indicator whose waarde, teller or noemer is
 * suppressed: the cells of one indicator are adjacent (sorted). */
static void derived(const esf_tables *t, uint8_t *reason)
{
    for (size_t a = 0, e; a < t->n; a = e) {
        bool hidden = false;
        for (e = a; e < t->n && esf_tcell_same_dim(&t->cells[a], &t->cells[e]) && !strcmp(t->cells[a].cat, t->cells[e].cat); e++)
            hidden |= reason[e] && t->cells[e].kind == CELL_PERSONS;
        for (size_t i = a; hidden && i < e; i++)
            if (t->cells[i].kind == CELL_DERIVED) reason[i] = SUP_DERIVED;
    }
}

esf_status esf_suppress(const esf_tables *t, uint32_t n, unsigned omit, uint8_t *reason, size_t *solves,
                        esf_err *err)
{
    memset(reason, 0, t->n);
    size_t nprimary = 0;
    for (size_t i = 0; i < t->n; i++) {
        const esf_tcell *c = &t->cells[i];
        if (esf_cell_protected(c) && c->value > 0 && c->value < n) reason[i] = SUP_PRIMARY, nprimary++;
    }
    engine e = {.t = t, .omit = omit, .reason = reason, .n = n, .stuck = UINT32_MAX};
    esf_status st = ESF_OK;
    glpk_trap trap;
    if (nprimary == 0) {
        /* nothing to protect */
    } else if (setjmp(trap.jb) == 0) {
        glp_error_hook(glpk_hook, &trap);
        glp_term_out(GLP_OFF);
        st = audit_all(&e);
        glp_error_hook(NULL, NULL);
    } else {
        glp_error_hook(NULL, NULL);
        glp_free_env(); /* GLPK's state after its error hook: only this is safe */
        st = ESF_ERR_NOMEM;
    }
    free(e.col_of);
    free(e.col_cell);
    free(e.row_of);
    free(e.row_rel);
    free(e.adj_at);
    free(e.adj);
    free(e.ok);
    free(e.lo);
    free(e.hi);
    free(e.row_mark);
    free(e.local);
    free(e.d);
    free(e.ind);
    free(e.val);
    if (solves) *solves = e.solves;
    if (st == ESF_ERR_NOMEM) return esf_fail(err, st, "out of memory in disclosure control");
    if (st != ESF_OK && e.stuck != UINT32_MAX) {
        const esf_tcell *c = &t->cells[e.stuck];
        return esf_fail(err, st,
                        "disclosure control: %s,%.*s,%s,%s,%s (%llu) cannot be protected with --suppress-below "
                        "%u: zeros and the invoer table are published, every x is at least 1, and "
                        "these pin it whatever else is suppressed (too few persons for N); nothing written", esf_table_names[c->table], (int)c->group_len, c->group,
                        esf_dim_names[c->dim], c->cat, esf_measure_names[c->measure],
                        (unsigned long long)c->value, n);
    }
    RETURN_ERROR_IF(st != ESF_OK, err, st,
                    "disclosure control: the linear programming solver failed to audit the "
                    "suppressed cells; nothing written");
    derived(t, reason);
    return ESF_OK;
}
