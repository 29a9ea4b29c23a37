/* esfgen_stat.h - esfgen's statistical files: the rows of an extract kept
 * as text and written through ReadStat's writer as SPSS (.sav, .zsav),
 * Stata (.dta) or SAS (.sas7bdat) files, with the types, value labels,
 * date formats and missing values such files have (SPEC §2.8). */
#ifndef ESFGEN_STAT_H
#define ESFGEN_STAT_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { GEN_CSV, GEN_SAV, GEN_ZSAV, GEN_DTA, GEN_SAS } gen_format;

/* What a column holds, which chooses its variable's type in a file. */
typedef enum {
    ROLE_STRING,   /* a string variable                                    */
    ROLE_CODE,     /* numeric with value labels (SAS: a string)            */
    ROLE_DATE,     /* numeric under a date format                          */
    ROLE_DATETIME, /* numeric under a date-time format (at noon)           */
    ROLE_YMD,      /* numeric YYYYMMDD under a plain format                */
    ROLE_NUMBER    /* numeric                                              */
} gen_role;

typedef struct {
    const char *name;        /* the variable's name                   */
    gen_role role;
    const char *const *codes; /* ROLE_CODE: codes keyed 1, 2, ... (NULL-ended);
                                 other labels get keys from 101 on      */
} gen_column;

typedef struct gen_table gen_table;

gen_table *gen_table_new(const gen_column *cols, int ncol);
/* A row: ncol values (the empty string: missing). */
void gen_table_add(gen_table *t, const char *const *vals);
/* Writes the table to path; 0, or -1 with a message in err. */
int gen_table_write(gen_table *t, gen_format f, const char *path, char *err, size_t errlen);
void gen_table_free(gen_table *t);

#endif
