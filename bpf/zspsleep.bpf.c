// SPDX-License-Identifier: GPL-2.0
/*
 * zspsleep: sleeping and scheduling in atomic context, every occurrence.
 *
 * __might_resched() (CONFIG_DEBUG_ATOMIC_SLEEP) runs the kernel's own check
 * and prints at most one report a second; here the same check runs on every
 * call: preempt count plus RCU nesting must equal what the caller allowed,
 * interrupts must be on (known when lockdep tracks them), and the task must
 * not be in a non-blocking section. __schedule_bug() is reached whenever the
 * scheduler is entered while atomic, on any kernel.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "zspsleep.h"
#include "zsp_filter.bpf.h"
#include "zsp_preempt.bpf.h"
#include "zsp_hook.bpf.h"

#define MIGHT_RESCHED_RCU_SHIFT	8

/* rcu_read_lock() nesting the BPF trampoline adds around the program. */
const volatile int rcu_bias = 1;

extern int hardirqs_enabled __ksym __weak;

ZSP_STACK_MAP(stacks, 4096);

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct zspsleep_key);
	__type(value, struct zspsleep_val);
} events SEC(".maps");

__u64 total_events;
__u64 dropped;		/* events not recorded: map full */

/* Fields only some configs have: read through CO-RE when present. */
struct task_struct___zsp {
	int rcu_read_lock_nesting;
	int non_block_count;
} __attribute__((preserve_access_index));

static __always_inline int preempt_count(void)
{
	return zsp_preempt_count();
}

static __always_inline int irqs_disabled(void)
{
	int *on;

	if (!&hardirqs_enabled)
		return -1;
	on = bpf_this_cpu_ptr(&hardirqs_enabled);
	return !*on;
}

static __always_inline int rcu_depth(struct task_struct *task)
{
	struct task_struct___zsp *t = (void *)task;

	if (!bpf_core_field_exists(t->rcu_read_lock_nesting))
		return 0;
	return BPF_CORE_READ(t, rcu_read_lock_nesting);
}

static __always_inline int non_block_count(struct task_struct *task)
{
	struct task_struct___zsp *t = (void *)task;

	if (!bpf_core_field_exists(t->non_block_count))
		return 0;
	return BPF_CORE_READ(t, non_block_count);
}

static __always_inline void record(void *ctx, __u32 type, int pc, int rcu, int irqs,
				   const char *file, int line, __u32 expected)
{
	struct zspsleep_key key = { .type = type };
	struct zspsleep_val zero = {}, *v;
	__u64 id = bpf_get_current_pid_tgid();

	key.stackid = bpf_get_stackid(ctx, &stacks, 0);
	v = bpf_map_lookup_elem(&events, &key);
	if (!v) {
		bpf_map_update_elem(&events, &key, &zero, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&events, &key);
		if (!v) {
			__sync_fetch_and_add(&dropped, 1);
			return;
		}
	}
	__sync_fetch_and_add(&v->count, 1);
	__sync_fetch_and_add(&total_events, 1);
	v->pid = (__u32)id;
	v->tgid = id >> 32;
	v->cpu = bpf_get_smp_processor_id();
	v->preempt_count = pc;
	v->rcu_depth = rcu;
	v->irqs_disabled = irqs;
	v->line = line;
	v->expected = expected;
	bpf_get_current_comm(v->comm, sizeof(v->comm));
	if (file)
		bpf_probe_read_kernel_str(v->file, sizeof(v->file), file);
}

SEC("fentry/__might_resched")
int BPF_PROG(fentry_might_resched, const char *file, int line, unsigned int offsets)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task_btf();
	int pc = preempt_count(), irqs = irqs_disabled(), rcu;

	if (pc < 0 || !wanted() || t->pid == 0)
		return 0;
	rcu = rcu_depth(t) - rcu_bias;
	if (rcu < 0)
		rcu = 0;
	if ((unsigned int)pc + ((unsigned int)rcu << MIGHT_RESCHED_RCU_SHIFT) == offsets &&
	    irqs != 1 && !non_block_count(t))
		return 0;
	record(ctx, ZSPSLEEP_MIGHT_SLEEP, pc, rcu, irqs, file, line, offsets);
	return 0;
}

/* __schedule() runs with one preempt_disable() of its own, a kprobe one more. */
static __always_inline int sched_bug(void *ctx, int bias)
{
	int pc = preempt_count();

	if (!wanted())
		return 0;
	record(ctx, ZSPSLEEP_SCHED_ATOMIC, pc < 0 ? -1 : pc - bias, -1, irqs_disabled(), 0, 0, 0);
	return 0;
}

ZSP_ENTRY(schedule_bug, sched_bug(ctx, 1 + zsp_kprobe))

char LICENSE[] SEC("license") = "GPL";
