// SPDX-License-Identifier: GPL-2.0
/*
 * zsp_async_comp: a test-only asynchronous "lzo" for the zspreempt tests.
 *
 * No hardware compressor exists in the guest, but zswap must still drive
 * one through acomp. This module registers an acomp implementation of
 * "lzo" (driver zsp-async-lzo, CRYPTO_ALG_ASYNC, above the software
 * priority) that completes every request later, from a workqueue, the way
 * an offload engine completes from its interrupt. The work itself is done
 * by the software lzo transform. Counters of completed requests are module
 * parameters (read-only) so a test can prove the path was taken.
 */
#include <crypto/internal/acompress.h>
#include <linux/crypto.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

static unsigned long compressed, decompressed;
module_param(compressed, ulong, 0444);
MODULE_PARM_DESC(compressed, "requests compressed");
module_param(decompressed, ulong, 0444);
MODULE_PARM_DESC(decompressed, "requests decompressed");

struct zsp_async_ctx {
	struct crypto_comp *comp;
};

struct zsp_async_req {
	struct work_struct work;
	struct acomp_req *req;
	bool decompress;
};

static void zsp_async_work(struct work_struct *work)
{
	struct zsp_async_req *r = container_of(work, struct zsp_async_req, work);
	struct acomp_req *req = r->req;
	struct zsp_async_ctx *ctx = acomp_tfm_ctx(crypto_acomp_reqtfm(req));
	unsigned int dlen = req->dlen;
	u8 *src, *dst;
	int err = -ENOMEM;

	src = kmalloc(req->slen, GFP_KERNEL);
	dst = kmalloc(dlen, GFP_KERNEL);
	if (!src || !dst)
		goto out;
	sg_copy_to_buffer(req->src, sg_nents(req->src), src, req->slen);
	if (r->decompress)
		err = crypto_comp_decompress(ctx->comp, src, req->slen, dst, &dlen);
	else
		err = crypto_comp_compress(ctx->comp, src, req->slen, dst, &dlen);
	if (!err) {
		sg_copy_from_buffer(req->dst, sg_nents(req->dst), dst, dlen);
		req->dlen = dlen;
		if (r->decompress)
			decompressed++;
		else
			compressed++;
	}
out:
	kfree(src);
	kfree(dst);
	acomp_request_complete(req, err);
}

static int zsp_async_queue(struct acomp_req *req, bool decompress)
{
	struct zsp_async_req *r = acomp_request_ctx(req);

	if (!req->src || !req->dst || !req->slen || !req->dlen)
		return -EINVAL;
	r->req = req;
	r->decompress = decompress;
	INIT_WORK(&r->work, zsp_async_work);
	queue_work(system_unbound_wq, &r->work);
	return -EINPROGRESS;
}

static int zsp_async_compress(struct acomp_req *req)
{
	return zsp_async_queue(req, false);
}

static int zsp_async_decompress(struct acomp_req *req)
{
	return zsp_async_queue(req, true);
}

static int zsp_async_init(struct crypto_acomp *tfm)
{
	struct zsp_async_ctx *ctx = acomp_tfm_ctx(tfm);

	ctx->comp = crypto_alloc_comp("lzo-generic", 0, 0);
	return PTR_ERR_OR_ZERO(ctx->comp);
}

static void zsp_async_exit(struct crypto_acomp *tfm)
{
	struct zsp_async_ctx *ctx = acomp_tfm_ctx(tfm);

	crypto_free_comp(ctx->comp);
}

static struct acomp_alg zsp_async_alg = {
	.compress = zsp_async_compress,
	.decompress = zsp_async_decompress,
	.init = zsp_async_init,
	.exit = zsp_async_exit,
	.reqsize = sizeof(struct zsp_async_req),
	.base = {
		.cra_name = "lzo",
		.cra_driver_name = "zsp-async-lzo",
		.cra_priority = 300,
		.cra_flags = CRYPTO_ALG_ASYNC,
		.cra_ctxsize = sizeof(struct zsp_async_ctx),
		.cra_module = THIS_MODULE,
	},
};

static int __init zsp_async_mod_init(void)
{
	return crypto_register_acomp(&zsp_async_alg);
}

static void __exit zsp_async_mod_exit(void)
{
	crypto_unregister_acomp(&zsp_async_alg);
}

module_init(zsp_async_mod_init);
module_exit(zsp_async_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("zspreempt test: an asynchronous lzo acomp driver");
