/* libFuzzer: statistical files as esfmon reads them: converted by ReadStat
 * in a process of its own (esf_stat_convert with this program as the
 * helper, as the esfmon command does with itself), the result read back.
 * Whatever the bytes, a file is either an input error naming it or CSV
 * text: a header line, then lines whose cases esf_stat_case counts up, the
 * text ending in a line feed.  ReadStat 1.1.8 crashes on some damaged
 * files; in the helper that is an input error, as it must be (so a crash
 * there, ReadStat's or the helper's own, is not a finding of this target:
 * its stderr shows it).  The kind comes from the magic bytes, or, when
 * there are none, from the first byte (so that every ReadStat parser is
 * fuzzed past its magic check too). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "statfile.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    if (*argc > 1 && strcmp((*argv)[1], ESF_STAT_HELPER_ARG) == 0) exit(esf_stat_helper_main(*argc, *argv));
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    esf_stat_kind k = esf_stat_magic(data, size);
    if (k == ESF_STAT_NONE) {
        if (size < 1) return 0;
        k = (esf_stat_kind)(ESF_STAT_SAV + data[0] % 5);
        data++, size--;
    }
    esf_stat *s;
    esf_err err;
    if (esf_stat_convert(data, size, -1, k, "f", "/proc/self/exe", &s, &err) != ESF_OK) {
        if (strncmp(err.msg, "f: ", 3) != 0) abort(); /* the file named */
        return 0;
    }
    size_t n;
    const char *t = esf_stat_text(s, &n);
    if (n == 0 || t[n - 1] != '\n') abort();
    uint64_t line = 1, prev = 0;
    for (const char *p = t; p < t + n; p = (const char *)memchr(p, '\n', (size_t)(t + n - p)) + 1, line++) {
        const uint64_t c = esf_stat_case(s, line);
        if (c < prev || c > line) abort();
        prev = c;
    }
    esf_stat_free(s);
    return 0;
}
