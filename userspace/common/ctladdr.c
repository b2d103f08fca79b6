// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/un.h>

#include "ctladdr.h"
#include "util.h"

static int parse_port(const char *s, struct tc_ctl_addr *a)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&a->ss;
	unsigned long port;

	if (tc_parse_uint(s, 65535, &port) || !port)
		return -EINVAL;
	memset(&a->ss, 0, sizeof(a->ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a->len = sizeof(*sin);
	return 0;
}

int tc_ctl_addr_parse(const char *spec, struct tc_ctl_addr *a)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)&a->ss;
	size_t len;

	if (!spec || !*spec)
		return -EINVAL;
	if (spec[0] == ':')
		return parse_port(spec + 1, a);

	len = strlen(spec);
	if (len >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	memset(&a->ss, 0, sizeof(a->ss));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, spec, len + 1);
	a->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + 1);
	return 0;
}

const char *tc_ctl_addr_str(const struct tc_ctl_addr *a, char *buf,
			    size_t len)
{
	const struct sockaddr_un *sun = (const struct sockaddr_un *)&a->ss;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)&a->ss;

	if (a->ss.ss_family == AF_UNIX)
		snprintf(buf, len, "%s", sun->sun_path);
	else
		snprintf(buf, len, "127.0.0.1:%u", ntohs(sin->sin_port));
	return buf;
}
