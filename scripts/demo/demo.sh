#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh BZIMAGE [BASE_BZIMAGE]: boot the series and the base kernel (make
# demo builds both), in each run a latency-critical task beside swap-in
# workers and a hog, zswplat's own report, and a zswap workload with each
# compressor while zswplat and zsplock watch (demo-guest.sh); then print
# the critical task's swap-in latency base and series side by side,
# zswplat's table from the series, and one line per compressor: pages
# stored, loaded and verified, load latency, and preempt-off time per load
# beside the base's.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

kernel=${1:?usage: demo.sh BZIMAGE [BASE_BZIMAGE]}
base=${2:-}
out=$ZSP_BUILD/demo
rm -rf "$out"
mkdir -p "$out/series"
"$ZSP_TOP/scripts/vm/run-vm.sh" -k "$kernel" -o "$out/series" -t 1800 -- \
	"ZSP_TOP=$ZSP_TOP ZSP_BUILD=$ZSP_BUILD bash $ZSP_TOP/scripts/demo/demo-guest.sh $out/series"
args=("$out/series")
if [ -n "$base" ] && [ -r "$base" ]; then
	mkdir -p "$out/base"
	"$ZSP_TOP/scripts/vm/run-vm.sh" -k "$base" -o "$out/base" -t 1800 -- \
		"ZSP_TOP=$ZSP_TOP ZSP_BUILD=$ZSP_BUILD bash $ZSP_TOP/scripts/demo/demo-guest.sh $out/base"
	args+=("$out/base")
else
	note "no base kernel built (make kernel-base): the summary shows the series alone"
fi
echo
echo "== zswplat's own report on the series (one lzo workload)"
cat "$out/series/zswplat.txt"
echo
echo "== what the demo showed (debug kernels, TCG: latencies are not benchmark figures; see make bench-latency and make bench)"
rc=0
zsp_py demo_summary "${args[@]}" || rc=$?
echo "== full output: $out/series/guest.out${base:+ and $out/base/guest.out}; JSON beside them; consoles: console.log"
exit $rc
