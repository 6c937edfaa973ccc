#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# zswplat -Z and zsplock -Z on zram swap with zswap off (Android's setup),
# against the kernel's own counters and its preemptoff tracer, all on one
# window of lzo swap-ins (every tool attached before the workload starts
# and stopped after it ends):
# - zswplat -Z counts pswpin's rise (every swap-in here is a zram read)
#   within 1%, and puts each read in a row: lzo (decompress phase once per
#   read), same-filled (the workload's zero pages) or huge (its noise
#   pages, stored uncompressed: read through the object, never
#   decompressed), and each row has reads; zsplock -Z counts the same
#   reads within 1%;
# - the series: the entry-lock phase times every read's zram_slot_lock()
#   (the sleeping entry lock is a function of its own) and the stream-wait
#   phase is there; the base: no entry-lock phase (a bit spinlock, inlined)
#   and no read ever waits for its stream as a lock (6.1's stream is a
#   local lock: preemption off, nothing to wait on);
# - zsplock's longest preempt-off section inside a read is no longer than
#   the preemptoff tracer's longest over the window (2 us for the clocks);
# - the verdict, zsplock beside zswplat: zsplock sees as many
#   decompressions as zswplat (1%); on the series none begins with
#   preemption off (it runs preemptible), on the base every one does (under
#   the bit spinlock and the stream's local lock). A read's median
#   preempt-off time is printed, not judged: on this debug kernel lockdep
#   and the debug rt_mutex slow path make most of it on the series;
# - zswplat -Z -W counts pswpout's rise within 1% and finds lzo compressing.
# vm: -m 768M -s 2 -t 900 --one-thread
# base: expect
. "$ZSP_TOP/selftests/guest/lib.sh"

dev=zram0
sys=/sys/block/$dev
T=/sys/kernel/tracing
[ -b /dev/$dev ] || { not_ok "zram device /dev/$dev present (CONFIG_ZRAM=y)"; tap_done; }
grep -qw preemptoff $T/available_tracers ||
	{ not_ok "preemptoff tracer (CONFIG_PREEMPT_TRACER)"; tap_done; }
echo N > /sys/module/zswap/parameters/enabled 2>/dev/null
swapoff -a
echo 1 > $sys/reset
echo lzo > $sys/comp_algorithm
echo 256M > $sys/disksize
mkswap /dev/$dev > /dev/null && swapon /dev/$dev || { not_ok "zram swap with lzo"; tap_done; }

# Two workers on two vCPUs, so that reads meet on a CPU's stream.
stress() { "$ZSP_BIN/zswap-stress" -m 64 -c 24 -P 2 -p "$1" -k ntsmg -j 2> /tmp/stress.err; }

echo 0 > $T/options/function-trace
echo preemptoff > $T/current_tracer
echo 0 > $T/tracing_max_latency
echo 1 > $T/tracing_on
tool_start zswplat /tmp/lat.json -Z -j || not_ok "zswplat -Z attached"
tool_start zsplock /tmp/lock.json -Z -j -t 0 || not_ok "zsplock -Z attached"
in0=$(vmstat_field pswpin)
res=$(stress 2)
rc=$?
din=$(($(vmstat_field pswpin) - in0))
tool_stop zsplock || not_ok "zsplock -Z exit $?"
tool_stop zswplat || not_ok "zswplat -Z exit $?"
echo 0 > $T/tracing_on
cat $T/tracing_max_latency > /tmp/max
grep -m1 -A1 "=> started at:" $T/trace | tr -s ' \n' ' ' > /tmp/sites
echo nop > $T/current_tracer
echo "# stress: $res"
[ $rc -eq 0 ] && ok "every page verified through zram swap ($din swap-ins)" ||
	not_ok "zswap-stress exit $rc: $(head -1 /tmp/stress.err)"

out0=$(vmstat_field pswpout)
tool_start zswplat@w /tmp/write.json -Z -W -j || not_ok "zswplat -Z -W attached"
stress 1 > /dev/null || not_ok "zswap-stress (write window) exit $?: $(head -1 /tmp/stress.err)"
dout=$(($(vmstat_field pswpout) - out0))
tool_stop zswplat@w || not_ok "zswplat -Z -W exit $?"
cat /tmp/lat.json.err /tmp/lock.json.err | sed 's/^/# /'
cp /tmp/lat.json /tmp/lock.json /tmp/write.json "${ZSP_OUT:-/tmp}/" 2>/dev/null

pycheck 6 "$din" "$dout" "${ZSP_VARIANT:-series}" <<'PY'
import json, sys
from tap import tap

din, dout, variant = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
lat = json.load(open("/tmp/lat.json"))
lock = json.load(open("/tmp/lock.json"))
wr = json.load(open("/tmp/write.json"))
tmax = float(open("/tmp/max").read())
sites = open("/tmp/sites").read().strip()
rows = {c["name"]: c["phases"] for c in lat.get("compressors", [])}
n = lat.get("loads", 0)
print(f"# zswplat -Z: {n} reads, rows " +
      ", ".join(f"{k} {v['total']['count']}" for k, v in rows.items()) +
      f"; pswpin rose {din}; pswpout rose {dout} in the write window")
lzo = rows.get("lzo", {})
dec = lzo.get("decompress", {})
kinds = {k: rows.get(k, {}).get("total", {}).get("count", 0) for k in ("lzo", "same-filled", "huge")}
tap(din > 1000 and abs(n - din) <= 0.01 * din and sum(kinds.values()) == n and
    all(kinds.values()) and dec.get("count") == kinds["lzo"],
    f"zswplat -Z: {n} zram reads for pswpin's {din} (1%), each in a row with reads of its own "
    f"({kinds}), lzo's decompress phase once per lzo read ({dec.get('count')})")
lp = lock.get("load_preempt_off", {})
tap(abs(lp.get("count", 0) - din) <= 0.01 * din,
    f"zsplock -Z: {lp.get('count')} zram reads for pswpin's {din} (1%)")
ent, sw = lzo.get("entry-lock", {}), lzo.get("stream-wait", {})
if variant == "base":
    tap(not ent.get("count") and sw.get("count", 0) > 0 and sw.get("max_ns", 1) == 0,
        f"base: no entry-lock phase (a bit spinlock), and none of {sw.get('count')} reads "
        f"waited for its stream as a lock")
else:
    tap(ent.get("count") == lzo["total"]["count"] and sw.get("count", 0) > 0,
        f"series: the entry-lock phase timed all {ent.get('count')} lzo reads (p99 "
        f"{ent.get('p99_ns', 0) / 1e3:.1f} us), the stream-wait phase {sw.get('count')} "
        f"(max {sw.get('max_ns', 0) / 1e3:.1f} us)")
lg = lock.get("preempt_off_longest", {}).get("ns", 0) / 1e3
tap(lock.get("preempt_off_method", "").startswith("preempt_disable/preempt_enable tracepoints")
    and 0 < lg <= tmax + 2,
    f"zsplock's longest in-read preempt-off section {lg:.1f} us <= the preemptoff tracer's "
    f"longest {tmax:.0f} us ({sites})")
calls, off = lock.get("decompress_calls", 0), lock.get("decompress_calls_preempt_off", -1)
poff50, dec50 = lp.get("p50_ns", 0), dec.get("p50_ns", 0)
print(f"# a read's median preempt-off {poff50 / 1e3:.1f} us (lockdep's own sections and the "
      f"debug lock slow paths included), median decompression {dec50 / 1e3:.1f} us; decompressions with preemption "
      f"off: {off} of {calls}, {lock.get('decompress_preempt_off_ns', 0) / 1e6:.1f} of "
      f"{lock.get('decompress_ns', 0) / 1e6:.1f} ms")
same = calls > 0 and abs(calls - dec.get("count", 0)) <= 0.01 * calls
if variant == "base":
    tap(same and off == calls,
        f"base: all {calls} decompressions (zswplat: {dec.get('count')}) began with preemption "
        f"off ({off}): the bit spinlock and the stream's local lock hold it off")
else:
    tap(same and off == 0,
        f"series: none of {calls} decompressions (zswplat: {dec.get('count')}) began with "
        f"preemption off ({off}): decompression runs preemptible")
wrows = {c["name"]: c["phases"] for c in wr.get("compressors", [])}
wn = wr.get("loads", 0)
tap(dout > 1000 and abs(wn - dout) <= 0.01 * dout and
    wrows.get("lzo", {}).get("compress", {}).get("count", 0) > 0,
    f"zswplat -Z -W: {wn} zram writes for pswpout's {dout} (1%), "
    f"{wrows.get('lzo', {}).get('compress', {}).get('count', 0)} compressed by lzo")
PY
swapoff /dev/$dev
echo 1 > $sys/reset
tap_done
