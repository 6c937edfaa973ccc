/* SPDX-License-Identifier: GPL-2.0 */
/* Recording into struct zsp_hist from BPF programs. */
#ifndef __ZSP_HIST_BPF_H
#define __ZSP_HIST_BPF_H

#include "zsp_hist.h"

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
