#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Allocation-free load: count the slab and page allocations made while a
# zswap load function (zswap_frontswap_load / zswap_load) is on the stack,
# so allocations in any helper it calls (zpool, zsmalloc, crypto) count too,
# up to the 16 frames a histogram trigger keeps: a stacktrace-keyed
# histogram on the kmem allocation tracepoints for the workload's
# processes, while zswap serves loads. With the series the count must be
# 0; on the base kernel (ZSP_VARIANT=base) it must be about one per
# compressed load, which shows the probe works.
# vm: -m 512M -t 600
# base: expect
. "$ZSP_TOP/selftests/guest/lib.sh"

T=/sys/kernel/tracing
variant=${ZSP_VARIANT:-series}
load_fns='zswap_frontswap_load|zswap_load'
grep -qE " ($load_fns)$" /proc/kallsyms || { not_ok "a zswap load function in /proc/kallsyms"; tap_done; }
trigger='hist:keys=stacktrace:vals=hitcount:size=16384 if comm == "zswap-stress"'
events=()
for e in "$T"/events/kmem/kmalloc*/ "$T"/events/kmem/kmem_cache_alloc*/ "$T"/events/kmem/mm_page_alloc/; do
	[ -d "$e" ] || continue
	echo "$trigger" > "$e/trigger" || {
		not_ok "stacktrace histogram on $(basename "$e")"
		tap_done
	}
	events+=("$e")
done
[ ${#events[@]} -ge 3 ] && ok "counting allocations by stack on ${#events[@]} kmem events" ||
	not_ok "kmem allocation events (${#events[@]} found)"

zswap_use zsmalloc lzo
res=$("$ZSP_BIN/zswap-stress" -m 160 -c 48 -p 2 -k ntmg -Z 5000 -j 2>/tmp/err)
rc=$?
cat /tmp/err
loads=$(json_field zswpin <<< "$res")
allocs=0
for e in "${events[@]}"; do
	# One entry per distinct stack: "{ stacktrace:", frames, "} hitcount: N".
	n=$(awk -v re="^($load_fns)[+.]" '
		/^\{ stacktrace:/ { hit = 0; next }
		/^\}/ { if (hit) s += $3; next }
		{ f = $1; if (f ~ re) hit = 1 }
		END { print s + 0 }' "$e/hist")
	dropped=$(awk '/Dropped:/ {print $2}' "$e/hist")
	echo "# $(basename "$e"): $n allocations under a load function; ${dropped:-0} entries dropped"
	[ "${dropped:-0}" -eq 0 ] || not_ok "$(basename "$e"): the histogram dropped $dropped entries"
	awk -v re="^($load_fns)[+.]" '/^\{ stacktrace:/ {b = ""; hit = 0} {b = b "\n# " $0; if ($1 ~ re) hit = 1} /^\}/ && hit {print b}' "$e/hist" | head -40
	allocs=$((allocs + n))
	echo "!$trigger" > "$e/trigger"
done
[ $rc -eq 0 ] && ok "workload verified with $loads zswap loads" || not_ok "workload: exit $rc $(head -1 /tmp/err)"
echo "# $variant kernel: $allocs allocations under a load function over $loads loads"
if [ "$variant" = base ]; then
	[ "$allocs" -gt $((loads / 2)) ] && ok "base kernel allocates on the load path ($allocs allocations, $loads loads)" ||
		not_ok "base kernel: expected about one allocation per load, saw $allocs over $loads loads"
else
	[ "$allocs" -eq 0 ] && [ "${loads:-0}" -gt 0 ] && ok "no allocation under a load function over $loads loads" ||
		not_ok "$allocs allocations under a load function over $loads loads"
fi
tap_done
