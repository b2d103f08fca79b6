/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel crypto API behind the protocol core's HMAC-SHA256 plug
 * (proto/hmac.h): one "hmac(sha256)" transform for the whole module,
 * serialised by a BH-safe spinlock.
 */
#ifndef _TCPC_HMAC_KERNEL_H
#define _TCPC_HMAC_KERNEL_H

#include "hmac.h"

/*
 * Valid between tcpc_hmac_kernel_init() and tcpc_hmac_kernel_uninit().
 * Its hmac_sha256() may be called from process or softirq context (not
 * from hard irq): it neither sleeps nor allocates.
 */
extern const struct tcpc_hmac tcpc_hmac_kernel;

int tcpc_hmac_kernel_init(void);
void tcpc_hmac_kernel_uninit(void);

#endif /* _TCPC_HMAC_KERNEL_H */
