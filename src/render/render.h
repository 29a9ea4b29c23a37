/* render.h - stage 6, the outputs: what this folder offers the run.
 * The published tables written in every format (write.h, output.h), the
 * report as text, Markdown and HTML (report.h, html.h, grid.h). */
#ifndef ESF_RENDER_STAGE_H
#define ESF_RENDER_STAGE_H

#include "write.h"
#include "output.h"
#include "report.h"
#include "html.h"
#include "grid.h"

#endif
