#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Objects that straddle two pages: pages whose compressed size sweeps every
# zsmalloc size class ("graded" pages: a noise prefix of 1..4095 bytes, then
# zeroes), mixed with text and same-filled pages, go through zswap and come
# back byte for byte. The pool must really
# have held objects in classes whose objects cross page boundaries (a class
# size that does not divide the page size).
# vm: -m 512M -t 600
. "$ZSP_TOP/selftests/guest/lib.sh"

straddlers() {
	awk 'NR > 1 && $1 ~ /^[0-9]+$/ && 4096 % $2 != 0 {n += $6} END {print n + 0}' \
		/sys/kernel/debug/zsmalloc/zswap*/classes 2>/dev/null
}
for c in lzo zstd; do
	zswap_use zsmalloc "$c"
	# zswap's compressed pages count against the memory cgroup: with half
	# the pages graded (about half their size compressed) and the rest text
	# and same-filled, the pool stays well inside the limit.
	"$ZSP_BIN/zswap-stress" -m 96 -c 40 -p 3 -k gts -s 11 -Z 3000 -j > /tmp/res 2> /tmp/err &
	pid=$!
	most=0
	while kill -0 $pid 2>/dev/null; do
		n=$(straddlers)
		[ "$n" -gt "$most" ] && most=$n
		sleep 1
	done
	wait $pid
	rc=$?
	cat /tmp/err
	echo "# $c: $(cat /tmp/res)"
	[ $rc -eq 0 ] && ok "$c: graded, text and same-filled pages verified byte for byte ($(json_field zswpin < /tmp/res) loads)" ||
		not_ok "$c: zswap-stress exit $rc ($(head -1 /tmp/err))"
	[ "$most" -gt 1000 ] && ok "$c: up to $most objects stored in page-straddling size classes" ||
		not_ok "$c: only $most objects in page-straddling size classes"
done
tap_done
