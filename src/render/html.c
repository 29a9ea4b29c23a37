/* html.c - stage 6: the figures of the HTML report, drawn as inline SVG from
 * the published view (report.c writes the page and its tables).  Every mark
 * carries data-key (table|group|dimension|category|measure) and data-value
 * (the published text) so that a test can compare the page with the CSV, and
 * a <title> with its number; a suppressed cell is drawn as a hatched gap
 * marked "x", never with its exact count.  Palette: Okabe-Ito, safe for
 * colour-blind readers. */
#include "html.h"

#include <stdlib.h>
#include <string.h>

static const char *const palette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                      "#56B4E9", "#D55E00", "#F0E442", "#000000"};

void esf_html_escape(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0, k; i < n; i += k ? k : 1) {
        k = esf_utf8_char(s + i, n - i);
        switch (k ? s[i] : 0) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default:
            /* control bytes are not HTML text; bytes not UTF-8 neither */
            if ((unsigned char)s[i] < 0x20 || !k) fprintf(out, "&#xfffd;");
            else fwrite(s + i, 1, k, out);
        }
    }
}

static void esc(FILE *out, const char *s)
{
    esf_html_escape(out, s, strlen(s));
}

/* A published value (esf_pub_value): *sup when suppressed ("x"),
 * *missing when there is no cell or it is empty; else the number v.  Its
 * text is what the CSV has, for data-value and the tooltips. */
typedef struct {
    const esf_tcell *c;
    char text[64];
    double v;
    bool sup, missing;
} pval;

static pval get(const esf_pub *p, esf_table table, uint32_t group, esf_dim dim, unsigned cat,
                esf_measure measure)
{
    pval r = {.c = esf_tables_at(p->t, table, group, dim, cat, measure)};
    const esf_pval v = esf_pub_value(p, r.c);
    r.sup = v.kind == PV_SUPPRESSED;
    r.missing = v.kind == PV_NONE;
    r.v = esf_pval_double(v);
    char buf[64];
    if (r.c) esf_copy_cut(r.text, sizeof r.text, esf_pub_text(p, r.c, buf, sizeof buf));
    return r;
}

/* data-key and data-value of the cell a mark shows. */
static void data_attrs(FILE *out, const pval *v)
{
    if (!v->c) return;
    fputs(" data-key=\"", out);
    esc(out, esf_table_names[v->c->table]);
    putc('|', out);
    esf_html_escape(out, v->c->group, v->c->group_len);
    fprintf(out, "|%s|", esf_dim_names[v->c->dim]);
    esc(out, v->c->cat);
    fprintf(out, "|%s\" data-value=\"", esf_measure_names[v->c->measure]);
    esc(out, v->text);
    putc('"', out);
}

/* "1234567" -> "1.234.567"; "12.5" -> "12,5"; "x" and "" as they are. */
void esf_dutch(const char *v, char *dst, size_t len)
{
    size_t n = strlen(v), digits = strspn(v, "0123456789"), o = 0;
    if (digits == 0 || len < 2) {
        snprintf(dst, len, "%s", v);
        return;
    }
    for (size_t i = 0; i < n && o + 2 < len; i++) {
        if (i < digits && i > 0 && (digits - i) % 3 == 0) dst[o++] = '.';
        dst[o++] = v[i] == '.' ? ',' : v[i];
    }
    dst[o] = '\0';
}

/* "12.3" -> "12,3" (Dutch notation). */
static void decimal_comma(char *s)
{
    char *dot = strchr(s, '.');
    if (dot) *dot = ',';
}

/* An axis tick (not a number of the tables). */
/* An axis tick with the decimals its axis's step needs (25: none, 12,5:
 * one, 0,25: two), the same for every tick of the axis. */
static void pct_text(double pct, double step, char *dst, size_t len)
{
    const int d = step == (double)(long)step ? 0 : step * 10 == (double)(long)(step * 10) ? 1 : 2;
    snprintf(dst, len, "%.*f", d, pct);
    decimal_comma(dst);
}

/* A count of the tables in a tooltip as the report writes it (64.450). */
static const char *dutch(const char *v, char *dst, size_t len)
{
    esf_dutch(v, dst, len);
    return dst;
}

static void svg_open(FILE *out, const char *id, int w, int h, const char *label)
{
    fprintf(out, "<svg id=\"%s\" class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
            id, w, h, w, h);
    esc(out, label);
    fputs("\" xmlns=\"http://www.w3.org/2000/svg\">\n", out);
    fputs("<defs><pattern id=\"hatch-", out);
    fprintf(out, "%s\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
                 "<rect width=\"6\" height=\"6\" fill=\"#fff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#888\" stroke-width=\"2\"/>"
                 "</pattern></defs>\n", id);
}

static void legend(FILE *out, int x, int y, int n, const char *const *labels)
{
    for (int i = 0; i < n; i++) {
        int lx = x + (i % 4) * 150, ly = y + (i / 4) * 16;
        fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>", lx, ly,
                palette[i % 8]);
        fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"lg\">", lx + 14, ly + 9);
        esc(out, labels[i]);
        fputs("</text>\n", out);
    }
}

/* ---- grouped horizontal bars: rows of categories, a bar per series --------- */

enum { LABEL_W = 210, PLOT_W = 380, BAR_H = 9, BAR_GAP = 2, ROW_GAP = 10, CHART_W = LABEL_W + PLOT_W + 110 };

/* A suppressed cell: a short hatched bar at the axis, marked "x". */
static void gap_mark(FILE *out, const char *id, int top, int h, int baseline, const pval *v,
                     const char *name)
{
    fprintf(out, "<g class=\"sup\"><rect x=\"%d\" y=\"%d\" width=\"24\" height=\"%d\" fill=\"url(#hatch-%s)\" stroke=\"#888\"",
            LABEL_W, top, h, id);
    data_attrs(out, v);
    fprintf(out, "><title>%s: onderdrukt (x)</title></rect><text x=\"%d\" y=\"%d\" class=\"vl\">x</text></g>",
            name, LABEL_W + 28, baseline);
}

void esf_html_bars(FILE *out, const esf_pub *p, const char *id, const char *title, const html_bars_spec *s)
{
    int legend_h = s->nseries > 1 ? ((s->nseries + 3) / 4) * 16 + 6 : 0;
    int top = 6 + legend_h + 16, row_h = s->nseries * (BAR_H + BAR_GAP) + ROW_GAP;
    int h = top + s->nrows * row_h + 8;
    svg_open(out, id, CHART_W, h, title);
    if (s->nseries > 1) legend(out, LABEL_W, 6, s->nseries, s->series_labels);
    /* the axis runs to 100%, or for small shares to the first of 1, 2, 5,
     * 10, 20, 50 above the largest */
    double axis = 100;
    if (s->zoom) {
        double big = 0;
        for (int r = 0; r < s->nrows; r++)
            for (int k = 0; k < s->nseries; k++) {
                pval v = get(p, s->table, s->groups[k], s->dim, s->cats ? s->cats[r] : s->cat,
                             s->measures ? s->measures[r] : s->measure);
                pval of = get(p, s->table, s->groups[k], s->of_dim, s->of_cat, s->of_measure);
                if (of.v > 0 && 100.0 * v.v / of.v > big) big = 100.0 * v.v / of.v;
            }
        static const double steps[] = {1, 2, 5, 10, 20, 50};
        for (int i = 5; i >= 0 && steps[i] >= big; i--) axis = steps[i];
    }
    int ax = top - 4;
    for (int t = 0; t <= 4; t++) {
        int x = LABEL_W + PLOT_W * t / 4;
        char ts[32];
        pct_text(axis * t / 4, axis / 4, ts, sizeof ts);
        fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"grid\"/>", x, ax, x, h - 8);
        fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"ax\">%s%%</text>\n", x, ax - 2, ts);
    }
    for (int r = 0; r < s->nrows; r++) {
        int y0 = top + r * row_h;
        fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"rl\">", LABEL_W - 6,
                y0 + (s->nseries * (BAR_H + BAR_GAP)) / 2 + 4);
        esc(out, s->row_labels[r]);
        fputs("</text>\n", out);
        for (int k = 0; k < s->nseries; k++) {
            const unsigned cat = s->cats ? s->cats[r] : s->cat;
            const esf_measure measure = s->measures ? s->measures[r] : s->measure;
            pval v = get(p, s->table, s->groups[k], s->dim, cat, measure);
            pval of = get(p, s->table, s->groups[k], s->of_dim, s->of_cat, s->of_measure);
            int y = y0 + k * (BAR_H + BAR_GAP);
            if (v.missing) continue;
            if (v.sup || of.sup) {
                gap_mark(out, id, y, BAR_H, y + BAR_H - 1, &v, s->series_labels[k]);
                putc('\n', out);
                continue;
            }
            /* the table's percentage: from the published counts (SPEC §6) */
            char ps[48], dv[48], dof[48];
            const uint64_t vn = esf_pub_count(p, v.c), ofn = esf_pub_count(p, of.c);
            esf_tables_percent(vn, ofn, ps, sizeof ps);
            const double pct = ofn ? 100.0 * (double)vn / (double)ofn : 0;
            const double w = PLOT_W * (pct > axis ? axis : pct) / axis;
            decimal_comma(ps);
            fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"", LABEL_W, y, w,
                    BAR_H, palette[k % 8]);
            data_attrs(out, &v);
            if (!ps[0]) { /* 0 of 0: no percentage, as in the table */
                fprintf(out, "><title>%s: %s van %s</title></rect>\n", s->series_labels[k],
                        dutch(v.text, dv, sizeof dv), dutch(of.text, dof, sizeof dof));
                continue;
            }
            fprintf(out, "><title>%s: %s van %s (%s%%)</title></rect>", s->series_labels[k],
                    dutch(v.text, dv, sizeof dv), dutch(of.text, dof, sizeof dof), ps);
            fprintf(out, "<text x=\"%.1f\" y=\"%d\" class=\"vl\">%s%%</text>\n", LABEL_W + w + 3,
                    y + BAR_H - 1, ps);
        }
    }
    fputs("</svg>\n", out);
}

/* ---- indicators: a bar per indicator against its target line -------------- */

/* One panel of indicators of one kind, on its own axis: the OI as a share
 * of their target (up to some 300 %), the RI as rates, so that neither
 * squeezes the other. */
static void indicator_panel(FILE *out, const esf_pub *p, const char *id, esf_ind_kind kind)
{
    int idx[N_INDICATORS] = {0}, n = 0;
    for (int i = 0; i < N_INDICATORS; i++)
        if (esf_indicators[i].kind == kind) idx[n++] = i;
    const bool oi = kind == IND_OI;
    int top = 30, row_h = 20, h = top + n * row_h + 10;
    double max = oi ? 100 : 50;
    for (int k = 0; k < n; k++) {
        const esf_indicator *ind = &esf_indicators[idx[k]];
        pval v = get(p, TB_INDICATOREN, (uint32_t)ind->group, DIM_INDICATOR, (unsigned)idx[k], MS_PROCENT);
        pval t = get(p, TB_INDICATOREN, (uint32_t)ind->group, DIM_INDICATOR, (unsigned)idx[k], MS_STREEFWAARDE);
        if (v.v > max) max = v.v;
        if (!oi && t.v > max) max = t.v;
    }
    const int unit = oi ? 100 : 50; /* four ticks of 25 or 50 % */
    max = ((int)(max / unit) + 1) * (double)unit;
    svg_open(out, id, CHART_W, h, oi ? "Outputindicatoren: deelnemers als % van de streefwaarde"
                                     : "Resultaatindicatoren: realisatie tegen streefwaarde");
    fprintf(out, "<rect x=\"%d\" y=\"6\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"15\" class=\"lg\">%s</text>",
            LABEL_W, palette[0], LABEL_W + 14, oi ? "deelnemers (% van de streefwaarde)" : "realisatie (%)");
    fprintf(out, "<line x1=\"%d\" y1=\"4\" x2=\"%d\" y2=\"18\" class=\"target\"/><text x=\"%d\" y=\"15\" class=\"lg\">%s</text>\n",
            LABEL_W + 250, LABEL_W + 250, LABEL_W + 256, oi ? "streefwaarde (100%)" : "streefwaarde");
    for (int t = 0; t <= (int)max; t += (int)max / 4) {
        int x = LABEL_W + (int)(PLOT_W * t / max);
        fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"grid\"/><text x=\"%d\" y=\"%d\" class=\"ax\">%d%%</text>\n",
                x, top - 4, x, h - 6, x, top - 6, t);
    }
    for (int k = 0; k < n; k++) {
        const esf_indicator *ind = &esf_indicators[idx[k]];
        int y = top + k * row_h;
        fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"rl\">%s (%s)</text>", LABEL_W - 6, y + 12, ind->name,
                esf_group_labels[ind->group]);
        pval v = get(p, TB_INDICATOREN, (uint32_t)ind->group, DIM_INDICATOR, (unsigned)idx[k], MS_PROCENT);
        pval t = get(p, TB_INDICATOREN, (uint32_t)ind->group, DIM_INDICATOR, (unsigned)idx[k], MS_STREEFWAARDE);
        double target = oi ? 100 : t.v;
        const double tw = PLOT_W * target / max; /* the target mark, from the axis */
        if (v.sup) {
            gap_mark(out, id, y + 2, 12, y + 12, &v, ind->name);
        } else if (!v.missing) {
            double w = PLOT_W * v.v / max;
            char ps[64];
            snprintf(ps, sizeof ps, "%s", v.text); /* the published procent */
            decimal_comma(ps);
            /* the value's label after the bar, or after the target mark when
             * that would stand on it (a label is some 40 units wide) */
            const double lx = !t.missing && tw > w - 3 && tw < w + 44 ? tw + 4 : w + 3;
            fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"12\" fill=\"%s\"", LABEL_W, y + 2, w, palette[0]);
            data_attrs(out, &v);
            fprintf(out, "><title>%s: %s%%</title></rect><text x=\"%.1f\" y=\"%d\" class=\"vl\">%s%%</text>", ind->name, ps,
                    LABEL_W + lx, y + 12, ps);
        }
        if (!t.missing) {
            double x = LABEL_W + tw;
            fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"target\"", x, y, x, y + 16);
            data_attrs(out, &t);
            fprintf(out, "><title>streefwaarde %s</title></line>", t.text);
        }
        putc('\n', out);
    }
    fputs("</svg>\n", out);
}

void esf_html_indicators(FILE *out, const esf_pub *p, const char *id)
{
    char pid[80];
    snprintf(pid, sizeof pid, "%s-oi", id);
    indicator_panel(out, p, pid, IND_OI);
    snprintf(pid, sizeof pid, "%s-ri", id);
    indicator_panel(out, p, pid, IND_RI);
}

/* ---- Sankey: start -> after the trajectory -> after 12 months -------------- */

enum { SK_W = 700, SK_H = 300, SK_NODE = 14, SK_PAD = 10, SK_TOP = 30 };

/* A flow has the colour of where it comes from, one per state: verbeterd
 * green as improvement is in the report, werkzaam blue, niet-werkzaam
 * vermillion, inactief orange, onbekend grey (Okabe-Ito). */
static const char *const state_colour[ESF_N_STATES] = {"#009E73", "#0072B2", "#D55E00", "#E69F00",
                                                       "#999999"};

enum { SK_NP = POS_COUNT, SK_NS = ESF_N_STATES };

/* A Sankey's layout: its published flows, node sizes and tops, the scale. */
typedef struct {
    pval se[SK_NP][SK_NS], e12[SK_NS][SK_NS];
    double col0[SK_NP], mid[SK_NS], col2[SK_NS]; /* node sizes, in persons */
    double y0[SK_NP], y1[SK_NS], y2[SK_NS];      /* node tops              */
    double scale;                                /* pixels per person      */
    int xs[3];                                   /* the three columns      */
} sankey;

static void sankey_layout(sankey *k, const esf_pub *p, uint32_t group)
{
    enum { NP = SK_NP, NS = SK_NS };
    double in1[NS] = {0}, out1[NS] = {0};
    memset(k, 0, sizeof *k);
    for (int f = 0; f < NP; f++)
        for (int s = 0; s < NS; s++) {
            k->se[f][s] = get(p, TB_OVERGANGEN, group, DIM_START_EIND, esf_trans_cat(f, s), MS_N);
            k->col0[f] += k->se[f][s].v;
            in1[s] += k->se[f][s].v;
        }
    for (int f = 0; f < NS; f++)
        for (int s = 0; s < NS; s++) {
            k->e12[f][s] = get(p, TB_OVERGANGEN, group, DIM_EIND_12M, esf_trans_cat(f, s), MS_N);
            out1[f] += k->e12[f][s].v;
            k->col2[s] += k->e12[f][s].v;
        }
    double tot[3] = {0};
    for (int i = 0; i < NP; i++) tot[0] += k->col0[i];
    for (int i = 0; i < NS; i++) {
        k->mid[i] = in1[i] > out1[i] ? in1[i] : out1[i];
        tot[1] += k->mid[i];
        tot[2] += k->col2[i];
    }
    double big = tot[0];
    for (int i = 1; i < 3; i++) big = tot[i] > big ? tot[i] : big;
    k->scale = big > 0 ? (SK_H - SK_PAD * NS) / big : 0;
    k->xs[0] = 150, k->xs[1] = 150 + (SK_W - 300) / 2, k->xs[2] = SK_W - 150;
    double y = SK_TOP;
    for (int i = 0; i < NP; i++) k->y0[i] = y, y += k->col0[i] * k->scale + SK_PAD;
    y = SK_TOP;
    for (int i = 0; i < NS; i++) k->y1[i] = y, y += k->mid[i] * k->scale + SK_PAD;
    y = SK_TOP;
    for (int i = 0; i < NS; i++) k->y2[i] = y, y += k->col2[i] * k->scale + SK_PAD;
}

/* The flows, stacked inside their nodes in a fixed order, each coloured by
 * where it comes from; a suppressed one is a dashed thread.  Returns how
 * many are suppressed. */
static int sankey_links(FILE *out, const sankey *k, const char *const *pos_labels,
                        const char *const *state_labels)
{
    double o0[SK_NP] = {0}, i1[SK_NS] = {0}, o1[SK_NS] = {0}, i2[SK_NS] = {0};
    int nsup = 0;
    for (int stage = 0; stage < 2; stage++) {
        int nf = stage == 0 ? SK_NP : SK_NS;
        for (int f = 0; f < nf; f++)
            for (int s = 0; s < SK_NS; s++) {
                const pval *v = stage == 0 ? &k->se[f][s] : &k->e12[f][s];
                if (v->missing || (!v->sup && v->v <= 0)) continue;
                const double xa = k->xs[stage] + SK_NODE, xb = k->xs[stage + 1], xm = (xa + xb) / 2;
                const double ya = stage == 0 ? k->y0[f] + o0[f] : k->y1[f] + o1[f];
                const double yb = stage == 0 ? k->y1[s] + i1[s] : k->y2[s] + i2[s];
                const char *from = stage == 0 ? pos_labels[f] : state_labels[f];
                if (v->sup) { /* a gap: a dashed thread with its "x", no width */
                    fprintf(out, "<path class=\"sup-link\" d=\"M%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1f\"", xa, ya,
                            xm, ya, xm, yb, xb, yb);
                    data_attrs(out, v);
                    fprintf(out, "><title>%s &#8594; %s: onderdrukt (x)</title></path>\n", from, state_labels[s]);
                    nsup++;
                    continue;
                }
                const double w = v->v * k->scale;
                if (stage == 0) o0[f] += w, i1[s] += w;
                else o1[f] += w, i2[s] += w;
                fprintf(out, "<path class=\"link\" fill=\"%s\" d=\"M%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1fL%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1fZ\"",
                        state_colour[stage == 0 ? 1 + f : f], xa, ya, xm, ya, xm, yb, xb, yb, xb, yb + w, xm, yb + w, xm,
                        ya + w, xa, ya + w);
                data_attrs(out, v);
                char dv[48];
                fprintf(out, "><title>%s &#8594; %s: %s</title></path>\n", from, state_labels[s],
                        dutch(v->text, dv, sizeof dv));
            }
    }
    return nsup;
}

/* The nodes with their labels; a node's total is no published cell: with
 * rounding or suppression a sum of published flows would be a number nobody
 * published, so it is shown only for exact counts. */
static void sankey_nodes(FILE *out, const sankey *k, const esf_pub *p, const char *const *pos_labels,
                         const char *const *state_labels)
{
    for (int c = 0; c < 3; c++) {
        const int n = c == 0 ? SK_NP : SK_NS;
        for (int i = 0; i < n; i++) {
            const double top = c == 0 ? k->y0[i] : c == 1 ? k->y1[i] : k->y2[i];
            const double size = c == 0 ? k->col0[i] : c == 1 ? k->mid[i] : k->col2[i];
            const double hgt = size * k->scale > 1 ? size * k->scale : 1;
            fprintf(out, "<rect class=\"node\" x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\"/>", k->xs[c], top,
                    SK_NODE, hgt);
            fprintf(out, "<text x=\"%d\" y=\"%.1f\" class=\"%s\">", c == 2 ? k->xs[c] + SK_NODE + 4 : k->xs[c] - 4,
                    top + hgt / 2 + 4, c == 2 ? "nl" : "rl");
            esc(out, c == 0 ? pos_labels[i] : state_labels[i]);
            if (p->dc.round <= 1 && !p->dc.suppress_below) {
                char num[32], nt[48];
                snprintf(num, sizeof num, "%llu", (unsigned long long)size);
                esf_dutch(num, nt, sizeof nt);
                fprintf(out, " (%s)", nt);
            }
            fputs("</text>\n", out);
        }
    }
}

/* The legend: the colour of each state a flow comes from. */
static void sankey_legend(FILE *out, const char *const *state_labels, int nsup)
{
    for (int s = 0; s < SK_NS; s++) {
        const int lx = 10 + s * 130, ly = SK_H + SK_TOP + 36;
        fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" class=\"lg\">",
                lx, ly - 9, state_colour[s], lx + 14, ly);
        esc(out, state_labels[s]);
        fputs("</text>", out);
    }
    fprintf(out, "<text x=\"10\" y=\"%d\" class=\"lg\">de kleur van een stroom is de positie waar hij vandaan komt</text>\n",
            SK_H + SK_TOP + 52);
    if (nsup)
        fprintf(out, "<text x=\"10\" y=\"%d\" class=\"lg\">Gestippeld: %d onderdrukte stromen (x), niet meegeteld in de breedtes.</text>\n",
                SK_H + SK_TOP + 66, nsup);
}

void esf_html_sankey(FILE *out, const esf_pub *p, const char *id, int group)
{
    const char *const *pos_labels = esf_pos_labels, *const *state_labels = esf_state_labels;
    sankey k;
    sankey_layout(&k, p, (uint32_t)group);
    char label[128];
    snprintf(label, sizeof label, "Overgangen %s: positie bij start, bij einde traject en na 12 maanden",
             esf_group_names[group]);
    svg_open(out, id, SK_W, SK_H + SK_TOP + 74, label);
    fprintf(out, "<text x=\"%d\" y=\"16\" class=\"colh\">bij start</text><text x=\"%d\" y=\"16\" class=\"colh\">bij einde traject</text>"
                 "<text x=\"%d\" y=\"16\" class=\"colh\">na 12 maanden</text>\n",
            k.xs[0], k.xs[1], k.xs[2]);
    const int nsup = sankey_links(out, &k, pos_labels, state_labels);
    sankey_nodes(out, &k, p, pos_labels, state_labels);
    sankey_legend(out, state_labels, nsup);
    fputs("</svg>\n", out);
}

void esf_html_figure_open(FILE *out, const esf_pub *p, const char *id, int number, const char *caption,
                          const esf_tcell *n)
{
    fprintf(out, "<figure id=\"f-%s\">\n<figcaption>Figuur %d. ", id, number);
    esc(out, caption);
    if (n) {
        char buf[64], d[64];
        esf_dutch(esf_pub_text(p, n, buf, sizeof buf), d, sizeof d);
        fprintf(out, " (N = %s)", d);
    }
    fputs("</figcaption>\n", out);
}

void esf_html_figure_close(FILE *out, const char *period)
{
    fputs("<p class=\"bron\">Bron: CBS-microdata, bewerking esfmon; ", out);
    esc(out, period);
    fputs(".</p>\n</figure>\n", out);
}

void esf_html_head(FILE *out)
{
    fputs("<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"esfmon " ESF_VERSION "\">\n"
          "<title>ESF Actieve Inclusie: monitor</title>\n<style>\n"
          "body{font-family:\"DejaVu Sans\",Arial,Helvetica,sans-serif;font-size:13px;color:#222;max-width:190mm;margin:1em auto;padding:0 1em}\n"
          "h1{font-size:20px}h2{font-size:16px;border-bottom:2px solid #0072B2;margin-top:2em}h3{font-size:14px}\n"
          "figure{margin:1em 0;break-inside:avoid;page-break-inside:avoid}figcaption{font-weight:bold;margin-bottom:.3em}\n"
          "table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:11px;break-inside:avoid}\n"
          "th,td{padding:2px 6px;border-bottom:1px solid #ddd}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
          "th{background:#eef3f8;text-align:right}th:first-child,td:first-child{text-align:left}\n"
          "svg.chart{max-width:100%;height:auto;display:block}\n"
          "svg text{font-family:inherit;font-size:10px;fill:#222}svg .rl{text-anchor:end}svg .ax{text-anchor:middle;fill:#666}\n"
          "svg .rl,svg .nl{paint-order:stroke;stroke:#fff;stroke-width:3px}\n"
          "svg .colh{text-anchor:middle;font-weight:bold}svg .vl{fill:#333}svg .lg{font-size:10px}\n"
          "svg .grid{stroke:#ddd;stroke-width:1}svg .target{stroke:#D55E00;stroke-width:3}\n"
          "svg .link{opacity:.55}svg .node{fill:#444}svg .sup-link{fill:none;stroke:#888;stroke-dasharray:3 3}\n"
          ".note{color:#555}.bron{font-size:10px;color:#666;margin:.2em 0 0}tr.sub th{text-align:left;background:none;font-style:italic;padding-top:.6em;border-bottom:1px solid #999}\n"
          "h2,h3,figcaption,caption{break-after:avoid;page-break-after:avoid}tr{break-inside:avoid}\n"
          "@page{size:A4;margin:15mm 15mm 18mm;@bottom-center{content:\"ESF Actieve Inclusie: monitor \\2014  pagina \" counter(page) \" van \" counter(pages);font:9px \"DejaVu Sans\",Arial,sans-serif;color:#666}}\n"
          "@media print{body{max-width:none;margin:0}h2{break-before:auto}}\n"
          "</style>\n</head>\n<body>\n<h1>ESF Actieve Inclusie: monitor</h1>\n", out);
}

void esf_html_foot(FILE *out)
{
    fputs("</body>\n</html>\n", out);
}
