#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark's arithmetic, on a synthetic bench directory whose answers
# are known: medians and spreads over boots, series/base ratios, goals met
# and missed, a failed boot named, plots drawn. Plus bench.sh's bad input.
. "$ZSP_TOP/selftests/host/lib.sh"

b=$scratch/bench
python3 - "$b" <<'PY'
import json, os, sys

d = sys.argv[1]
os.makedirs(f"{d}/runs")
json.dump({"started": "2026-01-01T00:00:00Z", "runs": 3, "compressors": "lzo deflate",
           "host": "test", "host_cpus": 2, "host_cpu_model": "test cpu", "qemu": "QEMU test",
           "mode": "icount", "base_rev": "a" * 40, "series_rev": "b" * 40, "ref": "linux-source-6.12-6.12.117-1~deb12u1"}, open(f"{d}/bench.json", "w"))

def hist(p50, p99, mx, n=1000):
    # 98% at p50, 1% at p99, 1% at max: p50, p99 and max land where intended.
    return {"count": n, "sum_ns": 0, "p50_ns": p50 * 1000, "p90_ns": p50 * 1000,
            "p99_ns": p99 * 1000, "p999_ns": mx * 1000, "max_ns": mx * 1000,
            "buckets_ns": [[p50 * 1000, n * 98 // 100], [p99 * 1000, n // 100], [mx * 1000, n // 100]]}

# (kernel, run) -> compressor -> figures
fig = {
    ("base", 1): {"lzo": (20, 90, 1000, 10.0, 5000, 1000), "deflate": (60, 200, 3000, 30.0, 9000, 500)},
    ("base", 2): {"lzo": (22, 110, 1200, 12.0, 7000, 1100), "deflate": (62, 220, 3200, 32.0, 11000, 520)},
    ("base", 3): {"lzo": (21, 100, 1100, 11.0, 6000, 1050), "deflate": (61, 210, 3100, 31.0, 10000, 510)},
    ("series", 1): {"lzo": (19, 40, 800, 0.1, 3000, 990), "deflate": (59, 190, 2000, 0.0, 4000, 500)},
    ("series", 2): {"lzo": (21, 60, 900, 0.3, 5000, 1090), "deflate": (61, 209, 2100, 0.0, 6000, 520)},
    ("series", 3): {"lzo": (20, 50, 850, 0.2, 4000, 1040), "deflate": (60, 200, 2050, 0.0, 5000, 510)},
    ("ref", 1): {"lzo": (30, 150, 2000, 9.0, 8000, 900), "deflate": (70, 300, 4000, 20.0, 12000, 400)},
}
for (k, i), comps in fig.items():
    r = f"{d}/runs/{k}-{i}"
    os.makedirs(r)
    open(f"{r}/status", "w").write("0\n")
    open(f"{r}/accel", "w").write("tcg\n")
    json.dump({"kernel": "6.1.192", "vcpus": 2, "mem_kib": 500000, "work": "w", "zpool": "zsmalloc"},
              open(f"{r}/meta.json", "w"))
    for c, (p50, p99, mx, poff, ctmax, tput) in comps.items():
        st = lambda t: json.dump({"status": "ok", "zswpin_per_sec": t}, open(f"{r}/{c}-{name}.json", "w"))
        name = "plain"; st(tput)
        json.dump({"status": "ok", "zswpin_per_sec": tput, "pswpin": 0 if c == "lzo" else 7},
                  open(f"{r}/{c}-plain.json", "w"))
        json.dump({"status": "ok", "zswpin_per_sec": tput / 4, "pswpin": 900,
                   "pswpout": 130, "zswap_written_back": 30},
                  open(f"{r}/{c}-realworld.json", "w"))
        name = "zswplat"; st(tput * 0.99)
        name = "zsplock"; st(tput * 0.90)
        name = "zspsleep"; st(tput)
        # Tools print an interval report before the final one: the last counts.
        with open(f"{r}/{c}-zswplat.tool.json", "w") as f:
            f.write(json.dumps({"compressors": []}) + "\n")
            f.write(json.dumps({"hooks": {"zswap_frontswap_load": "fentry"},
                                "compressors": [{"name": c, "phases": {"total": hist(p50, p99, mx)}}]}) + "\n")
        json.dump({"load_preempt_off": {"count": 100, "sum_ns": int(poff * 100 * 1000), "max_ns": int(poff * 5000)},
                   "locks": {"zspage-read": {"hold_ns": 1, "preempt_off_ns": int(poff * 100 * 1000 / 2) if k == "base" else 0, "preempt_off_share": 1.0 if k == "base" else 0.0,
                                             "traced": "test"}}},
                  open(f"{r}/{c}-zsplock.tool.json", "w"))
        json.dump({"thread": {"0": {"histogram": {"10": 980, "500": 19, str(ctmax): 1},
                                    "cycles": 1000, "min": 3, "max": ctmax, "avg": 12.0}}},
                  open(f"{r}/{c}-cyclictest.ct.json", "w"))
# A fourth base boot that failed before producing anything.
os.makedirs(f"{d}/runs/base-4")
open(f"{d}/runs/base-4/failed", "w").close()
PY

check "bench-report runs on a synthetic bench" 0 "goals met; 1 failed boot" zsp_py bench_report "$b"
md=$b/report.md
want() {
	grep -qF -- "$2" "$md" && ok "report: $1" || { not_ok "report: $1 (no line with: $2)"; grep -F "| $3 |" "$md" | head -5 | sed 's/^/#   /'; }
}
want "median and spread of lzo p99" "| lzo | p99 | 100.0 (90.0..110.0) | 50.0 (40.0..60.0) | 0.50 |" lzo
want "preempt-off per load ratio" "| lzo | mean per load (us) | 11.00 (10.00..12.00) | 0.20 (0.10..0.30) | 0.02 |" lzo
want "zspage-access share of it" "| lzo | of which zspage access, per load (us) | 5.50 (5.00..6.00) | 0.00 (0.00..0.00) | 0.00 |" lzo
want "cyclictest max" "| deflate | max (us) | 10000 (9000..11000) | 5000 (4000..6000) | 0.50 |" deflate
want "cyclictest p99 from the histogram" "| lzo | p99 (us) | 500 (500..500) | 500 (500..500) | 1.00 |" lzo
want "throughput ratio" "| lzo | loads/s | 1050 (1000..1100) | 1040 (990..1090) | 0.99 |" lzo
want "tool overhead as a share" "| lzo | zsplock | 10.0% (10.0..10.0) | 10.0% (10.0..10.0) |" lzo
want "a met goal" "| lzo: load p99 series/base <= 0.90 | 0.50 | yes |" goal
want "a missed goal says so with its figure" "| deflate: load p99 series/base <= 0.90 | 0.95 | **no** |" goal
want "preempt-off goal in percent" "| lzo: preempt-off time per load series <= 5% of base | 1.8% | yes |" goal
want "tool overhead goal missed" "| lzo: zsplock throughput overhead on series <= 5% | 10.0% | **no** |" goal
want "the failed boot is named at the top, its figures unused" "**This run had failed boots: base-4. Their figures are not used" failed
want "the 6.12 reference gets its own column" "| lzo | p99 | 100.0 (90.0..110.0) | 50.0 (40.0..60.0) | 0.50 | 150.0 |" lzo
want "boots counted per kernel, the failed one not" "3 base and 3 series boots" boots
want "a difference outside both spreads is claimed" "| 0.50 | 150.0 | differs (spread 20.0%/40.0%) |" lzo
want "overlapping ranges are no measurable difference" "| lzo | loads/s | 1050 (1000..1100) | 1040 (990..1090) | 0.99 | no measurable difference (spread 9.5%/9.6%) |" lzo
want "the mode is stated" "**mode: icount (deterministic)**" mode
want "pswpin of the measured phase is a goal" "| lzo: measured phase never read the swap disk (pswpin 0) | max 0 | yes |" goal
want "disk reads in the measured phase fail it" "| deflate: measured phase never read the swap disk (pswpin 0) | max 7 | **no** |" goal
want "refused stores of the real-world phase are counted" "| lzo | stores zswap refused, uncounted by 6.1 (pswpout - written_back) | 100 (100..100) | 100 (100..100) |" lzo
# Two boots per kernel give figures, never a verdict.
cp -r "$b" "$scratch/bench2"
rm -rf "$scratch/bench2/runs/base-3" "$scratch/bench2/runs/series-3"
zsp_py bench_report "$scratch/bench2" > /dev/null 2>&1
grep -qF "| 0.50 | 150.0 | exploratory (2 boots): no verdict |" "$scratch/bench2/report.md" &&
	! grep -q "| differs (\|no measurable difference (" "$scratch/bench2/report.md" &&
	ok "report: 2 boots per kernel are exploratory, no verdict anywhere" ||
	not_ok "report: 2 boots per kernel are exploratory, no verdict anywhere"
for p in latency cyclictest; do
	if [ -s "$b/plots/$p.png" ] && [ "$(head -c 4 "$b/plots/$p.png" | tail -c 3)" = PNG ]; then
		ok "plot $p.png drawn by gnuplot"
	else
		not_ok "plot $p.png drawn by gnuplot"
	fi
	grep -q "<svg" "$b/plots/$p.svg" 2>/dev/null && ok "plot $p.svg drawn by gnuplot" ||
		not_ok "plot $p.svg drawn by gnuplot"
done
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r['runs'] == {'base': 3, 'series': 3, 'ref': 1}" \
	"$b/report.json" && ok "report.json is valid JSON with the run counts" || not_ok "report.json"

check "bench: RUNS must be a number" 1 "RUNS must be a positive number, not 'x'" env RUNS=x "$ZSP_TOP/scripts/bench/bench.sh"
check "bench: an unknown compressor is named" 1 "unknown compressor 'lzx'" env COMPRESSORS=lzx "$ZSP_TOP/scripts/bench/bench.sh"
check "bench: zram phases are bench-latency's only" 1 "'zram-lzo' in COMPRESSORS: zram phases are make bench-latency's only" \
	env COMPRESSORS=zram-lzo "$ZSP_TOP/scripts/bench/bench.sh"
check "bench-latency: an unknown zram compressor is named" 1 "unknown compressor 'zram-lzx'" \
	env COMPRESSORS=zram-lzx "$ZSP_TOP/scripts/bench/latency.sh"
check "bench: an unknown MODE is named" 1 "MODE must be icount or realtime, not 'fast'" env MODE=fast "$ZSP_TOP/scripts/bench/bench.sh"
check "bench: missing kernels say what to run" 1 "run 'make bench'" env ZSP_BUILD="$scratch/nobuild" "$ZSP_TOP/scripts/bench/bench.sh"
tap_done
