#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Negative control for zspsleep: a test module sleeps with preemption
# disabled on demand. zspsleep must report it, with the module's function in
# the stack, and --fail must turn that into exit status 3. The splats the
# module provokes are expected on this console and only here.
#
# The same events check the common options and the lost-event count. Two
# shells trigger the module, one inside a cgroup, one outside; instances of
# zspsleep watch them at once:
# - all events (the reference), and the same with -K (kprobes: sched-atomic
#   only, the might-sleep check is fentry-only): -K counts exactly the
#   reference's sched-atomic events;
# - -c CGROUP and -p PID of the shell in the cgroup: that shell's events,
#   every one with its pid, short of them only by as many as the instance
#   reports it skipped (recursion); -p of an idle process: none;
# - -i 1: reports that start over and add up to the reference's events;
# - ZSP_TEST_MAP_ENTRIES=1 (room for one stack): what it records plus what
#   it reports as dropped equals the reference.
# Seven trampolines on one function are seven rewrites of its first bytes:
# single-threaded TCG, where a vCPU cannot run a stale int3 forever (see
# tools-lifecycle).
# vm: -m 512M -t 900 --one-thread
# allow: BUG: sleeping function called from invalid context|BUG: scheduling while atomic
. "$ZSP_TOP/selftests/guest/lib.sh"
# Built inside the kernel build it belongs to (Makefile TEST_MODULE).
ko=${ZSP_KOUT:-$ZSP_BUILD/kernel-debug}/zsp-module/zsp_atomic_sleep.ko
trigger=/sys/kernel/debug/zsp_atomic_sleep/trigger
cg=/sys/fs/cgroup/zsp-sleep

if ! insmod "$ko"; then
	not_ok "load the test module $ko"
	tap_done
fi
ok "test module loaded"
mkdir -p $cg || not_ok "cgroup $cg"
# Each shell triggers the module once /tmp/go exists; one of them from the cgroup.
sh -c "echo \$\$ > $cg/cgroup.procs; while [ ! -e /tmp/go ]; do sleep 0.1; done; echo 1 > $trigger" &
in_cg=$!
sh -c "while [ ! -e /tmp/go1 ]; do sleep 0.1; done; echo 1 > $trigger" &
out_cg=$!
sleep 1000 &
idle=$!
rm -f /tmp/go /tmp/go1
tool_start zspsleep /tmp/all.json -j --fail || not_ok "zspsleep attached"
tool_start zspsleep@kp /tmp/kp.json -j -K || not_ok "zspsleep -K attached"
tool_start zspsleep@cg /tmp/cg.json -j -c $cg || not_ok "zspsleep -c attached"
tool_start zspsleep@pid /tmp/pid.json -j -p $in_cg || not_ok "zspsleep -p attached"
tool_start zspsleep@idle /tmp/idle.json -j -p $idle || not_ok "zspsleep -p (idle) attached"
tool_start zspsleep@i /tmp/i.json -j -i 1 || not_ok "zspsleep -i attached"
ZSP_TEST_MAP_ENTRIES=1 tool_start zspsleep@small /tmp/small.json -j --fail ||
	not_ok "zspsleep with one map entry attached"
# Seconds apart, so that -i 1 sees them in different reports.
touch /tmp/go
wait $in_cg
sleep 2
touch /tmp/go1
wait $out_cg
echo 1 > $trigger
declare -A rc
sleep 2
for t in zspsleep zspsleep@kp zspsleep@cg zspsleep@pid zspsleep@idle zspsleep@i zspsleep@small; do
	tool_stop $t
	rc[$t]=$?
done
kill $idle
cat /tmp/all.json.err /tmp/small.json.err
rmmod zsp_atomic_sleep
rmdir $cg
[ "${rc[zspsleep]}" -eq 3 ] && ok "zspsleep --fail exits 3 when it saw events" ||
	not_ok "zspsleep --fail exit ${rc[zspsleep]} (want 3)"
# Not asserted: its exit status (3), which the stack it recorded gives
# anyway; no run records nothing and drops something.
echo "# zspsleep --fail with one map entry: exit ${rc[zspsleep@small]}"
pycheck 12 "$in_cg" /tmp/{all,kp,cg,pid,idle,i,small}.json <<'PY'
import json, sys
from tap import tap
in_cg = int(sys.argv[1])
d, kp, cg, pid, idle, small = (json.load(open(sys.argv[i])) for i in (2, 3, 4, 5, 6, 8))
mine = [s for s in d["stacks"] if any("zsp_sleep_in_atomic" in f for f in s["stack"])]
types = sorted({s["type"] for s in mine})
tap("might-sleep" in types, "might-sleep reported with zsp_sleep_in_atomic in the stack")
tap("sched-atomic" in types, "scheduling while atomic reported with zsp_sleep_in_atomic in the stack")
ms = [s for s in mine if s["type"] == "might-sleep"]
tap(ms and ms[0]["preempt_count"] >= 1,
    f"might-sleep shows the raised preempt count ({ms[0]['preempt_count'] if ms else None})")
for s in mine:
    print(f"# {s['type']} x{s['count']} {s['comm']}[{s['tgid']}] preempt_count {s['preempt_count']} irqs_disabled {s['irqs_disabled']}: " + " <- ".join(s["stack"][:6]))

def count(r, type=None):
    return sum(s["count"] for s in r["stacks"] if type is None or s["type"] == type)

ref_sa = count(d, "sched-atomic")
tap(ref_sa >= 3 and count(kp) == ref_sa and {s["type"] for s in kp["stacks"]} == {"sched-atomic"},
    f"zspsleep -K: {count(kp)} sched-atomic events, fentry {ref_sa} (three triggers; might-sleep needs fentry)")
# Recursion misses are checks that did not run: the might-sleep program,
# preempted on a PREEMPT kernel, misses the calls other tasks make on its
# CPU meanwhile, nearly all of them no event. Printed, not asserted.
tap(d["lost"]["dropped"] == 0, f"the reference dropped nothing: {d['lost']}")
# Three triggers (the shell in the cgroup, the one outside, this script),
# each the same events; a stack's pid is its last event's.
own = d["events"] // 3


def filtered(r):
    """An instance that watches one shell: that shell's events and no other
    task's. It may fall short of them by no more than the program runs it
    reports skipped (recursion, as above): one of seven instances, preempted
    inside its program, then misses the shell's check on that CPU. It can
    neither see more nor see none."""
    short = own - r["events"]
    return (1 <= r["events"] <= own and short <= r["lost"]["recursion_misses"]
            and {s["tgid"] for s in r["stacks"]} == {in_cg})


tap(d["events"] == 3 * own and filtered(cg),
    f"zspsleep -c: {cg['events']} events, all from the shell in the cgroup "
    f"({ {s['tgid'] for s in cg['stacks']} } vs {in_cg}); the reference has {d['events']} from "
    f"three triggers; {cg['lost']['recursion_misses']} runs skipped")
tap(filtered(pid),
    f"zspsleep -p of the shell in the cgroup: {pid['events']} events (want {own}, "
    f"{pid['lost']['recursion_misses']} runs skipped)")
tap(idle["events"] == 0 and not idle["stacks"], f"zspsleep -p of an idle process: {idle['events']} events (want 0)")
reports = [json.loads(line) for line in open(sys.argv[7]) if line.startswith("{")]
busy = [r["events"] for r in reports if r["events"]]
tap(len(busy) >= 2 and sum(busy) == d["events"],
    f"zspsleep -i 1: {len(reports)} reports, events {busy} in those with any, "
    f"{sum(busy)} in all (want {d['events']})")
rec, lost = small["events"], small["lost"]["dropped"]
tap(len(small["stacks"]) == 1, f"one map entry: {len(small['stacks'])} stack recorded")
tap(lost > 0 and rec + lost == d["events"],
    f"one map entry: {rec} recorded + {lost} dropped = {rec + lost} (the reference saw {d['events']})")
tap(d["events"] == count(d), f"events {d['events']} = the sum over stacks {count(d)}")
PY
tap_done
