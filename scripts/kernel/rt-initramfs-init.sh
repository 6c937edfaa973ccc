#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# rt-initramfs-init.sh: /init of the initramfs that fetch-rt-kernel.sh
# builds for Debian's packaged RT kernel, whose virtio, 9p, zsmalloc, lz4
# and zstd drivers are modules (busybox sh). It does what the project's own
# kernels do built in, then becomes guest-init.sh: load the modules, mount
# the host's / over 9p as run-vm.sh's command line asks, and switch root.
# Every module the guest needs is loaded here: the host's / has no module
# tree for this kernel (and often no /lib/modules at all), so nothing can
# be loaded on demand later.
export PATH=/bin
busybox mount -t proc proc /proc
busybox mount -t sysfs sys /sys
busybox mount -t devtmpfs dev /dev

# Power off and never return: PID 1 must not exit, or the kernel panics.
fail() {
	echo "zsp-initramfs: $*" > /dev/console
	echo o > /proc/sysrq-trigger
	while :; do busybox sleep 1; done
}

for m in /modules/*.ko; do
	busybox insmod "$m" || fail "cannot load $m"
done
# zswap came up before any module could load: give it zsmalloc now, as
# the project's kernels have it from boot (zswap.zpool=zsmalloc).
echo zsmalloc > /sys/module/zswap/parameters/zpool || fail "zswap refuses zsmalloc"
echo Y > /sys/module/zswap/parameters/enabled || fail "zswap cannot be enabled"

# The value of a command-line parameter; the leading blank anchors names.
arg() { echo " $(busybox cat /proc/cmdline)" | busybox sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
init=$(arg init)
[ -n "$init" ] || fail "no init= on the command line"
flags=$(arg rootflags)
busybox mount -t 9p -o "ro,${flags:-trans=virtio,version=9p2000.L}" /dev/root /newroot ||
	fail "cannot mount the host's / over 9p"
busybox umount /proc /sys /dev
exec busybox switch_root /newroot "$init"
