#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench_report.py BENCHDIR: turn the raw JSON of a bench.sh run into
report.json, report.md and gnuplot plots (latency distribution and cyclictest
distribution, base vs series, one panel per compressor).

Every figure is a median over the boots of one kernel, with its spread
(min..max) and the number of runs it comes from; ratios are series/base of
those medians. Goals are checked against the figures and reported as met or
missed, never adjusted."""

import json
import os
import subprocess
import sys

from zspbench.stats import (compare, hist_percentile, load_json, rng,
                            spread, summarize)

KERNELS = ("base", "series")
TOOLS = ("zswplat", "zsplock", "zspsleep")


def rate(j):
    """zswap loads per second over the swap-in passes alone (zswap-stress's
    fill/passes barrier); runs from before the barrier have only the whole
    workload's rate."""
    return j.get("pass_zswpin_per_sec", j["zswpin_per_sec"])


def run_metrics(rundir, comp):
    """The figures one boot produced for one compressor (missing ones absent)."""
    m = {}
    plain = load_json(f"{rundir}/{comp}-plain.json")
    if plain and plain.get("status") == "ok":
        m["tput"] = rate(plain)
        # Where the loads' time went: the workers' kernel CPU time and
        # context switches per load (zswap-stress, getrusage of the workers;
        # ctxt is every CPU's, from /proc/stat).
        loads = plain.get("zswpin") or 0
        if loads and "worker_stime" in plain:
            m["stime_per_load"] = plain["worker_stime"] * 1e6 / loads
            m["utime_per_load"] = plain["worker_utime"] * 1e6 / loads
            m["ctxt_per_kload"] = plain["ctxt"] * 1000.0 / loads
            m["ivcsw_per_kload"] = plain["worker_ivcsw"] * 1000.0 / loads
            m["vcsw_per_kload"] = plain["worker_vcsw"] * 1000.0 / loads
        # The deterministic phase is meant to never touch the swap disk.
        if "pswpin" in plain:
            m["pswpin"] = plain["pswpin"]
    # The labelled real-world mix: incompressible pages go to the disk.
    real = load_json(f"{rundir}/{comp}-realworld.json")
    if real and real.get("status") == "ok":
        m["tput_real"] = rate(real)
        m["pswpin_real"] = real.get("pswpin", 0)
        # 6.1 zswap refuses a page whose compressed form exceeds a page
        # without counting it (the compressor fails on the one-page output
        # limit), and the page goes to the swap disk: every disk write that
        # was not a zswap writeback is a refused store.
        m["refused_real"] = max(real.get("pswpout", 0) - real.get("zswap_written_back", 0), 0)
    # plain again after the tools: how far one phase moves the next in a
    # boot, the floor under every overhead figure (bench-guest.sh). A tool's
    # overhead is against the mean of the plain phases before and after.
    end = load_json(f"{rundir}/{comp}-plain-end.json")
    ref = m.get("tput")
    if end and end.get("status") == "ok" and m.get("tput"):
        m["overhead_floor"] = 1.0 - rate(end) / m["tput"]
        ref = (m["tput"] + rate(end)) / 2
    for tool in TOOLS:
        s = load_json(f"{rundir}/{comp}-{tool}.json")
        if s and s.get("status") == "ok" and ref:
            m[f"tput_{tool}"] = rate(s)
            m[f"overhead_{tool}"] = 1.0 - rate(s) / ref
    lat = load_json(f"{rundir}/{comp}-zswplat.tool.json")
    if lat and "lost" in lat:
        m["lost_zswplat"] = lat["lost"].get("recursion_misses", 0) + lat["lost"].get("dropped", 0)
    if lat:
        rows = [r for r in lat.get("compressors", []) if r.get("name") == comp]
        if rows and rows[0]["phases"]["total"]["count"]:
            t = rows[0]["phases"]["total"]
            m["lat_count"] = t["count"]
            for k in ("p50", "p99", "p999", "max"):
                m[f"lat_{k}"] = t[f"{k}_ns"] / 1000.0
            m["lat_buckets"] = [(lo / 1000.0, n) for lo, n in t.get("buckets_ns", [])]
            m["lat_hooks"] = lat.get("hooks", {})
    lock = load_json(f"{rundir}/{comp}-zsplock.tool.json")
    if lock and lock.get("load_preempt_off", {}).get("count"):
        p = lock["load_preempt_off"]
        m["poff_loads"] = p["count"]
        m["poff_mean"] = p["sum_ns"] / p["count"] / 1000.0
        m["poff_max"] = p["max_ns"] / 1000.0
        # The longest zspage write section (migration copies a page with
        # preemption off): what PREEMPT_RT users ask about.
        wr = lock.get("locks", {}).get("zspage-write", {}).get("hold", {})
        if wr.get("count"):
            m["zw_max"] = wr["max_ns"] / 1000.0
            m["zw_count"] = wr["count"]
        lost = lock.get("lost", {})
        m["lost_zsplock"] = lost.get("recursion_misses", 0) + lost.get("dropped", 0)
        rd = lock.get("locks", {}).get("zspage-read", {})
        # The part of it the series is about: object access with preemption off.
        m["poff_zspage"] = rd.get("preempt_off_ns", 0) / p["count"] / 1000.0
        if rd.get("hold_ns"):
            m["read_poff_share"] = rd["preempt_off_share"]
            m["read_traced"] = rd.get("traced", "")
    mem = load_json(f"{rundir}/memory.json")
    if mem and isinstance(mem.get("pools", {}).get(comp, {}).get("kib"), (int, float)):
        m["pool_kib"] = mem["pools"][comp]["kib"]
        m["pool_kib_cpu"] = mem["pools"][comp]["kib"] / max(mem.get("cpus", 1), 1)
        m["scomp_scratch_kib"] = mem.get("scomp_scratch_kib", 0)
    ct = load_json(f"{rundir}/{comp}-cyclictest.ct.json")
    if ct and ct.get("thread"):
        th = next(iter(ct["thread"].values()))
        hist = sorted((int(k), v) for k, v in th.get("histogram", {}).items())
        m["ct_max"] = float(th["max"])
        m["ct_avg"] = float(th["avg"])
        m["ct_cycles"] = th["cycles"]
        m["ct_hist"] = hist
        p99 = hist_percentile(hist, 99)
        if p99 is not None:
            m["ct_p99"] = float(p99)
    return m


MB_ACCESS = ("map_read", "map_write", "obj_read", "obj_write")
# zsp_mbench's migration conditions: no reader, or readers over the whole
# pool (busy) or on the one zspage asked for (hot, and its idle control).
CONTEND_CONDS = ("idle", "busy", "idle_hot", "hot")


def mbench_metrics(rundir):
    """The microbenchmark module's figures of one boot (zsp_mbench.c), flat:
    obj_<size>_<access>[_st] in ns per access, crypto_<alg>_<way> in ns."""
    m = {}
    try:
        with open(f"{rundir}/mbench.jsonl") as f:
            lines = f.read().splitlines()
    except OSError:
        return m
    for line in lines:
        try:
            r = json.loads(line)
        except ValueError:
            continue
        if r.get("bench") == "object":
            sz = r["size"]
            m[f"obj_{sz}_straddling"] = r["straddling"]
            for a in MB_ACCESS:
                for suf, key in (("", f"{a}_ns_x10"), ("_st", f"{a}_straddling_ns_x10")):
                    if r.get(key) is not None:
                        m[f"obj_{sz}_{a}{suf}"] = r[key] / 10.0
        elif r.get("bench") == "crypto" and "error" not in r:
            for way in ("comp_compress", "acomp_compress", "comp_decompress", "acomp_decompress"):
                m[f"crypto_{r['alg']}_{way}"] = r[f"{way}_ns"]
            m[f"crypto_{r['alg']}_clen"] = r["compressed"]
        elif r.get("bench") == "contend":
            # Migration and compaction beside zram-style readers.
            for key, v in r.items():
                if key != "bench" and isinstance(v, (int, float)):
                    m[f"contend_{key}"] = v
            for cond in CONTEND_CONDS:
                tried, ok = r.get(f"contig_{cond}_tried"), r.get(f"contig_{cond}_ok")
                if tried:
                    m[f"contend_contig_{cond}_pct"] = 100.0 * ok / tried
    return m


def merge_hist(hists):
    acc = {}
    for h in hists:
        for v, c in h:
            acc[v] = acc.get(v, 0) + c
    return sorted(acc.items())


def ratio(a, b):
    if not a or not b or not b["median"]:
        return None
    return a["median"] / b["median"]


def fmt_ratio(r, digits=2):
    return "n/a" if r is None else f"{r:.{digits}f}"


def verdict(b, s):
    """stats.compare's verdict, with the spreads it rests on; fewer boots
    are exploratory."""
    if not b or not s:
        return "n/a"
    if b["n"] < 2 or s["n"] < 2:
        return "one boot: no spread"
    c = compare(b, s)
    if c is None:
        return f"exploratory ({min(b['n'], s['n'])} boots): no verdict"
    sb, ss = spread(b), spread(s)
    sp = f"spread {'n/a' if sb is None else f'{100 * sb:.1f}%'}/{'n/a' if ss is None else f'{100 * ss:.1f}%'}"
    return f"no measurable difference ({sp})" if c == "same" else f"differs ({sp})"


def main():
    bdir = sys.argv[1]
    bench = load_json(f"{bdir}/bench.json") or {}
    comps = bench.get("compressors", "").split()
    runs = {k: [] for k in KERNELS + ("ref",)}
    failed = []
    accel = set()
    meta = {}
    for name in sorted(os.listdir(f"{bdir}/runs")):
        k, _, i = name.rpartition("-")
        if k not in runs:
            continue
        rd = f"{bdir}/runs/{name}"
        try:
            with open(f"{rd}/status") as f:
                ok = f.read().strip() == "0"
        except OSError:
            ok = False
        if not ok or os.path.exists(f"{rd}/failed"):
            # A boot that failed part-way is not quoted: its figures are
            # left out, and the report says so at the top.
            failed.append(name)
            continue
        try:
            with open(f"{rd}/accel") as f:
                accel.add(f.read().strip())
        except OSError:
            pass
        meta.setdefault(k, load_json(f"{rd}/meta.json"))
        runs[k].append({c: run_metrics(rd, c) for c in comps})
        runs[k][-1]["_mbench"] = mbench_metrics(rd)

    keys = ["lat_p50", "lat_p99", "lat_p999", "lat_max", "poff_mean", "poff_max", "poff_zspage",
            "read_poff_share", "ct_p99", "ct_max", "tput", "pswpin", "tput_real", "pswpin_real",
            "refused_real", "pool_kib", "pool_kib_cpu", "scomp_scratch_kib",
            "stime_per_load", "utime_per_load", "ctxt_per_kload", "ivcsw_per_kload",
            "vcsw_per_kload", "zw_max", "zw_count", "lost_zswplat", "lost_zsplock"] + \
           [f"overhead_{t}" for t in TOOLS] + ["overhead_floor"]
    table = {}
    have = [k for k in KERNELS + ("ref",) if runs[k] or k in KERNELS]
    for c in comps:
        table[c] = {}
        for k in have:
            ms = [r[c] for r in runs[k]]
            table[c][k] = {key: summarize([m[key] for m in ms if key in m]) for key in keys}
            table[c][k]["lat_cdf"] = merge_hist([m["lat_buckets"] for m in ms if "lat_buckets" in m])
            table[c][k]["ct_hist"] = merge_hist([m["ct_hist"] for m in ms if "ct_hist" in m])
            hooks = [m["lat_hooks"] for m in ms if "lat_hooks" in m]
            table[c][k]["lat_hooks"] = hooks[0] if hooks else {}
            traced = [m["read_traced"] for m in ms if "read_traced" in m]
            table[c][k]["read_traced"] = traced[0] if traced else ""

    # The microbenchmark: one set of figures per boot, not per compressor.
    mb = {}
    for k in have:
        ms = [r["_mbench"] for r in runs[k] if r.get("_mbench")]
        keys_mb = sorted({key for m in ms for key in m})
        mb[k] = {key: summarize([m[key] for m in ms if key in m]) for key in keys_mb}

    # Goals, from the issue that asked for this benchmark.
    goals = []

    def goal(text, ok, figure):
        goals.append({"goal": text, "met": ok, "figure": figure})

    for c in comps:
        b, s = table[c]["base"], table[c]["series"]
        r = ratio(s["lat_p99"], b["lat_p99"])
        goal(f"{c}: load p99 series/base <= 0.90", r is not None and r <= 0.90, fmt_ratio(r))
        r = ratio(s["lat_p50"], b["lat_p50"])
        goal(f"{c}: load p50 series/base <= 1.05", r is not None and r <= 1.05, fmt_ratio(r))
        r = ratio(s["poff_mean"], b["poff_mean"])
        goal(f"{c}: preempt-off time per load series <= 5% of base",
             r is not None and r <= 0.05, "n/a" if r is None else f"{100 * r:.1f}%")
        r = ratio(s["poff_zspage"], b["poff_zspage"])
        goal(f"{c}: of which zspage object access, series <= 5% of base",
             r is not None and r <= 0.05, "n/a" if r is None else f"{100 * r:.1f}%")
        # Under icount with several vCPUs cyclictest measures TCG's turns
        # (see the report's cyclictest section): judged in realtime mode only.
        if c in ("deflate", "zstd", "lz4hc") and bench.get("mode", "realtime") != "icount":
            r = ratio(s["ct_max"], b["ct_max"])
            goal(f"{c}: cyclictest max under thrash series < base", r is not None and r < 1.0,
                 fmt_ratio(r))
        r = ratio(s["tput"], b["tput"])
        goal(f"{c}: swap-in throughput series/base >= 0.98", r is not None and r >= 0.98,
             fmt_ratio(r))
        for k in KERNELS:
            for t in TOOLS:
                o = table[c][k][f"overhead_{t}"]
                goal(f"{c}: {t} throughput overhead on {k} <= 5%",
                     o is not None and o["median"] <= 0.05,
                     "n/a" if o is None else f"{100 * o['median']:.1f}%")

    if bench.get("mode") == "icount":
        # The deterministic mode's own goal: one kernel repeats across boots.
        for c in comps:
            for k in KERNELS:
                sp = spread(table[c][k]["tput"])
                goal(f"{c}: throughput spread across {k} boots <= 2%",
                     sp is not None and sp <= 0.02,
                     "n/a (fewer than 2 boots)" if sp is None else f"{100 * sp:.2f}%")
                # A p50 is a bucket midpoint: buckets are 1/16 of their
                # lower bound wide, so two p50s in one bucket read as a 0%
                # spread. A 2% goal cannot be judged from them.
                sp = spread(table[c][k]["lat_p50"])
                goal(f"{c}: load p50 spread across {k} boots <= 2%", False,
                     "n/a (p50s are midpoints of 6.25%-wide buckets; spread read "
                     + ("n/a" if sp is None else f"{100 * sp:.2f}%") + ")")

    for c in comps:
        ps = [table[c][k]["pswpin"] for k in KERNELS]
        if all(ps):
            mx = max(p["max"] for p in ps)
            goal(f"{c}: measured phase never read the swap disk (pswpin 0)", mx == 0, f"max {mx:.0f}")

    report = {"bench": bench, "accel": sorted(accel), "failed_runs": failed,
              "runs": {k: len(runs[k]) for k in have}, "meta": meta,
              "table": {c: {k: {key: v for key, v in table[c][k].items()
                                if key not in ("lat_cdf", "ct_hist")}
                            for k in have} for c in comps},
              "mbench": mb, "goals": goals}
    with open(f"{bdir}/report.json", "w") as f:
        json.dump(report, f, indent=1)

    plots = write_plots(bdir, comps, table)
    write_markdown(bdir, bench, report, table, comps, plots, mb)
    met = sum(g["met"] for g in goals)
    print(f"bench-report: {met} of {len(goals)} goals met; {len(failed)} failed boot(s)")


def write_plots(bdir, comps, table):
    """Data files and gnuplot scripts; returns the plot files made."""
    pdir = f"{bdir}/plots"
    os.makedirs(pdir, exist_ok=True)
    def tail(path, h, floor, fmt):
        """Fraction of samples at least x, per (x, count) bucket: the tail
        stays visible on a log y axis."""
        total = sum(n for _, n in h)
        with open(path, "w") as f:
            left = total
            for v, n in h:
                f.write(f"{format(max(v, floor), fmt)} {left / total:.8f}\n")
                left -= n

    for c in comps:
        for k in table[c]:
            # Load latency from the fine buckets (bucket low bound, us).
            tail(f"{pdir}/lat-{c}-{k}.dat", table[c][k]["lat_cdf"], 0.001, ".3f")
            # cyclictest wakeup latency (us).
            tail(f"{pdir}/ct-{c}-{k}.dat", table[c][k]["ct_hist"], 1, "")
    cols = 2 if len(comps) > 1 else 1
    rows = (len(comps) + cols - 1) // cols
    size = f"{560 * cols},{400 * rows}"
    made = []
    for name, title, xl, yl, logy, fname in (
        ("latency", "zswap load latency ({c})", "load latency (us)",
         "fraction of loads >= x", True, "lat"),
        ("cyclictest", "cyclictest wakeup latency under thrash ({c})", "latency (us)",
         "fraction of wakeups >= x", True, "ct")):
        gp = [f"set multiplot layout {rows},{cols}",
              "set logscale x", "set grid", "set format y '%g'", "set key bottom right" if not logy else "set key top right"]
        if logy:
            gp.append("set logscale y")
        else:
            gp.append("set yrange [0:1]")
        for c in comps:
            files = [f"{pdir}/{fname}-{c}-{k}.dat" for k in KERNELS]
            ref = f"{pdir}/{fname}-{c}-ref.dat"
            if not all(os.path.getsize(p) for p in files):
                gp.append(f"set title '{title.format(c=c)}: no data'")
                gp.append("unset logscale; plot [1:2][1:2] NaN notitle")
                gp.append("set logscale x" + ("; set logscale y" if logy else ""))
                continue
            gp += [f"set title '{title.format(c=c)}'", f"set xlabel '{xl}'", f"set ylabel '{yl}'",
                   f"plot '{files[0]}' using 1:2 with steps lw 2 title 'base 6.1.192', "
                   f"'{files[1]}' using 1:2 with steps lw 2 title 'base + series'" +
                   (f", '{ref}' using 1:2 with steps lw 1 dt 2 title 'Debian 6.12 (reference)'"
                    if os.path.exists(ref) and os.path.getsize(ref) else "")]
        gp.append("unset multiplot")
        # The same plot as SVG too: text, so a copy can live in the repository.
        for ext, term in (("png", "pngcairo"), ("svg", "svg")):
            with open(f"{pdir}/{name}-{ext}.gp", "w") as f:
                f.write("\n".join([f"set terminal {term} size {size} font 'sans,9'",
                                   f"set output '{pdir}/{name}.{ext}'"] + gp) + "\n")
            res = subprocess.run(["gnuplot", f"{pdir}/{name}-{ext}.gp"], capture_output=True, text=True)
            if res.returncode:
                print(f"bench-report: gnuplot failed for {name}.{ext}: {res.stderr.strip()}", file=sys.stderr)
            elif ext == "png":
                made.append(f"plots/{name}.png")
    return made


def write_markdown(bdir, bench, report, table, comps, plots, mb):
    nb, ns = report["runs"]["base"], report["runs"]["series"]
    has_ref = bool(report["runs"].get("ref"))
    L = []
    L.append("# zspreempt benchmark: 6.1.192 base vs base + series\n")
    L.append(f"- started {bench.get('started', '?')}; {nb} base and {ns} series boots, "
             f"alternating base/series; compressors: {' '.join(comps)}")
    L.append(f"- host: {bench.get('host_cpu_model', '?')}, {bench.get('host_cpus', '?')} CPUs, "
             f"kernel {bench.get('host', '?')}; {bench.get('qemu', '?')}, "
             f"acceleration: {', '.join(report['accel']) or '?'}")
    m = report["meta"].get("series") or report["meta"].get("base") or {}
    L.append(f"- guest: {m.get('vcpus', '?')} vCPUs, {int(m.get('mem_kib', 0)) // 1024} MiB, "
             f"zpool {m.get('zpool', '?')}, perf config (no lockdep/KASAN/atomic-sleep debugging, "
             f"PREEMPT); workload `{m.get('work', '?')}` per phase")
    L.append(f"- kernels: base {bench.get('base_rev', '?')[:12]}, series {bench.get('series_rev', '?')[:12]}" +
             (f"; reference {bench.get('ref') or 'Debian 6.12'} ({report['runs']['ref']} boots: latency and "
              f"cyclictest phases only)" if has_ref else ""))
    secs = []
    for name in sorted(os.listdir(f"{bdir}/runs")):
        try:
            with open(f"{bdir}/runs/{name}/seconds") as f:
                secs.append(int(f.read().strip()))
        except (OSError, ValueError):
            pass
    if secs:
        L.append(f"- the boots took {sum(secs) / 60:.0f} min of wall time together "
                 f"({min(secs)}..{max(secs)} s each, {len(secs)} boots)")
    mode = bench.get("mode", "realtime")
    if mode == "icount":
        L.append("- **mode: icount (deterministic)**: single-threaded TCG with `-icount shift=0,sleep=off`; "
                 "guest time is executed instructions (1 ns each), not host time; the measured "
                 "phases store only pages that compress into a page, so no swap-in reads the disk")
    else:
        L.append("- **mode: realtime**: multi-threaded TCG, guest clocks follow the host: "
                 "figures move with host load")
    if report["failed_runs"]:
        L.insert(1, f"**This run had failed boots: {', '.join(report['failed_runs'])}. "
                 "Their figures are not used; the cells below come from the other boots.**\n")
    L.append("\nCells: median over boots (min..max). Ratio: series median / base median. "
             "Latency in microseconds. Last column: a difference is claimed only where the "
             "two kernels' min..max ranges do not overlap; spread = (max - min) / median of "
             "the same kernel across boots.\n")

    def section(title, rows, ref_too=False):
        ref = has_ref and ref_too
        L.append(f"## {title}\n")
        L.append("| compressor | figure | base | series | ratio |" + (" 6.12 ref |" if ref else "") +
                 " base vs series |")
        L.append("|---|---|---|---|---|" + ("---|" if ref else "") + "---|")
        for c in comps:
            for label, key, digits in rows:
                b, s = table[c]["base"][key], table[c]["series"][key]
                L.append(f"| {c} | {label} | {rng(b, digits)} | {rng(s, digits)} | "
                         f"{fmt_ratio(ratio(s, b))} |" +
                         (f" {rng(table[c]['ref'][key], digits)} |" if ref else "") +
                         f" {verdict(b, s)} |")
        L.append("")

    section("zswap load latency (zswplat, loads that decompress)",
            [("p50", "lat_p50", 1), ("p99", "lat_p99", 1), ("p99.9", "lat_p999", 1),
             ("max", "lat_max", 0)], True)
    section("Preemption disabled in the load path (zsplock)",
            [("mean per load (us)", "poff_mean", 2), ("max per load (us)", "poff_max", 1),
             ("of which zspage access, per load (us)", "poff_zspage", 2),
             ("zspage read hold share preempt-off", "read_poff_share", 2),
             ("longest zspage write section, migration (us)", "zw_max", 1),
             ("zspage write sections (migrations)", "zw_count", 0),
             ("events the tools lost (zswplat)", "lost_zswplat", 0),
             ("events the tools lost (zsplock)", "lost_zsplock", 0)])
    ct_title = "Scheduling latency: cyclictest SCHED_FIFO 95, pinned, under thrash"
    if mode == "icount" and int(m.get("vcpus", 1) or 1) > 1:
        # Single-threaded TCG runs the vCPUs in turn, in slices of
        # instructions, and guest time advances with all of them: a timer on
        # one vCPU waits for the other's slice to end. That wait dominates.
        ct_title += (" (not run in icount mode with several vCPUs: they take turns on one host "
                     "thread, so cyclictest would time TCG's turns, not the kernel; see a "
                     "realtime run, MODE=realtime)")
    section(ct_title, [("p99 (us)", "ct_p99", 0), ("max (us)", "ct_max", 0)], True)
    section("Memory one zswap pool costs (KiB; rise of SUnreclaim + VmallocUsed + Percpu "
            "when a zbud pool of the compressor is created; scomp scratch: vmalloc'd by 6.1's "
            "scomp for any software acomp user, not charged to one pool)",
            [("per pool", "pool_kib", 0), ("per pool and CPU", "pool_kib_cpu", 0),
             ("scomp scratch buffers alive", "scomp_scratch_kib", 0)])
    section(f"Swap-in throughput (zswpin/s, nothing attached; mode {mode})",
            [("loads/s", "tput", 0), ("swap-disk reads (pswpin)", "pswpin", 0)])
    section("Real-world mix, labelled apart (incompressible pages included: these go to the "
            "swap disk, so this measures the virtual disk as much as zswap)",
            [("loads/s", "tput_real", 0), ("swap-disk reads (pswpin)", "pswpin_real", 0),
             ("stores zswap refused, uncounted by 6.1 (pswpout - written_back)", "refused_real", 0)])

    section("Where a load's time goes (nothing attached; the workers' getrusage and /proc/stat "
            "over the throughput phase)",
            [("worker kernel CPU time per load (us)", "stime_per_load", 2),
             ("worker user CPU time per load (us)", "utime_per_load", 2),
             ("context switches per 1000 loads, all CPUs", "ctxt_per_kload", 1),
             ("worker involuntary switches per 1000 loads", "ivcsw_per_kload", 1),
             ("worker voluntary switches per 1000 loads", "vcsw_per_kload", 1)])
    write_mbench(L, mb)

    L.append("## Tool overhead (throughput lost with the tool attached, same boot)\n")
    L.append("| compressor | tool | base | series |")
    L.append("|---|---|---|---|")
    for c in comps:
        for t in TOOLS + ("floor",):
            cells = []
            for k in KERNELS:
                o = table[c][k].get(f"overhead_{t}")
                cells.append("n/a" if not o else
                             f"{100 * o['median']:.1f}% ({100 * o['min']:.1f}..{100 * o['max']:.1f})")
            L.append(f"| {c} | {t} | {cells[0]} | {cells[1]} |")
    L.append("")

    L.append("## Goals\n")
    L.append("| goal | figure | met |")
    L.append("|---|---|---|")
    for g in report["goals"]:
        # A goal whose phase did not run is not measured, not missed.
        unmeasured = str(g["figure"]).startswith("n/a")
        met = "not measured" if unmeasured else "yes" if g["met"] else "**no**"
        L.append(f"| {g['goal']} | {g['figure']} | {met} |")
    L.append("")
    for p in plots:
        L.append(f"![{p}]({p})\n")
    c0 = comps[0] if comps else None
    if c0:
        L.append("## What was traced\n")
        for k in KERNELS:
            hooks = table[c0][k]["lat_hooks"]
            L.append(f"- {k}: zswplat hooks {', '.join(f'{a} ({b})' for a, b in hooks.items()) or 'n/a'}; "
                     f"zspage read side: {table[c0][k]['read_traced'] or 'n/a'}")
        L.append("\nPreempt-off time per load: the time a load spends with preemption "
                 "disabled in the zspage read side (zs_map_object..zs_unmap_object on the base, "
                 "the object read calls with the series, from the entry of the first to the "
                 "entry of the second) plus, on the base, scomp's decompression under its "
                 "per-CPU spinlock. The tree lock and pool->lock sections stay atomic on both "
                 "and are not counted: no tool hooks a kernel lock primitive (doc/zsplock-hang.md); "
                 "the zspage-access row is the part of it the series changes.")
    with open(f"{bdir}/report.md", "w") as f:
        f.write("\n".join(L) + "\n")


def write_mbench(L, mb):
    """The microbenchmark tables: object access per size, transforms per
    compressor. Cells as everywhere: median (min..max) over boots."""
    b, s = mb.get("base", {}), mb.get("series", {})
    if not b and not s:
        L.append("## Microbenchmark of the changed code\n\nNo microbenchmark figures in this run.\n")
        return
    sizes = sorted({int(k.split("_")[1]) for k in list(b) + list(s) if k.startswith("obj_")})
    L.append("## Microbenchmark of the changed code (zsp_mbench module, ns per access)\n")
    L.append("One object read (copy out) or write (copy in) of the size given, through "
             "`zs_map_object()`/`zs_unmap_object()` (map) or the series' `zs_obj_read_begin/end()`/"
             "`zs_obj_write()` (obj), for objects inside one page and objects that straddle two. "
             "Ratio: series obj / base map, the change a zswap load or store sees.\n")
    L.append("| size | straddling of 256 | base map read | series obj read | ratio | "
             "base map read, straddling | series obj read, straddling | ratio | "
             "base map write | series obj write | ratio | base map write, straddling | "
             "series obj write, straddling | ratio |")
    L.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for sz in sizes:
        cells = [str(sz), rng(b.get(f"obj_{sz}_straddling"), 0)]
        for a, o in (("map_read", "obj_read"), ("map_write", "obj_write")):
            for suf in ("", "_st"):
                bb, ss = b.get(f"obj_{sz}_{a}{suf}"), s.get(f"obj_{sz}_{o}{suf}")
                cells += [rng(bb), rng(ss), fmt_ratio(ratio(ss, bb), 3)]
        L.append("| " + " | ".join(cells) + " |")
    L.append("")
    mm = [(sz, b.get(f"obj_{sz}_map_read"), s.get(f"obj_{sz}_map_read")) for sz in sizes]
    L.append("`zs_map_object()` read, base vs series kernel (the series changes its lock): " +
             "; ".join(f"{sz}: {fmt_ratio(ratio(ss, bb), 3)}" for sz, bb, ss in mm) + ".\n")
    algs = sorted({k.split("_")[1] for k in list(b) + list(s) if k.startswith("crypto_")})
    L.append("### One page through each transform (ns per page)\n")
    L.append("acomp: the scatterlist interface 6.1's zswap uses (software algorithms go through "
             "scomp's per-CPU scratch buffers under a spinlock); comp: the synchronous "
             "transform on linear buffers the series uses for software algorithms. The crypto "
             "code is the same on both kernels; both rows are measured on each.\n")
    L.append("| compressor | compressed bytes | kernel | comp compress | acomp compress | ratio | "
             "comp decompress | acomp decompress | ratio |")
    L.append("|---|---|---|---|---|---|---|---|---|")
    for a in algs:
        for k, d in (("base", b), ("series", s)):
            cells = [a, rng(d.get(f"crypto_{a}_clen"), 0), k]
            for way in ("compress", "decompress"):
                c1, c2 = d.get(f"crypto_{a}_comp_{way}"), d.get(f"crypto_{a}_acomp_{way}")
                cells += [rng(c1, 0), rng(c2, 0), fmt_ratio(ratio(c1, c2), 3)]
            L.append("| " + " | ".join(cells) + " |")
    L.append("")
    write_contend(L, b, s)


def write_contend(L, b, s):
    """What zram pays for the zspage lock: alloc_contig_range() and
    zs_compact() beside readers that map objects as 6.1's zram does."""
    if not any(k.startswith("contend_") for k in list(b) + list(s)):
        return
    L.append("### Migration and compaction beside zram's readers\n")
    L.append("A pool of 1024 objects of 3072 bytes (movable, as zram allocates), read through "
             "`zs_map_object()` by one kthread per other vCPU, as 6.1's zram reads. "
             "`alloc_contig_range()` asks for one zspage page at a time (CMA's way): once for "
             "every page of the pool with no reader (idle) and with readers over the whole pool "
             "(busy); 64 times on the pages of the one zspage the readers read (hot), and the "
             "same with no reader (idle, hot). The base's migration waits for a reader to leave "
             "the zspage; the series' backs off (zs_page_migrate() returns -EINVAL, which 6.1's "
             "migrate_pages() does not retry). Cells: median (min..max) over boots.\n")
    L.append("| condition | kernel | attempts | succeeded | succeeded % | us per attempt |")
    L.append("|---|---|---|---|---|---|")
    for cond in CONTEND_CONDS:
        for k, d in (("base", b), ("series", s)):
            ns = d.get(f"contend_contig_{cond}_ns")
            us = {kk: v / 1000.0 for kk, v in ns.items() if kk != "n"} | {"n": ns["n"]} if ns else None
            L.append(f"| {cond.replace('_', ', ')} | {k} | {rng(d.get(f'contend_contig_{cond}_tried'), 0)} | "
                     f"{rng(d.get(f'contend_contig_{cond}_ok'), 0)} | "
                     f"{rng(d.get(f'contend_contig_{cond}_pct'))} | {rng(us)} |")
    L.append("")
    L.append("`zs_compact()` of the pool with every other object freed, pages freed: " +
             "; ".join(f"{k}: {rng(d.get('contend_compact_idle_freed'), 0)} with no reader, "
                       f"{rng(d.get('contend_compact_busy_freed'), 0)} beside the readers "
                       f"({rng(d.get('contend_compact_busy_reads'), 0)} reads during it)"
                       for k, d in (("base", b), ("series", s))) + ".\n")


if __name__ == "__main__":
    main()
