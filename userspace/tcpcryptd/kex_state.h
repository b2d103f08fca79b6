/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Host A's key exchanges waiting for the peer's Init2: between the Init1
 * the daemon built (INIT1_NEEDED) and the Init2 the module hands back
 * (INIT2_RECEIVED), the daemon holds the ephemeral private key, N_A and
 * the Init1 bytes, keyed by the module's connection id.
 *
 * The table is bounded (a full table refuses new exchanges rather than
 * dropping live ones) and every entry expires: tcpcrypt.ko gives up on a
 * key exchange after 60 seconds (TCPC_KEX_MAX in kmod/conn_timer.c), so an
 * entry older than that can never be used. Entries expire in the order
 * they were added (one lifetime for all), which keeps expiry O(1). Private
 * keys and nonces are wiped when an entry is freed.
 */
#ifndef TCPCRYPTD_KEX_STATE_H
#define TCPCRYPTD_KEX_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/tcpcrypt.h>

#include "kex.h"

#define KEX_STATE_MAX		1024
#define KEX_STATE_TTL_MS	60000
#define KEX_STATE_BUCKETS	256

/* Our largest Init1: every AEAD we can announce and a P-521 key */
#define KEX_INIT1_MAX		(41 + 2 * TCPCRYPT_MAX_AEADS + TC_KEX_MAX_PUB)
#define KEX_NONCE_LEN		32

struct kex_pending {
	uint64_t conn_id;
	int64_t expires_ms;
	uint8_t tep;
	struct tc_kex_key *key;		/* owned */
	uint8_t n_a[KEX_NONCE_LEN];
	uint8_t init1[KEX_INIT1_MAX];
	size_t init1_len;

	struct kex_pending *hnext;	/* bucket chain */
	struct kex_pending *older;	/* expiry order */
	struct kex_pending *newer;
};

struct kex_table {
	struct kex_pending *buckets[KEX_STATE_BUCKETS];
	struct kex_pending *oldest;
	struct kex_pending *newest;
	unsigned int count;
	unsigned int max;
	int64_t ttl_ms;
};

void kex_table_init(struct kex_table *t, unsigned int max, int64_t ttl_ms);
/* Free (and wipe) every entry */
void kex_table_flush(struct kex_table *t);

/* A zeroed entry, or NULL */
struct kex_pending *kex_pending_alloc(void);
/* Wipe and free an entry that is in no table; NULL is fine */
void kex_pending_free(struct kex_pending *p);

/*
 * Add p (expiring ttl_ms after now), which the table then owns. An entry
 * of the same connection is replaced (the module restarted the exchange).
 * Returns 0, or -ENOBUFS when the table holds max live entries: p stays
 * the caller's.
 */
int kex_table_add(struct kex_table *t, struct kex_pending *p, int64_t now);

/*
 * Unlink and return the live entry of conn_id, which the caller then
 * owns; NULL when there is none (never added, taken, or expired).
 */
struct kex_pending *kex_table_take(struct kex_table *t, uint64_t conn_id,
				   int64_t now);

/* Free the entries expired at now; returns how many. */
unsigned int kex_table_expire(struct kex_table *t, int64_t now);

/* Milliseconds from now until the next entry expires, or -1 when empty */
int64_t kex_table_next_expiry(const struct kex_table *t, int64_t now);

#endif /* TCPCRYPTD_KEX_STATE_H */
