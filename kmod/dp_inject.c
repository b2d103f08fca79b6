// SPDX-License-Identifier: GPL-2.0
/*
 * Segments the module sends itself, and how they leave: Init messages and
 * their retransmissions, ACKs carrying SACK blocks for the data it holds,
 * RSTs (all built in wire space), and the app segments it held until the
 * keys existed (re-sent in app space, to be framed by the hook).
 *
 * Everything goes out through ip_local_out()/ip6_local_out(), so that
 * conntrack, NAT and the filter see it once, like any local packet. A
 * per-CPU pointer names the skb being sent while the call runs: the hooks
 * see it synchronously on this CPU, with BH disabled, and let wire-space
 * packets through untouched while re-sent app segments are framed.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/percpu.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/tcp.h>
#include "conn.h"
#include "dp_priv.h"
#include "dp_win.h"

static DEFINE_PER_CPU(const struct sk_buff *, dp_inject_cur);
static DEFINE_PER_CPU(const struct sk_buff *, dp_reinject_cur);

/**
 * tcpc_injecting() - whether the module itself is sending @skb in wire space
 * @skb: a packet at LOCAL_OUT
 *
 * Context: a netfilter hook.
 */
bool tcpc_injecting(const struct sk_buff *skb)
{
	return this_cpu_read(dp_inject_cur) == skb;
}

/* Whether @skb is an app segment the module is re-sending after holding */
bool dp_reinjecting(const struct sk_buff *skb)
{
	return this_cpu_read(dp_reinject_cur) == skb;
}

static int dp_local_out(struct net *net, struct sock *sk, struct sk_buff *skb,
			u8 family)
{
	if (family == AF_INET)
		return ip_local_out(net, sk, skb);
	return ip6_local_out(net, sk, skb);
}

static int dp_send_marked(struct net *net, struct sk_buff *skb, u8 family,
			  const struct sk_buff __percpu **mark, bool own)
{
	const struct sk_buff *prev;
	int err;

	local_bh_disable();
	prev = this_cpu_read(*mark);
	this_cpu_write(*mark, skb);
	err = dp_local_out(net, own ? skb->sk : NULL, skb, family);
	this_cpu_write(*mark, prev);
	local_bh_enable();
	return err;
}

/* Send a wire-space segment built or split by the module; consumes @skb */
int dp_inject(struct net *net, struct sk_buff *skb, u8 family)
{
	return dp_send_marked(net, skb, family, &dp_inject_cur, false);
}

/* Send a held app segment again, to be framed now; consumes @skb */
int dp_reinject(struct net *net, struct sk_buff *skb, u8 family)
{
	return dp_send_marked(net, skb, family, &dp_reinject_cur, true);
}

/* Send what a locked section prepared; call without the lock held */
void dp_inject_list(struct tcpc_dp *dp, struct sk_buff_head *list)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(list)))
		dp_inject(dp_net(dp), skb, dp->family);
}

static int dp_craft_ip4(struct tcpc_conn *conn, struct sk_buff *skb)
{
	const struct tcpc_dp *dp = &conn->dp;
	struct net *net = dp_net(dp);
	__be32 saddr = conn->key.laddr.s6_addr32[0];
	__be32 daddr = conn->key.raddr.s6_addr32[0];
	struct flowi4 fl4;
	struct iphdr *iph;
	struct rtable *rt;

	flowi4_init_output(&fl4, 0, dp->local.mark, RT_TOS(dp->local.tos),
			   RT_SCOPE_UNIVERSE, IPPROTO_TCP, 0, daddr, saddr,
			   conn->key.rport, conn->key.lport,
			   sock_net_uid(net, NULL));
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	skb_dst_set(skb, &rt->dst);

	iph = skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = dp->local.tos;
	iph->tot_len = htons(skb->len);
	iph->frag_off = htons(IP_DF);
	iph->ttl = ip4_dst_hoplimit(&rt->dst);
	iph->protocol = IPPROTO_TCP;
	iph->saddr = saddr;
	iph->daddr = daddr;
	ip_select_ident(net, skb, NULL);
	ip_send_check(iph);
	skb->protocol = htons(ETH_P_IP);
	return 0;
}

static int dp_craft_ip6(struct tcpc_conn *conn, struct sk_buff *skb)
{
	const struct tcpc_dp *dp = &conn->dp;
	struct flowi6 fl6 = {
		.flowi6_proto = IPPROTO_TCP,
		.flowi6_mark = dp->local.mark,
		.daddr = conn->key.raddr,
		.saddr = conn->key.laddr,
		.fl6_sport = conn->key.lport,
		.fl6_dport = conn->key.rport,
	};
	struct dst_entry *dst;
	struct ipv6hdr *ip6h;
	int err;

	dst = ip6_route_output(dp_net(dp), NULL, &fl6);
	err = dst->error;
	if (err) {
		dst_release(dst);
		return err;
	}
	skb_dst_set(skb, dst);

	ip6h = skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6_flow_hdr(ip6h, dp->local.tos, 0);
	ip6h->payload_len = htons(skb->len - sizeof(*ip6h));
	ip6h->nexthdr = IPPROTO_TCP;
	ip6h->hop_limit = ip6_dst_hoplimit(dst);
	ip6h->saddr = conn->key.laddr;
	ip6h->daddr = conn->key.raddr;
	skb->protocol = htons(ETH_P_IPV6);
	return 0;
}

/*
 * Build one wire segment of @conn from scratch, routed and checksummed
 * (CHECKSUM_PARTIAL), ready for dp_inject(). NULL on failure: the caller
 * drops it, as the network could have, and TCP's or our timers recover.
 */
struct sk_buff *dp_craft(struct tcpc_conn *conn, const struct dp_craft *c)
{
	const struct tcpc_dp *dp = &conn->dp;
	u8 opts[TCPC_DPOPT_SPACE];
	u32 olen = tcpc_dpopt_build(opts, &c->opt);
	u32 thlen = sizeof(struct tcphdr) + olen;
	struct sk_buff *skb;
	struct tcphdr *th;
	int err;

	skb = alloc_skb(MAX_TCP_HEADER + c->len, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, MAX_TCP_HEADER);
	if (c->len)
		skb_put_data(skb, c->data, c->len);
	th = skb_push(skb, thlen);
	skb_reset_transport_header(skb);
	memset(th, 0, sizeof(*th));
	th->source = conn->key.lport;
	th->dest = conn->key.rport;
	th->seq = htonl(c->seq);
	th->ack_seq = htonl(c->ack);
	th->doff = thlen / 4;
	tcp_flag_byte(th) = c->flags;
	th->window = htons(c->win);
	memcpy(th + 1, opts, olen);
	skb->mark = dp->local.mark;

	err = dp->family == AF_INET ? dp_craft_ip4(conn, skb) :
				      dp_craft_ip6(conn, skb);
	if (err) {
		kfree_skb(skb);
		return NULL;
	}
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct tcphdr, check);
	if (dp->family == AF_INET)
		th->check = ~csum_tcpudp_magic(ip_hdr(skb)->saddr,
					       ip_hdr(skb)->daddr,
					       thlen + c->len, IPPROTO_TCP, 0);
	else
		th->check = ~csum_ipv6_magic(&ipv6_hdr(skb)->saddr,
					     &ipv6_hdr(skb)->daddr,
					     thlen + c->len, IPPROTO_TCP, 0);
	return skb;
}

/*
 * The window field to send the peer for the local TCP's @app_field: the
 * same, but never past what the reassembly ring can still take.
 */
u16 dp_wire_window(struct tcpc_dp *dp, u16 app_field)
{
	u64 limit = dp->rx.base + (u64)dp->rx.buf_mask + 1;
	u64 ack = tcpc_rxmap_wire_ack(&dp->rx);
	/* before the socket was seen, assume the usual scale of Linux */
	u8 ws = dp->local.tcp_known ? dp->local.rcv_wscale : 7;
	u32 cap = tcpc_dp_win_field(limit > ack ? limit - ack : 0, ws);

	return min_t(u32, app_field, cap);
}

/* Options of a module-built segment: as the local TCP would send them */
void dp_craft_opts(struct tcpc_dp *dp, struct tcpc_dpopt_out *opt, bool sack)
{
	struct tcpc_range blocks[TCPC_DPOPT_SACK_MAX];
	u32 i;

	memset(opt, 0, sizeof(*opt));
	opt->ts = dp->local.ts;
	opt->tsval = dp->local.tsval;
	opt->tsecr = dp->local.tsecr;
	if (!sack)
		return;
	opt->nsack = tcpc_rxmap_sack(&dp->rx, blocks, TCPC_DPOPT_SACK_MAX);
	for (i = 0; i < opt->nsack; i++) {
		opt->sack[i].start = tcpc_rxmap_wire_seq(&dp->rx, blocks[i].start);
		opt->sack[i].end = tcpc_rxmap_wire_seq(&dp->rx, blocks[i].end);
	}
}

static u64 dp_wire_nxt(const struct tcpc_dp *dp)
{
	return dp->tx_ready ? tcpc_txmap_wire_nxt(&dp->tx) : 0;
}

static u16 dp_craft_window(struct tcpc_dp *dp)
{
	return dp_wire_window(dp, dp->local.win_known ? dp->local.win :
							U16_MAX);
}

/*
 * A wire ACK from the module (caller holds the lock): for the peer's Init,
 * for data held out of order or received twice (a duplicate ACK with SACK
 * blocks keeps the peer's loss recovery going), for what the local TCP
 * has no reason to acknowledge.
 */
int dp_craft_ack(struct tcpc_conn *conn, struct sk_buff_head *out)
{
	struct tcpc_dp *dp = &conn->dp;
	struct dp_craft c = {
		.flags = TCPHDR_ACK,
	};
	struct sk_buff *skb;

	if (!dp->net_known)
		return -ENOTCONN;
	dp->wire_ack_out = tcpc_rxmap_wire_ack(&dp->rx);
	c.seq = tcpc_off_to_seq(dp->isn_local, dp_wire_nxt(dp));
	c.ack = tcpc_rxmap_wire_seq(&dp->rx, dp->wire_ack_out);
	c.win = dp_craft_window(dp);
	dp_craft_opts(dp, &c.opt, true);
	skb = dp_craft(conn, &c);
	if (!skb)
		return -ENOMEM;
	__skb_queue_tail(out, skb);
	return 0;
}

/* Largest payload of a module-built segment */
static u32 dp_craft_mss(const struct tcpc_dp *dp)
{
	if (dp->local.tcp_known && dp->local.mss)
		return dp->local.mss + TCPC_FRAME_OVERHEAD;
	return 536;
}

/*
 * Segments for the wire bytes no app byte owns (the Init, data-less
 * frames after the last data), which only the module's timer resends;
 * the caller holds the lock. PSH marks the end of the Init (RFC 8548
 * section 3.3) and of the range.
 */
int dp_craft_unowned(struct tcpc_conn *conn, struct sk_buff_head *out)
{
	struct tcpc_dp *dp = &conn->dp;
	u32 mss = dp_craft_mss(dp);
	struct tcpc_txpiece p, q;
	struct tcpc_txiter it;
	struct tcpc_range r;
	struct sk_buff *skb;
	struct dp_craft c;
	int err;

	/* a frame still being sealed must not go out: the timer sends it */
	if (!dp->tx_ready || !dp->net_known || dp->tx_inflight ||
	    !tcpc_txmap_unowned(&dp->tx, &r))
		return 0;
	err = tcpc_txmap_iter_init(&it, &dp->tx, r.start, r.end);
	if (err)
		return err;
	dp->wire_ack_out = tcpc_rxmap_wire_ack(&dp->rx);
	while (tcpc_txmap_iter_next(&it, &p)) {
		const u8 *bytes = dp_piece_at(dp, &p);
		u32 done = 0;

		/* a frame's prefix, data and tag lie in one page: merge */
		while (p.kind != TCPC_TXP_INIT && p.kind != TCPC_TXP_TAG &&
		       tcpc_txmap_iter_next(&it, &q)) {
			p.len += q.len;
			p.kind = q.kind;
		}
		while (done < p.len) {
			u64 off = p.wire_off + done;

			memset(&c, 0, sizeof(c));
			c.len = min(mss, p.len - done);
			c.data = bytes + done;
			c.seq = tcpc_off_to_seq(dp->isn_local, off);
			c.ack = tcpc_rxmap_wire_seq(&dp->rx, dp->wire_ack_out);
			c.flags = TCPHDR_ACK;
			if (off + c.len == dp->tx.cfg.init_len ||
			    off + c.len == r.end)
				c.flags |= TCPHDR_PSH;
			c.win = dp_craft_window(dp);
			dp_craft_opts(dp, &c.opt, false);
			skb = dp_craft(conn, &c);
			if (!skb)
				return -ENOMEM;
			__skb_queue_tail(out, skb);
			done += c.len;
		}
	}
	return 0;
}
