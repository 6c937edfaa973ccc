// SPDX-License-Identifier: GPL-2.0
/*
 * The tools' report tree (zsp_result.c) on the host: one tree with every
 * kind of node, printed as JSON (argument "json") or text ("text"), for
 * host/tools to check: the JSON parses and has each member where the tree
 * put it, a text-only grouping adds no level, notes stay out of it; the
 * text shows each labelled figure and none of the JSON-only ones.
 */
#include <math.h>
#include <string.h>
#include "zsp_common.h"

int main(int argc, char **argv)
{
	struct zsp_hist h = { 0 };
	struct zsp_res *r, *o, *a, *e;
	int i;

	zsp_tool_name = "result_model";
	zsp_opts.json = argc > 1 && !strcmp(argv[1], "json");
	for (i = 1; i <= 100; i++) {
		h.buckets[i < ZSP_SUBS ? i : ZSP_SUBS]++;
		h.count++;
		h.sum += i;
	}
	h.max = 100;
	r = zsp_res_root(1.5);
	zsp_res_u64(r, "loads", "zswap loads", 42);
	zsp_res_u64(r, "json_only", NULL, 7);
	/* JSON has no NaN; a comm cut inside a UTF-8 character is not UTF-8. */
	zsp_res_num(r, "not_finite", NULL, "%.1f", NAN);
	zsp_res_str(r, "bytes", NULL, "caf\xc3");
	zsp_res_note(r, "a text-only note");
	o = zsp_res_obj(r, "locks", "");
	e = zsp_res_obj(o, "zspage", "zspage lock");
	zsp_res_time(e, "hold_ns", "held in all", 2500);
	zsp_res_num(e, "share", "share with preemption off", "%.4f", 0.25);
	zsp_res_str(e, "traced", NULL, "fentry \"quoted\"");
	zsp_res_hist(e, "hold", "hold", &h, 0);
	zsp_res_hist(e, "wait", NULL, &h, ZSP_RES_LOG2);
	a = zsp_res_arr(r, "names", "names");
	zsp_res_str(a, "ignored", "", "first");
	zsp_res_str(a, NULL, "", "second");
	/* Text grouping only: its members are the root's in JSON. */
	o = zsp_res_obj(r, NULL, "grouped");
	zsp_res_u64(o, "grouped_count", "count in a group", 3);
	zsp_res_print(r, 5, 6);
	return 0;
}
