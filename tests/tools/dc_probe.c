/* dc_probe - esfmon's disclosure control with relations left out, for the
 * test that every item of SPEC §6 is needed (tests/e2e/90-disclosure.sh):
 *     dc_probe N OMIT FILE...
 * writes the CSV tables with --suppress-below N, the relations of the items
 * in the bit mask OMIT (bit k: item k) left out of the engine. */
#include "output.h"
#include "state.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc < 4) {
        fputs("usage: dc_probe N OMIT FILE...\n", stderr);
        return 2;
    }
    esf_options opts = {0};
    esf_run *run = NULL;
    esf_status st = esf_run_new(&opts, &run);
    if (st == ESF_OK) st = esf_run_add_paths(run, (const char *const *)argv + 3, (size_t)(argc - 3));
    if (st == ESF_OK) st = esf_run_finish(run);
    if (st == ESF_OK) st = esf_relations_build(run->tables);
    esf_pub p = {.t = run ? run->tables : NULL, .dc = {.suppress_below = (uint32_t)atoi(argv[1])}};
    if (st == ESF_OK && !(p.sup = calloc(p.t->n, 1))) st = ESF_ERR_NOMEM;
    if (st == ESF_OK) st = esf_suppress(p.t, p.dc.suppress_below, (unsigned)strtoul(argv[2], NULL, 0), p.sup, NULL, &run->err);
    if (st != ESF_OK) {
        fprintf(stderr, "dc_probe: %s\n", esf_run_error(run));
        esf_run_free(run);
        return 1;
    }
    esf_output_csv(&p, stdout);
    esf_pub_free(&p);
    esf_run_free(run);
    return 0;
}
