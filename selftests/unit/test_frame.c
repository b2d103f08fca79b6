// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The frame codec (kmod/proto/frame.c): the digest's worked-example frames
 * (section 3) sealed and opened with OpenSSL around the core's header,
 * AD, nonce and plaintext prefix; header decoding at every length; clen,
 * flags and urgent edge cases; the per-frame limits.
 */
#include <openssl/evp.h>

/* TEST() and the harness's signal handler leave parameters unused */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#include "hexutil.h"

#include "frame.h"
#include "aead_desc.h"
#include "kdf.h"


/* ---- AEAD with OpenSSL around the core's frame pieces ---- */

static const EVP_CIPHER *evp_cipher(u16 aead_id)
{
	switch (aead_id) {
	case TCPC_AEAD_AES_128_GCM:
		return EVP_aes_128_gcm();
	case TCPC_AEAD_AES_256_GCM:
		return EVP_aes_256_gcm();
	case TCPC_AEAD_CHACHA20_POLY1305:
		return EVP_chacha20_poly1305();
	}
	return NULL;
}

/* A traffic key as hex "K | NR", for the digest's vectors */
static void load_key(struct tcpc_traffic_key *tk, u16 aead_id,
		     const char *hex)
{
	const struct tcpc_aead_desc *d = tcpc_aead_find(aead_id);
	u8 buf[TCPC_TRAFFIC_KEY_MAX];

	unhex(hex, buf, tcpc_aead_traffic_key_len(d));
	memset(tk, 0, sizeof(*tk));
	memcpy(tk->key, buf, d->key_len);
	memcpy(tk->nr, buf + d->key_len, d->nonce_len);
	tk->key_len = d->key_len;
	tk->nonce_len = d->nonce_len;
}

struct frame_in {
	u16 aead;
	const struct tcpc_traffic_key *tk;
	u64 offset;
	bool rekey;
	struct tcpc_frame_prefix pfx;
	const u8 *data;
	size_t len;
};

/* Seal one frame: returns its wire length, or 0 on failure */
static size_t seal(const struct frame_in *in, u8 *wire, u8 nonce_out[12])
{
	/* room for one byte too many, so that hdr_init() gets to refuse */
	static u8 plain[TCPC_FRAME_MAX_PLAIN + 1];
	struct tcpc_frame_hdr hdr;
	u8 ad[TCPC_FRAME_AD_LEN], nonce[TCPC_AEAD_NONCE_LEN];
	size_t plen;
	int outl, ok;
	EVP_CIPHER_CTX *ctx;

	plen = tcpc_frame_prefix_encode(&in->pfx, plain);
	if (plen + in->len > sizeof(plain))
		return 0;
	if (in->len)
		memcpy(plain + plen, in->data, in->len);
	plen += in->len;
	if (tcpc_frame_hdr_init(&hdr, in->rekey, plen))
		return 0;
	tcpc_frame_hdr_encode(&hdr, wire);
	tcpc_frame_ad(&hdr, ad);
	tcpc_frame_nonce(in->tk->nr, in->offset, nonce);
	if (nonce_out)
		memcpy(nonce_out, nonce, sizeof(nonce));

	ctx = EVP_CIPHER_CTX_new();
	ok = ctx &&
	     EVP_EncryptInit_ex(ctx, evp_cipher(in->aead), NULL, in->tk->key,
				nonce) &&
	     EVP_EncryptUpdate(ctx, NULL, &outl, ad, sizeof(ad)) &&
	     EVP_EncryptUpdate(ctx, wire + TCPC_FRAME_HDR_LEN, &outl, plain,
			       plen) &&
	     outl == (int)plen &&
	     EVP_EncryptFinal_ex(ctx, wire + TCPC_FRAME_HDR_LEN + plen,
				 &outl) &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG,
				 TCPC_FRAME_TAG_LEN,
				 wire + TCPC_FRAME_HDR_LEN + plen);
	EVP_CIPHER_CTX_free(ctx);
	return ok ? tcpc_frame_wire_len(&hdr) : 0;
}

struct frame_out {
	struct tcpc_frame_hdr hdr;
	struct tcpc_frame_prefix pfx;
	u8 plain[TCPC_FRAME_MAX_PLAIN];
	const u8 *data;
	size_t len;
};

/* Open one frame from the wire: 0, or a negative errno */
static int open_frame(u16 aead, const struct tcpc_traffic_key *tk,
		      u64 offset, const u8 *wire, size_t wlen,
		      struct frame_out *out)
{
	u8 ad[TCPC_FRAME_AD_LEN], nonce[TCPC_AEAD_NONCE_LEN];
	const u8 *ct = wire + TCPC_FRAME_HDR_LEN;
	EVP_CIPHER_CTX *ctx;
	size_t plen;
	int outl, ok, pl, err;

	err = tcpc_frame_hdr_decode(wire, wlen, &out->hdr);
	if (err)
		return err;
	if (wlen < tcpc_frame_wire_len(&out->hdr))
		return -EAGAIN;
	plen = tcpc_frame_plain_len(&out->hdr);
	tcpc_frame_ad(&out->hdr, ad);
	tcpc_frame_nonce(tk->nr, offset, nonce);

	ctx = EVP_CIPHER_CTX_new();
	ok = ctx &&
	     EVP_DecryptInit_ex(ctx, evp_cipher(aead), NULL, tk->key, nonce) &&
	     EVP_DecryptUpdate(ctx, NULL, &outl, ad, sizeof(ad)) &&
	     EVP_DecryptUpdate(ctx, out->plain, &outl, ct, plen) &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG,
				 TCPC_FRAME_TAG_LEN, (void *)(ct + plen)) &&
	     EVP_DecryptFinal_ex(ctx, out->plain + plen, &outl) > 0;
	EVP_CIPHER_CTX_free(ctx);
	if (!ok)
		return -EBADMSG;
	pl = tcpc_frame_prefix_decode(out->plain, plen, &out->pfx);
	if (pl < 0)
		return pl;
	out->data = out->plain + pl;
	out->len = plen - pl;
	return 0;
}

/* ---- The digest's worked example (section 3) ---- */

#define K_AB0 "9d86ca6ed072c1df93b40087f67efbea|b7043da40098a88a1ba16d96"
#define K_BA0 "9cbbbcd841628fce2be5197291b8ece3|86274974de6df1b62f23e711"
#define K_AB1 "d7f337400badbde765d48601442ab197|4c3fee37edfb8a56589e51d9"
#define K_AB0_44 \
	"9d86ca6ed072c1df93b40087f67efbeab7043da40098a88a1ba16d9677389e11" \
	"|700ac991bb0519b90a6eb355"

#define INIT1_LEN 75
#define INIT2_LEN 74

struct example_frame {
	u16 aead;
	const char *key;
	u64 offset;
	bool rekey;
	bool fin;
	const char *data;
	const char *nonce;
	const char *ad;
	const char *wire;
};

static const struct example_frame examples[] = {
	{
		.aead = TCPC_AEAD_AES_128_GCM, .key = K_AB0,
		.offset = INIT1_LEN, .data = "hello",
		.nonce = "b7043da40098a88a1ba16ddd", .ad = "000016",
		.wire = "000016b1a4a97462456f702bd62cfbd82910375086a04b86a8",
	},
	{
		.aead = TCPC_AEAD_AES_128_GCM, .key = K_AB1,
		.offset = 100, .rekey = true, .data = "",
		.nonce = "4c3fee37edfb8a56589e51bd", .ad = "010011",
		.wire = "0100119ae6e2628651e5bc65b7accf1a2863408d",
	},
	{
		.aead = TCPC_AEAD_AES_128_GCM, .key = K_AB1,
		.offset = 120, .fin = true, .data = "",
		.nonce = "4c3fee37edfb8a56589e51a1", .ad = "000011",
		.wire = "0000119d95503c7411f92b2f348d00165de5303b",
	},
	{
		.aead = TCPC_AEAD_AES_128_GCM, .key = K_BA0,
		.offset = INIT2_LEN, .data = "hi",
		.nonce = "86274974de6df1b62f23e75b", .ad = "000013",
		.wire = "00001382c668a12663dcd6a5f21b68c1520719e4fdb2",
	},
	{
		.aead = TCPC_AEAD_CHACHA20_POLY1305, .key = K_AB0_44,
		.offset = INIT1_LEN, .data = "hello",
		.nonce = "700ac991bb0519b90a6eb31e", .ad = "000016",
		.wire = "00001673f0ba575ad8afe99cdcefb2066f90f06697cba31779",
	},
};

static void check_example(struct __test_metadata *_metadata,
			  const struct example_frame *ex)
{
	struct tcpc_traffic_key tk;
	struct frame_in in = {};
	static struct frame_out out;
	u8 wire[64], nonce[12], ad[3];
	size_t wlen;

	load_key(&tk, ex->aead, ex->key);
	in.aead = ex->aead;
	in.tk = &tk;
	in.offset = ex->offset;
	in.rekey = ex->rekey;
	in.pfx.fin = ex->fin;
	in.data = (const u8 *)ex->data;
	in.len = strlen(ex->data);
	wlen = seal(&in, wire, nonce);
	ASSERT_NE(0, wlen);
	ASSERT_EQ(TCPC_FRAME_OVERHEAD + in.len, wlen);
	ASSERT_HEX(ex->nonce, nonce, sizeof(nonce));
	memcpy(ad, wire, sizeof(ad));
	ASSERT_HEX(ex->ad, ad, sizeof(ad));
	ASSERT_HEX(ex->wire, wire, wlen);

	/* and back: the receiver recovers rekey, FINp and the data */
	ASSERT_EQ(0, open_frame(ex->aead, &tk, ex->offset, wire, wlen, &out));
	EXPECT_EQ(ex->rekey, tcpc_frame_hdr_rekey(&out.hdr));
	EXPECT_EQ(ex->fin, out.pfx.fin);
	EXPECT_FALSE(out.pfx.urg);
	ASSERT_EQ(in.len, out.len);
	EXPECT_EQ(0, memcmp(ex->data, out.data, out.len));

	/* a wrong offset, a flipped rekey bit or ciphertext bit fails */
	EXPECT_EQ(-EBADMSG, open_frame(ex->aead, &tk, ex->offset + 1, wire,
				       wlen, &out));
	wire[0] ^= TCPC_FRAME_CTL_REKEY;
	EXPECT_EQ(-EBADMSG, open_frame(ex->aead, &tk, ex->offset, wire, wlen,
				       &out));
	wire[0] ^= TCPC_FRAME_CTL_REKEY;
	wire[TCPC_FRAME_HDR_LEN] ^= 0x80;
	EXPECT_EQ(-EBADMSG, open_frame(ex->aead, &tk, ex->offset, wire, wlen,
				       &out));
}

TEST(example_a_frame1)
{
	check_example(_metadata, &examples[0]);
}

TEST(example_a_frame2_rekey)
{
	check_example(_metadata, &examples[1]);
}

TEST(example_a_frame3_finp)
{
	check_example(_metadata, &examples[2]);
}

TEST(example_b_frame1)
{
	check_example(_metadata, &examples[3]);
}

TEST(example_a_frame1_chacha)
{
	check_example(_metadata, &examples[4]);
}

/* The example's offsets follow from Init1 and the frames before */
TEST(example_offsets_chain)
{
	struct tcpc_frame_hdr h1, h2;

	ASSERT_EQ(0, tcpc_frame_hdr_init(&h1, false, 1 + strlen("hello")));
	ASSERT_EQ(0, tcpc_frame_hdr_init(&h2, true, 1));
	EXPECT_EQ(100, INIT1_LEN + tcpc_frame_wire_len(&h1));
	EXPECT_EQ(120, INIT1_LEN + tcpc_frame_wire_len(&h1) +
		  tcpc_frame_wire_len(&h2));
}

/* ---- Header ---- */

TEST(hdr_every_truncation)
{
	static const u8 wire[] = { 0x01, 0x00, 0x16, 0xaa, 0xbb };
	struct tcpc_frame_hdr hdr = { .control = 0x5a, .clen = 0x5a5a };
	size_t len;

	for (len = 0; len < TCPC_FRAME_HDR_LEN; len++) {
		EXPECT_EQ(-EAGAIN, tcpc_frame_hdr_decode(wire, len, &hdr));
		EXPECT_EQ(0x5a, hdr.control);
	}
	for (len = TCPC_FRAME_HDR_LEN; len <= sizeof(wire); len++) {
		ASSERT_EQ(0, tcpc_frame_hdr_decode(wire, len, &hdr));
		EXPECT_EQ(0x01, hdr.control);
		EXPECT_EQ(0x0016, hdr.clen);
		EXPECT_TRUE(tcpc_frame_hdr_rekey(&hdr));
		EXPECT_EQ(25, tcpc_frame_wire_len(&hdr));
		EXPECT_EQ(6, tcpc_frame_plain_len(&hdr));
	}
}

TEST(hdr_clen_bounds)
{
	struct tcpc_frame_hdr hdr;
	u8 wire[3] = { 0 };
	unsigned int clen;

	for (clen = 0; clen < TCPC_FRAME_MIN_CLEN; clen++) {
		tcpc_put_be16(wire + 1, clen);
		EXPECT_EQ(-EBADMSG, tcpc_frame_hdr_decode(wire, 3, &hdr));
	}
	tcpc_put_be16(wire + 1, 17);
	ASSERT_EQ(0, tcpc_frame_hdr_decode(wire, 3, &hdr));
	EXPECT_EQ(17, hdr.clen);
	EXPECT_EQ(1, tcpc_frame_plain_len(&hdr));
	tcpc_put_be16(wire + 1, 0xffff);
	ASSERT_EQ(0, tcpc_frame_hdr_decode(wire, 3, &hdr));
	EXPECT_EQ(65535, hdr.clen);
	EXPECT_EQ(65538, tcpc_frame_wire_len(&hdr));
	EXPECT_EQ(17, TCPC_FRAME_MIN_CLEN);
	EXPECT_EQ(65535, TCPC_FRAME_MAX_CLEN);
}

TEST(hdr_init_bounds)
{
	struct tcpc_frame_hdr hdr;
	u8 out[3];

	EXPECT_EQ(-EINVAL, tcpc_frame_hdr_init(&hdr, false, 0));
	ASSERT_EQ(0, tcpc_frame_hdr_init(&hdr, false, 1));
	EXPECT_EQ(17, hdr.clen);
	ASSERT_EQ(0, tcpc_frame_hdr_init(&hdr, true, 65519));
	tcpc_frame_hdr_encode(&hdr, out);
	ASSERT_HEX("01ffff", out, 3);
	EXPECT_EQ(-EMSGSIZE, tcpc_frame_hdr_init(&hdr, false, 65520));
	EXPECT_EQ(-EMSGSIZE, tcpc_frame_hdr_init(&hdr, false, (size_t)1 << 32));
}

/* Reserved control bits: ignored for meaning, kept for the AD */
TEST(hdr_reserved_bits)
{
	struct tcpc_frame_hdr hdr, mine;
	u8 wire[3] = { 0xfe, 0x00, 0x20 }, ad[3], out[3];

	ASSERT_EQ(0, tcpc_frame_hdr_decode(wire, 3, &hdr));
	EXPECT_FALSE(tcpc_frame_hdr_rekey(&hdr));
	tcpc_frame_ad(&hdr, ad);
	EXPECT_EQ(0, memcmp(ad, wire, 3));
	wire[0] = 0xff;
	ASSERT_EQ(0, tcpc_frame_hdr_decode(wire, 3, &hdr));
	EXPECT_TRUE(tcpc_frame_hdr_rekey(&hdr));
	/* a sender never sets them */
	ASSERT_EQ(0, tcpc_frame_hdr_init(&mine, true, 0x10));
	tcpc_frame_hdr_encode(&mine, out);
	ASSERT_HEX("010020", out, 3);
	ASSERT_EQ(0, tcpc_frame_hdr_init(&mine, false, 0x10));
	tcpc_frame_hdr_encode(&mine, out);
	ASSERT_HEX("000020", out, 3);
}

/* ---- Frame ID and nonce ---- */

TEST(frame_id_and_nonce)
{
	u8 id[12], nonce[12], nr[12];
	unsigned int i;

	tcpc_frame_id(0, id);
	ASSERT_HEX("000000000000000000000000", id, 12);
	tcpc_frame_id(0x0102030405060708ull, id);
	ASSERT_HEX("000000000102030405060708", id, 12);
	tcpc_frame_id(~0ull, id);
	ASSERT_HEX("00000000ffffffffffffffff", id, 12);

	for (i = 0; i < 12; i++)
		nr[i] = 0xf0 + i;
	tcpc_frame_nonce(nr, 0x0102030405060708ull, nonce);
	ASSERT_HEX("f0f1f2f3f5f7f5f3fdfffdf3", nonce, 12);
	/* XOR with NR again gives back the frame ID */
	for (i = 0; i < 12; i++)
		nonce[i] ^= nr[i];
	tcpc_frame_id(0x0102030405060708ull, id);
	EXPECT_EQ(0, memcmp(nonce, id, 12));
}

/* ---- Plaintext prefix ---- */

TEST(prefix_flags_reserved_ignored)
{
	struct tcpc_frame_prefix pfx;
	u8 p[3] = { 0 };
	unsigned int f;

	for (f = 0; f < 256; f++) {
		p[0] = f;
		ASSERT_EQ(f & 2 ? 3 : 1, tcpc_frame_prefix_decode(p, 3, &pfx));
		EXPECT_EQ(!!(f & 1), pfx.fin);
		EXPECT_EQ(!!(f & 2), pfx.urg);
	}
	EXPECT_EQ(-EBADMSG, tcpc_frame_prefix_decode(p, 0, &pfx));
}

TEST(prefix_encode)
{
	struct tcpc_frame_prefix pfx = {};
	u8 out[3];

	EXPECT_EQ(1, tcpc_frame_prefix_encode(&pfx, out));
	ASSERT_HEX("00", out, 1);
	pfx.fin = true;
	pfx.urgent = 0x1234;	/* ignored without URGp */
	EXPECT_EQ(1, tcpc_frame_prefix_encode(&pfx, out));
	ASSERT_HEX("01", out, 1);
	pfx.urg = true;
	EXPECT_EQ(3, tcpc_frame_prefix_encode(&pfx, out));
	ASSERT_HEX("031234", out, 3);
	pfx.fin = false;
	EXPECT_EQ(3, tcpc_frame_prefix_encode(&pfx, out));
	ASSERT_HEX("021234", out, 3);
}

TEST(prefix_urgent_round_trip)
{
	static const u16 vals[] = { 0, 1, 0x00ff, 0x0100, 0x1234, 0xfffe,
				    0xffff };
	struct tcpc_frame_prefix in = { .urg = true }, out;
	u8 buf[3];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		in.urgent = vals[i];
		in.fin = i & 1;
		ASSERT_EQ(3, tcpc_frame_prefix_encode(&in, buf));
		EXPECT_EQ(vals[i] >> 8, buf[1]);
		ASSERT_EQ(3, tcpc_frame_prefix_decode(buf, 3, &out));
		EXPECT_TRUE(out.urg);
		EXPECT_EQ(in.fin, out.fin);
		EXPECT_EQ(vals[i], out.urgent);
		/* the urgent field must be there whole */
		EXPECT_EQ(-EBADMSG, tcpc_frame_prefix_decode(buf, 2, &out));
		EXPECT_EQ(-EBADMSG, tcpc_frame_prefix_decode(buf, 1, &out));
	}
}

/* ---- Limits ---- */

TEST(limits)
{
	struct tcpc_frame_prefix plain = {}, urg = { .urg = true };

	EXPECT_EQ(3, TCPC_FRAME_HDR_LEN);
	EXPECT_EQ(16, TCPC_FRAME_TAG_LEN);
	EXPECT_EQ(20, TCPC_FRAME_OVERHEAD);
	EXPECT_EQ(65519, TCPC_FRAME_MAX_PLAIN);
	EXPECT_EQ(65518, TCPC_FRAME_MAX_DATA);
	EXPECT_EQ(65516, TCPC_FRAME_MAX_DATA_URG);
	EXPECT_EQ(65518, tcpc_frame_max_data(&plain));
	EXPECT_EQ(65516, tcpc_frame_max_data(&urg));
	EXPECT_EQ(1, tcpc_frame_prefix_len(&plain));
	EXPECT_EQ(3, tcpc_frame_prefix_len(&urg));
}

/* Largest frames, with and without urgent data, through the AEAD */
TEST(largest_frames_round_trip)
{
	static u8 data[TCPC_FRAME_MAX_DATA], wire[TCPC_FRAME_MAX_CLEN + 3];
	static struct frame_out out;
	struct tcpc_traffic_key tk;
	struct frame_in in = {};
	size_t i, wlen;

	for (i = 0; i < sizeof(data); i++)
		data[i] = i * 7;
	load_key(&tk, TCPC_AEAD_AES_256_GCM, K_AB0_44);
	in.aead = TCPC_AEAD_AES_256_GCM;
	in.tk = &tk;
	in.offset = 0x123456789aull;
	in.data = data;
	in.len = tcpc_frame_max_data(&in.pfx);
	wlen = seal(&in, wire, NULL);
	ASSERT_EQ(65538, wlen);
	ASSERT_EQ(0, open_frame(in.aead, &tk, in.offset, wire, wlen, &out));
	EXPECT_EQ(in.len, out.len);
	EXPECT_EQ(0, memcmp(out.data, data, out.len));
	/* a frame is complete only when all of it is there */
	EXPECT_EQ(-EAGAIN, open_frame(in.aead, &tk, in.offset, wire,
				      wlen - 1, &out));

	in.pfx.urg = true;
	in.pfx.fin = true;
	in.pfx.urgent = 0xfffe;
	in.len = tcpc_frame_max_data(&in.pfx);
	wlen = seal(&in, wire, NULL);
	ASSERT_EQ(65538, wlen);
	ASSERT_EQ(0, open_frame(in.aead, &tk, in.offset, wire, wlen, &out));
	EXPECT_TRUE(out.pfx.urg && out.pfx.fin);
	EXPECT_EQ(0xfffe, out.pfx.urgent);
	EXPECT_EQ(in.len, out.len);
	EXPECT_EQ(0, memcmp(out.data, data, out.len));

	/* one byte more does not fit */
	in.len++;
	EXPECT_EQ(0, seal(&in, wire, NULL));
}

TEST_HARNESS_MAIN
