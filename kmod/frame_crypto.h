/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Frame protection (RFC 8548 section 4.2) through the kernel crypto API:
 * one keyed AEAD transform per direction and key generation, sealing a
 * frame from scattered plaintext into caller-provided wire memory and
 * opening a received frame into caller-provided plaintext memory. The
 * layout, nonce and prefix rules come from the protocol core (frame.h).
 *
 * Context: tcpc_frame_key_init*() may sleep (process context only: a
 * workqueue or a genl handler). tcpc_frame_seal_async(),
 * tcpc_frame_open_async() and tcpc_frame_key_destroy() neither sleep nor
 * wait, and may run in process or softirq context; the first two may
 * finish later, in a completion callback, when the transform is
 * asynchronous (module parameter crypto_async). tcpc_frame_seal() and
 * tcpc_frame_open() wait for that, so they need process context then.
 * Any number of seal/open calls may run concurrently on one key: the
 * transform only holds the key, each call has its own request. The caller
 * keeps the key alive (and unchanged) until each call has finished.
 */
#ifndef _TCPC_FRAME_CRYPTO_H
#define _TCPC_FRAME_CRYPTO_H

#include <linux/types.h>
#include "aead_desc.h"
#include "frame.h"

struct crypto_aead;
struct scatterlist;
struct tcpc_traffic_key;

/**
 * struct tcpc_frame_key - one direction's AEAD under one key generation
 * @tfm: AEAD transform keyed with K, tag length set
 * @desc: the negotiated AEAD
 * @nr: NR, XORed into each frame ID to form the nonce
 */
struct tcpc_frame_key {
	struct crypto_aead *tfm;
	const struct tcpc_aead_desc *desc;
	u8 nr[TCPC_AEAD_NONCE_LEN];
};

int tcpc_frame_key_init(struct tcpc_frame_key *key, u16 aead_id,
			const u8 *traffic_key, unsigned int len);
int tcpc_frame_key_init_tk(struct tcpc_frame_key *key, u16 aead_id,
			   const struct tcpc_traffic_key *tk);
void tcpc_frame_key_destroy(struct tcpc_frame_key *key);

/* Wire length of a sealed frame: header, prefix, data and tag */
static inline unsigned int
tcpc_frame_sealed_len(const struct tcpc_frame_prefix *pfx,
		      unsigned int data_len)
{
	return TCPC_FRAME_HDR_LEN + tcpc_frame_prefix_len(pfx) + data_len +
	       TCPC_FRAME_TAG_LEN;
}

/* Result of a call that returned -EINPROGRESS (see frame_crypto.c) */
typedef void (*tcpc_frame_done_t)(void *arg, int err);

int tcpc_frame_seal_async(const struct tcpc_frame_key *key, u64 offset,
			  bool rekey, const struct tcpc_frame_prefix *pfx,
			  struct scatterlist *data, unsigned int data_len,
			  struct scatterlist *wire, tcpc_frame_done_t done,
			  void *arg);
int tcpc_frame_open_async(const struct tcpc_frame_key *key, u64 offset,
			  struct scatterlist *wire, unsigned int wire_len,
			  struct scatterlist *plain,
			  struct tcpc_frame_prefix *pfx,
			  tcpc_frame_done_t done, void *arg);
int tcpc_frame_seal(const struct tcpc_frame_key *key, u64 offset,
		    bool rekey, const struct tcpc_frame_prefix *pfx,
		    struct scatterlist *data, unsigned int data_len,
		    struct scatterlist *wire);
int tcpc_frame_open(const struct tcpc_frame_key *key, u64 offset,
		    struct scatterlist *wire, unsigned int wire_len,
		    struct scatterlist *plain, struct tcpc_frame_prefix *pfx);

#endif /* _TCPC_FRAME_CRYPTO_H */
