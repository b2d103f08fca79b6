/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The key schedule runs over a pluggable HMAC-SHA256: the kernel crypto API
 * inside tcpcrypt.ko (kmod/hmac_kernel.c), OpenSSL in host tests
 * (selftests/unit/hmac_openssl.c). The message is a list of fragments so
 * that callers never have to concatenate secrets into a temporary buffer.
 */
#ifndef _TCPC_PROTO_HMAC_H
#define _TCPC_PROTO_HMAC_H

#include "types.h"

#define TCPC_HASH_LEN 32

struct tcpc_frag {
	const u8 *data;
	size_t len;
};

struct tcpc_hmac {
	/* Returns 0 or a negative errno; out receives TCPC_HASH_LEN bytes. */
	int (*hmac_sha256)(void *priv, const u8 *key, size_t keylen,
			   const struct tcpc_frag *msg, unsigned int nfrags,
			   u8 out[TCPC_HASH_LEN]);
	void *priv;
};

#endif /* _TCPC_PROTO_HMAC_H */
