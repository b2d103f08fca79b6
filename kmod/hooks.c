// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter hooks, IPv4 and IPv6. Every TCP segment is counted; a
 * segment whose 4-tuple has no entry passes untouched, unless it is a SYN
 * that opens a TCP-ENO negotiation; the segments of an entry go to the
 * ENO code while it negotiates, and to the data path (dp_*.c) from the
 * switch-on on, never untranslated.
 *
 * Placement: LOCAL_OUT runs just before conntrack and LOCAL_IN just after
 * NAT, so that conntrack, NAT and the filter tables only ever see wire
 * sequence numbers, while these hooks see the local socket's own addresses
 * in both directions.
 *
 * IPv4 reaches LOCAL_IN reassembled; IPv6 reassembles after it, so a
 * fragmented segment would reach TCP around the hook: IPv6 fragments of
 * TCP are dropped while the namespace has tcpcrypt connections (TCP never
 * fragments over IPv6 itself: it sizes its segments to the path MTU).
 */
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/route.h>
#include "conn.h"
#include "conn_track.h"
#include "eno_hook.h"
#include "hooks.h"
#include "netns.h"
#include "tcpseg.h"

#define TCPC_PRI_IPV4_OUT	(NF_IP_PRI_CONNTRACK - 1)
#define TCPC_PRI_IPV4_IN	(NF_IP_PRI_NAT_SRC + 1)
#define TCPC_PRI_IPV6_OUT	(NF_IP6_PRI_CONNTRACK - 1)
#define TCPC_PRI_IPV6_IN	(NF_IP6_PRI_NAT_SRC + 1)

static unsigned int seg_verdict(enum tcpc_seg_action act)
{
	return act == TCPC_SEG_DROP ? NF_DROP : NF_ACCEPT;
}

/* The table is empty in most namespaces most of the time */
static bool table_empty(struct tcpc_net *tn)
{
	return !atomic_read(&tn->conns.count);
}

/*
 * The device the local socket is bound to, for looking it up later
 * (conn_timer.c): from the socket itself when one of its own segments
 * goes out...
 */
static void note_socket(struct tcpc_conn *conn, const struct sk_buff *skb)
{
	const struct sock *sk = skb->sk;

	if (sk && sk_fullsock(sk) && sk->sk_protocol == IPPROTO_TCP &&
	    inet_sk(sk)->inet_sport == conn->key.lport &&
	    inet_sk(sk)->inet_dport == conn->key.rport &&
	    (!READ_ONCE(conn->dif_known) ||
	     READ_ONCE(conn->dif) != sk->sk_bound_dev_if)) {
		WRITE_ONCE(conn->dif, sk->sk_bound_dev_if);
		WRITE_ONCE(conn->dif_known, true);
	}
}

/* ...and from each segment coming in, as TCP will look it up */
static void note_input(struct tcpc_conn *conn, const struct sk_buff *skb,
		       u8 family)
{
	int iif = family == AF_INET ? inet_iif(skb) : inet6_iif(skb);
	int sdif = family == AF_INET ? inet_sdif(skb) : inet6_sdif(skb);

	if (READ_ONCE(conn->iif) != iif)
		WRITE_ONCE(conn->iif, iif);
	if (READ_ONCE(conn->sdif) != sdif)
		WRITE_ONCE(conn->sdif, sdif);
}

static unsigned int dp_out(struct tcpc_conn *conn, struct tcpc_seg *seg,
			   const struct nf_hook_state *state)
{
	unsigned int verdict;

	verdict = tcpc_dp_out(conn, seg->skb, state);
	if (verdict == NF_ACCEPT && !tcpc_seg_parse(seg->skb, seg->family, seg))
		tcpc_conn_track_wire(conn, seg, true);
	return verdict;
}

static unsigned int out_conn(struct tcpc_conn *conn, struct tcpc_seg *seg,
			     const struct nf_hook_state *state)
{
	enum tcpc_seg_action act;
	u8 cs;

	tcpc_conn_seen(conn);
	note_socket(conn, seg->skb);
again:
	cs = tcpc_conn_state(conn);
	if (cs == TCPCRYPT_CONN_NEGOTIATING) {
		act = tcpc_eno_out(conn, seg);
		if (act == TCPC_SEG_AGAIN)
			goto again;
	} else if (tcpc_conn_state_switched(cs)) {
		if (tcpc_seg_syn(seg))
			act = tcpc_eno_synack_again(conn, seg);
		else if (tcpc_eno_ack_option(conn, seg))
			act = TCPC_SEG_DROP;
		else
			act = TCPC_SEG_DP;
	} else {
		/*
		 * ABORTED: the data path sent the peer its RST. Before the
		 * switch-on (module unload) the two sequence spaces are one,
		 * and the local TCP's own RST goes out as it is.
		 */
		return tcpc_seg_has(seg, TCPHDR_RST) &&
		       !READ_ONCE(conn->dp_ready) ? NF_ACCEPT : NF_DROP;
	}
	if (act != TCPC_SEG_DP)
		return seg_verdict(act);
	return dp_out(conn, seg, state);
}

/* A segment the data path built, already in wire space */
static unsigned int out_injected(struct tcpc_net *tn, struct tcpc_seg *seg)
{
	struct tcpc_conn_key key;
	struct tcpc_conn *conn;

	if (table_empty(tn))
		return NF_ACCEPT;
	tcpc_seg_key(seg, true, &key);
	conn = tcpc_conn_lookup(&tn->conns, &key);
	if (!conn)
		return NF_ACCEPT;
	if (tcpc_conn_state(conn) != TCPCRYPT_CONN_ABORTED)
		tcpc_eno_ack_option(conn, seg);
	tcpc_conn_track_wire(conn, seg, true);
	tcpc_conn_put(conn);
	return NF_ACCEPT;
}

static unsigned int local_out(struct sk_buff *skb,
			      const struct nf_hook_state *state, u8 family)
{
	struct tcpc_net *tn = tcpc_net(state->net);
	struct tcpc_conn_key key;
	struct tcpc_conn *conn;
	struct tcpc_seg seg;
	unsigned int verdict;

	if (tcpc_seg_parse(skb, family, &seg))
		return NF_ACCEPT;
	tcpc_stats_inc(&tn->stats, family == AF_INET ? TCPC_STAT_IPV4_OUT :
						       TCPC_STAT_IPV6_OUT);
	if (tcpc_injecting(skb))
		return out_injected(tn, &seg);
	if (table_empty(tn) && !tcpc_seg_syn_only(&seg))
		return NF_ACCEPT;

	tcpc_seg_key(&seg, true, &key);
	conn = tcpc_conn_lookup(&tn->conns, &key);
	if (conn && tcpc_seg_syn_only(&seg) &&
	    tcpc_eno_classify_syn(conn, &seg, true) == TCPC_SYN_NEW) {
		tcpc_conn_kill(conn, TCPC_KILL_REPLACED);
		tcpc_conn_put(conn);
		conn = NULL;
	}
	if (!conn)
		return tcpc_seg_syn_only(&seg) ?
		       seg_verdict(tcpc_eno_offer(tn, &seg)) : NF_ACCEPT;
	verdict = out_conn(conn, &seg, state);
	tcpc_conn_put(conn);
	return verdict;
}

static unsigned int in_conn(struct tcpc_conn *conn, struct tcpc_seg *seg,
			    const struct nf_hook_state *state)
{
	enum tcpc_seg_action act;
	u8 cs;

	tcpc_conn_seen(conn);
	note_input(conn, seg->skb, seg->family);
again:
	cs = tcpc_conn_state(conn);
	if (cs == TCPCRYPT_CONN_NEGOTIATING) {
		act = tcpc_eno_in(conn, seg, state->hook);
		if (act == TCPC_SEG_AGAIN)
			goto again;
		if (act != TCPC_SEG_DP)
			return seg_verdict(act);
	} else if (!tcpc_conn_state_switched(cs)) {
		/* ABORTED */
		return NF_DROP;
	} else if (tcpc_seg_syn(seg)) {
		/* The peer's SYN-ACK again: same ISNs in both spaces */
		return NF_ACCEPT;
	}
	if (!tcpc_seg_syn(seg))
		tcpc_eno_nonsyn_received(conn);

	tcpc_conn_track_wire(conn, seg, false);
	return tcpc_dp_in(conn, seg->skb, state);
}

/* A fragment (first or not) of an IPv6 packet carrying TCP */
static bool ipv6_tcp_fragment(const struct sk_buff *skb)
{
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;
	__be16 frag_off = 0;

	return ipv6_skip_exthdr(skb, skb_network_offset(skb) +
				sizeof(struct ipv6hdr), &nexthdr,
				&frag_off) >= 0 &&
	       frag_off && nexthdr == IPPROTO_TCP;
}

static unsigned int local_in(struct sk_buff *skb,
			     const struct nf_hook_state *state, u8 family)
{
	struct tcpc_net *tn = tcpc_net(state->net);
	enum tcpc_syn_kind kind;
	struct tcpc_conn_key key;
	struct tcpc_conn *conn;
	struct tcpc_seg seg;
	unsigned int verdict;

	if (tcpc_seg_parse(skb, family, &seg)) {
		if (family == AF_INET6 && !table_empty(tn) &&
		    ipv6_tcp_fragment(skb))
			return NF_DROP;
		return NF_ACCEPT;
	}
	tcpc_stats_inc(&tn->stats, family == AF_INET ? TCPC_STAT_IPV4_IN :
						       TCPC_STAT_IPV6_IN);
	if (tcpc_injecting(skb))
		return NF_ACCEPT;
	if (tcpc_seg_syn(&seg) &&
	    tcpc_eno_syn_data(tn, &seg, state->hook))
		return NF_DROP;
	if (table_empty(tn) && !tcpc_seg_syn_only(&seg))
		return NF_ACCEPT;

	tcpc_seg_key(&seg, false, &key);
	conn = tcpc_conn_lookup(&tn->conns, &key);
	if (conn && tcpc_seg_syn_only(&seg)) {
		kind = tcpc_eno_classify_syn(conn, &seg, false);
		if (kind == TCPC_SYN_NEW)
			tcpc_conn_kill(conn, TCPC_KILL_REPLACED);
		if (kind != TCPC_SYN_SAME) {
			tcpc_conn_put(conn);
			conn = NULL;
		}
		if (kind == TCPC_SYN_PASS || kind == TCPC_SYN_DROP)
			return kind == TCPC_SYN_PASS ? NF_ACCEPT : NF_DROP;
	}
	if (!conn)
		return tcpc_seg_syn_only(&seg) ?
		       seg_verdict(tcpc_eno_answer(tn, &seg, state->hook)) :
		       NF_ACCEPT;
	verdict = in_conn(conn, &seg, state);
	tcpc_conn_put(conn);
	return verdict;
}

static unsigned int ipv4_local_out(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	return local_out(skb, state, AF_INET);
}

static unsigned int ipv4_local_in(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	return local_in(skb, state, AF_INET);
}

static unsigned int ipv6_local_out(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	return local_out(skb, state, AF_INET6);
}

static unsigned int ipv6_local_in(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	return local_in(skb, state, AF_INET6);
}

static const struct nf_hook_ops tcpc_nf_ops[] = {
	{
		.hook = ipv4_local_out,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = TCPC_PRI_IPV4_OUT,
	},
	{
		.hook = ipv4_local_in,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = TCPC_PRI_IPV4_IN,
	},
	{
		.hook = ipv6_local_out,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = TCPC_PRI_IPV6_OUT,
	},
	{
		.hook = ipv6_local_in,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = TCPC_PRI_IPV6_IN,
	},
};

int tcpc_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, tcpc_nf_ops, ARRAY_SIZE(tcpc_nf_ops));
}

/* Hooks already running may finish after this returns (RCU) */
void tcpc_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, tcpc_nf_ops, ARRAY_SIZE(tcpc_nf_ops));
}
