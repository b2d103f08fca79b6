// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The key schedule (kmod/proto/kdf.c) and the AEAD table: RFC 5869 HKDF
 * vectors, every vector of the digest's worked example (section 3), CPRF
 * lengths and block boundaries against OpenSSL's own HKDF, and error
 * propagation from a failing HMAC.
 */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <linux/tcpcrypt.h>

/* TEST() and the harness's signal handler leave parameters unused */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#include "hexutil.h"

#include "kdf.h"
#include "aead_desc.h"
#include "hmac_openssl.h"

static const struct tcpc_hmac *hm = &tcpc_hmac_openssl;


static bool all_zero(const u8 *buf, size_t len)
{
	while (len--)
		if (*buf++)
			return false;
	return true;
}

/* ---- RFC 5869 appendix A, SHA-256 cases ---- */

struct rfc5869_case {
	const char *ikm, *salt, *info, *prk, *okm;
};

static const struct rfc5869_case rfc5869[] = {
	{
		.ikm = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
		.salt = "000102030405060708090a0b0c",
		.info = "f0f1f2f3f4f5f6f7f8f9",
		.prk =
			"077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
		.okm =
			"3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
	},
	{
		.ikm =
			"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f",
		.salt =
			"606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
		.info =
			"b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
		.prk =
			"06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
		.okm =
			"b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87",
	},
	{
		/* no salt: HashLen zero bytes, which HMAC treats as empty */
		.ikm = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
		.salt = "",
		.info = "",
		.prk =
			"19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
		.okm =
			"8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
	},
};

/* Split a buffer into up to three fragments, to exercise the lists */
static unsigned int split3(const u8 *buf, size_t len, struct tcpc_frag *f)
{
	size_t a = len / 3, b = len / 2;

	f[0] = (struct tcpc_frag){ buf, a };
	f[1] = (struct tcpc_frag){ buf + a, b - a };
	f[2] = (struct tcpc_frag){ buf + b, len - b };
	return 3;
}

static void check_rfc5869(struct __test_metadata *_metadata,
			  const struct rfc5869_case *tc)
{
	u8 ikm[80], salt[80], info[80], prk[TCPC_HASH_LEN], okm[82];
	size_t nikm, nsalt, ninfo, nokm;
	struct tcpc_frag fi[3], fn[3];
	u8 okm_ref[82];

	nikm = unhex(tc->ikm, ikm, sizeof(ikm));
	nsalt = unhex(tc->salt, salt, sizeof(salt));
	ninfo = unhex(tc->info, info, sizeof(info));
	nokm = unhex(tc->okm, okm_ref, sizeof(okm_ref));

	ASSERT_EQ(0, tcpc_hkdf_extract(hm, salt, nsalt, fi,
				       split3(ikm, nikm, fi), prk));
	ASSERT_HEX(tc->prk, prk, sizeof(prk));
	ASSERT_EQ(0, tcpc_hkdf_expand(hm, prk, sizeof(prk), fn,
				      split3(info, ninfo, fn), okm, nokm));
	ASSERT_HEX(tc->okm, okm, nokm);
}

TEST(rfc5869_case1)
{
	check_rfc5869(_metadata, &rfc5869[0]);
}

TEST(rfc5869_case2)
{
	check_rfc5869(_metadata, &rfc5869[1]);
}

TEST(rfc5869_case3)
{
	check_rfc5869(_metadata, &rfc5869[2]);
}

/* ---- The digest's worked example (section 3) ---- */

#define X25519_PRIV_A \
	"77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"
#define X25519_PRIV_B \
	"5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"
#define PUB_A \
	"8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
#define PUB_B \
	"de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"
#define ES_AB \
	"4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"
#define SS0 \
	"6fac045189858f2ef5e812b7c5e9791bc27bbe94d14fc12f1007b37554795785"
#define SS1 \
	"39143fba4a6f17d46843ceb05fd81a7eec82d7a08efe9e3b4026943618663faf"
#define MK0 \
	"4115928c1a47f540674e6bd045ef9acbfee5d45010390577646ad016131f1045"
#define SID0 \
	"237377feda4e07b76a24724c1840927c1b48770bc4e2206f2f17e54f06f221ce12"
#define MK1 \
	"4a3b14141501c808bafac3e34724b11fc177f373e89b2ed0d3e4160e9cfe3668"
#define K_AB0_CHACHA \
	"9d86ca6ed072c1df93b40087f67efbeab7043da40098a88a1ba16d9677389e11"
#define SID1 \
	"a319630350ec9a87ac2be2eba53cc891616eb7f6f5240f9d30a14ce289109a48f4"
#define MK0_RESUMED \
	"d6283136b3c4286da26eace144673f9b313967cfe9e977a175e281dc5b781323"
#define SS2 \
	"46eb8d2b6cf64a5a2db4f7c0915bb4c0a77aedd5ca3b5c64d066fbbc812d790c"

/* RFC 7748 section 6.1 keys: Pub_A, Pub_B and ES with OpenSSL */
static void x25519_example(struct __test_metadata *_metadata,
			   u8 pub_a[32], u8 pub_b[32], u8 es[32])
{
	EVP_PKEY *ka, *kb, *peer;
	EVP_PKEY_CTX *ctx;
	u8 priv[32];
	size_t len;

	unhex(X25519_PRIV_A, priv, sizeof(priv));
	ka = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv, 32);
	unhex(X25519_PRIV_B, priv, sizeof(priv));
	kb = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv, 32);
	ASSERT_TRUE(ka && kb);
	len = 32;
	ASSERT_EQ(1, EVP_PKEY_get_raw_public_key(ka, pub_a, &len));
	len = 32;
	ASSERT_EQ(1, EVP_PKEY_get_raw_public_key(kb, pub_b, &len));
	peer = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, pub_b, 32);
	ctx = EVP_PKEY_CTX_new(ka, NULL);
	ASSERT_TRUE(peer && ctx);
	ASSERT_EQ(1, EVP_PKEY_derive_init(ctx));
	ASSERT_EQ(1, EVP_PKEY_derive_set_peer(ctx, peer));
	len = 32;
	ASSERT_EQ(1, EVP_PKEY_derive(ctx, es, &len));
	ASSERT_EQ(32, len);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peer);
	EVP_PKEY_free(kb);
	EVP_PKEY_free(ka);
}

static void put_nonce(u8 *p, u8 first)
{
	int i;

	for (i = 0; i < TCPC_INIT_NONCE_LEN; i++)
		p[i] = first + i;
}

/* Init1: magic, len 75, 1 cipher (AES-128-GCM), N_A = 00..1f, Pub_A */
static size_t build_init1(u8 *m, const u8 pub_a[32])
{
	unhex("15101a0e 0000004b 01 0001", m, 11);
	put_nonce(m + 11, 0x00);
	memcpy(m + 43, pub_a, 32);
	return 75;
}

/* Init2: magic, len 74, AES-128-GCM, N_B = 20..3f, Pub_B */
static size_t build_init2(u8 *m, const u8 pub_b[32])
{
	unhex("097105e0 0000004a 0001", m, 10);
	put_nonce(m + 10, 0x20);
	memcpy(m + 42, pub_b, 32);
	return 74;
}

TEST(example_prk)
{
	u8 pub_a[32], pub_b[32], es[32], n_a[32], prk[TCPC_K_LEN];
	u8 tr[8], init1[75], init2[74], ss0[TCPC_K_LEN];
	struct tcpc_prk_input in = {};

	x25519_example(_metadata, pub_a, pub_b, es);
	ASSERT_HEX(PUB_A, pub_a, 32);
	ASSERT_HEX(PUB_B, pub_b, 32);
	ASSERT_HEX(ES_AB, es, 32);

	put_nonce(n_a, 0x00);
	unhex("45042321 45040123", tr, sizeof(tr));
	in.n_a = n_a;
	in.transcript = (struct tcpc_frag){ tr, sizeof(tr) };
	in.init1 = (struct tcpc_frag){ init1, build_init1(init1, pub_a) };
	in.init2 = (struct tcpc_frag){ init2, build_init2(init2, pub_b) };
	in.es = (struct tcpc_frag){ es, sizeof(es) };
	ASSERT_EQ(0, tcpc_kdf_prk(hm, &in, prk));
	ASSERT_HEX(SS0, prk, sizeof(prk));

	/* every input counts: one flipped transcript bit changes the PRK */
	tr[3] ^= 1;
	ASSERT_EQ(0, tcpc_kdf_prk(hm, &in, prk));
	unhex(SS0, ss0, sizeof(ss0));
	ASSERT_NE(0, memcmp(prk, ss0, sizeof(ss0)));

	in.n_a = NULL;
	ASSERT_EQ(-EINVAL, tcpc_kdf_prk(hm, &in, prk));
	ASSERT_EQ(-EINVAL, tcpc_kdf_prk(hm, NULL, prk));
}

TEST(example_fresh_session)
{
	u8 ss0[32], ss1[32], sid[TCPC_SESSID_LEN], mk0[32], mk1[32];
	const struct tcpc_aead_desc *gcm128;
	struct tcpc_traffic_key tk;
	struct tcpc_sn empty = {};

	unhex(SS0, ss0, sizeof(ss0));
	ASSERT_EQ(0, tcpc_kdf_next_ss(hm, ss0, ss1));
	ASSERT_HEX(SS1, ss1, 32);

	ASSERT_EQ(0, tcpc_kdf_session_id(hm, ss0, 0x23, NULL, sid));
	ASSERT_HEX(SID0, sid, sizeof(sid));
	/* an empty sn is the fresh session's */
	memset(sid, 0, sizeof(sid));
	ASSERT_EQ(0, tcpc_kdf_session_id(hm, ss0, 0x23, &empty, sid));
	ASSERT_HEX(SID0, sid, sizeof(sid));

	ASSERT_EQ(0, tcpc_kdf_mk0(hm, ss0, NULL, mk0));
	ASSERT_HEX(MK0, mk0, 32);
	ASSERT_EQ(0, tcpc_kdf_next_mk(hm, mk0, mk1));
	ASSERT_HEX(MK1, mk1, 32);

	gcm128 = tcpc_aead_find(TCPC_AEAD_AES_128_GCM);
	ASSERT_NE(NULL, gcm128);
	ASSERT_EQ(0, tcpc_kdf_traffic_key(hm, mk0, TCPC_KEY_AB, gcm128, &tk));
	ASSERT_EQ(16, tk.key_len);
	ASSERT_EQ(12, tk.nonce_len);
	ASSERT_HEX("9d86ca6ed072c1df93b40087f67efbea", tk.key, 16);
	ASSERT_HEX("b7043da40098a88a1ba16d96", tk.nr, 12);
	ASSERT_EQ(0, tcpc_kdf_traffic_key(hm, mk0, TCPC_KEY_BA, gcm128, &tk));
	ASSERT_HEX("9cbbbcd841628fce2be5197291b8ece3", tk.key, 16);
	ASSERT_HEX("86274974de6df1b62f23e711", tk.nr, 12);
	ASSERT_EQ(0, tcpc_kdf_traffic_key(hm, mk1, TCPC_KEY_AB, gcm128, &tk));
	ASSERT_HEX("d7f337400badbde765d48601442ab197", tk.key, 16);
	ASSERT_HEX("4c3fee37edfb8a56589e51d9", tk.nr, 12);
}

/* 44-byte traffic keys take two HMAC blocks; their first 28 bytes match */
TEST(example_traffic_key_44)
{
	const struct tcpc_aead_desc *chacha, *gcm256;
	struct tcpc_traffic_key tk, tk256;
	u8 mk0[32];

	unhex(MK0, mk0, sizeof(mk0));
	chacha = tcpc_aead_find(TCPC_AEAD_CHACHA20_POLY1305);
	gcm256 = tcpc_aead_find(TCPC_AEAD_AES_256_GCM);
	ASSERT_TRUE(chacha && gcm256);
	ASSERT_EQ(0, tcpc_kdf_traffic_key(hm, mk0, TCPC_KEY_AB, chacha, &tk));
	ASSERT_EQ(32, tk.key_len);
	ASSERT_HEX(K_AB0_CHACHA, tk.key, 32);
	ASSERT_HEX("700ac991bb0519b90a6eb355", tk.nr, 12);
	ASSERT_EQ(0, tcpc_kdf_traffic_key(hm, mk0, TCPC_KEY_AB, gcm256,
					  &tk256));
	ASSERT_EQ(0, memcmp(&tk, &tk256, sizeof(tk)));
}

TEST(example_resumption)
{
	static const u8 nonce_a[8] = {
		0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7 };
	static const u8 nonce_b[8] = {
		0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7 };
	u8 ss1[32], ss2[32], sid[TCPC_SESSID_LEN], mk0[32];
	const struct tcpc_aead_desc *gcm128;
	struct tcpc_resume_id rid;
	struct tcpc_traffic_key tk;
	struct tcpc_sn sn;

	unhex(SS1, ss1, sizeof(ss1));
	ASSERT_EQ(0, tcpc_kdf_resume_id(hm, ss1, &rid));
	ASSERT_HEX("6348421fb167b606bd", rid.id_a, 9);
	ASSERT_HEX("e300d1f11f0b187372", rid.id_b, 9);

	ASSERT_EQ(0, tcpc_sn_build(&sn, nonce_a, 8, nonce_b, 8));
	ASSERT_HEX("a0a1a2a3a4a5a6a7b0b1b2b3b4b5b6b7", sn.bytes, sn.len);

	ASSERT_EQ(0, tcpc_kdf_session_id(hm, ss1, 0xa3, &sn, sid));
	ASSERT_HEX(SID1, sid, sizeof(sid));
	ASSERT_EQ(0, tcpc_kdf_mk0(hm, ss1, &sn, mk0));
	ASSERT_HEX(MK0_RESUMED, mk0, 32);
	gcm128 = tcpc_aead_find(TCPC_AEAD_AES_128_GCM);
	ASSERT_EQ(0, tcpc_kdf_traffic_key(hm, mk0, TCPC_KEY_AB, gcm128, &tk));
	ASSERT_HEX("7380902e95268289d6ad704893afa1c4", tk.key, 16);
	ASSERT_HEX("7c2dbbcbd469009f70f34d27", tk.nr, 12);

	/* ss[2] computed in place, as a cache would */
	memcpy(ss2, ss1, sizeof(ss2));
	ASSERT_EQ(0, tcpc_kdf_next_ss(hm, ss2, ss2));
	ASSERT_HEX(SS2, ss2, 32);

	/* nonce order matters: swapping the halves changes sn and keys */
	ASSERT_EQ(0, tcpc_sn_build(&sn, nonce_b, 8, nonce_a, 8));
	ASSERT_EQ(0, tcpc_kdf_mk0(hm, ss1, &sn, ss2));
	ASSERT_NE(0, memcmp(mk0, ss2, 32));
}

TEST(mk_in_place)
{
	u8 mk[32];

	unhex(MK0, mk, sizeof(mk));
	ASSERT_EQ(0, tcpc_kdf_next_mk(hm, mk, mk));
	ASSERT_HEX(MK1, mk, 32);
}

TEST(constants)
{
	EXPECT_EQ(0x01, TCPC_CONST_NEXTK);
	EXPECT_EQ(0x02, TCPC_CONST_SESSID);
	EXPECT_EQ(0x03, TCPC_CONST_REKEY);
	EXPECT_EQ(0x04, TCPC_CONST_KEY_A);
	EXPECT_EQ(0x05, TCPC_CONST_KEY_B);
	EXPECT_EQ(0x06, TCPC_CONST_RESUME);
	EXPECT_EQ(33, TCPC_SESSID_LEN);
	EXPECT_EQ(TCPCRYPT_SESSID_LEN, TCPC_SESSID_LEN);
	EXPECT_EQ(18, TCPC_RESUME_LEN);
	EXPECT_EQ(255 * 32, TCPC_CPRF_MAX_LEN);
}

/* ---- sn[i] ---- */

TEST(sn_lengths)
{
	u8 a[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	u8 b[9] = { 11, 12, 13, 14, 15, 16, 17, 18, 19 };
	struct tcpc_sn sn;
	size_t la, lb;

	for (la = 0; la <= 8; la++) {
		for (lb = 0; lb <= 8; lb++) {
			ASSERT_EQ(0, tcpc_sn_build(&sn, a, la, b, lb));
			ASSERT_EQ(la + lb, sn.len);
			ASSERT_EQ(0, memcmp(sn.bytes, a, la));
			ASSERT_EQ(0, memcmp(sn.bytes + la, b, lb));
		}
	}
	ASSERT_EQ(0, tcpc_sn_build(&sn, NULL, 0, NULL, 0));
	ASSERT_EQ(0, sn.len);
	EXPECT_EQ(-EINVAL, tcpc_sn_build(&sn, a, 9, b, 0));
	EXPECT_EQ(-EINVAL, tcpc_sn_build(&sn, a, 0, b, 9));
	EXPECT_EQ(-EINVAL, tcpc_sn_build(&sn, NULL, 1, b, 0));
	EXPECT_EQ(-EINVAL, tcpc_sn_build(NULL, a, 1, b, 1));
}

TEST(sn_too_long_rejected)
{
	struct tcpc_sn sn = { .len = TCPC_SN_MAX + 1 };
	u8 ss[32] = { 0 }, out[TCPC_SESSID_LEN];

	EXPECT_EQ(-EINVAL, tcpc_kdf_mk0(hm, ss, &sn, out));
	EXPECT_EQ(-EINVAL, tcpc_kdf_session_id(hm, ss, 0xa3, &sn, out));
}

/* ---- CPRF lengths, against OpenSSL's HKDF in expand-only mode ---- */

static void openssl_hkdf_expand(struct __test_metadata *_metadata,
				const u8 *prk, const u8 *info, size_t ninfo,
				u8 *out, size_t len)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *ctx = EVP_KDF_CTX_new(kdf);
	int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
	OSSL_PARAM p[5];

	ASSERT_NE(NULL, ctx);
	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						(char *)"SHA256", 0);
	p[1] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	p[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						 (void *)prk, 32);
	p[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
						 (void *)info, ninfo);
	p[4] = OSSL_PARAM_construct_end();
	ASSERT_EQ(1, EVP_KDF_derive(ctx, out, len, p));
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
}

TEST(cprf_lengths_and_boundaries)
{
	static const size_t lens[] = {
		1, 18, 28, 31, 32, 33, 44, 63, 64, 65, 96, 97,
		TCPC_CPRF_MAX_LEN - 1, TCPC_CPRF_MAX_LEN,
	};
	static u8 out[TCPC_CPRF_MAX_LEN + 32], ref[TCPC_CPRF_MAX_LEN];
	u8 prk[32], info[5] = { TCPC_CONST_KEY_A, 9, 8, 7, 6 };
	struct tcpc_frag f[2] = { { info, 1 }, { info + 1, 4 } };
	size_t i;

	unhex(MK0, prk, sizeof(prk));
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		memset(out, 0x5a, sizeof(out));
		ASSERT_EQ(0, tcpc_hkdf_expand(hm, prk, 32, f, 2, out, lens[i]));
		openssl_hkdf_expand(_metadata, prk, info, 5, ref, lens[i]);
		ASSERT_EQ(0, memcmp(out, ref, lens[i]));
		/* not one byte past the requested length */
		ASSERT_EQ(0x5a, out[lens[i]]);
	}
}

TEST(cprf_zero_and_too_long)
{
	static u8 out[TCPC_CPRF_MAX_LEN + 1];
	u8 prk[32] = { 1 }, c = TCPC_CONST_REKEY;
	struct tcpc_frag f = { &c, 1 };
	struct tcpc_frag many[TCPC_CPRF_MAX_INFO + 1];
	size_t i;

	out[0] = 0x77;
	EXPECT_EQ(0, tcpc_hkdf_expand(hm, prk, 32, &f, 1, out, 0));
	EXPECT_EQ(0x77, out[0]);
	EXPECT_EQ(0, tcpc_hkdf_expand(hm, prk, 32, &f, 1, NULL, 0));
	EXPECT_EQ(-EINVAL, tcpc_hkdf_expand(hm, prk, 32, &f, 1, out,
					    TCPC_CPRF_MAX_LEN + 1));
	EXPECT_EQ(-EINVAL, tcpc_hkdf_expand(hm, prk, 32, &f, 1, NULL, 1));
	EXPECT_EQ(-EINVAL, tcpc_hkdf_expand(hm, NULL, 32, &f, 1, out, 1));
	EXPECT_EQ(-EINVAL, tcpc_hkdf_expand(hm, prk, 32, NULL, 1, out, 1));
	for (i = 0; i < ARRAY_SIZE(many); i++)
		many[i] = f;
	EXPECT_EQ(0, tcpc_hkdf_expand(hm, prk, 32, many,
				      TCPC_CPRF_MAX_INFO, out, 32));
	EXPECT_EQ(-EINVAL, tcpc_hkdf_expand(hm, prk, 32, many,
					    TCPC_CPRF_MAX_INFO + 1, out, 32));
}

/* ---- AEAD table ---- */

TEST(aead_table)
{
	const struct tcpc_aead_desc *d;
	static const u16 unknown[] = { 0x0000, 0x0003, 0x000f, 0x0011,
				       0x0100, 0x1000, 0xffff };
	size_t i;

	d = tcpc_aead_find(TCPCRYPT_AEAD_AES_128_GCM);
	ASSERT_NE(NULL, d);
	EXPECT_EQ(0x0001, d->id);
	EXPECT_EQ(16, d->key_len);
	EXPECT_EQ(28, tcpc_aead_traffic_key_len(d));
	EXPECT_STREQ("gcm(aes)", d->crypto_name);

	d = tcpc_aead_find(TCPCRYPT_AEAD_AES_256_GCM);
	ASSERT_NE(NULL, d);
	EXPECT_EQ(0x0002, d->id);
	EXPECT_EQ(32, d->key_len);
	EXPECT_EQ(44, tcpc_aead_traffic_key_len(d));
	EXPECT_STREQ("gcm(aes)", d->crypto_name);

	d = tcpc_aead_find(TCPCRYPT_AEAD_CHACHA20_POLY1305);
	ASSERT_NE(NULL, d);
	EXPECT_EQ(0x0010, d->id);
	EXPECT_EQ(32, d->key_len);
	EXPECT_EQ(44, tcpc_aead_traffic_key_len(d));
	EXPECT_STREQ("rfc7539(chacha20,poly1305)", d->crypto_name);

	for (i = 0; i < ARRAY_SIZE(unknown); i++)
		EXPECT_NULL(tcpc_aead_find(unknown[i]));
}

TEST(aead_common_lengths)
{
	static const u16 ids[] = { TCPC_AEAD_AES_128_GCM,
				   TCPC_AEAD_AES_256_GCM,
				   TCPC_AEAD_CHACHA20_POLY1305 };
	const struct tcpc_aead_desc *d;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		d = tcpc_aead_find(ids[i]);
		ASSERT_NE(NULL, d);
		EXPECT_EQ(12, d->nonce_len);
		EXPECT_EQ(16, d->tag_len);
		EXPECT_NE(NULL, d->name);
		EXPECT_GE(TCPC_TRAFFIC_KEY_MAX, tcpc_aead_traffic_key_len(d));
	}
}

TEST(traffic_key_bad_args)
{
	struct tcpc_aead_desc odd = *tcpc_aead_find(TCPC_AEAD_AES_128_GCM);
	struct tcpc_traffic_key tk;
	u8 mk[32] = { 0 };

	EXPECT_EQ(-EINVAL, tcpc_kdf_traffic_key(hm, mk, TCPC_KEY_AB, NULL,
						&tk));
	EXPECT_EQ(-EINVAL, tcpc_kdf_traffic_key(hm, mk, (enum tcpc_key_dir)2,
						&odd, &tk));
	odd.nonce_len = 8;
	EXPECT_EQ(-EINVAL, tcpc_kdf_traffic_key(hm, mk, TCPC_KEY_AB, &odd,
						&tk));
	odd.nonce_len = 12;
	odd.key_len = TCPC_AEAD_KEY_MAX + 1;
	EXPECT_EQ(-EINVAL, tcpc_kdf_traffic_key(hm, mk, TCPC_KEY_AB, &odd,
						&tk));
}

/* ---- A failing HMAC: its error comes back and no secret is left ---- */

struct failing_hmac {
	int calls;
	int fail_at;	/* 1-based call that fails */
	int err;
};

static int failing_hmac_sha256(void *priv, const u8 *key, size_t keylen,
			       const struct tcpc_frag *msg,
			       unsigned int nfrags, u8 out[TCPC_HASH_LEN])
{
	struct failing_hmac *f = priv;

	if (++f->calls == f->fail_at) {
		memset(out, 0xee, TCPC_HASH_LEN);	/* garbage left behind */
		return f->err;
	}
	return tcpc_hmac_openssl.hmac_sha256(NULL, key, keylen, msg, nfrags,
					     out);
}

TEST(hmac_error_propagates)
{
	struct failing_hmac st = { .fail_at = 1, .err = -EIO };
	struct tcpc_hmac bad = { failing_hmac_sha256, &st };
	struct tcpc_hmac none = { NULL, NULL };
	u8 key[32] = { 3 }, out[33], n_a[32] = { 0 };
	struct tcpc_prk_input in = { .n_a = n_a };
	struct tcpc_resume_id rid;
	struct tcpc_frag f = { key, 32 };

	memset(out, 0x55, sizeof(out));
	EXPECT_EQ(-EIO, tcpc_hkdf_extract(&bad, key, 32, &f, 1, out));
	EXPECT_TRUE(all_zero(out, 32));
	st.calls = 0;
	st.err = -ENOMEM;
	memset(out, 0x55, sizeof(out));
	EXPECT_EQ(-ENOMEM, tcpc_kdf_prk(&bad, &in, out));
	EXPECT_TRUE(all_zero(out, 32));
	st.calls = 0;
	memset(out, 0x55, sizeof(out));
	EXPECT_EQ(-ENOMEM, tcpc_kdf_next_ss(&bad, key, out));
	EXPECT_TRUE(all_zero(out, 32));
	st.calls = 0;
	memset(out, 0x55, sizeof(out));
	EXPECT_EQ(-ENOMEM, tcpc_kdf_session_id(&bad, key, 0x23, NULL, out));
	EXPECT_TRUE(all_zero(out, 33));
	st.calls = 0;
	EXPECT_EQ(-ENOMEM, tcpc_kdf_mk0(&bad, key, NULL, out));
	st.calls = 0;
	EXPECT_EQ(-ENOMEM, tcpc_kdf_next_mk(&bad, key, out));
	st.calls = 0;
	memset(&rid, 0x55, sizeof(rid));
	EXPECT_EQ(-ENOMEM, tcpc_kdf_resume_id(&bad, key, &rid));
	EXPECT_TRUE(all_zero(rid.id_a, sizeof(rid.id_a)));
	EXPECT_TRUE(all_zero(rid.id_b, sizeof(rid.id_b)));

	EXPECT_EQ(-EINVAL, tcpc_kdf_next_ss(&none, key, out));
	EXPECT_EQ(-EINVAL, tcpc_kdf_next_ss(NULL, key, out));
	EXPECT_EQ(-EINVAL, tcpc_hkdf_extract(NULL, key, 32, &f, 1, out));
}

/* The second block of a 44-byte key fails: the first must not survive */
TEST(hmac_error_second_block)
{
	struct failing_hmac st = { .fail_at = 2, .err = -EKEYREJECTED };
	struct tcpc_hmac bad = { failing_hmac_sha256, &st };
	struct tcpc_traffic_key tk;
	u8 mk[32], out[65];
	struct tcpc_frag f = { mk, 1 };

	unhex(MK0, mk, sizeof(mk));
	memset(&tk, 0x55, sizeof(tk));
	EXPECT_EQ(-EKEYREJECTED,
		  tcpc_kdf_traffic_key(&bad, mk, TCPC_KEY_AB,
				       tcpc_aead_find(TCPC_AEAD_AES_256_GCM),
				       &tk));
	EXPECT_EQ(2, st.calls);
	EXPECT_TRUE(all_zero((u8 *)&tk, sizeof(tk)));

	st.calls = 0;
	st.fail_at = 3;
	memset(out, 0x55, sizeof(out));
	EXPECT_EQ(-EKEYREJECTED, tcpc_hkdf_expand(&bad, mk, 32, &f, 1,
						  out, sizeof(out)));
	EXPECT_TRUE(all_zero(out, sizeof(out)));

	/* a 28-byte key needs one block only */
	st.calls = 0;
	st.fail_at = 2;
	EXPECT_EQ(0, tcpc_kdf_traffic_key(&bad, mk, TCPC_KEY_AB,
					  tcpc_aead_find(TCPC_AEAD_AES_128_GCM),
					  &tk));
	EXPECT_EQ(1, st.calls);
}

TEST_HARNESS_MAIN
