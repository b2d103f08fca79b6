/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * SET_POLICY of the control socket: the resumption policy (RFC 8548
 * section 3.5) of a socket an application passed along, handed to the
 * module by the socket's cookie and what the socket is (unconnected,
 * listening, connected).
 */
#ifndef TCPCRYPTD_SOCK_POLICY_H
#define TCPCRYPTD_SOCK_POLICY_H

#include "ctl_dispatch.h"
#include "genl.h"
#include "policy_quota.h"

/* What the control worker applies policies with: its own */
struct sock_policy_ctx {
	struct tc_genl nl;
	struct policy_quota quota;
};

void sock_policy_ctx_init(struct sock_policy_ctx *ctx);
/* ctl_policy_fn; arg is a struct sock_policy_ctx */
int sock_policy_apply(const struct ctl_peer *peer,
		      const struct tc_ctl_policy *p, void *arg);

#endif /* TCPCRYPTD_SOCK_POLICY_H */
