#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# latency.sh: make bench-latency. Boot the base and the series trace kernels
# (build-bench-kernels.sh trace) alternately, one vCPU under icount, and run
# latency-guest.sh in each: wakeup latency beside swap-in (cyclictest, rtla
# timerlat), the preemptoff tracer's longest section, and a critical task's
# own swap-in latency with and without a hog (priority inversion), and
# compaction and migration beside swap-in. Then latency_report.py writes
# report.json and report.md.
#
#   RUNS=N          boots per kernel (default 3)
#   COMPRESSORS=..  compressors per boot (default "lzo lz4 zstd deflate
#                   zram-lzo zram-zstd"); zram-ALG: swap on a zram device
#                   using ALG with zswap off (Android's setup), after the
#                   zswap ones
#   PHASES=..       latency-guest.sh's phases to run (default all)
#   KERNELS=..      kernels to boot in turn (default "base series", with
#                   RT=1 "base series rt"): NAME boots build/bench-kernels/
#                   bzImage-NAME-trace (with bzImage-NAME-trace.initrd if
#                   there is one), so an experiment's kernel built there can
#                   join the comparison; rt is Debian's 6.1 PREEMPT_RT
#                   kernel from its package (fetch-rt-kernel.sh)
#
# Results: build/bench/latency-<UTC timestamp>/ (runs/<kernel>-<n>/).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

runs=${RUNS:-3}
comps=${COMPRESSORS:-lzo lz4 zstd deflate zram-lzo zram-zstd}
check_bench_args "$runs" "$comps" zram
kdir=$ZSP_BUILD/bench-kernels
case ${RT:-0} in
0 | '') kernels=${KERNELS:-base series} ;;
*) kernels=${KERNELS:-base series rt} ;;
esac
[[ " $kernels " == " base "* ]] || die "KERNELS must begin with base, the reference of every ratio, not '$kernels'"
for k in $kernels; do
	[ -r "$kdir/bzImage-$k-trace" ] || die "no $k trace kernel in $kdir: run 'make bench-latency' (it builds them; RT=1 fetches rt)"
done
for b in bin/zswap-stress bin/zsp-critical tools/zsplock; do
	[ -x "$ZSP_BUILD/$b" ] || die "$ZSP_BUILD/$b missing: run 'make workloads tools'"
done
phases=${PHASES:-}
for p in $phases; do
	case $p in
	floor | cyclictest | timerlat | preemptoff | critical | inversion | zsplock | compaction) ;;
	*) die "PHASES: '$p' is not a phase (floor cyclictest timerlat preemptoff critical inversion zsplock compaction)" ;;
	esac
done
command -v cyclictest >/dev/null || die "cyclictest missing: run 'make deps' (Debian rt-tests)"
command -v rtla >/dev/null || die "rtla missing: run 'make deps' (Debian rtla)"

if [ -z "${ZSP_BENCH_DIR:-}" ]; then
	dir=$ZSP_BUILD/bench/latency-$(date -u +%Y%m%dT%H%M%SZ)
	mkdir -p "$dir/runs"
	bench_snapshot "$dir" latency.sh bin/zswap-stress bin/zsp-critical tools/zsplock -- "$@"
fi
dir=$ZSP_BENCH_DIR
ncomp=$(wc -w <<< "$comps")
note "$runs boot(s) per kernel x $ncomp compressor(s) ($comps), one vCPU under icount"
note "results in $dir"
{
	echo "{\"started\": \"$(date -u +%FT%TZ)\", \"runs\": $runs, \"compressors\": \"$comps\","
	echo " \"mode\": \"icount\", \"vcpus\": 1, \"kernels\": \"$kernels\", \"phases\": \"${phases:-all}\","
	echo " \"host\": \"$(uname -r)\", \"host_cpus\": $(nproc),"
	echo " \"qemu\": \"$(qemu-system-x86_64 --version | head -1)\","
	printf ' "revs": {'
	sep=
	for k in $kernels; do
		# A built kernel's revision, or a package's name and version.
		printf '%s"%s": "%s"' "$sep" "$k" "$(sed 's/ [^ ]*$//' "$kdir/bzImage-$k-trace.rev" 2>/dev/null)"
		sep=', '
	done
	echo '}}'
} > "$dir/bench.json"

for i in $(seq "$runs"); do
	for k in $kernels; do
		run=$dir/runs/$k-$i
		note "run $i/$runs: $k kernel"
		initrd=()
		[ ! -r "$kdir/bzImage-$k-trace.initrd" ] || initrd=(--initrd "$kdir/bzImage-$k-trace.initrd")
		bench_boot "$run" --icount -k "$kdir/bzImage-$k-trace" "${initrd[@]}" -s 1 -m 512M \
			-t $((ncomp * 500 + 300)) -- "ZSP_LATENCY_PHASES='$phases' bash $ZSP_TOP/scripts/bench/latency-guest.sh $run $comps"
	done
done
bench_finish latency_report "$dir" $((runs * $(wc -w <<< "$kernels")))
