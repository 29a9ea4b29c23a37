# invariance: the same extract in other shapes gives the same bytes
# Sourced by tests/e2e.sh (helpers in tests/e2e/lib.sh), in order:
# files before it leave fixtures in $T.
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
