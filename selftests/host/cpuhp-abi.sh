#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The series changes no value of enum cpuhp_state: out-of-tree modules of a
# 6.1.y kernel are built against those numbers (CPUHP_AP_ONLINE_DYN among
# them), so a stable update must keep every entry where it is. The values
# come from the BTF of the base and series kernels that make test built
# (pahole wrote it, bpftool reads it): what the compiler made of the
# headers, not our reading of them.
. "$ZSP_TOP/selftests/host/lib.sh"

# enum_of VMLINUX: "NAME = VALUE" per line for enum cpuhp_state.
enum_of() {
	bpftool btf dump file "$1" format c |
		sed -n '/^enum cpuhp_state {/,/^};/p' | sed -n 's/^\t\(CPUHP_[A-Za-z0-9_]*\) = \(-\{0,1\}[0-9]*\),$/\1 = \2/p'
}

series=${ZSP_CPUHP_SERIES:-$ZSP_BUILD/kernel-debug/vmlinux}
base=${ZSP_CPUHP_BASE:-$ZSP_BUILD/kernel-debug-base/vmlinux}
for v in "$series" "$base"; do
	if [ ! -r "$v" ]; then
		not_ok "kernel with BTF built: $v (make kernel kernel-base)"
		tap_done
	fi
done
enum_of "$base" > "$scratch/base"
enum_of "$series" > "$scratch/series"
nb=$(wc -l < "$scratch/base")
online=$(sed -n 's/^CPUHP_AP_ONLINE_DYN = //p' "$scratch/base")
echo "# enum cpuhp_state: $nb entries on the base, CPUHP_AP_ONLINE_DYN = $online"
[ "$nb" -gt 100 ] && [ -n "$online" ] && ok "enum cpuhp_state read from the base kernel's BTF ($nb entries)" ||
	not_ok "enum cpuhp_state from $base: $nb entries, CPUHP_AP_ONLINE_DYN '$online'"
if cmp -s "$scratch/base" "$scratch/series"; then
	ok "enum cpuhp_state: every entry has the base's value on the series"
else
	not_ok "enum cpuhp_state differs between base and series (base < >series):"
	diff "$scratch/base" "$scratch/series" | sed 's/^/#   /' | head -20
fi
tap_done
