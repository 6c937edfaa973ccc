#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# zram as the only swap, zswap off (Android's and ChromeOS's setup): four
# processes in a 48 MiB memory cgroup thrash 128 MiB through a zram swap
# device and verify every page they read back, once per compressor (lzo,
# zstd), while the system compacts memory (page migration of zspages),
# zsmalloc's shrinker and the device's own compaction (sysfs "compact") run
# every half second, and CPUs 1..N-1 go offline and online in a loop (a
# compression stream whose CPU goes away under its user); in the zstd run
# every object read also sleeps 200 us inside its object (the test aid
# selftests/kernel/0005: entry locked, zspage read-locked, stream held), so
# migration and compaction meet readers that sleep. Half the pages
# are dropped after the fill, so the pool has holes to compact. Passes when
# every page read back is the one written, zram (not zswap, not the disk)
# served the swap-ins, the device compacted pages, and every hotplug cycle
# completed; the runner fails the test on any splat (lockdep, sleeping in
# atomic, hung task). A first short run flips a byte on purpose and must
# fail: the verifier would see a page zram returned wrong. On the base the
# same run has no sleeping readers: 6.1's zram reads cannot sleep, and the
# test aid does not exist there.
# vm: -m 768M -t 900
# base: expect
. "$ZSP_TOP/selftests/guest/lib.sh"

dev=zram0
sys=/sys/block/$dev
secs=${ZSP_ZRAM_SWAP_SECONDS:-30}
if [ ! -b /dev/$dev ]; then
	not_ok "zram device /dev/$dev present (CONFIG_ZRAM=y)"
	tap_done
fi
echo N > /sys/module/zswap/parameters/enabled 2>/dev/null
swapoff -a
ncpu=$(nproc --all)

# zram_swap_on ALG: a fresh 256 MiB zram swap device using ALG.
zram_swap_on() {
	echo 1 > $sys/reset &&
		echo "$1" > $sys/comp_algorithm &&
		echo 256M > $sys/disksize &&
		mkswap /dev/$dev > /dev/null &&
		swapon /dev/$dev
}

zram_swap_off() {
	swapoff /dev/$dev
	echo 1 > $sys/reset
}

compact_extra() {
	echo 1 > $sys/compact
}

# The verifier's own control: a byte flipped after the fill must be found.
if zram_swap_on lzo; then
	"$ZSP_BIN/zswap-stress" -m 64 -c 32 -p 1 -X -j > /tmp/flip.json 2> /tmp/flip.err
	rc=$?
	[ $rc -ne 0 ] && grep -q 'differs at byte' /tmp/flip.err &&
		ok "control: the verifier reports a byte flipped on purpose ($(head -1 /tmp/flip.err))" ||
		not_ok "control: a flipped byte went unseen (exit $rc: $(head -1 /tmp/flip.err))"
	zram_swap_off
else
	not_ok "control: set up zram swap with lzo"
fi

for alg in lzo zstd; do
	if ! zram_swap_on $alg; then
		not_ok "$alg: set up a zram swap device"
		continue
	fi
	knob=/sys/module/zram/parameters/debug_read_sleep_us
	sleep_us=0
	if [ $alg = zstd ]; then
		if [ -w $knob ]; then
			sleep_us=200
		elif [ "${ZSP_VARIANT:-}" = base ]; then
			echo "# $alg: base: no sleeping readers (no test aid; 6.1's zram reads cannot sleep)"
		else
			not_ok "$alg: the test aid $knob is there (selftests/kernel/0005)"
		fi
	fi
	[ ! -w $knob ] || echo $sleep_us > $knob
	"$ZSP_BIN/zswap-stress" -m 128 -c 48 -P 4 -p 1000000 -w 20 -D -T "$secs" -j \
		> /tmp/stress.json 2> /tmp/stress.err &
	stress=$!
	(
		cycles=0 errs=0
		while kill -0 $stress 2>/dev/null; do
			for ((c = 1; c < ncpu; c++)); do
				f=/sys/devices/system/cpu/cpu$c/online
				timeout 60 sh -c "echo 0 > $f && echo 1 > $f" || errs=$((errs + 1))
				echo 1 > "$f" 2>/dev/null
				cycles=$((cycles + 1))
			done
		done
		echo "$cycles $errs" > /tmp/hotplug.out
	) &
	hotplug=$!
	rounds=$(compact_while $stress)
	wait $stress
	rc=$?
	wait $hotplug
	[ ! -w $knob ] || echo 0 > $knob
	read -r cycles hp_errs < /tmp/hotplug.out
	res=$(cat /tmp/stress.json)
	echo "# $alg: $res"
	echo "# $alg: mm_stat $(cat $sys/mm_stat); io_stat $(cat $sys/io_stat)"
	read -r _ _ _ _ _ _ compacted _ < $sys/mm_stat
	pswpin=$(json_field pswpin <<< "$res")
	zswpin=$(json_field zswpin <<< "$res")
	if [ $rc -eq 0 ]; then
		ok "$alg: every page verified ($(json_field verified <<< "$res") reads) through zram swap under compaction and hotplug, readers sleeping ${sleep_us} us in their objects"
	else
		not_ok "$alg: zswap-stress exit $rc ($(head -1 /tmp/stress.err))"
	fi
	[ "${pswpin:-0}" -ge 10000 ] && [ "${zswpin:-1}" -eq 0 ] &&
		ok "$alg: zram served the swap-ins ($pswpin swap-ins, 0 from zswap)" ||
		not_ok "$alg: zram served too few swap-ins (pswpin ${pswpin:-?}, zswpin ${zswpin:-?}; want >= 10000 and 0)"
	[ "${compacted:-0}" -gt 0 ] &&
		ok "$alg: the device compacted $compacted pages in $rounds rounds beside the readers" ||
		not_ok "$alg: the device compacted no pages in $rounds rounds"
	if [ "$ncpu" -lt 2 ]; then
		skip "$alg: CPU hotplug beside zram readers" "needs 2+ CPUs (have $ncpu)"
	else
		[ "$cycles" -ge 1 ] && [ "$hp_errs" -eq 0 ] &&
			ok "$alg: $cycles CPU offline/online cycles completed beside zram readers" ||
			not_ok "$alg: CPU hotplug: $hp_errs of $cycles cycles failed or hung"
	fi
	zram_swap_off
done
tap_done
