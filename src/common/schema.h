/* schema.h - the one place the tables of SPEC §5 are declared: the codes of
 * the input (§2.2, §2.3), the groups, the tables, their dimensions,
 * categories and measures, and the facts between them that disclosure
 * control relies on (§6).  Each list is an X-macro, as zstd and SQLite keep
 * their tables of facts: the enums, the names in the output and the labels
 * of the reports are generated from it, so a key out of sync does not
 * compile.  Adding a measure to a table is a line here and the code that
 * computes it (tables.c); its relations follow from the line. */
#ifndef ESF_SCHEMA_H
#define ESF_SCHEMA_H

#include <stdint.h>

/* The columns of an extract (SPEC §2.2), in its order: X(ID, name). */
#define ESF_COLUMNS(X)                                                                   \
    X(RINPERSOONS, "rinpersoons") X(RINPERSOON, "rinpersoon") X(PROJECT, "project")      \
    X(AANVRAGER, "aanvrager") X(DOELGROEP, "doelgroep") X(GESLACHT, "geslacht")          \
    X(GEBOORTEDATUM, "geboortedatum") X(START, "start") X(EIND, "eind")                  \
    X(EIND_PROJECT, "eind_project") X(POSITIE_START, "positie_start")                    \
    X(POSITIE_EIND, "positie_eind") X(POSITIE_12M, "positie_12m")                        \
    X(CONTRACT_START, "contract_start") X(CONTRACT_EIND, "contract_eind")                \
    X(CONTRACT_12M, "contract_12m") X(UREN_START, "uren_start") X(UREN_EIND, "uren_eind") \
    X(UREN_12M, "uren_12m") X(UURLOON_START, "uurloon_start")                            \
    X(UURLOON_EIND, "uurloon_eind") X(UURLOON_12M, "uurloon_12m") X(SRG_START, "srg_start") \
    X(SRG_EIND, "srg_eind") X(SRG_12M, "srg_12m") X(ONDERWIJS_START, "onderwijs_start")  \
    X(ONDERWIJS_EIND, "onderwijs_eind") X(ONDERWIJS_12M, "onderwijs_12m")

/* ---- the codes of the input (SPEC §2.2, §2.3), in code order ------------- */

/* The groups: the applicants (aanvrager, in code order: the tie-break order
 * of §3), then amr and totaal, made of the applicants in their mask.
 * APPLICANT(ID, name, label of the report's columns, label of one project's
 * applicant, column in the report); DERIVED(ID, name, label, applicants it
 * is the union of, column). */
#define ESF_GROUPS(APPLICANT, DERIVED)                                                   \
    APPLICANT(GEMEENTE, "gemeente", "Gemeenten", "Gemeente", 0)                          \
    APPLICANT(VSOPRO, "vsopro", "Vso/pro", "Vso/pro", 1)                                 \
    APPLICANT(UWV, "uwv", "UWV", "UWV", 3)                                               \
    APPLICANT(JENV, "jenv", "JenV", "JenV", 4)                                           \
    DERIVED(AMR, "amr", "AMR", 1u << G_GEMEENTE | 1u << G_VSOPRO, 2)                     \
    DERIVED(TOTAAL, "totaal", "Totaal", (1u << AANV_COUNT) - 1, 5)

/* Categories: X(ID, name, label, short label for the text report). */
#define ESF_AGES(X)                                                                      \
    X(JONGER_DAN_28, "jonger_dan_28", "Jonger dan 28 jaar", "< 28 jaar")                 \
    X(28_49, "28_49", "28-49 jaar", "28-49 jaar")                                        \
    X(50_PLUS, "50_plus", "50 jaar en ouder", "50 jaar e.o.")                            \
    X(ONBEKEND, "onbekend", "Onbekend", "Onbekend")
#define ESF_SEXES(X)                                                                     \
    X(MAN, "man", "Man", "Man") X(VROUW, "vrouw", "Vrouw", "Vrouw")                      \
    X(ONBEKEND, "onbekend", "Onbekend", "Onbekend")
#define ESF_POSITIONS(X)                                                                 \
    X(WERKZAAM, "werkzaam", "Werkzaam", "Werkzaam")                                      \
    X(NIET_WERKZAAM, "niet_werkzaam", "Niet-werkzaam", "Niet-werkzaam")                  \
    X(INACTIEF, "inactief", "Inactief", "Inactief")                                      \
    X(ONBEKEND, "onbekend", "Onbekend", "Onbekend")
#define ESF_TARGET_GROUPS(X)                                                             \
    X(UITKERING_6M, "uitkering_6m", "Uitkering min. 6 maanden", "Uitkering 6m+")         \
    X(ARBEIDSBELEMMERD, "arbeidsbelemmerd", "Arbeidsbelemmerden", "Arb.belemmerd")       \
    X(NIET_UITKERINGSONTVANGER, "niet_uitkeringsontvanger", "Niet-uitkeringsontvangers", \
      "Niet-uitk.ontv.")                                                                 \
    X(STATUSHOUDER, "statushouder", "Statushouders", "Statushouders")                    \
    X(JONGERE, "jongere", "Jongeren", "Jongeren")                                        \
    X(OUDERE, "oudere", "Ouderen", "Ouderen")                                            \
    X(GEDETINEERDE, "gedetineerde", "(Ex-)gedetineerden", "Gedetineerden")               \
    X(TBS, "tbs", "TBS'ers", "TBS'ers")                                                  \
    X(JJI, "jji", "Jongeren justitiële jeugdinrichting", "Jongeren JJI")                 \
    X(CJI, "cji", "Jongeren civielrechtelijke jeugdinrichting", "Jongeren CJI")          \
    X(UWV_BREED, "uwv_breed", "Brede UWV-doelgroep", "UWV breed")
/* The states of overgangen: verbeterd, then the positions. */
#define ESF_STATES(X) X(VERBETERD, "verbeterd", "Verbeterd", "Verbeterd") ESF_POSITIONS(X)

/* The measures of resultaten (SPEC §5), in their order: X(ID, name);
 * niet_waarneembaar_12m only with a reference date (--peildatum). */
#define ESF_RESULTS(X)                                                                   \
    X(AFGEROND, "afgerond") X(WERK_EIND, "werk_eind") X(WERK_12M, "werk_12m")            \
    X(VERBETERD_EIND, "verbeterd_eind") X(VERBETERD_12M, "verbeterd_12m")                \
    X(ONBEKEND_EIND, "onbekend_eind") X(ONBEKEND_12M, "onbekend_12m")                    \
    X(ONDERWIJS_EIND, "onderwijs_eind") X(ONDERWIJS_12M, "onderwijs_12m")                \
    X(NIET_WAARNEEMBAAR_12M, "niet_waarneembaar_12m")

/* The rows of invoer: X(ID, name, label). */
#define ESF_INVOER_ROWS(X)                                                               \
    X(GELEZEN, "gelezen", "Rijen gelezen") X(GEACCEPTEERD, "geaccepteerd", "Geaccepteerd") \
    X(AFGEWEZEN, "afgewezen", "Afgewezen") X(GEFILTERD, "gefilterd", "Gefilterd (periode)")

/* ---- the tables ----------------------------------------------------------- */

/* X(ID, name, across): across says which of its cells the relations
 * between groups hold for (SPEC §6 item 6): ACROSS_ALL every cell,
 * ACROSS_LAST those of totaal and of the DIM_BY_LAST dimensions (its
 * counts are of L), ACROSS_NONE none. */
#define ESF_TABLES(X)                                                                    \
    X(DEELNEMERS, "deelnemers", ACROSS_ALL) X(RESULTATEN, "resultaten", ACROSS_LAST)     \
    X(OVERGANGEN, "overgangen", ACROSS_ALL) X(INDICATOREN, "indicatoren", ACROSS_NONE)  \
    X(PROJECTEN, "projecten", ACROSS_NONE) X(INVOER, "invoer", ACROSS_NONE)

/* X(ID, name, flags): DIM_SUMS, its categories add up to totaal (SPEC §6
 * item 1; a target group's do not: a person can be in several);
 * DIM_BY_LAST, in resultaten a person's category is that of L (in
 * deelnemers, where there is one, that of the first trajectory: SPEC §5),
 * so a cell of one does not bound the same category's of the other, and in
 * resultaten a group made of others is bounded by their sum (L of amr is L
 * of gemeente or of vsopro; first(p,amr)'s category, leeftijd or geslacht,
 * can belong to a group the person did not finish in); DIM_UNION, a person's
 * categories are those of all the group's trajectories (a target group of
 * amr can come from the applicant in which the person did not finish: in
 * resultaten a group made of others is not bounded by their sum there), and
 * a category's cell is at most the totaal cell (SPEC §6 item 8). */
#define ESF_DIMS(X)                                                                      \
    X(TOTAAL, "totaal", 0) X(LEEFTIJD, "leeftijd", DIM_SUMS)                              \
    X(GESLACHT, "geslacht", DIM_SUMS) X(POSITIE_START, "positie_start", DIM_SUMS | DIM_BY_LAST) \
    X(DOELGROEP, "doelgroep", DIM_UNION) X(STARTJAAR, "startjaar", DIM_SUMS)              \
    X(EINDJAAR, "eindjaar", DIM_SUMS | DIM_BY_LAST) X(START_EIND, "start_eind", 0)        \
    X(EIND_12M, "eind_12m", 0) X(INDICATOR, "indicator", 0) X(AANVRAGER, "aanvrager", 0) \
    X(RIJEN, "rijen", 0) X(AFWIJZING, "afwijzing", 0)

/* Every measure: X(ID, name).  n is the one measure of deelnemers,
 * overgangen and invoer. */
#define ESF_MEASURES(X)                                                                  \
    X(N, "n") ESF_RESULTS(X) X(WAARDE, "waarde") X(TELLER, "teller") X(NOEMER, "noemer")  \
    X(PROCENT, "procent") X(BEHAALD, "behaald") X(STREEFWAARDE, "streefwaarde")           \
    X(DEELNEMERS, "deelnemers") X(TRAJECTEN, "trajecten") X(TOEGEREKEND, "toegerekend")

/* What a measure of one cell is at most (SPEC §6 items 2 and 5), in the
 * order the relations are written: X(table, measure, table of the bound,
 * its measure).  The bound is the cell of the same group, dimension and
 * category; between tables not in a DIM_BY_LAST dimension.  Every count
 * of resultaten and projecten is on the left or the right here
 * (tests/test_tables.c checks it on built tables). */
#define ESF_BOUNDS(X)                                                                    \
    X(RESULTATEN, WERK_EIND, RESULTATEN, AFGEROND)                                       \
    X(RESULTATEN, WERK_12M, RESULTATEN, AFGEROND)                                        \
    X(RESULTATEN, VERBETERD_EIND, RESULTATEN, AFGEROND)                                  \
    X(RESULTATEN, VERBETERD_12M, RESULTATEN, AFGEROND)                                   \
    X(RESULTATEN, ONBEKEND_EIND, RESULTATEN, AFGEROND)                                   \
    X(RESULTATEN, ONBEKEND_12M, RESULTATEN, AFGEROND)                                    \
    X(RESULTATEN, ONDERWIJS_EIND, RESULTATEN, AFGEROND)                                  \
    X(RESULTATEN, ONDERWIJS_12M, RESULTATEN, AFGEROND)                                   \
    X(RESULTATEN, NIET_WAARNEEMBAAR_12M, RESULTATEN, AFGEROND)                           \
    X(RESULTATEN, AFGEROND, DEELNEMERS, N)                                               \
    X(PROJECTEN, AFGEROND, PROJECTEN, DEELNEMERS)                                        \
    X(PROJECTEN, DEELNEMERS, PROJECTEN, TRAJECTEN)                                       \
    X(PROJECTEN, TOEGEREKEND, PROJECTEN, AFGEROND)                                       \
    X(PROJECTEN, WERK_EIND, PROJECTEN, TOEGEREKEND)                                      \
    X(PROJECTEN, WERK_12M, PROJECTEN, TOEGEREKEND)                                       \
    X(PROJECTEN, VERBETERD_EIND, PROJECTEN, TOEGEREKEND)                                 \
    X(PROJECTEN, VERBETERD_12M, PROJECTEN, TOEGEREKEND)

/* The person counts of the dimension totaal (and of a DIM_UNION one) that a
 * group made of others (amr, totaal) holds at least as many of as each of
 * them: a person of a group is a person of every group made of it, with
 * at least its target groups (SPEC §6 item 6).  X(table, measure).  (In a
 * category of first's or L's it does not hold: a person's first or last
 * trajectory can differ between the groups.) */
#define ESF_GROWING(X) X(DEELNEMERS, N) X(RESULTATEN, AFGEROND)

/* The populations of RI5 and RI6 (and their _cbs2018 variants): the
 * persons afgerond in jenv with either of two target groups.  X(ID, target
 * group, target group). */
#define ESF_JENV_POPULATIONS(X) X(RI5, GEDETINEERDE, TBS) X(RI6, JJI, CJI)

/* ---- the enums ------------------------------------------------------------ */

#define ESF_ENUM_APPLICANT_(ID, name, label, one, col) AANV_##ID,
#define ESF_ENUM_NOTHING_(ID, name, label, of, col)
#define ESF_ENUM_GROUP_(ID, ...) G_##ID,
enum { ESF_GROUPS(ESF_ENUM_APPLICANT_, ESF_ENUM_NOTHING_) AANV_COUNT };
enum { ESF_GROUPS(ESF_ENUM_GROUP_, ESF_ENUM_GROUP_) G_COUNT };
#define ESF_ENUM_(P, ID) P##_##ID,
#define ESF_AGE_(ID, ...) ESF_ENUM_(AGE, ID)
#define ESF_SEX_(ID, ...) ESF_ENUM_(SEX, ID)
#define ESF_POS_(ID, ...) ESF_ENUM_(POS, ID)
#define ESF_DG_(ID, ...) ESF_ENUM_(DG, ID)
#define ESF_S_(ID, ...) ESF_ENUM_(S, ID)
#define ESF_R_(ID, ...) ESF_ENUM_(R, ID)
#define ESF_ROW_(ID, ...) ESF_ENUM_(ROW, ID)
#define ESF_TB_(ID, ...) ESF_ENUM_(TB, ID)
#define ESF_DIM_(ID, ...) ESF_ENUM_(DIM, ID)
#define ESF_MS_(ID, ...) ESF_ENUM_(MS, ID)
#define ESF_COL_(ID, ...) ESF_ENUM_(COL, ID)
enum { ESF_COLUMNS(ESF_COL_) COL_COUNT };
#define ESF_J_(ID, a, b) J_##ID,
enum { ESF_JENV_POPULATIONS(ESF_J_) J_COUNT };
enum { ESF_AGES(ESF_AGE_) AGE_COUNT };
enum { ESF_SEXES(ESF_SEX_) SEX_COUNT };
enum { ESF_POSITIONS(ESF_POS_) POS_COUNT };
enum { ESF_TARGET_GROUPS(ESF_DG_) DG_COUNT };
enum { ESF_STATES(ESF_S_) S_COUNT };
/* the published results; tally.h counts two more for the indicators */
enum { ESF_RESULTS(ESF_R_) R_PUBLISHED };
enum { ESF_INVOER_ROWS(ESF_ROW_) ROW_COUNT };
typedef enum { ESF_TABLES(ESF_TB_) TB_COUNT } esf_table;
typedef enum { ESF_DIMS(ESF_DIM_) DIM_COUNT } esf_dim;
typedef enum { ESF_MEASURES(ESF_MS_) MS_COUNT } esf_measure;
enum { ACROSS_NONE, ACROSS_LAST, ACROSS_ALL };
enum { DIM_SUMS = 1, DIM_BY_LAST = 2, DIM_UNION = 4 };

#define ESF_N_GROUPS G_COUNT
#define ESF_N_STATES S_COUNT

_Static_assert(S_WERKZAAM == 1 + POS_WERKZAAM && S_ONBEKEND == 1 + POS_ONBEKEND,
               "a state past verbeterd is the position of the same name");
_Static_assert(MS_AFGEROND == 1 && MS_NIET_WAARNEEMBAAR_12M == MS_AFGEROND + R_NIET_WAARNEEMBAAR_12M,
               "the results are measures in their order: esf_result_measure");

/* The measure of result r. */
static inline esf_measure esf_result_measure(int r) { return (esf_measure)(MS_AFGEROND + r); }

/* Names as written in the output, labels as the reports write them. */
extern const char *const esf_col_names[COL_COUNT];
extern const char *const esf_group_names[G_COUNT], *const esf_group_labels[G_COUNT];
extern const uint8_t esf_group_column[G_COUNT]; /* its column in the reports */
extern const uint8_t esf_group_of[G_COUNT];     /* the applicants it is made of (a mask) */
extern const char *const esf_aanvrager_names[AANV_COUNT], *const esf_aanvrager_labels[AANV_COUNT];
extern const char *const esf_age_names[AGE_COUNT], *const esf_age_labels[AGE_COUNT],
    *const esf_age_short[AGE_COUNT];
extern const char *const esf_sex_names[SEX_COUNT], *const esf_sex_labels[SEX_COUNT];
extern const char *const esf_pos_names[POS_COUNT], *const esf_pos_labels[POS_COUNT];
extern const char *const esf_dg_names[DG_COUNT], *const esf_dg_labels[DG_COUNT],
    *const esf_dg_short[DG_COUNT];
extern const char *const esf_state_names[S_COUNT], *const esf_state_labels[S_COUNT];
extern const char *const esf_res_names[R_PUBLISHED];
extern const char *const esf_row_names[ROW_COUNT], *const esf_row_labels[ROW_COUNT];
extern const char *const esf_table_names[TB_COUNT];
extern const uint8_t esf_table_across[TB_COUNT];
extern const char *const esf_dim_names[DIM_COUNT];
extern const uint8_t esf_dim_flags[DIM_COUNT];
extern const char *const esf_measure_names[MS_COUNT];

/* One bound of ESF_BOUNDS: measure of table <= bound of bound_table. */
typedef struct {
    uint8_t table, measure, bound_table, bound;
} esf_bound;
extern const uint8_t esf_jenv_dg[J_COUNT][2]; /* the two target groups (DG_) */
extern const esf_bound esf_bounds[];
extern const unsigned esf_nbounds;

/* Whether ESF_GROWING lists table's measure. */
static inline int esf_growing(int table, int measure)
{
#define ESF_GROWING_(tb, ms) if (table == TB_##tb && measure == MS_##ms) return 1;
    ESF_GROWING(ESF_GROWING_)
#undef ESF_GROWING_
    return 0;
}

#endif
