#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-bench-kernels.sh [perf|trace]: the two benchmark kernels, from one
# worktree and one output directory per config: perf (the default, make
# bench) or trace (perf plus the kernel's latency tracers and delay
# accounting, make bench-latency). The base is built first; the series
# kernel is then an incremental rebuild of it (git checkout touches only the
# files the series changes, so make recompiles only those), which guarantees
# that both kernels share every other object and differ by the series alone.
#
# Results: build/bench-kernels/bzImage-{base,series}, the microbenchmark
# module zsp_mbench-{base,series}.ko built against each, and a .rev file each;
# for trace, bzImage-{base,series}-trace (no module).
# A kernel whose recorded revision and config still match is not rebuilt.
#
# BENCH_EXTRA='NAME=REV ...' builds more kernels from any revision of the
# kernel tree, as bzImage-NAME (perf) or bzImage-NAME-trace, for KERNELS=
# of make bench-latency and make bench-contention; e.g. 'mutex=zspreempt~2',
# the series without its last two patches (the rt_mutex ones).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

cfg=${1:-perf}
case $cfg in
perf) sfx= ;;
trace) sfx=-trace ;;
*) die "unknown bench kernel config '$cfg' (expected perf or trace)" ;;
esac
wt=$ZSP_BUILD/linux-bench
out=$ZSP_BUILD/kernel-$cfg-bench
dst=$ZSP_BUILD/bench-kernels
[ -n "$ZSP_BASE_REV" ] || die "no base recorded: run 'make base'"
base=$(kgit rev-parse "$ZSP_BASE_REV^{commit}")
# The series branch, never the test-aid branch that may be checked out.
series=$(kgit rev-parse -q --verify "refs/heads/$ZSP_BRANCH^{commit}") || die "no branch $ZSP_BRANCH: run 'make apply'"
[ "$base" != "$series" ] || die "the kernel tree has no patches applied: run 'make apply'"
mkdir -p "$dst"
if [ ! -e "$wt/.git" ]; then
	kgit worktree add -q --detach "$wt" "$base" || die "cannot add the bench worktree at $wt"
fi

# The config is part of what a stored kernel was built from.
frags=("$ZSP_TOP"/kernel-config/guest.config "$ZSP_TOP"/kernel-config/perf.config)
[ "$cfg" = perf ] || frags+=("$ZSP_TOP/kernel-config/$cfg.config")
cfgsum=$(cat "${frags[@]}" | sha1sum | cut -c1-12)
modsum=$(cat "$ZSP_TOP"/workloads/module/zsp_mbench.c "$ZSP_TOP"/workloads/module/Kbuild | sha1sum | cut -c1-12)

build_one() {
	local name=$1 rev=$2 mod img=$dst/bzImage-$1$sfx

	mod=$dst/mbench-$name
	if [ "$(cat "$img.rev" 2>/dev/null)" = "$rev $cfgsum" ] && [ -f "$img" ] &&
		{ [ "$cfg" != perf ] || [ "$(cat "$dst/zsp_mbench-$name.rev" 2>/dev/null)" = "$rev $modsum" ]; }; then
		note "$name $cfg kernel up to date ($img)"
		return
	fi
	git -C "$wt" checkout -q --detach "$rev"
	"$ZSP_TOP/scripts/kernel/build-kernel.sh" "$cfg" "tree=$wt" "$out"
	cp "$out/arch/x86/boot/bzImage" "$img"
	cp "$out/.config" "$dst/config-$name$sfx"
	echo "$rev $cfgsum" > "$img.rev"
	[ "$cfg" = perf ] || return 0
	# The microbenchmark module, built against this kernel's tree while the
	# output directory holds it (the two kernels share that directory).
	rm -rf "$mod" && mkdir -p "$mod"
	cp "$ZSP_TOP"/workloads/module/zsp_mbench.c "$ZSP_TOP"/workloads/module/Kbuild "$mod"/
	make -s -C "$out" M="$mod" modules > "$mod/build.log" 2>&1 ||
		die "microbenchmark module for the $name kernel failed to build (log: $mod/build.log)"
	cp "$mod/zsp_mbench.ko" "$dst/zsp_mbench-$name.ko"
	echo "$rev $modsum" > "$dst/zsp_mbench-$name.rev"
}

build_one base "$base"
build_one series "$series"
for x in ${BENCH_EXTRA:-}; do
	[[ $x == ?*=?* ]] || die "BENCH_EXTRA wants NAME=REV, not '$x'"
	case ${x%%=*} in base | series | ref) die "BENCH_EXTRA: '${x%%=*}' is a name of its own" ;; esac
	rev=$(kgit rev-parse -q --verify "${x#*=}^{commit}") || die "BENCH_EXTRA: no revision '${x#*=}' in the kernel tree"
	build_one "${x%%=*}" "$rev"
done
