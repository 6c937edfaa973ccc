#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Send the series with b4, from a worktree of the kernel tree so the working
# branch is never rewritten by b4. Default: a dry run that writes the
# messages to build/outgoing/. REFLECT=1 sends them to yourself only;
# SEND=1 really sends, after printing what it is about to do.
#
#   V=N        revision (default 1); doc/changes-vN.txt is appended to the
#              cover letter as its changelog when it exists
#   PREFIX=..  extra subject prefixes, e.g. PREFIX=RFC
set -euo pipefail
. "$(dirname "$0")/lib.sh"

v=${V:-1}
[[ $v =~ ^[1-9][0-9]*$ ]] || die "V=$v is not a revision number"
command -v b4 >/dev/null || die "b4 is missing: run 'make deps'"
[ -n "$ZSP_BASE_REV" ] || die "no base recorded: run 'make base'"
kgit rev-parse -q --verify "refs/heads/$ZSP_BRANCH" >/dev/null || die "no branch $ZSP_BRANCH: run 'make apply'"
if [ -n "${SEND:-}" ] || [ -n "${REFLECT:-}" ]; then
	kgit config sendemail.smtpserver >/dev/null ||
		die "no SMTP configured: set git's sendemail.smtpServer (and friends) first; without SEND=1 or REFLECT=1 this is a dry run"
fi

wt=$ZSP_BUILD/send
out=$ZSP_BUILD/outgoing
if [ -e "$wt" ]; then
	git -C "$wt" rev-parse --git-dir >/dev/null 2>&1 && kgit worktree remove --force "$wt" || rm -rf "$wt"
fi
kgit worktree prune
kgit worktree add -q -f -B "b4/$ZSP_BRANCH" "$wt" "$ZSP_BRANCH"
cp "$ZSP_TOP/b4-config" "$wt/.b4-config"

cover=$(mktemp)
trap 'rm -f "$cover"' EXIT
cat "$ZSP_TOP/doc/cover-letter.txt" > "$cover"
if [ -f "$ZSP_TOP/doc/changes-v$v.txt" ]; then
	printf '\nChanges in v%s:\n' "$v" >> "$cover"
	cat "$ZSP_TOP/doc/changes-v$v.txt" >> "$cover"
fi
# b4 hands the cover letter to $EDITOR; this one writes ours in.
editor=$(mktemp)
trap 'rm -f "$cover" "$editor"' EXIT
printf '#!/bin/sh\ncat %q > "$1"\n' "$cover" > "$editor"
chmod +x "$editor"

(
	cd "$wt"
	b4 prep -e "$ZSP_BASE_REV" >/dev/null 2>&1 || die "b4 prep could not enroll $ZSP_BRANCH on $ZSP_BASE_REV"
	EDITOR=$editor b4 prep --edit-cover >/dev/null 2>&1 || die "b4 prep --edit-cover failed"
	[ "$v" -eq 1 ] || b4 prep --force-revision "$v" >/dev/null 2>&1 || die "b4 prep --force-revision $v failed"
	[ -z "${PREFIX:-}" ] || b4 prep --set-prefixes $PREFIX >/dev/null 2>&1 || die "b4 prep --set-prefixes failed"
	b4 prep --auto-to-cc > "$ZSP_BUILD/send-recipients.log" 2>&1 || die "b4 prep --auto-to-cc failed (see $ZSP_BUILD/send-recipients.log)"
)

if [ -n "${SEND:-}" ]; then
	note "about to SEND v$v of $ZSP_BRANCH to:"
	grep -E '^\s+\+ (To|Cc):' "$ZSP_BUILD/send-recipients.log" >&2 || true
	note "sending in 10 s; Ctrl-C to stop"
	sleep 10
	(cd "$wt" && b4 send)
elif [ -n "${REFLECT:-}" ]; then
	note "sending v$v to yourself only (b4 send --reflect)"
	(cd "$wt" && b4 send --reflect)
else
	rm -rf "$out"
	# A dry run needs no SMTP; without one b4 would want a signing key
	# for its web endpoint, which a dry run never uses.
	(cd "$wt" && GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=sendemail.smtpserver GIT_CONFIG_VALUE_0=/bin/false \
		b4 send -o "$out" --no-sign > "$ZSP_BUILD/send.log" 2>&1) ||
		{ tail -5 "$ZSP_BUILD/send.log" >&2; die "b4 send -o failed (log: $ZSP_BUILD/send.log)"; }
	note "dry run: $(ls "$out" | wc -l) messages in $out (REFLECT=1 to send to yourself, SEND=1 to send)"
fi
