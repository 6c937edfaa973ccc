#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""demo-summary.py DIR [BASE_DIR]: one line per compressor of what the demo
showed (pages stored, loaded, verified; load latency; preempt-off time per
load), with the unpatched base's preempt-off figure beside it when the base
kernel was run too. Exit 1 if any page failed to verify or a file is missing."""
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


def main():
    d = sys.argv[1]
    base = sys.argv[2] if len(sys.argv) > 2 else None
    comps = sorted({n[:-len("-plain.json")] for n in os.listdir(d) if n.endswith("-plain.json")},
                   key=lambda c: ["lzo", "lz4", "zstd", "deflate"].index(c) if c in ["lzo", "lz4", "zstd", "deflate"] else 9)
    bad = not comps
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
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
