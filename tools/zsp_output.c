// SPDX-License-Identifier: GPL-2.0
/* Histograms: percentiles, their text rows and their JSON. See zsp_common.h. */
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

void zsp_print_losses(FILE *f, __u64 misses, __u64 dropped)
{
	if (misses || dropped)
		fprintf(f, "%s: WARNING: events were lost: %llu program runs skipped by the kernel (recursion), %llu dropped (no room in a map or task storage); the figures above undercount\n",
			zsp_tool_name, (unsigned long long)misses, (unsigned long long)dropped);
	else
		fprintf(f, "%s: no events lost\n", zsp_tool_name);
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

void zsp_hist_print_log2(FILE *f, const struct zsp_hist *h, int indent)
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
	fprintf(f, "%*s%22s : %-10s distribution\n", indent, "", "nsecs", "count");
	for (int i = first; i <= last; i++) {
		unsigned long long lo = i ? 1ULL << (i - 1) : 0, hi = i ? (1ULL << i) - 1 : 0;
		int stars = maxc ? (int)(slots[i] * 40 / maxc) : 0;

		fprintf(f, "%*s%10llu -> %-9llu : %-10llu |%-40.*s|\n", indent, "", lo, hi,
			(unsigned long long)slots[i], stars,
			"****************************************");
	}
}

void zsp_hist_print_header(FILE *f, const char *first, int indent)
{
	fprintf(f, "%*s%-12s %10s %10s %10s %10s %10s %10s %10s  (%s)\n", indent, "", first, "count",
		"mean", "p50", "p90", "p99", "p99.9", "max", zsp_unit_name());
}

void zsp_hist_print_row(FILE *f, const char *name, const struct zsp_hist *h, int indent)
{
	if (!h->count) {
		fprintf(f, "%*s%-12s %10s\n", indent, "", name, "0");
		return;
	}
	fprintf(f, "%*s%-12s %10llu %10.1f %10.1f %10.1f %10.1f %10.1f %10.1f\n", indent, "", name,
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
		else if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x80)
			/*
			 * A task name or file name is bytes, not always UTF-8 (a
			 * comm cut inside a character): read each as Latin-1 so
			 * the JSON stays valid.
			 */
			fprintf(f, "\\u%04x", (unsigned char)*s);
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
