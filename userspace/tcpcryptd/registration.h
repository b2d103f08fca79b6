/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The daemon's registration with tcpcrypt.ko in its network namespace:
 * DAEMON_REGISTER binds the netlink socket it is sent on as the namespace's
 * daemon (until DAEMON_UNREGISTER or until the socket closes).
 */
#ifndef TCPCRYPTD_REGISTRATION_H
#define TCPCRYPTD_REGISTRATION_H

#include "genl.h"
#include "options.h"

/*
 * Register over g, announcing the options' TEPs, AEADs and mark. On
 * failure logs why in words a user can act on (another daemon, missing
 * privilege) and returns a negative errno.
 */
int daemon_register(struct tc_genl *g, const struct options *o);

/* End the registration made over g; logs failures. */
void daemon_unregister(struct tc_genl *g);

#endif /* TCPCRYPTD_REGISTRATION_H */
