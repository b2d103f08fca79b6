// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The whole data path in one direction, simulated: a sender TCP writing an
 * app stream (new segments, retransmissions of random ranges cut and
 * merged anyhow, RTOs, SACK-driven repairs, a FIN), the sending module
 * (txmap, a stand-in cipher and tag, rekeys, empty frames, the Init), a
 * network (loss, duplication, reordering, resegmentation, coalescing, and
 * in some runs one tampered byte), the receiving module (rxmap, stand-in
 * authentication, redelivery) and a receiving TCP that accepts only what
 * its buffer holds. Fixed seeds, hundreds of thousands of segment events.
 *
 * Invariants checked all along:
 *  - the app stream delivered equals the one sent, byte for byte, in
 *    order, with the FIN only at its end; after a tampered byte is used,
 *    the connection aborts and nothing from its frame on is delivered;
 *  - every wire byte sent again equals the first one sent at that offset;
 *  - a retransmission needs only the plaintext of its own segment;
 *  - the receiver's wire ACK never passes a frame whose data its TCP has
 *    not accepted in full, nor bytes it does not hold;
 *  - the sender's app ACK never passes what the receiving TCP accepted;
 *  - both maps stay within their memory bounds; untampered runs finish.
 */
#include <stdlib.h>

/* TEST() and the harness's signal handler leave parameters unused */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"

#include "seq.h"
#include "txmap.h"
#include "rxmap.h"

#define PFX		4	/* header (3) and flags (1) */
#define TAG		16
#define MIN_CLEN	(1 + TAG)
#define QMAX		1024
#define MAX_EVENTS	400000

struct pkt {
	u64 off;		/* wire offset */
	u32 len;
	bool fin;
	u8 *data;
};

struct ackpkt {
	u32 ack;
	u32 nsack;
	u32 sack[4][2];
};

struct simframe {
	u64 app_off;
	u64 wire_off;
	u32 dlen;
	bool fin;
};

struct sim {
	struct __test_metadata *md;
	u64 rng;
	u64 key;
	/* run parameters */
	u32 n_app;
	bool use_fin;
	u32 init_len;
	u32 mss;
	u32 win;
	u32 loss, dup, reorder, split, merge, rekey;
	bool tamper;
	/* sender TCP and module */
	u8 *app;
	u8 init[320];
	struct tcpc_txmap tx;
	struct tcpc_txframe *txring;
	u32 txcap;
	u64 snd_una;
	u64 snd_nxt;
	bool fin_sent;
	bool fin_acked;
	u8 *sacked;
	u64 last_progress;
	/* every frame ever made, and every wire byte ever sent */
	struct simframe *frames;
	u32 nframes;
	u8 *shadow;
	u8 *shadow_set;
	u64 shadow_cap;
	/* the network */
	struct pkt dq[QMAX];
	u32 ndq;
	struct ackpkt aq[QMAX];
	u32 naq;
	/* receiving module and TCP */
	struct tcpc_rxmap rx;
	u8 *rxbuf;
	u32 rxcap;
	struct tcpc_rxframe *rxrecs;
	u32 *rxgen;
	u32 rx_gen;
	u64 keys_at;
	u64 rcv_app;
	bool fin_rcvd;
	u64 bufsz;		/* receive buffer of the receiving TCP */
	u64 consumed;		/* bytes the application has read */
	bool aborted;
	bool tampered;
	u64 tamper_off;
	/* counters */
	u64 now;
	u64 events;
	struct stats *st;
};

/* What the runs exercised, so that a quiet path cannot go unnoticed */
struct stats {
	u64 segs_out;		/* wire segments sent */
	u64 segs_in;		/* wire segments received */
	u64 frames;		/* frames authenticated */
	u64 resent;		/* segments mapping old app bytes */
	u64 rekeys;
	u64 empty;		/* empty, data-less frames */
	u64 ooo;
	u64 dup;
	u64 trimmed;
	u64 dropped_rx;		/* over budget or too many holes */
	u64 dropped_tx;		/* gap or full frame ring */
	u64 partial;		/* deliveries the TCP took only part of */
	u64 redelivered;
	u64 sacked;		/* SACK blocks mapped to app bytes */
	u64 wrapped;		/* runs whose sequence numbers wrapped */
};

static u64 mix(u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static u32 rnd(struct sim *s, u32 n)
{
	s->rng = mix(s->rng);
	return n ? (u32)(s->rng % n) : 0;
}

static bool chance(struct sim *s, u32 percent)
{
	return rnd(s, 100) < percent;
}

/* The stand-in cipher: a keystream byte per wire offset */
static u8 ks(const struct sim *s, u64 w)
{
	return (u8)mix(w ^ s->key);
}

/* The stand-in tag: two FNV-1a hashes of header and ciphertext */
static void fake_tag(const struct sim *s, u32 gen, u64 wire_off,
		     const u8 *p, u32 n, u8 tag[TAG])
{
	u64 h1 = mix(s->key ^ gen ^ (wire_off << 16));
	u64 h2 = mix(h1);
	u32 i;

	for (i = 0; i < n; i++) {
		h1 = (h1 ^ p[i]) * 0x100000001b3ULL;
		h2 = (h2 ^ p[i]) * 0x100000001b3ULL + 1;
	}
	tcpc_put_be64(tag, h1);
	tcpc_put_be64(tag + 8, h2);
}

/* ---- the sending module ---- */

static u8 prefix_byte(const struct sim *s, const struct tcpc_txframe *f,
		      u32 k)
{
	u16 clen = 1 + f->dlen + TAG;

	switch (k) {
	case 0:
		return f->flags & TCPC_TXF_REKEY ? 1 : 0;
	case 1:
		return clen >> 8;
	case 2:
		return clen & 0xff;
	default:
		return (f->flags & TCPC_TXF_FIN ? 1 : 0) ^
		       ks(s, f->wire_off + 3);
	}
}

/* Encrypt a new frame as a whole and seal its tag */
static void seal_frame(struct sim *s, struct tcpc_txframe *f)
{
	struct simframe *sf = &s->frames[s->nframes++];
	u8 buf[PFX + 1500], tag[TAG];
	u32 i;

	for (i = 0; i < PFX; i++)
		buf[i] = prefix_byte(s, f, i);
	for (i = 0; i < f->dlen; i++)
		buf[PFX + i] = s->app[f->app_off + i] ^
			       ks(s, f->wire_off + PFX + i);
	fake_tag(s, f->gen, f->wire_off, buf, PFX + f->dlen, tag);
	tcpc_txmap_seal(&s->tx, f, tag);
	sf->app_off = f->app_off;
	sf->wire_off = f->wire_off;
	sf->dlen = f->dlen;
	sf->fin = f->flags & TCPC_TXF_FIN;
}

static void net_send(struct sim *s, u64 off, const u8 *data, u32 len,
		     bool fin)
{
	struct pkt *p;

	if (chance(s, s->loss))
		return;
	do {
		if (s->ndq == QMAX)
			return;
		p = &s->dq[s->ndq++];
		p->off = off;
		p->len = len;
		p->fin = fin;
		p->data = malloc(len ? len : 1);
		memcpy(p->data, data, len);
	} while (chance(s, s->dup));
}

/*
 * Build the wire bytes [ws, we) from pieces, using plaintext only from the
 * app range [a, b) of the segment being sent, and check them against every
 * earlier transmission.
 */
static void build_wire(struct sim *s, u64 ws, u64 we, u64 a, u64 b, u8 *out)
{
	struct __test_metadata *_metadata = s->md;
	struct tcpc_txpiece p;
	struct tcpc_txiter it;
	u32 i, at = 0;
	u8 c;

	ASSERT_EQ(0, tcpc_txmap_iter_init(&it, &s->tx, ws, we));
	while (tcpc_txmap_iter_next(&it, &p)) {
		ASSERT_EQ(ws + at, p.wire_off);
		if (p.kind == TCPC_TXP_DATA) {
			ASSERT_LE(a, p.app_off);
			ASSERT_GE(b, p.app_off + p.len);
		}
		if (p.kind == TCPC_TXP_TAG)
			ASSERT_TRUE(p.frame->flags & TCPC_TXF_SEALED);
		for (i = 0; i < p.len; i++) {
			u64 w = p.wire_off + i;

			switch (p.kind) {
			case TCPC_TXP_INIT:
				c = s->init[p.off + i];
				break;
			case TCPC_TXP_PREFIX:
				c = prefix_byte(s, p.frame, p.off + i);
				break;
			case TCPC_TXP_DATA:
				c = s->app[p.app_off + i] ^ ks(s, w);
				break;
			default:
				c = p.frame->tag[p.off + i];
				break;
			}
			ASSERT_LT(w, s->shadow_cap);
			if (s->shadow_set[w])
				ASSERT_EQ(s->shadow[w], c);
			s->shadow[w] = c;
			s->shadow_set[w] = 1;
			out[at++] = c;
		}
	}
	ASSERT_EQ(we - ws, at);
}

/* Cut the wire range into segments of at most one frame's size */
static void emit(struct sim *s, u64 ws, u64 we, u64 a, u64 b, bool fin)
{
	u32 wmss = s->mss + PFX + TAG, len;
	u8 *buf = malloc(we - ws + 1);
	u64 pos = ws;

	build_wire(s, ws, we, a, b, buf);
	do {
		len = (u32)tcpc_min_u64(we - pos, wmss);
		if (len > 1 && chance(s, 10))
			len = 1 + rnd(s, len - 1);
		net_send(s, pos, buf + (pos - ws), len, fin && pos + len == we);
		s->st->segs_out++;
		pos += len;
	} while (pos < we);
	free(buf);
}

/* A segment of the sending TCP, app bytes [a, a + len) and FIN */
static void module_out(struct sim *s, u64 a, u32 len, bool fin)
{
	struct __test_metadata *_metadata = s->md;
	u32 gen = s->tx.gen + (chance(s, s->rekey) ? 1 : 0);
	struct tcpc_txseg seg;
	u64 off;
	int err;

	ASSERT_EQ(0, tcpc_txmap_app_off(&s->tx, tcpc_txmap_app_seq(&s->tx, a),
					&off));
	ASSERT_EQ(a, off);
	err = tcpc_txmap_segment(&s->tx, off, len, fin, gen, &seg);
	if (err == -EAGAIN || err == -ENOBUFS) {
		/* dropped: the sending TCP will retransmit */
		s->st->dropped_tx++;
		return;
	}
	ASSERT_EQ(0, err);
	ASSERT_LE(s->tx.count, s->txcap);
	if (seg.new_frame) {
		seal_frame(s, seg.new_frame);
		s->st->rekeys += !!(seg.new_frame->flags & TCPC_TXF_REKEY);
		s->st->empty += !seg.new_frame->dlen;
	}
	if (a < s->tx.app_end - (seg.new_frame ? seg.new_frame->dlen : 0))
		s->st->resent++;
	if (seg.wire_len || seg.fin)
		emit(s, seg.wire_off, seg.wire_off + seg.wire_len, a, a + len,
		     seg.fin);
}

/* The module's own sends: a rekey frame, and its retransmission timer */
static void module_own(struct sim *s, bool rekey)
{
	struct tcpc_txframe *f;
	struct tcpc_range r;

	if (rekey && !s->tx.fin &&
	    !tcpc_txmap_push(&s->tx, s->tx.app_end, 0, false, s->tx.gen + 1,
			     &f)) {
		seal_frame(s, f);
		s->st->rekeys++;
		s->st->empty++;
		emit(s, f->wire_off, s->tx.wire_end, 0, 0, false);
	}
	if (!rekey && tcpc_txmap_unowned(&s->tx, &r))
		emit(s, r.start, r.end, 0, 0, false);
}

/* ---- the sending TCP ---- */

static void tcp_send_new(struct sim *s)
{
	u32 len;
	bool fin;

	if (s->snd_nxt == s->n_app) {
		if (s->use_fin && !s->fin_sent) {
			s->fin_sent = true;
			module_out(s, s->snd_nxt, 0, true);
		}
		return;
	}
	if (s->snd_nxt - s->snd_una >= s->win)
		return;
	len = (u32)tcpc_min_u64(1 + rnd(s, s->mss), s->n_app - s->snd_nxt);
	fin = s->use_fin && s->snd_nxt + len == s->n_app && chance(s, 50);
	module_out(s, s->snd_nxt, len, fin);
	s->snd_nxt += len;
	s->fin_sent |= fin;
}

/* Retransmit up to one MSS from a, with the FIN if it reaches the end */
static void tcp_resend(struct sim *s, u64 a, u32 max)
{
	u32 len = (u32)tcpc_min_u64(max, s->snd_nxt - a);

	if (a > s->snd_nxt || (a == s->snd_nxt && !s->fin_sent))
		return;
	module_out(s, a, len, s->fin_sent && a + len == s->n_app);
}

static void tcp_retransmit(struct sim *s)
{
	u64 a;

	switch (rnd(s, 3)) {
	case 0:		/* RTO or any range: split, coalesced, overlapping */
		a = s->snd_una + rnd(s, (u32)(s->snd_nxt - s->snd_una + 1));
		tcp_resend(s, a, 1 + rnd(s, s->mss));
		break;
	case 1:		/* the first hole the SACK scoreboard shows */
		a = s->snd_una;
		while (a < s->snd_nxt && s->sacked[a])
			a++;
		tcp_resend(s, a, s->mss);
		break;
	default:
		tcp_resend(s, s->snd_una, s->mss);
		break;
	}
}

static void tcp_ack_in(struct sim *s, const struct ackpkt *k)
{
	struct __test_metadata *_metadata = s->md;
	struct tcpc_range r;
	u64 w, we, a, x;
	u32 i;
	int res;

	ASSERT_EQ(0, tcpc_txmap_wire_off(&s->tx, k->ack, &w));
	res = tcpc_txmap_ack(&s->tx, w, &a);
	ASSERT_LE(0, res);
	/* the sender never believes more than the receiving TCP took */
	ASSERT_LE(a, s->rcv_app + s->fin_rcvd);
	ASSERT_LE(s->tx.count, s->txcap);
	if (a > s->snd_una || (res & TCPC_TXACK_WIRE_MOVED))
		s->last_progress = s->now;
	if (a > s->n_app) {
		s->fin_acked = true;
		a = s->n_app;
	}
	s->snd_una = tcpc_max_u64(s->snd_una, a);
	for (i = 0; i < k->nsack; i++) {
		ASSERT_EQ(0, tcpc_txmap_wire_off(&s->tx, k->sack[i][0], &w));
		ASSERT_EQ(0, tcpc_txmap_wire_off(&s->tx, k->sack[i][1], &we));
		res = tcpc_txmap_sack(&s->tx, w, we, &r);
		if (res == -ENOENT)
			continue;
		ASSERT_EQ(0, res);
		ASSERT_LE(s->snd_una, r.start);
		s->st->sacked++;
		for (x = r.start; x < tcpc_min_u64(r.end, s->n_app); x++)
			s->sacked[x] = 1;
	}
}

/* ---- the receiving TCP and module ---- */

static u64 room(const struct sim *s)
{
	return s->bufsz - (s->rcv_app - s->consumed);
}

/* The receiving TCP takes in-order bytes while its buffer has room */
static void tcp_deliver(struct sim *s, u64 app_off, const u8 *data,
			u32 dlen, bool fin)
{
	struct __test_metadata *_metadata = s->md;
	u64 end = app_off + dlen, take = 0, i;

	if (app_off > s->rcv_app || s->fin_rcvd)
		return;
	if (end > s->rcv_app)
		take = tcpc_min_u64(end - s->rcv_app, room(s));
	for (i = 0; i < take; i++)
		ASSERT_EQ(s->app[s->rcv_app + i],
			  data[s->rcv_app - app_off + i]);
	s->rcv_app += take;
	s->st->partial += s->rcv_app < end;
	if (fin && s->rcv_app == end) {
		ASSERT_TRUE(s->use_fin);
		ASSERT_EQ(s->n_app, end);
		s->fin_rcvd = true;
	}
}

/* Frame index holding the wire byte before w, by binary search */
static struct simframe *frame_ending_at(struct sim *s, u64 w)
{
	u32 lo = 0, hi = s->nframes;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (s->frames[mid].wire_off < w)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &s->frames[lo - 1] : NULL;
}

/* The wire ACK never passes a frame the receiving TCP did not take */
static void check_wire_ack(struct sim *s, u64 w)
{
	struct __test_metadata *_metadata = s->md;
	const struct simframe *f;

	ASSERT_LE(w, s->rx.rcv_nxt + s->rx.fin_known);
	if (w <= s->init_len) {
		ASSERT_TRUE(w == 0 || w == s->init_len);
		return;
	}
	if (s->rx.fin_known && w == s->rx.wire_fin + 1) {
		ASSERT_TRUE(s->fin_rcvd);
		w--;
	}
	f = frame_ending_at(s, w);
	ASSERT_NE(NULL, f);
	ASSERT_EQ(w, f->wire_off + PFX + f->dlen + TAG);
	ASSERT_LE(f->app_off + f->dlen, s->rcv_app);
	if (f->fin)
		ASSERT_TRUE(s->fin_rcvd);
}

static void send_ack(struct sim *s, u64 w)
{
	struct __test_metadata *_metadata = s->md;
	struct tcpc_range b[4];
	struct ackpkt *k;
	u32 i;

	check_wire_ack(s, w);
	if (chance(s, s->loss) || s->naq == QMAX)
		return;
	k = &s->aq[s->naq++];
	k->ack = tcpc_rxmap_wire_seq(&s->rx, w);
	k->nsack = tcpc_rxmap_sack(&s->rx, b, 4);
	for (i = 0; i < k->nsack; i++) {
		/* a block at or below the ACK would be invalid */
		ASSERT_LT(w, b[i].start);
		ASSERT_LT(b[i].start, b[i].end);
		k->sack[i][0] = tcpc_rxmap_wire_seq(&s->rx, b[i].start);
		k->sack[i][1] = tcpc_rxmap_wire_seq(&s->rx, b[i].end);
	}
}

/* The receiving TCP's ACK, rewritten by the module */
static void tcp_ack_out(struct sim *s)
{
	struct __test_metadata *_metadata = s->md;
	u64 a, w;

	ASSERT_EQ(0, tcpc_rxmap_app_off(&s->rx, tcpc_rxmap_app_seq(&s->rx,
					s->rcv_app + s->fin_rcvd), &a));
	ASSERT_EQ(0, tcpc_rxmap_app_ack(&s->rx, a, &w));
	send_ack(s, w);
}

static void note_abort(struct sim *s, int err)
{
	struct __test_metadata *_metadata = s->md;
	const struct simframe *f;

	/* only a tampered byte may ever abort the connection */
	ASSERT_TRUE(s->tampered);
	ASSERT_GT(0, err);
	s->aborted = true;
	/* nothing of the tampered frame (or what follows) was taken */
	f = frame_ending_at(s, s->tamper_off + 1);
	if (f && s->tamper_off >= s->init_len)
		ASSERT_LE(s->rcv_app, f->app_off);
}

/*
 * Authenticate and decrypt a frame copied out of the ring. With pick, the
 * key generation is chosen by the rekey bit (one above the current one)
 * and returned in *gen. Returns the data length, or -1 when the tag does
 * not match.
 */
static int open_frame(struct sim *s, const struct tcpc_rxframe *rf, u32 *gen,
		      bool pick, u8 *data, bool *fin)
{
	struct __test_metadata *_metadata = s->md;
	u8 buf[PFX + 1500 + TAG], tag[TAG];
	struct tcpc_rxspan sp[2];
	u32 n = rf->wire_len - TAG, i;
	int nsp;

	if (rf->wire_len > sizeof(buf))
		return -1;
	if (chance(s, 50)) {
		ASSERT_EQ(0, tcpc_rxmap_copy(&s->rx, rf->wire_off,
					     rf->wire_len, buf));
	} else {
		nsp = tcpc_rxmap_spans(&s->rx, rf->wire_off, rf->wire_len, sp);
		ASSERT_LE(1, nsp);
		memcpy(buf, sp[0].data, sp[0].len);
		if (nsp == 2)
			memcpy(buf + sp[0].len, sp[1].data, sp[1].len);
	}
	if (pick)
		*gen = s->rx_gen + (buf[0] & 1);
	fake_tag(s, *gen, rf->wire_off, buf, n, tag);
	if (memcmp(tag, buf + n, TAG))
		return -1;
	*fin = (buf[3] ^ ks(s, rf->wire_off + 3)) & 1;
	for (i = PFX; i < n; i++)
		data[i - PFX] = buf[i] ^ ks(s, rf->wire_off + i);
	return (int)(n - PFX);
}

/* Give the receiving TCP again what it did not take */
static void redeliver(struct sim *s)
{
	struct __test_metadata *_metadata = s->md;
	struct tcpc_rxframe *rf;
	u8 data[1500];
	bool fin;
	u32 i;
	int n;

	for (i = 0; (rf = tcpc_rxmap_authed(&s->rx, i)); i++) {
		if (rf->app_off + rf->dlen + !!(rf->flags & TCPC_RXF_FIN) <=
		    s->rcv_app + s->fin_rcvd)
			continue;
		n = open_frame(s, rf, &s->rxgen[rf - s->rxrecs], false, data,
			       &fin);
		ASSERT_EQ(rf->dlen, n);
		s->st->redelivered++;
		tcp_deliver(s, rf->app_off, data, rf->dlen, fin);
	}
}

/* Hand out up to a few frames, then give their verdicts in order */
static void process_frames(struct sim *s)
{
	struct tcpc_rxframe *batch[4];
	u32 nb = 0, i, want = 1 + rnd(s, 4), gen;
	u8 data[1500];
	bool fin;
	int err, n;

	while (!s->aborted && s->now >= s->keys_at) {
		while (nb < want) {
			err = tcpc_rxmap_next_frame(&s->rx, &batch[nb]);
			if (err == -EAGAIN || err == -ENOBUFS)
				break;
			if (err) {
				note_abort(s, err);
				return;
			}
			nb++;
		}
		if (!nb)
			return;
		for (i = 0; i < nb; i++) {
			n = open_frame(s, batch[i], &gen, true, data, &fin);
			if (n < 0) {
				note_abort(s, tcpc_rxmap_auth_fail(&s->rx,
								   batch[i]));
				return;
			}
			err = tcpc_rxmap_auth_ok(&s->rx, batch[i], n, fin);
			if (err) {
				note_abort(s, err);
				return;
			}
			s->rx_gen = gen;
			s->st->frames++;
			s->rxgen[batch[i] - s->rxrecs] = gen;
			tcp_deliver(s, batch[i]->app_off, data, n, fin);
		}
		nb = 0;
		tcp_ack_out(s);
	}
}

/* The Init: its length from its header, then the whole of it */
static void process_init(struct sim *s)
{
	struct __test_metadata *_metadata = s->md;
	u8 hdr[8], buf[sizeof(s->init)];

	if (s->rx.init_done)
		return;
	if (!s->rx.init_known) {
		if (tcpc_rxmap_copy(&s->rx, 0, 8, hdr))
			return;
		if (tcpc_get_be32(hdr + 4) != s->init_len) {
			note_abort(s, -EPROTO);
			return;
		}
		ASSERT_EQ(0, tcpc_rxmap_set_init_len(&s->rx, s->init_len));
	}
	if (!tcpc_rxmap_init_ready(&s->rx))
		return;
	ASSERT_EQ(0, tcpc_rxmap_copy(&s->rx, 0, s->init_len, buf));
	if (memcmp(buf, s->init, s->init_len)) {
		note_abort(s, -EPROTO);
		return;
	}
	ASSERT_EQ(0, tcpc_rxmap_consume_init(&s->rx));
	/* keys come some time after the Init (the daemon's round trip) */
	s->keys_at = s->now + rnd(s, 50);
	send_ack(s, tcpc_rxmap_wire_ack(&s->rx));
}

static void rx_segment(struct sim *s, const struct pkt *p)
{
	struct __test_metadata *_metadata = s->md;
	u64 off;
	int res;

	ASSERT_EQ(0, tcpc_rxmap_wire_off(&s->rx, tcpc_rxmap_wire_seq(&s->rx,
								p->off), &off));
	ASSERT_EQ(p->off, off);
	res = tcpc_rxmap_segment(&s->rx, off, p->data, p->len, p->fin);
	ASSERT_LE(tcpc_rxmap_held(&s->rx), s->rxcap);
	s->st->segs_in++;
	if (res == -ENOBUFS) {
		s->st->dropped_rx++;
		return;
	}
	if (res > 0) {
		s->st->ooo += !!(res & TCPC_RXSEG_OOO);
		s->st->dup += !!(res & TCPC_RXSEG_DUP);
		s->st->trimmed += !!(res & TCPC_RXSEG_TRIMMED);
	}
	if (res < 0 && res != -EINVAL) {
		note_abort(s, res);
		return;
	}
	/* -EINVAL: a FIN in the wrong place, only from tampering */
	if (res == -EINVAL)
		ASSERT_TRUE(s->tampered);
	process_init(s);
	if (!s->aborted)
		process_frames(s);
	/* a crafted duplicate ACK with SACK blocks, as TCP would send */
	if (!s->aborted && res > 0 &&
	    (res & (TCPC_RXSEG_OOO | TCPC_RXSEG_DUP)))
		send_ack(s, tcpc_rxmap_wire_ack(&s->rx));
}

/* ---- the network ---- */

static struct pkt take_pkt(struct sim *s)
{
	u32 i = rnd(s, tcpc_min_u64(s->ndq, s->reorder));
	struct pkt p = s->dq[i];

	memmove(s->dq + i, s->dq + i + 1, (s->ndq - i - 1) * sizeof(p));
	s->ndq--;
	return p;
}

/* Resegment: deliver part now, keep the rest; or merge with a neighbour */
static void deliver_data(struct sim *s)
{
	struct pkt p = take_pkt(s), *q;
	u32 i, cut;

	if (p.len > 1 && chance(s, s->split) && s->ndq < QMAX) {
		cut = 1 + rnd(s, p.len - 1);
		q = &s->dq[s->ndq++];
		q->off = p.off + cut;
		q->len = p.len - cut;
		q->fin = p.fin;
		q->data = malloc(q->len);
		memcpy(q->data, p.data + cut, q->len);
		p.len = cut;
		p.fin = false;
	}
	for (i = 0; i < s->ndq && !p.fin && chance(s, s->merge); i++) {
		q = &s->dq[i];
		if (q->off != p.off + p.len)
			continue;
		p.data = realloc(p.data, p.len + q->len);
		memcpy(p.data + p.len, q->data, q->len);
		p.len += q->len;
		p.fin = q->fin;
		free(q->data);
		memmove(s->dq + i, s->dq + i + 1, (s->ndq - i - 1) * sizeof(p));
		s->ndq--;
		break;
	}
	if (!s->aborted)
		rx_segment(s, &p);
	free(p.data);
}

/* Change one byte of a packet the receiver does not hold yet */
static void tamper(struct sim *s)
{
	struct pkt *p;
	u32 i;

	for (i = 0; i < s->ndq; i++) {
		p = &s->dq[i];
		if (!p->len || p->off < s->rx.rcv_nxt)
			continue;
		s->tamper_off = p->off + rnd(s, p->len);
		p->data[s->tamper_off - p->off] ^= 1 + rnd(s, 255);
		s->tampered = true;
		return;
	}
}

/* The receiving application reads: room for more, and keys may be ready */
static void app_read(struct sim *s)
{
	s->consumed += tcpc_min_u64(1 + rnd(s, 2 * s->bufsz),
				    s->rcv_app - s->consumed);
	redeliver(s);
	process_frames(s);
	if (!s->aborted)
		tcp_ack_out(s);
}

/* ---- one run ---- */

static void setup_run(struct sim *s, u64 seed)
{
	struct __test_metadata *_metadata = s->md;
	struct tcpc_txmap_cfg tcfg = { .max_data = 65518, .prefix_len = PFX,
				       .tag_len = TAG };
	struct tcpc_rxmap_cfg rcfg = { .min_clen = MIN_CLEN };
	u32 i, maxframe;

	s->rng = seed;
	s->key = mix(seed ^ 0x5eed);
	s->mss = chance(s, 20) ? 1 + rnd(s, 16) : 1 + rnd(s, 1460);
	/* a few hundred segments' worth at most */
	s->n_app = 1 + rnd(s, (u32)tcpc_min_u64(60000, 400 * s->mss));
	s->use_fin = chance(s, 80);
	s->init_len = chance(s, 30) ? 0 : 8 + rnd(s, sizeof(s->init) - 8);
	s->win = s->mss * (1 + rnd(s, 16));
	s->loss = rnd(s, 25);
	s->dup = rnd(s, 15);
	s->reorder = 1 + rnd(s, 8);
	s->split = rnd(s, 30);
	s->merge = rnd(s, 30);
	s->rekey = rnd(s, 4);
	s->bufsz = 1 + rnd(s, 8 * s->mss);
	s->app = malloc(s->n_app + 1);
	s->sacked = calloc(s->n_app + 1, 1);
	for (i = 0; i < s->n_app; i++)
		s->app[i] = (u8)rnd(s, 256);
	for (i = 0; i < sizeof(s->init); i++)
		s->init[i] = (u8)rnd(s, 256);
	tcpc_put_be32(s->init + 4, s->init_len);
	/* ISNs anywhere, often just below the wrap */
	tcfg.app_isn = chance(s, 50) ? -1U - rnd(s, 30000) : rnd(s, -1U);
	tcfg.wire_isn = chance(s, 50) ? -1U - rnd(s, 30000) : rnd(s, -1U);
	tcfg.init_len = s->init_len;
	s->txcap = 1U << (2 + rnd(s, 7));
	s->txring = calloc(s->txcap, sizeof(*s->txring));
	ASSERT_EQ(0, tcpc_txmap_init(&s->tx, &tcfg, s->txring, s->txcap));
	/* the receive budget holds at least one frame and the Init */
	maxframe = (u32)tcpc_max_u64(s->mss + PFX + TAG, s->init_len);
	s->rxcap = 64;
	while (s->rxcap < maxframe)
		s->rxcap <<= 1;
	s->rxcap <<= rnd(s, 5);
	s->rxbuf = malloc(s->rxcap);
	i = 1U << (1 + rnd(s, 7));
	s->rxrecs = calloc(i, sizeof(*s->rxrecs));
	s->rxgen = calloc(i, sizeof(*s->rxgen));
	rcfg.app_isn = tcfg.app_isn;
	rcfg.wire_isn = tcfg.wire_isn;
	rcfg.init_msg = s->init_len;
	ASSERT_EQ(0, tcpc_rxmap_init(&s->rx, &rcfg, s->rxbuf, s->rxcap,
				     s->rxrecs, i));
	/* every frame has at least one byte of data or is one of few */
	s->shadow_cap = s->init_len + (u64)s->n_app * (1 + PFX + TAG) + 100000;
	s->shadow = malloc(s->shadow_cap);
	s->shadow_set = calloc(s->shadow_cap, 1);
	s->frames = calloc(s->n_app + 4096, sizeof(*s->frames));
	s->keys_at = s->init_len ? -1ULL : 0;
}

static void free_run(struct sim *s)
{
	u32 i;

	for (i = 0; i < s->ndq; i++)
		free(s->dq[i].data);
	free(s->app);
	free(s->sacked);
	free(s->txring);
	free(s->rxbuf);
	free(s->rxrecs);
	free(s->rxgen);
	free(s->shadow);
	free(s->shadow_set);
	free(s->frames);
}

static bool finished(const struct sim *s)
{
	return s->snd_una == s->n_app && s->fin_acked == s->use_fin &&
	       s->tx.wire_una == tcpc_txmap_wire_nxt(&s->tx);
}

/* ACKs travel too: a couple at a time, perhaps out of order */
static void deliver_acks(struct sim *s)
{
	struct ackpkt k;
	u32 n, i;

	for (n = 0; n < 2 && s->naq && !s->aborted; n++) {
		i = rnd(s, tcpc_min_u64(s->naq, s->reorder));
		k = s->aq[i];
		memmove(s->aq + i, s->aq + i + 1, (s->naq - i - 1) * sizeof(k));
		s->naq--;
		tcp_ack_in(s, &k);
	}
}

/* One step: pick an event at random */
static void step(struct sim *s)
{
	u32 e = rnd(s, 100);

	s->now++;
	s->events++;
	if (s->now - s->last_progress > 60) {
		/* retransmission timeout: the TCP's and the module's */
		s->last_progress = s->now;
		tcp_resend(s, s->snd_una, s->mss);
		module_own(s, false);
		if (room(s) < s->mss)
			app_read(s);
	} else if (e < 28) {
		tcp_send_new(s);
	} else if (e < 33) {
		tcp_retransmit(s);
	} else if (e < 34) {
		module_own(s, chance(s, 50) && s->nframes < s->n_app + 4000);
	} else if (e < 65) {
		if (s->ndq)
			deliver_data(s);
	} else if (e < 93) {
		deliver_acks(s);
	} else if (e < 99) {
		app_read(s);
	} else if (s->tamper && !s->tampered) {
		tamper(s);
	}
}

static void run(struct __test_metadata *_metadata, u64 seed, bool tamper,
		struct stats *st, u32 *aborts)
{
	static struct sim s;
	/* a tampered length field may stall a run for good */
	u64 max = tamper ? MAX_EVENTS / 10 : MAX_EVENTS;

	memset(&s, 0, sizeof(s));
	s.md = _metadata;
	s.st = st;
	setup_run(&s, seed);
	s.tamper = tamper;
	module_own(&s, false);
	while (!finished(&s) && !s.aborted && s.now < max)
		step(&s);
	if (!s.tampered) {
		if (!finished(&s))
			TH_LOG("seed %llu stalled: una %llu/%u rcv %llu",
			       (unsigned long long)seed,
			       (unsigned long long)s.snd_una, s.n_app,
			       (unsigned long long)s.rcv_app);
		ASSERT_TRUE(finished(&s));
		ASSERT_EQ(s.n_app, s.rcv_app);
		ASSERT_EQ(s.use_fin, s.fin_rcvd);
	}
	st->wrapped += tcpc_txmap_wire_seq(&s.tx, s.tx.wire_end) <
		       tcpc_txmap_wire_seq(&s.tx, 0) ||
		       tcpc_txmap_app_seq(&s.tx, s.tx.app_end) <
		       tcpc_txmap_app_seq(&s.tx, 0);
	*aborts += s.aborted;
	free_run(&s);
}

static void log_stats(struct __test_metadata *_metadata,
		      const struct stats *st)
{
	TH_LOG("segments out %llu in %llu, frames %llu, resent %llu",
	       (unsigned long long)st->segs_out,
	       (unsigned long long)st->segs_in,
	       (unsigned long long)st->frames,
	       (unsigned long long)st->resent);
	TH_LOG("rekeys %llu, empty %llu, ooo %llu, dup %llu, trimmed %llu",
	       (unsigned long long)st->rekeys, (unsigned long long)st->empty,
	       (unsigned long long)st->ooo, (unsigned long long)st->dup,
	       (unsigned long long)st->trimmed);
	TH_LOG("dropped rx %llu tx %llu, partial %llu, redelivered %llu",
	       (unsigned long long)st->dropped_rx,
	       (unsigned long long)st->dropped_tx,
	       (unsigned long long)st->partial,
	       (unsigned long long)st->redelivered);
	TH_LOG("sack blocks %llu, runs with wrapped numbers %llu",
	       (unsigned long long)st->sacked, (unsigned long long)st->wrapped);
}

TEST(random_histories_deliver_the_stream)
{
	struct stats st = { 0 };
	u32 aborts = 0, i;

	for (i = 0; i < 400; i++)
		run(_metadata, 1000 + i, false, &st, &aborts);
	log_stats(_metadata, &st);
	/* every path was taken, many times */
	ASSERT_LT(300000, st.segs_out + st.segs_in);
	ASSERT_LT(1000, st.resent);
	ASSERT_LT(100, st.rekeys);
	ASSERT_LT(100, st.empty);
	ASSERT_LT(1000, st.ooo);
	ASSERT_LT(1000, st.dup);
	ASSERT_LT(10, st.trimmed);
	ASSERT_LT(100, st.dropped_rx);
	ASSERT_LT(100, st.dropped_tx);
	ASSERT_LT(100, st.partial);
	ASSERT_LT(100, st.redelivered);
	ASSERT_LT(1000, st.sacked);
	ASSERT_LT(10, st.wrapped);
}

TEST(tampered_byte_aborts_before_delivery)
{
	struct stats st = { 0 };
	u32 aborts = 0, i;

	for (i = 0; i < 200; i++)
		run(_metadata, 5000 + i, true, &st, &aborts);
	log_stats(_metadata, &st);
	TH_LOG("%u aborts in 200 runs", aborts);
	/* most tampered bytes are the first copy the receiver keeps */
	ASSERT_LT(100, aborts);
}

TEST_HARNESS_MAIN
