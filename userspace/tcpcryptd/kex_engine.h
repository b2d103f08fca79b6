/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The daemon's half of tcpcrypt's key exchange (RFC 8548 section 3.3):
 * one request from tcpcrypt.ko in, one reply out; no netlink here.
 *
 *   A  INIT1_NEEDED     new key pair and N_A, Init1 offering our AEADs in
 *                       -a order; the exchange then waits for Init2
 *                       -> INIT_MSG = Init1
 *   B  INIT1_RECEIVED   Init1 checked; the AEAD is the first of our -a list
 *                       that A offers; new key pair and N_B, Init2, ES, PRK
 *                       -> INIT_MSG = Init2, PRK, AEAD
 *   A  INIT2_RECEIVED   the waiting exchange; Init2 checked, its AEAD one
 *                       we offered; ES, PRK
 *                       -> PRK, AEAD
 *
 *   PRK = HKDF-Extract(N_A, eno_transcript | Init1 | Init2 | ES)
 *
 * A failure becomes a reply carrying a positive errno (KEX_ERROR), on
 * which the module aborts the connection:
 *   EBADMSG          malformed request, transcript or Init message, or a
 *                    public key in the wrong form
 *   EPROTONOSUPPORT  a TEP this daemon did not announce (-t)
 *   EPROTO           no AEAD in common, Init2 names an AEAD Init1 did not
 *                    offer, or the TEP changed between Init1 and Init2
 *   EKEYREJECTED     the peer's public key fails validation, or gives an
 *                    all-zero X25519/X448 secret
 *   ENOENT           Init2 for no waiting exchange (never started, or
 *                    expired: see kex_state.h)
 *   ENOBUFS          too many exchanges waiting for Init2
 *   EOPNOTSUPP       an op this daemon does not know
 *   ENOMEM, EIO      out of memory, an OpenSSL failure
 * Secrets (private keys, ES, PRK copies) are wiped as soon as they are
 * no longer needed; the caller wipes the reply once it is sent.
 */
#ifndef TCPCRYPTD_KEX_ENGINE_H
#define TCPCRYPTD_KEX_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/tcpcrypt.h>

#include "kex.h"
#include "kex_state.h"

/* A KEX_REQUEST; pointers into the message, NULL for absent attributes */
struct kex_request {
	uint64_t conn_id;		/* never 0 */
	uint8_t op;			/* enum tcpcrypt_kex_op; 0: absent */
	uint8_t tep;			/* 0: absent */
	const uint8_t *transcript;
	size_t transcript_len;
	const uint8_t *init;		/* the peer's Init message */
	size_t init_len;
};

struct kex_reply {
	uint64_t conn_id;
	uint32_t error;			/* positive errno; 0: success */
	size_t init_len;		/* 0: no Init message */
	uint8_t init[KEX_INIT1_MAX];	/* Init2 is shorter than our Init1 */
	bool has_keys;
	uint8_t prk[TCPCRYPT_PRK_LEN];
	uint16_t aead;
};

struct kex_engine {
	unsigned int n_teps;
	unsigned int n_aeads;
	uint8_t teps[TCPCRYPT_MAX_TEPS];
	/* Our AEADs in decreasing preference, big-endian as in Init1 */
	uint8_t aeads[2 * TCPCRYPT_MAX_AEADS];
	struct kex_table pending;
};

/*
 * Serve the TEPs and AEADs the daemon announced. -EINVAL for an empty or
 * too long list, or an id this daemon cannot use.
 */
int kex_engine_init(struct kex_engine *e, const uint8_t *teps,
		    unsigned int n_teps, const uint16_t *aeads,
		    unsigned int n_aeads);
/* Wipe and free every waiting exchange */
void kex_engine_destroy(struct kex_engine *e);

/* Answer req at time now (loop_now_ms()); rep is always filled. */
void kex_engine_handle(struct kex_engine *e, const struct kex_request *req,
		       int64_t now, struct kex_reply *rep);

void kex_reply_wipe(struct kex_reply *rep);

/* "INIT1_NEEDED"..., "op 7" for others (buf: 16 bytes) */
const char *kex_op_name(uint8_t op, char *buf, size_t len);

#ifdef TC_TEST_HOOKS
/*
 * Test builds only (-DTC_TEST_HOOKS; the daemon in build/bin has no such
 * symbol): fix the nonces and key pairs, e.g. to reproduce the worked
 * example of the digest. A NULL function keeps the real source.
 */
struct kex_test_hooks {
	int (*random)(void *arg, uint8_t *buf, size_t len);
	int (*keygen)(void *arg, uint8_t tep, struct tc_kex_key **key);
	void *arg;
};

extern const struct kex_test_hooks *kex_test_hooks;
#endif

#endif /* TCPCRYPTD_KEX_ENGINE_H */
