/* rows.c - stage 3b: header mapping and row validation (see rows.h). */
#include "rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static esf_view trim(const char *p, size_t len)
{
    while (len && *p == ' ') p++, len--;
    while (len && p[len - 1] == ' ') len--;
    return (esf_view){p, len};
}

static bool name_eq(esf_view v, const char *name)
{
    esf_view n = trim(name, strlen(name));
    return v.len == n.len && strncasecmp(v.p, n.p, v.len) == 0;
}

bool esf_header_same(const char *a, const char *b)
{
    esf_view v = trim(a, strlen(a));
    return name_eq(v, b);
}

int esf_col_lookup(const char *p, size_t len)
{
    esf_view v = trim(p, len);
    for (int c = 0; c < COL_COUNT; c++)
        if (name_eq(v, esf_col_names[c])) return c;
    return -1;
}

/* A header cell's name: unescaped (when it holds "" and fits buf), trimmed. */
static esf_view header_name(const esf_cell *cell, char buf[256])
{
    esf_view v = {cell->p, cell->len};
    if (cell->escaped && cell->len < 256) v = (esf_view){buf, esf_cell_unescape(cell, buf)};
    return trim(v.p, v.len);
}

/* The canonical column a header cell names under the mappings (-1: none);
 * *mapped: the mapping k whose HEADER it is, or -1.  A canonical NAME that a
 * mapping renames stands for itself only in a file without that HEADER
 * (hdr_found[k] false; NULL: never). */
static int header_col(esf_view v, const esf_column_map *map, size_t nmap, const bool *hdr_found,
                      int *mapped)
{
    *mapped = -1;
    for (size_t k = 0; k < nmap; k++)
        if (name_eq(v, map[k].header)) {
            *mapped = (int)k;
            return esf_col_lookup(map[k].name, strlen(map[k].name));
        }
    int col = esf_col_lookup(v.p, v.len);
    for (size_t k = 0; k < nmap && col >= 0; k++)
        if (esf_col_lookup(map[k].name, strlen(map[k].name)) == col && (!hdr_found || hdr_found[k]))
            return -1;
    return col;
}

/* Which mappings' HEADERs rec names (hdr_found[k]; nmap <= 64). */
static void headers_found(const esf_record *rec, const esf_column_map *map, size_t nmap, bool *hdr_found)
{
    char buf[256];
    memset(hdr_found, 0, nmap * sizeof *hdr_found);
    for (size_t i = 0; i < rec->ncells; i++) {
        int k;
        (void)header_col(header_name(&rec->cells[i], buf), map, nmap, NULL, &k);
        if (k >= 0) hdr_found[k] = true;
    }
}

esf_status esf_header_parse(esf_header *h, const esf_record *rec, const esf_column_map *map,
                        size_t nmap, const char *file, uint64_t line, esf_err *err)
{
    RETURN_ERROR_IF(rec->ncells > rec->cap, err, ESF_ERR_INPUT,
                    "%s:%llu: header has %zu columns, more than the %u supported", file,
                    (unsigned long long)line, rec->ncells, rec->cap);
    RETURN_ERROR_IF(nmap > 64, err, ESF_ERR_USAGE, "more than 64 --column mappings");
    h->nfields = (uint32_t)rec->ncells;
    for (int c = 0; c < COL_COUNT; c++) h->cell[c] = -1;
    bool hdr_found[64];
    char buf[256];
    headers_found(rec, map, nmap, hdr_found);
    for (size_t i = 0; i < rec->ncells; i++) {
        esf_view v = header_name(&rec->cells[i], buf);
        int k;
        const int col = header_col(v, map, nmap, hdr_found, &k);
        if (col < 0) continue;
        if (h->cell[col] >= 0) {
            char seen[128];
            esf_quote_bytes(seen, sizeof seen, v.p, v.len, 64);
            return esf_fail(err, ESF_ERR_INPUT,
                            "%s:%llu: column '%s' appears twice in the header (columns %d and %zu, "
                            "'%s')",
                            file, (unsigned long long)line, esf_col_names[col], h->cell[col] + 1,
                            i + 1, seen);
        }
        h->cell[col] = (int32_t)i;
    }
    for (size_t k = 0; k < nmap; k++) {
        const int col = esf_col_lookup(map[k].name, strlen(map[k].name));
        if (col < 0 || h->cell[col] >= 0) continue;
        return esf_fail(err, ESF_ERR_INPUT,
                        "%s:%llu: --column %s=%s matches no column of the header: it has neither "
                        "'%s' nor '%s'",
                        file, (unsigned long long)line, map[k].name, map[k].header, map[k].header,
                        esf_col_names[col]);
    }
    h->all = true;
    h->scan = h->nfields <= ESF_SCAN_MAX;
    memset(h->col_at, COL_COUNT, sizeof h->col_at);
    for (int c = 0; c < COL_COUNT; c++) {
        h->all = h->all && h->cell[c] >= 0;
        if (h->scan && h->cell[c] >= 0) h->col_at[h->cell[c]] = (uint8_t)c;
    }
    for (unsigned m = ESF_REQUIRED_COLS; m; m &= m - 1) { /* in column order */
        const int col = __builtin_ctz(m);
        if (h->cell[col] >= 0) continue;
        char seen[200];
        esf_quote_bytes(seen, sizeof seen, rec->start, rec->len, 160);
        /* Excel writes a line "sep=;" above the header of some exports */
        const bool sep_line = rec->len >= 4 && strncasecmp(rec->start, "sep=", 4) == 0;
        return esf_fail(err, ESF_ERR_INPUT,
                        "%s:%llu: missing required column '%s' (delimiter '%s', header '%s')%s",
                        file, (unsigned long long)line, esf_col_names[col],
                        h->delim == '\t' ? "\\t" : (char[]){h->delim, 0}, seen,
                        sep_line ? ": Excel's 'sep=' line; remove it, the header must come first" : "");
    }
    return ESF_OK;
}

char **esf_header_names(const esf_record *rec, uint32_t *n)
{
    const size_t nc = rec->ncells < rec->cap ? rec->ncells : rec->cap;
    size_t bytes = (nc + 1) * sizeof(char *);
    char buf[256];
    for (size_t i = 0; i < nc; i++) bytes += header_name(&rec->cells[i], buf).len + 1;
    char **v = malloc(bytes);
    if (!v) return NULL;
    char *at = (char *)(v + nc + 1);
    for (size_t i = 0; i < nc; i++) {
        const esf_view name = header_name(&rec->cells[i], buf);
        memcpy(at, name.p, name.len);
        at[name.len] = '\0';
        v[i] = at;
        at += name.len + 1;
    }
    v[nc] = NULL;
    *n = (uint32_t)nc;
    return v;
}

/* Whether a header cell v could name column col: its name, or the
 * header of a mapping (a quick test; header_col decides). */
static bool could_name(esf_view v, int col, const esf_column_map *map, size_t nmap)
{
    const char *name = esf_col_names[col];
    if (v.len == strlen(name) && strncasecmp(v.p, name, v.len) == 0) return true;
    for (size_t k = 0; k < nmap; k++)
        if (name_eq(v, map[k].header)) return true;
    return false;
}

bool esf_header_has_required(const esf_record *rec, const esf_column_map *map, size_t nmap)
{
    if (rec->ncells > rec->cap || nmap > 64) return false;
    /* a row rejected is seldom a header: first a cell that could name
     * rinpersoon, the first required column, at the cost of a length
     * compare per cell */
    char one[256];
    bool maybe = false;
    for (size_t i = 0; i < rec->ncells && !maybe; i++)
        maybe = could_name(header_name(&rec->cells[i], one), COL_RINPERSOON, map, nmap);
    if (!maybe) return false;
    bool hdr_found[64];
    char buf[256];
    headers_found(rec, map, nmap, hdr_found);
    unsigned have = 0;
    for (size_t i = 0; i < rec->ncells; i++) {
        int k;
        const int col = header_col(header_name(&rec->cells[i], buf), map, nmap, hdr_found, &k);
        if (col >= 0) have |= 1u << col;
    }
    return (have & ESF_REQUIRED_COLS) == ESF_REQUIRED_COLS;
}

/* Column col's value, "" when the header lacks it; all says it has every
 * column (h->all, a constant where row_parse is inlined). */
static inline esf_view cell_of(const esf_header *h, const esf_record *rec, int col, bool all)
{
    int32_t i = h->cell[col];
    if (!all && i < 0) return (esf_view){"", 0};
    return (esf_view){rec->cells[i].p, rec->cells[i].len};
}

static bool reject(esf_rowerr *e, esf_reject_reason r, int col, esf_view seen)
{
    e->reason = r;
    e->col = col;
    e->seen = seen;
    return false;
}

/* The identifier's exact bytes: unescaped into scratch when it holds "". */
static inline esf_view ident(const esf_header *h, const esf_record *rec, int col, char **scratch,
                             size_t max, bool all)
{
    int32_t i = h->cell[col];
    if (!all && i < 0) return (esf_view){"", 0};
    const esf_cell *c = &rec->cells[i];
    if (!c->escaped || c->len > 2 * max) return (esf_view){c->p, c->len};
    esf_view v = {*scratch, esf_cell_unescape(c, *scratch)};
    *scratch += 2 * max;
    return v;
}

static inline __attribute__((always_inline)) bool
row_parse(const esf_header *h, const esf_record *rec, esf_rec_status st, esf_row *row, esf_rowerr *e,
          char scratch[ROW_SCRATCH], const bool all)
{
    static const esf_view none = {"", 0};
    esf_traj *t = &row->t;
    if (st == REC_QUOTE_OPEN || rec->bad_quote)
        return reject(e, ESF_REJ_QUOTE_OPEN, -1, none);
    if (rec->ncells != h->nfields) return reject(e, ESF_REJ_VELDAANTAL, -1, none);
    for (unsigned m = ESF_REQUIRED_COLS; m; m &= m - 1) /* in column order */
        if (cell_of(h, rec, __builtin_ctz(m), all).len == 0) /* "" or, unquoted, only spaces */
            return reject(e, ESF_REJ_VERPLICHT_LEEG, __builtin_ctz(m), none);

    char *sp = scratch;
    row->rinpersoons = ident(h, rec, COL_RINPERSOONS, &sp, 8, all);
    row->rinpersoon = ident(h, rec, COL_RINPERSOON, &sp, 32, all);
    row->project = ident(h, rec, COL_PROJECT, &sp, 64, all);
    if (row->rinpersoons.len > 8)
        return reject(e, ESF_REJ_TE_LANG, COL_RINPERSOONS, cell_of(h, rec, COL_RINPERSOONS, all));
    if (row->rinpersoon.len > 32)
        return reject(e, ESF_REJ_TE_LANG, COL_RINPERSOON, cell_of(h, rec, COL_RINPERSOON, all));
    if (row->project.len > 64)
        return reject(e, ESF_REJ_TE_LANG, COL_PROJECT, cell_of(h, rec, COL_PROJECT, all));
    if (row->rinpersoons.len == 0) row->rinpersoons = (esf_view){"R", 1};

    /* the values in the order of §2.4: codes, dates, numbers; an empty
     * cell keeps esf_traj_empty's */
    static const uint8_t order[] = {
        COL_AANVRAGER, COL_DOELGROEP, COL_GESLACHT, COL_POSITIE_START, COL_POSITIE_EIND,
        COL_POSITIE_12M, COL_CONTRACT_START, COL_CONTRACT_EIND, COL_CONTRACT_12M, COL_SRG_START,
        COL_SRG_EIND, COL_SRG_12M, COL_ONDERWIJS_START, COL_ONDERWIJS_EIND, COL_ONDERWIJS_12M,
        COL_GEBOORTEDATUM, COL_START, COL_EIND, COL_EIND_PROJECT, COL_UREN_START, COL_UREN_EIND,
        COL_UREN_12M, COL_UURLOON_START, COL_UURLOON_EIND, COL_UURLOON_12M};
    *t = esf_traj_empty;
#pragma GCC unroll 32 /* each column's own code: no switch left */
    for (size_t k = 0; k < sizeof order; k++) {
        const esf_view v = cell_of(h, rec, order[k], all);
        if (v.len && !esf_row_value(order[k], v, row))
            return reject(e,
                          k < 15   ? ESF_REJ_ONBEKENDE_CODE
                          : k < 19 ? ESF_REJ_DATUM
                                   : ESF_REJ_GETAL,
                          order[k], v);
    }

    if (esf_eind_voor_start(t))
        return reject(e, ESF_REJ_EIND_VOOR_START, COL_EIND, cell_of(h, rec, COL_EIND, all));
    if (esf_geboorte_na_start(t))
        return reject(e, ESF_REJ_GEBOORTE_NA_START, COL_GEBOORTEDATUM,
                      cell_of(h, rec, COL_GEBOORTEDATUM, all));
    return true;
}

bool esf_row_parse(const esf_header *h, const esf_record *rec, esf_rec_status st, esf_row *row,
                   esf_rowerr *e, char scratch[ROW_SCRATCH])
{
    /* the usual header has every column: no absent one to check for */
    return h->all ? row_parse(h, rec, st, row, e, scratch, true)
                  : row_parse(h, rec, st, row, e, scratch, false);
}

static const char *const reject_names[ESF_REJ_COUNT] = {
    "quote_open", "veldaantal",     "verplicht_leeg",  "te_lang",          "onbekende_code",
    "datum",      "getal",          "eind_voor_start", "geboorte_na_start"};

const char *esf_reject_name(esf_reject_reason r)
{
    return (unsigned)r < ESF_REJ_COUNT ? reject_names[r] : "?";
}
