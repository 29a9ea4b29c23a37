/* esfgen - synthetic extracts for esfmon whose margins follow the published
 * monitor (Regioplan, ESF Actieve Inclusie, Bijlage 4 of ../shared/seeds/004).
 *
 *   esfgen [--persons N] [--seed S] [--files K] [--gzip]
 *          [--dialect canonical|messy] [--format F] [-o DIR]
 *
 * Writes DIR/extract_NN.csv (or .csv.gz).  Same arguments, same bytes.  It
 * streams person by person, so memory does not grow with N.  Each trajectory
 * goes to a random file, so a person's trajectories span files.
 * The messy dialect varies per file what SPEC §2 allows (delimiter, column
 * order, date formats, quoting with delimiters and line breaks, CRLF, BOM,
 * synonyms, case, padding) and adds invalid rows of every reject kind.
 * This is a tool, not part of the library: it may print and exit. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "esfgen_stat.h"

/* ---- calibration -------------------------------------------------------
 * Unique participants per applicant and their breakdowns, from the report's
 * Bijlage 4 (first period 2014-2017, counts rounded to 10 there).
 * Columns: gemeente, vsopro, uwv, jenv. */
enum { GEM, VSO, UWV, JENV, NAPPL };
static const struct {
    double persons;          /* B4.1 unique participants                      */
    double age[3];           /* B4.2 <28, 28-49, 50+                          */
    double sex[2];           /* B4.3 man, vrouw (rest: unknown)               */
    double pos[4];           /* B4.4 werkzaam, niet_werkzaam, inactief, onbekend */
    double dg[11];           /* B4.5 persons per target group (SPEC 2.3 order) */
    double afgerond;         /* B4.5/B4.9/B4.12: persons with finished trajectory */
    double werk[2];          /* paid work found at eind, 12m (same tables)    */
    double verb[2];          /* improved position at eind, 12m                */
} cal[NAPPL] = {
    /* gemeente: B4.1-B4.5, results B4.5 ("Resultaten deelnemers AMR") */
    {170500, {60820, 78810, 30830}, {88880, 81620}, {33390, 125350, 11040, 730},
     {118980, 15450, 8050, 6670, 0, 0, 0, 0, 0, 0, 0}, 73290, {17000, 13210}, {9620, 7620}},
    /* vsopro */
    {37270, {35150, 1560, 550}, {23100, 14160}, {4480, 2130, 30660, 0},
     {0, 37270, 0, 100, 0, 0, 0, 0, 0, 0, 0}, 18510, {3960, 4020}, {2040, 1720}},
    /* uwv: results B4.9 */
    {6890, {5280, 1520, 90}, {4900, 1980}, {4710, 1070, 1120, 0},
     {0, 6580, 0, 0, 0, 0, 0, 0, 0, 0, 310}, 6890, {940, 1100}, {2860, 3240}},
    /* jenv: results B4.12; target groups exclusive, B4.5 */
    {3530, {1820, 1350, 350}, {3050, 480}, {150, 630, 2750, 0},
     {0, 0, 0, 0, 0, 0, 1970, 310, 400, 850, 0}, 3010, {300, 610}, {40, 40}},
};
/* Persons in both a gemeente and a vso/pro project: not published; chosen so
 * that --persons 212190 reproduces the report's four applicant totals. */
static const double overlap_gem_vso = 6000;
/* Not in the report (assumptions, stated): trajectories per person, share of
 * positions unknown after the trajectory (report: time-lag at 12 months),
 * education at the end for JenV (RI5/RI6). */
static const double traj_share[3] = {0.82, 0.14, 0.04};
static const double unknown_eind = 0.03, unknown_12m = 0.12, school_jenv = 0.12;
static const char *const dg_codes[11] = {
    "uitkering_6m", "arbeidsbelemmerd", "niet_uitkeringsontvanger", "statushouder", "jongere",
    "oudere", "gedetineerde", "tbs", "jji", "cji", "uwv_breed"};

/* ---- random numbers: xoshiro256** seeded by splitmix64 ------------------ */
static uint64_t rs[4];
static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static uint64_t rnd(void)
{
    uint64_t r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;
    rs[2] ^= rs[0]; rs[3] ^= rs[1]; rs[1] ^= rs[2]; rs[0] ^= rs[3];
    rs[2] ^= t; rs[3] = rotl(rs[3], 45);
    return r;
}
static void seed(uint64_t s)
{
    for (int i = 0; i < 4; i++) {
        uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        rs[i] = z ^ (z >> 31);
    }
}
static double unif(void) { return (double)(rnd() >> 11) * 0x1.0p-53; }
static bool chance(double p) { return unif() < p; }
static int below(int n) { return (int)(unif() * n); }
/* The index i with weight w[i] at u in [0, 1). */
static int pick_at(const double *w, int n, double u)
{
    double tot = 0;
    for (int i = 0; i < n; i++) tot += w[i];
    u *= tot;
    for (int i = 0; i < n; i++)
        if ((u -= w[i]) < 0) return i;
    return n - 1;
}
static int pick(const double *w, int n) { return pick_at(w, n, unif()); }

/* ---- dates as day numbers ---------------------------------------------- */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}
static void civil(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* ---- output files -------------------------------------------------------- */
enum { C_RINS, C_RIN, C_PROJECT, C_AANVR, C_DG, C_SEX, C_GEB, C_START, C_EIND, C_EINDPRJ,
       C_POS0, C_POS1, C_POS2, C_CON0, C_CON1, C_CON2, C_UREN0, C_UREN1, C_UREN2,
       C_LOON0, C_LOON1, C_LOON2, C_SRG0, C_SRG1, C_SRG2, C_OND0, C_OND1, C_OND2,
       C_NOTE, NCOL };
static const char *const col_names[NCOL] = {
    "rinpersoons", "rinpersoon", "project", "aanvrager", "doelgroep", "geslacht",
    "geboortedatum", "start", "eind", "eind_project", "positie_start", "positie_eind",
    "positie_12m", "contract_start", "contract_eind", "contract_12m", "uren_start", "uren_eind",
    "uren_12m", "uurloon_start", "uurloon_eind", "uurloon_12m", "srg_start", "srg_eind",
    "srg_12m", "onderwijs_start", "onderwijs_eind", "onderwijs_12m", "toelichting"};

typedef struct {
    FILE *f;
    gzFile gz;
    gen_table *tab;            /* a statistical file's rows (--format) */
    gen_column cols[NCOL];
    char delim;
    bool crlf, upper, pad, dashdates, quote_all;
    int order[NCOL], ncol;
    char *buf;
    size_t len;
} outfile;

static bool messy;
/* --format: the file type, and whether rows a statistical file cannot hold
 * (a field too few, a blank line, an unclosed quote) are left out, as
 * they are with any --format, csv too, so that the formats hold the same
 * data */
static gen_format format = GEN_CSV;
static bool format_given;
enum { OUTBUF = 1 << 20 };

static void flush(outfile *o)
{
    if (o->tab) { /* a statistical file: its CSV text only drew the numbers */
    } else if (o->gz) {
        if (o->len && gzwrite(o->gz, o->buf, (unsigned)o->len) != (int)o->len) {
            fprintf(stderr, "esfgen: write failed\n");
            exit(2);
        }
    } else if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len) {
        fprintf(stderr, "esfgen: write failed: %s\n", strerror(errno));
        exit(2);
    }
    o->len = 0;
}

static void put(outfile *o, const char *s, size_t n)
{
    if (o->len + n > OUTBUF) flush(o);
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

/* One field, quoted when it must be (or, in messy files, sometimes anyway). */
static void put_field(outfile *o, const char *s, bool first)
{
    if (!first) put(o, &o->delim, 1);
    size_t n = strlen(s);
    bool must = strchr(s, o->delim) || strchr(s, '"') || strchr(s, '\n');
    bool q = must || (o->quote_all && n > 0) || (messy && n > 0 && chance(0.02));
    if (!q) {
        if (o->pad && n && chance(0.05)) put(o, "  ", 2);
        put(o, s, n);
        if (o->pad && n && chance(0.05)) put(o, " ", 1);
        return;
    }
    put(o, "\"", 1);
    for (const char *p = s; *p; p++) {
        if (*p == '"') put(o, "\"", 1);
        put(o, p, 1);
    }
    put(o, "\"", 1);
}

static void end_line(outfile *o)
{
    if (o->crlf) put(o, "\r\n", 2);
    else put(o, "\n", 1);
}

static void write_header(outfile *o)
{
    if (messy && chance(0.3)) put(o, "\xef\xbb\xbf", 3);
    for (int i = 0; i < o->ncol; i++) {
        char name[40];
        snprintf(name, sizeof name, "%s", col_names[o->order[i]]);
        if (o->upper)
            for (char *p = name; *p; p++) *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
        put_field(o, name, i == 0);
    }
    end_line(o);
}

static void write_row(outfile *o, char vals[NCOL][96])
{
    for (int i = 0; i < o->ncol; i++) put_field(o, vals[o->order[i]], i == 0);
    end_line(o);
    if (o->tab) {
        const char *row[NCOL];
        for (int i = 0; i < o->ncol; i++) row[i] = vals[o->order[i]];
        gen_table_add(o->tab, row);
    }
}

static const char *const ext[] = {[GEN_CSV] = "csv", [GEN_SAV] = "sav", [GEN_ZSAV] = "zsav",
                                  [GEN_DTA] = "dta", [GEN_SAS] = "sas7bdat"};

/* A statistical file's variables: the columns in the file's order, typed
 * by what they hold. */
static void stat_columns(outfile *o)
{
    static const char *const aanvr[] = {"gemeente", "vsopro", "uwv", "jenv", NULL};
    static const char *const sex[] = {"man", "vrouw", "onbekend", NULL};
    static const char *const pos[] = {"werkzaam", "niet_werkzaam", "inactief", "onbekend", NULL};
    static const char *const con[] = {"vast", "tijdelijk", NULL};
    static const char *const yes[] = {"ja", "nee", NULL};
    static char names[NCOL][40];
    for (int i = 0; i < o->ncol; i++) {
        const int c = o->order[i];
        gen_column *k = &o->cols[i];
        snprintf(names[c], sizeof names[c], "%s", col_names[c]);
        if (o->upper)
            for (char *p = names[c]; *p; p++) *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
        *k = (gen_column){names[c], ROLE_STRING, NULL};
        if (c == C_AANVR) k->role = ROLE_CODE, k->codes = aanvr;
        else if (c == C_SEX) k->role = ROLE_CODE, k->codes = sex;
        else if (c >= C_POS0 && c <= C_POS2) k->role = ROLE_CODE, k->codes = pos;
        else if (c >= C_CON0 && c <= C_CON2) k->role = ROLE_CODE, k->codes = con;
        else if (c >= C_SRG0 && c <= C_OND2) k->role = ROLE_CODE, k->codes = yes;
        else if (c == C_START) k->role = ROLE_DATE;
        else if (c == C_EIND) k->role = ROLE_DATETIME;
        else if (c == C_GEB) k->role = ROLE_YMD;
        else if (c >= C_UREN0 && c <= C_LOON2) k->role = ROLE_NUMBER;
    }
    o->tab = gen_table_new(o->cols, o->ncol);
}

static void open_file(outfile *o, const char *dir, int k, bool gz)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/extract_%02d.%s%s", dir, k + 1, ext[format], gz ? ".gz" : "");
    memset(o, 0, sizeof *o);
    if (format != GEN_CSV) {
    } else if (gz) {
        o->gz = gzopen(path, "wb1");
        if (o->gz) gzbuffer(o->gz, 1 << 20);
    } else {
        o->f = fopen(path, "wb");
    }
    if (format == GEN_CSV && !o->gz && !o->f) {
        fprintf(stderr, "esfgen: %s: cannot create: %s\n", path, strerror(errno));
        exit(2);
    }
    o->buf = malloc(OUTBUF);
    o->delim = ',';
    o->ncol = NCOL - 1;
    for (int i = 0; i < NCOL; i++) o->order[i] = i;
    if (messy) {
        static const char delims[4] = {',', ';', '\t', '|'};
        o->delim = delims[k % 4];
        o->crlf = chance(0.5);
        o->upper = chance(0.3);
        o->pad = chance(0.5);
        o->dashdates = chance(0.5);
        o->quote_all = chance(0.2);
        o->ncol = NCOL; /* with the free-text column */
        for (int i = NCOL - 1; i > 0; i--) { /* shuffled column order */
            int j = below(i + 1), t = o->order[i];
            o->order[i] = o->order[j];
            o->order[j] = t;
        }
    }
    write_header(o);
    if (format != GEN_CSV) stat_columns(o);
}

/* ---- values -------------------------------------------------------------- */
/* yyyymmdd, or (dashes) yyyy-mm-dd or day first as Dutch exports write
 * it, d-m-yyyy and dd/mm/yyyy, chosen by the day itself (no random draw:
 * the extracts of a seed stay the same but for these bytes) */
static void fmt_date(char *dst, long day, bool dashes)
{
    int y, m, d;
    civil(day, &y, &m, &d);
    const long style = dashes ? day % 4 : -1;
    if (style == 2) sprintf(dst, "%d-%d-%04d", d, m, y);
    else if (style == 3) sprintf(dst, "%02d/%02d/%04d", d, m, y);
    else if (dashes) sprintf(dst, "%04d-%02d-%02d", y, m, d);
    else sprintf(dst, "%04d%02d%02d", y, m, d);
}

static const char *const pos_canon[4] = {"werkzaam", "niet_werkzaam", "inactief", "onbekend"};
static const char *const aanvr_canon[4] = {"gemeente", "vsopro", "uwv", "jenv"};

static void code(char *dst, const char *canon, const outfile *o)
{
    /* Synonyms of SPEC §2.2, chosen per value in messy files. */
    static const char *const syn[][4] = {
        {"vsopro", "vso/pro", "vso-pro", NULL}, {"niet_werkzaam", "niet-werkzaam", "nietwerkzaam", NULL},
        {"man", "m", "1", NULL},                {"vrouw", "v", "2", NULL},
        {"vast", "O", NULL, NULL},              {"tijdelijk", "B", NULL, NULL},
        {"ja", "j", "1", NULL},                 {"nee", "n", "0", NULL}};
    const char *s = canon;
    if (messy)
        for (size_t i = 0; i < sizeof syn / sizeof syn[0]; i++)
            if (strcmp(syn[i][0], canon) == 0) {
                int n = 0;
                while (n < 4 && syn[i][n]) n++;
                s = syn[i][below(n)];
            }
    strcpy(dst, s);
    if (messy && o->upper && chance(0.5))
        for (char *p = dst; *p; p++) *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
}

typedef struct {
    int appl, sex, ageband, pos0, ntraj;
    uint16_t dg;
    bool afgerond;
    long birth;
    char rins[4];
    char rin[16];
} person;

static void fmt_num(char *dst, int cents, const outfile *o)
{
    if (cents % 100 == 0) sprintf(dst, "%d", cents / 100);
    else sprintf(dst, "%d%c%02d", cents / 100, messy && o->delim != ',' && chance(0.5) ? ',' : '.', cents % 100);
}

/* Projects: sizes a long tail (weight 1/(k+1)^1.1: a few large, many
 * small), and in every fourth project a person's later trajectories stay in
 * it (several trajectories per person there); elsewhere each trajectory
 * picks a project anew. From a hash of the person and trajectory, so that
 * the random stream (and the calibration) does not change. */
static const int nprojects[NAPPL] = {35, 35, 1, 3};
static int project_of(const person *p, int t)
{
    const int n = nprojects[p->appl];
    double total = 0, w[64];
    for (int k = 0; k < n; k++) total += w[k] = pow(k + 1, -1.1);
    uint64_t h = (uint64_t)strtoull(p->rin, NULL, 10) * UINT64_C(0x9E3779B97F4A7C15) + (uint64_t)p->appl;
    for (int k = 0;; k++) {
        uint64_t x = h + (uint64_t)k * UINT64_C(0xBF58476D1CE4E5B9);
        x = (x ^ (x >> 31)) * UINT64_C(0x94D049BB133111EB);
        double u = (double)((x ^ (x >> 29)) >> 11) * 0x1.0p-53 * total;
        int prj = 0;
        while (prj + 1 < n && u >= w[prj]) u -= w[prj++];
        if (k == t || prj % 4 == 1) return prj; /* stays in a project of repeats */
    }
}

/* The distribution of the position of a finished person of applicant a
 * starting in pos0 at moment m (1: eind, 2: 12 months), when known: over
 * improved (werkzaam and better), werkzaam, niet_werkzaam, inactief; each
 * moment calibrated on Bijlage 4 (werk and verbeterd of the afgerond). Who
 * does not work mostly stays where they started. */
enum { S_IMPR, S_WERK, S_NW, S_INACT, S_N };
static void position_dist(int a, int pos0, int m, double d[S_N])
{
    const double afg = cal[a].afgerond, u = m == 1 ? unknown_eind : unknown_12m;
    const double pw = cal[a].pos[0] / cal[a].persons;
    const double nonw = 1 - pw - cal[a].pos[3] / cal[a].persons;
    double nw_share = cal[a].pos[1] / (cal[a].pos[1] + cal[a].pos[2] + 1e-9); /* of the not working */
    if (pos0 == 1 || pos0 == 2) nw_share = pos0 == 1 ? 0.85 : 0.15;
    double impr = 0, werk = 0;
    if (pos0 == 0) {
        impr = cal[a].verb[m - 1] / afg / pw / (1 - u);
        if (impr > 1) impr = 1;
        werk = (1 - impr) * 0.5;
    } else if (pos0 == 1 || pos0 == 2) {
        werk = cal[a].werk[m - 1] / afg / (nonw > 0 ? nonw : 1) / (1 - u);
        if (werk > 1) werk = 1;
    }
    d[S_IMPR] = impr, d[S_WERK] = werk;
    d[S_NW] = (1 - impr - werk) * nw_share, d[S_INACT] = (1 - impr - werk) * (1 - nw_share);
}

/* Positions persist: after 12 months a known position is the one at the
 * end with probability PERSIST, else drawn so that the 12-month
 * distribution stays the calibrated one. */
#define PERSIST 0.65
static void positions(int a, int pos0, int state[3])
{
    double de[S_N], d12[S_N], nu[S_N], r = PERSIST * (1 - unknown_eind), sum = 0;
    position_dist(a, pos0, 1, de);
    position_dist(a, pos0, 2, d12);
    for (int k = 0; k < S_N; k++) sum += nu[k] = fmax(0, (d12[k] - r * de[k]) / (1 - r));
    for (int k = 0; k < S_N; k++) nu[k] /= sum > 0 ? sum : 1;
    state[1] = chance(unknown_eind) ? -1 : pick(de, S_N);
    state[2] = state[1] >= 0 && chance(PERSIST) ? state[1] : pick(nu, S_N);
    if (chance(unknown_12m)) state[2] = -1;
}

/* Fills the values of one trajectory of person p. */
static void make_traj(const person *p, int t, long start_day, bool finished_ok, const outfile *o,
                      char v[NCOL][96])
{
    for (int i = 0; i < NCOL; i++) v[i][0] = '\0';
    bool dash = messy ? (o->dashdates ? chance(0.8) : chance(0.2)) : false;
    strcpy(v[C_RINS], p->rins);
    strcpy(v[C_RIN], p->rin);
    int prj = project_of(p, t);
    static const char *const pre[4] = {"AMR", "AMR", "UWV-", "JENV-"}, *const suf[4] = {"-GEM", "-VSO", "", ""};
    sprintf(v[C_PROJECT], "%s%02d%s", pre[p->appl], prj + 1, suf[p->appl]);
    if (messy && p->appl == GEM && prj == 3) strcat(v[C_PROJECT], ", Twente"); /* delimiter inside */
    code(v[C_AANVR], aanvr_canon[p->appl], o);
    size_t dl = 0;
    for (int d = 0; d < 11; d++)
        if (p->dg >> d & 1) dl += (size_t)sprintf(v[C_DG] + dl, "%s%s", dl ? (messy && chance(0.5) ? " + " : "|") : "", dg_codes[d]);
    if (p->sex < 2) code(v[C_SEX], p->sex == 0 ? "man" : "vrouw", o);
    if (p->birth) {
        if (messy && chance(0.1)) {
            int y, m, d;
            civil(p->birth, &y, &m, &d);
            sprintf(v[C_GEB], "%04d%02d", y, m);
        } else {
            fmt_date(v[C_GEB], p->birth, dash);
        }
    }
    fmt_date(v[C_START], start_day, dash);
    long proj_end = days_from_civil(2018, 6, 30);
    fmt_date(v[C_EINDPRJ], proj_end, dash);
    int pos0 = p->pos0;
    code(v[C_POS0], pos_canon[pos0], o);
    if (pos0 == 0) { /* job attributes at start */
        int uren = 8 + below(30), loon = 1000 + below(1500);
        bool tijd = chance(0.6), srg = chance(0.2);
        code(v[C_CON0], tijd ? "tijdelijk" : "vast", o);
        fmt_num(v[C_UREN0], uren * 100, o);
        fmt_num(v[C_LOON0], loon, o);
        code(v[C_SRG0], srg ? "ja" : "nee", o);
    } else if (!messy || chance(0.5)) {
        code(v[C_SRG0], "nee", o);
    }
    code(v[C_OND0], p->appl == VSO || (p->appl == JENV && chance(0.3)) ? "ja" : "nee", o);
    if (!finished_ok) { /* running, or ended after the project */
        if (chance(0.1)) fmt_date(v[C_EIND], proj_end + 1 + below(90), dash);
        return;
    }
    long eind = start_day + 30 + below(300);
    fmt_date(v[C_EIND], eind < proj_end ? eind : proj_end, dash); /* finished: on or before the project end */
    int state[3];
    positions(p->appl, pos0, state);
    for (int m = 1; m <= 2; m++) {
        static const int pos_of[S_N] = {0, 0, 1, 2};
        const int pos = state[m] < 0 ? 3 : pos_of[state[m]];
        const bool improved = state[m] == S_IMPR;
        code(v[C_POS0 + m], pos_canon[pos], o);
        if (pos == 0) {
            int uren0 = v[C_UREN0][0] ? atoi(v[C_UREN0]) : 20;
            int uren = improved ? uren0 + 4 : (pos0 == 0 ? uren0 : 12 + below(24));
            code(v[C_CON0 + m], "tijdelijk", o);
            fmt_num(v[C_UREN0 + m], uren * 100, o);
            if (v[C_LOON0][0]) strcpy(v[C_LOON0 + m], v[C_LOON0]);
            if (v[C_SRG0][0]) strcpy(v[C_SRG0 + m], v[C_SRG0]);
        }
        bool school = p->appl == JENV ? chance(school_jenv) : chance(0.05);
        code(v[C_OND0 + m], school ? "ja" : "nee", o);
    }
    if (messy && chance(0.01)) strcpy(v[C_NOTE], "traject verlengd; zie \"dossier\"\nregel 2");
}

/* A copy of a valid row broken in the way of one reject reason (SPEC §2.4). */
static void corrupt(char v[NCOL][96], int kind)
{
    switch (kind) {
    case 0: v[C_RIN][0] = '\0'; break;                                    /* verplicht_leeg */
    case 1: strcpy(v[C_PROJECT], "PROJECT-WITH-A-VERY-LONG-NAME-THAT-EXCEEDS-SIXTY-FOUR-BYTES-XXXXX"); break; /* te_lang */
    case 2: strcpy(v[C_SEX], "x"); break;                                 /* onbekende_code */
    case 3: strcpy(v[C_START], "20170231"); break;                        /* datum */
    case 4: strcpy(v[C_UREN1], "170"); break;                             /* getal */
    case 5: strcpy(v[C_EIND], "20140101"); strcpy(v[C_START], "20150101"); break; /* eind_voor_start */
    case 6: strcpy(v[C_GEB], "20200101"); strcpy(v[C_START], "20150101"); strcpy(v[C_EIND], ""); break; /* geboorte_na_start */
    }
}

int main(int argc, char **argv)
{
    long persons = 212190;
    uint64_t s = 1;
    int files = 1;
    bool gz = false;
    const char *dir = ".";
    static const char usage[] =
        "Usage: esfgen [--persons N] [--seed S] [--files K] [--gzip]\n"
        "              [--dialect canonical|messy] [--format F] [-o DIR]\n"
        "Writes synthetic ESF Actieve Inclusie extracts for esfmon whose margins follow\n"
        "the published monitor: DIR/extract_NN.csv (.csv.gz with --gzip).\n"
        "\n"
        "  --persons N   unique persons (default 212190, the programme's size)\n"
        "  --seed S      random seed (default 1); the same arguments give the same bytes\n"
        "  --files K     files, 1-99 (default 1); a person's trajectories span files\n"
        "  --gzip        gzip each file\n"
        "  --dialect D   canonical (default: the SPEC's column names, ',' and LF) or\n"
        "                messy (per file: delimiter, column order, date formats (day\n"
        "                first too: 1-2-2015, 01/02/2015), quotes\n"
        "                with delimiters and line breaks, CRLF, BOM, synonyms, padding,\n"
        "                and invalid rows of every reject kind)\n"
        "  --format F    csv, sav, zsav (SPSS), dta (Stata) or sas7bdat (SAS): the\n"
        "                same data in each (value labels, date formats, missing\n"
        "                values), without the rows only CSV can hold (a field too\n"
        "                few, a blank line, an unclosed quote); DIR/extract_NN.F\n"
        "  -o DIR        where to write (default .)\n"
        "  -h, --help    this help\n";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) { fputs(usage, stdout); return 0; }
        if (!strcmp(a, "--gzip")) { gz = true; continue; }
        if (!val) { fprintf(stderr, "esfgen: %s needs a value (esfgen --help)\n", a); return 1; }
        if (!strcmp(a, "--persons")) persons = atol(val);
        else if (!strcmp(a, "--seed")) s = strtoull(val, NULL, 10);
        else if (!strcmp(a, "--files")) files = atoi(val);
        else if (!strcmp(a, "-o")) dir = val;
        else if (!strcmp(a, "--format")) {
            format_given = true;
            for (format = GEN_CSV; format <= GEN_SAS && strcmp(val, ext[format]); format++) {}
            if (format > GEN_SAS) { fputs(usage, stderr); return 1; }
        }
        else if (!strcmp(a, "--dialect") && (!strcmp(val, "messy") || !strcmp(val, "canonical"))) messy = !strcmp(val, "messy");
        else { fputs(usage, stderr); return 1; }
        i++;
    }
    if (gz && format != GEN_CSV) { fprintf(stderr, "esfgen: --gzip is for CSV files\n"); return 1; }
    if (persons < 1 || files < 1 || files > 99) { fprintf(stderr, "esfgen: bad --persons or --files\n"); return 1; }
    mkdir(dir, 0777);
    seed(s);
    outfile *out = calloc((size_t)files, sizeof *out);
    for (int k = 0; k < files; k++) open_file(&out[k], dir, k, gz);

    /* Membership shares: gemeente only, vsopro only, both, uwv, jenv. */
    const double member[5] = {cal[GEM].persons - overlap_gem_vso, cal[VSO].persons - overlap_gem_vso,
                              overlap_gem_vso, cal[UWV].persons, cal[JENV].persons};
    long start0 = days_from_civil(2014, 7, 1), span = days_from_civil(2017, 12, 31) - start0;
    char v[NCOL][96];
    long nrows = 0;
    for (long i = 0; i < persons; i++) {
        /* applicants by a low-discrepancy sequence (golden ratio): the
         * group totals of Bijlage 4 within a person, whatever the seed */
        const double gold = 0.6180339887498949;
        int mem = pick_at(member, 5, fmod((double)i * gold, 1.0));
        int appls[2], na = 0;
        if (mem == 0) appls[na++] = GEM;
        else if (mem == 1) appls[na++] = VSO;
        else if (mem == 2) appls[na++] = GEM, appls[na++] = VSO;
        else appls[na++] = mem == 3 ? UWV : JENV;
        person p;
        memset(&p, 0, sizeof p);
        /* Unique 9-digit numbers: an odd multiplier coprime to 10 is a bijection mod 1e9. */
        long num = (long)(((uint64_t)i * 387420489ULL + 12345) % 1000000000ULL);
        if (i > 0 && chance(0.001)) { /* same number, other key type */
            num = (long)(((uint64_t)(i - 1) * 387420489ULL + 12345) % 1000000000ULL);
            strcpy(p.rins, "S");
        } else {
            strcpy(p.rins, messy && chance(0.1) ? "" : "R");
        }
        sprintf(p.rin, "%09ld", num);
        int a0 = appls[na - 1]; /* persons in gemeente and vso/pro: pupils first */
        double sexw[3] = {cal[a0].sex[0], cal[a0].sex[1], cal[a0].persons - cal[a0].sex[0] - cal[a0].sex[1]};
        p.sex = pick(sexw, 3);
        int ageband = pick(cal[a0].age, 3);
        static const int lo[3] = {16, 28, 50}, hi[3] = {27, 49, 66};
        long first_start = start0 + below((int)span);
        int age = lo[ageband] + below(hi[ageband] - lo[ageband] + 1);
        p.birth = chance(0.002) ? 0 : first_start - (long)age * 365 - age / 4 - below(360);
        for (int ai = 0; ai < na; ai++) {
            const int a = appls[ai];
            p.appl = a;
            p.pos0 = pick(cal[a].pos, 4);
            p.dg = 0;
            if (a == JENV) p.dg = (uint16_t)(1u << (6 + pick(cal[a].dg + 6, 4)));
            else
                for (int d = 0; d < 11; d++)
                    if (chance(cal[a].dg[d] / cal[a].persons)) p.dg |= (uint16_t)(1u << d);
            p.afgerond = chance(cal[a].afgerond / cal[a].persons);
            p.ntraj = 1 + pick(traj_share, 3);
            for (int t = 0; t < p.ntraj; t++) {
                long st = t == 0 ? first_start : first_start + below(400);
                if (st > start0 + span) st = start0 + span;
                bool fin = p.afgerond && (t == p.ntraj - 1 || chance(0.5));
                outfile *o = &out[below(files)];
                make_traj(&p, t, st, fin, o, v);
                write_row(o, v);
                nrows++;
                if (messy && chance(0.0035)) { /* an invalid row of some kind */
                    int kind = below(9);
                    if (kind < 7) {
                        corrupt(v, kind);
                        write_row(o, v);
                    } else if (format_given) { /* nothing a statistical file holds */
                    } else if (kind == 7) { /* veldaantal: a field too few */
                        for (int c = 0; c < o->ncol - 1; c++) put_field(o, v[o->order[c]], c == 0);
                        end_line(o);
                    } else { /* a blank line, not a row at all */
                        end_line(o);
                    }
                }
            }
        }
    }
    if (messy && !format_given) { /* quote_open: an unclosed quote can only be the last record */
        outfile *o = &out[files - 1];
        put(o, "\"R", 2);
        put(o, &o->delim, 1);
        put(o, "000000001 unclosed", 18);
        end_line(o);
    }
    for (int k = 0; k < files; k++) {
        flush(&out[k]);
        if (out[k].tab) {
            char path[4096], err[4200];
            snprintf(path, sizeof path, "%s/extract_%02d.%s", dir, k + 1, ext[format]);
            if (gen_table_write(out[k].tab, format, path, err, sizeof err) != 0) {
                fprintf(stderr, "esfgen: %s\n", err);
                return 2;
            }
            gen_table_free(out[k].tab);
            free(out[k].buf);
            continue;
        }
        if (out[k].gz ? gzclose(out[k].gz) != Z_OK : fclose(out[k].f) != 0) {
            fprintf(stderr, "esfgen: close failed\n");
            return 2;
        }
        free(out[k].buf);
    }
    free(out);
    fprintf(stderr, "esfgen: %ld persons, %ld trajectories in %d file(s) under %s\n", persons, nrows, files, dir);
    return 0;
}
