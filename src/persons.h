/* persons.h - stage 4: the state kept per person, group and project while the
 * rows stream by (SPEC §3).  Per person and applicant only what the rules
 * need: first(p,G), last(p,G) among finished trajectories, and the union of
 * target groups.  amr and totaal are derived at the end (tables.c) by the same
 * order, so nothing here depends on row order. */
#ifndef ESF_PERSONS_H
#define ESF_PERSONS_H

#include "hashset.h"
#include "rows.h"

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

/* A person key as the hash set takes it: packed (len 0: code) or the bytes
 * buf[0, len), and its hash. */
typedef struct {
    uint64_t code, h;
    size_t len;
    char buf[1 + 8 + 32];
} esf_pkey;

void esf_pkey_bytes(esf_pkey *k, esf_view rinpersoons, esf_view rinpersoon);

/* The packed code of a key with rinpersoons one byte and rinpersoon 1-15
 * digits: digits' value (bits 0-49), their count (50-53), the rinpersoons byte
 * (54-61).  Leading zeros are kept by the count, so the code is unique. */
static inline bool esf_pkey_pack(esf_view rps, esf_view rp, uint64_t *code)
{
    if (rps.len != 1 || rp.len == 0 || rp.len > 15) return false;
    uint64_t v = 0;
    size_t i = 0;
    if (rp.len >= 8) {
        if (!esf_digits8_value(rp.p, &v)) return false;
        i = 8;
    }
    for (; i < rp.len; i++) {
        unsigned d = (unsigned)(unsigned char)rp.p[i] - '0';
        if (d > 9) return false;
        v = v * 10 + d;
    }
    *code = v | (uint64_t)rp.len << 50 | (uint64_t)(unsigned char)rps.p[0] << 54;
    return true;
}

/* The key of a row's person: packed when it can be (inline, the usual
 * key), else its bytes (esf_pkey_bytes). */
static inline __attribute__((always_inline)) void esf_pkey_make(esf_pkey *k, esf_view rinpersoons,
                                                                  esf_view rinpersoon)
{
    if (esf_pkey_pack(rinpersoons, rinpersoon, &k->code)) {
        k->len = 0;
        k->h = hset_mix64(k->code);
        return;
    }
    esf_pkey_bytes(k, rinpersoons, rinpersoon);
}

/* At most this many partitions (and threads) in a run. */
#define ESF_MAX_PARTS 64

/* Which of n partitions a person belongs to.  A run keeps one esf_agg per
 * partition, so each person's whole state is in one of them and threads can
 * fill different partitions at once.  The high bits of the hash: the low
 * ones pick the slot. */
static inline unsigned pkey_part(const esf_pkey *k, unsigned n)
{
    return (unsigned)(((k->h >> 32) * n) >> 32);
}

esf_status esf_agg_init(esf_agg *a);
void esf_agg_free(esf_agg *a);
/* Counts one accepted row; key is the row's person key (NULL: made here).
 * Sets row->t.project to its project's index. */
esf_status esf_agg_add(esf_agg *a, esf_row *row, const esf_pkey *key);

/* Room in the tables of persons, states and lasts for `rows` more rows (a
 * round's, block.c), so that they grow once a round, not step by step;
 * what is not used stays untouched (no page of it is resident). */
esf_status esf_agg_reserve(esf_agg *a, size_t rows);

/* Brings into cache what esf_agg_add(key) will read, in stages 0-3 (the
 * person's slot, the person, its state, its last), each a few rows after the
 * one before; *pid carries the person from stage 1 on.  Changes nothing. */
void esf_agg_prefetch(const esf_agg *a, const esf_pkey *key, unsigned stage, uint32_t *pid);

/* A trajectory is finished when eind is set and not after eind_project. */
static inline bool traj_finished(const esf_traj *t)
{
    return t->eind != 0 && (t->eind_project == 0 || t->eind <= t->eind_project);
}

/* Orders of SPEC §3, negative when x wins over y: earliest start (first) or
 * latest eind (last), then the bytewise smaller project, then column by
 * column. */
int esf_first_cmp(const esf_agg *a, const esf_first *x, const esf_first *y);
int esf_traj_cmp_last(const esf_agg *a, const esf_traj *x, const esf_traj *y);

/* The views of person pid's states in the base groups: v[g] is set for each
 * bit g of the result.  And the merge of views by the orders above (for
 * amr = gemeente + vsopro and totaal). */
unsigned esf_person_views(const esf_agg *a, uint32_t pid, esf_gview v[AANV_COUNT]);
void esf_gview_merge(const esf_agg *a, esf_gview *dst, const esf_gview *src);

static inline esf_view project_id(const esf_agg *a, uint32_t p)
{
    return (esf_view){a->pkeys + a->projects[p].key_off, a->projects[p].key_len};
}

#endif
