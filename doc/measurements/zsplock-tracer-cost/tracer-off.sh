#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest command of the tracer-off measurements (README.md here): the
# zswap-stress workload of make bench-latency's phases, zsplock over 4 s of
# its swap-in passes, no tracer. Run as
#   scripts/vm/run-vm.sh --icount -s 1 -m 512M -k KERNEL -- "bash tracer-off.sh"
# from a copy under build/ (the guest's /tmp is its own).
S=/work/main/build/bin/zswap-stress
echo 0 > /proc/sys/vm/page-cluster
echo lzo > /sys/module/zswap/parameters/compressor
rm -f /tmp/armed
$S -m 48 -c 18 -P 1 -p 1000 -w 10 -k tsmc -T 64 -s 3 -K /tmp/armed -j > /tmp/w.json 2>/tmp/w.err &
while [ ! -s /tmp/armed ]; do sleep 0.1; done
/work/main/build/tools/zsplock -j -t 0 -d 4 > $ZSP_OUT/nt.json 2>$ZSP_OUT/nt.err
wait
