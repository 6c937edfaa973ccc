#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Migration and compaction against readers: thrash zswap while memory
# compaction migrates zsmalloc pages (/proc/sys/vm/compact_memory) and the
# zsmalloc shrinker compacts pools (drop_caches runs it), with loads made to
# sleep inside the read section so writers meet held zspage locks. Every
# page must verify; zsplock must see the write side, and with the series the
# writers' try-lock back-offs.
# vm: -m 512M -t 900
. "$ZSP_TOP/selftests/guest/lib.sh"
T=$ZSP_BUILD/tools
knob=/sys/kernel/debug/zswap/debug_load_sleep_us

zswap_use zsmalloc lzo
"$T/zsplock" -j -t 2 > /tmp/lock.json 2> /tmp/lock.err &
lock=$!
for _ in $(seq 60); do
	grep -q "tracing zspage" /tmp/lock.err && break
	sleep 0.5
done
[ -w "$knob" ] && echo 200 > "$knob"
"$ZSP_BIN/zswap-stress" -m 128 -c 40 -P 2 -p 1000 -w 20 -T 60 -Z 5000 -j > /tmp/stress.json 2> /tmp/stress.err &
stress=$!
rounds=0
while kill -0 $stress 2>/dev/null; do
	echo 1 > /proc/sys/vm/compact_memory
	echo 2 > /proc/sys/vm/drop_caches
	rounds=$((rounds + 1))
	sleep 0.5
done
wait $stress
rc=$?
[ -w "$knob" ] && echo 0 > "$knob"
kill -INT $lock
wait $lock
cat /tmp/stress.err /tmp/lock.err
echo "# stress: $(cat /tmp/stress.json)"
[ $rc -eq 0 ] && ok "every page verified through $rounds compaction rounds" ||
	not_ok "zswap-stress exit $rc during compaction ($(head -1 /tmp/stress.err))"
[ "$(grep compact_migrate_scanned /proc/vmstat | awk '{print $2}')" -gt 0 ] &&
	ok "memory compaction ran ($(grep -E '^compact_(migrate_scanned|success|fail) ' /proc/vmstat | tr '\n' ' '))" ||
	not_ok "memory compaction never scanned a page"
python3 - /tmp/lock.json "$ZSP_VARIANT" > /tmp/checks <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
w = d["locks"]["zspage-write"]
r = d["locks"]["zspage-read"]
print(("ok" if w["hold"]["count"] > 0 else "not ok"),
      f"1 zsplock saw {w['hold']['count']} zspage write-side holds (max {w['hold']['max_ns']} ns)")
print(f"# zspage-read: {r['hold']['count']} holds, {100 * r['preempt_off_share']:.1f}% preempt-off; "
      f"write try-lock back-offs: {w['trylock_fail']}; traced: {w['traced']}")
if sys.argv[2] != "base":
    print(("ok" if w["trylock_fail"] > 0 else "not ok"),
          f"2 writers met sleeping readers and backed off {w['trylock_fail']} times")
PY
while read -r line; do
	case $line in
	"ok "*) ok "${line#ok [0-9]* }" ;;
	"not ok "*) not_ok "${line#not ok [0-9]* }" ;;
	*) echo "$line" ;;
	esac
done < /tmp/checks
grep -qE "^(not )?ok 1 " /tmp/checks || not_ok "zsplock report parsed"
tap_done
