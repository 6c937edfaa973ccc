#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# git am the series in patches/ (patches/series if present, else numeric
# order, cover letter excluded) onto the base, on branch $ZSP_BRANCH.
# Idempotent: a branch already holding exactly these patches is left alone.
# Work committed on the branch by hand and not yet exported with 'make series'
# is never thrown away: the script stops and says so (FORCE=1 re-applies and
# keeps the old head as a backup branch).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

cd "$ZSP_PATCHES"
if [ -f series ]; then
	mapfile -t list < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' series)
else
	list=()
	for p in [0-9][0-9][0-9][0-9]-*.patch; do
		if [ -f "$p" ] && [[ $p != 0000-cover-letter* ]]; then
			list+=("$p")
		fi
	done
fi
for p in "${list[@]}"; do
	[ -f "$p" ] || die "patches/series names '$p', which does not exist"
done
cd - >/dev/null

base=$ZSP_BASE_REV
[ -n "$base" ] || die "no base recorded: run 'make base'"
kgit rev-parse -q --verify "$base^{commit}" >/dev/null || die "base $base missing from $ZSP_KSRC: run 'make base'"
stamp=$(kgit_path zspreempt-applied)
want=$( (kgit rev-parse "$base^{commit}"; cd "$ZSP_PATCHES" && cat "${list[@]}" /dev/null) | sha256sum | cut -c1-64)

if [ -d "$(kgit_path rebase-apply)" ]; then
	die "a 'git am' is in progress in $ZSP_KSRC: finish it or run 'git -C $ZSP_KSRC am --abort'"
fi
if ! kgit diff --quiet HEAD --; then
	die "$ZSP_KSRC has uncommitted changes: commit or stash them (git -C $ZSP_KSRC status)"
fi

head=$(kgit rev-parse -q --verify "refs/heads/$ZSP_BRANCH" || true)
if [ -n "$head" ] && [ -f "$stamp" ]; then
	read -r old_want old_head < "$stamp"
	if [ "$old_head" = "$head" ] && [ "$old_want" = "$want" ]; then
		# The test kernel's branch (series + test aids) may stay checked
		# out: apply-test-aids.sh keeps it in step with the series.
		case $(kgit symbolic-ref -q HEAD) in
		"refs/heads/$ZSP_BRANCH" | "refs/heads/$ZSP_BRANCH-test") ;;
		*) kgit checkout -q "$ZSP_BRANCH" ;;
		esac
		note "series already applied (${#list[@]} patches on $ZSP_BRANCH)"
		exit 0
	fi
	if [ "$old_head" != "$head" ] && [ -z "${FORCE:-}" ]; then
		die "branch $ZSP_BRANCH in $ZSP_KSRC has commits that are not in patches/: export them with 'make series', or re-apply with FORCE=1 (the old head is kept as a backup branch)"
	fi
elif [ -n "$head" ] && [ "$head" != "$(kgit rev-parse "$base^{commit}")" ] && [ -z "${FORCE:-}" ]; then
	die "branch $ZSP_BRANCH already exists in $ZSP_KSRC and was not made by this script: rename it, set ZSP_BRANCH=, or FORCE=1"
fi
if [ -n "$head" ] && [ "$head" != "$(kgit rev-parse "$base^{commit}")" ]; then
	backup=$ZSP_BRANCH-backup-$(date +%Y%m%d-%H%M%S)
	kgit branch -q "$backup" "$head"
	note "previous $ZSP_BRANCH kept as $backup"
fi

rm -f "$stamp"
kgit checkout -q -B "$ZSP_BRANCH" "$base"
n=0
for p in "${list[@]}"; do
	n=$((n + 1))
	if ! kgit am -q --committer-date-is-author-date "$ZSP_PATCHES/$p" > "$ZSP_BUILD/apply.log" 2>&1; then
		kgit am --abort >/dev/null 2>&1 || true
		sed 's/^/  | /' "$ZSP_BUILD/apply.log" >&2
		kgit checkout -q -B "$ZSP_BRANCH" "$base"
		die "patch $n/${#list[@]} patches/$p does not apply to $base; 'git am --abort' done, $ZSP_BRANCH reset to the base (clean). Fix the patch on a branch and re-export it with 'make series'."
	fi
done
echo "$want $(kgit rev-parse HEAD)" > "$stamp"
note "applied ${#list[@]} patch(es) on $ZSP_BRANCH in $ZSP_KSRC"
