/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Latency histograms shared by the BPF programs and the tools.
 *
 * Log-linear buckets: values below 16 ns get one bucket each; above that,
 * every power of two is split into 16 equal sub-buckets. A bucket is then at
 * most 1/16 of its lower bound wide, so reporting its midpoint puts any
 * percentile within 3.2% of the true value (the tools promise 5%).
 */
#ifndef __ZSP_HIST_H
#define __ZSP_HIST_H

#define ZSP_SUB_BITS	4
#define ZSP_SUBS	(1 << ZSP_SUB_BITS)
#define ZSP_MAX_LOG2	40	/* 2^41 ns is 36 minutes: clamp above */
#define ZSP_NBUCKETS	(ZSP_SUBS + (ZSP_MAX_LOG2 - ZSP_SUB_BITS + 1) * ZSP_SUBS)

struct zsp_hist {
	__u64 buckets[ZSP_NBUCKETS];
	__u64 count;
	__u64 sum;
	__u64 max;
	__u32 max_pid;
	char max_comm[16];
};

#endif /* __ZSP_HIST_H */
