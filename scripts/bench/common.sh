# SPDX-License-Identifier: GPL-2.0
# What make bench, bench-latency and bench-contention share; sourced after
# scripts/lib.sh, never run.
# shellcheck shell=bash

# check_bench_args RUNS COMPRESSORS [zram]: the benchmark scripts' shared
# checks of RUNS= and COMPRESSORS=, with the same messages everywhere. With
# "zram", a compressor may also be zram-ALG: swap on a zram device using
# ALG, zswap off (make bench-latency only).
check_bench_args() {
	local c alg
	[[ $1 =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number, not '$1'"
	for c in $2; do
		alg=$c
		if [[ $c == zram-* ]]; then
			[ "${3:-}" = zram ] || die "'$c' in COMPRESSORS: zram phases are make bench-latency's only"
			alg=${c#zram-}
		fi
		case $alg in
		lzo | lzo-rle | lz4 | lz4hc | zstd | deflate | 842) ;;
		*) die "unknown compressor '$c' in COMPRESSORS (try: lzo lz4 lz4hc zstd deflate${3:+, zram-lzo})" ;;
		esac
	done
}

# bench_snapshot DIR SCRIPT FILE... [-- ARG...]: run SCRIPT
# (scripts/bench/SCRIPT, the caller) with ARGs again from a snapshot in
# DIR/snapshot of scripts/ and of FILEs (paths under build/). A run takes an hour or more: editing or rebuilding
# the checkout meanwhile then cannot change what a later boot runs (bash
# reads a script as it goes), and the run keeps the exact programs its
# figures came from. Does not return.
bench_snapshot() {
	local dir=$1 script=$2 snap=$1/snapshot f

	shift 2
	mkdir -p "$snap/build"
	cp -a "$ZSP_TOP/scripts" "$snap/"
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		f=$1
		shift
		mkdir -p "$snap/build/$(dirname "$f")"
		cp "$ZSP_BUILD/$f" "$snap/build/$f"
	done
	[ $# -eq 0 ] || shift
	ZSP_BENCH_DIR=$dir ZSP_TOP=$snap ZSP_BUILD=$ZSP_BUILD exec "$snap/scripts/bench/$script" "$@"
}

# Boots of this run that failed, for bench_finish.
bench_failed=0

# bench_boot RUN RUN-VM-ARGS...: one boot of a benchmark run, its output in
# RUN. A boot that fails is marked (RUN/failed: the report leaves its
# figures out and names it) and counted; the run goes on.
bench_boot() {
	local run=$1

	shift
	if ! "$ZSP_TOP/scripts/vm/run-vm.sh" -o "$run" "$@"; then
		touch "$run/failed"
		note "boot ${run##*/} failed (console: $run/console.log); the report marks it"
		bench_failed=$((bench_failed + 1))
	fi
}

# bench_finish REPORT DIR BOOTS: write the run's report with zspbench's
# REPORT module, then fail if any of the BOOTS boots failed.
bench_finish() {
	zsp_py "$1" "$2"
	note "report: $2/report.md"
	[ "$bench_failed" -eq 0 ] || die "$bench_failed of $3 boots failed; their figures are missing from the report"
}
