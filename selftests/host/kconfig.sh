#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel config step: the project's fragments all survive olddefconfig,
# and an option whose dependencies cannot be met is reported by name.
. "$ZSP_TOP/selftests/host/lib.sh"

if [ ! -f "$ZSP_BUILD/linux/Makefile" ]; then
	not_ok "kernel tree present (make base)"
	tap_done
fi
for cfg in debug perf; do
	check "kernel-config $cfg: every fragment option survives" 0 "fragment options all present" \
		"$ZSP_TOP/scripts/kernel/kconfig.sh" "$cfg" "$scratch/$cfg"
done
# KASAN_SW_TAGS exists only on arm64: the check must name it, not pass.
echo "CONFIG_KASAN_SW_TAGS=y" > "$scratch/bad.config"
check "an unsatisfiable option is named" 1 "CONFIG_KASAN_SW_TAGS: asked y, got n" \
	env ZSP_EXTRA_FRAGMENT="$scratch/bad.config" "$ZSP_TOP/scripts/kernel/kconfig.sh" debug "$scratch/bad"
tap_done
