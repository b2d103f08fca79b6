/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data path of a connection whose TCP-ENO negotiation succeeded:
 * everything between the local TCP, which sends and receives the app
 * stream, and the peer, which sees the wire stream
 *
 *	[Init message] frame_0 frame_1 ... frame_n [FIN]
 *
 * Outbound (LOCAL_OUT, before conntrack) each new app segment becomes one
 * frame per gso_size chunk, sealed into new pages that are kept until the
 * peer's cumulative wire ACK passes them, so that every retransmission is
 * byte-identical. Inbound (LOCAL_IN, after NAT) the wire stream is
 * reassembled, the peer's Init consumed, frames authenticated and only
 * their plaintext delivered to the local TCP. The sequence-space rules
 * live in the protocol core (proto/txmap.h, proto/rxmap.h); this is the
 * kernel glue around them.
 *
 * One spinlock per connection (dp.lock, taken with BH disabled) covers
 * all of it; nothing here sleeps except tcpc_dp_send_init() and
 * tcpc_dp_install_keys(), which run in process context, and the rekey
 * work item, which builds each next key generation ahead of its use
 * (dp_rekey.c): the packet path switches generations without allocating.
 */
#ifndef _TCPC_DP_H
#define _TCPC_DP_H

#include <linux/mm_types.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include "rxmap.h"
#include "txmap.h"

struct nf_hook_state;
struct tcpc_conn;
struct tcpc_dp_keys;
struct dp_piece;
struct dp_rx_op;

/* What the local TCP last showed of itself, for the segments we build */
struct tcpc_dp_local {
	u32 mss;		/* its mss_cache: app bytes per full segment */
	u8 snd_wscale;		/* the peer's window scale */
	u8 rcv_wscale;		/* its own window scale */
	bool tcp_known;		/* the three above were read from the socket */
	bool win_known;
	u16 win;		/* its last window field */
	bool ts;		/* timestamps in use */
	u32 tsval;
	u32 tsecr;
	u32 mark;
	u8 tos;			/* IPv4 TOS or IPv6 traffic class */
};

/**
 * struct tcpc_dp - per-connection data path state, inside struct tcpc_conn
 * @lock: protects everything below (spin_lock_bh)
 * @net: the connection's namespace, learned from the first hooked segment
 * @live: tcpc_dp_init() succeeded
 * @plain: A only: B refused our Init1 and runs plain TCP, so every
 *	segment passes untouched (proto/refusal.h, dp_fall_back())
 * @family: AF_INET or AF_INET6
 * @role: TCPCRYPT_ROLE_A or TCPCRYPT_ROLE_B
 * @isn_local: ISN of the local TCP (same in app and wire space)
 * @isn_peer: ISN of the peer
 * @tx: outbound map, valid once @tx_ready
 * @tx_ring: its frame records
 * @tx_wire: wire bytes of each frame record, indexed like @tx_ring
 * @init_wire: the local Init message, at wire offset 0
 * @tx_pf: pages for sealed frames and the Init
 * @held: app segments sent before the keys existed
 * @held_bytes: their length
 * @rtx_timer: retransmits the Init (and data-less frames) until ACKed
 * @rtx_tries: retransmissions so far
 * @rx: inbound map
 * @rx_buf: its reassembly ring
 * @rx_recs: its frame records
 * @rx_pending: a frame handed out whose verdict is still to be given
 * @rx_pieces: plaintext released by the segment being processed
 * @rx_pf: pages for decrypted plaintext
 * @rx_dlv: app offset up to which plaintext was delivered (FIN counted)
 * @ack_in: app ACK last passed to the local TCP
 * @win_in: window field last passed to the local TCP
 * @win_out: window field last sent to the peer
 * @wire_ack_out: wire ACK last sent to the peer
 * @ka_end: wire end of the empty rekey frame a keep-alive probe of the
 *	local TCP became, until the peer acknowledges it (0: none)
 * @ka_wanted: a keep-alive probe waits for the next generation's keys:
 *	the work item starts the rekey once it built them
 * @keys: traffic keys of every generation in use, once installed
 * @rekey_work: prepares the next generation's keys, frees retired ones
 * @local: what the local TCP last showed
 * @bytes_out: app bytes framed
 * @bytes_in: app bytes authenticated
 * @tx_inflight: seals not completed yet (asynchronous AEAD)
 * @tx_draining: a context is sending @tx_wait on
 * @tx_wait: app segments waiting for those seals, in order
 * @rx_hold: an open is in flight or its results are being delivered:
 *	later inbound segments wait in @rx_wait
 * @rx_busy: an open is in flight (@rx_op)
 * @rx_wait: inbound segments waiting, in order
 * @rx_op: the frame being opened asynchronously, and how its plaintext
 *	reaches the local TCP
 * @rx_okfn: LOCAL_IN's continuation for segments held before the keys
 *
 * Asynchronous completions (dp_out.c, dp_in.c) each hold a reference on
 * the connection, so the data path is not destroyed under them.
 */
struct tcpc_dp {
	spinlock_t lock;
	possible_net_t net;
	u8 family;
	u8 role;
	bool live;
	bool net_known;
	bool resumed;
	bool tx_ready;
	bool aborted;
	bool plain;
	bool dead;
	bool releasing;
	bool nonsyn_seen;
	bool ack_in_known;
	u32 isn_local;
	u32 isn_peer;

	struct tcpc_txmap tx;
	struct tcpc_txframe *tx_ring;
	u8 **tx_wire;
	u8 *init_wire;
	struct page_frag_cache tx_pf;
	struct sk_buff_head held;
	u32 held_bytes;
	struct timer_list rtx_timer;
	u32 rtx_tries;

	struct tcpc_rxmap rx;
	u8 *rx_buf;
	struct tcpc_rxframe *rx_recs;
	struct tcpc_rxframe *rx_pending;
	struct dp_piece *rx_pieces;
	struct page_frag_cache rx_pf;
	u64 rx_dlv;
	u64 ack_in;
	u16 win_in;
	u16 win_out;
	u64 wire_ack_out;
	u64 ka_end;
	bool ka_wanted;

	struct tcpc_dp_keys *keys;
	struct work_struct rekey_work;
	struct tcpc_dp_local local;
	u64 bytes_out;
	u64 bytes_in;

	u32 tx_inflight;
	bool tx_draining;
	struct sk_buff_head tx_wait;
	bool rx_hold;
	bool rx_busy;
	struct sk_buff_head rx_wait;
	struct dp_rx_op *rx_op;
	int (*rx_okfn)(struct net *net, struct sock *sk, struct sk_buff *skb);
};

/*
 * Sequence numbers for the RSTs of an abort: @wire_seq/@wire_ack for the
 * one sent to the peer, @app_seq/@app_ack for the one the local socket
 * must accept (its rcv_nxt and snd_una as far as the module knows).
 */
struct tcpc_dp_seqs {
	u32 wire_seq;
	u32 wire_ack;
	u32 app_seq;
	u32 app_ack;
};

int tcpc_dp_init(struct tcpc_conn *conn, u32 isn_local, u32 isn_peer,
		 int role, bool resumed);
void tcpc_dp_destroy(struct tcpc_conn *conn);

unsigned int tcpc_dp_out(struct tcpc_conn *conn, struct sk_buff *skb,
			 const struct nf_hook_state *state);
unsigned int tcpc_dp_in(struct tcpc_conn *conn, struct sk_buff *skb,
			const struct nf_hook_state *state);

int tcpc_dp_send_init(struct tcpc_conn *conn, const u8 *msg, u32 len);
int tcpc_dp_install_keys(struct tcpc_conn *conn, u16 aead, const u8 *k_local,
			 const u8 *k_peer, unsigned int tk_len,
			 const u8 mk[32]);
void tcpc_dp_rx_keys(struct tcpc_conn *conn);

void tcpc_dp_abort_seqs(struct tcpc_conn *conn, struct tcpc_dp_seqs *seqs);
int tcpc_dp_send_rst(struct tcpc_conn *conn);
void tcpc_dp_counters(struct tcpc_conn *conn, u64 *bytes_in, u64 *bytes_out);

/* Packets the module sent in wire space: the hooks let them pass as is */
bool tcpc_injecting(const struct sk_buff *skb);

/* Wait until no asynchronous AEAD request of any connection is in flight */
void tcpc_dp_async_wait(void);

#endif /* _TCPC_DP_H */
