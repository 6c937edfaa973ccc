// SPDX-License-Identifier: GPL-2.0
/*
 * zsp-critical: a latency-critical task that swaps in its own pages, beside
 * CPU hogs of a lower real-time priority. With the swap-in workers the
 * caller starts at normal priority on the same CPU, this is the setting
 * where a preempted holder of a per-CPU compression context shows up as
 * priority inversion: the critical task needs the context, its holder is a
 * worker, and the hogs keep the worker from running.
 *
 * The critical task (SCHED_FIFO, -f) owns -N pages of compressible text,
 * each unique. Every -I microseconds (absolute deadlines) it wakes, touches
 * the next page and times the touch, then pushes that page back out with
 * MADV_PAGEOUT, so the next touch of it is a swap-in again. Per touch it
 * records:
 *
 *   wake     how late it woke after its deadline (what cyclictest measures);
 *            a touch that overran the period skips the deadlines it missed
 *            (counted), so its overrun is not counted again as lateness
 *   swapin   how long the first read of the page took, for touches that
 *            were a major fault (getrusage: the page came from swap);
 *            touches that found the page resident are counted, not timed
 *
 * and checks the page's contents. -H hog processes (SCHED_FIFO, -h, below
 * the critical task) each spin for -r us and sleep for -s us in turn, until
 * the critical task is done, or with -L for at most that many seconds: a
 * kernel whose inversion has no bound (the task waits on a lock whose
 * holder the hogs keep off the CPU) then still finishes, and the report
 * counts the hogs that ran out of time ("hogs_expired"). With -C all of
 * them run on that one CPU.
 *
 * Exit: 0 done and every page verified, 1 a page came back wrong or no
 * touch was a swap-in (nothing was measured), 2 usage, 3 environment.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define MAX_HOGS 16

struct opts {
	unsigned long pages;
	unsigned long touches;
	unsigned long period_us;
	int prio;
	unsigned int hogs;
	int hog_prio;
	unsigned long hog_run_us;
	unsigned long hog_sleep_us;
	unsigned long hog_limit_s;
	int cpu;
	bool json;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int set_fifo(int prio, int cpu, const char *who)
{
	struct sched_param sp = { .sched_priority = prio };
	cpu_set_t set;

	if (cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			fprintf(stderr, "zsp-critical: %s: cannot run on CPU %d: %s\n",
				who, cpu, strerror(errno));
			return -1;
		}
	}
	if (sched_setscheduler(0, SCHED_FIFO, &sp)) {
		fprintf(stderr, "zsp-critical: %s: SCHED_FIFO %d: %s (needs root)\n",
			who, prio, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * A hog: spin, sleep, again, until killed by the parent; with a time limit
 * it exits 0 once that has passed, which the parent counts as expired.
 */
static void hog(const struct opts *o)
{
	struct timespec nap = {
		.tv_sec = o->hog_sleep_us / 1000000,
		.tv_nsec = (o->hog_sleep_us % 1000000) * 1000,
	};
	uint64_t end, limit = UINT64_MAX;

	if (o->hog_limit_s)
		limit = now_ns() + o->hog_limit_s * 1000000000ULL;
	if (set_fifo(o->hog_prio, o->cpu, "hog"))
		_exit(3);
	while (now_ns() < limit) {
		end = now_ns() + o->hog_run_us * 1000;
		while (now_ns() < end)
			;
		nanosleep(&nap, NULL);
	}
	_exit(0);
}

/* Page @i's contents: text that compresses well, with a per-page stamp. */
static void fill(uint8_t *p, unsigned long i)
{
	size_t k;

	for (k = 0; k < PAGE; k++)
		p[k] = "critical swap-in "[(k + i) % 17];
	memcpy(p + 128, &i, sizeof(i));
	memcpy(p + PAGE - 256, &i, sizeof(i));
}

static bool check(const uint8_t *p, unsigned long i)
{
	unsigned long a, b;

	memcpy(&a, p + 128, sizeof(a));
	memcpy(&b, p + PAGE - 256, sizeof(b));
	return a == i && b == i && p[0] == "critical swap-in "[i % 17];
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of @n sorted values, in microseconds. */
static double pct(const uint64_t *v, size_t n, double p)
{
	size_t r;

	if (!n)
		return 0;
	r = (size_t)(p / 100.0 * n + 0.999999);
	if (r < 1)
		r = 1;
	if (r > n)
		r = n;
	return v[r - 1] / 1000.0;
}

static void summary(const char *name, uint64_t *v, size_t n, bool json, bool last)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	if (json)
		printf("\"%s_us\": {\"n\": %zu, \"p50\": %.1f, \"p99\": %.1f, \"p99.9\": %.1f, \"max\": %.1f}%s",
		       name, n, pct(v, n, 50), pct(v, n, 99), pct(v, n, 99.9),
		       pct(v, n, 100), last ? "" : ", ");
	else
		printf("zsp-critical: %-6s n %zu p50 %.1f p99 %.1f p99.9 %.1f max %.1f us\n",
		       name, n, pct(v, n, 50), pct(v, n, 99), pct(v, n, 99.9), pct(v, n, 100));
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: zsp-critical [-N PAGES] [-n TOUCHES] [-I PERIOD_US] [-f PRIO]\n"
		"                    [-H HOGS] [-h HOG_PRIO] [-r RUN_US] [-s SLEEP_US] [-L SEC]\n"
		"                    [-C CPU] [-j]\n"
		"  -N  pages the critical task owns (256)      -n  touches (2000)\n"
		"  -I  period between touches, us (2000)        -f  its SCHED_FIFO priority (90)\n"
		"  -H  CPU hogs (1)   -h  their SCHED_FIFO priority (50)\n"
		"  -r  hog spin, us (3000)   -s  hog sleep, us (1000)\n"
		"  -L  hogs stop after this many seconds (0: when the task is done)\n"
		"  -C  run the task and the hogs on this CPU   -j  JSON\n");
}

int main(int argc, char **argv)
{
	struct opts o = {
		.pages = 256, .touches = 2000, .period_us = 2000, .prio = 90,
		.hogs = 1, .hog_prio = 50, .hog_run_us = 3000, .hog_sleep_us = 1000,
		.cpu = -1,
	};
	unsigned long i, bad = 0, resident = 0, not_out = 0, overruns = 0;
	unsigned int expired = 0;
	pid_t hogs[MAX_HOGS];
	int status;
	uint64_t *wake, *swapin, next;
	size_t nswap = 0;
	struct rusage ru;
	long majflt;
	uint8_t *mem;
	unsigned int h;
	char *end;
	int c;

	while ((c = getopt(argc, argv, "N:n:I:f:H:h:r:s:L:C:j")) != -1) {
		errno = 0;
		end = NULL;
		switch (c) {
		case 'N': o.pages = strtoul(optarg, &end, 0); break;
		case 'n': o.touches = strtoul(optarg, &end, 0); break;
		case 'I': o.period_us = strtoul(optarg, &end, 0); break;
		case 'f': o.prio = strtol(optarg, &end, 0); break;
		case 'H': o.hogs = strtoul(optarg, &end, 0); break;
		case 'h': o.hog_prio = strtol(optarg, &end, 0); break;
		case 'r': o.hog_run_us = strtoul(optarg, &end, 0); break;
		case 's': o.hog_sleep_us = strtoul(optarg, &end, 0); break;
		case 'L': o.hog_limit_s = strtoul(optarg, &end, 0); break;
		case 'C': o.cpu = strtol(optarg, &end, 0); break;
		case 'j': o.json = true; end = ""; break;
		default: usage(stderr); return 2;
		}
		if (errno || !end || *end) {
			fprintf(stderr, "zsp-critical: bad value '%s' for -%c\n", optarg, c);
			return 2;
		}
	}
	if (optind != argc || !o.pages || !o.touches || !o.period_us ||
	    o.hogs > MAX_HOGS || o.prio < 1 || o.prio > 99 ||
	    o.hog_prio < 1 || o.hog_prio >= o.prio) {
		fprintf(stderr, "zsp-critical: bad arguments (the hogs' priority must be below the task's)\n");
		usage(stderr);
		return 2;
	}

	wake = calloc(o.touches, sizeof(*wake));
	swapin = calloc(o.touches, sizeof(*swapin));
	mem = mmap(NULL, o.pages * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!wake || !swapin || mem == MAP_FAILED) {
		fprintf(stderr, "zsp-critical: cannot allocate %lu pages\n", o.pages);
		return 3;
	}
	for (i = 0; i < o.pages; i++)
		fill(mem + i * PAGE, i);
	if (madvise(mem, o.pages * PAGE, MADV_PAGEOUT)) {
		fprintf(stderr, "zsp-critical: madvise(MADV_PAGEOUT): %s (needs Linux 5.4 and swap)\n",
			strerror(errno));
		return 3;
	}

	for (h = 0; h < o.hogs; h++) {
		hogs[h] = fork();
		if (hogs[h] < 0) {
			fprintf(stderr, "zsp-critical: fork: %s\n", strerror(errno));
			o.hogs = h;
			break;
		}
		if (!hogs[h])
			hog(&o);
	}
	if (h < o.hogs || set_fifo(o.prio, o.cpu, "critical task")) {
		for (i = 0; i < h; i++)
			kill(hogs[i], SIGKILL);
		return 3;
	}

	next = now_ns();
	for (i = 0; i < o.touches; i++) {
		uint8_t *p = mem + (i % o.pages) * PAGE;
		struct timespec ts;
		uint64_t t0, t1;
		volatile uint8_t v;

		next += o.period_us * 1000;
		ts.tv_sec = next / 1000000000ULL;
		ts.tv_nsec = next % 1000000000ULL;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
		getrusage(RUSAGE_THREAD, &ru);
		majflt = ru.ru_majflt;
		t0 = now_ns();
		v = p[0];
		t1 = now_ns();
		(void)v;
		wake[i] = t0 > next ? t0 - next : 0;
		getrusage(RUSAGE_THREAD, &ru);
		if (ru.ru_majflt > majflt)
			swapin[nswap++] = t1 - t0;
		else
			resident++;
		if (!check(p, i % o.pages))
			bad++;
		/* Out again, so the next touch of this page is a swap-in. */
		if (madvise(p, PAGE, MADV_PAGEOUT))
			not_out++;
		/*
		 * A touch that overran its period would make the next wake
		 * look late by the overrun: the swap-in time holds that
		 * already, so skip the missed deadlines and count them.
		 */
		while (next + o.period_us * 1000 <= now_ns()) {
			next += o.period_us * 1000;
			overruns++;
		}
	}

	for (h = 0; h < o.hogs; h++) {
		kill(hogs[h], SIGKILL);
		if (waitpid(hogs[h], &status, 0) == hogs[h] &&
		    WIFEXITED(status) && !WEXITSTATUS(status))
			expired++;
	}
	if (o.json) {
		printf("{\"touches\": %lu, \"pages\": %lu, \"period_us\": %lu, \"prio\": %d, "
		       "\"hogs\": %u, \"hog_prio\": %d, \"hog_run_us\": %lu, \"hog_sleep_us\": %lu, "
		       "\"swapins\": %zu, \"resident\": %lu, \"pageout_failed\": %lu, \"overruns\": %lu, \"bad\": %lu, "
		       "\"hog_limit_s\": %lu, \"hogs_expired\": %u, ",
		       o.touches, o.pages, o.period_us, o.prio, o.hogs, o.hog_prio,
		       o.hog_run_us, o.hog_sleep_us, nswap, resident, not_out, overruns, bad,
		       o.hog_limit_s, expired);
		summary("wake", wake, o.touches, true, false);
		summary("swapin", swapin, nswap, true, true);
		printf("}\n");
	} else {
		printf("zsp-critical: %lu touches, %zu swap-ins, %lu resident, %lu missed deadlines, %lu bad, %u of %u hogs ran out of time\n",
		       o.touches, nswap, resident, overruns, bad, expired, o.hogs);
		summary("wake", wake, o.touches, false, false);
		summary("swapin", swapin, nswap, false, true);
	}
	if (bad)
		fprintf(stderr, "zsp-critical: %lu touches read wrong contents\n", bad);
	if (!nswap)
		fprintf(stderr, "zsp-critical: no touch was a swap-in: nothing was measured\n");
	return bad || !nswap ? 1 : 0;
}
