#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# zram still works on the old zs_map_object() API: a zram device is written
# with mixed data, compacted, and read back byte for byte.
# vm: -m 512M -t 300
. "$ZSP_TOP/selftests/guest/lib.sh"

dev=/dev/zram0
if [ ! -b $dev ]; then
	not_ok "zram device $dev present (CONFIG_ZRAM=y)"
	tap_done
fi
echo lzo > /sys/block/zram0/comp_algorithm 2>/dev/null
echo 48M > /sys/block/zram0/disksize || not_ok "set zram disksize"
# 40 MiB: noise, text, zeroes and half-noise blocks, as the swap test uses.
python3 - > /tmp/data <<'PY'
import os, sys
out = sys.stdout.buffer
for i in range(40 * 256):
    k = i % 4
    if k == 0:
        out.write(os.urandom(4096))
    elif k == 1:
        out.write(((b"zram text %08d " % i) * 216)[:4096])
    elif k == 2:
        out.write(bytes(4096))
    else:
        out.write(os.urandom(2048) + bytes(2048))
PY
dd if=/tmp/data of=$dev bs=1M oflag=direct status=none && ok "wrote 40 MiB to $dev" || not_ok "write $dev"
echo 1 > /sys/block/zram0/compact
echo 3 > /proc/sys/vm/drop_caches
dd if=$dev of=/tmp/back bs=1M count=40 iflag=direct status=none
if cmp -s /tmp/data /tmp/back; then
	ok "read back identical after compaction ($(awk '{print "orig " $1 " compr " $2 " mem " $3}' /sys/block/zram0/mm_stat))"
else
	not_ok "zram data differs after read-back: $(cmp /tmp/data /tmp/back | head -1)"
fi
echo 1 > /sys/block/zram0/reset
tap_done
