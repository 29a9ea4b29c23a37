/* hashset.c - growth of the open-addressing table (see hashset.h). */
#include "hashset.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static esf_slot *alloc_slots(size_t cap)
{
    size_t bytes = cap * sizeof(esf_slot);
    esf_slot *s = NULL;
    if (bytes >= (2u << 20)) {
        /* Large tables: huge pages make the first touch of each page cheap. */
        if (posix_memalign((void **)&s, 2u << 20, bytes) != 0) return NULL;
#ifdef MADV_HUGEPAGE
        madvise(s, bytes, MADV_HUGEPAGE);
#endif
    } else {
        s = malloc(bytes);
        if (!s) return NULL;
    }
    memset(s, 0xff, bytes); /* v = HSET_EMPTY everywhere */
    return s;
}

esf_status esf_hset_init(esf_hset *s, size_t cap_pow2)
{
    s->slots = alloc_slots(cap_pow2);
    if (!s->slots) return ESF_ERR_NOMEM;
    s->mask = cap_pow2 - 1;
    s->n = 0;
    return ESF_OK;
}

void esf_hset_free(esf_hset *s)
{
    free(s->slots);
    memset(s, 0, sizeof *s);
}

esf_status esf_hset_reserve_n(esf_hset *s, size_t extra, hset_hash_fn hash, const void *ctx)
{
    size_t cap = s->mask + 1, ncap = cap;
    if (extra > SIZE_MAX / 16 - s->n) return ESF_ERR_NOMEM;
    while ((s->n + extra) * 10 > ncap * 7) {
        if (ncap > SIZE_MAX / 4 / sizeof(esf_slot)) return ESF_ERR_NOMEM;
        ncap *= 2;
    }
    if (ncap == cap) return ESF_OK;
    esf_slot *ns = alloc_slots(ncap);
    if (!ns) return ESF_ERR_NOMEM;
    size_t nmask = ncap - 1;
    for (size_t i = 0; i < cap; i++) {
        const esf_slot *o = &s->slots[i];
        if (o->v == HSET_EMPTY) continue;
        size_t j = (size_t)hash(ctx, o) & nmask;
        while (ns[j].v != HSET_EMPTY) j = (j + 1) & nmask;
        ns[j] = *o;
    }
    free(s->slots);
    s->slots = ns;
    s->mask = nmask;
    return ESF_OK;
}
