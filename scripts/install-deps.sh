#!/usr/bin/env bash
# Installs what esfmon needs to build and test, only what is missing.
# Idempotent: a second run installs nothing and prints nothing.
set -euo pipefail

pkgs=(make gcc libc6-dev zlib1g-dev libxxhash-dev libglpk-dev libcriterion-dev pkg-config python3 gzip
      clang libclang-rt-14-dev cppcheck clang-tidy valgrind
      chromium fonts-dejavu-core   # the HTML report is checked in headless Chromium
      python3-scipy                # tests: the disclosure audit solves its LPs with HiGHS
      locales                      # a test writes every format under nl_NL (decimal comma)
      xxhash python3-jsonschema    # tests: --manifest's digests against xxh128sum, its schema
      libreadstat-dev readstat     # SPSS, Stata and SAS files (SPEC §2.8); readstat, the
                                   # command, is make bench's reference for them
      libisal-dev isal)            # optional: gzip through ISA-L (about 5x zlib's inflate
                                   # here); igzip is make bench's reference for it
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# the library's output must not depend on the host program's locale: a
# unit test sets nl_NL.UTF-8, which a fresh machine has not generated
need_locale=true
locale -a 2>/dev/null | grep -qix 'nl_NL\.utf-\?8' && need_locale=false
[ ${#missing[@]} -eq 0 ] && ! $need_locale && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install ${missing[*]} nl_NL.UTF-8" >&2; exit 1; }
    sudo=sudo
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! locale -a 2>/dev/null | grep -qix 'nl_NL\.utf-\?8'; then
    echo "install-deps: generating the locale nl_NL.UTF-8" >&2
    $sudo localedef -i nl_NL -f UTF-8 nl_NL.UTF-8
fi
