/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * tcpcrypt key-exchange messages (RFC 8548 sections 3.3 and 4.1), first
 * in each direction's byte stream of a fresh session:
 *
 *   Init1 (A):  15 10 1a 0e | message_len(4) | nciphers(1) |
 *               sym_cipher(2) * nciphers | N_A(32) | Pub_A | ignored
 *   Init2 (B):  09 71 05 e0 | message_len(4) | sym_cipher(2) |
 *               N_B(32) | Pub_B | ignored
 *
 * message_len counts the whole message. Pub is a raw X25519/X448 key, or
 * for P-256/P-521 a 2-byte big-endian length and a compressed point.
 * Decoders point into the caller's bytes and copy nothing.
 */
#ifndef _TCPC_PROTO_INIT_MSG_H
#define _TCPC_PROTO_INIT_MSG_H

#include "types.h"
#include "kdf.h"

/* TEP identifiers (RFC 8548 section 7) */
#define TCPC_TEP_P256		0x21
#define TCPC_TEP_P521		0x22
#define TCPC_TEP_X25519		0x23
#define TCPC_TEP_X448		0x24

#define TCPC_INIT1_MAGIC	0x15101a0e
#define TCPC_INIT2_MAGIC	0x097105e0

/* magic, message_len, nciphers, N_A: Init1 without ciphers and Pub_A */
#define TCPC_INIT1_FIXED	(4 + 4 + 1 + TCPC_INIT_NONCE_LEN)
/* magic, message_len, sym_cipher, N_B: Init2 without Pub_B */
#define TCPC_INIT2_FIXED	(4 + 4 + 2 + TCPC_INIT_NONCE_LEN)
/* Bytes needed before message_len can be read */
#define TCPC_INIT_HDR_LEN	8

/*
 * The RFC sets no upper bound on message_len (RFC 8548 leaves malformed
 * Init messages open, digest Q5). The largest message we send is 620
 * bytes (255 ciphers, P-521); we refuse a message_len above this bound,
 * so a peer cannot make us buffer an unbounded stream prefix.
 */
#define TCPC_INIT_MAX_LEN	4096

/*
 * Whether the 2-byte pubkey_len of P-256/P-521 counts itself (digest Q1).
 * The RFC 8548 section 5 figure draws the field inside a structure of
 * pubkey_len bytes, and the authors' code sends the total, so by default
 * the value is the total: 35 for P-256, 69 for P-521. Build with
 * -DTCPC_PUBKEY_LEN_COUNTS_PREFIX=0 to send and expect the point length.
 */
#ifndef TCPC_PUBKEY_LEN_COUNTS_PREFIX
#define TCPC_PUBKEY_LEN_COUNTS_PREFIX	1
#endif
#define TCPC_PUBKEY_PREFIX_LEN	2
#define TCPC_PUB_WIRE_MAX	(TCPC_PUBKEY_PREFIX_LEN + 67)

/*
 * A decoded (or to-be-encoded) Init1. key is Pub_A without its length
 * prefix: tcpc_tep_key_len() bytes. ciphers holds nciphers big-endian
 * 16-bit AEAD ids, as on the wire.
 */
struct tcpc_init1 {
	u8 tep;
	u8 nciphers;
	const u8 *ciphers;
	const u8 *nonce;
	const u8 *key;
	u32 msg_len;	/* decode: message_len, or bytes needed (-EAGAIN) */
};

struct tcpc_init2 {
	u8 tep;
	u16 cipher;
	const u8 *nonce;
	const u8 *key;
	u32 msg_len;	/* decode: message_len, or bytes needed (-EAGAIN) */
};

int tcpc_tep_key_len(u8 tep);
int tcpc_tep_pub_len(u8 tep);
int tcpc_init1_len(u8 tep, unsigned int nciphers);
int tcpc_init2_len(u8 tep);

int tcpc_init1_encode(u8 *buf, size_t cap, const struct tcpc_init1 *m);
int tcpc_init2_encode(u8 *buf, size_t cap, const struct tcpc_init2 *m);
int tcpc_init1_decode(const u8 *buf, size_t avail, u8 tep,
		      struct tcpc_init1 *m);
int tcpc_init2_decode(const u8 *buf, size_t avail, u8 tep,
		      struct tcpc_init2 *m);

static inline u16 tcpc_init1_cipher(const struct tcpc_init1 *m,
				    unsigned int i)
{
	return tcpc_get_be16(m->ciphers + 2 * i);
}

bool tcpc_aead_listed(const u8 *list, unsigned int n, u16 id);
int tcpc_aead_choose(const u8 *pref, unsigned int npref,
		     const struct tcpc_init1 *m);

/* A MUST abort when B picked a cipher A never offered (RFC 8548 3.3) */
static inline bool tcpc_init2_cipher_ok(const struct tcpc_init1 *sent,
					const struct tcpc_init2 *rcvd)
{
	return tcpc_aead_listed(sent->ciphers, sent->nciphers, rcvd->cipher);
}

#endif /* _TCPC_PROTO_INIT_MSG_H */
