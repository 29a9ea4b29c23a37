/* A program of someone else's, built against an installed esfmon through
 * pkg-config (scripts/check-install.sh): it writes the tables of its
 * arguments as CSV, as `esfmon -q` does. */
#include <esfmon.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (strcmp(esf_version(), ESF_VERSION) != 0) {
        fprintf(stderr, "header %s, library %s\n", ESF_VERSION, esf_version());
        return 1;
    }
    esf_options opts = {.threads = 2};
    esf_run *run;
    esf_status st = esf_run_new(&opts, &run);
    if (st == ESF_OK) st = esf_run_add_paths(run, (const char *const *)(argv + 1), (size_t)(argc - 1));
    if (st == ESF_OK) st = esf_run_finish(run);
    if (st == ESF_OK) st = esf_run_write(run, ESF_FORMAT_CSV, NULL, stdout);
    if (st != ESF_OK) fprintf(stderr, "use_esfmon: %s\n", esf_run_error(run));
    esf_run_free(run);
    return st == ESF_OK ? 0 : 2;
}
