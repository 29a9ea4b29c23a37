/* persons.c - stage 4: per-person and per-project state (see persons.h). */
#include "persons.h"
#include "order.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

esf_status esf_agg_init(esf_agg *a)
{
    memset(a, 0, sizeof *a);
    if (esf_hset_init(&a->pset, 1024) || esf_hset_init(&a->prset, 64) || esf_hset_init(&a->pairs, 1024) ||
        esf_hset_init(&a->gsets, 64)) {
        esf_agg_free(a);
        return ESF_ERR_NOMEM;
    }
    return ESF_OK;
}

void esf_agg_free(esf_agg *a)
{
    esf_hset_free(&a->pset);
    esf_hset_free(&a->prset);
    esf_hset_free(&a->pairs);
    esf_hset_free(&a->gsets);
    esf_big_free(a->persons, a->persons_cap, sizeof *a->persons);
    esf_big_free(a->keys, a->keys_cap, 1);
    esf_big_free(a->states, a->states_cap, sizeof *a->states);
    esf_big_free(a->lasts, a->lasts_cap, sizeof *a->lasts);
    esf_big_free(a->wides, a->wides_cap, sizeof *a->wides);
    free(a->projects);
    esf_big_free(a->pkeys, a->pkeys_cap, 1);
    memset(a, 0, sizeof *a);
}

/* A probe: the key (bytes, or for len 0 a packed person code) and the bits
 * of its hash a slot keeps (aux). */
typedef struct {
    const esf_agg *a;
    const char *key;
    size_t len;
    uint64_t code;
    uint32_t tag;
} key_ctx;

static inline uint32_t hash_tag(uint64_t h)
{
    return (uint32_t)(h >> 32);
}

/* memcmp(x, y, n) == 0, inline for the short identifiers of every row. */
static inline bool bytes_eq(const char *x, const char *y, size_t n)
{
    uint64_t a, b, c, d;
    if (n < 8 || n > 16) return memcmp(x, y, n) == 0;
    memcpy(&a, x, 8), memcpy(&b, y, 8);           /* the first 8 bytes */
    memcpy(&c, x + n - 8, 8), memcpy(&d, y + n - 8, 8); /* and the last 8 */
    return ((a ^ b) | (c ^ d)) == 0;
}

/* A project id's hash: an id of up to 16 bytes (the usual) by the mixer of
 * its first and last bytes, inline; a longer one by XXH3. */
static inline uint64_t proj_hash(const char *p, size_t n)
{
    uint64_t a = 0, b = 0;
    if (n > 16) return XXH3_64bits(p, n);
    if (n >= 8) {
        memcpy(&a, p, 8), memcpy(&b, p + n - 8, 8);
    } else if (n >= 4) {
        uint32_t x, y;
        memcpy(&x, p, 4), memcpy(&y, p + n - 4, 4);
        a = x, b = y;
    } else if (n) {
        a = (uint64_t)(uint8_t)p[0] | (uint64_t)(uint8_t)p[n / 2] << 8 | (uint64_t)(uint8_t)p[n - 1] << 16;
    }
    return hset_mix64(a ^ (b << 29 | b >> 35) ^ (uint64_t)n << 58);
}

/* A slot whose tag matches is read further in the person it points to, which
 * the row then updates anyway. */
static bool person_eq(const void *ctx, const esf_slot *sl)
{
    const key_ctx *k = ctx;
    if (sl->aux != k->tag) return false;
    const uint64_t key = k->a->persons[hset_v(sl)].key;
    if (k->len == 0) return key == k->code;
    if (!(key & KEY_BYTES)) return false;
    const char *b = k->a->keys + (key & ~KEY_BYTES);
    return (unsigned char)b[0] == k->len && bytes_eq(b + 1, k->key, k->len);
}

/* A slot of the tag at ctx (a uint32_t): the person set's probe for a
 * prefetch. */
static bool tag_eq(const void *ctx, const esf_slot *sl)
{
    return sl->aux == *(const uint32_t *)ctx;
}

static bool project_eq(const void *ctx, const esf_slot *sl)
{
    const key_ctx *k = ctx;
    if (sl->aux != k->tag) return false;
    const esf_project *p = &k->a->projects[hset_v(sl)];
    return p->key_len == k->len && bytes_eq(k->a->pkeys + p->key_off, k->key, k->len);
}

/* The person set places a key by its tag, the hash bits its slot keeps, so
 * growing it reads no person (a cache miss for each otherwise). */
static inline uint64_t pset_place(uint32_t tag)
{
    return hset_fib(tag);
}

static uint64_t person_hash(const void *ctx, const esf_slot *sl)
{
    (void)ctx;
    return pset_place(sl->aux);
}

static uint64_t project_hash(const void *ctx, const esf_slot *sl)
{
    const esf_agg *a = ctx;
    const esf_project *p = &a->projects[hset_v(sl)];
    return proj_hash(a->pkeys + p->key_off, p->key_len);
}

/* A pair slot holds the whole key: v = project (bit 31: finished), aux = person.
 * It is placed by the person alone, so a person's pairs lie side by side and
 * esf_agg_prefetch can bring them in before the row's project is known. */
static inline uint64_t pair_hash_of(uint32_t pid)
{
    return hset_mix64(pid);
}

static uint64_t pair_hash(const void *ctx, const esf_slot *sl)
{
    (void)ctx;
    return pair_hash_of(sl->aux);
}

typedef struct {
    uint32_t prj, pid;
} pair_key;

static bool pair_eq(const void *ctx, const esf_slot *sl)
{
    const pair_key *k = ctx;
    return (hset_v(sl) & 0x7fffffffu) == k->prj && sl->aux == k->pid;
}

static esf_status append_bytes(char **buf, size_t *len, size_t *cap, const char *p, size_t n,
                               uint64_t *off)
{
    void *b = *buf;
    FORWARD_IF_ERROR(esf_big_grow(&b, cap, *len + n, 1));
    *buf = b;
    memcpy(*buf + *len, p, n);
    *off = *len;
    *len += n;
    return ESF_OK;
}

static esf_status intern_hashed(esf_agg *a, const esf_pkey *k, uint32_t *id)
{
    FORWARD_IF_ERROR(hset_reserve(&a->pset, person_hash, NULL));
    key_ctx ctx = {a, k->buf, k->len, k->code, hash_tag(k->h)};
    const size_t n = k->len;
    esf_slot *sl = hset_probe(&a->pset, pset_place(ctx.tag), person_eq, &ctx);
    if (hset_v(sl) != HSET_EMPTY) {
        *id = hset_v(sl);
        return ESF_OK;
    }
    RETURN_ERROR_IF(a->npersons >= HSET_EMPTY - 1, NULL, ESF_ERR_LIMIT, "too many persons");
    void *b = a->persons;
    FORWARD_IF_ERROR(esf_big_grow(&b, &a->persons_cap, a->npersons + 1, sizeof(esf_person)));
    a->persons = b;
    esf_person *p = &a->persons[a->npersons];
    memset(p, 0, sizeof *p);
    p->key = k->code;
    if (n) {
        char rec[1 + sizeof k->buf]; /* [length][key bytes] */
        uint64_t off;
        rec[0] = (char)n;
        memcpy(rec + 1, k->buf, n);
        FORWARD_IF_ERROR(append_bytes(&a->keys, &a->keys_len, &a->keys_cap, rec, 1 + n, &off));
        p->key = KEY_BYTES | off;
    }
    hset_set(sl, (uint32_t)a->npersons);
    sl->aux = ctx.tag;
    a->pset.n++;
    *id = (uint32_t)a->npersons++;
    return ESF_OK;
}

/* esf_pkey_make's keys that do not pack: the bytes, hashed by XXH3. */
void esf_pkey_bytes(esf_pkey *k, esf_view rps, esf_view rp)
{
    const size_t n = 1 + rps.len + rp.len;
    k->buf[0] = (char)rps.len;
    memcpy(k->buf + 1, rps.p, rps.len);
    memcpy(k->buf + 1 + rps.len, rp.p, rp.len);
    k->len = n;
    k->code = 0;
    k->h = XXH3_64bits(k->buf, n);
}

/* The index of project id (added when new). */
static esf_status intern_project(esf_agg *a, esf_view id, uint32_t *out)
{
    FORWARD_IF_ERROR(hset_reserve(&a->prset, project_hash, a));
    uint64_t h = proj_hash(id.p, id.len);
    key_ctx ctx = {a, id.p, id.len, 0, hash_tag(h)};
    esf_slot *sl = hset_probe(&a->prset, h, project_eq, &ctx);
    if (hset_v(sl) != HSET_EMPTY) {
        *out = hset_v(sl);
        return ESF_OK;
    }
    RETURN_ERROR_IF(a->nprojects >= 0x7ffffffe, NULL, ESF_ERR_LIMIT, "too many projects");
    void *b = a->projects;
    FORWARD_IF_ERROR(esf_grow(&b, &a->projects_cap, a->nprojects + 1, sizeof(esf_project)));
    a->projects = b;
    esf_project *p = &a->projects[a->nprojects];
    memset(p, 0, sizeof *p);
    FORWARD_IF_ERROR(append_bytes(&a->pkeys, &a->pkeys_len, &a->pkeys_cap, id.p, id.len, &p->key_off));
    p->key_len = (uint32_t)id.len;
    hset_set(sl, (uint32_t)a->nprojects);
    sl->aux = ctx.tag;
    a->prset.n++;
    *out = (uint32_t)a->nprojects++;
    return ESF_OK;
}

/* ---- last(p,G): esf_last, or whole in wides ------------------------------ */

#define CENT (ESF_NUM_SCALE / 100)

/* A number in hundredths below `empty`, which stands for no value. */
static bool num_pack(int64_t v, uint32_t empty, uint32_t *out)
{
    if (v == ESF_NUM_EMPTY) {
        *out = empty;
        return true;
    }
    if (v < 0 || v % CENT || v / CENT >= empty) return false;
    *out = (uint32_t)(v / CENT);
    return true;
}

static int64_t num_unpack(uint32_t c, uint32_t empty)
{
    return c == empty ? ESF_NUM_EMPTY : (int64_t)c * CENT;
}

/* The columns esf_traj and esf_last keep alike, copied from s to d (either
 * way round): one list, so neither direction can miss one. */
#define LAST_COPY_SAME(d, s)                                                                     \
    do {                                                                                         \
        (d)->project = (s)->project;                                                             \
        (d)->geb = (s)->geb, (d)->start = (s)->start, (d)->eind = (s)->eind;                     \
        (d)->eind_project = (s)->eind_project;                                                   \
        (d)->doelgroep = (s)->doelgroep;                                                         \
        (d)->aanvrager = (s)->aanvrager, (d)->geslacht = (s)->geslacht;                          \
        memcpy((d)->pos, (s)->pos, sizeof (d)->pos);                                             \
        memcpy((d)->contract, (s)->contract, sizeof (d)->contract);                              \
        memcpy((d)->srg, (s)->srg, sizeof (d)->srg);                                             \
        memcpy((d)->onderwijs, (s)->onderwijs, sizeof (d)->onderwijs);                           \
    } while (0)

static bool last_pack(const esf_traj *t, esf_last *l)
{
    for (int m = 0; m < M_COUNT; m++) {
        uint32_t u;
        if (!num_pack(t->uren[m], LAST_EMPTY16, &u) ||
            !num_pack(t->uurloon[m], LAST_EMPTY32, &l->uurloon[m]))
            return false;
        l->uren[m] = (uint16_t)u;
    }
    LAST_COPY_SAME(l, t);
    return true;
}

static void last_get(const esf_agg *a, uint32_t ref, esf_traj *t)
{
    if (ref & LAST_WIDE) {
        *t = a->wides[(ref & ~LAST_WIDE) - 1];
        return;
    }
    const esf_last *l = &a->lasts[ref - 1];
    for (int m = 0; m < M_COUNT; m++) {
        t->uren[m] = num_unpack(l->uren[m], LAST_EMPTY16);
        t->uurloon[m] = num_unpack(l->uurloon[m], LAST_EMPTY32);
    }
    LAST_COPY_SAME(t, l);
}
#undef LAST_COPY_SAME

/* Makes t the last of a state (*ref, 0 when it has none).  A wide state stays
 * wide; a packed one that turns wide leaves its esf_last unused (rare:
 * numbers beyond hundredths). */
static esf_status last_set(esf_agg *a, uint32_t *ref, const esf_traj *t)
{
    if (*ref & LAST_WIDE) {
        a->wides[(*ref & ~LAST_WIDE) - 1] = *t;
        return ESF_OK;
    }
    esf_last l;
    if (last_pack(t, &l)) {
        if (*ref) {
            a->lasts[*ref - 1] = l;
            return ESF_OK;
        }
        RETURN_ERROR_IF(a->nlasts >= LAST_WIDE - 1, NULL, ESF_ERR_LIMIT, "too many persons");
        void *b = a->lasts;
        FORWARD_IF_ERROR(esf_big_grow(&b, &a->lasts_cap, a->nlasts + 1, sizeof(esf_last)));
        a->lasts = b;
        a->lasts[a->nlasts++] = l;
        *ref = (uint32_t)a->nlasts;
        return ESF_OK;
    }
    RETURN_ERROR_IF(a->nwides >= LAST_WIDE - 1, NULL, ESF_ERR_LIMIT, "too many persons");
    void *b = a->wides;
    FORWARD_IF_ERROR(esf_big_grow(&b, &a->wides_cap, a->nwides + 1, sizeof(esf_traj)));
    a->wides = b;
    a->wides[a->nwides++] = *t;
    *ref = LAST_WIDE | (uint32_t)a->nwides;
    return ESF_OK;
}

/* ---- a person's states ------------------------------------------------- */

/* A gsets slot: v = index in states, aux = person; the group is the state's
 * (first.aanvrager), so the slot holds the whole key. */
typedef struct {
    const esf_agg *a;
    uint32_t pid;
    unsigned g;
} gkey;

static inline uint64_t gset_hash_of(uint32_t pid, unsigned g)
{
    return hset_mix64((uint64_t)pid << 2 | g);
}

static uint64_t gset_hash(const void *ctx, const esf_slot *sl)
{
    const esf_agg *a = ctx;
    return gset_hash_of(sl->aux, a->states[hset_v(sl)].first.aanvrager);
}

static bool gset_eq(const void *ctx, const esf_slot *sl)
{
    const gkey *k = ctx;
    return sl->aux == k->pid && k->a->states[hset_v(sl)].first.aanvrager == k->g;
}

static void gstate_view(const esf_agg *a, const esf_gstate *s, esf_gview *v)
{
    v->first = &s->first;
    v->dg = s->first.dg;
    v->has_last = s->last != 0;
    if (v->has_last) last_get(a, s->last, &v->last);
}

unsigned esf_person_views(const esf_agg *a, uint32_t pid, esf_gview v[AANV_COUNT])
{
    const esf_person *p = &a->persons[pid];
    if (!p->state) return 0;
    const esf_gstate *s = &a->states[(p->state & ~STATE_MORE) - 1];
    const unsigned g0 = s->first.aanvrager;
    unsigned mask = 1u << g0;
    gstate_view(a, s, &v[g0]);
    for (unsigned g = 0; (p->state & STATE_MORE) && g < AANV_COUNT; g++) {
        const gkey k = {a, pid, g};
        const esf_slot *sl;
        if (g == g0 || (sl = hset_probe(&a->gsets, gset_hash_of(pid, g), gset_eq, &k), hset_v(sl) == HSET_EMPTY))
            continue;
        gstate_view(a, &a->states[hset_v(sl)], &v[g]);
        mask |= 1u << g;
    }
    return mask;
}

void esf_gview_merge(const esf_agg *a, esf_gview *dst, const esf_gview *src)
{
    if (esf_first_cmp(a, src->first, dst->first) < 0) dst->first = src->first;
    if (src->has_last && (!dst->has_last || esf_traj_cmp_last(a, &src->last, &dst->last) < 0)) {
        dst->last = src->last;
        dst->has_last = true;
    }
    dst->dg |= src->dg;
}

/* Folds one trajectory into the state of person pid in its group
 * (f->aanvrager); last is NULL when it is not finished. */
static esf_status state_update(esf_agg *a, uint32_t pid, const esf_first *f, const esf_traj *last)
{
    const unsigned g = f->aanvrager;
    uint32_t si = a->persons[pid].state & ~STATE_MORE;
    esf_slot *sl = NULL;
    if (si && a->states[si - 1].first.aanvrager != g) { /* not the person's first group */
        FORWARD_IF_ERROR(hset_reserve(&a->gsets, gset_hash, a));
        const gkey k = {a, pid, g};
        sl = hset_probe(&a->gsets, gset_hash_of(pid, g), gset_eq, &k);
        si = sl->v1; /* v + 1, 0 when none */
    }
    if (!si) {
        RETURN_ERROR_IF(a->nstates >= STATE_MORE - 1, NULL, ESF_ERR_LIMIT, "too many persons");
        void *b = a->states;
        FORWARD_IF_ERROR(esf_big_grow(&b, &a->states_cap, a->nstates + 1, sizeof(esf_gstate)));
        a->states = b;
        esf_gstate *s = &a->states[a->nstates];
        s->first = *f;
        s->last = 0;
        if (sl) {
            hset_set(sl, (uint32_t)a->nstates);
            sl->aux = pid;
            a->gsets.n++;
            a->persons[pid].state |= STATE_MORE;
        } else {
            a->persons[pid].state = (uint32_t)a->nstates + 1;
        }
        a->nstates++;
        return last ? last_set(a, &s->last, last) : ESF_OK;
    }
    esf_gstate *s = &a->states[si - 1];
    const uint16_t dg = s->first.dg | f->dg;
    if (esf_first_cmp(a, f, &s->first) < 0) s->first = *f;
    s->first.dg = dg;
    if (!last) return ESF_OK;
    if (s->last) {
        esf_traj cur;
        last_get(a, s->last, &cur);
        if (esf_traj_cmp_last(a, last, &cur) >= 0) return ESF_OK;
    }
    return last_set(a, &s->last, last);
}

/* Marks that person pid has a trajectory in project prj (finished or not). */
static esf_status pair_mark(esf_agg *a, uint32_t prj, uint32_t pid, bool finished)
{
    /* Most persons have one project: it lives beside their state. */
    uint32_t *p0 = &a->persons[pid].proj0;
    if (*p0 == 0) {
        *p0 = prj + 1;
        /* A person's rows often come together, too close for esf_agg_prefetch
         * (which finds the person only once it is in the set). */
        __builtin_prefetch(&a->pairs.slots[pair_hash_of(pid) & a->pairs.mask]);
    }
    if ((*p0 & 0x7fffffffu) == prj + 1) {
        if (finished) *p0 |= 0x80000000u;
        return ESF_OK;
    }
    FORWARD_IF_ERROR(hset_reserve(&a->pairs, pair_hash, NULL));
    const pair_key key = {prj, pid};
    esf_slot *sl = hset_probe(&a->pairs, pair_hash_of(pid), pair_eq, &key);
    if (hset_v(sl) == HSET_EMPTY) {
        hset_set(sl, prj);
        sl->aux = pid;
        a->pairs.n++;
    }
    if (finished) hset_set(sl, prj | 0x80000000u); /* finished in this project */
    return ESF_OK;
}

/* One dependent level per stage: each reads what the stage before brought
 * in, so the caller spaces the stages a few rows apart.  Only reads. */
void esf_agg_prefetch(const esf_agg *a, const esf_pkey *k, unsigned stage, uint32_t *pid)
{
    switch (stage) {
    case 0:
        __builtin_prefetch(&a->pset.slots[pset_place(hash_tag(k->h)) & a->pset.mask]);
        *pid = HSET_EMPTY;
        return;
    case 1: { /* by the tag alone: reading the person's key to be sure would
                 wait for the very line this stage fetches (a tag shared by
                 another person fetches that one, to no harm) */
        const uint32_t tag = hash_tag(k->h);
        *pid = hset_v(hset_probe(&a->pset, pset_place(tag), tag_eq, &tag));
        if (*pid != HSET_EMPTY) __builtin_prefetch(&a->persons[*pid]);
        return;
    }
    default: {
        if (*pid == HSET_EMPTY) return;
        const uint32_t si = a->persons[*pid].state & ~STATE_MORE;
        if (!si) return;
        if (stage == 2) {
            __builtin_prefetch(&a->states[si - 1]);
            /* a second project of the person's would be in pairs */
            __builtin_prefetch(&a->pairs.slots[pair_hash_of(*pid) & a->pairs.mask]);
            return;
        }
        const uint32_t last = a->states[si - 1].last;
        if (last & LAST_WIDE) __builtin_prefetch(&a->wides[(last & ~LAST_WIDE) - 1]);
        else if (last) __builtin_prefetch(&a->lasts[last - 1]);
        return;
    }
    }
}

/* Asks for the pages of a table's elements for rows more after its n (of
 * cap) and 256 KiB beyond, when they are not yet (*ready: the elements asked for so far): no
 * page asked for twice, a call every few rounds (one per round and table
 * cost about 5% of the CPU time of a run on 10M rows here), and what the run
 * never writes is at most those 256 KiB a table. */
static void ready_ahead(void *base, size_t sz, size_t n, size_t rows, size_t cap, size_t *ready)
{
    enum { AHEAD = 256 << 10 };
    const size_t need = n + rows;
    if (need <= *ready) return;
    const size_t from = *ready > n ? *ready : n;
    size_t to = need + AHEAD / sz;
    if (to > cap) to = cap;
    esf_populate((char *)base + from * sz, (to - from) * sz);
    *ready = to;
}

esf_status esf_agg_reserve(esf_agg *a, size_t rows)
{
    if (!rows) return ESF_OK; /* (a partition no row of the round went to: its tables may be none yet) */
    void *b = a->persons;
    FORWARD_IF_ERROR(esf_big_grow(&b, &a->persons_cap, a->npersons + rows, sizeof(esf_person)));
    a->persons = b, b = a->states;
    FORWARD_IF_ERROR(esf_big_grow(&b, &a->states_cap, a->nstates + rows, sizeof(esf_gstate)));
    a->states = b, b = a->lasts;
    FORWARD_IF_ERROR(esf_big_grow(&b, &a->lasts_cap, a->nlasts + rows, sizeof(esf_last)));
    a->lasts = b;
    ready_ahead(a->persons, sizeof *a->persons, a->npersons, rows, a->persons_cap, &a->ready[0]);
    ready_ahead(a->states, sizeof *a->states, a->nstates, rows, a->states_cap, &a->ready[1]);
    ready_ahead(a->lasts, sizeof *a->lasts, a->nlasts, rows, a->lasts_cap, &a->ready[2]);
    return ESF_OK;
}

esf_status esf_agg_add(esf_agg *a, esf_row *row, const esf_pkey *key)
{
    uint32_t pid = 0, prj = 0;
    esf_pkey k;
    if (!key) esf_pkey_make(&k, row->rinpersoons, row->rinpersoon), key = &k;
    FORWARD_IF_ERROR(intern_hashed(a, key, &pid));
    FORWARD_IF_ERROR(intern_project(a, row->project, &prj));
    esf_traj *t = &row->t;
    t->project = prj;
    const esf_first f = {t->start, t->geb, t->eind, t->eind_project, prj, t->doelgroep, t->doelgroep,
                         t->aanvrager, t->geslacht, t->pos[M_START]};
    const bool finished = traj_finished(t);
    FORWARD_IF_ERROR(state_update(a, pid, &f, finished ? t : NULL));
    if (!a->start_min || t->start < a->start_min) a->start_min = t->start;
    if (t->start > a->start_max) a->start_max = t->start;
    if (finished && (!a->eind_min || t->eind < a->eind_min)) a->eind_min = t->eind;
    if (finished && t->eind > a->eind_max) a->eind_max = t->eind;
    a->projects[prj].trajecten++;
    a->projects[prj].by_aanvrager[t->aanvrager]++;
    return pair_mark(a, prj, pid, finished);
}
