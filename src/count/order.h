/* order.h - stage 4b: the orders of SPEC §3 (order.c). */
#ifndef ESF_ORDER_H
#define ESF_ORDER_H

#include "agg.h"

/* Orders of SPEC §3, negative when x wins over y: earliest start (first) or
 * latest eind (last), then the bytewise smaller project, then column by
 * column. */
int esf_first_cmp(const esf_agg *a, const esf_first *x, const esf_first *y);
int esf_traj_cmp_last(const esf_agg *a, const esf_traj *x, const esf_traj *y);

#endif
