// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * txmap: outbound frame records and the app <-> wire mapping built on
 * them. The ownership rule every function follows is stated in txmap.h.
 */
#include "txmap.h"

static struct tcpc_txframe *rec(const struct tcpc_txmap *tx, u32 i)
{
	return &tx->ring[(tx->head + i) & tx->mask];
}

static u64 frame_end(const struct tcpc_txmap *tx, const struct tcpc_txframe *f)
{
	return f->wire_off + tcpc_txframe_len(tx, f);
}

/*
 * Newest record whose app offset (@by_app) or wire offset is <= @x; false
 * when there is none. Records are in increasing order of both.
 */
static bool find_rec(const struct tcpc_txmap *tx, u64 x, bool by_app,
		     u32 *idx)
{
	u32 lo = 0, hi = tx->count;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		const struct tcpc_txframe *f = rec(tx, mid);

		if ((by_app ? f->app_off : f->wire_off) <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return false;
	*idx = lo - 1;
	return true;
}

/* Newest record whose wire offset is <= w; false when there is none */
static bool find_by_wire(const struct tcpc_txmap *tx, u64 w, u32 *idx)
{
	return find_rec(tx, w, false, idx);
}

/*
 * Record of the data frame holding app byte x (app_una <= x < app_end).
 * Empty frames share the app offset of the data frame that follows them,
 * so the newest record at or below x is always that data frame.
 */
static bool find_by_app(const struct tcpc_txmap *tx, u64 x, u32 *idx)
{
	return find_rec(tx, x, true, idx);
}

/* Data offset within f of wire offset w, clamped to the data part */
static u64 data_pos(const struct tcpc_txmap *tx, const struct tcpc_txframe *f,
		    u64 w)
{
	u64 rel = w - f->wire_off;

	return rel > tx->cfg.prefix_len ? rel - tx->cfg.prefix_len : 0;
}

/*
 * Number of app positions whose wire bytes all lie below w (w between
 * wire_una and the wire FIN + 1): the app ACK that wire ACK w allows.
 */
static u64 app_floor(const struct tcpc_txmap *tx, u64 w)
{
	const struct tcpc_txframe *f;
	u32 i;

	if (w > tx->wire_end)
		return tx->app_end + 1;
	if (!tx->count)
		return tx->app_end;
	if (!find_by_wire(tx, w, &i))
		return tx->app_una;
	f = rec(tx, i);
	if (!f->dlen)
		return f->app_off;
	if (w >= frame_end(tx, f))
		return f->app_off + f->dlen;
	/* the last data byte also needs the tag: it waits for the frame end */
	return f->app_off + tcpc_min_u64(data_pos(tx, f, w), f->dlen - 1);
}

/* First app position whose wire bytes all lie at or above w */
static u64 app_ceil(const struct tcpc_txmap *tx, u64 w)
{
	const struct tcpc_txframe *f;
	u64 d;
	u32 i;

	if (w >= tx->wire_end) {
		/* the next position owns the trailing empty frames, if any */
		if (w == tx->wire_end && tx->owner_end == w)
			return tx->app_end;
		return tx->app_end + 1;
	}
	if (!find_by_wire(tx, w, &i))
		return tx->app_una;
	f = rec(tx, i);
	/* the frame's first owner starts exactly at w */
	if (w == f->wire_off && !f->lead)
		return f->app_off;
	if (!f->dlen)
		return f->app_off + 1;
	d = tcpc_max_u64(data_pos(tx, f, w), 1);
	return f->app_off + tcpc_min_u64(d, f->dlen);
}

/* First wire byte owned by app position x (app_una <= x <= app_end) */
static u64 wire_start_of(const struct tcpc_txmap *tx, u64 x)
{
	const struct tcpc_txframe *f;
	u32 i;

	if (x >= tx->app_end)
		return tx->owner_end;
	if (!find_by_app(tx, x, &i))
		return tx->wire_una;
	f = rec(tx, i);
	if (x == f->app_off)
		return f->wire_off - f->lead;
	return f->wire_off + tx->cfg.prefix_len + (x - f->app_off);
}

/* Wire offset just past the bytes owned by app positions below b */
static u64 wire_end_of(const struct tcpc_txmap *tx, u64 b)
{
	const struct tcpc_txframe *f;
	u64 d;
	u32 i;

	if (b >= tx->app_end)
		return tx->owner_end;
	if (!b || !find_by_app(tx, b - 1, &i))
		return tx->wire_una;
	f = rec(tx, i);
	d = b - 1 - f->app_off;
	if (d == f->dlen - 1U)
		return frame_end(tx, f);
	return f->wire_off + tx->cfg.prefix_len + d + 1;
}

int tcpc_txmap_init(struct tcpc_txmap *tx, const struct tcpc_txmap_cfg *cfg,
		    struct tcpc_txframe *ring, u32 cap)
{
	if (!cap || cap > TCPC_TXMAP_RING_MAX || (cap & (cap - 1)))
		return -EINVAL;
	if (!cfg->prefix_len || cfg->tag_len > TCPC_TXMAP_TAG_MAX ||
	    !cfg->max_data)
		return -EINVAL;
	memset(tx, 0, sizeof(*tx));
	tx->ring = ring;
	tx->mask = cap - 1;
	tx->cfg = *cfg;
	tx->wire_end = cfg->init_len;
	tx->owner_end = cfg->init_len;
	return 0;
}

/*
 * Record a new frame for app bytes [app_off, app_off + len), which must
 * start where the previous frame ended. len 0 makes an empty frame: with
 * fin, the FINp frame that carries no data; without, a frame owned by the
 * next data byte (a rekey or keep-alive frame). A key generation one above
 * the previous frame's marks this frame rekey.
 */
int tcpc_txmap_push(struct tcpc_txmap *tx, u64 app_off, u32 len, bool fin,
		    u32 gen, struct tcpc_txframe **frame)
{
	struct tcpc_txframe *f;
	u64 flen = (u64)tx->cfg.prefix_len + len + tx->cfg.tag_len;

	if (tx->fin || app_off != tx->app_end)
		return -EINVAL;
	if (len > tx->cfg.max_data)
		return -EMSGSIZE;
	if (gen != tx->gen && gen != tx->gen + 1)
		return -EINVAL;
	if (tx->count > tx->mask)
		return -ENOBUFS;
	if (tx->wire_end + flen < tx->wire_end)
		return -EOVERFLOW;
	f = rec(tx, tx->count);
	memset(f, 0, sizeof(*f));
	f->app_off = app_off;
	f->wire_off = tx->wire_end;
	f->lead = tx->wire_end - tx->owner_end;
	f->gen = gen;
	f->dlen = (u16)len;
	f->flags = (fin ? TCPC_TXF_FIN : 0) |
		   (gen != tx->gen ? TCPC_TXF_REKEY : 0);
	tx->count++;
	tx->gen = gen;
	tx->app_end += len;
	tx->wire_end += flen;
	if (len)
		tx->owner_end = tx->wire_end;
	tx->fin = fin;
	*frame = f;
	return 0;
}

/*
 * Withdraw the newest frame, when none of its bytes left the host (the
 * caller could not build or encrypt the segment): the same app bytes will
 * be framed again when the local TCP retransmits them.
 */
int tcpc_txmap_unpush(struct tcpc_txmap *tx, struct tcpc_txframe *frame)
{
	if (!tx->count || frame != rec(tx, tx->count - 1))
		return -EINVAL;
	if (frame_end(tx, frame) <= tx->wire_una)
		return -EINVAL;
	tx->count--;
	tx->app_end = frame->app_off;
	tx->wire_end = frame->wire_off;
	tx->owner_end = frame->wire_off - frame->lead;
	tx->fin = false;
	if (frame->flags & TCPC_TXF_REKEY)
		tx->gen = frame->gen - 1;
	return 0;
}

/* Store the tag of a new frame, computed when it was first encrypted */
void tcpc_txmap_seal(const struct tcpc_txmap *tx, struct tcpc_txframe *frame,
		     const u8 *tag)
{
	memcpy(frame->tag, tag, tx->cfg.tag_len);
	frame->flags |= TCPC_TXF_SEALED;
}

/* Frame the part of [app_off, end) that was never sent, if any */
static int push_new_part(struct tcpc_txmap *tx, u64 app_off, u64 end,
			 bool fin, u32 gen, struct tcpc_txseg *seg)
{
	if (app_off > tx->app_end)
		return -EAGAIN;		/* a gap: earlier new data was dropped */
	if (end < tx->app_end || (end == tx->app_end && (!fin || tx->fin))) {
		if (fin && (end != tx->app_end || !tx->fin))
			return -EINVAL;	/* FIN must follow the last byte */
		return 0;
	}
	/* (u32) below must not truncate */
	if (end - tx->app_end > tx->cfg.max_data)
		return -EMSGSIZE;
	return tcpc_txmap_push(tx, tx->app_end, (u32)(end - tx->app_end), fin,
			       gen, &seg->new_frame);
}

/*
 * Map one outbound segment of the local TCP, app bytes [app_off, +len)
 * and FIN if fin, to the wire range to send. New bytes (at and beyond the
 * end of what was framed) become one new frame, encrypted under gen; old
 * bytes map to the wire bytes they own. Bytes the peer already ACKed are
 * left out, so wire_len is 0 when nothing is left to send.
 * -EAGAIN: the segment starts beyond a gap (an earlier new segment was
 * dropped); drop it too, the local TCP will retransmit the gap.
 */
int tcpc_txmap_segment(struct tcpc_txmap *tx, u64 app_off, u32 len, bool fin,
		       u32 gen, struct tcpc_txseg *seg)
{
	u64 end = app_off + len, from, ws, we;
	int err;

	memset(seg, 0, sizeof(*seg));
	if (tx->fin && end > tx->app_end)
		return -EINVAL;
	err = push_new_part(tx, app_off, end, fin, gen, seg);
	if (err)
		return err;
	from = tcpc_max_u64(app_off, tx->app_una);
	if (from >= end + fin)
		return 0;
	/*
	 * A new frame goes out alone at first: the empty frames its first
	 * byte owns were sent already; they come with its retransmissions.
	 */
	if (seg->new_frame && from == seg->new_frame->app_off)
		ws = seg->new_frame->wire_off;
	else
		ws = tcpc_max_u64(wire_start_of(tx, from), tx->wire_una);
	/* the tail also carries trailing empty frames (and the FIN's) */
	we = end == tx->app_end ? tx->wire_end : wire_end_of(tx, end);
	seg->wire_off = ws;
	seg->wire_len = (u32)(we - ws);
	seg->fin = fin;
	return 0;
}

/*
 * Walk the wire bytes [ws, we) piece by piece. The range must lie between
 * the peer's cumulative ACK and the end of what was framed: every byte
 * there is Init or belongs to a held record.
 */
int tcpc_txmap_iter_init(struct tcpc_txiter *it, const struct tcpc_txmap *tx,
			 u64 ws, u64 we)
{
	if (ws > we || ws < tx->wire_una || we > tx->wire_end)
		return -ERANGE;
	it->tx = tx;
	it->pos = ws;
	it->end = we;
	it->idx = 0;
	if (ws >= tx->cfg.init_len && ws < we &&
	    !find_by_wire(tx, ws, &it->idx))
		return -ERANGE;
	return 0;
}

/* Cut the piece of record f that holds it->pos: prefix, data or tag */
static void frame_piece(struct tcpc_txiter *it, const struct tcpc_txframe *f,
			struct tcpc_txpiece *p)
{
	const struct tcpc_txmap *tx = it->tx;
	u64 rel = it->pos - f->wire_off;
	u64 data_at = tx->cfg.prefix_len;
	u64 tag_at = data_at + f->dlen;
	u64 part_end;

	p->frame = f;
	if (rel < data_at) {
		p->kind = TCPC_TXP_PREFIX;
		p->off = (u32)rel;
		part_end = data_at;
	} else if (rel < tag_at) {
		p->kind = TCPC_TXP_DATA;
		p->off = (u32)(rel - data_at);
		p->app_off = f->app_off + p->off;
		part_end = tag_at;
	} else {
		p->kind = TCPC_TXP_TAG;
		p->off = (u32)(rel - tag_at);
		part_end = tag_at + tx->cfg.tag_len;
	}
	p->len = (u32)(tcpc_min_u64(f->wire_off + part_end, it->end) - it->pos);
}

bool tcpc_txmap_iter_next(struct tcpc_txiter *it, struct tcpc_txpiece *p)
{
	const struct tcpc_txmap *tx = it->tx;
	const struct tcpc_txframe *f;

	if (it->pos >= it->end)
		return false;
	memset(p, 0, sizeof(*p));
	p->wire_off = it->pos;
	if (it->pos < tx->cfg.init_len) {
		p->kind = TCPC_TXP_INIT;
		p->off = (u32)it->pos;
		p->len = (u32)(tcpc_min_u64(tx->cfg.init_len, it->end) -
			       it->pos);
	} else {
		f = rec(tx, it->idx);
		while (frame_end(tx, f) <= it->pos)
			f = rec(tx, ++it->idx);
		frame_piece(it, f, p);
	}
	it->pos += p->len;
	return true;
}

/*
 * The peer's cumulative ACK: returns the app ACK for the local TCP (the
 * positions whose wire bytes are all acknowledged) and frees the records
 * of frames acknowledged to their last byte. An ACK below an earlier one
 * is reported with TCPC_TXACK_OLD and the earlier app ACK. A wire ACK may
 * advance while the app ACK does not (it ends inside a prefix or a tag):
 * TCPC_TXACK_WIRE_MOVED without TCPC_TXACK_APP_MOVED, which the caller
 * must not let the local TCP count as a duplicate ACK.
 */
int tcpc_txmap_ack(struct tcpc_txmap *tx, u64 wire_ack, u64 *app_ack)
{
	int res = 0;
	u64 a;

	if (wire_ack > tcpc_txmap_wire_nxt(tx))
		return -ERANGE;
	if (wire_ack < tx->wire_una) {
		*app_ack = tx->app_una;
		return TCPC_TXACK_OLD;
	}
	a = app_floor(tx, wire_ack);
	while (tx->count && frame_end(tx, rec(tx, 0)) <= wire_ack) {
		tx->head = (tx->head + 1) & tx->mask;
		tx->count--;
	}
	if (wire_ack > tx->wire_una)
		res |= TCPC_TXACK_WIRE_MOVED;
	if (a > tx->app_una)
		res |= TCPC_TXACK_APP_MOVED;
	tx->wire_una = wire_ack;
	tx->app_una = a;
	*app_ack = a;
	return res;
}

/*
 * A SACK block of the peer, wire [wire_start, wire_end), as the app bytes
 * whose wire bytes it wholly covers. -ENOENT when there are none (the
 * block is below the cumulative ACK, as a D-SACK, or covers only parts of
 * prefixes and tags): drop the block. -ERANGE: it covers unsent bytes.
 */
int tcpc_txmap_sack(const struct tcpc_txmap *tx, u64 wire_start, u64 wire_end,
		    struct tcpc_range *app)
{
	u64 s, e;

	if (wire_start >= wire_end || wire_end > tcpc_txmap_wire_nxt(tx))
		return -ERANGE;
	if (wire_end <= tx->wire_una)
		return -ENOENT;
	s = app_ceil(tx, tcpc_max_u64(wire_start, tx->wire_una));
	e = app_floor(tx, wire_end);
	if (s >= e)
		return -ENOENT;
	app->start = s;
	app->end = e;
	return 0;
}

/*
 * Translate a wire offset between the cumulative ACK and the wire FIN + 1
 * to the app stream: rounded down, the positions wholly before it; rounded
 * up, the first position wholly at or after it.
 */
int tcpc_txmap_wire_to_app(const struct tcpc_txmap *tx, u64 wire_off,
			   bool round_up, u64 *app_off)
{
	if (wire_off < tx->wire_una || wire_off > tcpc_txmap_wire_nxt(tx))
		return -ERANGE;
	*app_off = round_up ? app_ceil(tx, wire_off) : app_floor(tx, wire_off);
	return 0;
}

/*
 * Translate an app offset to the wire stream, for the sequence number of a
 * segment that starts there: the first wire byte the position owns (never
 * below the cumulative ACK); at and past the end of what was framed, the
 * wire send point (a pure ACK or RST); below the app ACK, the same
 * distance below the wire ACK (a window probe sends snd_una - 1).
 */
int tcpc_txmap_app_to_wire(const struct tcpc_txmap *tx, u64 app_off,
			   u64 *wire_off)
{
	u64 below;

	if (app_off > tcpc_txmap_app_nxt(tx))
		return -ERANGE;
	if (app_off >= tx->app_end) {
		*wire_off = tx->wire_end + (app_off - tx->app_end);
	} else if (app_off < tx->app_una) {
		below = tx->app_una - app_off;
		*wire_off = tx->wire_una > below ? tx->wire_una - below : 0;
	} else {
		*wire_off = tcpc_max_u64(wire_start_of(tx, app_off),
					 tx->wire_una);
	}
	return 0;
}

/*
 * Unacknowledged wire bytes that no app byte owns, which only the caller's
 * own timer retransmits: the Init message first, then empty frames sent
 * after the last data byte (until new data or the FIN takes them over).
 */
bool tcpc_txmap_unowned(const struct tcpc_txmap *tx, struct tcpc_range *wire)
{
	if (tx->wire_una < tx->cfg.init_len) {
		wire->start = tx->wire_una;
		wire->end = tx->cfg.init_len;
		return true;
	}
	if (tx->fin)
		return false;
	wire->start = tcpc_max_u64(tx->owner_end, tx->wire_una);
	wire->end = tx->wire_end;
	return wire->start < wire->end;
}
