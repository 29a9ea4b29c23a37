/* generated.h - a finished run on an extract of build/esfgen, for the
 * tests that look at the tables inside (relations, schema). */
#ifndef ESF_TEST_GENERATED_H
#define ESF_TEST_GENERATED_H

#include "helpers.h"
#include "state.h"

#include <limits.h>
#include <libgen.h>
#include <unistd.h>

/* The finished run of esfgen --persons N --seed S (esfgen one directory
 * up from this binary) with options o (may be NULL); for esf_run_free. */
static __attribute__((unused)) esf_run *generated_run(int persons, int seed, const esf_options *o)
{
    char exe[PATH_MAX], cmd[PATH_MAX * 2 + 128], dir[] = "/tmp/esfmon-gen.XXXXXX";
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    cr_assert(n > 0);
    exe[n] = '\0';
    cr_assert(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "%s/esfgen --persons %d --seed %d -o %s 2>/dev/null", dirname(dirname(exe)),
             persons, seed, dir);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    char path[sizeof dir + 32];
    snprintf(path, sizeof path, "%s/extract_01.csv", dir);
    esf_options opts = {0};
    if (o) opts = *o;
    esf_run *run;
    cr_assert_eq(esf_run_new(&opts, &run), ESF_OK);
    cr_assert_eq(esf_run_add_path(run, path), ESF_OK, "%s", esf_run_error(run));
    cr_assert_eq(esf_run_finish(run), ESF_OK, "%s", esf_run_error(run));
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
    return run;
}

#endif
