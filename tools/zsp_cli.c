// SPDX-License-Identifier: GPL-2.0
/* The tools' shared command line, process set-up and main loop. See zsp_common.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
const char *zsp_tool_name = "zsp";

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

int zsp_parse_int(const char *arg, const char *what, int min, struct argp_state *state)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || *end || end == arg || v < min || v > INT_MAX)
		argp_error(state, "invalid %s: '%s'", what, arg);
	return v;
}

static error_t common_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'p':
		zsp_opts.pid = zsp_parse_int(arg, "PID", 1, state);
		break;
	case 'c':
		zsp_opts.cgroup = arg;
		break;
	case 'i':
		zsp_opts.interval = zsp_parse_int(arg, "interval", 1, state);
		break;
	case 'd':
		zsp_opts.duration = zsp_parse_int(arg, "duration", 1, state);
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

int zsp_require_root(void)
{
	if (geteuid() == 0)
		return 0;
	fprintf(stderr, "%s: must run as root (loading BPF programs needs CAP_BPF and CAP_PERFMON)\n", zsp_tool_name);
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

	zsp_tool_name = t->name;
	snprintf(version, sizeof(version), "%s (zspreempt) 1.0", t->name);
	argp_program_version = version;
	argp_err_exit_status = ZSP_EXIT_USAGE;
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return ZSP_EXIT_USAGE;
	zsp_setup();
	if (zsp_require_root())
		return ZSP_EXIT_ENV;
	if (zsp_probe_kernel(k))
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

int zsp_open_failed(void)
{
	fprintf(stderr, "%s: cannot open the BPF object: %s\n", zsp_tool_name, strerror(errno));
	return ZSP_EXIT_ENV;
}

int zsp_load_failed(int err)
{
	fprintf(stderr, "%s: cannot load the BPF programs: %s (run with -v for the verifier log)\n",
		zsp_tool_name, strerror(-err));
	return ZSP_EXIT_ENV;
}
