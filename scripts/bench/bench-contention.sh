#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-contention.sh: what the context lock's kind costs when nobody is
# real-time. Four swap-in workers (SCHED_OTHER) share two vCPUs and so
# their two compression contexts, under icount; the trace kernels of make
# bench-latency (their tracers off) boot in turn, RUNS rounds, and each
# boot runs the same workload per compressor. Report: zswap loads per guest
# second, median (min..max) over boots per kernel, ratio to the base, and
# the verdict rule of make bench (ranges that overlap: no measurable
# difference).
#
#   RUNS=N          rounds (default 3)
#   COMPRESSORS=..  default "lzo deflate"
#   KERNELS=..      default "base series" (bzImage-NAME-trace; more with
#                   BENCH_EXTRA=NAME=REV, see build-bench-kernels.sh)
#
# Results: build/bench/contention-<UTC timestamp>/ (report.md, report.json).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

runs=${RUNS:-3}
comps=${COMPRESSORS:-lzo deflate}
kernels=${KERNELS:-base series}
kdir=$ZSP_BUILD/bench-kernels
check_bench_args "$runs" "$comps"
[[ " $kernels " == " base "* ]] || die "KERNELS must begin with base, not '$kernels'"
for k in $kernels; do
	[ -r "$kdir/bzImage-$k-trace" ] || die "no $k trace kernel in $kdir: run 'make bench-latency' first"
done
[ -x "$ZSP_BUILD/bin/zswap-stress" ] || die "$ZSP_BUILD/bin/zswap-stress missing: run 'make workloads'"
if [ -z "${ZSP_BENCH_DIR:-}" ]; then
	dir=$ZSP_BUILD/bench/contention-$(date -u +%Y%m%dT%H%M%SZ)
	mkdir -p "$dir/runs"
	bench_snapshot "$dir" bench-contention.sh bin/zswap-stress -- "$@"
fi
dir=$ZSP_BENCH_DIR
# The snapshot's copy: a rebuild meanwhile cannot change what later boots run.
S=$ZSP_TOP/build/bin/zswap-stress
note "results in $dir"
printf '{"runs": %d, "compressors": "%s", "kernels": "%s", "mode": "icount", "vcpus": 2, "work": "%s"}\n' \
	"$runs" "$comps" "$kernels" "zswap-stress -m 64 -c 24 -P 4 -p 2 -w 10 -k tsmc -s 5" > "$dir/bench.json"

for i in $(seq "$runs"); do
	for k in $kernels; do
		d=$dir/runs/$k-$i
		note "round $i/$runs: $k kernel"
		bench_boot "$d" --icount -k "$kdir/bzImage-$k-trace" -s 2 -m 512M -t 1200 -- \
			"for c in $comps; do echo \$c > /sys/module/zswap/parameters/compressor && $S -m 64 -c 24 -P 4 -p 2 -w 10 -k tsmc -s 5 -j > $d/\$c.json 2> $d/\$c.err; done"
	done
done
bench_finish contention_report "$dir" $((runs * $(wc -w <<< "$kernels")))
