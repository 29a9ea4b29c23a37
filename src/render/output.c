/* output.c - stage 6: the machine-readable formats: CSV (SPEC §5, RFC 4180)
 * and JSON (RFC 8259), from the published view. */
#include "output.h"

#include <stdio.h>
#include <string.h>

/* A line of CSV being written: buf[0, n), flushed to out when full. */
typedef struct {
    FILE *out;
    size_t n;
    char buf[1024];
} csv_line;

static void line_put(csv_line *l, char c)
{
    if (l->n == sizeof l->buf) {
        fwrite(l->buf, 1, l->n, l->out);
        l->n = 0;
    }
    l->buf[l->n++] = c;
}

/* RFC 4180: a field, quoted when it holds , " CR or LF, its quotes doubled. */
static void csv_field(csv_line *l, const char *s, size_t len)
{
    bool q = false;
    for (size_t i = 0; i < len && !q; i++)
        q = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!q && l->n + len <= sizeof l->buf) { /* the usual field */
        memcpy(l->buf + l->n, s, len);
        l->n += len;
        return;
    }
    if (q) line_put(l, '"');
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"') line_put(l, '"');
        line_put(l, s[i]);
    }
    if (q) line_put(l, '"');
}

/* The cells (all, or only the suppressed ones with their reason as last
 * field) as CSV, written a line at a time. */
static void csv_cells(const esf_pub *p, FILE *out, bool log)
{
    if (log) /* SPEC §6, end: for the output checker, before the header */
        fputs("# Differencing: two runs on overlapping data (another --period, a file more or less) are two "
              "releases; suppression per run does not protect against subtracting one from the other.\n", out);
    fputs(log ? "table,group,dimension,category,measure,reason\n"
              : "table,group,dimension,category,measure,value\n", out);
    char buf[64];
    csv_line l = {.out = out};
    for (size_t i = 0; i < p->t->n; i++) {
        const esf_tcell *c = &p->t->cells[i];
        if (log && !p->sup[i]) continue;
        const char *v = log ? esf_sup_reason_names[p->sup[i]] : esf_pub_text(p, c, buf, sizeof buf);
        const char *table = esf_table_names[c->table], *dim = esf_dim_names[c->dim],
                   *measure = esf_measure_names[c->measure];
        const char *f[6] = {table, c->group, dim, c->cat, measure, v};
        const size_t n[6] = {strlen(table), c->group_len, strlen(dim), strlen(c->cat), strlen(measure),
                             strlen(v)};
        l.n = 0;
        for (int k = 0; k < 6; k++) {
            if (k) line_put(&l, ',');
            csv_field(&l, f[k], n[k]);
        }
        line_put(&l, '\n');
        fwrite(l.buf, 1, l.n, out);
    }
}

void esf_output_csv(const esf_pub *p, FILE *out) { csv_cells(p, out, false); }
void esf_output_suppression_log(const esf_pub *p, FILE *out) { csv_cells(p, out, true); }

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
void esf_output_json(const esf_pub *p, FILE *out)
{
    const esf_tcell *prev = NULL;
    char buf[64];
    fputs("{", out);
    for (size_t i = 0; i < p->t->n; i++) {
        const esf_tcell *c = &p->t->cells[i];
        int lvl = 0; /* first key level that differs from the previous cell */
        if (prev) {
            if (prev->table != c->table) lvl = 0;
            else if (prev->group_len != c->group_len || memcmp(prev->group, c->group, c->group_len)) lvl = 1;
            else if (prev->dim != c->dim) lvl = 2;
            else if (strcmp(prev->cat, c->cat)) lvl = 3;
            else lvl = 4;
            for (int k = 4; k > lvl; k--) fputs("}", out);
            fputs(",", out);
        }
        const char *keys[5] = {esf_table_names[c->table], c->group, esf_dim_names[c->dim], c->cat,
                               esf_measure_names[c->measure]};
        const size_t lens[5] = {strlen(keys[0]), c->group_len, strlen(keys[2]), strlen(c->cat), strlen(keys[4])};
        for (int k = lvl; k < 5; k++) {
            fputs(k == 0 ? "\n " : "", out);
            json_str(out, keys[k], lens[k]);
            fputs(k < 4 ? ":{" : ":", out);
        }
        const char *v = esf_pub_text(p, c, buf, sizeof buf);
        const esf_pv_kind kind = esf_pub_value(p, c).kind;
        const bool number = kind == PV_NUMBER || kind == PV_STRUCTURAL;
        if (kind == PV_NONE) fputs("null", out);
        else if (number) fputs(v, out);
        else json_str(out, v, strlen(v));
        prev = c;
    }
    if (prev) fputs("}}}}", out);
    fputs("\n}\n", out);
}
