#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Sleeping while holding the read side is legal with the series: every load
# that reads an object sleeps 500 us inside the read (debugfs
# debug_load_sleep_us; same-filled pages have no object and never get
# there) on a kernel with DEBUG_ATOMIC_SLEEP and lockdep. The loads that
# slept are counted (debug_load_slept): at least 1000 must have. There must
# be no "sleeping function called from invalid context" (checked by
# zspsleep and by the console scan).
# On the base kernel the knob does not exist: the experiment is impossible
# there, which the base run records.
# vm: -m 512M -t 600
# base: record
. "$ZSP_TOP/selftests/guest/lib.sh"
knob=/sys/kernel/debug/zswap/debug_load_sleep_us
slept=/sys/kernel/debug/zswap/debug_load_slept

if [ ! -w "$knob" ]; then
	if [ "$ZSP_VARIANT" = base ]; then
		echo "# base kernel: no $knob: a zsmalloc load cannot sleep while the object is mapped (zs_map_object() returns with preemption disabled)"
		not_ok "sleeping in the load path cannot even be attempted on this kernel"
	else
		not_ok "debug knob $knob present"
	fi
	tap_done
fi
tool_start zspsleep /tmp/sleep.json -j --fail || not_ok "zspsleep attached"
s0=$(cat $slept 2>/dev/null || echo 0)
echo 500 > "$knob"
zswap_use zsmalloc lzo
res=$("$ZSP_BIN/zswap-stress" -m 64 -c 24 -p 2 -Z 2000 -j 2> /tmp/err)
rc=$?
echo 0 > "$knob"
s1=$(cat $slept 2>/dev/null || echo 0)
tool_stop zspsleep
src=$?
cat /tmp/err /tmp/sleep.json.err
echo "# $res"
n=$((s1 - s0))
[ $rc -eq 0 ] && [ $n -ge 1000 ] &&
	ok "$n of $(json_field zswpin <<< "$res") loads slept 500 us inside their object read; all pages verified" ||
	not_ok "workload with sleeping loads: exit $rc, $n loads slept (want 1000+)"
events=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["events"])' /tmp/sleep.json 2>/dev/null)
[ $src -eq 0 ] && [ "$events" = 0 ] && ok "zspsleep: no atomic-context sleep in the load path" ||
	not_ok "zspsleep saw ${events:-?} atomic-context events (exit $src)"
tap_done
