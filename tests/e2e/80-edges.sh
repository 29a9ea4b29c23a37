# nothing lost, nothing guessed (SPEC §2.1, §2.5, §2.6, §5 JSON, §7)
# Sourced by tests/e2e.sh (helpers in tests/e2e/lib.sh), in order:
# files before it leave fixtures in $T.
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
expect_exit "not text: CR-only line endings, gzip through a pipe in small blocks" 2 "<stdin>:1: the header line ends in a CR without LF" sh -c "cat '$T/mac.gz' | $ESFMON -q -j 2 --chunk-size 256 -"
{ echo 'sep=,'; cat "$G"; } > "$T/sep.csv"
expect_exit "Excel's 'sep=' line above the header: named, with what to do" 2 "sep.csv:1: missing required column 'rinpersoon' .*header 'sep=,'): Excel's 'sep=' line; remove it" $ESFMON -q "$T/sep.csv"
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
check "targets: BOM ignored, values written canonically (80000 22.5 7 0.5 5)" has "$T/tg.out" 'OI1,streefwaarde,80000$' 'RI1,streefwaarde,22.5$' 'RI2,streefwaarde,7$' 'RI3,streefwaarde,0.5$' 'RI4,streefwaarde,5$'
# 6. JSON is always valid JSON in UTF-8
{ head -1 "$G"; sed -n '2,4p' "$G" | sed 's/,P1,/,P\xff1,/'; } > "$T/badutf8.csv"
$ESFMON --max-rejects 2 -f json --targets "$T/tg.csv" "$T/badutf8.csv" > "$T/j.json" 2> "$T/j.err"
check "json: valid JSON with U+FFFD for a project id that is not UTF-8, and canonical targets" python3 -c "
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
assert 'P\ufffd1' in d['projecten'], list(d['projecten'])
assert d['indicatoren']['uwv']['indicator']['RI3']['streefwaarde'] == 0.5" "$T/j.json"
check "json: stderr names the file and line of the project id once" count_is 1 "$T/j.err" 'badutf8.csv:[0-9]+: project id .P.xff1. is not UTF-8'
check "json: CSV keeps the bytes" bash -c "$ESFMON -q --max-rejects 2 '$T/badutf8.csv' | grep -aq \$'P\\xff1'"
# 7. errors that say what is wrong
expect_exit "usage: --chunk-size of a terabyte is a usage error" 1 "chunk-size: at most" $ESFMON -q --chunk-size 1099511627776 "$G"
expect_exit "usage: a reversed --period says FROM is after TO" 1 "FROM 20180101 is after TO 20170101" $ESFMON -q --period 20180101:20170101 "$G"
# 8. no leak on an error path (LeakSanitizer in make asan would fail the status)
expect_exit "input: stdin not readable: exit 2, nothing leaked" 2 "read error" sh -c "$ESFMON -q - 0>/dev/null"
check "input: stdin not readable: no leak report" lacks "$T/x.err" LeakSanitizer
