/* count.h - stage 4, the persons: what this folder offers the stages
 * above it.  The state one pass keeps per person, group and project
 * (agg.h, persons.h: esf_agg, filled row by row; a hash set, hashset.h),
 * and the tallies of every breakdown counted from it (tally.h).  order.h
 * stays inside. */
#ifndef ESF_COUNT_STAGE_H
#define ESF_COUNT_STAGE_H

#include "agg.h"
#include "hashset.h"
#include "persons.h"
#include "tally.h"

#endif
