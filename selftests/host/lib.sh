# SPDX-License-Identifier: GPL-2.0
# Helpers for host tests: TAP output and a scratch directory.

tap_n=0
ZSP_BASE_REPO=${ZSP_BASE_REPO:-$ZSP_BUILD/linux}
tap_fail=0
echo "TAP version 13"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/zsp-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n $*"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_fail=$((tap_fail + 1))
	echo "not ok $tap_n $*"
}

skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n $1 # SKIP $2"
}

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

tap_done() {
	echo "1..$tap_n"
	exit $((tap_fail > 0))
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
