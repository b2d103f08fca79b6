// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The outbound map (kmod/proto/txmap.c) and the sequence helpers (seq.h):
 * framing of new data, the wire bytes of retransmitted app ranges, ACK
 * and SACK translation, FIN and empty frames, ISNs near 2^32, and a
 * randomized comparison of every mapping with a byte-by-byte model of the
 * ownership rule stated in txmap.h.
 */
#include <stdlib.h>

/* TEST() and the harness's signal handler leave parameters unused */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"

#include "seq.h"
#include "txmap.h"

#define PFX	4
#define TAG	16
#define OVH	(PFX + TAG)

static struct tcpc_txframe ring[64];

static void setup(struct tcpc_txmap *tx, u32 init_len, u32 cap)
{
	struct tcpc_txmap_cfg cfg = {
		.app_isn = 1000, .wire_isn = 5000, .init_len = init_len,
		.max_data = 65518, .prefix_len = PFX, .tag_len = TAG,
	};

	if (tcpc_txmap_init(tx, &cfg, ring, cap))
		abort();
}

/* Send app bytes [a, a + len) (and FIN) as the local TCP would */
static struct tcpc_txseg send_seg(struct tcpc_txmap *tx, u64 a, u32 len,
				  bool fin, int *err)
{
	struct tcpc_txseg seg;

	*err = tcpc_txmap_segment(tx, a, len, fin, tx->gen, &seg);
	return seg;
}

TEST(seq_helpers_wrap)
{
	u64 off;

	ASSERT_TRUE(tcpc_seq_before(0xfffffff0U, 0x10));
	ASSERT_TRUE(tcpc_seq_after(0x10, 0xfffffff0U));
	ASSERT_FALSE(tcpc_seq_before(5, 5));
	ASSERT_FALSE(tcpc_seq_after(5, 5));
	/* ISN just below 2^32: offset 0 is sequence number isn + 1 */
	ASSERT_EQ(0xffffffffU, tcpc_off_to_seq(0xfffffffeU, 0));
	ASSERT_EQ(0U, tcpc_off_to_seq(0xfffffffeU, 1));
	ASSERT_EQ(0, tcpc_seq_to_off(0xfffffffeU, 0, 0x10, &off));
	ASSERT_EQ(17, off);
	/* far into the stream, beyond 2^32 bytes, with a wrapped number */
	ASSERT_EQ(0, tcpc_seq_to_off(7, 0x500000000ULL, 7 + 1 + 0x10, &off));
	ASSERT_EQ(0x500000010ULL, off);
	ASSERT_EQ(0, tcpc_seq_to_off(7, 0x500000000ULL, 7 + 1 - 0x10, &off));
	ASSERT_EQ(0x4fffffff0ULL, off);
	/* before ISN + 1: no offset */
	ASSERT_EQ(-ERANGE, tcpc_seq_to_off(7, 0, 7, &off));
	ASSERT_EQ(-ERANGE, tcpc_seq_to_off(0xffffffffU, 3, 0xffffffffU, &off));
}

TEST(init_rejects_bad_config)
{
	struct tcpc_txmap_cfg cfg = {
		.max_data = 100, .prefix_len = PFX, .tag_len = TAG,
	};
	struct tcpc_txmap tx;

	ASSERT_EQ(0, tcpc_txmap_init(&tx, &cfg, ring, 64));
	ASSERT_EQ(-EINVAL, tcpc_txmap_init(&tx, &cfg, ring, 0));
	ASSERT_EQ(-EINVAL, tcpc_txmap_init(&tx, &cfg, ring, 48));
	cfg.tag_len = 17;
	ASSERT_EQ(-EINVAL, tcpc_txmap_init(&tx, &cfg, ring, 64));
	cfg.tag_len = TAG;
	cfg.prefix_len = 0;
	ASSERT_EQ(-EINVAL, tcpc_txmap_init(&tx, &cfg, ring, 64));
	cfg.prefix_len = PFX;
	cfg.max_data = 0;
	ASSERT_EQ(-EINVAL, tcpc_txmap_init(&tx, &cfg, ring, 64));
}

TEST(push_lays_frames_back_to_back)
{
	struct tcpc_txframe *f;
	struct tcpc_txmap tx;

	setup(&tx, 75, 4);
	ASSERT_EQ(0, tcpc_txmap_push(&tx, 0, 100, false, 0, &f));
	ASSERT_EQ(75, f->wire_off);
	ASSERT_EQ(0, f->flags);
	ASSERT_EQ(0, tcpc_txmap_push(&tx, 100, 1, false, 1, &f));
	ASSERT_EQ(75 + 120, f->wire_off);
	ASSERT_EQ(TCPC_TXF_REKEY, f->flags);
	ASSERT_EQ(1, f->gen);
	ASSERT_EQ(0, tcpc_txmap_push(&tx, 101, 9, false, 1, &f));
	ASSERT_EQ(0, f->flags);
	ASSERT_EQ(110, tx.app_end);
	ASSERT_EQ(75 + 110 + 3 * OVH, tx.wire_end);
	/* not at the end of the framed data, generation skipped, too big */
	ASSERT_EQ(-EINVAL, tcpc_txmap_push(&tx, 100, 1, false, 1, &f));
	ASSERT_EQ(-EINVAL, tcpc_txmap_push(&tx, 110, 1, false, 3, &f));
	ASSERT_EQ(-EMSGSIZE, tcpc_txmap_push(&tx, 110, 65519, false, 1, &f));
	ASSERT_EQ(0, tcpc_txmap_push(&tx, 110, 65518, true, 1, &f));
	ASSERT_EQ(TCPC_TXF_FIN, f->flags);
	tcpc_txmap_seal(&tx, f, (const u8 *)"0123456789abcdefXYZ");
	ASSERT_EQ(TCPC_TXF_FIN | TCPC_TXF_SEALED, f->flags);
	ASSERT_EQ(0, memcmp(f->tag, "0123456789abcdef", TAG));
	/* ring full, and nothing after the FIN anyway */
	ASSERT_EQ(-EINVAL, tcpc_txmap_push(&tx, 110 + 65518, 1, false, 1, &f));
	ASSERT_EQ(4, tx.count);
}

TEST(init_is_resent_by_the_module_until_acked)
{
	struct tcpc_txmap tx;
	struct tcpc_range r;
	int err;
	u64 a;

	setup(&tx, 75, 8);
	ASSERT_TRUE(tcpc_txmap_unowned(&tx, &r));
	ASSERT_EQ(0, r.start);
	ASSERT_EQ(75, r.end);
	send_seg(&tx, 0, 10, false, &err);
	/* app byte 0 does not own the Init: the local TCP never resends it */
	ASSERT_EQ(75, send_seg(&tx, 0, 10, false, &err).wire_off);
	ASSERT_EQ(TCPC_TXACK_WIRE_MOVED, tcpc_txmap_ack(&tx, 40, &a));
	ASSERT_EQ(0, a);
	ASSERT_TRUE(tcpc_txmap_unowned(&tx, &r));
	ASSERT_EQ(40, r.start);
	ASSERT_EQ(TCPC_TXACK_WIRE_MOVED, tcpc_txmap_ack(&tx, 75, &a));
	ASSERT_EQ(0, a);
	ASSERT_FALSE(tcpc_txmap_unowned(&tx, &r));
}

TEST(ring_full_then_freed_by_ack)
{
	struct tcpc_txframe *f;
	struct tcpc_txmap tx;
	u64 a;

	setup(&tx, 0, 2);
	ASSERT_EQ(0, tcpc_txmap_push(&tx, 0, 10, false, 0, &f));
	ASSERT_EQ(0, tcpc_txmap_push(&tx, 10, 10, false, 0, &f));
	ASSERT_EQ(-ENOBUFS, tcpc_txmap_push(&tx, 20, 10, false, 0, &f));
	ASSERT_EQ(TCPC_TXACK_WIRE_MOVED | TCPC_TXACK_APP_MOVED,
		  tcpc_txmap_ack(&tx, 30, &a));
	ASSERT_EQ(10, a);
	ASSERT_EQ(1, tx.count);
	ASSERT_EQ(0, tcpc_txmap_push(&tx, 20, 10, false, 0, &f));
	ASSERT_EQ(60, f->wire_off);
}

TEST(unpush_restores_everything)
{
	struct tcpc_txframe *f, *g;
	struct tcpc_txmap tx, before;

	setup(&tx, 10, 8);
	ASSERT_EQ(0, tcpc_txmap_push(&tx, 0, 10, false, 0, &f));
	ASSERT_EQ(0, tcpc_txmap_push(&tx, 10, 0, false, 0, &f));
	before = tx;
	ASSERT_EQ(0, tcpc_txmap_push(&tx, 10, 5, true, 1, &g));
	ASSERT_EQ(-EINVAL, tcpc_txmap_unpush(&tx, f));
	ASSERT_EQ(0, tcpc_txmap_unpush(&tx, g));
	ASSERT_EQ(0, memcmp(&before, &tx, sizeof(tx)));
	ASSERT_EQ(0, tcpc_txmap_push(&tx, 10, 7, false, 1, &g));
	ASSERT_EQ(TCPC_TXF_REKEY, g->flags);
	ASSERT_EQ(20, g->lead);
}

TEST(retransmission_maps_to_owned_wire_bytes)
{
	struct tcpc_txmap tx;
	struct tcpc_txseg seg;
	int err;

	/* frames: [0, 100) at wire 50, [100, 150) at wire 170 */
	setup(&tx, 50, 8);
	seg = send_seg(&tx, 0, 100, false, &err);
	ASSERT_EQ(0, err);
	ASSERT_NE(NULL, seg.new_frame);
	ASSERT_EQ(50, seg.wire_off);
	ASSERT_EQ(120, seg.wire_len);
	seg = send_seg(&tx, 100, 50, false, &err);
	ASSERT_EQ(170, seg.wire_off);
	ASSERT_EQ(70, seg.wire_len);
	/* the middle of a frame: its ciphertext bytes only */
	seg = send_seg(&tx, 10, 10, false, &err);
	ASSERT_EQ(0, err);
	ASSERT_EQ(NULL, seg.new_frame);
	ASSERT_EQ(50 + PFX + 10, seg.wire_off);
	ASSERT_EQ(10, seg.wire_len);
	/* the first byte brings the prefix */
	seg = send_seg(&tx, 0, 10, false, &err);
	ASSERT_EQ(50, seg.wire_off);
	ASSERT_EQ(PFX + 10, seg.wire_len);
	/* the last byte brings the tag */
	seg = send_seg(&tx, 90, 10, false, &err);
	ASSERT_EQ(50 + PFX + 90, seg.wire_off);
	ASSERT_EQ(10 + TAG, seg.wire_len);
	/* across the boundary: tag, then the next frame's prefix */
	seg = send_seg(&tx, 99, 2, false, &err);
	ASSERT_EQ(50 + PFX + 99, seg.wire_off);
	ASSERT_EQ(1 + TAG + PFX + 1, seg.wire_len);
	/* old bytes coalesced with new ones: only the new part is framed */
	seg = send_seg(&tx, 140, 30, false, &err);
	ASSERT_EQ(0, err);
	ASSERT_NE(NULL, seg.new_frame);
	ASSERT_EQ(150, seg.new_frame->app_off);
	ASSERT_EQ(20, seg.new_frame->dlen);
	ASSERT_EQ(170 + PFX + 40, seg.wire_off);
	ASSERT_EQ(10 + TAG + OVH + 20, seg.wire_len);
	/* a gap: new data beyond data never framed */
	seg = send_seg(&tx, 171, 5, false, &err);
	ASSERT_EQ(-EAGAIN, err);
	ASSERT_EQ(170, tx.app_end);
}

TEST(pieces_name_prefix_data_and_tag)
{
	struct tcpc_txpiece p;
	struct tcpc_txiter it;
	struct tcpc_txmap tx;
	struct tcpc_txseg seg;
	int err;

	setup(&tx, 8, 8);
	send_seg(&tx, 0, 30, false, &err);
	send_seg(&tx, 30, 30, false, &err);
	seg = send_seg(&tx, 25, 10, false, &err);
	ASSERT_EQ(0, tcpc_txmap_iter_init(&it, &tx, seg.wire_off,
					  seg.wire_off + seg.wire_len));
	ASSERT_TRUE(tcpc_txmap_iter_next(&it, &p));
	ASSERT_EQ(TCPC_TXP_DATA, p.kind);
	ASSERT_EQ(25, p.off);
	ASSERT_EQ(25, p.app_off);
	ASSERT_EQ(5, p.len);
	ASSERT_EQ(8 + PFX + 25, p.wire_off);
	ASSERT_TRUE(tcpc_txmap_iter_next(&it, &p));
	ASSERT_EQ(TCPC_TXP_TAG, p.kind);
	ASSERT_EQ(0, p.off);
	ASSERT_EQ(TAG, p.len);
	ASSERT_TRUE(tcpc_txmap_iter_next(&it, &p));
	ASSERT_EQ(TCPC_TXP_PREFIX, p.kind);
	ASSERT_EQ(PFX, p.len);
	ASSERT_EQ(30, p.frame->app_off);
	ASSERT_TRUE(tcpc_txmap_iter_next(&it, &p));
	ASSERT_EQ(TCPC_TXP_DATA, p.kind);
	ASSERT_EQ(0, p.off);
	ASSERT_EQ(30, p.app_off);
	ASSERT_EQ(5, p.len);
	ASSERT_FALSE(tcpc_txmap_iter_next(&it, &p));
	/* any byte range can be walked: Init, then part of a prefix */
	ASSERT_EQ(0, tcpc_txmap_iter_init(&it, &tx, 6, 10));
	ASSERT_TRUE(tcpc_txmap_iter_next(&it, &p));
	ASSERT_EQ(TCPC_TXP_INIT, p.kind);
	ASSERT_EQ(6, p.off);
	ASSERT_EQ(2, p.len);
	ASSERT_EQ(NULL, p.frame);
	ASSERT_TRUE(tcpc_txmap_iter_next(&it, &p));
	ASSERT_EQ(TCPC_TXP_PREFIX, p.kind);
	ASSERT_EQ(0, p.off);
	ASSERT_EQ(2, p.len);
	ASSERT_FALSE(tcpc_txmap_iter_next(&it, &p));
	/* nothing beyond what was framed, nothing below the ACK */
	ASSERT_EQ(-ERANGE, tcpc_txmap_iter_init(&it, &tx, 0, tx.wire_end + 1));
	ASSERT_EQ(0, tcpc_txmap_ack(&tx, 0, &(u64){0}));
	ASSERT_EQ(TCPC_TXACK_WIRE_MOVED, tcpc_txmap_ack(&tx, 5, &(u64){0}));
	ASSERT_EQ(-ERANGE, tcpc_txmap_iter_init(&it, &tx, 4, 10));
}

TEST(ack_waits_for_prefix_and_tag)
{
	struct tcpc_txmap tx;
	int err;
	u64 a;

	/* frame [0, 100) at wire 50..170 */
	setup(&tx, 50, 8);
	send_seg(&tx, 0, 100, false, &err);
	send_seg(&tx, 100, 10, false, &err);
	ASSERT_EQ(TCPC_TXACK_WIRE_MOVED, tcpc_txmap_ack(&tx, 30, &a));
	ASSERT_EQ(0, a);
	ASSERT_EQ(TCPC_TXACK_WIRE_MOVED, tcpc_txmap_ack(&tx, 54, &a));
	ASSERT_EQ(0, a);
	ASSERT_EQ(TCPC_TXACK_WIRE_MOVED | TCPC_TXACK_APP_MOVED,
		  tcpc_txmap_ack(&tx, 55, &a));
	ASSERT_EQ(1, a);
	/* all data but no tag: the last byte is not acknowledged */
	ASSERT_EQ(TCPC_TXACK_WIRE_MOVED | TCPC_TXACK_APP_MOVED,
		  tcpc_txmap_ack(&tx, 154, &a));
	ASSERT_EQ(99, a);
	ASSERT_EQ(TCPC_TXACK_WIRE_MOVED, tcpc_txmap_ack(&tx, 169, &a));
	ASSERT_EQ(99, a);
	ASSERT_EQ(2, tx.count);
	ASSERT_EQ(0, tcpc_txmap_ack(&tx, 169, &a));
	ASSERT_EQ(99, a);
	ASSERT_EQ(TCPC_TXACK_OLD, tcpc_txmap_ack(&tx, 100, &a));
	ASSERT_EQ(99, a);
	ASSERT_EQ(TCPC_TXACK_WIRE_MOVED | TCPC_TXACK_APP_MOVED,
		  tcpc_txmap_ack(&tx, 170, &a));
	ASSERT_EQ(100, a);
	ASSERT_EQ(1, tx.count);
	ASSERT_EQ(-ERANGE, tcpc_txmap_ack(&tx, tx.wire_end + 1, &a));
	ASSERT_EQ(TCPC_TXACK_WIRE_MOVED | TCPC_TXACK_APP_MOVED,
		  tcpc_txmap_ack(&tx, tx.wire_end, &a));
	ASSERT_EQ(110, a);
	ASSERT_EQ(0, tx.count);
	/* a retransmission of acknowledged bytes sends nothing */
	ASSERT_EQ(0, send_seg(&tx, 0, 110, false, &err).wire_len);
	ASSERT_EQ(0, err);
}

TEST(partly_acked_frame_retransmits_from_the_middle)
{
	struct tcpc_txmap tx;
	struct tcpc_txseg seg;
	int err;
	u64 a;

	setup(&tx, 0, 8);
	send_seg(&tx, 0, 100, false, &err);
	ASSERT_EQ(TCPC_TXACK_WIRE_MOVED | TCPC_TXACK_APP_MOVED,
		  tcpc_txmap_ack(&tx, PFX + 40, &a));
	ASSERT_EQ(40, a);
	/* the local TCP retransmits from its new snd_una */
	seg = send_seg(&tx, 40, 60, false, &err);
	ASSERT_EQ(PFX + 40, seg.wire_off);
	ASSERT_EQ(60 + TAG, seg.wire_len);
	/* a stale retransmission from before the ACK is cut at the ACK */
	seg = send_seg(&tx, 0, 100, false, &err);
	ASSERT_EQ(PFX + 40, seg.wire_off);
	/* ACK inside the tag: everything but the last byte */
	ASSERT_EQ(TCPC_TXACK_WIRE_MOVED | TCPC_TXACK_APP_MOVED,
		  tcpc_txmap_ack(&tx, PFX + 100 + 3, &a));
	ASSERT_EQ(99, a);
	seg = send_seg(&tx, 99, 1, false, &err);
	ASSERT_EQ(PFX + 100 + 3, seg.wire_off);
	ASSERT_EQ(TAG - 3, seg.wire_len);
}

TEST(sack_covers_whole_app_bytes_only)
{
	struct tcpc_range r;
	struct tcpc_txmap tx;
	int err;

	/* frames [0,10) wire 0..30, [10,20) 30..60, [20,30) 60..90 */
	setup(&tx, 0, 8);
	send_seg(&tx, 0, 10, false, &err);
	send_seg(&tx, 10, 10, false, &err);
	send_seg(&tx, 20, 10, false, &err);
	ASSERT_EQ(0, tcpc_txmap_sack(&tx, 30, 60, &r));
	ASSERT_EQ(10, r.start);
	ASSERT_EQ(20, r.end);
	ASSERT_EQ(0, tcpc_txmap_sack(&tx, 30, 90, &r));
	ASSERT_EQ(30, r.end);
	/* a block that starts after the prefix loses the first byte */
	ASSERT_EQ(0, tcpc_txmap_sack(&tx, 31, 60, &r));
	ASSERT_EQ(11, r.start);
	ASSERT_EQ(0, tcpc_txmap_sack(&tx, 38, 60, &r));
	ASSERT_EQ(14, r.start);
	/* one that misses part of the tag loses the last byte */
	ASSERT_EQ(0, tcpc_txmap_sack(&tx, 30, 59, &r));
	ASSERT_EQ(19, r.end);
	/* tag and prefix only: no whole byte */
	ASSERT_EQ(-ENOENT, tcpc_txmap_sack(&tx, 44, 64, &r));
	ASSERT_EQ(-ERANGE, tcpc_txmap_sack(&tx, 60, 91, &r));
	ASSERT_EQ(-ERANGE, tcpc_txmap_sack(&tx, 60, 60, &r));
	ASSERT_EQ(TCPC_TXACK_WIRE_MOVED | TCPC_TXACK_APP_MOVED,
		  tcpc_txmap_ack(&tx, 60, &(u64){0}));
	/* below the cumulative ACK (a D-SACK) */
	ASSERT_EQ(-ENOENT, tcpc_txmap_sack(&tx, 30, 60, &r));
	ASSERT_EQ(0, tcpc_txmap_sack(&tx, 30, 90, &r));
	ASSERT_EQ(20, r.start);
	ASSERT_EQ(30, r.end);
}

TEST(fin_rides_on_the_last_frame)
{
	struct tcpc_txmap tx;
	struct tcpc_txseg seg;
	int err;
	u64 a;

	setup(&tx, 0, 8);
	send_seg(&tx, 0, 10, false, &err);
	seg = send_seg(&tx, 10, 10, true, &err);
	ASSERT_EQ(0, err);
	ASSERT_TRUE(seg.fin);
	ASSERT_EQ(TCPC_TXF_FIN, seg.new_frame->flags);
	ASSERT_EQ(30, seg.wire_off);
	ASSERT_EQ(30, seg.wire_len);
	ASSERT_EQ(61, tcpc_txmap_wire_nxt(&tx));
	/* data after the FIN, FIN before the end */
	send_seg(&tx, 20, 1, false, &err);
	ASSERT_EQ(-EINVAL, err);
	send_seg(&tx, 0, 10, true, &err);
	ASSERT_EQ(-EINVAL, err);
	/* the wire FIN acknowledged: the app FIN too */
	ASSERT_EQ(TCPC_TXACK_WIRE_MOVED | TCPC_TXACK_APP_MOVED,
		  tcpc_txmap_ack(&tx, 60, &a));
	ASSERT_EQ(20, a);
	seg = send_seg(&tx, 20, 0, true, &err);
	ASSERT_EQ(0, err);
	ASSERT_TRUE(seg.fin);
	ASSERT_EQ(60, seg.wire_off);
	ASSERT_EQ(0, seg.wire_len);
	ASSERT_EQ(TCPC_TXACK_WIRE_MOVED | TCPC_TXACK_APP_MOVED,
		  tcpc_txmap_ack(&tx, 61, &a));
	ASSERT_EQ(21, a);
	seg = send_seg(&tx, 20, 0, true, &err);
	ASSERT_FALSE(seg.fin);
}

TEST(lone_fin_becomes_an_empty_frame)
{
	struct tcpc_range r;
	struct tcpc_txmap tx;
	struct tcpc_txseg seg;
	int err;
	u64 a;

	setup(&tx, 0, 8);
	send_seg(&tx, 0, 10, false, &err);
	seg = send_seg(&tx, 10, 0, true, &err);
	ASSERT_EQ(0, err);
	ASSERT_NE(NULL, seg.new_frame);
	ASSERT_EQ(0, seg.new_frame->dlen);
	ASSERT_EQ(TCPC_TXF_FIN, seg.new_frame->flags);
	ASSERT_EQ(30, seg.wire_off);
	ASSERT_EQ(OVH, seg.wire_len);
	ASSERT_TRUE(seg.fin);
	/* the FIN's retransmission brings its frame again */
	seg = send_seg(&tx, 10, 0, true, &err);
	ASSERT_EQ(NULL, seg.new_frame);
	ASSERT_EQ(30, seg.wire_off);
	ASSERT_EQ(OVH, seg.wire_len);
	seg = send_seg(&tx, 5, 5, true, &err);
	ASSERT_EQ(PFX + 5, seg.wire_off);
	ASSERT_EQ(5 + TAG + OVH, seg.wire_len);
	/* the app FIN is SACKed with the frame and the wire FIN only */
	ASSERT_EQ(-ENOENT, tcpc_txmap_sack(&tx, 30, 50, &r));
	ASSERT_EQ(0, tcpc_txmap_sack(&tx, 30, 51, &r));
	ASSERT_EQ(10, r.start);
	ASSERT_EQ(11, r.end);
	ASSERT_EQ(TCPC_TXACK_WIRE_MOVED | TCPC_TXACK_APP_MOVED,
		  tcpc_txmap_ack(&tx, 50, &a));
	ASSERT_EQ(10, a);
	ASSERT_EQ(TCPC_TXACK_WIRE_MOVED | TCPC_TXACK_APP_MOVED,
		  tcpc_txmap_ack(&tx, 51, &a));
	ASSERT_EQ(11, a);
}

TEST(empty_frames_belong_to_the_next_byte)
{
	struct tcpc_txframe *f;
	struct tcpc_range r;
	struct tcpc_txmap tx;
	struct tcpc_txseg seg;
	int err;
	u64 a;

	/* data [0,10) 0..30, empty 30..50, empty 50..70 */
	setup(&tx, 0, 8);
	send_seg(&tx, 0, 10, false, &err);
	ASSERT_EQ(0, tcpc_txmap_push(&tx, 10, 0, false, 1, &f));
	ASSERT_EQ(TCPC_TXF_REKEY, f->flags);
	ASSERT_EQ(0, tcpc_txmap_push(&tx, 10, 0, false, 1, &f));
	/* nobody owns them yet: the caller's timer resends them */
	ASSERT_TRUE(tcpc_txmap_unowned(&tx, &r));
	ASSERT_EQ(30, r.start);
	ASSERT_EQ(70, r.end);
	/* the tail of the app stream carries them along */
	seg = send_seg(&tx, 5, 5, false, &err);
	ASSERT_EQ(PFX + 5, seg.wire_off);
	ASSERT_EQ(5 + TAG + 2 * OVH, seg.wire_len);
	/* new data [10,20) at 70..100 takes them over */
	seg = send_seg(&tx, 10, 10, false, &err);
	ASSERT_EQ(40, seg.new_frame->lead);
	ASSERT_EQ(70, seg.wire_off);
	ASSERT_EQ(30, seg.wire_len);
	ASSERT_FALSE(tcpc_txmap_unowned(&tx, &r));
	seg = send_seg(&tx, 10, 1, false, &err);
	ASSERT_EQ(30, seg.wire_off);
	ASSERT_EQ(2 * OVH + PFX + 1, seg.wire_len);
	/* acknowledging them moves the wire ACK, not the app ACK */
	ASSERT_EQ(TCPC_TXACK_WIRE_MOVED | TCPC_TXACK_APP_MOVED,
		  tcpc_txmap_ack(&tx, 30, &a));
	ASSERT_EQ(10, a);
	ASSERT_EQ(TCPC_TXACK_WIRE_MOVED, tcpc_txmap_ack(&tx, 60, &a));
	ASSERT_EQ(10, a);
	ASSERT_EQ(2, tx.count);
	seg = send_seg(&tx, 10, 1, false, &err);
	ASSERT_EQ(60, seg.wire_off);
	/* a SACK block must hold the whole run to cover byte 10 */
	ASSERT_EQ(0, tcpc_txmap_sack(&tx, 60, 100, &r));
	ASSERT_EQ(11, r.start);
	ASSERT_EQ(0, tcpc_txmap_app_to_wire(&tx, 10, &a));
	ASSERT_EQ(60, a);
}

TEST(translation_of_any_sequence_number)
{
	struct tcpc_txmap tx;
	int err;
	u64 x;

	setup(&tx, 0, 8);
	send_seg(&tx, 0, 10, false, &err);
	send_seg(&tx, 10, 10, false, &err);
	ASSERT_EQ(0, tcpc_txmap_app_to_wire(&tx, 0, &x));
	ASSERT_EQ(0, x);
	ASSERT_EQ(0, tcpc_txmap_app_to_wire(&tx, 12, &x));
	ASSERT_EQ(30 + PFX + 2, x);
	/* snd_nxt, as in a pure ACK */
	ASSERT_EQ(0, tcpc_txmap_app_to_wire(&tx, 20, &x));
	ASSERT_EQ(60, x);
	ASSERT_EQ(-ERANGE, tcpc_txmap_app_to_wire(&tx, 21, &x));
	ASSERT_EQ(0, tcpc_txmap_wire_to_app(&tx, 33, false, &x));
	ASSERT_EQ(10, x);
	ASSERT_EQ(0, tcpc_txmap_wire_to_app(&tx, 33, true, &x));
	ASSERT_EQ(11, x);
	ASSERT_EQ(0, tcpc_txmap_wire_to_app(&tx, 30, true, &x));
	ASSERT_EQ(10, x);
	ASSERT_EQ(0, tcpc_txmap_wire_to_app(&tx, 60, false, &x));
	ASSERT_EQ(20, x);
	ASSERT_EQ(-ERANGE, tcpc_txmap_wire_to_app(&tx, 61, false, &x));
	ASSERT_EQ(TCPC_TXACK_WIRE_MOVED | TCPC_TXACK_APP_MOVED,
		  tcpc_txmap_ack(&tx, 35, &x));
	ASSERT_EQ(11, x);
	/* a window probe, one byte below snd_una */
	ASSERT_EQ(0, tcpc_txmap_app_to_wire(&tx, 10, &x));
	ASSERT_EQ(34, x);
	ASSERT_EQ(-ERANGE, tcpc_txmap_wire_to_app(&tx, 34, false, &x));
}

TEST(isn_near_wrap)
{
	struct tcpc_txmap_cfg cfg = {
		.app_isn = 0xfffffff0U, .wire_isn = 0xffffff00U, .init_len = 200,
		.max_data = 1000, .prefix_len = PFX, .tag_len = TAG,
	};
	struct tcpc_txmap tx;
	struct tcpc_txseg seg;
	u64 off, a;

	ASSERT_EQ(0, tcpc_txmap_init(&tx, &cfg, ring, 8));
	/* the local TCP's first data byte carries seq isn + 1 */
	ASSERT_EQ(0, tcpc_txmap_app_off(&tx, 0xfffffff1U, &off));
	ASSERT_EQ(0, off);
	ASSERT_EQ(0, tcpc_txmap_segment(&tx, off, 100, false, 0, &seg));
	ASSERT_EQ(0, tcpc_txmap_app_off(&tx, 0xfffffff1U + 100, &off));
	ASSERT_EQ(100, off);
	ASSERT_EQ(0x55U, tcpc_txmap_app_seq(&tx, 100));
	ASSERT_EQ(0, tcpc_txmap_segment(&tx, off, 100, false, 0, &seg));
	/* the wire sequence numbers wrapped inside the Init */
	ASSERT_EQ(0xffffff01U + 200 + 120, tcpc_txmap_wire_seq(&tx, seg.wire_off));
	ASSERT_EQ(0, tcpc_txmap_wire_off(&tx, 0xffffff01U + 320 + 5, &off));
	ASSERT_EQ(325, off);
	ASSERT_EQ(TCPC_TXACK_WIRE_MOVED | TCPC_TXACK_APP_MOVED,
		  tcpc_txmap_ack(&tx, off, &a));
	ASSERT_EQ(101, a);
	ASSERT_EQ(0x56U, tcpc_txmap_app_seq(&tx, a));
	/* an ACK number from before the SYN is no offset at all */
	ASSERT_EQ(-ERANGE, tcpc_txmap_wire_off(&tx, 0xffffff00U - 5, &off));
}

/*
 * The model: which app position owns each wire byte, built from the
 * records as they are pushed, and the mappings derived from it by brute
 * force. Position app_end is the FIN (or the next byte, if none yet).
 */
#define MWIRE	20000
#define MAPP	4000

struct model {
	long owner[MWIRE];	/* -1: Init, or no owner yet */
	long ws[MAPP + 2];
	long we[MAPP + 2];
};

static void model_build(struct model *m, const struct tcpc_txmap *tx,
			const struct tcpc_txframe *all, u32 n)
{
	u64 w, x, pending = tx->cfg.init_len;
	u32 i;

	for (w = 0; w < tx->wire_end; w++)
		m->owner[w] = -1;
	for (i = 0; i < n; i++) {
		const struct tcpc_txframe *f = &all[i];
		u64 end = f->wire_off + PFX + f->dlen + TAG;

		if (!f->dlen && !(f->flags & TCPC_TXF_FIN))
			continue;	/* owned later, by the next position */
		x = f->app_off;
		for (w = pending; w < f->wire_off + PFX; w++)
			m->owner[w] = x;
		for (w = f->wire_off + PFX; w < end; w++) {
			if (f->dlen)
				x = f->app_off + tcpc_min_u64(w - f->wire_off -
							      PFX, f->dlen - 1);
			m->owner[w] = x;
		}
		pending = end;
	}
	for (x = 0; x <= tx->app_end + 1; x++)
		m->ws[x] = m->we[x] = -1;
	for (w = 0; w < tx->wire_end; w++) {
		if (m->owner[w] < 0)
			continue;
		if (m->ws[m->owner[w]] < 0)
			m->ws[m->owner[w]] = w;
		m->we[m->owner[w]] = w + 1;
	}
	/* the FIN position also owns the wire FIN; a future one, the tail */
	if (tx->fin) {
		if (m->ws[tx->app_end] < 0)
			m->ws[tx->app_end] = tx->wire_end;
		m->we[tx->app_end] = tx->wire_end + 1;
	} else {
		m->ws[tx->app_end] = tx->owner_end;
	}
}

/* Brute force from position x (0, or a known lower bound) upwards */
static u64 model_floor_from(const struct model *m, const struct tcpc_txmap *tx,
			    u64 w, u64 x)
{
	while (x < tcpc_txmap_app_nxt(tx) && (u64)m->we[x] <= w)
		x++;
	return x;
}

static u64 model_ceil_from(const struct model *m, const struct tcpc_txmap *tx,
			   u64 w, u64 x)
{
	while (x <= tx->app_end && (u64)m->ws[x] < w)
		x++;
	return x;
}

static u64 model_floor(const struct model *m, const struct tcpc_txmap *tx,
		       u64 w)
{
	return model_floor_from(m, tx, w, 0);
}

static u64 model_ceil(const struct model *m, const struct tcpc_txmap *tx,
		      u64 w)
{
	return model_ceil_from(m, tx, w, 0);
}

static void check_against_model(struct __test_metadata *_metadata,
				 struct tcpc_txmap *tx, struct model *m)
{
	u64 w, x, a, b, ws, we, fl = 0, ce = 0;
	struct tcpc_range r;
	struct tcpc_txseg seg;
	int err;

	/* both mappings are monotonic: walk the model along */
	for (w = tx->wire_una; w <= tcpc_txmap_wire_nxt(tx); w++) {
		fl = model_floor_from(m, tx, w, fl);
		ce = model_ceil_from(m, tx, w, ce);
		ASSERT_EQ(0, tcpc_txmap_wire_to_app(tx, w, false, &x));
		ASSERT_EQ(fl, x);
		ASSERT_EQ(0, tcpc_txmap_wire_to_app(tx, w, true, &x));
		ASSERT_EQ(ce, x);
	}
	for (x = tx->app_una; x < tx->app_end; x++) {
		ASSERT_EQ(0, tcpc_txmap_app_to_wire(tx, x, &w));
		ASSERT_EQ(tcpc_max_u64(m->ws[x], tx->wire_una), w);
	}
	/* a random app range and SACK block */
	a = tx->app_una + rand() % (tx->app_end - tx->app_una + 1);
	b = a + rand() % (tx->app_end - a + 1);
	if (b > a) {
		seg = send_seg(tx, a, (u32)(b - a), false, &err);
		ASSERT_EQ(0, err);
		ws = tcpc_max_u64(m->ws[tcpc_max_u64(a, tx->app_una)],
				  tx->wire_una);
		we = b == tx->app_end ? tx->wire_end : (u64)m->we[b - 1];
		ASSERT_EQ(ws, seg.wire_off);
		ASSERT_EQ(we - ws, seg.wire_len);
	}
	ws = tx->wire_una + rand() % (tx->wire_end - tx->wire_una + 1);
	we = ws + 1 + rand() % (tcpc_txmap_wire_nxt(tx) - ws + 1);
	if (we > tcpc_txmap_wire_nxt(tx))
		return;
	err = tcpc_txmap_sack(tx, ws, we, &r);
	a = model_ceil(m, tx, ws);
	b = model_floor(m, tx, we);
	if (a < b) {
		ASSERT_EQ(0, err);
		ASSERT_EQ(a, r.start);
		ASSERT_EQ(b, r.end);
	} else {
		ASSERT_EQ(-ENOENT, err);
	}
}

TEST(random_histories_match_the_model)
{
	static struct tcpc_txframe all[MAPP];
	static struct model m;
	struct tcpc_txframe *f;
	struct tcpc_txmap tx;
	u32 n, run, step;
	u64 app_ack, w;
	int r;

	srand(20240601);
	for (run = 0; run < 500; run++) {
		setup(&tx, rand() % 3 ? rand() % 100 : 0, 64);
		n = 0;
		for (step = 0; step < 64 && !tx.fin; step++) {
			u32 len = rand() % 4 ? 1 + rand() % 40 : 0;
			bool fin = !(rand() % 50);
			u32 gen = tx.gen + !(rand() % 8);

			r = tcpc_txmap_push(&tx, tx.app_end, len, fin, gen, &f);
			if (r == -ENOBUFS)
				break;
			ASSERT_EQ(0, r);
			all[n++] = *f;
			model_build(&m, &tx, all, n);
			check_against_model(_metadata, &tx, &m);
			if (rand() % 3)
				continue;
			w = tx.wire_una + rand() % (tcpc_txmap_wire_nxt(&tx) -
						    tx.wire_una + 1);
			r = tcpc_txmap_ack(&tx, w, &app_ack);
			ASSERT_LE(0, r);
			ASSERT_EQ(model_floor(&m, &tx, w), app_ack);
			check_against_model(_metadata, &tx, &m);
		}
	}
}

TEST_HARNESS_MAIN
