// SPDX-License-Identifier: GPL-2.0
/*
 * TCP options area helpers (kmod/proto/tcpopt.c): finding options, the
 * Fast Open test, and making room for the ENO option in the options areas
 * Linux builds for SYNs and data segments, up to the 40-byte limit, plus
 * random areas checked against the properties the hooks rely on.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "tcpopt.h"

/* Fill @out from a hex string; spaces are skipped. Returns the length. */
static size_t hex(u8 *out, const char *s)
{
	size_t n = 0;
	unsigned int b;

	while (*s) {
		if (*s == ' ') {
			s++;
			continue;
		}
		if (sscanf(s, "%2x", &b) != 1)
			abort();
		out[n++] = b;
		s += 2;
	}
	return n;
}

/* What Linux puts in a SYN: MSS, SACK-permitted, timestamps, NOP, WS */
#define LINUX_SYN "020405b4 0402080a 11223344 00000000 01030307"
/* ...and in a data segment: NOP, NOP, timestamps */
#define LINUX_DATA "0101080a 11223344 55667788"

static int insert_hex(const char *area, const char *add, u8 *out)
{
	u8 a[64], o[64];
	size_t alen = hex(a, area), olen = hex(o, add);

	return tcpc_tcpopt_insert(a, alen, o, olen, out);
}

static void expect_area(struct __test_metadata *_metadata, const u8 *got,
			int got_len, const char *want_hex)
{
	u8 want[64];
	size_t n = hex(want, want_hex);

	ASSERT_EQ((int)n, got_len);
	ASSERT_EQ(0, memcmp(got, want, n));
}

TEST(find_and_mss)
{
	u8 a[40];
	size_t n = hex(a, LINUX_SYN);

	EXPECT_EQ(0, tcpc_tcpopt_find(a, n, TCPC_TCPOPT_MSS));
	EXPECT_EQ(0, tcpc_tcpopt_mss(a, n));
	EXPECT_EQ(4, tcpc_tcpopt_find(a, n, 4));
	EXPECT_EQ(6, tcpc_tcpopt_find(a, n, 8));
	EXPECT_EQ(17, tcpc_tcpopt_find(a, n, 3));
	EXPECT_EQ(-ENOENT, tcpc_tcpopt_find(a, n, 69));
	EXPECT_EQ(-EINVAL, tcpc_tcpopt_find(a, n, TCPC_TCPOPT_NOP));

	n = hex(a, LINUX_DATA);
	EXPECT_EQ(-ENOENT, tcpc_tcpopt_mss(a, n));

	/* MSS with a wrong length byte */
	n = hex(a, "02030501");
	EXPECT_EQ(-EBADMSG, tcpc_tcpopt_mss(a, n));
	/* A length running past the end before the kind is found */
	n = hex(a, "08 0a 0102");
	EXPECT_EQ(-EBADMSG, tcpc_tcpopt_find(a, n, 2));
	/* Nothing after EOL counts */
	n = hex(a, "00 020405b4 000000");
	EXPECT_EQ(-ENOENT, tcpc_tcpopt_mss(a, n));
	/* Empty area */
	EXPECT_EQ(-ENOENT, tcpc_tcpopt_find(a, 0, 2));
}

TEST(fastopen)
{
	u8 a[40];
	size_t n;

	n = hex(a, LINUX_SYN);
	EXPECT_FALSE(tcpc_tcpopt_fastopen(a, n));
	/* Cookie request: kind 34, no cookie */
	n = hex(a, "020405b4 2202 0101");
	EXPECT_TRUE(tcpc_tcpopt_fastopen(a, n));
	/* Cookie */
	n = hex(a, "220a 0102030405060708 0101");
	EXPECT_TRUE(tcpc_tcpopt_fastopen(a, n));
	/* Experimental encoding with the Fast Open magic */
	n = hex(a, "fe04f989");
	EXPECT_TRUE(tcpc_tcpopt_fastopen(a, n));
	/* Another experimental option (ENO's legacy ExID) is not TFO */
	n = hex(a, "fe06454e2321 0101");
	EXPECT_FALSE(tcpc_tcpopt_fastopen(a, n));
	/* A malformed area cannot be shown free of TFO */
	n = hex(a, "22 01 0101");
	EXPECT_TRUE(tcpc_tcpopt_fastopen(a, n));
}

TEST(syn_append)
{
	u8 out[40];

	/* A 4-byte ENO option simply follows the Linux SYN options */
	expect_area(_metadata, out, insert_hex(LINUX_SYN, "45042321", out),
		    LINUX_SYN "45042321");
	/* A 6-byte one is padded to 4-byte alignment with NOPs before it */
	expect_area(_metadata, out,
		    insert_hex(LINUX_SYN, "450621222324", out),
		    LINUX_SYN "0101 450621222324");
	/* Odd length */
	expect_area(_metadata, out, insert_hex(LINUX_SYN, "450323", out),
		    LINUX_SYN "01 450323");
}

TEST(ack_reuses_alignment_nops)
{
	u8 out[40];

	/* "45 02" takes the place of the two NOPs before the timestamps */
	expect_area(_metadata, out, insert_hex(LINUX_DATA, "4502", out),
		    "4502080a 11223344 55667788");
	/* A SACK block aligned the same way, after the timestamps */
	expect_area(_metadata, out,
		    insert_hex(LINUX_DATA "0101050a 0000000100000002", "4502",
			       out),
		    "4502080a 11223344 55667788 0101050a 0000000100000002");
	/* No options at all: the header grows by one word */
	expect_area(_metadata, out, insert_hex("", "4502", out), "01014502");
	/* One NOP is not enough room: append */
	expect_area(_metadata, out, insert_hex("020405b4 01030307", "4502",
					       out),
		    "020405b4 01030307 01014502");
}

/* MSS, NOP NOP timestamps, MD5 signature (kind 19, 18 bytes), NOP NOP */
#define FULL36 "020405b4 0101080a 11223344 55667788 " \
	       "1312 00112233445566778899aabbccddeeff 0101"

TEST(repack_when_appending_overflows)
{
	u8 out[40];

	/* 36 + 4 fits by appending */
	expect_area(_metadata, out, insert_hex(FULL36, "45042321", out),
		    FULL36 "45042321");
	/* 36 + 8 does not: NOPs go, every other option stays in order */
	expect_area(_metadata, out, insert_hex(FULL36, "450621222324", out),
		    "020405b4 080a 11223344 55667788 "
		    "1312 00112233445566778899aabbccddeeff "
		    "450621222324 0101");
}

TEST(no_room)
{
	u8 out[40];

	/* 32 bytes of real options, none of them NOPs, plus 10 */
	EXPECT_EQ(-ENOSPC,
		  insert_hex("020405b4 080a1122334455667788 "
			     "1312 00112233445566778899aabbccddeeff",
			     "450a2122232425262728", out));
	/* 40 bytes with no NOP at all and a 2-byte option */
	EXPECT_EQ(-ENOSPC,
		  insert_hex("020405b4 080a1122334455667788 "
			     "1312 00112233445566778899aabbccddeeff "
			     "04020303 07 1e03aa",
			     "4502", out));
}

TEST(eol_and_malformed)
{
	u8 out[40];

	/* Options end at EOL: nothing may be appended after it */
	expect_area(_metadata, out, insert_hex("020405b4 00000000", "4502",
					       out),
		    "020405b4 4502 0101");
	EXPECT_EQ(-EBADMSG, insert_hex("02050500", "4502", out));
	EXPECT_EQ(-EBADMSG, insert_hex("0101 0201", "4502", out));
	/* Not a multiple of 4, longer than 40, or a bad option to add */
	EXPECT_EQ(-EINVAL, insert_hex("020405", "4502", out));
	EXPECT_EQ(-EINVAL, insert_hex("4503", "4502", out));
	EXPECT_EQ(-EINVAL, insert_hex("", "4503", out));
	EXPECT_EQ(-EINVAL, insert_hex("", "0102", out));
}

/* xorshift64*: a fixed seed makes every run identical */
static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u32 rnd(u32 n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (u32)((rng_state * 0x2545f4914f6cdd1dULL) >> 32) % n;
}

/* A random well-formed area of NOPs and options, padded to 4 bytes */
static size_t random_area(u8 *a)
{
	size_t n = 0, target = 4 * rnd(11);
	u8 olen;

	while (n < target) {
		if (rnd(3) == 0 || target - n < 2) {
			a[n++] = TCPC_TCPOPT_NOP;
			continue;
		}
		olen = 2 + rnd(target - n - 1);
		a[n] = 2 + rnd(250);
		if (a[n] == 69)
			a[n] = 70;
		a[n + 1] = olen;
		memset(a + n + 2, 0xa5, olen - 2);
		n += olen;
	}
	return n;
}

/* Every length byte in range, up to the end or EOL */
static bool well_formed(const u8 *a, size_t len)
{
	size_t i = 0;

	while (i < len && a[i] != TCPC_TCPOPT_EOL) {
		if (a[i] == TCPC_TCPOPT_NOP) {
			i++;
			continue;
		}
		if (len - i < 2 || a[i + 1] < 2 || a[i + 1] > len - i)
			return false;
		i += a[i + 1];
	}
	return true;
}

/* The non-NOP options of a well-formed area, back to back */
static size_t strip_nops(const u8 *a, size_t len, u8 *out)
{
	size_t i = 0, o = 0;

	while (i < len && a[i] != TCPC_TCPOPT_EOL) {
		if (a[i] == TCPC_TCPOPT_NOP) {
			i++;
			continue;
		}
		memcpy(out + o, a + i, a[i + 1]);
		o += a[i + 1];
		i += a[i + 1];
	}
	return o;
}

TEST(random_areas_keep_every_option)
{
	u8 a[40], add[40], out[40], want[80], got[80], rest[40];
	size_t alen, addlen, wlen;
	int i, n, off, nospc = 0, ok = 0;

	for (i = 0; i < 200000; i++) {
		alen = random_area(a);
		addlen = 2 + rnd(10);
		add[0] = 69;
		add[1] = addlen;
		memset(add + 2, 0x5a, addlen - 2);

		n = tcpc_tcpopt_insert(a, alen, add, addlen, out);
		wlen = strip_nops(a, alen, want);
		if (n == -ENOSPC) {
			/* Only when even a full repack could not fit */
			ASSERT_GT(wlen + addlen, 40);
			nospc++;
			continue;
		}
		ASSERT_GE(n, (int)alen);
		ASSERT_LE(n, 40);
		ASSERT_EQ(0, n % 4);
		/* Well-formed; without @add, the same options in order */
		ASSERT_TRUE(well_formed(out, n));
		off = tcpc_tcpopt_find(out, n, 69);
		ASSERT_GE(off, 0);
		ASSERT_EQ(0, memcmp(out + off, add, addlen));
		memcpy(rest, out, n);
		memset(rest + off, TCPC_TCPOPT_NOP, addlen);
		ASSERT_EQ(wlen, strip_nops(rest, n, got));
		ASSERT_EQ(0, memcmp(got, want, wlen));
		ok++;
	}
	ASSERT_GT(ok, 1000);
	ASSERT_GT(nospc, 100);
}

TEST_HARNESS_MAIN
