// SPDX-License-Identifier: GPL-2.0
/*
 * zspsleep: report every "might sleep in atomic context" and every
 * "scheduling while atomic", aggregated by kernel stack.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "zsp_common.h"
#include "zspsleep.h"
#include "zspsleep.skel.h"

static const char *const tool = "zspsleep";

static struct {
	bool fail;
	int max_stacks;
} env = { .max_stacks = 20 };

const char *argp_program_version = "zspsleep (zspreempt) 1.0";
static const char doc[] =
"Report sleeping and scheduling in atomic context, every occurrence, with\n"
"task, CPU, preempt count, irqs-disabled flag and kernel stack, grouped by\n"
"stack.\n"
"\n"
"might-sleep events come from the kernel's own check in __might_resched(),\n"
"which exists only with CONFIG_DEBUG_ATOMIC_SLEEP=y; the kernel prints at\n"
"most one such report a second, this tool counts all of them. The\n"
"irqs-disabled flag needs lockdep's irq tracking (CONFIG_PROVE_LOCKING or\n"
"CONFIG_TRACE_IRQFLAGS); without it the flag shows '?'. sched-atomic events\n"
"(__schedule_bug, 'scheduling while atomic') are seen on any kernel.\n"
"\n"
"Needs: root, CONFIG_DEBUG_INFO_BTF, and BPF trampolines (fentry) for the\n"
"might-sleep check or CONFIG_KPROBES for sched-atomic alone. Exit status:\n"
"0 ok, 1 the kernel lacks what is needed, 2 usage error, 3 --fail and\n"
"events were seen.\n"
"\n"
"EXAMPLES:\n"
"    zspsleep -d 60 --fail   # CI: non-zero if anything was seen\n"
"    zspsleep -j             # JSON at Ctrl-C\n";

enum { OPT_FAIL = 0x100 };

static const struct argp_option opts[] = {
	{ "fail", OPT_FAIL, NULL, 0, "Exit 3 if any event was seen", 0 },
	{ "stacks", 's', "N", 0, "Show at most N stacks per report (default 20)", 0 },
	{ NULL, 'h', NULL, OPTION_HIDDEN, "Show this help", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	char *end;

	switch (key) {
	case OPT_FAIL:
		env.fail = true;
		break;
	case 's':
		env.max_stacks = strtol(arg, &end, 10);
		if (*end || env.max_stacks < 1)
			argp_error(state, "invalid number of stacks: '%s'", arg);
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

struct ev {
	struct zspsleep_key key;
	struct zspsleep_val val;
};

static int cmp_count(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;

	return x->val.count < y->val.count ? 1 : x->val.count > y->val.count ? -1 : 0;
}

static const char *type_name(__u32 t)
{
	return t == ZSPSLEEP_MIGHT_SLEEP ? "might-sleep" : "sched-atomic";
}

static void flag(FILE *f, int v)
{
	if (v < 0)
		fprintf(f, "?");
	else
		fprintf(f, "%d", v);
}

static __u64 report(struct zspsleep_bpf *skel, struct zsp_ksyms *ks, double secs)
{
	int emap = bpf_map__fd(skel->maps.events), smap = bpf_map__fd(skel->maps.stacks);
	struct zspsleep_key key, next, *prev = NULL;
	struct ev *evs = NULL;
	size_t n = 0, cap = 0;
	__u64 total = 0, ips[127];
	FILE *f = stdout;
	char sym[256];

	while (!bpf_map_get_next_key(emap, prev, &next)) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			evs = realloc(evs, cap * sizeof(*evs));
			if (!evs)
				return 0;
		}
		if (!bpf_map_lookup_elem(emap, &next, &evs[n].val)) {
			evs[n].key = next;
			total += evs[n].val.count;
			n++;
		}
		key = next;
		prev = &key;
	}
	qsort(evs, n, sizeof(*evs), cmp_count);

	if (zsp_opts.json)
		fprintf(f, "{\"tool\": \"zspsleep\", \"seconds\": %.3f, \"events\": %llu, \"stacks\": [",
			secs, (unsigned long long)total);
	else
		fprintf(f, "%llu atomic-context event(s) in %.1f s, %zu distinct stack(s)\n",
			(unsigned long long)total, secs, n);
	for (size_t i = 0; i < n && (int)i < env.max_stacks; i++) {
		struct zspsleep_val *v = &evs[i].val;
		int depth = 0, first;
		char comm[17] = { 0 };

		memcpy(comm, v->comm, 16);
		memset(ips, 0, sizeof(ips));
		if (evs[i].key.stackid >= 0 &&
		    !bpf_map_lookup_elem(smap, &evs[i].key.stackid, ips))
			while (depth < 127 && ips[depth])
				depth++;
		first = zsp_stack_start(ks, ips, depth);
		if (zsp_opts.json) {
			fprintf(f, "%s{\"type\": \"%s\", \"count\": %llu, \"pid\": %u, \"tgid\": %u, \"comm\": ",
				i ? ", " : "", type_name(evs[i].key.type),
				(unsigned long long)v->count, v->pid, v->tgid);
			zsp_json_str(f, comm);
			fprintf(f, ", \"cpu\": %u, \"preempt_count\": %d, \"rcu_depth\": %d, \"irqs_disabled\": %d",
				v->cpu, v->preempt_count, v->rcu_depth, v->irqs_disabled);
			if (evs[i].key.type == ZSPSLEEP_MIGHT_SLEEP) {
				fprintf(f, ", \"file\": ");
				zsp_json_str(f, v->file);
				fprintf(f, ", \"line\": %d, \"allowed_offsets\": %u", v->line, v->expected);
			}
			fprintf(f, ", \"stack\": [");
			for (int d = first; d < depth; d++) {
				fprintf(f, "%s", d > first ? ", " : "");
				zsp_json_str(f, zsp_ksym_name(ks, ips[d], sym, sizeof(sym)));
			}
			fprintf(f, "]}");
			continue;
		}
		fprintf(f, "\n%s x%llu: last %s[%u] cpu %u preempt_count ", type_name(evs[i].key.type),
			(unsigned long long)v->count, comm, v->pid, v->cpu);
		flag(f, v->preempt_count);
		fprintf(f, " irqs_disabled ");
		flag(f, v->irqs_disabled);
		if (evs[i].key.type == ZSPSLEEP_MIGHT_SLEEP)
			fprintf(f, " rcu_depth %d at %s:%d (allowed preempt offset %u)", v->rcu_depth,
				v->file, v->line, v->expected & 0xff);
		fprintf(f, "\n");
		if (!depth)
			fprintf(f, "    [stack unavailable]\n");
		for (int d = first; d < depth; d++)
			fprintf(f, "    %s\n", zsp_ksym_name(ks, ips[d], sym, sizeof(sym)));
	}
	if (zsp_opts.json) {
		fprintf(f, "], ");
		zsp_print_losses(f, tool, zsp_recursion_misses(skel->obj), skel->bss->dropped);
		fprintf(f, "}\n");
	} else {
		zsp_print_losses(stderr, tool, zsp_recursion_misses(skel->obj), skel->bss->dropped);
	}
	fflush(f);
	free(evs);
	return total;
}

static void reset(struct zspsleep_bpf *skel)
{
	int emap = bpf_map__fd(skel->maps.events);
	struct zspsleep_key key;

	while (!bpf_map_get_next_key(emap, NULL, &key))
		bpf_map_delete_elem(emap, &key);
}

int main(int argc, char **argv)
{
	static const struct argp_child children[] = {
		{ &zsp_common_argp, 0, "Options common to all zspreempt tools:", 1 },
		{},
	};
	static const struct argp argp = {
		.options = opts, .parser = parse_arg, .doc = doc, .children = children,
	};
	struct zsp_hook might, sched;
	struct zspsleep_bpf *skel;
	struct zsp_ksyms *ks;
	struct zsp_kernel k;
	__u64 seen = 0;
	int err;

	argp_err_exit_status = ZSP_EXIT_USAGE;
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return ZSP_EXIT_USAGE;
	zsp_setup();
	if (zsp_require_root(tool))
		return ZSP_EXIT_ENV;
	if (zsp_probe_kernel(&k, tool))
		return ZSP_EXIT_ENV;
	/* Without it every check below would pass silently. */
	if (!zsp_have_preempt_count()) {
		fprintf(stderr, "%s: cannot read preempt_count on this kernel (neither __preempt_count nor pcpu_hot in /proc/kallsyms)\n", tool);
		return ZSP_EXIT_ENV;
	}
	skel = zspsleep_bpf__open();
	if (!skel) {
		fprintf(stderr, "%s: cannot open the BPF object: %s\n", tool, strerror(errno));
		return ZSP_EXIT_ENV;
	}
	might = (struct zsp_hook){
		.func = "__might_resched", .why = "might-sleep checks need CONFIG_DEBUG_ATOMIC_SLEEP=y",
		.fentry = skel->progs.fentry_might_resched,
	};
	sched = (struct zsp_hook){
		.func = "__schedule_bug", .why = "scheduling-while-atomic events are not seen",
		.fentry = skel->progs.fentry_schedule_bug, .kprobe = skel->progs.kprobe_schedule_bug,
	};
	if (zsp_hook_prepare(&might, &k, tool) || zsp_hook_prepare(&sched, &k, tool))
		goto env_fail;
	/* The might-sleep check has no kprobe variant: its preempt count is exact only in a trampoline. */
	if (might.mode == ZSP_KPROBE)
		zsp_hook_disable(&might);
	if (might.mode == ZSP_NONE)
		fprintf(stderr, "%s: warning: no might-sleep checks: %s\n", tool,
			zsp_kernel_has_func(&k, "__might_resched") ?
			"they need BPF trampolines (fentry), which this kernel lacks" : might.why);
	if (sched.mode == ZSP_NONE)
		fprintf(stderr, "%s: warning: %s: %s\n", tool, sched.note, sched.why);
	if (might.mode == ZSP_NONE && sched.mode == ZSP_NONE) {
		fprintf(stderr, "%s: nothing to trace on this kernel\n", tool);
		goto env_fail;
	}
	skel->rodata->targ_tgid = zsp_opts.pid;
	skel->rodata->filter_cg = zsp_opts.cgroup != NULL;
	err = zspsleep_bpf__load(skel);
	if (err) {
		fprintf(stderr, "%s: cannot load the BPF programs: %s (run with -v for the verifier log)\n",
			tool, strerror(-err));
		goto env_fail;
	}
	if (zsp_opts.cgroup && zsp_cgroup_filter(skel->maps.cgroup_map, zsp_opts.cgroup, tool))
		goto env_fail;
	if (zsp_hook_attach(&might, tool) || zsp_hook_attach(&sched, tool))
		goto env_fail;
	fprintf(stderr, "%s: watching%s%s%s. Ctrl-C to end.\n", tool,
		might.mode != ZSP_NONE ? " might-sleep checks (" : "",
		might.mode != ZSP_NONE ? might.note : "",
		might.mode != ZSP_NONE ? ")" : "");
	fprintf(stderr, "%s: and scheduling while atomic (%s)\n", tool,
		sched.mode != ZSP_NONE ? sched.note : "unavailable");

	for (;;) {
		double secs;
		bool more = zsp_wait_report(&secs);

		/* Load symbols at report time: modules loaded meanwhile resolve. */
		ks = zsp_ksyms_load();
		seen += report(skel, ks, secs);
		zsp_ksyms_free(ks);
		if (!more)
			break;
		reset(skel);
	}
	zsp_hooks_destroy();
	zspsleep_bpf__destroy(skel);
	btf__free(k.btf);
	return env.fail && seen ? ZSP_EXIT_FOUND : ZSP_EXIT_OK;

env_fail:
	zsp_hooks_destroy();
	zspsleep_bpf__destroy(skel);
	btf__free(k.btf);
	return ZSP_EXIT_ENV;
}
