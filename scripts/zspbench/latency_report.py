#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""latency_report.py DIR: report of one make bench-latency run.

Reads DIR/bench.json and DIR/runs/<kernel>-<n>/ (latency-guest.sh's files)
and writes DIR/report.json and DIR/report.md: per compressor and figure, the
value of every boot, the median (min..max) per kernel, series/base, and a
verdict. Two kernels whose ranges over boots overlap show no measurable
difference; the ratio is printed either way.

The figures come from judges the project did not write: cyclictest (Debian
rt-tests), rtla timerlat (the kernel's timerlat tracer), the kernel's
preemptoff tracer, and zsp-critical's own clock reads around one touch of
a swapped-out page.
"""
import json
import os
import re
import sys

from zspbench.stats import MIN_VERDICT_BOOTS, compare, hist_percentile, load_json, rng, summarize



def hist_pct(hist, pct):
    v = hist_percentile(hist, pct)
    return None if v is None else float(v)


def summary(vals):
    return summarize(vals, keep_values=True)


def verdict(b, s, name):
    """stats.compare's verdict, naming the kernel that is lower or higher."""
    if not b or not s:
        return "n/a (not measured on both)"
    c = compare(b, s)
    if c is None:
        return f"n/a (fewer than {MIN_VERDICT_BOOTS} boots)"
    return "no measurable difference" if c == "same" else f"{name} {c}"


def cyclictest(path):
    ct = load_json(path)
    if not ct or not ct.get("thread"):
        return {}
    th = next(iter(ct["thread"].values()))
    hist = sorted((int(k), v) for k, v in th.get("histogram", {}).items())
    return {"max": float(th["max"]), "p99": hist_pct(hist, 99),
            "p99.9": hist_pct(hist, 99.9), "cycles": th.get("cycles")}


def timerlat(path):
    """rtla timerlat hist's text: per-bucket rows 'index irq thr', then
    count:/min:/avg:/max: rows. Returns the thread latency's figures."""
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError:
        return {}
    irq, thr, tot = [], [], {}
    for line in lines:
        f = line.split()
        if len(f) == 3 and f[0].isdigit():
            irq.append((int(f[0]), int(f[1])))
            thr.append((int(f[0]), int(f[2])))
        elif len(f) == 3 and f[0].endswith(":") and f[0][:-1] in ("over", "count", "min", "avg", "max"):
            tot[f[0][:-1]] = (f[1], f[2])
    if "max" not in tot:
        return {}
    r = {"max": float(tot["max"][1]), "irq_max": float(tot["max"][0]),
         "p99": hist_pct(thr, 99), "p99.9": hist_pct(thr, 99.9),
         "count": int(tot["count"][1]), "over": int(tot.get("over", ("0", "0"))[1])}
    return r


def preemptoff(base):
    """The preemptoff tracer's longest section: its length and, from the
    trace, the task, where it started and ended, and the stack at its end."""
    try:
        with open(base + ".max") as f:
            us = float(f.read().split()[0])
        with open(base + ".trace") as f:
            text = f.read()
    except (OSError, ValueError, IndexError):
        return {}
    r = {"max": us}
    m = re.search(r"=> started at:\s*(\S+)", text)
    r["started"] = m.group(1) if m else ""
    m = re.search(r"=> ended at:\s*(\S+)", text)
    r["ended"] = m.group(1) if m else ""
    m = re.search(r"\| task: (\S+)", text)
    r["task"] = re.sub(r"-\d+$", "", m.group(1)) if m else ""
    r["stack"] = re.findall(r"^ => (\S+)", text, re.M)[:12]
    return r


def critical(path):
    j = load_json(path)
    if not j:
        return {}
    r = {"swapins": j["swapins"], "bad": j["bad"], "overruns": j.get("overruns", 0)}
    for k in ("wake", "swapin"):
        for p in ("p50", "p99", "p99.9", "max"):
            r[f"{k}_{p}"] = j[f"{k}_us"][p]
    return r


def run_figures(rundir, comp):
    """Flat figures of one boot and compressor: name -> value."""
    out = {}
    tl = timerlat(f"{rundir}/{comp}-timerlat.txt")
    for name, d in (("ct", cyclictest(f"{rundir}/{comp}-cyclictest.ct.json")), ("tl", tl)):
        for k in ("max", "p99", "p99.9"):
            if d.get(k) is not None:
                out[f"{name}_{k}"] = d[k]
    if "irq_max" in tl:
        out["tl_irq_max"] = tl["irq_max"]
    po = preemptoff(f"{rundir}/{comp}-preemptoff")
    if po:
        out["poff_max"] = po["max"]
    # The workers' own rate while cyclictest measured: what the latency
    # figures cost in swap-in throughput (zswap loads per guest second).
    wk = load_json(f"{rundir}/{comp}-cyclictest.json")
    if wk and wk.get("zswpin_per_sec"):
        out["wk_tput"] = wk["zswpin_per_sec"]
    elif wk and comp.startswith("zram-") and wk.get("pswpin") and wk.get("seconds"):
        # zram: every swap-in is a zram read, counted by pswpin.
        out["wk_tput"] = wk["pswpin"] / wk["seconds"]
    # zsplock's exact preempt-off time per load and, over the same window,
    # the preemptoff tracer's longest section: its judge. A sampling
    # zsplock (no preempt tracepoints) is not a figure of this table.
    zl = load_json(f"{rundir}/{comp}-zsplock.json")
    if zl and zl.get("preempt_off_method", "").startswith("preempt_disable/preempt_enable"):
        lp = zl["load_preempt_off"]
        out["zl_mean"] = lp["mean_ns"] / 1e3
        out["zl_p99"] = lp["p99_ns"] / 1e3
        out["zl_longest"] = zl["preempt_off_longest"]["ns"] / 1e3
        if zl.get("decompress_calls"):
            out["zl_dec_off"] = zl["decompress_calls_preempt_off"] / zl["decompress_calls"]
        try:
            with open(f"{rundir}/{comp}-zsplock.max") as f:
                out["zl_tracer"] = float(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    # Compaction beside the workers: the kernel's counters' rise over the
    # window, and what the workers swapped in meanwhile.
    cp = load_json(f"{rundir}/{comp}-compaction.json")
    if cp and cp.get("rounds"):
        rise = cp["rise"]
        for key, name in (("cmp_zs", "zram_pages_compacted"), ("cmp_mig", "pgmigrate_success"),
                          ("cmp_migfail", "pgmigrate_fail"), ("cmp_scanned", "compact_migrate_scanned")):
            if name in rise:
                out[key] = rise[name]
        mig = rise.get("pgmigrate_success", 0) + rise.get("pgmigrate_fail", 0)
        if mig:
            out["cmp_migshare"] = rise.get("pgmigrate_success", 0) / mig
        out["cmp_rounds"] = cp["rounds"]
        cw = load_json(f"{rundir}/{comp}-compaction.wk.json")
        if cw and cw.get("pswpin") and cw.get("seconds"):
            out["cmp_tput"] = cw["pswpin"] / cw["seconds"]
        elif cw and cw.get("zswpin_per_sec"):
            out["cmp_tput"] = cw["zswpin_per_sec"]
    for phase in ("alone", "critical", "inversion"):
        for k, v in critical(f"{rundir}/{comp}-{phase}.json").items():
            if k not in ("bad",):
                out[f"{phase}_{k}"] = v
    return out


# (key, label) in report order: what a user feels first.
FIGURES = [
    ("ct_max", "cyclictest max beside swap-in (us)"),
    ("ct_p99.9", "cyclictest p99.9 beside swap-in (us)"),
    ("ct_p99", "cyclictest p99 beside swap-in (us)"),
    ("tl_max", "timerlat thread max beside swap-in (us)"),
    ("tl_p99.9", "timerlat thread p99.9 (us)"),
    ("tl_irq_max", "timerlat IRQ max (us)"),
    ("poff_max", "preemptoff tracer: longest section (us)"),
    ("critical_wake_max", "critical task beside workers: wake max (us)"),
    ("critical_wake_p99", "critical task beside workers: wake p99 (us)"),
    ("critical_swapin_max", "critical task beside workers: swap-in max (us)"),
    ("critical_swapin_p99", "critical task beside workers: swap-in p99 (us)"),
    ("inversion_swapin_max", "critical task, workers and a hog: swap-in max (us)"),
    ("inversion_swapin_p99", "critical task, workers and a hog: swap-in p99 (us)"),
    ("inversion_swapin_p50", "critical task, workers and a hog: swap-in p50 (us)"),
    ("inversion_overruns", "critical task, workers and a hog: missed deadlines (of 1500)"),
    ("inversion_wake_max", "critical task, workers and a hog: wake max (us)"),
    ("inversion_wake_p99", "critical task, workers and a hog: wake p99 (us)"),
    ("alone_swapin_p50", "critical task alone: swap-in p50 (us)"),
    ("alone_swapin_max", "critical task alone: swap-in max (us)"),
    ("wk_tput", "workers' swap-in throughput beside cyclictest (loads/s)"),
    ("zl_mean", "zsplock, exact: preempt-off per load, mean (us)"),
    ("zl_p99", "zsplock, exact: preempt-off per load, p99 (us)"),
    ("zl_longest", "zsplock, exact: longest section inside a load (us)"),
    ("zl_tracer", "preemptoff tracer over zsplock's window: longest section (us)"),
    ("zl_dec_off", "zsplock: share of crypto_comp_decompress calls begun with preemption off"),
    ("cmp_rounds", "compaction beside swap-in: rounds (compact_memory, and zram's compact)"),
    ("cmp_zs", "compaction beside swap-in: zram pages_compacted rise"),
    ("cmp_mig", "compaction beside swap-in: pages migrated (pgmigrate_success)"),
    ("cmp_migfail", "compaction beside swap-in: page migrations failed (pgmigrate_fail)"),
    ("cmp_migshare", "compaction beside swap-in: share of migrations that succeeded"),
    ("cmp_scanned", "compaction beside swap-in: pages scanned for migration (compact_migrate_scanned)"),
    ("cmp_tput", "compaction beside swap-in: workers' swap-ins per second"),
]

# The project's goal against Debian's PREEMPT_RT kernel (make bench-latency
# RT=1): the series' wakeup latency beside swap-in within GOAL_RT of rt's,
# at the base's swap-in throughput or better. Medians over boots; each
# side's range is printed beside it.
GOAL_RT = 1.10
GOAL_WAKEUP = ["ct_max", "ct_p99.9", "tl_max", "critical_wake_max", "inversion_wake_max"]


def goal(rows, kernels):
    """Per wakeup figure: series/rt and whether it is within GOAL_RT; the
    series' throughput against the base's. None without series and rt."""
    if "series" not in kernels or "rt" not in kernels:
        return None
    g = {"wakeup": {}, "throughput": None}
    for key in GOAL_WAKEUP:
        s, r = rows[key]["series"], rows[key]["rt"]
        if not s or not r or not r["median"]:
            continue
        ratio = s["median"] / r["median"]
        g["wakeup"][key] = {"series": s, "rt": r, "ratio": ratio, "met": ratio <= GOAL_RT}
    t = rows["wk_tput"]
    if t["base"] and t["series"]:
        g["throughput"] = {"base": t["base"], "series": t["series"],
                           "ratio": t["series"]["median"] / t["base"]["median"],
                           "met": compare(t["base"], t["series"]) != "lower"}
    return g


def main():
    bdir = sys.argv[1]
    bench = load_json(f"{bdir}/bench.json") or {}
    comps = bench.get("compressors", "lzo").split()
    kernels = bench.get("kernels", "base series").split()
    runs = {}
    for k in kernels:
        runs[k] = sorted(d for d in os.listdir(f"{bdir}/runs")
                         if d.startswith(k + "-") and not os.path.exists(f"{bdir}/runs/{d}/failed"))
    failed = sorted(d for d in os.listdir(f"{bdir}/runs") if os.path.exists(f"{bdir}/runs/{d}/failed"))
    report = {"bench": bench, "kernels": kernels, "boots": runs, "failed": failed, "compressors": {}, "floor": {},
              "longest": {}}
    for k in kernels:
        fl = [cyclictest(f"{bdir}/runs/{d}/floor.ct.json") for d in runs[k]]
        report["floor"][k] = {f: summary([x[f] for x in fl if x.get(f) is not None])
                              for f in ("max", "p99", "p99.9")}
    for c in comps:
        per = {}
        for k in kernels:
            figs = [run_figures(f"{bdir}/runs/{d}", c) for d in runs[k]]
            per[k] = {key: summary([f[key] for f in figs if key in f]) for key, _ in FIGURES}
            # The judge's longest section over the boots, with its code.
            best = None
            for d in runs[k]:
                po = preemptoff(f"{bdir}/runs/{d}/{c}-preemptoff")
                if po and (best is None or po["max"] > best["max"]):
                    best = dict(po, boot=d)
            report["longest"].setdefault(c, {})[k] = best
        rows = {}
        for key, label in FIGURES:
            # A figure no kernel gave (a phase not run) has no row.
            if all(per[k][key] is None for k in kernels):
                continue
            b = per["base"][key]
            row = {"label": label, "base": b, "vs_base": {}}
            for k in kernels[1:]:
                s = per[k][key]
                row[k] = s
                row["vs_base"][k] = {"ratio": s["median"] / b["median"] if b and s and b["median"] else None,
                                     "verdict": verdict(b, s, k)}
            rows[key] = row
        report["compressors"][c] = rows
        # zsplock against its judge, boot by boot: its longest section in a
        # load can be no longer than the tracer's longest anywhere (2 us for
        # the two clocks).
        chk = []
        for k in kernels:
            for d in runs[k]:
                f = run_figures(f"{bdir}/runs/{d}", c)
                if "zl_longest" in f and "zl_tracer" in f:
                    chk.append({"boot": d, "zsplock": f["zl_longest"], "tracer": f["zl_tracer"],
                                "ok": f["zl_longest"] <= f["zl_tracer"] + 2})
        if chk:
            report.setdefault("zsplock_judged", {})[c] = chk
        g = goal(rows, kernels)
        if g:
            report.setdefault("goal", {})[c] = g
    with open(f"{bdir}/report.json", "w") as f:
        json.dump(report, f, indent=1, sort_keys=True)
        f.write("\n")
    write_markdown(bdir, report, comps)


def write_markdown(bdir, report, comps):
    b = report["bench"]
    kernels = report["kernels"]
    L = ["# Wakeup latency and priority inversion beside swap-in: " + " vs ".join(kernels), ""]
    L.append(f"Run `{os.path.basename(bdir.rstrip('/'))}`: {b.get('mode', '?')}, "
             f"{b.get('vcpus', '?')} vCPU, boots per kernel: "
             + ", ".join(f"{k} {len(report['boots'][k])}" for k in kernels)
             + (f"; failed: {', '.join(report['failed'])}" if report["failed"] else "") + ".")
    L.append("Each figure: median (min..max) over boots; KERNEL/base of the medians; "
             "ranges that overlap are no measurable difference.")
    L.append("")
    if any(report["floor"][k]["max"] for k in kernels):
        L.append("Idle floor (cyclictest, no workload): "
                 + "; ".join(f"{k} max {rng(report['floor'][k]['max'])} us" for k in kernels) + ".")
    if b.get("phases", "all") != "all":
        L.append(f"Phases run: {b['phases']}.")
    if "rt" in kernels:
        L += ["", f"`rt` is Debian's 6.1 PREEMPT_RT kernel as packaged ({b.get('revs', {}).get('rt', '?')}), "
              "booted with an initramfs for its modules: Debian's config (HZ=250, NO_HZ_FULL), not the "
              "project's perf+trace fragments, so it is the kernel a 6.1 user would install, not a "
              "controlled variant of the base. It has no preemptoff tracer."]
    others = kernels[1:]
    for c in comps:
        L += ["", f"## {c}", "", "| figure | " + " | ".join(kernels) + " | "
              + " | ".join(f"{k}/base | verdict" for k in others) + " |",
              "|---" * (1 + len(kernels) + 2 * len(others)) + "|"]
        for key, row in report["compressors"][c].items():
            cells = [rng(row[k]) for k in kernels]
            for k in others:
                vb = row["vs_base"][k]
                cells += ["n/a" if vb["ratio"] is None else f"{vb['ratio']:.2f}", vb["verdict"]]
            L.append(f"| {row['label']} | " + " | ".join(cells) + " |")
        g = report.get("goal", {}).get(c)
        if g:
            L += ["", f"Goal: the series' wakeup latency within {GOAL_RT:.2f}x of rt's, "
                  "at the base's swap-in throughput or better (medians; range over boots):", ""]
            for key, w in g["wakeup"].items():
                L.append(f"- {report['compressors'][c][key]['label']}: series {rng(w['series'])}, "
                         f"rt {rng(w['rt'])}: series/rt {w['ratio']:.2f}, "
                         + ("met" if w["met"] else "not met"))
            t = g["throughput"]
            if t:
                L.append(f"- swap-in throughput: series {rng(t['series'])}, base {rng(t['base'])} loads/s: "
                         f"series/base {t['ratio']:.2f}, " + ("met" if t["met"] else "not met (series lower)"))
        chk = report.get("zsplock_judged", {}).get(c)
        if chk:
            bad = [x["boot"] for x in chk if not x["ok"]]
            L += ["", f"zsplock's longest in-load section against the preemptoff tracer's longest over "
                  f"the same window, boot by boot: {len(chk) - len(bad)} of {len(chk)} boots no longer "
                  "than the tracer's (+2 us)" + (f"; longer on {', '.join(bad)}" if bad else "") + "."]
        if not any(report["longest"].get(c, {}).get(k) for k in kernels):
            continue
        L += ["", "Longest preempt-off section the preemptoff tracer saw, over the boots:", ""]
        for k in kernels:
            po = report["longest"].get(c, {}).get(k)
            if not po:
                L.append(f"- {k}: n/a")
                continue
            L.append(f"- {k}: {po['max']:.0f} us in `{po['task']}` ({po['boot']}), started at "
                     f"`{po['started']}`, ended at `{po['ended']}`; stack at its end: "
                     + " < ".join(f"`{s}`" for s in po["stack"][:6]))
    with open(f"{bdir}/report.md", "w") as f:
        f.write("\n".join(L) + "\n")


if __name__ == "__main__":
    main()
