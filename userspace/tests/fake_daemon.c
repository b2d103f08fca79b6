// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fake_daemon.h"
#include "sockname.h"

/* Read len bytes; the cookie of a socket passed along goes to f */
static int read_full(struct fake_daemon *f, int fd, uint8_t *buf, size_t len)
{
	char ctl[CMSG_SPACE(4 * sizeof(int))];
	struct iovec iov;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	socklen_t clen = sizeof(f->seen_cookie);
	int passed;
	ssize_t n;

	while (len) {
		iov.iov_base = buf;
		iov.iov_len = len;
		m.msg_control = ctl;
		m.msg_controllen = sizeof(ctl);
		n = recvmsg(fd, &m, 0);
		if (n <= 0)
			return -1;
		passed = tc_scm_take_fd(&m);
		if (passed >= 0) {
			getsockopt(passed, SOL_SOCKET, SO_COOKIE,
				   &f->seen_cookie, &clen);
			close(passed);
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static void serve(struct fake_daemon *f, int fd)
{
	uint8_t buf[TC_CTL_MAX_MSG], out[TC_CTL_MAX_MSG];
	struct tc_ctl_reply r = { .status = f->status };
	struct tc_ctl_hdr h;
	size_t n;

	f->seen_cookie = 0;
	if (read_full(f, fd, buf, TC_CTL_HDR_LEN) ||
	    tc_ctl_hdr_decode(buf, TC_CTL_HDR_LEN, &h) ||
	    read_full(f, fd, buf + TC_CTL_HDR_LEN, h.length))
		return;
	f->requests++;
	f->seen_op = h.op;
	if (h.op == TC_CTL_OP_SET_POLICY)
		tc_ctl_decode_policy_req(buf + TC_CTL_HDR_LEN, h.length,
					 &f->seen_policy);
	else
		tc_ctl_decode_sessid_req(buf + TC_CTL_HDR_LEN, h.length,
					 &f->seen);

	switch (f->mode) {
	case FAKE_SESSID:
		r.status = 0;
		r.sessid_len = TC_CTL_SESSID_LEN;
		memcpy(r.sessid, f->sessid, sizeof(r.sessid));
		/* fall through */
	case FAKE_STATUS:
		n = tc_ctl_encode_reply(out, sizeof(out), h.op, &r);
		send(fd, out, n, MSG_NOSIGNAL);
		break;
	case FAKE_GARBAGE:
		send(fd, "HTTP/1.0 400 Bad Request\r\n\r\n", 28, MSG_NOSIGNAL);
		break;
	case FAKE_SILENT:
		/* Hold the connection until the client gives up */
		recv(fd, buf, sizeof(buf), 0);
		break;
	}
}

static void *run(void *arg)
{
	struct fake_daemon *f = arg;
	int fd;

	while ((fd = accept(f->listen_fd, NULL, NULL)) >= 0) {
		serve(f, fd);
		close(fd);
	}
	return NULL;
}

static int listen_tcp(struct fake_daemon *f)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	socklen_t len = sizeof(sin);

	f->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	if (f->listen_fd < 0 ||
	    bind(f->listen_fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(f->listen_fd, (struct sockaddr *)&sin, &len))
		return -1;
	snprintf(f->spec, sizeof(f->spec), ":%u", ntohs(sin.sin_port));
	return 0;
}

static int listen_unix(struct fake_daemon *f)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	strcpy(f->dir, "/tmp/tc-lib-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/control", f->dir);
	snprintf(f->spec, sizeof(f->spec), "%s", sun.sun_path);
	f->listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (f->listen_fd < 0 ||
	    bind(f->listen_fd, (struct sockaddr *)&sun, sizeof(sun)))
		return -1;
	return 0;
}

int fake_daemon_start(struct fake_daemon *f, int tcp)
{
	if ((tcp ? listen_tcp(f) : listen_unix(f)) ||
	    listen(f->listen_fd, 8))
		return -1;
	return pthread_create(&f->thread, NULL, run, f) ? -1 : 0;
}

void fake_daemon_stop(struct fake_daemon *f)
{
	shutdown(f->listen_fd, SHUT_RDWR);
	pthread_join(f->thread, NULL);
	close(f->listen_fd);
	if (f->dir[0]) {
		unlink(f->spec);
		rmdir(f->dir);
	}
}
