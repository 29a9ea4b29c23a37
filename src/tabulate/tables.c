/* tables.c - stage 5: finalise every table of SPEC §5 (see tables.h). */
#include "tables.h"

#include "count/count.h"

#include <stdlib.h>
#include <string.h>

const char *const esf_group_names[G_COUNT] = {"gemeente", "vsopro", "uwv", "jenv", "amr",
                                                 "totaal"};
const char *const esf_age_names[4] = {"jonger_dan_28", "28_49", "50_plus", "onbekend"};
const char *const esf_res_names[ESF_N_RESULTS] = {
    "afgerond",     "werk_eind",    "werk_12m",       "verbeterd_eind", "verbeterd_12m",
    "onbekend_eind", "onbekend_12m", "onderwijs_eind", "onderwijs_12m"};
const char *const esf_state_names[ESF_N_STATES] = {"verbeterd", "werkzaam", "niet_werkzaam",
                                                 "inactief", "onbekend"};

/* ---- cells ------------------------------------------------------------- */

static esf_tcell *add(esf_tables *t, const char *table, const char *group, const char *dim,
                      const char *cat, const char *measure)
{
    if (t->n == t->cap) {
        void *b = t->cells;
        if (esf_grow(&b, &t->cap, t->n + 1, sizeof *t->cells) != ESF_OK) return NULL;
        t->cells = b;
    }
    esf_tcell *c = &t->cells[t->n++];
    memset(c, 0, sizeof *c);
    c->table = table;
    c->group = group;
    c->group_len = (uint32_t)strlen(group);
    c->dim = dim;
    esf_copy_cut(c->cat, sizeof c->cat, cat);
    c->measure = measure;
    return c;
}

#define ADD_OR_FAIL(var, ...)                                                         \
    esf_tcell *var = add(__VA_ARGS__);                                                \
    if (!var) return ESF_ERR_NOMEM

static esf_status add_count(esf_tables *t, cell_kind kind, uint64_t v, const char *table,
                            const char *group, const char *dim, const char *cat,
                            const char *measure)
{
    ADD_OR_FAIL(c, t, table, group, dim, cat, measure);
    c->kind = (uint8_t)kind;
    c->value = v;
    return ESF_OK;
}

static esf_status add_text(esf_tables *t, const char *text, const char *group, const char *cat,
                           const char *measure)
{
    ADD_OR_FAIL(c, t, "indicatoren", group, "indicator", cat, measure);
    c->kind = CELL_TEXT;
    esf_copy_cut(c->text, sizeof c->text, text);
    return ESF_OK;
}

/* A derived cell: its text from the exact counts (esf_derive_text). */
static esf_status add_derived(esf_tables *t, esf_derive how, uint64_t dep0, uint64_t dep1,
                              unsigned __int128 m, unsigned __int128 p10, const char *group,
                              const char *cat, const char *measure)
{
    ADD_OR_FAIL(c, t, "indicatoren", group, "indicator", cat, measure);
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
        const char *name = esf_indicators[i].name, *group = esf_group_names[esf_indicators[i].group];
        const char *target = targets && targets->value[i][0] ? targets->value[i] : esf_indicators[i].target;
        int g = esf_indicators[i].group;
        unsigned __int128 m, p10;
        target_parse(target, &m, &p10);
        FORWARD_IF_ERROR(add_text(t, target, group, name, "streefwaarde"));
        if (esf_indicators[i].kind == IND_OI) {
            const uint64_t w = esf_indicators[i].num == NUM_SOM
                                   ? c->deel[G_GEMEENTE][C_TOTAAL] + c->deel[G_VSOPRO][C_TOTAAL]
                                   : c->deel[g][C_TOTAAL];
            FORWARD_IF_ERROR(add_count(t, CELL_PERSONS, w, "indicatoren", group, "indicator", name,
                                       "waarde"));
            FORWARD_IF_ERROR(add_derived(t, DERIVE_OI_PROCENT, w, 0, m, p10, group, name, "procent"));
            FORWARD_IF_ERROR(add_derived(t, DERIVE_OI_BEHAALD, w, 0, m, p10, group, name, "behaald"));
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
        FORWARD_IF_ERROR(add_count(t, CELL_PERSONS, teller, "indicatoren", group, "indicator",
                                   name, "teller"));
        FORWARD_IF_ERROR(add_count(t, CELL_PERSONS, noemer, "indicatoren", group, "indicator",
                                   name, "noemer"));
        FORWARD_IF_ERROR(add_derived(t, DERIVE_RI_PROCENT, teller, noemer, m, p10, group, name, "procent"));
        FORWARD_IF_ERROR(add_derived(t, DERIVE_RI_BEHAALD, teller, noemer, m, p10, group, name, "behaald"));
    }
    return ESF_OK;
}

static void cat_name(int cat, const char **dim, const char **name)
{
    if (cat == C_TOTAAL) *dim = "totaal", *name = "totaal";
    else if (cat < C_GESLACHT) *dim = "leeftijd", *name = esf_age_names[cat - C_LEEFTIJD];
    else if (cat < C_POSITIE) *dim = "geslacht", *name = esf_sex_names[cat - C_GESLACHT];
    else if (cat < C_DOELGROEP) *dim = "positie_start", *name = esf_pos_names[cat - C_POSITIE];
    else *dim = "doelgroep", *name = esf_dg_names[cat - C_DOELGROEP];
}

/* The name of result measure r. */
static const char *res_name(int r)
{
    return r < ESF_N_RESULTS ? esf_res_names[r] : "niet_waarneembaar_12m";
}

static esf_status add_person_tables(esf_tables *t, const esf_tally *c, const esf_year_span *ys)
{
    const int nres = t->peildatum ? R_PUBLISHED : ESF_N_RESULTS; /* niet_waarneembaar_12m with a reference date */
    for (int g = 0; g < G_COUNT; g++) {
        const char *group = esf_group_names[g];
        for (int k = 0; k < C_COUNT; k++) {
            const char *dim, *cat;
            cat_name(k, &dim, &cat);
            FORWARD_IF_ERROR(add_count(t, CELL_PERSONS, c->deel[g][k], "deelnemers", group, dim, cat, "n"));
            for (int r = 0; r < nres; r++)
                FORWARD_IF_ERROR(add_count(t, CELL_PERSONS, c->res[g][k][r], "resultaten", group,
                                           dim, cat, res_name(r)));
        }
        char year[12];
        for (int y = ys->start[0]; y <= ys->start[1]; y++) {
            snprintf(year, sizeof year, "%d", YEAR_MIN + y);
            FORWARD_IF_ERROR(add_count(t, CELL_PERSONS, c->deel_year[g][y], "deelnemers", group,
                                       "startjaar", year, "n"));
        }
        for (int y = ys->eind[0]; y <= ys->eind[1]; y++) {
            snprintf(year, sizeof year, "%d", YEAR_MIN + y);
            for (int r = 0; r < nres; r++)
                FORWARD_IF_ERROR(add_count(t, CELL_PERSONS, c->res_year[g][y][r], "resultaten", group,
                                           "eindjaar", year, res_name(r)));
        }
        char cat[48];
        for (int f = 0; f < POS_COUNT; f++)
            for (int s = 0; s < S_COUNT; s++) {
                snprintf(cat, sizeof cat, "%s>%s", esf_pos_names[f], esf_state_names[s]);
                /* only who starts working can improve (SPEC §4): the rest of
                 * *>verbeterd is structurally empty */
                const bool structural = s == S_VERBETERD && f != POS_WERKZAAM;
                FORWARD_IF_ERROR(add_count(t, structural ? CELL_STRUCTURAL : CELL_PERSONS, c->se[g][f][s],
                                           "overgangen", group, "start_eind", cat, "n"));
            }
        for (int f = 0; f < S_COUNT; f++)
            for (int s = 0; s < S_COUNT; s++) {
                snprintf(cat, sizeof cat, "%s>%s", esf_state_names[f], esf_state_names[s]);
                FORWARD_IF_ERROR(add_count(t, CELL_PERSONS, c->e12[g][f][s], "overgangen", group,
                                           "eind_12m", cat, "n"));
            }
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
    static const char *const measures[P_AANV] = {"deelnemers", "trajecten", "afgerond",
                                                 "toegerekend", "werk_eind", "werk_12m",
                                                 "verbeterd_eind", "verbeterd_12m"};
    size_t glen = 0;
    for (size_t i = 0; i < np;) {
        proj_sum s = ps[i];
        while (++i < np && proj_sum_cmp(&ps[i], &s) == 0)
            for (int m = 0; m < P_COUNT; m++) s.v[m] += ps[i].v[m];
        memcpy(t->groups + glen, s.id, s.len);
        for (int m = 0; m < P_COUNT; m++) { /* the totaal row, then trajecten by applicant */
            esf_tcell *c = m < P_AANV ? add(t, "projecten", "", "totaal", "totaal", measures[m])
                                      : add(t, "projecten", "", "aanvrager", esf_aanvrager_names[m - P_AANV], "trajecten");
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
    }
    free(ps);
    return ESF_OK;
}

static esf_status add_invoer(esf_tables *t, const esf_counts *n)
{
    static const char *const rows[4] = {"gelezen", "geaccepteerd", "afgewezen", "gefilterd"};
    const uint64_t v[4] = {n->gelezen, n->geaccepteerd, n->afgewezen, n->gefilterd};
    for (int i = 0; i < 4; i++)
        FORWARD_IF_ERROR(add_count(t, CELL_COUNT, v[i], "invoer", "invoer", "rijen", rows[i], "n"));
    for (int r = 0; r < ESF_REJ_COUNT; r++)
        FORWARD_IF_ERROR(add_count(t, CELL_COUNT, n->per_reason[r], "invoer", "invoer",
                                   "afwijzing", esf_reject_name((esf_reject_reason)r), "n"));
    return ESF_OK;
}

static int cell_cmp(const void *pa, const void *pb)
{
    const esf_tcell *a = pa, *b = pb;
    int c;
    /* names are mostly the same literals: equal pointers, equal names */
    if (a->table != b->table && (c = strcmp(a->table, b->table))) return c;
    if (a->group != b->group && (c = cmp_str(a->group, a->group_len, b->group, b->group_len)))
        return c;
    if (a->dim != b->dim && (c = strcmp(a->dim, b->dim))) return c;
    if ((c = strcmp(a->cat, b->cat))) return c;
    return a->measure == b->measure ? 0 : strcmp(a->measure, b->measure);
}

const esf_tcell *esf_tables_find(const esf_tables *t, const char *table, const char *group,
                             const char *dim, const char *cat, const char *measure)
{
    esf_tcell key = {.table = table, .group = group, .group_len = (uint32_t)strlen(group),
                     .dim = dim, .measure = measure};
    esf_copy_cut(key.cat, sizeof key.cat, cat);
    return bsearch(&key, t->cells, t->n, sizeof *t->cells, cell_cmp);
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
    free(t);
}
