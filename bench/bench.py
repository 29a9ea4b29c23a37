#!/usr/bin/env python3
"""make bench: esfmon throughput on generated extracts, as ratios to the
machine's own reference speeds measured in the same run on the same files
(cat, wc -l, and for gzip zcat and zlib's inflate alone, the decoder esfmon
uses), since absolute times on a shared machine
vary.  When `make duckdb` has installed DuckDB (npm), the statistician's
alternative is timed too: one table, distinct persons per applicant.  Warm cache (each file is read before it is timed); fastest and median
of N runs, N calibrated (at least RUNS, more for short runs); peak RSS per
unique person.  Writes BUILD/bench.json (bench-check: BUILD/bench-check.json)."""
import json, os, shutil, subprocess, sys, time

CHECK = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1].startswith("--check=") else None

BUILD = os.environ.get("BUILD", "build")
# Each timing repeats a command at least RUNS times and, for short ones, until
# BENCH_SECONDS have passed (at most RUNS_MAX times): N calibrated per file.
RUNS = int(os.environ.get("RUNS", "5"))
BENCH_SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
RUNS_MAX = 30
# Persons per generated extract; esfgen writes about 1.25 rows per person, so
# the default sizes are extracts of about 1M and 10M rows.
SIZES = [int(x) for x in os.environ.get("PERSONS", "800000 8000000").replace(",", " ").split()]
D = os.path.join(BUILD, "bench-data")
os.makedirs(D, exist_ok=True)


def run(cmd, cwd=None):
    """Wall time and peak RSS (KiB) of one run, output discarded."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    _, status, ru = os.wait4(p.pid, 0)
    return time.perf_counter() - t0, ru.ru_maxrss, os.waitstatus_to_exitcode(status)


def timed(cmd, cwd=None):
    """Fastest and median time, peak RSS and the number of runs."""
    ts, rss = [], 0
    while len(ts) < RUNS or (sum(ts) < BENCH_SECONDS and len(ts) < RUNS_MAX):
        t, m, rc = run(cmd, cwd)
        if rc not in (0, 3):
            sys.exit("bench: %s failed with %d" % (" ".join(cmd), rc))
        ts.append(t)
        rss = max(rss, m)
    ts.sort()
    return ts[0], ts[len(ts) // 2], rss, len(ts)


files = []
for dialect, persons in [(d, n) for n in SIZES for d in ("canonical", "messy")]:
    f = os.path.join(D, "%s-%d.csv" % (dialect, persons))
    if not os.path.exists(f):
        tmp = os.path.join(D, "tmp")
        subprocess.run([os.path.join(BUILD, "esfgen"), "--persons", str(persons), "--seed", "5",
                        "--dialect", dialect, "-o", tmp], check=True, stderr=subprocess.DEVNULL)
        os.replace(os.path.join(tmp, "extract_01.csv"), f)
        os.rmdir(tmp)
    if not os.path.exists(f + ".gz"):
        with open(f + ".gz", "wb") as out:
            subprocess.run(["gzip", "-1", "-c", f], stdout=out, check=True)
    files += [f, f + ".gz"]

esfmon = [os.path.join(BUILD, "esfmon"), "-q", "--max-rejects", "1000000000"]
# zlib inflate alone (C zlib through Python, 1 MiB reads: the interpreter's
# share is small), the reference for "at the decompressor's speed".
INFLATE = [sys.executable, "-c", """
import sys, zlib
f = open(sys.argv[1], 'rb'); d = zlib.decompressobj(31)
while True:
    b = f.read(1 << 20)
    if not b: break
    while b:
        d.decompress(b, 1 << 22)
        b = d.unconsumed_tail
        if d.eof:
            rest = d.unused_data; d = zlib.decompressobj(31); b = rest
"""]
# The machine's first write to fresh memory, as much as esfmon's peak RSS: dd
# reading that many zeros into its buffer (small pages; esfmon's tables are
# in huge pages and asked for a round ahead, so it pays less).  On a virtual
# machine this can be 50x slower than writing to memory already touched.
TOUCH = ["dd", "if=/dev/zero", "of=/dev/null", "count=1", "status=none"]
# ISA-L's own decompressor, the reference when esfmon is built with ISA-L.
IGZIP = shutil.which("igzip")
# DuckDB (node bindings, from npm into BUILD/duckdb by `make duckdb`): one
# table, distinct persons per applicant, every column read as text (no type
# guessing: it would drop a rinpersoon's leading zeros); rows with too many or
# too few fields are skipped, silently, as a user would have to ask it to.
DUCKDB_DIR = os.path.join(BUILD, "duckdb")
DUCKDB = ["node", "--input-type=module", "-e", """
import { DuckDBInstance } from '@duckdb/node-api';
const con = await (await DuckDBInstance.create(':memory:')).connect();
const f = process.argv[1].replaceAll("'", "''");
await con.runAndReadAll(`SELECT aanvrager, count(DISTINCT (rinpersoons, rinpersoon)) FROM
  read_csv('${f}', all_varchar = true, ignore_errors = true) GROUP BY ALL`);
"""] if shutil.which("node") and os.path.isdir(os.path.join(DUCKDB_DIR, "node_modules", "@duckdb", "node-api")) else None
results = []
hdr = "%-26s %7s %10s %8s %8s %3s %8s %7s %8s %9s %8s %8s %6s %9s %9s %9s" % (
    "file", "MB", "rows/s", "MB/s", "med MB/s", "N", "x cat", "x wc", "x zcat", "x inflate", "x igzip", "x duckdb",
    "x -j1", "RSS MiB", "B/person", "B/p>64M")
print(hdr)
for f in files:
    plain = f[:-3] if f.endswith(".gz") else f
    size = os.path.getsize(f)
    with open(plain, "rb") as fh:
        rows = sum(buf.count(b"\n") for buf in iter(lambda: fh.read(1 << 20), b"")) - 1
    subprocess.run(["cat", f], stdout=subprocess.DEVNULL)
    cat = timed(["cat", f])[0]
    wc = timed(["wc", "-l", f])[0]
    zc = timed(["zcat", f])[0] if f.endswith(".gz") else None
    inf = timed(INFLATE + [f])[0] if f.endswith(".gz") else None
    igz = timed([IGZIP, "-dc", f])[0] if f.endswith(".gz") and IGZIP else None
    duck = timed(DUCKDB + [os.path.abspath(f)], cwd=DUCKDB_DIR)[0] if DUCKDB else None
    fast, med, rss, runs = timed(esfmon + [f])
    one = timed(esfmon + ["-j", "1", f])[0]
    out = subprocess.run(esfmon + [f], capture_output=True, text=True).stdout
    persons = next(int(l.split(",")[5]) for l in out.splitlines() if l.startswith("deelnemers,totaal,totaal,totaal,n,"))
    r = {"file": os.path.basename(f), "bytes": size, "rows": rows, "persons": persons, "runs": runs,
         "esfmon_fastest_s": fast, "esfmon_median_s": med, "peak_rss_kib": rss,
         "rows_per_s": rows / fast, "mb_per_s": size / 1e6 / fast,
         "cat_s": cat, "wc_s": wc, "zcat_s": zc, "inflate_s": inf, "igzip_s": igz, "duckdb_s": duck,
         "esfmon_j1_s": one,
         "ratio_cat": cat / fast, "ratio_wc": wc / fast, "ratio_zcat": zc / fast if zc else None,
         "ratio_inflate": inf / fast if inf else None, "ratio_igzip": igz / fast if igz else None,
         "ratio_duckdb": duck / fast if duck else None, "speedup_threads": one / fast,
         "rss_bytes_per_person": rss * 1024 / max(persons, 1),
         # the memory target of #5: <= 100 B per person on top of 64 MiB
         "rss_bytes_per_person_over_64mib": max(rss * 1024 - (64 << 20), 0) / max(persons, 1)}
    # issue 21's gzip target: t_gz <= 1.1 x max(t_igzip, (t_igzip + t_plain_j1) / cores), the
    # plain file's -j 1 time from its row above (t_gz / bound <= 1.10)
    base = next((x for x in results if x["file"] == os.path.basename(plain)), None) if f.endswith(".gz") else None
    r["gz_bound_s"] = max(igz, (igz + base["esfmon_j1_s"]) / (os.cpu_count() or 1)) if igz and base else None
    r["gz_over_bound"] = fast / r["gz_bound_s"] if r["gz_bound_s"] else None
    results.append(r)
    print("%-26s %7.1f %10.0f %8.0f %8.0f %3d %8.3f %7.3f %8s %9s %8s %8s %6.2f %9.1f %9.0f %9.0f" % (
        r["file"], size / 1e6, r["rows_per_s"], r["mb_per_s"], size / 1e6 / med, runs, r["ratio_cat"], r["ratio_wc"],
        "%.3f" % r["ratio_zcat"] if zc else "-", "%.3f" % r["ratio_inflate"] if inf else "-",
        "%.3f" % r["ratio_igzip"] if igz else "-", "%.2f" % r["ratio_duckdb"] if duck else "-",
        r["speedup_threads"], rss / 1024, r["rss_bytes_per_person"], r["rss_bytes_per_person_over_64mib"]))
    if not f.endswith(".gz"):  # the memory reference: a first touch of esfmon's peak RSS
        touch = timed(TOUCH + ["bs=%dK" % rss])[0]
        r["first_touch_s"] = touch
        print("%-26s first write to the peak RSS of fresh memory (%d MiB, dd): %.2f s (%.2f GB/s), %.2f x esfmon" % (
            "", rss >> 10, touch, rss * 1024 / 1e9 / touch, touch / fast))
    if r["gz_over_bound"]:
        print("%-26s gzip bound max(igzip, (igzip + plain -j1) / %d cores) = %.2f s: esfmon %.2f x that" % (
            "", os.cpu_count() or 1, r["gz_bound_s"], r["gz_over_bound"]))
# Instructions, counted by callgrind over all threads: unlike wall time they
# do not drift with a shared machine's noise.  On issue 21's extract (esfgen
# --persons 70000 --seed 5, about 87.5k rows), per row at -j 1, and the work
# of -j 16 against -j 1 (1.0: no work done once per thread per record).
icounts = []
if shutil.which("valgrind"):
    import re
    print("\n%-22s %9s %14s %10s %14s %12s" % ("instructions", "rows", "-j1", "per row", "-j16", "-j16 / -j1"))
    for dialect in ("canonical", "messy"):
        f = os.path.join(D, "icount-%s.csv" % dialect)
        if not os.path.exists(f):
            tmp = os.path.join(D, "tmp")
            subprocess.run([os.path.join(BUILD, "esfgen"), "--persons", "70000", "--seed", "5",
                            "--dialect", dialect, "-o", tmp], check=True, stderr=subprocess.DEVNULL)
            os.replace(os.path.join(tmp, "extract_01.csv"), f)
            os.rmdir(tmp)
        out = subprocess.run(esfmon + [f], capture_output=True, text=True).stdout
        rows = next(int(l.split(",")[5]) for l in out.splitlines() if l.startswith("invoer,invoer,rijen,gelezen,n,"))
        ins = {}
        for j in (1, 16):
            p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + esfmon +
                               ["--format", "csv", "-j", str(j), f], capture_output=True, text=True)
            ins[j] = int(re.search(r"Collected : (\d+)", p.stderr).group(1))
        r = {"file": os.path.basename(f), "rows": rows, "instructions_j1": ins[1], "instructions_j16": ins[16],
             "per_row_j1": ins[1] / rows, "work_ratio_j16": ins[16] / ins[1]}
        icounts.append(r)
        print("%-22s %9d %14d %10.0f %14d %12.3f" % (r["file"], rows, ins[1], r["per_row_j1"], ins[16],
                                                     r["work_ratio_j16"]))
else:
    print("\ninstructions: skipped (no valgrind)")

# the short run of bench-check keeps its own file: bench.json stays the full run's
OUT = os.path.join(BUILD, "bench-check.json" if CHECK else "bench.json")
with open(OUT, "w") as fh:
    json.dump(results + icounts, fh, indent=1)
print("fastest of at least %d runs (and of %g s, at most %d runs, per timing: esfmon's count per "
      "file is in bench.json), warm cache; x REF = REF time / esfmon time (1.0 = as fast as REF); "
      "B/p>64M = (peak RSS - 64 MiB) / unique persons" % (RUNS, BENCH_SECONDS, RUNS_MAX))
print("written: %s" % OUT)

if CHECK:
    # Floors are ratios to the machine's own references (and a ceiling on
    # memory per person), so a slower or busier machine does not fail them;
    # a regression in esfmon does.
    floors = json.load(open(CHECK.split("=", 1)[1]))
    failed = 0
    for r in results:
        kind = ("messy" if r["file"].startswith("messy") else "canonical") + (".gz" if r["file"].endswith(".gz") else "")
        f = floors[kind]
        for key, lo in f.get("min", {}).items():
            ok = r[key] is not None and r[key] >= lo
            failed += not ok
            print("%-4s %-26s %-22s %10.4f >= %s" % ("ok" if ok else "FAIL", r["file"], key, r[key] or 0, lo))
        for key, hi in f.get("max", {}).items():
            ok = r[key] <= hi
            failed += not ok
            print("%-4s %-26s %-22s %10.1f <= %s" % ("ok" if ok else "FAIL", r["file"], key, r[key], hi))
    # Instruction ceilings: a count above one is a real regression (the
    # same binary and input give the same count, whatever the load).
    for r in icounts:
        kind = "instructions-" + ("messy" if r["file"].startswith("icount-messy") else "canonical")
        for key, hi in floors.get(kind, {}).get("max", {}).items():
            ok = r[key] <= hi
            failed += not ok
            print("%-4s %-26s %-22s %10.3f <= %s" % ("ok" if ok else "FAIL", r["file"], key, r[key], hi))
    print("bench-check: %s" % ("regression" if failed else "no regression"))
    sys.exit(1 if failed else 0)
