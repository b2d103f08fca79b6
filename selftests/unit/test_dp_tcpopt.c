// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * TCP option handling of the data path (kmod/proto/dp_tcpopt.c): parsing
 * the options Linux sends, rejecting malformed ones, rewriting SACK blocks
 * in place without changing the header length, and building the options
 * of module-made segments within the 40 bytes of room.
 */
#include <stdlib.h>

/* TEST() and the harness's signal handler leave parameters unused */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"

#include "dp_tcpopt.h"

/* NOP NOP TS(tsval 0x01020304, tsecr 0x0a0b0c0d) NOP NOP SACK 2 blocks */
static const u8 linux_opts[] = {
	1, 1, 8, 10, 1, 2, 3, 4, 10, 11, 12, 13,
	1, 1, 5, 18,
	0, 0, 0x10, 0, 0, 0, 0x20, 0,
	0, 0, 0x30, 0, 0, 0, 0x40, 0,
};

TEST(parse_ts_and_sack)
{
	struct tcpc_dpopt o;

	ASSERT_EQ(0, tcpc_dpopt_parse(linux_opts, sizeof(linux_opts), &o));
	ASSERT_TRUE(o.has_ts);
	ASSERT_EQ(2, o.ts_at);
	ASSERT_EQ(0x01020304U, o.tsval);
	ASSERT_EQ(0x0a0b0c0dU, o.tsecr);
	ASSERT_TRUE(o.has_sack);
	ASSERT_EQ(14, o.sack_at);
	ASSERT_EQ(18, o.sack_len);
	ASSERT_EQ(2, o.nsack);
	ASSERT_EQ(0x1000U, o.sack[0].start);
	ASSERT_EQ(0x2000U, o.sack[0].end);
	ASSERT_EQ(0x3000U, o.sack[1].start);
	ASSERT_EQ(0x4000U, o.sack[1].end);
}

TEST(parse_none_and_eol)
{
	/* ENO 45 02, then EOL: whatever follows EOL is not looked at */
	const u8 opts[] = { 69, 2, 0, 5, 99, 1, 1, 1 };
	struct tcpc_dpopt o;

	ASSERT_EQ(0, tcpc_dpopt_parse(opts, sizeof(opts), &o));
	ASSERT_FALSE(o.has_ts);
	ASSERT_FALSE(o.has_sack);
	ASSERT_EQ(0, tcpc_dpopt_parse(opts, 0, &o));
}

TEST(parse_malformed)
{
	const u8 no_len[] = { 1, 1, 1, 8 };
	const u8 short_len[] = { 8, 1, 0, 0 };
	const u8 past_end[] = { 8, 10, 0, 0, 0, 0, 0, 0 };
	const u8 ts_len[] = { 8, 6, 0, 0, 0, 0, 1, 1 };
	const u8 two_ts[] = {
		8, 10, 0, 0, 0, 1, 0, 0, 0, 2,
		8, 10, 0, 0, 0, 1, 0, 0, 0, 2,
	};
	const u8 two_sack[] = {
		5, 10, 0, 0, 0, 1, 0, 0, 0, 2,
		5, 10, 0, 0, 0, 1, 0, 0, 0, 2,
	};
	u8 big[44] = { 0 };
	struct tcpc_dpopt o;

	ASSERT_EQ(-EINVAL, tcpc_dpopt_parse(no_len, sizeof(no_len), &o));
	ASSERT_EQ(-EINVAL, tcpc_dpopt_parse(short_len, sizeof(short_len),
					     &o));
	ASSERT_EQ(-EINVAL, tcpc_dpopt_parse(past_end, sizeof(past_end), &o));
	ASSERT_EQ(-EINVAL, tcpc_dpopt_parse(ts_len, sizeof(ts_len), &o));
	ASSERT_EQ(-EINVAL, tcpc_dpopt_parse(two_ts, sizeof(two_ts), &o));
	ASSERT_EQ(-EINVAL, tcpc_dpopt_parse(two_sack, sizeof(two_sack), &o));
	ASSERT_EQ(-EINVAL, tcpc_dpopt_parse(big, sizeof(big), &o));
}

TEST(sack_bad_length_is_blanked)
{
	/* SACK of length 7: no receiver accepts it, so it must go */
	u8 opts[] = { 5, 7, 1, 2, 3, 4, 5, 1 };
	struct tcpc_dpopt o;
	u32 i;

	ASSERT_EQ(0, tcpc_dpopt_parse(opts, sizeof(opts), &o));
	ASSERT_TRUE(o.has_sack);
	ASSERT_EQ(0, o.nsack);
	tcpc_dpopt_set_sack(opts, &o, NULL, 0);
	for (i = 0; i < 7; i++)
		ASSERT_EQ(TCPC_DPOPT_NOP, opts[i]);
}

TEST(sack_rewrite_fewer_blocks)
{
	u8 opts[sizeof(linux_opts)];
	const struct tcpc_dpopt_sack blocks[1] = { { 0xdeadbeef, 0xfeedface } };
	struct tcpc_dpopt o, p;
	u32 i;

	memcpy(opts, linux_opts, sizeof(opts));
	ASSERT_EQ(0, tcpc_dpopt_parse(opts, sizeof(opts), &o));
	tcpc_dpopt_set_sack(opts, &o, blocks, 1);
	/* timestamps untouched, one block, NOPs for the other 8 bytes */
	ASSERT_EQ(0, memcmp(opts, linux_opts, 14));
	ASSERT_EQ(0, tcpc_dpopt_parse(opts, sizeof(opts), &p));
	ASSERT_EQ(1, p.nsack);
	ASSERT_EQ(10, p.sack_len);
	ASSERT_EQ(0xdeadbeefU, p.sack[0].start);
	ASSERT_EQ(0xfeedfaceU, p.sack[0].end);
	for (i = 24; i < sizeof(opts); i++)
		ASSERT_EQ(TCPC_DPOPT_NOP, opts[i]);
}

TEST(sack_rewrite_caps_at_room)
{
	u8 opts[sizeof(linux_opts)];
	const struct tcpc_dpopt_sack blocks[3] = { { 1, 2 }, { 3, 4 }, { 5, 6 } };
	struct tcpc_dpopt o, p;

	memcpy(opts, linux_opts, sizeof(opts));
	ASSERT_EQ(0, tcpc_dpopt_parse(opts, sizeof(opts), &o));
	tcpc_dpopt_set_sack(opts, &o, blocks, 3);
	ASSERT_EQ(0, tcpc_dpopt_parse(opts, sizeof(opts), &p));
	ASSERT_EQ(2, p.nsack);
	ASSERT_EQ(1U, p.sack[0].start);
	ASSERT_EQ(4U, p.sack[1].end);
}

TEST(sack_rewrite_to_nothing)
{
	u8 opts[sizeof(linux_opts)];
	struct tcpc_dpopt o, p;

	memcpy(opts, linux_opts, sizeof(opts));
	ASSERT_EQ(0, tcpc_dpopt_parse(opts, sizeof(opts), &o));
	tcpc_dpopt_set_sack(opts, &o, NULL, 0);
	ASSERT_EQ(0, tcpc_dpopt_parse(opts, sizeof(opts), &p));
	ASSERT_FALSE(p.has_sack);
	ASSERT_TRUE(p.has_ts);
}

TEST(build_layouts)
{
	struct tcpc_dpopt_out in = {
		.ts = true, .tsval = 7, .tsecr = 9, .nsack = 4,
		.sack = { { 1, 2 }, { 3, 4 }, { 5, 6 }, { 7, 8 } },
	};
	struct tcpc_dpopt o;
	u8 out[TCPC_DPOPT_SPACE];
	u32 n;

	/* TS 12 + SACK: only 3 blocks fit (4 + 24) */
	n = tcpc_dpopt_build(out, &in);
	ASSERT_EQ(40U, n);
	ASSERT_EQ(0, tcpc_dpopt_parse(out, n, &o));
	ASSERT_TRUE(o.has_ts);
	ASSERT_EQ(7U, o.tsval);
	ASSERT_EQ(9U, o.tsecr);
	ASSERT_EQ(3, o.nsack);
	ASSERT_EQ(5U, o.sack[2].start);

	/* neither: 4 blocks */
	in.ts = false;
	n = tcpc_dpopt_build(out, &in);
	ASSERT_EQ(36U, n);
	ASSERT_EQ(0, tcpc_dpopt_parse(out, n, &o));
	ASSERT_EQ(4, o.nsack);
	ASSERT_FALSE(o.has_ts);

	/* nothing at all */
	in.nsack = 0;
	ASSERT_EQ(0U, tcpc_dpopt_build(out, &in));
}

/* Every length of random option bytes: parse never reads past the end */
TEST(parse_random_bytes)
{
	u64 x = 12345;
	u32 round, len, i;

	for (round = 0; round < 200000; round++) {
		struct tcpc_dpopt o;
		u8 *buf;
		int err;

		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		len = (u32)(x >> 33) % (TCPC_DPOPT_SPACE + 1);
		buf = malloc(len ? len : 1);
		ASSERT_NE(NULL, buf);
		for (i = 0; i < len; i++) {
			x = x * 6364136223846793005ULL + 1;
			/* favour the kinds that matter */
			buf[i] = (x >> 60) < 6 ? "\x01\x05\x08\x0a\x12\x02"[x >> 60] :
				 (u8)(x >> 40);
		}
		err = tcpc_dpopt_parse(buf, len, &o);
		if (!err && o.has_sack) {
			ASSERT_LE(o.sack_at + o.sack_len, len);
			tcpc_dpopt_set_sack(buf, &o, o.sack, o.nsack);
			ASSERT_EQ(0, tcpc_dpopt_parse(buf, len, &o));
		}
		if (!err && o.has_ts)
			ASSERT_LE(o.ts_at + TCPC_DPOPT_TS_LEN, len);
		free(buf);
	}
}

TEST_HARNESS_MAIN
