# statistical files (SPEC §2.8): SPSS (.sav, .zsav), Stata (.dta) and SAS
# (.sas7bdat) files that esfgen writes through ReadStat give the tables of
# the same data as CSV, byte for byte, for every -j; value labels, date
# formats and missing values are mixed in them (esfgen --format); cases
# are named as such; damaged and cut files are exit 2.
S=$T/stat; rm -rf "$S"; mkdir -p "$S"
if ! $ESFMON --version | grep -q "read through ReadStat"; then
    bad "this esfmon was built without ReadStat" "$($ESFMON --version | tail -1)"
else
# the sanitizer and zlib builds (LIGHT) watch memory and threads, not the
# formats: two formats, one thread count
FMTS="sav zsav dta sas7bdat" JS="1 4" JFIVE="1 2 4 8"
[ -n "$LIGHT" ] && FMTS="sav dta" JS="4" JFIVE="4"
for d in canonical messy; do
    for f in csv $FMTS; do
        $ESFGEN --persons 4000 --files 2 --seed 7 --dialect $d --format $f -o "$S/$d-$f" 2>/dev/null
    done
    $ESFMON -q --max-rejects 100% -j 1 "$S/$d-csv"/extract_0*.csv > "$S/$d.out"
    for f in $FMTS; do
        for j in $JS; do
            check "$d .$f gives the CSV's tables at -j $j" bash -c \
                "$ESFMON -q --max-rejects 100% -j $j --chunk-size 4096 '$S/$d-$f'/extract_0*.$f | cmp -s - '$S/$d.out'"
        done
    done
done
check "the messy extract has rejects, so the comparison covers them" \
    bash -c "$ESFMON --max-rejects 100% '$S/messy-sav'/extract_0*.sav 2>&1 >/dev/null | grep -Eq '[1-9][0-9]* rejected'"
# the JSON and the other formats too, and with the options that change counts
for o in "-f json" "--period 20150101:20161231" "--peildatum 1-7-2018 -f json" "--suppress-below 5 --round 5"; do
    check ".dta equals CSV with $o" bash -c "cmp -s <($ESFMON -q --max-rejects 100% $o '$S/messy-dta'/extract_0*.dta) <($ESFMON -q --max-rejects 100% $o '$S/messy-csv'/extract_0*.csv)"
done
# a mix of formats in one run is one extract
check ".sav and .dta mixed in one run are the two files as CSV" bash -c \
    "$ESFMON -q --max-rejects 100% '$S/messy-sav/extract_01.sav' '$S/messy-dta/extract_02.dta' | cmp -s - '$S/messy.out'"
# several files converted side by side (one per thread, opened ahead)
$ESFGEN --persons 4000 --files 5 --seed 7 --dialect messy --format dta -o "$S/five-dta" 2>/dev/null
$ESFGEN --persons 4000 --files 5 --seed 7 --dialect messy --format csv -o "$S/five-csv" 2>/dev/null
$ESFMON -q --max-rejects 100% -j 1 "$S/five-csv"/extract_0*.csv > "$S/five.out"
for j in $JFIVE; do
    check "five .dta files at -j $j give the five CSV files' tables" bash -c \
        "$ESFMON -q --max-rejects 100% -j $j '$S/five-dta'/extract_0*.dta | cmp -s - '$S/five.out'"
done
rm -f "$S/five-dta/extract_03.dta"
expect_exit "a missing third file of five: exit 2 at its turn, naming it" 2 "extract_03.dta: cannot open" $ESFMON -q -j 4 --max-rejects 100% "$S/five-dta/extract_01.dta" "$S/five-dta/extract_02.dta" "$S/five-dta/extract_03.dta" "$S/five-dta/extract_04.dta" "$S/five-dta/extract_05.dta"
# standard input
check "a .sav on standard input" bash -c "$ESFMON -q --max-rejects 100% - '$S/canonical-sav/extract_02.sav' < '$S/canonical-sav/extract_01.sav' | cmp -s - '$S/canonical.out'"
# rejects name the case; the rejects file says 'case N' in its line column
$ESFMON -q --max-rejects 100% --rejects "$S/rej.csv" "$S/messy-sav"/extract_0*.sav > /dev/null
check "rejects name the case (file:case N)" has "$S/rej.csv" '^"?[^,]*extract_01\.sav"?,case [0-9]+,'
$ESFMON -q --max-rejects 100% --rejects "$S/rej-csv.csv" "$S/messy-csv"/extract_0*.csv > /dev/null
check "as many rejects as from the CSV, for the same reasons" [ "$(cut -d, -f3,4 "$S/rej.csv" | sort)" = "$(cut -d, -f3,4 "$S/rej-csv.csv" | sort)" ]
expect_exit "stderr names a case" 3 "extract_01.sav:case [0-9]*: " $ESFMON "$S/messy-sav/extract_01.sav"
# damaged and cut short: exit 2 naming the file and ReadStat's words
for f in $FMTS; do
    s=$(stat -c %s "$S/canonical-$f/extract_01.$f")
    head -c $((s * 2 / 3)) "$S/canonical-$f/extract_01.$f" > "$S/cut.$f"
    expect_exit "a .$f cut short is exit 2, nothing written" 2 "cut.$f: .*cut short" $ESFMON -q -o "$S/cut-$f.csv" "$S/cut.$f"
    check "no output from the cut .$f" [ ! -e "$S/cut-$f.csv" ]
done
cp "$S/canonical-sav/extract_01.sav" "$S/bad.sav"; printf 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' | dd of="$S/bad.sav" bs=1 seek=180 conv=notrunc 2>/dev/null
expect_exit "a damaged .sav is exit 2 with what ReadStat reported" 2 "bad.sav: an SPSS data file (.sav) .*ReadStat: " $ESFMON -q "$S/bad.sav"
gzip -c "$S/canonical-sav/extract_01.sav" > "$S/g.sav.gz"
expect_exit "a gzip'd .sav is named, with what to do" 2 "g.sav.gz: is an SPSS data file (.sav) inside the gzip.*gzip -dc" $ESFMON -q "$S/g.sav.gz"
# the manifest records the format and the digest of the file's own bytes
$ESFMON -q --manifest "$S/m.json" -o "$S/m.csv" "$S/canonical-dta/extract_01.dta"
check "manifest: format dta, the file's size and XXH3-128" [ "$(python3 -c 'import json,sys; i=json.load(open(sys.argv[1]))["inputs"][0]; print(i["format"], i["size"], i["digest_xxh3_128"])' "$S/m.json")" = "dta $(stat -c %s "$S/canonical-dta/extract_01.dta") $(xxh128sum "$S/canonical-dta/extract_01.dta" | cut -d' ' -f1)" ]
# the same file twice is a copy, as a CSV is
expect_exit "the same .sav twice is refused as a copy" 1 "extract_01.sav" $ESFMON -q "$S/canonical-sav/extract_01.sav" "$S/canonical-sav/extract_01.sav"
check "--version says they are read" bash -c "$ESFMON --version | grep -q 'SPSS, Stata and SAS files: read through ReadStat'"
fi
