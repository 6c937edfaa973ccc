# SPDX-License-Identifier: GPL-2.0
# Helpers for guest tests (sourced inside the QEMU guest): TAP output and
# zswap parameter handling.

tap_n=0
tap_fail=0
echo "TAP version 13"

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n $*"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_fail=$((tap_fail + 1))
	echo "not ok $tap_n $*"
}

skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n $1 # SKIP $2"
}

tap_done() {
	echo "1..$tap_n"
	exit $((tap_fail > 0))
}

# zswap_use ZPOOL COMPRESSOR: make new stores go to that pool.
zswap_use() {
	echo "$1" > /sys/module/zswap/parameters/zpool &&
		echo "$2" > /sys/module/zswap/parameters/compressor &&
		[ "$(cat /sys/module/zswap/parameters/zpool)" = "$1" ] &&
		[ "$(cat /sys/module/zswap/parameters/compressor)" = "$2" ]
}

# json_field NAME: read a number from the zswap-stress JSON line on stdin.
json_field() {
	sed -n "s/.*\"$1\": \\([0-9.]*\\).*/\\1/p"
}

# tap_relay FILE: re-number the "ok N"/"not ok N" lines a helper (python
# checks) wrote to FILE into this test's TAP stream; other lines pass through.
tap_relay() {
	local line

	while read -r line; do
		case $line in
		"ok "*) ok "${line#ok [0-9]* }" ;;
		"not ok "*) not_ok "${line#not ok [0-9]* }" ;;
		*) echo "$line" ;;
		esac
	done < "$1"
}

# wait_for FILE TEXT [SECONDS]: wait up to SECONDS (default 30) for a
# background tool to print TEXT (its "attached" banner) into FILE.
wait_for() {
	local i

	for i in $(seq $((${3:-30} * 2))); do
		grep -q -F "$2" "$1" 2>/dev/null && return 0
		sleep 0.5
	done
	return 1
}

# compact_while PID: until PID exits, every half second compact memory
# (page migration) and shrink slabs (zsmalloc's shrinker compacts its
# pools' classes), plus whatever the caller's compact_extra function does.
# Prints the number of rounds.
compact_while() {
	local rounds=0

	while kill -0 "$1" 2>/dev/null; do
		declare -F compact_extra >/dev/null && compact_extra
		echo 1 > /proc/sys/vm/compact_memory
		echo 2 > /proc/sys/vm/drop_caches
		rounds=$((rounds + 1))
		sleep 0.5
	done
	echo $rounds
}
