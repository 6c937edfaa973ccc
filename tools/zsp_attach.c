// SPDX-License-Identifier: GPL-2.0
/* What the kernel offers, and attaching the tools' hooks and tracepoints. See zsp_common.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include "zsp_common.h"

/* ---- kernel capabilities ---- */

static int probe_fentry(const struct btf *btf, const char *func)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY);
	int id, prog, link;

	id = btf__find_by_name_kind(btf, func, BTF_KIND_FUNC);
	if (id <= 0)
		return -ENOENT;
	opts.attach_btf_id = id;
	prog = bpf_prog_load(BPF_PROG_TYPE_TRACING, "zsp_probe", "GPL", insns, 2, &opts);
	if (prog < 0)
		return -errno;
	link = bpf_raw_tracepoint_open(NULL, prog);
	if (link < 0) {
		int err = -errno;

		close(prog);
		return err;
	}
	close(link);
	close(prog);
	return 0;
}

int zsp_probe_kernel(struct zsp_kernel *k)
{
	char sym[128];

	memset(k, 0, sizeof(*k));
	k->btf = btf__load_vmlinux_btf();
	if (!k->btf) {
		fprintf(stderr, "%s: this kernel has no BTF (/sys/kernel/btf/vmlinux): CO-RE tools need CONFIG_DEBUG_INFO_BTF=y\n", zsp_tool_name);
		return -ENOENT;
	}
	/* Any traceable core function will do to see whether trampolines work. */
	k->fentry = zsp_ksyms_resolve("vfs_read", sym, sizeof(sym)) &&
		    probe_fentry(k->btf, "vfs_read") == 0;
	k->kprobes = access("/sys/bus/event_source/devices/kprobe/type", R_OK) == 0 ||
		     access("/sys/kernel/tracing/kprobe_events", R_OK) == 0 ||
		     access("/sys/kernel/debug/tracing/kprobe_events", R_OK) == 0;
	if (!k->fentry && !k->kprobes) {
		fprintf(stderr, "%s: this kernel supports neither BPF trampolines (fentry/fexit) nor kprobes: nothing to attach with (needs CONFIG_KPROBES=y with kprobe events, or BPF trampoline support)\n", zsp_tool_name);
		return -EOPNOTSUPP;
	}
	return 0;
}

const char *zsp_zswap_load_fn(const struct zsp_kernel *k)
{
	if (zsp_kernel_has_func(k, "zswap_load"))
		return "zswap_load";
	if (zsp_kernel_has_func(k, "zswap_frontswap_load"))
		return "zswap_frontswap_load";
	fprintf(stderr, "%s: zswap is not built into this kernel (no zswap_load or zswap_frontswap_load): needs CONFIG_ZSWAP=y\n", zsp_tool_name);
	return NULL;
}

int zsp_zram_fns(const struct zsp_kernel *k, struct zsp_zram_fns *f)
{
	char sym[128];

	*f = (struct zsp_zram_fns){ 0 };
	if (zsp_kernel_has_func(k, "zram_read_page") &&
	    zsp_kernel_has_func(k, "zram_write_page")) {
		f->read = "zram_read_page";
		f->write = "zram_write_page";
	} else if (zsp_kernel_has_func(k, "zram_rw_page")) {
		f->read = f->write = "zram_rw_page";
		f->by_op = true;
	} else if (zsp_kernel_has_func(k, "zram_submit_bio")) {
		f->read = f->write = "zram_submit_bio";
		f->by_op = f->by_bio = true;
	} else {
		fprintf(stderr, "%s: -Z: no zram_rw_page, zram_read_page/zram_write_page or zram_submit_bio in this kernel: needs CONFIG_ZRAM, and the zram module loaded if it is one\n",
			zsp_tool_name);
		return -1;
	}
	/*
	 * A zram module's types are not in vmlinux's BTF; the lzo backend's
	 * ops, called through pointers and so never inlined, are in kallsyms
	 * whenever zram is (6.12's Kconfig forces lzo when no backend is chosen).
	 */
	f->backends = btf__find_by_name_kind(k->btf, "zcomp_ops", BTF_KIND_STRUCT) > 0 ||
		      zsp_ksyms_resolve("lzo_setup_params", sym, sizeof(sym));
	return 0;
}

bool zsp_kernel_has_func(const struct zsp_kernel *k, const char *func)
{
	char sym[128];

	return btf__find_by_name_kind(k->btf, func, BTF_KIND_FUNC) > 0 ||
	       zsp_ksyms_resolve(func, sym, sizeof(sym));
}

const char *zsp_mode_name(enum zsp_attach m)
{
	return m == ZSP_FENTRY ? "fentry" : m == ZSP_KPROBE ? "kprobe" : "-";
}

static void set_autoload(struct bpf_program *p, bool on)
{
	if (p)
		bpf_program__set_autoload(p, on);
}

void zsp_hook_disable(struct zsp_hook *h)
{
	set_autoload(h->fentry, false);
	set_autoload(h->fexit, false);
	set_autoload(h->kprobe, false);
	set_autoload(h->kretprobe, false);
	h->mode = ZSP_NONE;
}

/*
 * Lock primitives every CPU runs all the time: patching their entry (a
 * kprobe's int3, or the ftrace call of a trampoline) while they run is how
 * a tracing tool hangs a kernel (doc/zsplock-hang.md; README, "No tool
 * hooks a kernel lock primitive"). No tool hooks them; this refuses
 * them outright should a hook table ever name one.
 */
static bool lock_primitive(const char *func)
{
	static const char *const prefixes[] = {
		"_raw_", "queued_", "native_queued_", "mutex_", "__mutex_",
		"down_", "up_", "rt_mutex_", "rwsem_", "do_raw_",
	};
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(func, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

int zsp_hook_prepare(struct zsp_hook *h, const struct zsp_kernel *k)
{
	bool exact, in_btf;

	zsp_hook_disable(h);
	if (h->unwanted)
		return 0;
	if (lock_primitive(h->func)) {
		fprintf(stderr, "%s: refusing to hook the lock primitive %s: patching it while every CPU runs it can hang the kernel\n",
			zsp_tool_name, h->func);
		return -EPERM;
	}
	if (!zsp_ksyms_resolve(h->func, h->sym, sizeof(h->sym))) {
		snprintf(h->note, sizeof(h->note), "%s is inlined or not built into this kernel", h->func);
		if (h->required) {
			fprintf(stderr, "%s: %s: %s\n", zsp_tool_name, h->note, h->why);
			return -ENOENT;
		}
		return 0;
	}
	exact = strcmp(h->sym, h->func) == 0;
	in_btf = btf__find_by_name_kind(k->btf, h->func, BTF_KIND_FUNC) > 0;
	if (k->fentry && exact && in_btf && !zsp_opts.kprobes) {
		h->mode = ZSP_FENTRY;
		set_autoload(h->fentry, true);
		set_autoload(h->fexit, true);
		if (h->fentry)
			bpf_program__set_attach_target(h->fentry, 0, h->func);
		if (h->fexit)
			bpf_program__set_attach_target(h->fexit, 0, h->func);
		snprintf(h->note, sizeof(h->note), "%s on %s",
			 !h->fexit ? "fentry" : !h->fentry ? "fexit" : "fentry/fexit", h->func);
	} else if (k->kprobes) {
		h->mode = ZSP_KPROBE;
		set_autoload(h->kprobe, true);
		set_autoload(h->kretprobe, true);
		snprintf(h->note, sizeof(h->note), "%s on %s%s",
			 !h->kretprobe ? "kprobe" : !h->kprobe ? "kretprobe" : "kprobe/kretprobe",
			 h->sym, exact ? "" : " (compiler-renamed clone)");
	} else {
		if (zsp_opts.kprobes)
			snprintf(h->note, sizeof(h->note), "-K asks for kprobes and this kernel has none for %s", h->func);
		else
			snprintf(h->note, sizeof(h->note),
				 "%s is a compiler-renamed clone (%s) and kprobes are unavailable", h->func, h->sym);
		if (h->required) {
			fprintf(stderr, "%s: %s: %s\n", zsp_tool_name, h->note, h->why);
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

static struct bpf_link *links[64];
static int nlinks;

/* zsp_hooks_destroy() detaches what was kept here. */
static void keep_link(struct bpf_link *l)
{
	if (nlinks < (int)(sizeof(links) / sizeof(links[0])))
		links[nlinks++] = l;
}

static int attach_one(struct bpf_program *p, bool kprobe, bool ret, const char *sym,
		      const char *zsp_tool_name, const char *func)
{
	struct bpf_link *l;

	if (!p)
		return 0;
	if (kprobe)
		l = bpf_program__attach_kprobe(p, ret, sym);
	else
		l = bpf_program__attach(p);
	if (!l) {
		fprintf(stderr, "%s: cannot attach %s to %s: %s\n", zsp_tool_name,
			kprobe ? (ret ? "kretprobe" : "kprobe") : (ret ? "fexit" : "fentry"),
			func, strerror(errno));
		return -errno;
	}
	keep_link(l);
	return 0;
}

int zsp_hook_attach(struct zsp_hook *h)
{
	int err = 0;

	/*
	 * The exit side first: a call already running when the entry program
	 * attaches then returns into an exit program that finds no state and
	 * ignores it, instead of leaving an entry that no exit ever balances.
	 */
	switch (h->mode) {
	case ZSP_FENTRY:
		err = attach_one(h->fexit, false, true, h->sym, zsp_tool_name, h->func);
		if (!err)
			err = attach_one(h->fentry, false, false, h->sym, zsp_tool_name, h->func);
		break;
	case ZSP_KPROBE:
		err = attach_one(h->kretprobe, true, true, h->sym, zsp_tool_name, h->func);
		if (!err)
			err = attach_one(h->kprobe, true, false, h->sym, zsp_tool_name, h->func);
		break;
	case ZSP_NONE:
		break;
	}
	return err;
}

int zsp_hooks_prepare(struct zsp_hook *h, int n, const struct zsp_kernel *k)
{
	for (int i = 0; i < n; i++) {
		int err = zsp_hook_prepare(&h[i], k);

		if (err)
			return err;
	}
	return 0;
}

void zsp_hooks_warn(const struct zsp_hook *h, int n)
{
	for (int i = 0; i < n; i++)
		if (h[i].mode == ZSP_NONE && !h[i].required && !h[i].unwanted)
			fprintf(stderr, "%s: warning: %s: %s\n", zsp_tool_name, h[i].note, h[i].why);
}

void zsp_hooks_describe(FILE *f, const struct zsp_hook *h, int n)
{
	bool first = true;

	for (int i = 0; i < n; i++) {
		if (h[i].mode == ZSP_NONE)
			continue;
		fprintf(f, "%s%s", first ? "" : ", ", h[i].note);
		first = false;
	}
}

void zsp_hooks_res(struct zsp_res *p, const char *key, const struct zsp_hook *h, int n)
{
	struct zsp_res *o = zsp_res_obj(p, key, NULL);

	for (int i = 0; i < n; i++)
		zsp_res_str(o, h[i].func, NULL, zsp_mode_name(h[i].mode));
}

int zsp_tool_attach(struct bpf_map *cgroup_map, struct zsp_tp *tps, int ntps,
		    struct zsp_hook *h, int n)
{
	int i;

	if (zsp_opts.cgroup && zsp_cgroup_filter(cgroup_map, zsp_opts.cgroup))
		return -EINVAL;
	/* Closing programs first: a table lists what opens before what closes. */
	for (i = ntps; i-- > 0;)
		if (zsp_tp_attach(&tps[i]))
			return -errno;
	for (i = n; i-- > 0;)
		if (zsp_hook_attach(&h[i]))
			return -errno;
	return 0;
}

void zsp_tp_prepare(struct zsp_tp *t, const struct zsp_kernel *k, bool wanted)
{
	char tname[96];

	snprintf(tname, sizeof(tname), "btf_trace_%s", t->name);
	t->on = wanted && k->fentry && btf__find_by_name_kind(k->btf, tname, BTF_KIND_TYPEDEF) > 0;
	set_autoload(t->prog, t->on);
	if (t->on)
		snprintf(t->note, sizeof(t->note), "tracepoint %s", t->name);
	else if (!wanted)
		snprintf(t->note, sizeof(t->note), "not selected");
	else
		snprintf(t->note, sizeof(t->note), "no tracepoint %s (or no BTF-enabled tracepoints) in this kernel", t->name);
}

void zsp_tp_pair_prepare(struct zsp_tp *begin, struct zsp_tp *end,
			 const struct zsp_kernel *k, bool wanted)
{
	zsp_tp_prepare(begin, k, wanted);
	zsp_tp_prepare(end, k, wanted);
	if (!begin->on || !end->on) {
		zsp_tp_prepare(begin, k, false);
		zsp_tp_prepare(end, k, false);
		if (wanted)
			snprintf(begin->note, sizeof(begin->note),
				 "no tracepoints %s/%s (or no BTF-enabled tracepoints) in this kernel",
				 begin->name, end->name);
	}
}

int zsp_tp_attach(struct zsp_tp *t)
{
	struct bpf_link *l;

	if (!t->on)
		return 0;
	l = bpf_program__attach(t->prog);
	if (!l) {
		fprintf(stderr, "%s: cannot attach to tracepoint %s: %s\n", zsp_tool_name, t->name, strerror(errno));
		return -errno;
	}
	keep_link(l);
	return 0;
}

__u64 zsp_recursion_misses(const struct bpf_object *obj)
{
	struct bpf_program *p;
	__u64 n = 0;

	bpf_object__for_each_program(p, obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(p);

		if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len))
			n += info.recursion_misses;
	}
	return n;
}

bool zsp_have_preempt_count(void)
{
	static const char *const names[] = { "__preempt_count", "pcpu_hot" };
	unsigned long long addrs[2];

	return zsp_kallsyms_addrs(names, 2, addrs) > 0;
}

void zsp_hooks_destroy(void)
{
	while (nlinks > 0)
		bpf_link__destroy(links[--nlinks]);
}

int zsp_cgroup_filter(struct bpf_map *map, const char *path)
{
	int fd, zero = 0, err;

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot open cgroup %s: %s\n", zsp_tool_name, path, strerror(errno));
		return -errno;
	}
	err = bpf_map_update_elem(bpf_map__fd(map), &zero, &fd, BPF_ANY);
	if (err)
		fprintf(stderr, "%s: %s is not a cgroup v2 directory: %s\n", zsp_tool_name, path, strerror(errno));
	close(fd);
	return err ? -errno : 0;
}
