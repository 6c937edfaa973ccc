#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Class compaction keeps freeing pages while readers sleep in their objects.
# The series lets a zswap load sleep while it holds a zspage's read lock,
# and compaction no longer locks the destination zspage, so a sleeping
# reader can stop only the compaction of its own (source) zspage. Here
# zswap loads sleep 2 ms inside every object read (the test-only knob) on
# both vCPUs. Meanwhile a fragmented zram device is read back and compacted
# again and again, and memory compaction and the zsmalloc shrinker run
# over zswap's pool. What is asserted: zram's pool (zsmalloc's counters in
# mm_stat) freed pages by compaction beside the sleeping zswap readers, and
# every zram block and every zswap page verifies. zswap's own pool is only
# printed here: zsmalloc-held-zspage asserts that a held zspage is never
# emptied under its reader.
# On a kernel without CONFIG_COMPACTION (ZSP_VARIANT=nocompact) there is no
# memory compaction, but the shrinker still compacts zswap's pool: before
# the series' migrate_write_lock() fix nothing kept a sleeping reader's
# object in place there (KASAN: use-after-free in the decompressor).
# vm: -m 512M -s 2 -t 600
# also: nocompact
. "$ZSP_TOP/selftests/guest/lib.sh"

knob=/sys/kernel/debug/zswap/debug_load_sleep_us
dev=/dev/zram0
if [ ! -w $knob ]; then
	not_ok "test kernel with the debug_load_sleep_us knob (build it with make kernel)"
	tap_done
fi
if [ ! -b $dev ]; then
	not_ok "zram device $dev present (CONFIG_ZRAM=y)"
	tap_done
fi

# zram: 32 MiB of text, then every other block zeroed (same-filled blocks
# free their object), which leaves the zspages half empty.
echo lzo > /sys/block/zram0/comp_algorithm 2>/dev/null
echo 64M > /sys/block/zram0/disksize || not_ok "set zram disksize"
python3 - /tmp/zdata /tmp/zexpect <<'PY'
import sys
full, expect = open(sys.argv[1], "wb"), open(sys.argv[2], "wb")
for i in range(32 * 256):
    page = ((b"zram block %08d " % i) * 228)[:4096]
    full.write(page)
    expect.write(bytes(4096) if i % 2 == 0 else page)
PY
dd if=/tmp/zdata of=$dev bs=1M oflag=direct status=none || not_ok "write $dev"
for i in $(seq 0 2 $((32 * 256 - 1))); do
	echo "$i"
done | python3 -c '
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY)
z = bytes(4096)
for line in sys.stdin:
    os.pwrite(fd, z, int(line) * 4096)
os.fsync(fd)
os.close(fd)' $dev
read -r -a before < /sys/block/zram0/mm_stat
echo "# zram before: mem_used_total ${before[2]} B, pages_compacted ${before[6]}"

zswap_use zsmalloc lzo
pool_before=$(cat /sys/kernel/debug/zswap/pool_total_size)
echo 2000 > $knob
# Bounded: a run that has not finished in 4 minutes fails.
timeout 240 "$ZSP_BIN/zswap-stress" -m 40 -c 12 -P 4 -p 1000 -w 2 -k tg -D -T 40 -j \
	> /tmp/stress.json 2> /tmp/stress.err &
stress=$!
# zram readers next to the sleeping zswap readers, then zram's compaction.
compact_extra() {
	dd if=$dev of=/dev/null bs=64k count=64 iflag=direct status=none
	echo 1 > /sys/block/zram0/compact
}
rounds=$(compact_while $stress)
wait $stress
rc=$?
echo 0 > $knob
read -r -a after < /sys/block/zram0/mm_stat
pool_after=$(cat /sys/kernel/debug/zswap/pool_total_size)
echo "# zram after: mem_used_total ${after[2]} B, pages_compacted ${after[6]}; $rounds compaction rounds"
echo "# zswap pool: $pool_before B before, $pool_after B after (stress: $(cat /tmp/stress.json))"

[ $rc -eq 0 ] && ok "zswap pages verified while every load slept 2 ms in its object ($rounds compaction rounds)" ||
	not_ok "zswap-stress exit $rc (124: not done in 240 s): $(head -2 /tmp/stress.err)"
freed=$((after[6] - before[6]))
[ $freed -gt 0 ] && [ "${after[2]}" -lt "${before[2]}" ] &&
	ok "zram class compaction freed $freed pages meanwhile (mem_used_total ${before[2]} -> ${after[2]} B)" ||
	not_ok "zram compaction freed $freed pages (mem_used_total ${before[2]} -> ${after[2]} B)"
dd if=$dev of=/tmp/zback bs=1M count=32 iflag=direct status=none
cmp -s /tmp/zexpect /tmp/zback && ok "every zram block reads back as written" ||
	not_ok "zram data differs: $(cmp /tmp/zexpect /tmp/zback | head -1)"
echo 1 > /sys/block/zram0/reset
tap_done
