#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# With the series, the zswap load path never sleeps in atomic context:
# zspsleep --fail stays at zero events while the integrity workload thrashes
# zswap with every zsmalloc compressor.
# vm: -m 512M -t 600
. "$ZSP_TOP/selftests/guest/lib.sh"
T=$ZSP_BUILD/tools

"$T/zspsleep" -j --fail > /tmp/sleep.json 2> /tmp/sleep.err &
pid=$!
for _ in $(seq 60); do
	grep -q "scheduling while atomic (" /tmp/sleep.err && break
	sleep 0.5
done
grep -q "might-sleep checks" /tmp/sleep.err && ok "might-sleep checks attached" ||
	not_ok "might-sleep checks attached ($(head -1 /tmp/sleep.err))"
for c in lzo zstd deflate; do
	zswap_use zsmalloc "$c"
	"$ZSP_BIN/zswap-stress" -m 64 -c 24 -p 2 -Z 2000 -j > /tmp/res 2> /tmp/err &&
		ok "workload with $c verified" || not_ok "workload with $c: $(head -1 /tmp/err)"
done
kill -INT $pid
wait $pid
rc=$?
cat /tmp/sleep.err
events=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["events"])' /tmp/sleep.json 2>/dev/null)
echo "# zspsleep: $(head -c 600 /tmp/sleep.json)"
[ $rc -eq 0 ] && [ "$events" = 0 ] && ok "zspsleep --fail saw 0 atomic-context events" ||
	not_ok "zspsleep saw ${events:-?} events (exit $rc)"
tap_done
