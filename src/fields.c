/* fields.c - stage 3a: code, date and number parsers (see fields.h). */
#include "fields.h"

#include <string.h>

const char *const esf_aanvrager_names[AANV_COUNT] = {"gemeente", "vsopro", "uwv", "jenv"};
const char *const esf_sex_names[SEX_COUNT] = {"man", "vrouw", "onbekend"};
const char *const esf_pos_names[POS_COUNT] = {"werkzaam", "niet_werkzaam", "inactief", "onbekend"};
const char *const esf_dg_names[DG_COUNT] = {
    "uitkering_6m", "arbeidsbelemmerd", "niet_uitkeringsontvanger", "statushouder", "jongere",
    "oudere", "gedetineerde", "tbs", "jji", "cji", "uwv_breed"};

const esf_traj esf_traj_empty = {
    .geslacht = SEX_ONBEKEND,
    .pos = {POS_ONBEKEND, POS_ONBEKEND, POS_ONBEKEND},
    .contract = {CONTRACT_NONE, CONTRACT_NONE, CONTRACT_NONE},
    .srg = {BOOL_NO, BOOL_NO, BOOL_NO},
    .onderwijs = {BOOL_NO, BOOL_NO, BOOL_NO},
    .uren = {ESF_NUM_EMPTY, ESF_NUM_EMPTY, ESF_NUM_EMPTY},
    .uurloon = {ESF_NUM_EMPTY, ESF_NUM_EMPTY, ESF_NUM_EMPTY}};

/* A lower-case name, its words (words_of) and in m the bit 0x20 of each of
 * their bytes that holds a letter: a cell's words c match when (c | m) == w,
 * which lets an upper-case letter through and nothing else.  w, m and next
 * (the next entry in its slot) are filled by codes_init, before main. */
typedef struct code_entry {
    uint64_t w[3], m[3];
    const char *name;
    const struct code_entry *next;
    uint8_t len;
    uint8_t value;
} code_entry;

#define E(name, value) {{0, 0, 0}, {0, 0, 0}, name, NULL, sizeof(name) - 1, value}

static code_entry ent_aanvrager[] = {E("gemeente", AANV_GEMEENTE), E("vsopro", AANV_VSOPRO),
                                     E("vso/pro", AANV_VSOPRO),    E("vso-pro", AANV_VSOPRO),
                                     E("uwv", AANV_UWV),           E("jenv", AANV_JENV)};
static code_entry ent_geslacht[] = {E("m", SEX_MAN),   E("man", SEX_MAN),     E("1", SEX_MAN),
                                    E("v", SEX_VROUW), E("vrouw", SEX_VROUW), E("2", SEX_VROUW)};
static code_entry ent_positie[] = {
    E("werkzaam", POS_WERKZAAM),          E("niet_werkzaam", POS_NIET_WERKZAAM),
    E("niet-werkzaam", POS_NIET_WERKZAAM), E("nietwerkzaam", POS_NIET_WERKZAAM),
    E("inactief", POS_INACTIEF),          E("onbekend", POS_ONBEKEND)};
static code_entry ent_contract[] = {E("vast", CONTRACT_VAST), E("o", CONTRACT_VAST),
                                    E("tijdelijk", CONTRACT_TIJDELIJK),
                                    E("b", CONTRACT_TIJDELIJK)};
static code_entry ent_bool[] = {E("1", BOOL_YES), E("j", BOOL_YES), E("ja", BOOL_YES),
                                E("0", BOOL_NO),  E("n", BOOL_NO),  E("nee", BOOL_NO)};
static code_entry ent_doelgroep[] = {
    E("uitkering_6m", DG_UITKERING_6M),   E("arbeidsbelemmerd", DG_ARBEIDSBELEMMERD),
    E("niet_uitkeringsontvanger", DG_NIET_UITKERINGSONTVANGER),
    E("statushouder", DG_STATUSHOUDER),   E("jongere", DG_JONGERE),
    E("oudere", DG_OUDERE),               E("gedetineerde", DG_GEDETINEERDE),
    E("tbs", DG_TBS),                     E("jji", DG_JJI),
    E("cji", DG_CJI),                     E("uwv_breed", DG_UWV_BREED)};

/* A table: its entries, and in slot the first entry of each hash of a
 * name's first word and length (slot_of). */
typedef struct {
    code_entry *e;
    uint8_t n;
    const code_entry *slot[64];
} code_table;

#define TABLE(name) static code_table tab_##name = {ent_##name, ESF_ARRAY_SIZE(ent_##name), {NULL}}
TABLE(aanvrager);
TABLE(geslacht);
TABLE(positie);
TABLE(contract);
TABLE(bool);
TABLE(doelgroep);
#undef TABLE

/* Upper and lower case hash alike: every byte's bit 0x20 is set first. */
static inline unsigned slot_of(uint64_t w0, size_t len)
{
    return (unsigned)(((w0 | 0x2020202020202020ull) ^ len) * 0x9E3779B97F4A7C15ull >> 58);
}

static inline uint64_t load64(const char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

static inline uint64_t load32(const char *p)
{
    uint32_t x;
    memcpy(&x, p, 4);
    return x;
}

/* A string of n <= 24 bytes as three words that cover every byte, loaded
 * overlapping from within [p, p+n) only (no byte past the cell is read):
 * two strings of one length are equal exactly when their words are. */
typedef struct {
    uint64_t w[3];
} str_words;

static inline str_words words_of(const char *p, size_t n)
{
    str_words r = {{0, 0, 0}};
    if (n >= 8) {
        r.w[0] = load64(p);
        r.w[1] = load64(p + n - 8);
        if (n > 16) r.w[2] = load64(p + 8);
    } else if (n >= 4) {
        r.w[0] = load32(p);
        r.w[1] = load32(p + n - 4);
    } else if (n) {
        r.w[0] = (uint64_t)(uint8_t)p[0] | (uint64_t)(uint8_t)p[n / 2] << 8 |
                 (uint64_t)(uint8_t)p[n - 1] << 16;
    }
    return r;
}

/* Fills the tables' words once, before main (a library constructor: the
 * lookups then need no check that it ran). */
__attribute__((constructor)) static void codes_init(void)
{
    code_table *const all[] = {&tab_aanvrager, &tab_geslacht, &tab_positie,
                               &tab_contract,  &tab_bool,     &tab_doelgroep};
    for (size_t t = 0; t < ESF_ARRAY_SIZE(all); t++)
        for (size_t i = all[t]->n; i-- > 0;) { /* chains keep the table's order */
            code_entry *e = &all[t]->e[i];
            const str_words w = words_of(e->name, e->len);
            for (int k = 0; k < 3; k++) {
                e->w[k] = w.w[k];
                e->m[k] = 0;
                for (int b = 0; b < 8; b++) {
                    const unsigned c = (unsigned)(w.w[k] >> (8 * b)) & 0xff;
                    if (c >= 'a' && c <= 'z') e->m[k] |= 0x20ull << (8 * b);
                }
            }
            const code_entry **slot = &all[t]->slot[slot_of(e->w[0], e->len)];
            e->next = *slot;
            *slot = e;
        }
}

/* Case-insensitive (ASCII) lookup of v in a table of lower-case names; -1
 * when absent.  Compares a word at a time, only with the entries of v's
 * slot (the third word only for names over 16 bytes: it is 0 in shorter
 * ones). */
static inline __attribute__((always_inline)) int lookup(esf_view v, const code_table *t)
{
    if (v.len > 24) return -1; /* longer than every name */
    const str_words c = words_of(v.p, v.len);
    for (const code_entry *e = t->slot[slot_of(c.w[0], v.len)]; e; e = e->next)
        if (e->len == v.len && (c.w[0] | e->m[0]) == e->w[0] && (c.w[1] | e->m[1]) == e->w[1] &&
            (v.len <= 16 || (c.w[2] | e->m[2]) == e->w[2]))
            return e->value;
    return -1;
}

#define LOOKUP(v, tab) lookup((v), &(tab))

static int set_code(int r, uint8_t *out)
{
    if (r < 0) return -1;
    *out = (uint8_t)r;
    return 0;
}

int esf_field_aanvrager(esf_view v, uint8_t *out)
{
    return set_code(LOOKUP(v, tab_aanvrager), out);
}

int esf_field_geslacht_value(esf_view v, uint8_t *out)
{
    return set_code(LOOKUP(v, tab_geslacht), out);
}

int esf_field_positie_value(esf_view v, uint8_t *out)
{
    return set_code(LOOKUP(v, tab_positie), out);
}

int esf_field_contract_value(esf_view v, uint8_t *out)
{
    return set_code(LOOKUP(v, tab_contract), out);
}

int esf_field_bool_value(esf_view v, uint8_t *out)
{
    /* the SPEC's own spellings, a third of a canonical row's codes, at once */
    if (v.len == 3 && memcmp(v.p, "nee", 3) == 0) return set_code(BOOL_NO, out);
    if (v.len == 2 && memcmp(v.p, "ja", 2) == 0) return set_code(BOOL_YES, out);
    return set_code(LOOKUP(v, tab_bool), out);
}

/* The first '|' or '+' in [p, end), or end: eight bytes at a time (the
 * lowest byte that holds one sets the lowest flag: a borrow only runs up). */
static const char *list_sep(const char *p, const char *end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    for (; end - p >= 8; p += 8) {
        const uint64_t x = load64(p), a = x ^ (ones * '|'), b = x ^ (ones * '+');
        const uint64_t hit = ((a - ones) & ~a & highs) | ((b - ones) & ~b & highs);
        if (hit) return p + (__builtin_ctzll(hit) >> 3);
    }
#endif
    while (p < end && *p != '|' && *p != '+') p++;
    return p;
}

int esf_field_doelgroep_value(esf_view v, uint16_t *out)
{
    /* one code, the common cell, at once (no name holds a separator or a
     * space, so a list or padding is never one) */
    const int one = LOOKUP(v, tab_doelgroep);
    if (one >= 0) {
        *out = (uint16_t)(1u << one);
        return 0;
    }
    uint16_t set = 0;
    const char *p = v.p, *end = v.p + v.len;
    while (p < end) {
        const char *s = p;
        p = list_sep(p, end);
        const char *e = p;
        while (s < e && *s == ' ') s++;
        while (e > s && e[-1] == ' ') e--;
        if (e > s) {
            int c = LOOKUP(((esf_view){s, (size_t)(e - s)}), tab_doelgroep);
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

/* Year, month and day of the eight digits yyyymmdd at p, at once: pairs,
 * then the year's four.  False when a byte is no digit. */
static inline bool ymd8(const char *p, int *y, int *m, int *d)
{
    uint64_t x;
    if (!esf_digits8(p, &x)) return false;
    const uint64_t x2 = (x * 10 + (x >> 8)) & 0x00ff00ff00ff00ffull;
    *y = (int)(((x2 * 100 + (x2 >> 16)) & 0xffff));
    *m = (int)(x2 >> 32 & 0xff);
    *d = (int)(x2 >> 48 & 0xff);
    return true;
}

int esf_field_date_value(esf_view v, bool allow_month, int32_t *out)
{
    int y, m, d = 1;
    if (v.len == 8) {
        if (!ymd8(v.p, &y, &m, &d)) return -1;
    } else if (v.len == 10) { /* yyyy-mm-dd: its eight digits side by side */
        char dig[8];
        if (v.p[4] != '-' || v.p[7] != '-') return -1;
        memcpy(dig, v.p, 4), memcpy(dig + 4, v.p + 5, 2), memcpy(dig + 6, v.p + 8, 2);
        if (!ymd8(dig, &y, &m, &d)) return -1;
    } else if (v.len == 6 && allow_month) {
        if (digits(v.p, 4, &y) || digits(v.p + 4, 2, &m)) return -1;
    } else {
        return -1;
    }
    /* the days of each month as bits 1-31 (29 February: checked on its own) */
    static const uint32_t mdays[12] = {
        0xfffffffeu, 0x3ffffffeu, 0xfffffffeu, 0x7ffffffeu, 0xfffffffeu, 0x7ffffffeu,
        0xfffffffeu, 0xfffffffeu, 0x7ffffffeu, 0xfffffffeu, 0x7ffffffeu, 0xfffffffeu};
    if ((unsigned)(y - 1900) > 200 || (unsigned)(m - 1) > 11 || (unsigned)d > 31 ||
        !(mdays[m - 1] >> d & 1))
        return -1;
    if (m == 2 && d == 29 && !is_leap(y)) return -1;
    *out = y * 10000 + m * 100 + d;
    return 0;
}

int esf_field_number_value(esf_view v, bool allow_comma, int64_t max, int64_t *out)
{
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

int esf_age_years(int32_t birth, int32_t day)
{
    /* With mmdd compared as numbers, 0229 in a year without 29 February is
     * passed on 0301 and not on 0228: the 1 March rule falls out. */
    int age = day / 10000 - birth / 10000;
    if (day % 10000 < birth % 10000) age--;
    return age;
}
