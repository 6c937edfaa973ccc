/* SPDX-License-Identifier: GPL-2.0 */
/* zsplock: types shared by zsplock.bpf.c and zsplock.c. */
#ifndef __ZSPLOCK_H
#define __ZSPLOCK_H

#include "zsp_hist.h"

enum zsplock_lock {
	ZSPLOCK_ZSPAGE_READ,	/* zspage lock, read side: object map/read */
	ZSPLOCK_ZSPAGE_WRITE,	/* zspage lock, write side: migration, compaction */
	ZSPLOCK_CTX_MUTEX,	/* zswap compression context mutex (-Z: zram stream) */
	ZSPLOCK_TREE,		/* zswap tree spinlock */
	ZSPLOCK_ENTRY,		/* -Z: zram's entry lock, where it sleeps */
	ZSPLOCK_NLOCKS,
};

struct zsplock_stats {
	__u64 hold_ns;		/* total time held */
	__u64 preempt_off_ns;	/* of which with preemption disabled */
	__u64 trylock_fail;	/* writer try-locks that found readers and backed off */
	/*
	 * Mutex waits that went to sleep: what lockdep's lock statistics count
	 * as contentions. The other waits ended while spinning on the owner,
	 * or, on a lockdep kernel, where every mutex_lock() takes the slow
	 * path, were not contended at all.
	 */
	__u64 slept;
};

/*
 * What zsplock.bpf.c could not record, per cause. A task-storage look-up
 * that fails in a contention tracepoint cannot be told from a task that has
 * no state, so such a loss is counted where it shows: as a section found
 * still open when the task's next zswap call begins or its call ends.
 */
struct zsplock_drops {
	__u64 tasks;		/* no room for a task's state, or its look-up failed */
	__u64 stacks;		/* no room for a holding stack */
	__u64 unfinished;	/* a zswap call, wait or read-side hold whose end was not seen */
};

/*
 * The synchronous decompressor's calls inside loads (crypto_comp_decompress:
 * zram up to 6.11, and zswap with the series; zcomp_decompress: zram from
 * 6.12), and those entered with preemption off: whether decompression
 * itself runs preemptible.
 */
struct zsplock_decomp {
	__u64 calls, calls_off;
	__u64 ns, ns_off;
};

/* Functions whose preempt-off sections are the tracing's own. */
#define ZSPLOCK_OWN_FNS	32

/* Where a section began or ended when no call site did. */
#define ZSPLOCK_AT_SWITCH	0	/* a context switch in or out */
#define ZSPLOCK_AT_EXIT		1	/* the load returned */

/* The longest preempt-off section inside a zswap load (exact mode). */
struct zsplock_poff_longest {
	__u64 ns;
	/* Callers of preempt_count_add()/sub(), or ZSPLOCK_AT_*. */
	__u64 start_ip;
	__u64 end_ip;
	__u32 pid;
	__s32 stackid;		/* the stack at its end, in poff_stacks */
	char comm[16];
};

struct zsplock_stack_key {
	__u32 lock;
	__s32 stackid;
};

struct zsplock_stack_val {
	__u64 hold_ns;
	__u64 count;
	__u64 max_ns;
};

#endif /* __ZSPLOCK_H */
