/* report.c - stage 6: the tables for people (--format text, markdown), laid
 * out as the report's Bijlage 4: categories down, groups across, counts with
 * column percentages, Dutch labels.  Values come from the published view, so
 * rounding and suppression apply; percentages come from exact counts. */
#include "grid.h"
#include "html.h"
#include "report.h"
#include "intro.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A dimension's rows: categories, their labels and the short forms of the
 * text report, which must stay readable at 100 columns (common/schema.h). */
typedef struct {
    const char *title;
    const unsigned *cats;
    const char *const *labels, *const *short_labels;
    esf_dim dim;
    int n;
} dimension;

static const unsigned every_cat[DG_COUNT] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
_Static_assert(DG_COUNT == 11 && (int)AGE_COUNT <= (int)DG_COUNT && (int)POS_COUNT <= (int)DG_COUNT, "every_cat");

static const dimension dims[] = {
    {"leeftijd", every_cat, esf_age_labels, esf_age_short, DIM_LEEFTIJD, AGE_COUNT},
    {"geslacht", every_cat, esf_sex_labels, esf_sex_labels, DIM_GESLACHT, SEX_COUNT},
    {"arbeidsmarktpositie bij start traject", every_cat, esf_pos_labels, esf_pos_labels, DIM_POSITIE_START, POS_COUNT},
    {"doelgroep", every_cat, esf_dg_labels, esf_dg_short, DIM_DOELGROEP, DG_COUNT},
};

static const esf_tcell *find(const esf_pub *p, esf_table table, int group, esf_dim dim, unsigned cat,
                             esf_measure measure)
{
    return esf_tables_at(p->t, table, (uint32_t)group, dim, cat, measure);
}

/* The group of the report's column k (schema: esf_group_column). */
static int group_at(int k)
{
    int g = 0;
    while (g < G_COUNT - 1 && esf_group_column[g] != k) g++;
    return g;
}

/* A published count in Dutch notation; "-" for one that cannot occur. */
static void put_count(const esf_pub *p, const esf_tcell *c, char *dst)
{
    char buf[64];
    if (c && esf_pub_structural(c)) esf_grid_put(dst, "-");
    else esf_dutch(c ? esf_pub_text(p, c, buf, sizeof buf) : "", dst, CW);
}

/* The sum of the k counts n[] / of as a percentage with one decimal, from
 * the published counts (SPEC §6: rounded ones under --round, whose base 0
 * gives "-"); "x" when any is suppressed, "" when one is missing or of is
 * 0 (exact). */
static void put_share(const esf_pub *p, const esf_tcell *const *n, int k, const esf_tcell *of, char *dst)
{
    bool hidden = !of || pub_suppressed(p, of);
    unsigned __int128 sum = 0;
    for (int i = 0; i < k; i++) {
        if (!n[i] || !of) {
            dst[0] = '\0';
            return;
        }
        hidden |= pub_suppressed(p, n[i]);
        sum += esf_pub_count(p, n[i]);
    }
    if (hidden) {
        esf_grid_put(dst, "x");
        return;
    }
    const uint64_t base = esf_pub_count(p, of);
    if (base == 0 && p->dc.round > 1) {
        esf_grid_put(dst, "-");
        return;
    }
    char buf[48];
    esf_tables_percent(sum, base, buf, sizeof buf);
    esf_dutch(buf, dst, CW - 1);
}

static void put_pct(const esf_pub *p, const esf_tcell *n, const esf_tcell *of, char *dst)
{
    put_share(p, &n, 1, of, dst);
}

typedef struct {
    const esf_pub *p;
    report_mode mode;
    FILE *out;
    grid g;
    char id[64];
    bool nomem;
    int nfig, ntab;   /* figures (HTML) and tables so far */
    char period[160]; /* esf_report_period */
} ctx;

static bool html(const ctx *x)
{
    return x->mode == REPORT_HTML;
}

/* An HTML section heading (nothing in the other modes). */
static void section(ctx *x, const char *id, const char *title)
{
    if (html(x)) fprintf(x->out, "<h2 id=\"%s\">%s</h2>\n", id, title);
}

/* An HTML figure around a chart (html.c), numbered in the order of the
 * report, its source and period below it. */
static void figure_open_n(ctx *x, const char *id, const char *caption, const esf_tcell *c)
{
    esf_html_figure_open(x->out, x->p, id, ++x->nfig, caption, c);
}

static void figure_open(ctx *x, const char *id, const char *caption)
{
    figure_open_n(x, id, caption, NULL);
}

static void figure_close(ctx *x)
{
    esf_html_figure_close(x->out, x->period);
}

__attribute__((format(printf, 5, 6))) static grid *begin(ctx *x, const char *id, int ncols,
                                                        bool spans, const char *fmt, ...)
{
    grid *g = &x->g;
    snprintf(x->id, sizeof x->id, "%s", id);
    g->nrows = 0;
    g->ncols = ncols;
    g->spans = spans;
    g->note[0] = '\0';
    memset(g->head, 0, sizeof g->head);
    const int at = snprintf(g->title, sizeof g->title, "Tabel %d. ", ++x->ntab); /* numbered as the report goes */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->title + at, sizeof g->title - (size_t)at, fmt, ap);
    va_end(ap);
    return g;
}

static void end(ctx *x)
{
    if (x->mode == REPORT_MARKDOWN) esf_grid_markdown(&x->g, x->out);
    else if (html(x)) esf_grid_html(&x->g, x->id, x->out);
    else esf_grid_text(&x->g, x->out);
}

static grid_row *row(ctx *x, const char *label)
{
    grid_row *r = esf_grid_add_row(&x->g);
    if (!r) {
        x->nomem = true;
        static grid_row sink;
        return &sink;
    }
    esf_grid_put(r->c[0], label); /* cut to a cell */
    return r;
}

static const char *label(const ctx *x, const dimension *d, int c)
{
    return x->mode == REPORT_TEXT ? d->short_labels[c] : d->labels[c];
}

static void invoer(ctx *x)
{
    section(x, esf_table_names[TB_INVOER], "Invoer");
    const esf_tcell *all = find(x->p, TB_INVOER, 0, DIM_RIJEN, ROW_GELEZEN, MS_N);
    if (html(x)) {
        const char *reasons[ESF_REJ_COUNT];
        unsigned cats[ESF_REJ_COUNT];
        for (int k = 0; k < ESF_REJ_COUNT; k++) reasons[k] = esf_reject_name((esf_reject_reason)k), cats[k] = (unsigned)k;
        static const uint32_t one[1] = {0};
        static const char *const one_label[1] = {"rijen"};
        html_bars_spec s = {.table = TB_INVOER, .nseries = 1, .groups = one, .series_labels = one_label,
                            .nrows = ESF_REJ_COUNT, .row_labels = reasons, .dim = DIM_AFWIJZING, .cats = cats,
                            .measure = MS_N, .of_dim = DIM_RIJEN, .of_cat = ROW_AFGEWEZEN, .of_measure = MS_N,
                            .zoom = true};
        figure_open_n(x, esf_table_names[TB_INVOER], "Afgewezen rijen naar reden (% van de afgewezen rijen)",
                      find(x->p, TB_INVOER, 0, DIM_RIJEN, ROW_AFGEWEZEN, MS_N));
        esf_html_bars(x->out, x->p, "c-invoer", "Afgewezen rijen naar reden", &s);
        figure_close(x);
    }
    grid *g = begin(x, esf_table_names[TB_INVOER], 3, false, "%s", "Invoer");
    esf_grid_put(g->head[1].c[0], "");
    esf_grid_put(g->head[1].c[1], "Rijen");
    esf_grid_put(g->head[1].c[2], "%");
    for (int i = 0; i < ROW_COUNT; i++) {
        const esf_tcell *c = find(x->p, TB_INVOER, 0, DIM_RIJEN, (unsigned)i, MS_N);
        grid_row *r = row(x, esf_row_labels[i]);
        put_count(x->p, c, r->c[1]);
        put_pct(x->p, c, all, r->c[2]);
    }
    for (int k = 0; k < ESF_REJ_COUNT; k++) {
        char label[64];
        const char *name = esf_reject_name((esf_reject_reason)k);
        snprintf(label, sizeof label, "  afgewezen: %s", name);
        const esf_tcell *c = find(x->p, TB_INVOER, 0, DIM_AFWIJZING, (unsigned)k, MS_N);
        grid_row *r = row(x, label);
        put_count(x->p, c, r->c[1]);
        put_pct(x->p, c, all, r->c[2]);
    }
    end(x);
}

static void indicatoren(ctx *x)
{
    section(x, esf_table_names[TB_INDICATOREN], "Indicatoren");
    if (html(x)) {
        figure_open(x, esf_table_names[TB_INDICATOREN], "Indicatoren (als Tabel 1.1 van de monitor): realisatie tegen streefwaarde");
        esf_html_indicators(x->out, x->p, "c-indicatoren");
        figure_close(x);
    }
    grid *g = begin(x, esf_table_names[TB_INDICATOREN], 7, false, "%s", "Indicatoren (als Tabel 1.1 van de monitor): realisatie en streefwaarde");
    const char *h[7] = {"Indicator", "Groep", "Aantal", "Noemer", "Procent", "Streefwaarde", "Behaald"};
    for (int j = 0; j < 7; j++) esf_grid_put(g->head[1].c[j], h[j]);
    for (int i = 0; i < N_INDICATORS; i++) {
        const esf_indicator *ind = &esf_indicators[i];
        const int group = ind->group;
        const unsigned ci = (unsigned)i;
        grid_row *r = row(x, ind->name);
        esf_grid_put(r->c[1], esf_group_labels[group]);
        bool oi = ind->kind == IND_OI;
        char buf[64];
        put_count(x->p, find(x->p, TB_INDICATOREN, group, DIM_INDICATOR, ci, oi ? MS_WAARDE : MS_TELLER), r->c[2]);
        if (!oi) put_count(x->p, find(x->p, TB_INDICATOREN, group, DIM_INDICATOR, ci, MS_NOEMER), r->c[3]);
        const esf_tcell *pc = find(x->p, TB_INDICATOREN, group, DIM_INDICATOR, ci, MS_PROCENT);
        esf_dutch(pc ? esf_pub_text(x->p, pc, buf, sizeof buf) : "", r->c[4], CW - 1);
        if (esf_pub_value(x->p, pc).kind == PV_NUMBER) esf_grid_append(r->c[4], "%");
        const esf_tcell *tc = find(x->p, TB_INDICATOREN, group, DIM_INDICATOR, ci, MS_STREEFWAARDE);
        esf_dutch(tc ? tc->text : "", r->c[5], CW - 1);
        if (!oi) esf_grid_append(r->c[5], "%");
        const esf_pval bv = esf_pub_value(x->p, find(x->p, TB_INDICATOREN, group, DIM_INDICATOR, ci, MS_BEHAALD));
        esf_grid_put(r->c[6], bv.kind == PV_SUPPRESSED ? "x" : bv.kind != PV_NUMBER ? "" : bv.num ? "ja" : "nee");
    }
    snprintf(g->note, sizeof g->note, "%s",
             "OI1 telt ieder persoon één keer. OI1_som telt de deelnemers van gemeenten en die van vso/pro "
             "op, zoals Bijlage 4 (287%): wie in beide meedoet, telt twee keer; het verschil met OI1 is het "
             "aantal personen in beide.");
    end(x);
}

static void group_heads(grid *g)
{
    for (int k = 0; k < ESF_N_GROUPS; k++) {
        esf_grid_put(g->head[0].c[1 + 2 * k], esf_group_labels[group_at(k)]);
        esf_grid_put(g->head[1].c[1 + 2 * k], "n");
        esf_grid_put(g->head[1].c[2 + 2 * k], "%");
    }
}

/* The groups in the report's column order, and their labels. */
typedef struct {
    uint32_t g[G_COUNT];
    const char *label[G_COUNT];
} ordered;

static ordered ordered_groups(void)
{
    ordered o;
    for (int k = 0; k < G_COUNT; k++) o.g[k] = (uint32_t)group_at(k), o.label[k] = esf_group_labels[o.g[k]];
    return o;
}

/* The years of a year dimension (startjaar, eindjaar) as the tables list
 * them: those of the totaal group, in order, with their names.  Returns how
 * many. */
enum { MAX_YEARS = 201 };
typedef struct {
    unsigned ci[MAX_YEARS];
    const char *name[MAX_YEARS];
} years_of;

static int year_cats(const ctx *x, esf_table table, esf_dim dim, esf_measure measure, years_of *y)
{
    int n = 0;
    const esf_tables *t = x->p->t;
    for (size_t i = 0; i < t->n && n < MAX_YEARS; i++) {
        const esf_tcell *c = &t->cells[i];
        if (c->table == table && c->gid == G_TOTAAL && c->dim == dim && c->measure == measure)
            y->ci[n] = c->ci, y->name[n++] = c->cat;
    }
    return n;
}

/* Unique participants by the year of their first trajectory's start. */
static void deelnemers_startjaar(ctx *x)
{
    years_of years;
    const int n = year_cats(x, TB_DEELNEMERS, DIM_STARTJAAR, MS_N, &years);
    grid *g = begin(x, "deelnemers-startjaar", 1 + 2 * ESF_N_GROUPS, true, "%s",
                    "Unieke deelnemers naar jaar van start (eerste traject)");
    group_heads(g);
    for (int c = 0; c <= n; c++) {
        grid_row *r = row(x, c < n ? years.name[c] : "Totaal");
        for (int k = 0; k < ESF_N_GROUPS; k++) {
            const int gn = group_at(k);
            const esf_tcell *tot = find(x->p, TB_DEELNEMERS, gn, DIM_TOTAAL, 0, MS_N);
            const esf_tcell *cell = c < n ? find(x->p, TB_DEELNEMERS, gn, DIM_STARTJAAR, years.ci[c], MS_N) : tot;
            put_count(x->p, cell, r->c[1 + 2 * k]);
            put_pct(x->p, cell, tot, r->c[2 + 2 * k]);
        }
    }
    end(x);
}

/* A dimension's categories without those published as 0 in every group
 * (the target groups no applicant has: Bijlage 4 shows only those that
 * apply), into the caller's arrays (d's size); the left-out ones' labels in
 * gone. */
typedef struct {
    unsigned cats[DG_COUNT];
    const char *labels[DG_COUNT], *shorts[DG_COUNT];
    char gone[220];
} dim_kept;

static dimension without_zero_rows(const ctx *x, const dimension *d, dim_kept *k)
{
    dimension out = *d;
    out.n = 0, out.cats = k->cats, out.labels = k->labels, out.short_labels = k->shorts;
    k->gone[0] = '\0';
    for (int c = 0; c < d->n && c < DG_COUNT; c++) {
        bool any = false;
        for (int g = 0; g < ESF_N_GROUPS && !any; g++) {
            const esf_pval v = esf_pub_value(x->p, find(x->p, TB_DEELNEMERS, g, d->dim, d->cats[c], MS_N));
            any = v.kind == PV_SUPPRESSED || (v.kind == PV_NUMBER && v.num != 0);
        }
        if (any) {
            k->cats[out.n] = d->cats[c], k->labels[out.n] = d->labels[c], k->shorts[out.n++] = d->short_labels[c];
        } else {
            const size_t l = strlen(k->gone);
            snprintf(k->gone + l, sizeof k->gone - l, "%s%s", l ? ", " : "", d->short_labels[c]);
        }
    }
    return out;
}

static void deelnemers(ctx *x)
{
    section(x, esf_table_names[TB_DEELNEMERS], "Unieke deelnemers");
    for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++) {
        /* a person can be in several target groups: their rows add up to
         * more than the persons, so the last row gives persons, no 100 % */
        const bool overlap = !(esf_dim_flags[dims[i].dim] & DIM_SUMS);
        dim_kept kept;
        memset(&kept, 0, sizeof kept);
        const dimension dm = overlap ? without_zero_rows(x, &dims[i], &kept) : dims[i], *d = &dm;
        char id[64], title[160];
        snprintf(id, sizeof id, "deelnemers-%s", esf_dim_names[d->dim]);
        snprintf(title, sizeof title, "Unieke deelnemers naar %s (%% van de deelnemers per aanvrager)", d->title);
        if (html(x)) {
            const ordered o = ordered_groups();
            html_bars_spec s = {.table = TB_DEELNEMERS, .nseries = ESF_N_GROUPS, .groups = o.g,
                                .series_labels = o.label, .nrows = d->n, .row_labels = d->labels,
                                .dim = d->dim, .cats = d->cats, .measure = MS_N, .of_dim = DIM_TOTAAL,
                                .of_cat = 0, .of_measure = MS_N};
            char cid[72];
            snprintf(cid, sizeof cid, "c-%s", id);
            figure_open_n(x, id, title, find(x->p, TB_DEELNEMERS, G_TOTAAL, DIM_TOTAAL, 0, MS_N));
            esf_html_bars(x->out, x->p, cid, title, &s);
            figure_close(x);
        }
        grid *g = begin(x, id, 1 + 2 * ESF_N_GROUPS, true, "Unieke deelnemers naar %s", d->title);
        group_heads(g);
        for (int c = 0; c <= d->n; c++) {
            grid_row *r = row(x, c < d->n ? label(x, d, c) : overlap ? "Personen" : "Totaal");
            for (int k = 0; k < ESF_N_GROUPS; k++) {
                const int gn = group_at(k);
                const esf_tcell *tot = find(x->p, TB_DEELNEMERS, gn, DIM_TOTAAL, 0, MS_N);
                const esf_tcell *cell = c < d->n ? find(x->p, TB_DEELNEMERS, gn, d->dim, d->cats[c], MS_N) : tot;
                put_count(x->p, cell, r->c[1 + 2 * k]);
                if (c < d->n || !overlap) put_pct(x->p, cell, tot, r->c[2 + 2 * k]);
            }
        }
        if (overlap)
            snprintf(g->note, sizeof g->note, "Een deelnemer kan tot meer doelgroepen behoren: de rijen tellen op "
                     "tot meer dan het aantal personen.%s%s%s", kept.gone[0] ? " Zonder deelnemers, weggelaten: " : "",
                     kept.gone, kept.gone[0] ? "." : "");
        end(x);
    }
    deelnemers_startjaar(x);
}

static void resultaten(ctx *x)
{
    static const esf_measure sets[2][4] = {{MS_WERK_EIND, MS_WERK_12M, MS_VERBETERD_EIND, MS_VERBETERD_12M},
                                           {MS_ONBEKEND_EIND, MS_ONBEKEND_12M, MS_ONDERWIJS_EIND, MS_ONDERWIJS_12M}};
    static const char *const heads[2][4] = {{"Betaald werk bij einde traject", "Betaald werk na 12 maanden", "Verbeterd bij einde traject", "Verbeterd na 12 maanden"},
                                            {"Positie onbekend bij einde traject", "Onbekend na 12 maanden", "Onderwijs bij einde traject", "Onderwijs na 12 maanden"}};
    /* the text report stays within about 100 columns */
    static const char *const short_heads[2][4] = {{"Werk einde", "Werk 12 mnd", "Verb. einde", "Verb. 12 mnd"},
                                                  {"Onbek. einde", "Onbek. 12 mnd", "Onderw. einde", "Onderw. 12 mnd"}};
    section(x, esf_table_names[TB_RESULTATEN], "Resultaten");
    if (html(x)) {
        static const char *const rows[4] = {"Betaald werk bij einde traject", "Betaald werk na 12 maanden",
                                            "Positie verbeterd bij einde traject", "Positie verbeterd na 12 maanden"};
        const ordered o = ordered_groups();
        html_bars_spec sp = {.table = TB_RESULTATEN, .nseries = ESF_N_GROUPS, .groups = o.g,
                             .series_labels = o.label, .nrows = 4, .row_labels = rows, .dim = DIM_TOTAAL,
                             .cat = 0, .measures = sets[0], .of_dim = DIM_TOTAAL, .of_cat = 0,
                             .of_measure = MS_AFGEROND};
        const char *t = "Resultaten bij einde traject en na 12 maanden (% van de deelnemers met beëindigd traject)";
        figure_open_n(x, esf_table_names[TB_RESULTATEN], t, find(x->p, TB_RESULTATEN, G_TOTAAL, DIM_TOTAAL, 0, MS_AFGEROND));
        esf_html_bars(x->out, x->p, "c-resultaten", t, &sp);
        figure_close(x);
    }
    /* the dimensions' rows as in deelnemers: no target group without participants */
    const int ndims = (int)(sizeof dims / sizeof dims[0]);
    dimension rd[sizeof dims / sizeof dims[0]];
    dim_kept kept;
    memset(&kept, 0, sizeof kept);
    for (int d = 0; d < ndims; d++)
        rd[d] = dims[d].dim == DIM_DOELGROEP ? without_zero_rows(x, &dims[d], &kept) : dims[d];
    for (int k = 0; k < ESF_N_GROUPS; k++) {
        const int gn = group_at(k);
        for (int s = 0; s < 2; s++) {
            char id[64];
            snprintf(id, sizeof id, "resultaten-%s-%s", esf_group_names[gn], s == 0 ? "werk" : "onbekend");
            grid *g = begin(x, id, 10, true, "Resultaten deelnemers %s%s", esf_group_labels[gn],
                            s == 0 ? " (met beëindigd traject)" : ": onbekend en onderwijs");
            esf_grid_put(g->head[1].c[1], "Afgerond");
            for (int m = 0; m < 4; m++) {
                esf_grid_put(g->head[0].c[2 + 2 * m], (x->mode == REPORT_TEXT ? short_heads : heads)[s][m]);
                esf_grid_put(g->head[1].c[2 + 2 * m], "n");
                esf_grid_put(g->head[1].c[3 + 2 * m], "%");
            }
            for (int d = -1; d <= ndims; d++) { /* totaal, the dimensions, eindjaar */
                years_of years;
                int n = d < 0 ? 1 : d < ndims ? rd[d].n : year_cats(x, TB_RESULTATEN, DIM_EINDJAAR, MS_AFGEROND, &years);
                if (d >= 0) { /* a sub-heading: the dimension of the rows below */
                    char sub[96];
                    snprintf(sub, sizeof sub, "Naar %s",
                             d == ndims ? "jaar van beëindiging"
                             : rd[d].dim == DIM_POSITIE_START ? "positie bij start" : rd[d].title);
                    row(x, sub);
                }
                for (int c = 0; c < n; c++) {
                    const esf_dim dim = d < 0 ? DIM_TOTAAL : d < ndims ? rd[d].dim : DIM_EINDJAAR;
                    const unsigned cat = d < 0 ? 0 : d < ndims ? rd[d].cats[c] : years.ci[c];
                    grid_row *r = row(x, d < 0 ? "Totaal" : d < ndims ? label(x, &rd[d], c) : years.name[c]);
                    const esf_tcell *afg = find(x->p, TB_RESULTATEN, gn, dim, cat, MS_AFGEROND);
                    put_count(x->p, afg, r->c[1]);
                    for (int m = 0; m < 4; m++) {
                        const esf_tcell *cell = find(x->p, TB_RESULTATEN, gn, dim, cat, sets[s][m]);
                        put_count(x->p, cell, r->c[2 + 2 * m]);
                        put_pct(x->p, cell, afg, r->c[3 + 2 * m]);
                    }
                }
            }
            end(x);
        }
    }
}

static void overgangen(ctx *x)
{
    section(x, esf_table_names[TB_OVERGANGEN], "Overgangen");
    for (int k = 0; k < ESF_N_GROUPS; k++) {
        const int gn = group_at(k);
        if (html(x)) {
            char id[64], cid[72], t[160];
            snprintf(id, sizeof id, "overgangen-%s", esf_group_names[gn]);
            snprintf(cid, sizeof cid, "c-%s", id);
            snprintf(t, sizeof t, "Overgangen %s: positie bij start, bij einde traject en na 12 maanden", esf_group_labels[gn]);
            figure_open_n(x, id, t, find(x->p, TB_RESULTATEN, gn, DIM_TOTAAL, 0, MS_AFGEROND));
            esf_html_sankey(x->out, x->p, cid, gn);
            figure_close(x);
        }
        for (int s = 0; s < 2; s++) {
            char id[64];
            snprintf(id, sizeof id, "overgangen-%s-%s", esf_group_names[gn], esf_dim_names[s == 0 ? DIM_START_EIND : DIM_EIND_12M]);
            grid *g = begin(x, id, 1 + ESF_N_STATES, false, "Overgangen %s: %s", esf_group_labels[gn],
                            s == 0 ? "positie bij start (rij) naar positie bij einde traject (kolom)"
                                   : "positie bij einde traject (rij) naar positie na 12 maanden (kolom)");
            esf_grid_put(g->head[1].c[0], s == 0 ? "Start \\ einde" : "Einde \\ 12 mnd");
            for (int t = 0; t < ESF_N_STATES; t++) esf_grid_put(g->head[1].c[1 + t], esf_state_labels[t]);
            int nfrom = s == 0 ? POS_COUNT : ESF_N_STATES;
            for (int f = 0; f < nfrom; f++) {
                grid_row *r = row(x, s == 0 ? esf_pos_labels[f] : esf_state_labels[f]);
                for (int t = 0; t < ESF_N_STATES; t++)
                    put_count(x->p, find(x->p, TB_OVERGANGEN, gn, s == 0 ? DIM_START_EIND : DIM_EIND_12M,
                                         esf_trans_cat(f, t), MS_N), r->c[1 + t]);
            }
            if (s == 0)
                snprintf(g->note, sizeof g->note, "%s",
                         "Verklaring: - = kan niet voorkomen (alleen wie werkend start, kan verbeteren).");
            end(x);
        }
    }
}

/* Per project: applicant (gemengd: several), persons, trajectories, finished
 * persons, results attributed to it (each finished person once: they add up). */
static void projecten(ctx *x)
{
    enum { NM = 8, NC = NM + 3 };
    static const esf_measure order[NM] = {MS_DEELNEMERS, MS_TRAJECTEN, MS_AFGEROND, MS_TOEGEREKEND,
                                          MS_WERK_EIND, MS_VERBETERD_EIND, MS_WERK_12M, MS_VERBETERD_12M};
    /* the applicant, the measures, after each pair of results the share of
     * toegerekend with werk or verbeterd (as RI1 and RI2 do) */
    static const char *const head[1 + NC] = {"Project", "Aanvrager", "Deeln.", "Traj.", "Afgerond", "Toegerek.",
                                             "Werk", "Verbeterd", "%", "Werk", "Verbeterd", "%"};
    static const int col[NM] = {2, 3, 4, 5, 6, 7, 9, 10};
    section(x, esf_table_names[TB_PROJECTEN], "Projecten");
    grid *g = begin(x, esf_table_names[TB_PROJECTEN], 1 + NC, true, "%s",
                    "Projecten; resultaten toegerekend aan het project van het laatste afgeronde traject");
    for (int j = 0; j <= NC; j++) esf_grid_put(g->head[1].c[j], head[j]);
    esf_grid_put(g->head[0].c[6], "Na traject");
    esf_grid_put(g->head[0].c[9], "Na 12 maanden");
    const esf_tables *t = x->p->t;
    for (size_t i = 0; i < t->n;) {
        const esf_tcell *c = &t->cells[i];
        if (c->table != TB_PROJECTEN) {
            i++;
            continue;
        }
        char label[CW];
        esf_utf8_clean(c->group, c->group_len, label, sizeof label); /* U+FFFD for bytes not UTF-8 */
        grid_row *r = row(x, label);
        const esf_tcell *m[NM] = {0};
        int applicants = 0, which = 0; /* with trajecten as published: a number > 0 or x (zeros are
                                          published; under --round, a count that rounds to 0 is 0) */
        /* the cells of one project are adjacent (sorted by table, group) */
        for (; i < t->n && t->cells[i].table == TB_PROJECTEN && t->cells[i].gid == c->gid; i++) {
            const esf_tcell *e = &t->cells[i];
            if (e->dim == DIM_AANVRAGER) {
                const esf_pval v = esf_pub_value(x->p, e);
                if (v.kind == PV_SUPPRESSED || (v.kind == PV_NUMBER && v.num)) applicants++, which = e->ci;
                continue;
            }
            for (int k = 0; k < NM; k++)
                if (e->measure == order[k]) m[k] = e;
        }
        esf_grid_put(r->c[1], applicants == 1 ? esf_aanvrager_labels[which] : "gemengd");
        for (int k = 0; k < NM; k++) put_count(x->p, m[k], r->c[col[k]]);
        for (int k = 4; k < NM; k += 2) /* (werk + verbeterd) / toegerekend */
            put_share(x->p, &m[k], 2, m[3], r->c[col[k + 1] + 1]);
    }
    snprintf(g->note, sizeof g->note, "%s",
             "Ieder afgerond persoon telt één keer, bij het project van zijn laatste afgeronde traject: "
             "toegerekend en de resultaten tellen op tot de totalen. %: aandeel van toegerekend met werk of "
             "verbeterde positie, zoals RI1 en RI2. Gemengd: trajecten van meer dan één aanvrager.");
    end(x);
}

/* The top of every report (intro.c), as paragraphs. */
static void intro(ctx *x)
{
    char lines[INTRO_LINES][400];
    esf_report_intro(x->p, html(x), lines);
    for (int i = 0; i < 4; i++) {
        if (!lines[i][0]) continue;
        if (html(x)) {
            fputs("<p class=\"note\">", x->out);
            esf_html_escape(x->out, lines[i], strlen(lines[i]));
            fputs("</p>\n", x->out);
        } else {
            fprintf(x->out, "%s%s", lines[i], x->mode == REPORT_MARKDOWN ? "  \n" : "\n");
        }
    }
    if (!html(x)) putc('\n', x->out);
}

esf_status esf_report_write(const esf_pub *p, report_mode mode, FILE *out)
{
    ctx x = {.p = p, .mode = mode, .out = out};
    esf_report_period(p->t, x.period, sizeof x.period);
    bool markdown = mode == REPORT_MARKDOWN;
    if (mode == REPORT_HTML) esf_html_head(out);
    else fprintf(out, markdown ? "## ESF Actieve Inclusie: monitor (esfmon %s)\n\n" : "ESF Actieve Inclusie: monitor (esfmon %s)\n\n", ESF_VERSION);
    intro(&x);
    indicatoren(&x);
    deelnemers(&x);
    resultaten(&x);
    overgangen(&x);
    projecten(&x);
    invoer(&x);
    if (mode == REPORT_HTML) esf_html_foot(out);
    free(x.g.rows);
    return x.nomem ? ESF_ERR_NOMEM : ESF_OK;
}
