#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh BZIMAGE: boot the kernel, push a zswap workload through it with
# every compressor and print what the guest measured.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=${1:?usage: demo.sh BZIMAGE}
out=$ZSP_BUILD/demo
rm -rf "$out"
mkdir -p "$out"
cat > "$out/demo-guest.sh" <<GUEST
set -e
bin=$ZSP_BUILD/selftests
echo "== \$(uname -r) on \$(nproc) vCPUs, \$(awk '/MemTotal/ {printf "%d MiB", \$2/1024}' /proc/meminfo), swap \$(awk 'NR==2 {printf "%d MiB", \$3/1024}' /proc/swaps)"
echo "== zswap: enabled=\$(cat /sys/module/zswap/parameters/enabled) zpool=\$(cat /sys/module/zswap/parameters/zpool) compressor=\$(cat /sys/module/zswap/parameters/compressor)"
printf '%-9s %9s %9s %9s %10s %8s %6s\n' compressor stored loaded verified loads/s seconds bad
for c in lzo lz4 zstd deflate; do
	echo \$c > /sys/module/zswap/parameters/compressor
	j=\$("\$bin/zswap-stress" -m 192 -c 64 -p 2 -j)
	f() { sed -n "s/.*\"\$1\": \\([0-9.]*\\).*/\\1/p" <<< "\$j"; }
	printf '%-9s %9s %9s %9s %10s %8s %6s\n' \$c \$(f zswpout) \$(f zswpin) \$(f verified) \$(f zswpin_per_sec) \$(f seconds) \$(f bad)
	echo "\$j" >> $out/results.json
done
GUEST
"$ZSP_TOP/scripts/run-vm.sh" -k "$kernel" -o "$out/vm" -- "bash $out/demo-guest.sh"
note "raw results: $out/results.json; console: $out/vm/console.log"
