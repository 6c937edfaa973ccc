#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The BPF tools on the host: percentile accuracy of the shared histogram
# code, the report tree printed as JSON and as text, and bad input (unknown flag, not root, a kernel without what the
# tools need) giving a clear message and the documented exit code.
. "$ZSP_TOP/selftests/host/lib.sh"
T=$ZSP_BUILD/tools

if gcc -O2 -Wall -I"$ZSP_TOP/bpf" -I"$ZSP_TOP/tools" -o "$scratch/hist_accuracy" \
	"$ZSP_TOP/selftests/host/hist_accuracy.c" "$ZSP_TOP"/tools/zsp_{cli,attach,maps,ksyms,output,result}.c \
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

# The report tree, printed both ways from one tree.
if gcc -O2 -Wall -I"$ZSP_TOP/bpf" -I"$ZSP_TOP/tools" -o "$scratch/result_model" \
	"$ZSP_TOP/selftests/host/result_model.c" "$ZSP_TOP"/tools/zsp_{cli,attach,maps,ksyms,output,result}.c \
	-lbpf -lelf -lz -lm 2> "$scratch/cc"; then
	"$scratch/result_model" json > "$scratch/rm.json" 2> "$scratch/rm.jerr"
	"$scratch/result_model" text > "$scratch/rm.txt" 2> "$scratch/rm.terr"
	PYTHONPATH=$ZSP_TOP/selftests python3 - "$scratch" > "$scratch/rm.tap" 2>&1 <<'PY'
import json, sys
from tap import tap
d = sys.argv[1]
try:
    j = json.load(open(f"{d}/rm.json"))
except ValueError as e:
    j = None
    tap(False, f"report tree as JSON parses ({e})")
if j is not None:
    z = j.get("locks", {}).get("zspage", {})
    tap(j.get("tool") == "result_model" and j.get("seconds") == 1.5 and j.get("loads") == 42
        and j.get("json_only") == 7 and z.get("hold_ns") == 2500 and z.get("share") == 0.25
        and z.get("traced") == 'fentry "quoted"' and z.get("hold", {}).get("count") == 100
        and "log2_ns" in z.get("wait", {}) and "log2_ns" not in z.get("hold", {})
        and j.get("names") == ["first", "second"] and j.get("grouped_count") == 3
        and j.get("lost") == {"recursion_misses": 5, "dropped": 6}
        and j.get("not_finite", 0) is None and j.get("bytes") == "caf\u00c3",
        "report tree as JSON: every member where the tree put it, a text grouping adds no level, "
    "NaN as null, a non-UTF-8 byte escaped")
    tap("note" not in open(f"{d}/rm.json").read(), "report tree as JSON: text-only notes stay out")
t = open(f"{d}/rm.txt").read()
want = ["zswap loads: 42", "a text-only note", "zspage lock:", "held in all: 2.5 usecs",
        "share with preemption off: 0.2500", "hold ", "names:", "first", "second",
        "grouped:", "count in a group: 3"]
miss = [w for w in want if w not in t]
tap(not miss, "report tree as text: every labelled figure shown" + (f" (missing: {miss})" if miss else ""))
extra = [w for w in ("json_only", "quoted", "wait", "result_model", "recursion") if w in t]
tap(not extra, "report tree as text: JSON-only members left out" + (f" (shown: {extra})" if extra else ""))
losses = open(f"{d}/rm.terr").read()
tap("5 program runs skipped" in losses and "6 dropped" in losses and not open(f"{d}/rm.jerr").read(),
    "lost events: one line on stderr in text, a JSON member with -j")
PY
	tap_relay "$scratch/rm.tap" 5
else
	not_ok "result_model builds"
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
