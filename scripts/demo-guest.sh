#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo-guest.sh OUTDIR (in the guest): the benchmark's guest run
# (bench-guest.sh) cut to what a first look needs: per compressor, the
# workload with nothing attached, under zswplat, and under zsplock, both
# tools in their default mode (neither hooks a kernel lock primitive). OUTDIR gets
# the benchmark's files: C-plain.json, C-zswplat.json and C-zswplat.tool.json,
# C-zsplock.json and C-zsplock.tool.json for each compressor C.
# The guest gets no environment: find the checkout from this script.
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: demo-guest.sh OUTDIR}
echo "== $(uname -r) on $(nproc) vCPUs, $(awk '/MemTotal/ {printf "%d MiB", $2/1024}' /proc/meminfo) RAM, zswap zpool=$(cat /sys/module/zswap/parameters/zpool)"
ZSP_BENCH_PHASES="plain zswplat zsplock" ZSP_BENCH_MIB=${ZSP_DEMO_MIB:-64} ZSP_BENCH_PASSES=2 \
	exec bash "$top/scripts/bench-guest.sh" "$out" ${ZSP_DEMO_COMPRESSORS:-lzo lz4 zstd deflate}
