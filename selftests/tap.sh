# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The one TAP library (kselftest style), sourced by host and guest tests
# through their lib.sh. Results carry a description, never a number a
# caller has to know: the runner finds them by test and description.

tap_n=0
tap_fail=0
echo "TAP version 13"

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n $*"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_fail=$((tap_fail + 1))
	echo "not ok $tap_n $*"
}

skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n $1 # SKIP $2"
}

tap_done() {
	echo "1..$tap_n"
	exit $((tap_fail > 0))
}

# tap_relay FILE [WANT] [PREFIX]: the "ok ..."/"not ok ..." lines a helper
# wrote to FILE (numbered or not) become results of this test, with PREFIX
# before each description; other lines pass through as comments. Fewer than
# WANT results (a helper that died half-way) is one more failure.
tap_relay() {
	local file=$1 want=${2:-0} prefix=${3:-} line desc seen=0

	while IFS= read -r line; do
		case $line in
		"ok "* | "not ok "*)
			seen=$((seen + 1))
			desc=$(sed -E 's/^(not )?ok ([0-9]+ )?(- )?//' <<< "$line")
			if [[ $line == "not ok"* ]]; then
				not_ok "$prefix$desc"
			else
				ok "$prefix$desc"
			fi
			;;
		"#"*) echo "$line" ;;
		*) echo "# $line" ;;
		esac
	done < "$file"
	[ "$seen" -ge "$want" ] ||
		not_ok "${prefix}only $seen of $want checks ran (last line: $(tail -1 "$file"))"
}

# pycheck WANT [ARGS...] <<'PY': run the Python check script on stdin with
# ARGS; it imports tap from selftests/tap.py and calls tap(cond, desc) per
# check. Its results join this test's; fewer than WANT is a failure.
pycheck() {
	local want=$1 out

	shift
	out=$(mktemp "${TMPDIR:-/tmp}/zsp-pycheck.XXXXXX")
	PYTHONPATH="$ZSP_TOP/selftests${PYTHONPATH:+:$PYTHONPATH}" python3 - "$@" > "$out" 2>&1
	tap_relay "$out" "$want"
	rm -f "$out"
}
