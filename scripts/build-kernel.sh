#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh NAME [base]: build the kernel tree (with whatever is applied
# to it) into build/kernel-NAME with kernel-config/NAME, through ccache so a
# rebuild after a patch change recompiles only what changed.
#
# With "base", build the unpatched base instead, from a worktree of its own
# (build/linux-base) into build/kernel-NAME-base, so comparisons never have to
# switch the series tree back and forth.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=${1:?usage: build-kernel.sh debug|perf|kasan|lockstat [base]}
variant=${2:-series}
out=${ZSP_KOUT:-$ZSP_BUILD/kernel-$name}
case $variant in
series)
	# Test kernels carry the test-only aids (selftests/kernel/); the
	# benchmark kernel (perf) is the series alone.
	case $name in debug | kasan | lockstat) [ -n "${ZSP_KSRC_OVERRIDE:-}" ] || "$ZSP_TOP/scripts/apply-test-aids.sh" ;; esac
	;;
base)
	out=${ZSP_KOUT:-$ZSP_BUILD/kernel-$name-base}
	wt=$ZSP_BUILD/linux-base
	[ -n "$ZSP_BASE_REV" ] || die "no base recorded: run 'make base'"
	if [ ! -e "$wt/.git" ]; then
		git -C "$ZSP_KSRC" worktree add -q --detach "$wt" "$ZSP_BASE_REV" ||
			die "cannot add the base worktree at $wt"
	fi
	[ "$(git -C "$wt" rev-parse HEAD)" = "$(git -C "$ZSP_KSRC" rev-parse "$ZSP_BASE_REV^{commit}")" ] ||
		git -C "$wt" checkout -q --detach "$ZSP_BASE_REV"
	ZSP_KSRC=$wt
	export ZSP_KSRC_OVERRIDE=$wt
	;;
*) die "unknown variant '$variant' (expected series or base)" ;;
esac
mkdir -p "$out"
cfgs=("$ZSP_TOP"/kernel-config/*.config)
if [ ! -f "$out/.config" ] || [ -n "$(find "${cfgs[@]}" "$ZSP_TOP/scripts/kconfig.sh" -newer "$out/.config")" ]; then
	"$ZSP_TOP/scripts/kconfig.sh" "$name" "$out"
fi

export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/zspreempt-ccache}
# Clones at different paths share one cache.
export CCACHE_BASEDIR=$ZSP_TOP CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
# Fixed build stamps keep init/version.o and friends cacheable.
export KBUILD_BUILD_TIMESTAMP="@0" KBUILD_BUILD_USER=zspreempt KBUILD_BUILD_HOST=zspreempt

cc=gcc
command -v ccache >/dev/null && cc="ccache gcc"
start=$(date +%s)
note "building $name kernel in $out (log: $out/build.log)"
if ! make -C "$ZSP_KSRC" O="$out" ARCH=x86_64 CC="$cc" -j"$(nproc)" bzImage modules \
	> "$out/build.log" 2>&1; then
	grep -E 'error|Error' "$out/build.log" | head -20 >&2
	die "kernel build failed (log: $out/build.log)"
fi
kgit rev-parse HEAD > "$out/built-from" 2>/dev/null || true
note "built $out/arch/x86/boot/bzImage in $(( $(date +%s) - start ))s"
