#!/usr/bin/env python3
"""An independent, deliberately plain implementation of SPEC.md, used only to
check esfmon differentially (tests/e2e.sh).  It shares no code with esfmon:
its own tokenizer (a character state machine), its own validation and a
brute-force count (every accepted row kept in memory, then sorted).

    esfmon_ref.py [--period FROM:TO] [--peildatum DATE] FILE...   -> CSV tables on stdout
"""
import gzip, re, sys
from collections import defaultdict
from decimal import ROUND_DOWN, Decimal, InvalidOperation

COLS = ["rinpersoons", "rinpersoon", "project", "aanvrager", "doelgroep", "geslacht",
        "geboortedatum", "start", "eind", "eind_project", "positie_start", "positie_eind",
        "positie_12m", "contract_start", "contract_eind", "contract_12m", "uren_start",
        "uren_eind", "uren_12m", "uurloon_start", "uurloon_eind", "uurloon_12m", "srg_start",
        "srg_eind", "srg_12m", "onderwijs_start", "onderwijs_eind", "onderwijs_12m"]
REQ = ["rinpersoon", "project", "aanvrager", "start"]
AANV = {"gemeente": 0, "vsopro": 1, "vso/pro": 1, "vso-pro": 1, "uwv": 2, "jenv": 3}
SEX = {"m": 0, "man": 0, "1": 0, "v": 1, "vrouw": 1, "2": 1, "": 2}
POS = {"werkzaam": 0, "niet_werkzaam": 1, "niet-werkzaam": 1, "nietwerkzaam": 1,
       "inactief": 2, "onbekend": 3, "": 3}
CON = {"": 0, "vast": 1, "o": 1, "tijdelijk": 2, "b": 2}
BOOL = {"1": 0, "j": 0, "ja": 0, "0": 1, "n": 1, "nee": 1, "": 1}
DG = ["uitkering_6m", "arbeidsbelemmerd", "niet_uitkeringsontvanger", "statushouder", "jongere",
      "oudere", "gedetineerde", "tbs", "jji", "cji", "uwv_breed"]
REASONS = ["quote_open", "veldaantal", "verplicht_leeg", "te_lang", "onbekende_code", "datum",
           "getal", "eind_voor_start", "geboorte_na_start"]
GROUPS = ["gemeente", "vsopro", "uwv", "jenv"]
POSN = ["werkzaam", "niet_werkzaam", "inactief", "onbekend"]
STATES = ["verbeterd"] + POSN


class Reject(Exception):
    pass


def records(data, delim):
    """Yields (line, cells, status) with cells as (bytes, quoted)."""
    i, n, line = 0, len(data), 1
    pads = b" \t".replace(bytes([delim]), b"")
    while i < n:
        start_line = line
        cells, status = [], "ok"
        while True:
            while i < n and data[i] in pads and data[i] != 10:
                i += 1
            if i < n and data[i] == 34:  # quoted
                i += 1
                buf = bytearray()
                closed = False
                while i < n:
                    c = data[i]
                    if c == 34:
                        if i + 1 < n and data[i + 1] == 34:
                            buf.append(34); i += 2; continue
                        i += 1; closed = True; break
                    if c == 10:
                        line += 1
                    buf.append(c); i += 1
                cells.append((bytes(buf), True))
                if not closed:
                    status = "quote_open"; break
                while i < n and data[i] in pads:
                    i += 1
                if i < n and data[i] == 13 and (i + 1 == n or data[i + 1] == 10):
                    i += 1
                if i < n and data[i] not in (delim, 10):
                    status = "bad_quote"
                    while i < n and data[i] not in (delim, 10):
                        i += 1
            else:
                j = i
                while j < n and data[j] not in (delim, 10):
                    j += 1
                v = data[i:j]
                if (j == n or data[j] == 10) and v.endswith(b"\r"):
                    v = v[:-1]
                cells.append((v.strip(pads), False))
                i = j
            if i >= n:
                break
            if data[i] == 10:
                i += 1; line += 1
                break
            i += 1  # delimiter
        yield start_line, cells, status


def detect(data):
    counts = {c: 0 for c in b",;\t|"}
    inq = False
    for c in data:
        if c == 34:
            inq = not inq
        elif not inq and c == 10:
            break
        elif not inq and c in counts:
            counts[c] += 1
    best = 44
    for c in b";\t|":
        if counts[c] > counts[best]:
            best = c
    return best


PEIL = 0  # --peildatum as yyyymmdd, 0: none


def observable_12m(L):
    """Whether 12 months after L ended lie on or before the reference date
    (SPEC §5; 29 February plus 12 months is 1 March)."""
    y, md = divmod(L["eind"], 10000)
    later = (y + 1) * 10000 + (301 if md == 229 else md)
    return not PEIL or later <= PEIL


def parse_date(s, month_ok):
    if s == "":
        return 0
    if len(s) == 8 and s.isdigit() and s.isascii():
        y, m, d = int(s[:4]), int(s[4:6]), int(s[6:])
    elif len(s) == 10 and s[4] == "-" and s[7] == "-" and (s[:4] + s[5:7] + s[8:]).isdigit() and s.isascii():
        y, m, d = int(s[:4]), int(s[5:7]), int(s[8:])
    elif month_ok and len(s) == 6 and s.isdigit() and s.isascii():
        y, m, d = int(s[:4]), int(s[4:]), 1
    elif s.isascii() and re.fullmatch(r"([0-9]{1,2})([-/])([0-9]{1,2})\2([0-9]{4})", s):
        g = re.fullmatch(r"([0-9]{1,2})([-/])([0-9]{1,2})\2([0-9]{4})", s)  # day first (SPEC §2.2)
        y, m, d = int(g.group(4)), int(g.group(3)), int(g.group(1))
    else:
        raise ValueError
    import calendar
    if not (1900 <= y <= 2100 and 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]):
        raise ValueError
    return y * 10000 + m * 100 + d


# esfmon keeps numbers as int64 in units of 1e-9 (README: a wage above
# 9,223,372,036 euro is getal)
LOON_MAX = Decimal("9223372036.854775807")


def parse_num(s, hi):
    if s == "":
        return Decimal(-1)
    t = s.replace(",", ".", 1)
    ok = t and all(c in "0123456789." for c in t) and t.count(".") <= 1 and any(c.isdigit() for c in t)
    if not ok:
        raise ValueError
    v = Decimal(t)
    # any number of decimals (SPEC §2.2); esfmon keeps nine, cut
    if hi is not None and v > hi:
        raise ValueError
    return v.quantize(Decimal("1e-9"), rounding=ROUND_DOWN)


def parse_row(cells, hdr):
    def get(c):
        k = hdr.get(c)
        return "" if k is None else cells[k][0].decode("latin-1")
    for c in REQ:
        if get(c) == "":
            raise Reject("verplicht_leeg")
    ids = [get(c) for c in ("rinpersoons", "rinpersoon", "project")]
    if len(ids[0]) > 8 or len(ids[1]) > 32 or len(ids[2]) > 64:
        raise Reject("te_lang")
    r = {"rins": ids[0] or "R", "rin": ids[1], "project": ids[2].encode("latin-1")}
    try:
        r["aanvrager"] = AANV[get("aanvrager").lower()]
        dg = set()
        for part in get("doelgroep").replace("+", "|").split("|"):
            part = part.strip(" ")
            if part:
                dg.add(DG.index(part.lower()))
        r["dg"] = tuple(sorted(dg))
        r["sex"] = SEX[get("geslacht").lower()]
        r["pos"] = [POS[get("positie_" + m).lower()] for m in ("start", "eind", "12m")]
        r["con"] = [CON[get("contract_" + m).lower()] for m in ("start", "eind", "12m")]
        r["srg"] = [BOOL[get("srg_" + m).lower()] for m in ("start", "eind", "12m")]
        r["ond"] = [BOOL[get("onderwijs_" + m).lower()] for m in ("start", "eind", "12m")]
    except (KeyError, ValueError):
        raise Reject("onbekende_code")
    try:
        r["geb"] = parse_date(get("geboortedatum"), True)
        r["start"] = parse_date(get("start"), False)
        r["eind"] = parse_date(get("eind"), False)
        r["eindp"] = parse_date(get("eind_project"), False)
    except ValueError:
        raise Reject("datum")
    try:
        r["uren"] = [parse_num(get("uren_" + m), Decimal(168)) for m in ("start", "eind", "12m")]
        r["loon"] = [parse_num(get("uurloon_" + m), LOON_MAX) for m in ("start", "eind", "12m")]
    except (ValueError, InvalidOperation):
        raise Reject("getal")
    if r["eind"] and r["eind"] < r["start"]:
        raise Reject("eind_voor_start")
    if r["geb"] and r["geb"] > r["start"]:
        raise Reject("geboorte_na_start")
    return r


def cols_key(r):
    return (r["aanvrager"], r["dg"], r["sex"], r["geb"], r["start"], r["eind"], r["eindp"],
            *r["pos"], *r["con"], *r["uren"], *r["loon"], *r["srg"], *r["ond"])


def finished(r):
    return r["eind"] != 0 and (r["eindp"] == 0 or r["eind"] <= r["eindp"])


def verb(L, m):
    if L["pos"][0] != 0 or L["pos"][m] != 0:
        return False
    u, w = L["uren"], L["loon"]
    return ((L["con"][0] == 2 and L["con"][m] == 1) or (u[0] >= 0 and u[m] >= 0 and u[m] > u[0])
            or (w[0] >= 0 and w[m] >= 0 and w[m] > w[0]) or (L["srg"][0] == 0 and L["srg"][m] == 1))


def werk(L, m):
    return L["pos"][0] in (1, 2) and L["pos"][m] == 0


def age_cat(first):
    if not first["geb"]:
        return "onbekend"
    b, s = first["geb"], first["start"]
    age = s // 10000 - b // 10000 - (1 if s % 10000 < b % 10000 else 0)
    return "jonger_dan_28" if age < 28 else "28_49" if age < 50 else "50_plus"


def pct(num, den):
    if den == 0:
        return ""
    q = (Decimal(num) * 1000 / Decimal(den)).quantize(Decimal(1), rounding="ROUND_HALF_UP")
    return "%d.%d" % (q // 10, q % 10)


def main(argv):
    pfrom, pto, files = 0, 0, []
    global PEIL
    i = 0
    while i < len(argv):
        if argv[i] == "--period":
            a, b = argv[i + 1].split(":")
            pfrom, pto = parse_date(a, False), parse_date(b, False)
            i += 2
        elif argv[i] == "--peildatum":
            PEIL = parse_date(argv[i + 1], False)
            i += 2
        else:
            files.append(argv[i]); i += 1
    inv = {k: 0 for k in ("gelezen", "geaccepteerd", "afgewezen", "gefilterd")}
    rej = {k: 0 for k in REASONS}
    rows = []
    for f in files:
        data = sys.stdin.buffer.read() if f == "-" else open(f, "rb").read()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        if data[:3] == b"\xef\xbb\xbf":
            data = data[3:]
        delim = detect(data.lstrip(b"\r\n "))
        hdr = None
        for line, cells, status in records(data, delim):
            if status == "ok" and len(cells) == 1 and not cells[0][1] and cells[0][0] == b"":
                continue
            if hdr is None:
                hdr = {}
                names = [c[0].decode("latin-1").strip(" ").lower() for c in cells]
                for k, nm in enumerate(names):
                    if nm in COLS:
                        hdr[nm] = k
                nfields = len(cells)
                continue
            inv["gelezen"] += 1
            try:
                if status != "ok":
                    raise Reject("quote_open")
                if len(cells) != nfields:
                    raise Reject("veldaantal")
                r = parse_row(cells, hdr)
            except Reject as e:
                inv["afgewezen"] += 1
                rej[e.args[0]] += 1
                continue
            if (pfrom and r["start"] < pfrom) or (pto and r["start"] > pto):
                inv["gefilterd"] += 1
                continue
            inv["geaccepteerd"] += 1
            rows.append(r)

    out = []
    def add(t, g, d, c, m, v):
        out.append((t.encode(), g if isinstance(g, bytes) else g.encode(), d.encode(), c.encode(), m.encode(), str(v)))

    by = {}
    for r in rows:
        by.setdefault((r["rins"], r["rin"]), []).append(r)
    cats = [("totaal", "totaal")] + [("leeftijd", a) for a in ("jonger_dan_28", "28_49", "50_plus", "onbekend")] \
        + [("geslacht", s) for s in ("man", "vrouw", "onbekend")] + [("positie_start", p) for p in POSN] \
        + [("doelgroep", d) for d in DG]
    meas = ["afgerond", "werk_eind", "werk_12m", "verbeterd_eind", "verbeterd_12m", "onbekend_eind",
            "onbekend_12m", "onderwijs_eind", "onderwijs_12m"] + (["niet_waarneembaar_12m"] if PEIL else [])
    twelve_of = defaultdict(list)  # group -> (observable, result at 12m, onbekend at 12m) per finished person
    allg = GROUPS + ["amr", "totaal"]
    deel = {(g, c): 0 for g in allg for c in cats}
    res = {(g, c, m): 0 for g in allg for c in cats for m in meas}
    se = {(g, f, t): 0 for g in allg for f in POSN for t in STATES}
    e12 = {(g, f, t): 0 for g in allg for f in STATES for t in STATES}
    # years of the counted rows' start and of the counted finished trajectories' eind
    syears = [r["start"] // 10000 for r in rows]
    eyears = [r["eind"] // 10000 for r in rows if finished(r)]
    sy = range(min(syears), max(syears) + 1) if syears else range(0)
    ey = range(min(eyears), max(eyears) + 1) if eyears else range(0)
    deel_y = {(g, y): 0 for g in allg for y in sy}
    res_y = {(g, y, m): 0 for g in allg for y in ey for m in meas}
    attr = {}  # project of last(p,totaal) -> [toegerekend, werk_eind, werk_12m, verbeterd_eind, verbeterd_12m]
    jen = {k: 0 for k in ("RI5", "RI6")}
    jnum = {k: 0 for k in ("RI5", "RI6", "RI5_cbs2018", "RI6_cbs2018")}
    for trs in by.values():
        members = {
            "gemeente": [r for r in trs if r["aanvrager"] == 0],
            "vsopro": [r for r in trs if r["aanvrager"] == 1],
            "uwv": [r for r in trs if r["aanvrager"] == 2],
            "jenv": [r for r in trs if r["aanvrager"] == 3],
            "amr": [r for r in trs if r["aanvrager"] in (0, 1)],
            "totaal": trs,
        }
        for g, rs in members.items():
            if not rs:
                continue
            first = min(rs, key=lambda r: (r["start"], r["project"], cols_key(r)))
            dgs = set()
            for r in rs:
                dgs |= set(r["dg"])
            my = [("totaal", "totaal"), ("leeftijd", age_cat(first)), ("geslacht", ["man", "vrouw", "onbekend"][first["sex"]])] \
                + [("doelgroep", DG[d]) for d in sorted(dgs)]
            for c in my + [("positie_start", POSN[first["pos"][0]])]:
                deel[(g, c)] += 1
            deel_y[(g, first["start"] // 10000)] += 1
            fin = [r for r in rs if finished(r)]
            if not fin:
                continue
            L = min(fin, key=lambda r: (-r["eind"], r["project"], cols_key(r)))
            flags = {"afgerond": True, "werk_eind": werk(L, 1), "werk_12m": werk(L, 2),
                     "verbeterd_eind": verb(L, 1), "verbeterd_12m": verb(L, 2),
                     "onbekend_eind": L["pos"][1] == 3, "onbekend_12m": L["pos"][2] == 3,
                     "onderwijs_eind": L["ond"][1] == 0, "onderwijs_12m": L["ond"][2] == 0,
                     "niet_waarneembaar_12m": not observable_12m(L)}
            twelve_of[g].append((observable_12m(L), werk(L, 2) or verb(L, 2), L["pos"][2] == 3))
            # results by L.positie_start: the start of the trajectory they are of (SPEC §5)
            for c in my + [("positie_start", POSN[L["pos"][0]])]:
                for m in meas:
                    res[(g, c, m)] += flags[m]
            for m in meas:
                res_y[(g, L["eind"] // 10000, m)] += flags[m]
            if g == "totaal":
                a = attr.setdefault(L["project"], [0, 0, 0, 0, 0])
                for k, m in enumerate(("afgerond", "werk_eind", "werk_12m", "verbeterd_eind", "verbeterd_12m")):
                    a[k] += flags[m]
            st = lambda m: "verbeterd" if verb(L, m) else POSN[L["pos"][m]]
            se[(g, POSN[L["pos"][0]], st(1))] += 1
            e12[(g, st(1), st(2))] += 1
            if g == "jenv":
                ok = L["pos"][1] == 0 or L["ond"][1] == 0
                ok18 = L["pos"][1] == 0 or (L["ond"][0] == 1 and L["ond"][1] == 0)
                for k, pop in (("RI5", {6, 7}), ("RI6", {8, 9})):
                    if dgs & pop:
                        jen[k] += 1
                        jnum[k] += ok
                        jnum[k + "_cbs2018"] += ok18
    for (g, (d, c)), v in deel.items():
        add("deelnemers", g, d, c, "n", v)
    for (g, (d, c), m), v in res.items():
        add("resultaten", g, d, c, m, v)
    for (g, y), v in deel_y.items():
        add("deelnemers", g, "startjaar", str(y), "n", v)
    for (g, y, m), v in res_y.items():
        add("resultaten", g, "eindjaar", str(y), m, v)
    for (g, f, t), v in se.items():
        add("overgangen", g, "start_eind", f + ">" + t, "n", v)
    for (g, f, t), v in e12.items():
        add("overgangen", g, "eind_12m", f + ">" + t, "n", v)
    tg = {"OI1": 72500, "OI1_som": 72500, "OI2": 5700, "OI3": 10900, "RI1": 20, "RI2": 25, "RI2_bekend": 25, "RI3": 55,
          "RI4": 65, "RI4_bekend": 65, "RI5": 22, "RI5_cbs2018": 22, "RI6": 60, "RI6_cbs2018": 60}
    for name, g in (("OI1", "amr"), ("OI1_som", "amr"), ("OI2", "uwv"), ("OI3", "jenv")):
        w = deel[(g, ("totaal", "totaal"))]
        if name == "OI1_som":  # the report's B4.1: gemeente plus vsopro, not deduplicated
            w = deel[("gemeente", ("totaal", "totaal"))] + deel[("vsopro", ("totaal", "totaal"))]
        add("indicatoren", g, "indicator", name, "waarde", w)
        add("indicatoren", g, "indicator", name, "streefwaarde", tg[name])
        add("indicatoren", g, "indicator", name, "procent", pct(w, tg[name]))
        add("indicatoren", g, "indicator", name, "behaald", 1 if w >= tg[name] else 0)
    for name, g in (("RI1", "amr"), ("RI2", "amr"), ("RI2_bekend", "amr"), ("RI3", "uwv"), ("RI4", "uwv"),
                    ("RI4_bekend", "uwv"), ("RI5", "jenv"), ("RI5_cbs2018", "jenv"), ("RI6", "jenv"),
                    ("RI6_cbs2018", "jenv")):
        T = lambda m: res[(g, ("totaal", "totaal"), m)]
        if g == "jenv":
            te, no = jnum[name], jen[name[:3]]
        else:
            twelve = name in ("RI2", "RI4") or name.endswith("_bekend")
            te = T("werk_12m") + T("verbeterd_12m") if twelve else T("werk_eind") + T("verbeterd_eind")
            no = T("afgerond") - (T("onbekend_12m") if name.endswith("_bekend") else 0)
            if twelve and PEIL:  # the persons observable at 12 months only, counted afresh
                pop = [x for x in twelve_of[g] if x[0] and not (name.endswith("_bekend") and x[2])]
                te, no = sum(1 for x in pop if x[1]), len(pop)
        add("indicatoren", g, "indicator", name, "teller", te)
        add("indicatoren", g, "indicator", name, "noemer", no)
        add("indicatoren", g, "indicator", name, "streefwaarde", tg[name])
        add("indicatoren", g, "indicator", name, "procent", pct(te, no))
        add("indicatoren", g, "indicator", name, "behaald", "" if no == 0 else (1 if 100 * te >= tg[name] * no else 0))
    prj = {}
    for r in rows:
        e = prj.setdefault(r["project"], [set(), 0, set(), [0, 0, 0, 0]])
        e[0].add((r["rins"], r["rin"]))
        e[1] += 1
        e[3][r["aanvrager"]] += 1
        if finished(r):
            e[2].add((r["rins"], r["rin"]))
    for p, (ps, nt, fs, by) in prj.items():
        add("projecten", p, "totaal", "totaal", "deelnemers", len(ps))
        add("projecten", p, "totaal", "totaal", "trajecten", nt)
        for k, code in enumerate(("gemeente", "vsopro", "uwv", "jenv")):  # the project's applicant (SPEC §5)
            add("projecten", p, "aanvrager", code, "trajecten", by[k])
        add("projecten", p, "totaal", "totaal", "afgerond", len(fs))
        a = attr.get(p, [0, 0, 0, 0, 0])
        for k, m in enumerate(("toegerekend", "werk_eind", "werk_12m", "verbeterd_eind", "verbeterd_12m")):
            add("projecten", p, "totaal", "totaal", m, a[k])
    for k, v in inv.items():
        add("invoer", "invoer", "rijen", k, "n", v)
    for k, v in rej.items():
        add("invoer", "invoer", "afwijzing", k, "n", v)
    out.sort(key=lambda r: r[:5])
    w = sys.stdout.buffer
    w.write(b"table,group,dimension,category,measure,value\n")
    def q(b):
        if any(c in b for c in b',"\r\n'):
            return b'"' + b.replace(b'"', b'""') + b'"'
        return b
    for t, g, d, c, m, v in out:
        w.write(b",".join([q(t), q(g), q(d), q(c), q(m), q(v.encode())]) + b"\n")


if __name__ == "__main__":
    main(sys.argv[1:])
