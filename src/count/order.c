/* order.c - stage 4b: which of two trajectories of a person is first(p,G)
 * or last(p,G), the orders of SPEC §3 (see persons.h). */
#include "order.h"

#include <string.h>

/* Target-group sets as the ascending lists of their codes, a prefix first. */
static int dg_cmp(unsigned x, unsigned y)
{
    while (x && y) {
        int cx = __builtin_ctz(x), cy = __builtin_ctz(y);
        if (cx != cy) return cx < cy ? -1 : 1;
        x &= x - 1;
        y &= y - 1;
    }
    return (x != 0) - (y != 0);
}

#define CMP(x, y)                                                                     \
    do {                                                                              \
        if ((x) != (y)) return (x) < (y) ? -1 : 1;                                    \
    } while (0)

/* Column by column in the order of SPEC §2.2 (identifiers are equal here). */
static int cmp_columns(const esf_traj *x, const esf_traj *y)
{
    CMP(x->aanvrager, y->aanvrager);
    int d = dg_cmp(x->doelgroep, y->doelgroep);
    if (d) return d;
    CMP(x->geslacht, y->geslacht);
    CMP(x->geb, y->geb);
    CMP(x->start, y->start);
    CMP(x->eind, y->eind);
    CMP(x->eind_project, y->eind_project);
    for (int m = 0; m < M_COUNT; m++) CMP(x->pos[m], y->pos[m]);
    for (int m = 0; m < M_COUNT; m++) CMP(x->contract[m], y->contract[m]);
    for (int m = 0; m < M_COUNT; m++) CMP(x->uren[m], y->uren[m]);
    for (int m = 0; m < M_COUNT; m++) CMP(x->uurloon[m], y->uurloon[m]);
    for (int m = 0; m < M_COUNT; m++) CMP(x->srg[m], y->srg[m]);
    for (int m = 0; m < M_COUNT; m++) CMP(x->onderwijs[m], y->onderwijs[m]);
    return 0;
}

static int cmp_project(const esf_agg *a, uint32_t x, uint32_t y)
{
    if (x == y) return 0;
    esf_view px = project_id(a, x), py = project_id(a, y);
    int c = memcmp(px.p, py.p, px.len < py.len ? px.len : py.len);
    if (c) return c;
    return px.len < py.len ? -1 : 1;
}

int esf_first_cmp(const esf_agg *a, const esf_first *x, const esf_first *y)
{
    CMP(x->start, y->start);
    int c = cmp_project(a, x->project, y->project);
    if (c) return c;
    /* the columns of SPEC §2.2 in order, up to positie_start */
    CMP(x->aanvrager, y->aanvrager);
    if ((c = dg_cmp(x->doelgroep, y->doelgroep))) return c;
    CMP(x->geslacht, y->geslacht);
    CMP(x->geb, y->geb);
    CMP(x->eind, y->eind);
    CMP(x->eind_project, y->eind_project);
    CMP(x->pos_start, y->pos_start);
    return 0;
}

int esf_traj_cmp_last(const esf_agg *a, const esf_traj *x, const esf_traj *y)
{
    CMP(y->eind, x->eind); /* the latest wins */
    int c = cmp_project(a, x->project, y->project);
    return c ? c : cmp_columns(x, y);
}
#undef CMP
