#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scan-console.sh LOG [ALLOW_REGEX]: exit 1, quoting the report, if the guest
# console shows a kernel BUG, WARNING, lockdep report, sleeping or scheduling
# in atomic context, KASAN report, oops, panic, lockup or stall. Only kernel
# lines (printk's "[ seconds]" prefix) are read, so what a test program prints
# can never trip or hide it. ALLOW_REGEX names reports a negative-control test
# provokes on purpose.
set -uo pipefail

log=${1:?usage: scan-console.sh LOG [ALLOW_REGEX]}
allow=${2:-}
[ -r "$log" ] || { echo "scan-console.sh: cannot read $log" >&2; exit 2; }

bad='BUG:|WARNING:|kernel BUG at|Oops|general protection fault|Kernel panic|'
bad+='sleeping function called from invalid context|scheduling while atomic|'
bad+='KASAN|UBSAN|possible recursive locking|possible circular locking|'
bad+='inconsistent lock state|lock held when returning|DEBUG_LOCKS_WARN_ON|'
bad+='INFO: lockdep is turned off|INFO: task .* blocked for more than|soft lockup|'
bad+='hard LOCKUP|rcu_.* detected stalls|Call Trace:|list_add corruption|list_del corruption'
# A report's own first line; everything else that matches is part of a report.
headline='BUG:|WARNING:|kernel BUG at|Oops|general protection fault|Kernel panic|INFO:|DEBUG_LOCKS_WARN_ON|corruption'

hits=$(grep -a -n -E '^\[ *[0-9]+\.[0-9]+\]' "$log" | grep -a -E "$bad" |
	grep -a -v -E 'lockdep: .* disabled|Lock dependency validator|lockdep: fixing up alternatives' || true)
if [ -n "$allow" ] && [ -n "$hits" ]; then
	hits=$(grep -a -v -E "$allow" <<< "$hits" || true)
	# A provoked report carries a trace of its own: a matching line that
	# is not a report's first line and follows an allowed report within 60
	# lines belongs to it. A report of any other kind still counts.
	if [ -n "$hits" ]; then
		kept=
		while IFS= read -r h; do
			n=${h%%:*}
			if ! grep -a -q -E "$headline" <<< "${h#*:}" &&
				sed -n "$((n > 60 ? n - 60 : 1)),${n}p" "$log" | grep -a -q -E "$allow"; then
				continue
			fi
			kept+=$h$'\n'
		done <<< "$hits"
		hits=${kept%$'\n'}
	fi
fi
# Once the power-off has begun ("reboot: Power down", after the test wrote
# its status), one report comes from the power-off itself: a task forked
# at that moment is woken on a CPU already stopped ("sched: Unexpected
# reschedule of offline CPU", a WARNING in arch/x86/kernel/apic/ipi.c). It
# alone is ignored there; any other report after the power-off still
# counts, and so does everything before it.
pd=$(grep -a -n -m1 'reboot: Power down' "$log" | cut -d: -f1)
if [ -n "$pd" ] && [ -n "$hits" ] &&
	tail -n +"$pd" "$log" | grep -a -q 'sched: Unexpected reschedule of offline CPU'; then
	late=$(awk -F: -v p="$pd" '$1 > p' <<< "$hits" | grep -a -E "$headline" |
		grep -a -v -E 'WARNING: CPU: [0-9]+ PID: [0-9]+ at .*arch/x86/kernel/apic/ipi\.c' || true)
	[ -n "$late" ] || hits=$(awk -F: -v p="$pd" '$1 <= p' <<< "$hits")
fi
[ -z "$hits" ] && exit 0

first=$(head -1 <<< "$hits")
n=${first%%:*}
echo "guest console $log reports a kernel problem:" >&2
sed -n "${n},$((n + 25))p" "$log" | sed 's/^/  | /' >&2
more=$(($(wc -l <<< "$hits") - 1))
[ "$more" -gt 0 ] && echo "  ($more more matching line(s); first at line $n)" >&2
exit 1
