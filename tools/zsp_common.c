// SPDX-License-Identifier: GPL-2.0
/* Shared helpers of the zspreempt BPF tools; see zsp_common.h. */
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

struct zsp_opts zsp_opts;
volatile int zsp_exiting;

/* ---- command line ---- */

static const struct argp_option common_options[] = {
	{ "pid", 'p', "PID", 0, "Trace this process (thread group) only", 1 },
	{ "cgroup", 'c', "CGROUP_PATH", 0, "Trace tasks in this cgroup v2 directory only", 1 },
	{ "interval", 'i', "SECONDS", 0, "Report every SECONDS and start over (default: one report at exit)", 1 },
	{ "duration", 'd', "SECONDS", 0, "Stop after SECONDS (default: Ctrl-C)", 1 },
	{ "json", 'j', NULL, 0, "JSON output, one object per report", 1 },
	{ "usec", 'u', NULL, 0, "Times in microseconds (default)", 1 },
	{ "nsec", 'n', NULL, 0, "Times in nanoseconds", 1 },
	{ "verbose", 'v', NULL, 0, "Show libbpf debug output", 1 },
	{ "kprobes", 'K', NULL, 0, "Attach with kprobes even where fentry works: slower per event, but detaching waits for no RCU-tasks grace period, which tasks that never sleep can hold off for minutes", 1 },
	{ NULL, 'h', NULL, OPTION_HIDDEN, "Show this help", 1 },
	{},
};

static long parse_long(const char *arg, const char *what, long min, struct argp_state *state)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || *end || end == arg || v < min)
		argp_error(state, "invalid %s: '%s'", what, arg);
	return v;
}

static error_t common_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'p':
		zsp_opts.pid = parse_long(arg, "PID", 1, state);
		break;
	case 'c':
		zsp_opts.cgroup = arg;
		break;
	case 'i':
		zsp_opts.interval = parse_long(arg, "interval", 1, state);
		break;
	case 'd':
		zsp_opts.duration = parse_long(arg, "duration", 1, state);
		break;
	case 'j':
		zsp_opts.json = true;
		break;
	case 'u':
		zsp_opts.nsec = false;
		break;
	case 'n':
		zsp_opts.nsec = true;
		break;
	case 'v':
		zsp_opts.verbose = true;
		break;
	case 'K':
		zsp_opts.kprobes = true;
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

const struct argp zsp_common_argp = {
	.options = common_options,
	.parser = common_parse,
};

/* ---- process set-up ---- */

static void sig_handler(int sig)
{
	(void)sig;
	zsp_exiting = 1;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !zsp_opts.verbose)
		return 0;
	if (level == LIBBPF_WARN && !zsp_opts.verbose)
		return 0;	/* the tools explain failures themselves */
	return vfprintf(stderr, fmt, args);
}

void zsp_setup(void)
{
	struct sigaction sa = { .sa_handler = sig_handler };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	libbpf_set_print(libbpf_print);
}

int zsp_require_root(const char *tool)
{
	if (geteuid() == 0)
		return 0;
	fprintf(stderr, "%s: must run as root (loading BPF programs needs CAP_BPF and CAP_PERFMON)\n", tool);
	return -EPERM;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

bool zsp_wait_report(double *secs)
{
	static double start, next, last;
	double end, deadline, now;

	if (!start) {
		start = now_s();
		next = start;
		last = start;
	}
	end = zsp_opts.duration ? start + zsp_opts.duration : INFINITY;
	if (zsp_opts.interval)
		next += zsp_opts.interval;
	else
		next = INFINITY;
	deadline = next < end ? next : end;
	while (!zsp_exiting && now_s() < deadline)
		usleep(deadline - now_s() > 0.1 ? 100000 : (useconds_t)((deadline - now_s()) * 1e6) + 1);
	now = now_s();
	*secs = now - last;
	last = now;
	return !zsp_exiting && now < end;
}

/* ---- the tool skeleton ---- */

int zsp_tool_start(const struct zsp_tool *t, int argc, char **argv, struct zsp_kernel *k)
{
	static const struct argp_child children[] = {
		{ &zsp_common_argp, 0, "Options common to all zspreempt tools:", 1 },
		{},
	};
	static char version[64];
	struct argp argp = {
		.options = t->options, .parser = t->parse, .doc = t->doc, .children = children,
	};

	snprintf(version, sizeof(version), "%s (zspreempt) 1.0", t->name);
	argp_program_version = version;
	argp_err_exit_status = ZSP_EXIT_USAGE;
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return ZSP_EXIT_USAGE;
	zsp_setup();
	if (zsp_require_root(t->name))
		return ZSP_EXIT_ENV;
	if (zsp_probe_kernel(k, t->name))
		return ZSP_EXIT_ENV;
	return 0;
}

void zsp_tool_loop(void (*report)(void *ctx, double secs), void (*reset)(void *ctx), void *ctx)
{
	for (;;) {
		double secs;
		bool more = zsp_wait_report(&secs);

		report(ctx, secs);
		if (!more)
			break;
		reset(ctx);
	}
}

void zsp_tool_end(struct zsp_kernel *k)
{
	zsp_hooks_destroy();
	btf__free(k->btf);
	k->btf = NULL;
}

int zsp_open_failed(const char *tool)
{
	fprintf(stderr, "%s: cannot open the BPF object: %s\n", tool, strerror(errno));
	return ZSP_EXIT_ENV;
}

int zsp_load_failed(const char *tool, int err)
{
	fprintf(stderr, "%s: cannot load the BPF programs: %s (run with -v for the verifier log)\n",
		tool, strerror(-err));
	return ZSP_EXIT_ENV;
}

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

int zsp_probe_kernel(struct zsp_kernel *k, const char *tool)
{
	char sym[128];

	memset(k, 0, sizeof(*k));
	k->btf = btf__load_vmlinux_btf();
	if (!k->btf) {
		fprintf(stderr, "%s: this kernel has no BTF (/sys/kernel/btf/vmlinux): CO-RE tools need CONFIG_DEBUG_INFO_BTF=y\n", tool);
		return -ENOENT;
	}
	/* Any traceable core function will do to see whether trampolines work. */
	k->fentry = zsp_ksyms_resolve("vfs_read", sym, sizeof(sym)) &&
		    probe_fentry(k->btf, "vfs_read") == 0;
	k->kprobes = access("/sys/bus/event_source/devices/kprobe/type", R_OK) == 0 ||
		     access("/sys/kernel/tracing/kprobe_events", R_OK) == 0 ||
		     access("/sys/kernel/debug/tracing/kprobe_events", R_OK) == 0;
	if (!k->fentry && !k->kprobes) {
		fprintf(stderr, "%s: this kernel supports neither BPF trampolines (fentry/fexit) nor kprobes: nothing to attach with (needs CONFIG_KPROBES=y with kprobe events, or BPF trampoline support)\n", tool);
		return -EOPNOTSUPP;
	}
	return 0;
}

const char *zsp_zswap_load_fn(const struct zsp_kernel *k, const char *tool)
{
	if (zsp_kernel_has_func(k, "zswap_load"))
		return "zswap_load";
	if (zsp_kernel_has_func(k, "zswap_frontswap_load"))
		return "zswap_frontswap_load";
	fprintf(stderr, "%s: zswap is not built into this kernel (no zswap_load or zswap_frontswap_load): needs CONFIG_ZSWAP=y\n", tool);
	return NULL;
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

int zsp_hook_prepare(struct zsp_hook *h, const struct zsp_kernel *k, const char *tool)
{
	bool exact, in_btf;

	zsp_hook_disable(h);
	if (h->unwanted)
		return 0;
	if (lock_primitive(h->func)) {
		fprintf(stderr, "%s: refusing to hook the lock primitive %s: patching it while every CPU runs it can hang the kernel\n",
			tool, h->func);
		return -EPERM;
	}
	if (!zsp_ksyms_resolve(h->func, h->sym, sizeof(h->sym))) {
		snprintf(h->note, sizeof(h->note), "%s is inlined or not built into this kernel", h->func);
		if (h->required) {
			fprintf(stderr, "%s: %s: %s\n", tool, h->note, h->why);
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
			fprintf(stderr, "%s: %s: %s\n", tool, h->note, h->why);
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
		      const char *tool, const char *func)
{
	struct bpf_link *l;

	if (!p)
		return 0;
	if (kprobe)
		l = bpf_program__attach_kprobe(p, ret, sym);
	else
		l = bpf_program__attach(p);
	if (!l) {
		fprintf(stderr, "%s: cannot attach %s to %s: %s\n", tool,
			kprobe ? (ret ? "kretprobe" : "kprobe") : (ret ? "fexit" : "fentry"),
			func, strerror(errno));
		return -errno;
	}
	keep_link(l);
	return 0;
}

int zsp_hook_attach(struct zsp_hook *h, const char *tool)
{
	int err = 0;

	/*
	 * The exit side first: a call already running when the entry program
	 * attaches then returns into an exit program that finds no state and
	 * ignores it, instead of leaving an entry that no exit ever balances.
	 */
	switch (h->mode) {
	case ZSP_FENTRY:
		err = attach_one(h->fexit, false, true, h->sym, tool, h->func);
		if (!err)
			err = attach_one(h->fentry, false, false, h->sym, tool, h->func);
		break;
	case ZSP_KPROBE:
		err = attach_one(h->kretprobe, true, true, h->sym, tool, h->func);
		if (!err)
			err = attach_one(h->kprobe, true, false, h->sym, tool, h->func);
		break;
	case ZSP_NONE:
		break;
	}
	return err;
}

int zsp_hooks_prepare(struct zsp_hook *h, int n, const struct zsp_kernel *k, const char *tool)
{
	for (int i = 0; i < n; i++) {
		int err = zsp_hook_prepare(&h[i], k, tool);

		if (err)
			return err;
	}
	return 0;
}

void zsp_hooks_warn(const struct zsp_hook *h, int n, const char *tool)
{
	for (int i = 0; i < n; i++)
		if (h[i].mode == ZSP_NONE && !h[i].required && !h[i].unwanted)
			fprintf(stderr, "%s: warning: %s: %s\n", tool, h[i].note, h[i].why);
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

void zsp_hooks_json(FILE *f, const struct zsp_hook *h, int n)
{
	fprintf(f, "{");
	for (int i = 0; i < n; i++) {
		fprintf(f, "%s", i ? ", " : "");
		zsp_json_str(f, h[i].func);
		fprintf(f, ": ");
		zsp_json_str(f, zsp_mode_name(h[i].mode));
	}
	fprintf(f, "}");
}

int zsp_tool_attach(struct bpf_map *cgroup_map, struct zsp_tp *tps, int ntps,
		    struct zsp_hook *h, int n, const char *tool)
{
	int i;

	if (zsp_opts.cgroup && zsp_cgroup_filter(cgroup_map, zsp_opts.cgroup, tool))
		return -EINVAL;
	/* Closing programs first: a table lists what opens before what closes. */
	for (i = ntps; i-- > 0;)
		if (zsp_tp_attach(&tps[i], tool))
			return -errno;
	for (i = n; i-- > 0;)
		if (zsp_hook_attach(&h[i], tool))
			return -errno;
	return 0;
}

void *zsp_map_dump(struct bpf_map *map, size_t rec, size_t key_off, size_t val_off, size_t *n)
{
	size_t ksz = bpf_map__key_size(map), cap = 0;
	int fd = bpf_map__fd(map);
	char *recs = NULL, *prev, *next;
	bool first = true;

	*n = 0;
	prev = malloc(ksz);
	next = malloc(ksz);
	while (prev && next && !bpf_map_get_next_key(fd, first ? NULL : prev, next)) {
		if (*n == cap) {
			char *more = realloc(recs, (cap ? cap * 2 : 64) * rec);

			if (!more)
				break;
			recs = more;
			cap = cap ? cap * 2 : 64;
		}
		/* An entry deleted since the key was read is skipped. */
		if (!bpf_map_lookup_elem(fd, next, recs + *n * rec + val_off)) {
			memcpy(recs + *n * rec + key_off, next, ksz);
			(*n)++;
		}
		memcpy(prev, next, ksz);
		first = false;
	}
	free(prev);
	free(next);
	return recs;
}

static int cmp_desc_u64(const void *a, const void *b, void *off)
{
	__u64 x, y;

	memcpy(&x, (const char *)a + (size_t)off, sizeof(x));
	memcpy(&y, (const char *)b + (size_t)off, sizeof(y));
	return x < y ? 1 : x > y ? -1 : 0;
}

void zsp_sort_desc(void *recs, size_t n, size_t rec, size_t off)
{
	if (n)
		qsort_r(recs, n, rec, cmp_desc_u64, (void *)off);
}

void zsp_map_clear(struct bpf_map *map)
{
	size_t ksz = bpf_map__key_size(map);
	int fd = bpf_map__fd(map);
	char key[256];

	if (ksz > sizeof(key))
		return;
	while (!bpf_map_get_next_key(fd, NULL, key))
		if (bpf_map_delete_elem(fd, key))
			break;
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

int zsp_tp_attach(struct zsp_tp *t, const char *tool)
{
	struct bpf_link *l;

	if (!t->on)
		return 0;
	l = bpf_program__attach(t->prog);
	if (!l) {
		fprintf(stderr, "%s: cannot attach to tracepoint %s: %s\n", tool, t->name, strerror(errno));
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

int zsp_kallsyms_addrs(const char *const *names, int n, unsigned long long *addrs)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[256], sym[128];
	unsigned long long a;
	int i, found = 0;

	for (i = 0; i < n; i++)
		addrs[i] = 0;
	while (f && found < n && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %*c %127s", &a, sym) != 2)
			continue;
		for (i = 0; i < n; i++)
			if (!addrs[i] && !strcmp(sym, names[i])) {
				addrs[i] = a;
				found++;
			}
	}
	if (f)
		fclose(f);
	return found;
}

bool zsp_have_preempt_count(void)
{
	static const char *const names[] = { "__preempt_count", "pcpu_hot" };
	unsigned long long addrs[2];

	return zsp_kallsyms_addrs(names, 2, addrs) > 0;
}

void zsp_print_losses(FILE *f, const char *tool, __u64 misses, __u64 dropped)
{
	if (zsp_opts.json) {
		fprintf(f, "\"lost\": {\"recursion_misses\": %llu, \"dropped\": %llu}",
			(unsigned long long)misses, (unsigned long long)dropped);
		return;
	}
	if (misses || dropped)
		fprintf(f, "%s: WARNING: events were lost: %llu program runs skipped by the kernel (recursion), %llu dropped (no room in a map or task storage); the figures above undercount\n",
			tool, (unsigned long long)misses, (unsigned long long)dropped);
	else
		fprintf(f, "%s: no events lost\n", tool);
}

void zsp_hooks_destroy(void)
{
	while (nlinks > 0)
		bpf_link__destroy(links[--nlinks]);
}

int zsp_cgroup_filter(struct bpf_map *map, const char *path, const char *tool)
{
	int fd, zero = 0, err;

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot open cgroup %s: %s\n", tool, path, strerror(errno));
		return -errno;
	}
	err = bpf_map_update_elem(bpf_map__fd(map), &zero, &fd, BPF_ANY);
	if (err)
		fprintf(stderr, "%s: %s is not a cgroup v2 directory: %s\n", tool, path, strerror(errno));
	close(fd);
	return err ? -errno : 0;
}

void zsp_test_map_entries(struct bpf_map *map)
{
	const char *s = getenv("ZSP_TEST_MAP_ENTRIES");
	char *end;
	long n;

	if (!s)
		return;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || end == s || *end || n < 1 || n > 1 << 20) {
		fprintf(stderr, "warning: ZSP_TEST_MAP_ENTRIES='%s' is not 1..%d: ignored\n", s, 1 << 20);
		return;
	}
	bpf_map__set_max_entries(map, n);
}

/* ---- kernel symbols ---- */

struct zsp_ksym {
	__u64 addr;
	char *name;
	char *mod;
};

struct zsp_ksyms {
	struct zsp_ksym *syms;
	size_t n;
	char *strs;
};

static int ksym_cmp(const void *a, const void *b)
{
	const struct zsp_ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

struct zsp_ksyms *zsp_ksyms_load(void)
{
	struct zsp_ksyms *ks = calloc(1, sizeof(*ks));
	size_t cap = 0, strcap = 0, strlen_used = 0;
	char line[512], name[256], mod[128], type;
	unsigned long long addr;
	FILE *f;

	f = fopen("/proc/kallsyms", "r");
	if (!f || !ks) {
		free(ks);
		if (f)
			fclose(f);
		return NULL;
	}
	/* Names are stored as offsets first; the string block may move. */
	while (fgets(line, sizeof(line), f)) {
		int n;
		size_t need;

		mod[0] = 0;
		n = sscanf(line, "%llx %c %255s [%127[^]]]", &addr, &type, name, mod);
		if (n < 3 || !addr)
			continue;
		if (type != 't' && type != 'T' && type != 'W' && type != 'w')
			continue;
		if (ks->n == cap) {
			cap = cap ? cap * 2 : 65536;
			ks->syms = realloc(ks->syms, cap * sizeof(*ks->syms));
		}
		need = strlen(name) + strlen(mod) + 2;
		if (strlen_used + need > strcap) {
			strcap = (strcap + need) * 2;
			ks->strs = realloc(ks->strs, strcap);
		}
		if (!ks->syms || !ks->strs)
			break;
		ks->syms[ks->n].addr = addr;
		ks->syms[ks->n].name = (char *)(uintptr_t)strlen_used;
		strcpy(ks->strs + strlen_used, name);
		strlen_used += strlen(name) + 1;
		ks->syms[ks->n].mod = (char *)(uintptr_t)strlen_used;
		strcpy(ks->strs + strlen_used, mod);
		strlen_used += strlen(mod) + 1;
		ks->n++;
	}
	fclose(f);
	for (size_t i = 0; i < ks->n; i++) {
		ks->syms[i].name = ks->strs + (uintptr_t)ks->syms[i].name;
		ks->syms[i].mod = ks->strs + (uintptr_t)ks->syms[i].mod;
	}
	qsort(ks->syms, ks->n, sizeof(*ks->syms), ksym_cmp);
	return ks;
}

void zsp_ksyms_free(struct zsp_ksyms *ks)
{
	if (!ks)
		return;
	free(ks->syms);
	free(ks->strs);
	free(ks);
}

const char *zsp_ksym_name(const struct zsp_ksyms *ks, __u64 addr, char *buf, size_t len)
{
	size_t lo = 0, hi = ks ? ks->n : 0;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (ks->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo) {
		snprintf(buf, len, "0x%llx", (unsigned long long)addr);
		return buf;
	}
	const struct zsp_ksym *s = &ks->syms[lo - 1];

	if (*s->mod)
		snprintf(buf, len, "%s+0x%llx [%s]", s->name,
			 (unsigned long long)(addr - s->addr), s->mod);
	else
		snprintf(buf, len, "%s+0x%llx", s->name, (unsigned long long)(addr - s->addr));
	return buf;
}

int zsp_stack_start(const struct zsp_ksyms *ks, const __u64 *ips, int depth)
{
	int d = 0;

	/* The tracing program and its trampoline sit on top: not the caller's. */
	while (d < depth) {
		char name[256];

		zsp_ksym_name(ks, ips[d], name, sizeof(name));
		if (!strstr(name, " [bpf]") && strncmp(name, "bpf_trampoline", 14) &&
		    strncmp(name, "bpf_prog_", 9))
			break;
		d++;
	}
	return d < depth ? d : 0;
}

void zsp_stack_print(FILE *f, const struct zsp_ksyms *ks, struct bpf_map *stacks,
		     __s32 id, const char *indent)
{
	__u64 ips[ZSP_STACK_DEPTH] = { 0 };
	int depth = 0, d, first;
	char sym[256];

	if (id >= 0 && !bpf_map_lookup_elem(bpf_map__fd(stacks), &id, ips))
		while (depth < ZSP_STACK_DEPTH && ips[depth])
			depth++;
	first = zsp_stack_start(ks, ips, depth);
	if (zsp_opts.json) {
		fprintf(f, "[");
		for (d = first; d < depth; d++) {
			fprintf(f, "%s", d > first ? ", " : "");
			zsp_json_str(f, zsp_ksym_name(ks, ips[d], sym, sizeof(sym)));
		}
		fprintf(f, "]");
		return;
	}
	if (!depth)
		fprintf(f, "%s[stack unavailable]\n", indent);
	for (d = first; d < depth; d++)
		fprintf(f, "%s%s\n", indent, zsp_ksym_name(ks, ips[d], sym, sizeof(sym)));
}

/*
 * Text symbol names, read once: reading /proc/kallsyms costs seconds under
 * TCG and a tool resolves about twenty functions at start-up.
 */
static char *text_syms;
static size_t text_syms_len;

static int text_syms_load(void)
{
	char line[512], name[256], type;
	size_t cap = 0;
	FILE *f;

	if (text_syms)
		return 0;
	f = fopen("/proc/kallsyms", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		size_t need;

		if (sscanf(line, "%*s %c %255s", &type, name) != 2)
			continue;
		if (type != 't' && type != 'T')
			continue;
		need = strlen(name) + 1;
		if (text_syms_len + need > cap) {
			char *p;

			cap = (cap + need) * 2;
			p = realloc(text_syms, cap);
			if (!p) {
				fclose(f);
				return -1;
			}
			text_syms = p;
		}
		memcpy(text_syms + text_syms_len, name, need);
		text_syms_len += need;
	}
	fclose(f);
	return text_syms ? 0 : -1;
}

const char *zsp_ksyms_resolve(const char *func, char *buf, size_t len)
{
	static const char *const clones[] = { ".isra.", ".constprop.", ".part.", ".llvm." };
	size_t flen = strlen(func);

	if (text_syms_load())
		return NULL;
	buf[0] = 0;
	for (const char *name = text_syms; name < text_syms + text_syms_len;
	     name += strlen(name) + 1) {
		if (!strcmp(name, func)) {
			snprintf(buf, len, "%s", name);
			return buf;
		}
		if (!buf[0] && !strncmp(name, func, flen)) {
			for (size_t i = 0; i < sizeof(clones) / sizeof(clones[0]); i++)
				if (!strncmp(name + flen, clones[i], strlen(clones[i])))
					snprintf(buf, len, "%s", name);
		}
	}
	return buf[0] ? buf : NULL;
}

/* ---- histograms ---- */

__u64 zsp_bucket_low(unsigned int b)
{
	unsigned int j, k;

	if (b < ZSP_SUBS)
		return b;
	j = b - ZSP_SUBS;
	k = ZSP_SUB_BITS + j / ZSP_SUBS;
	return (__u64)(ZSP_SUBS + j % ZSP_SUBS) << (k - ZSP_SUB_BITS);
}

__u64 zsp_bucket_high(unsigned int b)
{
	return b + 1 < ZSP_NBUCKETS ? zsp_bucket_low(b + 1) : ~0ULL;
}

__u64 zsp_hist_percentile(const struct zsp_hist *h, double p)
{
	__u64 total = 0, target, cum = 0, v;
	unsigned int b;

	for (b = 0; b < ZSP_NBUCKETS; b++)
		total += h->buckets[b];
	if (!total)
		return 0;
	if (p >= 100 && h->max)
		return h->max;
	target = (__u64)ceil(p / 100.0 * total);
	if (!target)
		target = 1;
	for (b = 0; b < ZSP_NBUCKETS; b++) {
		cum += h->buckets[b];
		if (cum >= target)
			break;
	}
	if (b >= ZSP_NBUCKETS)
		return h->max;
	v = b < ZSP_SUBS ? b : (zsp_bucket_low(b) + zsp_bucket_high(b) - 1) / 2;
	return h->max && v > h->max ? h->max : v;
}

void zsp_hist_merge(struct zsp_hist *dst, const struct zsp_hist *src)
{
	for (unsigned int b = 0; b < ZSP_NBUCKETS; b++)
		dst->buckets[b] += src->buckets[b];
	dst->count += src->count;
	dst->sum += src->sum;
	if (src->max > dst->max) {
		dst->max = src->max;
		dst->max_pid = src->max_pid;
		memcpy(dst->max_comm, src->max_comm, sizeof(dst->max_comm));
	}
}

double zsp_unit(__u64 ns)
{
	return zsp_opts.nsec ? (double)ns : ns / 1000.0;
}

const char *zsp_unit_name(void)
{
	return zsp_opts.nsec ? "nsecs" : "usecs";
}

static void log2_view(const struct zsp_hist *h, __u64 out[64])
{
	memset(out, 0, 64 * sizeof(out[0]));
	for (unsigned int b = 0; b < ZSP_NBUCKETS; b++) {
		__u64 lo = zsp_bucket_low(b);
		unsigned int k = 0;

		if (!h->buckets[b])
			continue;
		while (k < 63 && (lo >> (k + 1)))
			k++;
		out[lo ? k + 1 : 0] += h->buckets[b];
	}
}

void zsp_hist_print_log2(FILE *f, const struct zsp_hist *h, const char *indent)
{
	__u64 slots[64], maxc = 0;
	int first = -1, last = -1;

	log2_view(h, slots);
	for (int i = 0; i < 64; i++) {
		if (!slots[i])
			continue;
		if (first < 0)
			first = i;
		last = i;
		if (slots[i] > maxc)
			maxc = slots[i];
	}
	if (first < 0)
		return;
	/* Slot i holds values in [2^(i-1), 2^i) ns. */
	fprintf(f, "%s%22s : %-10s distribution\n", indent, "nsecs", "count");
	for (int i = first; i <= last; i++) {
		unsigned long long lo = i ? 1ULL << (i - 1) : 0, hi = i ? (1ULL << i) - 1 : 0;
		int stars = maxc ? (int)(slots[i] * 40 / maxc) : 0;

		fprintf(f, "%s%10llu -> %-9llu : %-10llu |%-40.*s|\n", indent, lo, hi,
			(unsigned long long)slots[i], stars,
			"****************************************");
	}
}

void zsp_hist_print_header(FILE *f, const char *first)
{
	fprintf(f, "%-12s %10s %10s %10s %10s %10s %10s %10s  (%s)\n", first, "count",
		"mean", "p50", "p90", "p99", "p99.9", "max", zsp_unit_name());
}

void zsp_hist_print_row(FILE *f, const char *name, const struct zsp_hist *h)
{
	if (!h->count) {
		fprintf(f, "%-12s %10s\n", name, "0");
		return;
	}
	fprintf(f, "%-12s %10llu %10.1f %10.1f %10.1f %10.1f %10.1f %10.1f\n", name,
		(unsigned long long)h->count, zsp_unit(h->sum / h->count),
		zsp_unit(zsp_hist_percentile(h, 50)), zsp_unit(zsp_hist_percentile(h, 90)),
		zsp_unit(zsp_hist_percentile(h, 99)), zsp_unit(zsp_hist_percentile(h, 99.9)),
		zsp_unit(h->max));
}

void zsp_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

void zsp_hist_json(FILE *f, const struct zsp_hist *h, bool with_log2)
{
	char comm[sizeof(h->max_comm) + 1] = { 0 };

	memcpy(comm, h->max_comm, sizeof(h->max_comm));
	fprintf(f, "{\"count\": %llu, \"sum_ns\": %llu, \"mean_ns\": %.1f, "
		"\"p50_ns\": %llu, \"p90_ns\": %llu, \"p99_ns\": %llu, \"p999_ns\": %llu, "
		"\"max_ns\": %llu, \"max_pid\": %u, \"max_comm\": ",
		(unsigned long long)h->count, (unsigned long long)h->sum,
		h->count ? (double)h->sum / h->count : 0.0,
		(unsigned long long)zsp_hist_percentile(h, 50),
		(unsigned long long)zsp_hist_percentile(h, 90),
		(unsigned long long)zsp_hist_percentile(h, 99),
		(unsigned long long)zsp_hist_percentile(h, 99.9),
		(unsigned long long)h->max, h->max_pid);
	zsp_json_str(f, comm);
	if (with_log2) {
		__u64 slots[64];
		bool first = true;

		log2_view(h, slots);
		fprintf(f, ", \"log2_ns\": [");
		for (int i = 0; i < 64; i++) {
			if (!slots[i])
				continue;
			fprintf(f, "%s{\"lo\": %llu, \"hi\": %llu, \"count\": %llu}", first ? "" : ", ",
				i ? 1ULL << (i - 1) : 0ULL, i ? (1ULL << i) - 1 : 0ULL,
				(unsigned long long)slots[i]);
			first = false;
		}
		/* The fine buckets too, so a reader can draw the CDF the percentiles come from. */
		fprintf(f, "], \"buckets_ns\": [");
		first = true;
		for (unsigned int b = 0; b < ZSP_NBUCKETS; b++) {
			if (!h->buckets[b])
				continue;
			fprintf(f, "%s[%llu, %llu]", first ? "" : ", ",
				(unsigned long long)zsp_bucket_low(b),
				(unsigned long long)h->buckets[b]);
			first = false;
		}
		fprintf(f, "]");
	}
	fprintf(f, "}");
}
