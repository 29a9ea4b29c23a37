/* input.h - stage 1-3, bytes to rows: what this folder offers the
 * stages above it.  An input read as blocks of bytes (reader.h: plain,
 * gzip, or a statistical file as CSV text, statfile.h), split into records
 * of cells (records.h), the usual line scanned straight into a row
 * (scan.h), cells parsed into the integers of a trajectory (fields.h,
 * rows.h).  decode.h and simd.h stay inside. */
#ifndef ESF_INPUT_STAGE_H
#define ESF_INPUT_STAGE_H

#include "reader.h"
#include "statfile.h"
#include "records.h"
#include "scan.h"
#include "fields.h"
#include "rows.h"

#endif
