/* Stage 3b and 4: row validation order, and the person state with the
 * tie-breaks of SPEC §3 (no output may depend on row order). */
#include "helpers.h"
#include "persons.h"

#include <sys/mman.h>
#include <unistd.h>

static const char HDR[] =
    "rinpersoons,rinpersoon,project,aanvrager,doelgroep,geslacht,geboortedatum,start,eind,"
    "eind_project,positie_start,positie_eind,uren_start,uren_eind\n";

typedef struct {
    const char *row;
    int reason; /* -1 accepted */
} valid_case;

ParameterizedTestParameters(rows, first_failing_check_wins)
{
    static valid_case cases[] = {
        {"R,1,P,uwv,,m,,20150101,,,,,,", -1},
        {"R,1,P,uwv,,m,,20150101,,,,", ESF_REJ_VELDAANTAL},
        {",1,P,uwv,,m,,20150101,,,,,,", -1},                      /* rinpersoons empty = R */
        {"R,,P,uwv,,x,,2015,,,,,,", ESF_REJ_VERPLICHT_LEEG},      /* before code and date */
        {"R,1,\"\",uwv,,m,,20150101,,,,,,", ESF_REJ_VERPLICHT_LEEG},
        {"R,\"  \",P,uwv,,m,,20150101,,,,,,", -1},                /* quoted spaces are a value */
        {"ABCDEFGHI,1,P,uwv,,x,,20150101,,,,,,", ESF_REJ_TE_LANG},
        {"R,123456789012345678901234567890123,P,uwv,,m,,20150101,,,,,,", ESF_REJ_TE_LANG},
        {"R,1,P,gem,,m,,2015,,,,,,", ESF_REJ_ONBEKENDE_CODE},     /* before datum */
        {"R,1,P,uwv,foo,m,,20150101,,,,,,", ESF_REJ_ONBEKENDE_CODE},
        {"R,1,P,uwv,,m,,20150101,,,,werkend,,", ESF_REJ_ONBEKENDE_CODE},
        {"R,1,P,uwv,,m,,20150101,,,,,abc,", ESF_REJ_GETAL},
        {"R,1,P,uwv,,m,,2015-02-30,,,,,abc,", ESF_REJ_DATUM},     /* datum before getal */
        {"R,1,P,uwv,,m,,20150101,,,,,200,", ESF_REJ_GETAL},
        {"R,1,P,uwv,,m,20160101,20150101,20140101,,,,,", ESF_REJ_EIND_VOOR_START},
        {"R,1,P,uwv,,m,20160101,20150101,,,,,,", ESF_REJ_GEBOORTE_NA_START},
        {"R,1,P,uwv,,m,20150101,20150101,20150101,20140101,,,,", -1}, /* birth = start; eind_project early is fine */
        {"R,1,\"a\"x,uwv,,m,,20150101,,,,,,", ESF_REJ_QUOTE_OPEN},
    };
    return cr_make_param_array(valid_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(valid_case *c, rows, first_failing_check_wins)
{
    char buf[512];
    int n = snprintf(buf, sizeof buf, "%s%s\n", HDR, c->row);
    char *out = run_csv(buf, (size_t)n, NULL);
    if (c->reason < 0) {
        expect_cell(out, "invoer,invoer,rijen,geaccepteerd,n", "1");
    } else {
        char key[96];
        snprintf(key, sizeof key, "invoer,invoer,afwijzing,%s,n", esf_reject_name(c->reason));
        expect_cell(out, key, "1");
        expect_cell(out, "invoer,invoer,rijen,afgewezen,n", "1");
    }
    free(out);
}

/* 24 orders of the rows (each a swap of two from the order before) give
 * the same output. */
static void expect_order_free(const char *rows[], int n, const char *key, const char *want)
{
    int idx[6] = {0, 1, 2, 3, 4, 5};
    char *first = NULL;
    for (int perm = 0; perm < 24; perm++) {
        /* next permutation-ish: rotate and swap to visit several orders */
        int a = perm % n, b = (perm / n) % n, t = idx[a];
        idx[a] = idx[b];
        idx[b] = t;
        char buf[2048];
        size_t len = (size_t)snprintf(buf, sizeof buf, "%s", HDR);
        for (int i = 0; i < n; i++) len += (size_t)snprintf(buf + len, sizeof buf - len, "%s\n", rows[idx[i]]);
        char *out = run_csv(buf, len, NULL);
        expect_cell(out, key, want);
        if (!first) first = out;
        else {
            cr_expect_str_eq(out, first, "order %d changes the output", perm);
            free(out);
        }
    }
    free(first);
}

Test(persons, first_tie_on_start_goes_to_smaller_project)
{
    const char *rows[] = {"R,1,P2,gemeente,,m,,20150101,,,werkzaam,,,",
                          "R,1,P1,gemeente,,v,,20150101,,,inactief,,,",
                          "R,1,P0,gemeente,,m,,20150102,,,werkzaam,,,"};
    expect_order_free(rows, 3, "deelnemers,gemeente,geslacht,vrouw,n", "1");
}

Test(persons, first_tie_on_project_goes_column_by_column)
{
    /* same start, same project: aanvrager equal, doelgroep: prefix first */
    const char *rows[] = {"R,1,P,gemeente,tbs,m,,20150101,,,werkzaam,,,",
                          "R,1,P,gemeente,,v,,20150101,,,inactief,,,",
                          "R,1,P,gemeente,uitkering_6m|tbs,m,,20150101,,,werkzaam,,,"};
    expect_order_free(rows, 3, "deelnemers,gemeente,positie_start,inactief,n", "1");
    /* geslacht decides next: man before vrouw, empty (onbekend) last */
    const char *rows2[] = {"R,1,P,gemeente,,,,20150101,,,werkzaam,,,",
                           "R,1,P,gemeente,,v,,20150101,,,inactief,,,"};
    expect_order_free(rows2, 2, "deelnemers,gemeente,geslacht,vrouw,n", "1");
}

Test(persons, last_is_latest_finished_then_smaller_project)
{
    const char *rows[] = {
        "R,1,P2,uwv,,m,,20150101,20150601,,werkzaam,werkzaam,10,12", /* improved  */
        "R,1,P1,uwv,,m,,20150101,20150601,,werkzaam,werkzaam,10,10", /* same eind, P1 wins */
        "R,1,P0,uwv,,m,,20150101,20150701,20150630,werkzaam,inactief,,", /* after eind_project */
        "R,1,P3,uwv,,m,,20150101,,,werkzaam,werkzaam,,"};           /* running */
    expect_order_free(rows, 4, "resultaten,uwv,totaal,totaal,verbeterd_eind", "0");
    expect_order_free(rows, 4, "resultaten,uwv,totaal,totaal,afgerond", "1");
}

Test(persons, last_tie_decided_by_numbers)
{
    /* identical but uren_start: the smaller (empty first) wins */
    const char *rows[] = {"R,1,P,uwv,,m,,20150101,20150601,,werkzaam,werkzaam,10,12",
                          "R,1,P,uwv,,m,,20150101,20150601,,werkzaam,werkzaam,,12"};
    expect_order_free(rows, 2, "resultaten,uwv,totaal,totaal,verbeterd_eind", "0");
}

Test(persons, key_type_and_number_form_the_person)
{
    const char *rows[] = {"R,1,P,uwv,,m,,20150101,,,,,,", "S,1,P,uwv,,m,,20150101,,,,,,",
                          ",1,P,uwv,,m,,20150101,,,,,,", "R,01,P,uwv,,m,,20150101,,,,,,"};
    expect_order_free(rows, 4, "deelnemers,uwv,totaal,totaal,n", "3");
}

/* Keys of the usual shape are packed into integers, others kept as bytes
 * (persons.h); neither may merge distinct persons or split one.  Person 123
 * is in two projects: one kept beside the person, one in the pair set. */
Test(persons, packed_and_byte_keys)
{
    const char *rows[] = {"R,123,P,uwv,,m,,20150101,,,,,,",
                          "R,0123,P,uwv,,m,,20150101,,,,,,",
                          "R,000000000000123,Q,uwv,,m,,20150101,,,,,,",  /* 15 digits: packed */
                          "R,0000000000000123,Q,uwv,,m,,20150101,,,,,,", /* 16: bytes */
                          "R,123,Q,uwv,,m,,20150101,20150201,,,,,",
                          "R,12a,P,uwv,,m,,20150101,,,,,,"};
    expect_order_free(rows, 6, "deelnemers,uwv,totaal,totaal,n", "5");
    expect_order_free(rows, 6, "projecten,P,totaal,totaal,deelnemers", "3");
    expect_order_free(rows, 6, "projecten,Q,totaal,totaal,deelnemers", "3");
    expect_order_free(rows, 6, "projecten,Q,totaal,totaal,afgerond", "1");
    expect_order_free(rows, 6, "projecten,P,totaal,totaal,afgerond", "0");
}

/* esf_pkey_make packs a key type of one byte and 1-15 digits into an integer
 * (eight digits at once): against a digit-by-digit reference on random keys
 * of digits with, now and then, a byte next to the digits or far from them. */
Test(persons, packed_key_matches_reference)
{
    static const char odd[] = {'/', ':', ' ', '\0', (char)0xb0, (char)0xb9, (char)0x80,
                               (char)0xff, 'a', 0x10, 0x19, (char)0xc0};
    uint64_t x = 88172645463325252ull;
    int packed = 0;
    for (int it = 0; it < 300000; it++) {
        char buf[24];
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        const size_t len = 1 + x % 17;
        uint64_t y = x;
        for (size_t i = 0; i < len; i++) {
            y ^= y << 13, y ^= y >> 7, y ^= y << 17;
            buf[i] = (char)('0' + y % 10);
        }
        if ((x >> 20) % 4 == 0) buf[(x >> 24) % len] = odd[(x >> 32) % sizeof odd];
        bool digits = true;
        uint64_t v = 0;
        for (size_t i = 0; i < len; i++) {
            digits = digits && buf[i] >= '0' && buf[i] <= '9';
            v = v * 10 + (uint64_t)(unsigned char)(buf[i] - '0');
        }
        esf_pkey k;
        esf_pkey_make(&k, (esf_view){"R", 1}, (esf_view){buf, len});
        const bool pack = digits && len <= 15;
        packed += pack;
        cr_assert_eq(k.len == 0, pack, "case %d: '%.*s' packed %d", it, (int)len, buf, k.len == 0);
        if (pack)
            cr_assert_eq(k.code, v | (uint64_t)len << 50 | (uint64_t)'R' << 54, "case %d: '%.*s'", it,
                         (int)len, buf);
    }
    cr_assert_gt(packed, 100000);
}

/* A hash slot keeps only 32 bits of the key's hash (hashset.h): keys whose
 * hashes agree must still be told apart by the key itself.  Here two keys
 * of each kind are given the same full hash. */
Test(persons, equal_hashes_distinct_keys)
{
    static const char *const ids[2][2] = {{"123", "456"}, {"12a", "45b"}};
    for (int kind = 0; kind < 2; kind++) {
        esf_agg a;
        cr_assert_eq(esf_agg_init(&a), ESF_OK);
        esf_row row = {.rinpersoons = {"R", 1}, .project = {"P", 1}};
        row.t.aanvrager = AANV_UWV;
        row.t.start = 20150101;
        esf_pkey k[2];
        for (int i = 0; i < 2; i++) esf_pkey_make(&k[i], row.rinpersoons, (esf_view){ids[kind][i], 3});
        cr_assert_eq(k[0].len == 0, kind == 0, "123 is packed, 12a is not");
        k[1].h = k[0].h;
        for (int i = 0; i < 4; i++) cr_assert_eq(esf_agg_add(&a, &row, &k[i % 2]), ESF_OK);
        cr_expect_eq(a.npersons, 2, "%s and %s", ids[kind][0], ids[kind][1]);
        cr_expect_eq(a.pset.n, 2);
        esf_agg_free(&a);
    }
}

Test(persons, finished_rule)
{
    esf_traj t = {0};
    t.eind = 20150101;
    cr_expect(traj_finished(&t));
    t.eind_project = 20150101;
    cr_expect(traj_finished(&t));
    t.eind_project = 20141231;
    cr_expect(!traj_finished(&t));
    t.eind = 0;
    t.eind_project = 0;
    cr_expect(!traj_finished(&t));
}

/* A last is kept in hundredths when its numbers allow (persons.h, esf_last),
 * whole otherwise; either way its numbers compare exactly, and a state's last
 * can move between the two forms in any order. */
Test(persons, last_numbers_beyond_hundredths)
{
    /* identical but uren_start: 10.12 wins over 10.125, so uren_eind 10.125
     * is an improvement (it would not be if 10.125 were cut to 10.12) */
    const char *rows[] = {"R,1,P,uwv,,m,,20150101,20150601,,werkzaam,werkzaam,10.125,10.125",
                          "R,1,P,uwv,,m,,20150101,20150601,,werkzaam,werkzaam,10.12,10.125",
                          "R,1,P,uwv,,m,,20150101,20150601,,werkzaam,werkzaam,10.13,10.13"};
    expect_order_free(rows, 3, "resultaten,uwv,totaal,totaal,verbeterd_eind", "1");
    /* 10.1201 beats 10.125 and cannot improve on 10.12 only by rounding */
    const char *rows2[] = {"R,1,P,uwv,,m,,20150101,20150601,,werkzaam,werkzaam,10.125,10.12",
                           "R,1,P,uwv,,m,,20150101,20150601,,werkzaam,werkzaam,10.1201,10.12",
                           "R,1,P,uwv,,m,,20150101,20150601,,werkzaam,werkzaam,10.13,10.2"};
    expect_order_free(rows2, 3, "resultaten,uwv,totaal,totaal,verbeterd_eind", "0");
}

/* The per-person tables' growth (esf_big_grow): on the heap while small,
 * then from 64 KiB a mapping (page-aligned, not a heap block) that moves its
 * pages as it grows, advised into huge pages from 8 MiB (16 -> 32 MiB here):
 * every element written stays, at any size. */
Test(persons, big_tables_keep_their_bytes_as_they_grow)
{
    uint32_t *v = NULL;
    size_t cap = 0;
    const size_t n = 5u << 20, page = (size_t)sysconf(_SC_PAGESIZE); /* 20 MiB of uint32_t */
    for (size_t i = 0; i < n; i++) {
        void *b = v;
        cr_assert_eq(esf_big_grow(&b, &cap, i + 1, sizeof *v), ESF_OK, "at %zu", i);
        v = b;
        v[i] = (uint32_t)(i * 2654435761u);
        if (cap * sizeof *v >= (64u << 10))
            cr_assert_eq((uintptr_t)v % page, 0, "%zu bytes, not a mapping of their own", cap * sizeof *v);
    }
    cr_assert_geq(cap, n);
    for (size_t i = 0; i < n; i++) cr_assert_eq(v[i], (uint32_t)(i * 2654435761u), "element %zu", i);
    esf_big_free(v, cap, sizeof *v);
}

/* Whether every page of [p, p + len) is resident. */
static bool resident(const void *p, size_t len)
{
    const size_t page = (size_t)sysconf(_SC_PAGESIZE);
    const uintptr_t a = (uintptr_t)p & ~(uintptr_t)(page - 1);
    const size_t n = ((uintptr_t)p + len - a + page - 1) / page;
    unsigned char *v = malloc(n);
    cr_assert_not_null(v);
    cr_assert_eq(mincore((void *)a, n * page, v), 0);
    bool all = true;
    for (size_t i = 0; i < n; i++) all = all && (v[i] & 1);
    free(v);
    return all;
}

/* esf_populate: the pages of a range are there after it (what a run's first
 * writes would otherwise fault in one by one), and no byte has changed, for a
 * fresh mapping of zeros and for a part of a heap buffer that starts inside
 * a page. */
Test(persons, populate_brings_in_pages_and_changes_no_byte)
{
#ifdef MADV_POPULATE_WRITE
    const size_t n = 16u << 20, page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char *z = esf_big_zalloc(n, 1);
    cr_assert_not_null(z);
    if (madvise(z, page, MADV_POPULATE_WRITE) != 0) cr_skip_test("this kernel has no MADV_POPULATE_WRITE");
    cr_assert(!resident(z + n / 2, page), "a page in the middle is there before anything wrote it");
    esf_populate(z + 1, n - 1);
    cr_assert(resident(z, n), "not every page brought in");
    for (size_t o = 0; o < n; o += page) cr_assert_eq(z[o], 0, "byte %zu", o);
    esf_big_free(z, n, 1);
    unsigned char *h = malloc(3 * page);
    cr_assert_not_null(h);
    for (size_t i = 0; i < 3 * page; i++) h[i] = (unsigned char)(i * 7 + 1);
    esf_populate(h + 5, 2 * page);
    for (size_t i = 0; i < 3 * page; i++) cr_assert_eq(h[i], (unsigned char)(i * 7 + 1), "byte %zu", i);
    free(h);
#else
    cr_skip_test("built without MADV_POPULATE_WRITE");
#endif
}

/* esf_agg_reserve asks for the pages a round's rows may write to the
 * per-person tables (persons, states, lasts) before the rows come, round
 * after round, the tables growing from the heap into mappings. */
Test(persons, reserve_brings_in_the_pages_of_the_rows_to_come)
{
#ifdef MADV_POPULATE_WRITE
    esf_agg a;
    cr_assert_eq(esf_agg_init(&a), ESF_OK);
    size_t n = 0;
    for (size_t rows = 1000; rows <= 400000; rows *= 3) {
        cr_assert_eq(esf_agg_reserve(&a, rows), ESF_OK);
        cr_assert(resident(a.persons + n, rows * sizeof *a.persons), "persons, a round of %zu", rows);
        cr_assert(resident(a.states + n, rows * sizeof *a.states), "states, a round of %zu", rows);
        cr_assert(resident(a.lasts + n, rows * sizeof *a.lasts), "lasts, a round of %zu", rows);
        n += rows; /* as if every row were a new person with a finished trajectory */
        a.npersons = a.nstates = a.nlasts = n;
    }
    a.npersons = a.nstates = a.nlasts = 0;
    esf_agg_free(&a);
#else
    cr_skip_test("built without MADV_POPULATE_WRITE");
#endif
}

static uint64_t slot_hash(const void *ctx, const esf_slot *sl)
{
    (void)ctx;
    return hset_mix64(sl->aux);
}

static bool slot_eq(const void *ctx, const esf_slot *sl)
{
    return sl->aux == *(const uint32_t *)ctx;
}

/* The hash set's load: it grows by doubling exactly when one more key would
 * fill more than 70% of its slots, at every size from 8 to 2^17 slots, and
 * every key is found after each growth. */
Test(persons, hash_set_grows_at_70_percent)
{
    esf_hset s;
    cr_assert_eq(esf_hset_init(&s, 8), ESF_OK);
    const uint32_t n = 90000;
    for (uint32_t k = 0; k < n; k++) {
        const size_t cap = s.mask + 1;
        cr_assert_eq(hset_reserve(&s, slot_hash, NULL), ESF_OK);
        const size_t want = (k + 1) * 10 <= cap * 7 ? cap : 2 * cap;
        cr_assert_eq(s.mask + 1, want, "%u keys: %zu slots, not %zu", k, s.mask + 1, want);
        esf_slot *sl = hset_probe(&s, hset_mix64(k), slot_eq, &k);
        cr_assert_eq(hset_v(sl), HSET_EMPTY);
        hset_set(sl, k), sl->aux = k, s.n++;
        if (want != cap)
            for (uint32_t j = 0; j <= k; j += 97) cr_assert_eq(hset_v(hset_probe(&s, hset_mix64(j), slot_eq, &j)), j);
    }
    esf_hset_free(&s);
}

/* Mean probes per insertion, by linear probing into 2^bits slots, of n
 * keys placed by h: what a hash set would do with them. */
static double mean_probes(uint64_t (*h)(uint64_t), const uint64_t *keys, size_t n, unsigned bits)
{
    const size_t mask = ((size_t)1 << bits) - 1;
    unsigned char *used = calloc(mask + 1, 1);
    cr_assert_not_null(used);
    size_t probes = 0;
    for (size_t k = 0; k < n; k++) {
        size_t i = (size_t)h(keys[k]) & mask;
        for (probes++; used[i]; i = (i + 1) & mask) probes++;
        used[i] = 1;
    }
    free(used);
    return (double)probes / (double)n;
}

/* The placements spread the keys they are used for about as evenly as
 * random places, at the sets' highest load, in tables of several sizes:
 * hset_mix64 indices (persons and groups, pairs) in arithmetic
 * progressions, Fibonacci strides included (hset_fib takes up to 12 probes
 * a key on these); hset_fib the tags of one partition of 64 (their top
 * bits alike). */
Test(persons, placements_spread_like_random)
{
    static const unsigned sizes[] = {10, 14, 18}; /* log2 of the slots */
    static const uint64_t strides[] = {1, 3, 144, 233, 1000, 1024};
    uint64_t *keys = malloc(((size_t)1 << 18) * sizeof *keys);
    cr_assert_not_null(keys);
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (size_t z = 0; z < ESF_ARRAY_SIZE(sizes); z++)
        for (size_t k = 0; k <= 2 * ESF_ARRAY_SIZE(strides); k++) {
            const unsigned bits = sizes[z];
            const size_t n = ((size_t)1 << bits) / 10 * 7;
            const bool tags = k == 2 * ESF_ARRAY_SIZE(strides);
            const uint64_t stride = tags ? 0 : strides[k / 2];
            for (size_t i = 0; i < n; i++) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                keys[i] = tags      ? (x >> 38) | (uint64_t)37 << 26       /* one partition's tags */
                          : k % 2   ? (uint64_t)(i / 4 * stride) << 2 | (i % 4) /* person and group */
                                    : 12345 + i * stride;                  /* person indices */
            }
            const double got = mean_probes(tags ? hset_fib : hset_mix64, keys, n, bits);
            /* what random places cost on average, 1/2 (1 + 1/(1 - load)) (Knuth) */
            const double load = (double)n / (double)((size_t)1 << bits), random = 0.5 * (1 + 1 / (1 - load));
            cr_expect_lt(got, 1.2 * random, "%s, stride %llu, 2^%u slots: %.2f probes a key (random %.2f)",
                         tags ? "tags" : k % 2 ? "person and group" : "indices",
                         (unsigned long long)stride, bits, got, random);
        }
    free(keys);
}
