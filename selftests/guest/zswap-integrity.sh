#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# zswap integrity under pressure: every compressor with zsmalloc, zbud and
# z3fold once. Each case fills more than its memory cgroup may keep resident,
# reads everything back in random order over several passes, verifies every
# byte, and requires zswap to have served a meaningful number of loads.
# zspsleep --fail watches the whole suite: no sleeping or scheduling in atomic
# context may happen on these paths.
# On the kernel without CONFIG_COMPACTION (ZSP_VARIANT=nocompact) only
# zsmalloc/lzo runs, without zspsleep (that kernel has no BTF): the other
# zpools do not change with that option, and make test has no time for
# all; zsmalloc-compact-sleeping is that kernel's real test.
# vm: -m 512M -t 1500
# also: nocompact
. "$ZSP_TOP/selftests/guest/lib.sh"

# The nocompact kernel has no BTF (no debug info, to build in less time):
# zspsleep watches the suite on the debug kernels only.
watch=1
[ "${ZSP_VARIANT:-}" != nocompact ] || watch=0
if [ $watch = 1 ]; then
	tool_start zspsleep /tmp/sleep.json -j --fail
	grep -q "might-sleep checks" /tmp/sleep.json.err && ok "zspsleep watches might-sleep checks during the suite" ||
		not_ok "zspsleep attached ($(head -2 /tmp/sleep.json.err | tr '\n' ' '))"
else
	skip "zspsleep watches the suite" "the nocompact kernel has no BTF; the debug kernel's run is watched"
fi

mib=${ZSP_INTEGRITY_MIB:-64}
cg=${ZSP_INTEGRITY_CG:-24}
# At least a third of what cannot stay resident must come back via zswap.
min_loads=$(((mib - cg) * 256 / 3))

cases="zsmalloc/lzo zsmalloc/lz4 zsmalloc/lz4hc zsmalloc/zstd zsmalloc/deflate zbud/lzo z3fold/lz4"
[ "${ZSP_VARIANT:-}" != nocompact ] || cases="zsmalloc/lzo"
for c in $cases; do
	pool=${c%/*} comp=${c#*/}
	if ! zswap_use "$pool" "$comp"; then
		not_ok "integrity $c: cannot select zpool $pool with compressor $comp"
		continue
	fi
	res=$("$ZSP_BIN/zswap-stress" -m "$mib" -c "$cg" -p 3 -Z "$min_loads" -j 2>/tmp/err)
	rc=$?
	cat /tmp/err
	echo "# $c: $res"
	loads=$(json_field zswpin <<< "$res")
	stores=$(json_field zswpout <<< "$res")
	if [ $rc -eq 0 ]; then
		ok "integrity $c: $(json_field verified <<< "$res") page reads verified, $stores pages stored, $loads loaded"
	else
		not_ok "integrity $c: zswap-stress exit $rc ($(head -1 /tmp/err))"
	fi
done
[ $watch = 1 ] || tap_done
tool_stop zspsleep
rc=$?
events=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["events"])' /tmp/sleep.json 2>/dev/null)
[ $rc -eq 0 ] && [ "$events" = 0 ] && ok "zspsleep saw 0 atomic-context events during the suite" ||
	not_ok "zspsleep saw ${events:-?} atomic-context events during the suite (exit $rc): $(head -c 400 /tmp/sleep.json)"
tap_done
