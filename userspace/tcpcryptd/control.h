/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The control socket libtcpcrypt talks to (protocol: common/ctlproto.h):
 * a listening unix socket (mode 0666, so that unprivileged applications
 * may ask) or a TCP socket on 127.0.0.1, and its clients, all served from
 * the event loop without ever blocking it.
 */
#ifndef TCPCRYPTD_CONTROL_H
#define TCPCRYPTD_CONTROL_H

#include "ctl_dispatch.h"
#include "ctladdr.h"
#include "loop.h"

/* Clients at once; a new one beyond that replaces the longest idle */
#define CTL_MAX_CLIENTS	32
/* A client silent for this long is disconnected */
#define CTL_IDLE_MS	10000

struct ctl_server;

/*
 * Listen on a. A unix socket left behind by a daemon that died is
 * replaced; one that a live process serves is not (-EADDRINUSE), nor is
 * a file that is not a socket (-EEXIST). Logs why it failed.
 */
int ctl_server_open(struct loop *l, const struct tc_ctl_addr *a,
		    const struct ctl_handlers *h, struct ctl_server **out);

/* Disconnect everyone, stop listening, remove our unix socket file. */
void ctl_server_close(struct ctl_server *s);

#endif /* TCPCRYPTD_CONTROL_H */
