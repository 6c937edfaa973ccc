// SPDX-License-Identifier: GPL-2.0
/*
 * zsplock: hold and wait times of the zspage lock (read and write side), the
 * zswap compression context mutex and the zswap tree lock, the share of each
 * hold spent with preemption disabled, and the preempt-off time per zswap
 * load: the figure the zspreempt series is about.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "zsp_common.h"
#include "zsplock.h"
#include "zsplock.skel.h"

static const char *const lock_names[ZSPLOCK_NLOCKS] = {
	"zspage-read", "zspage-write", "ctx-mutex", "tree-lock", "entry-lock",
};

static struct {
	int top;
	unsigned int locks;	/* bit per ZSPLOCK_* lock */
	bool zram;		/* -Z: zram reads and writes, not zswap loads and stores */
} env = { .top = 3, .locks = (1u << ZSPLOCK_NLOCKS) - 1 };

static const char doc[] =
"Hold and wait times of the locks on the zswap/zsmalloc paths.\n"
"\n"
"  zspage-read   object read begin .. end (zpool_obj_read_*, zs_obj_read_*)\n"
"                or zs_map_object .. zs_unmap_object on kernels without them;\n"
"                waits: contended spins on pool->lock or the zspage lock\n"
"                in between (lock:contention tracepoints)\n"
"  zspage-write  zspage write lock in migration and compaction; with a\n"
"                preemptible zspage lock, also writer try-lock back-offs\n"
"  ctx-mutex     zswap compression context mutex: waits (first mutex a\n"
"                zswap load/store waits for)\n"
"  tree-lock     zswap tree spinlock: waits\n"
"  entry-lock    -Z: zram's entry lock where it sleeps (the series): waits\n"
"                (out_of_line_wait_on_bit_lock inside a zram call)\n"
"\n"
"With -Z the calls followed are zram page reads (a read is a \"load\") and\n"
"writes instead of zswap's: zram_rw_page by its op (6.1), zram_read_page/\n"
"zram_write_page, or zram_submit_bio by its bio's op where those two are\n"
"inlined; ctx-mutex is then the compression stream's lock.\n"
"\n"
"zspage lock: hold p50/p99/p99.9/max, waits, the task behind the max\n"
"hold, the share of hold time with preemption disabled, and the stacks of\n"
"the longest holds. ctx mutex and tree lock: slow-path waits, from the\n"
"lock:contention_begin/end tracepoints, and for the mutex how many went to\n"
"sleep (lock_stat's contentions; on a lockdep kernel every mutex_lock()\n"
"takes the slow path, so only those are contended there); their holds are\n"
"not traced, since that would mean hooking the lock functions every CPU\n"
"runs. Per zswap load:\n"
"the preempt-off time inside it. Exact where the kernel has the\n"
"preempt_disable/preempt_enable tracepoints (6.1: CONFIG_PREEMPT_TRACER):\n"
"every section of the loading task, as the preemptoff tracer times them,\n"
"and the longest one. Elsewhere sampled: zspage read holds with preemption\n"
"off at their end, plus scomp's decompression (a per-CPU spinlock).\n"
"\n"
"Needs: root, CONFIG_DEBUG_INFO_BTF, CONFIG_ZSWAP (-Z: CONFIG_ZRAM), and BPF\n"
"trampolines or CONFIG_KPROBES; lock waits need the lock:contention tracepoints (5.19+).\n"
"Lost events (recursion, no room to record) are counted and reported.\n"
"Exit status: 0 ok, 1 the kernel lacks what is needed, 2 usage error.\n"
"\n"
"EXAMPLES:\n"
"    zsplock -d 10          # 10 s, one report\n"
"    zsplock -j -t 5        # JSON, five top stacks per lock\n"
"    zsplock -l zspage      # zspage lock only\n"
"    zsplock -Z -d 10       # zram reads and writes\n";

static const struct argp_option opts[] = {
	{ "top", 't', "N", 0, "Stacks of the N longest holds per lock, each taken when it set a new maximum (default 3, 0 for none)", 0 },
	{ "locks", 'l', "LIST", 0, "Trace only these, comma-separated: zspage, ctx-mutex, tree-lock, entry-lock (default all)", 0 },
	{ "zram", 'Z', NULL, 0, "Follow zram page reads and writes instead of zswap loads and stores", 0 },
	{},
};

/* zspage selects both sides: the write side is what contends with readers. */
static unsigned int parse_locks(const char *arg)
{
	char buf[128], *tok, *save = NULL;
	unsigned int m = 0;

	if (strlen(arg) >= sizeof(buf))
		return 0;
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "zspage"))
			m |= 1u << ZSPLOCK_ZSPAGE_READ | 1u << ZSPLOCK_ZSPAGE_WRITE;
		else if (!strcmp(tok, "ctx-mutex"))
			m |= 1u << ZSPLOCK_CTX_MUTEX;
		else if (!strcmp(tok, "tree-lock"))
			m |= 1u << ZSPLOCK_TREE;
		else if (!strcmp(tok, "entry-lock"))
			m |= 1u << ZSPLOCK_ENTRY;
		else
			return 0;
	}
	return m;
}

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 't':
		env.top = zsp_parse_int(arg, "number of stacks", 0, state);
		break;
	case 'l':
		env.locks = parse_locks(arg);
		if (!env.locks)
			argp_error(state, "invalid lock list '%s': use zspage, ctx-mutex, tree-lock, entry-lock", arg);
		break;
	case 'Z':
		env.zram = true;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

struct holder {
	struct zsplock_stack_key key;
	struct zsplock_stack_val val;
};


/* What each lock's figures come from, for the report. */
static const char *traced[ZSPLOCK_NLOCKS];

/* How the preempt-off time per load is measured, for the report. */
static const char *poff_method;

/* A preempt tracepoint's call site by name, or where a section met a switch or the load's end. */
static void poff_site(const struct zsp_ksyms *ks, __u64 ip, const char *at_switch, char *buf, size_t len)
{
	if (ip == ZSPLOCK_AT_SWITCH)
		snprintf(buf, len, "%s", at_switch);
	else if (ip == ZSPLOCK_AT_EXIT)
		snprintf(buf, len, "load exit");
	else
		zsp_ksym_name(ks, ip, buf, len);
}

/*
 * The decompressor whose calls are counted: the crypto API's synchronous
 * transform (zswap with the series, zram up to 6.11) or, with -Z from
 * 6.12, zram's own backends.
 */
static const char *decomp_fn = "crypto_comp_decompress";

static void report(void *ctx, double secs)
{
	struct zsplock_bpf *skel = ctx;
	struct zsplock_bpf__bss *b = skel->bss;
	struct zsp_ksyms *ks = env.top || skel->rodata->poff_exact ? zsp_ksyms_load() : NULL;
	struct zsp_res *r = zsp_res_root(secs), *locks, *o, *top, *h;
	struct holder *hs;
	char text[160], label[64];
	size_t nh, i;
	int l;

	hs = ZSP_MAP_DUMP(skel->maps.holders, struct holder, &nh);
	zsp_sort_desc(hs, nh, sizeof(*hs), offsetof(struct holder, val.hold_ns));
	locks = zsp_res_obj(r, "locks", "");
	for (l = 0; l < ZSPLOCK_NLOCKS; l++) {
		const struct zsplock_stats *s = &b->stats[l];
		const struct zsp_hist *hold = &b->hold[l];
		char comm[17] = { 0 };
		int shown = 0;

		snprintf(text, sizeof(text), "%s (%s)", lock_names[l], traced[l]);
		o = zsp_res_obj(locks, lock_names[l], text);
		zsp_res_str(o, "traced", NULL, traced[l]);
		/* In text, what this lock saw: wait-only locks have no holds. */
		zsp_res_hist(o, "wait", b->wait[l].count || !hold->count ? "wait" : NULL, &b->wait[l], 0);
		zsp_res_hist(o, "hold", hold->count ? "hold" : NULL, hold, 0);
		zsp_res_time(o, "hold_ns", hold->count ? "held in all" : NULL, s->hold_ns);
		zsp_res_time(o, "preempt_off_ns", NULL, s->preempt_off_ns);
		zsp_res_num(o, "preempt_off_share", hold->count ? "share of it with preemption off" : NULL,
			    "%.4f", s->hold_ns ? (double)s->preempt_off_ns / s->hold_ns : 0.0);
		zsp_res_u64(o, "trylock_fail", s->trylock_fail ? "writer try-locks that found readers and backed off" : NULL,
			    s->trylock_fail);
		zsp_res_u64(o, "slept", s->slept ? "waits that slept" : NULL, s->slept);
		if (hold->count) {
			memcpy(comm, hold->max_comm, 16);
			zsp_res_note(o, "longest hold %.1f %s by %s[%u]", zsp_unit(hold->max),
				     zsp_unit_name(), comm, hold->max_pid);
		}
		top = zsp_res_arr(o, "top", "");
		for (i = 0; i < nh && shown < env.top; i++) {
			if (hs[i].key.lock != (__u32)l)
				continue;
			snprintf(text, sizeof(text), "%.1f %s total in %llu holds (max %.1f)",
				 zsp_unit(hs[i].val.hold_ns), zsp_unit_name(),
				 (unsigned long long)hs[i].val.count, zsp_unit(hs[i].val.max_ns));
			h = zsp_res_obj(top, NULL, text);
			zsp_res_u64(h, "hold_ns", NULL, hs[i].val.hold_ns);
			zsp_res_u64(h, "count", NULL, hs[i].val.count);
			zsp_res_u64(h, "max_ns", NULL, hs[i].val.max_ns);
			zsp_res_stack(h, "stack", ks, skel->maps.stacks, hs[i].key.stackid);
			shown++;
		}
	}
	o = zsp_res_obj(r, NULL, env.zram ? "zram reads" : "zswap loads");
	zsp_res_hist(o, "load_preempt_off", "preempt-off", &b->load_poff, 0);
	zsp_res_str(o, "preempt_off_method", "preempt-off measured by", poff_method);
	zsp_res_note(o, "preempt-off in all loads: %.3f ms", b->load_poff.sum / 1e6);
	/* Whether the decompressor itself ran with preemption off. */
	snprintf(label, sizeof(label), "%s calls", decomp_fn);
	zsp_res_u64(o, "decompress_calls", b->decomp.calls ? label : NULL, b->decomp.calls);
	zsp_res_u64(o, "decompress_calls_preempt_off",
		    b->decomp.calls ? "of which entered with preemption off" : NULL, b->decomp.calls_off);
	zsp_res_time(o, "decompress_ns", NULL, b->decomp.ns);
	zsp_res_time(o, "decompress_preempt_off_ns", NULL, b->decomp.ns_off);
	if (skel->rodata->poff_exact) {
		const struct zsplock_poff_longest *pl = &b->poff_longest;
		char from[160], to[160], comm[17] = { 0 }, line[400];

		memcpy(comm, pl->comm, 16);
		poff_site(ks, pl->start_ip, "switch-in", from, sizeof(from));
		poff_site(ks, pl->end_ip, "switch-out", to, sizeof(to));
		if (pl->ns)
			snprintf(line, sizeof(line), "longest preempt-off section in a load: %.1f %s by %s[%u], %s .. %s",
				 zsp_unit(pl->ns), zsp_unit_name(), comm, pl->pid, from, to);
		h = zsp_res_obj(r, "preempt_off_longest", pl->ns ? line : NULL);
		zsp_res_u64(h, "ns", NULL, pl->ns);
		zsp_res_str(h, "from", NULL, from);
		zsp_res_str(h, "to", NULL, to);
		zsp_res_u64(h, "pid", NULL, pl->pid);
		zsp_res_str(h, "comm", NULL, comm);
		zsp_res_stack(h, "stack", ks, skel->maps.poff_stacks, pl->ns ? pl->stackid : -1);
		zsp_res_u64(o, "preempt_off_sections", "preempt-off sections in loads", b->poff_sections);
		zsp_res_u64(r, "preempt_off_own_sections", NULL, b->poff_own_sections);
		zsp_res_u64(o, "preempt_off_unseen_switch",
			    b->poff_unseen_switch ? "sections dropped: a switch in them went unseen" : NULL,
			    b->poff_unseen_switch);
	}
	zsp_res_u64(r, "zspage_read_nested", NULL, b->zspage_read_nested);
	zsp_res_print(r, zsp_recursion_misses(skel->obj),
		      b->drops.tasks + b->drops.stacks + b->drops.unfinished);
	free(hs);
	zsp_ksyms_free(ks);
}

static void reset(void *ctx)
{
	struct zsplock_bpf *skel = ctx;

	memset(skel->bss, 0, sizeof(*skel->bss));
	zsp_map_clear(skel->maps.holders);
}

/*
 * Keep the entry programs @fentry/@kprobe of a hook, or swap in @alt_fentry
 * and @alt_kprobe: the ones not used must not load at all.
 */
static void use_entry(struct bpf_program *fentry, struct bpf_program *kprobe, struct zsp_hook *h,
		      struct bpf_program *alt_fentry, struct bpf_program *alt_kprobe, bool alt)
{
	bpf_program__set_autoload(alt ? fentry : alt_fentry, false);
	bpf_program__set_autoload(alt ? kprobe : alt_kprobe, false);
	if (alt) {
		h->fentry = alt_fentry;
		h->kprobe = alt_kprobe;
	}
}

static const char *first_present(const struct zsp_kernel *k, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (zsp_kernel_has_func(k, names[i]))
			return names[i];
	return names[0];
}

/*
 * Every hook by name. Only zswap, zsmalloc, zpool and crypto functions are
 * hooked; the generic locks' waits come from tracepoints.
 */
struct zsplock_hooks {
	struct zsp_hook load, store;		/* every lock's per-call state */
	struct zsp_hook read_begin, read_end;	/* ZSPLOCK_ZSPAGE_READ */
	struct zsp_hook scomp;			/* preempt-off per load (base) */
	struct zsp_hook migrate, wtrylock;	/* ZSPLOCK_ZSPAGE_WRITE */
	struct zsp_hook entry_wait;		/* ZSPLOCK_ENTRY (-Z) */
	struct zsp_hook decomp;			/* decompression preemptible? */
};

/* The tree lock is found from zswap_trees[]; 6.10+ has xarrays instead. */
static unsigned long long find_tree_lock(const struct zsp_kernel *k, __u32 *off)
{
	static const char *const name[] = { "zswap_trees" };
	int id = btf__find_by_name_kind(k->btf, "zswap_tree", BTF_KIND_STRUCT);
	const struct btf_member *m;
	const struct btf_type *t;
	unsigned long long trees;

	if (id <= 0 || zsp_kallsyms_addrs(name, 1, &trees) != 1)
		return 0;
	t = btf__type_by_id(k->btf, id);
	m = btf_members(t);
	for (int j = 0; j < btf_vlen(t); j++, m++)
		if (!strcmp(btf__name_by_offset(k->btf, m->name_off), "lock")) {
			*off = btf_member_bit_offset(t, j) / 8;
			return trees;
		}
	return 0;
}

/*
 * A BPF trampoline disables migration around every program: its enter and
 * exit helpers call migrate_disable()/migrate_enable(). Their short
 * preempt-off sections are the tracing's, not the load's. The tracepoint
 * names the caller of preempt_count_add()/sub(), which is inlined into
 * migrate_disable() on some configs and not on others (DEBUG_PREEMPT): all
 * four kinds of function are listed. False when they are not all found:
 * the caller then measures nothing rather than the tracing.
 */
static bool own_sections(struct zsplock_bpf *skel)
{
	static const char *const enter[] = { "__bpf_prog_enter*" }, *const leave[] = { "__bpf_prog_exit*" };
	static const char *const fn[] = {
		"migrate_disable", "migrate_enable", "__bpf_prog_enter*", "__bpf_prog_exit*",
	};
	struct zsp_ksyms *ks = zsp_ksyms_load();
	__u64 lo[ZSPLOCK_OWN_FNS], hi[ZSPLOCK_OWN_FNS];
	int n = -1;

	if (ks && zsp_ksym_extents(ks, enter, 1, lo, hi, ZSPLOCK_OWN_FNS) > 0 &&
	    zsp_ksym_extents(ks, leave, 1, lo, hi, ZSPLOCK_OWN_FNS) > 0)
		n = zsp_ksym_extents(ks, fn, 4, lo, hi, ZSPLOCK_OWN_FNS);
	zsp_ksyms_free(ks);
	if (n < 4)
		return false;
	memcpy((void *)skel->rodata->own_lo, lo, sizeof(lo));
	memcpy((void *)skel->rodata->own_hi, hi, sizeof(hi));
	return true;
}

int main(int argc, char **argv)
{
	static const struct zsp_tool zt = {
		.name = "zsplock", .doc = doc, .options = opts, .parse = parse_arg,
	};
	static const char *const stores[] = { "zswap_store", "zswap_frontswap_store" };
	/* Both APIs exist once the series is applied; zswap uses the new one. */
	static const char *const rbegin[] = { "zpool_obj_read_begin", "zs_obj_read_begin", "zs_map_object" };
	static const char *const rend[] = { "zpool_obj_read_end", "zs_obj_read_end", "zs_unmap_object" };
	static char note[ZSPLOCK_NLOCKS][400];
	struct zsplock_hooks hk;
	/* contention_begin/end; preempt_disable/enable and sched_switch */
	struct zsp_tp tps[5];
	struct zsplock_bpf *skel;
	struct zsp_zram_fns zf = { 0 };
	struct zsp_kernel k;
	bool waits, zspage, folio;
	const char *load_fn, *store_fn;
	size_t i;
	int err;
	unsigned long long trees = 0;
	__u32 tree_off = 0;

	err = zsp_tool_start(&zt, argc, argv, &k);
	if (err)
		return err;
	if (!zsp_have_preempt_count())
		fprintf(stderr, "%s: warning: cannot read preempt_count on this kernel (neither __preempt_count nor pcpu_hot): preempt-off figures will read 0\n", zsp_tool_name);
	if (env.zram) {
		if (zsp_zram_fns(&k, &zf)) {
			zsp_tool_end(&k);
			return ZSP_EXIT_ENV;
		}
		load_fn = zf.read;
		store_fn = zf.write;
		if (zf.backends)
			decomp_fn = "zcomp_decompress";
	} else {
		load_fn = zsp_zswap_load_fn(&k);
		store_fn = first_present(&k, stores, 2);
	}
	if (!load_fn) {
		zsp_tool_end(&k);
		return ZSP_EXIT_ENV;
	}
	skel = zsplock_bpf__open();
	if (!skel) {
		zsp_tool_end(&k);
		return zsp_open_failed();
	}
	zspage = env.locks & (1u << ZSPLOCK_ZSPAGE_READ | 1u << ZSPLOCK_ZSPAGE_WRITE);
	waits = env.locks & (1u << ZSPLOCK_CTX_MUTEX | 1u << ZSPLOCK_TREE);
	hk = (struct zsplock_hooks){
		.load = ZSP_HOOK_INOUT(skel, load_fn, load, "nothing to measure"),
		.store = ZSP_HOOK_INOUT(skel, store_fn, store, "no store-path locks"),
		.read_begin = ZSP_HOOK_IN(skel, first_present(&k, rbegin, 3), zr_begin, "no zspage read side"),
		.read_end = ZSP_HOOK_IN(skel, first_present(&k, rend, 3), zr_end, "no zspage read side"),
		.scomp = ZSP_HOOK_INOUT(skel, "scomp_acomp_decompress", scomp,
					"scomp's preempt-off decompression not counted per load"),
		.migrate = ZSP_HOOK_INOUT(skel, "zs_page_migrate", migrate, "no migration writers"),
		.wtrylock = ZSP_HOOK_OUT(skel, "zspage_write_trylock", wtrylock, "no try-lock writers"),
		.entry_wait = ZSP_HOOK_INOUT(skel, "out_of_line_wait_on_bit_lock", entry_wait,
					     "no entry-lock waits"),
		.decomp = ZSP_HOOK_INOUT(skel, decomp_fn, decomp,
					 "no synchronous decompression to see"),
	};
	hk.load.required = true;
	hk.entry_wait.unwanted = !env.zram || !(env.locks & 1u << ZSPLOCK_ENTRY);
	/*
	 * zram's decompressor only. With the series zswap's loads call
	 * crypto_comp_decompress() too, but the scomp row already answers for
	 * them, and the overhead make bench measured (run 20261205T042406Z)
	 * is without this pair of programs on every load.
	 */
	hk.decomp.unwanted = !env.zram;
	/*
	 * zswap_load/store(folio) and zram's read/write functions: the entry
	 * variants that take no swap type.
	 */
	folio = !strcmp(hk.load.func, "zswap_load") || env.zram;
	use_entry(skel->progs.fentry_load, skel->progs.kprobe_load, &hk.load,
		  skel->progs.fentry_load_folio, skel->progs.kprobe_load_folio, folio);
	use_entry(skel->progs.fentry_store, skel->progs.kprobe_store, &hk.store,
		  skel->progs.fentry_store_folio, skel->progs.kprobe_store_folio, folio);
	/*
	 * 6.1's zram_rw_page() and 6.12's zram_submit_bio(): one hook for
	 * both, its entry program reads the op.
	 */
	bpf_program__set_autoload(skel->progs.fentry_zram_rw, false);
	bpf_program__set_autoload(skel->progs.kprobe_zram_rw, false);
	bpf_program__set_autoload(skel->progs.fentry_zram_bio, false);
	bpf_program__set_autoload(skel->progs.kprobe_zram_bio, false);
	if (zf.by_op) {
		bpf_program__set_autoload(hk.load.fentry, false);
		bpf_program__set_autoload(hk.load.kprobe, false);
		hk.load.fentry = zf.by_bio ? skel->progs.fentry_zram_bio : skel->progs.fentry_zram_rw;
		hk.load.kprobe = zf.by_bio ? skel->progs.kprobe_zram_bio : skel->progs.kprobe_zram_rw;
		zsp_hook_disable(&hk.store);
		hk.store.unwanted = true;
	}
	tps[0] = ZSP_TP(skel, contention_begin, "no lock waits");
	tps[1] = ZSP_TP(skel, contention_end, "no lock waits");
	if (zsp_hooks_prepare(ZSP_HOOKS(hk), &k))
		goto env_fail;
	/* Unselected locks are not attached at all. */
	if (!zspage) {
		zsp_hook_disable(&hk.read_begin);
		zsp_hook_disable(&hk.read_end);
		zsp_hook_disable(&hk.migrate);
		zsp_hook_disable(&hk.wtrylock);
	}
	/* A pair is all or nothing. */
	if (!hk.read_begin.mode || !hk.read_end.mode) {
		zsp_hook_disable(&hk.read_begin);
		zsp_hook_disable(&hk.read_end);
	}
	/* The read side's waits are contended spins too. */
	zsp_tp_pair_prepare(&tps[0], &tps[1], &k, waits || hk.read_begin.mode);
	tps[2] = ZSP_TP(skel, preempt_disable, "preempt-off per load sampled, not measured");
	tps[3] = ZSP_TP(skel, preempt_enable, "preempt-off per load sampled, not measured");
	tps[4] = ZSP_TP(skel, sched_switch, "preempt-off per load sampled, not measured");
	zsp_tp_pair_prepare(&tps[2], &tps[3], &k, true);
	zsp_tp_prepare(&tps[4], &k, tps[2].on);
	poff_method = "sampled: zspage read holds with preemption off at their end, plus scomp "
		      "(no preempt_disable/preempt_enable tracepoints: CONFIG_PREEMPT_TRACER)";
	if (tps[2].on && !tps[4].on) {
		zsp_tp_pair_prepare(&tps[2], &tps[3], &k, false);
		poff_method = "sampled: zspage read holds with preemption off at their end, plus scomp "
			      "(no sched_switch tracepoint to split sections at)";
	}
	if (tps[2].on && !own_sections(skel)) {
		fprintf(stderr, "%s: warning: cannot find the BPF trampoline helpers in /proc/kallsyms: preempt-off per load sampled, not measured\n",
			zsp_tool_name);
		zsp_tp_pair_prepare(&tps[2], &tps[3], &k, false);
		zsp_tp_prepare(&tps[4], &k, false);
		poff_method = "sampled: zspage read holds with preemption off at their end, plus scomp "
			      "(the BPF trampoline helpers not found in /proc/kallsyms)";
	}
	if (tps[2].on) {
		/* Every section is seen: sampling as well would count twice. */
		zsp_hook_disable(&hk.scomp);
		poff_method = "preempt_disable/preempt_enable tracepoints, every section of the loading task";
	}
	skel->rodata->poff_exact = tps[2].on;
	/* The tree is found by swap type, which only the older entry points pass. */
	if (env.locks & 1u << ZSPLOCK_TREE && !folio && !env.zram)
		trees = find_tree_lock(&k, &tree_off);
	skel->rodata->zswap_trees_addr = trees;
	skel->rodata->tree_lock_off = tree_off;
	skel->rodata->targ_tgid = zsp_opts.pid;
	skel->rodata->filter_cg = zsp_opts.cgroup != NULL;
	/* Sampled at the read side's end: the bias of that hook's kind. */
	skel->rodata->preempt_bias = hk.read_end.mode == ZSP_KPROBE ? 1 : 0;
	skel->rodata->zspage_waits = hk.read_begin.mode != ZSP_NONE;
	skel->rodata->ctx_waits = env.locks & 1u << ZSPLOCK_CTX_MUTEX;
	skel->rodata->want_stacks = env.top > 0;
	/* Nothing to keep stacks in with -t 0. */
	if (!env.top) {
		bpf_map__set_max_entries(skel->maps.stacks, 1);
		bpf_map__set_max_entries(skel->maps.holders, 1);
	}

	for (i = 0; i < ZSPLOCK_NLOCKS; i++)
		traced[i] = note[i];
	snprintf(note[ZSPLOCK_ZSPAGE_READ], sizeof(note[0]), "%s",
		 hk.read_begin.mode ? hk.read_begin.note : "not traced: no map/read functions");
	snprintf(note[ZSPLOCK_ZSPAGE_WRITE], sizeof(note[0]), "%s",
		 hk.migrate.mode ? "zs_page_migrate() as the hold; its -EINVAL (-EAGAIN before) as try-lock back-offs" : "not traced");
	snprintf(note[ZSPLOCK_CTX_MUTEX], sizeof(note[0]), "%s",
		 !tps[0].on ? tps[0].note :
		 env.zram ? "waits only (lock:contention_begin/end): the first sleeping lock a zram call waits for, its compression stream's; holds not traced" :
		 "waits only (lock:contention_begin/end): the first mutex a zswap call waits for; holds not traced");
	if (env.zram)
		snprintf(note[ZSPLOCK_TREE], sizeof(note[0]), "not traced: zswap's, not zram's (-Z)");
	else if (!trees)
		snprintf(note[ZSPLOCK_TREE], sizeof(note[0]), "not traced: %s",
			 folio ? "zswap_load/store() pass a folio, not the swap type the tree is found by" :
			 "no struct zswap_tree and zswap_trees[] in this kernel");
	else
		snprintf(note[ZSPLOCK_TREE], sizeof(note[0]), "%s",
			 tps[0].on ? "waits only (lock:contention_begin/end on the tree's spinlock); holds not traced" : tps[0].note);
	if (!env.zram)
		snprintf(note[ZSPLOCK_ENTRY], sizeof(note[0]), "not traced: zram's (-Z)");
	else
		snprintf(note[ZSPLOCK_ENTRY], sizeof(note[0]), "%s",
			 hk.entry_wait.mode ? "waits only: out_of_line_wait_on_bit_lock() inside a zram call (a sleeping entry lock; a bit spinlock's spin is not seen)" :
			 "not traced: no out_of_line_wait_on_bit_lock()");
	for (i = 0; i < ZSPLOCK_NLOCKS; i++)
		if (!(env.locks & 1u << i))
			snprintf(note[i], sizeof(note[0]), "not traced: not selected with -l");
	/*
	 * A note for the zspage hooks this kernel lacks; the base kernel has
	 * no try-lock writer, and scomp is absent wherever the series is.
	 */
	if (zspage) {
		const struct zsp_hook *zh[] = { &hk.store, &hk.read_begin, &hk.read_end, &hk.migrate };
		char sym[128];

		for (i = 0; i < sizeof(zh) / sizeof(zh[0]); i++)
			if (!zh[i]->mode && !zsp_ksyms_resolve(zh[i]->func, sym, sizeof(sym)))
				fprintf(stderr, "%s: note: %s: %s\n", zsp_tool_name, zh[i]->note, zh[i]->why);
	}

	zsp_test_map_entries(skel->maps.holders);
	err = zsplock_bpf__load(skel);
	if (err) {
		zsp_load_failed(err);
		goto env_fail;
	}
	if (zsp_tool_attach(skel->maps.cgroup_map, tps, 5, ZSP_HOOKS(hk)))
		goto env_fail;
	fprintf(stderr, "%s: tracing %s (%s; lock waits: %s). Ctrl-C to end.\n", zsp_tool_name,
		env.zram ? "zram reads and writes: zspage, stream and entry locks" : "zspage, ctx mutex and tree locks",
		zsp_mode_name(hk.load.mode), tps[0].on ? "tracepoints" : "not traced");

	zsp_tool_loop(report, reset, skel);
	zsp_tool_end(&k);
	zsplock_bpf__destroy(skel);
	return ZSP_EXIT_OK;

env_fail:
	zsp_tool_end(&k);
	zsplock_bpf__destroy(skel);
	return ZSP_EXIT_ENV;
}
