/* tables.c - stage 5: finalise every table of SPEC §5 (see tables.h). */
#include "tables.h"

#include "count/count.h"

#include <stdlib.h>
#include <string.h>

/* ---- cells ------------------------------------------------------------- */

/* The key's five parts packed, table first (bits: 4, 5, 5, 18, 32). */
static uint64_t pack(esf_table table, uint32_t gid, esf_dim dim, unsigned ci, esf_measure measure)
{
    return (uint64_t)table << 60 | (uint64_t)dim << 55 | (uint64_t)measure << 50 |
           (uint64_t)(ci & 0x3ffffu) << 32 | gid;
}
_Static_assert(TB_COUNT <= 16 && DIM_COUNT <= 32 && MS_COUNT <= 32, "the key's bits (pack)");

void esf_cat_name(esf_dim dim, unsigned ci, char *dst, size_t len)
{
    const char *name = "";
    switch (dim) {
    case DIM_TOTAAL: name = "totaal"; break;
    case DIM_LEEFTIJD: name = ci < AGE_COUNT ? esf_age_names[ci] : ""; break;
    case DIM_GESLACHT: name = ci < SEX_COUNT ? esf_sex_names[ci] : ""; break;
    case DIM_POSITIE_START: name = ci < POS_COUNT ? esf_pos_names[ci] : ""; break;
    case DIM_DOELGROEP: name = ci < DG_COUNT ? esf_dg_names[ci] : ""; break;
    case DIM_STARTJAAR:
    case DIM_EINDJAAR: esf_u64_text(dst, len, YEAR_MIN + ci); return;
    case DIM_START_EIND:
    case DIM_EIND_12M: { /* FROM>TO */
        esf_copy_cut(dst, len, dim == DIM_START_EIND ? esf_pos_names[ci / S_COUNT % POS_COUNT]
                                                     : esf_state_names[ci / S_COUNT % S_COUNT]);
        const size_t n = strlen(dst);
        if (n + 1 < len) dst[n] = '>', esf_copy_cut(dst + n + 1, len - n - 1, esf_state_names[ci % S_COUNT]);
        return;
    }
    case DIM_INDICATOR: name = ci < N_INDICATORS ? esf_indicators[ci].name : ""; break;
    case DIM_AANVRAGER: name = ci < AANV_COUNT ? esf_aanvrager_names[ci] : ""; break;
    case DIM_RIJEN: name = ci < ROW_COUNT ? esf_row_names[ci] : ""; break;
    case DIM_AFWIJZING: name = ci < ESF_REJ_COUNT ? esf_reject_name((esf_reject_reason)ci) : ""; break;
    case DIM_COUNT: break;
    }
    esf_copy_cut(dst, len, name);
}

/* A cell of a group of the schema's (gid < G_COUNT) or of invoer; a
 * project's name is set by the caller. */
static esf_tcell *add(esf_tables *t, esf_table table, uint32_t gid, esf_dim dim, unsigned ci,
                      esf_measure measure)
{
    if (t->n == t->cap) {
        void *b = t->cells;
        if (esf_grow(&b, &t->cap, t->n + 1, sizeof *t->cells) != ESF_OK) return NULL;
        t->cells = b;
    }
    esf_tcell *c = &t->cells[t->n++];
    memset(c, 0, sizeof *c);
    c->table = (uint8_t)table, c->dim = (uint8_t)dim, c->measure = (uint8_t)measure;
    c->ci = (uint16_t)ci;
    c->gid = gid;
    c->group = table == TB_INVOER ? "invoer" : table == TB_PROJECTEN ? "" : esf_group_names[gid];
    c->group_len = (uint32_t)strlen(c->group);
    esf_cat_name(dim, ci, c->cat, sizeof c->cat);
    return c;
}

#define ADD_OR_FAIL(var, ...)                                                         \
    esf_tcell *var = add(__VA_ARGS__);                                                \
    if (!var) return ESF_ERR_NOMEM

static esf_status add_count(esf_tables *t, cell_kind kind, uint64_t v, esf_table table, int g,
                            esf_dim dim, unsigned ci, esf_measure measure)
{
    ADD_OR_FAIL(c, t, table, (uint32_t)g, dim, ci, measure);
    c->kind = (uint8_t)kind;
    c->value = v;
    return ESF_OK;
}

/* The target as given, and as m / p10 for its typed value. */
static esf_status add_target(esf_tables *t, const char *text, unsigned __int128 m, unsigned __int128 p10,
                             int g, int ind)
{
    ADD_OR_FAIL(c, t, TB_INDICATOREN, (uint32_t)g, DIM_INDICATOR, (unsigned)ind, MS_STREEFWAARDE);
    c->kind = CELL_TEXT;
    c->target_m = m, c->target_p10 = p10;
    esf_copy_cut(c->text, sizeof c->text, text);
    return ESF_OK;
}

/* A derived cell: its text from the exact counts (esf_derive_text). */
static esf_status add_derived(esf_tables *t, esf_derive how, uint64_t dep0, uint64_t dep1,
                              unsigned __int128 m, unsigned __int128 p10, int g, int ind,
                              esf_measure measure)
{
    ADD_OR_FAIL(c, t, TB_INDICATOREN, (uint32_t)g, DIM_INDICATOR, (unsigned)ind, measure);
    c->kind = CELL_DERIVED;
    c->derive = (uint8_t)how;
    c->dep[0] = dep0;
    c->dep[1] = dep1;
    c->ndep = how == DERIVE_OI_PROCENT || how == DERIVE_OI_BEHAALD ? 1 : 2;
    c->target_m = m, c->target_p10 = p10;
    esf_derive_text(c, dep0, dep1, c->text, sizeof c->text);
    return ESF_OK;
}

void esf_tenths_format(unsigned __int128 tenths, char *dst, size_t len)
{
    char tmp[48];
    size_t n = 0;
    unsigned __int128 whole = tenths / 10;
    do {
        tmp[n++] = (char)('0' + (int)(whole % 10));
        whole /= 10;
    } while (whole && n < sizeof tmp - 1);
    size_t o = 0;
    while (n && o + 3 < len) dst[o++] = tmp[--n];
    if (o + 3 <= len) {
        dst[o++] = '.';
        dst[o++] = (char)('0' + (int)(tenths % 10));
    }
    dst[o] = '\0';
}

/* A target "m / 10^k": mantissa and power of ten, parsed from its text. */
static void target_parse(const char *s, unsigned __int128 *m, unsigned __int128 *pow10)
{
    *m = 0;
    *pow10 = 1;
    bool frac = false;
    for (; *s; s++) {
        if (*s == '.' || *s == ',') {
            frac = true;
            continue;
        }
        *m = *m * 10 + (unsigned)(*s - '0');
        if (frac) *pow10 *= 10;
    }
}

void esf_tables_percent(unsigned __int128 num, unsigned __int128 den, char *dst, size_t len)
{
    if (den == 0) {
        dst[0] = '\0';
        return;
    }
    esf_tenths_format((num * 2000 + den) / (2 * den), dst, len);
}

void esf_derive_text(const esf_tcell *c, uint64_t a, uint64_t b, char *dst, size_t len)
{
    const unsigned __int128 m = c->target_m, p10 = c->target_p10;
    switch ((esf_derive)c->derive) {
    case DERIVE_OI_PROCENT: esf_tables_percent((unsigned __int128)a * p10, m, dst, len); return;
    case DERIVE_OI_BEHAALD: esf_copy_cut(dst, len, (unsigned __int128)a * p10 >= m ? "1" : "0"); return;
    case DERIVE_RI_PROCENT: esf_tables_percent(a, b, dst, len); return;
    case DERIVE_RI_BEHAALD: /* the exact ratio decides, not the rounded one */
        esf_copy_cut(dst, len, b == 0 ? "" : (unsigned __int128)a * 100 * p10 >= m * b ? "1" : "0");
        return;
    }
    esf_copy_cut(dst, len, c->text);
}

static esf_status add_indicators(esf_tables *t, const esf_tally *c, const esf_targets *targets)
{
    const uint64_t(*res)[C_COUNT][R_COUNT] = c->res;
    for (int i = 0; i < N_INDICATORS; i++) {
        const char *target = targets && targets->value[i][0] ? targets->value[i] : esf_indicators[i].target;
        int g = esf_indicators[i].group;
        unsigned __int128 m, p10;
        target_parse(target, &m, &p10);
        FORWARD_IF_ERROR(add_target(t, target, m, p10, g, i));
        if (esf_indicators[i].kind == IND_OI) {
            const uint64_t w = esf_indicators[i].num == NUM_SOM
                                   ? c->deel[G_GEMEENTE][C_TOTAAL] + c->deel[G_VSOPRO][C_TOTAAL]
                                   : c->deel[g][C_TOTAAL];
            FORWARD_IF_ERROR(add_count(t, CELL_PERSONS, w, TB_INDICATOREN, g, DIM_INDICATOR, (unsigned)i,
                                       MS_WAARDE));
            FORWARD_IF_ERROR(add_derived(t, DERIVE_OI_PROCENT, w, 0, m, p10, g, i, MS_PROCENT));
            FORWARD_IF_ERROR(add_derived(t, DERIVE_OI_BEHAALD, w, 0, m, p10, g, i, MS_BEHAALD));
            continue;
        }
        uint64_t teller = 0, noemer = 0;
        const uint64_t *tot = res[g][C_TOTAAL];
        const esf_indicator *ind = &esf_indicators[i];
        const int j = ind->den == DEN_DETENTIE ? J_RI5 : J_RI6; /* the JenV populations */
        switch (ind->den) {
        case DEN_AFGEROND: noemer = tot[R_AFGEROND]; break;
        case DEN_AFGEROND_12M: noemer = tot[R_AFGEROND] - tot[R_ONBEKEND_12M]; break;
        case DEN_DETENTIE:
        case DEN_JEUGD: noemer = c->jpop[j]; break;
        case DEN_NONE: break;
        }
        if (ind->num == NUM_12M && (ind->den == DEN_AFGEROND || ind->den == DEN_AFGEROND_12M)) {
            /* not observable at the reference date: out of noemer (SPEC §5);
             * of _bekend's those not onbekend_12m (the others are out already) */
            noemer -= ind->den == DEN_AFGEROND ? tot[R_NIET_WAARNEEMBAAR_12M]
                                               : tot[R_NIET_WAARNEEMBAAR_12M] - tot[R_NW_ONBEKEND_12M];
        }
        switch (ind->num) {
        case NUM_EIND: teller = tot[R_WERK_EIND] + tot[R_VERBETERD_EIND]; break;
        case NUM_12M: teller = tot[R_WERK_12M] + tot[R_VERBETERD_12M] - tot[R_NW_RESULT_12M]; break;
        case NUM_JENV: teller = c->jnum[j]; break;
        case NUM_JENV_2018: teller = c->jnum2018[j]; break;
        case NUM_NONE:
        case NUM_SOM: break; /* OI, above */
        }
        FORWARD_IF_ERROR(add_count(t, CELL_PERSONS, teller, TB_INDICATOREN, g, DIM_INDICATOR,
                                   (unsigned)i, MS_TELLER));
        FORWARD_IF_ERROR(add_count(t, CELL_PERSONS, noemer, TB_INDICATOREN, g, DIM_INDICATOR,
                                   (unsigned)i, MS_NOEMER));
        FORWARD_IF_ERROR(add_derived(t, DERIVE_RI_PROCENT, teller, noemer, m, p10, g, i, MS_PROCENT));
        FORWARD_IF_ERROR(add_derived(t, DERIVE_RI_BEHAALD, teller, noemer, m, p10, g, i, MS_BEHAALD));
    }
    return ESF_OK;
}

/* The dimension and category of a category index C_ of the tally. */
static esf_dim cat_of(int cat, unsigned *ci)
{
    static const struct {
        int first;
        esf_dim dim;
    } from[] = {{C_DOELGROEP, DIM_DOELGROEP}, {C_POSITIE, DIM_POSITIE_START}, {C_GESLACHT, DIM_GESLACHT},
                {C_LEEFTIJD, DIM_LEEFTIJD}, {C_TOTAAL, DIM_TOTAAL}};
    size_t k = 0;
    while (cat < from[k].first) k++;
    *ci = (unsigned)(cat - from[k].first);
    return from[k].dim;
}

/* Whether result r is published: niet_waarneembaar_12m only with a
 * reference date. */
static bool published(const esf_tables *t, int r)
{
    return r != R_NIET_WAARNEEMBAAR_12M || t->peildatum;
}

static esf_status add_person_tables(esf_tables *t, const esf_tally *c, const esf_year_span *ys)
{
    for (int g = 0; g < G_COUNT; g++) {
        for (int k = 0; k < C_COUNT; k++) {
            unsigned ci;
            const esf_dim dim = cat_of(k, &ci);
            FORWARD_IF_ERROR(add_count(t, CELL_PERSONS, c->deel[g][k], TB_DEELNEMERS, g, dim, ci, MS_N));
            for (int r = 0; r < R_PUBLISHED; r++)
                if (published(t, r)) FORWARD_IF_ERROR(add_count(t, CELL_PERSONS, c->res[g][k][r], TB_RESULTATEN, g, dim, ci,
                                           esf_result_measure(r)));
        }
        for (int y = ys->start[0]; y <= ys->start[1]; y++)
            FORWARD_IF_ERROR(add_count(t, CELL_PERSONS, c->deel_year[g][y], TB_DEELNEMERS, g, DIM_STARTJAAR,
                                       (unsigned)y, MS_N));
        for (int y = ys->eind[0]; y <= ys->eind[1]; y++)
            for (int r = 0; r < R_PUBLISHED; r++)
                if (published(t, r)) FORWARD_IF_ERROR(add_count(t, CELL_PERSONS, c->res_year[g][y][r], TB_RESULTATEN, g,
                                           DIM_EINDJAAR, (unsigned)y, esf_result_measure(r)));
        for (int f = 0; f < POS_COUNT; f++)
            for (int s = 0; s < S_COUNT; s++) {
                /* only who starts working can improve (SPEC §4): the rest of
                 * *>verbeterd is structurally empty */
                const bool structural = s == S_VERBETERD && f != POS_WERKZAAM;
                FORWARD_IF_ERROR(add_count(t, structural ? CELL_STRUCTURAL : CELL_PERSONS, c->se[g][f][s],
                                           TB_OVERGANGEN, g, DIM_START_EIND, esf_trans_cat(f, s), MS_N));
            }
        for (int f = 0; f < S_COUNT; f++)
            for (int s = 0; s < S_COUNT; s++)
                FORWARD_IF_ERROR(add_count(t, CELL_PERSONS, c->e12[g][f][s], TB_OVERGANGEN, g, DIM_EIND_12M,
                                           esf_trans_cat(f, s), MS_N));
    }
    return ESF_OK;
}

/* One project of one partition, or (after combine) of all. */
enum { P_DEELNEMERS, P_TRAJECTEN, P_AFGEROND, P_ATTR, P_AANV = P_ATTR + A_COUNT, P_COUNT = P_AANV + AANV_COUNT };
typedef struct {
    const char *id;
    uint32_t len;
    uint64_t v[P_COUNT]; /* deelnemers, trajecten, afgerond, the A_ counts, trajecten by applicant */
} proj_sum;

static int cmp_str(const char *a, size_t al, const char *b, size_t bl)
{
    int c = memcmp(a, b, al < bl ? al : bl);
    if (c) return c;
    return al < bl ? -1 : al > bl;
}

static int proj_sum_cmp(const void *pa, const void *pb)
{
    const proj_sum *a = pa, *b = pb;
    return cmp_str(a->id, a->len, b->id, b->len);
}

/* Appends a partition's projects: its persons are in no other partition, so
 * the counts of the partitions add up. */
static void project_sums(const esf_agg *a, const uint64_t (*attr)[A_COUNT], proj_sum *out)
{
    if (!a->nprojects) return; /* no project: no person, no pair */
    for (size_t p = 0; p < a->nprojects; p++) {
        out[p] = (proj_sum){a->pkeys + a->projects[p].key_off, a->projects[p].key_len,
                            {0, a->projects[p].trajecten, 0}};
        for (int m = 0; m < A_COUNT; m++) out[p].v[P_ATTR + m] = attr[p][m];
        for (int g = 0; g < AANV_COUNT; g++) out[p].v[P_AANV + g] = a->projects[p].by_aanvrager[g];
    }
    for (size_t i = 0; i < a->npersons; i++) {
        const uint32_t p0 = a->persons[i].proj0;
        if (!p0) continue;
        out[(p0 & 0x7fffffffu) - 1].v[0]++;
        out[(p0 & 0x7fffffffu) - 1].v[2] += p0 >> 31;
    }
    for (size_t i = 0; i <= a->pairs.mask; i++) {
        const esf_slot *sl = &a->pairs.slots[i];
        const uint32_t v = hset_v(sl); /* project, bit 31: finished there */
        if (v == HSET_EMPTY) continue;
        out[v & 0x7fffffffu].v[0]++;
        out[v & 0x7fffffffu].v[2] += v >> 31;
    }
}

static esf_status add_projects(esf_tables *t, const esf_agg *parts, uint64_t (*const *attr)[A_COUNT],
                               size_t nparts)
{
    size_t np = 0, bytes = 0;
    for (size_t k = 0; k < nparts; k++) np += parts[k].nprojects, bytes += parts[k].pkeys_len;
    proj_sum *ps = malloc((np ? np : 1) * sizeof *ps);
    t->groups = malloc(bytes ? bytes : 1);
    if (!ps || !t->groups) {
        free(ps);
        return ESF_ERR_NOMEM;
    }
    np = 0;
    for (size_t k = 0; k < nparts; k++) {
        project_sums(&parts[k], (const uint64_t(*)[A_COUNT])attr[k], ps + np);
        np += parts[k].nprojects;
    }
    qsort(ps, np, sizeof *ps, proj_sum_cmp);
    static const esf_measure measures[P_AANV] = {MS_DEELNEMERS, MS_TRAJECTEN, MS_AFGEROND,
                                                 MS_TOEGEREKEND, MS_WERK_EIND, MS_WERK_12M,
                                                 MS_VERBETERD_EIND, MS_VERBETERD_12M};
    size_t glen = 0;
    for (size_t i = 0; i < np;) {
        proj_sum s = ps[i];
        while (++i < np && proj_sum_cmp(&ps[i], &s) == 0)
            for (int m = 0; m < P_COUNT; m++) s.v[m] += ps[i].v[m];
        memcpy(t->groups + glen, s.id, s.len);
        for (int m = 0; m < P_COUNT; m++) { /* the totaal row, then trajecten by applicant */
            esf_tcell *c = m < P_AANV ? add(t, TB_PROJECTEN, t->nprojects, DIM_TOTAAL, 0, measures[m])
                                      : add(t, TB_PROJECTEN, t->nprojects, DIM_AANVRAGER, (unsigned)(m - P_AANV), MS_TRAJECTEN);
            if (!c) {
                free(ps);
                return ESF_ERR_NOMEM;
            }
            c->group = t->groups + glen;
            c->group_len = s.len;
            c->kind = CELL_PERSONS; /* trajecten too: it reveals persons (SPEC §6) */
            c->value = s.v[m];
        }
        glen += s.len;
        t->nprojects++;
    }
    free(ps);
    return ESF_OK;
}

static esf_status add_invoer(esf_tables *t, const esf_counts *n)
{
    uint64_t v[ROW_COUNT];
    v[ROW_GELEZEN] = n->gelezen, v[ROW_GEACCEPTEERD] = n->geaccepteerd;
    v[ROW_AFGEWEZEN] = n->afgewezen, v[ROW_GEFILTERD] = n->gefilterd;
    for (int i = 0; i < ROW_COUNT; i++)
        FORWARD_IF_ERROR(add_count(t, CELL_COUNT, v[i], TB_INVOER, 0, DIM_RIJEN, (unsigned)i, MS_N));
    for (int r = 0; r < ESF_REJ_COUNT; r++)
        FORWARD_IF_ERROR(add_count(t, CELL_COUNT, n->per_reason[r], TB_INVOER, 0, DIM_AFWIJZING,
                                   (unsigned)r, MS_N));
    return ESF_OK;
}

static int cell_cmp(const void *pa, const void *pb)
{
    const esf_tcell *a = pa, *b = pb;
    int c;
    /* the output's order: by the names, bytewise */
    if (a->table != b->table && (c = strcmp(esf_table_names[a->table], esf_table_names[b->table]))) return c;
    if (a->group != b->group && (c = cmp_str(a->group, a->group_len, b->group, b->group_len)))
        return c;
    if (a->dim != b->dim && (c = strcmp(esf_dim_names[a->dim], esf_dim_names[b->dim]))) return c;
    if ((c = strcmp(a->cat, b->cat))) return c;
    return a->measure == b->measure ? 0 : strcmp(esf_measure_names[a->measure], esf_measure_names[b->measure]);
}

/* The cells by key, for esf_tables_at: an open-addressed table of at
 * least twice as many slots as cells (linear probing). */
static size_t slot_of(uint64_t key, size_t mask)
{
    return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

static esf_status index_keys(esf_tables *t)
{
    size_t cap = 16;
    while (cap < 2 * t->n) cap *= 2;
    t->by_key = malloc(cap * sizeof *t->by_key);
    if (!t->by_key) return ESF_ERR_NOMEM;
    t->key_mask = cap - 1;
    for (size_t s = 0; s < cap; s++) t->by_key[s].cell = UINT32_MAX;
    for (size_t i = 0; i < t->n; i++) {
        const esf_tcell *c = &t->cells[i];
        const uint64_t key = pack((esf_table)c->table, c->gid, (esf_dim)c->dim, c->ci, (esf_measure)c->measure);
        size_t s = slot_of(key, t->key_mask);
        while (t->by_key[s].cell != UINT32_MAX) s = (s + 1) & t->key_mask;
        t->by_key[s] = (esf_keyed){key, (uint32_t)i};
    }
    return ESF_OK;
}

const esf_tcell *esf_tables_at(const esf_tables *t, esf_table table, uint32_t gid, esf_dim dim,
                               unsigned ci, esf_measure measure)
{
    const uint64_t key = pack(table, gid, dim, ci, measure);
    for (size_t s = slot_of(key, t->key_mask);; s = (s + 1) & t->key_mask) {
        if (t->by_key[s].cell == UINT32_MAX) return NULL;
        if (t->by_key[s].key == key) return &t->cells[t->by_key[s].cell];
    }
}

esf_status esf_tables_build(const esf_agg *parts, size_t nparts, const esf_counts *counts,
                        const esf_targets *targets, int32_t peildatum, esf_tables **out)
{
    *out = NULL;
    esf_tally *c = malloc(sizeof *c);
    esf_tables *t = calloc(1, sizeof *t);
    uint64_t(*attr[ESF_MAX_PARTS])[A_COUNT] = {NULL};
    esf_status st = ESF_ERR_NOMEM;
    if (!c || !t || (st = esf_tally_persons(parts, nparts, peildatum, c, attr)) != ESF_OK) goto fail;
    t->peildatum = peildatum;
    const esf_year_span ys = esf_year_span_of(parts, nparts);
    if ((st = add_person_tables(t, c, &ys)) || (st = add_indicators(t, c, targets)) ||
        (st = add_projects(t, parts, attr, nparts)) || (st = add_invoer(t, counts)))
        goto fail;
    qsort(t->cells, t->n, sizeof *t->cells, cell_cmp);
    if ((st = index_keys(t)) != ESF_OK) goto fail;
    for (size_t k = 0; k < nparts; k++) free(attr[k]);
    free(c);
    *out = t;
    return ESF_OK;
fail:
    for (size_t k = 0; k < nparts; k++) free(attr[k]);
    free(c);
    esf_tables_free(t);
    return st;
}

void esf_tables_free(esf_tables *t)
{
    if (!t) return;
    free(t->cells);
    free(t->groups);
    free(t->rels);
    free(t->terms);
    free(t->by_key);
    free(t);
}
