#!/usr/bin/env python3
"""Checks a rendered HTML report against the CSV of the same run.

usage: html_check.py DOM CSV

DOM is the page as the browser built it (chromium --dump-dom).  Every mark of
a figure carries data-key="table|group|dimension|category|measure" and
data-value (the published text); each must equal the CSV's value for that key.
Also: the page references nothing outside itself, and every figure and table
has an id.  Prints the number of marks checked."""
import csv, re, sys
from html.parser import HTMLParser

dom, csv_path = sys.argv[1], sys.argv[2]
values = {}
for t, g, d, c, m, v in list(csv.reader(open(csv_path, newline="", encoding="utf-8")))[1:]:
    values["|".join((t, g, d, c, m))] = v

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.marks, self.external, self.missing_id, self.figures, self.tables = [], [], [], 0, 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-key" in a:
            self.marks.append((a["data-key"], a.get("data-value")))
        for k in ("src", "href"):
            if k in a and not (a[k] or "").startswith("#"):
                self.external.append((tag, k, a[k]))
        if tag in ("figure", "table", "svg"):
            self.figures += tag == "figure"
            self.tables += tag == "table"
            if not a.get("id"):
                self.missing_id.append(tag)

p = Page()
text = open(dom, encoding="utf-8").read()
p.feed(text)
errors = []
if p.external: errors.append("external references: %r" % p.external[:3])
if re.search(r"url\((?!#)", text): errors.append("a CSS url() to outside the page")
if p.missing_id: errors.append("elements without id: %r" % p.missing_id[:3])
if p.figures < 10 or p.tables < 30: errors.append("too few figures (%d) or tables (%d)" % (p.figures, p.tables))
if len(p.marks) < 100: errors.append("too few marks with data: %d" % len(p.marks))
for key, val in p.marks:
    if key not in values: errors.append("mark %s not in the CSV" % key)
    elif values[key] != val: errors.append("mark %s: page %r, csv %r" % (key, val, values[key]))
for e in errors[:10]: print(e)
if errors: sys.exit(1)
print(len(p.marks))
