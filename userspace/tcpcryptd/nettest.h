/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The network self-test (tcpcryptd -s host[:port]): once registered, the
 * daemon connects to the target and reports, from the module's connection
 * table, whether that connection was protected. It runs inside the event
 * loop, because completing the key exchange needs the loop too. Every
 * outcome is logged; none is fatal.
 */
#ifndef TCPCRYPTD_NETTEST_H
#define TCPCRYPTD_NETTEST_H

#include "genl.h"
#include "loop.h"

/* Give up connecting after this long */
#define NETTEST_CONNECT_MS	5000
/* How long a connection may stay in negotiation or key exchange */
#define NETTEST_SETTLE_MS	3000
#define NETTEST_POLL_MS		100

struct nettest;

/*
 * Resolve host and start connecting. Returns NULL when the test ended
 * at once (its outcome is logged) or could not start.
 */
struct nettest *nettest_start(struct loop *l, struct tc_genl *query,
			      const char *host, const char *port);
void nettest_stop(struct nettest *t);

#endif /* TCPCRYPTD_NETTEST_H */
