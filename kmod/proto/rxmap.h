/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * rxmap: the inbound half of the data path's sequence-space translation
 * (architecture rules 5, 6, 7 and 8), one per protected connection.
 *
 * The peer's wire stream
 *
 *	[Init message] frame_0 frame_1 ... frame_n [FIN]
 *
 * arrives in segments that may be lost, duplicated, reordered or cut
 * anywhere. The rxmap reassembles it in a byte ring the caller allocates
 * (its capacity is the connection's reassembly budget), finds frame
 * boundaries in the in-order part only, and hands complete frames out, in
 * order, for authentication. Only authenticated frames get app sequence
 * numbers. Memory is bounded by the byte ring, a ring of frame records and
 * at most TCPC_RXMAP_MAX_OOO out-of-order ranges; nothing allocates or
 * recurses, and every operation is O(1) amortized (O(TCPC_RXMAP_MAX_OOO)
 * per segment).
 *
 * Wire offsets, from low to high:
 *
 *	base       ACKed to the peer: the local TCP accepted every frame below
 *	parse      frames in [base, parse) were handed out: authenticated
 *	           (delivered, waiting for the local TCP to accept their data)
 *	           or waiting for the caller's verdict
 *	rcv_nxt    end of the in-order bytes; [parse, rcv_nxt) is a partial
 *	           frame; out-of-order ranges lie above
 *	base + capacity: nothing is stored beyond
 *
 * A frame's bytes stay in the ring until the local TCP has accepted all of
 * its data, and the wire ACK never passes a frame before that: a frame the
 * local TCP took only part of can be decrypted again from the ring (never
 * from retransmitted, unauthenticated bytes) and its rest delivered.
 *
 * Contract for the caller (the kernel data path, under the connection's
 * lock; every function is safe in softirq context):
 *  - tcpc_rxmap_init(), with init_msg when an Init message is expected.
 *  - LOCAL_IN, data or FIN segment: tcpc_rxmap_wire_off(), then
 *    tcpc_rxmap_segment(); the segment itself is never passed on. Its
 *    result says when to send an ACK at once (out-of-order or duplicate
 *    data: a crafted duplicate ACK with tcpc_rxmap_sack() blocks keeps the
 *    peer's loss recovery going).
 *  - Init: copy the fixed header out with tcpc_rxmap_copy() once enough is
 *    in order, declare its length with tcpc_rxmap_set_init_len(), and when
 *    tcpc_rxmap_init_ready(), copy it out and tcpc_rxmap_consume_init();
 *    the Init is then ACKed by the module and never seen by the local TCP.
 *  - once keys exist: loop tcpc_rxmap_next_frame(), authenticate and
 *    decrypt the frame (tcpc_rxmap_spans() or tcpc_rxmap_copy(); never in
 *    place), report tcpc_rxmap_auth_ok() (which assigns the app range) or
 *    tcpc_rxmap_auth_fail() (abort), and deliver the plaintext at its app
 *    sequence numbers. Verdicts come in hand-out order; several frames may
 *    await theirs (asynchronous crypto).
 *  - LOCAL_OUT, every segment of the local TCP: tcpc_rxmap_app_off() on its
 *    ACK number, tcpc_rxmap_app_ack() gives the wire ACK to put there;
 *    replace its SACK blocks with tcpc_rxmap_sack(). Frames whose data the
 *    local TCP did not (fully) accept are listed by tcpc_rxmap_authed(),
 *    to deliver again when its window opens.
 *  - ACKs of its own: when tcpc_rxmap_wire_ack() moves while the local TCP
 *    has nothing to acknowledge (the Init consumed, empty frames, a FIN
 *    after an accepted FINp frame), the module sends the ACK itself.
 *  - any error other than -EAGAIN, -ENOBUFS, -EINVAL and -ERANGE means the
 *    connection is aborted (RST, and an error for the application, never
 *    EOF): -EBADMSG (a frame failed authentication or has a short clen),
 *    -EPROTO (the stream does not end with FINp and FIN), -EMSGSIZE (a
 *    frame or Init larger than the whole ring). Every later call returns
 *    the same error.
 */
#ifndef _TCPC_PROTO_RXMAP_H
#define _TCPC_PROTO_RXMAP_H

#include "types.h"
#include "seq.h"

/* RFC 8548 section 4.2: a frame starts with control(1) | clen(2, BE) */
#define TCPC_RXMAP_HDR_LEN	3
/* The shortest Init message: its magic and length fields */
#define TCPC_RXMAP_INIT_MIN	8
#define TCPC_RXMAP_MAX_OOO	8
#define TCPC_RXMAP_BUF_MAX	(1U << 30)
#define TCPC_RXMAP_REC_MAX	(1U << 24)

/* tcpc_rxframe.flags */
#define TCPC_RXF_AUTH		0x01	/* authenticated: app range valid */
#define TCPC_RXF_FIN		0x02	/* FINp */

struct tcpc_rxframe {
	u64 wire_off;		/* first header byte */
	u64 app_off;		/* first data byte, once authenticated */
	u32 wire_len;		/* header and ciphertext */
	u16 dlen;		/* data bytes, once authenticated */
	u8 flags;		/* TCPC_RXF_* */
};

struct tcpc_rxmap_cfg {
	u32 app_isn;		/* peer's ISN as the local TCP sees it */
	u32 wire_isn;		/* peer's ISN on the wire */
	u16 min_clen;		/* smallest valid clen: flags byte + tag */
	bool init_msg;		/* an Init message of unknown length comes first */
};

struct tcpc_rxooo {
	u64 start;
	u64 end;
	u32 stamp;		/* when last extended, for SACK order */
};

struct tcpc_rxmap {
	u8 *buf;
	u32 buf_mask;		/* byte ring capacity - 1 */
	struct tcpc_rxframe *recs;
	u32 rec_mask;		/* record ring capacity - 1 */
	u32 rec_head;		/* ring index of the oldest record */
	u32 rec_count;		/* records held */
	u32 rec_authed;		/* of which authenticated (the oldest ones) */
	struct tcpc_rxmap_cfg cfg;
	u64 base;
	u64 parse;
	u64 rcv_nxt;
	u64 init_len;		/* once known */
	u64 wire_fin;		/* once fin_known */
	u64 app_next;		/* app offset of the next authenticated frame */
	u64 app_acked;		/* highest app ACK of the local TCP */
	struct tcpc_rxooo ooo[TCPC_RXMAP_MAX_OOO];	/* sorted, disjoint */
	u32 nooo;
	u32 stamp;
	int err;		/* abort reason, once aborted */
	bool init_known;
	bool init_done;
	bool fin_known;		/* wire FIN seen */
	bool finp;		/* FINp frame authenticated */
};

/* tcpc_rxmap_segment() result bits */
#define TCPC_RXSEG_NEW		0x01	/* stored bytes not held before */
#define TCPC_RXSEG_ADVANCED	0x02	/* in-order data grew */
#define TCPC_RXSEG_OOO		0x04	/* data above a hole: ACK at once */
#define TCPC_RXSEG_DUP		0x08	/* nothing new: ACK at once */
#define TCPC_RXSEG_TRIMMED	0x10	/* the tail was over budget */

struct tcpc_rxspan {
	const u8 *data;
	u32 len;
};

int tcpc_rxmap_init(struct tcpc_rxmap *rx, const struct tcpc_rxmap_cfg *cfg,
		    u8 *buf, u32 buf_cap, struct tcpc_rxframe *recs,
		    u32 rec_cap);

int tcpc_rxmap_segment(struct tcpc_rxmap *rx, u64 wire_off, const u8 *data,
		       u32 len, bool fin);

int tcpc_rxmap_set_init_len(struct tcpc_rxmap *rx, u32 len);
bool tcpc_rxmap_init_ready(const struct tcpc_rxmap *rx);
int tcpc_rxmap_consume_init(struct tcpc_rxmap *rx);

int tcpc_rxmap_next_frame(struct tcpc_rxmap *rx, struct tcpc_rxframe **frame);
int tcpc_rxmap_auth_ok(struct tcpc_rxmap *rx, struct tcpc_rxframe *frame,
		       u32 dlen, bool fin);
int tcpc_rxmap_auth_fail(struct tcpc_rxmap *rx, struct tcpc_rxframe *frame);
struct tcpc_rxframe *tcpc_rxmap_authed(const struct tcpc_rxmap *rx, u32 i);

int tcpc_rxmap_spans(const struct tcpc_rxmap *rx, u64 wire_off, u32 len,
		     struct tcpc_rxspan span[2]);
int tcpc_rxmap_copy(const struct tcpc_rxmap *rx, u64 wire_off, u32 len,
		    u8 *dst);

int tcpc_rxmap_app_ack(struct tcpc_rxmap *rx, u64 app_ack, u64 *wire_ack);
u64 tcpc_rxmap_wire_ack(const struct tcpc_rxmap *rx);
u32 tcpc_rxmap_sack(const struct tcpc_rxmap *rx, struct tcpc_range *blocks,
		    u32 max);
u64 tcpc_rxmap_held(const struct tcpc_rxmap *rx);

/* App offset just past everything authenticated, FINp included */
static inline u64 tcpc_rxmap_app_nxt(const struct tcpc_rxmap *rx)
{
	return rx->app_next + rx->finp;
}

/* Incoming segment sequence numbers are unwrapped near rcv_nxt */
static inline int tcpc_rxmap_wire_off(const struct tcpc_rxmap *rx, u32 seq,
				      u64 *off)
{
	return tcpc_seq_to_off(rx->cfg.wire_isn, rx->rcv_nxt, seq, off);
}

/* The local TCP's ACK numbers are unwrapped near its last ACK */
static inline int tcpc_rxmap_app_off(const struct tcpc_rxmap *rx, u32 seq,
				     u64 *off)
{
	return tcpc_seq_to_off(rx->cfg.app_isn, rx->app_acked, seq, off);
}

static inline u32 tcpc_rxmap_wire_seq(const struct tcpc_rxmap *rx, u64 off)
{
	return tcpc_off_to_seq(rx->cfg.wire_isn, off);
}

static inline u32 tcpc_rxmap_app_seq(const struct tcpc_rxmap *rx, u64 off)
{
	return tcpc_off_to_seq(rx->cfg.app_isn, off);
}

#endif /* _TCPC_PROTO_RXMAP_H */
