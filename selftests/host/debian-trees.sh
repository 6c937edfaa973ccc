#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The series applies with git am to every 6.1 tree Debian serves, not only
# the pinned one: linux-source-6.1 of bookworm-security (today 6.1.192-3),
# of bookworm (6.1.176-1), and the newest version apt knows if that is
# another. Each package is downloaded once into build/debian-sources/ and
# only the files the series touches are unpacked. A version Debian no
# longer serves is reported as skipped, saying so.
. "$ZSP_TOP/selftests/host/lib.sh"

export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t
cache=$ZSP_BUILD/debian-sources
mkdir -p "$cache"
served=$(apt-cache madison linux-source-6.1 2>/dev/null | awk -F'|' '{gsub(/ /, "", $2); print $2}')
newest=$(head -1 <<< "$served")
versions=${ZSP_DEBIAN_VERSIONS:-"6.1.192-3 6.1.176-1 $newest"}
mapfile -t files < <(awk '{print $2}' "$ZSP_TOP/base/checksums.sha256")
mapfile -t list < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$ZSP_TOP/patches/series")

seen=" "
for v in $versions; do
	case $seen in *" $v "*) continue ;; esac
	seen+="$v "
	if ! grep -qx -- "$v" <<< "$served"; then
		skip "series applies to Debian's linux-source-6.1 $v" "apt does not serve $v any more (apt-get update?)"
		continue
	fi
	deb=$cache/linux-source-6.1_${v}_all.deb
	if [ ! -s "$deb" ]; then
		(cd "$cache" && apt-get download -q "linux-source-6.1=$v" > "$cache/download.log" 2>&1) ||
			{ not_ok "download linux-source-6.1 $v: $(tail -1 "$cache/download.log")"; continue; }
	fi
	tree=$scratch/$v
	mkdir -p "$tree"
	# The package holds the source tarball; take the series' files from it.
	if ! dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/linux-source-6.1.tar.xz |
		tar -xJ -C "$tree" --strip-components=1 "${files[@]/#/linux-source-6.1/}" 2> "$scratch/tar.err"; then
		not_ok "unpack linux-source-6.1 $v: $(head -1 "$scratch/tar.err")"
		continue
	fi
	git -C "$tree" init -q && git -C "$tree" add -A && git -C "$tree" commit -q -m "linux-source-6.1 $v"
	failed=
	for p in "${list[@]}"; do
		if ! git -C "$tree" am -q "$ZSP_TOP/patches/$p" > "$scratch/am.log" 2>&1; then
			failed=$p
			break
		fi
	done
	if [ -z "$failed" ]; then
		ok "series applies to Debian's linux-source-6.1 $v (${#list[@]} patches, git am)"
	else
		not_ok "series does not apply to linux-source-6.1 $v: $failed"
		sed 's/^/#   /' "$scratch/am.log" | head -8
	fi
done
tap_done
