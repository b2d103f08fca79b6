// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Session resumption (kmod/proto/resume.c): the secret each end caches
 * after a session, the suboptions they exchange, and the keys of the
 * resumed session, against HMAC-SHA256 computed directly with OpenSSL:
 *
 *   ss[i+1] = HMAC(ss[i], 01 | 01), resume = HMAC(ss, 06 | 01)[0..17]
 *   mk[0] = HMAC(ss, 03 | sn | 01), sid = TEP | HMAC(ss, 02 | sn | 01)
 *   sn = nonce of the original A | nonce of the original B
 */
#include <stdlib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

/* TEST() and the harness's signal handler leave parameters unused */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"

#include "hmac_openssl.h"
#include "resume.h"

#define TEP		0x23
#define AEAD		0x0001

static const u8 prk[TCPC_K_LEN] = {
	0x6f, 0xac, 0x04, 0x51, 0x89, 0x85, 0x8f, 0x2e, 0xf5, 0xe8, 0x12,
	0xb7, 0xc5, 0xe9, 0x79, 0x1b, 0xc2, 0x7b, 0xbe, 0x94, 0xd1, 0x4f,
	0xc1, 0x2f, 0x10, 0x07, 0xb3, 0x75, 0x54, 0x79, 0x57, 0x85,
};

static const u8 nonce_x[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const u8 nonce_y[8] = { 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8 };

/* HMAC-SHA256(key, c | extra | 01), one HKDF-Expand block */
static void block(const u8 *key, u8 c, const u8 *extra, size_t extra_len,
		  u8 out[32])
{
	u8 msg[64];
	unsigned int len = 32;

	msg[0] = c;
	if (extra_len)
		memcpy(msg + 1, extra, extra_len);
	msg[1 + extra_len] = 1;
	if (!HMAC(EVP_sha256(), key, 32, msg, extra_len + 2, out, &len))
		abort();
}

/* The two ends of one original session: X was A, Y was B */
struct ends {
	struct tcpc_resume_secret x, y;
};

static void chain(struct ends *e, const u8 *used)
{
	if (tcpc_resume_next(&tcpc_hmac_openssl, used, TEP, AEAD, false,
			     &e->x) ||
	    tcpc_resume_next(&tcpc_hmac_openssl, used, TEP, AEAD, true, &e->y))
		abort();
}

TEST(next_secret_and_identifier)
{
	struct ends e;
	u8 ss1[32], rid[32];

	chain(&e, prk);
	block(prk, TCPC_CONST_NEXTK, NULL, 0, ss1);
	ASSERT_EQ(0, memcmp(ss1, e.x.ss, 32));
	ASSERT_EQ(0, memcmp(ss1, e.y.ss, 32));
	block(ss1, TCPC_CONST_RESUME, NULL, 0, rid);
	ASSERT_EQ(0, memcmp(rid, e.x.rid.id_a, 9));
	ASSERT_EQ(0, memcmp(rid + 9, e.x.rid.id_b, 9));
	/* the original A sends bytes 0..8, the original B 9..17 */
	ASSERT_EQ(0, memcmp(rid, tcpc_resume_own_half(&e.x), 9));
	ASSERT_EQ(0, memcmp(rid + 9, tcpc_resume_own_half(&e.y), 9));
	ASSERT_EQ(0, memcmp(rid + 9, tcpc_resume_peer_half(&e.x), 9));
	ASSERT_EQ(TEP, e.x.tep);
	ASSERT_EQ(AEAD, e.y.aead);
}

TEST(tep_v_bit_is_cleared)
{
	struct tcpc_resume_secret s;

	ASSERT_EQ(0, tcpc_resume_next(&tcpc_hmac_openssl, prk,
				      TEP | TCPC_ENO_V, AEAD, false, &s));
	ASSERT_EQ(TEP, s.tep);
}

TEST(chain_moves_on)
{
	struct ends e1, e2;

	chain(&e1, prk);
	chain(&e2, e1.x.ss);
	ASSERT_NE(0, memcmp(e1.x.ss, e2.x.ss, 32));
	ASSERT_NE(0, memcmp(e1.x.rid.id_a, e2.x.rid.id_a, 9));
}

TEST(suboption_layout)
{
	u8 data[TCPC_RESUME_SUB_DATA];
	struct tcpc_eno_sub sub;
	struct ends e;

	chain(&e, prk);
	tcpc_resume_sub(&e.x, nonce_x, data, &sub);
	ASSERT_EQ(TEP, sub.id);
	ASSERT_EQ(1, sub.v);
	ASSERT_EQ(17, sub.len);
	ASSERT_EQ(0, memcmp(sub.data, e.x.rid.id_a, 9));
	ASSERT_EQ(0, memcmp(sub.data + 9, nonce_x, 8));
}

/* Whichever end offers, each accepts the other's suboption */
TEST(each_end_accepts_the_other)
{
	u8 dx[TCPC_RESUME_SUB_DATA], dy[TCPC_RESUME_SUB_DATA];
	struct tcpc_eno_sub sx, sy;
	struct ends e;

	chain(&e, prk);
	tcpc_resume_sub(&e.x, nonce_x, dx, &sx);
	tcpc_resume_sub(&e.y, nonce_y, dy, &sy);
	ASSERT_TRUE(tcpc_resume_sub_matches(&e.y, &sx));
	ASSERT_TRUE(tcpc_resume_sub_matches(&e.x, &sy));
	/* an end never accepts its own half back */
	ASSERT_FALSE(tcpc_resume_sub_matches(&e.x, &sx));
	ASSERT_FALSE(tcpc_resume_sub_matches(&e.y, &sy));
}

TEST(bad_suboptions_refused)
{
	u8 dx[TCPC_RESUME_SUB_DATA], longer[TCPC_RESUME_SUB_DATA + 1];
	struct tcpc_session_keys k;
	struct tcpc_eno_sub sx, t;
	struct ends e;

	chain(&e, prk);
	tcpc_resume_sub(&e.x, nonce_x, dx, &sx);
	t = sx;
	t.v = 0;
	ASSERT_FALSE(tcpc_resume_sub_matches(&e.y, &t));
	t = sx;
	t.id = 0x24;
	ASSERT_FALSE(tcpc_resume_sub_matches(&e.y, &t));
	t = sx;
	t.len = 8;		/* shorter than a half */
	ASSERT_FALSE(tcpc_resume_sub_matches(&e.y, &t));
	memcpy(longer, dx, sizeof(dx));
	longer[17] = 0;
	t.data = longer;
	t.len = 18;		/* a nonce of 9 bytes */
	ASSERT_FALSE(tcpc_resume_sub_matches(&e.y, &t));
	t = sx;
	dx[4] ^= 0x10;		/* one bit of the half */
	ASSERT_FALSE(tcpc_resume_sub_matches(&e.y, &t));
	memset(&k, 0xaa, sizeof(k));
	ASSERT_EQ(-EINVAL, tcpc_resume_keys(&tcpc_hmac_openssl, &e.y, nonce_y,
					    &t, TEP | TCPC_ENO_V, &k));
	ASSERT_EQ(0, k.tk_len);
	ASSERT_EQ(0, k.mk[0] | k.sessid[0] | k.k_local[0]);
	/* a shorter nonce is the peer's right (0..8 bytes) */
	dx[4] ^= 0x10;
	t.len = 9;
	ASSERT_TRUE(tcpc_resume_sub_matches(&e.y, &t));
}

/* Both ends derive the same session, keys crossed, against OpenSSL */
static void resumed_session(struct __test_metadata *_metadata, u16 aead)
{
	u8 dx[TCPC_RESUME_SUB_DATA], dy[TCPC_RESUME_SUB_DATA], sn[16];
	u8 mk[32], sid[32], kab[32], kba[32];
	struct tcpc_session_keys kx, ky;
	struct tcpc_eno_sub sx, sy;
	struct ends e;

	ASSERT_EQ(0, tcpc_resume_next(&tcpc_hmac_openssl, prk, TEP, aead,
				      false, &e.x));
	ASSERT_EQ(0, tcpc_resume_next(&tcpc_hmac_openssl, prk, TEP, aead,
				      true, &e.y));
	tcpc_resume_sub(&e.x, nonce_x, dx, &sx);
	tcpc_resume_sub(&e.y, nonce_y, dy, &sy);
	ASSERT_EQ(0, tcpc_resume_keys(&tcpc_hmac_openssl, &e.x, nonce_x, &sy,
				      TEP | TCPC_ENO_V, &kx));
	ASSERT_EQ(0, tcpc_resume_keys(&tcpc_hmac_openssl, &e.y, nonce_y, &sx,
				      TEP | TCPC_ENO_V, &ky));

	memcpy(sn, nonce_x, 8);		/* X was the original A */
	memcpy(sn + 8, nonce_y, 8);
	block(e.x.ss, TCPC_CONST_REKEY, sn, 16, mk);
	ASSERT_EQ(0, memcmp(mk, kx.mk, 32));
	ASSERT_EQ(0, memcmp(mk, ky.mk, 32));
	block(e.x.ss, TCPC_CONST_SESSID, sn, 16, sid);
	ASSERT_EQ(TEP | TCPC_ENO_V, kx.sessid[0]);
	ASSERT_EQ(0, memcmp(sid, kx.sessid + 1, 32));
	ASSERT_EQ(0, memcmp(kx.sessid, ky.sessid, TCPC_SESSID_LEN));

	/* the original A seals with k_ab, the original B with k_ba */
	ASSERT_EQ(kx.tk_len, ky.tk_len);
	block(mk, TCPC_CONST_KEY_A, NULL, 0, kab);
	block(mk, TCPC_CONST_KEY_B, NULL, 0, kba);
	ASSERT_EQ(0, memcmp(kab, kx.k_local, kx.tk_len < 32 ? kx.tk_len : 32));
	ASSERT_EQ(0, memcmp(kba, ky.k_local, ky.tk_len < 32 ? ky.tk_len : 32));
	ASSERT_EQ(0, memcmp(kx.k_local, ky.k_peer, kx.tk_len));
	ASSERT_EQ(0, memcmp(kx.k_peer, ky.k_local, kx.tk_len));
	ASSERT_NE(0, memcmp(kx.k_local, kx.k_peer, kx.tk_len));
}

TEST(resumed_session_aes128)
{
	resumed_session(_metadata, 0x0001);
}

TEST(resumed_session_aes256)
{
	resumed_session(_metadata, 0x0002);
}

TEST(resumed_session_chacha)
{
	resumed_session(_metadata, 0x0010);
}

/* A fresh session is the resumed code path with an empty sn */
TEST(fresh_is_empty_sn)
{
	struct tcpc_session_keys a, b;
	u8 mk[32];

	ASSERT_EQ(0, tcpc_session_keys_derive(&tcpc_hmac_openssl, prk, AEAD,
					      TEP, false, &a));
	ASSERT_EQ(0, tcpc_session_keys_from(&tcpc_hmac_openssl, prk, NULL,
					    AEAD, TEP, false, &b));
	ASSERT_EQ(0, memcmp(&a, &b, sizeof(a)));
	block(prk, TCPC_CONST_REKEY, NULL, 0, mk);
	ASSERT_EQ(0, memcmp(mk, a.mk, 32));
}

TEST(unknown_aead_refused)
{
	u8 dx[TCPC_RESUME_SUB_DATA], dy[TCPC_RESUME_SUB_DATA];
	struct tcpc_session_keys k;
	struct tcpc_eno_sub sx, sy;
	struct ends e;

	ASSERT_EQ(0, tcpc_resume_next(&tcpc_hmac_openssl, prk, TEP, 0x0003,
				      false, &e.x));
	ASSERT_EQ(0, tcpc_resume_next(&tcpc_hmac_openssl, prk, TEP, 0x0003,
				      true, &e.y));
	tcpc_resume_sub(&e.x, nonce_x, dx, &sx);
	tcpc_resume_sub(&e.y, nonce_y, dy, &sy);
	ASSERT_EQ(-EINVAL, tcpc_resume_keys(&tcpc_hmac_openssl, &e.x, nonce_x,
					    &sy, TEP | TCPC_ENO_V, &k));
}

TEST_HARNESS_MAIN
