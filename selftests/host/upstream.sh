#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The contributor workflow: make check passes (and fails on a patch that
# adds a compiler warning), patches/ is exactly what make series exports
# from the branch, and the b4 dry run produces a threaded N+1 message series
# with matching From/Signed-off-by, the maintainers and linux-mm as
# recipients, which git am turns back into the same tree.
. "$ZSP_TOP/selftests/host/lib.sh"

export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t
tree=$ZSP_BUILD/linux
if ! git -C "$tree" rev-parse -q --verify refs/heads/zspreempt >/dev/null; then
	not_ok "series branch present (make apply)"
	tap_done
fi
n=$(grep -c . "$ZSP_TOP/patches/series")

check "make check: checkpatch --strict, per-patch W=1 and sparse" 0 "make check: $n patches clean" \
	env MATRIX=0 "$ZSP_TOP/scripts/series/check-series.sh"

# A patch that adds a warning must be caught, and named.
wt=$scratch/wt
git -C "$tree" worktree add -q --detach "$wt" zspreempt
printf '\nstatic int zsp_check_unused;\n' >> "$wt/mm/zswap.c"
git -C "$wt" commit -q -a -s -m "mm/zswap: add an unused variable" -m "For the make check test."
mkdir -p "$scratch/p"
cp "$ZSP_TOP"/patches/*.patch "$ZSP_TOP/patches/series" "$scratch/p/"
git -C "$wt" format-patch -q --start-number $((n + 1)) -o "$scratch/p" HEAD~1
basename "$scratch/p/00$(printf '%02d' $((n + 1)))"-*.patch >> "$scratch/p/series"
git -C "$tree" worktree remove --force "$wt"
check "make check fails on a patch that adds a W=1 warning, naming it" 1 "patch $((n + 1)) .*new W=1/sparse diagnostics" \
	env MATRIX=0 ZSP_PATCHES="$scratch/p" "$ZSP_TOP/scripts/series/check-series.sh"

# patches/ is format-patch output of the branch: re-exporting changes
# nothing but the cover letter's date.
mkdir -p "$scratch/export"
if env -u GIT_AUTHOR_NAME -u GIT_AUTHOR_EMAIL -u GIT_COMMITTER_NAME -u GIT_COMMITTER_EMAIL \
	SERIES_BRANCH=zspreempt ZSP_PATCHES="$scratch/export" "$ZSP_TOP/scripts/series/export-series.sh" > /dev/null 2>&1 &&
	diff -r -I '^Date: ' "$ZSP_TOP/patches" "$scratch/export" > "$scratch/diff"; then
	ok "make series re-exports patches/ identically (apart from the cover letter date)"
else
	not_ok "make series output differs from patches/"
	head -20 "$scratch/diff" | sed 's/^/#   /'
fi

# The sender's identity signs the series; none, or a placeholder, is refused.
ident() {
	printf '[user]\n\tname = %s\n\temail = %s\n' "$1" "$2" > "$scratch/gitconfig.$3"
	echo "$scratch/gitconfig.$3"
}
check "make send refuses to run without a git identity" 1 "no git identity" \
	env GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 "$ZSP_TOP/scripts/series/send-series.sh"
check "make send refuses the placeholder identity" 1 "is a placeholder" \
	env GIT_CONFIG_GLOBAL="$(ident "zspreempt developers" zspreempt@example.org p)" GIT_CONFIG_NOSYSTEM=1 \
	"$ZSP_TOP/scripts/series/send-series.sh"
GIT_CONFIG_GLOBAL=$(ident "Test Sender" sender@zsp-test.kernel.dev s)
export GIT_CONFIG_GLOBAL GIT_CONFIG_NOSYSTEM=1
# The b4 dry run.
check "make send dry run writes the messages" 0 "dry run: $((n + 1)) messages" "$ZSP_TOP/scripts/series/send-series.sh"
out=$ZSP_BUILD/outgoing
PYTHONPATH=$ZSP_TOP/selftests python3 - "$out" "$n" "$tree" > "$scratch/send" 2>&1 <<'PY'
import email, glob, os, re, subprocess, sys
from tap import tap
out, n, tree = sys.argv[1], int(sys.argv[2]), sys.argv[3]
msgs = [email.message_from_binary_file(open(f, "rb")) for f in sorted(glob.glob(out + "/*.eml"))]
def subj(m):
    return re.sub(r"\s+", " ", m["Subject"])
tap(len(msgs) == n + 1, f"{len(msgs)} messages for {n} patches and a cover letter")
# Like git format-patch, b4 pads the number to the width of N (01/10).
w = len(str(n))
want = [f"[PATCH {k:0{w}d}/{n}]" for k in range(n + 1)]
bad = [subj(m) for k, m in enumerate(msgs) if not subj(m).startswith(want[k])]
tap(not bad, "subjects are [PATCH k/N] in order" + (f": {bad[:2]}" if bad else ""))
cover_id = msgs[0]["Message-Id"]
bad = [k for k, m in enumerate(msgs[1:], 1) if cover_id not in (m["In-Reply-To"] or "") or cover_id not in (m["References"] or "")]
tap(not bad, "every patch replies to the cover letter (In-Reply-To and References)" + (f": not {bad}" if bad else ""))
bad = []
for k, m in enumerate(msgs[1:], 1):
    frm = email.utils.parseaddr(m["From"])[1]
    body = m.get_payload(decode=True).decode()
    sob = [email.utils.parseaddr(x)[1] for x in re.findall(r"^Signed-off-by: (.*)$", body, re.M)]
    if frm not in sob:
        bad.append(k)
tap(not bad, "each patch's From has a matching Signed-off-by" + (f": not {bad}" if bad else ""))
bad = [k for k, m in enumerate(msgs[1:], 1)
       if email.utils.parseaddr(m["From"])[1] != "sender@zsp-test.kernel.dev"
       or "zspreempt@example.org" in m.get_payload(decode=True).decode()]
tap(not bad, "every patch is from and signed off by the sender, none by the placeholder" + (f": not {bad}" if bad else ""))
rcpt = " ".join((m["To"] or "") + " " + (m["Cc"] or "") for m in msgs[:1]).lower()
patches = sorted(glob.glob(os.environ["ZSP_TOP"] + "/patches/0[0-9][0-9][1-9]-*.patch") + glob.glob(os.environ["ZSP_TOP"] + "/patches/00[1-9]0-*.patch"))
gm = subprocess.run(["scripts/get_maintainer.pl", "--nogit", "--nogit-fallback", "--norolestats"] + patches,
                    cwd=tree, capture_output=True, text=True).stdout
names = [email.utils.parseaddr(l)[1].lower() for l in gm.splitlines() if "@" in l]
missing = [a for a in names if a not in rcpt]
tap("linux-mm@kvack.org" in rcpt and names and not missing,
    f"To/Cc name linux-mm and all {len(names)} get_maintainer.pl addresses" + (f"; missing {missing}" if missing else ""))
PY
tap_relay "$scratch/send" 6 "b4: "

# Round trip: the sent messages, git am'd on a fresh base, give the same tree.
mini_base "$scratch/fresh"
ls "$out"/*.eml | tail -n +2 > "$scratch/emls"
if xargs git -C "$scratch/fresh" am -q < "$scratch/emls" > "$scratch/am" 2>&1; then
	same=1
	while read -r _ f; do
		git -C "$tree" show "zspreempt:$f" | cmp -s - "$scratch/fresh/$f" || { same=0; echo "#   differs: $f"; }
	done < "$ZSP_TOP/base/checksums.sha256"
	[ $same -eq 1 ] && ok "b4 messages git am onto a fresh base and reproduce the series tree" ||
		not_ok "b4 round trip gives a different tree"
else
	not_ok "git am of the b4 messages"
	sed 's/^/#   /' "$scratch/am" | head
fi

# A v2 with a changelog.
check "REROLL=2 dry run" 0 "dry run" env REROLL=2 "$ZSP_TOP/scripts/series/send-series.sh"
grep -q '^Subject: \[PATCH v2 0*0/' "$out"/0000-*.eml && ok "REROLL=2 subjects carry v2" || not_ok "REROLL=2 subjects carry v2"
# V= is Kbuild's verbosity: make refuses it as a revision, with the right name.
check "make send V=2 is refused, naming REROLL" 2 "REROLL=" make -s -C "$ZSP_TOP" send V=2
tap_done
