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


static struct {
	bool fail;
	int max_stacks;
} env = { .max_stacks = 20 };

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
"events were seen or dropped (recorded nowhere for want of room).\n"
"Recursion misses are checks that did not run (the program was busy on\n"
"that CPU), nearly always of calls that were no event: reported, not\n"
"failed on.\n"
"\n"
"EXAMPLES:\n"
"    zspsleep -d 60 --fail   # CI: non-zero if anything was seen\n"
"    zspsleep -j             # JSON at Ctrl-C\n";

enum { OPT_FAIL = 0x100 };

static const struct argp_option opts[] = {
	{ "fail", OPT_FAIL, NULL, 0, "Exit 3 if any event was seen or dropped", 0 },
	{ "stacks", 's', "N", 0, "Show at most N stacks per report (default 20)", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_FAIL:
		env.fail = true;
		break;
	case 's':
		env.max_stacks = zsp_parse_int(arg, "number of stacks", 1, state);
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


static const char *type_name(__u32 t)
{
	return t == ZSPSLEEP_MIGHT_SLEEP ? "might-sleep" : "sched-atomic";
}

/* A flag the BPF side may not have been able to read (-1). */
static const char *flag(int v, char *buf, size_t len)
{
	if (v < 0)
		return "?";
	snprintf(buf, len, "%d", v);
	return buf;
}

/* For --fail: events reported since the start. */
static __u64 seen;

static void report(void *ctx, double secs)
{
	struct zspsleep_bpf *skel = ctx;
	/* Symbols at report time: modules loaded meanwhile resolve. */
	struct zsp_ksyms *ks = zsp_ksyms_load();
	struct zsp_res *r = zsp_res_root(secs), *a, *o;
	__u64 total = 0;
	size_t n, i;
	struct ev *evs = ZSP_MAP_DUMP(skel->maps.events, struct ev, &n);

	for (i = 0; i < n; i++)
		total += evs[i].val.count;
	zsp_sort_desc(evs, n, sizeof(*evs), offsetof(struct ev, val.count));

	zsp_res_u64(r, "events", NULL, total);
	zsp_res_note(r, "%llu atomic-context event(s) in %.1f s, %zu distinct stack(s)",
		     (unsigned long long)total, secs, n);
	a = zsp_res_arr(r, "stacks", "");
	for (i = 0; i < n && (int)i < env.max_stacks; i++) {
		struct zspsleep_val *v = &evs[i].val;
		bool ms = evs[i].key.type == ZSPSLEEP_MIGHT_SLEEP;
		char comm[17] = { 0 }, head[512], at[320] = "", f1[12], f2[12];

		memcpy(comm, v->comm, 16);
		if (ms)
			snprintf(at, sizeof(at), " rcu_depth %d at %s:%d (allowed preempt offset %u)",
				 v->rcu_depth, v->file, v->line, v->expected & 0xff);
		snprintf(head, sizeof(head), "%s x%llu: last %s[%u] cpu %u preempt_count %s irqs_disabled %s%s",
			 type_name(evs[i].key.type), (unsigned long long)v->count, comm, v->pid,
			 v->cpu, flag(v->preempt_count, f1, sizeof(f1)),
			 flag(v->irqs_disabled, f2, sizeof(f2)), at);
		o = zsp_res_obj(a, NULL, head);
		zsp_res_str(o, "type", NULL, type_name(evs[i].key.type));
		zsp_res_u64(o, "count", NULL, v->count);
		zsp_res_u64(o, "pid", NULL, v->pid);
		zsp_res_u64(o, "tgid", NULL, v->tgid);
		zsp_res_str(o, "comm", NULL, comm);
		zsp_res_u64(o, "cpu", NULL, v->cpu);
		zsp_res_num(o, "preempt_count", NULL, "%.0f", v->preempt_count);
		zsp_res_num(o, "rcu_depth", NULL, "%.0f", v->rcu_depth);
		zsp_res_num(o, "irqs_disabled", NULL, "%.0f", v->irqs_disabled);
		if (ms) {
			zsp_res_str(o, "file", NULL, v->file);
			zsp_res_num(o, "line", NULL, "%.0f", v->line);
			zsp_res_u64(o, "allowed_offsets", NULL, v->expected);
		}
		zsp_res_stack(o, "stack", ks, skel->maps.stacks, evs[i].key.stackid);
	}
	zsp_res_print(r, zsp_recursion_misses(skel->obj), skel->bss->dropped);
	free(evs);
	zsp_ksyms_free(ks);
	seen += total;
}

static void reset(void *ctx)
{
	struct zspsleep_bpf *skel = ctx;

	zsp_map_clear(skel->maps.events);
}

int main(int argc, char **argv)
{
	static const struct zsp_tool zt = {
		.name = "zspsleep", .doc = doc, .options = opts, .parse = parse_arg,
	};
	struct {
		struct zsp_hook might, sched;
	} hk;
	struct zspsleep_bpf *skel;
	struct zsp_kernel k;
	bool found;
	int err;

	err = zsp_tool_start(&zt, argc, argv, &k);
	if (err)
		return err;
	/* Without it every check below would pass silently. */
	if (!zsp_have_preempt_count()) {
		fprintf(stderr, "%s: cannot read preempt_count on this kernel (neither __preempt_count nor pcpu_hot in /proc/kallsyms)\n", zsp_tool_name);
		zsp_tool_end(&k);
		return ZSP_EXIT_ENV;
	}
	skel = zspsleep_bpf__open();
	if (!skel) {
		zsp_tool_end(&k);
		return zsp_open_failed();
	}
	hk.might = (struct zsp_hook){
		.func = "__might_resched", .why = "might-sleep checks need CONFIG_DEBUG_ATOMIC_SLEEP=y",
		.fentry = skel->progs.fentry_might_resched,
	};
	hk.sched = ZSP_HOOK_IN(skel, "__schedule_bug", schedule_bug,
			       "scheduling-while-atomic events are not seen");
	if (zsp_hooks_prepare(ZSP_HOOKS(hk), &k))
		goto env_fail;
	/* The might-sleep check has no kprobe variant: its preempt count is exact only in a trampoline. */
	if (hk.might.mode == ZSP_KPROBE)
		zsp_hook_disable(&hk.might);
	if (hk.might.mode == ZSP_NONE)
		fprintf(stderr, "%s: warning: no might-sleep checks: %s\n", zsp_tool_name,
			!zsp_kernel_has_func(&k, "__might_resched") ? hk.might.why :
			zsp_opts.kprobes ? "they need a BPF trampoline (fentry), and -K asks for kprobes" :
			"they need BPF trampolines (fentry), which this kernel lacks");
	if (hk.sched.mode == ZSP_NONE)
		fprintf(stderr, "%s: warning: %s: %s\n", zsp_tool_name, hk.sched.note, hk.sched.why);
	if (hk.might.mode == ZSP_NONE && hk.sched.mode == ZSP_NONE) {
		fprintf(stderr, "%s: nothing to trace on this kernel\n", zsp_tool_name);
		goto env_fail;
	}
	skel->rodata->targ_tgid = zsp_opts.pid;
	skel->rodata->filter_cg = zsp_opts.cgroup != NULL;
	zsp_test_map_entries(skel->maps.events);
	err = zspsleep_bpf__load(skel);
	if (err) {
		zsp_load_failed(err);
		goto env_fail;
	}
	if (zsp_tool_attach(skel->maps.cgroup_map, NULL, 0, ZSP_HOOKS(hk)))
		goto env_fail;
	fprintf(stderr, "%s: watching%s%s%s. Ctrl-C to end.\n", zsp_tool_name,
		hk.might.mode != ZSP_NONE ? " might-sleep checks (" : "",
		hk.might.mode != ZSP_NONE ? hk.might.note : "",
		hk.might.mode != ZSP_NONE ? ")" : "");
	fprintf(stderr, "%s: and scheduling while atomic (%s)\n", zsp_tool_name,
		hk.sched.mode != ZSP_NONE ? hk.sched.note : "unavailable");

	zsp_tool_loop(report, reset, skel);
	/* The BPF side's drop count runs from the start, as seen does. */
	found = seen || skel->bss->dropped;
	zsp_tool_end(&k);
	zspsleep_bpf__destroy(skel);
	return env.fail && found ? ZSP_EXIT_FOUND : ZSP_EXIT_OK;

env_fail:
	zsp_tool_end(&k);
	zspsleep_bpf__destroy(skel);
	return ZSP_EXIT_ENV;
}
