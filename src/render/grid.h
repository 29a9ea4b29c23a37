/* grid.h - stage 6: a table laid out for people (grid.c). */
#ifndef ESF_GRID_H
#define ESF_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum { MAXC = 14, CW = 48 };

typedef struct {
    char c[MAXC][CW];
} grid_row;

typedef struct {
    char title[160];
    char note[400];  /* a line under the table, "" for none */
    int ncols;
    grid_row head[2];  /* head[0]: spanning group titles, head[1]: column titles */
    grid_row *rows;
    size_t nrows, cap;
    bool spans;
} grid;

/* Bounded copies into a grid cell (CW bytes). */
void esf_grid_put(char *dst, const char *s);
void esf_grid_append(char *dst, const char *s);
/* A new empty row at the end, NULL when out of memory. */
grid_row *esf_grid_add_row(grid *g);
/* The grid as text (columns aligned, group titles over their columns), as
 * a Markdown pipe table, or as an HTML table (id: its element id). */
void esf_grid_text(const grid *g, FILE *out);
void esf_grid_markdown(const grid *g, FILE *out);
void esf_grid_html(const grid *g, const char *id, FILE *out);

#endif
