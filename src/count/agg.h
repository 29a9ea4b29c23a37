/* agg.h - stage 4's state, the types: what one pass over the rows keeps per
 * person, group and project (esf_agg), which persons.c fills and order.c
 * and tally.c read. */
#ifndef ESF_AGG_H
#define ESF_AGG_H

#include "hashset.h"
#include "input/input.h"

/* first(p,G) needs only the columns up to positie_start: rows that tie on
 * all of them give the same outputs (sex, age, position at start), so the
 * rest of the order of SPEC §3 cannot change a table.  dg is not part of the
 * order: in a state it is the union of doelgroep over the group's
 * trajectories (it fills what would be padding). */
typedef struct {
    int32_t start, geb, eind, eind_project;
    uint32_t project;
    uint16_t doelgroep, dg;
    uint8_t aanvrager, geslacht, pos_start;
} esf_first;

/* last(p,G) as kept: esf_traj in 56 bytes instead of 88, the numbers in
 * hundredths (uren <= 168 fits 16 bits).  A trajectory whose numbers do not
 * fit (more decimals, a huge uurloon) is kept whole in esf_agg.wides. */
typedef struct {
    uint32_t project;
    int32_t geb, start, eind, eind_project;
    uint32_t uurloon[M_COUNT]; /* LAST_EMPTY32 when empty */
    uint16_t uren[M_COUNT];    /* LAST_EMPTY16 when empty */
    uint16_t doelgroep;
    uint8_t aanvrager, geslacht;
    uint8_t pos[M_COUNT], contract[M_COUNT], srg[M_COUNT], onderwijs[M_COUNT];
} esf_last;

#define LAST_EMPTY16 UINT16_MAX
#define LAST_EMPTY32 UINT32_MAX

/* esf_gstate.last: 0 = no finished trajectory, else a 1-based index into
 * lasts, or with LAST_WIDE set into wides. */
#define LAST_WIDE 0x80000000u

typedef struct {
    esf_first first;
    uint32_t last;
} esf_gstate;

/* A person's state in one group, base or derived (amr, totaal): the first
 * by reference, the last unpacked. */
typedef struct {
    const esf_first *first;
    bool has_last;     /* false when no trajectory is finished */
    uint16_t dg;
    esf_traj last;
} esf_gview;

/* A person's key is a packed integer (bit 63 clear) for the usual shape
 * (rinpersoons one byte, rinpersoon 1-15 digits; its hash the mixer of the
 * code): a probe then compares integers.  Other keys are KEY_BYTES | the
 * offset in keys of [length][len(rinpersoons)][rinpersoons][rinpersoon].
 * A person's states: the first group's one here (1-based into states); with
 * STATE_MORE set, the other groups' are in the set gsets. */
#define KEY_BYTES (1ull << 63)
#define STATE_MORE 0x80000000u
typedef struct {
    uint64_t key;
    uint32_t state;
    uint32_t proj0;               /* the first project seen + 1 (bit 31: finished there),
                                     0 = none; further projects are in pairs */
} esf_person;

typedef struct {
    uint64_t key_off;             /* into pkeys */
    uint32_t key_len;
    uint64_t trajecten;           /* accepted rows */
    uint64_t by_aanvrager[AANV_COUNT]; /* of them, by applicant (SPEC §5) */
} esf_project;

/* Everything one pass over the rows accumulates.  Owns all its memory. */
typedef struct {
    /* a cache line of its own: each partition is written by its own thread */
    _Alignas(64) esf_hset pset;   /* person key -> v: index in persons, aux: hash bits */
    esf_person *persons;
    size_t npersons, persons_cap;
    char *keys;
    size_t keys_len, keys_cap;
    esf_gstate *states;
    size_t nstates, states_cap;
    esf_hset gsets;               /* a person's states beyond the first:
                                     v: index in states, aux: person */
    esf_last *lasts;              /* last(p,G), only for states with one */
    size_t nlasts, lasts_cap;
    size_t ready[3];              /* persons, states, lasts whose pages are asked for */
    esf_traj *wides;              /* those whose numbers do not fit esf_last */
    size_t nwides, wides_cap;
    esf_hset prset;               /* project id -> v: index in projects, aux: hash bits */
    esf_project *projects;
    size_t nprojects, projects_cap;
    char *pkeys;
    size_t pkeys_len, pkeys_cap;
    esf_hset pairs;               /* (project, person) beyond each person's proj0:
                                     v = project (bit 31: finished there), aux = person */
    int32_t start_min, start_max; /* of the counted rows (yyyymmdd, 0 = none): */
    int32_t eind_min, eind_max;   /* the years of startjaar and eindjaar       */
} esf_agg;

/* A trajectory is finished when eind is set and not after eind_project. */
static inline bool traj_finished(const esf_traj *t)
{
    return t->eind != 0 && (t->eind_project == 0 || t->eind <= t->eind_project);
}

static inline esf_view project_id(const esf_agg *a, uint32_t p)
{
    return (esf_view){a->pkeys + a->projects[p].key_off, a->projects[p].key_len};
}

#endif
