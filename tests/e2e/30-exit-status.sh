# exit statuses and messages
# Sourced by tests/e2e.sh (helpers in tests/e2e/lib.sh), in order:
# files before it leave fixtures in $T.
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
check "rejects file: every rejected row with reason and line" has "$T/rej.csv" '^"[^"]*core.csv",11,eind_voor_start,"eind","20150101","R,100000006'
check "rejects file: a header and the two rejects" count_is 3 "$T/rej.csv" ""
$ESFMON -q --max-rejects 2 -o "$T/o.csv" "$G"
check "-o writes the file" cmp -s "$T/o.csv" "$T/core.out"
echo keep > "$T/keep.csv"
$ESFMON -q -o "$T/keep.csv" "$T/trunc.gz" 2>/dev/null
check "-o: a failed run leaves the old file" [ "$(cat "$T/keep.csv")" = keep ]
expect_exit "output: /dev/full is an error" 2 "write failed" $ESFMON -q --max-rejects 2 -o /dev/full "$G"
expect_exit "rejects file on a full disk: exit 2, the reason" 2 "full: write failed: No space left" $ESFMON -q --max-rejects 2 --rejects /dev/full -o "$T/full.csv" "$G"
check "rejects file on a full disk: no tables written" [ ! -e "$T/full.csv" ]
expect_exit "-o in a missing directory: exit 2" 2 "nodir/o.csv: cannot write: No such file or directory" $ESFMON -q --max-rejects 2 -o "$T/nodir/o.csv" "$G"
expect_exit "-o naming a directory: exit 2" 2 "cannot write: Is a directory" $ESFMON --max-rejects 2 -o "$T" "$G"
check "  ... found before the inputs are read (no summary)" lacks "$T/x.err" "rows read"
expect_exit "--suppression-log in a missing directory: exit 2" 2 "nodir/log.csv: cannot write" $ESFMON -q --max-rejects 2 --suppress-below 3 --suppression-log "$T/nodir/log.csv" "$G"
$ESFMON -q --period 2015-01-01:20151231 --max-rejects 2 "$G" > "$T/p.out"
check "period: rows outside are gefilterd, gelezen = sum" has "$T/p.out" 'invoer,invoer,rijen,gefilterd,n,3$' 'rijen,geaccepteerd,n,4$' 'rijen,gelezen,n,9$'
$REF --period 2015-01-01:20151231 "$G" | cmp -s - "$T/p.out"
check "period: same as the reference" [ $? -eq 0 ]
printf 'indicator,streefwaarde\nOI1,1\nRI1,99.50\nRI5_cbs2018,0.000001\n' > "$T/targets.csv"
$ESFMON -q --max-rejects 2 --targets "$T/targets.csv" "$G" > "$T/t.out"
check "targets file overrides streefwaarde, procent and behaald" has "$T/t.out" 'OI1,behaald,1$' 'OI1,procent,100.0$' 'RI1,streefwaarde,99.5$' 'RI1,behaald,1$' 'RI5_cbs2018,streefwaarde,0.000001$' 'RI5_cbs2018,behaald,0$'
$ESFMON -q --round 10 --suppress-below 5 "$D" > "$T/dc.out"
$ESFMON -q "$D" > "$T/dc.exact"
check "disclosure: rounding and suppression of person counts only; zeros and structural cells published" has "$T/dc.out" 'deelnemers,totaal,totaal,totaal,n,300$' 'deelnemers,uwv,doelgroep,jji,n,0$' 'overgangen,amr,start_eind,inactief>verbeterd,n,0$' 'invoer,invoer,rijen,gelezen,n,377$' 'RI5,procent,x$' ',x$'
check "disclosure: every published count of a person table is a multiple of 10, every zero published" python3 - "$T/dc.out" "$T/dc.exact" <<'PY'
import csv, sys
pub = {tuple(r[:5]): r[5] for r in list(csv.reader(open(sys.argv[1])))[1:]}
exact = {tuple(r[:5]): r[5] for r in list(csv.reader(open(sys.argv[2])))[1:]}
for k, v in pub.items():
    if k[0] not in ("deelnemers", "resultaten", "overgangen", "projecten"):
        continue
    if v != "x":
        assert int(v) % 10 == 0, (k, v)
    if exact[k] == "0":
        assert v == "0", (k, v)
PY
expect_exit "disclosure: the golden extract's dozen persons cannot be protected at N = 2: refused, the cell named (exit 2)" 2 "cannot be protected with --suppress-below 2: zeros and the invoer table are published" $ESFMON -q --max-rejects 2 --suppress-below 2 "$G"

$ESFMON --max-rejects 2 "$G" 2> "$T/err.txt" > /dev/null
check "no progress line when stderr is not a terminal" lacks "$T/err.txt" $'\r'
# On a terminal (script gives one): which input of how many, and the share
# and time left of all of them; the first second's quiet made 0.
# (three inputs of one size but other bytes: a gzip header's MTIME differs;
# the same bytes twice would be refused as a copy)
for k in 1 2 3; do cp "$T/g.gz" "$T/tty$k.gz"; printf "\\x0$k" | dd of="$T/tty$k.gz" bs=1 seek=4 conv=notrunc 2>/dev/null; done
ESFMON_PROGRESS_DELAY=0 script -qec "$ESFMON --max-rejects 9 -o /dev/null '$T/tty1.gz' '$T/tty2.gz' '$T/tty3.gz'" /dev/null > "$T/tty.txt" 2>&1 || true
# (each small input reports once, at its end: a third of all the bytes each)
check "progress line on a terminal: input k of 3, share and time left of all three" \
    has "$T/tty.txt" '\[1/3\] [^ ]*tty1.gz: [0-9]* rows, [0-9]* MB/s, 33%, [0-9]* s left' \
        '\[2/3\] [^ ]*tty2.gz: [0-9]* rows, [0-9]* MB/s, 67%, ' \
        '\[3/3\] [^ ]*tty3.gz: [0-9]* rows, [0-9]* MB/s, 100%, 0 s left'
