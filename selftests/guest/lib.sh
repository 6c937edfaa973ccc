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
