// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The control protocol: encoding, decoding, framing, and the daemon's
 * answers to well-formed, malformed and random input.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "ctl_dispatch.h"
#include "ctlproto.h"
#include "kselftest_harness.h"

static const uint8_t sid[TC_CTL_SESSID_LEN] = {
	0x23, 0x73, 0x77, 0xfe, 0xda, 0x4e, 0x07, 0xb7, 0x6a, 0x24, 0x72,
	0x4c, 0x18, 0x40, 0x92, 0x7c, 0x1b, 0x48, 0x77, 0x0b, 0xc4, 0xe2,
	0x20, 0x6f, 0x2f, 0x17, 0xe5, 0x4f, 0x06, 0xf2, 0x21, 0xce, 0x12,
};

static struct tc_ctl_tuple v4_tuple(void)
{
	struct tc_ctl_tuple t = {
		.family = AF_INET,
		.local_port = 48512,
		.remote_port = 443,
		.local_addr = { 192, 0, 2, 10 },
		.remote_addr = { 198, 51, 100, 7 },
	};

	return t;
}

TEST(request_wire_format)
{
	static const uint8_t want[] = {
		'T', 'C', 'P', 'C', 1, 1, 0, 38,
		4, 0, 0xbd, 0x80, 0x01, 0xbb,
		192, 0, 2, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		198, 51, 100, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	struct tc_ctl_tuple t = v4_tuple(), back;
	uint8_t buf[TC_CTL_MAX_MSG];

	ASSERT_EQ(sizeof(want), tc_ctl_encode_sessid_req(buf, sizeof(buf), &t));
	EXPECT_EQ(0, memcmp(want, buf, sizeof(want)));
	ASSERT_EQ(0, tc_ctl_decode_sessid_req(buf + 8, 38, &back));
	EXPECT_EQ(0, memcmp(&t, &back, sizeof(t)));
	/* Too small a buffer writes nothing */
	EXPECT_EQ(0, tc_ctl_encode_sessid_req(buf, sizeof(want) - 1, &t));
}

TEST(request_v6_round_trip)
{
	struct tc_ctl_tuple t = {
		.family = AF_INET6, .local_port = 1, .remote_port = 65535,
		.local_addr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 },
		.remote_addr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 },
	}, back;
	uint8_t buf[TC_CTL_MAX_MSG];

	ASSERT_EQ(46, tc_ctl_encode_sessid_req(buf, sizeof(buf), &t));
	EXPECT_EQ(6, buf[8]);
	ASSERT_EQ(0, tc_ctl_decode_sessid_req(buf + 8, 38, &back));
	EXPECT_EQ(0, memcmp(&t, &back, sizeof(t)));

	t.family = AF_UNIX;
	EXPECT_EQ(0, tc_ctl_encode_sessid_req(buf, sizeof(buf), &t));
}

TEST(request_body_errors)
{
	struct tc_ctl_tuple t = v4_tuple(), back;
	uint8_t buf[TC_CTL_MAX_MSG], *body = buf + 8;

	ASSERT_EQ(46, tc_ctl_encode_sessid_req(buf, sizeof(buf), &t));
	EXPECT_EQ(-EINVAL, tc_ctl_decode_sessid_req(body, 37, &back));
	EXPECT_EQ(-EINVAL, tc_ctl_decode_sessid_req(body, 39, &back));

	body[0] = 5;
	EXPECT_EQ(-EAFNOSUPPORT, tc_ctl_decode_sessid_req(body, 38, &back));
	body[0] = 4;
	body[1] = 1;	/* reserved */
	EXPECT_EQ(-EINVAL, tc_ctl_decode_sessid_req(body, 38, &back));
	body[1] = 0;
	body[6 + 4] = 1;	/* past the IPv4 local address */
	EXPECT_EQ(-EINVAL, tc_ctl_decode_sessid_req(body, 38, &back));
	body[6 + 4] = 0;
	body[22 + 15] = 1;	/* past the IPv4 remote address */
	EXPECT_EQ(-EINVAL, tc_ctl_decode_sessid_req(body, 38, &back));
	body[22 + 15] = 0;
	body[4] = body[5] = 0;	/* remote port 0 */
	EXPECT_EQ(-EINVAL, tc_ctl_decode_sessid_req(body, 38, &back));
	body[5] = 80;
	memset(body + 22, 0, 4);	/* remote address "any" */
	EXPECT_EQ(-EINVAL, tc_ctl_decode_sessid_req(body, 38, &back));
	body[22] = 10;
	EXPECT_EQ(0, tc_ctl_decode_sessid_req(body, 38, &back));
}

TEST(wildcard_local_end_is_valid)
{
	struct tc_ctl_tuple t = v4_tuple(), back;
	uint8_t buf[TC_CTL_MAX_MSG];

	t.local_port = 0;
	memset(t.local_addr, 0, sizeof(t.local_addr));
	ASSERT_EQ(46, tc_ctl_encode_sessid_req(buf, sizeof(buf), &t));
	ASSERT_EQ(0, tc_ctl_decode_sessid_req(buf + 8, 38, &back));
	EXPECT_EQ(0, back.local_port);
}

TEST(header_errors)
{
	uint8_t buf[TC_CTL_MAX_MSG] = { 'T', 'C', 'P', 'C', 1, 1, 0, 38 };
	struct tc_ctl_hdr h;

	ASSERT_EQ(0, tc_ctl_hdr_decode(buf, 8, &h));
	EXPECT_EQ(1, h.op);
	EXPECT_EQ(38, h.length);
	EXPECT_EQ(-EAGAIN, tc_ctl_hdr_decode(buf, 7, &h));
	EXPECT_EQ(-EAGAIN, tc_ctl_hdr_decode(buf, 0, &h));
	buf[3] = 'X';
	EXPECT_EQ(-EPROTO, tc_ctl_hdr_decode(buf, 8, &h));
	EXPECT_EQ(-EPROTO, tc_ctl_hdr_decode(buf, 4, &h));
	EXPECT_EQ(-EAGAIN, tc_ctl_hdr_decode(buf, 3, &h));
	buf[3] = 'C';
	buf[4] = 2;
	EXPECT_EQ(-EPROTONOSUPPORT, tc_ctl_hdr_decode(buf, 8, &h));
	buf[4] = 1;
	buf[7] = TC_CTL_MAX_BODY + 1;
	EXPECT_EQ(-EMSGSIZE, tc_ctl_hdr_decode(buf, 8, &h));
	buf[6] = 0xff;
	buf[7] = 0xff;
	EXPECT_EQ(-EMSGSIZE, tc_ctl_hdr_decode(buf, 8, &h));
}

TEST(reply_round_trip_and_errors)
{
	struct tc_ctl_reply r = { .status = 0 }, back;
	uint8_t buf[TC_CTL_MAX_MSG], *body = buf + 8;

	memcpy(r.sessid, sid, sizeof(sid));
	r.sessid_len = 33;
	ASSERT_EQ(46, tc_ctl_encode_reply(buf, sizeof(buf), 1, &r));
	EXPECT_EQ(0x81, buf[5]);
	ASSERT_EQ(0, tc_ctl_decode_reply(body, 38, &back));
	EXPECT_EQ(0, back.status);
	EXPECT_EQ(33, back.sessid_len);
	EXPECT_EQ(0, memcmp(sid, back.sessid, sizeof(sid)));
	EXPECT_EQ(-EBADMSG, tc_ctl_decode_reply(body, 37, &back));

	r.status = ENOENT;
	ASSERT_EQ(46, tc_ctl_encode_reply(buf, sizeof(buf), 1, &r));
	ASSERT_EQ(0, tc_ctl_decode_reply(body, 38, &back));
	EXPECT_EQ(ENOENT, back.status);
	EXPECT_EQ(0, back.sessid_len);
	/* A failed reply carries no session ID */
	body[4] = 33;
	EXPECT_EQ(-EBADMSG, tc_ctl_decode_reply(body, 38, &back));
	/* A successful one carries one, or (SET_POLICY) none */
	memset(body, 0, 5);
	ASSERT_EQ(0, tc_ctl_decode_reply(body, 38, &back));
	EXPECT_EQ(0, back.sessid_len);
	/* never a length but 0 or 33 */
	body[4] = 32;
	EXPECT_EQ(-EBADMSG, tc_ctl_decode_reply(body, 38, &back));
	body[4] = 0;
	/* Not an errno */
	body[0] = 0x10;
	EXPECT_EQ(-EBADMSG, tc_ctl_decode_reply(body, 38, &back));
}

TEST(policy_request_round_trip_and_errors)
{
	struct tc_ctl_policy p = {
		.mask = TC_CTL_POLICY_ALL, .flags = TC_CTL_POLICY_NO_CACHE,
	}, back;
	uint8_t buf[TC_CTL_MAX_MSG], *body = buf + 8;
	struct tc_ctl_hdr h;

	ASSERT_EQ(16, tc_ctl_encode_policy_req(buf, sizeof(buf), &p));
	ASSERT_EQ(0, tc_ctl_hdr_decode(buf, 16, &h));
	EXPECT_EQ(TC_CTL_OP_SET_POLICY, h.op);
	EXPECT_EQ(8, h.length);
	ASSERT_EQ(0, tc_ctl_decode_policy_req(body, 8, &back));
	EXPECT_EQ(TC_CTL_POLICY_ALL, back.mask);
	EXPECT_EQ(TC_CTL_POLICY_NO_CACHE, back.flags);
	EXPECT_EQ(0, tc_ctl_encode_policy_req(buf, 15, &p));
	EXPECT_EQ(-EINVAL, tc_ctl_decode_policy_req(body, 7, &back));
	EXPECT_EQ(-EINVAL, tc_ctl_decode_policy_req(body, 9, &back));
	/* a bit this protocol does not know */
	body[3] = 0x04;
	EXPECT_EQ(-EINVAL, tc_ctl_decode_policy_req(body, 8, &back));
	/* a value for a bit not being changed */
	body[3] = TC_CTL_POLICY_NO_RESUME;
	body[7] = TC_CTL_POLICY_NO_CACHE;
	EXPECT_EQ(-EINVAL, tc_ctl_decode_policy_req(body, 8, &back));
	/* clearing is a value of 0 */
	body[7] = 0;
	ASSERT_EQ(0, tc_ctl_decode_policy_req(body, 8, &back));
	EXPECT_EQ(TC_CTL_POLICY_NO_RESUME, back.mask);
	EXPECT_EQ(0, back.flags);
}

TEST(framing)
{
	struct tc_ctl_tuple t = v4_tuple();
	uint8_t buf[2 * TC_CTL_MAX_MSG];
	size_t i;

	ASSERT_EQ(46, tc_ctl_encode_sessid_req(buf, sizeof(buf), &t));
	for (i = 0; i < 46; i++)
		EXPECT_EQ(0, ctl_frame(buf, i));
	EXPECT_EQ(46, ctl_frame(buf, 46));
	/* A second message behind the first does not change the first */
	ASSERT_EQ(46, tc_ctl_encode_sessid_req(buf + 46, sizeof(buf) - 46, &t));
	EXPECT_EQ(46, ctl_frame(buf, 92));
	buf[0] = 'X';
	EXPECT_EQ(-EPROTO, ctl_frame(buf, 3));
	EXPECT_EQ(-EPROTO, ctl_frame(buf, 8));
}

struct lookup_log {
	int calls;
	int result;
	struct tc_ctl_tuple seen;
};

static int fake_lookup(const struct tc_ctl_tuple *t,
		       uint8_t sessid[TC_CTL_SESSID_LEN], void *arg)
{
	struct lookup_log *log = arg;

	log->calls++;
	log->seen = *t;
	if (!log->result)
		memcpy(sessid, sid, sizeof(sid));
	return log->result;
}

static void decode_answer(struct __test_metadata *_metadata,
			  const uint8_t *out, size_t n, uint8_t want_op,
			  struct tc_ctl_reply *r)
{
	struct tc_ctl_hdr h;

	ASSERT_EQ(46, n);
	ASSERT_EQ(0, tc_ctl_hdr_decode(out, n, &h));
	EXPECT_EQ(want_op, h.op);
	ASSERT_EQ(38, h.length);
	ASSERT_EQ(0, tc_ctl_decode_reply(out + 8, 38, r));
}

TEST(answer_found_and_not_found)
{
	struct lookup_log log = { 0 };
	const struct ctl_handlers hs = { .sessid = fake_lookup,
					 .sessid_arg = &log };
	struct tc_ctl_tuple t = v4_tuple();
	uint8_t req[TC_CTL_MAX_MSG], out[TC_CTL_MAX_MSG];
	struct tc_ctl_reply r;
	size_t n;

	ASSERT_EQ(46, tc_ctl_encode_sessid_req(req, sizeof(req), &t));
	n = ctl_answer(req, 46, &hs, NULL, out, sizeof(out));
	decode_answer(_metadata, out, n, 0x81, &r);
	EXPECT_EQ(0, r.status);
	EXPECT_EQ(0, memcmp(sid, r.sessid, sizeof(sid)));
	EXPECT_EQ(1, log.calls);
	EXPECT_EQ(0, memcmp(&t, &log.seen, sizeof(t)));

	log.result = -ENOENT;
	n = ctl_answer(req, 46, &hs, NULL, out, sizeof(out));
	decode_answer(_metadata, out, n, 0x81, &r);
	EXPECT_EQ(ENOENT, r.status);

	/* A positive return is a lookup bug, not a success */
	log.result = 1;
	n = ctl_answer(req, 46, &hs, NULL, out, sizeof(out));
	decode_answer(_metadata, out, n, 0x81, &r);
	EXPECT_EQ(EIO, r.status);
}

TEST(answer_bad_requests_without_lookup)
{
	struct lookup_log log = { 0 };
	const struct ctl_handlers hs = { .sessid = fake_lookup,
					 .sessid_arg = &log };
	struct tc_ctl_tuple t = v4_tuple();
	uint8_t req[TC_CTL_MAX_MSG], out[TC_CTL_MAX_MSG];
	struct tc_ctl_reply r;
	size_t n;

	ASSERT_EQ(46, tc_ctl_encode_sessid_req(req, sizeof(req), &t));
	req[8] = 9;	/* family */
	n = ctl_answer(req, 46, &hs, NULL, out, sizeof(out));
	decode_answer(_metadata, out, n, 0x81, &r);
	EXPECT_EQ(EAFNOSUPPORT, r.status);

	req[8] = 4;
	req[5] = 7;	/* unknown op */
	n = ctl_answer(req, 46, &hs, NULL, out, sizeof(out));
	decode_answer(_metadata, out, n, 0x87, &r);
	EXPECT_EQ(EOPNOTSUPP, r.status);

	req[5] = 0x81;	/* a reply sent as a request */
	n = ctl_answer(req, 46, &hs, NULL, out, sizeof(out));
	decode_answer(_metadata, out, n, 0x80, &r);
	EXPECT_EQ(EOPNOTSUPP, r.status);

	req[5] = 1;
	req[7] = 37;	/* body one byte short of a request */
	n = ctl_answer(req, 45, &hs, NULL, out, sizeof(out));
	decode_answer(_metadata, out, n, 0x81, &r);
	EXPECT_EQ(EINVAL, r.status);

	/* A length that disagrees with the header */
	n = ctl_answer(req, 46, &hs, NULL, out, sizeof(out));
	decode_answer(_metadata, out, n, 0x80, &r);
	EXPECT_EQ(EINVAL, r.status);

	n = ctl_answer_framing_error(-EPROTO, out, sizeof(out));
	decode_answer(_metadata, out, n, 0x80, &r);
	EXPECT_EQ(EPROTO, r.status);
	EXPECT_EQ(0, log.calls);
}

/* xorshift64*: reproducible noise */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/*
 * Random streams, some starting with a valid header: every message the
 * framer delimits gets a reply that decodes, and framing errors are
 * answered too.
 */
TEST(random_streams_always_get_a_valid_reply)
{
	struct lookup_log log = { .result = -ENOENT };
	const struct ctl_handlers hs = { .sessid = fake_lookup,
					 .sessid_arg = &log };
	uint8_t buf[TC_CTL_MAX_MSG], out[TC_CTL_MAX_MSG];
	uint64_t seed = 0x7463706372797074ULL;
	struct tc_ctl_reply r;
	struct tc_ctl_hdr h;
	int i, len, framed = 0;
	size_t n, j, fill;

	for (i = 0; i < 200000; i++) {
		fill = next_rand(&seed) % sizeof(buf) + 1;
		for (j = 0; j < fill; j++)
			buf[j] = (uint8_t)next_rand(&seed);
		if (i % 2) {
			memcpy(buf, "TCPC\x01", 5);
			if (fill > 7 && i % 4 == 1) {
				buf[6] = 0;
				buf[7] = (uint8_t)(fill - 8);
			}
		}
		len = ctl_frame(buf, fill);
		if (!len)
			continue;
		if (len > 0) {
			ASSERT_GE(fill, (size_t)len);
			n = ctl_answer(buf, (size_t)len, &hs, NULL, out,
				       sizeof(out));
			framed++;
		} else {
			n = ctl_answer_framing_error(len, out, sizeof(out));
		}
		ASSERT_EQ(46, n);
		ASSERT_EQ(0, tc_ctl_hdr_decode(out, n, &h));
		ASSERT_EQ(0, tc_ctl_decode_reply(out + 8, 38, &r));
		ASSERT_NE(0, r.status);
	}
	EXPECT_GT(framed, 1000);
}

TEST_HARNESS_MAIN
