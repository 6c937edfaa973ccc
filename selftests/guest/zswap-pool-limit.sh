#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A pool that hit zswap's size limit is still destroyed once it is empty.
# Each store that finds the pool full takes a reference on the oldest pool
# and queues that pool's shrink work; the work drops one reference when it
# runs. Stores that come while the work is still queued must drop theirs at
# once (upstream 969d63e1af3b, the series' fix for 6.1); 6.1.y leaks one
# reference each, the pool never goes away, and its shrink work keeps
# being picked as "the oldest pool" by every later pool, which is how
# guest/zswap-writeback's z3fold step came to write back nothing.
#
# Here zswap's limit is 0% on zsmalloc (its 6.1 zpool cannot shrink, so
# every shrink fails and every store after the first few hits the limit),
# four processes store in parallel, then zswap moves to zbud and swapoff
# empties the old pool. The run must have merged shrink requests (fewer
# shrink runs than limit hits: the case the reference count gets wrong),
# and the old pool's debugfs directory must go away. On the unpatched
# base (ZSP_VARIANT=base) the pool must still be there 30 s later: the
# test fails the day 6.1.y stops leaking.
# vm: -m 512M -t 600
# base: expect
. "$ZSP_TOP/selftests/guest/lib.sh"

P=/sys/module/zswap/parameters
D=/sys/kernel/debug/zswap
zsdir=/sys/kernel/debug/zsmalloc

# A fresh guest has stored nothing, so an older pool has no entries and
# goes when zswap moves on; swapoff/swapon makes sure, so that $old is the
# oldest pool and takes every shrink request counted below.
swapoff /dev/vda && swapon /dev/vda || not_ok "swapoff/swapon /dev/vda before the run"
zswap_use zsmalloc lzo || not_ok "select zsmalloc/lzo"
old=$(zswap_pools | tail -1)
[ -n "$old" ] || not_ok "no zswap pool under $zsdir after selecting zsmalloc"
hit0=$(cat $D/pool_limit_hit)
fail0=$(cat $D/reject_reclaim_fail)
echo 0 > $P/max_pool_percent || not_ok "set max_pool_percent to 0"
pids=()
for i in 1 2 3 4; do
	"$ZSP_BIN/zswap-stress" -m 48 -c 32 -p 2 -w 10 -k ts -s $i -j > /tmp/s$i.json 2> /tmp/s$i.err &
	pids+=($!)
done
rcs=0
for p in "${pids[@]}"; do
	wait "$p" || rcs=$((rcs + 1))
done
echo 20 > $P/max_pool_percent
[ $rcs -eq 0 ] && ok "four processes verified every page with zswap held at 0%" ||
	not_ok "$rcs of 4 processes failed: $(cat /tmp/s*.err | head -3)"
# Let a queued shrink run before counting: the workqueue is unbound and the
# stores are over, so one second is plenty; wait up to ten.
hits=$(($(cat $D/pool_limit_hit) - hit0))
runs=0
for _ in $(seq 10); do
	sleep 1
	r=$(($(cat $D/reject_reclaim_fail) - fail0))
	[ "$r" = "$runs" ] && break
	runs=$r
done
echo "# pool limit hit $hits times, shrink work ran $runs times (every zsmalloc shrink fails on 6.1)"
[ "$hits" -ge 1000 ] && ok "stores hit the pool limit $hits times (want 1000+)" ||
	not_ok "stores hit the pool limit only $hits times (want 1000+)"
[ "$runs" -ge 1 ] && [ "$runs" -lt "$hits" ] &&
	ok "shrink requests merged while one was queued: $runs runs for $hits hits" ||
	not_ok "no merged shrink request ($runs runs for $hits hits): the run cannot show a leak"

zswap_use zbud lzo || not_ok "switch zpool to zbud"
swapoff /dev/vda && swapon /dev/vda || not_ok "swapoff/swapon /dev/vda to empty $old"
zswap_pool_gone "$old" 30
gone=$?
if [ "${ZSP_VARIANT:-series}" = base ]; then
	if [ $gone -eq 0 ]; then
		not_ok "base: old pool $old destroyed after $hits limit hits (6.1.y was expected to leak it)"
	else
		ok "base: old pool $old outlives swapoff by 30 s after $hits limit hits (6.1.y leaks a reference per merged request)"
	fi
elif [ $gone -eq 0 ]; then
	ok "old pool $old destroyed once empty, after $hits limit hits"
else
	not_ok "old pool $old still exists 30 s after swapoff emptied it (pools: $(zswap_pools | tr '\n' ' ')): a shrink request leaked its reference"
fi
tap_done
