/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Helpers of the key-exchange tests: engines configured the way tcpcryptd
 * -t/-a configures them, transcripts and requests the way tcpcrypt.ko
 * builds them, and one full A <-> B exchange through two engines.
 */
#ifndef TC_TEST_KEX_UTIL_H
#define TC_TEST_KEX_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "kex_engine.h"

#define KEX_TEST_TRANSCRIPT_MAX	16

/* teps, aeads: as tcpcryptd -t, -a take them. 0 or a negative errno. */
int kex_test_engine(struct kex_engine *e, const char *teps,
		    const char *aeads);

/* A's SYN option 45 03 <tep>, B's SYN-ACK option 45 04 01 <tep> */
size_t kex_test_transcript(uint8_t tep, uint8_t *buf);

struct kex_test_request {
	struct kex_request req;
	uint8_t transcript[KEX_TEST_TRANSCRIPT_MAX];
};

/* A request of the module for conn_id; init may be NULL */
void kex_test_request(struct kex_test_request *r, uint64_t conn_id,
		      uint8_t op, uint8_t tep, const uint8_t *init,
		      size_t init_len);

/* The three steps, each reply left in its own struct */
struct kex_test_run {
	struct kex_reply init1;		/* A: INIT1_NEEDED */
	struct kex_reply init2;		/* B: INIT1_RECEIVED */
	struct kex_reply keys;		/* A: INIT2_RECEIVED */
};

/*
 * Run the exchange of conn_id between a (role A) and b (role B) at time
 * now. Stops at the first error reply; returns that error (positive), or 0.
 */
uint32_t kex_test_exchange(struct kex_engine *a, struct kex_engine *b,
			   uint64_t conn_id, uint8_t tep, int64_t now,
			   struct kex_test_run *run);

#endif /* TC_TEST_KEX_UTIL_H */
