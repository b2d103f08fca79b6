/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * txmap: the outbound half of the data path's sequence-space translation
 * (architecture rules 1, 2, 6, 7 and 8), one per protected connection.
 *
 * The local TCP sends the app stream; the peer sees the wire stream
 *
 *	[Init message] frame_0 frame_1 ... frame_n [FIN]
 *
 * where a frame is prefix_len bytes (header and encrypted flags byte),
 * then the ciphertext of its data, then tag_len bytes of tag. The txmap
 * remembers every frame from its first transmission until the peer's
 * cumulative wire ACK passes it, in a ring of records whose array the
 * caller allocates: memory is bounded by the ring, every operation is a
 * binary search or amortized O(1), nothing allocates or recurses.
 *
 * Ownership rule (the basis of every mapping). Each app position owns a
 * contiguous run of wire bytes, and the runs tile the wire stream after
 * the Init in order (empty frames after the last data byte wait for the
 * next byte or the FIN to own them):
 *  - a frame's first data byte owns the frame's prefix (and any empty,
 *    data-less frames sent just before it),
 *  - a frame's last data byte owns the tag,
 *  - every other data byte owns exactly its own ciphertext byte,
 *  - the app FIN (the position after the last data byte) owns the empty
 *    FINp frame, if one was needed, and the wire FIN.
 * Hence:
 *  - a retransmitted app range [a, b) maps to the wire bytes its positions
 *    own: the ciphertext of [a, b), plus the prefix of a frame whose first
 *    byte is in the range, plus the tag of a frame whose last byte is;
 *    these bytes are the same as at first transmission (rule 2);
 *  - the local TCP sees app bytes acknowledged exactly when all the wire
 *    bytes they own are (ACK), or are all within one SACK block (SACK);
 *    a frame's record is freed only when its last wire byte is ACKed, so a
 *    partly acknowledged frame can still be retransmitted from its middle.
 *
 * Contract for the caller (the kernel data path, under the connection's
 * lock; every function is safe in softirq context):
 *  - tcpc_txmap_init() once the Init message length is known (0 when
 *    resumed); the ring is kmalloc'ed by the caller, capacity a power of 2.
 *  - LOCAL_OUT, data or FIN segment [a, a + len) (each gso_size chunk of
 *    a GSO skb on its own): unwrap the sequence number with
 *    tcpc_txmap_app_off(), call tcpc_txmap_segment(). A new frame it
 *    records must be encrypted at once, its tag stored with
 *    tcpc_txmap_seal() (or the frame withdrawn with tcpc_txmap_unpush()
 *    when nothing was sent). Then walk the wire range it returns with
 *    tcpc_txmap_iter_*(): each piece names Init bytes, a frame's prefix,
 *    a sub-range of its data (to encrypt from the skb's plaintext at that
 *    app offset; the keystream position is the data offset plus the flags
 *    length) or of its tag (copied from the record). The wire range may be
 *    cut into several segments at any byte boundary (a retransmission that
 *    spans several frames can exceed the MSS); TCP FIN goes on the last.
 *  - pure ACK, RST, window probe: rewrite seq with tcpc_txmap_app_to_wire().
 *  - LOCAL_IN, ACK from the peer: tcpc_txmap_ack() gives the app ACK for the
 *    local TCP and frees records; tcpc_txmap_sack() maps each SACK block.
 *    A pure ACK that moved the wire ACK but not the app ACK (it ends in a
 *    prefix or a tag) must not reach the local TCP as a duplicate ACK.
 *  - timers of its own: the Init and empty frames nobody owns yet are not
 *    retransmitted by the local TCP; tcpc_txmap_unowned() names them.
 *
 * Offsets are 64-bit stream offsets counted from ISN + 1 (seq.h). The key
 * generation of each frame is the caller's: the first frame of a new
 * generation is marked rekey.
 */
#ifndef _TCPC_PROTO_TXMAP_H
#define _TCPC_PROTO_TXMAP_H

#include "types.h"
#include "seq.h"

#define TCPC_TXMAP_TAG_MAX	16
#define TCPC_TXMAP_RING_MAX	(1U << 24)

/* tcpc_txframe.flags */
#define TCPC_TXF_FIN		0x01	/* FINp: the last frame */
#define TCPC_TXF_REKEY		0x02	/* first frame of its key generation */
#define TCPC_TXF_SEALED		0x04	/* tag stored */

struct tcpc_txframe {
	u64 app_off;		/* app offset of the first data byte */
	u64 wire_off;		/* wire offset of the first prefix byte */
	u64 lead;		/* bytes of empty frames just before, owned here */
	u32 gen;		/* key generation */
	u16 dlen;		/* data bytes, 0 for an empty frame */
	u8 flags;		/* TCPC_TXF_* */
	u8 tag[TCPC_TXMAP_TAG_MAX];
};

struct tcpc_txmap_cfg {
	u32 app_isn;		/* ISN of the local TCP (app stream) */
	u32 wire_isn;		/* ISN on the wire */
	u32 init_len;		/* Init message at wire offset 0; 0 if resumed */
	u16 max_data;		/* most data bytes in one frame */
	u8 prefix_len;		/* wire bytes before the data, at least 1 */
	u8 tag_len;		/* wire bytes after the data */
};

struct tcpc_txmap {
	struct tcpc_txframe *ring;
	u32 mask;		/* ring capacity - 1 */
	u32 head;		/* ring index of the oldest record */
	u32 count;		/* records held */
	u32 gen;		/* key generation of the newest frame */
	struct tcpc_txmap_cfg cfg;
	u64 app_end;		/* app offset after the last framed byte */
	u64 wire_end;		/* wire offset after the last frame */
	u64 owner_end;		/* wire end of the last data frame */
	u64 app_una;		/* app ACK last given to the local TCP */
	u64 wire_una;		/* highest cumulative wire ACK of the peer */
	bool fin;		/* FINp sent: no more frames */
};

/* What one outbound segment of the local TCP becomes on the wire */
struct tcpc_txseg {
	u64 wire_off;		/* offset of the first wire byte */
	u32 wire_len;		/* 0: only acknowledged bytes, send nothing */
	bool fin;		/* set TCP FIN on the last wire segment */
	struct tcpc_txframe *new_frame;	/* recorded now, to encrypt and seal */
};

enum tcpc_txpiece_kind {
	TCPC_TXP_INIT,		/* Init message bytes; off = wire offset */
	TCPC_TXP_PREFIX,	/* frame header and encrypted flags byte */
	TCPC_TXP_DATA,		/* ciphertext of data bytes; off = data offset */
	TCPC_TXP_TAG,		/* tag bytes; off = offset in the tag */
};

struct tcpc_txpiece {
	const struct tcpc_txframe *frame;	/* NULL for Init bytes */
	u64 wire_off;
	u64 app_off;		/* TCPC_TXP_DATA: app offset of the first byte */
	u32 off;		/* offset inside the part named by kind */
	u32 len;
	enum tcpc_txpiece_kind kind;
};

struct tcpc_txiter {
	const struct tcpc_txmap *tx;
	u64 pos;
	u64 end;
	u32 idx;		/* record holding pos, counted from the oldest */
};

/* tcpc_txmap_ack() result bits */
#define TCPC_TXACK_OLD		0x01	/* below an earlier ACK */
#define TCPC_TXACK_WIRE_MOVED	0x02	/* the wire ACK advanced */
#define TCPC_TXACK_APP_MOVED	0x04	/* the app ACK advanced */

int tcpc_txmap_init(struct tcpc_txmap *tx, const struct tcpc_txmap_cfg *cfg,
		    struct tcpc_txframe *ring, u32 cap);

int tcpc_txmap_push(struct tcpc_txmap *tx, u64 app_off, u32 len, bool fin,
		    u32 gen, struct tcpc_txframe **frame);
int tcpc_txmap_unpush(struct tcpc_txmap *tx, struct tcpc_txframe *frame);
void tcpc_txmap_seal(const struct tcpc_txmap *tx, struct tcpc_txframe *frame,
		     const u8 *tag);
int tcpc_txmap_segment(struct tcpc_txmap *tx, u64 app_off, u32 len, bool fin,
		       u32 gen, struct tcpc_txseg *seg);

int tcpc_txmap_iter_init(struct tcpc_txiter *it, const struct tcpc_txmap *tx,
			 u64 ws, u64 we);
bool tcpc_txmap_iter_next(struct tcpc_txiter *it, struct tcpc_txpiece *piece);

int tcpc_txmap_ack(struct tcpc_txmap *tx, u64 wire_ack, u64 *app_ack);
int tcpc_txmap_sack(const struct tcpc_txmap *tx, u64 wire_start, u64 wire_end,
		    struct tcpc_range *app);
int tcpc_txmap_wire_to_app(const struct tcpc_txmap *tx, u64 wire_off,
			   bool round_up, u64 *app_off);
int tcpc_txmap_app_to_wire(const struct tcpc_txmap *tx, u64 app_off,
			   u64 *wire_off);
bool tcpc_txmap_unowned(const struct tcpc_txmap *tx, struct tcpc_range *wire);

/* Wire bytes of a frame: prefix, data, tag */
static inline u64 tcpc_txframe_len(const struct tcpc_txmap *tx,
				   const struct tcpc_txframe *f)
{
	return (u64)tx->cfg.prefix_len + f->dlen + tx->cfg.tag_len;
}

/* App offset just past everything framed, FIN included */
static inline u64 tcpc_txmap_app_nxt(const struct tcpc_txmap *tx)
{
	return tx->app_end + tx->fin;
}

/* Wire offset just past everything sent, FIN included */
static inline u64 tcpc_txmap_wire_nxt(const struct tcpc_txmap *tx)
{
	return tx->wire_end + tx->fin;
}

/* Outbound data sequence numbers are unwrapped near the app ACK point */
static inline int tcpc_txmap_app_off(const struct tcpc_txmap *tx, u32 seq,
				     u64 *off)
{
	return tcpc_seq_to_off(tx->cfg.app_isn, tx->app_una, seq, off);
}

/* The peer's ACK and SACK numbers are unwrapped near the wire ACK point */
static inline int tcpc_txmap_wire_off(const struct tcpc_txmap *tx, u32 seq,
				      u64 *off)
{
	return tcpc_seq_to_off(tx->cfg.wire_isn, tx->wire_una, seq, off);
}

static inline u32 tcpc_txmap_wire_seq(const struct tcpc_txmap *tx, u64 off)
{
	return tcpc_off_to_seq(tx->cfg.wire_isn, off);
}

static inline u32 tcpc_txmap_app_seq(const struct tcpc_txmap *tx, u64 off)
{
	return tcpc_off_to_seq(tx->cfg.app_isn, off);
}

#endif /* _TCPC_PROTO_TXMAP_H */
