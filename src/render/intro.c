/* intro.c - the top of every report: the period, the reference date, the
 * inputs, and what changes the numbers (rounding, suppression, SPEC §6),
 * the same in a full and a --period run. */
#include "intro.h"
#include "html.h"

#include <stdio.h>
#include <string.h>

/* yyyymmdd as "1-1-2014". */
static void dutch_date(int32_t d, char *dst, size_t len)
{
    snprintf(dst, len, "%d-%d-%d", (int)(d % 100), (int)(d / 100 % 100), (int)(d / 10000));
}

static uint64_t invoer_n(const esf_pub *p, int row)
{
    const esf_tcell *c = esf_tables_at(p->t, TB_INVOER, 0, DIM_RIJEN, (unsigned)row, MS_N);
    return c ? c->value : 0;
}

void esf_report_period(const esf_tables *t, char *dst, size_t len)
{
    char a[16], b[16];
    dutch_date(t->period_from, a, sizeof a);
    dutch_date(t->period_to, b, sizeof b);
    if (t->period_from && t->period_to) snprintf(dst, len, "trajecten met een start van %s tot en met %s", a, b);
    else if (t->period_from) snprintf(dst, len, "trajecten met een start vanaf %s", a);
    else if (t->period_to) snprintf(dst, len, "trajecten met een start tot en met %s", b);
    else snprintf(dst, len, "alle trajecten (geen selectie op startdatum)");
}

void esf_report_intro(const esf_pub *p, bool html, char lines[INTRO_LINES][400])
{
    const esf_tables *t = p->t;
    const esf_disclosure *dc = &p->dc;
    char a[16], n[ROW_COUNT][32], period[160];
    esf_report_period(t, period, sizeof period);
    snprintf(lines[0], sizeof lines[0], "Periode: %s.", period);
    if (t->peildatum) /* the reference date (SPEC §5), after the period */
        dutch_date(t->peildatum, a, sizeof a), snprintf(lines[0] + strlen(lines[0]), sizeof lines[0] - strlen(lines[0]),
                 " Peildatum %s: wie minder dan 12 maanden eerder afrondde, is na 12 maanden nog niet waarneembaar en telt niet mee in RI2 en RI4.", a);
    for (int i = 0; i < ROW_COUNT; i++) {
        char v[32];
        snprintf(v, sizeof v, "%llu", (unsigned long long)invoer_n(p, i));
        esf_dutch(v, n[i], sizeof n[i]);
    }
    snprintf(lines[1], sizeof lines[1],
             "Invoer: %u %s, %s rijen gelezen: %s geteld, %s afgewezen, %s buiten de periode.", t->ninputs,
             t->ninputs == 1 ? "bestand" : "bestanden", n[0], n[1], n[2], n[3]);
    if (dc->round > 1 && dc->suppress_below)
        snprintf(lines[2], sizeof lines[2],
                 "Aantallen personen afgerond op %u; kleiner dan %u onderdrukt, met de cellen waaruit ze te herleiden zijn (x%s); percentages en 'behaald' uit de afgeronde aantallen (- bij een afgeronde noemer 0).",
                 dc->round, dc->suppress_below, html ? ", gearceerd in de figuren" : "");
    else if (dc->round > 1)
        snprintf(lines[2], sizeof lines[2],
                 "Aantallen personen afgerond op %u, niets onderdrukt; percentages en 'behaald' uit de afgeronde aantallen (- bij een afgeronde noemer 0). "
                 "Afronden is presentatie, geen geheimhouding: samen verraden afgeronde aantallen soms kleine aantallen; --suppress-below beschermt.",
                 dc->round);
    else if (dc->suppress_below)
        snprintf(lines[2], sizeof lines[2],
                 "Exacte aantallen; kleiner dan %u onderdrukt, met de cellen waaruit ze te herleiden zijn (x%s).", dc->suppress_below,
                 html ? ", gearceerd in de figuren" : "");
    else
        snprintf(lines[2], sizeof lines[2],
                 "Exacte aantallen, zonder afronding of onderdrukking: niet zonder controle publiceren.");
    /* SPEC §6, end: for the output checker */
    lines[3][0] = '\0';
    if (dc->suppress_below)
        snprintf(lines[3], sizeof lines[3],
                 "Verschillen: twee runs op overlappende gegevens (een andere periode, een bestand meer of minder) zijn twee "
                 "publicaties; onderdrukking per run beschermt niet tegen het aftrekken van de ene van de andere.");
}
