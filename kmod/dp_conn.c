// SPDX-License-Identifier: GPL-2.0
/*
 * Life of a connection's data path: set up when ENO succeeds, the local
 * Init message sent and retransmitted until acknowledged, the keys
 * installed (releasing the app data held until then), the numbers an
 * abort needs, and the teardown.
 *
 * Memory: ENO success may come in softirq, so the first allocations are
 * small and atomic (a reassembly ring that holds any Init, the frame
 * records); the rings sized for bulk data are allocated in process
 * context, from tcpc_dp_send_init() or tcpc_dp_install_keys().
 */
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <net/tcp.h>
#include "conn.h"
#include "dp_priv.h"
#include "init_msg.h"
#include "netns.h"

static void dp_rtx_fire(struct timer_list *t);

/**
 * tcpc_dp_init() - start the data path of a connection whose ENO succeeded
 * @conn: the connection (its key gives the family and addresses)
 * @isn_local: ISN of the local TCP, the same in app and wire space
 * @isn_peer: ISN of the peer
 * @role: TCPCRYPT_ROLE_A or TCPCRYPT_ROLE_B
 * @resumed: a resumed session, without Init messages
 *
 * Context: any, no locks of this connection held; allocates GFP_ATOMIC.
 *
 * Return: 0, or -ENOMEM (the connection cannot be protected).
 */
int tcpc_dp_init(struct tcpc_conn *conn, u32 isn_local, u32 isn_peer,
		 int role, bool resumed)
{
	struct tcpc_dp *dp = &conn->dp;
	struct tcpc_rxmap_cfg cfg = {
		.app_isn = isn_peer,
		.wire_isn = isn_peer,
		.min_clen = TCPC_FRAME_MIN_CLEN,
		.init_msg = !resumed,
	};
	int err = -ENOMEM;

	memset(dp, 0, sizeof(*dp));
	spin_lock_init(&dp->lock);
	skb_queue_head_init(&dp->held);
	__skb_queue_head_init(&dp->tx_wait);
	__skb_queue_head_init(&dp->rx_wait);
	timer_setup(&dp->rtx_timer, dp_rtx_fire, 0);
	dp_rekey_init(dp);
	dp->family = conn->key.family;
	dp->role = role;
	dp->resumed = resumed;
	dp->isn_local = isn_local;
	dp->isn_peer = isn_peer;

	dp->rx_buf = kmalloc(DP_RX_BUF_FIRST, GFP_ATOMIC);
	dp->rx_recs = kmalloc_array(DP_RX_RECS, sizeof(*dp->rx_recs),
				    GFP_ATOMIC);
	if (!dp->rx_buf || !dp->rx_recs)
		goto err_free;
	err = tcpc_rxmap_init(&dp->rx, &cfg, dp->rx_buf, DP_RX_BUF_FIRST,
			      dp->rx_recs, DP_RX_RECS);
	if (err)
		goto err_free;
	dp->live = true;
	return 0;

err_free:
	kfree(dp->rx_buf);
	kfree(dp->rx_recs);
	dp->rx_buf = NULL;
	dp->rx_recs = NULL;
	return err;
}

/* Copy wire bytes [from, to) between rings of different sizes */
static void dp_ring_move(const u8 *old, u32 omask, u8 *new, u32 nmask,
			 u64 from, u64 to)
{
	while (from < to) {
		u32 o = from & omask, n = from & nmask;
		u32 len = min3(to - from, (u64)omask + 1 - o, (u64)nmask + 1 - n);

		memcpy(new + n, old + o, len);
		from += len;
	}
}

/*
 * Move the reassembly ring to @buf (larger): every byte held keeps its
 * wire offset, so only its place in the ring changes. Returns the old
 * buffer, for the caller to free outside the lock.
 */
static u8 *dp_rx_grow(struct tcpc_dp *dp, u8 *buf, u32 cap)
{
	struct tcpc_rxmap *rx = &dp->rx;
	u8 *old = rx->buf;
	u32 i;

	dp_ring_move(old, rx->buf_mask, buf, cap - 1, rx->base, rx->rcv_nxt);
	for (i = 0; i < rx->nooo; i++)
		dp_ring_move(old, rx->buf_mask, buf, cap - 1,
			     rx->ooo[i].start, rx->ooo[i].end);
	rx->buf = buf;
	rx->buf_mask = cap - 1;
	dp->rx_buf = buf;
	return old;
}

/* The rings for bulk data, once (process context) */
static int dp_alloc_rings(struct tcpc_dp *dp)
{
	u8 **wire, *buf = NULL, *old;
	struct tcpc_txframe *ring;
	struct dp_piece *pieces;
	struct dp_rx_op *op;
	u32 cap;

	might_sleep();
	if (READ_ONCE(dp->tx_ring))
		return 0;
	ring = kmalloc_array(DP_TX_RING, sizeof(*ring), GFP_KERNEL);
	wire = kcalloc(DP_TX_RING, sizeof(*wire), GFP_KERNEL);
	pieces = kmalloc_array(DP_RX_PIECES, sizeof(*pieces), GFP_KERNEL);
	op = kzalloc(sizeof(*op), GFP_KERNEL);
	/* a smaller ring only means a smaller window */
	for (cap = DP_RX_BUF; cap >= DP_RX_BUF_MIN; cap /= 2) {
		buf = kmalloc(cap, GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY);
		if (buf)
			break;
	}
	if (!ring || !wire || !pieces || !op || !buf) {
		kfree(ring);
		kfree(wire);
		kfree(pieces);
		kfree(op);
		kfree(buf);
		return -ENOMEM;
	}
	spin_lock_bh(&dp->lock);
	if (dp->tx_ring) {
		old = buf;
	} else {
		dp->tx_ring = ring;
		dp->tx_wire = wire;
		dp->rx_pieces = pieces;
		dp->rx_op = op;
		ring = NULL;
		wire = NULL;
		pieces = NULL;
		op = NULL;
		old = dp_rx_grow(dp, buf, cap);
	}
	spin_unlock_bh(&dp->lock);
	kfree(ring);
	kfree(wire);
	kfree(pieces);
	kfree(op);
	kfree(old);
	return 0;
}

/* The outbound map, its wire stream starting with @init_len Init bytes */
static int dp_tx_start(struct tcpc_dp *dp, u32 init_len)
{
	struct tcpc_txmap_cfg cfg = {
		.app_isn = dp->isn_local,
		.wire_isn = dp->isn_local,
		.init_len = init_len,
		.max_data = DP_FRAME_DATA_MAX,
		.prefix_len = DP_PREFIX_LEN,
		.tag_len = TCPC_FRAME_TAG_LEN,
	};
	int err;

	lockdep_assert_held(&dp->lock);
	err = tcpc_txmap_init(&dp->tx, &cfg, dp->tx_ring, DP_TX_RING);
	if (!err)
		dp->tx_ready = true;
	return err;
}

void dp_rtx_arm(struct tcpc_dp *dp)
{
	u32 shift = min_t(u32, dp->rtx_tries, DP_RTX_MAX_SHIFT);

	mod_timer(&dp->rtx_timer, jiffies + (DP_RTX_FIRST << shift));
}

/**
 * tcpc_dp_send_init() - send the local Init message at wire offset 0
 * @conn: the connection (A: Init1; B: Init2)
 * @msg: the message as the daemon built it (copied)
 * @len: its length
 *
 * The message goes out at once (PSH on its last segment) and again on the
 * module's timer until the peer acknowledges it; the local TCP's data
 * follows it in the wire stream.
 *
 * Context: process context (allocates with GFP_KERNEL).
 *
 * Return: 0; -EINVAL for an empty or oversized message; -EALREADY when an
 * Init was sent already; -ECONNRESET when the connection is gone; -ENOMEM.
 */
int tcpc_dp_send_init(struct tcpc_conn *conn, const u8 *msg, u32 len)
{
	struct tcpc_dp *dp = &conn->dp;
	struct sk_buff_head out;
	u8 *copy;
	int err;

	if (!dp->live || dp->resumed)
		return -EINVAL;
	if (!len || len > TCPC_INIT_MAX_LEN)
		return -EINVAL;
	err = dp_alloc_rings(dp);
	if (err)
		return err;
	__skb_queue_head_init(&out);
	spin_lock_bh(&dp->lock);
	if (dp->dead || dp->aborted || dp->plain) {
		err = -ECONNRESET;
		goto out_unlock;
	}
	if (dp->tx_ready) {
		err = -EALREADY;
		goto out_unlock;
	}
	copy = page_frag_alloc(&dp->tx_pf, len, GFP_ATOMIC);
	if (!copy) {
		err = -ENOMEM;
		goto out_unlock;
	}
	memcpy(copy, msg, len);
	err = dp_tx_start(dp, len);
	if (err) {
		page_frag_free(copy);
		goto out_unlock;
	}
	dp->init_wire = copy;
	dp_craft_unowned(conn, &out);
	dp->rtx_tries = 0;
	dp_rtx_arm(dp);
out_unlock:
	spin_unlock_bh(&dp->lock);
	dp_inject_list(dp, &out);
	return err;
}

/* Re-send held app segments until none is left; they get framed now */
static void dp_release_held(struct tcpc_dp *dp, struct sk_buff_head *list)
{
	struct sk_buff *skb;

	for (;;) {
		while ((skb = __skb_dequeue(list)))
			dp_reinject(dp_net(dp), skb, dp->family);
		spin_lock_bh(&dp->lock);
		if (skb_queue_empty(&dp->held) || dp->dead) {
			dp->releasing = false;
			spin_unlock_bh(&dp->lock);
			return;
		}
		skb_queue_splice_init(&dp->held, list);
		dp->held_bytes = 0;
		spin_unlock_bh(&dp->lock);
	}
}

/**
 * dp_fall_back() - A: B refused our Init1, plain TCP from now on
 * @conn: the connection, its data path marked @plain
 *
 * The entry goes, so that no hook touches the connection again, and the
 * app segments held for the keys leave as the local TCP sent them; one
 * the local TCP sent meanwhile, and the data path held, is resent by TCP.
 * The Init1 is never sent again: its timer sees @plain.
 *
 * Context: softirq (LOCAL_IN), no lock of @conn held.
 */
void dp_fall_back(struct tcpc_conn *conn)
{
	struct tcpc_dp *dp = &conn->dp;
	struct sk_buff_head list;
	struct sk_buff *skb;

	if (!tcpc_conn_kill(conn, TCPC_KILL_FALLBACK))
		return;
	tcpc_stats_inc(&conn->tn->stats, TCPC_STAT_FALLBACK_PEER_PLAIN);
	net_dbg_ratelimited("connection %llu: the peer refused our Init1, plain TCP\n",
			    conn->id);
	__skb_queue_head_init(&list);
	spin_lock_bh(&dp->lock);
	skb_queue_splice_init(&dp->held, &list);
	dp->held_bytes = 0;
	spin_unlock_bh(&dp->lock);
	del_timer(&dp->rtx_timer);
	while ((skb = __skb_dequeue(&list)))
		dp_reinject(dp_net(dp), skb, dp->family);
}

/**
 * tcpc_dp_install_keys() - start encrypting and decrypting
 * @conn: the connection
 * @aead: the negotiated AEAD (TCPC_AEAD_*)
 * @k_local: traffic key of the local direction, generation 0 (K | NR)
 * @k_peer: traffic key of the peer's direction, generation 0
 * @tk_len: length of each traffic key
 * @mk: mk[0], from which later generations derive
 *
 * App data the local TCP sent meanwhile is framed now, in order; the
 * peer's frames that arrived meanwhile are opened and delivered. The
 * rekey work item starts building generation 1.
 *
 * Context: process context (allocates the AEAD transforms).
 *
 * Return: 0; -EALREADY when keys are installed already; -ECONNRESET when
 * the connection is gone; -EINVAL for a bad AEAD or key length, or keys
 * that do not derive from @mk; -ENOMEM.
 */
int tcpc_dp_install_keys(struct tcpc_conn *conn, u16 aead, const u8 *k_local,
			 const u8 *k_peer, unsigned int tk_len,
			 const u8 mk[32])
{
	struct tcpc_dp *dp = &conn->dp;
	struct tcpc_dp_keys *keys;
	struct sk_buff_head list;
	int err;

	if (!dp->live)
		return -EINVAL;
	keys = dp_keys_create(aead, k_local, k_peer, tk_len, mk);
	if (IS_ERR(keys))
		return PTR_ERR(keys);
	err = dp_alloc_rings(dp);
	if (err)
		goto err_free;

	__skb_queue_head_init(&list);
	spin_lock_bh(&dp->lock);
	if (dp->dead || dp->aborted || dp->plain)
		err = -ECONNRESET;
	else if (dp->keys)
		err = -EALREADY;
	else if (!dp->tx_ready)
		err = dp->resumed ? dp_tx_start(dp, 0) : -EINVAL;
	if (err) {
		spin_unlock_bh(&dp->lock);
		goto err_free;
	}
	dp->keys = keys;
	/* generation 1 is built now, long before a rekey may need it */
	dp_rekey_kick(dp);
	skb_queue_splice_init(&dp->held, &list);
	dp->held_bytes = 0;
	dp->releasing = true;
	spin_unlock_bh(&dp->lock);
	dp_release_held(dp, &list);
	/* and the peer's frames that arrived first */
	tcpc_dp_rx_keys(conn);
	return 0;

err_free:
	dp_keys_free(keys);
	return err;
}

/*
 * The Init (and data-less frames) are the module's to retransmit: the
 * local TCP knows nothing of them. Backs off from 1 s to 32 s; a peer
 * silent for about a minute aborts the connection.
 */
static void dp_rtx_fire(struct timer_list *t)
{
	struct tcpc_dp *dp = from_timer(dp, t, rtx_timer);
	struct tcpc_conn *conn = container_of(dp, struct tcpc_conn, dp);
	struct sk_buff_head out;
	struct tcpc_range r;
	bool give_up = false;

	__skb_queue_head_init(&out);
	spin_lock_bh(&dp->lock);
	if (dp->dead || dp->aborted || dp->plain || !dp->tx_ready ||
	    !tcpc_txmap_unowned(&dp->tx, &r)) {
		spin_unlock_bh(&dp->lock);
		return;
	}
	/* data-less frames still being sealed have no bytes to send yet */
	if (dp->tx_inflight) {
		dp_rtx_arm(dp);
		spin_unlock_bh(&dp->lock);
		return;
	}
	if (++dp->rtx_tries > DP_RTX_MAX_TRIES) {
		dp->aborted = true;
		give_up = true;
	} else {
		dp_craft_unowned(conn, &out);
		dp_rtx_arm(dp);
	}
	spin_unlock_bh(&dp->lock);
	dp_inject_list(dp, &out);
	if (give_up)
		tcpc_conn_abort(conn, ETIMEDOUT);
}

/**
 * tcpc_dp_abort_seqs() - sequence numbers for the RSTs of an abort
 * @conn: the connection
 * @seqs: filled in (see struct tcpc_dp_seqs)
 *
 * Context: any.
 */
void tcpc_dp_abort_seqs(struct tcpc_conn *conn, struct tcpc_dp_seqs *seqs)
{
	struct tcpc_dp *dp = &conn->dp;
	u64 wire_nxt;

	spin_lock_bh(&dp->lock);
	wire_nxt = dp->tx_ready ? tcpc_txmap_wire_nxt(&dp->tx) : 0;
	seqs->wire_seq = tcpc_off_to_seq(dp->isn_local, wire_nxt);
	seqs->wire_ack = tcpc_rxmap_wire_seq(&dp->rx,
					     tcpc_rxmap_wire_ack(&dp->rx));
	seqs->app_seq = tcpc_rxmap_app_seq(&dp->rx, dp->rx_dlv);
	seqs->app_ack = tcpc_off_to_seq(dp->isn_local,
					dp->tx_ready ? dp->tx.app_una : 0);
	spin_unlock_bh(&dp->lock);
}

/**
 * tcpc_dp_send_rst() - send the peer a RST in wire space
 * @conn: the connection
 *
 * Context: any (no lock of @conn held).
 *
 * Return: 0, or -ENOTCONN / -ENOMEM when no RST could be built.
 */
int tcpc_dp_send_rst(struct tcpc_conn *conn)
{
	struct tcpc_dp *dp = &conn->dp;
	struct tcpc_dp_seqs seqs;
	struct sk_buff_head out;
	struct dp_craft c = {
		.flags = TCPHDR_RST | TCPHDR_ACK,
	};
	struct sk_buff *skb = NULL;

	if (!dp->live)
		return -ENOTCONN;
	tcpc_dp_abort_seqs(conn, &seqs);
	c.seq = seqs.wire_seq;
	c.ack = seqs.wire_ack;
	__skb_queue_head_init(&out);
	spin_lock_bh(&dp->lock);
	if (dp->net_known)
		skb = dp_craft(conn, &c);
	spin_unlock_bh(&dp->lock);
	if (!skb)
		return dp->net_known ? -ENOMEM : -ENOTCONN;
	__skb_queue_tail(&out, skb);
	dp_inject_list(dp, &out);
	return 0;
}

/**
 * tcpc_dp_counters() - app bytes carried each way
 * @conn: the connection
 * @bytes_in: authenticated bytes received
 * @bytes_out: bytes framed for sending
 *
 * Context: any.
 */
void tcpc_dp_counters(struct tcpc_conn *conn, u64 *bytes_in, u64 *bytes_out)
{
	struct tcpc_dp *dp = &conn->dp;

	spin_lock_bh(&dp->lock);
	*bytes_in = dp->bytes_in;
	*bytes_out = dp->bytes_out;
	spin_unlock_bh(&dp->lock);
}

static void dp_frag_cache_drain(struct page_frag_cache *nc)
{
	if (nc->va)
		__page_frag_cache_drain(virt_to_head_page(nc->va),
					nc->pagecnt_bias);
	nc->va = NULL;
}

/**
 * tcpc_dp_destroy() - free everything the data path holds
 * @conn: the connection; tcpc_dp_init() may have failed or not run
 *
 * Calls racing with this one find the connection dead and drop their
 * segment; none may start once it has returned. No asynchronous AEAD
 * request is in flight: each holds a reference on the connection.
 *
 * Context: process or softirq context (an RCU callback), without this
 * connection's locks; not in hard irq.
 */
void tcpc_dp_destroy(struct tcpc_conn *conn)
{
	struct tcpc_dp *dp = &conn->dp;
	struct sk_buff_head held, tx_wait, rx_wait;
	struct tcpc_dp_keys *keys;

	if (!dp->live)
		return;
	__skb_queue_head_init(&held);
	__skb_queue_head_init(&tx_wait);
	__skb_queue_head_init(&rx_wait);
	spin_lock_bh(&dp->lock);
	dp->dead = true;
	skb_queue_splice_init(&dp->held, &held);
	skb_queue_splice_init(&dp->tx_wait, &tx_wait);
	skb_queue_splice_init(&dp->rx_wait, &rx_wait);
	keys = dp->keys;
	dp->keys = NULL;
	spin_unlock_bh(&dp->lock);
	del_timer_sync(&dp->rtx_timer);
	__skb_queue_purge(&held);
	__skb_queue_purge(&tx_wait);
	dp_rx_purge(&rx_wait);
	if (dp->rx_op && dp->rx_op->tmpl)
		dp_rx_release(dp->rx_op->tmpl, NULL, NULL);

	dp_tx_free_all(dp);
	if (dp->init_wire)
		page_frag_free(dp->init_wire);
	dp_frag_cache_drain(&dp->tx_pf);
	dp_frag_cache_drain(&dp->rx_pf);
	dp_keys_free(keys);
	kfree(dp->tx_ring);
	kfree(dp->tx_wire);
	kfree(dp->rx_pieces);
	kfree(dp->rx_op);
	kfree(dp->rx_buf);
	kfree(dp->rx_recs);
	dp->live = false;
}
