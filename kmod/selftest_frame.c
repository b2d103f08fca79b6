// SPDX-License-Identifier: GPL-2.0
/*
 * Known-answer tests of frame protection through the kernel crypto API,
 * run at module load: the frames of the spec digest's worked example
 * (section 3) sealed and compared byte for byte, then opened back, with
 * source, destination and plaintext scattered over pages at every split
 * point; tampering, a wrong nonce and a wrong key; the largest frame (a
 * 65519-byte plaintext); and a seal, open and key teardown in softirq.
 * The expected bytes were computed with an independent AEAD
 * implementation (Python's cryptography package).
 */
#include <crypto/aead.h>
#include <crypto/sha2.h>
#include <linux/completion.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timer.h>
#include "frame_crypto.h"
#include "hmac_kernel.h"
#include "kdf.h"
#include "selftest_frame.h"

/* mk[0] of the worked example, to derive k_ab[0] through the kernel HMAC */
static const u8 kat_mk0[] = {
	0x41, 0x15, 0x92, 0x8c, 0x1a, 0x47, 0xf5, 0x40,
	0x67, 0x4e, 0x6b, 0xd0, 0x45, 0xef, 0x9a, 0xcb,
	0xfe, 0xe5, 0xd4, 0x50, 0x10, 0x39, 0x05, 0x77,
	0x64, 0x6a, 0xd0, 0x16, 0x13, 0x1f, 0x10, 0x45,
};

/* Traffic keys K | NR for AES-128-GCM: k_ab[0], k_ba[0], k_ab[1] */
static const u8 kat_kab0[] = {
	0x9d, 0x86, 0xca, 0x6e, 0xd0, 0x72, 0xc1, 0xdf,
	0x93, 0xb4, 0x00, 0x87, 0xf6, 0x7e, 0xfb, 0xea,
	0xb7, 0x04, 0x3d, 0xa4, 0x00, 0x98, 0xa8, 0x8a,
	0x1b, 0xa1, 0x6d, 0x96,
};

static const u8 kat_kba0[] = {
	0x9c, 0xbb, 0xbc, 0xd8, 0x41, 0x62, 0x8f, 0xce,
	0x2b, 0xe5, 0x19, 0x72, 0x91, 0xb8, 0xec, 0xe3,
	0x86, 0x27, 0x49, 0x74, 0xde, 0x6d, 0xf1, 0xb6,
	0x2f, 0x23, 0xe7, 0x11,
};

static const u8 kat_kab1[] = {
	0xd7, 0xf3, 0x37, 0x40, 0x0b, 0xad, 0xbd, 0xe7,
	0x65, 0xd4, 0x86, 0x01, 0x44, 0x2a, 0xb1, 0x97,
	0x4c, 0x3f, 0xee, 0x37, 0xed, 0xfb, 0x8a, 0x56,
	0x58, 0x9e, 0x51, 0xd9,
};

/* k_ab[0] for the 32-byte-key AEADs (ChaCha20-Poly1305, AES-256-GCM) */
static const u8 kat_kab0_44[] = {
	0x9d, 0x86, 0xca, 0x6e, 0xd0, 0x72, 0xc1, 0xdf,
	0x93, 0xb4, 0x00, 0x87, 0xf6, 0x7e, 0xfb, 0xea,
	0xb7, 0x04, 0x3d, 0xa4, 0x00, 0x98, 0xa8, 0x8a,
	0x1b, 0xa1, 0x6d, 0x96, 0x77, 0x38, 0x9e, 0x11,
	0x70, 0x0a, 0xc9, 0x91, 0xbb, 0x05, 0x19, 0xb9,
	0x0a, 0x6e, 0xb3, 0x55,
};

/* Wire frames: header | ciphertext | tag */
static const u8 kat_f1[] = {
	0x00, 0x00, 0x16, 0xb1, 0xa4, 0xa9, 0x74, 0x62,
	0x45, 0x6f, 0x70, 0x2b, 0xd6, 0x2c, 0xfb, 0xd8,
	0x29, 0x10, 0x37, 0x50, 0x86, 0xa0, 0x4b, 0x86,
	0xa8,
};

static const u8 kat_f2[] = {
	0x01, 0x00, 0x11, 0x9a, 0xe6, 0xe2, 0x62, 0x86,
	0x51, 0xe5, 0xbc, 0x65, 0xb7, 0xac, 0xcf, 0x1a,
	0x28, 0x63, 0x40, 0x8d,
};

static const u8 kat_f3[] = {
	0x00, 0x00, 0x11, 0x9d, 0x95, 0x50, 0x3c, 0x74,
	0x11, 0xf9, 0x2b, 0x2f, 0x34, 0x8d, 0x00, 0x16,
	0x5d, 0xe5, 0x30, 0x3b,
};

static const u8 kat_fb[] = {
	0x00, 0x00, 0x13, 0x82, 0xc6, 0x68, 0xa1, 0x26,
	0x63, 0xdc, 0xd6, 0xa5, 0xf2, 0x1b, 0x68, 0xc1,
	0x52, 0x07, 0x19, 0xe4, 0xfd, 0xb2,
};

static const u8 kat_fc[] = {
	0x00, 0x00, 0x16, 0x73, 0xf0, 0xba, 0x57, 0x5a,
	0xd8, 0xaf, 0xe9, 0x9c, 0xdc, 0xef, 0xb2, 0x06,
	0x6f, 0x90, 0xf0, 0x66, 0x97, 0xcb, 0xa3, 0x17,
	0x79,
};

/*
 * Not in the digest, computed with the same generator: A frame#1 under
 * AES-256-GCM, and "hello" with URGp and urgent offset 3 at offset 200.
 */
static const u8 kat_f256[] = {
	0x00, 0x00, 0x16, 0xdf, 0x57, 0xa8, 0xbf, 0xa4,
	0x89, 0x14, 0x63, 0xbe, 0x92, 0xff, 0x2b, 0x68,
	0x3d, 0x74, 0x5e, 0x49, 0x75, 0xeb, 0x6e, 0x9e,
	0xa8,
};

static const u8 kat_furg[] = {
	0x00, 0x00, 0x18, 0x17, 0xa8, 0x02, 0x51, 0xd9,
	0xf9, 0x01, 0x19, 0x90, 0x4e, 0x90, 0x1b, 0x30,
	0xcb, 0xfe, 0x28, 0xa3, 0xca, 0x84, 0xba, 0x4c,
	0xd3, 0xba, 0x2d,
};

/*
 * SHA-256 of the largest frame (65518 data bytes of big_pattern(), FINp,
 * offset BIG_OFFSET) under k_ab[0] of each AEAD.
 */
static const u8 kat_big_gcm128[] = {
	0x14, 0x15, 0x30, 0xbd, 0x7e, 0x5a, 0xaf, 0x2a,
	0xa1, 0x7f, 0xf5, 0x85, 0xd0, 0x85, 0x6f, 0xc0,
	0x9a, 0x96, 0x12, 0x50, 0x08, 0x36, 0xca, 0xf8,
	0x19, 0xca, 0x5b, 0x07, 0xf5, 0x27, 0xdc, 0x76,
};

static const u8 kat_big_chacha[] = {
	0xac, 0x6a, 0x4a, 0x46, 0x36, 0x11, 0xd9, 0x23,
	0x77, 0xcb, 0x4b, 0x27, 0xec, 0x14, 0x5b, 0x5b,
	0xd9, 0x1c, 0x78, 0xd2, 0xc2, 0xbe, 0x9c, 0x7b,
	0xeb, 0xe8, 0x6d, 0x95, 0x68, 0xb9, 0x0a, 0x9f,
};

static const u8 kat_big_gcm256[] = {
	0xd4, 0x5c, 0x0c, 0x5a, 0x92, 0x7f, 0xe2, 0x9e,
	0x12, 0xb0, 0x3d, 0x7d, 0x06, 0x44, 0xfe, 0x01,
	0x4c, 0xc4, 0x8d, 0xdd, 0xd6, 0x5e, 0x90, 0x0f,
	0x1a, 0xef, 0x59, 0x56, 0xfd, 0x62, 0x2b, 0x91,
};

struct frame_kat {
	const char *name;
	u16 aead;
	const u8 *tk;		/* K | NR */
	u64 offset;
	bool rekey;
	struct tcpc_frame_prefix pfx;
	const char *data;
	const u8 *wire;
	unsigned int wire_len;
};

#define KAT_WIRE(w) .wire = (w), .wire_len = sizeof(w)

static const struct frame_kat frame_kats[] = {
	{
		.name = "A frame#1 AES-128-GCM", .aead = TCPC_AEAD_AES_128_GCM,
		.tk = kat_kab0, .offset = 75, .data = "hello",
		KAT_WIRE(kat_f1),
	}, {
		.name = "A frame#2 rekey", .aead = TCPC_AEAD_AES_128_GCM,
		.tk = kat_kab1, .offset = 100, .rekey = true, .data = "",
		KAT_WIRE(kat_f2),
	}, {
		.name = "A frame#3 FINp", .aead = TCPC_AEAD_AES_128_GCM,
		.tk = kat_kab1, .offset = 120, .pfx = { .fin = true },
		.data = "", KAT_WIRE(kat_f3),
	}, {
		.name = "B frame#1", .aead = TCPC_AEAD_AES_128_GCM,
		.tk = kat_kba0, .offset = 74, .data = "hi",
		KAT_WIRE(kat_fb),
	}, {
		.name = "A frame#1 ChaCha20-Poly1305",
		.aead = TCPC_AEAD_CHACHA20_POLY1305, .tk = kat_kab0_44,
		.offset = 75, .data = "hello", KAT_WIRE(kat_fc),
	}, {
		.name = "A frame#1 AES-256-GCM", .aead = TCPC_AEAD_AES_256_GCM,
		.tk = kat_kab0_44, .offset = 75, .data = "hello",
		KAT_WIRE(kat_f256),
	}, {
		.name = "URGp", .aead = TCPC_AEAD_AES_128_GCM,
		.tk = kat_kab0, .offset = 200,
		.pfx = { .urg = true, .urgent = 3 }, .data = "hello",
		KAT_WIRE(kat_furg),
	},
};

struct frame_big {
	const char *name;
	u16 aead;
	const u8 *tk;
	const u8 *sha256;
};

#define BIG_OFFSET	0x1122334455667788ULL
#define BIG_DATA_LEN	TCPC_FRAME_MAX_DATA

static const struct frame_big frame_bigs[] = {
	{ "AES-128-GCM", TCPC_AEAD_AES_128_GCM, kat_kab0, kat_big_gcm128 },
	{ "ChaCha20-Poly1305", TCPC_AEAD_CHACHA20_POLY1305, kat_kab0_44,
	  kat_big_chacha },
	{ "AES-256-GCM", TCPC_AEAD_AES_256_GCM, kat_kab0_44, kat_big_gcm256 },
};

static u8 big_pattern(unsigned int i)
{
	return i * 7 + (i >> 8);
}

/*
 * A buffer scattered over separate pages. A layout places len bytes from
 * byte "first" of page 0 on, with a new entry at every page boundary and
 * every "chunk" bytes, and fills the pages around it with a canary so
 * that stray writes show.
 */
#define ST_PAGES	20
#define ST_ENTS		128
#define ST_CANARY	0xa5
#define ST_GUARD	16
#define ST_SPAN		(ST_PAGES * PAGE_SIZE)

struct st_buf {
	struct page *pages[ST_PAGES];
	struct scatterlist sg[ST_ENTS];
	unsigned int first;
	unsigned int len;
};

static u8 *st_byte(struct st_buf *b, unsigned int pos)
{
	return (u8 *)page_address(b->pages[pos / PAGE_SIZE]) + pos % PAGE_SIZE;
}

static struct st_buf *st_buf_alloc(void)
{
	struct st_buf *b = kzalloc(sizeof(*b), GFP_KERNEL);
	unsigned int i;

	if (!b)
		return NULL;
	for (i = 0; i < ST_PAGES; i++) {
		b->pages[i] = alloc_page(GFP_KERNEL);
		if (!b->pages[i])
			goto err_free_pages;
	}
	return b;

err_free_pages:
	while (i--)
		__free_page(b->pages[i]);
	kfree(b);
	return NULL;
}

static void st_buf_free(struct st_buf *b)
{
	unsigned int i;

	if (!b)
		return;
	for (i = 0; i < ST_PAGES; i++)
		__free_page(b->pages[i]);
	kfree(b);
}

static bool st_layout(struct st_buf *b, unsigned int len, unsigned int first,
		      unsigned int chunk)
{
	unsigned int pos, end = first + len, n = 0;

	if (end + ST_GUARD > ST_SPAN)
		return false;
	for (pos = first ? first - 1 : 0; pos < end + ST_GUARD; pos++)
		*st_byte(b, pos) = ST_CANARY;
	sg_init_table(b->sg, ST_ENTS);
	b->first = first;
	b->len = len;
	for (pos = first; pos < end; n++) {
		unsigned int off = pos % PAGE_SIZE;
		unsigned int ent = min3(end - pos, (unsigned int)PAGE_SIZE - off,
					chunk);

		if (n == ST_ENTS)
			return false;
		sg_set_page(&b->sg[n], b->pages[pos / PAGE_SIZE], ent, off);
		pos += ent;
	}
	if (n)
		sg_mark_end(&b->sg[n - 1]);
	return true;
}

/* The scatterlist of a layout, NULL for an empty one */
static struct scatterlist *st_sg(struct st_buf *b)
{
	return b->len ? b->sg : NULL;
}

static bool st_write(struct st_buf *b, const u8 *buf, unsigned int len)
{
	return sg_pcopy_from_buffer(b->sg, sg_nents(b->sg), buf, len, 0) ==
	       len;
}

static bool st_read(struct st_buf *b, u8 *buf, unsigned int len)
{
	return sg_pcopy_to_buffer(b->sg, sg_nents(b->sg), buf, len, 0) == len;
}

/* The byte before the layout and ST_GUARD bytes after it are canaries */
static bool st_guard_intact(struct st_buf *b)
{
	unsigned int pos, end = b->first + b->len;

	if (b->first && *st_byte(b, b->first - 1) != ST_CANARY)
		return false;
	for (pos = end; pos < end + ST_GUARD; pos++)
		if (*st_byte(b, pos) != ST_CANARY)
			return false;
	return true;
}

/* Room for the largest wire frame, in one piece */
#define ST_LIN_LEN	(TCPC_FRAME_HDR_LEN + TCPC_FRAME_MAX_CLEN)

struct frame_st {
	struct st_buf *src;
	struct st_buf *wire;
	struct st_buf *plain;
	u8 *lin;	/* what a scatterlist holds */
	u8 *ref;	/* what it should hold */
};

static int frame_st_alloc(struct frame_st *st)
{
	st->src = st_buf_alloc();
	st->wire = st_buf_alloc();
	st->plain = st_buf_alloc();
	st->lin = kvmalloc(ST_LIN_LEN, GFP_KERNEL);
	st->ref = kvmalloc(ST_LIN_LEN, GFP_KERNEL);
	if (!st->src || !st->wire || !st->plain || !st->lin || !st->ref)
		return -ENOMEM;
	return 0;
}

static void frame_st_free(struct frame_st *st)
{
	kvfree(st->ref);
	kvfree(st->lin);
	st_buf_free(st->plain);
	st_buf_free(st->wire);
	st_buf_free(st->src);
}

static bool kat_key_init(struct tcpc_frame_key *key, const char *name,
			 u16 aead, const u8 *tk)
{
	const struct tcpc_aead_desc *desc = tcpc_aead_find(aead);
	int err = -EINVAL;

	if (desc)
		err = tcpc_frame_key_init(key, aead, tk,
					  tcpc_aead_traffic_key_len(desc));
	if (err) {
		pr_err("self-test frame %s: key setup failed: %d\n", name, err);
		return false;
	}
	pr_debug("self-test frame %s: %s\n", name,
		 crypto_aead_driver_name(key->tfm));
	return true;
}

static bool same_prefix(const struct tcpc_frame_prefix *a,
			const struct tcpc_frame_prefix *b)
{
	return a->fin == b->fin && a->urg == b->urg &&
	       (!a->urg || a->urgent == b->urgent);
}

/* Seal @kat and compare the wire bytes, the wire split after @split bytes */
/* The source of kat_seal(), and a destination for the wire bytes */
static bool kat_seal_prepare(struct frame_st *st, const struct frame_kat *kat,
			     unsigned int split)
{
	unsigned int data_len = strlen(kat->data);
	/* Odd source shapes, sometimes longer than the frame's data */
	unsigned int src_len = data_len + (split & 1 ? 7 : 0);

	memset(st->ref, 0x3c, src_len);
	memcpy(st->ref, kat->data, data_len);
	return st_layout(st->src, src_len, PAGE_SIZE - 1 - split % 5,
			 1 + split % 3) &&
	       st_write(st->src, st->ref, src_len) &&
	       st_layout(st->wire, kat->wire_len, PAGE_SIZE - split, UINT_MAX);
}

static bool kat_seal_check(struct frame_st *st, const struct frame_kat *kat,
			   unsigned int split, int err)
{
	unsigned int src_len = strlen(kat->data) + (split & 1 ? 7 : 0);

	if (err || !st_read(st->wire, st->lin, kat->wire_len) ||
	    memcmp(st->lin, kat->wire, kat->wire_len)) {
		pr_err("self-test frame %s: seal with the wire split at %u: %d, or wrong bytes\n",
		       kat->name, split, err);
		return false;
	}
	if (!st_guard_intact(st->wire) || !st_read(st->src, st->lin, src_len) ||
	    memcmp(st->lin, st->ref, src_len)) {
		pr_err("self-test frame %s: seal wrote outside its destination\n",
		       kat->name);
		return false;
	}
	return true;
}

static bool kat_seal(struct frame_st *st, const struct frame_kat *kat,
		     const struct tcpc_frame_key *key, unsigned int split)
{
	return kat_seal_prepare(st, kat, split) &&
	       kat_seal_check(st, kat, split,
			      tcpc_frame_seal(key, kat->offset, kat->rekey,
					      &kat->pfx, st_sg(st->src),
					      strlen(kat->data),
					      st->wire->sg));
}

/* The plaintext kat_open() must find, and room for it */
static bool kat_open_prepare(struct frame_st *st, const struct frame_kat *kat,
			     unsigned int split)
{
	unsigned int plain_len = kat->wire_len - TCPC_FRAME_HDR_LEN -
				 TCPC_FRAME_TAG_LEN;
	size_t plen;

	plen = tcpc_frame_prefix_encode(&kat->pfx, st->ref);
	memcpy(st->ref + plen, kat->data, plain_len - plen);
	return st_layout(st->plain, plain_len, PAGE_SIZE - 1 - split % 3, 2);
}

static bool kat_open_check(struct frame_st *st, const struct frame_kat *kat,
			   unsigned int split, int err,
			   const struct tcpc_frame_prefix *pfx)
{
	unsigned int plain_len = kat->wire_len - TCPC_FRAME_HDR_LEN -
				 TCPC_FRAME_TAG_LEN;

	if (err || !same_prefix(pfx, &kat->pfx) ||
	    !st_read(st->plain, st->lin, plain_len) ||
	    memcmp(st->lin, st->ref, plain_len) ||
	    !st_guard_intact(st->plain)) {
		pr_err("self-test frame %s: open with the wire split at %u: %d, or wrong plaintext\n",
		       kat->name, split, err);
		return false;
	}
	if (!st_read(st->wire, st->lin, kat->wire_len) ||
	    memcmp(st->lin, kat->wire, kat->wire_len)) {
		pr_err("self-test frame %s: open wrote into its source\n",
		       kat->name);
		return false;
	}
	return true;
}

/* Open the frame kat_seal() left in st->wire, into scattered plaintext */
static bool kat_open(struct frame_st *st, const struct frame_kat *kat,
		     const struct tcpc_frame_key *key, unsigned int split)
{
	struct tcpc_frame_prefix pfx = {};

	return kat_open_prepare(st, kat, split) &&
	       kat_open_check(st, kat, split,
			      tcpc_frame_open(key, kat->offset, st->wire->sg,
					      kat->wire_len, st->plain->sg,
					      &pfx),
			      &pfx);
}

/* Open @len wire bytes from st->lin (scattered) into st->plain */
static int open_lin(struct frame_st *st, const struct tcpc_frame_key *key,
		    u64 offset, unsigned int len, unsigned int plain_len)
{
	struct tcpc_frame_prefix pfx;

	if (!st_layout(st->wire, len, PAGE_SIZE - 3, 5) ||
	    !st_write(st->wire, st->lin, len) ||
	    !st_layout(st->plain, plain_len, 0, UINT_MAX))
		return -E2BIG;
	return tcpc_frame_open(key, offset, st->wire->sg, len, st->plain->sg,
			       &pfx);
}

/* A failed open leaves nothing of the plaintext behind */
static bool plain_wiped(struct frame_st *st, unsigned int plain_len)
{
	return st_read(st->plain, st->ref, plain_len) &&
	       !memchr_inv(st->ref, 0, plain_len);
}

/*
 * Every single-bit change is refused: in clen as a length mismatch, in the
 * control byte, ciphertext or tag as an authentication failure. So is the
 * intact frame at another offset (another nonce).
 */
static bool kat_tamper(struct frame_st *st, const struct frame_kat *kat,
		       const struct tcpc_frame_key *key)
{
	static const u64 offset_deltas[] = { 1, 1ULL << 40 };
	unsigned int plain_len = kat->wire_len - TCPC_FRAME_HDR_LEN -
				 TCPC_FRAME_TAG_LEN;
	unsigned int i;
	int err;

	for (i = 0; i < kat->wire_len * 8; i++) {
		bool in_clen = i / 8 == 1 || i / 8 == 2;

		memcpy(st->lin, kat->wire, kat->wire_len);
		st->lin[i / 8] ^= 1 << (i % 8);
		err = open_lin(st, key, kat->offset, kat->wire_len, plain_len);
		if (in_clen ? err != -EINVAL && err != -EBADMSG :
			      err != -EBADMSG || !plain_wiped(st, plain_len)) {
			pr_err("self-test frame %s: bit %u flipped: %d\n",
			       kat->name, i, err);
			return false;
		}
	}
	for (i = 0; i < ARRAY_SIZE(offset_deltas); i++) {
		memcpy(st->lin, kat->wire, kat->wire_len);
		err = open_lin(st, key, kat->offset ^ offset_deltas[i],
			       kat->wire_len, plain_len);
		if (err != -EBADMSG || !plain_wiped(st, plain_len)) {
			pr_err("self-test frame %s: opened at a wrong offset: %d\n",
			       kat->name, err);
			return false;
		}
	}
	return true;
}

static bool test_kat(struct frame_st *st, const struct frame_kat *kat)
{
	struct tcpc_frame_key key;
	unsigned int split;
	bool ok = true;

	if (!kat_key_init(&key, kat->name, kat->aead, kat->tk))
		return false;
	for (split = 0; ok && split <= kat->wire_len; split++)
		ok = kat_seal(st, kat, &key, split) &&
		     kat_open(st, kat, &key, split);
	ok = ok && kat_tamper(st, kat, &key);
	tcpc_frame_key_destroy(&key);
	return ok;
}

/* mk[0] -> k_ab[0] through the kernel HMAC -> frame key -> A frame#1 */
static bool test_derived_key(struct frame_st *st)
{
	const struct frame_kat *kat = &frame_kats[0];
	struct tcpc_traffic_key tk;
	struct tcpc_frame_key key;
	int err;
	bool ok;

	err = tcpc_kdf_traffic_key(&tcpc_hmac_kernel, kat_mk0, TCPC_KEY_AB,
				   tcpc_aead_find(kat->aead), &tk);
	if (!err)
		err = tcpc_frame_key_init_tk(&key, kat->aead, &tk);
	memzero_explicit(&tk, sizeof(tk));
	if (err) {
		pr_err("self-test frame key from mk[0] failed: %d\n", err);
		return false;
	}
	ok = kat_seal(st, kat, &key, 1) && kat_open(st, kat, &key, 1);
	tcpc_frame_key_destroy(&key);
	return ok;
}

/* A frame#1 under k_ab[1], the next generation's key, is refused */
static bool test_wrong_key(struct frame_st *st)
{
	const struct frame_kat *kat = &frame_kats[0];
	unsigned int plain_len = kat->wire_len - TCPC_FRAME_HDR_LEN -
				 TCPC_FRAME_TAG_LEN;
	struct tcpc_frame_key key;
	int err;

	if (!kat_key_init(&key, "k_ab[1]", kat->aead, kat_kab1))
		return false;
	memcpy(st->lin, kat->wire, kat->wire_len);
	err = open_lin(st, &key, kat->offset, kat->wire_len, plain_len);
	tcpc_frame_key_destroy(&key);
	if (err != -EBADMSG || !plain_wiped(st, plain_len)) {
		pr_err("self-test frame %s opened under a wrong key: %d\n",
		       kat->name, err);
		return false;
	}
	return true;
}

/* Scatterlists shorter than the lengths they come with are refused */
static bool test_short_lists(struct frame_st *st)
{
	const struct frame_kat *kat = &frame_kats[0];
	unsigned int data_len = strlen(kat->data);
	struct tcpc_frame_prefix pfx;
	struct tcpc_frame_key key;
	int seal_data, seal_wire, open_plain;

	if (!kat_key_init(&key, "short lists", kat->aead, kat->tk))
		return false;
	st_layout(st->src, data_len - 1, 0, UINT_MAX);
	st_layout(st->wire, kat->wire_len, 0, UINT_MAX);
	seal_data = tcpc_frame_seal(&key, kat->offset, false, &kat->pfx,
				    st->src->sg, data_len, st->wire->sg);
	st_layout(st->src, data_len, 0, UINT_MAX);
	st_layout(st->wire, kat->wire_len - 1, 0, UINT_MAX);
	seal_wire = tcpc_frame_seal(&key, kat->offset, false, &kat->pfx,
				    st->src->sg, data_len, st->wire->sg);
	st_layout(st->wire, kat->wire_len, 0, UINT_MAX);
	st_write(st->wire, kat->wire, kat->wire_len);
	st_layout(st->plain, kat->wire_len - TCPC_FRAME_HDR_LEN -
		  TCPC_FRAME_TAG_LEN - 1, 0, UINT_MAX);
	open_plain = tcpc_frame_open(&key, kat->offset, st->wire->sg,
				     kat->wire_len, st->plain->sg, &pfx);
	tcpc_frame_key_destroy(&key);
	if (seal_data != -EINVAL || seal_wire != -EINVAL ||
	    open_plain != -EINVAL) {
		pr_err("self-test frame short lists: %d %d %d\n",
		       seal_data, seal_wire, open_plain);
		return false;
	}
	return true;
}

/* A 65519-byte plaintext (the most clen allows), then one byte more */
static bool big_roundtrip(struct frame_st *st, const struct frame_big *big,
			  const struct tcpc_frame_key *key)
{
	static const struct tcpc_frame_prefix fin = { .fin = true };
	unsigned int wire_len = tcpc_frame_sealed_len(&fin, BIG_DATA_LEN);
	u8 digest[SHA256_DIGEST_SIZE] = {};
	struct tcpc_frame_prefix pfx;
	int err;

	if (!st_layout(st->src, BIG_DATA_LEN + 1, 1234, 999) ||
	    !st_write(st->src, st->ref, BIG_DATA_LEN + 1) ||
	    !st_layout(st->wire, wire_len, PAGE_SIZE - 5, UINT_MAX))
		return false;
	err = tcpc_frame_seal(key, BIG_OFFSET, false, &fin, st->src->sg,
			      BIG_DATA_LEN, st->wire->sg);
	if (!err && st_read(st->wire, st->lin, wire_len))
		sha256(st->lin, wire_len, digest);
	if (err || memcmp(digest, big->sha256, sizeof(digest)) ||
	    !st_guard_intact(st->wire)) {
		pr_err("self-test frame largest %s: seal: %d, or wrong bytes\n",
		       big->name, err);
		return false;
	}

	if (!st_layout(st->plain, BIG_DATA_LEN + 1, 3, 2000))
		return false;
	err = tcpc_frame_open(key, BIG_OFFSET, st->wire->sg, wire_len,
			      st->plain->sg, &pfx);
	if (err || !same_prefix(&pfx, &fin) ||
	    !st_read(st->plain, st->lin, BIG_DATA_LEN + 1) ||
	    st->lin[0] != TCPC_FRAME_FINP ||
	    memcmp(st->lin + 1, st->ref, BIG_DATA_LEN)) {
		pr_err("self-test frame largest %s: open: %d, or wrong plaintext\n",
		       big->name, err);
		return false;
	}

	err = tcpc_frame_seal(key, BIG_OFFSET, false, &fin, st->src->sg,
			      BIG_DATA_LEN + 1, st->wire->sg);
	if (err != -EMSGSIZE) {
		pr_err("self-test frame largest %s: one byte more: %d\n",
		       big->name, err);
		return false;
	}
	return true;
}

static bool test_big(struct frame_st *st, const struct frame_big *big)
{
	struct tcpc_frame_key key;
	unsigned int i;
	bool ok;

	for (i = 0; i < BIG_DATA_LEN + 1; i++)
		st->ref[i] = big_pattern(i);
	if (!kat_key_init(&key, big->name, big->aead, big->tk))
		return false;
	ok = big_roundtrip(st, big, &key);
	tcpc_frame_key_destroy(&key);
	return ok;
}

/*
 * The data path seals and opens in softirq context: do it from a timer
 * callback (a real softirq, where a sleep would be a "scheduling while
 * atomic" bug), with the asynchronous calls the data path makes (their
 * completion may come later, from the crypto driver), and tear the key
 * down there too. The results are checked back in process context.
 */
enum softirq_step {
	SOFTIRQ_SEAL,
	SOFTIRQ_OPEN,
	SOFTIRQ_DESTROY,
};

struct softirq_probe {
	struct timer_list timer;
	struct completion done;
	struct frame_st *st;
	struct tcpc_frame_key key;
	struct tcpc_frame_prefix pfx;
	enum softirq_step step;
	int err;
	bool in_softirq;
};

static void softirq_probe_done(void *arg, int err)
{
	struct softirq_probe *p = arg;

	p->err = err;
	complete(&p->done);
}

static void softirq_probe_run(struct timer_list *t)
{
	struct softirq_probe *p = from_timer(p, t, timer);
	const struct frame_kat *kat = &frame_kats[0];
	int err = 0;

	p->in_softirq = p->in_softirq && in_serving_softirq();
	switch (p->step) {
	case SOFTIRQ_SEAL:
		err = tcpc_frame_seal_async(&p->key, kat->offset, kat->rekey,
					    &kat->pfx, st_sg(p->st->src),
					    strlen(kat->data), p->st->wire->sg,
					    softirq_probe_done, p);
		break;
	case SOFTIRQ_OPEN:
		err = tcpc_frame_open_async(&p->key, kat->offset,
					    p->st->wire->sg, kat->wire_len,
					    p->st->plain->sg, &p->pfx,
					    softirq_probe_done, p);
		break;
	case SOFTIRQ_DESTROY:
		tcpc_frame_key_destroy(&p->key);
		break;
	}
	if (err != -EINPROGRESS)
		softirq_probe_done(p, err);
}

/* One step in softirq; its result once it completed, wherever it did */
static int softirq_probe_step(struct softirq_probe *p, enum softirq_step step)
{
	p->step = step;
	reinit_completion(&p->done);
	mod_timer(&p->timer, jiffies + 1);
	wait_for_completion(&p->done);
	return p->err;
}

static bool test_softirq(struct frame_st *st)
{
	const struct frame_kat *kat = &frame_kats[0];
	struct softirq_probe p = { .st = st, .in_softirq = true };
	bool ok;

	if (!kat_key_init(&p.key, "softirq", kat->aead, kat->tk))
		return false;
	init_completion(&p.done);
	timer_setup_on_stack(&p.timer, softirq_probe_run, 0);
	ok = kat_seal_prepare(st, kat, 3) &&
	     kat_seal_check(st, kat, 3, softirq_probe_step(&p, SOFTIRQ_SEAL)) &&
	     kat_open_prepare(st, kat, 3) &&
	     kat_open_check(st, kat, 3, softirq_probe_step(&p, SOFTIRQ_OPEN),
			    &p.pfx);
	softirq_probe_step(&p, SOFTIRQ_DESTROY);
	del_timer_sync(&p.timer);
	destroy_timer_on_stack(&p.timer);
	if (!p.in_softirq || !ok) {
		pr_err("self-test frame in softirq failed (in softirq: %d)\n",
		       p.in_softirq);
		return false;
	}
	return true;
}

static bool frame_selftests(struct frame_st *st)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(frame_kats); i++)
		if (!test_kat(st, &frame_kats[i]))
			return false;
	for (i = 0; i < ARRAY_SIZE(frame_bigs); i++)
		if (!test_big(st, &frame_bigs[i]))
			return false;
	return test_derived_key(st) && test_wrong_key(st) &&
	       test_short_lists(st) && test_softirq(st);
}

int tcpc_frame_crypto_selftest(void)
{
	struct frame_st st = {};
	int err;

	err = frame_st_alloc(&st);
	if (!err && !frame_selftests(&st))
		err = -ENOTRECOVERABLE;
	frame_st_free(&st);
	return err;
}
