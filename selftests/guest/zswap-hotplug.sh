#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CPU hot-unplug while zswap is busy: CPUs 1..N-1 go offline and online in a
# loop while four processes thrash zswap (stores and loads on every CPU) and
# verify every page. Passes when the data is intact, the workload ran
# through all the cycles, and
# (checked by the runner) the console shows no splat; the hung-task detector
# and the VM timeout catch a deadlock.
# vm: -m 768M -t 900
# base: record
. "$ZSP_TOP/selftests/guest/lib.sh"

# A fixed number of cycles, however long they take (a slow or busy host
# only makes the run longer; the VM timeout still catches a deadlock): a
# test asserts what happened, never how fast.
min_cycles=${ZSP_HOTPLUG_MIN_CYCLES:-100}
ncpu=$(nproc --all)
if [ "$ncpu" -lt 2 ] || [ ! -w /sys/devices/system/cpu/cpu1/online ]; then
	skip "hotplug stress" "needs 2+ CPUs with hotplug (have $ncpu)"
	tap_done
fi
zswap_use zsmalloc lzo || not_ok "select zsmalloc/lzo"

# The workload runs until the cycles are done and is then stopped with
# SIGINT, after which it reports what it read and verified.
"$ZSP_BIN/zswap-stress" -m 128 -c 48 -P 4 -p 1000000 -w 20 -Z 10000 -j > /tmp/stress.json 2> /tmp/stress.err &
stress=$!
cycles=0 hp_err=0
start=$SECONDS
while [ $cycles -lt "$min_cycles" ] && kill -0 $stress 2>/dev/null; do
	for ((c = 1; c < ncpu; c++)); do
		f=/sys/devices/system/cpu/cpu$c/online
		if ! timeout 60 sh -c "echo 0 > $f && echo 1 > $f"; then
			hp_err=$((hp_err + 1))
			echo "# cpu$c offline/online failed or took over 60 s"
			echo 1 > "$f" 2>/dev/null
		fi
		cycles=$((cycles + 1))
	done
done
kill -INT $stress 2>/dev/null
wait $stress
rc=$?
for ((c = 1; c < ncpu; c++)); do echo 1 > /sys/devices/system/cpu/cpu$c/online 2>/dev/null; done
cat /tmp/stress.err
res=$(cat /tmp/stress.json)
echo "# $res"
if [ $rc -eq 0 ]; then
	ok "hotplug: every page verified across $cycles CPU offline/online cycles ($(json_field verified <<< "$res") reads, $(json_field zswpin <<< "$res") zswap loads, $(json_field zswpout <<< "$res") stores)"
else
	not_ok "hotplug: zswap-stress exit $rc during CPU offline/online cycles ($(head -1 /tmp/stress.err))"
fi
[ $hp_err -eq 0 ] && ok "hotplug: all $cycles offline/online operations completed" ||
	not_ok "hotplug: $hp_err of $cycles offline/online operations failed"
[ $cycles -ge "$min_cycles" ] && ok "hotplug: the workload ran through all $cycles cycles ($((SECONDS - start)) s)" ||
	not_ok "hotplug: the workload ended after $cycles of $min_cycles cycles"
tap_done
