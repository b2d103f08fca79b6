// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "ctlproto.h"
#include "util.h"

/* Largest errno value Linux uses; anything above is not a status */
#define TC_CTL_MAX_ERRNO	4095

static const uint8_t zeros[16];

int tc_ctl_hdr_decode(const uint8_t *buf, size_t len, struct tc_ctl_hdr *h)
{
	/* Garbage is refused as soon as its first bytes are in */
	if (memcmp(buf, TC_CTL_MAGIC, len < 4 ? len : 4))
		return -EPROTO;
	if (len < TC_CTL_HDR_LEN)
		return -EAGAIN;
	if (buf[4] != TC_CTL_VERSION)
		return -EPROTONOSUPPORT;
	h->version = buf[4];
	h->op = buf[5];
	h->length = tc_get_be16(buf + 6);
	if (h->length > TC_CTL_MAX_BODY)
		return -EMSGSIZE;
	return 0;
}

static void put_hdr(uint8_t *buf, uint8_t op, uint16_t body_len)
{
	memcpy(buf, TC_CTL_MAGIC, 4);
	buf[4] = TC_CTL_VERSION;
	buf[5] = op;
	tc_put_be16(buf + 6, body_len);
}

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

size_t tc_ctl_encode_sessid_req(uint8_t *buf, size_t len,
				const struct tc_ctl_tuple *t)
{
	uint8_t *body = buf + TC_CTL_HDR_LEN;
	size_t alen;

	if (len < TC_CTL_HDR_LEN + TC_CTL_SESSID_REQ_LEN)
		return 0;
	if (t->family != AF_INET && t->family != AF_INET6)
		return 0;
	alen = addr_len(t->family);

	put_hdr(buf, TC_CTL_OP_GET_SESSID, TC_CTL_SESSID_REQ_LEN);
	memset(body, 0, TC_CTL_SESSID_REQ_LEN);
	body[0] = t->family == AF_INET ? 4 : 6;
	tc_put_be16(body + 2, t->local_port);
	tc_put_be16(body + 4, t->remote_port);
	memcpy(body + 6, t->local_addr, alen);
	memcpy(body + 22, t->remote_addr, alen);
	return TC_CTL_HDR_LEN + TC_CTL_SESSID_REQ_LEN;
}

int tc_ctl_decode_sessid_req(const uint8_t *body, size_t len,
			     struct tc_ctl_tuple *t)
{
	size_t alen;

	if (len != TC_CTL_SESSID_REQ_LEN)
		return -EINVAL;
	switch (body[0]) {
	case 4:
		t->family = AF_INET;
		break;
	case 6:
		t->family = AF_INET6;
		break;
	default:
		return -EAFNOSUPPORT;
	}
	if (body[1])
		return -EINVAL;
	alen = addr_len(t->family);
	/* The bytes past an IPv4 address must be zero, so that one tuple
	 * has exactly one encoding.
	 */
	if (memcmp(body + 6 + alen, zeros, 16 - alen) ||
	    memcmp(body + 22 + alen, zeros, 16 - alen))
		return -EINVAL;

	memset(t->local_addr, 0, sizeof(t->local_addr));
	memset(t->remote_addr, 0, sizeof(t->remote_addr));
	t->local_port = tc_get_be16(body + 2);
	t->remote_port = tc_get_be16(body + 4);
	memcpy(t->local_addr, body + 6, alen);
	memcpy(t->remote_addr, body + 22, alen);
	if (!t->remote_port || !memcmp(t->remote_addr, zeros, alen))
		return -EINVAL;
	return 0;
}

size_t tc_ctl_encode_policy_req(uint8_t *buf, size_t len,
				const struct tc_ctl_policy *p)
{
	uint8_t *body = buf + TC_CTL_HDR_LEN;

	if (len < TC_CTL_HDR_LEN + TC_CTL_POLICY_REQ_LEN)
		return 0;
	put_hdr(buf, TC_CTL_OP_SET_POLICY, TC_CTL_POLICY_REQ_LEN);
	tc_put_be32(body, p->mask);
	tc_put_be32(body + 4, p->flags);
	return TC_CTL_HDR_LEN + TC_CTL_POLICY_REQ_LEN;
}

int tc_ctl_decode_policy_req(const uint8_t *body, size_t len,
			     struct tc_ctl_policy *p)
{
	if (len != TC_CTL_POLICY_REQ_LEN)
		return -EINVAL;
	p->mask = tc_get_be32(body);
	p->flags = tc_get_be32(body + 4);
	/* unknown bits, or values for bits not changed: not this protocol */
	if ((p->mask & ~TC_CTL_POLICY_ALL) || (p->flags & ~p->mask))
		return -EINVAL;
	return 0;
}

size_t tc_ctl_encode_reply(uint8_t *buf, size_t len, uint8_t req_op,
			   const struct tc_ctl_reply *r)
{
	uint8_t *body = buf + TC_CTL_HDR_LEN;

	if (len < TC_CTL_HDR_LEN + TC_CTL_REPLY_LEN)
		return 0;
	put_hdr(buf, req_op | TC_CTL_OP_REPLY, TC_CTL_REPLY_LEN);
	memset(body, 0, TC_CTL_REPLY_LEN);
	tc_put_be32(body, r->status);
	if (!r->status && r->sessid_len) {
		body[4] = TC_CTL_SESSID_LEN;
		memcpy(body + 5, r->sessid, TC_CTL_SESSID_LEN);
	}
	return TC_CTL_HDR_LEN + TC_CTL_REPLY_LEN;
}

int tc_ctl_decode_reply(const uint8_t *body, size_t len,
			struct tc_ctl_reply *r)
{
	if (len != TC_CTL_REPLY_LEN)
		return -EBADMSG;
	r->status = tc_get_be32(body);
	r->sessid_len = body[4];
	if (r->status > TC_CTL_MAX_ERRNO)
		return -EBADMSG;
	if (r->sessid_len != 0 &&
	    (r->status || r->sessid_len != TC_CTL_SESSID_LEN))
		return -EBADMSG;
	memcpy(r->sessid, body + 5, TC_CTL_SESSID_LEN);
	return 0;
}
