# one pass, every output, and a record of the run (SPEC §8)
# Sourced by tests/e2e.sh (helpers in tests/e2e/lib.sh), in order.
O=$T/outputs; rm -rf "$O"; mkdir -p "$O"
M="--max-rejects 9"
# 1. several outputs from one pass, each in the format its name says
for dc in "" "--round 5 --suppress-below 3"; do
    tag=${dc:+ (--round 5 --suppress-below 3)}
    in=$G; [ -n "$dc" ] && in=$D
    $ESFMON -q $M $dc -o "$O/t.csv" -o "$O/t.json" -o "$O/r.html" -o "$O/r.txt" -o "$O/r.md" "$in"
    ok_all=true
    for f in csv:t.csv json:t.json html:r.html text:r.txt markdown:r.md; do
        $ESFMON -q $M $dc -f "${f%%:*}" "$in" | cmp -s - "$O/${f#*:}" || { ok_all=false; echo "  ${f#*:} differs" >&2; }
    done
    check "outputs: five formats from one pass equal five runs of one$tag" $ok_all
    check "outputs: the CSV, the JSON and the HTML's data-values hold the same numbers$tag" python3 - "$O/t.csv" "$O/t.json" "$O/r.html" <<'PY'
import csv, json, re, sys, html
rows = list(csv.reader(open(sys.argv[1], newline="")))[1:]
flat = {tuple(r[:5]): r[5] for r in rows}
j = json.load(open(sys.argv[2]))
def walk(d, keys):
    if not isinstance(d, dict):
        yield tuple(keys), d
        return
    for k, v in d.items():
        yield from walk(v, keys + [k])
seen = 0
for key, v in walk(j, []):
    if len(key) != 5:
        continue
    want = flat.get(key)
    assert want is not None, key
    got = "" if v is None else ("x" if v == "x" else str(v))
    if isinstance(v, float):
        got = ("%.1f" % v) if "." in want else str(v)
    assert got == want or (isinstance(v, (int, float)) and float(v) == float(want)), (key, v, want)
    seen += 1
assert seen == len(flat), (seen, len(flat))
marks = re.findall(r'data-key="([^"]*)" data-value="([^"]*)"', open(sys.argv[3]).read())
assert marks
for k, v in marks:
    assert flat[tuple(html.unescape(k).split("|"))] == html.unescape(v), (k, v)
PY
done
$ESFMON -q $M -f json -o "$O/a.out" -o "$O/b.data" "$G"
check "outputs: --format once for all names whatever their extension" bash -c "python3 -m json.tool '$O/a.out' >/dev/null && cmp -s '$O/a.out' '$O/b.data'"
expect_exit "outputs: an unknown extension without --format is a usage error that lists the known ones" 1 "-o '.*t.xlsx': the format is not known from its name: give it one of .csv .json .md .txt .html" $ESFMON -q $M -o "$O/t.csv" -o "$O/t.xlsx" "$G"
check "outputs: ... and nothing is written" [ ! -e "$O/t.xlsx" ]
expect_exit "outputs: standard output twice is a usage error" 1 "standard output given twice" $ESFMON -q $M -o - -o - "$G"
expect_exit "outputs: one file named twice is a usage error" 1 "are the same file" $ESFMON -q $M -o "$O/t.csv" -o "$O/./t.csv" "$G"
expect_exit "outputs: a device takes the default format, whatever its name" 0 "rows read" $ESFMON $M -o /dev/null -o "$O/t.csv" "$G"
echo old > "$O/keep.csv"; cp "$O/keep.csv" "$O/keep.orig"
expect_exit "outputs: one output that cannot be written fails the run" 2 "no output written" $ESFMON -q $M -o "$O/keep.csv" -o /dev/full "$G"
check "outputs: ... and the others are left as they were" cmp -s "$O/keep.csv" "$O/keep.orig"
# 2. the record of the run
PYJS=; for p in python3 /usr/bin/python3; do $p -c 'import jsonschema' 2>/dev/null && { PYJS=$p; break; }; done
valid() { # manifest: it validates against docs/manifest.schema.json
    if [ -z "$PYJS" ]; then echo "  no python3 with jsonschema (scripts/install-deps.sh installs python3-jsonschema)" >&2; return 1; fi
    $PYJS - "$1" <<'PY'
import json, sys, jsonschema
schema = json.load(open("docs/manifest.schema.json"))
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.validate(json.load(open(sys.argv[1])), schema, cls=jsonschema.Draft202012Validator)
PY
}
# field FILE PYEXPR: the value of a Python expression over the manifest m
field() { python3 -c "import json, sys; m = json.load(open(sys.argv[1])); print($2)" "$1"; }
xx() { xxh128sum "$1" 2>/dev/null | cut -d' ' -f1; }
gzip -c "$G" > "$O/g.gz"; sed 's/,/;/g' "$G" > "$O/semi.csv"
$ESFMON -q $M --rejects "$O/rej.csv" -o "$O/m.csv" -o "$O/m.html" --manifest "$O/run.json" "$G" "$O/g.gz" - < "$O/semi.csv"
check "manifest: validates against docs/manifest.schema.json" valid "$O/run.json"
check "manifest: each input's digest is xxh128sum's of its bytes (plain, gzip, standard input)" [ "$(field "$O/run.json" '" ".join(i["digest_xxh3_128"] for i in m["inputs"])')" = "$(xx "$G") $(xx "$O/g.gz") $(xx "$O/semi.csv")" ]
check "manifest: each output's size and digest are those of the file written" [ "$(field "$O/run.json" '" ".join("%s:%s" % (o["size"], o["digest_xxh3_128"]) for o in m["outputs"])')" = "$(stat -c %s "$O/m.csv"):$(xx "$O/m.csv") $(stat -c %s "$O/m.html"):$(xx "$O/m.html") $(stat -c %s "$O/rej.csv"):$(xx "$O/rej.csv")" ]
check "manifest: inputs' dialects and rows (their rows add up to the run's)" [ "$(field "$O/run.json" '"%s %s %s %s" % ([i["dialect"]["delimiter"] for i in m["inputs"]], [i["format"] for i in m["inputs"]], sum(i["rows"]["read"] for i in m["inputs"]) == m["rows"]["read"] == 27, m["inputs"][2]["dialect"]["columns"][:2])')" = "[',', ',', ';'] ['csv', 'gzip', 'csv'] True ['rinpersoons', 'rinpersoon']" ]
check "manifest: version, command line, options, times, exit status" [ "$(field "$O/run.json" '"%s %s %s %s %s %s" % (m["esfmon"]["version"] != "", m["command"][-1], m["options"]["max_rejects"], m["options"]["output"], m["start"] <= m["end"], m["exit_status"])')" = "True - 9 ['$O/m.csv', '$O/m.html'] True 0" ]
for j in 1 2; do for src in file gz pipe; do
    case $src in file) in=("$G");; gz) in=("$O/g.gz");; pipe) in=(-);; esac
    $ESFMON -q $M -j $j --chunk-size 1024 -o "$O/d.csv" --manifest "$O/d$j$src.json" "${in[@]}" < "$O/g.gz"
done; done
check "manifest: the digest as read is the same at -j 1 and -j 2, plain, gzip'd and through a pipe" [ "$(for f in "$O"/d[12]*.json; do field "$f" 'm["inputs"][0]["digest_xxh3_128"]'; done | sort -u | tr '\n' ' ')" = "$(xx "$G") $(xx "$O/g.gz") " -o "$(for f in "$O"/d[12]*.json; do field "$f" 'm["inputs"][0]["digest_xxh3_128"]'; done | sort -u | tr '\n' ' ')" = "$(xx "$O/g.gz") $(xx "$G") " ]
$ESFMON -q $M --suppress-below 3 --suppression-log "$O/log.csv" -o "$O/p.csv" --manifest "$O/p.json" "$D"
check "manifest: the protection applied and the cells suppressed by reason" [ "$(field "$O/p.json" '"%s %s" % (m["protection"]["suppress_below"], sum(m["protection"]["suppressed"].values()) == len([l for l in open(sys.argv[1].replace("p.json", "log.csv")) if not l.startswith("#")]) - 1)')" = "3 True" ]
echo old > "$O/keep.csv"
$ESFMON -q $M -o "$O/keep.csv" --manifest "$O/fail.json" "$G" "$O/missing.csv" 2>/dev/null; rc=$?
check "manifest: a run that fails writes it, with the error and its status" [ "$rc" = 2 ] && valid "$O/fail.json" && [ "$(field "$O/fail.json" '"%s|%s|%s" % (m["exit_status"], m["error"], [o["written"] for o in m["outputs"]])')" = "2|$O/missing.csv: cannot open: No such file or directory|[False]" ]
check "manifest: ... and the outputs are left as they were" [ "$(cat "$O/keep.csv")" = old ]
cp "$G" "$O/in.csv"
expect_exit "manifest: naming an input is a usage error" 1 "manifest '.*in.csv' is the input" $ESFMON -q $M --manifest "$O/in.csv" "$O/in.csv"
check "manifest: ... and the input is left as it was" cmp -s "$O/in.csv" "$G"
# 3. a reject limit that is a share of the rows read (9 rows, 2 rejected: 22.2 %)
expect_exit "max-rejects: 25% of 9 rows tolerates 2 rejects" 0 "2 rejected" $ESFMON -o /dev/null --max-rejects 25% "$G"
expect_exit "max-rejects: 20% of 9 rows does not (exit 3, named)" 3 "2 rejected rows, more than --max-rejects 20% of the rows read" $ESFMON -o /dev/null --max-rejects 20% "$G"
expect_exit "max-rejects: 22.3% tolerates, 22.2% does not (exact, not rounded)" 3 "more than --max-rejects 22.2%" sh -c "$ESFMON -q -o /dev/null --max-rejects 22.3% '$G' && $ESFMON -o /dev/null --max-rejects 22.2% '$G'"
for v in '-1%' '%' '1.2.3%' '101%' '5 %' 'abc' '0.5%%' '0.0000001%'; do
    expect_exit "max-rejects: '$v' is a usage error" 1 "max-rejects: not a count or a share" $ESFMON -q --max-rejects "$v" "$G"
done
