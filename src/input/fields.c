/* fields.c - stage 3a: code, date and number parsers (see fields.h). */
#include "fields.h"

#include <string.h>

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

/* Each table's names, as X(name, code): the SPEC's spelling of each code
 * first, the order in which esf_field_*_value try them as written (exact,
 * the usual cell) before the case-insensitive lookup. */
#define NAMES_AANVRAGER(X)                                                                \
    X("gemeente", AANV_GEMEENTE) X("vsopro", AANV_VSOPRO) X("uwv", AANV_UWV)              \
    X("jenv", AANV_JENV) X("vso/pro", AANV_VSOPRO) X("vso-pro", AANV_VSOPRO)
#define NAMES_GESLACHT(X)                                                                 \
    X("man", SEX_MAN) X("vrouw", SEX_VROUW) X("m", SEX_MAN) X("v", SEX_VROUW)             \
    X("1", SEX_MAN) X("2", SEX_VROUW)
#define NAMES_POSITIE(X)                                                                  \
    X("werkzaam", POS_WERKZAAM) X("niet_werkzaam", POS_NIET_WERKZAAM)                     \
    X("inactief", POS_INACTIEF) X("onbekend", POS_ONBEKEND)                               \
    X("niet-werkzaam", POS_NIET_WERKZAAM) X("nietwerkzaam", POS_NIET_WERKZAAM)
#define NAMES_CONTRACT(X)                                                                 \
    X("vast", CONTRACT_VAST) X("tijdelijk", CONTRACT_TIJDELIJK) X("o", CONTRACT_VAST)    \
    X("b", CONTRACT_TIJDELIJK)
#define NAMES_BOOL(X)                                                                     \
    X("ja", BOOL_YES) X("nee", BOOL_NO) X("1", BOOL_YES) X("0", BOOL_NO) X("j", BOOL_YES) \
    X("n", BOOL_NO)
#define NAMES_DOELGROEP(X)                                                                \
    X("uitkering_6m", DG_UITKERING_6M) X("arbeidsbelemmerd", DG_ARBEIDSBELEMMERD)         \
    X("niet_uitkeringsontvanger", DG_NIET_UITKERINGSONTVANGER)                            \
    X("statushouder", DG_STATUSHOUDER) X("jongere", DG_JONGERE) X("oudere", DG_OUDERE)    \
    X("gedetineerde", DG_GEDETINEERDE) X("tbs", DG_TBS) X("jji", DG_JJI) X("cji", DG_CJI) \
    X("uwv_breed", DG_UWV_BREED)

/* What an empty slot holds: an entry no cell matches (of a length over 24). */
static const code_entry no_code = {{0, 0, 0}, {0, 0, 0}, "", NULL, UINT8_MAX, 0};

/* A table: its entries, and in slot the first entry of each hash of a
 * name's first word and length (slot_of), else no_code. */
typedef struct {
    code_entry *e;
    uint8_t n;
    const code_entry *slot[64];
} code_table;

#define E(name, value) {{0, 0, 0}, {0, 0, 0}, name, NULL, sizeof(name) - 1, value},
#define TABLE(NAME)                                                                   \
    static code_entry ent_##NAME[] = {NAMES_##NAME(E)};                               \
    static code_table tab_##NAME = {ent_##NAME, ESF_ARRAY_SIZE(ent_##NAME), {NULL}}
TABLE(AANVRAGER);
TABLE(GESLACHT);
TABLE(POSITIE);
TABLE(CONTRACT);
TABLE(BOOL);
TABLE(DOELGROEP);
#undef TABLE
#undef E

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
    code_table *const all[] = {&tab_AANVRAGER, &tab_GESLACHT, &tab_POSITIE,
                               &tab_CONTRACT,  &tab_BOOL,     &tab_DOELGROEP};
    for (size_t t = 0; t < ESF_ARRAY_SIZE(all); t++) {
        for (size_t k = 0; k < ESF_ARRAY_SIZE(all[t]->slot); k++) all[t]->slot[k] = &no_code;
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
            e->next = *slot == &no_code ? NULL : *slot;
            *slot = e;
        }
    }
}

/* Case-insensitive (ASCII) lookup of v in a table of lower-case names; -1
 * when absent.  Compares a word at a time (the third only for names over
 * 16 bytes: it is 0 in shorter ones), only with the entries of v's slot
 * (one, in the tables as they are; no_code in an empty slot). */
static inline __attribute__((always_inline)) int lookup(esf_view v, const code_table *t)
{
    if (v.len > 24) return -1; /* longer than every name */
    const str_words c = words_of(v.p, v.len);
    const code_entry *e = t->slot[slot_of(c.w[0], v.len)];
    do
        if (e->len == v.len && (c.w[0] | e->m[0]) == e->w[0] && (c.w[1] | e->m[1]) == e->w[1] &&
            (v.len <= 16 || (c.w[2] | e->m[2]) == e->w[2]))
            return e->value;
    while ((e = e->next));
    return -1;
}

/* The code of v written exactly as a name of the list (compares with
 * constants, a length first), -1 when none. */
#define EXACT(name, value) \
    if (v.len == sizeof(name) - 1 && memcmp(v.p, name, sizeof(name) - 1) == 0) return (value);
#define EXACT_FN(names) \
    static inline int exact_##names(esf_view v) { names(EXACT) return -1; }
EXACT_FN(NAMES_AANVRAGER)
EXACT_FN(NAMES_GESLACHT)
EXACT_FN(NAMES_POSITIE)
EXACT_FN(NAMES_CONTRACT)
EXACT_FN(NAMES_BOOL)
EXACT_FN(NAMES_DOELGROEP)
#undef EXACT_FN
#undef EXACT

static inline int exact_or_lookup(int exact, esf_view v, const code_table *t)
{
    return exact >= 0 ? exact : lookup(v, t);
}
#define LOOKUP(v, tab) exact_or_lookup(exact_NAMES_##tab(v), (v), &tab_##tab)

static int set_code(int r, uint8_t *out)
{
    if (r < 0) return -1;
    *out = (uint8_t)r;
    return 0;
}

int esf_field_aanvrager(esf_view v, uint8_t *out)
{
    return set_code(LOOKUP(v, AANVRAGER), out);
}

int esf_field_geslacht_value(esf_view v, uint8_t *out)
{
    return set_code(LOOKUP(v, GESLACHT), out);
}

int esf_field_positie_value(esf_view v, uint8_t *out)
{
    return set_code(LOOKUP(v, POSITIE), out);
}

int esf_field_contract_value(esf_view v, uint8_t *out)
{
    return set_code(LOOKUP(v, CONTRACT), out);
}

int esf_field_bool_value(esf_view v, uint8_t *out)
{
    return set_code(LOOKUP(v, BOOL), out);
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
    const int one = LOOKUP(v, DOELGROEP);
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
            int c = LOOKUP(((esf_view){s, (size_t)(e - s)}), DOELGROEP);
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

/* Bit mmdd: a day of the year (29 February included), filled before main,
 * as the code tables are. */
static uint64_t mmdd_valid[10000 / 64 + 1];

__attribute__((constructor)) static void mmdd_init(void)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int m = 1; m <= 12; m++)
        for (int d = 1; d <= mdays[m - 1]; d++)
            mmdd_valid[(m * 100 + d) / 64] |= 1ull << (m * 100 + d) % 64;
}

/* yyyymmdd of the digits x (esf_digits8_word) when it is a day from 1900
 * to 2100, else -1: pairs, fours and all eight at once, mmdd checked by
 * one bit. */
static inline int date8(uint64_t x, int32_t *out)
{
    x = (x * 10 + (x >> 8)) & 0x00ff00ff00ff00ffull;   /* pairs          */
    x = (x * 100 + (x >> 16)) & 0x0000ffff0000ffffull; /* yyyy and mmdd  */
    const uint32_t mmdd = (uint32_t)(x >> 32), v = (uint32_t)(x * 10000 + mmdd);
    if (v - 19000000u > 21009999u - 19000000u || !(mmdd_valid[mmdd / 64] >> mmdd % 64 & 1) ||
        (mmdd == 229 && !is_leap((int)(v / 10000))))
        return -1;
    *out = (int32_t)v;
    return 0;
}

/* A date day first as Dutch exports write it (SPEC §2.2): D-M-YYYY or
 * D/M/YYYY, one or two digits for day and month, one separator; its
 * digits as YYYYMMDD into dig.  Out of line: the usual date is never
 * this. */
static __attribute__((noinline)) bool day_first(esf_view v, char dig[8])
{
    const char *p = v.p, *const e = v.p + v.len;
    const char *d = p;
    while (p < e && p - d < 3 && (unsigned)(*p - '0') <= 9) p++;
    const size_t nd = (size_t)(p - d);
    if (nd < 1 || nd > 2 || p == e || (*p != '-' && *p != '/')) return false;
    const char sep = *p++, *m = p;
    while (p < e && p - m < 3 && (unsigned)(*p - '0') <= 9) p++;
    const size_t nm = (size_t)(p - m);
    if (nm < 1 || nm > 2 || p == e || *p != sep || e - ++p != 4) return false;
    memcpy(dig, p, 4);
    dig[4] = nm == 2 ? m[0] : '0', dig[5] = m[nm - 1];
    dig[6] = nd == 2 ? d[0] : '0', dig[7] = d[nd - 1];
    return true; /* the year's digits are esf_digits8's to check */
}

int esf_field_date_value(esf_view v, bool allow_month, int32_t *out)
{
    uint64_t x;
    char dig[8];
    if (v.len == 8 && esf_digits8(v.p, &x)) {
        /* yyyymmdd */
    } else if (v.len == 10 && v.p[4] == '-' && v.p[7] == '-') { /* yyyy-mm-dd: its eight digits side by side */
        memcpy(dig, v.p, 4), memcpy(dig + 4, v.p + 5, 2), memcpy(dig + 6, v.p + 8, 2);
        if (!esf_digits8(dig, &x)) return -1;
    } else if (v.len == 6 && allow_month) {
        int y, m;
        if (digits(v.p, 4, &y) || digits(v.p + 4, 2, &m)) return -1;
        if ((unsigned)(y - 1900) > 200 || (unsigned)(m - 1) > 11) return -1;
        *out = y * 10000 + m * 100 + 1;
        return 0;
    } else if (v.len >= 8 && v.len <= 10 && day_first(v, dig)) { /* d-m-yyyy, d/m/yyyy */
        if (!esf_digits8(dig, &x)) return -1;
    } else {
        return -1;
    }
    return date8(x, out);
}

/* The decimals of a number past the ninth, at p (SPEC: any number of
 * decimals): the value is kept cut to nine (ip and frac), and when what was
 * cut is more than zeros, it is above the cut value, so above max when that
 * reaches it.  Out of line: the usual number never gets here. */
static __attribute__((noinline, cold)) int number_tail(const char *p, const char *e, int64_t ip,
                                                       int64_t frac, int64_t max, int64_t *out)
{
    bool more = false;
    for (; p < e && (unsigned)(*p - '0') <= 9; p++) more |= *p != '0';
    if (p != e || ip > max / ESF_NUM_SCALE ||
        (ip == max / ESF_NUM_SCALE && (frac > max % ESF_NUM_SCALE || (frac == max % ESF_NUM_SCALE && more))))
        return -1;
    *out = ip * ESF_NUM_SCALE + frac;
    return 0;
}

int esf_field_number_value(esf_view v, bool allow_comma, int64_t max, int64_t *out)
{
    /* what frac is multiplied by when it holds k decimals, k = 0..9 */
    static const int64_t unit[10] = {ESF_NUM_SCALE, 100000000, 10000000, 1000000, 100000,
                                     10000,         1000,      100,      10,      1};
    const char *p = v.p, *const e = v.p + v.len, *const d0 = p;
    int64_t ip = 0, frac = 0;
    for (; p < e && (unsigned)(*p - '0') <= 9; p++) {
        if (ip > max / ESF_NUM_SCALE) return -1; /* out of range, stop before overflow */
        ip = ip * 10 + (*p - '0');
    }
    size_t ndig = (size_t)(p - d0);
    if (p < e && (*p == '.' || (allow_comma && *p == ','))) {
        const char *const f0 = ++p, *const f9 = e - f0 > 9 ? f0 + 9 : e;
        for (; p < f9 && (unsigned)(*p - '0') <= 9; p++) frac = frac * 10 + (*p - '0');
        const size_t nf = (size_t)(p - f0);
        frac *= unit[nf];
        if (ESF_UNLIKELY(p == f0 + 9 && p < e)) return number_tail(p, e, ip, frac, max, out);
        ndig += nf;
    }
    if (p != e || ndig == 0) return -1;
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
