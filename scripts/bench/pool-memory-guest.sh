#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pool-memory-guest.sh OUTFILE [COMPRESSOR...] (in the guest): what one
# zswap pool costs, per compressor. A holder process keeps pages in a
# zbud/lz4hc pool so that pool stays alive; switching the compressor to C
# then creates a zbud/C pool (per-CPU contexts with their transforms and
# buffers, plus a small zbud pool), and the rise of SUnreclaim + VmallocUsed
# + Percpu in /proc/meminfo is its cost. Switching back releases it. Three
# rounds, median. Also written: the scomp scratch buffers alive at the end
# (/proc/vmallocinfo), which 6.1 allocates for any acomp user of a
# software algorithm and which no single pool is charged for above.
set -u
out=${1:?usage: pool-memory-guest.sh OUTFILE [COMPRESSOR...]}
shift
comps=${*:-lzo lz4 zstd deflate}
p=/sys/module/zswap/parameters

kib() {
	awk '/^(SUnreclaim|VmallocUsed|Percpu):/ {s += $2} END {print s}' /proc/meminfo
}

echo zbud > $p/zpool
echo lz4hc > $p/compressor
cg=/sys/fs/cgroup/zsp-holder
echo +memory > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
mkdir -p $cg
echo 4M > $cg/memory.max
# Compressible pages pushed out of a 4 MiB cgroup: the holder's pool is
# the zbud/lz4hc one and stays busy while it sleeps.
(
	echo $BASHPID > $cg/cgroup.procs
	exec python3 -c '
import time
b = bytearray(16 << 20)
for i in range(0, len(b), 4096):
    b[i:i + 4096] = (b"holder %08d " % i) * 256
open("/tmp/holder.ready", "w").close()
time.sleep(3600)'
) &
holder=$!
# Until it is done filling, its stores would go to the pools under test.
for _ in $(seq 600); do
	[ -e /tmp/holder.ready ] && break
	sleep 0.5
done
[ -e /tmp/holder.ready ] || { echo "pool-memory: holder never got ready" >&2; exit 1; }
sleep 1

{
	printf '{"kernel": "%s", "cpus": %d, "possible_cpus": "%s", "pools": {' \
		"$(uname -r)" "$(nproc)" "$(cat /sys/devices/system/cpu/possible)"
	sep=
	for c in $comps; do
		d=()
		for _ in 1 2 3; do
			sleep 2
			a=$(kib)
			echo "$c" > $p/compressor || break
			b=$(kib)
			d+=($((b - a)))
			echo lz4hc > $p/compressor
		done
		med=$(printf '%s\n' "${d[@]}" | sort -n | sed -n 2p)
		printf '%s"%s": {"kib": %s, "rounds_kib": [%s]}' "$sep" "$c" "${med:-null}" "$(IFS=,; echo "${d[*]}")"
		sep=", "
	done
	scratch=$(awk '/scomp/ {s += $2} END {print s + 0}' /proc/vmallocinfo)
	printf '}, "scomp_scratch_kib": %d}\n' $((scratch / 1024))
} > "$out"
kill $holder 2>/dev/null
wait $holder 2>/dev/null
rmdir $cg 2>/dev/null
echo zsmalloc > $p/zpool
cat "$out"
