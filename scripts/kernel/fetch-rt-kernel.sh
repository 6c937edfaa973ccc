#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-rt-kernel.sh: Debian's 6.1 PREEMPT_RT kernel as a 6.1 user installs
# it (linux-image-rt-amd64), for KERNELS=... rt of make bench-latency. The
# package is downloaded and unpacked under build/, never installed on the
# host. Its virtio, 9p, zsmalloc, lz4 and zstd drivers are modules, so the
# harness needs an initramfs: a static busybox, those modules in load order,
# and scripts/kernel/rt-initramfs-init.sh, which loads them, mounts the host's /
# over 9p as the guest's root and hands over to guest-init.sh.
#
# Results: build/bench-kernels/bzImage-rt-trace (the package's vmlinuz; the
# name is the one latency.sh boots for KERNELS=rt), bzImage-rt-trace.initrd
# and bzImage-rt-trace.rev ("PACKAGE VERSION INITSUM").
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

meta=linux-image-rt-amd64
dir=$ZSP_BUILD/rt-kernel
dst=$ZSP_BUILD/bench-kernels
img=$dst/bzImage-rt-trace

"$ZSP_TOP/scripts/setup/deps.sh"
# The kernel package the metapackage points at now, e.g. linux-image-6.1.0-57-rt-amd64.
pkg=$(apt-cache depends "$meta" 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[^ ]*-rt-amd64\)$/\1/p' | head -1) || true
[ -n "$pkg" ] || die "apt knows no $meta: is Debian bookworm's main archive in the apt sources? (apt-get update)"
ver=$(apt-cache policy "$pkg" | sed -n 's/^ *Candidate: //p') || true
[ -n "$ver" ] && [ "$ver" != "(none)" ] || die "no installable version of $pkg"
init=$ZSP_TOP/scripts/kernel/rt-initramfs-init.sh
# The initramfs is made by this script from that one: both are its source.
initsum=$(cat "$init" "$0" | sha1sum | cut -c1-12)
if [ "$(cat "$img.rev" 2>/dev/null)" = "$pkg $ver $initsum" ] && [ -f "$img" ] && [ -f "$img.initrd" ]; then
	note "rt kernel up to date ($img, $pkg $ver)"
	exit 0
fi

mkdir -p "$dir" "$dst"
deb=$dir/${pkg}_${ver}_amd64.deb
if [ ! -s "$deb" ]; then
	note "downloading $pkg $ver"
	# Into a directory of its own: an older package stays until this one is here.
	rm -rf "$dir/dl"
	mkdir -p "$dir/dl"
	# apt's download user cannot write under root-owned build directories.
	(cd "$dir/dl" && apt-get download -o APT::Sandbox::User=root "$pkg=$ver") ||
		die "cannot download $pkg $ver from the Debian archive"
	got=$(find "$dir/dl" -name "${pkg}_*.deb" | head -1)
	[ -s "$got" ] || die "the download of $pkg left no package in $dir/dl"
	rm -f "$dir"/*.deb
	mv "$got" "$deb"
	rm -rf "$dir/dl"
fi
rm -rf "$dir/root"
dpkg-deb -x "$deb" "$dir/root"
kver=$(basename "$(find "$dir/root/lib/modules" -mindepth 1 -maxdepth 1 -type d | head -1)")
[ -n "$kver" ] && [ -f "$dir/root/boot/vmlinuz-$kver" ] || die "$deb holds no vmlinuz and module tree"
# The package ships no modules.dep: its postinst runs depmod.
depmod -b "$dir/root" "$kver"

# Modules in the order insmod must load them: modprobe's own resolution.
ird=$dir/initramfs
rm -rf "$ird"
mkdir -p "$ird"/{bin,dev,proc,sys,newroot,modules}
cp /bin/busybox "$ird/bin/busybox"
# A static binary has no dynamic section for readelf (binutils) to show.
if readelf -d "$ird/bin/busybox" 2>/dev/null | grep -q NEEDED; then
	die "/bin/busybox is not static: the initramfs has no libraries (Debian busybox-static)"
fi
ln -s busybox "$ird/bin/sh"
n=0
for m in virtio_pci virtio_blk 9pnet_virtio 9p zsmalloc lz4 zstd; do
	# -C /dev/null: the host's modprobe.d says nothing about this kernel.
	deps=$(modprobe -C /dev/null -d "$dir/root" -S "$kver" --show-depends "$m") ||
		die "modprobe cannot resolve $m in $pkg"
	while read -r cmd ko _; do
		[ "$cmd" = insmod ] || continue
		b=$(basename "$ko")
		! ls "$ird/modules/"*-"$b" >/dev/null 2>&1 || continue
		n=$(($(find "$ird/modules" -name '*.ko' | wc -l) + 1))
		cp "$ko" "$ird/modules/$(printf %02d "$n")-$b" || die "cannot copy $ko"
	done <<< "$deps"
done
cp "$init" "$ird/init"
chmod 755 "$ird/init"
(cd "$ird" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -9 > "$img.initrd.tmp"
cp "$dir/root/boot/vmlinuz-$kver" "$img"
mv "$img.initrd.tmp" "$img.initrd"
echo "$pkg $ver $initsum" > "$img.rev"
note "rt kernel $pkg $ver: $img (+ .initrd, $(find "$ird/modules" -name '*.ko' | wc -l) modules)"
