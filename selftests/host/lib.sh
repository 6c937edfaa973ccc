# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Helpers for host tests: TAP output (selftests/tap.sh), a scratch
# directory, check, and a small base tree.

. "$ZSP_TOP/selftests/tap.sh"
# zsp_py, and the settings every script shares.
. "$ZSP_TOP/scripts/lib.sh"
ZSP_BASE_REPO=${ZSP_BASE_REPO:-$ZSP_BUILD/linux}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/zsp-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# check DESC EXPECTED_RC REGEX CMD...: CMD must exit EXPECTED_RC and print
# (stdout or stderr) something matching REGEX.
check() {
	local desc=$1 want=$2 re=$3 rc
	shift 3
	"$@" > "$scratch/out" 2>&1
	rc=$?
	# An empty REGEX asks for no output at all.
	local seen=1
	if [ -z "$re" ]; then
		[ ! -s "$scratch/out" ] || seen=0
	else
		grep -q -E -- "$re" "$scratch/out" || seen=0
	fi
	if [ "$rc" -eq "$want" ] && [ $seen -eq 1 ]; then
		ok "$desc"
	else
		not_ok "$desc (exit $rc, want $want; output:)"
		sed 's/^/#   /' "$scratch/out" | head -20
	fi
}

# mini_base DIR: a git repository holding only the files the series touches,
# as in the pinned base, committed; enough for prepare-base.sh (KSRC mode)
# and git am, in a second instead of unpacking the whole tree.
mini_base() {
	local dir=$1 f
	git init -q "$dir"
	while read -r _ f; do
		mkdir -p "$dir/$(dirname "$f")"
		git -C "$ZSP_BASE_REPO" show "v6.1.192-debian:$f" > "$dir/$f" || return 1
	done < "$ZSP_TOP/base/checksums.sha256"
	git -C "$dir" add -A
	git -C "$dir" -c user.name=t -c user.email=t@t commit -q -m base
}
