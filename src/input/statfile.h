/* statfile.h - stage 1b: a statistical package's data file (SPEC §2.8:
 * SPSS .sav, .zsav and .por, Stata .dta, SAS .sas7bdat), read through
 * ReadStat and written out as CSV text in memory: a header line of its
 * variable names, then one line per case, with ',' between fields and
 * quotes where RFC 4180 needs them.  The rest of the pipeline reads that
 * text as any plain input, so a statistical file counts exactly as its CSV
 * export would; only the messages speak of cases (esf_stat_case).
 *
 * How a value is written (SPEC §2.8): a string as it is, trailing spaces
 * cut; a system- or user-missing value empty; a numeric value under a date
 * format as YYYY-MM-DD; one with a value label that is a code of SPEC §2.2
 * as that label; any other number in plain decimal form (3, 32.5). */
#ifndef ESF_STATFILE_H
#define ESF_STATFILE_H

#include "common/common.h"

typedef enum {
    ESF_STAT_NONE,
    ESF_STAT_SAV,
    ESF_STAT_ZSAV,
    ESF_STAT_POR,
    ESF_STAT_DTA,
    ESF_STAT_SAS7BDAT
} esf_stat_kind;

/* Which statistical file the first n bytes at p begin, by their magic
 * bytes (a portable file's "SPSSPORT" comes after 456 or more bytes). */
esf_stat_kind esf_stat_magic(const unsigned char *p, size_t n);
/* "sav", "zsav", "por", "dta", "sas7bdat" (the manifest's format), and
 * what it is in words ("an SPSS data file (.sav)"). */
const char *esf_stat_format(esf_stat_kind k);
const char *esf_stat_what(esf_stat_kind k);
/* Whether this build reads them (it was built with ReadStat). */
bool esf_stat_available(void);

/* A file's CSV text and where its cases begin. */
typedef struct esf_stat {
    char *text;             /* malloc'd, or in map                        */
    size_t len, cap;
    struct { uint64_t line, ncase; } *shift; /* from line on, cases from ncase */
    size_t nshift, shift_cap;
    void *map;              /* the text handed back by a child process   */
    size_t map_len;
} esf_stat;

/* Converts the file [raw, raw + len) of kind k into CSV text (*out, freed
 * by esf_stat_free).  A file ReadStat cannot read to its end, or one that
 * holds fewer cases than its header says, is ESF_ERR_INPUT naming the file
 * and what ReadStat reported.  esf_stat_read (statread.c) does it in this
 * process; esf_stat_convert (statproc.c), given a helper program (esf_options.stat_helper), in a
 * process of its own started from that program (a fresh process: no lock
 * of this one's threads is inherited, as a fork's child would), so that a
 * file that crashes ReadStat is an input error too; fd is the file's
 * descriptor when it has one (else -1: its bytes are handed over in a
 * memory file). */
esf_status esf_stat_read(const unsigned char *raw, size_t len, esf_stat_kind k, const char *name,
                         esf_stat **out, esf_err *err);
esf_status esf_stat_convert(const unsigned char *raw, size_t len, int fd, esf_stat_kind k, const char *name,
                            const char *helper, esf_stat **out, esf_err *err);
/* The converting process's side: the file on descriptor 3, the result to
 * the memory file on 4 (esf_stat_convert reads it back); 0 when the result
 * is written (the conversion's own error is in it). */
int esf_stat_child(int in, int out, esf_stat_kind k, const char *name);
const char *esf_stat_text(const esf_stat *s, size_t *len);
/* The case a line of the text begins (line 1, the header: 0); a string
 * that holds line feeds makes its case span lines. */
uint64_t esf_stat_case(const esf_stat *s, uint64_t line);
void esf_stat_free(esf_stat *s);

#endif
