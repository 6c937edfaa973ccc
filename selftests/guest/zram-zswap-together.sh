#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# zram and zswap on one kernel, both on zsmalloc and both taking zspage
# locks (one lock class): four processes thrash zswap in front of the disk
# swap while a zram block device is written with mixed data (noise, text,
# zeroes, half-noise: compressed, huge and same-filled entries), compacted
# and read back byte for byte, in a loop, with memory compaction running.
# Passes when every zswap page and every zram byte read back is the one
# written and both paths did work; the runner fails the test on any lockdep
# report between the two users' locks.
# vm: -m 768M -t 600
# base: expect
. "$ZSP_TOP/selftests/guest/lib.sh"

dev=/dev/zram0
sys=/sys/block/zram0
if [ ! -b $dev ]; then
	not_ok "zram device $dev present (CONFIG_ZRAM=y)"
	tap_done
fi
zswap_use zsmalloc lzo || not_ok "select zsmalloc/lzo for zswap"
echo 1 > $sys/reset
echo zstd > $sys/comp_algorithm
echo 48M > $sys/disksize || not_ok "set zram disksize"
# 40 MiB of the four kinds zswap-stress also writes.
mixed_pages 40 1 > /tmp/data

"$ZSP_BIN/zswap-stress" -m 128 -c 48 -P 4 -p 1000000 -w 20 -T 40 -Z 10000 -j > /tmp/stress.json 2> /tmp/stress.err &
stress=$!
rounds=0 bad=0
while kill -0 $stress 2>/dev/null; do
	dd if=/tmp/data of=$dev bs=1M oflag=direct status=none || bad=$((bad + 1))
	echo 1 > $sys/compact
	dd if=$dev of=/tmp/back bs=1M count=40 iflag=direct status=none || bad=$((bad + 1))
	cmp -s /tmp/data /tmp/back || { bad=$((bad + 1)); echo "# round $rounds: $(cmp /tmp/data /tmp/back | head -1)"; }
	[ ! -e /proc/sys/vm/compact_memory ] || echo 1 > /proc/sys/vm/compact_memory
	rounds=$((rounds + 1))
done
wait $stress
rc=$?
res=$(cat /tmp/stress.json)
echo "# zswap: $res"
echo "# zram: mm_stat $(cat $sys/mm_stat)"
read -r _ _ _ _ _ same _ huge _ < $sys/mm_stat
[ $rc -eq 0 ] &&
	ok "zswap: every page verified ($(json_field verified <<< "$res") reads, $(json_field zswpin <<< "$res") zswap loads) beside zram I/O" ||
	not_ok "zswap: zswap-stress exit $rc ($(head -1 /tmp/stress.err))"
[ $rounds -ge 1 ] && [ $bad -eq 0 ] &&
	ok "zram: $rounds rounds of 40 MiB written, compacted and read back identical beside zswap" ||
	not_ok "zram: $bad failures in $rounds write/compact/read-back rounds"
[ "${same:-0}" -gt 0 ] && [ "${huge:-0}" -gt 0 ] &&
	ok "zram: the data made same-filled ($same) and huge ($huge) entries as well as compressed ones" ||
	not_ok "zram: expected same-filled and huge entries (mm_stat same ${same:-?} huge ${huge:-?})"
echo 1 > $sys/reset
tap_done
