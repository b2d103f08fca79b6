// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <tcpcrypt/tcpcrypt.h>

#include "internal.h"
#include "sockname.h"
#include "util.h"

/* Options of the original library that this release knows of */
static const int known_opts[] = {
	TCP_CRYPT_ENABLE, TCP_CRYPT_CMODE, TCP_CRYPT_SESSID,
	TCP_CRYPT_RSA_KEY, TCP_CRYPT_APP_SUPPORT, TCP_CRYPT_RESET,
	TCP_CRYPT_NOCACHE, TCP_CRYPT_NETSTAT, TCP_CRYPT_NORESUME,
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
	err = tc_sock_endpoint(&local, &t->family, t->local_addr,
			       &t->local_port);
	if (err)
		return err;
	err = tc_sock_endpoint(&remote, &family, t->remote_addr,
			       &t->remote_port);
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

	err = tc_sock_check_tcp(s);
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

/* TCP_CRYPT_NOCACHE, TCP_CRYPT_NORESUME: one bit of the socket's policy */
static int set_policy(int s, uint32_t bit, const void *optval,
		      socklen_t optlen)
{
	struct tc_ctl_policy p = { .mask = bit };
	int on;

	if (!optval || optlen != sizeof(int))
		return -EINVAL;
	memcpy(&on, optval, sizeof(on));
	p.flags = on ? bit : 0;
	return tc_lib_set_policy(s, &p);
}

TCPCRYPT_EXPORT int tcpcrypt_setsockopt(int s, int level, int optname,
					const void *optval, socklen_t optlen)
{
	int err;

	err = tc_sock_check_tcp(s);
	if (!err)
		err = check_optname(level, optname);
	if (!err) {
		if (optname == TCP_CRYPT_NOCACHE)
			err = set_policy(s, TC_CTL_POLICY_NO_CACHE, optval,
					 optlen);
		else if (optname == TCP_CRYPT_NORESUME)
			err = set_policy(s, TC_CTL_POLICY_NO_RESUME, optval,
					 optlen);
		else
			err = -ENOPROTOOPT;
	}
	if (err) {
		errno = -err;
		return -1;
	}
	return 0;
}
