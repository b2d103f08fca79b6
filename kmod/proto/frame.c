// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The tcpcrypt frame codec: header, associated data, nonce and plaintext
 * prefix. See frame.h for the layout and the offset rule.
 */
#include "frame.h"

/**
 * tcpc_frame_hdr_init() - header of a frame about to be sent
 * @hdr: receives the header (reserved control bits zero)
 * @rekey: whether this is the first frame under a new key generation
 * @plain_len: length of the plaintext P: prefix and data
 *
 * Return: 0; -EINVAL when @plain_len lacks room for the flags byte;
 * -EMSGSIZE when the ciphertext would not fit in clen.
 */
int tcpc_frame_hdr_init(struct tcpc_frame_hdr *hdr, bool rekey,
			size_t plain_len)
{
	if (plain_len < TCPC_FRAME_FLAGS_LEN)
		return -EINVAL;
	if (plain_len > TCPC_FRAME_MAX_PLAIN)
		return -EMSGSIZE;
	hdr->control = rekey ? TCPC_FRAME_CTL_REKEY : 0;
	hdr->clen = plain_len + TCPC_FRAME_TAG_LEN;
	return 0;
}

/**
 * tcpc_frame_hdr_encode() - write the 3 header bytes
 * @hdr: the header
 * @out: receives control and big-endian clen
 */
void tcpc_frame_hdr_encode(const struct tcpc_frame_hdr *hdr,
			   u8 out[TCPC_FRAME_HDR_LEN])
{
	out[0] = hdr->control;
	tcpc_put_be16(out + 1, hdr->clen);
}

/**
 * tcpc_frame_hdr_decode() - parse a frame header from the wire stream
 * @buf: the in-order bytes at the start of a frame
 * @len: how many of them are available
 * @hdr: receives the header, control byte as received
 *
 * Only the header is read; the frame is complete once
 * tcpc_frame_wire_len() bytes are available.
 *
 * Return: 0 for a valid header; -EAGAIN when fewer than
 * TCPC_FRAME_HDR_LEN bytes are available; -EBADMSG when clen cannot hold
 * a tag and a flags byte (the connection must then be aborted).
 */
int tcpc_frame_hdr_decode(const u8 *buf, size_t len,
			  struct tcpc_frame_hdr *hdr)
{
	u16 clen;

	if (len < TCPC_FRAME_HDR_LEN)
		return -EAGAIN;
	clen = tcpc_get_be16(buf + 1);
	if (clen < TCPC_FRAME_MIN_CLEN)
		return -EBADMSG;
	hdr->control = buf[0];
	hdr->clen = clen;
	return 0;
}

/**
 * tcpc_frame_ad() - the AEAD associated data of a frame
 * @hdr: the header, as sent or as received
 * @ad: receives control | clen
 */
void tcpc_frame_ad(const struct tcpc_frame_hdr *hdr, u8 ad[TCPC_FRAME_AD_LEN])
{
	tcpc_frame_hdr_encode(hdr, ad);
}

/**
 * tcpc_frame_id() - frame ID: 4 zero bytes, then the 8-byte offset
 * @offset: the frame's offset in its direction's TCP byte stream
 * @id: receives TCPC_FRAME_ID_LEN bytes
 */
void tcpc_frame_id(u64 offset, u8 id[TCPC_FRAME_ID_LEN])
{
	memset(id, 0, TCPC_FRAME_ID_LEN - 8);
	tcpc_put_be64(id + TCPC_FRAME_ID_LEN - 8, offset);
}

/**
 * tcpc_frame_nonce() - AEAD nonce of a frame: frame ID XOR NR
 * @nr: NR, the nonce part of the traffic key
 * @offset: the frame's offset in its direction's TCP byte stream
 * @nonce: receives TCPC_AEAD_NONCE_LEN bytes
 */
void tcpc_frame_nonce(const u8 nr[TCPC_AEAD_NONCE_LEN], u64 offset,
		      u8 nonce[TCPC_AEAD_NONCE_LEN])
{
	unsigned int i;

	tcpc_frame_id(offset, nonce);
	for (i = 0; i < TCPC_AEAD_NONCE_LEN; i++)
		nonce[i] ^= nr[i];
}

/**
 * tcpc_frame_prefix_encode() - write the flags byte and urgent field
 * @pfx: FINp, URGp and the urgent offset
 * @out: receives the prefix (reserved flag bits zero)
 *
 * Return: the number of bytes written, 1 or 3.
 */
size_t tcpc_frame_prefix_encode(const struct tcpc_frame_prefix *pfx,
				u8 out[TCPC_FRAME_PREFIX_MAX])
{
	out[0] = (pfx->fin ? TCPC_FRAME_FINP : 0) |
		 (pfx->urg ? TCPC_FRAME_URGP : 0);
	if (pfx->urg)
		tcpc_put_be16(out + TCPC_FRAME_FLAGS_LEN, pfx->urgent);
	return tcpc_frame_prefix_len(pfx);
}

/**
 * tcpc_frame_prefix_decode() - parse the start of a decrypted plaintext
 * @plain: the authenticated plaintext P
 * @len: its length
 * @pfx: receives FINp, URGp and the urgent offset (0 without URGp)
 *
 * Reserved flag bits are ignored. The data starts at the returned offset.
 *
 * Return: the prefix length (1 or 3), or -EBADMSG when @plain is too
 * short to hold it.
 */
int tcpc_frame_prefix_decode(const u8 *plain, size_t len,
			     struct tcpc_frame_prefix *pfx)
{
	struct tcpc_frame_prefix p = {};

	if (len < TCPC_FRAME_FLAGS_LEN)
		return -EBADMSG;
	p.fin = plain[0] & TCPC_FRAME_FINP;
	p.urg = plain[0] & TCPC_FRAME_URGP;
	if (p.urg) {
		if (len < TCPC_FRAME_FLAGS_LEN + TCPC_FRAME_URGENT_LEN)
			return -EBADMSG;
		p.urgent = tcpc_get_be16(plain + TCPC_FRAME_FLAGS_LEN);
	}
	*pfx = p;
	return tcpc_frame_prefix_len(pfx);
}
