/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Transport to tcpcrypt.ko's generic netlink family over libnl-genl-3:
 * open a socket in the caller's network namespace, resolve the family,
 * send one request and collect its answer (replies, then an ACK, an error
 * or the end of a dump). Errors come back as negative errnos, with the
 * kernel's extended-ACK message, when it sent one, kept for the user.
 */
#ifndef TC_GENL_H
#define TC_GENL_H

#include <stddef.h>
#include <stdint.h>

#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/socket.h>
#include <linux/tcpcrypt.h>

#define TC_GENL_NOT_FOUND_MSG \
	"generic netlink family \"" TCPCRYPT_GENL_NAME \
	"\" not found (is tcpcrypt.ko loaded?)"

struct tc_genl {
	struct nl_sock *sk;
	int family;
	/* Extended-ACK message of the last failed request, or "" */
	char extack[256];
	/* Extended-ACK cookie of the last answer (e.g. a busy daemon's pid) */
	uint8_t cookie[20];	/* NETLINK_MAX_COOKIE_LEN */
	size_t cookie_len;
};

/* One reply message, its top-level attributes parsed with the policy */
typedef int (*tc_genl_reply_fn)(struct nlattr **tb, void *arg);

/*
 * Returns 0, -ENOENT when the family is not registered (module not
 * loaded), or another negative errno.
 */
int tc_genl_open(struct tc_genl *g);
void tc_genl_close(struct tc_genl *g);
int tc_genl_fd(const struct tc_genl *g);

/* A request for cmd; flags e.g. NLM_F_DUMP. NULL when out of memory. */
struct nl_msg *tc_genl_request(const struct tc_genl *g, uint8_t cmd,
			       int flags);

/*
 * Send msg (always consumed) and wait for the end of its answer. Calls fn,
 * when not NULL, for every reply message; the first non-zero value fn
 * returns becomes the result once the answer is fully read. Returns 0 or
 * a negative errno (the kernel's, or -EBADMSG for a reply that does not
 * match the policy).
 */
int tc_genl_transact(struct tc_genl *g, struct nl_msg *msg,
		     tc_genl_reply_fn fn, void *arg);

/*
 * Keep, in g->extack and g->cookie, the extended-ACK message and cookie of
 * the error or ACK e (e must sit in a whole netlink message, as libnl's
 * error callbacks receive it); both are emptied when it has none.
 */
void tc_genl_read_extack(struct tc_genl *g, const struct nlmsgerr *e);

/*
 * Why tc_genl_open() failed, for the user: the missing-module message for
 * -ENOENT, else "cannot open a generic netlink socket: <strerror>".
 */
const char *tc_genl_open_strerror(int err, char *buf, size_t len);

/* libnl error code -> errno */
int tc_nlerr_to_errno(int nlerr);

/*
 * "<strerror>" or "<strerror> (<extack message>)", for error messages.
 * Returns buf.
 */
const char *tc_genl_strerror(const struct tc_genl *g, int err, char *buf,
			     size_t len);

#endif /* TC_GENL_H */
