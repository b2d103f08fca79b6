/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Key agreement of the four tcpcrypt TEPs (RFC 8548 section 5), over
 * OpenSSL: ephemeral key pairs, public keys in their wire form, and the
 * shared secret ES that the key schedule extracts from.
 *
 * Wire form of a public key (the Pub_A/Pub_B field of Init1/Init2):
 *   X25519, X448    the raw public value (32 or 56 bytes), no prefix
 *   P-256, P-521    2-byte big-endian length, counting itself (35 or 69),
 *                   then the point in compressed form (0x02/0x03 || x)
 * ES:
 *   X25519, X448    the RFC 7748 function output (32 or 56 bytes); an
 *                   all-zero output is rejected
 *   P-256, P-521    the x-coordinate of the shared point, big-endian,
 *                   padded to the field size (FE2OSP: 32 or 66 bytes)
 *
 * Errors are negative errnos: -EPROTONOSUPPORT for a TEP we do not have,
 * -EINVAL for a peer key of the wrong length or form, -EKEYREJECTED for a
 * peer key that fails validation or gives an all-zero secret, -ENOMEM, and
 * -EIO when OpenSSL fails for another reason.
 */
#ifndef TCPCRYPTD_KEX_H
#define TCPCRYPTD_KEX_H

#include <stddef.h>
#include <stdint.h>

/* Longest wire public key (P-521) and shared secret (P-521) */
#define TC_KEX_MAX_PUB	69
#define TC_KEX_MAX_ES	66

struct tc_kex_desc {
	uint8_t tep;		/* TCPCRYPT_TEP_* */
	const char *name;	/* "x25519", as in tcpcryptd -t */
	size_t pub_len;		/* wire form */
	size_t es_len;
	int pkey_id;		/* EVP_PKEY_X25519, EVP_PKEY_X448, EVP_PKEY_EC */
	const char *group;	/* NIST curves: OpenSSL group name */
	int nid;		/* NIST curves: curve NID */
	size_t point_len;	/* NIST curves: compressed point */
};

/* An ephemeral (or, for known-answer tests, imported) key pair */
struct tc_kex_key;

/* The TEP's description, or NULL when it is not one of ours. */
const struct tc_kex_desc *tc_kex_find(uint8_t tep);

int tc_kex_generate(uint8_t tep, struct tc_kex_key **key);

/*
 * Import a private key: the raw 32/56-byte value for X25519/X448, the
 * big-endian scalar (32/66 bytes) for P-256/P-521. For known-answer tests.
 */
int tc_kex_import_private(uint8_t tep, const uint8_t *priv, size_t len,
			  struct tc_kex_key **key);

void tc_kex_free(struct tc_kex_key *key);

const struct tc_kex_desc *tc_kex_key_desc(const struct tc_kex_key *key);

/* Our public key in wire form; returns its length or a negative errno. */
int tc_kex_public(const struct tc_kex_key *key, uint8_t *out, size_t len);

/* Decode and validate a peer's wire public key; 0 or a negative errno. */
int tc_kex_check_peer(uint8_t tep, const uint8_t *pub, size_t len);

/*
 * ES from our key and the peer's wire public key, which is validated
 * first. Returns the length of ES or a negative errno; es is wiped on
 * failure.
 */
int tc_kex_derive(const struct tc_kex_key *key, const uint8_t *peer,
		  size_t peer_len, uint8_t *es, size_t es_size);

#endif /* TCPCRYPTD_KEX_H */
