/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A TCP segment as the hooks see it (IPv4 or IPv6, unfragmented), and the
 * few header edits the ENO handshake needs: add an option, lower the MSS,
 * drop SYN data, turn a refused Init1 into a probe. Each edit leaves the
 * IP length and the TCP checksum right, whether the checksum is still to
 * be computed (CHECKSUM_PARTIAL, kept so) or already complete.
 */
#ifndef _TCPC_TCPSEG_H
#define _TCPC_TCPSEG_H

#include <linux/skbuff.h>
#include <net/tcp.h>
#include "tcpopt.h"

struct tcpc_conn_key;

struct tcpc_seg {
	struct sk_buff *skb;
	unsigned int thoff;		/* TCP header, from skb->data */
	unsigned int hdrlen;		/* TCP header with options */
	unsigned int payload;		/* bytes after the TCP header */
	u32 seq;
	u32 ack;
	u8 flags;			/* TCPHDR_* */
	u8 family;			/* AF_INET or AF_INET6 */
	u8 optlen;
	u8 opts[TCPC_TCPOPT_SPACE];	/* a copy of the options area */
};

static inline bool tcpc_seg_syn(const struct tcpc_seg *seg)
{
	return seg->flags & TCPHDR_SYN;
}

/* A SYN-only segment: the active opener's SYN */
static inline bool tcpc_seg_syn_only(const struct tcpc_seg *seg)
{
	return (seg->flags & (TCPHDR_SYN | TCPHDR_ACK)) == TCPHDR_SYN;
}

static inline bool tcpc_seg_synack(const struct tcpc_seg *seg)
{
	return (seg->flags & (TCPHDR_SYN | TCPHDR_ACK)) ==
	       (TCPHDR_SYN | TCPHDR_ACK);
}

static inline bool tcpc_seg_has(const struct tcpc_seg *seg, u8 flag)
{
	return seg->flags & flag;
}

/* Sequence number just past the segment (SYN and FIN count one each) */
static inline u32 tcpc_seg_end_seq(const struct tcpc_seg *seg)
{
	return seg->seq + seg->payload + !!(seg->flags & TCPHDR_SYN) +
	       !!(seg->flags & TCPHDR_FIN);
}

int tcpc_seg_parse(struct sk_buff *skb, u8 family, struct tcpc_seg *seg);
bool tcpc_seg_csum_ok(struct tcpc_seg *seg, unsigned int hooknum);
void tcpc_seg_key(const struct tcpc_seg *seg, bool outbound,
		  struct tcpc_conn_key *key);
int tcpc_seg_add_option(struct tcpc_seg *seg, const u8 *opt, u8 len);
int tcpc_seg_clamp_mss(struct tcpc_seg *seg, u16 by);
int tcpc_seg_drop_payload(struct tcpc_seg *seg, unsigned int hooknum);
int tcpc_seg_make_probe(struct tcpc_seg *seg, u32 seq, unsigned int hooknum);

#endif /* _TCPC_TCPSEG_H */
