/* libFuzzer: the field parsers.  Whatever the bytes, a parser either rejects
 * them or returns a value inside its documented range; a date that parses
 * formats back to the digits it came from (day first: the same day, month
 * and year). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    esf_view v = {(const char *)data, size};
    uint8_t c;
    uint16_t set;
    int32_t d;
    int64_t x;
    if (esf_field_aanvrager(v, &c) == 0 && c >= AANV_COUNT) abort();
    if (esf_field_geslacht(v, &c) == 0 && c >= SEX_COUNT) abort();
    if (esf_field_positie(v, &c) == 0 && c >= POS_COUNT) abort();
    if (esf_field_contract(v, &c) == 0 && c > CONTRACT_TIJDELIJK) abort();
    if (esf_field_bool(v, &c) == 0 && c > BOOL_NO) abort();
    if (esf_field_doelgroep(v, &set) == 0 && set >> DG_COUNT) abort();
    for (int month = 0; month < 2; month++) {
        if (esf_field_date(v, month, &d) != 0 || size == 0) continue;
        if (d < 19000101 || d > 21001231) abort();
        char buf[16];
        snprintf(buf, sizeof buf, "%08d", d);
        const size_t head = size < 3 ? size : 3;
        if (memchr(data, '-', head) || memchr(data, '/', head)) { /* day first: d-m-yyyy, dd/mm/yyyy */
            char in[16];
            int dd, mm, yy;
            char s1, s2;
            if (size > 10) abort();
            memcpy(in, data, size), in[size] = '\0';
            if (sscanf(in, "%d%c%d%c%d", &dd, &s1, &mm, &s2, &yy) != 5 || s1 != s2 || d != yy * 10000 + mm * 100 + dd)
                abort();
            continue;
        }
        if (size == 8 && memcmp(buf, data, 8) != 0) abort();
        if (size == 10 && (memcmp(buf, data, 4) || memcmp(buf + 4, data + 5, 2) || memcmp(buf + 6, data + 8, 2))) abort();
        if (size == 6 && (!month || memcmp(buf, data, 6) || memcmp(buf + 6, "01", 2))) abort();
    }
    if (esf_field_number(v, true, 168 * ESF_NUM_SCALE, &x) == 0 && (x < -1 || x > 168 * ESF_NUM_SCALE)) abort();
    if (esf_field_number(v, true, INT64_MAX, &x) == 0 && x < -1) abort();
    if (size >= 16) {
        int32_t b, s;
        memcpy(&b, data, 4);
        memcpy(&s, data + 4, 4);
        (void)esf_age_years(b % 100000000, s % 100000000);
    }
    return 0;
}
