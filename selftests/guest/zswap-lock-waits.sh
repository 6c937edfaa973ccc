#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# zsplock's ctx-mutex and tree-lock wait counts on the make test kernel,
# judged by the kernel's own lock:contention_end events counted by stack in
# a histogram trigger (tracefs; the project's code plays no part in that
# count). contention_end fires once per slow-path wait, however often the
# waiter slept in it (contention_begin with LCB_F_MUTEX alone fires again
# after every wake-up that did not get the lock, so it counts sleeps, not
# waits). Readers sleep 2 ms holding their compression context (test knob),
# and four workers share the two CPUs' contexts, so they contend:
# - ctx-mutex: zsplock's waits equal, within 2%, the mutex waits
#   (__mutex_lock in the stack) under a zswap load or store, at least 100;
#   the context mutex is the only mutex those take (on this lockdep kernel
#   every mutex_lock() takes the slow path);
# - tree-lock: zsplock's waits equal, within 2% or 2 waits, the spinning
#   waits taken directly by a zswap load or store, the first frame under
#   the lock code (zsplock matches the tree's lock by address; another
#   spinlock those functions took directly would show as a difference).
# zsmalloc-lock-stat checks the same mutex rows against lock_stat on a
# CONFIG_LOCK_STAT kernel (make test-lockstat).
# vm: -m 512M -s 2 -t 600
. "$ZSP_TOP/selftests/guest/lib.sh"

T=/sys/kernel/tracing
ev=$T/events/lock/contention_end
knob=/sys/kernel/debug/zswap/debug_load_sleep_us
[ -w $knob ] || { not_ok "test kernel with the debug_load_sleep_us knob"; tap_done; }
[ -d $ev ] || { not_ok "the lock:contention_end event"; tap_done; }
zswap_use zsmalloc lzo || not_ok "zswap on zsmalloc/lzo"
trigger='hist:keys=stacktrace:vals=hitcount:size=16384'
tool_start zsplock /tmp/lock.json -l ctx-mutex,tree-lock -j -t 0 || not_ok "zsplock attached"
echo "$trigger" > $ev/trigger || { not_ok "stacktrace histogram on lock:contention_end"; tap_done; }
echo 2000 > $knob
timeout 240 "$ZSP_BIN/zswap-stress" -m 16 -c 12 -P 4 -p 1000 -w 10 -T 30 -j \
	> /tmp/stress.json 2> /tmp/stress.err
rc=$?
echo 0 > $knob
cp $ev/hist /tmp/hist
echo "!$trigger" > $ev/trigger
tool_stop zsplock || not_ok "zsplock exit $?"
[ $rc -eq 0 ] && ok "zswap pages verified with readers sleeping in their context" ||
	not_ok "zswap-stress exit $rc: $(head -2 /tmp/stress.err)"
cp /tmp/hist "${ZSP_OUT:-/tmp}/contention_end.hist"

pycheck 3 /tmp/hist /tmp/lock.json <<'PY'
import json, re, sys
from tap import tap
zswap = re.compile(r"^(zswap_frontswap_(load|store)|zswap_(load|store))[+.]")
lockish = re.compile(r"spin|lock|trace|queued|contention")
mutex = spin = 0
dropped = 0
entry = None
for line in open(sys.argv[1]):
    if re.match(r"^\{ stacktrace:", line):
        entry = []
        continue
    if entry is not None and line.startswith("}"):
        hits = int(re.search(r"hitcount:\s+(\d+)", line).group(1))
        is_mutex = any(f.startswith("__mutex_lock") for f in entry)
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
tap(dropped == 0, f"the histogram dropped {dropped} entries")
z = json.load(open(sys.argv[2]))["locks"]
cw = z["ctx-mutex"]["wait"]["count"]
tap(mutex >= 100 and abs(cw - mutex) <= 0.02 * mutex,
    f"ctx-mutex: zsplock {cw} waits ({z['ctx-mutex']['slept']} slept), the kernel's mutex waits under a zswap load or store {mutex} (within 2%)")
tw = z["tree-lock"]["wait"]["count"]
tap(abs(tw - spin) <= max(2, 0.02 * spin),
    f"tree-lock: zsplock {tw} waits, the kernel's spinning waits taken directly by a zswap load or store {spin}")
PY
tap_done
