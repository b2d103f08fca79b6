/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A socket's ends as the module files connections: IPv4 or IPv6, with an
 * IPv4-mapped IPv6 address taken for the IPv4 address it is on the wire.
 */
#ifndef TC_SOCKNAME_H
#define TC_SOCKNAME_H

#include <stdint.h>
#include <sys/socket.h>

/*
 * Copy the address (network order, the rest of the 16 bytes zero) and
 * port (host order) of ss. Returns 0, or -ENOPROTOOPT for a family other
 * than AF_INET and AF_INET6.
 */
int tc_sock_endpoint(const struct sockaddr_storage *ss, int *family,
		     uint8_t addr[16], uint16_t *port);

/* 0 when fd is a TCP socket over IPv4 or IPv6; -ENOPROTOOPT, -errno */
int tc_sock_check_tcp(int fd);

/* Room for one file descriptor in a message's ancillary data */
union tc_scm_fd_buf {
	struct cmsghdr h;
	char buf[CMSG_SPACE(sizeof(int))];
};

/* Attach fd to m as SCM_RIGHTS, its ancillary data in buf */
void tc_scm_put_fd(struct msghdr *m, union tc_scm_fd_buf *buf, int fd);

/*
 * The first file descriptor a received m carries as SCM_RIGHTS, any other
 * closed; -1 when none. Give recvmsg() room for a few (a sender may pass
 * more than asked), e.g. CMSG_SPACE(4 * sizeof(int)).
 */
int tc_scm_take_fd(struct msghdr *m);

#endif /* TC_SOCKNAME_H */
