#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every generated figure block of README.md, doc/cover-letter.txt and
# doc/*.md is what zspbench.docs makes of the result files committed in
# doc/bench/ and doc/measurements/: a figure edited by hand, or a result changed without
# 'make docs', fails here. Then the same check on a copy with one figure
# edited, which must fail, so the check is seen to bite.
. "$ZSP_TOP/selftests/host/lib.sh"

check "generated figures match doc/bench/ and doc/measurements/ (make docs)" 0 "" zsp_py docs --check
n=$(cat "$ZSP_TOP/README.md" "$ZSP_TOP/doc/cover-letter.txt" "$ZSP_TOP"/doc/*.md | grep -cE '^<!-- gen:[a-z0-9-]+ -->$')
[ "$n" -gt 0 ] && ok "$n generated blocks in README.md, doc/cover-letter.txt and doc/*.md" ||
	not_ok "no generated block found"

# A committed benchmark run that keeps its raw phase results: the report
# made from them again is the committed one, byte for byte.
# make bench-latency (latency-*) and make bench-contention (contention-*)
# runs likewise, each with its own report module.
for rdir in "$ZSP_TOP"/doc/bench/*/; do
	rid=$(basename "$rdir")
	case $rid in
	latency-*) report=latency_report raw=meta.json ;;
	contention-*) report=contention_report raw=lzo.json ;;
	*) report=bench_report raw=lzo-plain.json ;;
	esac
	compgen -G "${rdir}runs/*/$raw" > /dev/null || continue
	cp -r "$rdir" "$scratch/$rid"
	rm -f "$scratch/$rid/report.json" "$scratch/$rid/report.md"
	if zsp_py "$report" "$scratch/$rid" > "$scratch/$rid.log" 2>&1 &&
		cmp -s "$scratch/$rid/report.json" "$rdir/report.json" &&
		cmp -s "$scratch/$rid/report.md" "$rdir/report.md"; then
		ok "bench run $rid: its report made again from its committed phase results is the committed one"
	else
		not_ok "bench run $rid: the report made again from its phase results differs (or failed: $(tail -1 "$scratch/$rid.log"))"
	fi
done

# Provenance: every commit id a patch message or the cover letter cites
# has a row in doc/upstream-ids.md saying how it was checked. Only the
# message (up to the first "---") is read: a diff's hex is not an id.
cited_ids() {
	local f
	for f in "$ZSP_TOP"/patches/0*.patch; do
		awk '/^---$/ { exit } { print }' "$f"
	done | grep -ohE '\b[0-9a-f]{12}\b' | sort -u
}
ids=$(cited_ids)
# unlisted_ids TABLE: the cited ids TABLE has no row for.
unlisted_ids() {
	local id
	for id in $ids; do
		grep -q "$id" "$1" || echo "$id"
	done
}
missing=$(unlisted_ids "$ZSP_TOP/doc/upstream-ids.md" | tr '\n' ' ')
n=$(wc -w <<< "$ids")
[ "$n" -gt 0 ] && [ -z "$missing" ] && ok "all $n upstream ids cited by patches/ have a row in doc/upstream-ids.md" ||
	not_ok "upstream ids cited by patches/ without a row in doc/upstream-ids.md: ${missing:-none found at all}"
# ... and the check bites: drop one cited id's row from a copy of the table.
one=${ids%%$'\n'*}
grep -v "$one" "$ZSP_TOP/doc/upstream-ids.md" > "$scratch/ids.md"
unlisted_ids "$scratch/ids.md" | grep -qx "$one" && ok "an id whose row is removed from the table is reported" ||
	not_ok "removing the row of $one from the table is not reported"

# The negative control: a copy of the tree's documents and generator with
# one digit of one generated block changed.
mkdir -p "$scratch/top/scripts" "$scratch/top/doc"
cp -r "$ZSP_TOP/scripts/zspbench" "$scratch/top/scripts/"
cp "$ZSP_TOP/README.md" "$scratch/top/"
cp -r "$ZSP_TOP"/doc/*.md "$ZSP_TOP/doc/cover-letter.txt" "$ZSP_TOP/doc/bench" "$ZSP_TOP/doc/measurements" "$scratch/top/doc/"
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
	env PYTHONPATH="$scratch/top/scripts" python3 -m zspbench.docs --check
tap_done
