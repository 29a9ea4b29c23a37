/* output.c - stage 6: write the tables (CSV of SPEC §5) with the disclosure
 * control of SPEC §6 applied to person counts and what derives from them. */
#include "tables.h"

#include <inttypes.h>
#include <string.h>

/* The published text of a cell under disclosure control. */
static const char *cell_value(const esf_tcell *c, const esf_disclosure *dc, char *buf, size_t len)
{
    uint32_t sup = dc ? dc->suppress_below : 0, rnd = dc ? dc->round : 0;
    switch ((cell_kind)c->kind) {
    case CELL_COUNT:
        snprintf(buf, len, "%" PRIu64, c->value);
        return buf;
    case CELL_PERSONS: {
        if (c->value < sup) return "x";
        uint64_t v = c->value;
        if (rnd > 1) /* nearest multiple, halves away from zero */
            v = (uint64_t)(((unsigned __int128)v * 2 + rnd) / (2u * (unsigned __int128)rnd) * rnd);
        snprintf(buf, len, "%" PRIu64, v);
        return buf;
    }
    case CELL_DERIVED:
        for (int i = 0; i < c->ndep; i++)
            if (c->dep[i] < sup) return "x";
        return c->text;
    case CELL_TEXT:
        return c->text;
    }
    return "";
}

/* RFC 4180: quote a field holding , " CR or LF, doubling its quotes. */
static void put_field(FILE *out, const char *p, size_t len)
{
    bool q = false;
    for (size_t i = 0; i < len && !q; i++)
        q = p[i] == ',' || p[i] == '"' || p[i] == '\r' || p[i] == '\n';
    if (!q) {
        fwrite(p, 1, len, out);
        return;
    }
    putc('"', out);
    for (size_t i = 0; i < len; i++) {
        if (p[i] == '"') putc('"', out);
        putc(p[i], out);
    }
    putc('"', out);
}

static void put_str(FILE *out, const char *s)
{
    put_field(out, s, strlen(s));
}

static esf_status write_csv(const esf_tables *t, const esf_disclosure *dc, FILE *out)
{
    fputs("table,group,dimension,category,measure,value\n", out);
    char buf[64];
    for (size_t i = 0; i < t->n; i++) {
        const esf_tcell *c = &t->cells[i];
        put_str(out, c->table);
        putc(',', out);
        put_field(out, c->group, c->group_len);
        putc(',', out);
        put_str(out, c->dim);
        putc(',', out);
        put_str(out, c->cat);
        putc(',', out);
        put_str(out, c->measure);
        putc(',', out);
        put_str(out, cell_value(c, dc, buf, sizeof buf));
        putc('\n', out);
    }
    return ESF_OK;
}

esf_status esf_tables_write(const esf_tables *t, esf_format fmt, const esf_disclosure *dc,
                            FILE *out)
{
    esf_status st = ESF_ERR_USAGE;
    if (fmt == ESF_FORMAT_CSV) st = write_csv(t, dc, out);
    if (st != ESF_OK) return st;
    if (fflush(out) != 0 || ferror(out)) return ESF_ERR_OUTPUT;
    return ESF_OK;
}
