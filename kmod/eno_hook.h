/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TCP-ENO handshake on live segments (RFC 8547 section 4.6, with the
 * tcpcrypt rules of RFC 8548 section 3.2): the SYN option we offer, the
 * SYN-ACK option we answer, "45 02" until the peer's first non-SYN
 * segment, every fallback to plain TCP, the MSS clamp, the discarding of
 * SYN data, and the switch-on that hands a connection to the data path.
 */
#ifndef _TCPC_ENO_HOOK_H
#define _TCPC_ENO_HOOK_H

#include <linux/types.h>

struct tcpc_conn;
struct tcpc_net;
struct tcpc_seg;

/* What the hook does with a segment after the ENO code looked at it */
enum tcpc_seg_action {
	TCPC_SEG_PASS,		/* let it through (edited or not) */
	TCPC_SEG_DROP,
	TCPC_SEG_DP,		/* encryption is on: to the data path */
	TCPC_SEG_AGAIN,		/* the state moved on meanwhile: redispatch */
};

enum tcpc_seg_action tcpc_eno_offer(struct tcpc_net *tn,
				    struct tcpc_seg *seg);
enum tcpc_seg_action tcpc_eno_answer(struct tcpc_net *tn,
				     struct tcpc_seg *seg,
				     unsigned int hooknum);
enum tcpc_seg_action tcpc_eno_out(struct tcpc_conn *conn,
				  struct tcpc_seg *seg);
enum tcpc_seg_action tcpc_eno_in(struct tcpc_conn *conn,
				 struct tcpc_seg *seg, unsigned int hooknum);

int tcpc_eno_syn_data(struct tcpc_net *tn, struct tcpc_seg *seg,
		      unsigned int hooknum);
enum tcpc_seg_action tcpc_eno_synack_again(struct tcpc_conn *conn,
					   struct tcpc_seg *seg);
int tcpc_eno_ack_option(struct tcpc_conn *conn, struct tcpc_seg *seg);
void tcpc_eno_nonsyn_received(struct tcpc_conn *conn);

/* A SYN-only segment on a 4-tuple that already has an entry */
enum tcpc_syn_kind {
	TCPC_SYN_SAME,		/* this connection's: the ENO code decides */
	TCPC_SYN_NEW,		/* a new connection reuses the 4-tuple */
	TCPC_SYN_PASS,		/* to TCP untouched (it answers with an ACK) */
	TCPC_SYN_DROP,
};

enum tcpc_syn_kind tcpc_eno_classify_syn(struct tcpc_conn *conn,
					 const struct tcpc_seg *seg,
					 bool outbound);

/*
 * For the data path, which builds segments of its own: true while they
 * must carry the non-SYN-form ENO option "45 02" (RFC 8547 section 4.6:
 * until a non-SYN segment has been received).
 */
bool tcpc_conn_eno_pending(const struct tcpc_conn *conn);

#endif /* _TCPC_ENO_HOOK_H */
