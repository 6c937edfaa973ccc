#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One transform per compression context, chosen when the pool is created.
# /proc/crypto counts the live transforms of each implementation (refcnt):
# a new pool of a software compressor must add one synchronous transform
# (C-generic) per CPU and none of the scomp one (C-scomp), whose per-CPU
# scratch buffers and spinlock would take preemption away. Then the
# same implementation as acomp, whatever else is registered: with a
# test-only "lzo" loaded that offers only the synchronous interface, above
# the software priority (as nx-842 does for 842 on POWER), a new lzo pool
# must not send a single call to it. Then the
# hardware-style path: with a test-only asynchronous "lzo" driver loaded
# (zsp-async-lzo, completes from a workqueue), a new lzo pool must go
# through acomp, complete its requests asynchronously and verify every page.
# vm: -m 512M -t 900
# base: record
. "$ZSP_TOP/selftests/guest/lib.sh"
ko=${ZSP_KOUT:-$ZSP_BUILD/kernel-debug}/zsp-module/zsp_async_comp.ko
ko_only=${ko%/*}/zsp_comp_only.ko
ncpu=$(nproc)

# refcnt DRIVER: live references to that implementation (0 if unknown).
refcnt() {
	awk -v d="$1" '$1 == "driver" {cur = $3} $1 == "refcnt" && cur == d {print $3; f = 1} END {if (!f) print 0}' /proc/crypto
}

for c in lzo lz4 zstd deflate; do
	# From a pool of another compressor, with the empty pools released
	# (asynchronously), switching to C creates a zsmalloc/C pool.
	zswap_use zsmalloc lz4hc || { not_ok "$c: select zsmalloc/lz4hc"; continue; }
	sleep 1
	g0=$(refcnt "$c-generic") s0=$(refcnt "$c-scomp")
	echo "$c" > /sys/module/zswap/parameters/compressor || { not_ok "$c: select $c"; continue; }
	g1=$(refcnt "$c-generic") s1=$(refcnt "$c-scomp")
	echo "# $c: $c-generic refcnt $g0 -> $g1, $c-scomp refcnt $s0 -> $s1 ($ncpu CPUs)"
	[ $((g1 - g0)) -eq "$ncpu" ] && [ "$s1" -eq "$s0" ] &&
		ok "$c: the new pool holds one synchronous transform per CPU and no scomp transform" ||
		not_ok "$c: new pool added $((g1 - g0)) synchronous and $((s1 - s0)) scomp transforms, want $ncpu and 0"
done
zswap_use zsmalloc lzo

# The comp-only driver, present when the lzo pool is created.
zswap_use zsmalloc lz4hc && sleep 1
if insmod "$ko_only"; then
	only=/sys/module/zsp_comp_only/parameters/calls
	g0=$(refcnt lzo-generic) s0=$(refcnt lzo-scomp)
	zswap_use zsmalloc lzo || not_ok "select zsmalloc/lzo with zsp-comp-only-lzo loaded"
	g1=$(refcnt lzo-generic) s1=$(refcnt lzo-scomp) o1=$(refcnt zsp-comp-only-lzo)
	res=$("$ZSP_BIN/zswap-stress" -m 48 -c 16 -p 2 -Z 1000 -j 2> /tmp/err)
	rc=$?
	cat /tmp/err
	echo "# $res"
	n=$(cat "$only")
	echo "# with zsp-comp-only-lzo (priority 1000) loaded: lzo-generic refcnt $g0 -> $g1, lzo-scomp $s0 -> $s1, zsp-comp-only-lzo $o1; its calls: $n"
	[ $rc -eq 0 ] && [ "$(json_field zswpin <<< "$res")" -gt 0 ] && [ "$n" -eq 0 ] &&
		ok "a higher-priority comp-only lzo is not picked: 0 calls in $(json_field zswpin <<< "$res") loads, all pages verified" ||
		not_ok "comp-only lzo: workload exit $rc, $n calls reached zsp-comp-only-lzo (want 0)"
	zswap_use zsmalloc lz4hc && sleep 1
	rmmod zsp_comp_only || not_ok "unload zsp_comp_only (a pool still holds it?)"
else
	not_ok "load the comp-only test driver $ko_only"
fi
zswap_use zsmalloc lzo

if ! insmod "$ko"; then
	not_ok "load the asynchronous test driver $ko"
	tap_done
fi
grep -q "zsp-async-lzo" /proc/crypto && ok "zsp-async-lzo registered" || not_ok "zsp-async-lzo in /proc/crypto"
m=/sys/module/zsp_async_comp/parameters
# zbud: a pool combination not used above, so it is new and gets the driver.
zswap_use zbud lzo || not_ok "select zbud/lzo"
res=$("$ZSP_BIN/zswap-stress" -m 48 -c 16 -p 2 -Z 1000 -j 2> /tmp/err)
rc=$?
cat /tmp/err
echo "# $res"
comp=$(cat $m/compressed) decomp=$(cat $m/decompressed)
echo "# zsp-async-lzo completed $comp compressions and $decomp decompressions"
[ $rc -eq 0 ] && ok "all pages verified through the asynchronous driver ($(json_field zswpin <<< "$res") loads)" ||
	not_ok "workload through the asynchronous driver: exit $rc"
[ "$comp" -gt 0 ] && [ "$decomp" -gt 0 ] && ok "stores and loads went through acomp to the asynchronous driver" ||
	not_ok "the asynchronous driver saw $comp compressions and $decomp decompressions"
zswap_use zsmalloc lzo
tap_done
