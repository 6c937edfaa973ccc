#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the QEMU guest. The root is the host's / over 9p, read-only; the
# run's output directory is a writable 9p share mounted at its host path, so
# guest and host see the same file names, wherever the checkout lives. Runs
# OUT/cmd with bash, stores its exit status in OUT/status, and powers off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp TERM=dumb LC_ALL=C

# busybox's mount: util-linux's libmount wants /proc and a writable /run
# before it will mount them.
mnt() { busybox mount "$@"; }
mnt -t proc proc /proc
mnt -t sysfs sys /sys
mnt -t devtmpfs dev /dev 2>/dev/null

# zsp.keep= names host directories (the checkout, its build directory) that
# the guest must see. One under a directory that gets a tmpfs below would be
# hidden by it, so bind it to a stash on the writable devtmpfs first and put
# it back at its own path inside the new tmpfs afterwards.
tmpfs_dirs="/tmp /run /var/tmp /var/lib/misc"
keep=$(sed -n 's/.*zsp\.keep=\([^ ]*\).*/\1/p' /proc/cmdline | tr , ' ')
stashed=
i=0
for k in $keep; do
	for d in $tmpfs_dirs; do
		case $k/ in
		"$d"/*)
			i=$((i + 1))
			mkdir -p "/dev/.zsp-keep/$i"
			mnt -o bind "$k" "/dev/.zsp-keep/$i" && stashed="$stashed $i:$k"
			break
			;;
		esac
	done
done
for d in $tmpfs_dirs; do
	mnt -t tmpfs -o mode=1777 tmpfs "$d" 2>/dev/null
done
for s in $stashed; do
	k=${s#*:}
	mkdir -p "$k" && mnt -o bind "/dev/.zsp-keep/${s%%:*}" "$k" ||
		echo "zsp-guest: cannot make $k visible again" > /dev/console
done
mnt -t debugfs debugfs /sys/kernel/debug
mnt -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mnt -t bpf bpf /sys/fs/bpf 2>/dev/null
mnt -t cgroup2 cgroup2 /sys/fs/cgroup
ulimit -l unlimited

out=$(sed -n 's/.*zsp\.out=\([^ ]*\).*/\1/p' /proc/cmdline)
# The run directory may sit in one of the fresh tmpfs (a run under /tmp).
mkdir -p "$out"
if ! mnt -t 9p -o trans=virtio,version=9p2000.L,msize=262144 zspout "$out"; then
	echo "zsp-guest: cannot mount the output share at '$out'" > /dev/console
	echo o > /proc/sysrq-trigger
fi

# Booted with maxcpus=1 (run-vm.sh --icount): bring the other CPUs up now.
if grep -q 'zsp\.online=all' /proc/cmdline; then
	for c in /sys/devices/system/cpu/cpu[1-9]*/online; do
		[ -e "$c" ] && echo 1 > "$c"
	done
fi

if [ -b /dev/vda ]; then
	mkswap -q /dev/vda >/dev/null && swapon /dev/vda
fi
nproc=$(nproc)
echo "zsp-guest: $(uname -r), $nproc CPUs, $(awk '/MemTotal/ {print $2 / 1024 " MiB"}' /proc/meminfo), zswap $(cat /sys/module/zswap/parameters/enabled 2>/dev/null)" > /dev/console

cd "$out" || cd /tmp || exit 1
ZSP_OUT=$out bash "$out/cmd" > "$out/guest.out" 2>&1 < /dev/null
rc=$?
echo "$rc" > "$out/status"
echo "zsp-guest: command exited with status $rc" > /dev/console
sync
swapoff -a 2>/dev/null
# Our own working directory would keep the share busy.
cd /
busybox umount "$out"
echo o > /proc/sysrq-trigger
# Power-off takes the other CPUs and the devices down in a work item: a
# fork now can place the child on a CPU already gone ("Unexpected
# reschedule of offline CPU"), and an exec can find the root's 9p share
# gone (then bash, PID 1, exits and the kernel panics). Wait with builtins.
while :; do :; done
