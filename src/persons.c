/* persons.c - stage 4: per-person and per-project state (see persons.h). */
#include "persons.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

esf_status agg_init(esf_agg *a)
{
    memset(a, 0, sizeof *a);
    if (hset_init(&a->pset, 1024) || hset_init(&a->prset, 64) || hset_init(&a->pairs, 1024)) {
        agg_free(a);
        return ESF_ERR_NOMEM;
    }
    return ESF_OK;
}

void agg_free(esf_agg *a)
{
    hset_free(&a->pset);
    hset_free(&a->prset);
    hset_free(&a->pairs);
    free(a->persons);
    free(a->keys);
    free(a->states);
    free(a->lasts);
    free(a->projects);
    free(a->pkeys);
    memset(a, 0, sizeof *a);
}

typedef struct {
    const esf_agg *a;
    const char *key;
    size_t len;
} key_ctx;

static bool person_eq(const void *ctx, uint32_t v)
{
    const key_ctx *k = ctx;
    const esf_person *p = &k->a->persons[v];
    return p->key_len == k->len && memcmp(k->a->keys + p->key_off, k->key, k->len) == 0;
}

static bool project_eq(const void *ctx, uint32_t v)
{
    const key_ctx *k = ctx;
    const esf_project *p = &k->a->projects[v];
    return p->key_len == k->len && memcmp(k->a->pkeys + p->key_off, k->key, k->len) == 0;
}

static esf_status append_bytes(char **buf, size_t *len, size_t *cap, const char *p, size_t n,
                               uint64_t *off)
{
    void *b = *buf;
    FORWARD_IF_ERROR(esf_grow(&b, cap, *len + n, 1));
    *buf = b;
    memcpy(*buf + *len, p, n);
    *off = *len;
    *len += n;
    return ESF_OK;
}

static esf_status intern_hashed(esf_agg *a, const char *key, size_t n, uint64_t h, uint32_t *id)
{
    FORWARD_IF_ERROR(hset_reserve(&a->pset));
    key_ctx ctx = {a, key, n};
    esf_slot *sl = hset_probe(&a->pset, h, person_eq, &ctx);
    if (sl->v != HSET_EMPTY) {
        *id = sl->v;
        return ESF_OK;
    }
    RETURN_ERROR_IF(a->npersons >= HSET_EMPTY - 1, NULL, ESF_ERR_NOMEM, "too many persons");
    void *b = a->persons;
    FORWARD_IF_ERROR(esf_grow(&b, &a->persons_cap, a->npersons + 1, sizeof(esf_person)));
    a->persons = b;
    esf_person *p = &a->persons[a->npersons];
    memset(p, 0, sizeof *p);
    FORWARD_IF_ERROR(append_bytes(&a->keys, &a->keys_len, &a->keys_cap, key, n, &p->key_off));
    p->key_len = (uint8_t)n;
    sl->h = h;
    sl->v = (uint32_t)a->npersons;
    a->pset.n++;
    *id = (uint32_t)a->npersons++;
    return ESF_OK;
}

static esf_status intern_person(esf_agg *a, const esf_row *row, uint32_t *id)
{
    char key[1 + 8 + 32];
    size_t n = 0;
    key[n++] = (char)row->rinpersoons.len;
    memcpy(key + n, row->rinpersoons.p, row->rinpersoons.len);
    n += row->rinpersoons.len;
    memcpy(key + n, row->rinpersoon.p, row->rinpersoon.len);
    n += row->rinpersoon.len;
    return intern_hashed(a, key, n, XXH3_64bits(key, n), id);
}

static esf_status intern_project(esf_agg *a, esf_view id, uint32_t *out)
{
    FORWARD_IF_ERROR(hset_reserve(&a->prset));
    uint64_t h = XXH3_64bits(id.p, id.len);
    key_ctx ctx = {a, id.p, id.len};
    esf_slot *sl = hset_probe(&a->prset, h, project_eq, &ctx);
    if (sl->v != HSET_EMPTY) {
        *out = sl->v;
        return ESF_OK;
    }
    RETURN_ERROR_IF(a->nprojects >= 0x7ffffffe, NULL, ESF_ERR_NOMEM, "too many projects");
    void *b = a->projects;
    FORWARD_IF_ERROR(esf_grow(&b, &a->projects_cap, a->nprojects + 1, sizeof(esf_project)));
    a->projects = b;
    esf_project *p = &a->projects[a->nprojects];
    memset(p, 0, sizeof *p);
    FORWARD_IF_ERROR(append_bytes(&a->pkeys, &a->pkeys_len, &a->pkeys_cap, id.p, id.len, &p->key_off));
    p->key_len = (uint32_t)id.len;
    sl->h = h;
    sl->v = (uint32_t)a->nprojects;
    a->prset.n++;
    *out = (uint32_t)a->nprojects++;
    return ESF_OK;
}

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

int first_cmp(const esf_agg *a, const esf_first *x, const esf_first *y)
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

int traj_cmp_last(const esf_agg *a, const esf_traj *x, const esf_traj *y)
{
    CMP(y->eind, x->eind); /* the latest wins */
    int c = cmp_project(a, x->project, y->project);
    return c ? c : cmp_columns(x, y);
}
#undef CMP

esf_gview gstate_view(const esf_agg *a, const esf_gstate *s)
{
    return (esf_gview){&s->first, s->last ? &a->lasts[s->last - 1] : NULL, s->dg};
}

void gview_merge(const esf_agg *a, esf_gview *dst, const esf_gview *src)
{
    if (first_cmp(a, src->first, dst->first) < 0) dst->first = src->first;
    if (src->last && (!dst->last || traj_cmp_last(a, src->last, dst->last) < 0)) dst->last = src->last;
    dst->dg |= src->dg;
}

static esf_status push_last(esf_agg *a, const esf_traj *t, uint32_t *idx)
{
    void *b = a->lasts;
    FORWARD_IF_ERROR(esf_grow(&b, &a->lasts_cap, a->nlasts + 1, sizeof(esf_traj)));
    a->lasts = b;
    a->lasts[a->nlasts++] = *t;
    *idx = (uint32_t)a->nlasts;
    return ESF_OK;
}

/* Folds one trajectory (or a partial state's first, last and target groups)
 * into the state of person pid in group g.  last is NULL when none of the
 * trajectories folded in is finished. */
static esf_status state_update(esf_agg *a, uint32_t pid, unsigned g, const esf_first *f,
                               uint16_t dg, const esf_traj *last)
{
    uint32_t *si = &a->persons[pid].state[g];
    if (*si == 0) {
        void *b = a->states;
        FORWARD_IF_ERROR(esf_grow(&b, &a->states_cap, a->nstates + 1, sizeof(esf_gstate)));
        a->states = b;
        esf_gstate *s = &a->states[a->nstates++];
        *si = (uint32_t)a->nstates;
        s->first = *f;
        s->dg = dg;
        s->last = 0;
        if (last) FORWARD_IF_ERROR(push_last(a, last, &s->last));
        return ESF_OK;
    }
    esf_gstate *s = &a->states[*si - 1];
    if (first_cmp(a, f, &s->first) < 0) s->first = *f;
    s->dg |= dg;
    if (last) {
        if (!s->last) FORWARD_IF_ERROR(push_last(a, last, &s->last));
        else if (traj_cmp_last(a, last, &a->lasts[s->last - 1]) < 0) a->lasts[s->last - 1] = *last;
    }
    return ESF_OK;
}

/* Marks that person pid has a trajectory in project prj (finished or not). */
static esf_status pair_mark(esf_agg *a, uint32_t prj, uint32_t pid, bool finished)
{
    FORWARD_IF_ERROR(hset_reserve(&a->pairs));
    uint64_t h = hset_mix64((uint64_t)prj << 32 | pid);
    esf_slot *sl = hset_probe(&a->pairs, h, NULL, NULL);
    if (sl->v == HSET_EMPTY) {
        sl->h = h;
        sl->v = prj;
        sl->aux = pid;
        a->pairs.n++;
    }
    if (finished) sl->v = prj | 0x80000000u; /* finished in this project */
    return ESF_OK;
}

esf_status agg_add(esf_agg *a, const esf_row *row)
{
    uint32_t pid = 0, prj = 0;
    FORWARD_IF_ERROR(intern_person(a, row, &pid));
    FORWARD_IF_ERROR(intern_project(a, row->project, &prj));
    esf_traj t = row->t;
    t.project = prj;
    const esf_first f = {t.start, t.geb, t.eind, t.eind_project, prj, t.doelgroep,
                         t.aanvrager, t.geslacht, t.pos[M_START]};
    const bool finished = traj_finished(&t);
    FORWARD_IF_ERROR(state_update(a, pid, t.aanvrager, &f, t.doelgroep, finished ? &t : NULL));
    a->projects[prj].trajecten++;
    return pair_mark(a, prj, pid, finished);
}

static esf_status merge_into(esf_agg *dst, const esf_agg *src, uint32_t *pmap, uint32_t *qmap)
{
    /* grow once, not step by step */
    FORWARD_IF_ERROR(hset_reserve_n(&dst->pset, src->npersons));
    FORWARD_IF_ERROR(hset_reserve_n(&dst->pairs, src->pairs.n));
    for (size_t j = 0; j < src->nprojects; j++) {
        FORWARD_IF_ERROR(intern_project(dst, project_id(src, (uint32_t)j), &pmap[j]));
        dst->projects[pmap[j]].trajecten += src->projects[j].trajecten;
    }
    /* Probes into dst miss the cache: hash a batch ahead and prefetch. */
    enum { AHEAD = 16 };
    uint64_t hs[AHEAD];
    for (size_t i = 0; i < src->npersons; i++) {
        if (i % AHEAD == 0)
            for (size_t j = i; j < i + AHEAD && j < src->npersons; j++) {
                const esf_person *q = &src->persons[j];
                hs[j % AHEAD] = XXH3_64bits(src->keys + q->key_off, q->key_len);
                __builtin_prefetch(&dst->pset.slots[hs[j % AHEAD] & dst->pset.mask]);
            }
        const esf_person *p = &src->persons[i];
        FORWARD_IF_ERROR(intern_hashed(dst, src->keys + p->key_off, p->key_len, hs[i % AHEAD], &qmap[i]));
        for (unsigned g = 0; g < AANV_COUNT; g++) {
            if (!p->state[g]) continue;
            const esf_gstate *s = &src->states[p->state[g] - 1];
            esf_first f = s->first;
            f.project = pmap[f.project];
            esf_traj last;
            if (s->last) {
                last = src->lasts[s->last - 1];
                last.project = pmap[last.project];
            }
            FORWARD_IF_ERROR(state_update(dst, qmap[i], g, &f, s->dg, s->last ? &last : NULL));
        }
    }
    for (size_t i = 0; i <= src->pairs.mask; i++) {
        if (i + AHEAD <= src->pairs.mask) {
            const esf_slot *ah = &src->pairs.slots[i + AHEAD];
            if (ah->v != HSET_EMPTY) {
                uint64_t h = hset_mix64((uint64_t)pmap[ah->v & 0x7fffffffu] << 32 | qmap[ah->aux]);
                __builtin_prefetch(&dst->pairs.slots[h & dst->pairs.mask]);
            }
        }
        const esf_slot *sl = &src->pairs.slots[i];
        if (sl->v == HSET_EMPTY) continue;
        FORWARD_IF_ERROR(pair_mark(dst, pmap[sl->v & 0x7fffffffu], qmap[sl->aux], sl->v >> 31));
    }
    return ESF_OK;
}

esf_status agg_merge(esf_agg *dst, const esf_agg *src)
{
    uint32_t *pmap = calloc(src->nprojects + 1, sizeof *pmap);
    uint32_t *qmap = calloc(src->npersons + 1, sizeof *qmap);
    esf_status st = pmap && qmap ? merge_into(dst, src, pmap, qmap) : ESF_ERR_NOMEM;
    free(pmap);
    free(qmap);
    return st;
}
