// SPDX-License-Identifier: GPL-2.0
/*
 * LOCAL_OUT: segments of the local TCP become wire segments.
 *
 * New app bytes are framed at first transmission, one frame per gso_size
 * chunk, and sealed into new page fragments (the skb's own data belongs
 * to the socket's write queue and is only read). The sealed bytes are kept
 * until the peer's cumulative wire ACK passes them; every segment, first
 * transmission or retransmission of any app range, is then built by
 * pointing its payload at the kept bytes the range owns (txmap.h), so
 * retransmissions are byte-identical by construction.
 *
 * A wire segment carries at most the wire MSS: a chunk's frame is the
 * local TCP's segment plus 20 bytes, which the MSS clamp on the SYNs left
 * room for; an expanded range (small frames retransmitted together) goes
 * out as GSO with gso_size = wire MSS. IPv4's 64 KiB limit cuts the
 * largest skbs in two, the first part sent ahead through dp_inject().
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/scatterlist.h>
#include <linux/tcp.h>
#include <net/dsfield.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/tcp.h>
#include "conn.h"
#include "dp_priv.h"
#include "netns.h"

/* Where the wire bytes of @p are kept: the Init or the frame's page */
const u8 *dp_piece_at(const struct tcpc_dp *dp, const struct tcpc_txpiece *p)
{
	if (p->kind == TCPC_TXP_INIT)
		return dp->init_wire + p->wire_off;
	return dp->tx_wire[p->frame - dp->tx_ring] +
	       (p->wire_off - p->frame->wire_off);
}

/* Free the kept bytes of frames the peer acknowledged up to @wire_ack */
void dp_tx_release(struct tcpc_dp *dp, u64 wire_ack)
{
	const struct tcpc_txmap *tx = &dp->tx;
	u32 i;

	for (i = 0; i < tx->count; i++) {
		u32 slot = (tx->head + i) & tx->mask;
		const struct tcpc_txframe *f = &tx->ring[slot];

		if (f->wire_off + tcpc_txframe_len(tx, f) > wire_ack)
			break;
		page_frag_free(dp->tx_wire[slot]);
		dp->tx_wire[slot] = NULL;
	}
}

/* Every kept frame, at teardown */
void dp_tx_free_all(struct tcpc_dp *dp)
{
	const struct tcpc_txmap *tx = &dp->tx;
	u32 i;

	for (i = 0; dp->tx_ready && i < tx->count; i++) {
		u32 slot = (tx->head + i) & tx->mask;

		if (dp->tx_wire[slot])
			page_frag_free(dp->tx_wire[slot]);
		dp->tx_wire[slot] = NULL;
	}
}

/* What the local TCP socket @sk (if it is one) shows of its segments */
void dp_note_sock(struct tcpc_dp *dp, const struct sock *sk)
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

static void dp_note_local(struct tcpc_dp *dp, struct sk_buff *skb,
			  const struct dp_seg *seg)
{
	dp_note_sock(dp, skb->sk);
	dp->local.ts = seg->opt.has_ts;
	dp->local.tsval = seg->opt.tsval;
	dp->local.tsecr = seg->opt.tsecr;
	dp->local.win = seg->win;
	dp->local.win_known = true;
	dp->local.mark = skb->mark;
	dp->local.tos = seg->family == AF_INET ? ip_hdr(skb)->tos :
				     ipv6_get_dsfield(ipv6_hdr(skb));
}

/*
 * The largest wire payload of one segment: what the route's MTU leaves
 * after these headers, and no more than the peer's MSS (the local TCP's
 * mss_cache was cut by the frame overhead through the SYN's MSS clamp).
 */
static u32 dp_wire_mss(const struct tcpc_dp *dp, const struct sk_buff *skb,
		       const struct dp_seg *seg)
{
	const struct dst_entry *dst = skb_dst(skb);
	u32 hdr = seg->thoff + seg->thlen;
	u32 mss = dst && dst_mtu(dst) > hdr ? dst_mtu(dst) - hdr : 536;

	if (dp->local.tcp_known && dp->local.mss)
		mss = min(mss, dp->local.mss + TCPC_FRAME_OVERHEAD);
	return max_t(u32, mss, 2 * TCPC_FRAME_OVERHEAD);
}

/* App bytes per new frame: the skb's segment size, as far as it fits */
static u32 dp_chunk(const struct sk_buff *skb, const struct dp_seg *seg,
		    u32 wire_mss)
{
	u32 g = skb_is_gso(skb) ? skb_shinfo(skb)->gso_size : seg->len;

	g = min_t(u32, g, DP_FRAME_DATA_MAX);
	g = min(g, wire_mss - TCPC_FRAME_OVERHEAD);
	return max(g, 1U);
}

/*
 * IPv4 carries at most 64 KiB per skb, GSO or not: let TCP build skbs
 * whose framed form still fits. The socket's GSO segment limit is reset
 * by sk_setup_caps() on route changes, so it is checked on every skb.
 */
static void dp_limit_gso(struct sk_buff *skb, const struct dp_seg *seg,
			 u32 chunk)
{
	struct sock *sk = skb->sk;
	u32 room = U16_MAX - seg->thoff - seg->thlen;
	u16 segs = max_t(u32, room / (chunk + TCPC_FRAME_OVERHEAD), 1);

	if (!skb_is_gso(skb) || !sk || !sk_fullsock(sk) ||
	    sk->sk_type != SOCK_STREAM)
		return;
	if (READ_ONCE(sk->sk_gso_max_segs) > segs)
		WRITE_ONCE(sk->sk_gso_max_segs, segs);
}

/*
 * A seal that may finish later: what its completion needs, and the
 * references that keep its memory alive until then (the plaintext is in
 * the skb's pages, the wire bytes in a page the peer's ACK could free).
 */
struct dp_seal_op {
	struct tcpc_conn *conn;
	struct sk_buff *skb;
	struct page *page;
	const u8 *tag;
	u64 wire_off;
	u32 slot;
	struct scatterlist wsg;
	struct scatterlist sg[MAX_SKB_FRAGS + 2];
};

/* The frame record a seal was for, unless an ACK released it meanwhile */
static struct tcpc_txframe *dp_seal_frame(struct tcpc_dp *dp,
					  const struct dp_seal_op *op)
{
	const struct tcpc_txmap *tx = &dp->tx;
	u32 pos = (op->slot - tx->head) & tx->mask;

	if (pos >= tx->count || tx->ring[op->slot].wire_off != op->wire_off)
		return NULL;
	return &tx->ring[op->slot];
}

/*
 * Completion of an asynchronous seal. The last one of the connection
 * sends on the segments that waited for it; a failure (the frame cannot
 * be sent, nor withdrawn once later ones exist) aborts the connection.
 */
static void dp_seal_done(void *arg, int err)
{
	struct dp_seal_op *op = arg;
	struct tcpc_conn *conn = op->conn;
	struct tcpc_dp *dp = &conn->dp;
	struct tcpc_txframe *f;
	bool drain, abort = false;

	/* before tx_inflight drops: the drain may then change the skb */
	consume_skb(op->skb);
	spin_lock_bh(&dp->lock);
	if (!err) {
		f = dp_seal_frame(dp, op);
		if (f)
			tcpc_txmap_seal(&dp->tx, f, op->tag);
	} else if (!dp->aborted && !dp->dead) {
		dp->aborted = true;
		abort = true;
	}
	dp->tx_inflight--;
	drain = !dp->tx_inflight && !dp->tx_draining &&
		!skb_queue_empty(&dp->tx_wait);
	if (drain)
		dp->tx_draining = true;
	spin_unlock_bh(&dp->lock);

	put_page(op->page);
	kfree(op);
	if (abort)
		tcpc_conn_abort(conn, -err);
	if (drain)
		dp_tx_drain(conn);
	dp_async_end(conn);
}

/*
 * Encrypt new frame @f from the skb's payload at @off into a new page,
 * under the key of the generation it was recorded with (@skb may be NULL
 * for an empty frame). When the AEAD completes later, the frame counts in
 * tx_inflight and no segment may carry its bytes before dp_seal_done() ran.
 */
int dp_seal(struct tcpc_dp *dp, struct sk_buff *skb, u32 off,
	    struct tcpc_txframe *f)
{
	u32 wlen = tcpc_txframe_len(&dp->tx, f);
	struct tcpc_frame_prefix pfx = {
		.fin = f->flags & TCPC_TXF_FIN,
	};
	u32 slot = f - dp->tx_ring;
	struct dp_seal_op *op;
	u8 *va;
	int err;

	op = kmalloc(sizeof(*op), GFP_ATOMIC);
	if (!op)
		return -ENOMEM;
	va = page_frag_alloc(&dp->tx_pf, wlen, GFP_ATOMIC);
	if (!va) {
		err = -ENOMEM;
		goto err_free_op;
	}
	if (f->dlen) {
		sg_init_table(op->sg, ARRAY_SIZE(op->sg));
		err = skb_to_sgvec(skb, op->sg, off, f->dlen);
		if (err < 0)
			goto err_free;
	}
	sg_init_one(&op->wsg, va, wlen);
	op->conn = container_of(dp, struct tcpc_conn, dp);
	op->slot = slot;
	op->wire_off = f->wire_off;
	op->tag = va + wlen - TCPC_FRAME_TAG_LEN;
	err = tcpc_frame_seal_async(dp_key_local(dp->keys, f->gen),
				    f->wire_off,
				    f->flags & TCPC_TXF_REKEY, &pfx,
				    f->dlen ? op->sg : NULL, f->dlen,
				    &op->wsg, dp_seal_done, op);
	if (err == -EINPROGRESS) {
		/*
		 * The completion takes dp->lock before it touches any of
		 * this, and the caller holds it: these are in place first.
		 */
		op->page = virt_to_head_page(va);
		get_page(op->page);
		op->skb = skb ? skb_get(skb) : NULL;
		dp_async_begin(op->conn);
		dp->tx_inflight++;
	} else if (err) {
		goto err_free;
	} else {
		tcpc_txmap_seal(&dp->tx, f, op->tag);
		kfree(op);
	}
	dp->tx_wire[slot] = va;
	dp->bytes_out += f->dlen;
	tcpc_rekey_tx_sealed(&dp->keys->rk, f->dlen,
			     f->flags & TCPC_TXF_REKEY);
	return 0;

err_free:
	page_frag_free(va);
err_free_op:
	kfree(op);
	return err;
}

/*
 * The key generation of a new frame of @dlen data bytes: the current one,
 * or the next once rekey_bytes were sealed under it (RFC 8548 section
 * 3.8: that frame carries rekey = 1). A frame without data (a bare FIN)
 * starts none: a new key would protect nothing. The work item then
 * builds the generation after.
 */
static u32 dp_tx_gen(struct tcpc_dp *dp, u32 dlen)
{
	struct tcpc_rekey *rk = &dp->keys->rk;
	u64 limit = dlen ? dp_rekey_limit() : 0;
	u32 gen;

	if (tcpc_rekey_tx_gen(rk, limit, dp->tx.gen, &gen) ||
	    (limit && rk->sealed >= limit && rk->ready == rk->local))
		dp_rekey_kick(dp);
	return gen;
}

/*
 * Frame and seal the app bytes of the segment never framed before, in
 * chunks; FINp goes on the last frame (an empty one for a bare FIN). A
 * failure withdraws only the frame being built: the frames before it are
 * kept and go out with the local TCP's retransmission.
 */
static int dp_frame_new(struct tcpc_dp *dp, struct sk_buff *skb,
			const struct dp_seg *seg, u64 app_off, u32 chunk)
{
	struct tcpc_txmap *tx = &dp->tx;
	u64 end = app_off + seg->len;
	u32 hdr = seg->thoff + seg->thlen;
	u64 at = tx->app_end;
	int err;

	if (tx->fin || end < at || (end == at && !seg->fin))
		return 0;
	if (app_off > at)
		return -EAGAIN;
	for (;;) {
		u32 n = min_t(u64, end - at, chunk);
		bool fin = seg->fin && at + n == end;
		struct tcpc_txframe *f;

		err = tcpc_txmap_push(tx, at, n, fin, dp_tx_gen(dp, n), &f);
		if (err)
			return err;
		err = dp_seal(dp, skb, hdr + (u32)(at - app_off), f);
		if (err) {
			tcpc_txmap_unpush(tx, f);
			return err;
		}
		at += n;
		if (at == end && (fin || !seg->fin))
			return 0;
	}
}

/* Append the kept wire bytes [ws, we) to @skb as page fragments */
static int dp_attach(struct tcpc_dp *dp, struct sk_buff *skb, u64 ws, u64 we)
{
	struct skb_shared_info *shinfo = skb_shinfo(skb);
	struct tcpc_txpiece p;
	struct tcpc_txiter it;
	int err;

	err = tcpc_txmap_iter_init(&it, &dp->tx, ws, we);
	if (err)
		return err;
	while (tcpc_txmap_iter_next(&it, &p)) {
		const u8 *b = dp_piece_at(dp, &p);
		struct page *page = virt_to_head_page(b);
		u32 off = b - (const u8 *)page_address(page);
		int i = shinfo->nr_frags;
		skb_frag_t *last = i ? &shinfo->frags[i - 1] : NULL;

		if (last && skb_frag_page(last) == page &&
		    skb_frag_off(last) + skb_frag_size(last) == off) {
			skb_frag_size_add(last, p.len);
			skb->len += p.len;
			skb->data_len += p.len;
			if (!skb->sk)
				skb->truesize += p.len;
			continue;
		}
		if (i == MAX_SKB_FRAGS)
			return -E2BIG;
		dp_seg_add_page(skb, page, off, p.len);
	}
	return 0;
}

/* The same bytes copied into new pages, for ranges of too many pieces */
static int dp_attach_copy(struct tcpc_dp *dp, struct sk_buff *skb, u64 ws,
			  u64 we)
{
	struct tcpc_txpiece p;
	struct tcpc_txiter it;
	u32 fill = 0, room = 0;
	struct page *page;
	u8 *va = NULL;
	int err;

	err = tcpc_txmap_iter_init(&it, &dp->tx, ws, we);
	if (err)
		return err;
	while (tcpc_txmap_iter_next(&it, &p)) {
		const u8 *b = dp_piece_at(dp, &p);
		u32 done = 0;

		while (done < p.len) {
			u32 n;

			if (!room) {
				room = min_t(u64, we - ws, PAGE_SIZE);
				va = page_frag_alloc(&dp->tx_pf, room,
						     GFP_ATOMIC);
				if (!va)
					return -ENOMEM;
				fill = 0;
			}
			n = min(room - fill, p.len - done);
			memcpy(va + fill, b + done, n);
			fill += n;
			done += n;
			ws += n;
			if (fill == room) {
				page = virt_to_head_page(va);
				dp_seg_add_page(skb, page,
						va - (u8 *)page_address(page),
						room);
				page_frag_free(va);
				room = 0;
			}
		}
	}
	return 0;
}

/* Fill one wire segment (or GSO train) with [ws, ws + len) and finish it */
static int dp_fill(struct tcpc_dp *dp, struct sk_buff *skb,
		   const struct dp_seg *seg, u64 ws, u32 len, bool first,
		   bool last, bool fin, u32 mss)
{
	struct tcphdr *th;
	int err;

	err = dp_attach(dp, skb, ws, ws + len);
	if (err == -E2BIG) {
		err = dp_seg_strip(skb, seg);
		if (!err)
			err = dp_attach_copy(dp, skb, ws, ws + len);
	}
	if (err)
		return err;
	/* the kept pages are shared: nobody may encrypt or write in place */
	skb_shinfo(skb)->flags |= SKBFL_SHARED_FRAG;
	th = dp_th(skb, seg);
	th->seq = htonl(tcpc_txmap_wire_seq(&dp->tx, ws));
	th->fin = last && fin;
	if (!last)
		th->psh = 0;
	if (!first)
		th->cwr = 0;
	dp_seg_set_gso(skb, seg, mss);
	dp_seg_finish_out(skb, seg);
	return 0;
}

/*
 * Replace the payload of @skb with the wire bytes of @ts. When they exceed
 * what one IP packet can carry, the first parts go out ahead of it, in
 * copies of its headers queued on @extra.
 */
static int dp_emit(struct tcpc_dp *dp, struct sk_buff *skb,
		   const struct dp_seg *seg, const struct tcpc_txseg *ts,
		   u32 mss, struct sk_buff_head *extra)
{
	u32 hdr = seg->thoff + seg->thlen;
	u32 limit = (seg->family == AF_INET ? U16_MAX :
			U16_MAX + sizeof(struct ipv6hdr)) - hdr;
	u32 part = max(limit / mss * mss, mss);
	u32 pos = 0;
	int err;

	err = dp_seg_strip(skb, seg);
	if (err)
		return err;
	while (ts->wire_len - pos > part) {
		struct sk_buff *n = pskb_copy(skb, GFP_ATOMIC);

		if (!n)
			return -ENOMEM;
		err = dp_fill(dp, n, seg, ts->wire_off + pos, part, !pos,
			      false, false, mss);
		if (err) {
			kfree_skb(n);
			return err;
		}
		__skb_queue_tail(extra, n);
		pos += part;
	}
	return dp_fill(dp, skb, seg, ts->wire_off + pos, ts->wire_len - pos,
		       !pos, true, ts->fin, mss);
}

/*
 * The ACK side of an outbound segment: the local TCP acknowledges app
 * bytes of the peer, the wire ACK covers the frames it accepted in full;
 * its SACK blocks give way to the wire ranges held out of order; its
 * window is capped by the reassembly room. Urgent data is not carried
 * (the urgent pointer would point into the other sequence space).
 */
static int dp_out_ack(struct tcpc_dp *dp, struct sk_buff *skb,
		      const struct dp_seg *seg)
{
	struct tcphdr *th = dp_th(skb, seg);
	u64 app_ack, wire_ack;
	int err;

	if (seg->ackf) {
		err = tcpc_rxmap_app_off(&dp->rx, seg->ack, &app_ack);
		if (!err)
			err = tcpc_rxmap_app_ack(&dp->rx, app_ack, &wire_ack);
		if (err)
			return err;
		th->ack_seq = htonl(tcpc_rxmap_wire_seq(&dp->rx, wire_ack));
		dp->wire_ack_out = max(dp->wire_ack_out, wire_ack);
		dp_rekey_rx_base(dp);
	}
	if (seg->opt.has_sack) {
		struct tcpc_range r[TCPC_DPOPT_SACK_MAX];
		struct tcpc_dpopt_sack blocks[TCPC_DPOPT_SACK_MAX];
		u32 n, i;

		n = tcpc_rxmap_sack(&dp->rx, r, TCPC_DPOPT_SACK_MAX);
		for (i = 0; i < n; i++) {
			blocks[i].start = tcpc_rxmap_wire_seq(&dp->rx,
							      r[i].start);
			blocks[i].end = tcpc_rxmap_wire_seq(&dp->rx, r[i].end);
		}
		tcpc_dpopt_set_sack(dp_opts(skb, seg), &seg->opt, blocks, n);
	}
	th->window = htons(dp_wire_window(dp, seg->win));
	th->urg = 0;
	th->urg_ptr = 0;
	return 0;
}

/*
 * Wire sequence number of a segment without data (ACK, RST, window
 * probe) at app sequence number @seq: where the app position's wire bytes
 * start; past everything framed (app data held or dropped), the wire send
 * point; below the app ACK (a window probe), as far below the wire ACK.
 */
static u32 dp_ctl_seq(const struct tcpc_dp *dp, u32 seq)
{
	const struct tcpc_txmap *tx = &dp->tx;
	u64 app, wire;
	u32 una;

	if (!dp->tx_ready)
		return tcpc_seq_before(seq, dp->isn_local + 1) ? seq :
								  dp->isn_local + 1;
	una = tcpc_txmap_app_seq(tx, tx->app_una);
	if (tcpc_seq_before(seq, una))
		return tcpc_txmap_wire_seq(tx, tx->wire_una) - (una - seq);
	if (tcpc_txmap_app_off(tx, seq, &app) ||
	    app > tcpc_txmap_app_nxt(tx) ||
	    tcpc_txmap_app_to_wire(tx, app, &wire))
		wire = tcpc_txmap_wire_nxt(tx);
	return tcpc_txmap_wire_seq(tx, wire);
}

static unsigned int dp_out_ctl(struct tcpc_dp *dp, struct sk_buff *skb,
			       const struct dp_seg *seg)
{
	struct tcphdr *th;

	if (dp_out_ack(dp, skb, seg))
		return NF_DROP;
	if (seg->len && dp_seg_strip(skb, seg))
		return NF_DROP;
	th = dp_th(skb, seg);
	th->seq = htonl(dp_ctl_seq(dp, seg->seq));
	th->fin = 0;
	dp_seg_finish_out(skb, seg);
	return NF_ACCEPT;
}

/* App data before the keys exist waits, within a budget */
static unsigned int dp_hold(struct tcpc_dp *dp, struct sk_buff *skb)
{
	if (dp->held_bytes + skb->len > DP_HOLD_MAX)
		return NF_DROP;
	/* LOCAL_OUT may lend the route only for the hook's RCU section */
	if (!skb_dst_force(skb))
		return NF_DROP;
	__skb_queue_tail(&dp->held, skb);
	dp->held_bytes += skb->len;
	return NF_STOLEN;
}

/*
 * A receiver acknowledges only whole frames, so a retransmission that
 * ends inside one would be held without an ACK: when the rest of that
 * frame was lost too, the local TCP would resend the same bytes forever.
 * Sending on to the frame's end (bytes sent before, owned by the app
 * bytes that follow) lets the receiver complete it.
 */
static void dp_round_to_frame(const struct tcpc_dp *dp, struct tcpc_txseg *ts)
{
	u64 we = ts->wire_off + ts->wire_len;
	struct tcpc_txpiece p;
	struct tcpc_txiter it;

	if (!ts->wire_len || we >= dp->tx.wire_end ||
	    tcpc_txmap_iter_init(&it, &dp->tx, we - 1, we) ||
	    !tcpc_txmap_iter_next(&it, &p) || !p.frame)
		return;
	ts->wire_len = p.frame->wire_off + tcpc_txframe_len(&dp->tx, p.frame) -
		       ts->wire_off;
}

/*
 * Segments with data wait behind the seals in flight and the segments
 * already waiting, so that they leave in order and never carry bytes not
 * sealed yet. The one being sent on goes back to the head.
 */
static unsigned int dp_tx_wait(struct tcpc_dp *dp, struct sk_buff *skb,
			       bool head)
{
	/* its route may be borrowed under RCU (ip_queue_xmit), as nf_queue */
	if (!skb_dst_force(skb))
		return NF_DROP;
	if (head)
		__skb_queue_head(&dp->tx_wait, skb);
	else
		__skb_queue_tail(&dp->tx_wait, skb);
	return NF_STOLEN;
}

static unsigned int dp_out_data(struct tcpc_dp *dp, struct sk_buff *skb,
				const struct dp_seg *seg,
				struct sk_buff_head *extra)
{
	u64 app_off, old_end = dp->tx.app_end;
	struct tcpc_txseg ts;
	u32 mss, chunk;
	int err;

	if (tcpc_txmap_app_off(&dp->tx, seg->seq, &app_off))
		return NF_DROP;
	mss = dp_wire_mss(dp, skb, seg);
	chunk = dp_chunk(skb, seg, mss);
	dp_limit_gso(skb, seg, chunk);
	if (dp_frame_new(dp, skb, seg, app_off, chunk))
		return NF_DROP;
	/* a frame of it is still being sealed: send it once all are */
	if (dp->tx_inflight)
		return dp_tx_wait(dp, skb, true);
	err = tcpc_txmap_segment(&dp->tx, app_off, seg->len, seg->fin,
				 dp->tx.gen, &ts);
	if (!err && ts.new_frame) {
		/* framed above already: never send a frame left unsealed */
		tcpc_txmap_unpush(&dp->tx, ts.new_frame);
		err = -EINVAL;
	}
	if (err || (!ts.wire_len && !ts.fin))
		return NF_DROP;
	dp_round_to_frame(dp, &ts);
	if (dp_out_ack(dp, skb, seg))
		return NF_DROP;
	/* new frames only: one frame per wire segment, as first sent */
	if (app_off >= old_end)
		mss = chunk + TCPC_FRAME_OVERHEAD;
	if (dp_emit(dp, skb, seg, &ts, mss, extra)) {
		__skb_queue_purge(extra);
		return NF_DROP;
	}
	return NF_ACCEPT;
}

/*
 * A keep-alive probe of the local TCP (empty, one below snd_una) becomes a
 * rekey (RFC 8548 section 3.9, dp_rekey_keepalive()). When the next
 * generation's keys are still being built (the peer started one a moment
 * ago, which we followed), the work item starts it once they are; the
 * probe itself goes nowhere. When no generation may start (our last rekey
 * unanswered, an asynchronous seal in flight), the probe goes as it is, as
 * RFC 8548 allows. Returns whether the probe was consumed.
 */
static bool dp_keepalive_rekey(struct tcpc_dp *dp, const struct dp_seg *seg,
			       struct sk_buff_head *extra)
{
	struct tcpc_conn *conn = container_of(dp, struct tcpc_conn, dp);
	struct tcpc_txmap *tx = &dp->tx;
	int err = -EBUSY;

	if (seg->len || seg->fin || seg->syn || seg->rst || !dp->keys ||
	    !dp->tx_ready ||
	    seg->seq != tcpc_txmap_app_seq(tx, tx->app_una) - 1)
		return false;
	if (!tx->fin && !dp->tx_inflight)
		err = dp_rekey_keepalive(dp, extra);
	if (err == -EAGAIN) {
		dp->ka_wanted = true;
		dp_rekey_kick(dp);
	} else if (err) {
		tcpc_stats_inc(&conn->tn->stats, TCPC_STAT_PROBE_PLAIN);
	}
	return !err || err == -EAGAIN;
}

static unsigned int dp_out_locked(struct tcpc_dp *dp, struct sk_buff *skb,
				  const struct dp_seg *seg,
				  struct sk_buff_head *extra, bool draining)
{
	if (dp_keepalive_rekey(dp, seg, extra))
		return NF_DROP;
	if (seg->rst || (!seg->len && !seg->fin))
		return dp_out_ctl(dp, skb, seg);
	if (!dp->keys ||
	    (dp->releasing && !dp_reinjecting(skb) && !draining))
		return dp_hold(dp, skb);
	if (!draining && (dp->tx_inflight || dp->tx_draining ||
			  !skb_queue_empty(&dp->tx_wait)))
		return dp_tx_wait(dp, skb, false);
	return dp_out_data(dp, skb, seg, extra);
}

/**
 * dp_tx_drain() - send on the segments that waited for seals
 * @conn: the connection; the caller set dp->tx_draining and holds a
 *	reference
 *
 * One at a time, in order: a segment whose own new frames go
 * asynchronous waits again, at the head, and the last of those
 * completions drains on. The segments leave in wire space through
 * dp_inject(), so conntrack and the filter see them once.
 *
 * Context: softirq, or process context (BH disabled or not).
 */
void dp_tx_drain(struct tcpc_conn *conn)
{
	struct tcpc_dp *dp = &conn->dp;
	struct sk_buff_head extra, purge;
	unsigned int verdict;
	struct sk_buff *skb;
	struct dp_seg seg;

	__skb_queue_head_init(&extra);
	__skb_queue_head_init(&purge);
	for (;;) {
		spin_lock_bh(&dp->lock);
		if (dp->dead || dp->aborted || READ_ONCE(conn->dead))
			skb_queue_splice_init(&dp->tx_wait, &purge);
		skb = dp->tx_inflight ? NULL : __skb_dequeue(&dp->tx_wait);
		if (!skb) {
			dp->tx_draining = false;
			spin_unlock_bh(&dp->lock);
			break;
		}
		verdict = NF_DROP;
		if (!dp_seg_parse(skb, dp->family, &seg))
			verdict = dp_out_locked(dp, skb, &seg, &extra, true);
		spin_unlock_bh(&dp->lock);

		dp_inject_list(dp, &extra);
		if (verdict == NF_ACCEPT)
			dp_inject(dp_net(dp), skb, dp->family);
		else if (verdict == NF_DROP)
			kfree_skb(skb);
	}
	__skb_queue_purge(&purge);
}

/**
 * tcpc_dp_out() - translate one segment of the local TCP to the wire
 * @conn: its connection, negotiated and not plain
 * @skb: the segment, at LOCAL_OUT
 * @state: the hook state
 *
 * Context: LOCAL_OUT hook, process or softirq context.
 *
 * Return: NF_ACCEPT after the rewrite, NF_STOLEN when held for the keys
 * or for asynchronous seals (sent later), NF_DROP when the segment cannot
 * be translated (TCP will send it again).
 */
unsigned int tcpc_dp_out(struct tcpc_conn *conn, struct sk_buff *skb,
			 const struct nf_hook_state *state)
{
	struct tcpc_dp *dp = &conn->dp;
	struct sk_buff_head extra;
	unsigned int verdict;
	struct dp_seg seg;

	if (skb_unclone(skb, GFP_ATOMIC) ||
	    dp_seg_parse(skb, dp->family, &seg))
		return NF_DROP;
	/* the handshake belongs to the ENO code; both spaces agree on it */
	if (seg.syn)
		return NF_ACCEPT;
	__skb_queue_head_init(&extra);
	spin_lock_bh(&dp->lock);
	if (!dp->live || dp->dead || dp->aborted) {
		verdict = NF_DROP;
	} else if (dp->plain) {
		verdict = NF_ACCEPT;
	} else {
		if (!dp->net_known) {
			write_pnet(&dp->net, state->net);
			dp->net_known = true;
		}
		dp_note_local(dp, skb, &seg);
		verdict = dp_out_locked(dp, skb, &seg, &extra, false);
	}
	spin_unlock_bh(&dp->lock);
	dp_inject_list(dp, &extra);
	return verdict;
}
