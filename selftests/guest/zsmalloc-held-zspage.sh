#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A zspage a reader holds is never emptied under it. With the test-only
# knob debug_load_evacuate every zswap load, while it holds its object
# (zspage read-locked, context mutex held), has a worker try to move every
# object out of that object's zspage, as compaction does with its source
# zspage, and waits for it; over a pool fragmented on purpose
# (zswap-stress -D), so other zspages of the class have room. Every one of
# those attempts must be refused by the zspage lock
# (debug_load_evacuate_refused = _tried, at least 1000 of them) and every
# page must verify.
# On a kernel without CONFIG_COMPACTION (ZSP_VARIANT=nocompact) 6.1 had no
# zspage lock for writers before patch 6 ("mm/zsmalloc: fix
# migrate_write_lock() when !CONFIG_COMPACTION"): the attempts succeed and
# move objects from under their readers (KASAN: use-after-free in the
# decompressor); selftests/kernel/broken/ has that state on purpose.
# vm: -m 512M -s 2 -t 600
# also: nocompact
. "$ZSP_TOP/selftests/guest/lib.sh"

D=/sys/kernel/debug/zswap
if [ ! -w $D/debug_load_evacuate ]; then
	not_ok "test kernel with the debug_load_evacuate knob (build it with make kernel)"
	tap_done
fi
zswap_use zsmalloc lzo || not_ok "select zsmalloc/lzo"

tried0=$(cat $D/debug_load_evacuate_tried)
refused0=$(cat $D/debug_load_evacuate_refused)
echo 1 > $D/debug_load_evacuate
# Bounded: a run that has not finished in 4 minutes fails.
timeout 240 "$ZSP_BIN/zswap-stress" -m 40 -c 12 -P 2 -p 2 -w 2 -k tg -D -j \
	> /tmp/stress.json 2> /tmp/stress.err
rc=$?
echo 0 > $D/debug_load_evacuate
tried=$(($(cat $D/debug_load_evacuate_tried) - tried0))
refused=$(($(cat $D/debug_load_evacuate_refused) - refused0))
echo "# stress: $(cat /tmp/stress.json)"
echo "# $tried evacuation attempts on held zspages, $refused refused, $(cat $D/debug_load_evacuate_freed) pages freed by the others"

[ $rc -eq 0 ] && ok "every page verified while $tried loads had their own zspage evacuated" ||
	not_ok "zswap-stress exit $rc (124: not done in 240 s): $(head -2 /tmp/stress.err)"
[ "$tried" -ge 1000 ] && [ "$refused" -eq "$tried" ] &&
	ok "the zspage lock refused all $tried evacuations of a read-held zspage" ||
	not_ok "$refused of $tried evacuations of a read-held zspage refused (want all, 1000+)"
tap_done
