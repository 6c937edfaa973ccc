#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-vm.sh [options] -- COMMAND...: boot a kernel in QEMU, run COMMAND (a
# bash command line) inside it, and exit with the command's status. The run
# fails if the guest console shows a kernel BUG/WARNING/lockdep/atomic-sleep/
# KASAN/oops report, if the guest never reports a status, or on timeout.
#
# The guest's root is the host's / over 9p, read-only, so host-built tools run
# unchanged in the guest; /tmp is tmpfs and OUT (the run directory, at the same
# path on both sides) is writable. The checkout may live anywhere, /tmp
# included: guest-init.sh keeps it visible. An initramfs would have to carry bash,
# bpftool, libbpf, mkswap, cyclictest and their libraries; sharing the root
# carries them all.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

usage() {
	cat <<USAGE
usage: run-vm.sh [options] -- COMMAND...
  -k, --kernel BZIMAGE   kernel to boot (default: build/kernel-debug/arch/x86/boot/bzImage)
  -m, --mem SIZE         guest memory (default: 512M)
  -s, --smp N            vCPUs (default: 4)
  -t, --timeout SECONDS  hard limit for the whole run (default: 900)
  -o, --out DIR          run directory: console.log, guest.out, status (default: a new one under build/vm/)
  -a, --append ARGS      extra kernel command line
  -i, --initrd FILE      initramfs for a kernel whose virtio/9p drivers are modules
                         (fetch-rt-kernel.sh builds one for Debian's packaged kernel)
      --swap SIZE        swap disk size (default: 2G)
      --allow REGEX      console reports the command provokes on purpose (negative controls)
      --icount           deterministic time: single-threaded TCG with -icount, so guest
                         clocks follow executed instructions, not the host; with -s N>1
                         the guest boots on one CPU and onlines the others (QEMU 7.2
                         stalls bringing up a second CPU at boot under icount)
      --one-thread       TCG runs the vCPUs in turn on one host thread (see below)
      --hang-stacks VMLINUX  QEMU's gdbstub on a socket in the run directory; if the
                         guest is still running 30 s before the timeout, gdb takes
                         every vCPU's registers and stack (symbols from VMLINUX) into
                         hang-stacks.txt (boots with nokaslr)
  -q, --quiet            do not stream the command's output
ACCEL=kvm|tcg|icount overrides the KVM probe; ZSP_TIMEOUT_SCALE=N multiplies the timeout.
USAGE
}

kernel=$ZSP_BUILD/kernel-debug/arch/x86/boot/bzImage
mem=512M smp=4 timeout=900 out='' append='' initrd='' swap=2G allow='' quiet='' icount='' stacks='' onethread=''
while [ $# -gt 0 ]; do
	case $1 in
	-k | --kernel) kernel=$2; shift 2 ;;
	-m | --mem) mem=$2; shift 2 ;;
	-s | --smp) smp=$2; shift 2 ;;
	-t | --timeout) timeout=$2; shift 2 ;;
	-o | --out) out=$2; shift 2 ;;
	-a | --append) append=$2; shift 2 ;;
	-i | --initrd) initrd=$2; shift 2 ;;
	--swap) swap=$2; shift 2 ;;
	--allow) allow=$2; shift 2 ;;
	-q | --quiet) quiet=1; shift ;;
	--icount) icount=1; shift ;;
	--one-thread) onethread=1; shift ;;
	--hang-stacks) stacks=$2; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	--) shift; break ;;
	*) usage >&2; die "unknown option '$1'" ;;
	esac
done
[ $# -gt 0 ] || { usage >&2; die "no guest command given"; }
# A slower kernel (KASAN) stretches every limit alike.
case ${ZSP_TIMEOUT_SCALE:-1} in
'' | *[!0-9]* | 0) die "ZSP_TIMEOUT_SCALE must be a positive integer, not '$ZSP_TIMEOUT_SCALE'" ;;
esac
timeout=$((timeout * ${ZSP_TIMEOUT_SCALE:-1}))
[ -r "$kernel" ] || die "kernel image '$kernel' not found: run 'make kernel'"
initrdopt=()
if [ -n "$initrd" ]; then
	[ -r "$initrd" ] || die "--initrd: no initramfs at '$initrd'"
	initrdopt=(-initrd "$initrd")
fi
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing: run 'make deps'"

if [ -z "$out" ]; then
	mkdir -p "$ZSP_BUILD/vm"
	out=$(mktemp -d "$ZSP_BUILD/vm/run.XXXXXX")
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
# Paths go to the guest on the kernel command line, which splits at blanks.
zsp_path_ok "$out" || die "run directory '$out' $ZSP_PATH_WHY"
rm -f "$out/status" "$out/console.log" "$out/guest.out"
printf '%s\n' "$*" > "$out/cmd"
: > "$out/guest.out"
truncate -s 0 "$out/swap.img"
truncate -s "$swap" "$out/swap.img"

# KVM hangs at boot on some hosts (doc/design.md, The QEMU runner); trust it only after a short
# probe boot has reached userspace, and remember the verdict per host kernel.
accel=${ACCEL:-}
[ -z "$icount" ] || accel=icount
if [ -z "$accel" ]; then
	accel=tcg
	mkdir -p "$ZSP_BUILD/vm"
	probe=$ZSP_BUILD/vm/kvm-probe.$(uname -r)
	if [ -w /dev/kvm ]; then
		if [ ! -f "$probe" ]; then
			pout=$(mktemp -d "$ZSP_BUILD/vm/probe.XXXXXX")
			printf 'true\n' > "$pout/cmd"
			if ACCEL=kvm timeout -k 2 20 "$0" -k "$kernel" -o "$pout" -t 20 -q -- true >/dev/null 2>&1; then
				echo kvm > "$probe"
			else
				echo tcg > "$probe"
			fi
			rm -rf "$pout"
		fi
		accel=$(cat "$probe")
	fi
fi
case $accel in
kvm) cpu=(-accel kvm -cpu host) ;;
# Multi-threaded TCG (QEMU 7.2) can miss another vCPU's rewrite of code it
# has translated: after text_poke_bp() puts an int3 on a function and
# replaces it, a vCPU that translated the int3 meanwhile keeps trapping on
# it, and the kernel's int3 handler, finding no int3 in memory, re-runs the
# instruction forever (doc/zsplock-hang.md). A test that attaches or
# detaches tracing programs while other vCPUs run the traced code asks for
# --one-thread: the vCPUs then take turns and see every write in order.
tcg) cpu=(-accel "tcg,thread=$([ -n "$onethread" ] && echo single || echo multi)" -cpu max) ;;
# shift=0: one instruction is one virtual nanosecond; sleep=off: an idle
# guest's clock jumps to its next timer instead of waiting in real time.
icount)
	# shellcheck disable=SC2054 # commas separate QEMU suboptions, not array elements
	cpu=(-accel tcg,thread=single -cpu max -icount shift=0,sleep=off)
	[ "$smp" -le 1 ] || append+=" maxcpus=1 zsp.online=all"
	;;
*) die "ACCEL must be kvm, tcg or icount, not '$accel'" ;;
esac
[ "$accel" = tcg ] || onethread=
echo "$accel${onethread:+ one-thread}" > "$out/accel"

cmdline="console=ttyS0 root=/dev/root rootfstype=9p ro init=$ZSP_TOP/scripts/vm/guest-init.sh"
cmdline+=" rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=loose"
# The guest hides /tmp, /run and /var/tmp under tmpfs; it puts these back.
keep=$ZSP_TOP
case $ZSP_BUILD/ in "$ZSP_TOP"/*) ;; *) keep+=",$ZSP_BUILD" ;; esac
cmdline+=" panic=-1 zsp.out=$out zsp.keep=$keep loglevel=6 $append"
gdbopt=()
if [ -n "$stacks" ]; then
	[ -r "$stacks" ] || die "--hang-stacks: no vmlinux at '$stacks'"
	command -v gdb >/dev/null || die "--hang-stacks needs gdb: apt-get install gdb"
	[ "$timeout" -gt 60 ] || die "--hang-stacks needs a timeout above 60 s"
	# Symbols must match the running text: no address randomisation.
	cmdline+=" nokaslr"
	gdbopt=(-gdb "unix:$out/gdb.sock,server,nowait")
fi

# Name the kernel by its build directory, or by its file when copied out.
case $kernel in
*/arch/x86/boot/bzImage) kname=$(basename "${kernel%/arch/x86/boot/bzImage}") ;;
*) kname=$(basename "$kernel") ;;
esac
[ -n "$quiet" ] || note "booting $kname ($accel, $smp vCPUs, $mem), run dir $out"
start=$(date +%s)
# multidevs=remap: the host's / spans several file systems, and without
# remapping their inode numbers collide in the guest badly enough that
# mounting /proc over the shared /proc directory fails.
boot() {
	timeout -k 5 "$timeout" qemu-system-x86_64 "${cpu[@]}" -machine q35 -smp "$smp" -m "$mem" \
		-kernel "$kernel" "${initrdopt[@]}" -append "$cmdline" \
		-nographic -monitor none -serial "file:$out/console.log" -no-reboot \
		-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap \
		-device virtio-9p-pci,fsdev=root,mount_tag=/dev/root \
		-fsdev "local,id=out,path=$out,security_model=none" \
		-device virtio-9p-pci,fsdev=out,mount_tag=zspout \
		-drive "file=$out/swap.img,if=virtio,format=raw,cache=unsafe" "${gdbopt[@]}" \
		> "$out/qemu.log" 2>&1 < /dev/null &
	qpid=$!
	[ -z "$stacks" ] || watch_hang $qpid &
	if [ -z "$quiet" ]; then
		tail -n +1 -f --pid=$qpid "$out/guest.out" &
	fi
	wait $qpid
	qrc=$?
	wait 2>/dev/null
}
# watch_hang QEMUPID: the --hang-stacks watchdog. gdb stops the guest,
# so what it prints is every vCPU at one instant, then lets it go on.
watch_hang() {
	local _

	for _ in $(seq $((timeout - 30))); do
		sleep 1
		kill -0 "$1" 2>/dev/null || return 0
		[ ! -s "$out/status" ] || return 0
	done
	{
		echo "# guest still running after $((timeout - 30)) s: every vCPU, $(date -u +%FT%TZ)"
		timeout 60 gdb -q -batch -nx "$stacks" \
			-ex "target remote $out/gdb.sock" \
			-ex "info threads" \
			-ex "thread apply all bt 40" \
			-ex "thread apply all info registers rip rsp cr3" \
			-ex "detach" 2>&1
	} > "$out/hang-stacks.txt"
}
set +e
boot
# QEMU 7.2's TCG has been seen to segfault on these machines before the
# guest ran anything; that is the emulator, not the kernel under test: one
# more boot, said out loud. A crash after the command started is not retried.
if [ $qrc -gt 128 ] && [ $qrc -ne 137 ] && [ ! -s "$out/guest.out" ] && [ ! -s "$out/status" ]; then
	note "qemu died with signal $((qrc - 128)) before the guest command started; booting once more"
	mv "$out/console.log" "$out/console.qemu-crash.log"
	boot
fi
set -e
rm -f "$out/swap.img"
secs=$(($(date +%s) - start))
echo "$secs" > "$out/seconds"

if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
	tail -5 "$out/console.log" | sed 's/^/  | /' >&2
	die "guest timed out after ${timeout}s (console: $out/console.log)"
fi
scan_rc=0
"$ZSP_TOP/scripts/vm/scan-console.sh" "$out/console.log" "$allow" || scan_rc=$?
if [ ! -s "$out/status" ]; then
	tail -15 "$out/console.log" | sed 's/^/  | /' >&2
	die "guest never reported the command's status (qemu exit $qrc; console: $out/console.log)"
fi
rc=$(cat "$out/status")
[ -n "$quiet" ] || note "guest command exited $rc after ${secs}s"
[ $scan_rc -eq 0 ] || die "kernel problem on the guest console (see above): failing the run"
exit "$rc"
