// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed and unauthorised requests to the "tcpcrypt" generic netlink
 * family: each must get a clean error (never a crash, a hang or a kernel
 * warning), and leave the namespace's state as it was. Run it as root in a
 * namespace of its own with tcpcrypt.ko loaded (test_netlink_fuzz.sh).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/tcpcrypt.h>

#include "kselftest_harness.h"
#include "genl_raw.h"

#define NOBODY 65534

struct tc_status {
	int registered;
	uint32_t pid;
	uint64_t registrations;
	uint64_t losses;
	unsigned char teps[TCPCRYPT_MAX_TEPS];
	size_t n_teps;
};

static uint64_t stat_u64(const struct nlattr *stats, uint16_t type)
{
	const struct nlattr *a = stats ? genl_nest_attr(stats, type) : NULL;
	uint64_t v = UINT64_MAX;

	if (a && a->nla_len == NLA_HDRLEN + sizeof(v))
		memcpy(&v, (const char *)a + NLA_HDRLEN, sizeof(v));
	return v;
}

/* STATUS_GET on @s; 0 or a negative errno */
static int get_status(struct genl_raw *s, int fam, struct tc_status *st)
{
	static struct genl_answer a;
	const struct nlattr *reg, *pid, *teps, *stats;
	struct genl_req r;

	memset(st, 0, sizeof(*st));
	genl_req_init(&r, fam, 0, TCPCRYPT_CMD_STATUS_GET);
	if (genl_raw_request(s, &r, &a))
		return a.error;
	reg = genl_answer_attr(&a, TCPCRYPT_A_DAEMON_REGISTERED);
	if (!reg || a.n_replies != 1)
		return -EBADMSG;
	st->registered = *((const uint8_t *)reg + NLA_HDRLEN);
	pid = genl_answer_attr(&a, TCPCRYPT_A_DAEMON_PID);
	if (pid)
		memcpy(&st->pid, (const char *)pid + NLA_HDRLEN, sizeof(st->pid));
	teps = genl_answer_attr(&a, TCPCRYPT_A_TEPS);
	if (teps && (size_t)(teps->nla_len - NLA_HDRLEN) <= sizeof(st->teps)) {
		st->n_teps = teps->nla_len - NLA_HDRLEN;
		memcpy(st->teps, (const char *)teps + NLA_HDRLEN, st->n_teps);
	}
	stats = genl_answer_attr(&a, TCPCRYPT_A_STATS);
	st->registrations = stat_u64(stats, TCPCRYPT_STATS_A_DAEMON_REGISTRATIONS);
	st->losses = stat_u64(stats, TCPCRYPT_STATS_A_DAEMON_LOSSES);
	return 0;
}

/* A well-formed registration: x25519 < p256, AES-128-GCM > ChaCha20 */
static void valid_register(struct genl_req *r, int fam)
{
	static const unsigned char teps[] = { TCPCRYPT_TEP_X25519,
					      TCPCRYPT_TEP_P256 };
	const uint16_t aeads[] = { htons(TCPCRYPT_AEAD_AES_128_GCM),
				   htons(TCPCRYPT_AEAD_CHACHA20_POLY1305) };

	genl_req_init(r, fam, 0, TCPCRYPT_CMD_DAEMON_REGISTER);
	genl_req_put_u32(r, TCPCRYPT_A_DAEMON_PID, getpid());
	genl_req_put(r, TCPCRYPT_A_TEPS, teps, sizeof(teps));
	genl_req_put(r, TCPCRYPT_A_AEADS, aeads, sizeof(aeads));
}

static int simple_cmd(struct genl_raw *s, int fam, uint8_t cmd,
		      uint16_t flags)
{
	static struct genl_answer a;
	struct genl_req r;

	genl_req_init(&r, fam, flags, cmd);
	return genl_raw_request(s, &r, &a);
}

static int drop_privileges(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -errno;
	return 0;
}

/* Shared by both fixtures: a socket, the family id, the state before */
struct nl_ctx {
	struct genl_raw s;
	int fam;
	struct tc_status before;
	/* what a test legitimately changed */
	int registrations_delta;
	int losses_delta;
};

static int ctx_setup(struct __test_metadata *_metadata, struct nl_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->s.fd = -1;
	if (genl_raw_open(&c->s)) {
		TH_LOG("cannot open a generic netlink socket: %s", strerror(errno));
		return -1;
	}
	c->fam = genl_raw_family(&c->s, TCPCRYPT_GENL_NAME);
	if (c->fam == -ENOENT)
		return 1;
	if (c->fam <= 0 || get_status(&c->s, c->fam, &c->before)) {
		TH_LOG("cannot query the tcpcrypt family (%d)", c->fam);
		return -1;
	}
	if (c->before.registered) {
		TH_LOG("a daemon is registered here: run in a namespace of its own");
		return -1;
	}
	return 0;
}

/* The namespace's state is what it was, apart from the test's own deltas */
static void ctx_teardown(struct __test_metadata *_metadata, struct nl_ctx *c)
{
	struct tc_status after;

	if (c->fam > 0) {
		ASSERT_EQ(0, get_status(&c->s, c->fam, &after));
		EXPECT_EQ(0, after.registered);
		EXPECT_EQ(c->before.registrations + c->registrations_delta,
			  after.registrations);
		EXPECT_EQ(c->before.losses + c->losses_delta, after.losses);
	}
	genl_raw_close(&c->s);
}

FIXTURE(nl) {
	struct nl_ctx c;
};

FIXTURE_SETUP(nl)
{
	int ret = ctx_setup(_metadata, &self->c);

	if (ret > 0)
		SKIP(return, "tcpcrypt.ko is not loaded");
	ASSERT_EQ(0, ret);
}

FIXTURE_TEARDOWN(nl)
{
	ctx_teardown(_metadata, &self->c);
}

TEST_F(nl, unknown_commands)
{
	static const uint8_t cmds[] = { TCPCRYPT_CMD_UNSPEC,
					TCPCRYPT_CMD_MAX + 1, 42, 255 };
	size_t i;

	for (i = 0; i < sizeof(cmds); i++) {
		EXPECT_EQ(-EOPNOTSUPP, simple_cmd(&self->c.s, self->c.fam,
						  cmds[i], 0))
			TH_LOG("command %u", cmds[i]);
	}
}

TEST_F(nl, dump_of_commands_without_dump)
{
	EXPECT_EQ(-EOPNOTSUPP, simple_cmd(&self->c.s, self->c.fam,
					  TCPCRYPT_CMD_STATUS_GET, NLM_F_DUMP));
	EXPECT_EQ(-EOPNOTSUPP, simple_cmd(&self->c.s, self->c.fam,
					  TCPCRYPT_CMD_DAEMON_REGISTER,
					  NLM_F_DUMP));
	EXPECT_EQ(-EOPNOTSUPP, simple_cmd(&self->c.s, self->c.fam,
					  TCPCRYPT_CMD_STATS_RESET,
					  NLM_F_DUMP));
}

TEST_F(nl, truncated_genl_header)
{
	struct genl_answer *a = malloc(sizeof(*a));
	struct genl_req r;

	ASSERT_NE(NULL, a);
	valid_register(&r, self->c.fam);
	r.nlh.nlmsg_len = NLMSG_HDRLEN + 2;
	EXPECT_EQ(-EINVAL, genl_raw_send(&self->c.s, r.buf,
					 r.nlh.nlmsg_len, a));
	free(a);
}

TEST_F(nl, attribute_overruns_message)
{
	struct genl_answer *a = malloc(sizeof(*a));
	struct nlattr *last;
	struct genl_req r;
	size_t off;

	ASSERT_NE(NULL, a);
	valid_register(&r, self->c.fam);
	off = r.nlh.nlmsg_len;
	genl_req_put_u32(&r, TCPCRYPT_A_DIVERT_MARK, 0);
	last = (struct nlattr *)(r.buf + off);
	last->nla_len = 200;
	EXPECT_EQ(-EINVAL, genl_raw_request(&self->c.s, &r, a));
	free(a);
}

TEST_F(nl, message_longer_than_datagram)
{
	struct genl_answer *a = malloc(sizeof(*a));
	struct genl_req r;
	struct tc_status st;

	ASSERT_NE(NULL, a);
	/* The kernel drops such a datagram without an answer */
	valid_register(&r, self->c.fam);
	r.nlh.nlmsg_len += 64;
	EXPECT_EQ(-ETIMEDOUT, genl_raw_send(&self->c.s, r.buf,
					    r.nlh.nlmsg_len - 64, a));
	/* ... and the socket keeps working */
	EXPECT_EQ(0, get_status(&self->c.s, self->c.fam, &st));
	free(a);
}

TEST_F(nl, unprivileged_requests)
{
	struct genl_answer *a = malloc(sizeof(*a));
	struct tc_status st;
	struct genl_raw s2;
	struct genl_req r;

	ASSERT_NE(NULL, a);
	ASSERT_EQ(0, drop_privileges());
	ASSERT_EQ(0, genl_raw_open(&s2));

	/* A socket opened without privileges, and one opened as root */
	valid_register(&r, self->c.fam);
	EXPECT_EQ(-EPERM, genl_raw_request(&s2, &r, a));
	EXPECT_EQ(-EPERM, genl_raw_request(&self->c.s, &r, a));
	EXPECT_EQ(-EPERM, simple_cmd(&s2, self->c.fam,
				     TCPCRYPT_CMD_STATS_RESET, 0));
	EXPECT_EQ(-EPERM, simple_cmd(&s2, self->c.fam,
				     TCPCRYPT_CMD_DAEMON_UNREGISTER, 0));
	/* a socket's policy is set by tcpcryptd, which owns it then */
	EXPECT_EQ(-EPERM, simple_cmd(&s2, self->c.fam,
				     TCPCRYPT_CMD_SOCK_POLICY_SET, 0));
	/* Reading the state is allowed */
	EXPECT_EQ(0, get_status(&s2, self->c.fam, &st));
	EXPECT_EQ(0, st.registered);
	genl_raw_close(&s2);
	free(a);
}

TEST_F(nl, register_in_own_user_namespace)
{
	struct genl_answer *a = malloc(sizeof(*a));
	struct tc_status st;
	struct genl_raw s2;
	struct genl_req r;
	int fam;

	ASSERT_NE(NULL, a);
	ASSERT_EQ(0, drop_privileges());
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
		SKIP(free(a); return, "no unprivileged user namespaces: %s",
		     strerror(errno));
	/* CAP_NET_ADMIN over a namespace of one's own is enough there */
	ASSERT_EQ(0, genl_raw_open(&s2));
	fam = genl_raw_family(&s2, TCPCRYPT_GENL_NAME);
	ASSERT_GT(fam, 0);
	valid_register(&r, fam);
	EXPECT_EQ(0, genl_raw_request(&s2, &r, a)) TH_LOG("%s", a->extack);
	EXPECT_EQ(0, get_status(&s2, fam, &st));
	EXPECT_EQ(1, st.registered);
	EXPECT_EQ((uint32_t)getpid(), st.pid);
	/* The fixture's namespace is checked unchanged in the teardown */
	genl_raw_close(&s2);
	free(a);
}

TEST_F(nl, register_lifecycle)
{
	static const unsigned char teps2[] = { TCPCRYPT_TEP_X448 };
	struct genl_answer *a = malloc(sizeof(*a));
	struct genl_raw *s = &self->c.s, s2;
	struct tc_status st;
	struct genl_req r;
	uint32_t busy_pid;
	int fam = self->c.fam;

	ASSERT_NE(NULL, a);
	ASSERT_EQ(0, genl_raw_open(&s2));

	valid_register(&r, fam);
	ASSERT_EQ(0, genl_raw_request(s, &r, a)) TH_LOG("%s", a->extack);
	self->c.registrations_delta = 1;
	ASSERT_EQ(0, get_status(s, fam, &st));
	EXPECT_EQ(1, st.registered);
	EXPECT_EQ((uint32_t)getpid(), st.pid);

	/* The same socket may replace its registration (not a new one) */
	genl_req_init(&r, fam, 0, TCPCRYPT_CMD_DAEMON_REGISTER);
	genl_req_put_u32(&r, TCPCRYPT_A_DAEMON_PID, getpid());
	genl_req_put(&r, TCPCRYPT_A_TEPS, teps2, sizeof(teps2));
	genl_req_put_u16(&r, TCPCRYPT_A_AEADS, htons(TCPCRYPT_AEAD_AES_256_GCM));
	EXPECT_EQ(0, genl_raw_request(s, &r, a)) TH_LOG("%s", a->extack);
	ASSERT_EQ(0, get_status(s, fam, &st));
	EXPECT_EQ(1U, st.n_teps);
	EXPECT_EQ(TCPCRYPT_TEP_X448, st.teps[0]);
	EXPECT_EQ(self->c.before.registrations + 1, st.registrations);

	/* Another socket is refused and told who is registered */
	valid_register(&r, fam);
	EXPECT_EQ(-EBUSY, genl_raw_request(&s2, &r, a));
	EXPECT_NE(NULL, strstr(a->extack, "another tcpcryptd"))
		TH_LOG("extack: \"%s\"", a->extack);
	ASSERT_EQ(sizeof(busy_pid), a->cookie_len);
	memcpy(&busy_pid, a->cookie, sizeof(busy_pid));
	EXPECT_EQ((uint32_t)getpid(), busy_pid);
	EXPECT_EQ(-EPERM, simple_cmd(&s2, fam, TCPCRYPT_CMD_DAEMON_UNREGISTER, 0));

	EXPECT_EQ(0, simple_cmd(s, fam, TCPCRYPT_CMD_DAEMON_UNREGISTER, 0));
	EXPECT_EQ(-ENOENT, simple_cmd(s, fam, TCPCRYPT_CMD_DAEMON_UNREGISTER, 0));

	/* Closing the registered socket is a loss */
	valid_register(&r, fam);
	ASSERT_EQ(0, genl_raw_request(&s2, &r, a)) TH_LOG("%s", a->extack);
	self->c.registrations_delta = 2;
	genl_raw_close(&s2);
	self->c.losses_delta = 1;
	free(a);
}

TEST_F(nl, conn_get_malformed)
{
	struct genl_answer *a = malloc(sizeof(*a));
	uint8_t addr16[16] = { 0xfd, [15] = 1 }, addr4[4] = { 10, 0, 0, 1 };
	struct genl_raw *s = &self->c.s;
	struct genl_req r;
	int fam = self->c.fam;

	ASSERT_NE(NULL, a);
#define CONN_REQ(body) do {						\
		genl_req_init(&r, fam, 0, TCPCRYPT_CMD_CONN_GET);	\
		body;							\
	} while (0)
#define CONN_NEST(body) CONN_REQ(					\
		genl_req_nest_start(&r, TCPCRYPT_A_CONN);		\
		body;							\
		genl_req_nest_end(&r))

	CONN_REQ();
	EXPECT_EQ(-EINVAL, genl_raw_request(s, &r, a)) TH_LOG("no attributes");

	CONN_REQ(genl_req_put(&r, TCPCRYPT_A_CONN, addr4, sizeof(addr4)));
	EXPECT_EQ(-EINVAL, genl_raw_request(s, &r, a)) TH_LOG("flat CONN");

	CONN_NEST();
	EXPECT_EQ(-EINVAL, genl_raw_request(s, &r, a)) TH_LOG("empty nest");

	CONN_NEST(genl_req_put_u8(&r, TCPCRYPT_CONN_A_FAMILY, 99);
		  genl_req_put(&r, TCPCRYPT_CONN_A_LOCAL_ADDR, addr4, 4);
		  genl_req_put(&r, TCPCRYPT_CONN_A_REMOTE_ADDR, addr4, 4);
		  genl_req_put_u16(&r, TCPCRYPT_CONN_A_LOCAL_PORT, 1);
		  genl_req_put_u16(&r, TCPCRYPT_CONN_A_REMOTE_PORT, 2));
	EXPECT_EQ(-EINVAL, genl_raw_request(s, &r, a)) TH_LOG("family 99");

	CONN_NEST(genl_req_put_u8(&r, TCPCRYPT_CONN_A_FAMILY, AF_INET);
		  genl_req_put(&r, TCPCRYPT_CONN_A_LOCAL_ADDR, addr16, 16);
		  genl_req_put(&r, TCPCRYPT_CONN_A_REMOTE_ADDR, addr16, 16);
		  genl_req_put_u16(&r, TCPCRYPT_CONN_A_LOCAL_PORT, 1);
		  genl_req_put_u16(&r, TCPCRYPT_CONN_A_REMOTE_PORT, 2));
	EXPECT_EQ(-EINVAL, genl_raw_request(s, &r, a)) TH_LOG("v4, 16-byte addresses");

	CONN_NEST(genl_req_put_u8(&r, TCPCRYPT_CONN_A_FAMILY, AF_INET6);
		  genl_req_put(&r, TCPCRYPT_CONN_A_LOCAL_ADDR, addr4, 3);
		  genl_req_put(&r, TCPCRYPT_CONN_A_REMOTE_ADDR, addr16, 16);
		  genl_req_put_u16(&r, TCPCRYPT_CONN_A_LOCAL_PORT, 1);
		  genl_req_put_u16(&r, TCPCRYPT_CONN_A_REMOTE_PORT, 2));
	EXPECT_TRUE(genl_raw_request(s, &r, a) == -EINVAL || a->error == -ERANGE)
		TH_LOG("3-byte address: %d", a->error);

	CONN_NEST(genl_req_put_u8(&r, TCPCRYPT_CONN_A_FAMILY, AF_INET);
		  genl_req_put(&r, TCPCRYPT_CONN_A_LOCAL_ADDR, addr4, 4);
		  genl_req_put(&r, TCPCRYPT_CONN_A_REMOTE_ADDR, addr4, 4));
	EXPECT_EQ(-EINVAL, genl_raw_request(s, &r, a)) TH_LOG("no ports");

	CONN_NEST(genl_req_put_u8(&r, TCPCRYPT_CONN_A_FAMILY, AF_INET);
		  genl_req_put(&r, TCPCRYPT_CONN_A_LOCAL_ADDR, addr4, 4);
		  genl_req_put(&r, TCPCRYPT_CONN_A_REMOTE_ADDR, addr4, 4);
		  genl_req_put_u32(&r, TCPCRYPT_CONN_A_LOCAL_PORT, 1);
		  genl_req_put_u16(&r, TCPCRYPT_CONN_A_REMOTE_PORT, 2));
	EXPECT_TRUE(genl_raw_request(s, &r, a) == -EINVAL || a->error == -ERANGE)
		TH_LOG("32-bit port: %d", a->error);

	CONN_NEST(genl_req_put_u8(&r, TCPCRYPT_CONN_A_FAMILY, AF_INET);
		  genl_req_put(&r, TCPCRYPT_CONN_A_LOCAL_ADDR, addr4, 4);
		  genl_req_put(&r, TCPCRYPT_CONN_A_REMOTE_ADDR, addr4, 4);
		  genl_req_put_u16(&r, TCPCRYPT_CONN_A_LOCAL_PORT, 1);
		  genl_req_put_u16(&r, TCPCRYPT_CONN_A_REMOTE_PORT, 2));
	EXPECT_EQ(-ENOENT, genl_raw_request(s, &r, a)) TH_LOG("no such connection");

	/* An empty namespace dumps no connection */
	genl_req_init(&r, fam, NLM_F_DUMP, TCPCRYPT_CMD_CONN_GET);
	EXPECT_EQ(0, genl_raw_request(s, &r, a));
	EXPECT_EQ(0, a->n_replies);
#undef CONN_NEST
#undef CONN_REQ
	free(a);
}

/* SOCK_POLICY_SET with cookie, kind and policy; more in @body */
#define POLICY_REQ(cookie, kind, policy, body) do {			\
		uint64_t ck_ = (cookie);				\
		genl_req_init(&r, fam, 0, TCPCRYPT_CMD_SOCK_POLICY_SET);\
		genl_req_put(&r, TCPCRYPT_A_SOCK_COOKIE, &ck_, 8);	\
		genl_req_put_u8(&r, TCPCRYPT_A_SOCK_KIND, (kind));	\
		genl_req_put_u32(&r, TCPCRYPT_A_SOCK_POLICY, (policy));	\
		body;							\
	} while (0)

/* A listener's or connection's end, as the CONN nest gives it */
static void put_v4_end(struct genl_req *r, bool remote)
{
	const uint8_t l4[4] = { 10, 0, 0, 1 }, r4[4] = { 10, 0, 0, 2 };

	genl_req_nest_start(r, TCPCRYPT_A_CONN);
	genl_req_put_u8(r, TCPCRYPT_CONN_A_FAMILY, AF_INET);
	genl_req_put(r, TCPCRYPT_CONN_A_LOCAL_ADDR, l4, 4);
	genl_req_put_u16(r, TCPCRYPT_CONN_A_LOCAL_PORT, 8080);
	if (remote) {
		genl_req_put(r, TCPCRYPT_CONN_A_REMOTE_ADDR, r4, 4);
		genl_req_put_u16(r, TCPCRYPT_CONN_A_REMOTE_PORT, 40000);
	}
	genl_req_nest_end(r);
}

static bool invalid(int err)
{
	return err == -EINVAL || err == -ERANGE;
}

TEST_F(nl, sock_policy_malformed)
{
	struct genl_answer *a = malloc(sizeof(*a));
	struct genl_raw *s = &self->c.s;
	int fam = self->c.fam;
	struct genl_req r;
	unsigned int i;
	int err = 0;

	ASSERT_NE(NULL, a);
	genl_req_init(&r, fam, 0, TCPCRYPT_CMD_SOCK_POLICY_SET);
	EXPECT_EQ(-EINVAL, genl_raw_request(s, &r, a)) TH_LOG("no attributes");
	POLICY_REQ(0, TCPCRYPT_SOCK_UNCONNECTED, TCPCRYPT_SOCK_NO_CACHE, );
	EXPECT_TRUE(invalid(genl_raw_request(s, &r, a))) TH_LOG("cookie 0");
	POLICY_REQ(7, 0, TCPCRYPT_SOCK_NO_CACHE, );
	EXPECT_TRUE(invalid(genl_raw_request(s, &r, a))) TH_LOG("kind 0");
	POLICY_REQ(7, TCPCRYPT_SOCK_CONNECTED + 1, TCPCRYPT_SOCK_NO_CACHE, );
	EXPECT_TRUE(invalid(genl_raw_request(s, &r, a))) TH_LOG("kind 4");
	POLICY_REQ(7, TCPCRYPT_SOCK_UNCONNECTED, 0x4, );
	EXPECT_TRUE(invalid(genl_raw_request(s, &r, a))) TH_LOG("unknown bit");
	POLICY_REQ(7, TCPCRYPT_SOCK_UNCONNECTED, TCPCRYPT_SOCK_NO_CACHE,
		   genl_req_put_u32(&r, TCPCRYPT_A_SOCK_POLICY_MASK, 0x8));
	EXPECT_TRUE(invalid(genl_raw_request(s, &r, a))) TH_LOG("unknown mask bit");
	POLICY_REQ(7, TCPCRYPT_SOCK_LISTENING, TCPCRYPT_SOCK_NO_CACHE, );
	EXPECT_EQ(-EINVAL, genl_raw_request(s, &r, a)) TH_LOG("listener, no end");
	POLICY_REQ(7, TCPCRYPT_SOCK_CONNECTED, TCPCRYPT_SOCK_NO_CACHE, );
	EXPECT_EQ(-EINVAL, genl_raw_request(s, &r, a)) TH_LOG("connected, no tuple");
	POLICY_REQ(7, TCPCRYPT_SOCK_CONNECTED, TCPCRYPT_SOCK_NO_CACHE,
		   put_v4_end(&r, false));
	EXPECT_EQ(-EINVAL, genl_raw_request(s, &r, a)) TH_LOG("connected, local end only");
	POLICY_REQ(7, TCPCRYPT_SOCK_LISTENING, TCPCRYPT_SOCK_NO_CACHE,
		   genl_req_nest_start(&r, TCPCRYPT_A_CONN);
		   genl_req_put_u8(&r, TCPCRYPT_CONN_A_FAMILY, AF_INET);
		   genl_req_put_u16(&r, TCPCRYPT_CONN_A_LOCAL_PORT, 1);
		   genl_req_nest_end(&r));
	EXPECT_EQ(-EINVAL, genl_raw_request(s, &r, a)) TH_LOG("listener, no address");
	POLICY_REQ(7, TCPCRYPT_SOCK_LISTENING, TCPCRYPT_SOCK_NO_CACHE,
		   genl_req_nest_start(&r, TCPCRYPT_A_CONN);
		   genl_req_put_u8(&r, TCPCRYPT_CONN_A_FAMILY, AF_INET6);
		   genl_req_put(&r, TCPCRYPT_CONN_A_LOCAL_ADDR, "abcd", 4);
		   genl_req_put_u16(&r, TCPCRYPT_CONN_A_LOCAL_PORT, 1);
		   genl_req_nest_end(&r));
	EXPECT_EQ(-EINVAL, genl_raw_request(s, &r, a)) TH_LOG("v6 listener, 4-byte address");

	/* well-formed: set, change, drop; a connection tcpcrypt has none of */
	POLICY_REQ(7, TCPCRYPT_SOCK_LISTENING, TCPCRYPT_SOCK_NO_CACHE,
		   put_v4_end(&r, false));
	EXPECT_EQ(0, genl_raw_request(s, &r, a));
	POLICY_REQ(7, TCPCRYPT_SOCK_LISTENING, 0, put_v4_end(&r, false));
	EXPECT_EQ(0, genl_raw_request(s, &r, a));
	POLICY_REQ(8, TCPCRYPT_SOCK_CONNECTED, TCPCRYPT_SOCK_NO_CACHE,
		   put_v4_end(&r, true));
	EXPECT_EQ(0, genl_raw_request(s, &r, a)) TH_LOG("plain TCP caches nothing");

	/* the table is bounded: unconnected sockets wait 600 s at most */
	for (i = 0; i < 5000 && !err; i++) {
		POLICY_REQ(100 + i, TCPCRYPT_SOCK_UNCONNECTED,
			   TCPCRYPT_SOCK_NO_RESUME, );
		err = genl_raw_request(s, &r, a);
	}
	EXPECT_EQ(-ENOSPC, err);
	EXPECT_EQ(4097U, i) TH_LOG("refused at %u", i);
	/* dropping one makes room again */
	POLICY_REQ(100, TCPCRYPT_SOCK_UNCONNECTED, 0, );
	EXPECT_EQ(0, genl_raw_request(s, &r, a));
	POLICY_REQ(99, TCPCRYPT_SOCK_UNCONNECTED, TCPCRYPT_SOCK_NO_RESUME, );
	EXPECT_EQ(0, genl_raw_request(s, &r, a));
	free(a);
}
#undef POLICY_REQ

TEST_F(nl, unknown_attributes)
{
	struct genl_answer *a = malloc(sizeof(*a));
	struct genl_req r;

	ASSERT_NE(NULL, a);
	valid_register(&r, self->c.fam);
	genl_req_put_u32(&r, TCPCRYPT_A_MAX + 1, 0);
	EXPECT_EQ(-EINVAL, genl_raw_request(&self->c.s, &r, a));

	valid_register(&r, self->c.fam);
	genl_req_put_u32(&r, 0x3fff, 0);
	EXPECT_EQ(-EINVAL, genl_raw_request(&self->c.s, &r, a));

	/* Commands without attributes must not trip over stray ones */
	genl_req_init(&r, self->c.fam, 0, TCPCRYPT_CMD_STATUS_GET);
	genl_req_put_u32(&r, TCPCRYPT_A_DAEMON_PID, 1);
	genl_req_put(&r, 0x3fff, "garbage", 7);
	genl_raw_request(&self->c.s, &r, a);
	EXPECT_TRUE(a->error == 0 || a->error == -EINVAL) TH_LOG("%d", a->error);
	free(a);
}

/* Malformed registrations, one variant each */
FIXTURE(reg) {
	struct nl_ctx c;
};

FIXTURE_VARIANT(reg) {
	int pid_len;			/* 0: no TCPCRYPT_A_DAEMON_PID */
	uint64_t pid;			/* UINT64_MAX: our pid */
	int teps_len;			/* -1: no TCPCRYPT_A_TEPS */
	unsigned char teps[40];
	bool teps_nested;		/* NLA_F_NESTED on the TEP list */
	int aeads_len;			/* -1: no TCPCRYPT_A_AEADS */
	unsigned char aeads[40];
	int version_len;		/* 0: no TCPCRYPT_A_VERSION */
	const char *version;
	int mark_len;			/* 0: no TCPCRYPT_A_DIVERT_MARK */
	int alt_err;			/* accepted besides -EINVAL, or 0 */
};

#define GOOD_PID	.pid_len = 4, .pid = UINT64_MAX
#define GOOD_TEPS	.teps_len = 2, .teps = { 0x23, 0x21 }
#define GOOD_AEADS	.aeads_len = 4, .aeads = { 0, 1, 0, 0x10 }

FIXTURE_VARIANT_ADD(reg, no_attributes) {
	.teps_len = -1, .aeads_len = -1,
};

FIXTURE_VARIANT_ADD(reg, no_pid) {
	GOOD_TEPS, GOOD_AEADS,
};

FIXTURE_VARIANT_ADD(reg, no_teps) {
	GOOD_PID, .teps_len = -1, GOOD_AEADS,
};

FIXTURE_VARIANT_ADD(reg, no_aeads) {
	GOOD_PID, GOOD_TEPS, .aeads_len = -1,
};

FIXTURE_VARIANT_ADD(reg, pid_zero) {
	.pid_len = 4, .pid = 0, GOOD_TEPS, GOOD_AEADS, .alt_err = -ERANGE,
};

FIXTURE_VARIANT_ADD(reg, pid_one_byte) {
	.pid_len = 1, .pid = UINT64_MAX, GOOD_TEPS, GOOD_AEADS,
	.alt_err = -ERANGE,
};

FIXTURE_VARIANT_ADD(reg, pid_eight_bytes) {
	.pid_len = 8, .pid = UINT64_MAX, GOOD_TEPS, GOOD_AEADS,
	.alt_err = -ERANGE,
};

FIXTURE_VARIANT_ADD(reg, teps_empty) {
	GOOD_PID, .teps_len = 0, GOOD_AEADS,
};

FIXTURE_VARIANT_ADD(reg, tep_zero) {
	GOOD_PID, .teps_len = 1, .teps = { 0x00 }, GOOD_AEADS,
};

FIXTURE_VARIANT_ADD(reg, tep_below_range) {
	GOOD_PID, .teps_len = 2, .teps = { 0x23, 0x20 }, GOOD_AEADS,
};

FIXTURE_VARIANT_ADD(reg, tep_above_range) {
	GOOD_PID, .teps_len = 2, .teps = { 0x25, 0x23 }, GOOD_AEADS,
};

FIXTURE_VARIANT_ADD(reg, tep_with_v_bit) {
	/* 0xa3 is x25519 with the ENO "v" bit: not a TEP id */
	GOOD_PID, .teps_len = 1, .teps = { 0xa3 }, GOOD_AEADS,
};

FIXTURE_VARIANT_ADD(reg, tep_ff) {
	GOOD_PID, .teps_len = 1, .teps = { 0xff }, GOOD_AEADS,
};

FIXTURE_VARIANT_ADD(reg, teps_duplicate) {
	GOOD_PID, .teps_len = 3, .teps = { 0x23, 0x21, 0x23 }, GOOD_AEADS,
};

FIXTURE_VARIANT_ADD(reg, teps_too_long) {
	GOOD_PID, .teps_len = 17,
	.teps = { 0x21, 0x22, 0x23, 0x24, 0x21, 0x22, 0x23, 0x24, 0x21,
		  0x22, 0x23, 0x24, 0x21, 0x22, 0x23, 0x24, 0x21 },
	GOOD_AEADS, .alt_err = -ERANGE,
};

FIXTURE_VARIANT_ADD(reg, teps_flagged_nested) {
	GOOD_PID, GOOD_TEPS, .teps_nested = true, GOOD_AEADS,
};

FIXTURE_VARIANT_ADD(reg, aeads_empty) {
	GOOD_PID, GOOD_TEPS, .aeads_len = 0,
};

FIXTURE_VARIANT_ADD(reg, aeads_odd_length) {
	GOOD_PID, GOOD_TEPS, .aeads_len = 3, .aeads = { 0, 1, 0 },
};

FIXTURE_VARIANT_ADD(reg, aeads_one_byte) {
	GOOD_PID, GOOD_TEPS, .aeads_len = 1, .aeads = { 1 },
};

FIXTURE_VARIANT_ADD(reg, aead_unknown) {
	GOOD_PID, GOOD_TEPS, .aeads_len = 2, .aeads = { 0, 3 },
};

FIXTURE_VARIANT_ADD(reg, aead_zero) {
	GOOD_PID, GOOD_TEPS, .aeads_len = 2, .aeads = { 0, 0 },
};

FIXTURE_VARIANT_ADD(reg, aead_little_endian) {
	/* AES-128-GCM in the wrong byte order */
	GOOD_PID, GOOD_TEPS, .aeads_len = 2, .aeads = { 1, 0 },
};

FIXTURE_VARIANT_ADD(reg, aeads_duplicate) {
	GOOD_PID, GOOD_TEPS, .aeads_len = 4, .aeads = { 0, 2, 0, 2 },
};

FIXTURE_VARIANT_ADD(reg, aeads_too_long) {
	GOOD_PID, GOOD_TEPS, .aeads_len = 34,
	.aeads = { 0, 1, 0, 2, 0, 0x10, 0, 1, 0, 2, 0, 0x10, 0, 1, 0, 2, 0,
		   0x10, 0, 1, 0, 2, 0, 0x10, 0, 1, 0, 2, 0, 0x10, 0, 1, 0, 2 },
	.alt_err = -ERANGE,
};

FIXTURE_VARIANT_ADD(reg, version_unterminated) {
	GOOD_PID, GOOD_TEPS, GOOD_AEADS, .version_len = 5, .version = "0.1.0",
};

FIXTURE_VARIANT_ADD(reg, version_unprintable) {
	GOOD_PID, GOOD_TEPS, GOOD_AEADS, .version_len = 5,
	.version = "0.1\n",
};

FIXTURE_VARIANT_ADD(reg, version_too_long) {
	GOOD_PID, GOOD_TEPS, GOOD_AEADS, .version_len = 301,
	.version = "0123456789012345678901234567890123456789012345678901234567890123456789"
		   "0123456789012345678901234567890123456789012345678901234567890123456789"
		   "0123456789012345678901234567890123456789012345678901234567890123456789"
		   "0123456789012345678901234567890123456789012345678901234567890123456789"
		   "01234567890123456789",
	.alt_err = -ERANGE,
};

FIXTURE_VARIANT_ADD(reg, divert_mark_two_bytes) {
	GOOD_PID, GOOD_TEPS, GOOD_AEADS, .mark_len = 2, .alt_err = -ERANGE,
};

FIXTURE_SETUP(reg)
{
	int ret = ctx_setup(_metadata, &self->c);

	if (ret > 0)
		SKIP(return, "tcpcrypt.ko is not loaded");
	ASSERT_EQ(0, ret);
}

FIXTURE_TEARDOWN(reg)
{
	ctx_teardown(_metadata, &self->c);
}

TEST_F(reg, refused)
{
	struct genl_answer *a = malloc(sizeof(*a));
	uint64_t pid = variant->pid == UINT64_MAX ? (uint64_t)getpid() : variant->pid;
	uint32_t pid32 = pid, mark = 0;
	uint8_t pid8 = pid;
	struct genl_req r;

	ASSERT_NE(NULL, a);
	genl_req_init(&r, self->c.fam, 0, TCPCRYPT_CMD_DAEMON_REGISTER);
	if (variant->pid_len == 1)
		genl_req_put(&r, TCPCRYPT_A_DAEMON_PID, &pid8, 1);
	else if (variant->pid_len == 4)
		genl_req_put(&r, TCPCRYPT_A_DAEMON_PID, &pid32, 4);
	else if (variant->pid_len == 8)
		genl_req_put(&r, TCPCRYPT_A_DAEMON_PID, &pid, 8);
	if (variant->teps_len >= 0)
		genl_req_put(&r, TCPCRYPT_A_TEPS |
				 (variant->teps_nested ? NLA_F_NESTED : 0),
			     variant->teps, variant->teps_len);
	if (variant->aeads_len >= 0)
		genl_req_put(&r, TCPCRYPT_A_AEADS, variant->aeads,
			     variant->aeads_len);
	if (variant->version_len)
		genl_req_put(&r, TCPCRYPT_A_VERSION, variant->version,
			     variant->version_len);
	if (variant->mark_len)
		genl_req_put(&r, TCPCRYPT_A_DIVERT_MARK, &mark,
			     variant->mark_len);

	genl_raw_request(&self->c.s, &r, a);
	EXPECT_TRUE(a->error == -EINVAL ||
		    (variant->alt_err && a->error == variant->alt_err))
		TH_LOG("error %d (%s), extack \"%s\"", a->error,
		       strerror(-a->error), a->extack);
	/* A refusal says why */
	EXPECT_NE(0, a->extack[0]) TH_LOG("no extack message for error %d",
					  a->error);
	free(a);
}

/*
 * Random requests: random command, flags and attributes (types, lengths,
 * contents, nesting). Every answer must be a clean error or a success;
 * an accidental valid registration is undone. STATS_RESET is left out: it
 * would legitimately zero the counters the teardown compares.
 */
TEST_F_TIMEOUT(nl, random_requests, 120)
{
	static const int clean[] = { 0, -EINVAL, -ERANGE, -EOPNOTSUPP,
				     -ENOENT, -EPERM, -EBUSY, -EMSGSIZE };
	static const uint8_t cmds[] = {
		TCPCRYPT_CMD_UNSPEC, TCPCRYPT_CMD_DAEMON_REGISTER,
		TCPCRYPT_CMD_DAEMON_UNREGISTER, TCPCRYPT_CMD_STATUS_GET,
		TCPCRYPT_CMD_CONN_GET, TCPCRYPT_CMD_MAX + 1, 0xff,
	};
	struct genl_answer *a = malloc(sizeof(*a));
	const char *env = getenv("NL_FUZZ_ITERATIONS");
	unsigned int seed = 20240601, i, iterations = env ? atoi(env) : 3000;
	unsigned char data[48];
	int bad = 0, n_ok = 0;
	struct genl_req r;

	ASSERT_NE(NULL, a);
	for (i = 0; i < iterations; i++) {
		uint8_t cmd = cmds[rand_r(&seed) % sizeof(cmds)];
		uint16_t flags = rand_r(&seed) % 8 ? 0 : NLM_F_DUMP;
		int n_attrs = rand_r(&seed) % 6, j, k;
		size_t e;

		genl_req_init(&r, self->c.fam, flags, cmd);
		for (j = 0; j < n_attrs; j++) {
			uint16_t type = rand_r(&seed) % (TCPCRYPT_A_MAX + 3);
			size_t len = rand_r(&seed) % sizeof(data);

			for (k = 0; k < (int)len; k++)
				data[k] = rand_r(&seed) % 3 ? 0x20 + rand_r(&seed) % 6 :
							      rand_r(&seed);
			if (rand_r(&seed) % 5 == 0) {
				genl_req_nest_start(&r, type);
				genl_req_put(&r, rand_r(&seed) % 16, data, len / 2);
				genl_req_put(&r, rand_r(&seed) % 16, data + len / 2,
					     len - len / 2);
				genl_req_nest_end(&r);
			} else if (rand_r(&seed) % 4 == 0 && len >= 4) {
				uint32_t v = getpid();

				genl_req_put(&r, type, &v, 4);
			} else {
				genl_req_put(&r, type, data, len);
			}
		}
		genl_raw_request(&self->c.s, &r, a);
		for (e = 0; e < sizeof(clean) / sizeof(clean[0]); e++)
			if (a->error == clean[e])
				break;
		if (e == sizeof(clean) / sizeof(clean[0]) && bad++ < 5)
			TH_LOG("request %u (cmd %u): unexpected error %d", i,
			       cmd, a->error);
		if (!a->error)
			n_ok++;
		if (!a->error && cmd == TCPCRYPT_CMD_DAEMON_REGISTER) {
			self->c.registrations_delta++;
			EXPECT_EQ(0, simple_cmd(&self->c.s, self->c.fam,
						TCPCRYPT_CMD_DAEMON_UNREGISTER, 0));
		}
	}
	EXPECT_EQ(0, bad);
	TH_LOG("%u random requests, %d accepted", iterations, n_ok);
	free(a);
}

TEST_HARNESS_MAIN
