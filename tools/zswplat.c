// SPDX-License-Identifier: GPL-2.0
/*
 * zswplat: zswap load (swap-in) latency, per compressor, with its phases:
 * waiting for the compression context, accessing the stored object, and
 * decompressing it. Fine-grained histograms give p50/p90/p99/p99.9 within 5%
 * of the true value; the max is exact.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "zsp_common.h"
#include "zswplat.h"
#include "zswplat.skel.h"

static const char *phase_names[ZSWPLAT_NPHASES] = {
	"total", "ctx-wait", "access", "decompress", "entry-lock",
};

static struct {
	bool per_cpu;
	bool log2;
	bool access;
	bool zram;	/* -Z: zram page reads (or writes, -W), not zswap loads */
	bool write;
} env;

/* What one operation is called in the report: "zswap loads", "zram reads", ... */
static const char *op_label = "zswap loads";

static const char doc[] =
"Trace zswap loads (swap-ins served by zswap) and report their latency.\n"
"\n"
"For each compressor: count and p50/p90/p99/p99.9/max of the whole load and\n"
"of its phases: ctx-wait (blocked on the compression context mutex, from\n"
"the lock:contention tracepoints: 0 when it was free) and decompress (the\n"
"scomp decompressor, or crypto_comp_decompress where zswap uses the\n"
"synchronous transform); with -A also access (mapping/copying the stored\n"
"object: zpool or zsmalloc map/unmap or read begin/end), which costs two\n"
"more programs per load. Same-filled pages are their own row (without -A,\n"
"so is a load that an asynchronous driver decompressed, unseen). Works on\n"
"kernels with zswap_frontswap_load (<= 6.5) or zswap_load; prefers\n"
"fentry/fexit, falls back to kprobes; hooks no lock function. Lost events\n"
"(recursion, no room to record) are counted and reported.\n"
"\n"
"With -Z, zram page reads (swap-ins from zram; -W: writes) instead: through\n"
"zram_rw_page (6.1, its op filtered: pages swap moves), zram_read_page/\n"
"zram_write_page (6.3 on: every page), or zram_submit_bio by its bio's op\n"
"where those two are inlined (every bio). Phases: stream-wait (the first\n"
"sleeping lock it waits for: the per-CPU compression stream's mutex or\n"
"rt_mutex, where it is one), entry-lock (zram_slot_lock, where it is a\n"
"function: a sleeping entry lock; a bit spinlock is inlined and its spin\n"
"stays in the total), access (always on: it tells a huge page, stored\n"
"uncompressed, from a same-filled one) and decompress (-W: compress).\n"
"\n"
"Needs: root, CONFIG_DEBUG_INFO_BTF, CONFIG_ZSWAP (-Z: CONFIG_ZRAM), and BPF trampolines or\n"
"CONFIG_KPROBES. Exit status: 0 ok, 1 the kernel lacks what is needed,\n"
"2 usage error.\n"
"\n"
"EXAMPLES:\n"
"    zswplat -d 10          # 10 s, one report\n"
"    zswplat -i 1 -C        # every second, with per-CPU rows\n"
"    zswplat -A -d 10       # also the object-access phase\n"
"    zswplat -j -d 30 -L    # JSON with log2 buckets\n"
"    zswplat -Z -d 10       # zram reads (swap-ins from zram)\n"
"    zswplat -Z -W -d 10    # zram writes\n";

static const struct argp_option opts[] = {
	{ "per-cpu", 'C', NULL, 0, "Also report total latency per CPU (a row each for cpu0..cpu15; loads on higher CPUs counted apart)", 0 },
	{ "access", 'A', NULL, 0, "Also time the object-access phase (two more hooks per load)", 0 },
	{ "log2", 'L', NULL, 0, "Print log2 histograms of the total", 0 },
	{ "zram", 'Z', NULL, 0, "Trace zram page reads instead of zswap loads", 0 },
	{ "write", 'W', NULL, 0, "With -Z: trace zram page writes, and their compression", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'C':
		env.per_cpu = true;
		break;
	case 'L':
		env.log2 = true;
		break;
	case 'A':
		env.access = true;
		break;
	case 'Z':
		env.zram = true;
		break;
	case 'W':
		env.write = true;
		break;
	case ARGP_KEY_END:
		if (env.write && !env.zram)
			argp_error(state, "-W (zram writes) needs -Z");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* Every hook by name; no lock function among them. */
struct zswplat_hooks {
	struct zsp_hook load;
	struct zsp_hook access_begin, access_end;	/* access phase */
	struct zsp_hook scomp, comp;			/* decompress phase, per compressor */
	struct zsp_hook zcomp;				/* -Z from 6.12: zram's backends */
	struct zsp_hook entry_lock;			/* -Z: zram_slot_lock() */
};

static struct zswplat_hooks hk;

static void report(void *ctx, double secs)
{
	struct zswplat_bpf *skel = ctx;
	struct zswplat_bpf__bss *bss = skel->bss;
	const struct zswplat_counts *c = &bss->counts;
	struct zsp_res *r = zsp_res_root(secs), *o, *comps;
	struct zsp_hist all = { 0 };
	char name[32];
	int s, p, i;

	for (s = 0; s < ZSWPLAT_MAX_COMP; s++)
		zsp_hist_merge(&all, &bss->hists[s][ZSWPLAT_TOTAL]);
	zsp_res_str(r, "traced", NULL, op_label);
	zsp_res_u64(r, "loads", op_label, c->loads);
	zsp_res_u64(r, "same_filled", "of which same-filled",
		    bss->hists[ZSWPLAT_SLOT_SAME][ZSWPLAT_TOTAL].count);
	zsp_res_u64(r, "misses", env.zram ? NULL : "not in zswap", c->misses);
	zsp_res_u64(r, "failures", "failed", c->failures);
	zsp_hooks_res(r, "hooks", ZSP_HOOKS(hk));
	comps = zsp_res_arr(r, "compressors", "");
	for (s = 0; s < ZSWPLAT_MAX_COMP; s++) {
		const struct zsp_hist *t = &bss->hists[s][ZSWPLAT_TOTAL];
		char comm[17] = { 0 };

		if (!t->count)
			continue;
		snprintf(name, sizeof(name), "compressor %s", bss->comp_names[s]);
		o = zsp_res_obj(comps, NULL, name);
		zsp_res_str(o, "name", NULL, bss->comp_names[s]);
		/* In text, the phases this kernel went through. */
		o = zsp_res_obj(o, "phases", "");
		for (p = 0; p < ZSWPLAT_NPHASES; p++)
			zsp_res_hist(o, phase_names[p],
				     p == ZSWPLAT_TOTAL || bss->hists[s][p].count ? phase_names[p] : NULL,
				     &bss->hists[s][p],
				     p == ZSWPLAT_TOTAL ? ZSP_RES_LOG2 | (env.log2 ? ZSP_RES_LOG2_TEXT : 0) : 0);
		memcpy(comm, t->max_comm, 16);
		zsp_res_note(o, "longest by %s[%u]", comm, t->max_pid);
	}
	/* A heading in text only where there is a row under it. */
	zsp_res_hist(all.count ? zsp_res_obj(r, NULL, env.zram ? "all" : "all loads") : r, "all",
		     all.count ? "total" : NULL, &all, ZSP_RES_LOG2);
	if (env.per_cpu) {
		o = zsp_res_obj(r, "cpus", "per CPU, all compressors");
		for (i = 0; i < ZSWPLAT_MAX_CPUS; i++) {
			char key[8];

			if (!bss->cpu_hists[i].count)
				continue;
			snprintf(key, sizeof(key), "%d", i);
			snprintf(name, sizeof(name), "cpu%d", i);
			zsp_res_hist(o, key, name, &bss->cpu_hists[i], 0);
		}
		snprintf(name, sizeof(name), "loads above cpu%d (no row)", ZSWPLAT_MAX_CPUS - 1);
		zsp_res_u64(r, "cpu_beyond", c->cpu_beyond ? name : NULL, c->cpu_beyond);
	}
	zsp_res_print(r, zsp_recursion_misses(skel->obj), bss->dropped);
}

static void reset(void *ctx)
{
	struct zswplat_bpf *skel = ctx;

	skel->bss->dropped = 0;
	memset(skel->bss->hists, 0, sizeof(skel->bss->hists));
	memset(skel->bss->cpu_hists, 0, sizeof(skel->bss->cpu_hists));
	memset(&skel->bss->counts, 0, sizeof(skel->bss->counts));
}

int main(int argc, char **argv)
{
	static const struct zsp_tool zt = {
		.name = "zswplat", .doc = doc, .options = opts, .parse = parse_arg,
	};
	/*
	 * The object access pair: zswap's goes through zpool, zram calls
	 * zsmalloc itself (the object API with the series, the mapping
	 * before it). The first pair this kernel has, in its user's list.
	 */
	static const char *const zswap_pairs[][2] = {
		{ "zpool_obj_read_begin", "zpool_obj_read_end" },
		{ "zpool_map_handle", "zpool_unmap_handle" },
		{ NULL, NULL },
	};
	static const char *const zram_pairs[][2] = {
		{ "zs_obj_read_begin", "zs_obj_read_end" },
		{ "zs_map_object", "zs_unmap_object" },
		{ NULL, NULL },
	};
	const char *const (*access_pairs)[2];
	struct zsp_tp tps[2];	/* contention_begin, contention_end */
	struct zswplat_bpf *skel;
	struct zsp_zram_fns zf = { 0 };
	struct zsp_kernel k;
	const char *load_fn;
	size_t i;
	int err;

	err = zsp_tool_start(&zt, argc, argv, &k);
	if (err)
		return err;
	if (env.zram) {
		if (zsp_zram_fns(&k, &zf)) {
			zsp_tool_end(&k);
			return ZSP_EXIT_ENV;
		}
		load_fn = env.write ? zf.write : zf.read;
		op_label = env.write ? "zram writes" : "zram reads";
		phase_names[ZSWPLAT_CTX] = "stream-wait";
		if (env.write)
			phase_names[ZSWPLAT_DECOMP] = "compress";
		/* Only the access phase tells a huge page from a same-filled one. */
		env.access = true;
	} else {
		load_fn = zsp_zswap_load_fn(&k);
	}
	if (!load_fn) {
		zsp_tool_end(&k);
		return ZSP_EXIT_ENV;
	}

	skel = zswplat_bpf__open();
	if (!skel) {
		zsp_tool_end(&k);
		return zsp_open_failed();
	}
	access_pairs = env.zram ? zram_pairs : zswap_pairs;
	for (i = 0; access_pairs[i][0]; i++) {
		char x[128], y[128];

		if (zsp_ksyms_resolve(access_pairs[i][0], x, sizeof(x)) &&
		    zsp_ksyms_resolve(access_pairs[i][1], y, sizeof(y)))
			break;
	}
	if (!access_pairs[i][0])
		i = 0;	/* none present: the hook reports it */
	hk = (struct zswplat_hooks){
		.load = ZSP_HOOK_INOUT(skel, load_fn, load, "nothing to measure"),
		.access_begin = ZSP_HOOK_IN(skel, access_pairs[i][0], access, "no access phase"),
		.access_end = ZSP_HOOK_OUT(skel, access_pairs[i][1], access_end, "no access phase"),
		.scomp = ZSP_HOOK_INOUT(skel, "scomp_acomp_decompress", decomp,
					"no decompress phase and no per-compressor rows"),
		.comp = ZSP_HOOK_INOUT(skel, env.write ? "crypto_comp_compress" : "crypto_comp_decompress",
				       comp_decomp, "synchronous-transform (de)compression not seen"),
		.zcomp = ZSP_HOOK_INOUT(skel, env.write ? "zcomp_compress" : "zcomp_decompress",
					zcomp_decomp, "zram's backend (de)compression not seen"),
		.entry_lock = ZSP_HOOK_INOUT(skel, "zram_slot_lock", entry_lock,
					     "no entry-lock phase (a bit spinlock, inlined)"),
	};
	hk.load.required = true;
	hk.entry_lock.unwanted = !env.zram;
	/* zram has no scomp user, and from 6.12 no crypto API user at all. */
	hk.scomp.unwanted = env.zram;
	hk.comp.unwanted = env.zram && zf.backends;
	hk.zcomp.unwanted = !env.zram || !zf.backends;
	/*
	 * 6.1's zram_rw_page() and 6.12's zram_submit_bio(): one function for
	 * reads and writes, whose entry program of its own reads the op.
	 */
	bpf_program__set_autoload(skel->progs.fentry_zram_rw, false);
	bpf_program__set_autoload(skel->progs.kprobe_zram_rw, false);
	bpf_program__set_autoload(skel->progs.fentry_zram_bio, false);
	bpf_program__set_autoload(skel->progs.kprobe_zram_bio, false);
	if (env.zram && zf.by_op) {
		bpf_program__set_autoload(skel->progs.fentry_load, false);
		bpf_program__set_autoload(skel->progs.kprobe_load, false);
		hk.load.fentry = zf.by_bio ? skel->progs.fentry_zram_bio : skel->progs.fentry_zram_rw;
		hk.load.kprobe = zf.by_bio ? skel->progs.kprobe_zram_bio : skel->progs.kprobe_zram_rw;
		skel->rodata->zram_op = env.write ? 1 : 0;	/* REQ_OP_WRITE : REQ_OP_READ */
		skel->rodata->load_void = zf.by_bio;
	}
	/*
	 * The access pair is two of the six programs a load runs: with
	 * bpf_stats under icount they took 416 of the 1787 ns of program time
	 * per load, and the tool's cost rose from 3.4% to 4.0% (series, lzo):
	 * opt-in, to keep the default well inside 5%.
	 */
	hk.access_begin.unwanted = hk.access_end.unwanted = !env.access;
	tps[0] = ZSP_TP(skel, contention_begin, "no ctx-wait phase");
	tps[1] = ZSP_TP(skel, contention_end, "no ctx-wait phase");
	if (zsp_hooks_prepare(ZSP_HOOKS(hk), &k))
		goto env_fail;
	/* Both halves of the access pair, or neither. */
	if (!hk.access_begin.mode || !hk.access_end.mode) {
		zsp_hook_disable(&hk.access_begin);
		zsp_hook_disable(&hk.access_end);
	}
	zsp_tp_pair_prepare(&tps[0], &tps[1], &k, true);
	if (!tps[0].on)
		fprintf(stderr, "%s: warning: %s: no ctx-wait phase\n", zsp_tool_name, tps[0].note);
	zsp_hooks_warn(ZSP_HOOKS(hk));

	skel->rodata->targ_tgid = zsp_opts.pid;
	skel->rodata->filter_cg = zsp_opts.cgroup != NULL;
	/* zswap_load() returns bool; the others 0 or an error. */
	skel->rodata->load_returns_bool = !strcmp(load_fn, "zswap_load");
	skel->rodata->per_cpu = env.per_cpu;
	if (env.per_cpu && libbpf_num_possible_cpus() > ZSWPLAT_MAX_CPUS)
		fprintf(stderr, "%s: warning: -C: %d possible CPUs, rows for cpu0..cpu%d only; loads on the others are counted apart\n",
			zsp_tool_name, libbpf_num_possible_cpus(), ZSWPLAT_MAX_CPUS - 1);
	skel->rodata->have_waits = tps[0].on;
	skel->rodata->can_classify = hk.scomp.mode != ZSP_NONE || hk.comp.mode != ZSP_NONE ||
				     hk.zcomp.mode != ZSP_NONE;

	err = zswplat_bpf__load(skel);
	if (err) {
		zsp_load_failed(err);
		goto env_fail;
	}
	strcpy(skel->bss->comp_names[ZSWPLAT_SLOT_SAME], "same-filled");
	/* A zram read that accessed its object and decompressed nothing: a huge page. */
	strcpy(skel->bss->comp_names[ZSWPLAT_SLOT_UNKNOWN],
	       env.zram && !env.write ? "huge" : "unknown");
	if (zsp_tool_attach(skel->maps.cgroup_map, tps, 2, ZSP_HOOKS(hk)))
		goto env_fail;
	/* On stderr even with -j, like the other tools: scripts wait for it. */
	fprintf(stderr, "%s: tracing %s via ", zsp_tool_name, op_label);
	zsp_hooks_describe(stderr, ZSP_HOOKS(hk));
	if (tps[0].on)
		fprintf(stderr, ", tracepoints contention_begin/end");
	fprintf(stderr, ". Ctrl-C to end.\n");

	zsp_tool_loop(report, reset, skel);
	zsp_tool_end(&k);
	zswplat_bpf__destroy(skel);
	return ZSP_EXIT_OK;

env_fail:
	zsp_tool_end(&k);
	zswplat_bpf__destroy(skel);
	return ZSP_EXIT_ENV;
}
