// SPDX-License-Identifier: GPL-2.0
/*
 * tcpcrypt Init1/Init2 codec (kmod/proto/init_msg.c): the digest's
 * section 3 messages byte for byte, the sizes of section 2.4 for every
 * TEP and cipher count, each magic/length/key check, truncation at every
 * offset, ignored trailing bytes, AEAD choice, and random round trips.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "hexutil.h"
#include "init_msg.h"

#define BUF_MAX (TCPC_INIT_MAX_LEN + 64)

static const u8 teps[] = { TCPC_TEP_P256, TCPC_TEP_P521, TCPC_TEP_X25519,
			   TCPC_TEP_X448 };

static u64 rng_state = 0x0123456789abcdefULL;

static u32 rnd(u32 n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (u32)((rng_state * 0x2545f4914f6cdd1dULL) >> 32) % n;
}

static void fill(u8 *p, size_t n)
{
	while (n--)
		*p++ = rnd(256);
}

/* A valid key for @tep: compressed points start with 02 or 03 */
static void make_key(u8 *key, u8 tep)
{
	int len = tcpc_tep_key_len(tep);

	fill(key, len);
	if (tep == TCPC_TEP_P256 || tep == TCPC_TEP_P521)
		key[0] = 2 + rnd(2);
}

/* Canonical Init1 of @tep with @k ciphers 0x0001, 0x0002, ... */
static int make_init1(u8 *buf, size_t cap, u8 tep, unsigned int k,
		      u8 *ciphers, u8 *nonce, u8 *key)
{
	struct tcpc_init1 m = { .tep = tep, .nciphers = k, .ciphers = ciphers,
				.nonce = nonce, .key = key };
	unsigned int i;

	for (i = 0; i < k; i++)
		tcpc_put_be16(ciphers + 2 * i, i + 1);
	fill(nonce, TCPC_INIT_NONCE_LEN);
	make_key(key, tep);
	return tcpc_init1_encode(buf, cap, &m);
}

static int make_init2(u8 *buf, size_t cap, u8 tep, u16 cipher, u8 *nonce,
		      u8 *key)
{
	struct tcpc_init2 m = { .tep = tep, .cipher = cipher, .nonce = nonce,
				.key = key };

	fill(nonce, TCPC_INIT_NONCE_LEN);
	make_key(key, tep);
	return tcpc_init2_encode(buf, cap, &m);
}

/* Offset of Pub in a message: after the ciphers (Init1) or N_B (Init2) */
static unsigned int pub_off1(unsigned int k)
{
	return TCPC_INIT1_FIXED + 2 * k;
}

/* ---- The digest's section 3 example ---- */

TEST(digest_section3_init1)
{
	u8 nonce[32], pub[32], ciphers[2] = { 0x00, 0x01 };
	u8 buf[128], want[128];
	struct tcpc_init1 m = { .tep = TCPC_TEP_X25519, .nciphers = 1,
				.ciphers = ciphers, .nonce = nonce,
				.key = pub };
	struct tcpc_init1 d;
	int i;

	for (i = 0; i < 32; i++)
		nonce[i] = i;
	hex(pub, "8520f0098930a754748b7ddcb43ef75a"
		 "0dbf3a0d26381af4eba4a98eaa9b4e6a");
	ASSERT_EQ(75, tcpc_init1_encode(buf, sizeof(buf), &m));
	ASSERT_EQ(75, hex(want, "15101a0e 0000004b 01 0001"
			  "000102030405060708090a0b0c0d0e0f"
			  "101112131415161718191a1b1c1d1e1f"
			  "8520f0098930a754748b7ddcb43ef75a"
			  "0dbf3a0d26381af4eba4a98eaa9b4e6a"));
	ASSERT_EQ(0, memcmp(buf, want, 75));

	ASSERT_EQ(0, tcpc_init1_decode(want, 75, TCPC_TEP_X25519, &d));
	EXPECT_EQ(75u, d.msg_len);
	EXPECT_EQ(1, d.nciphers);
	EXPECT_EQ(TCPC_AEAD_AES_128_GCM, tcpc_init1_cipher(&d, 0));
	EXPECT_EQ(want + 11, d.nonce);
	EXPECT_EQ(want + 43, d.key);
	EXPECT_EQ(TCPC_TEP_X25519, d.tep);
}

TEST(digest_section3_init2)
{
	u8 nonce[32], pub[32], buf[128], want[128];
	struct tcpc_init2 m = { .tep = TCPC_TEP_X25519,
				.cipher = TCPC_AEAD_AES_128_GCM,
				.nonce = nonce, .key = pub };
	struct tcpc_init2 d;
	int i;

	for (i = 0; i < 32; i++)
		nonce[i] = 0x20 + i;
	hex(pub, "de9edb7d7b7dc1b4d35b61c2ece43537"
		 "3f8343c85b78674dadfc7e146f882b4f");
	ASSERT_EQ(74, tcpc_init2_encode(buf, sizeof(buf), &m));
	ASSERT_EQ(74, hex(want, "097105e0 0000004a 0001"
			  "202122232425262728292a2b2c2d2e2f"
			  "303132333435363738393a3b3c3d3e3f"
			  "de9edb7d7b7dc1b4d35b61c2ece43537"
			  "3f8343c85b78674dadfc7e146f882b4f"));
	ASSERT_EQ(0, memcmp(buf, want, 74));

	ASSERT_EQ(0, tcpc_init2_decode(want, 74, TCPC_TEP_X25519, &d));
	EXPECT_EQ(74u, d.msg_len);
	EXPECT_EQ(TCPC_AEAD_AES_128_GCM, d.cipher);
	EXPECT_EQ(want + 10, d.nonce);
	EXPECT_EQ(want + 42, d.key);
}

/* ---- Sizes (digest 2.1 and 2.4) ---- */

TEST(key_and_pub_sizes)
{
	EXPECT_EQ(32, tcpc_tep_key_len(TCPC_TEP_X25519));
	EXPECT_EQ(56, tcpc_tep_key_len(TCPC_TEP_X448));
	EXPECT_EQ(33, tcpc_tep_key_len(TCPC_TEP_P256));
	EXPECT_EQ(67, tcpc_tep_key_len(TCPC_TEP_P521));
	EXPECT_EQ(32, tcpc_tep_pub_len(TCPC_TEP_X25519));
	EXPECT_EQ(56, tcpc_tep_pub_len(TCPC_TEP_X448));
	EXPECT_EQ(35, tcpc_tep_pub_len(TCPC_TEP_P256));
	EXPECT_EQ(69, tcpc_tep_pub_len(TCPC_TEP_P521));
	EXPECT_EQ(-EINVAL, tcpc_tep_key_len(0x20));
	EXPECT_EQ(-EINVAL, tcpc_tep_pub_len(0x25));
	EXPECT_EQ(-EINVAL, tcpc_tep_pub_len(0xa3));
	EXPECT_EQ(-EINVAL, tcpc_init2_len(0x20));
	EXPECT_EQ(-EINVAL, tcpc_init1_len(TCPC_TEP_X25519, 0));
	EXPECT_EQ(-EINVAL, tcpc_init1_len(TCPC_TEP_X25519, 256));
	EXPECT_EQ(-EINVAL, tcpc_init1_len(0x7f, 1));
}

TEST(sizes_every_tep_and_cipher_count)
{
	static const struct {
		u8 tep;
		int init1_base, init2;
	} table[] = {
		{ TCPC_TEP_X25519, 73, 74 },
		{ TCPC_TEP_X448, 97, 98 },
		{ TCPC_TEP_P256, 76, 77 },
		{ TCPC_TEP_P521, 110, 111 },
	};
	u8 buf[BUF_MAX], ciphers[510], nonce[32], key[67];
	unsigned int i, k, bad = 0;
	struct tcpc_init1 d1;
	struct tcpc_init2 d2;

	for (i = 0; i < ARRAY_SIZE(table); i++) {
		int want1, len;

		for (k = 1; k <= 255; k++) {
			want1 = table[i].init1_base + 2 * k;
			len = make_init1(buf, sizeof(buf), table[i].tep, k,
					 ciphers, nonce, key);
			bad += tcpc_init1_len(table[i].tep, k) != want1;
			bad += len != want1;
			bad += tcpc_get_be32(buf + 4) != (u32)want1;
			bad += tcpc_init1_decode(buf, len, table[i].tep, &d1) ||
			       d1.nciphers != k || d1.msg_len != (u32)want1;
		}
		EXPECT_EQ(table[i].init2, tcpc_init2_len(table[i].tep));
		len = make_init2(buf, sizeof(buf), table[i].tep, 2, nonce,
				 key);
		EXPECT_EQ(table[i].init2, len);
		EXPECT_EQ(0, tcpc_init2_decode(buf, len, table[i].tep, &d2));
		EXPECT_EQ((u32)len, d2.msg_len);
	}
	EXPECT_EQ(0u, bad);
}

/* ---- Public key encoding of the NIST curves (digest Q1) ---- */

TEST(nist_pubkey_prefix)
{
	u8 buf[256], ciphers[2], nonce[32], key[67];
	unsigned int off = pub_off1(1);
	int len;

	/* Default reading: pubkey_len counts its own two bytes */
	ASSERT_EQ(1, TCPC_PUBKEY_LEN_COUNTS_PREFIX);
	len = make_init1(buf, sizeof(buf), TCPC_TEP_P256, 1, ciphers, nonce,
			 key);
	ASSERT_EQ(78, len);
	EXPECT_EQ(35, tcpc_get_be16(buf + off));
	EXPECT_EQ(0, memcmp(buf + off + 2, key, 33));
	len = make_init2(buf, sizeof(buf), TCPC_TEP_P521, 1, nonce, key);
	ASSERT_EQ(111, len);
	EXPECT_EQ(69, tcpc_get_be16(buf + TCPC_INIT2_FIXED));
	EXPECT_EQ(0, memcmp(buf + TCPC_INIT2_FIXED + 2, key, 67));
}

TEST(nist_pubkey_checks)
{
	u8 buf[256], ciphers[2], nonce[32], key[67];
	static const u16 wrong[] = { 0, 1, 33, 34, 36, 67, 69, 0x0123, 0xffff };
	unsigned int i, j, off, pfx;
	struct tcpc_init1 d1;
	struct tcpc_init2 d2;
	int len;

	for (i = 0; i < 2; i++) {
		u8 tep = i ? TCPC_TEP_P521 : TCPC_TEP_P256;

		pfx = tcpc_tep_pub_len(tep);
		len = make_init1(buf, sizeof(buf), tep, 1, ciphers, nonce,
				 key);
		off = pub_off1(1);
		ASSERT_EQ(pfx, tcpc_get_be16(buf + off));
		for (j = 0; j < ARRAY_SIZE(wrong); j++) {
			if (wrong[j] == pfx)
				continue;
			tcpc_put_be16(buf + off, wrong[j]);
			EXPECT_EQ(-EBADMSG,
				  tcpc_init1_decode(buf, len, tep, &d1));
		}
		tcpc_put_be16(buf + off, pfx);
		/* Only compressed points: 02 or 03 */
		for (j = 0; j < 256; j++) {
			buf[off + 2] = j;
			EXPECT_EQ(j == 2 || j == 3 ? 0 : -EBADMSG,
				  tcpc_init1_decode(buf, len, tep, &d1));
		}
		buf[off + 2] = 3;
		ASSERT_EQ(0, tcpc_init1_decode(buf, len, tep, &d1));
		EXPECT_EQ(buf + off + 2, d1.key);

		len = make_init2(buf, sizeof(buf), tep, 1, nonce, key);
		off = TCPC_INIT2_FIXED;
		tcpc_put_be16(buf + off, pfx - 2);
		EXPECT_EQ(-EBADMSG, tcpc_init2_decode(buf, len, tep, &d2));
		tcpc_put_be16(buf + off, pfx);
		buf[off + 2] = 4;
		EXPECT_EQ(-EBADMSG, tcpc_init2_decode(buf, len, tep, &d2));
		buf[off + 2] = 2;
		EXPECT_EQ(0, tcpc_init2_decode(buf, len, tep, &d2));
		EXPECT_EQ(buf + off + 2, d2.key);
	}
}

TEST(encode_rejects)
{
	u8 buf[256], ciphers[4] = { 0, 1, 0, 2 }, nonce[32] = { 0 };
	u8 key[67] = { 4 };
	struct tcpc_init1 m1 = { .tep = TCPC_TEP_P256, .nciphers = 2,
				 .ciphers = ciphers, .nonce = nonce,
				 .key = key };
	struct tcpc_init2 m2 = { .tep = TCPC_TEP_P521, .cipher = 1,
				 .nonce = nonce, .key = key };

	/* An uncompressed or invalid point is never sent */
	EXPECT_EQ(-EINVAL, tcpc_init1_encode(buf, sizeof(buf), &m1));
	EXPECT_EQ(-EINVAL, tcpc_init2_encode(buf, sizeof(buf), &m2));
	key[0] = 3;
	EXPECT_EQ(80, tcpc_init1_encode(buf, sizeof(buf), &m1));
	EXPECT_EQ(111, tcpc_init2_encode(buf, sizeof(buf), &m2));
	/* Raw keys may start with anything */
	key[0] = 4;
	m1.tep = TCPC_TEP_X25519;
	m2.tep = TCPC_TEP_X448;
	EXPECT_EQ(77, tcpc_init1_encode(buf, sizeof(buf), &m1));
	EXPECT_EQ(98, tcpc_init2_encode(buf, sizeof(buf), &m2));
	/* Capacity, to the byte */
	EXPECT_EQ(-ENOSPC, tcpc_init1_encode(buf, 76, &m1));
	EXPECT_EQ(77, tcpc_init1_encode(buf, 77, &m1));
	EXPECT_EQ(-ENOSPC, tcpc_init2_encode(buf, 97, &m2));
	EXPECT_EQ(98, tcpc_init2_encode(buf, 98, &m2));
	/* No cipher, unknown TEP */
	m1.nciphers = 0;
	EXPECT_EQ(-EINVAL, tcpc_init1_encode(buf, sizeof(buf), &m1));
	m1.nciphers = 2;
	m1.tep = 0x20;
	EXPECT_EQ(-EINVAL, tcpc_init1_encode(buf, sizeof(buf), &m1));
	m2.tep = 0xa3;
	EXPECT_EQ(-EINVAL, tcpc_init2_encode(buf, sizeof(buf), &m2));
}

/* ---- Magic and length checks ---- */

TEST(bad_magic_refused_as_soon_as_seen)
{
	u8 buf[256], ciphers[2], nonce[32], key[67];
	struct tcpc_init1 d1;
	struct tcpc_init2 d2;
	int len1, len2, i;
	size_t avail;
	u8 saved;

	len1 = make_init1(buf, sizeof(buf), TCPC_TEP_X25519, 1, ciphers,
			  nonce, key);
	for (i = 0; i < 4; i++) {
		saved = buf[i];
		buf[i] ^= 0x40;
		for (avail = 0; avail <= (size_t)len1; avail++)
			EXPECT_EQ(avail <= (size_t)i ? -EAGAIN : -EBADMSG,
				  tcpc_init1_decode(buf, avail,
						    TCPC_TEP_X25519, &d1));
		buf[i] = saved;
	}
	/* An Init2 where an Init1 belongs, and the reverse */
	EXPECT_EQ(-EBADMSG, tcpc_init2_decode(buf, len1, TCPC_TEP_X25519,
					      &d2));
	len2 = make_init2(buf, sizeof(buf), TCPC_TEP_X25519, 1, nonce, key);
	EXPECT_EQ(-EBADMSG, tcpc_init1_decode(buf, len2, TCPC_TEP_X25519,
					      &d1));
	for (i = 0; i < 4; i++) {
		buf[i] ^= 0x01;
		EXPECT_EQ(-EBADMSG, tcpc_init2_decode(buf, i + 1,
						      TCPC_TEP_X25519, &d2));
		EXPECT_EQ(-EBADMSG, tcpc_init2_decode(buf, len2,
						      TCPC_TEP_X25519, &d2));
		buf[i] ^= 0x01;
	}
	EXPECT_EQ(0, tcpc_init2_decode(buf, len2, TCPC_TEP_X25519, &d2));
	EXPECT_EQ(-EINVAL, tcpc_init2_decode(buf, len2, 0x25, &d2));
	EXPECT_EQ(-EINVAL, tcpc_init1_decode(buf, len2, 0x20, &d1));
}

TEST(message_len_bounds)
{
	static u8 buf[BUF_MAX];
	u8 ciphers[6], nonce[32], key[67];
	struct tcpc_init1 d1;
	struct tcpc_init2 d2;
	unsigned int t;
	int len;

	for (t = 0; t < ARRAY_SIZE(teps); t++) {
		u8 tep = teps[t];

		/* Init1 with one cipher: one byte short of the minimum */
		len = make_init1(buf, sizeof(buf), tep, 1, ciphers, nonce,
				 key);
		tcpc_put_be32(buf + 4, len - 1);
		EXPECT_EQ(-EBADMSG, tcpc_init1_decode(buf, len, tep, &d1));
		/* ... refused once message_len is visible */
		EXPECT_EQ(-EBADMSG, tcpc_init1_decode(buf, 8, tep, &d1));
		EXPECT_EQ(-EAGAIN, tcpc_init1_decode(buf, 7, tep, &d1));
		tcpc_put_be32(buf + 4, 0);
		EXPECT_EQ(-EBADMSG, tcpc_init1_decode(buf, len, tep, &d1));
		/* Three ciphers announced, length for one or two */
		len = make_init1(buf, sizeof(buf), tep, 3, ciphers, nonce,
				 key);
		tcpc_put_be32(buf + 4, len - 2);
		EXPECT_EQ(-EBADMSG, tcpc_init1_decode(buf, len, tep, &d1));
		EXPECT_EQ(-EBADMSG, tcpc_init1_decode(buf, 9, tep, &d1));
		tcpc_put_be32(buf + 4, len - 1);
		EXPECT_EQ(-EBADMSG, tcpc_init1_decode(buf, len, tep, &d1));
		tcpc_put_be32(buf + 4, len);
		EXPECT_EQ(0, tcpc_init1_decode(buf, len, tep, &d1));
		/* nciphers = 0, however long the message */
		buf[8] = 0;
		EXPECT_EQ(-EBADMSG, tcpc_init1_decode(buf, len, tep, &d1));
		EXPECT_EQ(-EBADMSG, tcpc_init1_decode(buf, 9, tep, &d1));
		EXPECT_EQ(-EAGAIN, tcpc_init1_decode(buf, 8, tep, &d1));

		len = make_init2(buf, sizeof(buf), tep, 1, nonce, key);
		tcpc_put_be32(buf + 4, len - 1);
		EXPECT_EQ(-EBADMSG, tcpc_init2_decode(buf, len, tep, &d2));
		EXPECT_EQ(-EBADMSG, tcpc_init2_decode(buf, 8, tep, &d2));
		tcpc_put_be32(buf + 4, 8);
		EXPECT_EQ(-EBADMSG, tcpc_init2_decode(buf, len, tep, &d2));
	}
}

TEST(message_len_upper_bound)
{
	static u8 buf[BUF_MAX];
	u8 ciphers[2], nonce[32], key[67];
	struct tcpc_init1 d1;
	struct tcpc_init2 d2;
	int len;

	memset(buf, 0xee, sizeof(buf));
	len = make_init1(buf, sizeof(buf), TCPC_TEP_X448, 1, ciphers, nonce,
			 key);
	ASSERT_EQ(99, len);
	tcpc_put_be32(buf + 4, TCPC_INIT_MAX_LEN);
	EXPECT_EQ(-EAGAIN, tcpc_init1_decode(buf, TCPC_INIT_MAX_LEN - 1,
					     TCPC_TEP_X448, &d1));
	EXPECT_EQ((u32)TCPC_INIT_MAX_LEN, d1.msg_len);
	EXPECT_EQ(0, tcpc_init1_decode(buf, TCPC_INIT_MAX_LEN,
				       TCPC_TEP_X448, &d1));
	EXPECT_EQ((u32)TCPC_INIT_MAX_LEN, d1.msg_len);
	tcpc_put_be32(buf + 4, TCPC_INIT_MAX_LEN + 1);
	EXPECT_EQ(-EBADMSG, tcpc_init1_decode(buf, 8, TCPC_TEP_X448, &d1));
	EXPECT_EQ(-EBADMSG, tcpc_init1_decode(buf, sizeof(buf),
					      TCPC_TEP_X448, &d1));
	tcpc_put_be32(buf + 4, 0xffffffff);
	EXPECT_EQ(-EBADMSG, tcpc_init1_decode(buf, 8, TCPC_TEP_X448, &d1));

	len = make_init2(buf, sizeof(buf), TCPC_TEP_X448, 1, nonce, key);
	tcpc_put_be32(buf + 4, TCPC_INIT_MAX_LEN);
	EXPECT_EQ(0, tcpc_init2_decode(buf, TCPC_INIT_MAX_LEN,
				       TCPC_TEP_X448, &d2));
	tcpc_put_be32(buf + 4, TCPC_INIT_MAX_LEN + 1);
	EXPECT_EQ(-EBADMSG, tcpc_init2_decode(buf, 8, TCPC_TEP_X448, &d2));
}

/* ---- Messages spanning segments ---- */

TEST(truncation_at_every_offset)
{
	static u8 buf[BUF_MAX];
	u8 ciphers[510], nonce[32], key[67];
	unsigned int t, extra, bad = 0;
	struct tcpc_init1 d1;
	struct tcpc_init2 d2;
	size_t avail;

	for (t = 0; t < ARRAY_SIZE(teps); t++) {
		for (extra = 0; extra <= 9; extra += 9) {
			u8 tep = teps[t];
			int len1 = make_init1(buf, sizeof(buf), tep, 3,
					      ciphers, nonce, key);
			u32 m1 = len1 + extra, need;
			int want;

			tcpc_put_be32(buf + 4, m1);
			for (avail = 0; avail <= m1 + 3; avail++) {
				want = avail < m1 ? -EAGAIN : 0;
				need = avail < 8 ? 8 : m1;
				bad += tcpc_init1_decode(buf, avail, tep,
							 &d1) != want;
				bad += d1.msg_len != need;
			}

			len1 = make_init2(buf, sizeof(buf), tep, 16, nonce,
					  key);
			m1 = len1 + extra;
			tcpc_put_be32(buf + 4, m1);
			for (avail = 0; avail <= m1 + 3; avail++) {
				want = avail < m1 ? -EAGAIN : 0;
				need = avail < 8 ? 8 : m1;
				bad += tcpc_init2_decode(buf, avail, tep,
							 &d2) != want;
				bad += d2.msg_len != need;
			}
		}
	}
	EXPECT_EQ(0u, bad);
}

TEST(invalid_key_waits_for_whole_message)
{
	u8 buf[256], ciphers[2], nonce[32], key[67];
	struct tcpc_init1 d1;
	size_t avail;
	int len;

	len = make_init1(buf, sizeof(buf), TCPC_TEP_P256, 1, ciphers, nonce,
			 key);
	buf[pub_off1(1) + 2] = 0x04;
	for (avail = 0; avail < (size_t)len; avail++)
		EXPECT_EQ(-EAGAIN, tcpc_init1_decode(buf, avail,
						     TCPC_TEP_P256, &d1));
	EXPECT_EQ(-EBADMSG, tcpc_init1_decode(buf, len, TCPC_TEP_P256, &d1));
}

TEST(trailing_bytes_are_part_of_the_message)
{
	u8 buf[512], ciphers[4], nonce[32], key[67];
	struct tcpc_init1 d1;
	struct tcpc_init2 d2;
	int len;

	len = make_init1(buf, sizeof(buf), TCPC_TEP_P521, 2, ciphers, nonce,
			 key);
	memset(buf + len, 0x5a, 7);
	tcpc_put_be32(buf + 4, len + 7);
	/* Followed by stream bytes that are not part of it */
	memset(buf + len + 7, 0xa5, 20);
	ASSERT_EQ(0, tcpc_init1_decode(buf, len + 27, TCPC_TEP_P521, &d1));
	EXPECT_EQ((u32)len + 7, d1.msg_len);
	EXPECT_EQ(2, d1.nciphers);
	EXPECT_EQ(0, memcmp(d1.nonce, nonce, 32));
	EXPECT_EQ(0, memcmp(d1.key, key, 67));
	EXPECT_EQ(0, memcmp(d1.ciphers, ciphers, 4));

	len = make_init2(buf, sizeof(buf), TCPC_TEP_X25519, 0x10, nonce, key);
	tcpc_put_be32(buf + 4, len + 1);
	EXPECT_EQ(-EAGAIN, tcpc_init2_decode(buf, len, TCPC_TEP_X25519, &d2));
	ASSERT_EQ(0, tcpc_init2_decode(buf, len + 1, TCPC_TEP_X25519, &d2));
	EXPECT_EQ((u32)len + 1, d2.msg_len);
	EXPECT_EQ(0x10, d2.cipher);
	EXPECT_EQ(0, memcmp(d2.key, key, 32));
}

/* ---- AEAD choice ---- */

TEST(aead_choice)
{
	u8 a_list[4], b_pref[6], one[2];
	struct tcpc_init1 i1 = { .nciphers = 2, .ciphers = a_list };
	struct tcpc_init2 i2 = { 0 };

	tcpc_put_be16(a_list, TCPC_AEAD_AES_128_GCM);
	tcpc_put_be16(a_list + 2, TCPC_AEAD_CHACHA20_POLY1305);
	tcpc_put_be16(b_pref, TCPC_AEAD_AES_256_GCM);
	tcpc_put_be16(b_pref + 2, TCPC_AEAD_CHACHA20_POLY1305);
	tcpc_put_be16(b_pref + 4, TCPC_AEAD_AES_128_GCM);

	/* B's preference order decides, not A's */
	EXPECT_EQ(TCPC_AEAD_CHACHA20_POLY1305,
		  tcpc_aead_choose(b_pref, 3, &i1));
	EXPECT_EQ(TCPC_AEAD_AES_128_GCM,
		  tcpc_aead_choose(b_pref + 4, 1, &i1));
	EXPECT_EQ(-ENOENT, tcpc_aead_choose(b_pref, 1, &i1));
	EXPECT_EQ(-ENOENT, tcpc_aead_choose(b_pref, 0, &i1));
	/* A's whole list counts, not only its first entry */
	tcpc_put_be16(one, TCPC_AEAD_CHACHA20_POLY1305);
	EXPECT_EQ(TCPC_AEAD_CHACHA20_POLY1305, tcpc_aead_choose(one, 1, &i1));
	/* An id matching only across entry boundaries is not listed */
	tcpc_put_be16(one, 0x0100);
	EXPECT_FALSE(tcpc_aead_listed(a_list, 2, 0x0100));
	EXPECT_EQ(-ENOENT, tcpc_aead_choose(one, 1, &i1));

	i2.cipher = TCPC_AEAD_AES_256_GCM;
	EXPECT_FALSE(tcpc_init2_cipher_ok(&i1, &i2));
	i2.cipher = TCPC_AEAD_CHACHA20_POLY1305;
	EXPECT_TRUE(tcpc_init2_cipher_ok(&i1, &i2));
	i2.cipher = TCPC_AEAD_AES_128_GCM;
	EXPECT_TRUE(tcpc_init2_cipher_ok(&i1, &i2));
	i1.nciphers = 1;
	i2.cipher = TCPC_AEAD_CHACHA20_POLY1305;
	EXPECT_FALSE(tcpc_init2_cipher_ok(&i1, &i2));
}

/* ---- Random round trips ---- */

TEST(roundtrip_random)
{
	static u8 buf[BUF_MAX], again[BUF_MAX];
	u8 ciphers[510], nonce[32], key[67];
	unsigned int iter, bad = 0;

	for (iter = 0; iter < 20000; iter++) {
		u8 tep = teps[rnd(4)];
		unsigned int k = 1 + rnd(rnd(4) ? 8 : 255), extra = rnd(3) ?
				 0 : rnd(40);
		struct tcpc_init1 m1 = { .tep = tep, .nciphers = k,
					 .ciphers = ciphers, .nonce = nonce,
					 .key = key }, d1;
		struct tcpc_init2 m2 = { .tep = tep, .cipher = rnd(0x10000),
					 .nonce = nonce, .key = key }, d2;
		int len, len2;

		fill(ciphers, 2 * k);
		fill(nonce, 32);
		make_key(key, tep);
		len = tcpc_init1_encode(buf, sizeof(buf), &m1);
		fill(buf + len, extra);
		tcpc_put_be32(buf + 4, len + extra);
		if (tcpc_init1_decode(buf, len + extra, tep, &d1)) {
			bad++;
			continue;
		}
		bad += d1.msg_len != len + extra || d1.nciphers != k ||
		       memcmp(d1.ciphers, ciphers, 2 * k) ||
		       memcmp(d1.nonce, nonce, 32) ||
		       memcmp(d1.key, key, tcpc_tep_key_len(tep));
		/* The canonical part re-encodes to the same bytes */
		len2 = tcpc_init1_encode(again, sizeof(again), &d1);
		tcpc_put_be32(again + 4, len + extra);
		bad += len2 != len || memcmp(again, buf, len);

		len = tcpc_init2_encode(buf, sizeof(buf), &m2);
		fill(buf + len, extra);
		tcpc_put_be32(buf + 4, len + extra);
		if (tcpc_init2_decode(buf, len + extra, tep, &d2)) {
			bad++;
			continue;
		}
		bad += d2.cipher != m2.cipher ||
		       memcmp(d2.key, key, tcpc_tep_key_len(tep));
		len2 = tcpc_init2_encode(again, sizeof(again), &d2);
		tcpc_put_be32(again + 4, len + extra);
		bad += len2 != len || memcmp(again, buf, len);
	}
	EXPECT_EQ(0u, bad);
}

TEST_HARNESS_MAIN
