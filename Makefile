# SPDX-License-Identifier: GPL-2.0
# zspreempt: the verbs. Every target sets up what it needs first, so on a
# fresh Debian bookworm machine `make demo` and `make test` are all it takes.

SHELL := /bin/bash
TOP := $(CURDIR)
BUILD := $(TOP)/build
KCONFIG ?= debug
KOUT := $(BUILD)/kernel-$(KCONFIG)
BZIMAGE := $(KOUT)/arch/x86/boot/bzImage
BZIMAGE_BASE := $(KOUT)-base/arch/x86/boot/bzImage
MEM ?= 512M
CMD ?= cat /proc/version; grep -r . /sys/module/zswap/parameters/
# The workload programs (workloads/), run in the guest by tests, demo and
# bench alike.
STRESS_BIN := $(BUILD)/bin/zswap-stress
CRITICAL_BIN := $(BUILD)/bin/zsp-critical
# The kernel's own delay-accounting reader, from the base tree (the series
# does not touch tools/), the judge of zswplat's swap-in times.
GETDELAYS_BIN := $(BUILD)/bin/getdelays
KTREE := $(if $(KSRC),$(BUILD)/ksrc,$(BUILD)/linux)
# Inside the kernel build it belongs to: a module loads only into its own kernel.
TEST_MODULE := $(KOUT)/zsp-module/zsp_atomic_sleep.ko

# BPF tools: vmlinux.h from the built kernel when there is one, else from
# VMLINUX_BTF= or the running kernel.
TOOLS := zswplat zspsleep zsplock
TOOLS_OUT := $(BUILD)/tools
VMLINUX_BTF ?= $(firstword $(wildcard $(KOUT)/vmlinux) /sys/kernel/btf/vmlinux)
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 -I$(TOOLS_OUT) -Ibpf -Wall -Werror
TOOL_CFLAGS := -O2 -g -Wall -Wextra -Wno-unused-parameter -Werror -I$(TOOLS_OUT) -Ibpf -Itools
TOOL_BINS := $(addprefix $(TOOLS_OUT)/,$(TOOLS))
TOOL_COMMON := zsp_cli zsp_attach zsp_maps zsp_ksyms zsp_output zsp_result
TOOL_COMMON_OBJS := $(patsubst %,$(TOOLS_OUT)/common/%.o,$(TOOL_COMMON))

export KSRC KSRC_BASE ZSP_BRANCH FORCE ACCEL REROLL SERIES_BRANCH SEND REFLECT PREFIX QUICK RUNS COMPRESSORS REF RT MODE VCPUS KERNELS PHASES BENCH_EXTRA

# The series revision is REROLL=N (git format-patch --reroll-count): V= is
# Kbuild's verbosity and must reach the kernel build unchanged.
ifneq ($(filter series send,$(MAKECMDGOALS)),)
ifeq ($(origin V),command line)
$(error V= is Kbuild's verbosity; the series revision is REROLL=N, e.g. make $(filter series send,$(MAKECMDGOALS)) REROLL=$(V))
endif
endif

.PHONY: all help deps base apply kernel kernel-base workloads selftests tools vm demo test test-kasan test-cve-base test-lockstat test-ref test-lifecycle bench bench-kernels bench-latency bench-contention check docs series send clean distclean

all: kernel selftests tools ## kernel, test programs and tools

help: ## this list
	@awk -F':.*## ' '/^[a-z][a-z0-9-]*:.*## / {printf "  %-17s %s\n", $$1, $$2}' $(firstword $(MAKEFILE_LIST))

# Every verb starts here: path and disk checks, then packages, in seconds.
deps: ## install the Debian packages the project needs (needs root)
	@scripts/setup/preflight.sh
	@scripts/setup/deps.sh

base: deps ## unpack and commit the pinned 6.1.192 base tree under build/
	@scripts/series/prepare-base.sh

apply: base ## apply patches/ to the base on branch zspreempt
	@scripts/series/apply-series.sh

kernel: apply ## build the series kernel (KCONFIG=debug|perf|kasan|lockstat)
	@scripts/kernel/build-kernel.sh $(KCONFIG)

# The unpatched base with the same config, for before/after comparisons.
kernel-base: base ## build the unpatched base kernel, same KCONFIG
	@scripts/kernel/build-kernel.sh $(KCONFIG) base

workloads: $(STRESS_BIN) $(CRITICAL_BIN) ## build the workload programs (zswap-stress, zsp-critical)

selftests: workloads $(GETDELAYS_BIN) $(TEST_MODULE) ## build the workloads, the delay-accounting reader and the test modules

# The negative-control module, built against the test kernel's tree.
$(TEST_MODULE): $(wildcard selftests/module/*.c) selftests/module/Kbuild $(BZIMAGE)
	@mkdir -p $(@D)
	cp selftests/module/*.c selftests/module/Kbuild $(@D)/
	$(MAKE) -s -C $(KOUT) M=$(@D) modules

$(STRESS_BIN): workloads/zswap-stress.c | deps
	@mkdir -p $(@D)
	gcc -O2 -g -Wall -Wextra -Werror -o $@ $<

$(CRITICAL_BIN): workloads/zsp-critical.c | deps
	@mkdir -p $(@D)
	gcc -O2 -g -Wall -Wextra -Werror -o $@ $<

$(GETDELAYS_BIN): | $(BZIMAGE)
	@mkdir -p $(@D)
	gcc -O2 -g -Wall -o $@ $(KTREE)/tools/accounting/getdelays.c

tools: $(TOOL_BINS) ## build the BPF tools zswplat, zsplock, zspsleep

$(TOOLS_OUT)/vmlinux.h: $(VMLINUX_BTF) | deps
	@mkdir -p $(@D)
	@test -r "$<" || { echo "tools: no BTF at '$<': build the kernel (make kernel) or set VMLINUX_BTF=" >&2; exit 1; }
	bpftool btf dump file $< format c > $@.tmp && mv $@.tmp $@

$(TOOLS_OUT)/%.bpf.o: bpf/%.bpf.c bpf/%.h $(wildcard bpf/zsp_*.h) $(TOOLS_OUT)/vmlinux.h
	clang $(BPF_CFLAGS) -c $< -o $@

$(TOOLS_OUT)/%.skel.h: $(TOOLS_OUT)/%.bpf.o
	bpftool gen skeleton $< > $@.tmp && mv $@.tmp $@

# The shared code, compiled once for all tools, and kept.
.SECONDARY: $(TOOL_COMMON_OBJS)
$(TOOLS_OUT)/common/%.o: tools/%.c tools/zsp_common.h bpf/zsp_hist.h | deps
	@mkdir -p $(@D)
	gcc $(TOOL_CFLAGS) -c -o $@ $<

$(TOOLS_OUT)/%: tools/%.c $(TOOLS_OUT)/%.skel.h $(TOOL_COMMON_OBJS) tools/zsp_common.h bpf/%.h
	gcc $(TOOL_CFLAGS) -o $@ $< $(TOOL_COMMON_OBJS) -lbpf -lelf -lz -lm

# tools comes from a second make: VMLINUX_BTF must be chosen once the kernel exists.
vm: kernel selftests ## boot the series kernel and run CMD='...' in the guest
	@$(MAKE) --no-print-directory tools
	@scripts/vm/run-vm.sh -k $(BZIMAGE) -m $(MEM) -- '$(CMD)'

demo: kernel kernel-base selftests ## the main job: base and series side by side in a guest
	@$(MAKE) --no-print-directory tools
	@scripts/demo/demo.sh $(BZIMAGE) $(BZIMAGE_BASE)

# The kernel without CONFIG_COMPACTION runs the tests marked "# also:
# nocompact" (its fix is patch 6); ccache's preprocessor mode shares most
# objects with the debug kernel, so it builds in a fraction of the time.
BZIMAGE_NOCOMPACT := $(BUILD)/kernel-nocompact/arch/x86/boot/bzImage
test: kernel kernel-base selftests ## every host and guest test (the README's test command, CI)
	@$(MAKE) --no-print-directory kernel KCONFIG=nocompact
	@$(MAKE) --no-print-directory tools
	@selftests/run -k $(BZIMAGE) -b $(BZIMAGE_BASE) -x nocompact=$(BZIMAGE_NOCOMPACT)

# The memory-safety run: the series on a KASAN + lockdep + atomic-sleep
# kernel, with the guest tests that touch freed-memory territory (contexts
# across CPU hot-unplug, pool switch, compaction, straddling objects,
# sleeping loads, tool attach/detach), the tests marked "# also:
# nocompact" again without CONFIG_COMPACTION, and the CVE-2025-21693
# reproducer on the KASAN base, which must end in KASAN's panic. Too slow
# to build in every CI run.
# zswap-load-alloc is not among them: it counts allocations, which is no
# memory-safety question, and on the KASAN kernel its scan of /proc/kallsyms
# came back empty (not yet understood).
KASAN_TESTS ?= zswap-integrity zswap-hotplug zswap-cve-2025-21693 zswap-pool-switch zsmalloc-compaction zsmalloc-compact-sleeping zsmalloc-held-zspage zsmalloc-straddle zswap-sleep-in-load zswap-corrupt zswap-transforms zram tools-
BZIMAGE_KASAN_BASE := $(BUILD)/kernel-kasan-base/arch/x86/boot/bzImage
test-kasan: ## memory-safety guest tests on KASAN + lockdep kernels
	@$(MAKE) --no-print-directory kernel selftests KCONFIG=kasan
	@$(MAKE) --no-print-directory tools KCONFIG=kasan
	@$(MAKE) --no-print-directory kernel KCONFIG=kasan-nocompact
	@scripts/kernel/build-kernel.sh kasan base
	@ZSP_TIMEOUT_SCALE=$${ZSP_TIMEOUT_SCALE:-3} selftests/run -l guest \
		-k $(BUILD)/kernel-kasan/arch/x86/boot/bzImage \
		-x nocompact=$(BUILD)/kernel-kasan-nocompact/arch/x86/boot/bzImage \
		-x kasan-base=$(BZIMAGE_KASAN_BASE) $(KASAN_TESTS)

# The CVE-2025-21693 reproducer alone: the series on the debug kernel, then
# the KASAN base (with the base's test aid), which must end in KASAN's panic.
test-cve-base: deps ## CVE-2025-21693 reproducer: series, then the KASAN base
	@scripts/kernel/build-kernel.sh kasan base
	@$(MAKE) --no-print-directory selftests
	@selftests/run -l guest -k $(BZIMAGE) -x kasan-base=$(BZIMAGE_KASAN_BASE) zswap-cve-2025-21693

# The zspage lock in lockdep's lock statistics: a debug kernel with
# CONFIG_LOCK_STAT, which slows every lock further than make test can afford.
test-lockstat: ## the zspage lock in /proc/lock_stat (CONFIG_LOCK_STAT)
	@$(MAKE) --no-print-directory kernel selftests KCONFIG=lockstat
	@$(MAKE) --no-print-directory tools
	@selftests/run -l guest -k $(BUILD)/kernel-lockstat/arch/x86/boot/bzImage zsmalloc-lock-stat

# The tools on Debian's 6.12 (pcpu_hot preempt count, xarray trees,
# zswap_load): the bench's reference kernel, and the negative-control module
# built against it. The tools are the ones every other test runs, built
# once from the 6.1 kernel's BTF: CO-RE is what carries them to 6.12.
REF_KOUT := $(BUILD)/kernel-perf-6.12
test-ref: kernel $(STRESS_BIN) ## the tools on Debian's 6.12 reference kernel
	@scripts/kernel/build-ref-kernel.sh
	@$(MAKE) --no-print-directory tools
	@mkdir -p $(REF_KOUT)/zsp-module
	@cp selftests/module/zsp_atomic_sleep.c $(REF_KOUT)/zsp-module/
	@echo 'obj-m := zsp_atomic_sleep.o' > $(REF_KOUT)/zsp-module/Kbuild
	$(MAKE) -s -C $(REF_KOUT) M=$(REF_KOUT)/zsp-module modules
	@selftests/run -l guest -k $(BUILD)/bench-kernels/bzImage-ref tools-ref-kernel

# The long tool lifecycle run: every tool in every mode attached and detached
# 50 times under thrash (make test runs 10), on the series and the base.
test-lifecycle: kernel kernel-base selftests ## 50 attach/detach cycles per tool under thrash
	@$(MAKE) --no-print-directory tools
	@ZSP_LIFECYCLE_CYCLES=50 ZSP_TIMEOUT_SCALE=$${ZSP_TIMEOUT_SCALE:-5} selftests/run -l guest \
		-k $(BZIMAGE) -b $(BZIMAGE_BASE) tools-lifecycle

# Base vs series on perf-config kernels, alternating boots; QUICK=1 for a
# smoke run. The tools are CO-RE: any built kernel's BTF will do for vmlinux.h.
bench-kernels: apply ## build the perf kernels of make bench
	@scripts/kernel/build-bench-kernels.sh
	@if [ -n "$(REF)" ] && [ "$(REF)" != 0 ]; then scripts/kernel/build-ref-kernel.sh; fi

bench: bench-kernels $(STRESS_BIN) ## the benchmark (RUNS=, COMPRESSORS=, MODE=, VCPUS=, REF=1)
	@$(MAKE) --no-print-directory tools \
		VMLINUX_BTF=$(firstword $(wildcard $(KOUT)/vmlinux) $(BUILD)/kernel-perf-bench/vmlinux)
	@scripts/bench/bench.sh

# The kernel's own judges, base vs series, one vCPU under icount: wakeup
# latency beside swap-in (cyclictest, rtla timerlat), the preemptoff
# tracer's longest section, a critical task's swap-in with and without a
# hog. Trace kernels: perf plus kernel-config/trace.config. RT=1 adds
# Debian's 6.1 PREEMPT_RT kernel, booted from its package.
bench-latency: apply $(STRESS_BIN) $(CRITICAL_BIN) ## wakeup latency and a critical task's swap-in, trace kernels (RT=1: + Debian's 6.1 RT)
	@scripts/kernel/build-bench-kernels.sh trace
	@if [ -n "$(RT)" ] && [ "$(RT)" != 0 ] || case " $(KERNELS) " in *" rt "*) true ;; *) false ;; esac; then \
		scripts/kernel/fetch-rt-kernel.sh; fi
	@$(MAKE) --no-print-directory tools \
		VMLINUX_BTF=$(firstword $(wildcard $(KOUT)/vmlinux) $(BUILD)/kernel-trace-bench/vmlinux)
	@scripts/bench/latency.sh

# The context lock's cost with nobody real-time: four swap-in workers on two
# vCPUs, on the bench-latency kernels (KERNELS= as there).
bench-contention: apply $(STRESS_BIN) ## four workers sharing two vCPUs' compression contexts
	@scripts/kernel/build-bench-kernels.sh trace
	@scripts/bench/bench-contention.sh

# Regenerate every figure block of README.md, doc/cover-letter.txt and
# doc/*.md from doc/bench/ and doc/measurements/ (make test checks they match).
docs: ## regenerate every figure block from doc/bench/ and doc/measurements/
	@PYTHONPATH=scripts python3 -m zspbench.docs

# The upstream workflow: edit on the branch, make series, make check, make send.
check: apply ## checkpatch --strict, per-patch W=1 and sparse, config matrix
	@scripts/series/check-series.sh

series: base ## re-export patches/ from the branch (git format-patch)
	@scripts/series/export-series.sh

send: apply ## post the series with b4 (dry run unless SEND=1)
	@scripts/series/send-series.sh

clean: ## remove guest runs, test outputs and test programs under build/
	rm -rf $(BUILD)/vm $(BUILD)/tests $(BUILD)/bin $(BUILD)/demo

distclean: ## remove build/ entirely
	@if [ -d $(BUILD)/ksrc ] && [ -n "$(KSRC)" ]; then git -C "$(KSRC)" worktree remove --force $(BUILD)/ksrc; fi
	rm -rf $(BUILD)

$(BZIMAGE):
	@echo "no kernel at $@: run 'make kernel'" >&2; exit 1
