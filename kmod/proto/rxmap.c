// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * rxmap: inbound reassembly, frame hand-out and ACK/SACK translation. The
 * wire offsets it keeps (base, parse, rcv_nxt) are described in rxmap.h.
 */
#include "rxmap.h"

static struct tcpc_rxframe *rec(const struct tcpc_rxmap *rx, u32 i)
{
	return &rx->recs[(rx->rec_head + i) & rx->rec_mask];
}

static u64 buf_cap(const struct tcpc_rxmap *rx)
{
	return (u64)rx->buf_mask + 1;
}

/* Enter the aborted state: the first reason sticks */
static int abort_with(struct tcpc_rxmap *rx, int err)
{
	if (!rx->err)
		rx->err = err;
	return rx->err;
}

static bool is_pow2(u32 n)
{
	return n && !(n & (n - 1));
}

int tcpc_rxmap_init(struct tcpc_rxmap *rx, const struct tcpc_rxmap_cfg *cfg,
		    u8 *buf, u32 buf_cap, struct tcpc_rxframe *recs,
		    u32 rec_cap)
{
	if (!is_pow2(buf_cap) || buf_cap > TCPC_RXMAP_BUF_MAX ||
	    !is_pow2(rec_cap) || rec_cap > TCPC_RXMAP_REC_MAX)
		return -EINVAL;
	/* the buffer must hold at least the smallest frame */
	if (!cfg->min_clen || buf_cap < TCPC_RXMAP_HDR_LEN + cfg->min_clen)
		return -EINVAL;
	memset(rx, 0, sizeof(*rx));
	rx->buf = buf;
	rx->buf_mask = buf_cap - 1;
	rx->recs = recs;
	rx->rec_mask = rec_cap - 1;
	rx->cfg = *cfg;
	rx->init_known = !cfg->init_msg;
	rx->init_done = !cfg->init_msg;
	return 0;
}

/* Copy n bytes into the ring at wire offset off */
static void ring_put(struct tcpc_rxmap *rx, u64 off, const u8 *src, u64 n)
{
	u32 at = (u32)(off & rx->buf_mask);
	u64 first = tcpc_min_u64(n, buf_cap(rx) - at);

	memcpy(rx->buf + at, src, first);
	memcpy(rx->buf, src + first, n - first);
}

/* Copy n bytes out of the ring from wire offset off */
static void ring_get(const struct tcpc_rxmap *rx, u64 off, u8 *dst, u64 n)
{
	u32 at = (u32)(off & rx->buf_mask);
	u64 first = tcpc_min_u64(n, buf_cap(rx) - at);

	memcpy(dst, rx->buf + at, first);
	memcpy(dst + first, rx->buf, n - first);
}

/*
 * A FIN fixes the end of the stream: a second FIN elsewhere, data beyond
 * the FIN, or a FIN below data already held are inconsistent and the
 * segment is dropped.
 */
static int check_fin(const struct tcpc_rxmap *rx, u64 end, bool fin)
{
	if (rx->fin_known)
		return end > rx->wire_fin || (fin && end != rx->wire_fin) ?
		       -EINVAL : 0;
	if (!fin)
		return 0;
	if (end < rx->rcv_nxt || (rx->nooo && rx->ooo[rx->nooo - 1].end > end))
		return -EINVAL;
	return 0;
}

/*
 * End-of-stream rules (RFC 8548 section 3.7): the peer's FIN must come
 * right after an authenticated FINp frame. Aborts when the stream is known
 * to end otherwise: FIN inside the Init (or too soon for one), FIN after the last frame without
 * FINp (once every frame before it is authenticated), or bytes after the
 * FINp frame.
 */
static int check_eof(struct tcpc_rxmap *rx)
{
	if (rx->err)
		return rx->err;
	if (rx->finp) {
		if (rx->rcv_nxt > rx->parse ||
		    (rx->fin_known && rx->wire_fin != rx->parse))
			return abort_with(rx, -EPROTO);
		return 0;
	}
	if (!rx->fin_known)
		return 0;
	if (!rx->init_known)
		return rx->wire_fin < TCPC_RXMAP_INIT_MIN ?
		       abort_with(rx, -EPROTO) : 0;
	if (rx->wire_fin < rx->init_len)
		return abort_with(rx, -EPROTO);
	if (rx->init_done && rx->parse == rx->wire_fin &&
	    rx->rec_authed == rx->rec_count)
		return abort_with(rx, -EPROTO);
	return 0;
}

/*
 * Copy the bytes of [s, e) that no out-of-order range holds yet: held
 * bytes are never overwritten, so a frame's bytes cannot change between
 * its authentication and its decryption. Returns the bytes copied.
 */
static u64 copy_gaps(struct tcpc_rxmap *rx, u64 s, u64 e, const u8 *src)
{
	u64 c = s, done = 0;
	u32 i;

	for (i = 0; i < rx->nooo && c < e; i++) {
		const struct tcpc_rxooo *r = &rx->ooo[i];

		if (r->end <= c)
			continue;
		if (r->start > c) {
			u64 n = tcpc_min_u64(r->start, e) - c;

			ring_put(rx, c, src + (c - s), n);
			done += n;
		}
		c = tcpc_max_u64(c, r->end);
	}
	if (c < e) {
		ring_put(rx, c, src + (c - s), e - c);
		done += e - c;
	}
	return done;
}

/* In-order data grew to e: absorb the out-of-order ranges it reaches */
static void advance(struct tcpc_rxmap *rx, u64 e)
{
	u32 k = 0;

	rx->rcv_nxt = e;
	while (k < rx->nooo && rx->ooo[k].start <= rx->rcv_nxt) {
		rx->rcv_nxt = tcpc_max_u64(rx->rcv_nxt, rx->ooo[k].end);
		k++;
	}
	memmove(rx->ooo, rx->ooo + k, (rx->nooo - k) * sizeof(rx->ooo[0]));
	rx->nooo -= k;
}

/* Whether [s, e), above a hole, touches a range or finds a free slot */
static bool ooo_fits(const struct tcpc_rxmap *rx, u64 s, u64 e)
{
	u32 i;

	if (rx->nooo < TCPC_RXMAP_MAX_OOO)
		return true;
	for (i = 0; i < rx->nooo; i++)
		if (rx->ooo[i].end >= s && rx->ooo[i].start <= e)
			return true;
	return false;
}

/* Merge [s, e), above a hole, into the ranges it overlaps or touches */
static void insert_ooo(struct tcpc_rxmap *rx, u64 s, u64 e)
{
	u32 i = 0, j;

	while (i < rx->nooo && rx->ooo[i].end < s)
		i++;
	j = i;
	while (j < rx->nooo && rx->ooo[j].start <= e)
		j++;
	/* ranges i .. j - 1 touch [s, e) */
	if (i == j) {
		memmove(rx->ooo + i + 1, rx->ooo + i,
			(rx->nooo - i) * sizeof(rx->ooo[0]));
		rx->nooo++;
		rx->ooo[i].start = s;
		rx->ooo[i].end = e;
	} else {
		rx->ooo[i].start = tcpc_min_u64(s, rx->ooo[i].start);
		rx->ooo[i].end = tcpc_max_u64(e, rx->ooo[j - 1].end);
		memmove(rx->ooo + i + 1, rx->ooo + j,
			(rx->nooo - j) * sizeof(rx->ooo[0]));
		rx->nooo -= j - i - 1;
	}
	/* RFC 2018: the block of the latest segment is reported first */
	rx->ooo[i].stamp = ++rx->stamp;
}

/*
 * Store [s, e) (s >= rcv_nxt, within budget) and update the ranges.
 * -ENOBUFS, before anything is stored, when it would open one hole too
 * many.
 */
static int store(struct tcpc_rxmap *rx, u64 s, u64 e, const u8 *src)
{
	bool had_holes = rx->nooo;
	int res = 0;

	if (s > rx->rcv_nxt && !ooo_fits(rx, s, e))
		return -ENOBUFS;
	if (copy_gaps(rx, s, e, src))
		res |= TCPC_RXSEG_NEW;
	else
		res |= TCPC_RXSEG_DUP;
	if (s > rx->rcv_nxt) {
		insert_ooo(rx, s, e);
		res |= TCPC_RXSEG_OOO;
	} else {
		advance(rx, e);
		res |= TCPC_RXSEG_ADVANCED;
		/* RFC 5681: ACK at once when filling (part of) a hole */
		if (had_holes)
			res |= TCPC_RXSEG_OOO;
	}
	return res;
}

/*
 * One segment of the peer: wire bytes [wire_off, wire_off + len), then
 * the FIN if fin. Bytes already held are kept as first received; bytes
 * beyond the budget (base + capacity) are cut off, and with them the FIN.
 * Returns TCPC_RXSEG_* bits; -ENOBUFS (over budget, or too many holes) and
 * -EINVAL (inconsistent FIN) drop the segment; other errors abort.
 */
int tcpc_rxmap_segment(struct tcpc_rxmap *rx, u64 wire_off, const u8 *data,
		       u32 len, bool fin)
{
	u64 end = wire_off + len, limit, s;
	int res = 0, err;

	if (rx->err)
		return rx->err;
	if (!len && !fin)
		return 0;
	if (end < wire_off)
		return -ERANGE;
	err = check_fin(rx, end, fin);
	if (err)
		return err;
	limit = rx->base + buf_cap(rx);
	if (end > limit) {
		if (wire_off >= limit)
			return -ENOBUFS;
		end = limit;
		fin = false;
		res |= TCPC_RXSEG_TRIMMED;
	}
	s = tcpc_max_u64(wire_off, rx->rcv_nxt);
	if (s < end) {
		err = store(rx, s, end, data + (s - wire_off));
		if (err < 0)
			return err;
		res |= err;
	} else if (!fin || rx->fin_known) {
		res |= TCPC_RXSEG_DUP;
	}
	if (fin) {
		rx->fin_known = true;
		rx->wire_fin = end;
	}
	err = check_eof(rx);
	return err ? err : res;
}

/* The Init message is the first len bytes of the stream */
int tcpc_rxmap_set_init_len(struct tcpc_rxmap *rx, u32 len)
{
	if (rx->err)
		return rx->err;
	if (rx->init_known || !len)
		return -EINVAL;
	if (len > buf_cap(rx))
		return abort_with(rx, -EMSGSIZE);
	rx->init_known = true;
	rx->init_len = len;
	return check_eof(rx);
}

bool tcpc_rxmap_init_ready(const struct tcpc_rxmap *rx)
{
	return !rx->err && rx->init_known && !rx->init_done &&
	       rx->rcv_nxt >= rx->init_len;
}

/*
 * The caller has copied the Init out: release it. The wire ACK now covers
 * it; the local TCP never sees it, and frames start after it.
 */
int tcpc_rxmap_consume_init(struct tcpc_rxmap *rx)
{
	if (rx->err)
		return rx->err;
	if (!tcpc_rxmap_init_ready(rx))
		return -EINVAL;
	rx->base = rx->init_len;
	rx->parse = rx->init_len;
	rx->init_done = true;
	return check_eof(rx);
}

/* Wire length of the frame starting at parse, from its header */
static int frame_len(struct tcpc_rxmap *rx, u64 *flen)
{
	u8 hdr[TCPC_RXMAP_HDR_LEN];
	u16 clen;

	ring_get(rx, rx->parse, hdr, sizeof(hdr));
	clen = tcpc_get_be16(hdr + 1);
	if (clen < rx->cfg.min_clen)
		return abort_with(rx, -EBADMSG);
	*flen = TCPC_RXMAP_HDR_LEN + clen;
	/* such a frame could never be reassembled */
	if (*flen > buf_cap(rx))
		return abort_with(rx, -EMSGSIZE);
	/* a FIN inside a frame: the stream cannot end with FINp */
	if (rx->fin_known && rx->parse + *flen > rx->wire_fin)
		return abort_with(rx, -EPROTO);
	return 0;
}

/*
 * Hand out the next complete frame of the in-order stream, for the caller
 * to authenticate. -EAGAIN: none is complete (or the Init is not consumed
 * yet); -ENOBUFS: too many frames await acceptance by the local TCP.
 */
int tcpc_rxmap_next_frame(struct tcpc_rxmap *rx, struct tcpc_rxframe **frame)
{
	struct tcpc_rxframe *f;
	u64 flen;
	int err;

	err = check_eof(rx);
	if (err)
		return err;
	if (!rx->init_done || rx->finp)
		return -EAGAIN;
	if (rx->fin_known && rx->wire_fin - rx->parse < TCPC_RXMAP_HDR_LEN) {
		if (rx->wire_fin == rx->parse)
			return -EAGAIN;
		return abort_with(rx, -EPROTO);
	}
	if (rx->rcv_nxt - rx->parse < TCPC_RXMAP_HDR_LEN)
		return -EAGAIN;
	err = frame_len(rx, &flen);
	if (err)
		return err;
	if (rx->rcv_nxt - rx->parse < flen)
		return -EAGAIN;
	if (rx->rec_count > rx->rec_mask)
		return -ENOBUFS;
	f = rec(rx, rx->rec_count++);
	memset(f, 0, sizeof(*f));
	f->wire_off = rx->parse;
	f->wire_len = (u32)flen;
	rx->parse += flen;
	*frame = f;
	return 0;
}

/* The oldest frame handed out and still awaiting its verdict */
static bool is_next_verdict(const struct tcpc_rxmap *rx,
			    const struct tcpc_rxframe *f)
{
	return rx->rec_authed < rx->rec_count && f == rec(rx, rx->rec_authed);
}

/*
 * Release, in order, the frames whose data the local TCP has accepted in
 * full (and, for FINp, the FIN too); the wire ACK moves past them.
 */
static void release(struct tcpc_rxmap *rx)
{
	while (rx->rec_authed) {
		const struct tcpc_rxframe *f = rec(rx, 0);
		u64 need = f->app_off + f->dlen + !!(f->flags & TCPC_RXF_FIN);

		if (need > rx->app_acked)
			break;
		rx->base = f->wire_off + f->wire_len;
		rx->rec_head = (rx->rec_head + 1) & rx->rec_mask;
		rx->rec_count--;
		rx->rec_authed--;
	}
}

/*
 * The frame authenticated and carries dlen data bytes (fin: FINp). It gets
 * the next app range, [app_off, app_off + dlen), with the app FIN after it.
 * A FINp frame followed by anything aborts, before it is assigned.
 */
int tcpc_rxmap_auth_ok(struct tcpc_rxmap *rx, struct tcpc_rxframe *frame,
		       u32 dlen, bool fin)
{
	if (rx->err)
		return rx->err;
	if (!is_next_verdict(rx, frame))
		return -EINVAL;
	if ((u64)dlen + TCPC_RXMAP_HDR_LEN + rx->cfg.min_clen > frame->wire_len)
		return -EINVAL;
	if (fin && (rx->rec_authed + 1 < rx->rec_count ||
		    rx->rcv_nxt > rx->parse ||
		    (rx->fin_known && rx->wire_fin != rx->parse)))
		return abort_with(rx, -EPROTO);
	frame->app_off = rx->app_next;
	frame->dlen = (u16)dlen;
	frame->flags = TCPC_RXF_AUTH | (fin ? TCPC_RXF_FIN : 0);
	rx->app_next += dlen;
	rx->rec_authed++;
	rx->finp = fin;
	/* an empty frame needs nothing from the local TCP */
	release(rx);
	return 0;
}

/* The frame failed authentication: abort (RFC 8548 section 4.2) */
int tcpc_rxmap_auth_fail(struct tcpc_rxmap *rx, struct tcpc_rxframe *frame)
{
	if (rx->err)
		return rx->err;
	if (!is_next_verdict(rx, frame))
		return -EINVAL;
	return abort_with(rx, -EBADMSG);
}

/* The i-th oldest authenticated frame not yet accepted, or NULL */
struct tcpc_rxframe *tcpc_rxmap_authed(const struct tcpc_rxmap *rx, u32 i)
{
	return i < rx->rec_authed ? rec(rx, i) : NULL;
}

/*
 * Where in-order wire bytes [wire_off, wire_off + len) lie in the ring:
 * one or two spans (the second when the range wraps), for a scatterlist.
 */
int tcpc_rxmap_spans(const struct tcpc_rxmap *rx, u64 wire_off, u32 len,
		     struct tcpc_rxspan span[2])
{
	u32 at = (u32)(wire_off & rx->buf_mask);
	u32 first;

	if (wire_off < rx->base || wire_off + len > rx->rcv_nxt)
		return -ERANGE;
	first = (u32)tcpc_min_u64(len, buf_cap(rx) - at);
	span[0].data = rx->buf + at;
	span[0].len = first;
	span[1].data = rx->buf;
	span[1].len = len - first;
	return span[1].len ? 2 : 1;
}

int tcpc_rxmap_copy(const struct tcpc_rxmap *rx, u64 wire_off, u32 len,
		    u8 *dst)
{
	if (wire_off < rx->base || wire_off + len > rx->rcv_nxt)
		return -ERANGE;
	ring_get(rx, wire_off, dst, len);
	return 0;
}

/*
 * The wire ACK to send: the end of the last frame the local TCP accepted
 * in full (the Init counts once consumed), and the peer's FIN once the
 * FINp frame before it is accepted too.
 */
u64 tcpc_rxmap_wire_ack(const struct tcpc_rxmap *rx)
{
	if (rx->finp && rx->fin_known && !rx->rec_count &&
	    rx->wire_fin == rx->base)
		return rx->base + 1;
	return rx->base;
}

/*
 * The local TCP acknowledges app bytes below app_ack (the FINp's app FIN
 * counting as one): release the frames it accepted in full and return the
 * wire ACK to put in its segment instead. Acknowledging more than was
 * delivered is -ERANGE.
 */
int tcpc_rxmap_app_ack(struct tcpc_rxmap *rx, u64 app_ack, u64 *wire_ack)
{
	if (rx->err)
		return rx->err;
	if (app_ack > tcpc_rxmap_app_nxt(rx))
		return -ERANGE;
	rx->app_acked = tcpc_max_u64(rx->app_acked, app_ack);
	release(rx);
	*wire_ack = tcpc_rxmap_wire_ack(rx);
	return 0;
}

/*
 * Wire SACK blocks for the out-of-order data held, most recently extended
 * first (RFC 2018 section 4), at most max of them. Data between the ACK
 * point and rcv_nxt is not reported: a block starting at the cumulative
 * ACK is invalid to Linux senders, and the peer keeps it for retransmission
 * anyway.
 */
u32 tcpc_rxmap_sack(const struct tcpc_rxmap *rx, struct tcpc_range *blocks,
		    u32 max)
{
	u32 taken = 0, n = 0, i;

	while (n < max && n < rx->nooo) {
		u32 best = TCPC_RXMAP_MAX_OOO;

		for (i = 0; i < rx->nooo; i++) {
			if (taken & (1U << i))
				continue;
			if (best == TCPC_RXMAP_MAX_OOO ||
			    tcpc_seq_after(rx->ooo[i].stamp,
					   rx->ooo[best].stamp))
				best = i;
		}
		taken |= 1U << best;
		blocks[n].start = rx->ooo[best].start;
		blocks[n].end = rx->ooo[best].end;
		n++;
	}
	return n;
}

/* Bytes held in the ring, for per-host accounting */
u64 tcpc_rxmap_held(const struct tcpc_rxmap *rx)
{
	u64 n = rx->rcv_nxt - rx->base;
	u32 i;

	for (i = 0; i < rx->nooo; i++)
		n += rx->ooo[i].end - rx->ooo[i].start;
	return n;
}
