// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include <linux/tcpcrypt.h>

#include "kex.h"
#include "util.h"

/* Uncompressed P-521 point: 0x04 || x || y */
#define MAX_RAW_POINT	(1 + 2 * 66)

struct tc_kex_key {
	const struct tc_kex_desc *desc;
	EVP_PKEY *pkey;
};

static const struct tc_kex_desc descs[] = {
	{
		.tep = TCPCRYPT_TEP_X25519, .name = "x25519",
		.pub_len = 32, .es_len = 32, .pkey_id = EVP_PKEY_X25519,
	},
	{
		.tep = TCPCRYPT_TEP_X448, .name = "x448",
		.pub_len = 56, .es_len = 56, .pkey_id = EVP_PKEY_X448,
	},
	{
		.tep = TCPCRYPT_TEP_P256, .name = "p256",
		.pub_len = 2 + 33, .es_len = 32, .pkey_id = EVP_PKEY_EC,
		.group = "P-256", .nid = NID_X9_62_prime256v1,
		.point_len = 33,
	},
	{
		.tep = TCPCRYPT_TEP_P521, .name = "p521",
		.pub_len = 2 + 67, .es_len = 66, .pkey_id = EVP_PKEY_EC,
		.group = "P-521", .nid = NID_secp521r1, .point_len = 67,
	},
};

static bool is_nist(const struct tc_kex_desc *d)
{
	return d->pkey_id == EVP_PKEY_EC;
}

const struct tc_kex_desc *tc_kex_find(uint8_t tep)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(descs); i++)
		if (descs[i].tep == tep)
			return &descs[i];
	return NULL;
}

const struct tc_kex_desc *tc_kex_key_desc(const struct tc_kex_key *key)
{
	return key->desc;
}

static int wrap_key(const struct tc_kex_desc *d, EVP_PKEY *pkey,
		    struct tc_kex_key **key)
{
	struct tc_kex_key *k = calloc(1, sizeof(*k));

	if (!k) {
		EVP_PKEY_free(pkey);
		return -ENOMEM;
	}
	k->desc = d;
	k->pkey = pkey;
	*key = k;
	return 0;
}

int tc_kex_generate(uint8_t tep, struct tc_kex_key **key)
{
	const struct tc_kex_desc *d = tc_kex_find(tep);
	EVP_PKEY *pkey;

	if (!d)
		return -EPROTONOSUPPORT;
	if (is_nist(d))
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", d->group);
	else
		pkey = EVP_PKEY_Q_keygen(NULL, NULL,
					 d->pkey_id == EVP_PKEY_X25519 ?
					 "X25519" : "X448");
	if (!pkey)
		return -EIO;
	return wrap_key(d, pkey, key);
}

void tc_kex_free(struct tc_kex_key *key)
{
	if (!key)
		return;
	EVP_PKEY_free(key->pkey);
	free(key);
}

/* Build an EC EVP_PKEY from an uncompressed point and, optionally, d */
static EVP_PKEY *ec_pkey_from(const struct tc_kex_desc *d, const uint8_t *raw,
			      size_t raw_len, const BIGNUM *priv)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;

	if (!bld)
		return NULL;
	if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					     d->group, 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
					      raw, raw_len) ||
	    (priv && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY,
					     priv)))
		goto out_free_bld;
	params = OSSL_PARAM_BLD_to_param(bld);
	if (!params)
		goto out_free_bld;
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, priv ? EVP_PKEY_KEYPAIR :
			      EVP_PKEY_PUBLIC_KEY, params) <= 0)
		pkey = NULL;

	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
out_free_bld:
	OSSL_PARAM_BLD_free(bld);
	return pkey;
}

static int import_ec_private(const struct tc_kex_desc *d, const uint8_t *priv,
			     size_t len, EVP_PKEY **out)
{
	EC_GROUP *group = EC_GROUP_new_by_curve_name(d->nid);
	uint8_t raw[MAX_RAW_POINT];
	EC_POINT *pub = NULL;
	BIGNUM *scalar = NULL;
	size_t raw_len;
	int err = -EIO;

	if (!group)
		return -ENOMEM;
	if (len != d->es_len) {
		err = -EINVAL;
		goto out;
	}
	scalar = BN_bin2bn(priv, (int)len, NULL);
	pub = EC_POINT_new(group);
	if (!scalar || !pub)
		goto out;
	if (BN_is_zero(scalar) ||
	    BN_cmp(scalar, EC_GROUP_get0_order(group)) >= 0) {
		err = -EINVAL;
		goto out;
	}
	if (!EC_POINT_mul(group, pub, scalar, NULL, NULL, NULL))
		goto out;
	raw_len = EC_POINT_point2oct(group, pub, POINT_CONVERSION_UNCOMPRESSED,
				     raw, sizeof(raw), NULL);
	if (!raw_len)
		goto out;
	*out = ec_pkey_from(d, raw, raw_len, scalar);
	err = *out ? 0 : -EIO;
out:
	BN_clear_free(scalar);
	EC_POINT_free(pub);
	EC_GROUP_free(group);
	return err;
}

int tc_kex_import_private(uint8_t tep, const uint8_t *priv, size_t len,
			  struct tc_kex_key **key)
{
	const struct tc_kex_desc *d = tc_kex_find(tep);
	EVP_PKEY *pkey;
	int err;

	if (!d)
		return -EPROTONOSUPPORT;
	if (is_nist(d)) {
		err = import_ec_private(d, priv, len, &pkey);
		if (err)
			return err;
	} else {
		if (len != d->pub_len)
			return -EINVAL;
		pkey = EVP_PKEY_new_raw_private_key(d->pkey_id, NULL, priv,
						    len);
		if (!pkey)
			return -EIO;
	}
	return wrap_key(d, pkey, key);
}

/* The compressed form of an EC key's public point */
static int ec_public(const struct tc_kex_key *key, uint8_t *out)
{
	const struct tc_kex_desc *d = key->desc;
	EC_GROUP *group = EC_GROUP_new_by_curve_name(d->nid);
	uint8_t raw[MAX_RAW_POINT];
	EC_POINT *pt = NULL;
	size_t raw_len;
	int err = -EIO;

	if (!group)
		return -ENOMEM;
	if (!EVP_PKEY_get_octet_string_param(key->pkey,
					     OSSL_PKEY_PARAM_PUB_KEY, raw,
					     sizeof(raw), &raw_len))
		goto out;
	pt = EC_POINT_new(group);
	if (!pt || !EC_POINT_oct2point(group, pt, raw, raw_len, NULL))
		goto out;
	if (EC_POINT_point2oct(group, pt, POINT_CONVERSION_COMPRESSED, out,
			       d->point_len, NULL) != d->point_len)
		goto out;
	err = 0;
out:
	EC_POINT_free(pt);
	EC_GROUP_free(group);
	return err;
}

int tc_kex_public(const struct tc_kex_key *key, uint8_t *out, size_t len)
{
	const struct tc_kex_desc *d = key->desc;
	size_t raw_len = d->pub_len;
	int err;

	if (len < d->pub_len)
		return -ENOBUFS;
	if (is_nist(d)) {
		tc_put_be16(out, (uint16_t)d->pub_len);
		err = ec_public(key, out + 2);
		if (err)
			return err;
	} else if (!EVP_PKEY_get_raw_public_key(key->pkey, out, &raw_len) ||
		   raw_len != d->pub_len) {
		return -EIO;
	}
	return (int)d->pub_len;
}

/*
 * IEEE 1363 A.16.10 validation of a compressed peer point: it decodes to
 * a point on the curve (x < p, a square root exists), and OpenSSL's full
 * public-key check passes (not infinity, in the prime-order group).
 */
static int ec_peer(const struct tc_kex_desc *d, const uint8_t *pub,
		   size_t len, EVP_PKEY **peer)
{
	EC_GROUP *group = NULL;
	uint8_t raw[MAX_RAW_POINT];
	EVP_PKEY_CTX *check = NULL;
	EC_POINT *pt = NULL;
	EVP_PKEY *pkey = NULL;
	size_t raw_len;
	int err;

	if (len != d->pub_len || tc_get_be16(pub) != d->pub_len)
		return -EINVAL;
	/* RFC 8548 section 5: points MUST be sent compressed */
	if (pub[2] != 0x02 && pub[2] != 0x03)
		return -EINVAL;

	group = EC_GROUP_new_by_curve_name(d->nid);
	pt = group ? EC_POINT_new(group) : NULL;
	if (!pt) {
		err = -ENOMEM;
		goto out;
	}
	err = -EKEYREJECTED;
	if (!EC_POINT_oct2point(group, pt, pub + 2, d->point_len, NULL) ||
	    EC_POINT_is_on_curve(group, pt, NULL) != 1)
		goto out;
	raw_len = EC_POINT_point2oct(group, pt, POINT_CONVERSION_UNCOMPRESSED,
				     raw, sizeof(raw), NULL);
	pkey = raw_len ? ec_pkey_from(d, raw, raw_len, NULL) : NULL;
	if (!pkey)
		goto out;
	check = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	if (!check || EVP_PKEY_public_check(check) != 1)
		goto out;
	*peer = pkey;
	pkey = NULL;
	err = 0;
out:
	EVP_PKEY_CTX_free(check);
	EVP_PKEY_free(pkey);
	EC_POINT_free(pt);
	EC_GROUP_free(group);
	return err;
}

static int decode_peer(const struct tc_kex_desc *d, const uint8_t *pub,
		       size_t len, EVP_PKEY **peer)
{
	if (is_nist(d))
		return ec_peer(d, pub, len, peer);
	if (len != d->pub_len)
		return -EINVAL;
	*peer = EVP_PKEY_new_raw_public_key(d->pkey_id, NULL, pub, len);
	return *peer ? 0 : -EIO;
}

int tc_kex_check_peer(uint8_t tep, const uint8_t *pub, size_t len)
{
	const struct tc_kex_desc *d = tc_kex_find(tep);
	EVP_PKEY *peer = NULL;
	int err;

	if (!d)
		return -EPROTONOSUPPORT;
	err = decode_peer(d, pub, len, &peer);
	EVP_PKEY_free(peer);
	return err;
}

static bool all_zero(const uint8_t *p, size_t len)
{
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < len; i++)
		acc |= p[i];
	return !acc;
}

int tc_kex_derive(const struct tc_kex_key *key, const uint8_t *peer,
		  size_t peer_len, uint8_t *es, size_t es_size)
{
	const struct tc_kex_desc *d = key->desc;
	EVP_PKEY *peer_key = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	size_t len = es_size;
	int err;

	err = -ENOBUFS;
	if (es_size < d->es_len)
		goto out;
	err = decode_peer(d, peer, peer_len, &peer_key);
	if (err)
		goto out;

	err = -ENOMEM;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL);
	if (!ctx)
		goto out;
	err = -EIO;
	if (EVP_PKEY_derive_init(ctx) <= 0)
		goto out;
	/*
	 * OpenSSL refuses X25519/X448 peers of small order here or in
	 * derive (their output would be all zeros): a rejected key, not an
	 * internal failure.
	 */
	if (EVP_PKEY_derive_set_peer(ctx, peer_key) <= 0 ||
	    EVP_PKEY_derive(ctx, es, &len) <= 0) {
		err = is_nist(d) ? -EIO : -EKEYREJECTED;
		goto out;
	}
	if (len != d->es_len)
		goto out;
	/* RFC 8548 section 5: abort on an all-zero X25519/X448 secret */
	if (!is_nist(d) && all_zero(es, len)) {
		err = -EKEYREJECTED;
		goto out;
	}
	err = (int)len;
out:
	if (err < 0)
		OPENSSL_cleanse(es, es_size);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peer_key);
	return err;
}
