#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The tools on Debian's 6.12 (the benchmark's reference kernel, perf
# config), where three things differ from 6.1: preempt_count lives in
# pcpu_hot (a per-CPU __preempt_count no longer exists), zswap's trees are
# xarrays (no struct zswap_tree and its spinlock), and the load function is
# zswap_load() returning bool. Each check below fails on a tool that reads
# the 6.1 layout: a preempt count that reads 0 makes zsplock report 0%
# preempt-off for zsmalloc's map/unmap holds (6.12 still maps objects with
# preemption disabled) and zspsleep report preempt_count 0.
# vm: -m 512M -s 2 -t 900
# kernel: ref
# allow: BUG: scheduling while atomic
. "$ZSP_TOP/selftests/guest/lib.sh"

ko=$ZSP_BUILD/kernel-perf-6.12/zsp-module/zsp_atomic_sleep.ko
case $(uname -r) in
6.12*) ok "booted Debian's 6.12 ($(uname -r))" ;;
*) not_ok "booted a 6.12 kernel (got $(uname -r)): run make test-ref"; tap_done ;;
esac
grep -q ' pcpu_hot$' /proc/kallsyms && ! grep -q ' __preempt_count$' /proc/kallsyms &&
	ok "this kernel keeps preempt_count in pcpu_hot only" ||
	not_ok "kernel layout: pcpu_hot and no __preempt_count expected"
zswap_use zsmalloc lzo || not_ok "zswap on zsmalloc/lzo"
echo Y > /sys/module/zswap/parameters/enabled

stress() { "$ZSP_BIN/zswap-stress" -m 64 -c 24 -P 2 -p 2 -s "$1" -j 2> /tmp/stress.err; }
tool_start zswplat /tmp/lat.json -j || not_ok "zswplat attached"
res=$(stress 3)
tool_stop zswplat
lrc=$?
tool_start zsplock /tmp/lock.json -j -t 1 || not_ok "zsplock attached"
res2=$(stress 5)
tool_stop zsplock
krc=$?
cat /tmp/lat.json.err /tmp/lock.json.err
[ $lrc -eq 0 ] && [ $krc -eq 0 ] && ok "zswplat and zsplock ran and exited 0" ||
	not_ok "tool exit status: zswplat $lrc, zsplock $krc"
pycheck 5 "$res" /tmp/lat.json "$res2" /tmp/lock.json <<'PY'
import json, sys
from tap import tap
res, lat, res2, lock = (json.loads(sys.argv[1]), json.load(open(sys.argv[2])),
                        json.loads(sys.argv[3]), json.load(open(sys.argv[4])))
zswpin, loads = res["zswpin"], lat["loads"]
tap(zswpin > 1000 and abs(loads - zswpin) <= 0.01 * zswpin,
    f"zswplat on zswap_load(): {loads} loads counted, zswpin delta {zswpin} (within 1%)")
tap(lat["hooks"].get("zswap_load") == "fentry", f"zswplat hooks zswap_load by fentry ({lat['hooks']})")
r = lock["locks"]["zspage-read"]
tap(r["hold"]["count"] > 1000 and r["preempt_off_share"] >= 0.99,
    f"zspage read holds (zs_map_object..unmap) {100 * r['preempt_off_share']:.1f}% preempt-off "
    f"over {r['hold']['count']} holds (6.12 maps with preemption off: 100% expected)")
lp = lock["load_preempt_off"]
tap(lp["count"] > 1000 and lp["mean_ns"] > 0,
    f"preempt-off time per load counted: mean {lp['mean_ns']} ns over {lp['count']} loads")
t = lock["locks"]["tree-lock"]
tap(t["traced"].startswith("not traced") and t["wait"]["count"] == 0,
    f"tree lock on xarray trees: '{t['traced']}', no figures made up")
PY

# zspsleep: the negative control, built against this kernel.
if ! insmod "$ko"; then
	not_ok "load the test module $ko (built by make test-ref)"
	tap_done
fi
tool_start zspsleep /tmp/sleep.json -j -d 20 || not_ok "zspsleep attached"
echo 1 > /sys/kernel/debug/zsp_atomic_sleep/trigger
tool_wait zspsleep
rmmod zsp_atomic_sleep
cat /tmp/sleep.json.err
pycheck 1 /tmp/sleep.json <<'PY'
import json, sys
from tap import tap
d = json.load(open(sys.argv[1]))
mine = [s for s in d["stacks"] if s["type"] == "sched-atomic"
        and any("zsp_sleep_in_atomic" in f for f in s["stack"])]
pc = mine[0]["preempt_count"] if mine else None
tap(mine and pc is not None and pc >= 1,
    f"zspsleep: scheduling while atomic in zsp_sleep_in_atomic with preempt_count {pc} (>= 1)")
PY
tap_done
