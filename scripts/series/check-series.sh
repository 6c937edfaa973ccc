#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The upstream checks, per patch of patches/:
# - scripts/checkpatch.pl --strict: nothing, or only what checkpatch.justify
#   justifies ("<patch glob> <TYPE> <why>" per line);
# - applied one at a time onto the base in a worktree of its own, the
#   objects the series touches (and their in-tree users) build with W=1
#   without warnings the base does not have, and sparse (C=2) reports
#   nothing new for them.
# - the configuration matrix (kernel-config/matrix/*.config over the debug
#   config; MATRIX='NAME...' picks, MATRIX=0 skips): applied one at a time,
#   every patch builds the objects that configuration enables, without
#   errors. i386-highmem64g builds with ARCH=i386.
# Objects, not the whole kernel: the full tree is built and booted by
# 'make test' (which also boots the nocompact configuration).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

objs=(mm/zswap.o mm/zsmalloc.o mm/zpool.o mm/zbud.o mm/z3fold.o drivers/block/zram/zram_drv.o drivers/block/zram/zcomp.o)
justify=$ZSP_TOP/checkpatch.justify
fail=0
mapfile -t list < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$ZSP_PATCHES/series")
[ ${#list[@]} -gt 0 ] || die "patches/series lists no patches"
command -v sparse >/dev/null || die "sparse is missing: run 'make deps'"

# justified PATCH TYPE: does checkpatch.justify excuse TYPE in PATCH?
justified() {
	local glob type why

	[ -f "$justify" ] || return 1
	while read -r glob type why; do
		case $glob in '#'* | '') continue ;; esac
		# shellcheck disable=SC2053
		[[ $1 == $glob && $2 == "$type" && -n $why ]] && return 0
	done < "$justify"
	return 1
}

# 1. checkpatch
for p in "${list[@]}"; do
	report=$(cd "$ZSP_KSRC" && scripts/checkpatch.pl --strict --show-types --no-summary --quiet \
		"$ZSP_PATCHES/$p" 2>&1 || true)
	left=$(grep -E '^(ERROR|WARNING|CHECK):' <<< "$report" | while IFS=: read -r level type _; do
		justified "$p" "$type" || echo "$level:$type"
	done || true)
	if [ -n "$left" ]; then
		echo "checkpatch: $p:" >&2
		sed 's/^/  /' <<< "$report" >&2
		fail=1
	else
		echo "checkpatch --strict: $p: clean"
	fi
done

# 2. build and sparse, one patch at a time
wt=$ZSP_BUILD/check
kout=$ZSP_BUILD/kernel-check
if [ -e "$wt" ]; then
	kgit worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
fi
kgit worktree prune
kgit worktree add -q --detach "$wt" "$ZSP_BASE_REV"
"$ZSP_TOP/scripts/kernel/kconfig.sh" debug "$kout" "$wt" > /dev/null
zsp_kmake "$wt" "$kout" -s prepare > "$kout/prepare.log" 2>&1 ||
	die "kernel prepare failed in $kout (log: $kout/prepare.log)"

# Warnings without line numbers, so moved code compares equal.
diagnostics() {
	local log=$1

	(cd "$wt" && touch "${objs[@]/%.o/.c}")
	zsp_kmake "$wt" "$kout" W=1 C=2 CHECK=sparse "${objs[@]}" > "$log" 2>&1 || return 1
	grep -E '(warning|error):' "$log" | sed -E 's/^(\.\.\/)*//; s/:[0-9]+:[0-9]+:/:/; s/:[0-9]+:/:/' | sort -u
}

base_diag=$(diagnostics "$kout/base.log") || die "the base does not build ${objs[*]} (log: $kout/base.log)"
echo "base: $(wc -l <<< "${base_diag:-}" | tr -d ' ') distinct W=1/sparse diagnostics in ${#objs[@]} objects"
n=0
for p in "${list[@]}"; do
	n=$((n + 1))
	if ! git -C "$wt" -c user.name=check -c user.email=check@localhost am -q "$ZSP_PATCHES/$p" > "$kout/am.log" 2>&1; then
		git -C "$wt" am --abort > /dev/null 2>&1 || true
		echo "patch $n ($p) does not apply on top of the previous ones" >&2
		fail=1
		break
	fi
	if ! diag=$(diagnostics "$kout/patch-$n.log"); then
		echo "patch $n ($p): build FAILED (log: $kout/patch-$n.log)" >&2
		grep -E 'error' "$kout/patch-$n.log" | head -5 >&2
		fail=1
		continue
	fi
	new=$(comm -13 <(echo "$base_diag") <(echo "$diag") | sed '/^$/d')
	if [ -n "$new" ]; then
		echo "patch $n ($p): new W=1/sparse diagnostics:" >&2
		sed 's/^/  /' <<< "$new" >&2
		fail=1
	else
		echo "patch $n ($p): ${objs[*]} build with W=1, nothing new from the compiler or sparse"
	fi
done
kgit worktree remove --force "$wt" 2>/dev/null || true

# 3. the configuration matrix: every patch builds in each
matrix=${MATRIX:-}
if [ "$matrix" != 0 ]; then
	[ -n "$matrix" ] || matrix=$(cd "$ZSP_TOP/kernel-config/matrix" && ls -- *.config | sed 's/\.config$//')
	for m in $matrix; do
		frag=$ZSP_TOP/kernel-config/matrix/$m.config
		[ -f "$frag" ] || die "no matrix configuration '$m' (kernel-config/matrix/)"
		arch=x86_64
		case $m in i386-*) arch=i386 ;; esac
		mout=$ZSP_BUILD/kernel-check-$m
		kgit worktree add -q --detach "$wt" "$ZSP_BASE_REV"
		# Lenient: the debug fragments' options may not all exist on every
		# configuration (NUMA on i386); the matrix fragment's own must hold.
		ZSP_ARCH=$arch ZSP_KCONFIG_LENIENT=1 ZSP_EXTRA_FRAGMENT=$frag \
			"$ZSP_TOP/scripts/kernel/kconfig.sh" debug "$mout" "$wt" > "$mout.kconfig.log" 2>&1 ||
			die "matrix $m: configuration failed (log: $mout.kconfig.log)"
		ZSP_ARCH=$arch zsp_kmake "$wt" "$mout" -s prepare > "$mout/prepare.log" 2>&1 ||
			die "matrix $m: kernel prepare failed (log: $mout/prepare.log)"
		# The objects this configuration builds (built in or modular).
		mobjs=()
		for o in "${objs[@]}"; do
			case $o in
			mm/zswap.o) opt=ZSWAP ;; mm/zsmalloc.o) opt=ZSMALLOC ;; mm/zpool.o) opt=ZPOOL ;;
			mm/zbud.o) opt=ZBUD ;; mm/z3fold.o) opt=Z3FOLD ;; drivers/block/zram/zram_drv.o | drivers/block/zram/zcomp.o) opt=ZRAM ;;
			*) opt= ;;
			esac
			[ -z "$opt" ] || grep -q "^CONFIG_$opt=[ym]" "$mout/.config" && mobjs+=("$o")
		done
		mobjs+=(mm/page_io.o)
		n=0
		for p in "${list[@]}"; do
			n=$((n + 1))
			if ! git -C "$wt" -c user.name=check -c user.email=check@localhost am -q "$ZSP_PATCHES/$p" > "$mout/am.log" 2>&1; then
				echo "matrix $m: patch $n ($p) does not apply" >&2
				fail=1
				break
			fi
			if ! ZSP_ARCH=$arch zsp_kmake "$wt" "$mout" "${mobjs[@]}" > "$mout/patch-$n.log" 2>&1; then
				echo "matrix $m: patch $n ($p): build FAILED (log: $mout/patch-$n.log)" >&2
				grep -E 'error' "$mout/patch-$n.log" | head -5 >&2
				fail=1
			fi
		done
		echo "matrix $m ($arch): ${#list[@]} patches, each built ${mobjs[*]}"
		kgit worktree remove --force "$wt" 2>/dev/null || true
	done
fi
[ $fail -eq 0 ] || die "make check found problems (above)"
echo "make check: ${#list[@]} patches clean"
