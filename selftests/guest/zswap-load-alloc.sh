#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Allocation-free load: count slab allocations whose call site lies in the
# zswap load path (zswap_frontswap_load / zswap_load and the helpers it calls)
# with a histogram trigger on the kmem tracepoints, while zswap serves loads.
# With the series the count must be 0; on the base kernel (ZSP_VARIANT=base)
# it must be about one per compressed load, which shows the probe works.
# vm: -m 512M -t 600
# base: expect
. "$ZSP_TOP/selftests/guest/lib.sh"

T=/sys/kernel/tracing
variant=${ZSP_VARIANT:-series}
# [start, end) of every load-path function, from kallsyms order.
ranges=$(sort /proc/kallsyms | awk '
	prev != "" { printf "%s %s %s\n", prev, $1, name; prev = "" }
	$3 ~ /^(zswap_frontswap_load|zswap_load|zswap_decompress|acomp_ctx_get_cpu_lock)(\.|$)/ { prev = $1; name = $3 }')
if [ -z "$ranges" ]; then
	not_ok "load path symbols found in /proc/kallsyms"
	tap_done
fi
echo "# load path: $(awk '{print $3}' <<< "$ranges" | tr '\n' ' ')"
filter=$(awk '{printf "%s(call_site >= 0x%s && call_site < 0x%s)", (NR > 1 ? " || " : ""), $1, $2}' <<< "$ranges")
events=()
for e in "$T"/events/kmem/kmalloc*/ "$T"/events/kmem/kmem_cache_alloc*/; do
	[ -d "$e" ] || continue
	grep -q 'field:unsigned long call_site' "$e/format" 2>/dev/null || continue
	echo "hist:keys=call_site.sym:vals=hitcount if $filter" > "$e/trigger" || {
		not_ok "histogram trigger on $(basename "$e")"
		tap_done
	}
	events+=("$e")
done
[ ${#events[@]} -gt 0 ] && ok "counting allocations on ${#events[@]} kmem events" || not_ok "kmem events with call_site"

zswap_use zsmalloc lzo
res=$("$ZSP_BIN/zswap-stress" -m 160 -c 48 -p 2 -k ntmg -Z 5000 -j 2>/tmp/err)
rc=$?
cat /tmp/err
loads=$(json_field zswpin <<< "$res")
allocs=0
for e in "${events[@]}"; do
	cat "$e/hist" | grep -E '^\{' | sed 's/^/# /'
	n=$(awk '/^\{/ {for (i = 1; i <= NF; i++) if ($i == "hitcount:") s += $(i + 1)} END {print s + 0}' "$e/hist")
	allocs=$((allocs + n))
	echo "!hist:keys=call_site.sym:vals=hitcount if $filter" > "$e/trigger"
done
[ $rc -eq 0 ] && ok "workload verified with $loads zswap loads" || not_ok "workload: exit $rc $(head -1 /tmp/err)"
echo "# $variant kernel: $allocs slab allocations from the load path over $loads loads"
if [ "$variant" = base ]; then
	[ "$allocs" -gt $((loads / 2)) ] && ok "base kernel allocates on the load path ($allocs allocations, $loads loads)" ||
		not_ok "base kernel: expected about one allocation per load, saw $allocs over $loads loads"
else
	[ "$allocs" -eq 0 ] && [ "${loads:-0}" -gt 0 ] && ok "no slab allocation on the load path over $loads loads" ||
		not_ok "$allocs slab allocations on the load path over $loads loads"
fi
tap_done
