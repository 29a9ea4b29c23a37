# output formats
# Sourced by tests/e2e.sh (helpers in tests/e2e/lib.sh), in order:
# files before it leave fixtures in $T.
# Snapshots of the human formats on the golden extract (reviewed when made;
# regenerate with the commands below and review the diff when a layout changes).
for f in text markdown json html; do
    if $ESFMON -q --max-rejects 2 --format $f "$G" | cmp -s - tests/golden/core.$f; then ok "format $f: golden snapshot"
    else bad "format $f: golden snapshot" "$ESFMON -q --max-rejects 2 --format $f $G > tests/golden/core.$f"; fi
done
if $ESFMON -q --format text --round 5 --suppress-below 5 "$D" | cmp -s - tests/golden/gen300.dc.text; then ok "format text with disclosure control: golden snapshot"
else bad "format text with disclosure control: golden snapshot" "$ESFMON -q --format text --round 5 --suppress-below 5 \$D > tests/golden/gen300.dc.text (esfgen --persons 300 --seed 3)"; fi
: > "$T/plain-mode"
$ESFMON -q --max-rejects 2 -o "$T/o-mode.csv" "$G"
check "-o FILE gets the permissions of an ordinary new file (umask), not 0600" \
    [ "$(stat -c %a "$T/o-mode.csv")" = "$(stat -c %a "$T/plain-mode")" ]
# The HTML report's structure: the ids of its sections, figures, charts and
# tables are stable (people link to them and tests find them by them).
if $ESFMON -q --max-rejects 2 --format html "$G" | grep -o ' id="[^"]*"' | cmp -s - tests/golden/core.html-ids
then ok "format html: stable ids of sections, figures and tables"
else bad "format html: stable ids of sections, figures and tables" "$ESFMON -q --max-rejects 2 --format html $G | grep -o ' id=\"[^\"]*\"' > tests/golden/core.html-ids"; fi
$ESFMON -q --format html --round 5 --suppress-below 5 "$D" > "$T/dc.html"
$ESFMON -q --round 5 --suppress-below 5 "$D" > "$T/dc.csv"
check "format html with disclosure control: suppressed cells drawn as marked gaps" grep -q 'class="sup"' "$T/dc.html"
# Rendered by a browser: no console error, a screenshot, and every number
# drawn equals the CSV of the same run (exact, and with disclosure control).
BROWSER=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$LIGHT" ]; then echo "SKIP html in headless Chromium: the page is the golden snapshot's, for the plain build"
elif [ -z "$BROWSER" ]; then bad "html in headless Chromium" "chromium not installed (scripts/install-deps.sh installs it)"
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
    in=$G; [ -n "$dc" ] && in=$D
    $ESFMON -q --max-rejects 2 $dc "$in" > "$T/f.csv"; $ESFMON -q --max-rejects 2 $dc --format json "$in" > "$T/f.json"
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
