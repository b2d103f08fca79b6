// SPDX-License-Identifier: GPL-2.0
/*
 * Session key material from the PRK (kmod/proto/session_keys.c) against
 * the worked example of the spec digest (section 3): mk[0], k_ab[0],
 * k_ba[0] oriented by role, the session ID, both AEAD key sizes, and the
 * wiping of every output on failure.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "hmac_openssl.h"
#include "session_keys.h"

static size_t hex(u8 *out, const char *s)
{
	size_t n = 0;
	unsigned int b;

	while (*s) {
		if (*s == ' ' || *s == '|') {
			s++;
			continue;
		}
		if (sscanf(s, "%2x", &b) != 1)
			abort();
		out[n++] = b;
		s += 2;
	}
	return n;
}

#define PRK	"6fac045189858f2ef5e812b7c5e9791bc27bbe94d14fc12f1007b37554795785"
#define SID0	"237377feda4e07b76a24724c1840927c1b48770bc4e2206f2f17e54f06f221ce12"
#define MK0	"4115928c1a47f540674e6bd045ef9acbfee5d45010390577646ad016131f1045"
#define KAB0	"9d86ca6ed072c1df93b40087f67efbea | b7043da40098a88a1ba16d96"
#define KBA0	"9cbbbcd841628fce2be5197291b8ece3 | 86274974de6df1b62f23e711"
#define KAB0_CHACHA "9d86ca6ed072c1df93b40087f67efbeab7043da40098a88a1ba16d96" \
		    "77389e11 | 700ac991bb0519b90a6eb355"

static void expect_bytes(struct __test_metadata *_metadata, const u8 *got,
			 size_t got_len, const char *want_hex)
{
	u8 want[128];
	size_t n = hex(want, want_hex);

	ASSERT_EQ(n, got_len);
	ASSERT_EQ(0, memcmp(got, want, n));
}

static bool all_zero(const void *p, size_t n)
{
	const u8 *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

TEST(role_a_aes128)
{
	struct tcpc_session_keys k;
	u8 prk[32];

	hex(prk, PRK);
	ASSERT_EQ(0, tcpc_session_keys_derive(&tcpc_hmac_openssl, prk,
					      TCPC_AEAD_AES_128_GCM, 0x23,
					      false, &k));
	ASSERT_EQ(28, k.tk_len);
	expect_bytes(_metadata, k.mk, sizeof(k.mk), MK0);
	expect_bytes(_metadata, k.k_local, k.tk_len, KAB0);
	expect_bytes(_metadata, k.k_peer, k.tk_len, KBA0);
	expect_bytes(_metadata, k.sessid, sizeof(k.sessid), SID0);
}

TEST(role_b_swaps_directions)
{
	struct tcpc_session_keys k;
	u8 prk[32];

	hex(prk, PRK);
	ASSERT_EQ(0, tcpc_session_keys_derive(&tcpc_hmac_openssl, prk,
					      TCPC_AEAD_AES_128_GCM, 0x23,
					      true, &k));
	expect_bytes(_metadata, k.k_local, k.tk_len, KBA0);
	expect_bytes(_metadata, k.k_peer, k.tk_len, KAB0);
	/* Both ends compute the same session ID */
	expect_bytes(_metadata, k.sessid, sizeof(k.sessid), SID0);
}

TEST(chacha_key_is_44_bytes)
{
	struct tcpc_session_keys k;
	u8 prk[32];

	hex(prk, PRK);
	ASSERT_EQ(0, tcpc_session_keys_derive(&tcpc_hmac_openssl, prk,
					      TCPC_AEAD_CHACHA20_POLY1305,
					      0x23, false, &k));
	ASSERT_EQ(44, k.tk_len);
	expect_bytes(_metadata, k.k_local, k.tk_len, KAB0_CHACHA);
	/* The AES-256-GCM key has the same length */
	ASSERT_EQ(0, tcpc_session_keys_derive(&tcpc_hmac_openssl, prk,
					      TCPC_AEAD_AES_256_GCM, 0x23,
					      false, &k));
	ASSERT_EQ(44, k.tk_len);
	expect_bytes(_metadata, k.k_local, k.tk_len, KAB0_CHACHA);
}

TEST(sessid_byte_is_as_b_sent_it)
{
	struct tcpc_session_keys k;
	u8 prk[32];

	hex(prk, PRK);
	ASSERT_EQ(0, tcpc_session_keys_derive(&tcpc_hmac_openssl, prk,
					      TCPC_AEAD_AES_128_GCM, 0x21,
					      false, &k));
	ASSERT_EQ(0x21, k.sessid[0]);
	/* The rest does not depend on the TEP byte */
	expect_bytes(_metadata, k.sessid + 1, sizeof(k.sessid) - 1, &SID0[2]);
}

TEST(unknown_aead_wipes)
{
	struct tcpc_session_keys k;
	u8 prk[32];

	hex(prk, PRK);
	memset(&k, 0xee, sizeof(k));
	ASSERT_EQ(-EINVAL, tcpc_session_keys_derive(&tcpc_hmac_openssl, prk,
						    0x0003, 0x23, false, &k));
	ASSERT_TRUE(all_zero(&k, sizeof(k)));
}

static int failing_hmac(void *priv, const u8 *key, size_t keylen,
			const struct tcpc_frag *msg, unsigned int nfrags,
			u8 out[TCPC_HASH_LEN])
{
	int *calls = priv;

	if (--*calls < 0)
		return -EIO;
	return tcpc_hmac_openssl.hmac_sha256(tcpc_hmac_openssl.priv, key,
					     keylen, msg, nfrags, out);
}

TEST(hmac_failure_at_each_step_wipes)
{
	struct tcpc_session_keys k;
	struct tcpc_hmac h = { .hmac_sha256 = failing_hmac };
	int allowed, calls;
	u8 prk[32];

	hex(prk, PRK);
	/* mk0, k_local (1 block), k_peer (1 block), session ID */
	for (allowed = 0; allowed < 4; allowed++) {
		calls = allowed;
		h.priv = &calls;
		memset(&k, 0xee, sizeof(k));
		ASSERT_EQ(-EIO, tcpc_session_keys_derive(&h, prk,
							 TCPC_AEAD_AES_128_GCM,
							 0x23, false, &k));
		ASSERT_TRUE(all_zero(&k, sizeof(k)));
	}
	calls = 4;
	ASSERT_EQ(0, tcpc_session_keys_derive(&h, prk, TCPC_AEAD_AES_128_GCM,
					      0x23, false, &k));
}

TEST_HARNESS_MAIN
