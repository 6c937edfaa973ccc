# SPDX-License-Identifier: GPL-2.0
# zspreempt: the verbs. Every target sets up what it needs first, so on a
# fresh Debian bookworm machine `make demo` and `make test` are all it takes.

SHELL := /bin/bash
TOP := $(CURDIR)
BUILD := $(TOP)/build
KCONFIG ?= debug
KOUT := $(BUILD)/kernel-$(KCONFIG)
BZIMAGE := $(KOUT)/arch/x86/boot/bzImage
MEM ?= 512M
CMD ?= cat /proc/version; grep -r . /sys/module/zswap/parameters/
SELFTEST_BIN := $(BUILD)/selftests/zswap-stress

export KSRC KSRC_BASE ZSP_BRANCH FORCE ACCEL

.PHONY: all help deps base apply kernel selftests vm demo test ci clean distclean

all: kernel selftests

help:
	@sed -n 's/^## //p' README.md | head -40

deps:
	@scripts/deps.sh

base: deps
	@scripts/prepare-base.sh

apply: base
	@scripts/apply-series.sh

kernel: apply
	@scripts/build-kernel.sh $(KCONFIG)

selftests: $(SELFTEST_BIN)

$(SELFTEST_BIN): selftests/guest/zswap-stress.c | deps
	@mkdir -p $(@D)
	gcc -O2 -g -Wall -Wextra -Werror -o $@ $<

vm: kernel selftests
	@scripts/run-vm.sh -k $(BZIMAGE) -m $(MEM) -- '$(CMD)'

demo: kernel selftests
	@scripts/demo.sh $(BZIMAGE)

test: kernel selftests
	@selftests/run -k $(BZIMAGE)

clean:
	rm -rf $(BUILD)/vm $(BUILD)/tests $(BUILD)/selftests $(BUILD)/demo

distclean:
	@if [ -d $(BUILD)/ksrc ] && [ -n "$(KSRC)" ]; then git -C "$(KSRC)" worktree remove --force $(BUILD)/ksrc; fi
	rm -rf $(BUILD)
