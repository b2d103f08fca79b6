/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * TCPCRYPT_CMD_KEX_REQUEST and TCPCRYPT_CMD_KEX_REPLY messages (see
 * include/uapi/linux/tcpcrypt.h) to and from struct kex_request and
 * struct kex_reply.
 *
 * The module is trusted, but what it sends is checked like any input. The
 * request parser walks the attributes itself rather than through a libnl
 * policy, so that a request with a usable connection id and a broken
 * other attribute still gets an error reply: the module then aborts the
 * connection at once instead of after its reply timeout.
 */
#ifndef TCPCRYPTD_KEX_GENL_H
#define TCPCRYPTD_KEX_GENL_H

#include <netlink/msg.h>

#include "kex_engine.h"

/*
 * Parse nlh, a message of the generic netlink family family. Returns 0
 * with req pointing into nlh; -ENOMSG when nlh is no KEX_REQUEST (not
 * ours to answer); -EBADMSG when it is a malformed one, req->conn_id then
 * being its connection id when that attribute was usable, else 0.
 */
int kex_request_parse(const struct nlmsghdr *nlh, int family,
		      struct kex_request *req);

/* The KEX_REPLY carrying rep, or NULL when out of memory */
struct nl_msg *kex_reply_build(int family, const struct kex_reply *rep);

/* Wipe (it may hold a PRK) and free a message of kex_reply_build() */
void kex_reply_msg_free(struct nl_msg *msg);

#endif /* TCPCRYPTD_KEX_GENL_H */
