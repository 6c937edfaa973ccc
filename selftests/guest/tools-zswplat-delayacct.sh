#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# zswplat against the kernel's delay accounting, the mechanism the bcc
# maintainers point users to for swap-in cost: 6.1 times every
# swap_readpage() of a task (delayacct_swapin_start/end around
# frontswap_load(), mm/page_io.c) and hands the totals out over taskstats
# when the task exits; the kernel's own tools/accounting/getdelays of the
# base tree listens for them. Over one workload, with nothing else
# swapping in the guest, its workers on one CPU (delay accounting drops a
# swap-in whose local_clock() delta is not positive, which a task moved
# to another CPU mid-swap-in can get where CPU clocks drift, as under TCG:
# 2% of them in a trial run):
# - zswplat's load calls (loads, misses, failures), and those plus the
#   loads it reports lost (program runs the kernel skipped: two workers on
#   one CPU preempt each other inside the tracing program; and loads
#   dropped because 6.1's task storage was busy with a preempted task),
#   bracket, within 1%, the swap-ins delay accounting counted for the
#   tasks that exited;
# - the time zswplat measured inside the load function is no more than the
#   delay accounting measured around it (1% for clock reads), and at least
#   half of it (the rest is frontswap and the tracing trampolines, which
#   run inside the delay window but outside zswplat's timestamps).
# vm: -m 512M -t 600
. "$ZSP_TOP/selftests/guest/lib.sh"

GD=$ZSP_BIN/getdelays
[ -x "$GD" ] || { not_ok "getdelays built from the base tree ($GD)"; tap_done; }
if ! echo 1 > /proc/sys/kernel/task_delayacct 2>/dev/null; then
	not_ok "delay accounting on (kernel.task_delayacct; CONFIG_TASK_DELAY_ACCT)"
	tap_done
fi
zswap_use zsmalloc lzo || not_ok "zswap on zsmalloc/lzo"
# khugepaged swaps pages in too (collapse), in a thread that never exits:
# its loads would count for zswplat and never reach the listener.
thp=/sys/kernel/mm/transparent_hugepage/enabled
thp_was=$(sed -n 's/.*\[\(.*\)\].*/\1/p' $thp 2>/dev/null)
[ -z "$thp_was" ] || echo never > $thp
"$GD" -l -d -m 0-$(($(nproc) - 1)) > /tmp/gd.txt 2> /tmp/gd.err &
gd=$!
sleep 1
kill -0 $gd 2>/dev/null && ok "getdelays listens for exiting tasks' statistics" ||
	{ not_ok "getdelays -l: $(head -2 /tmp/gd.err)"; tap_done; }
tool_start zswplat /tmp/lat.json -j || not_ok "zswplat attached"
taskset -c 0 "$ZSP_BIN/zswap-stress" -m 48 -c 18 -P 2 -p 2 -w 10 -k tsmc -s 9 -j > /tmp/stress.json 2> /tmp/stress.err
rc=$?
sleep 1
tool_stop zswplat || not_ok "zswplat exit $?"
kill $gd
wait $gd 2>/dev/null
cp /tmp/gd.txt "${ZSP_OUT:-/tmp}/getdelays.txt"
[ -z "$thp_was" ] || echo "$thp_was" > $thp
[ $rc -eq 0 ] && ok "workload verified every page" || not_ok "zswap-stress exit $rc: $(head -2 /tmp/stress.err)"

pycheck 2 /tmp/gd.txt /tmp/lat.json <<'PY'
import json, re, sys
from tap import tap
text, lat = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))
# Per exiting task: "PID <n>" then its delay block; the SWAP header row is
# followed by "count  delay total (ns)  delay average". TGID blocks repeat
# a whole thread group's sums and are left out.
count = total = tasks = 0
for block in re.split(r"^(?=PID\t|TGID\t)", text, flags=re.M):
    if not block.startswith("PID\t"):
        continue
    m = re.search(r"^SWAP\s.*\n\s+(\d+)\s+(\d+)", block, re.M)
    if m and int(m.group(1)):
        tasks += 1
        count += int(m.group(1))
        total += int(m.group(2))
calls = lat["loads"] + lat["misses"] + lat["failures"]
skipped = lat["lost"]["recursion_misses"] + lat["lost"]["dropped"]
zsum = sum(c["phases"]["total"]["sum_ns"] for c in lat["compressors"])
print(f"# delay accounting: {count} swap-ins in {tasks} exited task(s), {total / 1e6:.1f} ms; "
      f"zswplat: {calls} load calls, {zsum / 1e6:.1f} ms in loads ({lat['misses']} misses), "
      f"{lat['lost']['recursion_misses']} program runs skipped (recursion), {lat['lost']['dropped']} dropped")
tap(count > 1000 and calls <= 1.01 * count and count <= 1.01 * (calls + skipped),
    f"zswplat's {calls} load calls (+{skipped} it reports lost) bracket delay "
    f"accounting's {count} swap-ins (within 1%)")
tap(total > 0 and 0.5 * total <= zsum <= 1.01 * total,
    f"zswplat's {zsum / 1e6:.1f} ms in loads within half and all of delay accounting's "
    f"{total / 1e6:.1f} ms of swap-in delay ({zsum / total if total else 0:.2f})")
PY
tap_done
