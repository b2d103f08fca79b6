// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <tcpcrypt/tcpcrypt.h>

#include "internal.h"
#include "util.h"

/* Parse ip as IPv4 or IPv6; an IPv4-mapped IPv6 address counts as IPv4 */
static int parse_ip(const char *ip, int *family, uint8_t addr[16])
{
	struct in6_addr in6;

	memset(addr, 0, 16);
	if (inet_pton(AF_INET, ip, addr) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, ip, &in6) != 1)
		return -EINVAL;
	if (IN6_IS_ADDR_V4MAPPED(&in6)) {
		*family = AF_INET;
		memcpy(addr, &in6.s6_addr[12], 4);
	} else {
		*family = AF_INET6;
		memcpy(addr, &in6, 16);
	}
	return 0;
}

static int build_tuple(const char *remote_ip, uint16_t remote_port,
		       const char *local_ip, uint16_t local_port,
		       struct tc_ctl_tuple *t)
{
	int family;

	memset(t, 0, sizeof(*t));
	if (!remote_ip || !remote_port)
		return -EINVAL;
	if (parse_ip(remote_ip, &t->family, t->remote_addr))
		return -EINVAL;
	t->remote_port = remote_port;
	t->local_port = local_port;
	if (!local_ip || !*local_ip)
		return 0;
	if (parse_ip(local_ip, &family, t->local_addr) || family != t->family)
		return -EINVAL;
	return 0;
}

TCPCRYPT_EXPORT char *tcpcrypt_getsessid(char *remote_ip, uint16_t remote_port,
					 char *local_ip, uint16_t local_port)
{
	static __thread char hex[2 * TCPCRYPT_SID_MAXLEN + 1];
	uint8_t sessid[TC_CTL_SESSID_LEN];
	struct tc_ctl_tuple t;
	int err;

	err = build_tuple(remote_ip, remote_port, local_ip, local_port, &t);
	if (!err)
		err = tc_lib_query_sessid(&t, sessid);
	if (err) {
		errno = -err;
		return NULL;
	}
	return tc_hex(sessid, TCPCRYPT_SID_MAXLEN, hex, true);
}
