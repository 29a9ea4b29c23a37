#!/usr/bin/env bash
# Runs every Criterion binary given as arguments, then the end-to-end tests,
# and ends with one summary line: "tests: N passed, M failed (...)".
set -u
BUILD=${BUILD:-build}
pass=0 fail=0 failed=()
for t in "$@"; do
    out=$("$t" --jobs 2 2>&1); rc=$?
    echo "$out" | grep -E '^\[(----|FAIL)\]' | head -20
    line=$(echo "$out" | grep 'Synthesis' | tail -1)
    p=$(echo "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p'); f=$(echo "$line" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
    c=$(echo "$line" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
    echo "$(basename "$t"): ${line:-no synthesis (exit $rc)}"
    pass=$((pass + ${p:-0})); f=$(( ${f:-1} + ${c:-0} ))
    [ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
    fail=$((fail + f)); [ "$f" -ne 0 ] && failed+=("$(basename "$t")")
done
e2e=$(ESFMON="$BUILD/esfmon" ESFGEN="$BUILD/esfgen" bash tests/e2e.sh 2>&1); rc=$?
echo "$e2e" | grep -E '^(FAIL|  )' 
echo "$e2e" | tail -1
p=$(echo "$e2e" | tail -1 | sed -n 's/e2e: \([0-9]*\) passed, \([0-9]*\) failed/\1/p')
f=$(echo "$e2e" | tail -1 | sed -n 's/e2e: \([0-9]*\) passed, \([0-9]*\) failed/\2/p')
pass=$((pass + ${p:-0})); f=${f:-1}; [ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
fail=$((fail + f)); [ "$f" -ne 0 ] && failed+=(e2e)
if [ $fail -eq 0 ]; then echo "tests: $pass passed, 0 failed"; exit 0; fi
echo "tests: $pass passed, $fail failed (${failed[*]})"; exit 1
