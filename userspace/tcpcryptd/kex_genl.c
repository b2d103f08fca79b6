// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <openssl/crypto.h>

#include "kex_genl.h"

/* Attributes seen so far, to refuse duplicates */
struct seen {
	uint32_t mask;
	bool bad;
};

static bool first_time(struct seen *s, int type)
{
	uint32_t bit = 1u << type;

	if (s->mask & bit) {
		s->bad = true;
		return false;
	}
	s->mask |= bit;
	return true;
}

/* One attribute into req; unknown types are skipped (newer modules) */
static void take_attr(const struct nlattr *a, struct kex_request *req,
		      struct seen *s)
{
	int type = nla_type(a), len = nla_len(a);
	uint64_t id;

	switch (type) {
	case TCPCRYPT_A_CONN_ID:
		if (!first_time(s, type)) {
			req->conn_id = 0;	/* which one would we answer? */
			break;
		}
		if (len != sizeof(id)) {
			s->bad = true;
			break;
		}
		memcpy(&id, nla_data(a), sizeof(id));
		req->conn_id = id;
		s->bad |= !id;
		break;
	case TCPCRYPT_A_KEX_OP:
	case TCPCRYPT_A_TEP:
		if (!first_time(s, type))
			break;
		if (len != 1) {
			s->bad = true;
			break;
		}
		if (type == TCPCRYPT_A_KEX_OP)
			req->op = *(const uint8_t *)nla_data(a);
		else
			req->tep = *(const uint8_t *)nla_data(a);
		break;
	case TCPCRYPT_A_TRANSCRIPT:
		if (!first_time(s, type))
			break;
		if (len > TCPCRYPT_MAX_TRANSCRIPT_LEN) {
			s->bad = true;
			break;
		}
		req->transcript = nla_data(a);
		req->transcript_len = (size_t)len;
		break;
	case TCPCRYPT_A_INIT_MSG:
		if (!first_time(s, type))
			break;
		if (len < 1 || len > TCPCRYPT_MAX_INIT_LEN) {
			s->bad = true;
			break;
		}
		req->init = nla_data(a);
		req->init_len = (size_t)len;
		break;
	default:
		break;
	}
}

int kex_request_parse(const struct nlmsghdr *nlh, int family,
		      struct kex_request *req)
{
	const struct genlmsghdr *g;
	const struct nlattr *a;
	struct seen s = { 0 };
	int rem;

	memset(req, 0, sizeof(*req));
	if (nlh->nlmsg_type != family ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -ENOMSG;
	g = nlmsg_data(nlh);
	if (g->cmd != TCPCRYPT_CMD_KEX_REQUEST)
		return -ENOMSG;

	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0),
			  rem)
		take_attr(a, req, &s);
	/* Bytes that are no whole attribute */
	if (rem > 0)
		s.bad = true;
	if (!req->conn_id || !(s.mask & (1u << TCPCRYPT_A_KEX_OP)))
		s.bad = true;
	return s.bad ? -EBADMSG : 0;
}

struct nl_msg *kex_reply_build(int family, const struct kex_reply *rep)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0,
			 TCPCRYPT_CMD_KEX_REPLY, TCPCRYPT_GENL_VERSION) ||
	    nla_put_u64(msg, TCPCRYPT_A_CONN_ID, rep->conn_id))
		goto err;
	if (rep->error) {
		if (nla_put_u32(msg, TCPCRYPT_A_KEX_ERROR, rep->error))
			goto err;
		return msg;
	}
	if (rep->init_len &&
	    nla_put(msg, TCPCRYPT_A_INIT_MSG, (int)rep->init_len, rep->init))
		goto err;
	if (rep->has_keys &&
	    (nla_put(msg, TCPCRYPT_A_PRK, TCPCRYPT_PRK_LEN, rep->prk) ||
	     nla_put_u16(msg, TCPCRYPT_A_AEAD, rep->aead)))
		goto err;
	return msg;
err:
	kex_reply_msg_free(msg);
	return NULL;
}

void kex_reply_msg_free(struct nl_msg *msg)
{
	struct nlmsghdr *nlh;

	if (!msg)
		return;
	nlh = nlmsg_hdr(msg);
	OPENSSL_cleanse(nlh, nlh->nlmsg_len);
	nlmsg_free(msg);
}
