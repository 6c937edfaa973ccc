#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every shell file of the project lints clean under Debian's shellcheck at
# warning level. A false positive is silenced where it stands, with a
# "# shellcheck disable=SCnnnn # reason" directive. Shell files are the
# *.sh files plus any file whose first line is a bash or sh shebang
# (selftests/run, .ci/run). The same run over a file with a known fault
# must report it, so a shellcheck that checks nothing cannot pass.
. "$ZSP_TOP/selftests/host/lib.sh"

if ! command -v shellcheck > /dev/null; then
	not_ok "shellcheck installed (make deps installs Debian's shellcheck)"
	tap_done
fi

# The project's files: git's list in a clone, else everything but build/.
if git -C "$ZSP_TOP" rev-parse --is-inside-work-tree > /dev/null 2>&1; then
	mapfile -t all < <(git -C "$ZSP_TOP" ls-files)
else
	mapfile -t all < <(cd "$ZSP_TOP" && find . -path ./build -prune -o -type f -print | sed 's|^\./||')
fi
files=()
for f in "${all[@]}"; do
	[ -f "$ZSP_TOP/$f" ] || continue
	case $f in
	*.sh) files+=("$f") ;;
	*) head -n1 "$ZSP_TOP/$f" 2> /dev/null | grep -qE '^#!.*\b(ba)?sh\b' && files+=("$f") ;;
	esac
done
echo "# $(shellcheck --version | sed -n 's/^version: /shellcheck /p') over ${#files[@]} shell files"

if [ ${#files[@]} -lt 40 ]; then
	not_ok "found the project's shell files (${#files[@]}, want 40+)"
else
	(cd "$ZSP_TOP" && shellcheck -x -S warning -f gcc "${files[@]}") > "$scratch/sc" 2>&1
	n=$(grep -c ': \(warning\|error\):' "$scratch/sc")
	if [ "$n" -eq 0 ] && [ ! -s "$scratch/sc" ]; then
		ok "shellcheck -S warning: no finding in ${#files[@]} shell files"
	else
		not_ok "shellcheck -S warning: $n finding(s)"
		sed 's/^/#   /' "$scratch/sc" | head -40
	fi
fi

# The negative control: an unchecked cd and an unquoted array expansion.
printf '#!/bin/bash\ncd /nonexistent\nlist=(a b)\nfor x in ${list[@]}; do echo "$x"; done\n' > "$scratch/bad.sh"
check "shellcheck reports a known fault (SC2164, SC2068) in a scratch file" 1 "SC2164.*|SC2068" \
	shellcheck -S warning -f gcc "$scratch/bad.sh"
tap_done
