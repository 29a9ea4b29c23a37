/* targets.c - the indicator list and the targets file (SPEC §2.6). */
#include "targets.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>

const esf_indicator esf_indicators[N_INDICATORS] = {
    {"OI1", G_AMR, IND_OI, NUM_NONE, DEN_NONE, "72500"},
    {"OI1_som", G_AMR, IND_OI, NUM_SOM, DEN_NONE, "72500"},
    {"OI2", G_UWV, IND_OI, NUM_NONE, DEN_NONE, "5700"},
    {"OI3", G_JENV, IND_OI, NUM_NONE, DEN_NONE, "10900"},
    {"RI1", G_AMR, IND_RI, NUM_EIND, DEN_AFGEROND, "20"},
    {"RI2", G_AMR, IND_RI, NUM_12M, DEN_AFGEROND, "25"},
    {"RI2_bekend", G_AMR, IND_RI, NUM_12M, DEN_AFGEROND_12M, "25"},
    {"RI3", G_UWV, IND_RI, NUM_EIND, DEN_AFGEROND, "55"},
    {"RI4", G_UWV, IND_RI, NUM_12M, DEN_AFGEROND, "65"},
    {"RI4_bekend", G_UWV, IND_RI, NUM_12M, DEN_AFGEROND_12M, "65"},
    {"RI5", G_JENV, IND_RI, NUM_JENV, DEN_DETENTIE, "22"},
    {"RI5_cbs2018", G_JENV, IND_RI, NUM_JENV_2018, DEN_DETENTIE, "22"},
    {"RI6", G_JENV, IND_RI, NUM_JENV, DEN_JEUGD, "60"},
    {"RI6_cbs2018", G_JENV, IND_RI, NUM_JENV_2018, DEN_JEUGD, "60"}};

int esf_indicator_lookup(const char *name)
{
    for (int i = 0; i < N_INDICATORS; i++)
        if (strcasecmp(name, esf_indicators[i].name) == 0) return i;
    return -1;
}

enum { OI_MAX_DIGITS = 15, RI_MAX_DECIMALS = 6 };

/* VALUE of indicator k into its canonical form (out, 24 bytes), or a reason
 * in why.  OI: a whole number of persons, digits only; RI: a percentage
 * 0-100, at most 6 decimals, '.' or ',' as the mark. */
static bool target_value(int k, const char *v, char *out, char *why, size_t whylen)
{
    const esf_indicator *ind = &esf_indicators[k];
    char seen[96] = "";
    esf_quote_bytes(seen, sizeof seen, v, strlen(v), 40);
    if (!*v) return snprintf(why, whylen, "target of %s is empty", ind->name), false;
    size_t ni = strspn(v, "0123456789"); /* integer digits */
    const char *mark = v + ni, *frac = *mark == '.' || *mark == ',' ? mark + 1 : mark;
    size_t nf = frac == mark ? 0 : strspn(frac, "0123456789");
    if (frac[nf] != '\0' || ni + nf == 0) {
        snprintf(why, whylen, "target of %s must be %s, not '%s'", ind->name,
                 ind->kind == IND_OI ? "a whole number of persons in digits" : "a percentage from 0 to 100",
                 seen);
        return false;
    }
    while (ni > 1 && *v == '0') v++, ni--; /* leading zeros */
    while (nf && frac[nf - 1] == '0') nf--; /* trailing zeros */
    if (ind->kind == IND_OI) {
        if (frac != mark) {
            if (ni && strlen(frac) == 3 && *v != '0') /* a thousands separator: 72.500 */
                snprintf(why, whylen, "target of %s is a whole number of persons: write %.*s%s, not '%s'",
                         ind->name, (int)ni, v, frac, seen);
            else
                snprintf(why, whylen, "target of %s is a whole number of persons in digits only, not '%s'",
                         ind->name, seen);
            return false;
        }
        if (ni > OI_MAX_DIGITS) {
            snprintf(why, whylen, "target of %s is too large (at most %d digits): '%s'", ind->name,
                     OI_MAX_DIGITS, seen);
            return false;
        }
    } else {
        if (nf > RI_MAX_DECIMALS) {
            snprintf(why, whylen, "target of %s has more than %d decimals: '%s'", ind->name,
                     RI_MAX_DECIMALS, seen);
            return false;
        }
        const bool zero_frac = nf == 0;
        if (ni == 0) v = "0", ni = 1; /* .5 */
        if (ni > 3 || (ni == 3 && (memcmp(v, "100", 3) > 0 || (memcmp(v, "100", 3) == 0 && !zero_frac)))) {
            snprintf(why, whylen, "target of %s is a percentage from 0 to 100, not '%s'", ind->name,
                     seen);
            return false;
        }
    }
    size_t o = 0;
    memcpy(out, v, ni), o = ni;
    if (nf) out[o++] = '.', memcpy(out + o, frac, nf), o += nf;
    out[o] = '\0';
    return true;
}

/* s without the spaces, tabs and double quotes around it (in place). */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '"') s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '"' || e[-1] == '\r' || e[-1] == '\n'))
        e--;
    *e = '\0';
    return s;
}

/* Whether v is a whole number written in groups of three digits apart by
 * sep (72,500 or 1.234.567); its digits into out. */
static bool thousands(const char *v, char sep, char *out, size_t cap)
{
    size_t n = 0, lead = strspn(v, "0123456789");
    if (lead == 0 || lead > 3 || *v == '0' || v[lead] != sep) return false;
    for (const char *p = v; *p; p++) {
        if (*p == sep) {
            if (strspn(p + 1, "0123456789") != 3) return false;
            continue;
        }
        if (n + 1 >= cap) return false;
        out[n++] = *p;
    }
    out[n] = '\0';
    return true;
}

/* One line (its comment cut off) into t; false with a reason in why. */
static bool target_line(esf_targets *t, char *line, bool first, unsigned *given_at, unsigned lineno,
                        char *why, size_t whylen)
{
    char *sep = strpbrk(line, ",;\t|");
    if (!sep) {
        char seen[96] = "";
        esf_quote_bytes(seen, sizeof seen, line, strlen(line), 40);
        return snprintf(why, whylen, "expected INDICATOR,VALUE, not '%s'", seen), false;
    }
    const char d = *sep;
    *sep = '\0';
    char *name = trim(line), *val = trim(sep + 1);
    if (strchr(val, d)) {
        const int k = esf_indicator_lookup(name);
        char digits[32];
        if (k >= 0 && esf_indicators[k].kind == IND_OI && thousands(val, d, digits, sizeof digits))
            return snprintf(why, whylen, "target of %s is a whole number of persons: write %s, not '%s' "
                                         "(the '%c' is the field delimiter)",
                            esf_indicators[k].name, digits, val, d), false;
        char seen[96] = "";
        esf_quote_bytes(seen, sizeof seen, val, strlen(val), 40);
        return snprintf(why, whylen, "expected two fields INDICATOR%cVALUE, found more: '%s' after '%s'",
                        d, seen, name), false;
    }
    if (first && strcasecmp(name, "indicator") == 0) return true; /* the header */
    const int k = esf_indicator_lookup(name);
    if (k < 0) {
        char seen[96] = "";
        esf_quote_bytes(seen, sizeof seen, name, strlen(name), 40);
        return snprintf(why, whylen, "unknown indicator '%s' (OI1-OI3, OI1_som, RI1-RI6, RI2_bekend, "
                                     "RI4_bekend, RI5_cbs2018, RI6_cbs2018)", seen), false;
    }
    if (given_at[k])
        return snprintf(why, whylen, "%s given twice (first on line %u)", esf_indicators[k].name,
                        given_at[k]), false;
    given_at[k] = lineno;
    return target_value(k, val, t->value[k], why, whylen);
}

esf_status esf_targets_load(const char *path, esf_targets *out, esf_err *err)
{
    FILE *f = fopen(path, "r");
    struct stat st;
    if (!f || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        const char *why = !f ? strerror(errno) : S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file";
        if (f) fclose(f);
        return esf_fail(err, ESF_ERR_INPUT, "--targets: %s: cannot read targets file: %s", path, why);
    }
    esf_targets tt, *t = &tt;
    memset(t, 0, sizeof *t);
    char *line = NULL;
    size_t cap = 0;
    unsigned lineno = 0, given_at[N_INDICATORS] = {0};
    bool first = true;
    esf_status rc = ESF_OK;
    char why[384];
    while (rc == ESF_OK && getline(&line, &cap, f) >= 0) {
        char *s = line;
        if (++lineno == 1 && memcmp(s, "\xef\xbb\xbf", 3) == 0) s += 3; /* a BOM */
        char *hash = strchr(s, '#');
        if (hash) *hash = '\0';
        s = trim(s);
        if (!*s) continue;
        if (!target_line(t, s, first, given_at, lineno, why, sizeof why))
            rc = esf_fail(err, ESF_ERR_USAGE, "--targets: %s:%u: %s", path, lineno, why);
        first = false;
    }
    if (rc == ESF_OK && ferror(f))
        rc = esf_fail(err, ESF_ERR_INPUT, "--targets: %s: cannot read targets file: %s", path,
                      strerror(errno));
    free(line);
    fclose(f);
    if (rc == ESF_OK) *out = tt;
    return rc;
}
