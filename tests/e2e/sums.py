#!/usr/bin/env python3
"""Relations of SPEC §5/§6 that must hold between exact counts in esfmon's
CSV (argv[1]): over all projects, toegerekend and each attributed result
add up to the totaal row of resultaten of totaal; in every group the
startjaar categories add up to deelnemers totaal; the eindjaar and
positie_start categories of resultaten add up to its totaal row, per
measure; OI1_som is gemeente's plus vsopro's deelnemers."""
import csv, sys
from collections import defaultdict

cells = {}
for t, g, d, c, m, v in list(csv.reader(open(sys.argv[1], newline="")))[1:]:
    cells[(t, g, d, c, m)] = int(v) if v.isdigit() else v
bad = []
proj = defaultdict(int)
for (t, g, d, c, m), v in cells.items():
    if t == "projecten" and m in ("toegerekend", "werk_eind", "werk_12m", "verbeterd_eind", "verbeterd_12m"):
        proj[m] += v
for m, key in (("toegerekend", "afgerond"), ("werk_eind", "werk_eind"), ("werk_12m", "werk_12m"),
               ("verbeterd_eind", "verbeterd_eind"), ("verbeterd_12m", "verbeterd_12m")):
    want = cells[("resultaten", "totaal", "totaal", "totaal", key)]
    if proj[m] != want:
        bad.append("projecten %s sum %d != resultaten totaal %s %d" % (m, proj[m], key, want))
groups = {g for (t, g, d, c, m) in cells if t == "deelnemers"}
for g in groups:
    tot = cells[("deelnemers", g, "totaal", "totaal", "n")]
    s = sum(v for (t, gg, d, c, m), v in cells.items() if t == "deelnemers" and gg == g and d == "startjaar")
    if s != tot:
        bad.append("deelnemers %s startjaar sum %d != %d" % (g, s, tot))
    for m in ("afgerond", "werk_eind", "werk_12m", "verbeterd_eind", "verbeterd_12m", "onbekend_eind",
              "onbekend_12m", "onderwijs_eind", "onderwijs_12m"):
        tot = cells[("resultaten", g, "totaal", "totaal", m)]
        for dim in ("eindjaar", "positie_start"):
            s = sum(v for (t, gg, d, c, mm), v in cells.items() if t == "resultaten" and gg == g and d == dim and mm == m)
            if s != tot:
                bad.append("resultaten %s %s %s sum %d != %d" % (g, dim, m, s, tot))
som = cells[("indicatoren", "amr", "indicator", "OI1_som", "waarde")]
if som != cells[("deelnemers", "gemeente", "totaal", "totaal", "n")] + cells[("deelnemers", "vsopro", "totaal", "totaal", "n")]:
    bad.append("OI1_som %d" % som)
if proj["toegerekend"] == 0:
    bad.append("no attributed results at all: the check would pass on nothing")
for b in bad[:10]:
    print("  " + b)
sys.exit(1 if bad else 0)
