// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Init1/Init2 encoding and decoding (RFC 8548 sections 3.3, 4.1 and 5).
 * Decoders tell "need more bytes" (-EAGAIN: the message may span several
 * segments) from "invalid" (-EBADMSG), and refuse invalid bytes as soon
 * as they are visible, so that a peer cannot make us buffer junk.
 */
#include "init_msg.h"

/* Compressed points start with 02 or 03 (IEEE 1363, RFC 8548 5) */
#define INIT_POINT_EVEN	0x02
#define INIT_POINT_ODD	0x03

struct init_tep_desc {
	u8 tep;
	u8 key_len;	/* raw key or compressed point */
	bool prefixed;	/* 2-byte pubkey_len before the key */
};

static const struct init_tep_desc init_teps[] = {
	{ .tep = TCPC_TEP_P256,   .key_len = 33, .prefixed = true },
	{ .tep = TCPC_TEP_P521,   .key_len = 67, .prefixed = true },
	{ .tep = TCPC_TEP_X25519, .key_len = 32, .prefixed = false },
	{ .tep = TCPC_TEP_X448,   .key_len = 56, .prefixed = false },
};

static const struct init_tep_desc *init_tep_find(u8 tep)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(init_teps); i++)
		if (init_teps[i].tep == tep)
			return &init_teps[i];
	return NULL;
}

static unsigned int init_pub_len(const struct init_tep_desc *d)
{
	return d->key_len + (d->prefixed ? TCPC_PUBKEY_PREFIX_LEN : 0);
}

/* The value of pubkey_len: see TCPC_PUBKEY_LEN_COUNTS_PREFIX */
static u16 init_prefix_value(const struct init_tep_desc *d)
{
	return TCPC_PUBKEY_LEN_COUNTS_PREFIX ? init_pub_len(d) : d->key_len;
}

static bool init_point_ok(const u8 *point)
{
	return point[0] == INIT_POINT_EVEN || point[0] == INIT_POINT_ODD;
}

/**
 * tcpc_tep_key_len() - length of a TEP's public key without any prefix
 * @tep: TEP id
 *
 * Return: 32 (X25519), 56 (X448), 33 (P-256), 67 (P-521), or -EINVAL.
 */
int tcpc_tep_key_len(u8 tep)
{
	const struct init_tep_desc *d = init_tep_find(tep);

	return d ? d->key_len : -EINVAL;
}

/**
 * tcpc_tep_pub_len() - bytes Pub_A/Pub_B take in an Init message
 * @tep: TEP id
 *
 * Return: 32, 56, 35 (P-256) or 69 (P-521), or -EINVAL.
 */
int tcpc_tep_pub_len(u8 tep)
{
	const struct init_tep_desc *d = init_tep_find(tep);

	return d ? (int)init_pub_len(d) : -EINVAL;
}

/**
 * tcpc_init1_len() - size of the Init1 we send
 * @tep: TEP id
 * @nciphers: AEAD ids offered, 1 to 255
 *
 * Return: 41 + 2 * @nciphers + the Pub size, or -EINVAL.
 */
int tcpc_init1_len(u8 tep, unsigned int nciphers)
{
	const struct init_tep_desc *d = init_tep_find(tep);

	if (!d || !nciphers || nciphers > 255)
		return -EINVAL;
	return TCPC_INIT1_FIXED + 2 * nciphers + init_pub_len(d);
}

/**
 * tcpc_init2_len() - size of the Init2 we send
 * @tep: TEP id
 *
 * Return: 42 + the Pub size, or -EINVAL.
 */
int tcpc_init2_len(u8 tep)
{
	const struct init_tep_desc *d = init_tep_find(tep);

	return d ? (int)(TCPC_INIT2_FIXED + init_pub_len(d)) : -EINVAL;
}

static void init_put_pub(u8 *p, const struct init_tep_desc *d, const u8 *key)
{
	if (d->prefixed) {
		tcpc_put_be16(p, init_prefix_value(d));
		p += TCPC_PUBKEY_PREFIX_LEN;
	}
	memcpy(p, key, d->key_len);
}

/* Pub at @p: check the prefix and point form, and find the key */
static int init_get_pub(const u8 *p, const struct init_tep_desc *d,
			const u8 **key)
{
	if (d->prefixed) {
		if (tcpc_get_be16(p) != init_prefix_value(d))
			return -EBADMSG;
		p += TCPC_PUBKEY_PREFIX_LEN;
		if (!init_point_ok(p))
			return -EBADMSG;
	}
	*key = p;
	return 0;
}

/*
 * Check the magic on the bytes we have, then message_len once it is
 * there. @msg_len receives the bytes the caller must hold to go on.
 */
static int init_head(const u8 *buf, size_t avail, u32 magic, u32 min_len,
		     u32 *msg_len)
{
	size_t n = avail < 4 ? avail : 4;
	u8 want[4];

	tcpc_put_be32(want, magic);
	*msg_len = TCPC_INIT_HDR_LEN;
	if (n && memcmp(buf, want, n))
		return -EBADMSG;
	if (avail < TCPC_INIT_HDR_LEN)
		return -EAGAIN;
	*msg_len = tcpc_get_be32(buf + 4);
	if (*msg_len < min_len || *msg_len > TCPC_INIT_MAX_LEN)
		return -EBADMSG;
	return 0;
}

/**
 * tcpc_init1_encode() - write an Init1 with no ignored bytes
 * @buf: destination
 * @cap: its size
 * @m: tep, nciphers (1-255), ciphers, nonce and key; msg_len is unused
 *
 * Return: bytes written; -EINVAL for an unknown TEP, no cipher, or a
 * P-256/P-521 key that is not a compressed point; -ENOSPC.
 */
int tcpc_init1_encode(u8 *buf, size_t cap, const struct tcpc_init1 *m)
{
	const struct init_tep_desc *d = init_tep_find(m->tep);
	int len = tcpc_init1_len(m->tep, m->nciphers);
	u8 *p;

	if (len < 0 || (d->prefixed && !init_point_ok(m->key)))
		return -EINVAL;
	if ((size_t)len > cap)
		return -ENOSPC;
	tcpc_put_be32(buf, TCPC_INIT1_MAGIC);
	tcpc_put_be32(buf + 4, len);
	buf[8] = m->nciphers;
	p = buf + 9;
	memcpy(p, m->ciphers, 2 * m->nciphers);
	p += 2 * m->nciphers;
	memcpy(p, m->nonce, TCPC_INIT_NONCE_LEN);
	init_put_pub(p + TCPC_INIT_NONCE_LEN, d, m->key);
	return len;
}

/**
 * tcpc_init2_encode() - write an Init2 with no ignored bytes
 * @buf: destination
 * @cap: its size
 * @m: tep, cipher, nonce and key; msg_len is unused
 *
 * Return: bytes written; -EINVAL for an unknown TEP or a P-256/P-521 key
 * that is not a compressed point; -ENOSPC.
 */
int tcpc_init2_encode(u8 *buf, size_t cap, const struct tcpc_init2 *m)
{
	const struct init_tep_desc *d = init_tep_find(m->tep);
	int len = tcpc_init2_len(m->tep);

	if (len < 0 || (d->prefixed && !init_point_ok(m->key)))
		return -EINVAL;
	if ((size_t)len > cap)
		return -ENOSPC;
	tcpc_put_be32(buf, TCPC_INIT2_MAGIC);
	tcpc_put_be32(buf + 4, len);
	tcpc_put_be16(buf + 8, m->cipher);
	memcpy(buf + 10, m->nonce, TCPC_INIT_NONCE_LEN);
	init_put_pub(buf + TCPC_INIT2_FIXED, d, m->key);
	return len;
}

/**
 * tcpc_init1_decode() - decode an Init1 at the start of A's stream
 * @buf: the stream bytes received so far
 * @avail: how many
 * @tep: the negotiated TEP, which fixes the Pub_A format
 * @m: the fields, pointing into @buf
 *
 * The message is the first @m->msg_len bytes of @buf; bytes after Pub_A
 * up to message_len are ignored but belong to it (they enter the PRK).
 *
 * Return: 0; -EAGAIN when more bytes are needed (@m->msg_len then says
 * how many in all, as far as known); -EBADMSG for a bad magic, a
 * message_len too small for its ciphers and Pub_A or above
 * TCPC_INIT_MAX_LEN, no cipher, or a bad Pub_A length or point form;
 * -EINVAL for an unknown @tep.
 */
int tcpc_init1_decode(const u8 *buf, size_t avail, u8 tep,
		      struct tcpc_init1 *m)
{
	const struct init_tep_desc *d = init_tep_find(tep);
	int err;

	if (!d)
		return -EINVAL;
	memset(m, 0, sizeof(*m));
	m->tep = tep;
	err = init_head(buf, avail, TCPC_INIT1_MAGIC,
			TCPC_INIT1_FIXED + 2 + init_pub_len(d), &m->msg_len);
	if (err)
		return err;
	if (avail <= TCPC_INIT_HDR_LEN)
		return -EAGAIN;
	m->nciphers = buf[TCPC_INIT_HDR_LEN];
	if (!m->nciphers || m->msg_len < TCPC_INIT1_FIXED +
	    2 * m->nciphers + init_pub_len(d))
		return -EBADMSG;
	if (avail < m->msg_len)
		return -EAGAIN;
	m->ciphers = buf + TCPC_INIT_HDR_LEN + 1;
	m->nonce = m->ciphers + 2 * m->nciphers;
	return init_get_pub(m->nonce + TCPC_INIT_NONCE_LEN, d, &m->key);
}

/**
 * tcpc_init2_decode() - decode an Init2 at the start of B's stream
 * @buf: the stream bytes received so far
 * @avail: how many
 * @tep: the negotiated TEP, which fixes the Pub_B format
 * @m: the fields, pointing into @buf
 *
 * Whether sym_cipher was offered is the caller's check
 * (tcpc_init2_cipher_ok()).
 *
 * Return: as tcpc_init1_decode().
 */
int tcpc_init2_decode(const u8 *buf, size_t avail, u8 tep,
		      struct tcpc_init2 *m)
{
	const struct init_tep_desc *d = init_tep_find(tep);
	int err;

	if (!d)
		return -EINVAL;
	memset(m, 0, sizeof(*m));
	m->tep = tep;
	err = init_head(buf, avail, TCPC_INIT2_MAGIC,
			TCPC_INIT2_FIXED + init_pub_len(d), &m->msg_len);
	if (err)
		return err;
	if (avail < m->msg_len)
		return -EAGAIN;
	m->cipher = tcpc_get_be16(buf + TCPC_INIT_HDR_LEN);
	m->nonce = buf + TCPC_INIT_HDR_LEN + 2;
	return init_get_pub(buf + TCPC_INIT2_FIXED, d, &m->key);
}

/**
 * tcpc_aead_listed() - whether an AEAD id is in a list
 * @list: @n big-endian 16-bit ids
 * @n: how many
 * @id: the id to look for
 */
bool tcpc_aead_listed(const u8 *list, unsigned int n, u16 id)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (tcpc_get_be16(list + 2 * i) == id)
			return true;
	return false;
}

/**
 * tcpc_aead_choose() - B's choice of sym_cipher
 * @pref: B's @npref big-endian 16-bit ids, most preferred first
 * @npref: how many
 * @m: the Init1 received
 *
 * Return: the first id of @pref that A offered, or -ENOENT (the RFC does
 * not say what B does then; the caller aborts, digest Q5).
 */
int tcpc_aead_choose(const u8 *pref, unsigned int npref,
		     const struct tcpc_init1 *m)
{
	unsigned int i;
	u16 id;

	for (i = 0; i < npref; i++) {
		id = tcpc_get_be16(pref + 2 * i);
		if (tcpc_aead_listed(m->ciphers, m->nciphers, id))
			return id;
	}
	return -ENOENT;
}
