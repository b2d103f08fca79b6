/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The key-exchange service on the daemon's registered netlink socket:
 * tcpcrypt.ko unicasts KEX_REQUESTs to the socket the daemon registered
 * from, and accepts KEX_REPLYs only from that socket, so both travel on
 * it. Each request is answered at once (kex_engine.h); a request that
 * cannot be parsed but names its connection gets an EBADMSG reply. The
 * module's errors about our replies (the connection went away meanwhile,
 * or the module disagrees) are logged with the connection they concern.
 * A timer frees the state of exchanges that waited too long for Init2.
 */
#ifndef TCPCRYPTD_KEX_SERVICE_H
#define TCPCRYPTD_KEX_SERVICE_H

#include <stdint.h>

#include "genl.h"
#include "kex_engine.h"
#include "loop.h"
#include "options.h"

/* Replies whose connection id an error from the module can be traced to */
#define KEX_SENT_RING		64
/* Requests answered per wake-up, so that other sockets get their turn */
#define KEX_READ_BUDGET		64
/* Receive buffer of the registered socket: bursts of new connections */
#define KEX_RCVBUF		(1 << 20)

struct kex_service {
	struct loop *loop;
	struct tc_genl *reg;
	struct nl_cb *cb;
	struct kex_engine engine;
	/* Requests are taken from this netlink port only: 0, the kernel */
	uint32_t kernel_port;
	struct {
		uint32_t seq;
		uint64_t conn_id;
	} sent[KEX_SENT_RING];
	unsigned int sent_next;
	/* What the service did, for logs and tests */
	uint64_t requests;
	uint64_t replies;
	uint64_t error_replies;
	uint64_t refused_by_module;
};

/*
 * Serve the TEPs and AEADs of o on reg (registered, non-blocking) from
 * loop l. Returns 0 or a negative errno, logged.
 */
int kex_service_start(struct kex_service *s, struct loop *l,
		      struct tc_genl *reg, const struct options *o);
/* Stop watching the socket; wipe every waiting exchange */
void kex_service_stop(struct kex_service *s);

/* Answer what is queued on the socket (its POLLIN callback) */
void kex_service_read(struct kex_service *s);

#endif /* TCPCRYPTD_KEX_SERVICE_H */
