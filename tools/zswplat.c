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

static const char *const tool = "zswplat";
static const char *const phase_names[ZSWPLAT_NPHASES] = {
	"total", "ctx-wait", "access", "decompress",
};

static struct {
	bool per_cpu;
	bool log2;
} env;

const char *argp_program_version = "zswplat (zspreempt) 1.0";
static const char doc[] =
"Trace zswap loads (swap-ins served by zswap) and report their latency.\n"
"\n"
"For each compressor: count and p50/p90/p99/p99.9/max of the whole load and\n"
"of its phases: ctx-wait (blocked on the compression context mutex, from\n"
"the lock:contention tracepoints: 0 when it was free), access\n"
"(mapping/copying the stored object: zpool or zsmalloc map/unmap or read\n"
"begin/end) and decompress (the scomp decompressor, or crypto_comp_decompress\n"
"where zswap uses the synchronous transform). Same-filled pages are\n"
"their own row. Works on kernels with zswap_frontswap_load (<= 6.5) or\n"
"zswap_load; prefers fentry/fexit, falls back to kprobes; hooks no lock\n"
"function. Lost events (recursion, a full map) are counted and reported.\n"
"\n"
"Needs: root, CONFIG_DEBUG_INFO_BTF, CONFIG_ZSWAP, and BPF trampolines or\n"
"CONFIG_KPROBES. Exit status: 0 ok, 1 the kernel lacks what is needed,\n"
"2 usage error.\n"
"\n"
"EXAMPLES:\n"
"    zswplat -d 10          # 10 s, one report\n"
"    zswplat -i 1 -C        # every second, with per-CPU rows\n"
"    zswplat -j -d 30 -L    # JSON with log2 buckets\n";

static const struct argp_option opts[] = {
	{ "per-cpu", 'C', NULL, 0, "Also report total latency per CPU", 0 },
	{ "log2", 'L', NULL, 0, "Print log2 histograms of the total", 0 },
	{ NULL, 'h', NULL, OPTION_HIDDEN, "Show this help", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	switch (key) {
	case 'C':
		env.per_cpu = true;
		break;
	case 'L':
		env.log2 = true;
		break;
	case 'h':
		argp_state_help(state, stdout, ARGP_HELP_STD_HELP);
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static void report(struct zswplat_bpf *skel, double secs, const struct zsp_hook *hooks, int nhooks)
{
	struct zswplat_bpf__bss *bss = skel->bss;
	const struct zswplat_counts *c = &bss->counts;
	struct zsp_hist all = { 0 };
	__u64 misses = zsp_recursion_misses(skel->obj);
	FILE *f = stdout;
	int s, p, i;

	for (s = 0; s < ZSWPLAT_MAX_COMP; s++)
		zsp_hist_merge(&all, &bss->hists[s][ZSWPLAT_TOTAL]);
	if (zsp_opts.json) {
		bool first = true;

		fprintf(f, "{\"tool\": \"zswplat\", \"seconds\": %.3f, \"loads\": %llu, "
			"\"same_filled\": %llu, \"misses\": %llu, \"failures\": %llu, \"hooks\": {",
			secs, (unsigned long long)c->loads,
			(unsigned long long)bss->hists[ZSWPLAT_SLOT_SAME][ZSWPLAT_TOTAL].count,
			(unsigned long long)c->misses, (unsigned long long)c->failures);
		for (i = 0; i < nhooks; i++) {
			fprintf(f, "%s", i ? ", " : "");
			zsp_json_str(f, hooks[i].func);
			fprintf(f, ": ");
			zsp_json_str(f, zsp_mode_name(hooks[i].mode));
		}
		fprintf(f, "}, \"compressors\": [");
		for (s = 0; s < ZSWPLAT_MAX_COMP; s++) {
			if (!bss->hists[s][ZSWPLAT_TOTAL].count)
				continue;
			fprintf(f, "%s{\"name\": ", first ? "" : ", ");
			zsp_json_str(f, bss->comp_names[s]);
			fprintf(f, ", \"phases\": {");
			for (p = 0; p < ZSWPLAT_NPHASES; p++) {
				fprintf(f, "%s\"%s\": ", p ? ", " : "", phase_names[p]);
				zsp_hist_json(f, &bss->hists[s][p], p == ZSWPLAT_TOTAL);
			}
			fprintf(f, "}}");
			first = false;
		}
		fprintf(f, "], \"all\": ");
		zsp_hist_json(f, &all, true);
		if (env.per_cpu) {
			fprintf(f, ", \"cpus\": {");
			first = true;
			for (i = 0; i < ZSWPLAT_MAX_CPUS; i++) {
				if (!bss->cpu_hists[i].count)
					continue;
				fprintf(f, "%s\"%d\": ", first ? "" : ", ", i);
				zsp_hist_json(f, &bss->cpu_hists[i], false);
				first = false;
			}
			fprintf(f, "}");
		}
		fprintf(f, ", ");
		zsp_print_losses(f, tool, misses, bss->dropped);
		fprintf(f, "}\n");
		fflush(f);
		return;
	}

	fprintf(f, "zswap loads: %llu in %.1f s (same-filled %llu, not in zswap %llu, failed %llu)\n",
		(unsigned long long)c->loads, secs,
		(unsigned long long)bss->hists[ZSWPLAT_SLOT_SAME][ZSWPLAT_TOTAL].count,
		(unsigned long long)c->misses, (unsigned long long)c->failures);
	for (s = 0; s < ZSWPLAT_MAX_COMP; s++) {
		const struct zsp_hist *t = &bss->hists[s][ZSWPLAT_TOTAL];
		char comm[17] = { 0 };

		if (!t->count)
			continue;
		memcpy(comm, t->max_comm, 16);
		fprintf(f, "\ncompressor %s: %llu loads, max by %s[%u]\n", bss->comp_names[s],
			(unsigned long long)t->count, comm, t->max_pid);
		zsp_hist_print_header(f, "phase");
		for (p = 0; p < ZSWPLAT_NPHASES; p++)
			if (p == ZSWPLAT_TOTAL || bss->hists[s][p].count)
				zsp_hist_print_row(f, phase_names[p], &bss->hists[s][p]);
		if (env.log2)
			zsp_hist_print_log2(f, t, "  ");
	}
	if (all.count) {
		fprintf(f, "\nall loads:\n");
		zsp_hist_print_header(f, "");
		zsp_hist_print_row(f, "total", &all);
	}
	if (env.per_cpu) {
		fprintf(f, "\nper CPU, all compressors:\n");
		zsp_hist_print_header(f, "cpu");
		for (i = 0; i < ZSWPLAT_MAX_CPUS; i++) {
			char name[16];

			if (!bss->cpu_hists[i].count)
				continue;
			snprintf(name, sizeof(name), "cpu%d", i);
			zsp_hist_print_row(f, name, &bss->cpu_hists[i]);
		}
	}
	fprintf(f, "\n");
	fflush(f);
	zsp_print_losses(stderr, tool, misses, bss->dropped);
}

static void reset(struct zswplat_bpf *skel)
{
	skel->bss->dropped = 0;
	memset(skel->bss->hists, 0, sizeof(skel->bss->hists));
	memset(skel->bss->cpu_hists, 0, sizeof(skel->bss->cpu_hists));
	memset(&skel->bss->counts, 0, sizeof(skel->bss->counts));
}

/* Every hook by name; no lock function among them. */
struct zswplat_hooks {
	struct zsp_hook load;
	struct zsp_hook access_begin, access_end;	/* access phase */
	struct zsp_hook scomp, comp;			/* decompress phase, per compressor */
};

int main(int argc, char **argv)
{
	static const struct argp_child children[] = {
		{ &zsp_common_argp, 0, "Options common to all zspreempt tools:", 1 },
		{},
	};
	static const struct argp argp = {
		.options = opts, .parser = parse_arg, .doc = doc, .children = children,
	};
	static const char *const access_pairs[][2] = {
		{ "zpool_obj_read_begin", "zpool_obj_read_end" },
		{ "zpool_map_handle", "zpool_unmap_handle" },
		{ "zs_obj_read_begin", "zs_obj_read_end" },
		{ "zs_map_object", "zs_unmap_object" },
	};
	struct zswplat_hooks hk;
	struct zsp_hook *hooks = (struct zsp_hook *)&hk;
	int h, nhooks = sizeof(hk) / sizeof(struct zsp_hook);
	struct zsp_kernel k;
	struct zswplat_bpf *skel;
	const char *load_fn;
	struct zsp_tp cbegin, cend;
	size_t i;
	int err;

	argp_err_exit_status = ZSP_EXIT_USAGE;
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return ZSP_EXIT_USAGE;
	zsp_setup();
	if (zsp_require_root(tool))
		return ZSP_EXIT_ENV;
	if (zsp_probe_kernel(&k, tool))
		return ZSP_EXIT_ENV;

	if (zsp_kernel_has_func(&k, "zswap_load"))
		load_fn = "zswap_load";
	else if (zsp_kernel_has_func(&k, "zswap_frontswap_load"))
		load_fn = "zswap_frontswap_load";
	else {
		fprintf(stderr, "%s: zswap is not built into this kernel (no zswap_load or zswap_frontswap_load): needs CONFIG_ZSWAP=y\n", tool);
		return ZSP_EXIT_ENV;
	}

	skel = zswplat_bpf__open();
	if (!skel) {
		fprintf(stderr, "%s: cannot open the BPF object: %s\n", tool, strerror(errno));
		return ZSP_EXIT_ENV;
	}
	for (i = 0; i < sizeof(access_pairs) / sizeof(access_pairs[0]); i++) {
		char x[128], y[128];

		if (zsp_ksyms_resolve(access_pairs[i][0], x, sizeof(x)) &&
		    zsp_ksyms_resolve(access_pairs[i][1], y, sizeof(y)))
			break;
	}
	if (i == sizeof(access_pairs) / sizeof(access_pairs[0]))
		i = 0;	/* none present: the hook reports it */
	hk = (struct zswplat_hooks){
		.load = { .func = load_fn, .required = true, .why = "nothing to measure",
			  .fentry = skel->progs.fentry_load, .fexit = skel->progs.fexit_load,
			  .kprobe = skel->progs.kprobe_load, .kretprobe = skel->progs.kretprobe_load },
		.access_begin = { .func = access_pairs[i][0], .why = "no access phase",
				  .fentry = skel->progs.fentry_access, .kprobe = skel->progs.kprobe_access },
		.access_end = { .func = access_pairs[i][1], .why = "no access phase",
				.fexit = skel->progs.fexit_access_end, .kretprobe = skel->progs.kretprobe_access_end },
		.scomp = { .func = "scomp_acomp_decompress", .why = "no decompress phase and no per-compressor rows",
			   .fentry = skel->progs.fentry_decomp, .fexit = skel->progs.fexit_decomp,
			   .kprobe = skel->progs.kprobe_decomp, .kretprobe = skel->progs.kretprobe_decomp },
		.comp = { .func = "crypto_comp_decompress", .why = "synchronous-transform decompression not seen",
			  .fentry = skel->progs.fentry_comp_decomp, .fexit = skel->progs.fexit_comp_decomp,
			  .kprobe = skel->progs.kprobe_comp_decomp, .kretprobe = skel->progs.kretprobe_comp_decomp },
	};
	cbegin = (struct zsp_tp){ .name = "contention_begin", .why = "no ctx-wait phase",
				  .prog = skel->progs.contention_begin_tp };
	cend = (struct zsp_tp){ .name = "contention_end", .why = "no ctx-wait phase",
				.prog = skel->progs.contention_end_tp };
	for (h = 0; h < nhooks; h++) {
		err = zsp_hook_prepare(&hooks[h], &k, tool);
		if (err)
			goto cleanup_env;
	}
	/* Both halves of the access pair, or neither. */
	if (!hk.access_begin.mode || !hk.access_end.mode) {
		zsp_hook_disable(&hk.access_begin);
		zsp_hook_disable(&hk.access_end);
	}
	zsp_tp_pair_prepare(&cbegin, &cend, &k, true);
	if (!cbegin.on)
		fprintf(stderr, "%s: warning: %s: no ctx-wait phase\n", tool, cbegin.note);
	for (h = 1; h < nhooks; h++)
		if (hooks[h].mode == ZSP_NONE)
			fprintf(stderr, "%s: warning: %s: %s\n", tool, hooks[h].note, hooks[h].why);

	skel->rodata->targ_tgid = zsp_opts.pid;
	skel->rodata->filter_cg = zsp_opts.cgroup != NULL;
	skel->rodata->load_returns_bool = !strcmp(load_fn, "zswap_load");
	skel->rodata->have_waits = cbegin.on;
	skel->rodata->can_classify = hk.access_begin.mode != ZSP_NONE &&
				     (hk.scomp.mode != ZSP_NONE || hk.comp.mode != ZSP_NONE);

	err = zswplat_bpf__load(skel);
	if (err) {
		fprintf(stderr, "%s: cannot load the BPF programs: %s (run with -v for the verifier log)\n",
			tool, strerror(-err));
		goto cleanup_env;
	}
	strcpy(skel->bss->comp_names[ZSWPLAT_SLOT_SAME], "same-filled");
	strcpy(skel->bss->comp_names[ZSWPLAT_SLOT_UNKNOWN], "unknown");
	if (zsp_opts.cgroup && zsp_cgroup_filter(skel->maps.cgroup_map, zsp_opts.cgroup, tool))
		goto cleanup_env;
	/* Closing hooks first (zsp_common.h); the table opens before it closes. */
	if (zsp_tp_attach(&cend, tool) || zsp_tp_attach(&cbegin, tool))
		goto cleanup_env;
	for (h = nhooks; h-- > 0;) {
		if (zsp_hook_attach(&hooks[h], tool))
			goto cleanup_env;
	}
	/* On stderr even with -j, like the other tools: scripts wait for it. */
	fprintf(stderr, "%s: tracing zswap loads via", tool);
	for (h = 0; h < nhooks; h++)
		if (hooks[h].mode != ZSP_NONE)
			fprintf(stderr, "%s %s", h ? "," : "", hooks[h].note);
	if (cbegin.on)
		fprintf(stderr, ", tracepoints contention_begin/end");
	fprintf(stderr, ". Ctrl-C to end.\n");

	for (;;) {
		double secs;
		bool more = zsp_wait_report(&secs);

		report(skel, secs, hooks, nhooks);
		if (!more)
			break;
		reset(skel);
	}
	zsp_hooks_destroy();
	zswplat_bpf__destroy(skel);
	btf__free(k.btf);
	return ZSP_EXIT_OK;

cleanup_env:
	zsp_hooks_destroy();
	zswplat_bpf__destroy(skel);
	btf__free(k.btf);
	return ZSP_EXIT_ENV;
}
