#!/usr/bin/env bash
# End-to-end tests of the esfmon binary, as named cases in groups
# (tests/e2e/NN-GROUP.sh, run in order in one shell; helpers in lib.sh):
# golden output worked out by hand, invariance (dialect, order, split, gzip,
# stdin), exit statuses and messages, faults and limits, the output formats,
# the generator, a differential check against the independent reference
# implementation (tests/ref/esfmon_ref.py), and the edges of the input.
# Prints one line per case ("PASS group: name") and a summary
# "e2e: N passed, M failed".  E2E_ONLY=GROUP runs the groups up to it only;
# E2E_SKIP="GROUP ..." leaves those out (CI's TSan and zlib builds: the
# plain build runs every group).
set -u
GROUP=setup
source tests/e2e/lib.sh
for f in tests/e2e/[0-9]*.sh; do
    GROUP=$(basename "$f" .sh); GROUP=${GROUP#*-}
    case " ${E2E_SKIP:-} " in *" $GROUP "*) echo "-- $GROUP: skipped (E2E_SKIP)"; continue;; esac
    before=$((pass + fail)) t0=$SECONDS
    # shellcheck disable=SC1090
    source "$f"
    echo "-- $GROUP: $((pass + fail - before)) cases, $((SECONDS - t0)) s"
    [ "${E2E_ONLY:-}" = "$GROUP" ] && break
done
echo "e2e: $pass passed, $fail failed"
[ $fail -eq 0 ]
