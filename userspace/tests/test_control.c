// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The daemon's control socket server, for real: a unix socket in a
 * temporary directory, served by the daemon's event loop in this process,
 * and clients that send good, partial, and broken requests.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "ctladdr.h"
#include "kselftest_harness.h"
#include "log.h"
#include "loop.h"
#include "sockname.h"

static int lookup(const struct tc_ctl_tuple *t,
		  uint8_t sessid[TC_CTL_SESSID_LEN], void *arg)
{
	int *calls = arg;

	(*calls)++;
	if (t->remote_port != 443)
		return -ENOENT;
	memset(sessid, 0x23, TC_CTL_SESSID_LEN);
	return 0;
}

FIXTURE(server) {
	char dir[64];
	char path[128];
	struct tc_ctl_addr addr;
	struct loop loop;
	struct ctl_server *srv;
	int calls;
};

FIXTURE_SETUP(server)
{
	log_set_verbosity(-2);
	strcpy(self->dir, "/tmp/tc-ctl-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->path, sizeof(self->path), "%s/control", self->dir);
	ASSERT_EQ(0, tc_ctl_addr_parse(self->path, &self->addr));
	loop_init(&self->loop);
	ASSERT_EQ(0, ctl_server_open(&self->loop, &self->addr,
				     &(struct ctl_handlers){
					     .sessid = lookup,
					     .sessid_arg = &self->calls },
				     &self->srv));
}

FIXTURE_TEARDOWN(server)
{
	ctl_server_close(self->srv);
	unlink(self->path);
	rmdir(self->dir);
}

static int client(const struct tc_ctl_addr *a)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (fd < 0 || connect(fd, (const struct sockaddr *)&a->ss, a->len))
		return -1;
	return fd;
}

/* Run the loop until fd has something to read (or is closed) */
static ssize_t pump_recv(struct loop *l, int fd, uint8_t *buf, size_t len)
{
	ssize_t n = -1;
	int i;

	for (i = 0; i < 100; i++) {
		loop_run_once(l, 10);
		n = recv(fd, buf, len, MSG_DONTWAIT);
		if (n >= 0 || errno != EAGAIN)
			return n;
	}
	return n;
}

static size_t request(uint8_t *buf, uint16_t remote_port)
{
	struct tc_ctl_tuple t = {
		.family = AF_INET, .local_port = 1000,
		.remote_port = remote_port,
		.local_addr = { 10, 0, 0, 1 }, .remote_addr = { 10, 0, 0, 2 },
	};

	return tc_ctl_encode_sessid_req(buf, TC_CTL_MAX_MSG, &t);
}

static uint32_t reply_status(const uint8_t *buf, ssize_t n)
{
	struct tc_ctl_reply r;

	if (n != TC_CTL_HDR_LEN + TC_CTL_REPLY_LEN ||
	    tc_ctl_decode_reply(buf + TC_CTL_HDR_LEN, TC_CTL_REPLY_LEN, &r))
		return 0xffffffff;
	return r.status;
}

TEST_F(server, socket_is_world_accessible)
{
	struct stat st;

	ASSERT_EQ(0, lstat(self->path, &st));
	EXPECT_TRUE(S_ISSOCK(st.st_mode));
	EXPECT_EQ(0666, st.st_mode & 0777);
}

TEST_F(server, requests_on_one_connection)
{
	uint8_t req[TC_CTL_MAX_MSG], rep[TC_CTL_MAX_MSG];
	size_t len;
	ssize_t n;
	int fd;

	fd = client(&self->addr);
	ASSERT_GE(fd, 0);
	len = request(req, 443);
	ASSERT_EQ((ssize_t)len, send(fd, req, len, 0));
	n = pump_recv(&self->loop, fd, rep, sizeof(rep));
	ASSERT_EQ(0, reply_status(rep, n));
	EXPECT_EQ(0x81, rep[5]);
	EXPECT_EQ(0x23, rep[8 + 5]);

	len = request(req, 80);
	ASSERT_EQ((ssize_t)len, send(fd, req, len, 0));
	n = pump_recv(&self->loop, fd, rep, sizeof(rep));
	EXPECT_EQ(ENOENT, reply_status(rep, n));
	EXPECT_EQ(2, self->calls);
	close(fd);
}

TEST_F(server, byte_by_byte_and_back_to_back)
{
	uint8_t req[2 * TC_CTL_MAX_MSG], rep[2 * TC_CTL_MAX_MSG];
	size_t len, i;
	ssize_t n;
	int fd;

	fd = client(&self->addr);
	ASSERT_GE(fd, 0);
	len = request(req, 443);
	for (i = 0; i < len; i++) {
		ASSERT_EQ(1, send(fd, req + i, 1, 0));
		loop_run_once(&self->loop, 0);
		if (i + 1 < len)
			EXPECT_EQ(0, self->calls);
	}
	n = pump_recv(&self->loop, fd, rep, sizeof(rep));
	EXPECT_EQ(0, reply_status(rep, n));

	/* Two requests in one write get two replies */
	memcpy(req + len, req, len);
	ASSERT_EQ((ssize_t)(2 * len), send(fd, req, 2 * len, 0));
	n = 0;
	for (i = 0; i < 100 && n < 92; i++) {
		ssize_t got = pump_recv(&self->loop, fd, rep + n,
					sizeof(rep) - (size_t)n);

		ASSERT_GT(got, 0);
		n += got;
	}
	ASSERT_EQ(92, n);
	EXPECT_EQ(0, reply_status(rep + 46, 46));
	EXPECT_EQ(3, self->calls);
	close(fd);
}

TEST_F(server, garbage_gets_an_error_and_a_hangup)
{
	uint8_t rep[TC_CTL_MAX_MSG];
	ssize_t n;
	int fd;

	fd = client(&self->addr);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(4, send(fd, "GET ", 4, 0));
	n = pump_recv(&self->loop, fd, rep, sizeof(rep));
	EXPECT_EQ(EPROTO, reply_status(rep, n));
	EXPECT_EQ(0x80, rep[5]);
	/* Then the daemon closes the connection */
	n = pump_recv(&self->loop, fd, rep, sizeof(rep));
	EXPECT_EQ(0, n);
	EXPECT_EQ(0, self->calls);
	close(fd);

	/* ... and still serves others */
	fd = client(&self->addr);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(46, send(fd, rep, request(rep, 443), 0));
	n = pump_recv(&self->loop, fd, rep, sizeof(rep));
	EXPECT_EQ(0, reply_status(rep, n));
	close(fd);
}

TEST_F(server, oversized_length_refused)
{
	uint8_t req[TC_CTL_MAX_MSG] = { 'T', 'C', 'P', 'C', 1, 1, 0xff, 0xff };
	uint8_t rep[TC_CTL_MAX_MSG];
	ssize_t n;
	int fd;

	fd = client(&self->addr);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(8, send(fd, req, 8, 0));
	n = pump_recv(&self->loop, fd, rep, sizeof(rep));
	EXPECT_EQ(EMSGSIZE, reply_status(rep, n));
	close(fd);
}

TEST_F(server, clients_beyond_the_limit_replace_idle_ones)
{
	uint8_t req[TC_CTL_MAX_MSG], rep[TC_CTL_MAX_MSG];
	int fds[CTL_MAX_CLIENTS + 1], i;
	ssize_t n;

	for (i = 0; i <= CTL_MAX_CLIENTS; i++) {
		fds[i] = client(&self->addr);
		ASSERT_GE(fds[i], 0);
		loop_run_once(&self->loop, 10);
	}
	/* The newest is served, the oldest was dropped */
	ASSERT_EQ(46, send(fds[CTL_MAX_CLIENTS], req, request(req, 443), 0));
	n = pump_recv(&self->loop, fds[CTL_MAX_CLIENTS], rep, sizeof(rep));
	EXPECT_EQ(0, reply_status(rep, n));
	n = recv(fds[0], rep, sizeof(rep), MSG_DONTWAIT);
	EXPECT_EQ(0, n);
	for (i = 0; i <= CTL_MAX_CLIENTS; i++)
		close(fds[i]);
}

TEST_F(server, live_socket_is_not_taken_over)
{
	struct ctl_server *second = NULL;
	struct loop l2;

	loop_init(&l2);
	EXPECT_EQ(-EADDRINUSE, ctl_server_open(&l2, &self->addr,
					       &(struct ctl_handlers){
						       .sessid = lookup,
						       .sessid_arg = &self->calls },
					       &second));
	EXPECT_NULL(second);
	/* ... and the first one's file is still there */
	EXPECT_EQ(0, access(self->path, F_OK));
}

TEST_F(server, close_removes_the_file)
{
	ctl_server_close(self->srv);
	self->srv = NULL;
	EXPECT_EQ(-1, access(self->path, F_OK));
	EXPECT_EQ(ENOENT, errno);
}

TEST(stale_socket_is_replaced_and_files_are_not)
{
	char dir[] = "/tmp/tc-ctl-XXXXXX", path[64];
	struct ctl_server *srv = NULL;
	struct tc_ctl_addr a;
	struct loop l;
	int fd, calls = 0;

	log_set_verbosity(-2);
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/control", dir);
	ASSERT_EQ(0, tc_ctl_addr_parse(path, &a));
	loop_init(&l);

	/* A socket file nobody listens on: left by a daemon that died */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&a.ss, a.len));
	close(fd);
	ASSERT_EQ(0, ctl_server_open(&l, &a,
				     &(struct ctl_handlers){ .sessid = lookup,
							     .sessid_arg = &calls },
				     &srv));
	ctl_server_close(srv);

	/* A regular file is never removed */
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	ASSERT_GE(fd, 0);
	close(fd);
	srv = NULL;
	EXPECT_EQ(-EEXIST, ctl_server_open(&l, &a,
				     &(struct ctl_handlers){ .sessid = lookup,
							     .sessid_arg = &calls },
				     &srv));
	EXPECT_EQ(0, access(path, F_OK));
	unlink(path);
	rmdir(dir);
}

TEST(tcp_port_form)
{
	struct ctl_server *srv = NULL;
	uint8_t req[TC_CTL_MAX_MSG], rep[TC_CTL_MAX_MSG];
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct tc_ctl_addr a;
	struct loop l;
	int fd, calls = 0;
	ssize_t n;
	char spec[16];

	log_set_verbosity(-2);
	loop_init(&l);
	/* Find a free port, then serve on it */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&sin, sizeof(sin)));
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&sin, &len));
	close(fd);
	snprintf(spec, sizeof(spec), ":%u", ntohs(sin.sin_port));
	ASSERT_EQ(0, tc_ctl_addr_parse(spec, &a));
	ASSERT_EQ(0, ctl_server_open(&l, &a,
				     &(struct ctl_handlers){ .sessid = lookup,
							     .sessid_arg = &calls },
				     &srv));

	fd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, connect(fd, (struct sockaddr *)&a.ss, a.len));
	ASSERT_EQ(46, send(fd, req, request(req, 443), 0));
	n = pump_recv(&l, fd, rep, sizeof(rep));
	EXPECT_EQ(0, reply_status(rep, n));
	close(fd);
	ctl_server_close(srv);
}

struct policy_log {
	int calls;
	uid_t uid;
	uint64_t cookie;
	struct tc_ctl_policy p;
};

/* The policy handler: what it got, and the cookie of the socket passed */
static int record_policy(const struct ctl_peer *peer,
			 const struct tc_ctl_policy *p, void *arg)
{
	struct policy_log *log = arg;
	socklen_t len = sizeof(log->cookie);

	log->calls++;
	log->p = *p;
	log->uid = peer->uid;
	if (getsockopt(peer->sock, SOL_SOCKET, SO_COOKIE, &log->cookie, &len))
		return -errno;
	return 0;
}

static int no_lookup(const struct tc_ctl_tuple *t,
		     uint8_t sessid[TC_CTL_SESSID_LEN], void *arg)
{
	(void)t;
	(void)sessid;
	(void)arg;
	return -ENOENT;
}

/* Send len bytes of buf, with pass as SCM_RIGHTS when >= 0 */
static ssize_t send_fd(int fd, const uint8_t *buf, size_t len, int pass)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	union tc_scm_fd_buf ctl;

	if (pass >= 0)
		tc_scm_put_fd(&m, &ctl, pass);
	return sendmsg(fd, &m, 0);
}

static int open_fds(void)
{
	char path[64];
	int fd, n = 0;

	for (fd = 0; fd < 1024; fd++) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n += !access(path, F_OK);
	}
	return n;
}

/* A server on a unix socket in a temporary directory, with handlers h */
struct tmp_server {
	char dir[64];
	char path[128];
	struct tc_ctl_addr a;
	struct loop l;
	struct ctl_server *srv;
};

static int tmp_server_open(struct tmp_server *t, const struct ctl_handlers *h)
{
	log_set_verbosity(-2);
	strcpy(t->dir, "/tmp/tc-ctl-XXXXXX");
	if (!mkdtemp(t->dir))
		return -1;
	snprintf(t->path, sizeof(t->path), "%s/control", t->dir);
	if (tc_ctl_addr_parse(t->path, &t->a))
		return -1;
	loop_init(&t->l);
	return ctl_server_open(&t->l, &t->a, h, &t->srv);
}

static void tmp_server_close(struct tmp_server *t)
{
	ctl_server_close(t->srv);
	unlink(t->path);
	rmdir(t->dir);
}

/*
 * SET_POLICY: the socket passed along reaches the handler (same cookie),
 * a request without one is refused, a socket passed with another request
 * is not kept for the next, and none stays open in the daemon.
 */
TEST(policy_request_passes_the_socket)
{
	struct policy_log log = { 0 };
	const struct ctl_handlers h = {
		.sessid = no_lookup, .policy = record_policy,
		.policy_arg = &log,
	};
	struct tc_ctl_policy p = {
		.mask = TC_CTL_POLICY_NO_RESUME,
		.flags = TC_CTL_POLICY_NO_RESUME,
	};
	uint8_t req[TC_CTL_MAX_MSG], rep[TC_CTL_MAX_MSG];
	socklen_t clen = sizeof(uint64_t);
	struct tmp_server t;
	int fd, app, before;
	uint64_t cookie = 0;
	size_t len;
	ssize_t n;

	ASSERT_EQ(0, tmp_server_open(&t, &h));
	app = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_GE(app, 0);
	ASSERT_EQ(0, getsockopt(app, SOL_SOCKET, SO_COOKIE, &cookie, &clen));
	before = open_fds();

	fd = client(&t.a);
	ASSERT_GE(fd, 0);
	len = tc_ctl_encode_policy_req(req, sizeof(req), &p);
	ASSERT_EQ(16, len);
	ASSERT_EQ((ssize_t)len, send_fd(fd, req, len, app));
	n = pump_recv(&t.l, fd, rep, sizeof(rep));
	EXPECT_EQ(0, reply_status(rep, n));
	EXPECT_EQ(0x82, rep[5]);
	EXPECT_EQ(0, rep[8 + 4]);	/* no session ID */
	EXPECT_EQ(1, log.calls);
	EXPECT_EQ(cookie, log.cookie);
	EXPECT_EQ(getuid(), log.uid);
	EXPECT_EQ(TC_CTL_POLICY_NO_RESUME, log.p.flags);

	/* without a socket */
	ASSERT_EQ((ssize_t)len, send_fd(fd, req, len, -1));
	n = pump_recv(&t.l, fd, rep, sizeof(rep));
	EXPECT_EQ(EBADF, reply_status(rep, n));
	EXPECT_EQ(1, log.calls);

	/* passed with a session ID request: answered, the socket gone */
	ASSERT_EQ(46, send_fd(fd, req, request(req, 443), app));
	n = pump_recv(&t.l, fd, rep, sizeof(rep));
	EXPECT_EQ(ENOENT, reply_status(rep, n));
	len = tc_ctl_encode_policy_req(req, sizeof(req), &p);
	ASSERT_EQ((ssize_t)len, send_fd(fd, req, len, -1));
	n = pump_recv(&t.l, fd, rep, sizeof(rep));
	EXPECT_EQ(EBADF, reply_status(rep, n));

	/* a bad body is refused before the handler */
	req[8 + 3] = 0x40;
	ASSERT_EQ((ssize_t)len, send_fd(fd, req, len, app));
	n = pump_recv(&t.l, fd, rep, sizeof(rep));
	EXPECT_EQ(EINVAL, reply_status(rep, n));
	EXPECT_EQ(1, log.calls);

	/* the daemon keeps none of the sockets passed */
	/* + our client and the daemon's end of it */
	EXPECT_EQ(before + 2, open_fds());
	close(fd);
	close(app);
	tmp_server_close(&t);
}

/* A policy handler that waits until the test writes to its pipe */
static int blocked_policy(const struct ctl_peer *peer,
			  const struct tc_ctl_policy *p, void *arg)
{
	int *release = arg;
	char c;

	(void)peer;
	(void)p;
	return read(*release, &c, 1) == 1 ? 0 : -EIO;
}

/*
 * A socket that blocks its handler (a getsockname() waiting for the
 * socket's lock, a lingering close) holds up neither the loop nor the
 * other clients: a session ID request is answered meanwhile.
 */
TEST(blocked_policy_request_does_not_block_the_loop)
{
	int release[2], app, pol, other;
	const struct ctl_handlers h = {
		.sessid = lookup, .sessid_arg = &(int){ 0 },
		.policy = blocked_policy, .policy_arg = &release[0],
	};
	struct tc_ctl_policy p = { .mask = TC_CTL_POLICY_NO_CACHE };
	uint8_t req[TC_CTL_MAX_MSG], rep[TC_CTL_MAX_MSG];
	struct tmp_server t;
	size_t len;
	ssize_t n;

	ASSERT_EQ(0, pipe(release));
	ASSERT_EQ(0, tmp_server_open(&t, &h));
	app = socket(AF_INET, SOCK_STREAM, 0);
	pol = client(&t.a);
	other = client(&t.a);
	ASSERT_GE(pol, 0);
	ASSERT_GE(other, 0);

	len = tc_ctl_encode_policy_req(req, sizeof(req), &p);
	ASSERT_EQ((ssize_t)len, send_fd(pol, req, len, app));
	n = pump_recv(&t.l, pol, rep, sizeof(rep));
	EXPECT_EQ(-1, n) TH_LOG("no answer while the handler waits");
	ASSERT_EQ(46, send(other, req, request(req, 443), 0));
	n = pump_recv(&t.l, other, rep, sizeof(rep));
	EXPECT_EQ(0, reply_status(rep, n)) TH_LOG("the other client is served");

	ASSERT_EQ(1, write(release[1], "x", 1));
	n = pump_recv(&t.l, pol, rep, sizeof(rep));
	EXPECT_EQ(0, reply_status(rep, n)) TH_LOG("answered once released");
	close(pol);
	close(other);
	close(app);
	tmp_server_close(&t);
	close(release[0]);
	close(release[1]);
}

/* A server without a policy handler does not offer SET_POLICY */
TEST_F(server, policy_not_offered)
{
	struct tc_ctl_policy p = { .mask = TC_CTL_POLICY_NO_CACHE };
	uint8_t req[TC_CTL_MAX_MSG], rep[TC_CTL_MAX_MSG];
	size_t len;
	ssize_t n;
	int fd;

	fd = client(&self->addr);
	ASSERT_GE(fd, 0);
	len = tc_ctl_encode_policy_req(req, sizeof(req), &p);
	ASSERT_EQ((ssize_t)len, send_fd(fd, req, len, fd));
	n = pump_recv(&self->loop, fd, rep, sizeof(rep));
	EXPECT_EQ(EOPNOTSUPP, reply_status(rep, n));
	close(fd);
}

TEST_HARNESS_MAIN
