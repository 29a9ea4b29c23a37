#!/usr/bin/env python3
"""Relations of SPEC §5/§6 that must hold between exact counts in esfmon's
CSV (argv[1]): over all projects, toegerekend and each attributed result
add up to the totaal row of resultaten of totaal; in every group the
startjaar categories add up to deelnemers totaal; the eindjaar and
positie_start categories of resultaten add up to its totaal row, per
measure; OI1_som is gemeente's plus vsopro's deelnemers; results by
positie_start reconcile with the start_eind transitions (both go by
L.positie_start): the afgerond of a start position is the sum of its
transitions, werk_eind of niet_werkzaam and inactief their >werkzaam,
verbeterd_eind of werkzaam its >verbeterd, and no one werkzaam at the start
has werk (SPEC §5); each project's trajecten by applicant add up to its
trajecten, and all projects' to invoer geaccepteerd."""
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
STATES = ("verbeterd", "werkzaam", "niet_werkzaam", "inactief", "onbekend")
for g in groups:
    for p in ("werkzaam", "niet_werkzaam", "inactief", "onbekend"):
        r = lambda m: cells[("resultaten", g, "positie_start", p, m)]
        se = lambda to: cells[("overgangen", g, "start_eind", p + ">" + to, "n")]
        if r("afgerond") != sum(se(to) for to in STATES):
            bad.append("resultaten %s positie_start %s afgerond %d != its transitions %d" % (g, p, r("afgerond"), sum(se(to) for to in STATES)))
        werk = se("werkzaam") if p in ("niet_werkzaam", "inactief") else 0
        if r("werk_eind") != werk or r("verbeterd_eind") != (se("verbeterd") if p == "werkzaam" else 0):
            bad.append("resultaten %s positie_start %s werk_eind %d, verbeterd_eind %d: the transitions say %d, %d" % (
                g, p, r("werk_eind"), r("verbeterd_eind"), werk, se("verbeterd") if p == "werkzaam" else 0))
# each project's trajecten by applicant add up to its trajecten, and all
# projects' to invoer geaccepteerd (SPEC §5, §6 item 7)
projects = {g for (t, g, d, c, m) in cells if t == "projecten"}
for p in projects:
    by = sum(cells[("projecten", p, "aanvrager", a, "trajecten")] for a in ("gemeente", "vsopro", "uwv", "jenv"))
    if by != cells[("projecten", p, "totaal", "totaal", "trajecten")]:
        bad.append("projecten %s: trajecten by applicant %d != %d" % (p, by, cells[("projecten", p, "totaal", "totaal", "trajecten")]))
traj = sum(cells[("projecten", p, "totaal", "totaal", "trajecten")] for p in projects)
if traj != cells[("invoer", "invoer", "rijen", "geaccepteerd", "n")]:
    bad.append("projecten trajecten sum %d != invoer geaccepteerd %d" % (traj, cells[("invoer", "invoer", "rijen", "geaccepteerd", "n")]))
som = cells[("indicatoren", "amr", "indicator", "OI1_som", "waarde")]
if som != cells[("deelnemers", "gemeente", "totaal", "totaal", "n")] + cells[("deelnemers", "vsopro", "totaal", "totaal", "n")]:
    bad.append("OI1_som %d" % som)
if proj["toegerekend"] == 0:
    bad.append("no attributed results at all: the check would pass on nothing")
for b in bad[:10]:
    print("  " + b)
sys.exit(1 if bad else 0)
