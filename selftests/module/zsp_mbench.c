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
 * Results are JSON lines in debugfs, zsp_mbench/results. A wrong
 * decompression output fails the load with -EIO.
 */
#include <crypto/acompress.h>
#include <linux/crypto.h>
#include <linux/debugfs.h>
#include <linux/highmem.h>
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
