/* hashset.c - growth of the open-addressing table (see hashset.h). */
#include "hashset.h"

#include <string.h>

/* The most keys a table of cap slots holds: 70% (hset_reserve's bound). */
static size_t hset_limit(size_t cap)
{
    return cap / 10 * 7 + cap % 10 * 7 / 10;
}

esf_status esf_hset_init(esf_hset *s, size_t cap_pow2)
{
    s->slots = esf_big_zalloc(cap_pow2, sizeof(esf_slot));
    if (!s->slots) return ESF_ERR_NOMEM;
    s->mask = cap_pow2 - 1;
    s->n = 0;
    s->limit = hset_limit(cap_pow2);
    return ESF_OK;
}

void esf_hset_free(esf_hset *s)
{
    esf_big_free(s->slots, s->mask + 1, sizeof(esf_slot)); /* (NULL: nothing) */
    memset(s, 0, sizeof *s);
}

esf_status esf_hset_reserve_n(esf_hset *s, size_t extra, hset_hash_fn hash, const void *ctx)
{
    size_t cap = s->mask + 1, ncap = cap;
    if (extra > SIZE_MAX / 16 - s->n) return ESF_ERR_NOMEM;
    while (s->n + extra > hset_limit(ncap)) {
        if (ncap > SIZE_MAX / 4 / sizeof(esf_slot)) return ESF_ERR_NOMEM;
        ncap *= 2;
    }
    if (ncap == cap) return ESF_OK;
    esf_slot *ns = esf_big_zalloc(ncap, sizeof(esf_slot));
    if (!ns) return ESF_ERR_NOMEM;
    esf_populate(ns, ncap * sizeof *ns); /* its slots are spread over every page */
    size_t nmask = ncap - 1;
    for (size_t i = 0; i < cap; i++) {
        const esf_slot *o = &s->slots[i];
        if (!o->v1) continue;
        size_t j = (size_t)hash(ctx, o) & nmask;
        while (ns[j].v1) j = (j + 1) & nmask;
        ns[j] = *o;
    }
    esf_big_free(s->slots, cap, sizeof(esf_slot));
    s->slots = ns;
    s->mask = nmask;
    s->limit = hset_limit(ncap);
    return ESF_OK;
}
