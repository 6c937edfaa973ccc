#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Attach and detach every tool, in every mode, again and again while the
# thrash runs on every vCPU: a tracing tool must never hang or break the
# kernel it observes. Each cycle must attach (banner seen), run, detach on
# SIGINT within a bound and exit 0; afterwards no BPF link or program of
# ours is left in the kernel. The console scanner fails the boot on any
# splat, and the runner's timeout fails a hang.
#
# It boots with --one-thread: multi-threaded TCG can leave a vCPU looping on
# an int3 that the kernel's text patching has already removed, and every
# attach and detach patches text (doc/zsplock-hang.md).
# ZSP_LIFECYCLE_CYCLES (default 4) cycles per tool, shared out over its
# modes (zswplat's six and zsplock's five get one each, zspsleep's one all
# four); `make test-lifecycle` runs 50. A cycle costs 10-20 s on one-thread
# TCG, so make test shows each mode attach and detach under thrash and
# leaves the repetition to test-lifecycle.
# ZSP_LIFECYCLE_MODES narrows the list (names below). The -Z modes run in
# a second phase with zram as the only swap (zswap off), so that their
# zram hooks fire while they attach and detach.
# vm: -m 512M -s 2 -t 1500 --one-thread
. "$ZSP_TOP/selftests/guest/lib.sh"
cycles=${ZSP_LIFECYCLE_CYCLES:-4}

# name|tool and arguments. zsplock-all is the full mode with the ctx mutex and
# tree lock; the names are what ZSP_LIFECYCLE_MODES selects.
all_modes=(
	"zswplat|zswplat"
	"zswplat-cpu|zswplat -C -i 1"
	"zswplat-access|zswplat -A"
	"zsplock|zsplock"
	"zsplock-zspage|zsplock -l zspage"
	"zsplock-all|zsplock -l zspage,ctx-mutex,tree-lock"
	"zspsleep|zspsleep"
	"zswplat-kprobes|zswplat -K"
	"zsplock-kprobes|zsplock -K"
	"zswplat-zram|zswplat -Z"
	"zswplat-zram-write|zswplat -Z -W"
	"zsplock-zram|zsplock -Z"
)
modes=()
for m in "${all_modes[@]}"; do
	if [ -z "${ZSP_LIFECYCLE_MODES:-}" ] || [[ " $ZSP_LIFECYCLE_MODES " == *" ${m%%|*} "* ]]; then
		modes+=("$m")
	fi
done

# swapins zswpin|zram0-reads: the phase's swap-in count so far.
swapins() {
	if [ "$1" = zswpin ]; then
		vmstat_field zswpin
	else
		awk '{print $1}' /sys/block/zram0/stat
	fi
}

# run_modes PHASE: every selected mode of PHASE (zswap: the modes without
# -Z; zram: those with it) through its cycles, under a thrash on every vCPU
# that runs for as long as the cycles take and must verify every page.
run_modes() {
	local phase=$1 m name cmd nmodes mine fails slowest i t0 rc ms thrash trc din
	local -a mine_modes=()
	for m in "${modes[@]}"; do
		case "${m#*|} " in
		*" -Z "*) [ "$phase" = zram ] && mine_modes+=("$m") ;;
		*) [ "$phase" = zswap ] && mine_modes+=("$m") ;;
		esac
	done
	[ ${#mine_modes[@]} -gt 0 ] || return 0
	# The phase's hooks must fire while the tools come and go: zswap loads
	# (zswpin) in the first phase, zram0's completed reads in the second.
	local counter=zswpin in0
	[ "$phase" = zswap ] || counter=zram0-reads
	in0=$(swapins $counter)
	"$ZSP_BIN/zswap-stress" -m 96 -c 32 -P "$(nproc)" -p 1000000 -w 10 -k tsmc -T 100000 \
		> /tmp/thrash.out 2>&1 &
	thrash=$!
	for m in "${mine_modes[@]}"; do
		name=${m%%|*}
		read -r -a cmd <<< "${m#*|}"
		# This tool's share: its modes together get at least $cycles cycles.
		nmodes=$(printf '%s\n' "${modes[@]}" | grep -c "|${cmd[0]}\( \|$\)")
		mine=$(((cycles + nmodes - 1) / nmodes))
		fails=0 slowest=0
		for i in $(seq "$mine"); do
			t0=$(date +%s%N)
			if ! ZSP_TOOL_ATTACH_S=60 tool_start "${cmd[0]}" /tmp/lc.out "${cmd[@]:1}"; then
				echo "# $name cycle $i: no banner: $(head -3 /tmp/lc.out.err)"
				fails=$((fails + 1))
				continue
			fi
			sleep 1
			# Detaching must finish in a bounded time, or the kernel is stuck.
			tool_stop "${cmd[0]}" 60
			rc=$?
			if [ $rc -ne 0 ]; then
				echo "# $name cycle $i: exit $rc (124: detach did not finish): $(tail -2 /tmp/lc.out.err)"
				fails=$((fails + 1))
			fi
			ms=$((($(date +%s%N) - t0) / 1000000))
			[ $ms -le $slowest ] || slowest=$ms
		done
		[ $fails -eq 0 ] && ok "$name: $mine attach/detach cycles under thrash on $phase (slowest $slowest ms)" ||
			not_ok "$name: $fails of $mine cycles failed"
	done
	din=$(($(swapins $counter) - in0))
	[ $din -gt 0 ] && ok "the $phase phase swapped in while the tools came and went ($counter +$din)" ||
		not_ok "no swap-in through $phase during its cycles ($counter +$din): the hooks never fired"
	kill -INT $thrash 2>/dev/null
	wait $thrash
	# zswap-stress exits 0 when interrupted after verifying what it read.
	trc=$?
	[ $trc -eq 0 ] || [ $trc -eq 130 ] && ok "thrash on $phase verified every page it read (exit $trc)" ||
		not_ok "thrash on $phase exit $trc: $(tail -2 /tmp/thrash.out)"
}

before_progs=$(bpftool prog show 2>/dev/null | grep -c '^[0-9]')
before_links=$(bpftool link show 2>/dev/null | grep -c '^[0-9]')

zswap_use zsmalloc lzo
run_modes zswap

# zram as the only swap, zswap off (Android's setup).
zram_swap() {
	local sys=/sys/block/zram0
	[ -b /dev/zram0 ] || return 1
	echo N > /sys/module/zswap/parameters/enabled 2>/dev/null
	swapoff -a && echo 1 > $sys/reset && echo lzo > $sys/comp_algorithm &&
		echo 256M > $sys/disksize && mkswap /dev/zram0 > /dev/null && swapon /dev/zram0
}
if printf '%s\n' "${modes[@]}" | grep -q -- ' -Z'; then
	if zram_swap; then
		run_modes zram
	else
		not_ok "zram swap with lzo for the -Z modes (CONFIG_ZRAM=y)"
	fi
fi

after_progs=$(bpftool prog show 2>/dev/null | grep -c '^[0-9]')
after_links=$(bpftool link show 2>/dev/null | grep -c '^[0-9]')
[ "$after_progs" -eq "$before_progs" ] && [ "$after_links" -eq "$before_links" ] &&
	ok "no BPF program or link left behind ($after_progs programs, $after_links links, as before)" ||
	not_ok "BPF objects left behind: programs $before_progs -> $after_progs, links $before_links -> $after_links"
tap_done
