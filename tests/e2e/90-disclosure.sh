# disclosure: suppression (SPEC §6) that an output checker's interval attack
# cannot undo, checked by an audit independent of the engine
# (tests/ref/audit.py: the relations written again from SPEC §6, solved by
# SciPy's HiGHS instead of GLPK) on generated extracts with many small cells.
# Sourced by tests/e2e.sh (helpers in tests/e2e/lib.sh).
# Light (under the sanitizers, SANITIZED, and in CI's second build, with
# zlib, E2E_LIGHT): one audited run, no invariance and no mutations; they
# watch the engine's memory (test_suppress too) and the reading of gzip,
# which that run exercises.  Under ThreadSanitizer nothing: the engine runs
# on one thread, and the threads of the reading are watched elsewhere.
[ -n "${TSAN_OPTIONS:-}" ] && return 0
PYSCI=
for p in python3 /usr/bin/python3; do $p -c 'import scipy.optimize' 2>/dev/null && { PYSCI=$p; break; }; done
AUDIT="$PYSCI tests/ref/audit.py"
PROBE=$BUILD_DIR/tests/tools/dc_probe
mkdir -p "$T/dcA" "$T/dcB"
$ESFGEN --persons 3000 --seed 7 -o "$T/dcA" 2> /dev/null    # small: most cells below N
[ -z "$LIGHT" ] && $ESFGEN --persons 20000 --seed 3 -o "$T/dcB" 2> /dev/null # larger: fewer, scattered small cells
A=$T/dcA/extract_01.csv B=$T/dcB/extract_01.csv
$ESFMON -q "$A" > "$T/dcA/exact.csv"; [ -z "$LIGHT" ] && $ESFMON -q "$B" > "$T/dcB/exact.csv"
audit() { # name, exact, published, N, [log]
    local name=$1; shift
    if [ -z "$PYSCI" ]; then bad "$name" "no python3 with scipy (scripts/install-deps.sh installs python3-scipy)"; return; fi
    local out; out=$($AUDIT "$@" 2>&1)
    if [ $? -eq 0 ]; then ok "$name"; else bad "$name" "$out"; fi
}
ns="3 5 10" items="1 2 3 4 5 6 8"
[ -n "$LIGHT" ] && ns=5 items=
for n in $ns; do
    $ESFMON -q --suppress-below $n --suppression-log "$T/dcA/log$n.csv" "$A" > "$T/dcA/pub$n.csv"
    audit "interval audit, N = $n: every primary cell reaches N and spans N values; log, zeros, derived cells right" \
        "$T/dcA/exact.csv" "$T/dcA/pub$n.csv" $n "$T/dcA/log$n.csv"
done
if [ -z "$LIGHT" ]; then
$ESFMON -q "$D" > "$T/dcG.exact"; $ESFMON -q --suppress-below 2 "$D" > "$T/dcG.pub"
audit "interval audit, N = 2, 300 persons (the golden extract's dozen is refused: exit-status)" "$T/dcG.exact" "$T/dcG.pub" 2
$ESFMON -q --suppress-below 5 "$B" > "$T/dcB/pub5.csv"
audit "interval audit, N = 5, 20,000 persons" "$T/dcB/exact.csv" "$T/dcB/pub5.csv" 5
fi

# The same pattern whatever the shape of the input.
if [ -z "$LIGHT" ]; then
cp "$T/core.out" "$T/core.saved" 2>/dev/null; cp "$T/dcA/pub5.csv" "$T/core.out"
hdr=$(head -1 "$A")
{ echo "$hdr"; tail -n +2 "$A" | shuf --random-source=<(yes); } > "$T/dcA/shuf.csv"
same "suppression pattern: rows shuffled" $ESFMON -q --suppress-below 5 "$T/dcA/shuf.csv"
{ echo "$hdr"; tail -n +2 "$A" | sed -n '1~3p'; } > "$T/dcA/s1.csv"
{ echo "$hdr"; tail -n +2 "$A" | sed -n '2~3p'; } > "$T/dcA/s2.csv"
{ echo "$hdr"; tail -n +2 "$A" | sed -n '3~3p'; } > "$T/dcA/s3.csv"
same "suppression pattern: split in three files" $ESFMON -q --suppress-below 5 "$T/dcA"/s[123].csv
same "suppression pattern: one thread" $ESFMON -q -j 1 --suppress-below 5 "$A"
same "suppression pattern: five threads, small chunks" $ESFMON -q -j 5 --chunk-size 4096 --suppress-below 5 "$A"
gzip -c "$A" > "$T/dcA/a.gz"
same "suppression pattern: gzip" $ESFMON -q --suppress-below 5 "$T/dcA/a.gz"
$ESFMON -q --suppress-below 5 --format json "$A" > "$T/dcA/pub5.json"
check "suppression pattern: JSON suppresses exactly the cells CSV does" python3 - "$T/dcA/pub5.csv" "$T/dcA/pub5.json" <<'PY'
import csv, json, sys
x = {tuple(r[:5]) for r in list(csv.reader(open(sys.argv[1])))[1:] if r[5] == "x"}
j = json.load(open(sys.argv[2]))
y = {(t, g, d, c, m) for t, gs in j.items() for g, ds in gs.items() for d, cs in ds.items()
     for c, ms in cs.items() for m, v in ms.items() if v == "x"}
sys.exit(0 if x == y and x else 1)
PY
[ -f "$T/core.saved" ] && mv "$T/core.saved" "$T/core.out"
fi

# stderr states the counts, and they are the log's.
$ESFMON --suppress-below 5 --suppression-log "$T/dcA/l.csv" -o /dev/null "$A" 2> "$T/dcA/err"
p=$(grep -c ',primary$' "$T/dcA/l.csv"); s=$(grep -c ',secondary$' "$T/dcA/l.csv"); d=$(grep -c ',derived$' "$T/dcA/l.csv")
check "stderr: cells suppressed as primary, secondary, derived, as in the log" \
    has "$T/dcA/err" "disclosure control: $((p + s + d)) cells suppressed, $p primary, $s secondary, $d derived"
expect_exit "--suppression-log without --suppress-below: usage error" 1 "needs --suppress-below" \
    $ESFMON -q --suppression-log "$T/x.log" "$A"
expect_exit "--suppression-log naming an input: usage error, input kept" 1 "is the input" \
    $ESFMON -q --suppress-below 5 --suppression-log "$A" "$A"

# Every item of SPEC §6 is needed: without it the engine publishes a
# pattern the audit breaks.  Item 5 (projects) on an extract made for it:
# one small project beside a large one, so that the sum over the projects
# gives the small one away.
{ echo "rinpersoon,project,aanvrager,geslacht,start,eind,positie_start,positie_eind"
  for i in $(seq 1 43); do
      echo "$i,$([ $i -le 40 ] && echo P || echo Q),uwv,$([ $((i % 2)) = 0 ] && echo m || echo v),20150101,20150601,inactief,werkzaam"
  done; } > "$T/dcC.csv"
$ESFMON -q "$T/dcC.csv" > "$T/dcC.exact"
$ESFMON -q --suppress-below 5 "$T/dcC.csv" > "$T/dcC.pub"
audit "interval audit: one small project beside a large one" "$T/dcC.exact" "$T/dcC.pub" 5
$PROBE 5 0 "$A" > "$T/dcA/probe.csv"
check "dc_probe with every relation is esfmon" cmp -s "$T/dcA/probe.csv" "$T/dcA/pub5.csv"
for item in $items; do
    x=$A; ex=$T/dcA/exact.csv; n=10
    [ $item -eq 5 ] && { x=$T/dcC.csv; ex=$T/dcC.exact; n=5; }
    $PROBE $n $((1 << item)) "$x" > "$T/probe$item.csv"
    if [ -n "$PYSCI" ] && ! $AUDIT --first-leak "$ex" "$T/probe$item.csv" $n > "$T/probe$item.out" 2>&1 && grep -q ' lies in ' "$T/probe$item.out"
    then ok "relations of SPEC §6 item $item left out: the audit finds a leak"
    else bad "relations of SPEC §6 item $item left out: the audit finds a leak" "$(head -2 "$T/probe$item.out")"; fi
done
# Everything published follows from what is published (SPEC §6): under
# --round, procent and behaald from the rounded counts, an empty procent
# where the rounded noemer is 0; the reports and --help say what rounding
# is; the reports and the log name differencing.
$ESFMON -q --round 5 "$A" > "$T/dcA/r5.csv"
check "round: every indicator procent and behaald from the rounded counts (a rounded noemer of 0: empty)" python3 - "$T/dcA/r5.csv" <<'PY'
import csv, sys
from decimal import Decimal, ROUND_HALF_UP
cells = {tuple(r[:5]): r[5] for r in csv.reader(open(sys.argv[1])) if r[0] == "indicatoren"}
ok, n = True, 0
for (t, g, d, c, m), v in cells.items():
    if m != "procent" or (t, g, d, c, "noemer") not in cells:
        continue
    te, no = int(cells[(t, g, d, c, "teller")]), int(cells[(t, g, d, c, "noemer")])
    assert te % 5 == 0 and no % 5 == 0, (c, te, no)
    want = "" if no == 0 else str((Decimal(te) * 100 / Decimal(no)).quantize(Decimal("0.1"), ROUND_HALF_UP))
    target = Decimal(cells[(t, g, d, c, "streefwaarde")])
    beh = "" if no == 0 else ("1" if te * 100 >= target * no else "0")
    if v != want or cells[(t, g, d, c, "behaald")] != beh:
        print(c, te, no, v, want, cells[(t, g, d, c, "behaald")], beh); ok = False
    n += 1
sys.exit(0 if ok and n >= 8 else 1)
PY
check "round: without it, procent is the exact counts' (output unchanged)" bash -c "$ESFMON -q '$A' | grep -q '^indicatoren,' && ! cmp -s <($ESFMON -q '$A' | grep ',procent,') <(grep ',procent,' '$T/dcA/r5.csv')"
$ESFMON -q --round 5 -f text "$A" > "$T/dcA/r5.txt"
check "round: the report says rounding is presentation, not protection" has "$T/dcA/r5.txt" "Afronden is presentatie, geen geheimhouding" "uit de afgeronde aantallen"
check "round: --help says so" bash -c "$ESFMON --help | grep -q 'Presentation, not'"
$ESFMON -q --suppress-below 5 --suppression-log "$T/dcA/diff.log" -f text "$A" > "$T/dcA/s5.txt"
check "differencing: the report names it under --suppress-below" has "$T/dcA/s5.txt" "twee runs op overlappende gegevens .* zijn twee publicaties"
check "differencing: the suppression log's first line names it" bash -c "head -1 '$T/dcA/diff.log' | grep -q '^# Differencing: two runs on overlapping data' && sed -n 2p '$T/dcA/diff.log' | grep -q '^table,group,dimension,category,measure,reason$'"
check "differencing: not said without --suppress-below" lacks "$T/dcA/r5.txt" "overlappende gegevens"
