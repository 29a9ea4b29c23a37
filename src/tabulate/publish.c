/* publish.c - stage 6b: the published view of the tables (SPEC §6): which
 * cells are suppressed (suppress.c) and how counts are rounded, decided once
 * per run and disclosure setting and shared by every format. */
#include "publish.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

esf_status esf_pub_init(esf_pub *p, const esf_tables *t, const esf_disclosure *dc, esf_err *err)
{
    p->t = t;
    memset(&p->dc, 0, sizeof p->dc);
    if (dc) p->dc = *dc;
    memset(p->count, 0, sizeof p->count);
    p->sup = calloc(t->n ? t->n : 1, 1);
    RETURN_ERROR_IF(!p->sup, err, ESF_ERR_NOMEM, "out of memory while publishing the tables");
    if (p->dc.suppress_below == 0) return ESF_OK;
    esf_status st = esf_suppress(t, p->dc.suppress_below, 0, p->sup, NULL, err);
    if (st != ESF_OK) {
        esf_pub_free(p);
        return st;
    }
    for (size_t i = 0; i < t->n; i++) p->count[p->sup[i]]++;
    return ESF_OK;
}

void esf_pub_free(esf_pub *p)
{
    free(p->sup);
    p->sup = NULL;
}

/* v to the nearest multiple of r (r > 1), halves away from zero. */
static uint64_t rounded(uint64_t v, uint64_t r)
{
    return r > 1 ? (uint64_t)(((unsigned __int128)v * 2 + r) / (2 * (unsigned __int128)r) * r) : v;
}

uint64_t esf_pub_count(const esf_pub *p, const esf_tcell *c)
{
    return c->kind == CELL_PERSONS ? rounded(c->value, p->dc.round) : c->value;
}

esf_pval esf_pub_value(const esf_pub *p, const esf_tcell *c)
{
    if (!c) return (esf_pval){PV_NONE, 0, 0};
    if (pub_suppressed(p, c)) return (esf_pval){PV_SUPPRESSED, 0, 0};
    switch ((cell_kind)c->kind) {
    case CELL_STRUCTURAL: return (esf_pval){PV_STRUCTURAL, 0, 1};
    case CELL_COUNT:
    case CELL_PERSONS: return (esf_pval){PV_NUMBER, esf_pub_count(p, c), 1};
    case CELL_DERIVED: {
        const uint64_t a = p->dc.round > 1 ? rounded(c->dep[0], p->dc.round) : c->dep[0];
        const uint64_t b = p->dc.round > 1 ? rounded(c->dep[1], p->dc.round) : c->dep[1];
        const unsigned __int128 m = c->target_m, p10 = c->target_p10;
        switch ((esf_derive)c->derive) {
        case DERIVE_OI_BEHAALD: return (esf_pval){PV_NUMBER, (unsigned __int128)a * p10 >= m, 1};
        case DERIVE_RI_BEHAALD:
            if (b == 0) break;
            return (esf_pval){PV_NUMBER, (unsigned __int128)a * 100 * p10 >= m * b, 1};
        case DERIVE_OI_PROCENT:
            if (m == 0) break;
            return (esf_pval){PV_NUMBER, (uint64_t)(((unsigned __int128)a * p10 * 2000 + m) / (2 * m)), 10};
        case DERIVE_RI_PROCENT:
            if (b == 0) break;
            return (esf_pval){PV_NUMBER, (uint64_t)(((unsigned __int128)a * 2000 + b) / (2 * (unsigned __int128)b)), 10};
        }
        return (esf_pval){PV_NONE, 0, 0};
    }
    case CELL_TEXT:
        return c->target_p10 ? (esf_pval){PV_NUMBER, (uint64_t)c->target_m, (uint64_t)c->target_p10}
                             : (esf_pval){PV_NONE, 0, 0};
    }
    return (esf_pval){PV_NONE, 0, 0};
}

const char *esf_pub_text(const esf_pub *p, const esf_tcell *c, char *buf, size_t len)
{
    if (pub_suppressed(p, c)) return "x";
    switch ((cell_kind)c->kind) {
    case CELL_STRUCTURAL: /* 0; the reports write "-" (esf_pub_structural) */
    case CELL_COUNT:
    case CELL_PERSONS:
        esf_u64_text(buf, len, esf_pub_count(p, c));
        return buf;
    case CELL_DERIVED: /* its counts are protected ones: as published */
        if (p->dc.round <= 1) return c->text;
        esf_derive_text(c, rounded(c->dep[0], p->dc.round), rounded(c->dep[1], p->dc.round), buf, len);
        return buf;
    case CELL_TEXT:
        return c->text;
    }
    return "";
}
