/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * tcpcrypt encryption frames (RFC 8548 sections 3.6 and 4.2): everything
 * about a frame except the AEAD itself, which the caller runs (the kernel
 * crypto API in tcpcrypt.ko, OpenSSL in the host tests).
 *
 * On the wire:    control(1) | clen(2, big-endian) | ciphertext(clen)
 * AEAD input P:   flags(1) [ | urgent(2, big-endian) if URGp ] | data
 * AD:             control | clen, the 3 header bytes as transmitted
 * nonce:          frame ID XOR NR, frame ID = 4 zero bytes | offset(8, BE)
 *
 * clen counts the ciphertext including the 16-byte tag. The offset is the
 * frame's position in the sending direction's TCP byte stream, counted
 * from the first data byte after the SYN (ISN + 1), so the Init1/Init2
 * bytes count: after a 75-byte Init1, A's first frame has offset 75. In a
 * resumed session there is no Init message and the first frame has offset
 * 0. This follows the RFC's "underlying TCP datastream" (digest Q2); the
 * pre-RFC code of the authors counted from the end of the Init message.
 */
#ifndef _TCPC_PROTO_FRAME_H
#define _TCPC_PROTO_FRAME_H

#include "types.h"
#include "aead_desc.h"

#define TCPC_FRAME_HDR_LEN	3
#define TCPC_FRAME_AD_LEN	TCPC_FRAME_HDR_LEN
#define TCPC_FRAME_TAG_LEN	TCPC_AEAD_TAG_LEN
#define TCPC_FRAME_ID_LEN	TCPC_AEAD_NONCE_LEN
#define TCPC_FRAME_FLAGS_LEN	1
#define TCPC_FRAME_URGENT_LEN	2
#define TCPC_FRAME_PREFIX_MAX	(TCPC_FRAME_FLAGS_LEN + TCPC_FRAME_URGENT_LEN)

/* control byte: bits 7..1 are reserved, sent as 0 and ignored */
#define TCPC_FRAME_CTL_REKEY	0x01
/* flags byte: bits 7..2 are reserved, sent as 0 and ignored */
#define TCPC_FRAME_FINP		0x01
#define TCPC_FRAME_URGP		0x02

/* clen is 16 bits; a plaintext always holds at least the flags byte */
#define TCPC_FRAME_MAX_CLEN	65535
#define TCPC_FRAME_MIN_CLEN	(TCPC_FRAME_TAG_LEN + TCPC_FRAME_FLAGS_LEN)
#define TCPC_FRAME_MAX_PLAIN	(TCPC_FRAME_MAX_CLEN - TCPC_FRAME_TAG_LEN)
#define TCPC_FRAME_MAX_DATA	(TCPC_FRAME_MAX_PLAIN - TCPC_FRAME_FLAGS_LEN)
#define TCPC_FRAME_MAX_DATA_URG	(TCPC_FRAME_MAX_DATA - TCPC_FRAME_URGENT_LEN)
/* Wire bytes a frame adds to its data when it carries no urgent field */
#define TCPC_FRAME_OVERHEAD	(TCPC_FRAME_HDR_LEN + TCPC_FRAME_FLAGS_LEN + \
				 TCPC_FRAME_TAG_LEN)

struct tcpc_frame_hdr {
	/* as received: reserved bits are ignored but authenticated (AD) */
	u8 control;
	u16 clen;
};

static inline bool tcpc_frame_hdr_rekey(const struct tcpc_frame_hdr *hdr)
{
	return hdr->control & TCPC_FRAME_CTL_REKEY;
}

/* Wire length of the whole frame: header and ciphertext */
static inline size_t tcpc_frame_wire_len(const struct tcpc_frame_hdr *hdr)
{
	return TCPC_FRAME_HDR_LEN + hdr->clen;
}

/* Length of the plaintext P (flags, urgent, data) the frame carries */
static inline size_t tcpc_frame_plain_len(const struct tcpc_frame_hdr *hdr)
{
	return hdr->clen - TCPC_FRAME_TAG_LEN;
}

int tcpc_frame_hdr_init(struct tcpc_frame_hdr *hdr, bool rekey,
			size_t plain_len);
void tcpc_frame_hdr_encode(const struct tcpc_frame_hdr *hdr,
			   u8 out[TCPC_FRAME_HDR_LEN]);
int tcpc_frame_hdr_decode(const u8 *buf, size_t len,
			  struct tcpc_frame_hdr *hdr);
void tcpc_frame_ad(const struct tcpc_frame_hdr *hdr,
		   u8 ad[TCPC_FRAME_AD_LEN]);

void tcpc_frame_id(u64 offset, u8 id[TCPC_FRAME_ID_LEN]);
void tcpc_frame_nonce(const u8 nr[TCPC_AEAD_NONCE_LEN], u64 offset,
		      u8 nonce[TCPC_AEAD_NONCE_LEN]);

/* The plaintext prefix: the flags byte and the optional urgent field */
struct tcpc_frame_prefix {
	bool fin;
	bool urg;
	u16 urgent;	/* meaningful only when urg is set */
};

static inline size_t
tcpc_frame_prefix_len(const struct tcpc_frame_prefix *pfx)
{
	return TCPC_FRAME_FLAGS_LEN + (pfx->urg ? TCPC_FRAME_URGENT_LEN : 0);
}

/* Most application bytes one frame with this prefix can carry */
static inline size_t
tcpc_frame_max_data(const struct tcpc_frame_prefix *pfx)
{
	return TCPC_FRAME_MAX_PLAIN - tcpc_frame_prefix_len(pfx);
}

size_t tcpc_frame_prefix_encode(const struct tcpc_frame_prefix *pfx,
				u8 out[TCPC_FRAME_PREFIX_MAX]);
int tcpc_frame_prefix_decode(const u8 *plain, size_t len,
			     struct tcpc_frame_prefix *pfx);

#endif /* _TCPC_PROTO_FRAME_H */
