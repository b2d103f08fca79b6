// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include "sockname.h"

int tc_sock_endpoint(const struct sockaddr_storage *ss, int *family,
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

int tc_sock_check_tcp(int fd)
{
	int type, protocol, domain;
	socklen_t len = sizeof(int);

	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0)
		return -errno;
	len = sizeof(int);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0)
		return -errno;
	len = sizeof(int);
	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &protocol, &len) < 0)
		return -errno;
	if ((domain != AF_INET && domain != AF_INET6) ||
	    type != SOCK_STREAM || protocol != IPPROTO_TCP)
		return -ENOPROTOOPT;
	return 0;
}

void tc_scm_put_fd(struct msghdr *m, union tc_scm_fd_buf *buf, int fd)
{
	struct cmsghdr *cm;

	memset(buf, 0, sizeof(*buf));
	m->msg_control = buf->buf;
	m->msg_controllen = sizeof(buf->buf);
	cm = CMSG_FIRSTHDR(m);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
}

int tc_scm_take_fd(struct msghdr *m)
{
	struct cmsghdr *cm;
	size_t i, nfds;
	int fd, first = -1;

	for (cm = CMSG_FIRSTHDR(m); cm; cm = CMSG_NXTHDR(m, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		nfds = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < nfds; i++) {
			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(fd));
			if (first < 0)
				first = fd;
			else
				close(fd);
		}
	}
	return first;
}
