#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest console scanner on recorded console text: a clean boot passes,
# each kind of kernel report fails with the report quoted, user-space output
# that merely contains the words is ignored, and an allowed (provoked) report
# passes only when nothing else is wrong.
. "$ZSP_TOP/selftests/host/lib.sh"
scan=$ZSP_TOP/scripts/vm/scan-console.sh
data=$ZSP_TOP/selftests/host/data

check "clean boot console passes" 0 "" "$scan" "$data/console-clean.log"

# Each report spliced into the clean log must fail the run.
while IFS='|' read -r what line; do
	{ head -20 "$data/console-clean.log"; echo "$line"; tail -n +21 "$data/console-clean.log"; } > "$scratch/c.log"
	check "detects $what" 1 "reports a kernel problem" "$scan" "$scratch/c.log"
done <<'REPORTS'
WARNING|[   12.345679] WARNING: CPU: 1 PID: 93 at mm/zswap.c:1018 zswap_frontswap_load+0x1a2/0x3c0
sleeping in atomic|[    5.100001] BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580
scheduling while atomic|[    9.120000] BUG: scheduling while atomic: zswap-stress/123/0x00000002
lockdep circular|[    7.000100] WARNING: possible circular locking dependency detected
lockdep recursive|[    7.000100] WARNING: possible recursive locking detected
KASAN|[    8.100000] BUG: KASAN: use-after-free in zswap_frontswap_load+0x4d/0x3c0
oops|[   10.000000] general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] PREEMPT SMP
kernel BUG|[   10.000000] kernel BUG at mm/zsmalloc.c:1405!
hung task|[  250.000000] INFO: task zswap-stress:97 blocked for more than 120 seconds.
RCU stall|[   60.000000] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:
soft lockup|[   60.000000] watchdog: BUG: soft lockup - CPU#2 stuck for 26s! [zswap-stress:99]
REPORTS

{ cat "$data/console-clean.log"; echo "[   12.345679] WARNING: CPU: 1 PID: 93 at mm/zswap.c:1018 zswap_frontswap_load+0x1a2/0x3c0"; } > "$scratch/w.log"
check "report is quoted with its context" 1 "WARNING: CPU: 1 PID: 93 at mm/zswap.c" "$scan" "$scratch/w.log"

{ cat "$data/console-clean.log"; echo "zswap-stress: WARNING: BUG: sleeping function called from invalid context"; } > "$scratch/u.log"
check "user-space text is not a kernel report" 0 "" "$scan" "$scratch/u.log"

cat "$data/console-clean.log" "$data/console-provoked.log" > "$scratch/p.log"
check "a provoked report fails without an allow pattern" 1 "scheduling while atomic" "$scan" "$scratch/p.log"
check "a provoked report passes when allowed" 0 "" "$scan" "$scratch/p.log" "zsp_atomic_sleep|scheduling while atomic: insmod"
{ cat "$scratch/p.log"; echo "[   30.000000] WARNING: CPU: 0 PID: 1 at mm/zswap.c:1018 zswap_frontswap_load+0x1a2/0x3c0"; } > "$scratch/p2.log"
check "an unrelated report still fails next to an allowed one" 1 "zswap_frontswap_load" "$scan" "$scratch/p2.log" "zsp_atomic_sleep|scheduling while atomic: insmod"
# A real console of the zspsleep negative control: its two reports and their
# traces (which include lockdep_* frames) are the provoked ones.
real=$data/console-provoked-real.log
check "a recorded provoked console fails without an allow pattern" 1 "sleeping function called" "$scan" "$real"
check "a recorded provoked console passes when its reports are allowed" 0 "" "$scan" "$real" \
	"BUG: sleeping function called from invalid context|BUG: scheduling while atomic"
# The power-off's own artifact (seen once in a make test run): a task forked
# while the CPUs stop is woken on an offline one. Ignored after "reboot:
# Power down" only, and only alone.
poweroff_warn() {
	echo "[   15.230835] reboot: Power down"
	echo "[   15.232896] sched: Unexpected reschedule of offline CPU#1!"
	echo "[   15.232896] WARNING: CPU: 3 PID: 1 at ../linux/arch/x86/kernel/apic/ipi.c:68 native_smp_send_reschedule+0x31/0x40"
	echo "[   15.232896] Call Trace:"
	echo "[   15.232896]  check_preempt_curr+0x37/0x80"
}
{ cat "$data/console-clean.log"; poweroff_warn; } > "$scratch/off.log"
check "the power-off's reschedule warning after 'reboot: Power down' is ignored" 0 "" "$scan" "$scratch/off.log"
{ cat "$data/console-clean.log"; poweroff_warn; echo "[   15.240000] BUG: KASAN: use-after-free in swap_readpage+0x10/0x20"; } > "$scratch/off2.log"
check "another report after the power-off still fails" 1 "reports a kernel problem" "$scan" "$scratch/off2.log"
{ head -20 "$data/console-clean.log"; poweroff_warn | tail -n +2; tail -n +21 "$data/console-clean.log"; } > "$scratch/off3.log"
check "the same warning before the power-off fails" 1 "native_smp_send_reschedule" "$scan" "$scratch/off3.log"
check "the recorded power-off console of guest/zram passes" 0 "" "$scan" "$data/console-poweroff-warning.log"
check "a missing log is an error, not a pass" 2 "cannot read" "$scan" "$scratch/nonexistent.log"
tap_done
