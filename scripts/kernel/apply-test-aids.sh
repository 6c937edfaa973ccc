#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# apply-test-aids.sh: check out, in the kernel tree, the series plus the
# test-only patches in selftests/kernel/ (debugfs knobs the guest tests
# use), on branch $ZSP_BRANCH-test. The posted series never contains them:
# patches/ is exported from $ZSP_BRANCH, and the benchmark kernels are built
# from it. Idempotent; the test branch is rebuilt whenever the series
# branch or an aid changes, and never holds work of its own.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

test_branch=$ZSP_BRANCH-test
aids=("$ZSP_TOP"/selftests/kernel/*.patch)
series=$(kgit rev-parse -q --verify "refs/heads/$ZSP_BRANCH") || die "no branch $ZSP_BRANCH: run 'make apply'"
want=$( (echo "$series"; cat "${aids[@]}") | sha256sum | cut -c1-64)
stamp=$(kgit_path zspreempt-test-applied)

kgit diff --quiet HEAD -- || die "$ZSP_KSRC has uncommitted changes: commit them on $ZSP_BRANCH first"
head=$(kgit rev-parse -q --verify "refs/heads/$test_branch" || true)
if [ -n "$head" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want $head" ]; then
	[ "$(kgit symbolic-ref -q HEAD)" = "refs/heads/$test_branch" ] || kgit checkout -q "$test_branch"
	exit 0
fi
if [ -n "$head" ] && [ -f "$stamp" ] && [ "${head}" != "$(cut -d' ' -f2 "$stamp")" ]; then
	die "branch $test_branch has commits of its own; it is rebuilt from $ZSP_BRANCH: move them to $ZSP_BRANCH (or a branch of yours) and delete $test_branch"
fi
kgit checkout -q -B "$test_branch" "$series"
for p in "${aids[@]}"; do
	if ! kgit am -q "$p" > "$ZSP_BUILD/apply-test-aids.log" 2>&1; then
		kgit am --abort >/dev/null 2>&1 || true
		kgit checkout -q "$ZSP_BRANCH"
		sed 's/^/  | /' "$ZSP_BUILD/apply-test-aids.log" >&2
		die "test aid $(basename "$p") does not apply on top of the series: refresh it against $ZSP_BRANCH"
	fi
done
echo "$want $(kgit rev-parse HEAD)" > "$stamp"
note "test kernel tree: $ZSP_BRANCH + ${#aids[@]} test aid(s) on $test_branch"
