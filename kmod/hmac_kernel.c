// SPDX-License-Identifier: GPL-2.0
/*
 * HMAC-SHA256 through the kernel crypto API, for the key schedule.
 *
 * The key lives in the transform, so callers share one transform under a
 * spinlock: setkey for hmac(sha256) only hashes into the transform's own
 * context, so the whole computation neither sleeps nor allocates and the
 * key schedule can run from the packet path (softirq) as well as from
 * netlink (process context). It runs a handful of times per connection,
 * which keeps the lock cold. Allocating the transform may sleep, hence the
 * separate init at module load.
 */
#include <crypto/hash.h>
#include <linux/err.h>
#include <linux/spinlock.h>
#include "hmac_kernel.h"

static struct crypto_shash *hmac_tfm;
static DEFINE_SPINLOCK(hmac_lock);
static const u8 desc_wipe_key[1];

static int hmac_run(struct shash_desc *desc, const u8 *key, size_t keylen,
		    const struct tcpc_frag *msg, unsigned int nfrags, u8 *out)
{
	unsigned int i;
	int err;

	err = crypto_shash_setkey(desc->tfm, key, keylen);
	if (err)
		return err;
	err = crypto_shash_init(desc);
	for (i = 0; !err && i < nfrags; i++)
		err = crypto_shash_update(desc, msg[i].data, msg[i].len);
	if (!err)
		err = crypto_shash_final(desc, out);
	return err;
}

static int hmac_sha256_kernel(void *priv, const u8 *key, size_t keylen,
			      const struct tcpc_frag *msg, unsigned int nfrags,
			      u8 out[TCPC_HASH_LEN])
{
	struct crypto_shash *tfm = hmac_tfm;
	SHASH_DESC_ON_STACK(desc, tfm);
	int err;

	if (WARN_ON_ONCE(!tfm))
		return -ENODEV;
	desc->tfm = tfm;

	spin_lock_bh(&hmac_lock);
	err = hmac_run(desc, key, keylen, msg, nfrags, out);
	/* The transform keeps state derived from the key: overwrite it */
	crypto_shash_setkey(tfm, desc_wipe_key, 0);
	spin_unlock_bh(&hmac_lock);

	shash_desc_zero(desc);
	if (err)
		memzero_explicit(out, TCPC_HASH_LEN);
	return err;
}

const struct tcpc_hmac tcpc_hmac_kernel = {
	.hmac_sha256 = hmac_sha256_kernel,
};

int __init tcpc_hmac_kernel_init(void)
{
	struct crypto_shash *tfm = crypto_alloc_shash("hmac(sha256)", 0, 0);

	if (IS_ERR(tfm)) {
		pr_err("cannot allocate hmac(sha256): %ld\n", PTR_ERR(tfm));
		return PTR_ERR(tfm);
	}
	if (crypto_shash_digestsize(tfm) != TCPC_HASH_LEN) {
		crypto_free_shash(tfm);
		return -EINVAL;
	}
	hmac_tfm = tfm;
	return 0;
}

void tcpc_hmac_kernel_uninit(void)
{
	crypto_free_shash(hmac_tfm);
	hmac_tfm = NULL;
}
