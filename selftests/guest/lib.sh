# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Helpers for guest tests (sourced inside the QEMU guest): TAP output
# (selftests/tap.sh), zswap parameter handling, starting tools
# (scripts/vm/guest-tools.sh) and compaction.

. "$ZSP_TOP/selftests/tap.sh"
. "$ZSP_TOP/scripts/vm/guest-tools.sh"

# zswap_use ZPOOL COMPRESSOR: make new stores go to that pool.
zswap_use() {
	echo "$1" > /sys/module/zswap/parameters/zpool &&
		echo "$2" > /sys/module/zswap/parameters/compressor &&
		[ "$(cat /sys/module/zswap/parameters/zpool)" = "$1" ] &&
		[ "$(cat /sys/module/zswap/parameters/compressor)" = "$2" ]
}

# zswap_pools: the names of zswap's zsmalloc pools, oldest first, from their
# debugfs directories (a pool's directory goes when the pool is destroyed).
zswap_pools() {
	local d

	for d in /sys/kernel/debug/zsmalloc/zswap*; do
		if [ -d "$d" ]; then echo "${d##*/}"; fi
	done | sort -V
}

# zswap_pool_gone POOL SECONDS: wait up to SECONDS for zswap_pools to lose
# POOL (a pool is released by a work item after an RCU grace period, so not
# at once); true once it has.
zswap_pool_gone() {
	local _

	for _ in $(seq "$2"); do
		zswap_pools | grep -qx "$1" || return 0
		sleep 1
	done
	! zswap_pools | grep -qx "$1"
}

# json_field NAME: read a number from the zswap-stress JSON line on stdin.
# vmstat_field NAME: the value of NAME in /proc/vmstat.
vmstat_field() {
	awk -v k="$1" '$1 == k {print $2}' /proc/vmstat
}

json_field() {
	sed -n "s/.*\"$1\": \\([0-9.]*\\).*/\\1/p"
}

# compact_while PID: until PID exits, every half second compact memory
# (page migration) and shrink slabs (zsmalloc's shrinker compacts its
# pools' classes), plus whatever the caller's compact_extra function does.
# Prints the number of rounds.
compact_while() {
	local rounds=0

	while kill -0 "$1" 2>/dev/null; do
		declare -F compact_extra >/dev/null && compact_extra
		# Absent without CONFIG_COMPACTION; the shrinker still runs.
		[ ! -e /proc/sys/vm/compact_memory ] || echo 1 > /proc/sys/vm/compact_memory
		echo 2 > /proc/sys/vm/drop_caches
		rounds=$((rounds + 1))
		sleep 0.5
	done
	echo $rounds
}

# mixed_pages MIB RUN: MIB MiB on stdout of the four page kinds zswap-stress
# also writes (noise, text, zeroes, half noise), RUN pages of a kind in a row
# (1: alternating pages; 256: 1 MiB blocks of one kind).
mixed_pages() {
	python3 - "$1" "$2" <<'PY'
import os, sys
mib, run = int(sys.argv[1]), int(sys.argv[2])
out = sys.stdout.buffer
for i in range(mib * 256):
    k = (i // run) % 4
    if k == 0:
        out.write(os.urandom(4096))
    elif k == 1:
        out.write(((b"zram text %08d " % i) * 216)[:4096])
    elif k == 2:
        out.write(bytes(4096))
    else:
        out.write(os.urandom(2048) + bytes(2048))
PY
}
