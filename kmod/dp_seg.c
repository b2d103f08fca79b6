// SPDX-License-Identifier: GPL-2.0
/*
 * Reading and rewriting one TCP segment of a protected connection: the
 * parsed view, replacing the payload with page fragments, and putting the
 * IP lengths, the TCP checksum and GSO back in order afterwards.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/tcp.h>
#include "dp_priv.h"

static int dp_seg_thoff(struct sk_buff *skb, u8 family, u16 *thoff)
{
	__be16 frag_off = 0;
	u8 nexthdr;
	int off;

	if (family == AF_INET) {
		const struct iphdr *iph = ip_hdr(skb);

		if (iph->protocol != IPPROTO_TCP || ip_is_fragment(iph))
			return -EINVAL;
		*thoff = iph->ihl * 4;
		return 0;
	}
	nexthdr = ipv6_hdr(skb)->nexthdr;
	off = ipv6_skip_exthdr(skb, sizeof(struct ipv6hdr), &nexthdr,
			       &frag_off);
	if (off < 0 || nexthdr != IPPROTO_TCP || frag_off)
		return -EINVAL;
	*thoff = off;
	return 0;
}

/*
 * Parse the segment at skb->data (the network header, as in both hooks),
 * pulling its TCP header into the linear area. Pointers into the header
 * must be taken again after anything that may move it.
 */
int dp_seg_parse(struct sk_buff *skb, u8 family, struct dp_seg *seg)
{
	const struct tcphdr *th;
	int err;

	memset(seg, 0, sizeof(*seg));
	seg->family = family;
	if (skb_network_offset(skb))
		return -EINVAL;
	err = dp_seg_thoff(skb, family, &seg->thoff);
	if (err)
		return err;
	if (!pskb_may_pull(skb, seg->thoff + sizeof(struct tcphdr)))
		return -EINVAL;
	th = (const struct tcphdr *)(skb->data + seg->thoff);
	seg->thlen = th->doff * 4;
	if (seg->thlen < sizeof(struct tcphdr) ||
	    skb->len < seg->thoff + seg->thlen ||
	    !pskb_may_pull(skb, seg->thoff + seg->thlen))
		return -EINVAL;
	th = (const struct tcphdr *)(skb->data + seg->thoff);
	skb_set_transport_header(skb, seg->thoff);
	seg->len = skb->len - seg->thoff - seg->thlen;
	seg->seq = ntohl(th->seq);
	seg->ack = ntohl(th->ack_seq);
	seg->win = ntohs(th->window);
	seg->syn = th->syn;
	seg->fin = th->fin;
	seg->rst = th->rst;
	seg->ackf = th->ack;
	seg->psh = th->psh;
	return tcpc_dpopt_parse(skb->data + seg->thoff + sizeof(*th),
				seg->thlen - sizeof(*th), &seg->opt);
}

/*
 * Drop the payload, keeping the headers and the GSO type (its ECN and
 * fixed-ID bits still describe the segment). The skb must not be cloned
 * (skb_unclone() first), so that its frags and shinfo are its own.
 */
int dp_seg_strip(struct sk_buff *skb, const struct dp_seg *seg)
{
	int err = pskb_trim(skb, seg->thoff + seg->thlen);

	if (err)
		return err;
	skb_shinfo(skb)->gso_size = 0;
	skb_shinfo(skb)->gso_segs = 0;
	skb_shinfo(skb)->flags &= ~SKBFL_SHARED_FRAG;
	return 0;
}

/*
 * Append len bytes of page at off as a fragment, taking a reference. The
 * truesize of an skb charged to a socket must not change (its destructor
 * uncharges what was charged), so only unowned skbs account the memory.
 */
void dp_seg_add_page(struct sk_buff *skb, struct page *page, u32 off,
		     u32 len)
{
	int i = skb_shinfo(skb)->nr_frags;

	get_page(page);
	skb_fill_page_desc(skb, i, page, off, len);
	skb->len += len;
	skb->data_len += len;
	if (!skb->sk)
		skb->truesize += len;
}

static void dp_seg_ip_len(struct sk_buff *skb, const struct dp_seg *seg)
{
	if (seg->family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		iph->tot_len = htons(skb->len);
		ip_send_check(iph);
	} else {
		ipv6_hdr(skb)->payload_len =
			htons(skb->len - sizeof(struct ipv6hdr));
	}
}

static __sum16 dp_seg_pseudo(struct sk_buff *skb, const struct dp_seg *seg,
			     u32 len, __wsum sum)
{
	if (seg->family == AF_INET)
		return csum_tcpudp_magic(ip_hdr(skb)->saddr,
					 ip_hdr(skb)->daddr, len,
					 IPPROTO_TCP, sum);
	return csum_ipv6_magic(&ipv6_hdr(skb)->saddr, &ipv6_hdr(skb)->daddr,
			       len, IPPROTO_TCP, sum);
}

/*
 * An outbound segment after its rewrite: IP length and TCP checksum. TCP
 * hands segments down with CHECKSUM_PARTIAL (the device or the stack's
 * fallback sums the rest, after GSO); anything else is summed here.
 */
void dp_seg_finish_out(struct sk_buff *skb, const struct dp_seg *seg)
{
	struct tcphdr *th = dp_th(skb, seg);
	u32 tcp_len = skb->len - seg->thoff;

	dp_seg_ip_len(skb, seg);
	if (skb->ip_summed == CHECKSUM_PARTIAL || skb_is_gso(skb)) {
		skb->ip_summed = CHECKSUM_PARTIAL;
		th->check = ~dp_seg_pseudo(skb, seg, tcp_len, 0);
		skb->csum_start = skb_transport_header(skb) - skb->head;
		skb->csum_offset = offsetof(struct tcphdr, check);
		return;
	}
	th->check = 0;
	th->check = dp_seg_pseudo(skb, seg, tcp_len,
				  skb_checksum(skb, seg->thoff, tcp_len, 0));
	if (!th->check)
		th->check = CSUM_MANGLED_0;
}

/*
 * An inbound segment after its rewrite: the local TCP takes it as
 * verified, the wire checksum having been checked before anything else.
 */
void dp_seg_finish_in(struct sk_buff *skb, const struct dp_seg *seg)
{
	dp_seg_ip_len(skb, seg);
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	skb->csum_level = 0;
}

/*
 * Cut the payload into wire segments of at most mss bytes (GSO, done by
 * the device or the stack); a payload that fits goes as one segment.
 */
void dp_seg_set_gso(struct sk_buff *skb, const struct dp_seg *seg, u32 mss)
{
	struct skb_shared_info *shinfo = skb_shinfo(skb);
	u32 paylen = skb->len - seg->thoff - seg->thlen;

	if (paylen <= mss) {
		skb_gso_reset(skb);
		return;
	}
	if (!shinfo->gso_type)
		shinfo->gso_type = seg->family == AF_INET ? SKB_GSO_TCPV4 :
							    SKB_GSO_TCPV6;
	shinfo->gso_size = mss;
	shinfo->gso_segs = DIV_ROUND_UP(paylen, mss);
	skb->ip_summed = CHECKSUM_PARTIAL;
}
