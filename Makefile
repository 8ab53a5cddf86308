# SPDX-License-Identifier: MIT
# berth: one non-recursive GNU Makefile.
#   make            build into build/ (same layout as an install: bin sbin libexec)
#   make demo       install build deps (apt), build, run a small workload
#   make check      install test deps, build, run unit + end-to-end tests
#   make asan       build with ASan+UBSan into build-asan/ and run every test
#   make bench      print benchmark figures as "name: value"
#   make install    PREFIX=/usr/local (default) or PREFIX=~/.local
#   make clang      build with clang into build-clang/ (warnings are errors)

CC	?= cc
BUILD	?= build
PREFIX	?= /usr/local
DESTDIR	?=
OPT	?= -O2

WARN	= -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes \
	  -Wshadow -Wformat=2 -Wwrite-strings -Wpointer-arith -Wvla
# The programs started per command or per job (berth, berth-jobsup) are
# linked statically: it saves the dynamic loader's work on every start
# (about 0.2 ms of a 0.7-1 ms process start on the project's VM).  They
# use no NSS (the daemon resolves users), so a static glibc serves them.
# Sanitizer builds need the dynamic runtime: they set STATIC=.
STATIC	?= -static
# The supervisor is built with musl (Debian's musl-tools) when it is
# installed: glibc's start-up probes the CPU's caches with dozens of CPUID
# instructions, each a trap to the hypervisor on a VM, and that alone is
# half the cost of a static glibc process start here (0.8 vs 0.4 ms for an
# empty program; docs/performance.md).  SCC is its compiler; its objects go
# to $(BUILD)/sobj when it differs from CC.  (The CLI stays on glibc for
# now: musl's allocator and short-copy memcpy make squeue over 10,000 jobs
# slower than the start-up saves.  The CLI parses options with gnuopt.c,
# which words errors as glibc does under any libc.)
MUSL_CC	:= $(shell command -v musl-gcc 2>/dev/null)
SCC	?= $(if $(STATIC),$(or $(MUSL_CC),$(CC)),$(CC))
CFLAGS_ALL = -std=c17 -D_GNU_SOURCE $(OPT) -g $(WARN) $(EXTRA_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(EXTRA_LDFLAGS) $(LDFLAGS)

TOOLS	= sbatch squeue sacct scancel sinfo scontrol sprio srun salloc sattach \
	  sstat seff

mod_srcs = $(filter-out src/$(1)/main.c,$(wildcard src/$(1)/*.c))
mod_objs = $(patsubst src/%.c,$(BUILD)/obj/%.o,$(call mod_srcs,$(1)))
SOBJ	= $(if $(filter $(SCC),$(CC)),obj,sobj)
smod_objs = $(patsubst src/%.c,$(BUILD)/$(SOBJ)/%.o,$(call mod_srcs,$(1)))

COMMON_O   = $(call mod_objs,common)
PROTO_O    = $(call mod_objs,proto)
FMT_O      = $(call mod_objs,fmt)
CLI_O      = $(call mod_objs,cli)
SCHED_O    = $(call mod_objs,sched)
STORE_O    = $(call mod_objs,store)
RESOURCE_O = $(call mod_objs,resource)
DAEMON_O   = $(call mod_objs,daemon)
# the static programs' objects
S_COMMON_O   = $(call smod_objs,common)
S_PROTO_O    = $(call smod_objs,proto)
S_RESOURCE_O = $(call smod_objs,resource)
S_JOBSUP_O   = $(call smod_objs,jobsup)

BERTH	= $(BUILD)/bin/berth
BERTHD	= $(BUILD)/sbin/berthd
JOBSUP	= $(BUILD)/libexec/berth/berth-jobsup
# sbatch is linked on its own with SCC (musl), with a main of its own
# (src/sbatch/main.c): its cost is mostly its start-up (W1-W3 in
# docs/performance.md), where musl saves glibc's CPUID probing, while
# squeue and sacct keep glibc's allocator and memcpy for decoding large
# replies.  The sections nothing calls are dropped (SECTIONS, and
# --gc-sections at the link) and the code and read-only data share one
# segment (-z noseparate-code): fewer pages to fault in at each start.
SBATCH	= $(BUILD)/bin/sbatch
LINKS	= $(addprefix $(BUILD)/bin/,$(filter-out sbatch,$(TOOLS)))
S_CLI_O	= $(call smod_objs,cli) $(call smod_objs,fmt)

UNIT_SRCS = $(wildcard tests/unit/test-*.c)
UNIT_BINS = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))

.PHONY: all deps test-deps check check-man check-layers unit e2e asan clang demo bench install \
	uninstall clean
all: $(BERTH) $(BERTHD) $(JOBSUP) $(SBATCH) $(LINKS)

# The compilers and flags a build was made with: every object depends on
# this file, which changes only when they do, so a build tree made with
# other flags (an older checkout's) is rebuilt rather than mixed.
FLAGS_STAMP = $(BUILD)/.flags
FLAGS_NOW = $(CC) $(SCC) $(CFLAGS_ALL) $(LDFLAGS_ALL) $(STATIC) $(SECTIONS)
$(FLAGS_STAMP): FORCE
	@mkdir -p $(dir $@)
	@echo '$(FLAGS_NOW)' | cmp -s - $@ || echo '$(FLAGS_NOW)' >$@
.PHONY: FORCE
FORCE:

$(BUILD)/obj/%.o: src/%.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

# One section per function and object in the static programs' objects, so
# that the link can drop what a program does not use.
SECTIONS = -ffunction-sections -fdata-sections
$(BUILD)/sobj/%.o: src/%.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(SCC) $(CFLAGS_ALL) $(SECTIONS) -MMD -MP -c -o $@ $<

# srun builds its tasks' environment and CPU sets as the supervisor does.
JOBSUP_SHARED_O = $(BUILD)/obj/jobsup/env.o $(BUILD)/obj/jobsup/cpuset.o
S_JOBSUP_SHARED_O = $(BUILD)/$(SOBJ)/jobsup/env.o \
	    $(BUILD)/$(SOBJ)/jobsup/cpuset.o

$(BERTH): $(BUILD)/obj/cli/main.o $(CLI_O) $(FMT_O) $(JOBSUP_SHARED_O) \
	    $(PROTO_O) $(COMMON_O)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(STATIC) -o $@ $^ $(LDFLAGS_ALL)

$(BERTHD): $(BUILD)/obj/daemon/main.o $(DAEMON_O) $(SCHED_O) $(STORE_O) \
	    $(RESOURCE_O) $(PROTO_O) $(COMMON_O)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDFLAGS_ALL) -lsqlite3 -lm

$(JOBSUP): $(BUILD)/$(SOBJ)/jobsup/main.o $(S_JOBSUP_O) $(S_RESOURCE_O) \
	    $(S_PROTO_O) $(S_COMMON_O)
	@mkdir -p $(dir $@)
	$(SCC) $(CFLAGS_ALL) $(STATIC) -o $@ $^ $(LDFLAGS_ALL)

$(SBATCH): $(BUILD)/$(SOBJ)/sbatch/main.o $(S_CLI_O) $(S_JOBSUP_SHARED_O) \
	    $(S_PROTO_O) $(S_COMMON_O)
	@mkdir -p $(dir $@)
	@rm -f $@
	$(SCC) $(CFLAGS_ALL) $(STATIC) -Wl,--gc-sections \
	    -Wl,-z,noseparate-code -o $@ $^ $(LDFLAGS_ALL)

$(LINKS): $(BERTH)
	@ln -sf berth $@

# Each unit test names the sources it links on its first line, e.g.
#   // links: sched/sched.c common/util.c
# (paths under src/); common/ and proto/ are always linked.  Objects only
# a test names would count as intermediate files and be deleted after
# the run; .SECONDARY keeps every built file.
.SECONDEXPANSION:
.SECONDARY:
test_links = $(patsubst %.c,$(BUILD)/obj/%.o,$(shell sed -n '1s,^// links: ,,p' tests/unit/$(1).c))
$(BUILD)/tests/%: tests/unit/%.c tests/unit/t.h $$(call test_links,$$*) \
	    $(PROTO_O) $(COMMON_O)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Isrc -o $@ $< $(call test_links,$*) \
	    $(PROTO_O) $(COMMON_O) $(LDFLAGS_ALL) -lsqlite3 -lm

deps:
	@tools/deps.sh build

test-deps:
	@tools/deps.sh test

unit: all $(UNIT_BINS)
	@tools/run-unit.sh $(UNIT_BINS)

e2e: all
	@BERTH_BUILD=$(abspath $(BUILD)) tests/e2e/run.sh

# Every suite runs even when an earlier one fails; check fails if any did.
check: test-deps
	@$(MAKE) --no-print-directory all
	@rc=0; \
	$(MAKE) --no-print-directory unit || rc=1; \
	$(MAKE) --no-print-directory check-man || rc=1; \
	$(MAKE) --no-print-directory check-layers || rc=1; \
	$(MAKE) --no-print-directory e2e || rc=1; \
	exit $$rc

check-man:
	@tools/check-man.sh

# Only src/store/ touches SQLite.
check-layers: all
	@tools/check-layers.sh $(BUILD)

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan OPT=-O1 STATIC= \
	    EXTRA_CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    EXTRA_LDFLAGS="-fsanitize=address,undefined" all
	@rc=0; \
	$(MAKE) --no-print-directory BUILD=build-asan OPT=-O1 STATIC= \
	    EXTRA_CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    EXTRA_LDFLAGS="-fsanitize=address,undefined" unit || rc=1; \
	$(MAKE) --no-print-directory BUILD=build-asan OPT=-O1 STATIC= \
	    EXTRA_CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    EXTRA_LDFLAGS="-fsanitize=address,undefined" e2e || rc=1; \
	exit $$rc

clang:
	@$(MAKE) --no-print-directory BUILD=build-clang CC=clang SCC=clang all

demo: deps
	@$(MAKE) --no-print-directory all
	@BERTH_BUILD=$(abspath $(BUILD)) tools/demo.sh

bench: all
	@BERTH_BUILD=$(abspath $(BUILD)) bench/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/sbin \
	    $(DESTDIR)$(PREFIX)/libexec/berth $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 755 $(BERTH) $(DESTDIR)$(PREFIX)/bin/berth
	install -m 755 $(BERTHD) $(DESTDIR)$(PREFIX)/sbin/berthd
	install -m 755 $(JOBSUP) $(DESTDIR)$(PREFIX)/libexec/berth/berth-jobsup
	install -m 755 $(SBATCH) $(DESTDIR)$(PREFIX)/bin/sbatch
	for t in $(filter-out sbatch,$(TOOLS)); do \
	    ln -sf berth $(DESTDIR)$(PREFIX)/bin/$$t; done
	-for m in man/*.1; do [ -f "$$m" ] && install -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man1/; done
	-for m in man/*.5; do [ -f "$$m" ] && install -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man5/; done
	-for m in man/*.8; do [ -f "$$m" ] && install -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man8/; done
	install -d $(DESTDIR)$(PREFIX)/share/systemd/user
	sed 's|@SBINDIR@|$(PREFIX)/sbin|' contrib/berthd.service.in \
	    >$(DESTDIR)$(PREFIX)/share/systemd/user/berthd.service

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/berth $(DESTDIR)$(PREFIX)/sbin/berthd
	rm -rf $(DESTDIR)$(PREFIX)/libexec/berth
	rm -f $(DESTDIR)$(PREFIX)/share/systemd/user/berthd.service
	for t in $(TOOLS); do rm -f $(DESTDIR)$(PREFIX)/bin/$$t; done

clean:
	rm -rf build build-asan build-clang

-include $(shell find $(BUILD)/obj $(BUILD)/sobj -name '*.d' 2>/dev/null)
