/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * When a middlebox strips ENO from the third ACK alone, the two ends
 * disagree (RFC 8547 section 4.6): B saw a first ACK without ENO and must
 * run plain TCP, while A saw ENO both ways, switched encryption on and
 * sends its Init1. This module's B refuses that Init1: the segment never
 * reaches its TCP, which instead acknowledges A's ISN alone, as TCP
 * answers any segment outside its window; and whatever B sends on its own
 * (data, if its application speaks first) acknowledges the same.
 *
 * A genuine tcpcrypt B never sends A a non-SYN segment that leaves all of
 * Init1 unacknowledged: it sends nothing before Init1 arrives and answers
 * it with Init2, acknowledging it. So such a segment, arriving before any
 * byte of B's stream and before the keys, tells A that B runs plain TCP,
 * and A goes back to plain TCP as well (see Documentation/design.md):
 * none of its application's bytes has left yet (they wait for the keys),
 * and its TCP never knew of the Init1 the module sent.
 */
#ifndef _TCPC_PROTO_REFUSAL_H
#define _TCPC_PROTO_REFUSAL_H

#include "types.h"

/* What A's data path knows when a segment of B arrives */
struct tcpc_refusal_state {
	u32 isn_local;		/* A's ISN */
	u32 isn_peer;		/* B's ISN */
	u32 rcv_wnd;		/* how far past B's ISN + 1 a segment may start */
	bool role_a;
	bool keys;		/* traffic keys installed */
	bool resumed;		/* a resumed session: no Init messages */
	bool init_acked;	/* B acknowledged a byte of our Init1 */
	bool peer_bytes;	/* a byte or the FIN of B's stream arrived */
};

/* The header fields of B's segment that matter */
struct tcpc_refusal_seg {
	u32 seq;
	u32 ack;
	bool syn;
	bool rst;
	bool ackf;
};

bool tcpc_init_refused(const struct tcpc_refusal_state *st,
		       const struct tcpc_refusal_seg *seg);

#endif /* _TCPC_PROTO_REFUSAL_H */
