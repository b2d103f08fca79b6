// SPDX-License-Identifier: GPL-2.0
/*
 * TCP segment parsing and the header edits of the ENO handshake.
 *
 * Segments are edited only at LOCAL_OUT and LOCAL_IN, where skb->data is
 * the network header. Received segments are verified before an edit that
 * rewrites their checksum, so that a corrupted segment is never given a
 * valid checksum on its way to TCP.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include "conn.h"
#include "tcpseg.h"

static int seg_thoff(struct sk_buff *skb, u8 family)
{
	__be16 frag_off = 0;
	u8 nexthdr;
	int thoff;

	if (family == AF_INET) {
		const struct iphdr *iph = ip_hdr(skb);

		if (iph->protocol != IPPROTO_TCP || ip_is_fragment(iph))
			return -EINVAL;
		return skb_network_offset(skb) + ip_hdrlen(skb);
	}
	nexthdr = ipv6_hdr(skb)->nexthdr;
	thoff = ipv6_skip_exthdr(skb, skb_network_offset(skb) +
				 sizeof(struct ipv6hdr), &nexthdr, &frag_off);
	if (thoff < 0 || nexthdr != IPPROTO_TCP || frag_off)
		return -EINVAL;
	return thoff;
}

/**
 * tcpc_seg_parse() - describe the TCP segment an skb carries
 * @skb: at LOCAL_OUT or LOCAL_IN
 * @family: AF_INET or AF_INET6
 * @seg: receives the header fields and a copy of the options
 *
 * Return: 0, or -EINVAL when @skb is no complete, unfragmented TCP
 * segment (such packets are never touched).
 */
int tcpc_seg_parse(struct sk_buff *skb, u8 family, struct tcpc_seg *seg)
{
	const struct tcphdr *th;
	struct tcphdr _th;
	int thoff = seg_thoff(skb, family);

	if (thoff < 0)
		return thoff;
	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	if (!th || th->doff < sizeof(_th) / 4 ||
	    skb->len < thoff + th->doff * 4)
		return -EINVAL;
	seg->skb = skb;
	seg->family = family;
	seg->thoff = thoff;
	seg->hdrlen = th->doff * 4;
	seg->payload = skb->len - thoff - seg->hdrlen;
	seg->seq = ntohl(th->seq);
	seg->ack = ntohl(th->ack_seq);
	seg->flags = tcp_flag_byte(th);
	seg->optlen = seg->hdrlen - sizeof(_th);
	if (seg->optlen &&
	    skb_copy_bits(skb, thoff + sizeof(_th), seg->opts, seg->optlen))
		return -EINVAL;
	return 0;
}

/* The TCP checksum of a received segment is right (or already checked) */
bool tcpc_seg_csum_ok(struct tcpc_seg *seg, unsigned int hooknum)
{
	return !nf_checksum(seg->skb, hooknum, seg->thoff, IPPROTO_TCP,
			    seg->family);
}

/* The connection key: local is the source of an outbound segment */
void tcpc_seg_key(const struct tcpc_seg *seg, bool outbound,
		  struct tcpc_conn_key *key)
{
	const struct tcphdr *th = (const void *)(seg->skb->data + seg->thoff);
	__be16 lport = outbound ? th->source : th->dest;
	__be16 rport = outbound ? th->dest : th->source;

	if (seg->family == AF_INET) {
		const struct iphdr *iph = ip_hdr(seg->skb);

		tcpc_conn_key_v4(key, outbound ? iph->saddr : iph->daddr,
				 lport, outbound ? iph->daddr : iph->saddr,
				 rport);
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(seg->skb);

		tcpc_conn_key_v6(key, outbound ? &ip6h->saddr : &ip6h->daddr,
				 lport, outbound ? &ip6h->daddr : &ip6h->saddr,
				 rport);
	}
}

static __sum16 seg_pseudo(const struct tcpc_seg *seg, unsigned int len,
			  __wsum base)
{
	if (seg->family == AF_INET) {
		const struct iphdr *iph = ip_hdr(seg->skb);

		return csum_tcpudp_magic(iph->saddr, iph->daddr, len,
					 IPPROTO_TCP, base);
	}
	return csum_ipv6_magic(&ipv6_hdr(seg->skb)->saddr,
			       &ipv6_hdr(seg->skb)->daddr, len, IPPROTO_TCP,
			       base);
}

/*
 * After an edit: a checksum still to be computed by the device only needs
 * the pseudo-header of the new length; any other is computed again.
 */
static void seg_csum_rebuild(struct tcpc_seg *seg)
{
	struct sk_buff *skb = seg->skb;
	unsigned int len = skb->len - seg->thoff;
	struct tcphdr *th = (struct tcphdr *)(skb->data + seg->thoff);
	__wsum sum;

	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		th->check = ~seg_pseudo(seg, len, 0);
		skb->csum_start = skb_headroom(skb) + seg->thoff;
		skb->csum_offset = offsetof(struct tcphdr, check);
		return;
	}
	th->check = 0;
	sum = skb_checksum(skb, seg->thoff, len, 0);
	th->check = seg_pseudo(seg, len, sum);
	skb->ip_summed = CHECKSUM_NONE;
}

static void seg_fix_ip_len(struct tcpc_seg *seg)
{
	struct sk_buff *skb = seg->skb;

	if (seg->family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		iph->tot_len = htons(skb->len - skb_network_offset(skb));
		ip_send_check(iph);
	} else if (ipv6_hdr(skb)->payload_len) {
		/* 0 stands for a jumbogram, whose length lives elsewhere */
		ipv6_hdr(skb)->payload_len =
			htons(skb->len - skb_network_offset(skb) -
			      sizeof(struct ipv6hdr));
	}
}

/* Replace the options area by @area, @len >= seg->optlen bytes */
static int seg_set_options(struct tcpc_seg *seg, const u8 *area,
			   unsigned int len)
{
	struct sk_buff *skb = seg->skb;
	unsigned int delta = len - seg->optlen;
	struct tcphdr *th;
	int err;

	if (skb_network_offset(skb))
		return -EINVAL;
	err = skb_ensure_writable(skb, seg->thoff + seg->hdrlen);
	if (!err && delta)
		err = skb_cow_head(skb, delta);
	if (err)
		return err;
	if (delta) {
		/* Move the IP and fixed TCP headers down into the headroom */
		skb_push(skb, delta);
		memmove(skb->data, skb->data + delta,
			seg->thoff + sizeof(struct tcphdr));
		skb_reset_network_header(skb);
		skb_set_transport_header(skb, seg->thoff);
	}
	th = (struct tcphdr *)(skb->data + seg->thoff);
	memcpy(th + 1, area, len);
	th->doff = (sizeof(*th) + len) / 4;
	seg->hdrlen += delta;
	seg->optlen = len;
	memcpy(seg->opts, area, len);
	if (delta)
		seg_fix_ip_len(seg);
	seg_csum_rebuild(seg);
	return 0;
}

/**
 * tcpc_seg_add_option() - add one TCP option to an outbound segment
 * @seg: the segment; updated to describe the new header
 * @opt: the option (kind, length, data)
 * @len: its length
 *
 * Room comes from alignment NOPs, the 40-byte option space, or a repack
 * of the existing options (tcpc_tcpopt_insert()); nothing the local TCP
 * put in the header is lost.
 *
 * Return: 0; -ENOSPC when the option cannot fit; another negative errno
 * when @skb could not be made writable (it is then unchanged).
 */
int tcpc_seg_add_option(struct tcpc_seg *seg, const u8 *opt, u8 len)
{
	u8 area[TCPC_TCPOPT_SPACE];
	int n;

	n = tcpc_tcpopt_insert(seg->opts, seg->optlen, opt, len, area);
	if (n < 0)
		return n;
	return seg_set_options(seg, area, n);
}

/**
 * tcpc_seg_clamp_mss() - lower the MSS option of a received SYN
 * @seg: the segment
 * @by: bytes to take off
 *
 * A value not above twice @by is left alone: such a peer is broken and
 * TCP's own minimum applies anyway.
 *
 * Return: 1 when the MSS was lowered; 0 without an MSS option;
 * -EBADMSG when the checksum is wrong (the caller drops the segment);
 * another negative errno when @skb could not be made writable.
 */
int tcpc_seg_clamp_mss(struct tcpc_seg *seg, u16 by)
{
	struct sk_buff *skb = seg->skb;
	int off = tcpc_tcpopt_mss(seg->opts, seg->optlen);
	unsigned int pos;
	u16 mss;
	int err;

	if (off < 0)
		return off == -ENOENT ? 0 : off;
	mss = get_unaligned_be16(seg->opts + off + 2);
	if (mss <= 2 * by)
		return 0;
	if (nf_checksum(skb, NF_INET_LOCAL_IN, seg->thoff, IPPROTO_TCP,
			seg->family))
		return -EBADMSG;
	pos = seg->thoff + sizeof(struct tcphdr) + off + 2;
	err = skb_ensure_writable(skb, pos + 2);
	if (err)
		return err;
	put_unaligned_be16(mss - by, skb->data + pos);
	put_unaligned_be16(mss - by, seg->opts + off + 2);
	seg_csum_rebuild(seg);
	return 1;
}

/**
 * tcpc_seg_drop_payload() - discard the data of a received SYN
 * @seg: the segment
 * @hooknum: the hook it is at, for the checksum verification
 *
 * RFC 8547 section 4.7: TCP then acknowledges only the SYN, never the
 * discarded bytes, and the peer sends them again as ordinary data.
 *
 * Return: 0; -EBADMSG when the checksum is wrong (drop the segment);
 * another negative errno when @skb could not be trimmed.
 */
int tcpc_seg_drop_payload(struct tcpc_seg *seg, unsigned int hooknum)
{
	struct sk_buff *skb = seg->skb;
	int err;

	if (!seg->payload)
		return 0;
	if (nf_checksum(skb, hooknum, seg->thoff, IPPROTO_TCP, seg->family))
		return -EBADMSG;
	/* the headers change: a clone (a packet tap) keeps its own */
	err = skb_ensure_writable(skb, seg->thoff + seg->hdrlen);
	if (err)
		return err;
	err = pskb_trim(skb, seg->thoff + seg->hdrlen);
	if (err)
		return err;
	if (skb_is_gso(skb))
		skb_gso_reset(skb);
	seg->payload = 0;
	seg_fix_ip_len(seg);
	seg_csum_rebuild(seg);
	return 0;
}

/**
 * tcpc_seg_make_probe() - turn a received segment into an empty one that
 * TCP answers with an ACK of what it has
 * @seg: the segment
 * @seq: its new sequence number: one below the receiver's window
 * @hooknum: the hook it is at, for the checksum verification
 *
 * The data goes; TCP takes the empty segment just below its window for a
 * keep-alive probe, acknowledges its rcv_nxt, and keeps nothing of it.
 *
 * Return: 0; -EBADMSG when the checksum is wrong (drop the segment);
 * another negative errno when @skb could not be changed.
 */
int tcpc_seg_make_probe(struct tcpc_seg *seg, u32 seq, unsigned int hooknum)
{
	struct tcphdr *th;
	int err;

	err = tcpc_seg_drop_payload(seg, hooknum);
	if (err)
		return err;
	err = skb_ensure_writable(seg->skb, seg->thoff + seg->hdrlen);
	if (err)
		return err;
	th = (struct tcphdr *)(seg->skb->data + seg->thoff);
	th->seq = htonl(seq);
	th->fin = 0;
	th->psh = 0;
	th->urg = 0;
	th->urg_ptr = 0;
	seg->seq = seq;
	seg->flags &= ~(TCPHDR_FIN | TCPHDR_PSH | TCPHDR_URG);
	seg_csum_rebuild(seg);
	return 0;
}
