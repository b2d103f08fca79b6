// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <netlink/errno.h>
#include <netlink/genl/genl.h>
#include <netlink/handlers.h>

#include "kex_genl.h"
#include "kex_service.h"
#include "log.h"

static void remember(struct kex_service *s, uint32_t seq, uint64_t conn_id)
{
	s->sent[s->sent_next].seq = seq;
	s->sent[s->sent_next].conn_id = conn_id;
	s->sent_next = (s->sent_next + 1) % KEX_SENT_RING;
}

/* The connection of a recent reply, or 0 */
static uint64_t conn_of(const struct kex_service *s, uint32_t seq)
{
	unsigned int i;

	for (i = 0; i < KEX_SENT_RING; i++)
		if (s->sent[i].conn_id && s->sent[i].seq == seq)
			return s->sent[i].conn_id;
	return 0;
}

static void send_reply(struct kex_service *s, const struct kex_reply *rep)
{
	struct nl_msg *msg = kex_reply_build(s->reg->family, rep);
	uint32_t seq;
	int err;

	if (!msg) {
		log_warn("conn %" PRIu64 ": no memory for the key-exchange reply",
			 rep->conn_id);
		return;
	}
	/* No ACK wanted: the module reports errors anyway */
	nl_complete_msg(s->reg->sk, msg);
	nlmsg_hdr(msg)->nlmsg_flags &= ~NLM_F_ACK;
	seq = nlmsg_hdr(msg)->nlmsg_seq;
	err = nl_send(s->reg->sk, msg);
	kex_reply_msg_free(msg);
	if (err < 0) {
		log_warn("conn %" PRIu64 ": cannot send the key-exchange reply: %s",
			 rep->conn_id, strerror(tc_nlerr_to_errno(err)));
		return;
	}
	remember(s, seq, rep->conn_id);
	s->replies++;
	if (rep->error)
		s->error_replies++;
}

static int on_expiry(int64_t now, void *arg)
{
	struct kex_service *s = arg;
	unsigned int n = kex_table_expire(&s->engine.pending, now);
	int64_t next;

	if (n)
		log_debug("%u key exchange%s expired waiting for Init2", n,
			  n == 1 ? "" : "s");
	next = kex_table_next_expiry(&s->engine.pending, now);
	return next > INT32_MAX ? INT32_MAX : (int)next;
}

static void arm_expiry(struct kex_service *s)
{
	int64_t next = kex_table_next_expiry(&s->engine.pending,
					     loop_now_ms());

	loop_arm_timer(s->loop, on_expiry, s,
		       next > INT32_MAX ? INT32_MAX : (int)next);
}

static int on_message(struct nl_msg *msg, void *arg)
{
	struct kex_service *s = arg;
	struct kex_request req;
	struct kex_reply rep;
	uint32_t from = nlmsg_get_src(msg)->nl_pid;
	int err;

	if (from != s->kernel_port) {
		log_debug("ignoring a message from netlink port %" PRIu32, from);
		return NL_SKIP;
	}
	err = kex_request_parse(nlmsg_hdr(msg), s->reg->family, &req);
	if (err == -ENOMSG) {
		log_debug("ignoring a message (type %u) from tcpcrypt.ko that is no key-exchange request",
			  nlmsg_hdr(msg)->nlmsg_type);
		return NL_SKIP;
	}
	s->requests++;
	if (err) {
		if (!req.conn_id) {
			log_warn("ignoring a malformed key-exchange request without a connection id");
			return NL_SKIP;
		}
		log_debug("conn %" PRIu64 ": malformed key-exchange request",
			  req.conn_id);
		memset(&rep, 0, sizeof(rep));
		rep.conn_id = req.conn_id;
		rep.error = EBADMSG;
	} else {
		kex_engine_handle(&s->engine, &req, loop_now_ms(), &rep);
	}
	send_reply(s, &rep);
	kex_reply_wipe(&rep);
	arm_expiry(s);
	return NL_OK;
}

/* The module refused one of our replies */
static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct kex_service *s = arg;
	uint64_t conn_id = conn_of(s, e->msg.nlmsg_seq);
	char buf[512];

	if (nla->nl_pid != s->kernel_port)
		return NL_SKIP;
	s->refused_by_module++;
	tc_genl_read_extack(s->reg, e);
	tc_genl_strerror(s->reg, e->error, buf, sizeof(buf));
	/* ENOENT: the connection closed or aborted before our reply */
	if (e->error == -ENOENT)
		log_debug("conn %" PRIu64 ": tcpcrypt.ko no longer waits for the key-exchange reply: %s",
			  conn_id, buf);
	else
		log_warn("conn %" PRIu64 ": tcpcrypt.ko refused the key-exchange reply: %s",
			 conn_id, buf);
	return NL_SKIP;
}

/* The module's requests have sequence number 0: take every message */
static int any_seq(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

void kex_service_read(struct kex_service *s)
{
	unsigned int i;
	int err;

	for (i = 0; i < KEX_READ_BUDGET; i++) {
		err = nl_recvmsgs(s->reg->sk, s->cb);
		if (err == -NLE_AGAIN)
			return;
		if (err < 0) {
			/* ENOBUFS: requests lost; the module times them out */
			log_warn("reading key-exchange requests from tcpcrypt.ko: %s",
				 err == -NLE_NOMEM && errno == ENOBUFS ?
				 "receive buffer overrun, requests were lost" :
				 strerror(tc_nlerr_to_errno(err)));
			return;
		}
	}
}

static void on_readable(int fd, short revents, void *arg)
{
	(void)fd;
	(void)revents;
	kex_service_read(arg);
}

int kex_service_start(struct kex_service *s, struct loop *l,
		      struct tc_genl *reg, const struct options *o)
{
	int err;

	memset(s, 0, sizeof(*s));
	s->reg = reg;
	err = kex_engine_init(&s->engine, o->teps, o->n_teps, o->aeads,
			      o->n_aeads);
	if (err) {
		log_err("cannot serve the key exchange: %s", strerror(-err));
		return err;
	}
	s->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!s->cb) {
		err = -ENOMEM;
		goto err_engine;
	}
	nl_cb_set(s->cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, any_seq, NULL);
	nl_cb_set(s->cb, NL_CB_VALID, NL_CB_CUSTOM, on_message, s);
	nl_cb_err(s->cb, NL_CB_CUSTOM, on_error, s);

	/* Best effort: the default buffer holds fewer requests */
	nl_socket_set_buffer_size(reg->sk, KEX_RCVBUF, 0);
	err = loop_add_fd(l, tc_genl_fd(reg), POLLIN, on_readable, s);
	if (err)
		goto err_cb;
	err = loop_add_timer(l, on_expiry, s, -1);
	if (err)
		goto err_fd;
	s->loop = l;
	return 0;

err_fd:
	loop_del_fd(l, tc_genl_fd(reg));
err_cb:
	nl_cb_put(s->cb);
	s->cb = NULL;
err_engine:
	kex_engine_destroy(&s->engine);
	log_err("cannot watch the registered netlink socket: %s",
		strerror(-err));
	return err;
}

void kex_service_stop(struct kex_service *s)
{
	if (!s->loop)
		return;
	loop_del_timer(s->loop, on_expiry, s);
	loop_del_fd(s->loop, tc_genl_fd(s->reg));
	nl_cb_put(s->cb);
	kex_engine_destroy(&s->engine);
	s->loop = NULL;
}
