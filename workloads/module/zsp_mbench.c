// SPDX-License-Identifier: GPL-2.0
/*
 * zsp_mbench: a test-only microbenchmark of the code the series changes.
 *
 * Loaded in a benchmark guest, built against the kernel it runs on. At load
 * time it measures, with ktime_get_ns() (which under QEMU -icount advances
 * with executed instructions, so the figures repeat across boots):
 *
 *  - one object access per zsmalloc size, for objects inside one page and
 *    for objects that straddle two pages, separately: zs_map_object() +
 *    copy + zs_unmap_object() on every kernel, and on a kernel that has the
 *    series' object calls, zs_obj_read_begin()/zs_obj_read_end() and
 *    zs_obj_write() too;
 *  - one page compression and one decompression per compressor through the
 *    two transforms zswap may use: acomp on scatterlists (6.1's zswap: the
 *    software algorithms go through scomp's per-CPU scratch buffers and
 *    their spinlock) and the synchronous crypto_comp on linear buffers (the
 *    series' path for software algorithms).
 *
 * The crypto half does not depend on the kernel: it runs both transforms on
 * each, so a reader sees what the series' choice of transform costs or
 * saves independently of everything else in a swap-in.
 *
 * Then what zram pays for the series' zspage lock: on 6.1 zram reads every
 * object with zs_map_object(), and the series' migration and compaction
 * back off from a zspage a reader holds where the base waits for it. One
 * pool of zram-sized objects (gfp as zram's: movable), read by one kthread
 * per other CPU exactly as zram reads, while this module asks for zspage
 * pages one at a time with alloc_contig_range() (what CMA does on Android)
 * and compacts the pool with zs_compact() (what zram's compact attribute
 * and the pool shrinker do): attempts that succeeded, and pages freed, with
 * the readers and without them, on each kernel. Every object is checked
 * after each step.
 *
 * Results are JSON lines in debugfs, zsp_mbench/results. A wrong
 * decompression output fails the load with -EIO.
 */
#include <crypto/acompress.h>
#include <linux/crypto.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/zsmalloc.h>

static unsigned int passes = 16;
module_param(passes, uint, 0444);
MODULE_PARM_DESC(passes, "timed passes over every object or page (default 16)");

static unsigned int objects = 256;
module_param(objects, uint, 0444);
MODULE_PARM_DESC(objects, "objects allocated per size (default 256)");

static bool contend = true;
module_param(contend, bool, 0444);
MODULE_PARM_DESC(contend, "measure migration and compaction beside zram-style readers (default on)");

#define RESULTS_SIZE	(32 * 1024)

static char *results;
static size_t results_len;
static struct debugfs_blob_wrapper blob;
static struct dentry *dir;

static const unsigned int sizes[] = {
	64, 128, 256, 512, 768, 1024, 1360, 1536, 2048, 2560, 3072, 3264,
	3584, 4096,
};

static const char *const algs[] = { "lzo", "lz4", "zstd", "deflate" };

static __printf(1, 2) void emit(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	results_len += vscnprintf(results + results_len,
				  RESULTS_SIZE - results_len, fmt, args);
	va_end(args);
}

/*
 * Per-access cost of @n accesses as "@key": ns times ten (one decimal in
 * fixed point, so small differences between kernels stay visible), or null
 * when no object of that kind exists at this size.
 */
static void emit_per_access(const char *key, u64 ns, unsigned long n)
{
	if (n)
		emit(", \"%s\": %llu", key, div64_u64(ns * 10, n));
	else
		emit(", \"%s\": null", key);
}

struct obj_set {
	unsigned long *handle;
	bool *straddle;
	unsigned int n;
};

/*
 * How a kernel copies an object out of a zspage decides the class: a
 * mapped object that straddles two pages is first copied into the per-CPU
 * area's buffer, which is slab memory; an object inside one page is mapped
 * where it lies.
 */
static bool map_straddles(void *mem)
{
	return PageSlab(virt_to_head_page(mem));
}

enum access { MAP_READ, MAP_WRITE, OBJ_READ, OBJ_WRITE, NR_ACCESS };

static const char *const access_name[NR_ACCESS] = {
	"map_read", "map_write", "obj_read", "obj_write",
};

/* One access of @size bytes of @handle by @how; the data goes to/from @buf. */
static void access_one(struct zs_pool *pool, unsigned long handle,
		       unsigned int size, enum access how, void *buf, void *copy)
{
	void *mem;

	switch (how) {
	case MAP_READ:
		mem = zs_map_object(pool, handle, ZS_MM_RO);
		memcpy(buf, mem, size);
		zs_unmap_object(pool, handle);
		break;
	case MAP_WRITE:
		mem = zs_map_object(pool, handle, ZS_MM_WO);
		memcpy(mem, buf, size);
		zs_unmap_object(pool, handle);
		break;
#ifdef ZSP_HAVE_OBJ_API
	case OBJ_READ:
		mem = zs_obj_read_begin(pool, handle, size, copy);
		memcpy(buf, mem, size);
		zs_obj_read_end(pool, handle, size, mem);
		break;
	case OBJ_WRITE:
		zs_obj_write(pool, handle, buf, size);
		break;
#endif
	default:
		break;
	}
}

/* Time @passes rounds of @how over the objects whose class is @straddle. */
static void time_access(struct zs_pool *pool, struct obj_set *set,
			unsigned int size, enum access how, bool straddle,
			void *buf, void *copy, u64 *ns, unsigned long *n)
{
	unsigned int p, i;
	u64 t0;

	*n = 0;
	t0 = ktime_get_ns();
	for (p = 0; p < passes; p++) {
		for (i = 0; i < set->n; i++) {
			if (set->straddle[i] != straddle)
				continue;
			access_one(pool, set->handle[i], size, how, buf, copy);
			(*n)++;
		}
		cond_resched();
	}
	*ns = ktime_get_ns() - t0;
}

static int bench_size(unsigned int size, void *buf, void *copy)
{
	struct obj_set set = { .n = objects };
	unsigned int i, nstraddle = 0;
	struct zs_pool *pool;
	enum access how;
	int ret = 0;

	pool = zs_create_pool("zsp_mbench");
	set.handle = kcalloc(objects, sizeof(*set.handle), GFP_KERNEL);
	set.straddle = kcalloc(objects, sizeof(*set.straddle), GFP_KERNEL);
	if (!pool || !set.handle || !set.straddle) {
		ret = -ENOMEM;
		goto out;
	}
	memset(buf, 0x5a, size);
	for (i = 0; i < objects; i++) {
		unsigned long h = zs_malloc(pool, size, GFP_KERNEL);
		void *mem;

		if (IS_ERR_VALUE(h)) {
			set.n = i;
			ret = -ENOMEM;
			goto out;
		}
		set.handle[i] = h;
		mem = zs_map_object(pool, h, ZS_MM_RW);
		set.straddle[i] = map_straddles(mem);
		memcpy(mem, buf, size);
		zs_unmap_object(pool, h);
		nstraddle += set.straddle[i];
	}

	emit("{\"bench\": \"object\", \"size\": %u, \"objects\": %u, \"straddling\": %u, \"passes\": %u",
	     size, objects, nstraddle, passes);
	for (how = 0; how < NR_ACCESS; how++) {
		unsigned long n_in, n_st;
		u64 ns_in, ns_st;
		char key[48];

#ifndef ZSP_HAVE_OBJ_API
		if (how == OBJ_READ || how == OBJ_WRITE)
			continue;
#endif
		/*
		 * The object calls decide on their own whether an object
		 * straddles (by the length asked for, not the class size),
		 * but zs_map_object()'s classes are a fine partition for both:
		 * an object inside one page by class size is inside one page
		 * by length too.
		 */
		time_access(pool, &set, size, how, false, buf, copy, &ns_in, &n_in);
		time_access(pool, &set, size, how, true, buf, copy, &ns_st, &n_st);
		snprintf(key, sizeof(key), "%s_ns_x10", access_name[how]);
		emit_per_access(key, ns_in, n_in);
		snprintf(key, sizeof(key), "%s_straddling_ns_x10", access_name[how]);
		emit_per_access(key, ns_st, n_st);
	}
	emit("}\n");
out:
	for (i = 0; i < set.n && set.handle; i++)
		if (set.handle[i])
			zs_free(pool, set.handle[i]);
	kfree(set.straddle);
	kfree(set.handle);
	if (pool)
		zs_destroy_pool(pool);
	return ret;
}

/*
 * A page of word-like text from a fixed linear congruential sequence:
 * compressible roughly 2-3x by every algorithm, like the text kind of the
 * workload, and the same on every boot.
 */
static void fill_text(u8 *p)
{
	static const char *const words[] = {
		"zswap ", "page ", "swap ", "memory ", "the ", "of ", "load ",
		"store ", "pool ", "cgroup ", "kernel ", "and ", "to ", "\n",
	};
	u32 x = 12345;
	size_t off = 0;

	while (off < PAGE_SIZE) {
		const char *w;
		size_t len;

		x = x * 1103515245 + 12345;
		w = words[(x >> 16) % ARRAY_SIZE(words)];
		len = min(strlen(w), PAGE_SIZE - off);
		memcpy(p + off, w, len);
		off += len;
		if (!((x >> 8) & 7) && off < PAGE_SIZE)
			p[off++] = '0' + ((x >> 20) % 10);
	}
}

struct crypto_bench {
	struct crypto_comp *comp;
	struct crypto_acomp *acomp;
	struct acomp_req *req;
	struct crypto_wait wait;
	struct page *src_page, *dst_page;
	u8 *cbuf;
	unsigned int clen;
};

static int acomp_run(struct crypto_bench *cb, bool decompress)
{
	struct scatterlist in, out;

	if (decompress) {
		sg_init_one(&in, cb->cbuf, cb->clen);
		sg_init_table(&out, 1);
		sg_set_page(&out, cb->dst_page, PAGE_SIZE, 0);
		acomp_request_set_params(cb->req, &in, &out, cb->clen, PAGE_SIZE);
		return crypto_wait_req(crypto_acomp_decompress(cb->req), &cb->wait);
	}
	sg_init_table(&in, 1);
	sg_set_page(&in, cb->src_page, PAGE_SIZE, 0);
	sg_init_one(&out, cb->cbuf, 2 * PAGE_SIZE);
	acomp_request_set_params(cb->req, &in, &out, PAGE_SIZE, 2 * PAGE_SIZE);
	return crypto_wait_req(crypto_acomp_compress(cb->req), &cb->wait);
}

static int comp_run(struct crypto_bench *cb, bool decompress)
{
	unsigned int dlen;

	if (decompress) {
		dlen = PAGE_SIZE;
		return crypto_comp_decompress(cb->comp, cb->cbuf, cb->clen,
					      page_address(cb->dst_page), &dlen);
	}
	dlen = 2 * PAGE_SIZE;
	return crypto_comp_compress(cb->comp, page_address(cb->src_page),
				    PAGE_SIZE, cb->cbuf, &dlen);
}

/* Time @passes * 16 runs of one transform in one direction. */
static int time_crypto(struct crypto_bench *cb, bool acomp, bool decompress,
		       u64 *ns, unsigned long *n)
{
	unsigned int i, runs = passes * 16;
	u64 t0;
	int ret;

	t0 = ktime_get_ns();
	for (i = 0; i < runs; i++) {
		ret = acomp ? acomp_run(cb, decompress) : comp_run(cb, decompress);
		if (ret)
			return ret;
	}
	*ns = ktime_get_ns() - t0;
	*n = runs;
	/* Both directions leave the page they wrote checkable. */
	if (decompress && memcmp(page_address(cb->src_page),
				 page_address(cb->dst_page), PAGE_SIZE))
		return -EIO;
	return 0;
}

static int bench_alg(const char *alg)
{
	struct crypto_bench cb = {};
	unsigned int dlen = 2 * PAGE_SIZE;
	int ret = -ENOMEM;
	int way;

	cb.src_page = alloc_page(GFP_KERNEL);
	cb.dst_page = alloc_page(GFP_KERNEL);
	cb.cbuf = kmalloc(2 * PAGE_SIZE, GFP_KERNEL);
	if (!cb.src_page || !cb.dst_page || !cb.cbuf)
		goto out;
	cb.comp = crypto_alloc_comp(alg, 0, 0);
	cb.acomp = crypto_alloc_acomp(alg, 0, 0);
	if (IS_ERR(cb.comp) || IS_ERR(cb.acomp)) {
		/* An algorithm the kernel was built without is reported, not fatal. */
		emit("{\"bench\": \"crypto\", \"alg\": \"%s\", \"error\": \"not available\"}\n", alg);
		ret = 0;
		goto out;
	}
	cb.req = acomp_request_alloc(cb.acomp);
	if (!cb.req)
		goto out;
	crypto_init_wait(&cb.wait);
	acomp_request_set_callback(cb.req, CRYPTO_TFM_REQ_MAY_BACKLOG,
				   crypto_req_done, &cb.wait);

	fill_text(page_address(cb.src_page));
	ret = crypto_comp_compress(cb.comp, page_address(cb.src_page), PAGE_SIZE,
				   cb.cbuf, &dlen);
	if (ret)
		goto out;
	cb.clen = dlen;

	emit("{\"bench\": \"crypto\", \"alg\": \"%s\", \"compressed\": %u, \"runs\": %u",
	     alg, cb.clen, passes * 16);
	for (way = 0; way < 4; way++) {
		bool acomp = way & 1, decompress = way & 2;
		unsigned long n;
		u64 ns;

		ret = time_crypto(&cb, acomp, decompress, &ns, &n);
		if (ret) {
			pr_err("zsp_mbench: %s %s through %s failed: %d\n", alg,
			       decompress ? "decompression" : "compression",
			       acomp ? "acomp" : "crypto_comp", ret);
			goto out;
		}
		/* The compression runs overwrite cbuf with the same bytes. */
		emit(", \"%s_%s_ns\": %llu", acomp ? "acomp" : "comp",
		     decompress ? "decompress" : "compress", div64_u64(ns, n));
	}
	emit("}\n");
out:
	if (cb.req)
		acomp_request_free(cb.req);
	if (!IS_ERR_OR_NULL(cb.acomp))
		crypto_free_acomp(cb.acomp);
	if (!IS_ERR_OR_NULL(cb.comp))
		crypto_free_comp(cb.comp);
	kfree(cb.cbuf);
	if (cb.dst_page)
		__free_page(cb.dst_page);
	if (cb.src_page)
		__free_page(cb.src_page);
	return ret;
}

/*
 * The contended part. 3072-byte objects: a compressed page of text or code
 * as zram stores it, in a three-page zspage where two of every four objects
 * straddle pages, so a reader of any object holds the whole zspage.
 */
#define CT_SIZE		3072
#define CT_OBJECTS	1024
/* The objects of the first zspage: what the hot readers read. */
#define CT_HOT		4
#define CT_HOT_ATTEMPTS	64
#define CT_GFP		(GFP_KERNEL | __GFP_HIGHMEM | __GFP_MOVABLE)

struct contend_set {
	struct zs_pool *pool;
	unsigned long handle[CT_OBJECTS];
	unsigned long pfn[CT_OBJECTS];
	unsigned int npfn;
	unsigned int lo, hi;	/* the objects the readers read */
	atomic_long_t reads;
	struct completion done;
	int ret;
};

static void ct_pattern(void *buf, unsigned int i)
{
	memset(buf, 0x20 + i % 64, CT_SIZE);
	memcpy(buf, &i, sizeof(i));
}

/* zram's read: map read-only, copy out, unmap; over the live objects of [lo, hi). */
static int ct_reader(void *data)
{
	struct contend_set *ct = data;
	unsigned int i = ct->lo;
	u8 buf[64];

	while (!kthread_should_stop()) {
		if (ct->handle[i]) {
			void *mem = zs_map_object(ct->pool, ct->handle[i], ZS_MM_RO);

			memcpy(buf, mem, sizeof(buf));
			zs_unmap_object(ct->pool, ct->handle[i]);
			atomic_long_inc(&ct->reads);
		}
		if (++i == ct->hi)
			i = ct->lo;
		/* lru_add_drain_all() in alloc_contig_range() needs this CPU. */
		if (!(atomic_long_read(&ct->reads) % 16))
			cond_resched();
	}
	return 0;
}

static struct task_struct *ct_readers[NR_CPUS];

/* One reader per CPU but @self's; on one CPU, one beside it. */
static int ct_readers_start(struct contend_set *ct, int self)
{
	int cpu, n = 0;

	for_each_online_cpu(cpu) {
		struct task_struct *t;

		if (cpu == self && num_online_cpus() > 1)
			continue;
		t = kthread_create_on_cpu(ct_reader, ct, cpu, "zsp_reader/%u");
		if (IS_ERR(t))
			return PTR_ERR(t);
		ct_readers[cpu] = t;
		wake_up_process(t);
		n++;
	}
	/* Measure only once every reader is in its loop. */
	atomic_long_set(&ct->reads, 0);
	while (atomic_long_read(&ct->reads) < 64 * n)
		usleep_range(100, 200);
	atomic_long_set(&ct->reads, 0);
	return n;
}

static void ct_readers_stop(void)
{
	int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if (ct_readers[cpu])
			kthread_stop(ct_readers[cpu]);
		ct_readers[cpu] = NULL;
	}
}

static int ct_fill(struct contend_set *ct, void *buf)
{
	unsigned int i;

	ct->pool = zs_create_pool("zsp_mbench_ct");
	if (!ct->pool)
		return -ENOMEM;
	for (i = 0; i < CT_OBJECTS; i++) {
		unsigned long h = zs_malloc(ct->pool, CT_SIZE, CT_GFP);
		void *mem;

		if (IS_ERR_VALUE(h))
			return -ENOMEM;
		ct->handle[i] = h;
		ct_pattern(buf, i);
		mem = zs_map_object(ct->pool, h, ZS_MM_WO);
		memcpy(mem, buf, CT_SIZE);
		zs_unmap_object(ct->pool, h);
	}
	return 0;
}

static void ct_destroy(struct contend_set *ct)
{
	unsigned int i;

	for (i = 0; i < CT_OBJECTS; i++) {
		if (ct->handle[i])
			zs_free(ct->pool, ct->handle[i]);
		ct->handle[i] = 0;
	}
	if (ct->pool)
		zs_destroy_pool(ct->pool);
	ct->pool = NULL;
}

/* Every live object still holds its pattern. */
static int ct_verify(struct contend_set *ct, void *buf, void *copy)
{
	unsigned int i;

	for (i = 0; i < CT_OBJECTS; i++) {
		void *mem;
		int bad;

		if (!ct->handle[i])
			continue;
		ct_pattern(buf, i);
		mem = zs_map_object(ct->pool, ct->handle[i], ZS_MM_RO);
		memcpy(copy, mem, CT_SIZE);
		zs_unmap_object(ct->pool, ct->handle[i]);
		bad = memcmp(buf, copy, CT_SIZE);
		if (bad) {
			pr_err("zsp_mbench: object %u changed\n", i);
			return -EIO;
		}
	}
	return 0;
}

#ifdef CONFIG_CONTIG_ALLOC
/*
 * The pages under the objects of [lo, hi) that lie inside one page (a
 * straddling object's mapping is the per-CPU copy, not the page), each once.
 */
static void ct_collect_pfns(struct contend_set *ct, unsigned int lo, unsigned int hi)
{
	unsigned int i, j;

	ct->npfn = 0;
	for (i = lo; i < hi; i++) {
		unsigned long pfn = 0;
		void *mem;

		if (!ct->handle[i])
			continue;
		mem = zs_map_object(ct->pool, ct->handle[i], ZS_MM_RO);
		if (!map_straddles(mem))
			pfn = page_to_pfn(kmap_to_page(mem));
		zs_unmap_object(ct->pool, ct->handle[i]);
		if (!pfn)
			continue;
		for (j = 0; j < ct->npfn && ct->pfn[j] != pfn; j++)
			;
		if (j == ct->npfn)
			ct->pfn[ct->npfn++] = pfn;
	}
}

/*
 * alloc_contig_range() of one zspage page at a time, as CMA asks for it.
 * @hot: @attempts times on the pages of the first zspage, the one the
 * readers read (looked up again each time: a page that moved is elsewhere);
 * otherwise once on every page of the pool.
 */
static void ct_contig(struct contend_set *ct, const char *cond, bool hot,
		      unsigned int attempts)
{
	unsigned int i, tried = 0, ok = 0, busy = 0, other = 0;
	u64 t0 = ktime_get_ns();

	if (!hot) {
		ct_collect_pfns(ct, 0, CT_OBJECTS);
		attempts = ct->npfn;
	}
	for (i = 0; i < attempts; i++) {
		unsigned long pfn;
		int ret;

		if (hot) {
			ct_collect_pfns(ct, 0, CT_HOT);
			if (!ct->npfn)
				break;
			pfn = ct->pfn[i % ct->npfn];
		} else {
			pfn = ct->pfn[i];
		}
		ret = alloc_contig_range(pfn, pfn + 1, MIGRATE_MOVABLE, GFP_KERNEL);
		tried++;
		if (!ret) {
			free_contig_range(pfn, 1);
			ok++;
		} else if (ret == -EBUSY) {
			busy++;
		} else {
			other++;
		}
	}
	emit(", \"contig_%s_tried\": %u, \"contig_%s_ok\": %u, \"contig_%s_ebusy\": %u, \"contig_%s_other\": %u, \"contig_%s_ns\": %llu",
	     cond, tried, cond, ok, cond, busy, cond, other, cond,
	     tried ? div64_u64(ktime_get_ns() - t0, tried) : 0);
}
#else
static void ct_contig(struct contend_set *ct, const char *cond, bool hot,
		      unsigned int attempts)
{
	emit(", \"contig_%s_tried\": null", cond);
}
#endif

/* Free every other object, so that zs_compact() has half-empty zspages. */
static void ct_fragment(struct contend_set *ct)
{
	unsigned int i;

	for (i = 1; i < CT_OBJECTS; i += 2) {
		zs_free(ct->pool, ct->handle[i]);
		ct->handle[i] = 0;
	}
}

/*
 * One compaction round: fill the pool, free every other object, compact it
 * (under readers of the whole pool when @busy), verify every object left.
 */
static int ct_compact_round(struct contend_set *ct, void *buf, void *copy,
			    bool busy, int self)
{
	unsigned long freed;
	int ret, readers = 0;

	ret = ct_fill(ct, buf);
	if (ret)
		return ret;
	ct_fragment(ct);
	if (busy) {
		ct->lo = 0;
		ct->hi = CT_OBJECTS;
		readers = ct_readers_start(ct, self);
		if (readers < 0)
			return readers;
	}
	freed = zs_compact(ct->pool);
	ct_readers_stop();
	if (busy)
		emit(", \"compact_busy_freed\": %lu, \"readers\": %d, \"compact_busy_reads\": %ld}\n",
		     freed, readers, atomic_long_read(&ct->reads));
	else
		emit(", \"compact_idle_freed\": %lu", freed);
	ret = ct_verify(ct, buf, copy);
	ct_destroy(ct);
	return ret;
}

static int ct_run(void *data)
{
	struct contend_set *ct = data;
	int self = raw_smp_processor_id();
	void *buf, *copy;
	int ret, readers = 0;

	buf = kmalloc(CT_SIZE, GFP_KERNEL);
	copy = kmalloc(CT_SIZE, GFP_KERNEL);
	ret = -ENOMEM;
	if (!buf || !copy)
		goto out;

	/*
	 * Migration: idle; with readers over the whole pool (zram's reads
	 * spread over its pages); with readers on the one zspage asked for
	 * (the worst case: a page read over and over).
	 */
	ret = ct_fill(ct, buf);
	if (ret)
		goto out;
	emit("{\"bench\": \"contend\", \"size\": %u, \"objects\": %u", CT_SIZE, CT_OBJECTS);
	ct_contig(ct, "idle", false, 0);
	ct_contig(ct, "idle_hot", true, CT_HOT_ATTEMPTS);
	ret = ct_verify(ct, buf, copy);
	if (ret)
		goto out;
	ct->lo = 0;
	ct->hi = CT_OBJECTS;
	readers = ct_readers_start(ct, self);
	if (readers < 0) {
		ret = readers;
		goto out;
	}
	ct_contig(ct, "busy", false, 0);
	emit(", \"contig_busy_reads\": %ld", atomic_long_read(&ct->reads));
	ct_readers_stop();
	ct->hi = CT_HOT;
	readers = ct_readers_start(ct, self);
	if (readers < 0) {
		ret = readers;
		goto out;
	}
	ct_contig(ct, "hot", true, CT_HOT_ATTEMPTS);
	emit(", \"contig_hot_reads\": %ld", atomic_long_read(&ct->reads));
	ct_readers_stop();
	ret = ct_verify(ct, buf, copy);
	if (ret)
		goto out;
	ct_destroy(ct);

	/* Compaction of the same fragmentation: idle, then under the readers. */
	ret = ct_compact_round(ct, buf, copy, false, self);
	if (ret)
		goto out;
	ret = ct_compact_round(ct, buf, copy, true, self);
out:
	ct_readers_stop();
	ct_destroy(ct);
	kfree(copy);
	kfree(buf);
	ct->ret = ret;
	complete(&ct->done);
	return 0;
}

/* In a kthread on one CPU, so that the readers run on the others. */
static int bench_contend(void)
{
	struct contend_set *ct;
	struct task_struct *t;
	int ret;

	ct = kvzalloc(sizeof(*ct), GFP_KERNEL);
	if (!ct)
		return -ENOMEM;
	init_completion(&ct->done);
	t = kthread_create_on_cpu(ct_run, ct, cpumask_first(cpu_online_mask),
				  "zsp_contend/%u");
	if (IS_ERR(t)) {
		kvfree(ct);
		return PTR_ERR(t);
	}
	wake_up_process(t);
	wait_for_completion(&ct->done);
	ret = ct->ret;
	kvfree(ct);
	return ret;
}

static int __init zsp_mbench_init(void)
{
	void *buf, *copy;
	unsigned int i;
	int ret = 0;

	if (!passes || !objects)
		return -EINVAL;
	results = kzalloc(RESULTS_SIZE, GFP_KERNEL);
	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	copy = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!results || !buf || !copy) {
		ret = -ENOMEM;
		goto out;
	}
	emit("{\"bench\": \"meta\", \"obj_api\": %s, \"passes\": %u, \"objects\": %u}\n",
	     IS_ENABLED(ZSP_HAVE_OBJ_API) ? "true" : "false", passes, objects);
	/*
	 * First, on memory nothing else has churned yet: after the object
	 * benchmark's pools come and go, most single-page alloc_contig_range()
	 * calls failed at once with -EBUSY on both kernels alike.
	 */
	if (contend)
		ret = bench_contend();
	for (i = 0; i < ARRAY_SIZE(sizes) && !ret; i++)
		ret = bench_size(sizes[i], buf, copy);
	for (i = 0; i < ARRAY_SIZE(algs) && !ret; i++)
		ret = bench_alg(algs[i]);
	if (ret)
		goto out;

	blob.data = results;
	blob.size = results_len;
	dir = debugfs_create_dir("zsp_mbench", NULL);
	debugfs_create_blob("results", 0444, dir, &blob);
out:
	kfree(copy);
	kfree(buf);
	if (ret)
		kfree(results);
	return ret;
}

static void __exit zsp_mbench_exit(void)
{
	debugfs_remove_recursive(dir);
	kfree(results);
}

module_init(zsp_mbench_init);
module_exit(zsp_mbench_exit);
MODULE_DESCRIPTION("zspreempt test only: zsmalloc object access and zswap transform microbenchmark");
MODULE_LICENSE("GPL");
