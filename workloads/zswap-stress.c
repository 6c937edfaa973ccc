// SPDX-License-Identifier: GPL-2.0
/*
 * zswap-stress: push anonymous memory through zswap and verify every byte.
 *
 * Fills more memory than the process may keep resident (a memory cgroup with
 * memory.max, or simply more than the machine has) with pages of six kinds,
 * then reads them back in random order, several passes, regenerating each
 * page's expected contents and comparing byte for byte. Some pages are
 * rewritten between passes so stores keep happening alongside loads.
 *
 *   incompressible  xorshift noise; zswap usually rejects or stores it big
 *   text            repetitive ASCII, compresses to a few hundred bytes
 *   same-filled     one machine word repeated (zswap's same-filled path)
 *   mixed           half noise, half zeroes
 *   graded          a noise prefix of 1..4095 bytes then zeroes: compressed
 *                   sizes sweep every zsmalloc size class, including the
 *                   classes whose objects straddle two pages; the longest
 *                   prefixes do not compress into a page and go to disk
 *   classes         the same with a prefix of 1..3072 bytes: most size
 *                   classes, the straddling ones included, and every page
 *                   compresses into one, so none of them reaches the disk
 *                   (the benchmark's deterministic phase needs pswpin 0)
 *
 * It reports the zswap/swap counter deltas it caused and, with -Z N, fails
 * unless zswap served at least N loads: a "pass" with no zswap traffic would
 * test nothing.
 *
 * Exit: 0 all verified, 1 corruption or too few zswap loads, 2 usage,
 * 3 environment (allocation, cgroup) failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define NKINDS 6

enum kind { K_NOISE, K_TEXT, K_SAME, K_MIXED, K_GRADED, K_CLASSES };
static const char *const kind_name[NKINDS] = {
	"incompressible", "text", "same-filled", "mixed", "graded", "classes",
};
/* One letter per kind, in enum order, for -k. */
static const char kind_letters[] = "ntsmgc";

struct opts {
	unsigned long mib;
	unsigned int passes;
	unsigned int procs;
	unsigned int rewrite_pct;
	unsigned long cg_max_mib;
	uint64_t seed;
	unsigned long min_zswpin;
	const char *kinds;	/* subset of kind_letters */
	bool json;
	bool corrupt;
	bool discard;		/* -D: drop every other page after the fill */
	const char *arm;	/* -K: file to write the worker's pid to */
	double max_seconds;
};

struct counters {
	unsigned long long zswpin, zswpout, pswpin, pswpout;
	unsigned long long stored, same_filled, reject_compress_poor,
		reject_alloc_fail, reject_kmemcache_fail, pool_limit_hit,
		written_back, duplicate_entry;
	unsigned long long ctxt;	/* /proc/stat: context switches, all CPUs */
};

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/* Expected contents of page @idx at generation @gen: a pure function. */
static void fill_page(uint8_t *p, enum kind k, uint64_t seed, size_t idx,
		      unsigned int gen)
{
	uint64_t s = mix64(seed ^ (idx * 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)gen << 56)) | 1;
	uint64_t *w = (uint64_t *)p;
	size_t i, n;

	switch (k) {
	case K_NOISE:
		for (i = 0; i < PAGE / 8; i++) {
			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			w[i] = s;
		}
		break;
	case K_TEXT:
		for (i = 0; i < PAGE; i++)
			p[i] = "zswap preempt "[(i + (s & 7)) % 14];
		/* A per-page stamp so no two pages are identical. */
		memcpy(p + 64, &s, sizeof(s));
		memcpy(p + 2048, &idx, sizeof(idx));
		break;
	case K_SAME:
		/* Zero pages too: a third of the same-filled pages. */
		s = (s % 3 == 0) ? 0 : s;
		for (i = 0; i < PAGE / 8; i++)
			w[i] = s;
		break;
	case K_MIXED:
		for (i = 0; i < PAGE / 16; i++) {
			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			w[i] = s;
		}
		memset(p + PAGE / 2, 0, PAGE / 2);
		break;
	case K_GRADED:
	case K_CLASSES:
		n = k == K_GRADED ? 1 + mix64(idx ^ seed) % (PAGE - 1) :
				    1 + mix64(idx ^ seed) % 3072;
		for (i = 0; i < n; i++) {
			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			p[i] = (uint8_t)s;
		}
		memset(p + n, 0, PAGE - n);
		break;
	}
}

static int read_counters(struct counters *c)
{
	static const struct {
		const char *path;
		size_t off;
	} dbg[] = {
		{ "stored_pages", offsetof(struct counters, stored) },
		{ "same_filled_pages", offsetof(struct counters, same_filled) },
		{ "reject_compress_poor", offsetof(struct counters, reject_compress_poor) },
		{ "reject_alloc_fail", offsetof(struct counters, reject_alloc_fail) },
		{ "reject_kmemcache_fail", offsetof(struct counters, reject_kmemcache_fail) },
		{ "pool_limit_hit", offsetof(struct counters, pool_limit_hit) },
		{ "written_back_pages", offsetof(struct counters, written_back) },
		{ "duplicate_entry", offsetof(struct counters, duplicate_entry) },
	};
	char line[256], path[128];
	unsigned long long v;
	FILE *f;
	size_t i;

	memset(c, 0, sizeof(*c));
	f = fopen("/proc/vmstat", "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "zswpin %llu", &v) == 1)
			c->zswpin = v;
		else if (sscanf(line, "zswpout %llu", &v) == 1)
			c->zswpout = v;
		else if (sscanf(line, "pswpin %llu", &v) == 1)
			c->pswpin = v;
		else if (sscanf(line, "pswpout %llu", &v) == 1)
			c->pswpout = v;
	}
	fclose(f);
	f = fopen("/proc/stat", "r");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "ctxt %llu", &v) == 1)
				c->ctxt = v;
		fclose(f);
	}
	for (i = 0; i < sizeof(dbg) / sizeof(dbg[0]); i++) {
		snprintf(path, sizeof(path), "/sys/kernel/debug/zswap/%s", dbg[i].path);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fscanf(f, "%llu", &v) == 1)
			*(unsigned long long *)((char *)c + dbg[i].off) = v;
		fclose(f);
	}
	return 0;
}

static int join_cgroup(unsigned long max_mib)
{
	char dir[96], path[128], buf[32];
	FILE *f;

	snprintf(dir, sizeof(dir), "/sys/fs/cgroup/zswap-stress.%d", getpid());
	if (mkdir(dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "zswap-stress: mkdir %s: %s (is cgroup2 mounted?)\n",
			dir, strerror(errno));
		return -1;
	}
	/* The memory controller must be enabled for children of the root. */
	f = fopen("/sys/fs/cgroup/cgroup.subtree_control", "w");
	if (f) {
		fputs("+memory", f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/memory.max", dir);
	f = fopen(path, "w");
	if (!f || fprintf(f, "%lu\n", max_mib << 20) < 0 || fclose(f)) {
		fprintf(stderr, "zswap-stress: cannot set %s: %s\n", path, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(buf, sizeof(buf), "%d\n", getpid());
	f = fopen(path, "w");
	if (!f || fputs(buf, f) < 0 || fclose(f)) {
		fprintf(stderr, "zswap-stress: cannot join %s: %s\n", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static void leave_cgroup(void)
{
	char dir[96];
	FILE *f = fopen("/sys/fs/cgroup/cgroup.procs", "w");

	if (f) {
		fprintf(f, "%d\n", getpid());
		fclose(f);
	}
	snprintf(dir, sizeof(dir), "/sys/fs/cgroup/zswap-stress.%d", getpid());
	rmdir(dir);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double tv_secs(struct timeval tv)
{
	return tv.tv_sec + tv.tv_usec / 1e6;
}

struct result {
	unsigned long pages;
	unsigned long verified;
	unsigned long bad;
	unsigned long rewritten;
	unsigned int passes_done;
	double seconds;
};

/* One worker: its own region, seed and page kinds. Returns 0 if all good. */
/*
 * SIGINT ends the run early but cleanly: the parent forwards it to the
 * workers, each stops after the page it is on, and the report covers what
 * was read and verified until then (exit 0 unless a page was bad).
 */
static volatile sig_atomic_t stop;
/*
 * The fill/passes barrier: each worker writes a byte to ready[1] once its
 * pages are out, then waits for go[0] to reach end of file, which the
 * parent causes by closing go[1] once every worker is ready (or gone). The
 * parent reads the counters at that point: the swap-in passes alone.
 */
static int ready[2] = { -1, -1 }, go[2] = { -1, -1 };
static pid_t workers[64];
static volatile sig_atomic_t nworkers;

static void on_sigint(int sig)
{
	sig_atomic_t i;

	(void)sig;
	stop = 1;
	for (i = 0; i < nworkers; i++)
		kill(workers[i], SIGINT);
}

static int worker(const struct opts *o, unsigned int id, struct result *r)
{
	size_t npages = (o->mib << 20) / PAGE / o->procs;
	uint64_t seed = mix64(o->seed + id);
	enum kind kinds[NKINDS];
	unsigned int nk = 0, pass;
	uint8_t *mem, *gen, *gone, *expect;
	size_t *perm, i, j;
	double t0 = now();

	for (i = 0; i < NKINDS; i++)
		if (strchr(o->kinds, kind_letters[i]))
			kinds[nk++] = i;
	memset(r, 0, sizeof(*r));
	mem = mmap(NULL, npages * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	gen = calloc(npages, 1);
	gone = calloc(npages, 1);
	perm = malloc(npages * sizeof(*perm));
	expect = aligned_alloc(PAGE, PAGE);
	if (mem == MAP_FAILED || !gen || !gone || !perm || !expect) {
		fprintf(stderr, "zswap-stress: cannot allocate %zu pages\n", npages);
		return 3;
	}
	/* THP would swap out as whole huge pages and split; keep it per page. */
	madvise(mem, npages * PAGE, MADV_NOHUGEPAGE);
	for (i = 0; i < npages; i++) {
		fill_page(mem + i * PAGE, kinds[i % nk], seed, i, 0);
		perm[i] = i;
	}
	r->pages = npages;
	/*
	 * -D: once the fill has pushed the pages out, drop every other one.
	 * Each drop frees its zswap object, which leaves zsmalloc's zspages
	 * half empty: the pool shrinker then has objects to move while the
	 * remaining pages are read back. A dropped page reads as zeroes until
	 * a rewrite fills it again.
	 */
	if (o->discard) {
		for (i = 1; i < npages; i += 2) {
			if (madvise(mem + i * PAGE, PAGE, MADV_DONTNEED)) {
				fprintf(stderr, "zswap-stress: madvise(MADV_DONTNEED): %s\n", strerror(errno));
				return 3;
			}
			gone[i] = 1;
		}
	}
	if (o->corrupt)
		mem[(npages / 2) * PAGE + 123] ^= 0x40;
	/*
	 * -K: tell a kernel test knob (zswap's debug_corrupt_tgid) who we
	 * are, once our pages are out, so that it is our next load it hits.
	 */
	if (o->arm) {
		FILE *f = fopen(o->arm, "w");

		if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f)) {
			fprintf(stderr, "zswap-stress: cannot write pid to %s: %s\n", o->arm, strerror(errno));
			return 3;
		}
	}
	{
		char c = 1;

		if (write(ready[1], &c, 1) != 1)
			return 3;
		close(ready[1]);
		while (read(go[0], &c, 1) < 0 && errno == EINTR && !stop)
			;
		close(go[0]);
	}
	for (pass = 0; pass < o->passes; pass++) {
		uint64_t s = mix64(seed + pass + 1);

		/* Fisher-Yates: every pass visits every page once, in a new order. */
		for (i = npages - 1; i > 0; i--) {
			s = mix64(s);
			j = s % (i + 1);
			size_t t = perm[i];

			perm[i] = perm[j];
			perm[j] = t;
		}
		for (i = 0; i < npages && !stop; i++) {
			size_t p = perm[i];
			uint8_t *page = mem + p * PAGE;

			if (gone[p])
				memset(expect, 0, PAGE);
			else
				fill_page(expect, kinds[p % nk], seed, p, gen[p]);
			if (memcmp(page, expect, PAGE)) {
				size_t b = 0;

				while (page[b] == expect[b])
					b++;
				if (r->bad < 10)
					fprintf(stderr,
						"zswap-stress: worker %u pass %u: page %zu (%s, gen %u) differs at byte %zu: got %02x want %02x\n",
						id, pass, p, kind_name[kinds[p % nk]], gen[p],
						b, page[b], expect[b]);
				r->bad++;
			}
			r->verified++;
			s = mix64(s);
			if (s % 100 < o->rewrite_pct) {
				gen[p]++;
				gone[p] = 0;
				fill_page(page, kinds[p % nk], seed, p, gen[p]);
				r->rewritten++;
			}
		}
		if (stop)
			break;
		r->passes_done++;
		if (o->max_seconds > 0 && now() - t0 > o->max_seconds)
			break;
	}
	r->seconds = now() - t0;
	munmap(mem, npages * PAGE);
	free(gen);
	free(gone);
	free(perm);
	free(expect);
	return r->bad ? 1 : 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: zswap-stress [options]\n"
		"  -m MIB      memory to fill (default 256)\n"
		"  -c MIB      run in a new memory cgroup with memory.max=MIB (default: none)\n"
		"  -p PASSES   random-order verify passes (default 3)\n"
		"  -P PROCS    worker processes sharing the memory (default 1)\n"
		"  -w PCT      rewrite PCT%% of pages per pass (default 10)\n"
		"  -k KINDS    page kinds from n(oise) t(ext) s(ame) m(ixed) g(raded) c(lasses) (default ntsmg)\n"
		"  -s SEED     seed (default 1)\n"
		"  -T SECONDS  stop starting new passes after SECONDS\n"
		"  -Z LOADS    fail unless zswap served at least LOADS loads (zswpin delta)\n"
		"  -j          JSON output\n"
		"  -X          flip one byte after the fill (checks the verifier itself)\n"
		"  -D          drop every other page after the fill (fragments the pool)\n"
		"  -K PATH     each worker writes its pid to PATH after the fill (test knobs)\n"
		"  -h          this help\n");
}

int main(int argc, char **argv)
{
	struct opts o = {
		.mib = 256, .passes = 3, .procs = 1, .rewrite_pct = 10,
		.seed = 1, .kinds = "ntsmg",
	};
	struct counters before, mid, after;
	struct sigaction sa = { 0 };
	struct rusage ru;
	struct result total = { 0 }, *res;
	unsigned int i;
	int c, rc = 0;
	double t0, t1, secs, pass_secs;
	unsigned int nready = 0;
	char *end;

	while ((c = getopt(argc, argv, "m:c:p:P:w:k:s:T:Z:K:jXDh")) != -1) {
		errno = 0;
		switch (c) {
		case 'm': o.mib = strtoul(optarg, &end, 0); break;
		case 'c': o.cg_max_mib = strtoul(optarg, &end, 0); break;
		case 'p': o.passes = strtoul(optarg, &end, 0); break;
		case 'P': o.procs = strtoul(optarg, &end, 0); break;
		case 'w': o.rewrite_pct = strtoul(optarg, &end, 0); break;
		case 's': o.seed = strtoull(optarg, &end, 0); break;
		case 'T': o.max_seconds = strtod(optarg, &end); break;
		case 'Z': o.min_zswpin = strtoul(optarg, &end, 0); break;
		case 'k': o.kinds = optarg; end = optarg + strspn(optarg, kind_letters); break;
		case 'j': o.json = true; end = ""; break;
		case 'X': o.corrupt = true; end = ""; break;
		case 'D': o.discard = true; end = ""; break;
		case 'K': o.arm = optarg; end = ""; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
		if (errno || *end) {
			fprintf(stderr, "zswap-stress: bad value '%s' for -%c\n", optarg, c);
			return 2;
		}
	}
	if (optind != argc || !o.mib || !o.procs || o.procs > 64 || o.rewrite_pct > 100 ||
	    !*o.kinds || (o.mib << 20) / PAGE / o.procs < 2) {
		usage(stderr);
		return 2;
	}
	if (o.cg_max_mib && join_cgroup(o.cg_max_mib))
		return 3;

	read_counters(&before);
	res = mmap(NULL, sizeof(*res) * o.procs, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED)
		return 3;
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	if (pipe(ready) || pipe(go))
		return 3;
	t0 = now();
	for (i = 0; i < o.procs; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return 3;
		if (pid == 0) {
			nworkers = 0;	/* a worker forwards to no one */
			close(ready[0]);
			close(go[1]);
			_exit(worker(&o, i, &res[i]));
		}
		workers[i] = pid;
		nworkers = i + 1;
	}
	/* Every worker ready (a byte each) or gone (end of file): go. */
	close(ready[1]);
	close(go[0]);
	for (;;) {
		char c;
		ssize_t n = read(ready[0], &c, 1);

		if (n == 1 && ++nready < o.procs)
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		break;
	}
	close(ready[0]);
	read_counters(&mid);
	t1 = now();
	close(go[1]);
	for (i = 0; i < o.procs; i++) {
		pid_t w;
		int st;

		while ((w = wait(&st)) < 0 && errno == EINTR)
			;
		if (w < 0)
			break;
		if (!WIFEXITED(st)) {
			fprintf(stderr, "zswap-stress: worker killed by signal %d\n",
				WTERMSIG(st));
			rc = 1;
		} else if (WEXITSTATUS(st) && !rc) {
			rc = WEXITSTATUS(st);
		}
	}
	secs = now() - t0;
	pass_secs = now() - t1;
	read_counters(&after);
	/* The workers' own CPU time and switches: where a swap-in's time went. */
	getrusage(RUSAGE_CHILDREN, &ru);
	if (o.cg_max_mib)
		leave_cgroup();

	for (i = 0; i < o.procs; i++) {
		total.pages += res[i].pages;
		total.verified += res[i].verified;
		total.bad += res[i].bad;
		total.rewritten += res[i].rewritten;
		if (!i || res[i].passes_done < total.passes_done)
			total.passes_done = res[i].passes_done;
	}
#define D(f) (after.f - before.f)
	if (o.json) {
		printf("{\"mib\": %lu, \"procs\": %u, \"passes\": %u, \"pages\": %lu, "
		       "\"verified\": %lu, \"bad\": %lu, \"rewritten\": %lu, \"seconds\": %.3f, "
		       "\"zswpin\": %llu, \"zswpout\": %llu, \"pswpin\": %llu, \"pswpout\": %llu, "
		       "\"zswap_stored_pages\": %llu, \"zswap_same_filled_pages\": %llu, "
		       "\"zswap_reject_compress_poor\": %llu, \"zswap_reject_alloc_fail\": %llu, "
		       "\"zswap_written_back\": %llu, "
		       "\"ctxt\": %llu, \"worker_vcsw\": %ld, \"worker_ivcsw\": %ld, "
		       "\"worker_utime\": %.3f, \"worker_stime\": %.3f, "
		       "\"zswpin_per_sec\": %.1f, \"pass_seconds\": %.3f, \"pass_zswpin\": %llu, "
		       "\"pass_zswpin_per_sec\": %.1f, \"status\": \"%s\"}\n",
		       o.mib, o.procs, total.passes_done, total.pages, total.verified,
		       total.bad, total.rewritten, secs, D(zswpin), D(zswpout),
		       D(pswpin), D(pswpout), after.stored, after.same_filled,
		       D(reject_compress_poor), D(reject_alloc_fail), D(written_back),
		       D(ctxt), ru.ru_nvcsw, ru.ru_nivcsw, tv_secs(ru.ru_utime), tv_secs(ru.ru_stime),
		       D(zswpin) / secs, pass_secs, after.zswpin - mid.zswpin,
		       (after.zswpin - mid.zswpin) / pass_secs, rc ? "fail" : "ok");
	} else {
		printf("zswap-stress: %lu MiB, %u proc(s), %u pass(es): %lu page reads verified, %lu bad, %lu rewritten, %.1f s\n",
		       o.mib, o.procs, total.passes_done, total.verified, total.bad,
		       total.rewritten, secs);
		printf("zswap-stress: zswpout %llu zswpin %llu (%.0f loads/s) pswpout %llu pswpin %llu; reject_compress_poor %llu written_back %llu; stored now %llu (same-filled %llu)\n",
		       D(zswpout), D(zswpin), D(zswpin) / secs, D(pswpout), D(pswpin),
		       D(reject_compress_poor), D(written_back), after.stored,
		       after.same_filled);
	}
	if (!rc && D(zswpin) < o.min_zswpin) {
		fprintf(stderr, "zswap-stress: zswap served %llu loads, fewer than the %lu required (-Z): nothing was tested\n",
			D(zswpin), o.min_zswpin);
		rc = 1;
	}
	return rc;
}
