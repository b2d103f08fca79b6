// SPDX-License-Identifier: GPL-2.0
/*
 * LOCAL_IN: wire segments of the peer become app segments.
 *
 * The checksum is verified first (a corrupt segment is dropped as TCP
 * would, never taken for an attack). The payload goes into the
 * reassembly ring; the peer's Init is consumed there; complete frames are
 * authenticated and decrypted into new pages, and only their plaintext
 * reaches the local TCP, at its app sequence numbers, in segments built
 * from this one's headers: the last in this skb, the others ahead of it
 * through the hook's continuation. ACK, SACK and window are translated
 * from the wire to the app space on the way.
 *
 * The local TCP sees a segment only if it carries plaintext, or moves the
 * ACK or the window, or is a duplicate ACK of the peer: a segment holding
 * part of a frame must not look like a duplicate ACK to it. What it cannot
 * acknowledge (the Init, data held out of order or received twice) the
 * module acknowledges itself, with SACK blocks, so that the peer's loss
 * recovery keeps working.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/tcp.h>
#include "conn.h"
#include "dp_priv.h"
#include "dp_win.h"
#include "init_msg.h"
#include "kex.h"

/* Page-sized plaintext chunks of the largest frame */
#define DP_RX_CHUNKS		DIV_ROUND_UP(TCPC_FRAME_MAX_PLAIN, PAGE_SIZE)

/* What one inbound segment leads to, acted upon after the lock */
struct dp_in_ctx {
	struct dp_piece *pieces;
	u32 npieces;
	struct sk_buff_head deliver;	/* app segments ahead of this one */
	struct sk_buff_head send;	/* module-built wire segments */
	u8 *init;			/* the peer's Init, for the kex code */
	u32 init_len;
	int err;			/* abort the connection */
};

/* The peer's ACK information as the local TCP must see it */
struct dp_ackv {
	bool ack;
	bool moved;		/* the app ACK advanced */
	bool dup;		/* the wire ACK did not move */
	u64 app_ack;
	u16 win;
	u32 nsack;
	struct tcpc_dpopt_sack sack[TCPC_DPOPT_SACK_MAX];
};

static void dp_note_sock(struct tcpc_dp *dp, const struct sock *sk)
{
	if (sk && sk_fullsock(sk) && sk->sk_type == SOCK_STREAM &&
	    sk->sk_protocol == IPPROTO_TCP) {
		const struct tcp_sock *tp = tcp_sk(sk);

		dp->local.mss = READ_ONCE(tp->mss_cache);
		dp->local.snd_wscale = tp->rx_opt.snd_wscale;
		dp->local.rcv_wscale = tp->rx_opt.rcv_wscale;
		dp->local.tcp_known = true;
	}
}

static void dp_map_sack(struct tcpc_dp *dp, const struct dp_seg *seg,
			struct dp_ackv *av)
{
	const struct tcpc_txmap *tx = &dp->tx;
	struct tcpc_range app;
	u64 s, e;
	u32 i;

	for (i = 0; dp->tx_ready && i < seg->opt.nsack; i++) {
		if (tcpc_txmap_wire_off(tx, seg->opt.sack[i].start, &s) ||
		    tcpc_txmap_wire_off(tx, seg->opt.sack[i].end, &e) ||
		    tcpc_txmap_sack(tx, s, e, &app))
			continue;
		av->sack[av->nsack].start = tcpc_txmap_app_seq(tx, app.start);
		av->sack[av->nsack].end = tcpc_txmap_app_seq(tx, app.end);
		av->nsack++;
	}
}

/*
 * The peer's cumulative ACK frees the frames it covers and becomes the
 * app ACK; its window shrinks by the framing overhead; its SACK blocks
 * name the app bytes they wholly cover. -ERANGE: it acknowledges bytes
 * never sent, and the segment is dropped.
 */
static int dp_in_ack(struct tcpc_dp *dp, const struct dp_seg *seg,
		     struct dp_ackv *av)
{
	struct tcpc_txmap *tx = &dp->tx;
	u32 mss = dp->local.tcp_known && dp->local.mss ? dp->local.mss : 536;
	u8 ws = dp->local.tcp_known ? dp->local.snd_wscale : 0;
	u64 wire_ack = 0, bytes, app_win;
	int r = 0;

	if (!seg->ackf)
		return 0;
	av->ack = true;
	if (dp->tx_ready) {
		if (tcpc_txmap_wire_off(tx, seg->ack, &wire_ack) ||
		    wire_ack > tcpc_txmap_wire_nxt(tx))
			return -ERANGE;
		dp_tx_release(dp, wire_ack);
		r = tcpc_txmap_ack(tx, wire_ack, &av->app_ack);
		if (r < 0)
			return r;
	} else if (seg->ack != dp->isn_local + 1) {
		return -ERANGE;
	}
	av->moved = !dp->ack_in_known || av->app_ack > dp->ack_in;
	av->dup = dp->ack_in_known && !(r & TCPC_TXACK_WIRE_MOVED) &&
		  !(r & TCPC_TXACK_OLD);
	bytes = (u64)seg->win << ws;
	app_win = dp->tx_ready ? tcpc_dp_app_window(tx, wire_ack + bytes, mss) :
				 bytes;
	av->win = tcpc_dp_win_field(app_win, ws);
	dp_map_sack(dp, seg, av);
	return 0;
}

/* Write the translated ACK side into the segment's header */
static void dp_in_set_ack(struct tcpc_dp *dp, struct sk_buff *skb,
			  const struct dp_seg *seg, const struct dp_ackv *av)
{
	struct tcphdr *th = dp_th(skb, seg);

	if (av->ack) {
		th->ack_seq = htonl(tcpc_off_to_seq(dp->isn_local,
						    av->app_ack));
		dp->ack_in = max(dp->ack_in, av->app_ack);
		dp->ack_in_known = true;
	}
	th->window = htons(av->win);
	dp->win_in = av->win;
	tcpc_dpopt_set_sack(dp_opts(skb, seg), &seg->opt, av->sack, av->nsack);
	th->urg = 0;
	th->urg_ptr = 0;
	th->syn = 0;
	th->rst = 0;
	th->fin = 0;
}

/* The payload, piece by piece as the skb holds it, into the ring */
static int dp_in_feed(struct tcpc_dp *dp, struct sk_buff *skb,
		      const struct dp_seg *seg)
{
	u32 hdr = seg->thoff + seg->thlen, done = 0, n;
	struct skb_seq_state st;
	const u8 *data;
	int res = 0, r;
	u64 off;

	if (tcpc_rxmap_wire_off(&dp->rx, seg->seq, &off))
		return -EINVAL;
	if (seg->len) {
		skb_prepare_seq_read(skb, hdr, hdr + seg->len, &st);
		while ((n = skb_seq_read(done, &data, &st))) {
			r = tcpc_rxmap_segment(&dp->rx, off + done, data, n,
					       false);
			if (r < 0) {
				skb_abort_seq_read(&st);
				return r;
			}
			res |= r;
			done += n;
		}
	}
	if (seg->fin) {
		r = tcpc_rxmap_segment(&dp->rx, off + seg->len, NULL, 0, true);
		if (r < 0)
			return r;
		res |= r;
	}
	if (res & TCPC_RXSEG_NEW)
		res &= ~TCPC_RXSEG_DUP;
	return res;
}

/*
 * The peer's Init, once wholly received in order: checked for its magic
 * and a sane length, copied out for the key exchange, and consumed (the
 * module acknowledges it; the local TCP never sees it).
 */
static int dp_in_init(struct tcpc_dp *dp, struct dp_in_ctx *ctx)
{
	struct tcpc_rxmap *rx = &dp->rx;
	u8 hdr[TCPC_INIT_HDR_LEN];
	u32 magic, len;
	u8 *msg;
	int err;

	if (rx->init_done)
		return 0;
	if (!rx->init_known) {
		if (tcpc_rxmap_copy(rx, 0, sizeof(hdr), hdr))
			return 0;
		magic = tcpc_get_be32(hdr);
		len = tcpc_get_be32(hdr + 4);
		if (magic != (dp->role == TCPCRYPT_ROLE_A ? TCPC_INIT2_MAGIC :
							    TCPC_INIT1_MAGIC) ||
		    len < TCPC_INIT_HDR_LEN || len > TCPC_INIT_MAX_LEN)
			return -EBADMSG;
		err = tcpc_rxmap_set_init_len(rx, len);
		if (err)
			return err;
	}
	if (!tcpc_rxmap_init_ready(rx))
		return 0;
	len = rx->init_len;
	/* without memory, the peer's retransmission will bring us back */
	msg = kmalloc(len, GFP_ATOMIC);
	if (!msg)
		return 0;
	err = tcpc_rxmap_copy(rx, 0, len, msg);
	if (!err)
		err = tcpc_rxmap_consume_init(rx);
	if (err) {
		kfree(msg);
		return err;
	}
	ctx->init = msg;
	ctx->init_len = len;
	return 0;
}

static void dp_put_chunks(u8 **chunk, u32 n)
{
	while (n--)
		page_frag_free(chunk[n]);
}

/*
 * Authenticate and decrypt frame @f from the ring into new pages. Its data
 * becomes pieces in @ctx; with @verdict the rxmap learns the outcome (a
 * first opening), without it the frame is opened again for redelivery.
 * -ENOSPC: no room in this call's pieces; -ENOMEM: try again later.
 */
static int dp_open(struct tcpc_dp *dp, struct tcpc_rxframe *f,
		   struct dp_in_ctx *ctx, bool verdict)
{
	u32 plain = f->wire_len - TCPC_FRAME_HDR_LEN - TCPC_FRAME_TAG_LEN;
	u32 nch = DIV_ROUND_UP(plain, PAGE_SIZE), i, skip, at;
	struct tcpc_frame_prefix pfx;
	struct tcpc_rxspan span[2];
	struct scatterlist wsg[2], psg[DP_RX_CHUNKS];
	u8 *chunk[DP_RX_CHUNKS];
	int n, err;
	u8 ctl;

	if (ctx->npieces + nch + 1 > DP_RX_PIECES || nch > DP_RX_CHUNKS)
		return -ENOSPC;
	tcpc_rxmap_copy(&dp->rx, f->wire_off, 1, &ctl);
	/* key generations above 0 are not derived yet: fail cleanly */
	if (ctl & TCPC_FRAME_CTL_REKEY)
		return -EOPNOTSUPP;
	n = tcpc_rxmap_spans(&dp->rx, f->wire_off, f->wire_len, span);
	if (n < 0)
		return n;
	sg_init_table(wsg, n);
	for (i = 0; i < n; i++)
		sg_set_buf(&wsg[i], span[i].data, span[i].len);
	sg_init_table(psg, nch);
	for (i = 0; i < nch; i++) {
		u32 clen = min_t(u32, plain - i * PAGE_SIZE, PAGE_SIZE);

		chunk[i] = page_frag_alloc(&dp->rx_pf, clen, GFP_ATOMIC);
		if (!chunk[i]) {
			dp_put_chunks(chunk, i);
			return -ENOMEM;
		}
		sg_set_buf(&psg[i], chunk[i], clen);
	}
	err = tcpc_frame_open(&dp->keys->peer, f->wire_off, wsg, f->wire_len,
			      psg, &pfx);
	if (!err && verdict)
		err = tcpc_rxmap_auth_ok(&dp->rx, f, plain -
					 tcpc_frame_prefix_len(&pfx), pfx.fin);
	else if (err == -EBADMSG && verdict)
		err = tcpc_rxmap_auth_fail(&dp->rx, f);
	if (err) {
		dp_put_chunks(chunk, nch);
		return err;
	}
	skip = tcpc_frame_prefix_len(&pfx);
	at = 0;
	for (i = 0; i < nch; i++) {
		u32 clen = psg[i].length, s = min(skip, clen);
		struct page *page = virt_to_head_page(chunk[i]);
		struct dp_piece *p = &ctx->pieces[ctx->npieces];

		skip -= s;
		if (s == clen) {
			page_frag_free(chunk[i]);
			continue;
		}
		/* the piece takes over the allocation's page reference */
		p->page = page;
		p->off = chunk[i] + s - (u8 *)page_address(page);
		p->len = clen - s;
		p->app_off = f->app_off + at;
		at += p->len;
		ctx->npieces++;
	}
	if (f->flags & TCPC_RXF_FIN) {
		ctx->pieces[ctx->npieces].page = NULL;
		ctx->pieces[ctx->npieces].len = 0;
		ctx->pieces[ctx->npieces].app_off = f->app_off + f->dlen;
		ctx->npieces++;
	}
	if (verdict)
		dp->bytes_in += f->dlen;
	return 0;
}

/* Every frame complete in order, once the keys exist */
static int dp_in_frames(struct tcpc_dp *dp, struct dp_in_ctx *ctx)
{
	struct tcpc_rxframe *f;
	int err;

	while (dp->keys) {
		f = dp->rx_pending;
		if (!f) {
			err = tcpc_rxmap_next_frame(&dp->rx, &f);
			if (err == -EAGAIN || err == -ENOBUFS)
				return 0;
			if (err)
				return err;
		}
		err = dp_open(dp, f, ctx, true);
		if (err == -ENOMEM || err == -ENOSPC) {
			dp->rx_pending = f;
			return 0;
		}
		dp->rx_pending = NULL;
		if (err)
			return err;
	}
	return 0;
}

/*
 * The peer sent again what the module holds: if the local TCP did not
 * take all that was delivered (its buffer was full), deliver it again,
 * decrypted anew from the ring.
 */
static int dp_in_redeliver(struct tcpc_dp *dp, struct dp_in_ctx *ctx)
{
	struct tcpc_rxframe *f;
	u32 i;
	int err;

	if (!dp->keys || dp->rx.app_acked >= dp->rx_dlv)
		return 0;
	for (i = 0; (f = tcpc_rxmap_authed(&dp->rx, i)); i++) {
		if (f->app_off + f->dlen + !!(f->flags & TCPC_RXF_FIN) <=
		    dp->rx.app_acked)
			continue;
		err = dp_open(dp, f, ctx, false);
		if (err == -ENOMEM || err == -ENOSPC)
			return 0;
		if (err)
			return err;
	}
	return 0;
}

static void dp_put_pieces(struct dp_in_ctx *ctx, u32 from)
{
	u32 i;

	for (i = from; i < ctx->npieces; i++)
		if (ctx->pieces[i].page)
			put_page(ctx->pieces[i].page);
	ctx->npieces = from;
}

/* Fill app segment @skb with the @n pieces at @p and finish it */
static void dp_fill_app(struct tcpc_dp *dp, struct sk_buff *skb,
			const struct dp_seg *seg, const struct dp_piece *p,
			u32 n, bool last)
{
	struct tcphdr *th = dp_th(skb, seg);
	u32 i, frags = 0;

	if (n)
		th->seq = htonl(tcpc_rxmap_app_seq(&dp->rx, p[0].app_off));
	th->psh = last && seg->psh;
	for (i = 0; i < n; i++) {
		if (!p[i].page) {
			th->fin = 1;
			dp->rx_dlv = max(dp->rx_dlv, p[i].app_off + 1);
			continue;
		}
		skb_add_rx_frag(skb, frags++, p[i].page, p[i].off, p[i].len,
				p[i].len);
		dp->rx_dlv = max(dp->rx_dlv, p[i].app_off + p[i].len);
	}
	skb_gso_reset(skb);
	if (frags > 1) {
		skb_shinfo(skb)->gso_type = seg->family == AF_INET ?
					    SKB_GSO_TCPV4 : SKB_GSO_TCPV6;
		skb_shinfo(skb)->gso_size = p[0].len;
		skb_shinfo(skb)->gso_segs = frags;
	}
	dp_seg_finish_in(skb, seg);
}

/*
 * Turn @skb (headers translated, payload stripped) and copies of it into
 * app segments carrying the pieces: the copies go on ctx->deliver, the
 * last part stays in @skb. Each holds at most MAX_SKB_FRAGS pieces and
 * what one IP packet can.
 */
static void dp_in_build(struct tcpc_dp *dp, struct sk_buff *skb,
			const struct dp_seg *seg, struct dp_in_ctx *ctx)
{
	u32 hdr = seg->thoff + seg->thlen;
	u32 limit = (seg->family == AF_INET ? U16_MAX :
			U16_MAX + sizeof(struct ipv6hdr)) - hdr;
	u32 a = 0, b, bytes, frags;

	while (a < ctx->npieces) {
		struct sk_buff *n;

		for (b = a, bytes = 0, frags = 0; b < ctx->npieces; b++) {
			u32 len = ctx->pieces[b].len;

			if (ctx->pieces[b].page &&
			    (frags == MAX_SKB_FRAGS || bytes + len > limit))
				break;
			frags += !!ctx->pieces[b].page;
			bytes += len;
		}
		if (b == ctx->npieces) {
			dp_fill_app(dp, skb, seg, ctx->pieces + a, b - a, true);
			break;
		}
		n = pskb_copy(skb, GFP_ATOMIC);
		if (!n) {
			/* lost to the local TCP: redelivered on a duplicate */
			dp_put_pieces(ctx, a);
			dp_fill_app(dp, skb, seg, ctx->pieces, 0, true);
			break;
		}
		dp_fill_app(dp, n, seg, ctx->pieces + a, b - a, false);
		__skb_queue_tail(&ctx->deliver, n);
		a = b;
	}
	ctx->npieces = 0;
}

/* A segment without plaintext: worth passing on to the local TCP? */
static bool dp_in_pass_ack(const struct tcpc_dp *dp, const struct dp_seg *seg,
			   const struct dp_ackv *av)
{
	if (!av->ack)
		return false;
	if (av->moved || av->win != dp->win_in)
		return true;
	/* a duplicate ACK of the peer: the local TCP's loss recovery */
	return !seg->len && !seg->fin && av->dup;
}

/*
 * A RST resets the connection only at the exact sequence number a genuine
 * peer uses (RFC 5961 section 3.2): the end of the in-order wire bytes, or
 * our last wire ACK. Any other sequence number at or above that ACK
 * reaches the local TCP one past its rcv_nxt, in its window but not exact,
 * so that it answers with a challenge ACK (translated as usual) to which a
 * genuine peer resets again, exactly; one below it is dropped, as TCP
 * drops it. Translating every RST to the exact point would let a blind
 * attacker reset a protected connection with any sequence number.
 */
static unsigned int dp_in_rst(struct tcpc_dp *dp, struct sk_buff *skb,
			      const struct dp_seg *seg,
			      const struct dp_ackv *av)
{
	u64 off, app = dp->rx_dlv;

	if (tcpc_rxmap_wire_off(&dp->rx, seg->seq, &off) ||
	    off < dp->wire_ack_out ||
	    off - dp->wire_ack_out >= TCPC_RXMAP_BUF_MAX)
		return NF_DROP;
	if (off != dp->rx.rcv_nxt && off != dp->wire_ack_out)
		app++;
	if (seg->len && dp_seg_strip(skb, seg))
		return NF_DROP;
	dp_in_set_ack(dp, skb, seg, av);
	dp_th(skb, seg)->rst = 1;
	dp_th(skb, seg)->seq = htonl(tcpc_rxmap_app_seq(&dp->rx, app));
	skb_gso_reset(skb);
	dp_seg_finish_in(skb, seg);
	return NF_ACCEPT;
}

/* Reassemble, consume the Init, decrypt; what to tell whom */
static int dp_in_data(struct tcpc_dp *dp, struct sk_buff *skb,
		      const struct dp_seg *seg, struct dp_in_ctx *ctx,
		      int *res)
{
	int err;

	*res = 0;
	if (seg->len || seg->fin) {
		err = dp_in_feed(dp, skb, seg);
		/* over budget or inconsistent: drop the data, keep the ACK */
		if (err == -ENOBUFS || err == -EINVAL || err == -ERANGE)
			err = 0;
		if (err < 0)
			return err;
		*res = err;
		err = dp_in_init(dp, ctx);
		if (err)
			return err;
	}
	err = dp_in_frames(dp, ctx);
	if (err)
		return err;
	if ((*res & TCPC_RXSEG_DUP) && !ctx->npieces)
		return dp_in_redeliver(dp, ctx);
	return 0;
}

static unsigned int dp_in_locked(struct tcpc_conn *conn, struct sk_buff *skb,
				 const struct dp_seg *seg,
				 struct dp_in_ctx *ctx)
{
	struct tcpc_dp *dp = &conn->dp;
	unsigned int verdict = NF_DROP;
	struct dp_ackv av = { };
	bool plain;
	int res, err;

	if (dp_in_ack(dp, seg, &av))
		return NF_DROP;
	if (seg->rst)
		return dp_in_rst(dp, skb, seg, &av);
	err = dp_in_data(dp, skb, seg, ctx, &res);
	if (err) {
		dp_put_pieces(ctx, 0);
		dp->aborted = true;
		ctx->err = err;
		return NF_DROP;
	}
	plain = ctx->npieces;
	if (plain || dp_in_pass_ack(dp, seg, &av)) {
		if (dp_seg_strip(skb, seg)) {
			dp_put_pieces(ctx, 0);
		} else {
			dp_in_set_ack(dp, skb, seg, &av);
			dp_th(skb, seg)->seq =
				htonl(tcpc_rxmap_app_seq(&dp->rx, dp->rx_dlv));
			if (ctx->npieces) {
				dp_in_build(dp, skb, seg, ctx);
			} else {
				skb_gso_reset(skb);
				dp_seg_finish_in(skb, seg);
			}
			verdict = NF_ACCEPT;
		}
	}
	/*
	 * ACK at once what the local TCP will not: data out of order or
	 * received twice, the Init, data-less frames, the FIN after FINp.
	 */
	if ((res & (TCPC_RXSEG_OOO | TCPC_RXSEG_DUP)) || ctx->init ||
	    (!plain && tcpc_rxmap_wire_ack(&dp->rx) > dp->wire_ack_out))
		dp_craft_ack(conn, &ctx->send);
	return verdict;
}

/**
 * tcpc_dp_in() - translate one segment of the peer for the local TCP
 * @conn: its connection, negotiated and not plain
 * @skb: the segment, at LOCAL_IN
 * @state: the hook state
 *
 * Context: LOCAL_IN hook, softirq.
 *
 * Return: NF_ACCEPT with the segment rewritten in app space (app segments
 * before it already delivered), or NF_DROP: a bad checksum, nothing for
 * the local TCP, or the connection aborted.
 */
unsigned int tcpc_dp_in(struct tcpc_conn *conn, struct sk_buff *skb,
			const struct nf_hook_state *state)
{
	struct tcpc_dp *dp = &conn->dp;
	struct dp_in_ctx ctx = { };
	unsigned int verdict;
	struct dp_seg seg;
	struct sk_buff *n;

	if (dp_seg_parse(skb, dp->family, &seg))
		return NF_DROP;
	/* corrupt in transit: dropped as TCP would, never an attack */
	if (nf_checksum(skb, state->hook, seg.thoff, IPPROTO_TCP, state->pf))
		return NF_DROP;
	if (seg.syn)
		return NF_ACCEPT;
	if (skb_unclone(skb, GFP_ATOMIC))
		return NF_DROP;
	__skb_queue_head_init(&ctx.deliver);
	__skb_queue_head_init(&ctx.send);
	spin_lock_bh(&dp->lock);
	if (!dp->live || dp->dead || dp->aborted) {
		verdict = NF_DROP;
	} else {
		if (!dp->net_known) {
			write_pnet(&dp->net, state->net);
			dp->net_known = true;
		}
		dp_note_sock(dp, skb->sk);
		dp->nonsyn_seen = true;
		ctx.pieces = dp->rx_pieces;
		verdict = dp_in_locked(conn, skb, &seg, &ctx);
	}
	spin_unlock_bh(&dp->lock);

	while ((n = __skb_dequeue(&ctx.deliver)))
		state->okfn(state->net, state->sk, n);
	dp_inject_list(dp, &ctx.send);
	if (ctx.init) {
		tcpc_kex_peer_init(conn, ctx.init, ctx.init_len);
		kfree(ctx.init);
	}
	if (ctx.err)
		tcpc_conn_abort(conn, -ctx.err);
	return verdict;
}
