#!/usr/bin/env bash
# make demo: a realistic extract of the size of the real programme (212,190
# persons, messy dialect, gzip'd, three files), esfmon on it, and the report.
set -euo pipefail
BUILD=${BUILD:-build}
D="$BUILD/demo"
rm -rf "$D"; mkdir -p "$D"
"$BUILD/esfgen" --persons 212190 --seed 2018 --files 3 --gzip --dialect messy -o "$D"
t0=$(date +%s%N)
# One pass writes what leaves a secure environment (SPEC §8): the report as
# text and HTML and the tables, rounded to 10 and suppressed below 10, the
# log of every suppressed cell for the output checker, the rejected rows, and
# the record of the run.
set +e
sup=$("$BUILD/esfmon" --max-rejects 10000 --rejects "$D/rejects.csv" --round 10 --suppress-below 10 \
      --suppression-log "$D/suppressed.csv" -o "$D/report.txt" -o "$D/report.html" \
      -o "$D/tables-protected.csv" --manifest "$D/run.json" "$D"/extract_*.csv.gz 2>&1)
rc=$?
set -e
t1=$(date +%s%N)
echo "$sup" | grep -v 'disclosure control' >&2 || true
# The exact tables, for the statistician inside the environment.
"$BUILD/esfmon" -q --max-rejects 10000 -o "$D/tables.csv" "$D"/extract_*.csv.gz || true
cat "$D/report.txt"
ms=$(( (t1 - t0) / 1000000 ))
echo "esfmon read $(du -ch "$D"/extract_*.csv.gz | tail -1 | cut -f1) of gzip'd extracts and wrote every output in one pass in $((ms / 1000)).$(printf '%03d' $((ms % 1000))) s (exit status $rc)."
echo "Report: $D/report.txt   with figures (open in a browser, prints on A4): $D/report.html"
echo "Protected tables (--round 10 --suppress-below 10): $D/tables-protected.csv, every x and why in $D/suppressed.csv"
echo "  ($(echo "$sup" | grep 'disclosure control' | sed 's/^esfmon: //'))"
echo "Rejected rows: $D/rejects.csv   record of the run (inputs, digests, options, outputs): $D/run.json"
echo "Exact tables (not for publication): $D/tables.csv"
