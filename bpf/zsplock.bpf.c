// SPDX-License-Identifier: GPL-2.0
/*
 * zsplock: hold and wait times of the locks on the zswap/zsmalloc paths,
 * and how much of each hold ran with preemption disabled.
 *
 *   zspage read   object map/read begin .. unmap/read end (any user)
 *   zspage write  write_lock/unlock of a zspage inside migration/compaction,
 *                 and the writer try-lock of a preemptible zspage lock
 *   ctx mutex     the first mutex a zswap load/store takes .. its unlock
 *   tree lock     zswap's tree spinlock, found from zswap_trees[type]
 *
 * Per load it also adds up the preempt-off time spent inside the load:
 * zspage read holds with preemption off plus tree lock holds.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "zsplock.h"
#include "zsp_hist.bpf.h"
#include "zsp_filter.bpf.h"

#define PREEMPT_NEED_RESCHED	0x80000000

const volatile __u64 zswap_trees_addr;	/* 0: tree lock not tracked */
const volatile __u32 tree_lock_off;
/* preempt_count() the tracing itself adds: 0 in a trampoline, 1 in a kprobe. */
const volatile int preempt_bias;
/* No rwlock zspage writers to trace: time migration itself as the write hold. */
const volatile bool migrate_is_hold;

struct zsp_hist wait[ZSPLOCK_NLOCKS];
struct zsp_hist hold[ZSPLOCK_NLOCKS];
struct zsplock_stats stats[ZSPLOCK_NLOCKS];
struct zsp_hist load_poff;	/* preempt-off ns per zswap load */
__u64 zspage_read_nested;	/* read begins while one was open: not timed */

extern int __preempt_count __ksym __weak;

struct tstate {
	__u32 zswap_depth;
	__u32 writer_depth;
	__u8 in_load;
	__u8 zr_poff;
	__u64 load_poff_ns;
	__u64 tree_lock;
	/* zspage read */
	__u64 zr_entry, zr_acq;
	/* ctx mutex */
	__u64 mx_addr, mx_entry, mx_acq, mx_poff_ns;
	/* tree lock */
	__u64 tr_entry, tr_acq;
	/* zspage write: compaction holds two at once */
	__u64 zw_pending, zw_entry, mig_entry;
	__u64 zw_addr[2], zw_acq[2];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct tstate);
} tasks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 4096);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 127 * sizeof(__u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct zsplock_stack_key);
	__type(value, struct zsplock_stack_val);
} holders SEC(".maps");

static __always_inline bool preempt_off(void)
{
	int *pc;

	if (!&__preempt_count)
		return false;
	pc = bpf_this_cpu_ptr(&__preempt_count);
	return (*pc & ~PREEMPT_NEED_RESCHED) > preempt_bias;
}

static __always_inline struct tstate *get(bool create)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct tstate *t = bpf_map_lookup_elem(&tasks, &tid), zero = {};

	if (t || !create || !wanted())
		return t;
	bpf_map_update_elem(&tasks, &tid, &zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(&tasks, &tid);
}

static __always_inline void put_if_idle(struct tstate *t)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (!t->zswap_depth && !t->writer_depth && !t->zr_acq && !t->zr_entry)
		bpf_map_delete_elem(&tasks, &tid);
}

static __always_inline void record_hold(void *ctx, __u32 lock, __u64 ns, bool poff)
{
	struct zsplock_stack_key key = { .lock = lock };
	struct zsplock_stack_val *v, zero = {};

	if (lock >= ZSPLOCK_NLOCKS)
		return;
	zsp_hist_add(&hold[lock], ns);
	__sync_fetch_and_add(&stats[lock].hold_ns, ns);
	if (poff)
		__sync_fetch_and_add(&stats[lock].preempt_off_ns, ns);
	key.stackid = bpf_get_stackid(ctx, &stacks, 0);
	v = bpf_map_lookup_elem(&holders, &key);
	if (!v) {
		bpf_map_update_elem(&holders, &key, &zero, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&holders, &key);
		if (!v)
			return;
	}
	__sync_fetch_and_add(&v->hold_ns, ns);
	__sync_fetch_and_add(&v->count, 1);
	if (ns > v->max_ns)
		v->max_ns = ns;
}

/* ---- zswap entry points: load, store ---- */

static __always_inline int zswap_enter(unsigned int type, bool load)
{
	struct tstate *t = get(true);
	struct zswap_tree *tree = NULL;

	if (!t)
		return 0;
	if (t->zswap_depth++ == 0) {
		t->in_load = load;
		t->load_poff_ns = 0;
		t->tree_lock = 0;
		if (zswap_trees_addr && type < 32 &&
		    !bpf_probe_read_kernel(&tree, sizeof(tree),
					   (void *)(zswap_trees_addr + type * sizeof(void *))) && tree)
			t->tree_lock = (__u64)tree + tree_lock_off;
	}
	return 0;
}

static __always_inline int zswap_leave(void)
{
	struct tstate *t = get(false);

	if (!t || !t->zswap_depth)
		return 0;
	if (--t->zswap_depth == 0) {
		if (t->in_load)
			zsp_hist_add(&load_poff, t->load_poff_ns);
		t->in_load = 0;
		t->mx_addr = t->mx_acq = t->mx_entry = 0;
		put_if_idle(t);
	}
	return 0;
}

/* ---- zspage read side ---- */

static __always_inline int zr_begin(void)
{
	struct tstate *t = get(true);

	if (!t)
		return 0;
	if (t->zr_entry || t->zr_acq) {
		__sync_fetch_and_add(&zspage_read_nested, 1);
		return 0;
	}
	t->zr_entry = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int zr_acquired(void)
{
	struct tstate *t = get(false);
	__u64 now = bpf_ktime_get_ns();

	if (!t || !t->zr_entry || t->zr_acq)
		return 0;
	zsp_hist_add(&wait[ZSPLOCK_ZSPAGE_READ], now - t->zr_entry);
	t->zr_acq = now;
	t->zr_poff = preempt_off();
	return 0;
}

static __always_inline int zr_end(void *ctx)
{
	struct tstate *t = get(false);
	__u64 ns;

	if (!t || !t->zr_acq)
		return 0;
	ns = bpf_ktime_get_ns() - t->zr_acq;
	record_hold(ctx, ZSPLOCK_ZSPAGE_READ, ns, t->zr_poff);
	if (t->zr_poff) {
		if (t->in_load)
			t->load_poff_ns += ns;
		if (t->mx_acq)
			t->mx_poff_ns += ns;
	}
	t->zr_acq = t->zr_entry = 0;
	put_if_idle(t);
	return 0;
}

/* ---- ctx mutex ---- */

static __always_inline int mx_lock(void *lock)
{
	struct tstate *t = get(false);

	if (!t || !t->zswap_depth || t->mx_addr)
		return 0;
	t->mx_addr = (__u64)lock;
	t->mx_entry = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int mx_locked(void)
{
	struct tstate *t = get(false);
	__u64 now = bpf_ktime_get_ns();

	if (!t || !t->mx_entry || t->mx_acq)
		return 0;
	zsp_hist_add(&wait[ZSPLOCK_CTX_MUTEX], now - t->mx_entry);
	t->mx_acq = now;
	t->mx_poff_ns = 0;
	return 0;
}

static __always_inline int mx_unlock(void *ctx, void *lock)
{
	struct tstate *t = get(false);
	__u64 ns;

	if (!t || !t->mx_acq || t->mx_addr != (__u64)lock)
		return 0;
	ns = bpf_ktime_get_ns() - t->mx_acq;
	record_hold(ctx, ZSPLOCK_CTX_MUTEX, ns, false);
	__sync_fetch_and_add(&stats[ZSPLOCK_CTX_MUTEX].preempt_off_ns,
			     t->mx_poff_ns < ns ? t->mx_poff_ns : ns);
	/* Only the first mutex of each zswap call is the context's. */
	t->mx_acq = t->mx_entry = 0;
	t->mx_addr = 1;
	return 0;
}

/* ---- tree spinlock ---- */

static __always_inline int tr_lock(void *lock)
{
	struct tstate *t = get(false);

	if (!t || !t->zswap_depth || !t->tree_lock || (__u64)lock != t->tree_lock)
		return 0;
	t->tr_entry = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int tr_locked(void)
{
	struct tstate *t = get(false);
	__u64 now = bpf_ktime_get_ns();

	if (!t || !t->tr_entry || t->tr_acq)
		return 0;
	zsp_hist_add(&wait[ZSPLOCK_TREE], now - t->tr_entry);
	t->tr_acq = now;
	return 0;
}

static __always_inline int tr_unlock(void *ctx, void *lock)
{
	struct tstate *t = get(false);
	__u64 ns;

	if (!t || !t->tr_acq || (__u64)lock != t->tree_lock)
		return 0;
	ns = bpf_ktime_get_ns() - t->tr_acq;
	record_hold(ctx, ZSPLOCK_TREE, ns, true);
	if (t->in_load)
		t->load_poff_ns += ns;
	t->tr_acq = t->tr_entry = 0;
	return 0;
}

/* ---- zspage write side ---- */

static __always_inline int writer_enter(void)
{
	struct tstate *t = get(true);

	if (t)
		t->writer_depth++;
	return 0;
}

static __always_inline int writer_leave(void)
{
	struct tstate *t = get(false);

	if (t && t->writer_depth) {
		t->writer_depth--;
		put_if_idle(t);
	}
	return 0;
}

static __always_inline int zw_lock(void *lock)
{
	struct tstate *t = get(false);

	if (!t || !t->writer_depth)
		return 0;
	t->zw_pending = (__u64)lock;
	t->zw_entry = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int zw_locked(void)
{
	struct tstate *t = get(false);
	__u64 now = bpf_ktime_get_ns();
	int i;

	if (!t || !t->zw_pending)
		return 0;
	zsp_hist_add(&wait[ZSPLOCK_ZSPAGE_WRITE], now - t->zw_entry);
	i = t->zw_addr[0] ? 1 : 0;
	t->zw_addr[i] = t->zw_pending;
	t->zw_acq[i] = now;
	t->zw_pending = 0;
	return 0;
}

static __always_inline int zw_unlock(void *ctx, void *lock)
{
	struct tstate *t = get(false);
	__u64 now = bpf_ktime_get_ns();
	int i;

	if (!t || !t->writer_depth)
		return 0;
	if (t->zw_addr[0] == (__u64)lock)
		i = 0;
	else if (t->zw_addr[1] == (__u64)lock)
		i = 1;
	else
		return 0;
	record_hold(ctx, ZSPLOCK_ZSPAGE_WRITE, now - t->zw_acq[i], true);
	t->zw_addr[i] = 0;
	return 0;
}

static __always_inline int migrate_enter(void)
{
	struct tstate *t = get(true);

	if (t) {
		t->writer_depth++;
		t->mig_entry = bpf_ktime_get_ns();
	}
	return 0;
}

/*
 * zs_page_migrate() returns -EAGAIN when a preemptible zspage lock's
 * try-lock found readers; on success it held the write lock throughout.
 */
static __always_inline int migrate_leave(void *ctx, __u64 ret)
{
	struct tstate *t = get(false);

	if ((int)ret == -11)
		__sync_fetch_and_add(&stats[ZSPLOCK_ZSPAGE_WRITE].trylock_fail, 1);
	if (t && migrate_is_hold && (int)ret == 0 && t->mig_entry)
		record_hold(ctx, ZSPLOCK_ZSPAGE_WRITE, bpf_ktime_get_ns() - t->mig_entry, true);
	if (t)
		t->mig_entry = 0;
	return writer_leave();
}

/* A try-lock writer of a preemptible zspage lock: ret true when taken. */
static __always_inline int zw_trylock_ret(__u64 ret)
{
	if (!(ret & 0xff))
		__sync_fetch_and_add(&stats[ZSPLOCK_ZSPAGE_WRITE].trylock_fail, 1);
	return 0;
}

/*
 * Each hook as trampoline and kprobe variant. Section names carry a
 * placeholder target; user space sets the real one or loads the kprobe.
 */
#define ENTRY_HOOK(name, body)						\
SEC("fentry/vfs_read") int BPF_PROG(fentry_##name, void *a0, __u64 a1)	\
{ return body; }							\
SEC("kprobe") int BPF_KPROBE(kprobe_##name, void *a0, __u64 a1)	\
{ return body; }

#define EXIT_HOOK(name, body)						\
SEC("fexit/vfs_read") int BPF_PROG(fexit_##name)			\
{ __u64 ret = 0; bpf_get_func_ret(ctx, &ret); return body; }		\
SEC("kretprobe") int BPF_KRETPROBE(kretprobe_##name)			\
{ __u64 ret = PT_REGS_RC(ctx); return body; }

ENTRY_HOOK(load, zswap_enter((__u32)(__u64)a0, true))
EXIT_HOOK(load, ((void)ret, zswap_leave()))
ENTRY_HOOK(store, zswap_enter((__u32)(__u64)a0, false))
EXIT_HOOK(store, ((void)ret, zswap_leave()))
ENTRY_HOOK(zr_begin, ((void)a0, (void)a1, zr_begin()))
EXIT_HOOK(zr_begin, ((void)ret, zr_acquired()))
ENTRY_HOOK(zr_end, ((void)a0, (void)a1, zr_end(ctx)))
ENTRY_HOOK(mutex, ((void)a1, mx_lock(a0)))
EXIT_HOOK(mutex, ((void)ret, mx_locked()))
ENTRY_HOOK(mutex_unlock, ((void)a1, mx_unlock(ctx, a0)))
ENTRY_HOOK(spin, ((void)a1, tr_lock(a0)))
EXIT_HOOK(spin, ((void)ret, tr_locked()))
ENTRY_HOOK(spin_unlock, ((void)a1, tr_unlock(ctx, a0)))
ENTRY_HOOK(writer, ((void)a0, (void)a1, migrate_enter()))
EXIT_HOOK(writer, migrate_leave(ctx, ret))
ENTRY_HOOK(writer2, ((void)a0, (void)a1, writer_enter()))
EXIT_HOOK(writer2, ((void)ret, writer_leave()))
ENTRY_HOOK(wlock, ((void)a1, zw_lock(a0)))
EXIT_HOOK(wlock, ((void)ret, zw_locked()))
ENTRY_HOOK(wlock_nested, ((void)a1, zw_lock(a0)))
EXIT_HOOK(wlock_nested, ((void)ret, zw_locked()))
ENTRY_HOOK(wunlock, ((void)a1, zw_unlock(ctx, a0)))
EXIT_HOOK(wtrylock, zw_trylock_ret(ret))

char LICENSE[] SEC("license") = "GPL";
