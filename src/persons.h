/* persons.h - stage 4: the state kept per person, group and project while the
 * rows stream by (SPEC §3).  Per person and applicant only what the rules
 * need: first(p,G), last(p,G) among finished trajectories, and the union of
 * target groups.  amr and totaal are derived at the end (tables.c) by the same
 * order, so nothing here depends on row order. */
#ifndef ESF_PERSONS_H
#define ESF_PERSONS_H

#include "hashset.h"
#include "rows.h"

typedef struct {
    esf_traj first;
    esf_traj last;     /* valid when has_last */
    uint16_t dg;       /* union of doelgroep over the group's trajectories */
    uint8_t has_last;
} esf_gstate;

typedef struct {
    uint64_t key_off;             /* into keys: [len(rinpersoons)][rinpersoons][rinpersoon] */
    uint32_t state[AANV_COUNT];   /* 1-based index into states, 0 = not in that group */
    uint8_t key_len;
} esf_person;

typedef struct {
    uint64_t key_off;             /* into pkeys */
    uint32_t key_len;
    uint64_t trajecten;           /* accepted rows */
} esf_project;

/* Everything one pass over the rows accumulates.  Owns all its memory. */
typedef struct {
    esf_hset pset;                /* person key -> index in persons */
    esf_person *persons;
    size_t npersons, persons_cap;
    char *keys;
    size_t keys_len, keys_cap;
    esf_gstate *states;
    size_t nstates, states_cap;
    esf_hset prset;               /* project id -> index in projects */
    esf_project *projects;
    size_t nprojects, projects_cap;
    char *pkeys;
    size_t pkeys_len, pkeys_cap;
    esf_hset pairs;               /* (project, person); aux bit 0 = finished there */
} esf_agg;

esf_status agg_init(esf_agg *a);
void agg_free(esf_agg *a);
/* Counts one accepted row. */
esf_status agg_add(esf_agg *a, const esf_row *row);

/* A trajectory is finished when eind is set and not after eind_project. */
static inline bool traj_finished(const esf_traj *t)
{
    return t->eind != 0 && (t->eind_project == 0 || t->eind <= t->eind_project);
}

/* Orders of SPEC §3, negative when x wins over y: earliest start (first) or
 * latest eind (last), then the bytewise smaller project, then column by
 * column. */
int traj_cmp_first(const esf_agg *a, const esf_traj *x, const esf_traj *y);
int traj_cmp_last(const esf_agg *a, const esf_traj *x, const esf_traj *y);

/* Merges src into dst (the state of group g of one person). */
void gstate_merge(const esf_agg *a, esf_gstate *dst, const esf_gstate *src);

static inline esf_view project_id(const esf_agg *a, uint32_t p)
{
    return (esf_view){a->pkeys + a->projects[p].key_off, a->projects[p].key_len};
}

#endif
