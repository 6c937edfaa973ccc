#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh CONFIG [VARIANT] [OUTDIR]: build a kernel with
# kernel-config/CONFIG (debug, perf, kasan, lockstat; nocompact and
# kasan-nocompact add nocompact.config) through ccache, so
# a rebuild after a patch change recompiles only what changed.
#
#   VARIANT series     the series tree (default); test kernels (debug,
#                      kasan, lockstat) carry the test-only aids of
#                      selftests/kernel/; OUTDIR defaults to
#                      build/kernel-CONFIG
#           base       the unpatched base, from a worktree of its own
#                      (build/linux-base), so comparisons never switch the
#                      series tree back and forth; build/kernel-CONFIG-base;
#                      test kernels carry selftests/kernel/base/ (knobs)
#           tree=DIR   the kernel tree DIR exactly as it is (the bench and
#                      reference kernels); OUTDIR is required
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage="usage: build-kernel.sh debug|perf|kasan|lockstat|nocompact|kasan-nocompact [series|base|tree=DIR] [OUTDIR]"
name=${1:?$usage}
variant=${2:-series}
case $name in
debug | perf | kasan | lockstat | nocompact | kasan-nocompact) ;;
*) die "unknown kernel config '$name' (expected debug, perf, kasan, lockstat, nocompact or kasan-nocompact)" ;;
esac
case $variant in
series)
	src=$ZSP_KSRC
	out=${3:-$ZSP_BUILD/kernel-$name}
	case $name in perf) ;; *) "$ZSP_TOP/scripts/apply-test-aids.sh" ;; esac
	;;
base)
	src=$ZSP_BUILD/linux-base
	out=${3:-$ZSP_BUILD/kernel-$name-base}
	[ -n "$ZSP_BASE_REV" ] || die "no base recorded: run 'make base'"
	if [ ! -e "$src/.git" ]; then
		kgit worktree add -q --detach "$src" "$ZSP_BASE_REV" ||
			die "cannot add the base worktree at $src"
	fi
	# Test kernels of the base carry the base's test aids
	# (selftests/kernel/base/: debugfs knobs that change nothing until
	# set); the benchmark's perf kernel is the base exactly.
	aids=()
	[ "$name" = perf ] || aids=("$ZSP_TOP"/selftests/kernel/base/*.patch)
	rev=$(kgit rev-parse "$ZSP_BASE_REV^{commit}")
	stamp=$(git -C "$src" rev-parse --absolute-git-dir)/zsp-base-aids
	want=$( (echo "$rev"; cat "${aids[@]}" /dev/null) | sha256sum | cut -c1-64)
	if [ "$(cat "$stamp" 2>/dev/null)" != "$want $(git -C "$src" rev-parse HEAD)" ]; then
		git -C "$src" checkout -q --detach "$rev"
		for p in "${aids[@]}"; do
			kgit_id=()
			git -C "$src" config user.email >/dev/null 2>&1 ||
				kgit_id=(-c "user.name=zspreempt developers" -c user.email=zspreempt@example.org)
			git -C "$src" "${kgit_id[@]}" am -q "$p" > "$out.aids.log" 2>&1 || {
				git -C "$src" am --abort >/dev/null 2>&1 || true
				sed 's/^/  | /' "$out.aids.log" >&2
				die "base test aid $(basename "$p") does not apply to $ZSP_BASE_REV"
			}
		done
		echo "$want $(git -C "$src" rev-parse HEAD)" > "$stamp"
	fi
	;;
tree=?*)
	src=${variant#tree=}
	out=${3:?$usage (tree=DIR needs OUTDIR)}
	;;
*) die "unknown variant '$variant' (expected series, base or tree=DIR)" ;;
esac
# make -C SRC would resolve a relative O= inside SRC.
mkdir -p "$out"
out=$(cd "$out" && pwd)
cfgs=("$ZSP_TOP"/kernel-config/*.config)
if [ ! -f "$out/.config" ] || [ -n "$(find "${cfgs[@]}" "$ZSP_TOP/scripts/kconfig.sh" -newer "$out/.config")" ]; then
	"$ZSP_TOP/scripts/kconfig.sh" "$name" "$out" "$src"
fi

start=$(date +%s)
note "building $name kernel from $src in $out (log: $out/build.log)"
if ! zsp_kmake "$src" "$out" bzImage modules > "$out/build.log" 2>&1; then
	grep -E 'error|Error' "$out/build.log" | head -20 >&2
	die "kernel build failed (log: $out/build.log)"
fi
git -C "$src" rev-parse HEAD > "$out/built-from" 2>/dev/null || true
note "built $out/arch/x86/boot/bzImage in $(( $(date +%s) - start ))s"
