#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench-summary.py BENCHDIR [--text]: the few lines of a bench run that
the README (markdown, default) and the cover letter (--text, 72 columns)
quote, generated from report.json so that neither says more than the run
measured. Every figure comes with its spread across boots and the verdict
of the report (a ratio inside the spreads is "no measurable difference")."""

import json
import sys


def med(s):
    return None if not s else s["median"]


def spread(s):
    if not s or s["n"] < 2 or not s["median"]:
        return None
    return (s["max"] - s["min"]) / abs(s["median"])


def differs(b, s):
    if not b or not s or b["n"] < 2 or s["n"] < 2:
        return None
    return s["min"] > b["max"] or s["max"] < b["min"]


def pct(x):
    return "n/a" if x is None else f"{100 * x:.1f}%"


def num(x, digits):
    return "n/a" if x is None else f"{x:.{digits}f}"


def main():
    bdir = sys.argv[1]
    text = "--text" in sys.argv[2:]
    r = json.load(open(f"{bdir}/report.json"))
    bench, table = r["bench"], r["table"]
    comps = bench.get("compressors", "").split()
    nb, ns = r["runs"].get("base", 0), r["runs"].get("series", 0)
    meta = r["meta"].get("series") or r["meta"].get("base") or {}
    head = (f"{bench.get('mode', '?')} mode, {meta.get('vcpus', '?')} vCPUs, {nb} base and {ns} "
            f"series boots alternating, started {bench.get('started', '?')}")
    if r["failed_runs"]:
        head += f"; FAILED boots, not used: {', '.join(r['failed_runs'])}"
    rows = []
    for c in comps:
        b, s = table[c]["base"], table[c]["series"]
        tb, ts = b["tput"], s["tput"]
        ratio = med(ts) / med(tb) if med(tb) and med(ts) else None
        d = differs(tb, ts)
        verdict = "n/a" if d is None else ("differs" if d else "no measurable difference")
        pb, ps = b["lat_p50"], s["lat_p50"]
        ob, os_ = b["poff_mean"], s["poff_mean"]
        rows.append({
            "c": c,
            "tput": (med(tb), med(ts), ratio, spread(tb), spread(ts), verdict),
            "p50": (med(pb), med(ps), spread(pb), spread(ps), differs(pb, ps)),
            "poff": (med(ob), med(os_)),
            "over": {t: (med(b.get(f"overhead_{t}")), med(s.get(f"overhead_{t}")))
                     for t in ("zswplat", "zsplock", "zspsleep")},
            "zw": med(s.get("zw_max")),
        })
    if text:
        print(f"Benchmark: {head}.")
        print("Swap-in throughput in zswap loads per second of guest time, median")
        print("over boots, and each kernel's spread across boots (max-min over")
        print("median):")
        print()
        print("             base      spread   series    spread   ratio  verdict")
        for x in rows:
            b, s, ra, sb, ss, v = x["tput"]
            print(f"  {x['c']:<8} {b or 0:9.0f} {pct(sb):>8} {s or 0:9.0f} {pct(ss):>8}  "
                  f"{'n/a' if ra is None else f'{ra:.3f}'}  {v}")
        if all(x["poff"][0] is not None for x in rows):
            print()
            print("Preempt-off time per load (zspage read side with preemption off plus")
            print("scomp's spinlocked decompression), median, us, base -> series:")
            print("  " + "; ".join(f"{x['c']} {x['poff'][0]:.2f} -> {x['poff'][1] or 0:.2f}"
                                   for x in rows))
        return
    print(f"Figures from `{bdir.rstrip('/').split('/')[-1]}` ({head}). "
          "Throughput: zswap loads per second of guest time; spread: the same "
          "kernel's (max - min) / median across boots.\n")
    print("| compressor | base loads/s (spread) | series loads/s (spread) | ratio | verdict | "
          "load p50 base / series (us) | preempt-off per load base / series (us) |")
    print("|---|---|---|---|---|---|---|")
    for x in rows:
        b, s, ra, sb, ss, v = x["tput"]
        pb, ps, psb, pss, pd = x["p50"]
        print(f"| {x['c']} | {b or 0:.0f} ({pct(sb)}) | {s or 0:.0f} ({pct(ss)}) | "
              f"{'n/a' if ra is None else f'{ra:.3f}'} | {v} | "
              f"{num(pb, 1)} / {num(ps, 1)} ({'differs' if pd else 'no measurable difference' if pd is not None else 'n/a'}) | "
              f"{num(x['poff'][0], 2)} / {num(x['poff'][1], 2)} |")
    print()
    print("| compressor | zswplat overhead base / series | zsplock | zspsleep |")
    print("|---|---|---|---|")
    for x in rows:
        o = x["over"]
        print(f"| {x['c']} | " + " | ".join(f"{pct(o[t][0])} / {pct(o[t][1])}"
                                          for t in ("zswplat", "zsplock", "zspsleep")) + " |")


if __name__ == "__main__":
    main()
