#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own zram selftests, as the base tree ships them
# (tools/testing/selftests/zram): zram01.sh makes ext4 on a new zram device,
# fills it with zeroes and checks the compression ratio; zram02.sh makes a
# zram device a swap area and switches it on and off. 6.1's scripts print
# "FAIL ..." lines and a "[FAIL]" verdict but exit 0 either way, so each is
# judged here on its output: its "[PASS]" verdict, no FAIL line, exit 0.
# vm: -m 512M -t 900
# base: expect
. "$ZSP_TOP/selftests/guest/lib.sh"

src=$ZSP_BUILD/linux/tools/testing/selftests/zram
if [ ! -f "$src/zram01.sh" ]; then
	not_ok "the base tree's zram selftests are at $src (make base)"
	tap_done
fi
for tool in mkfs.ext4 bc mkswap; do
	command -v $tool >/dev/null ||
		not_ok "$tool is installed (make deps installs e2fsprogs, bc, util-linux)"
done
# Without ext4, zram01.sh's mount fails and its fill loop then writes
# into the guest's /tmp until that is full: do not start it.
have_ext4=1
grep -qw ext4 /proc/filesystems || {
	have_ext4=0
	not_ok "the kernel has ext4 (kernel-config/guest.config: CONFIG_EXT4_FS)"
}

# The scripts make their mount points in the working directory: run a copy
# in the guest's own /tmp, not in the shared tree.
work=$(mktemp -d /tmp/zram-kselftest.XXXXXX)
cp "$src"/zram*.sh "$work/"
for t in zram01 zram02; do
	[ $t = zram02 ] || [ $have_ext4 = 1 ] || continue
	# No time limit of its own: a slow host only makes the run longer, and
	# the guest's timeout still catches a hang.
	(cd "$work" && bash "./$t.sh") > "$work/$t.out" 2>&1
	rc=$?
	sed 's/^/# /' "$work/$t.out"
	fails=$(grep -c '^FAIL' "$work/$t.out")
	if [ $rc -eq 0 ] && [ "$fails" -eq 0 ] && grep -q "^$t : \[PASS\]" "$work/$t.out"; then
		ok "kselftest zram/$t.sh passes ($(grep -m1 -E 'compression ratio|swapon' "$work/$t.out" || echo no summary))"
	else
		not_ok "kselftest zram/$t.sh: exit $rc, $fails FAIL line(s), verdict '$(grep -m1 "^$t : " "$work/$t.out")'"
	fi
done
rm -rf "$work"
tap_done
