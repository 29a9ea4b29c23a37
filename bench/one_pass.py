#!/usr/bin/env python3
"""make bench, second part (SPEC §8): what one pass for every output costs,
and threads on a shared batch server.  Each comparison runs its two
commands interleaved (A B A B ...), so that the machine's drift falls on
both alike, and compares their medians.

1. Five outputs (-o t.csv -o t.json -o r.html -o r.txt -o r.md) against
   one (-o t.csv): target at most 1.10 x.
2. --manifest (an XXH3-128 digest of every input's bytes as read) against
   no manifest, plain and gzip.
3. -j 2 against -j 1 while a `nice -n 19` busy loop runs on each core (a
   batch server's low-priority work): target at most 1.05 x.

PERSONS (default 1000000) persons, canonical, generated once into
BUILD/bench-data; RUNS (default 9) runs of each command."""
import os, shutil, statistics, subprocess, sys, time

BUILD = os.environ.get("BUILD", "build")
PERSONS = int(os.environ.get("PERSONS_ONE_PASS", "1000000"))
RUNS = int(os.environ.get("RUNS_ONE_PASS", "9"))
D = os.path.join(BUILD, "bench-data")
OUT = os.path.join(BUILD, "bench-out")
os.makedirs(D, exist_ok=True)
os.makedirs(OUT, exist_ok=True)
ESFMON = os.path.join(BUILD, "esfmon")

f = os.path.join(D, "canonical-%d.csv" % PERSONS)
if not os.path.exists(f):
    tmp = os.path.join(D, "tmp-one-pass")
    subprocess.run([os.path.join(BUILD, "esfgen"), "--persons", str(PERSONS), "--seed", "5", "-o", tmp],
                   check=True, stderr=subprocess.DEVNULL)
    os.replace(os.path.join(tmp, "extract_01.csv"), f)
    os.rmdir(tmp)
if not os.path.exists(f + ".gz"):
    with open(f + ".gz", "wb") as out:
        subprocess.run(["gzip", "-1", "-c", f], stdout=out, check=True)


def once(cmd):
    t0 = time.perf_counter()
    rc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    if rc not in (0, 3):
        sys.exit("bench: %s failed with %d" % (" ".join(cmd), rc))
    return time.perf_counter() - t0


def interleaved(a, b):
    """Medians (and ranges) of a and b, run in turn."""
    once(a), once(b)  # warm the cache and the page tables
    ta, tb = [], []
    for _ in range(RUNS):
        ta.append(once(a))
        tb.append(once(b))
    return statistics.median(ta), statistics.median(tb), (min(ta), max(ta)), (min(tb), max(tb))


def show(name, a, b, target=None):
    ma, mb, ra, rb = interleaved(a, b)
    ratio = mb / ma
    verdict = "" if target is None else ("  (target <= %.2f: %s)" % (target, "met" if ratio <= target else "NOT met"))
    print("%-44s %6.3f s [%.3f-%.3f]  %6.3f s [%.3f-%.3f]  %5.3f x%s" % (
        name, ma, ra[0], ra[1], mb, rb[0], rb[1], ratio, verdict))
    return ratio


base = [ESFMON, "-q", "--max-rejects", "1000000"]
o = lambda name: os.path.join(OUT, name)
print("one pass (%s, %d persons, %.0f MB; %d interleaved runs each, medians [range])" % (
    os.path.basename(f), PERSONS, os.path.getsize(f) / 1e6, RUNS))
print("%-44s %-26s %-26s %s" % ("", "A", "B", "B / A"))
show("five outputs (B) against one (A)", base + ["-o", o("t.csv"), f],
     base + ["-o", o("t.csv"), "-o", o("t.json"), "-o", o("r.html"), "-o", o("r.txt"), "-o", o("r.md"), f], 1.10)
show("--manifest, digest of the input (B), plain", base + ["-o", o("t.csv"), f],
     base + ["-o", o("t.csv"), "--manifest", o("run.json"), f])
show("--manifest, digest of the input (B), gzip", base + ["-o", o("t.csv"), f + ".gz"],
     base + ["-o", o("t.csv"), "--manifest", o("run.json"), f + ".gz"])
cores = os.cpu_count() or 1
busy = [subprocess.Popen(["nice", "-n", "19", "sh", "-c", "while :; do :; done"]) for _ in range(cores)]
try:
    show("-j 2 (B) against -j 1 (A), %d nice'd busy loops" % cores, base + ["-j", "1", "-o", "/dev/null", f],
         base + ["-j", "2", "-o", "/dev/null", f], 1.05)
finally:
    for p in busy:
        p.kill()
        p.wait()
show("-j 2 (B) against -j 1 (A), idle machine", base + ["-j", "1", "-o", "/dev/null", f],
     base + ["-j", "2", "-o", "/dev/null", f])
shutil.rmtree(OUT, ignore_errors=True)
