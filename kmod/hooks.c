// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter hooks, IPv4 and IPv6. For now they recognise well-formed
 * TCP segments and count them per family and direction; no packet is
 * changed or dropped.
 *
 * Placement: LOCAL_OUT runs just before conntrack and LOCAL_IN just after
 * NAT, so that conntrack, NAT and the filter tables only ever see wire
 * sequence numbers once segments are translated, while these hooks see the
 * local socket's own addresses in both directions.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include "hooks.h"
#include "netns.h"

#define TCPC_PRI_IPV4_OUT	(NF_IP_PRI_CONNTRACK - 1)
#define TCPC_PRI_IPV4_IN	(NF_IP_PRI_NAT_SRC + 1)
#define TCPC_PRI_IPV6_OUT	(NF_IP6_PRI_CONNTRACK - 1)
#define TCPC_PRI_IPV6_IN	(NF_IP6_PRI_NAT_SRC + 1)

/* True if a complete TCP header (options included) starts at @thoff */
static bool tcp_header_ok(const struct sk_buff *skb, unsigned int thoff)
{
	struct tcphdr _th;
	const struct tcphdr *th;

	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	if (!th || th->doff < sizeof(_th) / 4)
		return false;
	return skb->len >= thoff + th->doff * 4;
}

/* An unfragmented IPv4 packet carrying a TCP segment */
static bool ipv4_is_tcp(const struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (iph->protocol != IPPROTO_TCP || ip_is_fragment(iph))
		return false;
	return tcp_header_ok(skb, skb_network_offset(skb) + ip_hdrlen(skb));
}

/* An unfragmented IPv6 packet whose last header is TCP */
static bool ipv6_is_tcp(const struct sk_buff *skb)
{
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;
	__be16 frag_off = 0;
	int thoff;

	thoff = ipv6_skip_exthdr(skb, skb_network_offset(skb) +
				 sizeof(struct ipv6hdr), &nexthdr, &frag_off);
	if (thoff < 0 || nexthdr != IPPROTO_TCP || frag_off)
		return false;
	return tcp_header_ok(skb, thoff);
}

static void count(const struct nf_hook_state *state, enum tcpc_stat idx)
{
	tcpc_stats_inc(&tcpc_net(state->net)->stats, idx);
}

static unsigned int ipv4_local_out(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	if (ipv4_is_tcp(skb))
		count(state, TCPC_STAT_IPV4_OUT);
	return NF_ACCEPT;
}

static unsigned int ipv4_local_in(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	if (ipv4_is_tcp(skb))
		count(state, TCPC_STAT_IPV4_IN);
	return NF_ACCEPT;
}

static unsigned int ipv6_local_out(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	if (ipv6_is_tcp(skb))
		count(state, TCPC_STAT_IPV6_OUT);
	return NF_ACCEPT;
}

static unsigned int ipv6_local_in(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	if (ipv6_is_tcp(skb))
		count(state, TCPC_STAT_IPV6_IN);
	return NF_ACCEPT;
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
