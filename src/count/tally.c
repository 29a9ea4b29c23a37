/* tally.c - stage 5a: persons into counters (see tally.h). */
#include "tally.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static int age_cat(const esf_first *first)
{
    if (!first->geb) return 3;
    int age = esf_age_years(first->geb, first->start);
    return age < 28 ? 0 : age < 50 ? 1 : 2;
}

static bool verbeterd(const esf_traj *t, int m)
{
    if (t->pos[M_START] != POS_WERKZAAM || t->pos[m] != POS_WERKZAAM) return false;
    return (t->contract[M_START] == CONTRACT_TIJDELIJK && t->contract[m] == CONTRACT_VAST) ||
           (t->uren[M_START] >= 0 && t->uren[m] > t->uren[M_START]) ||
           (t->uurloon[M_START] >= 0 && t->uurloon[m] > t->uurloon[M_START]) ||
           (t->srg[M_START] == BOOL_YES && t->srg[m] == BOOL_NO);
}

static bool werk(const esf_traj *t, int m)
{
    return (t->pos[M_START] == POS_NIET_WERKZAAM || t->pos[M_START] == POS_INACTIEF) &&
           t->pos[m] == POS_WERKZAAM;
}

static int state_of(const esf_traj *t, int m)
{
    return verbeterd(t, m) ? S_VERBETERD : 1 + t->pos[m];
}

/* Counts one person's view in each slot of gmask (a person in one applicant
 * group g has the same view there, in amr and in totaal: slot G_ONLY + g). */
static void count_person(esf_tally *c, uint64_t (*attr)[A_COUNT], unsigned gmask, const esf_gview *s,
                         int32_t peildatum)
{
    /* totaal, leeftijd, geslacht and positie as one combination (expand_combos) */
    const int combo = (age_cat(s->first) * SEX_COUNT + s->first->geslacht) * POS_COUNT +
                      s->first->pos_start;
    int cats[DG_COUNT], nc = 0;
    for (unsigned m = s->dg; m; m &= m - 1) cats[nc++] = C_DOELGROEP + __builtin_ctz(m);
    const int sy = year_of(s->first->start);
    for (unsigned gm = gmask; gm; gm &= gm - 1) {
        const int g = __builtin_ctz(gm);
        c->deel_combo[g][combo]++;
        for (int i = 0; i < nc; i++) c->deel[g][cats[i]]++;
        c->deel_year[g][sy]++;
    }
    if (!s->has_last) return;

    const esf_traj *L = &s->last;
    /* results by L's position at its start (SPEC §5: they reconcile with
     * werk, verbeterd and the start_eind transitions), age and sex by first */
    const int rcombo = combo - s->first->pos_start + L->pos[M_START];
    const unsigned r0 = 1u << R_AFGEROND | (unsigned)werk(L, M_EIND) << R_WERK_EIND |
                       (unsigned)werk(L, M_12M) << R_WERK_12M |
                       (unsigned)verbeterd(L, M_EIND) << R_VERBETERD_EIND |
                       (unsigned)verbeterd(L, M_12M) << R_VERBETERD_12M |
                       (unsigned)(L->pos[M_EIND] == POS_ONBEKEND) << R_ONBEKEND_EIND |
                       (unsigned)(L->pos[M_12M] == POS_ONBEKEND) << R_ONBEKEND_12M |
                       (unsigned)(L->onderwijs[M_EIND] == BOOL_YES) << R_ONDERWIJS_EIND |
                       (unsigned)(L->onderwijs[M_12M] == BOOL_YES) << R_ONDERWIJS_12M;
    /* not yet 12 months after L ended at the reference date (SPEC §5) */
    unsigned r = r0;
    if (ESF_UNLIKELY(peildatum) && esf_plus_12_months(L->eind) > peildatum)
        r |= 1u << R_NIET_WAARNEEMBAAR_12M | ((r0 >> R_WERK_12M | r0 >> R_VERBETERD_12M) & 1u) << R_NW_RESULT_12M |
             (r0 >> R_ONBEKEND_12M & 1u) << R_NW_ONBEKEND_12M;
    const int se = state_of(L, M_EIND), s12 = state_of(L, M_12M);
    const int ey = year_of(L->eind);
    for (unsigned gm = gmask; gm; gm &= gm - 1) {
        const int g = __builtin_ctz(gm);
        for (unsigned k = r; k; k &= k - 1) c->res_combo[g][rcombo][__builtin_ctz(k)]++;
        for (int i = 0; i < nc; i++)
            for (unsigned k = r; k; k &= k - 1) c->res[g][cats[i]][__builtin_ctz(k)]++;
        for (unsigned k = r; k; k &= k - 1) c->res_year[g][ey][__builtin_ctz(k)]++;
        c->se[g][L->pos[M_START]][se]++;
        c->e12[g][se][s12]++;
    }
    if (gmask & (1u << G_TOTAAL | ONLY_MASK)) { /* each finished person once, in last(p,totaal)'s project */
        uint64_t *a = attr[L->project];
        a[A_TOEGEREKEND]++;
        a[A_WERK_EIND] += r >> R_WERK_EIND & 1u;
        a[A_WERK_12M] += r >> R_WERK_12M & 1u;
        a[A_VERBETERD_EIND] += r >> R_VERBETERD_EIND & 1u;
        a[A_VERBETERD_12M] += r >> R_VERBETERD_12M & 1u;
    }

    if (gmask & (1u << G_JENV | 1u << (G_ONLY + G_JENV))) {
        bool result = L->pos[M_EIND] == POS_WERKZAAM || L->onderwijs[M_EIND] == BOOL_YES;
        bool result2018 = L->pos[M_EIND] == POS_WERKZAAM ||
                          (L->onderwijs[M_START] == BOOL_NO && L->onderwijs[M_EIND] == BOOL_YES);
        for (int j = 0; j < J_COUNT; j++) {
            const unsigned pop = 1u << esf_jenv_dg[j][0] | 1u << esf_jenv_dg[j][1];
            if (!(s->dg & pop)) continue;
            c->jpop[j]++;
            c->jnum[j] += result;
            c->jnum2018[j] += result2018;
        }
    }
}

/* The applicant groups counted together as amr. */
static inline bool in_amr(int g)
{
    return g == AANV_GEMEENTE || g == AANV_VSOPRO;
}

static void count_all(const esf_agg *a, esf_tally *c, uint64_t (*attr)[A_COUNT], int32_t pd)
{
    for (size_t i = 0; i < a->npersons; i++) {
        esf_gview v[AANV_COUNT], amr, tot;
        const unsigned groups = esf_person_views(a, (uint32_t)i, v);
        if (!groups) continue;
        if (!(groups & (groups - 1))) { /* one group: one view for all three */
            const int g = __builtin_ctz(groups);
            count_person(c, attr, 1u << (G_ONLY + g), &v[g], pd);
            continue;
        }
        bool has_amr = false, has_tot = false;
        for (int g = 0; g < AANV_COUNT; g++) {
            if (!(groups & 1u << g)) continue;
            count_person(c, attr, 1u << g, &v[g], pd);
            if (in_amr(g)) {
                if (has_amr) esf_gview_merge(a, &amr, &v[g]);
                else amr = v[g], has_amr = true;
            }
            if (has_tot) esf_gview_merge(a, &tot, &v[g]);
            else tot = v[g], has_tot = true;
        }
        if (has_amr) count_person(c, attr, 1u << G_AMR, &amr, pd);
        if (has_tot) count_person(c, attr, 1u << G_TOTAAL, &tot, pd);
    }
}

/* Adds each combination's persons to their categories totaal, leeftijd,
 * geslacht and positie, in every slot. */
static void expand_combos(esf_tally *c)
{
    for (int g = 0; g < G_SLOTS; g++)
        for (int k = 0; k < N_COMBOS; k++) {
            const int cats[4] = {C_TOTAAL, C_LEEFTIJD + k / (SEX_COUNT * POS_COUNT),
                                 C_GESLACHT + k / POS_COUNT % SEX_COUNT, C_POSITIE + k % POS_COUNT};
            for (int i = 0; i < 4; i++) {
                c->deel[g][cats[i]] += c->deel_combo[g][k];
                for (int r = 0; r < R_COUNT; r++) c->res[g][cats[i]][r] += c->res_combo[g][k][r];
            }
        }
}

/* Adds the persons of one group alone (slots G_ONLY + g of each counter
 * array, n counters a slot) to their group, amr and totaal. */
static void fold_only_array(uint64_t *a, size_t n)
{
    for (int g = 0; g < AANV_COUNT; g++) {
        const uint64_t *o = a + (size_t)(G_ONLY + g) * n;
        uint64_t *dg = a + (size_t)g * n, *amr = a + (size_t)G_AMR * n, *tot = a + (size_t)G_TOTAAL * n;
        for (size_t i = 0; i < n; i++) {
            dg[i] += o[i];
            if (in_amr(g)) amr[i] += o[i];
            tot[i] += o[i];
        }
    }
}

static void fold_only(esf_tally *c)
{
#define FOLD(arr) fold_only_array((uint64_t *)c->arr, sizeof c->arr[0] / sizeof(uint64_t))
    FOLD(deel);
    FOLD(res);
    FOLD(deel_year);
    FOLD(res_year);
    FOLD(se);
    FOLD(e12);
#undef FOLD
}

/* Widens span to the years of a partition's dates lo..hi (0: none). */
static void span_widen(int span[2], int32_t lo, int32_t hi)
{
    if (lo && year_of(lo) < span[0]) span[0] = year_of(lo);
    if (hi && year_of(hi) > span[1]) span[1] = year_of(hi);
}

esf_year_span esf_year_span_of(const esf_agg *parts, size_t nparts)
{
    esf_year_span y = {{N_YEARS, -1}, {N_YEARS, -1}};
    for (size_t k = 0; k < nparts; k++) {
        span_widen(y.start, parts[k].start_min, parts[k].start_max);
        span_widen(y.eind, parts[k].eind_min, parts[k].eind_max);
    }
    return y;
}

static void add_words(uint64_t *d, const uint64_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++) d[i] += s[i];
}

/* Adds a partition's counters to d: the years only where some are counted
 * (no person of any partition has another, so the rest are 0). */
static void tally_add(esf_tally *d, const esf_tally *s, const esf_year_span *ys)
{
    _Static_assert(offsetof(esf_tally, res_year) == offsetof(esf_tally, deel_year) +
                                                       sizeof d->deel_year &&
                       sizeof(esf_tally) == offsetof(esf_tally, res_year) + sizeof d->res_year,
                   "the years are the last counters");
    add_words((uint64_t *)d, (const uint64_t *)s, offsetof(esf_tally, deel_year) / sizeof(uint64_t));
    for (int g = 0; g < G_SLOTS; g++) {
        if (ys->start[0] <= ys->start[1])
            add_words(&d->deel_year[g][ys->start[0]], &s->deel_year[g][ys->start[0]],
                      (size_t)(ys->start[1] - ys->start[0]) + 1);
        if (ys->eind[0] <= ys->eind[1])
            add_words(d->res_year[g][ys->eind[0]], s->res_year[g][ys->eind[0]],
                      ((size_t)(ys->eind[1] - ys->eind[0]) + 1) * R_COUNT);
    }
}

typedef struct {
    const esf_agg *a;
    esf_tally c;
    uint64_t (*attr)[A_COUNT]; /* per project of a */
    int32_t peildatum;
    pthread_t tid;
    bool started;
} count_job;

static void *count_main(void *arg)
{
    count_job *j = arg;
    count_all(j->a, &j->c, j->attr, j->peildatum);
    return NULL;
}

esf_status esf_tally_persons(const esf_agg *parts, size_t nparts, int32_t peildatum, esf_tally *c,
                             uint64_t (**attr)[A_COUNT])
{
    memset(c, 0, sizeof *c);
    /* (a tally each: from 64 KiB the kernel's zeroed pages, not cleared again) */
    const size_t njobs = nparts ? nparts : 1;
    count_job *jobs = esf_big_zalloc(njobs, sizeof *jobs);
    if (!jobs) return ESF_ERR_NOMEM;
    for (size_t k = 0; k < nparts; k++) {
        jobs[k].a = &parts[k];
        jobs[k].peildatum = peildatum;
        jobs[k].attr = attr[k] = calloc(parts[k].nprojects ? parts[k].nprojects : 1, sizeof *attr[k]);
        if (!attr[k]) {
            for (size_t i = 0; i <= k; i++) free(attr[i]), attr[i] = NULL;
            esf_big_free(jobs, njobs, sizeof *jobs);
            return ESF_ERR_NOMEM;
        }
    }
    /* The partitions hold different persons: count them on their own
     * threads, then add up. */
    for (size_t k = 1; k < nparts; k++)
        jobs[k].started = esf_thread_start(&jobs[k].tid, count_main, &jobs[k]) == 0;
    const esf_year_span ys = esf_year_span_of(parts, nparts);
    for (size_t k = 0; k < nparts; k++) {
        if (k == 0 || !jobs[k].started) count_main(&jobs[k]);
        else pthread_join(jobs[k].tid, NULL);
        tally_add(c, &jobs[k].c, &ys);
    }
    expand_combos(c);
    fold_only(c);
    esf_big_free(jobs, njobs, sizeof *jobs);
    return ESF_OK;
}
