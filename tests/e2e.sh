#!/usr/bin/env bash
# End-to-end tests of the esfmon binary: golden output worked out by hand,
# invariance (dialect, order, split, gzip, stdin), exit statuses and messages,
# and a differential check against the independent reference implementation
# (tests/ref/esfmon_ref.py) on generated messy extracts.
# Prints one line per test and a summary "e2e: N passed, M failed".
set -u
ESFMON=${ESFMON:-build/esfmon}
BUILD_DIR=$(dirname "$ESFMON")
ESFGEN=${ESFGEN:-build/esfgen}
REF="python3 tests/ref/esfmon_ref.py"
T=$(mktemp -d "${TMPDIR:-/tmp}/esfmon-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok()   { pass=$((pass + 1)); echo "PASS $1"; }
bad()  { fail=$((fail + 1)); echo "FAIL $1"; [ $# -gt 1 ] && echo "  $2"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }

G=tests/golden/core.csv
nonzero() { awk -F, 'NR>1 && $6!="0" && $6!="" && $5!="streefwaarde"' | LC_ALL=C sort; }

# ---- golden: hand-worked expectations ---------------------------------------
$ESFMON -q --max-rejects 2 "$G" > "$T/core.out"; rc=$?
check "golden core: exit 0 with 2 rejects tolerated" [ $rc -eq 0 ]
nonzero < "$T/core.out" > "$T/got"
grep -v '^#' tests/golden/core.expected | LC_ALL=C sort > "$T/exp"
if diff "$T/exp" "$T/got" > "$T/diff"; then ok "golden core: every non-zero cell as worked out by hand"
else bad "golden core: every non-zero cell as worked out by hand" "$(head -5 "$T/diff")"; fi
check "golden core: fixed shape (1531 rows incl. header)" [ "$(wc -l < "$T/core.out")" -eq $((1 + 138 + 1026 + 270 + 62 + 7 * 3 + 13)) ]
check "golden core: rows sorted bytewise" bash -c "tail -n +2 '$T/core.out' | LC_ALL=C sort -c -t, -k1,1 -k2,2 -k3,3 -k4,4 -k5,5"

# ---- invariance: the same extract in other shapes gives the same bytes ------
same() { # name, command producing output
    local name=$1; shift
    if "$@" > "$T/inv.out" 2>/dev/null && cmp -s "$T/core.out" "$T/inv.out"; then ok "invariance: $name"
    else bad "invariance: $name" "$(diff "$T/core.out" "$T/inv.out" | head -4)"; fi
}
hdr=$(head -1 "$G"); body() { tail -n +2 "$G"; }
{ echo "$hdr"; body | tac; } > "$T/rev.csv"
same "rows reversed" $ESFMON -q --max-rejects 2 "$T/rev.csv"
{ echo "$hdr"; body | shuf --random-source=<(yes); } > "$T/shuf.csv"
same "rows shuffled" $ESFMON -q --max-rejects 2 "$T/shuf.csv"
{ echo "$hdr"; body | head -5; } > "$T/a.csv"; { echo "$hdr"; body | tail -n +6; } > "$T/b.csv"
same "split in two files" $ESFMON -q --max-rejects 2 "$T/a.csv" "$T/b.csv"
same "split, files reversed" $ESFMON -q --max-rejects 2 "$T/b.csv" "$T/a.csv"
gzip -c "$G" > "$T/g.gz"
same "gzip" $ESFMON -q --max-rejects 2 "$T/g.gz"
same "gzip, decoded on the parsing thread (-j 1)" $ESFMON -q -j 1 --max-rejects 2 "$T/g.gz"
{ head -c 300 "$G" | gzip -c; tail -c +301 "$G" | gzip -c; } > "$T/multi.gz"
same "multi-member gzip split mid-record" $ESFMON -q --max-rejects 2 "$T/multi.gz"
same "stdin" sh -c "$ESFMON -q --max-rejects 2 - < '$G'"
same "gzip through a pipe" sh -c "cat '$T/g.gz' | $ESFMON -q --max-rejects 2 -"
sed 's/,/;/g; s/$/\r/' "$G" | sed '1s/^/\xef\xbb\xbf/' > "$T/semi.csv"
same "semicolons, CRLF, BOM" $ESFMON -q --max-rejects 2 "$T/semi.csv"
python3 - "$G" "$T/messy.csv" <<'PY'
import csv, sys, random
rows = list(csv.reader(open(sys.argv[1], newline="")))
hdr, body = rows[0], [r for r in rows[1:] if r]
random.seed(7)
order = list(range(len(hdr))); random.shuffle(order)
syn = {"vsopro": "VSO/PRO", "niet_werkzaam": "Niet-Werkzaam", "m": "MAN", "v": "2", "ja": "J",
       "nee": "n", "tijdelijk": "B", "vast": "o", "20150101": "2015-01-01"}
codes = {"aanvrager", "positie_start", "positie_eind", "positie_12m", "geslacht", "contract_start",
         "contract_eind", "onderwijs_start", "onderwijs_eind", "start", "doelgroep"}
with open(sys.argv[2], "w", newline="") as f:
    f.write("|".join(" " + hdr[i].upper() + " " for i in order) + "|toelichting\r\n")
    for k, r in enumerate(body):
        out = []
        for i in order:
            v = r[i]
            if hdr[i] in codes:
                v = syn.get(v, v)
            if hdr[i] == "doelgroep" and v:
                v = '" ' + v + ' + "'      # quoted because of |, with padding and an empty part
            elif v and k % 2:
                v = "  " + v + " "         # unquoted padding
            out.append(v)
        f.write("|".join(out) + '|"note with | and ""quotes""\nand a line break"\r\n')
        if k == 2:
            f.write("\r\n   \n")             # blank lines are not rows
PY
same "messy dialect: column order, |, padding, synonyms, case, quotes, line breaks" $ESFMON -q --max-rejects 2 "$T/messy.csv"

# ---- exit statuses and messages ---------------------------------------------
expect_exit() { # name, status, stderr pattern, command...
    local name=$1 want=$2 pat=$3; shift 3
    "$@" > "$T/x.out" 2> "$T/x.err"; local rc=$?
    if [ $rc -eq "$want" ] && grep -q -- "$pat" "$T/x.err"; then ok "$name"
    else bad "$name" "exit $rc, stderr: $(head -3 "$T/x.err")"; fi
}
expect_exit "usage: no input" 1 "no input files" $ESFMON
expect_exit "usage: unknown option is named" 1 "unknown option '--bogus'" $ESFMON --bogus "$G"
expect_exit "usage: bad period" 1 "period" $ESFMON --period 2015-13-01: "$G"
expect_exit "usage: stdin twice" 1 "standard input) given twice" $ESFMON - -
expect_exit "usage: one file twice (its rows would count twice)" 1 "core.csv' given twice: its rows would be counted twice" $ESFMON "$G" "$T/a.csv" "$G"
ln -sf "$(realpath "$G")" "$T/link.csv"
expect_exit "usage: one file under two names (a link)" 1 "link.csv' is the same file as '.*core.csv'" $ESFMON "$G" "$T/link.csv"
expect_exit "usage: unknown --column name" 1 "unknown column name 'foo'" $ESFMON --column foo=bar "$G"
expect_exit "input: missing file" 2 "nope.csv: cannot open" $ESFMON "$T/nope.csv"
expect_exit "input: directory" 2 "is a directory" $ESFMON "$T"
head -c 200 "$T/g.gz" > "$T/trunc.gz"
expect_exit "input: truncated gzip" 2 "trunc.gz: truncated gzip" $ESFMON "$T/trunc.gz"
cp "$T/g.gz" "$T/crc.gz"; printf '\x00\x00\x00\x00' | dd of="$T/crc.gz" bs=1 seek=$(( $(stat -c %s "$T/g.gz") - 8 )) conv=notrunc 2>/dev/null
expect_exit "input: corrupt gzip crc" 2 "crc.gz: corrupt gzip" $ESFMON "$T/crc.gz"
{ cat "$T/g.gz"; echo garbage; } > "$T/garbage.gz"
expect_exit "input: garbage after gzip member" 2 "garbage after a gzip member" $ESFMON "$T/garbage.gz"
check "input: no output on corrupt gzip" [ ! -s "$T/x.out" ]
: > "$T/empty.csv"
expect_exit "input: empty file" 2 "empty.csv: empty input: no header" $ESFMON "$T/empty.csv"
sed '1s/,start,/,begin,/' "$G" > "$T/nostart.csv"
expect_exit "input: missing required column named" 2 "nostart.csv:1: missing required column 'start'" $ESFMON "$T/nostart.csv"
expect_exit "--column maps a header" 0 "9 rows read" $ESFMON --max-rejects 2 --column start=begin "$T/nostart.csv"
expect_exit "rejects: exit 3 above --max-rejects, file:line: reason: seen" 3 "core.csv:10: onbekende_code: geslacht 'x'" $ESFMON "$G"
check "rejects: output still written with exit 3" cmp -s "$T/x.out" "$T/core.out"
$ESFMON -q --max-rejects 5 --rejects "$T/rej.csv" "$G" > /dev/null
check "rejects file: every rejected row with reason and line" bash -c "grep -q '^\"[^\"]*core.csv\",11,eind_voor_start,\"eind\",\"20150101\",\"R,100000006' '$T/rej.csv' && [ \$(wc -l < '$T/rej.csv') -eq 3 ]"
$ESFMON -q --max-rejects 2 -o "$T/o.csv" "$G"
check "-o writes the file" cmp -s "$T/o.csv" "$T/core.out"
echo keep > "$T/keep.csv"
$ESFMON -q -o "$T/keep.csv" "$T/trunc.gz" 2>/dev/null
check "-o: a failed run leaves the old file" [ "$(cat "$T/keep.csv")" = keep ]
expect_exit "output: /dev/full is an error" 2 "write failed" $ESFMON -q --max-rejects 2 -o /dev/full "$G"
$ESFMON -q --period 2015-01-01:20151231 --max-rejects 2 "$G" > "$T/p.out"
check "period: rows outside are gefilterd, gelezen = sum" bash -c "grep -q 'invoer,invoer,rijen,gefilterd,n,3' '$T/p.out' && grep -q 'rijen,geaccepteerd,n,4' '$T/p.out' && grep -q 'rijen,gelezen,n,9' '$T/p.out'"
$REF --period 2015-01-01:20151231 "$G" | cmp -s - "$T/p.out"
check "period: same as the reference" [ $? -eq 0 ]
printf 'indicator,streefwaarde\nOI1,1\nRI1,99.50\nRI5_cbs2018,0.000001\n' > "$T/targets.csv"
$ESFMON -q --max-rejects 2 --targets "$T/targets.csv" "$G" > "$T/t.out"
check "targets file overrides streefwaarde, procent and behaald" bash -c "grep -q 'OI1,behaald,1' '$T/t.out' && grep -q 'OI1,procent,100.0' '$T/t.out' && grep -q 'RI1,streefwaarde,99.5\$' '$T/t.out' && grep -q 'RI1,behaald,1' '$T/t.out' && grep -q 'RI5_cbs2018,streefwaarde,0.000001' '$T/t.out' && grep -q 'RI5_cbs2018,behaald,0' '$T/t.out'"
$ESFMON -q --max-rejects 2 --round 10 --suppress-below 2 "$G" > "$T/dc.out"
check "disclosure: rounding and suppression of person counts only" bash -c "grep -q 'deelnemers,totaal,totaal,totaal,n,0' '$T/dc.out' && grep -q 'deelnemers,jenv,totaal,totaal,n,0' '$T/dc.out' && grep -q 'deelnemers,gemeente,totaal,totaal,n,x' '$T/dc.out' && grep -q 'invoer,invoer,rijen,gelezen,n,9' '$T/dc.out' && grep -q 'RI1,procent,x' '$T/dc.out'"

$ESFMON --max-rejects 2 "$G" 2> "$T/err.txt" > /dev/null
check "no progress line when stderr is not a terminal" bash -c "! grep -q \$'\r' '$T/err.txt'"
# On a terminal (script gives one): which input of how many, and the share
# and time left of all of them; the first second's quiet made 0.
# (three inputs of one size but other bytes: a gzip header's MTIME differs;
# the same bytes twice would be refused as a copy)
for k in 1 2 3; do cp "$T/g.gz" "$T/tty$k.gz"; printf "\\x0$k" | dd of="$T/tty$k.gz" bs=1 seek=4 conv=notrunc 2>/dev/null; done
ESFMON_PROGRESS_DELAY=0 script -qec "$ESFMON --max-rejects 9 -o /dev/null '$T/tty1.gz' '$T/tty2.gz' '$T/tty3.gz'" /dev/null > "$T/tty.txt" 2>&1 || true
# (each small input reports once, at its end: a third of all the bytes each)
check "progress line on a terminal: input k of 3, share and time left of all three" \
    bash -c "grep -aq '\[1/3\] [^ ]*tty1.gz: [0-9]* rows, [0-9]* MB/s, 33%, [0-9]* s left' '$T/tty.txt' &&
             grep -aq '\[2/3\] [^ ]*tty2.gz: [0-9]* rows, [0-9]* MB/s, 67%, ' '$T/tty.txt' &&
             grep -aq '\[3/3\] [^ ]*tty3.gz: [0-9]* rows, [0-9]* MB/s, 100%, 0 s left' '$T/tty.txt'"

# ---- faults and limits ------------------------------------------------------------
head -1 "$G" > "$T/hdr.csv"; printf '\xef\xbb\xbf' | cat - "$T/hdr.csv" > "$T/hdrbom.csv"
expect_exit "a file of only a header: 0 rows, exit 0" 0 "0 rows read" $ESFMON "$T/hdr.csv"
expect_exit "a header only, with BOM: exit 0" 0 "0 rows read" $ESFMON "$T/hdrbom.csv"
printf '\xef\xbb\xbf' > "$T/bomonly.csv"
expect_exit "only a BOM: empty input, exit 2" 2 "bomonly.csv: empty input" $ESFMON "$T/bomonly.csv"
{ cat "$G"; echo; } > "$T/gcopy.csv" # another file (a blank line more): no copy
expect_exit "a missing file among several: exit 2, named, no output" 2 "missing.csv: cannot open" $ESFMON --max-rejects 9 "$G" "$T/missing.csv" "$T/gcopy.csv"
check "  ... and nothing on stdout" [ ! -s "$T/x.out" ]
cp "$G" "$T/noread.csv"; chmod 000 "$T/noread.csv"
if [ "$(id -u)" -ne 0 ]; then
    expect_exit "an unreadable file: exit 2" 2 "noread.csv: cannot open: Permission denied" $ESFMON "$T/noread.csv"
elif command -v setpriv >/dev/null; then # root reads anything: run as nobody
    chmod 755 "$T"
    expect_exit "an unreadable file: exit 2" 2 "noread.csv: cannot open: Permission denied" \
        setpriv --reuid=65534 --regid=65534 --clear-groups $ESFMON "$T/noread.csv"
fi
mkfifo "$T/fifo"; (cat "$G" > "$T/fifo" &)
expect_exit "a named pipe is read as a stream" 0 "9 rows read" $ESFMON --max-rejects 2 "$T/fifo"
rm -rf "$T/big"; $ESFGEN --persons 200000 --seed 4 -o "$T/big" 2>/dev/null
$ESFMON -q "$T/big/extract_01.csv" | head -1 > /dev/null; rc=${PIPESTATUS[0]}
check "closed stdout pipe: not success (SIGPIPE, quiet)" [ "$rc" -ne 0 ]
gzip -c "$T/big/extract_01.csv" > "$T/big.gz"
# A sanitizer reserves terabytes of address space: ulimit -v is for plain builds.
if [ -z "${SANITIZED:-}" ]; then
    expect_exit "out of memory (ulimit -v): exit 2 with a message" 2 "out of memory" bash -c "ulimit -v 30000; exec $ESFMON -q '$T/big.gz'"
else
    echo "SKIP out of memory (ulimit -v): sanitizer build"
fi
long=$(head -c 100000000 /dev/zero | tr '\0' y)
{ echo "rinpersoon,project,aanvrager,start,toelichting"; echo "1,P,uwv,20150101,\"$long\""; echo "2,P,uwv,20150101,kort"; } > "$T/long.csv"
unset long
expect_exit "a line of 100 MB (mapped)" 0 "2 rows read, 2 accepted" $ESFMON "$T/long.csv"
expect_exit "a line of 100 MB through a pipe" 0 "2 rows read, 2 accepted" sh -c "cat '$T/long.csv' | $ESFMON -"
gzip -1 -c "$T/long.csv" > "$T/long.gz"
expect_exit "a line of 100 MB in gzip" 0 "2 rows read, 2 accepted" $ESFMON "$T/long.gz"
rm -f "$T/long.csv" "$T/long.gz"
printf 'rinpersoon,project,aanvrager,start\n1,P\x00\xff\xfeQ,uwv,20150101\n2,P,uwv\x00,20150101\n\xc3\x28,P,jenv,20150101\n' > "$T/bytes.csv"
$ESFMON -q --max-rejects 5 --rejects "$T/bytes.rej" "$T/bytes.csv" > "$T/bytes.out" 2> "$T/bytes.err"; rc=$?
check "NUL and invalid UTF-8: ids pass through as bytes, codes are rejected" bash -c "[ $rc -eq 0 ] && grep -q 'rijen,geaccepteerd,n,2' '$T/bytes.out' && grep -q 'afwijzing,onbekende_code,n,1' '$T/bytes.out' && grep -qa \$'^projecten,P\\x00\\xff\\xfeQ,totaal,totaal,trajecten,1' '$T/bytes.out'"
check "  ... the rejects file quotes the record" bash -c "grep -qa \$',\"uwv\\x00\",\"2,P,uwv\\x00,20150101\"' '$T/bytes.rej'"
$ESFMON --max-rejects 5 "$T/bytes.csv" 2>&1 >/dev/null | grep -qF "bytes.csv:3: onbekende_code: aanvrager 'uwv\\x00'"
check "  ... stderr shows them escaped" [ $? -eq 0 ]
row="1,P,uwv,20150101,$(head -c 4000 /dev/zero | tr '\0' x)"
{ echo "rinpersoon,project,aanvrager,start,toelichting"; yes "$row" | head -c 4500000000; echo; } | $ESFMON -q - > "$T/4g.out"
check "over 4 GiB through stdin: every row counted (64-bit counts)" grep -q "invoer,invoer,rijen,gelezen,n,$(( (4500000000 + ${#row}) / (${#row} + 1) ))" "$T/4g.out"

# ---- output formats -----------------------------------------------------------
# Snapshots of the human formats on the golden extract (reviewed when made;
# regenerate with the commands below and review the diff when a layout changes).
for f in text markdown json html; do
    if $ESFMON -q --max-rejects 2 --format $f "$G" | cmp -s - tests/golden/core.$f; then ok "format $f: golden snapshot"
    else bad "format $f: golden snapshot" "$ESFMON -q --max-rejects 2 --format $f $G > tests/golden/core.$f"; fi
done
if $ESFMON -q --max-rejects 2 --format text --round 5 --suppress-below 2 "$G" | cmp -s - tests/golden/core.dc.text; then ok "format text with disclosure control: golden snapshot"
else bad "format text with disclosure control: golden snapshot"; fi
: > "$T/plain-mode"
$ESFMON -q --max-rejects 2 -o "$T/o-mode.csv" "$G"
check "-o FILE gets the permissions of an ordinary new file (umask), not 0600" \
    [ "$(stat -c %a "$T/o-mode.csv")" = "$(stat -c %a "$T/plain-mode")" ]
# The HTML report's structure: the ids of its sections, figures, charts and
# tables are stable (people link to them and tests find them by them).
if $ESFMON -q --max-rejects 2 --format html "$G" | grep -o ' id="[^"]*"' | cmp -s - tests/golden/core.html-ids
then ok "format html: stable ids of sections, figures and tables"
else bad "format html: stable ids of sections, figures and tables" "$ESFMON -q --max-rejects 2 --format html $G | grep -o ' id=\"[^\"]*\"' > tests/golden/core.html-ids"; fi
$ESFMON -q --max-rejects 2 --format html --round 5 --suppress-below 2 "$G" > "$T/dc.html"
$ESFMON -q --max-rejects 2 --round 5 --suppress-below 2 "$G" > "$T/dc.csv"
check "format html with disclosure control: suppressed cells drawn as marked gaps" grep -q 'class="sup"' "$T/dc.html"
# Rendered by a browser: no console error, a screenshot, and every number
# drawn equals the CSV of the same run (exact, and with disclosure control).
BROWSER=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$BROWSER" ]; then bad "html in headless Chromium" "chromium not installed (scripts/install-deps.sh installs it)"
else
    rm -rf "$T/gen"; $ESFGEN --persons 20000 --seed 5 --files 2 --gzip -o "$T/gen" 2>/dev/null
    for dc in "" "--round 5 --suppress-below 10"; do
        tag=${dc:+-dc}
        $ESFMON -q --max-rejects 100000 $dc "$T/gen"/*.gz > "$T/page.csv"
        $ESFMON -q --max-rejects 100000 $dc --format html -o "$BUILD_DIR/report$tag.html" "$T/gen"/*.gz
        url="file://$(cd "$BUILD_DIR" && pwd)/report$tag.html"
        flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --enable-logging=stderr --v=0)
        timeout 120 "$BROWSER" "${flags[@]}" --dump-dom "$url" > "$T/page.dom" 2> "$T/page.err"
        timeout 120 "$BROWSER" "${flags[@]}" --window-size=1000,4000 --screenshot="$BUILD_DIR/report$tag.png" "$url" > /dev/null 2>> "$T/page.err"
        if grep -q 'CONSOLE' "$T/page.err"; then bad "html in headless Chromium$tag: no console errors" "$(grep CONSOLE "$T/page.err" | head -3)"
        else ok "html in headless Chromium$tag: no console errors"; fi
        check "html in headless Chromium$tag: screenshot saved" test -s "$BUILD_DIR/report$tag.png"
        if n=$(python3 tests/html_check.py "$T/page.dom" "$T/page.csv"); then ok "html in headless Chromium$tag: $n drawn numbers equal the csv"
        else bad "html in headless Chromium$tag: drawn numbers equal the csv" "$n"; fi
    done
fi
for dc in "" "--round 10 --suppress-below 3"; do
    $ESFMON -q --max-rejects 2 $dc "$G" > "$T/f.csv"; $ESFMON -q --max-rejects 2 $dc --format json "$G" > "$T/f.json"
    if python3 - "$T/f.csv" "$T/f.json" <<'PY'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))[1:]
doc = json.load(open(sys.argv[2]))
n = 0
for t, g, d, c, m, v in rows:
    j = doc[t][g][d][c][m]
    j = "" if j is None else j if isinstance(j, str) else ("%.1f" % j if isinstance(j, float) else str(j))
    assert j == v, (t, g, d, c, m, v, j)
    n += 1
assert n == sum(len(mm) for gg in doc.values() for dd in gg.values() for cc in dd.values() for mm in cc.values())
PY
    then ok "format json: every value equals the csv ${dc:+($dc)}"; else bad "format json: every value equals the csv ${dc:+($dc)}"; fi
done
$ESFMON -q --max-rejects 2 "$G" > /dev/null
check "format: csv is the default when stdout is not a terminal" bash -c "$ESFMON -q --max-rejects 2 '$G' | head -1 | grep -q '^table,group,dimension,category,measure,value$'"

# ---- generator ------------------------------------------------------------------
rm -rf "$T/g1" "$T/g2" "$T/g3"
$ESFGEN --persons 3000 --seed 9 --files 2 --gzip --dialect messy -o "$T/g1" 2>/dev/null
$ESFGEN --persons 3000 --seed 9 --files 2 --gzip --dialect messy -o "$T/g2" 2>/dev/null
$ESFGEN --persons 3000 --seed 10 --files 2 --gzip --dialect messy -o "$T/g3" 2>/dev/null
check "esfgen: same seed, same bytes" cmp -s "$T/g1/extract_02.csv.gz" "$T/g2/extract_02.csv.gz"
check "esfgen: another seed, other bytes" bash -c "! cmp -s '$T/g1/extract_02.csv.gz' '$T/g3/extract_02.csv.gz'"
rm -rf "$T/g4"; $ESFGEN --persons 30000 --seed 9 --dialect messy -o "$T/g4" 2>/dev/null
check "esfgen messy: invalid rows of every reject kind" [ "$($ESFMON -q --max-rejects 100000 "$T/g4"/*.csv | grep -c '^invoer,invoer,afwijzing,[a-z_]*,n,[1-9]')" -eq 9 ]
# Streams (gzip, a pipe) come in blocks; each block is read by every thread,
# so records cut by a block's end and quoted line feeds meet the skimming.
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
# A stream that breaks off: the rejects before the break are still reported.
head -c $(( $(stat -c %s "$T/g4x3.csv.gz") * 3 / 5 )) "$T/g4x3.csv.gz" > "$T/g4cut.gz"
$ESFMON -q -j 2 --chunk-size 4096 --max-rejects 1000000 --rejects "$T/cut-rej.csv" "$T/g4cut.gz" > /dev/null 2>&1; rc=$?
n=$(($(wc -l < "$T/cut-rej.csv") - 1))
if [ $rc -eq 2 ] && [ "$n" -gt 100 ] &&
   cmp -s <(tail -n +2 "$T/cut-rej.csv" | cut -d, -f2-) <(tail -n +2 "$T/s-rej1.csv" | head -n "$n" | cut -d, -f2-)
then ok "truncated gzip, -j 2: exit 2, the $n rejects before the break reported in order"
else bad "truncated gzip, -j 2: exit 2, the rejects before the break reported in order" "exit $rc, $n rejects"; fi
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
# counted): exit 2, named, after all of the good one's rejects.
first=$(ls "$T/g4z"/*.csv | head -1)
$ESFMON -q -j 1 --max-rejects 1000000 --rejects "$T/c-rej1.csv" "$first" > /dev/null 2>&1
$ESFMON -q -j 2 --max-rejects 1000000 --rejects "$T/c-rej.csv" "$first" "$T/crc.gz" > "$T/x.out" 2> "$T/c-err.txt"; rc=$?
if [ $rc -eq 2 ] && grep -q "crc.gz: corrupt gzip" "$T/c-err.txt" && cmp -s "$T/c-rej.csv" "$T/c-rej1.csv" && [ ! -s "$T/x.out" ]
then ok "a corrupt gzip after a good one, -j 2: exit 2, named, the good one's rejects all reported"
else bad "a corrupt gzip after a good one, -j 2" "exit $rc, $(head -2 "$T/c-err.txt")"; fi
expect_exit "a corrupt gzip before a good one, -j 2: exit 2, named" 2 "crc.gz: corrupt gzip" $ESFMON -j 2 "$T/crc.gz" "$first"
expect_exit "a missing file after a gzip'd one (opened ahead), -j 2: exit 2, named" 2 "missing.csv: cannot open" $ESFMON -j 2 "$first" "$T/missing.csv"
if python3 scripts/compare-report.py --build "$(dirname "$ESFMON")" > "$T/cmp.txt"; then ok "esfgen calibration: 212190 persons within 3 points of the report's Bijlage 4"
else bad "esfgen calibration: 212190 persons within 3 points of the report's Bijlage 4" "$(grep -E 'te groot|cells' "$T/cmp.txt" | head -3)"; fi

# ---- differential: an independent implementation on generated extracts ------
for d in canonical messy; do
    rm -rf "$T/gen"; $ESFGEN --persons 20000 --seed 11 --files 3 --dialect $d -o "$T/gen" 2>/dev/null
    $ESFMON -q --max-rejects 100000 "$T/gen"/*.csv > "$T/gen.out"
    if $REF "$T/gen"/*.csv | cmp -s - "$T/gen.out"; then ok "differential: $d extract equals the reference"
    else bad "differential: $d extract equals the reference"; fi
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

# ---- nothing lost, nothing guessed (SPEC §2.1, §2.5, §2.6, §5 JSON, §7) ------
# 1. the files written never name an input, nor each other
cp "$G" "$T/in.csv"; ln -f "$T/in.csv" "$T/in-link.csv"
expect_exit "outputs: -o naming an input is a usage error" 1 "output '.*in.csv' is the input" $ESFMON -q --max-rejects 2 -o "$T/in.csv" "$T/in.csv"
check "outputs: -o naming an input leaves it as it was" cmp -s "$T/in.csv" "$G"
expect_exit "outputs: --rejects naming an input through a link is a usage error" 1 "rejects '.*in-link.csv' is the input" $ESFMON -q --max-rejects 2 --rejects "$T/in-link.csv" "$T/in.csv"
check "outputs: --rejects naming an input leaves it as it was" cmp -s "$T/in.csv" "$G"
rm -f "$T/new.csv"
expect_exit "outputs: -o and --rejects naming one new file is a usage error" 1 "are the same file" $ESFMON -q --max-rejects 2 -o "$T/new.csv" --rejects "$T/./new.csv" "$G"
check "outputs: nothing written when they collide" [ ! -e "$T/new.csv" ]
cp "$G" "$T/copy.csv"
expect_exit "usage: a copy of an input (same bytes, another file) would count twice" 1 "copy.csv' has the same bytes as" $ESFMON -q --max-rejects 2 "$G" "$T/copy.csv"
# 2. inputs that are not UTF-8 text with LF or CRLF lines
tr '\n' '\r' < "$G" > "$T/mac.csv"
expect_exit "not text: CR-only line endings" 2 "mac.csv:1: the header line ends in a CR without LF.*tr " $ESFMON -q "$T/mac.csv"
gzip -c "$T/mac.csv" > "$T/mac.gz"
expect_exit "not text: CR-only line endings, gzip through a pipe in small slabs" 2 "<stdin>:1: the header line ends in a CR without LF" sh -c "cat '$T/mac.gz' | $ESFMON -q -j 2 --chunk-size 256 -"
{ printf '\xff\xfe'; sed 's/./&\x00/g' "$G"; } > "$T/utf16.csv"
expect_exit "not text: UTF-16 with byte order mark" 2 "utf16.csv: is UTF-16 text.*iconv" $ESFMON -q "$T/utf16.csv"
sed 's/./&\x00/g' "$G" > "$T/utf16le.csv"
expect_exit "not text: UTF-16 without byte order mark (NUL bytes)" 2 "utf16le.csv:1: the header line holds NUL bytes" $ESFMON -q "$T/utf16le.csv"
for k in 'zip:PK\x03\x04:unzip' 'bzip2:BZh91AY:bzip2 -dc' 'xz:\xfd7zXZ\x00:xz -dc' 'zstd:\x28\xb5\x2f\xfd:zstd -dc'; do
    IFS=: read -r kind magic how <<< "$k"
    { printf "$magic"; cat "$G"; } > "$T/magic.$kind"
    expect_exit "not text: $kind is named, with how to convert it" 2 "magic.$kind: is .*$how" $ESFMON -q "$T/magic.$kind"
done
# 3. --column: NAME when HEADER is absent; a mapping that matches neither
same "--column NAME=HEADER reads NAME in a file without HEADER" $ESFMON -q --max-rejects 2 --column eind=einddatum "$G"
sed '1s/,eind,/,einddatum,/' "$G" > "$T/einddatum.csv"
same "--column NAME=HEADER reads HEADER" $ESFMON -q --max-rejects 2 --column eind=einddatum "$T/einddatum.csv"
expect_exit "--column matching no column is an input error" 2 "einddatum.csv:1: --column eind=einddatun matches no column of the header: it has neither 'einddatun' nor 'eind'" $ESFMON -q --max-rejects 2 --column eind=einddatun "$T/einddatum.csv"
# 4. concatenated exports: a header line is a header again
{ head -1 "$G"; body | head -5; } > "$T/c1.csv"
python3 - "$G" "$T/c2.csv" <<'PY'
import csv, sys
rows = [r for r in csv.reader(open(sys.argv[1], newline="")) if r]
hdr, body = rows[0], rows[6:]
order = list(reversed(range(len(hdr))))
with open(sys.argv[2], "w", newline="") as f:
    f.write("\ufeff" + ";".join([hdr[i].upper() for i in order] + ["Toelichting"]) + "\r\n")
    for r in body:
        f.write(";".join([r[i] for i in order] + ["-"]) + "\r\n")
PY
{ head -1 "$G"; body | tail -n +6 | head -3; } > "$T/c3.csv"
cat "$T/c1.csv" "$T/c2.csv" "$T/c3.csv" > "$T/cat.csv"
$ESFMON -q --max-rejects 9 "$T/c1.csv" "$T/c2.csv" "$T/c3.csv" > "$T/cat-files.out"
for j in 1 2; do for cs in 256 1000000; do
    if $ESFMON -q --max-rejects 9 -j $j --chunk-size $cs "$T/cat.csv" | cmp -s - "$T/cat-files.out" &&
       gzip -c "$T/cat.csv" | $ESFMON -q --max-rejects 9 -j $j --chunk-size $cs - | cmp -s - "$T/cat-files.out"
    then ok "concatenated exports read as the files one by one (-j $j, chunk $cs, plain and gzip)"
    else bad "concatenated exports read as the files one by one (-j $j, chunk $cs, plain and gzip)"; fi
done; done
check "concatenated exports: the extract is not all one file's rows" bash -c "! cmp -s '$T/cat-files.out' <($ESFMON -q --max-rejects 9 '$T/c1.csv')"
# 5. targets file
tg() { printf "$1" > "$T/tg.csv"; }
tg 'OI1,72.500\n'; expect_exit "targets: 72.500 says to write 72500" 1 "tg.csv:1: target of OI1 is a whole number of persons: write 72500" $ESFMON -q --targets "$T/tg.csv" "$G"
tg 'OI1,1,2\n'; expect_exit "targets: three fields are an error, not 1.2" 1 "tg.csv:1: expected two fields" $ESFMON -q --targets "$T/tg.csv" "$G"
tg 'OI1,5\nRI1,20\noi1,6\n'; expect_exit "targets: an indicator twice is an error" 1 "tg.csv:3: OI1 given twice (first on line 1)" $ESFMON -q --targets "$T/tg.csv" "$G"
tg 'OI1,1234567890123456789012\n'; expect_exit "targets: a huge target is too large, not 'decimals'" 1 "target of OI1 is too large" $ESFMON -q --targets "$T/tg.csv" "$G"
tg 'RI1,100.5\n'; expect_exit "targets: RI above 100 is an error" 1 "percentage from 0 to 100" $ESFMON -q --targets "$T/tg.csv" "$G"
expect_exit "targets: a directory cannot be read (exit 2)" 2 "cannot read targets file: is a directory" $ESFMON -q --targets "$T" "$G"
tg '\xef\xbb\xbfOI1,80000\nRI1;22,50\nRI2,007\nRI3,.5\nRI4,5.\n'
$ESFMON -q --max-rejects 2 --targets "$T/tg.csv" "$G" > "$T/tg.out"
check "targets: BOM ignored, values written canonically (80000 22.5 7 0.5 5)" bash -c "grep -q 'OI1,streefwaarde,80000' '$T/tg.out' && grep -q 'RI1,streefwaarde,22.5' '$T/tg.out' && grep -q 'RI2,streefwaarde,7\$' '$T/tg.out' && grep -q 'RI3,streefwaarde,0.5' '$T/tg.out' && grep -q 'RI4,streefwaarde,5\$' '$T/tg.out'"
# 6. JSON is always valid JSON in UTF-8
{ head -1 "$G"; sed -n '2,4p' "$G" | sed 's/,P1,/,P\xff1,/'; } > "$T/badutf8.csv"
$ESFMON --max-rejects 2 -f json --targets "$T/tg.csv" "$T/badutf8.csv" > "$T/j.json" 2> "$T/j.err"
check "json: valid JSON with U+FFFD for a project id that is not UTF-8, and canonical targets" python3 -c "
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
assert 'P\ufffd1' in d['projecten'], list(d['projecten'])
assert d['indicatoren']['uwv']['indicator']['RI3']['streefwaarde'] == 0.5" "$T/j.json"
check "json: stderr names the file and line of the project id once" bash -c "[ \$(grep -c 'badutf8.csv:[0-9]*: project id .P.xff1. is not UTF-8' '$T/j.err') -eq 1 ]"
check "json: CSV keeps the bytes" bash -c "$ESFMON -q --max-rejects 2 '$T/badutf8.csv' | grep -aq \$'P\\xff1'"
# 7. errors that say what is wrong
expect_exit "usage: --chunk-size of a terabyte is a usage error" 1 "chunk-size: at most" $ESFMON -q --chunk-size 1099511627776 "$G"
expect_exit "usage: a reversed --period says FROM is after TO" 1 "FROM 20180101 is after TO 20170101" $ESFMON -q --period 20180101:20170101 "$G"
# 8. no leak on an error path (LeakSanitizer in make asan would fail the status)
expect_exit "input: stdin not readable: exit 2, nothing leaked" 2 "read error" sh -c "$ESFMON -q - 0>/dev/null"
check "input: stdin not readable: no leak report" bash -c "! grep -q LeakSanitizer '$T/x.err'"

echo "e2e: $pass passed, $fail failed"
[ $fail -eq 0 ]
