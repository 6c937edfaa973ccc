#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages the project needs (as root), or name them and
# the exact command to run (otherwise). The kernel source package is pinned:
# the series and base/checksums.sha256 are written against that version.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

# shellcheck disable=SC2206 # ZSP_EXTRA_PKGS is a blank-separated list of names on purpose
pkgs=(
	"$ZSP_BASE_PKG=$ZSP_BASE_PKG_VERSION"
	build-essential bc bison flex libelf-dev libssl-dev dwarves ccache cpio kmod xz-utils
	git python3 qemu-system-x86 busybox-static util-linux e2fsprogs
	clang llvm libbpf-dev bpftool zlib1g-dev libbpf-tools
	sparse b4 rt-tests rtla stress-ng numactl gnuplot-nox shellcheck
	${ZSP_EXTRA_PKGS:-}
)

missing=()
for p in "${pkgs[@]}"; do
	name=${p%%=*}
	want=${p#*=}
	have=$(dpkg-query -W -f='${db:Status-Abbrev} ${Version}' "$name" 2>/dev/null || true)
	case $have in
	"ii "*)
		[ "$want" = "$p" ] || [ "${have#ii  }" = "$want" ] || missing+=("$p")
		;;
	*) missing+=("$p") ;;
	esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	printf '%s: error: missing Debian packages: %s\n' "${0##*/}" "${missing[*]}" >&2
	printf 'Install them as root:\n  apt-get update && apt-get install -y --no-install-recommends %s\n' "${missing[*]}" >&2
	exit 1
fi
note "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends --allow-downgrades "${missing[@]}" >/dev/null ||
	die "apt-get install failed for: ${missing[*]} (is $ZSP_BASE_PKG $ZSP_BASE_PKG_VERSION still in the archive? apt-cache policy $ZSP_BASE_PKG)"
