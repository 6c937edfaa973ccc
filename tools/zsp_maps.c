// SPDX-License-Identifier: GPL-2.0
/* Reading, sorting and clearing the tools' BPF maps. See zsp_common.h. */
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

void *zsp_map_dump(struct bpf_map *map, size_t rec, size_t key_off, size_t val_off, size_t *n)
{
	size_t ksz = bpf_map__key_size(map), cap = 0;
	int fd = bpf_map__fd(map);
	char *recs = NULL, *prev, *next;
	bool first = true;

	*n = 0;
	prev = malloc(ksz);
	next = malloc(ksz);
	while (prev && next && !bpf_map_get_next_key(fd, first ? NULL : prev, next)) {
		if (*n == cap) {
			char *more = realloc(recs, (cap ? cap * 2 : 64) * rec);

			if (!more)
				break;
			recs = more;
			cap = cap ? cap * 2 : 64;
		}
		/* An entry deleted since the key was read is skipped. */
		if (!bpf_map_lookup_elem(fd, next, recs + *n * rec + val_off)) {
			memcpy(recs + *n * rec + key_off, next, ksz);
			(*n)++;
		}
		memcpy(prev, next, ksz);
		first = false;
	}
	free(prev);
	free(next);
	return recs;
}

static int cmp_desc_u64(const void *a, const void *b, void *off)
{
	__u64 x, y;

	memcpy(&x, (const char *)a + (size_t)off, sizeof(x));
	memcpy(&y, (const char *)b + (size_t)off, sizeof(y));
	return x < y ? 1 : x > y ? -1 : 0;
}

void zsp_sort_desc(void *recs, size_t n, size_t rec, size_t off)
{
	if (n)
		qsort_r(recs, n, rec, cmp_desc_u64, (void *)off);
}

void zsp_map_clear(struct bpf_map *map)
{
	size_t ksz = bpf_map__key_size(map);
	int fd = bpf_map__fd(map);
	char key[256];

	if (ksz > sizeof(key))
		return;
	while (!bpf_map_get_next_key(fd, NULL, key))
		if (bpf_map_delete_elem(fd, key))
			break;
}

void zsp_test_map_entries(struct bpf_map *map)
{
	const char *s = getenv("ZSP_TEST_MAP_ENTRIES");
	char *end;
	long n;

	if (!s)
		return;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || end == s || *end || n < 1 || n > 1 << 20) {
		fprintf(stderr, "warning: ZSP_TEST_MAP_ENTRIES='%s' is not 1..%d: ignored\n", s, 1 << 20);
		return;
	}
	bpf_map__set_max_entries(map, n);
}
