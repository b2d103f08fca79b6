// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The key-exchange service over real netlink sockets: a socket of this
 * test plays tcpcrypt.ko (unicasting requests to the daemons' registered
 * sockets, which send their replies back to it), two services play the
 * daemons of hosts A and B. Sending to another socket's port needs
 * CAP_NET_ADMIN: without it the tests are skipped.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "kex_service.h"
#include "kex_util.h"
#include "kselftest_harness.h"
#include "log.h"

#define FAMILY	0x2b

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

/* One reply as the module sees it */
struct answer {
	uint32_t from;
	uint16_t flags;
	uint32_t seq;
	uint64_t conn_id;
	uint32_t error;
	size_t init_len;
	uint8_t init[TCPCRYPT_MAX_INIT_LEN];
	bool has_prk;
	uint8_t prk[TCPCRYPT_PRK_LEN];
	uint16_t aead;
};

FIXTURE(svc) {
	struct nl_sock *kernel;
	struct tc_genl reg_a, reg_b;
	struct loop loop;
	struct kex_service a, b;
	struct answer ans;
	bool started;
};

static int open_sock(struct nl_sock **sk)
{
	*sk = nl_socket_alloc();
	if (!*sk)
		return -ENOMEM;
	return nl_connect(*sk, NETLINK_GENERIC) ? -EIO : 0;
}

/* A registered daemon socket whose replies go to the fake module */
static int open_daemon(FIXTURE_DATA(svc) *self, struct tc_genl *reg)
{
	int err = open_sock(&reg->sk);

	if (err)
		return err;
	reg->family = FAMILY;
	nl_socket_set_nonblocking(reg->sk);
	nl_socket_set_peer_port(reg->sk, nl_socket_get_local_port(self->kernel));
	return 0;
}

static void set_lists(struct options *o, const uint8_t *teps, unsigned int nt,
		      const uint16_t *aeads, unsigned int na)
{
	memset(o, 0, sizeof(*o));
	memcpy(o->teps, teps, nt);
	o->n_teps = nt;
	memcpy(o->aeads, aeads, na * sizeof(*aeads));
	o->n_aeads = na;
}

FIXTURE_SETUP(svc)
{
	static const uint8_t teps_a[] = { TCPCRYPT_TEP_P256,
					  TCPCRYPT_TEP_X25519 };
	static const uint8_t teps_b[] = { TCPCRYPT_TEP_X25519 };
	static const uint16_t aeads_a[] = { TCPCRYPT_AEAD_AES_128_GCM,
					    TCPCRYPT_AEAD_CHACHA20_POLY1305 };
	static const uint16_t aeads_b[] = { TCPCRYPT_AEAD_CHACHA20_POLY1305 };
	struct options o;

	log_set_verbosity(-2);
	loop_init(&self->loop);
	ASSERT_EQ(0, open_sock(&self->kernel));
	ASSERT_EQ(0, open_daemon(self, &self->reg_a));
	ASSERT_EQ(0, open_daemon(self, &self->reg_b));
	set_lists(&o, teps_a, 2, aeads_a, 2);
	ASSERT_EQ(0, kex_service_start(&self->a, &self->loop, &self->reg_a,
				       &o));
	set_lists(&o, teps_b, 1, aeads_b, 1);
	ASSERT_EQ(0, kex_service_start(&self->b, &self->loop, &self->reg_b,
				       &o));
	self->a.kernel_port = nl_socket_get_local_port(self->kernel);
	self->b.kernel_port = self->a.kernel_port;
	self->started = true;
}

FIXTURE_TEARDOWN(svc)
{
	if (self->started) {
		kex_service_stop(&self->a);
		kex_service_stop(&self->b);
	}
	nl_socket_free(self->reg_a.sk);
	nl_socket_free(self->reg_b.sk);
	nl_socket_free(self->kernel);
}

static uint32_t port_of(struct tc_genl *reg)
{
	return nl_socket_get_local_port(reg->sk);
}

/* Unicast msg (consumed) from sk to port, as the kernel does */
static int unicast(struct nl_sock *sk, uint32_t port, struct nl_msg *msg)
{
	int err;

	nl_socket_set_peer_port(sk, port);
	err = nl_send(sk, msg);
	nlmsg_free(msg);
	return err < 0 ? -tc_nlerr_to_errno(err) : 0;
}

static struct nl_msg *request(uint64_t id, uint8_t op, uint8_t tep,
			      const uint8_t *init, size_t init_len)
{
	uint8_t t[KEX_TEST_TRANSCRIPT_MAX];
	struct nl_msg *m = nlmsg_alloc();

	if (!m || !genlmsg_put(m, 0, 0, FAMILY, 0, 0,
			       TCPCRYPT_CMD_KEX_REQUEST, 1))
		abort();
	nla_put_u64(m, TCPCRYPT_A_CONN_ID, id);
	nla_put_u8(m, TCPCRYPT_A_KEX_OP, op);
	nla_put_u8(m, TCPCRYPT_A_TEP, tep);
	nla_put(m, TCPCRYPT_A_TRANSCRIPT, (int)kex_test_transcript(tep, t), t);
	if (init)
		nla_put(m, TCPCRYPT_A_INIT_MSG, (int)init_len, init);
	return m;
}

/* The next message the fake module receives, within ms; 0 or -ETIMEDOUT */
static int receive(FIXTURE_DATA(svc) *self, int ms)
{
	struct pollfd p = { .fd = nl_socket_get_fd(self->kernel),
			    .events = POLLIN };
	struct nlattr *tb[TCPCRYPT_A_MAX + 1];
	struct answer *a = &self->ans;
	struct sockaddr_nl from;
	unsigned char *buf = NULL;
	struct nlmsghdr *nlh;
	int n, err = -EBADMSG;

	memset(a, 0, sizeof(*a));
	if (poll(&p, 1, ms) != 1)
		return -ETIMEDOUT;
	n = nl_recv(self->kernel, &from, &buf, NULL);
	if (n <= 0)
		return -EIO;
	nlh = (struct nlmsghdr *)buf;
	if (!nlmsg_ok(nlh, n) || nlh->nlmsg_type != FAMILY ||
	    genlmsg_parse(nlh, 0, tb, TCPCRYPT_A_MAX, reply_policy) ||
	    !tb[TCPCRYPT_A_CONN_ID])
		goto out;
	a->from = from.nl_pid;
	a->flags = nlh->nlmsg_flags;
	a->seq = nlh->nlmsg_seq;
	a->conn_id = nla_get_u64(tb[TCPCRYPT_A_CONN_ID]);
	if (tb[TCPCRYPT_A_KEX_ERROR])
		a->error = nla_get_u32(tb[TCPCRYPT_A_KEX_ERROR]);
	if (tb[TCPCRYPT_A_INIT_MSG]) {
		a->init_len = (size_t)nla_len(tb[TCPCRYPT_A_INIT_MSG]);
		memcpy(a->init, nla_data(tb[TCPCRYPT_A_INIT_MSG]), a->init_len);
	}
	if (tb[TCPCRYPT_A_PRK]) {
		a->has_prk = true;
		memcpy(a->prk, nla_data(tb[TCPCRYPT_A_PRK]), TCPCRYPT_PRK_LEN);
	}
	if (tb[TCPCRYPT_A_AEAD])
		a->aead = nla_get_u16(tb[TCPCRYPT_A_AEAD]);
	err = 0;
out:
	free(buf);
	return err;
}

/* Send a request to a daemon, let the loop answer, fetch the answer */
static int ask(FIXTURE_DATA(svc) *self, struct tc_genl *reg,
	       struct nl_msg *msg)
{
	int err = unicast(self->kernel, port_of(reg), msg);

	if (err)
		return err;
	if (loop_run_once(&self->loop, 1000))
		return -EIO;
	return receive(self, 1000);
}

#define ASK(reg, msg) do { \
	int __err = ask(self, reg, msg); \
	if (__err == -EPERM) \
		SKIP(return, "sending to another netlink port needs CAP_NET_ADMIN"); \
	ASSERT_EQ(0, __err); \
} while (0)

TEST_F(svc, full_exchange_between_two_daemons)
{
	uint8_t init1[TCPCRYPT_MAX_INIT_LEN], prk_b[TCPCRYPT_PRK_LEN];
	size_t init1_len;

	ASK(&self->reg_a, request(41, TCPCRYPT_KEX_INIT1_NEEDED,
				  TCPCRYPT_TEP_X25519, NULL, 0));
	EXPECT_EQ(port_of(&self->reg_a), self->ans.from);
	EXPECT_EQ(41, self->ans.conn_id);
	EXPECT_EQ(0, self->ans.error);
	EXPECT_FALSE(self->ans.has_prk);
	ASSERT_EQ(75 + 2, self->ans.init_len);
	/* Replies want no ACK, and each has its own sequence number */
	EXPECT_FALSE(self->ans.flags & NLM_F_ACK);
	EXPECT_TRUE(self->ans.flags & NLM_F_REQUEST);
	EXPECT_NE(0, self->ans.seq);
	init1_len = self->ans.init_len;
	memcpy(init1, self->ans.init, init1_len);

	ASK(&self->reg_b, request(17, TCPCRYPT_KEX_INIT1_RECEIVED,
				  TCPCRYPT_TEP_X25519, init1, init1_len));
	EXPECT_EQ(port_of(&self->reg_b), self->ans.from);
	EXPECT_EQ(17, self->ans.conn_id);
	ASSERT_EQ(0, self->ans.error);
	ASSERT_EQ(74, self->ans.init_len);
	ASSERT_TRUE(self->ans.has_prk);
	EXPECT_EQ(TCPCRYPT_AEAD_CHACHA20_POLY1305, self->ans.aead);
	memcpy(prk_b, self->ans.prk, sizeof(prk_b));

	ASK(&self->reg_a, request(41, TCPCRYPT_KEX_INIT2_RECEIVED,
				  TCPCRYPT_TEP_X25519, self->ans.init,
				  self->ans.init_len));
	ASSERT_EQ(0, self->ans.error);
	EXPECT_EQ(0, self->ans.init_len);
	ASSERT_TRUE(self->ans.has_prk);
	EXPECT_EQ(TCPCRYPT_AEAD_CHACHA20_POLY1305, self->ans.aead);
	EXPECT_EQ(0, memcmp(prk_b, self->ans.prk, sizeof(prk_b)));
	EXPECT_EQ(0, self->a.engine.pending.count);
	EXPECT_EQ(2, self->a.replies);
	EXPECT_EQ(0, self->a.error_replies);
}

TEST_F(svc, refusals_reach_the_module)
{
	/* B announced X25519 only */
	ASK(&self->reg_b, request(5, TCPCRYPT_KEX_INIT1_NEEDED,
				  TCPCRYPT_TEP_P256, NULL, 0));
	EXPECT_EQ(5, self->ans.conn_id);
	EXPECT_EQ(EPROTONOSUPPORT, self->ans.error);
	EXPECT_EQ(0, self->ans.init_len);
	EXPECT_FALSE(self->ans.has_prk);
	ASK(&self->reg_a, request(6, TCPCRYPT_KEX_INIT2_RECEIVED,
				  TCPCRYPT_TEP_X25519, (const uint8_t *)"x", 1));
	EXPECT_EQ(ENOENT, self->ans.error);
	EXPECT_EQ(1, self->a.error_replies);
}

TEST_F(svc, malformed_request_with_an_id_gets_ebadmsg)
{
	struct nl_msg *m = request(8, TCPCRYPT_KEX_INIT1_NEEDED,
				   TCPCRYPT_TEP_X25519, NULL, 0);

	nla_put_u8(m, TCPCRYPT_A_TEP, TCPCRYPT_TEP_X25519);	/* twice */
	ASK(&self->reg_a, m);
	EXPECT_EQ(8, self->ans.conn_id);
	EXPECT_EQ(EBADMSG, self->ans.error);
	EXPECT_EQ(0, self->a.engine.pending.count);
}

TEST_F(svc, what_cannot_be_answered_is_ignored)
{
	struct nl_sock *intruder;
	struct nl_msg *m;
	int err;

	/* No connection id: nothing to answer */
	m = nlmsg_alloc();
	ASSERT_NE(NULL, m);
	genlmsg_put(m, 0, 0, FAMILY, 0, 0, TCPCRYPT_CMD_KEX_REQUEST, 1);
	nla_put_u8(m, TCPCRYPT_A_KEX_OP, TCPCRYPT_KEX_INIT1_NEEDED);
	err = unicast(self->kernel, port_of(&self->reg_a), m);
	if (err == -EPERM)
		SKIP(return, "sending to another netlink port needs CAP_NET_ADMIN");
	ASSERT_EQ(0, err);
	/* Another command of the family */
	m = nlmsg_alloc();
	ASSERT_NE(NULL, m);
	genlmsg_put(m, 0, 0, FAMILY, 0, 0, TCPCRYPT_CMD_STATUS_GET, 1);
	ASSERT_EQ(0, unicast(self->kernel, port_of(&self->reg_a), m));
	/* A well-formed request from a socket that is not the module */
	ASSERT_EQ(0, open_sock(&intruder));
	ASSERT_EQ(0, unicast(intruder, port_of(&self->reg_a),
			     request(9, TCPCRYPT_KEX_INIT1_NEEDED,
				     TCPCRYPT_TEP_X25519, NULL, 0)));
	nl_socket_free(intruder);

	ASSERT_EQ(0, loop_run_once(&self->loop, 1000));
	EXPECT_EQ(-ETIMEDOUT, receive(self, 200));
	EXPECT_EQ(1, self->a.requests);
	EXPECT_EQ(0, self->a.replies);
	EXPECT_EQ(0, self->a.engine.pending.count);
}

/* The module refused a reply: counted and logged, the service goes on */
TEST_F(svc, module_errors_about_replies)
{
	struct nlmsgerr *e;
	struct nl_msg *m;
	int i;

	ASK(&self->reg_a, request(3, TCPCRYPT_KEX_INIT1_NEEDED,
				  TCPCRYPT_TEP_X25519, NULL, 0));
	for (i = 0; i < 2; i++) {
		m = nlmsg_alloc_simple(NLMSG_ERROR, 0);
		ASSERT_NE(NULL, m);
		e = nlmsg_reserve(m, sizeof(*e), NLMSG_ALIGNTO);
		ASSERT_NE(NULL, e);
		e->error = i ? -ENOENT : -EINVAL;
		e->msg.nlmsg_len = NLMSG_HDRLEN;
		e->msg.nlmsg_type = FAMILY;
		e->msg.nlmsg_seq = self->ans.seq;
		e->msg.nlmsg_pid = port_of(&self->reg_a);
		ASSERT_EQ(0, unicast(self->kernel, port_of(&self->reg_a), m));
	}
	ASSERT_EQ(0, loop_run_once(&self->loop, 1000));
	EXPECT_EQ(2, self->a.refused_by_module);
	/* Still serving */
	ASK(&self->reg_a, request(4, TCPCRYPT_KEX_INIT1_NEEDED,
				  TCPCRYPT_TEP_X25519, NULL, 0));
	EXPECT_EQ(0, self->ans.error);
	EXPECT_EQ(2, self->a.engine.pending.count);
}

TEST_F(svc, waiting_exchanges_arm_the_expiry_timer)
{
	int64_t now = loop_now_ms(), due = -1;
	unsigned int i;

	ASK(&self->reg_a, request(3, TCPCRYPT_KEX_INIT1_NEEDED,
				  TCPCRYPT_TEP_X25519, NULL, 0));
	for (i = 0; i < self->loop.ntimers; i++)
		if (self->loop.timers[i].arg == &self->a)
			due = self->loop.timers[i].due;
	EXPECT_LE(now + KEX_STATE_TTL_MS, due);
	EXPECT_GE(now + KEX_STATE_TTL_MS + 5000, due);
}

/* A burst larger than one wake-up's budget is answered in full */
TEST_F(svc, burst_of_requests)
{
	unsigned int i, replies = 0;
	int err;

	for (i = 1; i <= KEX_READ_BUDGET + 36; i++) {
		err = unicast(self->kernel, port_of(&self->reg_a),
			      request(i, TCPCRYPT_KEX_INIT1_NEEDED,
				      TCPCRYPT_TEP_X25519, NULL, 0));
		if (err == -EPERM)
			SKIP(return, "sending to another netlink port needs CAP_NET_ADMIN");
		ASSERT_EQ(0, err);
	}
	ASSERT_EQ(0, loop_run_once(&self->loop, 1000));
	EXPECT_EQ(KEX_READ_BUDGET, self->a.replies);
	/* Our socket's buffer holds about one wake-up's worth of replies */
	while (!receive(self, 200)) {
		EXPECT_EQ(0, self->ans.error);
		replies++;
	}
	ASSERT_EQ(0, loop_run_once(&self->loop, 1000));
	while (!receive(self, 200)) {
		EXPECT_EQ(0, self->ans.error);
		replies++;
	}
	EXPECT_EQ(KEX_READ_BUDGET + 36, replies);
	EXPECT_EQ(KEX_READ_BUDGET + 36, self->a.engine.pending.count);
}

/*
 * At shutdown the daemon unregisters over the registered socket, where
 * requests of the module may already wait: its transaction must skip
 * them and take the answer to its own request.
 */
TEST_F(svc, transaction_skips_queued_requests)
{
	struct nlmsgerr *e;
	struct nl_msg *m;
	uint32_t seq;
	int err, fd;

	err = unicast(self->kernel, port_of(&self->reg_a),
		      request(3, TCPCRYPT_KEX_INIT1_NEEDED,
			      TCPCRYPT_TEP_X25519, NULL, 0));
	if (err == -EPERM)
		SKIP(return, "sending to another netlink port needs CAP_NET_ADMIN");
	ASSERT_EQ(0, err);
	/* The ACK of the request about to be sent is queued after it */
	seq = nl_socket_use_seq(self->reg_a.sk) + 1;
	m = nlmsg_alloc_simple(NLMSG_ERROR, 0);
	ASSERT_NE(NULL, m);
	e = nlmsg_reserve(m, sizeof(*e), NLMSG_ALIGNTO);
	ASSERT_NE(NULL, e);
	e->error = 0;
	e->msg.nlmsg_len = NLMSG_HDRLEN;
	e->msg.nlmsg_seq = seq;
	nlmsg_hdr(m)->nlmsg_seq = seq;
	ASSERT_EQ(0, unicast(self->kernel, port_of(&self->reg_a), m));

	fd = nl_socket_get_fd(self->reg_a.sk);
	ASSERT_EQ(0, fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK));
	m = tc_genl_request(&self->reg_a, TCPCRYPT_CMD_DAEMON_UNREGISTER, 0);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(0, tc_genl_transact(&self->reg_a, m, NULL, NULL));
	/* The fake module got the request itself */
	EXPECT_EQ(-EBADMSG, receive(self, 1000));
}

TEST_HARNESS_MAIN
