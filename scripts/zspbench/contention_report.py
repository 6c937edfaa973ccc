#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""contention_report DIR: report of one make bench-contention run.

Reads DIR/bench.json and DIR/runs/<kernel>-<n>/<compressor>.json
(zsp-critical's results, no real-time task) and writes DIR/report.json and
DIR/report.md: zswap loads per guest second per compressor and kernel,
median (min..max) over boots, each kernel against the base with
stats.compare's verdict. A boot counts only if every page verified."""

import json
import os
import sys

from zspbench.stats import load_json, summarize, verdict


def main():
    d = sys.argv[1]
    bench = load_json(f"{d}/bench.json")
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
                if not r.startswith(k + "-") or os.path.exists(f"{d}/runs/{r}/failed"):
                    continue
                j = load_json(f"{d}/runs/{r}/{c}.json")
                if j and j.get("bad") == 0:
                    v.append(j["zswpin_per_sec"])
            row[k] = summarize(v, keep_values=True) or {"values": v, "n": 0, "median": None,
                                                        "min": None, "max": None}
        cells = [f"{row[k]['median']:.0f} ({row[k]['min']:.0f}..{row[k]['max']:.0f})" if row[k]["n"] else "n/a"
                 for k in ks]
        b = row["base"]
        for k in ks[1:]:
            s = row[k]
            if not (b["n"] and s["n"]):
                cells += ["n/a", "n/a"]
                continue
            s["ratio"], s["verdict"] = s["median"] / b["median"], verdict(b, s)
            cells += [f"{s['ratio']:.3f}", s["verdict"]]
        rep["compressors"][c] = row
        L.append(f"| {c} | " + " | ".join(cells) + " |")
    with open(f"{d}/report.json", "w") as f:
        json.dump(rep, f, indent=1, sort_keys=True)
    with open(f"{d}/report.md", "w") as f:
        f.write("\n".join(L) + "\n")
    print("\n".join(L))


if __name__ == "__main__":
    main()
