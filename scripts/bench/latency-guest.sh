#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# latency-guest.sh OUTDIR COMPRESSOR...: one boot of make bench-latency,
# inside the guest (latency.sh). One vCPU under icount: the swap-in workers,
# the measuring thread and the hogs share it, so whatever keeps the CPU from
# the measuring thread is on its path, and guest time is instructions.
#
# The judges are the kernel's and Debian's, not the project's tools:
#
#   floor          cyclictest, and the critical task alone, on an idle guest
#   C-cyclictest   cyclictest (SCHED_FIFO 95) while the workers swap in
#   C-timerlat     rtla timerlat hist (SCHED_FIFO 95), same workers
#   C-preemptoff   the preemptoff tracer over the same workers: the longest
#                  preempt-off section and where it began and ended (not on
#                  a PREEMPT_RT kernel: Debian's has no preemptoff tracer,
#                  and there spinlocks no longer disable preemption)
#   C-critical     zsp-critical (SCHED_FIFO 90) touching its own swapped
#                  pages beside the workers, no hogs
#   C-inversion    the same with a SCHED_FIFO 50 hog on the CPU (3 ms spin,
#                  1 ms sleep): a preempted worker holding a per-CPU
#                  compression context waits for the hog
#   C-zsplock      the project's zsplock, its exact preempt-off time per
#                  load (the preempt tracepoints of trace.config), with the
#                  preemptoff tracer on from before it attaches to after it
#                  detaches: the judge of its longest section (not on
#                  PREEMPT_RT, which has neither)
#   C-compaction   the workers again, while the whole machine is compacted
#                  (compact_memory, which migrates zsmalloc's pages too)
#                  and, on zram, the pool (zram's sysfs compact) every half
#                  second: /proc/vmstat's compaction and migration counters
#                  and zram's pages_compacted before and after. With the
#                  series a reader may be preempted inside its object, and
#                  migration and zs_compact() then pass its zspage by: what
#                  that costs them is this phase's figure
#
# ZSP_LATENCY_PHASES (latency.sh passes PHASES=) runs only the phases named
# (floor cyclictest timerlat preemptoff critical inversion zsplock
# compaction).
#
# The workers are zswap-stress at SCHED_OTHER, I/O-free page kinds (every
# swap-in a zswap load). A compressor named zram-ALG runs every phase with
# swap on a zram device using ALG and zswap off instead (every swap-in a
# zram read; zsplock with -Z); those run after the zswap ones, since the
# guest's swap disk is off from then on. Nothing here judges the figures:
# latency_report.py does, from the files.
set -u

out=${1:?usage: latency-guest.sh OUTDIR COMPRESSOR...}
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${ZSP_BUILD:-$top/build}
S=$build/bin/zswap-stress
CRIT=$build/bin/zsp-critical
ZSPLOCK=$build/tools/zsplock
phases=" ${ZSP_LATENCY_PHASES:-floor cyclictest timerlat preemptoff critical inversion zsplock compaction} "
want() { [[ $phases == *" $1 "* ]]; }
T=/sys/kernel/tracing
errors=0
fail() {
	echo "latency: $*" >&2
	errors=$((errors + 1))
}

# Workers: 48 MiB through an 18 MiB cgroup, verify passes for WINDOW+6
# guest seconds (their fill takes about 2), then RUN... once they have
# filled their memory: every measurement window lies inside their swap-in
# passes, away from the fill's stores and the teardown's munmap (which
# frees every swap entry under the page-table lock, 1.4-1.5 ms with
# preemption off on both kernels in the first run: not the swap-in path).
WINDOW=4
work_s=$((WINDOW + 6))
beside_workers() {
	local log=$1 pid n=0 rc

	shift
	rm -f /tmp/latency.armed
	"$S" -m 48 -c 18 -P 1 -p 1000 -w 10 -k tsmc -T $work_s -s 3 -K /tmp/latency.armed -j \
		> "$log" 2> "$log.err" &
	pid=$!
	while [ ! -s /tmp/latency.armed ] && [ $n -lt 600 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	"$@"
	rc=$?
	wait $pid || fail "zswap-stress failed ($log): $(head -2 "$log.err")"
	return $rc
}

# The preemptoff tracer over WINDOW seconds. Without function tracing it
# records where the longest section began and ended, and the stack there.
preemptoff_window() {
	echo 0 > $T/options/function-trace
	echo preemptoff > $T/current_tracer
	echo 0 > $T/tracing_max_latency
	echo 1 > $T/tracing_on
	sleep $WINDOW
	echo 0 > $T/tracing_on
	cat $T/tracing_max_latency > "$1.max"
	cat $T/trace > "$1.trace"
	echo nop > $T/current_tracer
}

# zsplock -d WINDOW inside the tracer's window. Its attach takes guest
# time too: the workers run longer for it (work_s).
zsplock_window() {
	echo 0 > $T/options/function-trace
	echo preemptoff > $T/current_tracer
	echo 0 > $T/tracing_max_latency
	echo 1 > $T/tracing_on
	"$ZSPLOCK" -j -t 0 -d $WINDOW $zsplock_args > "$1.json" 2> "$1.err" ||
		fail "zsplock failed: $(head -2 "$1.err")"
	echo 0 > $T/tracing_on
	cat $T/tracing_max_latency > "$1.max"
	cat $T/trace > "$1.trace"
	echo nop > $T/current_tracer
}

# compaction_window OUT: compaction every half second for COMPACT_S guest
# seconds beside the workers; OUT.json: the rounds and the counters' rise.
COMPACT_S=8
compaction_counters() {
	grep -E '^(compact_(success|fail|migrate_scanned|isolated)|pgmigrate_(success|fail)) ' /proc/vmstat
	[ -z "$zram" ] || echo "zram_pages_compacted $(awk '{print $7}' /sys/block/zram0/mm_stat)"
}
compaction_window() {
	local end rounds=0

	compaction_counters > "$1.before"
	end=$(($(date +%s%N) + COMPACT_S * 1000000000))
	while [ "$(date +%s%N)" -lt $end ]; do
		echo 1 > /proc/sys/vm/compact_memory
		[ -z "$zram" ] || echo 1 > /sys/block/zram0/compact
		rounds=$((rounds + 1))
		sleep 0.5
	done
	compaction_counters > "$1.after"
	awk -v rounds=$rounds -v s=$COMPACT_S 'NR == FNR { b[$1] = $2; next }
		{ printf "%s\"%s\": %d", sep, $1, $2 - b[$1]; sep = ", " }
		BEGIN { printf "{\"rounds\": %d, \"seconds\": %d, \"rise\": {", rounds, s }
		END { print "}}" }' "$1.before" "$1.after" > "$1.json"
}

# The critical task's run: 1500 touches, one per 2 ms, of 128 pages.
# shellcheck disable=SC2120 # called through beside_workers with its arguments
critical() {
	"$CRIT" -N 128 -n 1500 -I 2000 -C 0 -j "$@"
}

# One fault, one zswap load: without readahead every touch of the critical
# task is one swap-in it can time (Android sets page-cluster 0 for zram too).
echo 0 > /proc/sys/vm/page-cluster
[ "$(nproc)" = 1 ] || echo "latency: note: $(nproc) vCPUs; the method assumes one" >&2
[ -w $T/current_tracer ] || mount -t tracefs tracefs $T 2>/dev/null
tracers="preemptoff timerlat"
rt=
if uname -v | grep -qw PREEMPT_RT; then
	rt=1
	tracers=timerlat
fi
for t in $tracers; do
	grep -qw $t $T/available_tracers 2>/dev/null ||
		fail "this kernel has no $t tracer (build it with kernel-config/trace.config)"
done
{
	printf '{"kernel": "%s", "vcpus": %d, "mem_kib": %d, "compressors": "%s", ' \
		"$(uname -r)" "$(nproc)" "$(awk '/MemTotal/ {print $2}' /proc/meminfo)" "$*"
	printf '"preempt_rt": %s, "zpool": "%s", "rtla": "%s", "cyclictest": "%s"}\n' \
		"${rt:-0}" "$(cat /sys/module/zswap/parameters/zpool)" "$(rtla --version 2>&1 | head -1)" \
		"$(cyclictest --help 2>&1 | sed -n 's/.*V \([0-9.]*\).*/\1/p' | head -1)"
} > "$out/meta.json"

# The idle floor, once per boot.
! want floor ||
	cyclictest -m -q -t1 -a 0 -p 95 -i 1000 -l 5000 -h 20000 --json="$out/floor.ct.json" \
		> /dev/null 2> "$out/floor.ct.err" || fail "cyclictest failed: $(head -2 "$out/floor.ct.err")"

# zram_swap ALG: swap on a fresh 256 MiB zram device using ALG, nothing
# else: the swap disk off, zswap off.
zram_swap() {
	local z=/sys/block/zram0

	swapoff -a
	echo N > /sys/module/zswap/parameters/enabled
	echo 1 > $z/reset &&
		echo "$1" > $z/comp_algorithm &&
		echo 256M > $z/disksize &&
		mkswap /dev/zram0 > /dev/null &&
		swapon /dev/zram0
}

zswap_comps="" zram_comps=""
for c in "$@"; do
	case $c in
	zram-*) zram_comps+=" $c" ;;
	*) zswap_comps+=" $c" ;;
	esac
done
zsplock_args='' zram=''
# shellcheck disable=SC2086 # word lists
for c in $zswap_comps $zram_comps; do
	if [[ $c == zram-* ]]; then
		zsplock_args=-Z zram=1
		zram_swap "${c#zram-}" || {
			fail "zram swap with ${c#zram-} not available"
			continue
		}
	else
		echo "$c" > /sys/module/zswap/parameters/compressor || {
			fail "compressor $c not available"
			continue
		}
	fi
	echo "latency: $c on $(uname -r)"
	if want critical; then
		critical > "$out/$c-alone.json" 2> "$out/$c-alone.err" ||
			fail "zsp-critical alone failed: $(head -2 "$out/$c-alone.err")"
	fi
	if want cyclictest; then
		beside_workers "$out/$c-cyclictest.json" \
			cyclictest -m -q -t1 -a 0 -p 95 -i 1000 -h 20000 -D $WINDOW --json="$out/$c-cyclictest.ct.json" \
			> /dev/null 2> "$out/$c-cyclictest.ct.err" ||
			fail "cyclictest failed: $(head -2 "$out/$c-cyclictest.ct.err")"
	fi
	if want timerlat; then
		beside_workers "$out/$c-timerlat.json" \
			rtla timerlat hist -c 0 -P f:95 -d $WINDOW -E 20000 -b 1 \
			> "$out/$c-timerlat.txt" 2> "$out/$c-timerlat.err" ||
			fail "rtla timerlat failed: $(head -2 "$out/$c-timerlat.err")"
	fi
	! want preemptoff || [ -n "$rt" ] ||
		beside_workers "$out/$c-preemptoff.json" preemptoff_window "$out/$c-preemptoff"

	# The workers fill their memory first; the critical task runs while
	# they swap in.
	if want critical; then
		beside_workers "$out/$c-critical.wk.json" critical -H 0 \
			> "$out/$c-critical.json" 2> "$out/$c-critical.err" ||
			fail "zsp-critical failed: $(head -2 "$out/$c-critical.err")"
	fi
	if want inversion; then
		beside_workers "$out/$c-inversion.wk.json" critical -H 1 -h 50 -r 3000 -s 1000 \
			> "$out/$c-inversion.json" 2> "$out/$c-inversion.err" ||
			fail "zsp-critical with a hog failed: $(head -2 "$out/$c-inversion.err")"
	fi
	if want zsplock && [ -z "$rt" ]; then
		work_s=$((WINDOW + 60))
		beside_workers "$out/$c-zsplock.wk.json" zsplock_window "$out/$c-zsplock"
		work_s=$((WINDOW + 6))
	fi
	if want compaction; then
		work_s=$((COMPACT_S + 6))
		beside_workers "$out/$c-compaction.wk.json" compaction_window "$out/$c-compaction"
		work_s=$((WINDOW + 6))
	fi
done
echo "latency: done, $errors error(s)"
[ $errors -eq 0 ]
