#!/usr/bin/env bash
# The house plan, checked (docs/ARCHITECTURE.md):
# - src/ has a folder per stage, in this order, and a folder's files include
#   only from their own folder and the ones before it, another folder's
#   through its one header FOLDER/FOLDER.h (common/common.h), which says
#   what the folder offers; the CLI (src/cli) only the public header;
# - no cycle between library files, at the level of symbols (nm: a file
#   calls what another defines) and of includes (x.c and x.h are one file;
#   a header without its .c is a file of its own): tsort finds one;
# - no file over 600 lines.
# Usage: scripts/check-layout.sh BUILD_DIR
set -euo pipefail
STAGES=(common input count tabulate render run)
obj=${1:-build}/obj
edges=$(mktemp); trap 'rm -f "$edges" "$edges".*' EXIT
fail() { echo "layout: $*" >&2; exit 1; }

# folders: what is there, and what each file includes
for d in src/*/; do
    d=${d%/}; d=${d#src/}
    [[ " ${STAGES[*]} cli " == *" $d "* ]] || fail "src/$d is no stage folder (${STAGES[*]} cli)"
done
[ -z "$(ls src/*.[ch] 2>/dev/null)" ] || fail "files directly in src/: $(ls src/*.[ch] | tr '\n' ' ')"
rank() { local i; for i in "${!STAGES[@]}"; do [ "${STAGES[$i]}" = "$1" ] && { echo "$i"; return; }; done; echo 99; }
for f in src/*/*.[ch]; do
    d=$(basename "$(dirname "$f")"); m=$(basename "$f"); m=${m%.*}
    { grep -o '^#include "[^"]*"' "$f" || true; } | sed 's/#include "//; s/"$//' | while read -r inc; do
        if [[ $inc == */* ]]; then
            t=${inc%%/*}; h=${inc#*/}
            [ "$d" = cli ] && fail "$f includes $inc: the CLI uses the public header only"
            [ "$h" = "$t.h" ] || fail "$f includes $inc: another folder's files are reached through $t/$t.h"
            [ "$t" != "$d" ] || fail "$f includes its own folder's header $inc"
            [ "$(rank "$t")" -lt "$(rank "$d")" ] || fail "$f includes $inc: $t comes after $d (${STAGES[*]})"
            echo "$m $t"
        elif [ -f "src/$d/$inc" ]; then
            if [ "$inc" = "$d.h" ] && [ "$m" != "$d" ]; then fail "$f includes its own folder's header $inc"; fi
            if [ "${inc%.h}" != "$m" ]; then echo "$m ${inc%.h}"; fi
        elif [ "$inc" != esfmon.h ]; then
            fail "$f includes \"$inc\", which is not in src/$d"
        fi
    done
done | sort -u > "$edges.inc"

# symbols: who calls what another library file defines
for o in "$obj"/*/*.o; do
    f=$(basename "$o" .o); case $o in */cli/*) continue;; esac
    nm --defined-only -g "$o" 2>/dev/null | awk -v f="$f" 'NF==3 {print $3, f}'
done | sort -u > "$edges.def"
for o in "$obj"/*/*.o; do
    f=$(basename "$o" .o); case $o in */cli/*) continue;; esac
    nm -u "$o" 2>/dev/null | awk '{print $2}' | sort -u | join - "$edges.def" | awk -v f="$f" '$2 != f {print f, $2}'
done | sort -u > "$edges"
for kind in symbols includes; do
    g=$edges; [ $kind = includes ] && g=$edges.inc
    if ! tsort "$g" > /dev/null 2> "$edges.err"; then
        echo "layout: a cycle between library files ($kind):"; cat "$edges.err"; exit 1
    fi
done
# both together: a file that includes another's header while that one calls it
sort -u "$edges" "$edges.inc" > "$edges.all"
if ! tsort "$edges.all" > /dev/null 2> "$edges.err"; then
    echo "layout: a cycle between library files (symbols and includes together):"; cat "$edges.err"; exit 1
fi
long=$(wc -l src/*/*.c src/*/*.h | awk '$2 != "total" && $1 > 600 {print $2 " (" $1 " lines)"}')
[ -z "$long" ] || fail "files over 600 lines: $long"
echo "layout: ${#STAGES[@]} stage folders in order; $(wc -l < "$edges") symbol and $(wc -l < "$edges.inc") include dependencies between $(ls "$obj"/*/*.o | grep -cv /cli/) library files, no cycle; no file over 600 lines"
