#!/usr/bin/env python3
"""Random small extracts with many ties (few persons, projects and dates,
every column filled at random, some invalid values), for the differential
test against esfmon_ref.py.   random_extract.py SEED ROWS > file.csv"""
import random, sys

seed, n = int(sys.argv[1]), int(sys.argv[2])
R = random.Random(seed)
cols = ["rinpersoons", "rinpersoon", "project", "aanvrager", "doelgroep", "geslacht", "geboortedatum",
        "start", "eind", "eind_project", "positie_start", "positie_eind", "positie_12m", "contract_start",
        "contract_eind", "contract_12m", "uren_start", "uren_eind", "uren_12m", "uurloon_start",
        "uurloon_eind", "uurloon_12m", "srg_start", "srg_eind", "srg_12m", "onderwijs_start",
        "onderwijs_eind", "onderwijs_12m"]
dg = ["uitkering_6m", "arbeidsbelemmerd", "niet_uitkeringsontvanger", "statushouder", "jongere", "oudere",
      "gedetineerde", "tbs", "jji", "cji", "uwv_breed"]
vals = {
    "rinpersoons": ["R", "S", "", "R"],
    "rinpersoon": [str(i) for i in range(1, 25 if seed % 2 else 300)],  # odd seeds: many ties
    "project": ["P1", "P2", "P3", "\"P,4\"", "p1", "P10"],
    "aanvrager": ["gemeente", "vsopro", "vso/pro", "UWV", "jenv", "Gemeente"],
    "geslacht": ["m", "v", "", "MAN", "2", "1"],
    "geboortedatum": ["19900101", "19680229", "196802", "1990-06-15", "", "19840301"],
    "start": ["20140101", "2014-01-01", "20140301", "20120229", "20140101"],
    "eind": ["", "20150601", "2015-06-01", "20160101", "20180301", "20140101"],
    "eind_project": ["", "20151231", "20150601", "20180630"],
    "positie": ["werkzaam", "niet_werkzaam", "inactief", "onbekend", "", "Niet-Werkzaam"],
    "contract": ["", "vast", "tijdelijk", "O", "b"],
    # 10.125 and the huge uurloon do not fit a packed last (persons.h)
    "uren": ["", "10", "10.0", "\"12,5\"", "12.5", "8", "10.125", "10.12"],
    "uurloon": ["", "10", "11.25", "\"9,99\"", "98765432.5"],
    "bool": ["", "ja", "nee", "J", "0", "1"],
}
bad = {"geslacht": "x", "start": "20150231", "uren_eind": "169", "aanvrager": "gem", "eind": "2014-01-01"}
out = [",".join(cols)]
for _ in range(n):
    row = {}
    for c in cols:
        key = c.split("_")[0] if c.split("_")[0] in ("positie", "contract", "uren", "uurloon") else c
        if c.startswith(("srg", "onderwijs")):
            key = "bool"
        if c == "doelgroep":
            k = R.choice([0, 0, 1, 1, 2])
            row[c] = "\"" + "|".join(R.sample(dg, k)) + "\"" if k > 1 else "|".join(R.sample(dg, k))
        else:
            row[c] = R.choice(vals[key])
    if R.random() < 0.03:
        c = R.choice(list(bad))
        row[c] = bad[c]
    out.append(",".join(row[c] for c in cols))
sys.stdout.write("\n".join(out) + "\n")
