#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The one-way rules 1 to 4 of doc/design.md ("Layout and the one-way
# rules"), read from the code: for each folder (or file), the project
# paths and commands its code may not name, comments left out (# in shell
# and Python; //, /* and * lines in C). Rule 5 is host/upstream's (patches/
# is what make series exports), rule 6 host/docs'. Then, for every rule,
# a copy of the tree given one line that breaks it, which must be caught:
# a rule that cannot fail is no rule.
. "$ZSP_TOP/selftests/host/lib.sh"

# Where a script may name another folder of scripts/: by its path from the
# top, or relative to itself.
s() { echo "(scripts/|\\.\\./)($1)/"; }

# PATH|what its code must not name|a line that breaks the rule
rules=(
	"scripts/setup|$(s 'series|kernel|vm|bench|demo|zspbench')|selftests/|workloads/|zsp_py|\"\$ZSP_TOP/scripts/vm/run-vm.sh\""
	"scripts/vm|$(s 'setup|series|kernel|bench|demo|zspbench')|selftests/|workloads/|zsp_py|\"\$ZSP_TOP/scripts/bench/bench.sh\""
	"scripts/series|$(s 'setup|vm|bench|demo|zspbench')|selftests/|workloads/|zsp_py|\"\$ZSP_TOP/selftests/run\""
	"scripts/kernel|$(s 'series|vm|bench|demo|zspbench')|selftests/(guest|host|module|run|tap)|zsp_py|zsp_py docs"
	"scripts/kernel/build-bench-kernels.sh|selftests/|cat \"\$ZSP_TOP\"/selftests/kernel/x.patch"
	"scripts/kernel/build-ref-kernel.sh|selftests/|cat \"\$ZSP_TOP\"/selftests/kernel/x.patch"
	"scripts/kernel/kconfig.sh|selftests/|cat \"\$ZSP_TOP\"/selftests/kernel/x.patch"
	"scripts/bench|$(s 'setup|series|kernel|demo|zspbench')|selftests/|\"\$ZSP_TOP/scripts/kernel/build-kernel.sh\" perf"
	"scripts/demo|$(s 'setup|series|kernel|zspbench')|selftests/|\"\$ZSP_TOP/selftests/run\" -l host"
	"scripts/zspbench|\\.sh\\b|scripts/|selftests/|subprocess.run([\"bash\", \"scripts/bench/bench.sh\"])"
	"workloads|scripts/|selftests/|tools/|bpf/|#include \"../tools/zsp_common.h\""
	"tools|scripts/|selftests/|workloads/|#include \"../workloads/x.h\""
	"bpf|scripts/|selftests/|workloads/|tools/|#include \"../tools/zsp_common.h\""
)

# code FILE: its lines that are not comments, as N:TEXT.
code() {
	case $1 in
	*.c | *.h) grep -n '' "$1" | grep -vE '^[0-9]+:[[:space:]]*(//|/\*|\*)' ;;
	*) grep -n '' "$1" | grep -vE '^[0-9]+:[[:space:]]*#([^!]|$)' ;;
	esac
}

# violations TOP: one line per file:line whose code names what its place
# may not; a place that does not exist or holds no file is one too, so no
# rule passes for want of code to read.
violations() {
	local top=$1 r path re f n
	local -a files

	for r in "${rules[@]}"; do
		path=${r%%|*}
		re=${r#*|}
		re=${re%|*}
		mapfile -d '' files < <(find "$top/$path" -type f ! -name '*.pyc' -print0 2>/dev/null)
		if [ ${#files[@]} -eq 0 ]; then
			echo "$path: no such file or folder, or empty"
			continue
		fi
		for f in "${files[@]}"; do
			n=${f#"$top"/}
			# scripts/zspbench: only what it runs counts, not what it prints.
			if [ "$path" = scripts/zspbench ]; then
				code "$f" | grep -E 'subprocess|os\.system|os\.exec' | grep -E "$re" | sed "s|^|$n:|"
			else
				code "$f" | grep -E "$re" | sed "s|^|$n:|"
			fi
		done
	done
	# lib.sh sources nothing.
	if [ ! -f "$top/scripts/lib.sh" ]; then
		echo "scripts/lib.sh: missing"
	else
		code "$top/scripts/lib.sh" | grep -E '^[0-9]+:[[:space:]]*(\.|source)[[:space:]]' | sed 's|^|scripts/lib.sh:|'
	fi
}

v=$(violations "$ZSP_TOP")
[ -z "$v" ] && ok "scripts/, workloads/, tools/ and bpf/ keep the one-way rules of doc/design.md (${#rules[@]} rules)" ||
	not_ok "one-way rules broken: $(echo "$v" | head -5 | tr '\n' ' ')"

# The negative controls: for each rule, a copy of the tree with its
# breaking line added to one file of that place, which must be named.
mkdir -p "$scratch/top"
cp -r "$ZSP_TOP/scripts" "$ZSP_TOP/workloads" "$ZSP_TOP/tools" "$ZSP_TOP/bpf" "$scratch/top/"
missed=()
for r in "${rules[@]}"; do
	path=${r%%|*}
	line=${r##*|}
	rm -rf "$scratch/copy" && cp -r "$scratch/top" "$scratch/copy"
	# An #include goes into C, anything else into a script.
	case $line in
	'#include'*) f=$(find "$scratch/copy/$path" -type f -name '*.[ch]' | sort | head -1) ;;
	*) f=$(find "$scratch/copy/$path" -type f ! -name '*.[ch]' | sort | head -1) ;;
	esac
	echo "$line" >> "$f"
	grep -q "^${f#"$scratch/copy"/}:" <<< "$(violations "$scratch/copy")" || missed+=("$path: $line")
done
echo '. "$ZSP_TOP/scripts/setup/deps.sh"' >> "$scratch/top/scripts/lib.sh"
grep -q "^scripts/lib.sh:" <<< "$(violations "$scratch/top")" || missed+=("scripts/lib.sh sourcing")
[ ${#missed[@]} -eq 0 ] && ok "each of the $((${#rules[@]} + 1)) rules catches a line that breaks it in a copy of the tree" ||
	not_ok "rules that missed the line breaking them: ${missed[*]}"
rm -rf "$scratch/top"
mkdir -p "$scratch/top"
v=$(violations "$scratch/top")
[ "$(grep -c "no such file or folder" <<< "$v")" -eq ${#rules[@]} ] &&
	ok "an empty tree is refused, not passed: every place must hold code" ||
	not_ok "an empty tree gave: $(head -3 <<< "$v" | tr '\n' ' ')"
tap_done
