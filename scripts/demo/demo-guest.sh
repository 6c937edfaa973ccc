#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo-guest.sh OUTDIR (in the guest): what a first look needs.
#
# 1. A latency-critical task (zsp-critical, SCHED_FIFO 90, on CPU 0)
#    touching its own swapped-out pages beside swap-in workers and a
#    SCHED_FIFO 50 hog on the same CPU: its swap-in latency is what a
#    preempted holder of the CPU's compression context costs it
#    (OUTDIR/critical.json).
# 2. zswplat's own table, as a user sees it, over one lzo workload
#    (OUTDIR/zswplat.txt).
# 3. zram as the only swap, zswap off (Android's setup): the workload
#    through a zram swap device per zram compressor
#    (OUTDIR/zram-C.json).
# 4. The benchmark's guest run (bench-guest.sh) cut to three phases per
#    compressor: the workload with nothing attached, under zswplat, and
#    under zsplock, both tools in their default mode (neither hooks a
#    kernel lock primitive). OUTDIR gets the benchmark's files:
#    C-plain.json, C-zswplat.json and C-zswplat.tool.json, C-zsplock.json
#    and C-zsplock.tool.json for each compressor C.
# The guest gets no environment: find the checkout from this script.
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${ZSP_BUILD:-$top/build}
out=${1:?usage: demo-guest.sh OUTDIR}
echo "== $(uname -r) on $(nproc) vCPUs, $(awk '/MemTotal/ {printf "%d MiB", $2/1024}' /proc/meminfo) RAM, zswap zpool=$(cat /sys/module/zswap/parameters/zpool)"
export ZSP_TOOLS=$build/tools
. "$top/scripts/vm/guest-tools.sh"
S=$build/bin/zswap-stress
echo lzo > /sys/module/zswap/parameters/compressor

echo "== a SCHED_FIFO task's own swap-ins beside swap-in workers and a SCHED_FIFO hog on CPU 0"
old_cluster=$(cat /proc/sys/vm/page-cluster)
echo 0 > /proc/sys/vm/page-cluster
rm -f /tmp/demo.armed
taskset -c 0 "$S" -m 48 -c 18 -P 1 -p 1000 -w 10 -k tsmc -T 15 -s 3 -K /tmp/demo.armed -j \
	> "$out/critical.workers.json" 2> "$out/critical.workers.err" &
w=$!
for _ in $(seq 600); do [ -s /tmp/demo.armed ] && break; sleep 0.1; done
"$build/bin/zsp-critical" -N 64 -n 500 -I 5000 -C 0 -H 1 -h 50 -r 3000 -s 1000 -j \
	> "$out/critical.json" 2> "$out/critical.err" || echo "zsp-critical failed: $(head -2 "$out/critical.err")"
wait $w || echo "swap-in workers failed: $(head -2 "$out/critical.workers.err")"
echo "$old_cluster" > /proc/sys/vm/page-cluster

echo "== zswplat's own report over one lzo workload"
if tool_start zswplat "$out/zswplat.txt"; then
	"$S" -m 64 -c 24 -P "$(nproc)" -p 1 -w 10 -k tsmc -s 2 > /dev/null 2>&1
	tool_stop zswplat
fi
cat "$out/zswplat.txt"

echo "== zram as the only swap (zswap off), per compressor"
echo N > /sys/module/zswap/parameters/enabled
swapoff -a
for c in ${ZSP_DEMO_ZRAM_COMPRESSORS:-lzo lz4 zstd}; do
	echo 1 > /sys/block/zram0/reset
	if echo "$c" > /sys/block/zram0/comp_algorithm && echo 256M > /sys/block/zram0/disksize &&
		mkswap /dev/zram0 > /dev/null && swapon /dev/zram0; then
		"$S" -m 64 -c 24 -P "$(nproc)" -p 2 -w 10 -k tsmc -s 2 -j > "$out/zram-$c.json" 2> "$out/zram-$c.err" ||
			echo "zram $c: the workload failed: $(head -2 "$out/zram-$c.err")"
		swapoff /dev/zram0
	else
		echo "zram $c: could not set up a zram swap device"
	fi
done
echo 1 > /sys/block/zram0/reset
swapon /dev/vda
echo Y > /sys/module/zswap/parameters/enabled

ZSP_BENCH_PHASES="plain zswplat zsplock" ZSP_BENCH_MIB=${ZSP_DEMO_MIB:-64} ZSP_BENCH_PASSES=2 \
	exec bash "$top/scripts/bench/bench-guest.sh" "$out" ${ZSP_DEMO_COMPRESSORS:-lzo lz4 zstd deflate}
