/* Stage 3a: field parsers (SPEC §2.2): codes, dates, numbers, target groups. */
#include "internal.h"
#include "helpers.h"

#include <strings.h>

typedef struct {
    const char *in;
    bool month;
    int ok;
    int32_t out;
} date_case;

ParameterizedTestParameters(fields, dates)
{
    static date_case cases[] = {
        {"20150101", false, 0, 20150101}, {"2015-01-31", false, 0, 20150131},
        {"20160229", false, 0, 20160229}, {"20150229", false, -1, 0},   /* not a leap year */
        {"20000229", false, 0, 20000229}, {"19000229", false, -1, 0},   /* century rule */
        {"18991231", false, -1, 0},       {"21001231", false, 0, 21001231},
        {"21010101", false, -1, 0},       {"20151301", false, -1, 0},
        {"20150100", false, -1, 0},       {"2015-1-01", false, -1, 0},
        {"2015/01/01", false, -1, 0},     {"201501", false, -1, 0},     /* YYYYMM only for birth dates */
        {"201501", true, 0, 20150101},    {"201513", true, -1, 0},
        {"", false, 0, 0},                {"2015010a", false, -1, 0},
        {" 20150101", false, -1, 0},
        /* bytes just outside '0'..'9', and high-bit bytes, at either end */
        {"2015010:", false, -1, 0},       {"/0150101", false, -1, 0},
        {"2015\xb0" "101", false, -1, 0}, {"2015\xc0" "101", false, -1, 0},
        {"2015-01-0:", false, -1, 0},     {"19991231", false, 0, 19991231},
        /* the edges of the years, months and days (one bit per mmdd) */
        {"19000101", false, 0, 19000101}, {"21000229", false, -1, 0},
        {"20400229", false, 0, 20400229}, {"20150931", false, -1, 0},
        {"20150431", false, -1, 0},       {"20151231", false, 0, 20151231},
        {"20151232", false, -1, 0},       {"20150015", false, -1, 0},
        {"99991231", false, -1, 0},       {"00000101", false, -1, 0},
        {"201500", true, -1, 0},          {"189912", true, -1, 0},
        {"210012", true, 0, 21001201},
        /* day first, as Dutch exports write it (SPEC §2.2): never month first */
        {"1-1-2015", false, 0, 20150101},   {"01-01-2015", false, 0, 20150101},
        {"1/2/2015", false, 0, 20150201},   {"13/2/2015", false, 0, 20150213},
        {"2-13-2015", false, -1, 0},        /* month first: the 13th month */
        {"29-2-2016", false, 0, 20160229},  {"29-02-2015", false, -1, 0},
        {"31-12-2100", false, 0, 21001231}, {"31-12-1899", false, -1, 0},
        {"31-4-2015", false, -1, 0},        {"0-1-2015", false, -1, 0},
        {"1-1/2015", false, -1, 0},         {"1/1-2015", false, -1, 0},     /* one separator */
        {"1-1-15", false, -1, 0},           {"1-1-02015", false, -1, 0},    /* four-digit years */
        {"001-1-2015", false, -1, 0},       {"1-001-2015", false, -1, 0},
        {"1--1-2015", false, -1, 0},        {"-1-1-2015", false, -1, 0},
        {"1.1.2015", false, -1, 0},         {"1-1-201a", false, -1, 0},
        {" 1-1-2015", false, -1, 0},        {"1-1-2015 ", false, -1, 0},
        {"1-1-2015", true, 0, 20150101},    {"2015-1-1", false, -1, 0},
    };
    return cr_make_param_array(date_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(date_case *c, fields, dates)
{
    int32_t out = -1;
    cr_expect_eq(esf_field_date(VIEW(c->in), c->month, &out), c->ok, "%s", c->in);
    if (c->ok == 0) cr_expect_eq(out, c->out, "%s", c->in);
}

/* Every yyyymmdd and yyyy-mm-dd of 1899-2101 (mm and dd 00-99) against the
 * calendar written out. */
Test(fields, dates_against_the_calendar)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int valid = 0;
    for (int y = 1899; y <= 2101; y++)
        for (int m = 0; m <= 99; m++)
            for (int d = 0; d <= 99; d++) {
                const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
                const bool ok = y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 &&
                                d <= mdays[m - 1] + (m == 2 && leap);
                char a[16], b[16];
                snprintf(a, sizeof a, "%04d%02d%02d", y, m, d);
                snprintf(b, sizeof b, "%04d-%02d-%02d", y, m, d);
                int32_t oa = -1, ob = -1;
                const int ra = esf_field_date_value(VIEW(a), false, &oa);
                const int rb = esf_field_date_value(VIEW(b), false, &ob);
                if ((ra == 0) != ok || (rb == 0) != ok) cr_assert_fail("%s: %d %d, valid %d", a, ra, rb, ok);
                if (ok && (oa != y * 10000 + m * 100 + d || ob != oa)) cr_assert_fail("%s: %d %d", a, oa, ob);
                valid += ok;
            }
    cr_expect_eq(valid, 201 * 365 + 49); /* 1900-2100: 49 leap years (not 1900, 2100) */
}

/* Every d-m-yyyy, dd-mm-yyyy, d/m/yyyy and dd/mm/yyyy of 1899-2101 (day and
 * month 0-99) against yyyymmdd: the same dates, day first. */
Test(fields, day_first_dates_equal_yyyymmdd)
{
    int valid = 0;
    for (int y = 1899; y <= 2101; y++)
        for (int m = 0; m <= 99; m++)
            for (int d = 0; d <= 99; d++) {
                char ref[16], a[16], b[16];
                snprintf(ref, sizeof ref, "%04d%02d%02d", y, m, d);
                int32_t want = -1;
                const int rw = esf_field_date_value(VIEW(ref), false, &want);
                for (int sep = 0; sep < 2; sep++) {
                    const char c = sep ? '/' : '-';
                    snprintf(a, sizeof a, "%d%c%d%c%04d", d, c, m, c, y);
                    snprintf(b, sizeof b, "%02d%c%02d%c%04d", d, c, m, c, y);
                    int32_t oa = -1, ob = -1;
                    const int ra = esf_field_date_value(VIEW(a), false, &oa);
                    const int rb = esf_field_date_value(VIEW(b), false, &ob);
                    if (ra != rw || rb != rw || (rw == 0 && (oa != want || ob != want)))
                        cr_assert_fail("%s %s: %d %d (%d %d), %s: %d (%d)", a, b, ra, rb, oa, ob, ref, rw, want);
                    valid += rw == 0;
                }
            }
    cr_expect_eq(valid, 2 * (201 * 365 + 49));
}

typedef struct {
    int which; /* 0 aanvrager 1 geslacht 2 positie 3 contract 4 bool */
    const char *in;
    int want;  /* -1 invalid */
} code_case;

ParameterizedTestParameters(fields, codes)
{
    static code_case cases[] = {
        {0, "gemeente", AANV_GEMEENTE}, {0, "GEMEENTE", AANV_GEMEENTE}, {0, "vso/pro", AANV_VSOPRO},
        {0, "VSO-PRO", AANV_VSOPRO},    {0, "vsopro", AANV_VSOPRO},     {0, "UwV", AANV_UWV},
        {0, "jenv", AANV_JENV},         {0, "", -1},                    {0, "gemeenten", -1},
        {1, "m", SEX_MAN},              {1, "MAN", SEX_MAN},            {1, "1", SEX_MAN},
        {1, "V", SEX_VROUW},            {1, "vrouw", SEX_VROUW},        {1, "2", SEX_VROUW},
        {1, "", SEX_ONBEKEND},          {1, "x", -1},                   {1, "onbekend", -1},
        {2, "werkzaam", POS_WERKZAAM},  {2, "Niet-Werkzaam", POS_NIET_WERKZAAM},
        {2, "nietwerkzaam", POS_NIET_WERKZAAM}, {2, "niet_werkzaam", POS_NIET_WERKZAAM},
        {2, "INACTIEF", POS_INACTIEF},  {2, "onbekend", POS_ONBEKEND},  {2, "", POS_ONBEKEND},
        {2, "werkend", -1},             {3, "vast", CONTRACT_VAST},     {3, "O", CONTRACT_VAST},
        {3, "b", CONTRACT_TIJDELIJK},   {3, "Tijdelijk", CONTRACT_TIJDELIJK},
        {3, "", CONTRACT_NONE},         {3, "flex", -1},                {4, "1", BOOL_YES},
        {4, "J", BOOL_YES},             {4, "ja", BOOL_YES},            {4, "0", BOOL_NO},
        {4, "N", BOOL_NO},              {4, "Nee", BOOL_NO},            {4, "", BOOL_NO},
        {4, "yes", -1},
    };
    return cr_make_param_array(code_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(code_case *c, fields, codes)
{
    int (*const fn[5])(esf_view, uint8_t *) = {esf_field_aanvrager, esf_field_geslacht, esf_field_positie,
                                               esf_field_contract, esf_field_bool};
    uint8_t out = 255;
    int r = fn[c->which](VIEW(c->in), &out);
    if (c->want < 0) cr_expect_eq(r, -1, "'%s' should be invalid", c->in);
    else cr_expect(r == 0 && out == c->want, "'%s' -> %d, want %d", c->in, out, c->want);
}

typedef struct {
    const char *in;
    int64_t max;
    int ok;
    int64_t out;
} num_case;

#define U ESF_NUM_SCALE
ParameterizedTestParameters(fields, numbers)
{
    static num_case cases[] = {
        {"12", 168 * U, 0, 12 * U},        {"12.5", 168 * U, 0, 12 * U + U / 2},
        {"12,5", 168 * U, 0, 12 * U + U / 2}, {"0", 168 * U, 0, 0},
        {"168", 168 * U, 0, 168 * U},      {"168.000000001", 168 * U, -1, 0},
        {"169", 168 * U, -1, 0},           {"-1", 168 * U, -1, 0},
        {"1e3", 168 * U, -1, 0},           {"1.2.3", 168 * U, -1, 0},
        {".5", 168 * U, 0, U / 2},         {"5.", 168 * U, 0, 5 * U},
        {".", 168 * U, -1, 0},             {"", 168 * U, 0, ESF_NUM_EMPTY},
        {"0.123456789", 168 * U, 0, 123456789}, {"0.1234567891", 168 * U, 0, 123456789},
        {"1.50000000000", 168 * U, 0, U + U / 2}, {"9223372036.854775807", INT64_MAX, 0, INT64_MAX},
        {"9223372036.854775808", INT64_MAX, -1, 0}, {"99999999999999999999", INT64_MAX, -1, 0},
        {"1 000", INT64_MAX, -1, 0},
        /* each count of decimals to its unit; zeros past the ninth */
        {"0.000000001", 168 * U, 0, 1},    {"7.25", 168 * U, 0, 7 * U + U / 4},
        {"0.1234567890", 168 * U, 0, 123456789}, {"3.12345678", 168 * U, 0, 3 * U + 123456780},
        {"12,50", 168 * U, 0, 12 * U + U / 2},
        /* any number of decimals (SPEC §2.2): cut past the ninth, never
         * let through above max */
        {"1.0000000001", 168 * U, 0, U},   {"32.1234567891", 168 * U, 0, 32 * U + 123456789},
        {"167.99999999999999", 168 * U, 0, 168 * U - 1}, {"168.0000000001", 168 * U, -1, 0},
        {"168.00000000000000000", 168 * U, 0, 168 * U},
        {"9223372036.8547758070001", INT64_MAX, -1, 0},
    };
    return cr_make_param_array(num_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(num_case *c, fields, numbers)
{
    int64_t out = -7;
    cr_expect_eq(esf_field_number(VIEW(c->in), true, c->max, &out), c->ok, "%s", c->in);
    if (c->ok == 0) cr_expect_eq(out, c->out, "%s: %lld", c->in, (long long)out);
}

Test(fields, doelgroep_sets)
{
    uint16_t s;
    cr_expect_eq(esf_field_doelgroep(VIEW(""), &s), 0);
    cr_expect_eq(s, 0);
    cr_expect_eq(esf_field_doelgroep(VIEW(" tbs + JJI|| tbs |"), &s), 0);
    cr_expect_eq(s, (1u << DG_TBS) | (1u << DG_JJI));
    cr_expect_eq(esf_field_doelgroep(VIEW("uitkering_6m|uwv_breed"), &s), 0);
    cr_expect_eq(s, (1u << DG_UITKERING_6M) | (1u << DG_UWV_BREED));
    cr_expect_eq(esf_field_doelgroep(VIEW("tbs|onbekend"), &s), -1);
    cr_expect_eq(esf_field_doelgroep(VIEW("tbs,jji"), &s), -1);
}

/* A list of target groups split as the SPEC says (at | or +, spaces
 * trimmed, empty items skipped), by a byte loop and strncasecmp, against
 * esf_field_doelgroep, which finds the separators 8 bytes at a time: random
 * lists of names, separators, spaces and bytes one bit away from | and +. */
static int dg_reference(const char *p, size_t n, uint16_t *out)
{
    uint16_t set = 0;
    for (size_t i = 0; i <= n;) {
        size_t j = i;
        while (j < n && p[j] != '|' && p[j] != '+') j++;
        size_t s = i, e = j;
        while (s < e && p[s] == ' ') s++;
        while (e > s && p[e - 1] == ' ') e--;
        if (e > s) {
            int c = -1;
            for (int d = 0; d < DG_COUNT; d++)
                if (strlen(esf_dg_names[d]) == e - s && strncasecmp(esf_dg_names[d], p + s, e - s) == 0) c = d;
            if (c < 0) return -1;
            set |= (uint16_t)(1u << c);
        }
        i = j + 1;
    }
    *out = set;
    return 0;
}

Test(fields, doelgroep_lists_against_a_byte_loop)
{
    static const char *const bits[] = {"|", "+", " ", "{", "*", "}", ")", "TBS", "jji"};
    uint64_t x = 12345;
    char buf[200];
    int ok = 0;
    for (int iter = 0; iter < 20000; iter++) {
        size_t n = 0;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        for (unsigned k = 0, m = (unsigned)(x % 9); k < m; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            const char *w = (x >> 20) % 3 ? esf_dg_names[(x >> 8) % DG_COUNT] : bits[(x >> 12) % 9];
            memcpy(buf + n, w, strlen(w)), n += strlen(w);
            if ((x >> 30) % 2) buf[n++] = (x >> 31) % 2 ? '|' : '+';
        }
        uint16_t a = 0, b = 0;
        const int ra = esf_field_doelgroep((esf_view){buf, n}, &a), rb = dg_reference(buf, n, &b);
        cr_assert_eq(ra, rb, "'%.*s'", (int)n, buf);
        if (ra != 0) continue;
        cr_assert_eq(a, b, "'%.*s'", (int)n, buf);
        ok++;
    }
    cr_expect_gt(ok, 2000, "lists that parse: %d", ok);
}

Test(fields, age_in_completed_years)
{
    cr_expect_eq(esf_age_years(19900615, 20180614), 27);
    cr_expect_eq(esf_age_years(19900615, 20180615), 28);
    /* 29 February: the birthday falls on 1 March in other years. */
    cr_expect_eq(esf_age_years(19680229, 20180228), 49);
    cr_expect_eq(esf_age_years(19680229, 20180301), 50);
    cr_expect_eq(esf_age_years(19680229, 20160229), 48);
    cr_expect_eq(esf_age_years(20150101, 20150101), 0);
}

/* Every spelling each code field accepts (SPEC §2.2), for the test below. */
static const char *const spellings[5][8] = {
    {"gemeente", "vsopro", "vso/pro", "vso-pro", "uwv", "jenv"},
    {"m", "man", "1", "v", "vrouw", "2"},
    {"werkzaam", "niet_werkzaam", "niet-werkzaam", "nietwerkzaam", "inactief", "onbekend"},
    {"vast", "o", "tijdelijk", "b"},
    {"1", "j", "ja", "0", "n", "nee"},
};

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* The bytewise reference: equal length, equal after A-Z -> a-z. */
static bool spelled(const char *s, size_t n, int which)
{
    if (n == 0) return which != 0; /* empty: the default, except for aanvrager */
    for (int i = 0; i < 8 && spellings[which][i]; i++) {
        const char *t = spellings[which][i];
        if (strlen(t) != n) continue;
        size_t j = 0;
        while (j < n && ascii_lower((unsigned char)s[j]) == t[j]) j++;
        if (j == n) return true;
    }
    return false;
}

/* The word-at-a-time lookup against the bytewise reference, for every
 * spelling with each byte replaced by the bytes around the A-Z/a-z ranges,
 * high-bit bytes, NUL, the separators and its own twins that differ in bit
 * 5 or 7 (so '1' meets 0x11, '-' meets CR, '_' meets DEL), and with a byte
 * cut off or added: the comparison must be exact at every position and
 * length. */
Test(fields, codes_match_bytewise_reference)
{
    int (*const fn[5])(esf_view, uint8_t *) = {esf_field_aanvrager, esf_field_geslacht, esf_field_positie,
                                               esf_field_contract, esf_field_bool};
    static const unsigned char subst[] = {'@', 'A', 'Z', '[', '`', 'a', 'z', '{', 0xc1, 0xe1,
                                          0xda, 0xfa, 0,   '_', '-', '/', ' ', '0'};
    unsigned checked = 0, valid = 0;
    for (int w = 0; w < 5; w++)
        for (int i = 0; i < 8 && spellings[w][i]; i++) {
            const char *sp = spellings[w][i];
            const size_t n = strlen(sp);
            for (size_t pos = 0; pos <= n; pos++) {
                unsigned char cand[sizeof subst + 4];
                memcpy(cand, subst, sizeof subst);
                const unsigned char c = pos < n ? (unsigned char)sp[pos] : 'a';
                cand[sizeof subst] = c ^ 0x20, cand[sizeof subst + 1] = c | 0x20;
                cand[sizeof subst + 2] = c & ~0x20u, cand[sizeof subst + 3] = c ^ 0x80;
                for (size_t b = 0; b <= sizeof cand; b++) {
                    char buf[40];
                    memcpy(buf, sp, n);
                    size_t len = n;
                    if (b == sizeof cand) { /* cut the last byte */
                        if (pos < n) continue;
                        len = n - 1;
                    } else {
                        buf[pos] = (char)cand[b]; /* pos == n: a byte added */
                        len = pos < n ? n : n + 1;
                    }
                    uint8_t out;
                    const bool want = spelled(buf, len, w);
                    const bool got = fn[w]((esf_view){buf, len}, &out) == 0;
                    cr_expect_eq(got, want, "field %d, '%.*s' (%zu bytes): %d, want %d", w,
                                 (int)len, buf, len, got, want);
                    checked++, valid += want;
                }
            }
        }
    cr_expect_gt(valid, 50u, "the mutations should keep some spellings valid");
    cr_expect_gt(checked, 1000u);
}
