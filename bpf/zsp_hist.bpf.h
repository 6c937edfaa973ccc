/* SPDX-License-Identifier: GPL-2.0 */
/* Recording into struct zsp_hist from BPF programs. */
#ifndef __ZSP_HIST_BPF_H
#define __ZSP_HIST_BPF_H

#include "zsp_hist.h"

static __always_inline __u32 zsp_log2(__u64 v)
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

static __always_inline __u32 zsp_bucket(__u64 v)
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

static __always_inline void zsp_hist_add(struct zsp_hist *h, __u64 v)
{
	__u32 b = zsp_bucket(v);

	if (b >= ZSP_NBUCKETS)
		b = ZSP_NBUCKETS - 1;
	__sync_fetch_and_add(&h->buckets[b], 1);
	__sync_fetch_and_add(&h->count, 1);
	__sync_fetch_and_add(&h->sum, v);
	/* A racing update may lose a max by a hair; the buckets stay exact. */
	if (v > h->max) {
		h->max = v;
		h->max_pid = bpf_get_current_pid_tgid();
		bpf_get_current_comm(h->max_comm, sizeof(h->max_comm));
	}
}

#endif /* __ZSP_HIST_BPF_H */
