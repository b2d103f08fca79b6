// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * A's decision that B refused its Init1 and runs plain TCP
 * (kmod/proto/refusal.c): every condition is needed, and a random
 * segment almost never passes.
 */
#include <stdlib.h>

/* TEST() and the harness's signal handler leave parameters unused */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"

#include "refusal.h"

#define ISN_A	0xfffffff0u	/* wraps: the arithmetic is modulo 2^32 */
#define ISN_B	0x7ffffffeu
#define WND	65535u

static struct tcpc_refusal_state fresh(void)
{
	struct tcpc_refusal_state st = {
		.isn_local = ISN_A, .isn_peer = ISN_B, .rcv_wnd = WND,
		.role_a = true,
	};
	return st;
}

/* B's TCP answering the refused Init1: a pure ACK of A's ISN alone */
static struct tcpc_refusal_seg refusal(void)
{
	struct tcpc_refusal_seg s = {
		.seq = ISN_B + 1, .ack = ISN_A + 1, .ackf = true,
	};
	return s;
}

TEST(pure_ack_of_the_isn_alone)
{
	struct tcpc_refusal_state st = fresh();
	struct tcpc_refusal_seg s = refusal();

	ASSERT_TRUE(tcpc_init_refused(&st, &s));
}

TEST(plain_data_from_b_first)
{
	struct tcpc_refusal_state st = fresh();
	struct tcpc_refusal_seg s = refusal();

	/* B's application spoke first, its first segment lost */
	s.seq = ISN_B + 1 + 1448;
	ASSERT_TRUE(tcpc_init_refused(&st, &s));
	s.seq = ISN_B + 1 + WND;
	ASSERT_TRUE(tcpc_init_refused(&st, &s));
}

TEST(only_a_decides)
{
	struct tcpc_refusal_state st = fresh();
	struct tcpc_refusal_seg s = refusal();

	st.role_a = false;
	ASSERT_FALSE(tcpc_init_refused(&st, &s));
}

TEST(never_once_anything_of_b_arrived_or_acked)
{
	struct tcpc_refusal_state st = fresh();
	struct tcpc_refusal_seg s = refusal();

	st.keys = true;
	ASSERT_FALSE(tcpc_init_refused(&st, &s));
	st = fresh();
	st.init_acked = true;
	ASSERT_FALSE(tcpc_init_refused(&st, &s));
	st = fresh();
	st.peer_bytes = true;
	ASSERT_FALSE(tcpc_init_refused(&st, &s));
	st = fresh();
	st.resumed = true;
	ASSERT_FALSE(tcpc_init_refused(&st, &s));
}

TEST(flags)
{
	struct tcpc_refusal_state st = fresh();
	struct tcpc_refusal_seg s = refusal();

	s.syn = true;		/* B's SYN-ACK again */
	ASSERT_FALSE(tcpc_init_refused(&st, &s));
	s = refusal();
	s.rst = true;
	ASSERT_FALSE(tcpc_init_refused(&st, &s));
	s = refusal();
	s.ackf = false;
	ASSERT_FALSE(tcpc_init_refused(&st, &s));
}

TEST(ack_must_be_exact)
{
	struct tcpc_refusal_state st = fresh();
	struct tcpc_refusal_seg s = refusal();

	/* Init2 acknowledges Init1: a genuine tcpcrypt B */
	s.ack = ISN_A + 1 + 72;
	ASSERT_FALSE(tcpc_init_refused(&st, &s));
	s.ack = ISN_A + 2;
	ASSERT_FALSE(tcpc_init_refused(&st, &s));
	s.ack = ISN_A;
	ASSERT_FALSE(tcpc_init_refused(&st, &s));
}

TEST(seq_in_window)
{
	struct tcpc_refusal_state st = fresh();
	struct tcpc_refusal_seg s = refusal();

	s.seq = ISN_B;		/* before B's stream */
	ASSERT_FALSE(tcpc_init_refused(&st, &s));
	s.seq = ISN_B + 1 + WND + 1;
	ASSERT_FALSE(tcpc_init_refused(&st, &s));
	s.seq = ISN_B + 0x80000000u;
	ASSERT_FALSE(tcpc_init_refused(&st, &s));
}

/* A blind guess passes only with the exact ACK and a seq in the window */
TEST(random_segments)
{
	struct tcpc_refusal_state st = fresh();
	unsigned int i, passed = 0, expected = 0;

	srandom(8548);
	for (i = 0; i < 1000000; i++) {
		struct tcpc_refusal_seg s = {
			.seq = (u32)random() << 1 ^ (u32)random(),
			.ack = (u32)random() << 1 ^ (u32)random(),
			.syn = random() & 1, .rst = random() & 1,
			.ackf = random() & 1,
		};
		bool want;

		if (i % 4 == 0)
			s.ack = ISN_A + 1;
		want = !s.syn && !s.rst && s.ackf && s.ack == ISN_A + 1 &&
		       (u32)(s.seq - ISN_B - 1) <= WND;
		expected += want;
		passed += tcpc_init_refused(&st, &s);
		ASSERT_EQ(want, tcpc_init_refused(&st, &s));
	}
	ASSERT_EQ(expected, passed);
	/* with the ACK given, the seq window alone keeps out nearly all */
	ASSERT_LT(passed, 100U);
}

TEST_HARNESS_MAIN
