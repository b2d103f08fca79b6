// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Window translation of the data path (kmod/proto/dp_win.c): the peer's
 * wire window as app bytes for the local TCP, exact over framed data and
 * estimated beyond, never letting full-sized frames overrun the peer.
 */
#include <stdlib.h>

/* TEST() and the harness's signal handler leave parameters unused */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"

#include "dp_win.h"
#include "frame.h"

#define PFX	4
#define TAG	16
#define OVH	(PFX + TAG)

static struct tcpc_txframe ring[64];

static void setup(struct tcpc_txmap *tx, u32 init_len)
{
	struct tcpc_txmap_cfg cfg = {
		.app_isn = 100, .wire_isn = 100, .init_len = init_len,
		.max_data = 1400, .prefix_len = PFX, .tag_len = TAG,
	};

	if (tcpc_txmap_init(tx, &cfg, ring, 64))
		abort();
}

static void send_new(struct tcpc_txmap *tx, u32 len)
{
	struct tcpc_txseg seg;

	if (tcpc_txmap_segment(tx, tx->app_end, len, false, 0, &seg) ||
	    !seg.new_frame)
		abort();
}

TEST(overhead_constant)
{
	ASSERT_EQ(OVH, TCPC_FRAME_OVERHEAD);
}

TEST(nothing_sent_estimates)
{
	struct tcpc_txmap tx;

	setup(&tx, 75);
	/* nothing framed beyond the Init: 10 full frames of 1000 bytes */
	ASSERT_EQ(10000U, tcpc_dp_app_window(&tx, 75 + 10 * (1000 + OVH),
					     1000));
	/* rounded down */
	ASSERT_EQ(9999U, tcpc_dp_app_window(&tx, 75 + 10 * (1000 + OVH) - 1,
					    1000));
	/* the unacknowledged Init itself takes room */
	ASSERT_EQ(0U, tcpc_dp_app_window(&tx, 75, 1000));
	ASSERT_EQ(0U, tcpc_dp_app_window(&tx, 10, 1000));
}

TEST(framed_data_is_exact)
{
	struct tcpc_txmap tx;
	u64 app_ack;

	setup(&tx, 0);
	send_new(&tx, 100);
	send_new(&tx, 50);
	/* wire: frame [0,120) frame [120,190) */
	ASSERT_EQ(100U, tcpc_dp_app_window(&tx, 120, 1000));
	/* inside the second frame's data: bytes wholly before count */
	ASSERT_EQ(100U + 10, tcpc_dp_app_window(&tx, 120 + PFX + 10, 1000));
	/* its last byte needs the tag too */
	ASSERT_EQ(149U, tcpc_dp_app_window(&tx, 189, 1000));
	ASSERT_EQ(150U, tcpc_dp_app_window(&tx, 190, 1000));
	/* after a partial ACK the window counts from the app ACK */
	ASSERT_GE(tcpc_txmap_ack(&tx, 120, &app_ack), 0);
	ASSERT_EQ(100U, app_ack);
	ASSERT_EQ(50U, tcpc_dp_app_window(&tx, 190, 1000));
	ASSERT_EQ(50U + 1000, tcpc_dp_app_window(&tx, 190 + 1000 + OVH,
						 1000));
	/* a right edge below the ACK point: no window */
	ASSERT_EQ(0U, tcpc_dp_app_window(&tx, 100, 1000));
}

/*
 * App bytes sent within the app window as frames of mss (the last one
 * shorter) never pass the peer's wire edge by more than one frame's
 * overhead, and the full-sized frames alone never pass it.
 */
TEST(never_overruns_with_full_frames)
{
	u32 mss, win, x = 1;

	for (mss = 1; mss < 3000; mss += 7) {
		for (win = 0; win < 200000; win += 997 + (x % 500)) {
			struct tcpc_txmap tx;
			u64 app, full, wire;

			x = x * 1103515245 + 12345;
			setup(&tx, 0);
			app = tcpc_dp_app_window(&tx, win, mss);
			full = app / mss * (mss + OVH);
			wire = full + (app % mss ? app % mss + OVH : 0);
			ASSERT_LE(full, (u64)win);
			ASSERT_LE(wire, (u64)win + OVH);
			/* and the estimate wastes less than a frame */
			ASSERT_GT(wire + mss + OVH, (u64)win);
		}
	}
}

TEST(field_scaling)
{
	ASSERT_EQ(0U, tcpc_dp_win_field(0, 7));
	ASSERT_EQ(1U, tcpc_dp_win_field(128, 7));
	ASSERT_EQ(1U, tcpc_dp_win_field(255, 7));
	ASSERT_EQ(0xffffU, tcpc_dp_win_field(1ULL << 40, 7));
	ASSERT_EQ(1000U, tcpc_dp_win_field(1000, 0));
	ASSERT_EQ(0xffffU, tcpc_dp_win_field(70000, 0));
	/* wscale is at most 14 (RFC 7323) */
	ASSERT_EQ(1U, tcpc_dp_win_field(1U << 14, 20));
}

TEST_HARNESS_MAIN
