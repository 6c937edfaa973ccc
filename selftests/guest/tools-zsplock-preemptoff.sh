#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# zsplock's preempt-off time per zswap load against the kernel's preemptoff
# tracer on the same run, with the test aid that puts the series'
# decompression back under preempt_disable() (debug_load_nopreempt,
# selftests/kernel/0004) as the negative control. One worker on CPU 0,
# swapping in through an 18 MiB cgroup with deflate. The tracer runs from
# before zsplock attaches to after it detaches, so it sees every section
# zsplock sees; the knob's own counters are read inside zsplock's window.
# - zsplock measures with the preempt_disable/preempt_enable tracepoints
#   (this kernel has CONFIG_PREEMPT_TRACER), not by sampling;
# - knob off and on: zsplock's longest section inside a load is not 0 and
#   no longer than the preemptoff tracer's longest (2 us for the clocks):
#   a guard against counting what is not preempt-off only, since the
#   tracer's longest is usually not in a load;
# - knob on: the knob reached the loads;
# - knob on: zsplock's longest section is at least the kernel's own
#   longest knob section in its window (debug_load_nopreempt_max_ns, timed
#   inside the section; 5% and 1 us for clock reads);
# - knob on: zsplock's preempt-off time over all loads is at least the
#   time the kernel itself measured inside the knob's sections in that
#   window (debug_load_nopreempt_ns; a sampling zsplock reads 0 there: the
#   section ends before the read side does);
# - knob on: zsplock's median preempt-off time per load rose, from knob
#   off, by at least half the knob's own mean section per load (the median:
#   the rest of the load's sections, lockdep's included, moves with the
#   host under TCG, and a busy host drags the mean by as much as the knob);
# - loads that sleep 2 ms each inside their object (debug_load_sleep_us,
#   selftests/kernel/0001): the sleep is a context switch, not preempt-off
#   time, so zsplock's median per load stays within a quarter of it of the
#   knob-off run's, and sched_switch, not the unseen-switch guard, ends
#   those sections (fewer than 1% of the sleeps dropped by the guard).
# It boots with --one-thread, 2 vCPUs: zsplock attaches and detaches while
# the worker runs the functions it hooks, which multi-threaded TCG can turn
# into a vCPU looping on a stale int3 (doc/zsplock-hang.md; one run here
# hung so, in the detach's RCU-tasks wait).
# vm: -m 512M -s 2 -t 900 --one-thread
. "$ZSP_TOP/selftests/guest/lib.sh"

T=/sys/kernel/tracing
D=/sys/kernel/debug/zswap
[ -w $D/debug_load_nopreempt ] ||
	{ not_ok "test aid debug_load_nopreempt (selftests/kernel/0004)"; tap_done; }
grep -qw preemptoff $T/available_tracers ||
	{ not_ok "preemptoff tracer (CONFIG_PREEMPT_TRACER)"; tap_done; }
zswap_use zsmalloc deflate || not_ok "zswap on zsmalloc/deflate"
# One fault, one load: no readahead.
echo 0 > /proc/sys/vm/page-cluster

# run NAME KNOB: the worker fills its memory, then the tracer starts,
# zsplock attaches, both watch 6 s of swap-in passes, and stop in turn.
run() {
	local name=$1 n=0 pid d0 ns0 s0

	echo "$2" > $D/debug_load_nopreempt
	echo "${3:-0}" > $D/debug_load_sleep_us
	rm -f /tmp/armed
	taskset -c 0 "$ZSP_BIN/zswap-stress" -m 48 -c 18 -P 1 -p 1000 -w 10 -k tsmc -T 120 -s 5 \
		-K /tmp/armed -j > "/tmp/$name.stress" 2> "/tmp/$name.stress.err" &
	pid=$!
	while [ ! -s /tmp/armed ] && [ $n -lt 1200 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	echo 0 > $T/options/function-trace
	echo preemptoff > $T/current_tracer
	echo 0 > $T/tracing_max_latency
	echo 1 > $T/tracing_on
	tool_start zsplock "/tmp/$name.json" -j -t 0 || not_ok "zsplock attached ($name)"
	d0=$(cat $D/debug_load_nopreempt_done)
	ns0=$(cat $D/debug_load_nopreempt_ns)
	s0=$(cat $D/debug_load_slept)
	echo 0 > $D/debug_load_nopreempt_max_ns
	sleep 6
	echo "$(($(cat $D/debug_load_nopreempt_done) - d0)) $(($(cat $D/debug_load_nopreempt_ns) - ns0))" \
		"$(cat $D/debug_load_nopreempt_max_ns) $(($(cat $D/debug_load_slept) - s0))" > "/tmp/$name.done"
	tool_stop zsplock || not_ok "zsplock exit $? ($name)"
	echo 0 > $T/tracing_on
	cat $T/tracing_max_latency > "/tmp/$name.max"
	cat $T/trace > "/tmp/$name.trace"
	echo nop > $T/current_tracer
	echo 0 > $D/debug_load_nopreempt
	echo 0 > $D/debug_load_sleep_us
	kill -INT $pid 2>/dev/null
	wait $pid
	cp "/tmp/$name.json" "/tmp/$name.trace" "${ZSP_OUT:-/tmp}/" 2>/dev/null
}

run off 0
run on 1
run sleep 0 2000
sed 's/^/# /' /tmp/off.json.err

pycheck 7 <<'PY'
import json, re
from tap import tap

def load(name):
    r = json.load(open(f"/tmp/{name}.json"))
    trace = open(f"/tmp/{name}.trace").read()
    m = re.search(r"=> ended at:\s*(\S+)", trace)
    done, ns, mx, slept = (int(x) for x in open(f"/tmp/{name}.done").read().split())
    return r, float(open(f"/tmp/{name}.max").read()), m.group(1) if m else "?", done, ns, mx, slept

off, off_max, off_end, _, _, _, _ = load("off")
on, on_max, on_end, done, knob_ns, knob_max, _ = load("on")
sl, _, _, _, _, _, slept = load("sleep")
for name, r, mx, end in (("off", off, off_max, off_end), ("on", on, on_max, on_end)):
    lg, lp = r.get("preempt_off_longest", {}), r["load_preempt_off"]
    print(f"# knob {name}: {lp['count']} loads, preempt-off per load mean {lp['mean_ns'] / 1e3:.1f} us, "
          f"p50 {lp['p50_ns'] / 1e3:.1f} us, all {lp['sum_ns'] / 1e6:.1f} ms; longest "
          f"{lg.get('ns', 0) / 1e3:.1f} us ({lg.get('from')} .. {lg.get('to')}); "
          f"preemptoff tracer {mx:.0f} us, ended at {end}")
print(f"# knob: {done} loads in the window, {knob_ns / 1e6:.1f} ms inside its sections by the kernel's "
      f"clock, the longest {knob_max / 1e3:.1f} us; sleeping run: {slept} loads slept, "
      f"{sl['load_preempt_off']['mean_ns'] / 1e3:.1f} us preempt-off per load")
tap(all(r.get("preempt_off_method", "").startswith("preempt_disable/preempt_enable tracepoints")
        for r in (off, on)),
    "zsplock measures preempt-off with the preempt tracepoints: " + repr(off.get("preempt_off_method")))
# A sampling zsplock has no longest section: 0 then.
lo, ln = (r.get("preempt_off_longest", {}).get("ns", 0) / 1e3 for r in (off, on))
tap(off["load_preempt_off"]["count"] > 500 and on["load_preempt_off"]["count"] > 500
    and 0 < lo <= off_max + 2 and 0 < ln <= on_max + 2,
    f"zsplock's longest in-load section <= the preemptoff tracer's longest: knob off "
    f"{lo:.0f} <= {off_max:.0f} us, knob on {ln:.0f} <= {on_max:.0f} us")
tap(done > 500, f"knob on: {done} loads decompressed with preemption off in zsplock's window")
tap(knob_max > 0 and ln * 1e3 >= 0.95 * knob_max - 1000,
    f"knob on: zsplock's longest section {ln:.1f} us >= the kernel's longest knob section "
    f"{knob_max / 1e3:.1f} us")
zsum = on["load_preempt_off"]["sum_ns"]
tap(knob_ns > 0 and zsum >= 0.95 * knob_ns,
    f"knob on: zsplock's {zsum / 1e6:.1f} ms preempt-off in loads >= the kernel's own "
    f"{knob_ns / 1e6:.1f} ms inside the knob's sections")
rise = on["load_preempt_off"]["p50_ns"] - off["load_preempt_off"]["p50_ns"]
each = knob_ns / done if done else 0
tap(each > 0 and rise >= 0.5 * each,
    f"knob on: the median load's preempt-off rose by {rise / 1e3:.1f} us, at least half the "
    f"knob's mean section {each / 1e3:.1f} us")
rise = sl["load_preempt_off"]["p50_ns"] - off["load_preempt_off"]["p50_ns"]
unseen = sl.get("preempt_off_unseen_switch", 0)
tap(slept > 100 and sl["load_preempt_off"]["count"] > 100 and rise < 0.25 * 2000e3
    and unseen < 0.01 * slept,
    f"{slept} loads slept 2 ms in their object; the median load's preempt-off rose by "
    f"{rise / 1e3:.1f} us over knob off, less than a quarter of the sleep; {unseen} sections "
    f"dropped for a switch zsplock did not see (under 1% of the sleeps: sched_switch ends them)")
PY
tap_done
