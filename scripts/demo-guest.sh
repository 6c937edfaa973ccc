#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo-guest.sh OUTDIR (in the guest): push the demo workload through zswap
# once per compressor while zswplat and zsplock watch; OUTDIR gets
# stress-C.json, lat-C.json and lock-C.json for each compressor C.
# Both tools in their default mode: neither hooks a lock function
# (doc/zsplock-hang.md).
set -e
out=${1:?usage: demo-guest.sh OUTDIR}
# The guest gets no environment: find the checkout from this script.
ZSP_TOP=${ZSP_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
ZSP_BUILD=${ZSP_BUILD:-$ZSP_TOP/build}
T=$ZSP_BUILD/tools
bin=$ZSP_BUILD/selftests
. "$ZSP_TOP/selftests/guest/lib.sh" > /dev/null

echo "== $(uname -r) on $(nproc) vCPUs, $(awk '/MemTotal/ {printf "%d MiB", $2/1024}' /proc/meminfo) RAM, zswap enabled=$(cat /sys/module/zswap/parameters/enabled) zpool=$(cat /sys/module/zswap/parameters/zpool)"
echo "== workload: zswap-stress -m 96 -c 32 -p 2 (96 MiB of mixed pages in a 32 MiB memory cgroup, 2 random-order verify passes)"
for c in ${ZSP_DEMO_COMPRESSORS:-lzo lz4 zstd deflate}; do
	echo "$c" > /sys/module/zswap/parameters/compressor
	"$T/zswplat" -j > "$out/lat-$c.json" 2> "$out/lat-$c.err" &
	lat=$!
	"$T/zsplock" -j -t 1 > "$out/lock-$c.json" 2> "$out/lock-$c.err" &
	lock=$!
	# Each tool prints its banner once its programs are attached.
	wait_for "$out/lat-$c.err" "tracing" && wait_for "$out/lock-$c.err" "tracing" ||
		{ echo "tools did not attach:"; cat "$out/lat-$c.err" "$out/lock-$c.err"; exit 1; }
	"$bin/zswap-stress" -m 96 -c 32 -p 2 -j > "$out/stress-$c.json"
	kill -INT $lat $lock
	wait $lat $lock || true
	echo "== $c done: $(cat "$out/stress-$c.json")"
done
