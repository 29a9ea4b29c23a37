/* rows.c - stage 3b: header mapping and row validation (see rows.h). */
#include "rows.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *const esf_col_names[COL_COUNT] = {
    "rinpersoons", "rinpersoon", "project", "aanvrager", "doelgroep",
    "geslacht", "geboortedatum", "start", "eind", "eind_project",
    "positie_start", "positie_eind", "positie_12m",
    "contract_start", "contract_eind", "contract_12m",
    "uren_start", "uren_eind", "uren_12m",
    "uurloon_start", "uurloon_eind", "uurloon_12m",
    "srg_start", "srg_eind", "srg_12m",
    "onderwijs_start", "onderwijs_eind", "onderwijs_12m"};

static const int required_cols[] = {COL_RINPERSOON, COL_PROJECT, COL_AANVRAGER, COL_START};

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

/* A name an unknown column may have: a letter or '_' first, then letters,
 * digits and _ - . / ( ) or spaces.  A header line again may name columns
 * the header before it had not (cat of exports from different systems). */
static bool name_like(esf_view v)
{
    if (v.len == 0) return false;
    for (size_t i = 0; i < v.len; i++) {
        const unsigned c = (unsigned char)v.p[i];
        const bool letter = (c | 0x20u) - 'a' < 26u || c == '_';
        if (!letter && (i == 0 || !((c - '0' < 10u) || strchr("-./() ", (int)c)))) return false;
    }
    return true;
}

static bool all_digits(esf_view v)
{
    for (size_t i = 0; i < v.len; i++)
        if (v.p[i] < '0' || v.p[i] > '9') return false;
    return v.len > 0;
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

esf_status esf_header_parse(esf_header *h, const esf_record *rec, const esf_column_map *map,
                        size_t nmap, const char *file, uint64_t line, esf_err *err)
{
    RETURN_ERROR_IF(rec->ncells > rec->cap, err, ESF_ERR_INPUT,
                    "%s:%llu: header has %zu columns, more than the %u supported", file,
                    (unsigned long long)line, rec->ncells, rec->cap);
    RETURN_ERROR_IF(nmap > 64, err, ESF_ERR_USAGE, "more than 64 --column mappings");
    h->nfields = (uint32_t)rec->ncells;
    h->check_all = false;
    for (int c = 0; c < COL_COUNT; c++) h->cell[c] = -1;
    bool hdr_found[64] = {false};
    char buf[256];
    for (size_t i = 0; i < rec->ncells; i++) {
        int k;
        (void)header_col(header_name(&rec->cells[i], buf), map, nmap, NULL, &k);
        if (k >= 0) hdr_found[k] = true;
    }
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
        /* a header line again holds no packed person key (SPEC §2.1, see
         * esf_header_names_only) unless a mapping names a column in digits */
        h->check_all = h->check_all || all_digits(trim(map[k].header, strlen(map[k].header)));
        if (col < 0 || h->cell[col] >= 0) continue;
        return esf_fail(err, ESF_ERR_INPUT,
                        "%s:%llu: --column %s=%s matches no column of the header: it has neither "
                        "'%s' nor '%s'",
                        file, (unsigned long long)line, map[k].name, map[k].header, map[k].header,
                        esf_col_names[col]);
    }
    h->all = true;
    for (int c = 0; c < COL_COUNT; c++) h->all = h->all && h->cell[c] >= 0;
    for (size_t k = 0; k < ESF_ARRAY_SIZE(required_cols); k++) {
        int col = required_cols[k];
        if (h->cell[col] >= 0) continue;
        char seen[200];
        esf_quote_bytes(seen, sizeof seen, rec->start, rec->len, 160);
        return esf_fail(err, ESF_ERR_INPUT,
                        "%s:%llu: missing required column '%s' (delimiter '%s', header '%s')",
                        file, (unsigned long long)line, esf_col_names[col],
                        h->delim == '\t' ? "\\t" : (char[]){h->delim, 0}, seen);
    }
    return ESF_OK;
}

bool esf_header_names_only(const esf_record *rec, const esf_column_map *map, size_t nmap)
{
    char buf[256];
    for (size_t i = 0; i < rec->ncells; i++) {
        esf_view v = header_name(&rec->cells[i], buf);
        int k;
        if (!name_like(v) && header_col(v, map, nmap, NULL, &k) < 0 && k < 0) return false;
    }
    return rec->ncells > 0;
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
    for (size_t k = 0; k < ESF_ARRAY_SIZE(required_cols); k++)
        if (cell_of(h, rec, required_cols[k], all).len == 0) /* "" or, unquoted, only spaces */
            return reject(e, ESF_REJ_VERPLICHT_LEEG, required_cols[k], none);

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

#define CODE(col, fn, dst)                                                            \
    do {                                                                              \
        esf_view v_ = cell_of(h, rec, col, all);                                           \
        if (fn(v_, dst) != 0) return reject(e, ESF_REJ_ONBEKENDE_CODE, col, v_);      \
    } while (0)
    CODE(COL_AANVRAGER, esf_field_aanvrager, &t->aanvrager);
    CODE(COL_DOELGROEP, esf_field_doelgroep, &t->doelgroep);
    CODE(COL_GESLACHT, esf_field_geslacht, &t->geslacht);
    for (int m = 0; m < M_COUNT; m++) CODE(COL_POSITIE_START + m, esf_field_positie, &t->pos[m]);
    for (int m = 0; m < M_COUNT; m++) CODE(COL_CONTRACT_START + m, esf_field_contract, &t->contract[m]);
    for (int m = 0; m < M_COUNT; m++) CODE(COL_SRG_START + m, esf_field_bool, &t->srg[m]);
    for (int m = 0; m < M_COUNT; m++) CODE(COL_ONDERWIJS_START + m, esf_field_bool, &t->onderwijs[m]);
#undef CODE

#define DATE(col, month, dst)                                                         \
    do {                                                                              \
        esf_view v_ = cell_of(h, rec, col, all);                                           \
        if (esf_field_date(v_, month, dst) != 0) return reject(e, ESF_REJ_DATUM, col, v_); \
    } while (0)
    DATE(COL_GEBOORTEDATUM, true, &t->geb);
    DATE(COL_START, false, &t->start);
    DATE(COL_EIND, false, &t->eind);
    DATE(COL_EIND_PROJECT, false, &t->eind_project);
#undef DATE

#define NUM(col, max, dst)                                                            \
    do {                                                                              \
        esf_view v_ = cell_of(h, rec, col, all);                                           \
        if (esf_field_number(v_, true, max, dst) != 0) return reject(e, ESF_REJ_GETAL, col, v_); \
    } while (0)
    for (int m = 0; m < M_COUNT; m++) NUM(COL_UREN_START + m, 168 * ESF_NUM_SCALE, &t->uren[m]);
    for (int m = 0; m < M_COUNT; m++) NUM(COL_UURLOON_START + m, INT64_MAX, &t->uurloon[m]);
#undef NUM

    if (t->eind && t->eind < t->start)
        return reject(e, ESF_REJ_EIND_VOOR_START, COL_EIND, cell_of(h, rec, COL_EIND, all));
    if (t->geb && t->geb > t->start)
        return reject(e, ESF_REJ_GEBOORTE_NA_START, COL_GEBOORTEDATUM,
                      cell_of(h, rec, COL_GEBOORTEDATUM, all));
    t->project = 0;
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
