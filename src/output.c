/* output.c - stage 6: publish the tables with disclosure control (SPEC §6)
 * and write them as CSV (SPEC §5) or JSON; text and Markdown in report.c. */
#include "output.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static bool secondary_table(const char *table)
{
    return !strcmp(table, "deelnemers") || !strcmp(table, "resultaten") ||
           !strcmp(table, "overgangen");
}

/* Order of cells by (table, group, dimension, measure, value, category): the
 * cells of one dimension and measure side by side, smallest first. */
static int dim_cmp(const void *pa, const void *pb, void *ctx)
{
    const esf_tables *t = ctx;
    const esf_tcell *a = &t->cells[*(const size_t *)pa], *b = &t->cells[*(const size_t *)pb];
    int c;
    if ((c = strcmp(a->table, b->table)) || (c = strcmp(a->dim, b->dim)) ||
        (c = strcmp(a->measure, b->measure)))
        return c;
    if (a->group_len != b->group_len) return a->group_len < b->group_len ? -1 : 1;
    if ((c = memcmp(a->group, b->group, a->group_len))) return c;
    if (a->value != b->value) return a->value < b->value ? -1 : 1;
    return strcmp(a->cat, b->cat);
}

static bool same_dim(const esf_tcell *a, const esf_tcell *b)
{
    return !strcmp(a->table, b->table) && !strcmp(a->dim, b->dim) && !strcmp(a->measure, b->measure) &&
           a->group_len == b->group_len && !memcmp(a->group, b->group, a->group_len);
}

esf_status pub_init(esf_pub *p, const esf_tables *t, const esf_disclosure *dc)
{
    p->t = t;
    memset(&p->dc, 0, sizeof p->dc);
    if (dc) p->dc = *dc;
    p->sup = calloc(t->n ? t->n : 1, 1);
    if (!p->sup) return ESF_ERR_NOMEM;
    uint32_t n = p->dc.suppress_below;
    if (n == 0) return ESF_OK;
    size_t *idx = malloc((t->n ? t->n : 1) * sizeof *idx), m = 0;
    if (!idx) {
        pub_free(p);
        return ESF_ERR_NOMEM;
    }
    for (size_t i = 0; i < t->n; i++) {
        const esf_tcell *c = &t->cells[i];
        if (c->kind == CELL_PERSONS && c->value < n) p->sup[i] = 1;
        if (c->kind == CELL_PERSONS && secondary_table(c->table) && strcmp(c->dim, "totaal"))
            idx[m++] = i;
    }
    qsort_r(idx, m, sizeof *idx, dim_cmp, (void *)(uintptr_t)t);
    for (size_t a = 0, b; a < m; a = b) {
        size_t nsup = 0, first_open = SIZE_MAX;
        for (b = a; b < m && same_dim(&t->cells[idx[a]], &t->cells[idx[b]]); b++) {
            if (p->sup[idx[b]]) nsup++;
            else if (first_open == SIZE_MAX) first_open = idx[b]; /* smallest, sorted */
        }
        if (nsup == 1 && first_open != SIZE_MAX) p->sup[first_open] = 1;
    }
    free(idx);
    for (size_t i = 0; i < t->n; i++) {
        const esf_tcell *c = &t->cells[i];
        for (int k = 0; c->kind == CELL_DERIVED && k < c->ndep; k++)
            if (c->dep[k] < n) p->sup[i] = 1;
    }
    return ESF_OK;
}

void pub_free(esf_pub *p)
{
    free(p->sup);
    p->sup = NULL;
}

const char *pub_text(const esf_pub *p, const esf_tcell *c, char *buf, size_t len)
{
    if (pub_suppressed(p, c)) return "x";
    switch ((cell_kind)c->kind) {
    case CELL_COUNT:
        snprintf(buf, len, "%" PRIu64, c->value);
        return buf;
    case CELL_PERSONS: {
        uint64_t v = c->value, r = p->dc.round;
        if (r > 1) /* nearest multiple, halves away from zero */
            v = (uint64_t)(((unsigned __int128)v * 2 + r) / (2 * (unsigned __int128)r) * r);
        snprintf(buf, len, "%" PRIu64, v);
        return buf;
    }
    case CELL_DERIVED:
    case CELL_TEXT:
        return c->text;
    }
    return "";
}

/* RFC 4180: quote a field holding , " CR or LF, doubling its quotes. */
static void csv_field(FILE *out, const char *s, size_t len)
{
    bool q = false;
    for (size_t i = 0; i < len && !q; i++)
        q = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!q) {
        fwrite(s, 1, len, out);
        return;
    }
    putc('"', out);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"') putc('"', out);
        putc(s[i], out);
    }
    putc('"', out);
}

static void write_csv(const esf_pub *p, FILE *out)
{
    fputs("table,group,dimension,category,measure,value\n", out);
    char buf[64];
    for (size_t i = 0; i < p->t->n; i++) {
        const esf_tcell *c = &p->t->cells[i];
        const char *v = pub_text(p, c, buf, sizeof buf);
        const char *f[6] = {c->table, c->group, c->dim, c->cat, c->measure, v};
        const size_t l[6] = {strlen(c->table), c->group_len, strlen(c->dim), strlen(c->cat),
                             strlen(c->measure), strlen(v)};
        for (int k = 0; k < 6; k++) {
            if (k) putc(',', out);
            csv_field(out, f[k], l[k]);
        }
        putc('\n', out);
    }
}

/* A JSON string: quotes, backslashes and control bytes escaped, UTF-8 as
 * it is, a byte that is not UTF-8 as \\ufffd (U+FFFD): always valid JSON (RFC 8259). */
static void json_str(FILE *out, const char *s, size_t len)
{
    putc('"', out);
    for (size_t i = 0, k; i < len; i += k ? k : 1) {
        unsigned char ch = (unsigned char)s[i];
        k = esf_utf8_char(s + i, len - i);
        if (!k) fputs("\\ufffd", out);
        else if (ch == '"' || ch == '\\') fprintf(out, "\\%c", ch);
        else if (ch < 0x20) fprintf(out, "\\u%04x", ch);
        else fwrite(s + i, 1, k, out);
    }
    putc('"', out);
}

/* {"table": {"group": {"dimension": {"category": {"measure": value}}}}}; counts
 * are numbers, suppressed cells and text the strings as in CSV ("x"), empty
 * values null.  Keys in the bytewise order of the CSV rows. */
static void write_json(const esf_pub *p, FILE *out)
{
    const esf_tcell *prev = NULL;
    char buf[64];
    fputs("{", out);
    for (size_t i = 0; i < p->t->n; i++) {
        const esf_tcell *c = &p->t->cells[i];
        int lvl = 0; /* first key level that differs from the previous cell */
        if (prev) {
            if (strcmp(prev->table, c->table)) lvl = 0;
            else if (prev->group_len != c->group_len || memcmp(prev->group, c->group, c->group_len)) lvl = 1;
            else if (strcmp(prev->dim, c->dim)) lvl = 2;
            else if (strcmp(prev->cat, c->cat)) lvl = 3;
            else lvl = 4;
            for (int k = 4; k > lvl; k--) fputs("}", out);
            fputs(",", out);
        }
        const char *keys[5] = {c->table, c->group, c->dim, c->cat, c->measure};
        const size_t lens[5] = {strlen(c->table), c->group_len, strlen(c->dim), strlen(c->cat),
                                strlen(c->measure)};
        for (int k = lvl; k < 5; k++) {
            fputs(k == 0 ? "\n " : "", out);
            json_str(out, keys[k], lens[k]);
            fputs(k < 4 ? ":{" : ":", out);
        }
        const char *v = pub_text(p, c, buf, sizeof buf);
        bool number = !pub_suppressed(p, c) && (c->kind == CELL_COUNT || c->kind == CELL_PERSONS ||
                                                (v[0] && strspn(v, "0123456789.") == strlen(v)));
        if (!v[0]) fputs("null", out);
        else if (number) fputs(v, out);
        else json_str(out, v, strlen(v));
        prev = c;
    }
    if (prev) fputs("}}}}", out);
    fputs("\n}\n", out);
}

esf_status esf_tables_write(const esf_tables *t, esf_format fmt, const esf_disclosure *dc,
                            FILE *out)
{
    esf_pub p;
    FORWARD_IF_ERROR(pub_init(&p, t, dc));
    esf_status st = ESF_OK;
    switch (fmt) {
    case ESF_FORMAT_CSV: write_csv(&p, out); break;
    case ESF_FORMAT_JSON: write_json(&p, out); break;
    case ESF_FORMAT_TEXT: st = report_write(&p, REPORT_TEXT, out); break;
    case ESF_FORMAT_MARKDOWN: st = report_write(&p, REPORT_MARKDOWN, out); break;
    case ESF_FORMAT_HTML: st = report_write(&p, REPORT_HTML, out); break;
    default: st = ESF_ERR_USAGE;
    }
    pub_free(&p);
    if (st != ESF_OK) return st;
    if (fflush(out) != 0 || ferror(out)) return ESF_ERR_OUTPUT;
    return ESF_OK;
}
