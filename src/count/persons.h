/* persons.h - stage 4: the state kept per person, group and project while the
 * rows stream by (SPEC §3).  Per person and applicant only what the rules
 * need: first(p,G), last(p,G) among finished trajectories, and the union of
 * target groups.  amr and totaal are derived at the end (tables.c) by the same
 * order, so nothing here depends on row order. */
#ifndef ESF_PERSONS_H
#define ESF_PERSONS_H

#include "agg.h"

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

/* The views of person pid's states in the base groups: v[g] is set for each
 * bit g of the result.  And the merge of views by the orders above (for
 * amr = gemeente + vsopro and totaal). */
unsigned esf_person_views(const esf_agg *a, uint32_t pid, esf_gview v[AANV_COUNT]);
void esf_gview_merge(const esf_agg *a, esf_gview *dst, const esf_gview *src);

#endif
