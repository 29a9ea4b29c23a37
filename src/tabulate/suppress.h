/* suppress.h - stage 6a: which cells are suppressed (SPEC §6): primary,
 * secondary by an interval audit over the relations of relations.c, derived.
 * Decided on the exact counts; rounding is applied afterwards (publish.c). */
#ifndef ESF_SUPPRESS_H
#define ESF_SUPPRESS_H

#include "tables.h"

typedef enum { SUP_NONE, SUP_PRIMARY, SUP_SECONDARY, SUP_DERIVED, SUP_REASONS } esf_sup_reason;
extern const char *const esf_sup_reason_names[SUP_REASONS]; /* "", primary, secondary, derived */

/* Sets reason[i] for every cell of t with suppression threshold n (> 0):
 * primary for a protected count 0 < c < n; then, for each primary cell in
 * turn, secondary cells until linear programming over the published counts
 * and the relations (every unknown >= 0) lets it take every value from 0 to
 * n: the smallest published count that bounds it (a nonzero reduced cost)
 * first; derived for procent and behaald of a suppressed indicator count.
 * omit: relations of family k (esf_rel_family) are left out when bit k is
 * set - for the test that every one is needed; 0 in the tool.  *solves (when
 * not NULL) gets the number of LPs solved. */
esf_status esf_suppress(const esf_tables *t, uint32_t n, unsigned omit, uint8_t *reason, size_t *solves,
                        esf_err *err);

#endif
