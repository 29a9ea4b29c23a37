# differential: an independent implementation on generated extracts
# Sourced by tests/e2e.sh (helpers in tests/e2e/lib.sh), in order:
# files before it leave fixtures in $T.
for d in canonical messy; do
    rm -rf "$T/gen"; $ESFGEN --persons 20000 --seed 11 --files 3 --dialect $d -o "$T/gen" 2>/dev/null
    $ESFMON -q --max-rejects 100000 "$T/gen"/*.csv > "$T/gen.out"
    if $REF "$T/gen"/*.csv | cmp -s - "$T/gen.out"; then ok "differential: $d extract equals the reference"
    else bad "differential: $d extract equals the reference"; fi
    # SPEC §5: the attributed results partition the finished persons, and
    # the year and positie_start rows add up to the totaal row
    check "sums ($d): attributed project results add up to resultaten totaal; results by positie_start reconcile with the transitions" python3 tests/e2e/sums.py "$T/gen.out"
    # Whole-file properties on the generated data: gzip, concatenation, stdin.
    gzip -c "$T/gen/extract_01.csv" > "$T/gen1.gz"
    same_gen() {
        local name=$1; shift
        if "$@" 2>/dev/null | cmp -s - "$T/gen.out"; then ok "invariance ($d): $name"; else bad "invariance ($d): $name"; fi
    }
    same_gen "one file gzip'd, order changed" $ESFMON -q --max-rejects 100000 "$T/gen/extract_03.csv" "$T/gen1.gz" "$T/gen/extract_02.csv"
    same_gen "through stdin" sh -c "cat '$T/gen/extract_02.csv' | $ESFMON -q --max-rejects 100000 '$T/gen/extract_01.csv' - '$T/gen/extract_03.csv'"
    for j in "1" "2 --chunk-size 4096" "3 --chunk-size 1" "16 --chunk-size 1000"; do
        $ESFMON -q --max-rejects 100000 --rejects "$T/rej-j1.csv" -j 1 "$T/gen"/*.csv > /dev/null
        if $ESFMON -q --max-rejects 100000 --rejects "$T/rej-j.csv" -j $j "$T/gen"/*.csv | cmp -s - "$T/gen.out" &&
           cmp -s "$T/rej-j1.csv" "$T/rej-j.csv"
        then ok "invariance ($d): -j $j, rejects file too"; else bad "invariance ($d): -j $j, rejects file too"; fi
    done
done
for seed in 5 6; do
    python3 tests/ref/random_extract.py $seed 3000 > "$T/rand.csv"
    $ESFMON -q -j 1 --max-rejects 100000 --rejects "$T/rej-j1.csv" "$T/rand.csv" > "$T/rand.out"
    if $ESFMON -q -j 2 --chunk-size 1 --max-rejects 100000 --rejects "$T/rej-j.csv" "$T/rand.csv" | cmp -s - "$T/rand.out" &&
       cmp -s "$T/rej-j1.csv" "$T/rej-j.csv"
    then ok "invariance: random tie-rich extract $seed, -j 2 in 1-byte chunks"; else bad "invariance: random tie-rich extract $seed, -j 2 in 1-byte chunks"; fi
done
# Random extracts full of ties (same person, project and dates; every column
# random, some invalid), against the reference, and shuffled.
for seed in 1 2 3 4; do
    python3 tests/ref/random_extract.py $seed 3000 > "$T/rand.csv"
    $ESFMON -q --max-rejects 100000 "$T/rand.csv" > "$T/rand.out"
    { head -1 "$T/rand.csv"; tail -n +2 "$T/rand.csv" | shuf --random-source=<(yes $seed); } > "$T/rand-shuf.csv"
    if $REF "$T/rand.csv" | cmp -s - "$T/rand.out" && $ESFMON -q --max-rejects 100000 "$T/rand-shuf.csv" | cmp -s - "$T/rand.out"
    then ok "differential: random tie-rich extract $seed equals the reference, shuffled too"
    else bad "differential: random tie-rich extract $seed equals the reference, shuffled too"; fi
done
rm -rf "$T/gen"; $ESFGEN --persons 2000 --seed 3 --files 1 -o "$T/gen" 2>/dev/null
{ cat "$T/gen/extract_01.csv"; tail -n +2 "$T/gen/extract_01.csv"; } > "$T/twice.csv"
$ESFMON -q "$T/gen/extract_01.csv" > "$T/once.out"
$ESFMON -q "$T/twice.csv" > "$T/twice.out"
check "duplicate rows: persons count once" bash -c "diff <(grep -v -e ',trajecten,' -e invoer '$T/once.out') <(grep -v -e ',trajecten,' -e invoer '$T/twice.out') >/dev/null"
check "duplicate rows: trajecten twice" bash -c "diff <(awk -F, '\$5==\"trajecten\" {print \$2, 2*\$6}' '$T/once.out') <(awk -F, '\$5==\"trajecten\" {print \$2, \$6}' '$T/twice.out') >/dev/null && grep -q ',trajecten,' '$T/once.out'"
