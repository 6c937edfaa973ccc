#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Send the series with b4, from a worktree of the kernel tree so the working
# branch is never rewritten by b4. Default: a dry run that writes the
# messages to build/outgoing/. REFLECT=1 sends them to yourself only;
# SEND=1 really sends, after printing what it is about to do. The
# messages are signed off by the sender's git identity (user.name and
# user.email), never by the placeholder the commits carry; a missing or
# placeholder identity is refused.
#
#   REROLL=N   revision (default 1); doc/changes-vN.txt is appended to the
#              cover letter as its changelog when it exists
#   PREFIX=..  extra subject prefixes, e.g. PREFIX=RFC
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

v=${REROLL:-1}
[[ $v =~ ^[1-9][0-9]*$ ]] || die "REROLL=$v is not a revision number"
command -v b4 >/dev/null || die "b4 is missing: run 'make deps'"
[ -n "$ZSP_BASE_REV" ] || die "no base recorded: run 'make base'"
kgit rev-parse -q --verify "refs/heads/$ZSP_BRANCH" >/dev/null || die "no branch $ZSP_BRANCH: run 'make apply'"
# The series is posted under the sender's name: the commits in patches/
# carry the project's placeholder identity, and this run rewrites author
# and Signed-off-by to the sender's git identity in its own worktree.
placeholder="zspreempt developers <zspreempt@example.org>"
name=$(git config user.name || true)
email=$(git config user.email || true)
[ -n "$name" ] && [ -n "$email" ] ||
	die "no git identity to sign the series with: git config --global user.name 'Your Name'; git config --global user.email you@your.domain"
case "$name <$email>" in
"$placeholder" | *@example.org\> | *@example.com\> | *@example.net\> | *.example\> | *.invalid\> | *.test\> | *@localhost\> | *.localhost\>)
	die "git identity '$name <$email>' is a placeholder: the series must be signed off by whoever sends it; set user.name and user.email to your own"
	;;
esac
sender="$name <$email>"
# The kernel tree's own config carries the placeholder (it made the
# commits); git and b4 in the send worktree must see the sender instead.
# Environment config outranks every config file.
export GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0=$name \
	GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1=$email

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
# Sign off as the sender: every commit of the worktree's branch gets the
# sender as author and in place of the placeholder Signed-off-by.
msgfix=$(mktemp)
# shellcheck disable=SC2016 # expanded by perl, from the environment
printf '#!/bin/sh\nexec perl -pi -e %s "$1"\n' \
	"'s/^Signed-off-by: \\Q\$ENV{ZSP_OLD_SOB}\\E\$/Signed-off-by: \$ENV{ZSP_NEW_SOB}/'" > "$msgfix"
chmod +x "$msgfix"
(
	cd "$wt"
	export GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email
	export ZSP_OLD_SOB=$placeholder ZSP_NEW_SOB=$sender
	GIT_EDITOR=$msgfix git rebase -q --exec "git commit -q --amend --reset-author" "$ZSP_BASE_REV" >/dev/null 2>&1
) || { rm -f "$msgfix"; die "could not sign the series off as $sender in $wt"; }
rm -f "$msgfix"
grep -q . < <(git -C "$wt" log --format=%B "$ZSP_BASE_REV..HEAD" | grep -F "Signed-off-by: $placeholder") &&
	die "the placeholder Signed-off-by survived in $wt"

cover=$(mktemp)
trap 'rm -f "$cover"' EXIT
# Without the generated-figure markers (scripts/zspbench/docs.py).
grep -vE '^<!-- /?gen:[a-z0-9-]+ -->$' "$ZSP_TOP/doc/cover-letter.txt" > "$cover"
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
	(cd "$wt" && GIT_CONFIG_COUNT=3 GIT_CONFIG_KEY_2=sendemail.smtpserver GIT_CONFIG_VALUE_2=/bin/false \
		b4 send -o "$out" --no-sign > "$ZSP_BUILD/send.log" 2>&1) ||
		{ tail -5 "$ZSP_BUILD/send.log" >&2; die "b4 send -o failed (log: $ZSP_BUILD/send.log)"; }
	note "dry run: $(ls "$out" | wc -l) messages in $out (REFLECT=1 to send to yourself, SEND=1 to send)"
fi
