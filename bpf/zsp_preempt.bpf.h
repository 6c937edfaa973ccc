/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The current CPU's preempt_count, on every x86 kernel: a per-CPU
 * __preempt_count up to 6.1 and again from 6.15, pcpu_hot.preempt_count
 * from 6.2 to 6.14. Both symbols are weak; the one a kernel lacks resolves
 * to NULL, and the CO-RE check keeps the pcpu_hot read out of kernels
 * whose BTF has no such struct.
 */
#ifndef __ZSP_PREEMPT_BPF_H
#define __ZSP_PREEMPT_BPF_H

#define ZSP_PREEMPT_NEED_RESCHED	0x80000000

extern int __preempt_count __ksym __weak;

struct pcpu_hot___zsp {
	int preempt_count;
} __attribute__((preserve_access_index));
extern struct pcpu_hot___zsp pcpu_hot __ksym __weak;

/* preempt_count without the need-resched bit, or -1 if it cannot be read. */
static __always_inline int zsp_preempt_count(void)
{
	if (&__preempt_count)
		return *(int *)bpf_this_cpu_ptr(&__preempt_count) & ~ZSP_PREEMPT_NEED_RESCHED;
	if (bpf_core_field_exists(struct pcpu_hot___zsp, preempt_count) && &pcpu_hot)
		return ((struct pcpu_hot___zsp *)bpf_this_cpu_ptr(&pcpu_hot))->preempt_count &
		       ~ZSP_PREEMPT_NEED_RESCHED;
	return -1;
}

#endif /* __ZSP_PREEMPT_BPF_H */
