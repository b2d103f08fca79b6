/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Address of the control socket, as given to tcpcryptd -u, to
 * tcpcrypt_setparam(TCPCRYPT_PARAM_CTLPATH) or in TCPCRYPT_CTLPATH:
 * "/path/to/socket" for a unix socket, ":port" for 127.0.0.1:port.
 */
#ifndef TC_CTLADDR_H
#define TC_CTLADDR_H

#include <sys/socket.h>

struct tc_ctl_addr {
	struct sockaddr_storage ss;	/* sockaddr_un or sockaddr_in */
	socklen_t len;
};

/*
 * Returns 0, -EINVAL (empty, or a bad port) or -ENAMETOOLONG (a path that
 * does not fit in sun_path).
 */
int tc_ctl_addr_parse(const char *spec, struct tc_ctl_addr *a);

/* "/run/tcpcryptd.control" or "127.0.0.1:5000", for messages */
const char *tc_ctl_addr_str(const struct tc_ctl_addr *a, char *buf,
			    size_t len);

#endif /* TC_CTLADDR_H */
