#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The BPF tools on the host: percentile accuracy of the shared histogram
# code, and bad input (unknown flag, not root, a kernel without what the
# tools need) giving a clear message and the documented exit code.
. "$ZSP_TOP/selftests/host/lib.sh"
T=$ZSP_BUILD/tools

if gcc -O2 -Wall -I"$ZSP_TOP/bpf" -I"$ZSP_TOP/tools" -o "$scratch/hist_accuracy" \
	"$ZSP_TOP/selftests/host/hist_accuracy.c" "$ZSP_TOP"/tools/zsp_{cli,attach,maps,ksyms,output}.c \
	-lbpf -lelf -lz -lm 2> "$scratch/cc"; then
	"$scratch/hist_accuracy" > "$scratch/acc"
	rc=$?
	# Two checks for each of the five shapes.
	tap_relay "$scratch/acc" 10
	[ $rc -eq 0 ] || grep -q "^not ok" "$scratch/acc" || not_ok "hist_accuracy exited $rc"
else
	not_ok "hist_accuracy builds"
	sed 's/^/#   /' "$scratch/cc"
fi

for t in zswplat zsplock zspsleep; do
	if [ ! -x "$T/$t" ]; then
		not_ok "$t built (make tools)"
		continue
	fi
	check "$t: unknown flag is a usage error (exit 2)" 2 "unrecognized option" "$T/$t" --bogus
	check "$t: stray argument is a usage error (exit 2)" 2 "unexpected argument" "$T/$t" extra
	check "$t: bad interval is named (exit 2)" 2 "invalid interval" "$T/$t" -i 0
	check "$t: an interval beyond int is refused, not truncated (exit 2)" 2 "invalid interval" "$T/$t" -i 99999999999
	check "$t: an empty interval is refused (exit 2)" 2 "invalid interval" "$T/$t" -i ''
	check "$t: --help documents the exit codes" 0 "Exit status" "$T/$t" --help
	if id nobody >/dev/null 2>&1; then
		check "$t: as non-root, a one-line explanation (exit 1)" 1 "must run as root" \
			setpriv --reuid=nobody --regid=nogroup --clear-groups "$T/$t" -d 1
	fi
	# This host's own kernel is a real "lacks what I need" case when it has
	# neither kprobes nor working BPF trampolines.
	if [ ! -e /sys/bus/event_source/devices/kprobe ] && [ ! -e /sys/kernel/tracing/kprobe_events ] &&
		! grep -qw vfs_read /sys/kernel/tracing/available_filter_functions 2>/dev/null; then
		check "$t: on a kernel without kprobes or trampolines, says so (exit 1)" 1 \
			"neither BPF trampolines .* nor kprobes" timeout 20 "$T/$t" -d 1
	else
		skip "$t: kernel without kprobes or trampolines" "this host kernel has kprobes or ftrace, and no test kernel lacks both: the message is not tested"
	fi
done
if [ -x "$T/zsplock" ]; then
	check "zsplock: unknown lock in -l is named (exit 2)" 2 "invalid lock list 'zspage,bogus'" \
		"$T/zsplock" -l zspage,bogus
	check "zsplock: an empty -t is refused, not read as 0 (exit 2)" 2 "invalid number of stacks: ''" \
		"$T/zsplock" -t ''
fi
if [ -x "$T/zspsleep" ]; then
	check "zspsleep: -s beyond int is refused (exit 2)" 2 "invalid number of stacks: '99999999999'" \
		"$T/zspsleep" -s 99999999999
fi
tap_done
