#!/usr/bin/env bash
# make demo: a realistic extract of the size of the real programme (212,190
# persons, messy dialect, gzip'd, three files), esfmon on it, and the report.
set -euo pipefail
BUILD=${BUILD:-build}
D="$BUILD/demo"
rm -rf "$D"; mkdir -p "$D"
"$BUILD/esfgen" --persons 212190 --seed 2018 --files 3 --gzip --dialect messy -o "$D"
t0=$(date +%s%N)
set +e
"$BUILD/esfmon" --max-rejects 10000 --rejects "$D/rejects.csv" --round 10 --format text \
    -o "$D/report.txt" "$D"/extract_*.csv.gz
rc=$?
set -e
t1=$(date +%s%N)
"$BUILD/esfmon" -q --max-rejects 10000 -o "$D/tables.csv" "$D"/extract_*.csv.gz || true
"$BUILD/esfmon" -q --max-rejects 10000 --round 10 --format html -o "$D/report.html" "$D"/extract_*.csv.gz || true
# What leaves a secure environment: suppression below 10 with its log for the output checker.
sup=$("$BUILD/esfmon" --max-rejects 10000 --round 10 --suppress-below 10 --suppression-log "$D/suppressed.csv" \
      -o "$D/tables-protected.csv" "$D"/extract_*.csv.gz 2>&1 | grep 'disclosure control' || true)
cat "$D/report.txt"
ms=$(( (t1 - t0) / 1000000 ))
echo "esfmon read $(du -ch "$D"/extract_*.csv.gz | tail -1 | cut -f1) of gzip'd extracts in $((ms / 1000)).$(printf '%03d' $((ms % 1000))) s (exit status $rc)."
echo "Report: $D/report.txt   tables (csv): $D/tables.csv   rejected rows: $D/rejects.csv"
echo "Report with figures (open in a browser, prints on A4): $D/report.html"
echo "Protected tables (--round 10 --suppress-below 10): $D/tables-protected.csv, every x and why in $D/suppressed.csv"
echo "  (${sup#esfmon: })"
