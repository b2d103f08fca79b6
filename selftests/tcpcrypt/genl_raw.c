// SPDX-License-Identifier: GPL-2.0
/* Raw generic netlink requests and answers for the tcpcrypt kselftests. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "genl_raw.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* How long to wait for an answer: the kernel drops some garbage silently */
#define ANSWER_TIMEOUT_MS 5000

int genl_raw_open(struct genl_raw *s)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	socklen_t alen = sizeof(addr);
	int one = 1;

	s->seq = 1;
	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (s->fd < 0)
		return -errno;
	if (bind(s->fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    getsockname(s->fd, (struct sockaddr *)&addr, &alen))
		goto err_close;
	s->portid = addr.nl_pid;
	/* Error messages and cookies, without an echo of the request */
	if (setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)))
		goto err_close;
	return 0;

err_close:
	one = -errno;
	close(s->fd);
	s->fd = -1;
	return one;
}

void genl_raw_close(struct genl_raw *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

void genl_req_init(struct genl_req *r, uint16_t family, uint16_t flags,
		   uint8_t cmd)
{
	struct genlmsghdr *g;

	memset(r, 0, sizeof(*r));
	r->nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nlh.nlmsg_type = family;
	r->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	g = NLMSG_DATA(&r->nlh);
	g->cmd = cmd;
	g->version = 1;
}

void genl_req_put(struct genl_req *r, uint16_t type, const void *data,
		  size_t len)
{
	struct nlattr *nla = (struct nlattr *)(r->buf + r->nlh.nlmsg_len);
	size_t total = NLA_ALIGN(NLA_HDRLEN + len);

	if (r->nlh.nlmsg_len + total > sizeof(r->buf))
		return;
	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	memset((char *)nla + NLA_HDRLEN, 0, total - NLA_HDRLEN);
	if (len)
		memcpy((char *)nla + NLA_HDRLEN, data, len);
	r->nlh.nlmsg_len += total;
}

void genl_req_put_u8(struct genl_req *r, uint16_t type, uint8_t v)
{
	genl_req_put(r, type, &v, sizeof(v));
}

void genl_req_put_u16(struct genl_req *r, uint16_t type, uint16_t v)
{
	genl_req_put(r, type, &v, sizeof(v));
}

void genl_req_put_u32(struct genl_req *r, uint16_t type, uint32_t v)
{
	genl_req_put(r, type, &v, sizeof(v));
}

void genl_req_nest_start(struct genl_req *r, uint16_t type)
{
	if (r->depth >= (int)(sizeof(r->nest) / sizeof(r->nest[0])))
		return;
	r->nest[r->depth++] = r->nlh.nlmsg_len;
	genl_req_put(r, type | NLA_F_NESTED, NULL, 0);
}

void genl_req_nest_end(struct genl_req *r)
{
	struct nlattr *nla;

	if (!r->depth)
		return;
	nla = (struct nlattr *)(r->buf + r->nest[--r->depth]);
	nla->nla_len = r->nlh.nlmsg_len - r->nest[r->depth];
}

/* Error, extack message and cookie of an NLMSG_ERROR or NLMSG_DONE */
static void parse_error(const struct nlmsghdr *nlh, struct genl_answer *a)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	const unsigned char *end = (const unsigned char *)nlh + nlh->nlmsg_len;
	const unsigned char *p;

	if (nlh->nlmsg_type == NLMSG_DONE) {
		if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
			memcpy(&a->error, NLMSG_DATA(nlh), sizeof(int));
		p = (const unsigned char *)NLMSG_DATA(nlh) + sizeof(int);
	} else {
		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
			a->error = -EBADMSG;
			return;
		}
		a->error = e->error;
		/* With NETLINK_CAP_ACK the request echo is its header only */
		p = (const unsigned char *)(e + 1);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			p += NLMSG_ALIGN(e->msg.nlmsg_len) - sizeof(e->msg);
	}
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	while (p + NLA_HDRLEN <= end) {
		const struct nlattr *nla = (const void *)p;
		size_t len = nla->nla_len - NLA_HDRLEN;

		if (nla->nla_len < NLA_HDRLEN || p + nla->nla_len > end)
			break;
		if (nla->nla_type == NLMSGERR_ATTR_MSG) {
			if (len >= sizeof(a->extack))
				len = sizeof(a->extack) - 1;
			memcpy(a->extack, p + NLA_HDRLEN, len);
			a->extack[len] = '\0';
		} else if (nla->nla_type == NLMSGERR_ATTR_COOKIE) {
			if (len > sizeof(a->cookie))
				len = sizeof(a->cookie);
			memcpy(a->cookie, p + NLA_HDRLEN, len);
			a->cookie_len = len;
		}
		p += NLA_ALIGN(nla->nla_len);
	}
}

/* Consume one datagram; 1 when the answer to @seq is complete */
static int take_datagram(const unsigned char *buf, size_t len, uint32_t seq,
			 struct genl_answer *a)
{
	const struct nlmsghdr *nlh = (const void *)buf;
	size_t left = len;

	for (; NLMSG_OK(nlh, left); nlh = NLMSG_NEXT(nlh, left)) {
		if (nlh->nlmsg_seq != seq)
			continue;
		if (nlh->nlmsg_type == NLMSG_ERROR ||
		    nlh->nlmsg_type == NLMSG_DONE) {
			parse_error(nlh, a);
			return 1;
		}
		if (!a->n_replies++) {
			a->reply_len = nlh->nlmsg_len - NLMSG_HDRLEN;
			if (a->reply_len > sizeof(a->reply))
				a->reply_len = sizeof(a->reply);
			memcpy(a->reply, NLMSG_DATA(nlh), a->reply_len);
		}
	}
	return 0;
}

int genl_raw_send(struct genl_raw *s, const void *buf, size_t len,
		  struct genl_answer *a)
{
	static unsigned char msg[GENL_RAW_BUFSZ], in[32768];
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
	uint32_t seq = ++s->seq;
	ssize_t n;

	memset(a, 0, sizeof(*a));
	if (len > sizeof(msg))
		return a->error = -E2BIG;
	memcpy(msg, buf, len);
	if (len >= sizeof(struct nlmsghdr)) {
		((struct nlmsghdr *)msg)->nlmsg_seq = seq;
		((struct nlmsghdr *)msg)->nlmsg_pid = 0;
	}
	if (sendto(s->fd, msg, len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0)
		return a->error = -errno;
	for (;;) {
		n = poll(&pfd, 1, ANSWER_TIMEOUT_MS);
		if (n == 0)
			return a->error = -ETIMEDOUT;
		if (n < 0)
			return a->error = -errno;
		n = recv(s->fd, in, sizeof(in), 0);
		if (n < 0)
			return a->error = -errno;
		if (take_datagram(in, n, seq, a))
			return a->error;
	}
}

int genl_raw_request(struct genl_raw *s, struct genl_req *r,
		     struct genl_answer *a)
{
	return genl_raw_send(s, r->buf, r->nlh.nlmsg_len, a);
}

static const struct nlattr *find_attr(const unsigned char *p, size_t len,
				      uint16_t type)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *nla = (const void *)p;

		if (nla->nla_len < NLA_HDRLEN || nla->nla_len > len)
			return NULL;
		if ((nla->nla_type & NLA_TYPE_MASK) == type)
			return nla;
		if ((size_t)NLA_ALIGN(nla->nla_len) >= len)
			return NULL;
		len -= NLA_ALIGN(nla->nla_len);
		p += NLA_ALIGN(nla->nla_len);
	}
	return NULL;
}

const struct nlattr *genl_answer_attr(const struct genl_answer *a,
				      uint16_t type)
{
	if (a->reply_len < GENL_HDRLEN)
		return NULL;
	return find_attr(a->reply + GENL_HDRLEN, a->reply_len - GENL_HDRLEN,
			 type);
}

const struct nlattr *genl_nest_attr(const struct nlattr *nest, uint16_t type)
{
	return find_attr((const unsigned char *)nest + NLA_HDRLEN,
			 nest->nla_len - NLA_HDRLEN, type);
}

int genl_raw_family(struct genl_raw *s, const char *name)
{
	static struct genl_answer a;
	struct genl_req r;
	const struct nlattr *id;

	genl_req_init(&r, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY);
	genl_req_put(&r, CTRL_ATTR_FAMILY_NAME, name, strlen(name) + 1);
	if (genl_raw_request(s, &r, &a))
		return a.error;
	id = genl_answer_attr(&a, CTRL_ATTR_FAMILY_ID);
	if (!id || id->nla_len < NLA_HDRLEN + sizeof(uint16_t))
		return -EBADMSG;
	return *(const uint16_t *)((const char *)id + NLA_HDRLEN);
}
