#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh BZIMAGE: boot the kernel, push a zswap workload through it with
# several compressors while zswplat and zsplock watch, and print what the
# guest measured: pages stored and loaded, load latency percentiles, and the
# preempt-off time per load.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=${1:?usage: demo.sh BZIMAGE}
out=$ZSP_BUILD/demo
rm -rf "$out"
mkdir -p "$out"
mkdir -p "$out/vm"
cat > "$out/demo-guest.sh" <<GUEST
set -e
T=$ZSP_BUILD/tools
bin=$ZSP_BUILD/selftests
# The run directory is the guest's only writable place on the host.
out=$out/vm
echo "== \$(uname -r) on \$(nproc) vCPUs, \$(awk '/MemTotal/ {printf "%d MiB", \$2/1024}' /proc/meminfo) RAM, zswap enabled=\$(cat /sys/module/zswap/parameters/enabled) zpool=\$(cat /sys/module/zswap/parameters/zpool)"
echo "== workload: zswap-stress -m 96 -c 32 -p 2 (96 MiB of mixed pages in a 32 MiB memory cgroup, 2 random-order verify passes)"
printf '%-8s %8s %8s %8s %6s %9s %9s %9s %9s %12s\n' comp stored loaded verified bad 'p50(us)' 'p99(us)' 'p99.9' 'max(us)' 'poff/load'
for c in lzo lz4 zstd deflate; do
	echo \$c > /sys/module/zswap/parameters/compressor
	\$T/zswplat -j > \$out/lat-\$c.json 2>\$out/lat-\$c.err &
	lat=\$!
	\$T/zsplock -j -t 1 > \$out/lock-\$c.json 2>\$out/lock-\$c.err &
	lock=\$!
	sleep 4
	\$bin/zswap-stress -m 96 -c 32 -p 2 -j > \$out/stress-\$c.json
	kill -INT \$lat \$lock
	wait \$lat \$lock || true
	python3 - \$c \$out <<'PY'
import json, sys
c, d = sys.argv[1], sys.argv[2]
s = json.load(open(f"{d}/stress-{c}.json"))
l = json.load(open(f"{d}/lat-{c}.json"))
k = json.load(open(f"{d}/lock-{c}.json"))
row = [x for x in l["compressors"] if x["name"] == c]
t = row[0]["phases"]["total"] if row else {"p50_ns": 0, "p99_ns": 0, "p999_ns": 0, "max_ns": 0}
p = k["load_preempt_off"]
print(f"{c:<8} {s['zswpout']:>8} {s['zswpin']:>8} {s['verified']:>8} {s['bad']:>6} "
      f"{t['p50_ns']/1e3:>9.1f} {t['p99_ns']/1e3:>9.1f} {t['p999_ns']/1e3:>9.1f} {t['max_ns']/1e3:>9.1f} "
      f"{p['mean_ns']/1e3:>9.1f} us")
PY
done
echo "== latency: zswplat (load entry to return, loads of that compressor); poff/load: zsplock, mean preempt-off time inside a load"
echo "== raw JSON: \$out"
GUEST
"$ZSP_TOP/scripts/run-vm.sh" -k "$kernel" -o "$out/vm" -t 1800 -- "bash $out/demo-guest.sh"
note "console: $out/vm/console.log"
