// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The daemon's key exchange, A and B simulated in one process: the worked
 * example of the digest (section 3) byte for byte, every TEP with every
 * AEAD, every way a request can be refused, and mutated Init messages and
 * transcripts that must be refused cleanly, never crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init_msg.h"
#include "kex_engine.h"
#include "kex_util.h"
#include "kselftest_harness.h"
#include "log.h"

#define ALL_TEPS	"x25519,x448,p256,p521"

static const uint8_t all_teps[] = {
	TCPCRYPT_TEP_X25519, TCPCRYPT_TEP_X448, TCPCRYPT_TEP_P256,
	TCPCRYPT_TEP_P521,
};

static void unhex(const char *s, uint8_t *out)
{
	size_t i, n = strlen(s) / 2;
	unsigned int v;

	for (i = 0; i < n; i++) {
		sscanf(s + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
}

static bool all_zero(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/* A refusal carries its errno and nothing else */
static bool bare_error(const struct kex_reply *rep, uint32_t err)
{
	return rep->error == err && !rep->init_len && !rep->has_keys &&
	       !rep->aead && all_zero(rep->prk, sizeof(rep->prk));
}

/* --- the worked example of the digest, section 3 ------------------------- */

/* Key pairs and nonces handed out in order, through the test hooks */
struct fixed_source {
	const char *priv[2];	/* hex, RFC 7748 section 6.1 */
	uint8_t nonce_base[2];	/* nonce i is base, base + 1, ... */
	unsigned int keys, nonces;
};

static int fixed_random(void *arg, uint8_t *buf, size_t len)
{
	struct fixed_source *f = arg;
	size_t i;

	if (f->nonces >= 2)
		return -EIO;
	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(f->nonce_base[f->nonces] + i);
	f->nonces++;
	return 0;
}

static int fixed_keygen(void *arg, uint8_t tep, struct tc_kex_key **key)
{
	struct fixed_source *f = arg;
	uint8_t priv[32];

	if (f->keys >= 2)
		return -EIO;
	unhex(f->priv[f->keys++], priv);
	return tc_kex_import_private(tep, priv, sizeof(priv), key);
}

TEST(digest_worked_example)
{
	struct fixed_source src = {
		.priv = {
			"77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
			"5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
		},
		.nonce_base = { 0x00, 0x20 },
	};
	const struct kex_test_hooks hooks = {
		.random = fixed_random, .keygen = fixed_keygen, .arg = &src,
	};
	uint8_t transcript[8], init1[75], init2[74], prk[32];
	struct kex_reply r1, r2, r3;
	struct kex_test_request r;
	struct kex_engine a, b;
	unsigned int i;

	/* A offers X25519 then P-256 and AES-128-GCM; B picks X25519 */
	unhex("4504232145040123", transcript);
	unhex("15101a0e0000004b010001", init1);
	for (i = 0; i < 32; i++)
		init1[11 + i] = (uint8_t)i;
	unhex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
	      init1 + 43);
	unhex("097105e00000004a0001", init2);
	for (i = 0; i < 32; i++)
		init2[10 + i] = (uint8_t)(0x20 + i);
	unhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
	      init2 + 42);
	unhex("6fac045189858f2ef5e812b7c5e9791bc27bbe94d14fc12f1007b37554795785",
	      prk);

	ASSERT_EQ(0, kex_test_engine(&a, "x25519,p256", "aes128gcm"));
	ASSERT_EQ(0, kex_test_engine(&b, "x25519", "aes128gcm"));
	kex_test_hooks = &hooks;

	kex_test_request(&r, 7, TCPCRYPT_KEX_INIT1_NEEDED, TCPCRYPT_TEP_X25519,
			 NULL, 0);
	memcpy(r.transcript, transcript, sizeof(transcript));
	r.req.transcript_len = sizeof(transcript);
	kex_engine_handle(&a, &r.req, 0, &r1);
	ASSERT_EQ(0, r1.error);
	ASSERT_EQ(sizeof(init1), r1.init_len);
	EXPECT_EQ(0, memcmp(init1, r1.init, sizeof(init1)));
	EXPECT_FALSE(r1.has_keys);

	r.req.op = TCPCRYPT_KEX_INIT1_RECEIVED;
	r.req.init = r1.init;
	r.req.init_len = r1.init_len;
	kex_engine_handle(&b, &r.req, 0, &r2);
	ASSERT_EQ(0, r2.error);
	ASSERT_EQ(sizeof(init2), r2.init_len);
	EXPECT_EQ(0, memcmp(init2, r2.init, sizeof(init2)));
	ASSERT_TRUE(r2.has_keys);
	EXPECT_EQ(TCPCRYPT_AEAD_AES_128_GCM, r2.aead);
	EXPECT_EQ(0, memcmp(prk, r2.prk, sizeof(prk)));

	r.req.op = TCPCRYPT_KEX_INIT2_RECEIVED;
	r.req.init = r2.init;
	r.req.init_len = r2.init_len;
	kex_engine_handle(&a, &r.req, 0, &r3);
	ASSERT_EQ(0, r3.error);
	EXPECT_EQ(0, r3.init_len);
	ASSERT_TRUE(r3.has_keys);
	EXPECT_EQ(TCPCRYPT_AEAD_AES_128_GCM, r3.aead);
	EXPECT_EQ(0, memcmp(prk, r3.prk, sizeof(prk)));

	kex_test_hooks = NULL;
	EXPECT_EQ(2, src.keys);
	EXPECT_EQ(2, src.nonces);
	EXPECT_EQ(0, a.pending.count);
	kex_engine_destroy(&a);
	kex_engine_destroy(&b);
}

/* The daemon built for build/bin has none of the hooks above */
TEST(no_test_hooks_in_the_installed_daemon)
{
	static const char sym[] = "kex_test_hooks";
	int fd = open(TC_BINDIR "/tcpcryptd", O_RDONLY);
	struct stat st;
	void *bin;

	ASSERT_LE(0, fd) TH_LOG("%s/tcpcryptd: %s", TC_BINDIR, strerror(errno));
	ASSERT_EQ(0, fstat(fd, &st));
	bin = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	ASSERT_NE(MAP_FAILED, bin);
	/* The engine is there, its hook is not */
	EXPECT_NE(NULL, memmem(bin, (size_t)st.st_size, "kex_engine_handle",
			       17));
	EXPECT_EQ(NULL, memmem(bin, (size_t)st.st_size, sym, sizeof(sym) - 1));
	munmap(bin, (size_t)st.st_size);
}

/* --- every TEP with every AEAD ------------------------------------------- */

FIXTURE(combo) {
	struct kex_engine a, b;
};

FIXTURE_VARIANT(combo) {
	const char *tep_name;
	uint8_t tep;
	const char *aead_name;
	uint16_t aead;
};

#define COMBO(t, T, n, N) \
	FIXTURE_VARIANT_ADD(combo, t##_##n) { \
		#t, TCPCRYPT_TEP_##T, #n, TCPCRYPT_AEAD_##N, \
	}

COMBO(x25519, X25519, aes128gcm, AES_128_GCM);
COMBO(x25519, X25519, aes256gcm, AES_256_GCM);
COMBO(x25519, X25519, chacha20poly1305, CHACHA20_POLY1305);
COMBO(x448, X448, aes128gcm, AES_128_GCM);
COMBO(x448, X448, aes256gcm, AES_256_GCM);
COMBO(x448, X448, chacha20poly1305, CHACHA20_POLY1305);
COMBO(p256, P256, aes128gcm, AES_128_GCM);
COMBO(p256, P256, aes256gcm, AES_256_GCM);
COMBO(p256, P256, chacha20poly1305, CHACHA20_POLY1305);
COMBO(p521, P521, aes128gcm, AES_128_GCM);
COMBO(p521, P521, aes256gcm, AES_256_GCM);
COMBO(p521, P521, chacha20poly1305, CHACHA20_POLY1305);

FIXTURE_SETUP(combo)
{
	/* A announces everything; B only the variant's TEP and AEAD */
	ASSERT_EQ(0, kex_test_engine(&self->a, ALL_TEPS,
				     "aes128gcm,aes256gcm,chacha20poly1305"));
	ASSERT_EQ(0, kex_test_engine(&self->b, variant->tep_name,
				     variant->aead_name));
}

FIXTURE_TEARDOWN(combo)
{
	kex_engine_destroy(&self->a);
	kex_engine_destroy(&self->b);
}

TEST_F(combo, both_sides_derive_the_same_prk)
{
	static const uint8_t offered[] = { 0x00, 0x01, 0x00, 0x02, 0x00, 0x10 };
	struct kex_test_run run, again;

	ASSERT_EQ(0, kex_test_exchange(&self->a, &self->b, 1, variant->tep, 0,
				       &run));
	ASSERT_EQ(tcpc_init1_len(variant->tep, 3), (int)run.init1.init_len);
	/* Init1 offers A's AEADs in its -a order */
	EXPECT_EQ(3, run.init1.init[8]);
	EXPECT_EQ(0, memcmp(offered, run.init1.init + 9, sizeof(offered)));
	ASSERT_EQ(tcpc_init2_len(variant->tep), (int)run.init2.init_len);
	EXPECT_EQ(variant->aead, tcpc_get_be16(run.init2.init + 8));
	EXPECT_EQ(variant->aead, run.init2.aead);
	EXPECT_EQ(variant->aead, run.keys.aead);
	EXPECT_EQ(0, memcmp(run.init2.prk, run.keys.prk, TCPCRYPT_PRK_LEN));
	EXPECT_FALSE(all_zero(run.keys.prk, TCPCRYPT_PRK_LEN));
	EXPECT_EQ(0, self->a.pending.count);

	/* Fresh keys and nonces every time */
	ASSERT_EQ(0, kex_test_exchange(&self->a, &self->b, 2, variant->tep, 0,
				       &again));
	EXPECT_NE(0, memcmp(run.keys.prk, again.keys.prk, TCPCRYPT_PRK_LEN));
	EXPECT_NE(0, memcmp(run.init1.init + 15, again.init1.init + 15, 32));
}

/* --- refusals ------------------------------------------------------------ */

FIXTURE(kex) {
	struct kex_engine a, b;
	struct kex_test_run run;
	struct kex_test_request r;
	struct kex_reply rep;
};

FIXTURE_SETUP(kex)
{
	ASSERT_EQ(0, kex_test_engine(&self->a, ALL_TEPS,
				     "aes128gcm,aes256gcm"));
	ASSERT_EQ(0, kex_test_engine(&self->b, ALL_TEPS,
				     "chacha20poly1305,aes256gcm,aes128gcm"));
}

FIXTURE_TEARDOWN(kex)
{
	kex_engine_destroy(&self->a);
	kex_engine_destroy(&self->b);
}

/* A's Init1 for tep, into self->run.init1 */
static void make_init1(struct __test_metadata *_metadata,
		       FIXTURE_DATA(kex) *self, uint64_t id, uint8_t tep)
{
	kex_test_request(&self->r, id, TCPCRYPT_KEX_INIT1_NEEDED, tep, NULL, 0);
	kex_engine_handle(&self->a, &self->r.req, 0, &self->run.init1);
	ASSERT_EQ(0, self->run.init1.error);
}

/* B's answer to init (len bytes) for tep, in self->rep */
static uint32_t b_answers(FIXTURE_DATA(kex) *self, uint8_t tep,
			  const uint8_t *init, size_t len)
{
	kex_test_request(&self->r, 1, TCPCRYPT_KEX_INIT1_RECEIVED, tep, init,
			 len);
	kex_engine_handle(&self->b, &self->r.req, 0, &self->rep);
	return self->rep.error;
}

/* A's answer to init (len bytes) for connection id, in self->rep */
static uint32_t a_finishes(FIXTURE_DATA(kex) *self, uint64_t id, uint8_t tep,
			   const uint8_t *init, size_t len, int64_t now)
{
	kex_test_request(&self->r, id, TCPCRYPT_KEX_INIT2_RECEIVED, tep, init,
			 len);
	kex_engine_handle(&self->a, &self->r.req, now, &self->rep);
	return self->rep.error;
}

TEST_F(kex, b_picks_its_most_preferred_aead_that_a_offers)
{
	ASSERT_EQ(0, kex_test_exchange(&self->a, &self->b, 1,
				       TCPCRYPT_TEP_X25519, 0, &self->run));
	EXPECT_EQ(TCPCRYPT_AEAD_AES_256_GCM, self->run.init2.aead);
	EXPECT_EQ(TCPCRYPT_AEAD_AES_256_GCM, self->run.keys.aead);
}

TEST_F(kex, init1_bad_magic)
{
	uint8_t m[KEX_INIT1_MAX];

	make_init1(_metadata, self, 1, TCPCRYPT_TEP_X25519);
	memcpy(m, self->run.init1.init, self->run.init1.init_len);
	m[0] ^= 0x01;
	EXPECT_EQ(EBADMSG, b_answers(self, TCPCRYPT_TEP_X25519, m,
				     self->run.init1.init_len));
	EXPECT_TRUE(bare_error(&self->rep, EBADMSG));
	/* Init2's magic is no Init1 either */
	memcpy(m, self->run.init1.init, self->run.init1.init_len);
	tcpc_put_be32(m, TCPC_INIT2_MAGIC);
	EXPECT_EQ(EBADMSG, b_answers(self, TCPCRYPT_TEP_X25519, m,
				     self->run.init1.init_len));
}

TEST_F(kex, init1_truncated_or_overlong)
{
	const uint8_t *m;
	size_t len;

	make_init1(_metadata, self, 1, TCPCRYPT_TEP_P256);
	m = self->run.init1.init;
	len = self->run.init1.init_len;
	EXPECT_EQ(EBADMSG, b_answers(self, TCPCRYPT_TEP_P256, m, len - 1));
	EXPECT_EQ(EBADMSG, b_answers(self, TCPCRYPT_TEP_P256, m, 8));
	EXPECT_EQ(EBADMSG, b_answers(self, TCPCRYPT_TEP_P256, m, 3));
	EXPECT_EQ(EBADMSG, b_answers(self, TCPCRYPT_TEP_P256, m, 0));
	/* A byte past message_len is no part of the message */
	EXPECT_EQ(EBADMSG, b_answers(self, TCPCRYPT_TEP_P256, m, len + 1));
	EXPECT_EQ(0, b_answers(self, TCPCRYPT_TEP_P256, m, len));
}

TEST_F(kex, init1_message_len_lies)
{
	uint8_t m[KEX_INIT1_MAX + 8];
	size_t len;

	make_init1(_metadata, self, 1, TCPCRYPT_TEP_X25519);
	len = self->run.init1.init_len;
	memcpy(m, self->run.init1.init, len);
	tcpc_put_be32(m + 4, (uint32_t)len + 1);
	EXPECT_EQ(EBADMSG, b_answers(self, TCPCRYPT_TEP_X25519, m, len));
	tcpc_put_be32(m + 4, (uint32_t)len - 1);
	EXPECT_EQ(EBADMSG, b_answers(self, TCPCRYPT_TEP_X25519, m, len));
	tcpc_put_be32(m + 4, 0xffffffff);
	EXPECT_EQ(EBADMSG, b_answers(self, TCPCRYPT_TEP_X25519, m, len));
}

/* RFC 8548 4.1: bytes after Pub are ignored, but they are Init1's */
TEST_F(kex, init1_ignored_bytes_are_accepted_and_bound)
{
	uint8_t m[KEX_INIT1_MAX + 8];
	size_t len;

	make_init1(_metadata, self, 1, TCPCRYPT_TEP_X25519);
	len = self->run.init1.init_len;
	memcpy(m, self->run.init1.init, len);
	memset(m + len, 0xee, 8);
	tcpc_put_be32(m + 4, (uint32_t)len + 8);
	ASSERT_EQ(0, b_answers(self, TCPCRYPT_TEP_X25519, m, len + 8));
	/* A hashes the Init1 it sent: the PRKs differ */
	self->run.init2 = self->rep;
	ASSERT_EQ(0, a_finishes(self, 1, TCPCRYPT_TEP_X25519,
				self->run.init2.init, self->run.init2.init_len,
				0));
	EXPECT_NE(0, memcmp(self->run.init2.prk, self->rep.prk,
			    TCPCRYPT_PRK_LEN));
}

TEST_F(kex, init1_without_ciphers)
{
	struct tcpc_init1 m1 = {
		.tep = TCPCRYPT_TEP_X25519, .nciphers = 1,
	};
	uint8_t nonce[32] = { 0 }, key[32] = { 9 }, cipher[2] = { 0, 1 };
	uint8_t m[128];
	int len;

	m1.ciphers = cipher;
	m1.nonce = nonce;
	m1.key = key;
	len = tcpc_init1_encode(m, sizeof(m), &m1);
	ASSERT_LT(0, len);
	ASSERT_EQ(0, b_answers(self, TCPCRYPT_TEP_X25519, m, (size_t)len));
	m[8] = 0;	/* nciphers */
	EXPECT_EQ(EBADMSG, b_answers(self, TCPCRYPT_TEP_X25519, m,
				     (size_t)len));
	m[8] = 40;	/* more ciphers than the message holds */
	EXPECT_EQ(EBADMSG, b_answers(self, TCPCRYPT_TEP_X25519, m,
				     (size_t)len));
}

/* A key shorter than the negotiated TEP's, or in another TEP's form */
TEST_F(kex, init1_key_of_the_wrong_tep)
{
	make_init1(_metadata, self, 1, TCPCRYPT_TEP_X25519);
	EXPECT_EQ(EBADMSG, b_answers(self, TCPCRYPT_TEP_X448,
				     self->run.init1.init,
				     self->run.init1.init_len));
	EXPECT_EQ(EBADMSG, b_answers(self, TCPCRYPT_TEP_P256,
				     self->run.init1.init,
				     self->run.init1.init_len));
	make_init1(_metadata, self, 2, TCPCRYPT_TEP_P256);
	EXPECT_EQ(EBADMSG, b_answers(self, TCPCRYPT_TEP_P521,
				     self->run.init1.init,
				     self->run.init1.init_len));
	make_init1(_metadata, self, 3, TCPCRYPT_TEP_P521);
	/* A P-521 key's length prefix is no P-256 prefix */
	EXPECT_EQ(EBADMSG, b_answers(self, TCPCRYPT_TEP_P256,
				     self->run.init1.init,
				     self->run.init1.init_len));
}

/* Pub_A of a NIST Init1: its offset in A's Init1 with 2 ciphers */
#define INIT1_PUB_OFF	(9 + 2 * 2 + 32)

TEST_F(kex, init1_invalid_nist_points)
{
	uint8_t m[KEX_INIT1_MAX];
	size_t len;

	make_init1(_metadata, self, 1, TCPCRYPT_TEP_P256);
	len = self->run.init1.init_len;
	ASSERT_EQ(INIT1_PUB_OFF + 35, len);
	memcpy(m, self->run.init1.init, len);
	/* x = 1 is the x-coordinate of no P-256 point */
	memset(m + INIT1_PUB_OFF + 3, 0, 32);
	m[INIT1_PUB_OFF + 34] = 1;
	EXPECT_EQ(EKEYREJECTED, b_answers(self, TCPCRYPT_TEP_P256, m, len));
	EXPECT_TRUE(bare_error(&self->rep, EKEYREJECTED));
	/* x >= p is no field element */
	memset(m + INIT1_PUB_OFF + 3, 0xff, 32);
	EXPECT_EQ(EKEYREJECTED, b_answers(self, TCPCRYPT_TEP_P256, m, len));

	/* RFC 8548 section 5: points are sent compressed */
	memcpy(m, self->run.init1.init, len);
	m[INIT1_PUB_OFF + 2] = 0x04;
	EXPECT_EQ(EBADMSG, b_answers(self, TCPCRYPT_TEP_P256, m, len));
	memcpy(m, self->run.init1.init, len);
	m[INIT1_PUB_OFF + 1] = 33;	/* pubkey_len counts itself: 35 */
	EXPECT_EQ(EBADMSG, b_answers(self, TCPCRYPT_TEP_P256, m, len));

	make_init1(_metadata, self, 2, TCPCRYPT_TEP_P521);
	len = self->run.init1.init_len;
	memcpy(m, self->run.init1.init, len);
	memset(m + INIT1_PUB_OFF + 3, 0, 66);
	m[INIT1_PUB_OFF + 68] = 3;	/* x = 3: on no P-521 point */
	EXPECT_EQ(EKEYREJECTED, b_answers(self, TCPCRYPT_TEP_P521, m, len));
}

TEST_F(kex, init1_zero_and_small_order_x_keys)
{
	uint8_t m[KEX_INIT1_MAX];
	size_t len;

	make_init1(_metadata, self, 1, TCPCRYPT_TEP_X25519);
	len = self->run.init1.init_len;
	memcpy(m, self->run.init1.init, len);
	memset(m + INIT1_PUB_OFF, 0, 32);
	EXPECT_EQ(EKEYREJECTED, b_answers(self, TCPCRYPT_TEP_X25519, m, len));
	EXPECT_TRUE(bare_error(&self->rep, EKEYREJECTED));
	m[INIT1_PUB_OFF] = 1;	/* u = 1 has order 4 */
	EXPECT_EQ(EKEYREJECTED, b_answers(self, TCPCRYPT_TEP_X25519, m, len));

	make_init1(_metadata, self, 2, TCPCRYPT_TEP_X448);
	len = self->run.init1.init_len;
	memcpy(m, self->run.init1.init, len);
	memset(m + INIT1_PUB_OFF, 0, 56);
	EXPECT_EQ(EKEYREJECTED, b_answers(self, TCPCRYPT_TEP_X448, m, len));
}

TEST_F(kex, no_aead_in_common)
{
	struct kex_engine b;

	ASSERT_EQ(0, kex_test_engine(&b, ALL_TEPS, "chacha20poly1305"));
	make_init1(_metadata, self, 1, TCPCRYPT_TEP_X25519);
	kex_test_request(&self->r, 1, TCPCRYPT_KEX_INIT1_RECEIVED,
			 TCPCRYPT_TEP_X25519, self->run.init1.init,
			 self->run.init1.init_len);
	kex_engine_handle(&b, &self->r.req, 0, &self->rep);
	EXPECT_TRUE(bare_error(&self->rep, EPROTO));
	kex_engine_destroy(&b);
}

/* The daemon answers only for the TEPs it announced (-t) */
TEST_F(kex, unannounced_teps_refused)
{
	struct kex_engine a, b;

	ASSERT_EQ(0, kex_test_engine(&a, "x25519", "aes128gcm"));
	ASSERT_EQ(0, kex_test_engine(&b, "x25519", "aes128gcm"));
	make_init1(_metadata, self, 1, TCPCRYPT_TEP_X448);
	kex_test_request(&self->r, 1, TCPCRYPT_KEX_INIT1_RECEIVED,
			 TCPCRYPT_TEP_X448, self->run.init1.init,
			 self->run.init1.init_len);
	kex_engine_handle(&b, &self->r.req, 0, &self->rep);
	EXPECT_TRUE(bare_error(&self->rep, EPROTONOSUPPORT));

	kex_test_request(&self->r, 2, TCPCRYPT_KEX_INIT1_NEEDED,
			 TCPCRYPT_TEP_P521, NULL, 0);
	kex_engine_handle(&a, &self->r.req, 0, &self->rep);
	EXPECT_TRUE(bare_error(&self->rep, EPROTONOSUPPORT));
	EXPECT_EQ(0, a.pending.count);
	/* Not a TEP at all */
	kex_test_request(&self->r, 3, TCPCRYPT_KEX_INIT1_NEEDED, 0x30, NULL, 0);
	kex_engine_handle(&a, &self->r.req, 0, &self->rep);
	EXPECT_TRUE(bare_error(&self->rep, EPROTONOSUPPORT));
	kex_engine_destroy(&a);
	kex_engine_destroy(&b);
}

TEST_F(kex, incomplete_requests)
{
	make_init1(_metadata, self, 1, TCPCRYPT_TEP_X25519);
	kex_test_request(&self->r, 1, TCPCRYPT_KEX_INIT1_RECEIVED, 0,
			 self->run.init1.init, self->run.init1.init_len);
	kex_engine_handle(&self->b, &self->r.req, 0, &self->rep);
	EXPECT_TRUE(bare_error(&self->rep, EBADMSG));	/* no TEP */

	kex_test_request(&self->r, 1, TCPCRYPT_KEX_INIT1_RECEIVED,
			 TCPCRYPT_TEP_X25519, NULL, 0);
	kex_engine_handle(&self->b, &self->r.req, 0, &self->rep);
	EXPECT_TRUE(bare_error(&self->rep, EBADMSG));	/* no Init1 */

	kex_test_request(&self->r, 1, TCPCRYPT_KEX_INIT1_RECEIVED,
			 TCPCRYPT_TEP_X25519, self->run.init1.init,
			 self->run.init1.init_len);
	self->r.req.transcript = NULL;
	kex_engine_handle(&self->b, &self->r.req, 0, &self->rep);
	EXPECT_TRUE(bare_error(&self->rep, EBADMSG));	/* no transcript */

	self->r.req.transcript = self->r.transcript;
	self->r.req.op = 0;
	kex_engine_handle(&self->b, &self->r.req, 0, &self->rep);
	EXPECT_TRUE(bare_error(&self->rep, EBADMSG));
	self->r.req.op = 9;
	kex_engine_handle(&self->b, &self->r.req, 0, &self->rep);
	EXPECT_TRUE(bare_error(&self->rep, EOPNOTSUPP));
	EXPECT_EQ(1, self->rep.conn_id);
}

TEST_F(kex, transcripts_that_are_no_eno_negotiation)
{
	static const char *const bad[] = {
		"",				/* empty */
		"45032345",			/* B's option cut short */
		"4503234504012300",		/* a byte after B's option */
		"450323",			/* A's option only */
		"44032345040123",		/* not kind 69 */
		"45032145040121",		/* TEP 0x21, not 0x23 */
		"45032345040123450323",		/* three options */
		"4503234505812301",		/* length byte, then no TEP */
	};
	uint8_t t[KEX_TEST_TRANSCRIPT_MAX];
	unsigned int i;

	make_init1(_metadata, self, 1, TCPCRYPT_TEP_X25519);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		kex_test_request(&self->r, 1, TCPCRYPT_KEX_INIT1_RECEIVED,
				 TCPCRYPT_TEP_X25519, self->run.init1.init,
				 self->run.init1.init_len);
		memset(t, 0, sizeof(t));
		unhex(bad[i], t);
		self->r.req.transcript = t;
		self->r.req.transcript_len = strlen(bad[i]) / 2;
		kex_engine_handle(&self->b, &self->r.req, 0, &self->rep);
		EXPECT_TRUE(bare_error(&self->rep, EBADMSG))
			TH_LOG("transcript %s accepted", bad[i]);
	}
}

/* Tampering with the ENO negotiation changes the PRK (RFC 8547 5.1) */
TEST_F(kex, transcript_is_bound_into_the_prk)
{
	uint8_t t[8];

	make_init1(_metadata, self, 1, TCPCRYPT_TEP_X25519);
	kex_test_request(&self->r, 1, TCPCRYPT_KEX_INIT1_RECEIVED,
			 TCPCRYPT_TEP_X25519, self->run.init1.init,
			 self->run.init1.init_len);
	unhex("4504212345040123", t);	/* A's TEPs reordered */
	self->r.req.transcript = t;
	self->r.req.transcript_len = sizeof(t);
	kex_engine_handle(&self->b, &self->r.req, 0, &self->run.init2);
	ASSERT_EQ(0, self->run.init2.error);
	ASSERT_EQ(0, a_finishes(self, 1, TCPCRYPT_TEP_X25519,
				self->run.init2.init, self->run.init2.init_len,
				0));
	EXPECT_NE(0, memcmp(self->run.init2.prk, self->rep.prk,
			    TCPCRYPT_PRK_LEN));
}

TEST_F(kex, init2_for_no_waiting_exchange)
{
	ASSERT_EQ(0, kex_test_exchange(&self->a, &self->b, 1,
				       TCPCRYPT_TEP_X25519, 0, &self->run));
	/* Answered already: the state is gone */
	EXPECT_EQ(ENOENT, a_finishes(self, 1, TCPCRYPT_TEP_X25519,
				     self->run.init2.init,
				     self->run.init2.init_len, 0));
	EXPECT_TRUE(bare_error(&self->rep, ENOENT));
	EXPECT_EQ(ENOENT, a_finishes(self, 99, TCPCRYPT_TEP_X25519,
				     self->run.init2.init,
				     self->run.init2.init_len, 0));
}

/* RFC 8548 3.3: A MUST abort when B picks an AEAD A did not offer */
TEST_F(kex, init2_aead_not_offered)
{
	uint8_t m[KEX_INIT1_MAX];
	size_t len;

	make_init1(_metadata, self, 1, TCPCRYPT_TEP_X25519);
	ASSERT_EQ(0, b_answers(self, TCPCRYPT_TEP_X25519,
			       self->run.init1.init,
			       self->run.init1.init_len));
	len = self->rep.init_len;
	memcpy(m, self->rep.init, len);
	tcpc_put_be16(m + 8, TCPCRYPT_AEAD_CHACHA20_POLY1305);
	EXPECT_EQ(EPROTO, a_finishes(self, 1, TCPCRYPT_TEP_X25519, m, len, 0));
	EXPECT_TRUE(bare_error(&self->rep, EPROTO));
	EXPECT_EQ(0, self->a.pending.count);

	make_init1(_metadata, self, 2, TCPCRYPT_TEP_X25519);
	tcpc_put_be16(m + 8, 0x0003);	/* no AEAD at all */
	EXPECT_EQ(EPROTO, a_finishes(self, 2, TCPCRYPT_TEP_X25519, m, len, 0));
}

TEST_F(kex, init2_malformed)
{
	uint8_t m[KEX_INIT1_MAX];
	size_t len;
	uint64_t id;

	for (id = 1; id <= 4; id++)
		make_init1(_metadata, self, id, TCPCRYPT_TEP_X25519);
	ASSERT_EQ(0, b_answers(self, TCPCRYPT_TEP_X25519,
			       self->run.init1.init,
			       self->run.init1.init_len));
	len = self->rep.init_len;
	memcpy(m, self->rep.init, len);

	EXPECT_EQ(EBADMSG, a_finishes(self, 1, TCPCRYPT_TEP_X25519, m,
				      len - 1, 0));
	/* A byte past message_len is no part of the message */
	EXPECT_EQ(EBADMSG, a_finishes(self, 2, TCPCRYPT_TEP_X25519, m,
				      len + 1, 0));
	m[3] ^= 0x80;
	EXPECT_EQ(EBADMSG, a_finishes(self, 3, TCPCRYPT_TEP_X25519, m, len, 0));
	/* An Init1 where Init2 belongs */
	EXPECT_EQ(EBADMSG, a_finishes(self, 4, TCPCRYPT_TEP_X25519,
				      self->run.init1.init,
				      self->run.init1.init_len, 0));
	/* Every refusal ends the exchange */
	EXPECT_EQ(0, self->a.pending.count);
}

TEST_F(kex, init2_invalid_keys)
{
	uint8_t m[KEX_INIT1_MAX];
	size_t len;

	make_init1(_metadata, self, 1, TCPCRYPT_TEP_X25519);
	ASSERT_EQ(0, b_answers(self, TCPCRYPT_TEP_X25519,
			       self->run.init1.init,
			       self->run.init1.init_len));
	len = self->rep.init_len;
	memcpy(m, self->rep.init, len);
	memset(m + TCPC_INIT2_FIXED, 0, 32);
	EXPECT_EQ(EKEYREJECTED, a_finishes(self, 1, TCPCRYPT_TEP_X25519, m,
					   len, 0));

	make_init1(_metadata, self, 2, TCPCRYPT_TEP_P256);
	ASSERT_EQ(0, b_answers(self, TCPCRYPT_TEP_P256, self->run.init1.init,
			       self->run.init1.init_len));
	len = self->rep.init_len;
	memcpy(m, self->rep.init, len);
	memset(m + TCPC_INIT2_FIXED + 3, 0, 32);
	m[TCPC_INIT2_FIXED + 34] = 1;
	EXPECT_EQ(EKEYREJECTED, a_finishes(self, 2, TCPCRYPT_TEP_P256, m, len,
					   0));
}

TEST_F(kex, init2_tep_differs_from_init1)
{
	make_init1(_metadata, self, 1, TCPCRYPT_TEP_X25519);
	ASSERT_EQ(0, b_answers(self, TCPCRYPT_TEP_X25519,
			       self->run.init1.init,
			       self->run.init1.init_len));
	self->run.init2 = self->rep;
	EXPECT_EQ(EPROTO, a_finishes(self, 1, TCPCRYPT_TEP_X448,
				     self->run.init2.init,
				     self->run.init2.init_len, 0));
}

TEST_F(kex, waiting_exchanges_expire)
{
	const int64_t t0 = 5000;
	struct kex_reply r2;

	kex_test_request(&self->r, 1, TCPCRYPT_KEX_INIT1_NEEDED,
			 TCPCRYPT_TEP_X25519, NULL, 0);
	kex_engine_handle(&self->a, &self->r.req, t0, &self->run.init1);
	ASSERT_EQ(0, self->run.init1.error);
	EXPECT_EQ(KEX_STATE_TTL_MS,
		  kex_table_next_expiry(&self->a.pending, t0));
	ASSERT_EQ(0, b_answers(self, TCPCRYPT_TEP_X25519,
			       self->run.init1.init,
			       self->run.init1.init_len));
	r2 = self->rep;
	/* One millisecond too late */
	EXPECT_EQ(ENOENT, a_finishes(self, 1, TCPCRYPT_TEP_X25519, r2.init,
				     r2.init_len, t0 + KEX_STATE_TTL_MS));

	kex_test_request(&self->r, 2, TCPCRYPT_KEX_INIT1_NEEDED,
			 TCPCRYPT_TEP_X25519, NULL, 0);
	kex_engine_handle(&self->a, &self->r.req, t0, &self->run.init1);
	ASSERT_EQ(0, b_answers(self, TCPCRYPT_TEP_X25519,
			       self->run.init1.init,
			       self->run.init1.init_len));
	r2 = self->rep;
	EXPECT_EQ(0, a_finishes(self, 2, TCPCRYPT_TEP_X25519, r2.init,
				r2.init_len, t0 + KEX_STATE_TTL_MS - 1));
	EXPECT_EQ(0, memcmp(r2.prk, self->rep.prk, TCPCRYPT_PRK_LEN));
}

TEST_F(kex, full_table_refuses_new_exchanges)
{
	struct kex_test_run run;

	self->a.pending.max = 2;
	make_init1(_metadata, self, 1, TCPCRYPT_TEP_X25519);
	ASSERT_EQ(0, b_answers(self, TCPCRYPT_TEP_X25519,
			       self->run.init1.init,
			       self->run.init1.init_len));
	run.init2 = self->rep;
	make_init1(_metadata, self, 2, TCPCRYPT_TEP_X25519);
	kex_test_request(&self->r, 3, TCPCRYPT_KEX_INIT1_NEEDED,
			 TCPCRYPT_TEP_X25519, NULL, 0);
	kex_engine_handle(&self->a, &self->r.req, 0, &self->rep);
	EXPECT_TRUE(bare_error(&self->rep, ENOBUFS));
	EXPECT_EQ(2, self->a.pending.count);
	/* The live exchanges are untouched; one ends, making room */
	EXPECT_EQ(0, a_finishes(self, 1, TCPCRYPT_TEP_X25519, run.init2.init,
				run.init2.init_len, 0));
	make_init1(_metadata, self, 3, TCPCRYPT_TEP_X25519);
	EXPECT_EQ(2, self->a.pending.count);
}

/* The module asked twice for one connection: the later Init1 counts */
TEST_F(kex, restarted_exchange_replaces_the_state)
{
	make_init1(_metadata, self, 1, TCPCRYPT_TEP_X25519);
	make_init1(_metadata, self, 1, TCPCRYPT_TEP_P256);
	EXPECT_EQ(1, self->a.pending.count);
	ASSERT_EQ(0, b_answers(self, TCPCRYPT_TEP_P256, self->run.init1.init,
			       self->run.init1.init_len));
	self->run.init2 = self->rep;
	ASSERT_EQ(0, a_finishes(self, 1, TCPCRYPT_TEP_P256,
				self->run.init2.init, self->run.init2.init_len,
				0));
	EXPECT_EQ(0, memcmp(self->run.init2.prk, self->rep.prk,
			    TCPCRYPT_PRK_LEN));
}

TEST(engine_configuration_checked)
{
	const uint8_t teps[] = { TCPCRYPT_TEP_X25519 }, bad_tep[] = { 0x30 };
	const uint16_t aeads[TCPCRYPT_MAX_AEADS + 1] = { 1 };
	const uint16_t bad_aead[] = { 3 };
	struct kex_engine e;

	EXPECT_EQ(-EINVAL, kex_engine_init(&e, teps, 0, aeads, 1));
	EXPECT_EQ(-EINVAL, kex_engine_init(&e, teps, 1, aeads, 0));
	EXPECT_EQ(-EINVAL, kex_engine_init(&e, bad_tep, 1, aeads, 1));
	EXPECT_EQ(-EINVAL, kex_engine_init(&e, teps, 1, bad_aead, 1));
	EXPECT_EQ(-EINVAL, kex_engine_init(&e, teps, 1, aeads,
					   TCPCRYPT_MAX_AEADS + 1));
	ASSERT_EQ(0, kex_engine_init(&e, teps, 1, aeads, 1));
	kex_engine_destroy(&e);
}

/* kex.c and the Init codec agree on every TEP's wire form */
TEST(key_sizes_agree)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(all_teps); i++) {
		ASSERT_NE(NULL, tc_kex_find(all_teps[i]));
		EXPECT_EQ(tcpc_tep_pub_len(all_teps[i]),
			  (int)tc_kex_find(all_teps[i])->pub_len);
	}
}

TEST(op_names)
{
	char buf[16];

	EXPECT_STREQ("INIT1_NEEDED",
		     kex_op_name(TCPCRYPT_KEX_INIT1_NEEDED, buf, sizeof(buf)));
	EXPECT_STREQ("INIT2_RECEIVED",
		     kex_op_name(TCPCRYPT_KEX_INIT2_RECEIVED, buf,
				 sizeof(buf)));
	EXPECT_STREQ("op 200", kex_op_name(200, buf, sizeof(buf)));
}

/* --- mutated input ------------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 32);
}

/* Flip, overwrite, cut or extend; returns the new length */
static size_t mutate(uint8_t *m, size_t len, size_t cap)
{
	unsigned int n = 1 + rnd() % 4, i;

	for (i = 0; i < n; i++) {
		switch (rnd() % 6) {
		case 0:
			if (len)
				m[rnd() % len] ^= (uint8_t)(1u << (rnd() % 8));
			break;
		case 1:
			if (len)
				m[rnd() % len] = (uint8_t)rnd();
			break;
		case 2:
			len = len ? rnd() % len : 0;
			break;
		case 3:
			while (len < cap && rnd() % 4)
				m[len++] = (uint8_t)rnd();
			break;
		case 4:
			/* message_len and nciphers are the usual suspects */
			if (len > 8)
				m[4 + rnd() % 5] = (uint8_t)rnd();
			break;
		default:
			break;
		}
	}
	return len;
}

static bool reply_sane(const struct kex_reply *rep, uint8_t tep, bool b)
{
	if (rep->error)
		return bare_error(rep, rep->error) && rep->error < 4096;
	if (!rep->has_keys)
		return false;
	return b ? (int)rep->init_len == tcpc_init2_len(tep) : !rep->init_len;
}

TEST_F(kex, mutated_init1_and_transcripts)
{
	uint8_t m[KEX_INIT1_MAX + 64], t[TCPCRYPT_MAX_TRANSCRIPT_LEN];
	unsigned int i, accepted = 0;
	uint8_t tep;
	size_t len;

	for (i = 0; i < 3000; i++) {
		tep = all_teps[i % ARRAY_SIZE(all_teps)];
		kex_test_request(&self->r, 1, TCPCRYPT_KEX_INIT1_NEEDED, tep,
				 NULL, 0);
		kex_engine_handle(&self->a, &self->r.req, 0, &self->run.init1);
		ASSERT_EQ(0, self->run.init1.error);
		len = self->run.init1.init_len;
		memcpy(m, self->run.init1.init, len);
		len = mutate(m, len, sizeof(m));
		kex_test_request(&self->r, 1, TCPCRYPT_KEX_INIT1_RECEIVED,
				 rnd() % 8 ? tep : (uint8_t)rnd(), m, len);
		if (!(rnd() % 8)) {
			memcpy(t, self->r.transcript, 7);
			self->r.req.transcript_len = mutate(t, 7, sizeof(t));
			self->r.req.transcript = t;
		}
		kex_engine_handle(&self->b, &self->r.req, 0, &self->rep);
		ASSERT_TRUE(reply_sane(&self->rep, self->r.req.tep, true))
			TH_LOG("iteration %u: error %u", i, self->rep.error);
		accepted += !self->rep.error;
	}
	/* Some mutations only touch ignored or unchecked bytes */
	EXPECT_LT(0, accepted);
	EXPECT_GT(3000, accepted);
}

TEST_F(kex, mutated_init2)
{
	uint8_t base[ARRAY_SIZE(all_teps)][KEX_INIT1_MAX];
	size_t base_len[ARRAY_SIZE(all_teps)];
	uint8_t m[KEX_INIT1_MAX + 64];
	unsigned int i, k, accepted = 0;
	size_t len;

	/* One genuine Init2 per TEP, mutated below */
	for (k = 0; k < ARRAY_SIZE(all_teps); k++) {
		make_init1(_metadata, self, 1000 + k, all_teps[k]);
		ASSERT_EQ(0, b_answers(self, all_teps[k], self->run.init1.init,
				       self->run.init1.init_len));
		memcpy(base[k], self->rep.init, self->rep.init_len);
		base_len[k] = self->rep.init_len;
	}
	kex_table_flush(&self->a.pending);

	for (i = 0; i < 2000; i++) {
		k = i % ARRAY_SIZE(all_teps);
		make_init1(_metadata, self, i + 1, all_teps[k]);
		memcpy(m, base[k], base_len[k]);
		len = mutate(m, base_len[k], sizeof(m));
		a_finishes(self, i + 1, all_teps[k], m, len, 0);
		ASSERT_TRUE(reply_sane(&self->rep, all_teps[k], false))
			TH_LOG("iteration %u: error %u", i, self->rep.error);
		ASSERT_EQ(0, self->a.pending.count);
		accepted += !self->rep.error;
	}
	EXPECT_GT(2000, accepted);
}

TEST_HARNESS_MAIN
