# tests/e2e/lib.sh - what every end-to-end case file uses: the binaries, a
# scratch directory $T, the golden extract $G, and the checks, each of which
# reports one named case (PASS/FAIL NAME, with what went wrong).
ESFMON=${ESFMON:-build/esfmon}
BUILD_DIR=$(dirname "$ESFMON")
ESFGEN=${ESFGEN:-build/esfgen}
REF="python3 tests/ref/esfmon_ref.py"
T=$(mktemp -d "${TMPDIR:-/tmp}/esfmon-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
# LIGHT: a build other than the plain one (the sanitizers, SANITIZED; CI's
# zlib build, E2E_LIGHT).  Cases that watch volume or the page in a browser,
# not the library's memory, threads or gzip, run in the plain build only.
LIGHT=${SANITIZED:-${E2E_LIGHT:-}}
ok()   { pass=$((pass + 1)); echo "PASS $GROUP: $1"; }
bad()  { fail=$((fail + 1)); echo "FAIL $GROUP: $1"; [ $# -gt 1 ] && echo "  $2"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }

G=tests/golden/core.csv
# Disclosure control needs more persons than the golden extract's dozen:
# there zeros, the invoer table and every x being at least 1 pin some cells
# whatever is suppressed (SPEC §6).  300 generated ones (esfgen's bytes
# are the same for the same arguments).
D=$T/dc300.csv
"$ESFGEN" --persons 300 --seed 3 -o "$T/dc300" 2>/dev/null && mv "$T/dc300/extract_01.csv" "$D"
nonzero() { awk -F, 'NR>1 && $6!="0" && $6!="" && $5!="streefwaarde"' | LC_ALL=C sort; }

# has FILE PATTERN...: every pattern (grep -E, one line each) is in FILE.
has() {
    local f=$1; shift
    for p in "$@"; do grep -qaE -- "$p" "$f" || { echo "  $f lacks: $p" >&2; return 1; }; done
}
# lacks FILE PATTERN: the pattern is nowhere in FILE.
lacks() { ! grep -qaE -- "$2" "$1"; }
# count_is N FILE PATTERN: PATTERN is on exactly N lines of FILE.
count_is() { [ "$(grep -caE -- "$3" "$2")" -eq "$1" ]; }
expect_exit() { # name, status, stderr pattern, command...
    local name=$1 want=$2 pat=$3; shift 3
    "$@" > "$T/x.out" 2> "$T/x.err"; local rc=$?
    if [ $rc -eq "$want" ] && grep -q -- "$pat" "$T/x.err"; then ok "$name"
    else bad "$name" "exit $rc, stderr: $(head -3 "$T/x.err")"; fi
}
same() { # name, command producing output
    local name=$1; shift
    if "$@" > "$T/inv.out" 2>/dev/null && cmp -s "$T/core.out" "$T/inv.out"; then ok "invariance: $name"
    else bad "invariance: $name" "$(diff "$T/core.out" "$T/inv.out" | head -4)"; fi
}
