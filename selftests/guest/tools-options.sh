#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The common options of zswplat and zsplock against the kernel's own
# counters and against each other, with two workloads swapping in at once,
# each in a memory cgroup of its own. Every instance is attached before a
# workload starts and stopped after it ends, so all see the same loads:
# - -c CGROUP counts that cgroup's loads alone: zswplat within 1% of the
#   cgroup's zswpin (memory.stat) and short of the machine's; zsplock's
#   loads (hits and misses alike) within 1% of zswplat's loads + misses;
# - -p PID of a process that never swaps in counts no load, in either tool;
# - -K (kprobes) counts what fentry counts: loads and misses within 0.5%,
#   zswplat's median within a factor of 2 of fentry's (each pays the other's
#   hook), zsplock's zspage read holds within 0.5%;
# - -i 1 prints one report a second, each starting over: their loads add up
#   to one whole-run report's within 1% (reports that did not start over
#   would add up to several times as much);
# - ZSP_TEST_MAP_ENTRIES=1 (zsplock with room for one holding stack):
#   the stacks it had no room for are reported as dropped, and every
#   count beside them is a whole-run report's. Recursion misses are
#   printed: a program preempted on this PREEMPT kernel misses the calls
#   other tasks make on its CPU meanwhile.
# zspsleep's options are checked in tools-zspsleep-control.
# Many trampolines on the same functions: single-threaded TCG, as in
# tools-lifecycle.
# vm: -m 768M -t 1500 --one-thread
. "$ZSP_TOP/selftests/guest/lib.sh"

zswap_use zsmalloc lzo
cg=/sys/fs/cgroup
grep -qw memory $cg/cgroup.subtree_control || echo "+memory" > $cg/cgroup.subtree_control
for g in zspA zspB; do
	if ! { mkdir -p $cg/$g && echo 24M > $cg/$g/memory.max; }; then
		not_ok "memory cgroup $g with memory.max"
		tap_done
	fi
done
cg_zswpin() { awk '$1 == "zswpin" {print $2}' "$cg/$1/memory.stat"; }
vm_zswpin() { awk '$1 == "zswpin" {print $2}' /proc/vmstat; }
# run_in GROUP SEED: zswap-stress inside GROUP, in the background.
run_in() {
	sh -c "echo \$\$ > $cg/$1/cgroup.procs && exec $ZSP_BIN/zswap-stress -m 48 -p 1 -s $2 -j" \
		> "/tmp/$1.json" 2> "/tmp/$1.err" &
}
declare -A rc
# start NAME ARGS...: TOOL@NAME with -j, output in /tmp/TOOL@NAME.json.
start() {
	tool_start "$1" "/tmp/$1.json" -j "${@:2}" || not_ok "$1 ${*:2} attached"
}
stop_all() {
	local t

	for t in "$@"; do
		tool_stop "$t"
		rc[$t]=$?
	done
}

sleep 1000 &
idle=$!
one=(zswplat@cg zswplat@pid zswplat@all zswplat@kp zsplock@cg zsplock@pid zsplock@all zsplock@kp)
start zswplat@cg -c $cg/zspA
start zswplat@pid -p $idle
start zswplat@all
start zswplat@kp -K
start zsplock@cg -c $cg/zspA
start zsplock@pid -p $idle
start zsplock@all
start zsplock@kp -K
a0=$(cg_zswpin zspA)
v0=$(vm_zswpin)
run_in zspA 11
pa=$!
run_in zspB 12
pb=$!
wait $pa
ra=$?
wait $pb
rb=$?
a1=$(cg_zswpin zspA)
v1=$(vm_zswpin)
stop_all "${one[@]}"
kill $idle
[ $ra -eq 0 ] && [ $rb -eq 0 ] && ok "both workloads verified" ||
	not_ok "workloads exit $ra/$rb: $(head -1 /tmp/zspA.err) $(head -1 /tmp/zspB.err)"

# -i and the lost stacks, over a third workload.
two=(zswplat@i zswplat@whole zsplock@i zsplock@whole zsplock@small)
start zswplat@i -i 1
start zswplat@whole
start zsplock@i -i 1
start zsplock@whole
ZSP_TEST_MAP_ENTRIES=1 start zsplock@small -t 3
run_in zspA 13
wait $!
rc3=$?
stop_all "${two[@]}"
[ $rc3 -eq 0 ] && ok "third workload verified" || not_ok "third workload exit $rc3: $(head -1 /tmp/zspA.err)"
for t in "${one[@]}" "${two[@]}"; do
	echo "# $t: exit ${rc[$t]}"
	sed 's/^/#   /' "/tmp/$t.json.err"
	[ "${rc[$t]}" = 0 ] || not_ok "$t exit ${rc[$t]}"
done

pycheck 10 "$((a1 - a0))" "$((v1 - v0))" <<'PY'
import json, sys
from tap import tap
cg, vm = int(sys.argv[1]), int(sys.argv[2])
def one(name):
    return json.load(open(f"/tmp/{name}.json"))
def each(name):
    return [json.loads(line) for line in open(f"/tmp/{name}.json") if line.startswith("{")]
def near(a, b, share):
    return abs(a - b) <= share * max(a, b)
def lloads(r):
    return r["load_preempt_off"]["count"]
def holds(r):
    return r["locks"]["zspage-read"]["hold"]["count"]

lc, lp, la, lk = (one(f"zswplat@{n}") for n in ("cg", "pid", "all", "kp"))
kc, kp, ka, kk = (one(f"zsplock@{n}") for n in ("cg", "pid", "all", "kp"))
tap(cg > 1000 and near(lc["loads"], cg, 0.01) and lc["loads"] < vm,
    f"zswplat -c: {lc['loads']} loads counted, the cgroup's zswpin {cg} (within 1%), the machine's {vm}")
want = lc["loads"] + lc["misses"] + lc["failures"]
tap(want > 1000 and near(lloads(kc), want, 0.01) and lloads(kc) < lloads(ka),
    f"zsplock -c: {lloads(kc)} loads, zswplat -c {want} (loads + misses + failures, within 1%), all {lloads(ka)}")
tap(lp["loads"] == 0 and lloads(kp) == 0 and holds(kp) == 0,
    f"zswplat and zsplock -p of an idle process: zswplat {lp['loads']} loads, zsplock {lloads(kp)} loads and {holds(kp)} holds (want 0)")
tap(la["loads"] > 1000 and near(lk["loads"], la["loads"], 0.005) and near(lk["misses"], la["misses"], 0.005),
    f"zswplat -K: {lk['loads']} loads, {lk['misses']} misses; fentry {la['loads']}, {la['misses']}")
p50k, p50f = lk["all"]["p50_ns"], la["all"]["p50_ns"]
tap(p50f > 0 and 0.5 <= p50k / p50f <= 2, f"zswplat -K median {p50k} ns, fentry {p50f} ns (within a factor of 2)")
tap(holds(ka) > 1000 and near(holds(kk), holds(ka), 0.005) and near(lloads(kk), lloads(ka), 0.005),
    f"zsplock -K: {holds(kk)} zspage read holds and {lloads(kk)} loads; fentry {holds(ka)} and {lloads(ka)}")
for tool, count in (("zswplat", lambda r: r["loads"]), ("zsplock", lloads)):
    reports, whole = each(f"{tool}@i"), one(f"{tool}@whole")
    total = sum(count(r) for r in reports)
    tap(len(reports) >= 5 and count(whole) > 1000 and near(total, count(whole), 0.01),
        f"{tool} -i 1: {len(reports)} reports, {total} loads in all; the whole-run report {count(whole)} (within 1%)")
small, whole = one("zsplock@small"), one("zsplock@whole")
tap(small["lost"]["dropped"] > 0 and sum(len(l["top"]) for l in small["locks"].values()) <= 1,
    f"zsplock with one holding-stack entry: {small['lost']['dropped']} dropped, "
    f"{sum(len(l['top']) for l in small['locks'].values())} stack shown")
tap(near(holds(small), holds(whole), 0.005) and near(lloads(small), lloads(whole), 0.005),
    f"zsplock with one entry: {holds(small)} holds, {lloads(small)} loads; beside it {holds(whole)}, {lloads(whole)}")
for n in ("zswplat@all", "zsplock@all", "zsplock@whole", "zsplock@small"):
    print(f"# {n} lost: {one(n)['lost']}")
PY
rmdir $cg/zspA $cg/zspB 2>/dev/null
tap_done
