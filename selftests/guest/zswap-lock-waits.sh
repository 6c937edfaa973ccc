#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# zsplock's ctx-mutex wait counts on the make test kernel, judged by the
# kernel's own events counted by stack in histogram triggers (tracefs; the
# project's code plays no part in those counts). Readers sleep 2 ms
# holding their compression context (test knob), and four workers share
# the two CPUs' contexts, so they contend. The context lock is an rt_mutex
# on the series (a mutex on the base and 6.12); the judges count both:
# - waits: zsplock's ctx-mutex waits equal, within 2%, the lock:contention_end
#   events (one per slow-path wait) with __mutex_lock or rt_mutex_slowlock
#   and a zswap load or store in the stack, at least 100; the context lock
#   is the only sleeping lock those take (on this lockdep kernel every
#   mutex_lock() takes the slow path);
# - waits that slept: more than none, and no more than the sleeps of a
#   waiter under a zswap load or store: lock:contention_begin with
#   LCB_F_MUTEX alone (fired before every sleep of a mutex waiter), plus
#   sched_switch away from a task in TASK_UNINTERRUPTIBLE inside
#   rt_mutex_slowlock (every sleep of an rt_mutex waiter); once or more per
#   wait that slept.
# The tree lock is not judged: the kernel saw no spinning wait taken
# directly by a zswap load or store in any run of this workload, so a
# comparison could not fail; both counts are printed.
# zsmalloc-lock-stat checks the same mutex rows against lock_stat on a
# CONFIG_LOCK_STAT kernel (make test-lockstat).
# vm: -m 512M -s 2 -t 600
. "$ZSP_TOP/selftests/guest/lib.sh"

T=/sys/kernel/tracing
ev=$T/events/lock/contention_end
evb=$T/events/lock/contention_begin
evs=$T/events/sched/sched_switch
knob=/sys/kernel/debug/zswap/debug_load_sleep_us
[ -w $knob ] || { not_ok "test kernel with the debug_load_sleep_us knob"; tap_done; }
[ -d $ev ] || { not_ok "the lock:contention_end event"; tap_done; }
zswap_use zsmalloc lzo || not_ok "zswap on zsmalloc/lzo"
trigger='hist:keys=stacktrace:vals=hitcount:size=16384'
# 32: LCB_F_MUTEX alone, the waiter is about to sleep.
trigger_b='hist:keys=stacktrace:vals=hitcount:size=16384 if flags == 32'
# 2: TASK_UNINTERRUPTIBLE, how rt_mutex_lock() waits; the stack is the
# sleeping task's own.
trigger_s='hist:keys=stacktrace:vals=hitcount:size=16384 if prev_state == 2'
tool_start zsplock /tmp/lock.json -l ctx-mutex,tree-lock -j -t 0 || not_ok "zsplock attached"
echo "$trigger" > $ev/trigger && echo "$trigger_b" > $evb/trigger && echo "$trigger_s" > $evs/trigger ||
	{ not_ok "stacktrace histograms on lock:contention_end, contention_begin and sched_switch"; tap_done; }
echo 2000 > $knob
timeout 240 "$ZSP_BIN/zswap-stress" -m 16 -c 12 -P 4 -p 1000 -w 10 -T 30 -j \
	> /tmp/stress.json 2> /tmp/stress.err
rc=$?
echo 0 > $knob
cp $ev/hist /tmp/hist
cp $evb/hist /tmp/hist_b
cp $evs/hist /tmp/hist_s
echo "!$trigger" > $ev/trigger
echo "!$trigger_b" > $evb/trigger
echo "!$trigger_s" > $evs/trigger
tool_stop zsplock || not_ok "zsplock exit $?"
[ $rc -eq 0 ] && ok "zswap pages verified with readers sleeping in their context" ||
	not_ok "zswap-stress exit $rc: $(head -2 /tmp/stress.err)"
cp /tmp/hist "${ZSP_OUT:-/tmp}/contention_end.hist"
cp /tmp/hist_b "${ZSP_OUT:-/tmp}/contention_begin_sleep.hist"
cp /tmp/hist_s "${ZSP_OUT:-/tmp}/sched_switch_d.hist"

pycheck 3 /tmp/hist /tmp/lock.json /tmp/hist_b /tmp/hist_s <<'PY'
import json, re, sys
from tap import tap
zswap = re.compile(r"^(zswap_frontswap_(load|store)|zswap_(load|store))[+.]")
lockish = re.compile(r"spin|lock|trace|queued|contention")


MUTEX = ("__mutex_lock",)
RT = ("rt_mutex_slowlock", "__rt_mutex_slowlock", "rt_mutex_lock")


def parse(path, frames=MUTEX + RT):
    """(waits in a sleeping lock's slow path (FRAMES) under zswap, spinning
    waits taken directly by zswap, dropped)"""
    mutex = spin = dropped = 0
    entry = None
    for line in open(path):
        if re.match(r"^\{ stacktrace:", line):
            entry = []
            continue
        if entry is not None and line.startswith("}"):
            hits = int(re.search(r"hitcount:\s+(\d+)", line).group(1))
            is_mutex = any(f.startswith(frames) for f in entry)
            if is_mutex and any(zswap.match(f) for f in entry):
                mutex += hits
            first = next((f for f in entry if not lockish.search(f.split("+")[0])), "")
            if not is_mutex and zswap.match(first):
                spin += hits
            entry = None
            continue
        if entry is not None:
            entry.append(line.strip())
        d = re.match(r"^\s*Dropped:\s+(\d+)", line)
        if d:
            dropped = int(d.group(1))
    return mutex, spin, dropped


mutex, spin, dropped = parse(sys.argv[1])
sleeps_mx, _, dropped_b = parse(sys.argv[3], MUTEX)
sleeps_rt, _, dropped_s = parse(sys.argv[4], RT)
sleeps = sleeps_mx + sleeps_rt
tap(dropped == 0 and dropped_b == 0 and dropped_s == 0,
    f"the histograms dropped {dropped}, {dropped_b} and {dropped_s} entries")
z = json.load(open(sys.argv[2]))["locks"]
cw = z["ctx-mutex"]["wait"]["count"]
tap(mutex >= 100 and abs(cw - mutex) <= 0.02 * mutex,
    f"ctx-mutex: zsplock {cw} waits ({z['ctx-mutex']['slept']} slept), the kernel's mutex waits under a zswap load or store {mutex} (within 2%)")
slept = z["ctx-mutex"]["slept"]
tap(0 < slept <= sleeps,
    f"ctx-mutex: zsplock {slept} waits that slept, the kernel's sleeps of its waiters under a zswap load or store {sleeps} ({sleeps_mx} mutex, {sleeps_rt} rt_mutex)")
print(f"# tree-lock (not judged): zsplock {z['tree-lock']['wait']['count']} waits, "
      f"the kernel's spinning waits taken directly by a zswap load or store {spin}")
PY
tap_done
