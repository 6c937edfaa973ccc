#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The harness works from any checkout path: a copy of the scripts under /tmp
# (which the guest covers with tmpfs) boots the test kernel, the guest reads a
# file of that checkout and writes into a run directory under it. Paths the
# guest kernel command line cannot carry, and too little disk, are refused
# in the first second with a message that says what to do.
. "$ZSP_TOP/selftests/host/lib.sh"
kernel=${ZSP_KERNEL:-$ZSP_BUILD/kernel-debug/arch/x86/boot/bzImage}

co=$(mktemp -d /tmp/zsp-checkout.XXXXXX)
trap 'rm -rf "$scratch" "$co"' EXIT
cp -r "$ZSP_TOP/scripts" "$co/"
marker=$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
echo "$marker" > "$co/marker"

if [ -r "$kernel" ]; then
	# -q: a clean run prints nothing; what the guest saw is checked below.
	check "a checkout under /tmp boots the test kernel" 0 "" \
		env ZSP_TOP="$co" ZSP_BUILD="$co/build" "$co/scripts/vm/run-vm.sh" -q -s 1 -m 256M -t 300 \
		-k "$kernel" -o "$co/build/vm/run" -- "echo seen \$(cat $co/marker); cat $co/build/vm/run/guest.out > /dev/null"
	# The guest wrote through the run directory's share: the host sees it.
	[ "$(cat "$co/build/vm/run/status" 2>/dev/null)" = 0 ] &&
		grep -q "^seen $marker" "$co/build/vm/run/guest.out" &&
		ok "the guest read the checkout's file and wrote the run directory, both under /tmp" ||
		not_ok "the guest read the checkout's file and wrote the run directory, both under /tmp (guest.out: $(head -c 200 "$co/build/vm/run/guest.out" 2>/dev/null))"
else
	not_ok "a checkout under /tmp boots ($kernel not built: make kernel)"
fi

mkdir -p "$scratch/with blank/build"
check "preflight: a checkout path with a blank is refused with the reason" 1 \
	"checkout '.*with blank' has a character the guest kernel command line cannot carry" \
	env ZSP_TOP="$scratch/with blank" ZSP_BUILD="$scratch/with blank/build" "$ZSP_TOP/scripts/setup/preflight.sh"
check "run-vm: a run directory with a comma is refused" 1 "run directory '.*a,b' has a character" \
	"$ZSP_TOP/scripts/vm/run-vm.sh" -k /dev/null -o "$scratch/a,b" -- true
check "preflight: too little disk is named before any work" 1 "GiB free .* need about 999999 GiB" \
	env ZSP_BUILD="$scratch/build" "$ZSP_TOP/scripts/setup/preflight.sh" 999999
check "preflight: this checkout passes" 0 "" "$ZSP_TOP/scripts/setup/preflight.sh"
tap_done
