// SPDX-License-Identifier: GPL-2.0
/*
 * The tools' histograms, end to end on the host: values recorded with the
 * BPF programs' own zsp_hist_add() into four per-CPU histograms, as the
 * maps hold them, merged with the tools' zsp_hist_merge(), read with
 * zsp_hist_percentile(). For each of five shapes of latency distribution:
 * p50/p90/p99/p99.9 within 5% of the exact percentiles of the values, and
 * the merged count, sum and max equal to the exact ones. TAP output.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "zsp_common.h"

/* What zsp_hist_add() asks of the BPF helpers, outside the kernel. */
static __u64 bpf_get_current_pid_tgid(void)
{
	return 4242;
}

static long bpf_get_current_comm(void *buf, __u32 size)
{
	strncpy(buf, "hist_accuracy", size);
	return 0;
}

#include "zsp_hist.bpf.h"

#define NCPU 4

static int cmp(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

static uint64_t rng = 88172645463325252ULL;

static double uniform01(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (rng >> 11) * (1.0 / 9007199254740992.0);
}

int main(void)
{
	static const char *const shapes[] = { "uniform", "lognormal", "exponential", "bimodal", "tiny" };
	static const double ps[] = { 50, 90, 99, 99.9 };
	const size_t n = 200000;
	__u64 *v = malloc(n * sizeof(*v));
	int t = 0, fails = 0;

	printf("TAP version 13\n");
	for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		static struct zsp_hist cpu[NCPU], h;
		__u64 max = 0, sum = 0;
		double worst = 0;

		memset(cpu, 0, sizeof(cpu));
		memset(&h, 0, sizeof(h));
		for (size_t i = 0; i < n; i++) {
			double u = uniform01(), x;

			switch (s) {
			case 0: x = 1000 + u * 999000; break;
			case 1: x = exp(9 + 1.2 * sqrt(-2 * log(u + 1e-12)) * cos(6.283185 * uniform01())); break;
			case 2: x = -log(u + 1e-12) * 20000; break;
			case 3: x = u < 0.9 ? 3000 + uniform01() * 500 : 400000 + uniform01() * 100000; break;
			default: x = u * 40; break;
			}
			v[i] = (__u64)x;
			zsp_hist_add(&cpu[i % NCPU], v[i]);
			sum += v[i];
			if (v[i] > max)
				max = v[i];
		}
		for (int c = 0; c < NCPU; c++)
			zsp_hist_merge(&h, &cpu[c]);
		qsort(v, n, sizeof(*v), cmp);
		for (size_t p = 0; p < sizeof(ps) / sizeof(ps[0]); p++) {
			size_t rank = (size_t)ceil(ps[p] / 100 * n);
			__u64 exact = v[rank - 1], got = zsp_hist_percentile(&h, ps[p]);
			double err = exact ? fabs((double)got - exact) / exact : (got > 1);

			if (err > worst)
				worst = err;
		}
		t++;
		if (worst <= 0.05) {
			printf("ok %d %s: p50/p90/p99/p99.9 within %.2f%% of exact\n", t, shapes[s], worst * 100);
		} else {
			printf("not ok %d %s: a percentile is %.2f%% off (limit 5%%)\n", t, shapes[s], worst * 100);
			fails++;
		}
		t++;
		if (h.count == n && h.sum == sum && h.max == max) {
			printf("ok %d %s: merged count, sum and max exact\n", t, shapes[s]);
		} else {
			printf("not ok %d %s: merged count %llu sum %llu max %llu, want %zu, %llu, %llu\n",
			       t, shapes[s], (unsigned long long)h.count, (unsigned long long)h.sum,
			       (unsigned long long)h.max, n, (unsigned long long)sum,
			       (unsigned long long)max);
			fails++;
		}
	}
	printf("1..%d\n", t);
	free(v);
	return fails ? 1 : 0;
}
