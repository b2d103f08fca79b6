/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The daemon's side of the control protocol (common/ctlproto.h), without
 * sockets: find message boundaries in a client's byte stream and answer
 * each request. Every input is untrusted: any byte sequence gets a reply
 * or a framing error, never a crash.
 */
#ifndef TCPCRYPTD_CTL_DISPATCH_H
#define TCPCRYPTD_CTL_DISPATCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ctlproto.h"

/* Look up a session ID: 0, or a negative errno that becomes the status */
typedef int (*ctl_sessid_fn)(const struct tc_ctl_tuple *t,
			     uint8_t sessid[TC_CTL_SESSID_LEN], void *arg);

/* The socket a client passed along with a request, and who the client is */
struct ctl_peer {
	int sock;
	uid_t uid;		/* SO_PEERCRED; (uid_t)-1 when unknown */
};

/* Set the policy of peer->sock: 0, or a negative errno */
typedef int (*ctl_policy_fn)(const struct ctl_peer *peer,
			     const struct tc_ctl_policy *p, void *arg);

struct ctl_handlers {
	ctl_sessid_fn sessid;
	void *sessid_arg;
	/* NULL: SET_POLICY is not offered. Runs in the control worker's
	 * thread (ctl_worker.h), so policy_arg must be its own. */
	ctl_policy_fn policy;
	void *policy_arg;
};

/*
 * The length of the message at the start of buf when it is all there, 0
 * when more bytes are needed, or a negative errno when the header is one
 * no valid message has (the stream cannot be followed any further).
 */
int ctl_frame(const uint8_t *buf, size_t len);

/*
 * Answer one complete message (as delimited by ctl_frame()); peer holds
 * the socket the client passed along with it, NULL when none (the caller
 * still owns it). Writes the reply to out (TC_CTL_MAX_MSG bytes) and
 * returns its length.
 */
size_t ctl_answer(const uint8_t *msg, size_t len,
		  const struct ctl_handlers *handlers,
		  const struct ctl_peer *peer, uint8_t *out, size_t outlen);

/* The reply to a framing error err (< 0) from ctl_frame() */
size_t ctl_answer_framing_error(int err, uint8_t *out, size_t outlen);

#endif /* TCPCRYPTD_CTL_DISPATCH_H */
