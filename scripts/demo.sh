#!/usr/bin/env bash
# make demo: a realistic extract of the size of the real programme (212,190
# persons, messy dialect, gzip'd, three files), esfmon on it, and the report.
set -euo pipefail
BUILD=${BUILD:-build}
D="$BUILD/demo"
rm -rf "$D"; mkdir -p "$D"
"$BUILD/esfgen" --persons 212190 --seed 2018 --files 3 --gzip --dialect messy -o "$D"
ls -l "$D"
t0=$(date +%s.%N)
set +e
"$BUILD/esfmon" --max-rejects 10000 --rejects "$D/rejects.csv" --round 10 -o "$D/tables.csv" "$D"/extract_*.csv.gz
rc=$?
set -e
t1=$(date +%s.%N)
printf 'esfmon took %.2f s (exit status %d)\n\n' "$(echo "$t1 - $t0" | bc 2>/dev/null || python3 -c "print($t1-$t0)")" "$rc"
echo "Unique participants (deelnemers, rounded to 10), per group:"
awk -F, '$1=="deelnemers" && $3=="totaal" {printf "  %-10s %8s\n", $2, $6}' "$D/tables.csv"
echo
echo "Indicators (Tabel 1.1):"
awk -F, '$1=="indicatoren" { v[$4","$5]=$6; g[$4]=$2; if (!($4 in seen)) { seen[$4]=1; order[n++]=$4 } }
    END { printf "  %-12s %-9s %9s %9s %8s %11s %8s\n", "indicator", "group", "waarde", "noemer", "procent", "streefwaarde", "behaald";
          for (i = 0; i < n; i++) { k = order[i]; w = (k ~ /^OI/) ? v[k",waarde"] : v[k",teller"];
            printf "  %-12s %-9s %9s %9s %8s %11s %8s\n", k, g[k], w, v[k",noemer"], v[k",procent"], v[k",streefwaarde"], v[k",behaald"] } }' "$D/tables.csv"
echo
echo "Input:"
awk -F, '$1=="invoer" && $6!="0" {printf "  %-10s %-18s %8s\n", $3, $4, $6}' "$D/tables.csv"
echo
echo "All tables: $D/tables.csv   rejected rows: $D/rejects.csv"
