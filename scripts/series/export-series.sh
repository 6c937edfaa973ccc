#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Regenerate patches/ from the kernel branch with git format-patch: numbered,
# cover letter from doc/cover-letter.txt, version from REROLL= Re-exporting an
# unchanged branch gives identical files apart from the cover letter's date
# (commit ids are zeroed, the base commit is reproducible).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

branch=${SERIES_BRANCH:-$ZSP_BRANCH}
v=${REROLL:-1}
[[ $v =~ ^[1-9][0-9]*$ ]] || die "REROLL=$v is not a version number"
base=$ZSP_BASE_REV
kgit rev-parse -q --verify "refs/heads/$branch" >/dev/null ||
	die "no branch '$branch' in $ZSP_KSRC: run 'make apply' and commit on it"
n=$(kgit rev-list --count "$base..$branch")
[ "$n" -gt 0 ] || die "branch $branch has no commits on top of $base"
cover=$ZSP_TOP/doc/cover-letter.txt
[ -f "$cover" ] || die "$cover is missing"

# The first paragraph of the description is the subject, the rest the body;
# the generated-figure markers (scripts/zspbench/docs.py) stay out of the mail.
kgit config "branch.$branch.description" "$(grep -vE '^<!-- /?gen:[a-z0-9-]+ -->$' "$cover")"
rm -rf "$ZSP_PATCHES.new"
vflag=()
[ "$v" -eq 1 ] || vflag=(-v "$v")
kgit format-patch -q --cover-letter --cover-from-description=subject \
	--zero-commit --no-signature --base="$base" "${vflag[@]}" \
	-o "$ZSP_PATCHES.new" "$base..$branch"
# Keep file names version-free so patches/series and scripts stay put.
for f in "$ZSP_PATCHES.new"/v*-*.patch; do
	[ -e "$f" ] || break
	mv "$f" "$ZSP_PATCHES.new/$(basename "$f" | sed 's/^v[0-9]*-//')"
done
for f in "$ZSP_PATCHES.new"/*.patch; do
	case ${f##*/} in 0000-cover-letter*) ;; *) echo "${f##*/}" ;; esac
done > "$ZSP_PATCHES.new/series"
rm -f "$ZSP_PATCHES"/*.patch "$ZSP_PATCHES/series"
mv "$ZSP_PATCHES.new"/* "$ZSP_PATCHES/"
rmdir "$ZSP_PATCHES.new"

# The branch now is what patches/ holds: tell apply-series.sh so.
if [ "$branch" = "$ZSP_BRANCH" ]; then
	stamp=$(kgit_path zspreempt-applied)
	list=$(cat "$ZSP_PATCHES/series")
	want=$( (kgit rev-parse "$base^{commit}"; cd "$ZSP_PATCHES" && cat $list) | sha256sum | cut -c1-64)
	echo "$want $(kgit rev-parse "$branch")" > "$stamp"
fi
note "exported $n patch(es) + cover letter from $branch to $ZSP_PATCHES (v$v)"
