#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# zswap integrity under pressure: every compressor with zsmalloc, zbud and
# z3fold once. Each case fills more than its memory cgroup may keep resident,
# reads everything back in random order over several passes, verifies every
# byte, and requires zswap to have served a meaningful number of loads.
# vm: -m 512M -t 1500
. "$ZSP_TOP/selftests/guest/lib.sh"

mib=${ZSP_INTEGRITY_MIB:-64}
cg=${ZSP_INTEGRITY_CG:-24}
# At least a third of what cannot stay resident must come back via zswap.
min_loads=$(((mib - cg) * 256 / 3))

for c in zsmalloc/lzo zsmalloc/lz4 zsmalloc/lz4hc zsmalloc/zstd zsmalloc/deflate zbud/lzo z3fold/lz4; do
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
tap_done
