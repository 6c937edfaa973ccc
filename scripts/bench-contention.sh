#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-contention.sh: what the context lock's kind costs when nobody is
# real-time. Four swap-in workers (SCHED_OTHER) share two vCPUs and so
# their two compression contexts, under icount; the trace kernels of make
# bench-latency (their tracers off) boot in turn, RUNS rounds, and each
# boot runs the same workload per compressor. Report: zswap loads per guest
# second, median (min..max) over boots per kernel, ratio to the base, and
# the verdict rule of make bench (ranges that overlap: no measurable
# difference).
#
#   RUNS=N          rounds (default 3)
#   COMPRESSORS=..  default "lzo deflate"
#   KERNELS=..      default "base series" (bzImage-NAME-trace; more with
#                   BENCH_EXTRA=NAME=REV, see build-bench-kernels.sh)
#
# Results: build/bench/contention-<UTC timestamp>/ (report.md, report.json).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

runs=${RUNS:-3}
comps=${COMPRESSORS:-lzo deflate}
kernels=${KERNELS:-base series}
kdir=$ZSP_BUILD/bench-kernels
check_bench_args "$runs" "$comps"
[[ " $kernels " == " base "* ]] || die "KERNELS must begin with base, not '$kernels'"
for k in $kernels; do
	[ -r "$kdir/bzImage-$k-trace" ] || die "no $k trace kernel in $kdir: run 'make bench-latency' first"
done
S=$ZSP_BUILD/selftests/zswap-stress
[ -x "$S" ] || die "$S missing: run 'make selftests'"
dir=$ZSP_BUILD/bench/contention-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dir/runs"
note "results in $dir"
printf '{"runs": %d, "compressors": "%s", "kernels": "%s", "mode": "icount", "vcpus": 2, "work": "%s"}\n' \
	"$runs" "$comps" "$kernels" "zswap-stress -m 64 -c 24 -P 4 -p 2 -w 10 -k tsmc -s 5" > "$dir/bench.json"
for i in $(seq "$runs"); do
	for k in $kernels; do
		d=$dir/runs/$k-$i
		note "round $i/$runs: $k kernel"
		"$ZSP_TOP/scripts/run-vm.sh" --icount -k "$kdir/bzImage-$k-trace" -s 2 -m 512M -o "$d" -t 1200 -- \
			"for c in $comps; do echo \$c > /sys/module/zswap/parameters/compressor && $S -m 64 -c 24 -P 4 -p 2 -w 10 -k tsmc -s 5 -j > $d/\$c.json 2> $d/\$c.err; done" ||
			touch "$d/failed"
	done
done
python3 - "$dir" <<'PY'
import json, os, statistics, sys
d = sys.argv[1]
bench = json.load(open(f"{d}/bench.json"))
ks, cs = bench["kernels"].split(), bench["compressors"].split()
rep = {"bench": bench, "compressors": {}}
L = [f"# Contended compression contexts, no real-time task: {' vs '.join(ks)}", "",
     f"Run `{os.path.basename(d)}`: icount, 2 vCPUs, `{bench['work']}`; zswap loads per guest "
     "second, median (min..max) over boots.", "",
     "| compressor | " + " | ".join(ks) + " | " + " | ".join(f"{k}/base | verdict" for k in ks[1:]) + " |",
     "|---" * (1 + len(ks) + 2 * (len(ks) - 1)) + "|"]
for c in cs:
    row = {}
    for k in ks:
        v = []
        for r in sorted(os.listdir(f"{d}/runs")):
            if r.startswith(k + "-") and not os.path.exists(f"{d}/runs/{r}/failed"):
                try:
                    j = json.load(open(f"{d}/runs/{r}/{c}.json"))
                except (OSError, ValueError):
                    continue
                if j.get("bad") == 0:
                    v.append(j["zswpin_per_sec"])
        row[k] = {"values": v, "n": len(v), "median": statistics.median(v) if v else None,
                  "min": min(v) if v else None, "max": max(v) if v else None}
    cells = [f"{row[k]['median']:.0f} ({row[k]['min']:.0f}..{row[k]['max']:.0f})" if row[k]["n"] else "n/a" for k in ks]
    b = row["base"]
    for k in ks[1:]:
        s = row[k]
        if not (b["n"] and s["n"]):
            cells += ["n/a", "n/a"]
            continue
        ratio = s["median"] / b["median"]
        verd = ("no verdict (fewer than 3 boots)" if min(b["n"], s["n"]) < 3 else
                "no measurable difference" if b["min"] <= s["max"] and s["min"] <= b["max"] else "differs")
        s["ratio"], s["verdict"] = ratio, verd
        cells += [f"{ratio:.3f}", verd]
    rep["compressors"][c] = row
    L.append(f"| {c} | " + " | ".join(cells) + " |")
json.dump(rep, open(f"{d}/report.json", "w"), indent=1, sort_keys=True)
open(f"{d}/report.md", "w").write("\n".join(L) + "\n")
print("\n".join(L))
PY
