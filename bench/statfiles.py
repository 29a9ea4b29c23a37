#!/usr/bin/env python3
"""make bench, third part (SPEC §2.8, issue 36): an extract as an SPSS .sav
file, counted by esfmon, against Debian's `readstat` converting the same
file to CSV (what a user would otherwise run first); and the same extract
as two .sav files, converted on two threads side by side, against one.
Each comparison runs its commands interleaved (A B A B ...) and compares
their medians.  Target: esfmon on the .sav at most 1.0 x readstat's
conversion.  Also a Stata .dta and a SAS .sas7bdat file of the same data.

PERSONS_STAT (default 400000) persons, canonical, generated once into
BUILD/bench-data; RUNS_STAT (default 5) runs of each command."""
import os, shutil, statistics, subprocess, sys, time

BUILD = os.environ.get("BUILD", "build")
PERSONS = int(os.environ.get("PERSONS_STAT", "400000"))
RUNS = int(os.environ.get("RUNS_STAT", "5"))
D = os.path.join(BUILD, "bench-data")
OUT = os.path.join(BUILD, "bench-out")
os.makedirs(D, exist_ok=True)
os.makedirs(OUT, exist_ok=True)
ESFMON = [os.path.join(BUILD, "esfmon"), "-q"]
READSTAT = shutil.which("readstat")
if "SPSS, Stata and SAS files: read through ReadStat" not in subprocess.run(
        ESFMON[:1] + ["--version"], capture_output=True, text=True).stdout:
    print("statistical files: skipped (esfmon built without ReadStat)")
    sys.exit(0)


def extract(fmt, files):
    d = os.path.join(D, "stat-%d-%s-%d" % (PERSONS, fmt, files))
    if not os.path.isdir(d):
        subprocess.run([os.path.join(BUILD, "esfgen"), "--persons", str(PERSONS), "--seed", "5",
                        "--files", str(files), "--format", fmt, "-o", d + ".tmp"], check=True, stderr=subprocess.DEVNULL)
        os.replace(d + ".tmp", d)
    return sorted(os.path.join(d, f) for f in os.listdir(d))


def once(cmd):
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


def compare(name, a, b, target=None):
    ta, tb = [], []
    for _ in range(RUNS):
        ta.append(once(a))
        tb.append(once(b))
    ma, mb = statistics.median(ta), statistics.median(tb)
    verdict = "" if target is None else ("  (target <= %.2f: %s)" % (target, "met" if ma / mb <= target else "NOT met"))
    print("%-52s %8.3f s %8.3f s %7.3f x%s" % (name, ma, mb, ma / mb, verdict))


sav = extract("sav", 1)
print("statistical files, %d persons (%.0f MB as .sav), median of %d runs:" % (
    PERSONS, os.path.getsize(sav[0]) / 1e6, RUNS))
print("%-52s %10s %10s %8s" % ("A against B", "A", "B", "A / B"))
if READSTAT:
    # readstat will not overwrite its output: removed before each run
    compare("esfmon x.sav  /  readstat x.sav x.csv", ESFMON + sav,
            ["sh", "-c", 'rm -f "$2" && exec "$0" "$1" "$2"', READSTAT, sav[0], os.path.join(OUT, "readstat.csv")], 1.0)
else:
    print("readstat: not installed (Debian package readstat): no reference")
compare("esfmon x.sav  /  esfmon x.csv of the same data", ESFMON + sav, ESFMON + extract("csv", 1))
for fmt in ("dta", "sas7bdat"):
    compare("esfmon x.%s  /  esfmon x.sav" % fmt, ESFMON + extract(fmt, 1), ESFMON + sav)
two = extract("sav", 2)
compare("esfmon two .sav halves (-j 2)  /  one .sav (-j 2)", ESFMON + ["-j", "2"] + two, ESFMON + ["-j", "2"] + sav)
compare("esfmon two .sav halves -j 2  /  the halves -j 1", ESFMON + ["-j", "2"] + two, ESFMON + ["-j", "1"] + two)
