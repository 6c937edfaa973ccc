#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh CONFIG [VARIANT] [OUTDIR]: build a kernel with
# kernel-config/CONFIG (debug, perf, trace, kasan, lockstat; nocompact and
# kasan-nocompact add nocompact.config) through ccache, so
# a rebuild after a patch change recompiles only what changed.
#
#   VARIANT series     the series tree (default); test kernels (debug,
#                      kasan, lockstat) carry the test-only aids of
#                      selftests/kernel/; OUTDIR defaults to
#                      build/kernel-CONFIG
#           base       the unpatched base, built from the series tree
#                      switched to the base for the build and back (one
#                      path, so ccache shares every unchanged object);
#                      build/kernel-CONFIG-base; test kernels carry
#                      selftests/kernel/base/ (knobs)
#           tree=DIR   the kernel tree DIR exactly as it is (the bench and
#                      reference kernels); OUTDIR is required
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

usage="usage: build-kernel.sh debug|perf|trace|kasan|lockstat|nocompact|kasan-nocompact [series|base|tree=DIR] [OUTDIR]"
name=${1:?$usage}
variant=${2:-series}
case $name in
debug | perf | trace | kasan | lockstat | nocompact | kasan-nocompact) ;;
*) die "unknown kernel config '$name' (expected debug, perf, trace, kasan, lockstat, nocompact or kasan-nocompact)" ;;
esac
# One build at a time per kernel tree: the base is built by switching the
# series tree, and a build of anything else from that tree meanwhile would
# mix the two. A second build waits here for the first.
lockdir=$(git -C "${variant#tree=}" rev-parse --absolute-git-dir 2>/dev/null || true)
case $variant in series | base) lockdir=$(kgit rev-parse --path-format=absolute --git-common-dir) ;; esac
if [ -n "$lockdir" ]; then
	exec 9> "$lockdir/zsp-build.lock"
	flock 9
fi
case $variant in
series)
	src=$ZSP_KSRC
	out=${3:-$ZSP_BUILD/kernel-$name}
	case $name in perf | trace) ;; *) "$ZSP_TOP/scripts/kernel/apply-test-aids.sh" ;; esac
	;;
base)
	# Built from the series tree itself, switched to the base (plus, for
	# test kernels, the base's test aids: debugfs knobs that change
	# nothing until set) and back to where it was afterwards. The same
	# path gives the same compiler command lines, so ccache serves every
	# object the series does not change; a worktree of its own missed them
	# all (kbuild passes the tree's absolute path in -fmacro-prefix-map).
	# The benchmark's perf kernel is the base exactly.
	src=$ZSP_KSRC
	out=${3:-$ZSP_BUILD/kernel-$name-base}
	[ -n "$ZSP_BASE_REV" ] || die "no base recorded: run 'make base'"
	kgit diff --quiet HEAD -- || die "$ZSP_KSRC has uncommitted changes: commit them on $ZSP_BRANCH first"
	back=$(kgit symbolic-ref -q --short HEAD || kgit rev-parse HEAD)
	trap 'kgit checkout -q "$back" || note "could not switch $ZSP_KSRC back to $back"' EXIT
	aids=()
	[ "$name" = perf ] || [ "$name" = trace ] || aids=("$ZSP_TOP"/selftests/kernel/base/*.patch)
	kgit checkout -q --detach "$ZSP_BASE_REV^{commit}"
	for p in "${aids[@]}"; do
		kgit am -q "$p" > "$out.aids.log" 2>&1 || {
			kgit am --abort >/dev/null 2>&1 || true
			sed 's/^/  | /' "$out.aids.log" >&2
			die "base test aid $(basename "$p") does not apply to $ZSP_BASE_REV"
		}
	done
	# The separate base worktree of earlier versions is no longer used.
	[ ! -e "$ZSP_BUILD/linux-base/.git" ] || kgit worktree remove --force "$ZSP_BUILD/linux-base" 2>/dev/null || true
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
# An output directory built from another tree (the base's own worktree of
# earlier versions) keeps dependency files that name it: start afresh.
# built-from-tree records the tree; a directory without it predates that.
srcdir=$(cd "$src" && pwd -P)
if [ -f "$out/.config" ] && [ "$(cat "$out/built-from-tree" 2>/dev/null)" != "$srcdir" ]; then
	note "$out was not built from $srcdir: removing it"
	rm -rf "$out"
	mkdir -p "$out"
fi
echo "$srcdir" > "$out/built-from-tree"
cfgs=("$ZSP_TOP"/kernel-config/*.config)
if [ ! -f "$out/.config" ] || [ -n "$(find "${cfgs[@]}" "$ZSP_TOP/scripts/kernel/kconfig.sh" -newer "$out/.config")" ]; then
	"$ZSP_TOP/scripts/kernel/kconfig.sh" "$name" "$out" "$src"
fi

start=$(date +%s)
note "building $name kernel from $src in $out (log: $out/build.log)"
if ! zsp_kmake "$src" "$out" bzImage modules > "$out/build.log" 2>&1; then
	grep -E 'error|Error' "$out/build.log" | head -20 >&2
	die "kernel build failed (log: $out/build.log)"
fi
git -C "$src" rev-parse HEAD > "$out/built-from" 2>/dev/null || true
note "built $out/arch/x86/boot/bzImage in $(( $(date +%s) - start ))s"
