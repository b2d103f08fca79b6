// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Key agreement: the daemon's start-up known-answer tests, one by one, and
 * the wire encoding and validation rules of RFC 8548 section 5.
 */
#include <errno.h>
#include <string.h>

#include <linux/tcpcrypt.h>

#include "kat.h"
#include "kex.h"
#include "kselftest_harness.h"
#include "log.h"

FIXTURE(kat) {
};

FIXTURE_VARIANT(kat) {
	unsigned int index;
};

FIXTURE_VARIANT_ADD(kat, x25519) { .index = 0 };
FIXTURE_VARIANT_ADD(kat, x448) { .index = 1 };
FIXTURE_VARIANT_ADD(kat, p256) { .index = 2 };
FIXTURE_VARIANT_ADD(kat, p256_round_trip) { .index = 3 };
FIXTURE_VARIANT_ADD(kat, p521_round_trip) { .index = 4 };
FIXTURE_VARIANT_ADD(kat, x25519_zero) { .index = 5 };
FIXTURE_VARIANT_ADD(kat, nist_invalid) { .index = 6 };

FIXTURE_SETUP(kat)
{
	ASSERT_EQ(7, kat_ncases);
}

FIXTURE_TEARDOWN(kat)
{
}

TEST_F(kat, passes)
{
	TH_LOG("%s", kat_cases[variant->index].name);
	EXPECT_EQ(0, kat_cases[variant->index].run());
}

TEST(run_all_reports_no_failure)
{
	log_set_verbosity(-2);	/* errors only */
	EXPECT_EQ(0, kat_run_all());
}

FIXTURE(tep) {
	struct tc_kex_key *a, *b;
	const struct tc_kex_desc *d;
};

FIXTURE_VARIANT(tep) {
	uint8_t tep;
	size_t pub_len, es_len;
};

FIXTURE_VARIANT_ADD(tep, x25519) { TCPCRYPT_TEP_X25519, 32, 32 };
FIXTURE_VARIANT_ADD(tep, x448) { TCPCRYPT_TEP_X448, 56, 56 };
FIXTURE_VARIANT_ADD(tep, p256) { TCPCRYPT_TEP_P256, 35, 32 };
FIXTURE_VARIANT_ADD(tep, p521) { TCPCRYPT_TEP_P521, 69, 66 };

FIXTURE_SETUP(tep)
{
	self->d = tc_kex_find(variant->tep);
	ASSERT_NE(NULL, self->d);
	ASSERT_EQ(0, tc_kex_generate(variant->tep, &self->a));
	ASSERT_EQ(0, tc_kex_generate(variant->tep, &self->b));
}

FIXTURE_TEARDOWN(tep)
{
	tc_kex_free(self->a);
	tc_kex_free(self->b);
}

TEST_F(tep, sizes_match_rfc8548)
{
	EXPECT_EQ(variant->pub_len, self->d->pub_len);
	EXPECT_EQ(variant->es_len, self->d->es_len);
	EXPECT_LE(self->d->pub_len, TC_KEX_MAX_PUB);
	EXPECT_LE(self->d->es_len, TC_KEX_MAX_ES);
	EXPECT_EQ(self->d, tc_kex_key_desc(self->a));
}

TEST_F(tep, agreement_and_buffer_sizes)
{
	uint8_t pa[TC_KEX_MAX_PUB], pb[TC_KEX_MAX_PUB];
	uint8_t ea[TC_KEX_MAX_ES], eb[TC_KEX_MAX_ES];
	size_t pl = variant->pub_len, el = variant->es_len;

	EXPECT_EQ(-ENOBUFS, tc_kex_public(self->a, pa, pl - 1));
	ASSERT_EQ((int)pl, tc_kex_public(self->a, pa, pl));
	ASSERT_EQ((int)pl, tc_kex_public(self->b, pb, sizeof(pb)));
	EXPECT_EQ(0, tc_kex_check_peer(variant->tep, pa, pl));

	EXPECT_EQ(-ENOBUFS, tc_kex_derive(self->a, pb, pl, ea, el - 1));
	ASSERT_EQ((int)el, tc_kex_derive(self->a, pb, pl, ea, el));
	ASSERT_EQ((int)el, tc_kex_derive(self->b, pa, pl, eb, sizeof(eb)));
	EXPECT_EQ(0, memcmp(ea, eb, el));
}

TEST_F(tep, wrong_lengths_refused)
{
	uint8_t pb[TC_KEX_MAX_PUB + 1], es[TC_KEX_MAX_ES];
	size_t pl = variant->pub_len;

	ASSERT_EQ((int)pl, tc_kex_public(self->b, pb, sizeof(pb)));
	EXPECT_EQ(-EINVAL, tc_kex_derive(self->a, pb, pl - 1, es, sizeof(es)));
	EXPECT_EQ(-EINVAL, tc_kex_derive(self->a, pb, pl + 1, es, sizeof(es)));
	EXPECT_EQ(-EINVAL, tc_kex_check_peer(variant->tep, pb, 0));
	/* The output is wiped when the derivation fails */
	memset(es, 0xa5, sizeof(es));
	EXPECT_EQ(-EINVAL, tc_kex_derive(self->a, pb, pl - 1, es, sizeof(es)));
	EXPECT_EQ(0, es[0]);
}

TEST(nist_wire_form)
{
	uint8_t pub[TC_KEX_MAX_PUB];
	struct tc_kex_key *k;

	ASSERT_EQ(0, tc_kex_generate(TCPCRYPT_TEP_P256, &k));
	ASSERT_EQ(35, tc_kex_public(k, pub, sizeof(pub)));
	tc_kex_free(k);
	/* The length counts itself (RFC 8548 figure; digest Q1) */
	EXPECT_EQ(0x00, pub[0]);
	EXPECT_EQ(35, pub[1]);
	EXPECT_TRUE(pub[2] == 0x02 || pub[2] == 0x03);

	ASSERT_EQ(0, tc_kex_generate(TCPCRYPT_TEP_P521, &k));
	ASSERT_EQ(69, tc_kex_public(k, pub, sizeof(pub)));
	tc_kex_free(k);
	EXPECT_EQ(0x00, pub[0]);
	EXPECT_EQ(69, pub[1]);
	EXPECT_TRUE(pub[2] == 0x02 || pub[2] == 0x03);
}

TEST(nist_point_tampering_refused)
{
	uint8_t pub[TC_KEX_MAX_PUB];
	struct tc_kex_key *k;
	int err;

	ASSERT_EQ(0, tc_kex_generate(TCPCRYPT_TEP_P256, &k));
	ASSERT_EQ(35, tc_kex_public(k, pub, sizeof(pub)));
	tc_kex_free(k);
	ASSERT_EQ(0, tc_kex_check_peer(TCPCRYPT_TEP_P256, pub, 35));

	pub[2] = 0x04;	/* uncompressed marker */
	EXPECT_EQ(-EINVAL, tc_kex_check_peer(TCPCRYPT_TEP_P256, pub, 35));
	pub[2] = 0x00;	/* point at infinity marker */
	EXPECT_EQ(-EINVAL, tc_kex_check_peer(TCPCRYPT_TEP_P256, pub, 35));
	pub[2] = 0x02;
	pub[1] = 34;	/* length off by one */
	EXPECT_EQ(-EINVAL, tc_kex_check_peer(TCPCRYPT_TEP_P256, pub, 35));
	pub[1] = 35;
	/* x >= p is no field element */
	memset(pub + 3, 0xff, 32);
	EXPECT_EQ(-EKEYREJECTED, tc_kex_check_peer(TCPCRYPT_TEP_P256, pub, 35));
	/* x = 1 is the x-coordinate of no P-256 point */
	memset(pub + 3, 0, 32);
	pub[34] = 1;
	EXPECT_EQ(-EKEYREJECTED, tc_kex_check_peer(TCPCRYPT_TEP_P256, pub, 35));
	/* A P-256 key is no P-521 key */
	err = tc_kex_check_peer(TCPCRYPT_TEP_P521, pub, 35);
	EXPECT_EQ(-EINVAL, err);
}

TEST(small_order_x_keys_refused)
{
	static const uint8_t zero448[56], one25519[32] = { 1 };
	uint8_t es[TC_KEX_MAX_ES];
	struct tc_kex_key *k;

	ASSERT_EQ(0, tc_kex_generate(TCPCRYPT_TEP_X448, &k));
	EXPECT_EQ(-EKEYREJECTED, tc_kex_derive(k, zero448, 56, es, sizeof(es)));
	tc_kex_free(k);
	/* u = 1 has order 4 on Curve25519: the secret is zero too */
	ASSERT_EQ(0, tc_kex_generate(TCPCRYPT_TEP_X25519, &k));
	EXPECT_EQ(-EKEYREJECTED, tc_kex_derive(k, one25519, 32, es,
					       sizeof(es)));
	tc_kex_free(k);
}

TEST(unknown_teps)
{
	uint8_t buf[64] = { 0 };
	struct tc_kex_key *k = NULL;

	EXPECT_NULL(tc_kex_find(0x20));
	EXPECT_NULL(tc_kex_find(0x30));
	EXPECT_EQ(-EPROTONOSUPPORT, tc_kex_generate(0x30, &k));
	EXPECT_EQ(-EPROTONOSUPPORT, tc_kex_import_private(0x25, buf, 32, &k));
	EXPECT_EQ(-EPROTONOSUPPORT, tc_kex_check_peer(0x00, buf, 32));
	EXPECT_NULL(k);
}

TEST(import_checks_private_keys)
{
	uint8_t priv[66];
	struct tc_kex_key *k = NULL;

	memset(priv, 0, sizeof(priv));
	EXPECT_EQ(-EINVAL, tc_kex_import_private(TCPCRYPT_TEP_P256, priv, 32,
						 &k));	/* zero scalar */
	memset(priv, 0xff, sizeof(priv));
	EXPECT_EQ(-EINVAL, tc_kex_import_private(TCPCRYPT_TEP_P256, priv, 32,
						 &k));	/* above the order */
	EXPECT_EQ(-EINVAL, tc_kex_import_private(TCPCRYPT_TEP_P256, priv, 31,
						 &k));
	EXPECT_EQ(-EINVAL, tc_kex_import_private(TCPCRYPT_TEP_X25519, priv,
						 31, &k));
	EXPECT_NULL(k);
}

TEST_HARNESS_MAIN
