/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals shared by the data path files (dp_*.c): limits, the parsed
 * view of a TCP segment, and the helpers each file offers the others.
 */
#ifndef _TCPC_DP_PRIV_H
#define _TCPC_DP_PRIV_H

#include <linux/skbuff.h>
#include <linux/tcp.h>
#include "dp.h"
#include "dp_tcpopt.h"
#include "frame_crypto.h"
#include "rekey.h"

/*
 * A sealed frame is kept in one page fragment of at most a page, which an
 * atomic allocation can always find; larger segments (loopback, jumbo
 * frames) are cut into several frames.
 */
#define DP_FRAME_WIRE_MAX	PAGE_SIZE
#define DP_FRAME_DATA_MAX	(DP_FRAME_WIRE_MAX - TCPC_FRAME_OVERHEAD)
/* Wire bytes of the Init and frame header before a frame's data */
#define DP_PREFIX_LEN		(TCPC_FRAME_HDR_LEN + TCPC_FRAME_FLAGS_LEN)

/* Frames in flight (tx) and awaiting the local TCP (rx) */
#define DP_TX_RING		2048
#define DP_RX_RECS		512
/* Page-sized plaintext chunks of the largest frame */
#define DP_RX_CHUNKS		DIV_ROUND_UP(TCPC_FRAME_MAX_PLAIN, PAGE_SIZE)
/* Inbound segments waiting behind an asynchronous open */
#define DP_RX_WAIT_MAX		256
/* Plaintext pieces one inbound segment may release to the local TCP */
#define DP_RX_PIECES		256
/* Reassembly budget: enough for any Init at first, then the window */
#define DP_RX_BUF_FIRST		8192
#define DP_RX_BUF		(256 * 1024)
#define DP_RX_BUF_MIN		(32 * 1024)
/* App bytes held while the keys do not exist yet */
#define DP_HOLD_MAX		(256 * 1024)
/* Init retransmission: 1 s, doubling up to 32 s, then abort */
#define DP_RTX_FIRST		HZ
#define DP_RTX_MAX_SHIFT	5
#define DP_RTX_MAX_TRIES	9
/* A crafted segment's TCP header, options included */
#define DP_TH_MAX		60

/* One key generation: both directions' AEADs, from mk[gen] */
struct dp_keyset {
	u32 gen;
	struct tcpc_frame_key local;
	struct tcpc_frame_key peer;
};

/*
 * The key sets of every generation in use or prepared (see proto/rekey.h):
 * the data path only looks them up, under dp.lock; the rekey work item
 * builds and frees them in process context.
 */
struct tcpc_dp_keys {
	struct dp_keyset *set[TCPC_REKEY_GENS];	/* by tcpc_rekey_slot() */
	struct tcpc_rekey rk;
	u16 aead;
	bool local_ab;		/* we seal with k_ab, the peer with k_ba */
	u8 mk[32];		/* mk[rk.ready] */
};

static inline const struct tcpc_frame_key *
dp_key_local(const struct tcpc_dp_keys *keys, u32 gen)
{
	return &keys->set[tcpc_rekey_slot(gen)]->local;
}

static inline const struct tcpc_frame_key *
dp_key_peer(const struct tcpc_dp_keys *keys, u32 gen)
{
	return &keys->set[tcpc_rekey_slot(gen)]->peer;
}

/* Decrypted app bytes in a page (page NULL: the app FIN at app_off) */
struct dp_piece {
	struct page *page;
	u32 off;
	u32 len;
	u64 app_off;
};

/* A TCP segment as the data path reads it; offsets from skb->data */
struct dp_seg {
	u8 family;
	u16 thoff;		/* TCP header */
	u16 thlen;		/* TCP header with options */
	u32 len;		/* payload */
	u32 seq;
	u32 ack;
	u16 win;
	bool syn;
	bool fin;
	bool rst;
	bool ackf;
	bool psh;
	struct tcpc_dpopt opt;
};

typedef int (*dp_okfn_t)(struct net *net, struct sock *sk,
			 struct sk_buff *skb);

/*
 * A frame being opened (dp_in.c): the one asynchronous open a connection
 * may have in flight, and the headers of the segment that started it, to
 * deliver the plaintext with once it is authenticated.
 */
struct dp_rx_op {
	struct tcpc_rxframe *f;
	bool verdict;		/* a first opening, not a redelivery */
	bool rekey;		/* the frame's rekey bit */
	int err;		/* the AEAD's result */
	atomic_t owners;	/* the submitter and the completion */
	struct tcpc_frame_prefix pfx;
	u32 nch;
	u8 *chunk[DP_RX_CHUNKS];
	struct scatterlist wsg[2];
	struct scatterlist psg[DP_RX_CHUNKS];
	struct sk_buff *tmpl;	/* stripped, in app space; kept (dp_rx_keep) */
	struct dp_seg tmpl_seg;
	dp_okfn_t okfn;		/* LOCAL_IN's continuation */
};

static inline struct tcphdr *dp_th(const struct sk_buff *skb,
				   const struct dp_seg *seg)
{
	return (struct tcphdr *)(skb->data + seg->thoff);
}

static inline u8 *dp_opts(const struct sk_buff *skb, const struct dp_seg *seg)
{
	return skb->data + seg->thoff + sizeof(struct tcphdr);
}

static inline struct net *dp_net(const struct tcpc_dp *dp)
{
	return read_pnet(&dp->net);
}

/* dp_seg.c */
int dp_seg_parse(struct sk_buff *skb, u8 family, struct dp_seg *seg);
int dp_seg_strip(struct sk_buff *skb, const struct dp_seg *seg);
void dp_seg_add_page(struct sk_buff *skb, struct page *page, u32 off,
		     u32 len);
void dp_seg_finish_out(struct sk_buff *skb, const struct dp_seg *seg);
void dp_seg_finish_in(struct sk_buff *skb, const struct dp_seg *seg);
void dp_seg_set_gso(struct sk_buff *skb, const struct dp_seg *seg,
		    u32 mss);

/* dp_inject.c */
struct dp_craft {
	u32 seq;
	u32 ack;
	u8 flags;		/* TCPHDR_* */
	u16 win;
	const u8 *data;
	u32 len;
	struct tcpc_dpopt_out opt;
};

int dp_inject(struct net *net, struct sk_buff *skb, u8 family);
int dp_reinject(struct net *net, struct sk_buff *skb, u8 family);
bool dp_reinjecting(const struct sk_buff *skb);
void dp_inject_list(struct tcpc_dp *dp, struct sk_buff_head *list);
struct sk_buff *dp_craft(struct tcpc_conn *conn, const struct dp_craft *c);
void dp_craft_opts(struct tcpc_dp *dp, struct tcpc_dpopt_out *opt,
		   bool sack);
int dp_craft_ack(struct tcpc_conn *conn, struct sk_buff_head *out);
int dp_craft_unowned(struct tcpc_conn *conn, struct sk_buff_head *out);
u16 dp_wire_window(struct tcpc_dp *dp, u16 app_field);

/* dp_out.c */
void dp_note_sock(struct tcpc_dp *dp, const struct sock *sk);
int dp_seal(struct tcpc_dp *dp, struct sk_buff *skb, u32 off,
	    struct tcpc_txframe *f);
const u8 *dp_piece_at(const struct tcpc_dp *dp, const struct tcpc_txpiece *p);
void dp_tx_release(struct tcpc_dp *dp, u64 wire_ack);
void dp_tx_free_all(struct tcpc_dp *dp);

/* dp_conn.c */
void dp_rtx_arm(struct tcpc_dp *dp);
void dp_fall_back(struct tcpc_conn *conn);

/* dp_async.c */
void dp_async_begin(struct tcpc_conn *conn);
void dp_async_end(struct tcpc_conn *conn);
bool dp_rx_keep(struct sk_buff *skb);
void dp_rx_release(struct sk_buff *skb, dp_okfn_t okfn, struct net *net);
void dp_rx_purge(struct sk_buff_head *list);

/* dp_out.c, dp_in.c: what asynchronous completions left to do */
void dp_tx_drain(struct tcpc_conn *conn);
void dp_rx_continue(struct tcpc_conn *conn);

/* dp_rekey.c */
u64 dp_rekey_limit(void);
struct tcpc_dp_keys *dp_keys_create(u16 aead, const u8 *k_local,
				    const u8 *k_peer, unsigned int tk_len,
				    const u8 mk[32]);
void dp_keys_free(struct tcpc_dp_keys *keys);
void dp_rekey_init(struct tcpc_dp *dp);
void dp_rekey_kick(struct tcpc_dp *dp);
int dp_rekey_answer(struct tcpc_conn *conn, struct sk_buff_head *out);
int dp_rekey_keepalive(struct tcpc_dp *dp, struct sk_buff_head *out);
void dp_rekey_rx_base(struct tcpc_dp *dp);

#endif /* _TCPC_DP_PRIV_H */
