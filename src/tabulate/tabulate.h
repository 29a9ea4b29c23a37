/* tabulate.h - stage 5, the tables: what this folder offers the
 * stages above it.  The cells of SPEC §5 built from the tallies (tables.h),
 * the targets of Tabel 1.1 (targets.h), disclosure control over the
 * relations of SPEC §6 (suppress.h), and the tables as published under a
 * setting (publish.h). */
#ifndef ESF_TABULATE_STAGE_H
#define ESF_TABULATE_STAGE_H

#include "tables.h"
#include "targets.h"
#include "suppress.h"
#include "publish.h"

#endif
