// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <tcpcrypt/tcpcrypt.h>

#include "internal.h"
#include "util.h"

/* Options of the original library that this release knows of */
static const int known_opts[] = {
	TCP_CRYPT_ENABLE, TCP_CRYPT_CMODE, TCP_CRYPT_SESSID,
	TCP_CRYPT_RSA_KEY, TCP_CRYPT_APP_SUPPORT, TCP_CRYPT_RESET,
	TCP_CRYPT_NOCACHE, TCP_CRYPT_NETSTAT,
};

static int check_optname(int level, int optname)
{
	size_t i;

	if (level != IPPROTO_TCP)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(known_opts); i++)
		if (known_opts[i] == optname)
			return 0;
	return -EINVAL;
}

/* EBADF/ENOTSOCK from the kernel; ENOPROTOOPT unless s is TCP over IP */
static int check_tcp_socket(int s)
{
	int type, protocol, domain;
	socklen_t len = sizeof(int);

	if (getsockopt(s, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0)
		return -errno;
	len = sizeof(int);
	if (getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &len) < 0)
		return -errno;
	len = sizeof(int);
	if (getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &protocol, &len) < 0)
		return -errno;
	if ((domain != AF_INET && domain != AF_INET6) ||
	    type != SOCK_STREAM || protocol != IPPROTO_TCP)
		return -ENOPROTOOPT;
	return 0;
}

/*
 * Copy one end of the connection into the tuple. An IPv4-mapped IPv6
 * address is an IPv4 connection on the wire, and the module files it so.
 */
static int put_endpoint(const struct sockaddr_storage *ss, int *family,
			uint8_t addr[16], uint16_t *port)
{
	const struct sockaddr_in6 *sin6 = (const void *)ss;
	const struct sockaddr_in *sin = (const void *)ss;

	memset(addr, 0, 16);
	if (ss->ss_family == AF_INET) {
		*family = AF_INET;
		memcpy(addr, &sin->sin_addr, 4);
		*port = ntohs(sin->sin_port);
		return 0;
	}
	if (ss->ss_family != AF_INET6)
		return -ENOPROTOOPT;
	*port = ntohs(sin6->sin6_port);
	if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
		*family = AF_INET;
		memcpy(addr, &sin6->sin6_addr.s6_addr[12], 4);
	} else {
		*family = AF_INET6;
		memcpy(addr, &sin6->sin6_addr, 16);
	}
	return 0;
}

static int socket_tuple(int s, struct tc_ctl_tuple *t)
{
	struct sockaddr_storage local, remote;
	socklen_t len;
	int family, err;

	len = sizeof(remote);
	if (getpeername(s, (struct sockaddr *)&remote, &len) < 0)
		return -errno;
	len = sizeof(local);
	if (getsockname(s, (struct sockaddr *)&local, &len) < 0)
		return -errno;
	err = put_endpoint(&local, &t->family, t->local_addr, &t->local_port);
	if (err)
		return err;
	err = put_endpoint(&remote, &family, t->remote_addr, &t->remote_port);
	if (err)
		return err;
	return family == t->family ? 0 : -EINVAL;
}

static int get_sessid(int s, void *optval, socklen_t *optlen)
{
	uint8_t sessid[TC_CTL_SESSID_LEN];
	struct tc_ctl_tuple t;
	int err;

	if (!optval || !optlen || *optlen < TCPCRYPT_SID_MAXLEN)
		return -EINVAL;
	err = socket_tuple(s, &t);
	if (err)
		return err;
	err = tc_lib_query_sessid(&t, sessid);
	if (err)
		return err;
	memcpy(optval, sessid, TCPCRYPT_SID_MAXLEN);
	*optlen = TCPCRYPT_SID_MAXLEN;
	return 0;
}

TCPCRYPT_EXPORT int tcpcrypt_getsockopt(int s, int level, int optname,
					void *optval, socklen_t *optlen)
{
	int err;

	err = check_tcp_socket(s);
	if (!err)
		err = check_optname(level, optname);
	if (!err)
		err = optname == TCP_CRYPT_SESSID ?
			get_sessid(s, optval, optlen) : -ENOPROTOOPT;
	if (err) {
		errno = -err;
		return -1;
	}
	return 0;
}

TCPCRYPT_EXPORT int tcpcrypt_setsockopt(int s, int level, int optname,
					const void *optval, socklen_t optlen)
{
	int err;

	(void)optval;
	(void)optlen;
	err = check_tcp_socket(s);
	if (!err)
		err = check_optname(level, optname);
	/* Every setting needs the module's per-socket policy (data path) */
	errno = err ? -err : ENOPROTOOPT;
	return -1;
}
