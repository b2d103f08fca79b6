/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Everything tcpcrypt keeps per network namespace: the registered daemon,
 * the counters, the connection table and the session cache. The packet hooks are registered
 * in each namespace for as long as the namespace (or the module) lives.
 */
#ifndef _TCPC_NETNS_H
#define _TCPC_NETNS_H

#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include "conn.h"
#include "daemon.h"
#include "resume_cache.h"
#include "sock_policy.h"
#include "stats.h"

struct tcpc_net {
	struct net *net;		/* the namespace owning this state */
	struct tcpc_daemon_slot daemon;
	struct tcpc_stats stats;
	struct tcpc_conn_table conns;
	struct tcpc_resume_cache resume;
	struct tcpc_sock_policies sock_policies;
};

extern unsigned int tcpc_net_id;

static inline struct tcpc_net *tcpc_net(const struct net *net)
{
	return net_generic(net, tcpc_net_id);
}

int tcpc_netns_init(void);
void tcpc_netns_uninit(void);

#endif /* _TCPC_NETNS_H */
