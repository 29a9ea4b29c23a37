/* schema.c - the names and labels of the schema (schema.h), generated from
 * its lists. */
#include "schema.h"

#define NAME_(ID, name, ...) name,
#define LABEL_(ID, name, label, ...) label,
#define SHORT_(ID, name, label, short_label) short_label,
#define APPLICANT_NAME_(ID, name, label, one, col) name,
#define APPLICANT_ONE_(ID, name, label, one, col) one,
#define SKIP_(ID, name, label, of, col)
#define GROUP_NAME_(ID, name, label, x, col) name,
#define GROUP_LABEL_(ID, name, label, x, col) label,
#define GROUP_COL_(ID, name, label, x, col) col,
#define APPLICANT_OF_(ID, name, label, one, col) 1u << G_##ID,
#define DERIVED_OF_(ID, name, label, of, col) of,

const char *const esf_col_names[COL_COUNT] = {ESF_COLUMNS(NAME_)};
const char *const esf_group_names[G_COUNT] = {ESF_GROUPS(GROUP_NAME_, GROUP_NAME_)};
const char *const esf_group_labels[G_COUNT] = {ESF_GROUPS(GROUP_LABEL_, GROUP_LABEL_)};
const uint8_t esf_group_column[G_COUNT] = {ESF_GROUPS(GROUP_COL_, GROUP_COL_)};
const uint8_t esf_group_of[G_COUNT] = {ESF_GROUPS(APPLICANT_OF_, DERIVED_OF_)};
const char *const esf_aanvrager_names[AANV_COUNT] = {ESF_GROUPS(APPLICANT_NAME_, SKIP_)};
const char *const esf_aanvrager_labels[AANV_COUNT] = {ESF_GROUPS(APPLICANT_ONE_, SKIP_)};

const char *const esf_age_names[AGE_COUNT] = {ESF_AGES(NAME_)};
const char *const esf_age_labels[AGE_COUNT] = {ESF_AGES(LABEL_)};
const char *const esf_age_short[AGE_COUNT] = {ESF_AGES(SHORT_)};
const char *const esf_sex_names[SEX_COUNT] = {ESF_SEXES(NAME_)};
const char *const esf_sex_labels[SEX_COUNT] = {ESF_SEXES(LABEL_)};
const char *const esf_pos_names[POS_COUNT] = {ESF_POSITIONS(NAME_)};
const char *const esf_pos_labels[POS_COUNT] = {ESF_POSITIONS(LABEL_)};
const char *const esf_dg_names[DG_COUNT] = {ESF_TARGET_GROUPS(NAME_)};
const char *const esf_dg_labels[DG_COUNT] = {ESF_TARGET_GROUPS(LABEL_)};
const char *const esf_dg_short[DG_COUNT] = {ESF_TARGET_GROUPS(SHORT_)};
const char *const esf_state_names[S_COUNT] = {ESF_STATES(NAME_)};
const char *const esf_state_labels[S_COUNT] = {ESF_STATES(LABEL_)};
const char *const esf_res_names[R_PUBLISHED] = {ESF_RESULTS(NAME_)};
const char *const esf_row_names[ROW_COUNT] = {ESF_INVOER_ROWS(NAME_)};
const char *const esf_row_labels[ROW_COUNT] = {ESF_INVOER_ROWS(LABEL_)};
const char *const esf_table_names[TB_COUNT] = {ESF_TABLES(NAME_)};
#define ACROSS_(ID, name, across) across,
const uint8_t esf_table_across[TB_COUNT] = {ESF_TABLES(ACROSS_)};
const char *const esf_dim_names[DIM_COUNT] = {ESF_DIMS(NAME_)};
#define FLAGS_(ID, name, flags) flags,
const uint8_t esf_dim_flags[DIM_COUNT] = {ESF_DIMS(FLAGS_)};
const char *const esf_measure_names[MS_COUNT] = {ESF_MEASURES(NAME_)};

#define JDG_(ID, a, b) {DG_##a, DG_##b},
const uint8_t esf_jenv_dg[J_COUNT][2] = {ESF_JENV_POPULATIONS(JDG_)};

#define BOUND_(table, measure, btable, bound) {TB_##table, MS_##measure, TB_##btable, MS_##bound},
const esf_bound esf_bounds[] = {ESF_BOUNDS(BOUND_)};
const unsigned esf_nbounds = sizeof esf_bounds / sizeof *esf_bounds;
