/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every tool's BPF side shares: one body for the trampoline and the
 * kprobe variant of a hook, the lock:contention tracepoint programs, and
 * the per-task and stack map shapes.
 *
 * A hook is written once, as an expression over its first two arguments
 * a0 and a1 (entry) or its return value ret (exit), and becomes two
 * programs: fentry_NAME + kprobe_NAME, or fexit_NAME + kretprobe_NAME.
 * User space (zsp_hook_prepare()) loads the pair member this kernel can
 * attach and sets the real target; the "vfs_read" in the section name is
 * only a placeholder libbpf needs to accept the object. zsp_kprobe is 1 in
 * the kprobe variant, for the one thing that differs: a kprobe handler runs
 * with one more preempt_disable().
 */
#ifndef __ZSP_HOOK_BPF_H
#define __ZSP_HOOK_BPF_H

#define ZSP_ENTRY(name, body)							\
SEC("fentry/vfs_read") int BPF_PROG(fentry_##name, void *a0, __u64 a1)		\
{ const int zsp_kprobe __attribute__((unused)) = 0; return (body); }		\
SEC("kprobe") int BPF_KPROBE(kprobe_##name, void *a0, __u64 a1)		\
{ const int zsp_kprobe __attribute__((unused)) = 1; return (body); }

/*
 * An entry hook that also needs the third and fourth arguments (a2, a3):
 * 6.1's zram_rw_page(bdev, sector, page, op), whose op says read or write.
 * Only for functions that have four: a trampoline may not read past the
 * target's last argument.
 */
#define ZSP_ENTRY4(name, body)							\
SEC("fentry/vfs_read")								\
int BPF_PROG(fentry_##name, void *a0, __u64 a1, __u64 a2, __u64 a3)		\
{ const int zsp_kprobe __attribute__((unused)) = 0; return (body); }		\
SEC("kprobe")									\
int BPF_KPROBE(kprobe_##name, void *a0, __u64 a1, __u64 a2, __u64 a3)		\
{ const int zsp_kprobe __attribute__((unused)) = 1; return (body); }

/* 6.1's enum req_op, as zram_rw_page() receives it (REQ_OP_READ 0, REQ_OP_WRITE 1). */
#define ZSP_REQ_OP_MASK		0xff

/* A bio's op (the same enum, in the low bits of bi_opf): zram_submit_bio(bio). */
static __always_inline __u32 zsp_bio_op(const struct bio *bio)
{
	return BPF_CORE_READ(bio, bi_opf) & ZSP_REQ_OP_MASK;
}

#define ZSP_EXIT(name, body)							\
SEC("fexit/vfs_read") int BPF_PROG(fexit_##name)				\
{ const int zsp_kprobe __attribute__((unused)) = 0; __u64 ret = 0;		\
  bpf_get_func_ret(ctx, &ret); return (body); }				\
SEC("kretprobe") int BPF_KRETPROBE(kretprobe_##name)				\
{ const int zsp_kprobe __attribute__((unused)) = 1;				\
  __u64 ret __attribute__((unused)) = PT_REGS_RC(ctx); return (body); }

/* include/trace/events/lock.h */
#define ZSP_LCB_F_SPIN		(1U << 0)
#define ZSP_LCB_F_RT		(1U << 3)
#define ZSP_LCB_F_MUTEX		(1U << 5)
/*
 * A sleeping lock's wait: a mutex's (LCB_F_MUTEX), or an rt_mutex's
 * (LCB_F_RT without LCB_F_SPIN: the series' compression-context lock, and
 * every mutex of a PREEMPT_RT kernel; with LCB_F_SPIN it is PREEMPT_RT's
 * spinlock).
 */
static __always_inline bool zsp_lcb_sleeping_lock(unsigned int flags)
{
	return (flags & ZSP_LCB_F_MUTEX) ||
	       (flags & (ZSP_LCB_F_RT | ZSP_LCB_F_SPIN)) == ZSP_LCB_F_RT;
}

/*
 * contention_begin_tp/contention_end_tp, calling begin(lock, flags) and
 * end(lock). They fire for every contended lock in the system: the
 * handlers filter first, cheapest test first.
 */
#define ZSP_CONTENTION_TPS(begin, end)						\
SEC("tp_btf/contention_begin")							\
int BPF_PROG(contention_begin_tp, void *lock, unsigned int flags)		\
{ return begin(lock, flags); }							\
SEC("tp_btf/contention_end")							\
int BPF_PROG(contention_end_tp, void *lock, int ret)				\
{ return end(lock); }

/*
 * State per task between a hook's entry and its exit, in task-local
 * storage: a look-up is a pointer into the task's own storage cache, where
 * a hash map keyed by thread id hashes, walks a bucket and takes a bucket
 * lock to insert and delete, once per program run, several times per zswap
 * load. The storage lives as long as the task; a tool marks its state idle
 * instead of deleting it.
 */
#define ZSP_TASK_MAP(name, value_type)						\
struct {									\
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);				\
	__uint(map_flags, BPF_F_NO_PREALLOC);					\
	__type(key, int);							\
	__type(value, value_type);						\
} name SEC(".maps")

/*
 * The current task's state in a ZSP_TASK_MAP, created zeroed if @create.
 * NULL if it does not exist, or could not be made (memory, or another
 * storage operation already running on this CPU: the kernel refuses to
 * nest them rather than deadlock).
 */
#define zsp_task_state(map, create)						\
	bpf_task_storage_get(map, bpf_get_current_task_btf(), NULL,		\
			     (create) ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0)

#define ZSP_STACK_DEPTH		127

/* Kernel stacks, by bpf_get_stackid(). */
#define ZSP_STACK_MAP(name, entries)						\
struct {									\
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);					\
	__uint(max_entries, entries);						\
	__uint(key_size, sizeof(__u32));					\
	__uint(value_size, ZSP_STACK_DEPTH * sizeof(__u64));			\
} name SEC(".maps")

#endif /* __ZSP_HOOK_BPF_H */
