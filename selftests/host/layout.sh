#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The one-way rules of doc/design.md ("Layout and the one-way rules"), read
# from the code: for each folder, the project paths its code (comments
# left out) may not name. Then the same check on a copy of the tree with
# one call that breaks a rule, which must be caught.
. "$ZSP_TOP/selftests/host/lib.sh"

# FOLDER|REGEX of what its code must not name.
rules=(
	"scripts/setup|scripts/(series|kernel|vm|bench|demo|zspbench)/|selftests/|workloads/"
	"scripts/vm|scripts/(setup|series|kernel|bench|demo|zspbench)/|selftests/|workloads/"
	"scripts/kernel|scripts/(series|vm|bench|demo)/|selftests/(guest|host|module|run)"
	"scripts/series|scripts/(setup|vm|bench|demo)/|selftests/"
	"scripts/bench|scripts/(setup|series|demo)/|selftests/"
	"scripts/demo|scripts/(setup|series|kernel)/|selftests/"
	"workloads|scripts/|selftests/"
	"tools|scripts/|selftests/|workloads/"
	"bpf|scripts/|selftests/|workloads/"
)

# violations TOP: one line per file:line whose code names what its folder
# may not.
violations() {
	local top=$1 r dir re f

	for r in "${rules[@]}"; do
		dir=${r%%|*}
		re=${r#*|}
		while IFS= read -r -d '' f; do
			grep -nE "$re" "$f" | grep -vE '^[0-9]+:[[:space:]]*(#|//|\*|/\*)' |
				sed "s|^|${f#"$top"/}:|"
		done < <(find "$top/$dir" -type f -print0)
	done
	# lib.sh sources nothing.
	grep -nE '^[[:space:]]*(\.|source)[[:space:]]' "$top/scripts/lib.sh" | sed 's|^|scripts/lib.sh:|'
}

v=$(violations "$ZSP_TOP")
[ -z "$v" ] && ok "scripts/, workloads/, tools/ and bpf/ keep the one-way rules of doc/design.md" ||
	not_ok "one-way rules broken: $(echo "$v" | head -5 | tr '\n' ' ')"

# The negative control: the VM runner made to call the benchmark.
mkdir -p "$scratch/top"
cp -r "$ZSP_TOP/scripts" "$ZSP_TOP/workloads" "$ZSP_TOP/tools" "$ZSP_TOP/bpf" "$scratch/top/"
echo '"$ZSP_TOP/scripts/bench/bench.sh"' >> "$scratch/top/scripts/vm/run-vm.sh"
v=$(violations "$scratch/top")
echo "$v" | grep -q "^scripts/vm/run-vm.sh:" && ok "a call from scripts/vm/ to scripts/bench/ is caught" ||
	not_ok "a call from scripts/vm/ to scripts/bench/ went unseen (${v:-no finding})"
tap_done
