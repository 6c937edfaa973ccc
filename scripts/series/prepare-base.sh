#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unpack the pinned Debian linux-source-6.1 tarball into build/linux as a git
# repository whose first commit is the pristine base, tagged, and verify the
# files the series touches against base/checksums.sha256.
#
# With KSRC=/path/to/linux the user's own git tree is used instead; it is only
# verified here, never modified (apply-series.sh works on a new branch).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

verify() {
	local tree=$1 bad

	bad=$(cd "$tree" && sha256sum --quiet -c "$ZSP_TOP/base/checksums.sha256" 2>&1 |
		sed -n 's/: FAILED.*$//p') || true
	if [ -n "$bad" ]; then
		printf '%s: error: base tree %s differs from Linux %s (%s %s) in:\n' \
			"${0##*/}" "$tree" "$ZSP_BASE_VERSION" "$ZSP_BASE_PKG" "$ZSP_BASE_PKG_VERSION" >&2
		printf '  %s\n' $bad >&2
		printf 'The series is written against that exact base. Use the pinned package\n' >&2
		printf '(make deps), or a 6.1.y tree whose mm/ matches it, or rm -rf build/linux.\n' >&2
		exit 1
	fi
}

# Copy the checksummed files of REPO at REV into a temporary directory.
files_at() {
	local repo=$1 rev=$2 dir=$3
	awk '{print $2}' "$ZSP_TOP/base/checksums.sha256" | while read -r f; do
		mkdir -p "$dir/$(dirname "$f")"
		git -C "$repo" show "$rev:$f" > "$dir/$f" 2>/dev/null || : > "$dir/$f"
	done
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -n "${KSRC:-}" ]; then
	git -C "$KSRC" rev-parse --git-dir >/dev/null 2>&1 ||
		die "KSRC=$KSRC is not a git repository (expected a Linux 6.1.y checkout)"
	KSRC=$(cd "$KSRC" && pwd)
	mkdir -p "$ZSP_BUILD"
	# The base is fixed the first time (KSRC_BASE or the user's HEAD then),
	# so later runs re-apply onto the same commit.
	if [ -n "${KSRC_BASE:-}" ] || [ ! -s "$ZSP_BUILD/ksrc-base" ]; then
		git -C "$KSRC" rev-parse --verify "${KSRC_BASE:-HEAD}^{commit}" > "$ZSP_BUILD/ksrc-base" ||
			die "KSRC_BASE=${KSRC_BASE:-HEAD} is not a commit in $KSRC"
	fi
	base=$(cat "$ZSP_BUILD/ksrc-base")
	files_at "$KSRC" "$base" "$tmp"
	verify "$tmp"
	if [ ! -e "$ZSP_KSRC/.git" ]; then
		git -C "$KSRC" worktree add -q --detach "$ZSP_KSRC" "$base" ||
			die "cannot add a worktree of $KSRC at $ZSP_KSRC"
		note "KSRC: your checkout is untouched; the series is applied in a worktree at $ZSP_KSRC (git -C $KSRC worktree list)"
	fi
	note "KSRC=$KSRC base $base matches the pinned base"
	exit 0
fi

tree=$ZSP_BUILD/linux
if [ -d "$tree/.git" ] && git -C "$tree" rev-parse -q --verify "refs/tags/$ZSP_BASE_TAG" >/dev/null; then
	# Verify the tagged base, not the work tree: the series may be applied.
	files_at "$tree" "$ZSP_BASE_TAG" "$tmp"
	verify "$tmp"
	exit 0
fi

[ -r "$ZSP_BASE_TARBALL" ] || die "$ZSP_BASE_TARBALL not found: run 'make deps' (installs $ZSP_BASE_PKG=$ZSP_BASE_PKG_VERSION)"
have=$(dpkg-query -W -f='${Version}' "$ZSP_BASE_PKG" 2>/dev/null || true)
[ "$have" = "$ZSP_BASE_PKG_VERSION" ] ||
	die "$ZSP_BASE_PKG is version '${have:-none}', the series needs $ZSP_BASE_PKG_VERSION: run 'make deps'"

rm -rf "$tree.tmp"
mkdir -p "$tree.tmp"
note "unpacking $ZSP_BASE_TARBALL"
tar -C "$tree.tmp" --strip-components=1 -xJf "$ZSP_BASE_TARBALL"
verify "$tree.tmp"
cd "$tree.tmp"
# Debian's tarball .gitignore ends with a packaging rule '/*' that ignores
# every top-level path; drop it so ordinary git work on the tree behaves.
# The checksummed files are unaffected.
sed -i '/^\/\*$/d' .gitignore
git init -q -b base
git add -A -f
# A fixed identity and date make the base commit's id the same on every
# machine, so exported patches and their base-commit line are reproducible.
GIT_AUTHOR_DATE="2026-01-01T00:00:00+0000" GIT_COMMITTER_DATE="2026-01-01T00:00:00+0000" \
git -c user.name=zspreempt -c user.email=zspreempt@localhost \
	commit -q -m "Linux $ZSP_BASE_VERSION ($ZSP_BASE_PKG $ZSP_BASE_PKG_VERSION)" \
	-m "Pristine Debian source tarball; only the tarball's top-level '/*' .gitignore rule was dropped."
git tag "$ZSP_BASE_TAG"
# Our own tree commits and exports as the project; a developer sets their own
# identity here (git -C build/linux config user.email ...) to sign their work.
git config user.name "zspreempt developers"
git config user.email zspreempt@example.org
cd - >/dev/null
mv "$tree.tmp" "$tree"
note "base tree ready: $tree (tag $ZSP_BASE_TAG)"
