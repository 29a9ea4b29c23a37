# golden: hand-worked expectations
# Sourced by tests/e2e.sh (helpers in tests/e2e/lib.sh), in order:
# files before it leave fixtures in $T.
$ESFMON -q --max-rejects 2 "$G" > "$T/core.out"; rc=$?
check "golden core: exit 0 with 2 rejects tolerated" [ $rc -eq 0 ]
nonzero < "$T/core.out" > "$T/got"
grep -v '^#' tests/golden/core.expected | LC_ALL=C sort > "$T/exp"
if diff "$T/exp" "$T/got" > "$T/diff"; then ok "golden core: every non-zero cell as worked out by hand"
else bad "golden core: every non-zero cell as worked out by hand" "$(head -5 "$T/diff")"; fi
# deelnemers: 6 groups x (23 categories + 5 start years 2014-2018); resultaten:
# 6 x (23 + 4 eind years 2015-2018) x 9 measures; overgangen 6 x (20 + 25);
# indicatoren 4 OI x 4 + 10 RI x 5 measures;
# projecten 7 x (8 measures + trajecten of the 4 applicants); invoer 4 + 9.
check "golden core: fixed shape (2060 rows incl. header)" [ "$(wc -l < "$T/core.out")" -eq $((1 + 6 * (23 + 5) + 6 * (23 + 4) * 9 + 270 + 66 + 7 * (8 + 4) + 13)) ]
check "golden core: rows sorted bytewise" bash -c "tail -n +2 '$T/core.out' | LC_ALL=C sort -c -t, -k1,1 -k2,2 -k3,3 -k4,4 -k5,5"
