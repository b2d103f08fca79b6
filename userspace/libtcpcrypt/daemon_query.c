// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * One request to tcpcryptd over the control socket: connect, send, read
 * the reply, close. A connection per request keeps the library free of
 * shared state between threads and of stale sockets after fork().
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "sockname.h"

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for events on fd until the deadline; -ETIMEDOUT when it passes */
static int wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int64_t left;
	int n;

	for (;;) {
		left = deadline - now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		n = poll(&pfd, 1, (int)left);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

/*
 * connect() that gives up at the deadline. A unix socket whose backlog is
 * full fails with EAGAIN instead of pending: try again shortly.
 */
static int start_connect(int fd, const struct tc_ctl_addr *a,
			 int64_t deadline)
{
	const struct timespec pause = { .tv_nsec = 10 * 1000 * 1000 };

	for (;;) {
		if (!connect(fd, (const struct sockaddr *)&a->ss, a->len))
			return 0;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -errno;
		if (now_ms() >= deadline)
			return -ETIMEDOUT;
		nanosleep(&pause, NULL);
	}
}

static int connect_daemon(const struct tc_ctl_addr *a, int64_t deadline)
{
	socklen_t errlen = sizeof(int);
	int fd, err, soerr = 0;

	fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    0);
	if (fd < 0)
		return -errno;
	err = start_connect(fd, a, deadline);
	if (!err)
		return fd;
	if (err == -EINPROGRESS) {
		err = wait_fd(fd, POLLOUT, deadline);
		if (!err &&
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &errlen) < 0)
			err = -errno;
		else if (!err && soerr)
			err = -soerr;
		if (!err)
			return fd;
	}
	close(fd);
	/* No socket file, or nobody listening: the daemon is not running */
	if (err == -ENOENT || err == -ECONNREFUSED)
		err = -ECONNREFUSED;
	return err;
}

/*
 * Send all of buf; pass_fd, when >= 0, rides as SCM_RIGHTS on the first
 * bytes sent.
 */
static int send_all(int fd, const uint8_t *buf, size_t len, int pass_fd,
		    int64_t deadline)
{
	struct msghdr m = { .msg_iovlen = 1 };
	union tc_scm_fd_buf ctl;
	struct iovec iov;
	ssize_t n;
	int err;

	m.msg_iov = &iov;
	if (pass_fd >= 0)
		tc_scm_put_fd(&m, &ctl, pass_fd);
	while (len) {
		iov.iov_base = (void *)buf;
		iov.iov_len = len;
		n = sendmsg(fd, &m, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				return -errno;
			err = wait_fd(fd, POLLOUT, deadline);
			if (err)
				return err;
			continue;
		}
		/* the socket went with those bytes */
		m.msg_control = NULL;
		m.msg_controllen = 0;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read exactly len bytes; -EPROTO when the daemon closes before that */
static int recv_all(int fd, uint8_t *buf, size_t len, int64_t deadline)
{
	ssize_t n;
	int err;

	while (len) {
		n = recv(fd, buf, len, 0);
		if (n == 0)
			return -EPROTO;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				return -errno;
			err = wait_fd(fd, POLLIN, deadline);
			if (err)
				return err;
			continue;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int read_reply(int fd, uint8_t op, struct tc_ctl_reply *r,
		      int64_t deadline)
{
	uint8_t buf[TC_CTL_MAX_MSG];
	struct tc_ctl_hdr h;
	int err;

	err = recv_all(fd, buf, TC_CTL_HDR_LEN, deadline);
	if (err)
		return err;
	if (tc_ctl_hdr_decode(buf, TC_CTL_HDR_LEN, &h))
		return -EPROTO;
	err = recv_all(fd, buf + TC_CTL_HDR_LEN, h.length, deadline);
	if (err)
		return err;
	/* A framing complaint (op 0x80) still carries a status */
	if (h.op != (op | TC_CTL_OP_REPLY) && h.op != TC_CTL_OP_REPLY)
		return -EPROTO;
	if (tc_ctl_decode_reply(buf + TC_CTL_HDR_LEN, h.length, r))
		return -EPROTO;
	return 0;
}

/*
 * One request (with pass_fd as SCM_RIGHTS when >= 0) and its reply: 0
 * with *r filled, or a negative errno for no reply.
 */
static int ctl_transact(const uint8_t *req, size_t len, uint8_t op,
			int pass_fd, struct tc_ctl_reply *r)
{
	int64_t deadline = now_ms() + TC_LIB_TIMEOUT_MS;
	struct tc_ctl_addr a;
	int fd, err;

	err = tc_lib_ctl_addr(&a);
	if (err)
		return err;
	/* a socket travels over a unix socket only */
	if (pass_fd >= 0 && a.ss.ss_family != AF_UNIX)
		return -EOPNOTSUPP;
	fd = connect_daemon(&a, deadline);
	if (fd < 0)
		return fd;
	err = send_all(fd, req, len, pass_fd, deadline);
	if (!err)
		err = read_reply(fd, op, r, deadline);
	close(fd);
	return err;
}

int tc_lib_query_sessid(const struct tc_ctl_tuple *t,
			uint8_t sessid[TC_CTL_SESSID_LEN])
{
	uint8_t req[TC_CTL_MAX_MSG];
	struct tc_ctl_tuple check;
	struct tc_ctl_reply r;
	size_t len;
	int err;

	/* Refuse here what the daemon would refuse (one set of rules) */
	len = tc_ctl_encode_sessid_req(req, sizeof(req), t);
	if (!len || tc_ctl_decode_sessid_req(req + TC_CTL_HDR_LEN,
					     len - TC_CTL_HDR_LEN, &check))
		return -EINVAL;
	err = ctl_transact(req, len, TC_CTL_OP_GET_SESSID, -1, &r);
	if (err)
		return err;
	if (r.status)
		return -(int)r.status;
	if (r.sessid_len != TC_CTL_SESSID_LEN)
		return -EPROTO;
	memcpy(sessid, r.sessid, TC_CTL_SESSID_LEN);
	return 0;
}

int tc_lib_set_policy(int s, const struct tc_ctl_policy *p)
{
	uint8_t req[TC_CTL_MAX_MSG];
	struct tc_ctl_reply r;
	size_t len;
	int err;

	len = tc_ctl_encode_policy_req(req, sizeof(req), p);
	err = len ? ctl_transact(req, len, TC_CTL_OP_SET_POLICY, s, &r) :
		    -EINVAL;
	if (err)
		return err;
	return -(int)r.status;
}
