# definitions that reconcile (SPEC §5): results by L's start, the projects'
# applicant, the reference date (--peildatum)
# Sourced by tests/e2e.sh (helpers in tests/e2e/lib.sh), in order.
P=$T/monitor; rm -rf "$P"; mkdir -p "$P"
M="--max-rejects 9"
# 1. the reference date, worked out by hand on the golden extract: with
# --peildatum 2016-05-01, A (P2, eind 1-6-2015), B (U1, 1-3-2016), C (J1,
# 1-6-2015) and D (J3, 1-6-2018) all ended less than 12 months before it (or
# after it): none is observable at 12 months.  RI2 (amr: A) and RI4 (uwv: B)
# keep no one; every other measure is as without it.
$ESFMON -q $M --peildatum 2016-05-01 "$G" > "$P/pd.csv"
$ESFMON -q $M "$G" > "$P/nopd.csv"
check "peildatum: niet_waarneembaar_12m by hand (totaal 4, jenv 2, amr 1, uwv 1)" has "$P/pd.csv" \
    '^resultaten,totaal,totaal,totaal,niet_waarneembaar_12m,4$' '^resultaten,jenv,totaal,totaal,niet_waarneembaar_12m,2$' \
    '^resultaten,amr,totaal,totaal,niet_waarneembaar_12m,1$' '^resultaten,uwv,totaal,totaal,niet_waarneembaar_12m,1$'
check "peildatum: RI2 and RI4 leave them out of teller and noemer" has "$P/pd.csv" \
    '^indicatoren,amr,indicator,RI2,noemer,0$' '^indicatoren,amr,indicator,RI2,teller,0$' '^indicatoren,amr,indicator,RI2,procent,$' \
    '^indicatoren,uwv,indicator,RI4,noemer,0$' '^indicatoren,uwv,indicator,RI4_bekend,noemer,0$'
check "peildatum: every other cell as without it" bash -c "cmp -s <(grep -v 'niet_waarneembaar_12m\|,RI[24]\(_bekend\)\?,' '$P/pd.csv') <(grep -v ',RI[24]\(_bekend\)\?,' '$P/nopd.csv')"
check "peildatum: without it there is no niet_waarneembaar_12m" lacks "$P/nopd.csv" niet_waarneembaar
check "peildatum: a date 12 months after every end changes nothing but adds the measure (all 0)" bash -c "cmp -s <($ESFMON -q $M --peildatum 2019-06-01 '$G' | grep -v niet_waarneembaar_12m) '$P/nopd.csv' && ! $ESFMON -q $M --peildatum 2019-06-01 '$G' | grep -q 'niet_waarneembaar_12m,[1-9]'"
check "peildatum: 29-2-2016 + 12 months is 1-3-2017 (an end on 29-2-2016 is observable on 1-3-2017, not on 28-2-2017)" bash -c "
    { head -1 '$G'; echo 'R,900000001,P9,uwv,,m,,20150101,20160229,,werkzaam,werkzaam,werkzaam,,,,'; } > '$P/leap.csv'
    $ESFMON -q --peildatum 2017-03-01 '$P/leap.csv' | grep -q '^resultaten,uwv,totaal,totaal,niet_waarneembaar_12m,0$' &&
    $ESFMON -q --peildatum 2017-02-28 '$P/leap.csv' | grep -q '^resultaten,uwv,totaal,totaal,niet_waarneembaar_12m,1$'"
expect_exit "peildatum: not a date is a usage error" 1 "peildatum: not a date" $ESFMON -q --peildatum 2016-13-01 "$G"
check "peildatum: the report states it" bash -c "$ESFMON -q $M -f text --peildatum 1-5-2016 '$G' | grep -q 'Peildatum 1-5-2016: wie minder dan 12 maanden eerder afrondde'"
$ESFMON -q $M --peildatum 2016-05-01 -o "$P/m.csv" --manifest "$P/m.json" "$G"
check "peildatum: the record of the run gives it" python3 -c "
import json, sys; m = json.load(open(sys.argv[1])); assert m['protection']['reference_date'] == '2016-05-01' and m['options']['peildatum'] == '2016-05-01'" "$P/m.json"
# 2. against the reference, and its relations under disclosure control
rm -rf "$P/gen"; $ESFGEN --persons 20000 --seed 13 --files 2 --dialect messy -o "$P/gen" 2>/dev/null
$REF --peildatum 2017-06-30 "$P/gen"/*.csv > "$P/ref.csv"
for j in 1 2; do
    check "peildatum: a messy extract equals the reference (-j $j)" bash -c "$ESFMON -q --max-rejects 1000000 -j $j --peildatum 2017-06-30 '$P/gen'/*.csv | cmp -s - '$P/ref.csv'"
done
check "peildatum: sums and reconciliations hold" python3 tests/e2e/sums.py "$P/ref.csv"
check "peildatum: the extract has persons both ways" bash -c "grep -q '^resultaten,totaal,totaal,totaal,niet_waarneembaar_12m,[1-9]' '$P/ref.csv' && [ \$(grep '^resultaten,totaal,totaal,totaal,niet_waarneembaar_12m,' '$P/ref.csv' | cut -d, -f6) -lt \$(grep '^resultaten,totaal,totaal,totaal,afgerond,' '$P/ref.csv' | cut -d, -f6) ]"
PYSCI=; for p in python3 /usr/bin/python3; do $p -c 'import scipy.optimize' 2>/dev/null && { PYSCI=$p; break; }; done
if [ -n "$PYSCI" ] && [ -z "$LIGHT" ]; then
    rm -rf "$P/small"; $ESFGEN --persons 3000 --seed 7 -o "$P/small" 2>/dev/null
    $ESFMON -q --max-rejects 100000 --peildatum 2017-06-30 "$P/small"/*.csv > "$P/ex.csv"
    $ESFMON -q --max-rejects 100000 --peildatum 2017-06-30 --suppress-below 5 --suppression-log "$P/lg.csv" "$P/small"/*.csv > "$P/pub.csv"
    check "peildatum: the audit (with its relations) finds no primary cell recoverable, N = 5" bash -c "$PYSCI tests/ref/audit.py '$P/ex.csv' '$P/pub.csv' 5 '$P/lg.csv' | grep -q ' 0 leak(s), 0 other error(s)'"
fi
# 3. the projects' applicant
{ head -1 "$G"; echo 'R,900000001,MIX,gemeente,,m,,20150101,,,,,,,,,'; echo 'R,900000002,MIX,uwv,,v,,20150101,,,,,,,,,'
  echo 'R,900000003,MIX,uwv,,v,,20150201,,,,,,,,,'; } > "$P/mix.csv"
check "projecten: trajecten by applicant (1 gemeente, 2 uwv)" bash -c "$ESFMON -q '$P/mix.csv' | grep -q '^projecten,MIX,aanvrager,uwv,trajecten,2$' && $ESFMON -q '$P/mix.csv' | grep -q '^projecten,MIX,aanvrager,gemeente,trajecten,1$'"
check "projecten: a project of two applicants is gemengd in the report" bash -c "$ESFMON -q -f text '$P/mix.csv' | grep -Eq '^MIX +gemengd'"
check "projecten: one of one applicant is shown with it" bash -c "$ESFMON -q -f text $M '$G' | grep -Eq '^U1 +UWV '"
# the report as the monitor lays it out (issue 35, part): target groups no
# applicant has are left out and named; tooltips in Dutch notation; value
# labels of the indicator chart clear of the target marks; sub-headings as
# such; page numbers and headings kept with what follows in print
$ESFMON -q $M -f text "$G" > "$T/mon.txt"; $ESFMON -q $M -f html "$G" > "$T/mon.html"
check "report: target groups without participants in any group are left out, and named" \
    bash -c "! grep -q '^Ouderen ' '$T/mon.txt' && grep -q 'Zonder deelnemers, weggelaten: .*Ouderen' '$T/mon.txt' && grep -q '^Gedetineerden ' '$T/mon.txt'"
$ESFMON -q --max-rejects 10000 -f html "$P/gen"/*.csv > "$T/big.html"
check "report: tooltips write counts as the tables do (1.234 van 5.678)" bash -c "grep -qE '<title>[^<]*: [0-9]{1,3}(\.[0-9]{3})+ van [0-9]{1,3}(\.[0-9]{3})+' '$T/big.html' && ! grep -qE '<title>[^<]*: [0-9]{4,} van' '$T/big.html'"
check "report: an indicator's value label starts after its target mark when the mark is near the bar's end" python3 - "$T/big.html" <<'PY'
import re, sys
svg = re.search(r'<svg id="c-indicatoren-ri".*?</svg>', open(sys.argv[1]).read(), re.S).group(0)
ok = True
for row in svg.split("\n"):
    bar = re.search(r'<rect x="(\d+)" y="\d+" width="([\d.]+)"', row)
    lab = re.search(r'class="vl">', row) and re.search(r'<text x="([\d.]+)" y="\d+" class="vl"', row)
    mark = re.search(r'<line x1="([\d.]+)"[^>]*class="target"', row)
    if bar and lab and mark:
        end, lx, mx = float(bar.group(1)) + float(bar.group(2)), float(lab.group(1)), float(mark.group(1))
        if lx <= mx < lx + 40:  # the mark would stand on the label
            print("label at", lx, "mark at", mx); ok = False
sys.exit(0 if ok else 1)
PY
check "report: sub-headings of a table are rows of their own kind" grep -q '<tr class="sub"><th colspan="10">Naar leeftijd</th></tr>' "$T/mon.html"
check "report: printed pages are numbered, headings kept with what follows" bash -c "grep -q '@bottom-center{content:\"ESF Actieve Inclusie: monitor .* counter(page)' '$T/mon.html' && grep -q 'h2,h3,figcaption,caption{break-after:avoid' '$T/mon.html'"
{ head -1 "$G"; for i in $(seq 1 12); do echo "R,90000$((1000 + i)),MIX2,gemeente,,m,,20150101,,,,,,,,,"; done
  for i in 1 2; do echo "R,90000$((2000 + i)),MIX2,uwv,,v,,20150101,,,,,,,,,"; done; } > "$P/mix2.csv"
check "projecten: the applicant follows the published cells (2 uwv rounded to 0: not gemengd)" bash -c \
    "$ESFMON -q -f text '$P/mix2.csv' | grep -Eq '^MIX2 +gemengd' && $ESFMON -q -f text --round 5 '$P/mix2.csv' | grep -Eq '^MIX2 +Gemeente '"
