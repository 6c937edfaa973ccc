#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# zswap's own pool is compacted while loads hold objects in it, and no
# object moves under its reader. With the test-only knob debug_load_compact
# every zswap load, holding its object (zspage read-locked, context mutex
# held), compacts the zsmalloc pool the object lives in, over a pool
# fragmented on purpose (zswap-stress -D). The compactions must free pages
# (debug_load_compacted): the pool was compactable while its objects were
# held. Every page must verify.
# On a kernel without CONFIG_COMPACTION (ZSP_VARIANT=nocompact) 6.1 had no
# zspage lock at all before patch 6 ("mm/zsmalloc: fix migrate_write_lock()
# when !CONFIG_COMPACTION"): the compaction moved the held object and freed
# its zspage under the load (KASAN: use-after-free in the decompressor;
# without KASAN, pages that fail to verify).
# vm: -m 512M -s 2 -t 600
# also: nocompact
. "$ZSP_TOP/selftests/guest/lib.sh"

knob=/sys/kernel/debug/zswap/debug_load_compact
freed=/sys/kernel/debug/zswap/debug_load_compacted
if [ ! -w $knob ]; then
	not_ok "test kernel with the debug_load_compact knob (build it with make kernel)"
	tap_done
fi
zswap_use zsmalloc lzo || not_ok "select zsmalloc/lzo"

zswpin() { awk '$1 == "zswpin" {print $2}' /proc/vmstat; }
f0=$(cat $freed)
z0=$(zswpin)
echo 1 > $knob
# Bounded: a run that has not finished in 4 minutes fails.
timeout 240 "$ZSP_BIN/zswap-stress" -m 40 -c 12 -P 2 -p 2 -w 2 -k tg -D -j \
	> /tmp/stress.json 2> /tmp/stress.err
rc=$?
echo 0 > $knob
loads=$(($(zswpin) - z0))
f1=$(cat $freed)
echo "# stress: $(cat /tmp/stress.json)"
echo "# $loads loads, each compacting its pool while it held its object; $((f1 - f0)) pages freed"

[ $rc -eq 0 ] && ok "every page verified while $loads loads compacted their own pool" ||
	not_ok "zswap-stress exit $rc (124: not done in 240 s): $(head -2 /tmp/stress.err)"
[ $((f1 - f0)) -gt 0 ] && [ "$loads" -gt 0 ] &&
	ok "compaction inside the loads freed $((f1 - f0)) pages of zswap's pool" ||
	not_ok "compaction inside $loads loads freed $((f1 - f0)) pages: nothing was compacted under a reader"
tap_done
