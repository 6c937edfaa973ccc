# SPDX-License-Identifier: GPL-2.0
"""Reading result files, summarising a figure over boots, and the one rule
by which two kernels' figures differ or not (doc/design.md, Measure, then
claim): a difference counts only where each kernel has at least
MIN_VERDICT_BOOTS boots and their min..max ranges do not overlap."""

import json
import statistics
from fractions import Fraction

# Fewer boots than this per kernel give figures but no verdict: with no
# real difference, two pairs of boots fail to overlap about one time in
# three.
MIN_VERDICT_BOOTS = 3


def load_json(path):
    """The JSON of a file, or the last JSON object in it when it holds one
    per line (the tools print one per report); None if there is none."""
    try:
        with open(path) as f:
            lines = [l for l in f.read().splitlines() if l.strip()]
    except OSError:
        return None
    try:
        return json.loads("\n".join(lines))
    except ValueError:
        pass
    for line in reversed(lines):
        try:
            return json.loads(line)
        except ValueError:
            continue
    return None


def hist_percentile(hist, pct):
    """hist: sorted [(value, count)]; the value of the bucket holding the
    pct-th percentile (nearest rank), None for an empty histogram. The
    rank is exact: in floating point, 99.9% of some totals lands a hair
    above or below the count it equals."""
    total = sum(c for _, c in hist)
    if not total:
        return None
    want = Fraction(str(pct)) * total / 100
    seen = 0
    for v, c in hist:
        seen += c
        if seen >= want:
            return v
    return hist[-1][0]


def summarize(values, keep_values=False):
    """median, min, max and n of one figure over boots (None if no boot
    gave it); keep_values keeps each boot's value too."""
    if not values:
        return None
    s = {"median": statistics.median(values), "min": min(values),
         "max": max(values), "n": len(values)}
    if keep_values:
        s["values"] = values
    return s


def spread(s):
    """Same-kernel spread across boots: (max - min) / median."""
    if not s or s["n"] < 2 or not s["median"]:
        return None
    return (s["max"] - s["min"]) / abs(s["median"])


def overlap(a, b):
    """Whether two summaries' min..max ranges overlap."""
    return a["min"] <= b["max"] and b["min"] <= a["max"]


def compare(base, other):
    """The rule, once: None without MIN_VERDICT_BOOTS boots on each side,
    "same" (no measurable difference) when the ranges overlap, else
    "lower" or "higher" (other against base)."""
    if not base or not other or min(base["n"], other["n"]) < MIN_VERDICT_BOOTS:
        return None
    if overlap(base, other):
        return "same"
    return "lower" if other["max"] < base["min"] else "higher"


def verdict(base, other):
    """compare()'s verdict in plain words: "no verdict (...)", "no
    measurable difference" or "differs"."""
    c = compare(base, other)
    if c is None:
        return f"no verdict (fewer than {MIN_VERDICT_BOOTS} boots)"
    return "no measurable difference" if c == "same" else "differs"


def rng(s, digits=1, scale=1.0):
    """median (min..max) over boots; the median alone for one boot (a
    range that is one value still says that every boot gave it)."""
    if not s:
        return "n/a"
    f = f"{{:.{digits}f}}"
    med = f.format(s["median"] * scale)
    if s["n"] < 2:
        return med
    return f"{med} ({f.format(s['min'] * scale)}..{f.format(s['max'] * scale)})"
