# SPDX-License-Identifier: GPL-2.0
# Shared settings for the zspreempt scripts; sourced, never run.
# shellcheck shell=bash
# shellcheck disable=SC2034 # settings here are read by the scripts that source this file

ZSP_TOP=${ZSP_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
ZSP_BUILD=${ZSP_BUILD:-$ZSP_TOP/build}
ZSP_BASE_VERSION=6.1.192
ZSP_BASE_PKG=linux-source-6.1
ZSP_BASE_PKG_VERSION=6.1.192-2
ZSP_BASE_TARBALL=/usr/src/linux-source-6.1.tar.xz
ZSP_BASE_TAG=v$ZSP_BASE_VERSION-debian
ZSP_PATCHES=${ZSP_PATCHES:-$ZSP_TOP/patches}
ZSP_BRANCH=${ZSP_BRANCH:-zspreempt}
# The one place that says which kernel tree is the series tree and which
# revision is the base. The series is applied to and built from our tree
# under build/, or, with KSRC=, a git worktree of the user's repository
# under build/, so their own checkout and branches are never touched.
# Scripts that build another tree (base, bench, reference) pass it to
# build-kernel.sh and kconfig.sh as an argument.
if [ -n "${KSRC:-}" ]; then
	ZSP_KSRC=$ZSP_BUILD/ksrc
	ZSP_BASE_REV=$(cat "$ZSP_BUILD/ksrc-base" 2>/dev/null || true)
else
	ZSP_KSRC=$ZSP_BUILD/linux
	ZSP_BASE_REV=$ZSP_BASE_TAG
fi

# zsp_kmake SRC OUT TARGET...: make in kernel tree SRC into OUT (ARCH
# ZSP_ARCH, default x86_64) through
# ccache. Clones at different paths share one cache (CCACHE_BASEDIR), and
# fixed build stamps keep init/version.o and friends cacheable.
zsp_kmake() {
	local src=$1 out=$2 cc=gcc

	shift 2
	command -v ccache >/dev/null && cc="ccache gcc"
	CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/zspreempt-ccache} CCACHE_BASEDIR=$ZSP_TOP \
		CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G} \
		KBUILD_BUILD_TIMESTAMP="@0" KBUILD_BUILD_USER=zspreempt KBUILD_BUILD_HOST=zspreempt \
		make -C "$src" O="$out" ARCH="${ZSP_ARCH:-x86_64}" CC="$cc" -j"$(nproc)" "$@"
}

die() {
	printf '%s: error: %s\n' "${0##*/}" "$*" >&2
	exit 1
}

note() {
	printf '%s: %s\n' "${0##*/}" "$*" >&2
}

# git in the kernel tree, with the project's identity where the user has
# none configured, so `git am` and format-patch work on a fresh machine.
kgit() {
	local id=()

	if ! git -C "$ZSP_KSRC" config user.email >/dev/null 2>&1; then
		id=(-c "user.name=zspreempt developers" -c user.email=zspreempt@example.org)
	fi
	git -C "$ZSP_KSRC" "${id[@]}" "$@"
}

# kgit_path NAME: absolute path of NAME inside the kernel tree's git
# directory (stamps of what the scripts applied there).
kgit_path() {
	local p

	p=$(kgit rev-parse --git-path "$1")
	case $p in /*) echo "$p" ;; *) echo "$ZSP_KSRC/$p" ;; esac
}

# zsp_path_ok PATH: the guest gets paths on the kernel command line, which
# splits at blanks and has no quoting for init=; zsp.keep= lists paths with
# commas. Anything else (/tmp, a CI workspace, a symlinked home) is fine.
# On failure ZSP_PATH_WHY says why, to finish the caller's message.
zsp_path_ok() {
	case $1 in
	*[!-A-Za-z0-9._/+@=:~]*)
		ZSP_PATH_WHY="has a character the guest kernel command line cannot carry (blank, comma, quote, ...): move or clone it to a path of letters, digits and ._-+@=:~/"
		return 1
		;;
	esac
	return 0
}

# zsp_py MODULE ARGS...: run a command of the zspbench package
# (scripts/zspbench/), the benchmark's and the documents' Python.
zsp_py() {
	local m=$1

	shift
	PYTHONPATH="$ZSP_TOP/scripts${PYTHONPATH:+:$PYTHONPATH}" python3 -m "zspbench.$m" "$@"
}
