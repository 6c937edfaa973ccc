#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runtime pool switch: change the compressor and then the zpool while a
# process keeps loading pages it stored into the first pool. Its pages still
# verify (old entries load from the old pool), a new process's stores land
# in the new pool, and the old zsmalloc pool is destroyed once empty (its
# debugfs directory goes away).
# vm: -m 512M -t 600
. "$ZSP_TOP/selftests/guest/lib.sh"

zsdir=/sys/kernel/debug/zsmalloc
# obj_used of the pool's Total row ("Total" and the empty size column shift it to $5).
objs() { awk '$1 == "Total" {print $5}' "$zsdir/$1/classes" 2>/dev/null || echo 0; }

zswap_use zsmalloc lzo || not_ok "select zsmalloc/lzo"
# Stores before the switch; afterwards it only reads (-w 0), so its loads can
# only be served by entries in the first pool.
"$ZSP_BIN/zswap-stress" -m 160 -c 48 -p 40 -w 0 -T 40 -Z 2000 -j > /tmp/a.json 2> /tmp/a.err &
a=$!
sleep 12
old=$(zswap_pools | tail -1)
old_objs=$(objs "$old")
echo "# before switch: pools $(zswap_pools | tr '\n' ' ') ; $old holds $old_objs objects"
zin0=$(awk '/^zswpin / {print $2}' /proc/vmstat)
if zswap_use zsmalloc lz4; then
	new=$(zswap_pools | tail -1)
	[ -n "$new" ] && [ "$new" != "$old" ] && ok "compressor switch created a new pool ($old -> $new)" ||
		not_ok "compressor switch created a new pool (pools: $(zswap_pools | tr '\n' ' '))"
else
	not_ok "switch compressor to lz4"
fi
"$ZSP_BIN/zswap-stress" -m 128 -c 48 -p 1 -s 7 -j > /tmp/b.json 2> /tmp/b.err &
b=$!
new_objs=0
while kill -0 $b 2>/dev/null; do
	n=$(objs "$new")
	[ "${n:-0}" -gt "$new_objs" ] && new_objs=$n
	sleep 1
done
wait $b
brc=$?
[ $brc -eq 0 ] && ok "a new process verifies its pages after the switch" ||
	not_ok "new process after the switch: exit $brc $(head -1 /tmp/b.err)"
[ "$new_objs" -gt 1000 ] && ok "new stores went to the new pool $new (up to $new_objs objects)" ||
	not_ok "new pool $new held only $new_objs objects while a new process stored"
zswap_use zbud lzo && ok "zpool switched to zbud with loads in flight" || not_ok "switch zpool to zbud"
wait $a
arc=$?
zin1=$(awk '/^zswpin / {print $2}' /proc/vmstat)
cat /tmp/a.err
echo "# old-pool reader: $(cat /tmp/a.json)"
[ $arc -eq 0 ] && ok "old entries verify across both switches ($((zin1 - zin0)) loads after the first)" ||
	not_ok "old-pool reader: exit $arc $(head -1 /tmp/a.err)"
[ $((zin1 - zin0)) -gt 1000 ] && ok "loads kept coming from zswap after the switch" ||
	not_ok "only $((zin1 - zin0)) zswap loads after the switch"
# The last user exiting does not free every entry at once: freed swap slots
# wait in the per-CPU swap slot caches, and slots whose page sits locked in
# the swap cache keep their entry until reclaim. Give that 15 s, then drain
# what is left with swapoff (it loads or drops every remaining entry). A pool
# whose reference leaks survives even that.
if zswap_pool_gone "$old" 15; then
	ok "old pool $old was destroyed once its last user exited"
else
	echo "# $old still holds $(objs "$old") objects 15 s after its last user exited; draining with swapoff"
	swapoff /dev/vda && swapon /dev/vda || not_ok "swapoff/swapon /dev/vda to drain the old pool"
	zswap_pool_gone "$old" 30 && ok "old pool $old was destroyed once swapoff drained its last entries" ||
		not_ok "old pool $old still exists after swapoff drained all entries (pools: $(zswap_pools | tr '\n' ' '))"
fi
tap_done
