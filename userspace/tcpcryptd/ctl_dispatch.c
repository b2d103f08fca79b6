// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <string.h>

#include "ctl_dispatch.h"

int ctl_frame(const uint8_t *buf, size_t len)
{
	struct tc_ctl_hdr h;
	int err;

	err = tc_ctl_hdr_decode(buf, len, &h);
	if (err == -EAGAIN)
		return 0;
	if (err)
		return err;
	if (len < TC_CTL_HDR_LEN + (size_t)h.length)
		return 0;
	return TC_CTL_HDR_LEN + h.length;
}

static size_t reply_status(uint8_t op, int err, uint8_t *out, size_t outlen)
{
	struct tc_ctl_reply r = { .status = (uint32_t)-err };

	return tc_ctl_encode_reply(out, outlen, op, &r);
}

static size_t answer_sessid(const uint8_t *body, size_t len,
			    ctl_sessid_fn fn, void *arg, uint8_t *out,
			    size_t outlen)
{
	struct tc_ctl_reply r = { 0 };
	struct tc_ctl_tuple t;
	int err;

	err = tc_ctl_decode_sessid_req(body, len, &t);
	if (!err)
		err = fn(&t, r.sessid, arg);
	/* A lookup must not answer "success" with an errno-less failure */
	if (err > 0)
		err = -EIO;
	if (err)
		return reply_status(TC_CTL_OP_GET_SESSID, err, out, outlen);
	r.sessid_len = TC_CTL_SESSID_LEN;
	return tc_ctl_encode_reply(out, outlen, TC_CTL_OP_GET_SESSID, &r);
}

static size_t answer_policy(const uint8_t *body, size_t len,
			    const struct ctl_handlers *h,
			    const struct ctl_peer *peer, uint8_t *out,
			    size_t outlen)
{
	struct tc_ctl_policy p;
	int err;

	err = tc_ctl_decode_policy_req(body, len, &p);
	if (!err && !h->policy)
		err = -EOPNOTSUPP;
	else if (!err && (!peer || peer->sock < 0))
		err = -EBADF;
	else if (!err)
		err = h->policy(peer, &p, h->policy_arg);
	if (err > 0)
		err = -EIO;
	return reply_status(TC_CTL_OP_SET_POLICY, err, out, outlen);
}

size_t ctl_answer(const uint8_t *msg, size_t len,
		  const struct ctl_handlers *handlers,
		  const struct ctl_peer *peer, uint8_t *out, size_t outlen)
{
	struct tc_ctl_hdr hdr;
	int err;

	err = tc_ctl_hdr_decode(msg, len, &hdr);
	if (err)
		return ctl_answer_framing_error(err, out, outlen);
	if (len != TC_CTL_HDR_LEN + (size_t)hdr.length)
		return ctl_answer_framing_error(-EINVAL, out, outlen);

	switch (hdr.op) {
	case TC_CTL_OP_GET_SESSID:
		return answer_sessid(msg + TC_CTL_HDR_LEN, hdr.length,
				     handlers->sessid, handlers->sessid_arg,
				     out, outlen);
	case TC_CTL_OP_SET_POLICY:
		return answer_policy(msg + TC_CTL_HDR_LEN, hdr.length, handlers,
				     peer, out, outlen);
	default:
		/* A reply sent as a request is answered as op 0 */
		return reply_status(hdr.op & TC_CTL_OP_REPLY ? 0 : hdr.op,
				    -EOPNOTSUPP, out, outlen);
	}
}

size_t ctl_answer_framing_error(int err, uint8_t *out, size_t outlen)
{
	return reply_status(0, err < 0 ? err : -EPROTO, out, outlen);
}
