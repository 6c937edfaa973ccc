#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every generated figure block of README.md, doc/cover-letter.txt and
# doc/*.md is what scripts/docs.py makes of the result files committed in
# doc/measurements/: a figure edited by hand, or a result changed without
# 'make docs', fails here. Then the same check on a copy with one figure
# edited, which must fail, so the check is seen to bite.
. "$ZSP_TOP/selftests/host/lib.sh"

check "generated figures match doc/measurements/ (make docs)" 0 "" python3 "$ZSP_TOP/scripts/docs.py" --check
n=$(cat "$ZSP_TOP/README.md" "$ZSP_TOP/doc/cover-letter.txt" "$ZSP_TOP"/doc/*.md | grep -cE '^<!-- gen:[a-z0-9-]+ -->$')
[ "$n" -gt 0 ] && ok "$n generated blocks in README.md, doc/cover-letter.txt and doc/*.md" ||
	not_ok "no generated block found"

# A committed benchmark run that keeps its raw phase results: the report
# made from them again is the committed one, byte for byte.
# A make bench-latency run (latency-*) likewise, with latency-report.py.
for run in "$ZSP_TOP"/doc/measurements/bench/*/; do
	id=$(basename "$run")
	case $id in
	latency-*) report=latency-report.py ;;
	*) report=bench-report.py ;;
	esac
	compgen -G "${run}runs/*/lzo-plain.json" > /dev/null ||
		compgen -G "${run}runs/*/lzo-critical.json" > /dev/null || continue
	cp -r "$run" "$scratch/$id"
	rm -f "$scratch/$id/report.json" "$scratch/$id/report.md"
	if python3 "$ZSP_TOP/scripts/$report" "$scratch/$id" > "$scratch/$id.log" 2>&1 &&
		cmp -s "$scratch/$id/report.json" "$run/report.json" &&
		cmp -s "$scratch/$id/report.md" "$run/report.md"; then
		ok "bench run $id: its report made again from its committed phase results is the committed one"
	else
		not_ok "bench run $id: the report made again from its phase results differs (or failed: $(tail -1 "$scratch/$id.log"))"
	fi
done

# The negative control: a copy of the tree's documents and generator with
# one digit of one generated block changed.
mkdir -p "$scratch/top/scripts" "$scratch/top/doc"
cp "$ZSP_TOP/scripts/docs.py" "$scratch/top/scripts/"
cp "$ZSP_TOP/README.md" "$scratch/top/"
cp -r "$ZSP_TOP"/doc/*.md "$ZSP_TOP/doc/cover-letter.txt" "$ZSP_TOP/doc/measurements" "$scratch/top/doc/"
python3 - "$scratch/top/doc/cover-letter.txt" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
m = re.search(r"^<!-- gen:[a-z0-9-]+ -->\n(.*?)^<!-- /gen:", s, re.M | re.S)
body = m.group(1)
d = re.search(r"\d", body)
edited = body[:d.start()] + str((int(d.group()) + 1) % 10) + body[d.end():]
open(p, "w").write(s[:m.start(1)] + edited + s[m.end(1):])
PY
check "a hand-edited figure in the cover letter is caught" 1 "cover-letter.txt: generated figures differ" \
	python3 "$scratch/top/scripts/docs.py" --check
tap_done
