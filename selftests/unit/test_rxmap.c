// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The inbound map (kmod/proto/rxmap.c): reassembly of in-order,
 * out-of-order, duplicate and over-budget segments; frame hand-out and
 * verdicts; the Init message; ACK translation with partial acceptance by
 * the local TCP; SACK blocks; the FIN rules; ring and sequence wrap.
 * Frames here are opaque bytes with a valid header: authentication is the
 * caller's, and test_seqpath.c runs the whole path.
 */
/* TEST() and the harness's signal handler leave parameters unused */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"

#include "rxmap.h"

#define MIN_CLEN	17	/* flags byte + 16-byte tag */
#define OVH		(TCPC_RXMAP_HDR_LEN + MIN_CLEN)

static u8 ring[256];
static struct tcpc_rxframe recs[8];

static void setup(struct tcpc_rxmap *rx, bool init_msg, u32 cap)
{
	struct tcpc_rxmap_cfg cfg = {
		.app_isn = 100, .wire_isn = 200, .min_clen = MIN_CLEN,
		.init_msg = init_msg,
	};

	if (tcpc_rxmap_init(rx, &cfg, ring, cap, recs, 8))
		abort();
}

/* A frame carrying dlen data bytes: header, then clen bytes of fill */
static u32 make_frame(u8 *out, u32 dlen, u8 fill)
{
	u32 clen = MIN_CLEN + dlen;

	out[0] = 0;
	tcpc_put_be16(out + 1, (u16)clen);
	memset(out + 3, fill, clen);
	return TCPC_RXMAP_HDR_LEN + clen;
}

TEST(init_rejects_bad_config)
{
	struct tcpc_rxmap_cfg cfg = { .min_clen = MIN_CLEN };
	struct tcpc_rxmap rx;

	ASSERT_EQ(0, tcpc_rxmap_init(&rx, &cfg, ring, 256, recs, 8));
	ASSERT_EQ(-EINVAL, tcpc_rxmap_init(&rx, &cfg, ring, 100, recs, 8));
	ASSERT_EQ(-EINVAL, tcpc_rxmap_init(&rx, &cfg, ring, 256, recs, 6));
	ASSERT_EQ(-EINVAL, tcpc_rxmap_init(&rx, &cfg, ring, 16, recs, 8));
	cfg.min_clen = 0;
	ASSERT_EQ(-EINVAL, tcpc_rxmap_init(&rx, &cfg, ring, 256, recs, 8));
}

TEST(frame_split_across_segments)
{
	struct tcpc_rxframe *f;
	struct tcpc_rxmap rx;
	u8 fr[64], out[64];
	u32 n = make_frame(fr, 10, 0xab);

	setup(&rx, false, 256);
	ASSERT_EQ(TCPC_RXSEG_NEW | TCPC_RXSEG_ADVANCED,
		  tcpc_rxmap_segment(&rx, 0, fr, 2, false));
	ASSERT_EQ(-EAGAIN, tcpc_rxmap_next_frame(&rx, &f));
	ASSERT_EQ(TCPC_RXSEG_NEW | TCPC_RXSEG_ADVANCED,
		  tcpc_rxmap_segment(&rx, 2, fr + 2, 20, false));
	ASSERT_EQ(-EAGAIN, tcpc_rxmap_next_frame(&rx, &f));
	ASSERT_EQ(TCPC_RXSEG_NEW | TCPC_RXSEG_ADVANCED,
		  tcpc_rxmap_segment(&rx, 22, fr + 22, n - 22, false));
	ASSERT_EQ(0, tcpc_rxmap_next_frame(&rx, &f));
	ASSERT_EQ(0, f->wire_off);
	ASSERT_EQ(n, f->wire_len);
	ASSERT_EQ(0, f->flags);
	ASSERT_EQ(0, tcpc_rxmap_copy(&rx, 0, n, out));
	ASSERT_EQ(0, memcmp(fr, out, n));
	/* handed out once: the next one is not there yet */
	ASSERT_EQ(-EAGAIN, tcpc_rxmap_next_frame(&rx, &f));
	/* nothing is acknowledged before the local TCP accepts it */
	ASSERT_EQ(0, tcpc_rxmap_wire_ack(&rx));
	ASSERT_EQ(n, tcpc_rxmap_held(&rx));
}

TEST(out_of_order_and_sack_order)
{
	struct tcpc_range b[4];
	struct tcpc_rxmap rx;
	u8 data[200];
	u32 i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = i;
	setup(&rx, false, 256);
	ASSERT_EQ(TCPC_RXSEG_NEW | TCPC_RXSEG_OOO,
		  tcpc_rxmap_segment(&rx, 50, data + 50, 10, false));
	ASSERT_EQ(TCPC_RXSEG_NEW | TCPC_RXSEG_OOO,
		  tcpc_rxmap_segment(&rx, 100, data + 100, 10, false));
	ASSERT_EQ(TCPC_RXSEG_NEW | TCPC_RXSEG_OOO,
		  tcpc_rxmap_segment(&rx, 20, data + 20, 10, false));
	ASSERT_EQ(0, rx.rcv_nxt);
	ASSERT_EQ(3, tcpc_rxmap_sack(&rx, b, 4));
	ASSERT_EQ(20, b[0].start);
	ASSERT_EQ(100, b[1].start);
	ASSERT_EQ(50, b[2].start);
	/* extending a block makes it the first one */
	ASSERT_EQ(TCPC_RXSEG_NEW | TCPC_RXSEG_OOO,
		  tcpc_rxmap_segment(&rx, 55, data + 55, 20, false));
	ASSERT_EQ(2, tcpc_rxmap_sack(&rx, b, 2));
	ASSERT_EQ(50, b[0].start);
	ASSERT_EQ(75, b[0].end);
	ASSERT_EQ(20, b[1].start);
	/* bridging two blocks merges them */
	ASSERT_EQ(TCPC_RXSEG_NEW | TCPC_RXSEG_OOO,
		  tcpc_rxmap_segment(&rx, 30, data + 30, 20, false));
	ASSERT_EQ(2, tcpc_rxmap_sack(&rx, b, 4));
	ASSERT_EQ(20, b[0].start);
	ASSERT_EQ(75, b[0].end);
	/* filling the hole absorbs the first block and says ACK now */
	ASSERT_EQ(TCPC_RXSEG_NEW | TCPC_RXSEG_ADVANCED | TCPC_RXSEG_OOO,
		  tcpc_rxmap_segment(&rx, 0, data, 20, false));
	ASSERT_EQ(75, rx.rcv_nxt);
	ASSERT_EQ(1, tcpc_rxmap_sack(&rx, b, 4));
	ASSERT_EQ(100, b[0].start);
	ASSERT_EQ(110, b[0].end);
	ASSERT_EQ(85, tcpc_rxmap_held(&rx));
}

TEST(held_bytes_are_never_overwritten)
{
	struct tcpc_rxmap rx;
	u8 a[40], b[40], out[40];

	memset(a, 'a', sizeof(a));
	memset(b, 'b', sizeof(b));
	setup(&rx, false, 256);
	ASSERT_EQ(TCPC_RXSEG_NEW | TCPC_RXSEG_OOO,
		  tcpc_rxmap_segment(&rx, 10, a, 10, false));
	/* in-order data below a held range: part of the hole is filled */
	ASSERT_EQ(TCPC_RXSEG_NEW | TCPC_RXSEG_ADVANCED | TCPC_RXSEG_OOO,
		  tcpc_rxmap_segment(&rx, 0, a, 5, false));
	/* b overlaps both held ranges: only the gaps take its bytes */
	ASSERT_EQ(TCPC_RXSEG_NEW | TCPC_RXSEG_ADVANCED | TCPC_RXSEG_OOO,
		  tcpc_rxmap_segment(&rx, 0, b, 30, false));
	ASSERT_EQ(0, tcpc_rxmap_copy(&rx, 0, 30, out));
	ASSERT_EQ(0, memcmp(out, "aaaaabbbbbaaaaaaaaaabbbbbbbbbb", 30));
	ASSERT_EQ(TCPC_RXSEG_DUP, tcpc_rxmap_segment(&rx, 3, b, 20, false));
	ASSERT_EQ(TCPC_RXSEG_OOO, tcpc_rxmap_segment(&rx, 35, b, 5, false) &
		  TCPC_RXSEG_OOO);
	ASSERT_EQ(TCPC_RXSEG_DUP | TCPC_RXSEG_OOO,
		  tcpc_rxmap_segment(&rx, 36, a, 2, false));
	ASSERT_EQ(-ERANGE, tcpc_rxmap_copy(&rx, 25, 10, out));
	/* a pure ACK is not data */
	ASSERT_EQ(0, tcpc_rxmap_segment(&rx, 30, NULL, 0, false));
}

TEST(budget_and_hole_limits)
{
	struct tcpc_rxmap rx;
	u8 data[128] = { 0 };
	u32 i;

	setup(&rx, false, 64);
	ASSERT_EQ(-ENOBUFS, tcpc_rxmap_segment(&rx, 64, data, 10, false));
	/* the part within budget is kept, the FIN beyond it is not */
	ASSERT_EQ(TCPC_RXSEG_NEW | TCPC_RXSEG_ADVANCED | TCPC_RXSEG_TRIMMED,
		  tcpc_rxmap_segment(&rx, 0, data, 70, true));
	ASSERT_EQ(64, rx.rcv_nxt);
	ASSERT_FALSE(rx.fin_known);
	setup(&rx, false, 256);
	for (i = 0; i < TCPC_RXMAP_MAX_OOO; i++)
		ASSERT_EQ(TCPC_RXSEG_NEW | TCPC_RXSEG_OOO,
			  tcpc_rxmap_segment(&rx, 10 + 20 * i, data, 5, false));
	ASSERT_EQ(-ENOBUFS, tcpc_rxmap_segment(&rx, 200, data, 5, false));
	/* growing an existing range is still fine */
	ASSERT_EQ(TCPC_RXSEG_NEW | TCPC_RXSEG_OOO,
		  tcpc_rxmap_segment(&rx, 15, data, 5, false));
	ASSERT_EQ(TCPC_RXSEG_NEW | TCPC_RXSEG_ADVANCED | TCPC_RXSEG_OOO,
		  tcpc_rxmap_segment(&rx, 0, data, 10, false));
	ASSERT_EQ(20, rx.rcv_nxt);
	ASSERT_EQ(TCPC_RXMAP_MAX_OOO - 1, rx.nooo);
}

TEST(init_message_is_consumed_and_acked)
{
	struct tcpc_rxframe *f;
	struct tcpc_rxmap rx;
	u8 s[128], out[16];
	u64 w;
	u32 n;

	memcpy(s, "INITxxxxINITBODY", 16);
	n = make_frame(s + 16, 5, 1);
	setup(&rx, true, 256);
	ASSERT_EQ(TCPC_RXSEG_NEW | TCPC_RXSEG_ADVANCED,
		  tcpc_rxmap_segment(&rx, 0, s, 8, false));
	ASSERT_FALSE(tcpc_rxmap_init_ready(&rx));
	ASSERT_EQ(0, tcpc_rxmap_copy(&rx, 0, 8, out));
	ASSERT_EQ(-EINVAL, tcpc_rxmap_set_init_len(&rx, 0));
	ASSERT_EQ(0, tcpc_rxmap_set_init_len(&rx, 16));
	ASSERT_EQ(-EINVAL, tcpc_rxmap_set_init_len(&rx, 16));
	ASSERT_FALSE(tcpc_rxmap_init_ready(&rx));
	ASSERT_EQ(-EINVAL, tcpc_rxmap_consume_init(&rx));
	ASSERT_EQ(TCPC_RXSEG_NEW | TCPC_RXSEG_ADVANCED,
		  tcpc_rxmap_segment(&rx, 8, s + 8, 8 + n, false));
	/* no frame before the Init is consumed (and keys exist) */
	ASSERT_EQ(-EAGAIN, tcpc_rxmap_next_frame(&rx, &f));
	ASSERT_TRUE(tcpc_rxmap_init_ready(&rx));
	ASSERT_EQ(0, tcpc_rxmap_copy(&rx, 0, 16, out));
	ASSERT_EQ(0, memcmp(out, s, 16));
	ASSERT_EQ(0, tcpc_rxmap_wire_ack(&rx));
	ASSERT_EQ(0, tcpc_rxmap_consume_init(&rx));
	ASSERT_EQ(16, tcpc_rxmap_wire_ack(&rx));
	ASSERT_EQ(-ERANGE, tcpc_rxmap_copy(&rx, 0, 1, out));
	ASSERT_EQ(0, tcpc_rxmap_next_frame(&rx, &f));
	ASSERT_EQ(16, f->wire_off);
	ASSERT_EQ(0, tcpc_rxmap_auth_ok(&rx, f, 5, false));
	ASSERT_EQ(0, f->app_off);
	ASSERT_EQ(0, tcpc_rxmap_app_ack(&rx, 5, &w));
	ASSERT_EQ(16 + n, w);
	/* an Init larger than the buffer could never be held */
	setup(&rx, true, 64);
	ASSERT_EQ(-EMSGSIZE, tcpc_rxmap_set_init_len(&rx, 65));
	ASSERT_EQ(-EMSGSIZE, tcpc_rxmap_segment(&rx, 0, s, 1, false));
}

TEST(verdicts_assign_app_ranges_in_order)
{
	struct tcpc_rxframe *f1, *f2, *f3;
	struct tcpc_rxmap rx;
	u8 s[200];
	u32 n1, n2, n3;
	u64 w;

	n1 = make_frame(s, 10, 1);
	n2 = make_frame(s + n1, 0, 2);
	n3 = make_frame(s + n1 + n2, 20, 3);
	setup(&rx, false, 256);
	tcpc_rxmap_segment(&rx, 0, s, n1 + n2 + n3, false);
	ASSERT_EQ(0, tcpc_rxmap_next_frame(&rx, &f1));
	ASSERT_EQ(0, tcpc_rxmap_next_frame(&rx, &f2));
	ASSERT_EQ(0, tcpc_rxmap_next_frame(&rx, &f3));
	/* verdicts follow hand-out order; dlen must fit the frame */
	ASSERT_EQ(-EINVAL, tcpc_rxmap_auth_ok(&rx, f2, 0, false));
	ASSERT_EQ(-EINVAL, tcpc_rxmap_auth_ok(&rx, f1, 11, false));
	ASSERT_EQ(0, tcpc_rxmap_auth_ok(&rx, f1, 10, false));
	ASSERT_EQ(-EINVAL, tcpc_rxmap_auth_ok(&rx, f1, 10, false));
	ASSERT_EQ(0, tcpc_rxmap_auth_ok(&rx, f2, 0, false));
	ASSERT_EQ(0, tcpc_rxmap_auth_ok(&rx, f3, 20, false));
	ASSERT_EQ(0, f1->app_off);
	ASSERT_EQ(10, f3->app_off);
	ASSERT_EQ(TCPC_RXF_AUTH, f3->flags);
	ASSERT_EQ(30, tcpc_rxmap_app_nxt(&rx));
	/* the local TCP took part of the first frame: nothing is ACKed */
	ASSERT_EQ(0, tcpc_rxmap_app_ack(&rx, 4, &w));
	ASSERT_EQ(0, w);
	ASSERT_EQ(f1, tcpc_rxmap_authed(&rx, 0));
	/* all of it: the wire ACK passes it and the empty frame after it */
	ASSERT_EQ(0, tcpc_rxmap_app_ack(&rx, 10, &w));
	ASSERT_EQ(n1 + n2, w);
	ASSERT_EQ(f3, tcpc_rxmap_authed(&rx, 0));
	ASSERT_EQ(NULL, tcpc_rxmap_authed(&rx, 1));
	ASSERT_EQ(0, tcpc_rxmap_app_ack(&rx, 29, &w));
	ASSERT_EQ(n1 + n2, w);
	/* an old ACK changes nothing, one beyond the data is refused */
	ASSERT_EQ(0, tcpc_rxmap_app_ack(&rx, 3, &w));
	ASSERT_EQ(n1 + n2, w);
	ASSERT_EQ(-ERANGE, tcpc_rxmap_app_ack(&rx, 31, &w));
	ASSERT_EQ(0, tcpc_rxmap_app_ack(&rx, 30, &w));
	ASSERT_EQ(n1 + n2 + n3, w);
	ASSERT_EQ(0, tcpc_rxmap_held(&rx));
}

TEST(failed_authentication_aborts_for_good)
{
	struct tcpc_rxframe *f1, *f2;
	struct tcpc_rxmap rx;
	u8 s[200];
	u32 n1, n2;
	u64 w;

	n1 = make_frame(s, 10, 1);
	n2 = make_frame(s + n1, 10, 2);
	setup(&rx, false, 256);
	tcpc_rxmap_segment(&rx, 0, s, n1 + n2, false);
	ASSERT_EQ(0, tcpc_rxmap_next_frame(&rx, &f1));
	ASSERT_EQ(0, tcpc_rxmap_next_frame(&rx, &f2));
	ASSERT_EQ(-EINVAL, tcpc_rxmap_auth_fail(&rx, f2));
	ASSERT_EQ(-EBADMSG, tcpc_rxmap_auth_fail(&rx, f1));
	ASSERT_EQ(-EBADMSG, tcpc_rxmap_auth_ok(&rx, f2, 10, false));
	ASSERT_EQ(-EBADMSG, tcpc_rxmap_next_frame(&rx, &f1));
	ASSERT_EQ(-EBADMSG, tcpc_rxmap_segment(&rx, n1 + n2, s, 10, false));
	ASSERT_EQ(-EBADMSG, tcpc_rxmap_app_ack(&rx, 0, &w));
	ASSERT_EQ(0, tcpc_rxmap_app_nxt(&rx));
}

TEST(bad_headers_abort)
{
	struct tcpc_rxframe *f;
	struct tcpc_rxmap rx;
	u8 s[64] = { 0 };

	/* clen too small to hold flags and tag */
	setup(&rx, false, 256);
	tcpc_put_be16(s + 1, MIN_CLEN - 1);
	tcpc_rxmap_segment(&rx, 0, s, 3, false);
	ASSERT_EQ(-EBADMSG, tcpc_rxmap_next_frame(&rx, &f));
	/* a frame larger than the whole buffer */
	setup(&rx, false, 256);
	tcpc_put_be16(s + 1, 254);
	tcpc_rxmap_segment(&rx, 0, s, 3, false);
	ASSERT_EQ(-EMSGSIZE, tcpc_rxmap_next_frame(&rx, &f));
	setup(&rx, false, 256);
	tcpc_put_be16(s + 1, 253);
	tcpc_rxmap_segment(&rx, 0, s, 3, false);
	ASSERT_EQ(-EAGAIN, tcpc_rxmap_next_frame(&rx, &f));
}

TEST(record_ring_full)
{
	struct tcpc_rxframe *f;
	struct tcpc_rxmap rx;
	u8 s[256];
	u32 i, n = 0;
	u64 w;

	for (i = 0; i < 9; i++)
		n += make_frame(s + n, 0, i);
	setup(&rx, false, 256);
	tcpc_rxmap_segment(&rx, 0, s, n, false);
	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, tcpc_rxmap_next_frame(&rx, &f));
	ASSERT_EQ(-ENOBUFS, tcpc_rxmap_next_frame(&rx, &f));
	/* an empty frame is released as soon as it is authenticated */
	ASSERT_EQ(0, tcpc_rxmap_auth_ok(&rx, &recs[0], 0, false));
	ASSERT_EQ(0, tcpc_rxmap_app_ack(&rx, 0, &w));
	ASSERT_EQ(OVH, w);
	ASSERT_EQ(0, tcpc_rxmap_next_frame(&rx, &f));
	ASSERT_EQ(8 * OVH, f->wire_off);
}

TEST(fin_after_finp_is_acked_last)
{
	struct tcpc_rxframe *f1, *f2;
	struct tcpc_rxmap rx;
	u8 s[200];
	u32 n1, n2;
	u64 w;

	n1 = make_frame(s, 10, 1);
	n2 = make_frame(s + n1, 4, 2);
	setup(&rx, false, 256);
	ASSERT_EQ(TCPC_RXSEG_NEW | TCPC_RXSEG_OOO,
		  tcpc_rxmap_segment(&rx, n1, s + n1, n2, true));
	ASSERT_TRUE(rx.fin_known);
	/* a second FIN elsewhere, data beyond the FIN: dropped */
	ASSERT_EQ(-EINVAL, tcpc_rxmap_segment(&rx, 0, s, 5, true));
	ASSERT_EQ(-EINVAL, tcpc_rxmap_segment(&rx, n1, s, n2 + 1, false));
	ASSERT_EQ(TCPC_RXSEG_NEW | TCPC_RXSEG_ADVANCED | TCPC_RXSEG_OOO,
		  tcpc_rxmap_segment(&rx, 0, s, n1, false));
	ASSERT_EQ(0, tcpc_rxmap_next_frame(&rx, &f1));
	ASSERT_EQ(0, tcpc_rxmap_next_frame(&rx, &f2));
	ASSERT_EQ(-EAGAIN, tcpc_rxmap_next_frame(&rx, &f2));
	ASSERT_EQ(0, tcpc_rxmap_auth_ok(&rx, f1, 10, false));
	ASSERT_EQ(0, tcpc_rxmap_auth_ok(&rx, f2, 4, true));
	ASSERT_EQ(TCPC_RXF_AUTH | TCPC_RXF_FIN, f2->flags);
	ASSERT_EQ(15, tcpc_rxmap_app_nxt(&rx));
	ASSERT_EQ(0, tcpc_rxmap_app_ack(&rx, 14, &w));
	ASSERT_EQ(n1, w);
	ASSERT_EQ(0, tcpc_rxmap_app_ack(&rx, 15, &w));
	ASSERT_EQ(n1 + n2 + 1, w);
	/* the retransmitted FIN is a duplicate */
	ASSERT_EQ(TCPC_RXSEG_DUP, tcpc_rxmap_segment(&rx, n1 + n2, s, 0, true));
}

TEST(fin_before_the_wire_fin_waits_for_it)
{
	struct tcpc_rxframe *f;
	struct tcpc_rxmap rx;
	u8 s[64];
	u32 n;
	u64 w;

	n = make_frame(s, 3, 1);
	setup(&rx, false, 256);
	tcpc_rxmap_segment(&rx, 0, s, n, false);
	ASSERT_EQ(0, tcpc_rxmap_next_frame(&rx, &f));
	ASSERT_EQ(0, tcpc_rxmap_auth_ok(&rx, f, 3, true));
	ASSERT_EQ(0, tcpc_rxmap_app_ack(&rx, 4, &w));
	ASSERT_EQ(n, w);
	ASSERT_EQ(0, tcpc_rxmap_segment(&rx, n, NULL, 0, true));
	ASSERT_EQ(n + 1, tcpc_rxmap_wire_ack(&rx));
}

TEST(fin_without_finp_aborts)
{
	struct tcpc_rxframe *f;
	struct tcpc_rxmap rx;
	u8 s[64];
	u32 n;

	n = make_frame(s, 3, 1);
	setup(&rx, false, 256);
	tcpc_rxmap_segment(&rx, 0, s, n, true);
	ASSERT_EQ(0, tcpc_rxmap_next_frame(&rx, &f));
	/* the frame itself is authentic and may be delivered */
	ASSERT_EQ(0, tcpc_rxmap_auth_ok(&rx, f, 3, false));
	ASSERT_EQ(-EPROTO, tcpc_rxmap_next_frame(&rx, &f));
	/* FIN inside a frame */
	setup(&rx, false, 256);
	ASSERT_LT(0, tcpc_rxmap_segment(&rx, 0, s, n - 1, true));
	ASSERT_EQ(-EPROTO, tcpc_rxmap_next_frame(&rx, &f));
	/* FIN inside a frame header */
	setup(&rx, false, 256);
	tcpc_rxmap_segment(&rx, 0, s, 2, true);
	ASSERT_EQ(-EPROTO, tcpc_rxmap_next_frame(&rx, &f));
	/* FIN right after the Init, or inside it */
	setup(&rx, true, 256);
	tcpc_rxmap_segment(&rx, 0, s, 10, true);
	ASSERT_EQ(0, tcpc_rxmap_set_init_len(&rx, 10));
	ASSERT_EQ(-EPROTO, tcpc_rxmap_consume_init(&rx));
	setup(&rx, true, 256);
	tcpc_rxmap_segment(&rx, 0, s, 10, true);
	ASSERT_EQ(-EPROTO, tcpc_rxmap_set_init_len(&rx, 11));
	/* a pure FIN after every frame was authenticated */
	setup(&rx, false, 256);
	tcpc_rxmap_segment(&rx, 0, s, n, false);
	ASSERT_EQ(0, tcpc_rxmap_next_frame(&rx, &f));
	ASSERT_EQ(0, tcpc_rxmap_auth_ok(&rx, f, 3, false));
	ASSERT_EQ(-EPROTO, tcpc_rxmap_segment(&rx, n, NULL, 0, true));
}

TEST(fin_where_the_init_header_is_due_aborts)
{
	struct tcpc_rxmap rx;
	u8 s[16] = { 0 };

	/* a pure FIN where the Init should start */
	setup(&rx, true, 256);
	ASSERT_EQ(-EPROTO, tcpc_rxmap_segment(&rx, 0, NULL, 0, true));
	/* a FIN inside the magic and length fields */
	setup(&rx, true, 256);
	ASSERT_EQ(-EPROTO, tcpc_rxmap_segment(&rx, 0, s,
					      TCPC_RXMAP_INIT_MIN - 1, true));
	/* the FIN first, the bytes before it later: still too short */
	setup(&rx, true, 256);
	ASSERT_EQ(-EPROTO, tcpc_rxmap_segment(&rx, 5, NULL, 0, true));
	/* room for the header: the length field decides later */
	setup(&rx, true, 256);
	ASSERT_LE(0, tcpc_rxmap_segment(&rx, 0, s, TCPC_RXMAP_INIT_MIN,
					true));
}

TEST(bytes_after_finp_abort)
{
	struct tcpc_rxframe *f;
	struct tcpc_rxmap rx;
	u8 s[128];
	u32 n;

	n = make_frame(s, 3, 1);
	n += make_frame(s + n, 3, 2);
	setup(&rx, false, 256);
	tcpc_rxmap_segment(&rx, 0, s, n - 5, false);
	ASSERT_EQ(0, tcpc_rxmap_next_frame(&rx, &f));
	/* a FINp frame followed by anything is refused before assignment */
	ASSERT_EQ(-EPROTO, tcpc_rxmap_auth_ok(&rx, f, 3, true));
	ASSERT_EQ(0, tcpc_rxmap_app_nxt(&rx));
	/* the bytes come after the FINp frame was accepted */
	setup(&rx, false, 256);
	tcpc_rxmap_segment(&rx, 0, s, OVH + 3, false);
	ASSERT_EQ(0, tcpc_rxmap_next_frame(&rx, &f));
	ASSERT_EQ(0, tcpc_rxmap_auth_ok(&rx, f, 3, true));
	ASSERT_EQ(-EPROTO, tcpc_rxmap_segment(&rx, OVH + 3, s, 1, false));
}

TEST(ring_and_sequence_wrap)
{
	struct tcpc_rxmap_cfg cfg = {
		.app_isn = 0xfffffff0U, .wire_isn = 0xffffffe0U,
		.min_clen = MIN_CLEN,
	};
	struct tcpc_rxspan sp[2];
	struct tcpc_rxframe *f;
	struct tcpc_rxmap rx;
	u8 s[64], out[64];
	u64 off, w, pos = 0;
	u32 n, i;

	ASSERT_EQ(0, tcpc_rxmap_init(&rx, &cfg, ring, 64, recs, 8));
	/* frames of 27 bytes walk around a 64-byte ring */
	for (i = 0; i < 20; i++) {
		n = make_frame(s, 7, i);
		ASSERT_EQ(0, tcpc_rxmap_wire_off(&rx, tcpc_rxmap_wire_seq(&rx,
								   pos), &off));
		ASSERT_EQ(pos, off);
		ASSERT_LE(0, tcpc_rxmap_segment(&rx, off, s, n, false));
		ASSERT_EQ(0, tcpc_rxmap_next_frame(&rx, &f));
		ASSERT_LE(1, tcpc_rxmap_spans(&rx, f->wire_off, n, sp));
		memcpy(out, sp[0].data, sp[0].len);
		if (sp[0].len < n)
			memcpy(out + sp[0].len, sp[1].data, sp[1].len);
		ASSERT_EQ(0, memcmp(s, out, n));
		ASSERT_EQ(0, tcpc_rxmap_auth_ok(&rx, f, 7, false));
		ASSERT_EQ(0, tcpc_rxmap_app_off(&rx, tcpc_rxmap_app_seq(&rx,
								f->app_off + 7),
						&off));
		ASSERT_EQ(0, tcpc_rxmap_app_ack(&rx, off, &w));
		pos += n;
		ASSERT_EQ(pos, w);
	}
	ASSERT_EQ(0x1fdU, tcpc_rxmap_wire_seq(&rx, pos));
}

TEST_HARNESS_MAIN
