/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * HMAC-SHA256 for the protocol core (kmod/proto/hmac.h) on OpenSSL 3, for
 * host unit tests, fuzzers and userspace.
 */
#ifndef _TCPC_HMAC_OPENSSL_H
#define _TCPC_HMAC_OPENSSL_H

#include "hmac.h"

extern const struct tcpc_hmac tcpc_hmac_openssl;

#endif /* _TCPC_HMAC_OPENSSL_H */
