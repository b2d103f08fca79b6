// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * libFuzzer target for the inbound map (kmod/proto/rxmap.c). The input is
 * a configuration and then a program of operations: segments (from a
 * well-formed stream of Init and frames, or bytes taken from the input),
 * frame hand-outs, verdicts, app ACKs of the local TCP, Init declarations,
 * SACK queries and redelivery copies. A byte-level model runs alongside;
 * the invariants trap:
 *  - reassembly is exact: in-order end, out-of-order ranges, bytes held,
 *    and every held byte is the first one accepted at its offset;
 *  - frames come out contiguous, complete, as their headers say, and their
 *    bytes never change while held;
 *  - app ranges follow each other; the wire ACK is the end of the last
 *    frame the local TCP accepted in full, and only moves forward;
 *  - memory stays within the buffers given; an abort is final.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rxmap.h"

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

#define STREAM_MAX	16384
#define FRAMES_MAX	4096
#define MIN_CLEN	17
#define CAP_MAX		4096
#define RECS_MAX	16

struct mframe {
	u64 off;
	u32 len;
	u64 app_off;
	u32 dlen;
	bool authed;
	bool fin;
};

struct fz {
	const u8 *in;
	size_t left;
	struct tcpc_rxmap rx;
	u32 cap;
	u32 nrecs;
	u64 rng;
	/* the model */
	u64 hi;			/* above every byte accepted */
	u32 nmf;		/* frames handed out */
	u32 nverdict;		/* of which with a verdict */
	u32 nrel;		/* of which released */
	u64 base;
	u64 app_next;
	u64 acked;
	u64 wire_ack;
	int err;
	u8 have[STREAM_MAX];	/* first bytes accepted, by offset */
	/* not cleared between inputs: written before being read */
	u8 byte[STREAM_MAX];
	u8 stream[STREAM_MAX];	/* the well-formed stream */
	struct mframe mf[FRAMES_MAX];
};

static struct fz F;
static u8 ring[CAP_MAX];
static struct tcpc_rxframe recs[RECS_MAX];

/* Little-endian bytes from the input; zero once it runs out */
static u32 get(struct fz *f, u32 n)
{
	u32 v = 0, i;

	for (i = 0; i < n && f->left; i++, f->left--)
		v |= (u32)*f->in++ << (8 * i);
	return v;
}

static u32 rnd(struct fz *f)
{
	f->rng = f->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (u32)(f->rng >> 33);
}

/* Init (magic, length, body), then frames of small random sizes */
static void make_stream(struct fz *f, u32 init_len)
{
	u32 pos = 0, clen, i;

	for (i = 0; i < STREAM_MAX; i++)
		f->stream[i] = (u8)rnd(f);
	if (init_len)
		tcpc_put_be32(f->stream + 4, init_len);
	pos = init_len;
	while (pos + 3 <= STREAM_MAX) {
		clen = MIN_CLEN + rnd(f) % (rnd(f) % 8 ? 40 : 300);
		f->stream[pos] = rnd(f) % 4 ? 0 : 1;
		tcpc_put_be16(f->stream + pos + 1, (u16)clen);
		pos += 3 + clen;
	}
}

/* Reassembly matches the model exactly */
static void check_reassembly(struct fz *f)
{
	struct tcpc_rxmap *rx = &f->rx;
	static u8 out[CAP_MAX];
	u64 o, nxt = rx->base, held = 0;
	u32 k = 0;

	while (nxt < f->hi && f->have[nxt])
		nxt++;
	CHECK(rx->rcv_nxt == nxt);
	CHECK(!tcpc_rxmap_copy(rx, rx->base, (u32)(nxt - rx->base), out));
	for (o = rx->base; o < nxt; o++)
		CHECK(out[o - rx->base] == f->byte[o]);
	held = nxt - rx->base;
	for (o = nxt; o < f->hi; o++) {
		if (!f->have[o] || (o > nxt && f->have[o - 1]))
			continue;
		/* a run of accepted bytes starts at o */
		CHECK(k < rx->nooo);
		CHECK(rx->ooo[k].start == o);
		while (o < f->hi && f->have[o])
			o++;
		CHECK(rx->ooo[k].end == o);
		held += o - rx->ooo[k].start;
		k++;
	}
	CHECK(k == rx->nooo);
	CHECK(tcpc_rxmap_held(rx) == held);
	CHECK(held <= f->cap);
}

/* Release, as the model sees it, and compare the wire ACK */
static void check_release(struct fz *f)
{
	struct tcpc_rxmap *rx = &f->rx;
	struct mframe *m;
	u64 w;

	while (f->nrel < f->nverdict) {
		m = &f->mf[f->nrel];
		if (m->app_off + m->dlen + m->fin > f->acked)
			break;
		f->base = m->off + m->len;
		f->nrel++;
	}
	CHECK(rx->base == f->base);
	CHECK(rx->rec_count == f->nmf - f->nrel);
	CHECK(rx->rec_authed == f->nverdict - f->nrel);
	w = tcpc_rxmap_wire_ack(rx);
	CHECK(w >= f->wire_ack);
	CHECK(w == f->base || (rx->finp && w == f->base + 1 &&
			       rx->wire_fin == f->base));
	f->wire_ack = w;
}

/*
 * A segment: mostly near the in-order end, else anywhere around the
 * window; mostly bytes of the well-formed stream; rarely a FIN.
 */
static void op_segment(struct fz *f)
{
	u8 flags = get(f, 1), data[600];
	u32 len = get(f, 2) % 600, i;
	u64 off, end, lim = f->base + f->cap;
	bool fin = (flags & 0x70) == 0x70;
	int res;

	if (flags & 1)
		off = f->base + get(f, 2) % (2 * f->cap);
	else
		off = f->rx.rcv_nxt + get(f, 1) % 64;
	off = off > 16 ? off - 16 : 0;
	if (off + len > STREAM_MAX)
		return;
	for (i = 0; i < len; i++)
		data[i] = (flags & 0x0e) == 0x0e ? get(f, 1) :
			  f->stream[off + i];
	res = tcpc_rxmap_segment(&f->rx, off, data, len, fin);
	if (res < 0)
		return;
	/* what was stored: every byte within budget not held before */
	end = off + len < lim ? off + len : lim;
	for (i = 0; off + i < end; i++) {
		if (f->have[off + i])
			continue;
		f->have[off + i] = 1;
		f->byte[off + i] = data[i];
	}
	if (end > f->hi)
		f->hi = end;
	if (len)
		CHECK(!(res & TCPC_RXSEG_TRIMMED) == (off + len <= lim));
}

static void check_frame_bytes(struct fz *f, const struct tcpc_rxframe *rf)
{
	static u8 out[CAP_MAX];
	struct tcpc_rxspan sp[2];
	u32 i;
	int n;

	CHECK(!tcpc_rxmap_copy(&f->rx, rf->wire_off, rf->wire_len, out));
	for (i = 0; i < rf->wire_len; i++)
		CHECK(out[i] == f->byte[rf->wire_off + i]);
	n = tcpc_rxmap_spans(&f->rx, rf->wire_off, rf->wire_len, sp);
	CHECK(n == 1 || n == 2);
	CHECK(sp[0].len + (n == 2 ? sp[1].len : 0) == rf->wire_len);
	CHECK(!memcmp(sp[0].data, out, sp[0].len));
}

static void op_next_frames(struct fz *f)
{
	u32 n = 1 + get(f, 1) % 4;
	struct tcpc_rxframe *rf;
	struct mframe *m;
	u64 expect;

	while (n-- && f->nmf < FRAMES_MAX) {
		if (tcpc_rxmap_next_frame(&f->rx, &rf))
			return;
		expect = f->nmf ? f->mf[f->nmf - 1].off + f->mf[f->nmf - 1].len
				: f->rx.init_len;
		CHECK(rf->wire_off == expect);
		CHECK(rf->wire_len == 3 + tcpc_get_be16(f->byte + expect + 1));
		CHECK(rf->wire_len >= 3 + MIN_CLEN);
		CHECK(rf->wire_off + rf->wire_len <= f->rx.rcv_nxt);
		CHECK(f->rx.rec_count <= f->nrecs);
		check_frame_bytes(f, rf);
		m = &f->mf[f->nmf++];
		memset(m, 0, sizeof(*m));
		m->off = rf->wire_off;
		m->len = rf->wire_len;
	}
}

/* Mostly a plausible success; rarely a failure or a wrong length */
static void op_verdict(struct fz *f)
{
	u32 v = get(f, 1), dlen = get(f, 1);
	struct tcpc_rxframe *rf;
	struct mframe *m;
	bool fin = (v & 0x0e) == 0x0e;
	int res;

	if (f->nverdict == f->nmf)
		return;
	m = &f->mf[f->nverdict];
	/* the data of a frame without urgent field, or a bit less */
	dlen = v & 0x10 ? dlen : m->len - 3 - MIN_CLEN - dlen % 3;
	rf = &recs[(f->rx.rec_head + f->nverdict - f->nrel) & f->rx.rec_mask];
	CHECK(rf->wire_off == m->off);
	check_frame_bytes(f, rf);
	if ((v & 0xe1) == 0xe1) {
		CHECK(tcpc_rxmap_auth_fail(&f->rx, rf) == -EBADMSG);
		return;
	}
	res = tcpc_rxmap_auth_ok(&f->rx, rf, dlen, fin);
	if ((u64)dlen + 3 + MIN_CLEN > m->len) {
		CHECK(res == -EINVAL);
		return;
	}
	if (res)
		return;		/* a FINp with bytes after it: aborted */
	CHECK(rf->app_off == f->app_next);
	m->authed = true;
	m->app_off = f->app_next;
	m->dlen = dlen;
	m->fin = fin;
	f->app_next += dlen;
	f->nverdict++;
}

/* Mostly all that was delivered; else a bit less, or too much */
static void op_app_ack(struct fz *f)
{
	u64 nxt = tcpc_rxmap_app_nxt(&f->rx), a, w;
	u32 v = get(f, 1);
	int res;

	a = nxt + 2 - v % 8;
	if (v & 0x80)
		a = f->acked + get(f, 1);
	res = tcpc_rxmap_app_ack(&f->rx, a, &w);
	if (a > nxt) {
		CHECK(res == -ERANGE);
		return;
	}
	CHECK(!res);
	if (a > f->acked)
		f->acked = a;
	CHECK(w == tcpc_rxmap_wire_ack(&f->rx));
}

static void op_init(struct fz *f)
{
	static u8 out[CAP_MAX];
	u32 len = get(f, 2) % 300, i;

	if (!f->rx.init_known) {
		tcpc_rxmap_set_init_len(&f->rx, len);
		return;
	}
	if (!tcpc_rxmap_init_ready(&f->rx))
		return;
	CHECK(!tcpc_rxmap_copy(&f->rx, 0, (u32)f->rx.init_len, out));
	for (i = 0; i < f->rx.init_len; i++)
		CHECK(out[i] == f->byte[i]);
	if (!tcpc_rxmap_consume_init(&f->rx) || f->rx.init_done)
		f->base = f->rx.init_len;
}

static void op_sack(struct fz *f)
{
	struct tcpc_range b[4];
	u32 n = tcpc_rxmap_sack(&f->rx, b, get(f, 1) % 5), i, k;

	for (i = 0; i < n; i++) {
		CHECK(b[i].start > f->rx.rcv_nxt);
		for (k = 0; k < f->rx.nooo; k++)
			if (f->rx.ooo[k].start == b[i].start)
				break;
		CHECK(k < f->rx.nooo && f->rx.ooo[k].end == b[i].end);
		/* each range once */
		for (k = 0; k < i; k++)
			CHECK(b[k].start != b[i].start);
	}
}

static void op_redeliver(struct fz *f)
{
	struct tcpc_rxframe *rf;
	u32 i;

	for (i = 0; (rf = tcpc_rxmap_authed(&f->rx, i)); i++) {
		const struct mframe *m = &f->mf[f->nrel + i];

		CHECK(m->authed && rf->wire_off == m->off);
		CHECK(rf->app_off == m->app_off && rf->dlen == m->dlen);
		check_frame_bytes(f, rf);
	}
	CHECK(f->nrel + i == f->nverdict);
}

/* After an abort, every call fails the same way and nothing moves */
static void check_aborted(struct fz *f)
{
	struct tcpc_rxframe *rf;
	u64 w;

	CHECK(f->rx.err == f->err);
	CHECK(tcpc_rxmap_segment(&f->rx, f->rx.rcv_nxt, f->stream, 1, false) ==
	      f->err);
	CHECK(tcpc_rxmap_next_frame(&f->rx, &rf) == f->err);
	CHECK(tcpc_rxmap_app_ack(&f->rx, 0, &w) == f->err);
	CHECK(tcpc_rxmap_app_nxt(&f->rx) == f->app_next + f->rx.finp);
}

static void setup(struct fz *f, const u8 *data, size_t size)
{
	struct tcpc_rxmap_cfg cfg = { .min_clen = MIN_CLEN };
	u32 c, init_len;

	f->in = data;
	f->left = size;
	c = get(f, 1);
	f->cap = 64U << (c % 7);
	f->nrecs = 1U << ((c >> 3) % 5);
	cfg.init_msg = c & 0x80;
	cfg.wire_isn = get(f, 4);
	init_len = cfg.init_msg ? 8 + get(f, 1) : 0;
	f->rng = get(f, 4);
	make_stream(f, init_len);
	CHECK(!tcpc_rxmap_init(&f->rx, &cfg, ring, f->cap, recs, f->nrecs));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz *f = &F;

	memset(f, 0, offsetof(struct fz, byte));
	setup(f, data, size);
	while (f->left) {
		switch (get(f, 1) % 8) {
		case 0:
		case 1:
			op_segment(f);
			break;
		case 2:
			op_next_frames(f);
			break;
		case 3:
			op_verdict(f);
			break;
		case 4:
			op_app_ack(f);
			break;
		case 5:
			op_init(f);
			break;
		case 6:
			op_sack(f);
			break;
		default:
			op_redeliver(f);
			break;
		}
		if (f->rx.err) {
			f->err = f->rx.err;
			CHECK(f->err < 0);
			check_aborted(f);
			return 0;
		}
		check_reassembly(f);
		check_release(f);
	}
	return 0;
}
