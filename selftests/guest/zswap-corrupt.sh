#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A corrupt object costs one page, not the kernel and not silent stale data.
# For each compressor a victim process fills memory that zswap must hold,
# then arms the test-only knob debug_corrupt_tgid with its own pid
# (zswap-stress -K: its next load finds its compressed bytes zeroed in
# place) and reads its memory back. The victim must die of SIGBUS; zswap's
# decompress_fail must count exactly that one failure; a bystander workload
# running at the same time must verify every page; and the console must
# show the rate-limited alert, with no BUG (the run's console scan fails
# the test on any). The base kernel has neither the knob nor the counter;
# its run records that.
# vm: -m 512M -t 900
# base: record
. "$ZSP_TOP/selftests/guest/lib.sh"
dbg=/sys/kernel/debug/zswap
knob=$dbg/debug_corrupt_tgid

if [ ! -w "$knob" ] || [ ! -r "$dbg/decompress_fail" ]; then
	not_ok "test knob $knob and counter $dbg/decompress_fail present"
	tap_done
fi

# Swap readahead off: the knob corrupts the victim's next load, which must
# be the page it faults on. With readahead that load can be a neighbouring
# slot of another process, or a slot freed but not yet invalidated (swap
# slot caches hold freed slots a while), which nobody ever touches: one
# run counted the failure and the victim never met it.
echo 0 > /proc/sys/vm/page-cluster || not_ok "set vm.page-cluster to 0"
for c in lzo lz4 zstd deflate; do
	if ! zswap_use zsmalloc "$c"; then
		not_ok "$c: select zsmalloc/$c"
		continue
	fi
	fails0=$(cat "$dbg/decompress_fail")
	"$ZSP_BIN/zswap-stress" -m 32 -c 12 -p 2 -Z 500 -j > /tmp/bystander.json 2> /tmp/bystander.err &
	by=$!
	# The victim: compressible pages (same-filled ones never reach the
	# decompressor) pushed out of a 12 MiB cgroup (zswap charges its pool to it too); -K arms the knob with the
	# worker's pid once they are out, then the worker reads them back.
	"$ZSP_BIN/zswap-stress" -m 32 -c 12 -p 1 -k tmc -K "$knob" > /tmp/victim.out 2>&1
	vrc=$?
	wait $by
	brc=$?
	after=$(cat "$dbg/decompress_fail")
	echo 0 > "$knob"
	sed 's/^/# victim: /' /tmp/victim.out | tail -3
	[ $vrc -eq 1 ] && grep -q "worker killed by signal 7" /tmp/victim.out &&
		ok "$c: the victim died of SIGBUS" ||
		not_ok "$c: the victim died of SIGBUS (exit $vrc, want 1 and 'worker killed by signal 7')"
	[ $((after - fails0)) -eq 1 ] && ok "$c: decompress_fail counted exactly one failure" ||
		not_ok "$c: decompress_fail moved by $((after - fails0)), want 1"
	[ $brc -eq 0 ] && ok "$c: the bystander verified every page ($(json_field verified < /tmp/bystander.json) reads, $(json_field bad < /tmp/bystander.json) bad)" ||
		{ not_ok "$c: bystander workload exit $brc"; cat /tmp/bystander.err; }
done
dmesg | grep -c "decompression of swap entry .* failed" > /tmp/alerts
n=$(cat /tmp/alerts)
[ "$n" -ge 1 ] && ok "the kernel named the lost swap entries ($n alert line(s), rate-limited): $(dmesg | grep -m1 'decompression of swap entry' | sed 's/^\[[^]]*\] //')" ||
	not_ok "no 'decompression of swap entry' alert in the kernel log"
tap_done
