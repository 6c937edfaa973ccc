#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kconfig.sh NAME OUTDIR [SRC]: write OUTDIR/.config from allnoconfig plus
# kernel-config/guest.config and kernel-config/NAME.config, using the
# merge_config.sh of kernel tree SRC (default: the series tree), then fail
# if any option a fragment asks for did not survive (a missing dependency
# silently drops it otherwise).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

name=${1:?usage: kconfig.sh debug|perf|trace|kasan|lockstat|nocompact|kasan-nocompact OUTDIR [SRC]}
out=${2:?usage: kconfig.sh debug|perf|trace|kasan|lockstat|nocompact|kasan-nocompact OUTDIR [SRC]}
src=${3:-$ZSP_KSRC}
frags=("$ZSP_TOP/kernel-config/guest.config")
case $name in
debug) frags+=("$ZSP_TOP/kernel-config/debug.config") ;;
perf) frags+=("$ZSP_TOP/kernel-config/perf.config") ;;
trace) frags+=("$ZSP_TOP/kernel-config/perf.config" "$ZSP_TOP/kernel-config/trace.config") ;;
kasan) frags+=("$ZSP_TOP/kernel-config/debug.config" "$ZSP_TOP/kernel-config/kasan.config") ;;
lockstat) frags+=("$ZSP_TOP/kernel-config/debug.config" "$ZSP_TOP/kernel-config/lockstat.config") ;;
nocompact) frags+=("$ZSP_TOP/kernel-config/debug.config" "$ZSP_TOP/kernel-config/nocompact.config") ;;
kasan-nocompact) frags+=("$ZSP_TOP/kernel-config/debug.config" "$ZSP_TOP/kernel-config/kasan.config" "$ZSP_TOP/kernel-config/nocompact.config") ;;
*) die "unknown kernel config '$name' (expected debug, perf, trace, kasan, lockstat, nocompact or kasan-nocompact)" ;;
esac
# One more fragment for a local experiment (and the kconfig host test).
[ -z "${ZSP_EXTRA_FRAGMENT:-}" ] || frags+=("$ZSP_EXTRA_FRAGMENT")
[ -f "$src/scripts/kconfig/merge_config.sh" ] || die "$src is not a kernel tree: run 'make base'"
mkdir -p "$out"
out=$(cd "$out" && pwd)

(cd "$src" && ARCH=${ZSP_ARCH:-x86_64} scripts/kconfig/merge_config.sh -n -O "$out" "${frags[@]}") \
	> "$out/merge_config.log" 2>&1 || {
	tail -20 "$out/merge_config.log" >&2
	die "merge_config.sh failed (log: $out/merge_config.log)"
}

# Later fragments override earlier ones, so the wanted value is the last one.
want=$(cat "${frags[@]}" | sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)$/\1 \2/p' \
	-e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1 n/p' |
	awk '{v[$1] = $2} END {for (k in v) print k, v[k]}' | sort)
dropped=
while read -r opt val; do
	got=$(sed -n -e "s/^$opt=\\(.*\\)\$/\\1/p" -e "s/^# $opt is not set\$/n/p" "$out/.config")
	[ -n "$got" ] || got=n
	[ "$got" = "$val" ] || dropped+="  $opt: asked $val, got $got"$'\n'
done <<< "$want"
if [ -n "$dropped" ] && [ -n "${ZSP_KCONFIG_LENIENT:-}" ]; then
	# A different kernel version (the bench reference) or architecture
	# (the make check matrix) renames or drops some options of the shared
	# fragments; say which, and go on. What ZSP_EXTRA_FRAGMENT itself asks
	# for is the point of the configuration and must still hold.
	printf '%s: note: not in this kernel version or not satisfiable, ignored:\n%s' "${0##*/}" "$dropped" >&2
	if [ -n "${ZSP_EXTRA_FRAGMENT:-}" ]; then
		own=$(sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=.*$/\1/p; s/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1/p' "$ZSP_EXTRA_FRAGMENT")
		bad=$(grep -F -w -f <(echo "$own") <<< "$dropped" || true)
		if [ -n "$own" ] && [ -n "$bad" ]; then
			printf '%s: error: options %s asks for did not survive olddefconfig:\n%s\n' "${0##*/}" "$ZSP_EXTRA_FRAGMENT" "$bad" >&2
			exit 1
		fi
	fi
elif [ -n "$dropped" ]; then
	printf '%s: error: options the fragments ask for did not survive olddefconfig:\n%s' "${0##*/}" "$dropped" >&2
	printf 'A dependency is missing from kernel-config/: add it there.\n' >&2
	exit 1
fi
[ -n "$dropped" ] || note "$out/.config: $(echo "$want" | wc -l) fragment options all present"
