/* html.h - stage 6: SVG figures and the frame of the HTML report (html.c);
 * report.c lays out the sections and their tables. */
#ifndef ESF_HTML_H
#define ESF_HTML_H

#include "tabulate/tabulate.h"

/* Grouped horizontal bars: a row per category (or measure), a bar per series
 * (group), each the share of a published count in a published total. */
typedef struct {
    esf_table table;
    int nseries;
    const uint32_t *groups;            /* group of each series (G_)       */
    const char *const *series_labels;
    int nrows;
    const char *const *row_labels;
    esf_dim dim;                       /* the counted cell of row r:       */
    const unsigned *cats;              /*   category cats[r] or cat        */
    unsigned cat;
    const esf_measure *measures;       /*   measures[r] or measure         */
    esf_measure measure;
    esf_dim of_dim;                    /* its total                        */
    unsigned of_cat;
    esf_measure of_measure;
    bool zoom;                         /* axis to the largest share, not 100% */
} html_bars_spec;

/* An HTML figure: "Figuur number. caption (N = n)", n the published count
 * the figure is of (NULL: none); closed with its source and the run's
 * period in words. */
void esf_html_figure_open(FILE *out, const esf_pub *p, const char *id, int number, const char *caption,
                          const esf_tcell *n);
void esf_html_figure_close(FILE *out, const char *period);
void esf_html_head(FILE *out);
void esf_html_foot(FILE *out);
void esf_html_escape(FILE *out, const char *s, size_t n);
/* A number's text in Dutch notation: "1234567" -> "1.234.567", "12.5" ->
 * "12,5"; "x" and "" as they are.  For the reports and the figures. */
void esf_dutch(const char *v, char *dst, size_t len);
void esf_html_bars(FILE *out, const esf_pub *p, const char *id, const char *title, const html_bars_spec *s);
void esf_html_indicators(FILE *out, const esf_pub *p, const char *id);
void esf_html_sankey(FILE *out, const esf_pub *p, const char *id, int group);

#endif
