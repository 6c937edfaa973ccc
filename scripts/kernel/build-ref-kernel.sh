#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-ref-kernel.sh: the benchmark's reference point, Debian's
# linux-source-6.12 (upstream's per-CPU compression contexts, zsmalloc
# still mapping objects with preemption disabled) built with the same
# config fragments as the bench kernels. Options 6.12 no longer has
# (frontswap, ...) are listed and ignored.
#
# Result: build/bench-kernels/bzImage-ref and bzImage-ref.rev.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

pkg=linux-source-6.12
tarball=/usr/src/$pkg.tar.xz
src=$ZSP_BUILD/linux-6.12
out=$ZSP_BUILD/kernel-perf-6.12
dst=$ZSP_BUILD/bench-kernels

ZSP_EXTRA_PKGS=$pkg "$ZSP_TOP/scripts/setup/deps.sh"
[ -r "$tarball" ] || die "$tarball missing although $pkg is installed"
ver=$(dpkg-query -W -f='${Version}' "$pkg")
if [ "$(cat "$src/.zsp-version" 2>/dev/null)" != "$ver" ]; then
	note "unpacking $pkg $ver into $src"
	rm -rf "$src"
	mkdir -p "$src"
	tar -xJf "$tarball" -C "$src" --strip-components=1
	echo "$ver" > "$src/.zsp-version"
fi
cfgsum=$(cat "$ZSP_TOP"/kernel-config/guest.config "$ZSP_TOP"/kernel-config/perf.config | sha1sum | cut -c1-12)
mkdir -p "$dst"
if [ "$(cat "$dst/bzImage-ref.rev" 2>/dev/null)" = "$pkg-$ver $cfgsum" ] && [ -f "$dst/bzImage-ref" ]; then
	note "reference kernel up to date ($dst/bzImage-ref)"
	exit 0
fi
ZSP_KCONFIG_LENIENT=1 "$ZSP_TOP/scripts/kernel/build-kernel.sh" perf "tree=$src" "$out"
cp "$out/arch/x86/boot/bzImage" "$dst/bzImage-ref"
echo "$pkg-$ver $cfgsum" > "$dst/bzImage-ref.rev"
