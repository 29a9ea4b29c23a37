# faults and limits
# Sourced by tests/e2e.sh (helpers in tests/e2e/lib.sh), in order:
# files before it leave fixtures in $T.
head -1 "$G" > "$T/hdr.csv"; printf '\xef\xbb\xbf' | cat - "$T/hdr.csv" > "$T/hdrbom.csv"
expect_exit "a file of only a header: 0 rows, exit 0" 0 "0 rows read" $ESFMON "$T/hdr.csv"
expect_exit "a header only, with BOM: exit 0" 0 "0 rows read" $ESFMON "$T/hdrbom.csv"
{ cat "$T/hdr.csv"; sed -n 2p "$G"; } > "$T/one.csv"
expect_exit "one row: the summary says 1 row, not 1 rows" 0 "esfmon: 1 row read, 1 accepted" $ESFMON "$T/one.csv"
sed -n 3p "$G" | sed 's/,gemeente,/,xx,/' >> "$T/one.csv"
expect_exit "one reject too many: 1 rejected row, not rows" 3 "esfmon: 1 rejected row, more than --max-rejects 0" $ESFMON "$T/one.csv"
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
# a record may hold 64 MiB (SPEC §2.4): a longer one is te_lang, skipped
# without being kept, and the row after it is counted
expect_exit "a line of 100 MB in a file, read on the calling thread (-j 1): te_lang, the next row counted" 3 "2 rows read, 1 accepted, 1 rejected" $ESFMON -j 1 "$T/long.csv"
check "a line of 100 MB: its reject names line 2, its size and te_lang" has "$T/x.err" "long.csv:2: te_lang: a record of 100000020 bytes, more than 64 MiB"
expect_exit "a line of 100 MB through a pipe: te_lang, the next row counted" 3 "2 rows read, 1 accepted, 1 rejected" sh -c "cat '$T/long.csv' | $ESFMON -"
gzip -1 -c "$T/long.csv" > "$T/long.gz"
expect_exit "a line of 100 MB in gzip, -j 2: te_lang, the next row counted" 3 "2 rows read, 1 accepted, 1 rejected" $ESFMON -j 2 "$T/long.gz"
rm -f "$T/long.csv" "$T/long.gz"
printf 'rinpersoon,project,aanvrager,start\n1,P\x00\xff\xfeQ,uwv,20150101\n2,P,uwv\x00,20150101\n\xc3\x28,P,jenv,20150101\n' > "$T/bytes.csv"
$ESFMON -q --max-rejects 5 --rejects "$T/bytes.rej" "$T/bytes.csv" > "$T/bytes.out" 2> "$T/bytes.err"; rc=$?
check "NUL and invalid UTF-8: ids pass through as bytes, codes are rejected" bash -c "[ $rc -eq 0 ] && grep -q 'rijen,geaccepteerd,n,2' '$T/bytes.out' && grep -q 'afwijzing,onbekende_code,n,1' '$T/bytes.out' && grep -qa \$'^projecten,P\\x00\\xff\\xfeQ,totaal,totaal,trajecten,1' '$T/bytes.out'"
check "  ... the rejects file quotes the record" bash -c "grep -qa \$',\"uwv\\x00\",\"2,P,uwv\\x00,20150101\"' '$T/bytes.rej'"
$ESFMON --max-rejects 5 "$T/bytes.csv" 2>&1 >/dev/null | grep -qF "bytes.csv:3: onbekende_code: aanvrager 'uwv\\x00'"
check "  ... stderr shows them escaped" [ $? -eq 0 ]
if [ -z "$LIGHT" ]; then
    row="1,P,uwv,20150101,$(head -c 4000 /dev/zero | tr '\0' x)"
    { echo "rinpersoon,project,aanvrager,start,toelichting"; yes "$row" | head -c 4500000000; echo; } | $ESFMON -q - > "$T/4g.out"
    check "over 4 GiB through stdin: every row counted (64-bit counts)" grep -q "invoer,invoer,rijen,gelezen,n,$(( (4500000000 + ${#row}) / (${#row} + 1) ))" "$T/4g.out"
else
    echo "SKIP over 4 GiB through stdin: volume, for the plain build"
fi
