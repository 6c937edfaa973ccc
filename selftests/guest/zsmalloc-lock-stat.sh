#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The zspage lock in lockdep's lock statistics (CONFIG_LOCK_STAT). Mainline's
# lock, which the series backports, carries a lockdep map of one class
# ("zspage->lock") and calls lock_acquired() on both sides, so its read and
# write acquisitions and hold times show in /proc/lock_stat; a reader that
# spins on the lock's inner spinlock shows as a contention of that
# spinlock's class. Readers sleep 2 ms inside every object read (test knob)
# on two vCPUs while compaction runs: the read side must show long holds,
# the write side acquisitions.
#
# The same run validates zsplock's mutex waits against the kernel's own
# figures (klockstat, the peer tool, hooks mutex_lock() itself, which is
# what hung guests): four workers share the two CPUs' compression
# contexts and sleep holding them, so they contend; zsplock's count of
# ctx-mutex waits that went to sleep must match lock_stat's contentions of
# the context mutex class. The series' context lock is an rt_mutex, whose
# !PREEMPT_RT lock path makes no lock_contended() call (6.1's
# kernel/locking/rtmutex_api.c), so lock_stat has nothing to compare with
# there: those two checks are skipped, and zswap-lock-waits (make test)
# judges the same waits by the kernel's contention and sched_switch events.
# vm: -m 512M -s 2 -t 600
# kernel: lockstat
. "$ZSP_TOP/selftests/guest/lib.sh"

knob=/sys/kernel/debug/zswap/debug_load_sleep_us
if [ ! -r /proc/lock_stat ]; then
	not_ok "/proc/lock_stat present (build with make test-lockstat: CONFIG_LOCK_STAT=y)"
	tap_done
fi
if [ ! -w $knob ]; then
	not_ok "test kernel with the debug_load_sleep_us knob"
	tap_done
fi
zswap_use zsmalloc lzo || not_ok "zswap on zsmalloc/lzo"
tool_start zsplock /tmp/lock.json -l ctx-mutex -j -t 0 || not_ok "zsplock attached"
echo 0 > /proc/lock_stat
echo 1 > /proc/sys/kernel/lock_stat
echo 2000 > $knob
timeout 240 "$ZSP_BIN/zswap-stress" -m 16 -c 12 -P 4 -p 1000 -w 10 -T 30 -j \
	> /tmp/stress.json 2> /tmp/stress.err &
stress=$!
rounds=$(compact_while $stress)
wait $stress
rc=$?
echo 0 > $knob
cp /proc/lock_stat /tmp/lock_stat
cp /tmp/lock_stat "${ZSP_OUT:-/tmp}/lock_stat"
tool_stop zsplock || not_ok "zsplock exit $?"
[ $rc -eq 0 ] && ok "zswap pages verified with sleeping readers and $rounds compaction rounds" ||
	not_ok "zswap-stress exit $rc: $(head -2 /tmp/stress.err)"

# Columns after "name:": con-bounces contentions waittime-{min,max,total,avg}
# acq-bounces acquisitions holdtime-{min,max,total,avg} (times in us).
sed -n 's/^ *class name */# lock_stat columns: /p' /tmp/lock_stat | head -1
row() {
	grep -E "^ *$1:" /tmp/lock_stat | head -1 | sed 's/^[^:]*: *//'
}
read_row=$(row 'zspage->lock-R')
write_row=$(row 'zspage->lock(-W)?')
echo "# zspage->lock-R: $read_row"
echo "# zspage->lock-W: $write_row"
read -r -a r <<< "$read_row"
read -r -a w <<< "$write_row"
# Hold times are in microseconds with two decimals: a 2 ms sleep is >= 2000.
[ "${r[7]:-0}" -gt 0 ] && awk -v m="${r[9]:-0}" 'BEGIN { exit !(m >= 2000) }' &&
	ok "read side in lock_stat: ${r[7]} acquisitions, longest hold ${r[9]} us (a reader slept in it)" ||
	not_ok "read side of zspage->lock in /proc/lock_stat with a hold >= 2000 us (row: '$read_row')"
[ "${w[7]:-0}" -gt 0 ] &&
	ok "write side in lock_stat: ${w[7]} acquisitions (migration, compaction), longest hold ${w[9]} us" ||
	not_ok "write side of zspage->lock in /proc/lock_stat (row: '$write_row')"
# One class for every pool: lockdep names a second class of the same
# name "zspage->lock#2".
rows=$(grep -c -E '^ *zspage->lock(#[0-9]+)?(-[RW])?:' /tmp/lock_stat)
others=$(grep -c -E '^ *zspage->lock#[0-9]+(-[RW])?:' /tmp/lock_stat)
[ "$rows" -ge 1 ] && [ "$rows" -le 2 ] && [ "$others" -eq 0 ] &&
	ok "one zspage->lock class ($rows rows: read and write)" ||
	not_ok "zspage->lock: $rows rows, $others of other classes of that name"
# The inner spinlock readers and writers take around the count.
grep -E '^ *&zsl->lock:|zspage_lock_init' /tmp/lock_stat | head -3 | sed 's/^/# inner spinlock: /'

# The compression context mutex: mutex_init() names its class after the
# expression, "&per_cpu_ptr(pool->acomp_ctx, cpu)->mutex", which lock_stat
# cuts to 40 characters.
ctx_row=$(grep -E '^ *&per_cpu_ptr\(pool->acomp_ctx[^:]*:' /tmp/lock_stat | head -1 | sed 's/^[^:]*: *//')
echo "# ctx mutex: $ctx_row"
if bpftool btf dump file /sys/kernel/btf/vmlinux format c 2>/dev/null |
	sed -n '/^struct crypto_acomp_ctx {/,/^};/p' | grep -q 'struct rt_mutex mutex;'; then
	skip "the context mutex was contended" "an rt_mutex here: lock_stat records no contention of it"
	skip "zsplock's sleeping ctx-mutex waits match lock_stat's contentions" "an rt_mutex here: lock_stat records no contention of it"
	tap_done
fi
pycheck 2 "$ctx_row" /tmp/lock.json <<'PY'
import json, sys
from tap import tap
row, lock = sys.argv[1].split(), json.load(open(sys.argv[2]))
m = lock["locks"]["ctx-mutex"]
ls_cont = int(row[1]) if len(row) > 1 else -1
ls_wait = float(row[4]) if len(row) > 4 else -1
slept, waits = m["slept"], m["wait"]["count"]
print(f"# lock_stat: {ls_cont} contentions, {ls_wait:.0f} us waited in all; "
      f"zsplock: {slept} waits that slept of {waits} slow-path waits, "
      f"{m['wait']['sum_ns'] / 1e3:.0f} us waited in all")
tap(ls_cont > 10, f"the context mutex was contended ({ls_cont} contentions in lock_stat)")
tap(ls_cont > 0 and abs(slept - ls_cont) <= max(3, 0.05 * ls_cont),
    f"zsplock's sleeping ctx-mutex waits match lock_stat's contentions ({slept} vs {ls_cont}, 5%)")
ls_acq = int(row[7]) if len(row) > 7 else -1
print(f"# lock_stat acquisitions {ls_acq}, zsplock slow-path waits {waits}: on a lockdep kernel "
      "every mutex_lock() takes the slow path")
PY
echo 0 > /proc/sys/kernel/lock_stat
tap_done
