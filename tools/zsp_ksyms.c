// SPDX-License-Identifier: GPL-2.0
/* Kernel symbols: the one /proc/kallsyms reader, symbols, stacks. See zsp_common.h. */
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

/*
 * The one reader of /proc/kallsyms: calls @fn for every symbol, with its
 * module name or "" for the kernel's own, until @fn returns non-zero.
 * Returns -1 if the file cannot be read.
 */
static int kallsyms_each(int (*fn)(unsigned long long addr, char type, const char *name,
				   const char *mod, void *ctx), void *ctx)
{
	char line[512], name[256], mod[128], type;
	unsigned long long addr;
	FILE *f;

	f = fopen("/proc/kallsyms", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		mod[0] = 0;
		if (sscanf(line, "%llx %c %255s [%127[^]]]", &addr, &type, name, mod) < 3)
			continue;
		if (fn(addr, type, name, mod, ctx))
			break;
	}
	fclose(f);
	return 0;
}

struct addrs_ctx {
	const char *const *names;
	unsigned long long *addrs;
	int n, found;
};

static int addrs_one(unsigned long long addr, char type, const char *name, const char *mod,
		     void *ctx)
{
	struct addrs_ctx *c = ctx;

	for (int i = 0; i < c->n; i++)
		if (!c->addrs[i] && !strcmp(name, c->names[i])) {
			c->addrs[i] = addr;
			c->found++;
		}
	return c->found == c->n;
}

int zsp_kallsyms_addrs(const char *const *names, int n, unsigned long long *addrs)
{
	struct addrs_ctx c = { .names = names, .addrs = addrs, .n = n };

	for (int i = 0; i < n; i++)
		addrs[i] = 0;
	kallsyms_each(addrs_one, &c);
	return c.found;
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

struct load_ctx {
	struct zsp_ksyms *ks;
	size_t cap, strcap, used;
};

static int load_one(unsigned long long addr, char type, const char *name, const char *mod,
		    void *ctx)
{
	struct load_ctx *c = ctx;
	struct zsp_ksyms *ks = c->ks;
	size_t need;

	if (!addr || (type != 't' && type != 'T' && type != 'W' && type != 'w'))
		return 0;
	if (ks->n == c->cap) {
		struct zsp_ksym *p;

		c->cap = c->cap ? c->cap * 2 : 65536;
		p = realloc(ks->syms, c->cap * sizeof(*ks->syms));
		if (!p)
			return 1;	/* keep what was read */
		ks->syms = p;
	}
	need = strlen(name) + strlen(mod) + 2;
	if (c->used + need > c->strcap) {
		char *p;

		c->strcap = (c->strcap + need) * 2;
		p = realloc(ks->strs, c->strcap);
		if (!p)
			return 1;
		ks->strs = p;
	}
	/* Names are stored as offsets first; the string block may move. */
	ks->syms[ks->n].addr = addr;
	ks->syms[ks->n].name = (char *)(uintptr_t)c->used;
	strcpy(ks->strs + c->used, name);
	c->used += strlen(name) + 1;
	ks->syms[ks->n].mod = (char *)(uintptr_t)c->used;
	strcpy(ks->strs + c->used, mod);
	c->used += strlen(mod) + 1;
	ks->n++;
	return 0;
}

struct zsp_ksyms *zsp_ksyms_load(void)
{
	struct load_ctx c = { .ks = calloc(1, sizeof(*c.ks)) };
	struct zsp_ksyms *ks = c.ks;

	if (!ks)
		return NULL;
	if (kallsyms_each(load_one, &c)) {
		free(ks);
		return NULL;
	}
	/* As before: what was read until memory ran out is still used. */
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

int zsp_ksym_extents(const struct zsp_ksyms *ks, const char *const *names, int n,
		     __u64 *lo, __u64 *hi, int max)
{
	int found = 0;

	for (size_t i = 0; i < ks->n; i++) {
		const char *name = ks->syms[i].name;
		bool match = false;

		if (*ks->syms[i].mod)
			continue;
		for (int k = 0; k < n && !match; k++) {
			size_t len = strlen(names[k]);

			if (len && names[k][len - 1] == '*')
				match = !strncmp(name, names[k], len - 1);
			else
				match = !strcmp(name, names[k]);
		}
		if (!match)
			continue;
		/* It ends where the next symbol at a higher address begins. */
		for (size_t j = i + 1; j < ks->n; j++)
			if (ks->syms[j].addr > ks->syms[i].addr) {
				if (found == max)
					return -1;
				lo[found] = ks->syms[i].addr;
				hi[found++] = ks->syms[j].addr;
				break;
			}
	}
	return found;
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

/*
 * Text symbol names, read once: reading /proc/kallsyms costs seconds under
 * TCG and a tool resolves about twenty functions at start-up.
 */
static char *text_syms;
static size_t text_syms_len;

struct text_ctx {
	size_t cap;
	bool failed;
};

static int text_one(unsigned long long addr, char type, const char *name, const char *mod,
		    void *ctx)
{
	struct text_ctx *c = ctx;
	size_t need = strlen(name) + 1;

	if (type != 't' && type != 'T')
		return 0;
	if (text_syms_len + need > c->cap) {
		char *p;

		c->cap = (c->cap + need) * 2;
		p = realloc(text_syms, c->cap);
		if (!p)
			return c->failed = true;
		text_syms = p;
	}
	memcpy(text_syms + text_syms_len, name, need);
	text_syms_len += need;
	return 0;
}

static int text_syms_load(void)
{
	struct text_ctx c = { 0 };

	if (text_syms)
		return 0;
	if (kallsyms_each(text_one, &c) || c.failed)
		return -1;
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
