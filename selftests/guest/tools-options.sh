#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# zswplat's common options against the kernel's own counters, with two
# workloads swapping in at once, each in a memory cgroup of its own:
# - -c CGROUP counts that cgroup's loads alone: within 1% of the cgroup's
#   zswpin (memory.stat) over the run, and short of the machine's;
# - -p PID of a process that never swaps in counts no load;
# - -i 1 -d 6 -j prints one JSON report per second: 5 to 7 of them, each
#   starting over, so their loads add up to what one whole-run report of
#   the same span counts (-d 6, started beside it; within 20% for the two
#   tools' attach times; reports that did not start over would add up to
#   several times as much).
# vm: -m 768M -t 900
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
	sh -c "echo \$\$ > $cg/$1/cgroup.procs && exec $ZSP_BIN/zswap-stress -m 64 -p 3 -s $2 -j" \
		> "/tmp/$1.json" 2> "/tmp/$1.err" &
}

# start_lat OUT ARGS...: zswplat in the background until it is attached
# (tool_start keeps one instance per tool; two run here).
start_lat() {
	local out=$1 i

	shift
	"${ZSP_TOOLS:-$ZSP_BUILD/tools}/zswplat" "$@" > "$out" 2> "$out.err" &
	for ((i = 0; i < 240; i++)); do
		grep -q -F "Ctrl-C to end." "$out.err" 2>/dev/null && return 0
		sleep 0.5
	done
	return 1
}
sleep 1000 &
idle=$!
start_lat /tmp/c.json -j -c $cg/zspA || not_ok "zswplat -c attached"
lc=$!
start_lat /tmp/p.json -j -p $idle || not_ok "zswplat -p attached"
lp=$!
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
kill -INT $lc $lp
wait $lc $lp
a1=$(cg_zswpin zspA)
v1=$(vm_zswpin)
kill $idle
[ $ra -eq 0 ] && [ $rb -eq 0 ] && ok "both workloads verified" ||
	not_ok "workloads exit $ra/$rb: $(head -1 /tmp/zspA.err) $(head -1 /tmp/zspB.err)"

# -i: interval reports beside one whole report, over a third workload.
run_in zspA 13
pc=$!
"${ZSP_TOOLS:-$ZSP_BUILD/tools}/zswplat" -j -i 1 -d 6 > /tmp/i.json 2> /tmp/i.err &
pi=$!
"${ZSP_TOOLS:-$ZSP_BUILD/tools}/zswplat" -j -d 6 > /tmp/w.json 2> /tmp/w.err &
pw=$!
wait $pi
ri=$?
wait $pw
rw=$?
wait $pc
cat /tmp/c.json.err /tmp/p.json.err /tmp/i.err /tmp/w.err

pycheck 3 /tmp/c.json /tmp/p.json /tmp/i.json /tmp/w.json "$((a1 - a0))" "$((v1 - v0))" "$ri" "$rw" <<'PY'
import json, sys
from tap import tap
c, p = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
cg, vm = int(sys.argv[5]), int(sys.argv[6])
tap(cg > 1000 and abs(c["loads"] - cg) <= 0.01 * cg and c["loads"] < vm,
    f"zswplat -c: {c['loads']} loads counted, the cgroup's zswpin {cg} (within 1%), the machine's {vm}")
tap(p["loads"] == 0, f"zswplat -p of an idle process: {p['loads']} loads counted (want 0)")
reports = [json.loads(line) for line in open(sys.argv[3]) if line.startswith("{")]
whole = json.load(open(sys.argv[4]))
total = sum(r["loads"] for r in reports)
ok = sys.argv[7] == "0" and sys.argv[8] == "0" and 5 <= len(reports) <= 7 and whole["loads"] > 0 \
    and abs(total - whole["loads"]) <= 0.2 * whole["loads"]
tap(ok, f"zswplat -i 1 -d 6: {len(reports)} reports, {total} loads in all; one report over the same span: "
        f"{whole['loads']} (exit {sys.argv[7]}/{sys.argv[8]})")
PY
rmdir $cg/zspA $cg/zspB 2>/dev/null
tap_done
