// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * libtcpcrypt as applications get it (the shared library, through its
 * public header), against a stand-in daemon: what it asks, what it
 * returns, and every error it promises.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <tcpcrypt/tcpcrypt.h>

#include "fake_daemon.h"
#include "kselftest_harness.h"

/* A connected pair over loopback: c is the client end, s the server's */
struct conn {
	int c, s;
	struct sockaddr_storage caddr, saddr;
};

static int tcp_pair(int family, const char *ip, struct conn *p)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in6 *sin6 = (void *)&ss;
	struct sockaddr_in *sin = (void *)&ss;
	socklen_t len = sizeof(ss);
	int l;

	ss.ss_family = family;
	if (family == AF_INET)
		inet_pton(AF_INET, ip, &sin->sin_addr);
	else
		inet_pton(AF_INET6, ip, &sin6->sin6_addr);
	l = socket(family, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&ss, sizeof(ss)) ||
	    listen(l, 1) || getsockname(l, (struct sockaddr *)&ss, &len))
		return -1;
	p->c = socket(family, SOCK_STREAM, 0);
	if (connect(p->c, (struct sockaddr *)&ss, len))
		return -1;
	p->s = accept(l, NULL, NULL);
	close(l);
	len = sizeof(p->caddr);
	getsockname(p->c, (struct sockaddr *)&p->caddr, &len);
	len = sizeof(p->saddr);
	getsockname(p->s, (struct sockaddr *)&p->saddr, &len);
	return p->s < 0 ? -1 : 0;
}

static uint16_t port_of(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

FIXTURE(lib) {
	struct fake_daemon f;
	struct conn p;
};

FIXTURE_VARIANT(lib) {
	int tcp_control;
};

FIXTURE_VARIANT_ADD(lib, unix_control) { .tcp_control = 0 };
FIXTURE_VARIANT_ADD(lib, tcp_control) { .tcp_control = 1 };

FIXTURE_SETUP(lib)
{
	unsigned int i;

	memset(&self->f, 0, sizeof(self->f));
	for (i = 0; i < TC_CTL_SESSID_LEN; i++)
		self->f.sessid[i] = (uint8_t)(0x23 + i * 7);
	ASSERT_EQ(0, fake_daemon_start(&self->f, variant->tcp_control));
	tcpcrypt_setparam(TCPCRYPT_PARAM_CTLPATH, self->f.spec);
	ASSERT_EQ(0, tcp_pair(AF_INET, "127.0.0.1", &self->p));
}

FIXTURE_TEARDOWN(lib)
{
	close(self->p.c);
	close(self->p.s);
	fake_daemon_stop(&self->f);
}

TEST_F(lib, sessid_of_a_connection)
{
	uint8_t sid[64];
	socklen_t len = sizeof(sid);
	const uint8_t lo[4] = { 127, 0, 0, 1 };

	ASSERT_EQ(0, tcpcrypt_getsockopt(self->p.c, IPPROTO_TCP,
					 TCP_CRYPT_SESSID, sid, &len));
	EXPECT_EQ(TCPCRYPT_SID_MAXLEN, len);
	EXPECT_EQ(0, memcmp(sid, self->f.sessid, TCPCRYPT_SID_MAXLEN));

	/* The daemon was asked about this socket's own 4-tuple */
	EXPECT_EQ(1, self->f.requests);
	EXPECT_EQ(AF_INET, self->f.seen.family);
	EXPECT_EQ(port_of(&self->p.caddr), self->f.seen.local_port);
	EXPECT_EQ(port_of(&self->p.saddr), self->f.seen.remote_port);
	EXPECT_EQ(0, memcmp(lo, self->f.seen.local_addr, 4));
	EXPECT_EQ(0, memcmp(lo, self->f.seen.remote_addr, 4));

	/* From the other end, the ends swap */
	len = TCPCRYPT_SID_MAXLEN;
	ASSERT_EQ(0, tcpcrypt_getsockopt(self->p.s, IPPROTO_TCP,
					 TCP_CRYPT_SESSID, sid, &len));
	EXPECT_EQ(port_of(&self->p.saddr), self->f.seen.local_port);
	EXPECT_EQ(port_of(&self->p.caddr), self->f.seen.remote_port);
}

TEST_F(lib, not_protected_is_enoent)
{
	uint8_t sid[TCPCRYPT_SID_MAXLEN];
	socklen_t len = sizeof(sid);

	self->f.mode = FAKE_STATUS;
	self->f.status = ENOENT;
	EXPECT_EQ(-1, tcpcrypt_getsockopt(self->p.c, IPPROTO_TCP,
					  TCP_CRYPT_SESSID, sid, &len));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_NULL(tcpcrypt_getsessid("127.0.0.1", 80, NULL, 0));
	EXPECT_EQ(ENOENT, errno);
}

TEST_F(lib, garbage_reply_is_eproto)
{
	uint8_t sid[TCPCRYPT_SID_MAXLEN];
	socklen_t len = sizeof(sid);

	self->f.mode = FAKE_GARBAGE;
	EXPECT_EQ(-1, tcpcrypt_getsockopt(self->p.c, IPPROTO_TCP,
					  TCP_CRYPT_SESSID, sid, &len));
	EXPECT_EQ(EPROTO, errno);
}

TEST_F(lib, getsessid_hex_and_tuple)
{
	char want[2 * TCPCRYPT_SID_MAXLEN + 1];
	unsigned int i;
	char *hex;

	for (i = 0; i < TCPCRYPT_SID_MAXLEN; i++)
		sprintf(want + 2 * i, "%02X", self->f.sessid[i]);

	hex = tcpcrypt_getsessid("192.0.2.7", 443, NULL, 0);
	ASSERT_NE(NULL, hex);
	EXPECT_STREQ(want, hex);
	EXPECT_EQ(AF_INET, self->f.seen.family);
	EXPECT_EQ(443, self->f.seen.remote_port);
	EXPECT_EQ(0, self->f.seen.local_port);
	EXPECT_EQ(192, self->f.seen.remote_addr[0]);
	EXPECT_EQ(0, self->f.seen.local_addr[0]);

	hex = tcpcrypt_getsessid("2001:db8::7", 443, "2001:db8::1", 5000);
	ASSERT_NE(NULL, hex);
	EXPECT_EQ(AF_INET6, self->f.seen.family);
	EXPECT_EQ(5000, self->f.seen.local_port);
	EXPECT_EQ(0x07, self->f.seen.remote_addr[15]);
	EXPECT_EQ(0x01, self->f.seen.local_addr[15]);

	/* An IPv4-mapped address is the IPv4 connection */
	ASSERT_NE(NULL, tcpcrypt_getsessid("::ffff:192.0.2.7", 443, NULL, 0));
	EXPECT_EQ(AF_INET, self->f.seen.family);
}

TEST_F(lib, getsessid_bad_arguments)
{
	EXPECT_NULL(tcpcrypt_getsessid("not-an-ip", 443, NULL, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_NULL(tcpcrypt_getsessid("192.0.2.7", 0, NULL, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_NULL(tcpcrypt_getsessid(NULL, 443, NULL, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_NULL(tcpcrypt_getsessid("192.0.2.7", 443, "2001:db8::1", 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_NULL(tcpcrypt_getsessid("0.0.0.0", 443, NULL, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, self->f.requests);
}

TEST_F(lib, environment_names_the_socket)
{
	ASSERT_EQ(0, setenv("TCPCRYPT_CTLPATH", self->f.spec, 1));
	tcpcrypt_setparam(TCPCRYPT_PARAM_CTLPATH, NULL);
	EXPECT_NE(NULL, tcpcrypt_getsessid("192.0.2.7", 443, NULL, 0));
	EXPECT_EQ(1, self->f.requests);

	/* setparam wins over the environment */
	tcpcrypt_setparam(TCPCRYPT_PARAM_CTLPATH, "/nonexistent/control");
	EXPECT_NULL(tcpcrypt_getsessid("192.0.2.7", 443, NULL, 0));
	EXPECT_EQ(ECONNREFUSED, errno);
	unsetenv("TCPCRYPT_CTLPATH");
}

TEST_F(lib, setsockopt_unoffered_and_bad_options)
{
	int one = 1;

	EXPECT_EQ(-1, tcpcrypt_setsockopt(self->p.c, IPPROTO_TCP,
					  TCP_CRYPT_ENABLE, &one, sizeof(one)));
	EXPECT_EQ(ENOPROTOOPT, errno);
	EXPECT_EQ(-1, tcpcrypt_setsockopt(self->p.c, IPPROTO_TCP,
					  TCP_CRYPT_APP_SUPPORT, &one,
					  sizeof(one)));
	EXPECT_EQ(ENOPROTOOPT, errno);
	EXPECT_EQ(-1, tcpcrypt_setsockopt(self->p.c, IPPROTO_TCP,
					  TCP_CRYPT_NOCACHE, &one, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, tcpcrypt_setsockopt(self->p.c, IPPROTO_TCP,
					  TCP_CRYPT_NORESUME, NULL,
					  sizeof(one)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, tcpcrypt_setsockopt(self->p.c, SOL_SOCKET,
					  TCP_CRYPT_ENABLE, &one, sizeof(one)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, tcpcrypt_setsockopt(self->p.c, IPPROTO_TCP, 55, &one,
					  sizeof(one)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, self->f.requests);
}

/* The socket itself goes to the daemon, with the one bit to change */
TEST_F(lib, setsockopt_policy_passes_the_socket)
{
	socklen_t len = sizeof(uint64_t);
	uint64_t cookie = 0;
	int one = 1, zero = 0;

	ASSERT_EQ(0, getsockopt(self->p.c, SOL_SOCKET, SO_COOKIE, &cookie,
				&len));
	self->f.mode = FAKE_STATUS;
	self->f.status = 0;
	if (variant->tcp_control) {
		/* a socket cannot travel over TCP */
		EXPECT_EQ(-1, tcpcrypt_setsockopt(self->p.c, IPPROTO_TCP,
						  TCP_CRYPT_NOCACHE, &one,
						  sizeof(one)));
		EXPECT_EQ(EOPNOTSUPP, errno);
		EXPECT_EQ(0, self->f.requests);
		return;
	}
	EXPECT_EQ(0, tcpcrypt_setsockopt(self->p.c, IPPROTO_TCP,
					 TCP_CRYPT_NOCACHE, &one,
					 sizeof(one)));
	EXPECT_EQ(1, self->f.requests);
	EXPECT_EQ(TC_CTL_OP_SET_POLICY, self->f.seen_op);
	EXPECT_EQ(TC_CTL_POLICY_NO_CACHE, self->f.seen_policy.mask);
	EXPECT_EQ(TC_CTL_POLICY_NO_CACHE, self->f.seen_policy.flags);
	EXPECT_EQ(cookie, self->f.seen_cookie);

	EXPECT_EQ(0, tcpcrypt_setsockopt(self->p.c, IPPROTO_TCP,
					 TCP_CRYPT_NORESUME, &zero,
					 sizeof(zero)));
	EXPECT_EQ(2, self->f.requests);
	EXPECT_EQ(TC_CTL_POLICY_NO_RESUME, self->f.seen_policy.mask);
	EXPECT_EQ(0, self->f.seen_policy.flags);
	EXPECT_EQ(cookie, self->f.seen_cookie);

	/* the daemon's status is the call's errno */
	self->f.status = ENOSPC;
	EXPECT_EQ(-1, tcpcrypt_setsockopt(self->p.c, IPPROTO_TCP,
					  TCP_CRYPT_NORESUME, &one,
					  sizeof(one)));
	EXPECT_EQ(ENOSPC, errno);
}

/* A success that carries no session ID is no session ID */
TEST_F(lib, getsockopt_success_without_sessid)
{
	uint8_t sid[TCPCRYPT_SID_MAXLEN];
	socklen_t len = sizeof(sid);

	self->f.mode = FAKE_STATUS;
	self->f.status = 0;
	EXPECT_EQ(-1, tcpcrypt_getsockopt(self->p.c, IPPROTO_TCP,
					  TCP_CRYPT_SESSID, sid, &len));
	EXPECT_EQ(EPROTO, errno);
}

TEST_F(lib, getsockopt_argument_errors)
{
	uint8_t sid[TCPCRYPT_SID_MAXLEN];
	socklen_t len = sizeof(sid) - 1;
	int pipefd[2], udp;

	EXPECT_EQ(-1, tcpcrypt_getsockopt(self->p.c, IPPROTO_TCP,
					  TCP_CRYPT_SESSID, sid, &len));
	EXPECT_EQ(EINVAL, errno);
	len = sizeof(sid);
	EXPECT_EQ(-1, tcpcrypt_getsockopt(self->p.c, IPPROTO_TCP,
					  TCP_CRYPT_SESSID, NULL, &len));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, tcpcrypt_getsockopt(self->p.c, IPPROTO_IP,
					  TCP_CRYPT_SESSID, sid, &len));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, tcpcrypt_getsockopt(self->p.c, IPPROTO_TCP, 99, sid,
					  &len));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, tcpcrypt_getsockopt(self->p.c, IPPROTO_TCP,
					  TCP_CRYPT_NETSTAT, sid, &len));
	EXPECT_EQ(ENOPROTOOPT, errno);

	EXPECT_EQ(-1, tcpcrypt_getsockopt(-1, IPPROTO_TCP, TCP_CRYPT_SESSID,
					  sid, &len));
	EXPECT_EQ(EBADF, errno);
	ASSERT_EQ(0, pipe(pipefd));
	EXPECT_EQ(-1, tcpcrypt_getsockopt(pipefd[0], IPPROTO_TCP,
					  TCP_CRYPT_SESSID, sid, &len));
	EXPECT_EQ(ENOTSOCK, errno);
	close(pipefd[0]);
	close(pipefd[1]);
	udp = socket(AF_INET, SOCK_DGRAM, 0);
	EXPECT_EQ(-1, tcpcrypt_getsockopt(udp, IPPROTO_TCP, TCP_CRYPT_SESSID,
					  sid, &len));
	EXPECT_EQ(ENOPROTOOPT, errno);
	close(udp);
	EXPECT_EQ(0, self->f.requests);
}

TEST_F(lib, unconnected_socket_is_enotconn)
{
	uint8_t sid[TCPCRYPT_SID_MAXLEN];
	socklen_t len = sizeof(sid);
	int s = socket(AF_INET6, SOCK_STREAM, 0);

	EXPECT_EQ(-1, tcpcrypt_getsockopt(s, IPPROTO_TCP, TCP_CRYPT_SESSID,
					  sid, &len));
	EXPECT_EQ(ENOTCONN, errno);
	close(s);
	EXPECT_EQ(0, self->f.requests);
}

TEST_F(lib, ipv6_and_mapped_connections)
{
	uint8_t sid[TCPCRYPT_SID_MAXLEN];
	socklen_t len = sizeof(sid);
	struct conn p6;

	if (tcp_pair(AF_INET6, "::1", &p6))
		SKIP(return, "no IPv6 loopback here");
	ASSERT_EQ(0, tcpcrypt_getsockopt(p6.c, IPPROTO_TCP, TCP_CRYPT_SESSID,
					 sid, &len));
	EXPECT_EQ(AF_INET6, self->f.seen.family);
	EXPECT_EQ(1, self->f.seen.remote_addr[15]);
	close(p6.c);
	close(p6.s);

	/* IPv6 socket, IPv4 connection: the module files it as IPv4 */
	ASSERT_EQ(0, tcp_pair(AF_INET6, "::ffff:127.0.0.1", &p6));
	ASSERT_EQ(0, tcpcrypt_getsockopt(p6.c, IPPROTO_TCP, TCP_CRYPT_SESSID,
					 sid, &len));
	EXPECT_EQ(AF_INET, self->f.seen.family);
	EXPECT_EQ(127, self->f.seen.remote_addr[0]);
	EXPECT_EQ(0, self->f.seen.remote_addr[4]);
	close(p6.c);
	close(p6.s);
}

/* Not a fixture test: one 5-second wait is enough */
TEST(silent_daemon_times_out)
{
	struct fake_daemon f = { .mode = FAKE_SILENT };

	ASSERT_EQ(0, fake_daemon_start(&f, 0));
	tcpcrypt_setparam(TCPCRYPT_PARAM_CTLPATH, f.spec);
	EXPECT_NULL(tcpcrypt_getsessid("192.0.2.7", 443, NULL, 0));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_EQ(1, f.requests);
	fake_daemon_stop(&f);
}

TEST(daemon_not_running_is_econnrefused)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char dir[] = "/tmp/tc-lib-XXXXXX";
	int fd;

	tcpcrypt_setparam(TCPCRYPT_PARAM_CTLPATH, "/nonexistent/control");
	EXPECT_NULL(tcpcrypt_getsessid("192.0.2.7", 443, NULL, 0));
	EXPECT_EQ(ECONNREFUSED, errno);

	/* A socket file left behind, nobody listening */
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/control", dir);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&sun, sizeof(sun)));
	tcpcrypt_setparam(TCPCRYPT_PARAM_CTLPATH, sun.sun_path);
	EXPECT_NULL(tcpcrypt_getsessid("192.0.2.7", 443, NULL, 0));
	EXPECT_EQ(ECONNREFUSED, errno);
	close(fd);
	unlink(sun.sun_path);
	rmdir(dir);
}

TEST(bad_control_paths)
{
	char longpath[200];

	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	tcpcrypt_setparam(TCPCRYPT_PARAM_CTLPATH, longpath);
	EXPECT_NULL(tcpcrypt_getsessid("192.0.2.7", 443, NULL, 0));
	EXPECT_EQ(ENAMETOOLONG, errno);

	tcpcrypt_setparam(TCPCRYPT_PARAM_CTLPATH, ":99999");
	EXPECT_NULL(tcpcrypt_getsessid("192.0.2.7", 443, NULL, 0));
	EXPECT_EQ(EINVAL, errno);

	errno = 0;
	tcpcrypt_setparam(42, "/x");
	EXPECT_EQ(EINVAL, errno);
}

TEST_HARNESS_MAIN
