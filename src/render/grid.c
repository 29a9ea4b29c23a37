/* grid.c - stage 6: a table laid out for people (rows of bounded cells, a
 * title, group titles spanning their columns) and written as text, as a
 * Markdown pipe table or as an HTML table.  report.c fills the grids. */
#include "grid.h"
#include "html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounded copies into a grid cell (CW bytes). */
void esf_grid_put(char *dst, const char *s)
{
    snprintf(dst, CW, "%s", s);
}

void esf_grid_append(char *dst, const char *s)
{
    size_t n = strnlen(dst, CW - 1);
    snprintf(dst + n, CW - n, "%s", s);
}

grid_row *esf_grid_add_row(grid *g)
{
    if (g->nrows == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 16;
        grid_row *r = realloc(g->rows, cap * sizeof *r);
        if (!r) return NULL;
        g->rows = r;
        g->cap = cap;
    }
    grid_row *r = &g->rows[g->nrows++];
    memset(r, 0, sizeof *r);
    return r;
}

/* Display width: UTF-8 continuation bytes take no column. */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++) w += ((unsigned char)*s & 0xc0) != 0x80;
    return w;
}

static void pad(FILE *out, size_t n)
{
    while (n--) putc(' ', out);
}

/* Spaces before column j: one between a count and its percentage. */
static size_t gap(const grid *g, int j)
{
    return strcmp(g->head[1].c[j], "%") == 0 ? 1 : 2;
}

/* s in lines of at most cols characters (UTF-8 counted as characters),
 * broken at spaces. */
static void put_wrapped(FILE *out, const char *s, size_t cols)
{
    while (*s) {
        const char *p = s, *brk = NULL;
        for (size_t n = 0; *p && n < cols; p++) {
            if (*p == ' ') brk = p;
            n += ((unsigned char)*p & 0xc0) != 0x80;
        }
        if (!*p || *p == ' ') {
            brk = p; /* the rest fits, or the line ends at a space */
        } else if (!brk) {
            while (*p && *p != ' ') p++; /* a word longer than a line */
            brk = p;
        }
        fprintf(out, "%.*s\n", (int)(brk - s), s);
        s = *brk ? brk + 1 : brk;
    }
}

void esf_grid_text(const grid *g, FILE *out)
{
    size_t w[MAXC] = {0};
    for (int j = 0; j < g->ncols; j++) {
        w[j] = width(g->head[1].c[j]);
        for (size_t i = 0; i < g->nrows; i++)
            if (width(g->rows[i].c[j]) > w[j]) w[j] = width(g->rows[i].c[j]);
    }
    /* a group title wider than its columns widens the last of them */
    for (int j = 1; g->spans && j < g->ncols; j++) {
        const char *h = g->head[0].c[j];
        if (!h[0]) continue;
        size_t span = w[j];
        int k = j;
        while (k + 1 < g->ncols && !g->head[0].c[k + 1][0]) k++, span += gap(g, k) + w[k];
        if (width(h) > span) w[k] += width(h) - span;
        j = k;
    }
    fprintf(out, "%s\n", g->title);
    if (g->spans) {
        /* a group title over its column and the empty ones after it; a
         * column before any title keeps its width */
        pad(out, w[0]);
        for (int j = 1; j < g->ncols; j++) {
            const char *h = g->head[0].c[j];
            if (!h[0]) {
                pad(out, gap(g, j) + w[j]);
                continue;
            }
            const int j0 = j;
            size_t span = w[j];
            while (j + 1 < g->ncols && !g->head[0].c[j + 1][0]) span += gap(g, j + 1) + w[j + 1], j++;
            pad(out, gap(g, j0));
            pad(out, span > width(h) ? span - width(h) : 0);
            fputs(h, out);
        }
        putc('\n', out);
    }
    for (size_t i = 0; i <= g->nrows; i++) {
        const grid_row *r = i == 0 ? &g->head[1] : &g->rows[i - 1];
        for (int j = 0; j < g->ncols; j++) {
            size_t cw = width(r->c[j]);
            if (j == 0) {
                fputs(r->c[j], out);
                pad(out, w[0] - cw);
            } else {
                pad(out, gap(g, j) + w[j] - cw);
                fputs(r->c[j], out);
            }
        }
        putc('\n', out);
        if (i == 0) {
            size_t total = 0;
            for (int j = 0; j < g->ncols; j++) total += w[j] + (j ? gap(g, j) : 0);
            for (size_t k = 0; k < total; k++) putc('-', out);
            putc('\n', out);
        }
    }
    if (g->note[0]) put_wrapped(out, g->note, 100);
    putc('\n', out);
}

static void md_cell(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '|' || *s == '\\') putc('\\', out);
        putc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
    }
}

void esf_grid_markdown(const grid *g, FILE *out)
{
    fprintf(out, "### %s\n\n|", g->title);
    const char *span = "";
    for (int j = 0; j < g->ncols; j++) {
        if (g->spans && j > 0 && g->head[0].c[j][0]) span = g->head[0].c[j];
        putc(' ', out);
        if (g->spans && j > 0 && span[0]) {
            md_cell(out, span);
            putc(' ', out);
        }
        md_cell(out, g->head[1].c[j]);
        fputs(" |", out);
    }
    fputs("\n|", out);
    for (int j = 0; j < g->ncols; j++) fputs(j == 0 ? " :--- |" : " ---: |", out);
    putc('\n', out);
    for (size_t i = 0; i < g->nrows; i++) {
        putc('|', out);
        for (int j = 0; j < g->ncols; j++) {
            putc(' ', out);
            md_cell(out, g->rows[i].c[j]);
            fputs(" |", out);
        }
        putc('\n', out);
    }
    if (g->note[0]) fprintf(out, "\n%s\n", g->note);
    putc('\n', out);
}

/* One table as HTML, numbers right-aligned, the group titles spanning
 * their columns. */
void esf_grid_html(const grid *g, const char *id, FILE *out)
{
    fprintf(out, "<table id=\"t-%s\">\n<caption>", id);
    esf_html_escape(out, g->title, strlen(g->title));
    fputs("</caption>\n<thead>\n", out);
    if (g->spans) {
        fputs("<tr><th></th>", out);
        for (int j = 1; j < g->ncols; j++) {
            const char *h = g->head[0].c[j];
            if (!h[0]) { /* a column before any group title */
                fputs("<th></th>", out);
                continue;
            }
            int span = 1;
            while (j + span < g->ncols && !g->head[0].c[j + span][0]) span++;
            fprintf(out, "<th colspan=\"%d\">", span);
            esf_html_escape(out, h, strlen(h));
            fputs("</th>", out);
            j += span - 1;
        }
        fputs("</tr>\n", out);
    }
    fputs("<tr>", out);
    for (int j = 0; j < g->ncols; j++) {
        fputs("<th>", out);
        esf_html_escape(out, g->head[1].c[j], strlen(g->head[1].c[j]));
        fputs("</th>", out);
    }
    fputs("</tr>\n</thead>\n<tbody>\n", out);
    for (size_t i = 0; i < g->nrows; i++) {
        int filled = 0; /* a row of a label alone heads the rows below it */
        for (int j = 1; j < g->ncols; j++) filled += g->rows[i].c[j][0] != '\0';
        if (!filled && g->ncols > 1) {
            fprintf(out, "<tr class=\"sub\"><th colspan=\"%d\">", g->ncols);
            esf_html_escape(out, g->rows[i].c[0], strlen(g->rows[i].c[0]));
            fputs("</th></tr>\n", out);
            continue;
        }
        fputs("<tr>", out);
        for (int j = 0; j < g->ncols; j++) {
            fputs(j ? "<td class=\"n\">" : "<td>", out);
            esf_html_escape(out, g->rows[i].c[j], strlen(g->rows[i].c[j]));
            fputs("</td>", out);
        }
        fputs("</tr>\n", out);
    }
    fputs("</tbody>\n</table>\n", out);
    if (g->note[0]) {
        fputs("<p class=\"note\">", out);
        esf_html_escape(out, g->note, strlen(g->note));
        fputs("</p>\n", out);
    }
}
