#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input to the scripts and the workload program (the BPF tools' own is
# in host/tools): unknown flags, bad values and missing inputs get a clear
# message and a documented exit code; the workload's verifier really
# detects a corrupted byte.
. "$ZSP_TOP/selftests/host/lib.sh"
stress=$ZSP_BIN/zswap-stress

if [ -x "$stress" ]; then
	check "zswap-stress verifies a small run" 0 "0 bad" "$stress" -m 8 -p 2
	check "zswap-stress catches a flipped byte (-X)" 1 "differs at byte 123" "$stress" -m 8 -p 1 -X
	check "zswap-stress: unknown flag is a usage error" 2 "usage:" "$stress" --bogus
	check "zswap-stress: bad number is named" 2 "bad value 'x' for -m" "$stress" -m x
	check "zswap-stress -Z fails when zswap served nothing" 1 "nothing was tested" "$stress" -m 8 -p 1 -Z 1
else
	not_ok "zswap-stress built ($stress missing: make workloads)"
fi
check "run-vm: unknown option" 1 "unknown option '--bogus'" "$ZSP_TOP/scripts/vm/run-vm.sh" --bogus -- true
check "run-vm: missing kernel" 1 "not found: run 'make kernel'" \
	"$ZSP_TOP/scripts/vm/run-vm.sh" -k "$scratch/none" -- true
check "run-vm: no command" 1 "no guest command" "$ZSP_TOP/scripts/vm/run-vm.sh" -k /dev/null
check "kconfig: unknown config name" 1 "unknown kernel config 'fast'" "$ZSP_TOP/scripts/kernel/kconfig.sh" fast "$scratch/k"
check "build-kernel: unknown config name" 1 "unknown kernel config 'fast'" "$ZSP_TOP/scripts/kernel/build-kernel.sh" fast series "$scratch/ko"

# Not root and a package missing: the exact apt-get command, no install.
# The scripts run from a world-readable copy, so the checkout's own place
# and mode (a clone in a mode-700 home) do not decide the outcome.
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
	pub=$(mktemp -d /tmp/zsp-nonroot.XXXXXX)
	mkdir -p "$pub/scripts/setup"
	cp "$ZSP_TOP/scripts/lib.sh" "$pub/scripts/"
	cp "$ZSP_TOP/scripts/setup/deps.sh" "$pub/scripts/setup/"
	chmod -R a+rX "$pub"
	check "deps as non-root names the missing package and the command" 1 \
		"apt-get install -y --no-install-recommends zsp-no-such-package" \
		setpriv --reuid=nobody --regid=nogroup --clear-groups \
		env ZSP_EXTRA_PKGS=zsp-no-such-package ZSP_TOP="$pub" ZSP_BUILD="$pub/build" "$pub/scripts/setup/deps.sh"
	rm -rf "$pub"
else
	skip "deps as non-root" "no 'nobody' user or setpriv on this host"
fi
tap_done
