// SPDX-License-Identifier: GPL-2.0
/*
 * Load-time tests of the TCP header edits of the ENO handshake (tcpseg.c)
 * on real skbs, IPv4 and IPv6: adding the SYN option and "45 02", the MSS
 * clamp and the discarding of SYN data must leave the lengths right and
 * the checksum valid, whether it was complete or left to the device.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include "selftest.h"
#include "tcpseg.h"

/* What Linux puts in a SYN: MSS 1460, SACK-permitted, timestamps, WS 7 */
static const u8 syn_opts[] __initconst = {
	0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x03, 0x03, 0x07,
};

/* ...and in a data segment: NOP, NOP, timestamps */
static const u8 data_opts[] __initconst = {
	0x01, 0x01, 0x08, 0x0a, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x00, 0x00, 0x01,
};

static const u8 eno_syn[] __initconst = { 0x45, 0x04, 0x23, 0x21 };
static const u8 eno_ack[] __initconst = { 0x45, 0x02 };

struct seg_spec {
	u8 family;
	u8 flags;
	bool partial;		/* CHECKSUM_PARTIAL, as TCP leaves it */
	const u8 *opts;
	unsigned int optlen;
	unsigned int payload;
};

static unsigned int __init net_hdr_len(u8 family)
{
	return family == AF_INET ? sizeof(struct iphdr) :
				   sizeof(struct ipv6hdr);
}

static __sum16 __init pseudo(const struct sk_buff *skb, u8 family,
			     unsigned int len, __wsum base)
{
	if (family == AF_INET)
		return csum_tcpudp_magic(ip_hdr(skb)->saddr,
					 ip_hdr(skb)->daddr, len, IPPROTO_TCP,
					 base);
	return csum_ipv6_magic(&ipv6_hdr(skb)->saddr, &ipv6_hdr(skb)->daddr,
			       len, IPPROTO_TCP, base);
}

static void __init net_hdr_fill(struct sk_buff *skb, u8 family,
				unsigned int tcplen)
{
	if (family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		iph->version = 4;
		iph->ihl = 5;
		iph->ttl = 64;
		iph->protocol = IPPROTO_TCP;
		iph->tot_len = htons(sizeof(*iph) + tcplen);
		iph->saddr = htonl(0x0a000001);
		iph->daddr = htonl(0x0a000002);
		ip_send_check(iph);
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ip6h->version = 6;
		ip6h->nexthdr = IPPROTO_TCP;
		ip6h->hop_limit = 64;
		ip6h->payload_len = htons(tcplen);
		ip6h->saddr.s6_addr[0] = 0xfd;
		ip6h->saddr.s6_addr[15] = 1;
		ip6h->daddr.s6_addr[0] = 0xfd;
		ip6h->daddr.s6_addr[15] = 2;
	}
}

/* A segment as a hook would see it, checksummed per @spec->partial */
static struct sk_buff *__init seg_build(const struct seg_spec *spec)
{
	unsigned int nhl = net_hdr_len(spec->family);
	unsigned int tcplen = sizeof(struct tcphdr) + spec->optlen +
			      spec->payload;
	struct sk_buff *skb = alloc_skb(MAX_HEADER + nhl + tcplen,
					GFP_KERNEL);
	struct tcphdr *th;

	if (!skb)
		return NULL;
	skb_reserve(skb, MAX_HEADER);
	skb_put_zero(skb, nhl + tcplen);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, nhl);
	net_hdr_fill(skb, spec->family, tcplen);
	th = tcp_hdr(skb);
	th->source = htons(40000);
	th->dest = htons(80);
	th->seq = htonl(1000);
	th->doff = (sizeof(*th) + spec->optlen) / 4;
	tcp_flag_byte(th) = spec->flags;
	th->window = htons(64240);
	memcpy(th + 1, spec->opts, spec->optlen);
	memset((u8 *)(th + 1) + spec->optlen, 0x5a, spec->payload);
	if (spec->partial) {
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = skb_transport_header(skb) - skb->head;
		skb->csum_offset = offsetof(struct tcphdr, check);
		th->check = ~pseudo(skb, spec->family, tcplen, 0);
	} else {
		skb->ip_summed = CHECKSUM_NONE;
		th->check = pseudo(skb, spec->family, tcplen,
				   skb_checksum(skb, nhl, tcplen, 0));
	}
	return skb;
}

/* Lengths agree with each other and the checksum is what TCP expects */
static bool __init seg_consistent(struct sk_buff *skb, u8 family)
{
	unsigned int nhl = net_hdr_len(family);
	unsigned int tcplen = skb->len - nhl;
	struct tcphdr *th = (struct tcphdr *)(skb->data + nhl);

	if (family == AF_INET) {
		if (ntohs(ip_hdr(skb)->tot_len) != skb->len ||
		    ip_fast_csum(ip_hdr(skb), ip_hdr(skb)->ihl))
			return false;
	} else if (ntohs(ipv6_hdr(skb)->payload_len) != tcplen) {
		return false;
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		return skb->csum_start == skb_headroom(skb) + nhl &&
		       skb->csum_offset == offsetof(struct tcphdr, check) &&
		       th->check == (__sum16)~pseudo(skb, family, tcplen, 0);
	return !pseudo(skb, family, tcplen, skb_checksum(skb, nhl, tcplen, 0));
}

/* The options area of @skb is @want, byte for byte */
static bool __init seg_opts_are(struct sk_buff *skb, u8 family,
				const u8 *want, unsigned int len)
{
	struct tcphdr *th = (struct tcphdr *)(skb->data + net_hdr_len(family));

	return th->doff * 4 == sizeof(*th) + len && !memcmp(th + 1, want, len);
}

static bool __init check_add_syn_option(u8 family, bool partial)
{
	const struct seg_spec spec = {
		.family = family, .flags = TCPHDR_SYN, .partial = partial,
		.opts = syn_opts, .optlen = sizeof(syn_opts),
	};
	u8 want[sizeof(syn_opts) + sizeof(eno_syn)];
	struct sk_buff *skb = seg_build(&spec);
	struct tcpc_seg seg;
	bool ok;

	if (!skb)
		return false;
	memcpy(want, syn_opts, sizeof(syn_opts));
	memcpy(want + sizeof(syn_opts), eno_syn, sizeof(eno_syn));
	ok = !tcpc_seg_parse(skb, family, &seg) &&
	     !tcpc_seg_add_option(&seg, eno_syn, sizeof(eno_syn)) &&
	     seg.optlen == sizeof(want) &&
	     seg_opts_are(skb, family, want, sizeof(want)) &&
	     seg_consistent(skb, family);
	kfree_skb(skb);
	return ok;
}

static bool __init check_add_ack_option(u8 family, bool partial)
{
	const struct seg_spec spec = {
		.family = family, .flags = TCPHDR_ACK | TCPHDR_PSH,
		.partial = partial, .opts = data_opts,
		.optlen = sizeof(data_opts), .payload = 100,
	};
	struct sk_buff *skb = seg_build(&spec);
	u8 want[sizeof(data_opts)];
	struct tcpc_seg seg;
	unsigned int len;
	bool ok;

	if (!skb)
		return false;
	len = skb->len;
	memcpy(want, data_opts, sizeof(want));
	memcpy(want, eno_ack, sizeof(eno_ack));
	/* The alignment NOPs make room: the segment keeps its length */
	ok = !tcpc_seg_parse(skb, family, &seg) &&
	     !tcpc_seg_add_option(&seg, eno_ack, sizeof(eno_ack)) &&
	     skb->len == len && seg.payload == 100 &&
	     seg_opts_are(skb, family, want, sizeof(want)) &&
	     seg_consistent(skb, family);
	kfree_skb(skb);
	return ok;
}

static bool __init check_clamp_and_trim(u8 family, bool partial)
{
	const struct seg_spec spec = {
		.family = family, .flags = TCPHDR_SYN, .partial = partial,
		.opts = syn_opts, .optlen = sizeof(syn_opts), .payload = 10,
	};
	struct sk_buff *skb = seg_build(&spec);
	u8 want[sizeof(syn_opts)];
	struct tcpc_seg seg;
	bool ok;

	if (!skb)
		return false;
	memcpy(want, syn_opts, sizeof(want));
	want[2] = (1440 >> 8);
	want[3] = 1440 & 0xff;
	ok = !tcpc_seg_parse(skb, family, &seg) &&
	     tcpc_seg_clamp_mss(&seg, 20) == 1 &&
	     !tcpc_seg_drop_payload(&seg, NF_INET_LOCAL_IN) &&
	     skb->len == net_hdr_len(family) + sizeof(struct tcphdr) +
			 sizeof(syn_opts) &&
	     seg_opts_are(skb, family, want, sizeof(want)) &&
	     seg_consistent(skb, family);
	kfree_skb(skb);
	return ok;
}

/* A corrupted segment is refused, never given a valid checksum */
static bool __init check_bad_checksum(u8 family)
{
	const struct seg_spec spec = {
		.family = family, .flags = TCPHDR_SYN,
		.opts = syn_opts, .optlen = sizeof(syn_opts), .payload = 10,
	};
	struct sk_buff *skb = seg_build(&spec);
	struct tcpc_seg seg;
	bool ok;

	if (!skb)
		return false;
	skb->data[skb->len - 1] ^= 1;
	ok = !tcpc_seg_parse(skb, family, &seg) &&
	     tcpc_seg_clamp_mss(&seg, 20) == -EBADMSG &&
	     tcpc_seg_drop_payload(&seg, NF_INET_LOCAL_IN) == -EBADMSG;
	kfree_skb(skb);
	return ok;
}

int __init tcpc_seg_selftest(void)
{
	static const u8 families[] __initconst = { AF_INET, AF_INET6 };
	int i, partial;

	for (i = 0; i < ARRAY_SIZE(families); i++) {
		for (partial = 0; partial < 2; partial++) {
			if (!check_add_syn_option(families[i], partial) ||
			    !check_add_ack_option(families[i], partial) ||
			    !check_clamp_and_trim(families[i], partial)) {
				pr_err("self-test TCP header edits failed (family %u, %s checksum)\n",
				       families[i],
				       partial ? "partial" : "complete");
				return -EINVAL;
			}
		}
		if (!check_bad_checksum(families[i])) {
			pr_err("self-test TCP header edits accept a bad checksum (family %u)\n",
			       families[i]);
			return -EINVAL;
		}
	}
	return 0;
}
