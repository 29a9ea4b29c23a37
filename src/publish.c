/* publish.c - stage 6: the published view of the tables (SPEC §6): which
 * cells are rounded, which suppressed (primary, secondary, derived), decided
 * once per write and shared by every format. */
#include "publish.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool secondary_table(const char *table)
{
    return !strcmp(table, "deelnemers") || !strcmp(table, "resultaten") ||
           !strcmp(table, "overgangen");
}

/* Order of cells by (table, group, dimension, measure, value, category): the
 * cells of one dimension and measure side by side, smallest first. */
static int dim_cmp(const void *pa, const void *pb, void *ctx)
{
    const esf_tables *t = ctx;
    const esf_tcell *a = &t->cells[*(const size_t *)pa], *b = &t->cells[*(const size_t *)pb];
    int c;
    if ((c = strcmp(a->table, b->table)) || (c = strcmp(a->dim, b->dim)) ||
        (c = strcmp(a->measure, b->measure)))
        return c;
    if (a->group_len != b->group_len) return a->group_len < b->group_len ? -1 : 1;
    if ((c = memcmp(a->group, b->group, a->group_len))) return c;
    if (a->value != b->value) return a->value < b->value ? -1 : 1;
    return strcmp(a->cat, b->cat);
}

static bool same_dim(const esf_tcell *a, const esf_tcell *b)
{
    return !strcmp(a->table, b->table) && !strcmp(a->dim, b->dim) && !strcmp(a->measure, b->measure) &&
           a->group_len == b->group_len && !memcmp(a->group, b->group, a->group_len);
}

esf_status esf_pub_init(esf_pub *p, const esf_tables *t, const esf_disclosure *dc)
{
    p->t = t;
    memset(&p->dc, 0, sizeof p->dc);
    if (dc) p->dc = *dc;
    p->sup = calloc(t->n ? t->n : 1, 1);
    if (!p->sup) return ESF_ERR_NOMEM;
    uint32_t n = p->dc.suppress_below;
    if (n == 0) return ESF_OK;
    size_t *idx = malloc((t->n ? t->n : 1) * sizeof *idx), m = 0;
    if (!idx) {
        esf_pub_free(p);
        return ESF_ERR_NOMEM;
    }
    for (size_t i = 0; i < t->n; i++) {
        const esf_tcell *c = &t->cells[i];
        if (c->kind == CELL_PERSONS && c->value < n) p->sup[i] = 1;
        if (c->kind == CELL_PERSONS && secondary_table(c->table) && strcmp(c->dim, "totaal"))
            idx[m++] = i;
    }
    qsort_r(idx, m, sizeof *idx, dim_cmp, (void *)(uintptr_t)t);
    for (size_t a = 0, b; a < m; a = b) {
        size_t nsup = 0, first_open = SIZE_MAX;
        for (b = a; b < m && same_dim(&t->cells[idx[a]], &t->cells[idx[b]]); b++) {
            if (p->sup[idx[b]]) nsup++;
            else if (first_open == SIZE_MAX) first_open = idx[b]; /* smallest, sorted */
        }
        if (nsup == 1 && first_open != SIZE_MAX) p->sup[first_open] = 1;
    }
    free(idx);
    for (size_t i = 0; i < t->n; i++) {
        const esf_tcell *c = &t->cells[i];
        for (int k = 0; c->kind == CELL_DERIVED && k < c->ndep; k++)
            if (c->dep[k] < n) p->sup[i] = 1;
    }
    return ESF_OK;
}

void esf_pub_free(esf_pub *p)
{
    free(p->sup);
    p->sup = NULL;
}

const char *esf_pub_text(const esf_pub *p, const esf_tcell *c, char *buf, size_t len)
{
    if (pub_suppressed(p, c)) return "x";
    switch ((cell_kind)c->kind) {
    case CELL_COUNT:
        snprintf(buf, len, "%" PRIu64, c->value);
        return buf;
    case CELL_PERSONS: {
        uint64_t v = c->value, r = p->dc.round;
        if (r > 1) /* nearest multiple, halves away from zero */
            v = (uint64_t)(((unsigned __int128)v * 2 + r) / (2 * (unsigned __int128)r) * r);
        snprintf(buf, len, "%" PRIu64, v);
        return buf;
    }
    case CELL_DERIVED:
    case CELL_TEXT:
        return c->text;
    }
    return "";
}
