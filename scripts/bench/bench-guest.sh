#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-guest.sh OUTDIR COMPRESSOR...: one benchmark boot, run inside the
# guest by bench.sh (and, cut to three phases, by the demo). For each
# compressor the same thrash workload runs once per phase, each writing its
# JSON into OUTDIR:
#
#   plain       nothing attached: swap-in throughput
#   zswplat     load latency percentiles and histogram (+ throughput with it)
#   zsplock     preempt-off time per load, zspage lock holds (+ throughput)
#   zspsleep    throughput with the atomic-sleep detector attached
#   cyclictest  SCHED_FIFO cyclictest pinned to the last vCPU while the
#               workload's workers run on every vCPU
#   realworld   nothing attached, with incompressible pages in the mix
#
# and once per boot, first: mbench, the microbenchmark module of the changed
# code (ZSP_MBENCH_KO, built against the booted kernel), then memory, what
# one zswap pool costs per compressor (pool-memory-guest.sh).
#
# ZSP_BENCH_PHASES picks phases, ZSP_BENCH_MIB and ZSP_BENCH_PASSES size the
# work. Nothing here judges the figures: bench_report.py does, from the JSON.
set -u

out=${1:?usage: bench-guest.sh OUTDIR COMPRESSOR...}
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${ZSP_BUILD:-$top/build}
export ZSP_TOOLS=$build/tools
. "$top/scripts/vm/guest-tools.sh"
S=$build/bin/zswap-stress
ncpu=$(nproc)
# Workload: ZSP_BENCH_MIB of mixed pages in a memory cgroup 3/8 that size,
# one worker per vCPU, three random-order passes with 10% rewrites (stores
# keep happening). The fixed amount of work makes zswpin/s comparable; on
# the perf kernels it is about 60000 loads, 10-20 s per phase under TCG.
mib=${ZSP_BENCH_MIB:-128}
# Page kinds: text, same-filled, mixed and the size-class sweep (c) compress
# into a page, so every swap-in of the measured phases is a zswap load and
# no phase waits on the virtual disk (pswpin stays 0; the report checks).
# Noise and the graded kind, which spill to disk, run once, labelled, as
# the real-world phase.
kinds=${ZSP_BENCH_KINDS:-tsmc}
work=(-m "$mib" -c $((mib * 3 / 8)) -P "$ncpu" -p "${ZSP_BENCH_PASSES:-3}" -w 10 -k "$kinds")

# The tool phases' order turns with the boot (OUTDIR ends in -N): each tool
# runs first, second and third in turn, so a drift across the phases of a
# boot is not charged to one tool. Overheads are against the mean of the
# plain phases before and after them (bench_report.py).
boot=${out##*-}
[[ $boot =~ ^[0-9]+$ ]] || boot=1
tools=(zswplat zsplock zspsleep)
r=$(((boot - 1) % ${#tools[@]}))
tool_order=("${tools[@]:r}" "${tools[@]:0:r}")
{
	printf '{"kernel": "%s", "vcpus": %d, "mem_kib": %d, "work": "%s", "tool_order": "%s", ' \
		"$(uname -r)" "$ncpu" "$(awk '/MemTotal/ {print $2}' /proc/meminfo)" "zswap-stress ${work[*]}" "${tool_order[*]}"
	printf '"zpool": "%s", "compressors": "%s", "kinds": "%s"}\n' \
		"$(cat /sys/module/zswap/parameters/zpool)" "$*" "$kinds"
} > "$out/meta.json"

# stress SEED FILE [ARGS...]: ARGS override the work's (later options win).
stress() {
	"$S" "${work[@]}" "${@:3}" -s "$1" -j > "$2" 2> "$2.err" && return
	echo "bench: zswap-stress failed ($2): $(head -2 "$2.err")" >&2
	errors=$((errors + 1))
}

# The reference kernel gets the latency phases only (ZSP_BENCH_PHASES).
phases=${ZSP_BENCH_PHASES:-mbench memory plain zswplat zsplock zspsleep cyclictest realworld}
# Throughput and every tool's overhead are measured against plain: a tool
# phase brings it along.
[[ " $phases " != *" zsw"* && " $phases " != *" zsp"* ]] || [[ " $phases " == *" plain "* ]] ||
	phases="plain $phases"
errors=0
# The microbenchmark of the changed code, first, on a quiet machine: the
# module built against this kernel runs at load time (zsp_mbench.c).
if [[ " $phases " == *" mbench "* ]]; then
	ko=${ZSP_MBENCH_KO:-}
	if [ -z "$ko" ] || ! insmod "$ko" > "$out/mbench.log" 2>&1; then
		echo "bench: microbenchmark module ${ko:-(none given)} failed: $(tail -2 "$out/mbench.log" 2>/dev/null)" >&2
		errors=$((errors + 1))
	else
		cp /sys/kernel/debug/zsp_mbench/results "$out/mbench.jsonl"
		rmmod zsp_mbench
	fi
fi
# What one pool costs, per compressor, before the workloads fragment memory.
if [[ " $phases " == *" memory "* ]] &&
	! bash "$top/scripts/bench/pool-memory-guest.sh" "$out/memory.json" "$@" > "$out/memory.log" 2>&1; then
	echo "bench: pool memory measurement failed: $(tail -2 "$out/memory.log")" >&2
	errors=$((errors + 1))
fi
for c in "$@"; do
	if ! echo "$c" > /sys/module/zswap/parameters/compressor; then
		echo "bench: compressor $c not available" >&2
		errors=$((errors + 1))
		continue
	fi
	echo "bench: $c on $(uname -r)"
	# One seed for plain and every tool phase: the same pages in the same
	# order, so a tool's overhead is its own cost and not the difference
	# between two random access orders (which moved the load count by up to
	# 16% between seeds). plain-end repeats plain after the tools: how far
	# one phase moves the next within a boot, the floor under an overhead.
	seed=1
	[[ " $phases " == *" plain "* ]] && stress $seed "$out/$c-plain.json"
	for tool in "${tool_order[@]}"; do
		[[ " $phases " == *" $tool "* ]] || continue
		# Every tool in its default mode: none hooks a kernel lock primitive
		# (doc/zsplock-hang.md), so the overhead measured is the one a user gets.
		args=(-j)
		if ! tool_start $tool "$out/$c-$tool.tool.json" "${args[@]}"; then
			errors=$((errors + 1))
			continue
		fi
		stress $seed "$out/$c-$tool.json"
		tool_stop $tool || errors=$((errors + 1))
	done
	[[ " $phases " == *" plain "* && " $phases " == *" zs"* ]] && stress $seed "$out/$c-plain-end.json"
	seed=4
	[[ " $phases " == *" realworld "* ]] && stress $((seed + 2)) "$out/$c-realworld.json" -k ntsmg
	[[ " $phases " == *" cyclictest "* ]] || continue
	cyclictest -m -q -t1 -a $((ncpu - 1)) -p 95 -i 1000 -h 100000 \
		--json="$out/$c-cyclictest.ct.json" > /dev/null 2> "$out/$c-cyclictest.err" &
	ct=$!
	sleep 1
	stress $((seed + 1)) "$out/$c-cyclictest.json"
	kill -INT $ct
	wait $ct
done
echo "bench: done, $errors error(s)"
# A corrupted page or a tool that would not attach fails the boot; the
# report shows which figures are missing.
[ $errors -eq 0 ]
