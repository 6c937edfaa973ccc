#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""demo-summary.py DIR [BASE_DIR]: one line per compressor of what the demo
showed (pages stored, loaded, verified; load latency; preempt-off time per
load), with the unpatched base's preempt-off figure beside it when the base
kernel was run too. Exit 1 if any page failed to verify or a file is missing."""
import json
import os
import sys


def load(d, kind, c):
    try:
        with open(os.path.join(d, f"{kind}-{c}.json")) as f:
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
    comps = sorted({n.split("-", 1)[1][:-5] for n in os.listdir(d) if n.startswith("stress-")},
                   key=lambda c: ["lzo", "lz4", "zstd", "deflate"].index(c) if c in ["lzo", "lz4", "zstd", "deflate"] else 9)
    bad = not comps
    for c in comps:
        s, l, k = load(d, "stress", c), load(d, "lat", c), load(d, "lock", c)
        if not s:
            print(f"{c}: no workload result in {d}")
            bad = True
            continue
        row = [x for x in (l or {}).get("compressors", []) if x["name"] == c]
        lat = ""
        if row:
            t = row[0]["phases"]["total"]
            lat = f"; load p50 {t['p50_ns'] / 1e3:.1f} us, p99 {t['p99_ns'] / 1e3:.1f} us"
        p = poff(k)
        pb = poff(load(base, "lock", c)) if base else None
        po = "n/a" if p is None else f"{p:.2f} us"
        if base:
            po = f"base {'n/a' if pb is None else f'{pb:.2f} us'}, series {po}"
        ok = s["bad"] == 0 and s["verified"] > 0
        bad |= not ok
        print(f"{c}: stored {s['zswpout']}, loaded {s['zswpin']}, verified {s['verified']} "
              f"({s['bad']} bad){lat}; preempt-off per load: {po}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
