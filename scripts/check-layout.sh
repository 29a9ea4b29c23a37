#!/usr/bin/env bash
# The house plan, checked: library files depend on each other one way only
# (no cycle of symbols between src/*.o: tsort finds one), and none is over
# 600 lines.  Usage: scripts/check-layout.sh BUILD_DIR
set -euo pipefail
obj=${1:-build}/obj
edges=$(mktemp); trap 'rm -f "$edges"' EXIT
for o in "$obj"/*.o; do
    f=$(basename "$o" .o); case $f in main*|esfgen) continue;; esac
    nm --defined-only -g "$o" 2>/dev/null | awk -v f="$f" 'NF==3 {print $3, f}'
done | sort -u > "$edges.def"
for o in "$obj"/*.o; do
    f=$(basename "$o" .o); case $f in main*|esfgen) continue;; esac
    nm -u "$o" 2>/dev/null | awk '{print $2}' | sort -u | join - "$edges.def" | awk -v f="$f" '$2 != f {print f, $2}'
done | sort -u > "$edges"
rm -f "$edges.def"
if ! tsort "$edges" > /dev/null 2> "$edges.err"; then
    echo "layout: a cycle between library files:"; cat "$edges.err"; rm -f "$edges.err"; exit 1
fi
rm -f "$edges.err"
long=$(wc -l src/*.c src/*.h | awk '$2 != "total" && $1 > 600 {print $2 " (" $1 " lines)"}')
if [ -n "$long" ]; then echo "layout: files over 600 lines: $long"; exit 1; fi
echo "layout: $(wc -l < "$edges") dependencies between $(ls "$obj"/*.o | grep -cv -e /main -e /esfgen.o) library files, no cycle; no file over 600 lines"
