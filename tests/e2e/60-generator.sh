# generator
# Sourced by tests/e2e.sh (helpers in tests/e2e/lib.sh), in order:
# files before it leave fixtures in $T.
rm -rf "$T/g1" "$T/g2" "$T/g3"
$ESFGEN --persons 3000 --seed 9 --files 2 --gzip --dialect messy -o "$T/g1" 2>/dev/null
$ESFGEN --persons 3000 --seed 9 --files 2 --gzip --dialect messy -o "$T/g2" 2>/dev/null
$ESFGEN --persons 3000 --seed 10 --files 2 --gzip --dialect messy -o "$T/g3" 2>/dev/null
check "esfgen: same seed, same bytes" cmp -s "$T/g1/extract_02.csv.gz" "$T/g2/extract_02.csv.gz"
check "esfgen: another seed, other bytes" bash -c "! cmp -s '$T/g1/extract_02.csv.gz' '$T/g3/extract_02.csv.gz'"
rm -rf "$T/g4"; $ESFGEN --persons 30000 --seed 9 --dialect messy -o "$T/g4" 2>/dev/null
check "esfgen messy: invalid rows of every reject kind" [ "$($ESFMON -q --max-rejects 100000 "$T/g4"/*.csv | grep -c '^invoer,invoer,afwijzing,[a-z_]*,n,[1-9]')" -eq 9 ]
# Streams (gzip, a pipe) come in blocks from the decoder's ring, each split
# into the threads' ranges: records cut by a block's end, and quoted line feeds across
# a range's start (a wrong guess, parsed again).
cat "$T/g4"/*.csv "$T/g4"/*.csv "$T/g4"/*.csv > "$T/g4x3.csv"; gzip -1 -c "$T/g4x3.csv" > "$T/g4x3.csv.gz"
$ESFMON -q --max-rejects 1000000 -j 1 --rejects "$T/s-rej1.csv" "$T/g4x3.csv" > "$T/s1.out"
for j in "2 --chunk-size 4096" "3 --chunk-size 1"; do
    for src in gz pipe; do
        if [ $src = gz ]; then in=("$T/g4x3.csv.gz"); else in=(-); fi
        if $ESFMON -q --max-rejects 1000000 -j $j --rejects "$T/s-rej.csv" "${in[@]}" < "$T/g4x3.csv" > "$T/s.out" &&
           cmp -s "$T/s.out" "$T/s1.out" && diff -q <(cut -d, -f2- "$T/s-rej.csv") <(cut -d, -f2- "$T/s-rej1.csv") >/dev/null
        then ok "invariance: stream ($src) parsed block by block, -j $j, rejects too"
        else bad "invariance: stream ($src) parsed block by block, -j $j, rejects too"; fi
    done
done
# A stream that breaks off: the rejects before the break are still reported
# (stderr, in order), and the rejects file is left as it was (SPEC §2.5).
head -c $(( $(stat -c %s "$T/g4x3.csv.gz") * 3 / 5 )) "$T/g4x3.csv.gz" > "$T/g4cut.gz"
echo before > "$T/cut-rej.csv"
$ESFMON -j 2 --chunk-size 4096 --max-rejects 1000000 --rejects "$T/cut-rej.csv" "$T/g4cut.gz" > /dev/null 2> "$T/cut.err"; rc=$?
if [ $rc -eq 2 ] && [ "$(cat "$T/cut-rej.csv")" = before ] && grep -q "truncated gzip" "$T/cut.err" &&
   cmp -s <(grep -o '^[^ ]*g4cut.gz:[0-9]*' "$T/cut.err" | cut -d: -f2) <(tail -n +2 "$T/s-rej1.csv" | head -10 | cut -d, -f2)
then ok "truncated gzip, -j 2: exit 2, the first rejects before the break shown in order, the rejects file left as it was"
else bad "truncated gzip, -j 2: exit 2, the first rejects before the break shown in order, the rejects file left as it was" "exit $rc"; fi
# Several gzip'd files: each is decoded ahead while the one before it is
# counted; the same tables and rejects as the plain files on one thread.
mkdir -p "$T/g4z"; for f in "$T/g4"/*.csv; do gzip -1 -c "$f" > "$T/g4z/${f##*/}"; done
$ESFMON -q --max-rejects 1000000 -j 1 --rejects "$T/m-rej1.csv" "$T/g4"/*.csv > "$T/m1.out"
for j in "2" "2 --chunk-size 4096"; do
    if $ESFMON -q --max-rejects 1000000 -j $j --rejects "$T/m-rej.csv" "$T/g4z"/*.csv > "$T/m.out" &&
       cmp -s "$T/m.out" "$T/m1.out" && cmp -s <(sed "s|/g4z/|/g4/|" "$T/m-rej.csv") "$T/m-rej1.csv"
    then ok "invariance: $(ls "$T/g4z" | wc -l) gzip'd files decoded ahead, -j $j, rejects too"
    else bad "invariance: gzip'd files decoded ahead, -j $j, rejects too"; fi
done
# A corrupt one after a good one (decoded ahead, while the good one is
# counted): exit 2, named; no tables and no rejects file (SPEC §2.5).
first=$(ls "$T/g4z"/*.csv | head -1)
rm -f "$T/c-rej.csv"
$ESFMON -q -j 2 --max-rejects 1000000 --rejects "$T/c-rej.csv" "$first" "$T/crc.gz" > "$T/x.out" 2> "$T/c-err.txt"; rc=$?
if [ $rc -eq 2 ] && grep -q "crc.gz: corrupt gzip" "$T/c-err.txt" && [ ! -e "$T/c-rej.csv" ] && [ ! -s "$T/x.out" ]
then ok "a corrupt gzip after a good one, -j 2: exit 2, named, no tables and no rejects file"
else bad "a corrupt gzip after a good one, -j 2" "exit $rc, $(head -2 "$T/c-err.txt")"; fi
expect_exit "a corrupt gzip before a good one, -j 2: exit 2, named" 2 "crc.gz: corrupt gzip" $ESFMON -j 2 "$T/crc.gz" "$first"
expect_exit "a missing file after a gzip'd one (opened ahead), -j 2: exit 2, named" 2 "missing.csv: cannot open" $ESFMON -j 2 "$first" "$T/missing.csv"
if python3 scripts/compare-report.py --build "$(dirname "$ESFMON")" > "$T/cmp.txt"; then ok "esfgen calibration: 212190 persons within 3 points of the report's Bijlage 4"
else bad "esfgen calibration: 212190 persons within 3 points of the report's Bijlage 4" "$(grep -E 'te groot|cells' "$T/cmp.txt" | head -3)"; fi
