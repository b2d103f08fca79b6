// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <linux/tcpcrypt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "genl_ops.h"
#include "log.h"
#include "loop.h"
#include "sock_policy.h"
#include "sockname.h"

/* SO_NETNS_COOKIE of fd, 0 when it cannot be read */
static uint64_t netns_cookie(int fd)
{
	socklen_t len = sizeof(uint64_t);
	uint64_t cookie = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len) < 0)
		return 0;
	return cookie;
}

/*
 * The socket must live in our network namespace: the module would find
 * another namespace's 4-tuple among ours (EXDEV).
 */
static int same_netns(int sock)
{
	int own = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	uint64_t ours, theirs;

	if (own < 0)
		return -errno;
	ours = netns_cookie(own);
	close(own);
	theirs = netns_cookie(sock);
	if (!ours || !theirs)
		return -EOPNOTSUPP;
	return ours == theirs ? 0 : -EXDEV;
}

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
		int ifindex = 0;

		len = sizeof(ifindex);
		if (getsockopt(sock, SOL_SOCKET, SO_BINDTOIFINDEX, &ifindex,
			       &len) < 0)
			return -errno;
		sp->ifindex = (uint32_t)ifindex;
		sp->kind = TCPCRYPT_SOCK_LISTENING;
		return tc_sock_endpoint(&local, &sp->tuple.family,
					sp->tuple.local_addr,
					&sp->tuple.local_port);
	}
	len = sizeof(remote);
	if (getpeername(sock, (struct sockaddr *)&remote, &len) < 0) {
		struct tcp_info ti;

		if (errno != ENOTCONN)
			return -errno;
		/* a SYN already sent cannot take it any more */
		len = sizeof(ti);
		if (!getsockopt(sock, IPPROTO_TCP, TCP_INFO, &ti, &len) &&
		    ti.tcpi_state == TCP_SYN_SENT)
			return -EINPROGRESS;
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

/*
 * Runs in the control worker's thread (ctl_worker.h): a socket whose lock
 * is held elsewhere keeps getsockname() waiting, and the loop goes on.
 */
void sock_policy_ctx_init(struct sock_policy_ctx *ctx)
{
	policy_quota_init(&ctx->quota,
			  (int64_t)TCPCRYPT_SOCK_POLICY_TTL * 1000);
}

int sock_policy_apply(const struct ctl_peer *peer,
		      const struct tc_ctl_policy *p, void *arg)
{
	struct tc_sock_policy sp = {
		.mask = p->mask & TC_CTL_POLICY_ALL,
		.flags = p->flags & p->mask,
	};
	struct sock_policy_ctx *ctx = arg;
	struct tc_genl *g = &ctx->nl;
	int sock = peer->sock;
	struct stat st;
	char buf[256];
	int err;

	/* nothing but a socket: another file's close may take its time */
	if (fstat(sock, &st) < 0)
		return -errno;
	if (!S_ISSOCK(st.st_mode))
		return -ENOTSOCK;
	err = tc_sock_check_tcp(sock);
	if (!err)
		err = same_netns(sock);
	if (!err)
		err = describe(sock, &sp);
	/* an entry the module keeps for a while: counted against the user */
	if (!err && sp.kind != TCPCRYPT_SOCK_CONNECTED && sp.flags)
		err = policy_quota_take(&ctx->quota, peer->uid,
					loop_now_ms());
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
