#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The series applies with git am to the pinned base (and with git am -3 to a
# second copy), re-applying is a no-op, a broken patch is named and leaves a
# clean tree, a drifted base is refused with the file named, and work
# committed on the branch is never thrown away.
. "$ZSP_TOP/selftests/host/lib.sh"

export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t
if ! git -C "$ZSP_BASE_REPO" rev-parse -q --verify v6.1.192-debian >/dev/null; then
	not_ok "pinned base tree present (run make base)"
	tap_done
fi
# The patch files in file-name order, cover letter left out.
plist=()
for f in "$ZSP_TOP"/patches/0*.patch; do
	if [ -f "$f" ] && [[ ${f##*/} != 0000-cover-letter.patch ]]; then
		plist+=("$f")
	fi
done
npatch=${#plist[@]}

mini_base "$scratch/k1"
export ZSP_BUILD=$scratch/b1
check "prepare-base accepts the pinned base (KSRC)" 0 "matches the pinned base" \
	env KSRC="$scratch/k1" "$ZSP_TOP/scripts/series/prepare-base.sh"
check "git am applies all $npatch patches" 0 "applied $npatch patch" \
	env KSRC="$scratch/k1" "$ZSP_TOP/scripts/series/apply-series.sh"
check "re-applying is a no-op" 0 "already applied" \
	env KSRC="$scratch/k1" "$ZSP_TOP/scripts/series/apply-series.sh"
if [ "$(git -C "$scratch/k1" symbolic-ref HEAD)" = refs/heads/master ] &&
	git -C "$scratch/k1" diff --quiet; then
	ok "the user's own checkout is untouched (still on master, clean)"
else
	not_ok "the user's own checkout is untouched"
fi

# git am -3 on a second copy of the base.
mini_base "$scratch/k2"
git -C "$scratch/k2" checkout -q -b am3
if [ "$npatch" -gt 0 ] && git -C "$scratch/k2" am -q -3 "${plist[@]}" > "$scratch/am3" 2>&1; then
	ok "git am -3 applies the series to a second copy"
else
	not_ok "git am -3 applies the series to a second copy"
	sed 's/^/#   /' "$scratch/am3"
fi

# A hand commit on the branch that is not in patches/ must survive.
git -C "$scratch/b1/ksrc" commit -q --allow-empty -m "work in progress"
check "unexported work on the branch stops apply" 1 "not in patches/" \
	env KSRC="$scratch/k1" "$ZSP_TOP/scripts/series/apply-series.sh"
git -C "$scratch/b1/ksrc" log -1 --format=%s | grep -q "work in progress" &&
	ok "the unexported commit is still there" || not_ok "the unexported commit is still there"

# A broken patch: named, git am aborted, branch back at the clean base.
mkdir -p "$scratch/p"
cp "$ZSP_TOP"/patches/0*.patch "$scratch/p/" 2>/dev/null
cat > "$scratch/p/0999-broken.patch" <<'PATCH'
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: Test <t@t>
Date: Thu, 1 Jan 2026 00:00:00 +0000
Subject: [PATCH] mm/zswap: a patch whose context is not in the tree

---
 mm/zswap.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/mm/zswap.c b/mm/zswap.c
--- a/mm/zswap.c
+++ b/mm/zswap.c
@@ -1,3 +1,3 @@
 this line is not in mm/zswap.c
-neither is this one
+so the patch cannot apply
 nor this one
PATCH
mini_base "$scratch/k3"
export ZSP_BUILD=$scratch/b3
env KSRC="$scratch/k3" "$ZSP_TOP/scripts/series/prepare-base.sh" >/dev/null 2>&1
check "a broken patch fails and is named" 1 "0999-broken.patch does not apply" \
	env KSRC="$scratch/k3" ZSP_PATCHES="$scratch/p" "$ZSP_TOP/scripts/series/apply-series.sh"
if [ ! -d "$scratch/b3/ksrc/.git/rebase-apply" ] && [ ! -d "$(git -C "$scratch/b3/ksrc" rev-parse --git-path rebase-apply)" ] &&
	git -C "$scratch/b3/ksrc" diff --quiet HEAD && [ -z "$(git -C "$scratch/b3/ksrc" status --porcelain)" ]; then
	ok "after the failure the tree is clean and no git am is pending"
else
	not_ok "after the failure the tree is clean and no git am is pending"
fi

# A drifted base: one checksummed file differs.
mini_base "$scratch/k4"
echo "/* drift */" >> "$scratch/k4/mm/zswap.c"
git -C "$scratch/k4" commit -q -a -m drift
export ZSP_BUILD=$scratch/b4
check "a wrong base is refused, naming the file" 1 "differs from Linux 6.1.192.*|  mm/zswap.c" \
	env KSRC="$scratch/k4" "$ZSP_TOP/scripts/series/prepare-base.sh"
[ ! -e "$scratch/b4/ksrc" ] && ok "nothing was created from the wrong base" ||
	not_ok "nothing was created from the wrong base"

# Every file the series touches is checksummed.
touched=$(cat "$ZSP_TOP"/patches/0*.patch 2>/dev/null | sed -n 's|^+++ b/||p' | sort -u)
missing=$(comm -23 <(echo "$touched" | sed '/^$/d') <(awk '{print $2}' "$ZSP_TOP/base/checksums.sha256" | sort))
[ -z "$missing" ] && ok "every file the series touches has a base checksum" ||
	not_ok "files touched but not checksummed: $missing"
tap_done
