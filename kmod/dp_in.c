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
#include "refusal.h"

/* What one inbound segment leads to, acted upon after the lock */
struct dp_in_ctx {
	struct dp_piece *pieces;
	u32 npieces;
	struct sk_buff_head deliver;	/* app segments ahead of this one */
	struct sk_buff_head send;	/* module-built wire segments */
	u8 *init;			/* the peer's Init, for the kex code */
	u32 init_len;
	int err;			/* abort the connection */
	bool started;			/* an asynchronous open began */
	bool refused;			/* B runs plain TCP: so do we */
};

/* The peer's ACK information as the local TCP must see it */
struct dp_ackv {
	bool ack;
	bool moved;		/* the app ACK advanced */
	bool dup;		/* the wire ACK did not move */
	bool ka_answer;		/* it acknowledges our keep-alive rekey */
	u64 app_ack;
	u16 win;
	u32 nsack;
	struct tcpc_dpopt_sack sack[TCPC_DPOPT_SACK_MAX];
};


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
	if (dp->ka_end && wire_ack >= dp->ka_end) {
		av->ka_answer = true;
		dp->ka_end = 0;
	}
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
 * The outcome of opening op->f (@err from the AEAD): with op->verdict the
 * rxmap learns it (a first opening), without it the frame was opened
 * again for redelivery. Its data becomes pieces in @ctx.
 */
static int dp_open_finish(struct tcpc_dp *dp, struct dp_rx_op *op,
			  struct dp_in_ctx *ctx, int err)
{
	struct tcpc_rxframe *f = op->f;
	u32 plain = f->wire_len - TCPC_FRAME_HDR_LEN - TCPC_FRAME_TAG_LEN;
	struct tcpc_rekey *rk = &dp->keys->rk;
	u32 i, skip, at;

	if (!err && op->verdict) {
		err = tcpc_rxmap_auth_ok(&dp->rx, f, plain -
					 tcpc_frame_prefix_len(&op->pfx),
					 op->pfx.fin);
		/* the work item builds the generation after it */
		if (!err && op->rekey) {
			tcpc_rekey_rx_commit(rk, true, f->wire_off);
			dp_rekey_kick(dp);
		}
		if (!err)
			dp_rekey_rx_base(dp);
	} else if (err == -EBADMSG && op->verdict) {
		err = tcpc_rxmap_auth_fail(&dp->rx, f);
	}
	if (err) {
		dp_put_chunks(op->chunk, op->nch);
		return err;
	}
	skip = tcpc_frame_prefix_len(&op->pfx);
	at = 0;
	for (i = 0; i < op->nch; i++) {
		u32 clen = op->psg[i].length, s = min(skip, clen);
		struct page *page = virt_to_head_page(op->chunk[i]);
		struct dp_piece *p = &ctx->pieces[ctx->npieces];

		skip -= s;
		if (s == clen) {
			page_frag_free(op->chunk[i]);
			continue;
		}
		/* the piece takes over the allocation's page reference */
		p->page = page;
		p->off = op->chunk[i] + s - (u8 *)page_address(page);
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
	if (op->verdict)
		dp->bytes_in += f->dlen;
	return 0;
}

/* The AEAD finished an open that went asynchronous */
static void dp_open_done(void *arg, int err)
{
	struct tcpc_conn *conn = arg;
	struct dp_rx_op *op = conn->dp.rx_op;

	op->err = err;
	if (atomic_dec_and_test(&op->owners))
		dp_rx_continue(conn);
}

/*
 * Authenticate and decrypt frame @f from the ring into new pages (see
 * dp_open_finish()). -ENOSPC: no room in this call's pieces; -ENOMEM,
 * -EAGAIN: try again later; -EINPROGRESS: the AEAD completes later
 * (dp_open_done()), and until its result is delivered (dp_rx_continue())
 * the ring's bytes stay where they are: no inbound segment is fed
 * meanwhile (rx_hold).
 */
static int dp_open(struct tcpc_dp *dp, struct tcpc_rxframe *f,
		   struct dp_in_ctx *ctx, bool verdict)
{
	struct tcpc_conn *conn = container_of(dp, struct tcpc_conn, dp);
	u32 plain = f->wire_len - TCPC_FRAME_HDR_LEN - TCPC_FRAME_TAG_LEN;
	u32 nch = DIV_ROUND_UP(plain, PAGE_SIZE), i;
	struct dp_rx_op *op = dp->rx_op;
	struct tcpc_rxspan span[2];
	int n, err;
	struct tcpc_rekey *rk = &dp->keys->rk;
	bool rekey;
	u32 gen;
	u8 ctl;

	if (ctx->npieces + nch + 1 > DP_RX_PIECES || nch > DP_RX_CHUNKS)
		return -ENOSPC;
	tcpc_rxmap_copy(&dp->rx, f->wire_off, 1, &ctl);
	rekey = ctl & TCPC_FRAME_CTL_REKEY;
	/*
	 * A first opening takes the peer's current generation, or the next
	 * one for rekey = 1 (the bit is authenticated with the frame: a
	 * forged one fails). Not prepared yet: the frame waits, like one
	 * without memory. Opened again: the generation it was opened with.
	 */
	if (!verdict) {
		gen = tcpc_rekey_gen_at(rk, f->wire_off);
	} else if (tcpc_rekey_rx_gen(rk, rekey, dp->tx.gen, dp->tx.fin,
				     &gen)) {
		dp_rekey_kick(dp);
		return -ENOMEM;
	}
	n = tcpc_rxmap_spans(&dp->rx, f->wire_off, f->wire_len, span);
	if (n < 0)
		return n;
	sg_init_table(op->wsg, n);
	for (i = 0; i < n; i++)
		sg_set_buf(&op->wsg[i], span[i].data, span[i].len);
	sg_init_table(op->psg, nch);
	for (i = 0; i < nch; i++) {
		u32 clen = min_t(u32, plain - i * PAGE_SIZE, PAGE_SIZE);

		op->chunk[i] = page_frag_alloc(&dp->rx_pf, clen, GFP_ATOMIC);
		if (!op->chunk[i]) {
			dp_put_chunks(op->chunk, i);
			return -ENOMEM;
		}
		sg_set_buf(&op->psg[i], op->chunk[i], clen);
	}
	op->nch = nch;
	op->f = f;
	op->verdict = verdict;
	op->rekey = rekey;
	/* the completion waits for this context too (dp_in_skb) */
	atomic_set(&op->owners, 2);
	err = tcpc_frame_open_async(dp_key_peer(dp->keys, gen), f->wire_off,
				    op->wsg, f->wire_len, op->psg, &op->pfx,
				    dp_open_done, conn);
	if (err == -EINPROGRESS) {
		dp_async_begin(conn);
		dp->rx_busy = true;
		dp->rx_hold = true;
		ctx->started = true;
		return err;
	}
	return dp_open_finish(dp, op, ctx, err);
}

/*
 * Every frame complete in order, once the keys exist. A rekey frame of the
 * peer that moved our generation is answered at once (before the next
 * frame: each of its rekeys gets its own answer).
 */
static int dp_in_frames(struct tcpc_conn *conn, struct dp_in_ctx *ctx)
{
	struct tcpc_dp *dp = &conn->dp;
	struct tcpc_rxframe *f;
	int err;

	while (dp->keys && !dp->rx_busy) {
		dp_rekey_answer(conn, &ctx->send);
		f = dp->rx_pending;
		if (!f) {
			err = tcpc_rxmap_next_frame(&dp->rx, &f);
			if (err == -EAGAIN || err == -ENOBUFS)
				return 0;
			if (err)
				return err;
		}
		err = dp_open(dp, f, ctx, true);
		if (err == -ENOMEM || err == -EAGAIN || err == -ENOSPC ||
		    err == -EINPROGRESS) {
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
 * decrypted anew from the ring, the frames from wire offset @from on.
 */
static int dp_in_redeliver(struct tcpc_dp *dp, struct dp_in_ctx *ctx,
			   u64 from)
{
	struct tcpc_rxframe *f;
	u32 i;
	int err;

	if (!dp->keys || dp->rx_busy || dp->rx.app_acked >= dp->rx_dlv)
		return 0;
	for (i = 0; (f = tcpc_rxmap_authed(&dp->rx, i)); i++) {
		if (f->wire_off < from ||
		    f->app_off + f->dlen + !!(f->flags & TCPC_RXF_FIN) <=
		    dp->rx.app_acked)
			continue;
		err = dp_open(dp, f, ctx, false);
		if (err == -ENOMEM || err == -EAGAIN || err == -ENOSPC ||
		    err == -EINPROGRESS)
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
	/*
	 * TCP's coalescing and receive accounting expect truesize to cover
	 * the head buffer and every fragment; a head emptied by the strip
	 * (or copied) may count less. Nothing has charged it to a socket yet.
	 */
	skb->truesize = max_t(u32, skb->truesize,
			      SKB_TRUESIZE(skb_end_offset(skb)) +
			      skb->data_len);
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
	/* the local TCP's keep-alive probe, answered (dp_out.c) */
	if (av->moved || av->win != dp->win_in || av->ka_answer)
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
static int dp_in_data(struct tcpc_conn *conn, struct sk_buff *skb,
		      const struct dp_seg *seg, struct dp_in_ctx *ctx,
		      int *res)
{
	struct tcpc_dp *dp = &conn->dp;
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
	err = dp_in_frames(conn, ctx);
	if (err)
		return err;
	if ((*res & TCPC_RXSEG_DUP) && !ctx->npieces)
		return dp_in_redeliver(dp, ctx, 0);
	return 0;
}

/*
 * Keep the headers of @skb (stripped, in app space) for what the open in
 * flight will yield: @skb itself, or a copy when it goes on now.
 */
static bool dp_rx_set_tmpl(struct tcpc_dp *dp, struct sk_buff *skb,
			   const struct dp_seg *seg, bool copy)
{
	struct dp_rx_op *op = dp->rx_op;
	struct sk_buff *t = copy ? pskb_copy(skb, GFP_ATOMIC) : skb;

	if (op->tmpl)
		dp_rx_release(op->tmpl, NULL, NULL);
	op->tmpl = NULL;
	/* without one, the plaintext is redelivered on the peer's resend */
	if (!t)
		return false;
	if (!dp_rx_keep(t)) {
		if (copy)
			kfree_skb(t);
		return false;
	}
	op->tmpl = t;
	op->tmpl_seg = *seg;
	return true;
}

/*
 * Data after the peer's Init (or any, resumed) while our keys are still
 * being installed: it can only be frames, which the keys will open. Held
 * until then and delivered at once, rather than opened with the peer's
 * next segment, which could be its retransmission, a timeout later.
 */
static bool dp_rx_before_keys(const struct tcpc_dp *dp,
			      const struct dp_seg *seg)
{
	return !dp->keys && (seg->len || seg->fin) &&
	       (dp->resumed || dp->rx.init_done);
}

/* A segment arriving while an open is in flight waits for its result */
static unsigned int dp_rx_wait(struct tcpc_dp *dp, struct sk_buff *skb)
{
	/* the peer resends what is dropped here */
	if (skb_queue_len(&dp->rx_wait) >= DP_RX_WAIT_MAX || !dp_rx_keep(skb))
		return NF_DROP;
	__skb_queue_tail(&dp->rx_wait, skb);
	return NF_STOLEN;
}

/* A: does this segment show that B refused our Init1 (proto/refusal.h)? */
static bool dp_in_refused(const struct tcpc_dp *dp, const struct dp_seg *seg)
{
	const struct tcpc_rxmap *rx = &dp->rx;

	/* the common case, once the keys are in, costs one test */
	if (dp->keys)
		return false;
	struct tcpc_refusal_state st = {
		.isn_local = dp->isn_local,
		.isn_peer = dp->isn_peer,
		.rcv_wnd = dp->local.win_known ?
			   (u32)dp->local.win << dp->local.rcv_wscale :
			   U16_MAX,
		.role_a = dp->role == TCPCRYPT_ROLE_A,
		.keys = dp->keys,
		.resumed = dp->resumed,
		.init_acked = dp->tx_ready && dp->tx.wire_una,
		.peer_bytes = rx->rcv_nxt || rx->nooo || rx->fin_known,
	};
	struct tcpc_refusal_seg s = {
		.seq = seg->seq,
		.ack = seg->ack,
		.syn = seg->syn,
		.rst = seg->rst,
		.ackf = seg->ackf,
	};

	return tcpc_init_refused(&st, &s);
}

static unsigned int dp_in_locked(struct tcpc_conn *conn, struct sk_buff *skb,
				 const struct dp_seg *seg,
				 struct dp_in_ctx *ctx)
{
	struct tcpc_dp *dp = &conn->dp;
	unsigned int verdict = NF_DROP;
	struct dp_ackv av = { };
	bool plain, pass;
	int res, err;

	if (dp_in_refused(dp, seg)) {
		/* the segment goes to the local TCP as B sent it */
		dp->plain = true;
		ctx->refused = true;
		return NF_ACCEPT;
	}
	if (dp_in_ack(dp, seg, &av))
		return NF_DROP;
	if (seg->rst)
		return dp_in_rst(dp, skb, seg, &av);
	err = dp_in_data(conn, skb, seg, ctx, &res);
	if (err) {
		dp_put_pieces(ctx, 0);
		dp->aborted = true;
		ctx->err = err;
		return NF_DROP;
	}
	plain = ctx->npieces;
	pass = plain || dp_in_pass_ack(dp, seg, &av);
	if (pass || ctx->started) {
		if (dp_seg_strip(skb, seg)) {
			dp_put_pieces(ctx, 0);
		} else {
			dp_in_set_ack(dp, skb, seg, &av);
			dp_th(skb, seg)->seq =
				htonl(tcpc_rxmap_app_seq(&dp->rx, dp->rx_dlv));
			/* the open in flight delivers with these headers */
			if (ctx->started && !pass)
				return dp_rx_set_tmpl(dp, skb, seg, false) ?
				       NF_STOLEN : NF_DROP;
			if (ctx->started)
				dp_rx_set_tmpl(dp, skb, seg, true);
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

/*
 * One inbound segment, parsed and checked, through the data path; the
 * app segments ahead of it are delivered here, through @okfn. @resumed:
 * it waited in rx_wait and its turn has come. *@started: an asynchronous
 * open began with it (see tcpc_dp_in()).
 */
static unsigned int dp_in_skb(struct tcpc_conn *conn, struct sk_buff *skb,
			      struct net *net, dp_okfn_t okfn, bool resumed,
			      bool *started)
{
	struct tcpc_dp *dp = &conn->dp;
	struct dp_in_ctx ctx = { };
	unsigned int verdict;
	struct dp_seg seg;
	struct sk_buff *n;

	*started = false;
	if (dp_seg_parse(skb, dp->family, &seg))
		return NF_DROP;
	__skb_queue_head_init(&ctx.deliver);
	__skb_queue_head_init(&ctx.send);
	spin_lock_bh(&dp->lock);
	if (!dp->live || dp->dead || dp->aborted) {
		verdict = NF_DROP;
	} else if (dp->plain) {
		verdict = NF_ACCEPT;
	} else if (dp->rx_hold && !resumed) {
		verdict = dp_rx_wait(dp, skb);
	} else if (dp_rx_before_keys(dp, &seg)) {
		/* frames the keys will open: wait for them (tcpc_dp_rx_keys()) */
		if (!dp->net_known) {
			write_pnet(&dp->net, net);
			dp->net_known = true;
		}
		dp->rx_okfn = okfn;
		dp->rx_hold = true;
		verdict = dp_rx_wait(dp, skb);
	} else {
		if (!dp->net_known) {
			write_pnet(&dp->net, net);
			dp->net_known = true;
		}
		if (dp->rx_op)
			dp->rx_op->okfn = okfn;
		dp_note_sock(dp, skb->sk);
		dp->nonsyn_seen = true;
		ctx.pieces = dp->rx_pieces;
		verdict = dp_in_locked(conn, skb, &seg, &ctx);
	}
	spin_unlock_bh(&dp->lock);

	while ((n = __skb_dequeue(&ctx.deliver)))
		okfn(net, NULL, n);
	dp_inject_list(dp, &ctx.send);
	if (ctx.init) {
		tcpc_kex_peer_init(conn, ctx.init, ctx.init_len);
		kfree(ctx.init);
	}
	if (ctx.err)
		tcpc_conn_abort(conn, -ctx.err);
	if (ctx.refused)
		dp_fall_back(conn);
	*started = ctx.started;
	return verdict;
}

/*
 * The result of the open in flight, its completion and the context that
 * started it both done: the plaintext goes to the local TCP, with the
 * frames after it (which may start another open); an authentication
 * failure aborts, as in the synchronous case. Returns whether another
 * open started.
 */
static bool dp_rx_result(struct tcpc_conn *conn)
{
	struct tcpc_dp *dp = &conn->dp;
	struct dp_rx_op *op = dp->rx_op;
	struct dp_in_ctx ctx = { };
	struct sk_buff *skb = NULL, *n;
	u64 next;
	int err;

	__skb_queue_head_init(&ctx.deliver);
	__skb_queue_head_init(&ctx.send);
	spin_lock_bh(&dp->lock);
	dp->rx_busy = false;
	if (dp->dead || dp->aborted || READ_ONCE(conn->dead)) {
		dp_put_chunks(op->chunk, op->nch);
		goto out_unlock;
	}
	ctx.pieces = dp->rx_pieces;
	next = op->f->wire_off + op->f->wire_len;
	err = dp_open_finish(dp, op, &ctx, op->err);
	if (op->verdict) {
		dp->rx_pending = NULL;
		if (!err)
			err = dp_in_frames(conn, &ctx);
	} else if (!err) {
		err = dp_in_redeliver(dp, &ctx, next);
	}
	if (err) {
		dp_put_pieces(&ctx, 0);
		dp->aborted = true;
		ctx.err = err;
		goto out_unlock;
	}
	if (ctx.npieces && op->tmpl)
		skb = pskb_copy(op->tmpl, GFP_ATOMIC);
	if (skb)
		dp_in_build(dp, skb, &op->tmpl_seg, &ctx);
	else
		dp_put_pieces(&ctx, 0);
	/* data-less frames: the local TCP has nothing to acknowledge */
	if (!skb && tcpc_rxmap_wire_ack(&dp->rx) > dp->wire_ack_out)
		dp_craft_ack(conn, &ctx.send);
out_unlock:
	spin_unlock_bh(&dp->lock);

	while ((n = __skb_dequeue(&ctx.deliver)))
		op->okfn(dp_net(dp), NULL, n);
	if (skb)
		op->okfn(dp_net(dp), NULL, skb);
	dp_inject_list(dp, &ctx.send);
	if (ctx.err)
		tcpc_conn_abort(conn, -ctx.err);
	return ctx.started;
}

/*
 * The next segment that waited, through the data path now. False when
 * none is left: later segments no longer wait (rx_hold cleared).
 */
static bool dp_rx_next(struct tcpc_conn *conn, bool *started)
{
	struct tcpc_dp *dp = &conn->dp;
	struct dp_rx_op *op = dp->rx_op;
	struct sk_buff *skb, *tmpl = NULL;
	struct sk_buff_head purge;
	unsigned int verdict;
	dp_okfn_t okfn;

	*started = false;
	__skb_queue_head_init(&purge);
	spin_lock_bh(&dp->lock);
	if (dp->dead || dp->aborted || READ_ONCE(conn->dead))
		skb_queue_splice_init(&dp->rx_wait, &purge);
	skb = __skb_dequeue(&dp->rx_wait);
	if (!skb) {
		dp->rx_hold = false;
		tmpl = op->tmpl;
		op->tmpl = NULL;
	}
	okfn = op->okfn;
	spin_unlock_bh(&dp->lock);
	dp_rx_purge(&purge);
	if (!skb) {
		if (tmpl)
			dp_rx_release(tmpl, NULL, NULL);
		return false;
	}
	verdict = dp_in_skb(conn, skb, dp_net(dp), okfn, true, started);
	if (verdict == NF_STOLEN)
		dev_put(skb->dev);	/* the template holds its own */
	else
		dp_rx_release(skb, verdict == NF_ACCEPT ? okfn : NULL,
			      dp_net(dp));
	return true;
}

/*
 * Deliver, in order, an asynchronous open's result (@own) and the segments
 * that waited, until another open goes asynchronous (its own completion
 * goes on then) or none is left.
 */
static void dp_rx_go_on(struct tcpc_conn *conn, bool own)
{
	struct dp_rx_op *op = conn->dp.rx_op;
	bool started;
	u32 ended = 0;

	/* LOCAL_IN's continuation runs in softirq context */
	local_bh_disable();
	for (;;) {
		if (own) {
			started = dp_rx_result(conn);
			ended++;
		} else if (!dp_rx_next(conn, &started)) {
			break;
		}
		own = started && atomic_dec_and_test(&op->owners);
		if (started && !own)
			break;
	}
	local_bh_enable();
	while (ended--)
		dp_async_end(conn);
}

/**
 * dp_rx_continue() - go on where an asynchronous open stopped inbound
 * @conn: the connection
 *
 * Called by whichever of the open's completion and the context that
 * started it finishes last, with the open's reference on @conn: delivers
 * its result, then the segments that waited, in order, until another
 * open goes asynchronous (its own completion goes on then) or none is
 * left.
 *
 * Context: softirq, or process context (the crypto driver's completion).
 */
void dp_rx_continue(struct tcpc_conn *conn)
{
	dp_rx_go_on(conn, true);
}

/**
 * tcpc_dp_rx_keys() - the keys are installed: deliver what waited for them
 * @conn: the connection
 *
 * Context: process context, no lock of @conn held.
 */
void tcpc_dp_rx_keys(struct tcpc_conn *conn)
{
	struct tcpc_dp *dp = &conn->dp;
	bool held;

	spin_lock_bh(&dp->lock);
	held = dp->rx_hold && !dp->rx_busy && dp->rx_op;
	if (held)
		dp->rx_op->okfn = dp->rx_okfn;
	spin_unlock_bh(&dp->lock);
	if (held)
		dp_rx_go_on(conn, false);
}

/**
 * tcpc_dp_in() - translate one segment of the peer for the local TCP
 * @conn: its connection, negotiated and not plain
 * @skb: the segment, at LOCAL_IN
 * @state: the hook state
 *
 * A frame whose AEAD completes asynchronously holds back the later
 * segments (NF_STOLEN, delivered in order once its plaintext is).
 *
 * Context: LOCAL_IN hook, softirq.
 *
 * Return: NF_ACCEPT with the segment rewritten in app space (app segments
 * before it already delivered), NF_STOLEN when it waits or was delivered
 * here, or NF_DROP: a bad checksum, nothing for the local TCP, or the
 * connection aborted.
 */
unsigned int tcpc_dp_in(struct tcpc_conn *conn, struct sk_buff *skb,
			const struct nf_hook_state *state)
{
	struct tcpc_dp *dp = &conn->dp;
	unsigned int verdict;
	struct dp_seg seg;
	bool started;

	if (dp_seg_parse(skb, dp->family, &seg))
		return NF_DROP;
	/* corrupt in transit: dropped as TCP would, never an attack */
	if (nf_checksum(skb, state->hook, seg.thoff, IPPROTO_TCP, state->pf))
		return NF_DROP;
	if (seg.syn)
		return NF_ACCEPT;
	if (skb_unclone(skb, GFP_ATOMIC))
		return NF_DROP;
	verdict = dp_in_skb(conn, skb, state->net, state->okfn, false,
			    &started);
	if (!started)
		return verdict;
	/*
	 * An open went asynchronous: this segment's plaintext goes to the
	 * local TCP before the open's, so deliver it now, then let the
	 * completion go on (or go on here if it already came).
	 */
	if (verdict == NF_ACCEPT)
		state->okfn(state->net, state->sk, skb);
	else if (verdict == NF_DROP)
		kfree_skb(skb);
	if (atomic_dec_and_test(&dp->rx_op->owners))
		dp_rx_continue(conn);
	return NF_STOLEN;
}
