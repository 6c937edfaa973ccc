#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""demo_summary.py DIR [BASE_DIR]: what the demo showed. First the
latency-critical task's own swap-ins beside workers and a hog, base and
series side by side; then one line per compressor (pages stored, loaded,
verified; load latency; preempt-off time per load), with the unpatched
base's preempt-off figure beside the series'; then one line per compressor
for zram as the only swap (zswap off). Exit 1 if any page failed to
verify or a file is missing."""
import json
import os
import sys


# The benchmark's file names (bench-guest.sh): C-PHASE.json for the
# workload, C-TOOL.tool.json for a tool's report.
def load(d, name):
    try:
        with open(os.path.join(d, name)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def poff(lock):
    if not lock or "load_preempt_off" not in lock:
        return None
    return lock["load_preempt_off"]["mean_ns"] / 1e3


def critical_line(name, d):
    j = load(d, "critical.json")
    if not j:
        return f"  {name:6s}: no result (see {d}/critical.err)", False
    w, s = j["wake_us"], j["swapin_us"]
    return (f"  {name:6s}: swap-in p50 {s['p50']:.0f} us, p99 {s['p99']:.0f} us, max {s['max']:.0f} us; "
            f"woke late by p99 {w['p99']:.0f} us; {j['overruns']} missed 5 ms deadlines; "
            f"{j['swapins']} swap-ins, {j['bad']} bad"), j["bad"] == 0


def main():
    d = sys.argv[1]
    base = sys.argv[2] if len(sys.argv) > 2 else None
    print("A SCHED_FIFO 90 task touching one of its own swapped-out pages every 5 ms, on the CPU of "
          "swap-in workers and a SCHED_FIFO 50 hog (3 ms spin, 1 ms sleep):")
    bad = False
    for name, dd in (("base", base), ("series", d)):
        if dd:
            line, ok = critical_line(name, dd)
            print(line)
            bad |= not ok
    comps = sorted({n[:-len("-plain.json")] for n in os.listdir(d) if n.endswith("-plain.json")},
                   key=lambda c: ["lzo", "lz4", "zstd", "deflate"].index(c) if c in ["lzo", "lz4", "zstd", "deflate"] else 9)
    bad |= not comps
    print("Per compressor, the workload with nothing attached and under zswplat and zsplock:")
    for c in comps:
        s = load(d, f"{c}-plain.json")
        l, k = load(d, f"{c}-zswplat.tool.json"), load(d, f"{c}-zsplock.tool.json")
        runs = [load(d, f"{c}-{p}.json") for p in ("plain", "zswplat", "zsplock")]
        if not all(runs):
            print(f"{c}: a workload result is missing in {d}")
            bad = True
            continue
        row = [x for x in (l or {}).get("compressors", []) if x["name"] == c]
        lat = ""
        if row:
            t = row[0]["phases"]["total"]
            lat = f"; load p50 {t['p50_ns'] / 1e3:.1f} us, p99 {t['p99_ns'] / 1e3:.1f} us"
        p = poff(k)
        pb = poff(load(base, f"{c}-zsplock.tool.json")) if base else None
        po = "n/a" if p is None else f"{p:.2f} us"
        if base:
            po = f"base {'n/a' if pb is None else f'{pb:.2f} us'}, series {po}"
        ok = all(r["bad"] == 0 and r["verified"] > 0 for r in runs)
        bad |= not ok
        nbad = sum(r["bad"] for r in runs)
        print(f"{c}: stored {s['zswpout']}, loaded {s['zswpin']}, verified {sum(r['verified'] for r in runs)} "
              f"over 3 runs ({nbad} bad){lat}; preempt-off per load: {po}")
    zcomps = [c for c in ("lzo", "lz4", "zstd") if os.path.exists(os.path.join(d, f"zram-{c}.json"))]
    bad |= not zcomps
    print("zram as the only swap (zswap off), the same workload per compressor:")
    for c in zcomps:
        cells = []
        for name, dd in (("base", base), ("series", d)):
            if not dd:
                continue
            j = load(dd, f"zram-{c}.json")
            if not j:
                cells.append(f"{name} no result")
                bad = True
                continue
            rate = j["pswpin"] / j["seconds"] if j["seconds"] else 0
            cells.append(f"{name} {j['pswpin']} swap-ins ({rate:.0f}/s), {j['verified']} verified, {j['bad']} bad")
            bad |= j["bad"] != 0 or j["verified"] == 0 or j["pswpin"] == 0
        print(f"zram {c}: " + "; ".join(cells))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
