/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * SET_POLICY of the control socket: the resumption policy (RFC 8548
 * section 3.5) of a socket an application passed along, handed to the
 * module by the socket's cookie and what the socket is (unconnected,
 * listening, connected).
 */
#ifndef TCPCRYPTD_SOCK_POLICY_H
#define TCPCRYPTD_SOCK_POLICY_H

#include "ctlproto.h"

/* ctl_policy_fn; arg is the daemon's query socket (struct tc_genl) */
int sock_policy_apply(int sock, const struct tc_ctl_policy *p, void *arg);

#endif /* TCPCRYPTD_SOCK_POLICY_H */
