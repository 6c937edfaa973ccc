#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh: boot the base and the series perf kernels alternately (base,
# series, base, series, ...) with identical QEMU settings, run
# bench-guest.sh in each, then write the report and plots with
# bench_report.py. Drift on a shared, noisy host then hits both kernels alike.
#
#   RUNS=N         boots per kernel (default 3)
#   COMPRESSORS=.. compressors per boot (default "lzo lz4 zstd deflate")
#   QUICK=1        smoke check: lzo only, one boot each
#   REF=1          also boot Debian's 6.12 (build-ref-kernel.sh) in each round,
#                  latency and cyclictest phases only: a reference point
#   MODE=icount    (default) deterministic: guest time follows executed
#                  instructions (run-vm.sh --icount), so host load does not
#                  move the figures; MODE=realtime: multi-threaded TCG, guest
#                  clocks follow the host (the first bench's mode)
#   VCPUS=N        guest vCPUs (default 2)
#
# Results: build/bench/<UTC timestamp>/ (runs/<kernel>-<n>/*.json, report.md,
# report.json, plots); build/bench/latest points at the newest.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

runs=${RUNS:-3}
comps=${COMPRESSORS:-lzo lz4 zstd deflate}
if [ -n "${QUICK:-}" ] && [ "${QUICK}" != 0 ]; then
	runs=1
	comps=${COMPRESSORS:-lzo}
fi
mode=${MODE:-icount}
case $mode in
icount) vmmode=(--icount) ;;
realtime) vmmode=() ;;
*) die "MODE must be icount or realtime, not '$mode'" ;;
esac
vcpus=${VCPUS:-2}
[[ $vcpus =~ ^[1-8]$ ]] || die "VCPUS must be 1..8, not '$vcpus'"
check_bench_args "$runs" "$comps"
kdir=$ZSP_BUILD/bench-kernels
kernels="base series"
[ -z "${REF:-}" ] || [ "$REF" = 0 ] || kernels+=" ref"
for k in $kernels; do
	[ -r "$kdir/bzImage-$k" ] || die "no $k bench kernel in $kdir: run 'make bench' (it builds them; REF=1 builds the reference)"
	[ $k = ref ] || [ -r "$kdir/zsp_mbench-$k.ko" ] || die "no microbenchmark module for the $k kernel in $kdir: run 'make bench-kernels'"
done
for t in zswplat zsplock zspsleep; do
	[ -x "$ZSP_BUILD/tools/$t" ] || die "$ZSP_BUILD/tools/$t missing: run 'make tools'"
done
command -v cyclictest >/dev/null || die "cyclictest missing: run 'make deps' (Debian rt-tests)"

ncomp=$(wc -w <<< "$comps")
if [ -z "${ZSP_BENCH_DIR:-}" ]; then
	dir=$ZSP_BUILD/bench/$(date -u +%Y%m%dT%H%M%SZ)
	mkdir -p "$dir/runs"
	bench_snapshot "$dir" bench.sh tools/zswplat tools/zsplock tools/zspsleep bin/zswap-stress -- "$@"
fi
dir=$ZSP_BENCH_DIR
# Measured under TCG on 2 cores (icount, 2 vCPUs): about 190 s per
# compressor per boot with all phases (zstd and deflate more, lzo less), 90 s
# to boot and run the microbenchmark and memory phases; realtime is faster.
secs=$((runs * (2 * (ncomp * 190 + 90))))
[ "${kernels% ref}" = "$kernels" ] || secs=$((secs + runs * (ncomp * 60 + 30)))
note "$runs boot(s) per kernel ($kernels) x $ncomp compressor(s) ($comps): expect about $((secs / 60 + 1)) minutes under TCG"
note "results in $dir"
{
	echo "{\"started\": \"$(date -u +%FT%TZ)\", \"runs\": $runs, \"compressors\": \"$comps\","
	echo " \"mode\": \"$mode\", \"vcpus\": $vcpus,"
	echo " \"host\": \"$(uname -r)\", \"host_cpus\": $(nproc), \"host_cpu_model\": \"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)\","
	echo " \"qemu\": \"$(qemu-system-x86_64 --version | head -1)\","
	echo " \"base_rev\": \"$(cut -d' ' -f1 "$kdir/bzImage-base.rev")\", \"series_rev\": \"$(cut -d' ' -f1 "$kdir/bzImage-series.rev")\","
	echo " \"ref\": \"$([ "${kernels% ref}" = "$kernels" ] || cut -d' ' -f1 "$kdir/bzImage-ref.rev")\"}"
} > "$dir/bench.json"

for i in $(seq "$runs"); do
	for k in $kernels; do
		run=$dir/runs/$k-$i
		env=
		env="ZSP_MBENCH_KO=$kdir/zsp_mbench-$k.ko"
		# Under icount the vCPUs take turns on one host thread, so cyclictest
		# would time TCG's turns, not the kernel: it runs in realtime mode.
		if [ -z "${ZSP_BENCH_PHASES:-}" ] && [ "$mode" = icount ] && [ "$vcpus" -gt 1 ] && [ $k != ref ]; then
			env+=" ZSP_BENCH_PHASES='mbench memory plain zswplat zsplock zspsleep realworld'"
		fi
		[ $k != ref ] || env="ZSP_BENCH_PHASES='plain zswplat cyclictest'"
		[ -z "${ZSP_BENCH_PHASES:-}" ] || [ $k = ref ] || env+=" ZSP_BENCH_PHASES='$ZSP_BENCH_PHASES'"
		note "run $i/$runs: $k kernel"
		# Two vCPUs for two host cores: more would time-share under TCG.
		# icount runs them on one host thread: allow twice the time.
		bench_boot "$run" "${vmmode[@]}" -k "$kdir/bzImage-$k" -s "$vcpus" -m 512M \
			-t $((ncomp * 600 + 300)) -- "$env bash $ZSP_TOP/scripts/bench/bench-guest.sh $run $comps"
	done
done
ln -sfn "$(basename "$dir")" "$ZSP_BUILD/bench/latest"
bench_finish bench_report "$dir" $((runs * $(wc -w <<< "$kernels")))
