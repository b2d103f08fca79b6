/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPC_SELFTEST_FRAME_H
#define _TCPC_SELFTEST_FRAME_H

/*
 * Known-answer tests of frame sealing and opening through the kernel
 * crypto API. Process context; needs tcpc_hmac_kernel to be initialised.
 * Return: 0, or a negative errno after logging what failed.
 */
int tcpc_frame_crypto_selftest(void);

#endif /* _TCPC_SELFTEST_FRAME_H */
