# esfmon - GNU make.  `make help` lists the targets.
# User CFLAGS/LDFLAGS/MOREFLAGS are appended last, so they win.

SHELL   := /bin/bash
CC      ?= cc
BUILD   ?= build
OPT     ?= -O3
WARN    := -Wall -Wextra -Wshadow -Wconversion -Wstrict-prototypes \
           -Wmissing-prototypes -Wpointer-arith -Wformat=2 -Wundef -Wvla \
           -Wcast-qual -Wwrite-strings -Wold-style-definition -Werror=implicit-function-declaration
# Link-time optimisation with GCC (field parsers inline into row_parse across
# files: 8% fewer instructions per row); LTO= turns it off, the sanitizer
# builds do without it.  Fat objects: the unit tests link the plain code.
LTO     ?= $(shell $(CC) --version 2>/dev/null | grep -q 'Free Software Foundation' && \
                   command -v gcc-ar >/dev/null && echo -flto=auto -ffat-lto-objects)
ifneq ($(LTO),)
AR      := gcc-ar
endif
BASE_CFLAGS := -std=c11 -pthread -g $(OPT) $(LTO) -D_GNU_SOURCE -Iinclude -Isrc -MMD -MP $(WARN)
# src/ by stage, each folder including only from its own and the ones
# before it (scripts/check-layout.sh): a folder's files name another's
# header as FOLDER/FOLDER.h.  The tests reach inside every folder.
STAGES      := common input count tabulate render run
TEST_INC    := -Itests $(addprefix -Isrc/,$(STAGES))
ALL_CFLAGS   = $(BASE_CFLAGS) $(SANFLAGS) $(CFLAGS) $(MOREFLAGS)
LIBS        := -lz -lxxhash -lglpk -lm -pthread
# ISA-L inflates gzip about 3x faster than zlib: used when its header is
# there at build time (Debian libisal-dev), zlib otherwise; ISAL=0 forces zlib.
ISAL ?= $(shell echo '\#include <isa-l/igzip_lib.h>' | $(CC) -E -x c - >/dev/null 2>&1 && echo 1 || echo 0)
ifeq ($(ISAL),1)
ISAL_DEF    := -DESF_HAVE_ISAL
BASE_CFLAGS += $(ISAL_DEF)
LIBS        += -lisal
endif
# SPSS, Stata and SAS files (SPEC §2.8) are read through ReadStat when its
# header is there at build time (Debian libreadstat-dev); READSTAT=0 builds
# without it (such a file is then an error naming the library).
READSTAT ?= $(shell echo '\#include <readstat.h>' | $(CC) -E -x c - >/dev/null 2>&1 && echo 1 || echo 0)
ifeq ($(READSTAT),1)
READSTAT_DEF := -DESF_HAVE_READSTAT
BASE_CFLAGS  += $(READSTAT_DEF)
LIBS         += -lreadstat
endif
TEST_LIBS   := -lcriterion

LIB_SRC  := $(foreach d,$(STAGES),$(wildcard src/$(d)/*.c))  # src/cli: the CLI
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
CLI_OBJ  := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(wildcard src/cli/*.c))
PIC_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/pic/%.o)
VERSION  := $(shell sed -n 's/^\#define ESF_VERSION "\(.*\)"/\1/p' include/esfmon.h)
MAJOR    := $(firstword $(subst ., ,$(VERSION)))
SONAME   := libesfmon.so.$(MAJOR)

# make install: PREFIX and DESTDIR as usual.
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
INCLUDEDIR ?= $(PREFIX)/include
LIBDIR     ?= $(PREFIX)/lib
MANDIR     ?= $(PREFIX)/share/man
DOCDIR     ?= $(PREFIX)/share/doc/esfmon
# esfmon.pc names the directories under the prefix as ${prefix}/..., so that
# pkg-config --define-prefix finds a DESTDIR or moved install
PC_INCLUDEDIR = $(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))
PC_LIBDIR     = $(patsubst $(PREFIX)/%,$${prefix}/%,$(LIBDIR))
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TEST_TOOLS := $(BUILD)/tests/tools/dc_probe

.PHONY: all lib install uninstall test unit e2e demo bench bench-check duckdb asan ubsan sanitize tsan fuzz fuzz-run lint layout clean help deps
.DEFAULT_GOAL := all

all: $(BUILD)/esfmon $(BUILD)/esfgen

help:
	@echo "make            build $(BUILD)/esfmon and $(BUILD)/esfgen"
	@echo "make test       install missing dependencies, build, run every test"
	@echo "make install    bin/esfmon, include/esfmon.h, lib/libesfmon.{a,so}, pkg-config file and"
	@echo "                man page under DESTDIR PREFIX (default /usr/local); make uninstall"
	@echo "make demo       install, build, generate a realistic extract, show the report"
	@echo "make bench      throughput on generated extracts of millions of rows"
	@echo "make bench-check  a short bench compared with bench/floors.json (fails on a regression)"
	@echo "make duckdb     DuckDB from npm into $(BUILD)/duckdb: make bench then times it too (optional)"
	@echo "make asan       every test under AddressSanitizer   (build in $(BUILD)/asan)"
	@echo "make ubsan      every test under UBSanitizer        (build in $(BUILD)/ubsan)"
	@echo "make sanitize   every test under both at once, as CI runs them (build in $(BUILD)/sanitize)"
	@echo "make tsan       end-to-end tests under ThreadSanitizer (build in $(BUILD)/tsan)"
	@echo "make fuzz       libFuzzer targets (clang) in $(BUILD)/fuzz"
	@echo "make fuzz-run   run each fuzzer FUZZ_SECONDS (default 60) over tests/corpus"
	@echo "make lint       cppcheck and clang-tidy on src/ (checks listed in the Makefile)"
	@echo "make layout     library files depend one way only (no symbol cycle), none over 600 lines"
	@echo "make clean      remove $(BUILD)"
	@echo "Variables: CC, OPT, CFLAGS, LDFLAGS, MOREFLAGS (appended last), BUILD,"
	@echo "           ISAL (1: gzip through ISA-L, the default when libisal-dev is there; 0: zlib)"

deps:
	@bash scripts/install-deps.sh

# Library objects: only the API of include/esfmon.h (ESF_API) is visible
# outside the library; the shared library's objects are position-independent.
$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fvisibility=hidden -c $< -o $@

$(BUILD)/pic/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fvisibility=hidden -fPIC -MF $(@:.o=.d) -c $< -o $@

$(BUILD)/libesfmon.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/libesfmon.so.$(VERSION): $(PIC_OBJ)
	$(CC) $(ALL_CFLAGS) -shared -Wl,-soname,$(SONAME) -Wl,--no-undefined $^ -o $@ $(LDFLAGS) $(LIBS)

lib: $(BUILD)/libesfmon.a $(BUILD)/libesfmon.so.$(VERSION)

install: all lib
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BUILD)/esfmon $(DESTDIR)$(BINDIR)/esfmon
	install -m 644 include/esfmon.h $(DESTDIR)$(INCLUDEDIR)/esfmon.h
	install -m 644 $(BUILD)/libesfmon.a $(DESTDIR)$(LIBDIR)/libesfmon.a
	install -m 755 $(BUILD)/libesfmon.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libesfmon.so.$(VERSION)
	ln -sf libesfmon.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libesfmon.so
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@INCLUDEDIR@|$(PC_INCLUDEDIR)|; s|@LIBDIR@|$(PC_LIBDIR)|; s|@VERSION@|$(VERSION)|; s|@LIBS_PRIVATE@|$(LIBS)|' \
	    docs/esfmon.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/esfmon.pc
	install -m 644 docs/esfmon.1 $(DESTDIR)$(MANDIR)/man1/esfmon.1
	install -d $(DESTDIR)$(DOCDIR)
	install -m 644 docs/INPUT.md docs/MANIFEST.md docs/manifest.schema.json $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/esfmon $(DESTDIR)$(INCLUDEDIR)/esfmon.h $(DESTDIR)$(LIBDIR)/libesfmon.a \
	      $(DESTDIR)$(LIBDIR)/libesfmon.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME) \
	      $(DESTDIR)$(LIBDIR)/libesfmon.so $(DESTDIR)$(LIBDIR)/pkgconfig/esfmon.pc \
	      $(DESTDIR)$(MANDIR)/man1/esfmon.1 $(DESTDIR)$(DOCDIR)/INPUT.md $(DESTDIR)$(DOCDIR)/MANIFEST.md \
	      $(DESTDIR)$(DOCDIR)/manifest.schema.json
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null

$(BUILD)/esfmon: $(CLI_OBJ) $(BUILD)/libesfmon.a
	$(CC) $(ALL_CFLAGS) $^ -o $@ $(LDFLAGS) $(LIBS)

$(BUILD)/esfgen: $(BUILD)/obj/esfgen.o $(BUILD)/obj/esfgen_stat.o
	$(CC) $(ALL_CFLAGS) $^ -o $@ $(LDFLAGS) -lz -lm $(if $(READSTAT_DEF),-lreadstat)

$(BUILD)/obj/cli/%.o: src/cli/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/obj/esfgen.o $(BUILD)/obj/esfgen_stat.o: $(BUILD)/obj/%.o: scripts/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# -no-pie: Criterion runs each test in a new process; parameter tables that
# point at string literals need the same addresses there.  Without LTO: it
# would drop the tests Criterion registers in a section nothing refers to.
$(BUILD)/tests/%: tests/%.c tests/helpers.h tests/internal.h $(BUILD)/libesfmon.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fno-lto -Wno-missing-prototypes -Wno-conversion $(TEST_INC) $< -o $@ \
	    $(BUILD)/libesfmon.a -no-pie $(LDFLAGS) $(LIBS) $(TEST_LIBS)

# Programs the end-to-end tests use: the library with a test's knob.
$(BUILD)/tests/tools/%: tests/tools/%.c $(BUILD)/libesfmon.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fno-lto $(TEST_INC) $< -o $@ $(BUILD)/libesfmon.a $(LDFLAGS) $(LIBS)

unit: $(TEST_BIN) $(BUILD)/esfgen
	@set -e; for t in $(TEST_BIN); do $$t --jobs 2 || exit 1; done

e2e: $(BUILD)/esfmon $(BUILD)/esfgen $(TEST_TOOLS)
	@ESFMON=$(BUILD)/esfmon ESFGEN=$(BUILD)/esfgen bash tests/e2e.sh

# The summary line of tests/run.sh is the last line of `make test`.
test: deps
	@$(MAKE) --no-print-directory all $(TEST_BIN) $(TEST_TOOLS)
	@BUILD=$(BUILD) SANITIZED=$(if $(SANFLAGS),1,) bash tests/run.sh $(TEST_BIN)

asan:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan OPT=-O1 LTO= \
	    SANFLAGS="-fsanitize=address -fno-omit-frame-pointer" test

ubsan:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/ubsan OPT=-O1 LTO= \
	    SANFLAGS="-fsanitize=undefined -fno-sanitize-recover=undefined" test

# Both in one build and one run of the tests (CI's: half the time of two).
sanitize:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/sanitize OPT=-O1 LTO= \
	    SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" test

# Threads are started in pool.c (the run's workers: block.c's partitions of
# a block), reader.c (a stream's decoder; a statistical file's conversion)
# and tally.c (counting the partitions); TSan watches them in the
# end-to-end tests (its runtime and Criterion's arena cannot share a process,
# so the unit tests are not run here; test_parallel runs in the other builds).
tsan: deps
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/tsan OPT=-O1 LTO= SANFLAGS="-fsanitize=thread" all $(BUILD)/tsan/tests/tools/dc_probe
	@TSAN_OPTIONS=halt_on_error=1 BUILD=$(BUILD)/tsan SANITIZED=1 bash tests/run.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) bash scripts/demo.sh

bench: all
	@BUILD=$(BUILD) python3 bench/bench.py
	@BUILD=$(BUILD) python3 bench/one_pass.py
	@BUILD=$(BUILD) python3 bench/statfiles.py
	@BUILD=$(BUILD) python3 bench/disclosure.py

# DuckDB, a statistician's alternative, as one more reference for make bench
# (node bindings from npm; nothing else uses it).
DUCKDB_NODE_API ?= @duckdb/node-api@1.5.6-r.1
duckdb:
	@command -v npm >/dev/null || { echo "make duckdb: needs npm (apt-get install npm)"; exit 1; }
	@mkdir -p $(BUILD)/duckdb && npm install --prefix $(BUILD)/duckdb --no-audit --no-fund --silent $(DUCKDB_NODE_API)

# A short run compared with the committed floors (ratios, so machine-independent).
bench-check: all
	@BUILD=$(BUILD) PERSONS=$${PERSONS:-300000} RUNS=$${RUNS:-3} BENCH_SECONDS=$${BENCH_SECONDS:-0} python3 bench/bench.py --check=bench/floors.json

# ---- fuzzing: one libFuzzer target per input stage (tests/fuzz) -------------
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   := -std=c11 -g -O1 -D_GNU_SOURCE -Werror=implicit-function-declaration -Iinclude -Isrc $(TEST_INC) \
                $(ISAL_DEF) $(READSTAT_DEF) \
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZERS      := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))

# The library compiled once for every target (it was compiled once per
# target: four times the work).
FUZZ_OBJ     := $(LIB_SRC:src/%.c=$(BUILD)/fuzz/obj/%.o)
$(BUILD)/fuzz/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -MMD -MP -c $< -o $@

$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJ) include/esfmon.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) $< $(FUZZ_OBJ) -o $@ $(LIBS)

fuzz: $(FUZZERS)

# New inputs go to $(BUILD)/fuzz/corpus-*; tests/corpus/* is the read-only
# seed.  The targets run two at a time (a core each), each reporting when
# done; any that fails fails the run.
fuzz-run: fuzz
	@printf '%s\n' $(FUZZERS) | xargs -P 2 -I{} bash -c 'f={}; n=$${f##*/fuzz_}; mkdir -p $(BUILD)/fuzz/corpus-$$n; \
	    out=$$($$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -print_final_stats=1 \
	        -artifact_prefix=$(BUILD)/fuzz/crash-$$n- $(BUILD)/fuzz/corpus-$$n tests/corpus/$$n 2>&1); rc=$$?; \
	    echo "fuzz_$$n: $(FUZZ_SECONDS) s"; \
	    echo "$$out" | grep -E "^(stat::number_of_executed_units|stat::average_exec_per_sec|#[0-9]+[[:space:]]+DONE|==[0-9]+==ERROR|SUMMARY)"; \
	    exit $$rc'


# ---- static analysis -----------------------------------------------------------
# cppcheck: warning, portability and performance checks (style is the
# compiler's and the reviewers' job); clang-tidy: bugprone-*, cert-* for
# memory and string handling, and clang-analyzer-* (the static analyser),
# minus the checks that flag this project's idioms or are known false
# positives: unchecked printf/putc results (cert-err33-c: the stream's error
# flag is checked once at the end), memcpy/snprintf "unsafe buffer handling",
# `!strcmp(a, b)` (suspicious-string-compare), easily-swappable parameters,
# narrowing conversions (-Wconversion covers them), and valist.Uninitialized
# (clang-tidy 14 reports every va_start as uninitialised).
# clang-tidy runs on NPROC files at a time (half the time on two cores).
NPROC       := $(shell nproc 2>/dev/null || echo 2)
TIDY_CHECKS := -*,bugprone-*,clang-analyzer-*,cert-*,-bugprone-easily-swappable-parameters,\
               -cert-err33-c,-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling,\
               -bugprone-narrowing-conversions,-bugprone-reserved-identifier,-cert-dcl37-c,-cert-dcl51-cpp,\
               -bugprone-assignment-in-if-condition,-bugprone-suspicious-string-compare,\
               -clang-analyzer-valist.Uninitialized
lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
	    --suppress=missingIncludeSystem -D__GNUC__ -Iinclude -Isrc src/
	@printf '%s\n' $(wildcard src/*/*.c) | xargs -P $(NPROC) -n 3 sh -c 'clang-tidy --quiet \
	    --warnings-as-errors="*" --checks="$(TIDY_CHECKS)" "$$@" -- -std=c11 -D_GNU_SOURCE -Iinclude -Isrc' tidy \
	    2>&1 | grep -v ' warnings\? generated\.$$'; test $${PIPESTATUS[1]} -eq 0

# The house plan (docs/ARCHITECTURE.md): no cycle between library files.
layout: $(LIB_OBJ)
	@bash scripts/check-layout.sh $(BUILD)

clean:
	rm -rf $(BUILD)

-include $(LIB_OBJ:.o=.d) $(PIC_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d) $(BUILD)/obj/esfgen.d $(BUILD)/obj/esfgen_stat.d
