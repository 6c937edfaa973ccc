// SPDX-License-Identifier: GPL-2.0
/*
 * A tool's report as one tree of results, printed as JSON (-j) or text by
 * the same walk. See zsp_common.h for the calls and the text layout.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "zsp_common.h"

enum zsp_res_kind {
	ZSP_RES_OBJ,
	ZSP_RES_ARR,
	ZSP_RES_U64,
	ZSP_RES_NUM,
	ZSP_RES_TIME,
	ZSP_RES_STR,
	ZSP_RES_HIST,
	ZSP_RES_NOTE,
};

struct zsp_res {
	enum zsp_res_kind kind;
	char *key;			/* JSON member name; NULL in an array */
	char *text;			/* text label; NULL: JSON only */
	unsigned long long u;		/* U64, TIME (ns) */
	double num;			/* NUM */
	const char *fmt;		/* NUM: printf format of the value */
	char *str;			/* STR, NOTE */
	struct zsp_hist hist;		/* HIST */
	unsigned int flags;		/* HIST: ZSP_RES_LOG2 */
	struct zsp_res *child, *last, *next;
};

static char *dup_or_null(const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d) {
		fprintf(stderr, "%s: out of memory\n", zsp_tool_name);
		exit(ZSP_EXIT_ENV);
	}
	return d;
}

static struct zsp_res *add(struct zsp_res *parent, enum zsp_res_kind kind,
			   const char *key, const char *text)
{
	struct zsp_res *r = calloc(1, sizeof(*r));

	if (!r) {
		fprintf(stderr, "%s: out of memory\n", zsp_tool_name);
		exit(ZSP_EXIT_ENV);
	}
	/* An object's members are named; only a grouping object may go without. */
	if (parent && parent->kind == ZSP_RES_OBJ && !key && kind != ZSP_RES_OBJ &&
	    kind != ZSP_RES_NOTE) {
		fprintf(stderr, "%s: bug: a report member without a name\n", zsp_tool_name);
		abort();
	}
	r->kind = kind;
	/* An array's members are values: they have no name. */
	r->key = parent && parent->kind == ZSP_RES_ARR ? NULL : dup_or_null(key);
	r->text = dup_or_null(text);
	if (parent) {
		if (parent->last)
			parent->last->next = r;
		else
			parent->child = r;
		parent->last = r;
	}
	return r;
}

struct zsp_res *zsp_res_root(double secs)
{
	struct zsp_res *r = add(NULL, ZSP_RES_OBJ, NULL, NULL);

	zsp_res_str(r, "tool", NULL, zsp_tool_name);
	zsp_res_num(r, "seconds", "seconds traced", "%.3f", secs);
	return r;
}

struct zsp_res *zsp_res_obj(struct zsp_res *p, const char *key, const char *text)
{
	return add(p, ZSP_RES_OBJ, key, text);
}

struct zsp_res *zsp_res_arr(struct zsp_res *p, const char *key, const char *text)
{
	return add(p, ZSP_RES_ARR, key, text);
}

void zsp_res_u64(struct zsp_res *p, const char *key, const char *text, unsigned long long v)
{
	add(p, ZSP_RES_U64, key, text)->u = v;
}

void zsp_res_num(struct zsp_res *p, const char *key, const char *text, const char *fmt, double v)
{
	struct zsp_res *r = add(p, ZSP_RES_NUM, key, text);

	r->num = v;
	r->fmt = fmt;
}

void zsp_res_time(struct zsp_res *p, const char *key, const char *text, unsigned long long ns)
{
	add(p, ZSP_RES_TIME, key, text)->u = ns;
}

void zsp_res_str(struct zsp_res *p, const char *key, const char *text, const char *s)
{
	add(p, ZSP_RES_STR, key, text)->str = dup_or_null(s);
}

void zsp_res_hist(struct zsp_res *p, const char *key, const char *text,
		  const struct zsp_hist *h, unsigned int flags)
{
	struct zsp_res *r = add(p, ZSP_RES_HIST, key, text);

	r->hist = *h;
	r->flags = flags;
}

void zsp_res_note(struct zsp_res *p, const char *fmt, ...)
{
	struct zsp_res *r = add(p, ZSP_RES_NOTE, NULL, NULL);
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&r->str, fmt, ap) < 0)
		r->str = NULL;
	va_end(ap);
}

void zsp_res_stack(struct zsp_res *p, const char *key, const struct zsp_ksyms *ks,
		   struct bpf_map *stacks, __s32 id)
{
	struct zsp_res *a = zsp_res_arr(p, key, "");
	__u64 ips[ZSP_STACK_DEPTH] = { 0 };
	int depth = 0, d;
	char sym[256];

	if (id >= 0 && !bpf_map_lookup_elem(bpf_map__fd(stacks), &id, ips))
		while (depth < ZSP_STACK_DEPTH && ips[depth])
			depth++;
	if (!depth)
		zsp_res_note(a, "[stack unavailable]");
	for (d = zsp_stack_start(ks, ips, depth); d < depth; d++)
		zsp_res_str(a, NULL, "", zsp_ksym_name(ks, ips[d], sym, sizeof(sym)));
}

static void print_json(FILE *f, const struct zsp_res *r);

/*
 * The members of object or array @r. An object without a name inside an
 * object groups lines in text only: its members are its parent's in JSON.
 */
static void print_members(FILE *f, const struct zsp_res *r, bool *first)
{
	const struct zsp_res *c;

	for (c = r->child; c; c = c->next) {
		if (c->kind == ZSP_RES_NOTE)
			continue;
		if (r->kind == ZSP_RES_OBJ && c->kind == ZSP_RES_OBJ && !c->key) {
			print_members(f, c, first);
			continue;
		}
		if (!*first)
			fprintf(f, ", ");
		*first = false;
		if (r->kind == ZSP_RES_OBJ) {
			zsp_json_str(f, c->key);
			fprintf(f, ": ");
		}
		print_json(f, c);
	}
}

static void print_json(FILE *f, const struct zsp_res *r)
{
	bool first = true;

	switch (r->kind) {
	case ZSP_RES_OBJ:
	case ZSP_RES_ARR:
		fputc(r->kind == ZSP_RES_OBJ ? '{' : '[', f);
		print_members(f, r, &first);
		fputc(r->kind == ZSP_RES_OBJ ? '}' : ']', f);
		break;
	case ZSP_RES_U64:
	case ZSP_RES_TIME:
		fprintf(f, "%llu", r->u);
		break;
	case ZSP_RES_NUM:
		/* JSON has no NaN or infinity. */
		if (isfinite(r->num))
			fprintf(f, r->fmt, r->num);
		else
			fprintf(f, "null");
		break;
	case ZSP_RES_STR:
		zsp_json_str(f, r->str ? r->str : "");
		break;
	case ZSP_RES_HIST:
		zsp_hist_json(f, &r->hist, r->flags & ZSP_RES_LOG2);
		break;
	case ZSP_RES_NOTE:
		break;
	}
}

/* Whether a node has anything to show in text. */
static bool shown(const struct zsp_res *r)
{
	return r->text || r->kind == ZSP_RES_NOTE;
}

/* "label: " at @indent, or the indent alone for an empty label. */
static void label(FILE *f, const char *text, int indent)
{
	fprintf(f, "%*s%s%s", indent, "", text, *text ? ": " : "");
}

static void print_text(FILE *f, const struct zsp_res *r, int indent)
{
	const struct zsp_res *c, *h;

	for (c = r->child; c; c = c->next) {
		if (!shown(c))
			continue;
		switch (c->kind) {
		case ZSP_RES_OBJ:
		case ZSP_RES_ARR:
			if (*c->text) {
				fprintf(f, "%s%*s%s:\n", indent ? "" : "\n", indent, "", c->text);
				print_text(f, c, indent + 2);
			} else {
				print_text(f, c, indent);
			}
			break;
		case ZSP_RES_U64:
			label(f, c->text, indent);
			fprintf(f, "%llu\n", c->u);
			break;
		case ZSP_RES_TIME:
			label(f, c->text, indent);
			fprintf(f, "%.1f %s\n", zsp_unit(c->u), zsp_unit_name());
			break;
		case ZSP_RES_NUM:
			label(f, c->text, indent);
			fprintf(f, c->fmt, c->num);
			fputc('\n', f);
			break;
		case ZSP_RES_STR:
			label(f, c->text, indent);
			fprintf(f, "%s\n", c->str ? c->str : "");
			break;
		case ZSP_RES_NOTE:
			fprintf(f, "%*s%s\n", indent, "", c->str ? c->str : "");
			break;
		case ZSP_RES_HIST:
			/* A run of histograms is one table; log2 views after it. */
			zsp_hist_print_header(f, "", indent);
			for (h = c; h && h->kind == ZSP_RES_HIST; h = h->next)
				if (h->text)
					zsp_hist_print_row(f, h->text, &h->hist, indent);
			for (h = c; h && h->kind == ZSP_RES_HIST; c = h, h = h->next)
				if (h->text && (h->flags & ZSP_RES_LOG2_TEXT) && h->hist.count) {
					fprintf(f, "%*s%s, log2:\n", indent, "", h->text);
					zsp_hist_print_log2(f, &h->hist, indent + 2);
				}
			break;
		}
	}
}

static void res_free(struct zsp_res *r)
{
	struct zsp_res *c, *n;

	for (c = r->child; c; c = n) {
		n = c->next;
		res_free(c);
	}
	free(r->key);
	free(r->text);
	free(r->str);
	free(r);
}

void zsp_res_print(struct zsp_res *root, __u64 misses, __u64 dropped)
{
	struct zsp_res *lost = zsp_res_obj(root, "lost", NULL);

	zsp_res_u64(lost, "recursion_misses", NULL, misses);
	zsp_res_u64(lost, "dropped", NULL, dropped);
	if (zsp_opts.json) {
		print_json(stdout, root);
		fputc('\n', stdout);
	} else {
		print_text(stdout, root, 0);
		fputc('\n', stdout);
	}
	fflush(stdout);
	/* In text, after the figures it qualifies, on stderr like every diagnostic. */
	if (!zsp_opts.json)
		zsp_print_losses(stderr, misses, dropped);
	res_free(root);
}
