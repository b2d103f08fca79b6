// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <linux/tcpcrypt.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include "genl_ops.h"
#include "log.h"
#include "sock_policy.h"
#include "sockname.h"

/* The ends of sock the module needs, and what sock is */
static int describe(int sock, struct tc_sock_policy *sp)
{
	struct sockaddr_storage local, remote;
	socklen_t len = sizeof(sp->cookie);
	int listening, family;

	if (getsockopt(sock, SOL_SOCKET, SO_COOKIE, &sp->cookie, &len) < 0)
		return -errno;
	len = sizeof(listening);
	if (getsockopt(sock, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) < 0)
		return -errno;
	len = sizeof(local);
	if (getsockname(sock, (struct sockaddr *)&local, &len) < 0)
		return -errno;
	if (listening) {
		sp->kind = TCPCRYPT_SOCK_LISTENING;
		return tc_sock_endpoint(&local, &sp->tuple.family,
					sp->tuple.local_addr,
					&sp->tuple.local_port);
	}
	len = sizeof(remote);
	if (getpeername(sock, (struct sockaddr *)&remote, &len) < 0) {
		if (errno != ENOTCONN)
			return -errno;
		sp->kind = TCPCRYPT_SOCK_UNCONNECTED;
		return 0;
	}
	sp->kind = TCPCRYPT_SOCK_CONNECTED;
	if (tc_sock_endpoint(&local, &sp->tuple.family, sp->tuple.local_addr,
			     &sp->tuple.local_port) ||
	    tc_sock_endpoint(&remote, &family, sp->tuple.remote_addr,
			     &sp->tuple.remote_port) ||
	    family != sp->tuple.family)
		return -EINVAL;
	return 0;
}

static const char *kind_name(uint8_t kind)
{
	switch (kind) {
	case TCPCRYPT_SOCK_UNCONNECTED:
		return "unconnected";
	case TCPCRYPT_SOCK_LISTENING:
		return "listening";
	default:
		return "connected";
	}
}

int sock_policy_apply(int sock, const struct tc_ctl_policy *p, void *arg)
{
	struct tc_sock_policy sp = {
		.mask = p->mask & TC_CTL_POLICY_ALL,
		.flags = p->flags & p->mask,
	};
	struct tc_genl *g = arg;
	char buf[256];
	int err;

	err = tc_sock_check_tcp(sock);
	if (!err)
		err = describe(sock, &sp);
	if (err)
		return err;
	err = tc_sock_policy_set(g, &sp);
	if (err && err != -ENOSPC)
		log_warn("control: socket policy refused: %s",
			 tc_genl_strerror(g, err, buf, sizeof(buf)));
	else if (!err)
		log_debug("control: %s socket %llu: policy %#x of %#x",
			  kind_name(sp.kind), (unsigned long long)sp.cookie,
			  sp.flags, sp.mask);
	return err;
}
