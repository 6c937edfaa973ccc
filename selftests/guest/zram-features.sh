#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What 6.1's zram does keeps working: on three devices at once (two added
# through zram-control), each with its own compressor, mixed data (noise:
# huge entries; text: compressed; zeroes: same-filled; half-noise) is
# written and read back; idle marking and writeback of idle and of huge
# pages to a backing device (the guest's swap disk) move pages out, which
# read back from there (bd_stat); discard frees entries (mm_stat);
# mem_limit makes writes past it fail and keeps the pool below it; sysfs
# compaction runs; the compressor of a reset device can be changed.
# Partial-page I/O is not reachable here: zram's logical block is 4 KiB,
# as x86's page, so only kernels with larger pages (arm64 16K/64K) do it.
# The guest has no /dev/fd: no process substitution.
# vm: -m 512M -t 600
# base: expect
. "$ZSP_TOP/selftests/guest/lib.sh"

ctl=/sys/class/zram-control
if [ ! -d $ctl ] || [ ! -b /dev/zram0 ]; then
	not_ok "zram with zram-control present (CONFIG_ZRAM=y)"
	tap_done
fi
swapoff -a

# 16 MiB of the four kinds, 1 MiB blocks each of a single kind.
mixed_pages 16 256 > /tmp/data
mm_field() { awk -v f="$2" '{print $f}' "/sys/block/$1/mm_stat"; }
readback() { # DEV MIB: the first MIB MiB of DEV equal /tmp/data's
	dd if="/dev/$1" of=/tmp/back bs=1M count="$2" iflag=direct status=none &&
		head -c "$(($2 << 20))" /tmp/data > /tmp/want &&
		cmp -s /tmp/want /tmp/back
}

# Several devices, each with its own compressor.
devs=(zram0)
for i in 1 2; do
	id=$(cat $ctl/hot_add) && devs+=("zram$id") || not_ok "zram-control hot_add"
done
algs=(lzo zstd lz4)
n=0
for i in "${!devs[@]}"; do
	d=${devs[$i]}
	echo 1 > /sys/block/$d/reset
	echo "${algs[$i]}" > /sys/block/$d/comp_algorithm &&
		echo 32M > /sys/block/$d/disksize &&
		dd if=/tmp/data of=/dev/$d bs=1M oflag=direct status=none &&
		readback "$d" 16 && n=$((n + 1))
done
[ $n -eq ${#devs[@]} ] &&
	ok "${#devs[@]} devices (${devs[*]}) with ${algs[*]} each read back 16 MiB identical" ||
	not_ok "only $n of ${#devs[@]} devices read back identical"
d=zram0
same=$(mm_field $d 6) huge=$(mm_field $d 8)
[ "$same" -ge 256 ] && [ "$huge" -ge 256 ] &&
	ok "same-filled ($same) and huge ($huge) entries made and read back" ||
	not_ok "expected at least 256 same-filled and 256 huge entries (got $same, $huge)"
read -r -a io < /sys/block/$d/io_stat
[ "${#io[@]}" -ge 4 ] && [ "${io[0]}${io[1]}${io[2]}" = 000 ] &&
	ok "io_stat reads '${io[*]}': no failed reads, writes or invalid I/O" ||
	not_ok "io_stat reads '${io[*]}'"

# Discard: the first 4 MiB (one block of each kind) go; the rest stays.
stored=$(mm_field $d 1)
blkdiscard -o 0 -l 4M /dev/$d && after=$(mm_field $d 1) &&
	[ "$after" -le $((stored - (4 << 20))) ] &&
	dd if=/dev/$d of=/tmp/back bs=1M skip=4 count=12 iflag=direct status=none &&
	tail -c +$(((4 << 20) + 1)) /tmp/data > /tmp/want && cmp -s /tmp/want /tmp/back &&
	ok "discard of 4 MiB freed them (orig_data_size $stored -> $after), the rest reads back" ||
	not_ok "discard: orig_data_size $stored -> ${after:-?}"
# The discard left holes in the zspages: sysfs compaction frees pages.
echo 1 > /sys/block/$d/compact && [ "$(mm_field $d 7)" -gt 0 ] &&
	ok "sysfs compaction after the discard freed $(mm_field $d 7) pages" ||
	not_ok "sysfs compaction after the discard freed no page"

# Writeback to a backing device: the guest's swap disk, unused with swap off.
bdev=/dev/vda
wb=/sys/block/$d/backing_dev
if [ ! -e $wb ]; then
	not_ok "zram has writeback (CONFIG_ZRAM_WRITEBACK)"
elif [ ! -b $bdev ]; then
	not_ok "a backing device $bdev"
else
	echo 1 > /sys/block/$d/reset
	echo $bdev > $wb && echo 32M > /sys/block/$d/disksize &&
		dd if=/tmp/data of=/dev/$d bs=1M oflag=direct status=none ||
		not_ok "set up $d with backing device $bdev"
	echo huge > /sys/block/$d/writeback
	read -r -a bd < /sys/block/$d/bd_stat
	huge_wb=${bd[2]:-0}
	echo all > /sys/block/$d/idle && echo idle > /sys/block/$d/writeback
	read -r -a bd < /sys/block/$d/bd_stat
	[ "$huge_wb" -ge 256 ] && [ "${bd[2]}" -gt "$huge_wb" ] &&
		ok "writeback: $huge_wb huge pages, then idle ones up to ${bd[2]} pages written to $bdev (bd_count ${bd[0]})" ||
		not_ok "writeback: bd_stat '${bd[*]}' after huge ($huge_wb) and idle writeback"
	readback $d 16 && read -r -a bd < /sys/block/$d/bd_stat && [ "${bd[1]}" -gt 0 ] &&
		ok "pages written back read back identical from $bdev (bd_reads ${bd[1]})" ||
		not_ok "read-back after writeback (bd_stat '${bd[*]}')"
	echo 1 > /sys/block/$d/reset
fi

# mem_limit: 2 MiB of pool for 16 MiB of data that does not compress well.
echo 1 > /sys/block/$d/reset
echo 32M > /sys/block/$d/disksize && echo 2M > /sys/block/$d/mem_limit
if dd if=/tmp/data of=/dev/$d bs=1M oflag=direct status=none 2>/dev/null; then
	not_ok "mem_limit 2M: a 16 MiB write of mostly incompressible data succeeded"
else
	# mem_used_max, bytes: the limit, plus at most one zspage (4 pages)
	# allocated before the check that frees it again.
	max=$(mm_field $d 5)
	[ "$max" -le $(((2 << 20) + 4 * 4096)) ] &&
		ok "mem_limit 2M: the write failed and the pool peaked at $max bytes" ||
		not_ok "mem_limit 2M: the pool peaked at $max bytes"
fi

# The compressor of a reset device changes.
echo 1 > /sys/block/$d/reset
if echo zstd > /sys/block/$d/comp_algorithm && grep -q '\[zstd\]' /sys/block/$d/comp_algorithm; then
	ok "comp_algorithm of a reset device changes (lzo -> zstd)"
else
	not_ok "comp_algorithm change to zstd"
fi
echo 1 > /sys/block/$d/reset
for d in "${devs[@]:1}"; do
	echo 1 > /sys/block/$d/reset
	echo "${d#zram}" > $ctl/hot_remove
done
tap_done
