// SPDX-License-Identifier: GPL-2.0
/*
 * zswplat: latency of zswap loads (swap-in served by zswap) and of their
 * phases. A load is followed from entry to return of the zswap load function;
 * inside it, the time blocked on the first mutex it waits for (the
 * compression context's; lock:contention_begin/end, so 0 when the mutex was
 * free) is the ctx-wait phase, the zpool/zsmalloc object access pair is the
 * access phase, and the scomp or crypto_comp decompress call is the
 * decompressor, whose algorithm names the compressor.
 *
 * With -Z the operation followed is a zram page read (or write, -W)
 * instead: zram_rw_page() filtered by its op on 6.1, zram_read_page() or
 * zram_write_page() on later kernels. The first sleeping lock it waits for
 * is then its compression stream's (a mutex or rt_mutex with the series;
 * 6.1's stream is a local lock, no wait to see), the entry-lock phase is
 * zram_slot_lock() where it is a function of its own (the series' sleeping
 * entry lock; 6.1's bit spinlock is inlined), and the (de)compressor is
 * crypto_comp_decompress() or crypto_comp_compress() up to 6.11, and
 * zcomp_decompress() or zcomp_compress() (zram's own backends) from 6.12.
 *
 * Every function hook exists as fentry/fexit and as kprobe/kretprobe
 * (zsp_hook.bpf.h); user space loads the variant this kernel supports. No
 * lock function is hooked.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "zswplat.h"
#include "zsp_hist.bpf.h"
#include "zsp_filter.bpf.h"
#include "zsp_hook.bpf.h"

const volatile bool load_returns_bool;	/* zswap_load(): bool; zswap_frontswap_load(): int */
const volatile bool can_classify;	/* decompress hooks attached */
const volatile bool per_cpu;		/* -C: also the per-CPU histograms */
/*
 * -Z where one function serves reads and writes (6.1's zram_rw_page(), or
 * zram_submit_bio() where the read and write functions are inlined): the
 * op to follow (REQ_OP_READ 0, REQ_OP_WRITE 1); -1: every call.
 */
const volatile int zram_op = -1;
const volatile bool load_void;		/* zram_submit_bio() returns nothing */

struct zsp_hist hists[ZSWPLAT_MAX_COMP][ZSWPLAT_NPHASES];
struct zsp_hist cpu_hists[ZSWPLAT_MAX_CPUS];
struct zswplat_counts counts;
char comp_names[ZSWPLAT_MAX_COMP][ZSWPLAT_NAME_LEN];
__u32 next_slot = 2;

/*
 * The synchronous compression transform, declared here because kernels
 * that dropped it (and their vmlinux.h) only know its name; CO-RE matches
 * it by name on kernels that have it.
 */
struct crypto_comp___zsp {
	struct crypto_tfm base;
} __attribute__((preserve_access_index));

/* 6.12's zram backends: struct zcomp names its backend's ops. */
struct zcomp_ops___zsp {
	const char *name;
} __attribute__((preserve_access_index));

struct zcomp___zsp {
	const struct zcomp_ops___zsp *ops;
} __attribute__((preserve_access_index));

const volatile bool have_waits;		/* contention tracepoints attached */
__u64 dropped;				/* loads not followed: no task storage */

/* A task's load in progress; start == 0: none (or begun before the tool). */
struct load_state {
	__u64 start;
	__u64 ctx_lock, ctx_start, acc_start, dec_start, ent_start;
	__u64 ctx_ns, acc_ns, dec_ns, ent_ns;
	__s32 slot;
	__u8 ctx_done, accessed, decompressed, entered;
};

ZSP_TASK_MAP(loads, struct load_state);

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 32);
	__type(key, char[ZSWPLAT_NAME_LEN]);
	__type(value, __u32);
} comp_slots SEC(".maps");

/*
 * The task's load in progress, or NULL. The state is made if missing, for
 * tasks the -p/-c filter wants: on 6.1 a look-up fails while another task,
 * preempted on this CPU, is inside a storage helper, and a NULL for a
 * wanted task is then a lost event, counted, not an absent load.
 */
static __always_inline struct load_state *cur(void)
{
	struct load_state *st;

	if (!wanted())
		return NULL;
	st = zsp_task_state(&loads, true);
	if (!st) {
		__sync_fetch_and_add(&dropped, 1);
		return NULL;
	}
	return st->start ? st : NULL;
}

/* For the contention tracepoints, which fire for every task: never create. */
static __always_inline struct load_state *cur_existing(void)
{
	struct load_state *st = zsp_task_state(&loads, false);

	return st && st->start ? st : NULL;
}

static __always_inline int on_load_entry(void)
{
	struct load_state *st;

	if (!wanted())
		return 0;
	st = zsp_task_state(&loads, true);
	if (!st) {
		__sync_fetch_and_add(&dropped, 1);
		return 0;
	}
	*st = (struct load_state){ .slot = -1 };
	st->start = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int on_load_exit(__u64 ret)
{
	struct load_state *st = cur();
	__u32 cpu;
	__u64 total;
	bool ok;
	__u32 slot;

	if (!st)
		return 0;
	total = bpf_ktime_get_ns() - st->start;
	ok = load_void || (load_returns_bool ? (ret & 0xff) != 0 : (int)ret == 0);
	if (!ok) {
		if (load_returns_bool || (int)ret == -1)
			__sync_fetch_and_add(&counts.misses, 1);
		else
			__sync_fetch_and_add(&counts.failures, 1);
		st->start = 0;
		return 0;
	}
	__sync_fetch_and_add(&counts.loads, 1);
	if (!can_classify)
		slot = ZSWPLAT_SLOT_UNKNOWN;
	/*
	 * Without the access pair (-A), a load that decompressed through
	 * neither hooked function (an asynchronous driver) counts as
	 * same-filled: the text says so.
	 */
	else if (!st->accessed && !st->decompressed)
		slot = ZSWPLAT_SLOT_SAME;
	else if (st->slot < 0 || st->slot >= ZSWPLAT_MAX_COMP)
		slot = ZSWPLAT_SLOT_UNKNOWN;
	else
		slot = st->slot;
	/* A power of two: keeps the verifier sure of the bound. */
	slot &= ZSWPLAT_MAX_COMP - 1;

	zsp_hist_add(&hists[slot][ZSWPLAT_TOTAL], total);
	/* Every load that decompresses took the context mutex: 0 if it was free. */
	if (have_waits && (st->accessed || st->decompressed))
		zsp_hist_add(&hists[slot][ZSWPLAT_CTX], st->ctx_ns);
	if (st->accessed)
		zsp_hist_add(&hists[slot][ZSWPLAT_ACCESS], st->acc_ns);
	if (st->decompressed)
		zsp_hist_add(&hists[slot][ZSWPLAT_DECOMP], st->dec_ns);
	if (st->entered)
		zsp_hist_add(&hists[slot][ZSWPLAT_ENTRY], st->ent_ns);
	if (per_cpu) {
		cpu = bpf_get_smp_processor_id();
		if (cpu < ZSWPLAT_MAX_CPUS)
			zsp_hist_add(&cpu_hists[cpu], total);
		else
			__sync_fetch_and_add(&counts.cpu_beyond, 1);
	}
	st->start = 0;
	return 0;
}

/*
 * The first sleeping lock a load waits for is its compression context's
 * (a mutex; an rt_mutex with the series).
 */
static __always_inline int on_contention_begin(void *lock, unsigned int flags)
{
	struct load_state *st;

	if (!zsp_lcb_sleeping_lock(flags))
		return 0;
	st = cur_existing();
	if (st && !st->ctx_done && !st->ctx_lock) {
		st->ctx_lock = (__u64)lock;
		st->ctx_start = bpf_ktime_get_ns();
	}
	return 0;
}

static __always_inline int on_contention_end(void *lock)
{
	struct load_state *st = cur_existing();

	if (st && !st->ctx_done && st->ctx_lock == (__u64)lock && st->ctx_start) {
		st->ctx_ns = bpf_ktime_get_ns() - st->ctx_start;
		st->ctx_done = 1;
	}
	return 0;
}

/* End a timed phase of the load: add the time since *start, mark it seen. */
static __always_inline void phase_end(__u64 *start, __u64 *ns, __u8 *seen)
{
	if (!*start)
		return;
	*ns += bpf_ktime_get_ns() - *start;
	*start = 0;
	*seen = 1;
}

/* zram's entry lock, where zram_slot_lock() is a function (-Z). */
static __always_inline int on_entry_lock_begin(void)
{
	struct load_state *st = cur();

	if (st)
		st->ent_start = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int on_entry_lock_end(void)
{
	struct load_state *st = cur();

	if (st)
		phase_end(&st->ent_start, &st->ent_ns, &st->entered);
	return 0;
}

static __always_inline int on_access_begin(void)
{
	struct load_state *st = cur();

	if (st)
		st->acc_start = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int on_access_end(void)
{
	struct load_state *st = cur();

	if (st)
		phase_end(&st->acc_start, &st->acc_ns, &st->accessed);
	return 0;
}

/*
 * Slots by algorithm address, so that only the first load through an
 * algorithm reads its name and looks it up by name: a string copy and a
 * hash look-up on every load cost more than the rest of the decompress
 * hooks. An entry's slot is written before its address is published.
 */
#define ALG_CACHE 8
struct {
	__u64 alg;
	__s32 slot;
} alg_cache[ALG_CACHE];
__u32 alg_cache_next;

static __always_inline __s32 comp_slot_by_name(const char *kname)
{
	char name[ZSWPLAT_NAME_LEN] = {};
	__u32 *slotp, slot;

	if (bpf_probe_read_kernel_str(name, sizeof(name), kname) <= 0)
		return ZSWPLAT_SLOT_UNKNOWN;
	slotp = bpf_map_lookup_elem(&comp_slots, &name);
	if (slotp)
		return *slotp;
	slot = __sync_fetch_and_add(&next_slot, 1);
	if (slot >= ZSWPLAT_MAX_COMP)
		return ZSWPLAT_SLOT_UNKNOWN;
	if (bpf_map_update_elem(&comp_slots, &name, &slot, BPF_NOEXIST)) {
		/* Another CPU named it first: use its slot. */
		slotp = bpf_map_lookup_elem(&comp_slots, &name);
		return slotp ? *slotp : ZSWPLAT_SLOT_UNKNOWN;
	}
	/* slot went through the stack for the map update: bound it again. */
	slot &= ZSWPLAT_MAX_COMP - 1;
	__builtin_memcpy(comp_names[slot], name, sizeof(name));
	return slot;
}

/* alg: the algorithm's address, the cache's key; kname: its name. */
static __always_inline __s32 comp_slot(const void *alg, const char *kname)
{
	__u32 i;
	__s32 slot;

	if (!alg)
		return ZSWPLAT_SLOT_UNKNOWN;
	for (i = 0; i < ALG_CACHE; i++) {
		if (alg_cache[i].alg == (__u64)alg)
			return alg_cache[i].slot;
	}
	slot = comp_slot_by_name(kname);
	if (slot == ZSWPLAT_SLOT_UNKNOWN)
		return slot;
	i = __sync_fetch_and_add(&alg_cache_next, 1);
	if (i < ALG_CACHE) {
		alg_cache[i].slot = slot;
		__sync_lock_test_and_set(&alg_cache[i].alg, (__u64)alg);
	}
	return slot;
}

static __always_inline int on_decomp_entry(const void *alg, const char *kname)
{
	struct load_state *st = cur();

	if (!st)
		return 0;
	st->slot = comp_slot(alg, kname);
	st->dec_start = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int on_decomp_exit(void)
{
	struct load_state *st = cur();

	if (st)
		phase_end(&st->dec_start, &st->dec_ns, &st->decompressed);
	return 0;
}

static __always_inline int on_crypto_entry(struct crypto_alg *alg)
{
	/* The name is an array in the algorithm: its address, no read. */
	return on_decomp_entry(alg, alg ? alg->cra_name : NULL);
}

static __always_inline int on_zcomp_entry(struct zcomp___zsp *comp)
{
	const struct zcomp_ops___zsp *ops = BPF_CORE_READ(comp, ops);

	return on_decomp_entry(ops, ops ? BPF_CORE_READ(ops, name) : NULL);
}

/* Each hook as trampoline and kprobe variant (zsp_hook.bpf.h). */
ZSP_ENTRY(load, on_load_entry())
ZSP_EXIT(load, on_load_exit(ret))
/* 6.1's zram: one function for reads and writes, the op its fourth argument. */
ZSP_ENTRY4(zram_rw, zram_op < 0 || ((__u32)a3 & ZSP_REQ_OP_MASK) == zram_op ? on_load_entry() : 0)
/* 6.12's zram_submit_bio(bio), its read and write functions inlined. */
ZSP_ENTRY(zram_bio, zram_op < 0 || zsp_bio_op(a0) == zram_op ? on_load_entry() : 0)
ZSP_ENTRY(entry_lock, on_entry_lock_begin())
ZSP_EXIT(entry_lock, on_entry_lock_end())
ZSP_ENTRY(access, on_access_begin())
ZSP_EXIT(access_end, on_access_end())
ZSP_ENTRY(decomp, on_crypto_entry(BPF_CORE_READ((struct acomp_req *)a0, base.tfm, __crt_alg)))
ZSP_EXIT(decomp, on_decomp_exit())
/*
 * The synchronous transform the series decompresses with, and zram's up to
 * 6.11 (with -Z -W, its compress call, timed as the same phase).
 */
ZSP_ENTRY(comp_decomp, on_crypto_entry(BPF_CORE_READ((struct crypto_comp___zsp *)a0, base.__crt_alg)))
ZSP_EXIT(comp_decomp, on_decomp_exit())
/* 6.12's zram: zcomp_(de)compress(comp, ...), the backend in comp->ops. */
ZSP_ENTRY(zcomp_decomp, on_zcomp_entry(a0))
ZSP_EXIT(zcomp_decomp, on_decomp_exit())
ZSP_CONTENTION_TPS(on_contention_begin, on_contention_end)

char LICENSE[] SEC("license") = "GPL";
