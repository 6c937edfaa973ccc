/* SPDX-License-Identifier: GPL-2.0 */
/* zspsleep: types shared by zspsleep.bpf.c and zspsleep.c. */
#ifndef __ZSPSLEEP_H
#define __ZSPSLEEP_H

#define ZSPSLEEP_MIGHT_SLEEP	1	/* might-sleep check failed (__might_resched) */
#define ZSPSLEEP_SCHED_ATOMIC	2	/* scheduled while atomic (__schedule_bug) */

struct zspsleep_key {
	__u32 type;
	__s32 stackid;
};

struct zspsleep_val {
	__u64 count;
	__u32 pid;		/* last task seen */
	__u32 tgid;
	__u32 cpu;
	__s32 preempt_count;	/* of the traced context; -1 if unknown */
	__s32 rcu_depth;	/* -1 if unknown */
	__s32 irqs_disabled;	/* 1/0, or -1 if this kernel cannot tell (no lockdep) */
	__s32 line;
	__u32 expected;		/* offsets the caller allowed (might-sleep) */
	char comm[16];
	char file[64];
};

#endif /* __ZSPSLEEP_H */
