/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The control-socket protocol between tcpcryptd and libtcpcrypt.
 *
 * Transport: a stream socket, either a unix socket (tcpcryptd -u /path,
 * default /run/tcpcryptd.control, mode 0666 so that any local application
 * may ask) or a TCP socket on 127.0.0.1 (tcpcryptd -u :port). A client may
 * send several requests on one connection, one at a time: it waits for each
 * reply before sending the next request.
 *
 * Every message, in both directions, is an 8-byte header and a body.
 * Integers are big-endian.
 *
 *	 0               4         5    6        8
 *	+-------+-------+---------+----+--------+------------+
 *	| 'T' 'C' 'P' 'C' | version | op | length | body ...   |
 *	+-------+-------+---------+----+--------+------------+
 *
 *   version  TC_CTL_VERSION (1)
 *   op       request: TC_CTL_OP_*; reply: the request's op | 0x80
 *   length   bytes of body that follow, at most TC_CTL_MAX_BODY
 *
 * TC_CTL_OP_GET_SESSID (1): the session ID of one connection, as the
 * local host sees it. Body, 38 bytes:
 *
 *    0  family        4 = IPv4, 6 = IPv6
 *    1  reserved      0
 *    2  local port
 *    4  remote port   non-zero
 *    6  local address, 16 bytes (IPv4: the first 4, the rest zero)
 *   22  remote address, 16 bytes, not all zero
 *
 * A local address of all zeros or a local port of 0 means "any": the daemon
 * then looks for the one protected connection that matches the rest.
 *
 * TC_CTL_OP_SET_POLICY (2): the resumption policy (RFC 8548 section 3.5)
 * of one of the client's sockets, which travels with the request as
 * SCM_RIGHTS ancillary data (so a unix control socket only): whoever can
 * pass a socket owns it. Body, 8 bytes:
 *
 *    0  mask          the TC_CTL_POLICY_* bits to change
 *    4  flags         their new values
 *
 * Set before connect(), the policy goes with the connection the socket
 * opens next; on a listening socket, with every connection it accepts; on
 * a connected one it applies at once (TC_CTL_POLICY_NO_CACHE forgets the
 * secret the connection cached).
 *
 * Every reply has the same 38-byte body:
 *
 *    0  status        0, or a positive Linux errno value
 *    4  sessid length 33 for a GET_SESSID that succeeded, else 0
 *    5  session ID    33 bytes (RFC 8548 section 3.4), zero when absent
 *
 * Statuses the daemon sends:
 *   ENOENT           the module protects no such connection (or it has no
 *                    session ID yet)
 *   ENOTUNIQ         a wildcard request matched more than one connection
 *   EINVAL           malformed request body
 *   EBADF            SET_POLICY without a socket passed along
 *   ENOTSOCK, ENOPROTOOPT
 *                    the socket passed is not a TCP socket
 *   EXDEV            it belongs to another network namespace
 *   EOPNOTSUPP       (also) the kernel cannot tell which (no
 *                    SO_NETNS_COOKIE before Linux 5.14): refused
 *   EINPROGRESS      its connect() is in progress: too late for a policy
 *                    before connect(), too early for a connected one
 *   ENOSPC           the module holds too many socket policies
 *   EDQUOT           this user set POLICY_QUOTA_PER_UID (256) policies
 *                    within 10 minutes (root excepted)
 *   EOPNOTSUPP       unknown op
 *   EPROTO, EPROTONOSUPPORT, EMSGSIZE
 *                    bad magic, version or length: the daemon replies with
 *                    op 0x80 and closes the connection, since it can no
 *                    longer find the next message
 *   others           the error of the module's CONN_GET
 */
#ifndef TC_CTLPROTO_H
#define TC_CTLPROTO_H

#include <stddef.h>
#include <stdint.h>

#define TC_CTL_MAGIC		"TCPC"
#define TC_CTL_VERSION		1
#define TC_CTL_HDR_LEN		8
#define TC_CTL_MAX_BODY		64
#define TC_CTL_MAX_MSG		(TC_CTL_HDR_LEN + TC_CTL_MAX_BODY)

#define TC_CTL_OP_GET_SESSID	1
#define TC_CTL_OP_SET_POLICY	2
#define TC_CTL_OP_REPLY		0x80

/* SET_POLICY bits, the module's TCPCRYPT_SOCK_* */
#define TC_CTL_POLICY_NO_RESUME	0x1	/* fresh key exchange only */
#define TC_CTL_POLICY_NO_CACHE	0x2	/* cache no session secret */
#define TC_CTL_POLICY_ALL	0x3

#define TC_CTL_SESSID_REQ_LEN	38
#define TC_CTL_POLICY_REQ_LEN	8
#define TC_CTL_REPLY_LEN	38
#define TC_CTL_SESSID_LEN	33

#define TC_CTL_DEFAULT_PATH	"/run/tcpcryptd.control"

struct tc_ctl_hdr {
	uint8_t version;
	uint8_t op;
	uint16_t length;
};

struct tc_ctl_tuple {
	int family;			/* AF_INET or AF_INET6 */
	uint16_t local_port;		/* host order; 0 = any */
	uint16_t remote_port;		/* host order */
	uint8_t local_addr[16];		/* network order; zero = any */
	uint8_t remote_addr[16];
};

struct tc_ctl_policy {
	uint32_t mask;			/* TC_CTL_POLICY_* to change */
	uint32_t flags;			/* their values */
};

struct tc_ctl_reply {
	uint32_t status;		/* 0 or a positive errno */
	uint8_t sessid_len;		/* 0 or TC_CTL_SESSID_LEN */
	uint8_t sessid[TC_CTL_SESSID_LEN];
};

/*
 * Check the header at buf. Returns 0 and fills h; -EAGAIN when fewer than
 * TC_CTL_HDR_LEN bytes are there; -EPROTO (magic, checked over however
 * many bytes are there), -EPROTONOSUPPORT (version) or -EMSGSIZE (length)
 * for a header no valid message has.
 */
int tc_ctl_hdr_decode(const uint8_t *buf, size_t len, struct tc_ctl_hdr *h);

/* Returns the bytes written (header and body), or 0 when buf is short. */
size_t tc_ctl_encode_sessid_req(uint8_t *buf, size_t len,
				const struct tc_ctl_tuple *t);
size_t tc_ctl_encode_policy_req(uint8_t *buf, size_t len,
				const struct tc_ctl_policy *p);
/* A session ID goes along when status is 0 and sessid_len is set */
size_t tc_ctl_encode_reply(uint8_t *buf, size_t len, uint8_t req_op,
			   const struct tc_ctl_reply *r);

/* Parse a body. Returns 0, or -EINVAL/-EAFNOSUPPORT (request) or -EBADMSG
 * (reply) for a body this protocol does not allow.
 */
int tc_ctl_decode_sessid_req(const uint8_t *body, size_t len,
			     struct tc_ctl_tuple *t);
int tc_ctl_decode_policy_req(const uint8_t *body, size_t len,
			     struct tc_ctl_policy *p);
int tc_ctl_decode_reply(const uint8_t *body, size_t len,
			struct tc_ctl_reply *r);

#endif /* TC_CTLPROTO_H */
