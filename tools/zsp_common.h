/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace helpers shared by the zspreempt BPF tools, one file per concern:
 *   zsp_cli.c     the common command line, process set-up, main loop
 *   zsp_attach.c  kernel capability probing, fentry-or-kprobe hooks,
 *                 tracepoints, the cgroup filter
 *   zsp_maps.c    dumping, sorting and clearing BPF maps
 *   zsp_ksyms.c   kernel symbols from /proc/kallsyms, stacks
 *   zsp_output.c  histogram percentiles, their text rows and JSON
 *   zsp_result.c  a report as one tree of results, printed as text or JSON
 * The Makefile compiles them once and links them into every tool.
 */
#ifndef __ZSP_COMMON_H
#define __ZSP_COMMON_H

#include <argp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>
#include <bpf/libbpf.h>
#include <bpf/btf.h>
#include "zsp_hist.h"

/* Frames per stack in a ZSP_STACK_MAP (zsp_hook.bpf.h): the kernel's maximum. */
#define ZSP_STACK_DEPTH		127

/* Exit codes, the same for every tool. */
#define ZSP_EXIT_OK		0
#define ZSP_EXIT_ENV		1	/* kernel or permissions lack what the tool needs */
#define ZSP_EXIT_USAGE		2	/* bad command line */
#define ZSP_EXIT_FOUND		3	/* --fail and events were seen */

/* Options every tool takes, with one meaning everywhere. */
struct zsp_opts {
	pid_t pid;		/* -p: only this process (thread group) */
	const char *cgroup;	/* -c: only tasks in this cgroup v2 path */
	int interval;		/* -i: seconds between reports (0: one at the end) */
	int duration;		/* -d: stop after this many seconds (0: until Ctrl-C) */
	bool json;		/* -j */
	bool nsec;		/* -n: nanoseconds; -u (default): microseconds */
	bool verbose;		/* -v: libbpf debug output */
	bool kprobes;		/* -K: kprobes even where fentry works */
};

extern struct zsp_opts zsp_opts;
/* The running tool's name, set once by zsp_tool_start(): every message starts with it. */
extern const char *zsp_tool_name;
extern const struct argp zsp_common_argp;
/* A decimal number from MIN to INT_MAX, or argp_error() naming WHAT. */
int zsp_parse_int(const char *arg, const char *what, int min, struct argp_state *state);
extern volatile int zsp_exiting;

/*
 * The skeleton every tool runs on: a tool describes itself and holds only
 * its own logic.
 *
 *	struct zsp_kernel k;
 *	int rc = zsp_tool_start(&tool, argc, argv, &k);	// CLI, signals, root, probe; sets zsp_tool_name
 *	if (rc) return rc;
 *	... open the skeleton, fill a struct of named hooks ...
 *	zsp_hooks_prepare(ZSP_HOOKS(hooks), &k);	// fentry, kprobe or none
 *	... X_bpf__load() ...
 *	zsp_tool_attach(cgroup_map, tps, ntps, ZSP_HOOKS(hooks));
 *	zsp_tool_loop(report, reset, skel);		// -i, -d, Ctrl-C
 *	zsp_tool_end(&k); X_bpf__destroy(skel);
 */
struct zsp_kernel;

struct zsp_tool {
	const char *name;
	const char *doc;			/* --help text */
	const struct argp_option *options;	/* the tool's own, or NULL */
	argp_parser_t parse;			/* for them */
};

/*
 * Parse the command line (the tool's options, then the common ones, which
 * also handle -h and stray arguments), install Ctrl-C/SIGTERM handling and
 * libbpf printing per -v, check for root and probe the kernel. Returns 0,
 * or the exit code the tool should return.
 */
int zsp_tool_start(const struct zsp_tool *t, int argc, char **argv, struct zsp_kernel *k);
/* report() every -i seconds, or once at the end (-d, Ctrl-C); reset() between. */
void zsp_tool_loop(void (*report)(void *ctx, double secs), void (*reset)(void *ctx), void *ctx);
/* Detach every link and free what zsp_tool_start() probed. */
void zsp_tool_end(struct zsp_kernel *k);
/* One line for a BPF object that would not open or load; ZSP_EXIT_ENV. */
int zsp_open_failed(void);
int zsp_load_failed(int err);

/* Fail early, with one line, when not root. */
int zsp_require_root(void);
/* Install Ctrl-C/SIGTERM handling and libbpf printing per -v. */
void zsp_setup(void);
/*
 * Sleep until the next report is due and say how long the report covers
 * (since the previous one, or the first call); false once it is time to stop.
 */
bool zsp_wait_report(double *secs);

/* How a hook is attached on this kernel. */
enum zsp_attach { ZSP_NONE, ZSP_FENTRY, ZSP_KPROBE };

/*
 * One kernel function to trace at entry and/or return, with both a
 * trampoline (fentry/fexit) and a kprobe variant of each program in the
 * object: the variant this kernel can use is loaded, the other is not.
 */
struct zsp_hook {
	const char *func;		/* requested name */
	const char *why;		/* what is lost without it */
	bool required;
	bool unwanted;			/* not asked for: neither attached nor warned of */
	struct bpf_program *fentry, *fexit, *kprobe, *kretprobe;
	/* resolved */
	enum zsp_attach mode;
	char sym[128];			/* kallsyms name (may be .isra/.constprop) */
	char note[320];			/* why it is not attached, or how */
};

/*
 * Hooks whose BPF side is ZSP_ENTRY(name, ...) and/or ZSP_EXIT(name, ...)
 * (zsp_hook.bpf.h): entry only, exit only, or both.
 */
#define ZSP_HOOK_IN(skel, fn, name, why_) ((struct zsp_hook){			\
	.func = (fn), .why = (why_),						\
	.fentry = (skel)->progs.fentry_##name, .kprobe = (skel)->progs.kprobe_##name })
#define ZSP_HOOK_OUT(skel, fn, name, why_) ((struct zsp_hook){			\
	.func = (fn), .why = (why_),						\
	.fexit = (skel)->progs.fexit_##name, .kretprobe = (skel)->progs.kretprobe_##name })
#define ZSP_HOOK_INOUT(skel, fn, name, why_) ((struct zsp_hook){		\
	.func = (fn), .why = (why_),						\
	.fentry = (skel)->progs.fentry_##name, .kprobe = (skel)->progs.kprobe_##name,	\
	.fexit = (skel)->progs.fexit_##name, .kretprobe = (skel)->progs.kretprobe_##name })

/*
 * A tool keeps its hooks in a struct of named struct zsp_hook members
 * (never indexed by position); ZSP_HOOKS() passes it to the table calls.
 */
#define ZSP_HOOKS(s)	((struct zsp_hook *)&(s)), (int)(sizeof(s) / sizeof(struct zsp_hook))

/* Capabilities of the running kernel, probed once. */
struct zsp_kernel {
	struct btf *btf;
	bool fentry;		/* BPF trampolines work */
	bool kprobes;		/* kprobe attachment works */
};

int zsp_probe_kernel(struct zsp_kernel *k);
/*
 * zswap's load function on this kernel: zswap_load (6.7+) or
 * zswap_frontswap_load; NULL, after saying so, when zswap is not built in.
 */
const char *zsp_zswap_load_fn(const struct zsp_kernel *k);

/*
 * zram's page read and write functions (-Z). Up to 6.2 a swap-in or
 * swap-out page goes through ->rw_page, zram_rw_page(bdev, sector, page,
 * op): one function for both, told apart by op (by_op). From 6.3 on,
 * zram_read_page() and zram_write_page() serve every page, swap or not;
 * where the compiler inlined both (Debian's 6.12), zram_submit_bio(bio)
 * is the one function left, the op in its bio (by_op and by_bio).
 * Up to 6.11 zram (de)compresses through the crypto API's synchronous
 * transform; from 6.12 through its own backends (struct zcomp_ops), whose
 * calls are zcomp_decompress() and zcomp_compress(), the backend's name in
 * their first argument (backends).
 */
struct zsp_zram_fns {
	const char *read, *write;
	bool by_op;
	bool by_bio;
	bool backends;
};

/* 0 and *f set, or -1 with the reason printed (zram absent or not loaded). */
int zsp_zram_fns(const struct zsp_kernel *k, struct zsp_zram_fns *f);
bool zsp_kernel_has_func(const struct zsp_kernel *k, const char *func);
/* Resolve and choose the attach mode; call before loading the object. */
int zsp_hook_prepare(struct zsp_hook *h, const struct zsp_kernel *k);
/* Disable all variants of a hook that will not be used. */
void zsp_hook_disable(struct zsp_hook *h);
/*
 * Attach after loading: the exit program before the entry one. Callers
 * attach a table last to first, so the hooks that close a section (an
 * unmap, a read end, a contention end) are in place before the hooks that
 * open one: tasks already inside the traced code when the tool starts are
 * then ignored, not left with sections that never close.
 */
int zsp_hook_attach(struct zsp_hook *h);
void zsp_hooks_destroy(void);
/* zsp_hook_prepare() for each hook of a table; stops at the first error. */
int zsp_hooks_prepare(struct zsp_hook *h, int n, const struct zsp_kernel *k);
/* A warning line for each optional hook left unattached, with what is lost. */
void zsp_hooks_warn(const struct zsp_hook *h, int n);
/* ", "-separated notes of the attached hooks (how each is attached). */
void zsp_hooks_describe(FILE *f, const struct zsp_hook *h, int n);
/* Each hook's function and how it is attached, as report member @key (JSON only). */
struct zsp_res;
void zsp_hooks_res(struct zsp_res *p, const char *key, const struct zsp_hook *h, int n);
/* "fentry"/"kprobe"/"-" */
const char *zsp_mode_name(enum zsp_attach m);

/*
 * A BTF-enabled tracepoint (tp_btf) program. Tracepoints are static call
 * sites: attaching one patches no kernel text, which is why lock waits are
 * measured through lock:contention_begin/end and never by hooking the lock
 * functions themselves (doc/zsplock-hang.md; README, The BPF tools).
 */
struct zsp_tp {
	const char *name;		/* tracepoint, e.g. "contention_begin" */
	const char *why;		/* what is lost without it */
	struct bpf_program *prog;
	bool on;
	char note[160];
};

/* The tracepoint program NAME_tp of a skeleton, e.g. ZSP_TP(skel, contention_end, "..."). */
#define ZSP_TP(skel, tp, why_) ((struct zsp_tp){ .name = #tp, .why = (why_), .prog = (skel)->progs.tp##_tp })

/* Keep the program if this kernel has the tracepoint; say so in note. */
void zsp_tp_prepare(struct zsp_tp *t, const struct zsp_kernel *k, bool wanted);
int zsp_tp_attach(struct zsp_tp *t);
/* A begin/end pair: both kept, or neither. */
void zsp_tp_pair_prepare(struct zsp_tp *begin, struct zsp_tp *end,
			 const struct zsp_kernel *k, bool wanted);

/*
 * Events a tool could not record: runs of its programs the kernel skipped
 * because one was already running on that CPU (recursion_misses, summed
 * over the object's programs) plus what the tool itself dropped (a full
 * map: @dropped). zsp_res_print() reports them: a JSON member, or one
 * plain line (zsp_print_losses) on stderr after the text.
 */
__u64 zsp_recursion_misses(const struct bpf_object *obj);
/*
 * One pass over /proc/kallsyms: the address of each of @n names (any
 * symbol type) into @addrs, 0 where absent. Returns how many were found.
 */
int zsp_kallsyms_addrs(const char *const *names, int n, unsigned long long *addrs);
/* Whether the BPF side can read preempt_count (zsp_preempt.bpf.h). */
bool zsp_have_preempt_count(void);
void zsp_print_losses(FILE *f, __u64 misses, __u64 dropped);

/* Set up the cgroup filter map (a BPF_MAP_TYPE_CGROUP_ARRAY of one entry). */
int zsp_cgroup_filter(struct bpf_map *map, const char *path);

/*
 * Tests only: ZSP_TEST_MAP_ENTRIES=N in the environment gives MAP (a map
 * a tool records events in) N entries, so that it fills and the tool's
 * lost-event counting can be checked. Call before loading.
 */
void zsp_test_map_entries(struct bpf_map *map);

/*
 * After loading: the -c filter into cgroup_map (zsp_filter.bpf.h), then the
 * tracepoints and the hooks, each table last to first (see zsp_hook_attach).
 */
int zsp_tool_attach(struct bpf_map *cgroup_map, struct zsp_tp *tps, int ntps,
		    struct zsp_hook *h, int n);

/*
 * Every entry of a hash map, as records of @rec bytes holding the key at
 * @key_off and the value at @val_off; *n of them, malloc()ed. ZSP_MAP_DUMP
 * takes a struct with members key and val.
 */
void *zsp_map_dump(struct bpf_map *map, size_t rec, size_t key_off, size_t val_off, size_t *n);
#define ZSP_MAP_DUMP(map, type, n)						\
	((type *)zsp_map_dump(map, sizeof(type), offsetof(type, key), offsetof(type, val), n))
void zsp_map_clear(struct bpf_map *map);
/* Sort @n records of @rec bytes by the __u64 at @off, largest first. */
void zsp_sort_desc(void *recs, size_t n, size_t rec, size_t off);

/* Kernel symbols from /proc/kallsyms, for stack symbolization. */
struct zsp_ksyms;
struct zsp_ksyms *zsp_ksyms_load(void);
void zsp_ksyms_free(struct zsp_ksyms *ks);
/* "func+0x12 [module]" into buf */
const char *zsp_ksym_name(const struct zsp_ksyms *ks, __u64 addr, char *buf, size_t len);
/*
 * [lo[i], hi[i]) of each core-kernel function named in NAMES ("prefix*"
 * matches by prefix), at most MAX: how many were found, -1 if more.
 */
int zsp_ksym_extents(const struct zsp_ksyms *ks, const char *const *names, int n,
		     __u64 *lo, __u64 *hi, int max);
/* Index of the first stack frame that is not the tracing program's own. */
int zsp_stack_start(const struct zsp_ksyms *ks, const __u64 *ips, int depth);
/* kallsyms name for func, exact or a compiler-renamed clone; NULL if absent */
const char *zsp_ksyms_resolve(const char *func, char *buf, size_t len);

/* Histogram read-out. */
__u64 zsp_bucket_low(unsigned int b);
__u64 zsp_bucket_high(unsigned int b);
/* Value at percentile p (0..100), bucket midpoint clamped to the max seen. */
__u64 zsp_hist_percentile(const struct zsp_hist *h, double p);
void zsp_hist_merge(struct zsp_hist *dst, const struct zsp_hist *src);
/* Print the log2 view of a fine histogram (ns), @indent columns in. */
void zsp_hist_print_log2(FILE *f, const struct zsp_hist *h, int indent);
/* The percentile summary of one histogram as a text row; zsp_hist_json() the JSON object. */
void zsp_hist_print_row(FILE *f, const char *name, const struct zsp_hist *h, int indent);
void zsp_hist_print_header(FILE *f, const char *first, int indent);
void zsp_hist_json(FILE *f, const struct zsp_hist *h, bool with_log2);
/* Convert ns into the unit chosen with -u/-n. */
double zsp_unit(__u64 ns);
const char *zsp_unit_name(void);

void zsp_json_str(FILE *f, const char *s);

/*
 * A report: one tree of results that a tool builds once, and that
 * zsp_res_print() writes as JSON with -j, else as text. Every node has a
 * JSON member name (@key, ignored inside an array) and a text label
 * (@text): NULL keeps the node out of the text, "" shows an object's or
 * an array's members without a heading of their own. An object with a
 * NULL @key inside an object only groups lines of text: in JSON its
 * members are its parent's. In text, an object
 * or array is its label and its members two columns in; a value is
 * "label: value" (a time in the unit of -u/-n); a run of histograms is one
 * table of percentiles, followed by the log2 view of those flagged
 * ZSP_RES_LOG2_TEXT; a note is a line of text only.
 *
 *	struct zsp_res *r = zsp_res_root(secs);		// "tool", "seconds"
 *	zsp_res_u64(r, "loads", "zswap loads", n);
 *	zsp_res_hist(zsp_res_obj(r, "phases", "phases"), "total", "total", &h, 0);
 *	zsp_res_print(r, misses, dropped);		// adds "lost", frees r
 */
struct zsp_res;
#define ZSP_RES_LOG2		0x1	/* JSON: the log2 and fine buckets too */
#define ZSP_RES_LOG2_TEXT	0x2	/* text: the log2 view after the table */
struct zsp_res *zsp_res_root(double secs);
struct zsp_res *zsp_res_obj(struct zsp_res *p, const char *key, const char *text);
struct zsp_res *zsp_res_arr(struct zsp_res *p, const char *key, const char *text);
void zsp_res_u64(struct zsp_res *p, const char *key, const char *text, unsigned long long v);
/* @fmt prints @v as a bare number in both forms, e.g. "%.3f" (JSON: null if not finite). */
void zsp_res_num(struct zsp_res *p, const char *key, const char *text, const char *fmt, double v);
/* A time: ns in JSON, the -u/-n unit in text. */
void zsp_res_time(struct zsp_res *p, const char *key, const char *text, unsigned long long ns);
void zsp_res_str(struct zsp_res *p, const char *key, const char *text, const char *s);
void zsp_res_hist(struct zsp_res *p, const char *key, const char *text,
		  const struct zsp_hist *h, unsigned int flags);
void zsp_res_note(struct zsp_res *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Stack @id of a ZSP_STACK_MAP from the first frame that is not the
 * tracer's: an array of names, one a line in text ("[stack unavailable]"
 * when it was not recorded).
 */
void zsp_res_stack(struct zsp_res *p, const char *key, const struct zsp_ksyms *ks,
		   struct bpf_map *stacks, __s32 id);
void zsp_res_print(struct zsp_res *root, __u64 misses, __u64 dropped);

#endif /* __ZSP_COMMON_H */
