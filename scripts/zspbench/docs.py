#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""docs.py [--check]: write every generated figure block of README.md,
doc/cover-letter.txt and doc/*.md from the result files committed under
doc/bench/ and doc/measurements/, or with --check, fail (exit 1) if any block differs from
what the results give: a figure edited by hand, or a result file changed
without 'make docs'.

A block is the lines between

    <!-- gen:NAME -->
    <!-- /gen:NAME -->

where NAME is one of the generators below. Each generator reads only
committed files and names its source (run id) in the text it writes, so a
figure cannot appear without the run behind it. export-series.sh and
send-series.sh drop the marker lines from the cover letter."""

import glob
import json
import os
import re
import sys

from zspbench.stats import overlap, rng, verdict

# scripts/zspbench/docs.py: the checkout is three levels up.
TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Result files, by their path under doc/: bench/ (dated benchmark runs) and
# measurements/ (test records, pool memory).
RESULTS = os.path.join(TOP, "doc")
DOCS = ["README.md", "doc/cover-letter.txt"] + sorted(
    os.path.relpath(p, TOP) for p in glob.glob(os.path.join(TOP, "doc", "*.md")))
BLOCK = re.compile(r"^<!-- gen:([a-z0-9-]+) -->\n(.*?)^<!-- /gen:\1 -->\n", re.M | re.S)


class SourceError(Exception):
    pass


def read(rel):
    path = os.path.join(RESULTS, rel)
    try:
        with open(path) as f:
            return f.read()
    except OSError as e:
        raise SourceError(f"doc/{rel}: {e.strerror}") from None


def load(rel):
    return json.loads(read(rel))


def tap_results(rel):
    """(ok, description) of every TAP result line of a committed run."""
    out = []
    for line in read(rel).splitlines():
        m = re.match(r"^(not ok|ok) \d+ (.*)$", line)
        if m:
            out.append((m.group(1) == "ok", m.group(2)))
    return out


def tap_line(rel, pattern):
    """The first result of a committed TAP run whose text matches pattern."""
    for ok, text in tap_results(rel):
        if re.search(pattern, text):
            return ok, text
    raise SourceError(f"doc/{rel}: no result matching /{pattern}/")


def wrap(text, width=72):
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return "\n".join(lines) + "\n"


# ---- generators ----------------------------------------------------------

# The newest complete make bench run (3 boots per kernel, every compressor,
# icount). Patch 9's message cites the earlier 20261205T011915Z, which stays
# committed for that reason.
ZRAM_RUN = BENCH_RUN = "bench/20261205T042406Z"
COMPS = ("lzo", "lz4", "zstd", "deflate")
# The newest complete make bench-latency run: base, the series, and the
# series without its last patch (a plain context mutex, "mutex").
LATENCY_RUN = "bench/latency-20261205T075929Z"


def bench_intro(rep):
    m, bn = rep["meta"]["base"], rep["bench"]
    return (f"make bench run {os.path.basename(BENCH_RUN)} (icount, {bn['vcpus']} vCPUs, "
            f"{rep['runs']['base']} base and {rep['runs']['series']} series boots alternating, "
            f"workload `{m['work']}` per phase, zsmalloc; median (min..max) over boots)")


def bucket_us(us):
    """Width in us of the zsp_hist.h bucket holding a value of us microseconds."""
    ns = int(us * 1000)
    if ns < 16:
        return 0.001
    return 2 ** (ns.bit_length() - 1 - 4) / 1000


def gen_bench_latency():
    """zswap load latency per compressor from zswplat (make bench)."""
    rep = load(f"{BENCH_RUN}/report.json")
    cells = []
    for c in COMPS:
        b, s = rep["table"][c]["base"], rep["table"][c]["series"]
        parts = []
        for key, label in (("lat_p50", "p50"), ("lat_p99", "p99")):
            widths = "/".join(f"{bucket_us(x[key]['median']):g}" for x in (b, s) if x.get(key))
            parts.append(f"{label} {rng(b.get(key), 1)} -> {rng(s.get(key), 1)} us "
                         f"(buckets {widths} us wide; {verdict(b.get(key), s.get(key))})")
        cells.append(f"{c}: " + ", ".join(parts))
    return (f"Latency of zswap loads that decompress, base -> series, as zswplat reads it, "
            f"{bench_intro(rep)}: " + "; ".join(cells) + ". A percentile is the midpoint "
            "of a log-linear histogram bucket (zsp_hist.h: 16 per power of two) whose width "
            "is given, base/series: a percentile with no spread fell in one bucket on every "
            "boot, which says nothing finer than that width.")


def gen_bench_throughput():
    """Swap-in throughput over the swap-in passes, nothing attached (make bench)."""
    rep = load(f"{BENCH_RUN}/report.json")
    cells = []
    for c in COMPS:
        b, s = rep["table"][c]["base"].get("tput"), rep["table"][c]["series"].get("tput")
        ratio = f"{s['median'] / b['median']:.2f}" if b and s else "n/a"
        cells.append(f"{c} {rng(b, 0)} -> {rng(s, 0)} ({ratio}, {verdict(b, s)})")
    return (f"Swap-in throughput, zswap loads per second of guest time over the random-order "
            f"swap-in passes alone, nothing attached, base -> series, {bench_intro(rep)}: "
            + "; ".join(cells) + ".")


def gen_bench_preemptoff():
    """Preempt-off time per load as zsplock reads it (make bench)."""
    rep = load(f"{BENCH_RUN}/report.json")
    cells = []
    for c in COMPS:
        b, s = rep["table"][c]["base"].get("poff_mean"), rep["table"][c]["series"].get("poff_mean")
        cells.append(f"{c} {rng(b, 2)} -> {rng(s, 2)} us")
    return (f"Preemption disabled per zswap load, base -> series, as the project's own "
            f"zsplock reads it on the perf kernels, {bench_intro(rep)}: "
            + "; ".join(cells) + ". The perf kernels have no preempt_disable/preempt_enable "
            "tracepoints (6.1 has them only with CONFIG_PREEMPT_TRACER), so this is zsplock's "
            "sampled reading: zspage read holds with preemption off at their end plus scomp's "
            "decompression; it does not see pool->lock, the tree lock or crypto_comp, and on "
            "the series it can hardly read anything but 0. It is a lower bound, not the "
            "series' preempt-off time: where the tracepoints exist zsplock times every "
            "section of the loading task, and make test checks that against the kernel's "
            "preemptoff tracer and a knob that disables preemption around the series' "
            "decompression (tools-zsplock-preemptoff).")


def latency_intro(rep):
    boots = rep["boots"]
    return (f"make bench-latency run {os.path.basename(LATENCY_RUN)} (one vCPU under "
            "icount, so guest time is instructions; "
            + ", ".join(f"{len(boots[k])} {k}" for k in rep["kernels"])
            + " boots alternating; measured inside the swap-in passes of SCHED_OTHER "
            "workers on that CPU; median (min..max) over boots)")


def latency_cells(rep, key, kernels, digits=0, unit="us"):
    cells = []
    for c in rep["bench"]["compressors"].split():
        row = rep["compressors"][c][key]
        vals = " -> ".join(rng(row[k], digits) for k in kernels)
        verd = "; ".join(f"{k}: {verdict(row['base'], row[k])}" for k in kernels[1:])
        cells.append(f"{c} {vals}{' ' + unit if unit else ''} ({verd})")
    return "; ".join(cells)


def gen_latency_wakeup():
    """Wakeup latency beside swap-in, by cyclictest and rtla timerlat."""
    rep = load(f"{LATENCY_RUN}/report.json")
    ks = ("base", "series")
    longest = []
    for k in ks:
        worst = max((rep["longest"][c][k] for c in rep["compressors"] if rep["longest"][c].get(k)),
                    key=lambda p: p["max"])
        longest.append(f"{k} {worst['max']:.0f} us in {worst['task']} ({worst['boot']}), "
                       f"ending in " + " < ".join(worst["stack"][:4]))
    return (f"Wakeup latency of a SCHED_FIFO 95 thread on the CPU that swaps in, base -> "
            f"series, {latency_intro(rep)}. cyclictest max: "
            + latency_cells(rep, "ct_max", ks)
            + ". rtla timerlat thread max: " + latency_cells(rep, "tl_max", ks)
            + ". Idle floor (cyclictest max, no workload): "
            + ", ".join(f"{k} {rng(rep['floor'][k]['max'], 0)} us" for k in ks)
            + ". The longest preempt-off section the kernel's preemptoff tracer saw over "
            "those boots: " + "; ".join(longest) + ".")


def gen_latency_inversion():
    """A critical task's own swap-ins, with and without a hog (zsp-critical)."""
    rep = load(f"{LATENCY_RUN}/report.json")
    ks = ("base", "series", "mutex")
    return (f"A SCHED_FIFO 90 task touching one of its own swapped-out pages every 2 ms "
            f"(zsp-critical, page-cluster 0, every touch one zswap load), {latency_intro(rep)}. "
            f"Beside the workers alone, its swap-in p99, base -> series: "
            + latency_cells(rep, "critical_swapin_p99", ks[:2], 1)
            + "; its wakeup p99: " + latency_cells(rep, "critical_wake_p99", ks[:2], 1)
            + ". With a SCHED_FIFO 50 task also spinning 3 ms of every 4 on that CPU, "
            "its swap-in p99, base -> series -> series with a plain context mutex "
            "(without patch 18): " + latency_cells(rep, "inversion_swapin_p99", ks, 1)
            + "; max: " + latency_cells(rep, "inversion_swapin_max", ks, 1) + ".")


# The newest make bench-latency RT=1 run: base, the series and Debian's 6.1
# PREEMPT_RT kernel from its package, side by side.
RT_RUN = "bench/latency-20261205T181648Z"


def rt_cells(rep, key, unit="us", digits=0):
    cells = []
    for c in rep["bench"]["compressors"].split():
        row = rep["compressors"][c][key]
        vals = " / ".join(rng(row[k], digits) for k in ("base", "series", "rt"))
        cells.append(f"{c} {vals} {unit} (series against base: {verdict(row['base'], row['series'])}; "
                     f"against rt: {verdict(row['rt'], row['series'])})")
    return "; ".join(cells)


def gen_latency_rt():
    """base vs series vs Debian's 6.1 PREEMPT_RT kernel, and the project's goal."""
    rep = load(f"{RT_RUN}/report.json")
    boots = rep["boots"]
    goal = []
    for c, g in rep.get("goal", {}).items():
        w = g["wakeup"]
        worst = max(w.values(), key=lambda x: x["ratio"])
        met = [k for k, x in w.items() if x["met"]]
        t = g["throughput"]
        goal.append(f"{c}: series/rt {min(x['ratio'] for x in w.values()):.2f} to "
                    f"{worst['ratio']:.2f} over the {len(w)} wakeup figures "
                    f"({len(met)} of {len(w)} within 10%), swap-in throughput series/base "
                    f"{t['ratio']:.2f} ({'at least the base' if t['met'] else 'below the base'})")
    return (f"Beside Debian's 6.1 PREEMPT_RT kernel as packaged ({rep['bench']['revs']['rt']}, "
            f"booted with the harness's initramfs for its modules; Debian's own config, HZ=250), "
            f"make bench-latency RT=1 run {os.path.basename(RT_RUN)} (one vCPU under icount; "
            + ", ".join(f"{len(boots[k])} {k}" for k in rep["kernels"])
            + " boots alternating; median (min..max) over boots), base / series / rt. "
            "cyclictest max beside swap-in: " + rt_cells(rep, "ct_max")
            + ". rtla timerlat thread max: " + rt_cells(rep, "tl_max")
            + "; its IRQ max, before any scheduling: " + rt_cells(rep, "tl_irq_max")
            + ". The critical task's wakeup max with a SCHED_FIFO 50 hog: "
            + rt_cells(rep, "inversion_wake_max", digits=1)
            + "; its swap-in p99 there: " + rt_cells(rep, "inversion_swapin_p99", digits=1)
            + ". The workers' swap-in throughput: " + rt_cells(rep, "wk_tput", "loads/s")
            + ". The goal, the series' wakeup latency within 10% of the RT kernel's at "
            "the base's throughput or better (medians; wakeup figures: cyclictest max and "
            "p99.9, timerlat max, the critical task's wakeup max with and without the hog): "
            + "; ".join(goal) + ".")


# The newest make bench-latency PHASES=zsplock run: zsplock's exact
# preempt-off time per load on the trace kernels, judged by the tracer.
ZSPLOCK_RUN = "bench/latency-20261205T190549Z"


def gen_latency_zsplock():
    """Preempt-off per load, exact, base vs series, with its judge."""
    rep = load(f"{ZSPLOCK_RUN}/report.json")
    boots = rep["boots"]
    ks = ("base", "series")
    judged = [x for c in rep.get("zsplock_judged", {}).values() for x in c]
    on, off, base_off = (load(f"measurements/zsplock-tracer-cost/{n}.json")["load_preempt_off"]["mean_ns"] / 1e3
                         for n in ("series-lzo-tracer-on", "series-lzo-tracer-off", "base-lzo-tracer-off"))
    ok = sum(1 for x in judged if x["ok"])
    return (f"Preemption disabled per zswap load, measured: zsplock on the bench-latency "
            f"kernels, whose preempt_disable/preempt_enable tracepoints let it time every "
            f"section of the loading task, make bench-latency PHASES=zsplock run "
            f"{os.path.basename(ZSPLOCK_RUN)} (one vCPU under icount; "
            + ", ".join(f"{len(boots[k])} {k}" for k in ks)
            + " boots alternating; 4 s of the workers' swap-in passes; median (min..max) "
            "over boots), base -> series. Mean per load: "
            + latency_cells(rep, "zl_mean", ks, 2)
            + ". p99 per load: " + latency_cells(rep, "zl_p99", ks, 2)
            + ". Longest section inside a load: " + latency_cells(rep, "zl_longest", ks, 1)
            + f". Its judge, the kernel's preemptoff tracer over the same window: zsplock's "
            f"longest no longer than the tracer's on {ok} of {len(judged)} boot-compressor "
            "pairs. The figures include the cost of the tracer's and zsplock's own hooks "
            f"inside each section (one series boot, lzo: {on:.1f} us per load with the tracer "
            f"on, {off:.1f} us with it off; base, tracer off: {base_off:.1f} us; "
            "doc/measurements/zsplock-tracer-cost), so they overstate the series' "
            "preempt-off time, where the sampled figure understates it. Not seen at all: "
            "sections opened with preempt_disable_notrace() and time with only interrupts "
            "off.")


# The newest make bench-latency run on zram (COMPRESSORS='zram-...'): swap
# on a zram device, zswap off, base vs series.
ZRAM_LATENCY_RUN = "bench/latency-20261206T031932Z"
ZRAM_KERNELS = ("base", "series")


def gen_latency_zram():
    """zram as the only swap: the judges' figures, base vs series."""
    rep = load(f"{ZRAM_LATENCY_RUN}/report.json")
    boots = rep["boots"]
    judged = [x for c in rep.get("zsplock_judged", {}).values() for x in c]
    ok = sum(1 for x in judged if x["ok"])
    longest = []
    for c in rep["bench"]["compressors"].split():
        for k in ("base", "series"):
            p = rep["longest"][c].get(k)
            if p:
                longest.append(f"{c[5:]} {k} {p['max']:.0f} us, {p['started']} .. {p['ended']} "
                               f"(" + " < ".join(p["stack"][:3]) + ")")
    return (f"zram as the only swap, zswap off (Android's setup), make bench-latency "
            f"COMPRESSORS='{rep['bench']['compressors']}' run {os.path.basename(ZRAM_LATENCY_RUN)} "
            "(one vCPU under icount; "
            + ", ".join(f"{len(boots[k])} {k}" for k in rep["kernels"])
            + " boots alternating; the same workers and page kinds as zswap's phases, every "
            "swap-in a zram read; median (min..max) over boots), base -> series, per "
            "compressor. cyclictest max beside swap-in: " + latency_cells(rep, "ct_max", ZRAM_KERNELS)
            + ". rtla timerlat thread max: " + latency_cells(rep, "tl_max", ZRAM_KERNELS)
            + ". The preemptoff tracer's longest section: " + latency_cells(rep, "poff_max", ZRAM_KERNELS)
            + "; over the boots, where: " + "; ".join(longest)
            + ". The critical task (SCHED_FIFO 90) beside the workers, its wakeup max: "
            + latency_cells(rep, "critical_wake_max", ZRAM_KERNELS, 1)
            + "; its own swap-in p99: " + latency_cells(rep, "critical_swapin_p99", ZRAM_KERNELS, 1)
            + ". With a SCHED_FIFO 50 hog spinning 3 ms of every 4, its wakeup max: "
            + latency_cells(rep, "inversion_wake_max", ZRAM_KERNELS, 1)
            + "; its swap-in p99: " + latency_cells(rep, "inversion_swapin_p99", ZRAM_KERNELS, 1)
            + "; max: " + latency_cells(rep, "inversion_swapin_max", ZRAM_KERNELS, 1)
            + ". The workers' swap-in throughput: " + latency_cells(rep, "wk_tput", ZRAM_KERNELS, unit="swap-ins/s")
            + ". zsplock -Z, preempt-off per zram read, mean: " + latency_cells(rep, "zl_mean", ZRAM_KERNELS, 2)
            + "; longest section inside a read: " + latency_cells(rep, "zl_longest", ZRAM_KERNELS, 1)
            + f" (no longer than the preemptoff tracer's longest over the same window on {ok} "
            f"of {len(judged)} boot-compressor pairs); share of the decompressor's calls begun "
            "with preemption off: " + latency_cells(rep, "zl_dec_off", ZRAM_KERNELS, 2, "") + ".")


ZRAM_COMPACTION_RUN = "bench/latency-20261206T073312Z"


def gen_latency_zram_compaction():
    """Compaction and migration beside zram swap-in, base vs series."""
    rep = load(f"{ZRAM_COMPACTION_RUN}/report.json")
    boots = rep["boots"]

    def cells(key, digits=0, unit=""):
        return latency_cells(rep, key, ZRAM_KERNELS, digits, unit)

    return (f"Compaction and migration with zram readers active, make bench-latency "
            f"PHASES=compaction COMPRESSORS='{rep['bench']['compressors']}' run "
            f"{os.path.basename(ZRAM_COMPACTION_RUN)} (one vCPU under icount; "
            + ", ".join(f"{len(boots[k])} {k}" for k in rep["kernels"])
            + " boots alternating; median (min..max) over boots), base -> series: the "
            "workers swap in from zram while the guest compacts every half second for 8 "
            "guest seconds, the whole machine (compact_memory, which migrates zsmalloc's "
            "pages too) and zram's pool (its sysfs compact). Pages migrated "
            "(pgmigrate_success): " + cells("cmp_mig")
            + ". Migrations failed (pgmigrate_fail): " + cells("cmp_migfail")
            + ". Pages zram's compaction freed (pages_compacted): " + cells("cmp_zs")
            + ". Compaction rounds in the window: " + cells("cmp_rounds")
            + ". The workers' swap-ins per second meanwhile: " + cells("cmp_tput", 0, "swap-ins/s")
            + ".")


def gen_bench_overhead():
    """Tool overhead: throughput lost with each tool attached (make bench)."""
    rep = load(f"{BENCH_RUN}/report.json")
    cells, worst_floor = [], []
    for tool in ("zswplat", "zsplock", "zspsleep"):
        meds, maxes = [], []
        for c in COMPS:
            for k in ("base", "series"):
                o = rep["table"][c][k].get(f"overhead_{tool}")
                if o:
                    meds.append(o["median"])
                    maxes.append(o["max"])
        cells.append(f"{tool} at most {100 * max(meds):.1f}% as a median over boots "
                     f"(worst single boot {100 * max(maxes):.1f}%)")
    for c in COMPS:
        for k in ("base", "series"):
            f = rep["table"][c][k].get("overhead_floor")
            if f:
                worst_floor += [f["min"], f["max"]]
    return (f"Tool overhead, the swap-in throughput lost with a tool attached against the "
            f"mean of the plain phases before and after it on the same boot, tool order "
            f"turned with the boot, over four compressors and both kernels, "
            f"{bench_intro(rep)}: " + "; ".join(cells) + f". Between the two plain phases "
            f"themselves throughput moved {100 * min(worst_floor):.1f}..{100 * max(worst_floor):.1f}% "
            f"on single boots: a tool figure inside that range is not told from noise.")


def gen_zram_cost():
    """What 6.1's zram pays for the series' zspage lock (zsp_mbench)."""
    rep = load(f"{ZRAM_RUN}/report.json")
    mb = rep["mbench"]
    b, s = mb["base"], mb["series"]
    n = min(b["contend_contig_idle_tried"]["n"], s["contend_contig_idle_tried"]["n"])

    def cond(d, c):
        return (f"{rng(d.get(f'contend_contig_{c}_ok'), 0)} of "
                f"{rng(d.get(f'contend_contig_{c}_tried'), 0)}")

    text = (
        f"zram's cost, measured by the microbenchmark module beside readers that map "
        f"objects as 6.1's zram does (run {os.path.basename(ZRAM_RUN)}, icount, 2 vCPUs, "
        f"{n} boots per kernel; median (min..max) over boots). alloc_contig_range() of one "
        f"zspage page at a time, pages that migrated: with no reader, base "
        f"{cond(b, 'idle')}, series {cond(s, 'idle')}; with readers over the whole pool, "
        f"base {cond(b, 'busy')}, series {cond(s, 'busy')}; 64 attempts on the one zspage "
        f"the readers read, base {cond(b, 'hot')}, series {cond(s, 'hot')} (no reader: base "
        f"{cond(b, 'idle_hot')}, series {cond(s, 'idle_hot')}). zs_compact() of a half-empty "
        f"pool freed base {rng(b.get('contend_compact_idle_freed'), 0)} / series "
        f"{rng(s.get('contend_compact_idle_freed'), 0)} pages with no reader and base "
        f"{rng(b.get('contend_compact_busy_freed'), 0)} / series "
        f"{rng(s.get('contend_compact_busy_freed'), 0)} beside the readers, who meanwhile read "
        f"{rng(b.get('contend_compact_busy_reads'), 0)} objects on the base (its compaction "
        f"holds them off) and {rng(s.get('contend_compact_busy_reads'), 0)} on the series. The "
        f"first whole-pool pass with no reader fails at once with -EBUSY for most pages on "
        f"both kernels alike, right after boot; why is not yet understood.")
    return text


def max_spread(pairs):
    """The largest (max - min) / median over the given boot summaries."""
    sp = [(x["max"] - x["min"]) / x["median"] for x in pairs if x and x["median"]]
    return f"{100 * max(sp):.1f}%" if sp else "n/a"


def gen_zs_map_cost():
    """zs_map_object() per call, base vs series (zsp_mbench)."""
    rep = load(f"{ZRAM_RUN}/report.json")
    b, s = rep["mbench"]["base"], rep["mbench"]["series"]
    cells, used = [], []
    for size in (64, 1024, 2048, 3072, 4096):
        bb, ss = b.get(f"obj_{size}_map_read"), s.get(f"obj_{size}_map_read")
        if bb and ss:
            cells.append(f"{size} B {ss['median'] / bb['median']:.3f}"
                         + (" (ranges overlap: no measurable difference)" if overlap(ss, bb) else ""))
            used += [bb, ss]
    return (f"zs_map_object() read, series/base ns per call (run "
            f"{os.path.basename(ZRAM_RUN)}, medians over {b['obj_64_map_read']['n']} boots, "
            f"each kernel's spread over its boots at most {max_spread(used)}): "
            + ", ".join(cells) + ".")


def gen_cpuhp_abi():
    """enum cpuhp_state, base vs series, from host/cpuhp-abi runs."""
    old = read("measurements/tests/20261204-cpuhp-abi-old-series.tap")
    # The diff's range header: base lines a..b differ (enum order).
    hunk = re.search(r"^#\s+(\d+),(\d+)c", old, re.M)
    moved = int(hunk.group(2)) - int(hunk.group(1)) + 1 if hunk else "?"
    first = re.search(r"^#\s+< (\w+ = \d+)", old, re.M)
    ok, text = tap_line("measurements/tests/20261204-cpuhp-abi.tap", r"every entry|differs")
    n = re.search(r"\((\d+) entries\)", read("measurements/tests/20261204-cpuhp-abi.tap"))
    return (f"host/cpuhp-abi compares enum cpuhp_state in the base's and the series' BTF: "
            f"the previous posting's patch 3 removed or renumbered {moved} entries, from "
            f"{first.group(1) if first else '?'} on (run 20261204-cpuhp-abi-old-series); this "
            f"series: {'all ' + n.group(1) + ' entries equal' if ok and n else 'DIFFERS'} "
            f"(run 20261204-cpuhp-abi).")


def gen_transforms():
    """Which implementation the synchronous transform picks."""
    _, old = tap_line("measurements/tests/20261204-transforms-old-series.tap", r"comp-only lzo")
    ok, new = tap_line("measurements/tests/20261204-transforms.tap", r"comp-only lzo")
    calls_old = re.search(r"(\d+) calls", old)
    calls_new = re.search(r"(\d+) calls in (\d+) loads", new)
    return (f"zswap-transforms registers a comp-only \"lzo\" at priority 1000 (a test "
            f"module): the previous posting's patch 11 sent {calls_old.group(1) if calls_old else '?'} "
            f"calls to it (run 20261204-transforms-old-series); this series' patch 13 "
            f"{'sent ' + calls_new.group(1) + ' calls in ' + calls_new.group(2) + ' loads' if ok and calls_new else 'FAILED'}, "
            f"keeping acomp's choice (run 20261204-transforms).")


def gen_load_alloc():
    """Allocations under the zswap load function, series and base."""
    rel = "measurements/tests/20261205-zswap-load-alloc.tap"
    txt = read(rel)
    ser = re.search(r"^# series kernel: (\d+) allocations under a load function over (\d+) loads", txt, re.M)
    base = re.search(r"^# base kernel: (\d+) allocations under a load function over (\d+) loads", txt, re.M)
    if not ser or not base:
        raise SourceError(f"doc/{rel}: no series or base count")
    return (f"Allocations made while a zswap load function is on the stack (kmem "
            f"tracepoints, stacktrace histogram, run 20261205-zswap-load-alloc): base "
            f"{base.group(1)} over {base.group(2)} loads, series {ser.group(1)} over "
            f"{ser.group(2)} loads.")


def gen_cve_repro():
    """CVE-2025-21693: the base's KASAN panic and the series' clean run."""
    rel = "measurements/tests/20261205-zswap-cve-2025-21693.tap"
    ok_b, base = tap_line(rel, r"@kasan-base")
    ok_s, ser = tap_line(rel, r"loads through the widened")
    cycles = re.search(r"across (\d+) CPU offline/online cycles, (\d+) loads", ser)
    bug = re.search(r"BUG: KASAN: [\w-]+ in \S+", base)
    if not (ok_b and ok_s and cycles and bug):
        raise SourceError(f"doc/{rel}: the reproducer run did not pass")
    return (f"CVE-2025-21693 reproducer (a test aid sleeps 200 ms between the context "
            f"look-up and its lock, at the same place on both kernels, while CPUs go "
            f"offline; run 20261205-zswap-cve-2025-21693): the KASAN base, booted with "
            f"kasan.fault=panic, panics with \"{bug.group(0)}\" reached from "
            f"zswap_frontswap_load(); the series verifies every page across "
            f"{cycles.group(1)} offline/online cycles with {cycles.group(2)} loads through "
            f"the window, no report.")


def gen_pool_memory():
    """Memory per zswap pool, base vs series (pool-memory-guest.sh)."""
    b = load("measurements/pool-memory-debug-base.json")
    s = load("measurements/pool-memory-debug-series.json")
    cells = [f"{c} {b['pools'][c]['kib']} -> {s['pools'][c]['kib']}"
             for c in ("lzo", "lz4", "zstd", "deflate") if c in b["pools"] and c in s["pools"]]
    return (f"Memory of one zswap pool, KiB, base -> series ({b['cpus']}-vCPU debug guest, "
            f"median of {len(b['pools']['lzo']['rounds_kib'])} rounds, "
            f"doc/measurements/pool-memory-debug-*.json): " + ", ".join(cells) +
            f"; scomp's scratch buffers while zswap has a pool: {b['scomp_scratch_kib']} KiB "
            f"on the base, {s['scomp_scratch_kib']} KiB with the series.")


def gen_debian_trees():
    """git am onto every linux-source-6.1 Debian serves (host/debian-trees)."""
    rel = "measurements/tests/20261204-host.tap"
    vers = [m.group(1) for ok, t in tap_results(rel) if ok
            for m in [re.search(r"series applies to Debian's linux-source-6.1 (\S+)", t)] if m]
    if not vers:
        raise SourceError(f"doc/{rel}: no debian-trees result")
    return (f"The series applies with git am to Debian's linux-source-6.1 {', '.join(vers)} "
            f"as well as the pinned 6.1.192-2 (run 20261204-host).")


def gen_matrix():
    """make check: checkpatch, W=1/sparse per patch, the configuration matrix."""
    rel = "measurements/tests/20261205-make-check.log"
    log = read(rel)
    clean = len(re.findall(r"^checkpatch --strict: \S+: clean", log, re.M))
    w1 = len(re.findall(r"^patch \d+ .*nothing new from the compiler or sparse", log, re.M))
    mats = re.findall(r"^matrix (\S+) \((\w+)\): (\d+) patches, each built", log, re.M)
    if "FAIL" in log or "error" in log.lower():
        raise SourceError(f"doc/{rel}: the run reports a failure")
    return (f"make check (run 20261205-make-check): checkpatch --strict clean on {clean} "
            f"patches; each of {w1} patches applied in turn builds every object the series touches "
            f"with W=1 and sparse, nothing new; and each builds in {len(mats)} configurations: "
            + ", ".join(m[0] + (f" ({m[1]})" if m[1] != "x86_64" else "") for m in mats) + ".")


def gen_mbench_access():
    """The changed code alone: object access, series vs base (zsp_mbench)."""
    rep = load(f"{ZRAM_RUN}/report.json")
    b, s = rep["mbench"]["base"], rep["mbench"]["series"]

    used = []

    def r(size, new, old, suf=""):
        nn, oo = s.get(f"obj_{size}_{new}{suf}"), b.get(f"obj_{size}_{old}{suf}")
        used.extend([nn, oo])
        if not nn or not oo:
            return "n/a"
        # The verdict rule of bench_report.py: ranges over boots that
        # overlap are no measurable difference.
        return f"{nn['median'] / oo['median']:.3f}" + (" (ranges overlap: no measurable difference)" if overlap(nn, oo) else "")

    n = b["obj_64_map_read"]["n"]
    body = (f"series zs_obj_read_begin/end() over base zs_map_object()/unmap for one object "
            f"read inside a page: {r(64, 'obj_read', 'map_read')} at 64 B, "
            f"{r(1024, 'obj_read', 'map_read')} at 1 KiB, {r(4096, 'obj_read', 'map_read')} "
            f"at 4 KiB; straddling two pages: {r(1024, 'obj_read', 'map_read', '_st')} at "
            f"1 KiB, {r(3072, 'obj_read', 'map_read', '_st')} at 3 KiB; zs_obj_write() over "
            f"a mapped write, straddling: {r(1024, 'obj_write', 'map_write', '_st')} at 1 KiB.")
    return (f"The changed code alone (zsp_mbench, guest instructions under icount, run "
            f"{os.path.basename(ZRAM_RUN)}, medians over {n} boots per kernel, each "
            f"kernel's spread over its boots at most {max_spread(used)}), " + body)


def gen_nocompact_repro():
    """The !CONFIG_COMPACTION hole: broken on purpose vs patch 6."""
    runs = ["measurements/tests/20261205-held-zspage-kasan-nocompact-broken-%d.tap" % i for i in (1, 2, 3)]
    good = "measurements/tests/20261205-held-zspage-kasan-nocompact.tap"
    failed = 0
    for rel in runs:
        txt = read(rel)
        ok_r, _ = tap_line(rel, r"evacuations of a read-held zspage")
        if not ok_r and re.search(r"BUG: KASAN: use-after-free", txt) and \
                re.search(r"differs at byte", txt):
            failed += 1
    ok_g, refused = tap_line(good, r"evacuations of a read-held zspage")
    ok_c, _ = tap_line(good, r"guest kernel clean")
    ok_v, _ = tap_line(good, r"every page verified")
    n = re.search(r"all (\d+) evacuations", refused)
    if not (ok_g and ok_c and ok_v and n):
        raise SourceError(f"doc/{good}: the run with the series did not pass")
    return (f"CONFIG_COMPACTION=n on a KASAN kernel, zsmalloc-held-zspage (every zswap "
            f"load, holding its object, has a worker try to move every object out of that "
            f"object's zspage, as compaction would): with the zspage write side made to "
            f"ignore readers, as 6.1 without patch 6 (selftests/kernel/broken/ in the "
            f"project), the attempts went through and KASAN reported a use-after-free in "
            f"lzo1x_decompress_safe() and pages failed to verify in {failed} of {len(runs)} "
            f"runs (runs 20261205-held-zspage-kasan-nocompact-broken-1..{len(runs)}); with "
            f"this series the zspage lock refused all {n.group(1)} attempts, every page "
            f"verified, no report (run 20261205-held-zspage-kasan-nocompact).")


GENERATORS = {
    "bench-latency": gen_bench_latency,
    "bench-throughput": gen_bench_throughput,
    "bench-preemptoff": gen_bench_preemptoff,
    "bench-overhead": gen_bench_overhead,
    "latency-wakeup": gen_latency_wakeup,
    "latency-inversion": gen_latency_inversion,
    "latency-rt": gen_latency_rt,
    "latency-zsplock": gen_latency_zsplock,
    "latency-zram": gen_latency_zram,
    "latency-zram-compaction": gen_latency_zram_compaction,
    "nocompact-repro": gen_nocompact_repro,
    "pool-memory": gen_pool_memory,
    "debian-trees": gen_debian_trees,
    "matrix": gen_matrix,
    "mbench-access": gen_mbench_access,
    "zram-cost": gen_zram_cost,
    "zs-map-cost": gen_zs_map_cost,
    "cpuhp-abi": gen_cpuhp_abi,
    "transforms": gen_transforms,
    "load-alloc": gen_load_alloc,
    "cve-repro": gen_cve_repro,
}


def render(name, doc):
    if name not in GENERATORS:
        raise SourceError(f"{doc}: unknown generated block '{name}'")
    text = GENERATORS[name]()
    # Markdown paragraphs stay one paragraph; the cover letter wraps at 72.
    return wrap(text) if doc.endswith(".txt") else wrap(text, 76)


def process(doc, check):
    path = os.path.join(TOP, doc)
    with open(path) as f:
        old = f.read()
    errors = []

    def repl(m):
        try:
            body = render(m.group(1), doc)
        except SourceError as e:
            errors.append(str(e))
            return m.group(0)
        return f"<!-- gen:{m.group(1)} -->\n{body}<!-- /gen:{m.group(1)} -->\n"

    new = BLOCK.sub(repl, old)
    opened = len(re.findall(r"^<!-- gen:", old, re.M))
    if opened != len(BLOCK.findall(old)):
        errors.append(f"{doc}: a '<!-- gen:NAME -->' without its '<!-- /gen:NAME -->'")
    if errors:
        return errors, False
    if new == old:
        return [], False
    if check:
        return [f"{doc}: generated figures differ from doc/bench/ and doc/measurements/ (edited by hand? run 'make docs')"], True
    with open(path, "w") as f:
        f.write(new)
    return [], True


def main():
    check = "--check" in sys.argv[1:]
    bad = [a for a in sys.argv[1:] if a != "--check"]
    if bad:
        sys.exit(f"usage: docs.py [--check] (unknown argument {bad[0]})")
    errors, changed = [], []
    for doc in DOCS:
        e, c = process(doc, check)
        errors += e
        if c and not check:
            changed.append(doc)
    for e in errors:
        print(f"docs.py: {e}", file=sys.stderr)
    if not check:
        print(f"docs.py: {len(changed)} file(s) rewritten{': ' + ', '.join(changed) if changed else ''}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
