# the input as CBS holds it (SPEC §2.2, §2.8): Dutch dates, the files of
# statistical packages named, the documentation of the input
# Sourced by tests/e2e.sh (helpers in tests/e2e/lib.sh), in order.
I=$T/input; rm -rf "$I"; mkdir -p "$I"
M="--max-rejects 9"
# 1. dates day first, as Dutch exports write them, in every date column
python3 - "$G" "$I" <<'PY'
import csv, re, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
for name, fmt in (("dmy", "{d}-{m}-{y}"), ("ddmmyy", "{d:02d}/{m:02d}/{y}")):
    with open(f"{sys.argv[2]}/{name}.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(rows[0])
        for r in rows[1:]:
            w.writerow([fmt.format(d=int(c[6:]), m=int(c[4:6]), y=c[:4]) if re.fullmatch(r"(19|20|21)[0-9]{6}", c) else c
                        for c in r])
PY
$ESFMON -q $M "$G" > "$I/golden.out"
for f in dmy ddmmyy; do
    check "dates: D-M-YYYY and DD/MM/YYYY read as YYYYMMDD ($f, -j 1 and 2)" bash -c "$ESFMON -q $M -j 1 '$I/$f.csv' | cmp -s - '$I/golden.out' && $ESFMON -q $M -j 2 --chunk-size 1024 '$I/$f.csv' | cmp -s - '$I/golden.out'"
done
check "dates: the extract was written day first" grep -q ',1-1-2015,' "$I/dmy.csv"
check "dates: --period takes them too" bash -c "cmp -s <($ESFMON -q $M --period 1-1-2015:31/12/2016 '$G') <($ESFMON -q $M --period 20150101:20161231 '$G')"
{ head -1 "$G"; echo 'R,900000001,P9,uwv,,m,,2-13-2015,,,werkzaam,,,,,,'; } > "$I/mdy.csv"
expect_exit "dates: month first is not a date (2-13-2015: no 13th month)" 3 "mdy.csv:2: datum: start '2-13-2015'" $ESFMON $M --max-rejects 0 "$I/mdy.csv"
