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
# With -Z, zram on 6.12 differs as well: zram_read_page()/zram_write_page()
# instead of 6.1's zram_rw_page(), and its own compression backends
# (zcomp_decompress(), struct zcomp_ops) instead of the crypto API. Over a
# window of zram swap-ins (zswap off): zswplat -Z counts pswpin's rise
# within 1% and files every read under lzo (a decompress phase once per
# read), same-filled or huge, each row with reads; zsplock -Z counts the same reads and sees every decompression begin
# with preemption off (6.12's zram maps the object and takes the per-CPU
# stream's local lock first); zswplat -Z -W counts pswpout's rise.
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

# zram as the only swap, zswap off.
dev=zram0
echo N > /sys/module/zswap/parameters/enabled
swapoff -a
if [ -b /dev/$dev ] && echo 1 > /sys/block/$dev/reset && echo lzo > /sys/block/$dev/comp_algorithm &&
	echo 256M > /sys/block/$dev/disksize && mkswap /dev/$dev > /dev/null && swapon /dev/$dev; then
	zstress() { "$ZSP_BIN/zswap-stress" -m 64 -c 24 -P 2 -p "$1" -k ntsmg -j 2> /tmp/zstress.err; }
	tool_start zswplat@z /tmp/zlat.json -Z -j || not_ok "zswplat -Z attached"
	tool_start zsplock@z /tmp/zlock.json -Z -j -t 0 || not_ok "zsplock -Z attached"
	in0=$(vmstat_field pswpin)
	zstress 2 > /dev/null
	zrc=$?
	din=$(($(vmstat_field pswpin) - in0))
	tool_stop zsplock@z || not_ok "zsplock -Z exit $?"
	tool_stop zswplat@z || not_ok "zswplat -Z exit $?"
	out0=$(vmstat_field pswpout)
	tool_start zswplat@w /tmp/zwrite.json -Z -W -j || not_ok "zswplat -Z -W attached"
	zstress 1 > /dev/null || zrc=$?
	dout=$(($(vmstat_field pswpout) - out0))
	tool_stop zswplat@w || not_ok "zswplat -Z -W exit $?"
	cat /tmp/zlat.json.err /tmp/zlock.json.err /tmp/zwrite.json.err | sed 's/^/# /'
	[ $zrc -eq 0 ] && ok "every page verified through zram swap ($din swap-ins)" ||
		not_ok "zswap-stress on zram exit $zrc: $(head -1 /tmp/zstress.err)"
	pycheck 3 "$din" "$dout" <<'PY'
import json, sys
from tap import tap
din, dout = int(sys.argv[1]), int(sys.argv[2])
lat, lock, wr = (json.load(open(f"/tmp/{n}.json")) for n in ("zlat", "zlock", "zwrite"))
rows = {c["name"]: c["phases"] for c in lat.get("compressors", [])}
lzo = rows.get("lzo", {})
n, dec = lat.get("loads", 0), lzo.get("decompress", {})
kinds = {k: rows.get(k, {}).get("total", {}).get("count", 0) for k in ("lzo", "same-filled", "huge")}
tap(din > 1000 and abs(n - din) <= 0.01 * din and sum(kinds.values()) == n and
    all(kinds.values()) and dec.get("count", 0) == kinds["lzo"],
    f"zswplat -Z ({', '.join(f'{v} {k}' for k, v in lat['hooks'].items() if v != '-')}): {n} zram reads for pswpin's {din} (1%), "
    f"rows {kinds}, lzo's decompress phase once per lzo read ({dec.get('count')})")
lp = lock.get("load_preempt_off", {})
calls, off = lock.get("decompress_calls", 0), lock.get("decompress_calls_preempt_off", -1)
tap(abs(lp.get("count", 0) - din) <= 0.01 * din and calls > 0 and
    abs(calls - dec.get("count", 0)) <= 0.01 * calls and off == calls,
    f"zsplock -Z: {lp.get('count')} zram reads; all {calls} zcomp_decompress() calls "
    f"(zswplat: {dec.get('count')}) began with preemption off ({off})")
wrows = {c["name"]: c["phases"] for c in wr.get("compressors", [])}
wn = wr.get("loads", 0)
tap(dout > 1000 and abs(wn - dout) <= 0.01 * dout and
    wrows.get("lzo", {}).get("compress", {}).get("count", 0) > 0,
    f"zswplat -Z -W: {wn} zram writes for pswpout's {dout} (1%), "
    f"{wrows.get('lzo', {}).get('compress', {}).get('count', 0)} compressed by lzo")
PY
	swapoff /dev/$dev
	echo 1 > /sys/block/$dev/reset
else
	not_ok "zram swap with lzo on /dev/$dev (CONFIG_ZRAM=y)"
fi

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
