/* fields.c - stage 3a: code, date and number parsers (see fields.h). */
#include "fields.h"

#include <string.h>

const char *const esf_aanvrager_names[AANV_COUNT] = {"gemeente", "vsopro", "uwv", "jenv"};
const char *const esf_sex_names[SEX_COUNT] = {"man", "vrouw", "onbekend"};
const char *const esf_pos_names[POS_COUNT] = {"werkzaam", "niet_werkzaam", "inactief", "onbekend"};
const char *const esf_dg_names[DG_COUNT] = {
    "uitkering_6m", "arbeidsbelemmerd", "niet_uitkeringsontvanger", "statushouder", "jongere",
    "oudere", "gedetineerde", "tbs", "jji", "cji", "uwv_breed"};

typedef struct {
    const char *name;
    uint8_t len;
    uint8_t value;
} code_entry;

#define E(name, value) {name, sizeof(name) - 1, value}

/* Case-insensitive (ASCII) lookup of v in a table; -1 when absent.  Names
 * are short and lower case: compare inline, no call per entry. */
static int lookup(esf_view v, const code_entry *tab, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (tab[i].len != v.len) continue;
        size_t j = 0;
        while (j < v.len && tab[i].name[j] == ((v.p[j] >= 'A' && v.p[j] <= 'Z') ? v.p[j] + 32 : v.p[j]))
            j++;
        if (j == v.len) return tab[i].value;
    }
    return -1;
}

#define LOOKUP(v, tab) lookup((v), (tab), ESF_ARRAY_SIZE(tab))

static int set_code(int r, uint8_t *out)
{
    if (r < 0) return -1;
    *out = (uint8_t)r;
    return 0;
}

int field_aanvrager(esf_view v, uint8_t *out)
{
    static const code_entry tab[] = {E("gemeente", AANV_GEMEENTE), E("vsopro", AANV_VSOPRO),
                                     E("vso/pro", AANV_VSOPRO),    E("vso-pro", AANV_VSOPRO),
                                     E("uwv", AANV_UWV),           E("jenv", AANV_JENV)};
    return set_code(LOOKUP(v, tab), out);
}

int field_geslacht(esf_view v, uint8_t *out)
{
    static const code_entry tab[] = {E("m", SEX_MAN),     E("man", SEX_MAN),     E("1", SEX_MAN),
                                     E("v", SEX_VROUW),   E("vrouw", SEX_VROUW), E("2", SEX_VROUW)};
    if (v.len == 0) return set_code(SEX_ONBEKEND, out);
    return set_code(LOOKUP(v, tab), out);
}

int field_positie(esf_view v, uint8_t *out)
{
    static const code_entry tab[] = {
        E("werkzaam", POS_WERKZAAM),          E("niet_werkzaam", POS_NIET_WERKZAAM),
        E("niet-werkzaam", POS_NIET_WERKZAAM), E("nietwerkzaam", POS_NIET_WERKZAAM),
        E("inactief", POS_INACTIEF),          E("onbekend", POS_ONBEKEND)};
    if (v.len == 0) return set_code(POS_ONBEKEND, out);
    return set_code(LOOKUP(v, tab), out);
}

int field_contract(esf_view v, uint8_t *out)
{
    static const code_entry tab[] = {E("vast", CONTRACT_VAST),
                                     E("o", CONTRACT_VAST),
                                     E("tijdelijk", CONTRACT_TIJDELIJK),
                                     E("b", CONTRACT_TIJDELIJK)};
    if (v.len == 0) return set_code(CONTRACT_NONE, out);
    return set_code(LOOKUP(v, tab), out);
}

int field_bool(esf_view v, uint8_t *out)
{
    static const code_entry tab[] = {E("1", BOOL_YES), E("j", BOOL_YES),  E("ja", BOOL_YES),
                                     E("0", BOOL_NO),  E("n", BOOL_NO),   E("nee", BOOL_NO)};
    if (v.len == 0) return set_code(BOOL_NO, out);
    return set_code(LOOKUP(v, tab), out);
}

int field_doelgroep(esf_view v, uint16_t *out)
{
    static const code_entry tab[] = {
        E("uitkering_6m", DG_UITKERING_6M),   E("arbeidsbelemmerd", DG_ARBEIDSBELEMMERD),
        E("niet_uitkeringsontvanger", DG_NIET_UITKERINGSONTVANGER),
        E("statushouder", DG_STATUSHOUDER),   E("jongere", DG_JONGERE),
        E("oudere", DG_OUDERE),               E("gedetineerde", DG_GEDETINEERDE),
        E("tbs", DG_TBS),                     E("jji", DG_JJI),
        E("cji", DG_CJI),                     E("uwv_breed", DG_UWV_BREED)};
    uint16_t set = 0;
    const char *p = v.p, *end = v.p + v.len;
    while (p < end) {
        const char *s = p;
        while (p < end && *p != '|' && *p != '+') p++;
        const char *e = p;
        while (s < e && *s == ' ') s++;
        while (e > s && e[-1] == ' ') e--;
        if (e > s) {
            int c = LOOKUP(((esf_view){s, (size_t)(e - s)}), tab);
            if (c < 0) return -1;
            set |= (uint16_t)(1u << c);
        }
        if (p < end) p++;
    }
    *out = set;
    return 0;
}

static int digits(const char *p, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return -1;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return 0;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int field_date(esf_view v, bool allow_month, int32_t *out)
{
    int y, m, d = 1;
    if (v.len == 0) {
        *out = 0;
        return 0;
    }
    if (v.len == 8) {
        if (digits(v.p, 4, &y) || digits(v.p + 4, 2, &m) || digits(v.p + 6, 2, &d)) return -1;
    } else if (v.len == 10) {
        if (v.p[4] != '-' || v.p[7] != '-') return -1;
        if (digits(v.p, 4, &y) || digits(v.p + 5, 2, &m) || digits(v.p + 8, 2, &d)) return -1;
    } else if (v.len == 6 && allow_month) {
        if (digits(v.p, 4, &y) || digits(v.p + 4, 2, &m)) return -1;
    } else {
        return -1;
    }
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return -1;
    if (d > mdays[m - 1] + (m == 2 && is_leap(y))) return -1;
    *out = y * 10000 + m * 100 + d;
    return 0;
}

int field_number(esf_view v, bool allow_comma, int64_t max, int64_t *out)
{
    if (v.len == 0) {
        *out = ESF_NUM_EMPTY;
        return 0;
    }
    int64_t ip = 0, frac = 0, scale = ESF_NUM_SCALE;
    size_t i = 0, ndig = 0;
    for (; i < v.len && v.p[i] >= '0' && v.p[i] <= '9'; i++, ndig++) {
        if (ip > max / ESF_NUM_SCALE) return -1; /* out of range, stop before overflow */
        ip = ip * 10 + (v.p[i] - '0');
    }
    if (i < v.len && (v.p[i] == '.' || (allow_comma && v.p[i] == ','))) {
        for (i++; i < v.len && v.p[i] >= '0' && v.p[i] <= '9'; i++, ndig++) {
            scale /= 10;
            if (scale == 0) {
                if (v.p[i] != '0') return -1; /* more than 9 significant decimals */
                continue;
            }
            frac += (v.p[i] - '0') * scale;
        }
    }
    if (i != v.len || ndig == 0) return -1;
    if (ip > max / ESF_NUM_SCALE || (ip == max / ESF_NUM_SCALE && frac > max % ESF_NUM_SCALE))
        return -1;
    *out = ip * ESF_NUM_SCALE + frac;
    return 0;
}

int age_years(int32_t birth, int32_t day)
{
    /* With mmdd compared as numbers, 0229 in a year without 29 February is
     * passed on 0301 and not on 0228: the 1 March rule falls out. */
    int age = day / 10000 - birth / 10000;
    if (day % 10000 < birth % 10000) age--;
    return age;
}
