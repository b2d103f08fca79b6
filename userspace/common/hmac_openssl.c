// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * HMAC-SHA256 over a list of fragments with OpenSSL 3's EVP_MAC "HMAC".
 */
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "hmac_openssl.h"

static int hmac_openssl_run(EVP_MAC_CTX *ctx, const u8 *key, size_t keylen,
			    const struct tcpc_frag *msg, unsigned int nfrags,
			    u8 out[TCPC_HASH_LEN])
{
	/* EVP_MAC_init() reads a NULL key as "no new key": pass a real one */
	static const u8 empty_key[1];
	OSSL_PARAM params[2];
	size_t outlen = 0;
	unsigned int i;

	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!key)
		key = empty_key;
	if (!EVP_MAC_init(ctx, key, keylen, params))
		return -EIO;
	for (i = 0; i < nfrags; i++)
		if (msg[i].len && !EVP_MAC_update(ctx, msg[i].data, msg[i].len))
			return -EIO;
	if (!EVP_MAC_final(ctx, out, &outlen, TCPC_HASH_LEN))
		return -EIO;
	return outlen == TCPC_HASH_LEN ? 0 : -EIO;
}

static int hmac_openssl_sha256(void *priv, const u8 *key, size_t keylen,
			       const struct tcpc_frag *msg, unsigned int nfrags,
			       u8 out[TCPC_HASH_LEN])
{
	EVP_MAC_CTX *ctx = NULL;
	EVP_MAC *mac;
	int err = -ENOMEM;

	(void)priv;
	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!mac)
		return -ENOENT;
	ctx = EVP_MAC_CTX_new(mac);
	if (!ctx)
		goto out_free_mac;
	err = hmac_openssl_run(ctx, key, keylen, msg, nfrags, out);
	EVP_MAC_CTX_free(ctx);
out_free_mac:
	EVP_MAC_free(mac);
	return err;
}

const struct tcpc_hmac tcpc_hmac_openssl = {
	.hmac_sha256 = hmac_openssl_sha256,
	.priv = NULL,
};
