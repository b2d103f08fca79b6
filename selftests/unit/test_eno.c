// SPDX-License-Identifier: GPL-2.0
/*
 * TCP-ENO codec and negotiation (kmod/proto/eno.c): the byte examples of
 * the RFC digest (sections 1.12 and 3), every rule of RFC 8547 sections
 * 4.1-4.8 and RFC 8548 3.2, a differential check of the parser against a
 * second, independently written one, and random build/parse round trips.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "hexutil.h"
#include "eno.h"

static int parse_hex(const char *s, u8 *buf, struct tcpc_eno_syn *syn)
{
	return tcpc_eno_parse_syn(buf, hex(buf, s), syn);
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

static struct tcpc_eno_sub sub(u8 id, u8 v, const u8 *data, u8 len)
{
	struct tcpc_eno_sub s = { .data = data, .id = id, .v = v, .len = len };

	return s;
}

/* ---- The digest's worked examples, byte for byte ---- */

TEST(digest_section3_fresh_open)
{
	struct tcpc_eno_sub a_subs[] = { sub(0x23, 0, NULL, 0),
					 sub(0x21, 0, NULL, 0) };
	struct tcpc_eno_sub b_subs[] = { sub(0x23, 0, NULL, 0) };
	u8 a_opt[40], b_opt[40], ack[2], tr[TCPC_ENO_TRANSCRIPT_MAX], want[80];
	struct tcpc_eno_syn a, b;
	struct tcpc_eno_result ra, rb;

	ASSERT_EQ(4, tcpc_eno_build_syn(a_opt, sizeof(a_opt),
					TCPC_ENO_GOPT_IMPLICIT, a_subs, 2));
	ASSERT_EQ(0, memcmp(a_opt, "\x45\x04\x23\x21", 4));
	ASSERT_EQ(4, tcpc_eno_build_syn(b_opt, sizeof(b_opt), TCPC_ENO_GOPT_B,
					b_subs, 1));
	ASSERT_EQ(0, memcmp(b_opt, "\x45\x04\x01\x23", 4));
	ASSERT_EQ(2, tcpc_eno_build_ack(ack, sizeof(ack)));
	ASSERT_EQ(0, memcmp(ack, "\x45\x02", 2));

	ASSERT_EQ(0, tcpc_eno_parse_syn(a_opt, 4, &a));
	ASSERT_EQ(0, tcpc_eno_parse_syn(b_opt, 4, &b));
	ASSERT_FALSE(a.gopt_explicit);
	ASSERT_EQ(0, a.gopt);
	ASSERT_TRUE(b.gopt_explicit);
	ASSERT_EQ(1, b.gopt);

	/* Active A and passive B reach the same conclusion */
	ASSERT_EQ(TCPC_ENO_OK, tcpc_eno_negotiate(&a, &b, TCPC_ENO_ACTIVE,
						  NULL, &ra));
	ASSERT_EQ(TCPC_ENO_OK, tcpc_eno_negotiate(&b, &a, TCPC_ENO_PASSIVE,
						  NULL, &rb));
	ASSERT_FALSE(ra.local_is_b);
	ASSERT_TRUE(rb.local_is_b);
	ASSERT_EQ(0x23, ra.tep);
	ASSERT_EQ(0x23, rb.tep);
	ASSERT_EQ(0x23, ra.sessid_tep);
	ASSERT_EQ(0x23, rb.sessid_tep);
	ASSERT_FALSE(ra.resume);
	ASSERT_FALSE(rb.resume);

	ASSERT_EQ(8, tcpc_eno_transcript(tr, sizeof(tr), &a, &b));
	ASSERT_EQ(8, hex(want, "4504232145040123"));
	ASSERT_EQ(0, memcmp(tr, want, 8));
}

TEST(digest_simultaneous_open)
{
	/* X = 21, Y = 23, Z = 24; A does not support Z */
	u8 ab[40], bb[40], tr[80], want[80];
	struct tcpc_eno_syn a, b;
	struct tcpc_eno_result ra, rb;

	ASSERT_EQ(0, parse_hex("45042321", ab, &a));
	ASSERT_EQ(0, parse_hex("4506012123 24", bb, &b));
	ASSERT_EQ(TCPC_ENO_OK, tcpc_eno_negotiate(&a, &b,
						  TCPC_ENO_SIMULTANEOUS,
						  NULL, &ra));
	ASSERT_EQ(TCPC_ENO_OK, tcpc_eno_negotiate(&b, &a,
						  TCPC_ENO_SIMULTANEOUS,
						  NULL, &rb));
	ASSERT_EQ(0x23, ra.tep);
	ASSERT_EQ(0x23, rb.tep);
	ASSERT_FALSE(ra.local_is_b);
	ASSERT_TRUE(rb.local_is_b);
	ASSERT_EQ(10, tcpc_eno_transcript(tr, sizeof(tr), &a, &b));
	ASSERT_EQ(10, hex(want, "4504232145060121 2324"));
	ASSERT_EQ(0, memcmp(tr, want, 10));
}

static bool resume_ids_match(void *priv, const struct tcpc_eno_sub *a,
			     const struct tcpc_eno_sub *b)
{
	const u8 *want_b = priv;

	if (!b->v)
		return true;
	return a->v && b->len >= 9 && !memcmp(b->data, want_b, 9);
}

TEST(digest_section3_resumption)
{
	u8 ab[40], bb[40], na[8], nb[8], id_a[9], id_b[9], want[40];
	struct tcpc_eno_sub as = sub(0x23, 1, want, 17);
	struct tcpc_eno_policy pol = { .tep_valid = resume_ids_match,
				       .priv = id_b };
	struct tcpc_eno_syn a, b;
	struct tcpc_eno_result res;

	hex(na, "a0a1a2a3a4a5a6a7");
	hex(nb, "b0b1b2b3b4b5b6b7");
	hex(id_a, "6348421fb167b606bd");
	hex(id_b, "e300d1f11f0b187372");
	memcpy(want, id_a, 9);
	memcpy(want + 9, na, 8);
	ASSERT_EQ(20, tcpc_eno_build_syn(ab, sizeof(ab),
					 TCPC_ENO_GOPT_IMPLICIT, &as, 1));
	ASSERT_EQ(20, hex(want, "4514a36348421fb167b606bd a0a1a2a3a4a5a6a7"));
	ASSERT_EQ(0, memcmp(ab, want, 20));

	memcpy(want, id_b, 9);
	memcpy(want + 9, nb, 8);
	as.data = want;
	ASSERT_EQ(21, tcpc_eno_build_syn(bb, sizeof(bb), TCPC_ENO_GOPT_B,
					 &as, 1));
	ASSERT_EQ(21, hex(want,
			  "451501a3e300d1f11f0b187372 b0b1b2b3b4b5b6b7"));
	ASSERT_EQ(0, memcmp(bb, want, 21));

	ASSERT_EQ(0, tcpc_eno_parse_syn(ab, 20, &a));
	ASSERT_EQ(0, tcpc_eno_parse_syn(bb, 21, &b));
	ASSERT_EQ(TCPC_ENO_OK, tcpc_eno_negotiate(&a, &b, TCPC_ENO_ACTIVE,
						  &pol, &res));
	ASSERT_TRUE(res.resume);
	ASSERT_EQ(0x23, res.tep);
	ASSERT_EQ(0xa3, res.sessid_tep);
	ASSERT_EQ(17, res.a_sub.len);
	ASSERT_EQ(0, memcmp(res.a_sub.data, id_a, 9));
	ASSERT_EQ(0, memcmp(res.a_sub.data + 9, na, 8));
	ASSERT_EQ(0, memcmp(res.b_sub.data + 9, nb, 8));

	/* A mismatched identifier half leaves no valid TEP (RFC 8548 3.5) */
	id_b[8] ^= 1;
	ASSERT_EQ(TCPC_ENO_FAIL_NO_TEP,
		  tcpc_eno_negotiate(&a, &b, TCPC_ENO_ACTIVE, &pol, &res));
}

/* ---- Parsing ---- */

TEST(parse_implicit_and_explicit_global)
{
	u8 buf[40];
	struct tcpc_eno_syn s;

	ASSERT_EQ(0, parse_hex("4502", buf, &s));
	EXPECT_FALSE(s.gopt_explicit);
	EXPECT_EQ(0, s.gopt);
	EXPECT_EQ(0, s.nteps);

	ASSERT_EQ(0, parse_hex("450300", buf, &s));
	EXPECT_TRUE(s.gopt_explicit);
	EXPECT_EQ(0, s.gopt);

	/* Only the first global suboption counts, wherever it is */
	ASSERT_EQ(0, parse_hex("4506 23 03 01 21", buf, &s));
	EXPECT_EQ(3, s.gopt);
	EXPECT_TRUE(tcpc_eno_a(&s));
	EXPECT_TRUE(tcpc_eno_b(&s));
	EXPECT_EQ(2, s.nteps);
	EXPECT_EQ(0x23, s.teps[0].id);
	EXPECT_EQ(0x21, s.teps[1].id);

	/* z bits are ignored: 0x1d is b = 1, a = 0 */
	ASSERT_EQ(0, parse_hex("45031d", buf, &s));
	EXPECT_TRUE(tcpc_eno_b(&s));
	EXPECT_FALSE(tcpc_eno_a(&s));
	ASSERT_EQ(0, parse_hex("45031e", buf, &s));
	EXPECT_FALSE(tcpc_eno_b(&s));
	EXPECT_TRUE(tcpc_eno_a(&s));
}

TEST(parse_tep_classes)
{
	u8 buf[40];
	struct tcpc_eno_syn s;

	/* 20 and 7f are TEPs without data; a0-ff carry data to the end */
	ASSERT_EQ(0, parse_hex("4508 20 7f a3 01 80 ff", buf, &s));
	ASSERT_EQ(3, s.nteps);
	EXPECT_EQ(0x20, s.teps[0].id);
	EXPECT_EQ(0, s.teps[0].v);
	EXPECT_EQ(0x7f, s.teps[1].id);
	EXPECT_EQ(0x23, s.teps[2].id);
	EXPECT_EQ(1, s.teps[2].v);
	EXPECT_EQ(3, s.teps[2].len);
	EXPECT_EQ(5, s.teps[2].off);
	EXPECT_EQ(0, memcmp(tcpc_eno_tep_data(&s, &s.teps[2]),
			    "\x01\x80\xff", 3));

	/* v = 1 as the last byte: no data */
	ASSERT_EQ(0, parse_hex("4503ff", buf, &s));
	ASSERT_EQ(1, s.nteps);
	EXPECT_EQ(0x7f, s.teps[0].id);
	EXPECT_EQ(1, s.teps[0].v);
	EXPECT_EQ(0, s.teps[0].len);
}

TEST(parse_length_byte)
{
	u8 buf[40];
	struct tcpc_eno_syn s;
	int i;

	/* 81: two data bytes for the next (v = 1) suboption */
	ASSERT_EQ(0, parse_hex("4507 81 a3 00 21 22", buf, &s));
	ASSERT_EQ(2, s.nteps);
	EXPECT_EQ(0x23, s.teps[0].id);
	EXPECT_EQ(1, s.teps[0].v);
	EXPECT_EQ(2, s.teps[0].len);
	EXPECT_EQ(4, s.teps[0].off);
	EXPECT_EQ(0x22, s.teps[1].id);
	EXPECT_FALSE(s.gopt_explicit);

	/* 9f announces 32 bytes, the most a length byte can */
	memset(buf, 0x55, sizeof(buf));
	hex(buf, "4524 9f a1");
	ASSERT_EQ(0, tcpc_eno_parse_syn(buf, 36, &s));
	ASSERT_EQ(1, s.nteps);
	EXPECT_EQ(32, s.teps[0].len);

	/* Followed by anything in 00-9f: ill-formed */
	for (i = 0; i < 0xa0; i++) {
		hex(buf, "4505 80");
		buf[3] = i;
		buf[4] = 0;
		EXPECT_EQ(-EBADMSG, tcpc_eno_parse_syn(buf, 5, &s));
	}
	for (i = 0xa0; i < 0x100; i++) {
		hex(buf, "4505 80");
		buf[3] = i;
		buf[4] = 0;
		EXPECT_EQ(0, tcpc_eno_parse_syn(buf, 5, &s));
	}
	/* Last byte of the option, or data past the end: ill-formed */
	EXPECT_EQ(-EBADMSG, parse_hex("4503 80", buf, &s));
	EXPECT_EQ(-EBADMSG, parse_hex("4504 80 a3", buf, &s));
	EXPECT_EQ(-EBADMSG, parse_hex("4505 81 a3 00", buf, &s));
	EXPECT_EQ(0, parse_hex("4506 81 a3 00 00", buf, &s));
	/* The option length, not the buffer, bounds the data */
	EXPECT_EQ(-EBADMSG, parse_hex("4505 81 a3 00 00", buf, &s));
}

TEST(parse_option_length)
{
	u8 buf[64];
	struct tcpc_eno_syn s;

	memset(buf, 0x21, sizeof(buf));
	buf[0] = 0x45;
	buf[1] = 0;
	EXPECT_EQ(-EBADMSG, tcpc_eno_parse_syn(buf, 40, &s));
	buf[1] = 1;
	EXPECT_EQ(-EBADMSG, tcpc_eno_parse_syn(buf, 40, &s));
	EXPECT_EQ(-EBADMSG, tcpc_eno_parse_syn(buf, 1, &s));
	buf[1] = 5;
	EXPECT_EQ(-EBADMSG, tcpc_eno_parse_syn(buf, 4, &s));
	EXPECT_EQ(0, tcpc_eno_parse_syn(buf, 5, &s));
	/* Longer than the TCP option space: cannot be from a TCP header */
	buf[1] = 40;
	ASSERT_EQ(0, tcpc_eno_parse_syn(buf, 64, &s));
	EXPECT_EQ(38, s.nteps);
	buf[1] = 41;
	EXPECT_EQ(-EBADMSG, tcpc_eno_parse_syn(buf, 64, &s));
	buf[2] = 0xa1;
	EXPECT_EQ(-EBADMSG, tcpc_eno_parse_syn(buf, 64, &s));
	buf[1] = 40;
	ASSERT_EQ(0, tcpc_eno_parse_syn(buf, 64, &s));
	EXPECT_EQ(1, s.nteps);
	EXPECT_EQ(37, s.teps[0].len);
	/* Not an ENO option at all */
	buf[0] = 0x44;
	buf[1] = 4;
	EXPECT_EQ(-EINVAL, tcpc_eno_parse_syn(buf, 40, &s));
	EXPECT_EQ(-EINVAL, tcpc_eno_parse_syn(buf, 0, &s));
}

/*
 * A second parser written from the digest's sketch (section 1.4), in a
 * different shape: the differential test below compares both on every
 * short option and on many long ones.
 */
struct ref_tep {
	int id, v, off, len;
};

static int ref_parse(const u8 *o, int olen, int *gopt, int *explicit_g,
		     struct ref_tep *t, int *n)
{
	int i = 2, d;

	*gopt = 0;
	*explicit_g = 0;
	*n = 0;
	while (i < olen) {
		int b = o[i];

		if (b < 0x20) {
			if (!*explicit_g) {
				*gopt = b;
				*explicit_g = 1;
			}
			i++;
		} else if (b < 0x80) {
			t[(*n)++] = (struct ref_tep){ b, 0, i + 1, 0 };
			i++;
		} else if (b < 0xa0) {
			d = (b & 0x1f) + 1;
			if (i + 1 >= olen || o[i + 1] < 0xa0 ||
			    i + 2 + d > olen)
				return -1;
			t[(*n)++] = (struct ref_tep){ o[i + 1] & 0x7f, 1,
						      i + 2, d };
			i += 2 + d;
		} else {
			t[(*n)++] = (struct ref_tep){ b & 0x7f, 1, i + 1,
						      olen - i - 1 };
			i = olen;
		}
	}
	return 0;
}

/* 0 when tcpc_eno_parse_syn() agrees with ref_parse() on @o */
static int differ(const u8 *o, int olen)
{
	struct ref_tep t[64];
	struct tcpc_eno_syn s;
	int gopt, ex, n, i, r, e;

	r = ref_parse(o, olen, &gopt, &ex, t, &n);
	e = tcpc_eno_parse_syn(o, olen, &s);
	if (r < 0 || e < 0)
		return !(r < 0 && e == -EBADMSG);
	if (s.gopt != gopt || s.gopt_explicit != ex || s.nteps != n ||
	    s.raw != o || s.raw_len != olen)
		return 1;
	for (i = 0; i < n; i++)
		if (s.teps[i].id != t[i].id || s.teps[i].v != t[i].v ||
		    s.teps[i].off != t[i].off || s.teps[i].len != t[i].len)
			return 1;
	return 0;
}

TEST(parse_differential_exhaustive)
{
	static const u8 alpha[] = { 0x00, 0x01, 0x03, 0x1f, 0x20, 0x23, 0x7f,
				    0x80, 0x81, 0x82, 0x9f, 0xa0, 0xa3, 0xff };
	const unsigned int na = sizeof(alpha);
	unsigned int c, len, k, x, bad = 0;
	u8 o[40];

	/* Every option with up to 2 content bytes */
	for (len = 0; len <= 2; len++)
		for (c = 0; c < (1u << (8 * len)); c++) {
			o[0] = 0x45;
			o[1] = len + 2;
			o[2] = c & 0xff;
			o[3] = c >> 8;
			bad += differ(o, len + 2);
		}
	/* Every option of 3 to 6 content bytes from the interesting bytes */
	for (len = 3; len <= 6; len++) {
		unsigned int total = 1;

		for (k = 0; k < len; k++)
			total *= na;
		for (c = 0; c < total; c++) {
			o[0] = 0x45;
			o[1] = len + 2;
			for (k = 0, x = c; k < len; k++, x /= na)
				o[2 + k] = alpha[x % na];
			bad += differ(o, len + 2);
		}
	}
	EXPECT_EQ(0u, bad);
}

TEST(parse_differential_random)
{
	unsigned int iter, k, bad = 0;
	u8 o[40];

	for (iter = 0; iter < 200000; iter++) {
		unsigned int len = rnd(39);

		o[0] = 0x45;
		o[1] = len + 2;
		for (k = 0; k < len; k++)
			o[2 + k] = rnd(4) ? 0x80 + rnd(0x80) : rnd(0x100);
		bad += differ(o, len + 2);
	}
	EXPECT_EQ(0u, bad);
}

/* ---- Scanning a TCP options area ---- */

TEST(scan_finds_eno)
{
	u8 buf[40];
	size_t n;
	struct tcpc_eno_scan sc;

	/* MSS, NOP, NOP, SACK-permitted, ENO, EOL, padding */
	n = hex(buf, "020405b4 0101 0402 45042321 00 000000");
	ASSERT_EQ(0, tcpc_eno_scan(buf, n, &sc));
	EXPECT_EQ(1u, sc.count);
	EXPECT_EQ(buf + 8, sc.eno);
	EXPECT_EQ(4, sc.eno_len);
	EXPECT_EQ(buf + 8, tcpc_eno_syn_option(&sc));
	EXPECT_FALSE(sc.legacy);

	/* Options back to back */
	n = hex(buf, "020405b4 45042321 0303 07");
	ASSERT_EQ(0, tcpc_eno_scan(buf, n, &sc));
	EXPECT_EQ(buf + 4, sc.eno);
	EXPECT_EQ(1u, sc.count);

	/* Nothing after EOL is an option */
	n = hex(buf, "0101 00 4502");
	ASSERT_EQ(0, tcpc_eno_scan(buf, n, &sc));
	EXPECT_EQ(0u, sc.count);
	EXPECT_NULL(sc.eno);
	EXPECT_NULL(tcpc_eno_syn_option(&sc));

	ASSERT_EQ(0, tcpc_eno_scan(buf, 0, &sc));
	EXPECT_EQ(0u, sc.count);

	/* Non-SYN form: presence only, contents ignored */
	n = hex(buf, "0101 080a0000000100000002 4504 ffff");
	ASSERT_EQ(0, tcpc_eno_scan(buf, n, &sc));
	EXPECT_EQ(1u, sc.count);
	EXPECT_EQ(buf + 12, sc.eno);
}

TEST(scan_duplicate_eno_means_none)
{
	u8 buf[40];
	size_t n;
	struct tcpc_eno_scan sc;

	n = hex(buf, "45042321 01 45040123");
	ASSERT_EQ(0, tcpc_eno_scan(buf, n, &sc));
	EXPECT_EQ(2u, sc.count);
	EXPECT_EQ(&buf[0], sc.eno);
	EXPECT_NULL(tcpc_eno_syn_option(&sc));
}

TEST(scan_legacy_experimental_option)
{
	u8 buf[40];
	size_t n;
	struct tcpc_eno_scan sc;

	n = hex(buf, "fd05454e23 45032301");
	ASSERT_EQ(0, tcpc_eno_scan(buf, n, &sc));
	EXPECT_TRUE(sc.legacy);
	EXPECT_EQ(1u, sc.count);

	n = hex(buf, "fd04454f 0101");
	ASSERT_EQ(0, tcpc_eno_scan(buf, n, &sc));
	EXPECT_FALSE(sc.legacy);
	/* Too short to hold the ExID, even if the next bytes match it */
	n = hex(buf, "fd03 45 4e02");
	ASSERT_EQ(0, tcpc_eno_scan(buf, n, &sc));
	EXPECT_FALSE(sc.legacy);
}

TEST(scan_malformed_area)
{
	u8 buf[40];
	struct tcpc_eno_scan sc;

	EXPECT_EQ(-EBADMSG, tcpc_eno_scan(buf, hex(buf, "0101 02"), &sc));
	EXPECT_EQ(-EBADMSG, tcpc_eno_scan(buf, hex(buf, "4501 23"), &sc));
	EXPECT_EQ(-EBADMSG, tcpc_eno_scan(buf, hex(buf, "4500 2323"), &sc));
	EXPECT_EQ(-EBADMSG, tcpc_eno_scan(buf, hex(buf, "450523 21"), &sc));
	EXPECT_EQ(-EBADMSG, tcpc_eno_scan(buf, hex(buf, "0204 05"), &sc));
	EXPECT_EQ(-EBADMSG, tcpc_eno_scan(buf, hex(buf, "4501 01"), &sc));
	EXPECT_EQ(-EBADMSG, tcpc_eno_scan(buf, hex(buf, "fe01 0101"), &sc));
	EXPECT_EQ(0, tcpc_eno_scan(buf, hex(buf, "45042321"), &sc));
	EXPECT_EQ(0, tcpc_eno_scan(buf, hex(buf, "020405b4"), &sc));
}

/* ---- Building ---- */

TEST(build_length_byte_placement)
{
	u8 data[40], buf[40], want[40];
	struct tcpc_eno_sub s[3];
	int i;

	for (i = 0; i < 40; i++)
		data[i] = 0xd0 + i;
	/* Not last: length byte 0x88 for 9 bytes */
	s[0] = sub(0x23, 1, data, 9);
	s[1] = sub(0x21, 0, NULL, 0);
	ASSERT_EQ(14, tcpc_eno_build_syn(buf, 40, TCPC_ENO_GOPT_IMPLICIT, s,
					 2));
	hex(want, "450e 88 a3 d0d1d2d3d4d5d6d7d8 21");
	EXPECT_EQ(0, memcmp(buf, want, 14));
	/* Last: no length byte, data to the end */
	s[0] = sub(0x21, 0, NULL, 0);
	s[1] = sub(0x23, 1, data, 9);
	ASSERT_EQ(14, tcpc_eno_build_syn(buf, 40, 0x02, s, 2));
	hex(want, "450e 02 21 a3 d0d1d2d3d4d5d6d7d8");
	EXPECT_EQ(0, memcmp(buf, want, 14));
	/* Last may exceed 32 bytes; non-last may not */
	s[0] = sub(0x21, 0, NULL, 0);
	s[1] = sub(0x20, 1, data, 36);
	ASSERT_EQ(40, tcpc_eno_build_syn(buf, 40, TCPC_ENO_GOPT_IMPLICIT, s,
					 2));
	EXPECT_EQ(0xa0, buf[3]);
	s[0] = sub(0x20, 1, data, 33);
	s[1] = sub(0x21, 0, NULL, 0);
	EXPECT_EQ(-EINVAL, tcpc_eno_build_syn(buf, 40, TCPC_ENO_GOPT_IMPLICIT,
					      s, 2));
	s[0] = sub(0x20, 1, data, 32);
	ASSERT_EQ(37, tcpc_eno_build_syn(buf, 40, TCPC_ENO_GOPT_IMPLICIT, s,
					 2));
	EXPECT_EQ(0x9f, buf[2]);
	EXPECT_EQ(0xa0, buf[3]);
	/* v = 1 with no data: fine last, impossible elsewhere */
	s[0] = sub(0x23, 1, NULL, 0);
	ASSERT_EQ(3, tcpc_eno_build_syn(buf, 40, TCPC_ENO_GOPT_IMPLICIT, s,
					1));
	EXPECT_EQ(0xa3, buf[2]);
	s[1] = sub(0x21, 0, NULL, 0);
	EXPECT_EQ(-EINVAL, tcpc_eno_build_syn(buf, 40, TCPC_ENO_GOPT_IMPLICIT,
					      s, 2));
}

TEST(build_rejects_bad_suboptions)
{
	u8 data[4] = { 0 }, buf[40];
	struct tcpc_eno_sub s;

	s = sub(0x1f, 0, NULL, 0);
	EXPECT_EQ(-EINVAL, tcpc_eno_build_syn(buf, 40, 1, &s, 1));
	s = sub(0x80, 0, NULL, 0);
	EXPECT_EQ(-EINVAL, tcpc_eno_build_syn(buf, 40, 1, &s, 1));
	s = sub(0x23, 2, NULL, 0);
	EXPECT_EQ(-EINVAL, tcpc_eno_build_syn(buf, 40, 1, &s, 1));
	s = sub(0x23, 0, data, 1);
	EXPECT_EQ(-EINVAL, tcpc_eno_build_syn(buf, 40, 1, &s, 1));
	s = sub(0x23, 0, NULL, 0);
	EXPECT_EQ(-EINVAL, tcpc_eno_build_syn(buf, 40, 0x20, &s, 1));
	EXPECT_EQ(-EINVAL, tcpc_eno_build_syn(buf, 40, -2, &s, 1));
	EXPECT_EQ(3, tcpc_eno_build_syn(buf, 40, 0x1f, &s, 0));
	EXPECT_EQ(2, tcpc_eno_build_syn(buf, 40, TCPC_ENO_GOPT_IMPLICIT, &s,
					0));
	EXPECT_EQ(4, tcpc_eno_build_syn(buf, 40, 0, &s, 1));
	EXPECT_EQ(0, memcmp(buf, "\x45\x04\x00\x23", 4));
}

TEST(build_option_space)
{
	struct tcpc_eno_sub s[40];
	u8 buf[64];
	int i;

	for (i = 0; i < 40; i++)
		s[i] = sub(0x20 + i, 0, NULL, 0);
	/* 38 one-byte TEPs fill the 40-byte option space exactly */
	ASSERT_EQ(40, tcpc_eno_build_syn(buf, 64, TCPC_ENO_GOPT_IMPLICIT, s,
					 38));
	EXPECT_EQ(40, buf[1]);
	EXPECT_EQ(0x45, buf[39]);
	EXPECT_EQ(-ENOSPC, tcpc_eno_build_syn(buf, 64, 1, s, 38));
	EXPECT_EQ(-ENOSPC, tcpc_eno_build_syn(buf, 64, TCPC_ENO_GOPT_IMPLICIT,
					      s, 39));
	/* Refused before reading past the 40 entries of s (ASan checks) */
	EXPECT_EQ(-ENOSPC, tcpc_eno_build_syn(buf, 64, TCPC_ENO_GOPT_IMPLICIT,
					      s, 41));
	/* The caller's capacity binds too, to the byte */
	EXPECT_EQ(-ENOSPC, tcpc_eno_build_syn(buf, 5, 1, s, 3));
	EXPECT_EQ(6, tcpc_eno_build_syn(buf, 6, 1, s, 3));
	EXPECT_EQ(-ENOSPC, tcpc_eno_build_ack(buf, 1));
	EXPECT_EQ(2, tcpc_eno_build_ack(buf, 2));
}

/* ---- Negotiation ---- */

struct pair {
	u8 lb[40], rb[40];
	struct tcpc_eno_syn l, r;
	struct tcpc_eno_result res;
};

static enum tcpc_eno_verdict nego(struct pair *p, const char *local,
				  const char *remote, enum tcpc_eno_open open,
				  const struct tcpc_eno_policy *pol)
{
	if (parse_hex(local, p->lb, &p->l) || parse_hex(remote, p->rb, &p->r))
		abort();
	return tcpc_eno_negotiate(&p->l, &p->r, open, pol, &p->res);
}

TEST(nego_b_bits)
{
	struct pair p;

	/* Both b = 0: uncoordinated simultaneous open */
	EXPECT_EQ(TCPC_ENO_FAIL_SAME_B,
		  nego(&p, "450323", "450323", TCPC_ENO_SIMULTANEOUS, NULL));
	/* Both b = 1: an active opener that set b, to a passive opener */
	EXPECT_EQ(TCPC_ENO_FAIL_SAME_B,
		  nego(&p, "45040123", "45040123", TCPC_ENO_ACTIVE, NULL));
	/* A middlebox echoing our SYN's options */
	EXPECT_EQ(TCPC_ENO_FAIL_SAME_B,
		  nego(&p, "45042321", "45042321", TCPC_ENO_ACTIVE, NULL));
	/* A passive opener with b = 0 breaks a MUST */
	EXPECT_EQ(TCPC_ENO_FAIL_PASSIVE_B,
		  nego(&p, "45040123", "450323", TCPC_ENO_ACTIVE, NULL));
	EXPECT_EQ(TCPC_ENO_FAIL_PASSIVE_B,
		  nego(&p, "450323", "45040123", TCPC_ENO_PASSIVE, NULL));
	/* Simultaneous open where exactly one side set b */
	EXPECT_EQ(TCPC_ENO_OK,
		  nego(&p, "45040123", "450323", TCPC_ENO_SIMULTANEOUS, NULL));
	EXPECT_TRUE(p.res.local_is_b);
	EXPECT_EQ(TCPC_ENO_OK,
		  nego(&p, "450323", "45040123", TCPC_ENO_SIMULTANEOUS, NULL));
	EXPECT_FALSE(p.res.local_is_b);
	/* z bits do not count as b */
	EXPECT_EQ(TCPC_ENO_FAIL_SAME_B,
		  nego(&p, "45041c23", "45041c23", TCPC_ENO_SIMULTANEOUS,
		       NULL));
	EXPECT_EQ(TCPC_ENO_OK,
		  nego(&p, "45040c23", "45041d23", TCPC_ENO_ACTIVE, NULL));
}

TEST(nego_application_aware)
{
	struct tcpc_eno_policy aa = { .aa_mandatory = true };
	struct tcpc_eno_policy plain = { .aa_mandatory = false };
	struct pair p;

	EXPECT_EQ(TCPC_ENO_FAIL_AA_MANDATORY,
		  nego(&p, "450323", "45040123", TCPC_ENO_ACTIVE, &aa));
	EXPECT_FALSE(p.res.peer_a);
	EXPECT_EQ(TCPC_ENO_OK,
		  nego(&p, "450323", "45040323", TCPC_ENO_ACTIVE, &aa));
	EXPECT_TRUE(p.res.peer_a);
	EXPECT_EQ(TCPC_ENO_OK,
		  nego(&p, "450323", "45040123", TCPC_ENO_ACTIVE, &plain));
	/* Only the peer's a matters, not ours */
	EXPECT_EQ(TCPC_ENO_OK,
		  nego(&p, "45040323", "45040223", TCPC_ENO_PASSIVE, &aa));
	EXPECT_TRUE(p.res.peer_a);
	EXPECT_EQ(TCPC_ENO_FAIL_AA_MANDATORY,
		  nego(&p, "45040323", "450323", TCPC_ENO_PASSIVE, &aa));
	/* Implicit global suboption: a = 0 */
	EXPECT_FALSE(p.res.peer_a);
}

TEST(nego_vacuous)
{
	struct pair p;

	EXPECT_EQ(TCPC_ENO_FAIL_VACUOUS,
		  nego(&p, "4502", "45040123", TCPC_ENO_ACTIVE, NULL));
	EXPECT_EQ(TCPC_ENO_FAIL_VACUOUS,
		  nego(&p, "450323", "450301", TCPC_ENO_ACTIVE, NULL));
	EXPECT_EQ(TCPC_ENO_FAIL_VACUOUS,
		  nego(&p, "450301", "450323", TCPC_ENO_PASSIVE, NULL));
}

TEST(nego_last_valid_tep_of_b)
{
	struct pair p;

	EXPECT_EQ(TCPC_ENO_FAIL_NO_TEP,
		  nego(&p, "45042122", "4504 01 23", TCPC_ENO_ACTIVE, NULL));
	/* B's order decides; A's has no effect */
	EXPECT_EQ(TCPC_ENO_OK, nego(&p, "4505212223", "4506 01 21 23 22",
				    TCPC_ENO_ACTIVE, NULL));
	EXPECT_EQ(0x22, p.res.tep);
	EXPECT_EQ(TCPC_ENO_OK, nego(&p, "4505232221", "4506 01 21 23 22",
				    TCPC_ENO_ACTIVE, NULL));
	EXPECT_EQ(0x22, p.res.tep);
	EXPECT_EQ(TCPC_ENO_OK, nego(&p, "4506 01 21 22 23", "4505232221",
				    TCPC_ENO_PASSIVE, NULL));
	EXPECT_EQ(0x23, p.res.tep);
	/* B's last TEP unknown to A: the one before it */
	EXPECT_EQ(TCPC_ENO_OK, nego(&p, "45042123", "4506 01 21 23 24",
				    TCPC_ENO_ACTIVE, NULL));
	EXPECT_EQ(0x23, p.res.tep);
}

static bool reject_id(void *priv, const struct tcpc_eno_sub *a,
		      const struct tcpc_eno_sub *b)
{
	const u8 *bad = priv;

	return a->id == b->id && b->id != *bad;
}

TEST(nego_policy_validity)
{
	u8 bad = 0x24;
	struct tcpc_eno_policy pol = { .tep_valid = reject_id, .priv = &bad };
	struct pair p;

	EXPECT_EQ(TCPC_ENO_OK, nego(&p, "4505212324", "4506 01 21 23 24",
				    TCPC_ENO_ACTIVE, &pol));
	EXPECT_EQ(0x23, p.res.tep);
	bad = 0x21;
	EXPECT_EQ(TCPC_ENO_OK, nego(&p, "4505212324", "4506 01 21 23 24",
				    TCPC_ENO_ACTIVE, &pol));
	EXPECT_EQ(0x24, p.res.tep);
	EXPECT_EQ(TCPC_ENO_FAIL_NO_TEP, nego(&p, "45032124", "4504 01 21",
					     TCPC_ENO_ACTIVE, &pol));
}

TEST(nego_v_bits_play_no_part)
{
	struct pair p;

	/* A offers resumption of 23; B answers fresh 23 */
	EXPECT_EQ(TCPC_ENO_OK,
		  nego(&p, "450e 88 a3 000102030405060708 21", "45040123",
		       TCPC_ENO_ACTIVE, NULL));
	EXPECT_EQ(TCPC_ENO_FAIL_NO_TEP,
		  nego(&p, "450d 21 a3 000102030405060708", "45040122",
		       TCPC_ENO_ACTIVE, NULL));
	EXPECT_EQ(TCPC_ENO_OK,
		  nego(&p, "450d 21 a3 000102030405060708", "45040123",
		       TCPC_ENO_ACTIVE, NULL));
	EXPECT_EQ(0x23, p.res.tep);
	EXPECT_EQ(0x23, p.res.sessid_tep);
	EXPECT_FALSE(p.res.resume);
	EXPECT_EQ(1, p.res.a_sub.v);
	EXPECT_EQ(9, p.res.a_sub.len);
	EXPECT_EQ(p.lb + 4, p.res.a_sub.data);
	/* B resumes 23 although A offered it fresh: the policy's call */
	EXPECT_EQ(TCPC_ENO_OK,
		  nego(&p, "450323", "450d 01 a3 000102030405060708",
		       TCPC_ENO_ACTIVE, NULL));
	EXPECT_TRUE(p.res.resume);
	EXPECT_EQ(0xa3, p.res.sessid_tep);
	EXPECT_EQ(p.rb + 4, p.res.b_sub.data);
}

TEST(nego_short_resumption_data_is_fresh)
{
	struct pair p;

	/* 8 data bytes: fresh, whatever the v bit says */
	EXPECT_EQ(TCPC_ENO_OK,
		  nego(&p, "450323", "450c 01 a3 0001020304050607",
		       TCPC_ENO_ACTIVE, NULL));
	EXPECT_FALSE(p.res.resume);
	EXPECT_EQ(0x23, p.res.sessid_tep);
	EXPECT_EQ(0, p.res.b_sub.v);
	EXPECT_EQ(8, p.res.b_sub.len);
	/* 9 bytes: a resumption offer */
	EXPECT_EQ(TCPC_ENO_OK,
		  nego(&p, "450323", "450d 01 a3 000102030405060708",
		       TCPC_ENO_ACTIVE, NULL));
	EXPECT_TRUE(p.res.resume);
	EXPECT_EQ(0xa3, p.res.sessid_tep);
	EXPECT_EQ(1, p.res.b_sub.v);
	/* Passive side: A's short offer reaches the policy as v = 0 */
	EXPECT_EQ(TCPC_ENO_OK,
		  nego(&p, "45040123", "4506 a3 010203 ", TCPC_ENO_PASSIVE,
		       NULL));
	EXPECT_EQ(0, p.res.a_sub.v);
	EXPECT_EQ(3, p.res.a_sub.len);
	/* With a length byte, not last */
	EXPECT_EQ(TCPC_ENO_OK,
		  nego(&p, "450323", "450f 01 88 a3 000102030405060708 21",
		       TCPC_ENO_ACTIVE, NULL));
	EXPECT_TRUE(p.res.resume);
	EXPECT_EQ(0x23, p.res.tep);
}

TEST(nego_both_sides_agree_random)
{
	unsigned int iter, k, fails = 0;

	for (iter = 0; iter < 20000; iter++) {
		struct tcpc_eno_sub as[6], bs[6];
		u8 ab[40], bb[40], data[16] = { 0 };
		struct tcpc_eno_syn a, b;
		struct tcpc_eno_result ra, rb;
		unsigned int na = rnd(6), nb = rnd(6);
		int la, lb, want = -1;

		for (k = 0; k < na; k++)
			as[k] = sub(0x20 + rnd(6), 0, NULL, 0);
		for (k = 0; k < nb; k++)
			bs[k] = sub(0x20 + rnd(6), 0, NULL, 0);
		if (nb && rnd(2))
			bs[nb - 1] = sub(0x20 + rnd(6), 1, data, rnd(16));
		la = tcpc_eno_build_syn(ab, 40, TCPC_ENO_GOPT_IMPLICIT, as, na);
		lb = tcpc_eno_build_syn(bb, 40, 1, bs, nb);
		if (la < 0 || lb < 0 || tcpc_eno_parse_syn(ab, la, &a) ||
		    tcpc_eno_parse_syn(bb, lb, &b))
			abort();
		tcpc_eno_negotiate(&a, &b, TCPC_ENO_ACTIVE, NULL, &ra);
		tcpc_eno_negotiate(&b, &a, TCPC_ENO_PASSIVE, NULL, &rb);
		/* Oracle: the last id of B's list that appears in A's */
		for (k = 0; k < nb && na; k++) {
			unsigned int j;

			for (j = 0; j < na; j++)
				if (as[j].id == bs[k].id)
					want = bs[k].id;
		}
		if (ra.verdict != rb.verdict || ra.tep != rb.tep ||
		    ra.sessid_tep != rb.sessid_tep ||
		    ra.resume != rb.resume || ra.local_is_b || !rb.local_is_b)
			fails++;
		else if (want < 0 && ra.verdict == TCPC_ENO_OK)
			fails++;
		else if (want >= 0 && (ra.verdict != TCPC_ENO_OK ||
				       ra.tep != want))
			fails++;
	}
	EXPECT_EQ(0u, fails);
}

/* ---- Transcript ---- */

TEST(transcript_capacity)
{
	u8 ab[40], bb[40], tr[TCPC_ENO_TRANSCRIPT_MAX];
	struct tcpc_eno_syn a, b;
	struct tcpc_eno_sub s[38];
	int i, len;

	ASSERT_EQ(0, parse_hex("45042321", ab, &a));
	ASSERT_EQ(0, parse_hex("45040123", bb, &b));
	EXPECT_EQ(-ENOSPC, tcpc_eno_transcript(tr, 7, &a, &b));
	EXPECT_EQ(8, tcpc_eno_transcript(tr, 8, &a, &b));
	/* B first would be a different transcript */
	EXPECT_EQ(8, tcpc_eno_transcript(tr, 8, &b, &a));
	EXPECT_EQ(0, memcmp(tr, "\x45\x04\x01\x23\x45\x04\x23\x21", 8));

	/* Two full options fit TCPC_ENO_TRANSCRIPT_MAX */
	for (i = 0; i < 38; i++)
		s[i] = sub(0x40 + i, 0, NULL, 0);
	len = tcpc_eno_build_syn(ab, 40, TCPC_ENO_GOPT_IMPLICIT, s, 38);
	ASSERT_EQ(40, len);
	ASSERT_EQ(0, tcpc_eno_parse_syn(ab, len, &a));
	ASSERT_EQ(0, tcpc_eno_parse_syn(ab, len, &b));
	EXPECT_EQ(80, tcpc_eno_transcript(tr, sizeof(tr), &a, &b));
	EXPECT_EQ(0, memcmp(tr + 40, ab, 40));
}

/* ---- Random build -> parse round trips ---- */

/* Wire size of a suboption list, computed independently of eno.c */
static int expect_size(int gopt, const struct tcpc_eno_sub *s, unsigned int n)
{
	int size = 2 + (gopt >= 0);
	unsigned int i;

	for (i = 0; i < n; i++)
		size += 1 + s[i].len + (s[i].v && i + 1 < n);
	return size;
}

TEST(roundtrip_random)
{
	unsigned int iter, k, bad = 0, built = 0, nospace = 0;
	u8 data[40], buf[40], again[40];

	for (k = 0; k < sizeof(data); k++)
		data[k] = rnd(256);
	for (iter = 0; iter < 100000; iter++) {
		struct tcpc_eno_sub s[TCPC_ENO_MAX_SUBOPTS];
		unsigned int n = rnd(12);
		int gopt = rnd(3) ? (int)rnd(0x20) : TCPC_ENO_GOPT_IMPLICIT;
		struct tcpc_eno_syn syn;
		int len, len2;

		for (k = 0; k < n; k++) {
			u8 v = rnd(3) == 0;
			u8 max = k + 1 == n ? 38 : 32;
			u8 dl = v ? (k + 1 == n ? rnd(max + 1) :
				     1 + rnd(max)) : 0;

			s[k] = sub(0x20 + rnd(0x60), v, data + rnd(3), dl);
		}
		len = tcpc_eno_build_syn(buf, sizeof(buf), gopt, s, n);
		if (expect_size(gopt, s, n) > 40) {
			bad += len != -ENOSPC;
			nospace++;
			continue;
		}
		built++;
		if (len != expect_size(gopt, s, n) ||
		    tcpc_eno_parse_syn(buf, len, &syn)) {
			bad++;
			continue;
		}
		bad += syn.gopt_explicit != (gopt >= 0) ||
		       syn.gopt != (gopt >= 0 ? gopt : 0) || syn.nteps != n;
		for (k = 0; k < n && k < syn.nteps; k++)
			bad += syn.teps[k].id != s[k].id ||
			       syn.teps[k].v != s[k].v ||
			       syn.teps[k].len != s[k].len ||
			       memcmp(tcpc_eno_tep_data(&syn, &syn.teps[k]),
				      s[k].data, s[k].len);
		/* Rebuilding from the parse gives the same bytes */
		for (k = 0; k < syn.nteps; k++) {
			s[k].data = tcpc_eno_tep_data(&syn, &syn.teps[k]);
			s[k].id = syn.teps[k].id;
			s[k].v = syn.teps[k].v;
			s[k].len = syn.teps[k].len;
		}
		len2 = tcpc_eno_build_syn(again, sizeof(again),
					  syn.gopt_explicit ? syn.gopt :
					  TCPC_ENO_GOPT_IMPLICIT,
					  s, syn.nteps);
		bad += len2 != len || memcmp(again, buf, len);
	}
	EXPECT_EQ(0u, bad);
	/* Both outcomes must actually have been exercised */
	EXPECT_GT(built, 10000u);
	EXPECT_GT(nospace, 1000u);
}

TEST_HARNESS_MAIN
