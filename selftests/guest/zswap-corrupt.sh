#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A corrupt object costs one page, not the kernel and not silent stale data.
# For each compressor a victim process fills memory that zswap must hold,
# then arms the test-only knob debug_corrupt_tgid with its own pid (its next
# load finds its compressed bytes zeroed in place) and reads its memory
# back. The victim must die of SIGBUS; zswap's decompress_fail must count
# exactly that one failure; a bystander workload running at the same time
# must verify every page; and the console must show the rate-limited alert,
# with no BUG (the run's console scan fails the test on any). The base
# kernel has neither the knob nor the counter; its run records that.
# vm: -m 512M -t 900
# base: record
. "$ZSP_TOP/selftests/guest/lib.sh"
dbg=/sys/kernel/debug/zswap
knob=$dbg/debug_corrupt_tgid

if [ ! -w "$knob" ] || [ ! -r "$dbg/decompress_fail" ]; then
	not_ok "test knob $knob and counter $dbg/decompress_fail present"
	tap_done
fi

cg=/sys/fs/cgroup/zsp-victim
echo +memory > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
mkdir -p "$cg"
echo 16M > "$cg/memory.max"

# The victim: 48 MiB of compressible, non-uniform pages (same-filled pages
# never reach the decompressor) in a 16 MiB cgroup, then arm the knob for
# itself and touch every page.
victim() {
	(
		echo $BASHPID > "$cg/cgroup.procs"
		exec python3 - "$knob" <<'PY'
import os, sys
n = 48 << 20
buf = bytearray(n)
for i in range(0, n, 4096):
    page = (b"zswap corrupt test %08d " % (i // 4096)) * 128
    buf[i:i + 4096] = page[:4096]
open(sys.argv[1], "w").write(str(os.getpid()))
s = 0
for i in range(0, n, 4096):
    s += buf[i + 7]
print("victim survived, sum", s)
PY
	)
}

for c in lzo lz4 zstd deflate; do
	if ! zswap_use zsmalloc "$c"; then
		not_ok "$c: select zsmalloc/$c"
		continue
	fi
	before=$(cat "$dbg/decompress_fail")
	"$ZSP_BIN/zswap-stress" -m 32 -c 12 -p 2 -Z 500 -j > /tmp/bystander.json 2> /tmp/bystander.err &
	by=$!
	victim > /tmp/victim.out 2>&1
	vrc=$?
	wait $by
	brc=$?
	after=$(cat "$dbg/decompress_fail")
	echo 0 > "$knob"
	sed 's/^/# victim: /' /tmp/victim.out | tail -3
	[ $vrc -eq $((128 + 7)) ] && ok "$c: the victim died of SIGBUS" ||
		not_ok "$c: the victim died of SIGBUS (exit $vrc, want 135)"
	[ $((after - before)) -eq 1 ] && ok "$c: decompress_fail counted exactly one failure" ||
		not_ok "$c: decompress_fail moved by $((after - before)), want 1"
	[ $brc -eq 0 ] && ok "$c: the bystander verified every page ($(json_field verified < /tmp/bystander.json) reads, $(json_field bad < /tmp/bystander.json) bad)" ||
		{ not_ok "$c: bystander workload exit $brc"; cat /tmp/bystander.err; }
done
dmesg | grep -c "decompression of swap entry .* failed" > /tmp/alerts
n=$(cat /tmp/alerts)
[ "$n" -ge 1 ] && ok "the kernel named the lost swap entries ($n alert line(s), rate-limited): $(dmesg | grep -m1 'decompression of swap entry' | sed 's/^\[[^]]*\] //')" ||
	not_ok "no 'decompression of swap entry' alert in the kernel log"
rmdir "$cg" 2>/dev/null
tap_done
