#!/usr/bin/env bash
# make install, checked as a user of the library would use it: a program
# built against the installed copy through pkg-config (shared and static)
# gives esfmon's output; the shared library exports only the API of
# esfmon.h and has its SONAME; the man page names every option of --help
# and every exit status; DESTDIR stages; make uninstall removes every file.
set -euo pipefail
cd "$(dirname "$0")/.."
T=$(mktemp -d "${TMPDIR:-/tmp}/esfmon-install.XXXXXX"); trap 'rm -rf "$T"' EXIT
fail() { echo "install: $*"; exit 1; }
P="$T/prefix"; G=tests/golden/core.csv
make -s install PREFIX="$P" > /dev/null
export PKG_CONFIG_PATH="$P/lib/pkgconfig"
[ "$(pkg-config --modversion esfmon)" = "$("$P/bin/esfmon" --version | head -1 | cut -d' ' -f2)" ] || fail "pkg-config version differs from esfmon --version"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror tests/install/use_esfmon.c $(pkg-config --cflags --libs esfmon) -o "$T/use"
readelf -d "$T/use" | grep -q 'NEEDED.*libesfmon.so.0' || fail "not linked to libesfmon.so.0"
"$P/bin/esfmon" -q --max-rejects 9 "$G" > "$T/want.csv"
LD_LIBRARY_PATH="$P/lib" "$T/use" "$G" > "$T/got.csv" || fail "the program on the shared library failed"
cmp -s "$T/want.csv" "$T/got.csv" || fail "the program on the shared library writes other tables than esfmon"
# shellcheck disable=SC2046
cc -std=c11 tests/install/use_esfmon.c $(pkg-config --cflags esfmon) "$P/lib/libesfmon.a" \
    $(pkg-config --libs-only-other --libs-only-l --static esfmon | sed 's/-lesfmon//') -o "$T/use-static"
"$T/use-static" "$G" | cmp -s - "$T/want.csv" || fail "the program on the static library writes other tables"
so="$P/lib/libesfmon.so"
[ "$(readelf -d "$so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')" = libesfmon.so.0 ] || fail "SONAME is not libesfmon.so.0"
api=$(grep -o '^ESF_API [^(]*(' "$P/include/esfmon.h" | sed 's/.*[ *]\(esf_[a-z_]*\)($/\1/' | sort)
exported=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -v '^$' | sort)
[ "$api" = "$exported" ] || fail "the shared library exports other symbols than esfmon.h's API: $(diff <(echo "$api") <(echo "$exported") | grep '^[<>]' | tr '\n' ' ')"
man="$P/share/man/man1/esfmon.1"
for opt in $("$P/bin/esfmon" --help | grep -o -- '--[a-z-]*' | sort -u); do
    grep -q -- "$(echo "$opt" | sed 's/-/\\\\-/g')" "$man" || fail "the man page does not document $opt"
done
for s in 0 1 2 3; do grep -q "^\.B $s\$" "$man" || fail "the man page lacks exit status $s"; done
grep -q '^\.SH EXAMPLES' "$man" || fail "the man page has no examples"
grep -q '^\.SH INPUT' "$man" || fail "the man page has no INPUT section"
for d in INPUT.md MANIFEST.md manifest.schema.json; do
    [ -f "$P/share/doc/esfmon/$d" ] || fail "make install did not install docs/$d"
done
make -s install PREFIX=/usr DESTDIR="$T/stage" > /dev/null
[ -x "$T/stage/usr/bin/esfmon" ] && [ -f "$T/stage/usr/lib/pkgconfig/esfmon.pc" ] || fail "DESTDIR not honoured"
grep -q '^prefix=/usr$' "$T/stage/usr/lib/pkgconfig/esfmon.pc" || fail "esfmon.pc under DESTDIR does not say prefix=/usr"
grep -q '^includedir=${prefix}/include$' "$T/stage/usr/lib/pkgconfig/esfmon.pc" || fail "esfmon.pc: includedir not under \${prefix}"
[ "$(PKG_CONFIG_PATH="$T/stage/usr/lib/pkgconfig" pkg-config --define-prefix --cflags esfmon | sed "s/ *$//")" = "-I$T/stage/usr/include" ] ||
    fail "pkg-config --define-prefix does not find the DESTDIR install"
make -s uninstall PREFIX="$P" > /dev/null
left=$(find "$P" \( -type f -o -type l \) | wc -l)
[ "$left" -eq 0 ] || fail "make uninstall left $left files"
echo "install: pkg-config program (shared and static) = esfmon, $(echo "$exported" | wc -l) symbols exported = the API, man page complete, docs installed, DESTDIR, uninstall clean"
