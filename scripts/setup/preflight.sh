#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# preflight.sh [GIB]: the preconditions that would otherwise fail only after
# minutes of unpacking and building, checked in the first second of every
# verb: a checkout path the guest can be given, and free disk space for the
# kernel trees and builds (GIB, default 30). Packages are deps.sh's check,
# which runs right after this one.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

need_gib=${1:-${ZSP_NEED_GIB:-30}}

zsp_path_ok "$ZSP_TOP" || die "checkout '$ZSP_TOP' $ZSP_PATH_WHY"
zsp_path_ok "$ZSP_BUILD" || die "build directory '$ZSP_BUILD' $ZSP_PATH_WHY"

# Measure where build/ will be: its nearest existing ancestor.
d=$ZSP_BUILD
while [ ! -d "$d" ]; do d=$(dirname "$d"); done
[ -w "$d" ] || die "cannot write to '$d' (for $ZSP_BUILD): clone where you can write, or set ZSP_BUILD="
# Space already used under build/ counts as available to it: a rebuild
# reuses it.
free_k=$(df -Pk "$d" | awk 'NR == 2 {print $4}')
used_k=0
[ ! -d "$ZSP_BUILD" ] || used_k=$(du -sk "$ZSP_BUILD" 2>/dev/null | awk '{print $1}')
have_gib=$(((free_k + used_k) / 1048576))
if [ "$have_gib" -lt "$need_gib" ]; then
	die "$d has $((free_k / 1048576)) GiB free (plus $((used_k / 1048576)) GiB already in build/); the base tree, its worktree and the kernel builds need about $need_gib GiB: free some space or set ZSP_BUILD= to a larger disk"
fi
