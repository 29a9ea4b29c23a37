/* statfile.c - stage 1b: what a statistical file is (its magic bytes) and
 * the cases of its text; statread.c converts it.  Without ReadStat
 * (ESF_HAVE_READSTAT unset) the files are still named by their magic
 * bytes, and reading one is an error that says what is missing. */
#include "statfile.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static const unsigned char sas_magic[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xc2, 0xea, 0x81, 0x60};

esf_stat_kind esf_stat_magic(const unsigned char *p, size_t n)
{
    if (n >= 4 && memcmp(p, "$FL2", 4) == 0) return ESF_STAT_SAV;
    if (n >= 4 && memcmp(p, "$FL3", 4) == 0) return ESF_STAT_ZSAV;
    if (n >= 11 && memcmp(p, "<stata_dta>", 11) == 0) return ESF_STAT_DTA;
    /* before version 117: release 104-115, byte order 1 or 2, file type 1 */
    if (n >= 4 && p[0] >= 104 && p[0] <= 115 && (p[1] == 1 || p[1] == 2) && p[2] == 1 && p[3] == 0)
        return ESF_STAT_DTA;
    if (n >= sizeof sas_magic && memcmp(p, sas_magic, sizeof sas_magic) == 0) return ESF_STAT_SAS7BDAT;
    /* 200 bytes of splash and a 256-byte character table, in lines of 80
     * characters (with their line ends: "SPSSPORT" moves up to 12 on) */
    for (size_t at = 456; at <= 470 && at + 8 <= n; at++)
        if (memcmp(p + at, "SPSSPORT", 8) == 0) return ESF_STAT_POR;
    return ESF_STAT_NONE;
}

static const struct {
    const char *format, *what;
} kinds[] = {
    [ESF_STAT_NONE] = {"csv", "text"},
    [ESF_STAT_SAV] = {"sav", "an SPSS data file (.sav)"},
    [ESF_STAT_ZSAV] = {"zsav", "a compressed SPSS data file (.zsav)"},
    [ESF_STAT_POR] = {"por", "an SPSS portable file (.por)"},
    [ESF_STAT_DTA] = {"dta", "a Stata data file (.dta)"},
    [ESF_STAT_SAS7BDAT] = {"sas7bdat", "a SAS data file (.sas7bdat)"},
};

const char *esf_stat_format(esf_stat_kind k)
{
    return kinds[k].format;
}

const char *esf_stat_what(esf_stat_kind k)
{
    return kinds[k].what;
}

const char *esf_stat_text(const esf_stat *s, size_t *len)
{
    *len = s->len;
    return s->text;
}

uint64_t esf_stat_case(const esf_stat *s, uint64_t line)
{
    size_t lo = 0, hi = s->nshift; /* the last shift at or before line */
    while (lo < hi) {
        const size_t mid = (lo + hi) / 2;
        if (s->shift[mid].line <= line) lo = mid + 1;
        else hi = mid;
    }
    if (lo == 0) return line ? line - 1 : 0;
    return s->shift[lo - 1].ncase + (line - s->shift[lo - 1].line);
}

void esf_stat_free(esf_stat *s)
{
    if (!s) return;
    if (s->map) munmap(s->map, s->map_len);
    else esf_big_free(s->text, s->cap, 1);
    free(s->shift);
    free(s);
}

bool esf_stat_available(void)
{
#ifdef ESF_HAVE_READSTAT
    return true;
#else
    return false;
#endif
}
