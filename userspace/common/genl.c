// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/handlers.h>

#include "genl.h"
#include "util.h"

#if LIBNL_VER_NUM < LIBNL_VER(3, 2)
#error "libnl 3.2 or newer is needed"
#endif

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Attributes the module sends at the top level of its messages */
static struct nla_policy top_policy[TCPCRYPT_A_MAX + 1] = {
	[TCPCRYPT_A_DAEMON_PID]		= { .type = NLA_U32 },
	[TCPCRYPT_A_DAEMON_PORTID]	= { .type = NLA_U32 },
	[TCPCRYPT_A_TEPS]		= { .type = NLA_UNSPEC, .minlen = 1,
					    .maxlen = TCPCRYPT_MAX_TEPS },
	[TCPCRYPT_A_AEADS]		= { .type = NLA_UNSPEC, .minlen = 2,
					    .maxlen = 2 * TCPCRYPT_MAX_AEADS },
	[TCPCRYPT_A_DAEMON_REGISTERED]	= { .type = NLA_U8 },
	[TCPCRYPT_A_VERSION]		= { .type = NLA_STRING, .maxlen = 32 },
	[TCPCRYPT_A_STATS]		= { .type = NLA_NESTED },
	[TCPCRYPT_A_NETNS_INO]		= { .type = NLA_U32 },
	[TCPCRYPT_A_DIVERT_MARK]	= { .type = NLA_U32 },
	[TCPCRYPT_A_CONN]		= { .type = NLA_NESTED },
	[TCPCRYPT_A_SESSIONS_CACHED]	= { .type = NLA_U32 },
};

struct transact {
	struct tc_genl *g;
	tc_genl_reply_fn fn;
	void *arg;
	int err;	/* first error: kernel, parse, or fn */
	bool done;
	uint32_t seq;	/* of our request: the answer carries it */
};

int tc_nlerr_to_errno(int nlerr)
{
	static const struct {
		int nle;
		int err;
	} map[] = {
		{ NLE_NOMEM, ENOMEM },
		{ NLE_PERM, EPERM },
		{ NLE_NOACCESS, EACCES },
		{ NLE_OBJ_NOTFOUND, ENOENT },
		{ NLE_AGAIN, EAGAIN },
		{ NLE_INTR, EINTR },
		{ NLE_BUSY, EBUSY },
		{ NLE_INVAL, EINVAL },
		{ NLE_RANGE, ERANGE },
		{ NLE_MSGSIZE, EMSGSIZE },
		{ NLE_MSG_TRUNC, EMSGSIZE },
		{ NLE_MSG_OVERFLOW, ENOBUFS },
		{ NLE_DUMP_INTR, EAGAIN },
		{ NLE_OPNOTSUPP, EOPNOTSUPP },
		{ NLE_AF_NOSUPPORT, EAFNOSUPPORT },
		{ NLE_EXIST, EEXIST },
		{ NLE_NODEV, ENODEV },
		{ NLE_BAD_SOCK, EBADF },
		{ NLE_PROTO_MISMATCH, EPROTONOSUPPORT },
		{ NLE_SEQ_MISMATCH, EPROTO },
		{ NLE_PARSE_ERR, EBADMSG },
	};
	size_t i;

	if (nlerr < 0)
		nlerr = -nlerr;
	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (map[i].nle == nlerr)
			return map[i].err;
	return EIO;
}

/*
 * Ask for error strings (extended ACK) and for ACKs that do not echo our
 * request. Kernels without them ignore the request; errors still work.
 */
static void enable_ext_ack(struct nl_sock *sk)
{
	int fd = nl_socket_get_fd(sk), one = 1;

	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
}

int tc_genl_open(struct tc_genl *g)
{
	int err;

	memset(g, 0, sizeof(*g));
	g->sk = nl_socket_alloc();
	if (!g->sk)
		return -ENOMEM;
	err = genl_connect(g->sk);
	if (err < 0)
		goto err_free;
	enable_ext_ack(g->sk);

	g->family = genl_ctrl_resolve(g->sk, TCPCRYPT_GENL_NAME);
	if (g->family < 0) {
		err = g->family;
		goto err_free;
	}
	return 0;

err_free:
	nl_socket_free(g->sk);
	g->sk = NULL;
	return -tc_nlerr_to_errno(err);
}

void tc_genl_close(struct tc_genl *g)
{
	if (g->sk)
		nl_socket_free(g->sk);
	g->sk = NULL;
}

int tc_genl_fd(const struct tc_genl *g)
{
	return nl_socket_get_fd(g->sk);
}

struct nl_msg *tc_genl_request(const struct tc_genl *g, uint8_t cmd,
			       int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, g->family, 0, flags,
			 cmd, TCPCRYPT_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static void set_err(struct transact *t, int err)
{
	if (!t->err)
		t->err = err;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[TCPCRYPT_A_MAX + 1];
	struct transact *t = arg;
	int err;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, TCPCRYPT_A_MAX,
			  top_policy) < 0) {
		set_err(t, -EBADMSG);
		return NL_SKIP;
	}
	if (t->fn) {
		err = t->fn(tb, t->arg);
		if (err)
			set_err(t, err);
	}
	return NL_OK;
}

void tc_genl_read_extack(struct tc_genl *g, const struct nlmsgerr *e)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)
		((const char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);

	g->extack[0] = '\0';
	g->cookie_len = 0;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	off = NLMSG_ALIGN(off);
	if (nlh->nlmsg_len < NLMSG_HDRLEN + off)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)e + off),
		      (int)(nlh->nlmsg_len - NLMSG_HDRLEN - off), NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(g->extack, tb[NLMSGERR_ATTR_MSG],
			    sizeof(g->extack));
	if (tb[NLMSGERR_ATTR_COOKIE] &&
	    nla_len(tb[NLMSGERR_ATTR_COOKIE]) <= (int)sizeof(g->cookie)) {
		g->cookie_len = (size_t)nla_len(tb[NLMSGERR_ATTR_COOKIE]);
		memcpy(g->cookie, nla_data(tb[NLMSGERR_ATTR_COOKIE]),
		       g->cookie_len);
	}
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct transact *t = arg;

	(void)nla;
	tc_genl_read_extack(t->g, e);
	set_err(t, e->error < 0 ? e->error : -EPROTO);
	t->done = true;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct transact *t = arg;

	(void)msg;
	t->done = true;
	return NL_STOP;
}

/* NLMSG_DONE of a dump; an error met during the dump rides in it */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct transact *t = arg;
	int err;

	if (nlmsg_datalen(nlh) >= (int)sizeof(int)) {
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
		if (err < 0)
			set_err(t, err);
	}
	t->done = true;
	return NL_STOP;
}

/*
 * The registered daemon's socket also receives the module's unsolicited
 * key-exchange requests (sequence number 0) and the answers to its
 * replies: a transaction on it skips every message that does not answer
 * its own request.
 */
static int only_our_answer(struct nl_msg *msg, void *arg)
{
	struct transact *t = arg;

	return nlmsg_hdr(msg)->nlmsg_seq == t->seq ? NL_OK : NL_SKIP;
}

int tc_genl_transact(struct tc_genl *g, struct nl_msg *msg,
		     tc_genl_reply_fn fn, void *arg)
{
	struct transact t = { .g = g, .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int err;

	g->extack[0] = '\0';
	g->cookie_len = 0;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		err = -ENOMEM;
		goto out_free_msg;
	}
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, only_our_answer, &t);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &t);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &t);

	nl_complete_msg(g->sk, msg);
	t.seq = nlmsg_hdr(msg)->nlmsg_seq;
	err = nl_send(g->sk, msg);
	if (err < 0) {
		err = -tc_nlerr_to_errno(err);
		goto out_put_cb;
	}
	while (!t.done) {
		err = nl_recvmsgs(g->sk, cb);
		/* on_error() stops the read with the kernel's errno in t.err */
		if (err < 0 && !t.done) {
			set_err(&t, -tc_nlerr_to_errno(err));
			break;
		}
	}
	err = t.err;

out_put_cb:
	nl_cb_put(cb);
out_free_msg:
	nlmsg_free(msg);
	return err;
}

const char *tc_genl_open_strerror(int err, char *buf, size_t len)
{
	if (err == -ENOENT)
		snprintf(buf, len, "%s", TC_GENL_NOT_FOUND_MSG);
	else
		snprintf(buf, len, "cannot open a generic netlink socket: %s",
			 strerror(-err));
	return buf;
}

const char *tc_genl_strerror(const struct tc_genl *g, int err, char *buf,
			     size_t len)
{
	if (g && g->extack[0])
		snprintf(buf, len, "%s (%s)", strerror(-err), g->extack);
	else
		snprintf(buf, len, "%s", strerror(-err));
	return buf;
}
