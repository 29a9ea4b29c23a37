#!/usr/bin/env python3
"""Side by side: the published monitor (Regioplan, Bijlage 4 of
../shared/seeds/004) and esfmon on a generated extract of the same size.
Compares shares (percentages within a group), since the report rounds counts
to 10.  Exits 1 when a share is more than TOL percentage points off.

    scripts/compare-report.py [--tol 3] [--build build]
"""
import argparse, os, subprocess, sys, tempfile

# Bijlage 4: unique participants and results, first period 2014-2017.
REPORT = {
    "gemeente": {"n": 170500, "age": (60820, 78810, 30830), "sex": (88880, 81620),
                 "pos": (33390, 125350, 11040, 730), "afgerond": 73290,
                 "werk": (17000, 13210), "verb": (9620, 7620)},            # B4.2-B4.5
    "vsopro": {"n": 37270, "age": (35150, 1560, 550), "sex": (23100, 14160),
               "pos": (4480, 2130, 30660, 0), "afgerond": 18510,
               "werk": (3960, 4020), "verb": (2040, 1720)},
    "uwv": {"n": 6890, "age": (5280, 1520, 90), "sex": (4900, 1980),
            "pos": (4710, 1070, 1120, 0), "afgerond": 6890,
            "werk": (940, 1100), "verb": (2860, 3240)},                    # B4.9
    "jenv": {"n": 3530, "age": (1820, 1350, 350), "sex": (3050, 480),
             "pos": (150, 630, 2750, 0), "afgerond": 3010,
             "werk": (300, 610), "verb": (40, 40)},                        # B4.12
}
AGE = ("jonger_dan_28", "28_49", "50_plus")
POS = ("werkzaam", "niet_werkzaam", "inactief", "onbekend")

ap = argparse.ArgumentParser()
ap.add_argument("--tol", type=float, default=3.0)
ap.add_argument("--build", default="build")
ap.add_argument("--seed", default="2018")
a = ap.parse_args()

with tempfile.TemporaryDirectory() as d:
    subprocess.run([os.path.join(a.build, "esfgen"), "--persons", "212190", "--seed", a.seed, "--files", "2",
                    "--gzip", "-o", d], check=True, stderr=subprocess.DEVNULL)
    out = subprocess.run([os.path.join(a.build, "esfmon"), "-q", "--format", "csv"] +
                         sorted(os.path.join(d, f) for f in os.listdir(d)), capture_output=True, text=True)
cells = {}
for line in out.stdout.splitlines()[1:]:
    t, g, dim, cat, m, v = line.split(",")
    cells[(t, g, dim, cat, m)] = v

def got(t, g, dim, cat, m):
    return int(cells[(t, g, dim, cat, m)])

rows, worst = [], 0.0
for g, r in REPORT.items():
    n = got("deelnemers", g, "totaal", "totaal", "n")
    rows.append((g, "deelnemers (aantal)", r["n"], n, None))
    for i, c in enumerate(AGE):
        rows.append((g, "leeftijd " + c, 100 * r["age"][i] / r["n"], 100 * got("deelnemers", g, "leeftijd", c, "n") / n, 1))
    for i, c in enumerate(("man", "vrouw")):
        rows.append((g, "geslacht " + c, 100 * r["sex"][i] / r["n"], 100 * got("deelnemers", g, "geslacht", c, "n") / n, 1))
    for i, c in enumerate(POS):
        rows.append((g, "positie_start " + c, 100 * r["pos"][i] / r["n"], 100 * got("deelnemers", g, "positie_start", c, "n") / n, 1))
    afg = got("resultaten", g, "totaal", "totaal", "afgerond")
    rows.append((g, "afgerond", 100 * r["afgerond"] / r["n"], 100 * afg / n, 1))
    for i, m in enumerate(("eind", "12m")):
        rows.append((g, "werk_" + m + " (% afgerond)", 100 * r["werk"][i] / r["afgerond"], 100 * got("resultaten", g, "totaal", "totaal", "werk_" + m) / afg, 1))
        rows.append((g, "verbeterd_" + m + " (% afgerond)", 100 * r["verb"][i] / r["afgerond"], 100 * got("resultaten", g, "totaal", "totaal", "verbeterd_" + m) / afg, 1))

print("%-9s %-30s %10s %10s %8s" % ("groep", "cel", "rapport", "esfmon", "verschil"))
bad = 0
for g, name, rep, mine, is_pct in rows:
    if is_pct:
        diff = mine - rep
        flag = " <-- te groot" if abs(diff) > a.tol else ""
        bad += bool(flag)
        print("%-9s %-30s %9.1f%% %9.1f%% %+7.1fpp%s" % (g, name, rep, mine, diff, flag))
    else:
        rel = 100 * (mine - rep) / rep
        flag = " <-- te groot" if abs(rel) > a.tol else ""
        bad += bool(flag)
        print("%-9s %-30s %10d %10d %+7.1f%%%s" % (g, name, rep, mine, rel, flag))
print("%d cells, %d more than %.1f points (or %%) from the report" % (len(rows), bad, a.tol))
sys.exit(1 if bad else 0)
