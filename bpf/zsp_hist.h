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

static inline __attribute__((always_inline)) __u32 zsp_log2(__u64 v)
{
	__u32 r = 0, shift;

	shift = (v > 0xffffffffULL) << 5; v >>= shift; r |= shift;
	shift = (v > 0xffff) << 4; v >>= shift; r |= shift;
	shift = (v > 0xff) << 3; v >>= shift; r |= shift;
	shift = (v > 0xf) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r;
}

static inline __attribute__((always_inline)) __u32 zsp_bucket(__u64 v)
{
	__u32 k;

	if (v < ZSP_SUBS)
		return v;
	k = zsp_log2(v);
	if (k > ZSP_MAX_LOG2)
		return ZSP_NBUCKETS - 1;
	return ZSP_SUBS + (k - ZSP_SUB_BITS) * ZSP_SUBS +
	       ((v >> (k - ZSP_SUB_BITS)) & (ZSP_SUBS - 1));
}

struct zsp_hist {
	__u64 buckets[ZSP_NBUCKETS];
	__u64 count;
	__u64 sum;
	__u64 max;
	__u32 max_pid;
	char max_comm[16];
};

#endif /* __ZSP_HIST_H */
