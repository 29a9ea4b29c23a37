/* hashset.h - open addressing with linear probing over 8-byte slots: the
 * slot holds the caller's two 32-bit words (an index and, say, bits of the
 * hash or a second index), not the key or its full hash.  Probes ask the
 * caller whether a slot holds the key, and growing asks for the hash of each
 * slot, so the key lives once, where the caller keeps it. */
#ifndef ESF_HASHSET_H
#define ESF_HASHSET_H

#include "common/common.h"

#define HSET_EMPTY UINT32_MAX

/* The caller's value v is kept as v + 1, so that a slot of zeros is free
 * and a new table is the kernel's zeroed pages, not a second pass over
 * them: read it with hset_v (HSET_EMPTY when free), write it with hset_set. */
typedef struct {
    uint32_t v1;  /* v + 1; 0: a free slot */
    uint32_t aux; /* caller's bits         */
} esf_slot;

static inline uint32_t hset_v(const esf_slot *sl)
{
    return sl->v1 - 1u;
}
static inline void hset_set(esf_slot *sl, uint32_t v)
{
    sl->v1 = v + 1u;
}

typedef struct {
    esf_slot *slots;
    size_t mask;
    size_t n;
    size_t limit; /* n may grow to it before the table does: 70% of the slots */
} esf_hset;

/* Whether the slot holds the probe's key. */
typedef bool (*hset_eq_fn)(const void *ctx, const esf_slot *sl);
/* The hash of the key a slot holds, for growing. */
typedef uint64_t (*hset_hash_fn)(const void *ctx, const esf_slot *sl);

esf_status esf_hset_init(esf_hset *s, size_t cap_pow2);
void esf_hset_free(esf_hset *s);
/* Makes room for `extra` more insertions (load stays at most 70%); call
 * before hset_probe when you may insert, since growing moves the slots. */
esf_status esf_hset_reserve_n(esf_hset *s, size_t extra, hset_hash_fn hash, const void *ctx);
static inline esf_status hset_reserve(esf_hset *s, hset_hash_fn hash, const void *ctx)
{
    if (ESF_LIKELY(s->n < s->limit)) return ESF_OK;
    return esf_hset_reserve_n(s, 1, hash, ctx);
}

/* The slot holding the key (hset_v != HSET_EMPTY) or the free slot it belongs in. */
static inline esf_slot *hset_probe(const esf_hset *s, uint64_t h, hset_eq_fn eq, const void *ctx)
{
    size_t i = (size_t)h & s->mask;
    for (;;) {
        esf_slot *sl = &s->slots[i];
        if (!sl->v1 || eq(ctx, sl)) return sl;
        i = (i + 1) & s->mask;
    }
}

/* Bijective 64-bit mixer (murmur3 finaliser) for integer keys. */
static inline uint64_t hset_mix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

/* A cheap placement for keys that are already hash bits (a tag of a good
 * hash): bits 32-63 of their product with 2^64 / phi.  Three instructions
 * against the mixer's nine, but not for keys with a structure: indices in
 * an arithmetic progression can cluster in a table of some sizes (up to 12
 * probes a key where random places take 2.2), which test_persons checks
 * the mixer for. */
static inline uint64_t hset_fib(uint64_t k)
{
    return k * 0x9E3779B97F4A7C15ULL >> 32;
}

#endif
