// SPDX-License-Identifier: GPL-2.0
/*
 * zsplock: hold and wait times of the locks on the zswap/zsmalloc paths,
 * and how much of each hold ran with preemption disabled.
 *
 *   zspage read   object map/read begin .. unmap/read end (any user)
 *   zspage write  zs_page_migrate() as the hold, and the writer try-lock
 *                 back-offs of a preemptible zspage lock
 *   ctx mutex     waits: the first sleeping lock (mutex, or the series'
 *                 rt_mutex) a zswap load/store waits for
 *   tree lock     waits: zswap's tree spinlock, found from zswap_trees[type]
 *
 * With -Z the calls followed are zram's page reads and writes (6.1's
 * zram_rw_page(), by its op; zram_read_page()/zram_write_page() later):
 * "ctx mutex" is then the compression stream's lock, and zram's entry lock
 * is timed where it sleeps (out_of_line_wait_on_bit_lock() inside a zram
 * call: the series' entry lock; 6.1's bit spinlock spins unseen, inside
 * the preempt-off figure).
 *
 * Only zswap, zram, zsmalloc and crypto functions are hooked. Waits for the two
 * generic locks come from the lock:contention_begin/end tracepoints, which
 * fire on contended slow paths only; their holds are not traced, because
 * that would mean hooking mutex_lock()/_raw_spin_lock(), which every CPU
 * runs all the time (doc/zsplock-hang.md; README, The BPF tools).
 *
 * Per load it adds up the preempt-off time spent inside the load. Where the
 * kernel has the preempt_disable/preempt_enable tracepoints (6.1: only with
 * CONFIG_PREEMPT_TRACER) that is every section of the loading task, from
 * its outermost preempt_disable() to its preempt_enable() or to the context
 * switch that ends it: the same transitions the preemptoff tracer times.
 * Elsewhere it is sampled: zspage read holds with preemption off at their
 * end, plus the scomp (de)compression call, which 6.1 runs under a per-CPU
 * spinlock.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "zsplock.h"
#include "zsp_hist.bpf.h"
#include "zsp_filter.bpf.h"
#include "zsp_preempt.bpf.h"
#include "zsp_hook.bpf.h"

const volatile __u64 zswap_trees_addr;	/* 0: tree lock not tracked */
const volatile __u32 tree_lock_off;
/* preempt_count() the tracing itself adds: 0 in a trampoline, 1 in a kprobe. */
const volatile int preempt_bias;
/* -t 0: no stacks at all, not even captured. */
const volatile bool want_stacks = true;
const volatile bool zspage_waits;	/* -l zspage: read-side waits */
const volatile bool ctx_waits;		/* -l ctx-mutex */

struct zsp_hist wait[ZSPLOCK_NLOCKS];
struct zsp_hist hold[ZSPLOCK_NLOCKS];
struct zsplock_stats stats[ZSPLOCK_NLOCKS];
struct zsp_hist load_poff;	/* preempt-off ns per zswap load */
/*
 * Exact mode (the preempt tracepoints attached): the longest section seen
 * inside a load, where it began and ended (0: at a context switch), and
 * the sections the tracing itself opened (migrate_disable()/enable() of a
 * BPF trampoline), which are not counted.
 */
const volatile bool poff_exact;
/* Extents of the trampolines' enter/exit helpers and migrate_disable/enable. */
const volatile __u64 own_lo[ZSPLOCK_OWN_FNS], own_hi[ZSPLOCK_OWN_FNS];
struct zsplock_poff_longest poff_longest;
__u64 poff_own_sections;	/* any task's: the trampolines run everywhere */
__u64 poff_sections;	/* sections counted in loads, to read their mean length by */
/* Sections that spanned a context switch unseen, discarded (see poff_close). */
__u64 poff_unseen_switch;
/*
 * Loads in progress, any task: the cheap first test of the tracepoint
 * programs. Not in .bss: -i's reset clears .bss while loads run.
 */
__s64 loads_active SEC(".data.active");
__u64 zspage_read_nested;	/* read begins while one was open: not timed */
struct zsplock_drops drops;

struct tstate {
	__u32 zswap_depth;
	__u8 in_load;
	__u8 mx_waited;		/* this zswap call already waited for a mutex */
	__u8 wait_kind;		/* ZSPLOCK_* of the pending wait */
	__u8 wait_slept;	/* the pending mutex wait went to sleep */
	__u64 wait_nvcsw;	/* voluntary switches when an rt_mutex wait began */
	__u64 load_poff_ns;
	__u64 tree_lock;
	__u64 zr_start;		/* zspage read side entered */
	__u64 sc_entry;		/* scomp call */
	__u64 wait_lock, wait_entry;	/* contended lock being waited for */
	__u64 mig_entry;	/* zs_page_migrate */
	__u64 ent_entry;	/* -Z: waiting for zram's entry lock */
	__u64 dec_entry;	/* the decompressor's call in a load (zsplock.h) */
	__u8 dec_off;		/* ... entered with preemption off */
	__u64 poff_start;	/* open preempt-off section in a load (exact mode) */
	__u64 poff_start_ip;
	__u64 poff_nsw;		/* the task's context switches when it opened */
};

ZSP_TASK_MAP(tasks, struct tstate);

ZSP_STACK_MAP(stacks, 4096);
/* The stack at the end of the longest in-load section: one slot reused. */
ZSP_STACK_MAP(poff_stacks, 16);

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct zsplock_stack_key);
	__type(value, struct zsplock_stack_val);
} holders SEC(".maps");

static __always_inline bool preempt_off(void)
{
	return zsp_preempt_count() > preempt_bias;
}

/*
 * The task's state, made if missing, for tasks the -p/-c filter wants. A
 * task's state stays once made: every section below ends by zeroing what
 * it set, so an idle state holds zeros and the closing hooks ignore it.
 * Entry and exit hooks alike create: on 6.1 a look-up fails while another
 * task, preempted on this CPU, is inside a storage helper, and a NULL for a
 * wanted task is then a lost event, counted, not an absent state.
 */
static __always_inline struct tstate *get(void)
{
	struct tstate *t;

	if (!wanted())
		return NULL;
	t = zsp_task_state(&tasks, true);
	if (!t)
		__sync_fetch_and_add(&drops.tasks, 1);
	return t;
}

/* For the contention tracepoints, which fire for every task: never create. */
static __always_inline struct tstate *get_existing(void)
{
	return zsp_task_state(&tasks, false);
}

static __always_inline void record_hold(void *ctx, __u32 lock, __u64 ns, bool poff)
{
	struct zsplock_stack_key key = { .lock = lock };
	struct zsplock_stack_val *v, zero = {};

	bool new_max;

	if (lock >= ZSPLOCK_NLOCKS)
		return;
	new_max = ns > hold[lock].max;
	zsp_hist_add(&hold[lock], ns);
	__sync_fetch_and_add(&stats[lock].hold_ns, ns);
	if (poff)
		__sync_fetch_and_add(&stats[lock].preempt_off_ns, ns);
	/*
	 * A stack walk costs more than the rest of the program: take one only
	 * for a hold longer than any before, which is what the report shows.
	 */
	if (!want_stacks || !new_max)
		return;
	key.stackid = bpf_get_stackid(ctx, &stacks, 0);
	v = bpf_map_lookup_elem(&holders, &key);
	if (!v) {
		if (bpf_map_update_elem(&holders, &key, &zero, BPF_NOEXIST))
			__sync_fetch_and_add(&drops.stacks, 1);
		v = bpf_map_lookup_elem(&holders, &key);
		if (!v)
			return;
	}
	__sync_fetch_and_add(&v->hold_ns, ns);
	__sync_fetch_and_add(&v->count, 1);
	if (ns > v->max_ns)
		v->max_ns = ns;
}

/* ---- exact preempt-off time per load: the preempt tracepoints ---- */

/* NMI, hardirq and softirq-serving bits: an interrupt's own sections. */
#define ZSP_PC_IRQ_BITS		(0x00ff0000 | 0x00000100)

/* The current task's context switches, voluntary and not. */
static __always_inline __u64 zsp_nsw(struct task_struct *task)
{
	return BPF_CORE_READ(task, nvcsw) + BPF_CORE_READ(task, nivcsw);
}

static __always_inline void poff_open(struct tstate *t, struct task_struct *task, __u64 ip)
{
	t->poff_start = bpf_ktime_get_ns();
	t->poff_start_ip = ip;
	t->poff_nsw = zsp_nsw(task);
}

/*
 * Close the task's open section. A section whose task switched out more
 * often than @switches since it opened spanned a sleep or a preemption
 * whose end or start this tool did not see (a failed look-up, a
 * preempt_schedule_notrace()): its length is not preempt-off time, so it
 * is counted and dropped.
 */
static __always_inline void poff_close(void *ctx, struct tstate *t, __u64 end_ip,
				       struct task_struct *task, __u64 switches)
{
	__u64 ns = bpf_ktime_get_ns() - t->poff_start;

	if (zsp_nsw(task) - t->poff_nsw > switches) {
		__sync_fetch_and_add(&poff_unseen_switch, 1);
		t->poff_start = 0;
		return;
	}
	t->load_poff_ns += ns;
	__sync_fetch_and_add(&poff_sections, 1);
	if (ns > poff_longest.ns) {
		poff_longest.ns = ns;
		poff_longest.start_ip = t->poff_start_ip;
		poff_longest.end_ip = end_ip;
		/* One walk per new maximum, whatever -t says: it is rare. */
		poff_longest.stackid = bpf_get_stackid(ctx, &poff_stacks, BPF_F_REUSE_STACKID);
		poff_longest.pid = (__u32)bpf_get_current_pid_tgid();
		bpf_get_current_comm(poff_longest.comm, sizeof(poff_longest.comm));
	}
	t->poff_start = 0;
}

/*
 * A section of the current task that the preempt tracepoints report, or
 * NULL: outside a load, an interrupt's own, or opened by a trampoline's
 * migrate_disable()/migrate_enable() (the tracing's cost, not the load's).
 */
static __always_inline struct tstate *poff_task(__u64 ip)
{
	struct tstate *t;
	int pc;

	if (!loads_active)
		return NULL;
	pc = zsp_preempt_count();
	if (pc < 0 || (pc & ZSP_PC_IRQ_BITS))
		return NULL;
	for (int i = 0; i < ZSPLOCK_OWN_FNS; i++) {
		if (ip >= own_lo[i] && ip < own_hi[i]) {
			__sync_fetch_and_add(&poff_own_sections, 1);
			return NULL;
		}
	}
	t = get_existing();
	if (!t || !t->in_load || !t->zswap_depth)
		return NULL;
	return t;
}

/* Outermost preempt_disable(): preempt_count has just left 0. */
SEC("tp_btf/preempt_disable")
int BPF_PROG(preempt_disable_tp, unsigned long ip, unsigned long parent_ip)
{
	struct tstate *t = poff_task(ip);

	if (t) {
		if (t->poff_start)
			__sync_fetch_and_add(&drops.unfinished, 1);
		poff_open(t, bpf_get_current_task_btf(), ip);
	}
	return 0;
}

/* Outermost preempt_enable(): preempt_count is about to return to 0. */
SEC("tp_btf/preempt_enable")
int BPF_PROG(preempt_enable_tp, unsigned long ip, unsigned long parent_ip)
{
	struct tstate *t;
	int pc;

	if (!loads_active)
		return 0;
	/* An interrupt's own end: its task's section, if any, stays open. */
	pc = zsp_preempt_count();
	if (pc < 0 || (pc & ZSP_PC_IRQ_BITS))
		return 0;
	t = get_existing();
	if (t && t->poff_start)
		poff_close(ctx, t, ip, bpf_get_current_task_btf(), 0);
	return 0;
}

/*
 * A section spans __schedule(): it ends for the task switched out, and the
 * task switched in runs with preemption off until its preempt_enable().
 */
SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch_tp, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct tstate *t;

	if (!loads_active)
		return 0;
	t = bpf_task_storage_get(&tasks, prev, NULL, 0);
	/* __schedule() counted this switch already. */
	if (t && t->poff_start)
		poff_close(ctx, t, ZSPLOCK_AT_SWITCH, prev, 1);
	t = bpf_task_storage_get(&tasks, next, NULL, 0);
	if (t && t->in_load && t->zswap_depth)
		poff_open(t, next, ZSPLOCK_AT_SWITCH);
	return 0;
}

/* ---- zswap entry points: load, store ---- */

static __always_inline int zswap_enter(unsigned int type, bool load)
{
	struct tstate *t = get();
	struct zswap_tree *tree = NULL;

	if (!t)
		return 0;
	/*
	 * zswap loads and stores never nest: a depth, wait or read-side hold
	 * left from a call whose exit was lost is stale, counted, and the call
	 * starts afresh.
	 */
	if (t->zswap_depth || t->wait_lock || t->zr_start)
		__sync_fetch_and_add(&drops.unfinished, 1);
	/* A load whose exit was lost is no longer in progress. */
	if (t->zswap_depth && t->in_load)
		__sync_fetch_and_add(&loads_active, -1);
	t->zswap_depth = 1;
	t->in_load = load;
	if (load)
		__sync_fetch_and_add(&loads_active, 1);
	t->load_poff_ns = 0;
	t->poff_start = 0;
	t->tree_lock = 0;
	t->mx_waited = 0;
	t->sc_entry = 0;
	t->ent_entry = 0;
	t->dec_entry = 0;
	t->wait_lock = 0;
	/* A read-side section never spans zswap calls: clear a lost one. */
	t->zr_start = 0;
	if (zswap_trees_addr && type < 32 &&
	    !bpf_probe_read_kernel(&tree, sizeof(tree),
				   (void *)(zswap_trees_addr + type * sizeof(void *))) && tree)
		t->tree_lock = (__u64)tree + tree_lock_off;
	return 0;
}

static __always_inline int zswap_leave(void *ctx)
{
	/* Unfiltered: a load counted in loads_active must be counted out. */
	struct tstate *t = get_existing();

	if (!t) {
		if (wanted())
			__sync_fetch_and_add(&drops.tasks, 1);
		return 0;
	}
	if (!t->zswap_depth)
		return 0;
	if (--t->zswap_depth == 0) {
		if (t->in_load) {
			/* Nothing returns from a load with preemption off. */
			if (t->poff_start)
				poff_close(ctx, t, ZSPLOCK_AT_EXIT, bpf_get_current_task_btf(), 0);
			__sync_fetch_and_add(&loads_active, -1);
			zsp_hist_add(&load_poff, t->load_poff_ns);
		}
		/* No lock wait outlives the call: its end was lost. */
		if (t->wait_lock)
			__sync_fetch_and_add(&drops.unfinished, 1);
		t->in_load = 0;
		t->wait_lock = 0;
	}
	return 0;
}

/* ---- zspage read side ---- */

/*
 * A read-side hold runs from the entry of the object map/read-begin call to
 * the entry of its unmap/read-end: the zspage lock is taken at the start
 * of the first, under pool->lock, and dropped in the second. Waits for
 * either lock are contended spins the tracepoints see in between. The
 * preemption state is sampled at the end: on the base the mapping area
 * keeps preemption off from map to unmap, in the series it stays on.
 */
static __always_inline int zr_begin(void)
{
	struct tstate *t = get();

	if (!t)
		return 0;
	if (t->zr_start) {
		__sync_fetch_and_add(&zspage_read_nested, 1);
		return 0;
	}
	t->zr_start = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int zr_end(void *ctx)
{
	struct tstate *t = get();
	bool poff;
	__u64 ns;

	if (!t || !t->zr_start)
		return 0;
	ns = bpf_ktime_get_ns() - t->zr_start;
	poff = preempt_off();
	record_hold(ctx, ZSPLOCK_ZSPAGE_READ, ns, poff);
	if (poff && t->in_load && !poff_exact)
		t->load_poff_ns += ns;
	t->zr_start = 0;
	return 0;
}

/* ---- scomp: 6.1 (de)compresses under a per-CPU spinlock ---- */

static __always_inline int scomp_enter(void)
{
	struct tstate *t = get();

	if (t && t->zswap_depth && t->in_load)
		t->sc_entry = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int scomp_leave(void)
{
	struct tstate *t = get();

	if (!t || !t->sc_entry)
		return 0;
	t->load_poff_ns += bpf_ktime_get_ns() - t->sc_entry;
	t->sc_entry = 0;
	return 0;
}

/* ---- the decompressor: preemptible or not ---- */

struct zsplock_decomp decomp;

static __always_inline int decomp_enter(void)
{
	struct tstate *t = get();

	if (t && t->zswap_depth && t->in_load) {
		t->dec_off = preempt_off();
		t->dec_entry = bpf_ktime_get_ns();
	}
	return 0;
}

static __always_inline int decomp_leave(void)
{
	struct tstate *t = get();
	__u64 ns;

	if (!t || !t->dec_entry)
		return 0;
	ns = bpf_ktime_get_ns() - t->dec_entry;
	__sync_fetch_and_add(&decomp.calls, 1);
	__sync_fetch_and_add(&decomp.ns, ns);
	if (t->dec_off) {
		__sync_fetch_and_add(&decomp.calls_off, 1);
		__sync_fetch_and_add(&decomp.ns_off, ns);
	}
	t->dec_entry = 0;
	return 0;
}

/* ---- contended waits: ctx mutex, tree lock ---- */

/* The current task's voluntary context switches. */
static __always_inline __u64 zsp_nvcsw(void)
{
	struct task_struct *task = (void *)bpf_get_current_task();

	return BPF_CORE_READ(task, nvcsw);
}

static __always_inline int contention_begin(void *lock, unsigned int flags)
{
	struct tstate *t;
	__u8 kind;

	/* Cheapest test first: this fires for every contended lock. */
	if (!(flags & (ZSP_LCB_F_MUTEX | ZSP_LCB_F_SPIN | ZSP_LCB_F_RT)))
		return 0;
	t = get_existing();
	if (!t || !(t->zswap_depth || t->zr_start))
		return 0;
	/*
	 * A mutex's slow path begins spinning (LCB_F_MUTEX | LCB_F_SPIN) and,
	 * if the owner does not let go, begins again to sleep (LCB_F_MUTEX).
	 */
	if (t->wait_lock) {
		if (t->wait_lock == (__u64)lock && !(flags & ZSP_LCB_F_SPIN))
			t->wait_slept = 1;
		return 0;
	}
	if (t->zr_start && !zsp_lcb_sleeping_lock(flags)) {
		/* pool->lock or the zspage lock, inside a read-side section. */
		if (!zspage_waits)
			return 0;
		kind = ZSPLOCK_ZSPAGE_READ;
	} else if (!t->zswap_depth) {
		return 0;
	} else if (zsp_lcb_sleeping_lock(flags)) {
		if (t->mx_waited || !ctx_waits)
			return 0;
		kind = ZSPLOCK_CTX_MUTEX;
	} else if (t->tree_lock && (__u64)lock == t->tree_lock) {
		kind = ZSPLOCK_TREE;
	} else {
		return 0;
	}
	t->wait_kind = kind;
	t->wait_lock = (__u64)lock;
	/*
	 * An rt_mutex wait begins once, spinning or not; whether it slept
	 * shows as a voluntary context switch by its end.
	 */
	t->wait_nvcsw = 0;
	if (flags & ZSP_LCB_F_RT) {
		t->wait_slept = 0;
		t->wait_nvcsw = zsp_nvcsw() | (1ULL << 63);
	} else {
		t->wait_slept = !(flags & ZSP_LCB_F_SPIN);
	}
	t->wait_entry = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int contention_end(void *lock)
{
	struct tstate *t = get_existing();
	__u32 kind;

	if (!t || !t->wait_lock || t->wait_lock != (__u64)lock)
		return 0;
	kind = t->wait_kind;
	if (t->wait_nvcsw && (zsp_nvcsw() | (1ULL << 63)) != t->wait_nvcsw)
		t->wait_slept = 1;
	if (kind < ZSPLOCK_NLOCKS) {
		zsp_hist_add(&wait[kind], bpf_ktime_get_ns() - t->wait_entry);
		if (t->wait_slept)
			__sync_fetch_and_add(&stats[kind].slept, 1);
	}
	if (kind == ZSPLOCK_CTX_MUTEX)
		t->mx_waited = 1;
	t->wait_lock = 0;
	return 0;
}

ZSP_CONTENTION_TPS(contention_begin, contention_end)

/* ---- zspage write side ---- */

static __always_inline int migrate_enter(void)
{
	struct tstate *t = get();

	if (t)
		t->mig_entry = bpf_ktime_get_ns();
	return 0;
}

/*
 * zs_page_migrate() holds the zspage write lock nearly throughout; with a
 * preemptible zspage lock it returns -EINVAL when the try-lock found
 * readers (-EAGAIN in this series' earlier versions). The only other
 * -EINVAL, MIGRATE_SYNC_NO_COPY, comes from device-memory migration, which
 * never sees zsmalloc pages.
 */
static __always_inline int migrate_leave(void *ctx, __u64 ret)
{
	struct tstate *t = get();

	if ((int)ret == -22 || (int)ret == -11)
		__sync_fetch_and_add(&stats[ZSPLOCK_ZSPAGE_WRITE].trylock_fail, 1);
	if (!t || !t->mig_entry)
		return 0;
	if ((int)ret == 0)
		record_hold(ctx, ZSPLOCK_ZSPAGE_WRITE, bpf_ktime_get_ns() - t->mig_entry, true);
	t->mig_entry = 0;
	return 0;
}

/*
 * zram's sleeping entry lock: its slow path, inside a zram call. The same
 * function serves every bit lock (buffer heads', ...): only waits inside
 * a zram read or write count.
 */
static __always_inline int entry_wait_begin(void)
{
	struct tstate *t = get_existing();

	if (t && t->zswap_depth && !t->ent_entry)
		t->ent_entry = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int entry_wait_end(void)
{
	struct tstate *t = get_existing();

	if (!t || !t->ent_entry)
		return 0;
	zsp_hist_add(&wait[ZSPLOCK_ENTRY], bpf_ktime_get_ns() - t->ent_entry);
	t->ent_entry = 0;
	return 0;
}

/* A try-lock writer of a preemptible zspage lock: ret true when taken. */
static __always_inline int zw_trylock_ret(__u64 ret)
{
	if (!(ret & 0xff))
		__sync_fetch_and_add(&stats[ZSPLOCK_ZSPAGE_WRITE].trylock_fail, 1);
	return 0;
}

/* Each hook as trampoline and kprobe variant (zsp_hook.bpf.h). */
/*
 * zswap_frontswap_load/store(type, offset, ...) up to 6.6; zswap_load/store
 * (folio) from 6.7, whose first argument the verifier knows as a pointer
 * and will not let us do arithmetic on: a variant of their own, with no
 * swap type and so no tree lock.
 */
ZSP_ENTRY(load, zswap_enter((__u32)(__u64)a0, true))
ZSP_ENTRY(load_folio, zswap_enter(~0U, true))
ZSP_EXIT(load, zswap_leave(ctx))
ZSP_ENTRY(store, zswap_enter((__u32)(__u64)a0, false))
ZSP_ENTRY(store_folio, zswap_enter(~0U, false))
ZSP_EXIT(store, zswap_leave(ctx))
/* 6.1's zram_rw_page(bdev, sector, page, op): a read is a load. */
ZSP_ENTRY4(zram_rw, zswap_enter(~0U, ((__u32)a3 & ZSP_REQ_OP_MASK) == 0))
/*
 * 6.12's zram_submit_bio(bio), its read and write functions inlined: reads
 * are loads, writes stores, every other op (discard, flush) neither.
 */
ZSP_ENTRY(zram_bio, zsp_bio_op(a0) <= 1 ? zswap_enter(~0U, zsp_bio_op(a0) == 0) : 0)
ZSP_ENTRY(entry_wait, entry_wait_begin())
ZSP_EXIT(entry_wait, entry_wait_end())
ZSP_ENTRY(zr_begin, zr_begin())
ZSP_ENTRY(zr_end, zr_end(ctx))
ZSP_ENTRY(scomp, scomp_enter())
ZSP_EXIT(scomp, scomp_leave())
ZSP_ENTRY(decomp, decomp_enter())
ZSP_EXIT(decomp, decomp_leave())
ZSP_ENTRY(migrate, migrate_enter())
ZSP_EXIT(migrate, migrate_leave(ctx, ret))
ZSP_EXIT(wtrylock, zw_trylock_ret(ret))

char LICENSE[] SEC("license") = "GPL";
