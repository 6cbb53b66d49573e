# cvmio top-level Makefile.  Each folder owns one concern and adds to the
# shared variables in its own Makefile.inc; this file only ties them up.
#
#   make            build/bin/cvmio and build/ioengines/cvmio-{uring,aio,nvme}.so
#   make check      unit, engine, analyzer, profile, guest and study tests,
#                   plus the same with an ASan/UBSan build
#   make deps       install Debian packages, fetch fio's source
#   make demo       deps + build + the default study + its report
#   make install PREFIX=/usr
#   make bench      all benchmarks (bench-engines, bench-analyze, ...)

TOP := $(CURDIR)
# The fragments define rules of their own; "make" alone still means "all".
.DEFAULT_GOAL := all
O ?= build
CONFIG_MAK := build/config.mak

ifeq ($(wildcard $(CONFIG_MAK)),)
ifeq ($(filter deps help distclean,$(MAKECMDGOALS)),)
BOOTSTRAP := 1
else
UNCONFIGURED := 1
endif
endif

ifdef BOOTSTRAP
# A fresh tree: install what is needed, configure, then do what was asked.
FIRST_GOAL := $(firstword $(MAKECMDGOALS) all)
# Phony: goals such as check, memdump or suite are also folder names.
.PHONY: $(FIRST_GOAL) $(MAKECMDGOALS)
$(FIRST_GOAL):
	sh scripts/deps.sh
	./configure
	$(MAKE) $(MAKECMDGOALS)
$(filter-out $(FIRST_GOAL),$(MAKECMDGOALS)):
	@:
else ifdef UNCONFIGURED
# No build/config.mak yet: only what needs no configuration ('make deps' comes
# before ./configure in a fresh tree).
.PHONY: deps help distclean
deps:
	@sh scripts/deps.sh
help:
	@sed -n '2,12p' Makefile
distclean:
	rm -rf build
else
# Missing only for deps, help and distclean, which need no configuration.
-include $(CONFIG_MAK)

# SAN=1 builds an AddressSanitizer + UBSan variant (used by make check in build/asan).
SAN ?= 0
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT_FLAGS := -O2
ifeq ($(SAN),1)
OPT_FLAGS := -O1 $(SAN_FLAGS)
endif

WARN := -Wall -Wextra -Werror
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(OPT_FLAGS) -g -Ilib -Ibuild
CFLAGS ?=
LDFLAGS ?=

# Shared variables the fragments append to.
CVMIO_SRCS :=        # sources linked into build/bin/cvmio
CVMIO_CFLAGS :=
CVMIO_LIBS :=
ENGINES :=           # build/ioengines/*.so
UNIT_TESTS :=        # cmocka test binaries under $(O)/tests/ (run for both builds)
TEST_SCRIPTS :=      # test programs run by tests/run.sh against build/ (exit 0 pass, 77 skip)
SAN_TEST_SCRIPTS :=  # test programs also run against the ASan/UBSan build (build/asan)
BENCH_TARGETS :=
CHECK_PREREQS :=     # extra goals built before the tests run (e.g. guest)
MAN_PAGES :=
DATA_DIRS :=         # folders installed under $(PREFIX)/share/cvmio/
ALL_TARGETS :=

include lib/Makefile.inc
include cli/Makefile.inc
include ioengines/Makefile.inc
include analysis/Makefile.inc
include qemu-profiles/Makefile.inc
include check/Makefile.inc
include memdump/Makefile.inc
include suite/Makefile.inc
include study/Makefile.inc
include guest/Makefile.inc
include jobfiles/Makefile.inc
include tests/Makefile.inc
include man/Makefile.inc

CVMIO_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(CVMIO_SRCS))
CVMIO_BIN := $(O)/bin/cvmio

.PHONY: all deps deps-quiet check check-only unit-tests demo install bench clean distclean help

all: $(CVMIO_BIN) $(ENGINES) $(ALL_TARGETS)

$(O)/obj/%.o: %.c $(CONFIG_MAK)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CVMIO_CFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(CVMIO_BIN): $(CVMIO_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(LDFLAGS) -o $@ $^ $(CVMIO_LIBS) -lm

-include $(CVMIO_OBJS:.o=.d)

# The libFuzzer harnesses the parts add to FUZZ_PROGRAMS (their bounded runs
# are tests in TEST_SCRIPTS, which skip, saying why, where clang cannot).
.PHONY: fuzz-programs-maybe
fuzz-programs-maybe:
	@for f in $(FUZZ_PROGRAMS); do $(MAKE) --no-print-directory $$f >/dev/null 2>&1 || \
		echo "note: $$f not built (clang/libFuzzer?); its test will say why"; done
CHECK_PREREQS += fuzz-programs-maybe
# 'make fuzz' runs them longer too (FUZZ_SECONDS each)
FUZZ_SECONDS ?= 300
.PHONY: fuzz-more
fuzz: fuzz-more
fuzz-more: $(FUZZ_PROGRAMS)
	for t in $(FUZZ_TESTS); do CVMIO_BUILD=$(O) CVMIO_FUZZ_SECONDS=$(FUZZ_SECONDS) sh $$t || exit 1; done

deps:
	@sh scripts/deps.sh

# Cheap when everything is present; picks up packages added since configure.
deps-quiet:
	@sh scripts/deps.sh

# The tests run against both the normal build and an ASan/UBSan build.
# Each test runs as BUILD_DIR:PROGRAM; the runner exports CVMIO_BUILD=BUILD_DIR.
SAN_UNIT_TESTS = $(patsubst build/%,build/asan/%,$(UNIT_TESTS))
CHECK_ENTRIES = $(addprefix build:,$(UNIT_TESTS) $(TEST_SCRIPTS)) \
	$(addprefix build/asan:,$(SAN_UNIT_TESTS) $(SAN_TEST_SCRIPTS))
check: deps-quiet
	$(MAKE) --no-print-directory all unit-tests $(CHECK_PREREQS)
	$(MAKE) --no-print-directory O=build/asan SAN=1 all unit-tests
	@sh tests/run.sh $(CHECK_ENTRIES)

# Only the tests whose name matches T (a shell pattern), e.g. make check-only T='*engine*'
check-only: all $(UNIT_TESTS) $(CHECK_PREREQS)
	$(MAKE) --no-print-directory O=build/asan SAN=1 all unit-tests
	@CVMIO_TEST_FILTER='$(T)' sh tests/run.sh $(CHECK_ENTRIES)

unit-tests: $(UNIT_TESTS)

demo:
	@sh scripts/demo.sh

bench: $(BENCH_TARGETS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/cvmio \
		$(DESTDIR)$(PREFIX)/share/cvmio $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/man/man7
	install -m 755 $(CVMIO_BIN) $(DESTDIR)$(PREFIX)/bin/cvmio
	install -m 755 $(ENGINES) $(DESTDIR)$(PREFIX)/lib/cvmio/
	for d in $(DATA_DIRS); do cp -r $$d $(DESTDIR)$(PREFIX)/share/cvmio/; done
	for m in $(MAN_PAGES); do s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man$$s/; done

clean:
	rm -rf build/bin build/obj build/ioengines build/tests build/asan build/test-logs build/bench build/fuzz build/fuzz-artifacts

distclean:
	rm -rf build

help:
	@sed -n '2,12p' Makefile

endif # BOOTSTRAP
