# nothing lost, round two (SPEC §2.1, §2.2, §2.5, §2.6, §7): standard input,
# every file written, one commit at the end, and the hostile inputs.
# Sourced by tests/e2e.sh (helpers in tests/e2e/lib.sh), in order.
H=$T/hostile; rm -rf "$H"; mkdir -p "$H"
cp "$G" "$H/in.csv"
M="--max-rejects 9"
intact() { cmp -s "$H/in.csv" "$G"; }
# 1. standard input is an input: never written, never read twice
expect_exit "stdin: --rejects naming the file on standard input is a usage error" 1 "rejects '.*in.csv' is the input '- (standard input)'" sh -c "$ESFMON -q $M --rejects '$H/in.csv' - < '$H/in.csv'"
check "stdin: the extract on standard input is left as it was (--rejects)" intact
expect_exit "stdin: -o naming the file on standard input is a usage error" 1 "output '.*in.csv' is the input '- (standard input)'" sh -c "$ESFMON -q $M -o '$H/in.csv' - < '$H/in.csv'"
check "stdin: the extract on standard input is left as it was (-o)" intact
expect_exit "stdin: --suppression-log naming the file on standard input is a usage error" 1 "suppression-log '.*in.csv' is the input" sh -c "$ESFMON -q $M --suppress-below 5 --suppression-log '$H/in.csv' - < '$H/in.csv'"
expect_exit "stdin: a file and standard input reading it would count twice" 1 "'- (standard input)' is the same file as '.*in.csv'" sh -c "$ESFMON -q $M '$H/in.csv' - < '$H/in.csv'"
expect_exit "stdin: - and /dev/stdin are one input" 1 "'/dev/stdin' is the same file as '- (standard input)'" sh -c "$ESFMON -q $M - /dev/stdin < '$H/in.csv'"
head -1 "$G" > "$H/h1.csv"; cp "$H/h1.csv" "$H/h2.csv"
expect_exit "copies: two header-only files with the same bytes are no copies (no rows)" 0 "rows read" $ESFMON "$H/h1.csv" "$H/h2.csv" "$G" --max-rejects 9
{ head -1 "$G"; echo; echo '   '; } > "$H/h3.csv"; cp "$H/h3.csv" "$H/h4.csv"; gzip -c "$H/h3.csv" > "$H/h3.gz"; gzip -c "$H/h3.csv" > "$H/h4.gz"
expect_exit "copies: header and blank lines, plain and gzip'd twice, are no copies" 0 "rows read" $ESFMON "$H/h3.csv" "$H/h4.csv" "$H/h3.gz" "$H/h4.gz" "$G" --max-rejects 9
# 2. the targets file is read, so never written
printf 'OI1,5\n' > "$H/tg.csv"; cp "$H/tg.csv" "$H/tg.orig"
expect_exit "targets: -o naming the targets file is a usage error" 1 "output '.*tg.csv' is the targets file" $ESFMON -q $M --targets "$H/tg.csv" -o "$H/tg.csv" "$G"
expect_exit "targets: --rejects naming the targets file is a usage error" 1 "rejects '.*tg.csv' is the targets file" $ESFMON -q $M --targets "$H/tg.csv" --rejects "$H/tg.csv" "$G"
check "targets: left as they were" cmp -s "$H/tg.csv" "$H/tg.orig"
# 3. standard output redirected to a file is a file the run writes
expect_exit "stdout: --rejects naming the file standard output goes to is a usage error" 1 "rejects '.*so.csv' is standard output, where the tables go" sh -c "$ESFMON -q $M --rejects '$H/so.csv' '$G' > '$H/so.csv'"
expect_exit "stdout: --suppression-log naming it is a usage error" 1 "suppression-log '.*so.csv' is standard output, where the tables go" sh -c "$ESFMON -q $M --suppress-below 5 --suppression-log '$H/so.csv' '$G' > '$H/so.csv'"
expect_exit "stdout: --rejects /dev/stdout while the tables go to standard output (a pipe) is a usage error" 1 "rejects '/dev/stdout' is standard output, where the tables go" bash -c "set -o pipefail; $ESFMON -q $M --rejects /dev/stdout '$G' | cat"
check "stdout: --rejects /dev/stdout with the tables in -o is fine" bash -c "set -o pipefail; $ESFMON -q $M -o /dev/null --rejects /dev/stdout '$G' | grep -q '^file,line,reason'"
expect_exit "stdout: appending the tables to the input is a usage error" 1 "standard output is the input '.*in.csv'" sh -c "$ESFMON -q $M '$H/in.csv' >> '$H/in.csv'"
check "stdout: the input appended to is left as it was" intact
# 4. every file is put in place together, only when the run succeeds
echo old > "$H/o.csv"; cp "$H/o.csv" "$H/o.orig"
expect_exit "commit: a suppression log that cannot be written fails the run (exit 2)" 2 "no output written" $ESFMON -q $M -o "$H/o.csv" --suppress-below 5 --suppression-log /dev/full "$G"
check "commit: ... and -o is left as it was" cmp -s "$H/o.csv" "$H/o.orig"
echo old > "$H/r.csv"; cp "$H/r.csv" "$H/r.orig"
expect_exit "commit: a run that fails (a missing input after a good one)" 2 "no output written" $ESFMON -q $M --rejects "$H/r.csv" -o "$H/o.csv" "$G" "$H/missing.csv"
check "commit: ... leaves the earlier rejects file and -o as they were" bash -c "cmp -s '$H/r.csv' '$H/r.orig' && cmp -s '$H/o.csv' '$H/o.orig'"
check "commit: ... and no temporary file" bash -c "! ls '$H' | grep -q '\.tmp\.'"
$ESFMON -q $M --rejects "$H/r.csv" -o "$H/o.csv" "$G"
check "commit: a run that succeeds writes both" bash -c "grep -q '^file,line,reason' '$H/r.csv' && grep -q '^table,group' '$H/o.csv'"
cp "$H/o.csv" "$H/o.orig"; cp "$H/r.csv" "$H/r.orig"
for sig in TERM INT; do
    rm -f "$H/fifo"; mkfifo "$H/fifo"
    env --default-signal=INT $ESFMON -q $M --rejects "$H/r.csv" -o "$H/o.csv" - < "$H/fifo" 2> /dev/null & pid=$!
    exec 7> "$H/fifo"; cat "$G" >&7; sleep 0.5
    kill -$sig $pid; wait $pid; rc=$?; exec 7>&-
    want=$((128 + $(kill -l $sig)))
    if [ $rc -eq $want ] && cmp -s "$H/o.csv" "$H/o.orig" && cmp -s "$H/r.csv" "$H/r.orig" && ! ls "$H" | grep -q '\.tmp\.'
    then ok "commit: SIG$sig while reading: exit $want, no temporary file, the outputs as they were"
    else bad "commit: SIG$sig while reading: exit $want, no temporary file, the outputs as they were" "exit $rc; $(ls "$H" | grep tmp)"; fi
done
# 5. a replaced file keeps its bits; a link is written through
chmod 600 "$H/o.csv"
$ESFMON -q $M -o "$H/o.csv" "$G"
check "commit: a replaced 0600 output stays 0600" [ "$(stat -c %a "$H/o.csv")" = 600 ]
echo old > "$H/real.csv"; ln -sf real.csv "$H/link.csv"; ln -sf absent.csv "$H/dangling.csv"
$ESFMON -q $M -o "$H/link.csv" --rejects "$H/dangling.csv" "$G"
check "commit: -o naming a symbolic link replaces the file it points to, the link stays" bash -c "[ -L '$H/link.csv' ] && grep -q '^table,group' '$H/real.csv'"
check "commit: a dangling link is written through (the file it names is made)" bash -c "[ -L '$H/dangling.csv' ] && grep -q '^file,line' '$H/absent.csv'"
# 6. concatenated exports: a header again whatever its other fields are
{ head -1 "$G"; sed -n 2,6p "$G"; } > "$H/a.csv"
tailrows() { sed -n 7,12p "$G"; }
{ head -1 "$G" | sed 's/$/,/'; tailrows | sed 's/$/,/'; } > "$H/b-trailing.csv"
{ head -1 "$G" | sed 's/$/,2e kolom #1: ü/'; tailrows | sed 's/$/,x/'; } > "$H/b-odd.csv"
{ head -1 "$G" | sed 's/^rinpersoons,rinpersoon,/rinpersoons,id,/'; tailrows; } > "$H/a-id.csv"
for b in b-trailing b-odd; do
    $ESFMON -q $M "$H/a.csv" "$H/$b.csv" > "$H/files.out"
    cat "$H/a.csv" "$H/$b.csv" > "$H/cat.csv"
    if $ESFMON -q $M -j 2 --chunk-size 1024 "$H/cat.csv" | cmp -s - "$H/files.out" && cat "$H/cat.csv" | $ESFMON -q $M - | cmp -s - "$H/files.out"
    then ok "concatenated exports: a header again with $b columns reads as the files one by one"
    else bad "concatenated exports: a header again with $b columns reads as the files one by one"; fi
done
$ESFMON -q $M --column rinpersoon=id "$H/a.csv" "$H/a-id.csv" > "$H/files.out"
check "concatenated exports: a --column header missing from the second file's header (which has the name)" bash -c "cat '$H/a-id.csv' '$H/a.csv' | $ESFMON -q $M --column rinpersoon=id - | cmp -s - <($ESFMON -q $M --column rinpersoon=id '$H/a-id.csv' '$H/a.csv')"
{ cat "$H/a.csv"; head -1 "$G" | sed 's/,eind,/,x,/'; tailrows; } > "$H/cat-bad.csv"
expect_exit "concatenated exports: a header again where a --column mapping matches nothing: exit 2 at its line" 2 "cat-bad.csv:7: --column eind=einddatum matches no column" $ESFMON -q $M -j 2 --chunk-size 1024 --column eind=einddatum "$H/cat-bad.csv"
# 7. numeric option values: digits only
for v in ' -1' '-1' '+5' '5 ' ' 5' '' '1e3' '0x10' '18446744073709551616'; do
    expect_exit "usage: --max-rejects '$v' is a usage error naming the option" 1 "max-rejects: not a count.*'$v'" $ESFMON -q --max-rejects "$v" "$G"
done
for o in --jobs --round --suppress-below --chunk-size; do
    expect_exit "usage: $o ' 2' is a usage error naming the option" 1 "$o: not a" $ESFMON -q $o ' 2' "$G"
done
# 8. numbers with any number of decimals
{ head -1 "$G" | sed 's/$/,uren_start,uurloon_eind/'; echo 'R,900000001,P9,uwv,,m,19900101,20150101,,,werkzaam,,,,,,,32.1234567891,12.00000000000000001'; echo 'R,900000002,P9,uwv,,m,19900101,20150101,,,werkzaam,,,,,,,168.0000000001,1'; } > "$H/dec.csv"
expect_exit "numbers: many decimals are valid, just above 168 hours is getal" 3 "2 rows read, 1 accepted, 1 rejected" $ESFMON $M --max-rejects 0 "$H/dec.csv"
check "numbers: the reject is the 168.0000000001 hours" has "$T/x.err" "dec.csv:3: getal: uren_start '168.0000000001'"
# 9. resources: memory bounded whatever the options; long lines linear
rss() { python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)' "$@"; }
if [ -z "$LIGHT" ]; then
    $ESFGEN --persons 400000 -o "$H/big" 2>/dev/null
    mb=$(rss $ESFMON -q -j 2 --chunk-size 1073741824 --max-rejects 1000000 "$H/big/extract_01.csv")
    check "memory: -j 2 --chunk-size 1 GiB on a 67 MB extract stays under 600 MB ($mb MB)" [ "$mb" -lt 600 ]
    mb=$(rss $ESFMON -q -j 2 --chunk-size 268435456 $M "$G")
    check "memory: --chunk-size 256 MiB on a small extract stays under 100 MB ($mb MB)" [ "$mb" -lt 100 ]
    rm -rf "$H/big"
fi
expect_exit "long lines: a header followed by /dev/zero ends (exit 2, not text)" 2 "<stdin>:2: a record of more than 64 MiB holding NUL bytes" sh -c "{ head -1 '$G'; cat /dev/zero; } | timeout 120 $ESFMON -q -j 2 -"
expect_exit "long lines: a header line of more than 64 MiB is an input error" 2 "the header line is longer than 64 MiB" sh -c "head -c 80000000 /dev/zero | tr '\\0' a | $ESFMON -q -"
# 10. many inputs: each hashed once; a copy among them still found
mkdir -p "$H/many"
python3 - "$G" "$H/many" <<'PY'
import sys
hdr = open(sys.argv[1]).readline().strip()
for i in range(2000):
    open(f"{sys.argv[2]}/f{i:04d}.csv", "w").write(f"{hdr}\nR,{i:09d},P1,gemeente,,m,19900101,20150101,,,,,,,,,\n")
PY
expect_exit "many inputs: 2,000 files of one size are read, none a copy" 0 "2000 rows read, 2000 accepted" $ESFMON "$H/many"/*.csv
cp "$H/many/f0100.csv" "$H/many/g-copy.csv"
expect_exit "many inputs: a copy among 2,001 files of one size is found" 1 "g-copy.csv' has the same bytes as '.*f0100.csv'" $ESFMON -q "$H/many"/*.csv
rm -rf "$H/many"
# 11. messages that say what the input is
gzip -c "$G" | gzip -c > "$H/gg.gz"
expect_exit "not text: a gzip inside a gzip is named so, not UTF-16" 2 "gg.gz: is gzip-compressed (once more, inside the gzip).*gzip -dc '.*gg.gz' | gzip -dc | esfmon -" $ESFMON -q "$H/gg.gz"
printf 'BZh91AY&SY' | gzip -c > "$H/bz.gz"
expect_exit "not text: bzip2 inside gzip gets advice that works" 2 "bz.gz: is bzip2-compressed.*gzip -dc '.*bz.gz' | bzip2 -dc | esfmon -" $ESFMON -q "$H/bz.gz"
printf '$FL2@(#) IBM SPSS STATISTICS 64-bit\0\0\0\2' > "$H/x.sav"
expect_exit "not text: a broken SPSS file is named so, not UTF-16" 2 "x.sav: an SPSS data file (.sav) that cannot be read" $ESFMON -q "$H/x.sav"
printf '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0' > "$H/x.xls"
expect_exit "not text: an old Excel file is named, with advice to save it as CSV" 2 "x.xls: is an old Excel .xls file.*CSV" $ESFMON -q "$H/x.xls"
gzip -c "$G" | python3 -c 'import sys; d = bytearray(sys.stdin.buffer.read()); d[3] |= 0x20; sys.stdout.buffer.write(d)' > "$H/flag.gz"
expect_exit "gzip: a reserved header flag bit is an error (RFC 1952)" 2 "flag.gz: corrupt gzip: reserved header flag bits set" $ESFMON -q "$H/flag.gz"
expect_exit "--column: two columns mapped to one header are named so" 1 "'rinpersoon' and 'project' are both mapped to the header 'id'" $ESFMON -q --column rinpersoon=id --column project=id "$G"
expect_exit "--suppression-log with --suppress-below 0: says 0 suppresses nothing" 1 "suppress-below 0 suppresses nothing" $ESFMON -q --suppress-below 0 --suppression-log "$H/log.csv" "$G"
expect_exit "--suppress-below near 2^31: a usage error before any input is read" 1 "suppress-below: not a count from 0 to 1000000" $ESFMON -q --suppress-below 2147483647 "$H/missing.csv"
expect_exit "-o '': a usage error before any input is read" 1 "output: an empty file name" $ESFMON -q -o '' "$H/missing.csv"
expect_exit "/proc: a file whose size says 0 is read, not 'empty'" 2 "/proc/self/status:1: missing required column" $ESFMON -q /proc/self/status
printf 'OI1,72,500\n' > "$H/tg3.csv"
expect_exit "targets: OI1,72,500 in a comma file says to write 72500" 1 "tg3.csv:1: target of OI1 is a whole number of persons: write 72500" $ESFMON -q --targets "$H/tg3.csv" "$G"
{ head -1 "$G"; sed -n 2p "$G" | sed 's/,P2,/,P\x1b[2J\x07,/'; } > "$H/esc.csv"
$ESFMON -q -f text "$H/esc.csv" > "$H/esc.text"; $ESFMON -q -f markdown "$H/esc.csv" > "$H/esc.md"
check "reports: control bytes of a project id are escaped in text (\\x1b), never raw" bash -c "grep -qF 'P\\x1b[2J\\x07' '$H/esc.text' && ! grep -q \$'\\x1b' '$H/esc.text'"
check "reports: ... and in Markdown (\\\\x1b, a backslash escaped), never raw" bash -c "grep -qF 'P\\\\x1b[2J\\\\x07' '$H/esc.md' && ! grep -q \$'\\x1b' '$H/esc.md'"
