// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "genl_ops.h"
#include "log.h"
#include "names.h"
#include "nettest.h"
#include "util.h"

struct nettest {
	struct loop *loop;
	struct tc_genl *query;
	int fd;
	bool connected;
	int64_t deadline;	/* connect, then settle */
	char target[300];	/* "host:port" for log lines */
	struct tc_conn key;	/* our 4-tuple, once connected */
};

static int on_timer(int64_t now, void *arg);

static void finish(struct nettest *t)
{
	loop_del_fd(t->loop, t->fd);
	close(t->fd);
	t->fd = -1;
	loop_arm_timer(t->loop, on_timer, t, -1);
}

static void copy_endpoint(const struct sockaddr_storage *ss, int *family,
			  uint8_t *addr, uint16_t *port)
{
	const struct sockaddr_in6 *sin6 = (const void *)ss;
	const struct sockaddr_in *sin = (const void *)ss;

	*family = ss->ss_family;
	if (ss->ss_family == AF_INET) {
		memcpy(addr, &sin->sin_addr, 4);
		*port = ntohs(sin->sin_port);
	} else {
		memcpy(addr, &sin6->sin6_addr, 16);
		*port = ntohs(sin6->sin6_port);
	}
}

static int read_tuple(struct nettest *t)
{
	struct sockaddr_storage local, remote;
	socklen_t len = sizeof(local);
	int family;

	if (getsockname(t->fd, (struct sockaddr *)&local, &len))
		return -errno;
	len = sizeof(remote);
	if (getpeername(t->fd, (struct sockaddr *)&remote, &len))
		return -errno;
	copy_endpoint(&local, &t->key.family, t->key.local_addr,
		      &t->key.local_port);
	copy_endpoint(&remote, &family, t->key.remote_addr,
		      &t->key.remote_port);
	return 0;
}

static void report_protected(const struct nettest *t, const struct tc_conn *c)
{
	char sid[2 * TCPCRYPT_SESSID_LEN + 1];
	const char *tep = tc_tep_name(c->tep), *aead = tc_aead_name(c->aead);

	tc_hex(c->sessid, TCPCRYPT_SESSID_LEN, sid, false);
	log_info("self-test: connection to %s is protected (tep %s, aead %s, session ID %s)",
		 t->target, tep ? tep : "?", aead ? aead : "?", sid);
}

/* true when the outcome is known and logged */
static bool check_conn(struct nettest *t, int64_t now)
{
	char buf[512];
	struct tc_conn c;
	int err;

	err = tc_conn_get(t->query, &t->key, &c);
	if (err == -ENOENT) {
		log_info("self-test: connection to %s is not protected (the peer or the path did not negotiate tcpcrypt)",
			 t->target);
		return true;
	}
	if (err) {
		log_warn("self-test: cannot look the connection to %s up: %s",
			 t->target, tc_genl_strerror(t->query, err, buf,
						     sizeof(buf)));
		return true;
	}
	if (c.state == TCPCRYPT_CONN_ENCRYPTING && c.has_sessid) {
		report_protected(t, &c);
		return true;
	}
	if (c.state == TCPCRYPT_CONN_NEGOTIATING ||
	    c.state == TCPCRYPT_CONN_KEY_EXCHANGE) {
		if (now < t->deadline)
			return false;
		log_info("self-test: connection to %s is not protected (still %s after %d ms)",
			 t->target, tc_conn_state_name(c.state),
			 NETTEST_SETTLE_MS);
		return true;
	}
	log_info("self-test: connection to %s is not protected (state %s)",
		 t->target, tc_conn_state_name(c.state));
	return true;
}

static int on_timer(int64_t now, void *arg)
{
	struct nettest *t = arg;

	if (t->fd < 0)
		return -1;
	if (!t->connected) {
		log_warn("self-test: cannot connect to %s: %s", t->target,
			 strerror(ETIMEDOUT));
		finish(t);
		return -1;
	}
	if (check_conn(t, now)) {
		finish(t);
		return -1;
	}
	return NETTEST_POLL_MS;
}

static void on_connect(int fd, short revents, void *arg)
{
	struct nettest *t = arg;
	socklen_t len = sizeof(int);
	int soerr = 0, err;

	(void)revents;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len))
		soerr = errno;
	if (soerr) {
		log_warn("self-test: cannot connect to %s: %s", t->target,
			 strerror(soerr));
		finish(t);
		return;
	}
	err = read_tuple(t);
	if (err) {
		log_warn("self-test: connection to %s: %s", t->target,
			 strerror(-err));
		finish(t);
		return;
	}
	t->connected = true;
	/* The socket stays open, but the module's table tells the rest */
	loop_del_fd(t->loop, fd);
	t->deadline = loop_now_ms() + NETTEST_SETTLE_MS;
	log_debug("self-test: connected to %s", t->target);
	if (check_conn(t, loop_now_ms()))
		finish(t);
	else
		loop_arm_timer(t->loop, on_timer, t, NETTEST_POLL_MS);
}

static int start_connect(struct nettest *t, const char *host,
			 const char *port)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM };
	struct addrinfo *res;
	int err;

	err = getaddrinfo(host, port, &hints, &res);
	if (err) {
		log_warn("self-test: cannot resolve %s: %s", host,
			 err == EAI_SYSTEM ? strerror(errno) :
			 gai_strerror(err));
		return -EHOSTUNREACH;
	}
	t->fd = socket(res->ai_family,
		       SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (t->fd < 0) {
		err = -errno;
		goto out;
	}
	if (connect(t->fd, res->ai_addr, res->ai_addrlen) &&
	    errno != EINPROGRESS) {
		err = -errno;
		close(t->fd);
		t->fd = -1;
	}
out:
	if (err)
		log_warn("self-test: cannot connect to %s: %s", t->target,
			 strerror(-err));
	freeaddrinfo(res);
	return err;
}

struct nettest *nettest_start(struct loop *l, struct tc_genl *query,
			      const char *host, const char *port)
{
	struct nettest *t = calloc(1, sizeof(*t));
	int err;

	if (!t) {
		log_warn("self-test: %s", strerror(ENOMEM));
		return NULL;
	}
	t->loop = l;
	t->query = query;
	t->fd = -1;
	snprintf(t->target, sizeof(t->target),
		 strchr(host, ':') ? "[%s]:%s" : "%s:%s", host, port);
	log_info("self-test: connecting to %s", t->target);

	if (start_connect(t, host, port))
		goto err_free;
	err = loop_add_fd(l, t->fd, POLLOUT, on_connect, t);
	if (!err)
		err = loop_add_timer(l, on_timer, t, NETTEST_CONNECT_MS);
	if (err) {
		log_warn("self-test: %s", strerror(-err));
		loop_del_fd(l, t->fd);
		close(t->fd);
		goto err_free;
	}
	return t;

err_free:
	free(t);
	return NULL;
}

void nettest_stop(struct nettest *t)
{
	if (!t)
		return;
	if (t->fd >= 0) {
		loop_del_fd(t->loop, t->fd);
		close(t->fd);
	}
	loop_del_timer(t->loop, on_timer, t);
	free(t);
}
