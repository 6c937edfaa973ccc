// SPDX-License-Identifier: GPL-2.0
/*
 * zsp_comp_only: a test-only "lzo" that offers only the synchronous
 * (crypto_comp) interface, at a priority above every software one.
 *
 * It stands for a hardware driver of 6.1 that registers only that
 * interface (nx-842 on POWER): crypto_alloc_comp("lzo") would pick it,
 * acomp never does. zswap must keep using the implementation acomp picks,
 * so a test loads this module, makes zswap create a pool and checks that
 * no call reached it. The work is done by the software transform; the
 * calls are counted in read-only module parameters.
 */
#include <linux/crypto.h>
#include <linux/err.h>
#include <linux/module.h>

static unsigned long calls;
module_param(calls, ulong, 0444);
MODULE_PARM_DESC(calls, "compressions and decompressions done");

struct zsp_comp_only_ctx {
	struct crypto_comp *sw;
};

static int zsp_comp_only_init(struct crypto_tfm *tfm)
{
	struct zsp_comp_only_ctx *ctx = crypto_tfm_ctx(tfm);

	ctx->sw = crypto_alloc_comp("lzo-generic", 0, 0);
	return PTR_ERR_OR_ZERO(ctx->sw);
}

static void zsp_comp_only_exit(struct crypto_tfm *tfm)
{
	struct zsp_comp_only_ctx *ctx = crypto_tfm_ctx(tfm);

	crypto_free_comp(ctx->sw);
}

static int zsp_comp_only_compress(struct crypto_tfm *tfm, const u8 *src,
				  unsigned int slen, u8 *dst, unsigned int *dlen)
{
	struct zsp_comp_only_ctx *ctx = crypto_tfm_ctx(tfm);

	calls++;
	return crypto_comp_compress(ctx->sw, src, slen, dst, dlen);
}

static int zsp_comp_only_decompress(struct crypto_tfm *tfm, const u8 *src,
				    unsigned int slen, u8 *dst, unsigned int *dlen)
{
	struct zsp_comp_only_ctx *ctx = crypto_tfm_ctx(tfm);

	calls++;
	return crypto_comp_decompress(ctx->sw, src, slen, dst, dlen);
}

static struct crypto_alg zsp_comp_only_alg = {
	.cra_name		= "lzo",
	.cra_driver_name	= "zsp-comp-only-lzo",
	.cra_priority		= 1000,
	.cra_flags		= CRYPTO_ALG_TYPE_COMPRESS,
	.cra_ctxsize		= sizeof(struct zsp_comp_only_ctx),
	.cra_module		= THIS_MODULE,
	.cra_init		= zsp_comp_only_init,
	.cra_exit		= zsp_comp_only_exit,
	.cra_u			= { .compress = {
		.coa_compress	= zsp_comp_only_compress,
		.coa_decompress	= zsp_comp_only_decompress } }
};

static int __init zsp_comp_only_mod_init(void)
{
	return crypto_register_alg(&zsp_comp_only_alg);
}

static void __exit zsp_comp_only_mod_exit(void)
{
	crypto_unregister_alg(&zsp_comp_only_alg);
}

module_init(zsp_comp_only_mod_init);
module_exit(zsp_comp_only_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("zspreempt test: a comp-only lzo above the software priority");
