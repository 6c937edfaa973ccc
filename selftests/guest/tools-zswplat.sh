#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# zswplat against the kernel's own counter and a real peer: over the same
# workload its load count matches the zswpin delta within 1%, its histogram
# totals (per compressor and, with -C, per CPU) equal its counts, and
# Debian's libbpf-tools funclatency on the same load function agrees on
# count (1%) and median (25%, at funclatency's log2 resolution). The tool's
# overhead is make bench's figure (perf kernels), not this debug boot's.
# vm: -m 512M -t 900
. "$ZSP_TOP/selftests/guest/lib.sh"

zswap_use zsmalloc lzo
fn=zswap_frontswap_load
grep -qw zswap_load /proc/kallsyms && fn=zswap_load
stress() { "$ZSP_BIN/zswap-stress" -m 64 -c 24 -p 2 -s "$1" -j 2> /tmp/stress.err; }

tool_start zswplat /tmp/lat.json -j -A -C || not_ok "zswplat attached"
# The peer, libbpf-tools' funclatency, is attached once it says Tracing.
funclatency -u "$fn" > /tmp/fl.txt 2> /tmp/fl.err &
fl=$!
for _ in $(seq 60); do
	grep -q "Tracing" /tmp/fl.txt && break
	sleep 1
done
res=$(stress 5)
rc=$?
kill -INT $fl
tool_stop zswplat
lrc=$?
wait $fl
cat /tmp/lat.json.err /tmp/stress.err
[ $rc -eq 0 ] && ok "workload verified under tracing" || not_ok "workload exit $rc"
[ $lrc -eq 0 ] && [ -s /tmp/lat.json ] && ok "zswplat ran and reported (exit $lrc)" ||
	not_ok "zswplat exit $lrc, $(wc -c < /tmp/lat.json) bytes of output"
sed 's/^/# funclatency: /' /tmp/fl.txt | head -30

pycheck 8 "$res" /tmp/lat.json /tmp/fl.txt <<'PY'
import json, re, sys
from tap import tap
res, lat = json.loads(sys.argv[1]), json.load(open(sys.argv[2]))
fl = open(sys.argv[3]).read()
zswpin, loads = res["zswpin"], lat["loads"]
tap(zswpin > 1000 and abs(loads - zswpin) <= 0.01 * zswpin,
    f"zswplat counted {loads} loads, kernel zswpin delta {zswpin} (within 1%)")
tot = sum(c["phases"]["total"]["count"] for c in lat["compressors"])
tap(tot == loads, f"per-compressor histogram totals sum to the load count ({tot} == {loads})")
cpus = sum(h["count"] for h in lat["cpus"].values()) + lat["cpu_beyond"]
tap(len(lat["cpus"]) >= 1 and cpus == loads,
    f"with -C, the per-CPU rows plus the loads on CPUs without a row sum to the load count ({cpus} == {loads})")
bad = [c["name"] for c in lat["compressors"]
       if sum(b["count"] for b in c["phases"]["total"]["log2_ns"]) != c["phases"]["total"]["count"]]
tap(not bad, "every compressor's log2 buckets add up to its count" + (f" (not: {bad})" if bad else ""))
lzo = [c for c in lat["compressors"] if c["name"] == "lzo"]
tap(bool(lzo) and all(lzo[0]["phases"][p]["count"] > 0 for p in ("ctx-wait", "access", "decompress")),
    "lzo row has ctx-wait, access and decompress phases")
same = [c for c in lat["compressors"] if c["name"] == "same-filled"]
tap(bool(same) and same[0]["phases"]["total"]["count"] > 0, "same-filled loads are counted apart")
rows = [(int(a), int(b), int(c)) for a, b, c in re.findall(r"^\s*(\d+) -> (\d+)\s*:\s*(\d+)", fl, re.M)]
flc = sum(r[2] for r in rows)
calls = loads + lat["misses"] + lat["failures"]
tap(flc > 0 and abs(flc - calls) <= 0.01 * calls,
    f"funclatency counted {flc} calls, zswplat {calls} (within 1%)")
half, cum, med = flc / 2, 0, None
for lo, hi, c in rows:
    cum += c
    if cum >= half:
        med = (lo, hi)
        break
p50 = lat["all"]["p50_ns"] / 1000
tap(med is not None and med[0] * 0.75 <= p50 <= (med[1] + 1) * 1.25,
    f"median agrees: zswplat p50 {p50:.1f} us, funclatency median bucket {med} us (25% margin)")
print(f"# zswplat all: p50 {lat['all']['p50_ns']} ns p99 {lat['all']['p99_ns']} ns max {lat['all']['max_ns']} ns")
sys.exit(0)
PY

# The default mode leaves the access pair out: -A adds it. A short workload
# gives the default mode loads to classify.
tool_start zswplat /tmp/lat0.json -j || not_ok "zswplat attached in its default mode"
stress 7 > /dev/null
tool_stop zswplat
pycheck 2 /tmp/lat.json /tmp/lat0.json <<'PY'
import json, sys
from tap import tap
withA, default = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
acc = ("zpool_map_handle", "zpool_unmap_handle", "zpool_obj_read_begin", "zpool_obj_read_end",
       "zs_map_object", "zs_unmap_object", "zs_obj_read_begin", "zs_obj_read_end")
a = {f: m for f, m in withA["hooks"].items() if f in acc}
d = {f: m for f, m in default["hooks"].items() if f in acc}
tap(a and all(m != "-" for m in a.values()) and d and all(m == "-" for m in d.values()),
    f"the access pair is attached with -A ({a}) and not by default ({d})")
lzo = [c for c in default["compressors"] if c["name"] == "lzo"]
tap(bool(lzo) and lzo[0]["phases"]["decompress"]["count"] > 0 and lzo[0]["phases"]["access"]["count"] == 0,
    "the default mode still files loads by compressor, with a decompress phase and no access phase")
PY
tap_done
