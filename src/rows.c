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

int col_lookup(const char *p, size_t len)
{
    esf_view v = trim(p, len);
    for (int c = 0; c < COL_COUNT; c++)
        if (name_eq(v, esf_col_names[c])) return c;
    return -1;
}

esf_status header_parse(esf_header *h, const esf_record *rec, const esf_column_map *map,
                        size_t nmap, const char *file, uint64_t line, esf_err *err)
{
    RETURN_ERROR_IF(rec->ncells > rec->cap, err, ESF_ERR_INPUT,
                    "%s:%llu: header has %zu columns, more than the %u supported", file,
                    (unsigned long long)line, rec->ncells, rec->cap);
    h->nfields = (uint32_t)rec->ncells;
    for (int c = 0; c < COL_COUNT; c++) h->cell[c] = -1;
    for (size_t i = 0; i < rec->ncells; i++) {
        const esf_cell *cell = &rec->cells[i];
        char buf[256];
        esf_view v = {cell->p, cell->len};
        if (cell->escaped && cell->len < sizeof buf) v = (esf_view){buf, cell_unescape(cell, buf)};
        v = trim(v.p, v.len);
        int col = -1;
        for (size_t k = 0; k < nmap && col < 0; k++)
            if (name_eq(v, map[k].header)) col = col_lookup(map[k].name, strlen(map[k].name));
        if (col < 0) {
            col = col_lookup(v.p, v.len);
            /* A name remapped by --column no longer stands for itself. */
            for (size_t k = 0; k < nmap && col >= 0; k++)
                if (col_lookup(map[k].name, strlen(map[k].name)) == col && !name_eq(v, map[k].header))
                    col = -1;
        }
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

static inline esf_view cell_of(const esf_header *h, const esf_record *rec, int col)
{
    int32_t i = h->cell[col];
    if (i < 0) return (esf_view){"", 0};
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
static esf_view ident(const esf_header *h, const esf_record *rec, int col, char **scratch,
                      size_t max)
{
    int32_t i = h->cell[col];
    if (i < 0) return (esf_view){"", 0};
    const esf_cell *c = &rec->cells[i];
    if (!c->escaped || c->len > 2 * max) return (esf_view){c->p, c->len};
    esf_view v = {*scratch, cell_unescape(c, *scratch)};
    *scratch += 2 * max;
    return v;
}

bool row_ident(const esf_header *h, const esf_record *rec, esf_rec_status st,
               char scratch[ROW_SCRATCH], esf_view *rinpersoons, esf_view *rinpersoon)
{
    if (st == REC_QUOTE_OPEN || rec->bad_quote || rec->ncells != h->nfields) return false;
    char *sp = scratch;
    *rinpersoons = ident(h, rec, COL_RINPERSOONS, &sp, 8);
    *rinpersoon = ident(h, rec, COL_RINPERSOON, &sp, 32);
    return row_key_views(rinpersoons, rinpersoon);
}

bool row_parse(const esf_header *h, const esf_record *rec, esf_rec_status st, esf_row *row,
               esf_rowerr *e, char scratch[ROW_SCRATCH])
{
    static const esf_view none = {"", 0};
    esf_traj *t = &row->t;
    if (st == REC_QUOTE_OPEN || rec->bad_quote)
        return reject(e, ESF_REJ_QUOTE_OPEN, -1, none);
    if (rec->ncells != h->nfields) return reject(e, ESF_REJ_VELDAANTAL, -1, none);
    for (size_t k = 0; k < ESF_ARRAY_SIZE(required_cols); k++)
        if (cell_of(h, rec, required_cols[k]).len == 0) /* "" or, unquoted, only spaces */
            return reject(e, ESF_REJ_VERPLICHT_LEEG, required_cols[k], none);

    char *sp = scratch;
    row->rinpersoons = ident(h, rec, COL_RINPERSOONS, &sp, 8);
    row->rinpersoon = ident(h, rec, COL_RINPERSOON, &sp, 32);
    row->project = ident(h, rec, COL_PROJECT, &sp, 64);
    if (row->rinpersoons.len > 8)
        return reject(e, ESF_REJ_TE_LANG, COL_RINPERSOONS, cell_of(h, rec, COL_RINPERSOONS));
    if (row->rinpersoon.len > 32)
        return reject(e, ESF_REJ_TE_LANG, COL_RINPERSOON, cell_of(h, rec, COL_RINPERSOON));
    if (row->project.len > 64)
        return reject(e, ESF_REJ_TE_LANG, COL_PROJECT, cell_of(h, rec, COL_PROJECT));
    if (row->rinpersoons.len == 0) row->rinpersoons = (esf_view){"R", 1};

#define CODE(col, fn, dst)                                                            \
    do {                                                                              \
        esf_view v_ = cell_of(h, rec, col);                                           \
        if (fn(v_, dst) != 0) return reject(e, ESF_REJ_ONBEKENDE_CODE, col, v_);      \
    } while (0)
    CODE(COL_AANVRAGER, field_aanvrager, &t->aanvrager);
    CODE(COL_DOELGROEP, field_doelgroep, &t->doelgroep);
    CODE(COL_GESLACHT, field_geslacht, &t->geslacht);
    for (int m = 0; m < M_COUNT; m++) CODE(COL_POSITIE_START + m, field_positie, &t->pos[m]);
    for (int m = 0; m < M_COUNT; m++) CODE(COL_CONTRACT_START + m, field_contract, &t->contract[m]);
    for (int m = 0; m < M_COUNT; m++) CODE(COL_SRG_START + m, field_bool, &t->srg[m]);
    for (int m = 0; m < M_COUNT; m++) CODE(COL_ONDERWIJS_START + m, field_bool, &t->onderwijs[m]);
#undef CODE

#define DATE(col, month, dst)                                                         \
    do {                                                                              \
        esf_view v_ = cell_of(h, rec, col);                                           \
        if (field_date(v_, month, dst) != 0) return reject(e, ESF_REJ_DATUM, col, v_); \
    } while (0)
    DATE(COL_GEBOORTEDATUM, true, &t->geb);
    DATE(COL_START, false, &t->start);
    DATE(COL_EIND, false, &t->eind);
    DATE(COL_EIND_PROJECT, false, &t->eind_project);
#undef DATE

#define NUM(col, max, dst)                                                            \
    do {                                                                              \
        esf_view v_ = cell_of(h, rec, col);                                           \
        if (field_number(v_, true, max, dst) != 0) return reject(e, ESF_REJ_GETAL, col, v_); \
    } while (0)
    for (int m = 0; m < M_COUNT; m++) NUM(COL_UREN_START + m, 168 * ESF_NUM_SCALE, &t->uren[m]);
    for (int m = 0; m < M_COUNT; m++) NUM(COL_UURLOON_START + m, INT64_MAX, &t->uurloon[m]);
#undef NUM

    if (t->eind && t->eind < t->start)
        return reject(e, ESF_REJ_EIND_VOOR_START, COL_EIND, cell_of(h, rec, COL_EIND));
    if (t->geb && t->geb > t->start)
        return reject(e, ESF_REJ_GEBOORTE_NA_START, COL_GEBOORTEDATUM,
                      cell_of(h, rec, COL_GEBOORTEDATUM));
    t->project = 0;
    return true;
}
