#!/usr/bin/env python3
"""make bench, fourth part (SPEC §6, issue 38): disclosure control on many
small projects.  Extracts of 1,000, 10,000 and 20,000 projects of 5-15
trajectories each (about ten persons a project, a tenth of them in a second
project), counted without and with --suppress-below 10; the medians of RUNS_DC
(default 1) runs, interleaved.  Target (SPEC §6): 10,000 projects in at most
a minute, the time growing about linearly with the projects: the seconds per
1,000 projects are printed for each size, and the ratio of the largest's to
the smallest's.  Exit status 1 when 10,000 projects take over 60 s."""
import os, random, statistics, subprocess, sys, time

BUILD = os.environ.get("BUILD", "build")
RUNS = int(os.environ.get("RUNS_DC", "1"))
D = os.path.join(BUILD, "bench-data")
os.makedirs(D, exist_ok=True)
ESFMON = [os.path.join(BUILD, "esfmon"), "-q"]
SIZES = (1000, 10000, 20000)


def extract(projects):
    path = os.path.join(D, "projects-%d.csv" % projects)
    if os.path.exists(path):
        return path
    rnd = random.Random(projects)
    aanv = ["gemeente", "vsopro", "uwv", "jenv"]
    pos = ["werkzaam", "niet_werkzaam", "inactief", "onbekend"]
    dg = ["uitkering_6m", "arbeidsbelemmerd", "jongere", "oudere", "gedetineerde", "jji"]
    with open(path + ".tmp", "w") as f:
        f.write("rinpersoon,project,aanvrager,doelgroep,geslacht,geboortedatum,start,eind,"
                "positie_start,positie_eind,positie_12m\n")
        pid = 100000000
        for p in range(projects):
            for _ in range(rnd.randint(5, 15)):
                pid += 1
                person = pid if rnd.random() > 0.1 else rnd.randint(100000001, pid)
                s = 20150101 + rnd.randint(0, 5) * 10000 + rnd.randint(0, 11) * 100
                e = s + 10000 if rnd.random() < 0.8 else ""
                f.write("%d,P%05d,%s,%s,%s,%d,%d,%s,%s,%s,%s\n" % (
                    person, p, aanv[p % 4], rnd.choice(dg), rnd.choice("mv"), 19600101 + rnd.randint(0, 40) * 10000,
                    s, e, rnd.choice(pos), rnd.choice(pos), rnd.choice(pos)))
    os.replace(path + ".tmp", path)
    return path


def once(cmd):
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


print("\ndisclosure control on small projects (--suppress-below 10; median of %d)" % RUNS)
print("%9s %9s %10s %10s %8s %18s" % ("projects", "rows", "plain s", "dc s", "dc/plain", "dc s per 1000 proj"))
per = {}
for n in SIZES:
    f = extract(n)
    rows = sum(1 for _ in open(f)) - 1
    plain, dc = [], []
    for _ in range(RUNS):
        plain.append(once(ESFMON + [f]))
        dc.append(once(ESFMON + ["--suppress-below", "10", f]))
    p, d = statistics.median(plain), statistics.median(dc)
    per[n] = d / n * 1000
    print("%9d %9d %10.2f %10.2f %8.1f %18.3f" % (n, rows, p, d, d / p, per[n]))
growth = per[SIZES[-1]] / per[SIZES[0]]
print("growth: seconds per 1000 projects at %d against %d: %.2f x (1.0: linear)" % (SIZES[-1], SIZES[0], growth))
if per[10000] * 10 > 60:
    print("FAIL: 10,000 projects took %.1f s (target: at most 60 s)" % (per[10000] * 10))
    sys.exit(1)
print("ok: 10,000 projects in %.1f s (target: at most 60 s)" % (per[10000] * 10))
