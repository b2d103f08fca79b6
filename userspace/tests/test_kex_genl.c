// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * KEX_REQUEST parsing and KEX_REPLY building with libnl: requests built
 * the way tcpcrypt.ko builds them, malformed attribute sets (missing,
 * short, long, duplicated, trailing bytes, random soups), and replies
 * checked against the policy the module applies to them.
 */
#include <errno.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "kex_genl.h"
#include "kselftest_harness.h"

#define FAMILY	0x2a

static const uint8_t transcript[] = { 0x45, 0x03, 0x23, 0x45, 0x04, 0x01,
				      0x23 };
static const uint8_t init[] = { 0x15, 0x10, 0x1a, 0x0e, 0, 0, 0, 9, 1 };

FIXTURE(req) {
	struct nl_msg *msg;
	struct kex_request r;
};

FIXTURE_SETUP(req)
{
	self->msg = nlmsg_alloc();
	ASSERT_NE(NULL, self->msg);
	ASSERT_NE(NULL, genlmsg_put(self->msg, 0, 0, FAMILY, 0, 0,
				    TCPCRYPT_CMD_KEX_REQUEST, 1));
}

FIXTURE_TEARDOWN(req)
{
	nlmsg_free(self->msg);
}

/* What the module sends: id, op, TEP, transcript and maybe an Init */
static void put_request(struct nl_msg *m, uint64_t id, uint8_t op,
			bool with_init)
{
	/* The module pads its u64 for alignment: the parser skips PAD */
	nla_put(m, TCPCRYPT_A_PAD, 0, NULL);
	nla_put_u64(m, TCPCRYPT_A_CONN_ID, id);
	nla_put_u8(m, TCPCRYPT_A_KEX_OP, op);
	nla_put_u8(m, TCPCRYPT_A_TEP, TCPCRYPT_TEP_X25519);
	nla_put(m, TCPCRYPT_A_TRANSCRIPT, sizeof(transcript), transcript);
	if (with_init)
		nla_put(m, TCPCRYPT_A_INIT_MSG, sizeof(init), init);
}

static int parse(FIXTURE_DATA(req) *self)
{
	return kex_request_parse(nlmsg_hdr(self->msg), FAMILY, &self->r);
}

TEST_F(req, init1_received)
{
	put_request(self->msg, 0x1122334455667788ULL,
		    TCPCRYPT_KEX_INIT1_RECEIVED, true);
	ASSERT_EQ(0, parse(self));
	EXPECT_EQ(0x1122334455667788ULL, self->r.conn_id);
	EXPECT_EQ(TCPCRYPT_KEX_INIT1_RECEIVED, self->r.op);
	EXPECT_EQ(TCPCRYPT_TEP_X25519, self->r.tep);
	ASSERT_EQ(sizeof(transcript), self->r.transcript_len);
	EXPECT_EQ(0, memcmp(transcript, self->r.transcript,
			    sizeof(transcript)));
	ASSERT_EQ(sizeof(init), self->r.init_len);
	EXPECT_EQ(0, memcmp(init, self->r.init, sizeof(init)));
}

TEST_F(req, init1_needed_has_no_init)
{
	put_request(self->msg, 1, TCPCRYPT_KEX_INIT1_NEEDED, false);
	ASSERT_EQ(0, parse(self));
	EXPECT_EQ(NULL, self->r.init);
	EXPECT_EQ(0, self->r.init_len);
}

TEST_F(req, unknown_attributes_skipped)
{
	put_request(self->msg, 1, TCPCRYPT_KEX_INIT1_NEEDED, false);
	nla_put_u32(self->msg, TCPCRYPT_A_MAX + 3, 7);
	nla_put_u32(self->msg, TCPCRYPT_A_DAEMON_PID, 7);
	EXPECT_EQ(0, parse(self));
}

TEST_F(req, not_a_request)
{
	struct nlmsghdr *nlh = nlmsg_hdr(self->msg);
	struct genlmsghdr *g = nlmsg_data(nlh);

	put_request(self->msg, 1, TCPCRYPT_KEX_INIT1_NEEDED, false);
	EXPECT_EQ(-ENOMSG, kex_request_parse(nlh, FAMILY + 1, &self->r));
	g->cmd = TCPCRYPT_CMD_KEX_REPLY;
	EXPECT_EQ(-ENOMSG, parse(self));
	g->cmd = TCPCRYPT_CMD_KEX_REQUEST;
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;	/* genl header cut */
	EXPECT_EQ(-ENOMSG, parse(self));
}

TEST_F(req, connection_id_missing_or_zero)
{
	nla_put_u8(self->msg, TCPCRYPT_A_KEX_OP, 1);
	EXPECT_EQ(-EBADMSG, parse(self));
	EXPECT_EQ(0, self->r.conn_id);
	nla_put_u64(self->msg, TCPCRYPT_A_CONN_ID, 0);
	EXPECT_EQ(-EBADMSG, parse(self));
	EXPECT_EQ(0, self->r.conn_id);
}

TEST_F(req, short_connection_id)
{
	uint32_t short_id = 5;

	nla_put(self->msg, TCPCRYPT_A_CONN_ID, sizeof(short_id), &short_id);
	nla_put_u8(self->msg, TCPCRYPT_A_KEX_OP, 1);
	EXPECT_EQ(-EBADMSG, parse(self));
	EXPECT_EQ(0, self->r.conn_id);
}

/* Broken attributes next to a good id: the id is kept for the answer */
TEST_F(req, bad_attributes_keep_the_id)
{
	static const struct {
		int type;
		int len;
	} bad[] = {
		{ TCPCRYPT_A_KEX_OP, 2 },
		{ TCPCRYPT_A_TEP, 0 },
		{ TCPCRYPT_A_TEP, 4 },
		{ TCPCRYPT_A_TRANSCRIPT, TCPCRYPT_MAX_TRANSCRIPT_LEN + 1 },
		{ TCPCRYPT_A_INIT_MSG, 0 },
		{ TCPCRYPT_A_INIT_MSG, TCPCRYPT_MAX_INIT_LEN + 1 },
	};
	static uint8_t junk[TCPCRYPT_MAX_INIT_LEN + 1];
	struct nl_msg *m;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		m = nlmsg_alloc_size(8192);
		ASSERT_NE(NULL, m);
		ASSERT_NE(NULL, genlmsg_put(m, 0, 0, FAMILY, 0, 0,
					    TCPCRYPT_CMD_KEX_REQUEST, 1));
		nla_put_u64(m, TCPCRYPT_A_CONN_ID, 77);
		if (bad[i].type != TCPCRYPT_A_KEX_OP)
			nla_put_u8(m, TCPCRYPT_A_KEX_OP, 2);
		ASSERT_EQ(0, nla_put(m, bad[i].type, bad[i].len, junk));
		EXPECT_EQ(-EBADMSG, kex_request_parse(nlmsg_hdr(m), FAMILY,
						      &self->r))
			TH_LOG("attribute %d of %d bytes", bad[i].type,
			       bad[i].len);
		EXPECT_EQ(77, self->r.conn_id);
		nlmsg_free(m);
	}
}

TEST_F(req, op_missing)
{
	nla_put_u64(self->msg, TCPCRYPT_A_CONN_ID, 9);
	EXPECT_EQ(-EBADMSG, parse(self));
	EXPECT_EQ(9, self->r.conn_id);
}

TEST_F(req, duplicates_refused)
{
	put_request(self->msg, 3, TCPCRYPT_KEX_INIT1_RECEIVED, true);
	nla_put(self->msg, TCPCRYPT_A_INIT_MSG, sizeof(init), init);
	EXPECT_EQ(-EBADMSG, parse(self));
	EXPECT_EQ(3, self->r.conn_id);
	/* Two ids: neither can be trusted */
	nla_put_u64(self->msg, TCPCRYPT_A_CONN_ID, 4);
	EXPECT_EQ(-EBADMSG, parse(self));
	EXPECT_EQ(0, self->r.conn_id);
}

TEST_F(req, trailing_bytes_refused)
{
	struct nlmsghdr *nlh;
	uint8_t *tail;

	put_request(self->msg, 3, TCPCRYPT_KEX_INIT1_NEEDED, false);
	ASSERT_EQ(0, parse(self));
	/* Three bytes, no room for an attribute header */
	tail = nlmsg_reserve(self->msg, 4, 1);
	ASSERT_NE(NULL, tail);
	memset(tail, 0xff, 4);
	nlh = nlmsg_hdr(self->msg);
	nlh->nlmsg_len -= 1;
	EXPECT_EQ(-EBADMSG, parse(self));
	EXPECT_EQ(3, self->r.conn_id);
}

/* An attribute whose length runs past the message */
TEST_F(req, overlong_attribute_refused)
{
	struct nlattr *a;

	put_request(self->msg, 3, TCPCRYPT_KEX_INIT1_RECEIVED, true);
	a = nlmsg_find_attr(nlmsg_hdr(self->msg), GENL_HDRLEN,
			    TCPCRYPT_A_INIT_MSG);
	ASSERT_NE(NULL, a);
	a->nla_len += 64;
	EXPECT_EQ(-EBADMSG, parse(self));
	EXPECT_EQ(NULL, self->r.init);
}

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 32);
}

/* Random soups of attributes and raw bytes: refused or sane, no crash */
TEST(random_attribute_soups)
{
	uint8_t junk[TCPCRYPT_MAX_INIT_LEN + 8];
	unsigned int i, j, n, ok = 0;
	struct kex_request r;
	struct nl_msg *m;
	uint8_t *raw;
	int err;

	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)rnd();
	for (i = 0; i < 5000; i++) {
		m = nlmsg_alloc_size(16384);
		ASSERT_NE(NULL, m);
		ASSERT_NE(NULL, genlmsg_put(m, 0, 0, FAMILY, 0, 0,
					    TCPCRYPT_CMD_KEX_REQUEST, 1));
		/* Half of them start as a valid request */
		if (rnd() % 2) {
			nla_put_u64(m, TCPCRYPT_A_CONN_ID, 1 + rnd());
			nla_put_u8(m, TCPCRYPT_A_KEX_OP, (uint8_t)rnd());
		}
		n = rnd() % 6;
		for (j = 0; j < n; j++) {
			if (rnd() % 3) {
				nla_put(m, 1 + rnd() % (TCPCRYPT_A_MAX + 2),
					(int)(rnd() % 10 ? rnd() % 12 :
					      rnd() % sizeof(junk)), junk);
			} else {
				raw = nlmsg_reserve(m, rnd() % 9, 1);
				if (raw)
					memcpy(raw, junk + rnd() % 64, 8);
			}
		}
		err = kex_request_parse(nlmsg_hdr(m), FAMILY, &r);
		ASSERT_TRUE(err == 0 || err == -EBADMSG);
		if (!err) {
			ok++;
			ASSERT_NE(0, r.conn_id);
			ASSERT_LE(r.transcript_len, TCPCRYPT_MAX_TRANSCRIPT_LEN);
			ASSERT_LE(r.init_len, TCPCRYPT_MAX_INIT_LEN);
			ASSERT_EQ(r.init == NULL, r.init_len == 0);
		}
		nlmsg_free(m);
	}
	/* Both outcomes occur */
	EXPECT_LT(0, ok);
	EXPECT_GT(5000, ok);
}

/* --- replies ------------------------------------------------------------- */

/* The module's policy for KEX_REPLY (kmod/kex.c), in libnl's terms */
static struct nla_policy reply_policy[TCPCRYPT_A_MAX + 1] = {
	[TCPCRYPT_A_CONN_ID]	= { .type = NLA_U64 },
	[TCPCRYPT_A_INIT_MSG]	= { .type = NLA_UNSPEC, .minlen = 8,
				    .maxlen = TCPCRYPT_MAX_INIT_LEN },
	[TCPCRYPT_A_PRK]	= { .type = NLA_UNSPEC,
				    .minlen = TCPCRYPT_PRK_LEN,
				    .maxlen = TCPCRYPT_PRK_LEN },
	[TCPCRYPT_A_AEAD]	= { .type = NLA_U16 },
	[TCPCRYPT_A_KEX_ERROR]	= { .type = NLA_U32 },
};

static int count_attrs(struct nlattr **tb)
{
	int i, n = 0;

	for (i = 0; i <= TCPCRYPT_A_MAX; i++)
		n += tb[i] != NULL;
	return n;
}

TEST(error_reply_is_id_and_errno_only)
{
	struct kex_reply rep = { .conn_id = 12, .error = EKEYREJECTED };
	struct nlattr *tb[TCPCRYPT_A_MAX + 1];
	struct genlmsghdr *g;
	struct nl_msg *m;

	/* Leftovers of a failed attempt must not leak into the reply */
	rep.init_len = 20;
	rep.has_keys = true;
	m = kex_reply_build(FAMILY, &rep);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(FAMILY, nlmsg_hdr(m)->nlmsg_type);
	g = nlmsg_data(nlmsg_hdr(m));
	EXPECT_EQ(TCPCRYPT_CMD_KEX_REPLY, g->cmd);
	EXPECT_EQ(TCPCRYPT_GENL_VERSION, g->version);
	ASSERT_EQ(0, genlmsg_parse(nlmsg_hdr(m), 0, tb, TCPCRYPT_A_MAX,
				   reply_policy));
	EXPECT_EQ(2, count_attrs(tb));
	EXPECT_EQ(12, nla_get_u64(tb[TCPCRYPT_A_CONN_ID]));
	EXPECT_EQ(EKEYREJECTED, nla_get_u32(tb[TCPCRYPT_A_KEX_ERROR]));
	kex_reply_msg_free(m);
}

TEST(init2_reply_carries_init_prk_and_aead)
{
	struct nlattr *tb[TCPCRYPT_A_MAX + 1];
	struct kex_reply rep = {
		.conn_id = 1ULL << 63, .init_len = 74, .has_keys = true,
		.aead = TCPCRYPT_AEAD_CHACHA20_POLY1305,
	};
	struct nl_msg *m;

	memset(rep.init, 0x11, sizeof(rep.init));
	memset(rep.prk, 0x22, sizeof(rep.prk));
	m = kex_reply_build(FAMILY, &rep);
	ASSERT_NE(NULL, m);
	ASSERT_EQ(0, genlmsg_parse(nlmsg_hdr(m), 0, tb, TCPCRYPT_A_MAX,
				   reply_policy));
	EXPECT_EQ(4, count_attrs(tb));
	EXPECT_EQ(1ULL << 63, nla_get_u64(tb[TCPCRYPT_A_CONN_ID]));
	ASSERT_EQ(74, nla_len(tb[TCPCRYPT_A_INIT_MSG]));
	EXPECT_EQ(0, memcmp(rep.init, nla_data(tb[TCPCRYPT_A_INIT_MSG]), 74));
	ASSERT_EQ(TCPCRYPT_PRK_LEN, nla_len(tb[TCPCRYPT_A_PRK]));
	EXPECT_EQ(0, memcmp(rep.prk, nla_data(tb[TCPCRYPT_A_PRK]),
			    TCPCRYPT_PRK_LEN));
	EXPECT_EQ(TCPCRYPT_AEAD_CHACHA20_POLY1305,
		  nla_get_u16(tb[TCPCRYPT_A_AEAD]));
	kex_reply_msg_free(m);
}

/* The shape kmod/kex.c demands of each answer (kex_reply_shape()) */
TEST(init1_and_keys_replies_have_their_shape)
{
	struct nlattr *tb[TCPCRYPT_A_MAX + 1];
	struct kex_reply init1 = { .conn_id = 5, .init_len = 75 };
	struct kex_reply keys = {
		.conn_id = 5, .has_keys = true,
		.aead = TCPCRYPT_AEAD_AES_128_GCM,
	};
	struct nl_msg *m;

	m = kex_reply_build(FAMILY, &init1);
	ASSERT_NE(NULL, m);
	ASSERT_EQ(0, genlmsg_parse(nlmsg_hdr(m), 0, tb, TCPCRYPT_A_MAX,
				   reply_policy));
	EXPECT_EQ(2, count_attrs(tb));
	EXPECT_NE(NULL, tb[TCPCRYPT_A_INIT_MSG]);
	kex_reply_msg_free(m);

	m = kex_reply_build(FAMILY, &keys);
	ASSERT_NE(NULL, m);
	ASSERT_EQ(0, genlmsg_parse(nlmsg_hdr(m), 0, tb, TCPCRYPT_A_MAX,
				   reply_policy));
	EXPECT_EQ(3, count_attrs(tb));
	EXPECT_NE(NULL, tb[TCPCRYPT_A_PRK]);
	EXPECT_NE(NULL, tb[TCPCRYPT_A_AEAD]);
	kex_reply_msg_free(m);
}

TEST(free_accepts_null)
{
	kex_reply_msg_free(NULL);
}

TEST_HARNESS_MAIN
