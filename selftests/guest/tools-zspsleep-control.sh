#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Negative control for zspsleep: a test module sleeps with preemption
# disabled on demand. zspsleep must report it, with the module's function in
# the stack, and --fail must turn that into exit status 3. The splats the
# module provokes are expected on this console and only here.
# vm: -m 512M -t 300
# allow: BUG: sleeping function called from invalid context|BUG: scheduling while atomic
. "$ZSP_TOP/selftests/guest/lib.sh"
# Built inside the kernel build it belongs to (Makefile TEST_MODULE).
ko=${ZSP_KOUT:-$ZSP_BUILD/kernel-debug}/zsp-module/zsp_atomic_sleep.ko

if ! insmod "$ko"; then
	not_ok "load the test module $ko"
	tap_done
fi
ok "test module loaded"
tool_start zspsleep /tmp/sleep.json -j -d 20 --fail || not_ok "zspsleep attached"
echo 1 > /sys/kernel/debug/zsp_atomic_sleep/trigger
tool_wait zspsleep
rc=$?
cat /tmp/sleep.json.err
rmmod zsp_atomic_sleep
[ $rc -eq 3 ] && ok "zspsleep --fail exits 3 when it saw events" || not_ok "zspsleep --fail exit $rc (want 3)"
pycheck 3 /tmp/sleep.json <<'PY'
import json, sys
from tap import tap
d = json.load(open(sys.argv[1]))
mine = [s for s in d["stacks"] if any("zsp_sleep_in_atomic" in f for f in s["stack"])]
types = sorted({s["type"] for s in mine})
tap("might-sleep" in types, "might-sleep reported with zsp_sleep_in_atomic in the stack")
tap("sched-atomic" in types, "scheduling while atomic reported with zsp_sleep_in_atomic in the stack")
ms = [s for s in mine if s["type"] == "might-sleep"]
tap(ms and ms[0]["preempt_count"] >= 1,
    f"might-sleep shows the raised preempt count ({ms[0]['preempt_count'] if ms else None})")
for s in mine:
    print(f"# {s['type']} x{s['count']} {s['comm']} preempt_count {s['preempt_count']} irqs_disabled {s['irqs_disabled']}: " + " <- ".join(s["stack"][:6]))
PY
tap_done
