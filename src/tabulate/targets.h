/* targets.h - the programme indicators (SPEC §5: name, group, kind, target
 * of Tabel 1.1) and the targets file that overrides their targets (§2.6). */
#ifndef ESF_TARGETS_H
#define ESF_TARGETS_H

#include "common/common.h"

#define N_INDICATORS 14

typedef enum { IND_OI, IND_RI } esf_ind_kind; /* a number of persons, a percentage */

/* What an RI counts (SPEC §5), of the persons afgerond in its group: */
typedef enum {
    NUM_NONE,      /* OI: its waarde is deelnemers totaal of the group      */
    NUM_SOM,       /* OI1_som: deelnemers of gemeente plus those of vsopro
                      (a person in both counts twice, as the report's B4.1) */
    NUM_EIND,      /* werk_eind or verbeterd_eind                           */
    NUM_12M,       /* werk_12m or verbeterd_12m                             */
    NUM_JENV,      /* L.positie_eind = werkzaam or onderwijs_eind           */
    NUM_JENV_2018  /* L.positie_eind = werkzaam or (not L.onderwijs_start
                      and onderwijs_eind): the 2018 measurement             */
} esf_ind_num;

typedef enum {
    DEN_NONE,          /* OI                                                */
    DEN_AFGEROND,      /* afgerond                                          */
    DEN_AFGEROND_12M,  /* afgerond and not onbekend_12m (_bekend)           */
    DEN_DETENTIE,      /* afgerond with gedetineerde or tbs (RI5)           */
    DEN_JEUGD          /* afgerond with jji or cji (RI6)                    */
} esf_ind_den;

typedef struct {
    const char *name;
    int group;          /* G_ of common/schema.h */
    esf_ind_kind kind;
    esf_ind_num num;
    esf_ind_den den;
    const char *target; /* Tabel 1.1, canonical (see esf_targets) */
} esf_indicator;

extern const esf_indicator esf_indicators[N_INDICATORS];

/* Targets of a targets file, in the canonical form SPEC §5 writes them (no
 * leading zeros, '.' as the mark, no trailing zeros or mark); "" = the
 * default of Tabel 1.1. */
typedef struct {
    char value[N_INDICATORS][24];
} esf_targets;

/* Reads a targets file (SPEC §2.6) into *out (left as it was on failure):
 * a bad line is ESF_ERR_USAGE with file:line, a file that cannot be read
 * ESF_ERR_INPUT. */
esf_status esf_targets_load(const char *path, esf_targets *out, esf_err *err);

/* The indicator called name (case-insensitive), -1 if none. */
int esf_indicator_lookup(const char *name);

#endif
