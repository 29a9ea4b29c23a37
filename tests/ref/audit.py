#!/usr/bin/env python3
"""An output checker's audit of esfmon's disclosure control (SPEC §6),
independent of the engine: the relations are written here again from the
text of SPEC §6, and the interval attack is solved by another LP solver
(SciPy's HiGHS, not GLPK).

    audit.py EXACT.csv PUBLISHED.csv N [LOG.csv]

EXACT is esfmon's CSV without disclosure control, PUBLISHED the same run
with --suppress-below N (no rounding), LOG its --suppression-log. Checks:
every relation holds on the exact counts; primary cells (0 < c < N) are x,
zeros and structural cells are not, derived cells are x exactly when a count
of their indicator is; the log lists every x with its reason; and for every
primary cell, minimising and maximising it over the unknowns (>= 0) subject
to the relations and the published counts gives an interval reaching from 0
to at least N. Prints one summary line; exit 1 and the first failures when
one fails. --first-leak stops at the first leak; --relations prints the
number of relations by SPEC item and exits."""
import csv
import sys
from collections import defaultdict

GROUPS = ["gemeente", "vsopro", "uwv", "jenv", "amr", "totaal"]
POS = ["werkzaam", "niet_werkzaam", "inactief", "onbekend"]
STATES = ["verbeterd"] + POS
RESULTS = ["afgerond", "werk_eind", "werk_12m", "verbeterd_eind", "verbeterd_12m",
           "onbekend_eind", "onbekend_12m", "onderwijs_eind", "onderwijs_12m"]
SUMMED = ["leeftijd", "geslacht", "positie_start", "startjaar", "eindjaar"]
ATTRIBUTED = ["werk_eind", "werk_12m", "verbeterd_eind", "verbeterd_12m"]


def read(path):
    with open(path, newline="", encoding="utf-8", errors="surrogateescape") as f:
        rows = list(csv.reader(line for line in f if not line.startswith("#")))  # the log's note
    return {tuple(r[:5]): r[5] for r in rows[1:]}


def protected(k):
    table, _, _, _, measure = k
    if table in ("deelnemers", "resultaten", "overgangen", "projecten"):
        return True
    return table == "indicatoren" and measure in ("waarde", "teller", "noemer")


def structural(k):
    return (k[0] == "overgangen" and k[2] == "start_eind" and k[3].endswith(">verbeterd")
            and not k[3].startswith("werkzaam>"))


def relations(cells, extended=True):
    """(item, terms {key: coef}, '=' or '<=') for every relation of SPEC §6;
    extended False: the first six items as SPEC §6 had them before issue 38
    (item 6 on the totaal row of resultaten only, item 7 within projects)."""
    rels = []

    def add(item, terms, sense):
        for k in terms:
            if k not in cells:
                sys.exit("audit: relation names a missing cell %r" % (k,))
        rels.append((item, terms, sense))

    cats = defaultdict(set)  # (table, group, dim) -> categories
    for (t, g, d, c, m) in cells:
        cats[(t, g, d)].add(c)
    res = lambda g, m, d="totaal", c="totaal": ("resultaten", g, d, c, m)
    deel = lambda g, d="totaal", c="totaal": ("deelnemers", g, d, c, "n")
    # with --peildatum (SPEC §5) resultaten has niet_waarneembaar_12m (nw)
    nw = res("totaal", "niet_waarneembaar_12m") in cells
    results = RESULTS + (["niet_waarneembaar_12m"] if nw else [])
    # 1. dimensions add up to totaal
    for g in GROUPS:
        for d in SUMMED:
            if cats.get(("deelnemers", g, d)):
                t = {deel(g, d, c): 1 for c in cats[("deelnemers", g, d)]}
                t[deel(g)] = -1
                add(1, t, "=")
            if cats.get(("resultaten", g, d)):
                for m in results:
                    t = {res(g, m, d, c): 1 for c in cats[("resultaten", g, d)]}
                    t[res(g, m)] = -1
                    add(1, t, "=")
    # 2. within a cell: result <= afgerond <= deelnemers
    for (t_, g, d, c, m) in list(cells):
        if t_ == "resultaten" and m == "afgerond":
            for r in results[1:]:
                add(2, {res(g, r, d, c): 1, res(g, "afgerond", d, c): -1}, "<=")
            # (not for positie_start: results go by L's, deelnemers by first's, SPEC §5)
            if deel(g, d, c) in cells and d != "positie_start":
                add(2, {res(g, "afgerond", d, c): 1, deel(g, d, c): -1}, "<=")
    # 3. transitions
    se = lambda g, f, s: ("overgangen", g, "start_eind", f + ">" + s, "n")
    e12 = lambda g, f, s: ("overgangen", g, "eind_12m", f + ">" + s, "n")
    for g in GROUPS:
        t = {se(g, f, s): 1 for f in POS for s in STATES}
        t[res(g, "afgerond")] = -1
        add(3, t, "=")
        t = {e12(g, f, s): 1 for f in STATES for s in STATES}
        t[res(g, "afgerond")] = -1
        add(3, t, "=")
        for s in STATES:
            t = {se(g, f, s): 1 for f in POS}
            for u in STATES:
                t[e12(g, s, u)] = -1
            add(3, t, "=")
        t = {se(g, f, "onbekend"): 1 for f in POS}
        t[res(g, "onbekend_eind")] = -1
        add(3, t, "=")
        add(3, {se(g, "werkzaam", "verbeterd"): 1, res(g, "verbeterd_eind"): -1}, "=")
        add(3, {se(g, "niet_werkzaam", "werkzaam"): 1, se(g, "inactief", "werkzaam"): 1,
                res(g, "werk_eind"): -1}, "=")
        for s, m in (("verbeterd", "verbeterd_12m"), ("onbekend", "onbekend_12m")):
            t = {e12(g, f, s): 1 for f in STATES}
            t[res(g, m)] = -1
            add(3, t, "=")
    # 4. indicators
    ind = lambda g, i, m: ("indicatoren", g, "indicator", i, m)
    for i, g in (("OI1", "amr"), ("OI2", "uwv"), ("OI3", "jenv")):
        add(4, {ind(g, i, "waarde"): 1, deel(g): -1}, "=")
    add(4, {ind("amr", "OI1_som", "waarde"): 1, deel("gemeente"): -1, deel("vsopro"): -1}, "=")
    for i, g, when in (("RI1", "amr", "eind"), ("RI2", "amr", "12m"), ("RI2_bekend", "amr", "12m"),
                       ("RI3", "uwv", "eind"), ("RI4", "uwv", "12m"), ("RI4_bekend", "uwv", "12m")):
        if nw and when == "12m":  # who is niet waarneembaar is out of teller and noemer
            t = {ind(g, i, "teller"): 1, res(g, "werk_12m"): -1, res(g, "verbeterd_12m"): -1}
            add(4, t, "<=")
            t = {k: -v for k, v in t.items()}
            t[res(g, "niet_waarneembaar_12m")] = -1
            add(4, t, "<=")  # results - nw <= teller
            t = {ind(g, i, "noemer"): 1, res(g, "afgerond"): -1}
            if i.endswith("_bekend"):
                t[res(g, "onbekend_12m")] = 1
                add(4, dict(t), "<=")  # noemer <= afgerond - onbekend_12m
                t = {k: -v for k, v in t.items()}
                t[res(g, "niet_waarneembaar_12m")] = -1
                add(4, t, "<=")  # afgerond - onbekend_12m - nw <= noemer
            else:
                t[res(g, "niet_waarneembaar_12m")] = 1
                add(4, t, "=")
            continue
        add(4, {ind(g, i, "teller"): 1, res(g, "werk_" + when): -1, res(g, "verbeterd_" + when): -1}, "=")
        t = {ind(g, i, "noemer"): 1, res(g, "afgerond"): -1}
        if i.endswith("_bekend"):
            t[res(g, "onbekend_12m")] = 1
        add(4, t, "=")
    for i in ("RI5", "RI5_cbs2018", "RI6", "RI6_cbs2018"):
        add(4, {ind("jenv", i, "teller"): 1, ind("jenv", i, "noemer"): -1}, "<=")
    # 5. projects
    projects = sorted({k[1] for k in cells if k[0] == "projecten"})
    pr = lambda p, m: ("projecten", p, "totaal", "totaal", m)
    for p in projects:
        add(5, {pr(p, "afgerond"): 1, pr(p, "deelnemers"): -1}, "<=")
        add(5, {pr(p, "deelnemers"): 1, pr(p, "trajecten"): -1}, "<=")
        add(5, {pr(p, "toegerekend"): 1, pr(p, "afgerond"): -1}, "<=")
        for m in ATTRIBUTED:
            add(5, {pr(p, m): 1, pr(p, "toegerekend"): -1}, "<=")
    if projects:
        for m, of in [("toegerekend", "afgerond")] + [(m, m) for m in ATTRIBUTED]:
            t = {pr(p, m): 1 for p in projects}
            t[res("totaal", of)] = -1
            add(5, t, "=")
    # 7. rows and projects: a project's trajecten by applicant add up to its
    # trajecten; over all projects they add up to invoer geaccepteerd (a
    # published constant); deelnemers of totaal <= the projects' sum, each
    # project's <= it.  (A listed project has a participant and a
    # trajectory: every unknown is >= 1 anyway.)
    for p in projects:
        t = {("projecten", p, "aanvrager", a, "trajecten"): 1 for a in ("gemeente", "vsopro", "uwv", "jenv")}
        t[pr(p, "trajecten")] = -1
        add(7, t, "=")
    if extended and projects:
        t = {pr(p, "trajecten"): 1 for p in projects}
        t[("invoer", "invoer", "rijen", "geaccepteerd", "n")] = -1
        add(7, t, "=")
        t = {pr(p, "deelnemers"): -1 for p in projects}
        t[deel("totaal")] = 1
        add(7, t, "<=")
        for p in projects:
            add(7, {pr(p, "deelnemers"): 1, deel("totaal"): -1}, "<=")
    # 6. across groups
    for (t_, g, d, c, m) in list(cells):
        if g != "amr" or t_ not in ("deelnemers", "overgangen", "resultaten"):
            continue
        if t_ == "resultaten" and d != "totaal" and not extended:
            continue
        # in resultaten only the dimensions of L (SPEC §6 item 6 says of
        # first's too; but first(p,amr)'s leeftijd or geslacht can be that of
        # a group the person did not finish in: the golden extract has one)
        by_l = d in ("totaal", "positie_start", "eindjaar")
        k = lambda grp: (t_, grp, d, c, m)
        # (a result's target groups are those of all the group's
        # trajectories, its result L's: in amr a person's target group can
        # come from the group in which the person did not finish)
        if t_ != "resultaten" or by_l:
            add(6, {k("amr"): 1, k("gemeente"): -1, k("vsopro"): -1}, "<=")
            add(6, {k("totaal"): 1, k("gemeente"): -1, k("vsopro"): -1, k("uwv"): -1, k("jenv"): -1}, "<=")
            if extended:
                add(6, {k("totaal"): 1, k("amr"): -1, k("uwv"): -1, k("jenv"): -1}, "<=")
        if (d == "totaal" or (extended and d == "doelgroep")) and m in ("n", "afgerond"):
            add(6, {k("gemeente"): 1, k("amr"): -1}, "<=")
            add(6, {k("vsopro"): 1, k("amr"): -1}, "<=")
            for grp in GROUPS[:5]:
                add(6, {k(grp): 1, k("totaal"): -1}, "<=")
    if not extended:
        return rels
    # 8. target groups: each cell <= its group's totaal; RI5 (RI6) against
    # the afgerond and results of its two target groups in jenv
    for (t_, g, d, c, m) in list(cells):
        if d == "doelgroep" and t_ in ("deelnemers", "resultaten"):
            add(8, {(t_, g, d, c, m): 1, (t_, g, "totaal", "totaal", m): -1}, "<=")
    dgc = lambda c, m: res("jenv", m, "doelgroep", c)
    for i, (a, b) in (("RI5", ("gedetineerde", "tbs")), ("RI6", ("jji", "cji"))):
        noe, tel = ind("jenv", i, "noemer"), ind("jenv", i, "teller")
        for x in (a, b):
            add(8, {dgc(x, "afgerond"): 1, noe: -1}, "<=")
            add(8, {dgc(x, "onderwijs_eind"): 1, tel: -1}, "<=")
            add(8, {dgc(x, "werk_eind"): 1, dgc(x, "verbeterd_eind"): 1, tel: -1}, "<=")
        add(8, {noe: 1, dgc(a, "afgerond"): -1, dgc(b, "afgerond"): -1}, "<=")
        add(8, {ind("jenv", i + "_cbs2018", "noemer"): 1, noe: -1}, "=")
        add(8, {ind("jenv", i + "_cbs2018", "teller"): 1, tel: -1}, "<=")
    # 9. years: who finished by Y started by Y, in every group
    for g in GROUPS:
        sy = sorted(cats.get(("deelnemers", g, "startjaar"), ()))
        ey = sorted(cats.get(("resultaten", g, "eindjaar"), ()))
        for y in ey:
            t = {res(g, "afgerond", "eindjaar", e): 1 for e in ey if e <= y}
            for s in sy:
                if s <= y:
                    t[deel(g, "startjaar", s)] = -1
            add(9, t, "<=")
    return rels


def interval_attack(exact, pub, rels, primaries, first_leak=None, floor=0):
    """[lo, hi] of every primary cell given the published counts, one LP
    per connected part of the unknowns (cells tied by a relation). With
    first_leak(k, lo, hi) true, stops there."""
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix
    unknown = sorted(k for k in pub if pub[k] == "x" and protected(k))
    parent = {k: k for k in unknown}

    def root(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k
    rows = []  # (variables {key: coef}, rhs, sense)
    for _, terms, sense in rels:
        var = {k: a for k, a in terms.items() if k in parent}
        if not var:
            continue
        rhs = -sum(a * int(exact[k]) for k, a in terms.items() if k not in parent)
        rows.append((var, rhs, sense))
        ks = list(var)
        for k in ks[1:]:
            parent[root(k)] = root(ks[0])
    parts = defaultdict(list)
    for i, r in enumerate(rows):
        parts[root(next(iter(r[0])))].append(i)
    lps = {}

    def lp_of(r):  # the LP of the part with root r: columns and constraints
        rs = [rows[i] for i in parts.get(r, [])]
        cols = sorted({v for x in rs for v in x[0]} | {r})
        col = {v: j for j, v in enumerate(cols)}

        def mat(sense):
            sel = [x for x in rs if x[2] == sense]
            if not sel:
                return None, None
            data, ri, ci = [], [], []
            for i, (var, _, _) in enumerate(sel):
                for v, a in var.items():
                    data.append(a), ri.append(i), ci.append(col[v])
            return (csr_matrix((data, (ri, ci)), shape=(len(sel), len(cols))),
                    np.array([x[1] for x in sel], dtype=float))
        return (col,) + mat("=") + mat("<=")
    out = {}
    for k in primaries:
        r = root(k)
        if r not in lps:
            lps[r] = lp_of(r)
        col, A_eq, b_eq, A_ub, b_ub = lps[r]
        c = np.zeros(len(col))
        c[col[k]] = 1
        lo = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=(floor, None), method="highs-ds")
        hi = linprog(-c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=(floor, None), method="highs-ds")
        if lo.status not in (0, 3) or hi.status not in (0, 3):
            sys.exit("audit: the LP failed for %r: %s / %s" % (k, lo.message, hi.message))
        out[k] = (lo.fun if lo.status == 0 else float("-inf"),
                  -hi.fun if hi.status == 0 else float("inf"))
        if first_leak and first_leak(k, *out[k]):
            break
    return out


def main(argv):
    if len(argv) >= 2 and argv[1] == "--relations":
        cells = read(argv[2])
        by = defaultdict(int)
        for item, _, _ in relations(cells):
            by[item] += 1
        print(" ".join("%d:%d" % kv for kv in sorted(by.items())))
        return 0
    first = "--first-leak" in argv  # for a pattern expected to leak: stop at the first
    v1 = "--v1" in argv  # the six items and the test before issue 38
    argv = [a for a in argv if a not in ("--first-leak", "--v1")]
    exact, pub, n = read(argv[1]), read(argv[2]), int(argv[3])
    log = None
    if len(argv) > 4:
        log = {k: v for k, v in read(argv[4]).items()}
    errors = []
    if set(exact) != set(pub):
        print("audit: the published and exact tables have different cells (%d, %d)" % (len(pub), len(exact)))
        return 1
    rels = relations(exact, not v1)
    for item, terms, sense in rels:
        s = sum(a * int(exact[k]) for k, a in terms.items())
        if (sense == "=" and s != 0) or (sense == "<=" and s > 0):
            errors.append("relation of item %d does not hold on the exact counts: %r" % (item, terms))
    primaries = []
    for k, v in exact.items():
        p = pub[k]
        if protected(k) and not structural(k) and 0 < int(v) < n:
            primaries.append(k)
            if p != "x":
                errors.append("primary cell published: %s = %s" % (",".join(k), p))
        elif p == "x" and (not protected(k) or structural(k) or int(v) == 0) and k[4] not in ("procent", "behaald"):
            errors.append("suppressed although never to be: %s = %s" % (",".join(k), v))
        elif p != "x" and p != v:
            errors.append("published differs from exact: %s %s != %s" % (",".join(k), p, v))
    for k in exact:
        if k[0] == "indicatoren" and k[4] in ("procent", "behaald"):
            hidden = any(pub.get((k[0], k[1], k[2], k[3], m)) == "x" for m in ("waarde", "teller", "noemer"))
            if hidden != (pub[k] == "x"):
                errors.append("derived cell %s: x must be %s" % (",".join(k), hidden))
    if log is not None:
        want = {}
        for k in pub:
            if pub[k] == "x":
                want[k] = ("derived" if k[4] in ("procent", "behaald") else
                           "primary" if k in primaries else "secondary")
        if log != want:
            diff = sorted(set(log.items()) ^ set(want.items()))[:5]
            errors.append("the suppression log differs from the published x cells: %r" % diff)
    leaks = []
    if v1:  # unknowns >= 0, the range from 0 to N
        leaky = lambda k, lo, hi: lo > 1e-6 or hi < n - 1e-6
    else:  # SPEC §6: every x >= 1; [lo, hi] reaches N and holds N whole numbers
        leaky = lambda k, lo, hi: hi < n - 1e-6 or hi - lo < n - 1 - 1e-6
    for k, (lo, hi) in interval_attack(exact, pub, rels, primaries, leaky if first else None,
                                       0 if v1 else 1).items():
        if leaky(k, lo, hi):
            leaks.append("%s = %s lies in [%.4g, %.4g]" % (",".join(k), exact[k], lo, hi))
    nx = sum(1 for v in pub.values() if v == "x")
    print("audit N=%d: %d relations, %d primary cells, %d suppressed (sum %d), %d leak(s), %d other error(s)"
          % (n, len(rels), len(primaries), nx,
             sum(int(exact[k]) for k in pub if pub[k] == "x" and exact[k].isdigit()),
             len(leaks), len(errors)))
    for e in (leaks + errors)[:8]:
        print("  " + e)
    return 1 if leaks or errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
