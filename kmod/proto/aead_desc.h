/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The AEAD algorithms tcpcrypt negotiates (RFC 8548 sections 6 and 7), as
 * one table in the style of kTLS's cipher_desc: every length and name the
 * key schedule and the data path need comes from here, never from a
 * switch on the id.
 */
#ifndef _TCPC_PROTO_AEAD_DESC_H
#define _TCPC_PROTO_AEAD_DESC_H

#include "types.h"

/* sym_cipher identifiers, as carried big-endian in Init1/Init2 */
#define TCPC_AEAD_AES_128_GCM		0x0001
#define TCPC_AEAD_AES_256_GCM		0x0002
#define TCPC_AEAD_CHACHA20_POLY1305	0x0010

/* Every tcpcrypt AEAD uses a 12-byte nonce and a 16-byte tag */
#define TCPC_AEAD_NONCE_LEN	12
#define TCPC_AEAD_TAG_LEN	16
#define TCPC_AEAD_KEY_MAX	32
#define TCPC_TRAFFIC_KEY_MAX	(TCPC_AEAD_KEY_MAX + TCPC_AEAD_NONCE_LEN)

struct tcpc_aead_desc {
	u16 id;
	u8 key_len;
	u8 nonce_len;
	u8 tag_len;
	/* kernel crypto API algorithm name, for crypto_alloc_aead() */
	const char *crypto_name;
	/* RFC 8548 name, for logs and tools */
	const char *name;
};

const struct tcpc_aead_desc *tcpc_aead_find(u16 id);

/* The traffic key k_ab[j]/k_ba[j] is K followed by NR (RFC 8548 3.3) */
static inline unsigned int
tcpc_aead_traffic_key_len(const struct tcpc_aead_desc *desc)
{
	return desc->key_len + desc->nonce_len;
}

#endif /* _TCPC_PROTO_AEAD_DESC_H */
