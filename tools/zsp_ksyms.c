// SPDX-License-Identifier: GPL-2.0
/* Kernel symbols, read from /proc/kallsyms. See zsp_common.h. */
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
