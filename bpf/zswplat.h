/* SPDX-License-Identifier: GPL-2.0 */
/* zswplat: types shared by zswplat.bpf.c and zswplat.c. */
#ifndef __ZSWPLAT_H
#define __ZSWPLAT_H

#include "zsp_hist.h"

#define ZSWPLAT_MAX_COMP	8	/* slot 0: same-filled, 1: unknown, 2..: by name */
/* -C keeps a row for CPUs 0..15; loads on higher CPUs are counted apart. */
#define ZSWPLAT_MAX_CPUS	16
#define ZSWPLAT_SLOT_SAME	0
#define ZSWPLAT_SLOT_UNKNOWN	1
#define ZSWPLAT_NAME_LEN	16

enum zswplat_phase {
	ZSWPLAT_TOTAL,		/* whole load, entry to return */
	ZSWPLAT_CTX,		/* waiting for the compression context mutex (-Z: stream) */
	ZSWPLAT_ACCESS,		/* map/copy/unmap or read begin/end of the object */
	ZSWPLAT_DECOMP,		/* the decompressor itself (-Z -W: the compressor) */
	ZSWPLAT_ENTRY,		/* -Z: taking zram's entry lock */
	ZSWPLAT_NPHASES,
};

struct zswplat_counts {
	__u64 loads;		/* successful loads (what zswpin counts) */
	__u64 misses;		/* not in zswap (-1 / false) */
	__u64 failures;		/* other errors */
	__u64 cpu_beyond;	/* -C: loads on a CPU with no row of its own */
};

#endif /* __ZSWPLAT_H */
